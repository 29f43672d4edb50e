"""scripts/services.sh on a services folder of its own (its own cluster, its own ports): `start`
initialises and starts both engines and prints nothing but settings on stdout, so that
`eval "$(… start)"` sets a shell up; a second `start` is idempotent; `status` tells by its exit code
whether both run; `stop` stops them and keeps their data."""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.engines import ROOT

SCRIPT = str(ROOT / "scripts" / "services.sh")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture
def services(tmp_path: Path) -> Iterator[dict[str, str]]:
    """The environment that points the script at a folder and ports of this test's own."""
    env = {
        **os.environ,
        "HFKG_SERVICES_DIR": str(tmp_path / "services"),
        "HFKG_PG_PORT": str(_free_port()),
        "HFKG_OXIGRAPH_PORT": str(_free_port()),
    }
    yield env
    stopped = _run(env, "stop")
    # A private tmp folder the cluster's user cannot reach puts the cluster under /var/tmp: remove it.
    for home in re.findall(r"data in (\S+)/pg\)", stopped.stderr + _run(env, "status").stderr):
        if home.startswith("/var/tmp/hfkg-services-"):
            shutil.rmtree(home, ignore_errors=True)


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", SCRIPT, *args], capture_output=True, text=True, timeout=600, env=env)


def test_start_status_stop(services: dict[str, str]) -> None:
    assert _run(services, "status").returncode == 3  # nothing runs yet
    started = _run(services, "start")
    assert started.returncode == 0, started.stderr
    lines = started.stdout.splitlines()
    assert [line.partition("=")[0] for line in lines] == [
        "export HFKG_DATABASE_URL",
        "export HFKG_GRAPH_ENDPOINT",
    ]
    settings = dict(line.removeprefix("export ").split("=", 1) for line in lines)
    assert f"127.0.0.1:{services['HFKG_PG_PORT']}/" in settings["HFKG_DATABASE_URL"]
    with psycopg.connect(settings["HFKG_DATABASE_URL"]) as db:
        assert db.execute("SELECT current_user").fetchone() == ("hfkg",)
        db.execute("CREATE TABLE kept (n int)")
    ask = settings["HFKG_GRAPH_ENDPOINT"] + "/query?query=ASK%7B%7D"
    assert b'"boolean":true' in urllib.request.urlopen(ask, timeout=10).read()

    again = _run(services, "start")  # finds both running: the same settings, nothing restarted
    assert again.stdout == started.stdout and "initialising" not in again.stderr
    status = _run(services, "status")
    assert status.returncode == 0 and status.stdout == ""
    assert "PostgreSQL: running" in status.stderr and "oxigraph: running" in status.stderr

    assert _run(services, "stop").returncode == 0
    assert _run(services, "status").returncode == 3
    with pytest.raises(psycopg.OperationalError):
        psycopg.connect(settings["HFKG_DATABASE_URL"], connect_timeout=3)
    # Started again, the data is still there.
    assert _run(services, "start").stdout == started.stdout
    with psycopg.connect(settings["HFKG_DATABASE_URL"]) as db:
        assert db.execute("SELECT count(*) FROM kept").fetchone() == (0,)


def test_an_unknown_command_is_refused() -> None:
    assert _run(dict(os.environ), "restart").returncode == 2

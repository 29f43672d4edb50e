"""scripts/services.sh: `start` prints nothing but settings on stdout, so `eval "$(… start)"` sets a
shell up; it is idempotent; `status` tells by its exit code whether both engines run."""

from __future__ import annotations

import subprocess
import urllib.request

import psycopg

from tests.engines import ROOT

SCRIPT = str(ROOT / "scripts" / "services.sh")


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["sh", SCRIPT, *args], capture_output=True, text=True, timeout=600)


def test_start_prints_only_the_settings_and_they_reach_both_engines(database_server: str) -> None:
    started = _run("start")
    assert started.returncode == 0, started.stderr
    lines = started.stdout.splitlines()
    assert [line.partition("=")[0] for line in lines] == [
        "export HFKG_DATABASE_URL",
        "export HFKG_GRAPH_ENDPOINT",
    ]
    settings = dict(line.removeprefix("export ").split("=", 1) for line in lines)
    with psycopg.connect(settings["HFKG_DATABASE_URL"]) as db:
        assert db.execute("SELECT current_user").fetchone() == ("hfkg",)
    ask = settings["HFKG_GRAPH_ENDPOINT"] + "/query?query=ASK%7B%7D"
    assert b'"boolean":true' in urllib.request.urlopen(ask, timeout=10).read()
    # A second start finds both running and prints the same settings.
    assert _run("start").stdout == started.stdout


def test_status_says_both_run(database_server: str) -> None:
    status = _run("status")
    assert status.returncode == 0, status.stderr
    assert "PostgreSQL: running" in status.stderr and "oxigraph: running" in status.stderr
    assert status.stdout == ""


def test_an_unknown_command_is_refused() -> None:
    assert _run("restart").returncode == 2

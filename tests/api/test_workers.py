"""`hfkg serve --workers N` and worker processes on the server engines (PostgreSQL and an Oxigraph
server of the test's own): refused on the embedded stores; an upload through one worker is seen by a
read through another; uploads through different workers at once both land; `hfkg ingest` hands its
files to the workers as to one server."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from api import local_server
from api.cli.dispatch import main
from api.settings import Settings
from api.workers import worker_environment, worker_settings
from bench.api_load import worker_pids
from bench.engines import free_port, oxigraph_server

KEY = "workers-key"
AUTH = {"X-API-Key": KEY}
MINUTES = """Referat fra møte i Strategisk samarbeidsutvalg (SSU)

Dato: 12.03.2025

Sak 2025.{n} {name}prosjektet for hjemmeboende eldre
{name}prosjektet skal prøve ut velferdsteknologi i Larvik og Færder.
Konklusjon: SSU slutter seg til at {name}prosjektet starter opp høsten 2025.
"""


def minutes(n: int, name: str) -> bytes:
    return MINUTES.format(n=n, name=name).encode()


# -- refused on the embedded stores ---------------------------------------------------------------
def test_workers_are_refused_on_the_embedded_stores(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data", str(data), "serve", "--workers", "2", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "--workers 2" in err and "HFKG_DATABASE_URL og HFKG_GRAPH_ENDPOINT er ikke satt" in err
    assert not (data / "server.json").exists()


def test_workers_need_the_database_too(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    graph = "http://127.0.0.1:9"  # never asked: refused before any store is opened
    command = ["--data", str(tmp_path), "serve", "--graph-endpoint", graph, "--workers", "3"]
    assert main(command) == 2
    assert "krever tjenermotorene: HFKG_DATABASE_URL er ikke satt" in capsys.readouterr().err


def test_no_workers_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path), "serve", "--workers", "0"]) == 2
    assert "--workers 0: må være minst 1" in capsys.readouterr().err


def test_a_worker_builds_the_settings_it_was_given(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    given = Settings.from_env(
        str(tmp_path), graph_endpoint="http://127.0.0.1:9", api_key="k", cache_entries=0, sparql_timeout_s=2.5
    )
    for name in [n for n in os.environ if n.startswith("HFKG_")]:
        monkeypatch.delenv(name)
    for name, value in worker_environment(given).items():
        monkeypatch.setenv(name, value)
    settings, token = worker_settings()
    assert settings == given.model_copy(update={"data_dir": tmp_path.resolve()})
    assert token is None  # no server.json: no hand-off routes


def test_a_worker_takes_the_token_of_its_parents_claim(tmp_path: Path) -> None:
    claim = local_server.claim(tmp_path, url="http://127.0.0.1:1", token="the-token", max_file_bytes=1)
    try:
        assert local_server.token_of(tmp_path, pid=os.getpid()) == "the-token"
        assert local_server.token_of(tmp_path, pid=os.getpid() + 1) is None  # another server's file
    finally:
        claim.release()
    assert local_server.token_of(tmp_path, pid=os.getpid()) is None  # gone with the claim


# -- on the server engines ------------------------------------------------------------------------
@pytest.fixture
def engines(database_url: str, tmp_path: Path) -> Iterator[dict[str, str]]:
    """The settings of a data directory whose stores are a new database and a new graph server."""
    with oxigraph_server(tmp_path / "graph") as endpoint:
        yield {
            "HFKG_DATA": str(tmp_path / "data"),
            "HFKG_DATABASE_URL": database_url,
            "HFKG_GRAPH_ENDPOINT": endpoint,
            "HFKG_API_KEY": KEY,
        }


def _environment(settings: dict[str, str]) -> dict[str, str]:
    return {**{k: v for k, v in os.environ.items() if not k.startswith("HFKG_")}, **settings}


def _wait_up(process: subprocess.Popen[bytes], base: str, timeout: float = 120) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        assert process.poll() is None, f"the server exited with {process.returncode}"
        try:
            if httpx.get(base + "/health", timeout=5).status_code == 200:
                return
        except httpx.TransportError:
            pass
        time.sleep(0.2)
    raise AssertionError("the server did not start")


def _stop(process: subprocess.Popen[bytes]) -> int:
    process.send_signal(signal.SIGTERM)
    try:
        return process.wait(timeout=60)
    except subprocess.TimeoutExpired:
        process.kill()
        raise


@pytest.fixture
def two_workers(engines: dict[str, str]) -> Iterator[tuple[str, str]]:
    """Two worker processes (what `--workers 2` starts, each on a port of its own so that a test
    knows which one it asks) on the same stores; the second starts once the first made them."""
    bases, processes = [], []
    try:
        for _ in range(2):
            port = free_port()
            command = ["-m", "uvicorn", "api.app:worker_app", "--factory", "--port", str(port)]
            process = subprocess.Popen(
                [sys.executable, *command, "--log-level", "warning"], env=_environment(engines)
            )
            processes.append(process)
            bases.append(f"http://127.0.0.1:{port}")
            _wait_up(process, bases[-1])
        yield bases[0], bases[1]
    finally:
        for process in processes:
            _stop(process)


def _upload(base: str, n: int, name: str) -> dict[str, object]:
    files = {"file": (f"referat-{n}.txt", minutes(n, name))}
    response = httpx.post(base + "/documents", files=files, headers=AUTH, timeout=300)
    assert response.status_code == 201, response.text
    return dict(response.json())


def _total(base: str, word: str) -> int:
    return int(httpx.get(base + "/search", params={"q": word}, timeout=60).json()["total"])


@pytest.mark.slow
def test_an_upload_through_one_worker_is_read_through_the_other(two_workers: tuple[str, str]) -> None:
    first, second = two_workers
    assert _total(second, "Kvitebjørnprosjektet") == 0  # the second's read model, built before
    report = _upload(first, 1, "Kvitebjørn")
    assert report["status"] == "ingested"
    assert _total(second, "Kvitebjørnprosjektet") >= 1
    doc_id = report["doc_ids"][0]  # type: ignore[index]
    assert httpx.get(f"{second}/documents/{doc_id}", timeout=60).status_code == 200
    assert httpx.get(second + "/health", timeout=10).json()["documents"] == 1


@pytest.mark.slow
def test_uploads_through_two_workers_at_once_both_land(
    two_workers: tuple[str, str], engines: dict[str, str]
) -> None:
    reports: dict[str, dict[str, object]] = {}

    def send(base: str, n: int, name: str) -> None:
        reports[name] = _upload(base, n, name)

    threads = [
        threading.Thread(target=send, args=(base, n, name))
        for base, n, name in ((two_workers[0], 2, "Isbjørn"), (two_workers[1], 3, "Snøugle"))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=300)
    assert {r["status"] for r in reports.values()} == {"ingested"}
    for base in two_workers:
        assert httpx.get(base + "/health", timeout=10).json()["documents"] == 2
        assert _total(base, "Isbjørnprosjektet") >= 1 and _total(base, "Snøugleprosjektet") >= 1
    check = subprocess.run(
        [sys.executable, "-m", "api.cli", "check", "--json"],
        env=_environment(engines),
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert check.returncode == 0, check.stdout + check.stderr


@pytest.mark.slow
def test_serve_with_two_workers_takes_what_hfkg_ingest_hands_over(
    engines: dict[str, str], tmp_path: Path
) -> None:
    env = _environment(engines)
    port = free_port()
    cli = [sys.executable, "-m", "api.cli"]
    server = subprocess.Popen([*cli, "serve", "--workers", "2", "--port", str(port)], env=env)
    data = Path(engines["HFKG_DATA"])
    try:
        _wait_up(server, f"http://127.0.0.1:{port}")
        assert (data / "server.json").exists()
        assert len(worker_pids(server.pid)) == 2
        source = tmp_path / "referat.txt"
        source.write_bytes(minutes(4, "Havørn"))
        done = subprocess.run(
            [*cli, "ingest", str(source)], env=env, capture_output=True, text=True, timeout=300
        )
        assert done.returncode == 0 and "ingested" in done.stdout, done.stdout + done.stderr
        found = subprocess.run(
            [*cli, "search", "Havørnprosjektet", "--json"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert '"total": 1' in found.stdout or '"total":1' in found.stdout, found.stdout + found.stderr
    finally:
        assert _stop(server) == 0
    assert not (data / "server.json").exists()

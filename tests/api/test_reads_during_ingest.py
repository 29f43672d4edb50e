"""`hfkg ingest` while `hfkg serve` runs: the ingest is handed to the server, and search, ask and
SPARQL keep answering (no errors, no half-ingested documents) the whole time."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from pathlib import Path

from bench.corpus_gen import generate
from tests.conftest import CORPUS


def _get(url: str) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:  # type: ignore[attr-defined]
        return exc.code, exc.read()


def test_reads_keep_answering_while_a_cli_ingest_runs(tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = tmp_path / "first"
    first.mkdir()
    shutil.copy(CORPUS / "ostfold-handlingsplan-2023-2024.txt", first)
    cli = [sys.executable, "-m", "api.cli", "--data", str(data)]
    assert subprocess.run([*cli, "ingest", str(first)], capture_output=True, timeout=300).returncode == 0
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(
        [*cli, "serve", "--port", str(port)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    base = f"http://127.0.0.1:{port}"
    try:
        for _ in range(300):
            try:
                if _get(base + "/health")[0] == 200 and (data / "server.json").exists():
                    break
            except OSError:
                pass
            time.sleep(0.1)
        more = tmp_path / "more"
        generate(more, 6, seed=5)
        shutil.copy(CORPUS / "vestfold-ssu-fsu-moter-arsmelding-2023-2024.txt", more)
        results: list[tuple[str, int, int]] = []
        seen: dict[int, list[int]] = {}
        stop = threading.Event()
        sparql = urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")

        def reader() -> None:
            paths = [
                "/search?q=helsefellesskap",
                "/ask?q=" + urllib.parse.quote("Hvilke kommuner er med i Helsefellesskapet Østfold?"),
                f"/sparql?query={sparql}",
                "/documents",
            ]
            while not stop.is_set():
                for path in paths:
                    status, body = _get(base + path)
                    count = json.loads(body)["total"] if path == "/documents" and status == 200 else -1
                    results.append((path, status, count))
                    if count >= 0:
                        seen.setdefault(threading.get_ident(), []).append(count)

        threads = [threading.Thread(target=reader) for _ in range(2)]
        for thread in threads:
            thread.start()
        ingest = subprocess.run(
            [*cli, "ingest", str(more), "--json"], capture_output=True, text=True, timeout=600
        )
        time.sleep(0.5)
        stop.set()
        for thread in threads:
            thread.join(timeout=60)
        assert ingest.returncode == 0, ingest.stderr
        assert "handing the files to it" in ingest.stderr
        statuses = [json.loads(line)["status"] for line in ingest.stdout.splitlines()]
        assert len(statuses) == 7 and set(statuses) <= {"ingested", "duplicate"}
        assert results and all(status == 200 for _, status, _ in results), [r for r in results if r[1] != 200]
        # Each file appears whole or not at all: the document count each reader sees only grows.
        assert seen and all(counts == sorted(counts) and counts[0] >= 1 for counts in seen.values())
        status, _body = _get(base + "/documents")
        assert status == 200
    finally:
        server.terminate()
        server.wait(timeout=30)
    assert not (data / "server.json").exists()
    report = json.loads(subprocess.run([*cli, "check", "--json"], capture_output=True, text=True).stdout)
    assert report["consistent"] and report["manifest"] > 8

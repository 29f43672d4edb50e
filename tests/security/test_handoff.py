"""The hand-off between `hfkg ingest` and a running `hfkg serve` (issue 10, items 2 and 12).

The attack: another local user read ``<data>/server.json`` in the moment between its creation
(world-readable) and the chmod after it, then used the token to make the server ingest a file only
the server's user could read, by absolute path; ``GET /documents/{id}`` then showed it to anyone.
"""

from __future__ import annotations

import contextlib
import os
import stat
import threading
import time
from pathlib import Path

from tests.security.running_server import cli, request, server_file, serving, start, stop


def _watch_modes(path: Path, stop_event: threading.Event, seen: set[int]) -> None:
    """Every permission mode ``path`` is seen with, polled as fast as a local attacker would."""
    while not stop_event.is_set():
        with contextlib.suppress(FileNotFoundError):
            seen.add(stat.S_IMODE(os.stat(path).st_mode))


def test_the_token_file_is_never_readable_by_others(tmp_path: Path) -> None:
    data = tmp_path / "data"
    for _ in range(2):  # the attacker won three starts out of three; the old code lost the first here
        seen: set[int] = set()
        done = threading.Event()
        watcher = threading.Thread(target=_watch_modes, args=(data / "server.json", done, seen))
        watcher.start()
        try:
            with serving(data, umask=0o022):  # the usual umask: plain files come out 0644
                time.sleep(0.2)
        finally:
            done.set()
            watcher.join()
        assert seen, "server.json was never seen"
        assert all(mode & 0o077 == 0 for mode in seen), sorted(oct(m) for m in seen)
        assert not (data / "server.json").exists()


SECRET = "Hemmelig passord: korall-fiolin-42. Kun for tjenestebrukeren."
MINUTES = (
    "Referat fra møte i Strategisk samarbeidsutvalg (SSU)\n\nDato: 12.03.2025\n\n"
    "Sak 2025.3 Snøugleprosjektet for hjemmeboende med demens\n"
    "Snøugleprosjektet skal prøve ut velferdsteknologi i Larvik.\n"
)
TOKEN = "handoff-test-token-0123456789abcdef"


def _app_client(data: Path):  # type: ignore[no-untyped-def]
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.settings import Settings

    settings = Settings(data_dir=data, max_file_mb=1)
    return TestClient(create_app(settings, handoff_token=TOKEN))


def test_the_handoff_opens_no_path_the_caller_names(tmp_path: Path) -> None:
    secret = tmp_path / "root-only" / "passord.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    data = tmp_path / "data"
    (data / "uploads").mkdir(parents=True)
    link = data / "uploads" / "lenke.txt"  # under the one folder the server writes, pointing out of it
    link.symlink_to(secret)
    with _app_client(data) as client:
        for path in (secret, link, data / "uploads"):
            response = client.post(
                "/admin/ingest", json={"paths": [str(path)]}, headers={"X-Hfkg-Token": TOKEN}
            )
            assert 400 <= response.status_code < 500, (path, response.status_code, response.text)
        assert client.get("/documents").json()["total"] == 0
        assert client.get("/search", params={"q": "korall"}).json()["total"] == 0


def test_the_handoff_ingests_the_contents_it_is_sent_under_the_callers_name(tmp_path: Path) -> None:
    secret = tmp_path / "root-only" / "passord.txt"
    secret.parent.mkdir()
    secret.write_text(SECRET, encoding="utf-8")
    data = tmp_path / "data"
    headers = {"X-Hfkg-Token": TOKEN, "Content-Type": "application/octet-stream"}
    # The name the caller gives is only the manifest's key: the server never opens it.
    params = {"source": str(secret), "shown": "notat.txt", "mtime_ns": "1700000000000000000"}
    with _app_client(data) as client:
        assert (
            client.post(
                "/admin/ingest",
                params=params,
                content=MINUTES.encode(),
                headers={**headers, "X-Hfkg-Token": "wrong"},
            ).status_code
            == 403
        )
        response = client.post("/admin/ingest", params=params, content=MINUTES.encode(), headers=headers)
        assert response.status_code == 200, response.text
        report = response.json()["report"]
        assert report["status"] == "ingested" and report["path"] == "notat.txt"
        (doc_id,) = report["doc_ids"]
        document = client.get(f"/documents/{doc_id}").text
        assert "Snøugleprosjektet" in document and "korall" not in document
        assert client.get("/search", params={"q": "korall"}).json()["total"] == 0
        again = client.post("/admin/ingest", params=params, content=MINUTES.encode(), headers=headers)
        assert again.json()["report"]["status"] == "unchanged"
        too_big = client.post(
            "/admin/ingest", params={**params, "mtime_ns": "2"}, content=b"x" * 2_000_000, headers=headers
        )
        assert too_big.status_code == 413
    assert not list((data / "uploads").iterdir())


def test_a_second_server_on_the_same_data_refuses_and_leaves_the_first_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with serving(data) as (first, base):
        before = server_file(data)
        second, _ = start(data)
        try:
            assert second.wait(timeout=60) != 0
        finally:
            stop(second)
        message = second.stderr.read()  # type: ignore[union-attr]
        assert "already" in message and str(before["pid"]) in message, message
        assert server_file(data) == before  # neither overwritten nor deleted
        assert request(base + "/health")[0] == 200
        # The first server's hand-off still works: `hfkg ingest` finds it and hands it the file.
        source = tmp_path / "referat.txt"
        source.write_text(MINUTES, encoding="utf-8")
        ingest = cli(data, "ingest", str(source))
        assert ingest.returncode == 0 and "handing the files to it" in ingest.stderr, ingest.stderr
        assert ingest.stdout.startswith("ingested"), ingest.stdout
        again = cli(data, "ingest", str(source))
        assert again.returncode == 0 and again.stdout.startswith("unchanged"), again.stdout
        assert not list((data / "uploads").iterdir())  # the server's copy went once read
        first.kill()  # a crash leaves server.json behind: the next server replaces it and starts
        first.wait(timeout=30)
    assert (data / "server.json").exists()
    with serving(data) as (_, base):
        assert server_file(data)["token"] != before["token"]
        assert request(base + "/health")[0] == 200
    assert not (data / "server.json").exists()

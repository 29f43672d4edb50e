"""The files under ``<data>/uploads/`` (issue 10, item 14, and the absolute paths of the "Also" line):
a duplicate upload and an upload a kill interrupted left their files there for ever, and upload
responses named the server's absolute paths."""

from __future__ import annotations

import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from ingest.store import Change, DocumentStore

KEY = "upload-files-key"
AUTH = {"X-API-Key": KEY}
MINUTES = (
    "Referat fra møte i Strategisk samarbeidsutvalg (SSU)\n\nDato: 12.03.2025\n\n"
    "Sak 2025.3 Lundefuglprosjektet for hjemmeboende med demens\n"
    "Lundefuglprosjektet skal prøve ut velferdsteknologi i Larvik og Færder.\n"
)


def _client(data: Path) -> TestClient:
    return TestClient(create_app(Settings(data_dir=data, api_key=KEY)))


@pytest.fixture()
def client(tmp_path: Path) -> Iterator[TestClient]:
    with _client(tmp_path / "data") as c:
        yield c


def _uploads(data: Path) -> list[str]:
    folder = data / "uploads"
    return sorted(p.name for p in folder.iterdir()) if folder.exists() else []


def test_a_duplicate_upload_keeps_no_file(client: TestClient, tmp_path: Path) -> None:
    data = tmp_path / "data"
    first = client.post("/documents", files={"file": ("referat.txt", MINUTES.encode())}, headers=AUTH)
    assert first.status_code == 201, first.text
    again = client.post("/documents", files={"file": ("kopi av referat.txt", MINUTES.encode())}, headers=AUTH)
    assert again.status_code == 200 and again.json()["status"] == "duplicate"
    assert _uploads(data) == [first.json()["filename"]]
    sources = DocumentStore(data).sources()
    assert len(sources) == 1 and all(s["doc_ids"] for s in sources.values())


def test_upload_files_are_owner_only_and_responses_name_no_server_path(
    client: TestClient, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    response = client.post("/documents", files={"file": ("Møtereferat.txt", MINUTES.encode())}, headers=AUTH)
    assert response.status_code == 201, response.text
    report = response.json()
    assert report["path"] == f"uploads/{report['filename']}"
    duplicate = client.post("/documents", files={"file": ("igjen.txt", MINUTES.encode())}, headers=AUTH)
    for text in (
        response.text,
        duplicate.text,
        client.get("/documents").text,
        client.get(f"/documents/{report['doc_ids'][0]}").text,
    ):
        assert str(tmp_path) not in text and str(data.resolve()) not in text
    stored = data / "uploads" / report["filename"]
    assert stat.S_IMODE(stored.stat().st_mode) == 0o600
    assert stat.S_IMODE(stored.parent.stat().st_mode) == 0o700


def test_files_an_interrupted_upload_left_are_removed_at_start(tmp_path: Path) -> None:
    data = tmp_path / "data"
    with _client(data) as client:
        kept = client.post(
            "/documents", files={"file": ("referat.txt", MINUTES.encode())}, headers=AUTH
        ).json()
    uploads = data / "uploads"
    # What a kill leaves: a file saved and never committed (killed before the journal), and the
    # source entry an earlier version wrote for a duplicate upload (a file holding no document).
    (uploads / "0123456789ab-avbrutt.txt").write_bytes(b"Halvveis lagret opplasting")
    duplicate = uploads / "ba9876543210-kopi.txt"
    duplicate.write_text(MINUTES, encoding="utf-8")
    store = DocumentStore(data)
    entry = {
        **next(iter(store.sources().values())),
        "doc_ids": [],
        "same_as": kept["path"],
        "path": f"uploads/{duplicate.name}",
    }
    with store.writing():
        store.commit(Change(sources={str(duplicate.resolve()): entry}))
    (uploads / "notes-of-the-owner.txt").write_text("not written by hfkg", encoding="utf-8")
    with _client(data) as client:
        assert client.get("/health").status_code == 200
    assert _uploads(data) == sorted([kept["filename"], "notes-of-the-owner.txt"])
    assert all(s["doc_ids"] for s in DocumentStore(data).sources().values())


def test_orphan_uploads_are_listed(tmp_path: Path) -> None:
    from api.writes import orphan_uploads

    data = tmp_path / "data"
    with _client(data) as client:
        kept = client.post(
            "/documents", files={"file": ("referat.txt", MINUTES.encode())}, headers=AUTH
        ).json()
    left = data / "uploads" / "0123456789ab-avbrutt.txt"
    left.write_bytes(b"x")
    foreign = data / "uploads" / "notes-of-the-owner.txt"
    foreign.write_text("not written by hfkg", encoding="utf-8")
    assert orphan_uploads(DocumentStore(data)) == [left, foreign]
    assert (data / "uploads" / kept["filename"]).exists()
    os.unlink(left)

"""Word, OpenDocument and PowerPoint files through the API: an upload is ingested, its original is
served back as a download with its own media type (never as text a browser might render), and a
password-protected one is rejected with its reason and leaves no file behind."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.test_app import error_of
from tests.ingest.readers.office_files import docx_bytes, odt_bytes, pptx_bytes
from tests.security.test_office_input import _encrypted_docx

KEY = "office-key-123"
AUTH = {"X-API-Key": KEY}
MEDIA = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "odt": "application/vnd.oasis.opendocument.text",
    "pptx": "application/vnd.openxmlformats-officedocument.presentationml.presentation",
}


@pytest.fixture
def client(tmp_path: Path) -> Iterator[TestClient]:
    """A server on a data directory of its own (the three renditions are near-duplicates of each other)."""
    with TestClient(create_app(Settings.from_env(str(tmp_path / "data"), api_key=KEY))) as c:
        yield c


@pytest.mark.parametrize("fmt,make", [("docx", docx_bytes), ("odt", odt_bytes), ("pptx", pptx_bytes)])
def test_an_uploaded_office_file_is_ingested_and_its_original_downloaded(
    client: TestClient, fmt: str, make: Callable[[], bytes]
) -> None:
    data = make()
    response = client.post("/documents", files={"file": (f"Møtereferat SSU.{fmt}", data)}, headers=AUTH)
    assert response.status_code == 201, response.text
    (doc_id,) = response.json()["doc_ids"]
    doc = client.get(f"/documents/{doc_id}").json()
    assert [item["number"] for item in doc["agenda_items"]] == ["12/24", "13/24"]
    source = client.get(f"/documents/{doc_id}/source")
    assert source.status_code == 200
    assert source.headers["content-type"] == MEDIA[fmt]
    assert source.headers["content-disposition"].startswith("attachment")
    assert source.content == data


def test_a_password_protected_upload_is_rejected_and_leaves_nothing(
    client: TestClient, tmp_path: Path
) -> None:
    uploads = tmp_path / "data" / "uploads"
    before = set(uploads.iterdir()) if uploads.exists() else set()
    error = error_of(
        client.post("/documents", files={"file": ("låst.docx", _encrypted_docx())}, headers=AUTH), 422
    )
    assert error["code"] == "rejected"
    assert "password-protected Word document" in error["message"]
    assert (set(uploads.iterdir()) if uploads.exists() else set()) == before

"""Hostile input through the API: each gets a 4xx with a reason, and nothing stored changes."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.test_app_support import copy_of_corpus_data
from tests.conftest import image_only_pdf
from tests.ingest.test_hostile_input import _bomb

KEY = "hostile-key"
AUTH = {"X-API-Key": KEY}


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_corpus_data(tmp_path_factory, "hostile")


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings.from_env(str(data_dir), max_file_mb=5, api_key=KEY))) as c:
        yield c


def _state(client: TestClient) -> list[str]:
    return sorted(d["doc_id"] for d in client.get("/documents").json()["documents"])


@pytest.mark.parametrize(
    "name,content,reason",
    [
        ("bombe.pdf", _bomb(), "decompression bomb"),
        ("skannet.pdf", image_only_pdf(), "no text layer"),
        ("tilfeldig.pdf", bytes(range(256)) * 20, "not a valid PDF"),
        ("data.txt", bytes(range(256)) * 20, "binary data"),
    ],
)
def test_hostile_uploads_are_rejected_and_change_nothing(
    client: TestClient, name: str, content: bytes, reason: str
) -> None:
    before = _state(client)
    response = client.post("/documents", files={"file": (name, content)}, headers=AUTH)
    assert 400 <= response.status_code < 500, response.text
    assert reason in response.json()["error"]["message"]
    assert _state(client) == before


@pytest.mark.parametrize(
    "name",
    [
        "../../../etc/passwd.txt",
        "..\\..\\boot.ini.txt",
        "referat\u202etxt.exe.txt",
        "møte\u0000null.txt",
        "ﬁlename\u200b with spaces and ✓ marks.txt",
    ],
)
def test_odd_upload_names_never_reach_the_file_system(client: TestClient, data_dir: Path, name: str) -> None:
    text = "Referat fra SSU\n\nSak 9/25 Prosjektet «Trygg natt» for skrøpelige eldre i Horten kommune.\n"
    response = client.post("/documents", files={"file": (name, (text + name).encode())}, headers=AUTH)
    assert response.status_code in (201, 200, 415, 422), response.text
    for path in data_dir.rglob("*"):
        assert path.resolve().is_relative_to(data_dir.resolve())
    assert not (data_dir.parent / "etc").exists()
    uploads = [p.name for p in (data_dir / "uploads").iterdir()] if (data_dir / "uploads").exists() else []
    assert all("/" not in n and "\\" not in n and "\u202e" not in n and "\x00" not in n for n in uploads)


def test_very_long_query_strings_get_a_4xx(client: TestClient) -> None:
    long = "samhandling kommune " * 500  # 10,000 characters
    for path in ("/search", "/decisions", "/ask", "/entities"):
        response = client.get(path, params={"q": long})
        assert response.status_code == 422 and response.json()["error"]["code"] == "validation_error", path
    assert client.get("/sparql", params={"query": long}).status_code == 400


def test_nested_html_upload_is_ingested(client: TestClient) -> None:
    nested = (
        "<div>" * 20_000 + "<p>Referat fra SSU. Vedtak: Saken tas til orientering.</p>" + "</div>" * 20_000
    )
    response = client.post("/documents", files={"file": ("nøstet.html", nested.encode())}, headers=AUTH)
    assert response.status_code == 201, response.text

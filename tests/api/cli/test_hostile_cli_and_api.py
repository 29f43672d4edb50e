"""Every kind of bad input, once through `hfkg ingest` (a real process) and once through POST /documents:
each gets a clear rejection (a report line with its reason, or a 4xx with one) and nothing stored
changes — manifest bytes, document files, search index and graph alike."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from ingest.store import DocumentStore
from tests.conftest import CORPUS, encrypt, image_only_pdf, pdf_bytes
from tests.ingest.test_hostile_input import _bomb

KEY = "hostile-key"
MAX_PAGES = "1000"  # the 2,000-page PDF is over it; the default (3,000) is for real annual reports
PAGE = ["Side om samhandling mellom kommunene og sykehuset om pasientforløp."]
BIG = 100 * 1_048_576


def _big_text(path: Path) -> None:
    line = "Helsefellesskapet samarbeider om tjenester for skrøpelige eldre. " * 16 + "\n"
    with open(path, "w", encoding="utf-8") as out:
        while out.tell() < BIG:
            out.write(line * 1000)


# name, how to make the file, what the reason must say (a pattern: the API speaks bokmål to people), status
CASES: list[tuple[str, Callable[[Path], None], str, int]] = [
    ("tom.txt", lambda p: p.write_bytes(b""), "empty", 422),
    ("tilfeldig.pdf", lambda p: p.write_bytes(bytes(range(256)) * 40), "not a valid PDF", 422),
    ("avkuttet.pdf", lambda p: p.write_bytes(pdf_bytes([PAGE, PAGE])[:900]), "PDF", 422),
    (
        "hemmelig.pdf",
        lambda p: p.write_bytes(encrypt(pdf_bytes([PAGE]), user_password="hemmelig")),
        "password",
        422,
    ),
    ("skannet.pdf", lambda p: p.write_bytes(image_only_pdf()), "no text layer", 422),
    ("binær.txt", lambda p: p.write_bytes(bytes(range(256)) * 40), "binary data", 422),
    ("regneark.xlsx", lambda p: p.write_bytes(b"PK\x03\x04" + bytes(200)), "unsupported|støttes ikke", 415),
    ("bombe.pdf", lambda p: p.write_bytes(_bomb()), "decompression bomb", 422),
    (
        "lang.pdf",
        lambda p: p.write_bytes(pdf_bytes([PAGE] * 2000)),
        "2000 pages, over the limit of 1000",
        422,
    ),
    ("stor.txt", _big_text, "over the limit|større enn grensen", 413),
]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    folder = tmp_path_factory.mktemp("hostile-files")
    files = {}
    for name, make, _, _ in CASES:
        make(folder / name)
        files[name] = folder / name
    return files


def _snapshot(data: Path) -> tuple[bytes, list[str], dict[str, object]]:
    check = subprocess.run(
        [sys.executable, "-m", "api.cli", "--data", str(data), "check", "--json"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    report = json.loads(check.stdout)
    assert check.returncode == 0 and report["consistent"], report
    counts = {k: report[k] for k in ("manifest", "search", "graph")}
    return DocumentStore(data).manifest(), sorted(p.name for p in (data / "docs").iterdir()), counts


@pytest.fixture(scope="module")
def cli_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    data = tmp_path_factory.mktemp("hostile-cli") / "data"
    done = subprocess.run(
        [
            sys.executable,
            "-m",
            "api.cli",
            "--data",
            str(data),
            "ingest",
            str(CORPUS / "vestre-viken-ringerike-orientering.txt"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    return data


@pytest.mark.parametrize("name,reason", [(c[0], c[2]) for c in CASES])
def test_cli_rejects_and_keeps_what_is_stored(
    name: str, reason: str, hostile: dict[str, Path], cli_data: Path
) -> None:
    before = _snapshot(cli_data)
    env = {**os.environ, "HFKG_MAX_PAGES": MAX_PAGES}
    result = subprocess.run(
        [sys.executable, "-m", "api.cli", "--data", str(cli_data), "ingest", "--json", str(hostile[name])],
        capture_output=True,
        text=True,
        timeout=300,
        env=env,
    )
    assert result.returncode == 0, result.stderr  # a rejected file is reported, not an internal error
    (report,) = [json.loads(line) for line in result.stdout.splitlines()]
    assert report["status"] == "rejected" and re.search(reason, report["reason"], re.I), report
    assert _snapshot(cli_data) == before


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[TestClient, Path]]:
    data = tmp_path_factory.mktemp("hostile-api") / "data"
    settings = Settings.from_env(str(data), max_pages=int(MAX_PAGES), api_key=KEY)
    with TestClient(create_app(settings)) as c:
        ok = (CORPUS / "vestre-viken-ringerike-orientering.txt").read_bytes()
        response = c.post("/documents", files={"file": ("orientering.txt", ok)}, headers={"X-API-Key": KEY})
        assert response.status_code == 201, response.text
        yield c, data


@pytest.mark.parametrize("name,reason,status", [(c[0], c[2], c[3]) for c in CASES])
def test_api_rejects_and_keeps_what_is_stored(
    name: str, reason: str, status: int, hostile: dict[str, Path], client: tuple[TestClient, Path]
) -> None:
    c, data = client
    before = DocumentStore(data).manifest(), c.get("/documents").json()
    stored = sorted((data / "uploads").iterdir())
    with open(hostile[name], "rb") as upload:
        response = c.post("/documents", files={"file": (name, upload)}, headers={"X-API-Key": KEY})
    assert response.status_code == status, response.text
    assert re.search(reason, response.json()["error"]["message"], re.I), response.json()
    assert (DocumentStore(data).manifest(), c.get("/documents").json()) == before
    assert sorted((data / "uploads").iterdir()) == stored  # the rejected upload's file is gone again

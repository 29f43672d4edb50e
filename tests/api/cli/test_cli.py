"""The hfkg command line, run in-process on real files: ingest report, documents and document JSON."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from api.cli import main
from tests.conftest import CORPUS


def test_ingest_documents_and_document(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "in"
    shutil.copytree(CORPUS, folder)
    (folder / "ødelagt.pdf").write_bytes(b"%PDF-1.7\n1 0 obj <<")
    (folder / "tabell.xlsx").write_bytes(b"PK\x03\x04")
    monkeypatch.setenv("HFKG_DATA", str(tmp_path / "data"))

    assert main(["ingest", str(folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    status = {line.split()[1].rsplit("/", 1)[-1].rstrip(":"): line.split()[0] for line in out}
    assert status["vestfold-ssu-fsu-moter-arsmelding-2023-2024.txt"] == "ingested"
    assert status["ødelagt.pdf"] == "rejected"
    assert status["tabell.xlsx"] == "rejected"
    # The PDF extract sorts first; the richer text rendition then takes over as the original.
    assert status["vestfold-handlingsplan-2023-pdfutdrag.txt"] == "ingested"
    assert main(["ingest", str(folder)]) == 0
    again = capsys.readouterr().out.splitlines()
    assert sum(line.startswith("unchanged") for line in again) == 5
    assert sum(line.startswith("rejected") for line in again) == 2

    assert main(["documents", "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert len(docs) == 11
    (dup,) = [d for d in docs if d["duplicate_of"]]
    assert dup["source"].endswith("vestfold-handlingsplan-2023-pdfutdrag.txt")
    assert set(docs[0]) == {
        "doc_id",
        "title",
        "doc_type",
        "fellesskap",
        "date",
        "year",
        "source",
        "pages",
        "passages",
        "agenda_items",
        "duplicate_of",
    }
    minutes = next(d for d in docs if d["title"] == "Referat SSU 23.11.2023")
    assert (minutes["doc_type"], minutes["year"], minutes["agenda_items"]) == ("referat", 2023, 11)

    assert main(["document", minutes["doc_id"], "--json"]) == 0
    doc = json.loads(capsys.readouterr().out)
    item = next(i for i in doc["agenda_items"] if i["number"] == "2023.42")
    assert set(item) >= {"number", "title", "kind", "conclusion", "responsible"}
    assert doc["meetings"][0]["chair"] == "Frode Hestnes"
    assert all({"page", "section", "text"} <= set(p) for p in doc["passages"])

    assert main(["documents"]) == 0
    table = capsys.readouterr().out
    assert "Referat SSU 23.11.2023" in table and "11 documents (10 without duplicates)" in table


def test_unknown_document_and_missing_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--data", str(tmp_path), "document", "finnesikke"]) == 3
    assert "no document with id 'finnesikke'" in capsys.readouterr().err
    assert main(["ingest", "--data", str(tmp_path), str(tmp_path / "borte.pdf")]) == 2


def test_a_setting_that_does_not_parse_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HFKG_MAX_PAGES", "abc")
    assert main(["--data", str(tmp_path), "documents"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("hfkg: invalid setting HFKG_MAX_PAGES='abc'") and "Traceback" not in err

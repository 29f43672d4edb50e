"""The same minutes written as PDF and as .docx, each ingested into a data directory of its own:
``hfkg ask`` gives the same answers from both, with their evidence on the same pages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main
from tests.ingest.readers.office_files import docx_bytes, pdf_bytes

QUESTIONS = [
    "Hvem var møteleder i SSU-møtet 29.02.2024?",
    "Hvem var referent?",
    "Hva ble vedtatt i sak 12/24?",
    "Hvilke tiltak retter seg mot skrøpelige eldre?",
    "Når er fristen for å oppnevne medlemmer?",
]


def _answers(
    data: Path, question: str, capsys: pytest.CaptureFixture[str]
) -> list[tuple[str, str, list[int]]]:
    assert main(["--data", str(data), "ask", question, "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    return [
        (answer["label"], answer["method"], [evidence["page"] for evidence in answer["evidence"]])
        for answer in result["answers"]
    ]


def test_the_docx_rendition_answers_as_the_pdf_rendition(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    dirs = {}
    for fmt, data in (("pdf", pdf_bytes()), ("docx", docx_bytes())):
        path = tmp_path / f"referat.{fmt}"
        path.write_bytes(data)
        dirs[fmt] = tmp_path / f"data-{fmt}"
        assert main(["--data", str(dirs[fmt]), "ingest", str(path), "--quiet"]) == 0
        capsys.readouterr()
    for question in QUESTIONS:
        from_pdf = _answers(dirs["pdf"], question, capsys)
        from_docx = _answers(dirs["docx"], question, capsys)
        assert from_pdf, question
        assert from_docx == from_pdf, question
    assert _answers(dirs["docx"], QUESTIONS[0], capsys)[0][:2] == ("Anne Kristin Berg", "graph:chair")
    assert _answers(dirs["docx"], QUESTIONS[4], capsys)[0] == ("1. mai 2024", "reading", [2])
    # A table row stays a row in the .docx (the PDF's layout runs the table's lines together).
    (row, *_), pdf_rows = (
        _answers(dirs[fmt], "Hvem er ansvarlig for å skrive mandat?", capsys) for fmt in ("docx", "pdf")
    )
    assert row == ("Skrive mandat | Sekretariatet | 1. juni 2024", "reading:text", [2])
    assert "Sekretariatet" in pdf_rows[0][0]

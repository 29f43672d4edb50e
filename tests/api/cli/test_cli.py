"""The hfkg command line, run in-process on real files: ingest report, documents and document JSON."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import pytest

from api.cli import main
from api.cli.output import clipped, tail, terminal_text
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
    captured = capsys.readouterr()
    out = captured.out.splitlines()
    assert "(1 earlier document now a duplicate)" in captured.err
    status = {line.split()[1].rsplit("/", 1)[-1].rstrip(":"): line.split()[0] for line in out}
    assert status["vestfold-ssu-fsu-moter-arsmelding-2023-2024.txt"] == "ingested"
    assert status["ødelagt.pdf"] == "rejected"
    assert status["tabell.xlsx"] == "rejected"
    # The PDF extract sorts first; the richer text rendition then takes over as the original.
    assert status["vestfold-handlingsplan-2023-pdfutdrag.txt"] == "ingested"
    # … and that file's report says so, under the line of the file that made it a duplicate.
    (note,) = [line for line in out if "duplikat av" in line]
    assert note.split()[0].endswith("vestfold-handlingsplan-2023-pdfutdrag.txt:")
    assert "er nå duplikat av «Handlingsplan 2023 – Helsefelleskapet i Vestfold»" in note
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
        "period_start",
        "period_end",
        "adopted",
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


def test_marks_are_bold_on_a_terminal_and_plain_elsewhere() -> None:
    snippet = "Bruk av <mark>mobil</mark> <mark>røntgen</mark> &amp; ØHD"
    assert terminal_text(snippet, tty=False) == "Bruk av mobil røntgen & ØHD"
    assert terminal_text(snippet, tty=True) == "Bruk av \x1b[1mmobil\x1b[22m \x1b[1mrøntgen\x1b[22m & ØHD"
    assert clipped("ett to tre fire", 9) == "ett to…"


def test_the_progress_bar_shows_where_a_long_name_was_cut() -> None:
    name = "corpus/vestfold-ssu-fsu-moter-arsmelding-2023-2024.txt"
    assert tail(name) == "…" + name[-39:] and len(tail(name)) == 40
    assert tail("corpus/kort.txt") == "corpus/kort.txt"


def test_ask_without_a_graph_answer_prints_no_markup(
    corpus_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(corpus_data), "ask", "mobil røntgen"]) == 0
    out = capsys.readouterr().out
    assert "Ingen svar i kunnskapsgrafen – søketreff:" in out and "røntgen" in out
    assert "<mark>" not in out and "</mark>" not in out and "\x1b[" not in out  # captured: no terminal


def test_entity_reads_its_relations_in_norwegian(
    corpus_data: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--data", str(corpus_data), "entity", "initiative/vestfold/vitality"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == "Vitality (tiltak)"
    assert "  retter seg mot Skrøpelige eldre (pasientgruppe)" in out
    assert not [line for line in out if "addresses" in line or "->" in line or "<-" in line]
    assert main(["--data", str(corpus_data), "entity", "committee/vestfold/ssu"]) == 0
    ssu = capsys.readouterr().out
    assert "  er del av Helsefellesskapet i Vestfold (helsefellesskap)" in ssu  # partOf, read from it
    assert "partOf" not in ssu


@pytest.mark.parametrize("asked", ["vitality", "vitalty", "Vitality"])
def test_an_unknown_entity_gets_the_closest_ones(
    corpus_data: Path, capsys: pytest.CaptureFixture[str], asked: str
) -> None:
    assert main(["--data", str(corpus_data), "entity", asked]) == 3
    err = capsys.readouterr().err.splitlines()
    assert err[0] == f"hfkg: no entity with id {asked!r}" and err[1] == "Mente du:"
    assert err[2].split()[0] == "initiative/vestfold/vitality"


HOLD_GRAPH = """
import sys, time
from graph.store import GraphStore
store = GraphStore.open(sys.argv[1], read_only=False)
print("holding", flush=True)
time.sleep(60)
"""


def test_serve_on_stores_another_process_holds_says_who_in_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = tmp_path / "data"
    assert main(["--data", str(data), "ingest", str(CORPUS / "vestre-viken-ringerike-orientering.txt")]) == 0
    holder = subprocess.Popen(
        [sys.executable, "-c", HOLD_GRAPH, str(data / "graph")], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None and holder.stdout.readline().strip() == "holding"
        capsys.readouterr()
        started = time.monotonic()
        assert main(["--data", str(data), "serve", "--port", "0"]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and f"in use by process {holder.pid} " in err and "stop it first" in err
        assert "Traceback" not in err and time.monotonic() - started < 60
        assert not (data / "server.json").exists()  # the claim let go
    finally:
        holder.kill()
        holder.wait()

"""Text encodings, HTML structure, and bad input that must be rejected without touching stored data."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.store import DocumentStore
from tests.conftest import CORPUS, make_ingestor, pdf_bytes

NYNORSK = (
    "Referat frå møte i Fagleg samarbeidsutval\n\n"
    "Dato/stad: 14.09.2023, Førde sentralsjukehus\n"
    "Møteleiar: Åse Kvåle\n"
    "Referent: Bjørn Sæbø\n\n"
    "Sak 12/23 Tenester til skrøpelege eldre\n"
    "Kommunane og sjukehuset drøfta korleis tenestene til skrøpelege eldre kan samordnast betre.\n"
    "Vedtak: Arbeidsgruppa held fram arbeidet og legg fram ein plan for FSU i desember.\n"
)


def _one(tmp_path: Path, path: Path, **kwargs: int) -> tuple[str, DocumentStore]:
    data = tmp_path / "data"
    (report,) = list(make_ingestor(data, **kwargs).run([path]))
    return report.status + (f": {report.reason}" if report.reason else ""), DocumentStore(data)


@pytest.mark.parametrize(
    "encoding,prefix",
    [
        ("cp1252", b""),
        ("utf-16-le", b"\xff\xfe"),
        ("utf-16-be", b"\xfe\xff"),
        ("utf-16-le", b""),
        ("utf-8", b"\xef\xbb\xbf"),
        ("latin-1", b""),
    ],
)
def test_encodings_keep_norwegian_letters(
    tmp_path: Path, write: Callable[[str, bytes], Path], encoding: str, prefix: bytes
) -> None:
    path = write("referat.txt", prefix + NYNORSK.encode(encoding))
    status, store = _one(tmp_path, path)
    assert status == "ingested"
    doc = store.document(store.summaries()[0]["doc_id"])
    assert "Kommunane og sjukehuset drøfta" in doc.text
    meeting = doc.meetings[0]
    assert (meeting.body, meeting.chair, meeting.minute_taker, meeting.date) == (
        "FSU",
        "Åse Kvåle",
        "Bjørn Sæbø",
        "2023-09-14",
    )
    (item,) = meeting.agenda_items
    assert (item.number, item.title) == ("12/23", "Tenester til skrøpelege eldre")
    assert item.conclusion.startswith("Arbeidsgruppa held fram")
    assert doc.fellesskap == "forde"


def test_html_keeps_lists_tables_and_link_text(tmp_path: Path, write: Callable[[str, bytes], Path]) -> None:
    html = """<!DOCTYPE html><html><head><title>Mandat for fagutvalg for akuttkjeden</title>
    <script>var x = "<b>ikke tekst</b>";</script><style>p {color: red}</style></head><body>
    <h1>Mandat for Fagutvalg for akuttkjeden</h1>
    <p>Fagutvalget skal bidra til en <b>sammenhengende akuttkjede</b> i
       <a href="https://example.org">Helsefellesskapet Innlandet</a>.</p>
    <h2>Sammensetning</h2>
    <ul><li>To representanter fra kommunene</li><li>To representanter fra Sykehuset Innlandet
      <ul><li>en fra prehospitale tjenester</li></ul></li></ul>
    <table><tr><th>Oppgave</th><th>Ansvar</th></tr>
    <tr><td>Utrede bruk av mobil røntgen</td><td>Fagutvalget</td></tr></table>
    </body></html>"""
    status, store = _one(tmp_path, write("mandat.html", html.encode("utf-8")))
    assert status == "ingested"
    doc = store.document(store.summaries()[0]["doc_id"])
    assert doc.doc_type == "mandat" and doc.fellesskap == "innlandet"
    assert "ikke tekst" not in doc.text and "color" not in doc.text
    assert "- To representanter fra kommunene" in doc.text
    assert "  - en fra prehospitale tjenester" in doc.text
    assert "Utrede bruk av mobil røntgen | Fagutvalget" in doc.text
    assert "Helsefellesskapet Innlandet." in doc.text
    sections = {tuple(p.section) for p in doc.passages}
    assert ("Sammensetning",) in sections  # the title heading is the document, not a section


BAD_INPUT = [
    ("tom.txt", b"", "rejected: empty file"),
    ("blank.md", b"  \n\n \t", "rejected: empty file (only white space)"),
    ("data.txt", bytes(range(256)) * 50, "rejected: binary data, not text (NUL bytes)"),
    (
        "bilde.pdf",
        b"\x89PNG\r\n\x1a\n" + b"\x00" * 100,
        "rejected: not a valid PDF file (content does not match its extension)",
    ),
    ("notat.docx", b"PK\x03\x04 not really", "rejected: corrupt or truncated Word document"),
    ("regneark.xlsx", b"PK\x03\x04 not really", "rejected: unsupported format .xlsx; supported: "),
    ("ingen-endelse", b"tekst", "rejected: unsupported format (no extension)"),
]


def test_bad_input_is_rejected_and_nothing_stored_changes(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    data = tmp_path / "data"
    good = CORPUS / "ostfold-handlingsplan-2023-2024.txt"
    (first,) = list(make_ingestor(data).run([good]))
    assert first.status == "ingested"
    before = DocumentStore(data).manifest()
    docs_before = sorted(os.listdir(data / "docs"))
    for name, content, expected in BAD_INPUT:
        (report,) = list(make_ingestor(data).run([write(name, content)]))
        assert (report.status + ": " + (report.reason or "")).startswith(expected), name
    big = write("stor.txt", ("Helsefellesskap " * 70_000).encode())
    (report,) = list(make_ingestor(data, max_file_bytes=1_048_576).run([big]))
    assert report.status == "rejected" and "over the limit of 1.0 MB" in (report.reason or "")
    assert DocumentStore(data).manifest() == before
    assert sorted(os.listdir(data / "docs")) == docs_before


def test_changed_file_replaces_its_documents_and_unchanged_does_nothing(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    data = tmp_path / "data"
    path = write("referat.txt", NYNORSK.encode())
    assert [r.status for r in make_ingestor(data).run([path])] == ["ingested"]
    store = DocumentStore(data)
    (old_id,) = [d["doc_id"] for d in store.summaries()]
    manifest = DocumentStore(data).manifest()
    assert [r.status for r in make_ingestor(data).run([path])] == ["unchanged"]
    assert DocumentStore(data).manifest() == manifest
    path.write_bytes(NYNORSK.replace("14.09.2023", "15.09.2023").encode())
    assert [r.status for r in make_ingestor(data).run([path])] == ["ingested"]
    summaries = DocumentStore(data).summaries()
    assert len(summaries) == 1 and summaries[0]["doc_id"] != old_id
    assert summaries[0]["date"] == "2023-09-15"
    assert not (data / "docs" / f"{old_id}.json").exists()
    sources = DocumentStore(data).manifest()["sources"]
    assert len(sources) == 1


def test_a_pdf_with_pages_over_the_limit_is_rejected(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    from ingest.pipeline import Ingestor

    path = write("lang.pdf", pdf_bytes([["Side med tekst om samhandling og helsefellesskap."]] * 5))
    ingestor = Ingestor(DocumentStore(tmp_path / "data"), max_file_bytes=10**8, max_pages=4)
    (report,) = list(ingestor.run([path]))
    assert report.status == "rejected" and report.reason == "PDF has 5 pages, over the limit of 4"


def test_a_table_written_with_pipes_but_no_outer_ones_is_read_as_rows() -> None:
    from ingest.readers.text import markdown_to_markup

    text = "Oversikt\nNavn | Rolle | Kommune\nAnne Li | Leder | Bø\nPer Moe | Medlem | Sauda\nA | b er ingen tabell"
    assert markdown_to_markup(text).split("\n") == [
        "Oversikt",
        "Navn\tRolle\tKommune",
        "Anne Li\tLeder\tBø",
        "Per Moe\tMedlem\tSauda",
        "A | b er ingen tabell",
    ]


def test_a_line_with_dot_leaders_is_a_label_and_its_value() -> None:
    from ingest.readers.text import markdown_to_markup

    text = "Nøkkeltall\n  Innbyggere i opptaksområdet ........ ca. 81 200\n  Antall møter . . . . . 9\nVanlig tekst."
    assert markdown_to_markup(text).split("\n") == [
        "Nøkkeltall",
        "Innbyggere i opptaksområdet\tca. 81 200",
        "Antall møter\t9",
        "Vanlig tekst.",
    ]


def test_a_saved_page_s_front_matter_gives_its_title_and_leaves_its_text() -> None:
    from ingest.readers.text import text_to_raw

    raw = text_to_raw(
        "# source: https://example.no/om-oss\n# title: Om oss – Helsefellesskapet Lister\n"
        "# note: lagret utdrag\n\nLeder: Kari Nes",
        source="x.txt",
        fmt="text",
    )
    assert raw.title == "Om oss – Helsefellesskapet Lister"
    text = raw.pages[0].text
    assert (
        text.startswith("# Om oss – Helsefellesskapet Lister")
        and "example.no" not in text
        and "lagret" not in text
    )
    assert text_to_raw("# Overskrift\n\nTekst", source="y.md", fmt="text").title is None

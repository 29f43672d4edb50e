"""Word, OpenDocument and PowerPoint files written by their own libraries: the markup each reader
makes of headings, lists, tables and bold names, the pages, and the meeting with its agenda items
that segmentation finds in the minutes, as it does in the PDF rendition."""

from __future__ import annotations

import io
import logging
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from ingest.readers.base import Limits, read_file
from ingest.store import DocumentStore
from tests.conftest import make_ingestor
from tests.ingest.readers.office_files import (
    CREATED,
    TITLE,
    Block,
    docx_bytes,
    odt_bytes,
    pdf_bytes,
    pptx_bytes,
)

WRITERS: dict[str, Callable[[], bytes]] = {
    "docx": docx_bytes,
    "odt": odt_bytes,
    "pptx": pptx_bytes,
    "pdf": pdf_bytes,
}
OFFICE = ["docx", "odt", "pptx"]


def _raw(tmp_path: Path, fmt: str, data: bytes | None = None, *, suffix: str | None = None) -> list[str]:
    path = tmp_path / f"referat.{suffix or fmt}"
    path.write_bytes(WRITERS[fmt]() if data is None else data)
    raw, _ = read_file(path, max_bytes=10**8)
    assert raw.format == fmt and raw.title == TITLE and raw.created == "2024-03-01"
    return [page.text for page in raw.pages]


@pytest.mark.parametrize("fmt", ["docx", "odt"])
def test_headings_lists_tables_and_bold_names_become_markup_page_by_page(tmp_path: Path, fmt: str) -> None:
    first, second = _raw(tmp_path, fmt)
    lines = first.split("\n\n")
    assert lines[0] == "# Referat fra møte i Strategisk samarbeidsutvalg (SSU)"
    assert "Møteleder: **Anne Kristin Berg**" in lines
    assert "## Sak 12/24 Handlingsplan for 2024" in lines
    items = [line for line in lines if line.lstrip().startswith("- ")]
    assert items == [
        "- Mobil røntgen i Horten og Holmestrand",
        "- Felles kompetanseplan for helsepersonell",
        "  - med opplæring i kommunene",
    ]
    # The explicit page break: Sak 13/24 is on page 2, its table cell by cell.
    assert second.split("\n\n")[:3] == [
        "## Sak 13/24 Fagutvalg for fastleger",
        "Fagutvalget skal gi råd om samarbeidet mellom fastlegene og sykehuset.",
        "Tiltak\tAnsvarlig\tFrist",
    ]
    assert "Skrive mandat\tSekretariatet\t1. juni 2024" in second


def test_slides_are_pages_their_titles_headings(tmp_path: Path) -> None:
    title, case12, case13 = _raw(tmp_path, "pptx")
    assert title.split("\n\n")[:3] == [
        "# Referat fra møte i Strategisk samarbeidsutvalg (SSU)",
        "Helsefellesskapet i Vestfold",
        "Dato: 29.02.2024, kl. 09.00–11.30",
    ]
    assert "Møteleder: **Anne Kristin Berg**" in title
    assert case12.split("\n\n")[0] == "## Sak 12/24 Handlingsplan for 2024"
    assert (
        "- Mobil røntgen i Horten og Holmestrand\n\n- Felles kompetanseplan for helsepersonell\n\n  - med opplæring"
        in case12
    )
    assert case13.startswith("## Sak 13/24 Fagutvalg for fastleger")
    assert "Oppnevne medlemmer\tKommunene\t1. mai 2024" in case13


@pytest.mark.parametrize("fmt", [*OFFICE, "pdf"])
def test_the_minutes_meeting_and_agenda_items_are_found_in_every_format(tmp_path: Path, fmt: str) -> None:
    path = tmp_path / f"referat.{fmt}"
    path.write_bytes(WRITERS[fmt]())
    data = tmp_path / "data"
    (report,) = list(make_ingestor(data).run([path]))
    assert report.status == "ingested", report.line()
    store = DocumentStore(data)
    (summary,) = store.summaries()
    doc = store.document(summary["doc_id"])
    assert (doc.doc_type, doc.date, doc.fellesskap) == ("referat", "2024-02-29", "vestfold")
    (meeting,) = doc.meetings
    assert (meeting.body, meeting.date, meeting.chair, meeting.minute_taker) == (
        "SSU",
        "2024-02-29",
        "Anne Kristin Berg",
        "Ola Dahl",
    )
    case12, case13 = meeting.agenda_items
    pages = {"pptx": (2, 3)}.get(fmt, (1, 2))  # a slide for each case
    assert (case12.number, case12.title, case12.page) == ("12/24", "Handlingsplan for 2024", pages[0])
    assert (case13.number, case13.title, case13.page) == ("13/24", "Fagutvalg for fastleger", pages[1])
    assert case12.conclusion == "Handlingsplanen for 2024 vedtas."
    assert (case13.conclusion or "").startswith("SSU ber kommunene oppnevne medlemmer til fagutvalget")
    assert summary["pages"] == (3 if fmt == "pptx" else 2)
    texts = {p.page: p.text for p in doc.passages if "Mobil røntgen" in p.text}
    assert list(texts) == [pages[0]]


def _docx_with_breaks(rendered: bool, explicit: bool) -> bytes:
    import docx
    from docx.oxml import OxmlElement

    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.created = CREATED
    document.add_paragraph("Første side om samhandling.")
    if explicit:
        document.add_page_break()
    paragraph = document.add_paragraph()
    if rendered:  # where Word laid out the page when it saved the file, after the explicit break
        run = paragraph.add_run()
        run._r.append(OxmlElement("w:lastRenderedPageBreak"))
    paragraph.add_run("Andre side om ")
    paragraph.add_run("helsefellesskapet").bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


@pytest.mark.parametrize(
    "rendered,explicit,pages",
    [(False, False, 1), (True, False, 2), (False, True, 2), (True, True, 2)],
)
def test_docx_pages_come_from_its_breaks_each_break_counted_once(
    tmp_path: Path, rendered: bool, explicit: bool, pages: int
) -> None:
    texts = _raw(tmp_path, "docx", _docx_with_breaks(rendered, explicit))
    assert len(texts) == pages
    assert texts[-1].endswith("Andre side om **helsefellesskapet**")


def _docm(docx: bytes) -> bytes:
    """A macro-enabled document as Word saves one: the main part's content type says so, and a VBA
    project sits beside it (here a payload that would write a file, were anything to run it)."""
    source = zipfile.ZipFile(io.BytesIO(docx))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for member in source.infolist():
            data = source.read(member)
            if member.filename == "[Content_Types].xml":
                data = data.replace(
                    b"application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml",
                    b"application/vnd.ms-word.document.macroEnabled.main+xml",
                ).replace(
                    b"</Types>",
                    b'<Default Extension="bin" ContentType="application/vnd.ms-office.vbaProject"/></Types>',
                )
            target.writestr(member, data)
        target.writestr("word/vbaProject.bin", b'Attribute VB_Name = "AutoOpen"\nShell "touch /tmp/pwned"\n')
    return out.getvalue()


def test_a_docm_is_read_as_text_and_its_macros_are_never_run(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    import docx

    data = _docm(docx_bytes())
    with pytest.raises(ValueError, match="not a Word file"):
        docx.Document(io.BytesIO(data))  # python-docx refuses it as it is
    caplog.set_level(logging.INFO, logger="ingest.readers.docx")
    first, second = _raw(tmp_path, "docx", data, suffix="docm")
    assert "## Sak 12/24 Handlingsplan for 2024" in first and "## Sak 13/24" in second
    assert "macros (word/vbaProject.bin) are not run" in caplog.text
    path = tmp_path / "referat.docm"
    path.write_bytes(data)
    (report,) = list(make_ingestor(tmp_path / "data").run([path]))
    assert report.status == "ingested", report.line()


def test_a_deck_over_the_page_limit_is_rejected_before_it_is_parsed(tmp_path: Path) -> None:
    from ingest.errors import IngestError

    path = tmp_path / "lang.pptx"
    path.write_bytes(
        pptx_bytes([[Block("heading", f"Lysbilde {n}"), Block("paragraph", "Tekst")] for n in range(5)])
    )
    with pytest.raises(IngestError, match="PowerPoint presentation has 5 slides, over the limit of 4"):
        read_file(path, max_bytes=10**8, limits=Limits(max_pages=4))
    raw, _ = read_file(path, max_bytes=10**8, limits=Limits(max_pages=5))
    assert [page.number for page in raw.pages] == [1, 2, 3, 4, 5]


@pytest.mark.parametrize("fmt,writer", [("docx", docx_bytes), ("odt", odt_bytes)])
def test_a_document_over_the_page_limit_is_rejected(
    tmp_path: Path, fmt: str, writer: Callable[..., bytes]
) -> None:
    from ingest.errors import IngestError

    path = tmp_path / f"lang.{fmt}"
    path.write_bytes(writer([[Block("paragraph", f"Side {n} om samhandling.")] for n in range(6)]))
    kind = {"docx": "Word document", "odt": "OpenDocument text"}[fmt]
    with pytest.raises(IngestError, match=f"^{kind} has more pages than the limit of 5$"):
        read_file(path, max_bytes=10**8, limits=Limits(max_pages=5))
    raw, _ = read_file(path, max_bytes=10**8, limits=Limits(max_pages=6))
    assert [page.text for page in raw.pages] == [f"Side {n} om samhandling." for n in range(6)]


def _pages_of(document: Any, path: Path) -> list[str]:
    """A document built with its library (python-docx or odfpy), saved and read: its pages' text."""
    out = io.BytesIO()
    document.save(out)
    path.write_bytes(out.getvalue())
    raw, _ = read_file(path, max_bytes=10**8)
    return [page.text for page in raw.pages]


def test_comments_and_picture_descriptions_in_an_odt_are_no_text(tmp_path: Path) -> None:
    from odf.draw import Frame, Image
    from odf.office import Annotation
    from odf.opendocument import OpenDocumentText
    from odf.svg import Desc
    from odf.text import P

    document = OpenDocumentText()
    paragraph = P(text="Kommunene deltar i prosjektet.")
    note = Annotation()
    note.addElement(P(text="Kommentar: sjekk dette"))
    paragraph.addElement(note)
    frame = Frame(width="2cm", height="2cm")
    image = Image(href="Pictures/x.png")
    frame.addElement(image)
    frame.addElement(Desc(text="Bilde av sykehuset"))
    paragraph.addElement(frame)
    document.text.addElement(paragraph)
    assert _pages_of(document, tmp_path / "kommentar.odt") == ["Kommunene deltar i prosjektet."]


def test_docx_list_levels_come_from_numbering_and_styles(tmp_path: Path) -> None:
    import docx
    from docx.oxml import parse_xml

    w = 'xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"'
    document = docx.Document()
    document.add_paragraph("Punkt i første nivå", style="List Number")
    deep = document.add_paragraph("Punkt i tredje nivå")
    deep._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {w}><w:ilvl w:val="2"/><w:numId w:val="1"/></w:numPr>')
    )
    plain = document.add_paragraph("Uten nummerering", style="List Bullet")
    plain._p.get_or_add_pPr().append(parse_xml(f'<w:numPr {w}><w:numId w:val="0"/></w:numPr>'))
    document.add_paragraph("Innholdsfortegnelse 3", style=document.styles.add_style("TOC 1", 1))
    (text,) = _pages_of(document, tmp_path / "lister.docx")
    assert text.split("\n\n") == [
        "- Punkt i første nivå",
        "    - Punkt i tredje nivå",
        "Uten nummerering",
    ]


def test_odt_pages_come_from_soft_and_hard_page_breaks_each_counted_once(tmp_path: Path) -> None:
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style
    from odf.text import P, SoftPageBreak, Span

    document = OpenDocumentText()
    new_page = Style(name="NySide", family="paragraph")
    new_page.addElement(ParagraphProperties(breakbefore="page"))
    document.automaticstyles.addElement(new_page)
    document.text.addElement(P(text="Side en."))
    document.text.addElement(SoftPageBreak())  # where LibreOffice laid out page 2, at a hard break
    document.text.addElement(P(stylename=new_page, text="Side to, etter et sideskift."))
    split = P(text="Et avsnitt som starter på side to")
    split.addElement(SoftPageBreak())
    split.addElement(Span(text="og fortsetter på side tre."))
    document.text.addElement(split)
    assert _pages_of(document, tmp_path / "sider.odt") == [
        "Side en.",
        "Side to, etter et sideskift.\n\nEt avsnitt som starter på side to",
        "og fortsetter på side tre.",
    ]

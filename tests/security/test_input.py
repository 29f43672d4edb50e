"""Hostile input (issue 10, items 7, 8, 9 and 16): each file is ingested or rejected with its reason in
bounded time, never an internal error, and a bad file in a folder never stops the rest."""

from __future__ import annotations

import io
import json
import logging
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (
    ArrayObject,
    DictionaryObject,
    NameObject,
    NumberObject,
    StreamObject,
    TextStringObject,
)

from api.cli import main
from bench.normalise import hard_wrapped_text
from ingest.normalise import normalise
from ingest.pipeline import Ingestor
from ingest.readers.text import text_to_raw
from ingest.store import DocumentStore
from tests.conftest import make_ingestor, pdf_bytes


def _helvetica(writer: PdfWriter) -> DictionaryObject:
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type1"),
            NameObject("/BaseFont"): NameObject("/Helvetica"),
        }
    )


def _pdf(pages: list[bytes], font: Callable[[PdfWriter], DictionaryObject] = _helvetica) -> bytes:
    """Raw PDF bytes whose pages draw the given content streams with ``font`` as /F1; pages given the
    same bytes object share one stream object, as a hostile file's pages can."""
    writer = PdfWriter()
    font_ref = writer._add_object(font(writer))
    streams: dict[int, object] = {}  # by id(): equal bytes objects share one stream
    for content in pages:
        if id(content) not in streams:
            stream = StreamObject()
            stream._data = zlib.compress(content, 9)
            stream[NameObject("/Filter")] = NameObject("/FlateDecode")
            streams[id(content)] = writer._add_object(stream)
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Contents")] = streams[id(content)]
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})}
        )
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_ops(lines: list[bytes]) -> bytes:
    return b"".join(
        b"BT /F1 10 Tf 50 %d Td (%s) Tj ET\n" % (800 - 12 * (i % 64), line) for i, line in enumerate(lines)
    )


# -- item 7: normalisation linear in its input; PDF content bounded before layout extraction ----


def _normalise_seconds(size: int) -> float:
    raw = text_to_raw(hard_wrapped_text(size), source="x", fmt="text")
    assert raw.hard_wrapped
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        normalise(raw)
        best = min(best, time.perf_counter() - start)
    return best


def test_normalising_a_hard_wrapped_text_without_sentence_ends_is_linear() -> None:
    small, large = _normalise_seconds(40_000), _normalise_seconds(320_000)
    # Eight times the text: linear work takes about 8x, the quadratic join took 64x (4.5 s here).
    assert large < 24 * small + 0.05, (small, large)


def test_pdf_whose_pages_share_one_huge_content_stream_is_refused_before_layout(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    line = b"samhandling mellom kommunene og sykehuset om pasientforloep for eldre"
    shared = _text_ops([line] * (1_048_576 // 90))
    path = write("delt.pdf", _pdf([shared] * 40))
    assert path.stat().st_size < 20_000  # 10 KB that draws 40 MB of page content
    start = time.monotonic()
    (report,) = list(make_ingestor(tmp_path / "data").run([path]))
    assert time.monotonic() - start < 10
    assert report.status == "rejected", report.line()
    assert "content" in (report.reason or "") and "HFKG_MAX_PDF_CONTENT_MB" in (report.reason or "")


def test_pdf_page_over_the_page_content_limit_is_refused(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    words = b"tjenester i helsefellesskapet for pasienter med behov for koordinerte tjenester"
    path = write("tung.pdf", _pdf([_text_ops([words] * 20), _text_ops([words] * 400)]))
    ingestor = Ingestor(DocumentStore(tmp_path / "data"), max_file_bytes=10**8, max_page_content_bytes=20_000)
    (report,) = list(ingestor.run([path]))
    assert report.status == "rejected", report.line()
    assert (report.reason or "").startswith("PDF page 2 draws ")
    assert "HFKG_MAX_PDF_PAGE_MB" in (report.reason or "")


# -- item 8: texts over spaCy's max_length ------------------------------------------------------


def test_text_over_a_million_characters_without_sentence_ends_is_ingested(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    text = "Samarbeid om tjenester i Drammen kommune\n\n" + hard_wrapped_text(1_050_000)
    path = write("lang.txt", text.encode())
    (report,) = list(make_ingestor(tmp_path / "data").run([path]))
    assert report.status == "ingested", report.line()
    doc = DocumentStore(tmp_path / "data").document(report.doc_ids[0])
    assert len(doc.text) > 1_000_000
    assert all(doc.text[p.start : p.end] == p.text for p in doc.passages)
    assert max(len(p.text) for p in doc.passages) <= 3000  # cut at word boundaries, not left whole


def test_extraction_reads_a_text_over_max_length_in_chunks_with_its_offsets() -> None:
    from ingest.extract import Extractor
    from ingest.model import Document, Passage

    extractor = Extractor()
    extractor.nlp.max_length = 2_000
    cell = " ".join(["samhandling om tjenester"] * 300)
    text = f"Tiltak | {cell} | Drammen kommune og Lier kommune"
    passage = Passage(
        passage_id="d-p0001",
        doc_id="d",
        page=1,
        section=[],
        text=text,
        start=0,
        end=len(text),
        kind="table_row",
    )
    doc = Document(
        doc_id="d", title="Plan", doc_type="handlingsplan", source="x", text=text, passages=[passage]
    )
    extractor.extract(doc)
    found = {text[m.start : m.end] for m in doc.mentions}
    assert {"Drammen", "Lier"} <= found
    assert all(text[m.start : m.end] == m.text for m in doc.mentions)


# -- item 9: symlink loops in a folder ----------------------------------------------------------


@pytest.fixture
def looping_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "in"
    (folder / "b").mkdir(parents=True)
    (folder / "a.txt").write_text("Referat fra møte i SSU om samhandling og tjenester i Drammen kommune.\n")
    (folder / "b" / "c.txt").write_text("Handlingsplan for helsefellesskapet med tiltak for eldre i Lier.\n")
    (folder / "z.txt").write_text("Årsmelding for samarbeidsutvalget om tjenester for barn og unge.\n")
    os.symlink("..", folder / "b" / "opp")  # a folder loop
    os.symlink("selv", folder / "selv")  # a link that points at itself
    os.symlink("a.txt", folder / "lenke-til-a.txt")  # the same real file twice
    return folder


def test_a_symlink_loop_in_a_folder_is_skipped_and_every_other_file_read(
    tmp_path: Path, looping_folder: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        reports = list(make_ingestor(tmp_path / "data").run([looping_folder]))
    by_name = {Path(r.path).name: r for r in reports}
    assert {name: r.status for name, r in by_name.items()} == {
        "a.txt": "ingested",
        "c.txt": "ingested",
        "z.txt": "ingested",
        "selv": "rejected",
    }
    assert (by_name["selv"].reason or "").startswith("symbolic link loop")
    assert any("loop" in record.getMessage() for record in caplog.records)


def test_hfkg_ingest_of_a_folder_with_a_symlink_loop_exits_0(
    tmp_path: Path, looping_folder: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("HFKG_DATA", str(tmp_path / "data"))
    assert main(["ingest", str(looping_folder)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert sorted(line.split()[0] for line in out) == ["ingested", "ingested", "ingested", "rejected"]


def test_a_folder_with_a_symlink_loop_handed_to_a_running_server_is_ingested(
    tmp_path: Path, looping_folder: Path
) -> None:
    from tests.security.running_server import cli, serving

    data = tmp_path / "data"
    with serving(data):
        done = cli(data, "ingest", "--json", str(looping_folder))
    assert done.returncode == 0, done.stderr
    assert "handing the files to it" in done.stderr and "Traceback" not in done.stderr
    reports = [json.loads(line) for line in done.stdout.splitlines()]
    assert sorted((Path(r["path"]).name, r["status"]) for r in reports) == [
        ("a.txt", "ingested"),
        ("c.txt", "ingested"),
        ("selv", "rejected"),
        ("z.txt", "ingested"),
    ]


# -- item 16: garbage text layers ---------------------------------------------------------------


def _identity_h_font(writer: PdfWriter) -> DictionaryObject:
    """A Type0 font with Identity-H encoding and no ToUnicode map: its codes are glyph ids, not letters."""
    cid_font = DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/CIDFontType2"),
            NameObject("/BaseFont"): NameObject("/ABCDEF+Calibri"),
            NameObject("/DW"): NumberObject(500),
            NameObject("/CIDSystemInfo"): DictionaryObject(
                {
                    NameObject("/Registry"): TextStringObject("Adobe"),
                    NameObject("/Ordering"): TextStringObject("Identity"),
                    NameObject("/Supplement"): NumberObject(0),
                }
            ),
        }
    )
    return DictionaryObject(
        {
            NameObject("/Type"): NameObject("/Font"),
            NameObject("/Subtype"): NameObject("/Type0"),
            NameObject("/BaseFont"): NameObject("/ABCDEF+Calibri"),
            NameObject("/Encoding"): NameObject("/Identity-H"),
            NameObject("/DescendantFonts"): ArrayObject([writer._add_object(cid_font)]),
        }
    )


def _glyph_ops(lines: int) -> bytes:
    # "Samhandling mellom kommunene" as the glyph ids of a subset font, words positioned apart (no space glyph).
    words = [
        b"<003600440050004B00440051004700520051004A>",
        b"<00500048004F004F00520050>",
        b"<004E00520050005000580051004800510048>",
    ]
    body = b"".join(b"[%s -250 %s -250 %s] TJ " % tuple(words) for _ in range(3))
    return b"".join(b"BT /F1 11 Tf 50 %d Td %s ET\n" % (800 - 14 * i, body) for i in range(lines))


def test_pdf_with_unmapped_identity_h_glyphs_is_rejected_as_no_usable_text_layer(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    path = write("glyfer.pdf", _pdf([_glyph_ops(30), _glyph_ops(30)], font=_identity_h_font))
    (report,) = list(make_ingestor(tmp_path / "data").run([path]))
    assert report.status == "rejected", report.line()
    assert (report.reason or "").startswith("no usable text layer")


def test_pdf_whose_text_is_literal_cid_codes_is_rejected(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    line = "(cid:54)(cid:68)(cid:80)(cid:75)(cid:68)(cid:81)(cid:71)(cid:79)(cid:76)(cid:81)(cid:74) (cid:80)(cid:72)"
    path = write("cid.pdf", pdf_bytes([[line] * 30, [line] * 30]))
    (report,) = list(make_ingestor(tmp_path / "data").run([path]))
    assert report.status == "rejected", report.line()
    assert (report.reason or "").startswith("no usable text layer")
    assert not (tmp_path / "data" / "docs").exists() or not list((tmp_path / "data" / "docs").iterdir())


def test_one_garbage_page_among_readable_pages_is_left_out(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    first = [
        "Referat fra møte i Strategisk samarbeidsutvalg (SSU) i Telemark",
        "",
        "Sak 2024.11 Status for samhandlingsavvik mellom kommunene og sykehuset.",
        "Vedtak: Orienteringen tas til etterretning.",
    ]
    last = [
        "Sak 2024.12 Mobil røntgen i sykehjem",
        "Sykehuset orienterte om erfaringene i Porsgrunn.",
        "Vedtak: SSU ber om en plan for utvidelse til flere kommuner i 2025.",
    ]
    garbage = [
        "(cid:54)(cid:68)(cid:80)(cid:75)(cid:68)(cid:81)(cid:71)(cid:79)(cid:76)(cid:81)(cid:74)"
    ] * 20
    path = write("blandet.pdf", pdf_bytes([first, garbage, last]))
    (report,) = list(make_ingestor(tmp_path / "data").run([path]))
    assert report.status == "ingested", report.line()
    doc = DocumentStore(tmp_path / "data").document(report.doc_ids[0])
    assert "cid:" not in doc.text and "samhandlingsavvik" in doc.text and "røntgen" in doc.text


def test_a_named_pipe_handed_to_a_running_server_is_rejected_not_waited_on(tmp_path: Path) -> None:
    from tests.security.running_server import cli, serving

    pipe = tmp_path / "rør.txt"
    os.mkfifo(pipe)
    data = tmp_path / "data"
    with serving(data):
        done = cli(data, "ingest", "--json", str(pipe), timeout=60)
    assert done.returncode == 0, done.stderr
    (report,) = [json.loads(line) for line in done.stdout.splitlines()]
    assert report["status"] == "rejected" and "regular file" in report["reason"]

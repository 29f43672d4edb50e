"""OCR on real scans the tests make: minutes laid out with fpdf2, rendered by pypdfium2 at 200 dpi,
specked and turned a little with Pillow, wrapped as an image-only PDF (bench/ocr.py's functions), and
read by the real Tesseract with its Norwegian model (scripts/install-ocr.sh)."""

from __future__ import annotations

import io
import re
import stat
from collections.abc import Callable
from pathlib import Path

import pytest

from api.settings import Settings
from bench.ocr import Page, cer, image_pdf, page_images, scan_pdf, source_text, text_pdf
from ingest.model import Document
from ingest.pipeline import Ingestor
from ingest.readers.base import Limits
from ingest.readers.ocr import OcrOptions
from ingest.readers.pdf import PdfReader
from ingest.store import DocumentStore
from tests.conftest import pdf_bytes

MINUTES: list[Page] = [
    [
        ("title", "Referat fra møte i Strategisk samarbeidsutvalg"),
        ("text", "Dato/sted: 14.03.2024, kl. 09.00-11.30, Tønsberg rådhus"),
        ("text", "Møteleder: Kari Nordmann"),
        ("text", "Referent: Ola Hansen"),
        ("heading", "Sak 12/24 Godkjenning av innkalling og dagsorden"),
        ("text", "Vedtak: Innkalling og dagsorden godkjennes."),
        ("heading", "Sak 13/24 Felles plan for utskrivning av skrøpelige eldre"),
        (
            "text",
            (
                "Arbeidsgruppen har gått gjennom erfaringene fra kommunene og sykehuset med utskrivning "
                "av skrøpelige eldre pasienter. Gruppen foreslår felles rutiner for varsling før "
                "utskrivning og tydelig ansvar for oppfølging den første uken hjemme."
            ),
        ),
        ("text", "Vedtak: Utvalget slutter seg til forslaget og ber sekretariatet følge opp."),
    ],
    [
        ("heading", "Sak 14/24 Orientering om økonomi"),
        ("text", "Fordelingen av kostnadene mellom kommunene følger innbyggertallet:"),
        ("row", "Kommune\tInnbyggere\tAndel"),
        ("row", "Tønsberg\t58 000\t32 %"),
        ("row", "Færder\t27 000\t15 %"),
        ("text", "Konklusjon: Orienteringen tas til etterretning."),
    ],
]


@pytest.fixture(scope="module")
def minutes_pdf() -> bytes:
    return text_pdf(MINUTES)


@pytest.fixture(scope="module")
def minutes_scan(minutes_pdf: bytes) -> bytes:
    return scan_pdf(minutes_pdf)


def _ingest(data: Path, path: Path, **settings: object) -> tuple[str, DocumentStore]:
    limits = Settings(**settings).ingest_limits()  # type: ignore[arg-type]
    (report,) = list(Ingestor(DocumentStore(data), **limits).run([path]))
    return f"{report.status}: {report.reason}" if report.reason else report.status, DocumentStore(data)


def _only(store: DocumentStore) -> Document:
    [summary] = store.summaries()
    doc = store.document(summary["doc_id"])
    assert doc is not None
    return doc


def test_a_scan_is_read_page_by_page_near_its_source_text(minutes_scan: bytes) -> None:
    raw = PdfReader().read(Path("skannet.pdf"), minutes_scan)
    assert [p.number for p in raw.pages] == [1, 2]
    for page, source in zip(raw.pages, MINUTES, strict=True):
        assert cer(source_text(source), page.text) <= 0.03, page.text
        assert page.ocr_confidence is not None and page.ocr_confidence > 80
    first, second = raw.pages
    assert first.text.startswith("# Referat fra møte i Strategisk samarbeidsutvalg\n")
    # A paragraph per Tesseract paragraph, its lines as set: the long one wraps over three lines.
    assert "\n\nArbeidsgruppen har gått gjennom" in first.text
    # The ruled table's rows as tab-separated cells, the rules not read as letters.
    assert "Kommune\tInnbyggere\tAndel" in second.text
    assert "Tønsberg\t58 000\t32 %" in second.text.replace("32%", "32 %")


def _framed(images: list[object]) -> bytes:
    """A scan with a frame drawn round it on the page: no longer the page's only object, so drawn."""
    from fpdf import FPDF

    pdf = FPDF()
    pdf.add_page()
    pdf.image(images[0], x=10, y=10, w=190)
    pdf.rect(5, 5, 200, 287)
    return bytes(pdf.output())


@pytest.mark.parametrize("kind", ["colour", "framed"])
def test_a_colour_scan_and_a_scan_drawn_with_more_are_read_as_well(minutes_pdf: bytes, kind: str) -> None:
    images = page_images(minutes_pdf)[:1]
    if kind == "colour":  # pdfium gives its pixels as BGR, turned to RGB for Tesseract
        data = image_pdf([image.convert("RGB") for image in images])
    else:
        data = _framed(images)
    [page] = PdfReader().read(Path(f"{kind}.pdf"), data).pages
    assert cer(source_text(MINUTES[0]), page.text) <= 0.03, page.text
    assert page.ocr_confidence is not None and page.ocr_confidence > 80


def test_the_scanned_minutes_give_the_agenda_items_of_the_pdf(
    tmp_path: Path, write: Callable[[str, bytes], Path], minutes_pdf: bytes, minutes_scan: bytes
) -> None:
    status, store = _ingest(tmp_path / "pdf", write("referat.pdf", minutes_pdf))
    assert status == "ingested"
    born_digital = _only(store)
    status, store = _ingest(tmp_path / "scan", write("referat-skannet.pdf", minutes_scan))
    assert status == "ingested"
    scanned = _only(store)

    def items(doc: Document) -> list[tuple[str | None, int]]:
        return [(item.number, item.page) for item in doc.agenda_items]

    assert items(scanned) == items(born_digital) == [("12/24", 1), ("13/24", 1), ("14/24", 2)]
    assert [i.title for i in scanned.agenda_items] == [i.title for i in born_digital.agenda_items]
    assert scanned.meetings[0].chair == born_digital.meetings[0].chair == "Kari Nordmann"
    assert sorted({p.page for p in scanned.passages}) == [1, 2]
    assert [p["page"] for p in scanned.ocr_pages] == [1, 2]
    assert all(p["confidence"] > 80 for p in scanned.ocr_pages)
    assert born_digital.ocr_pages == []


FIRST = [
    "Handlingsplan for Helsefellesskapet i Vestfold 2024",
    "",
    "Planen beskriver hvordan kommunene og sykehuset skal samarbeide om utskrivning.",
]
LAST = ["Planen ble vedtatt i partnerskapsmøtet og gjelder fra 1. januar 2024."]


def _mixed(minutes_pdf: bytes) -> bytes:
    """A born-digital PDF whose page 2 of 3 is a scan (a signed page put back in)."""
    from pypdf import PdfReader as Pdf
    from pypdf import PdfWriter

    text = Pdf(io.BytesIO(pdf_bytes([FIRST, [], LAST])))
    scanned = Pdf(io.BytesIO(scan_pdf(minutes_pdf)))
    writer = PdfWriter()
    writer.add_page(text.pages[0])
    writer.add_page(scanned.pages[1])
    writer.add_page(text.pages[2])
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_a_scanned_page_in_a_born_digital_pdf_is_read_by_ocr(minutes_pdf: bytes) -> None:
    raw = PdfReader().read(Path("blandet.pdf"), _mixed(minutes_pdf))
    assert [p.ocr_confidence is not None for p in raw.pages] == [False, True, False]
    assert raw.pages[0].text.startswith(FIRST[0]) and raw.pages[0].text.endswith(FIRST[2])
    assert raw.pages[2].text == LAST[0]
    assert "Sak 14/24 Orientering om økonomi" in raw.pages[1].text
    assert cer(source_text(MINUTES[1]), raw.pages[1].text) <= 0.03


def test_without_tesseract_a_scan_is_rejected_and_a_mixed_file_keeps_its_text(
    tmp_path: Path, write: Callable[[str, bytes], Path], minutes_pdf: bytes, minutes_scan: bytes
) -> None:
    missing = str(tmp_path / "no-such-tesseract")
    status, store = _ingest(tmp_path / "data", write("skannet.pdf", minutes_scan), tesseract=missing)
    assert status.startswith("rejected: no text layer, and OCR is not available: Tesseract (")
    assert "scripts/install-ocr.sh" in status
    assert store.summaries() == []
    # A file with text besides its scanned page: read without that page, as before OCR.
    store.close()
    status, store = _ingest(tmp_path / "data2", write("blandet.pdf", _mixed(minutes_pdf)), tesseract=missing)
    assert status == "ingested"
    doc = _only(store)
    assert doc.ocr_pages == [] and doc.pages == 2  # pages 1 and 3
    assert FIRST[2] in doc.text and LAST[0] in doc.text and "økonomi" not in doc.text


def test_tesseract_without_the_norwegian_model_rejects_a_scan(
    tmp_path: Path, write: Callable[[str, bytes], Path], minutes_scan: bytes
) -> None:
    # A real Tesseract install that has only English: a command that lists what it has.
    english_only = tmp_path / "tesseract-eng"
    english_only.write_text('#!/bin/sh\necho "List of available languages in /x/ (1):"\necho eng\n')
    english_only.chmod(english_only.stat().st_mode | stat.S_IEXEC)
    status, store = _ingest(
        tmp_path / "data", write("skannet.pdf", minutes_scan), tesseract=str(english_only)
    )
    assert status.startswith("rejected: no text layer, and OCR is not available:")
    assert "has no Norwegian model (nor); install tesseract-ocr-nor" in status
    assert store.summaries() == []


def _state(data: Path) -> tuple[object, dict[str, bytes]]:
    """The store's manifest and its files (this ingest has no index or graph)."""
    store = DocumentStore(data)
    try:
        manifest = store.manifest()
    finally:
        store.close()
    files = {p.name: p.read_bytes() for p in sorted((data / "docs").rglob("*")) if p.is_file()}
    return manifest, files


def _long_scan(pages: int) -> bytes:
    """A scan of ``pages`` pages, each the same image (the PDF holds it once)."""
    from fpdf import FPDF

    image = page_images(pdf_bytes([["Side fra en lang skannet saksmappe om samhandling og utskrivning."]]))[0]
    pdf = FPDF()
    for _ in range(pages):
        pdf.add_page()
        pdf.image(image, x=0, y=0, w=210)
    return bytes(pdf.output())


def test_a_500_page_scan_is_bounded_by_the_page_limit_and_the_time_a_page(
    tmp_path: Path, write: Callable[[str, bytes], Path], minutes_pdf: bytes
) -> None:
    data = tmp_path / "data"
    status, store = _ingest(data, write("referat.pdf", minutes_pdf))
    assert status == "ingested"
    store.close()
    before = _state(data)
    long_scan = write("saksmappe.pdf", _long_scan(500))
    status, store = _ingest(data, long_scan, HFKG_MAX_PAGES=100)
    assert status == "rejected: PDF has 500 pages, over the limit of 100"
    store.close()
    status, store = _ingest(data, long_scan, HFKG_OCR_PAGE_SECONDS=0.05)
    assert status == (
        "rejected: OCR of PDF page 1 took over 0.05 s, the limit a page (HFKG_OCR_PAGE_SECONDS sets it)"
    )
    store.close()
    assert _state(data) == before


def test_ocr_settings_reach_the_reader() -> None:
    limits = Settings(
        HFKG_TESSERACT="/opt/t/tesseract", HFKG_OCR_DPI="250", HFKG_OCR_PAGE_SECONDS="5"
    ).ingest_limits()
    assert limits["ocr"] == OcrOptions(tesseract="/opt/t/tesseract", dpi=250, page_seconds=5.0)
    assert Limits().ocr == OcrOptions("tesseract", 300, 60.0)


def test_the_document_page_says_which_pages_ocr_read(tmp_path: Path, minutes_scan: bytes) -> None:
    from fastapi.testclient import TestClient

    from api.app import create_app
    from api.services import Services

    source = tmp_path / "in" / "referat-skannet.pdf"
    source.parent.mkdir()
    source.write_bytes(minutes_scan)
    settings = Settings(data_dir=tmp_path / "data")
    with Services(settings, write=True) as services:
        (report,) = list(services.ingestor().run([source]))
    assert report.status == "ingested"
    with TestClient(create_app(settings)) as client:
        html = client.get(f"/dokumenter/{report.doc_ids[0]}").text
        detail = client.get(f"/documents/{report.doc_ids[0]}").json()
    notes = re.findall(r'<span class="ocr-note">side (\d) lest med OCR, sikkerhet (\d+) %</span>', html)
    assert [page for page, _ in notes] == ["1", "2"]
    assert all(80 < int(confidence) <= 100 for _, confidence in notes)
    assert re.search(r"<dt>Lest med OCR</dt><dd>side 1 lest med OCR, sikkerhet \d+ %; side 2 ", html)
    # The JSON says the same: each page OCR read, with its mean confidence.
    assert [p["page"] for p in detail["ocr_pages"]] == [1, 2]
    assert all(80 < p["confidence"] <= 100 for p in detail["ocr_pages"])

"""Shared fixtures: the bundled corpus ingested once into a real data directory, and PDF builders."""

from __future__ import annotations

import io
from collections.abc import Callable
from pathlib import Path

import pytest

from ingest.pipeline import Ingestor
from ingest.store import DocumentStore

ROOT = Path(__file__).resolve().parent.parent
CORPUS = ROOT / "corpus"


def make_ingestor(data_dir: Path, *, max_file_bytes: int = 50 * 1_048_576) -> Ingestor:
    return Ingestor(DocumentStore(data_dir), max_file_bytes=max_file_bytes)


@pytest.fixture(scope="session")
def corpus_dir() -> Path:
    return CORPUS


@pytest.fixture(scope="session")
def corpus_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The bundled corpus ingested once, for real, into manifest, search index and graph."""
    from api.services import Services
    from api.settings import Settings

    data = tmp_path_factory.mktemp("corpus-data")
    with Services(Settings(data_dir=data), write=True) as services:
        reports = list(services.ingestor().run([CORPUS]))
    assert all(r.status in ("ingested", "duplicate") for r in reports), [r.line() for r in reports]
    return data


@pytest.fixture(scope="session")
def corpus_store(corpus_data: Path) -> DocumentStore:
    return DocumentStore(corpus_data)


@pytest.fixture(scope="session")
def corpus_services(corpus_data: Path):  # type: ignore[no-untyped-def]
    """Read-only services (search index, graph) on the ingested corpus."""
    from api.services import Services
    from api.settings import Settings

    with Services(Settings(data_dir=corpus_data)) as services:
        yield services


def pdf_bytes(
    pages: list[list[str]], *, title: str | None = None, header: str | None = None, footer: bool = False
) -> bytes:
    """A real PDF with one text line per entry, one list per page; optional running header/footer."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    if title:
        pdf.set_title(title)
    total = len(pages)
    for number, lines in enumerate(pages, start=1):
        pdf.add_page()
        pdf.set_font("Helvetica", size=11)
        if header:
            pdf.set_xy(15, 10)
            pdf.cell(0, 6, header)
        y = 25
        for line in lines:
            pdf.set_xy(15, y)
            pdf.cell(0, 6, line)
            y += 6
        if footer:
            pdf.set_xy(15, 280)
            pdf.cell(0, 6, f"Side {number} av {total}")
    return bytes(pdf.output())


def encrypt(data: bytes, *, user_password: str) -> bytes:
    from pypdf import PdfReader, PdfWriter

    writer = PdfWriter(clone_from=PdfReader(io.BytesIO(data)))
    writer.encrypt(user_password=user_password, owner_password="eier-passord", algorithm="AES-256")
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def image_only_pdf() -> bytes:
    from fpdf import FPDF
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (600, 300), "white")
    ImageDraw.Draw(image).text((20, 20), "Skannet referat", fill="black")
    pdf = FPDF()
    pdf.add_page()
    pdf.image(image, x=10, y=10, w=180)
    return bytes(pdf.output())


@pytest.fixture
def write(tmp_path: Path) -> Callable[[str, bytes], Path]:
    folder = tmp_path / "in"
    folder.mkdir()

    def _write(name: str, data: bytes) -> Path:
        path = folder / name
        path.write_bytes(data)
        return path

    return _write

"""OCR of PDF pages without a text layer: each page's image from pypdfium2 (its scan as scanned, or
drawn: :mod:`ingest.readers.ocr_image`) read by the Tesseract CLI with the Norwegian model; the words'
blocks, paragraphs and lines back to the reader's light markup (:mod:`ingest.readers.ocr_layout`), and
the page's mean word confidence kept.

The CLI, not pytesseract: the page goes to ``tesseract stdin stdout … tsv`` as a PNM through a pipe,
where pytesseract writes a PNG to a temporary file and reads the result back from another
(bench/ocr.py measures the reader against the bare CLI, and pytesseract beside it).
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass

from ingest.errors import IngestError
from ingest.readers.ocr_image import page_image
from ingest.readers.ocr_layout import mean_confidence, page_markup, parse_tsv

LANGUAGE = "nor"


@dataclass(frozen=True, slots=True)
class OcrOptions:
    """How pages without a text layer are read (HFKG_TESSERACT, HFKG_OCR_DPI, HFKG_OCR_PAGE_SECONDS)."""

    tesseract: str = "tesseract"  # the command, or its path
    dpi: int = 300
    page_seconds: float = 60.0  # rendering and reading one page; over it the file is rejected


class OcrUnavailable(IngestError):
    """Tesseract, or its Norwegian model, is not installed."""


class OcrTimeout(IngestError):
    """One page took longer to read than HFKG_OCR_PAGE_SECONDS allows."""


@dataclass(frozen=True, slots=True)
class OcrPage:
    text: str
    confidence: float | None  # Tesseract's mean word confidence, 0-100


# The commands found with their Norwegian model: asked once a process. What is missing is asked
# again at the next scan, so that installing Tesseract needs no restart of a running server.
_READY: set[str] = set()


def check_tesseract(options: OcrOptions) -> None:
    """Raise :class:`OcrUnavailable` with what is missing: the command, or its ``nor`` model."""
    if options.tesseract in _READY:
        return
    problem = _missing(options.tesseract)
    if problem:
        raise OcrUnavailable(problem)
    _READY.add(options.tesseract)


def _missing(command: str) -> str | None:
    try:
        out = subprocess.run(
            [command, "--list-langs"], capture_output=True, text=True, timeout=30, check=False
        )
    except (OSError, subprocess.SubprocessError) as exc:
        return (
            f"no text layer, and OCR is not available: Tesseract ({command}) cannot be run ({exc}); "
            "scripts/install-ocr.sh installs it (HFKG_TESSERACT names the command)"
        )
    if LANGUAGE not in out.stdout.split():
        return (
            f"no text layer, and OCR is not available: Tesseract ({command}) has no Norwegian model "
            f"({LANGUAGE}); install tesseract-ocr-nor (scripts/install-ocr.sh)"
        )
    return None


def read_scans(data: bytes, candidates: list[int], options: OcrOptions) -> dict[int, OcrPage]:
    """Of the pages ``candidates`` (1-based; pages without a text layer), those that draw anything
    (a scanned image, or text as outlines) read by OCR; a blank page is left as it is."""
    import pypdfium2 as pdfium  # type: ignore[import-untyped]

    try:
        document = pdfium.PdfDocument(data)
    except pdfium.PdfiumError as exc:
        raise IngestError(f"corrupt PDF: its pages without text cannot be rendered for OCR: {exc}") from exc
    try:
        drawn = [number for number in candidates if _draws(document, number)]
        if drawn:
            check_tesseract(options)
        return {number: _read_page(document, number, options) for number in drawn}
    finally:
        document.close()


def _draws(document: object, number: int) -> bool:
    import pypdfium2.raw as pdfium_c  # type: ignore[import-untyped]

    page = document[number - 1]  # type: ignore[index]
    try:
        return bool(pdfium_c.FPDFPage_CountObjects(page.raw))
    finally:
        page.close()


def _read_page(document: object, number: int, options: OcrOptions) -> OcrPage:
    started = time.monotonic()
    image, dpi = page_image(document, number, options.dpi)
    left = options.page_seconds - (time.monotonic() - started)
    return read_image(image, options, dpi=dpi, timeout=left, number=number)


def read_image(image: bytes, options: OcrOptions, *, dpi: int, timeout: float, number: int = 1) -> OcrPage:
    """One page image at ``dpi`` read by Tesseract (in any format it reads: PNM, PNG, TIFF …)."""
    command = [options.tesseract, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(dpi), "tsv"]
    # One thread a page: pages (and files) are what runs in parallel, and OpenMP's threads only
    # contend for the same cores (a no-op where Tesseract is built without OpenMP, as Debian's is).
    env = {**os.environ, "OMP_THREAD_LIMIT": "1"}
    try:
        out = subprocess.run(
            command, input=image, capture_output=True, timeout=max(timeout, 0.001), check=False, env=env
        )
    except subprocess.TimeoutExpired as exc:
        raise OcrTimeout(
            f"OCR of PDF page {number} took over {options.page_seconds:g} s, the limit a page "
            "(HFKG_OCR_PAGE_SECONDS sets it)"
        ) from exc
    except OSError as exc:
        raise OcrUnavailable(f"OCR failed: Tesseract ({options.tesseract}) cannot be run: {exc}") from exc
    if out.returncode != 0:
        said = out.stderr.decode("utf-8", "replace").strip().splitlines()
        raise IngestError(f"OCR of PDF page {number} failed: {said[-1] if said else out.returncode}")
    words = parse_tsv(out.stdout.decode("utf-8", "replace"))
    return OcrPage(page_markup(words), mean_confidence(words))

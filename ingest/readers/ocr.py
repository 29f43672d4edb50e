"""OCR of PDF pages without a text layer: each page rendered by pypdfium2 and read by the Tesseract CLI
with the Norwegian model; the words' blocks, paragraphs and lines back to the reader's light markup
(:mod:`ingest.readers.ocr_layout`), and the page's mean word confidence kept.

The CLI, not pytesseract: the rendered page goes to ``tesseract stdin stdout … tsv`` as a PGM through
a pipe, where pytesseract writes a PNG to a temporary file and reads the result back from another
(bench/ocr.py measures the reader against the bare CLI).
"""

from __future__ import annotations

import os
import subprocess
import time
from dataclasses import dataclass

from ingest.errors import IngestError
from ingest.readers.ocr_layout import mean_confidence, page_markup, parse_tsv

# A page rendered at the configured resolution over this many pixels is rendered smaller: A4 at
# 300 dpi is 8.7 million; a page drawn 5 m wide would otherwise ask for gigabytes.
MAX_PIXELS = 40_000_000
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
    image = render_page(document, number, options.dpi)
    left = options.page_seconds - (time.monotonic() - started)
    return read_image(image, options, timeout=left, number=number)


def render_page(document: object, number: int, dpi: int) -> bytes:
    """Page ``number`` as an 8-bit grey PGM image at ``dpi``, or at the resolution of the scan it
    shows where that is less (a 200 dpi scan drawn at 300 dpi only blurs its letters and its specks
    into each other), and less for a page over MAX_PIXELS."""
    page = document[number - 1]  # type: ignore[index]
    try:
        width, height = page.get_size()
        scale = min(dpi, _scan_dpi(page) or dpi) / 72
        if width * height * scale * scale > MAX_PIXELS:
            scale = (MAX_PIXELS / (width * height)) ** 0.5
        bitmap = page.render(scale=scale, grayscale=True)  # one byte a pixel (pdfium's grey format)
    finally:
        page.close()
    columns, rows, stride = bitmap.width, bitmap.height, bitmap.stride
    raw = bytes(bitmap.buffer)
    if stride != columns:  # rows padded to a multiple of 4 bytes
        raw = b"".join(raw[row * stride : row * stride + columns] for row in range(rows))
    return b"P5\n%d %d\n255\n" % (columns, rows) + raw


def _scan_dpi(page: object) -> float | None:
    """The resolution of the largest image the page draws (its pixels over its size on the page)."""
    import pypdfium2.raw as pdfium_c

    best: tuple[float, float] | None = None
    for image in page.get_objects(filter=(pdfium_c.FPDF_PAGEOBJ_IMAGE,)):  # type: ignore[attr-defined]
        left, _bottom, right, _top = image.get_bounds()
        pixels, _ = image.get_px_size()
        if right - left > 1 and (best is None or right - left > best[0]):
            best = (right - left, pixels * 72 / (right - left))
    return best[1] if best else None


def read_image(image: bytes, options: OcrOptions, *, timeout: float, number: int = 1) -> OcrPage:
    """One page image read by Tesseract (``image`` in any format it reads: PGM, PNG, TIFF …)."""
    command = [options.tesseract, "stdin", "stdout", "-l", LANGUAGE, "--dpi", str(options.dpi), "tsv"]
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

"""OCR quality and speed: our PDF reader on rendered scans against their source text and against the
bare Tesseract CLI on the same page images, in the same run.

Lays out pages of the bundled corpus's prose (fpdf2), renders each with pypdfium2 at 200 dpi, adds
specks and a small rotation (Pillow) and wraps the images as an image-only PDF, as a scanner would.
Then times (a) the bare CLI, ``tesseract page.png stdout -l nor``, on every page image (with one
OpenMP thread, as our reader runs it; and, for information, with Tesseract's default threads);
(b) our reader (ingest.readers.pdf: render, OCR, layout) on the scanned PDF; (c) for information,
pytesseract's ``image_to_data`` on the same images where it is installed. Character error rate: edit
distance over the source text, whitespace normalised and the reader's markup ("# ", tabs) read as
text. Targets: CER <= 3 % at 200 dpi; ours >= 0.8 x the CLI's pages/s.
Run: ``python bench/ocr.py [--pages N] [--repeat R]``; prints JSON.

The scans are made here and by the tests (tests/ingest/readers/test_ocr.py) with the same functions.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SCAN_DPI = 200
# A page's entries: ("title" | "heading" | "text", text) or ("row", "cell\tcell\t…").
Page = list[tuple[str, str]]


def text_pdf(pages: list[Page]) -> bytes:
    """A born-digital PDF of ``pages``: a title, headings, wrapped paragraphs and ruled table rows."""
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_margins(20, 20, 20)
    for page in pages:
        pdf.add_page()
        for kind, text in page:
            _draw(pdf, kind, text)
    return bytes(pdf.output())


def _draw(pdf: Any, kind: str, text: str) -> None:
    text = latin1(text)
    if kind == "row":
        cells = text.split("\t")
        width = (pdf.w - pdf.l_margin - pdf.r_margin) / len(cells)
        pdf.set_font("Helvetica", size=11)
        for cell in cells:
            pdf.cell(width, 8, cell, border=1)
        pdf.ln(8)
        return
    size, style, gap = {"title": (18, "B", 4), "heading": (13, "B", 2), "text": (11, "", 2)}[kind]
    pdf.set_font("Helvetica", style=style, size=size)
    pdf.multi_cell(0, size * 0.5, text, new_x="LMARGIN", new_y="NEXT")
    pdf.ln(gap)


def latin1(text: str) -> str:
    """What Helvetica (a Latin-1 core font) can draw: dashes and quotes as their plain forms."""
    text = text.translate(str.maketrans({"–": "-", "—": "-", "’": "'", "“": '"', "”": '"', "•": "-"}))
    return text.encode("latin-1", "replace").decode("latin-1")


def page_images(pdf: bytes, *, dpi: int = SCAN_DPI, angle: float = 0.6, specks: float = 0.002) -> list[Any]:
    """Each page of ``pdf`` as a scanner gives it: grey at ``dpi``, turned by ``angle`` degrees, and
    ``specks`` of its pixels flipped to black or white (a fixed seed: the same scan every run)."""
    import pypdfium2 as pdfium
    from PIL import Image

    rnd = random.Random(15)
    images = []
    document = pdfium.PdfDocument(pdf)
    for page in document:
        image = page.render(scale=dpi / 72, grayscale=True).to_pil().convert("L")
        image = image.rotate(angle, resample=Image.Resampling.BICUBIC, expand=True, fillcolor=255)
        pixels = image.load()
        width, height = image.size
        for _ in range(int(width * height * specks)):
            pixels[rnd.randrange(width), rnd.randrange(height)] = rnd.choice((0, 255))
        images.append(image)
    document.close()
    return images


def image_pdf(images: list[Any], *, dpi: int = SCAN_DPI) -> bytes:
    """The images as an image-only PDF, each on a page of its size at ``dpi`` (no text layer)."""
    from fpdf import FPDF

    pdf = FPDF(unit="pt")
    pdf.set_auto_page_break(auto=False)
    for image in images:
        width, height = (n * 72 / dpi for n in image.size)
        pdf.add_page(format=(width, height))
        pdf.image(image, x=0, y=0, w=width, h=height)
    return bytes(pdf.output())


def scan_pdf(pdf: bytes, **options: Any) -> bytes:
    """``pdf`` printed and scanned: an image-only PDF of its pages (see :func:`page_images`)."""
    return image_pdf(page_images(pdf, **options))


def source_text(page: Page) -> str:
    return " ".join(latin1(text).replace("\t", " ") for _, text in page)


def normalised(text: str) -> str:
    """Text to compare: markup read as text (a heading's "# ", cells' tabs), whitespace as one space."""
    return " ".join(re.sub(r"(?m)^# ", "", text).split())


def cer(reference: str, read: str) -> float:
    """Character error rate: edits from the reference to what was read, over the reference's length."""
    from rapidfuzz.distance import Levenshtein

    reference, read = normalised(reference), normalised(read)
    return Levenshtein.distance(reference, read) / max(1, len(reference))


def corpus_pages(count: int, lines_a_page: int = 24) -> list[Page]:
    """Pages of the bundled corpus's prose: its lines without markup, each page a heading and text."""
    lines = []
    for path in sorted((ROOT / "corpus").glob("*.txt")):
        for line in path.read_text(encoding="utf-8").splitlines():
            line = " ".join(re.sub(r"<[^>]+>", " ", line).replace("#", " ").split())
            if len(line) >= 40 and "\t" not in line:
                lines.append(line[:400])
    pages = []
    for n in range(count):
        start = (n * lines_a_page) % max(1, len(lines) - lines_a_page)
        chunk = lines[start : start + lines_a_page // 3]
        pages.append([("heading", f"Sak {n + 1}/24 Orientering"), *(("text", line) for line in chunk)])
    return pages


def _cli(path: Path, threads: str | None) -> tuple[float, str]:
    env = {**os.environ, "OMP_THREAD_LIMIT": threads} if threads else dict(os.environ)
    if not threads:
        env.pop("OMP_THREAD_LIMIT", None)
    started = time.perf_counter()
    out = subprocess.run(
        ["tesseract", str(path), "stdout", "-l", "nor"], capture_output=True, text=True, check=True, env=env
    )
    return time.perf_counter() - started, out.stdout


def _pytesseract(images: list[Any]) -> float | None:
    try:
        import pytesseract  # type: ignore[import-not-found,unused-ignore]
    except ImportError:
        return None
    os.environ["OMP_THREAD_LIMIT"] = "1"  # as the reader and the CLI baseline run
    try:
        started = time.perf_counter()
        for image in images:
            pytesseract.image_to_data(image, lang="nor")
        return time.perf_counter() - started
    finally:
        os.environ.pop("OMP_THREAD_LIMIT")


def _ours(scan: bytes) -> tuple[float, str, float | None]:
    """Our reader on a one-page scan: open, find no text layer, render, OCR, layout."""
    from ingest.readers.pdf import PdfReader

    started = time.perf_counter()
    [page] = PdfReader().read(Path("scan.pdf"), scan).pages
    return time.perf_counter() - started, page.text, page.ocr_confidence


def run(pages: int, repeat: int) -> dict[str, Any]:
    layout = corpus_pages(pages)
    images = page_images(text_pdf(layout))
    scan = image_pdf(images)
    sources = [source_text(page) for page in layout]
    scans = [image_pdf([image]) for image in images]
    times: dict[str, list[float]] = {"cli": [], "cli_default_threads": [], "ours": [], "pytesseract": []}
    with tempfile.TemporaryDirectory() as tmp:
        paths = []
        for n, image in enumerate(images, start=1):
            paths.append(Path(tmp) / f"page-{n}.png")
            image.save(paths[-1], dpi=(SCAN_DPI, SCAN_DPI))
        # Imports, Tesseract's model and our reader's check of it loaded before anything is timed.
        _cli(paths[0], "1")
        _ours(scans[0])
        for round_ in range(repeat):
            # Page by page, the CLI and ours in turn (first one, then the other): on a shared machine
            # both see the same load.
            cli_s = ours_s = 0.0
            cli_texts: list[str] = []
            our_texts: list[str] = []
            confidences: list[float | None] = []
            for n, (path, scan) in enumerate(zip(paths, scans, strict=True)):
                if (round_ + n) % 2:
                    ours = _ours(scan)
                    cli = _cli(path, "1")
                else:
                    cli = _cli(path, "1")
                    ours = _ours(scan)
                cli_s += cli[0]
                cli_texts.append(cli[1])
                ours_s += ours[0]
                our_texts.append(ours[1])
                confidences.append(ours[2])
            times["cli"].append(cli_s)
            times["ours"].append(ours_s)
            times["cli_default_threads"].append(sum(_cli(path, None)[0] for path in paths))
            py_s = _pytesseract(images)
            if py_s is not None:
                times["pytesseract"].append(py_s)
    rate = {k: round(pages / statistics.median(v), 3) for k, v in times.items() if v}
    ours_cer = [cer(s, t) for s, t in zip(sources, our_texts, strict=True)]
    cli_cer = [cer(s, t) for s, t in zip(sources, cli_texts, strict=True)]
    return {
        "benchmark": "ocr",
        "pages": pages,
        "repeat": repeat,
        "scan_dpi": SCAN_DPI,
        "pages_per_s": rate,
        "ratio_ours_to_cli": round(rate["ours"] / rate["cli"], 3),
        "ratio_ours_to_cli_default_threads": round(rate["ours"] / rate["cli_default_threads"], 3),
        "cer_ours": round(statistics.fmean(ours_cer), 4),
        "cer_ours_worst_page": round(max(ours_cer), 4),
        "cer_cli": round(statistics.fmean(cli_cer), 4),
        "mean_confidence": round(statistics.fmean(c for c in confidences if c is not None), 1),
        "targets": {"cer_ours": "<= 0.03", "ratio_ours_to_cli": ">= 0.8"},
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--pages", type=int, default=6)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    print(json.dumps(run(args.pages, args.repeat), indent=2))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""PDF with pypdf: text per page, page numbers kept, AES-encrypted files with an empty password; pages
without a text layer (a scan, or scanned pages in a born-digital file) read by OCR (ingest.readers.ocr)."""

from __future__ import annotations

import io
import logging
from datetime import datetime
from pathlib import Path

from ingest.errors import EmptyDocument, EncryptedDocument, FileTooLarge, IngestError
from ingest.model import RawDocument, RawPage
from ingest.readers.base import Limits
from ingest.readers.layout import tidy_layout
from ingest.readers.ocr import OcrUnavailable, read_scans
from ingest.readers.textlayer import GARBAGE_SHARE, garbage_share, has_unmapped_font, unmapped_share

log = logging.getLogger(__name__)

# Below this many letters over the whole file we call it a scan: real documents have far more.
MIN_LETTERS = 40


class PdfReader:
    extensions: tuple[str, ...] = (".pdf",)

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits

    def match(self, path: Path, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, path: Path, data: bytes) -> RawDocument:
        import pypdf
        from pypdf.errors import DependencyError, FileNotDecryptedError

        try:
            reader = pypdf.PdfReader(io.BytesIO(data), strict=False)
            if reader.is_encrypted:
                try:
                    ok = reader.decrypt("")
                except (DependencyError, NotImplementedError) as exc:
                    raise EncryptedDocument(f"encrypted PDF that cannot be opened: {exc}") from exc
                if not ok:
                    raise EncryptedDocument("password-protected PDF: cannot be read without its password")
            count = len(reader.pages)
        except IngestError:
            raise
        except _parse_errors(FileNotDecryptedError) as exc:
            raise IngestError(f"corrupt or truncated PDF: {exc}") from exc
        if count == 0:
            raise EmptyDocument("PDF has no pages")
        if count > self.limits.max_pages:
            raise IngestError(f"PDF has {count} pages, over the limit of {self.limits.max_pages}")
        self._check_content(reader, count)
        pages, failed, unusable = self._pages(reader, count, path.name)
        scanned = self._read_scans(data, pages, unusable, path.name)
        letters = sum(ch.isalpha() for page in pages for ch in page.text)
        with_text = sum(1 for page in pages if page.text.strip()) + len(unusable)
        if letters < MIN_LETTERS or len(unusable) * 2 >= with_text > 0:
            if scanned and not unusable:
                raise EmptyDocument(
                    f"no text layer: a scanned document, and OCR read under {MIN_LETTERS} letters from "
                    f"it ({len(scanned)} scanned {'page' if len(scanned) == 1 else 'pages'})"
                )
            if unusable:
                raise EmptyDocument(
                    f"no usable text layer: the text of {len(unusable)} of {with_text} pages with text is "
                    'glyph numbers, not letters (fonts without a Unicode map, "(cid:n)" codes or private-use '
                    "characters); OCR it first"
                )
            if failed == count:
                raise IngestError("corrupt PDF: no page could be read")
            raise EmptyDocument("no text layer: a scanned document? (OCR it first)")
        if unusable:
            log.warning(
                "%s: left out pages %s, whose text layer is glyph numbers, not letters",
                path.name,
                ", ".join(map(str, unusable)),
            )

        title, created, modified = _metadata(reader)
        return RawDocument(
            source=str(path),
            format="pdf",
            pages=pages,
            title=title,
            created=created,
            modified=modified,
            hard_wrapped=True,
        )

    def _read_scans(self, data: bytes, pages: list[RawPage], unusable: list[int], name: str) -> list[int]:
        """The pages without a text layer read by OCR in place; their numbers. Where Tesseract is
        missing, a file that has text besides is read without its scanned pages (a warning says so),
        one that has none is rejected with the reason."""
        candidates = [p.number for p in pages if not p.text.strip() and p.number not in unusable]
        if not candidates:
            return []
        try:
            read = read_scans(data, candidates, self.limits.ocr)
        except OcrUnavailable as exc:
            if not any(p.text.strip() for p in pages):
                raise
            log.warning("%s: left out pages without a text layer: %s", name, exc)
            return []
        total = sum(len(p.text) for p in pages)
        for number, page in read.items():
            pages[number - 1] = RawPage(number, page.text, ocr_confidence=page.confidence)
            total += len(page.text)
        if total > self.limits.max_text_bytes:
            raise FileTooLarge(
                f"PDF text (with the text OCR read) is over the limit of {_size(self.limits.max_text_bytes)} "
                "for text (HFKG_MAX_TEXT_MB sets it)"
            )
        return list(read)

    def _check_content(self, reader: object, count: int) -> None:
        """Every page's decoded content against the limits, before layout extraction parses any:
        what a page draws, and what all pages draw with a shared stream counted for each of them.
        Decoding is where pypdf stops a decompression bomb (extract_text hides it)."""
        from pypdf.errors import LimitReachedError

        limits = self.limits
        total = 0
        for number in range(1, count + 1):
            try:
                contents = reader.pages[number - 1].get_contents()  # type: ignore[attr-defined]
                size = len(contents.get_data()) if contents is not None else 0
            except LimitReachedError as exc:
                raise _bomb(number, exc) from exc
            except _page_errors():
                continue  # reading the page's text fails the same way, and says so
            if size > limits.max_page_content_bytes:
                raise FileTooLarge(
                    f"PDF page {number} draws {_size(size)} of page content, over the limit of "
                    f"{_size(limits.max_page_content_bytes)} a page (HFKG_MAX_PDF_PAGE_MB sets it)"
                )
            total += size
            if total > limits.max_content_bytes:
                raise FileTooLarge(
                    f"PDF pages 1-{number} draw {_size(total)} of page content, over the limit of "
                    f"{_size(limits.max_content_bytes)} a file (a stream that several pages share counts "
                    "for each; HFKG_MAX_PDF_CONTENT_MB sets it)"
                )

    def _pages(self, reader: object, count: int, name: str) -> tuple[list[RawPage], int, list[int]]:
        """The text of each page; the number of pages that failed, and of those whose text is not text."""
        from pypdf.errors import LimitReachedError

        pages: list[RawPage] = []
        failed = 0
        unusable: list[int] = []
        total = 0
        for number in range(1, count + 1):
            try:
                page = reader.pages[number - 1]  # type: ignore[attr-defined]
                text = _page_text(page)
                share = garbage_share(text)
                if share <= GARBAGE_SHARE and text.strip() and has_unmapped_font(page):
                    share = max(share, unmapped_share(page))
            except LimitReachedError as exc:
                raise _bomb(number, exc) from exc
            except _page_errors() as exc:
                log.warning("%s: page %d could not be read: %s", name, number, exc)
                failed += 1
                text, share = "", 0.0
            if share > GARBAGE_SHARE:
                unusable.append(number)
                text = ""
            total += len(text)
            if total > self.limits.max_text_bytes:
                raise FileTooLarge(
                    f"PDF text is over the limit of {_size(self.limits.max_text_bytes)} for text (at page "
                    f"{number}; HFKG_MAX_TEXT_MB sets it)"
                )
            pages.append(RawPage(number=number, text=text))
        return pages, failed, unusable


def _parse_errors(*more: type[Exception]) -> tuple[type[Exception], ...]:
    """What pypdf raises on a damaged file (its own errors and those of its parsing), opening it or
    reading a page, and ``more``. Imported late: pypdf loads only for a PDF."""
    from pypdf.errors import PdfReadError, PdfStreamError

    return (
        *more,
        PdfReadError,
        PdfStreamError,
        ValueError,
        KeyError,
        TypeError,
        AttributeError,
        IndexError,
        OSError,
        RecursionError,
    )


def _page_errors() -> tuple[type[Exception], ...]:
    """What reading one page of a damaged PDF raises: the page is skipped or counted as failed, the
    file goes on. Reading a page (its text layout) may also divide by zero."""
    return _parse_errors(ZeroDivisionError)


def _bomb(number: int, exc: Exception) -> IngestError:
    return IngestError(
        f"PDF page {number} expands past the decompression limit (a decompression bomb?): {exc}"
    )


def _size(count: int) -> str:
    return f"{count / 1_048_576:.1f} MB" if count >= 104_858 else f"{count / 1024:.0f} KB"


def _page_text(page: object) -> str:
    """A page's text with its layout: pypdf's layout mode keeps vertical gaps as blank lines (the only
    paragraph marks a PDF has) and table columns as runs of spaces; :func:`tidy_layout` turns those
    into the paragraphs and cells the normaliser reads. Plain extraction if layout mode fails."""
    from pypdf.errors import LimitReachedError

    try:
        text = page.extract_text(extraction_mode="layout")  # type: ignore[attr-defined]
    except LimitReachedError:
        raise
    except Exception:
        return page.extract_text() or ""  # type: ignore[attr-defined]
    return tidy_layout(text or "")


def _metadata(reader: object) -> tuple[str | None, str | None, str | None]:
    try:
        meta = reader.metadata  # type: ignore[attr-defined]
    except Exception:
        return None, None, None
    if not meta:
        return None, None, None
    title = None
    try:
        raw_title = meta.title
        if raw_title and str(raw_title).strip() and not _looks_like_filename(str(raw_title)):
            title = " ".join(str(raw_title).split())
    except Exception:
        title = None
    return title, _date(meta, "creation_date"), _date(meta, "modification_date")


def _date(meta: object, attr: str) -> str | None:
    try:
        value = getattr(meta, attr)
    except Exception:
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    return None


def _looks_like_filename(title: str) -> bool:
    lowered = title.lower().strip()
    return lowered.endswith((".doc", ".docx", ".pdf", ".ppt", ".pptx", ".odt")) or lowered in {
        "untitled",
        "microsoft word",
        "powerpoint-presentasjon",
        "presentasjon",
        "dokument1",
    }

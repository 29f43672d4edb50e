"""PDF with pypdf: text per page, page numbers kept, AES-encrypted files with an empty password."""

from __future__ import annotations

import io
import logging
from datetime import datetime
from pathlib import Path

from ingest.errors import EmptyDocument, EncryptedDocument, IngestError
from ingest.model import RawDocument, RawPage

log = logging.getLogger(__name__)

# Below this many letters over the whole file we call it a scan: real documents have far more.
MIN_LETTERS = 40


class PdfReader:
    extensions = (".pdf",)

    def __init__(self, *, max_pages: int = 3000) -> None:
        self.max_pages = max_pages

    def match(self, path: Path, head: bytes) -> bool:
        return b"%PDF-" in head[:1024]

    def read(self, path: Path, data: bytes) -> RawDocument:
        import pypdf
        from pypdf.errors import DependencyError, FileNotDecryptedError, PdfReadError, PdfStreamError

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
        except (PdfReadError, PdfStreamError, FileNotDecryptedError, ValueError, KeyError,
                TypeError, AttributeError, IndexError, OSError, RecursionError) as exc:
            raise IngestError(f"corrupt or truncated PDF: {exc}") from exc
        if count == 0:
            raise EmptyDocument("PDF has no pages")
        if count > self.max_pages:
            raise IngestError(f"PDF has {count} pages, over the limit of {self.max_pages}")

        from pypdf.errors import LimitReachedError

        pages: list[RawPage] = []
        failed = 0
        for number in range(1, count + 1):
            try:
                page = reader.pages[number - 1]
                contents = page.get_contents()
                if contents is not None:
                    contents.get_data()  # pypdf stops a decompression bomb here; extract_text hides it
                text = page.extract_text() or ""
            except LimitReachedError as exc:
                raise IngestError(
                    f"PDF page {number} expands past the decompression limit (a decompression bomb?): {exc}"
                ) from exc
            except (PdfReadError, PdfStreamError, ValueError, KeyError, TypeError,
                    AttributeError, IndexError, OSError, RecursionError, ZeroDivisionError) as exc:
                log.warning("%s: page %d could not be read: %s", path.name, number, exc)
                failed += 1
                text = ""
            pages.append(RawPage(number=number, text=text))
        letters = sum(ch.isalpha() for page in pages for ch in page.text)
        if letters < MIN_LETTERS:
            if failed == count:
                raise IngestError("corrupt PDF: no page could be read")
            raise EmptyDocument("no text layer: a scanned document? (OCR it first)")

        title, created, modified = _metadata(reader)
        return RawDocument(
            source=str(path), format="pdf", pages=pages, title=title,
            created=created, modified=modified, hard_wrapped=True,
        )


def _metadata(reader: object) -> tuple[str | None, str | None, str | None]:
    try:
        meta = reader.metadata  # type: ignore[attr-defined]
    except Exception:  # noqa: BLE001 - metadata is optional; a broken info dict must not cost the text
        return None, None, None
    if not meta:
        return None, None, None
    title = None
    try:
        raw_title = meta.title
        if raw_title and str(raw_title).strip() and not _looks_like_filename(str(raw_title)):
            title = " ".join(str(raw_title).split())
    except Exception:  # noqa: BLE001 - see above
        title = None
    return title, _date(meta, "creation_date"), _date(meta, "modification_date")


def _date(meta: object, attr: str) -> str | None:
    try:
        value = getattr(meta, attr)
    except Exception:  # noqa: BLE001 - pypdf raises on malformed dates; they are optional
        return None
    if isinstance(value, datetime):
        return value.date().isoformat()
    return None


def _looks_like_filename(title: str) -> bool:
    lowered = title.lower().strip()
    return lowered.endswith((".doc", ".docx", ".pdf", ".ppt", ".pptx", ".odt")) or lowered in {
        "untitled", "microsoft word", "powerpoint-presentasjon", "presentasjon", "dokument1",
    }

"""The reader contract: ``match`` a file by name and first bytes, ``read`` it into a RawDocument.

Every reader raises :class:`~ingest.errors.IngestError` (or a subclass) with a reason a person can
act on; library exceptions never escape a reader.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from ingest.errors import EmptyDocument, FileTooLarge, IngestError, UnsupportedFormat
from ingest.model import RawDocument
from ingest.readers.ocr import OcrOptions


class Reader(Protocol):
    extensions: tuple[str, ...]

    def match(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path, data: bytes) -> RawDocument: ...


DEFAULT_MAX_TEXT_BYTES = 20 * 1_048_576
DEFAULT_MAX_PAGE_CONTENT_BYTES = 4 * 1_048_576
DEFAULT_MAX_CONTENT_BYTES = 32 * 1_048_576


@dataclass(frozen=True, slots=True)
class Limits:
    """What reading one file may cost, each bound checked before the step it protects."""

    max_pages: int = 3000  # PDF pages, slides, the pages of a Word or OpenDocument file
    max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES  # text to segment and extract, of any format
    # Decoded content streams, which pypdf's layout extraction parses at some 2 s a megabyte: per
    # page, and in all with a stream several pages share counted for each (40 pages that share one
    # 1 MB stream are 10 KB on disk and 40 MB to parse).
    max_page_content_bytes: int = DEFAULT_MAX_PAGE_CONTENT_BYTES
    max_content_bytes: int = DEFAULT_MAX_CONTENT_BYTES
    ocr: OcrOptions = field(default_factory=OcrOptions)  # PDF pages without a text layer


def _readers(limits: Limits) -> list[Reader]:
    # Imported here so that a reader's heavy dependency loads only when readers are used.
    from ingest.readers.docx import DocxReader
    from ingest.readers.email import EmailReader
    from ingest.readers.html import HtmlReader
    from ingest.readers.odt import OdtReader
    from ingest.readers.pdf import PdfReader
    from ingest.readers.pptx import PptxReader
    from ingest.readers.text import TextReader

    return [
        PdfReader(limits),
        DocxReader(limits),
        OdtReader(limits),
        PptxReader(limits),
        HtmlReader(),
        TextReader(),
        EmailReader(),
    ]


SUPPORTED_EXTENSIONS = (
    ".pdf",
    ".docx",
    ".docm",
    ".odt",
    ".pptx",
    ".txt",
    ".text",
    ".md",
    ".markdown",
    ".html",
    ".htm",
    ".eml",
)
# Formats whose file size says nothing of their text (pictures, compression): their readers bound
# what they unpack and the text they read themselves; every other file is all text to segment.
_PACKAGED = frozenset({".pdf", ".docx", ".docm", ".odt", ".pptx"})


def reader_for(path: Path, head: bytes, *, limits: Limits = Limits()) -> Reader:
    suffix = path.suffix.lower()
    for reader in _readers(limits):
        if suffix in reader.extensions:
            if reader.match(path, head):
                return reader
            # The extension promised a format the bytes do not have.
            raise UnsupportedFormat(
                f"not a valid {suffix.lstrip('.').upper()} file (content does not match its extension)"
            )
    shown = suffix or "(no extension)"
    raise UnsupportedFormat(f"unsupported format {shown}; supported: {', '.join(SUPPORTED_EXTENSIONS)}")


def read_file(path: Path, *, max_bytes: int, limits: Limits = Limits()) -> tuple[RawDocument, bytes]:
    """Read ``path`` with the reader its name and content call for; returns the document and bytes.

    ``max_bytes`` bounds any file; a text or HTML file is bounded by ``limits.max_text_bytes`` (every
    byte of it is text to segment and extract: 20 MB is some 8,000 pages), a PDF by its pages, its
    content streams and then its text (see :class:`Limits`), a Word, OpenDocument or PowerPoint file
    by what its zip package unpacks to, its pages or slides and its text (``ingest/readers/zipsafe.py``).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    _check_size(size, max_bytes)
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    return read_data(path, data, max_bytes=max_bytes, limits=limits), data


def read_data(name: Path, data: bytes, *, max_bytes: int, limits: Limits = Limits()) -> RawDocument:
    """The bytes of a file called ``name`` (an e-mail's attachment, say) read as :func:`read_file`
    reads a file, with the same bounds."""
    size = len(data)
    _check_size(size, max_bytes)
    reader = reader_for(name, data[:2048], limits=limits)
    if not _PACKAGED.intersection(reader.extensions) and size > limits.max_text_bytes:
        raise FileTooLarge(
            f"text file is {size / 1_048_576:.1f} MB, over the limit of {limits.max_text_bytes / 1_048_576:.1f} MB "
            "for text (some 8,000 pages per 20 MB; HFKG_MAX_TEXT_MB sets it)"
        )
    return reader.read(name, data)


def _check_size(size: int, max_bytes: int) -> None:
    if size > max_bytes:
        raise FileTooLarge(
            f"file is {size / 1_048_576:.1f} MB, over the limit of {max_bytes / 1_048_576:.1f} MB"
        )
    if size == 0:
        raise EmptyDocument("empty file")

"""The reader contract: ``match`` a file by name and first bytes, ``read`` it into a RawDocument.

Every reader raises :class:`~ingest.errors.IngestError` (or a subclass) with a reason a person can
act on; library exceptions never escape a reader.
"""

from __future__ import annotations

from pathlib import Path
from typing import Protocol

from ingest.errors import EmptyDocument, FileTooLarge, IngestError, UnsupportedFormat
from ingest.model import RawDocument


class Reader(Protocol):
    extensions: tuple[str, ...]

    def match(self, path: Path, head: bytes) -> bool: ...

    def read(self, path: Path, data: bytes) -> RawDocument: ...


def _readers(max_pages: int) -> list[Reader]:
    # Imported here so that a reader's heavy dependency loads only when readers are used.
    from ingest.readers.html import HtmlReader
    from ingest.readers.pdf import PdfReader
    from ingest.readers.text import TextReader

    return [PdfReader(max_pages=max_pages), HtmlReader(), TextReader()]


SUPPORTED_EXTENSIONS = (".pdf", ".txt", ".text", ".md", ".markdown", ".html", ".htm")


def reader_for(path: Path, head: bytes, *, max_pages: int = 3000) -> Reader:
    suffix = path.suffix.lower()
    for reader in _readers(max_pages):
        if suffix in reader.extensions:
            if reader.match(path, head):
                return reader
            # The extension promised a format the bytes do not have.
            raise UnsupportedFormat(
                f"not a valid {suffix.lstrip('.').upper()} file (content does not match its extension)"
            )
    shown = suffix or "(no extension)"
    raise UnsupportedFormat(
        f"unsupported format {shown}; supported: {', '.join(SUPPORTED_EXTENSIONS)}"
    )


DEFAULT_MAX_TEXT_BYTES = 20 * 1_048_576


def read_file(path: Path, *, max_bytes: int, max_pages: int = 3000,
              max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES) -> tuple[RawDocument, bytes]:
    """Read ``path`` with the reader its name and content call for; returns the document and bytes.

    ``max_bytes`` bounds any file; a PDF's text is bounded by ``max_pages``, a text or HTML file's by
    ``max_text_bytes`` (every byte of it is text to segment and extract: 20 MB is some 8,000 pages).
    """
    try:
        size = path.stat().st_size
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    if size > max_bytes:
        raise FileTooLarge(
            f"file is {size / 1_048_576:.1f} MB, over the limit of {max_bytes / 1_048_576:.1f} MB"
        )
    if size == 0:
        raise EmptyDocument("empty file")
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise IngestError(f"cannot read file: {exc.strerror or exc}") from exc
    reader = reader_for(path, data[:2048], max_pages=max_pages)
    if ".pdf" not in reader.extensions and size > max_text_bytes:
        raise FileTooLarge(
            f"text file is {size / 1_048_576:.1f} MB, over the limit of {max_text_bytes / 1_048_576:.1f} MB "
            "for text (some 8,000 pages per 20 MB; HFKG_MAX_TEXT_MB sets it)"
        )
    return reader.read(path, data), data

"""What the Word, OpenDocument and PowerPoint readers share: pages of light markup built block by block.

The markup is RawDocument's: ``# heading`` lines, ``- item`` lines indented two spaces a level,
tab-separated table rows (a cell's own lines joined by ``\\u2028``), ``**bold**`` spans, blank lines
between blocks. A page break moves on to the next page only when the page so far holds text, so that a
break written twice (Word's explicit break and the break it rendered after it) counts once.
"""

from __future__ import annotations

import zipfile
from datetime import datetime
from pathlib import Path
from typing import Any

from ingest.errors import EmptyDocument, FileTooLarge, IngestError
from ingest.model import RawDocument, RawPage
from ingest.readers.base import Limits
from ingest.readers.markup import CELL_BREAK
from ingest.readers.zipsafe import OLE_MAGIC, ZIP_MAGIC, Package, open_package

# What a library raises on a package whose parts are damaged: missing parts and relationships
# (KeyError), bad values, XML that does not parse (lxml's XMLSyntaxError is a SyntaxError), nesting
# deeper than the parser recurses. Caught around the library's reading, never around our own checks.
LIBRARY_ERRORS: tuple[type[BaseException], ...] = (
    KeyError,
    ValueError,
    AttributeError,
    TypeError,
    IndexError,
    SyntaxError,
    RecursionError,
    zipfile.BadZipFile,
)


def inline(text: str) -> str:
    """One line of a block: tabs and line breaks would be markup, so they are spaces here."""
    return " ".join(text.replace(CELL_BREAK, " ").split())


def bold(text: str) -> str:
    """``**text**`` with the spaces outside the markers, where the normaliser looks for them."""
    stripped = text.strip()
    if not stripped:
        return text
    lead = text[: len(text) - len(text.lstrip())]
    trail = text[len(text.rstrip()) :]
    return f"{lead}**{stripped}**{trail}"


def heading(text: str, level: int) -> str:
    return "#" * max(1, min(level, 6)) + " " + text


def list_item(text: str, level: int) -> str:
    return "  " * max(0, level) + "- " + text


def table_row(cells: list[list[str]]) -> str:
    """A row of cells, each given as its lines."""
    return "\t".join(CELL_BREAK.join(line for line in lines if line.strip()) for lines in cells)


def iso_date(value: object) -> str | None:
    return value.date().isoformat() if isinstance(value, datetime) else None


def clean_title(value: object) -> str | None:
    title = " ".join(str(value).split()) if value else ""
    return title or None


Metadata = tuple[str | None, str | None, str | None]  # title, created, modified (ISO dates)


def core_metadata(props: Any) -> Metadata:
    """An OOXML package's core properties (docProps/core.xml), as python-docx and python-pptx read them."""
    return clean_title(props.title), iso_date(props.created), iso_date(props.modified)


class PackageReader:
    """A reader of a zip package format: the package checked (:mod:`ingest.readers.zipsafe`), then
    what the format requires of it (``check``), then parsed by the format's library (``parse``),
    whose errors on a damaged package become one rejection ("corrupt …")."""

    extensions: tuple[str, ...] = ()
    kind = "office file"
    fmt = ""
    errors: tuple[type[BaseException], ...] = ()  # the library's own, beside LIBRARY_ERRORS

    def __init__(self, limits: Limits = Limits()) -> None:
        self.limits = limits

    def match(self, path: Path, head: bytes) -> bool:
        return head.startswith((ZIP_MAGIC, OLE_MAGIC))  # an encrypted one is OLE: read() says so

    def read(self, path: Path, data: bytes) -> RawDocument:
        package = open_package(data, self.kind, self.limits)
        self.check(package)
        try:
            pages, (title, created, modified) = self.parse(package, path.name)
        except IngestError:
            raise
        except LIBRARY_ERRORS + self.errors as exc:
            raise IngestError(f"corrupt {self.kind}: {exc}") from exc
        return pages.document(str(path), self.fmt, title=title, created=created, modified=modified)

    def check(self, package: Package) -> None:
        """Reject a package that is not of this format (or encrypted), before the library reads it."""

    def parse(self, package: Package, name: str) -> tuple[Pages, Metadata]:
        raise NotImplementedError


class Pages:
    """Blocks of markup page by page, bounded by the text limit and the page limit as they come."""

    def __init__(self, kind: str, limits: Limits) -> None:
        self.kind = kind
        self.limits = limits
        self.pages: list[list[str]] = [[]]
        self.size = 0

    @property
    def number(self) -> int:
        return len(self.pages)

    def add(self, line: str) -> None:
        if not line.strip():
            return
        self.size += len(line.encode("utf-8")) + 2
        if self.size > self.limits.max_text_bytes:
            raise FileTooLarge(
                f"{self.kind} holds over {self.limits.max_text_bytes / 1_048_576:.1f} MB of text, over the "
                "limit for text (HFKG_MAX_TEXT_MB sets it)"
            )
        self.pages[-1].append(line)

    def page_break(self, *, always: bool = False) -> None:
        """The next page; ``always`` for pages that count even when empty (a slide without text)."""
        if not self.pages[-1] and not always:
            return
        if len(self.pages) >= self.limits.max_pages:
            raise IngestError(f"{self.kind} has more pages than the limit of {self.limits.max_pages}")
        self.pages.append([])

    def document(
        self,
        source: str,
        fmt: str,
        *,
        title: str | None = None,
        created: str | None = None,
        modified: str | None = None,
    ) -> RawDocument:
        pages = [RawPage(number=i, text="\n\n".join(lines)) for i, lines in enumerate(self.pages, start=1)]
        while len(pages) > 1 and not pages[-1].text.strip():
            pages.pop()
        if not any(ch.isalpha() for page in pages for ch in page.text):
            raise EmptyDocument(f"{self.kind} holds no text")
        return RawDocument(
            source=source, format=fmt, pages=pages, title=title, created=created, modified=modified
        )

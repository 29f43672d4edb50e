"""HTML pages: tags stripped with link text, list items and table cells kept as structure."""

from __future__ import annotations

from pathlib import Path

from ingest.model import RawDocument, RawPage
from ingest.readers.encoding import decode
from ingest.readers.markup import html_to_markup


class HtmlReader:
    extensions: tuple[str, ...] = (".html", ".htm")

    def match(self, path: Path, head: bytes) -> bool:
        return True  # decode() rejects binary content; a text file named .html is read as HTML

    def read(self, path: Path, data: bytes) -> RawDocument:
        text, _encoding = decode(data)
        markup, title = html_to_markup(text)
        return RawDocument(
            source=str(path),
            format="html",
            pages=[RawPage(number=1, text=markup)],
            title=title,
        )

"""HTML to the light markup every reader emits (see RawDocument).

A real parser (``html.parser``) walks the tags; block tags become line breaks, ``<li>`` becomes a
``- `` item indented by nesting depth, ``<tr>`` a tab-separated row whose cells keep their inner
line breaks as ``\\u2028``, ``<b>``/``<strong>`` become ``**``, links keep their text.
"""

from __future__ import annotations

import re
from html import unescape
from html.parser import HTMLParser

CELL_BREAK = "\u2028"

_BLOCK = {
    "p",
    "div",
    "br",
    "section",
    "article",
    "header",
    "footer",
    "main",
    "aside",
    "nav",
    "blockquote",
    "pre",
    "figure",
    "figcaption",
    "dl",
    "dt",
    "dd",
    "hr",
    "address",
    "form",
    "fieldset",
    "caption",
}
_SKIP = {"script", "style", "head", "noscript", "template", "svg", "iframe", "object", "title"}
_HEADINGS = {f"h{i}": i for i in range(1, 7)}
_TAG = re.compile(r"</?[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?/?>")
MAX_DEPTH = 200


class _Converter(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lines: list[str] = []
        self.current: list[str] = []
        self.list_depth = 0
        self.skip = 0
        self.row: list[str] | None = None
        self.cell: list[str] | None = None
        self.cell_lines: list[str] = []
        self.title: str | None = None
        self._in_title = False
        self._title_parts: list[str] = []
        self.depth = 0

    # -- output helpers ---------------------------------------------------------------------
    def _target(self) -> list[str]:
        return self.cell if self.cell is not None else self.current

    def _break(self) -> None:
        if self.cell is not None:
            text = "".join(self.cell).strip()
            if text:
                self.cell_lines.append(text)
            self.cell.clear()
            return
        raw = "".join(self.current)
        text = " ".join(raw.split())
        if text:
            indent = len(raw) - len(raw.lstrip(" ")) if raw.lstrip(" ").startswith("- ") else 0
            self.lines.append(" " * indent + text)
        self.current.clear()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.depth += 1
        if tag == "title":
            self._in_title = True
        if tag in _SKIP:
            self.skip += 1
            return
        if self.skip or self.depth > MAX_DEPTH:
            return
        if tag in _HEADINGS:
            self._break()
            self._target().append("#" * _HEADINGS[tag] + " ")
        elif tag in ("ul", "ol"):
            self._break()
            self.list_depth += 1
        elif tag == "li":
            self._break()
            self._target().append("  " * max(0, self.list_depth - 1) + "- ")
        elif tag == "tr":
            self._break()
            self.row = []
        elif tag in ("td", "th"):
            if self.row is None:
                self.row = []
            self.cell = []
            self.cell_lines = []
        elif tag in ("b", "strong"):
            self._target().append("**")
        elif tag == "sup":
            self._target().append("[")
        elif tag in _BLOCK:
            self._break()

    def handle_endtag(self, tag: str) -> None:
        self.depth = max(0, self.depth - 1)
        if tag == "title":
            self._in_title = False
            self.title = " ".join("".join(self._title_parts).split()) or None
        if tag in _SKIP:
            self.skip = max(0, self.skip - 1)
            return
        if self.skip:
            return
        if tag in _HEADINGS or tag == "li" or tag in _BLOCK:
            self._break()
        elif tag in ("ul", "ol"):
            self._break()
            self.list_depth = max(0, self.list_depth - 1)
        elif tag in ("td", "th"):
            self._end_cell()
        elif tag == "tr":
            self._end_row()
        elif tag in ("b", "strong"):
            self._target().append("**")
        elif tag == "sup":
            self._target().append("]")

    def _end_cell(self) -> None:
        if self.cell is None:
            return
        self._break()
        if self.row is not None:
            self.row.append(CELL_BREAK.join(_tidy(line) for line in self.cell_lines))
        self.cell = None
        self.cell_lines = []

    def _end_row(self) -> None:
        self._end_cell()
        if self.row is not None and any(c.strip() for c in self.row):
            self.lines.append("\t".join(self.row))
        self.row = None

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self._title_parts.append(data)
        if self.skip:
            return
        self._target().append(data.replace("\t", " ").replace("\n", " "))

    def close(self) -> None:
        super().close()
        self._end_row()
        self._break()


def _tidy(line: str) -> str:
    return _fix_bold(" ".join(line.split()))


def html_to_markup(html: str) -> tuple[str, str | None]:
    """Convert an HTML document or fragment; returns (markup text, <title> if any)."""
    conv = _Converter()
    conv.feed(html)
    conv.close()
    lines = [_fix_bold(line) for line in conv.lines]
    return "\n\n".join(line for line in lines if line.strip()), conv.title


def _fix_bold(line: str) -> str:
    # Empty or whitespace-only bold pairs come from markup like <b> </b>.
    line = re.sub(r"\*\*(\s*)\*\*", r"\1", line)
    return line


def has_tags(text: str) -> bool:
    return len(_TAG.findall(text[:200_000])) >= 3


def inline_html_to_markup(text: str) -> str:
    """Text with HTML fragments inside lines (a common export): convert cell by cell, line by line."""
    out: list[str] = []
    for line in text.split("\n"):
        if "<" not in line or not _TAG.search(line):
            out.append(line)
            continue
        cells = line.split("\t")
        if len(cells) == 1:
            markup, _ = html_to_markup(line)
            out.append(markup.replace("\n\n", "\n"))
            continue
        converted = []
        for cell in cells:
            if _TAG.search(cell):
                markup, _ = html_to_markup(cell)
                converted.append(CELL_BREAK.join(x for x in markup.split("\n\n") if x))
            else:
                converted.append(unescape(cell))
        out.append("\t".join(converted))
    return "\n".join(out)

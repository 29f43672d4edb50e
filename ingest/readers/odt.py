"""OpenDocument text (.odt) with odfpy: headings by outline level, nested lists, tables cell by cell,
bold spans (by their styles), pages where the file marks them.

Pages as in a .docx: hard breaks (a paragraph style breaking before or after it) and the soft ones
LibreOffice writes where it laid a page out (``text:soft-page-break``); a file with neither is one
page. A password-protected .odt keeps its manifest readable and says there which parts are
encrypted (``manifest:encryption-data``): rejected from that, before odfpy reads anything.
"""

from __future__ import annotations

import io
from typing import Any
from xml.parsers.expat import ExpatError
from xml.sax import SAXException

from ingest.errors import EncryptedDocument, IngestError
from ingest.readers.base import Limits
from ingest.readers.office import (
    Metadata,
    PackageReader,
    Pages,
    bold,
    clean_title,
    heading,
    inline,
    list_item,
    table_row,
)
from ingest.readers.zipsafe import Package

KIND = "OpenDocument text"
_MIMETYPE = b"application/vnd.oasis.opendocument.text"
_TEXT = "urn:oasis:names:tc:opendocument:xmlns:text:1.0"
_TABLE = "urn:oasis:names:tc:opendocument:xmlns:table:1.0"
_STYLE = "urn:oasis:names:tc:opendocument:xmlns:style:1.0"
_FO = "urn:oasis:names:tc:opendocument:xmlns:xsl-fo-compatible:1.0"
_DC = "http://purl.org/dc/elements/1.1/"
_META = "urn:oasis:names:tc:opendocument:xmlns:meta:1.0"
_OFFICE = "urn:oasis:names:tc:opendocument:xmlns:office:1.0"
_SVG = "urn:oasis:names:tc:opendocument:xmlns:svg-compatible:1.0"
_TEXT_NODE = 3
# Not the document's running text: notes (their call-out stands in the line), the generated table
# of contents and indexes (they repeat the headings), tracked deletions, comments, a picture's
# title and description.
_SKIP = {
    (_TEXT, n)
    for n in ("note", "table-of-content", "alphabetical-index", "tracked-changes", "illustration-index")
}
_SKIP |= {(_TEXT, "bibliography"), (_TEXT, "user-index"), (_TEXT, "sequence-decls")}
_SKIP |= {(_OFFICE, "annotation"), (_OFFICE, "annotation-end"), (_SVG, "title"), (_SVG, "desc")}
_TABLE_ROWS = {(_TABLE, n) for n in ("table-header-rows", "table-rows", "table-row-group")}
_PAGE = "\f"  # in a paragraph's lines: a page break
MAX_DEPTH = 100  # lists in lists, sections in sections: deeper than any document is written


class OdtReader(PackageReader):
    extensions: tuple[str, ...] = (".odt",)
    kind = KIND
    fmt = "odt"
    errors = (ExpatError, SAXException)

    def check(self, package: Package) -> None:
        _check_odt(package)

    def parse(self, package: Package, name: str) -> tuple[Pages, Metadata]:
        from odf.opendocument import load

        document = load(io.BytesIO(package.data))
        walker = _Walker(document, self.limits)
        walker.blocks(document.text, 0)
        return walker.out, _metadata(document)


def _check_odt(package: Package) -> None:
    if "mimetype" not in package.names or "content.xml" not in package.names:
        raise IngestError(
            f"not a valid {KIND}: a zip package without an OpenDocument mimetype and content.xml"
        )
    mimetype = package.read("mimetype").strip()
    if mimetype != _MIMETYPE:
        shown = mimetype[:80].decode("ascii", "replace")
        raise IngestError(f"not a valid {KIND}: the package is {shown}")
    if "META-INF/manifest.xml" in package.names and b"encryption-data" in package.read(
        "META-INF/manifest.xml"
    ):
        raise EncryptedDocument(f"password-protected {KIND} (encrypted): cannot be read without its password")


def _metadata(document: Any) -> tuple[str | None, str | None, str | None]:
    found: dict[tuple[str, str], str] = {}
    for element in document.meta.childNodes:
        found.setdefault(element.qname, str(element))
    return (
        clean_title(found.get((_DC, "title"))),
        _date(found.get((_META, "creation-date"))),
        _date(found.get((_DC, "date"))),
    )


def _date(value: str | None) -> str | None:
    return value[:10] if value and len(value) >= 10 and value[4] == "-" else None


class _Styles:
    """What a style name says of its text: bold, and for paragraphs a page break before or after."""

    def __init__(self, document: Any) -> None:
        self.parent: dict[str, str] = {}
        self.props: dict[str, dict[str, str]] = {}
        for container in (document.styles, document.automaticstyles):
            for style in container.childNodes:
                if style.qname != (_STYLE, "style"):
                    continue
                name = style.getAttrNS(_STYLE, "name") or ""
                if parent := style.getAttrNS(_STYLE, "parent-style-name"):
                    self.parent[name] = parent
                props = self.props.setdefault(name, {})
                for child in style.childNodes:
                    for (_ns, key), value in getattr(child, "attributes", {}).items():
                        props.setdefault(key, value)

    def get(self, name: str | None, key: str) -> str | None:
        seen = 0
        while name and seen < 20:
            if (value := self.props.get(name, {}).get(key)) is not None:
                return value
            name = self.parent.get(name)
            seen += 1
        return None

    def bold(self, name: str | None) -> bool:
        return (self.get(name, "font-weight") or "normal") in ("bold", "600", "700", "800", "900")

    def breaks(self, name: str | None, side: str) -> bool:
        return self.get(name, f"break-{side}") == "page"


class _Walker:
    def __init__(self, document: Any, limits: Limits) -> None:
        self.styles = _Styles(document)
        self.out = Pages(KIND, limits)

    def blocks(self, element: Any, list_depth: int, depth: int = 0) -> None:
        if depth > MAX_DEPTH:
            raise IngestError(f"corrupt {KIND}: nested over {MAX_DEPTH} levels deep")
        for child in element.childNodes:
            qname = getattr(child, "qname", None)
            if qname is None or qname in _SKIP:
                continue
            if qname == (_TEXT, "soft-page-break"):
                self.out.page_break()
            elif qname in ((_TEXT, "p"), (_TEXT, "h")):
                self._paragraph(child, list_depth)
            elif qname == (_TEXT, "list"):
                self.blocks(child, list_depth + 1, depth + 1)
            elif qname == (_TABLE, "table"):
                self._table(child, depth)
            else:
                self.blocks(child, list_depth, depth + 1)

    def _paragraph(self, p: Any, list_depth: int) -> None:
        style = p.getAttrNS(_TEXT, "style-name")
        if self.styles.breaks(style, "before"):
            self.out.page_break()
        first = True
        for line in self._lines(p, pages=True):
            if line == _PAGE:  # a soft page break inside the paragraph: what follows is on the next page
                self.out.page_break()
                continue
            self.out.add(self._shaped(p, style, line, list_depth) if first else line)
            first = False
        if self.styles.breaks(style, "after"):
            self.out.page_break()

    def _shaped(self, p: Any, style: str | None, line: str, list_depth: int) -> str:
        if p.qname == (_TEXT, "h"):
            return heading(line.replace("**", ""), int(p.getAttrNS(_TEXT, "outline-level") or 1))
        if list_depth:
            return list_item(line, list_depth - 1)
        return bold(line) if self.styles.bold(style) else line

    def _lines(self, element: Any, *, pages: bool = False) -> list[str]:
        """The element's text in lines; with ``pages``, ``_PAGE`` where a soft page break falls."""
        parts: list[str] = [""]
        self._inline(element, parts, False, 0)
        lines = [part if part == _PAGE else inline(part) for part in parts]
        return [line for line in lines if line and (pages or line != _PAGE)]

    def _inline(self, element: Any, parts: list[str], strong: bool, depth: int) -> None:
        if depth > MAX_DEPTH:
            return
        for child in element.childNodes:
            if child.nodeType == _TEXT_NODE:
                parts[-1] += child.data
                continue
            qname = child.qname
            if qname in _SKIP:
                continue
            if qname in ((_TEXT, "s"), (_TEXT, "tab")):
                parts[-1] += " "
            elif qname == (_TEXT, "line-break"):
                parts.append("")
            elif qname == (_TEXT, "soft-page-break"):
                parts.extend([_PAGE, ""])
            else:
                if not strong and self.styles.bold(child.getAttrNS(_TEXT, "style-name")):
                    span: list[str] = [""]  # one bold span for the element, whatever it holds
                    self._inline(child, span, True, depth + 1)
                    parts[-1] += bold(span[0])
                    parts.extend(bold(x) for x in span[1:])
                else:
                    self._inline(child, parts, strong, depth + 1)

    def _list_lines(self, element: Any, level: int, depth: int) -> list[str]:
        """A list inside a table cell: its items as lines of the cell."""
        lines: list[str] = []
        for item in element.childNodes:
            for child in getattr(item, "childNodes", []) if depth < MAX_DEPTH else []:
                qname = getattr(child, "qname", None)
                if qname in ((_TEXT, "p"), (_TEXT, "h")):
                    lines.extend(list_item(line, level) for line in self._lines(child))
                elif qname == (_TEXT, "list"):
                    lines.extend(self._list_lines(child, level + 1, depth + 1))
        return lines

    def _table(self, table: Any, depth: int) -> None:
        for row in self._rows(table, depth):
            cells = []
            for cell in row.childNodes:
                if getattr(cell, "qname", None) == (_TABLE, "covered-table-cell"):
                    cells.append([""])  # under a cell that spans it
                elif getattr(cell, "qname", None) == (_TABLE, "table-cell"):
                    cells.append(self._cell(cell, depth))
            if any(any(line.strip() for line in cell) for cell in cells):
                self.out.add(table_row(cells))

    def _rows(self, element: Any, depth: int) -> list[Any]:
        rows = []
        for child in element.childNodes:
            qname = getattr(child, "qname", None)
            if qname == (_TABLE, "table-row"):
                rows.append(child)
            elif qname in _TABLE_ROWS and depth < MAX_DEPTH:
                rows.extend(self._rows(child, depth + 1))
        return rows

    def _cell(self, cell: Any, depth: int) -> list[str]:
        lines: list[str] = []
        for child in cell.childNodes:
            qname = getattr(child, "qname", None)
            if qname in ((_TEXT, "p"), (_TEXT, "h")):
                lines.extend(self._lines(child))
            elif qname == (_TEXT, "list"):
                lines.extend(self._list_lines(child, 0, depth + 1))
            elif qname == (_TABLE, "table") and depth < MAX_DEPTH:
                lines.extend(
                    " | ".join(
                        " ".join(self._cell(c, depth + 1))
                        for c in row.childNodes
                        if getattr(c, "qname", None) == (_TABLE, "table-cell")
                    )
                    for row in self._rows(child, depth + 1)
                )
        return lines

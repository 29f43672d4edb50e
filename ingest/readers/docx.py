"""Word (.docx, .docm) with python-docx: headings by style or outline level, lists with their levels,
tables cell by cell, bold runs, pages where the file marks them.

A .docx has no fixed pages: the page of a passage is counted from the breaks the file holds, the
explicit ones (``w:br w:type="page"``, page-break-before, a section starting on a new page) and the
ones Word rendered when it last saved it (``w:lastRenderedPageBreak``); a file with neither is one
page. A .docm is a .docx with a macro project: python-docx refuses its content type, so the package
is handed to it with the document's content type in place of the macro-enabled one; the macros are
bytes nobody runs (nothing here can), and the document says how many it carried in the log.
"""

from __future__ import annotations

import io
import logging
import re
import zipfile
from collections.abc import Iterator
from typing import Any

from ingest.errors import IngestError
from ingest.readers.base import Limits
from ingest.readers.office import (
    Metadata,
    PackageReader,
    Pages,
    bold,
    core_metadata,
    heading,
    inline,
    list_item,
    table_row,
)
from ingest.readers.zipsafe import Package

log = logging.getLogger(__name__)

KIND = "Word document"
_DOCUMENT = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
_MACRO_DOCUMENT = "application/vnd.ms-word.document.macroEnabled.main+xml"
_TEMPLATES = (
    "application/vnd.openxmlformats-officedocument.wordprocessingml.template.main+xml",
    "application/vnd.ms-word.template.macroEnabledTemplate.main+xml",
)
_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
_MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
# Inside a paragraph: drawings and text boxes are no part of its line (their text is laid out
# elsewhere), alternate content repeats what it has a fallback for, deleted text is gone.
_SKIP = {f"{_W}drawing", f"{_W}pict", f"{_W}object", f"{_W}del", f"{_W}txbxContent", f"{_MC}AlternateContent"}
_SKIP |= {f"{_W}footnoteReference", f"{_W}endnoteReference", f"{_W}commentReference", f"{_W}instrText"}
_SKIP |= {f"{_W}moveFrom", f"{_W}sdtPr"}
_HEADING_STYLE = re.compile(r"^(?:heading|overskrift)\s*(\d)$", re.I)
_LIST_STYLE = re.compile(r"^list (?:bullet|number|continue)(?:\s+(\d))?$|^list paragraph$", re.I)
_TOC_STYLE = re.compile(r"^(?:toc|innholdsfortegnelse)\s*\d", re.I)
_OFF = {"0", "false", "off"}


class DocxReader(PackageReader):
    extensions: tuple[str, ...] = (".docx", ".docm")
    kind = KIND
    fmt = "docx"

    def __init__(self, limits: Limits = Limits()) -> None:
        from docx.opc.exceptions import PackageNotFoundError

        super().__init__(limits)
        self.errors = (PackageNotFoundError,)

    def parse(self, package: Package, name: str) -> tuple[Pages, Metadata]:
        import docx

        document = docx.Document(_as_document(package, name))
        return _Walker(document, self.limits).pages(), core_metadata(document.core_properties)


def _content_types(package: Package) -> bytes:
    if "[Content_Types].xml" not in package.names:
        raise IngestError(f"not a valid {KIND}: a zip package without [Content_Types].xml")
    return package.read("[Content_Types].xml")


def _as_document(package: Package, name: str) -> io.BytesIO:
    """The package as python-docx takes it: a macro-enabled document (or a template) relabelled as a
    plain document, in a copy of the zip whose other members are the same bytes."""
    types = _content_types(package)
    kinds = [t for t in (_MACRO_DOCUMENT, *_TEMPLATES) if t.encode() in types]
    if not kinds:
        if _DOCUMENT.encode() not in types:
            raise IngestError(f"not a valid {KIND}: its main part is no Word document")
        return io.BytesIO(package.data)
    macros = sorted(n for n in package.names if n.lower().endswith("vbaproject.bin"))
    if macros:
        log.info(
            "%s: a macro-enabled document; its macros (%s) are not run, only its text is read",
            name,
            ", ".join(macros),
        )
    relabelled = types
    for kind in kinds:
        relabelled = relabelled.replace(kind.encode(), _DOCUMENT.encode())
    out = io.BytesIO()
    with package.archive() as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for member in source.infolist():
            target.writestr(
                member.filename,
                relabelled if member.filename == "[Content_Types].xml" else source.read(member),
            )
    out.seek(0)
    return out


class _Walker:
    """The body in document order into pages of markup."""

    def __init__(self, document: Any, limits: Limits) -> None:
        from docx.enum.style import WD_STYLE_TYPE

        self.document = document
        self.out = Pages(KIND, limits)
        styles = list(document.styles)
        self.bold_styles = {
            s.style_id for s in styles if s.type == WD_STYLE_TYPE.CHARACTER and _style_bold(s)
        }
        self.roles = {s.style_id: _role(s) for s in styles if s.type == WD_STYLE_TYPE.PARAGRAPH}
        self.default_role = _role(document.styles.default(WD_STYLE_TYPE.PARAGRAPH))

    def pages(self) -> Pages:
        self._blocks(self.document.element.body)
        return self.out

    def _blocks(self, element: Any) -> None:
        from docx.table import Table
        from docx.text.paragraph import Paragraph

        for child in element.iterchildren():
            if child.tag == f"{_W}p":
                self._paragraph(Paragraph(child, self.document))
            elif child.tag == f"{_W}tbl":
                self._table(Table(child, self.document))
            elif child.tag in (f"{_W}sdt", f"{_W}sdtContent", f"{_W}customXml", f"{_W}ins"):
                self._blocks(child)

    def _paragraph(self, paragraph: Any) -> None:
        p = paragraph._p
        ppr = p.pPr
        if ppr is not None and _on(ppr.find(f"{_W}pageBreakBefore")):
            self.out.page_break()
        role = self._role(paragraph)
        if role != ("toc", 0):
            lines = list(self._lines(p))
            for number, line in enumerate(lines):
                if line is None:
                    self.out.page_break()
                elif line.strip():
                    self.out.add(_shaped(line, role) if number == _first_text(lines) else line)
        if ppr is not None and _starts_new_page(ppr.find(f"{_W}sectPr")):
            self.out.page_break()

    def _role(self, paragraph: Any) -> tuple[str, int]:
        p = paragraph._p
        ppr = p.pPr
        role = self.roles.get(p.style, self.default_role) if p.style else self.default_role
        if ppr is not None:
            outline = ppr.find(f"{_W}outlineLvl")
            if outline is not None and (level := _int(outline.get(f"{_W}val"))) is not None and level < 9:
                return ("heading", level + 1)
            numpr = ppr.find(f"{_W}numPr")
            if numpr is not None and role[0] != "heading":
                num_id = numpr.find(f"{_W}numId")
                if num_id is not None and num_id.get(f"{_W}val") == "0":
                    return ("text", 0) if role[0] == "list" else role  # numbering taken off
                ilvl = numpr.find(f"{_W}ilvl")
                return ("list", (_int(ilvl.get(f"{_W}val")) or 0) if ilvl is not None else role[1])
        return role

    def _lines(self, p: Any) -> Iterator[str | None]:
        """The paragraph's text in lines; ``None`` where a page break falls."""
        parts: list[tuple[str, bool]] = []
        for kind, text, strong in self._runs(p):
            if kind == "text":
                parts.append((text, strong))
                continue
            line = _joined(parts)
            parts = []
            if kind == "break":
                if line.strip():
                    yield line
                yield None
            else:
                yield line
        yield _joined(parts)

    def _runs(self, element: Any) -> Iterator[tuple[str, str, bool]]:
        for child in element.iterchildren():
            if child.tag in _SKIP:
                continue
            if child.tag == f"{_W}r":
                yield from self._run(child)
            else:
                yield from self._runs(child)

    def _run(self, r: Any) -> Iterator[tuple[str, str, bool]]:
        strong = self._bold(r)
        for child in r.iterchildren():
            tag = child.tag
            if tag == f"{_W}t":
                yield "text", child.text or "", strong
            elif tag in (f"{_W}tab", f"{_W}ptab"):
                yield "text", " ", strong
            elif tag == f"{_W}noBreakHyphen":
                yield "text", "-", strong
            elif tag == f"{_W}lastRenderedPageBreak" or (
                tag == f"{_W}br" and child.get(f"{_W}type") == "page"
            ):
                yield "break", "", strong
            elif tag in (f"{_W}br", f"{_W}cr"):
                yield "newline", "", strong

    def _bold(self, r: Any) -> bool:
        rpr = r.rPr
        if rpr is not None:
            b = rpr.find(f"{_W}b")
            if b is not None:
                return _on(b)
        return r.style in self.bold_styles if r.style else False

    def _table(self, table: Any) -> None:
        for tr in table._tbl.tr_lst:
            if any(True for _ in tr.iter(f"{_W}lastRenderedPageBreak")):
                self.out.page_break()
            cells = [self._cell(tc, table) for tc in tr.tc_lst]
            if any(any(line.strip() for line in cell) for cell in cells):
                self.out.add(table_row(cells))

    def _cell(self, tc: Any, table: Any) -> list[str]:
        from docx.table import Table, _Cell
        from docx.text.paragraph import Paragraph

        if tc.vMerge == "continue":
            return [""]  # the cell above spans this one: its text stands there, once
        lines: list[str] = []
        for block in _Cell(tc, table).iter_inner_content():
            if isinstance(block, Paragraph):
                role = self._role(block)
                lines.extend(
                    _shaped(line, role) if role[0] == "list" else line
                    for line in self._lines(block._p)
                    if line
                )
            elif isinstance(block, Table):  # a table in a cell: its rows as lines of the cell
                lines.extend(
                    " | ".join(
                        x for x in (" ".join(self._cell(inner, block)) for inner in tr.tc_lst) if x.strip()
                    )
                    for tr in block._tbl.tr_lst
                )
        return lines


def _role(style: Any) -> tuple[str, int]:
    """What a paragraph style makes of its paragraphs: ("heading", level), ("list", level),
    ("toc", 0) or ("text", 0); from its name or outline level, else from the style it is based on."""
    seen = 0
    while style is not None and seen < 20:
        name = (style.name or "").strip()
        if name.lower() == "title":
            return ("heading", 1)
        if match := _HEADING_STYLE.match(name):
            return ("heading", int(match.group(1)))
        if _TOC_STYLE.match(name):
            return ("toc", 0)
        if match := _LIST_STYLE.match(name):
            return ("list", int(match.group(1)) - 1 if match.group(1) else 0)
        ppr = style.element.pPr
        if ppr is not None:
            outline = ppr.find(f"{_W}outlineLvl")
            if outline is not None and (level := _int(outline.get(f"{_W}val"))) is not None and level < 9:
                return ("heading", level + 1)
            if ppr.find(f"{_W}numPr") is not None:
                return ("list", 0)
        style = style.base_style
        seen += 1
    return ("text", 0)


def _style_bold(style: Any) -> bool:
    seen = 0
    while style is not None and seen < 20:
        if style.font.bold is not None:
            return bool(style.font.bold)
        style = style.base_style
        seen += 1
    return False


def _shaped(line: str, role: tuple[str, int]) -> str:
    kind, level = role
    if kind == "heading":
        return heading(line.replace("**", ""), level)
    if kind == "list":
        return list_item(line, level)
    return line


def _first_text(lines: list[str | None]) -> int:
    return next((i for i, line in enumerate(lines) if line), -1)


def _joined(parts: list[tuple[str, bool]]) -> str:
    """Runs into one line, neighbouring bold runs as one span (Word splits runs where it likes)."""
    out: list[str] = []
    index = 0
    while index < len(parts):
        strong = parts[index][1]
        end = index
        while end < len(parts) and parts[end][1] == strong:
            end += 1
        text = "".join(text for text, _ in parts[index:end])
        out.append(bold(text) if strong and text.strip() else text)
        index = end
    return inline("".join(out))


def _on(element: Any) -> bool:
    return element is not None and (element.get(f"{_W}val") or "true").lower() not in _OFF


def _int(value: str | None) -> int | None:
    try:
        return int(value) if value is not None else None
    except ValueError:
        return None


def _starts_new_page(sectpr: Any) -> bool:
    """A section break in a paragraph: the next section starts on a new page unless it is continuous."""
    if sectpr is None:
        return False
    kind = sectpr.find(f"{_W}type")
    return kind is None or kind.get(f"{_W}val") not in ("continuous", "nextColumn")

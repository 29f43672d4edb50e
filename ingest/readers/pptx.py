"""PowerPoint (.pptx) with python-pptx: one page per slide, its title a heading, its text boxes and
tables in reading order (top to bottom, left to right).

The number of slides is counted from the package's members before python-pptx parses any, and
bounded by HFKG_MAX_PAGES as a PDF's pages are. The first slide's title is the deck's title
(level 1), the others' titles head their slides (level 2). Text in a body placeholder is a bulleted
list unless a paragraph turns its bullet off; a text box's paragraphs are plain unless they set one.
Footers, dates and slide numbers repeat on every slide and are left out.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable
from typing import Any

from ingest.errors import IngestError
from ingest.readers import office
from ingest.readers.base import Limits
from ingest.readers.office import Metadata, PackageReader, Pages, core_metadata
from ingest.readers.zipsafe import Package

KIND = "PowerPoint presentation"
_SLIDE = re.compile(r"^ppt/slides/slide\d+\.xml$")
_A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"
MAX_DEPTH = 50  # groups in groups


class PptxReader(PackageReader):
    extensions: tuple[str, ...] = (".pptx",)
    kind = KIND
    fmt = "pptx"

    def __init__(self, limits: Limits = Limits()) -> None:
        from pptx.exc import PackageNotFoundError

        super().__init__(limits)
        self.errors = (PackageNotFoundError,)

    def check(self, package: Package) -> None:
        _check_slides(package, self.limits)

    def parse(self, package: Package, name: str) -> tuple[Pages, Metadata]:
        import pptx

        presentation = pptx.Presentation(io.BytesIO(package.data))
        out = Pages(KIND, self.limits)
        layouts: dict[str, dict[int, tuple[int, int]]] = {}
        for number, slide in enumerate(presentation.slides, start=1):
            if number > 1:
                out.page_break(always=True)
            _slide(slide, number, out, layouts)
        return out, core_metadata(presentation.core_properties)


def _check_slides(package: Package, limits: Limits) -> None:
    if "ppt/presentation.xml" not in package.names:
        raise IngestError(f"not a valid {KIND}: a zip package without ppt/presentation.xml")
    count = sum(1 for name in package.names if _SLIDE.match(name))
    if count > limits.max_pages:
        raise IngestError(f"{KIND} has {count} slides, over the limit of {limits.max_pages}")


def _slide(slide: Any, number: int, out: Pages, layouts: dict[str, dict[int, tuple[int, int]]]) -> None:
    inherited = _layout_positions(slide.slide_layout, layouts)
    for role, shape in _reading_order(slide.shapes, inherited, 0):
        if role == "skip":
            continue
        if getattr(shape, "has_table", False) and shape.has_table:
            _table(shape.table, out)
        elif shape.has_text_frame:
            _text(shape.text_frame, role, number, out)


def _layout_positions(
    layout: Any, layouts: dict[str, dict[int, tuple[int, int]]]
) -> dict[int, tuple[int, int]]:
    """Where a layout puts its placeholders, by index: a slide's placeholder without a position of its
    own stands there. Looked up once a layout (python-pptx looks it up for every shape it is asked)."""
    key = str(layout.part.partname)
    if key not in layouts:
        layouts[key] = {p.placeholder_format.idx: (p.top or 0, p.left or 0) for p in layout.placeholders}
    return layouts[key]


def _reading_order(
    shapes: Iterable[Any], inherited: dict[int, tuple[int, int]], depth: int
) -> list[tuple[str, Any]]:
    """The shapes with their roles: titles first, then top to bottom and left to right."""
    from pptx.enum.shapes import MSO_SHAPE_TYPE

    found: list[tuple[tuple[bool, int, int], str, Any]] = []
    for shape in shapes:
        if shape.shape_type == MSO_SHAPE_TYPE.GROUP and depth < MAX_DEPTH:
            # A group's shapes in their own order, where the group stands.
            where = (True, shape.top or 0, shape.left or 0)
            found.extend(
                (where, role, inner) for role, inner in _reading_order(shape.shapes, inherited, depth + 1)
            )
            continue
        role = _placeholder_role(shape)
        if shape.is_placeholder and getattr(shape._element, "xfrm", None) is None:
            top, left = inherited.get(shape.placeholder_format.idx, (0, 0))
        else:
            top, left = shape.top or 0, shape.left or 0
        found.append(((role != "title", top, left), role, shape))
    found.sort(key=lambda item: item[0])
    return [(role, shape) for _, role, shape in found]


def _placeholder_role(shape: Any) -> str:
    from pptx.enum.shapes import PP_PLACEHOLDER

    if not shape.is_placeholder:
        return "text"
    kind = shape.placeholder_format.type
    if kind in (PP_PLACEHOLDER.TITLE, PP_PLACEHOLDER.CENTER_TITLE, PP_PLACEHOLDER.VERTICAL_TITLE):
        return "title"
    if kind in (
        PP_PLACEHOLDER.DATE,
        PP_PLACEHOLDER.FOOTER,
        PP_PLACEHOLDER.SLIDE_NUMBER,
        PP_PLACEHOLDER.HEADER,
    ):
        return "skip"
    if kind in (
        PP_PLACEHOLDER.BODY,
        PP_PLACEHOLDER.OBJECT,
        PP_PLACEHOLDER.VERTICAL_BODY,
        PP_PLACEHOLDER.VERTICAL_OBJECT,
    ):
        return "body"
    return "text"


def _text(frame: Any, role: str, number: int, out: Pages) -> None:
    if role == "title":
        title = office.inline(" ".join(_line(p).replace("**", "") for p in frame.paragraphs))
        if title:
            out.add(office.heading(title, 1 if number == 1 else 2))
        return
    for paragraph in frame.paragraphs:
        line = _line(paragraph)
        if not line:
            continue
        out.add(office.list_item(line, paragraph.level) if _bulleted(paragraph, role) else line)


def _bulleted(paragraph: Any, role: str) -> bool:
    ppr = paragraph._p.pPr
    if ppr is not None:
        if ppr.find(f"{_A}buNone") is not None:
            return False
        if ppr.find(f"{_A}buChar") is not None or ppr.find(f"{_A}buAutoNum") is not None:
            return True
    return role == "body"


def _line(paragraph: Any) -> str:
    """A paragraph's runs, neighbouring bold runs as one span; a line break (``a:br``) as a space."""
    parts: list[tuple[str, bool]] = []
    for run in paragraph.runs:
        # Read off the run's properties: python-pptx's run.font adds an empty one to every run it is asked about.
        rpr = run._r.rPr
        parts.append((run.text, rpr is not None and rpr.get("b") in ("1", "true")))
    out: list[str] = []
    for text, strong in _merged(parts):
        out.append(office.bold(text) if strong and text.strip() else text)
    return office.inline("".join(out).replace("\v", " "))


def _merged(parts: list[tuple[str, bool]]) -> list[tuple[str, bool]]:
    merged: list[tuple[str, bool]] = []
    for text, strong in parts:
        if merged and merged[-1][1] == strong:
            merged[-1] = (merged[-1][0] + text, strong)
        else:
            merged.append((text, strong))
    return merged


def _table(table: Any, out: Pages) -> None:
    for row in table.rows:
        cells = []
        for cell in row.cells:
            if cell.is_spanned:
                cells.append([""])  # under or beside a merged cell: its text stands there, once
            else:
                cells.append([_line(p) for p in cell.text_frame.paragraphs])
        if any(any(line.strip() for line in cell) for cell in cells):
            out.add(office.table_row(cells))

"""GET /search/export.csv and /search/export.xlsx: every hit of a search, for a spreadsheet.

The same filters as /search (its query parameters, read by the same dependency, so a filter /search
gains is exported too), ``kind=decision`` for agenda items; ``limit`` and ``offset`` are ignored:
the export holds every hit, in /search's order, up to ``MAX_EXPORT``. Before the hits, a header
block says what was searched (the query, every filter, the time of the export, how many hits); in
the workbook it is the first sheet, «Søk», and the hits are the second, «Treff».

CSV is what Excel opens in Norway: semicolons (the list separator of the nb-NO locale) and UTF-8
with a byte-order mark (without it Excel reads UTF-8 as cp1252: «SkrÃ¸pelige»). A cell a
spreadsheet would take for a formula (starting with = + - @, a tab or a line break) gets a leading
apostrophe in the CSV; the workbook stores every cell as text, which needs no such guard.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable
from datetime import date, datetime
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import Response
from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from api.deps import ReadDep
from api.read_model import ReadModel
from api.routes.search import FiltersDep
from api.routes.source import source_url, stored_original
from api.schemas import ErrorResponse
from api.web.labels import FACET_TITLES
from api.web.links import document_url, url
from api.web.render import snippet_parts
from ingest.segment.passages import reading_text

router = APIRouter(prefix="/search", tags=["search"])

MAX_EXPORT = 5000  # hits in one export (25 pages of /search's largest)
PAGE = 200  # /search's largest page (search.responses.MAX_LIMIT)
CELL_MAX = 32_000  # Excel holds at most 32,767 characters in a cell
FORMULA_START = ("=", "+", "-", "@", "\t", "\r", "\n")
FILTER_NAMES = {
    **FACET_TITLES,
    "doc_type": "Dokumenttype",
    "entity": "Omtalt",
    "sort": "Sortering",
    "date_from": "Fra dato",
    "date_to": "Til dato",
}
# Not filters of what is exported: paging, and grouping by document (an export lists every hit).
NOT_EXPORTED = ("limit", "offset", "group")
# The search page's names of the parameters whose API names differ.
PAGE_PARAMS = {"doc_type": "type", "date_from": "fra", "date_to": "til"}

PASSAGE_COLUMNS = {
    "title": "Dokument",
    "doc_id": "doc_id",
    "doc_type": "Dokumenttype",
    "fellesskap": "Helsefellesskap",
    "date": "Dato",
    "year": "År",
    "page": "Side",
    "section": "Seksjon",
    "text": "Avsnitt",
    "link": "Lenke",
    "original": "Originalfil",
}
DECISION_COLUMNS = {
    "number": "Saksnr.",
    "item": "Sak",
    "body": "Møte",
    "conclusion": "Konklusjon",
    **PASSAGE_COLUMNS,
}

Kind = Literal["passage", "decision"]
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorResponse}, 422: {"model": ErrorResponse}}


def all_hits(read: ReadModel, q: str, filters: dict[str, Any], kind: str) -> tuple[int, list[dict[str, Any]]]:
    """The search's total and its hits in order, page by page, at most MAX_EXPORT."""
    wanted = {k: v for k, v in filters.items() if k not in NOT_EXPORTED}
    hits: list[dict[str, Any]] = []
    total = 0
    while len(hits) < MAX_EXPORT:
        page = read.search(q, **wanted, kind=kind, limit=PAGE, offset=len(hits))
        total = max(total, page["total"])
        hits += page["hits"][: MAX_EXPORT - len(hits)]
        # A short page is the end; a total is not trusted to say so (it has depended on the page).
        if len(page["hits"]) < PAGE:
            break
    return total, hits


class Rows:
    """Hits as table rows: the passage's whole text (not the snippet), links made absolute."""

    def __init__(self, read: ReadModel, base: str, kind: str) -> None:
        self.read = read
        self.base = base.rstrip("/")
        self.columns = DECISION_COLUMNS if kind == "decision" else PASSAGE_COLUMNS
        self._texts: dict[str, dict[str, str]] = {}
        self._pdf: dict[str, bool | None] = {}

    def row(self, hit: dict[str, Any]) -> dict[str, Any]:
        doc_id, page = hit["doc_id"], hit.get("page")
        decision = hit.get("kind") == "decision"
        values = {
            "title": hit.get("document_title") if decision else hit.get("title"),
            "doc_id": doc_id,
            "doc_type": hit.get("doc_type"),
            "fellesskap": hit.get("fellesskap_name"),
            "date": hit.get("date"),
            "year": hit.get("year"),
            "page": page,
            "section": (hit.get("section") or "").replace(" > ", " › "),
            "text": self._text(doc_id, hit.get("passage_id")) or _plain(hit.get("snippet")),
            "link": self.base + document_url(doc_id, hit.get("passage_id")),
            "original": self._original(doc_id, page),
            "number": hit.get("number"),
            "item": hit.get("title") if decision else None,
            "body": hit.get("body"),
            "conclusion": hit.get("conclusion"),
        }
        return {k: values[k] for k in self.columns}

    def _text(self, doc_id: str, passage_id: str | None) -> str:
        if doc_id not in self._texts:
            doc = self.read.services.documents.document(doc_id)
            self._texts[doc_id] = {p.passage_id: reading_text(p.text) for p in doc.passages}
        return self._texts[doc_id].get(passage_id or "", "")

    def _original(self, doc_id: str, page: int | None) -> str:
        if doc_id not in self._pdf:
            services = self.read.services
            original = stored_original(services.documents, services.settings.data_dir, doc_id)
            self._pdf[doc_id] = original.is_pdf if original else None
        stored = self._pdf[doc_id]
        if stored is None:
            return ""
        return self.base + source_url(doc_id, page if stored else None)


def _plain(snippet: str | None) -> str:
    return "".join(part.text for part in snippet_parts(snippet))


def header_block(
    read: ReadModel, q: str, filters: dict[str, Any], kind: str, total: int, shown: int, base: str
) -> list[tuple[str, str]]:
    """What was searched, as label and value: the query, every filter (empty where none), when."""
    wanted = {k: v for k, v in filters.items() if k not in NOT_EXPORTED}
    lines = [("Søk", q), ("Søker i", "saker og vedtak" if kind == "decision" else "avsnitt")]
    for name, value in wanted.items():
        lines.append((FILTER_NAMES.get(name, name), _filter_value(read, name, value)))
    lines.append(("Eksportert", datetime.now().astimezone().isoformat(timespec="seconds")))
    lines.append(("Treff", str(total) if shown == total else f"{total} (de første {shown} er med)"))
    params = {"q": q, "kind": kind if kind == "decision" else None}
    params |= {PAGE_PARAMS.get(k, k): v for k, v in wanted.items() if not (k == "sort" and v == "relevance")}
    lines.append(("Søket i nettleseren", base.rstrip("/") + url("/sok", params)))
    return lines


def _filter_value(read: ReadModel, name: str, value: Any) -> str:
    if value in (None, ""):
        return ""
    if name == "entity":
        return f"{read.queries.label(read.queries.iri(str(value)))} ({value})"
    if name == "fellesskap":
        names = {d.get("fellesskap_id"): d.get("fellesskap") for d in read.services.documents.summaries()}
        return f"{names[value]} ({value})" if names.get(value) else str(value)
    return str(value)


def _csv_cell(value: Any) -> str:
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(FORMULA_START) else text


def to_csv(head: Iterable[tuple[str, str]], columns: dict[str, str], rows: Iterable[dict[str, Any]]) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerows([_csv_cell(k), _csv_cell(v)] for k, v in head)
    writer.writerow([])
    writer.writerow(columns.values())
    writer.writerows([_csv_cell(v) for v in row.values()] for row in rows)
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def to_xlsx(
    head: Iterable[tuple[str, str]], columns: dict[str, str], rows: Iterable[dict[str, Any]]
) -> bytes:
    book = Workbook()
    about = book.active
    assert about is not None  # a new workbook has its one sheet
    about.title = "Søk"
    for label, value in head:
        _append(about, [_text_cell(label), _text_cell(value)])
        about.cell(about.max_row, 1).font = Font(bold=True)
    about.column_dimensions["A"].width = 22
    about.column_dimensions["B"].width = 80
    sheet = book.create_sheet("Treff")
    _append(sheet, list(columns.values()))
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    keys = list(columns)
    for row in rows:
        _append(sheet, [_xlsx_value(k, v) for k, v in row.items()])
        if "date" in keys and row["date"]:
            sheet.cell(sheet.max_row, keys.index("date") + 1).number_format = "DD.MM.YYYY"
        for key in ("link", "original"):
            if key in keys and row[key]:
                sheet.cell(sheet.max_row, keys.index(key) + 1).hyperlink = row[key]
    sheet.freeze_panes = "A2"
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(keys))}{sheet.max_row}"
    for i, key in enumerate(keys, start=1):
        sheet.column_dimensions[get_column_letter(i)].width = 60 if key in ("text", "conclusion") else 18
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def _text_cell(value: Any) -> Any:
    # XML 1.0 has no control characters: a query or filter typed with one must not fail the workbook.
    return None if value is None else ILLEGAL_CHARACTERS_RE.sub("", str(value))[:CELL_MAX]


def _append(sheet: Any, values: list[Any]) -> None:
    """A row of cells, every string stored as text: openpyxl makes one starting with "=" a formula."""
    sheet.append(values)
    for cell in sheet[sheet.max_row]:
        if cell.data_type == "f":
            cell.data_type = "s"


def _xlsx_value(key: str, value: Any) -> Any:
    if key == "date" and value:
        return date.fromisoformat(str(value)[:10])  # a date cell: sorts and filters as a date
    if isinstance(value, int):
        return value
    return _text_cell(value)


def _export(read: ReadModel, request: Request, params: Any, kind: str, fmt: str) -> Response:
    base = str(request.base_url)
    total, hits = all_hits(read, params.q, params.filters, kind)
    rows = Rows(read, base, kind)
    table = [rows.row(h) for h in hits]
    head = header_block(read, params.q, params.filters, kind, total, len(hits), base)
    stamp = datetime.now().strftime("%Y-%m-%d")
    name = f"hfkg-{'saker' if kind == 'decision' else 'sok'}-{stamp}.{fmt}"
    if fmt == "csv":
        body, media = to_csv(head, rows.columns, table), "text/csv; charset=utf-8"
    else:
        body = to_xlsx(head, rows.columns, table)
        media = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return Response(body, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


@router.get(
    "/export.csv",
    summary=f"Every hit of a search as CSV (semicolons, UTF-8 with BOM), at most {MAX_EXPORT}",
    response_class=Response,
    responses={200: {"content": {"text/csv": {}}}, **ERRORS},
)
def export_csv(read: ReadDep, request: Request, params: FiltersDep, kind: Kind = "passage") -> Response:
    return _export(read, request, params, kind, "csv")


@router.get(
    "/export.xlsx",
    summary=f"Every hit of a search as an Excel workbook (sheets «Søk» and «Treff»), at most {MAX_EXPORT}",
    response_class=Response,
    responses={
        200: {"content": {"application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {}}},
        **ERRORS,
    },
)
def export_xlsx(read: ReadDep, request: Request, params: FiltersDep, kind: Kind = "passage") -> Response:
    return _export(read, request, params, kind, "xlsx")

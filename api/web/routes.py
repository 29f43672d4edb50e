"""The web UI: server-rendered pages over the same read model as the JSON API; works without JavaScript."""

from __future__ import annotations

from collections import Counter
from typing import Annotated, Any

from fastapi import APIRouter, Query
from fastapi.responses import HTMLResponse

from api.deps import ReadDep
from api.routes.documents import document_detail
from api.routes.source import pdf_originals, source_info
from api.web import search_views, views
from api.web.render import render
from ingest.errors import HfkgError, NotFound, QueryError
from kinds import registry

router = APIRouter(include_in_schema=False)

PER_PAGE = 10
ENTITIES_PER_PAGE = 50
Text = Annotated[str, Query(max_length=500)]


def _html(
    template: str, title: str, view: dict[str, Any], active: str | None = None, status: int = 200
) -> HTMLResponse:
    return HTMLResponse(render(template, title=title, active=active, **view), status_code=status)


def _error(exc: HfkgError) -> HTMLResponse:
    status = 404 if isinstance(exc, NotFound) else 400
    heading = {404: "Fant ikke siden", 400: "Ugyldig forespørsel"}.get(status, "Noe gikk galt")
    return _html(
        "error.html",
        "Fant ikke" if status == 404 else "Feil",
        {"heading": heading, "message": str(exc)},
        status=status,
    )


@router.get("/", response_class=HTMLResponse)
def home(read: ReadDep) -> HTMLResponse:
    summaries = read.services.documents.summaries()
    _, items = read.entities(None, None, 100_000, 0)
    order = registry().order("home")
    counts = Counter(i["type"] for i in items)
    types = {t: counts[t] for t in order if counts.get(t)}
    view = {"documents": len(summaries), "types": types, "questions": views.EXAMPLE_QUESTIONS}
    return _html("home.html", "Forside", view)


@router.get("/sok", response_class=HTMLResponse)
def search_page(
    read: ReadDep,
    q: Text = "",
    kind: str = "passage",
    year: Text = "",
    type: Text = "",
    fellesskap: Text = "",
    committee: Text = "",
    entity_type: Text = "",
    entity: Text = "",
    side: Annotated[int, Query(ge=1, le=500)] = 1,
    sort: Text = "",
    fra: Text = "",
    til: Text = "",
    gruppert: Text = "",
) -> HTMLResponse:
    kind = kind if kind in ("passage", "decision") else "passage"
    sort = sort if sort in ("newest", "oldest") else ""
    params = {
        "q": q.strip(),
        "kind": kind,
        "year": year,
        "type": type,
        "fellesskap": fellesskap,
        "committee": committee,
        "entity_type": entity_type,
        "entity": entity,
        "side": str(side) if side > 1 else "",
        "sort": sort,
        "fra": fra,
        "til": til,
        "gruppert": "1" if gruppert else "",
    }
    names = _filter_names(read, entity)
    has_filter = any(params[k] for k in (*search_views.FILTERS, *search_views.DATE_FILTERS))
    if not params["q"] and not has_filter:
        return _html("search.html", "Søk", search_views.search(params, None, names, PER_PAGE), "sok")
    try:
        result = read.search(
            params["q"],
            kind=kind,
            year=year or None,
            doc_type=type or None,
            fellesskap=fellesskap or None,
            committee=committee or None,
            entity_type=entity_type or None,
            entity=entity or None,
            limit=PER_PAGE,
            offset=(side - 1) * PER_PAGE,
            sort=sort or "relevance",
            date_from=fra or None,
            date_to=til or None,
            group=bool(gruppert),
        )
    except QueryError as exc:
        return _error(exc)
    title = f"Søk: {params['q']}" if params["q"] else "Søk"
    pdfs = pdf_originals(read.services.documents, read.services.settings.data_dir, result)
    return _html("search.html", title, search_views.search(params, result, names, PER_PAGE, pdfs), "sok")


def _filter_names(read: ReadDep, entity: str) -> dict[str, dict[str, str]]:
    """Display names of filter values that are ids (helsefellesskap, entity)."""
    communities: dict[str, str] = {
        d["fellesskap_id"]: d["fellesskap"]
        for d in read.services.documents.summaries()
        if d.get("fellesskap_id") and d.get("fellesskap")
    }
    names: dict[str, dict[str, str]] = {"fellesskap": communities}
    if entity:
        names["entity"] = {entity: read.queries.label(read.queries.iri(entity))}
    return names


@router.get("/spor", response_class=HTMLResponse)
def ask_page(read: ReadDep, q: Text = "") -> HTMLResponse:
    question = " ".join(q.split())
    if not question:
        return _html("ask.html", "Spør", views.ask("", None), "spor")
    communities = _filter_names(read, "")["fellesskap"]
    return _html(
        "ask.html", f"Spør: {question}", views.ask(question, read.ask(question), communities), "spor"
    )


@router.get("/dokumenter", response_class=HTMLResponse)
def documents_page(read: ReadDep) -> HTMLResponse:
    docs = sorted(
        read.services.documents.summaries(),
        key=lambda d: (d.get("fellesskap") or "", d.get("date") or str(d.get("year") or ""), d["title"]),
    )
    return _html("documents.html", "Dokumenter", {"docs": docs}, "dokumenter")


@router.get("/dokumenter/{doc_id}", response_class=HTMLResponse)
def document_page(read: ReadDep, doc_id: str) -> HTMLResponse:
    try:
        detail = read.cache.get(("document_detail", doc_id), lambda: _detail(read, doc_id))
    except NotFound as exc:
        return _error(exc)
    titles = {d["doc_id"]: d["title"] for d in read.services.documents.summaries()}
    original = source_info(read.services.documents, read.services.settings.data_dir, doc_id)
    return _html("document.html", detail["title"], views.document(detail, titles, original), "dokumenter")


def _detail(read: ReadDep, doc_id: str) -> dict[str, Any]:
    """The API's view of the document, with the pages read by OCR that the page marks."""
    doc = read.services.documents.document(doc_id)
    return {**document_detail(doc), "ocr_pages": doc.ocr_pages}


@router.get("/enheter", response_class=HTMLResponse)
def entities_page(
    read: ReadDep, type: Text = "", q: Text = "", fra: Annotated[int, Query(ge=0)] = 0
) -> HTMLResponse:
    total, items = read.entities(type or None, q or None, ENTITIES_PER_PAGE, fra)
    view = views.entities(type or None, q, total, items, fra, ENTITIES_PER_PAGE)
    return _html("entities.html", "Register", view, "enheter")


@router.get("/enheter/{entity_id:path}", response_class=HTMLResponse)
def entity_page(read: ReadDep, entity_id: str) -> HTMLResponse:
    try:
        entity = read.entity(entity_id)
        timeline = read.timeline(entity_id)
        hood = read.neighbors(entity_id, 1)
    except NotFound as exc:
        return _error(exc)
    return _html("entity.html", entity["label"], views.entity(entity, timeline, hood), "enheter")

"""What the search page shows (api/web/templates/search.html), as plain data: hits, facets, the sort
and date controls, groups of hits by document, the pages.

No markup here: the templates write it, with autoescape on (api/web/render.py).
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from api.routes.source import source_url
from api.web.labels import FACET_TITLES, type_label
from api.web.links import document_url, url
from api.web.render import fmt_date

FILTERS = ("year", "type", "fellesskap", "committee", "entity_type", "entity")
FACET_PARAM = {"doc_type": "type"}
FACET_SHOWN = 8
SORTS = [("relevance", "Mest relevante først"), ("newest", "Nyeste først"), ("oldest", "Eldste først")]
DATE_FILTERS = {"fra": "Fra dato", "til": "Til dato"}


def search(
    params: dict[str, str],
    result: dict[str, Any] | None,
    names: dict[str, dict[str, str]],
    per_page: int,
    pdfs: Collection[str] = (),
) -> dict[str, Any]:
    """``pdfs``: the documents whose original is a PDF the data directory holds (hits link its page)."""
    q, kind = params.get("q", ""), params.get("kind", "passage")
    active = {k: params[k] for k in FILTERS + tuple(DATE_FILTERS) if params.get(k)}
    view: dict[str, Any] = {"q": q, "kind": kind, "filters": active, "result": None, "order": _order(params)}
    if result is None:
        return view
    names = {**names, **{FACET_PARAM.get(k, k): v for k, v in result.get("facet_labels", {}).items()}}
    facets = [
        f
        for name, counts in result["facets"].items()
        if any(counts) and (f := _facet(name, counts, params, names))
    ]
    did = result.get("did_you_mean")
    groups = result.get("groups")
    documents = result.get("total_documents")
    return {
        **view,
        "result": {
            "hits": [hit(h, pdfs) for h in result["hits"]],
            "groups": [_group(g, pdfs) for g in groups] if groups is not None else None,
        },
        "chips": _chips(params, active, names),
        "facets": facets,
        "total": result["total"],
        "total_documents": documents,
        "pages": _search_pages(
            params, documents if groups is not None and documents else result["total"], per_page
        ),
        "did_you_mean": {"text": did, "link": url("/sok", params, q=did)} if did else None,
    }


def _order(params: dict[str, str]) -> dict[str, Any]:
    """The sort, date and grouping form: its values, and what it carries along (the query and every
    filter but the dates it sets)."""
    return {
        "sort": params.get("sort") or "relevance",
        "fra": params.get("fra", ""),
        "til": params.get("til", ""),
        "gruppert": bool(params.get("gruppert")),
        "sorts": SORTS,
        "hidden": {k: v for k, v in params.items() if v and k in ("q", "kind", *FILTERS)},
    }


def _chips(
    params: dict[str, str], active: dict[str, str], names: dict[str, dict[str, str]]
) -> list[dict[str, str]]:
    """The filters in use, each with a link that removes it."""
    return [
        {
            "title": DATE_FILTERS.get(k) or FACET_TITLES.get("doc_type" if k == "type" else k, "Omtalt"),
            "label": (fmt_date(v) or v) if k in DATE_FILTERS else names.get(k, {}).get(v, v),
            "remove": url("/sok", params, **{k: None, "side": None}),
        }
        for k, v in active.items()
    ]


def _group(g: dict[str, Any], pdfs: Collection[str]) -> dict[str, Any]:
    """One document's heading and its best hits (the search grouped by document)."""
    when = _when(g)
    meta = [(g.get("doc_type") or "").capitalize(), g.get("fellesskap_name"), when]
    return {
        "title": g["title"],
        "link": document_url(g["doc_id"]),
        "meta": [m for m in meta if m],
        "hits": [hit(h, pdfs) for h in g["hits"]],
        "more": g["more"],
    }


def _facet(
    name: str, counts: dict[str, int], params: dict[str, str], names: dict[str, dict[str, str]]
) -> dict[str, Any] | None:
    param = FACET_PARAM.get(name, name)
    chosen = params.get(param)
    items = []
    for value, count in list(counts.items())[:30]:
        if not value:
            continue
        label = names.get(param, {}).get(value, value)
        if param == "entity_type":
            label = type_label(value)
        elif param == "type":
            label = value.capitalize()
        selected = chosen == value
        items.append(
            {
                "label": label,
                "count": count,
                "selected": selected,
                "link": url("/sok", params, **{param: None if selected else value, "side": None}),
            }
        )
    if not items:
        return None
    return {"title": FACET_TITLES.get(name, name), "shown": items[:FACET_SHOWN], "rest": items[FACET_SHOWN:]}


def _when(h: dict[str, Any]) -> str:
    """A hit's year/date line: a plan's period and its date, said to be the adoption where it is
    ("2023 · vedtatt 07.10.2022", "2023–2024"), else the date, else the year."""
    date = fmt_date(h.get("date"))
    if h.get("period"):
        said = f"vedtatt {date}" if date and h.get("date") == h.get("adopted") else date
        return " · ".join(x for x in (h["period"], said) if x)
    return date or (str(h["year"]) if h.get("year") else "")


def hit(h: dict[str, Any], pdfs: Collection[str] = ()) -> dict[str, Any]:
    """A search hit (a passage or a decision) as its card shows it; one of a PDF the data directory
    holds links its page there."""
    when = _when(h)
    page = f"s. {h['page']}" if h.get("page") else None
    in_pdf = h["doc_id"] in pdfs and h.get("page")
    view = {
        "link": document_url(h["doc_id"], h.get("passage_id")),
        "pdf": {"url": source_url(h["doc_id"], h["page"]), "label": f"åpne s. {h['page']} i PDF-en"}
        if in_pdf
        else None,
        "section": h.get("section"),
        "snippet": h.get("snippet"),
        "entities": h.get("entities", [])[:6],
        "conclusion": None,
    }
    if h.get("kind") == "decision":
        view["title"] = " ".join(x for x in ("Sak", h.get("number") or "", h["title"]) if x)
        meta = [h.get("body"), h.get("document_title"), when, page]
        view["conclusion"] = h.get("conclusion")
        view["conclusion_label"] = h.get("conclusion_label") or "Konklusjon"
    else:
        view["title"] = h["title"]
        meta = [(h.get("doc_type") or "").capitalize(), h.get("fellesskap_name"), when, page]
    view["meta"] = [m for m in meta if m]
    return view


def _search_pages(params: dict[str, str], total: int, per_page: int) -> dict[str, Any] | None:
    current = max(1, int(params.get("side") or 1))
    pages = (total + per_page - 1) // per_page
    if pages <= 1:
        return None
    return {
        "label": f"Side {current} av {pages}",
        "prev": url("/sok", params, side=current - 1) if current > 1 else None,
        "next": url("/sok", params, side=current + 1) if current < pages else None,
    }

"""What each page of the web UI shows, as plain data for its template (api/web/templates/*.html).

No markup here: the templates write it, with autoescape on (api/web/render.py).
"""

from __future__ import annotations

from collections import defaultdict
from typing import Any

from api.web.labels import ATTRIBUTE_NAMES, ENTITY_TYPES, FACET_TITLES, METHODS, predicate_label, type_label
from api.web.links import document_url, url
from api.web.neighbourhood import neighbourhood
from api.web.render import fmt_date

FILTERS = ("year", "type", "fellesskap", "committee", "entity_type", "entity")
FACET_PARAM = {"doc_type": "type"}
FACET_SHOWN = 8
BAR_STEPS = 8  # a timeline bar's height classes .h0 … .h8 in static/style.css
EXAMPLE_QUESTIONS = [
    "Hvilke tiltak retter seg mot skrøpelige eldre?",
    "Hvilke kommuner deltar i Vitality?",
    "Hvilken kommune er pilotkommune for Ung Arena+?",
    "Hvem var møteleder for SSU-møtet 29.02.24 i Vestfold?",
    "Hvilke fagutvalg finnes i Helsefellesskapet i Vestfold?",
]


# -- search -------------------------------------------------------------------------------------
SORTS = [("relevance", "Mest relevante først"), ("newest", "Nyeste først"), ("oldest", "Eldste først")]
DATE_FILTERS = {"fra": "Fra dato", "til": "Til dato"}


def search(
    params: dict[str, str], result: dict[str, Any] | None, names: dict[str, dict[str, str]], per_page: int
) -> dict[str, Any]:
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
            "hits": [hit(h) for h in result["hits"]],
            "groups": [_group(g) for g in groups] if groups is not None else None,
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
            "title": DATE_FILTERS.get(k) or FACET_TITLES.get("doc_type" if k == "type" else k, "Enhet"),
            "label": (fmt_date(v) or v) if k in DATE_FILTERS else names.get(k, {}).get(v, v),
            "remove": url("/sok", params, **{k: None, "side": None}),
        }
        for k, v in active.items()
    ]


def _group(g: dict[str, Any]) -> dict[str, Any]:
    """One document's heading and its best hits (the search grouped by document)."""
    when = fmt_date(g.get("date")) or (str(g["year"]) if g.get("year") else "")
    meta = [(g.get("doc_type") or "").capitalize(), g.get("fellesskap_name"), when]
    return {
        "title": g["title"],
        "link": document_url(g["doc_id"]),
        "meta": [m for m in meta if m],
        "hits": [hit(h) for h in g["hits"]],
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


def hit(h: dict[str, Any]) -> dict[str, Any]:
    """A search hit (a passage or a decision) as its card shows it."""
    when = fmt_date(h.get("date")) or (str(h["year"]) if h.get("year") else "")
    page = f"s. {h['page']}" if h.get("page") else None
    view = {
        "link": document_url(h["doc_id"], h.get("passage_id")),
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


# -- ask ----------------------------------------------------------------------------------------
def ask(q: str, response: dict[str, Any] | None, communities: dict[str, str] | None = None) -> dict[str, Any]:
    if response is None:
        return {"q": q, "response": None, "questions": EXAMPLE_QUESTIONS}
    return {
        "q": q,
        "response": response,
        "answers": [answer(a, communities or {}) for a in response["answers"]],
        "found": [hit(h) for h in response["hits"]],
    }


def answer(a: dict[str, Any], communities: dict[str, str]) -> dict[str, Any]:
    """An answer as its card shows it: an entity (linked), or a value or text read out (``id`` null)."""
    evidence = []
    for item in a["evidence"]:
        where = f"{item.get('title') or 'Dokument'}{', s. ' + str(item['page']) if item.get('page') else ''}"
        link = document_url(item["doc_id"], item.get("passage_id")) if item.get("doc_id") else None
        evidence.append({"text": item.get("text"), "where": where, "link": link})
    detail = a.get("detail") or {}
    # Ids like initiative/ostfold/x carry their helsefellesskap: tells apart two tiltak of one name.
    parts = (a.get("id") or "").split("/")
    return {
        "label": a["label"],
        "type": a["type"],
        "evidence": evidence,
        "link_id": a["id"] if a.get("id") and a["type"] != "decision" else None,
        "meeting": detail.get("meeting"),
        "meeting_id": detail.get("meeting_id"),
        "conclusion": detail.get("conclusion"),
        "where": communities.get(parts[1], "") if len(parts) == 3 else "",
        "how": _how(a),
    }


def _how(a: dict[str, Any]) -> str:
    """How sure and where from: "Sikkerhet 80 % · fra kunnskapsgrafen"."""
    method = a.get("method") or ""
    said = [f"Sikkerhet {round(100 * a['confidence'])} %"] if a.get("confidence") is not None else []
    if method:
        said.append(METHODS.get(method.split(":", 1)[0] if method.startswith("graph:") else method, method))
    text = " · ".join(said)
    return text[:1].upper() + text[1:]


# -- documents ----------------------------------------------------------------------------------
def document(doc: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    facts = [
        ("Type", (doc.get("doc_type") or "").capitalize()),
        ("Helsefellesskap", doc.get("fellesskap")),
        ("Dato", fmt_date(doc.get("date"))),
        ("År", ", ".join(str(y) for y in doc.get("years") or [])),
        ("Sider", doc.get("pages")),
        ("Kilde", doc.get("source")),
    ]
    return {
        "doc": doc,
        "doc_facts": [(k, v) for k, v in facts if v not in (None, "")],
        "meetings": [_meeting(m) for m in doc["meetings"]],
        "duplicate_title": titles.get(doc.get("duplicate_of") or "", doc.get("duplicate_of")),
        "pages": _pages(doc),
        "entity_groups": _entity_groups(doc["entities"]),
    }


def _meeting(m: dict[str, Any]) -> dict[str, Any]:
    """A meeting's heading (body · date · time · place), who led it and took the minutes, its agenda."""
    head = " · ".join(x for x in (m.get("body"), fmt_date(m.get("date")), m.get("time"), m.get("place")) if x)
    people = [(k, v) for k, v in (("Møteleder", m.get("chair")), ("Referent", m.get("minute_taker"))) if v]
    return {"head": head, "people": people, "agenda": m["agenda_items"]}


def _pages(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The passages page by page, a section heading where the section changes, mentions linked."""
    types = {x["id"]: x["type"] for x in doc["entities"]}
    names = {x["id"]: x["label"] for x in doc["entities"]}
    pages = []
    for group in doc["passages_by_page"]:
        passages, section = [], None
        for p in group["passages"]:
            heading = p["section"] if p["section"] != section and p["section"] else None
            section = p["section"]
            passages.append(
                {
                    "passage_id": p["passage_id"],
                    "kind": p["kind"],
                    "heading": heading,
                    "segments": marked_text(p["text"], p["mentions"], types, names),
                }
            )
        pages.append({"page": group["page"], "passages": passages})
    return pages


def _entity_groups(items: list[dict[str, Any]]) -> list[tuple[str, list[dict[str, Any]]]]:
    """The document's entities by type, the types in the registry's order (unknown ones last)."""
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for x in items:
        groups[x["type"]].append(x)
    order = list(ENTITY_TYPES)
    return [(k, groups[k]) for k in sorted(groups, key=lambda t: order.index(t) if t in order else 99)]


def marked_text(
    text: str, mentions: list[dict[str, Any]], types: dict[str, str], names: dict[str, str]
) -> list[dict[str, Any]]:
    """The passage in pieces, each entity mention one that links to the entity; overlapping mentions are skipped."""
    out: list[dict[str, Any]] = []
    position = 0
    for m in sorted(mentions, key=lambda m: (m["start"], -m["end"])):
        start, end = m["start"], m["end"]
        if start < position or end > len(text) or start >= end:
            continue
        out.append({"text": text[position:start]})
        out.append(
            {
                "text": text[start:end],
                "id": m["entity_id"],
                "kind": types.get(m["entity_id"], "entity"),
                "name": names.get(m["entity_id"], m["entity_id"]),
            }
        )
        position = end
    out.append({"text": text[position:]})
    return out


# -- entities -----------------------------------------------------------------------------------
def entities(
    type_: str | None, q: str, total: int, items: list[dict[str, Any]], offset: int, limit: int
) -> dict[str, Any]:
    pages = None
    if total > limit:
        pages = {
            "label": f"{offset + 1}–{min(total, offset + limit)} av {total}",
            "prev": url("/enheter", type=type_, q=q, fra=max(0, offset - limit)) if offset > 0 else None,
            "next": url("/enheter", type=type_, q=q, fra=offset + limit) if offset + limit < total else None,
        }
    return {
        "type": type_,
        "q": q,
        "total": total,
        "items": items,
        "pages": pages,
        "type_options": [(k, v[1]) for k, v in ENTITY_TYPES.items()],
    }


def entity(
    item: dict[str, Any], timeline_entries: list[dict[str, Any]], hood: dict[str, Any]
) -> dict[str, Any]:
    facts = []
    if item.get("aliases"):
        facts.append(("Også kalt", ", ".join(item["aliases"][:12])))
    for key, value in (item.get("attributes") or {}).items():
        if key != "fellesskap":
            facts.append((ATTRIBUTE_NAMES.get(key, key), value))
    facts.append(("Omtalt i", f"{item.get('mentions', 0)} avsnitt"))
    groups: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for r in item["relations"]:
        groups[predicate_label(r["predicate"], r["direction"])].append(r)
    relations = [
        (name.capitalize(), sorted(rs, key=lambda r: r["label"].lower())) for name, rs in groups.items()
    ]
    return {
        "entity": item,
        "entity_facts": [(k, fmt_date(str(v))) for k, v in facts],
        "relations": relations,
        "graph": neighbourhood(hood) if len(hood["nodes"]) > 1 else None,
        "years": timeline(timeline_entries),
    }


def timeline(entries: list[dict[str, Any]]) -> dict[str, Any] | None:
    """A year strip (counts per year, linking down) above a vertical timeline of documents."""
    if not entries:
        return None
    by_year: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for e in entries:
        by_year[str(e["year"]) if e.get("year") else "Uten år"].append(e)
    years = [y for y in by_year if y != "Uten år"]
    span = [str(y) for y in range(int(min(years)), int(max(years)) + 1)] if years else []
    peak = max(len(v) for v in by_year.values())
    strip = []
    for year in span + (["Uten år"] if "Uten år" in by_year else []):
        count = len(by_year.get(year, []))
        strip.append({"year": year, "count": count, "height": round(BAR_STEPS * count / peak)})
    groups = [
        (
            year,
            [
                {
                    "doc_id": e["doc_id"],
                    "title": e["title"],
                    "doc_type": e.get("doc_type"),
                    "when": fmt_date(e.get("date")) or ", ".join(str(y) for y in e.get("years", [])),
                    "passages": e.get("passages", [])[:2],
                }
                for e in items
            ],
        )
        for year, items in by_year.items()
    ]
    return {"strip": strip, "groups": groups}

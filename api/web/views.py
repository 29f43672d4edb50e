"""What each page of the web UI shows, as plain data for its template (api/web/templates/*.html).

No markup here: the templates write it, with autoescape on (api/web/render.py).
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from api.web.labels import ATTRIBUTE_NAMES, ENTITY_TYPES, METHODS, predicate_label
from api.web.links import document_url, url
from api.web.neighbourhood import neighbourhood
from api.web.render import fmt_date
from api.web.search_views import hit
from ingest.segment.passages import reading_text
from search.schema import period_label

BAR_STEPS = 8  # a timeline bar's height classes .h0 … .h8 in static/style.css
EXAMPLE_QUESTIONS = [
    "Hvilke tiltak retter seg mot skrøpelige eldre?",
    "Hvilke kommuner deltar i Vitality?",
    "Hvilken kommune er pilotkommune for Ung Arena+?",
    "Hvem var møteleder for SSU-møtet 29.02.24 i Vestfold?",
    "Hvilke fagutvalg finnes i Helsefellesskapet i Vestfold?",
]


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
        evidence.append(
            {"text": reading_text(item.get("text") or "", one_line=True), "where": where, "link": link}
        )
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
def document(
    doc: dict[str, Any], titles: dict[str, str], source: dict[str, Any] | None = None
) -> dict[str, Any]:
    """``source`` is what api.routes.source.source_info says of the original file."""
    source = source or {}
    facts = [
        ("Type", (doc.get("doc_type") or "").capitalize()),
        ("Helsefellesskap", doc.get("fellesskap")),
        *_dates(doc),
        ("Sider", doc.get("pages")),
        ("Lest med OCR", "; ".join(_ocr_notes(doc).values())),
        ("Kilde", doc.get("source")),
        ("Lest inn", fmt_time(source.get("ingested_at"))),
    ]
    facts += _message(doc.get("message"))
    return {
        "doc": doc,
        "doc_facts": [(k, v) for k, v in facts if v not in (None, "")],
        **_attachments(doc, titles),
        "original": _original(source),
        "meetings": [_meeting(m) for m in doc["meetings"]],
        "duplicate_title": titles.get(doc.get("duplicate_of") or "", doc.get("duplicate_of")),
        "pages": _pages(doc),
        "entity_groups": _entity_groups(doc["entities"]),
    }


def _message(message: dict[str, Any] | None) -> list[tuple[str, str]]:
    """An e-mail's headers as the document page lists them."""
    if not message:
        return []
    return [
        ("Fra", message.get("sender") or ""),
        ("Til", ", ".join(message.get("to") or [])),
        ("Kopi", ", ".join(message.get("cc") or [])),
        ("Sendt", fmt_time(message.get("sent"))),
        ("Emne", message.get("subject") or ""),
    ]


def _attachments(doc: dict[str, Any], titles: dict[str, str]) -> dict[str, Any]:
    """The documents an e-mail's attachments became, and the e-mail an attachment came with (as far
    as they are still there: a deleted attachment is not linked)."""
    parts = [{"doc_id": i, "title": titles[i]} for i in doc.get("parts") or [] if i in titles]
    host = doc.get("part_of")
    return {
        "attachments": parts,
        "attached_to": {"doc_id": host, "title": titles[host]} if host in titles else None,
    }


def _dates(doc: dict[str, Any]) -> list[tuple[str, str]]:
    """When a document is from. A plan: the period it covers ("Periode 2023–2024", which says its
    years) and when and by whom it was adopted ("Vedtatt 07.10.2022 av Partnerskapsmøte", which is
    its date); its date only where it is another. Any other document: its date and its years."""
    period = period_label(doc.get("period_start"), doc.get("period_end"))
    date = fmt_date(doc.get("date"))
    if not period:
        return [("Dato", date), ("År", ", ".join(str(y) for y in doc.get("years") or []))]
    adopted = fmt_date(doc.get("adopted"))
    if adopted and doc.get("adopted_by"):
        adopted = f"{adopted} av {doc['adopted_by']}"
    return [
        ("Periode", period),
        ("Vedtatt", adopted),
        ("Dato", "" if doc.get("date") == doc.get("adopted") else date),
    ]


def fmt_time(value: str | None) -> str:
    """2026-12-01T12:35:28+0000 -> 01.12.2026 kl. 12.35 (the time as ingest wrote it, its zone)."""
    try:
        when = datetime.strptime(value or "", "%Y-%m-%dT%H:%M:%S%z")
    except ValueError:
        return value or ""
    return when.strftime("%d.%m.%Y kl. %H.%M")


def _original(source: dict[str, Any]) -> dict[str, Any]:
    """The link to the original file, or why there is none: read in before ingest kept a copy of
    every file, or kept and since gone or changed."""
    if source.get("stored"):
        return {"url": source["url"], "filename": source["filename"], "pdf": source["pdf"], "note": None}
    # Where it was read from is the fact «Kilde» above the note.
    note = (
        "Originalfilen er ikke lagret: dokumentet ble lest inn fra en mappe (se Kilde) før tjenesten "
        "tok vare på en kopi av hver fil. «hfkg check --repair» legger kopien inn i datamappen så lenge "
        "filen finnes uendret der den ble lest fra."
    )
    if source.get("kept"):  # kept once, gone or changed since
        note = "Originalfilen mangler eller er endret i datamappen siden den ble lest inn."
    return {"url": None, "filename": None, "pdf": False, "note": note}


def _meeting(m: dict[str, Any]) -> dict[str, Any]:
    """A meeting's heading (body · date · time · place), who led it and took the minutes, its agenda."""
    head = " · ".join(x for x in (m.get("body"), fmt_date(m.get("date")), m.get("time"), m.get("place")) if x)
    people = [(k, v) for k, v in (("Møteleder", m.get("chair")), ("Referent", m.get("minute_taker"))) if v]
    return {"head": head, "people": people, "agenda": m["agenda_items"]}


def _ocr_notes(doc: dict[str, Any]) -> dict[int, str]:
    """What the page says of each page read by OCR: "side 2 lest med OCR, sikkerhet 91 %"."""
    return {
        p["page"]: f"side {p['page']} lest med OCR, sikkerhet {round(p['confidence'])} %"
        for p in doc.get("ocr_pages") or []
    }


def _pages(doc: dict[str, Any]) -> list[dict[str, Any]]:
    """The passages page by page, a section heading where the section changes, mentions linked;
    a page read by OCR says so, with Tesseract's confidence."""
    ocr = _ocr_notes(doc)
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
                    "segments": marked_text(reading_text(p["text"]), p["mentions"], types, names),
                }
            )
        pages.append({"page": group["page"], "passages": passages, "ocr": ocr.get(group["page"])})
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


def _when(entry: dict[str, Any]) -> str:
    """A timeline entry's date: a plan's period ("2023–2024"), else its date, else its years."""
    start, end = entry.get("period_start"), entry.get("period_end")
    if start is not None:
        return str(start) if end in (None, start) else f"{start}–{end}"
    return fmt_date(entry.get("date")) or ", ".join(str(y) for y in entry.get("years", []))


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
                    "when": _when(e),
                    "passages": e.get("passages", [])[:2],
                }
                for e in items
            ],
        )
        for year, items in by_year.items()
    ]
    return {"strip": strip, "groups": groups}

"""What the API and the CLI show of entities: the list, one entity's page, and its timeline."""

from __future__ import annotations

from typing import Any

from graph.base import GraphStoreLike
from graph.evidence import passage_id
from graph.labels import EntityNames
from ingest.errors import NotFound
from ingest.segment.passages import reading_text

SNIPPET_CHARS = 320


def entity_list(
    store: GraphStoreLike, names: EntityNames, type_: str | None, q: str | None, limit: int, offset: int
) -> tuple[int, list[dict[str, Any]]]:
    """(how many match, one page of them): entities of a type, with a text in their label or id,
    the most mentioned first."""
    mentions = {
        row["e"]: int(row["n"])
        for row in store.select(
            "SELECT ?e (COUNT(DISTINCT ?p) AS ?n) WHERE { ?p hfkg:mentions ?e } GROUP BY ?e"
        )
    }
    needle = (q or "").lower()
    items: list[dict[str, Any]] = []
    for iri, label in names.labels.items():
        kind = names.types.get(iri)
        entity_id = names.iris.entity_id(iri)
        if type_ and kind != type_:
            continue
        if needle and needle not in label.lower() and needle not in entity_id.lower():
            continue
        items.append({"id": entity_id, "label": label, "type": kind, "mentions": mentions.get(iri, 0)})
    items.sort(key=lambda i: (-i["mentions"], i["label"].lower()))
    return len(items), items[offset : offset + limit]


def entity_page(store: GraphStoreLike, names: EntityNames, entity_id: str) -> dict[str, Any]:
    """One entity: its label and aliases, attributes, relations (with how many assertions hold each)
    and how many passages mention it."""
    iri = _known(names, entity_id)
    label = names.label(iri)
    attributes, aliases = _attributes(store, names, iri)
    return {
        "id": entity_id,
        "label": label,
        "type": names.types.get(iri),
        "aliases": sorted(aliases - {label}),
        "attributes": attributes,
        "relations": _relations(store, names, iri),
        "mentions": _mention_count(store, iri),
    }


def _known(names: EntityNames, entity_id: str) -> str:
    iri = str(names.iris.entity(entity_id))
    if iri not in names.labels:
        raise NotFound(f"no entity with id {entity_id!r}")
    return iri


def _attributes(store: GraphStoreLike, names: EntityNames, iri: str) -> tuple[dict[str, Any], set[str]]:
    """(the entity's literal attributes and its helsefellesskap, every label it has)."""
    attributes: dict[str, Any] = {}
    aliases = set()
    for row in store.select(f"SELECT DISTINCT ?p ?v WHERE {{ <{iri}> ?p ?v }}"):
        prop = row["p"].rsplit("#", 1)[-1].rsplit("/", 1)[-1]
        if prop in ("prefLabel", "altLabel"):
            aliases.add(row["v"])
        elif prop not in ("type", "entityId") and not str(row["v"]).startswith(names.iris.base):
            attributes.setdefault(prop, row["v"])
        elif prop == "fellesskap":
            attributes["fellesskap"] = names.iris.entity_id(str(row["v"]))
    return attributes, aliases


def _relations(store: GraphStoreLike, names: EntityNames, iri: str) -> list[dict[str, Any]]:
    relations = []
    for direction, this, other_end in (
        ("out", "hfkg:subject", "hfkg:object"),
        ("in", "hfkg:object", "hfkg:subject"),
    ):
        for row in store.select(f"""
            SELECT ?p ?o (COUNT(?a) AS ?n) WHERE {{
              ?a {this} <{iri}> ; hfkg:predicate ?p ; {other_end} ?o .
            }} GROUP BY ?p ?o"""):
            other = row["o"]
            relations.append(
                {
                    "direction": direction,
                    "predicate": row["p"].rsplit("#", 1)[-1],
                    "id": names.iris.entity_id(other),
                    "label": names.label(other),
                    "type": names.type_of(other),
                    "evidence_count": int(row["n"]),
                }
            )
    relations.sort(key=lambda r: (r["predicate"], r["label"].lower()))
    return relations


def _mention_count(store: GraphStoreLike, iri: str) -> int:
    rows = store.select(f"SELECT (COUNT(DISTINCT ?p) AS ?n) WHERE {{ ?p hfkg:mentions <{iri}> }}")
    return int(rows[0]["n"]) if rows else 0


def entity_timeline(
    store: GraphStoreLike, names: EntityNames, entity_id: str, limit_per_doc: int
) -> list[dict[str, Any]]:
    """Documents that name the entity, in time order, with the passages that do (near-duplicates left out)."""
    iri = _known(names, entity_id)
    rows = store.select(f"""
        SELECT DISTINCT ?doc ?docid ?title ?type ?date ?year ?start ?end ?passage ?page ?text ?dup
        WHERE {{ GRAPH ?g {{
          ?passage hfkg:mentions <{iri}> ; dcterms:isPartOf ?doc ; hfkg:page ?page ; hfkg:text ?text .
          ?doc dcterms:title ?title ; dcterms:identifier ?docid ; hfkg:docType ?type .
          OPTIONAL {{ ?doc dcterms:date ?date }} OPTIONAL {{ ?doc hfkg:year ?year }}
          OPTIONAL {{ ?doc hfkg:periodStart ?start ; hfkg:periodEnd ?end }}
          OPTIONAL {{ ?doc hfkg:duplicateOf ?dup }}
        }} }}""")
    label = names.label(iri)
    docs: dict[str, dict[str, Any]] = {}
    for row in rows:
        if row["dup"] is None:
            _add_to_timeline(docs, row, label, names)
    entries = [_finished(entry, limit_per_doc) for entry in docs.values()]
    return sorted(entries, key=lambda e: (e["year"] or 9999, e["date"] or "", e["title"]))


def _add_to_timeline(
    docs: dict[str, dict[str, Any]], row: dict[str, Any], label: str, names: EntityNames
) -> None:
    entry = docs.setdefault(
        row["docid"],
        {
            "doc_id": row["docid"],
            "title": row["title"],
            "doc_type": row["type"],
            "date": str(row["date"]) if row["date"] else None,
            "period_start": int(row["start"]) if row["start"] is not None else None,
            "period_end": int(row["end"]) if row["end"] is not None else None,
            "years": set(),
            "passages": [],
        },
    )
    if row["year"]:
        entry["years"].add(int(row["year"]))
    passage = passage_id(names.iris, str(row["passage"]))
    if all(p["passage_id"] != passage for p in entry["passages"]):
        entry["passages"].append(
            {"passage_id": passage, "page": int(row["page"]), "text": _snippet(row["text"], label)}
        )


def _finished(entry: dict[str, Any], limit_per_doc: int) -> dict[str, Any]:
    """A document's entry with its years sorted, its year and its first passages. A plan stands
    under the first year it covers (a plan for 2023 adopted in October 2022 is 2023's), whatever
    date it has; another document under its date's year, else its first year."""
    entry["years"] = sorted(entry["years"])
    if entry["period_start"] is not None:
        entry["year"] = entry["period_start"]
    elif entry["date"]:
        entry["year"] = int(entry["date"][:4])
    else:
        entry["year"] = entry["years"][0] if entry["years"] else None
    entry["passages"] = sorted(entry["passages"], key=lambda p: p["passage_id"])[:limit_per_doc]
    return entry


def _snippet(stored: str, label: str, width: int = SNIPPET_CHARS) -> str:
    text = reading_text(
        stored, one_line=True
    )  # bullets and cell breaks, not the light markup's "- " and " | "
    position = text.lower().find(label.lower()[:12])
    if position < 0 or len(text) <= width:
        return text[:width]
    start = max(0, position - width // 3)
    return ("…" if start else "") + text[start : start + width] + ("…" if start + width < len(text) else "")

"""What both engines share around a search: reading its arguments into a parsed query, the kind and
the sort, and shaping the hits and the /search JSON (design.md), so that whoosh and PostgreSQL answer
in the same form."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from ingest.errors import QueryError
from search.parsing import DECISION_TYPES, ParsedQuery, parse_query
from search.results import community_names, sort_name
from search.schema import DECISION, KINDS

MAX_LIMIT = 200
MAX_OFFSET = 10_000


def prepare(
    query: str, filters: Mapping[str, Any], kind: str, sort: str, window: tuple[int, int]
) -> tuple[ParsedQuery, str, str]:
    """(the parsed query with the arguments' filters added, the record kind, the sort)."""
    offset, limit = window
    if not 0 <= limit <= MAX_LIMIT or not 0 <= offset <= MAX_OFFSET:
        raise QueryError(f"limit må være 0–{MAX_LIMIT} og offset 0–{MAX_OFFSET}.")
    parsed = parse_query(query or "")
    for name, value in filters.items():
        if value is not None and str(value).strip():
            parsed.add_filter(name, str(value))
    return parsed, _kind(parsed, kind), sort_name(sort)


def _kind(parsed: ParsedQuery, kind: str) -> str:
    requested = [v.lower() for v in parsed.filters.get("kind", [])] + [kind.lower()]
    types = parsed.filters.get("doc_type", [])
    if any(t.lower() in DECISION_TYPES for t in types):
        parsed.filters["doc_type"] = [t for t in types if t.lower() not in DECISION_TYPES]
        if not parsed.filters["doc_type"]:
            del parsed.filters["doc_type"]
        return DECISION
    chosen = requested[0]
    if chosen in DECISION_TYPES:
        return DECISION
    if chosen not in KINDS:
        raise QueryError(f"Ukjent søketype: {chosen} (bruk passage eller decision).")
    return chosen


def hit(data: Mapping[str, Any], score: float, kind: str, match: str, snippet: str) -> dict[str, Any]:
    """One record of a result page, from the record's stored data."""
    out: dict[str, Any] = {
        "doc_id": data["doc_id"],
        "title": data["title"],
        "doc_type": data["doc_type"],
        "year": data["year"],
        "years": data.get("years", []),
        "period": data.get("period"),
        "adopted": data.get("adopted"),
        "page": data["page"],
        "section": data["section"],
        "snippet": snippet,
        "score": round(float(score or 0.0), 4),
        "entities": data["entities"],
        "passage_id": data["passage_id"],
        "date": data["date"],
        "fellesskap": data["fellesskap"],
        "fellesskap_name": data["fellesskap_name"],
        "kind": kind,
        "match": match,  # "all": every word of the query; "some": a partial match
    }
    if data.get("duplicate_of"):
        out["duplicate_of"] = data["duplicate_of"]
    if kind == DECISION:
        out.update(
            {
                "title": data["item_title"],
                "document_title": data["title"],
                "number": data["number"],
                "decision_id": data.get("decision_id"),
                "conclusion": data["conclusion"],
                "conclusion_label": data["conclusion_label"],
                "decision_kind": data["decision_kind"],
                "responsible": data["responsible"],
                "body": data["body"],
            }
        )
    return out


def response(
    page: dict[str, Any],
    parsed: ParsedQuery,
    facets: dict[str, dict[str, int]],
    committee_labels: dict[str, str],
    request: dict[str, Any],
) -> dict[str, Any]:
    """The /search JSON: ``page`` (total, matched_all, hits, groups, total_documents), the facets and
    what was asked (``request``: did_you_mean, kind, sort, group, limit, offset)."""
    return {
        **page,
        "counts": {"total": request["kind"], "facets": "document"},
        "facets": facets,
        "facet_labels": {
            "committee": committee_labels,
            "fellesskap": community_names(facets.get("fellesskap", {})),
        },
        "did_you_mean": request["did_you_mean"],
        "query": parsed.text,
        "kind": request["kind"],
        "filters": parsed.filters,
        "sort": request["sort"],
        "group": request["group"],
        "limit": request["limit"],
        "offset": request["offset"],
    }

"""A search's filters: which records it may see besides their kind and duplicate flag (facet values,
dates; entities in SQL). search/postgres/searching.py checks the records it matched against them."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search.filters import NOT_TERMS, filter_terms, last
from search.postgres.lookup import Generation
from search.results import date_bounds
from search.schema import FACETS

_ARRAYS = {"year": "years", "committee": "committee", "entity": "entity", "entity_type": "entity_type"}


@dataclass(slots=True)
class Where:
    """A WHERE clause of the records table (alias r) and its parameters."""

    clauses: list[str] = field(default_factory=list)
    params: list[Any] = field(default_factory=list)

    def add(self, clause: str, *params: Any) -> None:
        self.clauses.append(clause)
        self.params.extend(params)

    def sql(self) -> str:
        return " AND ".join(self.clauses) or "true"


@dataclass(slots=True)
class Filters:
    """A search's filters: the facet values each facet filter lets through (a record passes where
    its profile has one of them: search/postgres/facets.py), the date bounds (inclusive, ISO
    dates) and what only SQL can check (the entities, which no profile holds)."""

    facets: list[tuple[str, list[str]]] = field(default_factory=list)
    low: str | None = None
    high: str | None = None
    sql: Where = field(default_factory=Where)


def filters_of(kind: str, filters: Mapping[str, list[str]], generation: Generation) -> Filters:
    out = Filters()
    out.sql.add("r.kind = %s", kind)
    for name, values in filters.items():
        if name in NOT_TERMS:
            continue
        wanted = filter_terms(name, values, lambda field: generation.known.get(field, []), generation.labels)
        if name in FACETS:
            out.facets.append((name, wanted))
        elif name in _ARRAYS:
            out.sql.add(f"r.{_ARRAYS[name]} && %s::text[]", wanted)
        else:
            out.sql.add(f"r.{name} = ANY(%s::text[])", wanted)
    bounds = date_bounds(last(filters.get("date_from")), last(filters.get("date_to")))
    if bounds is not None:
        out.low, out.high = bounds
    return out

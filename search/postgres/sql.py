"""The SQL of a search's filters: which records it may see (kind, duplicates, filters, dates);
search/postgres/searching.py checks the records it matched against it."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search.filters import NOT_TERMS, filter_terms, last
from search.postgres.lookup import Generation
from search.results import date_bounds

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


def visible(
    kind: str, filters: Mapping[str, list[str]], generation: Generation, include_duplicates: bool
) -> Where:
    """The records of the kind the filters let through (not the duplicates unless asked)."""
    where = Where()
    where.add("r.kind = %s", kind)
    if not include_duplicates:
        where.add("NOT r.duplicate")
    for name, values in filters.items():
        if name in NOT_TERMS:
            continue
        wanted = filter_terms(name, values, lambda field: generation.known.get(field, []), generation.labels)
        if name in _ARRAYS:
            where.add(f"r.{_ARRAYS[name]} && %s::text[]", wanted)
        else:
            where.add(f"r.{name} = ANY(%s::text[])", wanted)
    bounds = date_bounds(last(filters.get("date_from")), last(filters.get("date_to")))
    if bounds is not None:
        low, high = bounds
        if low is not None:
            where.add("r.date >= %s", low)
        if high is not None:
            where.add("r.date <= %s", high)
    return where

"""The filters of a search as one whoosh query: year, type, helsefellesskap, committee, entity,
entity type and a date range."""

from __future__ import annotations

from collections.abc import Callable, Mapping

from whoosh import query as wq
from whoosh.reading import IndexReader

from search.labels import EntityLabels, fold
from search.parsing import expand_years
from search.results import date_range

# filters that are no field's terms: the kind searched, and the date range (see date_range)
NOT_TERMS = ("kind", "date_from", "date_to")


def query_filter(
    filters: Mapping[str, list[str]], reader: IndexReader, labels: EntityLabels
) -> wq.Query | None:
    clauses: list[wq.Query] = []

    def known(name: str) -> list[str]:
        return [b.decode("utf-8") for b in reader.lexicon(name)]

    for name, values in filters.items():
        if name in NOT_TERMS:
            continue
        terms = filter_terms(name, values, known, labels)
        clauses.append(
            wq.Or([wq.Term(name, t) for t in terms]) if len(terms) > 1 else wq.Term(name, terms[0])
        )
    dates = date_range(last(filters.get("date_from")), last(filters.get("date_to")))
    if dates is not None:
        clauses.append(dates)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


def filter_terms(
    name: str, values: list[str], known: Callable[[str], list[str]], labels: EntityLabels
) -> list[str]:
    """The values of field ``name`` a filter's values stand for (``known``: the values the index
    has of a field)."""
    if name == "year":
        return expand_years(values)
    if name in ("entity", "entity_type"):
        return list(values)
    if name == "committee":
        committees = known(name)
        return [t for value in values for t in labels.resolve(value, committees)]
    spelt = known(name)
    return [t for value in values for t in resolve_value(spelt, value)]


def last(values: list[str] | None) -> str | None:
    """The last of a filter's values (a date range takes the last from and to given)."""
    return values[-1] if values else None


def resolve_value(known: list[str], value: str) -> list[str]:
    """A filter value as the index spells it (``known``: the values it has): exact, else the same
    when folded, else contained."""
    if value in known:
        return [value]
    wanted = fold(value)
    same = [k for k in known if fold(k) == wanted]
    if same:
        return same
    contained = [k for k in known if wanted and wanted in fold(k)]
    return contained or [value]

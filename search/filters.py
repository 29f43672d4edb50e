"""The filters of a search as one whoosh query: year, type, helsefellesskap, committee, entity,
entity type and a date range."""

from __future__ import annotations

from collections.abc import Mapping

from whoosh import query as wq
from whoosh.reading import IndexReader

from search.labels import EntityLabels, fold
from search.parsing import expand_years
from search.results import date_range


def query_filter(
    filters: Mapping[str, list[str]], reader: IndexReader, labels: EntityLabels
) -> wq.Query | None:
    clauses: list[wq.Query] = []
    for name, values in filters.items():
        if name in ("kind", "date_from", "date_to"):
            continue
        if name == "year":
            terms = expand_years(values)
        elif name in ("entity", "entity_type"):
            terms = values
        elif name == "committee":
            known = [b.decode("utf-8") for b in reader.lexicon(name)]
            terms = [t for value in values for t in labels.resolve(value, known)]
        else:
            known = [b.decode("utf-8") for b in reader.lexicon(name)]
            terms = [t for value in values for t in resolve_value(known, value)]
        clauses.append(
            wq.Or([wq.Term(name, t) for t in terms]) if len(terms) > 1 else wq.Term(name, terms[0])
        )
    dates = date_range(_last(filters.get("date_from")), _last(filters.get("date_to")))
    if dates is not None:
        clauses.append(dates)
    if not clauses:
        return None
    return clauses[0] if len(clauses) == 1 else wq.And(clauses)


def _last(values: list[str] | None) -> str | None:
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

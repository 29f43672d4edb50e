"""The SQL of one search: which records it may see (kind, duplicates, filters), what it counts (the
total, the documents, the facets: GROUP BY, a document counted once per value) and how a tier of it
is ranked (BM25 from the postings, as whoosh scores; by date for the newest/oldest sorts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search.filters import resolve_value
from search.parsing import expand_years
from search.postgres.lookup import Generation, Terms
from search.postgres.plan import Scoring
from search.postgres.schema import SCHEMA
from search.results import GROUP_HITS, NEWEST, RELEVANCE, date_bounds
from search.schema import FACETS, LIST_FACETS

K1, B = 1.2, 0.75  # whoosh's BM25F defaults
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
        if name in ("kind", "date_from", "date_to"):
            continue
        if name == "year":
            wanted = expand_years(values)
        elif name in ("entity", "entity_type"):
            wanted = list(values)
        elif name == "committee":
            known = generation.known["committee"]
            wanted = [t for value in values for t in generation.labels.resolve(value, known)]
        else:
            wanted = [t for value in values for t in resolve_value(generation.known.get(name, []), value)]
        if name in _ARRAYS:
            where.add(f"r.{_ARRAYS[name]} && %s::text[]", wanted)
        else:
            where.add(f"r.{name} = ANY(%s::text[])", wanted)
    bounds = date_bounds(_last(filters.get("date_from")), _last(filters.get("date_to")))
    if bounds is not None:
        low, high = bounds
        if low is not None:
            where.add("r.date >= %s", low)
        if high is not None:
            where.add("r.date <= %s", high)
    return where


def _last(values: list[str] | None) -> str | None:
    return values[-1] if values else None


def matching(where: Where, tsquery: str | None) -> Where:
    """``where`` and the tsquery (None: no text condition)."""
    out = Where(list(where.clauses), list(where.params))
    if tsquery is not None:
        out.add("r.tsv @@ %s::tsquery", tsquery)
    return out


def counting(where: Where, strict: str | None, per_document: bool) -> tuple[str, list[Any]]:
    """Rows (facet, value, count): "total" and "matched_all" (records), "documents", each facet's
    values (documents), and with ``per_document`` each document's matching records ("doc")."""
    is_strict = "true" if strict is None else "r.tsv @@ %s::tsquery"
    params: list[Any] = ([] if strict is None else [strict]) + where.params
    parts = [
        "SELECT 'total', NULL, count(*) FROM m",
        "SELECT 'matched_all', NULL, count(*) FILTER (WHERE strict) FROM m",
        "SELECT 'documents', NULL, count(DISTINCT doc_id) FROM m",
    ]
    for name in FACETS:
        column = _ARRAYS.get(name, name) if name in LIST_FACETS else name
        if name in LIST_FACETS:
            parts.append(
                f"SELECT '{name}', v, count(DISTINCT doc_id) FROM m, unnest(m.{column}) v GROUP BY v"
            )
        else:
            parts.append(
                f"SELECT '{name}', {column}, count(DISTINCT doc_id) FROM m"
                f" WHERE {column} IS NOT NULL GROUP BY {column}"
            )
    if per_document:
        parts.append("SELECT 'doc', doc_id, count(*) FROM m GROUP BY doc_id")
    columns = "r.doc_id, r.years, r.doc_type, r.fellesskap, r.committee, r.entity_type"
    sql = (
        f"WITH m AS MATERIALIZED (SELECT {columns}, {is_strict} AS strict"
        f" FROM {SCHEMA}.records r WHERE {where.sql()}) " + " UNION ALL ".join(parts)
    )
    return sql, params


def ranking(
    where: Where, scoring: Scoring, terms: Terms, generation: Generation, order: tuple[str, int, bool]
) -> tuple[str, list[Any]]:
    """(id, doc_id, score) of the records ``where`` matches, in the order of ``order`` (sort, count,
    grouped: then at most GROUP_HITS records of a document, the documents in the order of their
    best record)."""
    sort, count, grouped = order
    found = terms.load(key for key, _ in scoring.leaves)
    leaves = [(found[key], number, key.partition(":")[0]) for key, number in scoring.leaves]
    leaves = [leaf for leaf in leaves if leaf[0][0]]
    flags = ", ".join(["r.tsv @@ %s::tsquery"] * len(scoring.conditions))
    constants = " + ".join(
        f"{value!r}::float8"
        if number == 0
        else f"(CASE WHEN m.f[{number}] THEN {value!r}::float8 ELSE 0 END)"
        for number, value in scoring.constants
    )
    params: list[Any] = [*scoring.conditions, *where.params]
    params += [
        [term_id for (term_id, _), _, _ in leaves],
        [number for _, number, _ in leaves],
        [generation.idf(df) for (_, df), _, _ in leaves],
        [generation.average_length(name) for _, _, name in leaves],
    ]
    if sort == RELEVANCE:
        by = "s.score DESC, s.id"
    else:
        by = f"(s.date IS NULL), s.date {'DESC' if sort == NEWEST else 'ASC'}, s.id"
    sql = f"""
        WITH m AS MATERIALIZED (
            SELECT r.id, r.doc_id, r.date, ARRAY[{flags}]::boolean[] AS f
            FROM {SCHEMA}.records r WHERE {where.sql()}
        ),
        l AS (SELECT * FROM unnest(%s::integer[], %s::integer[], %s::float8[], %s::float8[])
              AS l(term_id, flag, idf, avg)),
        c AS (
            SELECT p.record_id, sum(l.idf * p.tf * {K1 + 1} / (p.tf + {K1} * ({1 - B} + {B} * p.len / l.avg)))
                AS score
            FROM l JOIN {SCHEMA}.postings p ON p.term_id = l.term_id JOIN m ON m.id = p.record_id
            WHERE l.flag = 0 OR m.f[l.flag]
            GROUP BY p.record_id
        ),
        s AS (
            SELECT m.id, m.doc_id, m.date, {constants or "0"} + coalesce(c.score, 0) AS score
            FROM m LEFT JOIN c ON c.record_id = m.id
        )"""
    if not grouped:
        return f"{sql} SELECT s.id, s.doc_id, s.score FROM s ORDER BY {by} LIMIT %s", [*params, count]
    sql += f""",
        ranked AS (SELECT s.id, s.doc_id, s.score, row_number() OVER (ORDER BY {by}) AS place FROM s),
        g AS (SELECT *, row_number() OVER (PARTITION BY doc_id ORDER BY place) AS n FROM ranked)
        SELECT id, doc_id, score FROM g WHERE n <= {GROUP_HITS} ORDER BY place"""
    return sql, params

"""The SQL of one search: which records it may see (kind, duplicates, filters), what it counts (the
total, the documents, the facets: GROUP BY, a document counted once per value) and how a tier of it
is ranked (BM25 from the postings, as whoosh scores; by date for the newest/oldest sorts)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from search.filters import NOT_TERMS, filter_terms, last
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


def matching(where: Where, tsquery: str | None) -> Where:
    """``where`` and the tsquery (None: no text condition)."""
    out = Where(list(where.clauses), list(where.params))
    if tsquery is not None:
        out.add("r.tsv @@ %s::tsquery", tsquery)
    return out


def counting(
    where: Where, strict: str | None, either: str | None, per_document: bool
) -> tuple[str, list[Any]]:
    """Rows (facet, value, count): "total" and "matched_all" (records), "documents", each facet's
    values (documents), and with ``per_document`` each document's matching records ("doc"). ``either``
    matches what the search counts, ``strict`` the records of every word (each found by the GIN index
    alone: a tsquery evaluated on each row would read each row's tsvector)."""
    parts = [
        "SELECT 'total', NULL, coalesce(sum(n), 0)::bigint FROM per",
        "SELECT 'matched_all', NULL, coalesce(sum(n_strict), 0)::bigint FROM per",
        "SELECT 'documents', NULL, count(DISTINCT doc_id) FROM f",
    ]
    # (document, value) pairs made distinct first: hashed, where count(DISTINCT) would sort
    for name in FACETS:
        if name in LIST_FACETS:
            pairs = f"SELECT DISTINCT doc_id, v FROM f, unnest(f.{_ARRAYS[name]}) v"
        else:
            pairs = f"SELECT DISTINCT doc_id, {name} AS v FROM f WHERE {name} IS NOT NULL"
        parts.append(f"SELECT '{name}', v, count(*) FROM ({pairs}) p GROUP BY v")
    if per_document:
        parts.append("SELECT 'doc', doc_id, sum(n)::bigint FROM f GROUP BY doc_id")
    counted = matching(where, either)
    if strict is None:
        head, is_strict, params = "", "true", counted.params
    else:
        strict_where = matching(where, strict)
        head = f"strict AS MATERIALIZED (SELECT r.id FROM {SCHEMA}.records r WHERE {strict_where.sql()}), "
        is_strict, params = "r.id IN (SELECT id FROM strict)", strict_where.params + counted.params
    sql = (
        f"WITH {head}per AS MATERIALIZED (SELECT r.profile, count(*) AS n, count(*) FILTER (WHERE {is_strict})"
        f" AS n_strict FROM {SCHEMA}.records r WHERE {counted.sql()} GROUP BY r.profile),"
        f" f AS MATERIALIZED (SELECT p.*, per.n FROM per JOIN {SCHEMA}.profiles p ON p.id = per.profile) "
        + " UNION ALL ".join(parts)
    )
    return sql, params


def _leaves(scoring: Scoring, terms: Terms, generation: Generation) -> list[list[Any]]:
    """The columns of the scoring leaves table: term id, constant's number (0: BM25), condition
    number, idf, average field length, constant score."""
    found = terms.load(
        [key for key, _ in scoring.leaves] + [k for keys, _, _ in scoring.constants for k in keys]
    )
    rows: list[tuple[int, int, int, float, float, float]] = []
    for key, condition in scoring.leaves:
        term_id, df = found[key]
        if term_id:
            fieldname = key.partition(":")[0]
            rows.append(
                (term_id, 0, condition, generation.idf(df), generation.average_length(fieldname), 0.0)
            )
    for number, (keys, value, condition) in enumerate(scoring.constants, start=1):
        rows += [(found[k][0], number, condition, 0.0, 1.0, value) for k in keys if found[k][0]]
    return [list(column) for column in zip(*rows)] if rows else [[], [], [], [], [], []]


def ranking(
    where: Where, scoring: Scoring, terms: Terms, generation: Generation, order: tuple[str, int, bool]
) -> tuple[str, list[Any]]:
    """(id, doc_id, score) of the records ``where`` matches, in the order of ``order`` (sort, count,
    grouped: then at most GROUP_HITS records of a document, the documents in the order of their
    best record). The scores are whoosh's: the BM25 of each leaf term a record has, a constant's
    score once where it has any of its terms, only where the leaf's condition (a phrase) holds."""
    sort, count, grouped = order
    conditions = ""
    params: list[Any] = list(where.params)
    base = where.sql()
    if scoring.conditions:
        selects = [
            f"SELECT r.id, {n} AS k FROM {SCHEMA}.records r WHERE {base} AND r.tsv @@ %s::tsquery"
            for n in range(1, len(scoring.conditions) + 1)
        ]
        conditions = f"cond AS MATERIALIZED ({' UNION ALL '.join(selects)}),"
        for condition in scoring.conditions:
            params += [*where.params, condition]
    params += _leaves(scoring, terms, generation)
    held = " OR (h.record_id, h.cond) IN (SELECT id, k FROM cond)" if scoring.conditions else ""
    by = (
        "s.score DESC, s.id"
        if sort == RELEVANCE
        else f"(s.date IS NULL), s.date {'DESC' if sort == NEWEST else 'ASC'}, s.id"
    )
    bm25 = f"l.idf * p.tf * {K1 + 1} / (p.tf + {K1} * ({1 - B} + {B} * p.len / l.avg))"
    sql = f"""
        WITH m AS MATERIALIZED (SELECT r.id, r.doc_id, r.date FROM {SCHEMA}.records r WHERE {base}),
        {conditions}
        l AS (SELECT * FROM unnest(%s::integer[], %s::integer[], %s::integer[], %s::float8[], %s::float8[],
                                   %s::float8[]) AS l(term_id, node, cond, idf, avg, value)),
        h AS (
            SELECT p.record_id, l.node, l.cond,
                   CASE WHEN l.node = 0 THEN sum({bm25}) ELSE max(l.value) END AS score
            FROM l JOIN {SCHEMA}.postings p ON p.term_id = l.term_id JOIN m ON m.id = p.record_id
            GROUP BY p.record_id, l.node, l.cond
        ),
        c AS (SELECT h.record_id, sum(h.score) AS score FROM h WHERE h.cond = 0{held} GROUP BY h.record_id),
        s AS (
            SELECT m.id, m.doc_id, m.date, {scoring.base!r}::float8 + coalesce(c.score, 0) AS score
            FROM m LEFT JOIN c ON c.record_id = m.id
        )"""
    if not grouped:
        return f"{sql} SELECT s.id, s.doc_id, s.score FROM s ORDER BY {by} LIMIT %s", [*params, count]
    sql += f""",
        ranked AS (SELECT s.id, s.doc_id, s.score, row_number() OVER (ORDER BY {by}) AS place FROM s),
        g AS (SELECT *, row_number() OVER (PARTITION BY doc_id ORDER BY place) AS n FROM ranked)
        SELECT id, doc_id, score FROM g WHERE n <= {GROUP_HITS} ORDER BY place"""
    return sql, params

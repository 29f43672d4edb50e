"""The SQL of one search: which records it may see (kind, duplicates, filters), what it counts (the
matching records per profile: search/postgres/facets.py makes the totals and facets of them) and how a tier of it
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


@dataclass(frozen=True, slots=True)
class Tiers:
    """A search's tiers as SQL sees them: the tsquery of the strict one (None: every record of the
    kind), of everything counted (the strict tier and the partial one), and what scores each."""

    strict: str | None
    either: str | None
    scorings: tuple[Scoring, ...]  # the strict tier's, then the partial tier's (if any)


def _leaves(tiers: Tiers, terms: Terms, generation: Generation) -> list[list[Any]]:
    """The columns of the scoring leaves table: term id, tier (1 strict, 2 partial), constant's number
    (0: BM25), condition number (0: none), idf, average field length, constant score."""
    wanted = [
        k
        for sc in tiers.scorings
        for k in [key for key, _ in sc.leaves] + [k for ks, _, _ in sc.constants for k in ks]
    ]
    found = terms.load(wanted)
    rows: list[tuple[int, int, int, int, float, float, float]] = []
    offset = 0
    for tier, scoring in enumerate(tiers.scorings, start=1):
        for key, condition in scoring.leaves:
            term_id, df = found[key]
            if term_id:
                cond = condition and condition + offset
                average = generation.average_length(key.partition(":")[0])
                rows.append((term_id, tier, 0, cond, generation.idf(df), average, 0.0))
        for number, (keys, value, condition) in enumerate(scoring.constants, start=1):
            cond = condition and condition + offset
            rows += [(found[k][0], tier, number, cond, 0.0, 1.0, value) for k in keys if found[k][0]]
        offset += len(scoring.conditions)
    return [list(column) for column in zip(*rows)] if rows else [[] for _ in range(7)]


def search_sql(
    where: Where, tiers: Tiers, terms: Terms, generation: Generation, order: tuple[str, int, int, bool]
) -> tuple[str, list[Any]]:
    """One statement for a whole search: rows (part, value, count, id, score, strict, data, place,
    profiles, records, strict records): one of the counts ("per": the matching records' profiles, how
    many records have each, of them in the strict tier) and those of the page ("hit": the record, its score, its tier,
    its stored data unless grouped, its place). ``order``: sort, offset, limit, grouped (then every
    record at most GROUP_HITS of a document has, in order; the caller picks the documents).

    The records are ranked strict tier first, each by whoosh's score: the BM25 of each leaf term a
    record has, a constant's score once where it has any of its terms, only where the leaf's condition
    (a phrase) holds."""
    sort, offset, limit, grouped = order
    counted = matching(where, tiers.either)
    params: list[Any] = []
    head = ""
    is_strict = "true"
    if tiers.strict is not None:
        strict_where = matching(where, tiers.strict)
        head = f"strict AS MATERIALIZED (SELECT r.id FROM {SCHEMA}.records r WHERE {strict_where.sql()}),"
        is_strict = "r.id IN (SELECT id FROM strict)"
        params += strict_where.params
    params += counted.params
    # the partial tier is only ranked where the strict one does not fill the page (documents, grouped)
    enough = (
        "SELECT count(DISTINCT doc_id) FROM m WHERE strict"
        if grouped
        else "SELECT count(*) FROM m WHERE strict"
    )
    params.append(offset + limit)
    conditions = [c for scoring in tiers.scorings for c in scoring.conditions]
    # the partial tier's conditions (numbered after the strict tier's) only where it is ranked
    strict_conditions = len(tiers.scorings[0].conditions)
    selects = [
        f"SELECT r.id, {n} AS k FROM {SCHEMA}.records r WHERE {where.sql()} AND r.tsv @@ %s::tsquery"
        + (" AND (SELECT partial FROM need)" if n > strict_conditions else "")
        for n in range(1, len(conditions) + 1)
    ]
    for condition in conditions:
        params += [*where.params, condition]
    params += _leaves(tiers, terms, generation)
    held = " OR (h.record_id, h.cond) IN (SELECT id, k FROM cond)" if conditions else ""
    bases = [scoring.base for scoring in tiers.scorings] + [0.0]
    by = (
        "score DESC, id"
        if sort == RELEVANCE
        else f"(date IS NULL), date {'DESC' if sort == NEWEST else 'ASC'}, id"
    )
    bm25 = f"l.idf * p.tf * {K1 + 1} / (p.tf + {K1} * ({1 - B} + {B} * p.len / l.avg))"
    sql = f"""
        WITH {head}
        m AS MATERIALIZED (
            SELECT r.id, r.doc_id, r.date, r.profile, {is_strict} AS strict
            FROM {SCHEMA}.records r WHERE {counted.sql()}
        ),
        per AS (
            SELECT profile, count(*) AS n, count(*) FILTER (WHERE strict) AS n_strict FROM m GROUP BY profile
        ),
        need AS MATERIALIZED (SELECT ({enough}) < %s AS partial),
        cond AS MATERIALIZED ({" UNION ALL ".join(selects) or "SELECT NULL::bigint AS id, NULL::integer AS k WHERE false"}),
        l AS (SELECT * FROM unnest(%s::integer[], %s::integer[], %s::integer[], %s::integer[], %s::float8[],
                                   %s::float8[], %s::float8[]) AS l(term_id, tier, node, cond, idf, avg, value)),
        h AS (
            SELECT p.record_id, l.tier, l.node, l.cond,
                   CASE WHEN l.node = 0 THEN sum({bm25}) ELSE max(l.value) END AS score
            FROM l JOIN {SCHEMA}.postings p ON p.term_id = l.term_id
                   JOIN m ON m.id = p.record_id AND m.strict = (l.tier = 1)
            WHERE l.tier = 1 OR (SELECT partial FROM need)  -- no postings of a tier not ranked
            GROUP BY p.record_id, l.tier, l.node, l.cond
        ),
        c AS (SELECT h.record_id, sum(h.score) AS score FROM h WHERE h.cond = 0{held} GROUP BY h.record_id),
        s AS (
            SELECT m.id, m.doc_id, m.date, m.strict,
                   CASE WHEN m.strict THEN {bases[0]!r} ELSE {bases[1]!r} END + coalesce(c.score, 0) AS score
            FROM m LEFT JOIN c ON c.record_id = m.id
        ),"""
    if grouped:
        sql += f"""
        ranked AS (SELECT id, doc_id, score, strict, row_number() OVER (ORDER BY strict DESC, {by}) AS place FROM s),
        g AS (SELECT *, row_number() OVER (PARTITION BY doc_id ORDER BY place) AS n FROM ranked),
        page AS (
            SELECT id, doc_id, score, strict, NULL::jsonb AS data, place FROM g
            WHERE n <= {GROUP_HITS} AND (strict OR (SELECT count(DISTINCT doc_id) FROM m WHERE strict) < %s)
        )"""
        params.append(offset + limit)
    else:
        sql += f"""
        top AS (SELECT id, doc_id, date, score, strict FROM s ORDER BY strict DESC, {by} LIMIT %s OFFSET %s),
        ranked AS (SELECT id, doc_id, score, strict, row_number() OVER (ORDER BY strict DESC, {by}) AS place FROM top),
        page AS (
            SELECT r.id, r.doc_id, r.score, r.strict, st.data, r.place
            FROM ranked r JOIN {SCHEMA}.stored st ON st.id = r.id
        )"""
        params += [limit, offset]
    # the counts as one row of arrays, each profile's records (search/postgres/facets.py counts them)
    counts = (
        "SELECT 'per'::text, NULL::text, NULL::bigint, NULL::bigint, NULL::float8, NULL::boolean, NULL::jsonb,"
        " NULL::bigint, array_agg(profile), array_agg(n), array_agg(n_strict) FROM per"
    )
    hits = "SELECT 'hit', doc_id, NULL, id, score, strict, data, place, NULL, NULL, NULL FROM page"
    return f"{sql} {counts} UNION ALL {hits}", params

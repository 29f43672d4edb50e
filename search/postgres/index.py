"""The PostgreSQL implementation of :class:`SearchIndex` (design.md: search on a server engine).

The same analysis, query language, plan and ranking as the whoosh index: records are built by
:class:`search.schema.RecordBuilder`, queries by :class:`search.querying.QueryBuilder` (its term
look-ups answered from the ``terms`` table), matched by the GIN index of the records' tsvectors,
counted with GROUP BY and scored by BM25 over the postings as whoosh scores (search/postgres/sql.py).
Connections come from a psycopg_pool ConnectionPool; any number of processes may read and write
(writes take an advisory lock, each is one transaction).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Sequence
from typing import Any

import psycopg
from psycopg_pool import ConnectionPool

from ingest.model import Document
from search.analysis import NorwegianAnalyzer
from search.base import EntityMap, SearchIndex, SearchResult
from search.highlight import snippet
from search.parsing import ParsedQuery
from search.postgres import writing
from search.postgres.lookup import Generation, Speller, Terms
from search.postgres.plan import Scoring, match
from search.postgres.rows import Batch
from search.postgres.schema import SCHEMA, ensure_schema
from search.postgres.sql import Where, counting, matching, ranking, visible
from search.querying import QueryBuilder, QueryPlan
from search.responses import hit, prepare, response
from search.results import GROUP_HITS, RELEVANCE, counts, document_group
from search.schema import FACETS, PASSAGE, RecordBuilder

log = logging.getLogger(__name__)

Ranked = tuple[int, float, str]  # (record id, score, "all" or "some")


class PostgresIndex(SearchIndex):
    def __init__(self, url: str, *, analyzer: NorwegianAnalyzer | None = None, max_size: int = 4) -> None:
        self.url = url
        self.analyzer = analyzer or NorwegianAnalyzer()
        self._records = RecordBuilder(self.analyzer)
        self._queries = QueryBuilder(self.analyzer)
        self._pool = ConnectionPool(
            url, min_size=1, max_size=max_size, open=True, kwargs={"autocommit": True}
        )
        self._lock = threading.Lock()  # guards the cached generation
        self._generation: Generation | None = None
        with self._pool.connection() as conn:
            ensure_schema(conn)

    # --- writing -----------------------------------------------------------------------------

    def apply(
        self, add: Sequence[Document], remove: Iterable[str] = (), entities: EntityMap | None = None
    ) -> None:
        latest = {doc.doc_id: doc for doc in add}  # the same doc twice: the last one wins
        stale = set(remove) | set(latest)
        batch = Batch()
        for doc in latest.values():
            for record in self._records.records(doc, entities or {}):
                batch.add(record)
        with self._pool.connection() as conn:
            writing.apply(conn, batch, sorted(stale))
        if len(batch.records) >= writing.VACUUM_AFTER:
            writing.vacuum(self.url)
        log.info(
            "search index: %d documents replaced or added, %d removed", len(latest), len(stale) - len(latest)
        )

    # --- reading -----------------------------------------------------------------------------

    def _current(self, conn: psycopg.Connection) -> Generation:
        """The generation last committed (read again only when a commit made the cached one old)."""
        meta: dict[str, int] = dict(conn.execute(f"SELECT name, value FROM {SCHEMA}.meta").fetchall())
        with self._lock:
            if self._generation is None or self._generation.number != meta["generation"]:
                self._generation = Generation.read(conn, meta["generation"], meta)
            return self._generation

    def doc_ids(self) -> set[str]:
        with self._pool.connection() as conn:
            return {row[0] for row in conn.execute(f"SELECT DISTINCT doc_id FROM {SCHEMA}.records")}

    def duplicate_ids(self) -> set[str]:
        with self._pool.connection() as conn:
            rows = conn.execute(f"SELECT DISTINCT doc_id FROM {SCHEMA}.records WHERE duplicate")
            return {row[0] for row in rows}

    def count(self, kind: str | None = None) -> int:
        with self._pool.connection() as conn:
            if kind is None:
                row = conn.execute(f"SELECT count(*) FROM {SCHEMA}.records").fetchone()
            else:
                row = conn.execute(
                    f"SELECT count(*) FROM {SCHEMA}.records WHERE kind = %s", (kind,)
                ).fetchone()
            return int(row[0]) if row else 0

    def close(self) -> None:
        self._pool.close()

    # --- searching ---------------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        year: int | str | None = None,
        doc_type: str | None = None,
        fellesskap: str | None = None,
        committee: str | None = None,
        entity: str | None = None,
        entity_type: str | None = None,
        limit: int = 10,
        offset: int = 0,
        kind: str = PASSAGE,
        include_duplicates: bool = False,
        sort: str = RELEVANCE,
        date_from: str | None = None,
        date_to: str | None = None,
        group: bool = False,
    ) -> SearchResult:
        filters = {
            "year": year,
            "doc_type": doc_type,
            "fellesskap": fellesskap,
            "committee": committee,
            "entity": entity,
            "entity_type": entity_type,
            "date_from": date_from,
            "date_to": date_to,
        }
        parsed, kind, sort = prepare(query, filters, kind, sort, (offset, limit))
        with self._pool.connection() as conn:
            generation = self._current(conn)
            search = _Search(conn, generation, self._queries, kind)
            return search.run(parsed, sort, (offset, limit), group, include_duplicates, self.analyzer)


class _Search:
    """One search on one connection and generation."""

    def __init__(
        self, conn: psycopg.Connection, generation: Generation, queries: QueryBuilder, kind: str
    ) -> None:
        self.conn = conn
        self.generation = generation
        self.terms = Terms(conn)
        self.queries = queries
        self.kind = kind

    def run(
        self,
        parsed: ParsedQuery,
        sort: str,
        window: tuple[int, int],
        group: bool,
        include_duplicates: bool,
        analyzer: NorwegianAnalyzer,
    ) -> SearchResult:
        plan = self.queries.build(parsed, self.kind, self.terms, Speller(self.conn))
        where = visible(self.kind, parsed.filters, self.generation, include_duplicates)
        strict = match(plan.strict)
        partial = match(plan.partial) if plan.partial is not None else None
        either = strict if partial is None or strict is None else f"({strict} | {partial})"
        sql, params = counting(matching(where, either), strict, group)
        rows = self.conn.execute(sql, params).fetchall()
        totals = {name: n for name, value, n in rows if value is None}
        facets: dict[str, dict[Any, int]] = {}
        for name, value, n in rows:
            if value is not None:
                facets.setdefault(name, {})[value] = n
        in_document = facets.pop("doc", {})
        tiers = [(plan.strict, strict, "all", totals["matched_all"])]
        if plan.partial is not None:
            tiers.append((plan.partial, partial, "some", totals["total"] - totals["matched_all"]))
        offset, limit = window
        page: dict[str, Any] = {"total": totals["total"], "matched_all": totals["matched_all"]}
        if group:
            groups = [
                document_group(self._hits(g, plan, analyzer), in_document)
                for g in self._groups(tiers, where, sort, offset + limit)[offset:]
            ]
            page["groups"] = groups
            page["hits"] = [h for g in groups for h in g["hits"]]
        else:
            page["hits"] = self._hits(self._page(tiers, where, sort, offset + limit)[offset:], plan, analyzer)
        page["total_documents"] = totals["documents"]
        facet_counts = {name: counts(facets.get(name, {})) for name in FACETS}
        request: dict[str, Any] = {"did_you_mean": plan.did_you_mean, "kind": self.kind, "sort": sort}
        request.update({"group": group, "limit": limit, "offset": offset})
        committees = self.generation.labels.labels(facet_counts.get("committee", {}))
        return response(page, parsed, facet_counts, committees, request)

    def _ranked(
        self, tier: tuple[Any, str | None, str, int], where: Where, sort: str, count: int, grouped: bool
    ) -> list[tuple[int, str, float]]:
        query, tsquery, _, _ = tier
        sql, params = ranking(
            matching(where, tsquery), Scoring.of(query), self.terms, self.generation, (sort, count, grouped)
        )
        return [(int(i), d, float(s)) for i, d, s in self.conn.execute(sql, params)]

    def _page(
        self, tiers: list[tuple[Any, str | None, str, int]], where: Where, sort: str, wanted: int
    ) -> list[Ranked]:
        out: list[Ranked] = []
        for tier in tiers:
            if len(out) >= wanted:
                break
            if tier[3]:
                out += [
                    (i, s, tier[2]) for i, _, s in self._ranked(tier, where, sort, wanted - len(out), False)
                ]
        return out

    def _groups(
        self, tiers: list[tuple[Any, str | None, str, int]], where: Where, sort: str, wanted: int
    ) -> list[list[Ranked]]:
        groups: dict[str, list[Ranked]] = {}
        for tier in tiers:
            if len(groups) >= wanted:
                break
            if tier[3]:
                for record_id, doc_id, score in self._ranked(tier, where, sort, 0, True):
                    group = groups.setdefault(doc_id, [])
                    if len(group) < GROUP_HITS:
                        group.append((record_id, score, tier[2]))
        return list(groups.values())[:wanted]

    def _hits(
        self, ranked: list[Ranked], plan: QueryPlan, analyzer: NorwegianAnalyzer
    ) -> list[dict[str, Any]]:
        if not ranked:
            return []
        ids = [record_id for record_id, _, _ in ranked]
        rows = self.conn.execute(f"SELECT id, data FROM {SCHEMA}.records WHERE id = ANY(%s)", (ids,))
        data: dict[int, dict[str, Any]] = dict(rows.fetchall())
        out = []
        for record_id, score, match_kind in ranked:
            stored = data[record_id]
            marked = snippet(stored["text"], analyzer, plan.highlight_terms, plan.compound_heads)
            out.append(hit(stored, score, self.kind, match_kind, marked))
        return out

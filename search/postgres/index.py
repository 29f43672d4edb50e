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
from search.postgres import writing
from search.postgres.facets import StaleProfiles
from search.postgres.lookup import Generation, Speller, Terms
from search.postgres.plan import Scoring, match
from search.postgres.rows import Batch
from search.postgres.schema import SCHEMA, ensure_schema
from search.postgres.sql import Tiers, search_sql, visible
from search.querying import QueryBuilder, QueryPlan
from search.responses import SearchRequest, hit, response
from search.results import counts, document_group
from search.schema import FACETS, RecordBuilder

log = logging.getLogger(__name__)

Ranked = tuple[int, float, str]  # (record id, score, "all" or "some")


class PostgresIndex(SearchIndex):
    def __init__(self, url: str, *, analyzer: NorwegianAnalyzer | None = None, max_size: int = 4) -> None:
        self.url = url
        self.analyzer = analyzer or NorwegianAnalyzer()
        self._records = RecordBuilder(self.analyzer)
        self._queries = QueryBuilder(self.analyzer)
        # No sequential scans: the planner cannot tell that a tsquery of many words is cheap to answer
        # from the GIN index and costly to evaluate on each row, and chose the latter.
        options = {"autocommit": True, "options": "-c enable_seqscan=off"}
        self._pool = ConnectionPool(url, min_size=1, max_size=max_size, open=True, kwargs=options)
        self._lock = threading.Lock()  # guards the cached generation
        self._generation: Generation | None = None
        try:
            with self._pool.connection() as conn:
                ensure_schema(conn)
        except BaseException:
            self._pool.close()
            raise

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

    def _run(self, request: SearchRequest) -> SearchResult:
        with self._pool.connection() as conn:
            try:
                return _Search(conn, self._current(conn), self._queries, request.kind).run(
                    request, self.analyzer
                )
            except StaleProfiles:
                # a commit between reading the generation and the search: once more, on the new one
                return _Search(conn, self._current(conn), self._queries, request.kind).run(
                    request, self.analyzer
                )


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

    def run(self, request: SearchRequest, analyzer: NorwegianAnalyzer) -> SearchResult:
        parsed, group = request.parsed, request.group
        plan = self.queries.build(parsed, self.kind, self.terms, Speller(self.conn))
        where = visible(self.kind, parsed.filters, self.generation, request.include_duplicates)
        strict = match(plan.strict)
        scorings = [Scoring.of(plan.strict)]
        either = strict
        if plan.partial is not None:
            scorings.append(Scoring.of(plan.partial))
            # what is counted: the strict tier, and the partial one without its "not every word"
            loose = match(plan.partial, besides=plan.strict)
            either = strict if loose is None or strict is None else f"({strict} | {loose})"
        order = (request.sort, request.offset, request.limit, group)
        sql, params = search_sql(
            where, Tiers(strict, either, tuple(scorings)), self.terms, self.generation, order
        )
        ranked: list[tuple[int, int, str, float, bool, Any]] = []
        per: tuple[list[int], list[int], list[int]] = ([], [], [])
        rows = self.conn.execute(sql, params, binary=True)
        for part, value, _, record_id, score, is_strict, data, place, *profiles in rows:
            if part == "hit":
                ranked.append((place, record_id, value, float(score), is_strict, data))
            elif profiles[0] is not None:
                per = (profiles[0], profiles[1], profiles[2])
        counted = self.generation.profiles.count(*per, per_document=group)
        ranked.sort(key=lambda row: row[0])
        in_document = counted.per_document
        page: dict[str, Any] = {"total": counted.total, "matched_all": counted.matched_all}
        if group:
            groups: dict[str, list[Ranked]] = {}
            for _, record_id, doc_id, score, is_strict, _ in ranked:
                if doc_id in groups or len(groups) < request.offset + request.limit:
                    groups.setdefault(doc_id, []).append((record_id, score, "all" if is_strict else "some"))
            page["groups"] = [
                document_group(self._hits(g, plan, analyzer), in_document)
                for g in list(groups.values())[request.offset :]
            ]
            page["hits"] = [h for g in page["groups"] for h in g["hits"]]
        else:
            shown = [
                (record_id, score, "all" if is_strict else "some", data)
                for _, record_id, _, score, is_strict, data in ranked
            ]
            page["hits"] = [
                self._hit(data, score, match_kind, plan, analyzer) for _, score, match_kind, data in shown
            ]
        page["total_documents"] = counted.documents
        facet_counts = {name: counts(counted.facets.get(name, {})) for name in FACETS}
        committees = self.generation.labels.labels(facet_counts.get("committee", {}))
        return response(page, request, facet_counts, committees, plan.did_you_mean)

    def _hit(
        self,
        data: dict[str, Any],
        score: float,
        match_kind: str,
        plan: QueryPlan,
        analyzer: NorwegianAnalyzer,
    ) -> dict[str, Any]:
        marked = snippet(data["text"], analyzer, plan.highlight_terms, plan.compound_heads)
        return hit(data, score, self.kind, match_kind, marked)

    def _hits(
        self, ranked: list[Ranked], plan: QueryPlan, analyzer: NorwegianAnalyzer
    ) -> list[dict[str, Any]]:
        if not ranked:
            return []
        ids = [record_id for record_id, _, _ in ranked]
        rows = self.conn.execute(f"SELECT id, data FROM {SCHEMA}.stored WHERE id = ANY(%s)", (ids,))
        data: dict[int, dict[str, Any]] = dict(rows.fetchall())
        return [self._hit(data[i], score, match_kind, plan, analyzer) for i, score, match_kind in ranked]

"""The PostgreSQL implementation of :class:`SearchIndex` (design.md: search on a server engine).

The same analysis, query language, plan and ranking as the whoosh index: records are built by
:class:`search.schema.RecordBuilder`, queries by :class:`search.querying.QueryBuilder` (its term
look-ups answered from the ``terms`` table), matched, counted and scored by BM25 as whoosh scores,
over the postings of the query's terms and per-generation arrays of the records and their facet
profiles (search/postgres/searching.py).
Connections come from a psycopg_pool ConnectionPool; any number of processes may read and write
(writes take an advisory lock, each is one transaction).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager

import psycopg
from psycopg_pool import ConnectionPool

from ingest.model import Document
from search.analysis import NorwegianAnalyzer
from search.base import EntityMap, SearchIndex, SearchResult
from search.postgres import writing
from search.postgres.lookup import Generation
from search.postgres.rows import Batch
from search.postgres.schema import SCHEMA, ensure_schema
from search.postgres.searching import Search
from search.querying import QueryBuilder
from search.responses import SearchRequest
from search.schema import RecordBuilder

log = logging.getLogger(__name__)


class PostgresIndex(SearchIndex):
    def __init__(self, url: str, *, analyzer: NorwegianAnalyzer | None = None, max_size: int = 4) -> None:
        self.url = url
        self.analyzer = analyzer or NorwegianAnalyzer()
        self._records = RecordBuilder(self.analyzer)
        self._queries = QueryBuilder(self.analyzer)
        # No sequential scans: a search reads postings and records by id (a few thousand at most),
        # where the planner's estimates of a list of ids can make a scan of a whole table look cheaper.
        # No JIT and no parallel workers: a search reads a few postings and small arrays, where
        # compiling or starting workers costs more than it saves (and the cores are shared).
        flags = "-c enable_seqscan=off -c jit=off -c max_parallel_workers_per_gather=0"
        options = {"autocommit": True, "options": flags}
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
        # one snapshot for the whole search: the generation, the postings and the records it reads
        with self._pool.connection() as conn, _snapshot(conn):
            return Search(conn, self._current(conn), self._queries, request.kind).run(request, self.analyzer)


@contextmanager
def _snapshot(conn: psycopg.Connection) -> Iterator[None]:
    """A read-only transaction of one snapshot (REPEATABLE READ), opened by its BEGIN (no statement of
    its own); the connection is left as the pool lent it, for writes too."""
    conn.isolation_level, conn.read_only = psycopg.IsolationLevel.REPEATABLE_READ, True
    try:
        with conn.transaction():
            yield
    finally:
        if conn.info.transaction_status == psycopg.pq.TransactionStatus.IDLE:  # else the pool drops it
            conn.isolation_level, conn.read_only = None, None

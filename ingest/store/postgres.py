"""The ingest store in PostgreSQL (``HFKG_DATABASE_URL``): the manifest's tables, the document records
and the copies of originals in schema ``hfkg_store`` of one database, so that API workers on other
machines share it without a shared disk.

The manifest's SQL is :class:`~ingest.store.manifest.Manifest`'s (the part SQLite and PostgreSQL
share); :class:`Database` is what it runs on here: a psycopg 3 connection pool, one REPEATABLE READ
transaction for a snapshot, one transaction per journal step, and a session advisory lock on a
connection held for a whole run as the write lock (PostgreSQL lets go of it when the connection goes,
as the kernel lets go of a dead writer's ``.write.lock``). The journal protocol is the same as on
SQLite (:mod:`ingest.store.journal`).

A database that cannot be reached, or whose schema ``hfkg_store`` holds tables that are not ours,
raises :class:`~ingest.errors.ManifestUnreadable`: nothing is created over it, nothing dropped.
"""

from __future__ import annotations

import contextlib
import json
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo
from psycopg_pool import ConnectionPool, PoolTimeout

from ingest.errors import ManifestUnreadable, NotFound
from ingest.model import Document
from ingest.store import DocumentStore
from ingest.store.journal import Journal
from ingest.store.rows import IN_PLACE, DocumentRows, OriginalRows
from ingest.store.sqlite import SCHEMA, TABLES, VERSION

NAMESPACE = "hfkg_store"
DDL = f"""
CREATE SCHEMA {NAMESPACE};
SET LOCAL search_path TO {NAMESPACE};
{SCHEMA}
CREATE TABLE records (
    doc_id TEXT NOT NULL, staged INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (doc_id, staged));
CREATE TABLE originals (sha256 TEXT PRIMARY KEY, data BYTEA NOT NULL);
INSERT INTO meta (key, value) VALUES ('version', '{VERSION}');
"""
OURS = TABLES | {"records", "originals"}
# Advisory lock keys (any two bigints; per database): the write lock, and the schema's creation.
WRITE_LOCK = 0x6866_6B67_5354_0001
CREATE_LOCK = 0x6866_6B67_5354_0002
POOL_SIZE = 8  # connections per process: the API's threads read at once, one writes
CONNECT_TIMEOUT_S = 5


class Marks:
    """A psycopg connection taking the manifest's ``?`` marks (its SQL has no other question marks)."""

    def __init__(self, conn: psycopg.Connection[Any]) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Any = (), /) -> Any:
        return self.conn.execute(sql.replace("?", "%s"), tuple(parameters))

    def executemany(self, sql: str, parameters: Any, /) -> Any:
        with self.conn.cursor() as cursor:
            cursor.executemany(sql.replace("?", "%s"), list(parameters))


def shown(url: str) -> str:
    """The URL without its password, for messages."""
    try:
        params = conninfo_to_dict(url)
    except psycopg.ProgrammingError:
        return "(an invalid database URL)"
    params.pop("password", None)
    return make_conninfo("", **params)


class Database:
    """The connections to one database's ``hfkg_store``, opened when first used."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.where = f"schema {NAMESPACE} of the database {shown(url)}"
        self._pool: ConnectionPool | None = None
        self._opening = threading.Lock()
        self._local = threading.local()  # the connection of a transaction this thread is in
        self._ready = False

    def unreadable(self, reason: str) -> ManifestUnreadable:
        return ManifestUnreadable(
            f"the ingest store ({self.where}) cannot be read ({reason}); nothing was changed. "
            "Check HFKG_DATABASE_URL and that the server runs (scripts/services.sh status), then `hfkg check`"
        )

    @contextlib.contextmanager
    def errors(self) -> Iterator[None]:
        """A server that cannot be reached, or tables that are not ours, become ManifestUnreadable."""
        try:
            yield
        except PoolTimeout as exc:
            raise self.unreadable(f"no connection: {exc}") from exc
        except (psycopg.errors.UndefinedTable, psycopg.errors.UndefinedColumn) as exc:
            raise self.unreadable(f"it is not an hfkg store: {exc}") from exc
        except psycopg.OperationalError as exc:
            raise self.unreadable(str(exc).strip()) from exc

    def pool(self) -> ConnectionPool:
        with self._opening:
            if self._pool is None:
                with self.errors():
                    # One connection first: its error says why (refused, password, no database);
                    # the pool's would only say that it timed out.
                    psycopg.connect(self.url, connect_timeout=CONNECT_TIMEOUT_S).close()
                    self._pool = ConnectionPool(
                        self.url,
                        min_size=1,
                        max_size=POOL_SIZE,
                        kwargs={"autocommit": True, "options": f"-c search_path={NAMESPACE}"},
                        timeout=30,
                        name=NAMESPACE,
                        open=True,
                    )
            return self._pool

    def exists(self) -> bool:
        """Whether the schema is there (and ours: else ManifestUnreadable)."""
        if self._ready:
            return True
        with self.errors(), self.pool().connection() as conn:
            tables = {
                r[0]
                for r in conn.execute(
                    "SELECT table_name FROM information_schema.tables WHERE table_schema = %s", (NAMESPACE,)
                )
            }
            present = conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (NAMESPACE,)).fetchall()
        if not present:
            return False
        if tables != OURS:
            raise self.unreadable(
                f"its tables ({', '.join(sorted(tables)) or 'none'}) are not an hfkg store's"
            )
        self._ready = True
        return True

    def create(self) -> None:
        """The schema and its tables, in one transaction (so that half of it is never there)."""
        if self.exists():
            return
        with self.errors(), self.pool().connection() as conn, conn.transaction():
            conn.execute("SELECT pg_advisory_xact_lock(%s)", (CREATE_LOCK,))
            if not conn.execute("SELECT 1 FROM pg_namespace WHERE nspname = %s", (NAMESPACE,)).fetchall():
                conn.execute(DDL.encode())  # a script of our own: no parameters
        self.exists()

    def rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        current: Marks | None = getattr(self._local, "conn", None)
        if current is not None:
            with self.errors():
                return list(current.execute(sql, params).fetchall())
        if not self.exists():
            return []
        with self.errors(), self.pool().connection() as conn:
            return list(Marks(conn).execute(sql, params).fetchall())

    @contextlib.contextmanager
    def snapshot(self) -> Iterator[Marks | None]:
        """One read-only transaction that sees one commit (REPEATABLE READ)."""
        if not self.exists():
            yield None
            return
        with self._in(read_only=True) as marks:
            yield marks

    @contextlib.contextmanager
    def transaction(self) -> Iterator[Marks]:
        self.create()
        with self._in(read_only=False) as marks:
            yield marks

    @contextlib.contextmanager
    def _in(self, *, read_only: bool) -> Iterator[Marks]:
        if getattr(self._local, "conn", None) is not None:  # nested: part of the one already open
            yield self._local.conn
            return
        with self.errors(), self.pool().connection() as conn, conn.transaction():
            if read_only:
                conn.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            self._local.conn = Marks(conn)
            try:
                yield self._local.conn
            finally:
                self._local.conn = None

    @contextlib.contextmanager
    def advisory_lock(self, *, wait: bool) -> Iterator[bool]:
        """The write lock: a session advisory lock on a connection of its own, held while in use."""
        with self.errors():
            conn = psycopg.connect(self.url, autocommit=True, connect_timeout=CONNECT_TIMEOUT_S)
        try:
            with self.errors():
                if wait:
                    conn.execute("SELECT pg_advisory_lock(%s)", (WRITE_LOCK,))
                    mine = True
                else:
                    row = conn.execute("SELECT pg_try_advisory_lock(%s)", (WRITE_LOCK,)).fetchone()
                    mine = bool(row and row[0])
            yield mine
        finally:
            conn.close()  # the lock goes with the session

    def close(self) -> None:
        with self._opening:
            if self._pool is not None:
                self._pool.close()
                self._pool = None
        self._ready = False


class ServerStore(DocumentStore):
    """:class:`DocumentStore` on PostgreSQL: the same reads, journal and checks, other connections."""

    SOURCE_OF = (
        "SELECT s.key, s.entry FROM sources AS s, "
        "jsonb_array_elements_text(s.entry::jsonb -> 'doc_ids') AS d(value) WHERE d.value = ? LIMIT 1"
    )
    USES_ORIGINAL = (
        "SELECT 1 FROM sources WHERE entry::jsonb ->> 'original' = ? "
        "AND jsonb_array_length(entry::jsonb -> 'doc_ids') > 0 LIMIT 1"
    )

    def __init__(self, data_dir: Path, database_url: str) -> None:
        self.database = Database(database_url)
        super().__init__(data_dir)
        self.files: DocumentRows = DocumentRows(self.database, self.data_dir)
        self.originals = OriginalRows(self.database, self.data_dir)
        self.changes = Journal(self, self.files, self.originals)

    @property
    def where(self) -> str:
        return self.database.where

    def document(self, doc_id: str) -> Document:
        """As :meth:`DocumentStore.document`, the manifest's row and the record read in one statement
        (one snapshot: a record missing beside its row is damaged, not deleted in between)."""
        rows = self._rows(
            "SELECT d.summary, r.body FROM documents AS d LEFT JOIN records AS r"
            " ON r.doc_id = d.doc_id AND r.staged = ? WHERE d.doc_id = ?",
            (IN_PLACE, doc_id),
        )
        if not rows or "/" in doc_id or doc_id.startswith("."):
            raise NotFound(f"no document with id {doc_id!r}")
        doc = self.files.decode(doc_id, rows[0][1])
        doc.duplicate_of = json.loads(rows[0][0]).get("duplicate_of")  # the manifest's link wins
        return doc

    def _exists(self) -> bool:
        return self.database.exists()

    @contextlib.contextmanager
    def write_lock(self, *, wait: bool = True) -> Iterator[bool]:
        with self.database.advisory_lock(wait=wait) as mine:
            yield mine

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        return self.database.rows(sql, params)

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[Any]:
        with self.database.snapshot() as db:
            yield db

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self.database.transaction() as db:
            yield db

    def apply(self, journal: dict[str, Any]) -> bool:
        """The commit, with the records it stages moved into place and those of dropped documents
        removed in the same transaction: a reader sees the new summary and the new record together.
        (The journal's step 5 then finds them moved, as after a crash.)"""
        with self.database.transaction():
            committed = super().apply(journal)
            if committed:
                for doc_id in journal["staged"]:
                    self.files.move_into_place(journal["generation"], doc_id)
                for doc_id in journal["drop"]:
                    if self.summary(doc_id) is None:
                        self.files.remove(doc_id)
        return committed

    def import_json(self) -> None:
        """Nothing to import: a data directory from before SQLite is imported by the embedded store."""

    def close(self) -> None:
        self.database.close()

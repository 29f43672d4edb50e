"""The SQLite side of the manifest: ``manifest.sqlite`` in the data directory, one connection per
thread, WAL mode (readers never wait for the writer), and ``.write.lock`` beside it.

A manifest that cannot be read (empty, not a database, damaged, without its tables) raises
:class:`~ingest.errors.ManifestUnreadable` wherever it is opened: nothing is deleted because of it.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.errors import ManifestUnreadable

VERSION = 2  # of the manifest's tables, on either backend
SCHEMA = """
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS sources (key TEXT PRIMARY KEY, sha256 TEXT, entry TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS sources_sha256 ON sources (sha256);
CREATE TABLE IF NOT EXISTS documents (
    doc_id TEXT PRIMARY KEY, source TEXT, part INTEGER, duplicate_of TEXT,
    summary TEXT NOT NULL, fingerprint TEXT NOT NULL);
CREATE INDEX IF NOT EXISTS documents_duplicate_of ON documents (duplicate_of);
CREATE TABLE IF NOT EXISTS registry (key TEXT PRIMARY KEY, entry TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS journal (generation INTEGER PRIMARY KEY, change TEXT NOT NULL);
"""
# Every manifest since the move to SQLite has had these; a file without them is not a manifest.
TABLES = {"meta", "sources", "documents", "registry", "journal"}
# SQLite errors that say nothing about the file itself: waited out or reported as they are.
TRANSIENT = {
    "SQLITE_BUSY",
    "SQLITE_LOCKED",
    "SQLITE_FULL",
    "SQLITE_READONLY",
    "SQLITE_INTERRUPT",
    "SQLITE_NOMEM",
}


class SqliteFile:
    """The connection to ``manifest.sqlite`` (what :class:`ingest.store.manifest.Manifest` runs its SQL on)."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "manifest.sqlite"
        self._local = threading.local()  # one connection per thread

    @property
    def where(self) -> str:
        """The manifest as messages name it."""
        return str(self.path)

    def _exists(self) -> bool:
        return self._db() is not None

    @contextlib.contextmanager
    def write_lock(self, *, wait: bool = True) -> Iterator[bool]:
        """``.write.lock`` held for a whole run; with ``wait=False`` False at once when another has it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / ".write.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def _db(self, *, create: bool = False) -> sqlite3.Connection | None:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is not None:
            return db
        if not self.path.exists():
            if not create:
                return None
            self._create()
        with self._sqlite():
            db = sqlite3.connect(self.path, timeout=30, isolation_level=None)
            try:
                tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
                if not tables >= TABLES:
                    # SQLite reads an empty file as an empty database: without this it would look
                    # like a data directory where nothing was ever ingested.
                    raise self._unreadable(
                        "the file is empty" if not tables else "it is not an hfkg manifest"
                    )
                db.execute("PRAGMA journal_mode=WAL")
                db.execute("PRAGMA synchronous=FULL")
            except BaseException:
                db.close()
                raise
        self._local.db = db
        return db

    def _create(self) -> None:
        """A new manifest appears whole (built aside, then linked into place), so a manifest file that
        is empty or lacks its tables is never one a writer was making: it is damage."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=self.data_dir, prefix=".manifest.", suffix=".tmp")
        os.close(fd)
        try:
            new = sqlite3.connect(tmp, isolation_level=None)
            try:
                new.executescript(SCHEMA)
                new.execute("INSERT INTO meta (key, value) VALUES ('version', ?)", (str(VERSION),))
            finally:
                new.close()
            try:
                os.link(tmp, self.path)  # never over a manifest another writer made first
            except FileExistsError:
                pass
            except OSError:  # a file system without hard links
                os.replace(tmp, self.path)
        finally:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)

    def _unreadable(self, reason: str) -> ManifestUnreadable:
        return ManifestUnreadable(
            f"the manifest {self.path} cannot be read ({reason}); nothing was changed. Restore it from a "
            f"backup (docs/, the search index and the graph are untouched), then run `hfkg check`"
        )

    @contextlib.contextmanager
    def _sqlite(self) -> Iterator[None]:
        """SQLite errors that mean the file is damaged become :class:`ManifestUnreadable`."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if getattr(exc, "sqlite_errorname", None) in TRANSIENT:
                raise
            raise self._unreadable(str(exc)) from exc

    def _rows(self, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
        with self._sqlite():
            db = self._db()
            return [] if db is None else db.execute(sql, params).fetchall()

    @contextlib.contextmanager
    def _snapshot(self) -> Iterator[Any]:
        """One read transaction, so that several tables are read as of one commit."""
        db = self._db()
        if db is None:
            yield None
            return
        with self._sqlite():
            db.execute("BEGIN")
            try:
                yield db
            finally:
                db.execute("COMMIT")

    @contextlib.contextmanager
    def _transaction(self) -> Iterator[Any]:
        with self._sqlite():
            db = self._db(create=True)
            assert db is not None
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                with contextlib.suppress(sqlite3.Error):
                    db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    def close(self) -> None:
        db = getattr(self._local, "db", None)
        if db is not None:
            db.close()
            self._local.db = None

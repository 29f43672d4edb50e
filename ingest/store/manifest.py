"""The manifest: ``manifest.sqlite``, the record of what was committed.

Its tables hold the sources (which file holds which documents), the document summaries with their
duplicate fingerprints, the registry of names, the generation counter, and the journal's rows (see
:mod:`ingest.store.journal`). SQLite in WAL mode, so readers never wait for the writer and always see
one committed generation.

A manifest that cannot be read (empty, not a database, damaged, without its tables) raises
:class:`~ingest.errors.ManifestUnreadable` wherever it is opened: nothing is deleted because of it.
"""

from __future__ import annotations

import contextlib
import json
import os
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.errors import ManifestUnreadable

VERSION = 2
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


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


class Manifest:
    """The SQLite records of one data directory: read by anyone, written by the journal's commit."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "manifest.sqlite"
        self._local = threading.local()  # one connection per thread
        self._cache_lock = threading.Lock()
        self._summaries: tuple[int, list[dict[str, Any]]] | None = None
        self._registry: tuple[int, dict[str, Any]] | None = None
        self._prints: tuple[int, dict[str, tuple[list[int], bool]]] | None = None

    # -- the database -----------------------------------------------------------------------
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
    def _snapshot(self) -> Iterator[sqlite3.Connection | None]:
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
    def _transaction(self) -> Iterator[sqlite3.Connection]:
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

    # -- reading ----------------------------------------------------------------------------
    def generation(self) -> int:
        rows = self._rows("SELECT value FROM meta WHERE key = 'generation'")
        return int(rows[0][0]) if rows else 0

    def manifest(self) -> dict[str, Any]:
        """Everything the manifest holds, as one dictionary (for checks, tests and exports)."""
        if self._db() is None:
            return {"version": VERSION, "generation": 0, "sources": {}, "documents": {}, "registry": {}}
        with self._snapshot() as db:
            assert db is not None
            generation = self.generation()
            sources = {k: json.loads(e) for k, e in db.execute("SELECT key, entry FROM sources")}
            documents = {
                i: {**json.loads(s), "fingerprint": json.loads(f)}
                for i, s, f in db.execute("SELECT doc_id, summary, fingerprint FROM documents")
            }
            registry = {k: json.loads(e) for k, e in db.execute("SELECT key, entry FROM registry")}
        return {
            "version": VERSION,
            "generation": generation,
            "sources": sources,
            "documents": documents,
            "registry": registry,
        }

    def count(self) -> int:
        rows = self._rows("SELECT count(*) FROM documents")
        return int(rows[0][0]) if rows else 0

    def doc_ids(self) -> list[str]:
        return [r[0] for r in self._rows("SELECT doc_id FROM documents ORDER BY doc_id")]

    def summaries(self) -> list[dict[str, Any]]:
        """Every document's summary, ordered by source and part (cached per generation)."""
        generation = self.generation()
        cached = self._summaries
        if cached is None or cached[0] != generation:
            rows = self._rows("SELECT summary FROM documents ORDER BY source, part")
            cached = (generation, [json.loads(r[0]) for r in rows])
            self._summaries = cached
        return [dict(s) for s in cached[1]]

    def summary(self, doc_id: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT summary FROM documents WHERE doc_id = ?", (doc_id,))
        return json.loads(rows[0][0]) if rows else None

    def source(self, key: str) -> dict[str, Any] | None:
        rows = self._rows("SELECT entry FROM sources WHERE key = ?", (key,))
        return json.loads(rows[0][0]) if rows else None

    def sources(self) -> dict[str, dict[str, Any]]:
        return {k: json.loads(e) for k, e in self._rows("SELECT key, entry FROM sources")}

    def source_of(self, doc_id: str) -> tuple[str, dict[str, Any]] | None:
        """The source entry that holds a document."""
        rows = self._rows(
            "SELECT s.key, s.entry FROM sources AS s, json_each(s.entry, '$.doc_ids') AS d "
            "WHERE d.value = ? LIMIT 1",
            (doc_id,),
        )
        return (rows[0][0], json.loads(rows[0][1])) if rows else None

    def source_with_hash(self, sha256: str, exclude: str) -> str | None:
        for key, entry in self._rows(
            "SELECT key, entry FROM sources WHERE sha256 = ? AND key != ?", (sha256, exclude)
        ):
            if json.loads(entry).get("doc_ids"):
                return str(key)
        return None

    def uses_original(self, sha: str) -> bool:
        """Whether a source of documents holds the original copy with this sha256."""
        sql = "SELECT 1 FROM sources WHERE json_extract(entry, '$.original') = ? AND {} LIMIT 1"
        return bool(self._rows(sql.format("json_array_length(entry, '$.doc_ids') > 0"), (sha,)))

    def duplicates_of(self, doc_ids: list[str]) -> list[str]:
        """Documents recorded as a duplicate of one of ``doc_ids`` (and not among them)."""
        if not doc_ids:
            return []
        marks = ",".join("?" * len(doc_ids))
        rows = self._rows(
            f"SELECT doc_id FROM documents WHERE duplicate_of IN ({marks}) ORDER BY doc_id", tuple(doc_ids)
        )
        return [r[0] for r in rows if r[0] not in doc_ids]

    def registry(self) -> dict[str, dict[str, Any]]:
        """Committees and initiatives named so far, for resolving variants across documents."""
        generation = self.generation()
        cached = self._registry
        if cached is None or cached[0] != generation:
            cached = (
                generation,
                {k: json.loads(e) for k, e in self._rows("SELECT key, entry FROM registry")},
            )
            self._registry = cached
        return dict(cached[1])

    def fingerprints(self, exclude: set[str]) -> dict[str, list[int]]:
        """The fingerprints of documents that are originals (no duplicate_of), for near-duplicate search.
        Kept in memory between calls; a commit of this process updates them in place."""
        with self._cache_lock:
            generation = self.generation()
            if self._prints is None or self._prints[0] != generation:
                rows = self._rows("SELECT doc_id, fingerprint, duplicate_of FROM documents")
                self._prints = (generation, {i: (json.loads(f), bool(d)) for i, f, d in rows})
            prints = self._prints[1]
        return {i: f for i, (f, dup) in prints.items() if not dup and i not in exclude}

    def fingerprint(self, doc_id: str) -> list[int]:
        rows = self._rows("SELECT fingerprint FROM documents WHERE doc_id = ?", (doc_id,))
        return json.loads(rows[0][0]) if rows else []

    def named(self) -> set[str]:
        """The documents the manifest and the journal name, in one snapshot."""
        with self._snapshot() as db:
            if db is None:
                return set()
            named = {r[0] for r in db.execute("SELECT doc_id FROM documents")}
            for (change,) in db.execute("SELECT change FROM journal"):
                journal = json.loads(change)
                named |= {*journal["add"], *journal["drop"]}
        return named

    # -- the journal's rows -----------------------------------------------------------------
    def latest_journal(self) -> dict[str, Any] | None:
        rows = self._rows("SELECT change FROM journal ORDER BY generation DESC LIMIT 1")
        return json.loads(rows[0][0]) if rows else None

    def insert_journal(self, journal: dict[str, Any]) -> None:
        with self._transaction() as db:
            db.execute(
                "INSERT INTO journal (generation, change) VALUES (?, ?)",
                (journal["generation"], dumps(journal)),
            )

    def rewrite_journal(self, journal: dict[str, Any]) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE journal SET change = ? WHERE generation = ?", (dumps(journal), journal["generation"])
            )

    def delete_journal(self, generation: int, *, and_older: bool = False) -> None:
        with self._transaction() as db:
            db.execute(f"DELETE FROM journal WHERE generation {'<=' if and_older else '='} ?", (generation,))

    # -- committing -------------------------------------------------------------------------
    def apply(self, journal: dict[str, Any]) -> bool:
        """The journal's delta in one transaction (the commit), unless it is committed already.
        Returns whether this call committed it."""
        with self._transaction() as db:
            committed = self.generation() >= journal["generation"]
            if not committed:
                self._apply(db, journal)
        if not committed:
            self._note_commit(journal)
        return not committed

    @staticmethod
    def _apply(db: sqlite3.Connection, journal: dict[str, Any]) -> None:
        """The journal's delta, inside the caller's transaction."""
        db.executemany("DELETE FROM documents WHERE doc_id = ?", [(i,) for i in journal["drop"]])
        db.executemany(
            "INSERT OR REPLACE INTO documents (doc_id, source, part, duplicate_of, summary, fingerprint) "
            "VALUES (?, ?, ?, ?, ?, ?)",
            [
                (
                    i,
                    s.get("source"),
                    s.get("part", 0),
                    s.get("duplicate_of"),
                    dumps({k: v for k, v in s.items() if k != "fingerprint"}),
                    dumps(s.get("fingerprint", [])),
                )
                for i, s in journal["documents"].items()
            ],
        )
        db.executemany("DELETE FROM sources WHERE key = ?", [(k,) for k in journal["drop_sources"]])
        db.executemany(
            "INSERT OR REPLACE INTO sources (key, sha256, entry) VALUES (?, ?, ?)",
            [(k, e.get("sha256"), dumps(e)) for k, e in journal["sources"].items()],
        )
        db.executemany(
            "INSERT OR REPLACE INTO registry (key, entry) VALUES (?, ?)",
            [(k, dumps(e)) for k, e in journal["registry"].items()],
        )
        db.execute(
            "INSERT OR REPLACE INTO meta (key, value) VALUES ('generation', ?)", (str(journal["generation"]),)
        )
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('version', ?)", (str(VERSION),))

    def _note_commit(self, journal: dict[str, Any]) -> None:
        """Bring this process's fingerprint cache along with its own commit instead of re-reading."""
        with self._cache_lock:
            if self._prints is None or self._prints[0] != journal["generation"] - 1:
                self._prints = None
                return
            prints = dict(self._prints[1])
            for doc_id in journal["drop"]:
                prints.pop(doc_id, None)
            for doc_id, summary in journal["documents"].items():
                prints[doc_id] = (summary.get("fingerprint", []), bool(summary.get("duplicate_of")))
            self._prints = (journal["generation"], prints)

    def import_json(self) -> None:
        """A data directory written before the manifest moved to SQLite: import it once."""
        old = self.data_dir / "manifest.json"
        if not old.exists() or self.path.exists():
            return
        data = json.loads(old.read_text(encoding="utf-8"))
        journal = {
            "generation": int(data.get("generation", 0)) + 1,
            "sources": data.get("sources", {}),
            "drop_sources": [],
            "documents": data.get("documents", {}),
            "drop": [],
            "registry": data.get("registry", {}),
        }
        with self._transaction() as db:
            self._apply(db, journal)
        old.rename(old.with_name("manifest.json.imported"))

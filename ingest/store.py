"""The ingest manifest: which source files hold which documents, and the documents themselves.

Layout in the data directory: ``manifest.sqlite`` (sources, document summaries with their duplicate
fingerprints, the name registry, the generation counter and the journal; SQLite in WAL mode, so readers
never wait for the writer and always see one committed generation) and ``docs/<doc_id>.json`` (full
documents). One writer at a time holds ``.write.lock`` for a whole run.

A change (a file ingested, a document deleted) touches three stores: this manifest, the search index
and the graph. It is committed in this order, so that a process killed at any moment leaves a state
the next opener completes (as SQLite completes a hot journal) and no reader sees half of it:

1. the journal row is written: the change as a delta of the manifest, with the next generation,
   marked not ready;
2. the new documents' files are written under ids the manifest does not name yet (invisible);
   new versions of documents it does name go to ``docs/.staged/`` (invisible); the journal is
   marked ready;
3. the caller applies the change to the search index and the graph (idempotent: replace by id);
4. the delta is applied to the manifest in one SQLite transaction: this is the commit;
5. staged files are moved into place, files of removed documents deleted, the journal row removed.

A journal left by a killed writer is *hot*: whoever next takes the write lock replays 3–5 from a
ready one (:meth:`DocumentStore.journal` and :meth:`DocumentStore.finish`) and undoes one that is not
ready or that its writer marked aborted after a sink write failed (:meth:`DocumentStore.discard`,
after the caller gave the sinks back the committed documents). Between 1 and 4 the manifest still
describes the old state, and documents read through it are the committed ones. Since every file a
writer creates is named by its journal first, a document file that neither the manifest nor a journal
names was not put there by a writer: it is reported (`hfkg check`), never deleted.

A manifest that cannot be read (empty, not a database, damaged, without its tables) raises
:class:`~ingest.errors.ManifestUnreadable` wherever it is opened: nothing is deleted because of it.

A data directory from before SQLite (``manifest.json``) is imported on first open for writing.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import sqlite3
import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.crashpoints import crashpoint
from ingest.errors import DocumentDamaged, ManifestUnreadable, NotFound, UnfinishedChange
from ingest.model import Document

VERSION = 2
STAGED = ".staged"
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


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


@dataclass(slots=True)
class Change:
    """One all-or-nothing change of the data directory.

    ``add`` are new or changed versions of documents (written to the sinks and to ``docs/``);
    ``drop`` leave the manifest; ``unindex`` leave the sinks (a file's old documents, re-added ones
    included); ``sources`` sets source entries and ``drop_sources`` removes some.
    """

    add: list[Document] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    unindex: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    drop_sources: list[str] = field(default_factory=list)

    @property
    def touches_sinks(self) -> bool:
        return bool(self.add or self.unindex)


class DocumentStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / "manifest.sqlite"
        self.docs_dir = self.data_dir / "docs"
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
        db = self._db()
        if db is None:
            return {"version": VERSION, "generation": 0, "sources": {}, "documents": {}, "registry": {}}
        with self._sqlite():
            db.execute("BEGIN")  # one snapshot for all the tables
            try:
                generation = self.generation()
                sources = {k: json.loads(e) for k, e in db.execute("SELECT key, entry FROM sources")}
                documents = {
                    i: {**json.loads(s), "fingerprint": json.loads(f)}
                    for i, s, f in db.execute("SELECT doc_id, summary, fingerprint FROM documents")
                }
                registry = {k: json.loads(e) for k, e in db.execute("SELECT key, entry FROM registry")}
            finally:
                db.execute("COMMIT")
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

    def document(self, doc_id: str) -> Document:
        summary = self.summary(doc_id)
        if summary is None or "/" in doc_id or doc_id.startswith("."):
            raise NotFound(f"no document with id {doc_id!r}")
        try:
            doc = self._read(doc_id, self._doc_path(doc_id))
        except DocumentDamaged:
            if self.summary(doc_id) is None:  # deleted by a commit in between: gone, not damaged
                raise NotFound(f"no document with id {doc_id!r}") from None
            raise
        # The manifest is the record of what was committed: its duplicate link wins over a file
        # rewritten by a change that is still on its way.
        doc.duplicate_of = summary.get("duplicate_of")
        return doc

    def _read(self, doc_id: str, path: Path) -> Document:
        try:
            doc = Document.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise self._damaged(doc_id, path, "the file is missing") from None
        except (
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
        ) as exc:  # truncated, not JSON, not a document
            raise self._damaged(doc_id, path, f"{type(exc).__name__}: {exc}") from exc
        if doc.doc_id != doc_id:
            raise self._damaged(doc_id, path, f"it holds document {doc.doc_id!r}")
        return doc

    def _damaged(self, doc_id: str, path: Path, reason: str) -> DocumentDamaged:
        where = path.relative_to(self.data_dir) if path.is_relative_to(self.data_dir) else path
        return DocumentDamaged(
            doc_id,
            f"document {doc_id} cannot be read: {where} is damaged ({reason}); "
            f"`hfkg check` lists every damaged file",
        )

    def damaged_documents(self) -> dict[str, str]:
        """Documents the manifest names whose file is missing or cannot be read, with the reason."""
        damaged = {}
        for (doc_id,) in self._rows("SELECT doc_id FROM documents ORDER BY doc_id"):
            try:
                self.document(doc_id)
            except DocumentDamaged as exc:
                damaged[doc_id] = str(exc)
            except NotFound:  # deleted since the list was read
                pass
        return damaged

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

    # -- writing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self, *, wait: bool = True) -> Iterator[bool]:
        """Hold the write lock; with ``wait=False`` yields False at once when another writer has it."""
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / ".write.lock", "w") as lock:
            try:
                fcntl.flock(lock, fcntl.LOCK_EX if wait else fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                yield False
                return
            try:
                self._import_json_manifest()
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def begin(self, change: Change) -> dict[str, Any]:
        """Steps 1–2: record the change in the journal and write the documents where no reader looks."""
        pending = self.journal()
        if pending is not None:  # replacing it would lose a change the sinks may already hold
            raise UnfinishedChange(
                f"the change of journal generation {pending['generation']} is unfinished: "
                f"finish or undo it first (Ingestor.recover)"
            )
        generation = self.generation() + 1
        staged = [doc.doc_id for doc in change.add if self.summary(doc.doc_id) is not None]
        summaries = {}
        # Only a writer needs extraction's registry of names: opening the manifest loads no extraction code.
        from ingest.extract.resolve import registry_entries

        registry: dict[str, Any] = {}
        for doc in change.add:
            summary = doc.summary()
            summary["part"] = doc.part
            summary["headings"] = len(doc.headings)
            summary["fingerprint"] = doc.fingerprint
            summaries[doc.doc_id] = summary
            registry.update(registry_entries(doc))
        journal = {
            "generation": generation,
            "sources": change.sources,
            "drop_sources": change.drop_sources,
            "documents": summaries,
            "drop": change.drop,
            "registry": registry,
            "staged": staged,
            "add": [d.doc_id for d in change.add],
            "unindex": change.unindex,
            "ready": False,
        }
        if change.touches_sinks:
            with self._transaction() as db:
                db.execute(
                    "INSERT INTO journal (generation, change) VALUES (?, ?)", (generation, _dumps(journal))
                )
        restaged = set(staged)
        for doc in change.add:
            text = json.dumps(doc.to_dict(), ensure_ascii=False)
            if doc.doc_id in restaged:
                atomic_write(self._staged_path(generation, doc.doc_id), text)
            else:
                atomic_write(self._doc_path(doc.doc_id), text)
        crashpoint("documents-written")
        journal["ready"] = True
        if change.touches_sinks:
            self._rewrite_journal(journal)
            crashpoint("journal-written")
        return journal

    def _rewrite_journal(self, journal: dict[str, Any]) -> None:
        with self._transaction() as db:
            db.execute(
                "UPDATE journal SET change = ? WHERE generation = ?", (_dumps(journal), journal["generation"])
            )

    def abort(self, journal: dict[str, Any]) -> dict[str, Any]:
        """Mark a change whose sink writes failed as one to undo, so that a writer that cannot undo it
        now leaves the next one a journal to undo rather than to finish."""
        journal = {**journal, "aborted": True}
        self._rewrite_journal(journal)
        return journal

    @staticmethod
    def to_undo(journal: dict[str, Any]) -> bool:
        """Whether a journal is undone (not ready, or aborted) rather than finished."""
        # A journal without 'ready' is from a version that wrote it after its files: ready.
        return bool(journal.get("aborted")) or not journal.get("ready", True)

    def discard(self, journal: dict[str, Any]) -> None:
        """Undo a change that was not committed: the files it wrote and its journal row go (the caller
        has given the sinks back the committed documents it touched). Safe to repeat after a crash."""
        if self.generation() >= journal["generation"]:
            raise UnfinishedChange(
                f"the change of journal generation {journal['generation']} is committed; "
                "it can only be finished"
            )
        staged = set(journal["staged"])
        for doc_id in journal["add"]:
            if doc_id not in staged and self.summary(doc_id) is None:
                with contextlib.suppress(FileNotFoundError):
                    self._doc_path(doc_id).unlink()
        shutil.rmtree(self._staging(journal["generation"]), ignore_errors=True)
        with self._transaction() as db:
            db.execute("DELETE FROM journal WHERE generation = ?", (journal["generation"],))

    def has_journal(self) -> bool:
        return self.path.exists() and self.journal() is not None

    def journal(self) -> dict[str, Any] | None:
        """The change a writer began and did not finish (hot if that writer is dead, live if not)."""
        rows = self._rows("SELECT change FROM journal ORDER BY generation DESC LIMIT 1")
        return json.loads(rows[0][0]) if rows else None

    def journal_documents(self, journal: dict[str, Any]) -> list[Document]:
        """The documents a journal adds, as written in its step 1."""
        staged = set(journal["staged"])
        docs = []
        for doc_id in journal["add"]:
            path = (
                self._staged_path(journal["generation"], doc_id)
                if doc_id in staged
                else self._doc_path(doc_id)
            )
            docs.append(self._read(doc_id, path))
        return docs

    def finish(self, journal: dict[str, Any]) -> None:
        """Steps 4–5 (the commit and the tidying after it); safe to repeat after a crash."""
        with self._transaction() as db:
            committed = self.generation() >= journal["generation"]
            if not committed:
                self._apply(db, journal)
        if not committed:
            self._note_commit(journal)
            crashpoint("manifest-written")
        for doc_id in journal["staged"]:
            with contextlib.suppress(FileNotFoundError):
                os.replace(self._staged_path(journal["generation"], doc_id), self._doc_path(doc_id))
        for doc_id in journal["drop"]:
            if self.summary(doc_id) is None:
                with contextlib.suppress(FileNotFoundError):
                    self._doc_path(doc_id).unlink()
        shutil.rmtree(self._staging(journal["generation"]), ignore_errors=True)
        with self._transaction() as db:
            db.execute("DELETE FROM journal WHERE generation <= ?", (journal["generation"],))

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
                    _dumps({k: v for k, v in s.items() if k != "fingerprint"}),
                    _dumps(s.get("fingerprint", [])),
                )
                for i, s in journal["documents"].items()
            ],
        )
        db.executemany("DELETE FROM sources WHERE key = ?", [(k,) for k in journal["drop_sources"]])
        db.executemany(
            "INSERT OR REPLACE INTO sources (key, sha256, entry) VALUES (?, ?, ?)",
            [(k, e.get("sha256"), _dumps(e)) for k, e in journal["sources"].items()],
        )
        db.executemany(
            "INSERT OR REPLACE INTO registry (key, entry) VALUES (?, ?)",
            [(k, _dumps(e)) for k, e in journal["registry"].items()],
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

    def commit(self, change: Change) -> None:
        """A change with nothing for the sinks (a source entry): straight to the manifest."""
        if change.touches_sinks:
            raise ValueError("a change of documents goes through begin(), the sinks, then finish()")
        self.finish(self.begin(change))

    def orphans(self) -> list[str]:
        """Document files neither the manifest nor a journal names (no writer leaves any: a manifest
        restored from an old backup, files copied in by hand, a writer of an older version killed)."""
        if not self.docs_dir.is_dir():
            return []
        # The files first, then one snapshot of manifest and journal, then the files again: a file a
        # writer adds after the listing is not looked at, and one a commit adds or removes meanwhile
        # is named by its journal until the journal goes (after the file is in place or gone).
        found = sorted(p.stem for p in self.docs_dir.glob("*.json"))
        named = self._named()
        return [i for i in found if i not in named and self._doc_path(i).exists()]

    def _named(self) -> set[str]:
        """The documents the manifest and the journal name, in one snapshot."""
        db = self._db()
        if db is None:
            return set()
        with self._sqlite():
            db.execute("BEGIN")
            try:
                named = {r[0] for r in db.execute("SELECT doc_id FROM documents")}
                for (change,) in db.execute("SELECT change FROM journal"):
                    journal = json.loads(change)
                    named |= {*journal["add"], *journal["drop"]}
            finally:
                db.execute("COMMIT")
        return named

    def stray_staging(self) -> list[Path]:
        """Staging folders no journal names (left by a writer of an older version killed mid-change)."""
        folder = self.docs_dir / STAGED
        if not folder.is_dir():
            return []
        journal = self.journal()
        live = str(journal["generation"]) if journal else None
        return sorted(p for p in folder.iterdir() if p.name != live)

    def doc_path(self, doc_id: str) -> Path:
        """Where a document's file is (whether or not the manifest names it)."""
        return self._doc_path(doc_id)

    def _doc_path(self, doc_id: str) -> Path:
        return self.docs_dir / f"{doc_id}.json"

    def _staging(self, generation: int) -> Path:
        return self.docs_dir / STAGED / str(generation)

    def _staged_path(self, generation: int, doc_id: str) -> Path:
        return self._staging(generation) / f"{doc_id}.json"

    def _import_json_manifest(self) -> None:
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

"""The manifest: the record of what was committed.

Its tables hold the sources (which file holds which documents), the document summaries with their
duplicate fingerprints, the registry of names, the generation counter, and the journal's rows (see
:mod:`ingest.store.journal`). In ``manifest.sqlite`` (:mod:`ingest.store.sqlite`, WAL mode) or in
PostgreSQL's schema ``hfkg_store`` (:mod:`ingest.store.postgres`); either way readers never wait for
the writer and always see one committed generation, and a manifest that cannot be read raises
:class:`~ingest.errors.ManifestUnreadable` wherever it is opened: nothing is deleted because of it.
"""

from __future__ import annotations

import json
import threading
from pathlib import Path
from typing import Any, Protocol

from ingest.store.sqlite import VERSION, SqliteFile

__all__ = ["VERSION", "Db", "Manifest", "dumps", "upsert"]


class Db(Protocol):
    """What the manifest's SQL runs on: a SQLite connection, or a PostgreSQL cursor taking its marks."""

    def execute(self, sql: str, parameters: Any = (), /) -> Any: ...

    def executemany(self, sql: str, parameters: Any, /) -> Any: ...


def dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def upsert(table: str, key: str, *columns: str) -> str:
    """An insert that replaces the row with the same key, in the SQL SQLite and PostgreSQL share."""
    names = (key, *columns)
    updates = ", ".join(f"{c} = excluded.{c}" for c in columns)
    return (
        f"INSERT INTO {table} ({', '.join(names)}) VALUES ({', '.join('?' * len(names))}) "
        f"ON CONFLICT ({key}) DO UPDATE SET {updates}"
    )


class Manifest(SqliteFile):
    """The records of one data directory: read by anyone, written by the journal's commit.

    The SQL is the part SQLite and PostgreSQL share (``?`` marks, ``ON CONFLICT`` upserts); the
    connection (``_db``, ``_rows``, ``_snapshot``, ``_transaction``), the two JSON queries and the write
    lock are what :class:`ingest.store.postgres.ServerManifest` does otherwise."""

    SOURCE_OF = (
        "SELECT s.key, s.entry FROM sources AS s, json_each(s.entry, '$.doc_ids') AS d "
        "WHERE d.value = ? LIMIT 1"
    )
    USES_ORIGINAL = (
        "SELECT 1 FROM sources WHERE json_extract(entry, '$.original') = ? "
        "AND json_array_length(entry, '$.doc_ids') > 0 LIMIT 1"
    )

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self._cache_lock = threading.Lock()
        self._summaries: tuple[int, list[dict[str, Any]]] | None = None
        self._registry: tuple[int, dict[str, Any]] | None = None
        self._prints: tuple[int, dict[str, tuple[list[int], bool]]] | None = None

    # -- reading ----------------------------------------------------------------------------
    def generation(self) -> int:
        rows = self._rows("SELECT value FROM meta WHERE key = 'generation'")
        return int(rows[0][0]) if rows else 0

    def manifest(self) -> dict[str, Any]:
        """Everything the manifest holds, as one dictionary (for checks, tests and exports)."""
        if not self._exists():
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
        rows = self._rows(self.SOURCE_OF, (doc_id,))
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
        return bool(self._rows(self.USES_ORIGINAL, (sha,)))

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
    def _apply(db: Db, journal: dict[str, Any]) -> None:
        """The journal's delta, inside the caller's transaction."""
        db.executemany("DELETE FROM documents WHERE doc_id = ?", [(i,) for i in journal["drop"]])
        db.executemany(
            upsert("documents", "doc_id", "source", "part", "duplicate_of", "summary", "fingerprint"),
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
            upsert("sources", "key", "sha256", "entry"),
            [(k, e.get("sha256"), dumps(e)) for k, e in journal["sources"].items()],
        )
        db.executemany(
            upsert("registry", "key", "entry"),
            [(k, dumps(e)) for k, e in journal["registry"].items()],
        )
        meta = upsert("meta", "key", "value")
        db.execute(meta, ("generation", str(journal["generation"])))
        db.execute(meta, ("version", str(VERSION)))

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

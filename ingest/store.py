"""The ingest manifest: which source files hold which documents, and the documents themselves.

Layout in the data directory: ``manifest.json`` (sources and document summaries), ``docs/<doc_id>.json``
(full documents) and, while a change is being committed, ``journal.json``. One writer at a time holds
``.write.lock``.

A change (a file ingested, a document deleted) touches three stores: this manifest, the search index
and the graph. It is committed in this order, so that a process killed at any moment leaves a state
the next opener completes (as SQLite completes a hot journal) and no reader sees half of it:

1. the new documents' files are written under ids the manifest does not name yet (invisible);
   new versions of documents it does name go to ``docs/.staged/`` (invisible);
2. the journal is written (atomically): the change as a delta of the manifest, with a new generation;
3. the caller applies the change to the search index and the graph (idempotent: replace by id);
4. the delta is applied to the manifest, written atomically: this rename is the commit;
5. staged files are moved into place, files of removed documents deleted, the journal removed.

A journal left by a killed writer is *hot*: whoever next takes the write lock replays 3–5 from it
(:meth:`DocumentStore.journal` and :meth:`DocumentStore.finish`). Between 2 and 4 the manifest still
describes the old state, and documents read through it are the committed ones.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.crashpoints import crashpoint
from ingest.errors import NotFound
from ingest.extract import registry_entries
from ingest.model import Document

VERSION = 1
JOURNAL = "journal.json"
STAGED = ".staged"


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
        self.manifest_path = self.data_dir / "manifest.json"
        self.journal_path = self.data_dir / JOURNAL
        self.docs_dir = self.data_dir / "docs"
        self._manifest: dict[str, Any] | None = None
        self._mtime: int | None = None

    # -- reading ----------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The manifest as last committed; re-read when another process has committed since."""
        try:
            mtime = self.manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            return {"version": VERSION, "generation": 0, "sources": {}, "documents": {}}
        if self._manifest is None or mtime != self._mtime:
            self._manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            self._mtime = mtime
        return self._manifest

    def generation(self) -> int:
        return int(self.manifest().get("generation", 0))

    def summaries(self) -> list[dict[str, Any]]:
        docs = self.manifest()["documents"].values()
        return sorted(({k: v for k, v in d.items() if k != "fingerprint"} for d in docs),
                      key=lambda d: (d.get("source") or "", d.get("part", 0)))

    def document(self, doc_id: str) -> Document:
        summary = self.manifest()["documents"].get(doc_id)
        if summary is None or "/" in doc_id or doc_id.startswith("."):
            raise NotFound(f"no document with id {doc_id!r}")
        doc = self._read(self.docs_dir / f"{doc_id}.json")
        # The manifest is the record of what was committed: its duplicate link wins over a file
        # rewritten by a change that is still on its way.
        doc.duplicate_of = summary.get("duplicate_of")
        return doc

    @staticmethod
    def _read(path: Path) -> Document:
        return Document.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def source(self, key: str) -> dict[str, Any] | None:
        return self.manifest()["sources"].get(key)

    def source_with_hash(self, sha256: str, exclude: str) -> str | None:
        for key, entry in self.manifest()["sources"].items():
            if entry.get("sha256") == sha256 and key != exclude and entry.get("doc_ids"):
                return key
        return None

    def registry(self) -> dict[str, dict[str, Any]]:
        """Committees and initiatives named so far, for resolving variants across documents."""
        return dict(self.manifest().get("registry", {}))

    def fingerprints(self, exclude: set[str]) -> dict[str, list[int]]:
        return {
            doc_id: d.get("fingerprint", [])
            for doc_id, d in self.manifest()["documents"].items()
            if doc_id not in exclude and not d.get("duplicate_of")
        }

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
                self._manifest = None
                yield True
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def begin(self, change: Change) -> dict[str, Any]:
        """Steps 1–2: write the documents where no reader looks and record the change in the journal."""
        current = self.manifest()
        committed = current["documents"]
        generation = int(current.get("generation", 0)) + 1
        staged: list[str] = []
        for doc in change.add:
            text = json.dumps(doc.to_dict(), ensure_ascii=False)
            if doc.doc_id in committed:
                atomic_write(self._staged_path(generation, doc.doc_id), text)
                staged.append(doc.doc_id)
            else:
                atomic_write(self.docs_dir / f"{doc.doc_id}.json", text)
        crashpoint("documents-written")
        summaries = {}
        registry: dict[str, Any] = {}
        for doc in change.add:
            summary = doc.summary()
            summary["part"] = doc.part
            summary["headings"] = len(doc.headings)
            summary["fingerprint"] = doc.fingerprint
            summaries[doc.doc_id] = summary
            registry.update(registry_entries(doc))
        journal = {
            "generation": generation, "sources": change.sources, "drop_sources": change.drop_sources,
            "documents": summaries, "drop": change.drop, "registry": registry, "staged": staged,
            "add": [d.doc_id for d in change.add], "unindex": change.unindex,
        }
        if change.touches_sinks:
            atomic_write(self.journal_path, json.dumps(journal, ensure_ascii=False, separators=(",", ":")))
            crashpoint("journal-written")
        return journal

    def journal(self) -> dict[str, Any] | None:
        """The change a writer began and did not finish (only meaningful under the write lock)."""
        try:
            return json.loads(self.journal_path.read_text(encoding="utf-8"))  # type: ignore[no-any-return]
        except FileNotFoundError:
            return None

    def journal_documents(self, journal: dict[str, Any]) -> list[Document]:
        """The documents a journal adds, as written in its step 1."""
        staged = set(journal["staged"])
        docs = []
        for doc_id in journal["add"]:
            path = (self._staged_path(journal["generation"], doc_id) if doc_id in staged
                    else self.docs_dir / f"{doc_id}.json")
            docs.append(self._read(path))
        return docs

    def finish(self, journal: dict[str, Any]) -> None:
        """Steps 4–5 (the commit and the tidying after it); safe to repeat after a crash."""
        current = self.manifest()
        if int(current.get("generation", 0)) < journal["generation"]:
            manifest = _applied(current, journal)
            atomic_write(self.manifest_path, json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))
            self._manifest = manifest
            self._mtime = self.manifest_path.stat().st_mtime_ns
            crashpoint("manifest-written")
        staging = self.docs_dir / STAGED / str(journal["generation"])
        for doc_id in journal["staged"]:
            with contextlib.suppress(FileNotFoundError):
                os.replace(staging / f"{doc_id}.json", self.docs_dir / f"{doc_id}.json")
        kept = self.manifest()["documents"]
        for doc_id in journal["drop"]:
            if doc_id not in kept:
                with contextlib.suppress(FileNotFoundError):
                    (self.docs_dir / f"{doc_id}.json").unlink()
        shutil.rmtree(staging, ignore_errors=True)
        self.journal_path.unlink(missing_ok=True)

    def commit(self, change: Change) -> None:
        """A change with nothing for the sinks (a source entry): straight to the manifest."""
        if change.touches_sinks:
            raise ValueError("a change of documents goes through begin(), the sinks, then finish()")
        self.finish(self.begin(change))

    def orphans(self) -> list[str]:
        """Document files no manifest or journal names: left by a writer killed before its journal."""
        journal = self.journal() or {"add": [], "drop": []}
        named = set(self.manifest()["documents"]) | set(journal["add"]) | set(journal["drop"])
        if not self.docs_dir.is_dir():
            return []
        return sorted(p.stem for p in self.docs_dir.glob("*.json") if p.stem not in named)

    def remove_orphans(self) -> list[str]:
        """Under the write lock: delete the orphans, and staging left without a journal."""
        orphans = self.orphans()
        for doc_id in orphans:
            with contextlib.suppress(FileNotFoundError):
                (self.docs_dir / f"{doc_id}.json").unlink()
        if self.journal() is None:
            shutil.rmtree(self.docs_dir / STAGED, ignore_errors=True)
        return orphans

    def _staged_path(self, generation: int, doc_id: str) -> Path:
        return self.docs_dir / STAGED / str(generation) / f"{doc_id}.json"


def _applied(current: dict[str, Any], journal: dict[str, Any]) -> dict[str, Any]:
    """The manifest with a journal's delta applied (entries are replaced, never edited in place, so
    shallow copies of the tables leave the committed manifest untouched for its readers)."""
    documents = dict(current["documents"])
    for doc_id in journal["drop"]:
        documents.pop(doc_id, None)
    documents.update(journal["documents"])
    sources = {k: v for k, v in current["sources"].items() if k not in set(journal["drop_sources"])}
    sources.update(journal["sources"])
    registry = {**current.get("registry", {}), **journal["registry"]}
    return {**current, "version": VERSION, "generation": journal["generation"], "sources": sources,
            "documents": documents, "registry": registry}

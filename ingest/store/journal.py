"""The journal: how one change is committed across three stores (the manifest, the search index and
the graph) so that a process killed at any moment leaves a state the next opener completes (as SQLite
completes a hot journal) and no reader sees half of it. A change is committed in this order:

1. the journal row is written: the change as a delta of the manifest, with the next generation,
   marked not ready;
2. the copies of its original files are written to ``originals/`` (content-addressed, named by the
   journal's ``originals``); the new documents' files under ids the manifest does not name yet (invisible);
   new versions of documents it does name go to ``docs/.staged/`` (invisible); the journal is
   marked ready;
3. the caller applies the change to the search index and the graph (its :class:`Sink`\\ s;
   idempotent: replace by id);
4. the delta is applied to the manifest in one SQLite transaction: this is the commit;
5. staged files are moved into place, files of removed documents deleted, copies no source of
   documents names any more (the journal's ``released``) deleted, the journal row removed.

A journal left by a killed writer is *hot*: whoever next takes the write lock replays 3–5 from a
ready one (:meth:`Journal.current` and :meth:`Journal.finish`) and undoes one that is not ready or
that its writer marked aborted after a sink write failed (:meth:`Journal.discard`, after the caller
gave the sinks back the committed documents). Between 1 and 4 the manifest still describes the old
state, and documents read through it are the committed ones. Since every file a writer creates is
named by its journal first, a document file that neither the manifest nor a journal names was not put
there by a writer: it is reported (`hfkg check`), never deleted.

One writer at a time holds the write lock for a whole run (:meth:`Journal.writing`).

The protocol is the same on both backends; what it writes is reached through small interfaces: the
manifest's rows and its write lock (:class:`~ingest.store.manifest.Manifest`: ``manifest.sqlite`` and
``.write.lock``, or PostgreSQL's tables and an advisory lock), the document records
(:class:`~ingest.store.files.Records`: ``docs/``, or rows) and the copies of originals (files in
``originals/``, or rows). On PostgreSQL every step is a transaction of its own on the one database,
so "file" above reads "row" and the steps' order and guarantees stay as they are.
"""

from __future__ import annotations

import contextlib
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, Protocol

from ingest.crashpoints import crashpoint
from ingest.errors import UnfinishedChange
from ingest.model import Document
from ingest.store.files import Records
from ingest.store.manifest import Manifest
from ingest.store.originals import Copies


class Sink(Protocol):
    """A store kept in step with the manifest (search index, graph)."""

    def apply(self, add: list[Document], remove: list[str]) -> None: ...


@dataclass(slots=True)
class Change:
    """One all-or-nothing change of the data directory.

    ``add`` are new or changed versions of documents (written to the sinks and to ``docs/``);
    ``drop`` leave the manifest; ``unindex`` leave the sinks (a file's old documents, re-added ones
    included); ``sources`` sets source entries and ``drop_sources`` removes some; ``registry`` are the
    names the added documents bring to the registry (extraction's, filled in by the ingestor);
    ``originals`` are the bytes of original files to keep, by sha256 (a source entry's ``original``).
    """

    add: list[Document] = field(default_factory=list)
    drop: list[str] = field(default_factory=list)
    unindex: list[str] = field(default_factory=list)
    sources: dict[str, dict[str, Any]] = field(default_factory=dict)
    drop_sources: list[str] = field(default_factory=list)
    registry: dict[str, Any] = field(default_factory=dict)
    originals: dict[str, bytes] = field(default_factory=dict)

    @property
    def touches_sinks(self) -> bool:
        return bool(self.add or self.unindex)

    @property
    def journaled(self) -> bool:
        """Whether the change needs a journal row: it writes the sinks, or files beside documents'."""
        return self.touches_sinks or bool(self.originals)


def _summary(doc: Document) -> dict[str, Any]:
    """What the manifest keeps of a document."""
    summary = doc.summary()
    summary["part"] = doc.part
    summary["headings"] = len(doc.headings)
    summary["fingerprint"] = doc.fingerprint
    return summary


class Journal:
    """The commit protocol over one data directory's manifest and document files."""

    def __init__(self, manifest: Manifest, files: Records, originals: Copies) -> None:
        self.manifest = manifest
        self.files = files
        self.originals = originals

    @contextlib.contextmanager
    def writing(self, *, wait: bool = True) -> Iterator[bool]:
        """Hold the write lock; with ``wait=False`` yields False at once when another writer has it."""
        with self.manifest.write_lock(wait=wait) as mine:
            if mine:
                self.manifest.import_json()
            yield mine

    def current(self) -> dict[str, Any] | None:
        """The change a writer began and did not finish (hot if that writer is dead, live if not)."""
        return self.manifest.latest_journal()

    def begin(self, change: Change) -> dict[str, Any]:
        """Steps 1–2: record the change in the journal and write the documents where no reader looks."""
        pending = self.current()
        if pending is not None:  # replacing it would lose a change the sinks may already hold
            raise UnfinishedChange(
                f"the change of journal generation {pending['generation']} is unfinished: "
                f"finish or undo it first (Ingestor.recover)"
            )
        generation = self.manifest.generation() + 1
        staged = [doc.doc_id for doc in change.add if self.manifest.summary(doc.doc_id) is not None]
        journal = {
            "generation": generation,
            "sources": change.sources,
            "drop_sources": change.drop_sources,
            "documents": {doc.doc_id: _summary(doc) for doc in change.add},
            "drop": change.drop,
            "registry": change.registry,
            "staged": staged,
            "add": [d.doc_id for d in change.add],
            "unindex": change.unindex,
            "originals": sorted(change.originals),
            "released": self._released(change),
            "ready": False,
        }
        if change.journaled:
            self.manifest.insert_journal(journal)
        # Named by the journal before they are written: an undone change takes them away again.
        for sha, data in sorted(change.originals.items()):
            self.originals.put(sha, data)
        if change.originals:
            crashpoint("originals-written")
        restaged = set(staged)
        for doc in change.add:
            self.files.write(doc, generation if doc.doc_id in restaged else None)
        crashpoint("documents-written")
        journal["ready"] = True
        if change.journaled:
            self.manifest.rewrite_journal(journal)
            crashpoint("journal-written")
        return journal

    def _released(self, change: Change) -> list[str]:
        """The copies of originals the change's sources stop naming (kept when another source uses one)."""
        keys = [*change.sources, *change.drop_sources]
        old = {k: (self.manifest.source(k) or {}).get("original") for k in keys}
        new = {k: e.get("original") if e.get("doc_ids") else None for k, e in change.sources.items()}
        return sorted({sha for k, sha in old.items() if sha and sha != new.get(k)})

    def _tidy_originals(self, shas: list[str]) -> None:
        """Remove the copies no source of documents names (after the commit or the undoing)."""
        for sha in shas:
            if not self.manifest.uses_original(sha):
                self.originals.remove(sha)

    def abort(self, journal: dict[str, Any]) -> dict[str, Any]:
        """Mark a change whose sink writes failed as one to undo, so that a writer that cannot undo it
        now leaves the next one a journal to undo rather than to finish."""
        journal = {**journal, "aborted": True}
        self.manifest.rewrite_journal(journal)
        return journal

    @staticmethod
    def to_undo(journal: dict[str, Any]) -> bool:
        """Whether a journal is undone (not ready, or aborted) rather than finished."""
        # A journal without 'ready' is from a version that wrote it after its files: ready.
        return bool(journal.get("aborted")) or not journal.get("ready", True)

    def discard(self, journal: dict[str, Any]) -> None:
        """Undo a change that was not committed: the files it wrote and its journal row go (the caller
        has given the sinks back the committed documents it touched). Safe to repeat after a crash."""
        if self.manifest.generation() >= journal["generation"]:
            raise UnfinishedChange(
                f"the change of journal generation {journal['generation']} is committed; "
                "it can only be finished"
            )
        staged = set(journal["staged"])
        for doc_id in journal["add"]:
            if doc_id not in staged and self.manifest.summary(doc_id) is None:
                self.files.remove(doc_id)
        self.files.drop_staging(journal["generation"])
        self._tidy_originals(journal.get("originals", []))
        self.manifest.delete_journal(journal["generation"])

    def documents(self, journal: dict[str, Any]) -> list[Document]:
        """The documents a journal adds, as written in its step 1."""
        staged = set(journal["staged"])
        generation = journal["generation"]
        return [self.files.read(i, generation if i in staged else None) for i in journal["add"]]

    def finish(self, journal: dict[str, Any]) -> None:
        """Steps 4–5 (the commit and the tidying after it); safe to repeat after a crash."""
        if self.manifest.apply(journal):
            crashpoint("manifest-written")
        generation = journal["generation"]
        for doc_id in journal["staged"]:
            self.files.move_into_place(generation, doc_id)
        for doc_id in journal["drop"]:
            if self.manifest.summary(doc_id) is None:
                self.files.remove(doc_id)
        self.files.drop_staging(generation)
        self._tidy_originals(journal.get("released", []))
        self.manifest.delete_journal(generation, and_older=True)

    def commit(self, change: Change) -> None:
        """A change with nothing for the sinks (a source entry): straight to the manifest."""
        if change.touches_sinks:
            raise ValueError("a change of documents goes through begin(), the sinks, then finish()")
        self.finish(self.begin(change))

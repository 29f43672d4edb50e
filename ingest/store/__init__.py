"""The ingest store of one data directory: which source files hold which documents, and the documents.

Four parts, one module each:

- :mod:`ingest.store.manifest` — ``manifest.sqlite``, the record of what was committed (sources,
  document summaries, the registry of names, the generation, the journal's rows);
- :mod:`ingest.store.files` — ``docs/<doc_id>.json``, the documents themselves;
- :mod:`ingest.store.originals` — ``originals/<aa>/<sha256>``, a copy of each original file ingested;
- :mod:`ingest.store.journal` — the commit protocol that keeps the manifest, the search index and the
  graph in step, and the write lock.

:class:`DocumentStore` is what callers open: the manifest's reads, a document through its file, and
the journal's steps. The check of the three stores against each other and its repair are in
:mod:`ingest.store.consistency` and :mod:`ingest.store.repair`.

Nothing here loads extraction (spaCy): reading commands open the store and nothing more.
"""

from __future__ import annotations

from contextlib import AbstractContextManager
from pathlib import Path
from typing import Any

from ingest.errors import DocumentDamaged, NotFound
from ingest.model import Document
from ingest.store.files import STAGED, DocumentFiles, Records, atomic_write
from ingest.store.journal import Change, Journal, Sink
from ingest.store.manifest import VERSION, Manifest
from ingest.store.originals import Copies, Originals

__all__ = ["STAGED", "VERSION", "Change", "DocumentStore", "Sink", "atomic_write", "open_store"]


def open_store(data_dir: Path, *, database_url: str | None = None) -> DocumentStore:
    """The store of a data directory: manifest.sqlite and its files when ``database_url`` is None, else
    the tables of schema ``hfkg_store`` in that PostgreSQL database (nothing on the shared disk)."""
    if database_url is None:
        return DocumentStore(data_dir)
    from ingest.store.postgres import ServerStore  # psycopg only where a database is used

    return ServerStore(data_dir, database_url)


class DocumentStore(Manifest):
    """The manifest (whose reads it has), the document files (``files``) and the journal (``changes``)."""

    def __init__(self, data_dir: Path) -> None:
        super().__init__(data_dir)
        self.files: Records = DocumentFiles(self.data_dir)
        self.originals: Copies = Originals(self.data_dir)
        self.changes = Journal(self, self.files, self.originals)

    # -- documents --------------------------------------------------------------------------
    def document(self, doc_id: str) -> Document:
        summary = self.summary(doc_id)
        if summary is None or "/" in doc_id or doc_id.startswith("."):
            raise NotFound(f"no document with id {doc_id!r}")
        try:
            doc = self.files.read(doc_id)
        except DocumentDamaged:
            if self.summary(doc_id) is None:  # deleted by a commit in between: gone, not damaged
                raise NotFound(f"no document with id {doc_id!r}") from None
            raise
        # The manifest is the record of what was committed: its duplicate link wins over a file
        # rewritten by a change that is still on its way.
        doc.duplicate_of = summary.get("duplicate_of")
        return doc

    def damaged_documents(self) -> dict[str, str]:
        """Documents the manifest names whose file is missing or cannot be read, with the reason."""
        damaged = {}
        for doc_id in self.doc_ids():
            try:
                self.document(doc_id)
            except DocumentDamaged as exc:
                damaged[doc_id] = str(exc)
            except NotFound:  # deleted since the list was read
                pass
        return damaged

    def orphans(self) -> list[str]:
        """Document files neither the manifest nor a journal names (no writer leaves any: a manifest
        restored from an old backup, files copied in by hand, a writer of an older version killed)."""
        # The files first, then one snapshot of manifest and journal, then the files again: a file a
        # writer adds after the listing is not looked at, and one a commit adds or removes meanwhile
        # is named by its journal until the journal goes (after the file is in place or gone).
        found = self.files.ids()
        named = self.named()
        return [i for i in found if i not in named and self.files.exists(i)]

    def stray_staging(self) -> list[str]:
        """Staged changes no journal names (left by a writer of an older version killed mid-change)."""
        journal = self.journal()
        return self.files.staging_names(but=str(journal["generation"]) if journal else None)

    # -- the journal's steps ----------------------------------------------------------------
    def writing(self, *, wait: bool = True) -> AbstractContextManager[bool]:
        return self.changes.writing(wait=wait)

    def journal(self) -> dict[str, Any] | None:
        return self.changes.current()

    def has_journal(self) -> bool:
        return self._exists() and self.journal() is not None

    def begin(self, change: Change) -> dict[str, Any]:
        return self.changes.begin(change)

    def abort(self, journal: dict[str, Any]) -> dict[str, Any]:
        return self.changes.abort(journal)

    @staticmethod
    def to_undo(journal: dict[str, Any]) -> bool:
        return Journal.to_undo(journal)

    def discard(self, journal: dict[str, Any]) -> None:
        self.changes.discard(journal)

    def journal_documents(self, journal: dict[str, Any]) -> list[Document]:
        return self.changes.documents(journal)

    def finish(self, journal: dict[str, Any]) -> None:
        self.changes.finish(journal)

    def commit(self, change: Change) -> None:
        self.changes.commit(change)

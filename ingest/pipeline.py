"""Ingest files: read, normalise, segment, find duplicates, and commit each file all-or-nothing.

``Ingestor.run`` is a generator of per-file reports, so the CLI can draw a progress bar and the
API can answer with the report; later stages (search index, graph) plug in as sinks, written between
the journal and the manifest (see :mod:`ingest.store` for the commit protocol).
"""

from __future__ import annotations

import contextlib
import errno
import hashlib
import logging
import time
from collections.abc import Generator, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from stat import S_ISREG
from typing import Any

from ingest.attachments import attach
from ingest.crashpoints import crashpoint
from ingest.dedupe import find_duplicate, richness
from ingest.errors import IngestError
from ingest.extract import Extractor
from ingest.extract.resolve import registry_entries
from ingest.model import Document, RawDocument
from ingest.normalise import normalise
from ingest.readers.base import (
    DEFAULT_MAX_CONTENT_BYTES,
    DEFAULT_MAX_PAGE_CONTENT_BYTES,
    DEFAULT_MAX_TEXT_BYTES,
    Limits,
    read_file,
)
from ingest.readers.ocr import OcrOptions
from ingest.segment import segment
from ingest.store import Change, DocumentStore, Sink
from ingest.walk import display_path, iter_files

__all__ = ["FileReport", "Ingestor", "Origin", "Pending", "display_path", "iter_files"]

log = logging.getLogger(__name__)

Known = dict[str, dict[str, Any]]  # the registry of names (see ingest.extract.resolve)


@dataclass(slots=True)
class FileReport:
    path: str
    status: str  # ingested | unchanged | duplicate | rejected | error
    reason: str | None = None
    doc_ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    duplicate_of: list[str] = field(default_factory=list)

    def line(self) -> str:
        if self.status == "ingested":
            extra = f" ({len(self.doc_ids)} documents)" if len(self.doc_ids) > 1 else ""
            dup = f"; {len(self.duplicate_of)} duplicate of earlier documents" if self.duplicate_of else ""
            notes = f" ({self.reason})" if self.reason else ""  # e.g. an e-mail's attachments not read
            return f"ingested   {self.path}{extra}: {'; '.join(self.titles)}{dup}{notes}"
        if self.status == "duplicate":
            return f"duplicate  {self.path}: {self.reason}"
        if self.status == "unchanged":
            return f"unchanged  {self.path}"
        return f"{self.status:<10} {self.path}: {self.reason}"

    def to_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "status": self.status,
            "reason": self.reason,
            "doc_ids": self.doc_ids,
            "titles": self.titles,
            "duplicate_of": self.duplicate_of,
        }


@dataclass(frozen=True, slots=True)
class Origin:
    """Where the bytes of a file being ingested come from, when not from the path read: an upload's
    name in the data directory, or a file `hfkg ingest` handed to the server (its path and modification
    time on the caller's side). The manifest keeps the source under ``key``; reports show ``shown``."""

    key: str
    shown: str
    mtime_ns: int | None = None  # None: the file's own


@dataclass(frozen=True, slots=True)
class Pending:
    """A file that is new or changed since it was stored: what its turn needs from before its read."""

    path: Path
    shown: str  # as reports show it
    key: str  # the manifest's key of its source
    size: int
    mtime_ns: int
    previous: dict[str, Any] | None  # its source entry as stored, if any


class Ingestor:
    def __init__(
        self,
        store: DocumentStore,
        *,
        max_file_bytes: int,
        max_pages: int = 3000,
        max_text_bytes: int = DEFAULT_MAX_TEXT_BYTES,
        max_page_content_bytes: int = DEFAULT_MAX_PAGE_CONTENT_BYTES,
        max_content_bytes: int = DEFAULT_MAX_CONTENT_BYTES,
        ocr: OcrOptions = OcrOptions(),
        sinks: Iterable[Sink] = (),
    ) -> None:
        self.store = store
        self._extractor: Extractor | None = None
        self.max_file_bytes = max_file_bytes
        self.limits = Limits(
            max_pages=max_pages,
            max_text_bytes=max_text_bytes,
            max_page_content_bytes=max_page_content_bytes,
            max_content_bytes=max_content_bytes,
            ocr=ocr,
        )
        self.sinks = list(sinks)

    @property
    def extractor(self) -> Extractor:
        if self._extractor is None:
            self._extractor = Extractor()  # loads spaCy: only when a file needs it
        return self._extractor

    def run(self, paths: Iterable[Path]) -> Generator[FileReport, None, None]:
        with self.writing():
            for path in iter_files(paths):
                yield self.ingest_file(path)

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """The write lock, with whatever a killed writer left finished first."""
        with self.store.writing():
            finished = self.recover()
            if finished:
                log.warning("finished or undid an interrupted change: %s", finished)
            yield

    def ingest_file(self, path: Path, origin: Origin | None = None) -> FileReport:
        shown = origin.shown if origin else display_path(path)
        try:
            # A change an earlier file left (its undoing failed too) goes before this file is read.
            self.recover()
            return self._ingest(path, shown, origin)
        except IngestError as exc:
            return FileReport(shown, "rejected", str(exc))
        except Exception as exc:
            log.exception("internal error while ingesting %s", shown)
            return FileReport(shown, "error", f"internal error: {type(exc).__name__}: {exc}")

    def _ingest(self, path: Path, shown: str, origin: Origin | None) -> FileReport:
        pending = self.pending(path, shown, origin)
        if isinstance(pending, FileReport):
            return pending
        raw, data = self.read(pending)
        entry = self.entry(pending, raw.format, data)
        early = self.known_bytes(pending, entry, data)
        if early is not None:
            return early
        documents = segment(raw, normalise(raw), data)
        self._extract(documents)
        return self.store_documents(pending, entry, documents, data, raw)

    def pending(self, path: Path, shown: str, origin: Origin | None = None) -> Pending | FileReport:
        """The file to read, or its report where no read is needed (unchanged, not a regular file).
        Depends on this file's own source entry only, so a parallel run may ask it ahead of its turn."""
        try:
            stat = path.stat()
        except OSError as exc:
            return FileReport(shown, "rejected", _unreadable(path, exc))
        if not S_ISREG(stat.st_mode):
            return FileReport(shown, "rejected", "not a regular file (a folder, pipe or device)")
        key = origin.key if origin else str(path.resolve())
        mtime_ns = origin.mtime_ns if origin and origin.mtime_ns is not None else stat.st_mtime_ns
        previous = self.store.source(key)
        if previous and previous.get("size") == stat.st_size and previous.get("mtime_ns") == mtime_ns:
            return FileReport(shown, "unchanged", doc_ids=list(previous.get("doc_ids", [])))
        return Pending(path, shown, key, stat.st_size, mtime_ns, previous)

    def read(self, pending: Pending) -> tuple[RawDocument, bytes]:
        return read_pending(pending, max_file_bytes=self.max_file_bytes, limits=self.limits)

    @staticmethod
    def entry(pending: Pending, file_format: str, data: bytes) -> dict[str, Any]:
        """The source entry the manifest keeps for the file."""
        return {
            "path": pending.shown,
            "sha256": hashlib.sha256(data).hexdigest(),
            "size": pending.size,
            "mtime_ns": pending.mtime_ns,
            "ingested_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "format": file_format,
        }

    def known_bytes(self, pending: Pending, entry: dict[str, Any], data: bytes) -> FileReport | None:
        """The report of a file whose bytes are stored already (as this source, or as another), or
        None: its documents are to be read. Depends on the sources committed before this file."""
        previous, key, sha = pending.previous, pending.key, entry["sha256"]
        old_ids = list(previous.get("doc_ids", [])) if previous else []
        if previous and previous.get("sha256") == sha:
            entry["doc_ids"] = old_ids
            # The same bytes: a data directory from before originals were kept gets its copy now.
            keep = {sha: data} if old_ids and previous.get("original") != sha else {}
            entry.update({"original": sha} if old_ids else {})
            self.store.commit(Change(sources={key: entry}, originals=keep))
            return FileReport(pending.shown, "unchanged", doc_ids=old_ids)
        same = self.store.source_with_hash(sha, exclude=key)
        if same:
            return self._same_content(pending.shown, key, entry, old_ids, same)
        return None

    def store_documents(
        self,
        pending: Pending,
        entry: dict[str, Any],
        documents: list[Document],
        data: bytes,
        raw: RawDocument | None = None,
    ) -> FileReport:
        """Commit a file's documents (segmented and extracted): near-duplicates marked, the documents
        it held before replaced; an e-mail (``raw``, as its reader gave it) with its attachments.
        Depends on the documents committed before this file."""
        old_ids = list(pending.previous.get("doc_ids", [])) if pending.previous else []
        duplicates, promoted = self._near_duplicates(documents, old_ids)
        entry["doc_ids"] = [d.doc_id for d in documents]
        removed = [i for i in old_ids if i not in entry["doc_ids"]]
        changed = self.repointed(self.repoint(removed) | promoted)
        change = Change(add=documents + changed, drop=removed, unindex=old_ids, sources={pending.key: entry})
        if documents:  # the copy in <data>/originals/ the document pages link
            entry["original"] = entry["sha256"]
            change.originals[entry["sha256"]] = data
        # E-mail: its attachments become documents of their own in this commit (ingest/attachments.py).
        attached = attach(self, raw, change, key=pending.key) if raw is not None else None
        self.commit(change)
        report = self._ingested(pending.shown, documents, duplicates)
        return attached.report(report) if attached is not None else report

    def _same_content(
        self, shown: str, key: str, entry: dict[str, Any], old_ids: list[str], same: str
    ) -> FileReport:
        """A file with the bytes of another source: it holds no documents of its own."""
        other = self.store.source(same) or {}
        entry["doc_ids"] = []
        entry["same_as"] = other.get("path", same)
        changed = self.repointed(self.repoint(old_ids))
        self.commit(Change(add=changed, drop=old_ids, unindex=old_ids, sources={key: entry}))
        return FileReport(shown, "duplicate", f"same content as {other.get('path', same)}")

    def _extract(self, documents: list[Document]) -> None:
        extract_all(self.extractor, documents, self.store.registry())

    def _near_duplicates(
        self, documents: list[Document], old_ids: list[str]
    ) -> tuple[list[str], dict[str, str | None]]:
        """Mark the documents that repeat a stored one (``duplicate_of``), except where the new rendition
        is the better one: then the stored one and its duplicates are to point at it (``promoted``)."""
        known_prints = self.store.fingerprints(exclude=set(old_ids))
        duplicates = []
        promoted: dict[str, str | None] = {}
        for doc in documents:
            match = find_duplicate(doc.fingerprint, known_prints)
            if match is None:
                continue
            if richness(doc.summary() | {"headings": len(doc.headings)}) > richness(
                self.store.summary(match) or {}
            ):
                # The new rendition is the better one (dated, titled, structured): it becomes canonical.
                promoted[match] = doc.doc_id
                promoted.update(dict.fromkeys(self.store.duplicates_of([match]), doc.doc_id))
            else:
                doc.duplicate_of = match
                duplicates.append(match)
        return duplicates, promoted

    def _ingested(self, shown: str, documents: list[Document], duplicates: list[str]) -> FileReport:
        report = FileReport(
            shown,
            "ingested",
            doc_ids=[d.doc_id for d in documents],
            titles=[d.title for d in documents],
            duplicate_of=duplicates,
        )
        if documents and len(duplicates) == len(documents):
            titles = {d["doc_id"]: d["title"] for d in self.store.summaries()}
            report.status = "duplicate"
            report.reason = "near-duplicate of " + ", ".join(f"{titles.get(d, d)} ({d})" for d in duplicates)
        return report

    def commit(self, change: Change) -> None:
        """Journal, sinks, manifest: see :mod:`ingest.store.journal`. Call with the write lock held."""
        for doc in change.add:
            change.registry.update(registry_entries(doc))
        journal = self.store.begin(change)
        try:
            self._apply_sinks(change.add, change.unindex)
        except Exception:
            # A sink write failed (a full disk, an I/O error): the change is undone, so the file's
            # report ('error') is the truth; if undoing fails too, the journal says to undo it and
            # the next writer does.
            journal = self.store.abort(journal)
            try:
                self._undo(journal)
            except Exception:
                log.exception("could not undo the failed change of generation %s yet", journal["generation"])
            raise
        self.store.finish(journal)

    def _apply_sinks(self, add: list[Document], remove: list[str]) -> None:
        for sink in self.sinks:
            sink.apply(add, remove)
            crashpoint(f"{type(sink).__name__}-applied")

    def _undo(self, journal: dict[str, Any]) -> None:
        """Give the sinks back the committed version of every document a change touched, then drop
        its files and journal row."""
        if journal.get("ready", True):  # before 'ready' no sink was written
            touched = sorted(set(journal["add"]) | set(journal["unindex"]))
            committed = [self.store.document(i) for i in touched if self.store.summary(i) is not None]
            self._apply_sinks(committed, touched)
        self.store.discard(journal)

    def recover(self) -> dict[str, object] | None:
        """Finish the change a killed writer left in the journal (its sinks first, then the manifest),
        or undo it when it was not ready or its sink writes failed; call with the write lock held.
        Returns what was finished or undone, or None."""
        journal = self.store.journal()
        if journal is None:
            return None
        done = {
            "generation": journal["generation"],
            "sources": sorted(journal["sources"]),
            "documents": len(journal["add"]),
            "removed": len(journal["drop"]),
        }
        if self.store.to_undo(journal):
            self._undo(journal)
            return {**done, "undone": True, "already_committed": False}
        committed = self.store.generation() >= journal["generation"]
        if not committed:
            self._apply_sinks(self.store.journal_documents(journal), journal["unindex"])
        self.store.finish(journal)
        return {**done, "undone": False, "already_committed": committed}

    def repointed(self, repoint: dict[str, str | None]) -> list[Document]:
        """The stored documents whose original changed, with their new ``duplicate_of``, for the sinks."""
        changed = []
        for doc_id, target in repoint.items():
            other = self.store.document(doc_id)
            other.duplicate_of = target
            changed.append(other)
        return changed

    def repoint(self, removed: list[str]) -> dict[str, str | None]:
        """Documents that were duplicates of a removed one: point them at another copy, or at none."""
        if not removed:
            return {}
        changes: dict[str, str | None] = {}
        for doc_id in self.store.duplicates_of(removed):
            others = self.store.fingerprints(exclude=set(removed) | {doc_id})
            changes[doc_id] = find_duplicate(self.store.fingerprint(doc_id), others)
        return changes


def read_pending(pending: Pending, *, max_file_bytes: int, limits: Limits) -> tuple[RawDocument, bytes]:
    """The file read by the reader its name and content call for (in this process or a worker)."""
    crashpoint(f"read-{pending.path.name}")  # a test's way to kill the process reading one file
    raw, data = read_file(pending.path, max_bytes=max_file_bytes, limits=limits)
    raw.source = pending.shown
    return raw, data


def extract_all(extractor: Extractor, documents: list[Document], known: Known) -> None:
    """Extraction, each document seeing the names the earlier ones brought to the registry."""
    for doc in documents:
        extractor.extract(doc, known)
        known = {**known, **registry_entries(doc)}


def _unreadable(path: Path, exc: OSError) -> str:
    if exc.errno == errno.ELOOP:
        return "symbolic link loop: the link leads back to itself"
    if exc.errno == errno.ENOENT:
        return "broken symbolic link: its target does not exist" if path.is_symlink() else "no such file"
    return f"cannot read file: {exc.strerror or exc}"

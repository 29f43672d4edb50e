"""What `hfkg check --repair` mends, what `hfkg serve` verifies before it starts, and the finishing of a
change a killed writer left: all of it without deleting anything (what is taken away is kept in
quarantine, :mod:`ingest.quarantine`).

As in :mod:`ingest.store.consistency`, the search index and the graph are reached through protocols
that ``api`` satisfies; the ingestor, through :class:`Reingestor` (so that nothing here loads
extraction).
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any, Protocol

from ingest.errors import DocumentDamaged, NotFound, RepairRefused
from ingest.model import Document
from ingest.quarantine import Quarantine
from ingest.store import Change, DocumentStore, Sink
from ingest.store.consistency import HoldsDocuments, Inspected, consistency, implausible, inspect, refusal
from ingest.store.originals import Originals

log = logging.getLogger(__name__)


class GraphSink(HoldsDocuments, Sink, Protocol):
    """The graph as a repair reaches it: read, written, and one document's named graph kept aside."""

    def document_graph(self, doc_id: str) -> str: ...


class FileReport(Protocol):
    @property
    def status(self) -> str: ...

    def line(self) -> str: ...


class Reingestor(Protocol):
    """The ingestor feeding the stores (:class:`ingest.pipeline.Ingestor`)."""

    def recover(self) -> dict[str, object] | None: ...

    def ingest_file(self, path: Path) -> FileReport: ...


class Repairable(Inspected, Protocol):
    """The stores of one data directory opened for writing, as a repair reaches them."""

    @property
    def graph(self) -> GraphSink: ...

    def search_sink(self) -> Sink:
        """The search index as the ingestor feeds it (with the entities of its passages)."""

    @property
    def search_dir(self) -> Path:
        """Where the search index is, to keep a copy of it before a repair changes it."""

    def rebuild_search(self, quarantine: Quarantine) -> int:
        """Move an unreadable search index into quarantine and index the documents again."""

    @property
    def uploads_dir(self) -> Path:
        """Where uploads are stored (those no source records are quarantined)."""

    def ingestor(self) -> Reingestor: ...


class OpenIndex(HoldsDocuments, Protocol):
    """The search index opened on its own, to be closed after."""

    def close(self) -> None: ...


class Writer(Protocol):
    """The stores opened for writing, with the ingestor that keeps them in step."""

    def ingestor(self) -> Reingestor: ...

    def close(self) -> None: ...


def readable_documents(store: DocumentStore, doc_ids: Iterable[str]) -> list[Document]:
    """The documents of ``doc_ids`` whose file can be read; a damaged one is left out (and stays
    missing from the sinks, where `hfkg check` reports it beside its damaged file)."""
    docs = []
    for doc_id in doc_ids:
        try:
            docs.append(store.document(doc_id))
        except DocumentDamaged as exc:
            log.warning("left out: %s", exc)
    return docs


def preflight(store: DocumentStore, open_search: Callable[[], OpenIndex]) -> None:
    """What `hfkg serve` verifies before it takes the stores: a manifest or search index that cannot be
    read, or a manifest that does not account for the document files, stops it with one clear message
    (the server's own start would end in a traceback, or repair the stores after a wrong manifest).
    ``open_search`` opens the search index (and raises when it cannot be read); it is closed after."""
    try:
        journal = store.journal() or {"add": [], "unindex": []}
        named = {d["doc_id"] for d in store.summaries()}
        orphans = store.orphans()
    finally:
        store.close()
    index = open_search()
    try:
        extra = index.doc_ids() - named - {*journal["add"], *journal["unindex"]}
    finally:
        index.close()
    unaccounted = {*orphans, *extra}
    if implausible(len(named), unaccounted):
        raise RepairRefused(refusal(store.where, len(named), unaccounted, "server will not start"))


def finish_interrupted(
    store: DocumentStore, open_writer: Callable[[], Writer | None]
) -> dict[str, object] | None:
    """Before reading a data directory: finish a change whose writer was killed (a hot journal), as
    SQLite does before a read. Nothing to do when there is no journal; when a writer holds the lock
    its journal is live, not hot, and is left to it (it commits or fails whole). ``open_writer`` gives
    None when the stores cannot be opened for writing (a server holds the graph: it finishes the
    journal itself)."""
    if not store.has_journal():
        return None
    with store.writing(wait=False) as mine:
        if not mine:
            return None
        writer = open_writer()
        if writer is None:
            return None
        try:
            return writer.ingestor().recover()
        finally:
            writer.close()


def repair(stores: Repairable, quarantine: Quarantine | None = None) -> dict[str, object]:
    """Bring the search index and the graph back in line with the manifest (the record of what was
    committed). The journal makes this unnecessary after a crash; it mends what no commit explains
    (an index restored from an older backup, files deleted by hand). What a store holds beyond the
    manifest is kept in quarantine before it is removed (the graph's named graphs as N-Triples, the
    search index as a copy); a manifest that would lose more than it names is refused
    (:class:`RepairRefused`). Call under the write lock."""
    report: dict[str, Any] = consistency(stores)
    if report["consistent"]:
        return report
    extra_search: list[str] = report["extra_in_search"]
    extra_graph: list[str] = report["extra_in_graph"]
    unaccounted = {*stores.documents.orphans(), *extra_search, *extra_graph}
    if implausible(report["manifest"], unaccounted):
        raise RepairRefused(
            refusal(stores.documents.where, report["manifest"], unaccounted, "repair was refused")
        )
    if quarantine is None:
        quarantine = Quarantine(stores.documents.data_dir)
    if extra_search or extra_graph:
        log.warning(
            "repair removes documents the manifest does not name: search %s, graph %s",
            extra_search,
            extra_graph,
        )
    if extra_search:
        quarantine.copy(stores.search_dir)
    for doc_id in extra_graph:
        quarantine.write(f"graph/{doc_id}.nt", stores.graph.document_graph(doc_id))
    sinks: list[tuple[Sink, list[str], list[str]]] = [
        (
            stores.search_sink(),
            [*report["missing_in_search"], *report["duplicate_flag_differs_in_search"]],
            extra_search,
        ),
        (
            stores.graph,
            [*report["missing_in_graph"], *report["duplicate_flag_differs_in_graph"]],
            extra_graph,
        ),
    ]
    for sink, missing, extra in sinks:
        docs = readable_documents(stores.documents, missing)
        if docs or extra:
            sink.apply(docs, list(extra))
    return {**consistency(stores), "quarantined": quarantine.kept}


def check_and_repair(stores: Repairable) -> dict[str, Any]:
    """`hfkg check --repair`: what can be mended is, and what is taken away is kept in quarantine.

    Under the write lock, in this order: nothing at all when the manifest cannot be read or does not
    account for the other stores (:class:`RepairRefused`); a search index that cannot be read is
    rebuilt; a change a killed writer left is finished; document files no manifest names, stray
    staging folders and uploads no source records are moved into quarantine; index and graph are
    brought in line with the manifest (:func:`repair`); damaged document files are read again from
    their source when it still holds the same bytes; files in originals/ nothing names are moved into
    quarantine, and a source of documents without its copy there (missing, changed, or read in before
    copies were kept) gets one from the file it was read from when that still holds the same bytes
    (:func:`recopy_originals`). Then everything is inspected again.
    """
    store = stores.documents
    with store.writing():
        before = inspect(stores)
        if "manifest" in before["unreadable"]:
            return {**before, "finished_interrupted": None, "quarantined": [], "reread": [], "recopied": []}
        unaccounted = {*before["orphan_files"], *before["extra_in_search"], *before["extra_in_graph"]}
        if implausible(store.count(), unaccounted):
            raise RepairRefused(refusal(store.where, store.count(), unaccounted, "repair was refused"))
        quarantine = Quarantine(store.data_dir)
        if "search" in before["unreadable"]:
            log.warning("rebuilding the search index: %s", before["unreadable"]["search"])
            stores.rebuild_search(quarantine)
        graph_readable = "graph" not in before["unreadable"]
        finished, reread, recopied = None, [], []
        if graph_readable:
            ingestor = stores.ingestor()
            finished = ingestor.recover()
        _quarantine_unaccounted(stores, before, quarantine)
        if graph_readable:
            repair(stores, quarantine)
            damaged = [*before["missing_document_files"], *before["damaged_document_files"]]
            reread = _reread(store, ingestor, damaged)
            recopied = recopy_originals(store, quarantine, but_under=stores.uploads_dir)
        after = inspect(stores)
    return {
        **after,
        "finished_interrupted": finished,
        "quarantine": str(quarantine.folder) if quarantine.kept else None,
        "quarantined": quarantine.kept,
        "reread": reread,
        "recopied": recopied,
    }


def _quarantine_unaccounted(stores: Repairable, report: dict[str, Any], quarantine: Quarantine) -> None:
    """Document files no manifest names, stray staging folders and uploads no source records."""
    store = stores.documents
    for doc_id in report["orphan_files"]:
        store.files.set_aside(quarantine, doc_id=doc_id)
    for name in store.stray_staging():
        store.files.set_aside(quarantine, staging=name)
    for name in report["unaccounted_uploads"]:
        quarantine.move(stores.uploads_dir / name)
    for name in report["orphan_originals"]:
        store.originals.set_aside(quarantine, name)


def recopy_originals(store: DocumentStore, quarantine: Quarantine, *, but_under: Path) -> list[str]:
    """Sources of documents whose copy in originals/ is missing or damaged, or that were read in before
    copies were kept, get their copy from the file they were read from, where it still holds the
    bytes that were ingested (a damaged copy goes into quarantine first). Uploads a version from
    before originals/ kept (under ``but_under``) are served from there and stay as they are. Returns
    the sources copied, by the path they were read from."""
    copied = []
    uploads = but_under.resolve()
    for key, entry in store.sources().items():
        sha = entry.get("sha256")
        if not entry.get("doc_ids") or not sha or Path(key).parent == uploads:
            continue
        if entry.get("original") == sha and store.originals.intact(sha, entry.get("size")):
            continue
        try:
            data = Path(key).read_bytes()
        except OSError:
            continue
        if hashlib.sha256(data).hexdigest() != sha:
            continue
        if store.originals.holds(sha):
            store.originals.set_aside(quarantine, Originals.name(sha))
        store.commit(Change(sources={key: {**entry, "original": sha}}, originals={sha: data}))
        copied.append(str(entry.get("path") or key))
    return copied


def _reread(store: DocumentStore, ingestor: Reingestor, doc_ids: list[str]) -> list[str]:
    """Documents whose file is damaged, read again from their source where it still holds the bytes
    that were ingested (the same documents come out); the others stay reported."""
    mended = []
    for doc_id in doc_ids:
        held = store.source_of(doc_id)
        if held is None or store.summary(doc_id) is None:
            continue
        key, entry = held
        source = Path(key)
        if not _holds_same_bytes(source, entry):
            continue
        # Forget the file's size and time so that ingest reads it instead of calling it unchanged.
        store.commit(Change(sources={key: {**entry, "size": None, "mtime_ns": None, "sha256": None}}))
        result = ingestor.ingest_file(source)
        try:
            store.document(doc_id)
        except (DocumentDamaged, NotFound):
            if result.status in ("rejected", "error"):  # nothing was committed: the entry as it was
                store.commit(Change(sources={key: entry}))
            log.warning("could not read document %s again from %s: %s", doc_id, source, result.line())
            continue
        mended.append(doc_id)
    return mended


def _holds_same_bytes(source: Path, entry: dict[str, Any]) -> bool:
    try:
        return hashlib.sha256(source.read_bytes()).hexdigest() == entry.get("sha256")
    except OSError:
        return False

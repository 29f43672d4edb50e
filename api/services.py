"""Wiring: the stores of one data directory, and the ingestor that keeps them in step; what `hfkg
check` verifies and what its repair mends.

``api`` is the only package that knows both ``search`` and ``graph`` (they do not import each other).
"""

from __future__ import annotations

import contextlib
import hashlib
import logging
import time
from collections.abc import Collection, Iterable
from pathlib import Path
from typing import Any

from api.settings import Settings
from api.writes import UPLOADS, orphan_uploads
from graph.base import GraphStoreLike, GraphUnavailable
from graph.store import GraphStore
from ingest.errors import (
    DocumentDamaged,
    HfkgError,
    ManifestUnreadable,
    NotFound,
    RepairRefused,
    StoreUnreadable,
)
from ingest.model import Document
from ingest.pipeline import Ingestor
from ingest.quarantine import Quarantine
from ingest.store import Change, DocumentStore
from search import SearchIndex, open_index

log = logging.getLogger(__name__)

# An upload is stored before its ingest takes the write lock, and a large one takes minutes to read:
# a younger file the manifest does not record yet may be on its way in, and is left alone.
UPLOAD_GRACE_S = 3600
REBUILD_BATCH = 200  # documents per search-index commit when the index is rebuilt


def search_path(settings: Settings) -> Path:
    return settings.data_dir / "search"


def graph_path(settings: Settings) -> Path:
    return settings.data_dir / "graph"


class SearchSink:
    """Feeds documents to the search index with the entities each passage mentions."""

    def __init__(self, index: SearchIndex) -> None:
        self.index = index

    def apply(self, add: list[Document], remove: list[str]) -> None:
        self.index.apply(add, remove, entities=passage_entities(add))


def passage_entities(docs: Iterable[Document]) -> dict[str, list[dict[str, str]]]:
    out: dict[str, list[dict[str, str]]] = {}
    for doc in docs:
        known = {e.id: e for e in doc.entities}
        for mention in doc.mentions:
            entity = known.get(mention.entity_id)
            if entity is None:
                continue
            items = out.setdefault(mention.passage_id, [])
            if all(i["id"] != entity.id for i in items):
                items.append({"id": entity.id, "label": entity.label, "type": entity.type})
    return out


class Services:
    """The stores of one data directory, opened on demand and closed together."""

    def __init__(self, settings: Settings, *, write: bool = False) -> None:
        self.settings = settings
        self.write = write
        self.documents = DocumentStore(settings.data_dir)
        self._search: SearchIndex | None = None
        self._graph: GraphStoreLike | None = None

    @property
    def search(self) -> SearchIndex:
        if self._search is None:
            self._search = open_search(search_path(self.settings))
        return self._search

    def rebuild_search(self, quarantine: Quarantine) -> int:
        """A search index that cannot be read, moved into quarantine and built again from the documents
        the manifest names. Call under the write lock; returns the number of documents indexed."""
        if self._search is not None:
            self._search.close()
            self._search = None
        path = search_path(self.settings)
        if path.exists():
            quarantine.move(path)
        sink = SearchSink(self.search)
        ids = [d["doc_id"] for d in self.documents.summaries()]
        for start in range(0, len(ids), REBUILD_BATCH):
            sink.apply(readable_documents(self.documents, ids[start : start + REBUILD_BATCH]), [])
        return len(ids)

    @property
    def graph(self) -> GraphStoreLike:
        if self._graph is None:
            if self.settings.graph_endpoint:
                from graph.remote import RemoteGraphStore

                self._graph = RemoteGraphStore(self.settings.graph_endpoint, self.settings.base_iri)
            else:
                self._graph = GraphStore.open(
                    graph_path(self.settings), read_only=not self.write, base=self.settings.base_iri
                )
        return self._graph

    def ingestor(self) -> Ingestor:
        """An ingestor feeding all three stores (it finishes a change a killed writer left, each time
        it takes the write lock)."""
        return Ingestor(
            self.documents,
            **self.settings.ingest_limits(),
            sinks=[SearchSink(self.search), self.graph],
        )

    def close(self) -> None:
        if self._search is not None:
            self._search.close()
            self._search = None
        if self._graph is not None:
            self._graph.close()
            self._graph = None

    def __enter__(self) -> Services:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


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


def open_search(path: Path) -> SearchIndex:
    """The search index, with every segment opened now: a damaged one is one clear error here, not a
    traceback from the first search or from the server's start."""
    try:
        index = open_index(path)
    except HfkgError:
        raise
    except Exception as exc:
        raise _search_unreadable(path, exc) from exc
    try:
        index.count()
    except Exception as exc:
        with contextlib.suppress(Exception):
            index.close()
        raise _search_unreadable(path, exc) from exc
    return index


def _search_unreadable(path: Path, exc: Exception) -> StoreUnreadable:
    return StoreUnreadable(
        "search",
        f"the search index {path} cannot be read ({type(exc).__name__}: {exc}); "
        "run `hfkg check --repair` with no server running: it rebuilds the index "
        "from the documents and keeps the damaged one in quarantine/",
    )


def preflight(settings: Settings) -> None:
    """What `hfkg serve` verifies before it takes the stores: a manifest or search index that cannot be
    read, or a manifest that does not account for the document files, stops it with one clear message
    (the server's own start would end in a traceback, or repair the stores after a wrong manifest)."""
    store = DocumentStore(settings.data_dir)
    try:
        journal = store.journal() or {"add": [], "unindex": []}
        named = {d["doc_id"] for d in store.summaries()}
        orphans = store.orphans()
    finally:
        store.close()
    index = open_search(search_path(settings))
    try:
        extra = index.doc_ids() - named - {*journal["add"], *journal["unindex"]}
    finally:
        index.close()
    unaccounted = {*orphans, *extra}
    if _implausible(len(named), unaccounted):
        raise RepairRefused(_refusal(store.path, len(named), unaccounted, "server will not start"))


def _implausible(named: int, unaccounted: Collection[str]) -> bool:
    """A repair that would take away more documents than the manifest names is not one of stores out
    of step: the manifest lost them (replaced, emptied, restored from an old backup)."""
    return len(unaccounted) > named


def _refusal(path: Path, named: int, unaccounted: Collection[str], what: str) -> str:
    shown = ", ".join(sorted(unaccounted)[:5]) + (", …" if len(unaccounted) > 5 else "")
    return (
        f"the manifest {path} names {named} document{'' if named == 1 else 's'}, but {len(unaccounted)} "
        f"others are in docs/, the search index or the graph ({shown}): it looks replaced or restored from "
        f"an old backup, so the {what} (nothing was changed). Restore manifest.sqlite from a backup, "
        f"or move the data directory aside and ingest the sources again"
    )


def finish_interrupted(settings: Settings) -> dict[str, object] | None:
    """Before reading a data directory: finish a change whose writer was killed (a hot journal), as
    SQLite does before a read. Nothing to do when there is no journal; when a writer holds the lock
    its journal is live, not hot, and is left to it (it commits or fails whole)."""
    store = DocumentStore(settings.data_dir)
    if not store.has_journal():
        return None
    with store.writing(wait=False) as mine:
        if not mine:
            return None
        try:
            services = Services(settings, write=True)
            ingestor = services.ingestor()
        except (
            OSError,
            GraphUnavailable,
        ):  # the graph store is held by a server: it finishes the journal itself
            return None
        with services:
            return ingestor.recover()


def consistency(services: Services) -> dict[str, object]:
    """The document sets of the manifest, the search index and the graph, and how they differ: which
    documents each holds, and which of them each marks as a duplicate of another.

    Without the write lock: documents of a change a writer is committing right now (named by its
    journal) are reported as in flight, not as a mismatch; a comparison that a commit overtook (the
    manifest's generation moved while the stores were read) is made again.
    """
    store = services.documents
    for _ in range(5):
        generation = store.generation()
        before = store.journal()
        report = _compare(services)
        after = store.journal()
        if store.generation() == generation:
            break
    in_flight: set[str] = set()
    for journal in (before, after):
        if journal is not None:
            in_flight |= set(journal["add"]) | set(journal["unindex"]) | set(journal["drop"])
    for key in MISMATCHES:
        report[key] = [i for i in report[key] if i not in in_flight]  # type: ignore[attr-defined]
    report["in_flight"] = sorted(in_flight)
    report["generation"] = generation
    report["consistent"] = not any(report[k] for k in MISMATCHES)
    return report


def _compare(services: Services) -> dict[str, object]:
    summaries = services.documents.summaries()
    manifest = {d["doc_id"] for d in summaries}
    search = services.search.doc_ids()
    graph = services.graph.doc_ids()
    duplicates = {d["doc_id"] for d in summaries if d.get("duplicate_of")}
    search_dups = services.search.duplicate_ids() & manifest
    graph_dups = services.graph.duplicate_ids() & manifest
    return {
        "manifest": len(manifest),
        "search": len(search),
        "graph": len(graph),
        "missing_in_search": sorted(manifest - search),
        "extra_in_search": sorted(search - manifest),
        "missing_in_graph": sorted(manifest - graph),
        "extra_in_graph": sorted(graph - manifest),
        "duplicate_flag_differs_in_search": sorted(duplicates ^ search_dups),
        "duplicate_flag_differs_in_graph": sorted(duplicates ^ graph_dups),
    }


MISMATCHES = (
    "missing_in_search",
    "extra_in_search",
    "missing_in_graph",
    "extra_in_graph",
    "duplicate_flag_differs_in_search",
    "duplicate_flag_differs_in_graph",
)


def repair(services: Services, quarantine: Quarantine | None = None) -> dict[str, object]:
    """Bring the search index and the graph back in line with the manifest (the record of what was
    committed). The journal makes this unnecessary after a crash; it mends what no commit explains
    (an index restored from an older backup, files deleted by hand). What a store holds beyond the
    manifest is kept in quarantine before it is removed (the graph's named graphs as N-Triples, the
    search index as a copy); a manifest that would lose more than it names is refused
    (:class:`RepairRefused`). Call under the write lock."""
    report = consistency(services)
    if report["consistent"]:
        return report
    extra_search: list[str] = report["extra_in_search"]  # type: ignore[assignment]
    extra_graph: list[str] = report["extra_in_graph"]  # type: ignore[assignment]
    unaccounted = {*services.documents.orphans(), *extra_search, *extra_graph}
    if _implausible(report["manifest"], unaccounted):  # type: ignore[arg-type]
        raise RepairRefused(
            _refusal(
                services.documents.path,
                report["manifest"],
                unaccounted,  # type: ignore[arg-type]
                "repair was refused",
            )
        )
    if quarantine is None:
        quarantine = Quarantine(services.settings.data_dir)
    if extra_search or extra_graph:
        log.warning(
            "repair removes documents the manifest does not name: search %s, graph %s",
            extra_search,
            extra_graph,
        )
    if extra_search:
        quarantine.copy(search_path(services.settings))
    for doc_id in extra_graph:
        quarantine.write(f"graph/{doc_id}.nt", services.graph.document_graph(doc_id))
    for sink, missing, extra in (
        (
            SearchSink(services.search),
            [*report["missing_in_search"], *report["duplicate_flag_differs_in_search"]],  # type: ignore[misc]
            report["extra_in_search"],
        ),
        (
            services.graph,
            [*report["missing_in_graph"], *report["duplicate_flag_differs_in_graph"]],  # type: ignore[misc]
            report["extra_in_graph"],
        ),
    ):
        docs = readable_documents(services.documents, missing)  # type: ignore[arg-type]
        if docs or extra:
            sink.apply(docs, list(extra))  # type: ignore[arg-type]
    return {**consistency(services), "quarantined": quarantine.kept}


# -- hfkg check -----------------------------------------------------------------------------------
FILE_PROBLEMS = (
    "missing_document_files",
    "damaged_document_files",
    "orphan_files",
    "stray_staging",
    "unaccounted_uploads",
)


def inspect(services: Services) -> dict[str, Any]:
    """Everything `hfkg check` verifies, each problem by name: that the manifest, the search index and
    the graph can be read and hold the same documents (:func:`consistency`), that every document the
    manifest names has a readable file, and that docs/ and uploads/ hold nothing the manifest cannot
    account for. ``ok`` is whether nothing is wrong."""
    unreadable: dict[str, str] = {}
    try:
        services.documents.generation()
    except ManifestUnreadable as exc:
        unreadable["manifest"] = str(exc)
    for name in ("search", "graph"):
        try:
            getattr(services, name).doc_ids()
        except Exception as exc:
            unreadable[name] = str(exc) if isinstance(exc, HfkgError) else f"{type(exc).__name__}: {exc}"
    report: dict[str, Any] = {
        "manifest": None,
        "search": None,
        "graph": None,
        **{k: [] for k in MISMATCHES},
        "in_flight": [],
        "generation": None,
        "consistent": False,
        **{k: [] for k in FILE_PROBLEMS},
        "damaged_document_files": {},
        "uploads_in_progress": [],
    }
    if "manifest" not in unreadable:
        store = services.documents
        if unreadable:
            report["manifest"] = store.count()
        else:
            report.update(consistency(services))
        damaged = store.damaged_documents()
        report["missing_document_files"] = sorted(i for i in damaged if not store.doc_path(i).exists())
        report["damaged_document_files"] = {i: r for i, r in damaged.items() if store.doc_path(i).exists()}
        report["orphan_files"] = store.orphans()
        report["stray_staging"] = [p.name for p in store.stray_staging()]
        report["unaccounted_uploads"], report["uploads_in_progress"] = _unaccounted_uploads(services)
    report["unreadable"] = unreadable
    report["ok"] = not unreadable and report["consistent"] and not any(report[k] for k in FILE_PROBLEMS)
    return report


def _unaccounted_uploads(services: Services) -> tuple[list[str], list[str]]:
    """Files in uploads/ that no source of documents records (:func:`api.writes.orphan_uploads`):
    older ones, and ones young enough to be on their way in."""
    old, young = [], []
    now = time.time()
    for path in orphan_uploads(services.documents):
        with contextlib.suppress(FileNotFoundError):
            (young if now - path.lstat().st_mtime < UPLOAD_GRACE_S else old).append(path.name)
    return old, young


def check(settings: Settings) -> dict[str, Any]:
    """`hfkg check`: finish a change a killed writer left, then :func:`inspect`."""
    try:
        finished = finish_interrupted(settings)
    except HfkgError:  # a store that cannot be read: inspect names it
        finished = None
    with Services(settings) as services:
        report = inspect(services)
    report["finished_interrupted"] = finished
    return report


def check_and_repair(settings: Settings) -> dict[str, Any]:
    """`hfkg check --repair`: what can be mended is, and what is taken away is kept in quarantine.

    Under the write lock, in this order: nothing at all when the manifest cannot be read or does not
    account for the other stores (:class:`RepairRefused`); a search index that cannot be read is
    rebuilt; a change a killed writer left is finished; document files no manifest names, stray
    staging folders and uploads no source records are moved into quarantine; index and graph are
    brought in line with the manifest (:func:`repair`); damaged document files are read again from
    their source when it still holds the same bytes. Then everything is inspected again.
    """
    with Services(settings, write=True) as services, services.documents.writing():
        before = inspect(services)
        if "manifest" in before["unreadable"]:
            return {**before, "finished_interrupted": None, "quarantined": [], "reread": []}
        unaccounted = {*before["orphan_files"], *before["extra_in_search"], *before["extra_in_graph"]}
        if _implausible(services.documents.count(), unaccounted):
            raise RepairRefused(
                _refusal(
                    services.documents.path, services.documents.count(), unaccounted, "repair was refused"
                )
            )
        quarantine = Quarantine(settings.data_dir)
        if "search" in before["unreadable"]:
            log.warning("rebuilding the search index: %s", before["unreadable"]["search"])
            services.rebuild_search(quarantine)
        finished, reread = None, []
        if "graph" not in before["unreadable"]:
            ingestor = services.ingestor()
            finished = ingestor.recover()
        store = services.documents
        for doc_id in before["orphan_files"]:
            quarantine.move(store.doc_path(doc_id))
        for path in store.stray_staging():
            quarantine.move(path)
        for name in before["unaccounted_uploads"]:
            quarantine.move(settings.data_dir / UPLOADS / name)
        if "graph" not in before["unreadable"]:
            repair(services, quarantine)
            reread = _reread(
                store, ingestor, [*before["missing_document_files"], *before["damaged_document_files"]]
            )
        after = inspect(services)
    return {
        **after,
        "finished_interrupted": finished,
        "quarantine": str(quarantine.folder) if quarantine.kept else None,
        "quarantined": quarantine.kept,
        "reread": reread,
    }


def _reread(store: DocumentStore, ingestor: Ingestor, doc_ids: list[str]) -> list[str]:
    """Documents whose file is damaged, read again from their source where it still holds the bytes
    that were ingested (the same documents come out); the others stay reported."""
    mended = []
    for doc_id in doc_ids:
        held = store.source_of(doc_id)
        if held is None or store.summary(doc_id) is None:
            continue
        key, entry = held
        source = Path(key)
        try:
            same = hashlib.sha256(source.read_bytes()).hexdigest() == entry.get("sha256")
        except OSError:
            same = False
        if not same:
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

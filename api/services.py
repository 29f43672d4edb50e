"""Wiring: the stores of one data directory, and the ingestor that keeps them in step.

``api`` is the only package that knows both ``search`` and ``graph`` (they do not import each other).
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from api.settings import Settings
from graph.store import GraphStore
from ingest.model import Document
from ingest.pipeline import Ingestor
from ingest.store import DocumentStore
from search import SearchIndex, open_index


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
        self._graph: GraphStore | None = None

    @property
    def search(self) -> SearchIndex:
        if self._search is None:
            self._search = open_index(search_path(self.settings))
        return self._search

    @property
    def graph(self) -> GraphStore:
        if self._graph is None:
            if self.settings.graph_endpoint:
                from graph.remote import RemoteGraphStore

                self._graph = RemoteGraphStore(self.settings.graph_endpoint, self.settings.base_iri)  # type: ignore[assignment]
            else:
                self._graph = GraphStore.open(graph_path(self.settings), read_only=not self.write,
                                              base=self.settings.base_iri)
        return self._graph

    def ingestor(self) -> Ingestor:
        """An ingestor feeding all three stores (it finishes a change a killed writer left, each time
        it takes the write lock)."""
        return Ingestor(self.documents, max_file_bytes=self.settings.max_file_bytes,
                        max_pages=self.settings.max_pages, max_text_bytes=self.settings.max_text_bytes,
                        sinks=[SearchSink(self.search), self.graph])

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
        except OSError:  # the graph store is held by a server: it finishes the journal itself
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
        "manifest": len(manifest), "search": len(search), "graph": len(graph),
        "missing_in_search": sorted(manifest - search), "extra_in_search": sorted(search - manifest),
        "missing_in_graph": sorted(manifest - graph), "extra_in_graph": sorted(graph - manifest),
        "duplicate_flag_differs_in_search": sorted(duplicates ^ search_dups),
        "duplicate_flag_differs_in_graph": sorted(duplicates ^ graph_dups),
    }


MISMATCHES = ("missing_in_search", "extra_in_search", "missing_in_graph", "extra_in_graph",
              "duplicate_flag_differs_in_search", "duplicate_flag_differs_in_graph")


def repair(services: Services) -> dict[str, object]:
    """Bring the search index and the graph back in line with the manifest (the record of what was
    committed). The journal makes this unnecessary after a crash; it mends what no commit explains
    (an index restored from an older backup, files deleted by hand). Call under the write lock."""
    report = consistency(services)
    if report["consistent"]:
        return report
    for sink, missing, extra in (
        (SearchSink(services.search),
         [*report["missing_in_search"], *report["duplicate_flag_differs_in_search"]],  # type: ignore[misc]
         report["extra_in_search"]),
        (services.graph,
         [*report["missing_in_graph"], *report["duplicate_flag_differs_in_graph"]],  # type: ignore[misc]
         report["extra_in_graph"]),
    ):
        docs = [services.documents.document(doc_id) for doc_id in missing]
        if docs or extra:
            sink.apply(docs, list(extra))  # type: ignore[arg-type]
    return consistency(services)

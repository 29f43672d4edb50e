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
        """An ingestor feeding all three stores; first finishes whatever an interrupted ingest left."""
        if self.write:
            repair(self)
        return Ingestor(self.documents, max_file_bytes=self.settings.max_file_bytes,
                        max_pages=self.settings.max_pages, sinks=[SearchSink(self.search), self.graph])

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


def consistency(services: Services) -> dict[str, object]:
    """The document sets of the manifest, the search index and the graph, and how they differ."""
    manifest = {d["doc_id"] for d in services.documents.summaries()}
    search = services.search.doc_ids()
    graph = services.graph.doc_ids()
    report = {
        "manifest": len(manifest), "search": len(search), "graph": len(graph),
        "missing_in_search": sorted(manifest - search), "extra_in_search": sorted(search - manifest),
        "missing_in_graph": sorted(manifest - graph), "extra_in_graph": sorted(graph - manifest),
    }
    report["consistent"] = not any(report[k] for k in ("missing_in_search", "extra_in_search",
                                                        "missing_in_graph", "extra_in_graph"))
    return report


def repair(services: Services) -> dict[str, object]:
    """Bring the search index and the graph back in line with the manifest (the record of what was
    committed): an ingest that died between its steps is finished or undone this way."""
    report = consistency(services)
    if report["consistent"]:
        return report
    for sink, missing, extra in (
        (SearchSink(services.search), report["missing_in_search"], report["extra_in_search"]),
        (services.graph, report["missing_in_graph"], report["extra_in_graph"]),
    ):
        docs = [services.documents.document(doc_id) for doc_id in missing]  # type: ignore[union-attr]
        if docs or extra:
            sink.apply(docs, list(extra))  # type: ignore[arg-type]
    return consistency(services)

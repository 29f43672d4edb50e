"""Wiring: the stores of one data directory, and the ingestor that keeps them in step; the stores
handed to what `hfkg check` verifies and what its repair mends (:mod:`ingest.store.consistency`,
:mod:`ingest.store.repair`).

``api`` is the only package that knows both ``search`` and ``graph`` (they do not import each other).
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from api.settings import Settings
from api.writes import UPLOADS, orphan_uploads
from graph.base import GraphStoreLike, GraphUnavailable
from graph.store import GraphStore
from ingest.errors import (
    HfkgError,
    StoreUnreadable,
)
from ingest.model import Document
from ingest.pipeline import Ingestor
from ingest.quarantine import Quarantine
from ingest.store import DocumentStore, open_store
from ingest.store import repair as store_repair
from ingest.store.consistency import inspect
from ingest.store.repair import readable_documents
from search import SearchIndex, open_index

log = logging.getLogger(__name__)

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
        self.documents = open_store(settings.data_dir, database_url=settings.database_url)
        self._search: SearchIndex | None = None
        self._graph: GraphStoreLike | None = None

    @property
    def search(self) -> SearchIndex:
        if self._search is None:
            self._search = open_search(search_path(self.settings), self.settings.database_url)
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
        self.documents.close()  # its connections (a pool, on PostgreSQL); opened again when used
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


def open_search(path: Path, database_url: str | None = None) -> SearchIndex:
    """The search index (whoosh in ``path``, or PostgreSQL's at ``database_url``), with every segment
    opened now: a damaged one is one clear error here, not a traceback from the first search or from
    the server's start."""
    try:
        index = open_index(path) if database_url is None else _server_index(path, database_url)
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


def _server_index(path: Path, database_url: str) -> SearchIndex:
    """The PostgreSQL index (helper pgsearch's side of ``open_index``; until it is merged the call is refused)."""
    return open_index(path, database_url=database_url)  # type: ignore[call-arg,unused-ignore]


def _search_unreadable(path: Path, exc: Exception) -> StoreUnreadable:
    return StoreUnreadable(
        "search",
        f"the search index {path} cannot be read ({type(exc).__name__}: {exc}); "
        "run `hfkg check --repair` with no server running: it rebuilds the index "
        "from the documents and keeps the damaged one in quarantine/",
    )


# -- hfkg check and serve: the stores opened for the check and repair of ingest.store ------------
class CheckedStores:
    """The stores of :class:`Services` as :mod:`ingest.store.repair` reaches them: the search index fed
    through :class:`SearchSink` (with its passages' entities), and the uploads folder, which is the API's."""

    def __init__(self, services: Services) -> None:
        self.services = services

    @property
    def documents(self) -> DocumentStore:
        return self.services.documents

    @property
    def search(self) -> SearchIndex:
        return self.services.search

    @property
    def graph(self) -> GraphStoreLike:
        return self.services.graph

    @property
    def search_dir(self) -> Path:
        return search_path(self.services.settings)

    @property
    def uploads_dir(self) -> Path:
        return self.services.settings.data_dir / UPLOADS

    def search_sink(self) -> SearchSink:
        return SearchSink(self.services.search)

    def orphan_uploads(self) -> list[Path]:
        return orphan_uploads(self.services.documents)

    def rebuild_search(self, quarantine: Quarantine) -> int:
        return self.services.rebuild_search(quarantine)

    def ingestor(self) -> Ingestor:
        return self.services.ingestor()


def preflight(settings: Settings) -> None:
    """What `hfkg serve` verifies before it takes the stores (:func:`ingest.store.repair.preflight`)."""
    store_repair.preflight(
        open_store(settings.data_dir, database_url=settings.database_url),
        lambda: open_search(search_path(settings), settings.database_url),
    )


def finish_interrupted(settings: Settings) -> dict[str, object] | None:
    """Finish a change whose writer was killed (:func:`ingest.store.repair.finish_interrupted`)."""
    store = open_store(settings.data_dir, database_url=settings.database_url)
    try:
        return store_repair.finish_interrupted(store, lambda: _writer(settings))
    finally:
        store.close()


def _writer(settings: Settings) -> Services | None:
    services = Services(settings, write=True)
    try:
        services.ingestor()  # opens the search index and the graph for writing
    except (OSError, GraphUnavailable):  # the graph store is held by a server: it finishes the journal itself
        return None
    return services


def repair(services: Services, quarantine: Quarantine | None = None) -> dict[str, object]:
    """Bring the search index and the graph in line with the manifest (:func:`ingest.store.repair.repair`)."""
    return store_repair.repair(CheckedStores(services), quarantine)


def check(settings: Settings) -> dict[str, Any]:
    """`hfkg check`: finish a change a killed writer left, then :func:`ingest.store.consistency.inspect`."""
    try:
        finished = finish_interrupted(settings)
    except HfkgError:  # a store that cannot be read: inspect names it
        finished = None
    with Services(settings) as services:
        report = inspect(CheckedStores(services))
    report["finished_interrupted"] = finished
    return report


def check_and_repair(settings: Settings) -> dict[str, Any]:
    """`hfkg check --repair` (:func:`ingest.store.repair.check_and_repair`)."""
    with Services(settings, write=True) as services:
        return store_repair.check_and_repair(CheckedStores(services))

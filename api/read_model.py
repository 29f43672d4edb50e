"""What a read needs, as of one committed write: the graph queries, the asker and a result cache.

A write builds the next read model (warming its label tables) before it is swapped in (api/runtime.py),
so readers never see a half-built one and never wait for an upload.
"""

from __future__ import annotations

from typing import Any

from answers import Answerer
from api.result_cache import ResultCache
from api.services import Services
from graph import views
from graph.queries import GraphQueries


class ReadModel:
    """Everything a read needs, as of one committed write. Results never change, so they are cached."""

    def __init__(self, services: Services, generation: int, store_generation: int) -> None:
        self.services = services
        self.generation = generation  # read models this process has built: /health's "generation"
        self.store_generation = store_generation  # the stores' commit generation it was built from
        self.queries = GraphQueries(services.graph)
        self.asker = Answerer(self.queries, services.search, services.documents)
        # Built here, in one thread: their lazy builders are not safe to race from many.
        self.queries.labels()
        self.asker.graph.names()
        views.adjacency(self.queries)
        settings = services.settings
        self.cache = ResultCache(settings.cache_entries, settings.cache_bytes)

    def search(self, query: str, **filters: Any) -> dict[str, Any]:
        key = ("search", query, tuple(sorted(filters.items())))
        return self.cache.get(key, lambda: self.services.search.search(query, **filters))

    def ask(self, question: str) -> dict[str, Any]:
        return self.cache.get(("ask", " ".join(question.split())), lambda: self.asker.ask(question))

    def entities(
        self, type_: str | None, q: str | None, limit: int, offset: int
    ) -> tuple[int, list[dict[str, Any]]]:
        return self.cache.get(
            ("entities", type_, q, limit, offset), lambda: self.queries.entities(type_, q, limit, offset)
        )

    def entity(self, entity_id: str) -> dict[str, Any]:
        return self.cache.get(("entity", entity_id), lambda: self.queries.entity(entity_id))

    def timeline(self, entity_id: str) -> list[dict[str, Any]]:
        return self.cache.get(("timeline", entity_id), lambda: self.queries.timeline(entity_id))

    def neighbors(self, entity_id: str, depth: int = 1) -> dict[str, Any]:
        return self.cache.get(
            ("neighbors", entity_id, depth), lambda: views.neighbors(self.queries, entity_id, depth=depth)
        )

    def path(self, source: str, target: str) -> dict[str, Any]:
        return self.cache.get(
            ("path", source, target), lambda: views.shortest_path(self.queries, source, target)
        )

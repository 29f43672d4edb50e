"""The read commands' answers from the stores of the data directory, when no server owns them.

Each store is opened when a command first needs it (`hfkg documents` reads the manifest alone, and
loads neither the search index nor the graph) and closed when the command ends.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from api import reads
from api.services import Services, check
from api.settings import Settings

if TYPE_CHECKING:
    from answers import Answerer


def asker(services: Services) -> Answerer:
    """The question answerer over the stores, built as the server's read model builds it."""
    from answers import Answerer
    from graph.queries import GraphQueries

    return Answerer(GraphQueries(services.graph), services.search, services.documents)


class StoreReads:
    """:class:`api.reads.Reads` from the stores, opened read-only."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
        self._services: Services | None = None
        self._asker: Answerer | None = None  # one for every question of `hfkg eval`

    @property
    def services(self) -> Services:
        if self._services is None:
            self._services = Services(self.settings)
        return self._services

    def documents(self) -> list[dict[str, Any]]:
        return reads.document_rows(self.services.documents.summaries())

    def document(self, doc_id: str) -> dict[str, Any]:
        return reads.document_view(self.services.documents.document(doc_id))

    def search(self, query: str, **filters: Any) -> dict[str, Any]:
        return self.services.search.search(query, **filters)

    def ask(self, question: str) -> dict[str, Any]:
        if self._asker is None:
            self._asker = asker(self.services)
        return self._asker.ask(question)

    def entities(self, entity_type: str | None, q: str | None, limit: int) -> dict[str, Any]:
        from graph.queries import GraphQueries

        total, items = GraphQueries(self.services.graph).entities(entity_type, q, limit)
        return {"total": total, "entities": items}

    def entity(self, entity_id: str) -> dict[str, Any]:
        from graph.queries import GraphQueries

        queries = GraphQueries(self.services.graph)
        return reads.entity_view(queries.entity(entity_id), queries.timeline(entity_id))

    def export(self, fmt: str) -> str:
        return self.services.graph.export(fmt)

    def check(self) -> dict[str, Any]:
        """`hfkg check` (which finishes a change a killed writer left before it looks)."""
        return check(self.settings)

    def close(self) -> None:
        if self._services is not None:
            self._services.close()
            self._services = None
            self._asker = None

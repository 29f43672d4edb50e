"""The engine-neutral contract of the search layer.

``api/`` and ``answers/`` talk to a :class:`SearchIndex` only; whoosh objects never leave
``search/``, so a server engine (PostgreSQL full-text search, design.md) can implement the same
contract.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Sequence
from types import TracebackType
from typing import Any

from ingest.errors import HfkgError
from ingest.model import Document
from search.responses import SearchRequest, prepare

# passage_id (or an agenda item's passage_id) -> [{"id", "label", "type"}, ...]
EntityMap = Mapping[str, list[dict[str, str]]]
SearchResult = dict[str, Any]


class IndexOutdated(HfkgError):
    """The index on disk was built with another schema; rebuild it from the manifest."""


class SearchIndex(ABC):
    """Passages and decisions of documents, searchable with the /search JSON contract."""

    @abstractmethod
    def apply(
        self, add: Sequence[Document], remove: Iterable[str] = (), entities: EntityMap | None = None
    ) -> None:
        """Atomically replace: remove every record of the doc_ids in ``remove`` and of each
        document in ``add``, then index the documents in ``add``. On any error nothing changes."""

    def search(
        self,
        query: str,
        *,
        year: int | str | None = None,
        doc_type: str | None = None,
        fellesskap: str | None = None,
        committee: str | None = None,
        entity: str | None = None,
        entity_type: str | None = None,
        limit: int = 10,
        offset: int = 0,
        kind: str = "passage",
        include_duplicates: bool = False,
        sort: str = "relevance",
        date_from: str | None = None,
        date_to: str | None = None,
        group: bool = False,
    ) -> SearchResult:
        """``{"total", "hits", "facets", "did_you_mean", "query", ...}``; see design.md /search.

        ``total`` counts records (passages or decisions), ``total_documents`` and the facets count
        documents; neither depends on ``limit`` or ``offset``. ``sort``: relevance, newest or oldest;
        ``date_from``/``date_to``: on the record's date (a decision's meeting, else the document's);
        ``group``: the page is one of documents (``groups``), each with its best records."""
        filters: dict[str, Any] = {"year": year, "doc_type": doc_type, "fellesskap": fellesskap}
        filters |= {"committee": committee, "entity": entity, "entity_type": entity_type}
        filters |= {"date_from": date_from, "date_to": date_to}
        parsed, kind, sort = prepare(query, filters, kind, sort, (offset, limit))
        return self._run(SearchRequest(parsed, kind, sort, offset, limit, group, include_duplicates))

    @abstractmethod
    def _run(self, request: SearchRequest) -> SearchResult:
        """The search of :meth:`search`, its arguments read."""

    @abstractmethod
    def doc_ids(self) -> set[str]:
        """The documents that have records in the index."""

    @abstractmethod
    def duplicate_ids(self) -> set[str]:
        """The documents whose records are marked as a duplicate of another document."""

    @abstractmethod
    def count(self, kind: str | None = None) -> int:
        """Number of records (of one kind: "passage" or "decision", or all)."""

    @abstractmethod
    def close(self) -> None: ...

    def __enter__(self) -> SearchIndex:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

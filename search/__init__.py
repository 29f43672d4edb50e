"""Full-text search over passages and decisions: Norwegian analysis, facets, highlighted snippets.

from search import open_index
with open_index(data_dir / "search") as ix:
    ix.apply(add=[document], remove=["old-doc-id"])
    result = ix.search("mobil røntgen", year=2024)   # the /search JSON of design.md
"""

from __future__ import annotations

from pathlib import Path

from search.base import EntityMap, IndexOutdated, SearchIndex, SearchResult
from search.schema import DECISION, FACETS, PASSAGE
from search.whoosh_index import WhooshIndex


def open_index(path: Path, *, database_url: str | None = None) -> SearchIndex:
    """The search index: whoosh's in ``path`` (created when missing), or with ``database_url`` the
    PostgreSQL one in that database (schema ``hfkg_search``, created on first open)."""
    if database_url:
        from search.postgres import PostgresIndex  # psycopg is only loaded for the server engine

        return PostgresIndex(database_url)
    return WhooshIndex(path)


__all__ = [
    "DECISION",
    "FACETS",
    "PASSAGE",
    "EntityMap",
    "IndexOutdated",
    "SearchIndex",
    "SearchResult",
    "WhooshIndex",
    "open_index",
]

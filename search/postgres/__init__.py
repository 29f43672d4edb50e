"""Search on PostgreSQL full-text search: the same contract, analysis and ranking as the whoosh
index, its tables in schema ``hfkg_search`` (see search/postgres/schema.py)."""

from search.postgres.index import PostgresIndex
from search.postgres.schema import SCHEMA, SCHEMA_VERSION

__all__ = ["SCHEMA", "SCHEMA_VERSION", "PostgresIndex"]

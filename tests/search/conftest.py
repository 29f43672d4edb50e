"""Fixtures: real indexes of the documents in :mod:`search_documents`, on both engines.

Every test that takes ``index``, ``shared_index`` or ``new_index`` runs twice, on whoosh (in a
temporary directory) and on PostgreSQL (a database of its own on the test server, see
tests/engines.py), with the same assertions. ``whoosh_index`` is for the tests that look at whoosh
itself on purpose (search/set_matching.py against whoosh's own searcher).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import psycopg
import pytest

from search import SearchIndex, WhooshIndex
from search.postgres import SCHEMA, PostgresIndex
from tests.search.search_documents import all_documents

ENGINES = ("whoosh", "postgres")


class Indexes:
    """Empty indexes of one engine, each on storage of its own, removed afterwards."""

    def __init__(self, engine: str, folder: Path, server: str | None) -> None:
        self.engine = engine
        self.folder = folder
        self.server = server
        self.opened: list[SearchIndex] = []
        self.databases: list[str] = []

    def new(self) -> SearchIndex:
        if self.engine == "whoosh":
            return self._opened(WhooshIndex(self.folder / f"ix{len(self.opened)}"))
        assert self.server is not None
        name = f"hfkg_test_search_{uuid.uuid4().hex[:12]}"
        with psycopg.connect(self.server, autocommit=True) as admin:
            admin.execute(f'CREATE DATABASE "{name}"')
        self.databases.append(name)
        return self._opened(PostgresIndex(f"{self.server.rpartition('/')[0]}/{name}"))

    def reopen(self, index: SearchIndex) -> SearchIndex:
        """Another instance on the same storage (another process would open it so)."""
        if isinstance(index, WhooshIndex):
            return self._opened(WhooshIndex(index.path))
        assert isinstance(index, PostgresIndex)
        return self._opened(PostgresIndex(index.url))

    def _opened(self, index: SearchIndex) -> SearchIndex:
        self.opened.append(index)
        return index

    def close(self) -> None:
        for index in self.opened:
            index.close()
        for name in self.databases:
            assert self.server is not None
            with psycopg.connect(self.server, autocommit=True) as admin:
                admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def stored_texts(index: SearchIndex) -> list[str]:
    """The text every record of the index stores (what snippets are made from)."""
    if isinstance(index, WhooshIndex):
        with index._reading() as current:
            return [f["data"]["text"] for f in current.searcher.all_stored_fields()]
    assert isinstance(index, PostgresIndex)
    with psycopg.connect(index.url) as conn:
        return [row[0] for row in conn.execute(f"SELECT data->>'text' FROM {SCHEMA}.stored")]


def _indexes(request: pytest.FixtureRequest, folder: Path) -> Indexes:
    engine = request.param
    server = request.getfixturevalue("database_server") if engine == "postgres" else None
    return Indexes(engine, folder, server)


@pytest.fixture(params=ENGINES)
def indexes(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Indexes]:
    made = _indexes(request, tmp_path)
    yield made
    made.close()


@pytest.fixture()
def new_index(indexes: Indexes) -> Callable[[], SearchIndex]:
    """Makes an empty index (of each engine in turn)."""
    return indexes.new


@pytest.fixture()
def index(indexes: Indexes) -> SearchIndex:
    ix = indexes.new()
    ix.apply(all_documents(), [])
    return ix


@pytest.fixture(scope="module", params=ENGINES)
def shared_index(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[SearchIndex]:
    """Read-only tests share one index (of each engine)."""
    made = _indexes(request, tmp_path_factory.mktemp("search"))
    ix = made.new()
    ix.apply(all_documents(), [])
    yield ix
    made.close()


@pytest.fixture(scope="module")
def whoosh_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WhooshIndex]:
    ix = WhooshIndex(tmp_path_factory.mktemp("search"))
    ix.apply(all_documents(), [])
    yield ix
    ix.close()

"""Fixtures: a real whoosh index of the documents in :mod:`search_documents`."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from search import WhooshIndex
from tests.search.search_documents import all_documents


@pytest.fixture()
def index(tmp_path: Path) -> Iterator[WhooshIndex]:
    ix = WhooshIndex(tmp_path / "search")
    ix.apply(all_documents(), [])
    yield ix
    ix.close()


@pytest.fixture(scope="module")
def shared_index(tmp_path_factory: pytest.TempPathFactory) -> Iterator[WhooshIndex]:
    """Read-only tests share one index."""
    ix = WhooshIndex(tmp_path_factory.mktemp("search"))
    ix.apply(all_documents(), [])
    yield ix
    ix.close()

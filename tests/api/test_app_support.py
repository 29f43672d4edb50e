"""Helpers for the API and UI tests: the session's one ingest of the bundled corpus, and private copies.

Named test_app_* so it sits with the tests it serves; it holds no tests itself. Plain functions, not
fixtures: module fixtures call them with ``tmp_path_factory``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import SHARED_CORPUS


def corpus_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The shared data directory holding the bundled corpus (manifest, search index, graph): read only."""
    return SHARED_CORPUS.data(tmp_path_factory)


def copy_of_corpus_data(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A private copy, for tests that write or break the data directory."""
    return SHARED_CORPUS.copy(tmp_path_factory, name)

"""Helpers for the API and UI tests: the bundled corpus ingested once per session, copied per user.

Named test_app_* so it sits with the tests it serves; it holds no tests itself.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from api.services import Services
from api.settings import Settings
from tests.conftest import CORPUS

_INGESTED: dict[str, Path] = {}


def corpus_data(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A data directory holding the bundled corpus (manifest, search index, graph); built once."""
    if "corpus" not in _INGESTED:
        data = tmp_path_factory.mktemp("api-corpus") / "data"
        with Services(Settings.from_env(str(data)), write=True) as services:
            reports = list(services.ingestor().run([CORPUS]))
        assert all(r.status in ("ingested", "duplicate") for r in reports), [r.line() for r in reports]
        _INGESTED["corpus"] = data
    return _INGESTED["corpus"]


def copy_of_corpus_data(tmp_path_factory: pytest.TempPathFactory, name: str) -> Path:
    """A private copy, for tests that write or break the data directory."""
    target = tmp_path_factory.mktemp(name) / "data"
    shutil.copytree(corpus_data(tmp_path_factory), target)
    return target

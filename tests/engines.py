"""The server engines the tests run on beside the embedded ones: PostgreSQL and its databases.

`make test` starts the engines with ``scripts/services.sh start`` and passes their settings in the
environment; a plain ``pytest`` starts them itself the same way. The settings are taken out of the
environment as the session starts, so that every other test still gets the embedded default
(``Settings()`` reads HFKG_*): a test on the server engines asks for them by fixture.

    def test_something(database_url: str) -> None:   # a new, empty database of its own
        ...
"""

from __future__ import annotations

import os
import subprocess
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
# Taken out at import (conftest imports this module before any test or Settings runs).
STARTED_DATABASE_URL = os.environ.pop("HFKG_DATABASE_URL", None)
STARTED_GRAPH_ENDPOINT = os.environ.pop("HFKG_GRAPH_ENDPOINT", None)


def _start_services() -> dict[str, str]:
    """``scripts/services.sh start``'s export lines, as settings."""
    result = subprocess.run(
        ["sh", str(ROOT / "scripts" / "services.sh"), "start"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if result.returncode != 0:
        pytest.fail(f"scripts/services.sh start failed:\n{result.stderr}")
    settings = {}
    for line in result.stdout.splitlines():
        name, _, value = line.removeprefix("export ").partition("=")
        settings[name] = value
    return settings


@pytest.fixture(scope="session")
def database_server() -> str:
    """The URL of the PostgreSQL server's own ``hfkg`` database (whose role may create databases)."""
    if STARTED_DATABASE_URL:
        return STARTED_DATABASE_URL
    return _start_services()["HFKG_DATABASE_URL"]


@pytest.fixture
def database_url(database_server: str) -> Iterator[str]:
    """A new, empty database for one test, dropped after it."""
    import psycopg

    name = f"hfkg_test_{uuid.uuid4().hex[:12]}"
    with psycopg.connect(database_server, autocommit=True) as admin:
        admin.execute(f'CREATE DATABASE "{name}"')
    base, _, _ = database_server.rpartition("/")
    try:
        yield f"{base}/{name}"
    finally:
        with psycopg.connect(database_server, autocommit=True) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

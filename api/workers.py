"""`hfkg serve --workers N`: N server processes on the server engines, behind one port.

Only the server engines can be shared: PostgreSQL (HFKG_DATABASE_URL) for the search index and the
ingest store, a SPARQL server (HFKG_GRAPH_ENDPOINT) for the graph. The embedded stores are one
process's (Oxigraph's on-disk store takes an exclusive lock), so more workers on them are refused.

uvicorn's multi-process mode starts each worker in a fresh interpreter from an import string
(:data:`WORKER_APP`, a factory); the settings `hfkg serve` was given reach the workers through the
environment, every one as its ``HFKG_*`` variable, and the hand-off token through the data
directory's server.json, which `hfkg serve` wrote (api/local_server.py), so that `hfkg ingest` and the
read commands reach whichever worker takes their request.
"""

from __future__ import annotations

import os

from api import local_server
from api.settings import Settings
from ingest.errors import HfkgError

WORKER_APP = "api.app:worker_app"


class WorkersRefused(HfkgError):
    """More than one worker asked for on stores one process owns."""


def server_engines(settings: Settings) -> bool:
    """Whether every store is on a server that other processes share."""
    return bool(settings.database_url and settings.graph_endpoint)


def check_workers(settings: Settings, workers: int) -> None:
    """Raise :class:`WorkersRefused` unless ``workers`` processes can serve these stores."""
    if workers < 1:
        raise WorkersRefused(f"--workers {workers}: må være minst 1")
    if workers == 1 or server_engines(settings):
        return
    missing = [
        name
        for name, value in (
            ("HFKG_DATABASE_URL", settings.database_url),
            ("HFKG_GRAPH_ENDPOINT", settings.graph_endpoint),
        )
        if not value
    ]
    raise WorkersRefused(
        f"--workers {workers} krever tjenermotorene: {' og '.join(missing)} er ikke satt. De innebygde "
        "lagrene (søkeindeksen, dokumentlageret og grafen i datamappen) kan bare eies av én prosess; "
        "start med --workers 1, eller sett HFKG_DATABASE_URL og HFKG_GRAPH_ENDPOINT "
        "(scripts/services.sh start)"
    )


def worker_environment(settings: Settings) -> dict[str, str]:
    """The variables a worker builds the same settings from."""
    env = {}
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if value is not None:
            env[str(field.validation_alias)] = str(value.resolve() if name == "data_dir" else value)
    return env


def export_for_workers(settings: Settings) -> None:
    """Put :func:`worker_environment` into this process's environment, which the workers inherit."""
    os.environ.update(worker_environment(settings))


def worker_settings() -> tuple[Settings, str | None]:
    """In a worker: its settings, and the hand-off token of the server.json its `hfkg serve` wrote
    (None for a worker another way started: it serves without the hand-off routes)."""
    settings = Settings.from_env()
    return settings, local_server.token_of(settings.data_dir, pid=os.getppid())

"""`hfkg serve --workers N`: N server processes on the server engines, behind one port.

Only the server engines can be shared: PostgreSQL (HFKG_DATABASE_URL) for the search index and the
ingest store, a SPARQL server (HFKG_GRAPH_ENDPOINT) for the graph. The embedded stores are one
process's (Oxigraph's on-disk store takes an exclusive lock), so more workers on them are refused.

uvicorn's multi-process mode starts each worker in a fresh interpreter from an import string
(:data:`WORKER_APP`, a factory); what `hfkg serve` was told reaches the workers through the
environment: every setting as its ``HFKG_*`` variable, and the hand-off token of the data directory's
server.json (api/local_server.py) in :data:`TOKEN_VARIABLE`, so that `hfkg ingest` and the read
commands reach whichever worker takes their request. The process environment is its owner's only.
"""

from __future__ import annotations

import os

from api.settings import Settings
from ingest.errors import HfkgError

WORKER_APP = "api.app:worker_app"
# No setting: `hfkg serve` sets it for the workers it starts (a caller never does).
TOKEN_VARIABLE = "HFKG_WORKER_TOKEN"


class WorkersRefused(HfkgError):
    """More than one worker asked for on stores one process owns."""


def server_engines(settings: Settings) -> bool:
    """Whether every store is on a server that other processes share."""
    return bool(settings.database_url and settings.graph_endpoint)


def check_workers(settings: Settings, workers: int) -> None:
    """Raise :class:`WorkersRefused` unless ``workers`` processes can serve these stores."""
    if workers <= 1 or server_engines(settings):
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


def worker_environment(settings: Settings, token: str) -> dict[str, str]:
    """The variables a worker builds the same settings and hand-off from."""
    env = {TOKEN_VARIABLE: token}
    for name, field in Settings.model_fields.items():
        value = getattr(settings, name)
        if value is not None:
            env[str(field.validation_alias)] = str(value.resolve() if name == "data_dir" else value)
    return env


def export_for_workers(settings: Settings, token: str) -> None:
    """Put :func:`worker_environment` into this process's environment, which the workers inherit."""
    os.environ.update(worker_environment(settings, token))


def worker_settings() -> tuple[Settings, str | None]:
    """In a worker: its settings and the hand-off token, as `hfkg serve` exported them."""
    return Settings.from_env(), os.environ.get(TOKEN_VARIABLE) or None

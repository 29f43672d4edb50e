"""What routes depend on: the API settings, the stores the server owns, and a read model per write.

The server is the only writer of its data directory (Oxigraph takes an exclusive lock). It opens
:class:`~api.services.Services` once, serialises writes with a lock, and answers reads from a
:class:`ReadModel`: the graph queries, the asker and a small result cache, valid until the next
write. A write builds the next read model (warming its label tables) before it is swapped in, so
readers never see a half-built one and never wait for an upload.
"""

from __future__ import annotations

import json
import logging
import os
import secrets
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Annotated, Any, TypeVar

from fastapi import Depends, Header, Request

from answers import Answerer
from api import writes
from api.errors import ApiError
from api.services import Services, repair
from api.settings import Settings
from graph import views
from graph.base import Limits, sparql_runner
from graph.queries import GraphQueries
from ingest.errors import NotFound
from ingest.pipeline import FileReport, Ingestor, Origin
from ingest.store.consistency import consistency

log = logging.getLogger(__name__)

T = TypeVar("T")

DEFAULT_SPARQL_TIMEOUT_S = 10.0
DEFAULT_SPARQL_ROW_LIMIT = 10_000
DEFAULT_SPARQL_MEMORY_MB = 1024
DEFAULT_CACHE_ENTRIES = 4096
DEFAULT_CACHE_MB = 32.0  # of results' JSON; held as Python objects they take some 3x that in memory
DEFAULT_READ_SLOTS = (
    2  # reads computing at once (api/limits.py); more only wait longer for the interpreter lock
)
DEFAULT_READ_QUEUE = 64  # reads waiting for a slot before the next gets 503
DEFAULT_SHUTDOWN_S = 10.0  # how long a stopping server waits for an upload in progress
SPARQL_SLOTS = 4  # concurrent SPARQL queries, each in a worker process killed at the time limit


@dataclass(frozen=True, slots=True)
class ApiSettings:
    """Settings only the HTTP server needs; built once by ``hfkg serve`` (or a test) and passed down."""

    api_key: str | None = None  # writes are disabled without one
    max_upload_bytes: int | None = None  # None: the ingest limit of Settings.max_file_bytes
    sparql_timeout_s: float = DEFAULT_SPARQL_TIMEOUT_S
    sparql_row_limit: int = DEFAULT_SPARQL_ROW_LIMIT
    sparql_memory_mb: int = DEFAULT_SPARQL_MEMORY_MB  # per query worker
    cache_entries: int = DEFAULT_CACHE_ENTRIES  # 0 turns the read cache off
    cache_bytes: int = int(DEFAULT_CACHE_MB * 1_048_576)  # the results' JSON size; 0 turns it off too
    read_slots: int = DEFAULT_READ_SLOTS  # 0: no admission limit
    read_queue: int = DEFAULT_READ_QUEUE
    shutdown_s: float = DEFAULT_SHUTDOWN_S

    @classmethod
    def from_env(cls) -> ApiSettings:
        upload_mb = os.environ.get("HFKG_MAX_UPLOAD_MB")
        return cls(
            api_key=os.environ.get("HFKG_API_KEY") or None,
            max_upload_bytes=int(float(upload_mb) * 1_048_576) if upload_mb else None,
            sparql_timeout_s=float(os.environ.get("HFKG_SPARQL_TIMEOUT", DEFAULT_SPARQL_TIMEOUT_S)),
            sparql_row_limit=int(os.environ.get("HFKG_SPARQL_ROW_LIMIT", DEFAULT_SPARQL_ROW_LIMIT)),
            sparql_memory_mb=int(os.environ.get("HFKG_SPARQL_MEMORY_MB", DEFAULT_SPARQL_MEMORY_MB)),
            cache_entries=int(os.environ.get("HFKG_API_CACHE", DEFAULT_CACHE_ENTRIES)),
            cache_bytes=int(float(os.environ.get("HFKG_API_CACHE_MB", DEFAULT_CACHE_MB)) * 1_048_576),
            read_slots=int(os.environ.get("HFKG_API_READ_SLOTS", DEFAULT_READ_SLOTS)),
            read_queue=int(os.environ.get("HFKG_API_READ_QUEUE", DEFAULT_READ_QUEUE)),
            shutdown_s=float(os.environ.get("HFKG_SHUTDOWN_TIMEOUT", DEFAULT_SHUTDOWN_S)),
        )


class ResultCache:
    """A least-recently-used map of JSON-ready results, shared by the threads serving one read model.

    Bounded by entries and by size: a ``limit=100`` search is a hundred times a ``limit=1`` one, so a
    count alone let distinct large results take hundreds of MB. An entry's size is the length of
    its JSON encoding (what the response costs; the objects themselves take a few times more).
    """

    def __init__(self, entries: int, max_bytes: int) -> None:
        self.entries = entries
        self.max_bytes = max_bytes
        self.bytes = 0
        self._items: OrderedDict[tuple[Any, ...], Any] = OrderedDict()
        self._sizes: dict[tuple[Any, ...], int] = {}
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...], compute: Callable[[], T]) -> T:
        if self.entries <= 0 or self.max_bytes <= 0:
            return compute()
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]  # type: ignore[no-any-return]
        value = compute()  # outside the lock: two threads may compute the same value, never block on it
        size = len(json.dumps(value, ensure_ascii=False, default=str))
        if size > self.max_bytes:
            return value  # alone over the bound: answered, never kept
        with self._lock:
            self.bytes += size - self._sizes.get(key, 0)
            self._items[key] = value
            self._sizes[key] = size
            self._items.move_to_end(key)
            while len(self._items) > self.entries or self.bytes > self.max_bytes:
                oldest, _ = self._items.popitem(last=False)
                self.bytes -= self._sizes.pop(oldest)
        return value


class ReadModel:
    """Everything a read needs, as of one committed write. Results never change, so they are cached."""

    def __init__(self, services: Services, api: ApiSettings, generation: int) -> None:
        self.services = services
        self.generation = generation
        self.queries = GraphQueries(services.graph)
        self.asker = Answerer(self.queries, services.search, services.documents)
        # Built here, in one thread: their lazy builders are not safe to race from many.
        self.queries.labels()
        self.asker.graph.names()
        self.cache = ResultCache(api.cache_entries, api.cache_bytes)

    def search(self, query: str, **filters: Any) -> dict[str, Any]:
        key = ("search", query, tuple(sorted(filters.items())))
        return self.cache.get(key, lambda: self.services.search.search(query, **filters))

    def ask(self, question: str) -> dict[str, Any]:
        return self.cache.get(("ask", " ".join(question.split())), lambda: self.asker.ask(question))

    def entities(
        self, type_: str | None, q: str | None, limit: int, offset: int
    ) -> tuple[int, list[dict[str, Any]]]:
        return self.cache.get(
            ("entities", type_, q, limit, offset), lambda: self.queries.entities(type_, q, limit, offset)
        )

    def entity(self, entity_id: str) -> dict[str, Any]:
        return self.cache.get(("entity", entity_id), lambda: self.queries.entity(entity_id))

    def timeline(self, entity_id: str) -> list[dict[str, Any]]:
        return self.cache.get(("timeline", entity_id), lambda: self.queries.timeline(entity_id))

    def neighbors(self, entity_id: str, depth: int = 1) -> dict[str, Any]:
        return self.cache.get(
            ("neighbors", entity_id, depth), lambda: views.neighbors(self.queries, entity_id, depth=depth)
        )

    def path(self, source: str, target: str) -> dict[str, Any]:
        return self.cache.get(
            ("path", source, target), lambda: views.shortest_path(self.queries, source, target)
        )


class Runtime:
    """The stores of the data directory, owned by the server for its lifetime."""

    def __init__(self, settings: Settings, api: ApiSettings) -> None:
        self.settings = settings
        self.api = api
        self.services = Services(settings, write=True)
        # Open both stores now, not lazily from racing request threads.
        _ = self.services.search, self.services.graph
        self.write_lock = threading.Lock()
        self.stopped_mid_write = False
        self.ingestor: Ingestor = self.services.ingestor()  # one, so spaCy loads once per server
        # Before the first read model: finish a change a killed writer left (the journal), and as a
        # long-running owner of the stores, mend any other mismatch (logged; `hfkg check` reports it).
        with self.ingestor.writing():
            before = consistency(self.services)
            if not before["consistent"]:
                log.warning("stores out of step at start, repairing: %s", before)
                repair(self.services)
        self.sparql = sparql_runner(
            self.services.graph,
            settings.data_dir,
            Limits(SPARQL_SLOTS, api.sparql_timeout_s, api.sparql_row_limit, api.sparql_memory_mb),
        )
        self._generation = 0
        self.read = ReadModel(self.services, api, self._generation)

    @property
    def writes_enabled(self) -> bool:
        return bool(self.api.api_key)

    # Blocking: call from a worker thread. Reads go on from the current read model meanwhile.
    def ingest_upload(self, path: Path, origin: Origin | None = None) -> FileReport:
        """An upload, or with ``origin`` a file `hfkg ingest` handed over (see api/writes.py)."""
        with self.write_lock:
            report = writes.ingest_upload(self.ingestor, path, origin)
            if report.status in ("ingested", "duplicate"):
                self._refresh()
        return report

    def delete_document(self, doc_id: str) -> writes.Deletion:
        with self.write_lock:
            try:
                deletion = writes.delete_document(self.ingestor, doc_id, data_dir=self.settings.data_dir)
            except NotFound:
                raise
            except BaseException:
                # A failure half-way: the next read model shows what the stores now hold.
                self._refresh()
                raise
            self._refresh()
            return deletion

    def _refresh(self) -> None:
        self._generation += 1
        self.sparql.publish()
        self.read = ReadModel(self.services, self.api, self._generation)

    @property
    def max_upload_bytes(self) -> int:
        return self.api.max_upload_bytes or self.settings.max_file_bytes

    def close(self) -> None:
        # An upload in progress may finish first, for a while; past that the server stops anyway and
        # leaves the stores as a kill would: the change's journal is finished or undone at the next start.
        if not self.write_lock.acquire(timeout=max(self.api.shutdown_s, 0.0)):
            log.warning(
                "stopping with an upload still being ingested; its journal is finished at the next start"
            )
            self.sparql.close()
            self.stopped_mid_write = True
            return
        try:
            self.sparql.close()
            self.services.close()
        finally:
            self.write_lock.release()


# -- dependencies ---------------------------------------------------------------------------
# async so that resolving them costs no trip through the thread pool.
async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime  # type: ignore[no-any-return]


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_read_model(runtime: RuntimeDep) -> ReadModel:
    return runtime.read


ReadDep = Annotated[ReadModel, Depends(get_read_model)]


async def get_api_settings(runtime: RuntimeDep) -> ApiSettings:
    return runtime.api


ApiSettingsDep = Annotated[ApiSettings, Depends(get_api_settings)]


async def require_api_key(
    runtime: RuntimeDep,
    x_api_key: Annotated[str | None, Header(description="the key of HFKG_API_KEY")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <key>, instead of X-API-Key")] = None,
) -> None:
    """Writes need HFKG_API_KEY on the server (else 403) and the same key on the request (else 401)."""
    expected = runtime.api.api_key
    if not expected:
        raise ApiError(403, "Skriving er slått av: serveren har ingen HFKG_API_KEY.", "writes_disabled")
    given = x_api_key
    if given is None and authorization:
        scheme, _, token = authorization.partition(" ")
        given = token.strip() if scheme.lower() == "bearer" else None
    if not given or not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            401,
            "Mangler eller feil API-nøkkel (X-API-Key eller Authorization: Bearer).",
            "unauthorized",
            headers={"WWW-Authenticate": "Bearer"},
        )


WriterDep = Annotated[None, Depends(require_api_key)]

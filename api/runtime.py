"""The server's runtime: the stores of its data directory, opened once, and the read model over them.

On the embedded engines the server is the only writer of its data directory (Oxigraph takes an
exclusive lock): it serialises writes with a lock of its own and replaces its read model after every
write. On the server engines (PostgreSQL and a SPARQL server, api/workers.py) several processes
serve the same stores, `hfkg serve --workers N` and an ingest worker elsewhere: writes are serialised
by the store's write lock (an advisory lock in the database) and every request first compares the
read model's commit generation with the database's, so a write any process committed is seen by the
next read of every other. SPARQL queries run in worker processes of their own (embedded) or on the
graph's server.
"""

from __future__ import annotations

import contextlib
import logging
import threading
from collections.abc import Iterator
from pathlib import Path

from api import writes
from api.read_model import ReadModel
from api.services import Services, repair
from api.settings import Settings
from api.workers import server_engines
from graph.sparql_endpoint import Limits
from ingest.errors import NotFound
from ingest.pipeline import FileReport, Ingestor, Origin
from ingest.store.consistency import consistency

log = logging.getLogger(__name__)

SPARQL_SLOTS = 4  # concurrent SPARQL queries, each in a worker process killed at the time limit


class WriteGate:
    """The writes in progress in this process, and on the embedded engines their lock.

    On the server engines a write is serialised by the database (``store.writing()``, held by every
    write of api/writes.py) whichever process makes it; a process-local lock would only make this
    process's second upload wait where the database lets it queue anyway. ``drain`` is how a
    stopping server waits for the writes it has begun.
    """

    def __init__(self, *, serialise: bool) -> None:
        self.lock: threading.Lock | None = threading.Lock() if serialise else None
        self._idle = threading.Condition()
        self._active = 0

    @contextlib.contextmanager
    def held(self) -> Iterator[None]:
        with self._idle:
            self._active += 1
        try:
            with self.lock or contextlib.nullcontext():
                yield
        finally:
            with self._idle:
                self._active -= 1
                self._idle.notify_all()

    def drain(self, timeout: float) -> bool:
        """True once no write is in progress (and, embedded, the lock is taken: no new one begins)."""
        if self.lock is not None:
            return self.lock.acquire(timeout=timeout)
        with self._idle:
            return self._idle.wait_for(lambda: self._active == 0, timeout=timeout)

    def release(self) -> None:
        if self.lock is not None:
            self.lock.release()


class Runtime:
    """The stores of the data directory, held by this server process for its lifetime."""

    def __init__(self, settings: Settings, *, tidy: bool = True) -> None:
        self.settings = settings
        # Other processes write these stores (workers, an ingest worker): see the module's docstring.
        self.shared = server_engines(settings)
        self.services = Services(settings, write=True)
        # Open both stores now, not lazily from racing request threads.
        _ = self.services.search, self.services.graph
        self.writes = WriteGate(serialise=not self.shared)
        self.stopped_mid_write = False
        self.ingestor: Ingestor = self.services.ingestor()  # one, so spaCy loads once per server
        if tidy:
            self._mend()
        self.sparql = self.services.graph.sparql_runner(
            settings.data_dir,
            Limits(
                SPARQL_SLOTS, settings.sparql_timeout_s, settings.sparql_row_limit, settings.sparql_memory_mb
            ),
        )
        self._rebuilding = threading.Lock()
        self._generation = 0
        self.read = ReadModel(self.services, self._generation, self.services.documents.generation())

    def _mend(self) -> None:
        # Before the first read model: finish a change a killed writer left (the journal), and as a
        # long-running owner of the stores, mend any other mismatch (logged; `hfkg check` reports it).
        with self.ingestor.writing():
            before = consistency(self.services)
            if not before["consistent"]:
                log.warning("stores out of step at start, repairing: %s", before)
                repair(self.services)

    @property
    def writes_enabled(self) -> bool:
        return self.settings.writes_enabled

    def current(self) -> ReadModel:
        """The read model to answer a request from. On the server engines, rebuilt first when another
        process committed since it was built (one query of the database's commit generation)."""
        read = self.read
        if not self.shared or self.services.documents.generation() == read.store_generation:
            return read
        with self._rebuilding:  # one rebuild; the requests that wait for it take the new model
            if self.services.documents.generation() != self.read.store_generation:
                self._refresh()
            return self.read

    # Blocking: call from a worker thread. Reads go on from the current read model meanwhile.
    def ingest_upload(self, path: Path, origin: Origin | None = None) -> FileReport:
        """An upload, or with ``origin`` a file `hfkg ingest` handed over (see api/writes.py)."""
        with self.writes.held():
            report = writes.ingest_upload(self.ingestor, path, origin)
            if report.status in ("ingested", "duplicate"):
                self._publish()
        return report

    def delete_document(self, doc_id: str) -> writes.Deletion:
        with self.writes.held():
            try:
                deletion = writes.delete_document(self.ingestor, doc_id, data_dir=self.settings.data_dir)
            except NotFound:
                raise
            except BaseException:
                # A failure half-way: the next read model shows what the stores now hold.
                self._publish()
                raise
            self._publish()
            return deletion

    def _publish(self) -> None:
        with self._rebuilding:
            self._refresh()

    def _refresh(self) -> None:
        # The generation is read before the model is built: a commit while it builds makes the next
        # request build again, never leaves a model that claims a generation it may not show.
        store_generation = self.services.documents.generation()
        self._generation += 1
        self.sparql.publish()
        self.read = ReadModel(self.services, self._generation, store_generation)

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_bytes

    def close(self) -> None:
        # An upload in progress may finish first, for a while; past that the server stops anyway and
        # leaves the stores as a kill would: the change's journal is finished or undone at the next start.
        if not self.writes.drain(timeout=max(self.settings.shutdown_s, 0.0)):
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
            self.writes.release()

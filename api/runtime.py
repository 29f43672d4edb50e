"""The server's runtime: the stores of its data directory, opened once and written only by it.

The server is the only writer of its data directory (Oxigraph takes an exclusive lock). It opens
:class:`~api.services.Services` once, serialises writes with a lock, runs SPARQL queries in their
own worker processes, and answers reads from a :class:`~api.read_model.ReadModel`, replaced after
every write.
"""

from __future__ import annotations

import logging
import threading
from pathlib import Path

from api import writes
from api.read_model import ReadModel
from api.services import Services, repair
from api.settings import Settings
from graph.sparql_endpoint import Limits
from ingest.errors import NotFound
from ingest.pipeline import FileReport, Ingestor, Origin
from ingest.store.consistency import consistency

log = logging.getLogger(__name__)

SPARQL_SLOTS = 4  # concurrent SPARQL queries, each in a worker process killed at the time limit


class Runtime:
    """The stores of the data directory, owned by the server for its lifetime."""

    def __init__(self, settings: Settings) -> None:
        self.settings = settings
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
        self.sparql = self.services.graph.sparql_runner(
            settings.data_dir,
            Limits(
                SPARQL_SLOTS, settings.sparql_timeout_s, settings.sparql_row_limit, settings.sparql_memory_mb
            ),
        )
        self._generation = 0
        self.read = ReadModel(self.services, self._generation)

    @property
    def writes_enabled(self) -> bool:
        return self.settings.writes_enabled

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
        self.read = ReadModel(self.services, self._generation)

    @property
    def max_upload_bytes(self) -> int:
        return self.settings.max_upload_bytes

    def close(self) -> None:
        # An upload in progress may finish first, for a while; past that the server stops anyway and
        # leaves the stores as a kill would: the change's journal is finished or undone at the next start.
        if not self.write_lock.acquire(timeout=max(self.settings.shutdown_s, 0.0)):
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

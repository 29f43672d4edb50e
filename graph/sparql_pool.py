"""The embedded store's SPARQL runner: a pool of sandboxed worker processes reading snapshots.

Each query goes to a worker process (graph/sparql_worker.py: no network, capped memory, low
priority) reading a snapshot of the graph, so that a query past its limits ends for real. The
server makes a snapshot after every write, under the writer's lock (``publish``), so a snapshot is
always a committed state; a query or an export holds the snapshot it started on until it ends, and a
snapshot that is neither current nor held is deleted. At the time limit the worker is killed: its
CPU, memory and slot are free at once, and the next query starts a new one. /export is written once
per snapshot and format, as it is read from the store, and served from that file.
"""

from __future__ import annotations

import json
import logging
import multiprocessing
import os
import shutil
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from multiprocessing.connection import Connection
from pathlib import Path
from typing import IO, Any

from graph.sparql import SparqlResult, looks_like_update
from graph.sparql_endpoint import (
    Limits,
    Refusal,
    SparqlRefusal,
    SparqlRunner,
    timed_out,
    too_large,
    update_refused,
)
from graph.store import GraphStore

log = logging.getLogger(__name__)

SNAPSHOTS = "snapshots"  # under the data directory; what an earlier run left there is deleted at start
START_TIMEOUT_S = 30.0  # a worker's start: a fresh Python importing pyoxigraph
# The owner's only, as the whole data directory is (api/private.py; graph/ cannot import api/).
PRIVATE_DIR_MODE = 0o700
RECYCLE_AFTER = 500  # jobs per worker, so that nothing a long-lived process gathers can pile up


class _Snapshot:
    def __init__(self, serial: int, folder: Path) -> None:
        self.serial = serial
        self.folder = folder
        self.graph = folder / "graph"
        self.users = 0
        self.export_lock = threading.Lock()


class _WorkerDied(Exception):
    pass


class _Worker:
    """One worker process and the socket it takes jobs on."""

    def __init__(self, memory_mb: int) -> None:
        ours, theirs = multiprocessing.Pipe(duplex=True)
        self.process = subprocess.Popen(
            [sys.executable, "-m", "graph.sparql_worker", str(theirs.fileno()), str(memory_mb)],
            pass_fds=[theirs.fileno()],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            env={**os.environ, "RUST_BACKTRACE": "0"},
        )  # a query past the memory cap: one line in the log
        theirs.close()
        self.conn: Connection = ours
        self.jobs = 0
        try:
            hello = json.loads(self.conn.recv_bytes()) if self.conn.poll(START_TIMEOUT_S) else {}
        except (EOFError, OSError):
            hello = {}
        if not hello.get("ready"):
            self.kill()
            log.error("a SPARQL worker did not start: %s", hello.get("message", "no answer"))
            raise SparqlRefusal(
                Refusal.UNAVAILABLE, "SPARQL is not available on this server: its query worker did not start."
            )

    def ask(self, job: dict[str, Any], timeout_s: float) -> tuple[dict[str, Any], bytes]:
        """The answer to ``job``; TimeoutError when there is none within ``timeout_s``."""
        self.jobs += 1
        try:
            self.conn.send_bytes(json.dumps(job).encode())
            ready = self.conn.poll(timeout_s)
            if ready:
                return json.loads(self.conn.recv_bytes()), self.conn.recv_bytes()
        except (
            EOFError,
            OSError,
        ) as exc:  # a broken pipe or an end of file: the worker ended (memory cap, crash)
            raise _WorkerDied from exc
        raise TimeoutError

    def kill(self) -> None:
        self.process.kill()
        self.process.wait()
        self.conn.close()


class LocalSparql(SparqlRunner):
    """Queries of the embedded store, each in a worker process on the latest snapshot."""

    def __init__(self, graph: GraphStore, data_dir: Path, limits: Limits) -> None:
        super().__init__(limits, graph.iris.base)
        self.graph = graph
        self.root = data_dir / SNAPSHOTS
        shutil.rmtree(self.root, ignore_errors=True)
        self.root.mkdir(mode=PRIVATE_DIR_MODE, parents=True)
        self._lock = threading.Lock()
        self._snapshots: dict[int, _Snapshot] = {}
        self._current: _Snapshot | None = None
        self._serial = 0
        self._idle: list[_Worker] = []
        self._busy: set[_Worker] = set()
        self.publish()

    # snapshots
    def publish(self) -> None:
        self._serial += 1  # only the writer publishes
        folder = self.root / str(self._serial)
        folder.mkdir(mode=PRIVATE_DIR_MODE)
        self.graph.snapshot(folder / "graph")
        with self._lock:
            self._current = self._snapshots[self._serial] = _Snapshot(self._serial, folder)
            self._prune()

    @contextmanager
    def _holding(self) -> Iterator[_Snapshot]:
        with self._lock:
            snapshot = self._current
            assert snapshot is not None, "published at start"
            snapshot.users += 1
        try:
            yield snapshot
        finally:
            with self._lock:
                snapshot.users -= 1
                self._prune()

    def _prune(self) -> None:
        for serial, snapshot in list(self._snapshots.items()):
            if snapshot is not self._current and snapshot.users == 0:
                del self._snapshots[serial]
                shutil.rmtree(snapshot.folder, ignore_errors=True)

    # queries
    def _execute(self, query: str, accept: str) -> SparqlResult:
        with self._holding() as snapshot:
            job = {
                "snapshot": str(snapshot.graph),
                "query": query,
                "accept": accept,
                "row_limit": self.limits.row_limit,
                "prefixes": self.prefixes,
            }
            worker = self._take()
            try:
                header, body = worker.ask(job, self.limits.timeout_s)
            except TimeoutError:
                self._drop(worker)
                log.info("a SPARQL query ran past %g s: its worker was killed", self.limits.timeout_s)
                raise timed_out(self.limits) from None
            except _WorkerDied:
                self._drop(worker)
                log.warning(
                    "a SPARQL worker ended during a query (exit %s): memory cap or crash",
                    worker.process.returncode,
                )
                raise too_large() from None
            self._give_back(worker)
        if "error" in header:
            raise _refusal(header, query)
        return SparqlResult(body, header["media_type"], header["truncated"])

    def _take(self) -> _Worker:
        with self._lock:
            worker = self._idle.pop() if self._idle else None
        if worker is None:
            worker = _Worker(self.limits.memory_mb)
        with self._lock:
            self._busy.add(worker)
        return worker

    def _give_back(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
            if worker.jobs < RECYCLE_AFTER:
                self._idle.append(worker)
                return
        worker.kill()

    def _drop(self, worker: _Worker) -> None:
        with self._lock:
            self._busy.discard(worker)
        worker.kill()

    # exports
    def export(self, fmt: str) -> IO[bytes]:
        with self._holding() as snapshot:
            path = snapshot.folder / f"export.{fmt}"
            with snapshot.export_lock:  # one writer per snapshot; the others wait for its file
                if not path.exists():
                    with (
                        GraphStore.open(snapshot.graph, read_only=True, base=self.graph.iris.base) as graph,
                        tempfile.NamedTemporaryFile(dir=snapshot.folder, delete=False) as out,
                    ):
                        graph.write_export(fmt, out)
                    os.replace(out.name, path)
            return path.open("rb")  # open before the snapshot may go: the file stays readable

    def close(self) -> None:
        with self._lock:
            workers = [*self._idle, *self._busy]
            self._idle.clear()
            self._busy.clear()
        for worker in workers:
            worker.kill()
        shutil.rmtree(self.root, ignore_errors=True)


def _refusal(header: dict[str, Any], query: str) -> SparqlRefusal:
    """What the engine's refusal of a query means to the client."""
    if header["error"] == "syntax" and looks_like_update(query):
        return update_refused()
    if header["error"] == "memory":
        return too_large()
    prefix = "SPARQL syntax error: " if header["error"] == "syntax" else ""
    return SparqlRefusal(Refusal.BAD_QUERY, prefix + str(header["message"]))

"""Parallel ingest: files read, segmented and extracted in worker processes, committed here one at a
time, in the order :func:`~ingest.walk.iter_files` lists them, so that the stores end as a serial run
leaves them.

What a file's reading depends on is its own bytes, except in three places, all settled here at the
file's turn, under the write lock, as :meth:`Ingestor._ingest` does them:

- bytes stored before (the same file unchanged, another source with the same content): checked by
  sha256 against the sources committed before it (:meth:`Ingestor.known_bytes`);
- the registry of names earlier documents brought, which extraction reads: a worker extracts with the
  registry as it was when the file was handed out, and each document is extracted again here when
  the names committed since touch it (:func:`ingest.registry_view.stands`);
- near-duplicates and the documents a changed file held: against the documents stored before it
  (:meth:`Ingestor.store_documents`).

A file a worker rejects gets its report as in a serial run; a worker that dies (a crash, killed at
the time limit) costs its file an ``error`` line, and the files in flight with it are read again.
"""

from __future__ import annotations

import logging
import multiprocessing
import os
import pickle
import signal
import threading
import time
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures import TimeoutError as FutureTimeout
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, field
from pathlib import Path

from ingest.errors import IngestError
from ingest.extract import Extractor
from ingest.extract.resolve import registry_entries
from ingest.model import Document, RawDocument
from ingest.normalise import normalise
from ingest.pipeline import (
    FileReport,
    Ingestor,
    Known,
    Pending,
    display_path,
    extract_all,
    iter_files,
    read_pending,
)
from ingest.readers.base import Limits
from ingest.registry_view import stands
from ingest.segment import segment

log = logging.getLogger(__name__)

PARENT_CHECK_S = 0.5  # how often a worker looks for its parent
FILE_TIME_LIMIT = 3600.0  # seconds a worker may take over one file (a 3,000-page PDF takes some 200)


@dataclass(slots=True)
class Reading:
    """What a worker made of one file: its bytes, its documents extracted with ``known`` (the
    registry when it was handed out), and the same documents before extraction, pickled."""

    file_format: str
    data: bytes
    documents: list[Document]
    pristine: bytes
    message: RawDocument | None = None  # an e-mail as read: the parent makes its attachments documents


@dataclass(slots=True)
class Rejected:
    reason: str
    status: str = "rejected"  # or "error": an internal error of the worker


@dataclass(slots=True)
class Stats:
    """Where a parallel run spent its time, for the benchmark's share of serial work."""

    files: int = 0
    documents: int = 0
    extracted_again: int = 0  # documents the registry committed meanwhile touched
    committing_s: float = 0.0  # in this process, at the files' turns (all the serial work)
    waiting_s: float = 0.0  # for the worker reading the next file in order
    restarts: int = 0  # worker pools started again after a crash or a time limit


# -- the worker process ------------------------------------------------------------------------------
_worker: tuple[Extractor, int, Limits] | None = None


def _start_worker(max_file_bytes: int, limits: Limits) -> None:
    global _worker
    # Ctrl-C goes to the whole process group: the parent stops the workers, they do not stop themselves.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    threading.Thread(target=_end_with, args=(os.getppid(),), daemon=True, name="parent-watch").start()
    _worker = (Extractor(), max_file_bytes, limits)  # spaCy loaded once per worker


def _end_with(parent: int) -> None:
    """End this worker when its parent is gone (killed: it stops no one), rather than wait for work
    for good and hold the parent's output open."""
    while os.getppid() == parent:
        time.sleep(PARENT_CHECK_S)
    os._exit(1)


def _ready() -> None:
    """Nothing: handed to each worker as the pool starts, so that all of them start at once."""


def _extract(documents: list[Document], known: Known) -> list[Document]:
    assert _worker is not None, "a worker's initializer sets it"
    extract_all(_worker[0], documents, known)
    return documents


def _read(pending: Pending, known: Known) -> Reading | Rejected:
    assert _worker is not None, "a worker's initializer sets it"
    extractor, max_file_bytes, limits = _worker
    try:
        raw, data = read_pending(pending, max_file_bytes=max_file_bytes, limits=limits)
        documents = segment(raw, normalise(raw), data)
        pristine = pickle.dumps(documents, protocol=pickle.HIGHEST_PROTOCOL)
        extract_all(extractor, documents, known)
    except IngestError as exc:
        return Rejected(str(exc))
    except Exception as exc:
        log.exception("internal error while ingesting %s", pending.shown)
        return Rejected(f"internal error: {type(exc).__name__}: {exc}", "error")
    return Reading(raw.format, data, documents, pristine, raw if raw.message is not None else None)


# -- the parent --------------------------------------------------------------------------------------
@dataclass(slots=True)
class _Turn:
    """One file in order: its report already (no read needed), or the worker's reading on its way."""

    pending: Pending | FileReport
    known: Known = field(default_factory=dict)
    future: Future[Reading | Rejected] | None = None


class ParallelIngest:
    """``Ingestor.run`` with ``jobs`` worker processes (spawned: each a fresh interpreter)."""

    def __init__(self, ingestor: Ingestor, jobs: int, *, time_limit: float = FILE_TIME_LIMIT) -> None:
        self.ingestor = ingestor
        self.jobs = max(1, jobs)
        self.time_limit = time_limit
        self.stats = Stats()
        self._pool: ProcessPoolExecutor | None = None

    def run(self, paths: Iterable[Path]) -> Generator[FileReport, None, None]:
        files = iter_files(paths)
        with self.ingestor.writing():
            try:
                turns: deque[_Turn] = deque()
                while True:
                    while len(turns) < self._window() and (path := next(files, None)) is not None:
                        turns.append(self._hand_out(path))
                    if not turns:
                        return
                    yield self._take(turns)
            finally:
                self._stop()

    def _window(self) -> int:
        """Files in flight: one more than workers, so that a worker never waits for this process;
        but one alone into a store that has registered no names yet, as every file read beside the
        first would be extracted again with the names it brings."""
        if self.stats.files == 0 and not self.ingestor.store.registry():
            return 1
        return self.jobs + 1

    def _hand_out(self, path: Path) -> _Turn:
        pending = self.ingestor.pending(path, display_path(path))
        turn = _Turn(pending)
        if isinstance(pending, Pending):
            self._submit(turn)
        return turn

    def _submit(self, turn: _Turn) -> None:
        assert isinstance(turn.pending, Pending)
        turn.known = self.ingestor.store.registry()
        try:
            turn.future = self._workers().submit(_read, turn.pending, turn.known)
        except BrokenProcessPool as exc:  # a worker died meanwhile: found at this file's turn, or before
            turn.future = Future()
            turn.future.set_exception(exc)

    def _resubmit(self, turns: deque[_Turn]) -> None:
        """The files whose reading the old pool took with it, handed out to the new one."""
        for turn in turns:
            if isinstance(turn.pending, Pending) and _lost(turn.future):
                self._submit(turn)

    def _take(self, turns: deque[_Turn]) -> FileReport:
        """The report of the first file in order: its reading committed, or why not."""
        turn = turns.popleft()
        self.stats.files += 1
        if isinstance(turn.pending, FileReport):
            return turn.pending
        started = time.perf_counter()
        outcome = self._outcome(turn, turns)
        self.stats.waiting_s += time.perf_counter() - started
        started = time.perf_counter()
        try:
            return self._commit(turn.pending, turn.known, outcome)
        finally:
            self.stats.committing_s += time.perf_counter() - started

    def _outcome(self, turn: _Turn, turns: deque[_Turn]) -> Reading | Rejected:
        assert turn.future is not None
        try:
            return turn.future.result(timeout=self.time_limit)
        except FutureTimeout:
            self._restart(turns)
            return Rejected(f"reading took over {self.time_limit:g} s: stopped", "error")
        except BrokenProcessPool:
            # A worker died; which file it was reading is not known: this one, read alone, tells.
            self._restart(turns, resubmit=False)
            self._submit(turn)
            assert turn.future is not None
            try:
                outcome = turn.future.result(timeout=self.time_limit)
            except BrokenProcessPool:
                outcome = Rejected(
                    "the worker process reading the file died (a crash, out of memory)", "error"
                )
                self._restart(turns, resubmit=False)
            except FutureTimeout:
                outcome = Rejected(f"reading took over {self.time_limit:g} s: stopped", "error")
                self._restart(turns, resubmit=False)
            self._resubmit(turns)
            return outcome

    def _commit(self, pending: Pending, known: Known, outcome: Reading | Rejected) -> FileReport:
        """The file's turn, as :meth:`Ingestor.ingest_file` takes it after the read."""
        if isinstance(outcome, Rejected):
            return FileReport(pending.shown, outcome.status, outcome.reason)
        ingestor = self.ingestor
        try:
            ingestor.recover()  # a change an earlier file left (its undoing failed too) goes first
            entry = ingestor.entry(pending, outcome.file_format, outcome.data)
            early = ingestor.known_bytes(pending, entry, outcome.data)
            if early is not None:
                return early
            documents = self._settled(outcome, known)
            return ingestor.store_documents(pending, entry, documents, outcome.data, outcome.message)
        except IngestError as exc:
            return FileReport(pending.shown, "rejected", str(exc))
        except Exception as exc:
            log.exception("internal error while ingesting %s", pending.shown)
            return FileReport(pending.shown, "error", f"internal error: {type(exc).__name__}: {exc}")

    def _settled(self, reading: Reading, seen: Known) -> list[Document]:
        """The worker's documents, up to the first the registry committed since it was handed out
        touches; from that one on, extracted again (by a worker) with the registry as it is now."""
        now = self.ingestor.store.registry()
        pristine: list[Document] | None = None
        out: list[Document] = []
        for n, doc in enumerate(reading.documents):
            if seen != now or list(seen) != list(now):
                pristine = pristine or pickle.loads(reading.pristine)
                if not stands(pristine[n], doc, seen, now):
                    out += self._extracted_again(pristine[n:], now)
                    break
            seen = {**seen, **registry_entries(doc)}
            now = {**now, **registry_entries(doc)}
            out.append(doc)
        self.stats.documents += len(out)
        return out

    def _extracted_again(self, documents: list[Document], known: Known) -> list[Document]:
        self.stats.extracted_again += len(documents)
        try:
            return self._workers().submit(_extract, documents, known).result(timeout=self.time_limit)
        except (BrokenProcessPool, FutureTimeout):
            # The file was read once already: a worker that fails now is none of the file's doing.
            self._stop()
            extract_all(self.ingestor.extractor, documents, known)
            return documents

    # -- the pool ------------------------------------------------------------------------------------
    def _workers(self) -> ProcessPoolExecutor:
        if self._pool is None:
            ingestor = self.ingestor
            self._pool = ProcessPoolExecutor(
                max_workers=self.jobs,
                mp_context=multiprocessing.get_context("spawn"),
                initializer=_start_worker,
                initargs=(ingestor.max_file_bytes, ingestor.limits),
            )
            for _ in range(self.jobs):
                self._pool.submit(_ready)
        return self._pool

    def _restart(self, turns: deque[_Turn], *, resubmit: bool = True) -> None:
        """A new pool, the old one's workers killed; the files in flight handed out again."""
        self.stats.restarts += 1
        self._stop()
        if resubmit:
            self._resubmit(turns)

    def _stop(self) -> None:
        pool, self._pool = self._pool, None
        if pool is None:
            return
        # A worker stuck in a file (or still reading when Ctrl-C came) is killed, not waited for:
        # the executor has no public way to do it before Python 3.14 (kill_workers).
        processes = list(getattr(pool, "_processes", {}).values())
        for process in processes:
            process.kill()
        for process in processes:
            process.join()
        # A worker killed while it wrote its reading (a large one fills the pipe and waits for this
        # process) leaves half a message, and the executor's thread would wait for the rest for good:
        # with this process's end closed too, no writer is left, and it reads the end of the pipe.
        results = getattr(pool, "_result_queue", None)
        if results is not None:
            results._writer.close()
        pool.shutdown(wait=True, cancel_futures=True)


def _lost(future: Future[Reading | Rejected] | None) -> bool:
    """Whether a reading is gone with its pool (cancelled, or the pool broke), not done."""
    if future is None or not future.done():
        return True
    return future.cancelled() or future.exception() is not None

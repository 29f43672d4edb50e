"""The read-only SPARQL endpoint of the graph: which queries it takes, and the slots they run in.

:meth:`SparqlRunner.answer` is the one call the HTTP route makes: it refuses what must not run (a query
too long, any mention of SERVICE), takes one of a few slots, and hands the query to the backend's
runner, which answers with the serialised result (graph/sparql.py). Each graph backend has its own
runner (``GraphStoreLike.sparql_runner``): the embedded store runs queries in sandboxed worker
processes on snapshots (graph/sparql_pool.py), a SPARQL server runs them itself (graph/remote.py).
Whatever stops a query is a :class:`SparqlRefusal` whose ``code`` says why, in the words clients
switch on; the HTTP layer gives each code its status.
"""

from __future__ import annotations

import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import StrEnum
from typing import IO

from graph.sparql import SparqlResult, mentions_service, query_prefixes
from ingest.errors import HfkgError

MAX_QUERY_CHARS = 100_000


class Refusal(StrEnum):
    """Why a query got no result: the error codes of the endpoint."""

    BAD_QUERY = "bad_query"  # the engine could not read or evaluate it
    TOO_LONG = "payload_too_large"
    SERVICE = "service_forbidden"
    UPDATE = "update_forbidden"
    TIMEOUT = "query_timeout"
    TOO_LARGE = "query_too_large"  # it needed more memory than a worker may take
    BUSY = "busy"  # every slot is taken
    UNAVAILABLE = "sparql_unavailable"  # no worker could be started


class SparqlRefusal(HfkgError):
    """The endpoint did not answer a query; ``code`` says why."""

    def __init__(self, code: Refusal, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Limits:
    slots: int  # queries at a time; one more is refused as busy
    timeout_s: float
    row_limit: int
    memory_mb: int  # per worker, beyond its stack


def timed_out(limits: Limits) -> SparqlRefusal:
    return SparqlRefusal(
        Refusal.TIMEOUT, f"The query took longer than {limits.timeout_s:g} s and was stopped."
    )


def too_large() -> SparqlRefusal:
    return SparqlRefusal(
        Refusal.TOO_LARGE, "The query needed more memory than the server allows and was stopped."
    )


def update_refused() -> SparqlRefusal:
    return SparqlRefusal(
        Refusal.UPDATE, "Only queries are allowed here (SELECT, ASK, CONSTRUCT, DESCRIBE), not updates."
    )


def check_query(query: str) -> None:
    """Refuses a query that must not reach the engine: too long, or naming SERVICE anywhere."""
    if len(query) > MAX_QUERY_CHARS:
        raise SparqlRefusal(Refusal.TOO_LONG, f"The query is longer than {MAX_QUERY_CHARS} characters.")
    if mentions_service(query):
        raise SparqlRefusal(
            Refusal.SERVICE,
            "SERVICE (federated queries) is not allowed; the word is refused anywhere in a "
            "query, also in a string or IRI (build such a string with CONCAT).",
        )


class SparqlRunner(ABC):
    """The slots shared by every backend's runner; ``_execute`` answers one query in a slot."""

    def __init__(self, limits: Limits, base: str) -> None:
        self.limits = limits
        self.prefixes = query_prefixes(base)
        self._slots = threading.BoundedSemaphore(limits.slots)

    def answer(self, query: str, accept: str) -> SparqlResult:
        """The result of ``query`` serialised for ``accept``; blocking (call it from a worker thread)."""
        check_query(query)
        return self._run(query, accept)

    def _run(self, query: str, accept: str) -> SparqlResult:
        if not self._slots.acquire(blocking=False):
            raise SparqlRefusal(Refusal.BUSY, "Too many SPARQL queries are running; try again shortly.")
        try:
            return self._execute(query, accept)
        finally:
            self._slots.release()

    @abstractmethod
    def _execute(self, query: str, accept: str) -> SparqlResult: ...

    @abstractmethod
    def publish(self) -> None:
        """Called after every write, under the writer's lock: later queries see that write."""

    @abstractmethod
    def export(self, fmt: str) -> IO[bytes]:
        """The graph in ``fmt``, as an open file to stream from."""

    @abstractmethod
    def close(self) -> None:
        """Lets go of what the runner holds (processes, files)."""

"""The process that runs the SPARQL endpoint's queries: ``python -m graph.sparql_worker FD MEMORY_MB``.

A query engine cannot be stopped from outside while it evaluates, so each query runs in a worker
process that the server kills at the time limit (graph/sparql_pool.py). A worker

- reads the graph from a snapshot the server made after its last write (a RocksDB checkpoint,
  opened read-only: opening the live store while the server writes it is undefined behaviour);
- cannot open a network socket (a seccomp filter), so SERVICE reaches no one, whatever the text;
- caps its private memory (RLIMIT_DATA): a query past the cap ends the worker, not the server;
- runs at a lower CPU priority than the server, so a busy query never slows ``/health``;
- evaluates on a thread with a large stack: Oxigraph's parser recurses once per nesting level, and
  a query of 5,000 nested parentheses overflows the default 8 MB.

Jobs come as JSON messages on the socket FD (multiprocessing.connection framing); each answer is a
JSON header message followed by a body message.
"""

from __future__ import annotations

import errno
import json
import os
import resource
import socket
import sys
import threading
from multiprocessing.connection import Connection
from typing import Any

import pyoxigraph as ox

from graph.sparql import serialise_result

STACK_BYTES = 256 * 1_048_576  # reserved, not used: pages count only once touched
NICENESS = 10


class SandboxUnavailable(RuntimeError):
    """The kernel filter that keeps the worker off the network could not be installed."""


def forbid_network() -> None:
    """From here on, this process can create no socket but a Unix one (and no io_uring, whose
    socket operations would bypass the filter). Inherited for good: there is no way back."""
    try:
        import pyseccomp as seccomp
    except (ImportError, RuntimeError) as exc:  # not Linux, or no libseccomp
        raise SandboxUnavailable(f"seccomp is not available: {exc}") from exc
    rules = seccomp.SyscallFilter(seccomp.ALLOW)
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "socket", seccomp.Arg(0, seccomp.NE, socket.AF_UNIX))
    rules.add_rule(seccomp.ERRNO(errno.EACCES), "io_uring_setup")
    rules.load()


def limit_memory(memory_bytes: int) -> None:
    limit = memory_bytes + STACK_BYTES
    resource.setrlimit(resource.RLIMIT_DATA, (limit, limit))


class Worker:
    """Answers jobs one at a time, keeping the snapshot it read last open."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self.snapshot: str | None = None
        self.store: ox.Store | None = None

    def serve(self) -> None:
        while True:
            try:
                job = json.loads(self.conn.recv_bytes())
            except (EOFError, OSError):
                return  # the server closed its end
            header, body = self.run(job)
            self.conn.send_bytes(json.dumps(header).encode())
            self.conn.send_bytes(body)

    def run(self, job: dict[str, Any]) -> tuple[dict[str, Any], bytes]:
        try:
            store = self._open(job["snapshot"])
            result = store.query(job["query"], prefixes=job["prefixes"], use_default_graph_as_union=True)
            done = serialise_result(result, job["accept"], job["row_limit"], job["prefixes"])
        except SyntaxError as exc:
            return {"error": "syntax", "message": str(exc)}, b""
        except MemoryError:
            return {"error": "memory", "message": "the query needed more memory than allowed"}, b""
        except (
            OSError,
            RuntimeError,
            ValueError,
            TypeError,
        ) as exc:  # evaluation errors, e.g. an unknown function
            return {"error": "query", "message": str(exc)}, b""
        return {"media_type": done.media_type, "truncated": done.truncated}, done.body

    def _open(self, snapshot: str) -> ox.Store:
        if snapshot != self.snapshot or self.store is None:
            self.store = None  # close the older snapshot before opening the next
            self.store = ox.Store.read_only(snapshot)
            self.snapshot = snapshot
        return self.store


def main(argv: list[str]) -> int:
    conn = Connection(int(argv[0]))
    os.nice(NICENESS)
    limit_memory(int(argv[1]) * 1_048_576)
    try:
        forbid_network()
    except SandboxUnavailable as exc:
        conn.send_bytes(json.dumps({"error": "sandbox", "message": str(exc)}).encode())
        return 1
    conn.send_bytes(json.dumps({"ready": True}).encode())
    threading.stack_size(STACK_BYTES)
    thread = threading.Thread(target=Worker(conn).serve, name="sparql-worker")
    thread.start()
    thread.join()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

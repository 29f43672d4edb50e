"""Admission of reads: a few run at a time, the others wait their turn, and past a queue get 503.

Reads (search, questions, documents, entity pages) are Python code that holds the interpreter lock,
which the event loop answering ``/health`` needs too. Twenty reads computing at once in twenty
threads made the loop wait its turn among them (``/health`` p95 180 ms under 20 clients); two at a
time kept it at 60 ms for the same throughput, as the lock lets only one thread run anyway. A read
waiting for its slot is a coroutine, not a thread, so waiting costs nothing; when more are waiting
than the queue holds, a new one is refused at once with 503 and ``Retry-After`` (a deliberate
answer a client can act on, instead of a connection that times out).

Only GET and HEAD are admitted here: writes have their own lock, and the routes named in
``exempt`` (``/health``; ``/sparql``, which has its own slots and time limit) pass straight through.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable

from starlette.types import ASGIApp, Receive, Scope, Send

from api.errors import envelope

RETRY_AFTER_S = 1


class ReadLimiter:
    """ASGI middleware: at most ``slots`` reads at a time, at most ``queue`` waiting; 0 slots: no limit."""

    def __init__(self, app: ASGIApp, slots: int, queue: int, exempt: Iterable[str] = ()) -> None:
        self.app = app
        self.slots = slots
        self.queue = queue
        self.exempt = tuple(exempt)
        self.waiting = 0
        self._semaphore: asyncio.Semaphore | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    def _admits(self, scope: Scope) -> bool:
        if self.slots <= 0 or scope["type"] != "http" or scope["method"] not in ("GET", "HEAD"):
            return False
        path: str = scope["path"]
        return not any(path == e or path.startswith(e + "/") for e in self.exempt)

    def _slots(self) -> asyncio.Semaphore:
        # One per event loop: an asyncio semaphore belongs to the loop it first waited on, and a
        # test client runs each of its sessions on a loop of its own.
        loop = asyncio.get_running_loop()
        if self._semaphore is None or self._loop is not loop:
            self._semaphore, self._loop = asyncio.Semaphore(self.slots), loop
        return self._semaphore

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if not self._admits(scope):
            await self.app(scope, receive, send)
            return
        slots = self._slots()
        if slots.locked() and self.waiting >= self.queue:
            busy = envelope(
                503, "busy", "The server is busy; try again shortly.", {"Retry-After": str(RETRY_AFTER_S)}
            )
            await busy(scope, receive, send)
            return
        self.waiting += 1
        try:
            await slots.acquire()
        finally:
            self.waiting -= 1
        try:
            await self.app(scope, receive, send)
        finally:
            slots.release()

"""Issue 10, the load run: ``/health`` must stay fast while many reads and uploads run.

Twenty reads computing at once starved the event loop that answers ``/health`` of the interpreter
lock (p95 180 ms in bench/load.py); :class:`api.limits.ReadLimiter` lets a few run, queues the rest
as coroutines and refuses past its queue with a deliberate 503. Here it runs in front of an app
whose reads wait until released, so what runs, waits and is refused is exact.
"""

from __future__ import annotations

import asyncio

import httpx

from api.limits import ReadLimiter


class Reads:
    """An ASGI app whose GET /slow answers only once released; everything else at once."""

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.running = 0
        self.most = 0

    async def __call__(self, scope, receive, send) -> None:  # type: ignore[no-untyped-def]
        if scope["path"] == "/slow":
            self.running += 1
            self.most = max(self.most, self.running)
            await self.release.wait()
            self.running -= 1
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b"ok"})


def test_a_few_reads_run_the_rest_wait_then_get_a_deliberate_503_and_health_passes() -> None:
    async def scenario() -> None:
        reads = Reads()
        limiter = ReadLimiter(reads, slots=2, queue=1, exempt=("/health",))
        async with httpx.AsyncClient(
            transport=httpx.ASGITransport(app=limiter), base_url="http://t"
        ) as client:
            slow = [asyncio.create_task(client.get("/slow")) for _ in range(3)]  # two run, one waits
            while limiter.waiting < 1:
                await asyncio.sleep(0.01)
            refused = await client.get("/slow")
            assert refused.status_code == 503 and refused.headers["retry-after"] == "1"
            assert refused.json()["error"]["code"] == "busy"
            assert (
                await client.get("/health")
            ).status_code == 200  # exempt: answers while all slots are taken
            assert reads.running == 2
            write = asyncio.create_task(client.post("/slow"))  # writes are not admitted here: it runs now
            while reads.running < 3:
                await asyncio.sleep(0.01)
            reads.release.set()
            assert [r.status_code for r in await asyncio.gather(*slow, write)] == [200, 200, 200, 200]
        assert limiter.waiting == 0

    asyncio.run(scenario())

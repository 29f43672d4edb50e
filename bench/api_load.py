"""The load of bench/api.py: distinct requests of every kind, so that no cache answers one twice, sent
by clients without pause (throughput) or by users who pause between requests (latency); and the
memory of the server's processes.

Every client takes the next request of one shared, shuffled pool in which no path repeats: searches
(one or two words, phrases, facets, decisions, pages), questions built from the graph's own entities,
and entity pages (the entity, its timeline, its neighbours at depth 1 and 2). A pool used up starts
over (reported as ``repeated``: make it larger, or the run shorter).
"""

from __future__ import annotations

import http.client
import json
import random
import threading
import time
from collections.abc import Callable
from pathlib import Path
from urllib.parse import urlencode

from bench.api import Sample, error_code, get, summary
from bench.load import _question, _search

WEIGHTS = {"search": 0.5, "ask": 0.2, "entity": 0.3}
VIEWS = ("", "/timeline", "/neighbors", "/neighbors?depth=2")
ENTITY_PAGE = 500


def distinct_mix(port: int, size: int, seed: int = 11) -> list[tuple[str, str]]:
    """``size`` (kind, path) pairs, weighted as WEIGHTS, no path twice, in a random order."""
    rng = random.Random(seed)
    entities = _all_entities(port)
    by_type: dict[str, list[str]] = {}
    for entity in entities:
        by_type.setdefault(entity["type"], []).append(entity["label"])
    _, body = get("127.0.0.1", port, "/search?q=helse&limit=1")
    facets = json.loads(body)["facets"]
    from bench.api import SEARCH_WORDS

    words = SEARCH_WORDS + [w for e in entities for w in e["label"].split() if len(w) > 4]
    ids = [e["id"] for e in entities]
    makers = {
        "search": lambda: _search(rng, words, facets),
        "ask": lambda: _question(rng, by_type, words),
        "entity": lambda: f"/entities/{rng.choice(ids)}{rng.choice(VIEWS)}",
    }
    seen: set[str] = set()
    pool: list[tuple[str, str]] = []
    for kind, weight in WEIGHTS.items():
        wanted, tries = int(weight * size), 0
        while sum(1 for k, _ in pool if k == kind) < wanted and tries < 50 * wanted:
            tries += 1
            path = makers[kind]()
            if path not in seen:
                seen.add(path)
                pool.append((kind, path))
    rng.shuffle(pool)
    return pool


def _all_entities(port: int) -> list[dict[str, str]]:
    entities: list[dict[str, str]] = []
    while True:
        query = urlencode({"limit": ENTITY_PAGE, "offset": len(entities)})
        _, body = get("127.0.0.1", port, "/entities?" + query)
        page = json.loads(body)["entities"]
        entities += page
        if len(page) < ENTITY_PAGE:
            return entities


class Pool:
    """The requests, each handed out once (then from the start again, counted)."""

    def __init__(self, requests: list[tuple[str, str]]) -> None:
        self.requests = requests
        self.next = 0
        self.rounds = 0
        self.repeated = 0
        self._lock = threading.Lock()

    def take(self) -> tuple[str, str]:
        with self._lock:
            if self.next >= len(self.requests):
                self.next, self.rounds = 0, self.rounds + 1
            if self.rounds:
                self.repeated += 1
            self.next += 1
            return self.requests[self.next - 1]


def run_load(
    port: int, clients: int, seconds: float, take: Callable[[], tuple[str, str]], pause_s: float = 0.0
) -> list[Sample]:
    """``clients`` threads, each on its own keep-alive connection, sending the next request ``take``s,
    then pausing ``pause_s`` (a user reading the answer), until ``seconds`` are over; users start
    spread over the first pause so they do not arrive in step."""
    samples: list[Sample] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        mine: list[Sample] = []
        time.sleep(pause_s * number / max(clients, 1))
        try:
            while time.monotonic() < deadline:
                kind, path = take()
                started = time.perf_counter()
                try:
                    status, body = get("127.0.0.1", port, path, conn)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                    status, body = 0, b""
                took = (time.perf_counter() - started) * 1000
                mine.append((kind, path, took, status, started, error_code(status, body)))
                if pause_s:
                    time.sleep(pause_s)
        finally:
            conn.close()
            with lock:
                samples.extend(mine)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + pause_s + 120)
    return samples


def phase(samples: list[Sample], seconds: float) -> dict[str, object]:
    """The summary of a phase, overall and by kind, with how many of its paths were distinct."""
    return {
        **summary(samples, seconds),
        "distinct_paths": len({s[1] for s in samples}),
        "by_kind": {k: summary([s for s in samples if s[0] == k], seconds) for k in WEIGHTS},
    }


def memory(pid: int) -> dict[str, object]:
    """Resident memory (now and its peak, MB) of the server process and of each worker it started."""
    processes = {"server": pid} | {f"worker-{n + 1}": c for n, c in enumerate(worker_pids(pid))}
    return {name: _rss(p) for name, p in processes.items()}


def worker_pids(pid: int) -> list[int]:
    """uvicorn's workers: the children started through multiprocessing's spawn."""
    try:
        children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []
    found = []
    for child in children:
        try:
            if b"spawn_main" in Path(f"/proc/{child}/cmdline").read_bytes():
                found.append(int(child))
        except OSError:
            continue
    return found


def _rss(pid: int) -> dict[str, float]:
    values = {}
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            key, _, rest = line.partition(":")
            if key in ("VmRSS", "VmHWM"):
                values["rss_mb" if key == "VmRSS" else "peak_rss_mb"] = round(int(rest.split()[0]) / 1024, 1)
    except OSError:
        pass
    return values

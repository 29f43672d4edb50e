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
import os
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
    return _children(pid, b"spawn_main") if Path(f"/proc/{pid}").exists() else []


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


# -- CPU per request ------------------------------------------------------------------------------
TICKS = os.sysconf("SC_CLK_TCK")


class CpuMeter:
    """CPU seconds spent by each part of a set-up: the server and its workers, and on the server
    engines the Oxigraph server (a child of this process) and the PostgreSQL backends serving the
    run's database; and this process, the load itself. CPU per request does not depend on what else
    the machine runs, as throughput on a shared machine does."""

    def __init__(self, server_pid: int, database_url: str | None = None) -> None:
        self.server_pid = server_pid
        self.database_url = database_url

    def parts(self) -> dict[str, list[int]]:
        parts = {"server": [self.server_pid, *worker_pids(self.server_pid)], "load": [os.getpid()]}
        if self.database_url:
            parts["oxigraph"] = _children(os.getpid(), b"oxigraph")
            parts["postgres"] = _backends(self.database_url)
        return parts

    def sample(self) -> dict[str, dict[int, float]]:
        return {part: {pid: _cpu_s(pid) for pid in pids} for part, pids in self.parts().items()}


def cpu_ms_per_request(
    before: dict[str, dict[int, float]], after: dict[str, dict[int, float]], requests: int
) -> dict[str, float]:
    spent = {
        part: sum(s - before.get(part, {}).get(pid, 0.0) for pid, s in pids.items())
        for part, pids in after.items()
    }
    per = {part: round(s * 1000 / max(requests, 1), 2) for part, s in spent.items()}
    per["total_without_load"] = round(sum(v for k, v in per.items() if k != "load"), 2)
    return per


def _cpu_s(pid: int) -> float:
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime (fields 14 and 15 of stat)


def _children(pid: int, marker: bytes) -> list[int]:
    found = []
    for task in Path(f"/proc/{pid}/task").iterdir():
        try:
            children = (task / "children").read_text().split()
        except OSError:
            continue
        for child in children:
            try:
                if marker in Path(f"/proc/{child}/cmdline").read_bytes():
                    found.append(int(child))
            except OSError:
                continue
    return found


def _backends(database_url: str) -> list[int]:
    import psycopg

    with psycopg.connect(database_url, autocommit=True) as conn:
        rows = conn.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()"
        ).fetchall()
    return [int(r[0]) for r in rows]

"""The report of bench/load.py: counts by status, p50/p95 per route, the /health probes overall and
per window, the uploads and the server's memory, and whether the run passed."""

from __future__ import annotations

import sys
from collections import Counter
from typing import Any

from bench.api import Sample

HEALTH_P95_MS = 100.0
WINDOW_S = 10.0
# The routes the clients ask, and each one's share of the requests.
WEIGHTS = {"search": 0.4, "ask": 0.2, "sparql": 0.15, "document": 0.25}


def _pct(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return round(ordered[min(len(ordered) - 1, int(p * len(ordered)))], 1) if ordered else 0.0


def report(
    samples: list[Sample],
    health: list[tuple[float, float, int]],
    rss: list[float],
    uploads: list[dict[str, Any]],
    config: dict[str, Any],
    corpus: dict[str, object],
) -> dict[str, Any]:
    statuses = Counter(s[3] for s in samples)
    # Deliberate: a 503 the server chose to give (busy, out of time), with its error envelope.
    deliberate = Counter(f"{s[0]}:{s[5]}" for s in samples if s[3] == 503 and s[5] != "none")
    failures = _failures(samples, uploads, health)
    health_figures = _health(health, config["seconds"])
    return {
        "config": config,
        "corpus": corpus,
        "requests": len(samples),
        "throughput_rps": round(len(samples) / config["seconds"], 1),
        "statuses": {str(k): v for k, v in sorted(statuses.items())},
        "by_route": _by_route(samples),
        "deliberate_503": dict(deliberate),
        "failures": dict(failures),
        "uploads": {
            "count": len(uploads),
            "statuses": dict(Counter(str(u["status"]) for u in uploads)),
            "p50_ms": _pct([u["ms"] for u in uploads], 0.5),
            "max_ms": _pct([u["ms"] for u in uploads], 1.0),
        },
        "health": health_figures,
        "server_rss_mb": {
            "start": round(rss[0], 1) if rss else None,
            "max": round(max(rss, default=0), 1),
            "end": round(rss[-1], 1) if rss else None,
        },
        "passed": not failures and health_figures["p95_ms"] <= HEALTH_P95_MS,
    }


def _by_route(samples: list[Sample]) -> dict[str, Any]:
    by_kind: dict[str, Any] = {}
    for kind in WEIGHTS:
        mine = [s for s in samples if s[0] == kind]
        by_kind[kind] = {
            "requests": len(mine),
            "distinct": len({s[1] for s in mine}),
            "statuses": dict(Counter(str(s[3]) for s in mine)),
            "p50_ms": _pct([s[2] for s in mine], 0.5),
            "p95_ms": _pct([s[2] for s in mine], 0.95),
        }
    return by_kind


def _failures(
    samples: list[Sample], uploads: list[dict[str, Any]], health: list[tuple[float, float, int]]
) -> Counter[str]:
    """Failed connections and 5xx other than a deliberate 503, of requests, uploads and probes."""
    failures = Counter(
        f"{s[0]}:{s[3]}:{s[5]}"
        for s in samples
        if s[3] == 0 or (s[3] >= 500 and not (s[3] == 503 and s[5] != "none"))
    )
    failures.update(
        f"upload:{u['status']}:{u['code']}" for u in uploads if u["status"] == 0 or u["status"] >= 500
    )
    failures.update(f"health:{h[2]}" for h in health if h[2] != 200)
    return failures


def _health(health: list[tuple[float, float, int]], seconds: float) -> dict[str, Any]:
    latencies = [h[1] for h in health]
    windows = [
        _pct([h[1] for h in health if n * WINDOW_S <= h[0] < (n + 1) * WINDOW_S], 0.95)
        for n in range(int(seconds // WINDOW_S) or 1)
    ]
    return {
        "probes": len(health),
        "p50_ms": _pct(latencies, 0.5),
        "p95_ms": _pct(latencies, 0.95),
        "max_ms": _pct(latencies, 1.0),
        "p95_per_window_ms": windows,
        "target_p95_ms": HEALTH_P95_MS,
    }


def print_summary(result: dict[str, Any]) -> None:
    out = sys.stderr
    print(
        f"{result['requests']} requests in {result['config']['seconds']:g} s ({result['throughput_rps']} req/s), "
        f"{result['uploads']['count']} uploads; statuses {result['statuses']}",
        file=out,
    )
    for kind, figures in result["by_route"].items():
        print(
            f"  {kind:9} {figures['requests']:6} ({figures['distinct']} distinct)  p50 {figures['p50_ms']} ms"
            f"  p95 {figures['p95_ms']} ms  {figures['statuses']}",
            file=out,
        )
    health = result["health"]
    print(
        f"  /health   p50 {health['p50_ms']} ms  p95 {health['p95_ms']} ms (target {HEALTH_P95_MS:g})"
        f"  max {health['max_ms']} ms; per {WINDOW_S:g} s: {health['p95_per_window_ms']}",
        file=out,
    )
    print(
        f"  server RSS {result['server_rss_mb']}; deliberate 503: {result['deliberate_503'] or 'none'}",
        file=out,
    )
    print(
        "PASSED"
        if result["passed"]
        else f"FAILED: {result['failures'] or 'the /health p95 is over its target'}",
        file=out,
    )

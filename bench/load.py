"""The server under load while uploads run: does it stay up, correct and responsive?

Builds a data directory (the bundled corpus plus N generated documents, as bench/api.py does),
starts a real ``hfkg serve`` with an API key, then for ``--seconds``, at the same time:

  * ``--clients`` client threads send distinct requests: searches (words, phrases, filters, pages
    of up to 100), questions (/ask, built from the graph's own entities), read-only SPARQL
    queries and document reads (/documents/{id});
  * one client uploads generated files (new documents, as bench/api.py makes them) through
    ``POST /documents``, one after the other, so the stores are written and the read model replaced
    all the time;
  * a monitor in its own process asks ``/health`` every 100 ms on a fresh connection (what a load
    balancer's probe does) and samples the server's resident memory.

Reports counts by status, p50/p95 per route, the /health p95 overall and per 10 s window, the
uploads and the server's memory; prints a summary on stderr and the JSON on stdout, and writes it
to ``--output``. Exit 1 when a request got a 5xx other than a deliberate 503 (one with the error
envelope), a connection failed, or the /health p95 is over 100 ms.

    python bench/load.py                            # 20 clients, 60 s, 200 generated documents
    python bench/load.py --seconds 10 --clients 4 --docs 20
"""

from __future__ import annotations

import argparse
import http.client
import json
import multiprocessing
import os
import random
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.api import (  # noqa: E402 - after the path is set
    QUESTIONS,
    SEARCH_WORDS,
    build_data,
    error_code,
    free_port,
    generate_documents,
    get,
    run_phase,
    stop_server,
    wait_until_up,
)
from bench.load_report import WEIGHTS, print_summary, report  # noqa: E402 - after the path is set
from bench.output import scratch, write_results  # noqa: E402 - after the path is set

HEALTH_EVERY_S = 0.1
API_KEY = "bench-load-key"
BASE_IRI = "https://hfkg.no/id/"
SKOS = "PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
POOL = 20_000  # requests to draw from: large enough that few repeat in a run


# -- requests -----------------------------------------------------------------------------------
def distinct_requests(port: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, path), weighted as WEIGHTS; each kind built from what the server holds."""
    _, body = get("127.0.0.1", port, "/entities?" + urlencode({"limit": 500}))
    entities = json.loads(body)["entities"]
    by_type: dict[str, list[str]] = {}
    for entity in entities:
        by_type.setdefault(entity["type"], []).append(entity["label"])
    _, body = get("127.0.0.1", port, "/documents")
    doc_ids = [d["doc_id"] for d in json.loads(body)["documents"]]
    _, body = get("127.0.0.1", port, "/search?q=helse&limit=1")
    facets = json.loads(body)["facets"]
    words = SEARCH_WORDS + [w for e in entities for w in e["label"].split() if len(w) > 4]
    makers = {
        "search": lambda: _search(rng, words, facets),
        "ask": lambda: _question(rng, by_type, words),
        "sparql": lambda: _sparql(rng, words, [e["id"] for e in entities]),
        "document": lambda: f"/documents/{rng.choice(doc_ids)}",
    }
    pool: list[tuple[str, str]] = []
    for kind, weight in WEIGHTS.items():
        pool += [(kind, makers[kind]()) for _ in range(int(weight * POOL))]
    return pool


def _search(rng: random.Random, words: list[str], facets: dict[str, dict[str, int]]) -> str:
    params: dict[str, Any] = {
        "q": " ".join(rng.sample(words, rng.choice((1, 1, 2)))),
        "limit": rng.choice((10, 20, 50, 100)),
        "offset": rng.choice((0, 0, 10, 20)),
    }
    facet = rng.choice(("", "year", "doc_type", "fellesskap", "kind"))
    if facet == "kind":
        params["kind"] = "decision"
    elif facet and facets.get(facet):
        params["type" if facet == "doc_type" else facet] = rng.choice(sorted(facets[facet]))
    return "/search?" + urlencode(params)


def _question(rng: random.Random, by_type: dict[str, list[str]], words: list[str]) -> str:
    def some(kind: str) -> str:
        return rng.choice(by_type.get(kind) or words)

    def year() -> int:
        return rng.randint(2015, 2026)

    templates = [
        lambda: rng.choice(QUESTIONS),
        lambda: f"Hvilke kommuner deltar i {some('initiative')} i {year()}?",
        lambda: f"Hvem leder {some('initiative')}?",
        lambda: f"Hvilke tiltak retter seg mot {some('patient_group').lower()} i {some('health_community')}?",
        lambda: f"Hvilke kommuner er med i {some('health_community')}?",
        lambda: f"Hva bestemte {some('committee')} om {rng.choice(words)} i {year()}?",
        lambda: f"Hvilke fagutvalg finnes i {some('health_community')}?",
        lambda: f"Hva ble bestemt om {' og '.join(rng.sample(words, 2))}?",
        lambda: f"Hvilke tiltak gjelder {rng.choice(words)} i {some('municipality')}?",
    ]
    return "/ask?" + urlencode({"q": rng.choice(templates)()})


def _sparql(rng: random.Random, words: list[str], entity_ids: list[str]) -> str:
    limit = rng.randint(5, 200)
    word = rng.choice(words).lower().replace('"', "")
    iri = f"<{BASE_IRI}{rng.choice(entity_ids)}>"
    query = rng.choice(
        [
            (
                f'{SKOS}SELECT ?s ?label WHERE {{ ?s skos:prefLabel ?label FILTER(CONTAINS(LCASE(STR(?label)), "{word}")) }}'
                f" LIMIT {limit}"
            ),
            f"SELECT ?type (COUNT(?s) AS ?n) WHERE {{ ?s a ?type }} GROUP BY ?type ORDER BY DESC(?n) LIMIT {limit}",
            f"SELECT ?p ?o WHERE {{ {iri} ?p ?o }} LIMIT {limit}",
            f"ASK {{ {iri} ?p ?o }}",
            f"DESCRIBE {iri}",
        ]
    )
    return "/sparql?" + urlencode({"query": query})


# -- uploads and the monitor --------------------------------------------------------------------
def upload_loop(port: int, files: list[Path], deadline: float) -> list[dict[str, Any]]:
    """POST each file in turn until the deadline; the one under way then finishes."""
    import httpx

    done: list[dict[str, Any]] = []
    with httpx.Client(
        base_url=f"http://127.0.0.1:{port}", timeout=600, headers={"X-API-Key": API_KEY}
    ) as client:
        for path in files:
            if time.monotonic() >= deadline:
                break
            started = time.perf_counter()
            try:
                response = client.post(
                    "/documents", files={"file": (path.name, path.read_bytes(), "text/plain")}
                )
                status, body = response.status_code, response.content
            except httpx.HTTPError:
                status, body = 0, b""
            done.append(
                {
                    "file": path.name,
                    "status": status,
                    "ms": (time.perf_counter() - started) * 1000,
                    "code": error_code(status, body),
                }
            )
    return done


def monitor(port: int, server_pid: int, seconds: float, out: Any) -> None:
    """In its own process: /health every HEALTH_EVERY_S on a fresh connection, and the server's RSS."""
    samples: list[tuple[float, float, int]] = []  # seconds since start, latency ms, status
    rss: list[float] = []
    start = time.monotonic()
    tick = start
    while tick - start < seconds:
        began = time.perf_counter()
        try:
            status, _ = get("127.0.0.1", port, "/health")
        except (OSError, http.client.HTTPException):
            status = 0
        samples.append((tick - start, (time.perf_counter() - began) * 1000, status))
        rss.append(_rss_mb(server_pid))
        tick += HEALTH_EVERY_S
        time.sleep(max(0.0, tick - time.monotonic()))  # a slow answer delays the next tick, never skips it
    out.send((samples, rss))
    out.close()


def _rss_mb(pid: int) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


# -- run ----------------------------------------------------------------------------------------
def start_hfkg(data: Path, port: int) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HFKG_API_KEY": API_KEY}
    process = subprocess.Popen(
        [sys.executable, "-m", "api.cli", "--data", str(data), "serve", "--port", str(port)],
        env=env,
        cwd=str(ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    return wait_until_up(process, port)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=60.0)
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--docs", type=int, default=200, help="generated documents besides the corpus")
    parser.add_argument("--uploads", type=int, default=200, help="generated files ready to upload")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="reuse (or build once into) this data directory; it keeps the uploads",
    )
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "load.json")
    args = parser.parse_args()

    with scratch("hfkg-bench-load-") as temp:
        data = args.data or temp / "data"
        corpus: dict[str, object] = (
            {"reused": str(data)} if (data / "manifest.sqlite").exists() else build_data(data, args.docs)
        )
        # Another seed: other paragraphs recombined, so each upload is a new document, not a duplicate.
        files = generate_documents(temp / "uploads", args.uploads, seed=int(time.time()))
        port = free_port()
        server = start_hfkg(data, port)
        try:
            requests = distinct_requests(port, random.Random(23))
            ours, theirs = multiprocessing.get_context("spawn").Pipe(duplex=False)
            probe = multiprocessing.get_context("spawn").Process(
                target=monitor, args=(port, server.pid, args.seconds, theirs), daemon=True
            )
            probe.start()
            uploads: list[dict[str, Any]] = []
            uploader = threading.Thread(
                target=lambda: uploads.extend(upload_loop(port, files, time.monotonic() + args.seconds)),
                daemon=True,
            )
            uploader.start()
            samples = run_phase(port, args.clients, args.seconds, requests)
            health, rss = ours.recv()
            uploader.join(timeout=600)
            probe.join(timeout=10)
        finally:
            stop_server(server)
        config = {
            "clients": args.clients,
            "seconds": args.seconds,
            "generated_docs": args.docs,
            "cpus": os.cpu_count(),
            "load_average": [round(x, 2) for x in os.getloadavg()],
            "server": "hfkg serve (uvicorn, one process)",
        }
        result = report(samples, health, rss, uploads, config, corpus)
        print_summary(result)
        write_results(args.output, result)
        return 0 if result["passed"] else 1


if __name__ == "__main__":
    sys.exit(main())

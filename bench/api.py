"""HTTP API under load: concurrent clients on loopback over a mix of search, ask and entity requests.

Builds a data directory with the bundled corpus plus N generated text documents (the corpus files
recombined: paragraphs of two files interleaved, years shifted, municipality names swapped), starts
``uvicorn`` in its own process (so the load generator does not share the server's interpreter),
then runs, in the same run:

  1. a baseline: the same clients calling ``GET /health`` (the cost of HTTP + FastAPI alone);
  2. the mix: 50 % search (words, phrases, facets, decisions), 20 % ask, 30 % entity pages
     (entity, timeline, neighbours, list).

Each phase is bounded by ``--seconds`` and stops by itself. Prints JSON: throughput and p50/p95
per phase and per kind, the ratio to the baseline, and the latency of requests the server had not
seen before in the run ("first_seen": those the server's read cache could not answer).

    python bench/api.py                                  # 20 clients, 30 s, 1,000 documents
    python bench/api.py --seconds 5 --clients 4 --docs 50
    python bench/api.py --no-cache                       # the server with its read cache off
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

TARGET_P95_MS = 200.0
SEARCH_WORDS = [
    "fastleger",
    "Vitality",
    "skrøpelige eldre",
    "digital hjemmeoppfølging",
    "handlingsplan",
    "Ung Arena+",
    "psykisk helse",
    "rus",
    "barn og unge",
    "spiseforstyrrelser",
    "samhandling",
    "akuttkjeden",
    "styringsdata",
    "partnerskapsmøte",
    "fagutvalg",
    "brukerrepresentant",
    "kompetanse",
    "hoftebrudd",
    '"felles kompetanseplan"',
    "legevakt",
    "utskrivningsklare pasienter",
    "FACT ung",
    "årsmelding",
    "referat SSU",
    "tjenesteutvikling",
    "kommunehelsetjenesten",
    "velferdsteknologi",
    "logo",
    "smitte",
    "sykefravær",
    "mobil røntgen",
    "habilitering",
    "jordmødre",
    "frisklivssentral",
    "ambulanse",
]
QUESTIONS = [
    "Hvilke tiltak retter seg mot skrøpelige eldre?",
    "Which initiatives address children and young people (barn og unge)?",
    "Hvilke kommuner deltar i Vitality?",
    "Hvilken kommune er pilotkommune for Ung Arena+?",
    "Hvem var møteleder for SSU-møtet 29.02.24 i Vestfold?",
    "Hvilke kommuner er med i Helsefellesskapet Østfold?",
    "Hvilke kommuner inngår i Helsesamarbeidet Ringeriksregionen?",
    "Hvilke fagutvalg finnes i Helsefellesskapet i Vestfold?",
    "Hva bestemte SSU om fagutvalg for fastleger?",
    "Hvilke tiltak gjelder personer med alvorlige psykiske lidelser og rusproblemer?",
    "Hvem var referent i FSU 25.01.24?",
    "Hvilke tiltak retter seg mot personer med flere kroniske lidelser?",
]
SWAP_NAMES = [
    "Tønsberg",
    "Larvik",
    "Sandefjord",
    "Horten",
    "Færder",
    "Holmestrand",
    "Moss",
    "Halden",
    "Fredrikstad",
    "Sarpsborg",
    "Ringerike",
    "Hole",
    "Modum",
    "Jevnaker",
]


# -- data ---------------------------------------------------------------------------------------
def generate_documents(folder: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    from ingest.resources import municipality_rows

    names = sorted({row["navn"] for row in municipality_rows()} - set(SWAP_NAMES))
    pool = [
        block
        for p in sorted((ROOT / "corpus").glob("*.txt"))
        for block in re.split(r"\n\s*\n", p.read_text(encoding="utf-8"))
        if len(block) > 40
    ]
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for n in range(count):
        # A small random subset of all paragraphs: documents share little, so few are near-duplicates.
        text = "\n\n".join(rng.sample(pool, k=min(len(pool), rng.randint(10, 24))))
        shift = rng.randint(-4, 3)
        text = re.sub(r"\b(20[12]\d)\b", lambda m: str(int(m.group(1)) + shift), text)
        for old in SWAP_NAMES:
            if rng.random() < 0.5:
                text = re.sub(rf"\b{old}\b", rng.choice(names), text)
        text = f"Dokument {n + 1} fra helsefellesskapet ({rng.choice(names)})\n\n" + text
        path = folder / f"generert-{n + 1:04d}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def build_data(data: Path, docs: int) -> dict[str, object]:
    from bench.corpus_gen import ingest_all

    generated = data.parent / "generated"
    generate_documents(generated, docs)
    return ingest_all(data, [ROOT / "corpus", generated])


# -- server -------------------------------------------------------------------------------------
SERVER = """
import sys, uvicorn
from api.app import create_app
from api.settings import Settings
app = create_app(Settings.from_env(sys.argv[1]))
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[2]), log_level="warning", access_log=False)
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def start_server(data: Path, port: int, cache: bool) -> subprocess.Popen[bytes]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "HFKG_API_CACHE": "4096" if cache else "0"}
    process = subprocess.Popen([sys.executable, "-c", SERVER, str(data), str(port)], env=env, cwd=str(ROOT))
    return wait_until_up(process, port)


def wait_until_up(process: subprocess.Popen[bytes], port: int) -> subprocess.Popen[bytes]:
    """``process`` once its ``/health`` answers 200; killed after 120 s without."""
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError("the server exited while starting")
        try:
            status, _ = get("127.0.0.1", port, "/health")
            if status == 200:
                return process
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise RuntimeError("the server did not start in 120 s")


def stop_server(process: subprocess.Popen[bytes], timeout: float = 30) -> None:
    """SIGTERM (a clean shutdown), then SIGKILL after ``timeout`` seconds."""
    process.terminate()
    try:
        process.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        process.kill()


def get(host: str, port: int, path: str, conn: http.client.HTTPConnection | None = None) -> tuple[int, bytes]:
    own = conn is None
    conn = conn or http.client.HTTPConnection(host, port, timeout=30)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read()
    finally:
        if own:
            conn.close()


# -- load ---------------------------------------------------------------------------------------
def request_mix(port: int, rng: random.Random) -> list[tuple[str, str]]:
    """(kind, path) for the mix, weighted 50 % search, 20 % ask, 30 % entity."""
    _, body = get("127.0.0.1", port, "/entities?" + urlencode({"limit": 300}))
    entities = [e["id"] for e in json.loads(body)["entities"]]
    _, body = get("127.0.0.1", port, "/search?q=helse&limit=1")
    facets = json.loads(body)["facets"]
    years = [y for y in facets.get("year", {}) if y][:6]
    types = list(facets.get("doc_type", {}))[:6]
    searches = []
    for word in SEARCH_WORDS:
        searches.append({"q": word})
        searches.append({"q": word, "kind": "decision"})
        searches.append({"q": word, "year": rng.choice(years)} if years else {"q": word, "offset": 10})
        searches.append({"q": word, "type": rng.choice(types)} if types else {"q": word, "limit": 20})
    mix: list[tuple[str, str]] = []
    for params in searches:
        mix.append(("search", "/search?" + urlencode(params)))
    for question in QUESTIONS:
        mix += [("ask", "/ask?" + urlencode({"q": question}))] * 3
    for entity in entities[:80]:
        mix.append(("entity", f"/entities/{entity}"))
        mix.append(("entity", f"/entities/{entity}/timeline"))
        mix.append(("entity", f"/entities/{entity}/neighbors"))
    kinds: dict[str, list[tuple[str, str]]] = {}
    for item in mix:
        kinds.setdefault(item[0], []).append(item)
    weights = {"search": 0.5, "ask": 0.2, "entity": 0.3}
    return [rng.choice(kinds[k]) for k in weights for _ in range(int(weights[k] * 1000))]


Sample = tuple[str, str, float, int, float, str]  # kind, path, latency ms, status, start time, error code


def error_code(status: int, body: bytes) -> str:
    """The ``code`` of an error envelope (``busy``, ``timeout`` ...), ``"none"`` without one; ``""`` below 500."""
    if status < 500:
        return ""
    try:
        return str(json.loads(body)["error"]["code"])
    except (ValueError, KeyError, TypeError):
        return "none"


def run_phase(port: int, clients: int, seconds: float, requests: list[tuple[str, str]]) -> list[Sample]:
    samples: list[Sample] = []
    lock = threading.Lock()
    deadline = time.monotonic() + seconds

    def client(number: int) -> None:
        rng = random.Random(number)
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        mine = []
        try:
            while time.monotonic() < deadline:
                kind, path = rng.choice(requests)
                started = time.perf_counter()
                try:
                    status, body = get("127.0.0.1", port, path, conn)
                except (OSError, http.client.HTTPException):
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
                    status, body = 0, b""  # 0: the connection failed (refused, reset, timed out)
                mine.append(
                    (
                        kind,
                        path,
                        (time.perf_counter() - started) * 1000,
                        status,
                        started,
                        error_code(status, body),
                    )
                )
        finally:
            conn.close()
            with lock:
                samples.extend(mine)

    threads = [threading.Thread(target=client, args=(n,), daemon=True) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 60)
    return samples


def summary(samples: list[Sample], seconds: float) -> dict[str, object]:
    latencies = sorted(s[2] for s in samples)
    if not latencies:
        return {"requests": 0}

    def pct(p: float) -> float:
        return round(latencies[min(len(latencies) - 1, int(p * len(latencies)))], 1)

    return {
        "requests": len(samples),
        "throughput_rps": round(len(samples) / seconds, 1),
        "p50_ms": pct(0.50),
        "p95_ms": pct(0.95),
        "p99_ms": pct(0.99),
        "mean_ms": round(statistics.fmean(latencies), 1),
        "errors": sum(1 for s in samples if s[3] != 200),
    }


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="length of the mix phase (default 30)")
    parser.add_argument("--baseline-seconds", type=float, default=None, help="default: a third of --seconds")
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--docs", type=int, default=1000, help="generated documents besides the corpus")
    parser.add_argument(
        "--data",
        type=Path,
        default=None,
        help="reuse (or build once into) this data directory instead of a temporary one",
    )
    parser.add_argument("--no-cache", action="store_true", help="turn the server's read cache off")
    args = parser.parse_args()

    temp = Path(tempfile.mkdtemp(prefix="hfkg-bench-api-"))
    data = args.data or temp / "data"
    try:
        if (data / "manifest.sqlite").exists():
            corpus: dict[str, object] = {"reused": str(data)}
        else:
            corpus = build_data(data, args.docs)
        port = free_port()
        server = start_server(data, port, cache=not args.no_cache)
        try:
            rng = random.Random(11)
            requests = request_mix(port, rng)
            base_seconds = args.baseline_seconds or max(2.0, args.seconds / 3)
            baseline = run_phase(port, args.clients, base_seconds, [("health", "/health")])
            mixed = run_phase(port, args.clients, args.seconds, requests)
        finally:
            stop_server(server)
        seen: set[str] = set()
        first_seen = []
        for sample in sorted(mixed, key=lambda s: s[4]):  # the first request of each path in the run
            if sample[1] not in seen:
                seen.add(sample[1])
                first_seen.append(sample)
        base, mix = summary(baseline, base_seconds), summary(mixed, args.seconds)
        report = {
            "config": {
                "clients": args.clients,
                "seconds": args.seconds,
                "baseline_seconds": base_seconds,
                "generated_docs": args.docs,
                "read_cache": not args.no_cache,
                "cpus": os.cpu_count(),
            },
            "corpus": corpus,
            "baseline_health": base,
            "mix": mix,
            "by_kind": {
                k: summary([s for s in mixed if s[0] == k], args.seconds) for k in ("search", "ask", "entity")
            },
            "first_seen": {**summary(first_seen, args.seconds), "distinct_paths": len(seen)},
            "ratio_to_baseline": {
                "p95": round(float(mix["p95_ms"]) / max(float(base["p95_ms"]), 0.1), 2),
                "throughput": round(
                    float(mix["throughput_rps"]) / max(float(base["throughput_rps"]), 0.1), 3
                ),
            },
            "target_p95_ms": TARGET_P95_MS,
            "meets_target": float(mix["p95_ms"]) <= TARGET_P95_MS,
        }
        print(json.dumps(report, ensure_ascii=False, indent=2))
        return 0
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

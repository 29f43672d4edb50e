"""HTTP API under load on both set-ups, in one run: one embedded process, and ``hfkg serve --workers 2``
on the server engines (PostgreSQL and an Oxigraph server), both uncached.

Builds a data directory with the bundled corpus plus N generated text documents (the corpus files
recombined: paragraphs of two files interleaved, years shifted, municipality names swapped), and
builds the server engines' stores by ingesting the same files with ``hfkg ingest`` into a new
database on the PostgreSQL server of ``HFKG_DATABASE_URL`` (``scripts/services.sh start``) and an
Oxigraph server of the run's own. Then, for each set-up, ``hfkg serve`` in its own process with its
read cache off (``HFKG_API_CACHE=0``) and every request distinct (bench/api_load.py), so no cache
answers one:

  (a) ``--clients`` clients without pause for ``--seconds``: throughput, p50/p95 (target: workers
      at least 1.6x the embedded process's throughput);
  (b) ``--users`` users pausing ``--pause`` seconds between requests: p95 (target <= 300 ms);

and the resident memory of the server process and of each worker. Prints JSON.

    python bench/api.py                                   # 1,000 generated documents, 30 s phases
    python bench/api.py --docs 100 --seconds 10           # a quick check that it runs
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import random
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.engines import free_port, new_database, oxigraph_server  # noqa: E402 - after the path is set

TARGET_P95_MS = 300.0  # (b): users with a pause, on the workers
TARGET_RATIO = 1.6  # (a): the workers' throughput over the embedded process's
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
def start_serve(data: Path, port: int, settings: dict[str, str], workers: int = 1) -> subprocess.Popen[bytes]:
    """``hfkg serve`` on ``data`` with ``settings`` (HFKG_* variables) and nothing else of HFKG_*."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HFKG_")}
    env |= {"PYTHONPATH": str(ROOT), "HFKG_API_CACHE": "0", **settings}
    command = [sys.executable, "-m", "api.cli", "--data", str(data), "serve", "--port", str(port)]
    process = subprocess.Popen(
        [*command, "--workers", str(workers)],
        env=env,
        cwd=str(ROOT),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
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
    """``clients`` without pause, each request drawn at random from ``requests`` (repeats and all)."""
    from bench.api_load import run_load

    rng, lock = random.Random(0), threading.Lock()

    def draw() -> tuple[str, str]:
        with lock:
            return rng.choice(requests)

    return run_load(port, clients, seconds, draw)


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


# -- run ----------------------------------------------------------------------------------------
def ingest_into_engines(data: Path, folders: list[Path], settings: dict[str, str]) -> dict[str, object]:
    """The same files into the server engines, by ``hfkg ingest`` (what an ingest worker runs)."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HFKG_")} | settings
    started = time.perf_counter()
    command = [sys.executable, "-m", "api.cli", "--data", str(data), "ingest", "--json"]
    done = subprocess.run(
        [*command, *map(str, folders)], env=env, cwd=str(ROOT), capture_output=True, text=True
    )
    if done.returncode != 0:
        raise RuntimeError(f"hfkg ingest into the server engines failed: {done.stderr[-2000:]}")
    counts: dict[str, int] = {}
    for line in done.stdout.splitlines():
        status = json.loads(line).get("status", "?")
        counts[status] = counts.get(status, 0) + 1
    return {"files": counts, "ingest_seconds": round(time.perf_counter() - started, 1)}


def measure(
    process: subprocess.Popen[bytes], port: int, args: argparse.Namespace, database: str | None = None
) -> dict[str, object]:
    """Phases (a) and (b) on a started server, each on requests of its own; the CPU each part of the
    set-up spent per request, and the server's memory after."""
    from bench.api_load import CpuMeter, Pool, cpu_ms_per_request, distinct_mix, memory, phase, run_load

    requests = distinct_mix(port, args.pool)
    half = len(requests) // 2
    run_load(port, 2, 3.0, Pool(requests[-50:]).take)  # warm-up: what a first request loads lazily
    meter, results = CpuMeter(process.pid, database), {}
    for name, pool, clients, pause in (
        ("no_pause", Pool(requests[:half]), args.clients, 0.0),
        ("users", Pool(requests[half:-50]), args.users, args.pause),
    ):
        before = meter.sample()
        samples = run_load(port, clients, args.seconds, pool.take, pause_s=pause)
        cpu = cpu_ms_per_request(before, meter.sample(), len(samples))
        results[name] = {**phase(samples, args.seconds), "repeated": pool.repeated, "cpu_ms_per_request": cpu}
    return {**results, "memory_mb": memory(process.pid)}


def run_setups(temp: Path, args: argparse.Namespace) -> dict[str, object]:
    data = args.data or temp / "embedded" / "data"
    built = (data / "manifest.sqlite").exists()
    corpus: dict[str, object] = {"embedded": {"reused": str(data)} if built else build_data(data, args.docs)}
    folders = [ROOT / "corpus", data.parent / "generated"]
    results: dict[str, object] = {}
    port = free_port()
    server = start_serve(data, port, {})
    try:
        results["embedded"] = measure(server, port, args)
    finally:
        stop_server(server)
    with oxigraph_server(temp / "oxigraph") as endpoint, new_database(args.database_url) as database:
        engines = {"HFKG_DATABASE_URL": database, "HFKG_GRAPH_ENDPOINT": endpoint}
        corpus["server_engines"] = ingest_into_engines(temp / "engines-data", folders, engines)
        server = start_serve(temp / "engines-data", port, engines, workers=args.workers)
        try:
            results[f"workers_{args.workers}"] = measure(server, port, args, database)
        finally:
            stop_server(server)
    return {"corpus": corpus, **results}


def verdict(results: dict[str, Any], workers: int) -> dict[str, object]:
    embedded, shared = results["embedded"], results[f"workers_{workers}"]
    ratio = float(shared["no_pause"]["throughput_rps"]) / max(
        float(embedded["no_pause"]["throughput_rps"]), 0.1
    )
    p95 = float(shared["users"]["p95_ms"])
    return {
        "throughput_ratio": round(ratio, 2),
        "target_ratio": TARGET_RATIO,
        "users_p95_ms": p95,
        "target_p95_ms": TARGET_P95_MS,
        "meets_targets": ratio >= TARGET_RATIO and p95 <= TARGET_P95_MS,
    }


def main() -> int:
    # Taken out of the environment: the embedded set-up's build (bench/corpus_gen.py reads Settings from
    # it) must not write to the servers; the server engines get a database and a graph of their own.
    server_url = os.environ.pop("HFKG_DATABASE_URL", None)
    os.environ.pop("HFKG_GRAPH_ENDPOINT", None)
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--seconds", type=float, default=30.0, help="length of each phase (default 30)")
    parser.add_argument("--clients", type=int, default=20, help="(a): clients without pause (default 20)")
    parser.add_argument("--users", type=int, default=50, help="(b): users with a pause (default 50)")
    parser.add_argument("--pause", type=float, default=2.0, help="(b): seconds between requests (default 2)")
    parser.add_argument("--workers", type=int, default=2, help="workers on the server engines (default 2)")
    parser.add_argument("--docs", type=int, default=1000, help="generated documents besides the corpus")
    parser.add_argument("--pool", type=int, default=12_000, help="distinct requests per set-up")
    parser.add_argument(
        "--data", type=Path, default=None, help="reuse (or build once into) this embedded data directory"
    )
    parser.add_argument(
        "--database-url",
        default=server_url,
        help="the PostgreSQL server (default: $HFKG_DATABASE_URL, as scripts/services.sh start sets it); "
        "the run's database is a new one on it, dropped after",
    )
    args = parser.parse_args()
    if not args.database_url:
        parser.error('no PostgreSQL server: eval "$(scripts/services.sh start)" first, or --database-url')
    # Stopped, it still drops its database and stops its Oxigraph server (the finally blocks run).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    temp = Path(tempfile.mkdtemp(prefix="hfkg-bench-api-"))
    try:
        results = run_setups(temp, args)
        names = ("seconds", "clients", "users", "pause", "workers", "docs", "pool")
        config = {"read_cache": False, "cpus": os.cpu_count(), **{k: getattr(args, k) for k in names}}
        print(
            json.dumps(
                {"config": config, **results, **verdict(results, args.workers)}, ensure_ascii=False, indent=2
            )
        )
        return 0
    finally:
        shutil.rmtree(temp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())

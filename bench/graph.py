"""Graph query speed: our query layer against the same SPARQL run directly on pyoxigraph.

Builds the graph of a generated corpus (bench/corpus_gen.py; 470 files by default, which split into more than 1,000 documents), then
runs a fixed mix of the main questions (initiatives for a patient group, participants of an
initiative, members of a helsefellesskap, committees, an entity page, a timeline, a meeting's chair)
through graph.queries.GraphQueries, recording every SPARQL query it sends; the same queries are then
replayed on a read-only pyoxigraph Store opened on the same files. Prints JSON with p50/p95 of both
and their ratio. Run: ``python bench/graph.py [--docs N] [--rounds R]``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# This file is bench/graph.py: drop bench/ from the path so "graph" is the package, not this script.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

import pyoxigraph as ox  # noqa: E402

from bench.corpus_gen import generate  # noqa: E402
from graph.queries import GraphQueries  # noqa: E402
from graph.store import GraphStore  # noqa: E402
from graph.vocab import sparql_prefixes  # noqa: E402
from ingest.pipeline import Ingestor  # noqa: E402
from ingest.store import DocumentStore  # noqa: E402


def build(data: Path, docs: int) -> float:
    folder = data / "in"
    generate(folder, docs)
    start = time.perf_counter()
    with GraphStore.open(data / "graph") as graph:
        ingestor = Ingestor(DocumentStore(data), max_file_bytes=10**8, sinks=[graph])
        for report in ingestor.run([ROOT / "corpus", folder]):
            if report.status not in ("ingested", "duplicate"):
                print(report.line(), file=sys.stderr)
    return time.perf_counter() - start


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(q * (len(ordered) - 1)))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--docs", type=int, default=470, help="generated files; bundles split into more documents"
    )
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        data = Path(tmp)
        build_seconds = build(data, args.docs)
        store = GraphStore.open(data / "graph", read_only=True)
        queries = GraphQueries(store)
        sent: list[str] = []
        original = store.select

        def recording(query: str, **bindings: object) -> list:
            sent.append(query)
            return original(query, **bindings)

        store.select = recording  # type: ignore[method-assign]
        queries.labels()  # built once per process and cached, as the server does
        q = queries
        mix = [
            (
                "initiatives_for_group",
                lambda: q.related("addresses", obj=q.iri("patient_group/skropelige-eldre")),
            ),
            (
                "initiative_participants",
                lambda: q.related("involves", subject=q.iri("initiative/vestfold/vitality")),
            ),
            ("community_members", lambda: q.related("memberOf", obj=q.iri("health_community/ostfold"))),
            ("committees", lambda: q.related("partOf", obj=q.iri("health_community/vestfold"))),
            ("entity", lambda: q.entity("initiative/vestfold/vitality")),
            ("timeline", lambda: q.timeline("initiative/vestfold/vitality")),
            ("meeting_chair", lambda: q.related("chairs", obj=q.iri("meeting/vestfold/ssu/2024-02-29"))),
        ]
        ours: dict[str, list[float]] = {name: [] for name, _ in mix}
        per_call: dict[str, list[str]] = {}
        for _ in range(args.rounds):
            for name, call in mix:
                before = len(sent)
                start = time.perf_counter()
                call()
                ours[name].append((time.perf_counter() - start) * 1000)
                per_call[name] = sent[before:]
        store.select = original  # type: ignore[method-assign]
        store.close()
        raw_store = ox.Store.read_only(str(data / "graph"))
        raw: dict[str, list[float]] = {name: [] for name, _ in mix}
        for _ in range(args.rounds):
            for name, _call in mix:
                start = time.perf_counter()
                for text in per_call[name]:
                    result = raw_store.query(sparql_prefixes() + text, use_default_graph_as_union=True)
                    for _row in result:
                        pass
                raw[name].append((time.perf_counter() - start) * 1000)
        all_ours = [v for vs in ours.values() for v in vs]
        all_raw = [v for vs in raw.values() for v in vs]
        triples = len(raw_store)
        report = {
            "benchmark": "graph_queries",
            "documents": len(DocumentStore(data).summaries()),
            "quads": triples,
            "build_seconds": round(build_seconds, 1),
            "rounds": args.rounds,
            "ours_p50_ms": round(statistics.median(all_ours), 2),
            "ours_p95_ms": round(percentile(all_ours, 0.95), 2),
            "pyoxigraph_p50_ms": round(statistics.median(all_raw), 2),
            "pyoxigraph_p95_ms": round(percentile(all_raw, 0.95), 2),
            "ratio_p95": round(percentile(all_ours, 0.95) / percentile(all_raw, 0.95), 2),
            "per_query_p95_ms": {
                n: {
                    "ours": round(percentile(ours[n], 0.95), 2),
                    "pyoxigraph": round(percentile(raw[n], 0.95), 2),
                }
                for n in ours
            },
            "targets": {"p95_ms_max": 100, "ratio_max": 3.0},
        }
        report["ok"] = report["ours_p95_ms"] <= 100 and report["ratio_p95"] <= 3.0
        print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

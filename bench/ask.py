"""`hfkg ask` latency: questions of every kind, in bokmål, nynorsk and English, against `hfkg search`
of the same words in the same run.

The data is the generated corpus of bench/corpus_gen.py (the bundled documents and 470 generated
files, some 1,000 documents, in all three stores; built once and kept in bench/.cache/). The names in
the questions (bench/ask_questions.py) are read from that corpus's graph in a pass of their own (helsefellesskap with their
municipalities and committees, initiatives with a leader, a pilot or participants, meetings with a
chair and a minute-taker, agenda items with their year and who is responsible), so every question
hits real content. Then the stores are opened afresh, twice:

* ask: one ``Answerer``, built as ``hfkg ask`` builds it (api/cli/stores.py ``asker``), asks each question
  once. The questions are all distinct and nothing caches answers in-process, so each is uncached;
  what does warm up over the run is what a server keeps too (the graph's label and name tables, the
  search index's posting caches). One warm-up question, not counted, pays for the one-time tables
  and is reported apart.
* search: ``services.search.search(<the question's content words>, limit=10)`` right after each
  question, on Services of its own, so neither side warms the other's caches.

Prints JSON (p50/p95 per kind, per language and overall, for ask and search, and the ratio
ask/search), a table on stderr, and writes bench/results/ask.json. Exits 1 when the overall p95 of
ask is above 300 ms.

    python bench/ask.py                        # 470 generated files, 2 questions a kind and language
    python bench/ask.py --docs 40 --per-language 1
    python bench/ask.py --profile slowest      # then profile the slowest kind (cProfile; or a kind, or all)
"""

from __future__ import annotations

import argparse
import cProfile
import io
import pstats
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
# This file is in bench/, next to bench/api.py and bench/graph.py: drop bench/ from the path so that
# "api" and "graph" are the packages, not those scripts.
sys.path[:] = [p for p in sys.path if Path(p or ".").resolve() != ROOT / "bench"]
sys.path.insert(0, str(ROOT))

from answers import Answerer  # noqa: E402
from answers.plan import content_words  # noqa: E402
from api.cli.stores import asker as _asker  # noqa: E402
from api.services import Services  # noqa: E402
from api.settings import Settings  # noqa: E402
from bench.ask_questions import LANGUAGES, Question, questions, read_names  # noqa: E402
from bench.corpus_gen import built  # noqa: E402
from bench.graph import percentile  # noqa: E402
from bench.output import scratch, write_results  # noqa: E402

TARGET_P95_MS = 300.0
RESULTS = ROOT / "bench" / "results" / "ask.json"
WARM_UP = "Hva er et helsefellesskap?"


# -- timing --------------------------------------------------------------------------------------
def timed(call: Callable[[], Any]) -> tuple[float, Any]:
    start = time.perf_counter()
    result = call()
    return (time.perf_counter() - start) * 1000, result


def stats(ask: list[float], search: list[float]) -> dict[str, Any]:
    def pair(values: list[float]) -> dict[str, float]:
        return {"p50_ms": round(statistics.median(values), 1), "p95_ms": round(percentile(values, 0.95), 1)}

    a, s = pair(ask), pair(search)
    return {
        "n": len(ask),
        "ask": a,
        "search": s,
        "ratio_p50": round(a["p50_ms"] / max(s["p50_ms"], 0.1), 1),
        "ratio_p95": round(a["p95_ms"] / max(s["p95_ms"], 0.1), 1),
    }


def run(data: Path, asked: list[Question]) -> tuple[list[dict[str, Any]], dict[str, float]]:
    settings = Settings.from_env(str(data))
    with Services(settings) as ask_services, Services(settings) as search_services:
        answerer: Answerer = _asker(ask_services)
        stop = answerer.graph.stop_words()
        warm = {
            "ask_ms": round(timed(lambda: answerer.ask(WARM_UP))[0], 1),
            "search_ms": round(
                timed(lambda: search_services.search.search("helsefellesskap", limit=10))[0], 1
            ),
        }
        rows = []
        for question in asked:
            words = " ".join(content_words(question.text, stop)) or question.text
            ask_ms, response = timed(lambda: answerer.ask(question.text))
            search_ms, found = timed(lambda: search_services.search.search(words, limit=10))
            answers = response["answers"]
            rows.append(
                {
                    "kind": question.kind,
                    "language": question.language,
                    "question": question.text,
                    "search_words": words,
                    "ask_ms": round(ask_ms, 2),
                    "search_ms": round(search_ms, 2),
                    "asks": response["plan"]["asks"],
                    "answers": len(answers),
                    "method": answers[0]["method"] if answers else None,
                    "first_answer": answers[0]["label"] if answers else None,
                    "search_total": found["total"],
                }
            )
    return rows, warm


def profile(data: Path, asked: list[Question], stats_file: Path, top: int = 25) -> dict[str, Any]:
    """cProfile of the given questions on a fresh Answerer (after a warm-up, as in the timing);
    the stats are also written to ``stats_file`` (for ``python -m pstats``)."""
    with Services(Settings.from_env(str(data))) as services:
        answerer = _asker(services)
        answerer.ask(WARM_UP)
        profiler = cProfile.Profile()
        profiler.enable()
        for question in asked:
            answerer.ask(question.text)
        profiler.disable()
    out = io.StringIO()
    ps = pstats.Stats(profiler, stream=out)
    ps.sort_stats("cumulative").print_stats(top)
    ps.sort_stats("tottime").print_stats(top)
    stats_file.parent.mkdir(parents=True, exist_ok=True)
    ps.dump_stats(str(stats_file))
    return {"questions": len(asked), "stats_file": str(stats_file), "text": out.getvalue()}


def table(report: dict[str, Any]) -> str:
    lines = [
        f"{'':24} {'n':>3} {'ask p50':>8} {'ask p95':>8} {'search p50':>10} {'search p95':>10} {'ratio p95':>9}"
    ]
    rows = [*report["by_kind"].items(), *report["by_language"].items(), ("overall", report["overall"])]
    for name, s in rows:
        lines.append(
            f"{name:24} {s['n']:>3} {s['ask']['p50_ms']:>8} {s['ask']['p95_ms']:>8} "
            f"{s['search']['p50_ms']:>10} {s['search']['p95_ms']:>10} {s['ratio_p95']:>9}"
        )
    return "\n".join(lines)


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument(
        "--docs", type=int, default=470, help="generated files (470 split into some 1,000 documents)"
    )
    parser.add_argument(
        "--per-language", type=int, default=2, help="questions a kind and language (default 2)"
    )
    parser.add_argument(
        "--data", type=Path, default=None, help="an existing data directory instead of the generated corpus"
    )
    parser.add_argument(
        "--no-cache", action="store_true", help="build the corpus in a temporary folder, not bench/.cache/"
    )
    parser.add_argument(
        "--profile",
        metavar="KIND",
        default=None,
        help="after the timing, profile the questions of KIND ('slowest': the kind of the highest "
        "ask p95; 'all': every question)",
    )
    parser.add_argument("--output", type=Path, default=RESULTS)
    args = parser.parse_args()

    with scratch("hfkg-bench-ask-") as temp:
        corpus: dict[str, object]
        if args.data:
            data, corpus = args.data, {"data": str(args.data)}
        else:
            data, corpus = built(args.docs, cache=not args.no_cache, where=temp)
        with Services(Settings.from_env(str(data))) as services:
            corpus["documents"] = services.documents.count()
        asked = list(questions(read_names(data), args.per_language))
        rows, warm = run(data, asked)

        def group(key: str) -> dict[str, Any]:
            values = sorted({r[key] for r in rows}, key=[r[key] for r in rows].index)
            return {
                v: stats(
                    [r["ask_ms"] for r in rows if r[key] == v], [r["search_ms"] for r in rows if r[key] == v]
                )
                for v in values
            }

        overall = stats([r["ask_ms"] for r in rows], [r["search_ms"] for r in rows])
        report: dict[str, Any] = {
            "benchmark": "ask",
            "config": {
                "generated_files": args.docs,
                "per_language": args.per_language,
                "languages": list(LANGUAGES),
                "cpus": __import__("os").cpu_count(),
                "uncached": "one Answerer, every question distinct and asked once; no answer cache in-process",
            },
            "corpus": corpus,
            "questions": len(rows),
            "answered": sum(1 for r in rows if r["answers"]),
            "warm_up": warm,
            "overall": overall,
            "by_kind": group("kind"),
            "by_language": group("language"),
            "target_p95_ms": TARGET_P95_MS,
            "meets_target": overall["ask"]["p95_ms"] <= TARGET_P95_MS,
            "rows": rows,
        }
        print(table(report), file=sys.stderr)
        if args.profile:
            kind = args.profile
            if kind == "slowest":
                kind = max(report["by_kind"], key=lambda k: report["by_kind"][k]["ask"]["p95_ms"])
            found = profile(
                data, [q for q in asked if kind in ("all", q.kind)], args.output.with_suffix(".prof")
            )
            print(
                f"\nprofile of {kind!r} ({found['questions']} questions):\n{found.pop('text')}",
                file=sys.stderr,
            )
            report["profile"] = {"kind": kind, **found}
        write_results(args.output, report)
        return 0 if report["meets_target"] else 1


if __name__ == "__main__":
    sys.exit(main())

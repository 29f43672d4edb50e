"""Answer quality by question kind: each question set ingested into a fresh data directory, asked
through the answers package, scored as shared/eval/score.py scores (api/cli/scoring.py), and
grouped by the kind of question the plan reads (who leads, members, pilots, when, how many …).

    python bench/answers.py [--sets NAME ...] [--output bench/results/answers.json]

Sets: the bundled sample, real-dev (when ../shared/eval/real-dev is there) and the other-regions
sets of tests/data. Prints a table (recall / precision / questions per kind and set) and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from collections import defaultdict
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from answers import Answerer  # noqa: E402
from api.cli.scoring import score  # noqa: E402
from api.services import Services  # noqa: E402
from api.settings import Settings  # noqa: E402
from graph.queries import GraphQueries  # noqa: E402

SHARED = ROOT.parent / "shared" / "eval"
SETS: dict[str, tuple[list[Path], Path]] = {
    "sample": ([ROOT / "corpus"], ROOT / "tests" / "data" / "eval_questions.json"),
    "real-dev": ([ROOT / "corpus", SHARED / "real-dev" / "raw"], SHARED / "real-dev" / "questions.json"),
    **{
        name: ([ROOT / "tests" / "data" / name], ROOT / "tests" / "data" / f"{name}-questions.json")
        for name in ("other-regions", *(f"other-regions-{n}" for n in range(2, 7)))
    },
}
# How questions are grouped for the table: by what the plan asks for and the relation it names first.
GROUPS = json.loads((ROOT / "bench" / "answer_kinds.json").read_text(encoding="utf-8"))


def kind_of(plan: dict[str, Any]) -> str:
    part = (plan.get("parts") or [{}])[0]
    asks, predicates = part.get("asks", "text"), part.get("predicates", [])
    for group in GROUPS["groups"]:
        if asks in group["asks"] and (
            not group.get("predicates") or set(group["predicates"]) & set(predicates)
        ):
            return str(group["name"])
    return str(asks)


def evaluate(name: str, folders: list[Path], questions: Path) -> dict[str, Any]:
    with tempfile.TemporaryDirectory(prefix=f"hfkg-answers-{name}-") as tmp:
        settings = Settings(data_dir=Path(tmp))
        with Services(settings, write=True) as services:
            list(services.ingestor().run(folders))
        with Services(settings) as services:
            answerer = Answerer(GraphQueries(services.graph), services.search, services.documents)
            plans: dict[str, dict[str, Any]] = {}

            def ask(question: str) -> dict[str, Any]:
                response = answerer.ask(question)
                plans[question] = response.get("plan", {})
                return response

            report = score(json.loads(questions.read_text(encoding="utf-8")), ask)
    kinds: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for result in report["questions"]:
        kinds[kind_of(plans.get(result["question"], {}))].append(result)
    by_kind = {
        kind: {
            "questions": len(rs),
            "recall": round(sum(r["recall"] for r in rs) / len(rs), 2),
            "precision": round(sum(r["precision"] for r in rs) / len(rs), 2),
            "forbidden": sum(len(r["forbidden"]) for r in rs),
        }
        for kind, rs in sorted(kinds.items())
    }
    return {"overall": report["overall"], "by_kind": by_kind}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sets", nargs="*", choices=sorted(SETS), default=None)
    parser.add_argument("--output", type=Path, default=ROOT / "bench" / "results" / "answers.json")
    args = parser.parse_args()
    names = [n for n in (args.sets or SETS) if SETS[n][1].exists() and all(f.exists() for f in SETS[n][0])]
    results = {name: evaluate(name, *SETS[name]) for name in names}
    kinds = sorted({k for r in results.values() for k in r["by_kind"]})
    width = max(len(k) for k in kinds) if kinds else 10
    print(f"{'kind':<{width}}  " + "  ".join(f"{n:>18}" for n in names), file=sys.stderr)
    for kind in kinds:
        cells = []
        for name in names:
            k = results[name]["by_kind"].get(kind)
            cells.append(f"{k['recall']:.2f}/{k['precision']:.2f} ({k['questions']:>2})" if k else "")
        print(f"{kind:<{width}}  " + "  ".join(f"{c:>18}" for c in cells), file=sys.stderr)
    overall = [results[n]["overall"] for n in names]
    print(
        f"{'overall':<{width}}  "
        + "  ".join(f"{o['recall']:.2f}/{o['precision']:.2f} ({o['questions']:>2})" for o in overall),
        file=sys.stderr,
    )
    print(f"{'forbidden':<{width}}  " + "  ".join(f"{o['forbidden']:>18}" for o in overall), file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(results, ensure_ascii=False, indent=1), encoding="utf-8")
    print(json.dumps({n: r["overall"] for n, r in results.items()}))


if __name__ == "__main__":
    main()

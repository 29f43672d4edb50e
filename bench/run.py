"""Run every benchmark with one command and write one JSON report.

    python bench/run.py [--quick] [--output bench/results/latest.json]

Each benchmark prints JSON with its own baseline measured in the same run (see its docstring);
this collects them. ``--quick`` runs small sizes (minutes, not an hour) for a smoke check.
"""

from __future__ import annotations

import argparse
import json
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent
FULL = {
    "ingest": ["ingest.py"],
    "ocr": ["ocr.py"],
    "search": ["search.py"],
    "graph": ["graph.py"],
    "api": ["api.py"],
    "load": ["load.py"],
    "ask": ["ask.py"],
    "manifest": ["manifest.py"],
    "normalise": ["normalise.py"],
    "startup": ["startup.py", "--corpus"],
}
QUICK = {
    "ingest": ["ingest.py", "--docs", "2", "--repeat", "1", "--parallel-docs", "8"],
    "ocr": ["ocr.py", "--pages", "2", "--repeat", "1"],
    "search": ["search.py", "--passages", "5000", "--rounds", "2"],
    "graph": ["graph.py", "--docs", "40", "--rounds", "2"],
    "api": ["api.py", "--seconds", "5", "--clients", "4", "--docs", "20"],
    "load": ["load.py", "--seconds", "10", "--clients", "4", "--docs", "20", "--uploads", "10"],
    "ask": ["ask.py", "--docs", "40", "--per-language", "1"],
    "manifest": ["manifest.py", "--sizes", "1000", "--commits", "5"],
    "normalise": ["normalise.py", "--repeat", "1"],
    "startup": ["startup.py", "--repeat", "3"],
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", nargs="*", choices=sorted(FULL))
    parser.add_argument("--output", type=Path, default=ROOT / "results" / "latest.json")
    args = parser.parse_args()
    plan = QUICK if args.quick else FULL
    report: dict[str, object] = {
        "started": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "quick": args.quick,
        "machine": {
            "python": platform.python_version(),
            "cpus": __import__("os").cpu_count(),
            "platform": platform.platform(),
        },
        "results": {},
    }
    for name, command in plan.items():
        if args.only and name not in args.only:
            continue
        start = time.perf_counter()
        done = subprocess.run(
            [sys.executable, str(ROOT / command[0]), *command[1:]],
            capture_output=True,
            text=True,
            cwd=ROOT.parent,
        )
        entry: dict[str, object] = {
            "command": " ".join(["python", f"bench/{command[0]}", *command[1:]]),
            "seconds": round(time.perf_counter() - start, 1),
            "exit": done.returncode,
        }
        try:
            entry["result"] = json.loads(done.stdout[done.stdout.index("{") :])
        except ValueError:
            entry["error"] = (done.stderr or done.stdout)[-2000:]
        report["results"][name] = entry  # type: ignore[index]
        print(f"{name}: exit {done.returncode} in {entry['seconds']} s", file=sys.stderr)
    args.output.parent.mkdir(parents=True, exist_ok=True)
    args.output.write_text(json.dumps(report, indent=2, ensure_ascii=False), encoding="utf-8")
    print(json.dumps(report, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

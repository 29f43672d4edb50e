"""What a short CLI command costs to start: `hfkg documents --json` and `hfkg check`.

    python bench/startup.py [--repeat 7] [--corpus]

Each command runs ``--repeat`` times as its own process (the venv's ``hfkg``) on an empty data
directory, and with ``--corpus`` also on a data directory with the bundled corpus ingested; the
baseline, measured in the same run, is ``python -c pass`` (the interpreter's own start). Reported:
median seconds and the ratio to the baseline. Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
HFKG = Path(sys.executable).with_name("hfkg")
COMMANDS = {"documents": ["documents", "--json"], "check": ["check"]}


def _median(argv: list[str], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        subprocess.run(argv, capture_output=True, check=False, cwd=ROOT)
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def _measure(data: Path, repeat: int, baseline: float) -> dict[str, dict[str, float]]:
    out = {}
    for name, command in COMMANDS.items():
        seconds = _median([str(HFKG), "--data", str(data), *command], repeat)
        out[name] = {"seconds": round(seconds, 3), "ratio": round(seconds / baseline, 1)}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--corpus", action="store_true", help="also on the bundled corpus, ingested first")
    args = parser.parse_args()
    baseline = _median([sys.executable, "-c", "pass"], args.repeat)
    report: dict[str, object] = {"repeat": args.repeat, "python -c pass": round(baseline, 3)}
    with tempfile.TemporaryDirectory() as tmp:
        empty = Path(tmp) / "empty"
        empty.mkdir()
        report["empty"] = _measure(empty, args.repeat, baseline)
        if args.corpus:
            data = Path(tmp) / "corpus"
            subprocess.run(
                [str(HFKG), "--data", str(data), "ingest", str(ROOT / "corpus")],
                capture_output=True,
                check=True,
                cwd=ROOT,
            )
            report["corpus"] = _measure(data, args.repeat, baseline)
    print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()

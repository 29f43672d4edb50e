"""Normalisation of a hard-wrapped text without sentence ends (one paragraph of N bytes) against
``str.splitlines`` on the same text, in the same run: the ratio must stay flat as the text grows.

Before the fix each re-joined line rescanned the paragraph so far (quadratic: 5.8 s at 250 KB, 90 s
at 1 MB). Prints JSON. Run: ``python bench/normalise.py [--sizes 250000 1000000] [--repeat R]``.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from ingest.normalise import normalise  # noqa: E402
from ingest.readers.text import text_to_raw  # noqa: E402

_WORDS = [
    "samhandling",
    "mellom",
    "kommunene",
    "og",
    "sykehuset",
    "om",
    "pasientforløp",
    "for",
    "eldre",
    "med",
    "behov",
    "for",
    "tjenester",
    "i",
    "helsefellesskapet",
]


def hard_wrapped_text(size: int, *, width: int = 72, seed: int = 1) -> str:
    """About ``size`` characters of lines wrapped at ``width``, no sentence end anywhere."""
    rnd = random.Random(seed)
    lines: list[str] = []
    line: list[str] = []
    total = length = 0
    while total < size:
        word = rnd.choice(_WORDS)
        if length + len(word) > width:
            lines.append(" ".join(line))
            total += length
            line, length = [], 0
        line.append(word)
        length += len(word) + 1
    return "\n".join(lines) + "\n"


def _best(repeat: int, run: object) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        run()  # type: ignore[operator]
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[250_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows = []
    for size in args.sizes:
        text = hard_wrapped_text(size)
        raw = text_to_raw(text, source="bench", fmt="text")
        assert raw.hard_wrapped
        ours = _best(args.repeat, lambda: normalise(raw))
        base = _best(args.repeat, text.splitlines)
        rows.append(
            {
                "bytes": len(text.encode()),
                "normalise_s": round(ours, 4),
                "splitlines_s": round(base, 5),
                "ratio_over_splitlines": round(ours / base, 1),
            }
        )
    growth = rows[-1]["ratio_over_splitlines"] / rows[0]["ratio_over_splitlines"] if len(rows) > 1 else 1.0
    # Linear work keeps the ratio flat; quadratic work multiplies it by the growth of the input.
    print(
        json.dumps(
            {
                "benchmark": "normalise_hard_wrapped",
                "sizes": rows,
                "ratio_growth": round(growth, 2),
                "ok": growth <= 2.0,
            },
            indent=2,
        )
    )


if __name__ == "__main__":
    main()

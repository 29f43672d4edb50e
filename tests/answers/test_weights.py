"""A unit's score is the same in every process: Python seeds string hashes per process, so a float sum
taken in set order differed in its last bits from run to run, and ties between equally good answers (the
municipalities of one legevakt) came out in another order now and then."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from answers.weights import weigh

ROOT = Path(__file__).resolve().parents[2]
SUM = """
import random
from answers.weights import weigh
rng = random.Random(7)
words = [f"ord{i}" for i in range(60)]
weights = {w: rng.random() * 3 for w in words}
print(repr(weigh(words[::-1] + words, weights)))
"""


def test_a_weighed_sum_does_not_depend_on_the_hash_seed() -> None:
    sums = {
        subprocess.run(
            [sys.executable, "-c", SUM],
            env={"PYTHONHASHSEED": str(seed), "PATH": ""},
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        ).stdout
        for seed in range(8)
    }
    assert len(sums) == 1, sums


def test_each_term_counts_once_whatever_the_order() -> None:
    weights = {"a": 0.1, "b": 0.2, "c": 0.3}
    assert weigh(["a", "b", "c", "a"], weights) == weigh(["c", "b", "a"], weights)
    assert weigh(["c", "x"], weights) == 0.3


def test_the_year_a_figure_is_given_for() -> None:
    from answers.candidates import bound_year

    # From an annual report of another region than the minutes that prompted the rule.
    text = "Talet på besøk auka frå 1 512 i 2023 til 1 890 i 2024, mot 12 planlagde. I 1. halvår 2025: 980."
    at = {figure: text.index(figure) + len(figure) for figure in ("1 512", "1 890", "980")}
    assert bound_year(text, at["1 512"]) == "2023"
    assert bound_year(text, at["1 890"]) == "2024"
    assert bound_year(text, at["980"]) is None

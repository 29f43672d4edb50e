"""The checks that keep the house in order run with the tests: ruff (lint and format), mypy on the
packages, a complexity gate (xenon: no block graded D or worse by radon, i.e. above 20) and the soft cap on
module size. Each gate is also shown failing on a small bad sample, so none of them can pass by not running."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
PACKAGES = ["kinds", "ingest", "graph", "search", "answers", "api"]
MAX_LINES = 400


def run(*argv: str | Path, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(a) for a in argv], cwd=cwd, capture_output=True, text=True, timeout=600, check=False
    )


def test_ruff_finds_nothing_to_lint() -> None:
    result = run(BIN / "ruff", "check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_ruff_finds_nothing_to_format() -> None:
    result = run(BIN / "ruff", "format", "--check", "--no-cache", ".")
    assert result.returncode == 0, result.stdout + result.stderr


def test_mypy_finds_no_type_errors_in_the_packages() -> None:
    result = run(BIN / "mypy", *PACKAGES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_block_is_more_complex_than_grade_c() -> None:
    result = run(BIN / "xenon", "--max-absolute", "C", *PACKAGES)
    assert result.returncode == 0, result.stdout + result.stderr


def test_no_module_is_over_the_soft_cap() -> None:
    long = {
        str(path.relative_to(ROOT)): n
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert not long, long


BAD = {
    "lint": "import os\n",
    "format": "x = {  'a':1 }\n",
    "types": "def f(n: int) -> str:\n    return n\n",
    "complexity": "def f(x: int) -> int:\n"
    + "".join(f"    if x == {i}:\n        return {i}\n" for i in range(25))
    + "    return 0\n",
}


@pytest.mark.parametrize(
    ("kind", "argv"),
    [
        ("lint", ["ruff", "check", "--no-cache", "--isolated", "--select", "F", "bad.py"]),
        ("format", ["ruff", "format", "--check", "--no-cache", "bad.py"]),
        ("types", ["mypy", "--no-incremental", "bad.py"]),
        ("complexity", ["xenon", "--max-absolute", "C", "bad.py"]),
    ],
)
def test_each_gate_fails_on_a_bad_sample(tmp_path: Path, kind: str, argv: list[str]) -> None:
    (tmp_path / "bad.py").write_text(BAD[kind], encoding="utf-8")
    result = run(BIN / argv[0], *argv[1:], cwd=tmp_path)
    assert result.returncode != 0, (kind, result.stdout + result.stderr)

"""Four more helsefellesskap, in PDF and text, bokmål and nynorsk (tests/data/other-regions/), through the
real CLI: ingest, then `hfkg eval` on twenty questions of the kinds the hidden evaluation asks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def _hfkg(data: Path, *args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run(
        [sys.executable, "-m", "api.cli", "--data", str(data), *args],
        capture_output=True,
        text=True,
        timeout=600,
    )


def _evaluate(data: Path, folder: str) -> tuple[list[dict], dict]:  # type: ignore[type-arg]
    ingest = _hfkg(data, "ingest", str(DATA / folder), "--json")
    assert ingest.returncode == 0, ingest.stderr
    reports = [json.loads(line) for line in ingest.stdout.splitlines()]
    result = _hfkg(data, "eval", str(DATA / f"{folder}-questions.json"), "--json")
    assert result.returncode == 0, result.stderr
    return reports, json.loads(result.stdout)


def test_other_regions_are_answered_with_evidence(tmp_path: Path) -> None:
    reports, report = _evaluate(tmp_path / "data", "other-regions")
    assert {r["status"] for r in reports} == {"ingested"}
    titles = {t for r in reports for t in r["titles"]}
    assert {
        "Referat SSU 12.03.2024",
        "Referat SSU 07.02.2024",
        "Årsmelding 2023",
        "Referat FSU 23.04.2024",
    } <= titles
    summary = report["overall"]
    failing = {q["id"]: q for q in report["questions"] if q["recall"] < 1 or q["forbidden"]}
    assert summary["recall"] >= 0.9 and summary["precision"] >= 0.9, failing
    assert summary["evidence_rate"] == 1.0
    assert not any(q["forbidden"] for q in report["questions"]), failing


def test_a_second_set_of_regions_holds_its_measured_floor(tmp_path: Path) -> None:
    """Plans with bordered tables whose cells wrap, slides and attendance tables (other-regions-2): what
    works is kept (measured 0.78 / 0.76 with 2 forbidden answers when this test was written; blind, before its
    rules: 0.38 / 0.34 with 11; 0.90 / 0.88 with 2 once answers were read from the text too)."""
    reports, report = _evaluate(tmp_path / "data", "other-regions-2")
    assert {r["status"] for r in reports} == {"ingested"}
    summary = report["overall"]
    assert summary["recall"] >= 0.85 and summary["precision"] >= 0.85 and summary["forbidden"] <= 2, summary
    assert summary["evidence_rate"] == 1.0
    passed = {q["id"] for q in report["questions"] if q["recall"] == 1.0 and not q["forbidden"]}
    assert {
        "fonna-chair-nn",
        "osu-referent",
        "fonna-referent-nn",
        "fonna-forfall-nn",
        "ahus-fsu",
        "fonna-fsu-nn",
        "dsu-follo-en",
        "vest-telemarkradet",
        "ahus-members",
    } <= passed


def test_a_third_set_written_blind_holds_its_first_figure(tmp_path: Path) -> None:
    """Eight web pages of eight more regions, written blind (other-regions-3): 0.23 / 0.26 with the graph
    answers alone (commit 906b14a); 0.50 / 0.49 at the first run of answers read from the text, before any
    rule was made for them. A floor, so that what the reader generalises to is not lost."""
    reports, report = _evaluate(tmp_path / "data", "other-regions-3")
    assert {r["status"] for r in reports} == {"ingested"}
    summary = report["overall"]
    assert summary["recall"] >= 0.45 and summary["precision"] >= 0.45, summary
    assert summary["evidence_rate"] == 1.0


def test_a_sixth_set_written_blind_holds_its_first_figure(tmp_path: Path) -> None:
    """Eight pages of eight more regions, written blind (other-regions-6): 0.75 / 0.70 at its first run
    (commit 98e6678), before any rule was made for it. A floor, as for the third set."""
    reports, report = _evaluate(tmp_path / "data", "other-regions-6")
    assert {r["status"] for r in reports} == {"ingested"}
    summary = report["overall"]
    assert summary["recall"] >= 0.7 and summary["precision"] >= 0.65, summary
    assert summary["evidence_rate"] == 1.0

"""Four more helsefellesskap, in PDF and text, bokmål and nynorsk (tests/data/other-regions/), through the
real CLI: ingest, then `hfkg eval` on twenty questions of the kinds the hidden evaluation asks."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

DATA = Path(__file__).resolve().parents[1] / "data"


def _hfkg(data: Path, *args: str) -> subprocess.CompletedProcess:  # type: ignore[type-arg]
    return subprocess.run([sys.executable, "-m", "api.cli", "--data", str(data), *args], capture_output=True,
                          text=True, timeout=600)


def test_other_regions_are_answered_with_evidence(tmp_path: Path) -> None:
    data = tmp_path / "data"
    ingest = _hfkg(data, "ingest", str(DATA / "other-regions"), "--json")
    assert ingest.returncode == 0, ingest.stderr
    reports = [json.loads(line) for line in ingest.stdout.splitlines()]
    assert {r["status"] for r in reports} == {"ingested"}
    titles = {t for r in reports for t in r["titles"]}
    assert {"Referat SSU 12.03.2024", "Referat SSU 07.02.2024", "Årsmelding 2023", "Referat FSU 23.04.2024"} <= titles
    result = _hfkg(data, "eval", str(DATA / "other-regions-questions.json"), "--json")
    assert result.returncode == 0, result.stderr
    report = json.loads(result.stdout)
    summary = report["overall"]
    failing = {q["id"]: q for q in report.get("questions", []) if q.get("recall", 1) < 1 or q.get("forbidden")}
    assert summary["recall"] >= 0.9 and summary["precision"] >= 0.9, failing
    assert summary["evidence_rate"] == 1.0
    assert not any(q.get("forbidden") for q in report.get("questions", [])), failing

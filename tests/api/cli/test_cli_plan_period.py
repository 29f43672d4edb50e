"""The CLI says a plan's period and adoption: `hfkg document ID` prints them, `hfkg documents` shows a plan
under the years it covers (2023–2024), and `hfkg search` gives a plan's hit its period, not a first year."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from api.cli import main

VESTFOLD_PLAN = "d55e08002c93a7eb"  # Handlingsplan 2023, adopted 07.10.2022 by Partnerskapsmøte
OSTFOLD_PLAN = "18a91a857807f2a9"  # Handlingsplan 2023–2024


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 0
    return capsys.readouterr().out


def test_document_prints_period_and_adoption(corpus_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(corpus_data)]
    vestfold = _run(["document", VESTFOLD_PLAN, *data], capsys)
    assert "Periode: 2023" in vestfold and "Vedtatt: 2022-10-07 av Partnerskapsmøte" in vestfold, vestfold
    ostfold = _run(["document", OSTFOLD_PLAN, *data], capsys)
    assert "Periode: 2023–2024" in ostfold and "Vedtatt" not in ostfold, ostfold
    report = _run(["document", "500c5cde7cd2a72f", *data], capsys)  # Årsmelding 2023, dated 29.02.2024
    assert "Periode: 2023" in report and "2024-02-29" in report, report
    minutes = _run(["document", "e935b2cb505dacc7", *data], capsys)  # Referat SSU 23.11.2023
    assert "Periode" not in minutes and "2023-11-23" in minutes


def test_documents_shows_a_plans_years(corpus_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    lines = _run(["documents", "--data", str(corpus_data)], capsys).splitlines()
    rows = {line.split()[0]: line for line in lines if line.strip()}
    assert re.search(
        r"handlingsplan\s+2023–2024\s+Handlingsplan for Helsefelleskapet Østfold", rows[OSTFOLD_PLAN]
    )
    # the plan for 2023, not its adoption date 2022-10-07
    assert re.search(r"handlingsplan\s+2023\s+Handlingsplan 2023", rows[VESTFOLD_PLAN]), rows[VESTFOLD_PLAN]
    assert "2023-11-23" in rows["e935b2cb505dacc7"]
    # an annual report for 2023 keeps the date it was written: that is no adoption
    assert re.search(r"årsmelding\s+2024-02-29\s+Årsmelding 2023", rows["500c5cde7cd2a72f"])


def test_search_gives_a_plans_hit_its_period(corpus_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = _run(
        ["search", "handlingsplan", "--type", "handlingsplan", "--limit", "50", "--data", str(corpus_data)],
        capsys,
    )
    assert f"  {OSTFOLD_PLAN} · handlingsplan · 2023–2024 · s. " in text, text
    # the plan for 2023 and the day it was adopted, said to be that (it was a bare 2022-10-07)
    assert f"  {VESTFOLD_PLAN} · handlingsplan · 2023 · vedtatt 2022-10-07 · s. " in text, text

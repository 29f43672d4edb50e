"""`hfkg search` on the bundled corpus: the doc_id of each hit, the same total on every page, sorting,
a date range and grouping by document."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from api.cli import main


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    assert main(args) == 0
    return capsys.readouterr().out


def test_search_prints_doc_ids_and_counts(corpus_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(corpus_data)]
    text = _run(["search", "skrøpelige eldre", *data], capsys)
    first = re.match(r"(\d+) treff \(passasjer\) i (\d+) dokumenter", text)
    assert first, text
    doc_ids = {d["doc_id"] for d in json.loads(_run(["documents", "--json", *data], capsys))}
    shown = set(re.findall(r"^  ([0-9a-f]{16}) · ", text, re.M))
    assert shown and shown <= doc_ids
    # Marked words as a terminal shows them (plain in a pipe), no markup: "<mark>" or "*word*".
    assert "<mark>" not in text and not re.search(r"\*\w", text), text
    later = _run(["search", "skrøpelige eldre", "--offset", "15", *data], capsys)
    assert later.splitlines()[0] == text.splitlines()[0]  # the same total on page 2
    few, many = (
        json.loads(
            _run(["search", "fagutvalg for fastleger", "--decisions", "--limit", n, "--json", *data], capsys)
        )
        for n in ("3", "10")
    )
    assert few["total"] == many["total"] and few["facets"] == many["facets"]


def test_search_sort_dates_and_groups(corpus_data: Path, capsys: pytest.CaptureFixture[str]) -> None:
    data = ["--data", str(corpus_data)]
    args = ["search", "fagutvalg", "--sort", "date", "--from", "2023-01-01", "--limit", "50", "--json", *data]
    found = json.loads(_run(args, capsys))
    dates = [h["date"] for h in found["hits"] if h["match"] == "all"]
    assert found["sort"] == "newest" and dates == sorted(dates, reverse=True)
    assert all(h["date"] >= "2023-01-01" for h in found["hits"])
    grouped = _run(["search", "skrøpelige eldre", "--group", "--limit", "2", *data], capsys)
    assert re.search(r"^\S.*  \[[0-9a-f]{16}\]$", grouped, re.M), grouped
    assert "flere i dette dokumentet" in grouped

"""Reference data is read in one module: every file in ingest/data/ is opened by ingest/resources.py and
by no other module, so a fact (case-number formats, month names, committee heads) has one file and one
reader."""

from __future__ import annotations

import re
from pathlib import Path

from ingest import cases, resources

ROOT = Path(__file__).resolve().parents[2]
DATA = ROOT / "ingest" / "data"
PACKAGES = ("kinds", "ingest", "graph", "search", "answers", "api", "bench", "scripts")


def test_every_data_file_is_read_by_the_resources_module_alone() -> None:
    reader = (ROOT / "ingest" / "resources.py").read_text(encoding="utf-8")
    names = sorted(p.name for p in DATA.iterdir() if p.is_file())
    assert names, DATA
    unread = [name for name in names if f'"{name}"' not in reader]
    assert not unread, f"data files resources.py does not read: {unread}"
    elsewhere = [
        f"{path.relative_to(ROOT)}: {name}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "ingest" / "resources.py"
        for name in names
        if re.search(rf"[\"']{re.escape(name)}[\"']", path.read_text(encoding="utf-8"))
    ]
    assert not elsewhere, elsewhere


def test_case_numbers_are_read_from_one_list_of_formats() -> None:
    formats = resources.meeting_vocabulary()
    assert formats["case_number_patterns"] and formats["case_mentions"] and formats["case_heading"]
    # The same formats serve a heading, a line that opens a case and a question naming one.
    assert cases.case_number("Sak 12/24 Budsjett") == ("12/24", "Budsjett")
    assert cases.case_heading().match("PS 5/2024 Barnekoordinator i kommunene")
    found = [p.search("Hva ble vedtatt i sak 2024.6 om samhandlingsdata?") for p in cases.case_mentions()]
    assert any(m and m.group() == "2024.6" for m in found)


def test_month_names_come_from_the_calendar() -> None:
    months = resources.months()
    assert months["februar"] == 2 and months["des"] == 12
    assert resources.month_names()[:3] == ["januar", "februar", "mars"]

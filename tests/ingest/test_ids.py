"""Entity ids are minted in one module (ingest/ids.py) and read back through it: no other module spells
an id's form ("committee/<community>/<slug>") itself, so a change of form cannot leave a copy behind."""

from __future__ import annotations

import re
from pathlib import Path

from ingest import ids
from kinds import registry

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("kinds", "ingest", "graph", "search", "answers", "api")


def test_no_module_but_ingest_ids_spells_an_id() -> None:
    types = "|".join(registry().types)
    spelled = re.compile(rf"""f["'](?:{types})/\{{""")
    found = [
        f"{path.relative_to(ROOT)}:{n}: {line.strip()}"
        for package in PACKAGES
        for path in sorted((ROOT / package).rglob("*.py"))
        if path != ROOT / "ingest" / "ids.py"
        for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if spelled.search(line)
    ]
    assert not found, found


def test_an_id_reads_back_as_its_type_and_local_part() -> None:
    committee = ids.working_group("agder", "fagutvalg", "Legevakt og øyeblikkelig hjelp")
    assert committee == "committee/agder/fagutvalg-legevakt-og-oyeblikkelig-hjelp"
    assert ids.type_of(committee) == "committee"
    assert ids.local_part(ids.health_community("vestfold")) == "vestfold"
    assert ids.decision("18a91a857807f2a9", "Sak 2024.6") == "decision/18a91a857807f2a9/sak-2024-6"

"""A file's parts and a document's passages at their smallest: no document is left without text that
search finds, so the three stores hold the same documents after an ingest.

Prompted by generated files that ended in a presentation's title line (bench/api.py's corpus); the
test texts are of other kinds and regions."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from api.cli import main
from ingest.model import Block
from ingest.normalise import normalise
from ingest.readers.text import text_to_raw
from ingest.segment.parts import split_parts

# Minutes of an Agder FSU meeting; then the cover of a plan, the attachment's first lines.
MINUTES = """Referat FSU Agder

Dato og sted: 14.03.2024, Kristiansand
Møteleder: Kari Nordmann
Referent: Ola Hansen

Sak 12/24 Felles kompetanseplan for helsepersonell
Saken ble drøftet. Samarbeidsutvalget slutter seg til planen, og ber sekretariatet følge opp arbeidet
med en felles plan for kompetanse i kommunene og ved Sørlandet sykehus.

Sak 13/24 Utskrivningsklare pasienter
Utvalget tok orienteringen om utskrivningsklare pasienter til orientering og ber om en ny sak i juni.
"""
COVER = "\nHANDLINGSPLAN 2025–2026\n\nHandlingsplan for Helsefellesskapet Agder 2025–2026\n"


def _blocks(text: str) -> list[Block]:
    return normalise(text_to_raw(text, source="x.txt", fmt="text"))


def test_a_cover_ending_a_file_stays_with_the_part_before_it() -> None:
    # The file leaves the plan out: the cover is all there is of it.
    parts = split_parts(_blocks(MINUTES + COVER))
    assert len(parts) == 1
    assert parts[0][-1].text == "Handlingsplan for Helsefellesskapet Agder 2025–2026"


def test_a_part_of_its_own_size_at_the_end_is_still_a_part() -> None:
    plan = (
        COVER
        + "\nHelsefellesskapet skal styrke tilbudet til skrøpelige eldre og barn og unge i alle kommunene. "
        * 5
    )
    parts = split_parts(_blocks(MINUTES + plan))
    assert len(parts) == 2
    assert parts[1][0].text == "HANDLINGSPLAN 2025–2026"


@pytest.mark.parametrize(
    "text",
    [
        "Årsmelding 2023 for Helsefellesskapet Telemark\n",  # a file that is only its title
        MINUTES + COVER,
    ],
)
def test_every_document_is_found_and_the_stores_agree(
    text: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "fil.txt").write_text(text, encoding="utf-8")
    monkeypatch.setenv("HFKG_DATA", str(tmp_path / "data"))
    assert main(["ingest", str(folder)]) == 0
    capsys.readouterr()
    assert main(["documents", "--json"]) == 0
    docs = json.loads(capsys.readouterr().out)
    assert len(docs) == 1
    assert main(["check"]) == 0
    assert "consistent" in capsys.readouterr().out
    title_words = text.strip().splitlines()[-1].split()[:2]
    assert main(["search", " ".join(title_words), "--json"]) == 0
    found = json.loads(capsys.readouterr().out)
    assert {hit["doc_id"] for hit in found["hits"]} == {docs[0]["doc_id"]}

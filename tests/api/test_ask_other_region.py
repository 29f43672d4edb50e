"""A hard-wrapped plan from another helsefellesskap (Agder): initiatives, pilots, members, committees."""

from __future__ import annotations

from pathlib import Path

import pytest

from answers import Answerer as Asker
from api.services import Services
from api.settings import Settings
from graph.queries import GraphQueries

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "agder-handlingsplan-hardwrapped.txt"


@pytest.fixture(scope="module")
def asker(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("agder")
    with Services(Settings(data_dir=data), write=True) as services:
        (report,) = list(services.ingestor().run([FIXTURE]))
        assert report.titles == ["Handlingsplan 2024–2025 – Helsefellesskapet i Agder"]
    with Services(Settings(data_dir=data)) as services:
        yield Asker(GraphQueries(services.graph), services.search, services.documents)


def _labels(response: dict) -> set[str]:
    return {a["label"] for a in response["answers"]}


def test_initiatives_pilots_and_participants(asker: Asker) -> None:
    assert _labels(asker.ask("Hvilke tiltak retter seg mot skrøpelige eldre?")) == {"Trygg heim"}
    assert _labels(asker.ask("Hvilke tiltak retter seg mot barn og unge?")) == {"Sammen for barna"}
    # "piloteres i Arendal og Grimstad i 2024, og skal spres til Lillesand": Lillesand is no pilot.
    assert _labels(asker.ask("Hvilke kommuner er pilot for Trygg heim?")) == {"Arendal", "Grimstad"}
    assert _labels(asker.ask("Hvilke kommuner deltar i Trygg heim?")) == {"Arendal", "Grimstad", "Lillesand"}
    assert _labels(asker.ask("Hvilken kommune er pilotkommune for Sammen for barna?")) == {"Kristiansand"}
    assert _labels(asker.ask("Hvem leder Trygg heim?")) == {"Hanne Berge"}


def test_members_from_a_county_phrase_and_committees(asker: Asker) -> None:
    members = _labels(asker.ask("Hvilke kommuner er med i Helsefellesskapet i Agder?"))
    assert len(members) == 25 and {"Arendal", "Kristiansand", "Bykle", "Sirdal"} <= members
    committees = _labels(asker.ask("Hvilke fagutvalg finnes i Helsefellesskapet i Agder?"))
    assert committees == {
        "Fagutvalg for barn og unge",
        "Fagutvalg for legevakt",
        "Fagutvalg for rehabilitering",
    }
    rop = _labels(
        asker.ask("Which initiatives address people with severe mental illness and substance use problems?")
    )
    assert rop == {"FACT-team", "Arbeidsgruppe for ROP-lidelser"}

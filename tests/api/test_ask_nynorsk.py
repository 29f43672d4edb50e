"""A nynorsk minutes document from another helsefellesskap, ingested for real and questioned."""

from __future__ import annotations

from pathlib import Path

import pytest

from answers import Answerer as Asker
from api.services import Services
from api.settings import Settings
from graph.queries import GraphQueries

FIXTURE = Path(__file__).resolve().parents[1] / "data" / "forde-ssu-referat-nynorsk.txt"


@pytest.fixture(scope="module")
def asker(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    data = tmp_path_factory.mktemp("nynorsk")
    with Services(Settings(data_dir=data), write=True) as services:
        assert [r.status for r in services.ingestor().run([FIXTURE])] == ["ingested"]
    with Services(Settings(data_dir=data)) as services:
        yield Asker(GraphQueries(services.graph), services.search, services.documents)


def _labels(response: dict) -> set[str]:
    return {a["label"] for a in response["answers"]}


def test_nynorsk_questions_on_a_nynorsk_document(asker: Asker) -> None:
    assert _labels(asker.ask("Kva tiltak rettar seg mot skrøpelege eldre?")) == {"Heim til rett tid"}
    assert _labels(asker.ask("Kva kommunar deltek i Heim til rett tid?")) == {"Sunnfjord", "Kinn"}
    assert _labels(asker.ask("Kven var møteleiar for SSU-møtet 12.03.2024?")) == {"Kari Nesbø"}
    assert _labels(asker.ask("Kven leiar Saman for born?")) == {"Marit Fjelde"}
    assert _labels(asker.ask("Kva fagutval finst i Helse Førde?")) == {"Fagutvalg for legevakt"}


def test_english_and_bokmal_questions_find_nynorsk_answers(asker: Asker) -> None:
    assert _labels(asker.ask("Which initiatives address children and young people?")) == {"Saman for born"}
    assert _labels(asker.ask("Hvilken kommune er pilotkommune for Saman for born?")) == {"Sogndal"}

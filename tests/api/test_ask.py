"""Plain questions in bokmål, nynorsk and English, answered from the real graph with evidence."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from answers import Answerer as Asker
from api.cli.scoring import score
from graph.queries import GraphQueries

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "eval_questions.json"


@pytest.fixture(scope="module")
def asker(corpus_services) -> Asker:  # type: ignore[no-untyped-def]
    return Asker(GraphQueries(corpus_services.graph), corpus_services.search, corpus_services.documents)


def _labels(response: dict) -> set[str]:
    return {a["label"] for a in response["answers"]}


@pytest.mark.parametrize(
    "question",
    [
        "Hvilke tiltak retter seg mot skrøpelige eldre?",
        "Kva tiltak rettar seg mot skrøpelege eldre?",
        "Which initiatives address frail elderly people?",
    ],
)
def test_initiatives_for_frail_elderly_in_three_languages(asker: Asker, question: str) -> None:
    response = asker.ask(question)
    assert response["plan"]["asks"] == "initiative"
    assert {a["method"] for a in response["answers"]} == {"graph:initiatives_for_group"}
    assert {"Vitality", "Digital hjemmeoppfølging", "Hva er innafor"} <= _labels(response)
    assert not _labels(response) & {"Ung Arena+", "FACT ung"}
    assert all(a["evidence"] and a["evidence"][0]["text"] for a in response["answers"])


def test_municipalities_pilot_and_chair(asker: Asker) -> None:
    assert _labels(asker.ask("Hvilke kommuner deltar i Vitality?")) == {
        "Larvik",
        "Sandefjord",
        "Horten",
        "Færder",
        "Tønsberg",
        "Holmestrand",
    }
    assert _labels(asker.ask("Which municipality piloted UngArena+?")) == {"Tønsberg"}
    chair = asker.ask("Hvem var møteleder for SSU-møtet 29.02.24 i Vestfold?")
    assert _labels(chair) == {"Guro Winsvold"}
    assert chair["answers"][0]["evidence"][0]["title"] == "Innkalling SSU 29.02.2024"
    assert _labels(asker.ask("Kven var referent på SSU-møtet 23.11.2023?")) == {"Runar Danielsen"}
    assert _labels(asker.ask("Hvem leder Vitality?")) == {"Marthe Wang-Hansen"}


def test_decisions_and_timeline(asker: Asker) -> None:
    decided = asker.ask("Hva ble vedtatt om fagutvalg for fastleger?")
    assert decided["plan"]["asks"] == "decision"
    assert decided["answers"][0]["method"] == "graph:decisions"
    assert any(a["label"].startswith("Sak 2023.42") for a in decided["answers"][:3])
    timeline = asker.ask("Tidslinje for Ung Arena+")
    (answer,) = timeline["answers"]
    years = [e["year"] for e in answer["evidence"]]
    assert answer["label"] == "Ung Arena+" and years == sorted(years) and len(years) >= 3


def test_a_question_it_cannot_read_falls_back_to_search(asker: Asker) -> None:
    response = asker.ask("mobil røntgen")
    assert response["answers"] == []
    assert (
        response["hits"] and response["interpretation"] == "ikke et spørsmål, søketreff for «mobil røntgen»"
    )


def test_eval_questions_meet_the_bar(asker: Asker) -> None:
    report = score(json.loads(QUESTIONS.read_text(encoding="utf-8")), asker.ask)
    overall = report["overall"]
    assert overall["recall"] >= 0.9 and overall["precision"] >= 0.8, report
    assert overall["evidence_rate"] == 1.0 and overall["forbidden"] == 0

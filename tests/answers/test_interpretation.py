"""The interpretation of a question, in plain bokmål: the registry's words, no developer's names."""

from __future__ import annotations

import re

from answers.interpretation import interpretation
from answers.plan import Anchor, Part, Plan

DEVELOPER = re.compile(r"intent=|[a-z]+_[a-z]+|\b(?:involves|addresses|partOf|pilotedIn)\b|not understood")


def test_a_plural_question_reads_like_the_question() -> None:
    plan = Plan(
        "Hvilke tiltak retter seg mot skrøpelige eldre?",
        parts=[Part("initiative", plural=True, predicates=["addresses"])],
        anchors=[Anchor("patient_group/skropelige-eldre", "patient_group", "Skrøpelige eldre")],
        content_words=["tiltak", "skrøpelige", "eldre"],
    )
    said = interpretation(plan, "graph")
    assert said.startswith("hvilke tiltak retter seg mot Skrøpelige eldre (pasientgruppe)")
    assert said.endswith("· svar fra kunnskapsgrafen") and not DEVELOPER.search(said)


def test_the_asked_kind_reads_the_relation_from_its_own_side() -> None:
    plan = Plan(
        "Hvilke kommuner deltar i Vitality?",
        parts=[Part("municipality", plural=True, predicates=["involves"])],
        anchors=[Anchor("initiative/vestfold/vitality", "initiative", "Vitality")],
        years=[2023],
    )
    said = interpretation(plan, None)
    assert said == "hvilke kommuner deltar i Vitality (tiltak) i 2023"


def test_no_question_is_said_plainly() -> None:
    plan = Plan("mobil røntgen", content_words=["mobil", "røntgen"])
    assert interpretation(plan, None) == "ikke et spørsmål, søketreff for «mobil røntgen»"

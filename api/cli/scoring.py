"""QA scoring for `hfkg eval`: a questions file (shaped like shared/eval/questions.json) against our answers.

Per question: recall (expected answers found), precision (answers that are expected or also_ok),
evidence rate (answers with evidence), and any forbidden answer. An answer matches a spelling as
shared/eval/score.py (the scorer of the hidden evaluations) matches it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable
from typing import Any

# The scorer the hidden evaluations use (shared/eval/score.py) compares labels this way; ours must
# not be kinder than it: punctuation and a few generic words are ignored, and a spelling or label
# counts as part of the other only from four characters on.
_PUNCTUATION = re.compile(r"[«»\"'“”()\[\],.:;!?]")
_GENERIC = re.compile(
    r"\b(prosjektet|prosjekt|kommune|kommunane|tiltaket|samhandlings- og utviklingsprosjektet)\b"
)


def _norm(text: str) -> str:
    text = _GENERIC.sub(" ", _PUNCTUATION.sub(" ", unicodedata.normalize("NFC", text).casefold()))
    return re.sub(r"[\s\-–]+", " ", text).strip()


def _matches(label: str, spellings: list[str]) -> bool:
    label = _norm(label)
    for spelling in spellings:
        spelling = _norm(spelling)
        if spelling and (
            spelling == label
            or (len(spelling) >= 4 and spelling in label)
            or (len(label) >= 4 and label in spelling)
        ):
            return True
    return False


def score(questions: dict[str, Any], ask: Callable[[str], dict[str, Any]]) -> dict[str, Any]:
    """Every question of ``questions`` asked, scored, and the scores averaged."""
    results = [score_answers(item, ask(item["ask"])) for item in questions.get("questions", [])]
    n = len(results) or 1
    overall = {
        "questions": len(results),
        "recall": round(sum(r["recall"] for r in results) / n, 3),
        "precision": round(sum(r["precision"] for r in results) / n, 3),
        "evidence_rate": round(sum(r["evidence_rate"] for r in results) / n, 3),
        "forbidden": sum(len(r["forbidden"]) for r in results),
    }
    return {"overall": overall, "questions": results}


def score_answers(item: dict[str, Any], response: dict[str, Any]) -> dict[str, Any]:
    """One question's answers (an /ask response) against what it expects, also accepts and forbids."""
    answers = response["answers"]
    labels = [a["label"] for a in answers]
    expected = item.get("expect", [])
    found = [spellings[0] for spellings in expected if any(_matches(label, spellings) for label in labels)]
    good = [label for label in labels if any(_matches(label, s) for s in expected + item.get("also_ok", []))]
    return {
        "id": item.get("id"),
        "question": item["ask"],
        "interpretation": response["interpretation"],
        "recall": len(found) / len(expected) if expected else 1.0,
        "precision": len(good) / len(labels) if labels else (1.0 if not expected else 0.0),
        "evidence_rate": _evidence_rate(answers),
        "missing": [s[0] for s in expected if s[0] not in found],
        "unexpected": [label for label in labels if label not in good],
        "forbidden": [label for label in labels if any(_matches(label, s) for s in item.get("forbid", []))],
        "answers": labels,
    }


def _evidence_rate(answers: list[dict[str, Any]]) -> float:
    """The share of answers whose every piece of evidence names its document and quotes its text."""
    if not answers:
        return 1.0
    with_evidence = [
        a
        for a in answers
        if a.get("evidence") and all(e.get("doc_id") and e.get("text") for e in a["evidence"])
    ]
    return len(with_evidence) / len(answers)

"""Where a candidate answer stands against the question's relation words: near one of them higher
("Arne Skogsbakken (leder)", "Leder: X"), the question's own word more than another of its relation,
less after a word of a narrower relation ("nestleder") or in a sentence that says no."""

from __future__ import annotations

import re

from answers.lines import is_label
from answers.plan import WORD, reading_data, stems
from answers.units import Candidate

OWN_WORD = 4.0  # nearness to the question's own relation word ("møteleiar" before a name)
OTHER_WORD = 2.0  # nearness to a relation word, where the question names none of its own
RELATED_WORD = 1.4  # ... and where it does, to another word of its relation
OTHER_OBJECT = 0.3  # nearness to a relation word that is of something the question does not name
REACH = 80.0  # characters over which nearness falls to nothing
UNDER_LABEL = 2.0  # the value right under a label that is a relation word ("Leder:" / a name)
IN_CONTEXT = 0.8  # a relation word in the line before or the heading over the unit
_OF = re.compile(r"\s+(?:av|for|i|of|in|ved)\s+(?:the\s+|det\s+|den\s+)?([A-ZÆØÅ][\wæøåÆØÅ-]*)")


def proximity(
    candidate: Candidate,
    relation: set[str],
    asked: set[str],
    question: set[str],
    asked_words: list[str],
) -> float:
    """Closer to a relation word in its unit, higher: "Arne Skogsbakken (leder)", "Leder: X". The
    question's own word ("prosjektleder") counts more than another word of its relation ("ledet")."""
    if not relation:
        return 0.0
    return _in_unit(candidate, relation, asked, question, asked_words) or _in_context(candidate, relation)


def _in_unit(
    candidate: Candidate, relation: set[str], asked: set[str], question: set[str], asked_words: list[str]
) -> float:
    text = candidate.unit.text
    best = 0.0
    for match in WORD.finditer(text):
        terms = set(stems(match.group()))
        if not terms or not terms & relation:
            continue
        if match.start() >= candidate.start and match.end() <= candidate.end:
            continue
        gap = (
            candidate.start - match.end() if match.end() <= candidate.start else match.start() - candidate.end
        )
        own = terms & asked or _inflects(match.group().lower(), asked_words)
        weight = OWN_WORD if own else (OTHER_WORD if not asked else RELATED_WORD)
        if question and _of_something_else(text, match.end(), candidate, question):
            weight *= OTHER_OBJECT  # "leder av SSU, X" answers no question about the partnerskapsmøte
        best = max(best, weight * max(0.0, 1.0 - max(gap, 0) / REACH))
    return best


def _in_context(candidate: Candidate, relation: set[str]) -> float:
    """No relation word in the unit: one in the label over it, the line before it or its heading."""
    prev, _nxt, heading = candidate.unit.context
    if is_label(prev) and set(stems(prev)) & relation and candidate.start < 5:
        return UNDER_LABEL
    if set(stems(prev)) & relation or set(stems(heading)) & relation:
        return IN_CONTEXT
    return 0.0


def _of_something_else(text: str, at: int, candidate: Candidate, question: set[str]) -> bool:
    """A relation word followed by what it is of ("leder av SSU", "chair of the FSU"), that being a
    name the question does not use, and not the candidate itself ("ledes av Sverre Haugom")."""
    match = _OF.match(text, at)
    if not match or candidate.start <= match.start(1) < candidate.end:
        return False
    return match.group(1).lower() not in question


def _inflects(word: str, asked: list[str]) -> bool:
    """Another form of the question's own word: "ledes"/"ledet" for "leder", "leia" for "leiar"."""
    return len(word) >= 4 and any(
        len(a) >= 4 and word[: max(4, len(a) - 3)] == a[: max(4, len(a) - 3)] and abs(len(word) - len(a)) <= 3
        for a in asked
    )


def just_before(candidate: Candidate, terms: set[str]) -> bool:
    """One of ``terms`` stands in the few words before the candidate (or is the label it stands under)."""
    before = candidate.unit.text[max(0, candidate.start - 40) : candidate.start]
    words = WORD.findall(before)[-4:]
    label = candidate.unit.label if candidate.start < 5 else ""
    return any(set(stems(w)) & terms for w in words) or bool(set(stems(label)) & terms)


def negated(text: str) -> bool:
    """The text says no ("ikkje med", "not part of")."""
    words = {w.lower() for w in WORD.findall(text)}
    lowered = text.lower()
    return any((n in words) if " " not in n else (n in lowered) for n in reading_data()["negations"])


def opens_with_anaphor(text: str) -> bool:
    """The text goes on from the one before it ("Disse kommunene …")."""
    first = WORD.match(text.strip())
    return first is not None and first.group().lower() in reading_data()["anaphors"]

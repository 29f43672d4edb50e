"""The final cut: of the candidates, the answers (one a label, near the best; a list question keeps
its list; "the first meeting" the first in time), the unit of text that answers where no kind fits,
and the quote each answer shows as its evidence."""

from __future__ import annotations

import re
from typing import Any

from answers.lines import clean, is_label, opens_with
from answers.plan import Part, stems
from answers.units import Candidate, Unit
from answers.weights import relation_stems

LIST_TOGETHER = 0.4  # the best answer's own list keeps those of its kind that score this much of it ...
LIST_ELSEWHERE = 0.85  # ... other units those that score this much
LIST_MOST = 30
TIED = 0.99  # one answer asked for: those this close to the best are tied with it
TIED_MOST = 3
UNDER_LABEL = 0.5  # ... and the rest of the list under the best one's label that scores this much
ORDERED = 0.5  # "the first meeting": the dates of the best document that score this much of the best
CLOSE_TEXT = 0.85  # text answers this close to the best one are near equals ...
CLOSE_TEXTS = 6  # ... of which this many are looked at
LONG_TEXT = 300
QUOTE = 120  # characters of the passage quoted on either side of the unit
HEADING_QUOTE = 200  # characters of the passage quoted under a heading


def cut(candidates: list[Candidate], part: Part) -> list[Candidate]:
    """The best answers: near the best one, one per label; a list question keeps its list."""
    ranked = _one_a_label(candidates)
    if not ranked:
        return []
    return _the_list(ranked) if part.plural else _the_one(ranked, part)


def _one_a_label(candidates: list[Candidate]) -> list[Candidate]:
    """The best candidate of each label (a label inside another one's is the same), the best first."""
    merged: dict[str, Candidate] = {}
    for candidate in sorted(candidates, key=lambda c: -c.score):
        key = re.sub(r"\W+", " ", candidate.label.lower()).strip()
        if not key:
            continue
        same = next(
            (k for k in merged if key == k or (len(key) > 4 and (key in k.split() or k in key))), None
        )
        if same is None:
            merged[key] = candidate
    return sorted(merged.values(), key=lambda c: -c.score)


def _the_list(ranked: list[Candidate]) -> list[Candidate]:
    """The best answer's own unit is one list: all of its kind there belong together; other
    units add theirs only when they score nearly as well."""
    best = ranked[0]
    unit_of = {(c.unit.passage.passage_id, c.unit.start) for c in ranked[:1]}
    keep = [
        c
        for c in ranked
        if ((c.unit.passage.passage_id, c.unit.start) in unit_of and c.score >= LIST_TOGETHER * best.score)
        or c.score >= LIST_ELSEWHERE * best.score
    ]
    return keep[:LIST_MOST]


def _the_one(ranked: list[Candidate], part: Part) -> list[Candidate]:
    """One answer asked for: the best, and those tied with it (two names under one heading); where
    the best stands in a list under a label ("Forfall:" and a name a line), that list."""
    best = ranked[0]
    keep = [c for c in ranked if c.score >= TIED * best.score][:TIED_MOST]
    label = best.unit.label
    if label and is_label(label) and set(stems(label)) & relation_stems(part, first=True):
        keep += [c for c in ranked if c not in keep and _listed_with(c, best)]
    return keep


def _listed_with(candidate: Candidate, best: Candidate) -> bool:
    """Another line of the list under the best one's label, not a field of its own ("Leder: X")."""
    return (
        candidate.unit.label == best.unit.label
        and candidate.type == best.type
        and candidate.unit is not best.unit
        and not opens_with(candidate.unit.text, best.unit.label)
        and candidate.unit.passage.passage_id == best.unit.passage.passage_id
        and candidate.score >= UNDER_LABEL * best.score
    )


def by_order(candidates: list[Candidate], ordinal: int) -> list[Candidate]:
    """ "Det første møtet", "the last meeting in 2024": of the dates the best document gives near the
    question's words, the first or the last in time."""
    if not candidates:
        return []
    best = max(candidates, key=lambda c: c.score)
    dated = [
        c
        for c in candidates
        if c.unit.doc.doc_id == best.unit.doc.doc_id
        and c.score >= ORDERED * best.score
        and c.detail.get("value")
    ]
    if len(dated) < 2:
        return candidates
    ordered = sorted(dated, key=_when)
    chosen = ordered[0] if ordinal > 0 else ordered[-1]
    chosen.score = best.score + 0.01
    return candidates


def _when(candidate: Candidate) -> str:
    """A date's value; a date without its year ("18. april") takes the nearest year its unit names,
    else its document's year."""
    value: str = candidate.detail["value"]
    if not value.startswith("0000"):
        return value
    years = [
        (abs(m.start() - candidate.start), m.group())
        for m in re.finditer(r"(?<!\d)(?:19|20)\d\d(?!\d)", candidate.unit.text)
    ]
    year = min(years)[1] if years else str(candidate.unit.doc.year or "0000")
    return year + value[4:]


def text_answers(part: Part, units: list[Unit]) -> list[Candidate]:
    """The unit that answers when no kind fits: the best scored, the shortest of near equals;
    a list item brings its list."""
    ranked = sorted((u for u in units if u.score > 0), key=lambda u: -u.score)
    if not ranked:
        return []
    best = ranked[0].score
    close = [u for u in ranked if u.score >= CLOSE_TEXT * best][:CLOSE_TEXTS]
    chosen = min(close, key=lambda u: (len(u.text) > LONG_TEXT, -u.score, len(u.text)))
    if part.plural and chosen.passage.kind == "list":
        siblings = [u for u in units if u.passage.passage_id == chosen.passage.passage_id]
        return [Candidate(clean(u.text), "text", u.score, u, 0, len(u.text)) for u in siblings]
    return [Candidate(clean(chosen.text), "text", chosen.score, chosen, 0, len(chosen.text))]


def evidence(candidate: Candidate) -> dict[str, Any]:
    """The passage around the answer's unit, in whole words, and where it stands."""
    unit = candidate.unit
    text = unit.passage.text
    lo = max(0, unit.start - QUOTE)
    hi = min(len(text), unit.start + len(unit.text) + QUOTE)
    # Whole words at both ends of the quote.
    if lo > 0:
        space = text.find(" ", lo, unit.start)
        lo = space + 1 if space >= 0 else unit.start
    if hi < len(text):
        space = text.rfind(" ", unit.start + len(unit.text), hi)
        hi = space if space >= 0 else unit.start + len(unit.text)
    shown = text[lo:hi].strip()
    if unit.heading:
        shown = unit.text + "\n" + text[:HEADING_QUOTE].strip()
    return {
        "doc_id": unit.doc.doc_id,
        "title": unit.doc.title,
        "page": unit.passage.page,
        "passage_id": unit.passage.passage_id,
        "text": shown,
        "method": "reading",
        "date": unit.doc.date,
        "year": unit.doc.year,
    }

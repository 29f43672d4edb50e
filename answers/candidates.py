"""Candidate answers of the asked kind read out of the scored units: the graph's mentions in them,
the cell of a plan table's row under the column that names the kind, and the spans the span finders
find (:mod:`answers.spans`); each then weighed by where it stands (:mod:`answers.nearness`), the
column it stands in and what its sentence says."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

from answers import spans as span_finders
from answers.nearness import just_before, negated, opens_with_anaphor, proximity
from answers.plan import WORD, Part, Plan, reading_data, stems
from answers.spans import Span
from answers.units import Candidate, Unit
from answers.weights import asked_noun_stems, factor, named_noun_stems, narrower_stems, relation_stems, weigh
from kinds import registry

ROW_SHARE = 0.3  # what a span of a row of many on one line keeps of its unit's score
PERSON_FIRST = 0.5  # "who" asks for a person first
NAMED_THING = 2.0  # "Hva kalles modellen …": the unit that says what is a model
COUNTS_THE_NOUN = 2.0  # a number followed by the noun the question counts ...
COUNTS_ANOTHER = -1.0  # ... or by another one
IN_ITS_COLUMN = 2.0  # the cell under "Ansvarlig", "Frist", "Leder" when the question asks for that
UNDER_NARROWER = 0.5  # "the deputy chair is X" answers no question about the chair
NEGATED = 0.4  # "Vestnes og Rauma ... er difor ikkje med"
OTHER_YEAR = 0.3  # a figure the text gives for another year than the question asks ("fra 3 870 i 2023 til …")
BOUND_YEAR_CHARS = 120  # how far after a figure the year it is given for may stand
_YEAR = re.compile(r"(?<![\d/.,])(?:19|20)\d\d(?![\d/]|,\d)")
# Another figure: digit groups ("4 312"), or two digits and more that are no year; an ordinal
# ("1. kvartal") is none.
_FIGURE = re.compile(r"(?<![\w.,])(?:\d{1,3}(?:[ \u00a0]\d{3})+|\d{2,})(?!\d|[.,]\d)")
PEOPLE_OVER = 0.5  # an organisation answers "who" only where the best person scores under this of it
_CELL_NAME = re.compile(r"\s[–-]\s|:\s")


@dataclass
class Asked:
    """What one part of the question asks, as reading a unit needs it: worked out once a part."""

    kind: str
    relation: set[str]  # stems of its relations' words
    own_relation: set[str]  # stems of the relation words the question itself uses
    relation_words: list[str]  # those words, one word each
    narrower: set[str]  # stems of the words of narrower relations
    kind_words: set[str]  # stems of the words that ask for the kind
    years: set[str]
    question: str  # lower case
    question_words: set[str]
    anchors: set[str]  # the names of what the question is about, lower case
    counted: set[str]  # stems of the noun a count asks for
    named: set[str]  # stems of the noun a naming question asks the name of
    weights: dict[str, float]
    best_unit: float

    @classmethod
    def of(cls, plan: Plan, part: Part, units: list[Unit], weights: dict[str, float]) -> Asked:
        kind = registry().types.get(part.asks) or registry().values.get(part.asks)
        return cls(
            kind=part.asks,
            relation=relation_stems(part),
            own_relation={t for w in part.relation_words for t in stems(w)},
            relation_words=[w.lower() for w in part.relation_words if " " not in w],
            narrower=narrower_stems(part),
            kind_words={t for w in (kind.asked_by if kind else ()) for t in stems(w)},
            years={str(y) for y in plan.years},
            question=plan.question.lower(),
            question_words={w.lower() for w in WORD.findall(plan.question)},
            anchors={a.name.lower() for a in plan.anchors},
            counted=asked_noun_stems(part),
            named=named_noun_stems(part),
            weights=weights,
            best_unit=max((u.score for u in units), default=1.0) or 1.0,
        )

    def names(self, candidate: Candidate) -> bool:
        """What the question names is not its answer."""
        low = candidate.label.lower()
        return low in self.anchors or (
            len(low) > 2 and re.search(rf"(?<![\wæøå]){re.escape(low)}(?![\wæøå])", self.question) is not None
        )


def candidates(
    plan: Plan,
    part: Part,
    units: list[Unit],
    *,
    entity_types: tuple[str, ...],
    span_kinds: tuple[str, ...],
    weights: dict[str, float],
) -> list[Candidate]:
    """The candidate answers in the units: of ``entity_types`` from the graph's mentions (and plan
    tables), of ``span_kinds`` from the span finders."""
    asked = Asked.of(plan, part, units, weights)
    found: list[Candidate] = []
    for unit in units:
        if unit.score <= 0:
            continue
        if entity_types:
            found += _mentioned(unit, entity_types) + _in_column(unit, asked)
        for kind in span_kinds:
            found += _spans(unit, kind, asked)
    out = [_weighed(candidate, asked) for candidate in found if not asked.names(candidate)]
    if asked.kind == "person":
        # Who asks for a person; an organisation answers it only where no person stands near as well.
        people = max((c.score for c in out if c.type == "person"), default=0.0)
        out = [c for c in out if c.type == "person" or people < PEOPLE_OVER * c.score]
    return out


def _mentioned(unit: Unit, entity_types: tuple[str, ...]) -> list[Candidate]:
    """The entities of those types the graph has mentioned in the unit."""
    if unit.heading or unit.indexed is None:
        return []
    lo, hi = unit.start, unit.start + len(unit.text)
    out = []
    for mention in unit.indexed.mentions.get(unit.passage.passage_id, ()):
        if not lo <= mention.start < hi:
            continue
        entity = unit.indexed.entities.get(mention.entity_id)
        if entity is None or entity.type not in entity_types:
            continue
        out.append(
            Candidate(
                entity.label, entity.type, unit.score, unit, mention.start - lo, mention.end - lo, entity.id
            )
        )
    return out


def _in_column(unit: Unit, asked: Asked) -> list[Candidate]:
    """A plan table's row names its thing in the column the question asks for ("Tiltak")."""
    out = []
    for start, end, header in unit.columns:
        if set(stems(header)) & asked.kind_words:
            name = _CELL_NAME.split(unit.text[start:end].strip())[0].strip()
            if 2 < len(name) <= 80:
                at = unit.text.index(name, start)
                out.append(Candidate(name, asked.kind, unit.score, unit, at, at + len(name)))
    return out


def _spans(unit: Unit, kind: str, asked: Asked) -> list[Candidate]:
    found = span_finders.FINDERS[kind](unit.text)
    # Many of a kind on one line (an agenda run together, a list of names): each is
    # scored by the words that follow it up to the next one, its own row.
    rows = len(found) >= 3 and kind in reading_data()["row_span_kinds"]
    out = []
    for n, span in enumerate(found):
        score = unit.score
        if rows:
            end = found[n + 1].start if n + 1 < len(found) else len(unit.text)
            own = weigh(stems(unit.text[span.start : end]), asked.weights)
            score = ROW_SHARE * unit.score + own * factor(unit.relevance)
        candidate = Candidate(span.label, kind, score, unit, span.start, span.end)
        if span.value:
            candidate.detail = {"value": span.value}
        _BY_KIND.get(kind, _as_found)(candidate, span, asked)
        out.append(candidate)
    return out


def _as_found(candidate: Candidate, span: Span, asked: Asked) -> None:
    return None


def _person(candidate: Candidate, span: Span, asked: Asked) -> None:
    candidate.score += PERSON_FIRST


def _name(candidate: Candidate, span: Span, asked: Asked) -> None:
    if asked.named and set(stems(candidate.unit.text)) & asked.named:
        candidate.score += NAMED_THING


def _number(candidate: Candidate, span: Span, asked: Asked) -> None:
    """A number counts what follows it ("25 kommuner"), or what its line names before it."""
    text = candidate.unit.text
    noun = span_finders.unit_after(text, span)
    after = stems(" ".join(WORD.findall(text[span.end : span.end + 40])[:3]))
    # A count that ends its line counts what the line names before it
    # ("Møter i LSU ........ 6", "Snåsa | 2 047" under "Innbyggere").
    if not text[span.end :].strip(" .|\t"):
        after += stems(text[: span.start]) + stems(column_of(candidate))
    if asked.counted and _counts(stems(noun) + after, asked.counted):
        candidate.score += COUNTS_THE_NOUN
    elif asked.counted:
        candidate.score += COUNTS_ANOTHER
    candidate.detail = {"phrase": text[span.start : span.end + len(noun) + 1].strip()}


# What a span of each kind gains from what the question asks (the others are taken as found).
_BY_KIND: dict[str, Callable[[Candidate, Span, Asked], None]] = {
    "person": _person,
    "name": _name,
    "number": _number,
}


def _counts(terms: list[str], nouns: set[str]) -> bool:
    """A number counts the asked noun when a word after it is that noun or a compound ending in it
    ("25 Agderkommunene" counts kommuner)."""
    return any(t == n or (len(n) >= 4 and t.endswith(n)) for t in terms for n in nouns)


def column_of(candidate: Candidate) -> str:
    """The header of the table column the candidate stands in."""
    return next((name for start, end, name in candidate.unit.columns if start <= candidate.start < end), "")


def _weighed(candidate: Candidate, asked: Asked) -> Candidate:
    """The candidate's score with where it stands: near a relation word, under a narrower one, in
    the column asked for, in a sentence that says no."""
    relevance = factor(candidate.unit.relevance)
    candidate.score += (
        proximity(candidate, asked.relation, asked.own_relation, asked.question_words, asked.relation_words)
        * relevance
    )
    if asked.narrower and just_before(candidate, asked.narrower):
        candidate.score *= UNDER_NARROWER
    column = column_of(candidate)
    if column and set(stems(column)) & (asked.relation | asked.kind_words | asked.years):
        # The cell under "Ansvarlig", "Frist", "Leder" is what the question asks of the row.
        # As much as the row is the one asked about (its own words against the best unit's).
        candidate.score += IN_ITS_COLUMN * relevance * min(1.0, candidate.unit.score / asked.best_unit) ** 2
    if asked.years and candidate.type in ("number", "amount"):
        year = bound_year(candidate.unit.text, candidate.end)
        if year is not None and year not in asked.years:
            candidate.score *= OTHER_YEAR
    following = candidate.unit.context[1]
    if negated(candidate.unit.text) or (opens_with_anaphor(following) and negated(following)):
        candidate.score *= NEGATED
    return candidate


def bound_year(text: str, end: int) -> str | None:
    """The year a figure ending at ``end`` is given for: the first year after it, before the next
    figure ("3 870 i 2023 til 4 312 i 2024"; "356 liggedøgn i same periode i 2024"); None without."""
    after = text[end : end + BOUND_YEAR_CHARS]
    for figure in _FIGURE.finditer(after):
        if not _YEAR.fullmatch(figure.group()):
            after = after[: figure.start()]
            break
    year = _YEAR.search(after)
    return year.group() if year else None

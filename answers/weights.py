"""How much each word of a question counts, and the score of each unit by the words it and its
neighbours share with the question: the question's own words, its relation words (from the
registry of kinds), the names it is about, rare words above common ones."""

from __future__ import annotations

import math
import re

from answers.lines import is_label, parallel
from answers.plan import WORD, Part, Plan, kind_words, reading_data, stems
from answers.units import Unit
from kinds import registry

ANCHOR_WEIGHT = 1.5  # a unit naming what the question is about, whole
PARALLEL = 0.1  # the weight of a neighbour that is an item like this one: its words are its own
NEIGHBOUR = 0.4  # the weight of any other neighbour
LABEL = 1.0  # the weight of the label a unit stands under
HEADING = 0.6  # the weight of the heading over a unit
YEAR = 1.0  # what a unit gains for naming (or its document being of) a year the question asks
ANCHORS = 4  # the names of the question's anchors looked for, at most

_ASKED_NOUN = re.compile(
    r"\b(?:hvor|kor|how)\s+(?:mange|many|much)\s+(?:av\s+dei?\s+|of\s+them\s+)?([\wæøå-]+)", re.I
)
_NAMED_NOUN = re.compile(
    r"\b(?:kalles|heter|heiter|kallast|vert kalla|called|named)\s+(?:the\s+|den\s+|det\s+)?([\wæøå-]+)",
    re.I,
)


def weigh(terms: list[str], weights: dict[str, float]) -> float:
    # Each term once, in one fixed order: a float sum in set order differs in its last bits from one
    # process to the next (string hashes are seeded per process), and ties between candidates then broke
    # differently from run to run.
    return sum(weights.get(t, 0.0) for t in sorted(set(terms)))


def factor(relevance: float) -> float:
    """How much a unit's words count, by how well its document answers the question as a whole."""
    return 0.15 + 0.85 * relevance**1.5


def relation_stems(part: Part, *, first: bool = False) -> set[str]:
    """Stems of the words of the relations the part asks about (``first``: of the one it names first)."""
    predicates = registry().predicates
    out: set[str] = set()
    for name in part.predicates[:1] if first else part.predicates:
        for phrase in predicates[name].words:
            out.update(stems(phrase))
    return out


def narrower_stems(part: Part) -> set[str]:
    """Words of the narrower relations of those asked ("nestleder", "deputy" when the chair is asked)."""
    out: set[str] = set()
    for name, predicate in registry().predicates.items():
        if name not in part.predicates and set(predicate.narrows) & set(part.predicates):
            for phrase in predicate.words:
                if len(phrase.split()) == 1:
                    out.update(stems(phrase))
    return out - relation_stems(part)


def asked_noun_stems(part: Part) -> set[str]:
    """The noun a count asks for: "hvor mange kommuner" -> kommun."""
    match = _ASKED_NOUN.search(part.text)
    if not match:
        return set()
    noun = match.group(1).lower()
    return set(stems(noun)) | set(stems(reading_data()["english_words"].get(noun, "")))


def named_noun_stems(part: Part) -> set[str]:
    """The noun a naming question asks the name of: "hva kalles samhandlingsmodellen" -> samhandlingsmodell."""
    match = _NAMED_NOUN.search(part.text)
    if not match:
        return set()
    return set(stems(match.group(1)))


def anchor_patterns(plan: Plan) -> list[re.Pattern[str]]:
    """The names of the entities the question is about, as patterns; a generic word the graph
    happens to hold as a name ("Kommune") is none."""
    out = []
    for anchor in plan.anchors:
        name = anchor.name.strip()
        if len(name) < 4 or name.lower() in kind_words() or anchor.type not in reading_data()["anchor_types"]:
            continue
        out.append(re.compile(rf"(?<![\wæøå]){re.escape(name)}(?![\wæøå])", re.I))
    return out[:ANCHORS]


def word_weights(plan: Plan, part: Part) -> dict[str, float]:
    """The question's words (more where the part itself uses them) and, most, its relation words."""
    weights: dict[str, float] = {}
    for word in plan.content_words:
        for term in stems(word):
            weights[term] = max(weights.get(term, 0.0), 0.5)
    for word in WORD.findall(part.text):
        for term in stems(word):
            if any(term in stems(w) for w in plan.content_words):
                weights[term] = 1.0
    for term in relation_stems(part):
        weights[term] = max(weights.get(term, 0.0), 1.5)
    # The word that asks for a value kind stands for the kind's other words: a question asking for
    # the "arkivsaksnummeret" is answered beside "Arkivsaksnr.:".
    value = registry().values.get(part.asks)
    if value is not None:
        forms = {t for phrase in value.asked_by if " " not in phrase for t in stems(phrase)}
        asked = max((weights.get(t, 0.0) for t in forms), default=0.0)
        for term in forms:
            weights[term] = max(weights.get(term, 0.0), asked)
    return weights


def rarity_weights(weights: dict[str, float], terms: list[set[str]]) -> dict[str, float]:
    """A word most units share tells less than a rare one ("kommunene" against "Sørvest")."""
    df: dict[str, int] = {}
    for unit_terms in terms:
        for t in unit_terms & weights.keys():
            df[t] = df.get(t, 0) + 1
    n = max(len(terms), 1)
    return {
        t: w * 1.5 * math.log(1 + n / (0.5 + df.get(t, 0))) / math.log(1 + 2 * n) for t, w in weights.items()
    }


def score_units(plan: Plan, part: Part, units: list[Unit]) -> dict[str, float]:
    """Score every unit for the part; the word weights it scored them by."""
    terms = [set(stems(u.text)) for u in units]
    weights = rarity_weights(word_weights(plan, part), terms)
    years = plan.years or ([*range(plan.period[0], plan.period[1] + 1)] if plan.period else [])
    anchors = anchor_patterns(plan)
    for unit, unit_terms in zip(units, terms):
        own = weigh(list(unit_terms), weights)
        # The thing the question is about, named whole ("FACT Nordhordland"), marks its row.
        own += ANCHOR_WEIGHT * sum(1 for pattern in anchors if pattern.search(unit.text))
        if years and (any(str(y) in unit.text for y in years) or unit.doc.year in years):
            own += YEAR
        unit.score = (own + _context(unit, weights)) * factor(unit.relevance)
    return weights


def _context(unit: Unit, weights: dict[str, float]) -> float:
    """What the unit's neighbours and heading add to it."""
    prev, nxt, heading = unit.context
    # A label and its value are one field: "Leder av Samarbeidsutvalget:" / "Bovild Tjønn, …".
    label_weight = LABEL if is_label(prev) else (PARALLEL if parallel(prev, unit.text) else NEIGHBOUR)
    next_weight = PARALLEL if parallel(nxt, unit.text) else NEIGHBOUR
    return (
        label_weight * weigh(stems(prev), weights)
        + next_weight * weigh(stems(nxt), weights)
        + HEADING * weigh(stems(heading), weights)
    )

"""A question read into a plan: what is asked for (its kind, from the registry of kinds and the
asking words of ``answers/data/reading.json``), the relation words, and the anchors (places,
committees, helsefellesskap, dates, years and periods). Also the word helpers all of reading shares
(``WORD``, ``stems``, ``reading_data``).

The plan is a plain value: it is tested on its own, apart from the graph and the index, and it is
what ``/ask`` returns as ``plan`` and shows (in Norwegian) as its interpretation.
"""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from functools import cache
from importlib import resources
from typing import Any

from kinds import LANGUAGES, registry
from search.analysis import NorwegianAnalyzer

WORD = re.compile(r"[\wæøåÆØÅéü]+(?:[-/][\wæøåÆØÅ]+)*")
INFLECTION = (
    4  # letters an inflected form may add ("kommune" -> "kommunene"); more is a compound ("samarbeidsutvalg")
)
_YEAR = re.compile(r"(?<![\d.,/])(19[89]\d|20[0-4]\d)(?![\d])")
_PERIOD = re.compile(r"(?<![\d.])(19[89]\d|20[0-4]\d)\s*[-–/]\s*(19[89]\d|20[0-4]\d|\d{2})(?![\d])")


@cache
def reading_data() -> dict[str, Any]:
    return json.loads(resources.files("answers").joinpath("data", "reading.json").read_text(encoding="utf-8"))


@cache
def kind_words() -> frozenset[str]:
    """The words that ask for a kind ("kommune", "tiltak", "hvem"): no name of a thing asked about."""
    kinds = registry()
    asked_by = [t.asked_by for t in kinds.types.values()] + [v.asked_by for v in kinds.values.values()]
    return frozenset(w for words in asked_by for w in words)


@cache
def analyzer() -> NorwegianAnalyzer:
    return NorwegianAnalyzer()


def stems(text: str) -> list[str]:
    """Index terms of a text (the search analyser's: bokmål forms, stems, stop words out)."""
    return analyzer().terms(text)


@dataclass
class Part:
    """One thing the question asks for: "Hvor mange representanter …, og hvor ofte …" has two."""

    asks: str  # an entity type or value kind of the registry, or "text"
    plural: bool = False
    predicates: list[str] = field(default_factory=list)
    relation_words: list[str] = field(default_factory=list)
    text: str = ""


@dataclass
class Anchor:
    id: str
    type: str
    name: str


@dataclass
class Plan:
    question: str
    parts: list[Part] = field(default_factory=list)
    anchors: list[Anchor] = field(default_factory=list)
    community: str | None = None  # id of the helsefellesskap asked about
    years: list[int] = field(default_factory=list)
    period: tuple[int, int] | None = None
    ordinal: int | None = None  # "den første" = 1, "siste" = -1
    content_words: list[str] = field(default_factory=list)

    @property
    def asks(self) -> str:
        return self.parts[0].asks if self.parts else "text"

    def to_dict(self) -> dict[str, Any]:
        out = asdict(self)
        out["asks"] = self.asks
        return out

    def describe(self, lang: str = "nb") -> str:
        """The reading in plain words, for people."""
        kinds = registry()
        asked = []
        for part in self.parts:
            if part.asks in kinds.types:
                label = kinds.type_label(part.asks, plural=part.plural, lang=lang).lower()
            elif part.asks in kinds.values:
                label = kinds.values[part.asks].labels[lang].lower()
            else:
                label = "tekst" if lang != "en" else "text"
            if part.predicates:
                label += (
                    " (" + ", ".join(kinds.predicate_label(p, lang=lang) for p in part.predicates[:2]) + ")"
                )
            asked.append(label)
        bits = [("Spør etter " if lang != "en" else "Asks for ") + " og ".join(asked)]
        if self.anchors:
            bits.append("om " + ", ".join(a.name for a in self.anchors[:4]))
        if self.period:
            bits.append(f"i perioden {self.period[0]}–{self.period[1]}")
        elif self.years:
            bits.append("i " + ", ".join(str(y) for y in self.years))
        if self.content_words:
            bits.append("ord: " + " ".join(self.content_words[:8]))
        return "; ".join(bits)


def _starts(words: list[str], phrase: list[str], at: int) -> bool:
    """``phrase`` stands in ``words`` at ``at``, each phrase word the start of a question word."""
    if at + len(phrase) > len(words):
        return False
    return all(_word_is(words[at + i], p) for i, p in enumerate(phrase))


def _word_is(word: str, token: str) -> bool:
    """A question word stands for a phrase word: the same, an inflection of it ("kommunene" for
    "kommune"), or a hyphened compound ending in it ("SSU-sak" for "sak")."""
    return (
        word == token
        or (len(token) >= 4 and word.startswith(token) and len(word) - len(token) <= INFLECTION)
        or word.endswith("-" + token)
    )


def _type_at(words: list[str], at: int, span: int = 4) -> tuple[str, int] | None:
    """The kind asked for by the words after an open interrogative ("hvilke kommuner")."""
    kinds = registry()
    best: tuple[int, int, str] | None = None  # (position, -length, kind)
    table = [(name, k.asked_by) for name, k in kinds.values.items()] + [
        (name, k.asked_by) for name, k in kinds.types.items()
    ]
    for offset in range(span):
        pos = at + offset
        for name, phrases in table:
            for phrase in phrases:
                tokens = phrase.split()
                if _starts(words, tokens, pos):
                    candidate = (offset, -len(phrase), name)
                    if best is None or candidate < best:
                        best = candidate
        if best is not None:
            return best[2], best[0]
    return None


def asked_parts(question: str) -> list[Part]:
    """The things asked for, in the order the question asks them."""
    words = [w.lower() for w in WORD.findall(question)]
    parts = _parts_asked(words)
    if not parts and (question.rstrip().endswith("?") or _imperative_end(words) > 0):
        parts.append(Part("text"))
    if not parts:
        return parts  # words to search for, not a question
    # "Hva gikk innstillingen ut på – hvilken kommune skulle være vertskommune?": the typed part
    # says what the open one (text, or what a decision said) asks.
    if len(parts) > 1 and any(p.asks not in ("text", "decision") for p in parts):
        parts = [p for p in parts if p.asks not in ("text", "decision")]
    for part, clause in zip(parts, _clauses(question, len(parts))):
        part.text = clause
        part.predicates, part.relation_words = relation_words(clause)
    if _plural_cue(question.lower()) and len(parts) == 1:
        parts[0].plural = parts[0].plural or parts[0].asks in (
            "person",
            "municipality",
            "committee",
            "initiative",
            "text",
        )
    return parts


def _parts_asked(words: list[str]) -> list[Part]:
    """A part for each word that asks for something: an interrogative, a phrase of a kind, a request."""
    parts: list[Part] = []
    request = _imperative_end(words)
    for i in range(len(words)):
        found = _asked_at(words, i)
        if found is None and i == request:
            # "Rams opp kommunene …", "Finn de faglige samarbeidsutvalgene …", "Kan du si hvem …"
            typed = _type_at(words, i, span=5)
            if typed:
                parts.append(Part(typed[0], plural=True))
                continue
        if found is not None:
            parts.append(Part(found, plural=_plural(words, i, found)))
    return parts


def _asked_at(words: list[str], at: int) -> str | None:
    """The kind the words at ``at`` ask for: a phrase of a value kind ("hvor mange", "hva kalles"),
    one of an entity type ("hvilke kommuner"), an interrogative ("hvem", "når"), or an open one
    ("hvilke", "what") and the kind the words after it name (else text)."""
    words_data = reading_data()["asking_words"]
    kinds = registry()
    value_openers = (*words_data["open"], *words_data["value_openers"])
    for name, value in kinds.values.items():
        if _phrase_at(words, at, value.asked_by, value_openers):
            return name
    for name, type_ in kinds.types.items():
        if _phrase_at(words, at, type_.asked_by, words_data["open"]):
            return name
    word = words[at]
    if word in words_data["interrogatives"]:
        return str(words_data["interrogatives"][word])
    if word in words_data["open"]:
        typed = _type_at(words, at + 1)
        return typed[0] if typed else "text"
    return None


def _phrase_at(words: list[str], at: int, phrases: tuple[str, ...], openers: Sequence[str]) -> bool:
    """One of the phrases of more than one word, opened by one of ``openers``, stands at ``at``."""
    for phrase in phrases:
        tokens = phrase.split()
        if len(tokens) > 1 and tokens[0] in openers and _starts(words, tokens, at):
            return True
    return False


def _plural(words: list[str], at: int, found: str) -> bool:
    """ "Hvem er medlemmene …" asks for several; "Hvem er koordinator for kommunene …" for one."""
    words_data = reading_data()["asking_words"]
    plural = words[at] in words_data["plural"] or (
        at + 2 < len(words)
        and words[at + 1] in words_data["copulas"]
        and found == "person"
        and _plural_noun(words[at + 2 : at + 3])
    )
    kind = registry().types.get(found)
    if kind is not None:
        nouns = [w for w in words[at + 1 : at + 3] if w in set(kind.asked_by)]
        plural = plural or any(kind.plural.get(lang, "").lower() == n for n in nouns for lang in LANGUAGES)
    return plural


def _plural_cue(lowered: str) -> bool:
    """A word that makes the question ask for several ("alle", "hver")."""
    return any(
        re.search(rf"(?<![\wæøå]){re.escape(cue.strip())}(?![\wæøå])", lowered)
        for cue in reading_data()["plural_cues"]
    )


def _imperative_end(words: list[str]) -> int:
    """Where the words after a request ("rams opp", "finn", "list") begin; -1 when it is none."""
    for phrase in reading_data()["imperatives"]:
        tokens = phrase.split()
        if words[: len(tokens)] == tokens:
            return len(tokens)
    return -1


def _plural_noun(words: list[str]) -> bool:
    return any(w.endswith(tuple(reading_data()["asking_words"]["plural_endings"])) for w in words)


def _clauses(question: str, count: int) -> list[str]:
    if count <= 1:
        return [question]
    cues = reading_data()["split_cues"]
    pieces = [question]
    for cue in cues:
        new: list[str] = []
        for piece in pieces:
            new += list(re.split(re.escape(cue), piece, flags=re.I))
        pieces = new
    pieces = [p for p in pieces if p.strip()]
    if len(pieces) < count:
        return [question] * count
    return pieces[: count - 1] + [" ".join(pieces[count - 1 :])]


def relation_words(text: str) -> tuple[list[str], list[str]]:
    """Predicates of the registry whose words the text uses, and those words."""
    words = [w.lower() for w in WORD.findall(text)]
    first: dict[str, int] = {}  # where each predicate is first named: the first named is the one asked
    matched: list[str] = []
    for name, predicate in registry().predicates.items():
        for phrase in predicate.words:
            tokens = phrase.split()
            if len(tokens) == 1 and len(tokens[0]) <= 3:
                continue  # "for", "om", "har": too common to name a relation in a question
            at = next(
                (
                    i
                    for i in range(len(words))
                    if _starts(words, tokens, i)
                    and all(len(t) >= 5 or words[i + k] == t for k, t in enumerate(tokens))
                ),
                None,
            )
            if at is not None:
                first[name] = min(first.get(name, at), at)
                matched.append(phrase)
    predicates = sorted(first, key=lambda n: first[n])
    # "deputy chair" asks for the deputy, not the chair; "pilotkommune" for the pilot, not every participant.
    kinds = registry().predicates
    narrowed = {broad for name in predicates for broad in kinds[name].narrows}
    kept = [p for p in predicates if p not in narrowed]
    words_kept = [w for w in matched if any(w in kinds[p].words for p in kept)]
    return kept, words_kept


def periods(question: str) -> tuple[list[int], tuple[int, int] | None]:
    period = None
    match = _PERIOD.search(question)
    if match:
        start, end = int(match.group(1)), match.group(2)
        end_year = int(end) if len(end) == 4 else (start // 100) * 100 + int(end)
        if start <= end_year <= start + 20:
            period = (start, end_year)
    years = sorted({int(y) for y in _YEAR.findall(question)})
    return years, period


def ordinal(question: str) -> int | None:
    lowered = question.lower()
    for word, value in reading_data()["ordinals"].items():
        if re.search(rf"\b{word}\b", lowered):
            return int(value)
    return None


def content_words(question: str, stop: set[str]) -> list[str]:
    """The words of the question to look for; an English word brings its Norwegian one, since the
    documents are Norwegian ("patients" -> pasienter)."""
    filler = set(reading_data()["question_filler"])
    english = reading_data()["english_words"]
    out = []
    for word in WORD.findall(question):
        lowered = word.lower()
        if lowered in stop or lowered in filler or len(lowered) < 2:
            continue
        out.append(word)
        if lowered in english and english[lowered] not in out:
            out.append(english[lowered])
    return out

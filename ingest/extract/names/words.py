"""What the name rules share: stop words, the key that merges spellings, and reading a name's extent."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.extract.names.rules import NameRules

INNER = frozenset({"og", "for", "med", "av", "om", "uten", "i", "til", "under"})  # connectors inside a name
QUOTE = re.compile(r"«([^«»]{2,80})»|\"([^\"]{2,80})\"|“([^”]{2,80})”")
_WORD = re.compile(r"[\wæøåÆØÅ+][\wæøåÆØÅ+'’/-]*(?:\.[\wæøåÆØÅ]+)*")
_GAP_BREAKS = '.,;:()!?\n|«»"'
DEFINITE = "et|en|a|ene|ane"  # definite and plural endings: teamet, modellen, ordninga, teamene, modellane


@cache
def stop_words(rules: NameRules) -> frozenset[str]:
    return frozenset(w.lower() for w in rules["name_stop_words"])


@cache
def committee_stop_words(rules: NameRules) -> frozenset[str]:
    """Stop words for committee topics: initiative words may be part of a working group's name."""
    return stop_words(rules) - {w.lower() for w in rules["initiative_triggers"]}


def key_of(text: str) -> str:
    """A spelling-insensitive key: case, spaces, hyphens and a trailing 'team' do not matter."""
    text = text.lower().replace("«", "").replace("»", "").replace('"', "")
    text = re.sub(r"[-\s]+team(et)?$", "", text.strip())
    text = re.sub(r"[\s\-–/]+", "", text)
    return text.strip(".,:;")


@cache
def _kind_suffixes(rules: NameRules) -> str:
    """The kinds of initiative a word can end in (team, prosjekt, modell, tilbod …), as alternatives."""
    return "|".join(re.escape(x) for x in rules["initiative_kind_suffixes"])


def kind_word(rules: NameRules) -> str:
    """A word that ends in a kind of initiative, in any form ("samhandlingsteamet", "modellen")."""
    return rf"[\wæøå-]*(?:{_kind_suffixes(rules)})(?:{DEFINITE})?(?![\wæøå])"


def ends_in_kind(rules: NameRules, word: str, endings: str = "") -> bool:
    """Whether ``word`` ends in a kind of initiative ("Samhandlingsteam"), or in one of ``endings``
    after it ("Teamet")."""
    tail = rf"(?:{endings})?" if endings else ""
    return re.search(rf"(?:{_kind_suffixes(rules)}){tail}$", word.lower()) is not None


def every_match(pattern: str, text: str, flags: int) -> list[re.Match[str]]:
    """Every match, also one that starts inside the greedy tail of the previous one
    ("Fagutvalg for legevakt og Fagutvalg for rehabilitering")."""
    compiled = re.compile(pattern, flags)
    out = []
    position = 0
    while (match := compiled.search(text, position)) is not None:
        out.append(match)
        position = match.start() + 1
    return out


@dataclass(frozen=True, slots=True)
class NameShape:
    """How far a name runs: at most ``max_tokens`` words up to a stop word, ``inner`` connectors allowed.

    With ``proper_names``, a name that starts with a capital takes lower-case words only right after
    a connector ("Sammen for barna", not "Sammen for barna retter"); with ``title_case_only_first``
    (a committee's topic, a noun phrase) a capital or a past-tense verb ends it.
    """

    max_tokens: int
    stop: frozenset[str]  # the words a name does not run into (see stop_words)
    allow_lower: bool = True
    inner: frozenset[str] = INNER
    title_case_only_first: bool = False
    proper_names: bool = False

    def refuses_first(self, word: str) -> bool:
        # "Sammen for barna" after "prosjektet" is a name, "prosjektet som ..." is not.
        lower = word.lower()
        return lower in self.stops() and not (self.proper_names and word[0].isupper() and lower not in INNER)

    def stops_at(self, word: str, taken: int) -> bool:
        return word.lower() in self.stops() and not (taken == 0 and self.proper_names and word[0].isupper())

    def ends_before(self, word: str, taken: int, capitalised: bool, follows_connector: bool) -> bool:
        if not self.allow_lower and not (word[0].isupper() or word[0].isdigit()):
            return True
        if capitalised and taken > 0 and word[0].islower() and not follows_connector:
            return True
        # A committee topic is a noun phrase: a past-tense verb ends it.
        return (
            self.title_case_only_first
            and taken > 0
            and (word[0].isupper() or re.search(r"(te|de|ert)$", word.lower()) is not None)
        )

    def stops(self) -> frozenset[str]:
        return self.stop


def take_name(text: str, start: int, shape: NameShape) -> tuple[int, int] | None:
    """The span of a name starting at ``start``, shaped by ``shape``; None when no name starts there."""
    tokens = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(text, start)]
    end = None
    cursor = start
    taken = 0
    capitalised = after_connector = False
    for index, (token_start, token_end, word) in enumerate(tokens):
        gap = text[cursor:token_start]
        if any(ch in gap for ch in _GAP_BREAKS) or len(gap) > 2:
            break
        if taken == 0:
            if shape.refuses_first(word):
                return None
            capitalised = word[0].isupper() and shape.proper_names
        if shape.stops_at(word, taken):
            following = tokens[index + 1][2].lower() if index + 1 < len(tokens) else None
            if word.lower() in shape.inner and following is not None and following not in shape.stops():
                cursor = token_end
                taken += 1
                after_connector = True
                continue
            break
        follows_connector, after_connector = after_connector, False
        if shape.ends_before(word, taken, capitalised, follows_connector):
            break
        end = cursor = token_end
        taken += 1
        if taken >= shape.max_tokens:
            break
    if end is None:
        return None
    return start + (len(text[start:end]) - len(text[start:end].lstrip())), end

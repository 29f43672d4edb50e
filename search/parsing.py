"""The user's query language: plain words, "quoted phrases", -exclusions and field:value filters.

    skrøpelige eldre Larvik            all words first, then passages with some of them
    "mobil røntgen" -bil               a phrase that must occur, a word that must not
    year:2023 type:referat fellesskap:vestfold committee:SSU entity:... entity_type:...
    fra:2023-01-01 til:2023-06-30      on the record's date (a decision's meeting, else its document's)

Field names have Norwegian aliases (år, type, dokumenttype, helsefellesskap, utvalg, ...). An
unknown ``name:value`` is searched as plain text.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.errors import QueryError

FILTER_ALIASES = {
    "year": "year",
    "år": "year",
    "aar": "year",
    "type": "doc_type",
    "doc_type": "doc_type",
    "doctype": "doc_type",
    "dokumenttype": "doc_type",
    "fellesskap": "fellesskap",
    "helsefellesskap": "fellesskap",
    "committee": "committee",
    "utvalg": "committee",
    "organ": "committee",
    "entity": "entity",
    "entitet": "entity",
    "entity_type": "entity_type",
    "entitetstype": "entity_type",
    "kind": "kind",
    "fra": "date_from",
    "from": "date_from",
    "til": "date_to",
    "to": "date_to",
}
# type:decision (or its Norwegian names) asks for agenda items instead of passages
DECISION_TYPES = frozenset({"decision", "decisions", "vedtak", "sak", "saker", "beslutning"})
MAX_QUERY_LENGTH = 1000

_PIECE_RE = re.compile(
    r"""(?P<neg>-)?"(?P<phrase>[^"]*)"?"""  # "a phrase", -"a phrase", or an unclosed one
    r"""|(?P<name>[^\s:"-][^\s:"]*):(?:"(?P<qvalue>[^"]*)"?|(?P<value>[^\s"]+))"""  # name:value
    r"""|(?P<neg2>-)?(?P<word>[^\s"]+)"""
)
_YEAR_RANGE_RE = re.compile(r"^(\d{4})\s*(?:-|–|\.\.)\s*(\d{4})$")


@dataclass(slots=True)
class ParsedQuery:
    text: str
    words: list[str] = field(default_factory=list)  # as typed, in order
    phrases: list[str] = field(default_factory=list)
    excluded: list[str] = field(default_factory=list)  # words and phrases
    filters: dict[str, list[str]] = field(default_factory=dict)

    def add_filter(self, name: str, value: str) -> None:
        value = value.strip()
        if value:
            self.filters.setdefault(name, []).append(value)

    @property
    def empty(self) -> bool:
        return not (self.words or self.phrases)


def parse_query(text: str) -> ParsedQuery:
    if len(text) > MAX_QUERY_LENGTH:
        raise QueryError(f"Søket er for langt (over {MAX_QUERY_LENGTH} tegn).")
    parsed = ParsedQuery(text=text)
    for match in _PIECE_RE.finditer(text):
        if match.group("phrase") is not None:
            phrase = " ".join(match.group("phrase").split())
            if phrase:
                (parsed.excluded if match.group("neg") else parsed.phrases).append(phrase)
        elif match.group("name") is not None:
            name = match.group("name").lower()
            value = match.group("qvalue") if match.group("qvalue") is not None else match.group("value")
            if name in FILTER_ALIASES:
                parsed.add_filter(FILTER_ALIASES[name], value or "")
            else:
                parsed.words.append(match.group(0).strip('"'))
        else:
            word = match.group("word")
            if match.group("neg2"):
                parsed.excluded.append(word)
            elif word.strip("-"):
                parsed.words.append(word)
    return parsed


def expand_years(values: list[str]) -> list[str]:
    """``2023``, ``2022-2024`` or ``2022..2024`` -> the years as strings."""
    years: list[str] = []
    for value in values:
        for part in value.split(","):
            part = part.strip()
            found = _YEAR_RANGE_RE.match(part)
            if found:
                first, last = int(found.group(1)), int(found.group(2))
                if last - first > 200:
                    raise QueryError(f"Ugyldig årsintervall: {part}")
                years += [str(y) for y in range(min(first, last), max(first, last) + 1)]
            elif part.isdigit():
                years.append(str(int(part)))
            elif part:
                raise QueryError(f"Ugyldig år: {part}")
    return years

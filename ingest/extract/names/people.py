"""People named with a role: "Prosjektleder Kari Marthinsen", "Lill-Tove Rasmussen, prosjektleder",
"Anne Hansen, som har ledet arbeidsgruppen". Only a name that opens with a given name of
``fornavn.txt`` is a person's."""

from __future__ import annotations

import re
from collections.abc import Iterator

from ingest.extract.names.rules import NameRules
from ingest.extract.names.words import key_of
from ingest.extract.recognised import Recognised
from ingest.resources import is_given_name

_ROLE_NAME = r"((?:[A-ZÆØÅ][a-zæøåé]+|[A-ZÆØÅ]\.)(?:[ -](?:[A-ZÆØÅ][a-zæøåé]+|[A-ZÆØÅ]\.)){1,3})"


def people(text: str, rules: NameRules) -> list[Recognised]:
    found: list[Recognised] = []
    for role, words in rules["roles"].items():
        alternation = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
        role_first = rf"(?i:\b(?:{alternation}))(?:\s*:\s*|\s+)(?:er\s+|var\s+|v/\s*)?{_ROLE_NAME}"
        found += _named(re.finditer(role_first, text), role)
        # "Lill-Tove Rasmussen, prosjektleder, Nordlandssykehuset HF"
        found += _named(re.finditer(rf"{_ROLE_NAME}\s*,\s*(?i:(?:{alternation}))\b", text), role)
    return found + _named(re.finditer(rf"{_ROLE_NAME},?\s+som\s+har\s+(?:ledet|leia|leda)", text), "leads")


def _named(matches: Iterator[re.Match[str]], role: str) -> list[Recognised]:
    return [
        Recognised(
            "person", role, m.group(1), key_of(m.group(1)), m.start(1), m.end(1), role, source="person_rule"
        )
        for m in matches
        if is_given_name(m.group(1).split()[0])
    ]

"""The cue words of ``extraction.json`` as patterns, and what the relation finders read with them."""

from __future__ import annotations

import re
from functools import cache

from ingest import ids
from ingest.extract.catalogue import county_members, vocab
from ingest.extract.recognised import Recognised

_CLAUSE_BREAK = re.compile(r";|,\s+(?:og|men|mens|samt|medan|while|and|but)\s|\s[–—]\s")


@cache
def cue(name: str) -> re.Pattern[str]:
    """Any of the words listed under ``name`` ("membership_cues", "pilot_cues" …), as a word start."""
    words = sorted(vocab()[name], key=len, reverse=True)
    return re.compile(r"(?<![\wæøå])(?:" + "|".join(re.escape(w) for w in words) + r")", re.I)


@cache
def _county_patterns() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (county, re.compile("|".join(re.escape(p) for p in phrases), re.I))
        for county, phrases in vocab()["county_adjectives"].items()
    ]


def county_municipalities(text: str) -> list[str]:
    """The municipalities of the counties a text names by adjective ("alle kommunene i Agder")."""
    out: list[str] = []
    for county, pattern in _county_patterns():
        if pattern.search(text):
            out.extend(ids.municipality(n) for n in county_members().get(county.lower(), []))
    return out


def piloted(text: str, offset: int, municipalities: list[Recognised]) -> set[str]:
    """Municipalities in the same clause as a pilot cue: in "piloteres i Arendal og Grimstad i 2024,
    og skal spres til Lillesand", Lillesand takes part but is no pilot."""
    cues = [m.start() for m in cue("pilot_cues").finditer(text)]
    if not cues:
        return set()
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(text)]
    out = set()
    for found in municipalities:
        position = found.start - offset
        for at in cues:
            low, high = sorted((position, at))
            if not any(low < b < high for b in breaks):
                out.add(found.entity_id)
    return out


def mostly_names(text: str, municipalities: list[Recognised]) -> bool:
    """A text that is mostly the names of municipalities: a list of them."""
    named = sum(m.end - m.start for m in municipalities)
    letters = len(re.sub(r"[^\wæøå]", "", text))
    return letters > 0 and named / letters > 0.6

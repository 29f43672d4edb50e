"""Initiatives named by rule: «quoted» after a trigger word, "prosjektet X", teams and pathways
(``team_patterns``), bold items under an activity heading, and the names a sentence defines
(:mod:`ingest.extract.names.definitions`)."""

from __future__ import annotations

import re
from functools import cache

from ingest.extract.names.definitions import defined_initiatives
from ingest.extract.names.rules import NameRules
from ingest.extract.names.words import QUOTE, NameShape, key_of, stop_words, take_name
from ingest.extract.recognised import Recognised


def initiative(label: str, key: str, start: int, end: int, kind: str = "prosjekt") -> Recognised:
    return Recognised("initiative", kind, label, key, start, end, source="initiative_rule")


def initiatives(text: str, emphasis: list[str], section: list[str], rules: NameRules) -> list[Recognised]:
    found = _quoted(text, rules) + _prefixed(text, rules) + defined_initiatives(text, rules)
    found += _teams(text, [(c.start, c.end) for c in found], rules)
    return found + _emphasised(text, emphasis, section, rules)


@cache
def _trigger_re(rules: NameRules) -> re.Pattern[str]:
    triggers = sorted(rules["initiative_triggers"], key=len, reverse=True)
    return re.compile(r"(?<![\wæøå])(" + "|".join(re.escape(t) for t in triggers) + r")(?![\wæøå])", re.I)


@cache
def _head_re(rules: NameRules) -> re.Pattern[str]:
    heads = sorted(rules["initiative_prefix_heads"], key=len, reverse=True)
    return re.compile(r"(?<![\wæøå-])(" + "|".join(re.escape(h) for h in heads) + r")\s+(?=[^\s«\"])", re.I)


def _quoted(text: str, rules: NameRules) -> list[Recognised]:
    """«Trygt heim» after a trigger word ("prosjektet «Trygt heim»"), or a quote that starts with one."""
    found = []
    for match in QUOTE.finditer(text):
        inner = next(g for g in match.groups() if g)
        before = text[max(0, match.start() - 40) : match.start()]
        near = _trigger_re(rules).search(" ".join(before.split()[-3:]))
        if not (near or _trigger_re(rules).match(inner)) or len(inner.split()) > 8:
            continue
        label = " ".join(inner.split()).strip(" .,")
        found.append(initiative(label, key_of(label), match.start(), match.end()))
    return found


def _prefixed(text: str, rules: NameRules) -> list[Recognised]:
    """The name after a head word: "prosjektet Sammen for barna", "satsinga Heim til kvardag"."""
    shape = NameShape(max_tokens=6, stop=stop_words(rules), proper_names=True)
    found = []
    for match in _head_re(rules).finditer(text):
        span = take_name(text, match.end(), shape)
        if span is None:
            continue
        name = " ".join(text[span[0] : span[1]].split())
        words = name.split()
        # "prosjektet kombinerer …": one lower-case word after the head is a verb or a noun, not a
        # name, and neither is a run that starts with a verb (present -er/-ar, past -et/-te/-de).
        if not name[0].isupper() and (len(words) == 1 or re.search(r"(et|te|de|er|ar)$", words[0])):
            continue
        label = name[0].upper() + name[1:] if not name[0].isupper() else name
        found.append(initiative(label, key_of(name), span[0], span[1]))
    return found


def _teams(text: str, named: list[tuple[int, int]], rules: NameRules) -> list[Recognised]:
    """Teams and pathways the patterns know ("FACT Dalane", "ROP-team …"), unless inside a longer name."""
    found = []
    for pattern in rules["team_patterns"]:
        for match in re.finditer(pattern, text):
            words = match.group(0).split()
            while len(words) > 1 and words[-1].lower() in stop_words(rules):
                words.pop()
            label = " ".join(words)
            if any(
                a <= match.start() and match.end() <= b and (a, b) != (match.start(), match.end())
                for a, b in named
            ):
                continue  # "FACT" inside «FACT Dalane»: the whole name is already there
            found.append(initiative(label, key_of(label), match.start(), match.end(), "team"))
    return found


def _emphasised(text: str, emphasis: list[str], section: list[str], rules: NameRules) -> list[Recognised]:
    """Bold names: "Prosjekt X" anywhere, and any bold item that opens a line under an activity heading."""
    activity = [a.lower() for a in rules["activity_headings"]]
    in_activity = any(any(a in s.lower() for a in activity) for s in section)
    found = []
    for bold in emphasis:
        bold = bold.strip(" :•-")
        position = text.find(bold) if bold and len(bold.split()) <= 6 else -1
        if position < 0:
            continue
        line_start = text.rfind("\n", 0, position) + 1
        leads_item = re.match(r"^\s*(?:-\s*)?$", text[line_start:position]) is not None
        prosjekt = re.match(r"(?i)prosjekt\s+(\S.*)", bold)
        if prosjekt:
            label = prosjekt.group(1)
        elif in_activity and leads_item:
            label = bold
        else:
            continue
        found.append(initiative(label, key_of(label), position, position + len(bold)))
    return found

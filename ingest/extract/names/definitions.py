"""Initiatives a text defines rather than cues: "«Valdresmodellen» er et integrert ambulant tilbud",
"TeleNord er et innovasjonsprosjekt", a plan cell or a list item that opens with a name and a colon,
"Prosjektleiar for Heim til kvardag er …", and abbreviations given to one ("Felles inntaksteam for
barn og unge (FIT-BU)")."""

from __future__ import annotations

import re
from functools import cache

from ingest.extract.names.rules import NameRules
from ingest.extract.names.words import DEFINITE, ends_in_kind, key_of, kind_word, stop_words
from ingest.extract.recognised import Recognised

_CELL_NAME = re.compile(
    r"(?:(?<=\| )|(?<=^\| ))(?P<name>[A-ZÆØÅ][\wæøåÆØÅ+-]*(?:\s+[\wæøåÆØÅ+()-]+){0,7}):\s+[a-zæøå]"
)
_ITEM_NAME = re.compile(
    r"(?m)^(?:-\s+)?(?P<name>[A-ZÆØÅ][\wæøåÆØÅ-]*(?:\s+[A-ZÆØÅ][\wæøåÆØÅ-]*){0,3}):\s+[a-zæøå]"
)
_LEADER_OF = re.compile(
    r"\b(?i:prosjektleder|prosjektleiar|prosjektkoordinator)\s+(?:for|i)\s+"
    r"(?P<name>«[^«»]{2,60}»|[A-ZÆØÅ][\wæøåÆØÅ+-]*(?:\s+(?:[A-ZÆØÅ][\wæøåÆØÅ+-]*|[a-zæøå]{1,9})){0,4}?)"
    r"\s+(?:er|var|blir|vert)\s+[A-ZÆØÅ]"
)


def defined_initiatives(text: str, rules: NameRules) -> list[Recognised]:
    return (
        _by_copula(text, rules)
        + _cell_names(text, rules)
        + _item_names(text, rules)
        + _led_projects(text, rules)
        + _abbreviations(text, rules)
    )


def _named(match: re.Match[str], group: str, label: str) -> Recognised:
    return Recognised(
        "initiative",
        "prosjekt",
        label,
        key_of(label),
        match.start(group),
        match.end(group),
        source="definition_rule",
    )


@cache
def _copula_re(rules: NameRules) -> re.Pattern[str]:
    v = rules
    kind = kind_word(rules)
    # A name: «quoted», capitalised words ("TeleNord", "Akutteam Nord-Troms"), or a phrase that ends in
    # a kind of initiative ("Mobilt geriatrisk team").
    name = (
        r"(?:«(?P<quoted>[^«»]{2,60})»|(?P<name>[A-ZÆØÅ][\wæøåÆØÅ+-]*"
        r"(?:\s+(?:[A-ZÆØÅ][\wæøåÆØÅ+-]*|og|for|i|på)){0,4})"
        rf"|(?P<phrase>[A-ZÆØÅ][\wæøå-]*(?:\s+[a-zæøå][\wæøå-]*){{0,3}}\s+{kind}))"
    )
    participle = "|".join(v["copula_participles"])
    return re.compile(
        rf"(?:^|(?<=[.!?:]\s)|(?<=\n)){name}\s+(?:{'|'.join(v['copulas'])})\s+"
        rf"(?:(?:{participle})\s+(?:som\s+)?)?(?:{'|'.join(v['articles'])})\s+(?:[\wæøå-]+\s+){{0,3}}?{kind}"
    )


@cache
def _abbreviation_re(rules: NameRules) -> re.Pattern[str]:
    return re.compile(
        rf"(?P<context>(?:{kind_word(rules)})(?:\s+[\wæøåÆØÅ-]+){{0,6}}?)\s*"
        r"\((?P<abbr>[A-ZÆØÅ][A-ZÆØÅ0-9]+(?:-[A-ZÆØÅ0-9]+)?(?:\s+[A-ZÆØÅ][a-zæøå]+(?:-[A-ZÆØÅ][a-zæøå]+)?)?)\)",
        re.I,
    )


def _by_copula(text: str, rules: NameRules) -> list[Recognised]:
    """ "TeleNord er et innovasjonsprosjekt": the subject of "is a project" names one."""
    stop = stop_words(rules)
    found = []
    for match in _copula_re(rules).finditer(text):
        group = next(g for g in ("quoted", "name", "phrase") if match.group(g))
        label = " ".join(match.group(group).split()).strip(" .,")
        if not label or label.lower() in stop or label.split()[0].lower() in stop or len(label) < 3:
            continue
        if (
            group == "name"
            and len(label.split()) == 1
            and label[1:].islower()
            and ends_in_kind(rules, label, DEFINITE)
        ):
            continue  # "Tiltaket er eit …", "Teamet er …": a common noun, not a name
        found.append(_named(match, group, label))
    return found


def _cell_names(text: str, rules: NameRules) -> list[Recognised]:
    """A plan table's cell that opens with a name and a colon ("Heim til kvardag: trygg utskriving …")."""
    stop = stop_words(rules)
    found = []
    for match in _CELL_NAME.finditer(text):
        label = " ".join(match.group("name").split())
        words = label.split()
        if (
            words[0].lower() not in stop
            and label.lower() not in stop
            and (len(words) >= 2 or re.search(r".[A-ZÆØÅ]", label))
        ):
            found.append(_named(match, "name", label))
    return found


def _item_names(text: str, rules: NameRules) -> list[Recognised]:
    """ "- ROP-team Vesterålen: for personer med …": a list item that names a kind of initiative and
    says what it is."""
    found = []
    for match in _ITEM_NAME.finditer(text):
        label = " ".join(match.group("name").split())
        first = label.split()[0]
        if ends_in_kind(rules, first, "et|en|a") and first.lower() not in stop_words(rules):
            found.append(_named(match, "name", label))
    return found


def _led_projects(text: str, rules: NameRules) -> list[Recognised]:
    """ "Prosjektleiar for Heim til kvardag er Bjarte Rykkje": what a project leader leads is a project."""
    found = []
    for match in _LEADER_OF.finditer(text):
        label = " ".join(match.group("name").split())
        if label.split()[0].lower() not in stop_words(rules) and len(label) >= 3:
            found.append(_named(match, "name", label))
    return found


def _abbreviations(text: str, rules: NameRules) -> list[Recognised]:
    never = frozenset(rules["not_initiatives"])
    found = []
    for match in _abbreviation_re(rules).finditer(text):
        abbr = " ".join(match.group("abbr").split())
        if abbr.split()[0] in never or not any(ch.isupper() for ch in match.group("abbr")[1:]):
            continue
        found.append(_named(match, "abbr", abbr))
    return found

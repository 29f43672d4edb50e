"""The one reader of the reference data in ``ingest/data`` (read once, cached): every module that needs
a list, a pattern or a vocabulary of the domain asks here, by what it is, not by file name."""

from __future__ import annotations

import csv
import json
import re
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any


def _data_text(name: str) -> str:
    return resources.files("ingest").joinpath("data", name).read_text(encoding="utf-8")


def _read_tsv(name: str) -> list[dict[str, str]]:
    lines = [line for line in _data_text(name).splitlines() if line.strip() and not line.startswith("#")]
    return [dict(row) for row in csv.DictReader(lines, delimiter="\t")]


@cache
def _json_data(name: str) -> dict[str, Any]:
    return json.loads(_data_text(name))


# -- vocabularies ---------------------------------------------------------------------------------
def extraction_vocabulary() -> dict[str, Any]:
    """Cues, stop words, committee heads and name rules for extraction (extraction.json)."""
    return _json_data("extraction.json")


def patient_group_table() -> dict[str, dict[str, Any]]:
    """Patient groups with their names and aliases (pasientgrupper.json)."""
    groups: dict[str, dict[str, Any]] = _json_data("pasientgrupper.json")["groups"]
    return groups


def meeting_vocabulary() -> dict[str, Any]:
    """Meeting header fields, agenda kinds, conclusion labels and case-number formats (meeting.json)."""
    return _json_data("meeting.json")


def document_types() -> dict[str, dict[str, Any]]:
    """Each document type's label and the patterns of its title and body (doctypes.json)."""
    types: dict[str, dict[str, Any]] = _json_data("doctypes.json")["types"]
    return types


@cache
def months() -> dict[str, int]:
    """Month names and their short forms, each with the month's number (calendar.json)."""
    return {
        name: int(number) for number, names in _json_data("calendar.json")["months"].items() for name in names
    }


def period_vocabulary() -> dict[str, Any]:
    """How plans state their period and adoption: period_cues, adoption_cues (calendar.json)."""
    return _json_data("calendar.json")


def month_names() -> list[str]:
    """The months' full names, in the year's order."""
    return [names[0] for names in _json_data("calendar.json")["months"].values()]


def weekdays() -> list[str]:
    return list(_json_data("calendar.json")["weekdays"])


# -- gazetteers ------------------------------------------------------------------------------------
def municipality_rows() -> list[dict[str, str]]:
    """Today's municipalities (kommuner.tsv)."""
    return _read_tsv("kommuner.tsv")


def former_municipality_rows() -> list[dict[str, str]]:
    """The municipalities merged away in the reforms of 2017–2024 (tidligere_kommuner.tsv)."""
    return _read_tsv("tidligere_kommuner.tsv")


def community_rows() -> list[dict[str, str]]:
    """The helsefellesskap with their regions, trusts and the weak names of each (helsefellesskap.tsv)."""
    return _read_tsv("helsefellesskap.tsv")


def health_trust_rows() -> list[dict[str, str]]:
    """The hospital trusts and their short forms (helseforetak.tsv)."""
    return _read_tsv("helseforetak.tsv")


@cache
def first_names() -> frozenset[str]:
    words = []
    for line in _data_text("fornavn.txt").splitlines():
        if not line.startswith("#"):
            words.extend(line.split())
    return frozenset(words)


def is_given_name(word: str) -> bool:
    """A given name from the list, or a double name of two ("Kari-Anne", "Svein-Erik")."""
    names = first_names()
    return word in names or ("-" in word and all(part in names for part in word.split("-")))


@dataclass(frozen=True, slots=True)
class Fellesskap:
    id: str
    name: str
    strong: re.Pattern[str]
    weak: re.Pattern[str]
    trusts: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Body:
    short: str
    name: str
    pattern: re.Pattern[str]


_PREFIX = r"helse(?:fel{1,2}es{1,2}kap(?:et|a)?)\s+(?:i\s+|for\s+|på\s+)?(?:(?:regionen|området)\s+)?"


def _alternatives(values: str) -> str:
    names = sorted((v.strip() for v in values.split("|") if v.strip()), key=len, reverse=True)
    return "|".join(re.escape(n) for n in names)


@cache
def fellesskap_list() -> tuple[Fellesskap, ...]:
    trust_forms = trust_short_forms()
    out = []
    for row in community_rows():
        regions = _alternatives(row["regionnavn"])
        trusts = tuple(t for t in row["helseforetak"].split("|") if t)
        # Short forms are acronyms and match as written: "SiV" is Sykehuset i Vestfold, "Siv" a given name.
        long_forms = [f for t in trusts for f in [t, *trust_forms.get(t, [])] if len(f) > 5]
        acronyms = [f for t in trusts for f in trust_forms.get(t, []) if len(f) <= 5]
        trust_names = _alternatives("|".join(long_forms)) + (
            "|(?-i:" + _alternatives("|".join(acronyms)) + ")" if acronyms else ""
        )
        strong = re.compile(rf"\b(?:{_PREFIX}(?:{regions})|(?:{trust_names}))(?![\wæøå])", re.I)
        weak = re.compile(rf"\b(?:{_alternatives(row['svake_navn'])})(?![\wæøå])")
        out.append(Fellesskap(row["id"], row["navn"], strong, weak, trusts))
    return tuple(out)


@cache
def trust_short_forms() -> dict[str, list[str]]:
    return {row["navn"]: [s for s in row["kortnavn"].split("|") if s] for row in health_trust_rows()}


@cache
def bodies() -> tuple[Body, ...]:
    return tuple(
        Body(row["kort"], row["navn"], re.compile(row["mønster"], re.I)) for row in _read_tsv("bodies.tsv")
    )

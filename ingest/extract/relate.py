"""Typed relations with evidence, read unit by unit (sentence, list item, table row) within passages.

Who is the subject of a unit: the initiative or working group it names, else the one its list item
is led by, else the one its section heading names (with an anaphor such as "prosjektet" or a plan
heading). Patient groups come from the unit, else from the heading above it; municipalities need a
cue word ("pilot", "utvidet til", "består av" ...). Every relation keeps the passage it came from.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ingest.extract.catalogue import county_members
from ingest.extract.names import vocab
from ingest.model import Relation

SUBJECT_TYPES = {"initiative"}
GROUP_KINDS = {"arbeidsgruppe", "underutvalg", "fagutvalg", "interkommunalt samarbeid"}
_YEAR = re.compile(r"\b(20[0-4]\d|199\d)\b")


@dataclass(slots=True)
class Found:
    entity_id: str
    type: str
    start: int
    end: int
    kind: str = ""
    role: str | None = None


@dataclass(slots=True)
class Context:
    """What the headings above a passage name."""

    subject: str | None = None
    groups: list[str] = field(default_factory=list)
    committee: str | None = None


@cache
def _cue_re(name: str) -> re.Pattern[str]:
    words = sorted(vocab()[name], key=len, reverse=True)
    return re.compile(r"(?<![\wæøå])(?:" + "|".join(re.escape(w) for w in words) + r")", re.I)


@cache
def _county_re() -> list[tuple[str, re.Pattern[str]]]:
    return [
        (county, re.compile("|".join(re.escape(p) for p in phrases), re.I))
        for county, phrases in vocab()["county_adjectives"].items()
    ]


def is_subject(found: Found) -> bool:
    return found.type == "initiative" or (found.type == "committee" and found.kind in GROUP_KINDS)


def relate_unit(
    text: str,
    span: tuple[int, int],
    found: list[Found],
    context: Context,
    passage_id: str,
    fellesskap_id: str | None,
    local_groups: list[str],
    memory: dict[str, str | None],
) -> list[Relation]:
    start, end = span
    unit = text[start:end]
    inside = [f for f in found if start <= f.start < end]
    subjects = [f for f in inside if is_subject(f)]
    groups = [f.entity_id for f in inside if f.type == "patient_group"]
    municipalities = [f for f in inside if f.type == "municipality"]
    relations: list[Relation] = []
    year_match = _YEAR.search(unit)
    year = int(year_match.group(1)) if year_match else None

    anaphor = bool(_cue_re("anaphora").search(unit))
    lead = next((f for f in subjects if f.start - start <= 4), None)
    if subjects:
        memory["initiative"] = subjects[-1].entity_id
    # The unit's subject: named in it, else its section's, else (with an anaphor) the last one named.
    subject_ids = list(dict.fromkeys(f.entity_id for f in subjects))
    if not subject_ids and context.subject:
        subject_ids = [context.subject]
        method_subject = "heading"
    elif not subject_ids and anaphor and memory.get("initiative"):
        subject_ids = [memory["initiative"]]  # type: ignore[list-item]
        method_subject = "anaphor"
    else:
        method_subject = "sentence"

    # addresses: groups named with the subject, else the heading's (or a numbered list head's) groups.
    for subject in subject_ids:
        own = [
            f.entity_id
            for f in inside
            if f.type == "patient_group"
            and any(s.entity_id == subject and s.start <= f.start < s.end for s in subjects)
        ]
        if own:
            targets, method = own, "name"
        elif groups and (subject in [s.entity_id for s in subjects] or method_subject != "sentence"):
            targets, method = groups, method_subject
        elif subject in [s.entity_id for s in subjects] and (local_groups or context.groups):
            targets, method = (local_groups or context.groups), ("list" if local_groups else "heading")
        else:
            targets, method = [], ""
        for group in dict.fromkeys(targets):
            relations.append(Relation(subject, "addresses", group, passage_id, method, year))

    # involves / pilotedIn: a subject, municipalities and a cue. A sentence that names no initiative
    # ("Kristiansand kommune er pilotkommune.") is about the one named last in the section.
    county_ids = _county_expansion(unit)
    participation = _cue_re("participation_cues").search(unit)
    if not subject_ids and participation and municipalities and memory.get("initiative"):
        subject_ids = [memory["initiative"]]  # type: ignore[list-item]
        method_subject = "context"
    if subject_ids and (municipalities or county_ids) and participation:
        piloted = _piloted(unit, start, municipalities)
        targets = list(dict.fromkeys([m.entity_id for m in municipalities] + county_ids))
        chosen = [lead.entity_id] if lead else subject_ids[-1:]
        for subject in chosen:
            for municipality in targets:
                relations.append(
                    Relation(subject, "involves", municipality, passage_id, method_subject, year)
                )
                if municipality in piloted:
                    relations.append(
                        Relation(subject, "pilotedIn", municipality, passage_id, method_subject, year)
                    )

    # memberOf: municipalities with a membership cue.
    membership = _cue_re("membership_cues").search(unit)
    listing = len(municipalities) >= 3 and _mostly_names(unit, municipalities)
    if (municipalities or county_ids) and (membership or listing):
        named_group = next(
            (f.entity_id for f in inside if f.type == "committee" and f.kind == "interkommunalt samarbeid"),
            None,
        )
        community = next((f.entity_id for f in inside if f.type == "health_community"), None)
        target = (
            named_group
            or context.committee
            or community
            or (f"health_community/{fellesskap_id}" if fellesskap_id else None)
        )
        if target and not (subject_ids and method_subject == "sentence" and not named_group):
            for municipality in dict.fromkeys([m.entity_id for m in municipalities] + county_ids):
                relations.append(
                    Relation(
                        municipality,
                        "memberOf",
                        target,
                        passage_id,
                        "list" if listing and not membership else "sentence",
                        year,
                    )
                )
    # Hospital trusts named with a membership cue belong to the helsefellesskap.
    if membership and fellesskap_id:
        for trust in {f.entity_id for f in inside if f.type == "health_trust"}:
            relations.append(
                Relation(trust, "memberOf", f"health_community/{fellesskap_id}", passage_id, "sentence")
            )

    # steeredBy: "SSU er styringsgruppe for prosjektet".
    if subject_ids and re.search(r"styringsgrupp", unit, re.I):
        for committee in {f.entity_id for f in inside if f.type == "committee" and f.kind not in GROUP_KINDS}:
            relations.append(
                Relation(subject_ids[-1], "steeredBy", committee, passage_id, method_subject, year)
            )

    # leads: "Prosjektleder Kari Marthinsen", "X som har ledet arbeidsgruppen". A project leader
    # named without the project leads the one the text is about (the last one named).
    for person in (f for f in inside if f.type == "person" and f.role in ("leads", "deputy")):
        if not subject_ids and memory.get("initiative"):
            subject_ids = [memory["initiative"]]  # type: ignore[list-item]
            method_subject = "anaphor"
        if subject_ids:
            predicate = "leads" if person.role == "leads" else "deputyLeads"
            relations.append(
                Relation(
                    person.entity_id,
                    predicate,
                    (lead.entity_id if lead else subject_ids[-1]),
                    passage_id,
                    method_subject,
                    year,
                )
            )
    return relations


_CLAUSE_BREAK = re.compile(r";|,\s+(?:og|men|mens|samt|medan|while|and|but)\s|\s[–—]\s")


def _piloted(unit: str, offset: int, municipalities: list[Found]) -> set[str]:
    """Municipalities in the same clause as a pilot cue: in "piloteres i Arendal og Grimstad i 2024,
    og skal spres til Lillesand", Lillesand takes part but is no pilot."""
    cues = [m.start() for m in _cue_re("pilot_cues").finditer(unit)]
    if not cues:
        return set()
    breaks = [m.start() for m in _CLAUSE_BREAK.finditer(unit)]
    out = set()
    for found in municipalities:
        position = found.start - offset
        for cue in cues:
            low, high = sorted((position, cue))
            if not any(low < b < high for b in breaks):
                out.add(found.entity_id)
    return out


def _county_expansion(unit: str) -> list[str]:
    out: list[str] = []
    for county, pattern in _county_re():
        if pattern.search(unit):
            out.extend(f"municipality/{n}" for n in county_members().get(county.lower(), []))
    return out


def _mostly_names(unit: str, municipalities: list[Found]) -> bool:
    named = sum(m.end - m.start for m in municipalities)
    letters = len(re.sub(r"[^\wæøå]", "", unit))
    return letters > 0 and named / letters > 0.6

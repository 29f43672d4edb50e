"""Entities every list knows, built from the data files: municipalities (current and former),
hospital trusts, the 19 helsefellesskap and the four patient groups, as the gazetteer's entries."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ingest import ids
from ingest.resources import (
    extraction_vocabulary,
    fellesskap_list,
    former_municipality_rows,
    meeting_vocabulary,
    municipality_rows,
    patient_group_table,
    trust_short_forms,
)

__all__ = [
    "GazetteerEntry",
    "county_members",
    "field_labels",
    "gazetteer_entries",
    "municipalities",
    "municipality_alternatives",
    "municipality_entries",
    "patient_groups",
    "vocab",
]


@dataclass(frozen=True, slots=True)
class GazetteerEntry:
    """One pattern of the gazetteer (what spaCy's rulers call a pattern): a name or a regular
    expression, the entity it names, and what the list says about it (county, a former name …)."""

    entity_id: str
    type: str
    label: str
    pattern: str  # a regular expression
    case_sensitive: bool = True
    attrs: dict = field(default_factory=dict, hash=False, compare=False)
    literal: str | None = None  # a plain name, matched by token lookup instead of a regex


def _bare(name: str) -> str:
    return re.sub(r"\s*\(.*\)\s*$", "", name).strip()


@cache
def vocab() -> dict[str, Any]:
    """The words and patterns of ``extraction.json``: cues, stop words, name rules."""
    return extraction_vocabulary()


@cache
def field_labels() -> frozenset[str]:
    """The labels of a meeting paper's fields ("Sted", "Stad", "Referent" …), lower-cased."""
    return frozenset(w.lower() for words in meeting_vocabulary()["fields"].values() for w in words)


@cache
def municipalities() -> dict[str, dict]:
    """Municipality number -> {label, county, names}."""
    out: dict[str, dict] = {}
    for row in municipality_rows():
        names = [_bare(row["navn"])] + [n for n in row.get("andre_navn", "").split("|") if n]
        out[row["nummer"]] = {
            "label": _bare(row["navn"]),
            "county": row["fylke"],
            "names": names,
            "former": [],
        }
    by_name = {info["label"]: number for number, info in out.items()}
    for row in former_municipality_rows():
        number = by_name.get(row["ble_til"])
        if number:
            out[number]["former"].append((_bare(row["navn"]), row["år"]))
    return out


@cache
def county_members() -> dict[str, list[str]]:
    members: dict[str, list[str]] = {}
    for number, info in municipalities().items():
        members.setdefault(info["county"].lower(), []).append(number)
    return members


@cache
def patient_groups() -> dict[str, dict]:
    return patient_group_table()


@cache
def gazetteer_entries() -> tuple[GazetteerEntry, ...]:
    entries: list[GazetteerEntry] = []
    ambiguous = set(vocab()["ambiguous_municipalities"])
    for number, info in municipalities().items():
        attrs = {"number": number, "county": info["county"]}
        # Today's names, then the names of the municipalities merged into it (with the year they went).
        named: list[tuple[str, dict[str, object]]] = [(name, {}) for name in info["names"]]
        named += [(name, {"former": name, "merged": year}) for name, year in info["former"]]
        for name, former in named:
            entries.append(
                GazetteerEntry(
                    ids.municipality(number),
                    "municipality",
                    info["label"],
                    re.escape(name),
                    True,
                    {**attrs, "ambiguous": name in ambiguous, **former},
                    literal=name,
                )
            )
    for full, shorts in trust_short_forms().items():
        entity_id = ids.health_trust(full)
        entries.append(GazetteerEntry(entity_id, "health_trust", full, re.escape(full), False, literal=full))
        without_hf = re.sub(r"\s+HF$", "", full)
        if without_hf != full:
            entries.append(
                GazetteerEntry(
                    entity_id, "health_trust", full, re.escape(without_hf), False, literal=without_hf
                )
            )
        for short in shorts:
            if len(short) <= 2:
                entries.append(
                    GazetteerEntry(entity_id, "health_trust", full, re.escape(short) + r"(?=\s*HF\b)", True)
                )
            else:
                sensitive = len(short) <= 5
                entries.append(
                    GazetteerEntry(
                        entity_id, "health_trust", full, re.escape(short), sensitive, literal=short
                    )
                )
    for f in fellesskap_list():
        entries.append(
            GazetteerEntry(
                ids.health_community(f.id),
                "health_community",
                f.name,
                f.strong.pattern,
                False,
                {"fellesskap": f.id},
            )
        )
    for key, group in patient_groups().items():
        for pattern in group["patterns"]:
            upper = pattern.isupper()
            entries.append(
                GazetteerEntry(ids.patient_group(key), "patient_group", group["label"], pattern, upper)
            )
    return tuple(entries)


@cache
def municipality_alternatives() -> dict[str, tuple[GazetteerEntry, ...]]:
    """Names two municipalities share (Våler in Østfold and in Innlandet, Herøy, Os …): every entry."""
    out: dict[str, list[GazetteerEntry]] = {}
    for entry in gazetteer_entries():
        if entry.type == "municipality" and entry.literal:
            if all(e.entity_id != entry.entity_id for e in out.get(entry.literal, [])):
                out.setdefault(entry.literal, []).append(entry)
    return {name: tuple(entries) for name, entries in out.items() if len(entries) > 1}


@cache
def municipality_entries() -> dict[str, GazetteerEntry]:
    """Municipality name as written (current or former) -> its gazetteer entry."""
    out: dict[str, GazetteerEntry] = {}
    for entry in gazetteer_entries():
        if entry.type == "municipality" and entry.literal:
            out.setdefault(entry.literal, entry)
    return out

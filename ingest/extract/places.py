"""Which municipality a place name found by the gazetteer names, if any: not the "Lund" of "Bente
Isaksen Lund", not the nynorsk field label "Stad:", an ambiguous name ("Bø", "Hole") only with a cue,
and a name two municipalities share (Våler, Herøy, Os …) the one in the county the document is about.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import replace

from ingest import ids
from ingest.extract.catalogue import (
    GazetteerEntry,
    field_labels,
    municipality_alternatives,
    municipality_entries,
)
from ingest.extract.entities import EntityTable
from ingest.extract.recognised import Recognised
from ingest.resources import is_given_name

_NAME_BEFORE = re.compile(r"([A-ZÆØÅ][\wæøåé'’-]+)[ \t]+(?:([A-ZÆØÅ][\wæøåé'’-]+)[ \t]+)?$")


def in_person_name(text: str, start: int) -> bool:
    """A place name that is part of a person's name: after a given name, or after a given name
    and a surname ("Bjørn Atle Grimstad", "Bente Isaksen Lund", "Anne Grethe Strand Olsen")."""
    match = _NAME_BEFORE.search(text[max(0, start - 60) : start])
    if match is None:
        return False
    tokens = [t for t in match.groups() if t]
    return is_given_name(tokens[-1]) or (len(tokens) == 2 and is_given_name(tokens[0]))


class Places:
    """The municipalities of one document, with the counties named so far (to choose between namesakes)."""

    def __init__(self, table: EntityTable) -> None:
        self.table = table
        self.county_votes: Counter[str] = Counter()

    def municipalities(self, text: str, listed: list[Recognised]) -> list[Recognised]:
        """The gazetteer's municipality spans in ``text`` that name one, each resolved and added."""
        out = []
        for index, place in enumerate(listed):
            name = text[place.start : place.end]
            entry = municipality_entries().get(name)
            if not self._names_a_place(text, place, name, entry, listed, index):
                continue
            alternatives = municipality_alternatives().get(name)
            if alternatives:
                # A name two municipalities share: the one in the county the document is about.
                entry = max(alternatives, key=lambda e: self.county_votes[e.attrs.get("county", "")])
                place = replace(place, entity_id=entry.entity_id)
            elif entry:
                self.county_votes[entry.attrs.get("county", "")] += 1
            self._add(place, name, entry)
            out.append(place)
        return out

    @staticmethod
    def _names_a_place(
        text: str,
        place: Recognised,
        name: str,
        entry: GazetteerEntry | None,
        listed: list[Recognised],
        index: int,
    ) -> bool:
        if in_person_name(text, place.start) or (
            text[place.end : place.end + 1] == ":" and name.lower() in field_labels()
        ):
            return False  # "Bente Isaksen Lund"; "Stad: Molde sjukehus" (the nynorsk field label)
        if not (entry and entry.attrs.get("ambiguous")):
            return True
        # An ambiguous name is a place with "kommune" after it, "i" before it, or next to another place.
        after = text[place.end : place.end + 9].lower()
        before = text[max(0, place.start - 3) : place.start].lower()
        neighbours = [
            other
            for j, other in enumerate(listed)
            if j != index and (abs(other.start - place.end) <= 5 or abs(place.start - other.end) <= 5)
        ]
        return after.startswith(" kommune") or before.endswith("i ") or bool(neighbours)

    def _add(self, place: Recognised, name: str, entry: GazetteerEntry | None) -> None:
        self.table.add(
            place.entity_id,
            "municipality",
            entry.label if entry else name,
            number=ids.local_part(place.entity_id),
            county=entry.attrs.get("county") if entry else None,
        )
        if entry and entry.attrs.get("former"):
            former = self.table[place.entity_id].attrs.setdefault("former_names", [])
            if entry.attrs["former"] not in former:
                former.append(entry.attrs["former"])

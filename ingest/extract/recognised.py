"""The one type for a span of text recognised as naming something.

A gazetteer entry that matched, a rule that read a name no list knows ("Fagutvalg for legevakt",
«Trygt heim», "Prosjektleder Kari Marthinsen"), or an initiative named again later: each is a
:class:`Recognised` with its offsets and what recognised it. It carries an ``entity_id`` once
:class:`~ingest.extract.entities.EntityTable` has resolved it (a gazetteer entry knows its id at once).
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(slots=True)
class Recognised:
    type: str  # an entity type of the registry: committee, initiative, person, municipality, …
    kind: str  # what sort of that type: fagutvalg, arbeidsgruppe, SSU, prosjekt, team, … ("" for a listed entity)
    label: str  # the name as the list or the rule gives it
    key: str  # a spelling-insensitive key that merges variants (Ung Arena+ = UngArena+)
    start: int  # offsets into the text it was read from
    end: int
    role: str | None = None  # for people: leads, deputy, chairs, …
    source: str = "rule"  # what recognised it: gazetteer, committee, initiative, person, plan, known
    entity_id: str = ""  # the entity it names, once resolved


COLLABORATION = "interkommunalt samarbeid"  # the committee kind of a named regional collaboration
# Committees that are the subject of what a text says about them, as an initiative is.
GROUP_KINDS = frozenset({"arbeidsgruppe", "underutvalg", "fagutvalg", COLLABORATION})


def is_subject(name: Recognised) -> bool:
    return name.type == "initiative" or (name.type == "committee" and name.kind in GROUP_KINDS)

"""The entities of one document, as it names them: one :class:`~ingest.model.Entity` per id, every
spelling counted for its label, and the names earlier documents handed on (``known``, see
:func:`ingest.extract.resolve.registry_entries`) so that a thing named again resolves to its entity.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterator
from typing import Any

from ingest import ids
from ingest.extract.labels import preferred_label
from ingest.extract.recognised import COLLABORATION, Recognised
from ingest.extract.resolve import same_person, stems
from ingest.model import Entity

# Committees on a topic: their ids carry the kind and the topic ("committee/vestfold/fagutvalg-legevakt").
ON_A_TOPIC = ("fagutvalg", "samarbeidsutvalg", "arbeidsgruppe", "underutvalg", "fagråd")
VARIANT_KINDS = ("arbeidsgruppe", "underutvalg")  # kinds whose names vary from document to document


class EntityTable:
    def __init__(self, fellesskap: str, known: dict[str, dict[str, Any]]) -> None:
        self.fellesskap = fellesskap
        self.known = known
        self.entities: dict[str, Entity] = {}
        self._spellings: dict[str, Counter[str]] = defaultdict(Counter)

    def __contains__(self, entity_id: str) -> bool:
        return entity_id in self.entities

    def __getitem__(self, entity_id: str) -> Entity:
        return self.entities[entity_id]

    def of_type(self, type_: str) -> Iterator[Entity]:
        return (e for e in self.entities.values() if e.type == type_)

    def add(self, entity_id: str, type_: str, label: str, **attrs: object) -> str:
        """The entity ``entity_id``, named ``label`` once more; attributes given (not None) are set."""
        if entity_id not in self.entities:
            self.entities[entity_id] = Entity(entity_id, type_, label, [], {})
        entity = self.entities[entity_id]
        entity.attrs.update({k: v for k, v in attrs.items() if v is not None})
        self._spellings[entity_id][label] += 1
        return entity_id

    def spellings(self, entity_id: str) -> list[str]:
        """The ways the document wrote the entity's name, the most frequent first."""
        return [label for label, _ in self._spellings[entity_id].most_common()]

    def resolve(self, name: Recognised) -> str:
        """The id of the entity a rule's name stands for, added to the table."""
        if name.type == "person":
            return self.person(name.label)
        if name.type != "committee":
            return self.add(
                ids.initiative(self.fellesskap, name.key),
                "initiative",
                name.label,
                kind=name.kind,
                fellesskap=self.fellesskap,
            )
        if name.kind in ON_A_TOPIC:
            kind, _, topic = name.key.partition(":")
            entity_id = self._committee_variant(kind, topic, name.label)
        elif name.kind == COLLABORATION:
            entity_id = ids.committee(self.fellesskap, name.label)
        else:
            entity_id = ids.committee(self.fellesskap, name.kind)
        return self.add(entity_id, "committee", name.label, kind=name.kind, fellesskap=self.fellesskap)

    def person(self, name: str) -> str:
        """One id per person across spellings: Marte W. Hansen = Marthe Wang-Hansen, Kari Martinsen =
        Kari Marthinsen (same given name, give or take a letter; same surname or its last part)."""
        entity_id = ids.person(name)
        if entity_id not in self.entities and entity_id not in self.known:
            pool = [(e.id, e.label) for e in self.of_type("person")]
            pool += [(i, info["label"]) for i, info in self.known.items() if info.get("type") == "person"]
            entity_id = next((other_id for other_id, other in pool if same_person(name, other)), entity_id)
        return self.add(entity_id, "person", name)

    def _committee_variant(self, kind: str, topic: str, label: str) -> str:
        """Variants of one committee: 'Faglig samarbeidsutvalg for X' is 'Fagutvalg for X' where that
        exists; a working group whose name words contain (or are contained in) another's is that one."""
        entity_id = ids.working_group(self.fellesskap, kind, topic)
        pool = {**self.known, **{e.id: self._registered(e) for e in self.entities.values()}}
        if kind == "samarbeidsutvalg":
            target = ids.working_group(self.fellesskap, "fagutvalg", topic)
            if target in pool:
                return target
        if entity_id in pool or kind not in VARIANT_KINDS:
            return entity_id
        mine = set(stems(label))
        for other_id, info in pool.items():
            if (
                info.get("kind") != kind
                or info.get("fellesskap") != self.fellesskap
                or info.get("type") != "committee"
            ):
                continue
            theirs = set(info.get("stems", []))
            shared = mine & theirs
            if len(shared) >= 2 and (shared in (mine, theirs)):
                return other_id
        return entity_id

    def _registered(self, entity: Entity) -> dict[str, Any]:
        return {
            "type": entity.type,
            "kind": entity.attrs.get("kind"),
            "fellesskap": self.fellesskap,
            "stems": stems(entity.label),
        }

    def finished(self) -> list[Entity]:
        """The entities, each labelled as it was written most (see :func:`preferred_label`)."""
        for entity_id, counts in self._spellings.items():
            entity = self.entities[entity_id]
            entity.label = preferred_label(entity.type, counts)
            entity.aliases = sorted(set(counts) - {entity.label})
        return list(self.entities.values())

"""A clause of a passage (sentence, list item, table row), the span relation finders read, with what the relation finders need to know of it:
the names in it, its subject and how that was found, its year, and the passage's heading context."""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from ingest.extract.context import Context
from ingest.extract.recognised import Recognised, is_subject
from ingest.extract.relations.cues import cue
from ingest.model import Relation

_YEAR = re.compile(r"\b(20[0-4]\d|199\d)\b")


@dataclass(slots=True)
class Clause:
    text: str  # the unit's own text
    start: int  # where it starts in the passage (the names' offsets are the passage's)
    inside: list[Recognised]  # the names in it
    context: Context
    passage_id: str
    fellesskap: str | None
    local_groups: list[str]  # patient groups of the numbered list head above it
    memory: dict[str, str | None]  # the initiative named last in this section
    year: int | None = None
    subjects: list[Recognised] = field(default_factory=list)
    # The unit's subject: named in it, else its section's, else (with an anaphor) the last one named.
    # A finder may adopt one later (a sentence about the last-named initiative); the finders after it see it.
    subject_ids: list[str] = field(default_factory=list)
    method: str = "sentence"  # how the subject was found: sentence, heading, anaphor, context
    lead: Recognised | None = None  # the subject the unit opens with

    @classmethod
    def read(
        cls,
        text: str,
        span: tuple[int, int],
        found: list[Recognised],
        context: Context,
        passage_id: str,
        fellesskap: str | None,
        local_groups: list[str],
        memory: dict[str, str | None],
    ) -> Clause:
        start, end = span
        unit = cls(
            text[start:end],
            start,
            [f for f in found if start <= f.start < end],
            context,
            passage_id,
            fellesskap,
            local_groups,
            memory,
        )
        year = _YEAR.search(unit.text)
        unit.year = int(year.group(1)) if year else None
        unit.subjects = [f for f in unit.inside if is_subject(f)]
        unit.lead = next((f for f in unit.subjects if f.start - start <= 4), None)
        if unit.subjects:
            memory["initiative"] = unit.subjects[-1].entity_id
        unit.subject_ids = list(dict.fromkeys(f.entity_id for f in unit.subjects))
        if not unit.subject_ids and context.subject:
            unit.subject_ids, unit.method = [context.subject], "heading"
        elif not unit.subject_ids and cue("anaphora").search(unit.text) and memory.get("initiative"):
            unit.adopt_last_named("anaphor")
        return unit

    def of_type(self, type_: str) -> list[Recognised]:
        return [f for f in self.inside if f.type == type_]

    def ids_of_type(self, type_: str) -> list[str]:
        return [f.entity_id for f in self.inside if f.type == type_]

    def last_named(self) -> str | None:
        return self.memory.get("initiative")

    def adopt_last_named(self, method: str) -> None:
        """The unit is about the initiative named last in its section."""
        last = self.last_named()
        if last is not None:
            self.subject_ids, self.method = [last], method

    def relation(
        self, subject: str, predicate: str, object_: str, method: str, *, dated: bool = True
    ) -> Relation:
        return Relation(subject, predicate, object_, self.passage_id, method, self.year if dated else None)

"""Recognition: every name in a text, each resolved to its entity. The gazetteer's spans (from the
spaCy pipeline), the municipalities among them, then the names the rules read and the initiatives
named before; where rule names overlap, the first and longest wins (a person's name always counts).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING

from ingest.extract.entities import EntityTable
from ingest.extract.known_names import KnownNames
from ingest.extract.labels import listed_label
from ingest.extract.names import committees, initiatives, people, plan_items
from ingest.extract.places import Places
from ingest.extract.recognised import Recognised
from ingest.extract.units import pieces

if TYPE_CHECKING:
    from spacy.language import Language
    from spacy.tokens import Span


class Recogniser:
    def __init__(self, nlp: Language, table: EntityTable, spans_key: str) -> None:
        self.nlp = nlp
        self.table = table
        self.spans_key = spans_key
        self.places = Places(table)
        self.known_names = KnownNames(table)
        self._headings: dict[str, list[Recognised]] = {}

    def find(self, text: str, emphasis: list[str], section: list[str], kind: str) -> list[Recognised]:
        """The names in ``text`` (a passage of ``kind`` under ``section``), in order of start."""
        found: list[Recognised] = []
        municipal: list[Recognised] = []
        for offset, span in self._spans(text):
            listed = Recognised(
                span.label_,
                "",
                span.text,
                "",
                offset + span.start_char,
                offset + span.end_char,
                source="gazetteer",
                entity_id=span.kb_id_,
            )
            if listed.type == "municipality":
                municipal.append(listed)
                continue
            listed.label = listed_label(listed.type, listed.entity_id, span.text)
            self.table.add(listed.entity_id, listed.type, listed.label)
            found.append(listed)
        found += self.places.municipalities(text, municipal)
        found += self._named(text, emphasis, section, kind, found)
        return sorted(found, key=lambda f: f.start)

    def heading(self, heading: str) -> list[Recognised]:
        """The names in a heading (read once per document: headings repeat over their passages)."""
        if heading not in self._headings:
            self._headings[heading] = self.find(heading, [], [], "heading")
        return self._headings[heading]

    def _spans(self, text: str) -> Iterator[tuple[int, Span]]:
        """The gazetteer's spans with the offset of the piece they were found in: a text longer than
        spaCy's ``max_length`` (one table row, one paragraph without sentence ends) goes in pieces cut
        at line or word boundaries, never in one call that spaCy refuses (E088)."""
        for start, end in pieces(text, self.nlp.max_length):
            spacy_doc = self.nlp(text[start:end])  # held: its spans die with it
            for span in spacy_doc.spans[self.spans_key]:
                yield start, span

    def _named(
        self, text: str, emphasis: list[str], section: list[str], kind: str, listed: list[Recognised]
    ) -> list[Recognised]:
        names = committees(text) + initiatives(text, emphasis, section) + people(text)
        if kind == "table_row":
            names += plan_items(text)
        names += self.known_names.find(text)
        out = []
        taken_end = -1  # the furthest end taken so far: in start order, an overlap starts before it
        for name in sorted(names, key=lambda c: (c.start, -(c.end - c.start))):
            if name.start < taken_end and name.type != "person":
                continue
            if name.type == "initiative" and any(
                f.type == "patient_group" and f.start == name.start and f.end >= name.end for f in listed
            ):
                continue  # «skrøpelige eldre» in quotes is a group, not a project
            name.entity_id = self.table.resolve(name)
            taken_end = max(taken_end, name.end)
            out.append(name)
        return out

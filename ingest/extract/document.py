"""Reading one document: its passages in order, each read for names (with its headings' context),
its units for relations and region lists; then its meetings, what its helsefellesskap holds, and
the entities that relations name without a mention. Fills ``doc.entities``, ``doc.mentions`` and
``doc.relations``."""

from __future__ import annotations

import re
from typing import TYPE_CHECKING, Any

from ingest import ids
from ingest.extract.catalogue import municipalities
from ingest.extract.community import community_links
from ingest.extract.context import Context, heading_context
from ingest.extract.entities import EntityTable
from ingest.extract.labels import community_label, municipality_label
from ingest.extract.meetings import meeting_relations
from ingest.extract.recognise import Recogniser
from ingest.extract.recognised import Recognised, is_subject
from ingest.extract.regions import region_of_item, region_of_row
from ingest.extract.relations import Clause, relate_unit
from ingest.extract.units import units
from ingest.model import Document, Mention, Passage, Relation

if TYPE_CHECKING:
    from spacy.language import Language

_NUMBERED = re.compile(r"^\s*-?\s*\d{1,2}[.)]\s")
_CELL = " | "


class DocumentReader:
    def __init__(
        self, nlp: Language, spans_key: str, doc: Document, known: dict[str, dict[str, Any]]
    ) -> None:
        self.doc = doc
        self.table = EntityTable(doc.fellesskap or "ukjent", known)
        self.recogniser = Recogniser(nlp, self.table, spans_key)
        self.mentions: list[Mention] = []
        self.relations: list[Relation] = []
        self._memory: dict[str, str | None] = {}  # the initiative named last in the current section

    def read(self) -> None:
        doc = self.doc
        if doc.fellesskap:
            self.table.add(
                ids.health_community(doc.fellesskap),
                "health_community",
                doc.fellesskap_name or doc.fellesskap,
            )
        last_section: tuple[str, ...] = ()
        for index, passage in enumerate(doc.passages):
            section = tuple(passage.section)
            if section != last_section:
                self._memory.clear()
            last_section = section
            self._passage(index, passage, section)
        self.relations += meeting_relations(doc, self.table, self.mentions)
        self.relations += community_links(doc, self.table, self.mentions)
        self._finish()

    def _passage(self, index: int, passage: Passage, section: tuple[str, ...]) -> None:
        context = heading_context(section, passage.text, self.recogniser, self.table)
        found = self.recogniser.find(passage.text, passage.emphasis, list(section), passage.kind)
        for f in found:
            self.mentions.append(
                Mention(f.entity_id, passage.passage_id, passage.text[f.start : f.end], f.start, f.end)
            )
        # What the passages just before say (a table's header, a list's lead-in) and the headings.
        before = self.doc.passages[max(0, index - 3) : index]
        recent = " ".join(p.text[:200] for p in before) + " " + " ".join(section)
        local_groups: list[str] = []
        for span in units(passage.text, passage.kind):
            inside = [f for f in found if span[0] <= f.start < span[1]]
            if _NUMBERED.match(passage.text[span[0] : span[1]]):
                # A numbered list head's patient groups are those of the items under it.
                local_groups = [f.entity_id for f in inside if f.type == "patient_group"]
                if local_groups and not any(is_subject(f) for f in inside):
                    continue
            self._regions(passage, span, found, recent)
            if passage.kind == "table_row":
                self._row(passage, span, found, inside, context)
            else:
                self._relate(passage, span, found, context, local_groups)

    def _regions(self, passage: Passage, span: tuple[int, int], found: list[Recognised], recent: str) -> None:
        """A region's municipalities are members of it (and still of the helsefellesskap, below)."""
        if passage.kind == "table_row":
            region = region_of_row(passage, found, recent, self.table)
        else:
            lead_in = passage.text[max(0, span[0] - 300) : span[0]]
            region = region_of_item(passage, span, found, recent + " " + lead_in, self.table)
        if region is not None:
            self.mentions.append(region.mention)
            self.relations += region.relations

    def _row(
        self,
        passage: Passage,
        span: tuple[int, int],
        found: list[Recognised],
        inside: list[Recognised],
        context: Context,
    ) -> None:
        """A plan table's row: the patient groups of its first cell are those of the whole row."""
        first = len(passage.text.split(_CELL)[0])
        local_groups = [f.entity_id for f in inside if f.type == "patient_group" and f.end <= first]
        rest = [f for f in found if not (f.type == "patient_group" and f.end <= first)]
        self._relate(passage, span, rest, context, local_groups)

    def _relate(
        self,
        passage: Passage,
        span: tuple[int, int],
        found: list[Recognised],
        context: Context,
        local_groups: list[str],
    ) -> None:
        unit = Clause.read(
            passage.text,
            span,
            found,
            context,
            passage.passage_id,
            self.doc.fellesskap,
            local_groups,
            self._memory,
        )
        self.relations += relate_unit(unit)

    def _finish(self) -> None:
        self._add_named_by_relations()
        entities = self.table.finished()
        seen: set[tuple[str, str, str, str | None]] = set()
        relations = []
        for relation in self.relations:
            key = (relation.subject, relation.predicate, relation.object, relation.passage_id)
            if key in seen or relation.subject == relation.object:
                continue
            seen.add(key)
            relations.append(relation)
        self.doc.entities = entities
        self.doc.mentions = self.mentions
        self.doc.relations = relations

    def _add_named_by_relations(self) -> None:
        """Relations may name entities the text did not (the municipalities of "alle kommunene i
        Agder"): they get their entity from the reference data."""
        for relation in self.relations:
            for end in (relation.subject, relation.object):
                if end in self.table:
                    continue
                type_, number = ids.type_of(end), ids.local_part(end)
                if type_ == "municipality" and number in municipalities():
                    county = municipalities()[number]["county"]
                    self.table.add(end, "municipality", municipality_label(end), number=number, county=county)
                elif type_ == "health_community":
                    self.table.add(end, "health_community", community_label(end))

"""Reading one document: its passages in order, each read for names (with its headings' context),
its units for relations and region lists; then its meetings, what its helsefellesskap holds, and
the entities that relations name without a mention. Fills ``doc.entities``, ``doc.mentions`` and
``doc.relations``."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ingest import ids
from ingest.extract.catalogue import municipalities
from ingest.extract.community import community_links
from ingest.extract.context import heading_context
from ingest.extract.labels import community_label, municipality_label
from ingest.extract.meetings import meeting_relations, people_named
from ingest.extract.recognised import Recognised
from ingest.extract.regions import region_of_item, region_of_row
from ingest.extract.state import DocumentState, PassageContext
from ingest.model import Document, Mention, Passage, Relation

if TYPE_CHECKING:
    from ingest.extract.pipeline import Pipeline
    from ingest.extract.relations.component import ReadUnit


class DocumentReader:
    def __init__(self, pipeline: Pipeline, doc: Document, known: dict[str, dict[str, Any]]) -> None:
        self.pipeline = pipeline
        self.doc = doc
        self.state = DocumentState.new(doc.fellesskap, known)
        self.table = self.state.table
        self.mentions: list[Mention] = []
        self.relations: list[Relation] = []

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
                self.state.memory.clear()  # the initiative named last is of the section before
            last_section = section
            self._passage(index, passage, section)
        meetings = meeting_relations(doc, self.table, self.mentions)
        self.mentions += people_named(doc, meetings, self.table, self.mentions)
        self.relations += meetings
        self.relations += community_links(doc, self.table, self.mentions)
        self._finish()

    def _passage(self, index: int, passage: Passage, section: tuple[str, ...]) -> None:
        context = heading_context(section, passage.text, self._heading_names, self.table)
        read = self.pipeline.read(
            passage.text,
            self.state,
            PassageContext(
                passage.kind,
                list(section),
                passage.emphasis,
                self.doc.fellesskap,
                passage.passage_id,
                context,
            ),
        )
        found: list[Recognised] = read._.hfkg_names
        for f in found:
            self.mentions.append(
                Mention(f.entity_id, passage.passage_id, passage.text[f.start : f.end], f.start, f.end)
            )
        # What the passages just before say (a table's header, a list's lead-in) and the headings.
        before = self.doc.passages[max(0, index - 3) : index]
        recent = " ".join(p.text[:200] for p in before) + " " + " ".join(section)
        units: list[ReadUnit] = read._.hfkg_units
        for unit in units:
            self._regions(passage, unit.span, found, recent)
            self.relations += unit.relations

    def _heading_names(self, heading: str) -> list[Recognised]:
        """The names in a heading (read once per document: headings repeat over their passages)."""
        if heading not in self.state.headings:
            self.state.headings[heading] = self.pipeline.names(heading, self.state)
        return self.state.headings[heading]

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

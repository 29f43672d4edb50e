"""The whoosh schema, and how documents become index records.

A record is one passage (``kind="passage"``) or one agenda item (``kind="decision"``). The two
kinds use different text fields, so a passage query never touches a decision and no filter on
``kind`` is needed. Facets are counted from the facet fields' postings (see
:mod:`search.set_matching`); the single-valued ones are also sortable columns for plain whoosh.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import columns, fields

from ingest import ids
from ingest.model import AgendaItem, Document, Meeting, Passage
from search.analysis import NorwegianAnalyzer, compound_terms, pre_analyzed, weighted

SECTION_SEPARATOR = " > "
PASSAGE, DECISION = "passage", "decision"
KINDS = (PASSAGE, DECISION)

# Stored text longer than this is cut; a snippet never needs more.
MAX_STORED_TEXT = 20_000


@dataclass(frozen=True, slots=True)
class KindFields:
    """Names of the text fields of one record kind."""

    text: str  # body, title and section terms (title and section weigh more)
    compound: str  # reversed long terms, for compound heads
    head: str | None = None  # what the record says it is about: its own heading, a decision's title


FIELDS = {
    PASSAGE: KindFields("text", "compound", "head"),
    DECISION: KindFields("d_text", "d_compound", "d_head"),
}
# Titles and section headings say what a passage is about: they weigh more than body text.
TITLE_WEIGHT = 1.6
SECTION_WEIGHT = 1.3
FACETS = ("year", "doc_type", "fellesskap", "committee", "entity_type")
LIST_FACETS = ("year", "committee", "entity_type", "entity")
# "entity id<TAB>label as a document wrote it" (<TAB><TAB>: as a meeting header wrote its body): the
# facets' labels are picked from these (search/labels.py)
LABEL_SEPARATOR = "\t"
TABLE_ROW_BOOST = 1.25


class _ListColumn(columns.VarBytesListColumn):
    # A segment written before any document had this facet has no column: read it as empty lists.
    _default: list[bytes] = []


class FacetList(fields.KEYWORD):
    """A multi-valued facet (comma-separated values) with a list column for ``groupedby``."""

    def __init__(self) -> None:
        super().__init__(commas=True, lowercase=False, scorable=True)
        self.column_type = _ListColumn()

    def to_column_value(self, value: str) -> list[bytes]:
        return [v.strip().encode("utf-8") for v in value.split(",") if v.strip()]


def build_schema() -> fields.Schema:
    analyzer = pre_analyzed()
    text_fields: dict[str, fields.FieldType] = {}
    for kind_fields in FIELDS.values():
        text_fields[kind_fields.text] = fields.TEXT(analyzer=analyzer, phrase=True)
        text_fields[kind_fields.compound] = fields.TEXT(analyzer=analyzer, phrase=False)
        if kind_fields.head:
            text_fields[kind_fields.head] = fields.TEXT(analyzer=analyzer, phrase=True)
    return fields.Schema(
        uid=_scorable(fields.ID(unique=True, stored=True)),
        doc_id=_scorable(fields.ID(stored=True, sortable=True)),
        kind=fields.ID(stored=True),  # a filter-only query ranks by it: every record scores 1.0
        spell=fields.KEYWORD(lowercase=False, scorable=True),
        year=FacetList(),  # every year a document covers: a plan for 2023–2024 is found under both
        doc_type=_scorable(fields.ID(sortable=True)),
        fellesskap=_scorable(fields.ID(sortable=True)),
        date=_scorable(fields.ID()),  # ISO date: date-range filters and the date sort
        committee=FacetList(),  # committee entity ids
        entity=FacetList(),
        entity_label=FacetList(),
        entity_type=FacetList(),
        duplicate=_scorable(fields.ID()),
        data=fields.STORED(),
        **text_fields,
    )


def _scorable(field: fields.FieldType) -> fields.FieldType:
    """A field that stores its lengths. Only the text fields are ever scored, but whoosh's
    segment writer asks for every posting's field length, and for a field without a length
    column that is a file-system ``stat`` per posting: with lengths the build is faster."""
    field.scorable = True
    return field


def _facet_value(values: Sequence[str]) -> str:
    # commas separate values in a FacetList, so they may not appear inside one
    return ",".join(dict.fromkeys(v.replace(",", " ").strip() for v in values if v and v.strip()))


class RecordBuilder:
    """Turns a Document into whoosh records (dicts for ``writer.add_document``)."""

    def __init__(self, analyzer: NorwegianAnalyzer) -> None:
        self.analyzer = analyzer

    def records(
        self, doc: Document, entities: Mapping[str, list[dict[str, str]]]
    ) -> Iterator[dict[str, Any]]:
        bodies = _bodies(doc)
        committees = {c for m in doc.meetings if (c := bodies.get(m.body or ""))}
        doc_committees = sorted(committees) if len(committees) == 1 else []
        for passage in doc.passages:
            yield self._passage(doc, passage, entities.get(passage.passage_id, []), doc_committees)
        for meeting in doc.meetings:
            body = [bodies[meeting.body]] if meeting.body in bodies else []
            for number, item in enumerate(meeting.agenda_items):
                found = entities.get(item.passage_id or "", [])
                yield self._decision(doc, meeting, item, number, found, body)

    def _common(
        self, doc: Document, entity_list: list[dict[str, str]], committees: list[tuple[str, str]]
    ) -> dict[str, Any]:
        record: dict[str, Any] = {"doc_id": doc.doc_id, "duplicate": "1" if doc.duplicate_of else "0"}
        years = _years(doc)
        if years:
            record["year"] = ",".join(years)
        if doc.doc_type:
            record["doc_type"] = doc.doc_type
        if doc.fellesskap:
            record["fellesskap"] = doc.fellesskap
        if doc.date:
            record["date"] = doc.date
        # Committees by entity id, so that "SSU" and "Strategisk samarbeidsutvalg (SSU)" count as one
        named = committees + [(e["id"], e["label"]) for e in entity_list if e.get("type") == "committee"]
        # a meeting header's body ("SSU") names the committee only where no document names it better
        labelled = [(e["id"], e["label"]) for e in entity_list] + [
            (i, f"{LABEL_SEPARATOR}{body}") for i, body in committees
        ]
        for name, values in (
            ("committee", [entity_id for entity_id, _ in named]),
            ("entity", [e["id"] for e in entity_list]),
            ("entity_type", [e["type"] for e in entity_list]),
            ("entity_label", [f"{i}{LABEL_SEPARATOR}{label}" for i, label in labelled if label]),
        ):
            value = _facet_value(values)
            if value:
                record[name] = value
        return record

    def _texts(self, kind: str, text: str, title: str, section: str) -> dict[str, str]:
        names = FIELDS[kind]
        terms = self.analyzer.terms(text)
        title_terms = self.analyzer.terms(title)
        section_terms = self.analyzer.terms(section)
        return {
            names.text: " ".join(
                [
                    weighted(title_terms, TITLE_WEIGHT),
                    weighted(section_terms, SECTION_WEIGHT),
                    " ".join(terms),
                ]
            ),
            names.compound: " ".join(compound_terms(terms + title_terms + section_terms)),
            "spell": " ".join(self.analyzer.words(f"{title} {section} {text}")),
        }

    def _passage(
        self,
        doc: Document,
        passage: Passage,
        entity_list: list[dict[str, str]],
        committees: list[tuple[str, str]],
    ) -> dict[str, Any]:
        section = SECTION_SEPARATOR.join(passage.section)
        record = self._common(doc, entity_list, committees)
        record.update(self._texts(PASSAGE, passage.text, doc.title, section))
        record["uid"] = f"p:{passage.passage_id}"
        record["kind"] = PASSAGE
        if passage.section:
            # the heading the passage stands under says what it is about (see _decision's title)
            record["head"] = " ".join(self.analyzer.terms(passage.section[-1]))
        if passage.kind == "table_row":
            record[f"_{FIELDS[PASSAGE].text}_boost"] = TABLE_ROW_BOOST
        record["data"] = {
            **_doc_data(doc),
            "passage_id": passage.passage_id,
            "page": passage.page,
            "section": section,
            "text": passage.text[:MAX_STORED_TEXT],
            "entities": entity_list,
        }
        return record

    def _decision(
        self,
        doc: Document,
        meeting: Meeting,
        item: AgendaItem,
        number: int,
        entity_list: list[dict[str, str]],
        committees: list[tuple[str, str]],
    ) -> dict[str, Any]:
        record = self._common(doc, entity_list, committees)
        if meeting.date:
            record["year"] = meeting.date[:4]
            record["date"] = meeting.date
        body_text = _decision_text(item)
        title = " ".join(p for p in (item.number or "", item.title) if p)
        record.update(self._texts(DECISION, body_text, title, meeting.body or ""))
        # The title says what the case is about: scored on its own (a field of a few words), so that
        # the case on "fagutvalg for fastleger" is not outweighed by a shorter item that merely
        # mentions the words in its text (search/querying.py adds it to the score).
        record["d_head"] = " ".join(self.analyzer.terms(item.title))
        record["uid"] = f"d:{doc.doc_id}:{meeting.date or ''}:{item.number or number}:{number}"
        record["kind"] = DECISION
        record["data"] = {
            **_doc_data(doc),
            "passage_id": item.passage_id,
            "page": item.page,
            "section": SECTION_SEPARATOR.join(p for p in (meeting.body, item.title) if p),
            "text": body_text[:MAX_STORED_TEXT],
            "entities": entity_list,
            "number": item.number,
            "decision_id": _decision_id(doc, item),
            "item_title": item.title,
            "decision_kind": item.kind,
            "conclusion": item.conclusion,
            "conclusion_label": item.conclusion_label,
            "responsible": item.responsible,
            "body": meeting.body,
            "date": meeting.date or doc.date,
            "year": int(meeting.date[:4]) if meeting.date else doc.year,
        }
        if meeting.date:  # a decision stands under its meeting's year, whatever its paper covers
            record["data"].update({"years": [int(meeting.date[:4])], "period": None, "adopted": None})
        return record


def period_label(start: int | None, end: int | None) -> str | None:
    """The years a plan covers as a person writes them: "2023–2024", "2023" for one year."""
    if start is None:
        return None
    return str(start) if end in (None, start) else f"{start}–{end}"


def _years(doc: Document) -> list[str]:
    """The years a document is counted and found under: each year of the period it covers, else its
    year (a meeting paper's title may name other years: "sak 2023.39: Handlingsplan 2024")."""
    if doc.period_start is not None and doc.period_end is not None:
        return [str(y) for y in range(doc.period_start, doc.period_end + 1)]
    return [str(doc.year)] if doc.year is not None else []


def _decision_text(item: AgendaItem) -> str:
    """An agenda item's text with its conclusion, the conclusion once: the item's text often holds it
    already, and indexed twice it made the decision twice as long (BM25 ranks a long text lower)."""
    text = item.text or ""
    conclusion = item.conclusion or ""
    if conclusion and " ".join(conclusion.split()) in " ".join(text.split()):
        return text
    parts = [text, item.conclusion_label or "", conclusion]
    return "\n".join(p for p in parts if p)


def _bodies(doc: Document) -> dict[str, tuple[str, str]]:
    """Each meeting body as written ("SSU") -> (its committee's entity id, the body as written): the
    committee extraction linked the meeting to (meetingOf), else the id extraction mints for the name."""
    linked = {r.subject: r.object for r in doc.relations if r.predicate == "meetingOf"}
    out: dict[str, tuple[str, str]] = {}
    for meeting in doc.meetings:
        if not meeting.body:
            continue
        meeting_id = ids.meeting(doc.fellesskap or "", meeting.body, meeting.date or "")
        committee = linked.get(meeting_id) or ids.committee(doc.fellesskap or "", meeting.body)
        out.setdefault(meeting.body, (committee, meeting.body))
    return out


def _doc_data(doc: Document) -> dict[str, Any]:
    return {
        "doc_id": doc.doc_id,
        "title": doc.title,
        "doc_type": doc.doc_type,
        "year": doc.year,
        "years": [int(y) for y in _years(doc)],  # what the year filter and facet count it under
        "period": period_label(doc.period_start, doc.period_end),
        "adopted": doc.adopted,
        "date": doc.date,
        "fellesskap": doc.fellesskap,
        "fellesskap_name": doc.fellesskap_name,
        "duplicate_of": doc.duplicate_of,
    }


def _decision_id(doc: Document, item: AgendaItem) -> str | None:
    """The graph's decision for an agenda item: extraction keys a case of a dated meeting by the meeting,
    so the notice and the case paper that tell of it find the same one."""
    return next(
        (
            e.id
            for e in doc.entities
            if e.type == "decision"
            and e.attrs.get("passage_id") == item.passage_id
            and e.attrs.get("number") == item.number
        ),
        None,
    )

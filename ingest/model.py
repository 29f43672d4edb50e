"""The shared, dependency-free data model every layer passes around.

Readers produce a :class:`RawDocument` (text per page); the segmenter turns it into one or more
:class:`Document` objects with meetings, agenda items and passages. Everything here serialises to
plain JSON through ``to_dict``/``from_dict`` so the manifest, the search index and the graph can
store it without knowing each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class RawPage:
    """Text of one page as the reader found it (page numbers are 1-based)."""

    number: int
    text: str
    ocr_confidence: float | None = None  # read by OCR: Tesseract's mean word confidence (0-100)


@dataclass(slots=True)
class RawDocument:
    """What a reader returns: pages of light-markup text plus whatever metadata the file carries.

    The text uses a small markup that every reader emits: ``# heading`` lines, ``- item`` list
    lines (indented by two spaces per level), table rows as tab-separated cells (a cell's inner line
    breaks written as ``\\u2028``), ``**bold**`` spans, and blank lines between paragraphs.
    """

    source: str
    format: str
    pages: list[RawPage]
    title: str | None = None
    created: str | None = None
    modified: str | None = None
    hard_wrapped: bool = False
    # An e-mail (ingest/readers/email.py): its headers (sender, to, cc, date, subject, message_id),
    # the files it carries as (file name, bytes), each to be read as a document of its own
    # (ingest/attachments.py), and what of it could not be handed on, with why.
    message: dict[str, Any] | None = None
    attachments: list[tuple[str, bytes]] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Block:
    """One structural unit of a normalised page: heading, paragraph, list item or table row."""

    kind: str  # "heading" | "paragraph" | "list_item" | "table_row"
    text: str
    page: int
    level: int = 0  # heading level, or list depth
    cells: list[str] = field(default_factory=list)
    bold: list[str] = field(default_factory=list)  # bold spans, in order
    start: int = 0  # character offsets into the document text
    end: int = 0


@dataclass(slots=True)
class Passage:
    """The unit of search and evidence."""

    passage_id: str
    doc_id: str
    page: int
    section: list[str]
    text: str
    start: int
    end: int
    kind: str = "paragraph"  # paragraph | list | table_row | agenda_item | heading
    emphasis: list[str] = field(default_factory=list)  # bold spans: names set off in the source

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


@dataclass(slots=True)
class AgendaItem:
    number: str | None
    title: str
    kind: str | None = None  # beslutning | orientering | diskusjon
    conclusion: str | None = None
    conclusion_label: str | None = None  # Konklusjon, Forslag til vedtak, ...
    responsible: str | None = None
    page: int = 1
    passage_id: str | None = None
    text: str = ""


@dataclass(slots=True)
class Meeting:
    body: str | None
    date: str | None  # ISO date
    time: str | None = None
    place: str | None = None
    chair: str | None = None
    minute_taker: str | None = None
    present: list[str] = field(default_factory=list)
    absent: list[str] = field(default_factory=list)
    agenda_items: list[AgendaItem] = field(default_factory=list)


@dataclass(slots=True)
class Entity:
    """One real thing, with a stable id across documents (``municipality/3907``, ``committee/vestfold/ssu``)."""

    id: str
    type: str  # one of the registry's entity types (kinds/data/kinds.json): initiative, committee, …
    label: str
    aliases: list[str] = field(default_factory=list)
    attrs: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class Mention:
    entity_id: str
    passage_id: str
    text: str
    start: int  # offsets into the passage text
    end: int


@dataclass(slots=True)
class Relation:
    """A typed fact with its evidence: the passage it was read from and how (heading, table_row, sentence...)."""

    subject: str
    predicate: str  # one of the registry's predicates (kinds/data/kinds.json): addresses, involves, …
    object: str
    passage_id: str | None
    method: str
    year: int | None = None


@dataclass(slots=True)
class Document:
    doc_id: str
    title: str
    doc_type: str
    source: str
    fellesskap: str | None = None  # id of the helsefellesskap
    fellesskap_name: str | None = None
    date: str | None = None  # ISO date of the document
    years: list[int] = field(default_factory=list)  # the years it is about: a plan's period, else its date's
    # A plan's (or annual report's) own dates: the years it covers, as it states them ("Handlingsplan
    # 2023–2024", "for perioden 2024–2027"), and when and by whom it was adopted ("Vedtatt i SSU
    # 07.10.2022"); ``fact_passages`` names the passage each was read from ("period", "adopted").
    period_start: int | None = None
    period_end: int | None = None
    adopted: str | None = None  # ISO date
    adopted_by: str | None = None
    fact_passages: dict[str, str] = field(default_factory=dict)
    pages: int = 1
    page_start: int = 1  # for a part of a bundled file: where it starts in that file
    part: int = 0
    parts_in_source: int = 1
    text: str = ""
    meetings: list[Meeting] = field(default_factory=list)
    passages: list[Passage] = field(default_factory=list)
    headings: list[dict[str, Any]] = field(default_factory=list)
    duplicate_of: str | None = None
    entities: list[Entity] = field(default_factory=list)
    mentions: list[Mention] = field(default_factory=list)
    relations: list[Relation] = field(default_factory=list)
    content_hash: str = ""
    fingerprint: list[int] = field(default_factory=list)
    # The pages read by OCR, with Tesseract's mean word confidence: [{"page": 2, "confidence": 91.4}].
    ocr_pages: list[dict[str, Any]] = field(default_factory=list)
    # An e-mail's own document carries its headers (``message``) and the doc_ids of the documents its
    # attachments became (``parts``); each of those names it as ``part_of``.
    message: dict[str, Any] | None = None
    parts: list[str] = field(default_factory=list)
    part_of: str | None = None

    @property
    def year(self) -> int | None:
        """The year a document stands under: the first of the period a plan covers (a plan for 2023
        adopted in October 2022 is 2023's), else its date's, else the first year it names."""
        if self.period_start is not None:
            return self.period_start
        if self.date:
            return int(self.date[:4])
        return self.years[0] if self.years else None

    @property
    def agenda_items(self) -> list[AgendaItem]:
        return [item for meeting in self.meetings for item in meeting.agenda_items]

    def summary(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "title": self.title,
            "doc_type": self.doc_type,
            "fellesskap": self.fellesskap_name,
            "fellesskap_id": self.fellesskap,
            "date": self.date,
            "year": self.year,
            "years": self.years,
            "period_start": self.period_start,
            "period_end": self.period_end,
            "adopted": self.adopted,
            "adopted_by": self.adopted_by,
            "source": self.source,
            "pages": self.pages,
            "passages": len(self.passages),
            "agenda_items": len(self.agenda_items),
            "duplicate_of": self.duplicate_of,
        }

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["year"] = self.year
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Document:
        data = dict(data)
        data.pop("year", None)
        meetings = []
        for m in data.pop("meetings", []):
            items = [AgendaItem(**i) for i in m.pop("agenda_items", [])]
            meetings.append(Meeting(**m, agenda_items=items))
        passages = [Passage(**p) for p in data.pop("passages", [])]
        entities = [Entity(**e) for e in data.pop("entities", [])]
        mentions = [Mention(**m) for m in data.pop("mentions", [])]
        relations = [Relation(**r) for r in data.pop("relations", [])]
        return cls(
            **data,
            meetings=meetings,
            passages=passages,
            entities=entities,
            mentions=mentions,
            relations=relations,
        )

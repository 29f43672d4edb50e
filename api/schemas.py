"""Response models of the HTTP API: the public contract, separate from the internal data model."""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, ConfigDict, Field


class ErrorDetail(BaseModel):
    code: str = Field(examples=["not_found"])
    message: str


class ErrorResponse(BaseModel):
    error: ErrorDetail


class Health(BaseModel):
    status: str = "ok"
    documents: int
    generation: int = Field(description="how many writes this server has committed since it started")
    writes_enabled: bool


# -- search -------------------------------------------------------------------------------------
class EntityRef(BaseModel):
    id: str
    label: str
    type: str | None = None


class SearchHit(BaseModel):
    doc_id: str
    title: str
    doc_type: str | None = None
    year: int | None = Field(None, description="the first year of a plan's period, else its date's year")
    years: list[int] = Field(
        [], description="every year the hit is found and counted under: each year a plan covers"
    )
    period: str | None = Field(None, description="the years a plan covers, as written: «2023–2024»")
    adopted: str | None = Field(None, description="when a plan was adopted (ISO date; often its date)")
    page: int | None = None
    section: str | None = None
    snippet: str = Field(description="HTML-escaped text; matched words in <mark>")
    score: float
    entities: list[EntityRef] = []
    passage_id: str | None = None
    date: str | None = None
    fellesskap: str | None = None
    fellesskap_name: str | None = None
    kind: str = "passage"
    match: str | None = Field(None, description="all: every word of the query; some: a partial match")
    duplicate_of: str | None = None
    # decisions (kind=decision) only
    document_title: str | None = None
    number: str | None = None
    conclusion: str | None = None
    conclusion_label: str | None = None
    decision_kind: str | None = None
    responsible: str | None = None
    body: str | None = None


class DocumentGroup(BaseModel):
    """One document's best hits under its heading (group=true)."""

    doc_id: str
    title: str
    count: int = Field(description="the document's matching passages (or decisions)")
    more: int = Field(description="those not shown among its hits: 'n flere i dette dokumentet'")
    hits: list[SearchHit]
    doc_type: str | None = None
    date: str | None = Field(None, description="its best hit's date: the document's, a decision's meeting's")
    year: int | None = None
    years: list[int] = Field([], description="its best hit's years (every year a plan covers)")
    period: str | None = Field(None, description="the years a plan covers, as written: «2023–2024»")
    adopted: str | None = Field(None, description="when a plan was adopted (ISO date)")
    fellesskap: str | None = Field(None, description="the helsefellesskap's id; its name in fellesskap_name")
    fellesskap_name: str | None = None


class Counted(BaseModel):
    total: str = Field(default="passage", description="what `total` counts: passage or decision")
    facets: str = Field(default="document", description="what the facets count: document")


class SearchResponse(BaseModel):
    total: int = Field(description="matching passages (decisions with kind=decision), whatever the page")
    matched_all: int | None = Field(None, description="of those, the ones with every word of the query")
    total_documents: int | None = Field(None, description="documents with a matching passage or decision")
    counts: Counted = Counted()
    hits: list[SearchHit]
    groups: list[DocumentGroup] | None = Field(None, description="with group=true: the page of documents")
    facets: dict[str, dict[str, int]] = Field(
        description="per facet, documents per value; committee values are entity ids"
    )
    facet_labels: dict[str, dict[str, str]] = Field(
        {}, description="per facet, the label of each value that is an id (committee, fellesskap)"
    )
    did_you_mean: str | None = None
    query: str
    kind: str
    filters: dict[str, list[str]] = {}
    sort: str = "relevance"
    group: bool = False
    limit: int
    offset: int


# -- ask ----------------------------------------------------------------------------------------
class Evidence(BaseModel):
    model_config = ConfigDict(extra="allow")

    doc_id: str | None = None
    title: str | None = None
    page: int | None = None
    text: str | None = None
    passage_id: str | None = None
    method: str | None = None
    year: int | None = None


class Answer(BaseModel):
    id: str | None = Field(
        description="the graph entity; null for an answer read from the text (a date, a number, a sentence)"
    )
    label: str
    type: str
    confidence: float | None = None
    method: str | None = Field(
        None, description="graph:<reading>, reading (a typed span of the text) or reading:text"
    )
    evidence: list[Evidence]
    detail: dict[str, Any] | None = None


class AskResponse(BaseModel):
    question: str
    interpretation: str
    plan: dict[str, Any] = Field(
        default_factory=dict, description="the question as read: what it asks for, anchors, years"
    )
    answers: list[Answer]
    hits: list[SearchHit]


# -- documents ----------------------------------------------------------------------------------
class DocumentSummary(BaseModel):
    doc_id: str
    title: str
    doc_type: str | None = None
    fellesskap: str | None = None
    fellesskap_id: str | None = None
    date: str | None = None
    year: int | None = Field(None, description="the first year of a plan's period, else the year of its date")
    years: list[int] = Field([], description="every year it covers (a plan's period), else its date's year")
    period_start: int | None = Field(
        None, description="the first year a plan covers: «Handlingsplan 2023–2024» 2023"
    )
    period_end: int | None = Field(None, description="the last year a plan covers")
    adopted: str | None = Field(
        None, description="when a plan was adopted (ISO date): «Vedtatt i SSU 07.10.2022»"
    )
    adopted_by: str | None = Field(None, description="who adopted it, as the plan names them")
    source: str | None = None
    pages: int | None = None
    passages: int | None = None
    agenda_items: int | None = None
    duplicate_of: str | None = None


class DocumentList(BaseModel):
    total: int
    documents: list[DocumentSummary]


class AgendaItem(BaseModel):
    number: str | None = None
    title: str
    kind: str | None = None
    conclusion: str | None = None
    conclusion_label: str | None = None
    responsible: str | None = None
    page: int | None = None
    passage_id: str | None = None


class Meeting(BaseModel):
    body: str | None = None
    date: str | None = None
    time: str | None = None
    place: str | None = None
    chair: str | None = None
    minute_taker: str | None = None
    present: list[str] = []
    absent: list[str] = []
    agenda_items: list[AgendaItem] = []


class Mention(BaseModel):
    entity_id: str
    text: str
    start: int = Field(description="offset into the passage text")
    end: int


class Passage(BaseModel):
    passage_id: str
    page: int
    section: list[str]
    kind: str
    text: str
    start: int
    end: int
    mentions: list[Mention] = []


class PageOfPassages(BaseModel):
    page: int
    passages: list[Passage]


class DocumentEntity(BaseModel):
    id: str
    label: str
    type: str
    mentions: int


class DocumentDetail(DocumentSummary):
    page_start: int = 1
    meetings: list[Meeting] = []
    agenda_items: list[AgendaItem] = []  # type: ignore[assignment]  # the items here, not their count
    headings: list[dict[str, Any]] = []
    passages_by_page: list[PageOfPassages] = []
    entities: list[DocumentEntity] = []
    message: dict[str, Any] | None = Field(
        None, description="an e-mail's headers: sender, to, cc, date, sent, subject, message_id, attachments"
    )
    parts: list[str] = Field(
        [], description="an e-mail's attachments: the doc_ids of the documents they became"
    )
    part_of: str | None = Field(None, description="the e-mail (its doc_id) this document was attached to")
    ocr_pages: list[dict[str, Any]] = Field(
        [],
        description="the pages read by OCR, each with Tesseract's mean word confidence: {page, confidence}",
    )


class UploadReport(BaseModel):
    filename: str = Field(description="the sanitised name the upload was stored under")
    path: str
    status: str = Field(description="ingested | duplicate | unchanged")
    reason: str | None = None
    doc_ids: list[str] = []
    titles: list[str] = []
    duplicate_of: list[str] = []


class DeleteReport(BaseModel):
    doc_id: str
    deleted: bool = True
    source: str | None = None
    source_removed: bool
    repointed: dict[str, str | None] = Field({}, description="duplicates that now point at another copy")


# -- entities and the graph ---------------------------------------------------------------------
class EntityItem(BaseModel):
    id: str
    label: str
    type: str | None = None
    mentions: int = 0


class EntityList(BaseModel):
    total: int
    limit: int
    offset: int
    entities: list[EntityItem]


class Relation(BaseModel):
    direction: str = Field(description="out: this entity is the subject; in: the object")
    predicate: str
    id: str
    label: str
    type: str | None = None
    evidence_count: int


class EntityDetail(BaseModel):
    id: str
    label: str
    type: str | None = None
    aliases: list[str] = []
    attributes: dict[str, Any] = {}
    relations: list[Relation] = []
    mentions: int = 0


class TimelinePassage(BaseModel):
    passage_id: str
    page: int
    text: str


class TimelineEntry(BaseModel):
    doc_id: str
    title: str
    doc_type: str | None = None
    date: str | None = None
    year: int | None = Field(None, description="a plan's first year (period_start), else its date's year")
    years: list[int] = []
    period_start: int | None = Field(None, description="the first year a plan covers")
    period_end: int | None = Field(None, description="the last year a plan covers")
    passages: list[TimelinePassage] = []


class Timeline(BaseModel):
    id: str
    label: str
    entries: list[TimelineEntry]


class Node(BaseModel):
    id: str
    label: str
    type: str | None = None


class Edge(BaseModel):
    source: str
    target: str
    predicate: str


class Neighborhood(BaseModel):
    center: Node
    nodes: list[Node]
    edges: list[Edge]


class PathStep(BaseModel):
    model_config = ConfigDict(populate_by_name=True)

    from_: str = Field(alias="from", serialization_alias="from")
    to: str
    predicate: str
    forward: bool


class GraphPath(BaseModel):
    nodes: list[Node]
    steps: list[PathStep]
    length: int

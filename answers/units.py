"""The units reading weighs and reads answers out of: the lines and sentences of the passages found
(and of every passage of the best documents), each with its label, its neighbours and the title over
it, a table row with its columns; and the candidate answers read out of them."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from answers.lines import (
    Cell,
    columns,
    is_bullet,
    is_item,
    is_title,
    label_of,
    last_unit,
    split_units,
)
from answers.passages import DocumentCache, Indexed
from answers.plan import WORD, Plan
from ingest.model import Document, Passage
from kinds import registry

TITLE_NAME = 0.25  # relevance a document gains for each of the question's proper names its title has
WHOLE_DOCUMENTS = 3  # the best documents are read whole ...
WHOLE_DOCUMENT_PASSAGES = 80  # ... when they are pages, not books
SHORT_PASSAGE = 60  # a passage this short is a label, answered by the one after it
NOT_THE_HIT = 0.9  # the relevance of a passage read beside the one search found
HEAD_PASSAGES = 3  # a document's head: its title, who handles it, its archive number and date
# The kinds a document gives in its head (the registry's answered_by "read_in": ["head"]).
READ_IN_HEAD = {kind for kind, where in registry().answered_by("read_in").items() if "head" in where}


@dataclass
class Unit:
    text: str
    start: int  # offset in the passage text
    passage: Passage
    doc: Document
    hit: dict[str, Any]
    rank: int
    score: float = 0.0
    relevance: float = 1.0  # of its document to the question, relative to the best one
    heading: bool = False  # the unit is the passage's heading, not its text
    label: str = ""  # the field label it stands under ("Forfall:"), if any
    columns: list[Cell] = field(default_factory=list)  # a table row's cells: (start, end, header)
    indexed: Indexed | None = None  # its document's lookups
    context: list[str] = field(default_factory=list)  # the unit before it, the one after it, its heading


@dataclass
class Candidate:
    label: str
    type: str
    score: float
    unit: Unit
    start: int
    end: int
    entity_id: str | None = None
    detail: dict[str, Any] = field(default_factory=dict)


@dataclass
class Relevance:
    """How relevant each document found is to the question, relative to the best one."""

    best: dict[str, float]  # doc id -> the best score of a hit in its file
    top_docs: list[str]  # the documents read whole (when they are short enough)
    top: float
    names: set[str]  # the question's proper names

    @classmethod
    def of(cls, plan: Plan, hits: list[dict[str, Any]], docs: DocumentCache) -> Relevance:
        # The parts of one file (a page the segmenter cut in two) are as relevant as its best part.
        source_of = {
            h["doc_id"]: (found.doc.source if (found := docs.get(h["doc_id"])) else h["doc_id"]) for h in hits
        }
        source_best: dict[str, float] = {}
        for hit in hits:
            source = source_of[hit["doc_id"]]
            source_best[source] = max(source_best.get(source, 0.0), hit.get("score") or 0.0)
        doc_best = {doc_id: source_best[source] for doc_id, source in source_of.items()}
        top_docs = sorted(doc_best, key=lambda d: -doc_best[d])[: WHOLE_DOCUMENTS + 1]
        top = max(doc_best.values(), default=0.0) or 1.0
        # The question's proper names (places, bodies): a document whose title has them is about them.
        names = {w.lower() for w in plan.content_words[1:] if w[:1].isupper() and len(w) > 2} | {
            w.lower() for w in plan.content_words[:1] if w.isupper() and len(w) > 1
        }
        return cls(doc_best, top_docs, top, names)

    def of_document(self, doc_id: str, doc: Document) -> float:
        return min(1.0, self.best[doc_id] / self.top * _title_names(doc.title, self.names))

    def read_whole(self, doc_id: str, doc: Document) -> bool:
        return doc_id in self.top_docs and len(doc.passages) <= WHOLE_DOCUMENT_PASSAGES


def _title_names(title: str, names: set[str]) -> float:
    """More relevant as the document's title has more of the question's proper names."""
    words = {w.lower() for w in WORD.findall(title)}
    return 1.0 + TITLE_NAME * len(words & names)


def units(plan: Plan, hits: list[dict[str, Any]], docs: DocumentCache) -> list[Unit]:
    """Units of the passages found, and of every passage of the best documents: a page is
    about one thing, and its answer need not repeat the words its title has."""
    out: list[Unit] = []
    seen: set[str] = set()
    seen_headings: set[tuple[str, str]] = set()
    docs.refresh()
    relevance = Relevance.of(plan, hits, docs)
    head = any(part.asks in READ_IN_HEAD for part in plan.parts)
    for rank, hit in enumerate(hits):
        indexed = docs.get(hit["doc_id"])
        if indexed is None:
            continue
        at = indexed.positions.get(hit.get("passage_id") or "")
        if at is None:
            continue
        of_document = relevance.of_document(hit["doc_id"], indexed.doc)
        whole = relevance.read_whole(hit["doc_id"], indexed.doc)
        for i in _around(indexed.doc, at, whole=whole, head=head):
            passage = indexed.doc.passages[i]
            if passage.passage_id in seen:
                continue
            seen.add(passage.passage_id)
            read = _PassageReading(indexed, i, hit, rank, of_document * (1.0 if i == at else NOT_THE_HIT))
            out += read.units(seen_headings)
    return out


def _around(doc: Document, at: int, *, whole: bool, head: bool = False) -> list[int]:
    """The passages read for a hit: the hit's, every other of a document read whole, and the
    document's head where the question asks for a value a head gives."""
    around = [at]
    if head:
        around += [i for i in range(min(HEAD_PASSAGES, len(doc.passages))) if i != at]
    if whole:
        around += [i for i in range(len(doc.passages)) if i != at]
    elif (doc.passages[at].kind == "heading" or len(doc.passages[at].text) < SHORT_PASSAGE) and at + 1 < len(
        doc.passages
    ):
        # A heading or a label ("Sekretariat", "Leder 2024 - 2026") is answered by what follows it.
        around.append(at + 1)
    return around


@dataclass
class _PassageReading:
    """One passage cut into units."""

    indexed: Indexed
    at: int
    hit: dict[str, Any]
    rank: int
    relevance: float

    @property
    def passage(self) -> Passage:
        return self.indexed.doc.passages[self.at]

    def _unit(self, text: str, start: int, context: list[str]) -> Unit:
        unit = Unit(
            text,
            start,
            self.passage,
            self.indexed.doc,
            self.hit,
            self.rank,
            context=context,
            indexed=self.indexed,
        )
        unit.relevance = self.relevance
        return unit

    def units(self, seen_headings: set[tuple[str, str]]) -> list[Unit]:
        doc, passage = self.indexed.doc, self.passage
        pieces = split_units(passage.text)
        heading = passage.section[-1] if passage.section else ""
        previous = doc.passages[self.at - 1] if self.at else None
        out: list[Unit] = []
        if (
            heading
            and (previous is None or heading not in previous.text)
            and (doc.doc_id, heading) not in seen_headings
        ):
            # A heading no passage holds is text too ("Bovild Tjønn, Bydelsdirektør" taken
            # for a heading under "Leder av Samarbeidsutvalget:").
            seen_headings.add((doc.doc_id, heading))
            label = (
                split_units(previous.text)[-1][1] if previous is not None and previous.text.strip() else ""
            )
            unit = self._unit(heading, 0, [label, pieces[0][1] if pieces else "", ""])
            unit.heading = True
            out.append(unit)
            before = heading  # the heading stands between the last passage and this one
        else:
            before = last_unit(previous.text) if previous is not None else ""
        return out + self._lines(pieces, before, heading)

    def _lines(self, pieces: list[tuple[int, str]], before: str, heading: str) -> list[Unit]:
        """The passage's lines and sentences, each under the label that governs it."""
        out: list[Unit] = []
        title = f"{heading} {self.indexed.titles[self.at]}".strip()
        label = label_of(before)
        for j, (start, text) in enumerate(pieces):
            previous_text = pieces[j - 1][1] if j else before
            label = _governing(previous_text, label)
            # A line with a label of its own ("Nestleder: X") stands under no other label.
            inline = label_of(text)
            context = [
                ("" if inline else label) or previous_text,
                pieces[j + 1][1] if j + 1 < len(pieces) else "",
                title,
            ]
            if is_title(text):
                # A title line inside a passage heads what follows it, as a heading does.
                title = f"{heading} {text}"
            unit = self._unit(text, start, context)
            unit.label = inline if inline and inline != text else label
            if self.passage.kind == "table_row":
                unit.columns = columns(text, self.indexed.header(self.at))
            out.append(unit)
        return out


def _governing(previous_text: str, label: str) -> str:
    """The label over the next line: a label governs the short lines under it ("Forfall:" and one
    name a line)."""
    found = label_of(previous_text)
    if found:
        # "Forfall: Gro Sætre, …" goes on in the lines under it; a bullet
        # ("- Prosjektleder: X" / "- Styringsgruppe …") is an item of its own.
        return "" if found != previous_text and is_bullet(previous_text) else found
    return label if is_item(previous_text) else ""

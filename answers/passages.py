"""The documents reading opens, each with what it looks up in it again and again (passage positions,
mentions by passage, entities by id, running titles, table headers), built once when it is loaded
and kept while the manifest's generation stays the same."""

from __future__ import annotations

from collections import OrderedDict
from dataclasses import dataclass, field

from answers.lines import cells, is_header, is_title, split_units
from ingest.model import Document, Entity, Mention
from ingest.store import DocumentStore

HEADER_ROWS_UP = 60  # how far up a table row looks for its header row
HEADER_TEXT_UP = 4000  # ... and, failing that, how many characters of the text before it


@dataclass
class Indexed:
    """A document with what reading looks up in it again and again, built once per document."""

    doc: Document
    positions: dict[str, int]  # passage id -> its index
    mentions: dict[str, list[Mention]]  # passage id -> the mentions in it
    entities: dict[str, Entity]  # entity id -> entity
    titles: list[str]  # per passage, the title line last seen before it (running_titles)
    headers: dict[int, list[str]] = field(default_factory=dict)  # table row index -> its header row

    @classmethod
    def of(cls, doc: Document) -> Indexed:
        mentions: dict[str, list[Mention]] = {}
        for mention in doc.mentions:
            mentions.setdefault(mention.passage_id, []).append(mention)
        return cls(
            doc,
            {p.passage_id: i for i, p in enumerate(doc.passages)},
            mentions,
            {e.id: e for e in doc.entities},
            running_titles(doc),
        )

    def header(self, at: int) -> list[str]:
        if at not in self.headers:
            self.headers[at] = header_row(self.doc, at)
        return self.headers[at]


class DocumentCache:
    """Documents by id, kept while the manifest's generation stays the same (checked by refresh())."""

    def __init__(self, store: DocumentStore | None, size: int = 64) -> None:
        self.store = store
        self.size = size
        self._docs: OrderedDict[str, Indexed] = OrderedDict()
        self._generation: int | None = None

    def refresh(self) -> None:
        """Forget every document if a commit came since: once per question, not per document."""
        if self.store is None:
            return
        generation = self.store.generation()
        if generation != self._generation:
            self._docs.clear()
            self._generation = generation

    def get(self, doc_id: str) -> Indexed | None:
        if self.store is None:
            return None
        indexed = self._docs.get(doc_id)
        if indexed is None:
            try:
                indexed = Indexed.of(self.store.document(doc_id))
            except (KeyError, OSError, ValueError):
                return None
            self._docs[doc_id] = indexed
            while len(self._docs) > self.size:
                self._docs.popitem(last=False)
        else:
            self._docs.move_to_end(doc_id)
        return indexed


def running_titles(doc: Document) -> list[str]:
    """For each passage, the title line last seen before it under the same heading: a block
    ("Strategisk samarbeidsutvalg (SSU)" … "Leder 2023–2025" / a name) may run over two passages."""
    out: list[str] = []
    current, section = "", None
    for passage in doc.passages:
        if passage.section != section and passage.section:  # a passage under no heading goes on from the last
            current, section = "", passage.section
        out.append(current)
        for _, text in split_units(passage.text):
            if is_title(text):
                current = text
    return out


def header_row(doc: Document, at: int) -> list[str]:
    """The header row of the table a row belongs to: the nearest row above it, in the same run of
    rows, whose cells are all short words ("Navn | Rolle | Organisasjon", "Tiltak | Frist")."""
    width = len(cells(doc.passages[at].text))
    for i in range(at - 1, max(-1, at - HEADER_ROWS_UP), -1):
        passage = doc.passages[i]
        if passage.kind != "table_row":
            break
        row = [c for _, _, c in cells(passage.text)]
        if is_header(row, width):
            return row
    # The segmenter keeps a table's header row as the names of its columns, not as a passage: it is
    # the nearest such line of the document's text above the row.
    first = doc.passages[at]
    for line in reversed(doc.text[max(0, first.start - HEADER_TEXT_UP) : first.start].split("\n")):
        row = [c for _, _, c in cells(line)]
        if is_header(row, width):
            return row
    return []

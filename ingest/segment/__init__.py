"""Segmentation: a file's blocks become documents with meetings, agenda items, headings, passages."""

from __future__ import annotations

import hashlib
import re
from collections import Counter

from ingest.dedupe import fingerprint
from ingest.model import Block, Document, Meeting, RawDocument
from ingest.normalise import HEADING_NUMBER, TABLE_GROUP
from ingest.resources import Fellesskap
from ingest.segment import classify
from ingest.segment.agenda import case_paper
from ingest.segment.fields import header_field
from ingest.segment.meeting import parse_meeting
from ingest.segment.parts import is_case_paper_header, meeting_header_span, split_parts
from ingest.segment.passages import PassageBlocks, build_passages, layout

MEETING_LOOKAHEAD = 6
_NUMBERED_ROW = re.compile(r"^\s*\d{1,2}\.\s")


def segment(raw: RawDocument, blocks: list[Block], content: bytes) -> list[Document]:
    parts = split_parts(blocks)
    file_hash = hashlib.sha256(content).hexdigest()
    drafts = [_read_part(part, raw) for part in parts]
    _fill_fellesskap(drafts)
    documents = []
    for index, (part, info) in enumerate(zip(parts, drafts)):
        if len(parts) == 1:
            doc_id = file_hash[:16]
        else:
            doc_id = hashlib.sha256(f"{file_hash}#{index}".encode()).hexdigest()[:16]
        documents.append(_document(doc_id, index, len(parts), part, info, raw))
    _titles_from_agenda(documents)
    classify.settle_dates(documents, raw.created)
    return documents


class _PartInfo:
    def __init__(self) -> None:
        self.meeting: Meeting | None = None
        self.item_blocks: list[list[int]] = []
        self.header_end = 0
        self.topic = ""
        self.case_paper = False
        self.fellesskap: Fellesskap | None = None


def _read_part(part: list[Block], raw: RawDocument) -> _PartInfo:
    info = _PartInfo()
    if is_case_paper_header(part[0]):
        info.case_paper = True
        info.meeting = case_paper(part)
        info.header_end = 2
        info.item_blocks = [list(range(2, len(part)))]
    else:
        for i in range(min(MEETING_LOOKAHEAD, len(part))):
            span = meeting_header_span(part, i)
            if span:
                info.header_end = i + span
                title_text = " ".join(b.text for b in part[:i])
                meeting, spans = parse_meeting(part, info.header_end, title_text)
                if meeting.date or meeting.chair or meeting.agenda_items:
                    info.meeting, info.item_blocks = meeting, spans
                else:
                    info.header_end = 0
                break
    topics = [header_field(b) for b in part[: info.header_end]]
    info.topic = " ".join(v for f in topics if f for k, v in [f] if k == "topic")
    if info.meeting is not None and not info.topic:
        info.topic = " ".join(b.text for b in part[:3] if len(b.text) < 150)
    text = " ".join(b.text for b in part)
    head = " ".join(b.text for b in part[:5] if len(b.text) < 200)
    info.fellesskap = classify.fellesskap(text, head)
    return info


def _fill_fellesskap(drafts: list[_PartInfo]) -> None:
    """A part that names no helsefellesskap belongs to the one its file is about."""
    counts = Counter(d.fellesskap.id for d in drafts if d.fellesskap)
    if not counts:
        return
    common = next(
        d.fellesskap for d in drafts if d.fellesskap and d.fellesskap.id == counts.most_common(1)[0][0]
    )
    for draft in drafts:
        if draft.fellesskap is None:
            draft.fellesskap = common


def _document(
    doc_id: str, index: int, count: int, part: list[Block], info: _PartInfo, raw: RawDocument
) -> Document:
    pages = sorted({b.page for b in part})
    chars = sum(len(b.text) for b in part)
    dtype = classify.doc_type(part, info.topic, info.case_paper, info.meeting, len(pages), chars)
    meeting = info.meeting if dtype in ("innkalling", "referat", "saksfremlegg") else None
    date_iso = classify.document_date(part, meeting, raw.created)
    f_name = info.fellesskap.name if info.fellesskap else None
    provisional = classify.title_of(part, dtype, f_name, meeting, [], raw.title if count == 1 else None)
    years = classify.covered_years(provisional, part, dtype, date_iso)
    title = classify.title_of(part, dtype, f_name, meeting, years, raw.title if count == 1 else None)
    text = layout(part)
    units = _units(part, info if meeting else None, title)
    passages = build_passages(doc_id, text, units)
    if meeting is not None:
        _link_items(meeting, info.item_blocks, part, passages)
    doc = Document(
        doc_id=doc_id,
        title=title,
        doc_type=dtype,
        source=raw.source,
        fellesskap=info.fellesskap.id if info.fellesskap else None,
        fellesskap_name=f_name,
        date=date_iso,
        years=years,
        pages=len(pages),
        page_start=pages[0],
        part=index,
        parts_in_source=count,
        text=text,
        meetings=[meeting] if meeting else [],
        passages=passages,
        headings=[
            {"level": b.level, "text": b.text, "page": b.page, "start": b.start}
            for b in part
            if b.kind == "heading"
        ],
        content_hash=hashlib.sha256(text.encode()).hexdigest(),
        fingerprint=fingerprint(text),
        ocr_pages=[
            {"page": p.number, "confidence": p.ocr_confidence}
            for p in raw.pages
            if p.ocr_confidence is not None and p.number in pages
        ],
    )
    return doc


def _units(part: list[Block], info: _PartInfo | None, title: str) -> list[PassageBlocks]:
    """The part's blocks grouped into the units passages are cut from: the meeting header, agenda
    items, headings without text of their own, table rows, and runs of text under one section."""
    return _UnitBuilder(part, info, title).build()


class _UnitBuilder:
    def __init__(self, part: list[Block], info: _PartInfo | None, title: str) -> None:
        self.part = part
        self.info = info
        self.title = title
        self.item_of: dict[int, int] = {}
        if info is not None:
            for n, indices in enumerate(info.item_blocks):
                for i in indices:
                    self.item_of[i] = n
        self.units: list[PassageBlocks] = []
        self.stack: list[tuple[int, str]] = []  # (level, text) of the headings above
        self.current: PassageBlocks | None = None
        self.items_seen: dict[int, PassageBlocks] = {}

    @property
    def section(self) -> list[str]:
        return [t for _, t in self.stack]

    def build(self) -> list[PassageBlocks]:
        header_end = self.info.header_end if self.info is not None else 0
        if header_end:
            self.units.append(PassageBlocks("meeting", self.part[:header_end], [self.title]))
        for i in range(header_end, len(self.part)):
            block = self.part[i]
            if i in self.item_of:
                self._agenda_block(block, self.item_of[i])
            elif block.kind == "heading":
                self._heading(block, i)
            elif block.kind == "table_row":
                self._table_row(block, i)
            else:
                self._text(block)
        if not self.units and self.part:
            # A document that is only its title: the title is its one passage, so that search finds it.
            self.units.append(PassageBlocks("heading", list(self.part), []))
        return self.units

    def _agenda_block(self, block: Block, n: int) -> None:
        assert self.info is not None and self.info.meeting is not None
        if n not in self.items_seen:
            item = self.info.meeting.agenda_items[n]
            label = " ".join(x for x in ("Sak", item.number or "", item.title) if x).replace("Sak  ", "")
            self.items_seen[n] = PassageBlocks("agenda_item", [], self.section + [label], label=label)
            self.units.append(self.items_seen[n])
        self.items_seen[n].blocks.append(block)
        self.current = None

    def _heading(self, block: Block, i: int) -> None:
        if i < 3 and (block.text == self.title or block.text in self.title):
            return  # the document's own title (or a part of it) is not a section
        section = self.section
        nxt = self.part[i + 1] if i + 1 < len(self.part) else None
        self._end_numbered_sibling(block)
        while self.stack and self.stack[-1][0] >= block.level:
            self.stack.pop()
        if nxt is None or (nxt.kind == "heading" and nxt.level <= block.level):
            self.units.append(PassageBlocks("heading", [block], section))
        self.stack.append((block.level, block.text))
        self.current = None

    def _end_numbered_sibling(self, block: Block) -> None:
        """A numbered heading is no child of the nearest heading above it numbered at the same depth
        if its number is lower ("1." after "9.": a new list) or the next ("3." after "2."), whatever
        the markup's levels say: it ends that heading's section. Table groups number rows of their
        own ("3. Innsatsområder" > a table's "1. …") and are left out."""
        number = _heading_number(block.text)
        if number is None or block.level >= TABLE_GROUP:
            return
        for index in range(len(self.stack) - 1, -1, -1):
            level, text = self.stack[index]
            above = _heading_number(text)
            if above is None or len(above) != len(number) or level >= TABLE_GROUP:
                continue
            if number < above or number == above[:-1] + (above[-1] + 1,):
                del self.stack[index:]
            return

    def _table_row(self, block: Block, i: int) -> None:
        first_empty = not block.cells[0].strip()
        stack = self.stack
        if (
            stack
            and stack[-1][0] == TABLE_GROUP
            and _NUMBERED_ROW.match(block.cells[0])
            and _NUMBERED_ROW.match(stack[-1][1])
        ):
            stack.pop()  # the next numbered row ends the group the previous row named
        if _is_column_header(block, self.part, i):
            self.current = None
            return
        if first_empty and self.current is not None and self.current.kind == "table_row":
            self.current.blocks.append(block)
            return
        self.current = PassageBlocks("table_row", [block], self.section)
        self.units.append(self.current)

    def _text(self, block: Block) -> None:
        section = self.section
        current = self.current
        if current is None or current.kind != "text" or current.section != section:
            current = PassageBlocks("text", [], section)
            self.units.append(current)
            self.current = current
        current.blocks.append(block)


def _heading_number(text: str) -> tuple[int, ...] | None:
    """A heading's number ("2.1 Skrøpelige eldre" -> (2, 1)), or None."""
    match = HEADING_NUMBER.match(text)
    return tuple(int(n) for n in match.group(1).split(".")) if match else None


def _is_column_header(block: Block, part: list[Block], i: int) -> bool:
    cells = [c for c in block.cells if c.strip()]
    nxt = part[i + 1] if i + 1 < len(part) else None
    prev = part[i - 1] if i > 0 else None
    return (
        # The first row of a table only: a short row after other rows is data ("Hadeland | Gran, Lunner").
        (prev is None or prev.kind != "table_row")
        and len(cells) >= 2
        and all(len(c.split()) <= 6 for c in cells)
        and nxt is not None
        and nxt.kind in ("table_row", "heading")
        and sum(len(c) for c in cells) < 90
    )


def _link_items(meeting: Meeting, item_blocks: list[list[int]], part: list[Block], passages: list) -> None:
    for item, indices in zip(meeting.agenda_items, item_blocks):
        if not indices:
            continue
        start = part[indices[0]].start
        for passage in passages:
            if passage.start <= start < passage.end or passage.start >= start:
                item.passage_id = passage.passage_id
                item.page = passage.page
                break


def _titles_from_agenda(documents: list[Document]) -> None:
    """A case paper without a heading takes its title from the agenda that lists its number."""
    titles: dict[tuple[str | None, str], str] = {}
    for doc in documents:
        for meeting in doc.meetings:
            for item in meeting.agenda_items:
                if item.number and doc.doc_type != "saksfremlegg":
                    titles.setdefault((meeting.body, item.number), item.title)
    for doc in documents:
        if doc.doc_type != "saksfremlegg" or not doc.meetings:
            continue
        meeting = doc.meetings[0]
        for item in meeting.agenda_items:
            known = titles.get((meeting.body, item.number or ""))
            if known and not any(b["text"] == item.title for b in doc.headings[:2]):
                item.title = known
                doc.title = classify.title_of([], doc.doc_type, doc.fellesskap_name, meeting, doc.years, None)
        if re.search(r":\s*$", doc.title):
            doc.title = doc.title.rstrip(": ")

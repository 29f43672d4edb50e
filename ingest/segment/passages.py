"""Document text and passages: the unit of search and evidence, with page, section path and offsets."""

from __future__ import annotations

import re
from bisect import bisect_left
from dataclasses import dataclass, field

from ingest.model import Block, Passage

TARGET = 900  # characters a passage grows to before a new one starts
MAX_BLOCK = 1500  # longer paragraphs are cut at sentence ends
MAX_SENTENCE = 2 * MAX_BLOCK  # longer runs without a sentence end are cut at spaces
_SENTENCE_END = re.compile(r"(?<=[.!?»])\s+(?=[A-ZÆØÅ«\"0-9])")


@dataclass
class PassageBlocks:
    """Blocks that become one passage, or part of one; ``kind`` says how it was found."""

    kind: str
    blocks: list[Block]
    section: list[str]
    label: str | None = None  # for agenda items: "Sak 2023.42 Fagutvalg for fastleger"
    extra: dict = field(default_factory=dict)


def render(block: Block) -> str:
    if block.kind == "list_item":
        return "  " * block.level + "- " + block.text
    return block.text


# The light markup of the document text (render, and a table row's " | " between cells) as a reader
# sees it: a bullet for a list item's "- ", a line break (or a dot, on one line) between cells.
_MARKUP = re.compile(r"(?m)^( *)- (?=\S)|(?<=\S) \| (?=\S)")
_ENUMERATOR = re.compile(r"(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-zA-Z][.)]|[ivx]{1,4}[.)])\s")
_CELL_BREAK = {False: " \n ", True: " · "}


def reading_text(text: str, *, one_line: bool = False) -> str:
    """``text`` as a user reads it, of the same length, so that every offset into it (a mention, a
    matched word) stays right: "- " before a list item becomes "• " (or nothing before a numbered
    item's own number), " | " between table cells a line
    break (shown by a page that keeps line breaks) or, for a snippet on one line, " · "."""

    def plain(match: re.Match[str]) -> str:
        if match.group(1) is not None:
            # A numbered item ("- 1. Etablere", "- c. Skrøpelige eldre") shows its number, not a bullet.
            numbered = _ENUMERATOR.match(text, match.end())
            return match.group(1) + ("  " if numbered else "• ")
        return _CELL_BREAK[one_line]

    return _MARKUP.sub(plain, text)


def layout(blocks: list[Block]) -> str:
    """The document text; sets each block's start/end offsets into it."""
    pieces: list[str] = []
    offset = 0
    prev: Block | None = None
    for block in blocks:
        sep = "" if prev is None else ("\n" if prev.kind == block.kind == "list_item" else "\n\n")
        offset += len(sep)
        pieces.append(sep)
        text = render(block)
        block.start = offset
        block.end = offset + len(text)
        pieces.append(text)
        offset = block.end
        prev = block
    return "".join(pieces)


def build_passages(doc_id: str, text: str, units: list[PassageBlocks]) -> list[Passage]:
    passages: list[Passage] = []

    def emit(
        kind: str, section: list[str], start: int, end: int, page: int, blocks: list[Block], starts: list[int]
    ) -> None:
        body = text[start:end]
        if not body.strip():
            return
        # A unit's blocks are in text order: the ones starting in the passage by bisection, not a
        # scan of the whole unit for each of its passages (a list of 10,000 items is one unit).
        inside = blocks[bisect_left(starts, start) : bisect_left(starts, end)]
        emphasis = [b for block in inside for b in block.bold]
        passages.append(
            Passage(
                passage_id=f"{doc_id}-p{len(passages) + 1:04d}",
                doc_id=doc_id,
                page=page,
                section=list(section),
                text=body,
                start=start,
                end=end,
                kind=kind,
                emphasis=emphasis,
            )
        )

    for unit in units:
        starts = [block.start for block in unit.blocks]
        if unit.kind in ("agenda_item", "table_row", "meeting", "heading"):
            for start, end, page in _chunks(unit.blocks, whole_blocks=unit.kind != "agenda_item"):
                emit(unit.kind, unit.section, start, end, page, unit.blocks, starts)
            continue
        kind = "list" if all(b.kind == "list_item" for b in unit.blocks) else "paragraph"
        for start, end, page in _chunks(unit.blocks, whole_blocks=False):
            emit(kind, unit.section, start, end, page, unit.blocks, starts)
    return passages


def _chunks(blocks: list[Block], *, whole_blocks: bool) -> list[tuple[int, int, int]]:
    """Group consecutive blocks into spans of about TARGET characters; cut over-long blocks."""
    spans: list[tuple[int, int, int]] = []
    start: int | None = None
    end = page = 1  # set with start, read only while start is set
    for i, block in enumerate(blocks):
        if not whole_blocks and block.end - block.start > MAX_BLOCK:
            if start is not None:
                spans.append((start, end, page))
                start = None
            spans.extend(_split_long(block))
            continue
        intro = i + 1 < len(blocks) and block.text.endswith(":") and blocks[i + 1].kind == "list_item"
        if start is None:
            start, end, page = block.start, block.end, block.page
        elif (
            whole_blocks
            or block.end - start <= TARGET
            or (block.kind == "list_item" and block.end - start <= 2 * TARGET)
        ):
            end = block.end
        else:
            spans.append((start, end, page))
            start, end, page = block.start, block.end, block.page
        if intro:
            continue
    if start is not None:
        spans.append((start, end, page))
    return spans


def _split_long(block: Block) -> list[tuple[int, int, int]]:
    text = render(block)
    cuts = [0] + _sentence_ends(text) + [len(text)]
    spans: list[tuple[int, int, int]] = []
    piece_start = 0
    for a, b in zip(cuts, cuts[1:]):
        if b - piece_start > TARGET and a > piece_start:
            end = a
            while end > piece_start and text[end - 1].isspace():
                end -= 1  # text[:a].rstrip() without copying the text before it at every cut
            spans.append((block.start + piece_start, block.start + end, block.page))
            piece_start = a
    spans.append((block.start + piece_start, block.end, block.page))
    return spans


def _sentence_ends(text: str) -> list[int]:
    """Where a long block may be cut: after each sentence end, and in a "sentence" longer than
    MAX_SENTENCE (a text without sentence ends is one) after a space every TARGET characters, so that
    no passage grows without bound."""
    cuts: list[int] = []
    previous = 0
    for end in [m.end() for m in _SENTENCE_END.finditer(text)] + [len(text)]:
        if end - previous > MAX_SENTENCE:
            at = previous
            while end - at > MAX_SENTENCE:
                space = text.rfind(" ", at + 1, at + TARGET)
                at = space + 1 if space > at else at + TARGET
                cuts.append(at)
        if end < len(text):
            cuts.append(end)
        previous = end
    return cuts

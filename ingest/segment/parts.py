"""Split a file's blocks into the documents it bundles (a notice, minutes, a report, case papers)."""

from __future__ import annotations

import re

from ingest.model import Block
from ingest.resources import document_types
from ingest.segment.fields import header_field

MIN_PART_CHARS = 300
_MEETING_WORDS = re.compile(
    r"\b(referat|innkalling|møteinnkalling|protokoll|møtereferat|saksliste|sakliste|møte i|møte for|"
    r"referat frå|møtebok)\b",
    re.I,
)
_CORE_FIELDS = {"date_place", "date", "chair", "minute_taker", "present", "absent", "topic", "place"}
_CASE_HEADER = re.compile(r"^saks?\s*nr", re.I)


def _title_patterns() -> list[re.Pattern[str]]:
    types = document_types()
    skip = {"innkalling", "referat", "saksfremlegg", "nyhet"}
    return [re.compile(p, re.I) for name, t in types.items() if name not in skip for p in t["title_patterns"]]


def is_case_paper_header(block: Block) -> bool:
    if block.kind == "table_row":
        cells = [c.lower() for c in block.cells if c.strip()]
        return (
            bool(cells)
            and bool(_CASE_HEADER.match(cells[0]))
            and any("møteorgan" in c or "saksbehandler" in c or "saksbehandlar" in c for c in cells[1:])
        )
    return bool(re.match(r"^saks?nr\.?:?\s.*\b(møteorgan|saksbehandl[ea]r)\b", block.text, re.I))


def meeting_header_span(blocks: list[Block], i: int) -> int:
    """If a header-field cluster starts at ``i``, return how many blocks it spans, else 0."""
    fields = 0
    core = 0
    gap = 0
    j = i
    while j < len(blocks) and gap <= 2:
        found = header_field(blocks[j])
        if found:
            fields += 1
            core += found[0] in _CORE_FIELDS
            gap = 0
        else:
            if j == i:
                return 0
            gap += 1
        j += 1
    end = j - gap
    return end - i if fields >= 2 and core >= 1 else 0


def _is_title_page(blocks: list[Block], i: int, patterns: list[re.Pattern[str]]) -> bool:
    block = blocks[i]
    if block.kind != "heading" or len(block.text.split()) > 16:
        return False
    if block.level <= 1 and any(p.search(block.text) for p in patterns):
        return True
    for nxt in blocks[i + 1 : i + 3]:
        if (
            len(nxt.text.split()) <= 8
            and any(p.search(nxt.text) for p in patterns)
            and re.search(r"\b(19|20)\d\d\b", nxt.text)
        ):
            return True
    return False


def part_starts(blocks: list[Block]) -> list[int]:
    patterns = _title_patterns()
    starts: list[int] = []
    i = 0
    while i < len(blocks):
        start = None
        span = 0
        if is_case_paper_header(blocks[i]):
            start, span = i, 2
        else:
            span = meeting_header_span(blocks, i)
            if span:
                start = i
                for back in range(i - 1, max(-1, i - 3), -1):
                    prev = blocks[back]
                    if len(prev.text) < 150 and _MEETING_WORDS.search(prev.text) and not header_field(prev):
                        start = back
                        break
            elif _is_title_page(blocks, i, patterns):
                start, span = i, 1
        if start is not None:
            starts.append(start)
            i += max(span, 1)
        else:
            i += 1
    return starts


def split_parts(blocks: list[Block]) -> list[list[Block]]:
    cuts = [0]
    for start in part_starts(blocks):
        size = sum(len(b.text) for b in blocks[cuts[-1] : start])
        if start > cuts[-1] and size >= MIN_PART_CHARS:
            cuts.append(start)
    # The last part is held to the same size: a title with nothing after it at the end of a file (the
    # cover of an attachment left out) stays with the part before it, not a document of its own.
    if len(cuts) > 1 and sum(len(b.text) for b in blocks[cuts[-1] :]) < MIN_PART_CHARS:
        cuts.pop()
    cuts.append(len(blocks))
    return [blocks[a:b] for a, b in zip(cuts, cuts[1:]) if b > a]

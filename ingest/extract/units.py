"""Where a fact may be read from within a passage: sentences, list items with their sub-items, rows."""

from __future__ import annotations

import re

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"0-9])")


def units(text: str, kind: str) -> list[tuple[int, int]]:
    """Character spans of the passage's reading units, in order."""
    if kind in ("table_row", "meeting"):
        return [(0, len(text))]
    spans: list[tuple[int, int]] = []
    offset = 0
    lines = text.split("\n")
    current: tuple[int, int] | None = None
    for line in lines:
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            if current:
                spans.append(current)
                current = None
            continue
        indent = len(line) - len(line.lstrip())
        if line.lstrip().startswith("- ") and indent == 0:
            if current:
                spans.append(current)
            current = (start, end)
        elif indent > 0 and current is not None:
            current = (current[0], end)  # a sub-item belongs to its item
        else:
            if current:
                spans.append(current)
                current = None
            spans.extend(_sentences(text, start, end))
    if current:
        spans.append(current)
    return spans


def _sentences(text: str, start: int, end: int) -> list[tuple[int, int]]:
    out = []
    cursor = start
    for match in _SENTENCE_END.finditer(text, start, end):
        out.append((cursor, match.start()))
        cursor = match.end()
    out.append((cursor, end))
    return [(a, b) for a, b in out if b > a]


_BREAKS = ("\n\n", "\n", ". ", " ")  # where a piece may end, best first


def pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """``text`` as consecutive spans of at most ``limit`` characters, each ending at a paragraph break,
    else a line break, a sentence end or a space (a hard cut only where none is in reach), so that a
    name is split only when the text gives no better place."""
    spans: list[tuple[int, int]] = []
    start = 0
    while len(text) - start > limit:
        end = start + limit
        for mark in _BREAKS:
            cut = text.rfind(mark, start + limit // 2, end - len(mark) + 1)
            if cut >= 0:
                end = cut + len(mark)
                break
        spans.append((start, end))
        start = end
    spans.append((start, len(text)))
    return spans

"""Snippets: the best window of a passage, HTML-escaped, with ``<mark>`` around the matched words
exactly as they are written (the analyzer maps each written word to its index term). The document
text's light markup (list markers, the bars between table cells) is shown as a reader expects it."""

from __future__ import annotations

import html
import re

from ingest.segment.passages import reading_text
from search.analysis import NorwegianAnalyzer

SNIPPET_WIDTH = 260
_CONTEXT_BEFORE = 60
_SPACE_RE = re.compile(r"\s+")
_MIN_MODIFIER = 3


def _marked_spans(
    text: str, analyzer: NorwegianAnalyzer, terms: set[str], heads: set[str]
) -> list[tuple[int, int, str]]:
    spans: list[tuple[int, int, str]] = []
    for token in analyzer.tokens(text):
        term = token.term
        if term is None:
            continue
        if term in terms or any(len(term) >= len(h) + _MIN_MODIFIER and term.endswith(h) for h in heads):
            spans.append((token.start, token.end, term))
    return spans


def _window(text: str, spans: list[tuple[int, int, str]], width: int) -> tuple[int, int]:
    if len(text) <= width:
        return 0, len(text)
    best_start, best_score = 0, -1
    for start_span in spans:
        start = max(0, start_span[0] - _CONTEXT_BEFORE)
        end = start + width
        inside = {term for s, e, term in spans if s >= start and e <= end}
        score = len(inside) * 10 + sum(1 for s, e, _ in spans if s >= start and e <= end)
        if score > best_score:
            best_start, best_score = start, score
    start = best_start
    if start > 0:  # begin at a word boundary
        space = text.rfind(" ", 0, start + 1)
        start = space + 1 if space >= 0 and start - space < 30 else start
    end = min(len(text), start + width)
    if end < len(text):
        space = text.find(" ", end)
        end = space if 0 <= space - end < 30 else end
    return start, end


def snippet(
    text: str,
    analyzer: NorwegianAnalyzer,
    terms: set[str],
    heads: set[str] | None = None,
    width: int = SNIPPET_WIDTH,
) -> str:
    spans = _marked_spans(text, analyzer, terms, heads or set())
    start, end = _window(text, spans, width)
    text = reading_text(text, one_line=True)  # of the same length: the spans stay right
    pieces: list[str] = ["… "] if start > 0 else []
    position = start
    for s, e, _ in spans:
        if s < start or e > end:
            continue
        pieces.append(_SPACE_RE.sub(" ", html.escape(text[position:s])))
        pieces.append(f"<mark>{html.escape(text[s:e])}</mark>")
        position = e
    pieces.append(_SPACE_RE.sub(" ", html.escape(text[position:end])))
    if end < len(text):
        pieces.append(" …")
    return "".join(pieces).strip()

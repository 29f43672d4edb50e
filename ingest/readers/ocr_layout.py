"""Tesseract's TSV (one row per word, with its block, paragraph and line numbers, box and confidence)
back to the light markup the PDF reader gives a text page: a paragraph per Tesseract paragraph,
hard-wrapped lines kept, a heading where a short paragraph is set clearly larger than the page's text,
and table cells (a gap wider than a few letters) as tab-separated cells."""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from itertools import groupby

# A gap between two words over this many times the line's letter height separates table cells: word
# spaces (even of a justified line) are well under one letter height.
CELL_GAP = 2.0
# A short paragraph whose letters are this much taller than the page's usual ones is a heading.
HEADING_SIZE = 1.4
HEADING_MAX_WORDS = 14


@dataclass(frozen=True, slots=True)
class Word:
    """One word Tesseract read: where it stands in the page's blocks, paragraphs and lines, its box's
    left edge, width and height in pixels, and Tesseract's confidence in it (0-100)."""

    block: int
    paragraph: int
    line: int
    left: int
    width: int
    height: int
    confidence: float
    text: str

    @property
    def right(self) -> int:
        return self.left + self.width


def parse_tsv(tsv: str) -> list[Word]:
    """The words of Tesseract's TSV output (level 5 rows with text), in reading order."""
    words = []
    for row in tsv.splitlines()[1:]:
        cols = row.split("\t")
        if len(cols) < 12 or cols[0] != "5" or not cols[11].strip():
            continue  # not a word, or the empty word Tesseract gives a ruled line
        try:
            block, paragraph, line, _word, left, _top, width, height = (int(c) for c in cols[2:10])
            confidence = float(cols[10])
        except ValueError:
            continue
        words.append(Word(block, paragraph, line, left, width, height, confidence, cols[11].strip()))
    return words


def mean_confidence(words: list[Word]) -> float | None:
    """Tesseract's mean word confidence (0-100) over the words it read; None when it read none."""
    scores = [w.confidence for w in words if w.confidence >= 0]
    return round(statistics.fmean(scores), 1) if scores else None


def page_markup(words: list[Word]) -> str:
    """The page's text: paragraphs set off by blank lines, their lines as Tesseract read them."""
    if not words:
        return ""
    lines = [list(group) for _, group in groupby(words, key=lambda w: (w.block, w.paragraph, w.line))]
    body = statistics.median(_height(line) for line in lines)
    out: list[str] = []
    for _, group in groupby(lines, key=lambda line: (line[0].block, line[0].paragraph)):
        paragraph = list(group)
        if out:
            out.append("")
        out.extend(_paragraph(paragraph, body))
    return "\n".join(out)


def _paragraph(lines: list[list[Word]], body: float) -> list[str]:
    texts = [_line_text(line) for line in lines]
    words = sum(len(line) for line in lines)
    tall = statistics.median(_height(line) for line in lines) >= HEADING_SIZE * body
    if tall and len(lines) <= 2 and words <= HEADING_MAX_WORDS and not any("\t" in t for t in texts):
        return ["# " + " ".join(texts)]
    return texts


def _height(line: list[Word]) -> float:
    return statistics.median(w.height for w in line)


def _line_text(line: list[Word]) -> str:
    """The line's words, a wide gap between two of them or a table's ruling as a cell boundary (a tab)."""
    gap = CELL_GAP * _height(line)
    cells: list[list[str]] = [[]]
    previous: Word | None = None
    for word in line:
        text = word.text
        if (previous is not None and word.left - previous.right > gap) or _rule_before(text):
            cells.append([])
        text = _without_rules(text)
        if text:
            cells[-1].append(text)
        if _rule_after(word.text):
            cells.append([])
        previous = word
    texts = [" ".join(cell) for cell in cells if cell]
    return "\t".join(texts) if len(texts) > 1 else "".join(texts)


def _rule_before(word: str) -> bool:
    return word[0] == "|" or (word[0] == "[" and "]" not in word)


def _rule_after(word: str) -> bool:
    return word[-1] == "|" or (word[-1] == "]" and "[" not in word)


def _without_rules(word: str) -> str:
    """A word without the ruling Tesseract read into it as bars or brackets: "|32" and "[15" are 32
    and 15, but a bracket the word itself closes ("[1]") is text."""
    word = word.strip("|")
    if word.startswith("[") and "]" not in word:
        word = word[1:]
    if word.endswith("]") and "[" not in word:
        word = word[:-1]
    return word.strip("|")

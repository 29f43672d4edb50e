"""From reader markup to structural blocks: bullets, hard wraps, hyphens, running headers, headings.

Works the same on every format; PDF text simply needs more of it (``hard_wrapped``).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import cache

from ingest.cases import case_title_line
from ingest.model import Block, RawDocument
from ingest.readers.markup import CELL_BREAK
from ingest.resources import meeting_vocabulary

# Bullet glyphs seen in exports: Symbol-font private-use bullets, dots, circles, ticks, arrows.
_BULLETS = "\uf0b7\uf0a7\uf076\uf0d8\uf0fc\uf0e0•●○◦▪■□►▶➢➤✓✔❖–—·*o-"
_BULLET_DEPTH = {"○": 1, "◦": 1, "o": 1, "▪": 2, "\uf0a7": 1}
_BULLET_RE = re.compile(r"^(\s*)([" + re.escape(_BULLETS) + r"])(?:\s+|(?=[A-ZÆØÅ«\"]))(?=\S)")
_NUMBERED = re.compile(r"^\s*(?:\d{1,2}(?:\.\d{1,2})*[.)]|[a-z][.)]|[ivx]{1,4}[.)])\s+\S")
HEADING_NUMBER = re.compile(r"^(\d{1,2}(?:\.\d{1,2})*)\.?\s+(\S.*)$")
_TOC_LINE = re.compile(r"^(.*?\S)\s*(?:\.{3,}|…{2,}|(?:\. ){3,})\.?\s*\t?\s*(\d{1,4})\s*$")
_PAGE_NUMBER = re.compile(
    r"^\s*(?:side|page|s\.)?\s*[-–]?\s*\d{1,4}\s*(?:(?:av|/|of)\s*\d{1,4})?\s*[-–]?\s*$", re.I
)
_TERMINAL = tuple('.!?;,»"”)')
_FIELD_LIKE = re.compile(r"^[A-ZÆØÅ][\wæøå /.-]{1,25}:\s")
_LOWER_START = re.compile(r"^[a-zæøå(]")


def normalise(raw: RawDocument) -> list[Block]:
    pages = [page.text.split("\n") for page in raw.pages]
    pages = _drop_running_lines(pages)
    toc_titles: set[str] = set()
    blocks: list[Block] = []
    for number, lines in zip((p.number for p in raw.pages), pages):
        lines, titles = _drop_toc(lines)
        toc_titles |= titles
        lines = [_bullet(line) for line in lines]
        if raw.hard_wrapped:
            lines = _join_wrapped(lines)
        blocks.extend(_classify(lines, number, raw.hard_wrapped, toc_titles))
    return merge_page_breaks(blocks)


# -- running headers, footers and page numbers -------------------------------------------------


def _shape(line: str) -> str:
    return re.sub(r"\d+", "#", " ".join(line.split()).lower())


def _drop_running_lines(pages: list[list[str]]) -> list[list[str]]:
    """Drop lines that stand at the top or bottom of most pages, and bare page numbers there."""
    edge = 3
    if len(pages) >= 2:
        counts: Counter[str] = Counter()
        for lines in pages:
            content = [line for line in lines if line.strip()]
            counts.update({_shape(line) for line in content[:edge] + content[-edge:]})
        threshold = max(2, int(len(pages) * 0.5))
        repeated = {shape for shape, n in counts.items() if n >= threshold}
    else:
        repeated = set()
    cleaned = []
    for lines in pages:
        content_idx = [i for i, line in enumerate(lines) if line.strip()]
        edges = set(content_idx[:edge] + content_idx[-edge:])
        keep = []
        for i, line in enumerate(lines):
            if i in edges and (_shape(line) in repeated or (len(pages) > 1 and _PAGE_NUMBER.match(line))):
                continue
            keep.append(line)
        cleaned.append(keep)
    return cleaned


def _drop_toc(lines: list[str]) -> tuple[list[str], set[str]]:
    keep: list[str] = []
    titles: set[str] = set()
    for line in lines:
        match = _TOC_LINE.match(line.strip().replace("\t", " "))
        if match:
            titles.add(_key(match.group(1)))
            continue
        keep.append(line)
    return keep, titles


def _key(text: str) -> str:
    text = re.sub(r"^[\d.]+\s*", "", text.strip().lstrip("#").strip())
    return " ".join(text.replace("*", "").split()).lower()


# -- bullets and wrapped lines ----------------------------------------------------------------


def _bullet(line: str) -> str:
    if "\t" in line:
        return line
    match = _BULLET_RE.match(line)
    if not match:
        return line
    indent, glyph = match.group(1), match.group(2)
    if glyph in "-*" and not indent and line[match.end() :].startswith(("-", "*")):
        return line
    if glyph == "o" and not line[match.end() :][:1].isalpha():
        return line
    depth = max(_BULLET_DEPTH.get(glyph, 0), len(indent.replace("\t", "    ")) // 2)
    return "  " * depth + "- " + line[match.end() :].strip()


@cache
def _block_start() -> re.Pattern[str]:
    """Lines that always begin a new block in wrapped text: a meeting field or a conclusion label
    ("Møteleiar: …", "Referent", "Vedtak: …", "Forfall"; from meeting.json) and a numbered case
    ("Sak 12/24 …", "PS 3/2024 …", "2024.6 …")."""
    vocab = meeting_vocabulary()
    words = {w.rstrip(":").strip() for ws in vocab["fields"].values() for w in ws} | set(
        vocab["conclusion_labels"]
    )
    labels = "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))
    return re.compile(rf"^(?:(?i:(?:{labels})\s*(?::|\t|$))|{case_title_line().pattern})")


def _join_wrapped(lines: list[str]) -> list[str]:
    """Re-join hard-wrapped lines into paragraphs and list items; de-hyphenate at the joins."""
    widths = sorted(len(line.rstrip()) for line in lines if len(line.strip()) > 20)
    full = widths[int(len(widths) * 0.8)] * 0.7 if widths else 60
    out: list[_Joined | str] = []
    for raw in lines:
        line = raw.rstrip()
        if not line.strip():
            out.append("")
            continue
        prev = out[-1] if out else ""
        stripped = line.strip()
        if isinstance(prev, _Joined) and _may_join(prev, line) and _continues(prev, stripped, full):
            prev.add(stripped)
            continue
        out.append(_Joined(line))
    return [str(line) for line in out]


def _may_join(prev: _Joined, line: str) -> bool:
    """Table rows, list items and Markdown headings are lines of their own."""
    stripped = line.strip()
    starts_item = (
        stripped.startswith(("- ", "#")) or _NUMBERED.match(stripped) or _block_start().match(stripped)
    )
    return "\t" not in line and not prev.tab and not starts_item and not prev.head.lstrip().startswith("#")


def _continues(prev: _Joined, stripped: str, full: float) -> bool:
    """Whether a line goes on the paragraph before it: that one is full, or this one starts in lower case,
    or that one breaks off (a hyphen, a comma), unless it ended a sentence short of the full width."""
    tail = prev.tail
    lower = _LOWER_START.match(stripped)
    if case_title_line().match(prev.head.lstrip()) and not lower and not tail.endswith(("-", "–", ",")):
        # A case title goes on only with a short tail ("«Trygg heim»"), never into the
        # paragraph that follows it.
        continues = len(stripped) < 0.6 * full and not stripped.endswith((".", ":"))
    else:
        continues = bool(
            (len(prev) >= full and not tail.endswith((":",))) or lower or tail.endswith(("-", ","))
        )
    return continues and not (tail.endswith(_TERMINAL[:3]) and not lower and len(prev) < full)


class _Joined:
    """A line that wrapped lines are joined onto. The pieces are kept apart until the end, so that a
    join costs the length of the line joined, not of the paragraph so far: a hard-wrapped text without
    a paragraph break is one paragraph, and rebuilding it at every line was quadratic."""

    __slots__ = ("head", "length", "parts", "tab")
    _HEAD = 256  # enough of the start for the case-number pattern to match as on the whole text

    def __init__(self, line: str) -> None:
        self.head = line[: self._HEAD]
        self.parts = [line]
        self.length = len(line)
        self.tab = "\t" in line

    def __len__(self) -> int:
        return self.length

    def __str__(self) -> str:
        return "".join(self.parts)

    @property
    def tail(self) -> str:
        """The last characters, as many as the checks on a line's end look at."""
        tail = self.parts[-1]
        index = len(self.parts) - 1
        while len(tail) < 8 and index > 0:
            index -= 1
            tail = self.parts[index] + tail
        return tail

    def add(self, right: str) -> None:
        cut, glue = _joint(self.tail, right)
        if cut:
            self.parts[-1] = self.parts[-1][:-cut]
        if glue or right:
            self.parts.append(glue + right)
        self.length += len(glue) + len(right) - cut
        if len(self.head) < self._HEAD:
            self.head = str(self)[: self._HEAD]


def _joint(left_end: str, right: str) -> tuple[int, str]:
    """How a line ending in ``left_end`` joins ``right``: characters to cut from the left, and glue."""
    if re.search(r"[a-zæøå]-$", left_end[-2:]):
        first = right.split(" ", 1)[0].lower().strip(",.")
        if first in {"og", "eller", "and", "or", "samt"}:
            return 0, " "  # a suspended compound: "helse- og omsorg"
        if right[:1].islower():
            return 1, ""
        return 0, ""
    return 0, " "


# -- classification ---------------------------------------------------------------------------

TABLE_GROUP = 5  # heading level of a table row that names a group of rows
# A bullet glyph after the list marker, or a typed dash ("<li>- tekst</li>", "•  - tekst"): one marker.
_GLYPHS = re.compile(
    r"^(?:-\s+)?(?:[" + re.escape(_BULLETS.replace("-", "").replace("o", "")) + r"]\s*|-\s+(?=\S))"
)
_BOLD = re.compile(r"\*\*(.+?)\*\*")


def _strip_bold(text: str) -> tuple[str, list[str]]:
    spans = [" ".join(s.split()) for s in _BOLD.findall(text) if s.strip()]
    plain = text.replace("**", "")
    return plain, spans


def _classify(lines: list[str], page: int, wrapped: bool, toc_titles: set[str]) -> list[Block]:
    blocks: list[Block] = []
    inferred: set[int] = set()
    previous_blank = True
    for index, line in enumerate(lines):
        if not line.strip():
            previous_blank = True
            continue
        next_blank = index + 1 >= len(lines) or not lines[index + 1].strip()
        if "\t" in line:
            blocks.extend(_table_line(line, page))
        else:
            block = _text_line(line, page)
            if block.kind == "paragraph" and _is_heading(
                block.text, block.bold, previous_blank, next_blank, wrapped, toc_titles
            ):
                number = HEADING_NUMBER.match(block.text)
                level = 2 + (number.group(1).count(".") if number else 0)
                inferred.add(len(blocks))
                block = Block(kind="heading", text=block.text, page=page, level=level, bold=block.bold)
            if block.text or block.kind != "heading":
                blocks.append(block)
        previous_blank = False
    _demote_list_headings(blocks, inferred)
    return _merge_broken_paragraphs(blocks)


def _table_line(line: str, page: int) -> list[Block]:
    """A line of tab-separated cells: a table row, or the heading of the group of rows that follow."""
    cells = []
    bold: list[str] = []
    for cell in line.split("\t"):
        plain, spans = _strip_bold(cell)
        cell_lines = (_GLYPHS.sub("- ", " ".join(x.split())) for x in plain.split(CELL_BREAK))
        cells.append("\n".join(cell_lines).strip())
        bold.extend(spans)
    filled = [c for c in cells if c]
    if (
        len(filled) == 1
        and cells[0]
        and len(cells) >= 3
        and len(filled[0]) <= 100
        and "\n" not in filled[0]
        and not filled[0].endswith((".", ":"))
    ):
        # A row with only its first cell filled names the group of rows that follow.
        return [Block(kind="heading", text=filled[0], page=page, level=TABLE_GROUP, bold=bold)]
    if any(cells):
        text = " | ".join(c for c in cells if c)
        return [Block(kind="table_row", text=text, page=page, cells=cells, bold=bold)]
    return []


def _text_line(line: str, page: int) -> Block:
    """A line as a Markdown heading, a list item, or a paragraph (which may yet read as a heading)."""
    stripped = line.strip()
    plain, bold = _strip_bold(stripped)
    plain = " ".join(plain.split())
    if stripped.startswith("#"):
        level = len(stripped) - len(stripped.lstrip("#"))
        text = plain.lstrip("#").strip()
        return Block(kind="heading", text=text, page=page, level=min(level, 6), bold=bold)
    if line.lstrip().startswith("- "):
        depth = (len(line) - len(line.lstrip())) // 2
        text = _GLYPHS.sub("", plain[2:]).strip()
        return Block(kind="list_item", text=text, page=page, level=depth, bold=bold)
    return Block(kind="paragraph", text=plain, page=page, bold=bold)


def _is_heading(
    text: str, bold: list[str], before_blank: bool, after_blank: bool, wrapped: bool, toc_titles: set[str]
) -> bool:
    """Whether a paragraph line reads as a heading: listed in the table of contents, all in bold,
    in capitals, numbered, or short and standing alone between blank lines."""
    if not text or len(text) > 90 or _FIELD_LIKE.match(text):
        return False
    if _key(text) in toc_titles:
        return True
    if bold and len(bold) == 1 and bold[0] == text.strip():
        return len(text.split()) <= 14 and not text.endswith((".", ","))
    words = text.split()
    if not _heading_shaped(text, words):
        return False
    if text.isupper() and len(words) <= 10 and any(ch.isalpha() for ch in text):
        return True
    if HEADING_NUMBER.match(text) and len(words) <= 12:
        return True
    # A short stand-alone line between blank lines reads as a heading in exported text (wrapped or not).
    return before_blank and after_blank and len(words) <= 9


def _heading_shaped(text: str, words: list[str]) -> bool:
    """At most twelve words, no sentence's end, and a capital or a digit first."""
    if text.endswith(_TERMINAL) or text.endswith(":") or len(words) > 12:
        return False
    return text[0].isupper() or text[0].isdigit()


def _demote_list_headings(blocks: list[Block], inferred: set[int]) -> None:
    """Numbered lines inside a list (after a list item or a line ending with ':') are list items."""
    for i, block in enumerate(blocks):
        if block.kind not in ("heading", "paragraph") or not HEADING_NUMBER.match(block.text):
            continue
        if block.kind == "heading" and i not in inferred:
            continue
        prev = blocks[i - 1] if i else None
        if prev is None or prev.page != block.page:
            continue
        if prev.kind == "list_item" or (prev.kind == "paragraph" and prev.text.endswith(":")):
            block.kind = "list_item"
            block.level = 0


def _is_run_on_list(text: str) -> bool:
    """A paragraph that opens with a list of names ("Hustadvika, Molde, Aukra, Vestnes og Rauma. …"):
    what the paragraph before announced with a colon (often across a page break), so it goes on it."""
    first = re.split(r"(?<=[.!?])\s", text, maxsplit=1)[0].rstrip(". ")
    return len(first) <= 300 and first.count(",") >= 1 and ":" not in first and first[:1].isupper()


def merge_page_breaks(blocks: list[Block]) -> list[Block]:
    """Join a paragraph that a page break cut in two (the next page goes on in lower case)."""
    return _merge_broken_paragraphs(blocks)


def _merge_broken_paragraphs(blocks: list[Block]) -> list[Block]:
    out: list[Block] = []
    joined: dict[int, _Joined] = {}  # the texts of merged blocks, put together once at the end
    for block in blocks:
        prev = out[-1] if out else None
        if prev is not None and prev.kind == "paragraph" and block.kind == "paragraph":
            text = joined.get(len(out) - 1)
            tail = text.tail if text else prev.text[-8:]
            if (
                not tail.endswith((".", "!", "?", ":", "»", '"', ")"))
                and (block.text[:1].islower() or tail.endswith("-"))
            ) or (tail.endswith(":") and _is_run_on_list(block.text)):
                text = joined.setdefault(len(out) - 1, text or _Joined(prev.text))
                text.add(block.text)
                prev.bold.extend(block.bold)
                continue
        out.append(block)
    for index, text in joined.items():
        out[index].text = str(text)
    return out

"""Plain text and Markdown: encoding detection, inline HTML and Markdown reduced to the light markup."""

from __future__ import annotations

import re
from pathlib import Path

from ingest.model import RawDocument, RawPage
from ingest.readers.encoding import decode
from ingest.readers.markup import has_tags, inline_html_to_markup

_MD_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)")
_MD_LINK = re.compile(r"\[([^\]]*)\]\([^)]*\)")
_MD_RULE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")
_MD_TABLE_SEP = re.compile(r"^\s*\|?\s*:?-{2,}:?\s*(\|\s*:?-{2,}:?\s*)*\|?\s*$")
_MD_ITALIC = re.compile(r"(?<![*\w])\*(?!\*)([^*\n]+?)\*(?!\*)")
_STRUCTURED = re.compile(r"^\s*(?:#|[-*+•]\s|\d{1,2}[.)]\s|[a-z][.)]\s|\|)")
_TERMINAL = tuple('.!?:;»"”)')


class TextReader:
    extensions: tuple[str, ...] = (".txt", ".text", ".md", ".markdown")

    def match(self, path: Path, head: bytes) -> bool:
        return True  # decode() rejects binary content with a clear reason

    def read(self, path: Path, data: bytes) -> RawDocument:
        text, _encoding = decode(data)
        return text_to_raw(text, source=str(path), fmt="text")


_FRONT_MATTER = re.compile(r"^#\s*(source|url|title|note|date|author|kilde|tittel)\s*:\s*(.*)$", re.I)


def front_matter(text: str) -> tuple[dict[str, str], str]:
    """Leading "# key: value" lines (a saved page's source, title, note) as metadata: the title stays
    the document's first heading, the others leave its text."""
    meta: dict[str, str] = {}
    lines = text.split("\n")
    body_from = 0
    for i, line in enumerate(lines):
        match = _FRONT_MATTER.match(line.strip())
        if match:
            meta.setdefault(match.group(1).lower(), match.group(2).strip())
            body_from = i + 1
        elif line.strip():
            break
    if not meta:
        return meta, text
    title = meta.get("title") or meta.get("tittel")
    return meta, (f"# {title}\n\n" if title else "") + "\n".join(lines[body_from:])


def text_to_raw(text: str, *, source: str, fmt: str) -> RawDocument:
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\u00a0", " ")
    meta, text = front_matter(text)
    if has_tags(text):
        text = inline_html_to_markup(text)
    text = markdown_to_markup(text)
    pages = [RawPage(number=i, text=page) for i, page in enumerate(text.split("\f"), start=1)]
    # A trailing form feed leaves an empty last page that is not a page of the document.
    while len(pages) > 1 and not pages[-1].text.strip():
        pages.pop()
    return RawDocument(
        source=source,
        format=fmt,
        pages=pages,
        hard_wrapped=looks_hard_wrapped(text),
        title=meta.get("title") or meta.get("tittel"),
    )


_PIPE_CELLS = re.compile(r"\s+\|\s+")
_DOT_LEADER = re.compile(r"^\s*([^.\t][^\t]*?[^.\s])\s*(?:\.\s?){4,}\s*(\S.*)$")


def _pipe_rows(lines: list[str]) -> set[int]:
    """Lines of a table written with pipes but no outer ones ("Nr. | Tiltak | Ansvarlig"): two or
    more lines in a row with the same number (at least three) of " | "-separated cells."""
    counts = [len(_PIPE_CELLS.split(line.strip())) if " | " in line else 0 for line in lines]
    rows: set[int] = set()
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and counts[j] >= 3 and counts[j] == counts[i]:
            j += 1
        if j - i >= 2:
            rows.update(range(i, j))
        i = max(j, i + 1)
    return rows


def markdown_to_markup(text: str) -> str:
    out: list[str] = []
    lines = text.split("\n")
    rows = _pipe_rows(lines)
    columns = _ruled_rows(lines)
    for number, line in enumerate(lines):
        if number in columns:
            starts = columns[number]
            if starts:  # the rule under the header row itself is no text
                out.append("\t".join(_cells_at(line, starts)))
            continue
        leader = _DOT_LEADER.match(line)
        if leader:
            # "Møter i LSU ............ 6": a label and its value, a row of two cells (never a wrapped line).
            out.append(f"{leader.group(1).strip()}\t{leader.group(2).strip()}")
            continue
        if number in rows:
            out.append("\t".join(cell.strip() for cell in _PIPE_CELLS.split(line.strip())))
            continue
        if _MD_RULE.match(line) or _MD_TABLE_SEP.match(line):
            out.append("")
            continue
        line = _MD_IMAGE.sub("", line)
        line = _MD_LINK.sub(r"\1", line)
        line = _MD_ITALIC.sub(r"\1", line)
        stripped = line.strip()
        if stripped.startswith("|") and stripped.endswith("|") and stripped.count("|") >= 3:
            line = "\t".join(cell.strip() for cell in stripped.strip("|").split("|"))
        out.append(line)
    return "\n".join(out)


_COLUMN_RULE = re.compile(r"^\s*-{3,}(?:\s+-{3,})+\s*$")
_DASHES = re.compile(r"-{3,}")


def _ruled_rows(lines: list[str]) -> dict[int, list[int]]:
    """A plain-text table drawn with a dashed rule under its header, one run of dashes per column
    ("  Fase      Periode" over "  --------  --------"), its rows down to the next blank line: each
    line of it with where its columns start (the rule's own line with none)."""
    tables: dict[int, list[int]] = {}
    for number, line in enumerate(lines):
        if not _COLUMN_RULE.match(line) or number in tables:
            continue
        starts = [m.start() for m in _DASHES.finditer(line)]
        tables[number] = []
        if number > 0 and lines[number - 1].strip():
            tables[number - 1] = starts
        row = number + 1
        while row < len(lines) and lines[row].strip() and not _COLUMN_RULE.match(lines[row]):
            tables[row] = starts
            row += 1
    return tables


def _cells_at(line: str, starts: list[int]) -> list[str]:
    """A row cut where its columns start; a cut that falls inside a word moves back to the space
    before it (a value a little wider than its column's rule)."""
    cuts = []
    for start in starts[1:]:
        cut = min(start, len(line))
        while 0 < cut < len(line) and not line[cut - 1].isspace() and not line[cut].isspace():
            cut -= 1
        cuts.append(cut)
    bounds = [0, *cuts, len(line)]
    return [line[a:b].strip() for a, b in zip(bounds, bounds[1:])]


def looks_hard_wrapped(text: str) -> bool:
    """True when most long lines run on into the next line (a PDF or e-mail export)."""
    lines = text.split("\n")
    long_lines = 0
    running_on = 0
    for line, nxt in zip(lines, lines[1:]):
        body = line.rstrip()
        if len(body) < 40 or "\t" in body or _STRUCTURED.match(body) or _STRUCTURED.match(nxt):
            continue
        long_lines += 1
        if nxt.strip() and not body.endswith(_TERMINAL):
            running_on += 1
    return long_lines >= 5 and running_on / long_lines > 0.4

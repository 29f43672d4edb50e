"""Text that pypdf's layout mode put in the page's columns, back to lines: justified lines closed up,
table cells as tab-separated rows (a row whose cells wrap over several lines put together), and wide
line spacing told from paragraph gaps."""

from __future__ import annotations

import re

_GAP = re.compile(r"(?<=\S)( {2,})(?=\S)")
CELL_GAP = 4  # spaces: a wider gap that is not the even spread of a justified line separates cells
JUSTIFIED_MAX = 6


def tidy_layout(text: str) -> str:
    """Layout-mode text to lines: justified lines closed up, table gaps as tabs, indentation and
    trailing space dropped, and line spacing told from paragraph gaps."""
    lines = []
    for raw in _merge_wrapped_rows(text.split("\n")):
        if "\t" in raw:
            lines.append(raw)  # a table row already put together from its wrapped lines
        else:
            lines.append(_tidy_line(raw.strip()))
    lines = _squeeze_line_spacing(lines)
    while lines and not lines[-1]:
        lines.pop()
    return "\n".join(lines)


def _tidy_line(line: str) -> str:
    """A justified line closed up; one with wide gaps that are not the even spread of justification
    as tab-separated cells."""
    if not line:
        return ""
    gaps = [len(g) for g in _GAP.findall(line)]
    words = len(line.split())
    justified = (
        len(gaps) >= 2
        and len(gaps) >= 0.8 * (words - 1)
        and max(gaps) - min(gaps) <= 1
        and max(gaps) <= JUSTIFIED_MAX
    )
    if justified or not gaps or max(gaps) < CELL_GAP:
        return " ".join(line.split())
    return "\t".join(" ".join(c.split()) for c in re.split(rf" {{{CELL_GAP},}}", line))


def _squeeze_line_spacing(lines: list[str]) -> list[str]:
    """Text set with wide line spacing comes out with a blank line after nearly every line: there
    only a run of two or more blank lines is a paragraph gap."""
    content = [i for i, line in enumerate(lines) if line]
    followed_by_blank = sum(1 for i in content if i + 1 < len(lines) and not lines[i + 1])
    if len(content) < 8 or followed_by_blank < 0.6 * len(content):
        return lines
    squeezed: list[str] = []
    for i, line in enumerate(lines):
        if line or (i + 1 < len(lines) and not lines[i + 1]) or (squeezed and not squeezed[-1]):
            squeezed.append(line)
    return squeezed


def _segments(line: str) -> list[tuple[int, str]]:
    """(column, text) of the parts of a layout line that wide gaps separate."""
    return [(m.start(), m.group(0)) for m in re.finditer(rf"\S+(?: {{1,{CELL_GAP - 1}}}\S+)*", line)]


def _split_at(line: str, segments: list[tuple[int, str]], starts: list[int]) -> list[tuple[int, str]]:
    """Parts that run over a column's start (justified cells leave narrow gaps there) split at it."""
    out = []
    for column, text in segments:
        cuts = [h - column for h in starts if column < h < column + len(text) and line[h - 1] == " "]
        previous = 0
        for cut in cuts + [len(text)]:
            piece = text[previous:cut].strip()
            if piece:
                out.append(
                    (column + previous + (len(text[previous:cut]) - len(text[previous:cut].lstrip())), piece)
                )
            previous = cut
    return out


def _merge_wrapped_rows(raw_lines: list[str]) -> list[str]:
    """A table row whose cells wrap over several lines, set off by blank lines as table rows are:
    the lines are put together column by column ("Heim til kvardag: trygg utskriving av skrøpelege" +
    "eldre, med heimebesøk …" in one cell) into one tab-separated row, in the columns of the table's
    header row. Blocks whose lines each fill every column are rows of a tight table and stay line by
    line; prose is left alone."""
    out: list[str] = []
    block: list[str] = []
    header: list[int] | None = None

    def flush() -> None:
        nonlocal header
        if not block:
            return
        first = _segments(block[0])
        if len(block) == 1 and len(first) >= 3:
            header = [column for column, _ in first]  # a table's header row: its columns
        merged = _merged(block, header)
        if merged is None and len(first) < 2:
            header = None  # prose: the table has ended
        out.extend(merged or block)
        block.clear()

    for raw in raw_lines:
        if raw.strip():
            block.append(raw)
        else:
            flush()
            out.append(raw)
    flush()
    return out


def _merged(block: list[str], header: list[int] | None) -> list[str] | None:
    """A block of lines as one table row, or None when it is not one."""
    if len(block) < 2 or len(block) > 12:
        return None
    first = _segments(block[0])
    if len(first) < 2:
        return None
    own = [column for column, _ in first]
    # The header's columns, when this row starts most of its parts where they do.
    aligned = header is not None and sum(any(abs(c - h) <= 3 for c in own) for h in header) >= 0.6 * len(
        header
    )
    starts = header if aligned and header else own
    cells: list[list[str]] = [[] for _ in starts]
    filled_counts = []
    for line in block:
        filled = _fill_cells(cells, line, starts, aligned)
        if filled is None:
            return None
        filled_counts.append(filled)
    if all(count == len(starts) for count in filled_counts):
        return None  # every line a full row: a tight table, one row per line
    return ["\t".join(" ".join(" ".join(parts).split()) for parts in cells)]


def _fill_cells(cells: list[list[str]], line: str, starts: list[int], aligned: bool) -> int | None:
    """The parts of one line added to the cells of their columns; the number of columns it fills, or
    None when its parts do not fall in the columns."""
    segments = _split_at(line, _segments(line), starts) if aligned else _segments(line)
    filled = set()
    for column, text in segments:
        # The column this part falls in (a little slack to the left of a column's start).
        index = max((i for i, start in enumerate(starts) if start <= column + 2), default=None)
        if index is None:
            return None  # text left of the first column: not this table's shape
        if not aligned and abs(column - starts[index]) > 3 and column != segments[0][0]:
            return None  # without a header, parts between columns are prose with wide gaps
        cells[index].append(text)
        filled.add(index)
    return len(filled)

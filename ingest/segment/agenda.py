"""Agenda items: number, title, kind, conclusion or vedtak, responsible; read from a meeting's agenda
(a table or numbered paragraphs) or from a case paper."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache
from typing import Any

from ingest.cases import case_number, opens_case
from ingest.model import AgendaItem, Block, Meeting
from ingest.resources import meeting_vocabulary
from ingest.segment.fields import find_body, people
from ingest.segment.parts import is_case_paper_header


@dataclass
class _Draft:
    number: str | None
    page: int
    kinds: list[str] = field(default_factory=list)
    segments: list[tuple[str, bool]] = field(default_factory=list)  # (text, is_heading)
    bold: list[str] = field(default_factory=list)
    responsible: str | None = None
    blocks: list[int] = field(default_factory=list)


def _vocab() -> dict[str, Any]:
    return meeting_vocabulary()


@cache
def _kind_words() -> dict[str, str]:
    out = {}
    for kind, words in _vocab()["agenda_kinds"].items():
        for word in words:
            out[word] = kind
    return out


@cache
def _conclusion_re() -> re.Pattern[str]:
    labels = sorted(_vocab()["conclusion_labels"], key=len, reverse=True)
    alternation = "|".join(re.escape(label) for label in labels)
    # Distinctive labels ("Forslag til vedtak") count anywhere; bare ones need a colon or a line start.
    return re.compile(
        rf"(?:(?P<strong>forslag til (?:konklusjon|vedtak|innstilling)|framlegg til (?:vedtak|konklusjon))"
        rf"(?:\s+i\s+[\wæøåÆØÅ]{{2,12}})?\s*:?|(?:^|\n)\s*(?P<bare>{alternation})(?:\s+i\s+[\wæøåÆØÅ]{{2,12}})?\s*:"
        rf"|(?<![\wæøå])(?P<colon>{alternation})(?:\s+i\s+[\wæøåÆØÅ]{{2,12}})?\s*:)",
        re.I,
    )


def _kinds_in(text: str) -> list[str]:
    words = _kind_words()
    found = []
    lowered = text.lower()
    for word in sorted(words, key=len, reverse=True):
        if re.search(rf"(?<![\wæøå]){re.escape(word)}(?![\wæøå])", lowered):
            found.append(words[word])
            lowered = lowered.replace(word, " ")
    return found


def _pick_kind(kinds: list[str]) -> str | None:
    for kind in _vocab()["kind_priority"]:
        if kind in kinds:
            return kind
    return None


def _starts_with_word(text: str, words: list[str]) -> bool:
    lowered = text.lower().strip()
    return any(re.match(rf"{re.escape(w)}(?![\wæøå])", lowered) for w in words)


def case_paper(blocks: list[Block]) -> Meeting | None:
    """A saksfremlegg: a header row (Saksnr, Møteorgan, Type sak, Saksbehandler) and a body."""
    if len(blocks) < 2 or not is_case_paper_header(blocks[0]):
        return None
    header = [c.strip().rstrip(":").lower() for c in blocks[0].cells]
    values = blocks[1].cells if blocks[1].kind == "table_row" else blocks[1].text.split()
    row = dict(zip(header, values))
    draft = _Draft(number=_case_paper_number(row, values), page=blocks[0].page)
    draft.kinds = _kinds_in(" ".join(v for k, v in row.items() if "type" in k))
    draft.responsible = next((v for k, v in row.items() if "saksbehandl" in k and v.strip()), None)
    for block in blocks[2:]:
        draft.segments.append((block.text, block.kind == "heading"))
    hint = next((b.text for b in blocks[2:4] if b.kind == "heading"), None)
    # In a case paper, bold marks sub-headings, not the title: the draft keeps none.
    item = _finish(draft, title_hint=hint)
    body = next((v for k, v in row.items() if "møteorgan" in k or "utval" in k), None)
    return Meeting(body=find_body(body) if body else None, date=None, agenda_items=[item])


def _case_paper_number(row: dict[str, str], values: list[str]) -> str | None:
    """The case number of a case paper's header: its "Saksnr" column, else its first value."""
    for key, value in row.items():
        found = case_number(value) if key.startswith("saks") and "nr" in key else None
        if found:
            return found[0]
    found = case_number(values[0]) if values else None
    return found[0] if found else None


def agenda_items(blocks: list[Block]) -> list[tuple[AgendaItem, list[int]]]:
    """The agenda items of a meeting's papers, each with the indices of the blocks it was read from."""
    reader = _AgendaReader()
    for index, block in enumerate(blocks):
        if block.kind == "table_row":
            reader.table_row(block, index)
        else:
            reader.text_block(block, index)
    return [(_finish(d), d.blocks) for d in reader.drafts if d.segments or d.number]


class _AgendaReader:
    """Agenda items as the blocks come: a case number (in a table's first cell or opening a paragraph)
    or an item without a number ("Eventuelt", a bold row) starts one; what follows goes on it."""

    def __init__(self) -> None:
        self.drafts: list[_Draft] = []
        self.current: _Draft | None = None
        self.numbered_seen = False

    def _start(self, number: str | None, page: int, kinds: list[str] | None = None) -> _Draft:
        self.current = _Draft(number=number, page=page, kinds=kinds or [])
        self.numbered_seen = self.numbered_seen or number is not None
        self.drafts.append(self.current)
        return self.current

    def table_row(self, block: Block, index: int) -> None:
        cells = block.cells
        first = cells[0].strip() if cells else ""
        content_cells = list(cells[1:])
        found = case_number(first) if first else None
        if first and re.match(r"^(saks?\s*nr|sak\b|nr\.?$)", first, re.I) and not found:
            return  # the table's header row
        if found:
            number, rest = found
            _add_cells(self._start(number, block.page, _kinds_in(rest)), content_cells, block, index)
            return
        if first and _starts_with_word(first, _vocab()["other_items"]):
            _add_cells(self._start(None, block.page, _kinds_in(first)), content_cells, block, index)
            return
        content = " ".join(c for c in content_cells if c.strip())
        if not first and block.bold and content.strip().startswith(block.bold[0][:20]):
            if _starts_with_word(content, _vocab()["breaks"]) and len(content.split()) <= 3:
                return
            if not self.numbered_seen:
                _add_cells(self._start(None, block.page), content_cells, block, index)
                return
        if self.current is not None and self._closing_item(first, content):
            closing = self._start(None, block.page)
            closing.segments.append((first, False))
            _add_cells(closing, content_cells, block, index)
            return
        if self.current is not None:
            self._continue_row(self.current, first, content_cells, block, index)

    def _closing_item(self, first: str, content: str) -> bool:
        """After the numbered items have given way to an unnumbered one ("Eventuelt"), a row titled in
        its first cell ("Evaluering av møtet", "Neste møte") with text beside it is an item of its own:
        the meeting's closing items are not part of the one before."""
        current = self.current
        return (
            current is not None
            and current.number is None
            and self.numbered_seen
            and _is_row_title(first)
            and len(content.split()) >= 4
        )

    @staticmethod
    def _continue_row(
        current: _Draft, first: str, content_cells: list[str], block: Block, index: int
    ) -> None:
        """A row that goes on the item before it: its first cell a kind ("Orientering"), a line of the
        title, or nothing."""
        current.kinds.extend(_kinds_in(first) if first and len(first.split()) <= 5 else [])
        if first and not _kinds_in(first) and not re.match(r"^\d*\s*vedlegg$", first, re.I):
            current.segments.append((first, False))
        _add_cells(current, content_cells, block, index)

    def text_block(self, block: Block, index: int) -> None:
        found = case_number(block.text) if block.kind in ("paragraph", "heading") else None
        if found and found[1] and opens_case(block.text):
            number, rest = found
            draft = self._start(number, block.page, _kinds_in(rest[:40]))
            draft.segments.append((rest, False))
            draft.blocks.append(index)
            return
        if self.current is not None:
            self.current.segments.append((block.text, block.kind == "heading"))
            self.current.bold.extend(block.bold)
            self.current.blocks.append(index)


def _is_row_title(cell: str) -> bool:
    """A first cell that names an item: a few words, a capital first, no number, no kind, no attachments."""
    words = cell.split()
    return (
        0 < len(words) <= 6
        and cell[:1].isupper()
        and not any(ch.isdigit() for ch in cell)
        and not _kinds_in(cell)
        and not re.search(r"vedlegg", cell, re.I)
    )


def _add_cells(draft: _Draft, cells: list[str], block: Block, index: int) -> None:
    draft.blocks.append(index)
    draft.bold.extend(block.bold)
    if len(cells) >= 2 and _looks_responsible(cells[-1]):
        if cells[-1].strip() and draft.responsible is None:
            draft.responsible = " ".join(cells[-1].split())
        cells = cells[:-1]
    for cell in cells:
        if cell.strip():
            draft.segments.append((cell.strip(), False))


def _looks_responsible(cell: str) -> bool:
    text = " ".join(cell.split())
    return not text or (
        (len(text) <= 80 and not re.search(r"[.:;!?]\s", text + " "))
        or (bool(people(text)) and len(text) <= 80)
    )


def _finish(draft: _Draft, title_hint: str | None = None) -> AgendaItem:
    text = "\n".join(t for t, _ in draft.segments).strip()
    title = _title(draft, text, title_hint)
    conclusion, label = _conclusion(draft.segments) if draft.segments else (None, None)
    if conclusion is None:
        conclusion, label = _unlabelled_conclusion(draft.segments)
    kinds = draft.kinds + ([] if draft.kinds else _kinds_in(text[:60]))
    responsible = draft.responsible
    if responsible:
        names = people(responsible)
        responsible = (
            ", ".join(names) if names and sum(map(len, names)) >= len(responsible) * 0.6 else responsible
        )
    return AgendaItem(
        number=draft.number,
        title=title,
        kind=_pick_kind(kinds),
        conclusion=conclusion,
        conclusion_label=label,
        responsible=responsible,
        page=draft.page,
        text=text,
    )


def _title(draft: _Draft, text: str, hint: str | None) -> str:
    skip = set(_kind_words()) | set(_vocab()["other_items"])
    for span in draft.bold:
        cleaned = span.strip(" :-")
        if cleaned and cleaned.lower() not in skip and not _conclusion_re().match(cleaned):
            return cleaned
    if hint:
        return hint
    first_line = text.split("\n", 1)[0].strip()
    match = _conclusion_re().search(first_line)
    if match and match.start() > 0:
        first_line = first_line[: match.start()].strip()
    if len(first_line) > 120:
        cut = re.search(r"[.!?:](\s|$)", first_line[:200])
        first_line = (
            first_line[: cut.start()] if cut and cut.start() > 10 else first_line[:120].rsplit(" ", 1)[0]
        )
    return first_line.strip(" .:")


@cache
def _unlabelled_re() -> re.Pattern[str]:
    return re.compile("|".join(f"(?:{p})" for p in _vocab()["unlabelled_conclusions"]), re.I)


def _unlabelled_conclusion(segments: list[tuple[str, bool]]) -> tuple[str | None, str | None]:
    """Minutes often write what was decided without a label, as the item's last short sentence
    ("Referatene ble tatt til orientering", "Orienteringa vert teken til vitande"): that is its
    conclusion. The title (the first segment) is never one."""
    if len(segments) < 2 or segments[-1][1]:
        return None, None
    last = " ".join(segments[-1][0].split())
    if len(last.split()) > 30 or not _unlabelled_re().search(last):
        return None, None
    return last, "Konklusjon"


def _conclusion(segments: list[tuple[str, bool]]) -> tuple[str | None, str | None]:
    pattern = _conclusion_re()
    for idx in range(len(segments) - 1, -1, -1):
        text, _is_heading = segments[idx]
        matches = list(pattern.finditer(text))
        if not matches:
            continue
        match = matches[-1]
        label = " ".join(match.group(0).split()).strip(" :")
        after = [text[match.end() :].strip()]
        for follow, follow_heading in segments[idx + 1 :]:
            if follow_heading:
                break
            after.append(follow.strip())
        conclusion = "\n".join(a for a in after if a).strip()
        if conclusion:
            return conclusion, label[:1].upper() + label[1:]
    return None, None

"""Meetings and their agenda items: number, title, kind, conclusion or vedtak, responsible."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from ingest.model import AgendaItem, Block, Meeting
from ingest.resources import bodies, json_data
from ingest.segment.dates import first_date
from ingest.segment.fields import field_key, first_person, header_field, people
from ingest.segment.parts import is_case_paper_header

_TIME = re.compile(
    r"(?:kl\.?\s*)?(\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}|kl\.?\s*\d{1,2}[.:]\d{2})", re.I
)
_DATE_TEXT = re.compile(
    r"\b\d{1,2}\.\d{1,2}\.\d{2,4}\b|\b\d{1,2}\.?\s+(januar|februar|mars|april|mai|juni|juli|august|september|"
    r"oktober|november|desember)\s+\d{4}\b|\b(mandag|tirsdag|onsdag|torsdag|fredag|måndag|tysdag|"
    r"laurdag|lørdag|søndag|sundag)\b",
    re.I,
)
_NAMED_BODY = re.compile(
    r"\b((?:Fagutval(?:g|get|et)|Arbeidsgrupp(?:e|a|en)|Underutval(?:g|get|et)|Fagråd(?:et)?|"
    r"Styringsgrupp(?:e|a|en)|Prosjektgrupp(?:e|a|en)|Nettverk(?:et)?)\s+(?:for|om)\s+[\wæøåÆØÅ -]{3,50}?)"
    r"(?=\s*(?:[,.;:()\n|]|$|\s-\s))",
)


@dataclass
class _Draft:
    number: str | None
    page: int
    kinds: list[str] = field(default_factory=list)
    segments: list[tuple[str, bool]] = field(default_factory=list)  # (text, is_heading)
    bold: list[str] = field(default_factory=list)
    responsible: str | None = None
    blocks: list[int] = field(default_factory=list)


@cache
def _vocab() -> dict:
    return json_data("meeting.json")


@cache
def _case_patterns() -> list[re.Pattern[str]]:
    return [re.compile(r"^\s*" + p, re.I) for p in _vocab()["case_number_patterns"]]


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


def case_number(text: str) -> tuple[str, str] | None:
    """(normalised case number, rest of text) when ``text`` starts with one."""
    for pattern in _case_patterns():
        match = pattern.match(text)
        if match:
            number = re.sub(r"\s+", "", match.group("num"))
            return number, text[match.end() :].strip(" :.-\t")
    return None


def find_body(text: str) -> str | None:
    """The committee a title or header names: a known body, or 'Fagutvalg for X' read by rule."""
    best: tuple[int, str] | None = None
    for body in bodies():
        match = body.pattern.search(text)
        if match and (best is None or match.start() < best[0]):
            best = (match.start(), body.short)
    named = _NAMED_BODY.search(text)
    if named and (best is None or named.start() < best[0]):
        best = (named.start(), " ".join(named.group(1).split()))
    return best[1] if best else None


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


def parse_meeting(blocks: list[Block], header_end: int, title_text: str) -> tuple[Meeting, list[list[int]]]:
    """Read a meeting's header fields (blocks before ``header_end``) and its agenda items.

    Also returns, per agenda item, the indices (into ``blocks``) of the blocks it was read from.
    """
    meeting = Meeting(body=None, date=None)
    topic = title_text
    listing: str | None = None  # under a "Til stades" / "Forfall" label: the list that follows
    for block in blocks[:header_end]:
        label = (
            field_key(block.text) if block.kind in ("heading", "paragraph") and len(block.text) < 60 else None
        )
        if label in ("present", "absent"):
            listing = label
            continue
        if _attendance(meeting, block, listing):
            continue
        found = header_field(block)
        if not found:
            if block.kind == "heading":
                listing = None
            continue
        key, value = found
        listing = None
        named = _ANNOTATED_MINUTES.search(value)
        if named and not meeting.minute_taker:
            meeting.minute_taker = named.group(1)  # "Frå sekretariatet: Lene Vikanes (referent) og …"
        if key == "topic":
            topic = f"{value} {topic}"
        elif key in ("date_place", "date"):
            _date_place(meeting, value, key)
        elif key == "place" and not meeting.place:
            meeting.place = value
        elif key == "chair" and not meeting.chair:
            meeting.chair = first_person(value)
        elif key == "minute_taker" and not meeting.minute_taker:
            meeting.minute_taker = first_person(value)
        elif key in ("present", "absent") and not _NOTICE.search(value):
            getattr(meeting, key).extend(people(value))
    _attendance_after(meeting, blocks, header_end, listing)
    meeting.body = find_body(topic) or find_body(" ".join(b.text for b in blocks[: header_end + 3]))
    items = agenda_items(blocks[header_end:])
    meeting.agenda_items = [item for item, _ in items]
    return meeting, [[header_end + i for i in spans] for _, spans in items]


_ANNOTATED_MINUTES = re.compile(
    r"([A-ZÆØÅ][\wæøåé'’-]+(?:\s+[A-ZÆØÅ][\wæøåé'’-]+){1,3})\s*\((?i:referent|skrivar|"
    r"skriver|protokollfører|protokollførar)\)"
)


# "Forfall meldes til sekretariatet v/ Eirik Holtskog": a notice how to send apologies, no absence.
_NOTICE = re.compile(r"\bmeld(?:es|ast|e|ar|er)\b|\binn?[ea]n\b", re.I)
_PERSON_CELL = re.compile(r"^(?:Dr\.\s+)?[A-ZÆØÅ][a-zæøåéö'’-]+(?:\s+[A-ZÆØÅ][a-zæøåéö'’.-]+){1,3}$")
_ORGANISATION = re.compile(
    r"kommune|sjukehus|sykehus|helse|\bHF\b|utval|senter|klinikk|avdeling|fellesskap", re.I
)
_NAME_COLUMN = {
    "namn",
    "navn",
    "name",
    "deltakar",
    "deltaker",
    "deltakere",
    "deltakarar",
    "medlem",
    "medlemmer",
}
_ATTENDANCE_HEADING = re.compile(
    r"til stede|til stades|tilstede|forfall|fråvær|fravær|deltak|deltag|møtt", re.I
)


def _attendance_after(meeting: Meeting, blocks: list[Block], start: int, listing: str | None) -> None:
    """Attendance that follows the header fields: "Til stades" and "Forfall" lists or an attendance
    table, before the first case."""
    for block in blocks[start : start + 80]:
        if block.kind != "table_row" and _CASE_WORD.match(block.text) and case_number(block.text):
            break
        label = (
            field_key(block.text) if block.kind in ("heading", "paragraph") and len(block.text) < 60 else None
        )
        if label in ("present", "absent"):
            listing = label
            continue
        if block.kind == "heading" and _ATTENDANCE_HEADING.search(block.text) and len(block.text) < 60:
            listing = None
            continue
        if _attendance(meeting, block, listing):
            continue
        if block.kind == "table_row" and block.cells and block.cells[0].strip().lower() in _NAME_COLUMN:
            continue  # the attendance table's own header row
        if block.kind == "paragraph" and len(block.text.split()) <= 3 and block.text[:1].islower():
            continue  # the wrapped tail of a cell ("direktør")
        found = header_field(block)
        if found and found[0] in ("present", "absent") and not _NOTICE.search(found[1]):
            getattr(meeting, found[0]).extend(people(found[1]))
            continue
        if block.kind == "heading" and (meeting.present or meeting.absent):
            break  # past the attendance, into the paper's own sections
        listing = None


def _attendance(meeting: Meeting, block: Block, listing: str | None) -> bool:
    """An attendance list: items under "Til stades"/"Forfall", or table rows that start with a
    person and may say in a cell whether they came ("Arve Mjelde | Karmøy kommune | Medlem | Forfall")."""
    if block.kind == "list_item" and listing:
        names = people(block.text)
        if names:
            getattr(meeting, listing).append(names[0])
            return True
        return False
    if block.kind != "table_row" or not block.cells:
        return False
    first = " ".join(block.cells[0].split())
    names = people(first)
    if not names and _PERSON_CELL.match(first) and not _ORGANISATION.search(first):
        names = [re.sub(r"^Dr\.\s+", "", first)]  # the name column of an attendance table: any name
    if len(names) != 1 or len(names[0]) < len(first) - 12:
        return False
    status = None
    for cell in block.cells[1:]:
        key = field_key(cell)
        if key in ("present", "absent"):
            status = key
        elif cell.strip().lower() in ("x", "ja", "møtte", "møtt"):
            status = "present"
    status = status or listing
    if status is None:
        return False
    getattr(meeting, status).append(names[0])
    return True


def _date_place(meeting: Meeting, value: str, key: str) -> None:
    found = first_date(value)
    if found and not meeting.date:
        meeting.date = found.isoformat()
    time = _TIME.search(value)
    if time and not meeting.time:
        meeting.time = re.sub(r"^kl\.?\s*", "", time.group(1), flags=re.I).replace(":", ".")
    if key == "date_place" and not meeting.place:
        rest = _TIME.sub(" ", _DATE_TEXT.sub(" ", value))
        rest = re.sub(r"^[\s,.;-]+|[\s,;-]+$", "", re.sub(r"\s*,\s*(,\s*)+", ", ", rest))
        meeting.place = " ".join(rest.split()).rstrip(".") or None


def case_paper(blocks: list[Block]) -> Meeting | None:
    """A saksfremlegg: a header row (Saksnr, Møteorgan, Type sak, Saksbehandler) and a body."""
    if len(blocks) < 2 or not is_case_paper_header(blocks[0]):
        return None
    header = [c.strip().rstrip(":").lower() for c in blocks[0].cells]
    values = blocks[1].cells if blocks[1].kind == "table_row" else blocks[1].text.split()
    row = dict(zip(header, values))
    number = next(
        (case_number(v)[0] for k, v in row.items() if k.startswith("saks") and "nr" in k and case_number(v)),
        None,
    )
    if number is None and values and case_number(values[0]):
        number = case_number(values[0])[0]
    draft = _Draft(number=number, page=blocks[0].page)
    draft.kinds = _kinds_in(" ".join(v for k, v in row.items() if "type" in k))
    draft.responsible = next((v for k, v in row.items() if "saksbehandl" in k and v.strip()), None)
    for block in blocks[2:]:
        draft.segments.append((block.text, block.kind == "heading"))
        draft.bold.extend(block.bold)
    hint = next((b.text for b in blocks[2:4] if b.kind == "heading"), None)
    draft.bold = []  # in a case paper, bold marks sub-headings, not the title
    item = _finish(draft, title_hint=hint)
    body = next((v for k, v in row.items() if "møteorgan" in k or "utval" in k), None)
    return Meeting(body=find_body(body) if body else None, date=None, agenda_items=[item])


# A paragraph that opens with a case: "Sak 12/24", "PS 3/2024", "OSU-sak 4/2024", "Saksnr. 2024/08".
_CASE_WORD = re.compile(r"^(?:(?:[A-Za-zÆØÅæøå]{2,5}-)?sak|saksnr|PS|OS|DS|RS)\b", re.I)


def agenda_items(blocks: list[Block]) -> list[tuple[AgendaItem, list[int]]]:
    drafts: list[_Draft] = []
    current: _Draft | None = None
    numbered_seen = False
    breaks = _vocab()["breaks"]
    others = _vocab()["other_items"]
    for index, block in enumerate(blocks):
        if block.kind == "table_row":
            cells = block.cells
            first = cells[0].strip() if cells else ""
            content_cells = list(cells[1:])
            found = case_number(first) if first else None
            if first and re.match(r"^(saks?\s*nr|sak\b|nr\.?$)", first, re.I) and not found:
                continue  # the table's header row
            if found:
                number, rest = found
                current = _Draft(number=number, page=block.page, kinds=_kinds_in(rest))
                numbered_seen = True
                drafts.append(current)
                _add_cells(current, content_cells, block, index)
                continue
            content = " ".join(c for c in content_cells if c.strip())
            if first and _starts_with_word(first, others):
                current = _Draft(number=None, page=block.page, kinds=_kinds_in(first))
                drafts.append(current)
                _add_cells(current, content_cells, block, index)
                continue
            if not first and block.bold and content.strip().startswith(block.bold[0][:20]):
                if _starts_with_word(content, breaks) and len(content.split()) <= 3:
                    continue
                if not numbered_seen:
                    current = _Draft(number=None, page=block.page)
                    drafts.append(current)
                    _add_cells(current, content_cells, block, index)
                    continue
            if current is not None:
                current.kinds.extend(_kinds_in(first) if first and len(first.split()) <= 5 else [])
                if first and not _kinds_in(first) and not re.match(r"^\d*\s*vedlegg$", first, re.I):
                    current.segments.append((first, False))
                _add_cells(current, content_cells, block, index)
            continue
        found = case_number(block.text) if block.kind in ("paragraph", "heading") else None
        if found and found[1] and (_CASE_WORD.match(block.text) or re.match(r"^\d{4}[./]", block.text)):
            number, rest = found
            current = _Draft(number=number, page=block.page, kinds=_kinds_in(rest[:40]))
            numbered_seen = True
            drafts.append(current)
            current.segments.append((rest, False))
            current.blocks.append(index)
            continue
        if current is not None:
            current.segments.append((block.text, block.kind == "heading"))
            current.bold.extend(block.bold)
            current.blocks.append(index)
    return [(_finish(d), d.blocks) for d in drafts if d.segments or d.number]


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
    conclusion, label = _conclusion(draft.segments)
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

"""Who came and who sent apologies: "Til stades" and "Forfall" lists, attendance tables, and the same
fields in a meeting's header."""

from __future__ import annotations

import re

from ingest.cases import case_number, opens_with_case_word
from ingest.model import Block, Meeting
from ingest.segment.fields import field_key, header_field, people

# "Forfall meldes til sekretariatet v/ Eirik Holtskog": a notice how to send apologies, no absence.
NOTICE = re.compile(r"\bmeld(?:es|ast|e|ar|er)\b|\binn?[ea]n\b", re.I)
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


def list_label(block: Block) -> str | None:
    """ "present" or "absent" when the block is the label of an attendance list ("Til stades:")."""
    label = field_key(block.text) if block.kind in ("heading", "paragraph") and len(block.text) < 60 else None
    return label if label in ("present", "absent") else None


def attendance_after(meeting: Meeting, blocks: list[Block], start: int, listing: str | None) -> None:
    """Attendance that follows the header fields: "Til stades" and "Forfall" lists or an attendance
    table, before the first case."""
    for block in blocks[start : start + 80]:
        if block.kind != "table_row" and opens_with_case_word(block.text) and case_number(block.text):
            break
        label = list_label(block)
        if label:
            listing = label
            continue
        if block.kind == "heading" and _ATTENDANCE_HEADING.search(block.text) and len(block.text) < 60:
            listing = None
            continue
        if attendance(meeting, block, listing) or _passed_over(block):
            continue
        found = header_field(block)
        if found and found[0] in ("present", "absent") and not NOTICE.search(found[1]):
            getattr(meeting, found[0]).extend(people(found[1]))
            continue
        if block.kind == "heading" and (meeting.present or meeting.absent):
            break  # past the attendance, into the paper's own sections
        listing = None


def _passed_over(block: Block) -> bool:
    """Lines inside an attendance table that are no one's attendance."""
    if block.kind == "table_row" and block.cells and block.cells[0].strip().lower() in _NAME_COLUMN:
        return True  # the attendance table's own header row
    # The wrapped tail of a cell ("direktør").
    return block.kind == "paragraph" and len(block.text.split()) <= 3 and block.text[:1].islower()


def attendance(meeting: Meeting, block: Block, listing: str | None) -> bool:
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
    status = _status(block.cells[1:]) or listing
    if status is None:
        return False
    getattr(meeting, status).append(names[0])
    return True


def _status(cells: list[str]) -> str | None:
    """What the cells after a person's name say of them: present, absent, or nothing."""
    status = None
    for cell in cells:
        key = field_key(cell)
        if key in ("present", "absent"):
            status = key
        elif cell.strip().lower() in ("x", "ja", "møtte", "møtt"):
            status = "present"
    return status

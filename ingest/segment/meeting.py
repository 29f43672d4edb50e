"""A meeting's header: body, date, time, place, chair, minute taker and attendance, then its agenda."""

from __future__ import annotations

import re

from ingest.model import Block, Meeting
from ingest.resources import month_names, weekdays
from ingest.segment.agenda import agenda_items
from ingest.segment.attendance import NOTICE, attendance, attendance_after, list_label
from ingest.segment.dates import first_date
from ingest.segment.fields import find_body, first_person, header_field, people

_TIME = re.compile(
    r"(?:kl\.?\s*)?(\d{1,2}[.:]\d{2}\s*[-–]\s*\d{1,2}[.:]\d{2}|kl\.?\s*\d{1,2}[.:]\d{2})", re.I
)
# The date in a "Dato/sted" value, to be cut out to leave the place.
_DATE_TEXT = re.compile(
    rf"\b\d{{1,2}}\.\d{{1,2}}\.\d{{2,4}}\b|\b\d{{1,2}}\.?\s+({'|'.join(month_names())})\s+\d{{4}}\b"
    rf"|\b({'|'.join(weekdays())})\b",
    re.I,
)
_ANNOTATED_MINUTES = re.compile(
    r"([A-ZÆØÅ][\wæøåé'’-]+(?:\s+[A-ZÆØÅ][\wæøåé'’-]+){1,3})\s*\((?i:referent|skrivar|"
    r"skriver|protokollfører|protokollførar)\)"
)


def parse_meeting(blocks: list[Block], header_end: int, title_text: str) -> tuple[Meeting, list[list[int]]]:
    """Read a meeting's header fields (blocks before ``header_end``) and its agenda items.

    Also returns, per agenda item, the indices (into ``blocks``) of the blocks it was read from.
    """
    meeting = Meeting(body=None, date=None)
    topic = title_text
    listing: str | None = None  # under a "Til stades" / "Forfall" label: the list that follows
    for block in blocks[:header_end]:
        label = list_label(block)
        if label:
            listing = label
            continue
        if attendance(meeting, block, listing):
            continue
        found = header_field(block)
        if not found:
            if block.kind == "heading":
                listing = None
            continue
        listing = None
        topic = _header_field(meeting, *found, topic)
    attendance_after(meeting, blocks, header_end, listing)
    meeting.body = find_body(topic) or find_body(" ".join(b.text for b in blocks[: header_end + 3]))
    items = agenda_items(blocks[header_end:])
    meeting.agenda_items = [item for item, _ in items]
    return meeting, [[header_end + i for i in spans] for _, spans in items]


def _header_field(meeting: Meeting, key: str, value: str, topic: str) -> str:
    """One header field into the meeting (a field already filled keeps its first value); returns the
    topic, which a "Tema" field adds to."""
    named = _ANNOTATED_MINUTES.search(value)
    if named and not meeting.minute_taker:
        meeting.minute_taker = named.group(1)  # "Frå sekretariatet: Lene Vikanes (referent) og …"
    if key == "topic":
        return f"{value} {topic}"
    if key in ("date_place", "date"):
        _date_place(meeting, value, key)
    elif key == "place" and not meeting.place:
        meeting.place = value
    elif key == "chair" and not meeting.chair:
        meeting.chair = first_person(value)
    elif key == "minute_taker" and not meeting.minute_taker:
        meeting.minute_taker = first_person(value)
    elif key in ("present", "absent") and not NOTICE.search(value):
        getattr(meeting, key).extend(people(value))
    return topic


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

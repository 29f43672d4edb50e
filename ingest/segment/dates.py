"""Dates as Norwegian documents write them: 23.11.23, 07.10.2022, 29. februar 2024, 25 januar 2024."""

from __future__ import annotations

import re
from datetime import date
from functools import cache

from ingest.resources import months, period_vocabulary

MONTHS = months()  # name or short form -> month number
_NUMERIC = re.compile(r"(?<![\d.])(\d{1,2})\.(\d{1,2})\.(\d{4}|\d{2})(?![\d])")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_WORDS = re.compile(
    r"(?<![\w])(\d{1,2})\.?\s+(" + "|".join(sorted(MONTHS, key=len, reverse=True)) + r")\.?\s+(\d{4})(?!\d)",
    re.I,
)
_YEAR = re.compile(r"(?<![\d.,/])(20[0-4]\d|199\d)(?![\d])")
_RANGE = re.compile(r"(?<![\d.])(20[0-4]\d|199\d)\s*[-–/]\s*(20[0-4]\d|199\d|\d{2})(?![\d])")


def _make(year: int, month: int, day: int) -> date | None:
    if year < 100:
        year += 2000
    try:
        found = date(year, month, day)
    except ValueError:
        return None
    return found if 1990 <= found.year <= 2045 else None


def find_dates(text: str) -> list[tuple[int, date]]:
    """All dates in ``text`` with their offsets, in order."""
    found: list[tuple[int, date]] = []
    for match in _NUMERIC.finditer(text):
        d = _make(int(match.group(3)), int(match.group(2)), int(match.group(1)))
        if d:
            found.append((match.start(), d))
    for match in _ISO.finditer(text):
        d = _make(int(match.group(1)), int(match.group(2)), int(match.group(3)))
        if d:
            found.append((match.start(), d))
    for match in _WORDS.finditer(text):
        d = _make(int(match.group(3)), MONTHS[match.group(2).lower()], int(match.group(1)))
        if d:
            found.append((match.start(), d))
    return sorted(found)


def first_date(text: str) -> date | None:
    dates = find_dates(text)
    return dates[0][1] if dates else None


def years_named(text: str) -> list[int]:
    """Years a title or heading names, with ranges expanded: 'perioden 2023-2024' -> [2023, 2024]."""
    years: set[int] = set()
    for match in _RANGE.finditer(text):
        start = int(match.group(1))
        end_raw = match.group(2)
        end = int(end_raw) + (start // 100) * 100 if len(end_raw) == 2 else int(end_raw)
        if start <= end <= start + 10:
            years.update(range(start, end + 1))
    stripped = _NUMERIC.sub(" ", text)
    years.update(int(y) for y in _YEAR.findall(stripped))
    return sorted(years)


_PLACEHOLDERS = {
    "{start}": r"(?P<start>(?:19|20)\d\d)",
    # two digits end a period ("2023–26") unless a day and month follow ("2022 – 31. desember 2023")
    "{end}": r"(?P<end>(?:19|20)\d\d|\d\d(?!\d|\.\s*(?-i:[a-zæøå\d])))",
    "{to}": r"\s*(?:[-–—/]|\btil\b|\bto\b)\s*",
    "{day}": r"(?:\d{1,2}\.\s*(?:\d{1,2}\.|[a-zæøå]+\.?)\s*)?",
}


@cache
def _period_cues() -> tuple[re.Pattern[str], ...]:
    cues = []
    for cue in period_vocabulary()["period_cues"]:
        for placeholder, pattern in _PLACEHOLDERS.items():
            cue = cue.replace(placeholder, pattern)
        cues.append(re.compile(cue, re.I))
    return tuple(cues)


@cache
def _adoption_cue() -> re.Pattern[str]:
    return re.compile(period_vocabulary()["adoption_cues"], re.I)


def _span(start: int, end_raw: str | None) -> tuple[int, int] | None:
    if not end_raw:
        return start, start
    end = int(end_raw) + (start // 100) * 100 if len(end_raw) == 2 else int(end_raw)
    return (start, end) if start <= end <= start + 10 else None


def period_in(text: str) -> tuple[tuple[int, int], int] | None:
    """The years a sentence says a plan covers, with the offset of the cue: "for perioden 2023–2026",
    "Planperiode: 2024–2027", "gjeld frå 1. januar 2024", "gjeldende fra 2023 til 2026"."""
    found: list[tuple[int, tuple[int, int]]] = []
    for cue in _period_cues():
        for match in cue.finditer(text):
            span = _span(int(match.group("start")), match.groupdict().get("end"))
            if span:
                found.append((match.start(), span))
    if not found:
        return None
    offset, span = min(found)
    return span, offset


# A sentence ends at a full stop before a capital, not at the dots of "07.10.2022" or "28. november".
_SENTENCE_END = re.compile(r"(?<!\d)[.!?](?=\s+[A-ZÆØÅ])|\n")


def adoption_in(text: str) -> tuple[date, str] | None:
    """When a text says a plan was adopted: the date, and the sentence up to it (which may name who
    adopted it), from "Behandlet og vedtatt i partnerskapsmøtet 07.10.2022", "Vedteken i SSU 12.
    desember 2023, sak 31/23", "Partnarskapsmøtet vedtok planen 14.12.2023"."""
    reach = int(period_vocabulary()["adoption_reach"])
    for cue in _adoption_cue().finditer(text):
        window = text[cue.end() : cue.end() + reach]
        stop = _SENTENCE_END.search(window)
        window = window[: stop.start()] if stop else window
        dates = find_dates(window)
        if dates:
            offset, found = dates[0]
            opening = max((m.end() for m in _SENTENCE_END.finditer(text, 0, cue.start())), default=0)
            return found, text[opening : cue.end() + offset].strip()
    return None

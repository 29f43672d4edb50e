"""Dates as Norwegian documents write them: 23.11.23, 07.10.2022, 29. februar 2024, 25 januar 2024."""

from __future__ import annotations

import re
from datetime import date

from ingest.resources import months

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

"""Case numbers as meetings write them ("Sak 12/24", "PS 3/2024", "OSU-sak 4/2024", "Saksnr. 2024/08",
"2024.6"): every format is in meeting.json, and this is the module that reads them."""

from __future__ import annotations

import re
from functools import cache

from ingest.resources import meeting_vocabulary


@cache
def _case_patterns() -> list[re.Pattern[str]]:
    return [re.compile(r"^\s*" + p, re.I) for p in meeting_vocabulary()["case_number_patterns"]]


@cache
def _opening() -> re.Pattern[str]:
    return re.compile(meeting_vocabulary()["case_opening"], re.I)


@cache
def _year_first() -> re.Pattern[str]:
    return re.compile(meeting_vocabulary()["case_opening_year_first"])


@cache
def case_title_line() -> re.Pattern[str]:
    """A case's title line in hard-wrapped text, matched as written (capitals as shown)."""
    return re.compile(meeting_vocabulary()["case_title_line"])


def case_number(text: str) -> tuple[str, str] | None:
    """(normalised case number, rest of text) when ``text`` starts with one."""
    for pattern in _case_patterns():
        match = pattern.match(text)
        if match:
            number = re.sub(r"\s+", "", match.group("num"))
            return number, text[match.end() :].strip(" :.-\t")
    return None


def opens_with_case_word(text: str) -> bool:
    """Whether a line starts with the word of a case ("Sak", "Saksnr", "PS", "OSU-sak" …)."""
    return bool(_opening().match(text))


def opens_case(text: str) -> bool:
    """Whether a paragraph opens a case: with a case word, or with a number written year first."""
    return opens_with_case_word(text) or bool(_year_first().match(text))


@cache
def case_heading() -> re.Pattern[str]:
    """A case number opening an agenda item's heading ("PS 5/2024 Barnekoordinator …"), as written."""
    return re.compile(meeting_vocabulary()["case_heading"])


@cache
def case_mentions() -> list[re.Pattern[str]]:
    """Patterns that find a case number anywhere in a text (a question's "sak 12/24")."""
    return [re.compile(p, re.I) for p in meeting_vocabulary()["case_mentions"]]

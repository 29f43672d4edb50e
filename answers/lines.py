"""What a line of a passage is, by its shape: a sentence, a field label ("Forfall:", "Leder 2024 -
2026"), a list item under one, a title that heads what follows, a table row and its cells. Reading
cuts passages into these and weighs a line by the ones beside it."""

from __future__ import annotations

import re

from answers import spans as span_finders
from answers.plan import WORD

_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-ZÆØÅ«\"“(0-9-])")
_CELL = re.compile(r"[^|\t]+")
_INLINE_LABEL = re.compile(r"\s*([\wæøåÆØÅ ()/-]{2,40}):\s+\S")
_PERIOD_LABEL = re.compile(r"[\wæøåÆØÅ ,/()-]{2,50}\s(?:19|20)\d\d\s*[-–]\s*(?:19|20)?\d\d")
_BULLETS = ("- ", "• ", "* ")

Cell = tuple[int, int, str]  # start, end and text (or, for a row's columns, its header)


def split_units(text: str) -> list[tuple[int, str]]:
    """Lines, and sentences within lines, with their offsets."""
    out: list[tuple[int, str]] = []
    for line in re.finditer(r"[^\n\u2028]+", text):
        piece = line.group()
        if not piece.strip():
            continue
        offset = line.start()
        last = 0
        for end in _SENTENCE_END.finditer(piece):
            out.append((offset + last, piece[last : end.start()]))
            last = end.end()
        out.append((offset + last, piece[last:]))
    return [(s, t) for s, t in out if t.strip()]


def last_unit(text: str) -> str:
    units = split_units(text)
    return units[-1][1] if units else ""


def is_label(text: str) -> bool:
    """A field label: a short line that ends in a colon or names a period ("Leder 2024 - 2026")."""
    text = text.strip()
    return bool(text) and len(text) <= 80 and (text.endswith(":") or bool(_PERIOD_LABEL.fullmatch(text)))


def label_of(text: str) -> str:
    """The label a line is or opens with: "Forfall:" alone, or "Forfall: Gro Sætre, …" (a label
    and its first value on one line, the rest under it)."""
    if is_label(text):
        return text
    match = _INLINE_LABEL.match(text)
    return match.group(1) + ":" if match and is_item(text[match.end() - 1 :]) else ""


def is_item(text: str) -> bool:
    """A line of a list under a label: short, and no sentence."""
    text = text.strip()
    return bool(text) and len(text) <= 100 and not re.search(r"[.!?]\s|[.!?]$", text) and not is_label(text)


def is_bullet(text: str) -> bool:
    return bool(re.match(r"\s*[-•*]\s", text))


def is_title(text: str) -> bool:
    """A short capitalised line that is no sentence, label or table row: it heads what follows."""
    text = text.strip()
    if "|" in text or "\t" in text:
        return False  # a table row
    if not (3 <= len(text) <= 70 and not re.search(r"[.:;,!?]$", text) and text[:1].isupper()) or is_label(
        text
    ):
        return False
    # "Jostein Krokan, helsesjef, Kragerø kommune" lists a person; it heads nothing.
    return not any(p.start == 0 for p in span_finders.persons(text))


def opens_with(text: str, label: str) -> bool:
    """The line carries the label itself ("Leder: X"): a field of its own, not a line of a list under it."""
    return text.strip().lower().startswith(label.strip().rstrip(":").lower())


def parallel(other: str, text: str) -> bool:
    """Two items of one list ("Samhandlingskoordinator A, …" / "Samhandlingskoordinator B, …",
    "- x" / "- y", two table rows): each is about its own thing."""
    a, b = other.strip(), text.strip()
    if not a or not b:
        return False
    if a[:2] in _BULLETS and b[:2] == a[:2]:
        return True
    if _is_row(a) and _is_row(b):
        return True
    first_a, first_b = WORD.match(a), WORD.match(b)
    return bool(
        first_a
        and first_b
        and first_a.group().lower() == first_b.group().lower()
        and len(first_a.group()) > 3
    )


def _is_row(text: str) -> bool:
    return "|" in text or "\t" in text


def clean(text: str) -> str:
    """A line as an answer: no bullet, one space between words."""
    return re.sub(r"\s+", " ", re.sub(r"^\s*[-•*]\s+", "", text)).strip()


def cells(text: str) -> list[Cell]:
    return [(m.start(), m.end(), m.group().strip()) for m in _CELL.finditer(text) if m.group().strip()]


def is_header(row: list[str], width: int) -> bool:
    """A table's header row: as wide as the row, its cells all short words ("Navn | Rolle", "Tiltak | Frist")."""
    return len(row) == width and width >= 2 and all(len(c) <= 30 and not re.search(r"\d", c) for c in row)


def columns(text: str, header: list[str]) -> list[Cell]:
    """A table row's cells, each with the header of its column."""
    found = cells(text)
    if not header or len(found) != len(header):
        return []
    return [(start, end, name) for (start, end, _), name in zip(found, header)]

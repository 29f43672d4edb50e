"""Action items of plan tables: "i. Etablere felles inntaksteam ii. Innføre …" in the column that
says how a goal is to be reached; each names a measure (an initiative of kind ``tiltak``)."""

from __future__ import annotations

import re

from ingest.extract.names.rules import NameRules
from ingest.extract.names.words import QUOTE, key_of
from ingest.extract.recognised import Recognised

_CELL = " | "


def plan_items(text: str, rules: NameRules) -> list[Recognised]:
    """The action items of a plan table row; a continuation row (no first cell) is all action column."""
    out = []
    line_start = 0
    for line in text.split("\n"):
        cells = line.split(_CELL)
        offset = line_start + (len(cells[0]) + len(_CELL) if len(cells) >= 2 else 0)
        for cell in cells[1:] if len(cells) >= 2 else cells:
            for start, end, name in action_items(cell, rules):
                out.append(
                    Recognised(
                        "initiative",
                        "tiltak",
                        name,
                        key_of(name),
                        offset + start,
                        offset + end,
                        source="plan",
                    )
                )
            offset += len(cell) + len(_CELL)
        line_start += len(line) + 1
    return out


def action_items(cell: str, rules: NameRules) -> list[tuple[int, int, str]]:
    """Numbered action items in a plan cell ('i. Etablere ... ii. Innføre ...'): (start, end, name)."""
    parts = list(re.finditer(r"(?:(?<=\s)|^)(?:[ivx]{1,4}|[a-h])[.)]\s+", cell))
    bounds = [
        (m.end(), parts[i + 1].start() if i + 1 < len(parts) else len(cell)) for i, m in enumerate(parts)
    ] or [(0, len(cell))]
    items: list[tuple[int, int, str]] = []
    for start, end in bounds:
        item = cell[start:end].strip()
        name = _measure(item, rules)
        if name is None:
            continue
        offset = start + item.find(name) if name in item else start
        items.append((offset, offset + len(name), name[0].upper() + name[1:]))
    return items


def _measure(item: str, rules: NameRules) -> str | None:
    """What an item that opens with an action verb sets up: "Etablere et felles inntaksteam" -> its name."""
    verbs = sorted(rules["action_verbs"], key=len, reverse=True)
    verb = re.match(r"^(?:" + "|".join(re.escape(v) for v in verbs) + r")(?:/\s*\w+)?\s+", item, re.I)
    if not verb:
        return None
    name = item[verb.end() :]
    if QUOTE.search(name) or any(re.search(p, name) for p in rules["team_patterns"]):
        return None  # the quote and team rules name these better
    name = re.split(r"\s+[-–]\s+|\s*\(|,|\n", name)[0].strip(" .")
    nouns = sorted(rules["action_nouns"], key=len, reverse=True)
    name = re.sub(r"^(?:" + "|".join(re.escape(n) for n in nouns) + r")\s+", "", name, flags=re.I)
    name = re.sub(r"^(?:et|en|ei|ein|eit|prosjekt(?:et)?)\s+", "", name, flags=re.I)
    if len(name.split()) > 6:
        name = re.split(r"\s+som\s+", name)[0]
    return name if name and 2 <= len(name.split()) <= 6 else None

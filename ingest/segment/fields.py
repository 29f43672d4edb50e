"""Meeting header fields (Møteleder, Referent, Dato/sted, ...), people's names in their values, and the
committee a title or header names."""

from __future__ import annotations

import re
from functools import cache

from ingest.model import Block
from ingest.resources import bodies, first_names, is_given_name, meeting_vocabulary

_NAME_TOKEN = re.compile(r"^[A-ZÆØÅ][a-zæøåéèöüäA-ZÆØÅ'’]+(?:-[A-ZÆØÅ][a-zæøåéèöüä]+)?$|^[A-ZÆØÅ]\.$")


@cache
def _field_names() -> dict[str, str]:
    names: dict[str, str] = {}
    for key, words in meeting_vocabulary()["fields"].items():
        for word in words:
            names[word.lower().rstrip(":")] = key
    return names


def field_key(label: str) -> str | None:
    cleaned = " ".join(label.replace("*", "").split()).lower().rstrip(":").strip()
    return _field_names().get(cleaned)


def header_field(block: Block) -> tuple[str, str] | None:
    """(field key, value) when the block is a header field line, else None."""
    if block.kind == "table_row":
        cells = list(block.cells)
        if len(cells) >= 2 and cells[0].strip():
            key = field_key(cells[0])
            value = " ".join(" ".join(c.split()) for c in cells[1:] if c.strip())
            if key and value:
                return key, value
        return None
    if block.kind not in ("paragraph", "heading") or len(block.text) > 400:
        return None
    if ":" in block.text[:40]:
        label, _, value = block.text.partition(":")
        key = field_key(label)
        if key and value.strip():
            return key, value.strip()
        return None
    # PDF text loses the tab between label and value: try the known labels as a prefix. The value
    # must then start the way values do (a name, a number, a capital): "Leder av sekretariatet" in
    # a signature is no chair.
    lowered = block.text.lower()
    for name in sorted(_field_names(), key=len, reverse=True):
        if len(name) >= 5 and lowered.startswith(name + " ") and len(block.text) > len(name) + 2:
            value = block.text[len(name) :].strip()
            if value[:1].isupper() or value[:1].isdigit():
                return _field_names()[name], value
    return None


def people(value: str) -> list[str]:
    """People's names in a field value, telling names from roles and organisations by given names."""
    given = first_names()
    tokens = re.findall(r"[\wæøåÆØÅ.'’-]+|[,;/()]", value)
    found: list[str] = []
    current: list[str] = []

    def flush() -> None:
        # Two given names and no surname ("Anita Frode") are two people named by first name only.
        if len(current) >= 2 and any(t.strip(".") not in given for t in current[1:]):
            found.append(" ".join(current))
        current.clear()

    for token in tokens:
        bare = token.strip(".")
        if not current:
            if is_given_name(bare):
                current.append(bare)
            continue
        if token in ",;/()" or not _NAME_TOKEN.match(token):
            flush()
            if is_given_name(bare):
                current.append(bare)
            continue
        # A second given name after a complete name starts the next person ("Liv Ristvedt Rannveig Velken").
        if bare in given and len(current) >= 2 and current[-1] not in given:
            flush()
            current.append(bare)
            continue
        if len(current) >= 4:
            flush()
            continue
        current.append(token if token.endswith(".") and len(token) == 2 else bare)
    flush()
    return list(dict.fromkeys(found))  # each name once, in order


def first_person(value: str) -> str | None:
    names = people(value)
    if names:
        return names[0]
    value = value.split(",")[0].strip()
    return value or None


_NAMED_BODY = re.compile(
    r"\b((?:Fagutval(?:g|get|et)|Arbeidsgrupp(?:e|a|en)|Underutval(?:g|get|et)|Fagråd(?:et)?|"
    r"Styringsgrupp(?:e|a|en)|Prosjektgrupp(?:e|a|en)|Nettverk(?:et)?)\s+(?:for|om)\s+[\wæøåÆØÅ -]{3,50}?)"
    r"(?=\s*(?:[,.;:()\n|]|$|\s-\s))",
)


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

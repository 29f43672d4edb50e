"""Tables and lists of regions and their municipalities ("Valdres | Nord-Aurdal, Sør-Aurdal, … Vang",
"- DSU Follo: Enebakk, Frogn, Nesodden, Nordre Follo og Ås") under a header or heading that says so
(region, samarbeidsutval, regionråd …): each region a named collaboration, its municipalities members.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

from ingest.extract.catalogue import vocab
from ingest.extract.entities import EntityTable
from ingest.extract.names import key_of
from ingest.extract.recognised import COLLABORATION, Recognised
from ingest.model import Mention, Passage, Relation

_ITEM = re.compile(r"^\s*(?:-\s+)?([A-ZÆØÅ][^:\n]{1,40}):\s+(\S.*)$", re.S)


@dataclass(slots=True)
class Region:
    mention: Mention
    relations: list[Relation]


@dataclass(slots=True)
class _Listing:
    """A region's name and the list after it, with their offsets in the passage."""

    name: str
    start: int
    rest_start: int
    rest: str
    method: str


def region_of_row(
    passage: Passage, found: list[Recognised], recent: str, table: EntityTable
) -> Region | None:
    """A table row of two cells, the region and its municipalities."""
    cells = [c for c in passage.text.split(" | ") if c.strip()]
    if len(cells) != 2:
        return None
    listing = _Listing(cells[0], 0, len(cells[0]) + 1, cells[1], "table_row")
    return _region(passage, found, recent, listing, table)


def region_of_item(
    passage: Passage, span: tuple[int, int], found: list[Recognised], recent: str, table: EntityTable
) -> Region | None:
    """A list item of the region, a colon and its municipalities."""
    match = _ITEM.match(passage.text[span[0] : span[1]])
    if match is None:
        return None
    listing = _Listing(
        match.group(1), span[0] + match.start(1), span[0] + match.start(2), match.group(2), "list"
    )
    inside = [f for f in found if span[0] <= f.start < span[1]]
    return _region(passage, inside, recent, listing, table)


@cache
def _cues() -> re.Pattern[str]:
    return re.compile("|".join(vocab()["region_table_cues"]), re.I)


def _may_name_a_region(name: str) -> bool:
    return (
        1 <= len(name.split()) <= 3
        and name[:1].isupper()
        and not re.search(r"[\d:]", name)
        and name.lower() not in vocab()["region_table_not_names"]
    )


def _region(
    passage: Passage, found: list[Recognised], recent: str, listing: _Listing, table: EntityTable
) -> Region | None:
    name = " ".join(listing.name.split())
    if not _may_name_a_region(name):
        return None
    in_name = [f for f in found if listing.start <= f.start < listing.rest_start]
    members = [f for f in found if f.type == "municipality" and f.start >= listing.rest_start]
    if in_name or len(members) < 2 or not _cues().search(recent):
        return None
    listed = len(re.findall(r"[^,;]+", re.sub(r"\s+og\s+", ", ", listing.rest.rstrip(". "))))
    if len(members) < 0.7 * listed:
        return None  # prose, not a list of the region's municipalities
    region = table.resolve(
        Recognised("committee", COLLABORATION, name, key_of(name), 0, len(name), source="region")
    )
    mention = Mention(region, passage.passage_id, name, listing.start, listing.start + len(name))
    relations = [
        Relation(municipality, "memberOf", region, passage.passage_id, listing.method)
        for municipality in dict.fromkeys(f.entity_id for f in members)
    ]
    return Region(mention, relations)

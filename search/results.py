"""The order of a search's records and the page of them shown: by relevance or by date, one record a
row or grouped by document.

Records come in tiers: those matching every word of the query ("all"), then those matching only some
("some"); a tier is only ordered when the ones before it do not fill the page, and the order never
changes what the search counts (its total and facets count every tier, whatever the page).
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from whoosh import query as wq

from ingest.errors import QueryError
from ingest.resources import fellesskap_list
from search.set_matching import SetMatcher

RELEVANCE, NEWEST, OLDEST = "relevance", "newest", "oldest"
SORTS = (RELEVANCE, NEWEST, OLDEST)
SORT_ALIASES = {"relevans": RELEVANCE, "date": NEWEST, "dato": NEWEST, "nyeste": NEWEST, "eldste": OLDEST}
GROUP_HITS = 3  # passages shown under one document's heading

_DATE_RE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")

Ranked = tuple[int, float, str]  # (docnum, score, "all" or "some")


@dataclass(frozen=True, slots=True)
class Tier:
    query: wq.Query  # what scores the tier's records
    docs: frozenset[int]
    match: str


def sort_name(value: str | None) -> str:
    name = (value or RELEVANCE).strip().lower()
    name = SORT_ALIASES.get(name, name)
    if name not in SORTS:
        raise QueryError(f"Ukjent sortering: {value} (bruk relevance, newest eller oldest).")
    return name


def date_bound(value: str | None, *, end: bool) -> str | None:
    """A from/to date as the ISO prefix it bounds: 2023 -> 2023-01-01 (from) or 2023-12-31 (to)."""
    if value is None or not str(value).strip():
        return None
    found = _DATE_RE.match(str(value).strip())
    if not found:
        raise QueryError(f"Ugyldig dato: {value} (skriv ÅÅÅÅ-MM-DD, ÅÅÅÅ-MM eller ÅÅÅÅ).")
    year, month, day = found.groups()
    if month is None:
        month = "12" if end else "01"
    if day is None:
        day = "31" if end else "01"  # "2023-02-31" still bounds every day of February from above
    if not (1 <= int(month) <= 12 and 1 <= int(day) <= 31):
        raise QueryError(f"Ugyldig dato: {value}")
    return f"{year}-{month}-{day}"


def date_bounds(date_from: str | None, date_to: str | None) -> tuple[str | None, str | None] | None:
    """(from, to) as the ISO dates they bound, both inclusive; None when neither is given."""
    low, high = date_bound(date_from, end=False), date_bound(date_to, end=True)
    if low is None and high is None:
        return None
    if low and high and low > high:
        raise QueryError(f"Fra-datoen ({date_from}) er etter til-datoen ({date_to}).")
    return low, high


def date_range(date_from: str | None, date_to: str | None) -> wq.Query | None:
    bounds = date_bounds(date_from, date_to)
    if bounds is None:
        return None
    return wq.TermRange("date", bounds[0], bounds[1], startexcl=False, endexcl=False)


class Ordering:
    """Orders the tiers of one search on one set matcher."""

    def __init__(self, set_matcher: SetMatcher, tiers: Sequence[Tier], sort: str) -> None:
        self.set_matcher = set_matcher
        self.tiers = [t for t in tiers if t.docs]
        self.sort = sort

    def page(self, offset: int, limit: int) -> list[Ranked]:
        """Records offset … offset+limit of the order."""
        wanted = offset + limit
        out: list[Ranked] = []
        for tier in self.tiers:
            if len(out) >= wanted:
                break
            out += self._order(tier, wanted - len(out))
        return out[offset:wanted]

    def groups(self, offset: int, limit: int, doc_ids: list[str]) -> list[list[Ranked]]:
        """Documents offset … offset+limit, each the list of its best records (at most GROUP_HITS),
        documents in the order of their best record."""
        wanted = offset + limit
        groups: dict[str, list[Ranked]] = {}
        for tier in self.tiers:
            if len(groups) >= wanted:
                break
            for ranked in self._order(tier, len(tier.docs)):
                group = groups.setdefault(doc_ids[ranked[0]], [])
                if len(group) < GROUP_HITS:
                    group.append(ranked)
        return list(groups.values())[offset:wanted]

    def _order(self, tier: Tier, count: int) -> list[Ranked]:
        if self.sort == RELEVANCE:
            return [(d, s, tier.match) for d, s in self.set_matcher.top(tier.query, tier.docs, count)]
        dates = self.set_matcher.values("date")
        dated = [d for d in sorted(tier.docs) if dates[d]]
        # newest or oldest first, the same date in index order; undated records last either way
        dated.sort(key=dates.__getitem__, reverse=self.sort == NEWEST)
        chosen = (dated + sorted(d for d in tier.docs if not dates[d]))[:count]
        scores = self.set_matcher.scores(tier.query, set(chosen))
        return [(d, scores[d], tier.match) for d in chosen]


def per_document(docs: frozenset[int], doc_ids: list[str]) -> Counter[str]:
    """How many of ``docs`` each document has."""
    return Counter(map(doc_ids.__getitem__, docs))


def document_group(hits: list[dict[str, Any]], in_document: Mapping[str, int]) -> dict[str, Any]:
    """One document's heading and its best hits; ``more``: its other matching records."""
    first = hits[0]
    count = in_document[first["doc_id"]]
    head = (
        "doc_id",
        "doc_type",
        "year",
        "years",
        "period",
        "adopted",
        "date",
        "fellesskap",
        "fellesskap_name",
    )
    return {
        **{k: first.get(k) for k in head},
        "title": first.get("document_title") or first["title"],
        "count": count,
        "more": count - len(hits),
        "hits": hits,
    }


def community_names(keys: Iterable[str]) -> dict[str, str]:
    names = {f.id: f.name for f in fellesskap_list()}
    return {k: names.get(k, k) for k in keys}


def counts(groups: Mapping[Any, int]) -> dict[str, int]:
    counts: dict[str, int] = {}
    for key, count in groups.items():
        if key is None:
            continue
        name = key.decode("utf-8") if isinstance(key, bytes) else str(key)
        counts[name] = counts.get(name, 0) + count
    return _sorted(counts)


def _sorted(counts: dict[str, int]) -> dict[str, int]:
    return dict(sorted(counts.items(), key=lambda item: (-item[1], item[0])))

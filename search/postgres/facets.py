"""Counting a search's facets in the process, as whoosh counts them from its cached columns.

PostgreSQL says which profiles the matching records have and how many records each (one small
GROUP BY over the matches); what the profiles hold (a document's distinct facet values, see
search/postgres/schema.py) is read once per commit generation into arrays, so the facets, the
documents and the records per document are numpy counts over the matched profiles instead of a
GROUP BY per facet over (document, value) pairs in SQL (most of the time of a search matching half
the records).
"""

from __future__ import annotations

import bisect
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg

from search.postgres.lru import SizedCache
from search.postgres.schema import SCHEMA
from search.schema import FACETS, LIST_FACETS

Ints = npt.NDArray[np.int64]


class StaleProfiles(LookupError):
    """A search saw a profile that the generation's table does not have (a commit in between)."""


@dataclass(frozen=True, slots=True)
class _Facet:
    """One facet over the profiles: each (profile, value) pair as the profile's row and a code of
    (document, value), so that a document counts once per value however many profiles it has."""

    values: list[str]
    pair_rows: Ints
    pair_codes: Ints


@dataclass(frozen=True, slots=True)
class Counted:
    """What a search counts: records, records of the strict tier, documents, each facet's values
    (documents per value), and the matching records per document (only where asked)."""

    total: int
    matched_all: int
    documents: int
    facets: dict[str, dict[Any, int]]
    per_document: dict[str, int]


@dataclass(frozen=True, slots=True)
class ProfileTable:
    """The profiles of one generation: row of each profile id, its document, its facets' pairs."""

    rows: Ints  # profile id -> row (-1: none)
    doc_of_row: Ints
    doc_ids: list[str]
    facets: dict[str, _Facet]

    @classmethod
    def read(cls, conn: psycopg.Connection) -> ProfileTable:
        found = conn.execute(
            f"SELECT id, doc_id, years, doc_type, fellesskap, committee, entity_type FROM {SCHEMA}.profiles"
        ).fetchall()
        ids = np.array([row[0] for row in found], dtype=np.int64)
        rows = np.full(int(ids.max()) + 1 if len(ids) else 1, -1, dtype=np.int64)
        rows[ids] = np.arange(len(ids))
        documents: dict[str, int] = {}
        doc_of_row = np.array([documents.setdefault(row[1], len(documents)) for row in found], dtype=np.int64)
        columns = {"year": 2, "doc_type": 3, "fellesskap": 4, "committee": 5, "entity_type": 6}
        facets = {name: _facet(found, columns[name], doc_of_row, name in LIST_FACETS) for name in FACETS}
        return cls(rows, doc_of_row, list(documents), facets)

    def count(
        self, profiles: npt.ArrayLike, n: npt.ArrayLike, n_strict: npt.ArrayLike, per_document: bool
    ) -> Counted:
        ids = np.asarray(profiles, dtype=np.int64)
        if len(ids) and (int(ids.max()) >= len(self.rows) or (self.rows[ids] < 0).any()):
            raise StaleProfiles("a profile newer than the generation read")
        matched_rows = self.rows[ids]
        matched = np.zeros(len(self.doc_of_row), dtype=np.bool_)
        matched[matched_rows] = True
        docs = self.doc_of_row[matched_rows]
        facets = {name: facet_counts(facet, matched) for name, facet in self.facets.items()}
        by_document: dict[str, int] = {}
        if per_document and len(ids):
            sums = np.bincount(docs, weights=np.asarray(n, dtype=np.int64), minlength=len(self.doc_ids))
            by_document = {self.doc_ids[i]: int(sums[i]) for i in np.flatnonzero(sums)}
        return Counted(
            total=int(np.sum(n, dtype=np.int64)) if len(ids) else 0,
            matched_all=int(np.sum(n_strict, dtype=np.int64)) if len(ids) else 0,
            documents=int(np.unique(docs).size),
            facets=facets,
            per_document=by_document,
        )

    def allowing(self, name: str, wanted: list[str]) -> npt.NDArray[np.bool_]:
        """The profiles (by row) that have one of ``wanted`` values of the facet."""
        facet = self.facets[name]
        out = np.zeros(len(self.doc_of_row), dtype=np.bool_)
        chosen = [i for i, value in enumerate(facet.values) if value in set(wanted)]
        if chosen:
            has = np.isin(facet.pair_codes % len(facet.values), chosen)
            out[facet.pair_rows[has]] = True
        return out


def facet_counts(facet: _Facet, matched: npt.NDArray[np.bool_]) -> dict[Any, int]:
    """Documents per value among the matched profiles (a document once per value)."""
    if not facet.values:
        return {}
    codes = np.unique(facet.pair_codes[matched[facet.pair_rows]])
    per_value = np.bincount(codes % len(facet.values), minlength=len(facet.values))
    return {facet.values[i]: int(per_value[i]) for i in np.flatnonzero(per_value)}


def _facet(found: list[tuple[Any, ...]], column: int, doc_of_row: Ints, is_list: bool) -> _Facet:
    values: dict[str, int] = {}
    pair_rows: list[int] = []
    pair_values: list[int] = []
    for row_number, row in enumerate(found):
        cell = row[column]
        for value in (cell if is_list else [cell]) if cell is not None else []:
            pair_rows.append(row_number)
            pair_values.append(values.setdefault(value, len(values)))
    rows = np.array(pair_rows, dtype=np.int64)
    codes = doc_of_row[rows] * max(len(values), 1) + np.array(pair_values, dtype=np.int64)
    return _Facet(list(values), rows, codes)


@dataclass(frozen=True, slots=True)
class RecordTable:
    """Every record of one generation as arrays, in id order: what a search needs of a record
    besides its terms (the kind, duplicate flag, profile, document and date), so that matching,
    counting and ranking run over arrays (search/postgres/matching.py) and PostgreSQL reads only
    the postings of the query's terms."""

    ids: Ints
    kinds: dict[str, int]
    kind: Ints
    duplicate: npt.NDArray[np.bool_]
    profile: Ints
    doc: Ints  # the document's number in doc_ids
    doc_ids: list[str]
    dated: npt.NDArray[np.bool_]
    date_rank: Ints  # the date's place in dates (0 where there is none)
    dates: list[str]  # every record's date, sorted

    @classmethod
    def read(cls, conn: psycopg.Connection) -> RecordTable:
        found = conn.execute(
            f"SELECT id, kind, duplicate, profile, doc_id, date FROM {SCHEMA}.records ORDER BY id",
            binary=True,
        ).fetchall()
        kinds: dict[str, int] = {}
        documents: dict[str, int] = {}
        dates = sorted({row[5] for row in found if row[5] is not None})
        rank = {date: n for n, date in enumerate(dates)}
        return cls(
            ids=np.array([row[0] for row in found], dtype=np.int64),
            kinds=kinds,
            kind=np.array([kinds.setdefault(row[1], len(kinds)) for row in found], dtype=np.int64),
            duplicate=np.array([row[2] for row in found], dtype=np.bool_),
            profile=np.array([row[3] for row in found], dtype=np.int64),
            doc=np.array([documents.setdefault(row[4], len(documents)) for row in found], dtype=np.int64),
            doc_ids=list(documents),
            dated=np.array([row[5] is not None for row in found], dtype=np.bool_),
            date_rank=np.array([rank.get(row[5], 0) for row in found], dtype=np.int64),
            dates=dates,
        )

    def __len__(self) -> int:
        return len(self.ids)

    def between(self, low: str | None, high: str | None) -> npt.NDArray[np.bool_]:
        """The records dated from ``low`` to ``high`` (inclusive; None: no bound)."""
        first = bisect.bisect_left(self.dates, low) if low is not None else 0
        end = bisect.bisect_right(self.dates, high) if high is not None else len(self.dates)
        return self.dated & (self.date_rank >= first) & (self.date_rank < end)

    def rows(self, record_ids: Sequence[int] | Ints) -> Ints:
        """The rows of the records (StaleProfiles for one the generation does not have)."""
        wanted = np.asarray(record_ids, dtype=np.int64)
        rows = np.searchsorted(self.ids, wanted)
        if len(wanted) and (rows.max() >= len(self.ids) or (self.ids[rows] != wanted).any()):
            raise StaleProfiles("a record newer than the generation read")
        return rows

    def mask(self, record_ids: Sequence[int] | Ints) -> npt.NDArray[np.bool_]:
        out = np.zeros(len(self.ids), dtype=np.bool_)
        out[self.rows(record_ids)] = True
        return out


@dataclass(frozen=True, slots=True)
class Posting:
    """One term's postings: the records' rows, their term weights and field lengths (float64, as
    PostgreSQL computes with them)."""

    rows: Ints
    tf: npt.NDArray[np.float64]
    length: npt.NDArray[np.float64]


class PostingCache:
    """The postings of the generation's most used long posting lists, decoded (least recently used
    out first): reading 50,000 postings from PostgreSQL takes some 20 ms, a short list well under
    one. Bounded by postings held (24 bytes each); a new generation starts empty."""

    LONG = 2000  # postings of a list worth keeping
    LIMIT = 1_000_000  # postings kept per process

    def __init__(self) -> None:
        self._kept: SizedCache[str, Posting] = SizedCache(self.LIMIT)

    def get(self, key: str) -> Posting | None:
        return self._kept.get(key)

    def put(self, key: str, posting: Posting) -> None:
        """Keep a long list (its size is its postings); one kept already stays as it is."""
        if len(posting.rows) < self.LONG or len(posting.rows) > self.LIMIT:
            return
        self._kept.put(key, posting, len(posting.rows), replace=False)

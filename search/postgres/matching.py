"""Which records a query matches, as boolean arrays over the generation's records
(:class:`search.postgres.facets.RecordTable`), from the postings of its terms.

A search matching half the records made PostgreSQL visit half the records' rows (their tsvectors
are wide): most of its time. The postings of the query's terms are narrow and read by index only,
one row of arrays per term, and the query tree is evaluated over them here as whoosh evaluates it
over its posting lists: a term is the records it has a posting in, And/Or/AndNot are array
operations. Only a phrase needs positions: its words' records are checked by the GIN index and the
tsvector (``tsv @@ phrase``), those candidates only. The tsvector and the postings hold the same
terms (search/postgres/rows.py), so a record matches here exactly where ``tsv @@ match(q)`` holds.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg
from whoosh import query as wq

from search.postgres.facets import RecordTable
from search.postgres.lookup import Terms
from search.postgres.plan import Condition, match
from search.postgres.schema import SCHEMA
from search.querying import ConstantScore

Mask = npt.NDArray[np.bool_]
_KIND_FIELD = "kind"


@dataclass(frozen=True, slots=True)
class Posting:
    """One term's postings: the records' rows, their term weights and field lengths (float64, as
    PostgreSQL computes with them)."""

    rows: npt.NDArray[np.int64]
    tf: npt.NDArray[np.float64]
    length: npt.NDArray[np.float64]


class Postings:
    """The postings of one search's terms, each term read once (with its id and df from ``terms``)."""

    def __init__(self, conn: psycopg.Connection, table: RecordTable, terms: Terms) -> None:
        self.conn = conn
        self.table = table
        self.terms = terms
        self._read: dict[str, Posting | None] = {}

    def load(self, keys: Iterable[str]) -> None:
        wanted = [k for k in dict.fromkeys(keys) if k not in self._read]
        if not wanted:
            return
        found = self.terms.load(wanted)
        by_id = {found[k][0]: k for k in wanted if found[k][0]}
        self._read.update(dict.fromkeys(wanted))
        if not by_id:
            return
        rows = self.conn.execute(
            f"SELECT term_id, array_agg(record_id), array_agg(tf), array_agg(len) FROM {SCHEMA}.postings"
            " WHERE term_id = ANY(%s) GROUP BY term_id",
            (list(by_id),),
            binary=True,
        )
        for term_id, records, tf, length in rows:
            self._read[by_id[term_id]] = Posting(
                self.table.rows(records), np.array(tf, dtype=np.float64), np.array(length, dtype=np.float64)
            )

    def get(self, key: str) -> Posting | None:
        self.load([key])
        return self._read[key]

    def mask(self, key: str) -> Mask:
        out = np.zeros(len(self.table), dtype=np.bool_)
        posting = self.get(key)
        if posting is not None:
            out[posting.rows] = True
        return out


def query_keys(q: Any) -> list[str]:
    """The term keys a query tree reads (the kind term excepted)."""
    if isinstance(q, wq.Term):
        return [] if q.fieldname == _KIND_FIELD else [f"{q.fieldname}:{q.text}"]
    if isinstance(q, wq.Phrase):
        return [f"{q.fieldname}:{w}" for w in q.words]
    if isinstance(q, ConstantScore):
        return query_keys(q.child)
    if isinstance(q, (wq.AndMaybe, wq.AndNot)):
        return query_keys(q.a) + query_keys(q.b)
    if isinstance(q, (wq.And, wq.Or)):
        return [k for s in q.subqueries for k in query_keys(s)]
    raise TypeError(f"no terms of {type(q).__name__}")


class Matcher:
    """Masks of query trees over the records (None: every record), as :func:`plan.match`'s tsquery
    matches; each phrase checked once."""

    def __init__(self, conn: psycopg.Connection, postings: Postings) -> None:
        self.conn = conn
        self.postings = postings
        self._phrases: dict[str, Mask] = {}

    def mask(self, q: Any, besides: Any = None) -> Mask | None:
        if isinstance(q, wq.Term):
            return None if q.fieldname == _KIND_FIELD else self.postings.mask(f"{q.fieldname}:{q.text}")
        if isinstance(q, wq.Phrase):
            return self._phrase(q)
        if isinstance(q, ConstantScore):
            return self.mask(q.child, besides)
        if isinstance(q, wq.AndMaybe):
            return self.mask(q.a, besides)
        if isinstance(q, wq.AndNot):
            return self._exclusion(q, besides)
        if isinstance(q, wq.And):
            found = [m for m in (self.mask(s, besides) for s in q.subqueries) if m is not None]
            return np.logical_and.reduce(found) if found else None
        if isinstance(q, wq.Or):
            parts = [self.mask(s, besides) for s in q.subqueries]
            found = [m for m in parts if m is not None]
            return np.logical_or.reduce(found) if found and len(found) == len(parts) else None
        raise TypeError(f"no match for {type(q).__name__}")

    def condition(self, condition: Condition) -> Mask | None:
        found = [m for m in (self.mask(q) for q in condition) if m is not None]
        return np.logical_and.reduce(found) if found else None

    def _exclusion(self, q: Any, besides: Any) -> Mask | None:
        positive = self.mask(q.a, besides)
        if besides is not None and q.b is besides:
            return positive
        negative = self.mask(q.b)
        if negative is None:
            raise ValueError("an exclusion of every record")
        return ~negative if positive is None else positive & ~negative

    def _phrase(self, q: Any) -> Mask:
        tsquery = match(q)
        assert tsquery is not None
        if tsquery not in self._phrases:
            words = np.logical_and.reduce([self.postings.mask(f"{q.fieldname}:{w}") for w in q.words])
            table = self.postings.table
            candidates = table.ids[words]
            out = np.zeros(len(table), dtype=np.bool_)
            if len(candidates):
                row = self.conn.execute(
                    f"SELECT array_agg(id) FROM {SCHEMA}.records WHERE id = ANY(%s) AND tsv @@ %s::tsquery",
                    (candidates.tolist(), tsquery),
                    binary=True,
                ).fetchone()
                if row is not None and row[0] is not None:
                    out[table.rows(row[0])] = True
            self._phrases[tsquery] = out
        return self._phrases[tsquery]

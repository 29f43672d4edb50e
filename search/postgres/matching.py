"""Which records a query matches, as boolean arrays over the generation's records
(:class:`search.postgres.facets.RecordTable`), from the postings of its terms.

A search matching half the records made PostgreSQL visit half the records' rows (their tsvectors
are wide): most of its time. The postings of the query's terms are narrow and read by index only,
one row of arrays per term, and the query tree is evaluated over them here as whoosh evaluates it
over its posting lists: a term is the records it has a posting in, And/Or/AndNot are array
operations. Only a phrase needs positions: its words' records are checked against their tsvector
(``tsv @@ phrase``), those candidates only, by id. The tsvector and the postings hold the same
terms (search/postgres/rows.py), so a record matches here exactly where the tsvector matches the query.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

import numpy as np
import numpy.typing as npt
import psycopg
from whoosh import query as wq

from search.postgres.facets import Posting, PostingCache, RecordTable
from search.postgres.lookup import Terms
from search.postgres.plan import Condition, phrase_tsquery
from search.postgres.schema import SCHEMA
from search.querying import ConstantScore

Mask = npt.NDArray[np.bool_]
_KIND_FIELD = "kind"


class Postings:
    """The postings of one search's terms, each term read once (with its id and df from ``terms``)."""

    def __init__(
        self, conn: psycopg.Connection, tables: tuple[RecordTable, PostingCache], terms: Terms
    ) -> None:
        self.conn, self.terms = conn, terms
        self.table, self.cache = tables  # the generation's records, and its posting lists kept
        self._read: dict[str, Posting | None] = {}

    def load(self, keys: Iterable[str]) -> None:
        wanted = [k for k in dict.fromkeys(keys) if k not in self._read]
        found = self.terms.load(wanted)
        for key in list(wanted):
            kept = self.cache.get(key) if found[key][0] else None
            if kept is not None:
                self._read[key] = kept
                wanted.remove(key)
        if not wanted:
            return
        by_id = {found[k][0]: k for k in wanted if found[k][0]}
        self._read.update(dict.fromkeys(wanted))
        if not by_id:
            return
        # each column as its values' binary form end to end (bytea): numpy reads it without making
        # a Python object per posting
        rows = self.conn.execute(
            "SELECT term_id, string_agg(int8send(record_id), ''), string_agg(float4send(tf), ''),"
            f" string_agg(float4send(len), '') FROM {SCHEMA}.postings WHERE term_id = ANY(%s) GROUP BY term_id",
            (list(by_id),),
            binary=True,
        )
        for term_id, records, tf, length in rows:
            posting = Posting(
                self.table.rows(np.frombuffer(records, dtype=">i8")),
                np.frombuffer(tf, dtype=">f4").astype(np.float64),
                np.frombuffer(length, dtype=">f4").astype(np.float64),
            )
            self._read[by_id[term_id]] = posting
            self.cache.put(by_id[term_id], posting)

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


def _has_phrase(q: Any) -> bool:
    if isinstance(q, wq.Phrase):
        return True
    if isinstance(q, ConstantScore):
        return _has_phrase(q.child)
    if isinstance(q, (wq.AndMaybe, wq.AndNot)):
        return _has_phrase(q.a) or _has_phrase(q.b)
    if isinstance(q, (wq.And, wq.Or)):
        return any(_has_phrase(s) for s in q.subqueries)
    return False


class Matcher:
    """Masks of query trees over the records, as their tsqueries would match, each exact
    within the ``scope`` it is asked for (the records that can still matter). The parts without a
    phrase are evaluated first, so that a phrase is checked only on the records its siblings left
    open (an Or's not yet matched, an And's still matching), and each record once per phrase."""

    def __init__(self, conn: psycopg.Connection, postings: Postings) -> None:
        self.conn = conn
        self.postings = postings
        self._phrases: dict[str, tuple[Mask, Mask]] = {}  # tsquery -> (checked, matching)

    def mask(self, q: Any, scope: Mask, besides: Any = None) -> Mask:
        if isinstance(q, wq.Term):
            if q.fieldname == _KIND_FIELD:
                return scope
            return scope & self.postings.mask(f"{q.fieldname}:{q.text}")
        if isinstance(q, wq.Phrase):
            return self._phrase(q, scope)
        if isinstance(q, ConstantScore):
            return self.mask(q.child, scope, besides)
        if isinstance(q, wq.AndMaybe):
            return self.mask(q.a, scope, besides)
        if isinstance(q, wq.AndNot):
            return self._exclusion(q, scope, besides)
        if isinstance(q, wq.And):
            for sub in sorted(q.subqueries, key=_has_phrase):
                scope = self.mask(sub, scope, besides)
            return scope
        if isinstance(q, wq.Or):
            found = np.zeros(len(scope), dtype=np.bool_)
            for sub in sorted(q.subqueries, key=_has_phrase):
                found |= self.mask(sub, scope & ~found, besides)
            return found
        raise TypeError(f"no match for {type(q).__name__}")

    def condition(self, condition: Condition, scope: Mask) -> Mask:
        for q in sorted(condition, key=_has_phrase):
            scope = self.mask(q, scope)
        return scope

    def _exclusion(self, q: Any, scope: Mask, besides: Any) -> Mask:
        positive = self.mask(q.a, scope, besides)
        if besides is not None and q.b is besides:
            return positive
        if isinstance(q.b, wq.Term) and q.b.fieldname == _KIND_FIELD:
            raise ValueError("an exclusion of every record")
        return positive & ~self.mask(q.b, positive)

    def _phrase(self, q: Any, scope: Mask) -> Mask:
        tsquery = phrase_tsquery(q)
        table = self.postings.table
        checked, matching = self._phrases.get(tsquery) or (
            np.zeros(len(table), dtype=np.bool_),
            np.zeros(len(table), dtype=np.bool_),
        )
        words = scope & ~checked
        for w in q.words:
            words &= self.postings.mask(f"{q.fieldname}:{w}")
        candidates = table.ids[words]
        if len(candidates):
            # the candidates by their ids, then the phrase on each (OFFSET 0: never through a GIN
            # index an earlier version made, whose bitmap of the words is far larger)
            row = self.conn.execute(
                f"SELECT array_agg(id) FROM (SELECT id, tsv FROM {SCHEMA}.records WHERE id = ANY(%s) OFFSET 0) r"
                " WHERE tsv @@ %s::tsquery",
                (candidates.tolist(), tsquery),
                binary=True,
            ).fetchone()
            if row is not None and row[0] is not None:
                matching[table.rows(row[0])] = True
        checked |= words
        self._phrases[tsquery] = (checked, matching)
        return matching & scope

"""Ranking a search's records as whoosh ranks them, over arrays: the strict tier first, each by its
score (BM25F from the postings of the scoring leaves, a constant once where any of its terms occurs,
each only where its condition holds) or by date, then the record's id (its insertion order)."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from search.postgres.facets import RecordTable
from search.postgres.lookup import Generation
from search.postgres.matching import Mask, Matcher, Postings
from search.postgres.plan import Scoring
from search.results import GROUP_HITS, NEWEST, RELEVANCE

K1, B = 1.2, 0.75  # whoosh's BM25F defaults
Floats = npt.NDArray[np.float64]
Rows = npt.NDArray[np.int64]


def scores(
    scoring: Scoring, rows: Mask, postings: Postings, matcher: Matcher, generation: Generation
) -> Floats:
    """Each record's score in the tier (meaningful on ``rows``, the tier's records)."""
    total = np.zeros(len(rows), dtype=np.float64)
    held: dict[int, Mask | None] = {}

    def condition(number: int) -> Mask | None:
        if number not in held:
            held[number] = matcher.condition(scoring.conditions[number - 1], rows) if number else None
        return held[number]

    for key, number in scoring.leaves:
        posting = postings.get(key)
        if posting is None:
            continue
        field = key.partition(":")[0]
        idf, average = generation.idf(postings.terms.load([key])[key][1]), generation.average_length(field)
        tf, length = posting.tf, posting.length
        bm25 = idf * tf * (K1 + 1) / (tf + K1 * ((1 - B) + B * length / average))
        where = posting.rows
        holds = condition(number)
        if holds is not None:
            kept = holds[where]
            where, bm25 = where[kept], bm25[kept]
        total[where] += bm25
    for keys, value, number in scoring.constants:
        has = np.logical_or.reduce([postings.mask(k) for k in keys])
        holds = condition(number)
        total[has if holds is None else has & holds] += value
    return scoring.base + total


def order(table: RecordTable, rows: Rows, strict: Mask, score: Floats, sort: str) -> Rows:
    """``rows`` in their ranked order: strict first, then by score or date, then id."""
    ids = table.ids[rows]
    not_strict = ~strict[rows]
    if sort == RELEVANCE:
        return rows[np.lexsort((ids, -score[rows], not_strict))]
    dates = table.date_rank[rows]
    by_date = -dates if sort == NEWEST else dates
    return rows[np.lexsort((ids, by_date, ~table.dated[rows], not_strict))]


def grouped_rows(table: RecordTable, ranked: Rows, documents: int) -> Rows:
    """Of the ranked rows, those of the first ``documents`` documents (in the order their first
    record comes), at most GROUP_HITS of each."""
    docs = table.doc[ranked]
    first_docs, first = np.unique(docs, return_index=True)
    chosen = first_docs[np.argsort(first, kind="stable")[:documents]]
    kept = ranked[np.isin(docs, chosen)]
    shown: dict[int, int] = {}
    out: list[int] = []
    for row in kept.tolist():
        doc = int(table.doc[row])
        if shown.get(doc, 0) < GROUP_HITS:
            shown[doc] = shown.get(doc, 0) + 1
            out.append(row)
    return np.array(out, dtype=np.int64)

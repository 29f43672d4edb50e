"""Set-at-a-time matching, scoring and facet counting of the whoosh queries :mod:`search.querying` builds.

whoosh matches a query one document at a time through a tree of Python matcher objects, and
``groupedby`` then counts facets per hit in Python too: at 100,000 passages a query that matches
8,000 of them spent most of a second there. Here a query is evaluated bottom-up on Python sets
(union, intersection and difference run in C), the facets are counted from per-document arrays
with :class:`collections.Counter`, and only the matching documents are scored, as sums of the
scores of the leaf queries that match them.

The scores are whoosh's own: every leaf (a term, a phrase, anything unknown) is scored by the
whoosh matcher of that leaf, and whoosh's compound matchers add the scores of their matching
children (Or, And, AndMaybe; AndNot keeps the positive side; a ConstantScoreQuery gives its
constant), which is what :meth:`SetMatcher.scores` does. Ties are broken by document number, as in
whoosh's collector, so results and their order are the same as ``searcher.search``.

A :class:`SetMatcher` belongs to one searcher (one index generation); it caches the document
sets and leaf scores of the terms it has seen, bounded by :data:`CACHE_POSTINGS`.
"""

from __future__ import annotations

import heapq
from collections import Counter, OrderedDict
from collections.abc import Iterable, Iterator, Sequence
from itertools import chain
from typing import Any

from whoosh import query as wq
from whoosh.codec.whoosh3 import LENGTHS_COLUMN, W3LeafMatcher, _lenfield
from whoosh.matching.wrappers import FilterMatcher
from whoosh.query import qcore
from whoosh.query.compound import DefaultOr, PreloadedOr, SplitOr
from whoosh.scoring import BM25FScorer, WeightScorer
from whoosh.searching import Searcher
from whoosh.util.numeric import byte_to_length

from search.querying import ConstantScore

# Postings kept in the caches of one set matcher (document sets and leaf scores together). At about
# 100 bytes a posting this bounds the memory to some 150 MB however many distinct terms come in.
CACHE_POSTINGS = 1_500_000

_SET_QUERIES = (wq.Term, wq.Phrase)
_UNIONS = (wq.Or, PreloadedOr, DefaultOr, SplitOr)
_BINARY = (wq.AndNot, wq.AndMaybe, wq.Require)


def _compound(q: wq.Query) -> bool:
    """Whether ``q`` is a compound evaluated here (else whoosh's matcher of it is a leaf)."""
    kind = type(q)
    if kind in _BINARY:
        return True
    if getattr(q, "boost", 1.0) != 1.0:
        return False
    if kind in _UNIONS:
        return not q.minmatch and not q.scale
    # whoosh's own ConstantScoreQuery scores its child when the context needs the current match,
    # so only ours (which always gives the constant) is evaluated here
    return kind is wq.And or kind is ConstantScore


class _Cache:
    """A least-recently-used map whose size is the total length of its values."""

    def __init__(self, budget: int) -> None:
        self.budget = budget
        self.size = 0
        self._items: OrderedDict[Any, Any] = OrderedDict()

    def get(self, key: Any) -> Any:
        value = self._items.get(key)
        if value is not None:
            self._items.move_to_end(key)
        return value

    def put(self, key: Any, value: Any) -> None:
        cost = len(value) + 1
        if cost > self.budget:
            return
        self._items[key] = value
        self.size += cost
        while self.size > self.budget:
            _, old = self._items.popitem(last=False)
            self.size -= len(old) + 1


class SetMatcher:
    """Matches, scores and counts facets of queries on one searcher's documents, as sets."""

    def __init__(self, searcher: Searcher, facets: Sequence[str], list_facets: Iterable[str]) -> None:
        self.searcher = searcher
        self._leaves = searcher.leaf_searchers()
        self._context = searcher.context()
        self._cache = _Cache(CACHE_POSTINGS)
        self._facet_names = tuple(facets)
        self._list_facets = frozenset(list_facets)
        self._facet_columns: dict[str, list[Any]] | None = None
        self._memo: dict[int, tuple[wq.Query, frozenset[int]]] = {}
        self._pairs: dict[str, tuple[list[int], list[tuple[int, ...]], list[tuple[str, Any]]]] = {}

    # --- which documents match ---------------------------------------------------------------

    def reset(self) -> None:
        """Forget the compound results of the last search (leaf caches stay)."""
        self._memo.clear()

    def docs(self, q: wq.Query) -> frozenset[int]:
        """Global numbers of the (not deleted) documents ``q`` matches."""
        if not _compound(q):
            return self._leaf_docs(q)
        # scoring asks again for the documents of each branch: compute each compound once
        memo = self._memo.get(id(q))
        if memo is not None and memo[0] is q:
            return memo[1]
        found = self._compound_docs(q)
        self._memo[id(q)] = (q, found)  # holding q keeps its id from being reused
        return found

    def _compound_docs(self, q: wq.Query) -> frozenset[int]:
        if type(q) is ConstantScore:
            return self.docs(q.child)
        kind = type(q)
        if kind is wq.AndNot:
            positive = self.docs(q.a)
            return positive - self.docs(q.b) if positive else positive
        if kind is wq.AndMaybe:
            return self.docs(q.a)
        if kind is wq.Require:
            return self.docs(q.a) & self.docs(q.b)
        sets = [self.docs(s) for s in q.subqueries]
        if not sets:
            return frozenset()
        if len(sets) == 1:
            return sets[0]
        if kind is wq.And:
            sets.sort(key=len)
            return sets[0].intersection(*sets[1:])
        return frozenset().union(*sets)

    def _leaf_docs(self, q: wq.Query) -> frozenset[int]:
        if q is qcore.NullQuery:
            return frozenset()
        key = ("docs", q)
        found = self._cache.get(key)
        if found is not None:
            return found
        if isinstance(q, wq.Term) and q.boost == 1.0:
            ids: list[int] = []
            for sub, offset in self._leaves:
                postings = _postings(sub.reader(), q)
                if postings is None:
                    continue
                matcher, deleted = postings
                if type(matcher) is W3LeafMatcher:
                    segment = [d for block, _ in _blocks(matcher) for d in block]
                else:
                    segment = list(matcher.all_ids())
                if deleted:
                    segment = [d for d in segment if d not in deleted]
                ids.extend([d + offset for d in segment] if offset else segment)
            found = frozenset(ids)
        else:
            found = frozenset(self._leaf_scores(q))
        self._cache.put(key, found)
        return found

    # --- how well they match -----------------------------------------------------------------

    def scores(self, q: wq.Query, docs: frozenset[int] | set[int]) -> dict[int, float]:
        """Whoosh's score of ``q`` for each of ``docs`` (which must all match ``q``)."""
        acc = dict.fromkeys(docs, 0.0)
        self._add_scores(q, docs, acc)
        return acc

    def _add_scores(self, q: wq.Query, docs: frozenset[int] | set[int], acc: dict[int, float]) -> None:
        if not docs:
            return
        if _compound(q):
            if type(q) is ConstantScore:
                value = q.score
                for d in docs:
                    acc[d] += value
                return
            kind = type(q)
            if kind is wq.AndNot or kind is wq.Require:
                self._add_scores(q.a, docs, acc)
            elif kind is wq.AndMaybe:
                self._add_scores(q.a, docs, acc)
                self._add_scores(q.b, docs & self.docs(q.b), acc)
            elif kind is wq.And:
                for sub in q.subqueries:
                    self._add_scores(sub, docs, acc)
            else:  # a union: each matching child adds its score
                for sub in q.subqueries:
                    self._add_scores(sub, docs & self.docs(sub), acc)
            return
        leaf = self._leaf_scores(q)
        for d in docs:
            acc[d] += leaf[d]

    def _leaf_scores(self, q: wq.Query) -> dict[int, float]:
        key = ("scores", q)
        found = self._cache.get(key)
        if found is not None:
            return found
        found = {}
        for sub, offset in self._leaves:
            if not (type(q) is wq.Term and q.boost == 1.0 and self._read_term_scores(sub, offset, q, found)):
                matcher = q.matcher(sub, self._context)
                while matcher.is_active():
                    found[matcher.id() + offset] = matcher.score()
                    matcher.next()
        self._cache.put(key, found)
        return found

    def _read_term_scores(self, sub: Searcher, offset: int, q: wq.Term, out: dict[int, float]) -> bool:
        """The scores of a term in one segment, a block of postings at a time: the same numbers
        as ``Term.matcher(...).score()`` (the same scorer method on the same weights and lengths)
        without its layers of per-posting method calls. False when this segment or scorer is not
        one this shortcut knows; the caller then asks whoosh's matcher."""
        postings = _postings(sub.reader(), q)
        if postings is None:
            return True
        matcher, deleted = postings
        if type(matcher) is not W3LeafMatcher:
            return False
        scorer = self._context.weighting.scorer(sub, q.fieldname, matcher.term()[1])
        if type(scorer) is BM25FScorer:
            lengths = self._lengths(sub.reader(), q.fieldname)
            if lengths is None:
                return False
            score = scorer._score
            for ids, weights in _blocks(matcher):
                out.update(zip(_shifted(ids, offset), map(score, weights, map(lengths.__getitem__, ids))))
        elif type(scorer) is WeightScorer:
            for ids, weights in _blocks(matcher):
                out.update(zip(_shifted(ids, offset), weights))
        else:
            return False
        for d in deleted:
            out.pop(d + offset, None)
        return True

    def _lengths(self, reader: Any, fieldname: str) -> list[float | None] | None:
        """Every document's length of a field in one segment (whoosh stores it as one byte)."""
        key = ("lengths", id(reader), fieldname)
        found = self._cache.get(key)
        if found is not None:
            return found
        try:
            column = reader._perdoc._cached_reader(_lenfield(fieldname), LENGTHS_COLUMN)
            if column is None or column._fixedlen != 1:
                return None
            raw = column._dbfile.get(column._basepos, column._count)
        except AttributeError:
            return None
        table = [byte_to_length(b) if b else None for b in range(256)]
        found = list(map(table.__getitem__, raw)) + [None] * (reader.doc_count_all() - len(raw))
        self._cache.put(key, found)
        return found

    def top(self, q: wq.Query, docs: frozenset[int] | set[int], count: int) -> list[tuple[int, float]]:
        """The ``count`` best of ``docs`` as (docnum, score), best first; ties by docnum."""
        if count <= 0 or not docs:
            return []
        scored = self.scores(q, docs)
        return heapq.nsmallest(count, scored.items(), key=lambda item: (-item[1], item[0]))

    # --- facets ------------------------------------------------------------------------------

    def facet_counts(self, docs: Iterable[int], per: str | None = None) -> dict[str, Counter[str]]:
        """Per facet, how many of ``docs`` have each value; with ``per`` (a field, e.g. doc_id) how
        many distinct values of that field do: a document with five matching passages counts once."""
        columns = self._columns()
        docs = list(docs)
        out: dict[str, Counter[str]] = {}
        if per is None:
            for name in self._facet_names:
                values = map(columns[name].__getitem__, docs)
                if name in self._list_facets:
                    out[name] = Counter(chain.from_iterable(values))
                else:
                    single: Counter[Any] = Counter(values)
                    single.pop(None, None)
                    out[name] = single
            return out
        # Each record's facet values, with its owner, are numbered once per index generation (its
        # profile): a search deduplicates ints in C, one pass over the matches for all facets. At
        # 10,000 matches a Python loop per match and facet was most of a search's time.
        record_profile, profile_pairs, pair_label = self._profiles(per)
        profiles = set(map(record_profile.__getitem__, docs))
        pairs = set(chain.from_iterable(map(profile_pairs.__getitem__, profiles)))
        out = {name: Counter() for name in self._facet_names}
        for (name, value), count in Counter(map(pair_label.__getitem__, pairs)).items():
            out[name][value] = count
        return out

    def _profiles(self, per: str) -> tuple[list[int], list[tuple[int, ...]], list[tuple[str, Any]]]:
        """(each record's profile number, each profile's (owner, facet, value) pair numbers, each
        pair's (facet, value)); a record without a value of a facet has no pair of it."""
        found = self._pairs.get(per)
        if found is None:
            columns = self._columns()
            owners = self.values(per)
            pairs: dict[tuple[Any, str, Any], int] = {}
            profiles: dict[tuple[int, ...], int] = {}
            record_profile = []
            for d, owner in enumerate(owners):
                numbers = []
                for name in self._facet_names:
                    value = columns[name][d]
                    for v in value if name in self._list_facets else (() if value is None else (value,)):
                        numbers.append(pairs.setdefault((owner, name, v), len(pairs)))
                record_profile.append(profiles.setdefault(tuple(numbers), len(profiles)))
            found = (record_profile, list(profiles), [(name, v) for _, name, v in pairs])
            self._pairs[per] = found
        return found

    def values(self, name: str) -> list[Any]:
        """Each document's value of a single-valued field (None where it has none)."""
        key = ("column", name)
        found = self._cache.get(key)
        if found is None:
            found = self._read_column(name, multi=False)
            self._cache.put(key, found)
        return found

    def _columns(self) -> dict[str, list[Any]]:
        """Per facet, each document's value (None) or, for a list facet, tuple of values."""
        if self._facet_columns is None:
            self._facet_columns = {
                name: self._read_column(name, name in self._list_facets) for name in self._facet_names
            }
        return self._facet_columns

    def _read_column(self, name: str, multi: bool) -> list[Any]:
        size = self.searcher.doc_count_all()
        column: list[Any] = [() if multi else None] * size
        for sub, offset in self._leaves:
            reader = sub.reader()
            if name not in reader.schema:
                continue
            for btext in reader.lexicon(name):
                value = btext.decode("utf-8")
                ids = reader.postings(name, btext).all_ids()
                if multi:
                    one = (value,)
                    for d in ids:
                        column[d + offset] += one
                else:
                    for d in ids:
                        column[d + offset] = value
        return column


def _postings(reader: Any, q: wq.Term) -> tuple[Any, frozenset[int]] | None:
    """The raw postings matcher of a term in one segment and the segment's deleted documents;
    None when the segment does not have the term."""
    fieldname = q.fieldname
    if fieldname not in reader.schema:
        return None
    try:
        text = reader.schema[fieldname].to_bytes(q.text)
    except ValueError:
        return None
    if (fieldname, text) not in reader:
        return None
    matcher = reader.postings(fieldname, text)
    if isinstance(matcher, FilterMatcher):
        return matcher.child, reader.deleted_docs_set
    return matcher, frozenset()


def _shifted(ids: Sequence[int], offset: int) -> Sequence[int]:
    """A segment's document numbers as the searcher's (global) numbers."""
    return [d + offset for d in ids] if offset else ids


def _blocks(matcher: W3LeafMatcher) -> Iterator[tuple[Sequence[int], Sequence[float]]]:
    """(ids, weights) of each block of a whoosh 3 postings list."""
    while matcher.is_active():
        matcher._read_ids()
        matcher._read_weights()
        yield matcher._ids, matcher._weights
        matcher._next_block()

"""The query plan :mod:`search.querying` builds (whoosh query objects used as a plain tree) in
PostgreSQL terms: a phrase as the tsquery its records are checked with, and the parts that score.

whoosh adds up the scores of the matching parts of a query: every matching child of an Or, every
child of an And, the right side of an AndMaybe where it matches, never the right side of an AndNot;
a phrase scores as its words; a constant-score query gives its constant. So a record's score is a sum
over the leaves (terms) that occur in it, each leaf only where the parts of the tree around it match
(its *condition*: a phrase, a constant's child). :class:`Scoring` keeps those leaves with their
conditions, as the queries a condition needs (search/postgres/matching.py evaluates them).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq

from search.postgres.rows import lexeme
from search.querying import ConstantScore

# Term("kind", kind): every record of the kind (a query of filters only), scoring 1.0 each
_KIND_FIELD = "kind"
_KIND_SCORE = 1.0


def phrase_tsquery(q: wq.Phrase) -> str:
    """A phrase as the tsquery its records are checked with (its words in a row: ``<->``)."""
    return "(" + " <-> ".join(lexeme(q.fieldname, w) for w in q.words) + ")"


Condition = tuple[Any, ...]  # queries that must all match (): none


@dataclass(slots=True)
class Scoring:
    """What scores a record: ``leaves`` (term key, condition number) whose BM25 is added where the
    record has the term and its condition holds (0: none); ``constants`` (term keys, score, condition
    number): the score once where the record has any of the terms; ``base``: every record's score;
    ``conditions``: the queries each condition needs to match (phrases, conjunctions), numbered from 1."""

    leaves: list[tuple[str, int]] = field(default_factory=list)
    constants: list[tuple[list[str], float, int]] = field(default_factory=list)
    base: float = 0.0
    conditions: list[Condition] = field(default_factory=list)

    @classmethod
    def of(cls, q: Any) -> Scoring:
        out = cls()
        out._walk(q, (), guaranteed=True)
        return out

    def term_keys(self) -> list[str]:
        """Every term key that scores."""
        return [key for key, _ in self.leaves] + [k for keys, _, _ in self.constants for k in keys]

    def _number(self, condition: Condition) -> int:
        if not condition:
            return 0
        if condition not in self.conditions:
            self.conditions.append(condition)
        return self.conditions.index(condition) + 1

    def _walk(self, q: Any, condition: Condition, guaranteed: bool) -> None:
        """``guaranteed``: the record is known to match ``q`` wherever ``condition`` holds."""
        if isinstance(q, wq.Term):
            if q.fieldname != _KIND_FIELD:
                self.leaves.append((f"{q.fieldname}:{q.text}", self._number(condition)))
            elif not condition:
                self.base += _KIND_SCORE
            else:
                raise ValueError("every record of the kind under a condition")
        elif isinstance(q, ConstantScore):
            # the constant where any of the child's terms occurs (a union of terms: compounds)
            keys = [f"{t.fieldname}:{t.text}" for t in q.child.subqueries]
            if not all(isinstance(t, wq.Term) for t in q.child.subqueries) or not isinstance(q.child, wq.Or):
                raise TypeError("a constant score of more than a union of terms")
            self.constants.append((keys, float(q.score), self._number(condition)))
        elif isinstance(q, wq.Or):
            # each child scores where it matches itself: the union adds no condition
            for sub in q.subqueries:
                self._walk(sub, condition, False)
        else:
            self._walk_conditional(q, condition if guaranteed else (*condition, q))

    def _walk_conditional(self, q: Any, condition: Condition) -> None:
        """A phrase or a conjunction, scoring where ``condition`` holds (which includes its own match)."""
        if isinstance(q, wq.Phrase):
            number = self._number(condition)
            self.leaves.extend((f"{q.fieldname}:{w}", number) for w in q.words)
        elif isinstance(q, wq.AndMaybe):
            self._walk(q.a, condition, True)
            self._walk(q.b, condition, False)
        elif isinstance(q, wq.AndNot):
            self._walk(q.a, condition, True)
        elif isinstance(q, wq.And):
            for sub in q.subqueries:
                self._walk(sub, condition, True)
        else:
            raise TypeError(f"no scoring for {type(q).__name__}")

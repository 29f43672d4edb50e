"""The query plan :mod:`search.querying` builds (whoosh query objects used as a plain tree) as
PostgreSQL text search: a tsquery that matches what the tree matches, and the parts that score.

whoosh adds up the scores of the matching parts of a query: every matching child of an Or, every
child of an And, the right side of an AndMaybe where it matches, never the right side of an AndNot;
a phrase scores as its words; a constant-score query gives its constant. So a record's score is a sum
over the leaves (terms) that occur in it, each leaf only where the parts of the tree around it match
(its *condition*: a phrase, a constant's child). :class:`Scoring` keeps those leaves with their
conditions, as tsqueries evaluated once per matching record.
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


def match(q: Any) -> str | None:
    """The tsquery of ``q``; None where it matches every record of the kind."""
    if isinstance(q, wq.Term):
        return None if q.fieldname == _KIND_FIELD else lexeme(q.fieldname, q.text)
    if isinstance(q, wq.Phrase):
        return "(" + " <-> ".join(lexeme(q.fieldname, w) for w in q.words) + ")"
    if isinstance(q, ConstantScore):
        return match(q.child)
    if isinstance(q, wq.AndMaybe):
        return match(q.a)
    if isinstance(q, wq.AndNot):
        positive, negative = match(q.a), match(q.b)
        if negative is None:
            raise ValueError("an exclusion of every record")
        return f"!{negative}" if positive is None else f"({positive} & !{negative})"
    if isinstance(q, wq.And):
        parts = [p for p in map(match, q.subqueries) if p is not None]
        return "(" + " & ".join(parts) + ")" if parts else None
    if isinstance(q, wq.Or):
        found = [match(s) for s in q.subqueries]
        if any(p is None for p in found):
            return None
        return "(" + " | ".join(p for p in found if p is not None) + ")"
    raise TypeError(f"no tsquery for {type(q).__name__}")


def both(first: str | None, second: str | None) -> str | None:
    """The tsquery matching both (None: no condition)."""
    if first is None or second is None:
        return first if second is None else second
    return f"({first} & {second})"


@dataclass(slots=True)
class Scoring:
    """What scores a record: ``leaves`` (term key, condition number) whose BM25 is added where the
    record has the term and its condition holds (0: none); ``constants`` (condition number, score);
    ``conditions``: the tsqueries, numbered from 1."""

    leaves: list[tuple[str, int]] = field(default_factory=list)
    constants: list[tuple[int, float]] = field(default_factory=list)
    conditions: list[str] = field(default_factory=list)

    @classmethod
    def of(cls, q: Any) -> Scoring:
        out = cls()
        out._walk(q, None, guaranteed=True)
        return out

    def _number(self, condition: str | None) -> int:
        if condition is None:
            return 0
        if condition not in self.conditions:
            self.conditions.append(condition)
        return self.conditions.index(condition) + 1

    def _walk(self, q: Any, condition: str | None, guaranteed: bool) -> None:
        """``guaranteed``: the record is known to match ``q`` wherever ``condition`` holds."""
        if isinstance(q, wq.Term):
            if q.fieldname == _KIND_FIELD:
                self.constants.append((self._number(condition), _KIND_SCORE))
            else:
                self.leaves.append((f"{q.fieldname}:{q.text}", self._number(condition)))
            return
        if not guaranteed:
            condition = both(condition, match(q))
        if isinstance(q, wq.Phrase):
            number = self._number(condition)
            self.leaves.extend((f"{q.fieldname}:{w}", number) for w in q.words)
        elif isinstance(q, ConstantScore):
            self.constants.append((self._number(condition), float(q.score)))
        elif isinstance(q, wq.AndMaybe):
            self._walk(q.a, condition, True)
            self._walk(q.b, condition, False)
        elif isinstance(q, wq.AndNot):
            self._walk(q.a, condition, True)
        elif isinstance(q, wq.And):
            for sub in q.subqueries:
                self._walk(sub, condition, True)
        elif isinstance(q, wq.Or):
            for sub in q.subqueries:
                self._walk(sub, condition, False)
        else:
            raise TypeError(f"no scoring for {type(q).__name__}")

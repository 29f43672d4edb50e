"""Answers read out of the best passages, the entry point of reading (:class:`Reader`): the passages
search finds for the plan, cut into units (:mod:`answers.units`: a sentence, a line, a list item, a
table row, a label and the value under it), scored by the question's words (:mod:`answers.weights`),
the candidates of the asked kind in them (:mod:`answers.candidates`, weighed by how close they stand
to the relation words, :mod:`answers.nearness`), and the final cut (:mod:`answers.cut`).

What no kind fits ("which agreements are named as examples") gets the shortest unit that answers.
"""

from __future__ import annotations

from typing import Any

from answers import candidates as candidate_finder
from answers import cut, units
from answers.passages import DocumentCache
from answers.plan import Part, Plan
from answers.units import Candidate, Unit
from answers.weights import score_units
from ingest.store import DocumentStore
from kinds import registry
from search import SearchIndex

PASSAGES = 10
OTHER_COMMUNITY = 0.5  # the weight of a hit from a helsefellesskap the question does not ask about
# What reads an answer to a question asking for a kind out of a passage: the mentions of which
# entity types, which span finders (the registry's answered_by "mentions" and "spans").
ENTITY_TYPES_FOR = registry().answered_by("mentions")
SPANS_FOR = registry().answered_by("spans")


class Reader:
    """Reads a plan's answers out of the passages search finds, one part of the plan at a time."""

    def __init__(self, search: SearchIndex | None, documents: DocumentStore | None) -> None:
        self.search = search
        self.docs = DocumentCache(documents)
        self.weights: dict[str, float] = {}  # the word weights of the part scored last

    def found(self, words: list[str]) -> list[dict[str, Any]]:
        """The search hits for the question's words, the best first."""
        if self.search is None or not words:
            return []
        query = " ".join(w for w in words if not w.startswith("-"))
        hits: list[dict[str, Any]] = self.search.search(query, limit=PASSAGES * 2)["hits"]
        return hits

    def hits(self, found: list[dict[str, Any]], community_ids: set[str]) -> list[dict[str, Any]]:
        """The passages to read: the hits, another helsefellesskap's weighed down."""
        hits = found
        if community_ids:
            # Another helsefellesskap's document counts less, not nothing: a page may tell of two
            # (InnoMed's projects of Helse Fonna and of St. Olavs).
            hits = [
                dict(
                    h,
                    score=(h.get("score") or 0.0)
                    * (
                        OTHER_COMMUNITY
                        if h.get("fellesskap") and h["fellesskap"] not in community_ids
                        else 1.0
                    ),
                )
                for h in hits
            ]
            hits.sort(key=lambda h: -h["score"])
        return hits[:PASSAGES]

    def units(self, plan: Plan, hits: list[dict[str, Any]]) -> list[Unit]:
        """Units of the passages found, and of every passage of the best documents."""
        return units.units(plan, hits, self.docs)

    def score_units(self, plan: Plan, part: Part, found: list[Unit]) -> None:
        self.weights = score_units(plan, part, found)

    def candidates(self, plan: Plan, part: Part, found: list[Unit]) -> list[Candidate]:
        """The candidate answers of the kind the part asks for, in units scored for it."""
        return candidate_finder.candidates(
            plan,
            part,
            found,
            entity_types=ENTITY_TYPES_FOR.get(part.asks, ()),
            span_kinds=SPANS_FOR.get(part.asks, ()),
            weights=self.weights,
        )

    def answers(self, plan: Plan, part: Part, found: list[Unit]) -> tuple[list[Candidate], str]:
        """The part's answers and how they were read: the candidates of its kind, cut; else the
        unit of text that answers."""
        self.score_units(plan, part, found)
        chosen = cut.cut(self._ordered(plan, part, found), part)
        if chosen:
            return chosen, "reading"
        return cut.text_answers(part, found), "reading:text"

    def _ordered(self, plan: Plan, part: Part, found: list[Unit]) -> list[Candidate]:
        if part.asks == "text":
            return []
        candidates = self.candidates(plan, part, found)
        if part.asks == "date" and plan.ordinal:
            candidates = cut.by_order(candidates, plan.ordinal)
        return candidates

"""Answers to plain questions (:class:`Answerer`, what ``/ask`` and ``hfkg ask`` call), in layers,
each answer with its evidence, a confidence and how it was found:

a. graph relations that fit the question's plan (:mod:`answers.graph_layer`);
b. reading: answers of the asked kind read out of the best passages (:mod:`answers.reading`);
c. where the asked thing has no kind, the shortest unit of text that answers (:mod:`answers.cut`).

The question is first read into a :class:`~answers.plan.Plan` (:mod:`answers.plan`), with the kinds
and the words that ask for them from the registry of kinds (:mod:`kinds`). Reading is in modules by
job: :mod:`~answers.passages` (the documents read and their lookups), :mod:`~answers.lines` (what a
line is: a label, a title, an item, a table row), :mod:`~answers.units` (passages cut into units),
:mod:`~answers.weights` (scoring units by the question's words), :mod:`~answers.spans` (typed spans:
names, dates, numbers …), :mod:`~answers.candidates` and :mod:`~answers.nearness` (candidate answers
and where they stand), :mod:`~answers.cut` (the answers kept and their evidence). Word lists and
patterns are in ``answers/data/``. This package sits above ``graph`` and ``search``; ``api`` only
serves it.
"""

from __future__ import annotations

from typing import Any

from answers.cut import evidence
from answers.graph_layer import Asker, Reading
from answers.interpretation import interpretation
from answers.plan import Anchor, Plan, asked_parts, content_words, kind_words, ordinal, periods
from answers.reading import Reader
from answers.units import Candidate
from graph.queries import Answer, GraphQueries
from ingest import ids
from ingest.store import DocumentStore
from kinds import registry
from search import SearchIndex

__all__ = ["Answerer", "Plan"]

# Which types of graph answer answer which asked kind (the registry's answered_by "graph").
GRAPH_FITS = {kind: set(types) for kind, types in registry().answered_by("graph").items()}
GRAPH_CONFIDENCE = 0.9
HITS = 5  # search hits shown beside the answers


class Answerer:
    def __init__(
        self, queries: GraphQueries, search: SearchIndex | None, documents: DocumentStore | None = None
    ) -> None:
        self.queries = queries
        self.search = search
        self.graph = Asker(queries, search)
        self.reader = Reader(search, documents)

    # -- reading the question -------------------------------------------------------------------
    def plan(self, question: str, reading: Reading | None = None) -> Plan:
        question = " ".join(question.split())
        reading = reading or self.graph.read(question)
        plan = Plan(question, parts=asked_parts(question))
        for iri, type_, name in reading.entities:
            if (
                name.lower() not in kind_words()
            ):  # a kind's word the graph happens to hold as a name ("Kommune")
                plan.anchors.append(Anchor(self.queries.eid(iri), type_, name))
        for group in reading.groups:
            plan.anchors.append(Anchor(self.queries.eid(group), "patient_group", self.queries.label(group)))
        if reading.community:
            plan.community = self.queries.eid(reading.community)
            label = self.queries.label(reading.community)
            if all(a.id != plan.community for a in plan.anchors):
                plan.anchors.append(Anchor(plan.community, "health_community", label))
        for body in reading.bodies:
            plan.anchors.append(Anchor(f"body/{body}", "committee", body))
        plan.years, plan.period = periods(question)
        plan.ordinal = ordinal(question)
        plan.content_words = content_words(question, self.graph.stop_words())
        return plan

    # -- answering ------------------------------------------------------------------------------
    def ask(self, question: str, *, limit: int = 200) -> dict[str, Any]:
        question = " ".join(question.split())
        reading = self.graph.read(question)
        plan = self.plan(question, reading)
        found = self.reader.found(plan.content_words)
        answers = self._from_graph(plan, reading)
        method = f"graph:{reading.intent}" if answers else "reading"
        if not answers:
            answers = self._from_text(plan, found)
        hits = found[:HITS]
        how = None if not answers else "graph" if method != "reading" else "reading"
        return {
            "question": question,
            "interpretation": interpretation(plan, how),
            "plan": plan.to_dict(),
            "answers": [a for a in answers if a.get("evidence")][:limit],
            "hits": hits,
        }

    def _from_graph(self, plan: Plan, reading: Reading) -> list[dict[str, Any]]:
        if not reading.intent:
            return []
        part = plan.parts[0] if plan.parts else None
        answered = self.graph.intent_predicates(reading.intent)
        if part and part.predicates and answered and not set(part.predicates) & set(answered):
            return []  # "vertskommune for samhandlingskoordinatoren": no member list answers that
        found: list[Answer] = [a for a in self.graph.answers(reading) if a.evidence]
        fits = GRAPH_FITS.get(plan.asks)
        if plan.asks in registry().values:
            return []  # a date, a number, a case number: no entity of the graph is one
        if fits is None:
            # A question no entity type answers takes the graph's answer only where the graph's
            # reading is about text itself: decisions, a timeline.
            if reading.intent not in ("decisions", "timeline"):
                return []
        elif any(a.type not in fits for a in found):
            return []
        out = []
        for answer in found:
            item = answer.to_dict()
            item["confidence"] = GRAPH_CONFIDENCE if reading.intent != "decisions" else 0.7
            item["method"] = f"graph:{reading.intent}"
            out.append(item)
        return out

    def _from_text(self, plan: Plan, found: list[dict[str, Any]]) -> list[dict[str, Any]]:
        communities = {ids.local_part(plan.community)} if plan.community else set()
        hits = self.reader.hits(found, communities)
        units = self.reader.units(plan, hits)
        out: list[dict[str, Any]] = []
        for part in plan.parts:
            chosen, method = self.reader.answers(plan, part, units)
            best = max((c.score for c in chosen), default=1.0) or 1.0
            for candidate in chosen:
                out.append(_answer(candidate, method, best))
        return out


def _answer(candidate: Candidate, method: str, best: float) -> dict[str, Any]:
    confidence = round(
        min(0.8, 0.8 * candidate.score / (candidate.score + 4.0)) * (candidate.score / best) ** 0.5, 2
    )
    item: dict[str, Any] = {
        "id": candidate.entity_id,
        "label": candidate.label,
        "type": candidate.type,
        "confidence": confidence,
        "method": method,
        "evidence": [evidence(candidate)],
    }
    if candidate.detail:
        item["detail"] = candidate.detail
    return item

"""One search on the PostgreSQL index: the plan of :class:`search.querying.QueryBuilder`, matched
over the postings of its terms (search/postgres/matching.py), counted over the generation's
profiles (facets.py), ranked over arrays (ranking.py); PostgreSQL reads the terms, their postings,
the records a phrase or a filter must check, and the stored data of the page."""

from __future__ import annotations

from typing import Any

import numpy as np
import psycopg

from search.analysis import NorwegianAnalyzer
from search.base import SearchResult
from search.highlight import snippet
from search.postgres.lookup import Generation, Speller, Terms
from search.postgres.matching import Mask, Matcher, Postings, query_keys
from search.postgres.plan import Scoring
from search.postgres.ranking import grouped_rows, order, scores
from search.postgres.schema import SCHEMA
from search.postgres.sql import Filters, Where, filters_of
from search.querying import QueryBuilder, QueryPlan
from search.responses import SearchRequest, hit, response
from search.results import counts, document_group
from search.schema import FACETS

Ranked = tuple[int, float, str]  # (record id, score, "all" or "some")


class Search:
    """One search on one connection and generation."""

    def __init__(
        self, conn: psycopg.Connection, generation: Generation, queries: QueryBuilder, kind: str
    ) -> None:
        self.conn = conn
        self.generation = generation
        self.table = generation.record_table
        self.terms = Terms(conn, generation.lookups)
        self.queries = queries
        self.kind = kind

    def run(self, request: SearchRequest, analyzer: NorwegianAnalyzer) -> SearchResult:
        parsed, group = request.parsed, request.group
        plan = self.queries.build(parsed, self.kind, self.terms, Speller(self.conn, self.generation.lookups))
        postings = Postings(self.conn, (self.table, self.generation.postings), self.terms)
        scorings = [Scoring.of(plan.strict)] + (
            [Scoring.of(plan.partial)] if plan.partial is not None else []
        )
        keys = query_keys(plan.strict) + (query_keys(plan.partial) if plan.partial is not None else [])
        postings.load(keys + [k for scoring in scorings for k in scoring.term_keys()])
        matcher = Matcher(self.conn, postings)
        filters = filters_of(self.kind, parsed.filters, self.generation)
        allowed = self._visible(request, filters)
        strict = matcher.mask(plan.strict, allowed)
        counted = strict
        if plan.partial is not None:
            # what is counted: the strict tier, and the partial one without its "not every word"
            counted = strict | matcher.mask(plan.partial, allowed & ~strict, besides=plan.strict)
        counted = self._filtered(filters.sql, counted)
        strict &= counted
        rows = np.flatnonzero(counted)
        profiles, n = np.unique(self.table.profile[rows], return_counts=True)
        n_strict = np.bincount(np.searchsorted(profiles, self.table.profile[strict]), minlength=len(profiles))
        tallied = self.generation.profiles.count(profiles, n, n_strict, per_document=group)

        wanted = request.offset + request.limit
        strict_rows = np.flatnonzero(strict)
        enough = len(np.unique(self.table.doc[strict_rows])) if group else len(strict_rows)
        score = scores(scorings[0], strict, postings, matcher, self.generation)
        ranked_rows = strict_rows
        if enough < wanted and len(scorings) > 1:
            partial = counted & ~strict
            score = np.where(strict, score, scores(scorings[1], partial, postings, matcher, self.generation))
            ranked_rows = rows
        ranked = order(self.table, ranked_rows, strict, score, request.sort)
        page: dict[str, Any] = {"total": tallied.total, "matched_all": tallied.matched_all}
        if group:
            shown = grouped_rows(self.table, ranked, wanted)
            groups: dict[str, list[Ranked]] = {}
            for row in shown.tolist():
                doc_id = self.table.doc_ids[self.table.doc[row]]
                groups.setdefault(doc_id, []).append(self._ranked(row, strict, score))
            page["groups"] = [
                document_group(self._hits(g, plan, analyzer), tallied.per_document)
                for g in list(groups.values())[request.offset :]
            ]
            page["hits"] = [h for g in page["groups"] for h in g["hits"]]
        else:
            shown = ranked[request.offset : wanted]
            page["hits"] = self._hits(
                [self._ranked(row, strict, score) for row in shown.tolist()], plan, analyzer
            )
        page["total_documents"] = tallied.documents
        facet_counts = {name: counts(tallied.facets.get(name, {})) for name in FACETS}
        committees = self.generation.labels.labels(facet_counts.get("committee", {}))
        return response(page, request, facet_counts, committees, plan.did_you_mean)

    def _visible(self, request: SearchRequest, filters: Filters) -> Mask:
        """The records of the kind (not the duplicates unless asked) that the filters of facet
        values and dates let through (over the generation's arrays)."""
        table, profiles = self.table, self.generation.profiles
        allowed = table.kind == table.kinds.get(self.kind, -1)
        if not request.include_duplicates:
            allowed &= ~table.duplicate
        for name, wanted in filters.facets:
            allowed &= profiles.allowing(name, wanted)[profiles.rows[table.profile]]
        if filters.low is not None or filters.high is not None:
            allowed &= table.between(filters.low, filters.high)
        return allowed

    def _filtered(self, where: Where, counted: Mask) -> Mask:
        """``counted`` as the filters only SQL checks let it through (entities; on those only)."""
        if len(where.clauses) == 1 or not counted.any():
            return counted
        ids = self.table.ids[counted].tolist()
        row = self.conn.execute(
            f"SELECT array_agg(r.id) FROM {SCHEMA}.records r WHERE {where.sql()} AND r.id = ANY(%s)",
            [*where.params, ids],
            binary=True,
        ).fetchone()
        out = np.zeros(len(self.table), dtype=np.bool_)
        if row is not None and row[0] is not None:
            out[self.table.rows(row[0])] = True
        return out

    def _ranked(self, row: int, strict: Mask, score: Any) -> Ranked:
        return (int(self.table.ids[row]), float(score[row]), "all" if strict[row] else "some")

    def _hit(
        self,
        data: dict[str, Any],
        score: float,
        match_kind: str,
        plan: QueryPlan,
        analyzer: NorwegianAnalyzer,
    ) -> dict[str, Any]:
        marked = snippet(data["text"], analyzer, plan.highlight_terms, plan.compound_heads)
        return hit(data, score, self.kind, match_kind, marked)

    def _hits(
        self, ranked: list[Ranked], plan: QueryPlan, analyzer: NorwegianAnalyzer
    ) -> list[dict[str, Any]]:
        if not ranked:
            return []
        ids = [record_id for record_id, _, _ in ranked]
        rows = self.conn.execute(f"SELECT id, data FROM {SCHEMA}.stored WHERE id = ANY(%s)", (ids,))
        data: dict[int, dict[str, Any]] = dict(rows.fetchall())
        return [self._hit(data[i], score, match_kind, plan, analyzer) for i, score, match_kind in ranked]

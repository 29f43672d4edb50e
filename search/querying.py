"""Turning a parsed query into a whoosh query, with Norwegian expansions.

Each query word becomes a *concept*: its term in the text field (which holds the title and section
words too, weighted), plus
- the other members of its equivalence group (abbreviations, synonyms; phrases where multi-word),
- alternations the index knows (mobil -> mobilt),
- compounds it is the head of (avvik -> samhandlingsavvik), at a small constant score, so they
  always rank below exact matches.
The plan has two queries: ``strict`` (every concept, the quoted phrases; decision words optional) and
``partial`` (some concepts, none matching all): partial matches are only looked at when the strict
ones do not fill the requested page, which keeps common-word queries fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from whoosh import query as wq
from whoosh.matching import Matcher, NullMatcherClass
from whoosh.matching.wrappers import ConstantScoreWrapperMatcher
from whoosh.query.compound import PreloadedOr
from whoosh.reading import IndexReader
from whoosh.spelling import Corrector

from search.analysis import COMPOUND_MIN_LENGTH, NorwegianAnalyzer
from search.parsing import ParsedQuery
from search.schema import DECISION, FIELDS

COMPOUND_SCORE = 0.05
MAX_COMPOUNDS = 24
COMPOUND_POSTINGS_BUDGET = 8000  # bounds the work a common head (kommune, tjeneste) adds
MIN_COMPOUND_MODIFIER = 3  # letters in front of the head: "avvik" is not a compound of itself


class ConstantScore(wq.ConstantScoreQuery):
    """Like whoosh's ConstantScoreQuery, but streams the child's matches instead of reading all
    of their ids into a list first."""

    def matcher(self, searcher: Any, context: Any = None) -> Matcher:
        matcher = self.child.matcher(searcher, context)
        if isinstance(matcher, NullMatcherClass):
            return matcher
        return ConstantScoreWrapperMatcher(matcher, self.score)


@dataclass(slots=True)
class QueryConcept:
    """One thing the user asked for: a word, or a phrase of an equivalence group, with the terms
    that stand for it."""

    words: list[str]  # as typed
    alternatives: list[tuple[str, ...]]  # term sequences; length 1 = a term, more = a phrase
    optional: bool = False
    compounds: list[str] = field(default_factory=list)  # reversed compound terms

    @property
    def single_terms(self) -> list[str]:
        return [alt[0] for alt in self.alternatives if len(alt) == 1]


@dataclass(slots=True)
class QueryPlan:
    strict: wq.Query  # every concept (every record of the kind when there is nothing to match)
    partial: wq.Query | None  # some concepts but not all; None when there is nothing partial
    highlight_terms: set[str]  # index terms to mark in snippets
    compound_heads: set[str]  # terms whose compounds are marked too
    corrections: dict[str, str]  # word as typed -> suggestion
    did_you_mean: str | None


class QueryBuilder:
    def __init__(self, analyzer: NorwegianAnalyzer) -> None:
        self.analyzer = analyzer
        self._groups: dict[tuple[str, ...], int] = {}
        self._group_terms: list[list[tuple[str, ...]]] = []
        for phrases in analyzer.lexicon.equivalences:
            term_seqs = [tuple(analyzer.terms(p)) for p in phrases]
            term_seqs = [s for s in term_seqs if s]
            index = len(self._group_terms)
            self._group_terms.append(list(dict.fromkeys(term_seqs)))
            for seq in term_seqs:
                self._groups.setdefault(seq, index)
        self._longest = max((len(s) for s in self._groups), default=1)
        self._decision_terms = {t for w in analyzer.lexicon.decision_words if (t := analyzer.term(w))}

    # --- concepts -------------------------------------------------------------------------------

    def concepts(self, text: str, kind: str, reader: IndexReader) -> list[QueryConcept]:
        tokens = [(tok.word, tok.term) for tok in self.analyzer.tokens(text) if tok.term]
        concepts: list[QueryConcept] = []
        i = 0
        while i < len(tokens):
            for length in range(min(self._longest, len(tokens) - i), 0, -1):
                seq = tuple(term for _, term in tokens[i : i + length])
                group = self._groups.get(seq)
                if group is not None:
                    alternatives = list(self._group_terms[group])
                    break
            else:
                length, seq, alternatives = 1, (tokens[i][1],), [(tokens[i][1],)]
            words = [word for word, _ in tokens[i : i + length]]
            concept = QueryConcept(words=words, alternatives=alternatives)
            concept.optional = kind == DECISION and set(seq) <= self._decision_terms
            self._expand(concept, kind, reader)
            concepts.append(concept)
            i += length
        return concepts

    def _expand(self, concept: QueryConcept, kind: str, reader: IndexReader) -> None:
        names = FIELDS[kind]
        known = set(concept.alternatives)
        for term in concept.single_terms:
            if len(term) < 4 or not term.isalpha():
                continue
            for source, target in self.analyzer.lexicon.alternations:
                if term.endswith(source):
                    variant = term[: len(term) - len(source)] + target
                    if (variant,) not in known and reader.doc_frequency(names.text, variant):
                        concept.alternatives.append((variant,))
                        known.add((variant,))
        concept.compounds = self._compounds(concept.single_terms, names.compound, reader)

    def _compounds(self, terms: list[str], fieldname: str, reader: IndexReader) -> list[str]:
        found: dict[str, int] = {}
        for term in terms:
            if len(term) < 4 or not term.isalpha():
                continue
            head = term[::-1]
            min_length = max(len(term) + MIN_COMPOUND_MODIFIER, COMPOUND_MIN_LENGTH)
            for count, btext in enumerate(reader.expand_prefix(fieldname, head)):
                if count >= 400:  # a very common head: the rarest compounds add little
                    break
                text = btext.decode("utf-8")
                if len(text) >= min_length:
                    found[text] = reader.doc_frequency(fieldname, text)
        ranked = sorted(found, key=lambda t: -found[t])
        chosen: list[str] = []
        postings = 0
        for text in ranked[:MAX_COMPOUNDS]:
            postings += found[text]
            if chosen and postings > COMPOUND_POSTINGS_BUDGET:
                break
            chosen.append(text)
        return chosen

    def concept_matches(self, concept: QueryConcept, kind: str, reader: IndexReader) -> bool:
        field = FIELDS[kind].text
        if any(all(reader.doc_frequency(field, t) for t in alt) for alt in concept.alternatives):
            return True
        return bool(concept.compounds)

    # --- whoosh queries ----------------------------------------------------------------------

    def concept_query(self, concept: QueryConcept, kind: str, head: bool = False) -> wq.Query:
        """The concept in the kind's text field (with its compounds), or in its head field."""
        names = FIELDS[kind]
        field = names.head if head and names.head else names.text
        subs: list[wq.Query] = []
        for alt in concept.alternatives:
            subs.append(wq.Term(field, alt[0]) if len(alt) == 1 else wq.Phrase(field, list(alt)))
        if concept.compounds and not head:
            # preloaded: one pass over the (bounded) postings beats a deep tree of union matchers
            compounds = PreloadedOr([wq.Term(names.compound, c) for c in concept.compounds])
            subs.append(ConstantScore(compounds, COMPOUND_SCORE))
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def phrase_query(self, phrase: str, kind: str) -> wq.Query | None:
        terms = self.analyzer.terms(phrase)
        if not terms:
            return None
        field = FIELDS[kind].text
        return wq.Term(field, terms[0]) if len(terms) == 1 else wq.Phrase(field, terms)

    def build(self, parsed: ParsedQuery, kind: str, reader: IndexReader, corrector: Corrector) -> QueryPlan:
        concepts, corrections = self._corrected_concepts(parsed, kind, reader, corrector)
        strict, partial = self._queries(parsed, concepts, kind)
        highlight, heads = self._highlighted(parsed, concepts)
        return QueryPlan(
            strict=strict,
            partial=partial,
            highlight_terms=highlight,
            compound_heads=heads,
            corrections=corrections,
            did_you_mean=_corrected(parsed.text, corrections),
        )

    def _corrected_concepts(
        self, parsed: ParsedQuery, kind: str, reader: IndexReader, corrector: Corrector
    ) -> tuple[list[QueryConcept], dict[str, str]]:
        """The query's concepts, a single word the index does not have replaced by the spelling
        corrector's suggestion; and the corrections made (word as typed -> suggestion)."""
        corrections: dict[str, str] = {}
        concepts: list[QueryConcept] = []
        for concept in self.concepts(" ".join(parsed.words), kind, reader):
            if not self.concept_matches(concept, kind, reader) and len(concept.words) == 1:
                suggestion = _suggest(corrector, concept.words[0])
                if suggestion:
                    corrections[concept.words[0]] = suggestion
                    concepts += self.concepts(suggestion, kind, reader)
                    continue
            concepts.append(concept)
        return concepts, corrections

    def _queries(
        self, parsed: ParsedQuery, concepts: list[QueryConcept], kind: str
    ) -> tuple[wq.Query, wq.Query | None]:
        """(strict, partial) of the plan, exclusions applied to both."""
        concept_queries = [self.concept_query(c, kind) for c in concepts]
        required = [q for q, c in zip(concept_queries, concepts) if not c.optional]
        optional = [q for q, c in zip(concept_queries, concepts) if c.optional]
        phrases = [q for q in (self.phrase_query(p, kind) for p in parsed.phrases) if q is not None]
        strict = _strict(required + phrases, optional, kind)
        partial: wq.Query | None = None
        if len(required) >= 2:
            some = wq.Or(concept_queries)
            partial = wq.AndNot(wq.And([some, *phrases]) if phrases else some, strict)
        if FIELDS[kind].head and concepts:
            # A record whose own title or conclusion says the words ranks above one that mentions them
            head = _any([self.concept_query(c, kind, head=True) for c in concepts])
            strict = wq.AndMaybe(strict, head)
            partial = wq.AndMaybe(partial, head) if partial is not None else None
        # An exclusion removes the word as typed (any inflection), not its synonyms or compounds:
        # "-rtg" should not also drop every passage about røntgen.
        excluded = [q for q in (self.phrase_query(item, kind) for item in parsed.excluded) if q]
        if excluded:
            strict = wq.AndNot(strict, _any(excluded))
            partial = wq.AndNot(partial, _any(excluded)) if partial is not None else None
        return strict, partial

    def _highlighted(self, parsed: ParsedQuery, concepts: list[QueryConcept]) -> tuple[set[str], set[str]]:
        """(index terms to mark in snippets, terms whose compounds are marked too)."""
        highlight: set[str] = set()
        heads: set[str] = set()
        for concept in concepts:
            for alt in concept.alternatives:
                highlight.update(alt)
            if concept.compounds:
                heads.update(t for t in concept.single_terms if len(t) >= 4)
        for phrase in parsed.phrases:
            highlight.update(self.analyzer.terms(phrase))
        return highlight, heads


def _strict(musts: list[wq.Query], optional: list[wq.Query], kind: str) -> wq.Query:
    """Every one of ``musts``, the optional ones adding to the score (every record of the kind when
    there is nothing to match: a query of filters only)."""
    if musts:
        strict = musts[0] if len(musts) == 1 else wq.And(musts)
        return wq.AndMaybe(strict, _any(optional)) if optional else strict
    if optional:
        return _any(optional)
    return wq.Term("kind", kind)


def _any(queries: list[wq.Query]) -> wq.Query:
    return queries[0] if len(queries) == 1 else wq.Or(queries)


def _suggest(corrector: Corrector, word: str) -> str | None:
    if len(word) < 4 or not word.isalpha():
        return None
    for maxdist in (1, 2):
        found = corrector.suggest(word.lower(), limit=1, maxdist=maxdist, prefix=1)
        if found:
            return str(found[0])
    return None


def _corrected(text: str, corrections: dict[str, str]) -> str | None:
    if not corrections:
        return None
    out = text
    for word, suggestion in corrections.items():
        out = re.sub(rf"(?<!\w){re.escape(word)}(?!\w)", suggestion, out, flags=re.IGNORECASE)
    return out

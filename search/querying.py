"""Turning a parsed query into a whoosh query, with Norwegian expansions.

Each query word becomes a *unit*: its term in the text, title and section fields, plus
- the other members of its equivalence group (abbreviations, synonyms; phrases where multi-word),
- alternations the index knows (mobil -> mobilt),
- compounds it is the head of (avvik -> samhandlingsavvik), at a small constant score, so they
  always rank below exact matches.
Passages with every unit score ``ALL_UNITS_BOOST`` times higher than partial matches.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from whoosh import query as wq
from whoosh.reading import IndexReader

from search.analysis import COMPOUND_MIN_LENGTH, NorwegianAnalyzer
from search.parsing import ParsedQuery
from search.schema import DECISION, FIELDS

ALL_UNITS_BOOST = 8.0
COMPOUND_SCORE = 0.05
MAX_COMPOUNDS = 40
MIN_COMPOUND_MODIFIER = 3  # letters in front of the head: "avvik" is not a compound of itself


@dataclass(slots=True)
class Unit:
    """One thing the user asked for: a word, or a phrase of an equivalence group."""

    words: list[str]  # as typed
    alternatives: list[tuple[str, ...]]  # term sequences; length 1 = a term, more = a phrase
    optional: bool = False
    compounds: list[str] = field(default_factory=list)  # reversed compound terms

    @property
    def single_terms(self) -> list[str]:
        return [alt[0] for alt in self.alternatives if len(alt) == 1]


@dataclass(slots=True)
class QueryPlan:
    query: wq.Query
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

    # --- units -------------------------------------------------------------------------------

    def units(self, text: str, kind: str, reader: IndexReader) -> list[Unit]:
        tokens = [(tok.word, tok.term) for tok in self.analyzer.tokens(text) if tok.term]
        units: list[Unit] = []
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
            unit = Unit(words=words, alternatives=alternatives)
            unit.optional = kind == DECISION and set(seq) <= self._decision_terms
            self._expand(unit, kind, reader)
            units.append(unit)
            i += length
        return units

    def _expand(self, unit: Unit, kind: str, reader: IndexReader) -> None:
        names = FIELDS[kind]
        known = set(unit.alternatives)
        for term in unit.single_terms:
            if len(term) < 4 or not term.isalpha():
                continue
            for source, target in self.analyzer.lexicon.alternations:
                if term.endswith(source):
                    variant = term[: len(term) - len(source)] + target
                    if (variant,) not in known and reader.doc_frequency(names.text, variant):
                        unit.alternatives.append((variant,))
                        known.add((variant,))
        unit.compounds = self._compounds(unit.single_terms, names.compound, reader)

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
        return ranked[:MAX_COMPOUNDS]

    def unit_matches(self, unit: Unit, kind: str, reader: IndexReader) -> bool:
        names = FIELDS[kind]
        for alt in unit.alternatives:
            if all(reader.doc_frequency(f, t) for t in alt for f in (names.text,)) or any(
                reader.doc_frequency(f, alt[0]) for f in (names.title, names.section)
            ):
                return True
        return bool(unit.compounds)

    # --- whoosh queries ----------------------------------------------------------------------

    def unit_query(self, unit: Unit, kind: str) -> wq.Query:
        names = FIELDS[kind]
        subs: list[wq.Query] = []
        for alt in unit.alternatives:
            if len(alt) == 1:
                subs += [wq.Term(f, alt[0], boost=boost) for f, boost in names.boosts()]
            else:
                subs.append(wq.Phrase(names.text, list(alt)))
                subs.append(wq.Phrase(names.title, list(alt), boost=names.boosts()[1][1]))
        if unit.compounds:
            compounds = wq.Or([wq.Term(names.compound, c) for c in unit.compounds])
            subs.append(wq.ConstantScoreQuery(compounds, COMPOUND_SCORE))
        return subs[0] if len(subs) == 1 else wq.Or(subs)

    def phrase_query(self, phrase: str, kind: str) -> wq.Query | None:
        names = FIELDS[kind]
        terms = self.analyzer.terms(phrase)
        if not terms:
            return None
        if len(terms) == 1:
            return wq.Or([wq.Term(f, terms[0], boost=b) for f, b in names.boosts()])
        return wq.Or(
            [wq.Phrase(names.text, terms), wq.Phrase(names.title, terms, boost=names.boosts()[1][1])]
        )

    def build(self, parsed: ParsedQuery, kind: str, reader: IndexReader, corrector: object) -> QueryPlan:
        corrections: dict[str, str] = {}
        units: list[Unit] = []
        for unit in self.units(" ".join(parsed.words), kind, reader):
            if not self.unit_matches(unit, kind, reader) and len(unit.words) == 1:
                suggestion = _suggest(corrector, unit.words[0])
                if suggestion:
                    corrections[unit.words[0]] = suggestion
                    units += self.units(suggestion, kind, reader)
                    continue
            units.append(unit)

        unit_queries = [self.unit_query(u, kind) for u in units]
        required = [q for q, u in zip(unit_queries, units) if not u.optional]
        phrases = [q for q in (self.phrase_query(p, kind) for p in parsed.phrases) if q is not None]

        if len(required) >= 2:
            core: wq.Query = wq.Or([wq.And(required, boost=ALL_UNITS_BOOST), wq.Or(unit_queries)])
        elif unit_queries:
            core = wq.Or(unit_queries) if len(unit_queries) > 1 else unit_queries[0]
        else:
            core = wq.Every()
        if phrases:
            core = wq.And(phrases) if isinstance(core, wq.Every) else wq.And([core, *phrases])

        # An exclusion removes the word as typed (any inflection), not its synonyms or compounds:
        # "-rtg" should not also drop every passage about røntgen.
        excluded = [q for q in (self.phrase_query(item, kind) for item in parsed.excluded) if q]
        if excluded:
            core = wq.AndNot(core, wq.Or(excluded))

        highlight: set[str] = set()
        heads: set[str] = set()
        for unit in units:
            for alt in unit.alternatives:
                highlight.update(alt)
            if unit.compounds:
                heads.update(t for t in unit.single_terms if len(t) >= 4)
        for phrase in parsed.phrases:
            highlight.update(self.analyzer.terms(phrase))

        return QueryPlan(
            query=core,
            highlight_terms=highlight,
            compound_heads=heads,
            corrections=corrections,
            did_you_mean=_corrected(parsed.text, corrections),
        )


def _suggest(corrector: object, word: str) -> str | None:
    if len(word) < 4 or not word.isalpha():
        return None
    for maxdist in (1, 2):
        found = corrector.suggest(word.lower(), limit=1, maxdist=maxdist, prefix=1)  # type: ignore[attr-defined]
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

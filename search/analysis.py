"""Norwegian text analysis: tokens with their character offsets, nynorsk -> bokmål, Snowball stems.

The same :class:`NorwegianAnalyzer` turns passage text into index terms, query words into query
terms, and stored text back into marked-up snippets, so the three always agree. Analysis is done in
Python once per distinct word (cached); whoosh only receives the finished terms, separated by
spaces.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass

from whoosh.analysis import DelimitedAttributeFilter, LowercaseFilter, RegexTokenizer
from whoosh.analysis.analyzers import Analyzer
from whoosh.lang.snowball.norwegian import NorwegianStemmer

from search.lexicon import Lexicon, default_lexicon

# Numbers keep their inner dots so "2023.42" (a case number) or "25.01.24" stays one token.
TOKEN_RE = re.compile(r"\d+(?:[.:/]\d+)*|\w+")

# Stems shorter than this are not indexed as compound heads.
COMPOUND_MIN_LENGTH = 7


def pre_analyzed() -> Analyzer:
    """The whoosh analyzer of every text field: the terms are already final, split on spaces.

    A term may carry a weight as ``term^1.6``: title and heading terms are indexed in the same
    field as the body with a higher weight, so one term query per word covers all three.
    """
    return RegexTokenizer(r"\S+") | LowercaseFilter() | DelimitedAttributeFilter()


def weighted(terms: list[str], weight: float) -> str:
    return " ".join(f"{t}^{weight:g}" for t in terms)


@dataclass(frozen=True, slots=True)
class Token:
    word: str  # lower-cased, NFC, as written
    term: str | None  # index term, None for a stop word
    start: int
    end: int


class NorwegianAnalyzer:
    def __init__(self, lexicon: Lexicon | None = None) -> None:
        self.lexicon = lexicon or default_lexicon()
        self._stem = NorwegianStemmer().stem
        self._terms: dict[str, str | None] = {}
        ends = self.lexicon.end_forms
        self._end_lengths = sorted({len(e) for e in ends}, reverse=True)

    # --- words -------------------------------------------------------------------------------

    def term(self, word: str) -> str | None:
        """Index term of one lower-cased word, or None for a stop word."""
        cached = self._terms.get(word, "\0")
        if cached != "\0":
            return cached
        result = self._analyse(word)
        if len(self._terms) < 500_000:  # bounded: the vocabulary of a corpus is far smaller
            self._terms[word] = result
        return result

    def _analyse(self, word: str) -> str | None:
        word = unicodedata.normalize("NFC", word)
        lex = self.lexicon
        if word in lex.stopwords:
            return None
        if word in lex.protected:
            return lex.protected[word]
        normal = self.bokmal(word)
        if normal in lex.stopwords:
            return None
        if normal in lex.protected:
            return lex.protected[normal]
        if normal.isdigit() or not normal.isalpha():
            return normal
        return self._stem(normal)

    def bokmal(self, word: str) -> str:
        """The bokmål form of a (possibly nynorsk) lower-cased word; unchanged if none is known."""
        lex = self.lexicon
        if word in lex.word_forms:
            return lex.word_forms[word]
        for nynorsk, bokmal in lex.part_forms:
            if nynorsk in word:
                word = word.replace(nynorsk, bokmal)
        for ending in reversed(lex.inflections):  # longest inflection first
            if ending and not word.endswith(ending):
                continue
            base = word[: len(word) - len(ending)] if ending else word
            for length in self._end_lengths:
                tail = base[-length:]
                if len(base) >= length and tail in lex.end_forms:
                    return base[:-length] + lex.end_forms[tail] + ending
        return word

    # --- text --------------------------------------------------------------------------------

    def tokens(self, text: str) -> Iterator[Token]:
        for match in TOKEN_RE.finditer(text):
            word = match.group().lower()
            yield Token(word, self.term(word), match.start(), match.end())

    def terms(self, text: str) -> list[str]:
        """Index terms of a text, in order, stop words left out."""
        term = self.term
        out: list[str] = []
        for match in TOKEN_RE.finditer(text):
            t = term(match.group().lower())
            if t is not None:
                out.append(t)
        return out

    def words(self, text: str) -> set[str]:
        """Distinct lower-cased words as written (the spelling vocabulary), stop words left out."""
        stop = self.lexicon.stopwords
        return {
            w
            for w in (m.group().lower() for m in TOKEN_RE.finditer(text))
            if len(w) > 2 and w not in stop and w.isalpha()
        }


def compound_terms(terms: list[str]) -> list[str]:
    """Reversed long terms: a suffix query ("avvik" in "samhandlingsavvik") becomes a prefix query."""
    return [t[::-1] for t in terms if len(t) >= COMPOUND_MIN_LENGTH and t.isalpha()]

"""spaCy components: a gazetteer ruler built from the data files, and a rule ruler for names no list
knows. Both write spans to ``doc.spans["hfkg"]`` with ``label_`` = entity type and ``kb_id_`` = id
(or a ``rule:`` key that :mod:`ingest.extract.names` resolves)."""

from __future__ import annotations

import re
from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc, Span

from ingest.extract.catalogue import Known, known_entities

SPAN_KEY = "hfkg"


class RegexRuler:
    """Like spaCy's EntityRuler, but for patterns that are regular expressions over the text.

    Patterns are grouped into one alternation per case mode, so a passage is scanned twice, not once
    per pattern; overlapping matches keep the longest.
    """

    def __init__(self, nlp: Language, name: str, *, entries: Iterable[Known] | None = None) -> None:
        self.name = name
        self.entries = list(entries if entries is not None else known_entities())
        patterns = [e for e in self.entries if e.literal is None]
        self._compiled = [
            self._compile([e for e in patterns if e.case_sensitive], 0),
            self._compile([e for e in patterns if not e.case_sensitive], re.I),
        ]
        # Plain names are looked up token n-gram by n-gram: far faster than one regex of hundreds.
        self._exact: dict[str, Known] = {}
        self._folded: dict[str, Known] = {}
        self._prefixes: set[str] = set()  # lower-cased token prefixes of multi-token names
        self._longest = 1
        for entry in self.entries:
            if entry.literal is None:
                continue
            table = self._exact if entry.case_sensitive else self._folded
            table.setdefault(entry.literal if entry.case_sensitive else entry.literal.lower(), entry)
            tokens = nlp.make_doc(entry.literal)
            self._longest = max(self._longest, len(tokens))
            for n in range(1, len(tokens)):
                self._prefixes.add(tokens[:n].text.lower())

    @staticmethod
    def _compile(entries: list[Known], flags: int) -> tuple[re.Pattern[str] | None, list[Known]]:
        if not entries:
            return None, []
        groups = "|".join(f"(?P<g{i}>{e.pattern})" for i, e in enumerate(entries))
        return re.compile(rf"(?<![\wæøåÆØÅ])(?:{groups})(?![\wæøåÆØÅ+])", flags), entries

    def __call__(self, doc: Doc) -> Doc:
        found: list[tuple[int, int, Known]] = []
        # Plain tuples, not spaCy spans: building a Span per n-gram cost most of the time.
        tokens = [(t.idx, t.text, t.whitespace_) for t in doc]
        count = len(tokens)
        for i in range(count):
            start, text, _ = tokens[i]
            if not text[:1].isalpha():
                continue
            for j in range(i, min(count, i + self._longest)):
                if j > i:
                    text = text + tokens[j - 1][2] + tokens[j][1]
                lowered = text.lower()
                entry = self._exact.get(text) or self._folded.get(lowered)
                if entry is not None:
                    found.append((start, tokens[j][0] + len(tokens[j][1]), entry))
                if lowered not in self._prefixes:
                    break
        for pattern, entries in self._compiled:
            if pattern is None:
                continue
            for match in pattern.finditer(doc.text):
                index = int(match.lastgroup[1:]) if match.lastgroup else 0
                found.append((match.start(), match.end(), entries[index]))
        spans = list(doc.spans.get(SPAN_KEY, []))
        # In order of start, the longest first: a match overlaps one taken before it exactly when it
        # starts before the furthest end so far (one comparison, not a scan of all taken: a long
        # table row holds thousands of names).
        taken_end = -1
        for start, end, entry in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
            if start < taken_end:
                continue
            span = doc.char_span(start, end, label=entry.type, kb_id=entry.entity_id, alignment_mode="expand")
            if span is None:
                continue
            taken_end = max(taken_end, end)
            spans.append(span)
        doc.spans[SPAN_KEY] = spans
        return doc


@Language.factory("hfkg_gazetteer", default_config={})
def make_gazetteer(nlp: Language, name: str) -> RegexRuler:
    return RegexRuler(nlp, name)


def spans(doc: Doc) -> list[Span]:
    return list(doc.spans.get(SPAN_KEY, []))

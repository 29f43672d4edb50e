"""The gazetteer: a spaCy component that marks what the data files list (municipalities, former
municipalities, hospital trusts and their short forms, the helsefellesskap, the patient groups).

Built the way spaCy's ``SpanRuler`` is: a factory with a default config, a keyword-only constructor,
entries loaded by :meth:`Gazetteer.initialize` (from the data files unless given), spans written to
``doc.spans[spans_key]`` with ``label_`` = entity type and ``kb_id_`` = entity id. Plain names go to
two :class:`~spacy.matcher.PhraseMatcher` (``ORTH`` for names matched as written, ``LOWER`` for the
rest); names that need context ("UNN" only before "HF", "helsefellesskapet i Vestfold" in its forms)
are regular expressions over the text, one alternation per case mode.
"""

# No "from __future__ import annotations": spaCy reads initialize()'s type hints to check its settings.
import re
from collections.abc import Callable, Iterable
from dataclasses import asdict
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc, Span

from ingest.extract.catalogue import GazetteerEntry, gazetteer_entries

SPANS_KEY = "hfkg"
# A pattern matches a whole word: no letter before it, no letter (or the "+" of "Ung Arena+") after.
_BEFORE = r"(?<![\wæøåÆØÅ])"
_AFTER = r"(?![\wæøåÆØÅ+])"

_Match = tuple[int, int, GazetteerEntry]
_ENTRIES_FILE = "entries.jsonl"


@Language.factory(
    "hfkg_gazetteer",
    assigns=["doc.spans"],
    default_config={"spans_key": SPANS_KEY},
)
def make_gazetteer(nlp: Language, name: str, spans_key: str) -> "Gazetteer":
    return Gazetteer(nlp, name, spans_key=spans_key)


class Gazetteer:
    """Names of the reference data as spans; where matches overlap, the longest (then the first) wins."""

    def __init__(self, nlp: Language, name: str = "hfkg_gazetteer", *, spans_key: str = SPANS_KEY) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.clear()

    def clear(self) -> None:
        self._entries: list[GazetteerEntry] = []
        self._as_written = PhraseMatcher(self.nlp.vocab, attr="ORTH")
        self._folded = PhraseMatcher(self.nlp.vocab, attr="LOWER")
        # The phrase each match id stands for, and its entry: the first entry listed for a name wins.
        self._written_names: dict[str, GazetteerEntry] = {}
        self._folded_names: dict[str, GazetteerEntry] = {}
        self._patterns: list[tuple[re.Pattern[str], list[GazetteerEntry]]] = []

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        entries: Iterable[GazetteerEntry] | None = None,
    ) -> None:
        """Load the entries: those given, else the data files' (:func:`gazetteer_entries`)."""
        self.clear()
        self.add_entries(entries if entries is not None else gazetteer_entries())

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """The entries as JSONL, one a line, so that ``nlp.to_disk``/``spacy.load`` keep them."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        srsly.write_jsonl(path / _ENTRIES_FILE, [asdict(e) for e in self._entries])

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "Gazetteer":
        self.clear()
        self.add_entries(GazetteerEntry(**row) for row in srsly.read_jsonl(Path(path) / _ENTRIES_FILE))
        return self

    @property
    def entries(self) -> list[GazetteerEntry]:
        return list(self._entries)

    def __len__(self) -> int:
        return len(self._entries)

    def add_entries(self, entries: Iterable[GazetteerEntry]) -> None:
        new = list(entries)
        self._entries.extend(new)
        phrases: dict[str, tuple[PhraseMatcher, dict[str, GazetteerEntry]]] = {}
        for entry in new:
            if entry.literal is None:
                continue
            if entry.case_sensitive:
                key, matcher, names = entry.literal, self._as_written, self._written_names
            else:
                key, matcher, names = entry.literal.lower(), self._folded, self._folded_names
            if key not in names:
                names[key] = entry
                phrases[f"{'=' if entry.case_sensitive else '~'}{key}"] = (matcher, names)
        for phrase, (matcher, _) in phrases.items():
            matcher.add(phrase, [self.nlp.make_doc(phrase[1:])])
        patterns = [e for e in self._entries if e.literal is None]
        self._patterns = [
            compiled
            for compiled in (
                _alternation([e for e in patterns if e.case_sensitive], 0),
                _alternation([e for e in patterns if not e.case_sensitive], re.I),
            )
            if compiled is not None
        ]

    def __call__(self, doc: Doc) -> Doc:
        spans = list(doc.spans.get(self.spans_key, []))
        # In order of start, the longest first: a match overlaps one taken before it exactly when it
        # starts before the furthest end so far (one comparison, not a scan of all taken: a long
        # table row holds thousands of names).
        taken_end = -1
        for start, end, entry in sorted(self.matches(doc), key=lambda m: (m[0], -(m[1] - m[0]))):
            if start < taken_end:
                continue
            span = doc.char_span(start, end, label=entry.type, kb_id=entry.entity_id, alignment_mode="expand")
            if span is None:
                continue
            taken_end = max(taken_end, end)
            spans.append(span)
        doc.spans[self.spans_key] = spans
        return doc

    def matches(self, doc: Doc) -> list[_Match]:
        """Every match, overlapping ones too: names in token order, then the patterns'."""
        return self._phrase_matches(doc) + self._pattern_matches(doc.text)

    def _phrase_matches(self, doc: Doc) -> list[_Match]:
        best: dict[tuple[int, int], GazetteerEntry] = {}
        strings = self.nlp.vocab.strings
        # A name matched as written beats the same words matched in any case.
        for matcher, names in ((self._as_written, self._written_names), (self._folded, self._folded_names)):
            for match_id, start, end in matcher(doc):
                phrase = strings[match_id][1:]
                span = doc[start:end]
                written = span.text if matcher is self._as_written else span.text.lower()
                # A name starts with a letter, and is written with the spaces it is listed with.
                if written == phrase and span.text[:1].isalpha():
                    best.setdefault((start, end), names[phrase])
        return [
            (doc[start].idx, doc[end - 1].idx + len(doc[end - 1]), entry)
            for (start, end), entry in sorted(best.items())
        ]

    def _pattern_matches(self, text: str) -> list[_Match]:
        out: list[_Match] = []
        for pattern, entries in self._patterns:
            for match in pattern.finditer(text):
                index = int(match.lastgroup[1:]) if match.lastgroup else 0
                out.append((match.start(), match.end(), entries[index]))
        return out


def _alternation(
    entries: list[GazetteerEntry], flags: int
) -> tuple[re.Pattern[str], list[GazetteerEntry]] | None:
    if not entries:
        return None
    groups = "|".join(f"(?P<g{i}>{e.pattern})" for i, e in enumerate(entries))
    return re.compile(rf"{_BEFORE}(?:{groups}){_AFTER}", flags), entries


def gazetteer_spans(doc: Doc, spans_key: str = SPANS_KEY) -> list[Span]:
    return list(doc.spans.get(spans_key, []))

"""Recognition as a spaCy component (``hfkg_names``): every name in a passage, each resolved to its
entity. The gazetteer's spans (``doc.spans[spans_key]``), the municipalities among them, then the
names the rules read (:mod:`~ingest.extract.names`, over ``doc.text`` with the passage's bold spans,
headings and kind) and the initiatives named before; where rule names overlap, the first and longest
wins (a person's name always counts). Writes ``doc._.hfkg_names``, in order of start.

Built like the gazetteer: a factory with a default config (``rules``: which rule families run, in
order), a keyword-only constructor, the rule tables loaded by ``initialize`` (from ``extraction.json``
unless given) and kept by ``to_disk``. Entities are resolved in the document's
:class:`~ingest.extract.state.DocumentState`, which comes with the Doc.
"""

# No "from __future__ import annotations": spaCy reads the factory's and initialize()'s type hints.
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc

from ingest.extract.extensions import document_state
from ingest.extract.gazetteer import SPANS_KEY
from ingest.extract.labels import listed_label
from ingest.extract.names import NameRules, committees, data_rules, initiatives, people, plan_items
from ingest.extract.recognised import Recognised
from ingest.extract.state import DocumentState


@dataclass(frozen=True, slots=True)
class _Reading:
    """What a rule family reads: the passage's text, bold spans, headings and kind, and the tables."""

    text: str
    emphasis: list[str]
    section: list[str]
    kind: str
    tables: NameRules


NameRule = Callable[[_Reading], list[Recognised]]
_RULES_FILE = "rules.json"

RULES: dict[str, NameRule] = {
    "committees": lambda r: committees(r.text, r.tables),
    "initiatives": lambda r: initiatives(r.text, r.emphasis, r.section, r.tables),
    "people": lambda r: people(r.text, r.tables),
    # Action items are a plan table's.
    "plan_items": lambda r: plan_items(r.text, r.tables) if r.kind == "table_row" else [],
}


@Language.factory(
    "hfkg_names",
    assigns=["doc._.hfkg_names"],
    requires=["doc.spans"],
    default_config={"spans_key": SPANS_KEY, "rules": list(RULES)},
)
def make_name_recogniser(nlp: Language, name: str, spans_key: str, rules: list[str]) -> "NameRecogniser":
    return NameRecogniser(nlp, name, spans_key=spans_key, rules=rules)


class NameRecogniser:
    """The name rules of the config, over the rule tables loaded by :meth:`initialize`."""

    def __init__(
        self,
        nlp: Language,
        name: str = "hfkg_names",
        *,
        spans_key: str = SPANS_KEY,
        rules: list[str] | None = None,
    ) -> None:
        self.nlp = nlp
        self.name = name
        self.spans_key = spans_key
        self.rules = list(RULES) if rules is None else list(rules)
        unknown = [r for r in self.rules if r not in RULES]
        if unknown:
            raise ValueError(f"unknown name rules {unknown}: known are {list(RULES)}")
        self.tables: NameRules | None = None

    def initialize(
        self,
        get_examples: Callable[[], Iterable[Any]] | None = None,
        *,
        nlp: Language | None = None,
        tables: dict[str, Any] | None = None,
    ) -> None:
        """Load the rule tables: those given, else those of ``extraction.json``."""
        self.tables = NameRules(tables) if tables is not None else data_rules()

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        """The rule tables as JSON, so that ``nlp.to_disk``/``spacy.load`` keep them."""
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        if self.tables is not None:
            srsly.write_json(path / _RULES_FILE, self.tables.tables)

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> "NameRecogniser":
        saved = Path(path) / _RULES_FILE
        self.tables = NameRules(srsly.read_json(saved)) if saved.exists() else None
        return self

    def _tables(self) -> NameRules:
        if self.tables is None:
            raise ValueError(f"{self.name} has no rule tables: call nlp.initialize() first")
        return self.tables

    def __call__(self, doc: Doc) -> Doc:
        state = document_state(doc)
        text = doc.text
        found: list[Recognised] = []
        municipal: list[Recognised] = []
        for span in doc.spans.get(self.spans_key, []):
            listed = Recognised(
                span.label_,
                "",
                span.text,
                "",
                span.start_char,
                span.end_char,
                source="gazetteer",
                entity_id=span.kb_id_,
            )
            if listed.type == "municipality":
                municipal.append(listed)
                continue
            listed.label = listed_label(listed.type, listed.entity_id, span.text)
            state.table.add(listed.entity_id, listed.type, listed.label)
            found.append(listed)
        found += state.places.municipalities(text, municipal)
        found += self._named(doc, state, found)
        doc._.hfkg_names = sorted(found, key=lambda f: f.start)
        return doc

    def _named(self, doc: Doc, state: DocumentState, listed: list[Recognised]) -> list[Recognised]:
        text, kind = doc.text, doc._.hfkg_kind
        emphasis, section = doc._.hfkg_emphasis or [], doc._.hfkg_headings or []
        reading = _Reading(text, emphasis, section, kind, self._tables())
        names = [name for rule in self.rules for name in RULES[rule](reading)]
        names += state.known_names.find(text)
        out = []
        taken_end = -1  # the furthest end taken so far: in start order, an overlap starts before it
        for name in sorted(names, key=lambda c: (c.start, -(c.end - c.start))):
            if name.start < taken_end and name.type != "person":
                continue
            if name.type == "initiative" and any(
                f.type == "patient_group" and f.start == name.start and f.end >= name.end for f in listed
            ):
                continue  # «skrøpelige eldre» in quotes is a group, not a project
            name.entity_id = state.table.resolve(name)
            taken_end = max(taken_end, name.end)
            out.append(name)
        return out

"""The extraction pipeline, built once per :class:`~ingest.extract.Extractor`: ``spacy.blank("nb")``
with ``hfkg_gazetteer`` (what the data files list) -> ``hfkg_names`` (the name rules, resolved) ->
``hfkg_relations`` (the clause finders), initialized from the data files. A passage goes through it
as one Doc that carries its context (:mod:`~ingest.extract.extensions`).
"""

from __future__ import annotations

import spacy
from spacy.tokens import Doc

# The components' modules register their factories on import.
from ingest.extract import recognise as _names  # noqa: F401
from ingest.extract.extensions import set_passage
from ingest.extract.gazetteer import Gazetteer
from ingest.extract.recognised import Recognised
from ingest.extract.relations import component as _relations  # noqa: F401
from ingest.extract.state import DocumentState, PassageContext
from ingest.extract.units import pieces

GAZETTEER = "hfkg_gazetteer"
STAGES = (GAZETTEER, "hfkg_names", "hfkg_relations")


class Pipeline:
    def __init__(self) -> None:
        self.nlp = spacy.blank("nb")
        for stage in STAGES:
            self.nlp.add_pipe(stage)
        self.nlp.initialize()
        gazetteer = self.nlp.get_pipe(GAZETTEER)
        assert isinstance(gazetteer, Gazetteer)
        self.gazetteer = gazetteer

    def read(self, text: str, state: DocumentState, passage: PassageContext) -> Doc:
        """``text`` through the pipeline, with the context of its passage."""
        doc, done = self._doc(text)
        return self.nlp(set_passage(doc, state, passage), disable=done)

    def names(self, text: str, state: DocumentState) -> list[Recognised]:
        """The names in a heading."""
        found: list[Recognised] = self.read(text, state, PassageContext("heading"))._.hfkg_names
        return found

    def _doc(self, text: str) -> tuple[Doc, list[str]]:
        """The Doc of ``text``, and the stages already run on it. A text longer than spaCy's
        ``max_length`` (one table row, one paragraph without sentence ends) is marked by the gazetteer
        in pieces cut at line or word boundaries, never in one call that spaCy refuses (E088), and the
        pieces joined (with the offsets of the whole) for the stages after it, which read ``doc.text``."""
        nlp = self.nlp
        if len(text) <= nlp.max_length:
            return nlp.make_doc(text), []
        marked = [
            self.gazetteer(nlp.make_doc(text[start:end])) for start, end in pieces(text, nlp.max_length)
        ]
        return Doc.from_docs(marked, ensure_whitespace=False), [GAZETTEER]

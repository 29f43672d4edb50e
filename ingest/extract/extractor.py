"""The extraction pipeline: ``spacy.blank("nb")`` with the gazetteer component, and the reading of
documents with it (:class:`~ingest.extract.document.DocumentReader`)."""

from __future__ import annotations

from typing import Any

from ingest.extract.document import DocumentReader
from ingest.model import Document


class Extractor:
    def __init__(self) -> None:
        # spaCy is loaded here, not on import: the package's other modules serve readers of the
        # manifest (resolve.registry_entries) that must not pay for it.
        import spacy

        from ingest.extract.gazetteer import Gazetteer

        self.nlp = spacy.blank("nb")
        gazetteer = self.nlp.add_pipe("hfkg_gazetteer")
        assert isinstance(gazetteer, Gazetteer)
        self.spans_key = gazetteer.spans_key
        self.nlp.initialize()

    def extract(self, doc: Document, known: dict[str, dict[str, Any]] | None = None) -> None:
        """Fill ``doc.entities``, ``doc.mentions`` and ``doc.relations``.

        ``known`` holds the committees and initiatives of documents ingested before (see
        :func:`~ingest.extract.resolve.registry_entries`), so that a working group named differently in
        another document resolves to the same entity.
        """
        DocumentReader(self.nlp, self.spans_key, doc, known or {}).read()

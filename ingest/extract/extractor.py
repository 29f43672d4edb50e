"""The extractor: the spaCy pipeline (:class:`~ingest.extract.pipeline.Pipeline`, built once) and the
reading of documents with it (:class:`~ingest.extract.document.DocumentReader`)."""

from __future__ import annotations

from typing import Any

from ingest.extract.document import DocumentReader
from ingest.model import Document


class Extractor:
    def __init__(self) -> None:
        # spaCy is loaded here, not on import: the package's other modules serve readers of the
        # manifest (resolve.registry_entries) that must not pay for it.
        from ingest.extract.pipeline import Pipeline

        self.pipeline = Pipeline()
        self.nlp = self.pipeline.nlp

    def extract(self, doc: Document, known: dict[str, dict[str, Any]] | None = None) -> None:
        """Fill ``doc.entities``, ``doc.mentions`` and ``doc.relations``.

        ``known`` holds the committees and initiatives of documents ingested before (see
        :func:`~ingest.extract.resolve.registry_entries`), so that a working group named differently in
        another document resolves to the same entity.
        """
        DocumentReader(self.pipeline, doc, known or {}).read()

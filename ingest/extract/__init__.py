"""Extraction: entities, mentions and relations of a Document, with evidence back to its passages.

The map: :mod:`~ingest.extract.pipeline` is the spaCy pipeline, built once per
:class:`Extractor`: ``spacy.blank("nb")`` + :mod:`~ingest.extract.gazetteer` (``hfkg_gazetteer``:
what the data files list) -> :mod:`~ingest.extract.recognise` (``hfkg_names``: the rules of
:mod:`~ingest.extract.names` for names no list knows, their tables loaded in ``initialize``, all
resolved to entities by :mod:`~ingest.extract.entities`) -> :mod:`~ingest.extract.relations.component`
(``hfkg_relations``: one finder per family of relations, chosen by config). A passage's context and
the document's :mod:`~ingest.extract.state` ride on the Doc (:mod:`~ingest.extract.extensions`).
:mod:`~ingest.extract.document` reads a document passage by passage with it, with what the headings
name (:mod:`~ingest.extract.context`), then :mod:`~ingest.extract.regions`,
:mod:`~ingest.extract.meetings`, :mod:`~ingest.extract.community`. Ids are minted in
:mod:`~ingest.ids` and labels picked in :mod:`~ingest.extract.labels`, nowhere else.
"""

from ingest.extract.extractor import Extractor

__all__ = ["Extractor"]

"""Extraction: entities, mentions and relations of a Document, with evidence back to its passages.

The map: :mod:`~ingest.extract.gazetteer` (spaCy component: what the data files list),
:mod:`~ingest.extract.names` (rules for names no list knows), :mod:`~ingest.extract.recognise`
(both, resolved to entities by :mod:`~ingest.extract.entities`), :mod:`~ingest.extract.context`
(what headings name), :mod:`~ingest.extract.relations` (one finder per family of relations),
:mod:`~ingest.extract.regions`, :mod:`~ingest.extract.meetings`, :mod:`~ingest.extract.community`;
:mod:`~ingest.extract.document` reads a document with them all. Ids are minted in
:mod:`~ingest.ids` and labels picked in :mod:`~ingest.extract.labels`, nowhere else.
"""

from ingest.extract.extractor import Extractor

__all__ = ["Extractor"]

"""What reading one document carries from passage to passage: its entity table, the municipalities and
counties it has named (to choose between namesakes), the initiatives named so far (found again without
a cue), the initiative named last in the current section, and the names of the headings read once.

The per-document reader owns it; the pipeline's components get it through the Doc
(``doc._.hfkg_state``, see :mod:`~ingest.extract.extensions`), never through a module global.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from ingest.extract.context import Context
from ingest.extract.entities import EntityTable
from ingest.extract.known_names import KnownNames
from ingest.extract.places import Places
from ingest.extract.recognised import Recognised


@dataclass(frozen=True, slots=True)
class PassageContext:
    """What a passage's Doc is read with, besides its text (``context`` None: for names only, as a
    heading is read)."""

    kind: str  # paragraph, list, table_row, heading, meeting …
    headings: list[str] = field(default_factory=list)  # its section's headings, outermost first
    emphasis: list[str] = field(default_factory=list)  # its bold spans
    fellesskap: str | None = None  # the document's helsefellesskap
    passage_id: str = ""
    context: Context | None = None  # what its headings name


@dataclass(slots=True)
class DocumentState:
    table: EntityTable
    places: Places
    known_names: KnownNames
    memory: dict[str, str | None] = field(default_factory=dict)  # the initiative named last in the section
    headings: dict[str, list[Recognised]] = field(default_factory=dict)  # the names of each heading read

    @classmethod
    def new(cls, fellesskap: str | None, known: dict[str, dict[str, Any]] | None = None) -> DocumentState:
        """The state of a document of ``fellesskap`` (``known``: what documents before it named)."""
        table = EntityTable(fellesskap or "ukjent", known or {})
        return cls(table, Places(table), KnownNames(table))

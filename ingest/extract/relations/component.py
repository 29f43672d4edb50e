"""The relation finders as a spaCy component (``hfkg_relations``): a passage's units (sentences, list
items, a table row) each read as a :class:`~ingest.extract.relations.clause.Clause` and given to the
finders of its config (default: all of :data:`~ingest.extract.relations.FINDERS`, in their order).

Reads the names of ``doc._.hfkg_names`` and the heading context of ``doc._.hfkg_context`` (a Doc
without one, a heading, is not read for relations); writes ``doc._.hfkg_units``, the units read in
order, each with its relations. A numbered list's head is read only when it names a subject of its
own (its patient groups are those of the items under it); a plan table row's first cell gives the
row its patient groups.
"""

# No "from __future__ import annotations": spaCy reads the factory's type hints to check its config.
import re
from dataclasses import dataclass

from spacy.language import Language
from spacy.tokens import Doc

from ingest.extract.context import Context
from ingest.extract.extensions import document_state
from ingest.extract.recognised import Recognised, is_subject
from ingest.extract.relations import FINDERS, Clause, Finder
from ingest.extract.units import units
from ingest.model import Relation

_NUMBERED = re.compile(r"^\s*-?\s*\d{1,2}[.)]\s")
_CELL = " | "
_BY_NAME: dict[str, Finder] = {finder.__name__: finder for finder in FINDERS}


@dataclass(slots=True)
class ReadUnit:
    """A unit of a passage read for relations: its span in the passage, and what the finders found."""

    span: tuple[int, int]
    relations: list[Relation]


@Language.factory(
    "hfkg_relations",
    assigns=["doc._.hfkg_units"],
    requires=["doc._.hfkg_names"],
    default_config={"finders": list(_BY_NAME)},
)
def make_relation_reader(nlp: Language, name: str, finders: list[str]) -> "RelationReader":
    return RelationReader(nlp, name, finders=finders)


class RelationReader:
    def __init__(
        self, nlp: Language, name: str = "hfkg_relations", *, finders: list[str] | None = None
    ) -> None:
        self.nlp = nlp
        self.name = name
        names = list(_BY_NAME) if finders is None else list(finders)
        unknown = [f for f in names if f not in _BY_NAME]
        if unknown:
            raise ValueError(f"unknown relation finders {unknown}: known are {list(_BY_NAME)}")
        self.finders = [_BY_NAME[f] for f in names]

    def __call__(self, doc: Doc) -> Doc:
        context = doc._.hfkg_context
        doc._.hfkg_units = [] if context is None else self._units(doc, context)
        return doc

    def _units(self, doc: Doc, context: Context) -> list[ReadUnit]:
        text, kind = doc.text, doc._.hfkg_kind
        found: list[Recognised] = doc._.hfkg_names or []
        out = []
        local_groups: list[str] = []
        for span in units(text, kind):
            inside = [f for f in found if span[0] <= f.start < span[1]]
            if _NUMBERED.match(text[span[0] : span[1]]):
                local_groups = [f.entity_id for f in inside if f.type == "patient_group"]
                if local_groups and not any(is_subject(f) for f in inside):
                    continue
            if kind == "table_row":
                # The patient groups of a plan row's first cell are those of the whole row.
                first = len(text.split(_CELL)[0])
                row_groups = [f.entity_id for f in inside if f.type == "patient_group" and f.end <= first]
                names = [f for f in found if not (f.type == "patient_group" and f.end <= first)]
                out.append(ReadUnit(span, self._relate(doc, span, names, context, row_groups)))
            else:
                out.append(ReadUnit(span, self._relate(doc, span, found, context, local_groups)))
        return out

    def _relate(
        self,
        doc: Doc,
        span: tuple[int, int],
        found: list[Recognised],
        context: Context,
        local_groups: list[str],
    ) -> list[Relation]:
        unit = Clause.read(
            doc.text,
            span,
            found,
            context,
            doc._.hfkg_passage_id,
            doc._.hfkg_fellesskap,
            local_groups,
            document_state(doc).memory,
        )
        return [relation for finder in self.finders for relation in finder(unit)]

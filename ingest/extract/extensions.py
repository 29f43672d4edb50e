"""The Doc extensions the extraction pipeline reads and writes.

Set on a passage's Doc before the pipeline runs (:func:`set_passage`, from a
:class:`~ingest.extract.state.PassageContext`): ``hfkg_kind`` (paragraph,
list, table_row, heading …), ``hfkg_headings`` (the section's headings, outermost first),
``hfkg_emphasis`` (the passage's bold spans), ``hfkg_fellesskap`` (the document's helsefellesskap),
``hfkg_passage_id``, ``hfkg_context`` (what the headings name; None: the Doc is read for names
only, as a heading is) and ``hfkg_state`` (the document's :class:`~ingest.extract.state.DocumentState`).

Written by the components: ``hfkg_names`` (``hfkg_names``: every name recognised, resolved, in order of
start) and ``hfkg_units`` (``hfkg_relations``: the units read for relations, each with its relations).
"""

from __future__ import annotations

from spacy.tokens import Doc

from ingest.extract.state import DocumentState, PassageContext

# Each extension with its default: a Doc nobody set a context on is a paragraph of its own document.
_DEFAULTS: dict[str, object] = {
    "hfkg_kind": "paragraph",
    "hfkg_headings": None,
    "hfkg_emphasis": None,
    "hfkg_fellesskap": None,
    "hfkg_passage_id": "",
    "hfkg_context": None,
    "hfkg_state": None,
    "hfkg_names": None,
    "hfkg_units": None,
}

for _name, _default in _DEFAULTS.items():
    if not Doc.has_extension(_name):
        Doc.set_extension(_name, default=_default)


def set_passage(doc: Doc, state: DocumentState, passage: PassageContext) -> Doc:
    """``doc`` with the context of the passage it holds, for the pipeline to read."""
    doc._.hfkg_state = state
    doc._.hfkg_kind = passage.kind
    doc._.hfkg_headings = passage.headings
    doc._.hfkg_emphasis = passage.emphasis
    doc._.hfkg_fellesskap = passage.fellesskap
    doc._.hfkg_passage_id = passage.passage_id
    doc._.hfkg_context = passage.context
    return doc


def document_state(doc: Doc) -> DocumentState:
    """The Doc's document state; a Doc given none is read as a document of its own."""
    if doc._.hfkg_state is None:
        doc._.hfkg_state = DocumentState.new(doc._.hfkg_fellesskap)
    state: DocumentState = doc._.hfkg_state
    return state

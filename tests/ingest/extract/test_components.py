"""The name and relation components on ``spacy.blank("nb")``, in the style of spaCy's own pipe tests:
default configs, literal gazetteer entries, sentences written for the test (none from the bundled
corpus), the document state carried from Doc to Doc, configs that choose the rules and finders, a
round trip through ``to_disk``/``spacy.load``, and a text over ``max_length``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Doc

from ingest.extract.catalogue import GazetteerEntry
from ingest.extract.context import Context
from ingest.extract.extensions import set_passage
from ingest.extract.gazetteer import SPANS_KEY, Gazetteer
from ingest.extract.names import RULE_TABLES, data_rules
from ingest.extract.pipeline import Pipeline
from ingest.extract.recognise import RULES, NameRecogniser
from ingest.extract.relations import FINDERS
from ingest.extract.relations.component import RelationReader
from ingest.extract.state import DocumentState, PassageContext

ENTRIES = [
    GazetteerEntry("municipality/4203", "municipality", "Arendal", "Arendal", literal="Arendal"),
    GazetteerEntry("municipality/4202", "municipality", "Grimstad", "Grimstad", literal="Grimstad"),
    GazetteerEntry(
        "patient_group/skropelige-eldre",
        "patient_group",
        "skrøpelige eldre",
        re.escape("skrøpelige eldre"),
        case_sensitive=False,
        literal="skrøpelige eldre",
    ),
]


def _tables(**changed: Any) -> dict[str, Any]:
    """The rule tables of the data file, with some replaced by literal ones."""
    return {**data_rules().tables, **changed}


def _nlp(
    *, rules: list[str] | None = None, finders: list[str] | None = None, tables: dict[str, Any] | None = None
) -> Language:
    nlp = spacy.blank("nb")
    gazetteer = nlp.add_pipe("hfkg_gazetteer")
    assert isinstance(gazetteer, Gazetteer)
    gazetteer.initialize(nlp=nlp, entries=ENTRIES)
    names = nlp.add_pipe("hfkg_names", config={} if rules is None else {"rules": rules})
    assert isinstance(names, NameRecogniser)
    names.initialize(nlp=nlp, tables=tables)
    nlp.add_pipe("hfkg_relations", config={} if finders is None else {"finders": finders})
    return nlp


def _read(
    nlp: Language,
    text: str,
    state: DocumentState | None = None,
    *,
    kind: str = "paragraph",
    context: Context | None = None,
) -> Doc:
    passage = PassageContext(kind, fellesskap="agder", passage_id="t-p0001", context=context)
    return nlp(set_passage(nlp.make_doc(text), state or DocumentState.new("agder"), passage))


def _names(doc: Doc) -> list[tuple[str, str, str]]:
    return [(doc.text[f.start : f.end], f.type, f.entity_id) for f in doc._.hfkg_names]


def test_factories_have_default_configs() -> None:
    nlp = spacy.blank("nb")
    assert isinstance(nlp.add_pipe("hfkg_names"), NameRecogniser)
    assert isinstance(nlp.add_pipe("hfkg_relations"), RelationReader)
    assert nlp.get_pipe_meta("hfkg_names").default_config == {"spans_key": SPANS_KEY, "rules": list(RULES)}
    assert nlp.get_pipe_meta("hfkg_relations").default_config == {"finders": [f.__name__ for f in FINDERS]}


def test_unknown_rules_and_finders_are_refused() -> None:
    with pytest.raises(ValueError, match="unknown name rules"):
        _nlp(rules=["committees", "horoscopes"])
    with pytest.raises(ValueError, match="unknown relation finders"):
        _nlp(finders=["gossip"])


def test_names_of_the_gazetteer_and_the_rules_resolved_in_order() -> None:
    doc = _read(_nlp(), "Prosjektleder Ingrid Solberg leder prosjektet «Trygg heim» i Arendal og Grimstad.")
    assert _names(doc) == [
        ("Ingrid Solberg", "person", "person/ingrid-solberg"),
        ("«Trygg heim»", "initiative", "initiative/agder/tryggheim"),
        ("Arendal", "municipality", "municipality/4203"),
        ("Grimstad", "municipality", "municipality/4202"),
    ]


def test_the_config_chooses_the_rules() -> None:
    doc = _read(
        _nlp(rules=["people"]), "Prosjektleder Ingrid Solberg leder prosjektet «Trygg heim» i Arendal."
    )
    assert [(name, type_) for name, type_, _ in _names(doc)] == [
        ("Ingrid Solberg", "person"),
        ("Arendal", "municipality"),
    ]


def test_the_rule_tables_are_loaded_by_initialize() -> None:
    text = "Ildsjel Ingrid Solberg driv prosjektet «Trygg heim» i Arendal."
    default = _read(_nlp(), text)
    assert "person" not in [type_ for _, type_, _ in _names(default)]  # "ildsjel" is no role of the data file
    literal = _read(_nlp(tables=_tables(roles={"leads": ["ildsjel"]})), text)
    person = [f for f in literal._.hfkg_names if f.type == "person"]
    assert [(f.label, f.role) for f in person] == [("Ingrid Solberg", "leads")]


def test_rule_tables_without_one_the_rules_read_are_refused() -> None:
    tables = _tables()
    del tables["team_patterns"]
    with pytest.raises(ValueError, match="team_patterns"):
        _nlp(tables=tables)


def test_a_recogniser_without_rule_tables_asks_for_initialize() -> None:
    nlp = spacy.blank("nb")
    nlp.add_pipe("hfkg_gazetteer")
    nlp.add_pipe("hfkg_names")
    with pytest.raises(ValueError, match="initialize"):
        nlp("Prosjektleder Ingrid Solberg.")


def test_a_plan_rows_action_items_are_read_only_in_a_table_row() -> None:
    text = "Trygg utskriving | i. Etablere felles inntaksteam for barn og unge ii. Styrke oppfølging"
    row = _names(_read(_nlp(rules=["plan_items"]), text, kind="table_row"))
    assert (
        "felles inntaksteam for barn og unge",
        "initiative",
        "initiative/agder/fellesinntaksteamforbarnogunge",
    ) in row
    assert _names(_read(_nlp(rules=["plan_items"]), text)) == []


def test_a_quoted_patient_group_is_not_an_initiative() -> None:
    doc = _read(_nlp(), "Tilbudet «skrøpelige eldre» gjelder hele regionen.")
    assert [type_ for _, type_, _ in _names(doc)] == ["patient_group"]


def test_the_document_state_carries_names_from_doc_to_doc() -> None:
    nlp = _nlp()
    state = DocumentState.new("agder")
    _read(nlp, "Kommunene starter prosjektet «Vitality» i år.", state)
    again = "Status for Vitality ble lagt fram."
    assert _names(_read(nlp, again, state)) == [("Vitality", "initiative", "initiative/agder/vitality")]
    assert _names(_read(nlp, again)) == []  # a document of its own has named nothing before


def test_relations_of_each_unit_with_the_finders_of_the_config() -> None:
    text = "Prosjektet «Trygg heim» skal gje skrøpelige eldre eit betre tilbod. Trygg heim piloteres i Arendal og Grimstad i 2024."
    doc = _read(_nlp(), text, context=Context())
    spans = [unit.span for unit in doc._.hfkg_units]
    assert [text[a:b] for a, b in spans] == [text[: text.index(" Trygg")], text[text.index("Trygg heim p") :]]
    facts = {(r.predicate, r.object) for unit in doc._.hfkg_units for r in unit.relations}
    assert ("addresses", "patient_group/skropelige-eldre") in facts
    assert ("pilotedIn", "municipality/4203") in facts
    only = _read(_nlp(finders=["addresses"]), text, context=Context())
    assert {r.predicate for unit in only._.hfkg_units for r in unit.relations} == {"addresses"}


def test_a_doc_without_heading_context_is_read_for_names_only() -> None:
    doc = _read(_nlp(), "Trygg heim piloteres i Arendal og Grimstad i 2024.")
    assert doc._.hfkg_units == []
    assert len(doc._.hfkg_names) == 2


def test_the_configs_and_rule_tables_round_trip_through_to_disk(tmp_path: Path) -> None:
    tables = _tables(roles={"leads": ["ildsjel"]})
    nlp = _nlp(rules=["people", "committees"], finders=["steering", "leadership"], tables=tables)
    nlp.to_disk(tmp_path / "nlp")
    loaded = spacy.load(tmp_path / "nlp")
    assert loaded.pipe_names == ["hfkg_gazetteer", "hfkg_names", "hfkg_relations"]
    names = loaded.get_pipe("hfkg_names")
    relations = loaded.get_pipe("hfkg_relations")
    assert isinstance(names, NameRecogniser) and names.rules == ["people", "committees"]
    assert names.tables is not None and names.tables.tables == {name: tables[name] for name in RULE_TABLES}
    assert isinstance(relations, RelationReader) and [f.__name__ for f in relations.finders] == [
        "steering",
        "leadership",
    ]
    gazetteer = loaded.get_pipe("hfkg_gazetteer")
    assert isinstance(gazetteer, Gazetteer) and gazetteer.entries == ENTRIES
    assert _names(_read(loaded, "Møtet var i Grimstad.")) == [
        ("Grimstad", "municipality", "municipality/4202")
    ]


def test_the_pipeline_is_the_three_stages_initialized_from_the_data_files() -> None:
    pipeline = Pipeline()
    assert pipeline.nlp.pipe_names == ["hfkg_gazetteer", "hfkg_names", "hfkg_relations"]
    assert len(pipeline.gazetteer) > 0


def test_a_text_over_max_length_reads_as_one_with_the_offsets_of_the_whole() -> None:
    pipeline = Pipeline()
    text = " ".join(["Samarbeidet mellom Arendal og Grimstad om skrøpelige eldre fortsetter."] * 40)

    def read() -> list[tuple[int, int, str]]:
        doc = pipeline.read(text, DocumentState.new("agder"), PassageContext("paragraph"))
        return [(f.start, f.end, f.entity_id) for f in doc._.hfkg_names]

    whole = read()
    pipeline.nlp.max_length = 500
    assert read() == whole
    assert len(whole) == 120

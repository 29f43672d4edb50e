"""The relation finders, each on its own unit with literal names, and all of them through the
extraction of a small document written for the test (no passage of the bundled corpus)."""

from __future__ import annotations

import pytest

from ingest.extract import Extractor
from ingest.extract.context import Context
from ingest.extract.recognised import Recognised
from ingest.extract.relations import FINDERS, Clause, relate_unit
from ingest.extract.relations.addresses import addresses
from ingest.extract.relations.leadership import leadership
from ingest.extract.relations.membership import municipal_members, trust_members
from ingest.extract.relations.participation import participation
from ingest.extract.relations.steering import steering
from ingest.model import Document, Passage, Relation

TRYGG_HEIM = ("Trygg heim", "initiative", "prosjekt", "initiative/agder/trygg-heim")
ARENDAL = ("Arendal", "municipality", "", "municipality/4203")
GRIMSTAD = ("Grimstad", "municipality", "", "municipality/4202")
LILLESAND = ("Lillesand", "municipality", "", "municipality/4215")


def _names(text: str, *names: tuple[str, str, str, str]) -> list[Recognised]:
    """Recognised spans for (words, type, kind or role, id), found in ``text`` in order."""
    out, cursor = [], 0
    for words, type_, kind, entity_id in names:
        start = text.index(words, cursor)
        cursor = start + len(words)
        role = kind if type_ == "person" else None
        out.append(Recognised(type_, kind, words, "", start, cursor, role, entity_id=entity_id))
    return out


def _unit(
    text: str, *names: tuple[str, str, str, str], memory: dict[str, str | None] | None = None
) -> Clause:
    return Clause.read(text, (0, len(text)), _names(text, *names), Context(), "p1", "agder", [], memory or {})


def _facts(relations: list[Relation]) -> list[tuple[str, str, str, str]]:
    return [(r.subject, r.predicate, r.object, r.method) for r in relations]


def test_the_finders_run_in_order() -> None:
    assert [addresses, participation, municipal_members, trust_members, steering, leadership] == FINDERS


def test_addresses_groups_named_with_the_subject() -> None:
    text = "Prosjektet «Trygg heim» skal gje skrøpelege eldre eit betre tilbod etter utskriving."
    unit = _unit(
        text,
        ("«Trygg heim»", "initiative", "prosjekt", "initiative/agder/trygg-heim"),
        ("skrøpelege eldre", "patient_group", "", "patient_group/skropelige-eldre"),
    )
    assert _facts(addresses(unit)) == [
        ("initiative/agder/trygg-heim", "addresses", "patient_group/skropelige-eldre", "sentence")
    ]


def test_pilots_are_the_municipalities_of_the_pilot_clause() -> None:
    text = "Trygg heim piloteres i Arendal og Grimstad i 2024, og skal spres til Lillesand."
    unit = _unit(text, TRYGG_HEIM, ARENDAL, GRIMSTAD, LILLESAND)
    relations = participation(unit)
    assert {(r.predicate, r.object) for r in relations} == {
        ("involves", "municipality/4203"),
        ("involves", "municipality/4202"),
        ("involves", "municipality/4215"),
        ("pilotedIn", "municipality/4203"),
        ("pilotedIn", "municipality/4202"),
    }
    assert {r.year for r in relations} == {2024}


def test_a_sentence_without_a_subject_is_about_the_initiative_named_last() -> None:
    memory: dict[str, str | None] = {"initiative": "initiative/agder/trygg-heim"}
    text = "Lillesand kommune er pilotkommune."
    unit = _unit(text, LILLESAND, memory=memory)
    assert ("initiative/agder/trygg-heim", "pilotedIn", "municipality/4215", "context") in _facts(
        relate_unit(unit)
    )


def test_members_of_a_named_collaboration_and_trusts_of_the_helsefellesskap() -> None:
    text = "Østre Agder består av Arendal, Froland og Grimstad, og Sørlandet sykehus HF deltar som medlem."
    region = ("Østre Agder", "committee", "interkommunalt samarbeid", "committee/agder/ostre-agder")
    froland = ("Froland", "municipality", "", "municipality/4214")
    trust = ("Sørlandet sykehus HF", "health_trust", "", "health_trust/sorlandet-sykehus-hf")
    unit = _unit(text, region, ARENDAL, froland, GRIMSTAD, trust)
    members = {(r.subject, r.object) for r in municipal_members(unit)}
    assert members == {(m[3], region[3]) for m in (ARENDAL, froland, GRIMSTAD)}
    assert _facts(trust_members(unit)) == [
        ("health_trust/sorlandet-sykehus-hf", "memberOf", "health_community/agder", "sentence")
    ]


def test_steering_and_leadership() -> None:
    text = "OSU er styringsgruppe for Trygg heim, og prosjektleder Ingrid Solberg rapporterer dit."
    leader = ("Ingrid Solberg", "person", "leads", "person/ingrid-solberg")
    unit = _unit(text, ("OSU", "committee", "OSU", "committee/agder/osu"), TRYGG_HEIM, leader)
    assert _facts(steering(unit)) == [
        ("initiative/agder/trygg-heim", "steeredBy", "committee/agder/osu", "sentence")
    ]
    assert _facts(leadership(unit)) == [
        ("person/ingrid-solberg", "leads", "initiative/agder/trygg-heim", "sentence")
    ]


@pytest.fixture(scope="module")
def extractor() -> Extractor:
    return Extractor()


def _document(*paragraphs: str, section: list[str] | None = None) -> Document:
    passages, offset = [], 0
    for index, text in enumerate(paragraphs):
        passages.append(Passage(f"t-p{index:04d}", "t", 1, section or [], text, offset, offset + len(text)))
        offset += len(text) + 2
    return Document(
        doc_id="t",
        title="Årsmelding 2024",
        doc_type="arsmelding",
        source="t.txt",
        fellesskap="agder",
        fellesskap_name="Helsefellesskapet Agder",
        text="\n\n".join(paragraphs),
        passages=passages,
    )


def test_a_document_read_end_to_end(extractor: Extractor) -> None:
    doc = _document(
        "Prosjektet «Trygg heim» skal gje skrøpelege eldre eit betre tilbod etter utskriving.",
        "Trygg heim piloteres i Arendal og Grimstad i 2024, og skal spres til Lillesand.",
        "Prosjektleder Ingrid Solberg har ansvar for framdrifta.",
    )
    extractor.extract(doc)
    labels = {e.id: e.label for e in doc.entities}  # an initiative's id is its spelling-insensitive key
    assert labels["initiative/agder/tryggheim"] == "Trygg heim"
    assert labels["municipality/4215"] == "Lillesand"
    facts = {(r.subject, r.predicate, r.object) for r in doc.relations}
    assert ("initiative/agder/tryggheim", "pilotedIn", "municipality/4202") in facts
    assert ("initiative/agder/tryggheim", "pilotedIn", "municipality/4215") not in facts
    assert ("initiative/agder/tryggheim", "initiativeOf", "health_community/agder") in facts
    assert ("person/ingrid-solberg", "leads", "initiative/agder/tryggheim") in facts  # the one named last
    assert all(
        doc.passages[0].text[m.start : m.end] == m.text for m in doc.mentions if m.passage_id == "t-p0000"
    )

"""The gazetteer component on ``spacy.blank("nb")``, in the style of spaCy's own ruler tests: literal
entries, real sentences (none from the bundled corpus), what it must mark and what it must not."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import spacy
from spacy.language import Language
from spacy.tokens import Span

from ingest.extract.catalogue import GazetteerEntry
from ingest.extract.gazetteer import SPANS_KEY, Gazetteer


def _name(entity_id: str, type_: str, name: str, *, as_written: bool = True) -> GazetteerEntry:
    return GazetteerEntry(entity_id, type_, name, re.escape(name), as_written, literal=name)


def _pattern(entity_id: str, type_: str, pattern: str, *, as_written: bool = True) -> GazetteerEntry:
    return GazetteerEntry(entity_id, type_, pattern, pattern, as_written)


ENTRIES = [
    _name("municipality/3451", "municipality", "Nord-Aurdal"),
    _name("municipality/3452", "municipality", "Sør-Aurdal"),
    _name("municipality/9999", "municipality", "Aurdal"),  # a part of two names above
    _name("health_trust/sykehuset-innlandet-hf", "health_trust", "Sykehuset Innlandet HF", as_written=False),
    _name("health_trust/sykehuset-innlandet-hf", "health_trust", "SI"),
    _name("health_trust/sykehuset-i-vestfold-hf", "health_trust", "SiV"),
    _pattern("health_trust/universitetssykehuset-nord-norge-hf", "health_trust", r"UNN(?=\s*HF\b)"),
    _pattern("patient_group/skropelige-eldre", "patient_group", r"skrøpelig(?:e)? eldre", as_written=False),
]


def _gazetteer(nlp: Language) -> Gazetteer:
    gazetteer = nlp.get_pipe("hfkg_gazetteer")
    assert isinstance(gazetteer, Gazetteer)
    return gazetteer


@pytest.fixture
def nlp() -> Language:
    nlp = spacy.blank("nb")
    nlp.add_pipe("hfkg_gazetteer")
    _gazetteer(nlp).initialize(nlp=nlp, entries=ENTRIES)
    return nlp


def _marked(nlp: Language, text: str) -> list[tuple[str, str, str]]:
    doc = nlp(text)  # held: its spans die with it
    return [(span.text, span.label_, span.kb_id_) for span in doc.spans[SPANS_KEY]]


def test_factory_has_a_default_config() -> None:
    nlp = spacy.blank("nb")
    gazetteer = nlp.add_pipe("hfkg_gazetteer")
    assert isinstance(gazetteer, Gazetteer)
    assert nlp.get_pipe_meta("hfkg_gazetteer").default_config == {"spans_key": SPANS_KEY}
    assert len(gazetteer) == 0  # nothing until initialize


def test_initialize_reads_the_data_files() -> None:
    nlp = spacy.blank("nb")
    nlp.add_pipe("hfkg_gazetteer")
    nlp.initialize()
    marked = _marked(nlp, "Lillesand kommune og SiV inviterer til dialogmøte om skrøpelige eldre.")
    assert ("Lillesand", "municipality", "municipality/4215") in marked
    assert ("SiV", "health_trust", "health_trust/sykehuset-i-vestfold-hf") in marked
    assert ("skrøpelige eldre", "patient_group", "patient_group/skropelige-eldre") in marked


def test_initialize_replaces_the_entries(nlp: Language) -> None:
    gazetteer = _gazetteer(nlp)
    gazetteer.initialize(entries=ENTRIES[:1])
    assert len(gazetteer) == 1
    assert _marked(nlp, "Sør-Aurdal og Nord-Aurdal deler legevakt.") == [
        ("Nord-Aurdal", "municipality", "municipality/3451")
    ]


def test_the_longest_name_wins(nlp: Language) -> None:
    marked = _marked(nlp, "Legevakta i Nord-Aurdal tek imot pasientar frå Sør-Aurdal og Aurdal sentrum.")
    assert [text for text, _, _ in marked] == ["Nord-Aurdal", "Sør-Aurdal", "Aurdal"]


def test_case_as_listed(nlp: Language) -> None:
    # A short form is an acronym and matches as written ("Siv" is a given name); a full name in any case.
    assert _marked(nlp, "Siv Hansen leder arbeidet.") == []
    assert _marked(nlp, "SYKEHUSET INNLANDET HF har overtatt ansvaret.") == [
        ("SYKEHUSET INNLANDET HF", "health_trust", "health_trust/sykehuset-innlandet-hf")
    ]
    assert _marked(nlp, "Det var SI som meldte avvik.") == [
        ("SI", "health_trust", "health_trust/sykehuset-innlandet-hf")
    ]


def test_a_name_is_a_whole_word_and_written_as_listed(nlp: Language) -> None:
    assert _marked(nlp, "Aurdalsåsen ligg høgt.") == []
    # The words of "Nord-Aurdal" with spaces around the hyphen are not that name (only "Aurdal" is listed so).
    assert _marked(nlp, "Nord - Aurdal er skrive feil.") == [("Aurdal", "municipality", "municipality/9999")]


def test_patterns_that_need_context(nlp: Language) -> None:
    assert _marked(nlp, "Avtalen med UNN HF gjeld frå 1. mars.") == [
        ("UNN", "health_trust", "health_trust/universitetssykehuset-nord-norge-hf")
    ]
    assert _marked(nlp, "UNN-modellen er kjend.") == []
    assert _marked(nlp, "Tilbodet er for skrøpeleg eldre og Skrøpelige eldre.") == [
        ("Skrøpelige eldre", "patient_group", "patient_group/skropelige-eldre")
    ]


def test_spans_already_there_are_kept(nlp: Language) -> None:
    doc = nlp.make_doc("Møtet i Sør-Aurdal vart flytta.")
    doc.spans[SPANS_KEY] = [Span(doc, 0, 1, label="meeting")]
    marked = [(s.text, s.label_) for s in _gazetteer(nlp)(doc).spans[SPANS_KEY]]
    assert marked == [("Møtet", "meeting"), ("Sør-Aurdal", "municipality")]


def test_entries_survive_to_disk_and_load(nlp: Language, tmp_path: Path) -> None:
    nlp.to_disk(tmp_path / "pipeline")
    loaded = spacy.load(tmp_path / "pipeline")
    assert _gazetteer(loaded).entries == _gazetteer(nlp).entries
    text = "Sykehuset Innlandet HF og Nord-Aurdal kommune har inngått avtale."
    assert _marked(loaded, text) == _marked(nlp, text)

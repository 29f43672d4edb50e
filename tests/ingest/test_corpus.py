"""The bundled corpus, ingested for real: parts, types, meetings, agenda items, tables, duplicates."""

from __future__ import annotations

from pathlib import Path

import pytest

from ingest.model import Document
from ingest.store import DocumentStore


def _by_source(store: DocumentStore, fragment: str) -> list[Document]:
    return [store.document(d["doc_id"]) for d in store.summaries() if fragment in d["source"]]


def test_bundled_file_splits_into_its_parts(corpus_store: DocumentStore) -> None:
    parts = _by_source(corpus_store, "vestfold-ssu-fsu-moter")
    summary = [(d.doc_type, d.date) for d in parts]
    assert summary[:4] == [
        ("innkalling", "2024-02-29"),
        ("referat", "2023-11-23"),
        ("referat", "2024-01-25"),
        ("årsmelding", "2024-02-29"),  # the draft the meeting of 29.02.24 adopts; it covers 2023
    ]
    assert [(d.doc_type, d.date) for d in parts[4:]] == [("saksfremlegg", "2024-02-29")] * 3
    assert [d.meetings[0].body for d in parts[:3]] == ["SSU", "SSU", "FSU"]
    annual = parts[3]
    assert annual.years == [2023] and "Årsmelding 2023" in annual.title
    assert all(d.fellesskap == "vestfold" for d in parts)
    assert [d.agenda_items[0].number for d in parts[4:]] == ["2024.6", "2024.7", "2024.9"]


def test_ssu_minutes_agenda_items_conclusions_and_roles(corpus_store: DocumentStore) -> None:
    minutes = next(d for d in _by_source(corpus_store, "vestfold-ssu-fsu-moter") if d.date == "2023-11-23")
    meeting = minutes.meetings[0]
    assert meeting.chair == "Frode Hestnes"
    assert meeting.minute_taker == "Runar Danielsen"
    assert meeting.place == "Nøtterøy kulturhus, Lillesalen"
    assert "Erik Norberg" in meeting.absent
    numbers = [item.number for item in meeting.agenda_items]
    assert numbers == [f"2023.{n}" for n in range(35, 46)]
    items = {item.number: item for item in meeting.agenda_items}
    assert items["2023.42"].title == "Fagutvalg for fastleger"
    assert items["2023.42"].conclusion.startswith("Det etableres et Fagutvalg for fastleger")
    assert items["2023.39"].conclusion == "Handlingsplan for 2024 godkjennes."
    assert items["2023.39"].kind == "beslutning"
    assert items["2023.35"].conclusion == "Innkalling og referat godkjennes"
    assert items["2023.44"].title == "Fordeling og lokalisering av spesialister"
    # 2023.36 says what was decided without a label: that is its conclusion.
    assert items["2023.36"].conclusion == "Referatene ble tatt til orientering"
    with_conclusion = [n for n, item in items.items() if item.conclusion]
    assert len(with_conclusion) == 11
    # Each agenda item is evidence: its passage holds its number and title.
    passages = {p.passage_id: p for p in minutes.passages}
    assert "2023.42" in passages[items["2023.42"].passage_id].text


def test_notice_has_chair_and_proposed_conclusions(corpus_store: DocumentStore) -> None:
    notice = next(d for d in _by_source(corpus_store, "vestfold-ssu-fsu-moter") if d.doc_type == "innkalling")
    meeting = notice.meetings[0]
    assert (meeting.chair, meeting.minute_taker) == ("Guro Winsvold", "Runar Danielsen")
    assert [i.number for i in meeting.agenda_items] == [f"2024.{n}" for n in range(1, 11)]
    first = meeting.agenda_items[0]
    assert first.conclusion_label == "Forslag til konklusjon"
    assert first.conclusion == "Innkalling og dagsorden godkjennes"
    assert meeting.agenda_items[2].responsible == "Liv Ristvedt, Rannveig Velken"


def test_ostfold_table_rows_are_passages_under_their_heading(corpus_store: DocumentStore) -> None:
    (plan,) = _by_source(corpus_store, "ostfold")
    assert plan.doc_type == "handlingsplan" and plan.years == [2023, 2024] and plan.fellesskap == "ostfold"
    rows = [p for p in plan.passages if p.kind == "table_row"]
    frail = next(p for p in rows if p.text.startswith("c) Skrøpelig eldre"))
    assert "«Hva er innafor»" in frail.text and "hoftebruddrapporten" in frail.text
    assert frail.section == [
        "3. INNSATSOMRÅDER DETALJERT",
        "1. Felles planlegging av tjenester til prioriterte grupper",
    ]
    chronic = next(p for p in rows if p.text.startswith("d) Personer med flere kroniske lidelser"))
    assert "egenbehandlingsplaner for kronikere" in chronic.text  # the continuation row joins its row
    capacity = next(p for p in rows if p.text.startswith("2. Felles planlegging og samarbeid om kapasitet"))
    assert capacity.section == ["3. INNSATSOMRÅDER DETALJERT"]


def test_two_renditions_of_one_plan_are_duplicates(corpus_store: DocumentStore) -> None:
    (original,) = _by_source(corpus_store, "vestfold-handlingsplan-2023.txt")
    (extract,) = _by_source(corpus_store, "pdfutdrag")
    assert original.duplicate_of is None
    assert extract.duplicate_of == original.doc_id
    # The PDF extraction's hard-wrapped lines are joined back into paragraphs.
    sentence = (
        "Gjennom utvikling av prosjektet har man valgt å fokusere på to hovedgrupper pasienter: "
        "forsterket oppfølging etter utskrivning fra sykehusopphold"
    )
    assert sentence in extract.text
    assert "er virkningsfulle\n- er trygge og sikre" in extract.text  # Symbol-font bullets became items
    others = [d for d in corpus_store.summaries() if d["duplicate_of"]]
    assert len(others) == 1


def test_passage_offsets_point_into_document_text(corpus_store: DocumentStore) -> None:
    for summary in corpus_store.summaries():
        doc = corpus_store.document(summary["doc_id"])
        assert doc.passages, doc.title
        for passage in doc.passages:
            assert doc.text[passage.start : passage.end] == passage.text


def test_types_titles_and_regions(corpus_store: DocumentStore) -> None:
    (slides,) = _by_source(corpus_store, "vestre-viken")
    assert slides.doc_type == "presentasjon"
    assert slides.fellesskap == "vestre-viken"
    assert slides.title == "Orientering om Helsefelleskapet i Vestre Viken og Ringeriksområdet"
    (plan,) = _by_source(corpus_store, "vestfold-handlingsplan-2023.txt")
    assert plan.date == "2022-10-07" and plan.years == [2023]
    assert plan.title == "Handlingsplan 2023 – Helsefelleskapet i Vestfold"


def test_fsu_minutes_close_with_their_own_unnumbered_items(corpus_store: DocumentStore) -> None:
    minutes = next(d for d in _by_source(corpus_store, "vestfold-ssu-fsu-moter") if d.date == "2024-01-25")
    titles = [(i.number, i.title) for i in minutes.meetings[0].agenda_items]
    assert titles[-3:] == [("2024.6", "Møteplan FSU"), (None, "Smittevern"), (None, "Evaluering av møtet")]
    smittevern = minutes.meetings[0].agenda_items[-2]
    assert "evaluering" not in smittevern.text.lower()


def test_annual_report_chapters_are_not_nested_under_the_overview_s_last_item(
    corpus_store: DocumentStore,
) -> None:
    annual = next(d for d in _by_source(corpus_store, "vestfold-ssu-fsu-moter") if d.doc_type == "årsmelding")
    vitality = next(p for p in annual.passages if p.section[-1:] == ["Vitality"])
    assert vitality.section == ["1. Skrøpelige eldre og multisyke", "Vitality"]


def test_hfkg_document_prints_a_conclusion_whole(
    corpus_data: Path, corpus_store: DocumentStore, capsys: pytest.CaptureFixture[str]
) -> None:
    from api.cli import main

    minutes = next(d for d in _by_source(corpus_store, "vestfold-ssu-fsu-moter") if d.date == "2023-11-23")
    assert main(["--data", str(corpus_data), "document", minutes.doc_id]) == 0
    out = capsys.readouterr().out
    printed = out.split("Sak 2023.42", 1)[1].split("Sak 2023.43", 1)[0]
    words = " ".join(printed.split())
    assert "Fastlegerepresentant i SSU starter prosess med å rekruttere 3 fastleger" in words
    assert words.endswith("planlegges behandlet i SSU i mai 2024.")

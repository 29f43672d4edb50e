"""Answers read from the text, through the real stack (ingest into a tmp data directory, whoosh,
Oxigraph), on small pages written for these tests: each kind of text a rule of the reader was made
for, in other words than the documents that prompted it."""

from __future__ import annotations

from typing import Any

import pytest

from answers import Answerer
from api.services import Services
from api.settings import Settings
from graph.queries import GraphQueries

PAGES = {
    "lister_fagrad.txt": """# source: https://example.no/lister/fagrad
# title: Fagråd for rus og psykisk helse – Listerregionen

Fagråd for rus og psykisk helse

Fagrådet gir råd til samarbeidsutvalget i Lister om tjenester til personer med rusproblemer.

Leder 2025–2026
Tormod Vassbotn, kommunalsjef, Flekkefjord kommune

Nestleder 2025–2026
Gunhild Aas Reme, avdelingssjef, Sørlandet sykehus

Sekretariat

Ingvild Tharaldsen, rådgiver, Kvinesdal kommune
""",
    "salten_kommunestyre.txt": """# source: https://example.no/salten/kommunestyre
# title: Møteinnkalling kommunestyret Gildeskål 2024

Saksliste: PS 31/24 Godkjenning av protokoll PS 32/24 Budsjettjustering for 2024 PS 33/24 Interkommunalt krisesenter i Salten PS 34/24 Referatsaker

Møteleder: Ordfører Petter Stensrud
""",
    "romerike_ambulant.txt": """# source: https://example.no/romerike/ambulant-team
# title: Ambulant akutteam for eldre på Øvre Romerike

Ambulant akutteam for eldre er en samhandlingsmodell der sykehuset og kommunene rykker ut sammen til eldre som blir akutt syke hjemme.

Teamet dekker Eidsvoll, Hurdal og Nannestad. Gjerdrum og Ullensaker har egne tilbud. Disse kommunene er derfor ikke med i teamet.

I 2024 fikk 48 pasienter hjelp av teamet, og 11 av dem ble innlagt på sykehus.

Teamet møtes til fagdag fire ganger i året.
""",
    "helgeland_lokalsjukehus.txt": """# source: https://example.no/helgeland/samarbeid
# title: Lokale samarbeidsmøter på Helgeland

Det holdes lokale samarbeidsmøter knyttet til sykehusene i Mosjøen, Sandnessjøen og Mo i Rana.
""",
    "lofoten_ssu.txt": """# source: https://example.no/lofoten/ssu
# title: Samarbeidsutvalget i Lofoten

Samarbeidsutvalget i Lofoten følger opp tjenesteavtalene. I 2025 er det nestleder Bjørn Ove Lie, klinikksjef ved Nordlandssykehuset, som kaller inn, og utvalget ledes av Eva Rønning, kommunalsjef i Vågan.

Møteplan og sakspapirer ligger på kommunenes nettsider.
""",
    "valdres_program.txt": """# source: https://example.no/valdres/brukerrad
# title: Samling 2025

Program for samlingen i brukerrådet i Valdres: 10.00 Velkommen v/ leder av FSU, Kristin Bakkerud 10.30 Erfaringer v/ Anne Mo Løkken

Rådet ledes av Sverre Haugom.
""",
    "helgeland_om.txt": """# source: https://example.no/helgeland/om
# title: Om Helsefellesskapet Helgeland

Helsefellesskapet Helgeland er samarbeidet mellom Helgelandssykehuset og kommunene Alstahaug, Brønnøy, Grane, Hemnes, Rana og Vefsn.

Den kommunale samhandlingskoordinatoren er ansatt i Vefsn kommune, som er vertskommune for stillingen.
""",
    "vestfold_plan.txt": """# source: https://example.no/vestfold/plan
# title: Tiltaksplan 2026 – Helsefellesskapet i Vestfold

Tiltak | Målgruppe | Ansvarlig | Frist
Felles rutine for sårbehandling – kommune og sykehus | Skrøpelige eldre | Larvik kommune v/ Sigrid Hovland | 01.05.2026
Opplæring i velferdsteknologi | Barn og unge | Horten kommune v/ Magne Ulvestad | 30.09.2026
""",
    "hamaroy_legevakt.txt": """# source: https://example.no/hamaroy/legevakt-og-trygghetsalarm
# title: Legevakt og trygghetsalarm i Hamarøy

Hamarøy kommune kjøper legevakt av Bodø kommune. Hamarøy betalte kr 1 204 000 for 2024. Andelen for 2025 er beregnet til kr 1 390 500.

Tallet på brukere av trygghetsalarm i Hamarøy gikk fra 126 i 2022 til 171 i 2023.
""",
    "hallingdal_kontakt.txt": """# source: https://example.no/hallingdal/kontaktpersoner
# title: Kontaktpersoner i Hallingdal

Kontaktpersoner i kommunene

Kommune | Navn | Rolle | Telefon
Hol | Randi Fossheim | Samhandlingskoordinator | 481 22 907
Ål | Knut Helling | Kommuneoverlege | 32 08 50 00
Nes | Siri Bergo Lie | Samhandlingskoordinator | 975 40 116
""",
    "vestvagoy_saksframlegg.txt": """# source: https://example.no/vestvagoy/saksframlegg-jordmor
# title: Saksframlegg – Felles jordmortjeneste i Lofoten

VESTVÅGØY KOMMUNE

Saksbehandler: Line Sørensen, rådgiver Arkiv: G21
Arkivsak-dok. 24/01873-2 Dato: 02.05.2024

FELLES JORDMORTJENESTE I LOFOTEN – AVTALE MED NORDLANDSSYKEHUSET

Kommunedirektørens forslag til vedtak:
Vestvågøy kommune slutter seg til avtalen om felles jordmortjeneste i Lofoten med Vågan som vertskommune.
""",
}


@pytest.fixture(scope="module")
def answerer(tmp_path_factory: pytest.TempPathFactory) -> Any:
    pages = tmp_path_factory.mktemp("pages")
    for name, text in PAGES.items():
        (pages / name).write_text(text, encoding="utf-8")
    data = tmp_path_factory.mktemp("data")
    with Services(Settings(data_dir=data), write=True) as services:
        reports = list(services.ingestor().run([pages]))
        assert {r.status for r in reports} == {"ingested"}, [r.line() for r in reports]
    with Services(Settings(data_dir=data)) as services:
        yield Answerer(GraphQueries(services.graph), services.search, services.documents)


def labels(response: dict[str, Any]) -> list[str]:
    return [a["label"] for a in response["answers"]]


def test_a_label_and_the_value_under_it(answerer: Answerer) -> None:
    response = answerer.ask("Hvem leder fagrådet for rus og psykisk helse i Lister?")
    assert labels(response) == ["Tormod Vassbotn"]
    answer = response["answers"][0]
    assert answer["id"] is None and answer["type"] == "person" and answer["method"] == "reading"
    assert answer["evidence"][0]["doc_id"] and "Tormod Vassbotn" in answer["evidence"][0]["text"]
    assert 0 < answer["confidence"] <= 1


def test_a_heading_heads_the_names_under_it(answerer: Answerer) -> None:
    assert labels(answerer.ask("Hvem utgjør sekretariatet for fagrådet i Lister?")) == ["Ingvild Tharaldsen"]


def test_an_agenda_run_together_is_read_case_by_case(answerer: Answerer) -> None:
    response = answerer.ask(
        "Hvilket saksnummer hadde saken om krisesenter i Salten i kommunestyret i Gildeskål?"
    )
    assert labels(response) == ["PS 33/24"]


def test_who_asks_for_a_person_and_not_the_title_before_the_name(answerer: Answerer) -> None:
    assert labels(answerer.ask("Hvem var møteleder i kommunestyret i Gildeskål?")) == ["Petter Stensrud"]


def test_municipalities_a_negated_sentence_leaves_out(answerer: Answerer) -> None:
    found = set(
        labels(answerer.ask("Hvilke kommuner dekker det ambulante akutteamet for eldre på Øvre Romerike?"))
    )
    assert {"Eidsvoll", "Hurdal", "Nannestad"} <= found
    assert not found & {"Gjerdrum", "Ullensaker"}


def test_a_count_is_the_number_of_the_noun_asked_for(answerer: Answerer) -> None:
    assert labels(answerer.ask("Hvor mange pasienter fikk hjelp av akutteamet på Øvre Romerike i 2024?"))[
        :1
    ] == ["48"]
    assert labels(
        answerer.ask("How many patients did the acute team for the elderly at Øvre Romerike help in 2024?")
    )[:1] == ["48"]
    assert labels(answerer.ask("Hvor ofte møtes akutteamet på Øvre Romerike til fagdag?")) == [
        "fire ganger i året"
    ]


def test_the_name_a_text_gives_a_model(answerer: Answerer) -> None:
    response = answerer.ask(
        "Hva kalles samhandlingsmodellen der sykehuset og kommunene rykker ut sammen til eldre?"
    )
    assert labels(response)[:1] == ["Ambulant akutteam for eldre"]


def test_hospitals_named_by_their_places(answerer: Answerer) -> None:
    found = labels(answerer.ask("Hvilke sykehus er de lokale samarbeidsmøtene på Helgeland knyttet til?"))
    assert {"Mosjøen", "Sandnessjøen"} <= set(found)


def test_the_plan_is_in_the_response(answerer: Answerer) -> None:
    response = answerer.ask("Hvem er nestleder i fagrådet i Lister?")
    assert (
        response["plan"]["asks"] == "person" and "deputyLeads" in response["plan"]["parts"][0]["predicates"]
    )
    assert labels(response) == ["Gunhild Aas Reme"]
    assert response["interpretation"].startswith("hvem er nestleder for")


def test_a_table_row_answers_by_its_column(answerer: Answerer) -> None:
    assert labels(answerer.ask("Hvem er ansvarlig for opplæring i velferdsteknologi i Vestfold?")) == [
        "Magne Ulvestad"
    ]
    assert labels(answerer.ask("Når er fristen for felles rutine for sårbehandling i Vestfold?")) == [
        "01.05.2026"
    ]


def test_the_deputy_is_no_answer_to_who_chairs(answerer: Answerer) -> None:
    assert labels(answerer.ask("Who chairs the samarbeidsutvalget in Lofoten?")) == ["Eva Rønning"]
    assert labels(answerer.ask("Hvem er nestleder i samarbeidsutvalget i Lofoten?")) == ["Bjørn Ove Lie"]


def test_a_leader_of_something_else_is_no_answer(answerer: Answerer) -> None:
    assert labels(answerer.ask("Hvem leder brukerrådet i Valdres?")) == ["Sverre Haugom"]


def test_a_plan_table_names_its_initiative_in_its_column(answerer: Answerer) -> None:
    found = labels(
        answerer.ask("Hvilke tiltak i tiltaksplanen for Vestfold retter seg mot skrøpelige eldre?")
    )
    assert "Felles rutine for sårbehandling" in found and "Opplæring i velferdsteknologi" not in found


def test_a_member_list_answers_no_question_about_another_relation(answerer: Answerer) -> None:
    response = answerer.ask(
        "Hvilken kommune er vertskommune for samhandlingskoordinatoren i Helsefellesskapet Helgeland?"
    )
    assert labels(response) == ["Vefsn"]


def test_an_archive_number_in_the_head_of_a_case_paper(answerer: Answerer) -> None:
    # The head holds none of the question's words: it is read because the kind is a head's.
    response = answerer.ask("Hva er arkivsaksnummeret til saken om felles jordmortjeneste i Lofoten?")
    assert labels(response) == ["24/01873-2"]
    evidence = response["answers"][0]["evidence"][0]
    assert evidence["doc_id"] and evidence["page"] == 1 and "Arkivsak-dok. 24/01873-2" in evidence["text"]


def test_a_figure_given_for_another_year_is_no_answer(answerer: Answerer) -> None:
    assert labels(answerer.ask("Hvor mye skal Hamarøy betale for legevakt i 2025?")) == ["kr 1 390 500"]
    assert labels(answerer.ask("Hvor mange brukere av trygghetsalarm hadde Hamarøy i 2022?"))[:1] == ["126"]
    assert labels(answerer.ask("Hvor mange brukere av trygghetsalarm hadde Hamarøy i 2023?"))[:1] == ["171"]


def test_a_phone_number_from_the_row_of_the_place_asked_about(answerer: Answerer) -> None:
    response = answerer.ask(
        "Hva er telefonnummeret til samhandlingskoordinatoren i Nes kommune i Hallingdal?"
    )
    assert labels(response)[:1] == ["975 40 116"]
    assert "Siri Bergo Lie" in response["answers"][0]["evidence"][0]["text"]

"""The question reader on its own: what is asked for, the relation words, periods — no graph, no index."""

from __future__ import annotations

import pytest

from answers.plan import asked_parts, periods, relation_words


@pytest.mark.parametrize(
    ("question", "asks"),
    [
        ("Hvem leder fagrådet for rus i Lister?", "person"),
        ("Kven var referent på møtet i samarbeidsutvalet 4. mai?", "person"),
        ("Who chairs the partnership board in Nordland?", "person"),
        ("Hvilke kommuner deltar i prosjektet Trygg utskriving?", "municipality"),
        ("Kva kommunar er med i legevaktsamarbeidet?", "municipality"),
        ("Which hospital trust is the partner of the municipalities in Salten?", "health_trust"),
        ("Hvilke utvalg har helsefellesskapet i Lofoten?", "committee"),
        ("Når ble avtalen om felles legevakt signert?", "date"),
        ("What date is the next meeting of the council?", "date"),
        ("Hvor mange kommuner inngår i samarbeidet?", "number"),
        ("Kor mange pasientar var med i piloten?", "number"),
        ("Hvor ofte møtes rådet?", "frequency"),
        ("Under hvilket saksnummer ble budsjettet behandlet?", "case_number"),
        ("Hva er arkivsaksnummeret til saken om jordmortjenesten i Vestvågøy?", "archive_number"),
        ("Kva er arkivsaka til saka om felles barnevern i Lærdal?", "archive_number"),
        ("What is the archive case number of the paper on the joint midwife service?", "archive_number"),
        ("Hva er telefonnummeret til samhandlingskoordinatoren i Hol kommune?", "phone"),
        ("Kva er telefonnummeret til legevakta i Hallingdal?", "phone"),
        ("What is the phone number of the coordinator in Nes?", "phone"),
        ("Hva ble vedtatt om akuttplasser?", "decision"),
        ("Hva kalles modellen for felles inntak?", "name"),
        ("Hvilke avtaler nevnes som eksempler?", "text"),
    ],
)
def test_the_asked_kind(question: str, asks: str) -> None:
    assert asked_parts(question)[0].asks == asks


def test_two_things_asked_in_one_question() -> None:
    parts = asked_parts("Hvor mange medlemmer har styret, og hvor ofte møtes det?")
    assert [p.asks for p in parts] == ["number", "frequency"]
    assert "ofte" in parts[1].text and "medlemmer" in parts[0].text


def test_a_typed_part_says_what_an_open_one_asks() -> None:
    parts = asked_parts("Hva sa innstillingen i saken – hvilken kommune skal være vertskommune?")
    assert [p.asks for p in parts] == ["municipality"]


def test_singular_and_plural() -> None:
    assert not asked_parts("Hvem er leder av rådet?")[0].plural
    assert not asked_parts("Hvem er kontaktperson for kommunene i Lister?")[0].plural
    assert not asked_parts("Hva sa saken – hvilken kommune blir vertskommune?")[0].plural
    assert asked_parts("Hvem er medlemmene i rådet?")[0].plural
    assert asked_parts("Hvilke kommuner er med?")[0].plural
    assert asked_parts("Hvem utgjorde sekretariatet?")[0].plural


def test_relation_words_name_predicates_of_the_registry() -> None:
    assert "leads" in relation_words("Hvem leder prosjektet?")[0]
    assert "takesMinutes" in relation_words("Kven var møtesekretær?")[0]
    assert "absentFrom" in relation_words("Who sent apologies for the meeting?")[0]
    assert "pilotedIn" in relation_words("Hvilken kommune er pilotkommune?")[0]
    assert "responsibleFor" in relation_words("Hvem var saksbehandler?")[0]


def test_years_and_periods() -> None:
    assert periods("Hvem ledet rådet i perioden 2020–2023?") == ([2020, 2023], (2020, 2023))
    assert periods("Hva skjedde i 2019?") == ([2019], None)


def test_a_hyphened_compound_asks_as_its_last_part() -> None:
    assert asked_parts("I hvilken OSU-sak ble avtalen godkjent?")[0].asks == "case_number"


def test_requests_are_questions_too() -> None:
    assert [(p.asks, p.plural) for p in asked_parts("Rams opp kommunene i samarbeidet.")] == [
        ("municipality", True)
    ]
    assert asked_parts("Finn de faglige samarbeidsutvalgene i Lofoten.")[0].asks == "committee"


def test_a_narrower_relation_stands_for_the_broader() -> None:
    from answers.plan import relation_words

    assert relation_words("Who is the deputy chair of the council?")[0] == ["deputyLeads"]
    assert relation_words("Hvilken kommune er pilotkommune?")[0] == ["pilotedIn"]


def test_words_to_search_for_are_no_question() -> None:
    assert asked_parts("mobil røntgen") == []

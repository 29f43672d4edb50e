"""Typed spans, each rule with a sentence of a kind of text (not from the documents that prompted it)."""

from __future__ import annotations

from answers.spans import case_numbers, dates, frequencies, numbers, organisations, persons


def labels(spans: list) -> list[str]:
    return [s.label for s in spans]


def test_people_by_given_name_and_in_listings() -> None:
    assert labels(persons("Møteleder var Kari Nordmann Berg, og referent Ola Haugen.")) == [
        "Kari Nordmann Berg",
        "Ola Haugen",
    ]
    # A member listing opens with the name, whatever the given name: "Name, title, organisation".
    assert labels(persons("Tormod Vassbotn, kommunalsjef, Lurøy kommune")) == ["Tormod Vassbotn"]
    assert labels(persons("Sakshandsamar: Brit Aasen Hovde Arkivsak nr.: 22/118")) == ["Brit Aasen Hovde"]
    assert persons("Strategisk samarbeidsutval, Helse Nordland") == []


def test_organisations() -> None:
    found = labels(
        organisations(
            "Sekretariatet ligger hos KS og Helse Nord-Trøndelag HF, med møter på Levanger sykehus."
        )
    )
    assert {"KS", "Levanger sykehus"} <= set(found) and any(
        f.startswith("Helse Nord-Trøndelag") for f in found
    )


def test_dates_with_and_without_year() -> None:
    assert labels(dates("Møtet er flyttet til 14. oktober 2025, deretter 3. desember.")) == [
        "14. oktober 2025",
        "3. desember",
    ]
    assert labels(dates("The board meets on 5 March 2025 and May 7.")) == ["5 March 2025", "May 7"]
    assert labels(dates("Frist 01.02.2026.")) == ["01.02.2026"]


def test_numbers_and_frequencies() -> None:
    assert [s.value for s in numbers("Rådet har ni medlemmer fra 12 kommuner i 2024.")] == ["12"]
    assert [s.value for s in numbers("I alt seks pasienter deltok.")] == ["6"]
    assert labels(frequencies("Utvalget møtes fire ganger i året, og ellers ved behov.")) == [
        "fire ganger i året"
    ]


def test_case_numbers() -> None:
    assert labels(case_numbers("I PS 14/23 og sak 2024/07 ble det vedtatt ...")) == [
        "PS 14/23",
        "sak 2024/07",
    ]
    assert labels(case_numbers("Saker 5/22-9/22 og 2023.17")) == ["5/22", "9/22", "2023.17"]


def test_archive_numbers_in_a_case_papers_head() -> None:
    from answers.spans import archive_numbers

    # The heads of case papers as archive systems print them (Elements, ePhorte, Acos), from other
    # municipalities than the ones whose papers prompted the finder.
    head = (
        "Saksbehandler: Line Sørensen Arkiv: 033 Arkivsak-dok. 22/01234-5\n"
        "Vår ref.: 2024/1873 Deres ref.: Dato: 02.05.2024\nArkivsak: 24/01873"
    )
    assert [s.label for s in archive_numbers(head)] == ["22/01234-5", "2024/1873", "24/01873"]
    # A meeting's case number and a date are no archive numbers.
    assert archive_numbers("Sak 12/24 Felles jordmortjeneste, behandlet 14.03.2024, PS 31/24") == []


def test_phone_numbers_as_contact_lists_write_them() -> None:
    from answers.spans import phones

    # A Hallingdal contact page, another region than the pages that prompted the finder.
    text = "Sentralbord 32 08 50 00 · mobil 480 12 345 · +47 91342118 · kr 1 298 400 · sak 24/01873"
    assert [s.label for s in phones(text)] == ["32 08 50 00", "480 12 345", "+47 91342118"]

"""A plan's period and adoption, read as plans write them, and the date a bundled paper takes from its
meeting. Each pattern is tried on sentences from documents other than the one that prompted it (the
other-regions sets and the real pages beside them), bokmål, nynorsk and English."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from ingest.model import Document
from ingest.normalise import normalise
from ingest.readers.base import read_file
from ingest.segment import segment
from ingest.segment.dates import adoption_in, period_in, years_named

DATA = Path(__file__).resolve().parents[1] / "data"
CORPUS = Path(__file__).resolve().parents[2] / "corpus"


@pytest.mark.parametrize(
    ("sentence", "period"),
    [
        # "for perioden" (prompted by Østfold's plan) in Nordland's and Helgeland's papers
        (
            "Ledervervet går over til Nordlandssykehuset HF for perioden 2025–2026, med kommunene",
            (2025, 2026),
        ),
        ("I perioden 2024–2025 ledes SSU av kommunene ved Marit Sørvik Hanssen", (2024, 2025)),
        ("Strategien gjelder for strategiperioden 2025–2028.", (2025, 2028)),
        # a period with its days, and "gjelder fra" with a day (Finnmark's pilot, Møre og Romsdal's routine)
        ("Pilotperiode:       1. mars 2022 – 31. desember 2023 (forlenget ut 2024)", (2022, 2023)),
        (
            "Revidert rutine ble godkjent i SSU 15.02.2024, sak 04/2024, og gjelder fra 1. mars 2024.",
            (2024, 2024),
        ),
        ("2. Avtalen gjelder fra 1. september 2024 og erstatter avtalen om felles legevakt", (2024, 2024)),
        ("Vedtak: OSU slutter seg til planen. Planen iverksettes fra 1. januar 2025.", (2025, 2025)),
        # nynorsk and the short end year
        ("Planen gjeld frå 1. januar 2024 til 2026.", (2024, 2026)),
        ("Handlingsplanen er gjeldande for perioden 2023–26. Han vert revidert årleg.", (2023, 2026)),
        ("Planperiode: 2024 – 2027", (2024, 2027)),
        ("The plan applies for the period 2024–2027.", (2024, 2027)),
    ],
)
def test_period_cues(sentence: str, period: tuple[int, int]) -> None:
    found = period_in(sentence)
    assert found is not None and found[0] == period


@pytest.mark.parametrize(
    "sentence",
    [
        "så ble det i perioden fra slutten av november 2023 og frem til midten av januar 2024 gjennomført",
        "Strategidokument for samarbeidet mellom partene i Helsefelleskapet for perioden 2023-2038?",
        "pasientforløp ikke vil bli mindre vektlagt i kommende planperiode.",
        "Gjeldande avtale går ut 31.12.2023.",
    ],
)
def test_no_period_where_none_is_stated(sentence: str) -> None:
    assert period_in(sentence) is None


@pytest.mark.parametrize(
    ("sentence", "day", "body_words"),
    [
        # "Behandlet og vedtatt i partnerskapsmøtet" (Vestfold) as Agder, Bergen, Kongsberg, Ahus and
        # Innlandet write it
        ("Partnerskapsmøtet vedtok planen 14.12.2023.", date(2023, 12, 14), "Partnerskapsmøtet"),
        (
            (
                "Handlingsplanen er vedtatt av Strategisk samarbeidsutvalg (SSU) 28. november 2024, sak 41/24, "
                "og bygger på Utviklingsplan for Helsefellesskapet Agder 2024–2027."
            ),
            date(2024, 11, 28),
            "Strategisk samarbeidsutvalg",
        ),
        (
            "Vedteken i Strategisk samarbeidsutval (SSU) 12. desember 2023, sak 31/23. Planen vert revidert årleg.",
            date(2023, 12, 12),
            "samarbeidsutval",
        ),
        ("Behandlet og godkjent i LSU 14.03.2024", date(2024, 3, 14), "LSU"),
        ("Behandlet i Strategisk samarbeidsutvalg (SSU) 6. mars 2024, sak 05/24", date(2024, 3, 6), "SSU"),
        ("Vedtatt i Strategisk samarbeidsutvalg 7. mars 2024", date(2024, 3, 7), "samarbeidsutvalg"),
    ],
)
def test_adoption_cues(sentence: str, day: date, body_words: str) -> None:
    found = adoption_in(sentence)
    assert found is not None
    assert found[0] == day and body_words in found[1]


def test_no_adoption_across_a_sentence_or_without_a_date() -> None:
    assert adoption_in("Handlingsplanen ble vedtatt. Neste møte er 12.03.2024.") is None
    assert adoption_in("Helsefellesskapet vedtok en handlingsplan for perioden 2021-2022 som beskrev") is None


def test_years_named_in_titles() -> None:
    assert years_named("Strategi 2025–2028") == [2025, 2026, 2027, 2028]
    assert years_named("Handlingsplan 2024 – 2027") == [2024, 2025, 2026, 2027]


def _documents(path: Path) -> list[Document]:
    raw, data = read_file(path, max_bytes=50 * 1_048_576)
    return segment(raw, normalise(raw), data)


def _only(path: Path) -> Document:
    (doc,) = _documents(path)
    return doc


def test_a_plan_for_2023_adopted_in_2022_stands_under_2023() -> None:
    doc = _only(CORPUS / "vestfold-handlingsplan-2023.txt")
    assert (doc.period_start, doc.period_end) == (2023, 2023) and doc.years == [2023]
    assert doc.adopted == doc.date == "2022-10-07" and doc.adopted_by == "Partnerskapsmøte"
    assert doc.year == 2023
    adopted = next(p for p in doc.passages if p.passage_id == doc.fact_passages["adopted"])
    assert "07.10.2022" in adopted.text
    assert doc.summary()["period_start"] == 2023 and doc.summary()["adopted"] == "2022-10-07"


def test_a_two_year_plan_covers_both_years() -> None:
    doc = _only(CORPUS / "ostfold-handlingsplan-2023-2024.txt")
    assert (doc.period_start, doc.period_end, doc.years, doc.year) == (2023, 2024, [2023, 2024], 2023)


def test_other_regions_plans_are_dated_by_their_adoption_not_by_a_deadline() -> None:
    # Agder's plan for 2025: a table's "Frist 31.12.2025" on its first page is no date of the plan
    agder = _only(DATA / "other-regions-4" / "agder_handlingsplan_2025.txt")
    assert (agder.period_start, agder.period_end, agder.adopted, agder.date) == (
        2025,
        2025,
        "2024-11-28",
        "2024-11-28",
    )
    assert agder.adopted_by == "SSU" and agder.year == 2025
    hardwrapped = _only(DATA / "agder-handlingsplan-hardwrapped.txt")
    assert (hardwrapped.period_start, hardwrapped.period_end, hardwrapped.adopted) == (
        2024,
        2025,
        "2023-12-14",
    )
    ahus = _only(DATA / "other-regions-2" / "arsmelding-2023-helsefellesskapet-ahus.txt")
    assert (ahus.period_start, ahus.year, ahus.adopted, ahus.adopted_by) == (2023, 2023, "2024-03-06", "SSU")


def test_papers_bundled_with_a_meeting_take_its_date() -> None:
    docs = _documents(CORPUS / "vestfold-ssu-fsu-moter-arsmelding-2023-2024.txt")
    by_title = {d.title: d for d in docs}
    notice = by_title["Innkalling SSU 29.02.2024"]
    assert notice.date == "2024-02-29"
    # the minutes of earlier meetings keep their own dates
    assert by_title["Referat SSU 23.11.2023"].date == "2023-11-23"
    assert by_title["Referat FSU 25.01.2024"].date == "2024-01-25"
    papers = [d for d in docs if d.doc_type == "saksfremlegg"]
    assert len(papers) == 3
    for paper in papers:
        assert paper.date == "2024-02-29" and paper.meetings[0].date == "2024-02-29" and paper.years == [2024]
    # the draft annual report for 2023 goes to the meeting of 29.02.24: that is its date, 2023 its year
    report = next(d for d in docs if d.doc_type == "årsmelding")
    assert report.date == "2024-02-29" and report.year == 2023 and report.years == [2023]


def test_a_case_paper_takes_the_date_of_the_meeting_whose_agenda_has_its_case(tmp_path: Path) -> None:
    # Minutes of 12.03 and a notice of 16.04, then a case paper for sak 2024/05 of the 12.03 meeting
    text = (
        "Referat SSU\n\nDato/sted\t12.03.2024, Molde\nMøteleder\tKari Nordmann\n\n"
        "Saksnr.\tTema\n2024/05\tBudsjett for samhandling\n2024/06\tEventuelt\n\n"
        + "Referatet er godkjent av møteleder og sendt ut til alle partene i samarbeidet. "
        * 6
        + "\n\nInnkalling SSU\n\nDato/sted\t16.04.2024, Ålesund\nMøteleder\tKari Nordmann\n\n"
        "Saksnr.\tTema\n2024/07\tRapport fra fagrådet\n2024/08\tEventuelt\n\n"
        + "Sakspapirene følger vedlagt og skal leses før møtet av alle som deltar. " * 6
        + "\n\nSaksnr:\tMøteorgan:\tType sak\tSaksbehandler\n2024/05\tSSU\tBeslutning\tOla Nordmann\n\n"
        + "# Budsjett for samhandling\n\n"
        + "Forslag til vedtak: Budsjettet godkjennes slik det er lagt fram for utvalget. " * 6
    )
    path = tmp_path / "ssu-mars.txt"
    path.write_text(text, encoding="utf-8")
    docs = _documents(path)
    paper = next(d for d in docs if d.doc_type == "saksfremlegg")
    assert paper.agenda_items[0].number == "2024/05"
    assert paper.date == paper.meetings[0].date == "2024-03-12"

"""The name rules on sentences written the way secretariats write them, bokmål and nynorsk, from
helsefellesskap the bundled corpus does not cover: what each rule must find, and what it must not."""

from __future__ import annotations

import pytest

from ingest.extract.names import committees, data_rules, initiatives
from ingest.model import Document
from ingest.store import DocumentStore
from tests.conftest import make_ingestor


def _ingested(tmp_path, write, name: str, text: str) -> Document:  # type: ignore[no-untyped-def]
    """The one document a small text file becomes, through the real ingest."""
    data = tmp_path / "data"
    (report,) = list(make_ingestor(data).run([write(name, text.encode())]))
    assert report.status == "ingested", report.line()
    return DocumentStore(data).document(report.doc_ids[0])


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            (
                "«Hjemme med trygghet» er et samhandlingsprosjekt i Gjøvikregionen. Prosjektet kombinerer en felles "
                "funksjonskartlegging ved innleggelse."
            ),
            ["Hjemme med trygghet"],
        ),
        (
            "TeleNord er et innovasjonsprosjekt der personer med flere kroniske lidelser følges opp hjemme.",
            ["TeleNord"],
        ),
        (
            "«Valdresmodellen» er et integrert ambulant tilbud der DPS Valdres og kommunene arbeider i ett team.",
            ["Valdresmodellen"],
        ),
        ("Sak 12/24 Felles inntaksteam for barn og unge (FIT-BU) på Søre Sunnmøre", ["FIT-BU"]),
        ("Sak 13/24 Ambulant rus- og psykiatriteam Nordmøre (ARP Nordmøre)", ["ARP Nordmøre"]),
        (
            "Vedtak: SSU støtter etablering av Akutteam Nord-Troms med oppstart 1. oktober 2024.",
            ["Akutteam Nord-Troms"],
        ),
        ("«FACT Dalane» er eit ambulant team for vaksne.", ["FACT Dalane"]),
        # Common nouns, pronouns and services are not initiatives.
        ("Tiltaket er eit tilbod til alle kommunane. Det er et prosjekt med god framdrift.", []),
        ("Prosjektet kombinerer kartlegging og oppfølging.", []),
        ("Ordninga med praksiskonsulentordningen (PKO) held fram.", []),
    ],
)
def test_initiative_rules(text: str, expected: list[str]) -> None:
    assert sorted({c.label for c in initiatives(text, [], [], data_rules())}) == sorted(expected)


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Fagleg samarbeidsutval for eldre og personar med fleire kroniske sjukdomar har utarbeidd framlegg.",
            "Fagleg samarbeidsutval for eldre og personar med fleire kroniske sjukdomar",
        ),
        (
            "Det faglige samarbeidsutvalget for psykisk helse og rus har fått ny leder.",
            "Faglig samarbeidsutvalg for psykisk helse og rus",
        ),
        (
            "Fagleg samarbeidsutval for barn og unge følgjer opp saka.",
            "Fagleg samarbeidsutval for barn og unge",
        ),
    ],
)
def test_faglig_samarbeidsutvalg_is_named_as_written(text: str, expected: str) -> None:
    labels = {c.label for c in committees(text, data_rules())}
    assert expected in labels
    assert "Arbeidsutvalg (AU)" not in labels  # not inside "samarbeidsutval"


MINUTES = """Referat fra møte i strategisk samarbeidsutvalg (SSU), Helsefellesskapet Innlandet

Møtedato: 12.03.2024
Stad: Molde sjukehus
Møteleder: Bente Isaksen Lund, Harstad kommune
Referent: Bjørn Atle Grimstad, Gjøvik kommune

Sak 4/24 Akutteam
Kommunene i Nord-Troms regionråd (Lyngen, Storfjord, Kåfjord, Skjervøy, Nordreisa og Kvænangen) har utredet et
felles akutteam.

Sak 5/24 Sør-Østerdal
Deltakende kommuner er Elverum, Trysil, Åmot, Stor-Elvdal, Engerdal og Våler.
"""


def test_places_in_names_labels_and_shared_names(tmp_path, write) -> None:  # type: ignore[no-untyped-def]
    doc = _ingested(tmp_path, write, "referat.txt", MINUTES)
    municipalities = {e.id: e.label for e in doc.entities if e.type == "municipality"}
    labels = set(municipalities.values())
    assert not labels & {"Lund", "Grimstad", "Stad"}  # surnames and the nynorsk field label
    assert {"Harstad", "Gjøvik", "Lyngen", "Kvænangen", "Elverum"} <= labels
    assert (
        "municipality/3419" in municipalities and "municipality/3114" not in municipalities
    )  # Våler, Innlandet
    council = next(e for e in doc.entities if e.label == "Nord-Troms regionråd")
    members = {r.subject for r in doc.relations if r.predicate == "memberOf" and r.object == council.id}
    assert {municipalities[m] for m in members} == {
        "Lyngen",
        "Storfjord",
        "Kåfjord",
        "Skjervøy",
        "Nordreisa",
        "Kvænangen",
    }


UNN = """Referat fra møte i strategisk samarbeidsutvalg (SSU), Helsefellesskapet UNN

Møtedato: 7. februar 2024
Møteleder: Siri Johansen Nilsen, Senja kommune

Saker

PS 5/2024 Barnekoordinator Midt-Troms
Midt-Troms har søkt om å etablere en felles barnekoordinator for barn og unge med alvorlig sykdom. Deltakende
kommuner er Senja, Målselv, Bardu, Sørreisa og Dyrøy. Senja kommune er pilotkommune.
Vedtak: SSU anbefaler at ordningen prøves ut i to år.

OSU-sak 6/2024 Orienteringssaker
Ny tjenesteavtale er på høring.
Vedtak: Orienteringssakene tas til orientering.
"""


def test_ps_and_osu_cases_and_an_initiative_named_by_its_case(tmp_path, write) -> None:  # type: ignore[no-untyped-def]
    doc = _ingested(tmp_path, write, "unn.txt", UNN)
    assert [(a.number, a.title) for a in doc.agenda_items] == [
        ("5/2024", "Barnekoordinator Midt-Troms"),
        ("6/2024", "Orienteringssaker"),
    ]
    initiative = next(e for e in doc.entities if e.type == "initiative")
    assert initiative.label == "Barnekoordinator Midt-Troms"
    assert not any(e.label in ("Saker", "Orienteringssaker") for e in doc.entities)
    municipalities = {e.id: e.label for e in doc.entities}
    pilots = {municipalities[r.object] for r in doc.relations if r.predicate == "pilotedIn"}
    assert pilots == {"Senja"}


REGIONS = (
    "Årsmelding 2023 for Helsefellesskapet Innlandet\n\n## Regionale samarbeidsutvalg\n\n"
    "Regionalt samarbeidsutvalg\tMedlemskommuner\n"
    "Valdres\tNord-Aurdal, Sør-Aurdal, Etnedal, Vestre Slidre, Øystre Slidre og Vang\n"
    "Hadeland\tGran, Lunner\n\n## Tiltak\n\n"
    "Tiltak\tAnsvar\nAnsvar\tGjøvik, Østre Toten\n"
)


def _members(doc: Document, group: str) -> set[str]:
    labels = {e.id: e.label for e in doc.entities}
    return {
        labels[r.subject]
        for r in doc.relations
        if r.predicate == "memberOf" and labels.get(r.object) == group
    }


def test_a_table_of_regions_and_their_municipalities(tmp_path, write) -> None:  # type: ignore[no-untyped-def]
    doc = _ingested(tmp_path, write, "arsmelding.md", REGIONS)
    assert _members(doc, "Valdres") == {
        "Nord-Aurdal",
        "Sør-Aurdal",
        "Etnedal",
        "Vestre Slidre",
        "Øystre Slidre",
        "Vang",
    }
    assert _members(doc, "Hadeland") == {"Gran", "Lunner"}
    assert not any(e.label == "Ansvar" for e in doc.entities)


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Mobilt geriatrisk team ble startet som et pilotprosjekt i 2023 med Notodden kommune.",
            ["Mobilt geriatrisk team"],
        ),
        ("Prosjektleiar for Heim til kvardag er Bjarte Rykkje, Voss herad.", ["Heim til kvardag"]),
        ("Det nye teamet er et tilbud til alle.", []),
    ],
)
def test_more_initiative_definitions(text: str, expected: list[str]) -> None:
    assert sorted({c.label for c in initiatives(text, [], [], data_rules())}) == expected


@pytest.mark.parametrize(
    "text,expected",
    [
        (
            "Faglege samarbeidsutval: FSU psykisk helse og rus, FSU barn og unge og FSU akuttmedisin.",
            {"FSU psykisk helse og rus", "FSU barn og unge", "FSU akuttmedisin"},
        ),
        ("Saka vart send til FSU. FSU godkjennes. FSU Orientering.", set()),
        (
            "KAD-samarbeidet omfatter kommunene i Vest-Telemarkrådet. Eldrerådet møttes.",
            {"Vest-Telemarkrådet"},
        ),
    ],
)
def test_fsu_lists_and_councils(text: str, expected: set[str]) -> None:
    found = {
        c.label
        for c in committees(text, data_rules())
        if c.kind in ("samarbeidsutvalg", "interkommunalt samarbeid")
    }
    assert found == expected


FONNA = (
    "PROTOKOLL\n\nMøte i Strategisk samarbeidsutval (SSU) – Helsefellesskapet Helse Fonna\n\n"
    "Møtedato\t14. mars 2024\nMøteleiar\tRagnhild Eik Tveit, Tysvær kommune\n"
    "Frå sekretariatet\tLene Vikanes (referent) og Øystein Steinsland\n\n## Til stades og forfall\n\n"
    "Namn\tRepresenterer\tRolle\tOppmøte\n"
    "Ragnhild Eik Tveit\tTysvær kommune\tLeiar\tTil stades\n"
    "Arve Mjelde\tKarmøy kommune\tMedlem\tForfall\n"
    "Torleiv Vestbø\tKvinnherad kommune\tMedlem\tForfall\n\n"
    "Sak 08/24 Godkjenning av innkalling\n\nVedtak: Innkallinga vart godkjend.\n"
)


def test_attendance_table_and_annotated_minute_taker(tmp_path, write) -> None:  # type: ignore[no-untyped-def]
    (meeting,) = _ingested(tmp_path, write, "protokoll.md", FONNA).meetings
    assert meeting.minute_taker == "Lene Vikanes"
    assert meeting.absent == ["Arve Mjelde", "Torleiv Vestbø"]
    assert meeting.present == ["Ragnhild Eik Tveit"]


AHUS = (
    "## 2. Organisering\n\nHelsefellesskapet har tre distriktsvise samarbeidsutvalg (DSU):\n\n"
    "- DSU Follo: Enebakk, Frogn, Nesodden, Nordre Follo og Ås\n"
    "- DSU Romerike: Lillestrøm, Lørenskog og Rælingen\n\n## 3. Tiltak\n\n"
    "- ROP-team Øvre Romerike: for personer med alvorlige psykiske lidelser og rusproblemer\n"
)


def test_listed_districts_and_listed_teams(tmp_path, write) -> None:  # type: ignore[no-untyped-def]
    doc = _ingested(tmp_path, write, "arsmelding.md", AHUS)
    assert _members(doc, "DSU Follo") == {"Enebakk", "Frogn", "Nesodden", "Nordre Follo", "Ås"}
    team = next(e for e in doc.entities if e.type == "initiative")
    assert team.label == "ROP-team Øvre Romerike"

"""A small real index: documents built from sentences of the bundled corpus (Helsefelleskapet i
Vestfold: action plan 2023, SSU minutes 23.11.23, FSU minutes 25.01.24, annual report 2023), plus a
nynorsk document in the style of Helse Førde's minutes."""

from __future__ import annotations

from ingest.model import AgendaItem, Document, Meeting, Passage

VESTFOLD = ("vestfold", "Helsefelleskapet i Vestfold")


def passage(
    doc_id: str, n: int, text: str, section: list[str], page: int = 1, kind: str = "paragraph"
) -> Passage:
    return Passage(f"{doc_id}-p{n}", doc_id, page, section, text, 0, len(text), kind)


def annual_report() -> Document:
    doc = Document(
        "arsmelding-2023",
        "Årsmelding 2023 Helsefelleskapet i Vestfold",
        "årsmelding",
        "arsmelding.pdf",
        *VESTFOLD,
        date="2024-02-29",
        years=[2023],
    )
    doc.passages = [
        passage(
            doc.doc_id,
            1,
            "Fagutvalget vil i 2024 fokusere på tiltak som kan reduserer unødvendige innleggelse "
            "i sykehus. Mulighet for forbedring på følgende områder er konkretisert og vil utredes i 2024: "
            "Bruk av mobil røntgen og bruk av ØHD.",
            ["Fagutvalg for akuttkjeden"],
            page=14,
        ),
        passage(
            doc.doc_id,
            2,
            "Prosjektet digital hjemmeoppfølging fikk tildelt midler høsten 2022 og en "
            "arbeidsgruppe ble etablert.",
            ["Digitale tjenester"],
            page=16,
        ),
        passage(
            doc.doc_id,
            3,
            "Eksisterende arbeidsform og IKT verktøy for registrering og behandling av "
            "samhandlingsavvik i Helsefelleskapet er arbeidskrevende og fungerer ikke tilfredsstillende, med "
            "manuelle rutiner for innmelding og behandling av data",
            ["Kvalitet"],
            page=20,
        ),
        passage(
            doc.doc_id,
            4,
            "Det ble i SSU i november 2023 bestemt etablering av «Fagutvalg for fastleger». "
            "Fagutvalget vil arbeide med konkretisering av hvordan Helsefellesskapet kan bidra med tiltak for å "
            "fremme stabilitet, kompetanse, kvalitet og god samlet ressursutnyttelse i fastlegeordningen.",
            ["Fagutvalg for fastleger"],
            page=21,
        ),
    ]
    return doc


def fsu_minutes() -> Document:
    doc = Document(
        "fsu-2024-01-25",
        "Referat Faglig samarbeidsutvalg (FSU) 25.01.24",
        "referat",
        "fsu.pdf",
        *VESTFOLD,
        date="2024-01-25",
        years=[2024],
    )
    doc.passages = [
        passage(
            doc.doc_id,
            1,
            "Fagutvalg for akuttkjeden, mandat, akuttforum, fagseminar 1.februar "
            "(Akuttkonferanse) Runar orienterer om konkretisering av arbeidet i Fagutvalg for akuttkjeden. Det "
            "er satt ned en arbeidsgruppe som ser på utnyttelse av ØHD-plasser og bruk av mobilt rtg.",
            ["Sak 2024.2", "Fagutvalg for akuttkjeden"],
            page=2,
            kind="list",
        ),
        passage(
            doc.doc_id,
            2,
            "Samhandlingsavvik, digital løsning, arbeidsgruppe og status. Runar presenterer "
            "internt forbedringsarbeid i SiV for å gjøre samhandlingsavvik mulig å behandle elektronisk innad i "
            "SiV.",
            ["Sak 2024.2"],
            page=2,
            kind="list",
        ),
        passage(
            doc.doc_id,
            3,
            "For elektronisk avviksmelding mellom kommuner og Sykehus avventes resultater fra "
            "prosjekt i Helsefelleskapet i Agder. Avvik skal meldes i felles løsning.",
            ["Sak 2024.2"],
            page=2,
        ),
    ]
    doc.meetings = [
        Meeting(
            "FSU",
            "2024-01-25",
            agenda_items=[
                AgendaItem(
                    "2024.4",
                    "Handlingsplan 2024, pågående samhandlingsprosjekter",
                    "orientering",
                    page=3,
                    text="Orientering om tiltak i prosjektene og avklaring av dialog/rapport til FSU",
                ),
            ],
        )
    ]
    return doc


def ssu_minutes() -> Document:
    doc = Document(
        "ssu-2023-11-23",
        "Referat SSU 23.11.23",
        "referat",
        "ssu.pdf",
        *VESTFOLD,
        date="2023-11-23",
        years=[2023],
    )
    doc.passages = [
        passage(
            doc.doc_id,
            1,
            "Skal vi etablere fagutvalg for fastleger og hvordan bør det eventuelt organiseres? "
            "Konklusjon: Det etableres et Fagutvalg for fastleger, bestående av 2 representanter fra PKO, 3 "
            "fastleger valgt av fastlegene selv, 3 representanter fra kommunene med linjelederansvar for "
            "fastlegene, og 2 representanter fra Sykehuset i Vestfold med linjelederansvar.",
            ["2023.42 Fagutvalg for fastleger"],
            page=5,
            kind="agenda_item",
        ),
        passage(
            doc.doc_id,
            2,
            "Fagutvalg for HR gjennomførte sitt første møte 29. september 2023. Fagutvalget var "
            "forelagt et utkast til mandat som ble diskutert.",
            ["2023.37 Fagutvalg HR"],
            page=3,
            kind="agenda_item",
        ),
        passage(
            doc.doc_id,
            3,
            "Konkret ble det forslått å måle på bruk av røntgen bil, arbeide med felles "
            "kompetanseløft, fokusere på behandlingsavklaringer for å unngå unødvendige innleggelser.",
            ["2023.39 Godkjenning av Handlingsplan for Helsefellesskapet, 2024"],
            page=4,
            kind="agenda_item",
        ),
    ]
    doc.meetings = [
        Meeting(
            "SSU",
            "2023-11-23",
            agenda_items=[
                AgendaItem(
                    "2023.37",
                    "Fagutvalg HR",
                    "orientering",
                    conclusion="Orienteringen ble tatt til etterretning. En beslutning om Fagutvalgets mandat "
                    "fremlegges SSU 29. februar 2024.",
                    conclusion_label="Konklusjon",
                    page=3,
                    passage_id=f"{doc.doc_id}-p2",
                    text="Fagutvalg for HR gjennomførte sitt første møte 29. september 2023.",
                ),
                AgendaItem(
                    "2023.39",
                    "Godkjenning av Handlingsplan for Helsefellesskapet, 2024",
                    "beslutning",
                    conclusion="Handlingsplan for 2024 godkjennes.",
                    conclusion_label="Konklusjon",
                    page=4,
                    passage_id=f"{doc.doc_id}-p3",
                    text="Utkast til handlingsplan for 2024 ble presentert.",
                ),
                AgendaItem(
                    "2023.42",
                    "Fagutvalg for fastleger",
                    "diskusjon",
                    conclusion="Det etableres et Fagutvalg for fastleger, bestående av 2 representanter fra PKO, 3 "
                    "fastleger valgt av fastlegene selv, 3 representanter fra kommunene med linjelederansvar for "
                    "fastlegene, og 2 representanter fra Sykehuset i Vestfold med linjelederansvar.",
                    conclusion_label="Konklusjon",
                    page=5,
                    passage_id=f"{doc.doc_id}-p1",
                    text="Skal vi etablere fagutvalg for fastleger og hvordan bør det eventuelt organiseres?",
                ),
            ],
        )
    ]
    return doc


def action_plan() -> Document:
    doc = Document(
        "handlingsplan-2023",
        "Handlingsplan 2023",
        "handlingsplan",
        "plan.pdf",
        *VESTFOLD,
        date="2022-10-07",
        years=[2023],
    )
    doc.passages = [
        passage(
            doc.doc_id,
            1,
            "Nasjonal helse- og sykehusplan prioriterer disse pasientgruppene i "
            "helsefellesskapene: Personer med alvorlige psykiske lidelser og rusproblemer, Skrøpelige eldre, "
            "Barn og unge, Personer med flere kroniske lidelser.",
            ["Innledning og bakgrunn"],
            page=1,
        ),
        passage(
            doc.doc_id,
            2,
            "Gjennom utvikling av prosjektet har man valgt å fokusere på to hovedgrupper "
            "pasienter: forsterket oppfølging etter utskrivning fra sykehusopphold, samt etablering av et "
            "helsestasjonstilbud med tilbud om utvidet kartlegging av eldre som søker om kommunale "
            "omsorgstjenester. Tiltakene startet opp i samarbeid mellom Larvik kommune og SiV i 2022. "
            "Målgruppen er skrøpelige eldre.",
            ["Skrøpelige eldre"],
            page=3,
        ),
        passage(
            doc.doc_id,
            3,
            "Innenfor helsefellesskapet vil Strategisk samarbeidsutvalg få en sentral rolle i "
            "oppfølging av mulige tiltak som ligger innenfor helsefellesskapets ansvarsområde.",
            ["Rekruttering"],
            page=6,
        ),
    ]
    return doc


def nynorsk_minutes() -> Document:
    doc = Document(
        "forde-2023-05",
        "Protokoll frå partnarskapsmøtet 2023",
        "referat",
        "forde.pdf",
        "forde",
        "Helsefellesskapet Helse Førde",
        date="2023-05-12",
        years=[2023],
    )
    doc.passages = [
        passage(
            doc.doc_id,
            1,
            "Partnarskapsmøtet drøfta korleis kommunane og sjukehuset kan gje betre tenester "
            "til skrøpelege eldre, og kven som skal ha ansvaret når pasientane vert skrivne ut.",
            ["Sak 05/23 Skrøpelege eldre"],
            page=2,
        ),
        passage(
            doc.doc_id,
            2,
            "Det strategiske samarbeidsutvalet har ikkje vedteke nokon ny modell for "
            "fastlegane si deltaking i helsefellesskapet.",
            ["Sak 06/23 Fastlegar"],
            page=3,
        ),
    ]
    return doc


def all_documents() -> list[Document]:
    return [annual_report(), fsu_minutes(), ssu_minutes(), action_plan(), nynorsk_minutes()]

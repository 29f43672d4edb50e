"""Minutes as a PDF lays them out: lines set tight with no blank line between a field and the next,
justified paragraphs, a two-column table, running header and footer on both pages. The layout
decides the structure, as it does for a reader of the printed page."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.readers.layout import tidy_layout
from ingest.store import DocumentStore
from tests.conftest import make_ingestor

HEADER = "Helsefellesskapet Møre og Romsdal - Protokoll SSU 12.03.2024"
JUSTIFIED = (
    "Fagleg samarbeidsutval for eldre har utarbeidd framlegg til handlingsplan for skrøpelege eldre. "
    "Hovudtiltaket er «Trygg heim», ein modell for tverrfagleg oppfølging av skrøpelege eldre dei første "
    "30 dagane etter utskriving frå sjukehus, med felles kartlegging og heimebesøk innan 48 timar."
)


def _minutes_pdf() -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)

    def page(number: int) -> None:
        pdf.add_page()
        pdf.set_font("Helvetica", size=10)
        pdf.set_xy(15, 10)
        pdf.cell(0, 5, HEADER)
        pdf.set_xy(15, 282)
        pdf.cell(0, 5, f"Side {number} av 2")
        pdf.set_y(25)

    def line(text: str, gap: float = 0) -> None:
        pdf.set_x(15)
        pdf.cell(0, 5, text, new_x="LMARGIN", new_y="NEXT")
        if gap:
            pdf.ln(gap)

    page(1)
    line("PROTOKOLL", 4)
    line("Møtedato: 12.03.2024, kl. 10.00-14.30")
    line("Stad: Molde sjukehus, møterom Romsdalsfjorden / Teams")
    line("Møteleiar: Ingrid Hatlebakk Sæther, kommunedirektør i Ålesund kommune (leiar i SSU) og meir")
    line("Referent: Marit Lillebø Gjerde, sekretariatet for Helsefellesskapet Møre og Romsdal", 4)
    line("Sak 11/24 Handlingsplan for skrøpelege eldre 2024-2025 - tiltaket")
    line("«Trygg heim»")
    pdf.set_x(15)
    pdf.multi_cell(150, 5, JUSTIFIED, align="J", new_x="LMARGIN", new_y="NEXT")
    line("Vedtak: SSU sluttar seg til handlingsplanen og tiltaket «Trygg heim».", 4)
    for region, members in (
        ("Romsdal", "Molde, Aukra, Vestnes, Rauma"),
        ("Nordmøre", "Kristiansund, Averøy, Gjemnes"),
    ):
        pdf.set_x(15)
        pdf.cell(50, 5, region)
        pdf.cell(0, 5, members, new_x="LMARGIN", new_y="NEXT")
    page(2)
    line("Sak 12/24 Felles inntaksteam for barn og unge (FIT-BU) på Søre Sunnmøre")
    line("Fagleg samarbeidsutval for barn og unge har føreslått eit felles inntaksteam for barn og unge.")
    line("Vedtak: SSU støttar oppstart av FIT-BU frå hausten 2024.")
    return bytes(pdf.output())


def test_minutes_pdf_keeps_fields_cases_and_table_apart(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    data = tmp_path / "data"
    (report,) = list(make_ingestor(data).run([write("protokoll.pdf", _minutes_pdf())]))
    assert report.status == "ingested", report.line()
    doc = DocumentStore(data).document(report.doc_ids[0])
    (meeting,) = doc.meetings
    assert meeting.chair and meeting.chair.startswith("Ingrid Hatlebakk Sæther")
    assert meeting.minute_taker and meeting.minute_taker.startswith("Marit Lillebø Gjerde")
    assert meeting.date == "2024-03-12"
    items = {item.number: item for item in doc.agenda_items}
    assert set(items) == {"11/24", "12/24"}
    assert items["11/24"].title.endswith("tiltaket «Trygg heim»")  # the wrapped title, and only it
    assert items["12/24"].title == "Felles inntaksteam for barn og unge (FIT-BU) på Søre Sunnmøre"
    assert (items["11/24"].conclusion or "").startswith("SSU sluttar seg til handlingsplanen")
    texts = [p.text for p in doc.passages]
    assert any("Hovudtiltaket er «Trygg heim», ein modell for tverrfagleg oppfølging" in t for t in texts)
    assert any("Romsdal" in t and "Molde, Aukra, Vestnes, Rauma" in t and "|" in t for t in texts)
    assert not any(HEADER in t or "Side 1 av 2" in t for t in texts)  # running lines gone


def test_tidy_layout_tells_justified_text_from_table_columns() -> None:
    text = (
        "skrives     ut     fra     Sykehuset     Innlandet     Gjøvik.     Prosjektet     kombinerer\n"
        "Nord-Østerdal                     Tynset, Alvdal, Folldal\n"
        "      • Ingrid Sæther, kommunedirektør\n"
        "Sak  11/24  Handlingsplan  for  skrøpelege  eldre\n"
    )
    assert tidy_layout(text).split("\n") == [
        "skrives ut fra Sykehuset Innlandet Gjøvik. Prosjektet kombinerer",
        "Nord-Østerdal\tTynset, Alvdal, Folldal",
        "• Ingrid Sæther, kommunedirektør",
        "Sak 11/24 Handlingsplan for skrøpelege eldre",
    ]
    spaced = "\n\n".join(f"Linje {n} av en tekst satt med vid linjeavstand" for n in range(10))
    assert "\n\n" not in tidy_layout(spaced)  # line spacing is not a paragraph gap


def test_wrapped_table_cells_are_put_together_by_column() -> None:
    header = "Innsatsområde                   Tiltak                                    Deltakarar                Frist"
    row = [
        "Skrøpelege eldre                Heim  til  kvardag:  trygg  utskriving    Voss  herad  og  Vaksdal;  1. kvartal 2025",
        "                                av skrøpelege eldre, med heimebesøk       Medisinsk klinikk",
        "                                frå kommunal sjukepleiar.",
    ]
    tight = [
        "Felles plan for legevakt         Bergen legevakt                           31.12.2023                Fullført",
        "Etablering av Ungdomsrådet       Sekretariatet                             31.10.2023                Fullført",
    ]
    prose = [
        "Prosjektleiar for FACT Nordhordland er Solveig Hjelmås, Alver kommune. Prosjektleiar for Heim",
        "til kvardag er Bjarte Rykkje, Voss herad.",
    ]
    lines = tidy_layout("\n\n".join([header, "\n".join(row), "\n".join(tight), "\n".join(prose)])).split("\n")
    assert lines[2] == (
        "Skrøpelege eldre\tHeim til kvardag: trygg utskriving av skrøpelege eldre, med heimebesøk frå "
        "kommunal sjukepleiar.\tVoss herad og Vaksdal; Medisinsk klinikk\t1. kvartal 2025"
    )
    assert lines[4:6] == [
        "Felles plan for legevakt\tBergen legevakt\t31.12.2023\tFullført",
        "Etablering av Ungdomsrådet\tSekretariatet\t31.10.2023\tFullført",
    ]
    assert lines[7:] == prose

"""One minutes document written as .docx (python-docx), .odt (odfpy), .pptx (python-pptx) and PDF
(fpdf2), each with its library the way a person's editor would: headings, a list, a table, bold
names, a page break. The tests read each rendition and compare what comes out."""

from __future__ import annotations

import datetime
import io
from dataclasses import dataclass

TITLE = "Referat SSU 29.02.2024"
CREATED = datetime.datetime(2024, 3, 1, 12, 0, tzinfo=datetime.UTC)


@dataclass(frozen=True)
class Block:
    kind: str  # heading | paragraph | field | item | table
    text: str = ""
    level: int = 1
    rows: tuple[tuple[str, ...], ...] = ()


# Two pages; the second begins with a page break.
MINUTES: list[list[Block]] = [
    [
        Block("heading", "Referat fra møte i Strategisk samarbeidsutvalg (SSU)", 1),
        Block("paragraph", "Helsefellesskapet i Vestfold"),
        Block("field", "Dato: 29.02.2024, kl. 09.00–11.30"),
        Block("field", "Sted: Sykehuset i Vestfold, Tønsberg"),
        Block("field", "Møteleder: |Anne Kristin Berg"),
        Block("field", "Referent: |Ola Dahl"),
        Block("heading", "Sak 12/24 Handlingsplan for 2024", 2),
        Block(
            "paragraph",
            "SSU drøftet forslaget til handlingsplan for 2024. Tiltakene retter seg mot skrøpelige eldre "
            "og mot barn og unge.",
        ),
        Block("item", "Mobil røntgen i Horten og Holmestrand", 0),
        Block("item", "Felles kompetanseplan for helsepersonell", 0),
        Block("item", "med opplæring i kommunene", 1),
        Block("field", "Vedtak: Handlingsplanen for 2024 vedtas."),
    ],
    [
        Block("heading", "Sak 13/24 Fagutvalg for fastleger", 2),
        Block("paragraph", "Fagutvalget skal gi råd om samarbeidet mellom fastlegene og sykehuset."),
        Block(
            "table",
            rows=(
                ("Tiltak", "Ansvarlig", "Frist"),
                ("Oppnevne medlemmer", "Kommunene", "1. mai 2024"),
                ("Skrive mandat", "Sekretariatet", "1. juni 2024"),
            ),
        ),
        Block("field", "Vedtak: SSU ber kommunene oppnevne medlemmer til fagutvalget innen 1. mai 2024."),
    ],
]


def _field(block: Block) -> tuple[str, str]:
    """A field's label and value; a value after "|" is a name, written in bold."""
    label, _, name = block.text.partition("|")
    return label, name


def plain_lines(page: list[Block]) -> list[str]:
    lines: list[str] = []
    for block in page:
        if block.kind == "table":
            lines.extend("   ".join(row) for row in block.rows)
        elif block.kind == "item":
            lines.append("  " * block.level + "- " + block.text)
        else:
            lines.append(block.text.replace("|", ""))
    return lines


def docx_bytes(pages: list[list[Block]] = MINUTES) -> bytes:
    import docx

    document = docx.Document()
    document.core_properties.title = TITLE
    document.core_properties.created = CREATED
    for number, page in enumerate(pages):
        if number:
            document.add_page_break()
        for block in page:
            if block.kind == "heading":
                document.add_heading(block.text, block.level)
            elif block.kind == "item":
                document.add_paragraph(
                    block.text, style="List Bullet" + (f" {block.level + 1}" if block.level else "")
                )
            elif block.kind == "table":
                table = document.add_table(rows=len(block.rows), cols=len(block.rows[0]))
                for r, row in enumerate(block.rows):
                    for c, value in enumerate(row):
                        table.cell(r, c).text = value
            else:
                label, name = _field(block)
                paragraph = document.add_paragraph(label)
                if name:
                    paragraph.add_run(name).bold = True
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def odt_bytes(pages: list[list[Block]] = MINUTES) -> bytes:
    from odf import dc, meta
    from odf.opendocument import OpenDocumentText
    from odf.style import ParagraphProperties, Style, TextProperties
    from odf.table import Table, TableCell, TableColumn, TableRow
    from odf.text import H, List, ListItem, P, Span

    document = OpenDocumentText()
    strong = Style(name="Fet", family="text")
    strong.addElement(TextProperties(fontweight="bold"))
    new_page = Style(name="NySide", family="paragraph")
    new_page.addElement(ParagraphProperties(breakbefore="page"))
    document.automaticstyles.addElement(strong)
    document.automaticstyles.addElement(new_page)
    document.meta.addElement(dc.Title(text=TITLE))
    document.meta.addElement(meta.CreationDate(text=CREATED.strftime("%Y-%m-%dT%H:%M:%S")))
    for number, page in enumerate(pages):
        lists: list[object] = []
        for index, block in enumerate(page):
            style = {"stylename": new_page} if number and not index else {}
            if block.kind != "item":
                lists = []
            if block.kind == "heading":
                document.text.addElement(H(outlinelevel=block.level, text=block.text, **style))
            elif block.kind == "item":
                item = ListItem()
                item.addElement(P(text=block.text))
                while len(lists) > block.level + 1:
                    lists.pop()
                if len(lists) < block.level + 1:
                    nested = List()
                    (lists[-1].childNodes[-1] if lists else document.text).addElement(nested)  # type: ignore[attr-defined]
                    lists.append(nested)
                lists[-1].addElement(item)  # type: ignore[attr-defined]
            elif block.kind == "table":
                table = Table(name=f"Tabell{number}")
                table.addElement(TableColumn(numbercolumnsrepeated=len(block.rows[0])))
                for row in block.rows:
                    table_row = TableRow()
                    for value in row:
                        cell = TableCell()
                        cell.addElement(P(text=value))
                        table_row.addElement(cell)
                    table.addElement(table_row)
                document.text.addElement(table)
            else:
                label, name = _field(block)
                paragraph = P(text=label, **style)
                if name:
                    paragraph.addElement(Span(stylename=strong, text=name))
                document.text.addElement(paragraph)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def pptx_bytes(pages: list[list[Block]] = MINUTES) -> bytes:
    """A slide for each heading, the heading its title and what follows in its body placeholder
    (bullets turned off but for list items; a table as a table shape under it)."""
    import pptx
    from pptx.oxml.xmlchemy import OxmlElement
    from pptx.util import Inches

    deck = pptx.Presentation()
    deck.core_properties.title = TITLE
    deck.core_properties.created = CREATED.replace(tzinfo=None)
    frame = slide = None
    for block in (block for page in pages for block in page):
        if block.kind == "heading":
            slide = deck.slides.add_slide(deck.slide_layouts[1])
            slide.shapes.title.text = block.text
            frame = slide.placeholders[1].text_frame
            continue
        assert slide is not None and frame is not None
        if block.kind == "table":
            shape = slide.shapes.add_table(
                len(block.rows), len(block.rows[0]), Inches(0.5), Inches(5.5), Inches(9), Inches(1)
            )
            for r, row in enumerate(block.rows):
                for c, value in enumerate(row):
                    shape.table.cell(r, c).text = value
            continue
        paragraph = (
            frame.paragraphs[0] if not frame.text and len(frame.paragraphs) == 1 else frame.add_paragraph()
        )
        label, name = _field(block) if block.kind == "field" else (block.text, "")
        paragraph.add_run().text = label
        if name:
            run = paragraph.add_run()
            run.text = name
            run.font.bold = True
        if block.kind == "item":
            paragraph.level = block.level
        else:
            paragraph._p.get_or_add_pPr().insert(0, OxmlElement("a:buNone"))
    out = io.BytesIO()
    deck.save(out)
    return out.getvalue()


def pdf_bytes(pages: list[list[Block]] = MINUTES) -> bytes:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.set_auto_page_break(auto=False)
    pdf.set_title(TITLE)
    pdf.add_font("DejaVu", fname="/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf")
    for page in pages:
        pdf.add_page()
        pdf.set_font("DejaVu", size=11)
        y = 20
        for line in plain_lines(page):
            pdf.set_xy(15, y)
            pdf.cell(0, 6, line)
            y += 7
    return bytes(pdf.output())

"""What a user reads of a document's structure: list markers, table cells, section paths, agenda items.

Each rule is tested on a sentence from another document than the one that prompted it."""

from __future__ import annotations

from ingest.model import Block
from ingest.normalise import normalise
from ingest.readers.text import text_to_raw


def _blocks(text: str) -> list[Block]:
    return normalise(text_to_raw(text, source="x.txt", fmt="text"))


def test_a_typed_dash_inside_a_list_item_is_no_second_marker() -> None:
    # Førde's fagnettverk lists, as an HTML list whose items begin with a typed dash (as the
    # Vestfold innkalling's do) in a table cell and as a list of its own.
    text = (
        "Oppgåver\t<ul><li>- følgje opp tenesteavtalen om psykisk helse og rus</li>"
        "<li>– gi råd til Samarbeidsutvalet i helsefellesskapet</li></ul>\tLeiar\n\n"
        "<ul><li>- løfte fram behov for felles kompetanse</li></ul>\n"
    )
    blocks = _blocks(text)
    row = next(b for b in blocks if b.kind == "table_row")
    assert row.cells[1].split("\n") == [
        "- følgje opp tenesteavtalen om psykisk helse og rus",
        "- gi råd til Samarbeidsutvalet i helsefellesskapet",
    ]
    item = next(b for b in blocks if b.kind == "list_item")
    assert item.text == "løfte fram behov for felles kompetanse"


def test_the_reading_text_shows_bullets_and_cells_without_markup_at_the_same_offsets() -> None:
    from ingest.segment.passages import reading_text

    # Innlandet's contact table and Førde's fagnettverk list, as the document text stores them.
    text = (
        "Hamar | Kristin Bergerud Haugli | samhandlingskoordinator\n\n"
        "- følgje opp tenesteavtalen om psykisk helse og rus\n  - gi råd til Samarbeidsutvalet"
    )
    shown = reading_text(text)
    assert len(shown) == len(text)
    assert shown.split("\n") == [
        "Hamar ",
        " Kristin Bergerud Haugli ",
        " samhandlingskoordinator",
        "",
        "• følgje opp tenesteavtalen om psykisk helse og rus",
        "  • gi råd til Samarbeidsutvalet",
    ]
    assert reading_text(text, one_line=True).startswith("Hamar · Kristin Bergerud Haugli · samhandlings")
    # A numbered item keeps its own number (Helgeland's "3 overordnede mål", Østfold's "c.").
    assert reading_text("mål:\n- 1. Etablere strukturer\n  - c. Skrøpelige eldre").split("\n") == [
        "mål:",
        "  1. Etablere strukturer",
        "    c. Skrøpelige eldre",
    ]
    # A hyphen in a word, a dash in a sentence and a bar without spaces are text, not markup.
    prose = "Henvisninger- og ø-hjelp - som avtalt - og A|B"
    assert reading_text(prose) == prose


def test_a_snippet_has_no_bars_between_cells_nor_double_list_markers() -> None:
    from search.analysis import NorwegianAnalyzer
    from search.highlight import snippet

    text = (
        "09/24 Orientering | Digital heimeoppfølging\n- kols\n- hjertesvikt | Marte Isaksen\n\n"
        "- Vi ser at pasientene tar kontakt tidligere"
    )
    analyzer = NorwegianAnalyzer()
    shown = snippet(text, analyzer, {term for t in analyzer.tokens("hjertesvikt") if (term := t.term)})
    assert "|" not in shown and "- " not in shown
    assert "• kols • <mark>hjertesvikt</mark> · Marte Isaksen • Vi ser" in shown


def _sections(text: str) -> dict[str, list[str]]:
    """Each passage's first words and its section path, for a Markdown text."""
    from ingest.segment import segment

    raw = text_to_raw(text, source="x.txt", fmt="text")
    (doc,) = segment(raw, normalise(raw), text.encode())
    return {p.text.split(" ", 1)[0]: p.section for p in doc.passages}


def test_a_lower_number_after_a_higher_one_at_the_same_depth_is_no_child() -> None:
    # Agder's plan 2025 (tiltak 1–8), in the shape of an overview list whose last item came out a
    # level higher than the others, the chapters after it numbered again from 1.
    text = (
        "# Handlingsplan 2025\n\n## Oversikt over tiltak\n\n#### 1. Demensløftet Agder\n\n"
        "#### 2. Eldreforløpet Agder\n\n## 8. Kompetansenettverk for habilitering\n\n"
        "### 1. Demensløftet Agder\n\n#### Opplæring\n\nProgrammet gir ansatte i hjemmetjenesten opplæring.\n\n"
        "### 2. Eldreforløpet Agder\n\nForløpet skal sikre at skrøpelige eldre får en kartlegging.\n\n"
        "## 2. Prioriterte pasientgrupper\n\n### 2.1 Skrøpelige eldre\n\nKristiansand og Vennesla starter.\n"
    )
    sections = _sections(text)
    assert sections["Programmet"] == ["1. Demensløftet Agder", "Opplæring"]
    assert sections["Forløpet"] == ["2. Eldreforløpet Agder"]
    # A sub-number is a child still.
    assert sections["Kristiansand"] == ["2. Prioriterte pasientgrupper", "2.1 Skrøpelige eldre"]


def _agenda(text: str) -> list[tuple[str | None, str, str | None]]:
    from ingest.segment import segment

    raw = text_to_raw(text, source="x.txt", fmt="text")
    (doc,) = segment(raw, normalise(raw), text.encode())
    return [(i.number, i.title, i.conclusion) for m in doc.meetings for i in m.agenda_items]


_TELEMARK_HEAD = (
    "Referat SSU\n\nDato/sted\t14.03.2024, Sykehuset Telemark, Skien\nMøteleder\tKristin Aasen Lie\n"
    "Referent\tCamilla Stensrud\n\n"
)


def test_an_unnumbered_closing_row_after_eventuelt_is_an_item_of_its_own() -> None:
    # Telemark's referat of 14.03.2024 and Møre og Romsdal's SSU protocol, as an agenda table.
    text = _TELEMARK_HEAD + (
        "12/24\tStatus for samhandlingsavvik\tVedtak: SSU tar orienteringen til etterretning.\n"
        "Eventuelt\t<p><b>Ventetid</b> Marianne Flåten tok opp ventetid for samtale med pårørende i psykisk "
        "helsevern. Tas opp i FSU psykisk helse og rus.</p>\n"
        "Neste møte\tNeste møte i SSU er 28.11.2024 på Teams.\n"
    )
    items = _agenda(text)
    assert [(n, t) for n, t, _ in items] == [
        ("12/24", "Status for samhandlingsavvik"),
        (None, "Ventetid"),
        (None, "Neste møte"),
    ]


def test_an_unlabelled_last_sentence_that_says_what_was_decided_is_the_conclusion() -> None:
    # Førde's nynorsk minutes and Stavanger's OSU protocol, their decisions written without "Vedtak:".
    text = _TELEMARK_HEAD + (
        "12/23\t<p><b>Tenester til skrøpelege eldre</b></p>\t\n"
        "2 vedlegg\tOrienteringa vert teken til vitande.\t\n"
        "13/23\t<p><b>Orienteringssaker</b></p>\t\n"
        "\tSaken tas til orientering.\t\n"
        "14/23\t<p><b>Eventuelt</b></p>\t\n"
        "\tProtokollen er godkjent av møteleder 13.09.2024.\t\n"
    )
    conclusions = {n: c for n, _, c in _agenda(text)}
    assert conclusions == {
        "12/23": "Orienteringa vert teken til vitande.",
        "13/23": "Saken tas til orientering.",
        "14/23": None,
    }


def test_a_table_drawn_with_dashed_column_rules_is_read_as_rows() -> None:
    from ingest.readers.text import markdown_to_markup

    # Agder's plan 2025 (tiltak, frist, status) as a plain-text table under dashed column rules.
    text = (
        "Oversikt over tiltak\n\n"
        "  Tiltak                         Frist        Status\n"
        "  -----------------------------  -----------  --------\n"
        "  Demensløftet Agder             31.12.2025   Pågår\n"
        "  FACT ung Østre Agder           31.08.2025   Planlagt\n\n"
        "Tiltakene er ordnet etter de prioriterte pasientgruppene.\n"
        "-----\n"
    )
    assert markdown_to_markup(text).split("\n") == [
        "Oversikt over tiltak",
        "",
        "Tiltak\tFrist\tStatus",
        "Demensløftet Agder\t31.12.2025\tPågår",
        "FACT ung Østre Agder\t31.08.2025\tPlanlagt",
        "",
        "Tiltakene er ordnet etter de prioriterte pasientgruppene.",
        "",  # a rule across the page is no table
        "",
    ]

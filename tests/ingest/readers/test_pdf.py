"""Real PDFs made with fpdf2 (and encrypted with pypdf): pages, headers, hyphens, encryption, scans."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from ingest.store import DocumentStore
from tests.conftest import encrypt, image_only_pdf, make_ingestor, pdf_bytes

PAGE_1 = [
    "Referat fra møte i Strategisk samarbeidsutvalg (SSU)",
    "",
    "Dato/sted: 12.03.2024, kl. 09.00-11.00, Rådhuset i Skien",
    "Møteleder: Ingrid Bakken",
    "Referent: Ola Nordmann",
    "",
    "Sak 2024.10 Godkjenning av innkalling",
    "Vedtak: Innkalling og dagsorden godkjennes.",
    "",
    "Sak 2024.11 Status for samhandlingsavvik",
    "Arbeidsgruppen har gjennomgått meldingene om samhandlingsavvik og foreslår en ny digital",
    "rutine for melding mellom kommunene og sykehuset. Gruppen vil teste løsningen i tre kom-",
    "muner før den spres til resten av helsefellesskapet i Telemark.",
]
PAGE_2 = [
    "Konklusjon: Orienteringen tas til etterretning.",
    "",
    "Sak 2024.12 Mobil røntgen i sykehjem",
    "Sykehuset Telemark orienterte om erfaringene med mobil røntgen i sykehjem i Porsgrunn.",
    "Vedtak: SSU ber om en plan for utvidelse til flere kommuner i 2025.",
]
PAGE_3 = [
    "Sak 2024.13 Eventuelt",
    "Ingen saker ble meldt under eventuelt, og møtet ble hevet klokken elleve.",
]


def _ingest(tmp_path: Path, path: Path) -> tuple[str, DocumentStore]:
    data = tmp_path / "data"
    (report,) = list(make_ingestor(data).run([path]))
    return report.status + (f": {report.reason}" if report.reason else ""), DocumentStore(data)


def test_multi_page_pdf_keeps_page_numbers(tmp_path: Path, write: Callable[[str, bytes], Path]) -> None:
    path = write(
        "ssu-referat.pdf",
        pdf_bytes(
            [PAGE_1, PAGE_2, PAGE_3],
            header="Helsefellesskapet i Telemark - SSU",
            footer=True,
        ),
    )
    status, store = _ingest(tmp_path, path)
    assert status == "ingested"
    (summary,) = store.summaries()
    doc = store.document(summary["doc_id"])
    assert doc.pages == 3 and doc.doc_type == "referat" and doc.fellesskap == "telemark"
    meeting = doc.meetings[0]
    assert (meeting.body, meeting.date, meeting.chair, meeting.minute_taker) == (
        "SSU",
        "2024-03-12",
        "Ingrid Bakken",
        "Ola Nordmann",
    )
    items = {item.number: item for item in meeting.agenda_items}
    assert list(items) == ["2024.10", "2024.11", "2024.12", "2024.13"]
    assert items["2024.10"].conclusion == "Innkalling og dagsorden godkjennes."
    assert items["2024.11"].conclusion == "Orienteringen tas til etterretning."  # across the page break
    assert items["2024.12"].conclusion.startswith("SSU ber om en plan")
    assert [items[n].page for n in items] == [1, 1, 2, 3]
    # Running header and "Side N av M" footer are gone; the hyphenated word is whole again.
    assert "Side 1 av 3" not in doc.text and "Telemark - SSU" not in doc.text
    assert "tre kommuner før" in doc.text
    xray = next(p for p in doc.passages if "Mobil røntgen i sykehjem" in p.text)
    assert xray.page == 2


def test_pdf_metadata_title_is_used(tmp_path: Path, write: Callable[[str, bytes], Path]) -> None:
    lines = [
        "Innledning",
        "",
        "Dette dokumentet beskriver samarbeidet om habilitering mellom kommunene",
        "og sykehuset i Finnmark, med felles rutiner for henvisning og oppfølging av barn.",
    ]
    path = write("doc.pdf", pdf_bytes([lines], title="Samarbeid om habilitering i Finnmark"))
    status, store = _ingest(tmp_path, path)
    assert status == "ingested"
    (summary,) = store.summaries()
    assert summary["title"] == "Samarbeid om habilitering i Finnmark"
    assert summary["fellesskap"] == "Helsefellesskapet Finnmark"


def test_aes_encrypted_pdf_with_empty_password_is_read(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    path = write("kryptert.pdf", encrypt(pdf_bytes([PAGE_1, PAGE_2]), user_password=""))
    status, store = _ingest(tmp_path, path)
    assert status == "ingested"
    assert store.document(store.summaries()[0]["doc_id"]).meetings[0].chair == "Ingrid Bakken"


def test_password_protected_pdf_is_rejected(tmp_path: Path, write: Callable[[str, bytes], Path]) -> None:
    path = write("hemmelig.pdf", encrypt(pdf_bytes([PAGE_1]), user_password="hemmelig"))
    status, store = _ingest(tmp_path, path)
    assert status.startswith("rejected: password-protected PDF")
    assert store.summaries() == []


def test_scanned_pdf_without_text_layer_is_rejected(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    status, _ = _ingest(tmp_path, write("skannet.pdf", image_only_pdf()))
    # OCR reads the image's one small line, too little for a document (tests/ingest/readers/test_ocr.py).
    assert (
        status
        == "rejected: no text layer: a scanned document, and OCR read under 40 letters from it (1 scanned page)"
    )


def test_truncated_and_fake_pdfs_are_rejected(tmp_path: Path, write: Callable[[str, bytes], Path]) -> None:
    whole = pdf_bytes([PAGE_1, PAGE_2])
    status, _ = _ingest(tmp_path, write("avkuttet.pdf", whole[: len(whole) // 3]))
    assert status.startswith("rejected: ")
    assert "PDF" in status
    status, _ = _ingest(tmp_path, write("tilfeldig.pdf", bytes(range(256)) * 40))
    assert status == "rejected: not a valid PDF file (content does not match its extension)"

"""Hostile input through the ingest pipeline: each gets a clear rejection, or is handled, and nothing
already stored changes."""

from __future__ import annotations

import io
import json
import zlib
from collections.abc import Callable
from pathlib import Path

from ingest.pipeline import Ingestor
from ingest.store import DocumentStore
from tests.conftest import CORPUS, make_ingestor, pdf_bytes


def _bomb() -> bytes:
    from pypdf import PdfWriter
    from pypdf.generic import NameObject, StreamObject

    writer = PdfWriter()
    page = writer.add_blank_page(200, 200)
    stream = StreamObject()
    stream._data = zlib.compress(b"BT (AAAAAAAA) Tj ET\n" * 10_000_000, 9)  # 200 MB from ~0.5 MB
    stream[NameObject("/Filter")] = NameObject("/FlateDecode")
    page[NameObject("/Contents")] = writer._add_object(stream)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _snapshot(data: Path) -> tuple[str, list[str]]:
    return DocumentStore(data).manifest(), sorted(p.name for p in (data / "docs").iterdir())


def test_hostile_files_leave_stored_data_alone(tmp_path: Path, write: Callable[[str, bytes], Path]) -> None:
    data = tmp_path / "data"
    assert [
        r.status for r in make_ingestor(data).run([CORPUS / "vestre-viken-ringerike-orientering.txt"])
    ] == ["ingested"]
    before = _snapshot(data)

    (report,) = list(make_ingestor(data).run([write("bombe.pdf", _bomb())]))
    assert report.status == "rejected" and "decompression bomb" in (report.reason or "")

    pages = [[f"Side {n}: samhandling mellom kommunene og sykehuset om pasientforløp."] for n in range(2000)]
    ingestor = Ingestor(DocumentStore(data), max_file_bytes=10**9, max_pages=1000)
    (report,) = list(ingestor.run([write("lang.pdf", pdf_bytes(pages))]))
    assert report.status == "rejected" and report.reason == "PDF has 2000 pages, over the limit of 1000"

    big = write("stor.txt", b"Helsefellesskapet samarbeider om tjenester. " * 1_400_000)  # ~62 MB
    (report,) = list(make_ingestor(data, max_file_bytes=50 * 1_048_576).run([big]))
    assert report.status == "rejected" and "over the limit of 50.0 MB" in (report.reason or "")
    assert _snapshot(data) == before


def test_deeply_nested_html_and_markup_in_text_are_handled(
    tmp_path: Path, write: Callable[[str, bytes], Path]
) -> None:
    data = tmp_path / "data"
    nested = (
        "<div>" * 50_000
        + "<p>Referat fra møte i SSU. Vedtak: Saken tas til orientering.</p>"
        + "</div>" * 50_000
    )
    (report,) = list(make_ingestor(data).run([write("nøstet.html", nested.encode())]))
    assert report.status == "ingested"
    text = "Sak 1/24 <script>alert('x')</script> Tiltak for &lt;barn&gt; og unge\n\nMer tekst om samhandling."
    (report,) = list(make_ingestor(data).run([write("skript.md", text.encode())]))
    assert report.status == "ingested"
    doc = DocumentStore(data).document(report.doc_ids[0])
    # A plain-text file with a stray tag is text: kept as written, for the UI to escape.
    assert "<script>alert('x')</script>" in doc.text
    html = "<html><body><p>Tiltak for &lt;barn&gt;</p><script>alert('x')</script><ul><li>a</li></ul></body></html>"
    (report,) = list(make_ingestor(data).run([write("side.html", html.encode())]))
    page = DocumentStore(data).document(report.doc_ids[0])
    assert "alert" not in page.text and "Tiltak for <barn>" in page.text  # scripts dropped, entities decoded
    assert json.loads(json.dumps(doc.to_dict()))

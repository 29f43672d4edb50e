"""Hostile input (issue 10, items 7, 8, 9 and 16): each file is ingested or rejected with its reason in
bounded time, never an internal error, and a bad file in a folder never stops the rest."""

from __future__ import annotations

import io
import logging
import os
import time
import zlib
from collections.abc import Callable
from pathlib import Path

import pytest
from pypdf import PdfWriter
from pypdf.generic import (ArrayObject, DictionaryObject, NameObject, NumberObject, StreamObject,
                           TextStringObject)

from api.cli import main
from bench.normalise import hard_wrapped_text
from ingest.normalise import normalise
from ingest.pipeline import Ingestor
from ingest.readers.text import text_to_raw
from ingest.store import DocumentStore
from tests.conftest import make_ingestor, pdf_bytes


def _helvetica(writer: PdfWriter) -> DictionaryObject:
    return DictionaryObject({NameObject("/Type"): NameObject("/Font"), NameObject("/Subtype"): NameObject("/Type1"),
                             NameObject("/BaseFont"): NameObject("/Helvetica")})


def _pdf(pages: list[bytes], font: Callable[[PdfWriter], DictionaryObject] = _helvetica) -> bytes:
    """Raw PDF bytes whose pages draw the given content streams with ``font`` as /F1; pages given the
    same bytes object share one stream object, as a hostile file's pages can."""
    writer = PdfWriter()
    font_ref = writer._add_object(font(writer))
    streams: dict[int, object] = {}  # by id(): equal bytes objects share one stream
    for content in pages:
        if id(content) not in streams:
            stream = StreamObject()
            stream._data = zlib.compress(content, 9)
            stream[NameObject("/Filter")] = NameObject("/FlateDecode")
            streams[id(content)] = writer._add_object(stream)
        page = writer.add_blank_page(595, 842)
        page[NameObject("/Contents")] = streams[id(content)]
        page[NameObject("/Resources")] = DictionaryObject(
            {NameObject("/Font"): DictionaryObject({NameObject("/F1"): font_ref})})
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _text_ops(lines: list[bytes]) -> bytes:
    return b"".join(b"BT /F1 10 Tf 50 %d Td (%s) Tj ET\n" % (800 - 12 * (i % 64), line) for i, line in enumerate(lines))


# -- item 7: normalisation linear in its input; PDF content bounded before layout extraction ----

def _normalise_seconds(size: int) -> float:
    raw = text_to_raw(hard_wrapped_text(size), source="x", fmt="text")
    assert raw.hard_wrapped
    best = float("inf")
    for _ in range(2):
        start = time.perf_counter()
        normalise(raw)
        best = min(best, time.perf_counter() - start)
    return best


def test_normalising_a_hard_wrapped_text_without_sentence_ends_is_linear() -> None:
    small, large = _normalise_seconds(40_000), _normalise_seconds(320_000)
    # Eight times the text: linear work takes about 8x, the quadratic join took 64x (4.5 s here).
    assert large < 24 * small + 0.05, (small, large)


# -- item 8: texts over spaCy's max_length ------------------------------------------------------

def test_text_over_a_million_characters_without_sentence_ends_is_ingested(
        tmp_path: Path, write: Callable[[str, bytes], Path]) -> None:
    text = "Samarbeid om tjenester i Drammen kommune\n\n" + hard_wrapped_text(1_050_000)
    path = write("lang.txt", text.encode())
    (report,) = list(make_ingestor(tmp_path / "data").run([path]))
    assert report.status == "ingested", report.line()
    doc = DocumentStore(tmp_path / "data").document(report.doc_ids[0])
    assert len(doc.text) > 1_000_000
    assert all(doc.text[p.start:p.end] == p.text for p in doc.passages)
    assert max(len(p.text) for p in doc.passages) <= 3000  # cut at word boundaries, not left whole


def test_extraction_reads_a_text_over_max_length_in_chunks_with_its_offsets() -> None:
    from ingest.extract import Extractor
    from ingest.model import Document, Passage

    extractor = Extractor()
    extractor.nlp.max_length = 2_000
    cell = " ".join(["samhandling om tjenester"] * 300)
    text = f"Tiltak | {cell} | Drammen kommune og Lier kommune"
    passage = Passage(passage_id="d-p0001", doc_id="d", page=1, section=[], text=text, start=0, end=len(text),
                      kind="table_row")
    doc = Document(doc_id="d", title="Plan", doc_type="handlingsplan", source="x", text=text, passages=[passage])
    extractor.extract(doc)
    found = {text[m.start:m.end] for m in doc.mentions}
    assert {"Drammen", "Lier"} <= found
    assert all(text[m.start:m.end] == m.text for m in doc.mentions)



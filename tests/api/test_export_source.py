"""Search results exported as CSV and XLSX (checked row by row against /search), and the original
file of a document: served from the data directory's copy (read from a folder or uploaded alike) with
its type and name, PDF pages linked, 404 for the rest and for a data directory from before copies."""

from __future__ import annotations

import csv
import io
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from fastapi.testclient import TestClient
from openpyxl import load_workbook

from api.app import create_app
from api.routes import export
from api.routes.export import MAX_EXPORT
from api.settings import Settings
from ingest.store import Change, DocumentStore
from tests.api.test_app import error_of
from tests.api.test_app_support import copy_of_corpus_data
from tests.conftest import pdf_bytes

KEY = "test-key-export"
AUTH = {"X-API-Key": KEY}
CORPUS_DOC = "e935b2cb505dacc7"  # Referat SSU 23.11.2023, ingested from corpus/ on disk
PDF_PAGES = [
    [
        "1. Innledning",
        "Handlingsplan for Kvitebjørnregionen 2025 beskriver samarbeidet i regionen.",
        "Kommunene og sykehuset samarbeider om tjenestene.",
    ],
    [
        "2. Tiltak for skrøpelige eldre",
        "Kvitebjørnprosjektet prøver ut velferdsteknologi i hjemmet.",
        "Prosjektet ledes av kommunene.",
    ],
    [
        "3. Evaluering",
        "Kvitebjørnprosjektet evalueres i 2026 sammen med kommunene.",
        "Resultatene legges fram for SSU.",
    ],
]
PDF = pdf_bytes(PDF_PAGES)  # once: its creation time is in its bytes
# A page saved from the web: a script that must not run, and paragraphs a spreadsheet would run.
HTML = (
    "<html><head><title>Referat Kvitebjørnutvalget</title></head><body><h1>Referat Kvitebjørnutvalget</h1>"
    "<script>document.title='pwned'</script><p>Dato: 12.03.2025</p><h2>Saker</h2>"
    "<p>Kvitebjørnutvalget drøftet samarbeidet.</p><h2>Formler</h2>"
    '<p>=HYPERLINK("http://example.invalid","Kvitebjørnutvalget")</p><p>=1+2 er ikke en sak.</p></body></html>'
)


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return copy_of_corpus_data(tmp_path_factory, "export")


@pytest.fixture(scope="module")
def client(data_dir: Path) -> Iterator[TestClient]:
    with TestClient(create_app(Settings.from_env(str(data_dir), api_key=KEY))) as c:
        yield c


@pytest.fixture(scope="module")
def uploaded(client: TestClient) -> dict[str, str]:
    """doc_id of an uploaded PDF and an uploaded HTML page."""
    ids = {}
    for name, data in (("Handlingsplan Kvitebjørn 2025.pdf", PDF), ("referat.html", HTML)):
        r = client.post("/documents", files={"file": (name, data)}, headers=AUTH)
        assert r.status_code == 201, r.text
        ids[name.rsplit(".", 1)[1]] = r.json()["doc_ids"][0]
    return ids


def all_search_hits(client: TestClient, **params: Any) -> list[dict[str, Any]]:
    hits: list[dict[str, Any]] = []
    while True:
        page = client.get("/search", params={**params, "limit": 7, "offset": len(hits)}).json()
        hits += page["hits"]
        if not page["hits"] or len(hits) >= page["total"]:
            return hits


def csv_export(client: TestClient, **params: Any) -> tuple[dict[str, str], list[dict[str, str]]]:
    r = client.get("/search/export.csv", params=params)
    assert r.status_code == 200, r.text
    assert r.headers["content-type"].startswith("text/csv")
    assert re.match(
        r'attachment; filename="hfkg-(sok|saker)-\d{4}-\d{2}-\d{2}\.csv"', r.headers["content-disposition"]
    )
    assert r.content.startswith(b"\xef\xbb\xbf")  # the BOM Excel needs to read UTF-8
    lines = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    blank = lines.index([])
    head = {row[0]: row[1] for row in lines[:blank]}
    columns = lines[blank + 1]
    return head, [dict(zip(columns, row, strict=True)) for row in lines[blank + 2 :]]


def unguarded(text: str) -> str:
    return text[1:] if text.startswith("'") and text[1:2] in ("=", "+", "-", "@", "\t", "\r", "\n") else text


# -- export -------------------------------------------------------------------------------------
def test_csv_export_has_every_hit_of_the_search_in_order(client: TestClient) -> None:
    params = {"q": "skrøpelige eldre", "year": "2023"}
    hits = all_search_hits(client, **params)
    assert len(hits) > 10  # more than one page of the UI
    head, rows = csv_export(client, **params)
    assert head["Søk"] == "skrøpelige eldre" and head["År"] == "2023"
    assert {"Dokumenttype", "Helsefellesskap", "Utvalg", "Omtalt", "Omtaler", "Eksportert"} <= set(head)
    assert head["Dokumenttype"] == ""  # every filter is listed, also those not set
    assert re.match(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}[+-]\d{2}:\d{2}$", head["Eksportert"])
    assert head["Søket i nettleseren"].endswith("/sok?q=skr%C3%B8pelige+eldre&year=2023")
    assert [(r["doc_id"], int(r["Side"])) for r in rows] == [(h["doc_id"], h["page"]) for h in hits]
    for row, hit in zip(rows, hits, strict=True):
        assert row["Dokument"] == hit["title"] and row["Dokumenttype"] == hit["doc_type"]
        assert row["Dato"] == (hit["date"] or "") and row["År"] == str(hit["year"])
        assert row["Lenke"] == f"http://testserver/dokumenter/{hit['doc_id']}#{hit['passage_id']}"
        assert "<mark>" not in row["Avsnitt"]
        # The passage's whole text as a reader sees it, of which the snippet is a part (a one-line
        # snippet parts table cells with " · ", the export keeps them as lines).
        plain = re.sub(r"</?mark>", "", hit["snippet"]).strip("… ").split(" … ")[0].replace(" · ", " ")
        assert " ".join(plain.split())[:30] in " ".join(unguarded(row["Avsnitt"]).split())
        # Read from a folder on disk, kept in the data directory: linked, without a page (text).
        assert row["Originalfil"] == f"http://testserver/documents/{hit['doc_id']}/source"


def test_xlsx_export_matches_search_and_csv(client: TestClient) -> None:
    params = {"q": "fastleger", "kind": "decision"}
    hits = all_search_hits(client, **params)
    _, csv_rows = csv_export(client, **params)
    r = client.get("/search/export.xlsx", params=params)
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    book = load_workbook(io.BytesIO(r.content))
    assert book.sheetnames == ["Søk", "Treff"]
    head = dict(book["Søk"].iter_rows(values_only=True))
    assert head["Søk"] == "fastleger" and head["Søker i"] == "saker og vedtak"
    table = list(book["Treff"].iter_rows(values_only=True))
    columns, rows = table[0], [dict(zip(table[0], row, strict=True)) for row in table[1:]]
    assert columns[:4] == ("Saksnr.", "Sak", "Møte", "Konklusjon")
    assert [(r["Saksnr."], r["doc_id"]) for r in rows] == [(h["number"], h["doc_id"]) for h in hits]
    assert rows[0]["Saksnr."] == "2023.42" and rows[0]["Dokument"] == "Referat SSU 23.11.2023"
    assert rows[0]["Dato"].date().isoformat() == "2023-11-23"  # a date cell, not text
    assert rows[0]["Konklusjon"].startswith("Det etableres et Fagutvalg for fastleger")
    assert book["Treff"].cell(2, columns.index("Lenke") + 1).hyperlink.target == rows[0]["Lenke"]
    for x, c in zip(rows, csv_rows, strict=True):
        assert unguarded(c["Avsnitt"]) == x["Avsnitt"] and c["Lenke"] == x["Lenke"]


def test_export_takes_the_search_filters_and_bounds(client: TestClient) -> None:
    _, rows = csv_export(client, q="", type="referat")
    assert rows and {r["Dokumenttype"] for r in rows} == {"referat"}
    assert len(rows) == len(all_search_hits(client, q="", type="referat")) <= MAX_EXPORT
    assert error_of(client.get("/search/export.csv", params={"q": "x", "kind": "nope"}), 422)
    assert error_of(client.get("/search/export.xlsx", params={"q": "x" * 1001}), 422)
    paths = client.get("/openapi.json").json()["paths"]
    for path in ("/search/export.csv", "/search/export.xlsx"):
        names = {p["name"] for p in paths[path]["get"]["parameters"]}
        assert {"q", "year", "type", "fellesskap", "entity", "kind"} <= names


def test_export_keeps_formulas_out(client: TestClient, uploaded: dict[str, str]) -> None:
    """A passage a spreadsheet would run as a formula stays text in both files."""
    _, rows = csv_export(client, q="HYPERLINK")
    texts = [r["Avsnitt"] for r in rows if r["doc_id"] == uploaded["html"]]
    assert texts and texts[0].startswith("'=HYPERLINK")
    book = load_workbook(io.BytesIO(client.get("/search/export.xlsx", params={"q": "HYPERLINK"}).content))
    assert all(cell.data_type != "f" for row in book["Treff"].iter_rows() for cell in row)


def test_export_links_the_pdf_page_of_each_hit(client: TestClient, uploaded: dict[str, str]) -> None:
    _, rows = csv_export(client, q="Kvitebjørnprosjektet")
    mine = [r for r in rows if r["doc_id"] == uploaded["pdf"]]
    assert {r["Side"] for r in mine} == {"2", "3"}
    for r in mine:
        assert r["Originalfil"] == f"http://testserver/documents/{uploaded['pdf']}/source#page={r['Side']}"


# -- the original file --------------------------------------------------------------------------
def test_uploaded_pdf_is_served_inline_with_its_name(client: TestClient, uploaded: dict[str, str]) -> None:
    r = client.get(f"/documents/{uploaded['pdf']}/source")
    assert r.status_code == 200
    assert r.headers["content-type"] == "application/pdf"
    assert r.content == PDF
    disposition = r.headers["content-disposition"]
    assert disposition.startswith("inline;") and "Handlingsplan-Kvitebjorn-2025.pdf" in disposition
    assert "sandbox" not in r.headers["content-security-policy"]  # a sandbox would block the PDF viewer


def test_html_is_served_as_plain_text(client: TestClient, uploaded: dict[str, str]) -> None:
    r = client.get(f"/documents/{uploaded['html']}/source")
    assert r.status_code == 200
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert r.headers["x-content-type-options"] == "nosniff"
    assert "sandbox" in r.headers["content-security-policy"]
    assert r.text == HTML and 'filename="referat.html"' in r.headers["content-disposition"]


def test_document_page_links_the_original_and_its_pages(client: TestClient, uploaded: dict[str, str]) -> None:
    page = client.get(f"/dokumenter/{uploaded['pdf']}").text
    assert f'href="/documents/{uploaded["pdf"]}/source"' in page
    for n in (1, 2, 3):
        assert f'href="/documents/{uploaded["pdf"]}/source#page={n}"' in page
    assert re.search(r"<dt>Lest inn</dt><dd>\d{2}\.\d{2}\.\d{4} kl\. \d{2}\.\d{2}</dd>", page)
    html_page = client.get(f"/dokumenter/{uploaded['html']}").text
    assert f'href="/documents/{uploaded["html"]}/source"' in html_page and "#page=" not in html_page


def test_a_document_read_from_a_folder_is_served_from_its_copy(client: TestClient, data_dir: Path) -> None:
    """`hfkg ingest corpus` kept the file's bytes in originals/: the page links it, the route serves it."""
    page = client.get(f"/dokumenter/{CORPUS_DOC}").text
    assert f'href="/documents/{CORPUS_DOC}/source"' in page and "Originalfilen er ikke lagret" not in page
    assert "<dt>Lest inn</dt>" in page
    key, _ = DocumentStore(data_dir).source_of(CORPUS_DOC) or ("", {})
    r = client.get(f"/documents/{CORPUS_DOC}/source")
    assert r.status_code == 200 and r.content == Path(key).read_bytes()
    assert r.headers["content-type"] == "text/plain; charset=utf-8"
    assert f'filename="{Path(key).name}"' in r.headers["content-disposition"]
    assert "sandbox" in r.headers["content-security-policy"]


def test_an_upload_is_kept_once(client: TestClient, data_dir: Path, uploaded: dict[str, str]) -> None:
    """An upload's bytes are stored once: its file in uploads/ is a second name of the copy."""
    store = DocumentStore(data_dir)
    key, entry = store.source_of(uploaded["pdf"]) or ("", {})
    copy = store.originals.path(entry["original"])
    assert copy.read_bytes() == PDF
    assert Path(key).samefile(copy) and copy.stat().st_nlink == 2


def test_a_data_directory_from_before_copies_says_its_original_is_not_stored(
    tmp_path_factory: pytest.TempPathFactory,
) -> None:
    """Source entries without ``original`` and no originals/ (as a data directory an older version
    wrote): the page says the original is not stored, as it did, and the route answers 404."""
    data = copy_of_corpus_data(tmp_path_factory, "before-originals")
    store = DocumentStore(data)
    store.commit(
        Change(
            sources={k: {x: v for x, v in e.items() if x != "original"} for k, e in store.sources().items()}
        )
    )
    shutil.rmtree(data / "originals")
    with TestClient(create_app(Settings.from_env(str(data), api_key=KEY))) as old:
        page = old.get(f"/dokumenter/{CORPUS_DOC}").text
        assert "Originalfilen er ikke lagret" in page and "/source" not in page
        assert "hfkg check --repair" in page and "<dt>Lest inn</dt>" in page
        assert "not stored" in error_of(old.get(f"/documents/{CORPUS_DOC}/source"), 404)["message"]


@pytest.mark.parametrize(
    "path",
    [
        "/documents/0123456789abcdef/source",
        "/documents/..%2F..%2F..%2Fetc%2Fpasswd/source",
        "/documents/%2E%2E/source",
        "/documents/../../etc/passwd/source",
        "/documents/uploads/source",
        "/documents/" + "a" * 65 + "/source",
    ],
)
def test_a_document_not_ours_or_a_path_is_404(client: TestClient, path: str) -> None:
    assert client.get(path).status_code == 404


def test_only_the_copy_the_manifest_names_is_served(
    client: TestClient, data_dir: Path, uploaded: dict[str, str]
) -> None:
    """A copy replaced by a link or changed in size, an entry naming something not a sha256: 404."""
    store = DocumentStore(data_dir)
    key, entry = store.source_of(uploaded["html"]) or ("", {})
    stored = store.originals.path(entry["original"])
    outside = data_dir.parent / "hemmelig.txt"
    outside.write_text("hemmelig")
    try:
        stored.rename(stored.with_suffix(".bak"))
        stored.symlink_to(outside)
        assert client.get(f"/documents/{uploaded['html']}/source").status_code == 404
        stored.unlink()
        stored.write_text(HTML + "endret")
        assert client.get(f"/documents/{uploaded['html']}/source").status_code == 404
        page = client.get(f"/dokumenter/{uploaded['html']}").text
        assert "Originalfilen mangler eller er endret" in page and "/source" not in page
        stored.unlink()
        stored.with_suffix(".bak").rename(stored)
        for named in (str(outside), "../../hemmelig.txt", entry["original"][:-1]):
            store.commit(Change(sources={key: {**entry, "original": named}}))
            assert client.get(f"/documents/{uploaded['html']}/source").status_code == 404
    finally:
        store.commit(Change(sources={key: entry}))
        outside.unlink()
    # The entries that named no copy of it let the commits take the copy away, as they should.
    assert not stored.exists()
    store.commit(Change(sources={key: entry}, originals={entry["original"]: HTML.encode()}))
    assert client.get(f"/documents/{uploaded['html']}/source").status_code == 200


def test_search_hits_in_a_pdf_link_its_page(client: TestClient, uploaded: dict[str, str]) -> None:
    page = client.get("/sok", params={"q": "Kvitebjørnprosjektet"}).text
    for n in (2, 3):
        assert f'href="/documents/{uploaded["pdf"]}/source#page={n}"' in page
        assert f"åpne s. {n} i PDF-en" in page
    grouped = client.get("/sok", params={"q": "Kvitebjørnprosjektet", "gruppert": "1"}).text
    assert f'href="/documents/{uploaded["pdf"]}/source#page=2"' in grouped
    text_hits = client.get("/sok", params={"q": "fastleger"}).text
    assert "i PDF-en" not in text_hits  # the corpus is text: its hits link no page


def test_export_pages_through_search_up_to_its_bound(
    client: TestClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Read page by page (here 3 hits a page), cut at the bound, and the header says so."""
    hits = all_search_hits(client, q="skrøpelige eldre")
    monkeypatch.setattr(export, "PAGE", 3)
    _, rows = csv_export(client, q="skrøpelige eldre")
    assert [r["Lenke"].rsplit("#", 1)[1] for r in rows] == [h["passage_id"] for h in hits]
    monkeypatch.setattr(export, "MAX_EXPORT", 10)
    head, rows = csv_export(client, q="skrøpelige eldre")
    # The total as search gives it (before issue 13's fix of counts it depended on the page).
    assert len(rows) == 10 and head["Treff"].endswith(" (de første 10 er med)")


def test_a_control_character_in_a_filter_does_not_fail_the_workbook(client: TestClient) -> None:
    """Found by the API fuzz test: XML 1.0 has no control characters, and openpyxl refused the cell."""
    response = client.get("/search/export.xlsx", params={"q": "eldre\x1f", "entity": "\x1f"})
    assert response.status_code == 200, response.text
    sheet = load_workbook(io.BytesIO(response.content))["Søk"]
    assert any(row[1] == "eldre" for row in sheet.iter_rows(values_only=True))

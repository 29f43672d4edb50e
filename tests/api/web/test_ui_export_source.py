"""In a real Chromium: the search page's CSV and Excel links downloaded and opened (rows checked
against /search), and a document page's link to its original file, a PDF opened at a page."""

from __future__ import annotations

import csv
import io
import re
import tempfile
import threading
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import uvicorn
from openpyxl import load_workbook
from selenium.webdriver.common.by import By

from api.app import create_app
from api.settings import Settings
from tests.api.test_app_support import copy_of_corpus_data
from tests.api.test_export_source import HTML, KEY, PDF
from tests.api.web.conftest import free_port

QUERY = "Kvitebjørnprosjektet"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """A server with writes on, an uploaded PDF and HTML page: its address and their doc_ids."""
    data = copy_of_corpus_data(tmp_path_factory, "ui-export")
    app = create_app(Settings.from_env(str(data), api_key=KEY))
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started:
        if not thread.is_alive() or time.monotonic() > deadline:
            raise RuntimeError("the test server did not start")
        time.sleep(0.05)
    base = f"http://127.0.0.1:{port}"
    ids = {"base": base}
    for name, body in (("Handlingsplan Kvitebjørn 2025.pdf", PDF), ("referat.html", HTML.encode())):
        r = httpx.post(
            base + "/documents", files={"file": (name, body)}, headers={"X-API-Key": KEY}, timeout=60
        )
        assert r.status_code == 201, r.text
        ids[name.rsplit(".", 1)[1]] = r.json()["doc_ids"][0]
    yield ids
    server.should_exit = True
    thread.join(timeout=30)


def downloaded(folder: Path, suffix: str, timeout: float = 20) -> Path:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        done = [p for p in folder.iterdir() if p.suffix == suffix]
        if done:
            return done[0]
        time.sleep(0.1)
    raise AssertionError(f"no {suffix} download in {folder}: {list(folder.iterdir())}")


def test_search_page_downloads_csv_and_excel(browser: Any, site: dict[str, str]) -> None:
    base = site["base"]
    hits = httpx.get(base + "/search", params={"q": QUERY, "limit": 200}).json()["hits"]
    folder = Path(tempfile.mkdtemp(prefix="hfkg-downloads-"))
    browser.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(folder)})
    browser.get(f"{base}/sok?q={QUERY}")
    links = browser.find_elements(By.CSS_SELECTOR, "p.export a")
    assert [a.text for a in links] == ["CSV", "Excel"]
    assert "Last ned alle treff" in browser.find_element(By.CSS_SELECTOR, "p.export").text
    browser.save_screenshot(str(folder.parent / "hfkg-search-export.png"))

    links[0].click()
    text = downloaded(folder, ".csv").read_bytes().decode("utf-8-sig")
    lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    table = lines[lines.index([]) + 1 :]
    rows = [dict(zip(table[0], r, strict=True)) for r in table[1:]]
    assert dict(lines[: lines.index([])])["Søk"] == QUERY
    assert [(r["doc_id"], r["Side"]) for r in rows] == [(h["doc_id"], str(h["page"])) for h in hits]

    browser.find_elements(By.CSS_SELECTOR, "p.export a")[1].click()
    book = load_workbook(downloaded(folder, ".xlsx"))
    sheet = list(book["Treff"].iter_rows(values_only=True))
    assert [(r[1], r[6]) for r in sheet[1:]] == [(h["doc_id"], h["page"]) for h in hits]
    pdf_rows = [r for r in rows if r["doc_id"] == site["pdf"]]
    assert pdf_rows and all(r["Originalfil"].endswith(f"/source#page={r['Side']}") for r in pdf_rows)


def test_document_page_opens_the_original(browser: Any, site: dict[str, str]) -> None:
    base = site["base"]
    browser.get(f"{base}/dokumenter/{site['pdf']}")
    link = browser.find_element(By.CSS_SELECTOR, "a.original")
    assert link.text == "Handlingsplan-Kvitebjorn-2025.pdf"
    pages = [a.get_attribute("href") for a in browser.find_elements(By.CSS_SELECTOR, "a.original-page")]
    assert pages == [f"{base}/documents/{site['pdf']}/source#page={n}" for n in (1, 2, 3)]
    facts = {  # dt is upper case on screen (style.css)
        dt.text.lower(): dd.text
        for dt, dd in zip(
            browser.find_elements(By.CSS_SELECTOR, ".facts dt"),
            browser.find_elements(By.CSS_SELECTOR, ".facts dd"),
            strict=True,
        )
    }
    assert re.fullmatch(r"\d{2}\.\d{2}\.\d{4} kl\. \d{2}\.\d{2}", facts["lest inn"])
    browser.save_screenshot(str(Path(tempfile.gettempdir()) / "hfkg-document-original.png"))
    r = httpx.get(pages[1])
    assert r.headers["content-type"] == "application/pdf" and r.content == PDF

    # The HTML page is shown as its text: its script does not run in our origin.
    browser.get(f"{base}/documents/{site['html']}/source")
    assert browser.title != "pwned"
    assert "<script>" in browser.find_element(By.TAG_NAME, "body").text

"""In a real Chromium: the search page's CSV and Excel links downloaded and opened (rows checked
against /search), and a document page's link to its original file, a PDF opened at a page."""

from __future__ import annotations

import csv
import io
import os
import re
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from openpyxl import load_workbook
from selenium.webdriver.common.by import By

from tests.api.test_app_support import copy_of_corpus_data
from tests.api.test_export_source import HTML, KEY, PDF
from tests.api.web.conftest import free_port

QUERY = "Kvitebjørnprosjektet"


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, str]]:
    """`hfkg serve` with writes on, as a user starts it, with an uploaded PDF and HTML page: its
    address and their doc_ids."""
    data = copy_of_corpus_data(tmp_path_factory, "ui-export")
    port = free_port()
    command = [str(Path(sys.executable).parent / "hfkg"), "--data", str(data), "serve", "--port", str(port)]
    log = data.parent / "serve.log"  # a file, not a pipe: a pipe nobody reads would fill and stop it
    with log.open("wb") as err:
        server = subprocess.Popen(command, env={**os.environ, "HFKG_API_KEY": KEY}, stderr=err)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 90
    while True:
        try:
            if httpx.get(base + "/health", timeout=2).status_code == 200:
                break
        except httpx.TransportError:
            pass
        if server.poll() is not None or time.monotonic() > deadline:
            server.kill()
            server.wait()
            raise RuntimeError(f"hfkg serve did not start: {log.read_text()[-2000:]}")
        time.sleep(0.2)
    ids = {"base": base}
    for name, body in (("Handlingsplan Kvitebjørn 2025.pdf", PDF), ("referat.html", HTML.encode())):
        r = httpx.post(
            base + "/documents", files={"file": (name, body)}, headers={"X-API-Key": KEY}, timeout=60
        )
        assert r.status_code == 201, r.text
        ids[name.rsplit(".", 1)[1]] = r.json()["doc_ids"][0]
    try:
        yield ids
    finally:
        server.terminate()
        server.wait(timeout=30)


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

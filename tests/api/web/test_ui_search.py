"""The search page in a real headless Chromium: the same count on every page, what the counts count,
committees told apart, sorting by date, a date range and hits grouped by document."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import quote

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import Select, WebDriverWait


def _open(browser: Any, url: str) -> None:
    browser.get(url)
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".result-count")))


def _count(browser: Any) -> str:
    return str(browser.find_element(By.CSS_SELECTOR, ".result-count").text)


def _facets(browser: Any) -> dict[str, list[str]]:
    out = {}
    for section in browser.find_elements(By.CSS_SELECTOR, "section.facet"):
        title = section.find_element(By.TAG_NAME, "h2").text
        out[title] = [a.get_attribute("textContent") for a in section.find_elements(By.CSS_SELECTOR, "a")]
    return out


def test_counts_stay_while_paging(browser: Any, server_url: str) -> None:
    _open(browser, f"{server_url}/sok?q={quote('skrøpelige eldre')}")
    first, facets = _count(browser), _facets(browser)
    assert re.match(r"\d+ treff i \d+ dokumenter", first), first
    assert "antall dokumenter" in browser.find_element(By.CSS_SELECTOR, ".facet-unit").text
    browser.find_element(By.CSS_SELECTOR, "a[rel='next']").click()
    WebDriverWait(browser, 20).until(ec.url_contains("side=2"))
    assert _count(browser) == first and _facets(browser) == facets
    committees = [re.sub(r"\d+$", "", c).strip() for c in facets.get("UTVALG") or facets["Utvalg"]]
    assert "SSU" not in committees and len(set(committees)) == len(committees)
    assert any(c.startswith("Strategisk samarbeidsutvalg (SSU) – Helsefellesskapet") for c in committees)


def test_sort_by_date_with_a_range_grouped_by_document(browser: Any, server_url: str) -> None:
    _open(browser, f"{server_url}/sok?q=fagutvalg")
    Select(browser.find_element(By.ID, "sok-sort")).select_by_value("newest")
    browser.execute_script("document.getElementById('sok-fra').value = '2023-06-01'")
    browser.find_element(By.ID, "sok-gruppert").click()
    browser.find_element(By.CSS_SELECTOR, "form.ordering button").click()
    WebDriverWait(browser, 20).until(ec.url_contains("gruppert=1"))
    assert "sort=newest" in browser.current_url and "fra=2023-06-01" in browser.current_url
    groups = browser.find_elements(By.CSS_SELECTOR, "li.doc-group")
    assert groups
    dates = []
    for group in groups:
        meta = group.find_element(By.CSS_SELECTOR, ":scope > .meta").text
        day = re.search(r"(\d{2})\.(\d{2})\.(\d{4})", meta)
        assert day, meta
        dates.append(f"{day.group(3)}-{day.group(2)}-{day.group(1)}")
    assert dates == sorted(dates, reverse=True) and all(d >= "2023-06-01" for d in dates)
    more = [m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.doc-group .more a")]
    assert all(re.match(r"\d+ flere i dette dokumentet", m) for m in more)
    chips = [c.text for c in browser.find_elements(By.CSS_SELECTOR, ".chips li span")]
    assert "Fra dato: 01.06.2023" in chips


def test_grouped_hits_fit_a_phone(browser: Any, server_url: str) -> None:
    # A section heading with "Samhandlingsdata/styringsinformasjon" (one long word) under a document's
    # heading made the page 441 px wide on a 390 px phone.
    metrics = {"width": 390, "height": 844, "deviceScaleFactor": 1, "mobile": True}
    browser.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", metrics)
    try:
        _open(browser, f"{server_url}/sok?q={quote('skrøpelige eldre')}&gruppert=1&sort=newest")
        assert browser.find_elements(By.CSS_SELECTOR, "li.doc-group")
        width = browser.execute_script("return document.documentElement.scrollWidth")
        assert width <= 390, width
    finally:
        browser.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})

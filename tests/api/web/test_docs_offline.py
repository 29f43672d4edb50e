"""The API docs (/docs: Swagger UI, /redoc: ReDoc) in a real Chromium with the network off: every
request stays on 127.0.0.1, the operations are drawn, and the page's policy blocks nothing it needs."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any
from urllib.parse import urlparse

import pytest
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from tests.api.web.conftest import chromium

pytestmark = pytest.mark.browser

# No name but the loopback address resolves: the network is off for this browser.
OFFLINE = "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1"


@pytest.fixture(scope="module")
def offline_browser() -> Iterator[Any]:
    with chromium((OFFLINE,), logs=("performance", "browser")) as driver:
        yield driver


def _sent(driver: Any) -> list[str]:
    """Every URL the page sent a request to since the last call (Chromium's performance log), less
    those the page's policy stopped before they were sent."""
    asked, stopped = {}, set()
    for entry in driver.get_log("performance"):
        message = json.loads(entry["message"])["message"]
        params = message["params"]
        if message["method"] == "Network.requestWillBeSent":
            asked[params["requestId"]] = params["request"]["url"]
        elif message["method"] == "Network.loadingFailed" and params.get("blockedReason") == "csp":
            stopped.add(params["requestId"])
    return [url for request, url in asked.items() if request not in stopped]


def _policy_violations(driver: Any) -> list[str]:
    """What the policy blocked, less images: ReDoc's "API docs by Redocly" logo comes from its CDN
    and is left out when it does not load, which is what it should do offline."""
    return [
        e["message"]
        for e in driver.get_log("browser")
        if "Content Security Policy" in e["message"] and '"img-src ' not in e["message"]
    ]


def _open(driver: Any, url: str) -> None:
    driver.get_log("performance")
    driver.get_log("browser")
    driver.get(url)


@pytest.mark.parametrize(
    ("path", "search", "operations"),
    [
        ("/docs", ".opblock-summary-path[data-path='/search']", ".opblock"),
        ("/redoc", "[data-section-id='operation/search_search_get']", "[data-section-id^='operation/']"),
    ],
)
def test_api_docs_render_their_operations_offline(
    offline_browser: Any, server_url: str, path: str, search: str, operations: str
) -> None:
    _open(offline_browser, server_url + path)
    WebDriverWait(offline_browser, 30).until(ec.presence_of_element_located((By.CSS_SELECTOR, search)))
    drawn = offline_browser.find_elements(By.CSS_SELECTOR, operations)
    assert len(drawn) >= 10, f"{path}: {len(drawn)} operations drawn"
    sent = [urlparse(u) for u in _sent(offline_browser)]
    hosts = {u.hostname for u in sent if u.scheme in ("http", "https", "ws", "wss")}
    assert hosts == {"127.0.0.1"}, hosts
    assert not _policy_violations(offline_browser)

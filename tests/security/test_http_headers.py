"""HTTP response headers (issue 10, "Also"): no Content-Security-Policy, X-Frame-Options or nosniff
headers, and the Host header echoed in a redirect (`/documents/` -> `http://<any host>/documents`)."""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from api.app import create_app
from api.settings import Settings
from tests.api.test_app_support import corpus_data

PAGES = [
    "/",
    "/sok?q=samhandling",
    "/spor?q=Hvilke+tiltak+retter+seg+mot+eldre",
    "/dokumenter",
    "/enheter",
    "/enheter/municipality/larvik",
    "/enheter/initiative/vestfold/vitality",
]


@pytest.fixture(scope="module")
def client(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TestClient]:
    with TestClient(create_app(Settings(data_dir=corpus_data(tmp_path_factory)))) as c:
        yield c


def _policy(header: str) -> dict[str, list[str]]:
    directives = (d.strip().split() for d in header.split(";") if d.strip())
    return {d[0]: d[1:] for d in directives}


@pytest.mark.parametrize(
    "path",
    [
        *PAGES,
        "/health",
        "/search?q=eldre",
        "/static/style.css",
        "/finnes-ikke",
        "/documents/finnes-ikke",
        "/sparql?query=ASK%7B%7D",
    ],
)
def test_every_response_has_the_security_headers(client: TestClient, path: str) -> None:
    response = client.get(path)
    assert response.status_code < 500
    assert response.headers["x-content-type-options"] == "nosniff"
    assert response.headers["x-frame-options"] == "DENY"
    assert response.headers["referrer-policy"] == "no-referrer"
    policy = _policy(response.headers["content-security-policy"])
    assert policy["default-src"] == ["'none'"] and policy["frame-ancestors"] == ["'none'"]
    assert "'unsafe-inline'" not in policy.get("style-src", []) and "script-src" not in policy


@pytest.mark.parametrize("path", PAGES)
def test_ui_pages_need_nothing_the_policy_forbids(client: TestClient, path: str) -> None:
    html = client.get(path).text
    assert not re.search(r"<script|\sstyle=|\son[a-z]+=|<style", html, re.I), path
    links = re.findall(r'<link [^>]*href="([^"]+)"', html)
    assert links and all(link.startswith("/static/") for link in links)


def test_the_timeline_still_draws_its_bars(client: TestClient) -> None:
    html = client.get("/enheter/initiative/vestfold/vitality").text
    assert re.search(r'<span class="bar h\d+"', html)
    css = client.get("/static/style.css").text
    assert all(f".bar.h{n} " in css for n in range(9))


def test_the_api_docs_load_swagger_from_this_server_and_run_its_own_script(client: TestClient) -> None:
    response = client.get("/docs")
    assert response.status_code == 200 and "swagger" in response.text.lower()
    policy = _policy(response.headers["content-security-policy"])
    inline = re.findall(r"<script>(.*?)</script>", response.text, re.S)
    assert inline
    for script in inline:
        digest = base64.b64encode(hashlib.sha256(script.encode()).digest()).decode()
        assert f"'sha256-{digest}'" in policy["script-src"]
    # Its bundle comes from this server (no CDN: the docs work offline), and nothing from elsewhere.
    for src in re.findall(r'<script src="([^"]+)"', response.text):
        assert src.startswith("/static/")
    assert not [s for p in policy.values() for s in p if "://" in s]
    assert "'unsafe-inline'" not in policy["script-src"] and policy["frame-ancestors"] == ["'none'"]
    assert "'self'" in policy["connect-src"]  # it fetches /openapi.json


@pytest.mark.parametrize("path", ["/documents/", "/sok/", "/static", "/docs/", "/health/", "//evil.example/"])
def test_no_redirect_echoes_the_host_header(client: TestClient, path: str) -> None:
    response = client.get(path, headers={"Host": "evil.example"}, follow_redirects=False)
    location = response.headers.get("location", "")
    assert "evil.example" not in location, (path, response.status_code, location)
    assert not location.startswith("//") and "://" not in location

"""The web UI says a plan's period and adoption: the document page's facts ("Periode 2023–2024",
"Vedtatt 07.10.2022 av Partnerskapsmøte") and a search hit's year line (the period, not a first year)."""

from __future__ import annotations

from typing import Any

from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

from api.routes.documents import document_detail
from api.schemas import SearchResponse
from api.web import search_views, views
from api.web.render import fmt_date, render

VESTFOLD_PLAN = "d55e08002c93a7eb"  # Handlingsplan 2023, adopted 07.10.2022 by Partnerskapsmøte
OSTFOLD_PLAN = "18a91a857807f2a9"  # Handlingsplan 2023–2024
MINUTES = "e935b2cb505dacc7"  # Referat SSU 23.11.2023


def _facts(corpus_services: Any, doc_id: str) -> dict[str, Any]:
    detail = document_detail(corpus_services.documents.document(doc_id))
    return dict(views.document(detail, {})["doc_facts"])


def test_the_document_page_says_period_and_adoption(corpus_services: Any) -> None:
    vestfold = _facts(corpus_services, VESTFOLD_PLAN)
    assert vestfold["Periode"] == "2023"
    assert vestfold["Vedtatt"] == "07.10.2022 av Partnerskapsmøte"
    # the adoption is the plan's date: not said twice, and no "År" beside the period it repeats
    assert "Dato" not in vestfold and "År" not in vestfold
    ostfold = _facts(corpus_services, OSTFOLD_PLAN)
    assert ostfold["Periode"] == "2023–2024" and "Vedtatt" not in ostfold
    minutes = _facts(corpus_services, MINUTES)
    assert minutes["Dato"] == "23.11.2023" and minutes["År"] == "2023" and "Periode" not in minutes


def test_the_rendered_header_has_the_facts(corpus_services: Any) -> None:
    detail = document_detail(corpus_services.documents.document(VESTFOLD_PLAN))
    page = render("document.html", title="x", active="dokumenter", **views.document(detail, {}))
    assert "<dt>Periode</dt><dd>2023</dd>" in page
    assert "<dt>Vedtatt</dt><dd>07.10.2022 av Partnerskapsmøte</dd>" in page


def test_a_plans_hit_shows_its_period(corpus_services: Any) -> None:
    result = corpus_services.search.search("handlingsplan", doc_type="handlingsplan", limit=100)
    shown = {h["doc_id"]: search_views.hit(h)["meta"] for h in result["hits"]}
    assert "2023–2024" in shown[OSTFOLD_PLAN]
    # the plan for 2023, and its date said to be the day it was adopted (it was a bare 07.10.2022)
    assert "2023 · vedtatt 07.10.2022" in shown[VESTFOLD_PLAN]
    minutes = corpus_services.search.search("vitality", doc_type="referat", limit=5)["hits"]
    assert minutes and all(fmt_date(h["date"]) in search_views.hit(h)["meta"] for h in minutes)


def test_a_plans_document_heading_shows_its_period(corpus_services: Any) -> None:
    """Grouped by document, the heading of a plan's hits says its period too (it said the first year,
    or the day the plan was adopted)."""
    result = corpus_services.search.search("handlingsplan", doc_type="handlingsplan", group=True, limit=10)
    sent = SearchResponse.model_validate(result).model_dump()
    view = search_views.search({"q": "handlingsplan", "type": "handlingsplan"}, sent, {}, 10)
    headings = {g["title"]: g["meta"] for g in view["result"]["groups"]}
    ostfold = next(m for t, m in headings.items() if "Østfold" in t)
    vestfold = next(m for t, m in headings.items() if "Vestfold" in t)
    assert "2023–2024" in ostfold
    assert "2023 · vedtatt 07.10.2022" in vestfold


def test_plan_pages_in_chromium(browser: Any, server_url: str) -> None:
    """As a user sees them: the Vestfold plan's facts, the Østfold plan's period, and both plans' hits."""
    facts = "dl.facts > div"

    def shown(url: str) -> dict[str, str]:
        browser.get(url)
        WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, facts)))
        pairs = [e.text.split("\n", 1) for e in browser.find_elements(By.CSS_SELECTOR, facts)]
        return {k.strip().capitalize(): v.strip() for k, v in pairs}

    vestfold = shown(f"{server_url}/dokumenter/{VESTFOLD_PLAN}")
    assert vestfold["Periode"] == "2023" and vestfold["Vedtatt"] == "07.10.2022 av Partnerskapsmøte"
    assert shown(f"{server_url}/dokumenter/{OSTFOLD_PLAN}")["Periode"] == "2023–2024"
    browser.get(f"{server_url}/sok?q=handlingsplan&type=handlingsplan")
    WebDriverWait(browser, 20).until(ec.presence_of_element_located((By.CSS_SELECTOR, "li.hit")))
    lines = {m.text for m in browser.find_elements(By.CSS_SELECTOR, "li.hit .meta")}
    assert "Handlingsplan · Helsefellesskapet Østfold · 2023–2024 · s. 1" in lines, lines
    assert "Handlingsplan · Helsefellesskapet i Vestfold · 2023 · vedtatt 07.10.2022 · s. 1" in lines, lines

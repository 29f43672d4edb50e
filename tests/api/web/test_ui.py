"""The web UI in a real headless Chromium: search then open a document, ask then follow an evidence
link to its passage, an entity's timeline; keyboard use."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import unquote, urlparse

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ec
from selenium.webdriver.support.ui import WebDriverWait

FRAIL = "Hvilke tiltak retter seg mot skrøpelige eldre?"


def wait(driver: Any, timeout: float = 20) -> WebDriverWait:
    return WebDriverWait(driver, timeout)


def test_search_then_open_a_document(browser: Any, server_url: str) -> None:
    browser.get(server_url + "/")
    box = browser.find_element(By.CSS_SELECTOR, "label[for='sok-q']")
    assert box.text == "Søk i dokumentene"
    query = browser.find_element(By.ID, "sok-q")
    query.send_keys("fagutvalg for fastleger", Keys.ENTER)
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "ol.hits li.hit")))
    assert "/sok?" in browser.current_url
    marks = browser.find_elements(By.CSS_SELECTOR, ".hit .snippet mark")
    assert marks and all(m.text.lower().startswith(("fagutvalg", "fastleg")) for m in marks)

    # Narrow by a facet: document type "Referat".
    facet = browser.find_element(
        By.XPATH, "//section[@class='facet'][h2='Dokumenttype']//a[.//span[text()='Referat']]"
    )
    facet.click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, ".chips li")))
    metas = [m.text for m in browser.find_elements(By.CSS_SELECTOR, ".hit .meta")]
    assert metas and all(m.startswith("Referat") for m in metas)

    first = browser.find_element(By.CSS_SELECTOR, ".hit .hit-title a")
    title = first.text
    first.click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "h1")))
    assert "/dokumenter/" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    target = urlparse(browser.current_url).fragment
    passage = browser.find_element(By.ID, target)
    assert "passage" in passage.get_attribute("class")
    assert "fastleg" in passage.text.lower()
    # The agenda with its items, and entities marked in the text.
    rows = browser.find_elements(By.CSS_SELECTOR, "table.agenda tbody tr")
    assert any("2023.42" in r.text and "Fagutvalg for fastleger" in r.text for r in rows)
    assert browser.find_elements(By.CSS_SELECTOR, ".passage a.ent")


def test_ask_then_follow_evidence_to_its_passage(browser: Any, server_url: str) -> None:
    browser.get(server_url + "/spor")
    field = browser.find_element(By.ID, "spor-q")
    assert browser.find_element(By.CSS_SELECTOR, "label[for='spor-q']").text == "Still et spørsmål"
    field.send_keys(FRAIL)
    browser.find_element(By.CSS_SELECTOR, ".ask-form button[type='submit']").click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "ol.answers li.answer")))
    answers = [a.text for a in browser.find_elements(By.CSS_SELECTOR, ".answer-title a")]
    assert "Vitality" in answers and "Digital hjemmeoppfølging" in answers
    assert "Ung Arena+" not in answers

    vitality = browser.find_element(By.XPATH, "//li[contains(@class,'answer')][.//h2/a[text()='Vitality']]")
    evidence = vitality.find_element(By.CSS_SELECTOR, "ul.evidence li")
    quote = evidence.find_element(By.TAG_NAME, "blockquote").text.rstrip(" …")
    link = evidence.find_element(By.CSS_SELECTOR, "a.evidence-link")
    href = link.get_attribute("href")
    link.click()
    wait(browser).until(ec.url_contains("/dokumenter/"))
    passage_id = unquote(urlparse(href).fragment)
    assert urlparse(browser.current_url).fragment == passage_id
    passage = browser.find_element(By.ID, passage_id)
    assert " ".join(passage.text.split()).startswith(" ".join(quote.split())[:60])
    # The passage is the :target and scrolled into view.
    assert browser.execute_script("return document.querySelector(':target').id") == passage_id
    top = browser.execute_script("return arguments[0].getBoundingClientRect().top", passage)
    assert 0 <= top < browser.execute_script("return window.innerHeight")


def test_entity_timeline(browser: Any, server_url: str) -> None:
    browser.get(server_url + "/enheter?type=initiative")
    browser.find_element(By.LINK_TEXT, "Vitality").click()
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "ol.timeline")))
    assert browser.find_element(By.TAG_NAME, "h1").text.startswith("Vitality")
    years = [h.text for h in browser.find_elements(By.CSS_SELECTOR, ".tl-year h3")]
    assert years == sorted(years) and {"2023", "2024"} <= set(years) and "2022" not in years  # plan for 2023
    # The neighbourhood graph and the relations.
    nodes = browser.find_elements(By.CSS_SELECTOR, "svg.graph a.node")
    assert len(nodes) >= 5
    assert "Skrøpelige eldre" in browser.find_element(By.ID, "rel-t").find_element(By.XPATH, "..").text
    # Jump to a year, then to a passage of that year.
    browser.find_element(By.CSS_SELECTOR, ".year-strip a[href='#aar-2024']").click()
    assert browser.execute_script("return document.querySelector(':target').id") == "aar-2024"
    link = browser.find_element(By.CSS_SELECTOR, "#aar-2024 .tl-passages a")
    fragment = unquote(urlparse(link.get_attribute("href")).fragment)
    link.click()
    wait(browser).until(ec.url_contains("/dokumenter/"))
    assert "vitality" in browser.find_element(By.ID, fragment).text.lower()


def test_keyboard_use(browser: Any, server_url: str) -> None:
    browser.get(server_url + "/")
    body = browser.find_element(By.TAG_NAME, "body")
    body.send_keys(Keys.TAB)
    active = browser.switch_to.active_element
    assert active.text == "Hopp til innholdet" and active.is_displayed()
    outline = browser.execute_script("return getComputedStyle(document.activeElement).outlineStyle")
    assert outline == "solid"
    active.send_keys(Keys.ENTER)
    # Tab on through the menu to the search field and search with Enter only.
    for _ in range(12):
        browser.switch_to.active_element.send_keys(Keys.TAB)
        if browser.switch_to.active_element.get_attribute("id") == "sok-q":
            break
    field = browser.switch_to.active_element
    assert field.get_attribute("id") == "sok-q"
    field.send_keys("Vitality", Keys.ENTER)
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "ol.hits li.hit")))
    # Every form control has a label.
    for page in ("/", "/sok?q=Vitality", "/spor", "/enheter"):
        browser.get(server_url + page)
        for control in browser.find_elements(By.CSS_SELECTOR, "input:not([type=hidden]), select"):
            labels = browser.find_elements(By.CSS_SELECTOR, f"label[for='{control.get_attribute('id')}']")
            assert labels and labels[0].text, (page, control.get_attribute("name"))


DEVELOPER_WORDS = re.compile(
    r"intent=|search fallback|no graph answer|not understood|\b(?:partOf|addresses|involves|pilotedIn|"
    r"steeredBy|memberOf|initiativeOf|meetingOf|agendaItemOf)\b"
)


def test_the_ui_speaks_bokmal_not_developer(browser: Any, server_url: str) -> None:
    """The interpretation in plain words, relations in the registry's words (the graph picture's lines
    too), and the register named as a Norwegian user expects: "Enheter" means organisational units."""
    browser.get(server_url + "/spor?q=" + FRAIL)
    wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "ol.answers li.answer")))
    said = browser.find_element(By.CSS_SELECTOR, ".interpretation").text
    assert said.startswith(
        "Spørsmålet er lest som: hvilke tiltak retter seg mot Skrøpelige eldre (pasientgruppe)"
    )
    assert not DEVELOPER_WORDS.search(browser.page_source)
    browser.get(server_url + "/spor?q=mobil+røntgen")
    said = browser.find_element(By.CSS_SELECTOR, ".interpretation").text
    assert said == "Spørsmålet er lest som: ikke et spørsmål, søketreff for «mobil røntgen»"

    nav = [a.text for a in browser.find_elements(By.CSS_SELECTOR, "nav[aria-label=Hovedmeny] a")]
    assert "Register" in nav and "Enheter" not in nav
    browser.get(server_url + "/enheter")
    assert browser.find_element(By.TAG_NAME, "h1").text == "Register"
    assert browser.title.startswith("Register")
    assert "Enheter" not in browser.find_element(By.TAG_NAME, "main").text

    for entity in ("initiative/vestfold/vitality", "committee/vestfold/ssu"):
        browser.get(f"{server_url}/enheter/{entity}")
        wait(browser).until(ec.presence_of_element_located((By.CSS_SELECTOR, "svg.graph")))
        lines = browser.find_elements(By.CSS_SELECTOR, "svg.graph line.edge title")
        names = {t.get_attribute("textContent") for t in lines}
        assert lines and not [n for n in names if DEVELOPER_WORDS.search(n)], names
        assert not DEVELOPER_WORDS.search(browser.find_element(By.TAG_NAME, "main").text)
        crumbs = browser.find_element(By.CSS_SELECTOR, "nav.breadcrumb").text
        assert crumbs.startswith("Register ›")
    relations = browser.find_element(By.ID, "rel-t").find_element(By.XPATH, "..")
    assert "er del av" in relations.get_attribute("textContent").lower()  # partOf, from the committee

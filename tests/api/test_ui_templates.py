"""The web UI's templates escape everything a user or a document can put in a page, and no Python
module of api/ writes markup itself (issue 12: the HTML lives in api/templates, autoescaped)."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any
from urllib.parse import quote

from fastapi.testclient import TestClient

from api import ui_views as views
from api.app import create_app
from api.services import Services
from api.settings import Settings
from api.ui_render import render
from tests.conftest import ROOT

ATTACK = "<script>alert(1)</script><img src=x onerror=alert(1)>\"'><svg onload=alert(2)>"
TEXT_ATTACK = "\"' onmouseover=alert(1) <img src=x onerror=alert(1) "  # no ">": see the test


class _Tags(HTMLParser):
    """Every start tag and its attributes, as a browser's tokenizer sees them."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, list[tuple[str, str | None]]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, attrs))


def assert_inert(page: str, where: str) -> None:
    """No script, no event handler, no element the payload brought in."""
    assert not re.search(r"<script|<img|<svg onload", page, re.I), where
    parser = _Tags()
    parser.feed(page)
    for tag, attrs in parser.tags:
        assert tag not in ("script", "img", "iframe"), (where, tag)
        handlers = [name for name, _ in attrs if name.startswith("on")]
        assert not handlers, (where, tag, handlers)


# -- every page, through the app, with a hostile document --------------------------------------
def test_every_page_escapes_a_hostile_document_question_and_query(tmp_path: Path) -> None:
    # Text with three tags or more is read as HTML (ingest/readers/markup.py), its tags dropped: two
    # tags in the text, and tags a browser would open although they are never closed.
    source = tmp_path / "in" / "notat.md"
    source.parent.mkdir()
    source.write_text(
        f"# Referat {TEXT_ATTACK}\n\nSak 1/24 <script>alert(1)</script> {TEXT_ATTACK} Tiltak for barn og unge i "
        f"Vestfold.\n\n## Vitality {TEXT_ATTACK}\n\nLarvik kommune deltar i tiltaket. {TEXT_ATTACK}\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data")
    with Services(settings, write=True) as services:
        (report,) = list(services.ingestor().run([source]))
    doc_id = report.doc_ids[0]
    with TestClient(create_app(settings)) as client:
        paths = [
            "/",
            "/sok?q=" + quote(ATTACK),
            "/sok?q=tiltak",
            "/sok?q=tiltak&kind=decision",
            "/sok?q=barn&entity=" + quote(ATTACK) + "&fellesskap=" + quote(ATTACK),
            "/spor?q=" + quote(ATTACK),
            "/spor?q=" + quote("Hvilke tiltak retter seg mot barn og unge?"),
            "/dokumenter",
            f"/dokumenter/{doc_id}",
            "/enheter",
            "/enheter?q=" + quote(ATTACK),
            "/enheter?type=" + quote(ATTACK),
            "/enheter/" + quote(ATTACK),
            "/dokumenter/" + quote(ATTACK),
        ]
        detail = client.get(f"/documents/{doc_id}").json()
        paths += ["/enheter/" + quote(x["id"], safe="/") for x in detail.get("entities", [])]
        pages = {}
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 400, 404), path
            pages[path] = response.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[f"/dokumenter/{doc_id}"]
    assert "onmouseover=alert(1) &lt;img src=x onerror=alert(1)" in pages[f"/dokumenter/{doc_id}"]
    assert (
        "&lt;script&gt;" in pages["/sok?q=" + quote(ATTACK)]
        and "&lt;script&gt;" in pages["/spor?q=" + quote(ATTACK)]
    )
    for path, page in pages.items():
        assert_inert(page, path)


# -- every template, with the payload in every field of its data -------------------------------
def _entity(eid: str = "initiative/vestfold/x") -> dict[str, Any]:
    return {"id": eid, "label": ATTACK, "type": "initiative", "mentions": 3}


def _hit(kind: str = "passage") -> dict[str, Any]:
    return {
        "kind": kind,
        "doc_id": ATTACK,
        "passage_id": ATTACK,
        "title": ATTACK,
        "number": ATTACK,
        "document_title": ATTACK,
        "body": ATTACK,
        "date": ATTACK,
        "year": 2024,
        "page": 2,
        "section": ATTACK,
        "doc_type": ATTACK,
        "fellesskap_name": ATTACK,
        "conclusion": ATTACK,
        "conclusion_label": ATTACK,
        "snippet": f"{ATTACK} <mark>{ATTACK}</mark> {ATTACK}",
        "entities": [_entity()],
    }


def _pages() -> dict[str, str]:
    params = {
        "q": ATTACK,
        "kind": "passage",
        "year": ATTACK,
        "type": ATTACK,
        "fellesskap": ATTACK,
        "committee": ATTACK,
        "entity_type": ATTACK,
        "entity": ATTACK,
        "side": "2",
    }
    names = {"fellesskap": {ATTACK: ATTACK}, "entity": {ATTACK: ATTACK}}
    facets = {
        name: {ATTACK: 3, **{f"{ATTACK}{i}": 1 for i in range(10)}}
        for name in ("year", "doc_type", "fellesskap", "committee", "entity_type")
    }
    result = {"hits": [_hit(), _hit("decision")], "facets": facets, "total": 40, "did_you_mean": ATTACK}
    evidence = {"doc_id": ATTACK, "passage_id": ATTACK, "title": ATTACK, "page": 1, "text": ATTACK}
    answers = [
        {
            "id": "initiative/vestfold/x",
            "label": ATTACK,
            "type": "initiative",
            "confidence": 0.9,
            "method": "graph:" + ATTACK,
            "evidence": [evidence] * 4,
            "detail": {"meeting": ATTACK, "meeting_id": ATTACK},
        },
        {
            "id": None,
            "label": ATTACK,
            "type": "date",
            "confidence": 0.2,
            "method": ATTACK,
            "evidence": [evidence],
            "detail": {"conclusion": ATTACK},
        },
        {"id": None, "label": ATTACK, "type": ATTACK, "confidence": None, "method": None, "evidence": []},
    ]
    response = {"question": ATTACK, "interpretation": ATTACK, "answers": answers, "hits": [_hit()]}
    passage = {
        "passage_id": ATTACK,
        "kind": ATTACK,
        "section": [ATTACK, ATTACK],
        "text": f"{ATTACK} Larvik {ATTACK}",
        "mentions": [{"start": len(ATTACK) + 1, "end": len(ATTACK) + 7, "entity_id": ATTACK}],
    }
    doc = {
        "doc_id": ATTACK,
        "title": ATTACK,
        "doc_type": ATTACK,
        "fellesskap": ATTACK,
        "date": ATTACK,
        "years": [2024],
        "pages": 3,
        "source": ATTACK,
        "duplicate_of": ATTACK,
        "meetings": [
            {
                "body": ATTACK,
                "date": ATTACK,
                "time": ATTACK,
                "place": ATTACK,
                "chair": ATTACK,
                "minute_taker": ATTACK,
                "agenda_items": [
                    {
                        "number": ATTACK,
                        "title": ATTACK,
                        "passage_id": ATTACK,
                        "kind": ATTACK,
                        "conclusion": ATTACK,
                        "conclusion_label": ATTACK,
                    }
                ],
            }
        ],
        "passages_by_page": [{"page": 1, "passages": [passage, passage]}],
        "entities": [{"id": ATTACK, "label": ATTACK, "type": ATTACK, "mentions": 2}, _entity()],
    }
    summary = {
        "doc_id": ATTACK,
        "title": ATTACK,
        "doc_type": ATTACK,
        "fellesskap": ATTACK,
        "date": ATTACK,
        "year": ATTACK,
        "pages": ATTACK,
        "agenda_items": ATTACK,
        "duplicate_of": ATTACK,
    }
    entity = {
        **_entity(ATTACK),
        "type": ATTACK,
        "aliases": [ATTACK],
        "attributes": {ATTACK: ATTACK, "date": ATTACK},
        "relations": [
            {
                "predicate": ATTACK,
                "direction": "out",
                "id": ATTACK,
                "label": ATTACK,
                "type": ATTACK,
                "evidence_count": 2,
            }
        ],
    }
    hood = {
        "center": {"id": ATTACK, "label": ATTACK, "type": ATTACK},
        "nodes": [
            {"id": ATTACK, "label": ATTACK, "type": ATTACK},
            {"id": "b", "label": ATTACK, "type": ATTACK},
            {"id": "c", "label": ATTACK, "type": "initiative"},
        ],
        "edges": [
            {"source": ATTACK, "target": "b", "predicate": ATTACK},
            {"source": "b", "target": "c", "predicate": ATTACK},
        ],
    }
    timeline = [
        {
            "year": 2022,
            "doc_id": ATTACK,
            "title": ATTACK,
            "doc_type": ATTACK,
            "date": ATTACK,
            "passages": [{"passage_id": ATTACK, "page": ATTACK, "text": ATTACK}],
        },
        {"year": None, "doc_id": ATTACK, "title": ATTACK, "years": [ATTACK], "passages": []},
    ]
    base = {"title": ATTACK, "active": ATTACK}
    return {
        "home": render(
            "home.html",
            **base,
            documents=ATTACK,
            types={ATTACK: ATTACK},
            questions=views.EXAMPLE_QUESTIONS + [ATTACK],
        ),
        "search (empty)": render("search.html", **base, **views.search(params, None, names, 10)),
        "search": render("search.html", **base, **views.search(params, result, names, 10)),
        "decisions": render(
            "search.html", **base, **views.search({**params, "kind": "decision"}, result, names, 10)
        ),
        "ask (empty)": render("ask.html", **base, **views.ask(ATTACK, None)),
        "ask": render("ask.html", **base, **views.ask(ATTACK, response, {"vestfold": ATTACK})),
        "documents": render("documents.html", **base, docs=[summary]),
        "document": render("document.html", **base, **views.document(doc, {ATTACK: ATTACK})),
        "entities": render(
            "entities.html", **base, **views.entities(ATTACK, ATTACK, 200, [_entity(ATTACK)], 50, 50)
        ),
        "entity": render("entity.html", **base, **views.entity(entity, timeline, hood)),
        "error": render("error.html", **base, heading=ATTACK, message=ATTACK),
    }


def test_every_template_escapes_every_field() -> None:
    pages = _pages()
    for name, page in pages.items():
        assert_inert(page, name)
        assert "&lt;script&gt;" in page, name
    # A snippet's own marks stay marks; the payload inside them is text.
    assert "<mark>&lt;script&gt;alert(1)&lt;/script&gt;" in pages["search"]
    # An answer with no entity (a date, a text) has no link; value kinds carry the registry's label.
    assert '<span class="badge badge-date">Dato</span>' in pages["ask"]
    assert "Sikkerhet 90 %" in pages["ask"] and "Sikkerhet 20 %" in pages["ask"]


# -- no markup in Python -----------------------------------------------------------------------
MARKUP = re.compile(
    r"<(div|li|a|span|p|ul|ol|dl|dt|dd|table|tr|td|th|h[1-6]|svg|section|nav|form|input|option|"
    r"button|blockquote|details|summary|code|strong|title|line|circle|text|g)[\s>/]"
)


def test_no_python_module_of_api_writes_html() -> None:
    """HTML is written by the templates in api/templates; a Python module of api/ holds no tags
    (a search snippet's <mark> comes from search/; api/ui_render.py only keeps it)."""
    found = []
    for path in sorted((ROOT / "api").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MARKUP.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "markup outside api/templates:\n" + "\n".join(found)
    assert not (ROOT / "api" / "templates" / "__init__.py").exists()
    assert {p.suffix for p in (ROOT / "api" / "templates").iterdir() if p.is_file()} == {".html"}

"""The web UI's templates escape everything a user or a document can put in a page, and no Python
module of api/ writes markup itself (issue 12: the HTML lives in api/web/templates, autoescaped).
tests/api/web/test_app_escaping.py does the same through the app, on every page kind."""

from __future__ import annotations

import re
from typing import Any

from api.web import search_views, views
from api.web.render import environment, render, snippet_parts
from tests.api.web.test_app_escaping import ATTACK, assert_inert
from tests.conftest import ROOT


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
        "search (empty)": render("search.html", **base, **search_views.search(params, None, names, 10)),
        "search": render("search.html", **base, **search_views.search(params, result, names, 10)),
        "decisions": render(
            "search.html", **base, **search_views.search({**params, "kind": "decision"}, result, names, 10)
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
    """HTML is written by the templates in api/web/templates; a Python module of api/ holds no tags
    (a search snippet's <mark> comes from search/; api/web/render.py only reads it)."""
    found = []
    for path in sorted((ROOT / "api").rglob("*.py")):
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
            if MARKUP.search(line):
                found.append(f"{path.relative_to(ROOT)}:{number}: {line.strip()}")
    assert not found, "markup outside api/web/templates:\n" + "\n".join(found)
    templates = ROOT / "api" / "web" / "templates"
    assert not list(templates.rglob("*.py"))
    assert {p.suffix for p in templates.rglob("*") if p.is_file()} == {".html"}


def test_autoescape_is_on_for_every_template() -> None:
    """Every template the environment finds escapes what it prints; none opts out, none marks safe."""
    env = environment()
    names = env.list_templates()
    templates = ROOT / "api" / "web" / "templates"
    assert sorted(names) == sorted(str(p.relative_to(templates)) for p in templates.rglob("*.html"))
    for name in names:
        on = env.autoescape(name) if callable(env.autoescape) else env.autoescape
        assert on is True, name
        source, _, _ = env.loader.get_source(env, name)  # type: ignore[union-attr]
        assert not re.search(r"\|\s*safe\b|autoescape|Markup", source), name


def test_snippet_marks_are_kept_and_everything_else_is_text() -> None:
    """The marks search puts around matched words stay marks, unbalanced ones are mended, and the
    text between them is text (as escaped element content: quotes need no escaping there)."""
    page = render(
        "search.html", title="t", active=None, **_search_with_snippet("a &amp; &lt;b&gt; <mark>x</mark>")
    )
    assert '<p class="snippet">a &amp; &lt;b&gt; <mark>x</mark></p>' in page
    assert snippet_parts("a</mark>b<mark>c<mark>d</mark>e<mark>f") == [
        (False, "ab"),
        (True, "cd"),
        (False, "e"),
        (True, "f"),
    ]
    assert snippet_parts("<mark></mark>") == [(True, "")] and snippet_parts(None) == []
    page = render("search.html", title="t", active=None, **_search_with_snippet("\"' <mark>&quot;</mark>"))
    assert '<p class="snippet">"\' <mark>"</mark></p>' in page


def _search_with_snippet(snippet: str) -> dict[str, Any]:
    hit = {"doc_id": "d", "title": "T", "snippet": snippet, "entities": []}
    result = {"hits": [hit], "facets": {}, "total": 1}
    return search_views.search({"q": "x", "kind": "passage"}, result, {}, 10)

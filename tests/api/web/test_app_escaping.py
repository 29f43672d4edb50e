"""HTML and script in document text, in the names read from it and in what a user types are shown as
text in the UI, never run: every page kind, through the app, on a hostile document.
(tests/api/web/test_ui_templates.py puts the payload in every field of every template's data.)"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import quote

from fastapi.testclient import TestClient
from markupsafe import escape

from api.app import create_app
from api.services import Services
from api.settings import Settings

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


def test_every_page_escapes_a_hostile_document_label_question_and_query(tmp_path: Path) -> None:
    # Text with three tags or more is read as HTML (ingest/readers/markup.py), its tags dropped: two
    # tags in the text, and tags a browser would open although they are never closed. A «quoted»
    # project with the payload in its name: an initiative whose label carries the payload.
    source = tmp_path / "in" / "notat.md"
    source.parent.mkdir()
    source.write_text(
        f"# Referat {TEXT_ATTACK}\n\nSak 1/24 <script>alert(1)</script> {TEXT_ATTACK} Tiltak for barn og unge i "
        f"Vestfold.\n\n## Vitality {TEXT_ATTACK}\n\nLarvik kommune deltar i tiltaket. {TEXT_ATTACK}\n\n"
        "Prosjektet «Trygg \"'<b onmouseover=alert(3) heime» er et samhandlingsprosjekt for skrøpelige eldre "
        "i Larvik kommune.\n",
        encoding="utf-8",
    )
    settings = Settings(data_dir=tmp_path / "data")
    with Services(settings, write=True) as services:
        (report,) = list(services.ingestor().run([source]))
    doc_id = report.doc_ids[0]
    with TestClient(create_app(settings)) as client:
        detail = client.get(f"/documents/{doc_id}").json()
        (hostile,) = [x for x in detail["entities"] if "onmouseover" in x["label"]]
        hostile_page = "/enheter/" + quote(hostile["id"], safe="/")
        larvik = "/enheter/" + quote(
            next(x["id"] for x in detail["entities"] if x["label"] == "Larvik"), safe="/"
        )
        # Each page kind that shows an entity's label: hits, answers, the document, the list, the entity
        # itself and its neighbour (the neighbourhood picture and the relations).
        label_pages = [
            "/sok?q=samhandlingsprosjekt",
            "/spor?q=" + quote("Hvilke tiltak retter seg mot skrøpelige eldre?"),
            f"/dokumenter/{doc_id}",
            "/enheter",
            "/enheter?type=initiative",
            hostile_page,
            larvik,
        ]
        paths = label_pages + [
            "/",
            "/sok?q=" + quote(ATTACK),
            "/sok?q=tiltak",
            "/sok?q=tiltak&kind=decision",
            "/sok?q=barn&entity=" + quote(ATTACK) + "&fellesskap=" + quote(ATTACK),
            "/sok?q=barn&entity=" + quote(hostile["id"]),
            "/spor?q=" + quote(ATTACK),
            "/spor?q=" + quote("Hvilke tiltak retter seg mot barn og unge?"),
            "/dokumenter",
            "/enheter?q=" + quote(ATTACK),
            "/enheter?type=" + quote(ATTACK),
            "/enheter/" + quote(ATTACK),
            "/dokumenter/" + quote(ATTACK),
        ]
        paths += ["/enheter/" + quote(x["id"], safe="/") for x in detail.get("entities", [])]
        pages = {}
        for path in paths:
            response = client.get(path)
            assert response.status_code in (200, 400, 404), path
            pages[path] = response.text
    escaped = str(escape(hostile["label"]))
    for path in label_pages:
        assert escaped in pages[path], path
    for path in (f"/dokumenter/{doc_id}", "/sok?q=tiltak"):
        assert "<script>alert(1)</script>" not in pages[path], path
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in pages[path], path
    assert "onmouseover=alert(1) &lt;img src=x onerror=alert(1)" in pages[f"/dokumenter/{doc_id}"]
    assert (
        "&lt;script&gt;" in pages["/sok?q=" + quote(ATTACK)]
        and "&lt;script&gt;" in pages["/spor?q=" + quote(ATTACK)]
    )
    for path, page in pages.items():
        assert_inert(page, path)

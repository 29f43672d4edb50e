"""Server-rendered HTML of the web UI, with the standard library only (``string.Template`` + ``html``).

Every value is escaped where it is put into markup (:func:`e`); the one exception is a search
snippet, whose ``<mark>`` tags are kept and whose text is escaped again (:func:`snippet_html`).
"""

from __future__ import annotations

import html
import re
from functools import cache
from importlib import resources
from string import Template
from typing import Any
from urllib.parse import quote, urlencode

from kinds import registry

NAV = ("sok", "spor", "dokumenter", "enheter")

# The UI's names of the entity types (singular, plural) and of the relations (read from the subject,
# read from the object), in bokmål: the registry's labels (kinds/data/kinds.json), in its order.
ENTITY_TYPES = {name: (registry().type_label(name), registry().type_label(name, plural=True))
                for name in registry().types}
PREDICATES = {name: (registry().predicate_label(name, "out"), registry().predicate_label(name, "in"))
              for name in registry().predicates}


def e(value: Any) -> str:
    """Escaped text for HTML content and attribute values."""
    return html.escape("" if value is None else str(value), quote=True)


def type_label(entity_type: str | None, plural: bool = False) -> str:
    names = ENTITY_TYPES.get(entity_type or "")
    if names is None:
        return (entity_type or "Enhet").replace("_", " ").capitalize()
    return names[1] if plural else names[0]


def predicate_label(predicate: str, direction: str) -> str:
    out, into = PREDICATES.get(predicate, (predicate, f"{predicate} (omvendt)"))
    return out if direction == "out" else into


def entity_url(entity_id: str) -> str:
    return "/enheter/" + quote(entity_id, safe="/")


def document_url(doc_id: str, passage_id: str | None = None) -> str:
    return f"/dokumenter/{quote(doc_id, safe='')}" + (f"#{quote(passage_id, safe='-_')}" if passage_id else "")


def url(path: str, **params: Any) -> str:
    query = urlencode({k: v for k, v in params.items() if v not in (None, "", [])}, doseq=True)
    return f"{path}?{query}" if query else path


_MARK = re.compile(r"(</?mark>)")


def snippet_html(snippet: str | None) -> str:
    """Keep the <mark> tags of a search snippet; escape everything else (again, to be sure)."""
    out = []
    depth = 0
    for piece in _MARK.split(snippet or ""):
        if piece == "<mark>" and depth == 0:
            out.append(piece)
            depth = 1
        elif piece == "</mark>" and depth == 1:
            out.append(piece)
            depth = 0
        elif piece not in ("<mark>", "</mark>"):
            out.append(html.escape(html.unescape(piece), quote=False))
    if depth:
        out.append("</mark>")
    return "".join(out)


def short(text: str | None, limit: int = 280) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def fmt_date(value: str | None) -> str:
    """2023-11-23 -> 23.11.2023 (the way the documents write it)."""
    if value and re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        y, m, d = value.split("-")
        return f"{d}.{m}.{y}"
    return value or ""


@cache
def _layout() -> Template:
    return Template(resources.files("api").joinpath("templates", "base.html").read_text(encoding="utf-8"))


def page(title: str, body: str, active: str | None = None) -> str:
    marks = {f"nav_{name}": ' aria-current="page"' if name == active else "" for name in NAV}
    return _layout().substitute(title=e(title), body=body, **marks)

"""The web UI's Jinja2 environment: templates in ``api/templates`` (plain .html files), autoescape on.

Every value a template prints is escaped by Jinja2. The one piece of markup that comes from data is a
search snippet's ``<mark>`` tags: the ``snippet`` filter escapes the snippet and then restores only
those tags, and it alone marks its result safe. The labels of entity types, value kinds and relations
are the registry's (kinds/data/kinds.json).
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any
from urllib.parse import quote, urlencode

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from kinds import registry

# The UI's names of the entity types (singular, plural) and of the relations (read from the subject,
# read from the object), in bokmål: the registry's labels (kinds/data/kinds.json), in its order.
ENTITY_TYPES = {
    name: (registry().type_label(name), registry().type_label(name, plural=True)) for name in registry().types
}
PREDICATES = {
    name: (registry().predicate_label(name, "out"), registry().predicate_label(name, "in"))
    for name in registry().predicates
}
TEXT_KIND = "Tekst"  # an answer that is a sentence of the text: no kind of the registry


def type_label(entity_type: str | None, plural: bool = False) -> str:
    names = ENTITY_TYPES.get(entity_type or "")
    if names is None:
        return (entity_type or "Enhet").replace("_", " ").capitalize()
    return names[1] if plural else names[0]


def kind_label(kind: str | None) -> str:
    """The label of what an answer is: an entity type, a value kind (a date, a number) or text."""
    value = registry().values.get(kind or "")
    if value is not None:
        return value.labels["nb"]
    return TEXT_KIND if kind == "text" else type_label(kind)


def predicate_label(predicate: str, direction: str) -> str:
    out, into = PREDICATES.get(predicate, (predicate, f"{predicate} (omvendt)"))
    return out if direction == "out" else into


def entity_url(entity_id: str) -> str:
    return "/enheter/" + quote(entity_id, safe="/")


def document_url(doc_id: str, passage_id: str | None = None) -> str:
    return f"/dokumenter/{quote(doc_id, safe='')}" + (
        f"#{quote(passage_id, safe='-_')}" if passage_id else ""
    )


def url(path: str, params: dict[str, Any] | None = None, **more: Any) -> str:
    """``path?query`` of the non-empty parameters; ``more`` overrides ``params`` (None drops one)."""
    merged = {**(params or {}), **more}
    query = urlencode({k: v for k, v in merged.items() if v not in (None, "", [])}, doseq=True)
    return f"{path}?{query}" if query else path


_MARK = re.compile(r"(</?mark>)")


def snippet_html(snippet: str | None) -> Markup:
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
    return Markup("".join(out))


def short(text: str | None, limit: int = 280) -> str:
    text = " ".join((text or "").split())
    return text if len(text) <= limit else text[: limit - 1].rsplit(" ", 1)[0] + " …"


def fmt_date(value: Any) -> str:
    """2023-11-23 -> 23.11.2023 (the way the documents write it)."""
    value = "" if value is None else str(value)
    if re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
        y, m, d = value.split("-")
        return f"{d}.{m}.{y}"
    return value


def first_upper(value: str | None) -> str:
    """Python's str.capitalize (the rest lower case), as the pages always showed document types."""
    return (value or "").capitalize()


@cache
def environment() -> Environment:
    env = Environment(
        loader=PackageLoader("api", "templates"),
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters.update(
        snippet=snippet_html,
        short=short,
        date=fmt_date,
        cap=first_upper,
        type_label=type_label,
        kind_label=kind_label,
        entity_url=entity_url,
        document_url=document_url,
    )
    env.globals.update(
        url=url,
        entity_url=entity_url,
        document_url=document_url,
        type_label=type_label,
        predicate_label=predicate_label,
    )
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)

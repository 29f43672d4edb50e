"""The web UI's one Jinja2 environment: templates in ``api/web/templates`` (plain .html files, the
macros under ``macros/``), autoescape on for every one of them.

Every value a template prints is escaped by Jinja2. A search snippet arrives as escaped text with
marks around the matched words (search/highlight.py): ``snippet_parts`` reads it back into pieces of
plain text, marked or not, and the template writes the marks (templates/macros/hits.html).
"""

from __future__ import annotations

import html
import re
from functools import cache
from typing import Any, NamedTuple

from jinja2 import Environment, PackageLoader
from markupsafe import Markup

from api.web.labels import kind_label, predicate_label, type_label
from api.web.links import document_url, entity_url, url

# The two tags of search's snippets (the group: "" opens, "/" closes); anything else is text.
_MARK = re.compile(r"<(/?)mark>")


class SnippetPart(NamedTuple):
    marked: bool
    text: str


def snippet_parts(snippet: str | None) -> list[SnippetPart]:
    """A snippet as runs of text, each marked or not; a stray or nested mark is dropped, one left
    open is closed at the end. The text is unescaped: the template escapes it again."""
    pieces = _MARK.split(snippet or "")
    parts: list[SnippetPart] = []
    marked = False
    run = [html.unescape(pieces[0])]
    for closes, text in zip(pieces[1::2], pieces[2::2], strict=True):
        if closes == ("/" if marked else ""):
            parts.append(SnippetPart(marked, "".join(run)))
            marked, run = not marked, []
        run.append(html.unescape(text))
    parts.append(SnippetPart(marked, "".join(run)))
    # An empty mark stays (it always did); an empty run of plain text is nothing.
    return [part for part in parts if part.marked or part.text]


def text_content(value: str) -> Markup:
    """Escaped for an element's content: quotes need no escaping there, and snippets never had it."""
    return Markup(html.escape(value, quote=False))


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
        loader=PackageLoader("api.web", "templates"),
        # Every template, whatever its name: no page or macro file is written without escaping.
        autoescape=True,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    # The links and the type's name serve as filters ({{ id|entity_url }}) and as functions alike.
    shared = {"entity_url": entity_url, "document_url": document_url, "type_label": type_label}
    env.filters.update(
        shared,
        snippet_parts=snippet_parts,
        text=text_content,
        short=short,
        date=fmt_date,
        cap=first_upper,
        kind_label=kind_label,
    )
    env.globals.update(shared, url=url, predicate_label=predicate_label)
    return env


def render(template: str, **context: Any) -> str:
    return environment().get_template(template).render(**context)

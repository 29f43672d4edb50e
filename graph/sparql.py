"""What the read-only SPARQL endpoint reads out of a query's text, and its results as bytes.

Checks that need no parser (does the text mention SERVICE, does it look like an update) and the
serialisation of pyoxigraph results: SELECT and ASK become SPARQL results JSON, CONSTRUCT and
DESCRIBE Turtle or N-Triples, cut at a row limit. The query worker (the embedded store) and the
remote store (results parsed back from the SPARQL server) both serialise here, so they answer alike.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox

from graph.vocab import DEFAULT_BASE, PREFIXES

RESULTS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"

# Only chooses between "not a query" (400) and "an update" (403) for text the engine refused anyway.
_UPDATE = re.compile(
    r"^\s*(?:(?:PREFIX\s+[^\s:]*:\s*<[^>]*>|BASE\s*<[^>]*>)\s*)*"
    r"(?:INSERT|DELETE|LOAD|CLEAR|DROP|CREATE|ADD|MOVE|COPY|WITH)\b",
    re.IGNORECASE,
)
_CODEPOINT = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


@dataclass(frozen=True, slots=True)
class SparqlResult:
    body: bytes
    media_type: str
    truncated: bool


def query_prefixes(base: str = DEFAULT_BASE) -> dict[str, str]:
    """The prefixes a query may use without declaring them."""
    return {**PREFIXES, "id": base}


def mentions_service(query: str) -> bool:
    """Whether the word SERVICE appears anywhere in the text, in any case, also as codepoint escapes.

    A superset of "the query federates", decided without parsing: no engine can read a SERVICE
    keyword out of text without these letters, so no parser disagreement (where a comment ends,
    what an escape means) can hide one. It also refuses the word inside a string or an IRI.
    """
    text = query
    while True:
        unescaped = _CODEPOINT.sub(lambda m: _char(m.group(1) or m.group(2)), text)
        if unescaped == text:
            return "service" in text.casefold()
        text = unescaped


def _char(hex_digits: str) -> str:
    code = int(hex_digits, 16)
    return chr(code) if code <= 0x10FFFF else ""


def looks_like_update(query: str) -> bool:
    return _UPDATE.match(query) is not None


def serialise_result(result: Any, accept: str, row_limit: int, prefixes: dict[str, str]) -> SparqlResult:
    """The body of a query's result: a pyoxigraph QueryBoolean, QuerySolutions, or triples."""
    if isinstance(result, ox.QueryBoolean):
        return SparqlResult(json.dumps({"head": {}, "boolean": bool(result)}).encode(), RESULTS_JSON, False)
    if isinstance(result, ox.QuerySolutions):
        names = [v.value for v in result.variables]
        bindings: list[dict[str, Any]] = []
        truncated = False
        for row in result:
            if len(bindings) >= row_limit:
                truncated = True
                break
            bindings.append({name: term_json(value) for name, value in zip(names, row) if value is not None})
        body = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return SparqlResult(json.dumps(body, ensure_ascii=False).encode(), RESULTS_JSON, truncated)
    triples, truncated = _first(result, row_limit)
    if NTRIPLES in accept or "text/plain" in accept:
        return SparqlResult(ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES) or b"", NTRIPLES, truncated)
    return SparqlResult(
        ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b"", TURTLE, truncated
    )


def _first(triples: Iterable[ox.Triple], limit: int) -> tuple[list[ox.Triple], bool]:
    out: list[ox.Triple] = []
    for triple in triples:
        if len(out) >= limit:
            return out, True
        out.append(triple)
    return out, False


def term_json(term: Any) -> dict[str, Any]:
    """A term as SPARQL results JSON writes it."""
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    if isinstance(term, ox.Literal):
        out = {"type": "literal", "value": term.value}
        if term.language:
            out["xml:lang"] = term.language
        elif term.datatype.value != XSD_STRING:
            out["datatype"] = term.datatype.value
        return out
    if isinstance(term, ox.Triple):
        return {
            "type": "triple",
            "value": {
                "subject": term_json(term.subject),
                "predicate": term_json(term.predicate),
                "object": term_json(term.object),
            },
        }
    return {"type": "literal", "value": str(term)}

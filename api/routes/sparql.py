"""GET|POST /sparql: the SPARQL 1.1 protocol, read-only.

Queries come as ``?query=``, as a form field, or as an ``application/sparql-query`` body. Only
SELECT, ASK, CONSTRUCT and DESCRIBE run; updates and SERVICE (which would make the server fetch
from elsewhere) are refused with 403. A query runs in a small pool of its own threads with a time
limit, and results stop at a row limit (the response then says so in ``X-Hfkg-Truncated``).
"""

from __future__ import annotations

import asyncio
import json
import time
from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request, Response
from pyparsing import ParseBaseException
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.plugins.sparql.parser import parseQuery, parseUpdate
from rdflib.plugins.sparql.parserutils import CompValue

from api.deps import ReadDep, RuntimeDep
from api.errors import ApiError
from api.schemas import ErrorResponse
from graph.store import GraphStore
from graph.vocab import bind_prefixes

router = APIRouter(tags=["sparql"])

RESULTS_JSON = "application/sparql-results+json"
TURTLE = "text/turtle"
NTRIPLES = "application/n-triples"
QUERY_FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
               "DescribeQuery": "DESCRIBE"}
MAX_QUERY_CHARS = 100_000

EXAMPLE = ("SELECT ?initiative ?label WHERE { ?initiative a hfkg:Initiative ; skos:prefLabel ?label } "
           "LIMIT 20")
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {"content": {RESULTS_JSON: {}, TURTLE: {}, NTRIPLES: {}},
          "description": "SELECT/ASK as SPARQL results JSON; CONSTRUCT/DESCRIBE as Turtle or N-Triples"},
    **{code: {"model": ErrorResponse} for code in (400, 403, 415)},
    503: {"model": ErrorResponse, "description": "the query ran out of time"},
}


class QueryTimeout(Exception):
    pass


def query_form(query: str) -> str:
    """SELECT, ASK, CONSTRUCT or DESCRIBE; ApiError 403 for updates and SERVICE, 400 for bad syntax."""
    try:
        parsed = parseQuery(query)
    except ParseBaseException as exc:
        try:
            parseUpdate(query)
        except ParseBaseException:
            raise ApiError(400, f"SPARQL syntax error: {exc}", "bad_query") from exc
        raise ApiError(403, "Only queries are allowed here (SELECT, ASK, CONSTRUCT, DESCRIBE), not updates.",
                       "update_forbidden") from exc
    if _uses_service(parsed):
        raise ApiError(403, "SERVICE (federated queries) is not allowed.", "service_forbidden")
    return QUERY_FORMS[parsed[1].name]


def _uses_service(node: Any) -> bool:
    if isinstance(node, CompValue):
        if node.name == "ServiceGraphPattern":
            return True
        return any(_uses_service(v) for v in node.values())
    if isinstance(node, (list, tuple)) or type(node).__name__ == "ParseResults":
        return any(_uses_service(v) for v in node)
    return False


def run_query(graph: GraphStore, query: str, form: str, accept: str, row_limit: int,
              deadline: float) -> tuple[bytes, str, bool]:
    """Evaluate in a worker thread; stops at the deadline or the row limit while rows stream."""
    result = graph.raw_query(query)
    if form == "ASK":
        return json.dumps({"head": {}, "boolean": bool(result.askAnswer)}).encode(), RESULTS_JSON, False
    if form == "SELECT":
        names = [str(v) for v in result.vars or []]
        bindings = []
        truncated = False
        try:
            for n, row in enumerate(result):
                if n >= row_limit:
                    truncated = True
                    break
                if n % 256 == 0 and time.monotonic() > deadline:
                    raise QueryTimeout
                bindings.append({name: _term(value) for name, value in zip(names, row) if value is not None})
        finally:
            _release(result)
        body = {"head": {"vars": names}, "results": {"bindings": bindings}}
        return json.dumps(body, ensure_ascii=False).encode(), RESULTS_JSON, truncated
    out = Graph()
    bind_prefixes(out, graph.iris.base)
    truncated = False
    for n, triple in enumerate(result.graph or ()):
        if n >= row_limit:
            truncated = True
            break
        if n % 256 == 0 and time.monotonic() > deadline:
            raise QueryTimeout
        out.add(triple)
    if NTRIPLES in accept or "text/plain" in accept:
        return out.serialize(format="nt", encoding="utf-8"), NTRIPLES, truncated
    return out.serialize(format="turtle", encoding="utf-8"), TURTLE, truncated


def _release(result: Any) -> None:
    """Close rows not read (row limit, timeout) here and now: pyoxigraph's solution iterator may
    only be dropped by the thread that made it, and left to the garbage collector it would not be."""
    rows = getattr(result, "_genbindings", None)
    if rows is not None and hasattr(rows, "close"):
        rows.close()
        result._genbindings = None


def _term(value: Any) -> dict[str, str]:
    if isinstance(value, URIRef):
        return {"type": "uri", "value": str(value)}
    if isinstance(value, BNode):
        return {"type": "bnode", "value": str(value)}
    if isinstance(value, Literal):
        term = {"type": "literal", "value": str(value)}
        if value.language:
            term["xml:lang"] = value.language
        elif value.datatype:
            term["datatype"] = str(value.datatype)
        return term
    return {"type": "literal", "value": str(value)}


async def _answer(runtime: Any, read: Any, query: str | None, accept: str) -> Response:
    if not query or not query.strip():
        raise ApiError(400, "Missing SPARQL query: use ?query=, a 'query' form field or an "
                            "application/sparql-query body.", "bad_query")
    if len(query) > MAX_QUERY_CHARS:
        raise ApiError(413, f"The query is longer than {MAX_QUERY_CHARS} characters.")
    form = query_form(query)
    settings = runtime.api
    deadline = time.monotonic() + settings.sparql_timeout_s
    future = runtime.sparql.submit(run_query, read.services.graph, query, form, accept,
                                            settings.sparql_row_limit, deadline)
    try:
        body, media_type, truncated = await asyncio.wait_for(asyncio.wrap_future(future), settings.sparql_timeout_s)
    except (TimeoutError, QueryTimeout) as exc:
        future.cancel()
        raise ApiError(503, f"The query took longer than {settings.sparql_timeout_s:g} s and was stopped.",
                       "query_timeout") from exc
    headers = {"X-Hfkg-Truncated": "true"} if truncated else {}
    return Response(body, media_type=media_type, headers=headers)


@router.get("/sparql", responses=RESPONSES, summary="SPARQL query (read-only)")
async def sparql_get(
    request: Request, runtime: RuntimeDep, read: ReadDep,
    query: Annotated[str | None, Query(description="a SELECT, ASK, CONSTRUCT or DESCRIBE query; "
                                                   "prefixes hfkg, skos, dcterms, prov, rdf, rdfs are known",
                                       examples=[EXAMPLE])] = None,
) -> Response:
    return await _answer(runtime, read, query, request.headers.get("accept", ""))


@router.post("/sparql", responses=RESPONSES, summary="SPARQL query by POST (form or application/sparql-query)",
             openapi_extra={"requestBody": {"content": {
                 "application/sparql-query": {"schema": {"type": "string"}, "example": EXAMPLE},
                 "application/x-www-form-urlencoded": {"schema": {
                     "type": "object", "properties": {"query": {"type": "string"}}}},
             }}})
async def sparql_post(request: Request, runtime: RuntimeDep, read: ReadDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    raw = await request.body()
    if len(raw) > MAX_QUERY_CHARS * 4:
        raise ApiError(413, "The request body is too large for a query.")
    text = raw.decode("utf-8", errors="replace")
    if content_type == "application/sparql-update":
        raise ApiError(403, "SPARQL updates are not allowed.", "update_forbidden")
    if content_type == "application/sparql-query":
        query = text
    elif content_type == "application/x-www-form-urlencoded":
        fields = parse_qs(text, keep_blank_values=True)
        if "update" in fields:
            raise ApiError(403, "SPARQL updates are not allowed.", "update_forbidden")
        query = (fields.get("query") or [None])[0]
    else:
        raise ApiError(415, "Send the query as application/sparql-query or as a form "
                            "(application/x-www-form-urlencoded) with a 'query' field.")
    return await _answer(runtime, read, query, request.headers.get("accept", ""))

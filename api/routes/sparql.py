"""GET|POST /sparql: the SPARQL 1.1 protocol, read-only.

Queries come as ``?query=``, as a form field, or as an ``application/sparql-query`` body; this
module reads them out of the request and gives each refusal its status. What runs and what is
refused is the graph's business (graph/sparql_endpoint.py): only SELECT, ASK, CONSTRUCT and DESCRIBE
run, parsed by the engine itself on a read-only snapshot in a worker process that cannot reach the
network, so updates fail and SERVICE reaches no one whatever the text; SERVICE is also refused up
front, with 403, by a check that needs no parser. A query past its time limit or memory cap is
stopped for real; results stop at a row limit (the response then says so in ``X-Hfkg-Truncated``).
"""

from __future__ import annotations

from typing import Annotated, Any
from urllib.parse import parse_qs

from fastapi import APIRouter, Query, Request, Response
from fastapi.concurrency import run_in_threadpool

from api.deps import Runtime, RuntimeDep
from api.errors import ApiError
from api.schemas import ErrorResponse
from graph.sparql import NTRIPLES, RESULTS_JSON, TURTLE
from graph.sparql_endpoint import MAX_QUERY_CHARS, Refusal, SparqlRefusal

router = APIRouter(tags=["sparql"])

EXAMPLE = "SELECT ?initiative ?label WHERE { ?initiative a hfkg:Initiative ; skos:prefLabel ?label } LIMIT 20"
RESPONSES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {RESULTS_JSON: {}, TURTLE: {}, NTRIPLES: {}},
        "description": "SELECT/ASK as SPARQL results JSON; CONSTRUCT/DESCRIBE as Turtle or N-Triples",
    },
    **{code: {"model": ErrorResponse} for code in (400, 403, 413, 415)},
    503: {"model": ErrorResponse, "description": "the query ran out of time or memory, or too many run"},
}

STATUS = {
    Refusal.BAD_QUERY: 400,
    Refusal.TOO_LONG: 413,
    Refusal.SERVICE: 403,
    Refusal.UPDATE: 403,
    Refusal.TIMEOUT: 503,
    Refusal.TOO_LARGE: 503,
    Refusal.BUSY: 503,
    Refusal.UNAVAILABLE: 503,
}
RETRY_AFTER = {Refusal.BUSY: "5"}  # seconds: the slots free up as soon as a query ends


def refusal_error(refusal: SparqlRefusal) -> ApiError:
    """A refused query as the HTTP error the client gets."""
    retry = RETRY_AFTER.get(refusal.code)
    headers = {"Retry-After": retry} if retry else None
    return ApiError(STATUS[refusal.code], str(refusal), refusal.code.value, headers=headers)


async def _answer(runtime: Runtime, query: str | None, accept: str) -> Response:
    if not query or not query.strip():
        raise ApiError(
            400,
            "Missing SPARQL query: use ?query=, a 'query' form field or an application/sparql-query body.",
            "bad_query",
        )
    try:
        result = await run_in_threadpool(runtime.sparql.answer, query, accept)
    except SparqlRefusal as refusal:
        raise refusal_error(refusal) from refusal
    headers = {"X-Hfkg-Truncated": "true"} if result.truncated else {}
    return Response(result.body, media_type=result.media_type, headers=headers)


async def _body(request: Request, limit: int) -> bytes:
    """The request body, refused with 413 as soon as it passes ``limit`` bytes (never held whole)."""
    chunks, size = [], 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise ApiError(413, "The request body is too large for a query.")
        chunks.append(chunk)
    return b"".join(chunks)


@router.get("/sparql", responses=RESPONSES, summary="SPARQL query (read-only)")
async def sparql_get(
    request: Request,
    runtime: RuntimeDep,
    query: Annotated[
        str | None,
        Query(
            description="a SELECT, ASK, CONSTRUCT or DESCRIBE query; "
            "prefixes hfkg, skos, dcterms, prov, rdf, rdfs are known",
            examples=[EXAMPLE],
        ),
    ] = None,
) -> Response:
    return await _answer(runtime, query, request.headers.get("accept", ""))


@router.post(
    "/sparql",
    responses=RESPONSES,
    summary="SPARQL query by POST (form or application/sparql-query)",
    openapi_extra={
        "requestBody": {
            "content": {
                "application/sparql-query": {"schema": {"type": "string"}, "example": EXAMPLE},
                "application/x-www-form-urlencoded": {
                    "schema": {"type": "object", "properties": {"query": {"type": "string"}}}
                },
            }
        }
    },
)
async def sparql_post(request: Request, runtime: RuntimeDep) -> Response:
    content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
    text = (await _body(request, MAX_QUERY_CHARS * 4)).decode("utf-8", errors="replace")
    if content_type == "application/sparql-update":
        raise ApiError(403, "SPARQL updates are not allowed.", "update_forbidden")
    query: str | None
    if content_type == "application/sparql-query":
        query = text
    elif content_type == "application/x-www-form-urlencoded":
        fields = parse_qs(text, keep_blank_values=True)
        if "update" in fields:
            raise ApiError(403, "SPARQL updates are not allowed.", "update_forbidden")
        query = fields["query"][0] if fields.get("query") else None
    else:
        raise ApiError(
            415,
            "Send the query as application/sparql-query or as a form "
            "(application/x-www-form-urlencoded) with a 'query' field.",
        )
    return await _answer(runtime, query, request.headers.get("accept", ""))

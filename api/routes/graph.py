"""The graph as a whole: the shortest path between two entities, and exports."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Query, Response
from fastapi.concurrency import run_in_threadpool

from api.deps import ReadDep
from api.schemas import ErrorResponse, GraphPath

router = APIRouter(tags=["graph"])

MEDIA_TYPES = {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
EXTENSIONS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld"}


@router.get("/graph/path", response_model=GraphPath, responses={404: {"model": ErrorResponse}},
            summary="The shortest chain of relations between two entities")
def graph_path(
    read: ReadDep,
    source: Annotated[str, Query(alias="from", max_length=300, description="entity id")],
    target: Annotated[str, Query(alias="to", max_length=300, description="entity id")],
) -> dict[str, Any]:
    return read.path(source, target)


@router.get("/export", summary="The whole graph as Turtle, N-Triples or JSON-LD",
            responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}})
async def export(read: ReadDep, format: Literal["turtle", "nt", "jsonld"] = "turtle") -> Response:  # noqa: A002
    text = await run_in_threadpool(read.services.graph.export, format)
    return Response(text, media_type=MEDIA_TYPES[format], headers={
        "Content-Disposition": f'inline; filename="hfkg.{EXTENSIONS[format]}"'})

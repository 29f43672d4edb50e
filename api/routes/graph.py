"""The graph as a whole: the shortest path between two entities, and exports."""

from __future__ import annotations

from collections.abc import Iterator
from typing import IO, Annotated, Any, Literal

from fastapi import APIRouter, Query
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import StreamingResponse

from api.deps import ReadDep, RuntimeDep
from api.schemas import ErrorResponse, GraphPath

router = APIRouter(tags=["graph"])

MEDIA_TYPES = {"turtle": "text/turtle", "nt": "application/n-triples", "jsonld": "application/ld+json"}
EXTENSIONS = {"turtle": "ttl", "nt": "nt", "jsonld": "jsonld"}
CHUNK_BYTES = 1 << 16


@router.get(
    "/graph/path",
    response_model=GraphPath,
    responses={404: {"model": ErrorResponse}},
    summary="The shortest chain of relations between two entities",
)
def graph_path(
    read: ReadDep,
    source: Annotated[str, Query(alias="from", max_length=300, description="entity id")],
    target: Annotated[str, Query(alias="to", max_length=300, description="entity id")],
) -> dict[str, Any]:
    return read.path(source, target)


@router.get(
    "/export",
    summary="The whole graph as Turtle, N-Triples or JSON-LD",
    responses={200: {"content": {m: {} for m in MEDIA_TYPES.values()}}},
)
async def export(
    runtime: RuntimeDep, format: Literal["turtle", "nt", "jsonld"] = "turtle"
) -> StreamingResponse:
    # Written once per write generation, as it is read from the store, and streamed from that file.
    source = await run_in_threadpool(runtime.sparql.export, format)
    return StreamingResponse(
        _chunks(source),
        media_type=MEDIA_TYPES[format],
        headers={"Content-Disposition": f'inline; filename="hfkg.{EXTENSIONS[format]}"'},
    )


def _chunks(source: IO[bytes]) -> Iterator[bytes]:
    with source:
        while chunk := source.read(CHUNK_BYTES):
            yield chunk

"""What `hfkg` on the server's machine asks the server that owns its data directory: the read commands'
answers (documents, document, search, ask, entities, entity, export, check) exactly as the command
computes them from the stores when no server runs (api/reads.py), so that it prints the same.

Not part of the public API (whose JSON has its own shape, and names no server path, which `hfkg check`
does): hidden from the OpenAPI document, and only for a caller holding the token of server.json
(readable by its owner only; see api/local_server.py), like the hand-off of api/routes/handoff.py.
"""

from __future__ import annotations

import hmac
import json
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Header
from fastapi.concurrency import run_in_threadpool
from fastapi.responses import Response

from api import reads
from api.deps import ReadDep, RuntimeDep
from api.errors import ApiError
from api.local_server import COMMAND_ROUTES
from api.services import CheckedStores
from ingest.store.consistency import inspect


def make_router(token: str) -> APIRouter:
    async def holds_token(x_hfkg_token: Annotated[str | None, Header()] = None) -> None:
        if not x_hfkg_token or not hmac.compare_digest(x_hfkg_token, token):
            raise ApiError(403, "this route is for the hfkg command on the server's machine")

    router = APIRouter(prefix=COMMAND_ROUTES, include_in_schema=False, dependencies=[Depends(holds_token)])

    @router.get("/documents")
    def documents(read: ReadDep) -> Response:
        return _json(reads.document_rows(read.services.documents.summaries()))

    @router.get("/document")
    def document(read: ReadDep, doc_id: str) -> Response:
        return _json(reads.document_view(read.services.documents.document(doc_id)))

    @router.get("/search")
    def search(
        read: ReadDep,
        query: str,
        limit: int,
        offset: int,
        kind: str,
        year: str | None = None,
        doc_type: str | None = None,
        fellesskap: str | None = None,
        committee: str | None = None,
        sort: str = "relevance",
        date_from: str | None = None,
        date_to: str | None = None,
        group: bool = False,
    ) -> Response:
        filters = {"year": year, "doc_type": doc_type, "fellesskap": fellesskap, "committee": committee}
        dates = {"date_from": date_from, "date_to": date_to}
        page = {"limit": limit, "offset": offset, "sort": sort, "group": group}
        return _json(read.search(query, **filters, **dates, **page, kind=kind))

    @router.get("/ask")
    def ask(read: ReadDep, question: str) -> Response:
        # Not from the read cache: it keys questions by their words, and the answer repeats the question.
        return _json(read.asker.ask(question))

    @router.get("/entities")
    def entities(read: ReadDep, limit: int, entity_type: str | None = None, q: str | None = None) -> Response:
        total, items = read.entities(entity_type, q, limit, 0)
        return _json({"total": total, "entities": items})

    @router.get("/entity")
    def entity(read: ReadDep, entity_id: str) -> Response:
        return _json(reads.entity_view(read.entity(entity_id), read.timeline(entity_id)))

    @router.get("/export")
    async def export(runtime: RuntimeDep, format: str) -> Response:
        with await run_in_threadpool(runtime.sparql.export, format) as source:
            return Response(await run_in_threadpool(source.read), media_type="text/plain; charset=utf-8")

    @router.get("/check")
    def check(runtime: RuntimeDep) -> Response:
        # The server finishes a change a killed writer left itself, when it starts.
        return _json({**inspect(CheckedStores(runtime.services)), "finished_interrupted": None})

    return router


def _json(value: Any) -> Response:
    """``value`` as the command prints it (its own json.dumps, not the API's encoder)."""
    return Response(json.dumps(value, ensure_ascii=False, default=str), media_type="application/json")

"""`hfkg ingest` hands its files to a running server, which owns the stores (Oxigraph allows one
writer): the CLI finds the server's address and token in the data directory (``server.json``,
readable by its owner only). Not part of the public API: hidden from the OpenAPI document."""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel

from api.deps import RuntimeDep
from api.errors import ApiError

class HandoffRequest(BaseModel):
    paths: list[str]


def make_router(token: str) -> APIRouter:
    handoff = APIRouter()

    @handoff.post("/admin/ingest", include_in_schema=False)
    async def ingest(body: HandoffRequest, runtime: RuntimeDep,
                     x_hfkg_token: Annotated[str | None, Header()] = None) -> dict[str, object]:
        if not x_hfkg_token or not hmac.compare_digest(x_hfkg_token, token):
            raise ApiError(403, "this route is for the hfkg command on the server's machine")
        reports = await run_in_threadpool(runtime.ingest_paths, [Path(p) for p in body.paths])
        return {"reports": [r.to_dict() | {"line": r.line()} for r in reports]}

    return handoff

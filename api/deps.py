"""What routes depend on (FastAPI dependencies): the server's runtime, its current read model, and the
API key that writes need."""

from __future__ import annotations

import secrets
from typing import Annotated

from fastapi import Depends, Header, Request
from fastapi.concurrency import run_in_threadpool

from api.errors import ApiError
from api.read_model import ReadModel
from api.runtime import Runtime


# async so that resolving them costs no trip through the thread pool.
async def get_runtime(request: Request) -> Runtime:
    return request.app.state.runtime


RuntimeDep = Annotated[Runtime, Depends(get_runtime)]


async def get_read_model(runtime: RuntimeDep) -> ReadModel:
    if runtime.shared:
        # Asks the database whether another process committed (api/runtime.py): not on the event loop.
        return await run_in_threadpool(runtime.current)
    return runtime.read


ReadDep = Annotated[ReadModel, Depends(get_read_model)]


async def require_api_key(
    runtime: RuntimeDep,
    x_api_key: Annotated[str | None, Header(description="the key of HFKG_API_KEY")] = None,
    authorization: Annotated[str | None, Header(description="Bearer <key>, instead of X-API-Key")] = None,
) -> None:
    """Writes need HFKG_API_KEY on the server (else 403) and the same key on the request (else 401)."""
    expected = runtime.settings.api_key
    if not expected:
        raise ApiError(403, "Skriving er slått av: serveren har ingen HFKG_API_KEY.", "writes_disabled")
    given = x_api_key
    if given is None and authorization:
        scheme, _, token = authorization.partition(" ")
        given = token.strip() if scheme.lower() == "bearer" else None
    if not given or not secrets.compare_digest(given.encode(), expected.encode()):
        raise ApiError(
            401,
            "Mangler eller feil API-nøkkel (X-API-Key eller Authorization: Bearer).",
            "unauthorized",
            headers={"WWW-Authenticate": "Bearer"},
        )


WriterDep = Annotated[None, Depends(require_api_key)]

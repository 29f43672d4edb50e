"""`hfkg ingest` hands its files to a running server, which owns the stores (Oxigraph allows one
writer): the CLI finds the server's address and token in the data directory (``server.json``,
readable by its owner only; see api/local_server.py). Not part of the public API: hidden from the
OpenAPI document.

The request carries a file's contents, never a path to open: the server reads only the copy it
writes under ``<data>/uploads/`` itself, and ``source`` is the name the manifest keeps the file under
(the caller's path, so that a later run finds it unchanged). A caller with the token can thus make
the server ingest only what it could read and send itself.
"""

from __future__ import annotations

import hmac
from pathlib import Path
from typing import Annotated

from fastapi import APIRouter, Header, Query, Request
from fastapi.concurrency import run_in_threadpool

from api import private, writes
from api.deps import RuntimeDep
from api.errors import ApiError
from api.local_server import HANDOFF_ROUTE
from ingest.pipeline import Origin

NAME = Annotated[str, Query(min_length=1, max_length=4096)]


def make_router(token: str) -> APIRouter:
    handoff = APIRouter()

    @handoff.post(HANDOFF_ROUTE, include_in_schema=False)
    async def ingest(
        request: Request,
        runtime: RuntimeDep,
        source: NAME,
        shown: NAME,
        mtime_ns: Annotated[int, Query(ge=0)],
        x_hfkg_token: Annotated[str | None, Header()] = None,
    ) -> dict[str, object]:
        if not x_hfkg_token or not hmac.compare_digest(x_hfkg_token, token):
            raise ApiError(403, "this route is for the hfkg command on the server's machine")
        if request.headers.get("content-type", "").lower() != "application/octet-stream":
            raise ApiError(415, "the hand-off takes a file's contents (application/octet-stream), not paths")
        limit = runtime.settings.max_file_bytes
        declared = request.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(limit)
        copy = writes.new_upload_path(runtime.settings.data_dir, Path(source).name)
        await _receive(request, copy, limit)
        origin = Origin(source, shown, mtime_ns)
        report = await run_in_threadpool(runtime.ingest_upload, copy, origin)
        return {"report": report.to_dict()}

    return handoff


async def _receive(request: Request, path: Path, limit: int) -> None:
    """The body into a new file at ``path``, at most ``limit`` bytes; nothing stays if it fails."""
    try:
        with private.create_new(path) as out:
            size = 0
            async for chunk in request.stream():
                size += len(chunk)
                if size > limit:
                    raise _too_large(limit)
                await run_in_threadpool(out.write, chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise


def _too_large(limit: int) -> ApiError:
    return ApiError(413, f"the file is over the server's limit of {limit / 1_048_576:.1f} MB")

"""One error envelope for every HTTP error: ``{"error": {"code": "...", "message": "..."}}``.

Library errors (``ingest.errors``) are mapped to statuses here and nowhere else; routes raise
:class:`ApiError` for conditions only the HTTP layer knows (authentication, upload limits).
"""

from __future__ import annotations

import logging
from http import HTTPStatus

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from graph.base import GraphUnavailable
from ingest.errors import (
    DocumentDamaged,
    EmptyDocument,
    EncryptedDocument,
    FileTooLarge,
    HfkgError,
    IngestError,
    NotFound,
    QueryError,
    StoreUnreadable,
    UnsupportedFormat,
)
from search import IndexOutdated

log = logging.getLogger(__name__)

# Status -> the code clients switch on.
CODES: dict[int, str] = {
    400: "bad_request",
    401: "unauthorized",
    403: "forbidden",
    404: "not_found",
    405: "method_not_allowed",
    406: "not_acceptable",
    413: "payload_too_large",
    415: "unsupported_media_type",
    422: "unprocessable",
    500: "internal_error",
    503: "unavailable",
}

# Most specific first: the first class an error is an instance of decides its status.
LIBRARY_ERRORS: list[tuple[type[HfkgError], int, str]] = [
    (NotFound, 404, "not_found"),
    (QueryError, 400, "bad_query"),
    (FileTooLarge, 413, "payload_too_large"),
    (UnsupportedFormat, 415, "unsupported_media_type"),
    (EncryptedDocument, 422, "encrypted_document"),
    (EmptyDocument, 422, "empty_document"),
    (IngestError, 422, "rejected"),
    (DocumentDamaged, 500, "damaged_document"),
    (StoreUnreadable, 503, "store_unreadable"),
    (GraphUnavailable, 503, "unavailable"),
    (IndexOutdated, 503, "unavailable"),
    (HfkgError, 400, "bad_request"),
]


class ApiError(Exception):
    """An error the HTTP layer raises itself, with its status and code."""

    def __init__(
        self, status: int, message: str, code: str | None = None, headers: dict[str, str] | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.code = code or CODES.get(status, HTTPStatus(status).phrase.lower().replace(" ", "_"))
        self.message = message
        self.headers = headers


def envelope(status: int, code: str, message: str, headers: dict[str, str] | None = None) -> JSONResponse:
    return JSONResponse({"error": {"code": code, "message": message}}, status_code=status, headers=headers)


def status_of(exc: HfkgError) -> tuple[int, str]:
    for cls, status, code in LIBRARY_ERRORS:
        if isinstance(exc, cls):
            return status, code
    return 400, "bad_request"


def _validation_message(exc: RequestValidationError) -> str:
    parts = []
    for error in exc.errors():
        where = ".".join(str(p) for p in error.get("loc", ()) if p not in ("query", "body", "path", "header"))
        parts.append(f"{where}: {error.get('msg')}" if where else str(error.get("msg")))
    return "; ".join(parts) or "invalid request"


def install_error_handlers(app: FastAPI) -> None:
    @app.exception_handler(ApiError)
    async def _api_error(request: Request, exc: ApiError) -> JSONResponse:
        return envelope(exc.status, exc.code, exc.message, exc.headers)

    @app.exception_handler(HfkgError)
    async def _library_error(request: Request, exc: HfkgError) -> JSONResponse:
        status, code = status_of(exc)
        return envelope(status, code, str(exc))

    @app.exception_handler(RequestValidationError)
    async def _validation_error(request: Request, exc: RequestValidationError) -> JSONResponse:
        return envelope(422, "validation_error", _validation_message(exc))

    @app.exception_handler(StarletteHTTPException)
    async def _http_error(request: Request, exc: StarletteHTTPException) -> JSONResponse:
        code = CODES.get(exc.status_code, HTTPStatus(exc.status_code).phrase.lower().replace(" ", "_"))
        message = exc.detail if isinstance(exc.detail, str) else HTTPStatus(exc.status_code).phrase
        return envelope(exc.status_code, code, message, getattr(exc, "headers", None))

    @app.exception_handler(Exception)
    async def _internal_error(request: Request, exc: Exception) -> JSONResponse:
        # Logged with its traceback; the client gets no internals.
        log.exception("internal error on %s %s", request.method, request.url.path)
        return envelope(500, "internal_error", "internal server error")

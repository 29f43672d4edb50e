"""The FastAPI application: ``create_app(settings)`` builds it; nothing is created at import time.

from api.app import create_app
from api.settings import Settings
app = create_app(Settings(data_dir="data"))      # uvicorn.run(app) or TestClient(app)
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from importlib import resources

from fastapi import FastAPI
from fastapi.responses import HTMLResponse
from fastapi.staticfiles import StaticFiles

from api import private, writes
from api.errors import install_error_handlers
from api.headers import DOCS_ASSETS, SecurityHeaders, docs_assets, docs_page, redoc_page
from api.limits import ReadLimiter
from api.local_server import Claim
from api.routes import (
    ask,
    command_line,
    documents,
    entities,
    export,
    graph,
    handoff,
    health,
    search,
    source,
    sparql,
)
from api.runtime import Runtime
from api.settings import Settings
from api.web import routes as web
from api.workers import worker_settings

DESCRIPTION = """Search, questions and the knowledge graph of the helsefellesskap documents.

Every error answers `{"error": {"code": "...", "message": "..."}}` with its HTTP status.
Writes (`POST /documents`, `DELETE /documents/{doc_id}`) need `HFKG_API_KEY` on the server and the same key
in `X-API-Key` or `Authorization: Bearer` on the request. The web UI is at `/`; these docs are also at `/redoc`.
"""


def create_app(
    settings: Settings,
    handoff_token: str | None = None,
    claim: Claim | None = None,
    runtime: Runtime | None = None,
    *,
    tidy: bool = True,
) -> FastAPI:
    """The API and web UI over one data directory; the app opens its stores when it starts.

    With ``handoff_token``, `hfkg ingest` on this machine hands its files to the server (see
    api/routes/handoff.py) instead of failing on the stores the server holds, and the read commands
    ask it (api/routes/command_line.py) instead of opening them; ``claim`` is the
    server.json of `hfkg serve` (api/local_server.py), removed when the app stops; ``runtime``, the
    stores it opened already (so that a store it cannot take is one line, not a start-up traceback);
    ``tidy=False`` for a worker of several, whose `hfkg serve` mended the stores and removed the
    orphan uploads before it started them (a worker restarted later must not take another's upload,
    saved and not yet committed, for an orphan).
    """

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # The server owns the stores for its lifetime: opened once, written only by it.
        private.private_dir(settings.data_dir)
        owned = runtime or Runtime(settings, tidy=tidy)
        app.state.runtime = owned
        try:
            if tidy:
                writes.remove_orphan_uploads(owned.ingestor)
            yield
        finally:
            owned.close()
            if claim is not None:
                # Here, not after uvicorn returns: it re-raises SIGTERM once shut down.
                claim.remove()

    # No trailing-slash redirects: Starlette builds them from the request's Host header.
    app = FastAPI(
        title="hfkg",
        version="0.1.0",
        description=DESCRIPTION,
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
        redirect_slashes=False,
    )
    # Inside the security headers, so that a 503 for a busy server carries them too.
    app.add_middleware(
        ReadLimiter, slots=settings.read_slots, queue=settings.read_queue, exempt=("/health", "/sparql")
    )
    app.add_middleware(SecurityHeaders)
    install_error_handlers(app)

    @app.get("/docs", include_in_schema=False)
    async def docs() -> HTMLResponse:
        return docs_page(f"{app.title} – API", app.openapi_url or "/openapi.json")

    @app.get("/redoc", include_in_schema=False)
    async def redoc() -> HTMLResponse:
        return redoc_page(f"{app.title} – API", app.openapi_url or "/openapi.json")

    for module in (health, export, search, ask, source, documents, entities, graph, sparql):
        app.include_router(module.router)
    app.include_router(web.router)
    if handoff_token:
        app.include_router(handoff.make_router(handoff_token))
        app.include_router(command_line.make_router(handoff_token))
    # Before /static, which would otherwise take these paths: the docs' bundles, from their package.
    app.mount(DOCS_ASSETS, StaticFiles(directory=str(docs_assets())), name="docs-assets")
    static = resources.files("api.web").joinpath("static")
    app.mount("/static", StaticFiles(directory=str(static)), name="static")
    return app


def worker_app() -> FastAPI:
    """One worker of `hfkg serve --workers N`, built by uvicorn in each worker process (api/workers.py):
    its settings and hand-off token from the environment `hfkg serve` gave it."""
    private.restrict_process()
    settings, token = worker_settings()
    return create_app(settings, handoff_token=token, tidy=False)

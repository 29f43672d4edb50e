"""`hfkg serve`: the API and web UI on the data directory, which the server owns until it stops."""

from __future__ import annotations

import argparse
import secrets
import sys
from typing import TYPE_CHECKING

from api.cli.output import EXIT_OK
from api.settings import Settings
from graph.base import GraphUnavailable

if TYPE_CHECKING:
    from api.runtime import Runtime


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """A second server on the same data directory refuses to start (exit 2), leaving the first alone."""
    import uvicorn

    from api import local_server
    from api.app import create_app

    token = secrets.token_hex(24)
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    claim = local_server.claim(
        settings.data_dir,
        url=f"http://{host}:{args.port}",
        token=token,
        max_file_bytes=settings.max_file_bytes,
    )
    runtime, app = None, None
    try:
        runtime = _open_stores(settings)
        app = create_app(settings, handoff_token=token, claim=claim, runtime=runtime)
        print(
            f"hfkg: serving {settings.data_dir} at http://{args.host}:{args.port}/ "
            "(API docs at /docs and /redoc)",
            file=sys.stderr,
        )
        # Stopped (SIGTERM, Ctrl-C), it waits for requests in progress this long, then ends them.
        uvicorn.run(
            app,
            host=args.host,
            port=args.port,
            log_level="info",
            timeout_graceful_shutdown=max(1, round(settings.shutdown_s)),
        )
    finally:
        if runtime is not None and getattr(getattr(app, "state", None), "runtime", None) is None:
            runtime.close()  # the app never started (its port taken): it closes them itself otherwise
        claim.release()
    return EXIT_OK


def _open_stores(settings: Settings) -> Runtime:
    """The stores opened before the server starts, not in its start-up, where a store another process
    holds (a server started otherwise, an ingest) would end in uvicorn's traceback: one line instead."""
    from api import local_server
    from api.runtime import Runtime

    try:
        return Runtime(settings)
    except GraphUnavailable as exc:
        held = local_server.store_holder(settings.data_dir)
        if not held:
            raise
        raise local_server.ServerRunning(
            f"the stores of {settings.data_dir} are in use{held}; stop it first"
        ) from exc

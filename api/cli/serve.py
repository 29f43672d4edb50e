"""`hfkg serve`: the API and web UI on the data directory, which the server owns until it stops."""

from __future__ import annotations

import argparse
import secrets
import sys

from api.cli.output import EXIT_OK
from api.settings import Settings


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
    try:
        app = create_app(settings, handoff_token=token, claim=claim)
        print(
            f"hfkg: serving {settings.data_dir} at http://{args.host}:{args.port}/ (API docs at /docs)",
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
        claim.release()
    return EXIT_OK

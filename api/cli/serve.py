"""`hfkg serve`: the API and web UI on the data directory, which the server owns until it stops.

With ``--workers N`` (N > 1, on the server engines only: api/workers.py) this process holds the data
directory's claim and mends the stores, then uvicorn runs N worker processes behind the one port.
"""

from __future__ import annotations

import argparse
import secrets
import sys
from typing import TYPE_CHECKING, Any

from api.cli.output import EXIT_OK
from api.settings import Settings
from graph.base import GraphUnavailable

if TYPE_CHECKING:
    from api.runtime import Runtime


def cmd_serve(settings: Settings, args: argparse.Namespace) -> int:
    """A second server on the same data directory refuses to start (exit 2), leaving the first alone;
    so does ``--workers N`` on the embedded stores."""
    import uvicorn

    from api import local_server, workers
    from api.app import create_app

    count = int(getattr(args, "workers", 1))
    workers.check_workers(settings, count)
    token = secrets.token_hex(24)
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host
    claim = local_server.claim(
        settings.data_dir,
        url=f"http://{host}:{args.port}",
        token=token,
        max_file_bytes=settings.max_file_bytes,
    )
    runtime, app = None, None
    # Stopped (SIGTERM, Ctrl-C), it waits for requests in progress this long, then ends them.
    options: dict[str, Any] = {
        "host": args.host,
        "port": args.port,
        "log_level": "info",
        "timeout_graceful_shutdown": max(1, round(settings.shutdown_s)),
    }
    try:
        runtime = _open_stores(settings)
        shown = f" with {count} workers" if count > 1 else ""
        print(
            f"hfkg: serving {settings.data_dir} at http://{args.host}:{args.port}/{shown} "
            "(API docs at /docs and /redoc)",
            file=sys.stderr,
        )
        if count > 1:
            _tidy_and_close(runtime)
            runtime = None
            workers.export_for_workers(settings)
            uvicorn.run(workers.WORKER_APP, factory=True, workers=count, **options)
        else:
            app = create_app(settings, handoff_token=token, claim=claim, runtime=runtime)
            uvicorn.run(app, **options)
    finally:
        if runtime is not None and getattr(getattr(app, "state", None), "runtime", None) is None:
            runtime.close()  # the app never started (its port taken): it closes them itself otherwise
        claim.release()
    return EXIT_OK


def _tidy_and_close(runtime: Runtime) -> None:
    """What one server does as it starts, done once for all the workers: the stores were mended as
    they were opened; the uploads a kill left go now, before any worker saves one."""
    from api import writes

    try:
        writes.remove_orphan_uploads(runtime.ingestor)
    finally:
        runtime.close()


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

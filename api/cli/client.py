"""The CLI's side of a running `hfkg serve` on the same data directory: finding it, handing it files
to ingest, and asking it what the read commands print.

While a server runs it owns the stores (Oxigraph allows one writer, and reading its store from another
process while it writes is undefined behaviour), so a command goes through it: it finds the server's
address and token in ``<data>/server.json`` (api/local_server.py). A server that holds the data
directory but does not answer is reported as such; the command never falls back to the stores.
"""

from __future__ import annotations

import json
import os
import stat
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api import local_server
from ingest.errors import HfkgError, NotFound
from ingest.pipeline import FileReport, display_path

HEALTH_TIMEOUT_S = 3
READ_TIMEOUT_S = 600  # a question on a large data directory takes seconds; a hung server, for ever
BUSY_TRIES = 30  # a server with every read slot taken answers 503 with Retry-After


class ServerNotAnswering(HfkgError):
    """A server holds the data directory but does not answer."""


class HandoffRefused(HfkgError):
    """The server answered a hand-off with an error."""


class ServerError(HfkgError):
    """The server answered a read with an error (its message is the one the stores would have given)."""


@dataclass(frozen=True, slots=True)
class Server:
    """A running server, as its server.json describes it."""

    url: str
    token: str
    pid: int | None = None
    max_file_bytes: int = 0

    @property
    def name(self) -> str:
        return f"pid {self.pid}, {self.url}" if self.pid else self.url


def find(data_dir: Path) -> Server | None:
    """The server that owns this data directory's stores, or None when none runs (a server.json a dead
    server left is ignored). Raises :class:`ServerNotAnswering` for one that holds it but does not
    answer (starting, stopping or stuck)."""
    if not local_server.held(data_dir):
        return None
    try:
        info = json.loads((data_dir / local_server.SERVER_FILE).read_text(encoding="utf-8"))
        server = Server(
            str(info["url"]), str(info["token"]), info.get("pid"), int(info.get("max_file_bytes") or 0)
        )
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise ServerNotAnswering(
            f"a server holds {data_dir} but its {local_server.SERVER_FILE} cannot be read ({exc})"
        ) from None
    try:
        with urllib.request.urlopen(server.url + "/health", timeout=HEALTH_TIMEOUT_S) as response:
            response.read()
    except (OSError, ValueError) as exc:
        raise not_answering(server, data_dir, exc) from None
    return server


def not_answering(server: Server, data_dir: Path, exc: Exception) -> ServerNotAnswering:
    return ServerNotAnswering(
        f"a server ({server.name}) owns {data_dir} but does not answer ({exc}); wait until it has "
        "started, or stop it: while it runs, the command reads nothing from the stores itself"
    )


def hand_over(server: Server, path: Path) -> FileReport:
    """Send one file's contents to the server, which ingests them under this file's name and
    modification time (so that a later run finds it unchanged, as without a server)."""
    shown = display_path(path)
    try:
        # Non-blocking: opening a named pipe for reading would wait for a writer for ever; for a
        # regular file the flag changes nothing.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return FileReport(shown, "rejected", "not a regular file")
            limit = server.max_file_bytes
            if limit and info.st_size > limit:
                return FileReport(
                    shown,
                    "rejected",
                    f"file is {info.st_size / 1_048_576:.1f} MB, over the "
                    f"server's limit of {limit / 1_048_576:.1f} MB",
                )
            data = handle.read()
    except FileNotFoundError:
        return FileReport(shown, "rejected", "no such file")
    except OSError as exc:
        return FileReport(shown, "rejected", f"cannot read file: {exc.strerror or exc}")
    query = urllib.parse.urlencode(
        {"source": str(path.resolve()), "shown": shown, "mtime_ns": info.st_mtime_ns}
    )
    request = urllib.request.Request(
        f"{server.url}{local_server.HANDOFF_ROUTE}?{query}",
        data=data,
        method="POST",
        headers={"Content-Type": "application/octet-stream", local_server.TOKEN_HEADER: server.token},
    )
    try:
        with urllib.request.urlopen(request, timeout=None) as response:
            return FileReport(**json.loads(response.read())["report"])
    except urllib.error.HTTPError as exc:
        raise HandoffRefused(
            f"the server refused the ingest: {exc.read().decode('utf-8', 'replace')}"
        ) from exc


class ServerReads:
    """:class:`api.reads.Reads` asked of the server (api/routes/command_line.py)."""

    def __init__(self, server: Server, data_dir: Path) -> None:
        self.server = server
        self.data_dir = data_dir

    def documents(self) -> list[dict[str, Any]]:
        return self._json("documents")

    def document(self, doc_id: str) -> dict[str, Any]:
        return self._json("document", doc_id=doc_id)

    def search(self, query: str, **filters: Any) -> dict[str, Any]:
        return self._json("search", query=query, **filters)

    def ask(self, question: str) -> dict[str, Any]:
        return self._json("ask", question=question)

    def entities(self, entity_type: str | None, q: str | None, limit: int) -> dict[str, Any]:
        return self._json("entities", entity_type=entity_type, q=q, limit=limit)

    def entity(self, entity_id: str) -> dict[str, Any]:
        return self._json("entity", entity_id=entity_id)

    def export(self, fmt: str) -> str:
        return self._get("export", format=fmt).decode("utf-8")

    def check(self) -> dict[str, Any]:
        return self._json("check")

    def close(self) -> None:
        """Nothing to release: every read is its own request."""

    def _json(self, what: str, **params: Any) -> Any:
        return json.loads(self._get(what, **params))

    def _get(self, what: str, **params: Any) -> bytes:
        given = {k: v for k, v in params.items() if v is not None}
        url = f"{self.server.url}{local_server.COMMAND_ROUTES}/{what}?{urllib.parse.urlencode(given)}"
        request = urllib.request.Request(url, headers={local_server.TOKEN_HEADER: self.server.token})
        for _ in range(BUSY_TRIES):
            try:
                with urllib.request.urlopen(request, timeout=READ_TIMEOUT_S) as response:
                    return response.read()
            except urllib.error.HTTPError as exc:
                if exc.code != 503 or "Retry-After" not in exc.headers:
                    raise _server_error(exc) from None
                time.sleep(float(exc.headers["Retry-After"]))
            except (OSError, ValueError) as exc:
                raise not_answering(self.server, self.data_dir, exc) from None
        raise ServerError(f"the server ({self.server.name}) stayed busy; try again later")


def _server_error(exc: urllib.error.HTTPError) -> HfkgError:
    """The server's error envelope as the error the stores would have raised."""
    body = exc.read().decode("utf-8", "replace")
    try:
        error = json.loads(body)["error"]
        code, message = str(error["code"]), str(error["message"])
    except (ValueError, KeyError, TypeError):
        code, message = "", body or str(exc)
    return NotFound(message) if code == "not_found" else ServerError(message)

"""The server that owns a data directory, as other processes on the machine see it.

``hfkg serve`` claims the data directory: it holds ``<data>/.server.lock`` (an exclusive lock the
kernel lets go of when the process dies, however it dies) and writes ``<data>/server.json`` with its
address and the hand-off token, created owner-only. A second server finds the lock taken and refuses
to start, leaving the first's server.json alone; a server.json whose server died is replaced.

``hfkg ingest`` finds the server through server.json and hands it each file's *contents* (see
api/routes/handoff.py): the server never opens a path it is given, so the token lets a caller do
nothing with the server's rights that it could not do with its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import stat
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from api import private
from ingest.errors import HfkgError
from ingest.pipeline import FileReport, display_path

SERVER_FILE = "server.json"
SERVER_LOCK = ".server.lock"
HANDOFF_ROUTE = "/admin/ingest"
TOKEN_HEADER = "X-Hfkg-Token"


class ServerRunning(HfkgError):
    """Another server already owns the data directory."""


class HandoffRefused(HfkgError):
    """The server answered a hand-off with an error."""


@dataclass(slots=True)
class Claim:
    """This process serves the data directory: it holds the lock and wrote server.json."""

    path: Path
    token: str
    lock_fd: int

    def remove(self) -> None:
        """Remove server.json when it is this server's (it always is while the lock is held; checked
        because deleting another server's file is what broke the first server's hand-off)."""
        with contextlib.suppress(OSError, ValueError):
            if json.loads(self.path.read_text(encoding="utf-8")).get("token") == self.token:
                self.path.unlink()

    def release(self) -> None:
        self.remove()
        with contextlib.suppress(OSError):
            os.close(self.lock_fd)


def claim(data_dir: Path, *, url: str, token: str, max_file_bytes: int) -> Claim:
    """Take the data directory for this server, or raise :class:`ServerRunning`."""
    private.private_dir(data_dir)
    fd = os.open(data_dir / SERVER_LOCK, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, private.FILE_MODE)
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        raise ServerRunning(
            f"a server already serves {data_dir}{_describe(data_dir)}; stop it first"
        ) from None
    path = data_dir / SERVER_FILE
    path.unlink(missing_ok=True)  # we hold the lock: a server.json still here is a dead server's
    try:
        with private.create_new(path) as out:
            out.write(
                json.dumps(
                    {"url": url, "token": token, "pid": os.getpid(), "max_file_bytes": max_file_bytes}
                ).encode("utf-8")
            )
    except BaseException:
        os.close(fd)
        raise
    return Claim(path, token, fd)


def _describe(data_dir: Path) -> str:
    try:
        running = json.loads((data_dir / SERVER_FILE).read_text(encoding="utf-8"))
        return f" (pid {running['pid']}, {running['url']})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def find(data_dir: Path) -> dict[str, Any] | None:
    """The server that owns this data directory's stores, if one answers."""
    try:
        server = json.loads((data_dir / SERVER_FILE).read_text(encoding="utf-8"))
        with urllib.request.urlopen(server["url"] + "/health", timeout=3) as response:
            response.read()
        return server  # type: ignore[no-any-return]
    except (OSError, ValueError, KeyError, TypeError):
        return None


def hand_over(server: dict[str, Any], path: Path) -> FileReport:
    """Send one file's contents to the server, which ingests them under this file's name and
    modification time (so that a later run finds it unchanged, as without a server)."""
    shown = display_path(path)
    limit = int(server.get("max_file_bytes") or 0)
    try:
        # Non-blocking: opening a named pipe for reading would wait for a writer for ever; for a
        # regular file the flag changes nothing.
        with os.fdopen(os.open(path, os.O_RDONLY | os.O_NONBLOCK), "rb") as handle:
            info = os.fstat(handle.fileno())
            if not stat.S_ISREG(info.st_mode):
                return FileReport(shown, "rejected", "not a regular file")
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
        f"{server['url']}{HANDOFF_ROUTE}?{query}",
        data=data,
        method="POST",
        headers={"Content-Type": "application/octet-stream", TOKEN_HEADER: server["token"]},
    )
    try:
        with urllib.request.urlopen(request, timeout=None) as response:
            return FileReport(**json.loads(response.read())["report"])
    except urllib.error.HTTPError as exc:
        raise HandoffRefused(
            f"the server refused the ingest: {exc.read().decode('utf-8', 'replace')}"
        ) from exc

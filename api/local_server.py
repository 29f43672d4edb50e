"""The server that owns a data directory, as other processes on the machine see it.

``hfkg serve`` claims the data directory: it holds ``<data>/.server.lock`` (an exclusive lock the
kernel lets go of when the process dies, however it dies) and writes ``<data>/server.json`` with its
address and the hand-off token, created owner-only. A second server finds the lock taken and refuses
to start, leaving the first's server.json alone; a server.json whose server died is replaced.

The CLI finds the server through server.json (api/cli/client.py): ``hfkg ingest`` hands it each
file's *contents* (see api/routes/handoff.py), and the read commands ask it what they print (see
api/routes/command_line.py). The server never opens a path it is given, so the token lets a caller do
nothing with the server's rights that it could not do with its own.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import struct
import time
from dataclasses import dataclass
from pathlib import Path

from api import private
from ingest.errors import HfkgError

SERVER_FILE = "server.json"
SERVER_LOCK = ".server.lock"
HANDOFF_ROUTE = "/admin/ingest"
COMMAND_ROUTES = "/admin/cli"  # what the read commands print (api/routes/command_line.py)
TOKEN_HEADER = "X-Hfkg-Token"
LOCK_TRIES = 5
GRAPH_LOCK = "graph/LOCK"  # RocksDB's lock file in the embedded graph store: a POSIX lock its owner holds
_FLOCK = "hhqqi4x"  # struct flock on 64-bit Linux: type, whence, start, len, pid


class ServerRunning(HfkgError):
    """Another server already owns the data directory."""


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
    if not _lock(fd):
        os.close(fd)
        raise ServerRunning(f"a server already serves {data_dir}{describe(data_dir)}; stop it first")
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


def _lock(fd: int) -> bool:
    """The server lock taken, or False when a server holds it. Tried a few times: a command asking
    whether a server runs (:func:`held`) holds it for an instant."""
    for attempt in range(LOCK_TRIES):
        if attempt:
            time.sleep(0.02)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            return True
        except BlockingIOError:
            continue
    return False


def held(data_dir: Path) -> bool:
    """Whether a live server holds the data directory: its lock is taken (a dead one's is not)."""
    try:
        fd = os.open(data_dir / SERVER_LOCK, os.O_RDONLY | os.O_CLOEXEC)
    except OSError:
        return False
    try:
        # Shared and let go at once (a server starting in that instant tries again: :func:`_lock`).
        fcntl.flock(fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(fd)
    return False


def token_of(data_dir: Path, *, pid: int) -> str | None:
    """The hand-off token in the data directory's server.json when process ``pid`` wrote it (a worker
    of `hfkg serve --workers N` asks for its parent's), else None."""
    try:
        running = json.loads((data_dir / SERVER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(running, dict) or running.get("pid") != pid or not held(data_dir):
        return None
    token = running.get("token")
    return token if isinstance(token, str) and token else None


def describe(data_dir: Path) -> str:
    try:
        running = json.loads((data_dir / SERVER_FILE).read_text(encoding="utf-8"))
        return f" (pid {running['pid']}, {running['url']})"
    except (OSError, ValueError, KeyError, TypeError):
        return ""


def store_holder(data_dir: Path) -> str:
    """Who holds the embedded graph store when no `hfkg serve` does (a server started another way, an
    ingest): " by process N (its command line)", or "" when that cannot be told."""
    try:
        fd = os.open(data_dir / GRAPH_LOCK, os.O_RDWR | os.O_CLOEXEC)
    except OSError:
        return ""
    try:
        asked = struct.pack(_FLOCK, fcntl.F_WRLCK, os.SEEK_SET, 0, 0, 0)
        kind, _, _, _, pid = struct.unpack(_FLOCK, fcntl.fcntl(fd, fcntl.F_GETLK, asked))
    except OSError:
        return ""
    finally:
        os.close(fd)
    if kind == fcntl.F_UNLCK or pid <= 0:
        return ""
    try:
        command = " ".join(
            Path(f"/proc/{pid}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace").split()
        )
    except OSError:
        command = ""
    return f" by process {pid}" + (f" ({command[:120]})" if command else "")

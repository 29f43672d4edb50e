"""The data directory is its owner's only: it holds every document whole, uploads the API never
shows, and the hand-off token. Files are created with their final permissions, never opened wider and
narrowed after (another local user can open a file in that moment and keep it open)."""

from __future__ import annotations

import logging
import os
import stat
from pathlib import Path
from typing import BinaryIO

log = logging.getLogger(__name__)

UMASK = 0o077  # what the stores' engines (SQLite, whoosh, RocksDB) create follows the process umask
DIR_MODE = 0o700
FILE_MODE = 0o600
MANIFEST = "manifest.sqlite"  # marks a folder as a data directory, so that only such a folder is narrowed


def restrict_process() -> None:
    """Everything this process creates from now on is its owner's only. For the CLI, which owns its
    process; a library call leaves the caller's umask alone and relies on :func:`private_dir`."""
    os.umask(UMASK)


def private_dir(path: Path, *, create: bool = True) -> Path:
    """``path`` as a folder only its owner can enter: created so, and narrowed when it is a data
    directory of ours left open by an earlier version (a folder with a manifest, owned by us)."""
    if create:
        path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    try:
        info = path.stat()
    except FileNotFoundError:
        return path
    mode = stat.S_IMODE(info.st_mode)
    if mode & 0o077 and info.st_uid == os.geteuid() and (path / MANIFEST).exists():
        path.chmod(DIR_MODE)
        log.warning("made %s its owner's only (it was %s)", path, oct(mode))
    return path


def create_new(path: Path) -> BinaryIO:
    """A new file for writing, its owner's only from the start; never an existing file or a symlink."""
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW | os.O_CLOEXEC, FILE_MODE)
    return os.fdopen(fd, "wb")

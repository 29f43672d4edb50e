"""Which files a list of paths names: folders walked in a fixed order (the order ingest reports and,
with several worker processes, commits them in), each real file once; and how a path is shown."""

from __future__ import annotations

import logging
import os
from collections.abc import Iterable, Iterator
from pathlib import Path
from stat import S_ISDIR

log = logging.getLogger(__name__)


def iter_files(paths: Iterable[Path]) -> Iterator[Path]:
    """Files named, and files below folders named (recursively, hidden ones skipped), in order: a
    folder's files, then its sub-folders. Symbolic links are followed, and each real file and folder
    is visited once, so that a link back up the tree (a loop) is skipped with a warning and the walk
    goes on. A name that cannot be resolved (a loop of links, a missing target) is yielded as it is,
    for :meth:`Ingestor.ingest_file` to reject with its reason."""
    seen: set[tuple[int, int]] = set()  # (device, inode) of every file and folder visited
    for path in paths:
        stack = [path]
        while stack:
            current = stack.pop()
            try:
                info = current.stat()
            except OSError:
                yield current
                continue
            if (info.st_dev, info.st_ino) in seen:
                if S_ISDIR(info.st_mode):
                    log.warning("skipped %s: a symbolic link loop (back to a folder already read)", current)
                else:
                    log.info("skipped %s: a file already read under another name", current)
                continue
            seen.add((info.st_dev, info.st_ino))
            if not S_ISDIR(info.st_mode):
                yield current
                continue
            try:
                entries = sorted(os.scandir(current), key=lambda e: e.name)
            except OSError as exc:
                log.warning("skipped folder %s: %s", current, exc.strerror or exc)
                continue
            visible = [e for e in entries if not e.name.startswith(".")]
            folders = [Path(e.path) for e in visible if _is_dir(e)]
            files = [Path(e.path) for e in visible if not _is_dir(e)]
            # Files first, then folders in order: the stack takes them in reverse.
            stack.extend(reversed(files + folders))


def _is_dir(entry: os.DirEntry[str]) -> bool:
    try:
        return entry.is_dir()  # through a link: a link to a folder is a folder to walk
    except OSError:
        return False


def display_path(path: Path) -> str:
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except (ValueError, OSError, RuntimeError):  # outside the working folder; a symbolic link loop
        return str(path)

"""The original files: ``originals/<first two hex>/<sha256>``, one copy of the bytes of each file ingest
accepted, whatever folder, upload or server hand-over it came from.

Content-addressed, so that files with the same bytes share one copy, and a copy is never rewritten:
it appears whole (written aside, then renamed into place) or not at all. The manifest says which
source holds which copy (the ``original`` of its source entry); the journal names every copy a change
writes before it writes it, and every copy a change may leave unused, so that a crash leaves no copy
that neither names (see :mod:`ingest.store.journal`). A copy no source of documents names goes when
the change that stopped naming it commits; one a writer did not put there is reported by `hfkg check`.

:class:`Copies` is what the journal, the check and the API ask of them: :class:`Originals` here, or
:class:`ingest.store.postgres.OriginalRows` (the bytes as rows, served from a local copy).
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from pathlib import Path
from typing import Protocol

from ingest.quarantine import Quarantine

ORIGINALS = "originals"
SHA256 = re.compile(r"[0-9a-f]{64}")
CHUNK = 1024 * 1024


class Copies(Protocol):
    """Copies of original files by sha256 (the names of :meth:`Originals.name`)."""

    def held(self, sha: str, size: int | None = None) -> Path | None:
        """A local file holding the copy (of the recorded size), to serve or link; None when not kept."""

    def holds(self, sha: str) -> bool:
        """Whether anything is kept under this sha256 (whole or not)."""

    def put(self, sha: str, data: bytes) -> None: ...

    def remove(self, sha: str) -> None: ...

    def files(self) -> list[str]:
        """Everything kept, by name (copies, and whatever else is there)."""

    def unnamed(self, named: set[str]) -> list[str]:
        """What is kept that is not the copy of a sha256 in ``named`` (nor one being written)."""

    def intact(self, sha: str, size: int | None) -> bool:
        """Whether the copy is there and still holds the bytes it is named by."""

    def set_aside(self, quarantine: Quarantine, name: str) -> None:
        """Move what is kept under a name (of :meth:`files`) into quarantine."""


class Originals:
    """The ``originals/`` folder of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.folder = Path(data_dir) / ORIGINALS

    def path(self, sha: str) -> Path:
        """Where the copy with this sha256 is; only a sha256 (never a name from a request) makes one."""
        if not SHA256.fullmatch(sha):
            raise ValueError(f"not a sha256: {sha!r}")
        return self.folder / sha[:2] / sha

    def held(self, sha: str, size: int | None = None) -> Path | None:
        """The copy's path when it is a regular file (not a link) of the recorded size, else None."""
        try:
            path = self.path(sha)
            info = path.lstat()
        except (OSError, ValueError):
            return None
        if not path.is_file() or path.is_symlink() or (size is not None and info.st_size != size):
            return None
        return path

    def holds(self, sha: str) -> bool:
        path = self.path(sha)
        return path.exists() or path.is_symlink()

    def set_aside(self, quarantine: Quarantine, name: str) -> None:
        quarantine.move(self.folder / name)

    def put(self, sha: str, data: bytes) -> None:
        """Keep the bytes under their sha256 (the caller hashed them); a copy already there stays."""
        path = self.path(sha)
        if self.held(sha, len(data)) is not None:
            return
        self.folder.mkdir(mode=0o700, parents=True, exist_ok=True)  # the owner's alone, as the data dir
        path.parent.mkdir(mode=0o700, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{sha[:12]}.", suffix=".tmp")
        try:
            with os.fdopen(fd, "wb") as handle:
                handle.write(data)
                handle.flush()
                os.fsync(handle.fileno())
            os.chmod(tmp, 0o600)  # as uploads: the owner's alone
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise

    def remove(self, sha: str) -> None:
        if not SHA256.fullmatch(sha):  # a manifest entry naming something else names no copy of ours
            return
        with contextlib.suppress(FileNotFoundError):
            self.path(sha).unlink()
        with contextlib.suppress(OSError):  # the folder of its prefix, when it was the last one there
            self.path(sha).parent.rmdir()

    @staticmethod
    def name(sha: str) -> str:
        """The copy's name relative to the folder (as `hfkg check` reports it)."""
        return f"{sha[:2]}/{sha}"

    def files(self) -> list[str]:
        """Every file in the folder, by its name relative to it (copies, and whatever else is there)."""
        if not self.folder.is_dir():
            return []
        return sorted(
            p.relative_to(self.folder).as_posix()
            for p in self.folder.rglob("*")
            if p.is_file() or p.is_symlink()
        )

    def unnamed(self, named: set[str]) -> list[str]:
        """Files that are not the copy of a sha256 in ``named``, nor one being written (its temporary
        file) for one."""
        ours = {self.name(s) for s in named} | {f"{s[:2]}/.{s[:12]}." for s in named}
        return [f for f in self.files() if f not in ours and f[:17] not in ours]

    def intact(self, sha: str, size: int | None) -> bool:
        """Whether the copy is there and still holds the bytes it is named by."""
        path = self.held(sha, size)
        if path is None:
            return False
        digest = hashlib.sha256()
        try:
            with path.open("rb") as f:
                while chunk := f.read(CHUNK):
                    digest.update(chunk)
        except OSError:
            return False
        return digest.hexdigest() == sha

"""The document files: ``docs/<doc_id>.json``, one whole document each, and ``docs/.staged/<generation>/``
where a change puts new versions of documents the manifest still names until it commits.

Every file appears whole (written aside, then renamed into place), so a reader never sees half of one.

:class:`Records` is what the journal and the store ask of document records, whichever backend keeps
them: :class:`DocumentFiles` here, :class:`ingest.store.postgres.DocumentRows` in PostgreSQL. A record
is named by its document id and, for a staged version, by the generation of the change staging it.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Protocol

from ingest.errors import DocumentDamaged
from ingest.model import Document
from ingest.quarantine import Quarantine

STAGED = ".staged"


def atomic_write(path: Path, text: str) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        raise


def decode(doc_id: str, text: str, damaged: Callable[[str], DocumentDamaged]) -> Document:
    """The document a record holds; ``damaged`` makes the error saying why it cannot be read."""
    try:
        doc = Document.from_dict(json.loads(text))
    except (ValueError, TypeError, KeyError, AttributeError) as exc:  # truncated, not JSON, not a document
        raise damaged(f"{type(exc).__name__}: {exc}") from exc
    if doc.doc_id != doc_id:
        raise damaged(f"it holds document {doc.doc_id!r}")
    return doc


class Records(Protocol):
    """Whole documents, each in place or staged by the change of one generation (``staged``)."""

    def write(self, doc: Document, staged: int | None = None) -> None: ...

    def read(self, doc_id: str, staged: int | None = None) -> Document:
        """The document, or :class:`DocumentDamaged` saying what is wrong with its record."""

    def exists(self, doc_id: str) -> bool: ...

    def remove(self, doc_id: str) -> None: ...

    def move_into_place(self, generation: int, doc_id: str) -> None: ...

    def drop_staging(self, generation: int) -> None: ...

    def ids(self) -> list[str]:
        """The documents that have a record in place, in order."""

    def staging_names(self, but: str | None) -> list[str]:
        """The staged changes (by generation) except the one named ``but``."""

    def set_aside(
        self, quarantine: Quarantine, doc_id: str | None = None, staging: str | None = None
    ) -> None:
        """Move a document's record, or a staged change, into quarantine."""


class DocumentFiles:
    """The ``docs/`` folder of one data directory."""

    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.folder = self.data_dir / "docs"

    def path(self, doc_id: str) -> Path:
        """Where a document's file is (whether or not the manifest names it)."""
        return self.folder / f"{doc_id}.json"

    def staging(self, generation: int) -> Path:
        return self.folder / STAGED / str(generation)

    def staged_path(self, generation: int, doc_id: str) -> Path:
        return self.staging(generation) / f"{doc_id}.json"

    def _where(self, doc_id: str, staged: int | None) -> Path:
        return self.path(doc_id) if staged is None else self.staged_path(staged, doc_id)

    def write(self, doc: Document, staged: int | None = None) -> None:
        atomic_write(self._where(doc.doc_id, staged), json.dumps(doc.to_dict(), ensure_ascii=False))

    def read(self, doc_id: str, staged: int | None = None) -> Document:
        """The document in its file, or :class:`DocumentDamaged` saying what is wrong with the file."""
        path = self._where(doc_id, staged)
        try:
            text = path.read_text(encoding="utf-8")
        except FileNotFoundError:
            raise self._damaged(doc_id, path, "the file is missing") from None
        return decode(doc_id, text, lambda reason: self._damaged(doc_id, path, reason))

    def _damaged(self, doc_id: str, path: Path, reason: str) -> DocumentDamaged:
        where = path.relative_to(self.data_dir) if path.is_relative_to(self.data_dir) else path
        return DocumentDamaged(
            doc_id,
            f"document {doc_id} cannot be read: {where} is damaged ({reason}); "
            f"`hfkg check` lists every damaged file",
        )

    def exists(self, doc_id: str) -> bool:
        return self.path(doc_id).exists()

    def remove(self, doc_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            self.path(doc_id).unlink()

    def move_into_place(self, generation: int, doc_id: str) -> None:
        with contextlib.suppress(FileNotFoundError):
            os.replace(self.staged_path(generation, doc_id), self.path(doc_id))

    def drop_staging(self, generation: int) -> None:
        shutil.rmtree(self.staging(generation), ignore_errors=True)

    def ids(self) -> list[str]:
        """The documents that have a file, in order."""
        if not self.folder.is_dir():
            return []
        return sorted(p.stem for p in self.folder.glob("*.json"))

    def staging_names(self, but: str | None) -> list[str]:
        """The staging folders, except the one named ``but``."""
        folder = self.folder / STAGED
        if not folder.is_dir():
            return []
        return sorted(p.name for p in folder.iterdir() if p.name != but)

    def set_aside(
        self, quarantine: Quarantine, doc_id: str | None = None, staging: str | None = None
    ) -> None:
        quarantine.move(self.path(doc_id) if doc_id is not None else self.folder / STAGED / str(staging))

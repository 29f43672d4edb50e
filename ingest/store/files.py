"""The document files: ``docs/<doc_id>.json``, one whole document each, and ``docs/.staged/<generation>/``
where a change puts new versions of documents the manifest still names until it commits.

Every file appears whole (written aside, then renamed into place), so a reader never sees half of one.
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import tempfile
from pathlib import Path

from ingest.errors import DocumentDamaged
from ingest.model import Document

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

    def write(self, path: Path, doc: Document) -> None:
        atomic_write(path, json.dumps(doc.to_dict(), ensure_ascii=False))

    def read(self, doc_id: str, path: Path) -> Document:
        """The document in ``path``, or :class:`DocumentDamaged` saying what is wrong with the file."""
        try:
            doc = Document.from_dict(json.loads(path.read_text(encoding="utf-8")))
        except FileNotFoundError:
            raise self._damaged(doc_id, path, "the file is missing") from None
        except (
            ValueError,
            TypeError,
            KeyError,
            AttributeError,
        ) as exc:  # truncated, not JSON, not a document
            raise self._damaged(doc_id, path, f"{type(exc).__name__}: {exc}") from exc
        if doc.doc_id != doc_id:
            raise self._damaged(doc_id, path, f"it holds document {doc.doc_id!r}")
        return doc

    def _damaged(self, doc_id: str, path: Path, reason: str) -> DocumentDamaged:
        where = path.relative_to(self.data_dir) if path.is_relative_to(self.data_dir) else path
        return DocumentDamaged(
            doc_id,
            f"document {doc_id} cannot be read: {where} is damaged ({reason}); "
            f"`hfkg check` lists every damaged file",
        )

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

    def staging_folders(self, but: str | None) -> list[Path]:
        """The staging folders, except the one named ``but``."""
        folder = self.folder / STAGED
        if not folder.is_dir():
            return []
        return sorted(p for p in folder.iterdir() if p.name != but)

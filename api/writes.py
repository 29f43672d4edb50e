"""The writes the API makes to a data directory: store an upload and ingest it, delete a document.

Both hold the ingest store's write lock and commit through the ingestor's journaled change
(:meth:`ingest.pipeline.Ingestor.commit`), so a crash at any step is finished by the next writer.
"""

from __future__ import annotations

import contextlib
import re
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ingest.dedupe import find_duplicate
from ingest.errors import NotFound
from ingest.pipeline import FileReport, Ingestor
from ingest.readers.base import SUPPORTED_EXTENSIONS
from ingest.store import Change, DocumentStore

UPLOADS = "uploads"
_FOLD = str.maketrans({"æ": "ae", "ø": "o", "å": "a", "Æ": "AE", "Ø": "O", "Å": "A"})
_UNSAFE = re.compile(r"[^A-Za-z0-9._-]+")
MAX_NAME = 80


def safe_filename(name: str | None) -> str:
    """A client's file name reduced to its last part in safe ASCII: 'Årsmelding 2023 (ny).PDF' ->
    'Arsmelding-2023-ny.pdf'. Never a path, never hidden, never empty."""
    base = re.split(r"[\\/]", name or "")[-1]
    base = unicodedata.normalize("NFKD", base.translate(_FOLD))
    base = "".join(c for c in base if not unicodedata.combining(c))
    stem, dot, ext = base.rpartition(".")
    if not dot:
        stem, ext = base, ""
    stem = _UNSAFE.sub("-", stem).strip(".-_")[:MAX_NAME] or "opplasting"
    ext = _UNSAFE.sub("", ext).lower()[:10]
    return f"{stem}.{ext}" if ext else stem


def is_supported(filename: str) -> bool:
    return Path(filename).suffix.lower() in SUPPORTED_EXTENSIONS


def new_upload_path(data_dir: Path, filename: str) -> Path:
    """A fresh path under ``<data>/uploads/`` for a sanitised name; unique, so nothing is overwritten."""
    folder = (data_dir / UPLOADS).resolve()
    folder.mkdir(parents=True, exist_ok=True)
    path = (folder / f"{uuid.uuid4().hex[:12]}-{safe_filename(filename)}").resolve()
    if path.parent != folder:  # cannot happen with a sanitised name; checked because it must not
        raise ValueError(f"upload path escapes {folder}")
    return path


def ingest_upload(ingestor: Ingestor, path: Path) -> FileReport:
    """Ingest one stored upload as the only writer; a rejected upload's file is removed again."""
    with ingestor.writing():
        report = ingestor.ingest_file(path)
    if report.status in ("rejected", "error"):
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
    return report


@dataclass(slots=True)
class Deletion:
    doc_id: str
    source: str | None
    source_removed: bool
    repointed: dict[str, str | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {"doc_id": self.doc_id, "deleted": True, "source": self.source,
                "source_removed": self.source_removed, "repointed": self.repointed}


def delete_document(ingestor: Ingestor, doc_id: str, *, data_dir: Path) -> Deletion:
    """Remove a document from the search index, the graph and the manifest; its source goes too when
    it held nothing else (and an uploaded source file with it). Duplicates of the document are
    pointed at another copy, or become originals. One journaled change (see :mod:`ingest.store`)."""
    store = ingestor.store
    with ingestor.writing():
        if store.summary(doc_id) is None:
            raise NotFound(f"no document with id {doc_id!r}")
        held = store.source_of(doc_id)
        repoint = _repoint(store, doc_id)
        changed = []
        for other_id, target in repoint.items():
            other = store.document(other_id)
            other.duplicate_of = target
            changed.append(other)
        change = Change(add=changed, drop=[doc_id], unindex=[doc_id])
        source_removed = False
        key, source = held if held else (None, None)
        if key is not None and source is not None:
            entry = {**source, "doc_ids": [i for i in source.get("doc_ids", []) if i != doc_id]}
            if entry["doc_ids"]:
                change.sources[key] = entry
            else:
                # Sources recorded as 'same content as' this one would otherwise stay 'unchanged' forever.
                gone = entry.get("path")
                change.drop_sources = [key] + [k for k, e in store.sources().items()
                                               if gone and e.get("same_as") == gone and not e.get("doc_ids")]
                source_removed = True
        ingestor.commit(change)
    if key and source_removed:
        _remove_uploaded_file(Path(key), data_dir)
    return Deletion(doc_id, (source or {}).get("path") or key, source_removed, repoint)


def _repoint(store: DocumentStore, removed: str) -> dict[str, str | None]:
    changes: dict[str, str | None] = {}
    for doc_id in store.duplicates_of([removed]):
        candidates = store.fingerprints(exclude={removed, doc_id})
        changes[doc_id] = find_duplicate(store.fingerprint(doc_id), candidates)
    return changes


def _remove_uploaded_file(source: Path, data_dir: Path) -> None:
    """Only files the API stored itself are deleted; sources elsewhere belong to their owners."""
    uploads = (data_dir / UPLOADS).resolve()
    if source.parent == uploads:
        with contextlib.suppress(FileNotFoundError):
            source.unlink()

"""The writes the API makes to a data directory: store an upload and ingest it, delete a document.

Both hold the ingest store's write lock and commit through the ingestor's journaled change
(:meth:`ingest.pipeline.Ingestor.commit`), so a crash at any step is finished by the next writer.

The commit that ingests an upload keeps its bytes in ``<data>/originals/`` (ingest/store/originals.py),
as it does for every file. Its file under ``<data>/uploads/`` then becomes a second name of that copy
(a hard link: the bytes are stored once) and stays only while the manifest names it as the source of
documents: a rejected, failed or duplicate upload's file goes at once, a handed-over copy goes once
read, and what a kill left (a file saved, never committed) goes when the server next starts.
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import shutil
import unicodedata
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

from api import private
from ingest.attachments import drop_parts
from ingest.errors import NotFound
from ingest.pipeline import FileReport, Ingestor, Origin
from ingest.readers.base import SUPPORTED_EXTENSIONS
from ingest.store import Change, DocumentStore

log = logging.getLogger(__name__)

UPLOADS = "uploads"
OURS = re.compile(r"^[0-9a-f]{12}-")  # the prefix new_upload_path gives: only such files are ever removed
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
    folder = private.private_dir(data_dir / UPLOADS).resolve()
    path = (folder / f"{uuid.uuid4().hex[:12]}-{safe_filename(filename)}").resolve()
    if path.parent != folder:  # cannot happen with a sanitised name; checked because it must not
        raise ValueError(f"upload path escapes {folder}")
    return path


def store_upload(source: BinaryIO, path: Path) -> None:
    """Save an upload under its new path, owner-only; a partial file never stays behind."""
    try:
        with private.create_new(path) as out:
            shutil.copyfileobj(source, out, 1024 * 1024)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            path.unlink()
        raise


def ingest_upload(ingestor: Ingestor, path: Path, origin: Origin | None = None) -> FileReport:
    """Ingest one stored file under ``<data>/uploads/`` as the only writer.

    Without ``origin`` the file is an upload, its source named ``uploads/<name>``; it is kept when it
    holds documents, as a second name of its copy in ``originals/``, removed otherwise (with the
    source entry of a duplicate: an upload's name is new each time, so the entry could never find it
    unchanged). With ``origin`` it is a copy of a file `hfkg ingest` handed over, whose source is that
    file: the copy always goes (its bytes are in ``originals/``).
    """
    key = str(path.resolve())
    try:
        with ingestor.writing():
            report = ingestor.ingest_file(path, origin or Origin(key, f"{UPLOADS}/{path.name}"))
            entry = ingestor.store.source(key)
            if origin is None and entry is not None and not entry.get("doc_ids"):
                ingestor.store.commit(Change(drop_sources=[key]))
    finally:
        if origin is not None or not _holds_documents(ingestor.store, key):
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
        else:
            _link_to_copy(ingestor.store, key, path)
    return report


def _holds_documents(store: DocumentStore, key: str) -> bool:
    entry = store.source(key)
    return bool(entry and entry.get("doc_ids"))


def _link_to_copy(store: DocumentStore, key: str, path: Path) -> None:
    """Make the kept upload a second name of its copy in originals/, so that its bytes are stored once.
    Where the file system has no hard links, the upload stays a file of its own."""
    sha = (store.source(key) or {}).get("original")
    copy = store.originals.held(str(sha)) if sha else None
    if copy is None:
        return
    aside = path.with_name(f".{path.name}.link")
    try:
        os.link(copy, aside)
        os.replace(aside, path)
    except OSError as exc:
        log.warning("upload %s kept as a file of its own (no hard link: %s)", path.name, exc)
        with contextlib.suppress(FileNotFoundError):
            aside.unlink()


def orphan_uploads(store: DocumentStore) -> list[Path]:
    """Files under ``<data>/uploads/`` that no source of documents names (in the manifest or a hot
    journal): left by a kill between saving and committing, or by a duplicate upload of an earlier
    version. Matched by name, so that a data directory moved elsewhere still finds its own."""
    folder = store.data_dir / UPLOADS
    if not folder.is_dir():
        return []
    journal = store.journal() or {"sources": {}}
    named = {Path(key).name for key, entry in store.sources().items() if entry.get("doc_ids")}
    named |= {Path(key).name for key in journal["sources"]}
    return sorted(p for p in folder.iterdir() if p.is_file() and p.name not in named)


def remove_orphan_uploads(ingestor: Ingestor) -> list[Path]:
    """As the only writer (at server start): remove the orphan uploads this code named (others are
    the owner's, only reported), and the source entries of uploads that hold no document."""
    store = ingestor.store
    with ingestor.writing():
        folder = (store.data_dir / UPLOADS).resolve()
        empty = [
            key
            for key, entry in store.sources().items()
            if Path(key).parent == folder and not entry.get("doc_ids")
        ]
        if empty:
            store.commit(Change(drop_sources=empty))
        removed = [p for p in orphan_uploads(store) if OURS.match(p.name)]
        for path in removed:
            log.warning(
                "removing %s: an upload no document came from (interrupted or a duplicate)", path.name
            )
            with contextlib.suppress(FileNotFoundError):
                path.unlink()
    return removed


@dataclass(slots=True)
class Deletion:
    doc_id: str
    source: str | None
    source_removed: bool
    repointed: dict[str, str | None] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        return {
            "doc_id": self.doc_id,
            "deleted": True,
            "source": self.source,
            "source_removed": self.source_removed,
            "repointed": self.repointed,
        }


def delete_document(ingestor: Ingestor, doc_id: str, *, data_dir: Path) -> Deletion:
    """Remove a document from the search index, the graph and the manifest; its source goes too when
    it held nothing else (and an uploaded source file with it). Duplicates of the document are
    pointed at another copy, or become originals. One journaled change (see :mod:`ingest.store`)."""
    store = ingestor.store
    with ingestor.writing():
        if store.summary(doc_id) is None:
            raise NotFound(f"no document with id {doc_id!r}")
        held = store.source_of(doc_id)
        repoint = ingestor.repoint([doc_id])
        change = Change(add=ingestor.repointed(repoint), drop=[doc_id], unindex=[doc_id])
        source_removed = False
        key, source = held if held else (None, None)
        if key is not None and source is not None:
            entry = {**source, "doc_ids": [i for i in source.get("doc_ids", []) if i != doc_id]}
            if entry["doc_ids"]:
                change.sources[key] = entry
            else:
                # Sources recorded as 'same content as' this one would otherwise stay 'unchanged' forever.
                gone = entry.get("path")
                change.drop_sources = [key] + [
                    k
                    for k, e in store.sources().items()
                    if gone and e.get("same_as") == gone and not e.get("doc_ids")
                ]
                source_removed = True
                # An e-mail's attachments go with it (ingest/attachments.py).
                drop_parts(ingestor, key, change)
        ingestor.commit(change)
    if key and source_removed:
        _remove_uploaded_file(Path(key), data_dir)
    return Deletion(doc_id, (source or {}).get("path") or key, source_removed, repoint)


def _remove_uploaded_file(source: Path, data_dir: Path) -> None:
    """Only files the API stored itself are deleted; sources elsewhere belong to their owners."""
    uploads = (data_dir / UPLOADS).resolve()
    if source.parent == uploads:
        with contextlib.suppress(FileNotFoundError):
            source.unlink()

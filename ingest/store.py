"""The ingest manifest: which source files hold which documents, and the documents themselves.

Layout in the data directory: ``manifest.json`` (sources and document summaries) and
``docs/<doc_id>.json`` (full documents). Writes go to a temporary file and are renamed into place,
so a reader sees either the old or the new manifest, never half of one. One writer at a time holds
``.write.lock``.
"""

from __future__ import annotations

import contextlib
import fcntl
import json
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from ingest.errors import NotFound
from ingest.extract import registry_entries
from ingest.model import Document

VERSION = 1


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


class DocumentStore:
    def __init__(self, data_dir: Path) -> None:
        self.data_dir = Path(data_dir)
        self.manifest_path = self.data_dir / "manifest.json"
        self.docs_dir = self.data_dir / "docs"
        self._manifest: dict[str, Any] | None = None
        self._mtime: float | None = None

    # -- reading ----------------------------------------------------------------------------
    def manifest(self) -> dict[str, Any]:
        """The manifest as last committed; re-read when another process has committed since."""
        try:
            mtime = self.manifest_path.stat().st_mtime_ns
        except FileNotFoundError:
            return {"version": VERSION, "sources": {}, "documents": {}}
        if self._manifest is None or mtime != self._mtime:
            self._manifest = json.loads(self.manifest_path.read_text(encoding="utf-8"))
            self._mtime = mtime
        return self._manifest

    def summaries(self) -> list[dict[str, Any]]:
        docs = self.manifest()["documents"].values()
        return sorted(({k: v for k, v in d.items() if k != "fingerprint"} for d in docs),
                      key=lambda d: (d.get("source") or "", d.get("part", 0)))

    def document(self, doc_id: str) -> Document:
        if doc_id not in self.manifest()["documents"] or "/" in doc_id or doc_id.startswith("."):
            raise NotFound(f"no document with id {doc_id!r}")
        path = self.docs_dir / f"{doc_id}.json"
        return Document.from_dict(json.loads(path.read_text(encoding="utf-8")))

    def source(self, key: str) -> dict[str, Any] | None:
        return self.manifest()["sources"].get(key)

    def source_with_hash(self, sha256: str, exclude: str) -> str | None:
        for key, entry in self.manifest()["sources"].items():
            if entry.get("sha256") == sha256 and key != exclude and entry.get("doc_ids"):
                return key
        return None

    def registry(self) -> dict[str, dict[str, Any]]:
        """Committees and initiatives named so far, for resolving variants across documents."""
        return dict(self.manifest().get("registry", {}))

    def fingerprints(self, exclude: set[str]) -> dict[str, list[int]]:
        return {
            doc_id: d.get("fingerprint", [])
            for doc_id, d in self.manifest()["documents"].items()
            if doc_id not in exclude and not d.get("duplicate_of")
        }

    # -- writing ----------------------------------------------------------------------------
    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        with open(self.data_dir / ".write.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            try:
                self._manifest = None
                yield
            finally:
                fcntl.flock(lock, fcntl.LOCK_UN)

    def commit(self, key: str, entry: dict[str, Any], add: list[Document], remove: list[str],
               repoint: dict[str, str | None]) -> None:
        """Replace ``remove`` with ``add`` and record the source, as one manifest write."""
        current = self.manifest()
        # A private copy to edit (entries are replaced, never changed in place, so a shallow copy of
        # each table is enough); readers keep the committed one.
        manifest = {**current, "sources": dict(current["sources"]), "documents": dict(current["documents"]),
                    "registry": dict(current.get("registry", {}))}
        for doc in add:
            atomic_write(self.docs_dir / f"{doc.doc_id}.json", json.dumps(doc.to_dict(), ensure_ascii=False))
        for doc_id in remove:
            manifest["documents"].pop(doc_id, None)
        for doc in add:
            summary = doc.summary()
            summary["part"] = doc.part
            summary["headings"] = len(doc.headings)
            summary["fingerprint"] = doc.fingerprint
            manifest["documents"][doc.doc_id] = summary
        for doc_id, target in repoint.items():
            if doc_id in manifest["documents"]:
                manifest["documents"][doc_id] = {**manifest["documents"][doc_id], "duplicate_of": target}
                path = self.docs_dir / f"{doc_id}.json"
                data = json.loads(path.read_text(encoding="utf-8"))
                data["duplicate_of"] = target
                atomic_write(path, json.dumps(data, ensure_ascii=False))
        manifest["sources"][key] = entry
        registry = manifest["registry"]
        for doc in add:
            registry.update(registry_entries(doc))
        manifest["version"] = VERSION
        atomic_write(self.manifest_path, json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))
        self._manifest = manifest
        self._mtime = self.manifest_path.stat().st_mtime_ns
        kept = set(manifest["documents"])
        for doc_id in remove:
            if doc_id not in kept:
                with contextlib.suppress(FileNotFoundError):
                    (self.docs_dir / f"{doc_id}.json").unlink()

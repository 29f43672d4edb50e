"""What `hfkg check` verifies: that the manifest, the search index and the graph can be read and hold the
same documents, that every document has a readable file and every source of documents its original
copy in ``originals/`` (with the bytes its sha256 names), and that ``docs/``, ``originals/`` and
``uploads/`` hold nothing the manifest cannot account for.

The search index and the graph are reached through :class:`HoldsDocuments` (``ingest`` imports neither
``search`` nor ``graph``); ``api`` opens the stores and hands them over as :class:`Stores`.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Collection
from pathlib import Path
from typing import Any, Protocol

from ingest.errors import HfkgError, ManifestUnreadable
from ingest.store import DocumentStore

# An upload is stored before its ingest takes the write lock, and a large one takes minutes to read:
# a younger file the manifest does not record yet may be on its way in, and is left alone.
UPLOAD_GRACE_S = 3600

MISMATCHES = (
    "missing_in_search",
    "extra_in_search",
    "missing_in_graph",
    "extra_in_graph",
    "duplicate_flag_differs_in_search",
    "duplicate_flag_differs_in_graph",
)
FILE_PROBLEMS = (
    "missing_document_files",
    "damaged_document_files",
    "orphan_files",
    "stray_staging",
    "unaccounted_uploads",
    "missing_originals",
    "orphan_originals",
)


class HoldsDocuments(Protocol):
    """A store kept in step with the manifest, as the check reads it (the search index, the graph)."""

    def doc_ids(self) -> set[str]: ...

    def duplicate_ids(self) -> set[str]: ...


class Stores(Protocol):
    """The three stores of one data directory (``api.services.Services`` is one)."""

    @property
    def documents(self) -> DocumentStore: ...

    @property
    def search(self) -> HoldsDocuments: ...

    @property
    def graph(self) -> HoldsDocuments: ...


class Inspected(Stores, Protocol):
    """The stores, and the uploads no source records (the upload folder is the API's)."""

    def orphan_uploads(self) -> list[Path]: ...


def consistency(stores: Stores) -> dict[str, object]:
    """The document sets of the manifest, the search index and the graph, and how they differ: which
    documents each holds, and which of them each marks as a duplicate of another.

    Without the write lock: documents of a change a writer is committing right now (named by its
    journal) are reported as in flight, not as a mismatch; a comparison that a commit overtook (the
    manifest's generation moved while the stores were read) is made again.
    """
    store = stores.documents
    for _ in range(5):
        generation = store.generation()
        before = store.journal()
        report = _compare(stores)
        after = store.journal()
        if store.generation() == generation:
            break
    in_flight: set[str] = set()
    for journal in (before, after):
        if journal is not None:
            in_flight |= set(journal["add"]) | set(journal["unindex"]) | set(journal["drop"])
    for key in MISMATCHES:
        report[key] = [i for i in report[key] if i not in in_flight]
    return {
        **report,
        "in_flight": sorted(in_flight),
        "generation": generation,
        "consistent": not any(report[k] for k in MISMATCHES),
    }


def _compare(stores: Stores) -> dict[str, Any]:
    summaries = stores.documents.summaries()
    manifest = {d["doc_id"] for d in summaries}
    search = stores.search.doc_ids()
    graph = stores.graph.doc_ids()
    duplicates = {d["doc_id"] for d in summaries if d.get("duplicate_of")}
    search_dups = stores.search.duplicate_ids() & manifest
    graph_dups = stores.graph.duplicate_ids() & manifest
    return {
        "manifest": len(manifest),
        "search": len(search),
        "graph": len(graph),
        "missing_in_search": sorted(manifest - search),
        "extra_in_search": sorted(search - manifest),
        "missing_in_graph": sorted(manifest - graph),
        "extra_in_graph": sorted(graph - manifest),
        "duplicate_flag_differs_in_search": sorted(duplicates ^ search_dups),
        "duplicate_flag_differs_in_graph": sorted(duplicates ^ graph_dups),
    }


def inspect(stores: Inspected) -> dict[str, Any]:
    """Everything `hfkg check` verifies, each problem by name: that the manifest, the search index and
    the graph can be read and hold the same documents (:func:`consistency`), that every document the
    manifest names has a readable file, and that docs/ and uploads/ hold nothing the manifest cannot
    account for. ``ok`` is whether nothing is wrong."""
    unreadable = _unreadable(stores)
    report: dict[str, Any] = {
        "manifest": None,
        "search": None,
        "graph": None,
        **{k: [] for k in MISMATCHES},
        "in_flight": [],
        "generation": None,
        "consistent": False,
        **{k: [] for k in FILE_PROBLEMS},
        "damaged_document_files": {},
        "uploads_in_progress": [],
    }
    if "manifest" not in unreadable:
        if unreadable:
            report["manifest"] = stores.documents.count()
        else:
            report.update(consistency(stores))
        report.update(_file_problems(stores))
    report["unreadable"] = unreadable
    report["ok"] = not unreadable and report["consistent"] and not any(report[k] for k in FILE_PROBLEMS)
    return report


def _unreadable(stores: Stores) -> dict[str, str]:
    """The stores that cannot be read, each with why."""
    unreadable: dict[str, str] = {}
    try:
        stores.documents.generation()
    except ManifestUnreadable as exc:
        unreadable["manifest"] = str(exc)
    for name in ("search", "graph"):
        try:
            getattr(stores, name).doc_ids()
        except Exception as exc:
            unreadable[name] = str(exc) if isinstance(exc, HfkgError) else f"{type(exc).__name__}: {exc}"
    return unreadable


def _file_problems(stores: Inspected) -> dict[str, Any]:
    store = stores.documents
    damaged = store.damaged_documents()
    uploads, in_progress = _unaccounted_uploads(stores)
    return {
        "missing_document_files": sorted(i for i in damaged if not store.files.exists(i)),
        "damaged_document_files": {i: r for i, r in damaged.items() if store.files.exists(i)},
        "orphan_files": store.orphans(),
        "stray_staging": store.stray_staging(),
        "unaccounted_uploads": uploads,
        "uploads_in_progress": in_progress,
        **original_problems(store),
    }


def original_problems(store: DocumentStore) -> dict[str, list[str]]:
    """Sources of documents whose copy in originals/ is missing or no longer holds its bytes (by the
    path they were read from), and files in originals/ that neither the manifest nor a journal names.
    A source from before copies were kept (no ``original``) is neither: its page says so."""
    journal = store.journal() or {}
    # As for document files: the folder first, then what names its files, then the folder again.
    files = store.originals.files()
    sources = store.sources()
    named = {str(e["original"]) for e in sources.values() if e.get("original") and e.get("doc_ids")}
    named |= {*journal.get("originals", []), *journal.get("released", [])}
    missing = [
        str(e.get("path") or key)
        for key, e in sources.items()
        if e.get("original")
        and e.get("doc_ids")
        and not store.originals.intact(str(e["original"]), e.get("size"))
    ]
    present = set(store.originals.files())
    orphans = [f for f in store.originals.unnamed(named) if f in files and f in present]
    return {"missing_originals": sorted(missing), "orphan_originals": orphans}


def _unaccounted_uploads(stores: Inspected) -> tuple[list[str], list[str]]:
    """Files in uploads/ that no source of documents records: older ones, and ones young enough to be
    on their way in."""
    old: list[str] = []
    young: list[str] = []
    now = time.time()
    for path in stores.orphan_uploads():
        with contextlib.suppress(FileNotFoundError):
            (young if now - path.lstat().st_mtime < UPLOAD_GRACE_S else old).append(path.name)
    return old, young


def implausible(named: int, unaccounted: Collection[str]) -> bool:
    """A repair that would take away more documents than the manifest names is not one of stores out
    of step: the manifest lost them (replaced, emptied, restored from an old backup)."""
    return len(unaccounted) > named


def refusal(where: str, named: int, unaccounted: Collection[str], what: str) -> str:
    shown = ", ".join(sorted(unaccounted)[:5]) + (", …" if len(unaccounted) > 5 else "")
    return (
        f"the manifest {where} names {named} document{'' if named == 1 else 's'}, but {len(unaccounted)} "
        f"others are in docs/, the search index or the graph ({shown}): it looks replaced or restored from "
        f"an old backup, so the {what} (nothing was changed). Restore the manifest from a backup, "
        f"or move the data directory aside and ingest the sources again"
    )

"""What committing one file costs as the manifest grows: the SQLite manifest against rewriting one JSON file.

    python bench/manifest.py [--sizes 1000 10000 50000] [--commits 20]

For each size N a manifest of N documents (summaries with their 128-value fingerprints, as ingest
writes them) is built once; then ``--commits`` one-document changes are committed through
:class:`ingest.store.DocumentStore` (journal row, then the commit transaction; no search index or
graph, so only the manifest is measured), and, as the baseline in the same run, the same number of
rewrites of a ``manifest.json`` holding the same N entries (``json.dumps`` + fsync + rename, which is
what the store did before SQLite). Also measured: a reader's first look after a commit (another
process re-reading the JSON file against one SQLite count query). Prints JSON.
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from ingest.model import Document
from ingest.store import Change, DocumentStore, atomic_write


def _summary(i: int, rng: random.Random) -> dict[str, object]:
    return {
        "doc_id": f"{i:016x}",
        "title": f"Referat fra møte i strategisk samarbeidsutvalg {i}",
        "doc_type": "referat",
        "fellesskap": "Helsefellesskapet i Vestfold",
        "fellesskap_id": "vestfold",
        "date": "2024-02-29",
        "year": 2024,
        "years": [2024],
        "source": f"korpus/fil-{i}.pdf",
        "pages": 4,
        "passages": 40,
        "agenda_items": 8,
        "duplicate_of": None,
        "part": 0,
        "headings": 12,
        "fingerprint": [rng.getrandbits(63) for _ in range(128)],
    }


def _document(i: int, rng: random.Random) -> Document:
    doc = Document(
        doc_id=f"new{i:013x}", source=f"korpus/ny-{i}.txt", title=f"Nytt referat {i}", doc_type="referat"
    )
    doc.fingerprint = [rng.getrandbits(63) for _ in range(128)]
    return doc


def measure(size: int, commits: int, root: Path) -> dict[str, object]:
    rng = random.Random(size)
    summaries = {f"{i:016x}": _summary(i, rng) for i in range(size)}
    sources = {
        f"/korpus/fil-{i}.pdf": {
            "path": f"korpus/fil-{i}.pdf",
            "sha256": f"{i:064x}",
            "doc_ids": [f"{i:016x}"],
        }
        for i in range(size)
    }
    # SQLite: built in one transaction, then one commit per new document.
    store = DocumentStore(root / f"sqlite-{size}")
    with store.writing():
        with store._transaction() as db:
            store._apply(
                db,
                {
                    "generation": 1,
                    "sources": sources,
                    "drop_sources": [],
                    "documents": summaries,
                    "drop": [],
                    "registry": {},
                },
            )
        ours = []
        for n in range(commits):
            doc = _document(n, rng)
            change = Change(
                add=[doc],
                unindex=[doc.doc_id],
                sources={
                    f"/korpus/ny-{n}.txt": {
                        "path": doc.source,
                        "sha256": f"{n:064x}",
                        "doc_ids": [doc.doc_id],
                    }
                },
            )
            start = time.perf_counter()
            store.finish(store.begin(change))
            ours.append(time.perf_counter() - start)
    reader = DocumentStore(root / f"sqlite-{size}")
    start = time.perf_counter()
    count = reader.count()
    ours_read = time.perf_counter() - start
    assert count == size + commits

    # Baseline: the whole manifest as one JSON file, rewritten per commit.
    manifest = {"version": 1, "sources": dict(sources), "documents": dict(summaries), "registry": {}}
    path = root / f"json-{size}" / "manifest.json"
    base = []
    for n in range(commits):
        doc = _document(n, rng)
        start = time.perf_counter()
        manifest["documents"][doc.doc_id] = {**doc.summary(), "fingerprint": doc.fingerprint}
        manifest["sources"][f"/korpus/ny-{n}.txt"] = {"path": doc.source, "doc_ids": [doc.doc_id]}
        atomic_write(path, json.dumps(manifest, ensure_ascii=False, separators=(",", ":")))
        base.append(time.perf_counter() - start)
    start = time.perf_counter()
    json.loads(path.read_text(encoding="utf-8"))
    base_read = time.perf_counter() - start

    ours_ms, base_ms = statistics.median(ours) * 1000, statistics.median(base) * 1000
    return {
        "documents": size,
        "commits": commits,
        "sqlite_commit_ms_median": round(ours_ms, 2),
        "json_rewrite_ms_median": round(base_ms, 2),
        "ratio": round(ours_ms / base_ms, 3),
        "reader_after_commit_ms": {
            "sqlite_count": round(ours_read * 1000, 2),
            "json_reload": round(base_read * 1000, 2),
        },
        "json_manifest_mb": round(path.stat().st_size / 1_048_576, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000, 50000])
    parser.add_argument("--commits", type=int, default=20)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="hfkg-bench-manifest-") as tmp:
        results = [measure(size, args.commits, Path(tmp)) for size in args.sizes]
    print(json.dumps({"benchmark": "manifest", "results": results}, indent=2, ensure_ascii=False))


if __name__ == "__main__":
    main()

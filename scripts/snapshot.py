"""What hfkg makes of the evaluation sets, written down to compare a refactor against.

    python scripts/snapshot.py OUT [--sets sample,real-dev,...]   # ingest each set, write its outputs
    python scripts/snapshot.py --compare BEFORE AFTER             # exit 1 and list what differs

For each set it ingests the set's documents into OUT/<set>/data through the CLI (from a copy in OUT/<set>/docs) (the stable contract)
and writes: graph.nq (the whole graph as sorted N-Quads), documents.json, eval.json (every question's
interpretation and answers) and searches.json (the set's searches, where it has any). A refactor that
says "behaviour stays as it is" must leave every one of these files as it was.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SHARED = Path(os.environ.get("HFKG_SHARED", ROOT.parent / "shared"))
HFKG = Path(sys.executable).with_name("hfkg")

# name: (documents, questions file)
SETS = {
    "sample": (ROOT / "corpus", SHARED / "eval" / "questions.json"),
    "real-dev": (SHARED / "eval" / "real-dev" / "raw", SHARED / "eval" / "real-dev" / "questions.json"),
    "other-regions": (ROOT / "tests/data/other-regions", ROOT / "tests/data/other-regions-questions.json"),
    **{
        f"other-regions-{n}": (
            ROOT / f"tests/data/other-regions-{n}",
            ROOT / f"tests/data/other-regions-{n}-questions.json",
        )
        for n in (2, 3, 4, 5, 6)
    },
}
FILES = ("graph.nq", "documents.json", "eval.json", "searches.json")
# A snapshot is of the embedded default: HFKG_* settings of the shell (a database URL, a graph
# endpoint from `eval "$(scripts/services.sh start)"`) would send it to shared servers.
ENV = {name: value for name, value in os.environ.items() if not name.startswith("HFKG_")}


def _hfkg(data: Path, *args: str) -> str:
    # Run from the set's folder so that sources are recorded as "docs/…" wherever the checkout is.
    out = subprocess.run(
        [str(HFKG), "--data", "data", *args],
        capture_output=True,
        text=True,
        check=False,
        cwd=data.parent,
        env=ENV,
    )
    if out.returncode not in (0, 1):
        raise SystemExit(f"hfkg {' '.join(args)} failed ({out.returncode}): {out.stderr[-2000:]}")
    return out.stdout


def _dump(value: object) -> str:
    return json.dumps(value, ensure_ascii=False, indent=1, sort_keys=True) + "\n"


def snapshot(name: str, out: Path) -> None:
    documents, questions = SETS[name]
    where = out / name
    data = where / "data"
    where.mkdir(parents=True, exist_ok=True)
    shutil.rmtree(where / "docs", ignore_errors=True)
    shutil.copytree(documents, where / "docs")
    _hfkg(data, "ingest", "docs")
    quads = _hfkg(data, "export", "--format", "nquads").splitlines()
    (where / "graph.nq").write_text("\n".join(sorted(set(quads))) + "\n", encoding="utf-8")
    listed = json.loads(_hfkg(data, "documents", "--json"))
    for doc in listed if isinstance(listed, list) else listed.get("documents", []):
        doc.pop("ingested_at", None)
    (where / "documents.json").write_text(_dump(listed), encoding="utf-8")
    scored = json.loads(_hfkg(data, "eval", str(questions.resolve()), "--json"))
    (where / "eval.json").write_text(_dump(scored), encoding="utf-8")
    searches = json.loads(questions.read_text(encoding="utf-8")).get("searches", [])
    found = {}
    for search in searches:
        query = search.get("query") or search.get("q") or ""
        found[query] = json.loads(_hfkg(data, "search", query, "--json"))
    (where / "searches.json").write_text(_dump(found), encoding="utf-8")
    print(f"{name}: {len(quads)} quads, {scored['overall']}", flush=True)


def compare(before: Path, after: Path) -> int:
    differ = []
    for name in SETS:
        for file in FILES:
            a, b = before / name / file, after / name / file
            if a.exists() != b.exists() or (a.exists() and a.read_bytes() != b.read_bytes()):
                differ.append(f"{name}/{file}")
    for line in differ:
        print(f"differs: {line}  (diff {before / line} {after / line})")
    print("same" if not differ else f"{len(differ)} files differ")
    return 1 if differ else 0


def main() -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("out", nargs="?", type=Path)
    parser.add_argument("--sets", default=",".join(SETS))
    parser.add_argument("--compare", nargs=2, type=Path, metavar=("BEFORE", "AFTER"))
    args = parser.parse_args()
    if args.compare:
        return compare(*args.compare)
    if args.out is None:
        parser.error("OUT is required")
    for name in args.sets.split(","):
        snapshot(name, args.out)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

"""A generated corpus for benchmarks: the bundled documents recombined with other helsefellesskap,
municipalities, years, initiatives and people, so that a graph or an index of realistic shape and
size can be built from real sentences. Deterministic for a given seed.

``built(files)`` gives a data directory with the bundled corpus and ``files`` generated files in all
three stores (documents, search index, graph), as ``hfkg ingest`` makes it. It is built once and kept
in ``bench/.cache/`` under a key of the size, the seed and every source and data file that shapes it
(``corpus/``, the packages, this file), so a change of code rebuilds it and nothing stale is measured.
470 files (the default of the benchmarks) split into some 1,000 documents.
"""

from __future__ import annotations

import hashlib
import random
import re
import shutil
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
# What shapes a built data directory: the corpus, the packages that read it, and this generator.
INPUTS = ["corpus", "kinds", "ingest", "graph", "search", "api", "bench/corpus_gen.py"]
INITIATIVES = ["Vitality", "Ung Arena+", "Hva er innafor", "KlinObsKommune"]
NEW_NAMES = [
    "Trygg Hjemme",
    "Sammen Ut",
    "Helse i Hverdagen",
    "Aktiv Alder",
    "Ung Kraft",
    "Mestring Nå",
    "Godt Nabolag",
    "Livslyst",
    "Tidlig Inn",
    "Hjemme Best",
    "Brobygger",
    "Fri Flyt",
    "Nærhet",
    "Samspill",
    "Lys i Vinduet",
    "Kompass",
    "Fyrlykt",
    "Stø Kurs",
    "Veiviser",
    "Trappetrinn",
]
PEOPLE = ["Guro Winsvold", "Runar Danielsen", "Frode Hestnes", "Rannveig Velken", "Marthe Wang-Hansen"]
NEW_PEOPLE = [
    "Ingrid Bakke",
    "Ola Nordmann",
    "Kari Lunde",
    "Per Holm",
    "Anne Berg",
    "Jon Dahl",
    "Siri Moe",
    "Lars Eide",
    "Hilde Vik",
    "Tor Aas",
    "Eva Strand",
    "Knut Lie",
    "Mona Haug",
    "Odd Sæther",
]


def _communities() -> list[tuple[str, str, list[str]]]:
    from ingest.extract.catalogue import municipalities
    from ingest.resources import community_rows

    by_county: dict[str, list[str]] = {}
    for info in municipalities().values():
        by_county.setdefault(info["county"], []).append(info["label"])
    out = []
    for row in community_rows():
        weak = [w for w in row["svake_navn"].split("|") if w]
        county = next((c for c in by_county if c in weak or c in row["regionnavn"]), None)
        out.append((row["navn"], row["regionnavn"].split("|")[0], by_county.get(county or "", [])))
    return [c for c in out if len(c[2]) >= 6]


def generate(folder: Path, count: int, seed: int = 7) -> list[Path]:
    rng = random.Random(seed)
    texts = {p.name: p.read_text(encoding="utf-8") for p in sorted((ROOT / "corpus").glob("*.txt"))}
    communities = _communities()
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    vestfold = ["Larvik", "Sandefjord", "Horten", "Færder", "Tønsberg", "Holmestrand"]
    for n in range(count):
        name, region, towns = communities[n % len(communities)]
        source_name = rng.choice(sorted(texts))
        text = texts[source_name]
        shift = rng.randint(-6, 2)
        text = re.sub(r"\b20(1\d|2\d)\b", lambda m: str(int(m.group(0)) + shift), text)
        text = re.sub(
            r"\b(\d\d)\.(\d\d)\.(2[0-9])\b",
            lambda m: f"{m.group(1)}.{m.group(2)}.{int(m.group(3)) + shift:02d}",
            text,
        )
        chosen = rng.sample(towns, k=min(len(towns), 6))
        for old, new in zip(vestfold, chosen):
            text = re.sub(rf"\b{old}\b", new, text)
        text = re.sub(r"Vestfold", region, text)
        text = re.sub(r"Østfold", region, text)
        for old in INITIATIVES:
            text = text.replace(old, rng.choice(NEW_NAMES))
        for old in PEOPLE:
            text = text.replace(old, rng.choice(NEW_PEOPLE))
        path = folder / f"gen-{n:05d}-{source_name}"
        path.write_text(text + f"\n\nDokument nr. {n} for {name}.\n", encoding="utf-8")
        paths.append(path)
    return paths


def ingest_all(data: Path, folders: list[Path]) -> dict[str, object]:
    """Ingest ``folders`` into the three stores of ``data`` the way ``hfkg ingest`` does."""
    from api.services import Services
    from api.settings import Settings

    started = time.perf_counter()
    counts: dict[str, int] = {}
    with Services(Settings.from_env(str(data)), write=True) as services:
        for report in services.ingestor().run(folders):
            counts[report.status] = counts.get(report.status, 0) + 1
        documents = services.documents.count()
    return {
        "files": counts,
        "documents": documents,
        "ingest_seconds": round(time.perf_counter() - started, 1),
    }


def fingerprint(files: int, seed: int) -> str:
    digest = hashlib.sha256(f"{files}:{seed}".encode())
    for name in INPUTS:
        top = ROOT / name
        for path in sorted([top] if top.is_file() else top.rglob("*")):
            if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def built(
    files: int = 470, seed: int = 7, *, cache: bool = True, where: Path | None = None
) -> tuple[Path, dict[str, object]]:
    """(data directory, how it was made): the corpus and ``files`` generated files ingested into all
    stores. With ``cache``, kept in bench/.cache/ and reused while its inputs are unchanged (older
    builds of the same size are removed); else built in ``where``, which the caller removes."""
    if not cache:
        if where is None:
            raise ValueError("an uncached build needs a folder")
        generate(where / "in", files, seed)
        return where / "data", {
            "cached": False,
            **ingest_all(where / "data", [ROOT / "corpus", where / "in"]),
        }
    key = f"corpus-{files}-{seed}"
    home = CACHE / f"{key}-{fingerprint(files, seed)}"
    done = home / "built.txt"
    if done.exists():
        return home / "data", {
            "cached": True,
            "reused": str(home.relative_to(ROOT)),
            "built": done.read_text(encoding="utf-8").strip(),
        }
    for old in CACHE.glob(f"{key}-*"):  # another version of the inputs, or a build that was cut off
        shutil.rmtree(old, ignore_errors=True)
    generate(home / "in", files, seed)
    info = ingest_all(home / "data", [ROOT / "corpus", home / "in"])
    done.write_text(f"{time.strftime('%Y-%m-%dT%H:%M:%S%z')} {info}\n", encoding="utf-8")
    return home / "data", {"cached": False, "kept": str(home.relative_to(ROOT)), **info}

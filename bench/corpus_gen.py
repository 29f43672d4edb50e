"""A generated corpus for benchmarks: the bundled documents recombined with other helsefellesskap,
municipalities, years, initiatives and people, so that a graph or an index of realistic shape and
size can be built from real sentences. Deterministic for a given seed."""

from __future__ import annotations

import random
import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
INITIATIVES = ["Vitality", "Ung Arena+", "Hva er innafor", "KlinObsKommune"]
NEW_NAMES = ["Trygg Hjemme", "Sammen Ut", "Helse i Hverdagen", "Aktiv Alder", "Ung Kraft", "Mestring Nå",
             "Godt Nabolag", "Livslyst", "Tidlig Inn", "Hjemme Best", "Brobygger", "Fri Flyt", "Nærhet",
             "Samspill", "Lys i Vinduet", "Kompass", "Fyrlykt", "Stø Kurs", "Veiviser", "Trappetrinn"]
PEOPLE = ["Guro Winsvold", "Runar Danielsen", "Frode Hestnes", "Rannveig Velken", "Marthe Wang-Hansen"]
NEW_PEOPLE = ["Ingrid Bakke", "Ola Nordmann", "Kari Lunde", "Per Holm", "Anne Berg", "Jon Dahl", "Siri Moe",
              "Lars Eide", "Hilde Vik", "Tor Aas", "Eva Strand", "Knut Lie", "Mona Haug", "Odd Sæther"]


def _communities() -> list[tuple[str, str, list[str]]]:
    from ingest.extract.catalogue import municipalities
    from ingest.resources import read_tsv

    by_county: dict[str, list[str]] = {}
    for info in municipalities().values():
        by_county.setdefault(info["county"], []).append(info["label"])
    out = []
    for row in read_tsv("helsefellesskap.tsv"):
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
        text = re.sub(r"\b(\d\d)\.(\d\d)\.(2[0-9])\b", lambda m: f"{m.group(1)}.{m.group(2)}.{int(m.group(3)) + shift:02d}", text)
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

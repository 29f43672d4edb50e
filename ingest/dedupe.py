"""Near-duplicate documents (the same plan as a PDF and as a text export) by shingle sketches.

A bottom-k sketch of word 5-gram hashes estimates Jaccard resemblance and containment without
keeping the texts around: 128 integers per document in the manifest.
"""

from __future__ import annotations

import hashlib
import re

SKETCH = 128
SHINGLE = 5
THRESHOLD = 0.6  # resemblance or containment above this makes a duplicate
_WORD = re.compile(r"[\wæøå]+", re.I)


def fingerprint(text: str) -> list[int]:
    words = _WORD.findall(text.lower())
    if len(words) < SHINGLE:
        words = words + [""] * (SHINGLE - len(words))
    hashes = {
        int.from_bytes(
            hashlib.blake2b(" ".join(words[i : i + SHINGLE]).encode(), digest_size=8).digest(), "big"
        )
        for i in range(len(words) - SHINGLE + 1)
    }
    return sorted(hashes)[:SKETCH]


def similarity(a: list[int], b: list[int]) -> float:
    """Estimated resemblance, or containment of the smaller in the larger when that is higher."""
    if not a or not b:
        return 0.0
    sa, sb = set(a), set(b)
    union = sorted(sa | sb)[:SKETCH]
    resemblance = sum(1 for h in union if h in sa and h in sb) / len(union)
    # Containment: among the smaller sketch's range, how much the other shares.
    small, large = (sa, sb) if max(a) <= max(b) else (sb, sa)
    bound = max(small)
    large_in_range = {h for h in large if h <= bound}
    containment = len(small & large_in_range) / max(1, min(len(small), len(large_in_range) or 1))
    return max(resemblance, containment if len(large_in_range) >= SKETCH // 4 else 0.0)


def find_duplicate(candidate: list[int], existing: dict[str, list[int]]) -> str | None:
    best: tuple[float, str] | None = None
    for doc_id, sketch in existing.items():
        score = similarity(candidate, sketch)
        if score >= THRESHOLD and (best is None or score > best[0]):
            best = (score, doc_id)
    return best[1] if best else None


def richness(summary: dict) -> tuple[int, int, int]:
    """How much a rendition tells, to pick the canonical one of near-duplicates: a date, then
    structure, then passages."""
    return (
        int(bool(summary.get("date"))),
        int(summary.get("headings") or 0),
        int(summary.get("passages") or 0),
    )

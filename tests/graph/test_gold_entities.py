"""Extraction against a hand-made gold file of the entities in the bundled corpus (tests/data)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from ingest.extract.names import key_of
from ingest.store import DocumentStore

GOLD = json.loads(
    (Path(__file__).resolve().parents[1] / "data" / "gold_entities.json").read_text(encoding="utf-8")
)
TYPES = [t for t in GOLD if t != "about"]


def _extracted(store: DocumentStore) -> dict[str, dict[str, set[str]]]:
    """entity id -> names (label and aliases), per type, over the non-duplicate documents."""
    out: dict[str, dict[str, set[str]]] = {t: {} for t in TYPES}
    for summary in store.summaries():
        if summary["duplicate_of"]:
            continue
        for entity in store.document(summary["doc_id"]).entities:
            if entity.type in out:
                out[entity.type].setdefault(entity.id, set()).update([entity.label, *entity.aliases])
    return out


def _match(entity_id: str, names: set[str], gold: dict) -> bool:
    if "fellesskap" in gold and f"/{gold['fellesskap']}/" not in entity_id:
        return False
    keys = {key_of(n) for n in names}
    return any(key_of(g) in keys for g in gold["names"])


@pytest.mark.parametrize("entity_type", TYPES)
def test_precision_and_recall_per_type(corpus_store: DocumentStore, entity_type: str) -> None:
    extracted = _extracted(corpus_store)[entity_type]
    gold = GOLD[entity_type]
    found = [g for g in gold if any(_match(i, names, g) for i, names in extracted.items())]
    correct = [i for i, names in extracted.items() if any(_match(i, names, g) for g in gold)]
    recall = len(found) / len(gold)
    precision = len(correct) / len(extracted) if extracted else 0.0
    missing = [g["names"][0] for g in gold if g not in found]
    wrong = sorted(sorted(extracted[i])[0] for i in extracted if i not in correct)
    assert recall >= 0.9, f"{entity_type}: recall {recall:.2f}, missing {missing}"
    assert precision >= 0.9, f"{entity_type}: precision {precision:.2f}, not in gold {wrong}"

"""The decision that set up the fagutvalg for fastleger stays on top when many more real documents are
ingested beside the corpus: the other regions' sets (tests/data/) and, where the shared evaluation
data is at hand, real-dev's pages. Slow (a real ingest of some sixty files): listed in tests/conftest.py."""

from __future__ import annotations

import os
from pathlib import Path

from api.services import Services
from api.settings import Settings
from tests.conftest import CORPUS

DATA = Path(__file__).resolve().parents[1] / "data"
SHARED = Path(os.environ.get("HFKG_SHARED", Path(__file__).resolve().parents[3] / "shared"))
QUERY = "fagutvalg for fastleger vedtak"


def test_the_decision_stays_first_beside_more_documents(tmp_path: Path) -> None:
    folders = [CORPUS, *sorted(DATA.glob("other-regions*/"))]
    real_dev = SHARED / "eval" / "real-dev" / "raw"
    if real_dev.is_dir():
        folders.append(real_dev)
    settings = Settings(data_dir=tmp_path / "data")
    with Services(settings, write=True) as services:
        list(services.ingestor().run([f for f in folders if f.is_dir()]))
    with Services(settings) as services:
        decisions = services.search.search(QUERY, kind="decision", limit=3)["hits"]
        passages = services.search.search(QUERY, limit=3)["hits"]
    assert decisions[0]["number"] == "2023.42", [(h["number"], h["title"]) for h in decisions]
    assert passages[0]["section"] == "Sak 2023.42 Fagutvalg for fastleger", [h["section"] for h in passages]

"""The manifest, the search index and the graph agree; an interrupted ingest is finished by the next."""

from __future__ import annotations

import shutil
from pathlib import Path

from api.services import Services, consistency
from api.settings import Settings
from tests.conftest import CORPUS


def test_stores_agree_after_ingest(corpus_services) -> None:  # type: ignore[no-untyped-def]
    report = consistency(corpus_services)
    assert report["consistent"] and report["manifest"] == report["search"] == report["graph"] == 11


def test_the_next_ingest_repairs_a_half_done_one(tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data")
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(CORPUS / "ostfold-handlingsplan-2023-2024.txt", source)
    with Services(settings, write=True) as services:
        assert [r.status for r in services.ingestor().run([source])] == ["ingested"]
        (doc_id,) = [d["doc_id"] for d in services.documents.summaries()]
        # An ingest that died after the index step: the graph lost the document, the index holds
        # one the manifest never recorded.
        services.graph.apply([], [doc_id])
        stray = services.documents.document(doc_id)
        stray.doc_id = "0000stray0000000"
        services.search.apply([stray], [])
        broken = consistency(services)
        assert not broken["consistent"]
        assert broken["missing_in_graph"] == [doc_id] and broken["extra_in_search"] == ["0000stray0000000"]
        services.ingestor()  # the next ingest starts by finishing the work
        assert consistency(services)["consistent"]

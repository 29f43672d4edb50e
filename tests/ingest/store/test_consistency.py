"""The manifest, the search index and the graph agree; a mismatch no commit explains is reported and mended
by repair (crashes are the journal's business: tests/api/test_crash_safety.py)."""

from __future__ import annotations

import shutil
from pathlib import Path

from api.services import Services, repair
from api.settings import Settings
from ingest.store.consistency import consistency
from tests.api.test_crash_safety import Engines
from tests.conftest import CORPUS


def test_stores_agree_after_ingest(corpus_services) -> None:  # type: ignore[no-untyped-def]
    report = consistency(corpus_services)
    assert report["consistent"] and report["manifest"] == report["search"] == report["graph"] == 11


def test_repair_mends_stores_changed_behind_the_manifest(engines: Engines, tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path / "data", database_url=engines.database_url, graph_endpoint=engines.graph_endpoint
    )
    source = tmp_path / "in"
    source.mkdir()
    shutil.copy(CORPUS / "ostfold-handlingsplan-2023-2024.txt", source)
    with Services(settings, write=True) as services:
        assert [r.status for r in services.ingestor().run([source])] == ["ingested"]
        (doc_id,) = [d["doc_id"] for d in services.documents.summaries()]
        # Stores changed behind the manifest's back (a backup of one restored, a bug): the graph
        # lost the document, the index holds one the manifest never recorded, and the index no
        # longer marks the duplicate.
        services.graph.apply([], [doc_id])
        stray = services.documents.document(doc_id)
        stray.doc_id = "0000stray0000000"
        services.search.apply([stray], [])
        broken = consistency(services)
        assert not broken["consistent"]
        assert broken["missing_in_graph"] == [doc_id] and broken["extra_in_search"] == ["0000stray0000000"]
        with services.ingestor().writing():
            assert repair(services)["consistent"]
        assert consistency(services)["consistent"]
        assert services.search.doc_ids() == services.graph.doc_ids() == {doc_id}


def test_a_changed_duplicate_flag_is_a_mismatch(corpus_data: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(corpus_data, data)
    with Services(Settings(data_dir=data), write=True) as services:
        (dup,) = [d["doc_id"] for d in services.documents.summaries() if d.get("duplicate_of")]
        doc = services.documents.document(dup)
        doc.duplicate_of = None
        services.graph.apply([doc], [dup])  # the graph now calls it an original
        report = consistency(services)
        assert report["duplicate_flag_differs_in_graph"] == [dup] and not report["consistent"]
        assert report["duplicate_flag_differs_in_search"] == []
        with services.ingestor().writing():
            assert repair(services)["consistent"]
        assert services.graph.duplicate_ids() == {dup}

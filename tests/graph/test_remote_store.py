"""The graph on a SPARQL 1.1 server: the `oxigraph` server from PyPI started on loopback by the test,
the corpus ingested into it, and the graph tests' questions answered from it."""

from __future__ import annotations

import json
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest
from rdflib import Graph

from api.ask import Asker
from api.evaluation import score
from api.services import Services, consistency
from api.settings import Settings
from graph.queries import GraphQueries
from tests.conftest import CORPUS

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "eval_questions.json"


def _server_binary() -> str | None:
    beside = Path(sys.executable).with_name("oxigraph")
    return str(beside) if beside.exists() else shutil.which("oxigraph")


@pytest.fixture(scope="module")
def endpoint(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    binary = _server_binary()
    if binary is None:
        pytest.skip("the oxigraph server (pip install oxigraph) is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    location = tmp_path_factory.mktemp("oxigraph-server")
    process = subprocess.Popen([binary, "serve", "--location", str(location), "--bind", f"127.0.0.1:{port}",
                                "--union-default-graph"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(100):
            try:
                urllib.request.urlopen(url + "/query?query=ASK%7B%7D", timeout=1).read()
                break
            except OSError:
                time.sleep(0.1)
        else:
            pytest.fail("the oxigraph server did not start")
        yield url
    finally:
        process.terminate()
        process.wait(timeout=10)


@pytest.fixture(scope="module")
def remote(endpoint: str, tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    settings = Settings(data_dir=tmp_path_factory.mktemp("remote-data"), graph_endpoint=endpoint)
    with Services(settings, write=True) as services:
        reports = list(services.ingestor().run([CORPUS]))
        assert all(r.status in ("ingested", "duplicate") for r in reports)
    with Services(settings) as services:
        yield services


def test_stores_agree_and_answers_match_the_embedded_graph(remote) -> None:  # type: ignore[no-untyped-def]
    assert consistency(remote)["consistent"]
    report = score(json.loads(QUESTIONS.read_text(encoding="utf-8")),
                   Asker(GraphQueries(remote.graph), remote.search).ask)
    overall = report["overall"]
    assert overall["recall"] >= 0.9 and overall["precision"] >= 0.8 and overall["evidence_rate"] == 1.0, report


def test_remote_queries_views_and_export(remote) -> None:  # type: ignore[no-untyped-def]
    q = GraphQueries(remote.graph)
    vitality = {a.label for a in q.related("involves", subject=q.iri("initiative/vestfold/vitality"))}
    assert vitality == {"Larvik", "Sandefjord", "Horten", "Færder", "Tønsberg", "Holmestrand"}
    assert [e["year"] for e in q.timeline("initiative/vestfold/vitality")] == sorted(
        e["year"] for e in q.timeline("initiative/vestfold/vitality"))
    turtle = remote.graph.export("turtle")
    assert len(Graph().parse(data=turtle, format="turtle")) > 1000
    result = remote.graph.raw_query("SELECT (COUNT(*) AS ?n) WHERE { ?s a <https://hfkg.no/vocab#Initiative> }")
    assert int(next(iter(result))[0]) > 5


def test_re_ingest_replaces_a_document_graph_on_the_server(endpoint: str, tmp_path: Path) -> None:
    settings = Settings(data_dir=tmp_path / "data", graph_endpoint=endpoint)
    source = tmp_path / "notat.txt"
    source.write_text("Referat fra SSU\n\nDato/sted: 01.02.2024, Skien\nMøteleder: Ola Nordmann\n\n"
                      "Sak 1/24 Prosjektet «Trygg start» for barn og unge piloteres i Porsgrunn kommune.\n",
                      encoding="utf-8")
    with Services(settings, write=True) as services:
        list(services.ingestor().run([source]))
        (first,) = [d["doc_id"] for d in services.documents.summaries()]
        assert first in services.graph.doc_ids()
        source.write_text(source.read_text(encoding="utf-8").replace("Porsgrunn", "Skien"), encoding="utf-8")
        list(services.ingestor().run([source]))
        (second,) = [d["doc_id"] for d in services.documents.summaries()]
        ids = services.graph.doc_ids()
        assert second in ids and first not in ids

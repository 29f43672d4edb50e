"""The graph on a SPARQL 1.1 server: the `oxigraph` server from PyPI started on loopback by the test,
the documents of the one corpus ingest written to it as an ingest writes them, and the graph tests' questions answered from it."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rdflib import Graph

from answers import Answerer as Asker
from api.cli.scoring import score
from api.services import Services
from api.settings import Settings
from graph.queries import GraphQueries
from graph.remote import RemoteSparql
from graph.sparql_endpoint import Limits, SparqlRefusal
from ingest.store.consistency import consistency

QUESTIONS = Path(__file__).resolve().parents[1] / "data" / "eval_questions.json"


@pytest.fixture(scope="module")
def remote(server_services):  # type: ignore[no-untyped-def]
    return server_services


@pytest.fixture(scope="module")
def endpoint(oxigraph_endpoint: str) -> str:
    return oxigraph_endpoint


def test_stores_agree_and_answers_match_the_embedded_graph(remote) -> None:  # type: ignore[no-untyped-def]
    assert consistency(remote)["consistent"]
    report = score(
        json.loads(QUESTIONS.read_text(encoding="utf-8")),
        Asker(GraphQueries(remote.graph), remote.search, remote.documents).ask,
    )
    overall = report["overall"]
    assert overall["recall"] >= 0.9 and overall["precision"] >= 0.8 and overall["evidence_rate"] == 1.0, (
        report
    )


def test_remote_queries_views_and_export(remote) -> None:  # type: ignore[no-untyped-def]
    q = GraphQueries(remote.graph)
    vitality = {a.label for a in q.related("involves", subject=q.iri("initiative/vestfold/vitality"))}
    assert vitality == {"Larvik", "Sandefjord", "Horten", "Færder", "Tønsberg", "Holmestrand"}
    assert [e["year"] for e in q.timeline("initiative/vestfold/vitality")] == sorted(
        e["year"] for e in q.timeline("initiative/vestfold/vitality")
    )
    turtle = remote.graph.export("turtle")
    assert len(Graph().parse(data=turtle, format="turtle")) > 1000


def test_the_sparql_endpoint_on_the_server(remote) -> None:  # type: ignore[no-untyped-def]
    """What /sparql runs with --graph-endpoint: results read as they stream, cut at the row limit."""
    runner = RemoteSparql(remote.graph, Limits(slots=1, timeout_s=10, row_limit=3, memory_mb=0))
    count = runner._run("SELECT (COUNT(*) AS ?n) WHERE { ?s a hfkg:Initiative }", "")
    assert int(json.loads(count.body)["results"]["bindings"][0]["n"]["value"]) > 5
    rows = runner._run("SELECT ?s WHERE { ?s a hfkg:Initiative }", "")
    assert rows.truncated and len(json.loads(rows.body)["results"]["bindings"]) == 3
    graph = runner._run("CONSTRUCT { ?s a hfkg:Initiative } WHERE { ?s a hfkg:Initiative }", "")
    assert graph.media_type == "text/turtle" and graph.truncated
    assert len(Graph().parse(data=graph.body, format="turtle")) == 3
    with pytest.raises(SparqlRefusal) as refused:
        runner._run("INSERT DATA { <urn:a> <urn:b> <urn:c> }", "")
    assert refused.value.code == "update_forbidden"
    late = RemoteSparql(remote.graph, Limits(slots=1, timeout_s=0, row_limit=3, memory_mb=0))
    with pytest.raises(SparqlRefusal) as stopped:
        late._run("SELECT * WHERE { ?s ?p ?o }", "")
    assert stopped.value.code == "query_timeout"


def test_re_ingest_replaces_a_document_graph_on_the_server(endpoint: str, tmp_path: Path) -> None:
    # Its own base IRI: the server is shared with the other graph tests, which must not see these graphs.
    settings = Settings(
        data_dir=tmp_path / "data", graph_endpoint=endpoint, base_iri="https://hfkg.no/reingest/"
    )
    source = tmp_path / "notat.txt"
    source.write_text(
        "Referat fra SSU\n\nDato/sted: 01.02.2024, Skien\nMøteleder: Ola Nordmann\n\n"
        "Sak 1/24 Prosjektet «Trygg start» for barn og unge piloteres i Porsgrunn kommune.\n",
        encoding="utf-8",
    )
    with Services(settings, write=True) as services:
        list(services.ingestor().run([source]))
        (first,) = [d["doc_id"] for d in services.documents.summaries()]
        assert first in services.graph.doc_ids()
        source.write_text(source.read_text(encoding="utf-8").replace("Porsgrunn", "Skien"), encoding="utf-8")
        list(services.ingestor().run([source]))
        (second,) = [d["doc_id"] for d in services.documents.summaries()]
        ids = services.graph.doc_ids()
        assert second in ids and first not in ids

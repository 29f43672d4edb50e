"""The graph built from the real corpus: queries, views, export and the vocabulary."""

from __future__ import annotations

import re

from rdflib import Graph, Literal
from rdflib.compare import isomorphic
from rdflib.namespace import XSD

from graph.build import Iris, document_triples
from graph.queries import GraphQueries
from graph.store import GraphStore
from graph.views import neighbors, shortest_path
from graph.vocab import HFKG, vocabulary


def _labels(answers) -> set[str]:  # type: ignore[no-untyped-def]
    return {a.label for a in answers}


def test_one_named_graph_per_document(graph_services) -> None:  # type: ignore[no-untyped-def]
    assert graph_services.graph.doc_ids() == {d["doc_id"] for d in graph_services.documents.summaries()}


def test_initiatives_for_a_patient_group_with_evidence(graph_services) -> None:  # type: ignore[no-untyped-def]
    q = GraphQueries(graph_services.graph)
    answers = q.related(
        "addresses", obj=q.iri("patient_group/skropelige-eldre"), subject_types={"initiative"}
    )
    labels = _labels(answers)
    assert {"Vitality", "Digital hjemmeoppfølging", "Hva er innafor"} <= labels
    assert "Ung Arena+" not in labels
    for answer in answers:
        assert answer.evidence and all(e["text"] and e["doc_id"] and e["page"] for e in answer.evidence)


def test_members_participants_and_pilots(graph_services) -> None:  # type: ignore[no-untyped-def]
    q = GraphQueries(graph_services.graph)
    vitality = _labels(q.related("involves", subject=q.iri("initiative/vestfold/vitality")))
    assert vitality == {"Larvik", "Sandefjord", "Horten", "Færder", "Tønsberg", "Holmestrand"}
    assert _labels(q.related("pilotedIn", subject=q.iri("initiative/vestfold/ungarenapluss"))) == {"Tønsberg"}
    ostfold = _labels(
        q.related("memberOf", obj=q.iri("health_community/ostfold"), subject_types={"municipality"})
    )
    assert {"Moss", "Halden", "Vestby", "Indre Østfold", "Aremark"} <= ostfold and "Larvik" not in ostfold
    ringerike = q.iri("committee/vestre-viken/helsesamarbeidet-ringeriksregionen")
    assert _labels(q.related("memberOf", obj=ringerike)) == {
        "Hole",
        "Krødsherad",
        "Jevnaker",
        "Modum",
        "Sigdal",
        "Ringerike",
    }


def test_committee_variants_resolve_to_one_entity(graph_services) -> None:  # type: ignore[no-untyped-def]
    q = GraphQueries(graph_services.graph)
    _total, fagutvalg = q.entities("committee", "fagutvalg")
    assert sorted(e["label"] for e in fagutvalg) == [
        "Fagutvalg for HR samarbeid",
        "Fagutvalg for IKT-samarbeid",
        "Fagutvalg for akuttkjeden",
        "Fagutvalg for fastleger",
    ]
    entity = q.entity("committee/vestfold/fagutvalg-fastleger")
    assert {"Fagutvalg Fastleger", "Fagutvalg for Fastlegeleger"} <= set(entity["aliases"])
    assert any(
        r["predicate"] == "partOf" and r["id"] == "health_community/vestfold" for r in entity["relations"]
    )


def test_meeting_roles_and_people_across_spellings(graph_services) -> None:  # type: ignore[no-untyped-def]
    q = GraphQueries(graph_services.graph)
    meeting = q.iri("meeting/vestfold/ssu/2024-02-29")
    assert _labels(q.related("chairs", obj=meeting)) == {"Guro Winsvold"}
    assert _labels(q.related("takesMinutes", obj=meeting)) == {"Runar Danielsen"}
    # "Marte W. Hansen" (responsible) and "Marthe Wang-Hansen" (prosjektleder) are one person.
    leaders = q.related("leads", obj=q.iri("initiative/vestfold/vitality"))
    assert [a.id for a in leaders] == ["person/marthe-wang-hansen"]


def test_timeline_is_in_time_order(graph_services) -> None:  # type: ignore[no-untyped-def]
    q = GraphQueries(graph_services.graph)
    timeline = q.timeline("initiative/vestfold/vitality")
    years = [entry["year"] for entry in timeline]
    assert years == sorted(years) and len(timeline) >= 4
    assert {e["doc_type"] for e in timeline} >= {"handlingsplan", "referat", "årsmelding"}
    assert all(entry["passages"] for entry in timeline)
    # Quoted as a reader sees it: no list markers or cell separators of the light markup.
    quotes = [p.get("snippet") or p.get("text") or "" for e in timeline for p in e["passages"]]
    assert quotes and not any(re.search(r"(?m)^\s*- | \| ", q) for q in quotes), quotes


def test_neighbours_and_paths(graph_services) -> None:  # type: ignore[no-untyped-def]
    q = GraphQueries(graph_services.graph)
    around = neighbors(q, "initiative/vestfold/vitality")
    ids = {n["id"] for n in around["nodes"]}
    assert {"municipality/3909", "patient_group/skropelige-eldre", "committee/vestfold/ssu"} <= ids
    path = shortest_path(q, "initiative/vestfold/vitality", "municipality/3103")
    assert (
        path["nodes"][0]["id"] == "initiative/vestfold/vitality"
        and path["nodes"][-1]["id"] == "municipality/3103"
    )
    assert path["length"] == len(path["steps"])


def _rdf11(triple):  # type: ignore[no-untyped-def]
    """RDF 1.1: a simple literal is an xsd:string; Oxigraph returns it typed."""
    s, p, o = triple
    if isinstance(o, Literal) and o.datatype is None and o.language is None:
        o = Literal(str(o), datatype=XSD.string)
    return s, p, o


def test_document_graph_round_trips_through_the_store(corpus_store) -> None:  # type: ignore[no-untyped-def]
    doc = corpus_store.document(corpus_store.summaries()[0]["doc_id"])
    iris = Iris()
    expected = Graph()
    for triple in document_triples(doc, iris):
        expected.add(_rdf11(triple))
    with GraphStore.in_memory() as store:
        store.apply([doc])
        stored = Graph()
        for triple in store.dataset.triples((None, None, None)):
            stored.add(_rdf11(triple))
        assert isomorphic(expected, stored)
        store.apply([], [doc.doc_id])
        assert len(store.dataset) == 0


def test_exports_parse_back(graph_services) -> None:  # type: ignore[no-untyped-def]
    turtle = graph_services.graph.export("turtle")
    parsed = Graph().parse(data=turtle, format="turtle")
    assert len(parsed) > 1000
    nt = Graph().parse(data=graph_services.graph.export("nt"), format="nt")
    assert isomorphic(parsed, nt)
    assert len(Graph().parse(data=graph_services.graph.export("jsonld"), format="json-ld")) > 1000


def test_vocabulary_has_nb_and_en_labels_for_every_term() -> None:
    vocab = vocabulary()
    for name in ("Initiative", "Committee", "addresses", "involves", "memberOf", "chairs", "mentions"):
        langs = {
            label.language for label in vocab.objects(HFKG[name], None) if getattr(label, "language", None)
        }
        assert {"nb", "en"} <= langs, name

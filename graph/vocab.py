"""Our vocabulary as code (a typo fails, as in rdflib's DefinedNamespace) and every prefix, bound once."""

from __future__ import annotations

from importlib import resources

from rdflib import BNode, Graph, Literal, Namespace
from rdflib.collection import Collection
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace
from rdflib.term import Node, URIRef

from kinds import LANGUAGES, registry

ORG = Namespace("http://www.w3.org/ns/org#")
DEFAULT_BASE = "https://hfkg.no/id/"


class HFKG(DefinedNamespace):
    """Every term of the vocabulary. The registry's classes and predicates (kinds/data/kinds.json) are
    listed here too because rdflib reads the annotations; tests/kinds/test_registry.py checks they agree."""

    _NS = Namespace("https://hfkg.no/vocab#")
    _fail = True

    Initiative: URIRef
    Committee: URIRef
    Municipality: URIRef
    HealthTrust: URIRef
    HealthCommunity: URIRef
    PatientGroup: URIRef
    Person: URIRef
    Meeting: URIRef
    Decision: URIRef
    Document: URIRef
    Passage: URIRef
    Assertion: URIRef
    addresses: URIRef
    involves: URIRef
    pilotedIn: URIRef
    memberOf: URIRef
    partOf: URIRef
    initiativeOf: URIRef
    steeredBy: URIRef
    meetingOf: URIRef
    chairs: URIRef
    takesMinutes: URIRef
    attended: URIRef
    absentFrom: URIRef
    agendaItemOf: URIRef
    decidedBy: URIRef
    responsibleFor: URIRef
    about: URIRef
    leads: URIRef
    deputyLeads: URIRef
    mentions: URIRef
    duplicateOf: URIRef
    fellesskap: URIRef
    subject: URIRef
    predicate: URIRef
    object: URIRef
    method: URIRef
    year: URIRef
    page: URIRef
    section: URIRef
    text: URIRef
    docType: URIRef
    kind: URIRef
    number: URIRef
    conclusion: URIRef
    municipalityNumber: URIRef
    county: URIRef
    formerName: URIRef
    place: URIRef
    entityId: URIRef
    periodStart: URIRef
    periodEnd: URIRef
    adoptedBy: URIRef
    value: URIRef


def hfkg_term(name: str) -> URIRef:
    """``HFKG[name]``, which fails on a name HFKG does not declare; typed (mypy reads ``HFKG[...]``
    as a generic class, not as the namespace's lookup)."""
    term: URIRef = getattr(HFKG, name)
    return term


# The RDF class of each entity type, and back, as the registry names them (failing on a class the
# registry names but HFKG does not declare).
CLASS_OF_TYPE = {name: hfkg_term(kind.rdf_class) for name, kind in registry().types.items()}
TYPE_OF_CLASS = {str(v): k for k, v in CLASS_OF_TYPE.items()}

PREFIXES = {
    "hfkg": str(HFKG._NS),
    "rdf": str(RDF),
    "rdfs": str(RDFS),
    "owl": str(OWL),
    "skos": str(SKOS),
    "dcterms": str(DCTERMS),
    "prov": str(PROV),
    "org": str(ORG),
    "xsd": str(XSD),
}


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> None:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("id", base, override=True)


def vocabulary() -> Graph:
    """The vocabulary: graph/data/hfkg.ttl (the ontology, super-classes and -properties, the terms of
    passages, assertions and attributes) with the registry's classes and predicates, their nb, nn and
    en labels and their domain and range (kinds/data/kinds.json)."""
    graph = Graph()
    graph.parse(
        data=resources.files("graph").joinpath("data", "hfkg.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    for triple in registry_triples():
        graph.add(triple)
    return graph


def registry_triples() -> list[tuple[Node, Node, Node]]:
    """The registry's part of the vocabulary: each entity type an owl:Class and each predicate an
    owl:ObjectProperty, labelled in every language; a predicate's domain and range are its types'
    classes (their owl:unionOf where there are several)."""
    kinds = registry()
    graph = Graph()
    for kind in kinds.types.values():
        term = hfkg_term(kind.rdf_class)
        graph.add((term, RDF.type, OWL.Class))
        for lang in LANGUAGES:
            graph.add((term, RDFS.label, Literal(kind.labels[lang], lang=lang)))
    for predicate in kinds.predicates.values():
        term = hfkg_term(predicate.name)
        graph.add((term, RDF.type, OWL.ObjectProperty))
        for lang in LANGUAGES:
            graph.add((term, RDFS.label, Literal(predicate.labels[lang], lang=lang)))
        for where, types in ((RDFS.domain, predicate.domain), (RDFS.range, predicate.range)):
            classes: list[Node] = [hfkg_term(kinds.class_of(t)) for t in types]
            if len(classes) == 1:
                graph.add((term, where, classes[0]))
            else:
                union = BNode()
                graph.add((union, RDF.type, OWL.Class))
                graph.add((union, OWL.unionOf, Collection(graph, BNode(), classes).uri))
                graph.add((term, where, union))
    return list(graph)


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

"""Our vocabulary as code (a typo fails, as in rdflib's DefinedNamespace) and every prefix, bound once."""

from __future__ import annotations

from importlib import resources

from rdflib import Graph, Namespace
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SKOS, XSD, DefinedNamespace
from rdflib.term import URIRef

ORG = Namespace("http://www.w3.org/ns/org#")
DEFAULT_BASE = "https://hfkg.no/id/"


class HFKG(DefinedNamespace):
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


CLASS_OF_TYPE = {
    "initiative": HFKG.Initiative, "committee": HFKG.Committee, "municipality": HFKG.Municipality,
    "health_trust": HFKG.HealthTrust, "health_community": HFKG.HealthCommunity,
    "patient_group": HFKG.PatientGroup, "person": HFKG.Person, "meeting": HFKG.Meeting,
    "decision": HFKG.Decision, "document": HFKG.Document,
}
TYPE_OF_CLASS = {str(v): k for k, v in CLASS_OF_TYPE.items()}

PREFIXES = {
    "hfkg": str(HFKG._NS), "rdf": str(RDF), "rdfs": str(RDFS), "owl": str(OWL), "skos": str(SKOS),
    "dcterms": str(DCTERMS), "prov": str(PROV), "org": str(ORG), "xsd": str(XSD),
}


def bind_prefixes(graph: Graph, base: str = DEFAULT_BASE) -> None:
    for prefix, iri in PREFIXES.items():
        graph.bind(prefix, iri, override=True)
    graph.bind("id", base, override=True)


def vocabulary() -> Graph:
    """The vocabulary (classes and properties with nb and en labels) from graph/data/hfkg.ttl."""
    graph = Graph()
    graph.parse(data=resources.files("graph").joinpath("data", "hfkg.ttl").read_text(encoding="utf-8"),
                format="turtle")
    return graph


def sparql_prefixes() -> str:
    return "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in PREFIXES.items())

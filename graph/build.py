"""A Document as RDF: its own named graph holding the document, its passages, the entities it names,
their relations, and one hfkg:Assertion per relation pointing to the passage it came from."""

from __future__ import annotations

import hashlib
from collections.abc import Iterator

from rdflib import Literal, URIRef
from rdflib.namespace import DCTERMS, PROV, RDF, SKOS, XSD

from graph.vocab import CLASS_OF_TYPE, DEFAULT_BASE, HFKG
from ingest import ids
from ingest.model import Document, Entity, Passage

Triple = tuple[URIRef, URIRef, URIRef | Literal]


class Iris:
    """The IRIs of entities, documents, passages, document graphs and assertions under one base."""

    def __init__(self, base: str = DEFAULT_BASE) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def entity(self, entity_id: str) -> URIRef:
        return URIRef(self.base + entity_id)

    def document(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}document/{doc_id}")

    def passage(self, passage_id: str) -> URIRef:
        return URIRef(f"{self.base}passage/{passage_id}")

    def graph(self, doc_id: str) -> URIRef:
        return URIRef(f"{self.base}graph/{doc_id}")

    def assertion(self, doc_id: str, subject: str, predicate: str, obj: str) -> URIRef:
        key = f"{doc_id}|{subject}|{predicate}|{obj}"
        return URIRef(f"{self.base}assertion/{hashlib.sha1(key.encode()).hexdigest()[:20]}")

    def entity_id(self, iri: str) -> str:
        return iri[len(self.base) :] if iri.startswith(self.base) else iri

    def doc_id(self, graph_iri: str) -> str:
        return graph_iri.rsplit("/", 1)[-1]


def document_triples(doc: Document, iris: Iris) -> Iterator[Triple]:
    """Every triple of the document's named graph."""
    d = iris.document(doc.doc_id)
    yield from _document(doc, d, iris)
    for passage in doc.passages:
        yield from _passage(passage, d, iris)
    for entity in doc.entities:
        yield from _entity(entity, d, iris)
    for mention in doc.mentions:
        yield iris.passage(mention.passage_id), HFKG.mentions, iris.entity(mention.entity_id)
    yield from _relations(doc, iris)


def _document(doc: Document, d: URIRef, iris: Iris) -> Iterator[Triple]:
    yield d, RDF.type, HFKG.Document
    yield d, HFKG.entityId, Literal(ids.document(doc.doc_id))
    yield d, DCTERMS.identifier, Literal(doc.doc_id)
    yield d, DCTERMS.title, Literal(doc.title, lang="nb")
    yield d, HFKG.docType, Literal(doc.doc_type)
    yield d, DCTERMS.source, Literal(doc.source)
    yield from _dates(doc, d, iris)
    for year in doc.years:
        yield d, HFKG.year, Literal(year, datatype=XSD.integer)
    if doc.fellesskap:
        yield d, HFKG.fellesskap, iris.entity(ids.health_community(doc.fellesskap))
    if doc.duplicate_of:
        yield d, HFKG.duplicateOf, iris.document(doc.duplicate_of)
    # An e-mail and the documents its attachments became, each side in its own named graph.
    if doc.part_of:
        yield d, DCTERMS.isPartOf, iris.document(doc.part_of)
    for part in doc.parts:
        yield d, DCTERMS.hasPart, iris.document(part)


def _dates(doc: Document, d: URIRef, iris: Iris) -> Iterator[Triple]:
    """A document's date; a plan's period (hfkg:periodStart/End) and adoption (dcterms:dateAccepted)
    instead, each with an assertion naming the passage it was read from. A plan's date is no
    dcterms:date of its own: it stands under the years it covers (timelines read dcterms:date first),
    and dcterms:dateAccepted is a sub-property of dcterms:date."""
    if doc.period_start is None:
        if doc.date:
            yield d, DCTERMS.date, Literal(doc.date, datatype=XSD.date)
        return
    facts: list[tuple[str, URIRef, Literal]] = [
        ("period", HFKG.periodStart, Literal(doc.period_start, datatype=XSD.integer)),
        ("period", HFKG.periodEnd, Literal(doc.period_end, datatype=XSD.integer)),
    ]
    if doc.adopted:
        facts.append(("adopted", DCTERMS.dateAccepted, Literal(doc.adopted, datatype=XSD.date)))
    elif doc.date:
        facts.append(("date", DCTERMS.issued, Literal(doc.date, datatype=XSD.date)))
    if doc.adopted_by:
        facts.append(("adopted", HFKG.adoptedBy, Literal(doc.adopted_by)))
    for fact, predicate, value in facts:
        yield d, predicate, value
        passage = doc.fact_passages.get(fact)
        if passage:
            a = iris.assertion(doc.doc_id, ids.document(doc.doc_id), str(predicate), str(value))
            yield a, RDF.type, HFKG.Assertion
            yield a, HFKG.subject, d
            yield a, HFKG.predicate, predicate
            yield a, HFKG.value, value
            yield a, PROV.wasDerivedFrom, iris.passage(passage)


def _passage(passage: Passage, d: URIRef, iris: Iris) -> Iterator[Triple]:
    p = iris.passage(passage.passage_id)
    yield p, RDF.type, HFKG.Passage
    yield p, DCTERMS.isPartOf, d
    yield p, HFKG.page, Literal(passage.page, datatype=XSD.integer)
    yield p, HFKG.section, Literal(" > ".join(passage.section))
    yield p, HFKG.text, Literal(passage.text)


def _entity(entity: Entity, d: URIRef, iris: Iris) -> Iterator[Triple]:
    e = iris.entity(entity.id)
    yield e, RDF.type, CLASS_OF_TYPE[entity.type]
    yield e, HFKG.entityId, Literal(entity.id)
    yield e, SKOS.prefLabel, Literal(entity.label)
    for alias in entity.aliases:
        yield e, SKOS.altLabel, Literal(alias)
    attrs = entity.attrs
    if attrs.get("kind"):
        yield e, HFKG.kind, Literal(str(attrs["kind"]))
    if attrs.get("fellesskap") and entity.type not in ("health_community",):
        yield e, HFKG.fellesskap, iris.entity(ids.health_community(attrs["fellesskap"]))
    if entity.type == "municipality":
        yield from _municipality(entity, e)
    if attrs.get("date"):
        yield e, DCTERMS.date, Literal(attrs["date"], datatype=XSD.date)
    if attrs.get("place"):
        yield e, HFKG.place, Literal(attrs["place"])
    if entity.type == "decision":
        yield from _decision(entity, e, d, iris)


def _municipality(entity: Entity, e: URIRef) -> Iterator[Triple]:
    attrs = entity.attrs
    yield e, HFKG.municipalityNumber, Literal(attrs.get("number", entity.id.split("/")[-1]))
    if attrs.get("county"):
        yield e, HFKG.county, Literal(attrs["county"])
    for former in attrs.get("former_names", []):
        yield e, HFKG.formerName, Literal(former)


def _decision(entity: Entity, e: URIRef, d: URIRef, iris: Iris) -> Iterator[Triple]:
    attrs = entity.attrs
    if attrs.get("number"):
        yield e, HFKG.number, Literal(attrs["number"])
    if attrs.get("conclusion"):
        yield e, HFKG.conclusion, Literal(attrs["conclusion"])
    if attrs.get("title"):
        yield e, DCTERMS.title, Literal(attrs["title"])
    yield e, DCTERMS.isPartOf, d
    if attrs.get("passage_id"):
        yield e, PROV.wasDerivedFrom, iris.passage(attrs["passage_id"])


def _relations(doc: Document, iris: Iris) -> Iterator[Triple]:
    seen: set[URIRef] = set()
    for relation in doc.relations:
        s, p, o = iris.entity(relation.subject), HFKG[relation.predicate], iris.entity(relation.object)
        # One assertion per relation and document, with every passage that supports it: its IRI
        # can be computed from the document and the triple, so queries find it without a search.
        a = iris.assertion(doc.doc_id, relation.subject, relation.predicate, relation.object)
        if a not in seen:
            seen.add(a)
            yield s, p, o
            yield a, RDF.type, HFKG.Assertion
            yield a, HFKG.subject, s
            yield a, HFKG.predicate, p
            yield a, HFKG.object, o
        yield a, HFKG.method, Literal(relation.method)
        if relation.passage_id:
            yield a, PROV.wasDerivedFrom, iris.passage(relation.passage_id)
        if relation.year:
            yield a, HFKG.year, Literal(relation.year, datatype=XSD.integer)

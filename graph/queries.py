"""The questions the graph answers, as SPARQL over the union of the document graphs.

:class:`GraphQueries` is what answers/ and api/ hold: one per store snapshot, it keeps the lookups
every question needs (labels, types, kinds of initiative, the documents' helsefellesskap) and answers
relation questions with their evidence (graph/evidence.py). Entity pages are in graph/entity_pages.py,
the label rule in graph/labels.py, network views in graph/views.py.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from graph.base import GraphStoreLike
from graph.entity_pages import entity_list, entity_page, entity_timeline
from graph.evidence import EVIDENCE_LIMIT, Pair, relation_evidence, relation_pairs, values
from graph.labels import EntityNames
from graph.vocab import HFKG
from kinds import registry

FULL_EVIDENCE_ANSWERS = 25


@dataclass
class Answer:
    """An entity at the other end of a relation, with the passages that support it."""

    id: str
    label: str
    type: str
    evidence: list[dict[str, Any]] = field(default_factory=list)
    detail: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "id": self.id,
            "label": self.label,
            "type": self.type,
            "evidence": self.evidence,
        }
        if self.detail:
            out["detail"] = self.detail
        return out


class GraphQueries:
    def __init__(self, store: GraphStoreLike) -> None:
        self.store = store
        self.iris = store.iris
        self._names: EntityNames | None = None
        self._kinds: dict[str, str] | None = None
        self._doc_communities: dict[str, str] | None = None
        self._edges: list[tuple[str, str, str]] | None = None

    def iri(self, entity_id: str) -> str:
        return str(self.iris.entity(entity_id))

    def eid(self, iri: str) -> str:
        return self.iris.entity_id(iri)

    # -- lookups, read once per snapshot ------------------------------------------------------
    def names(self) -> EntityNames:
        if self._names is None:
            self._names = EntityNames.read(self.store)
        return self._names

    def labels(self) -> dict[str, str]:
        """Preferred label of every entity (graph/labels.py)."""
        return self.names().labels

    def types(self) -> dict[str, str]:
        return self.names().types

    def label(self, iri: str) -> str:
        return self.names().label(iri)

    def kinds(self) -> dict[str, str]:
        """Entity IRI -> its kind (hfkg:kind: what sort of initiative or committee it is)."""
        if self._kinds is None:
            rows = self.store.select("SELECT DISTINCT ?e ?k WHERE { ?e hfkg:kind ?k }")
            self._kinds = {row["e"]: row["k"] for row in rows}
        return self._kinds

    def document_communities(self) -> dict[str, str]:
        """Each document's helsefellesskap, as the entity id ("health_community/vestfold")."""
        if self._doc_communities is None:
            rows = self.store.select("SELECT ?id ?c WHERE { ?d hfkg:fellesskap ?c ; dcterms:identifier ?id }")
            self._doc_communities = {row["id"]: self.eid(row["c"]) for row in rows}
        return self._doc_communities

    # -- relations with their evidence --------------------------------------------------------
    def related(
        self,
        predicate: str,
        *,
        subject: str | None = None,
        obj: str | None = None,
        subject_types: set[str] | None = None,
        object_types: set[str] | None = None,
        kinds: set[str] | None = None,
        limit: int = 50,
    ) -> list[Answer]:
        """The other end of ``predicate`` relations from/to an entity, each with its evidence; the
        ones most documents support first."""
        names = self.names()

        def other(pair: Pair) -> str:
            return pair[1] if subject else pair[0]

        pairs = {
            pair: graphs
            for pair, graphs in relation_pairs(self.store, predicate, subject, obj).items()
            if self._wanted(pair, other(pair), subject_types, object_types, kinds)
        }
        ranked = sorted(pairs, key=lambda k: (-len(pairs[k]), names.label(other(k)).lower()))[:limit]
        # Full evidence for the answers shown first, one passage each for the rest: reading
        # passages is what costs (bench/graph.py), and every answer keeps its evidence.
        chosen = {
            k: pairs[k][: EVIDENCE_LIMIT if i < FULL_EVIDENCE_ANSWERS else 1] for i, k in enumerate(ranked)
        }
        evidence = relation_evidence(self.store, self.iris, predicate, chosen)
        return [
            Answer(
                self.eid(other(pair)),
                names.label(other(pair)),
                names.type_of(other(pair)),
                evidence.get(pair, []),
                {"documents": len(pairs[pair])},
            )
            for pair in ranked
        ]

    def _wanted(
        self,
        pair: Pair,
        other: str,
        subject_types: set[str] | None,
        object_types: set[str] | None,
        kinds: set[str] | None,
    ) -> bool:
        """Whether a relation's ends have the types asked for, and the other end the kind asked for
        (an initiative of any kind passes)."""
        types = self.types()
        if subject_types and types.get(pair[0]) not in subject_types:
            return False
        if object_types and types.get(pair[1]) not in object_types:
            return False
        return not kinds or self.kinds().get(other) in kinds or types.get(other) == "initiative"

    # -- entity pages (graph/entity_pages.py) --------------------------------------------------
    def entities(
        self, type_: str | None = None, q: str | None = None, limit: int = 50, offset: int = 0
    ) -> tuple[int, list[dict[str, Any]]]:
        return entity_list(self.store, self.names(), type_, q, limit, offset)

    def entity(self, entity_id: str) -> dict[str, Any]:
        return entity_page(self.store, self.names(), entity_id)

    def timeline(self, entity_id: str, limit_per_doc: int = 3) -> list[dict[str, Any]]:
        """Documents that name the entity, in time order, with the passages that do."""
        return entity_timeline(self.store, self.names(), entity_id, limit_per_doc)

    # -- structure ----------------------------------------------------------------------------
    def relation_edges(self) -> list[tuple[str, str, str]]:
        """Every relation between entities as (subject, predicate name, object), read once per snapshot:
        the direct triples of the registry's predicates (one scan of the predicate index; the same
        edges as the evidence's hfkg:Assertion records, which cost eight times as much to read)."""
        if self._edges is None:
            predicates = values("p", [str(HFKG[name]) for name in registry().predicates])
            rows = self.store.select(f"SELECT DISTINCT ?s ?p ?o WHERE {{ {predicates} ?s ?p ?o }}")
            self._edges = sorted((row["s"], row["p"].rsplit("#", 1)[-1], row["o"]) for row in rows)
        return self._edges

    def meetings(self, committee_iris: list[str], date: str | None = None) -> list[dict[str, Any]]:
        rows = self.store.select(f"""
            SELECT DISTINCT ?m ?date WHERE {{ {values("c", committee_iris)} ?m hfkg:meetingOf ?c .
              OPTIONAL {{ ?m dcterms:date ?date }} }}""")
        out = [{"iri": r["m"], "date": str(r["date"]) if r["date"] else None} for r in rows]
        if date:
            out = [m for m in out if m["date"] == date]
        return sorted(out, key=lambda m: m["date"] or "", reverse=True)

    def name_index(self) -> list[tuple[str, str, str]]:
        """(iri, type, name) for every label and alias, to find entities named in a question."""
        rows = self.store.select("""
            SELECT DISTINCT ?e ?l WHERE { { ?e skos:prefLabel ?l } UNION { ?e skos:altLabel ?l }
              UNION { ?e hfkg:formerName ?l } }""")
        types = self.types()
        return [(r["e"], types.get(r["e"], "entity"), r["l"]) for r in rows]

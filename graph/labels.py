"""Each entity's label across the whole graph: a vote of the documents that name it.

Every document graph gives an entity the label its own extraction preferred (skos:prefLabel, the
rule of ingest/extract/resolve.preferred_label) and the other names it read (skos:altLabel). The
label shown for the entity is the one that wins over all documents, by :func:`label_rank`.
"""

from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass

from graph.base import GraphStoreLike
from graph.build import Iris
from graph.vocab import TYPE_OF_CLASS

# A document's own preferred label counts this many times an alias it also uses.
PREFERRED_WEIGHT = 3
_INITIAL = re.compile(r"\b\w\.")  # "Marte W. Hansen"

LABELS_BY_DOCUMENTS = """
    SELECT ?e ?l ?type ?p (COUNT(DISTINCT ?g) AS ?n) WHERE {
      VALUES ?p { skos:prefLabel skos:altLabel }
      GRAPH ?g { ?e ?p ?l ; a ?type } }
    GROUP BY ?e ?l ?type ?p"""


def label_rank(label: str, votes: int, entity_type: str) -> tuple[bool, bool, int, bool, int]:
    """Greater is better: a committee's 'for' form ("Fagutvalg for HR-samarbeid"), a name without
    initials, the most votes, a capital first letter, the longer name."""
    return (
        entity_type == "committee" and " for " in label,
        not _INITIAL.search(label),
        votes,
        label[:1].isupper(),
        len(label),
    )


def preferred_labels(store: GraphStoreLike) -> tuple[dict[str, str], dict[str, str]]:
    """(entity IRI -> its label, entity IRI -> its entity type) for every labelled entity."""
    votes: dict[str, Counter[str]] = defaultdict(Counter)
    types: dict[str, str] = {}
    for row in store.select(LABELS_BY_DOCUMENTS):
        weight = PREFERRED_WEIGHT if row["p"].endswith("prefLabel") else 1
        votes[row["e"]][row["l"]] += int(row["n"]) * weight
        types[row["e"]] = TYPE_OF_CLASS.get(row["type"], "entity")
    labels = {
        iri: max(counts, key=lambda label: label_rank(label, counts[label], types[iri]))
        for iri, counts in votes.items()
    }
    return labels, types


@dataclass(frozen=True, slots=True)
class EntityNames:
    """The label and the entity type of every labelled entity, by IRI (one store snapshot's)."""

    labels: dict[str, str]
    types: dict[str, str]
    iris: Iris

    @classmethod
    def read(cls, store: GraphStoreLike) -> EntityNames:
        labels, types = preferred_labels(store)
        return cls(labels, types, store.iris)

    def label(self, iri: str) -> str:
        """The entity's label; its id when the graph has none."""
        return self.labels.get(iri, self.iris.entity_id(iri))

    def type_of(self, iri: str) -> str:
        return self.types.get(iri, "entity")

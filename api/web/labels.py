"""The web UI's names of things, in bokmål: entity types, value kinds and relations are the registry's
labels (kinds/data/kinds.json), in its order; the page-only names (facets, attributes, how an answer
was found) are kept here, next to them."""

from __future__ import annotations

from kinds import registry

# Entity types (singular, plural) and relations (read from the subject, read from the object).
ENTITY_TYPES = {
    name: (registry().type_label(name), registry().type_label(name, plural=True)) for name in registry().types
}
PREDICATES = {
    name: (registry().predicate_label(name, "out"), registry().predicate_label(name, "in"))
    for name in registry().predicates
}
TEXT_KIND = "Tekst"  # an answer that is a sentence of the text: no kind of the registry

FACET_TITLES = {
    "year": "År",
    "doc_type": "Dokumenttype",
    "fellesskap": "Helsefellesskap",
    "committee": "Utvalg",
    "entity_type": "Omtaler",  # the kinds of thing a hit names ("Enhet" means an organisational unit)
}
ATTRIBUTE_NAMES = {
    "kind": "Art",
    "municipalityNumber": "Kommunenummer",
    "county": "Fylke",
    "date": "Dato",
    "formerName": "Tidligere navn",
    "place": "Sted",
    "number": "Saksnummer",
    "conclusion": "Konklusjon",
}
METHODS = {
    "graph": "fra kunnskapsgrafen",
    "reading": "lest ut av teksten",
    "reading:text": "utdrag av teksten",
}


def type_label(entity_type: str | None, plural: bool = False) -> str:
    names = ENTITY_TYPES.get(entity_type or "")
    if names is None:
        return (entity_type or "Oppføring").replace("_", " ").capitalize()
    return names[1] if plural else names[0]


def kind_label(kind: str | None) -> str:
    """The label of what an answer is: an entity type, a value kind (a date, a number) or text."""
    value = registry().values.get(kind or "")
    if value is not None:
        return value.labels["nb"]
    return TEXT_KIND if kind == "text" else type_label(kind)


def predicate_label(predicate: str, direction: str) -> str:
    out, into = PREDICATES.get(predicate, (predicate, f"{predicate} (omvendt)"))
    return out if direction == "out" else into

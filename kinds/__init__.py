"""The registry of kinds: entity types, value kinds and predicates, with their labels in bokmål,
nynorsk and English and the words that ask for them. One data file (``kinds/data/kinds.json``);
the RDF vocabulary, the API, the UI, the network views and the question reader all read it here.

It sits below every other package (it imports none of them), so each layer may use it.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

LANGUAGES = ("nb", "nn", "en")


@dataclass(frozen=True, slots=True)
class EntityType:
    name: str
    rdf_class: str
    labels: dict[str, str]
    plural: dict[str, str]
    asked_by: tuple[str, ...]
    answered_by: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class ValueKind:
    name: str
    labels: dict[str, str]
    asked_by: tuple[str, ...]
    answered_by: dict[str, tuple[str, ...]]


@dataclass(frozen=True, slots=True)
class Predicate:
    name: str
    labels: dict[str, str]
    inverse: dict[str, str]
    domain: tuple[str, ...]
    range: tuple[str, ...]
    words: tuple[str, ...]
    narrows: tuple[str, ...] = ()  # broader predicates a question naming this one does not ask for

    def label(self, direction: str = "out", lang: str = "nb") -> str:
        return (self.labels if direction == "out" else self.inverse)[lang]


@dataclass(frozen=True, slots=True)
class Registry:
    types: dict[str, EntityType]
    values: dict[str, ValueKind]
    predicates: dict[str, Predicate]
    orders: dict[str, tuple[str, ...]]

    def type_label(self, name: str | None, *, plural: bool = False, lang: str = "nb") -> str:
        kind = self.types.get(name or "")
        if kind is None:
            return (name or "Enhet").replace("_", " ").capitalize()
        return (kind.plural if plural else kind.labels)[lang]

    def predicate_label(self, name: str, direction: str = "out", lang: str = "nb") -> str:
        predicate = self.predicates.get(name)
        if predicate is None:
            return name
        return predicate.label(direction, lang)

    def class_of(self, type_name: str) -> str:
        return self.types[type_name].rdf_class

    def answered_by(self, how: str) -> dict[str, tuple[str, ...]]:
        """Kind (entity type or value kind) -> what answers a question asking for it, ``how``:
        "graph" (the types of graph answer that fit), "mentions" (the types whose mentions in a
        passage are candidates), "spans" (the span finders that read one out of a text) or
        "read_in" (where in a document besides the passages found: "head"). Kinds no answer of that
        way fits are left out."""
        kinds: dict[str, EntityType | ValueKind] = {**self.types, **self.values}
        return {name: kind.answered_by[how] for name, kind in kinds.items() if how in kind.answered_by}

    def order(self, view: str) -> tuple[str, ...]:
        """The entity types in the order a view shows them ("home", "neighbourhood")."""
        return self.orders[view]


def _load() -> dict[str, Any]:
    text = resources.files("kinds").joinpath("data", "kinds.json").read_text(encoding="utf-8")
    return json.loads(text)


@cache
def registry() -> Registry:
    data = _load()
    types = {
        name: EntityType(
            name, t["class"], t["labels"], t["plural"], tuple(t.get("asked_by", ())), _answered_by(t)
        )
        for name, t in data["types"].items()
    }
    values = {
        name: ValueKind(name, v["labels"], tuple(v.get("asked_by", ())), _answered_by(v))
        for name, v in data["values"].items()
    }
    predicates = {
        name: Predicate(
            name,
            p["labels"],
            p["inverse"],
            tuple(p["domain"]),
            tuple(p["range"]),
            tuple(p.get("words", ())),
            tuple(p.get("narrows", ())),
        )
        for name, p in data["predicates"].items()
    }
    for predicate in predicates.values():
        for broader in predicate.narrows:
            if broader not in predicates:
                raise ValueError(
                    f"kinds.json: predicate {predicate.name} narrows unknown predicate {broader}"
                )
        for type_name in predicate.domain + predicate.range:
            if type_name not in types:
                raise ValueError(f"kinds.json: predicate {predicate.name} names unknown type {type_name}")
    answerable: dict[str, EntityType | ValueKind] = {**types, **values}
    for name, kind in answerable.items():
        for how in ("graph", "mentions"):
            for type_name in kind.answered_by.get(how, ()):
                if type_name not in types:
                    raise ValueError(f"kinds.json: {name} is answered by unknown type {type_name}")
    orders = {view: tuple(names) for view, names in data["orders"].items()}
    for view, names in orders.items():
        if not set(names) <= set(types) or len(set(names)) != len(names):
            raise ValueError(f"kinds.json: order {view} names unknown or repeated types")
    return Registry(types, values, predicates, orders)


def _answered_by(kind: dict[str, Any]) -> dict[str, tuple[str, ...]]:
    return {how: tuple(names) for how, names in kind.get("answered_by", {}).items()}


ENTITY_TYPE_NAMES = tuple(_load()["types"])
PREDICATE_NAMES = tuple(_load()["predicates"])

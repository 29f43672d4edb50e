"""The registry of kinds (kinds/data/kinds.json) is the one list of entity types and predicates:
every consumer reads it, none keeps a list of its own, and it is whole (labels, domain and range)."""

from __future__ import annotations

import ast
import json
import re
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

import pytest
from rdflib import Graph, Literal
from rdflib.collection import Collection
from rdflib.namespace import OWL, RDFS

import kinds
from kinds import LANGUAGES, registry

ROOT = Path(__file__).resolve().parents[2]
REGISTRY = registry()
NAMES = set(REGISTRY.types) | set(REGISTRY.predicates)

# Rules that name a few kinds for one decision of their own, not lists of kinds: (file, function)
# -> the names the rule may use, and why it is a rule. A list of kinds anywhere else fails
# test_no_consumer_keeps_a_list_of_its_own; a list at module or class level is never a rule.
RULES: dict[tuple[str, str], tuple[frozenset[str], str]] = {
    ("ingest/extract/community.py", "community_links"): (
        frozenset({"committee", "initiative"}),
        "a committee is partOf, an initiative initiativeOf, the health community of its document",
    ),
    ("ingest/extract/resolve.py", "registry_entries"): (
        frozenset({"committee", "initiative", "person"}),
        "the types whose names are resolved across documents",
    ),
    ("answers/graph_layer.py", "Asker.names"): (
        frozenset({"decision", "meeting", "document"}),
        "the types a question does not name by their labels",
    ),
    ("answers/graph_layer.py", "Asker._initiatives_for_group"): (
        frozenset({"initiative", "committee"}),
        "what addresses a patient group and answers 'which initiatives'",
    ),
    ("answers/graph_layer.py", "Asker._members"): (
        frozenset({"initiative", "committee", "health_community"}),
        "whose members are asked for, most specific first",
    ),
    ("answers/graph_layer.py", "Asker._pilot"): (
        frozenset({"initiative", "committee"}),
        "what is piloted, most specific first",
    ),
    ("answers/graph_layer.py", "Asker._leader"): (
        frozenset({"initiative", "committee"}),
        "what is led, most specific first",
    ),
    ("answers/graph_layer.py", "Asker._timeline"): (
        frozenset({"initiative", "committee", "municipality", "person", "health_community"}),
        "whose timeline is asked for, most specific first",
    ),
    ("answers/plan.py", "asked_parts"): (
        frozenset({"person", "municipality", "committee", "initiative"}),
        "the kinds a plural cue makes plural",
    ),
}


# -- (a) every consumer reads the registry -------------------------------------------------------
def test_vocabulary_classes_and_predicates_are_the_registrys() -> None:
    from graph.vocab import CLASS_OF_TYPE, HFKG, TYPE_OF_CLASS

    assert {name: HFKG[kind.rdf_class] for name, kind in REGISTRY.types.items()} == CLASS_OF_TYPE
    assert {str(HFKG[kind.rdf_class]): name for name, kind in REGISTRY.types.items()} == TYPE_OF_CLASS
    declared = set(HFKG.__annotations__)
    assert {kind.rdf_class for kind in REGISTRY.types.values()} <= declared
    assert set(REGISTRY.predicates) <= declared


def _labels(graph: Graph, term) -> dict[str, list[str]]:  # type: ignore[no-untyped-def]
    out: dict[str, list[str]] = {}
    for label in graph.objects(term, RDFS.label):
        assert isinstance(label, Literal)
        out.setdefault(label.language or "", []).append(str(label))
    return out


def _types_of(graph: Graph, node) -> set[str]:  # type: ignore[no-untyped-def]
    from graph.vocab import TYPE_OF_CLASS

    union = graph.value(node, OWL.unionOf)
    classes = list(Collection(graph, union)) if union is not None else [node]
    return {TYPE_OF_CLASS[str(c)] for c in classes}


def test_vocabulary_labels_domain_and_range_are_the_registrys() -> None:
    from graph.vocab import HFKG, vocabulary

    vocab = vocabulary()
    for kind in REGISTRY.types.values():
        term = HFKG[kind.rdf_class]
        assert (term, None, OWL.Class) in vocab
        assert _labels(vocab, term) == {lang: [kind.labels[lang]] for lang in LANGUAGES}, kind.name
    for predicate in REGISTRY.predicates.values():
        term = HFKG[predicate.name]
        assert (term, None, OWL.ObjectProperty) in vocab
        assert _labels(vocab, term) == {lang: [predicate.labels[lang]] for lang in LANGUAGES}, predicate.name
        domains, ranges = list(vocab.objects(term, RDFS.domain)), list(vocab.objects(term, RDFS.range))
        assert len(domains) == len(ranges) == 1, predicate.name
        assert _types_of(vocab, domains[0]) == set(predicate.domain), predicate.name
        assert _types_of(vocab, ranges[0]) == set(predicate.range), predicate.name


def test_hfkg_ttl_does_not_state_the_registrys_labels_again() -> None:
    from graph.vocab import HFKG

    ttl = Graph().parse(
        data=resources.files("graph").joinpath("data", "hfkg.ttl").read_text(encoding="utf-8"),
        format="turtle",
    )
    terms = [HFKG[k.rdf_class] for k in REGISTRY.types.values()] + [HFKG[p] for p in REGISTRY.predicates]
    for term in terms:
        for stated in (RDFS.label, RDFS.domain, RDFS.range):
            assert not list(ttl.objects(term, stated)), (term, stated)


def test_the_relation_edges_are_the_evidences_assertions(corpus_services) -> None:  # type: ignore[no-untyped-def]
    # Neighbourhoods and paths walk the direct triples of the registry's predicates; every one of
    # them is an asserted relation with evidence, and every assertion is one of them.
    from graph.queries import GraphQueries

    rows = corpus_services.graph.select("""
        SELECT DISTINCT ?s ?p ?o WHERE { ?a a hfkg:Assertion ; hfkg:subject ?s ; hfkg:predicate ?p ; hfkg:object ?o }""")
    asserted = {(row["s"], row["p"].rsplit("#", 1)[-1], row["o"]) for row in rows}
    edges = GraphQueries(corpus_services.graph).relation_edges()
    assert len(asserted) > 100
    assert set(edges) == asserted
    assert {name for _, name, _ in edges} <= set(REGISTRY.predicates)


def test_ui_labels_are_the_registrys() -> None:
    from api.web.labels import ENTITY_TYPES, PREDICATES, kind_label, predicate_label, type_label
    from api.web.neighbourhood import TYPE_ORDER

    assert list(ENTITY_TYPES) == list(REGISTRY.types)
    assert list(PREDICATES) == list(REGISTRY.predicates)
    for name, kind in REGISTRY.types.items():
        assert type_label(name) == kind.labels["nb"]
        assert type_label(name, plural=True) == kind.plural["nb"]
    for name, predicate in REGISTRY.predicates.items():
        assert predicate_label(name, "out") == predicate.labels["nb"]
        assert predicate_label(name, "in") == predicate.inverse["nb"]
    for name, value in REGISTRY.values.items():
        assert kind_label(name) == value.labels["nb"]
    assert list(REGISTRY.order("neighbourhood")) == TYPE_ORDER


def test_every_type_has_its_colour_in_the_stylesheet() -> None:
    css = resources.files("api.web").joinpath("static", "style.css").read_text(encoding="utf-8")
    for name in REGISTRY.types:
        assert f"--c-{name}:" in css, name


def test_api_entity_types_are_the_registrys(tmp_path: Path) -> None:
    from typing import get_args

    from api.app import create_app
    from api.routes.entities import EntityType
    from api.settings import Settings

    assert get_args(EntityType) == kinds.ENTITY_TYPE_NAMES == tuple(REGISTRY.types)
    schema = create_app(Settings(data_dir=tmp_path)).openapi()
    (param,) = [p for p in schema["paths"]["/entities"]["get"]["parameters"] if p["name"] == "type"]
    (enum,) = [s["enum"] for s in param["schema"]["anyOf"] if "enum" in s]
    assert enum == list(REGISTRY.types)


def test_answers_read_the_registry() -> None:
    import answers
    from answers import reading
    from answers.spans import FINDERS

    assert {k: set(v) for k, v in REGISTRY.answered_by("graph").items()} == answers.GRAPH_FITS
    assert REGISTRY.answered_by("mentions") == reading.ENTITY_TYPES_FOR
    assert REGISTRY.answered_by("spans") == reading.SPANS_FOR
    assert {s for spans in reading.SPANS_FOR.values() for s in spans} <= set(FINDERS)


# -- (b) no consumer keeps a list of its own ---------------------------------------------------
def _sources() -> Iterator[Path]:
    for path in sorted(ROOT.rglob("*.py")):
        top = path.relative_to(ROOT).parts[0]
        if top in ("kinds", "tests") or top.startswith(".") or "site-packages" in path.parts:
            continue
        yield path


class _Lists(ast.NodeVisitor):
    """Literal lists, tuples, sets and dicts (keys and values) of two or more registry names, with
    the function or class they are in."""

    def __init__(self) -> None:
        self.scope: list[str] = []
        self.found: list[tuple[str, int, frozenset[str]]] = []

    def _scoped(self, node: ast.FunctionDef | ast.AsyncFunctionDef | ast.ClassDef) -> None:
        self.scope.append(node.name)
        self.generic_visit(node)
        self.scope.pop()

    visit_FunctionDef = visit_AsyncFunctionDef = visit_ClassDef = _scoped

    def generic_visit(self, node: ast.AST) -> None:
        items: list[ast.expr | None] = []
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            items = list(node.elts)
        elif isinstance(node, ast.Dict):
            items = [*node.keys, *node.values]
        names = frozenset(i.value for i in items if isinstance(i, ast.Constant) and i.value in NAMES)
        if len(names) >= 2:
            self.found.append((".".join(self.scope), node.lineno, names))  # type: ignore[attr-defined]
        super().generic_visit(node)


def _lists() -> Iterator[tuple[str, str, int, frozenset[str]]]:
    for path in _sources():
        lists = _Lists()
        lists.visit(ast.parse(path.read_text(encoding="utf-8"), filename=str(path)))
        rel = path.relative_to(ROOT).as_posix()
        for scope, line, names in lists.found:
            yield rel, scope, line, names


def test_no_consumer_keeps_a_list_of_its_own() -> None:
    own = []
    used = set()
    for rel, scope, line, names in _lists():
        rule = RULES.get((rel, scope))
        if rule is not None and names <= rule[0]:
            used.add((rel, scope))
            continue
        own.append(f"{rel}:{line} ({scope or 'module'}): {sorted(names)}")
    assert not own, (
        "lists of kinds outside the registry; read kinds.registry() instead (or, for a rule "
        "that names a few kinds for one decision, add it to RULES with why):\n" + "\n".join(own)
    )
    assert used == set(RULES), f"RULES that no longer match any code: {sorted(set(RULES) - used)}"


def test_the_scan_catches_a_list_of_its_own() -> None:
    lists = _Lists()
    lists.visit(
        ast.parse(
            'ORDER = ("health_trust", "patient_group")\n'
            'def f():\n    return {"pilotedIn": 1, "takesMinutes": 2}\n'
        )
    )
    assert [(scope, names) for scope, _, names in lists.found] == [
        ("", frozenset({"health_trust", "patient_group"})),
        ("f", frozenset({"pilotedIn", "takesMinutes"})),
    ]


# -- (c) the registry is whole ---------------------------------------------------------------
def test_registry_names_and_labels_are_whole() -> None:
    data = json.loads(resources.files("kinds").joinpath("data", "kinds.json").read_text(encoding="utf-8"))
    assert kinds.ENTITY_TYPE_NAMES == tuple(data["types"]) == tuple(REGISTRY.types)
    assert kinds.PREDICATE_NAMES == tuple(data["predicates"]) == tuple(REGISTRY.predicates)
    classes = [t["class"] for t in data["types"].values()]
    assert len(set(classes)) == len(classes)
    for name, kind in REGISTRY.types.items():
        assert re.fullmatch(r"[a-z_]+", name) and re.fullmatch(r"[A-Z][A-Za-z]+", kind.rdf_class)
        for lang in LANGUAGES:
            assert kind.labels[lang].strip() and kind.plural[lang].strip(), (name, lang)
    for name, value in REGISTRY.values.items():
        assert all(value.labels[lang].strip() for lang in LANGUAGES), name
    for name, predicate in REGISTRY.predicates.items():
        assert re.fullmatch(r"[a-z][A-Za-z]+", name)
        for lang in LANGUAGES:
            assert predicate.labels[lang].strip() and predicate.inverse[lang].strip(), (name, lang)
        raw = data["predicates"][name]
        assert raw["domain"] and raw["range"], name
        assert set(raw["domain"]) <= set(data["types"]) and set(raw["range"]) <= set(data["types"]), name
    for view, order in data["orders"].items():
        assert set(order) <= set(data["types"]) and len(set(order)) == len(order), view


def test_registry_refuses_a_predicate_of_an_unknown_type(monkeypatch: pytest.MonkeyPatch) -> None:
    data = kinds._load()
    data["predicates"]["leads"]["range"] = ["initiative", "hospital"]
    monkeypatch.setattr(kinds, "_load", lambda: data)
    kinds.registry.cache_clear()
    try:
        with pytest.raises(ValueError, match="unknown type hospital"):
            kinds.registry()
    finally:
        kinds.registry.cache_clear()


def test_the_corpus_graph_fits_the_registrys_domain_and_range(corpus_services) -> None:  # type: ignore[no-untyped-def]
    from graph.queries import GraphQueries

    queries = GraphQueries(corpus_services.graph)
    types = queries.types()
    misfits = set()
    edges = queries.relation_edges()
    assert edges
    for subject, name, obj in edges:
        predicate = REGISTRY.predicates[name]
        if types.get(subject) not in predicate.domain or types.get(obj) not in predicate.range:
            misfits.add((types.get(subject), name, types.get(obj)))
    assert not misfits

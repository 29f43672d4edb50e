"""The evidence of relations: which documents hold a relation, and the passages it was read from.

Each relation of a document has one hfkg:Assertion whose IRI is computed from the document and the
triple (graph/build.py), so its passages are found by IRI, with no search over assertions. Evidence
prefers documents that are no near-duplicate of another, then the older ones.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from typing import Any

from graph.base import GraphStoreLike
from graph.build import Iris
from graph.vocab import HFKG

EVIDENCE_LIMIT = 3  # passages per relation
VALUES_CHUNK = 400  # IRIs per VALUES clause: one query per chunk

Pair = tuple[str, str]  # (subject IRI, object IRI)


def values(name: str, iris: Iterable[str]) -> str:
    """A VALUES clause binding ``?name`` to each of ``iris``."""
    return f"VALUES ?{name} {{ {' '.join(f'<{i}>' for i in iris)} }}"


def relation_pairs(
    store: GraphStoreLike, predicate: str, subject: str | None, obj: str | None
) -> dict[Pair, list[str]]:
    """(subject, object) -> the document graphs that hold the relation (a direct pattern: fast)."""
    s_term = f"<{subject}>" if subject else "?s"
    o_term = f"<{obj}>" if obj else "?o"
    binds = (f"BIND({s_term} AS ?s)" if subject else "") + (f" BIND({o_term} AS ?o)" if obj else "")
    rows = store.select(f"""
        SELECT ?s ?o ?g WHERE {{ GRAPH ?g {{ {s_term} <{HFKG[predicate]}> {o_term} }} {binds} }}""")
    pairs: dict[Pair, list[str]] = defaultdict(list)
    for row in rows:
        pairs[(row["s"], row["o"])].append(row["g"])
    return pairs


def relation_evidence(
    store: GraphStoreLike, iris: Iris, predicate: str, chosen: dict[Pair, list[str]]
) -> dict[Pair, list[dict[str, Any]]]:
    """Up to :data:`EVIDENCE_LIMIT` passages of each pair, read from the document graphs chosen for it."""
    wanted = [
        str(iris.assertion(iris.doc_id(g), iris.entity_id(s), predicate, iris.entity_id(o)))
        for (s, o), graphs in chosen.items()
        for g in graphs
    ]
    rows = _assertion_passages(store, wanted)
    docs = _document_order(store, sorted({row["doc"] for row in rows}))
    for row in rows:
        row["dup"], row["date"] = docs.get(row["doc"], (None, None))
    grouped: dict[Pair, list[dict[str, Any]]] = defaultdict(list)
    for row in sorted(rows, key=lambda r: (r["dup"] is not None, str(r["date"] or ""), str(r["passage"]))):
        found = grouped[(row["s"], row["o"])]
        evidence = _evidence_row(row, iris)
        if len(found) < EVIDENCE_LIMIT and all(e["passage_id"] != evidence["passage_id"] for e in found):
            found.append(evidence)
    return grouped


def _assertion_passages(store: GraphStoreLike, assertions: list[str]) -> list[dict[str, Any]]:
    rows: list[dict[str, Any]] = []
    for start in range(0, len(assertions), VALUES_CHUNK):
        rows += store.select(f"""
            SELECT ?s ?o ?passage ?page ?text ?doc ?docid ?title ?method ?year WHERE {{
              {values("a", assertions[start : start + VALUES_CHUNK])}
              ?a hfkg:subject ?s ; hfkg:object ?o ; hfkg:method ?method ; prov:wasDerivedFrom ?passage .
              ?passage hfkg:page ?page ; hfkg:text ?text ; dcterms:isPartOf ?doc .
              ?doc dcterms:title ?title ; dcterms:identifier ?docid .
              OPTIONAL {{ ?a hfkg:year ?year }}
            }}""")
    return rows


def _document_order(store: GraphStoreLike, docs: list[str]) -> dict[str, tuple[str | None, str | None]]:
    """Document -> (the document it duplicates, its date), for ordering evidence."""
    if not docs:
        return {}
    rows = store.select(f"""
        SELECT ?doc ?dup ?date WHERE {{ {values("doc", docs)}
          OPTIONAL {{ ?doc hfkg:duplicateOf ?dup }} OPTIONAL {{ ?doc dcterms:date ?date }} }}""")
    return {row["doc"]: (row["dup"], row["date"]) for row in rows}


def passage_id(iris: Iris, passage_iri: str) -> str:
    """The passage id of a passage IRI (``.../passage/<id>``)."""
    return iris.entity_id(passage_iri).split("/", 1)[-1]


def _evidence_row(row: dict[str, Any], iris: Iris) -> dict[str, Any]:
    return {
        "doc_id": row["docid"],
        "title": row["title"],
        "page": int(row["page"]) if row["page"] is not None else None,
        "text": row["text"],
        "passage_id": passage_id(iris, str(row["passage"])) if row["passage"] else None,
        "method": row["method"],
        "year": int(row["year"]) if row["year"] else None,
    }

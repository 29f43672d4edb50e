"""The graph store: rdflib over an embedded Oxigraph store (oxrdflib), one named graph per document.

Oxigraph's on-disk store takes an exclusive lock: one process writes, other processes open it read
only and see it as of the moment they opened it (``GraphStore.open(..., read_only=True)``).
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, Graph, URIRef

from graph.build import Iris, document_triples
from graph.vocab import DEFAULT_BASE, bind_prefixes, sparql_prefixes
from ingest.errors import HfkgError, QueryError
from ingest.model import Document

log = logging.getLogger(__name__)


class GraphUnavailable(HfkgError):
    """The graph store is locked by another process or missing."""


_INTEGER = {"http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#int",
            "http://www.w3.org/2001/XMLSchema#long"}


def _plain(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype is not None and term.datatype.value in _INTEGER:
            return int(term.value)
        return term.value
    return term.value


class GraphStore:
    def __init__(self, dataset: Dataset, base: str = DEFAULT_BASE) -> None:
        self.dataset = dataset
        self.iris = Iris(base)
        bind_prefixes(dataset, self.iris.base)

    @classmethod
    def open(cls, path: Path, *, read_only: bool = False, base: str = DEFAULT_BASE) -> GraphStore:
        path = Path(path)
        try:
            if read_only:
                if not path.exists():
                    inner = ox.Store()  # nothing ingested yet: an empty graph
                else:
                    inner = ox.Store.read_only(str(path))
            else:
                path.mkdir(parents=True, exist_ok=True)
                inner = ox.Store(str(path))
        except OSError as exc:
            raise GraphUnavailable(f"cannot open the graph store at {path}: {exc}") from exc
        dataset = Dataset(store=OxigraphStore(store=inner), default_union=True)
        return cls(dataset, base)

    @classmethod
    def in_memory(cls, base: str = DEFAULT_BASE) -> GraphStore:
        return cls(Dataset(store=OxigraphStore(store=ox.Store()), default_union=True), base)

    # -- writing ----------------------------------------------------------------------------
    def apply(self, add: list[Document], remove: Iterable[str] = ()) -> None:
        """Replace the named graphs of ``remove`` and of every document in ``add``."""
        inner: ox.Store = self.dataset.store._inner  # type: ignore[attr-defined]
        for doc_id in set(remove) | {d.doc_id for d in add}:
            inner.remove_graph(ox.NamedNode(str(self.iris.graph(doc_id)))) if self._has_graph(inner, doc_id) else None
        quads = []
        from oxrdflib._converter import to_ox  # the same conversion oxrdflib uses for its own writes

        for doc in add:
            g = ox.NamedNode(str(self.iris.graph(doc.doc_id)))
            for s, p, o in document_triples(doc, self.iris):
                quads.append(ox.Quad(to_ox(s), to_ox(p), to_ox(o), g))
        if quads:
            inner.extend(quads)  # one transaction: all of a file's documents or none

    def _has_graph(self, inner: ox.Store, doc_id: str) -> bool:
        return inner.contains_named_graph(ox.NamedNode(str(self.iris.graph(doc_id))))

    def doc_ids(self) -> set[str]:
        inner: ox.Store = self.dataset.store._inner  # type: ignore[attr-defined]
        prefix = str(self.iris.graph(""))
        return {g.value[len(prefix):] for g in inner.named_graphs() if g.value.startswith(prefix)}

    # -- reading ----------------------------------------------------------------------------
    def duplicate_ids(self) -> set[str]:
        """The documents the graph records as a duplicate of another (hfkg:duplicateOf)."""
        prefix = str(self.iris.document(""))
        rows = self.select("SELECT DISTINCT ?d WHERE { ?d hfkg:duplicateOf ?o }")
        return {row["d"][len(prefix):] for row in rows if row["d"].startswith(prefix)}

    def select(self, query: str) -> list[dict[str, Any]]:
        """Run a SELECT with our prefixes; rows as dicts of plain Python values (None where unbound).

        Reads go straight to the Oxigraph store: converting every value to an rdflib term first
        cost more than the query itself (bench/graph.py). rdflib stays the API for writes, exports
        and the SPARQL endpoint.
        """
        inner: ox.Store = self.dataset.store._inner  # type: ignore[attr-defined]
        try:
            solutions = inner.query(sparql_prefixes() + query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        names = [v.value for v in solutions.variables]
        return [{name: _plain(value) for name, value in zip(names, row)} for row in solutions]

    def raw_query(self, query: str) -> Any:
        try:
            return self.dataset.query(query)
        except (SyntaxError, ValueError, OSError) as exc:
            raise QueryError(str(exc)) from exc

    def export(self, fmt: str) -> str:
        """The graph as text: turtle, nt and jsonld give the union of the document graphs; trig and
        nquads keep one named graph per document."""
        if fmt in ("trig", "nquads"):
            return self.dataset.serialize(format=fmt)
        formats = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
        if fmt not in formats:
            raise QueryError(f"unknown export format {fmt!r}; use turtle, nt, jsonld, trig or nquads")
        union = Graph()
        bind_prefixes(union, self.iris.base)
        for triple in self.dataset.triples((None, None, None)):
            union.add(triple)
        return union.serialize(format=formats[fmt])

    def close(self) -> None:
        self.dataset.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

"""The graph store: an embedded Oxigraph store (pyoxigraph), one named graph per document.

Oxigraph's on-disk store takes an exclusive lock: one process writes, other processes open it read
only and see it as of the moment they opened it (``GraphStore.open(..., read_only=True)``).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import BNode, Dataset, Literal, URIRef
from rdflib.term import Node

from graph.base import INTEGER_TYPES, GraphUnavailable, write_export
from graph.build import Iris, document_triples
from graph.sparql_endpoint import Limits, SparqlRunner
from graph.vocab import DEFAULT_BASE, bind_prefixes, sparql_prefixes
from ingest.errors import QueryError
from ingest.model import Document

log = logging.getLogger(__name__)


def _plain(term: Any) -> Any:
    if term is None:
        return None
    if isinstance(term, ox.Literal):
        if term.datatype is not None and term.datatype.value in INTEGER_TYPES:
            return int(term.value)
        return term.value
    return term.value


def _node(term: Node) -> ox.NamedNode | ox.BlankNode:
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    raise TypeError(f"not an IRI or blank node: {term!r}")


def to_ox(triple: tuple[Node, Node, Node], graph: ox.NamedNode) -> ox.Quad:
    """A triple of graph/build.py (rdflib terms) as an Oxigraph quad in ``graph``: the conversion
    oxrdflib makes for its own writes."""
    s, p, o = triple
    if isinstance(o, Literal):
        obj: ox.NamedNode | ox.BlankNode | ox.Literal = ox.Literal(
            str(o), language=o.language, datatype=ox.NamedNode(str(o.datatype)) if o.datatype else None
        )
    else:
        obj = _node(o)
    if not isinstance(p, URIRef):
        raise TypeError(f"not a predicate: {p!r}")
    return ox.Quad(_node(s), ox.NamedNode(str(p)), obj, graph)


class GraphStore:
    """The embedded store (one process writes; others open it read only)."""

    def __init__(self, store: ox.Store, base: str = DEFAULT_BASE) -> None:
        self._store: ox.Store | None = store
        self._dataset: Dataset | None = None
        self.iris = Iris(base)

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
        return cls(inner, base)

    @classmethod
    def in_memory(cls, base: str = DEFAULT_BASE) -> GraphStore:
        return cls(ox.Store(), base)

    @property
    def store(self) -> ox.Store:
        if self._store is None:
            raise GraphUnavailable("the graph store is closed")
        return self._store

    @property
    def dataset(self) -> Dataset:
        """The same store seen through rdflib (oxrdflib), with our prefixes bound: for rdflib's own
        tools. Our reads and writes go to the Oxigraph store directly."""
        if self._dataset is None:
            from oxrdflib import OxigraphStore

            self._dataset = Dataset(store=OxigraphStore(store=self.store), default_union=True)
            bind_prefixes(self._dataset, self.iris.base)
        return self._dataset

    # -- writing ----------------------------------------------------------------------------
    def apply(self, add: list[Document], remove: Iterable[str] = ()) -> None:
        """Replace the named graphs of ``remove`` and of every document in ``add``."""
        store = self.store
        for doc_id in set(remove) | {d.doc_id for d in add}:
            graph = ox.NamedNode(str(self.iris.graph(doc_id)))
            if store.contains_named_graph(graph):
                store.remove_graph(graph)
        quads: list[ox.Quad] = []
        for doc in add:
            g = ox.NamedNode(str(self.iris.graph(doc.doc_id)))
            quads.extend(to_ox(triple, g) for triple in document_triples(doc, self.iris))
        if quads:
            store.extend(quads)  # one transaction: all of a file's documents or none

    def doc_ids(self) -> set[str]:
        store = self.store
        prefix = str(self.iris.graph(""))
        return {g.value[len(prefix) :] for g in store.named_graphs() if g.value.startswith(prefix)}

    # -- reading ----------------------------------------------------------------------------
    def duplicate_ids(self) -> set[str]:
        """The documents the graph records as a duplicate of another (hfkg:duplicateOf)."""
        prefix = str(self.iris.document(""))
        rows = self.select("SELECT DISTINCT ?d WHERE { ?d hfkg:duplicateOf ?o }")
        return {row["d"][len(prefix) :] for row in rows if row["d"].startswith(prefix)}

    def select(self, query: str) -> list[dict[str, Any]]:
        """Run a SELECT with our prefixes; rows as dicts of plain Python values (None where unbound).

        Reads go straight to the Oxigraph store: converting every value to an rdflib term first
        cost more than the query itself (bench/graph.py). The SPARQL endpoint reads snapshots in
        worker processes (graph/sparql_worker.py).
        """
        store = self.store
        try:
            solutions = store.query(sparql_prefixes() + query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        if not isinstance(solutions, ox.QuerySolutions):
            raise QueryError("not a SELECT query")
        names = [v.value for v in solutions.variables]
        return [{name: _plain(value) for name, value in zip(names, row)} for row in solutions]

    def snapshot(self, target: Path) -> None:
        """A copy of the graph as it is now, for other processes to open with ``Store.read_only``
        while this one goes on writing (a RocksDB checkpoint: hard links, cheap on one file system)."""
        try:
            self.store.backup(str(target))
        except OSError as exc:
            raise GraphUnavailable(f"cannot snapshot the graph store to {target}: {exc}") from exc

    def write_export(self, fmt: str, output: IO[bytes]) -> None:
        """The graph, streamed to ``output``: turtle, nt and jsonld give the union of the document
        graphs; trig and nquads keep one named graph per document."""
        write_export(self.store.quads_for_pattern(None, None, None, None), fmt, output, self.iris.base)

    def document_graph(self, doc_id: str) -> str:
        """One document's named graph as N-Triples."""
        graph = ox.NamedNode(str(self.iris.graph(doc_id)))
        quads = self.store.quads_for_pattern(None, None, None, graph)
        return (ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")

    def export(self, fmt: str) -> str:
        buffer = io.BytesIO()
        self.write_export(fmt, buffer)
        return buffer.getvalue().decode("utf-8")

    def sparql_runner(self, data_dir: Path, limits: Limits) -> SparqlRunner:
        """The SPARQL endpoint's queries, each in a sandboxed worker process on a snapshot of this
        store kept under ``data_dir`` (graph/sparql_pool.py)."""
        # Imported here: the pool opens its snapshots as GraphStores, and a CLI reader of the store
        # never needs the pool's process machinery.
        from graph.sparql_pool import LocalSparql

        return LocalSparql(self, data_dir, limits)

    def close(self) -> None:
        """Lets go of the store (Oxigraph releases its lock when the last reference goes)."""
        if self._dataset is not None:
            self._dataset.close()
        self._dataset = None
        self._store = None

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

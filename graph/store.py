"""The graph store: rdflib over an embedded Oxigraph store (oxrdflib), one named graph per document.

Oxigraph's on-disk store takes an exclusive lock: one process writes, other processes open it read
only and see it as of the moment they opened it (``GraphStore.open(..., read_only=True)``).
"""

from __future__ import annotations

import io
import logging
from collections.abc import Iterable
from pathlib import Path
from typing import Any, BinaryIO

import pyoxigraph as ox
from oxrdflib import OxigraphStore
from rdflib import Dataset, URIRef

from graph.build import Iris, document_triples
from graph.sparql import query_prefixes
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


# Export formats: those that keep the named graphs, and those that give their union.
DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


def write_export(quads: Iterable[ox.Quad], fmt: str, output: BinaryIO, base: str) -> None:
    """Serialises as it reads: memory stays flat whatever the size of the graph."""
    prefixes = query_prefixes(base)
    if fmt in DATASET_FORMATS:
        ox.serialize(quads, output, DATASET_FORMATS[fmt], prefixes=prefixes)
    elif fmt in GRAPH_FORMATS:
        ox.serialize((q.triple for q in quads), output, GRAPH_FORMATS[fmt], prefixes=prefixes)
    else:
        raise QueryError(f"unknown export format {fmt!r}; use turtle, nt, jsonld, trig or nquads")


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
        inner = self._inner
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
        inner = self._inner
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
        cost more than the query itself (bench/graph.py). The SPARQL endpoint reads snapshots in
        worker processes (graph/sparql_worker.py).
        """
        inner = self._inner
        try:
            solutions = inner.query(sparql_prefixes() + query, use_default_graph_as_union=True)
        except SyntaxError as exc:
            raise QueryError(str(exc)) from exc
        names = [v.value for v in solutions.variables]
        return [{name: _plain(value) for name, value in zip(names, row)} for row in solutions]

    def snapshot(self, target: Path) -> None:
        """A copy of the graph as it is now, for other processes to open with ``Store.read_only``
        while this one goes on writing (a RocksDB checkpoint: hard links, cheap on one file system)."""
        try:
            self._inner.backup(str(target))
        except OSError as exc:
            raise GraphUnavailable(f"cannot snapshot the graph store to {target}: {exc}") from exc

    def write_export(self, fmt: str, output: BinaryIO) -> None:
        """The graph, streamed to ``output``: turtle, nt and jsonld give the union of the document
        graphs; trig and nquads keep one named graph per document."""
        write_export(self._inner.quads_for_pattern(None, None, None, None), fmt, output, self.iris.base)

    def document_graph(self, doc_id: str) -> str:
        """One document's named graph as N-Triples."""
        graph = ox.NamedNode(str(self.iris.graph(doc_id)))
        quads = self._inner.quads_for_pattern(None, None, None, graph)
        return (ox.serialize((q.triple for q in quads), format=ox.RdfFormat.N_TRIPLES) or b"").decode("utf-8")

    def export(self, fmt: str) -> str:
        buffer = io.BytesIO()
        self.write_export(fmt, buffer)
        return buffer.getvalue().decode("utf-8")

    @property
    def _inner(self) -> ox.Store:
        return self.dataset.store._inner  # type: ignore[attr-defined,no-any-return]

    def close(self) -> None:
        self.dataset.close()

    def __enter__(self) -> GraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

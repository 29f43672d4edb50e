"""What every graph backend offers: the embedded Oxigraph store (graph/store.py) and a SPARQL 1.1
server (graph/remote.py). Callers hold a :class:`GraphStoreLike` and need not know which it is: both
write document graphs, answer SELECTs, export, and make the runner of the SPARQL endpoint's queries."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any, Protocol, Self

import pyoxigraph as ox

from graph.build import Iris
from graph.sparql import query_prefixes
from graph.sparql_endpoint import Limits, SparqlRunner
from ingest.errors import HfkgError, QueryError
from ingest.model import Document


class GraphUnavailable(HfkgError):
    """The graph store is locked by another process or missing."""


INTEGER_TYPES = frozenset(
    {
        "http://www.w3.org/2001/XMLSchema#integer",
        "http://www.w3.org/2001/XMLSchema#int",
        "http://www.w3.org/2001/XMLSchema#long",
    }
)

# Export formats: those that keep the named graphs, and those that give their union.
DATASET_FORMATS = {"trig": ox.RdfFormat.TRIG, "nquads": ox.RdfFormat.N_QUADS}
GRAPH_FORMATS = {"turtle": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES, "jsonld": ox.RdfFormat.JSON_LD}


def write_export(quads: Iterable[ox.Quad], fmt: str, output: IO[bytes], base: str) -> None:
    """Serialises as it reads: memory stays flat whatever the size of the graph."""
    prefixes = query_prefixes(base)
    if fmt in DATASET_FORMATS:
        ox.serialize(quads, output, DATASET_FORMATS[fmt], prefixes=prefixes)
    elif fmt in GRAPH_FORMATS:
        ox.serialize((q.triple for q in quads), output, GRAPH_FORMATS[fmt], prefixes=prefixes)
    else:
        raise QueryError(f"unknown export format {fmt!r}; use turtle, nt, jsonld, trig or nquads")


class GraphStoreLike(Protocol):
    """One named graph per document; reads are SPARQL over the union of the document graphs."""

    iris: Iris

    def apply(self, add: list[Document], remove: Iterable[str] = ()) -> None:
        """Replace the named graphs of ``remove`` and of every document in ``add``."""

    def doc_ids(self) -> set[str]:
        """The documents that have a named graph."""

    def duplicate_ids(self) -> set[str]:
        """The documents the graph records as a duplicate of another (hfkg:duplicateOf)."""

    def select(self, query: str) -> list[dict[str, Any]]:
        """A SELECT with our prefixes; rows as dicts of plain Python values (None where unbound)."""

    def write_export(self, fmt: str, output: IO[bytes]) -> None:
        """The graph streamed to ``output`` (turtle, nt, jsonld, trig or nquads)."""

    def document_graph(self, doc_id: str) -> str:
        """One document's named graph as N-Triples."""

    def export(self, fmt: str) -> str:
        """The graph as text in ``fmt``."""

    def sparql_runner(self, data_dir: Path, limits: Limits) -> SparqlRunner:
        """What runs the read-only SPARQL endpoint's queries on this graph, within ``limits``."""

    def close(self) -> None:
        """Let go of what the store holds."""

    def __enter__(self) -> Self: ...

    def __exit__(self, *exc: object) -> None: ...

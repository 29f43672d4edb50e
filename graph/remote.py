"""The graph on a SPARQL 1.1 server instead of the embedded store (a larger deployment).

Same interface as :class:`graph.store.GraphStore`. Writes replace each document's named graph through
the SPARQL 1.1 Graph Store Protocol (one HTTP PUT or DELETE per document graph, atomic on the
server); reads are SPARQL queries over HTTP. Queries assume the union of the named graphs as the
default graph (Oxigraph server: ``--union-default-graph``; Fuseki: ``tdb:unionDefaultGraph``).
Only the standard library talks HTTP: nothing to install.
"""

from __future__ import annotations

import json
import logging
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable
from typing import Any

from rdflib import Dataset, Graph
from rdflib.query import Result

from graph.build import Iris, document_triples
from graph.store import GraphUnavailable
from graph.vocab import DEFAULT_BASE, bind_prefixes, sparql_prefixes
from ingest.errors import QueryError
from ingest.model import Document

log = logging.getLogger(__name__)
TIMEOUT = 60
_INTEGER = {"http://www.w3.org/2001/XMLSchema#integer", "http://www.w3.org/2001/XMLSchema#int",
            "http://www.w3.org/2001/XMLSchema#long"}


class RemoteGraphStore:
    def __init__(self, endpoint: str, base: str = DEFAULT_BASE, *, query_path: str = "/query",
                 update_path: str = "/update", store_path: str = "/store") -> None:
        self.endpoint = endpoint.rstrip("/")
        self.query_url = self.endpoint + query_path
        self.update_url = self.endpoint + update_path
        self.store_url = self.endpoint + store_path
        self.iris = Iris(base)

    # -- HTTP -------------------------------------------------------------------------------
    def _request(self, method: str, url: str, body: bytes | None = None,
                 headers: dict[str, str] | None = None) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with urllib.request.urlopen(request, timeout=TIMEOUT) as response:
                return response.read()
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            if exc.code == 400:
                raise QueryError(f"the SPARQL server refused the query: {detail}") from exc
            if exc.code == 404 and method == "DELETE":
                return b""  # the graph was not there: nothing to delete
            raise GraphUnavailable(f"SPARQL server {self.endpoint}: HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise GraphUnavailable(f"cannot reach the SPARQL server at {self.endpoint}: {exc}") from exc

    def _query(self, query: str, accept: str) -> bytes:
        return self._request("POST", self.query_url, query.encode("utf-8"),
                             {"Content-Type": "application/sparql-query", "Accept": accept})

    # -- writing ----------------------------------------------------------------------------
    def apply(self, add: list[Document], remove: Iterable[str] = ()) -> None:
        """Replace the named graphs of ``remove`` and of every document in ``add``."""
        adding = {d.doc_id for d in add}
        for doc_id in set(remove) - adding:
            self._request("DELETE", self._graph_url(doc_id))
        for doc in add:
            graph = Graph()
            for triple in document_triples(doc, self.iris):
                graph.add(triple)
            body = graph.serialize(format="nt").encode("utf-8")
            self._request("PUT", self._graph_url(doc.doc_id), body, {"Content-Type": "application/n-triples"})

    def _graph_url(self, doc_id: str) -> str:
        return f"{self.store_url}?{urllib.parse.urlencode({'graph': str(self.iris.graph(doc_id))})}"

    # -- reading ----------------------------------------------------------------------------
    def doc_ids(self) -> set[str]:
        prefix = str(self.iris.graph(""))
        rows = self.select("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
        return {row["g"][len(prefix):] for row in rows if row["g"].startswith(prefix)}

    def duplicate_ids(self) -> set[str]:
        """The documents the graph records as a duplicate of another (hfkg:duplicateOf)."""
        prefix = str(self.iris.document(""))
        rows = self.select("SELECT DISTINCT ?d WHERE { ?d hfkg:duplicateOf ?o }")
        return {row["d"][len(prefix):] for row in rows if row["d"].startswith(prefix)}

    def select(self, query: str) -> list[dict[str, Any]]:
        data = json.loads(self._query(sparql_prefixes() + query, "application/sparql-results+json"))
        names = data["head"]["vars"]
        return [{name: _plain(binding.get(name)) for name in names} for binding in data["results"]["bindings"]]

    def raw_query(self, query: str) -> Result:
        """A query as the SPARQL endpoint of our API passes it on, parsed into an rdflib Result."""
        text = query.lstrip().upper()
        is_graph = any(text.startswith(k) or f" {k} " in text[:200] for k in ("CONSTRUCT", "DESCRIBE"))
        if is_graph:
            graph = Graph().parse(data=self._query(query, "application/n-triples"), format="nt")
            result = Result("CONSTRUCT")
            result.graph = graph
            return result
        payload = self._query(query, "application/sparql-results+json")
        return Result.parse(source=_Bytes(payload), format="json")

    def export(self, fmt: str) -> str:
        dump = self._request("GET", self.store_url, headers={"Accept": "application/n-quads"})
        dataset = Dataset()
        dataset.parse(data=dump, format="nquads")
        if fmt in ("trig", "nquads"):
            return dataset.serialize(format=fmt)
        formats = {"turtle": "turtle", "nt": "nt", "jsonld": "json-ld"}
        if fmt not in formats:
            raise QueryError(f"unknown export format {fmt!r}; use turtle, nt, jsonld, trig or nquads")
        union = Graph()
        bind_prefixes(union, self.iris.base)
        for quad in dataset.quads((None, None, None, None)):
            union.add(quad[:3])
        return union.serialize(format=formats[fmt])

    def close(self) -> None:
        """Nothing to release: every call is its own HTTP request."""

    def __enter__(self) -> RemoteGraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class _Bytes:
    def __init__(self, data: bytes) -> None:
        self.data = data

    def read(self, *args: Any) -> str:
        return self.data.decode("utf-8")


def _plain(term: dict[str, str] | None) -> Any:
    if term is None:
        return None
    if term.get("type") in ("literal", "typed-literal") and term.get("datatype") in _INTEGER:
        return int(term["value"])
    return term["value"]


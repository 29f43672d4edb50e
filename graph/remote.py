"""The graph on a SPARQL 1.1 server instead of the embedded store (a larger deployment).

The same interface as the embedded :class:`graph.store.GraphStore` (:class:`graph.base.GraphStoreLike`).
Writes replace each document's named graph through the SPARQL 1.1 Graph Store Protocol (one HTTP PUT
or DELETE per document graph, atomic on the server); reads are SPARQL queries over HTTP. Queries assume
the union of the named graphs as the default graph (Oxigraph server: ``--union-default-graph``; Fuseki:
``tdb:unionDefaultGraph``).
Only the standard library talks HTTP: nothing to install.

The SPARQL endpoint's queries go to the server as they are (:class:`RemoteSparql`), read with a
deadline: at the time limit the connection is dropped. Its export streams from the server (other
processes may write there, so there is no generation to cache by).
"""

from __future__ import annotations

import http.client
import io
import json
import logging
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import pyoxigraph as ox
from rdflib import Graph

from graph.base import INTEGER_TYPES, GraphUnavailable, write_export
from graph.build import Iris, document_triples
from graph.sparql import (
    NTRIPLES,
    RESULTS_JSON,
    SparqlResult,
    looks_like_update,
    query_prefixes,
    serialise_result,
)
from graph.sparql_endpoint import Limits, SparqlRunner, timed_out, update_refused
from graph.vocab import DEFAULT_BASE, sparql_prefixes
from ingest.errors import QueryError
from ingest.model import Document

log = logging.getLogger(__name__)
TIMEOUT = 60


class RemoteGraphStore:
    """The graph on a SPARQL 1.1 server: every call is its own HTTP request."""

    def __init__(
        self,
        endpoint: str,
        base: str = DEFAULT_BASE,
        *,
        query_path: str = "/query",
        update_path: str = "/update",
        store_path: str = "/store",
    ) -> None:
        self.endpoint = endpoint.rstrip("/")
        self.query_url = self.endpoint + query_path
        self.update_url = self.endpoint + update_path
        self.store_url = self.endpoint + store_path
        self.iris = Iris(base)

    # -- HTTP -------------------------------------------------------------------------------
    def _request(
        self, method: str, url: str, body: bytes | None = None, headers: dict[str, str] | None = None
    ) -> bytes:
        request = urllib.request.Request(url, data=body, method=method, headers=headers or {})
        try:
            with self._open(request, timeout=TIMEOUT) as response:
                return response.read()
        except _NotThere:
            return b""  # the graph was not there: nothing to delete

    @contextmanager
    def _open(self, request: urllib.request.Request, timeout: float) -> Iterator[http.client.HTTPResponse]:
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                yield response
        except urllib.error.HTTPError as exc:
            detail = exc.read().decode("utf-8", "replace")[:500]
            if exc.code == 400:
                raise QueryError(f"the SPARQL server refused the query: {detail}") from exc
            if exc.code == 404 and request.get_method() == "DELETE":
                raise _NotThere from exc
            raise GraphUnavailable(f"SPARQL server {self.endpoint}: HTTP {exc.code}: {detail}") from exc
        except (urllib.error.URLError, OSError) as exc:
            raise GraphUnavailable(f"cannot reach the SPARQL server at {self.endpoint}: {exc}") from exc

    def _query(self, query: str, accept: str) -> bytes:
        return self._request(
            "POST",
            self.query_url,
            query.encode("utf-8"),
            {"Content-Type": "application/sparql-query", "Accept": accept},
        )

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
        return {row["g"][len(prefix) :] for row in rows if row["g"].startswith(prefix)}

    def duplicate_ids(self) -> set[str]:
        """The documents the graph records as a duplicate of another (hfkg:duplicateOf)."""
        prefix = str(self.iris.document(""))
        rows = self.select("SELECT DISTINCT ?d WHERE { ?d hfkg:duplicateOf ?o }")
        return {row["d"][len(prefix) :] for row in rows if row["d"].startswith(prefix)}

    def select(self, query: str) -> list[dict[str, Any]]:
        data = json.loads(self._query(sparql_prefixes() + query, "application/sparql-results+json"))
        names = data["head"]["vars"]
        return [
            {name: _plain(binding.get(name)) for name in names} for binding in data["results"]["bindings"]
        ]

    @contextmanager
    def sparql(
        self, query: str, deadline: float
    ) -> Iterator[ox.QuerySolutions | ox.QueryBoolean | Iterator[ox.Triple]]:
        """A query of the SPARQL endpoint of our API, read from the server as it streams in: a
        pyoxigraph QueryBoolean, QuerySolutions or triples. Reading past ``deadline`` (monotonic)
        raises TimeoutError and drops the connection."""
        declared = "".join(f"PREFIX {p}: <{iri}>\n" for p, iri in query_prefixes(self.iris.base).items())
        body = (declared + query).encode("utf-8")
        request = urllib.request.Request(
            self.query_url,
            data=body,
            method="POST",
            headers={
                "Content-Type": "application/sparql-query",
                "Accept": f"{RESULTS_JSON}, {NTRIPLES};q=0.9",
            },
        )
        try:
            with self._open(request, timeout=max(0.01, deadline - time.monotonic())) as response:
                stream = io.BufferedReader(_Deadline(response, deadline))
                if response.headers.get_content_type() == NTRIPLES:
                    yield (quad.triple for quad in ox.parse(stream, ox.RdfFormat.N_TRIPLES))
                else:
                    yield ox.parse_query_results(stream, ox.QueryResultsFormat.JSON)
        except GraphUnavailable:
            if time.monotonic() >= deadline:
                raise TimeoutError("the SPARQL server took longer than the time limit") from None
            raise

    def write_export(self, fmt: str, output: IO[bytes]) -> None:
        """The graph, streamed from the server's Graph Store endpoint to ``output``."""
        request = urllib.request.Request(self.store_url, headers={"Accept": "application/n-quads"})
        with self._open(request, timeout=TIMEOUT) as response:
            write_export(ox.parse(response, ox.RdfFormat.N_QUADS), fmt, output, self.iris.base)

    def document_graph(self, doc_id: str) -> str:
        """One document's named graph as N-Triples."""
        return self._request("GET", self._graph_url(doc_id), headers={"Accept": NTRIPLES}).decode("utf-8")

    def export(self, fmt: str) -> str:
        buffer = io.BytesIO()
        self.write_export(fmt, buffer)
        return buffer.getvalue().decode("utf-8")

    def sparql_runner(self, data_dir: Path, limits: Limits) -> SparqlRunner:
        """The server runs the SPARQL endpoint's queries itself: nothing is kept in ``data_dir``."""
        return RemoteSparql(self, limits)

    def close(self) -> None:
        """Nothing to release: every call is its own HTTP request."""

    def __enter__(self) -> RemoteGraphStore:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RemoteSparql(SparqlRunner):
    """The SPARQL endpoint's queries, run by the server and read back with a deadline."""

    def __init__(self, graph: RemoteGraphStore, limits: Limits) -> None:
        super().__init__(limits, graph.iris.base)
        self.graph = graph

    def _execute(self, query: str, accept: str) -> SparqlResult:
        deadline = time.monotonic() + self.limits.timeout_s
        try:
            with self.graph.sparql(query, deadline) as result:
                return serialise_result(result, accept, self.limits.row_limit, self.prefixes)
        except TimeoutError:
            raise timed_out(self.limits) from None
        except QueryError as exc:
            if looks_like_update(query):
                raise update_refused() from exc
            raise

    def publish(self) -> None:
        """Nothing to do: queries read the server's store, where the write went."""

    def close(self) -> None:
        """Nothing to release: every query is its own HTTP request."""

    def export(self, fmt: str) -> IO[bytes]:
        out = tempfile.TemporaryFile()  # noqa: SIM115 - handed to the response, which closes it
        try:
            self.graph.write_export(fmt, out)
        except BaseException:
            out.close()
            raise
        out.seek(0)
        return out


class _NotThere(Exception):
    pass


class _Deadline(io.RawIOBase):
    """A response body that stops being readable at its deadline; each read waits at most the
    socket timeout, the time that was left when the request was sent."""

    def __init__(self, response: http.client.HTTPResponse, deadline: float) -> None:
        self.response = response
        self.deadline = deadline

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        if time.monotonic() > self.deadline:
            raise TimeoutError("the SPARQL server took too long")
        return self.response.readinto(buffer)


def _plain(term: dict[str, str] | None) -> Any:
    if term is None:
        return None
    if term.get("type") in ("literal", "typed-literal") and term.get("datatype") in INTEGER_TYPES:
        return int(term["value"])
    return term["value"]

"""networkx views of the graph: neighbourhoods and shortest paths between entities."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import networkx as nx

from graph.evidence import values
from graph.queries import GraphQueries
from graph.vocab import HFKG
from ingest.errors import NotFound
from kinds import registry

# One relation graph per GraphQueries (one per store snapshot), gone with it.
_RELATION_GRAPHS: WeakKeyDictionary[GraphQueries, nx.MultiDiGraph] = WeakKeyDictionary()


def relation_graph(queries: GraphQueries) -> nx.MultiDiGraph:
    """Entities as nodes, relations as edges; built once per GraphQueries."""
    graph = _RELATION_GRAPHS.get(queries)
    if graph is None:
        graph = nx.MultiDiGraph()
        for s, p, o in queries.relation_edges():
            graph.add_edge(s, o, predicate=p)
        _RELATION_GRAPHS[queries] = graph
    return graph


# The relations between entities: every predicate of the registry of kinds.
RELATIONS = tuple(registry().predicates)


def _edges_around(queries: GraphQueries, nodes: list[str]) -> set[tuple[str, str, str]]:
    """Relation edges that touch ``nodes``, read around them (not from the whole graph)."""
    edges: set[tuple[str, str, str]] = set()
    predicates = values("p", [str(HFKG[name]) for name in RELATIONS])
    for start in range(0, len(nodes), 200):
        chunk = values("n", nodes[start : start + 200])
        for row in queries.store.select(f"""
            SELECT DISTINCT ?s ?p ?o WHERE {{ {chunk} {predicates}
              {{ ?n ?p ?o . BIND(?n AS ?s) }} UNION {{ ?s ?p ?n . BIND(?n AS ?o) }} }}"""):
            edges.add((row["s"], row["p"].rsplit("#", 1)[-1], row["o"]))
    return edges


def _edges_between(queries: GraphQueries, nodes: list[str]) -> set[tuple[str, str, str]]:
    # Outgoing edges only (few per node), kept where the other end is shown too; binding both ends
    # with VALUES made Oxigraph try every pair.
    keep = set(nodes)
    predicates = values("p", [str(HFKG[name]) for name in RELATIONS])
    rows = queries.store.select(f"""
        SELECT DISTINCT ?s ?p ?o WHERE {{ {values("s", nodes)} {predicates} ?s ?p ?o }}""")
    return {(row["s"], row["p"].rsplit("#", 1)[-1], row["o"]) for row in rows if row["o"] in keep}


def neighbors(queries: GraphQueries, entity_id: str, *, depth: int = 1, limit: int = 60) -> dict[str, Any]:
    """The entity and what its relations reach within ``depth`` steps, the best-connected first."""
    iri = queries.iri(entity_id)
    if iri not in queries.labels():
        raise NotFound(f"no entity with id {entity_id!r}")
    reach = {iri: 0}
    frontier = [iri]
    edges: set[tuple[str, str, str]] = set()
    for step in range(1, max(1, depth) + 1):
        found = _edges_around(queries, frontier)
        edges |= found
        frontier = []
        for s, _, o in found:
            for node in (s, o):
                if node not in reach:
                    reach[node] = step
                    frontier.append(node)
        if not frontier:
            break
    degree: dict[str, int] = {}
    for s, _, o in edges:
        degree[s] = degree.get(s, 0) + 1
        degree[o] = degree.get(o, 0) + 1
    ranked = sorted(reach, key=lambda n: (reach[n], -degree.get(n, 0), n))[:limit]
    keep = set(ranked)
    # Edges among the neighbours too, so the picture shows how they hang together: both ends bound.
    edges |= _edges_between(queries, ranked)
    shown = sorted({(s, p, o) for s, p, o in edges if s in keep and o in keep})
    return {
        "center": _node(queries, iri),
        "nodes": [_node(queries, n) for n in ranked],
        "edges": [{"source": queries.eid(s), "target": queries.eid(o), "predicate": p} for s, p, o in shown],
    }


def shortest_path(queries: GraphQueries, source_id: str, target_id: str) -> dict[str, Any]:
    graph = relation_graph(queries)
    source, target = queries.iri(source_id), queries.iri(target_id)
    for iri, eid in ((source, source_id), (target, target_id)):
        if iri not in graph:
            raise NotFound(f"no relations for entity {eid!r}")
    undirected: nx.Graph[str] = nx.Graph(graph.to_undirected())
    try:
        path = nx.shortest_path(undirected, source, target)
    except nx.NetworkXNoPath as exc:
        raise NotFound(f"no path between {source_id!r} and {target_id!r}") from exc
    steps = []
    for a, b in zip(path, path[1:]):
        data = graph.get_edge_data(a, b) or graph.get_edge_data(b, a) or {}
        predicate = next(iter(data.values()))["predicate"] if data else "related"
        forward = graph.has_edge(a, b)
        steps.append(
            {"from": queries.eid(a), "to": queries.eid(b), "predicate": predicate, "forward": forward}
        )
    return {"nodes": [_node(queries, n) for n in path], "steps": steps, "length": len(path) - 1}


def _node(queries: GraphQueries, iri: str) -> dict[str, Any]:
    return {"id": queries.eid(iri), "label": queries.label(iri), "type": queries.types().get(iri, "entity")}

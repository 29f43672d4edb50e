"""networkx views of the graph: neighbourhoods and shortest paths between entities."""

from __future__ import annotations

from typing import Any
from weakref import WeakKeyDictionary

import networkx as nx

from graph.queries import GraphQueries
from ingest.errors import NotFound

# Per GraphQueries (one per store snapshot), gone with it: the relation graph and its adjacency.
_RELATION_GRAPHS: WeakKeyDictionary[GraphQueries, nx.MultiDiGraph] = WeakKeyDictionary()
_ADJACENCY: WeakKeyDictionary[GraphQueries, Adjacency] = WeakKeyDictionary()


def relation_graph(queries: GraphQueries) -> nx.MultiDiGraph:
    """Entities as nodes, relations as edges; built once per GraphQueries."""
    graph = _RELATION_GRAPHS.get(queries)
    if graph is None:
        graph = nx.MultiDiGraph()
        for s, p, o in queries.relation_edges():
            graph.add_edge(s, o, predicate=p)
        _RELATION_GRAPHS[queries] = graph
    return graph


class Adjacency:
    """Each entity's relation edges, out and in, from :meth:`GraphQueries.relation_edges` (read once
    per snapshot): a neighbourhood is a walk over these, not a query per step. Entities and their
    relations are few beside the passages (3,208 edges for 1,498 documents), and reading a
    neighbourhood from the store cost tens of milliseconds a step."""

    def __init__(self, edges: list[tuple[str, str, str]]) -> None:
        self.out: dict[str, list[tuple[str, str, str]]] = {}
        self.into: dict[str, list[tuple[str, str, str]]] = {}
        for edge in edges:
            self.out.setdefault(edge[0], []).append(edge)
            self.into.setdefault(edge[2], []).append(edge)

    def around(self, nodes: list[str]) -> set[tuple[str, str, str]]:
        """The edges that touch ``nodes``."""
        found: set[tuple[str, str, str]] = set()
        for node in nodes:
            found.update(self.out.get(node, ()))
            found.update(self.into.get(node, ()))
        return found

    def between(self, nodes: list[str]) -> set[tuple[str, str, str]]:
        """The edges with both ends among ``nodes``."""
        keep = set(nodes)
        return {edge for node in nodes for edge in self.out.get(node, ()) if edge[2] in keep}


def adjacency(queries: GraphQueries) -> Adjacency:
    """The relation edges of ``queries``' snapshot by entity; built once per GraphQueries."""
    found = _ADJACENCY.get(queries)
    if found is None:
        found = _ADJACENCY[queries] = Adjacency(queries.relation_edges())
    return found


def neighbors(queries: GraphQueries, entity_id: str, *, depth: int = 1, limit: int = 60) -> dict[str, Any]:
    """The entity and what its relations reach within ``depth`` steps, the best-connected first."""
    iri = queries.iri(entity_id)
    if iri not in queries.labels():
        raise NotFound(f"no entity with id {entity_id!r}")
    reach = {iri: 0}
    frontier = [iri]
    edges: set[tuple[str, str, str]] = set()
    relations = adjacency(queries)
    for step in range(1, max(1, depth) + 1):
        found = relations.around(frontier)
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
    # Edges among the neighbours too, so the picture shows how they hang together.
    edges |= relations.between(ranked)
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

"""networkx views of the graph: neighbourhoods and shortest paths between entities."""

from __future__ import annotations

from typing import Any

import networkx as nx

from graph.queries import GraphQueries
from ingest.errors import NotFound


def relation_graph(queries: GraphQueries) -> nx.MultiDiGraph:
    """Entities as nodes, relations as edges; built once per GraphQueries (one per store snapshot)."""
    cached = getattr(queries, "_relation_graph", None)
    if cached is not None:
        return cached
    graph = nx.MultiDiGraph()
    for s, p, o in queries.relation_edges():
        graph.add_edge(s, o, predicate=p)
    queries._relation_graph = graph  # type: ignore[attr-defined]
    return graph


def neighbors(queries: GraphQueries, entity_id: str, *, depth: int = 1, limit: int = 60) -> dict[str, Any]:
    iri = queries.iri(entity_id)
    graph = relation_graph(queries)
    if iri not in graph:
        if iri not in queries.labels():
            raise NotFound(f"no entity with id {entity_id!r}")
        return {"center": _node(queries, iri), "nodes": [_node(queries, iri)], "edges": []}
    undirected = graph.to_undirected(as_view=True)
    reach = nx.single_source_shortest_path_length(undirected, iri, cutoff=depth)
    ranked = sorted(reach, key=lambda n: (reach[n], -undirected.degree(n)))[:limit]
    keep = set(ranked)
    edges = [
        {"source": queries.eid(s), "target": queries.eid(o), "predicate": data["predicate"]}
        for s, o, data in graph.edges(data=True) if s in keep and o in keep
    ]
    return {"center": _node(queries, iri), "nodes": [_node(queries, n) for n in ranked], "edges": edges}


def shortest_path(queries: GraphQueries, source_id: str, target_id: str) -> dict[str, Any]:
    graph = relation_graph(queries)
    source, target = queries.iri(source_id), queries.iri(target_id)
    for iri, eid in ((source, source_id), (target, target_id)):
        if iri not in graph:
            raise NotFound(f"no relations for entity {eid!r}")
    undirected = nx.Graph(graph.to_undirected())
    try:
        path = nx.shortest_path(undirected, source, target)
    except nx.NetworkXNoPath as exc:
        raise NotFound(f"no path between {source_id!r} and {target_id!r}") from exc
    steps = []
    for a, b in zip(path, path[1:]):
        data = graph.get_edge_data(a, b) or graph.get_edge_data(b, a) or {}
        predicate = next(iter(data.values()))["predicate"] if data else "related"
        forward = graph.has_edge(a, b)
        steps.append({"from": queries.eid(a), "to": queries.eid(b), "predicate": predicate, "forward": forward})
    return {"nodes": [_node(queries, n) for n in path], "steps": steps, "length": len(path) - 1}


def _node(queries: GraphQueries, iri: str) -> dict[str, Any]:
    return {"id": queries.eid(iri), "label": queries.label(iri), "type": queries.types().get(iri, "entity")}

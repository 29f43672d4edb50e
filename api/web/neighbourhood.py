"""The layout of an entity's neighbourhood picture, as data for the pictures in
api/web/templates/macros/pictures.html.

No layout library: the neighbourhood is radial (the entity in the middle, its neighbours on a ring
ordered by type so colours cluster, second-degree neighbours on an outer ring next to the first
neighbour that reaches them).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from api.web.labels import predicate_label, type_label
from kinds import registry

WIDTH, HEIGHT = 880, 560
MAX_NODES = 36
# The rings and the legend of the drawing, in the registry's order for it.
TYPE_ORDER = list(registry().order("neighbourhood"))


def _label(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def neighbourhood(data: dict[str, Any]) -> dict[str, Any]:
    center = data["center"]
    adjacent, predicates = _adjacency(data["edges"])
    first, second = _rings(center["id"], data["nodes"], adjacent)
    pos = _positions(center["id"], first, second, adjacent)
    shown = {center["id"]} | {n["id"] for n in first + second}
    nodes = [_node(center, *pos[center["id"]], is_center=True)]
    nodes += [_node(node, *pos[node["id"]], is_center=False) for node in first + second]
    ys = [y for _, y in pos.values()]
    top, bottom = max(0.0, min(ys) - 30), min(float(HEIGHT), max(ys) + 45)
    return {
        "top": f"{top:.0f}",
        "width": WIDTH,
        "height": f"{bottom - top:.0f}",
        "title": f"Nabolaget til {center['label']}",
        "desc": f"{len(first)} direkte naboer" + (f" og {len(second)} i neste ledd" if second else ""),
        "lines": _lines(predicates, pos, shown, center["id"]),
        "nodes": nodes,
        "legend": legend(data),
        "neighbours": neighbours(data),
    }


def _adjacency(
    edges: list[dict[str, Any]],
) -> tuple[dict[str, set[str]], dict[frozenset[str], str]]:
    """Who is next to whom, and one predicate per pair (the first edge's) to name its line."""
    adjacent: dict[str, set[str]] = defaultdict(set)
    predicates: dict[frozenset[str], str] = {}
    for edge in edges:
        adjacent[edge["source"]].add(edge["target"])
        adjacent[edge["target"]].add(edge["source"])
        predicates.setdefault(frozenset((edge["source"], edge["target"])), edge["predicate"])
    return adjacent, predicates


def _rings(
    center: str, nodes: list[dict[str, Any]], adjacent: dict[str, set[str]]
) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """The direct neighbours (by type, then name) and the next ones, MAX_NODES in all."""
    others = [n for n in nodes if n["id"] != center]
    first = [n for n in others if n["id"] in adjacent[center]]
    second = [n for n in others if n["id"] not in adjacent[center]]
    order = {t: i for i, t in enumerate(TYPE_ORDER)}
    first.sort(key=lambda n: (order.get(n["type"] or "", 99), n["label"].lower()))
    first = first[:MAX_NODES]
    return first, second[: max(0, MAX_NODES - len(first))]


def _positions(
    center: str, first: list[dict[str, Any]], second: list[dict[str, Any]], adjacent: dict[str, set[str]]
) -> dict[str, tuple[float, float]]:
    """The centre in the middle, the first ring on an ellipse, the outer ring on a wider one."""
    cx, cy = WIDTH / 2, HEIGHT / 2
    ring1 = min(185.0, 90 + 9 * len(first)) if not second else 140.0
    ring2 = 245.0
    pos: dict[str, tuple[float, float]] = {center: (cx, cy)}
    angles: dict[str, float] = {}
    for i, node in enumerate(first):
        angle = -math.pi / 2 + 2 * math.pi * i / max(1, len(first))
        angles[node["id"]] = angle
        pos[node["id"]] = (cx + ring1 * math.cos(angle) * 1.45, cy + ring1 * math.sin(angle))
    # Outer ring: next to the first-ring neighbour that reaches each node, spread evenly around.
    second.sort(key=lambda n: min((angles[a] for a in adjacent[n["id"]] if a in angles), default=0.0))
    for i, node in enumerate(second):
        angle = -math.pi / 2 + 2 * math.pi * (i + 0.5) / max(1, len(second))
        pos[node["id"]] = (cx + ring2 * math.cos(angle) * 1.25, cy + ring2 * math.sin(angle) * 0.92)
    return pos


def _lines(
    predicates: dict[frozenset[str], str], pos: dict[str, tuple[float, float]], shown: set[str], center: str
) -> list[dict[str, Any]]:
    """One line per related pair that is drawn; the centre's own lines are the strong ones."""
    lines = []
    for pair, predicate in predicates.items():
        if len(pair) != 2 or not pair <= shown:
            continue
        a, b = sorted(pair)
        (x1, y1), (x2, y2) = pos[a], pos[b]
        lines.append(
            {
                "x1": f"{x1:.1f}",
                "y1": f"{y1:.1f}",
                "x2": f"{x2:.1f}",
                "y2": f"{y2:.1f}",
                "strong": center in pair,
                "predicate": predicate,
            }
        )
    return lines


def _node(node: dict[str, Any], x: float, y: float, *, is_center: bool) -> dict[str, Any]:
    radius = 15 if is_center else 9
    right = x >= WIDTH / 2
    if is_center:
        tx, ty, anchor = x, y + radius + 18, "middle"
    else:
        tx, ty, anchor = (x + radius + 6, y + 4, "start") if right else (x - radius - 6, y + 4, "end")
    return {
        "id": node["id"],
        "kind": node.get("type") or "entity",
        "center": is_center,
        "label": node["label"],
        "kind_label": type_label(node.get("type")),
        "r": radius,
        "x": f"{x:.1f}",
        "y": f"{y:.1f}",
        "tx": f"{tx:.1f}",
        "ty": f"{ty:.1f}",
        "anchor": anchor,
        "text": node["label"] if is_center else _label(node["label"]),
    }


def legend(data: dict[str, Any]) -> list[str]:
    return sorted(
        {n.get("type") or "entity" for n in data["nodes"]},
        key=lambda t: TYPE_ORDER.index(t) if t in TYPE_ORDER else 99,
    )


def neighbours(data: dict[str, Any]) -> list[dict[str, Any]]:
    """The centre's direct neighbours as a list: relation, neighbour, its type."""
    center = data["center"]["id"]
    rows = []
    for edge in data["edges"]:
        if center not in (edge["source"], edge["target"]):
            continue
        direction = "out" if edge["source"] == center else "in"
        other_id = edge["target"] if direction == "out" else edge["source"]
        other = next((n for n in data["nodes"] if n["id"] == other_id), {"id": other_id, "label": other_id})
        rows.append(
            (predicate_label(edge["predicate"], direction), other["id"], other["label"], other.get("type"))
        )
    return [
        {"predicate": p, "id": i, "label": label, "type": t}
        for p, i, label, t in sorted(set(rows), key=lambda r: (r[0], r[2].lower(), r[1]))
    ]

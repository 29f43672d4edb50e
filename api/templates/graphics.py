"""Pictures drawn on the server as inline SVG/HTML: an entity's neighbourhood and its timeline.

No layout library: the neighbourhood is radial (the entity in the middle, its neighbours on a ring
ordered by type so colours cluster, second-degree neighbours on an outer ring next to the first
neighbour that reaches them).
"""

from __future__ import annotations

import math
from collections import defaultdict
from typing import Any

from api.templates import document_url, e, entity_url, fmt_date, predicate_label, short, type_label
from kinds import registry

WIDTH, HEIGHT = 880, 560
MAX_NODES = 36
BAR_STEPS = 8  # a timeline bar's height classes .h0 … .h8 in static/style.css
# The rings and the legend of the drawing, in the registry's order for it.
TYPE_ORDER = list(registry().order("neighbourhood"))


def _label(text: str, limit: int = 20) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


def neighborhood_svg(data: dict[str, Any]) -> str:
    center = data["center"]
    others = [n for n in data["nodes"] if n["id"] != center["id"]]
    adjacent: dict[str, set[str]] = defaultdict(set)
    predicates: dict[frozenset[str], str] = {}
    for edge in data["edges"]:
        adjacent[edge["source"]].add(edge["target"])
        adjacent[edge["target"]].add(edge["source"])
        predicates.setdefault(frozenset((edge["source"], edge["target"])), edge["predicate"])
    first = [n for n in others if n["id"] in adjacent[center["id"]]]
    second = [n for n in others if n["id"] not in adjacent[center["id"]]]
    order = {t: i for i, t in enumerate(TYPE_ORDER)}
    first.sort(key=lambda n: (order.get(n["type"] or "", 99), n["label"].lower()))
    first = first[:MAX_NODES]
    second = second[: max(0, MAX_NODES - len(first))]

    cx, cy = WIDTH / 2, HEIGHT / 2
    ring1 = min(185.0, 90 + 9 * len(first)) if not second else 140.0
    ring2 = 245.0
    pos: dict[str, tuple[float, float]] = {center["id"]: (cx, cy)}
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

    shown = {center["id"]} | {n["id"] for n in first + second}
    lines = []
    for pair, predicate in predicates.items():
        if len(pair) != 2 or not pair <= shown:
            continue
        a, b = sorted(pair)
        (x1, y1), (x2, y2) = pos[a], pos[b]
        strong = center["id"] in pair
        lines.append(f'<line x1="{x1:.1f}" y1="{y1:.1f}" x2="{x2:.1f}" y2="{y2:.1f}" '
                     f'class="edge{" edge-center" if strong else ""}"><title>{e(predicate)}</title></line>')
    nodes = [_node(center, *pos[center["id"]], is_center=True)]
    for node in first + second:
        nodes.append(_node(node, *pos[node["id"]], is_center=False))
    ys = [y for _, y in pos.values()]
    top, bottom = max(0.0, min(ys) - 30), min(float(HEIGHT), max(ys) + 45)
    title = f"Nabolaget til {center['label']}"
    desc = f"{len(first)} direkte naboer" + (f" og {len(second)} i neste ledd" if second else "")
    return (
        f'<svg class="graph" viewBox="0 {top:.0f} {WIDTH} {bottom - top:.0f}" role="img" aria-labelledby="graf-tittel graf-besk" '
        f'xmlns="http://www.w3.org/2000/svg">'
        f'<title id="graf-tittel">{e(title)}</title><desc id="graf-besk">{e(desc)}</desc>'
        f'<g class="edges">{"".join(lines)}</g><g class="nodes">{"".join(nodes)}</g></svg>'
    )


def _node(node: dict[str, Any], x: float, y: float, *, is_center: bool) -> str:
    radius = 15 if is_center else 9
    kind = e(node.get("type") or "entity")
    right = x >= WIDTH / 2
    if is_center:
        tx, ty, anchor = x, y + radius + 18, "middle"
    else:
        tx, ty, anchor = (x + radius + 6, y + 4, "start") if right else (x - radius - 6, y + 4, "end")
    label = node["label"] if is_center else _label(node["label"])
    return (
        f'<a href="{e(entity_url(node["id"]))}" class="node node-{kind}{" node-center" if is_center else ""}">'
        f'<title>{e(node["label"])} ({e(type_label(node.get("type")))})</title>'
        f'<circle cx="{x:.1f}" cy="{y:.1f}" r="{radius}"/>'
        f'<text x="{tx:.1f}" y="{ty:.1f}" text-anchor="{anchor}">{e(label)}</text></a>'
    )


def graph_legend(data: dict[str, Any]) -> str:
    types = sorted({n.get("type") or "entity" for n in data["nodes"]},
                   key=lambda t: TYPE_ORDER.index(t) if t in TYPE_ORDER else 99)
    items = "".join(f'<li><span class="swatch node-{e(t)}" aria-hidden="true"></span>{e(type_label(t))}</li>'
                    for t in types)
    return f'<ul class="legend" aria-label="Fargeforklaring">{items}</ul>'


def neighbor_list(data: dict[str, Any]) -> str:
    center = data["center"]["id"]
    rows = []
    for edge in data["edges"]:
        if center not in (edge["source"], edge["target"]):
            continue
        direction = "out" if edge["source"] == center else "in"
        other_id = edge["target"] if direction == "out" else edge["source"]
        other = next((n for n in data["nodes"] if n["id"] == other_id), {"id": other_id, "label": other_id})
        rows.append((predicate_label(edge["predicate"], direction), other))
    rows = sorted(set((p, o["id"], o["label"], o.get("type")) for p, o in rows), key=lambda r: (r[0], r[2].lower()))
    items = "".join(f'<li>{e(p)} <a href="{e(entity_url(i))}">{e(label)}</a> '
                    f'<span class="muted">({e(type_label(t))})</span></li>' for p, i, label, t in rows)
    return f"<ul class=\"plain-list\">{items}</ul>"


def timeline_html(entries: list[dict[str, Any]]) -> str:
    """A year strip (counts per year, linking down) above a vertical timeline of documents."""
    if not entries:
        return '<p class="muted">Ingen dokumenter nevner denne enheten.</p>'
    by_year: dict[str, list[dict[str, Any]]] = defaultdict(list)
    for entry in entries:
        by_year[str(entry["year"]) if entry.get("year") else "Uten år"].append(entry)
    years = [y for y in by_year if y != "Uten år"]
    span = list(range(int(min(years)), int(max(years)) + 1)) if years else []
    peak = max(len(v) for v in by_year.values())
    strip = []
    for year in [str(y) for y in span] + (["Uten år"] if "Uten år" in by_year else []):
        count = len(by_year.get(year, []))
        # A height class, not an inline style: the page's Content-Security-Policy allows none.
        bar = f'<span class="bar h{round(BAR_STEPS * count / peak)}"></span>' if count else '<span class="bar"></span>'
        label = f'{count} dokument{"er" if count != 1 else ""} i {year}'
        if count:
            strip.append(f'<li><a href="#aar-{e(year)}" aria-label="{e(label)}">{bar}'
                         f'<span class="year">{e(year)}</span><span class="count">{count}</span></a></li>')
        else:
            strip.append(f'<li class="empty" aria-hidden="true">{bar}<span class="year">{e(year)}</span></li>')
    groups = []
    for year, items in by_year.items():
        docs = []
        for entry in items:
            passages = "".join(
                f'<li><a href="{e(document_url(entry["doc_id"], p["passage_id"]))}">s. {e(p["page"])}</a> '
                f'<span>{e(short(p["text"], 220))}</span></li>' for p in entry.get("passages", [])[:2])
            when = fmt_date(entry.get("date")) or ", ".join(str(y) for y in entry.get("years", []))
            docs.append(
                f'<li class="tl-doc"><a class="tl-title" href="{e(document_url(entry["doc_id"]))}">{e(entry["title"])}</a>'
                f'<div class="meta">{e((entry.get("doc_type") or "").capitalize())}'
                f'{" · " + e(when) if when else ""}</div><ul class="tl-passages">{passages}</ul></li>')
        groups.append(f'<li class="tl-year" id="aar-{e(year)}"><h3>{e(year)}</h3><ul>{"".join(docs)}</ul></li>')
    return (f'<ol class="year-strip" aria-label="Dokumenter per år">{"".join(strip)}</ol>'
            f'<ol class="timeline">{"".join(groups)}</ol>')

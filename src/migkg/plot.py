"""Pictures of the graph as hand-written SVG: the partnership network and an organization's timeline.

The data comes from the lookups (the same stored queries as the CLI); the drawing
is plain string building so that the same graph gives the same bytes: inputs are
sorted, the layout has a fixed seed, and coordinates are rounded.
Every text and link is escaped: labels come from scraped web pages.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from html import escape

from . import lookups

Link = Callable[[str], "str | None"]

# Colour-blind friendly (Okabe–Ito); kinds get colours in sorted order, so a colour means the same kind on every picture
# of the same graph.
PALETTE = ["#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00", "#F0E442", "#999999"]
OTHER_KIND = "other organization"
FONT = "font-family='Helvetica, Arial, sans-serif'"


def _a(text: str) -> str:
    return escape(text, quote=True)


def _r(x: float) -> str:
    # One decimal is finer than a pixel and keeps float noise out of the bytes.
    v = round(x, 1)
    return str(int(v)) if v == int(v) else f"{v:.1f}"


def _short(label: str, limit: int = 22) -> str:
    return label if len(label) <= limit else label[:limit - 1] + "…"


def _wrap(href: str | None, body: str, title: str) -> str:
    inner = f"<title>{escape(title)}</title>{body}"
    if href is None:
        return f"<g>{inner}</g>"
    return f"<a href='{_a(href)}'>{inner}</a>"


def network_data(where, org: str | None = None) -> dict:
    """Nodes (organizations party to an agreement) and edges (pairs of parties), optionally around ORG."""
    agreements = lookups.agreements(where)
    kinds = {r["org"]: r.get("kindLabel") or OTHER_KIND for r in lookups.orgs(where)}
    nodes: dict[str, dict] = {}
    edges: dict[tuple[str, str], int] = {}
    for a in agreements:
        parties = sorted({p["iri"]: p for p in a["parties"]}.values(), key=lambda p: p["iri"])
        for p in parties:
            n = nodes.setdefault(p["iri"], {"iri": p["iri"], "label": p["label"], "short": p["acronym"] or _short(p["label"]),
                                            "kind": kinds.get(p["iri"], OTHER_KIND), "agreements": 0})
            n["agreements"] += 1
        for i, p in enumerate(parties):
            for q in parties[i + 1:]:
                edges[(p["iri"], q["iri"])] = edges.get((p["iri"], q["iri"]), 0) + 1
    if org:
        focus = lookups.resolve_entity(org, where)
        keep = {focus} | {b for a, b in edges if a == focus} | {a for a, b in edges if b == focus}
        nodes = {k: v for k, v in nodes.items() if k in keep}
        edges = {k: v for k, v in edges.items() if k[0] in keep and k[1] in keep}
    return {"nodes": [nodes[k] for k in sorted(nodes)],
            "edges": [{"a": a, "b": b, "agreements": n} for (a, b), n in sorted(edges.items())]}


def _layout(nodes: list[dict], edges: list[dict]) -> dict[str, tuple[float, float]]:
    """Positions in [0, 1]², the same for the same graph."""
    if len(nodes) == 1:
        return {nodes[0]["iri"]: (0.5, 0.5)}
    if len(nodes) == 2:
        return {nodes[0]["iri"]: (0.2, 0.5), nodes[1]["iri"]: (0.8, 0.5)}
    import networkx as nx

    g = nx.Graph()
    g.add_nodes_from(n["iri"] for n in nodes)
    g.add_weighted_edges_from((e["a"], e["b"], e["agreements"]) for e in edges)
    pos = nx.spring_layout(g, seed=7, iterations=200)
    xs = [p[0] for p in pos.values()]
    ys = [p[1] for p in pos.values()]
    span_x, span_y = (max(xs) - min(xs)) or 1.0, (max(ys) - min(ys)) or 1.0
    return {k: (round((float(x) - min(xs)) / span_x, 4), round((float(y) - min(ys)) / span_y, 4)) for k, (x, y) in pos.items()}


def colours(kinds) -> dict[str, str]:
    return {k: PALETTE[i % len(PALETTE)] for i, k in enumerate(sorted(set(kinds)))}


def network_svg(data: dict, link: Link | None = None, width: int = 900, height: int = 640) -> str:
    nodes, edges = data["nodes"], data["edges"]
    link = link or (lambda iri: None)
    legend_w = 230
    pad = 70
    pos = {k: (pad + x * (width - legend_w - 2 * pad), pad + y * (height - 2 * pad))
           for k, (x, y) in _layout(nodes, edges).items()} if nodes else {}
    palette = colours(n["kind"] for n in nodes)
    out = _canvas(width, height, 'partnership network')
    if not nodes:
        out.append(f"<text x='20' y='40' {FONT} font-size='14'>No agreements with two or more parties.</text></svg>")
        return "\n".join(out) + "\n"
    out.append("<g class='edges'>")
    for e in edges:
        (x1, y1), (x2, y2) = pos[e["a"]], pos[e["b"]]
        out.append(f"<line x1='{_r(x1)}' y1='{_r(y1)}' x2='{_r(x2)}' y2='{_r(y2)}' stroke='#888888' "
                   f"stroke-opacity='0.7' stroke-width='{_r(1 + 1.5 * math.log2(e['agreements']) + 0.5)}'/>")
    out.append("</g>")
    out.append("<g class='nodes'>")
    for n in nodes:
        x, y = pos[n["iri"]]
        r = 8 + 7 * math.sqrt(n["agreements"])
        body = (f"<circle cx='{_r(x)}' cy='{_r(y)}' r='{_r(r)}' fill='{palette[n['kind']]}' stroke='#333333' stroke-width='1'/>"
                f"<text x='{_r(x)}' y='{_r(y + r + 14)}' text-anchor='middle' {FONT} font-size='13' fill='#111111'>"
                f"{escape(n['short'])}</text>")
        plural = "s" if n["agreements"] != 1 else ""
        out.append(_wrap(link(n["iri"]), body, f"{n['label']} ({n['kind']}): {n['agreements']} agreement{plural}"))
    out.append("</g>")
    lx = width - legend_w + 10
    out.append(f"<g class='legend' {FONT} font-size='12'>")
    out.append(f"<text x='{lx}' y='30' font-size='13' font-weight='bold'>Kind of organization</text>")
    for i, (kind, colour) in enumerate(sorted(palette.items())):
        y = 52 + 22 * i
        out.append(f"<circle cx='{lx + 8}' cy='{y - 4}' r='7' fill='{colour}' stroke='#333333'/>"
                   f"<text x='{lx + 22}' y='{y}'>{escape(kind)}</text>")
    y = 52 + 22 * len(palette) + 14
    out.append(f"<text x='{lx}' y='{y}' fill='#444444'>Circle size: number of agreements</text>")
    out.append(f"<text x='{lx}' y='{y + 18}' fill='#444444'>Line: agreements in common</text>")
    out.append("</g></svg>")
    return "\n".join(out) + "\n"


def network(where, org: str | None = None, link: Link | None = None) -> str:
    return network_svg(network_data(where, org), link)


def timeline_data(org: str, where) -> dict:
    iri = lookups.resolve_entity(org, where)
    marks = []
    for a in lookups.agreements(where, org=org):
        partners = [p["acronym"] or _short(p["label"]) for p in a["parties"] if p["iri"] != iri]
        marks.append({"iri": a["iri"], "signed_on": a["signed_on"], "type": a["type"], "status": a["status"],
                      "partners": sorted(partners)})
    marks.sort(key=lambda m: (m["signed_on"] or "", m["iri"]))
    return {"org": iri, "marks": marks}


def _year(date: str) -> float:
    """A signing date (YYYY, YYYY-MM or YYYY-MM-DD) as a fractional year; an imprecise one sits mid-period."""
    parts = [int(p) for p in date.split("-")]
    year = parts[0]
    if len(parts) == 1:
        return year + 0.5
    month = parts[1]
    day = parts[2] if len(parts) > 2 else 15
    return year + (month - 1 + (day - 1) / 31) / 12


def _canvas(width: int, height: int, label: str) -> list[str]:
    return [f"<svg xmlns='http://www.w3.org/2000/svg' width='{width}' height='{height}' viewBox='0 0 {width} {height}' "
            f"role='img' aria-label='{label}'>", f"<rect width='{width}' height='{height}' fill='#ffffff'/>"]


def timeline_svg(data: dict, link: Link | None = None, width: int = 900) -> str:
    marks = data["marks"]
    link = link or (lambda iri: None)
    row, top, left, right = 26, 50, 110, 40
    height = top + row * max(len(marks), 1) + 40
    out = _canvas(width, height, 'timeline of agreements')
    if not marks:
        out.append(f"<text x='20' y='30' {FONT} font-size='14'>No agreements.</text></svg>")
        return "\n".join(out) + "\n"
    years = [_year(m["signed_on"]) for m in marks if m["signed_on"]]
    lo, hi = (math.floor(min(years)), math.floor(max(years)) + 1) if years else (0, 1)
    undated_x = 60
    plot_w = width - left - right

    def x_of(date: str | None) -> float:
        return undated_x if not date else left + (_year(date) - lo) / (hi - lo) * plot_w

    axis_y = height - 30
    out.append(f"<g class='axis' {FONT} font-size='11' fill='#444444'>")
    out.append(f"<line x1='{left}' y1='{axis_y}' x2='{width - right}' y2='{axis_y}' stroke='#444444'/>")
    step = max(1, math.ceil((hi - lo) / 12))
    for y in range(lo, hi + 1, step):
        x = left + (y - lo) / (hi - lo) * plot_w
        out.append(f"<line x1='{_r(x)}' y1='{top - 10}' x2='{_r(x)}' y2='{axis_y}' stroke='#dddddd'/>"
                   f"<text x='{_r(x)}' y='{axis_y + 16}' text-anchor='middle'>{y}</text>")
    if any(not m["signed_on"] for m in marks):
        out.append(f"<text x='{undated_x}' y='{axis_y + 16}' text-anchor='middle'>undated</text>")
    out.append("</g>")
    palette = {"signed": "#0072B2", "announced": "#E69F00"}
    out.append(f"<g class='marks' {FONT} font-size='12'>")
    for i, m in enumerate(marks):
        x, y = x_of(m["signed_on"]), top + i * row
        label = f"{', '.join(m['partners']) or '—'}: {m['type']}"
        # Labels go right of the mark, or left of it in the right half, so that they stay in the picture.
        anchor, dx = ("end", -10) if x > left + plot_w / 2 else ("start", 10)
        body = (f"<circle cx='{_r(x)}' cy='{_r(y)}' r='6' fill='{palette.get(m['status'], '#999999')}' stroke='#333333'/>"
                f"<text x='{_r(x + dx)}' y='{_r(y + 4)}' text-anchor='{anchor}'>{escape(label)}</text>")
        out.append(_wrap(link(m["iri"]), body, f"{m['signed_on'] or 'undated'}: {label} [{m['status']}]"))
    out.append("</g>")
    out.append(f"<g {FONT} font-size='12'>"
               + "".join(f"<circle cx='{20 + 110 * i}' cy='16' r='6' fill='{c}' stroke='#333333'/>"
                         f"<text x='{30 + 110 * i}' y='20'>{s}</text>" for i, (s, c) in enumerate(sorted(palette.items())))
               + "</g></svg>")
    return "\n".join(out) + "\n"


def timeline(org: str, where, link: Link | None = None) -> str:
    return timeline_svg(timeline_data(org, where), link)

"""The graph as a standalone SVG, laid out here (layout.py): it opens in any browser.

With Graphviz's ``dot`` on PATH, ``adcli graph --format svg`` uses it instead (unless
``--layout builtin``); this module is the fallback and the one the tests parse.
"""

from __future__ import annotations

from xml.sax.saxutils import escape

from adcli.see.formats.dot import lines_of
from adcli.see.formats.layout import LINE_H, PAD_X, PAD_Y, layout
from adcli.see.model import Graph

FILL = {"leaf": "#d8f0d8", "root": "#fff3c4", "op": "#e8eefc"}


def render(graph: Graph) -> str:
    grads = any(n.grad is not None for n in graph.nodes)
    lay = layout(graph, lambda n: lines_of(n, grads))
    title_h = 24.0 if graph.title else 0.0
    w, h = lay.width, lay.height + title_h
    out = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{w:.0f}" height="{h:.0f}" '
           f'viewBox="0 0 {w:.0f} {h:.0f}" font-family="DejaVu Sans Mono, Menlo, Consolas, '
           'monospace" font-size="12">',
           '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" '
           'markerWidth="7" markerHeight="7" orient="auto-start-reverse">'
           '<path d="M 0 0 L 10 5 L 0 10 z" fill="#555"/></marker></defs>',
           f'<rect width="{w:.0f}" height="{h:.0f}" fill="white"/>']
    if graph.title:
        out.append(f'<text class="title" x="{w / 2:.1f}" y="18" text-anchor="middle" '
                   f'font-weight="bold">{escape(graph.title)}</text>')
    out.append(f'<g transform="translate(0 {title_h:.0f})">')
    for a, b, points in lay.edges:
        d = "M " + " L ".join(f"{x:.1f} {y:.1f}" for x, y in points)
        out.append(f'<path class="edge" data-from="{a}" data-to="{b}" d="{d}" fill="none" '
                   'stroke="#555" stroke-width="1.2" marker-end="url(#arrow)"/>')
    for n in graph.nodes:
        box = lay.boxes[n.id]
        kind = "root" if n.id == graph.root else n.kind
        out.append(f'<g class="node" data-id="{n.id}" data-grad-fn="{escape(n.grad_fn)}">')
        out.append(f'<rect x="{box.x:.1f}" y="{box.y:.1f}" width="{box.w:.1f}" '
                   f'height="{box.h:.1f}" rx="6" fill="{FILL[kind]}" stroke="#445"/>')
        for i, line in enumerate(box.lines):
            y = box.y + PAD_Y + (i + 0.75) * LINE_H
            weight = ' font-weight="bold"' if i == 0 else ""
            color = "#8a5a00" if line.startswith("grad ") else "#222"
            out.append(f'<text x="{box.x + PAD_X:.1f}" y="{y:.1f}" fill="{color}"{weight}>'
                       f"{escape(line)}</text>")
        out.append("</g>")
    out.append("</g></svg>")
    return "\n".join(out) + "\n"

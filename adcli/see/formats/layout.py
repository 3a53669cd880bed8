"""A layered layout of the graph, in pure Python (no Graphviz needed).

Layers by the longest path from the output (inputs sit just above the ops that use them),
dummy points where an edge spans several layers, a few barycentre sweeps to untangle the
order within each layer, then boxes sized from their text and packed left to right. The
layout is what the svg and png formats draw.
"""

from __future__ import annotations

from dataclasses import dataclass, field

CHAR_W = 7.4  # a 12 px monospace character's advance, rounded up
LINE_H = 16.0
PAD_X, PAD_Y = 10.0, 8.0
GAP_X, GAP_Y = 24.0, 46.0
MARGIN = 20.0


@dataclass
class Box:
    id: int
    x: float  # left
    y: float  # top
    w: float
    h: float
    lines: list


@dataclass
class Layout:
    boxes: dict = field(default_factory=dict)  # node id -> Box
    edges: list = field(default_factory=list)  # [(from id, to id, [(x, y), ...])]
    width: float = 0.0
    height: float = 0.0


def layout(graph, lines_of) -> Layout:
    """Place every node of ``graph``; ``lines_of(node)`` gives its label lines."""
    nodes = graph.nodes
    if not nodes:
        return Layout(width=2 * MARGIN, height=2 * MARGIN)
    consumers: dict = {n.id: [] for n in nodes}
    inputs: dict = {n.id: [] for n in nodes}
    for a, b, _ in graph.edges:
        consumers[a].append(b)
        inputs[b].append(a)
    rank = _ranks(nodes, consumers, inputs, graph.root)
    top = max(rank.values())
    # layers from the top (the inputs) down to the output; dummy points on long edges
    layers: list[list] = [[] for _ in range(top + 1)]
    for n in nodes:
        layers[top - rank[n.id]].append(("n", n.id))
    chains = []  # per edge: the list of layer items it passes through
    for a, b, _slot in graph.edges:
        la, lb = top - rank[a], top - rank[b]
        chain = []
        for layer in range(la + 1, lb):
            item = ("d", len(chains), layer)
            layers[layer].append(item)
            chain.append(item)
        chains.append((a, b, chain))
    _order(layers, chains)
    sizes = {}
    for n in nodes:
        lines = lines_of(n)
        w = max(len(s) for s in lines) * CHAR_W + 2 * PAD_X
        sizes[n.id] = (w, len(lines) * LINE_H + 2 * PAD_Y, lines)
    out = Layout()
    y = MARGIN
    pos: dict = {}
    widths = []
    for layer in layers:
        x = 0.0
        height = max((sizes[i[1]][1] for i in layer if i[0] == "n"), default=LINE_H)
        for item in layer:
            w = sizes[item[1]][0] if item[0] == "n" else 8.0
            pos[item] = (x, y, w, height)
            x += w + GAP_X
        widths.append(x - GAP_X)
        y += height + GAP_Y
    full = max(widths)
    for layer, wl in zip(layers, widths):
        shift = MARGIN + (full - wl) / 2
        for item in layer:
            x, y0, w, h = pos[item]
            pos[item] = (x + shift, y0, w, h)
            if item[0] == "n":
                bw, bh, lines = sizes[item[1]]
                out.boxes[item[1]] = Box(item[1], x + shift, y0 + (h - bh) / 2, bw, bh, lines)
    # edges leave an input's bottom and reach an op's top spread out, so that a tensor
    # used twice by one op shows two arrows
    ins: dict = {}
    outs: dict = {}
    for k, (a, b, _chain) in enumerate(chains):
        ins.setdefault(b, []).append(k)
        outs.setdefault(a, []).append(k)
    end_x, start_x = {}, {}
    for b, ks in ins.items():
        box = out.boxes[b]
        for j, k in enumerate(ks):
            end_x[k] = box.x + box.w * (j + 1) / (len(ks) + 1)
    for a, ks in outs.items():
        box = out.boxes[a]
        ks = sorted(ks, key=lambda k: end_x[k])
        for j, k in enumerate(ks):
            start_x[k] = box.x + box.w * (j + 1) / (len(ks) + 1)
    for k, (a, b, chain) in enumerate(chains):
        ba, bb = out.boxes[a], out.boxes[b]
        points = [(start_x[k], ba.y + ba.h)]
        for item in chain:
            x, y0, w, h = pos[item]
            points += [(x + w / 2, y0), (x + w / 2, y0 + h)]
        points.append((end_x[k], bb.y))
        out.edges.append((a, b, points))
    out.width = full + 2 * MARGIN
    out.height = y - GAP_Y + MARGIN
    return out


def _ranks(nodes, consumers, inputs, root) -> dict:
    """The longest path from the output to each node (the output is 0)."""
    waiting = {n.id: len(consumers[n.id]) for n in nodes}
    rank = {n.id: 0 for n in nodes}
    ready = [n.id for n in nodes if waiting[n.id] == 0]
    while ready:
        i = ready.pop()
        for a in inputs[i]:
            rank[a] = max(rank[a], rank[i] + 1)
            waiting[a] -= 1
            if waiting[a] == 0:
                ready.append(a)
    return rank


def _order(layers, chains, sweeps: int = 6) -> None:
    """Reorder each layer by the mean position of its neighbours, down then up."""
    up: dict = {}
    down: dict = {}

    def link(p, q):
        down.setdefault(p, []).append(q)
        up.setdefault(q, []).append(p)

    for a, b, chain in chains:
        items = [("n", a), *chain, ("n", b)]
        for p, q in zip(items, items[1:]):
            link(p, q)
    for sweep in range(sweeps):
        rng = range(1, len(layers)) if sweep % 2 == 0 else range(len(layers) - 2, -1, -1)
        for li in rng:
            ref = layers[li - 1] if sweep % 2 == 0 else layers[li + 1]
            where = {item: k for k, item in enumerate(ref)}
            near = up if sweep % 2 == 0 else down

            def key(item, k, near=near, where=where):
                ks = [where[p] for p in near.get(item, ()) if p in where]
                return (sum(ks) / len(ks) if ks else k, k)

            layers[li] = [item for _, item in sorted(
                ((key(item, k), item) for k, item in enumerate(layers[li])),
                key=lambda t: t[0])]

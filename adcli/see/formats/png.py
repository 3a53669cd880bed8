"""The graph as a PNG: Graphviz's ``dot`` when it is on PATH, else matplotlib drawing the
built-in layout. With neither, a clear error saying what to install."""

from __future__ import annotations

import shutil
import subprocess

from adcli.errors import AdcliError
from adcli.see.formats import dot as dot_format
from adcli.see.formats.layout import LINE_H, PAD_X, PAD_Y, layout
from adcli.see.model import Graph


class MissingTool(AdcliError):
    kind = "MissingTool"


def graphviz() -> str | None:
    return shutil.which("dot")


def render(graph: Graph, use_graphviz: bool = True) -> bytes:
    if use_graphviz and graphviz():
        return run_dot(dot_format.render(graph), "png")
    try:
        import matplotlib
    except ImportError:
        raise MissingTool(
            "--format png needs Graphviz (the `dot` program) or matplotlib, and neither is "
            "installed: install one (`pip install 'adcli[see]'` brings matplotlib), or use "
            "--format svg, which needs neither") from None
    matplotlib.use("Agg", force=True)
    return _draw(graph)


def run_dot(source: str, fmt: str) -> bytes:
    proc = subprocess.run([graphviz(), f"-T{fmt}"], input=source.encode(), capture_output=True,
                          timeout=60, check=False)
    if proc.returncode != 0:
        raise MissingTool(f"Graphviz's dot failed: {proc.stderr.decode(errors='replace')[:300]}")
    return proc.stdout


def _draw(graph: Graph) -> bytes:
    import io

    from matplotlib.figure import Figure
    from matplotlib.patches import FancyArrowPatch, FancyBboxPatch

    grads = any(n.grad is not None for n in graph.nodes)
    lay = layout(graph, lambda n: dot_format.lines_of(n, grads))
    dpi = 100
    fig = Figure(figsize=(max(lay.width, 50) / dpi, max(lay.height, 50) / dpi), dpi=dpi)
    ax = fig.add_axes((0, 0, 1, 1))
    ax.set_xlim(0, lay.width)
    ax.set_ylim(lay.height, 0)
    ax.axis("off")
    for _a, _b, points in lay.edges:
        for p, q in zip(points, points[1:]):
            last = q == points[-1]
            ax.add_patch(FancyArrowPatch(p, q, arrowstyle="-|>" if last else "-",
                                         mutation_scale=10, color="#555", lw=1.1))
    for n in graph.nodes:
        box = lay.boxes[n.id]
        fill = "#fff3c4" if n.id == graph.root else ("#d8f0d8" if n.kind == "leaf"
                                                     else "#e8eefc")
        ax.add_patch(FancyBboxPatch((box.x, box.y), box.w, box.h,
                                    boxstyle="round,pad=0,rounding_size=6", fc=fill,
                                    ec="#445", lw=1))
        for i, line in enumerate(box.lines):
            ax.text(box.x + PAD_X, box.y + PAD_Y + (i + 0.75) * LINE_H, line,
                    family="monospace", fontsize=8.5, va="baseline",
                    weight="bold" if i == 0 else "normal",
                    color="#8a5a00" if line.startswith("grad ") else "#222")
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    return buf.getvalue()

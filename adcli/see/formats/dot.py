"""The graph as Graphviz source (``dot -Tsvg``), inputs above the ops that use them."""

from __future__ import annotations

from adcli.see.model import Graph, shape_text, short, title_of


def _q(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def lines_of(n, grads: bool) -> list[str]:
    """A node's label lines, shared with the svg and png formats."""
    where = f"  · line {n.line}" if n.line else ""
    lines = [title_of(n), n.grad_fn + where,
             shape_text(n)]
    if n.value is not None:
        lines.append("= " + short(n.value, 32))
    if grads and (n.grad is not None or n.kind == "leaf" and n.requires_grad):
        lines.append("grad " + (short(n.grad, 30) if n.grad is not None else "None"))
    if n.retains_grad:
        lines.append("(retains grad)")
    if n.folded:
        lines.append(f"… {n.folded} input(s) not shown")
    return lines


def render(graph: Graph) -> str:
    grads = any(n.grad is not None for n in graph.nodes)
    out = ["digraph autograd {", '  rankdir=TB;',
           '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=11];']
    if graph.title:
        out.append(f"  label={_q(graph.title)}; labelloc=t;")
    for n in graph.nodes:
        fill = "#d8f0d8" if n.kind == "leaf" else ("#fff3c4" if n.id == graph.root
                                                   else "#e8eefc")
        out.append(f"  n{n.id} [label={_q(chr(10).join(lines_of(n, grads)))}, "
                   f'fillcolor="{fill}"];')
    for a, b, _k in graph.edges:
        out.append(f"  n{a} -> n{b};")
    out.append("}")
    return "\n".join(out) + "\n"

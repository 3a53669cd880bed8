"""The graph as a rich tree, root first: nothing is dropped at any width.

Each node is one label that wraps at the console's width. A node used by several ops is
drawn in full once, then referred to by its number (``↑ #3``).
"""

from __future__ import annotations

from rich.text import Text
from rich.tree import Tree

from adcli.see.model import GNode, Graph, shape_text, short, title_of


def _label(n: GNode, grads: bool, expr_mode: bool) -> Text:
    t = Text()
    t.append(f"#{n.id} ", style="dim")
    t.append(title_of(n), style="bold cyan" if n.kind == "leaf" else "bold")
    t.append("  ")
    t.append(n.grad_fn, style="magenta" if n.kind == "op" else "green")
    t.append(f"  {shape_text(n)}", style="dim")
    if n.line and not expr_mode:
        t.append(f"  line {n.line}", style="dim")
    if n.retains_grad:
        t.append("  retains grad", style="yellow")
    second = []
    if n.value is not None:
        second.append(("= " + short(n.value), ""))
    if grads:
        if n.grad is not None:
            second.append(("grad " + short(n.grad), "yellow"))
        elif n.kind == "leaf" and n.requires_grad:
            second.append(("grad None", "dim yellow"))
    if n.folded:
        second.append((f"… {n.folded} input(s) past --depth", "dim"))
    if second:
        t.append("\n" + " " * (len(str(n.id)) + 2))
        for i, (text, style) in enumerate(second):
            t.append(("   " if i else "") + text, style=style)
    return t


def render(graph: Graph):
    """A rich renderable (Tree) of the graph."""
    expr_mode = graph.expr
    if graph.root is None:
        return Text("(no graph: the value does not require grad)")
    grads = any(n.grad is not None for n in graph.nodes)
    nodes = graph.nodes
    inputs: dict = {}
    for a, b, _k in sorted(graph.edges, key=lambda e: e[2]):
        inputs.setdefault(b, []).append(a)
    tree = Tree(_label(nodes[graph.root], grads, expr_mode), guide_style="dim")
    shown = {graph.root}
    stack = [(graph.root, tree)]
    while stack:
        nid, branch = stack.pop()
        todo = []
        for child in inputs.get(nid, []):
            if child in shown:
                ref = Text()
                ref.append(f"↑ #{child} ", style="dim")
                ref.append(title_of(nodes[child]), style="dim")
                branch.add(ref)
                continue
            shown.add(child)
            sub = branch.add(_label(nodes[child], grads, expr_mode))
            todo.append((child, sub))
        stack.extend(reversed(todo))
    return tree

"""Output for people: plain text (pipes, NO_COLOR) and rich renderables (terminals).

Plain text needs no rich import, so a piped one-liner stays fast.
"""

from __future__ import annotations


def _indent_block(prefix: str, text: str) -> list[str]:
    lines = text.splitlines() or [""]
    pad = " " * len(prefix)
    return [prefix + lines[0]] + [pad + line for line in lines[1:]]


def _plain_tree(node) -> list[str]:
    out = []
    stack = [(node, "", True, True)]
    while stack:
        (label, children), pre, is_last, is_top = stack.pop()
        if is_top:
            out.append(label)
            child_pre = ""
        else:
            out.append(pre + ("└─ " if is_last else "├─ ") + label)
            child_pre = pre + ("   " if is_last else "│  ")
        for i in reversed(range(len(children))):
            stack.append((children[i], child_pre, i == len(children) - 1, False))
    return out


def plain_eval(result, tree) -> str:
    """The eval result as plain text."""
    lines = [f"expr   {result.expr}"]
    lines += _indent_block("value  ", repr(result.value))
    if tree is not None:
        tree_lines = _plain_tree(tree)
        lines += _indent_block("graph  ", "\n".join(tree_lines))
    if result.grads:
        width = max(len(n) for n in result.grads)
        first = True
        for name, grad in result.grads.items():
            head = "grads  " if first else "       "
            first = False
            shown = repr(grad) if grad is not None else "None"
            lines += _indent_block(f"{head}{name.ljust(width)} = ", shown)
    return "\n".join(lines) + "\n"


def rich_eval(result, tree):
    """The eval result as a rich renderable: a panel with value, graph tree and grads."""
    from rich.console import Group
    from rich.panel import Panel
    from rich.table import Table
    from rich.text import Text
    from rich.tree import Tree

    table = Table.grid(padding=(0, 2))
    table.add_column(style="bold cyan", justify="right")
    table.add_column()
    table.add_row("value", Text(repr(result.value), style="bold"))
    if tree is not None:
        root = Tree(Text(tree[0], style="magenta"), guide_style="dim")
        stack = [(root, tree[1])]
        while stack:
            parent, children = stack.pop()
            for label, sub in children:
                style = "green" if label.startswith("AccumulateGrad") else "magenta"
                branch = parent.add(Text(label, style=style))
                stack.append((branch, sub))
        table.add_row("graph", root)
    for i, (name, grad) in enumerate(result.grads.items()):
        shown = Text(repr(grad)) if grad is not None else Text("None", style="dim")
        label = Text.assemble((name, "bold yellow"), (".grad", "yellow"))
        table.add_row("grads" if i == 0 else "", Group(label, shown))
    return Panel(table, title=Text(result.expr, style="bold"), title_align="left",
                 border_style="blue", expand=False)

"""Output for people: plain text (pipes, NO_COLOR) and rich renderables (terminals).

Plain text needs no rich import, so a piped one-liner stays fast.
"""

from __future__ import annotations


def _indent_block(prefix: str, text: str) -> list[str]:
    lines = text.splitlines() or [""]
    pad = " " * len(prefix)
    return [prefix + lines[0]] + [pad + line for line in lines[1:]]


_UNICODE_GUIDES = ("└─ ", "├─ ", "   ", "│  ")
_ASCII_GUIDES = ("`- ", "|- ", "   ", "|  ")


def can_encode(stream, text: str = "├─│└…") -> bool:
    """Whether ``stream``'s encoding holds ``text`` (else ASCII guides are drawn)."""
    encoding = getattr(stream, "encoding", None) or "utf-8"
    try:
        text.encode(encoding)
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def _plain_tree(node, ascii_only: bool = False) -> list[str]:
    last, middle, blank, bar = _ASCII_GUIDES if ascii_only else _UNICODE_GUIDES
    out = []
    stack = [(node, "", True, True)]
    while stack:
        (label, children), pre, is_last, is_top = stack.pop()
        if is_top:
            out.append(label)
            child_pre = ""
        else:
            if ascii_only and label.startswith("…"):
                label = "..." + label[1:]
            out.append(pre + (last if is_last else middle) + label)
            child_pre = pre + (blank if is_last else bar)
        for i in reversed(range(len(children))):
            stack.append((children[i], child_pre, i == len(children) - 1, False))
    return out


def plain_eval(result, tree, ascii_only: bool = False) -> str:
    """The eval result as plain text; with ``ascii_only`` the graph's guides are ASCII
    (for an output whose encoding cannot hold box-drawing characters)."""
    lines = [f"expr   {result.expr}"]
    lines += _indent_block("value  ", repr(result.value))
    if tree is not None:
        tree_lines = _plain_tree(tree, ascii_only)
        lines += _indent_block("graph  ", "\n".join(tree_lines))
    if result.grads:
        width = max(len(n) for n in result.grads)
        constants = set(getattr(result, "constants", ()))
        first = True
        for name, grad in result.grads.items():
            head = "grads  " if first else "       "
            first = False
            shown = repr(grad) if grad is not None else "None"
            if name in constants:
                shown += "  (constant: does not require grad)"
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
    constants = set(getattr(result, "constants", ()))
    for i, (name, grad) in enumerate(result.grads.items()):
        shown = Text(repr(grad)) if grad is not None else Text("None", style="dim")
        if name in constants:
            shown.append("  (constant: does not require grad)", style="dim")
        label = Text.assemble((name, "bold yellow"), (".grad", "yellow"))
        table.add_row("grads" if i == 0 else "", Group(label, shown))
    return Panel(table, title=Text(result.expr, style="bold"), title_align="left",
                 border_style="blue", expand=False)

"""An expression's syntax tree back to source text, with only the parentheses it needs.

``adcli graph`` and ``adcli explain`` name each op "in the user's own words": the text of
the expression that made it (``3 * (x + 2) ** 2``). The tree is at most the parser's depth
bound deep; past ``MAX_DEPTH`` levels or ``MAX_CHARS`` characters the text is cut with
``…`` (a label, not a program).
"""

from __future__ import annotations

from adcli.lang.ast import Node

MAX_DEPTH = 40
MAX_CHARS = 120

# Python's binding strength, weakest first (a higher number binds tighter)
_BINOP = {"|": 4, "^": 5, "&": 6, "<<": 7, ">>": 7, "+": 8, "-": 8, "*": 9, "@": 9, "/": 9,
          "//": 9, "%": 9, "**": 11}
_PREC = {"lambda": 0, "ternary": 1, "or": 2, "and": 3, "not": 3.5, "compare": 3.8,
         "unary": 10, "await": 12}
_ATOM = 13


def unparse(node: Node, limit: int = MAX_CHARS) -> str:
    """``node`` as source text, shortened to ``limit`` characters."""
    text = _text(node, 0)
    return text if len(text) <= limit else text[:limit - 1] + "…"


def _prec(node: Node) -> float:
    kind = node.kind
    if kind == "binop":
        return _BINOP.get(node.fields[1], 8)
    return _PREC.get(kind, _ATOM)


def _wrap(node: Node, depth: int, above: float, right: bool = False) -> str:
    """The operand text, in parentheses where its own operator binds less tightly."""
    text = _text(node, depth + 1)
    p = _prec(node)
    if p < above or (right and p == above and p != 11) or (not right and p == above == 11):
        return f"({text})"
    return text


def _text(node, depth: int) -> str:
    if not isinstance(node, Node):
        return "…"
    if depth > MAX_DEPTH:
        return "…"
    kind, f = node.kind, node.fields
    if kind == "const":
        v = f[0]
        return "..." if v is Ellipsis else repr(v)
    if kind == "name":
        return f[0]
    if kind == "binop":
        p = _BINOP.get(f[1], 8)
        return f"{_wrap(f[0], depth, p)} {f[1]} {_wrap(f[2], depth, p, right=True)}"
    if kind == "unary":
        return f"{f[0]}{_wrap(f[1], depth, _PREC['unary'])}"
    if kind == "not":
        return f"not {_wrap(f[0], depth, _PREC['not'])}"
    if kind in ("and", "or"):
        return f" {kind} ".join(_wrap(v, depth, _PREC[kind]) for v in f[0])
    if kind == "compare":
        parts = [_wrap(f[0], depth, _PREC["compare"], right=True)]
        for op, rhs in f[1]:
            parts += [op, _wrap(rhs, depth, _PREC["compare"], right=True)]
        return " ".join(parts)
    if kind == "ternary":
        return (f"{_wrap(f[0], depth, 2)} if {_wrap(f[1], depth, 2)} "
                f"else {_wrap(f[2], depth, 1)}")
    if kind == "call":
        args = [_text(a, depth + 1) for a in f[1]]
        args += [f"{k}={_text(v, depth + 1)}" if k else f"**{_text(v, depth + 1)}"
                 for k, v in f[2]]
        return f"{_wrap(f[0], depth, _ATOM)}({', '.join(args)})"
    if kind == "getattr":
        return f"{_wrap(f[0], depth, _ATOM)}.{f[1]}"
    if kind == "getitem":
        index = f[1]
        inner = (", ".join(_text(i, depth + 1) for i in index.fields[0]) or "()"
                 if index.kind == "tuple" else _text(index, depth + 1))
        return f"{_wrap(f[0], depth, _ATOM)}[{inner}]"
    if kind == "slice":
        lo, hi, step = (("" if x is None else _text(x, depth + 1)) for x in f)
        return f"{lo}:{hi}" + (f":{step}" if step else "")
    if kind == "tuple":
        items = [_text(i, depth + 1) for i in f[0]]
        return "(" + ", ".join(items) + ("," if len(items) == 1 else "") + ")"
    if kind == "list":
        return "[" + ", ".join(_text(i, depth + 1) for i in f[0]) + "]"
    if kind == "set":
        return "{" + ", ".join(_text(i, depth + 1) for i in f[0]) + "}"
    if kind == "dict":
        return "{" + ", ".join(f"{_text(k, depth + 1)}: {_text(v, depth + 1)}" if k is not None
                               else f"**{_text(v, depth + 1)}" for k, v in f[0]) + "}"
    if kind == "starred":
        return "*" + _text(f[0], depth + 1)
    if kind == "lambda":
        return f"lambda {', '.join(f[0])}: {_text(f[1], depth + 1)}"
    if kind == "namedexpr":
        return f"{f[0]} := {_text(f[1], depth + 1)}"
    if kind in ("listcomp", "setcomp", "genexp"):
        body = _text(f[0], depth + 1) + " " + _generators(f[1], depth)
        return {"listcomp": "[{}]", "setcomp": "{{{}}}", "genexp": "({})"}[kind].format(body)
    if kind == "dictcomp":
        return "{" + f"{_text(f[0], depth + 1)}: {_text(f[1], depth + 1)} " + \
            _generators(f[2], depth) + "}"
    if kind == "fstring":
        return "f'…'"
    return "…"


def _generators(gens, depth: int) -> str:
    parts = []
    for g in gens:
        target, it, ifs = g.fields
        parts.append(f"for {_text(target, depth + 1)} in {_text(it, depth + 1)}")
        parts += [f"if {_text(c, depth + 1)}" for c in ifs]
    return " ".join(parts)

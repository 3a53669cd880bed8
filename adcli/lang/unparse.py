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
        obj = _wrap(f[0], depth, _ATOM)
        if f[0].kind == "const" and isinstance(f[0].fields[0], int):
            obj = f"({obj})"  # `2.real` would read as a float
        return f"{obj}.{f[1]}"
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


# -- substitution and LaTeX ----------------------------------------------------------------
def substitute(node: Node, mapping: dict) -> Node:
    """``node`` with each ``name`` in ``mapping`` replaced by its tree (a formula written
    with ``self``/``other`` in the user's own expressions), numbers folded (``2 - 1``)."""
    return _fold(_substitute(node, mapping))


def _fold(node):
    """``2 - 1`` as ``1``, ``x ** 1`` as ``x``, ``1 * x`` as ``x``: the bottom-up tidying
    that a substituted formula needs."""
    if not isinstance(node, Node) or node.depth > MAX_DEPTH:
        return node
    if node.kind == "unary" and node.fields[0] == "-":
        inner = _fold(node.fields[1])
        v = inner.fields[0] if inner.kind == "const" else None
        if isinstance(v, (int, float)) and not isinstance(v, bool):
            return Node("const", node.pos, -v)
        return Node("unary", node.pos, "-", inner)
    if node.kind != "binop":
        return node
    left, op, right = _fold(node.fields[0]), node.fields[1], _fold(node.fields[2])
    lv = left.fields[0] if left.kind == "const" else None
    rv = right.fields[0] if right.kind == "const" else None
    numbers = (int, float)
    if isinstance(lv, numbers) and isinstance(rv, numbers) and not isinstance(lv, bool) \
            and not isinstance(rv, bool) and op in ("+", "-", "*"):
        value = lv + rv if op == "+" else lv - rv if op == "-" else lv * rv
        return Node("const", node.pos, value)
    if op == "**" and rv == 1 and not isinstance(rv, bool):
        return left
    if op == "*" and lv == 1 and not isinstance(lv, bool):
        return right
    if op == "*" and rv == 1 and not isinstance(rv, bool):
        return left
    return Node("binop", node.pos, left, op, right)


def _substitute(node: Node, mapping: dict) -> Node:
    if not isinstance(node, Node) or node.depth > MAX_DEPTH:
        return node
    if node.kind == "name" and node.fields[0] in mapping:
        return mapping[node.fields[0]]
    fields = []
    for f in node.fields:
        if isinstance(f, Node):
            fields.append(_substitute(f, mapping))
        elif isinstance(f, list):
            fields.append([_substitute(x, mapping) if isinstance(x, Node) else
                           (tuple(_substitute(y, mapping) if isinstance(y, Node) else y
                                  for y in x) if isinstance(x, tuple) else x) for x in f])
        else:
            fields.append(f)
    return Node(node.kind, node.pos, *fields)


_GREEK = {"alpha", "beta", "gamma", "delta", "epsilon", "lambda", "mu", "sigma", "theta",
          "tau", "eta", "omega", "phi", "psi", "rho"}
_FUNCS = {"exp": r"\exp", "log": r"\log", "sin": r"\sin", "cos": r"\cos", "tan": r"\tan",
          "tanh": r"\tanh", "sinh": r"\sinh", "cosh": r"\cosh", "sqrt": None}


def to_latex(node: Node, limit: int = 400) -> str:
    """An expression typeset: ``3 * (x + 2) ** 2`` is ``3 \\cdot (x + 2)^{2}``. Falls back
    to ``\\texttt{...}`` for what has no mathematical form here."""
    text = _tex(node, 0)
    return text if len(text) <= limit else r"\texttt{" + _tt(unparse(node)) + "}"


def _tt(s: str) -> str:
    out = []
    for ch in s:
        if ch in "\\":
            out.append(r"\textbackslash{}")
        elif ch in "{}_%$#&":
            out.append("\\" + ch)
        elif ch in "^~":
            out.append(rf"\{ch}{{}}")
        else:
            out.append(ch)
    return "".join(out)


def _tex_name(name: str) -> str:
    if name in _GREEK:
        return "\\" + name
    if name == "grad":
        return r"\bar{g}"
    if name == "result":
        return r"\mathrm{result}"
    if len(name) == 1:
        return name
    base, _, sub = name.partition("_")
    if sub and base and sub.isalnum():
        return f"{_tex_name(base)}_{{{_tt(sub)}}}"
    return r"\mathrm{" + _tt(name) + "}"


def _ptex(node, depth: int, above: float, right: bool = False) -> str:
    text = _tex(node, depth + 1)
    p = _prec(node)
    if p < above or (right and p == above and p != 11):
        return r"\left(" + text + r"\right)"
    return text


def _tex(node, depth: int) -> str:
    if not isinstance(node, Node) or depth > MAX_DEPTH:
        return r"\dots"
    kind, f = node.kind, node.fields
    if kind == "const":
        v = f[0]
        if isinstance(v, bool) or v is None:
            return r"\mathrm{" + str(v) + "}"
        if isinstance(v, (int, float)):
            return repr(v)
        return r"\texttt{" + _tt(repr(v)) + "}"
    if kind == "name":
        return _tex_name(f[0])
    if kind == "binop":
        op = f[1]
        if op == "/":
            return r"\frac{" + _tex(f[0], depth + 1) + "}{" + _tex(f[2], depth + 1) + "}"
        if op == "**":
            base = _tex(f[0], depth + 1)
            if _prec(f[0]) <= 11:
                base = r"\left(" + base + r"\right)"
            return "{" + base + "}^{" + _tex(f[2], depth + 1) + "}"
        p = _BINOP.get(op, 8)
        sym = {"*": r" \cdot ", "@": r" \, ", "+": " + ", "-": " - "}.get(op, f" {_tt(op)} ")
        return _ptex(f[0], depth, p) + sym + _ptex(f[2], depth, p, right=True)
    if kind == "unary":
        return ("-" if f[0] == "-" else _tt(f[0])) + _ptex(f[1], depth, _PREC["unary"])
    if kind == "getattr":
        if f[1] in ("T", "mT", "mH", "H"):
            return "{" + _ptex(f[0], depth, _ATOM) + r"}^{\top}"
        if f[1] == "shape":
            return r"\mathrm{shape}(" + _tex(f[0], depth + 1) + ")"
        return _ptex(f[0], depth, _ATOM) + r".\mathrm{" + _tt(f[1]) + "}"
    if kind == "call":
        func, args, kws = f
        if func.kind == "getattr":  # x.sum(dim) as sum(x, dim)
            name, args = func.fields[1], [func.fields[0], *args]
        elif func.kind == "name":
            name = func.fields[0]
        else:
            return r"\texttt{" + _tt(unparse(node)) + "}"
        parts = [_tex(a, depth + 1) for a in args]
        parts += [r"\mathrm{" + _tt(k) + "}=" + _tex(v, depth + 1) for k, v in kws if k]
        if name == "sqrt" and len(parts) == 1:
            return r"\sqrt{" + parts[0] + "}"
        if name == "abs" and len(parts) == 1:
            return r"\left|" + parts[0] + r"\right|"
        head = _FUNCS.get(name) or r"\operatorname{" + _tt(name) + "}"
        return head + r"\left(" + ", ".join(parts) + r"\right)"
    if kind == "getitem":
        return _ptex(f[0], depth, _ATOM) + r"\left[" + _tt(unparse(f[1])) + r"\right]"
    if kind in ("tuple", "list"):
        return r"\left(" + ", ".join(_tex(i, depth + 1) for i in f[0]) + r"\right)"
    return r"\texttt{" + _tt(unparse(node)) + "}"

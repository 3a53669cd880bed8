"""The syntax tree: one small ``Node`` type, and a builder per grammar rule name.

Builders run inside the LALR driver as each rule is reduced. They check what the grammar
alone cannot (targets of assignment, accepted imports, no ``__dunder__`` names) and
record each node's position and nesting depth.
"""

from __future__ import annotations

from adcli.errors import AdcliSyntaxError, TorchImportError

# The imports a script may write; each does nothing but make its names available.
ACCEPTED_IMPORTS = {
    ("import", "torch", None): None,
    ("import", "torch", "torch"): None,
    ("import", "torch.nn.functional", "F"): "F",
    ("import", "torch.autograd", None): None,
    ("import", "torch.nn", None): None,
    ("from", "torch.autograd", "Variable"): "Variable",
    ("from", "torch", "autograd"): "autograd",
    ("from", "torch.autograd", "grad"): "grad",
}


class Node:
    """A syntax-tree node: ``kind``, 1-based ``pos`` (line, col), its fields and depth."""

    __slots__ = ("kind", "pos", "fields", "depth")

    def __init__(self, kind: str, pos: tuple[int, int], *fields) -> None:
        self.kind = kind
        self.pos = pos
        self.fields = fields
        depth = 0
        for f in fields:
            if isinstance(f, Node):
                if f.depth > depth:
                    depth = f.depth
            elif isinstance(f, (list, tuple)):
                for x in f:
                    if isinstance(x, tuple):  # the (test, body) pairs of an `if`
                        x = max(x, key=lambda n: n.depth if isinstance(n, Node) else 0)
                    if isinstance(x, Node) and x.depth > depth:
                        depth = x.depth
        self.depth = depth + 1

    def __repr__(self) -> str:
        return f"{self.kind}{self.fields!r}"


def _name_of(tok) -> str:
    value = tok.value
    if value.startswith("__"):
        raise AdcliSyntaxError(
            f"`{value}`: names starting with '__' are not part of the language",
            pos=(tok.line, tok.col),
        )
    return value


def _block(c, pos):
    stmts = []
    for item in c:
        if isinstance(item, list):
            stmts.extend(item)
        elif item is not None:
            stmts.append(item)
    return Node("block", pos, stmts)


def _simple_stmt(c, pos):
    return [x for x in c if x is not None]


def _check_target(node: Node) -> None:
    kind = node.kind
    if kind in ("name", "getitem", "getattr"):
        return
    if kind == "tuple" or kind == "list":
        for item in node.fields[0]:
            _check_target(item)
        return
    what = {"call": "a function call", "number": "a number", "string": "a string"}.get(
        kind, "this expression"
    )
    raise AdcliSyntaxError(f"cannot assign to {what}", pos=node.pos)


def _assign(c, pos):
    *targets, value = c
    for t in targets:
        _check_target(t)
    return Node("assign", pos, targets, value)


def _augassign(c, pos):
    target, op, value = c
    if target.kind not in ("name", "getitem", "getattr"):
        raise AdcliSyntaxError(f"cannot use {op.value} on this expression", pos=target.pos)
    return Node("augassign", pos, target, op.value[:-1], value)


def _import(kind):
    def build(c, pos):
        module = c[0]
        alias = c[1].value if len(c) > 1 and c[1] is not None else None
        if kind == "from":
            alias = c[1].value
            if len(c) > 2 and c[2] is not None and c[2].value != alias:
                raise TorchImportError(
                    f"`from {module} import {alias} as {c[2].value}`: renaming is not supported",
                    pos=pos,
                )
        key = (kind, module, alias)
        if key not in ACCEPTED_IMPORTS:
            raise TorchImportError(
                f"adcli accepts only `import torch`, `import torch.nn.functional as F` and "
                f"`from torch.autograd import Variable`; `{module}` cannot be imported",
                pos=pos,
            )
        return Node("import", pos, ACCEPTED_IMPORTS[key])

    return build


def _if(c, pos):
    test, body, *rest = c
    branches = [(test, body)]
    orelse = None
    for item in rest:
        if item is None:
            continue
        if item.kind == "elif":
            branches.append(item.fields)
        else:
            orelse = item.fields[0]
    return Node("if", pos, branches, orelse)


def _target_list(c, pos):
    for t in c:
        _check_target(t)
    if len(c) == 1:
        return c[0]
    return Node("tuple", pos, list(c))


def _lambda(c, pos):
    params, body = c
    names = [] if params is None else params
    if len(set(names)) != len(names):
        raise AdcliSyntaxError("duplicate parameter name in lambda", pos=pos)
    return Node("lambda", pos, names, body)


def _comparison(c, pos):
    first = c[0]
    ops = [(" ".join(c[i].value.split()), c[i + 1]) for i in range(1, len(c), 2)]
    return Node("compare", pos, first, ops)


def _number(c, pos):
    text = c[0].value
    if any(ch in text for ch in ".eE"):
        return Node("const", pos, float(text))
    if len(text) > 4000:
        raise AdcliSyntaxError(
            f"integer literal of {len(text)} digits is too long (at most 4000)", pos=pos
        )
    if len(text) > 1 and text[0] == "0" and text.strip("0"):
        raise AdcliSyntaxError(
            "leading zeros in a decimal integer are not allowed (Python's rule)", pos=pos
        )
    return Node("const", pos, int(text))


_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"', "r": "\r", "0": "\0"}


def _string(c, pos):
    parts = []
    for tok in c:
        body = tok.value[1:-1]
        out = []
        i = 0
        while i < len(body):
            ch = body[i]
            if ch == "\\" and i + 1 < len(body):
                nxt = body[i + 1]
                out.append(_ESCAPES.get(nxt, "\\" + nxt))
                i += 2
            else:
                out.append(ch)
                i += 1
        parts.append("".join(out))
    return Node("const", pos, "".join(parts))


def _call(c, pos):
    func, args = c
    positional, keywords, seen = [], [], set()
    for a in args or ():
        if isinstance(a, Node) and a.kind == "kwarg":
            name = a.fields[0]
            if name in seen:
                raise AdcliSyntaxError(f"keyword argument repeated: {name}", pos=a.pos)
            seen.add(name)
            keywords.append(a.fields)
        else:
            if keywords:
                raise AdcliSyntaxError(
                    "positional argument follows keyword argument", pos=a.pos
                )
            positional.append(a)
    return Node("call", func.pos, func, positional, keywords)


def _getitem(c, pos):
    obj, subs = c
    index = subs[0] if len(subs) == 1 else Node("tuple", subs[0].pos, list(subs))
    return Node("getitem", pos, obj, index)


def _getattr(c, pos):
    obj, name = c
    if name.value.startswith("_"):
        raise AdcliSyntaxError(
            f"`.{name.value}`: attributes starting with '_' are not part of the language",
            pos=(name.line, name.col),
        )
    return Node("getattr", (name.line, name.col), obj, name.value)


BUILDERS = {
    "file_input": _block,
    "eval_input": lambda c, pos: c[0],
    "simple_stmt": _simple_stmt,
    "suite": _block,
    "expr_stmt": lambda c, pos: Node("expr", pos, c[0]),
    "assign": _assign,
    "augassign": _augassign,
    "pass_stmt": lambda c, pos: Node("pass", pos),
    "break_stmt": lambda c, pos: Node("break", pos),
    "continue_stmt": lambda c, pos: Node("continue", pos),
    "import_name": _import("import"),
    "import_from": _import("from"),
    "dotted_name": lambda c, pos: ".".join(t.value for t in c),
    "if_stmt": _if,
    "elif_clause": lambda c, pos: Node("elif", pos, c[0], c[1]),
    "else_clause": lambda c, pos: Node("else", pos, c[0]),
    "while_stmt": lambda c, pos: Node("while", pos, c[0], c[1]),
    "for_stmt": lambda c, pos: Node("for", pos, c[0], c[1], c[2]),
    "with_stmt": lambda c, pos: Node("with", pos, c[0], c[1]),
    "target_list": _target_list,
    "tuple": lambda c, pos: Node("tuple", pos, list(c)),
    "list": lambda c, pos: Node("list", pos, list(c)),
    "ternary": lambda c, pos: Node("ternary", pos, c[0], c[1], c[2]),
    "lambdef": _lambda,
    "lambda_params": lambda c, pos: [_name_of(t) for t in c],
    "or_test": lambda c, pos: Node("or", pos, list(c)),
    "and_test": lambda c, pos: Node("and", pos, list(c)),
    "not_test": lambda c, pos: Node("not", pos, c[0]),
    "comparison": _comparison,
    "binop": lambda c, pos: Node("binop", c[1] and (c[1].line, c[1].col), c[0], c[1].value, c[2]),
    "unary": lambda c, pos: Node("unary", pos, c[0].value, c[1]),
    "power": lambda c, pos: Node("binop", (c[1].line, c[1].col), c[0], "**", c[2]),
    "call": _call,
    "arguments": lambda c, pos: list(c),
    "kwarg": lambda c, pos: Node("kwarg", pos, _name_of(c[0]), c[1]),
    "getitem": _getitem,
    "subscripts": lambda c, pos: list(c),
    "slice": lambda c, pos: Node("slice", pos, c[0], c[1], c[2]),
    "getattr": _getattr,
    "name": lambda c, pos: Node("name", pos, _name_of(c[0])),
    "number": _number,
    "string": _string,
    "ellipsis": lambda c, pos: Node("const", pos, Ellipsis),
}

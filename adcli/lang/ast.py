"""The syntax tree: one small ``Node`` type, and a builder per grammar rule name.

Builders run inside the LALR driver as each rule is reduced. They check what the grammar
alone cannot (targets of assignment, accepted imports, no ``__dunder__`` names, the order
of parameters) and record each node's position and nesting depth.

Every node kind and its fields (``pos`` is the (line, col) of its first token, for
``binop`` and ``getattr`` that of the operator / attribute name):

=============  ======================================================================
kind           fields
=============  ======================================================================
block          stmts: list[Node]
expr           value
assign         targets: list[Node], value
augassign      target, op: str (``+``, ``**``, ``^``...), value
annassign      target, annotation, value | None
pass           (none)
break          (none)
continue       (none)
import         alias: str | None  (an accepted torch import, .adc text)
import_names   names: list[(dotted: str, asname: str | None)]      (.py text)
import_from    module: str, names: list[(name, asname | None)] | None for ``*``  (.py)
if             branches: list[(test, block)], orelse: block | None
while          test, body                 (no ``else``)
while_else     test, body, orelse
for            target, iter, body         (no ``else``)
for_else       target, iter, body, orelse
with           ctx, body                  (one item, no ``as``)
with_items     items: list[(ctx, target | None)], body
try            body, handlers: list[Node except], orelse | None, finalbody | None
except         type | None, name: str | None, body
return         value | None
raise          exc | None, cause | None
global         names: list[str]
nonlocal       names: list[str]
del            targets: list[Node]
assert         test, msg | None
def            name, params: Node params, returns | None, body, decorators: list[Node]
class          name, bases: list[Node], keywords: list[(name | None, value)], body,
               decorators: list[Node]
params         posonly: list[param], args: list[param], vararg: param | None,
               kwonly: list[param], kwarg: param | None
param          name: str, annotation | None, default | None
const          value: int | float | complex | str | bytes | bool | None | Ellipsis
fstring        parts: list[Node const (str) | Node fvalue]
fvalue         value, conversion: str | None (``r s a``), spec: Node fstring | None
name           id: str
tuple          items: list[Node]
list           items: list[Node]
set            items: list[Node]
dict           items: list[(key | None, value)]  (key None: ``**mapping``)
starred        value                      (``*x`` in displays, targets and calls)
listcomp       elt, generators: list[Node comp_for]
setcomp        elt, generators
genexp         elt, generators
dictcomp       key, value, generators
comp_for       target, iter, ifs: list[Node]
binop          left, op: str (``+ - * / // % @ ** << >> & | ^``), right
unary          op: str (``- + ~``), operand
not            operand
and            values: list[Node]
or             values: list[Node]
compare        first, ops: list[(op: str, Node)]  (op may be ``in``, ``not in``, ``is not``)
ternary        body, test, orelse
lambda         params: list[str], body    (plain positional names only)
lambda_args    params: Node params, body  (defaults, ``*args``, ``**kw``, ``/``)
namedexpr      name: str, value           (``:=``)
yield          value | None
yield_from     value
call           func, args: list[Node] (``starred`` for ``*a``),
               keywords: list[(name | None, value)] (None for ``**kw``)
getattr        obj, name: str
getitem        obj, index
slice          lower | None, upper | None, step | None
kwarg          name, value                (consumed by ``call``)
kwstar         value                      (``**mapping`` in a call; consumed by ``call``)
=============  ======================================================================

Builders also make short-lived kinds that their parent consumes: ``elif``, ``else``,
``finally`` (a clause and its block) and ``comp_if`` (a comprehension's condition).

The dialect (``"adc"`` or ``"py"``) changes two things here: in .adc text ``x ^= y`` is
``**=`` and only the accepted torch imports parse (others are an ImportError at once);
in .py text attributes may start with one ``_`` (``self._cache``), and a few dunder
attributes may be read (``DUNDER_ATTRIBUTE_READS``; the interpreter's tables decide what
they give), as may the special methods of ``DUNDER_METHODS`` (``super().__init__``,
``Base.__init__(self)``; a user class answers only for what it defines). In
both dialects a class body (and only a class body) may define those special methods.
"""

from __future__ import annotations

import re
import unicodedata

from adcli.errors import AdcliSyntaxError, LimitError, TorchImportError
from adcli.lang.library import LIBRARY_MODULES

# The imports a script may write; each does nothing but make its names available.
ACCEPTED_IMPORTS = {
    ("import", "torch", None): "torch",  # binds torch (already global in .adc text)
    ("import", "torch", "torch"): "torch",
    ("import", "torch.nn.functional", "F"): "F",
    ("import", "torch.autograd", None): "torch",
    ("import", "torch.nn", None): "torch",
    ("from", "torch.autograd", "Variable"): "Variable",
    ("from", "torch", "autograd"): "autograd",
    ("from", "torch.autograd", "grad"): "grad",
    ("import", "torch.nn.functional", None): "torch",
    ("import", "torch.autograd.functional", None): "torch",
    ("from", "torch", "Tensor"): "Tensor",
    ("from", "torch", "nn"): "nn",
    ("from", "torch", "device"): "device",
    ("from", "torch.autograd", "gradcheck"): "gradcheck",
    ("from", "torch.autograd", "functional"): "functional",
    # names that only an import binds (names.IMPORT_ONLY): not bare names of a script
    **{("from", "torch.autograd.functional", name): name
       for name in ("jacobian", "hessian", "vjp", "jvp", "hvp", "vhp")},
}

# Dunder names a script may read as a bare name, and (in .py text) as an attribute. The
# parser only lets them through: the interpreter's attribute tables decide what they give.
DUNDER_READS = frozenset({"__name__", "__doc__"})
DUNDER_ATTRIBUTE_READS = DUNDER_READS | {"__class__", "__cause__", "__context__",
                                          "__version__", "__qualname__", "__mro__",
                                          "__match_args__", "__dict__", "__members__",
                                          "__slots__", "__module__"}
# Data names a class body may bind besides the special methods (``__match_args__``
# names the attributes that ``case Cls(a, b)`` matches positionally; classes.make_class
# checks ``__slots__``).
DUNDER_CLASS_DATA = frozenset({"__match_args__", "__slots__"})
# The special methods a class body may define (and ``super().__x__`` may call).
DUNDER_METHODS = frozenset({
    "__init__", "__repr__", "__str__", "__call__", "__len__", "__getitem__",
    "__setitem__", "__delitem__", "__contains__", "__iter__", "__next__", "__reversed__",
    "__eq__", "__ne__", "__lt__", "__le__", "__gt__", "__ge__", "__hash__", "__bool__",
    "__add__", "__radd__", "__iadd__", "__sub__", "__rsub__", "__isub__", "__mul__",
    "__rmul__", "__imul__", "__matmul__", "__rmatmul__", "__truediv__", "__rtruediv__",
    "__itruediv__", "__floordiv__", "__rfloordiv__", "__mod__", "__rmod__", "__pow__",
    "__rpow__", "__neg__", "__pos__", "__abs__", "__invert__", "__and__", "__rand__",
    "__or__", "__ror__", "__xor__", "__rxor__", "__lshift__", "__rshift__", "__enter__",
    "__exit__", "__format__", "__index__", "__int__", "__float__", "__round__",
    "__post_init__", "__getattr__", "__setattr__", "__delattr__", "__ifloordiv__",
    "__imod__", "__ipow__", "__imatmul__", "__iand__", "__ior__", "__ixor__", "__divmod__",
    "__rdivmod__", "__rlshift__", "__rrshift__", "__trunc__", "__floor__", "__ceil__",
    "__complex__", "__init_subclass__",
})


class ParseContext:
    """What the builders of one parse need: the dialect, the depth bound, a sub-parser."""

    __slots__ = ("dialect", "max_depth", "parse_field", "dunder_defs")

    def __init__(self, dialect: str = "adc", max_depth: int = 200, parse_field=None) -> None:
        self.dialect = dialect
        self.max_depth = max_depth
        self.parse_field = parse_field
        self.dunder_defs: list = []


CTX = ParseContext()


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
                    if isinstance(x, tuple):  # (test, body), (key, value), (name, value)
                        x = max(x, key=lambda n: n.depth if isinstance(n, Node) else 0)
                    if isinstance(x, Node) and x.depth > depth:
                        depth = x.depth
        self.depth = depth + 1

    def __repr__(self) -> str:
        return f"{self.kind}{self.fields!r}"


def _pos(tok) -> tuple[int, int]:
    return (tok.line, tok.col)


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


def _file_input(c, pos):
    block = _block(c, pos)
    if CTX.dunder_defs:
        node = CTX.dunder_defs[0]
        raise AdcliSyntaxError(
            f"`{node.fields[0]}`: only a class body may define special methods", pos=node.pos
        )
    return block


def _simple_stmt(c, pos):
    return [x for x in c if x is not None]


_LITERAL_WHAT = {
    "call": "function call", "const": "literal", "fstring": "f-string expression",
    "binop": "expression", "unary": "expression", "compare": "comparison",
    "lambda": "lambda", "lambda_args": "lambda", "ternary": "conditional expression",
    "dict": "dict literal", "set": "set display", "listcomp": "list comprehension",
    "setcomp": "set comprehension", "dictcomp": "dict comprehension",
    "genexp": "generator expression", "and": "expression", "or": "expression",
    "not": "expression", "yield": "yield expression", "yield_from": "yield expression",
    "namedexpr": "named expression",
}


def _check_target(node: Node, star_ok: bool = False, verb: str = "assign to") -> None:
    kind = node.kind
    if kind == "name":
        if node.fields[0] in ("True", "False", "None", "__name__", "__doc__"):
            raise AdcliSyntaxError(f"cannot {verb} {node.fields[0]}", pos=node.pos)
        return
    if kind in ("getitem", "getattr"):
        return
    if kind == "starred" and star_ok:
        _check_target(node.fields[0], False, verb)
        return
    if kind == "starred":
        raise AdcliSyntaxError("starred assignment target must be in a list or tuple",
                               pos=node.pos)
    if kind in ("tuple", "list"):
        stars = 0
        for item in node.fields[0]:
            stars += item.kind == "starred"
            _check_target(item, True, verb)
        if stars > 1:
            raise AdcliSyntaxError("multiple starred expressions in assignment", pos=node.pos)
        return
    if kind == "const" and node.fields[0] is Ellipsis:
        raise AdcliSyntaxError(f"cannot {verb} ellipsis here. Maybe you meant '==' instead "
                               "of '='?", pos=node.pos)
    what = _LITERAL_WHAT.get(kind, "expression")
    raise AdcliSyntaxError(f"cannot {verb} {what}", pos=node.pos)


# a target CPython's parser first reads as an expression (its bitwise_or): `f() = 1`
# is "cannot assign to function call here. Maybe you meant '==' instead of '='?"
_HERE_KINDS = frozenset({"call", "const", "fstring", "binop", "unary", "power", "dict",
                         "set", "listcomp", "setcomp", "dictcomp"})
_NOT_BITWISE_OR = frozenset({"lambda", "lambda_args", "not", "yield", "yield_from",
                             "starred"})


def _assign(c, pos):
    *targets, value = c
    if CTX.dialect == "py" and any(t.kind in ("yield", "yield_from") for t in targets):
        raise AdcliSyntaxError("assignment to yield expression not possible",
                               pos=next(t.pos for t in targets if t.kind.startswith("yield")))
    if (CTX.dialect == "py" and len(targets) == 1 and targets[0].kind in _HERE_KINDS
            and getattr(value, "kind", None) not in _NOT_BITWISE_OR):
        try:
            _check_target(targets[0])
        except AdcliSyntaxError as e:
            if e.message.endswith("?"):
                raise
            raise AdcliSyntaxError(e.message + " here. Maybe you meant '==' instead of '='?",
                                   pos=e.pos) from None
    for t in targets:
        _check_target(t)
    return Node("assign", pos, targets, value)


def _kwarg(c, pos):
    if CTX.dialect == "py" and c[0].value in ("True", "False", "None"):
        raise AdcliSyntaxError(f"cannot assign to {c[0].value}", pos=(c[0].line, c[0].col))
    return Node("kwarg", pos, _name_of(c[0]), c[1])


def _expr_stmt(c, pos):
    value = c[0]
    if CTX.dialect == "py" and getattr(value, "kind", None) == "starred":
        raise AdcliSyntaxError("can't use starred expression here", pos=value.pos)
    if CTX.dialect == "py" and getattr(value, "kind", None) == "namedexpr" and \
            value.pos == pos:  # `x := 1` as a statement: only `(x := 1)` is one
        raise AdcliSyntaxError("invalid syntax", pos=value.pos)
    return Node("expr", pos, value)


def _augassign(c, pos):
    target, op, value = c
    if target.kind not in ("name", "getitem", "getattr"):
        what = {"tuple": "tuple", "list": "list", "starred": "starred"}.get(
            target.kind) or _LITERAL_WHAT.get(target.kind, "expression")
        raise AdcliSyntaxError(
            f"'{what}' is an illegal expression for augmented assignment", pos=target.pos
        )
    if target.kind == "name":
        _check_target(target)
    sym = op.value[:-1]
    if sym == "^" and CTX.dialect == "adc":
        sym = "**"
    return Node("augassign", pos, target, sym, value)


def _annassign(c, pos):
    target, annotation, value = c
    if target.kind not in ("name", "getitem", "getattr"):
        what = {"tuple": "tuple", "list": "list"}.get(target.kind, "expression")
        raise AdcliSyntaxError(f"only single target (not {what}) can be annotated",
                               pos=target.pos)
    _check_target(target)
    return Node("annassign", pos, target, annotation, value)


def _import_name(c, pos):
    if CTX.dialect != "adc" or all(m in LIBRARY_MODULES for m, _ in c):
        return Node("import_names", pos, list(c))
    if len(c) == 1:
        module, alias = c[0]
        key = ("import", module, alias)
        if key in ACCEPTED_IMPORTS:
            return Node("import", pos, ACCEPTED_IMPORTS[key])
    module = c[0][0]
    raise TorchImportError(
        f"adcli accepts only `import torch`, `import torch.nn.functional as F` and "
        f"`from torch.autograd import Variable`; `{module}` cannot be imported",
        pos=pos,
    )


def _import_from(c, pos):
    module, names = c
    if CTX.dialect != "adc" or module in LIBRARY_MODULES:
        return Node("import_from", pos, module, names)
    if names is not None and len(names) == 1:
        alias, asname = names[0]
        if asname is not None and asname != alias:
            raise TorchImportError(
                f"`from {module} import {alias} as {asname}`: renaming is not supported",
                pos=pos,
            )
        key = ("from", module, alias)
        if key in ACCEPTED_IMPORTS:
            return Node("import", pos, ACCEPTED_IMPORTS[key])
    raise TorchImportError(
        f"adcli accepts only `import torch`, `import torch.nn.functional as F` and "
        f"`from torch.autograd import Variable`; `{module}` cannot be imported",
        pos=pos,
    )


def _import_targets(c, pos):
    if len(c) == 1 and not isinstance(c[0], tuple):  # the STAR token
        return None
    return list(c)


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


def _while(c, pos):
    if len(c) > 2 and c[2] is not None:
        return Node("while_else", pos, c[0], c[1], c[2].fields[0])
    return Node("while", pos, c[0], c[1])


def _for(c, pos):
    if len(c) > 3 and c[3] is not None:
        return Node("for_else", pos, c[0], c[1], c[2], c[3].fields[0])
    return Node("for", pos, c[0], c[1], c[2])


def _with(c, pos):
    *items, body = c
    if len(items) == 1 and items[0][1] is None:
        return Node("with", pos, items[0][0], body)
    return Node("with_items", pos, items, body)


def _with_item(c, pos):
    ctx, target = c
    if target is not None:
        _check_target(target)
    return (ctx, target)


def _try(c, pos):
    body, *rest = c
    handlers, orelse, final = [], None, None
    for item in rest:
        if item.kind == "except":
            handlers.append(item)
        elif item.kind == "else":
            orelse = item.fields[0]
        else:
            final = item.fields[0]
    for h in handlers[:-1]:
        if h.fields[0] is None:
            raise AdcliSyntaxError("default 'except:' must be last", pos=h.pos)
    return Node("try", pos, body, handlers, orelse, final)


def _except(c, pos):
    typ, name, body = c
    return Node("except", pos, typ, None if name is None else _name_of(name), body)


def _param(c, pos):
    if len(c) == 3:
        name, annotation, default = c
    else:
        (name, default), annotation = c, None
    return ("arg", Node("param", _pos(name), _name_of(name), annotation, default))


def _star_param(c, pos):
    name = c[1]
    annotation = c[2] if len(c) > 2 else None
    if name is None:
        return ("star", None)
    return ("star", Node("param", _pos(name), _name_of(name), annotation, None))


def _kw_param(c, pos):
    name = c[1]
    annotation = c[2] if len(c) > 2 else None
    return ("kw", Node("param", _pos(name), _name_of(name), annotation, None))


def _params(c, pos):
    """Check the order of parameters as CPython does; build a ``params`` node."""
    posonly, args, kwonly = [], [], []
    vararg = kwarg = None
    seen_star = seen_slash = seen_default = False
    names: set[str] = set()
    for item in c:
        what, node = item
        if kwarg is not None:
            raise AdcliSyntaxError("arguments cannot follow var-keyword argument",
                                   pos=node.pos if node is not None else pos)
        if what == "slash":
            if seen_slash:
                raise AdcliSyntaxError("/ may appear only once", pos=pos)
            if seen_star:
                raise AdcliSyntaxError("/ must be ahead of *", pos=pos)
            if not args:
                raise AdcliSyntaxError("at least one argument must precede /", pos=pos)
            seen_slash = True
            posonly, args = args, []
            continue
        if node is not None:
            name = node.fields[0]
            if name in names:
                raise AdcliSyntaxError(f"duplicate argument '{name}' in function definition",
                                       pos=node.pos)
            names.add(name)
        if what == "star":
            if seen_star:
                raise AdcliSyntaxError("* argument may appear only once", pos=pos)
            seen_star = True
            vararg = node
        elif what == "kw":
            kwarg = node
        elif seen_star:
            kwonly.append(node)
        else:
            if node.fields[2] is not None:
                seen_default = True
            elif seen_default:
                raise AdcliSyntaxError("non-default argument follows default argument",
                                       pos=node.pos)
            args.append(node)
    if seen_star and vararg is None and not kwonly:
        raise AdcliSyntaxError("named arguments must follow bare *", pos=pos)
    return Node("params", pos, posonly, args, vararg, kwonly, kwarg)


def _lambda(c, pos):
    params, body = c
    if params is None:
        return Node("lambda", pos, [], body)
    plain = (not params.fields[0] and params.fields[2] is None and not params.fields[3]
             and params.fields[4] is None
             and all(p.fields[2] is None for p in params.fields[1]))
    if plain:
        return Node("lambda", pos, [p.fields[0] for p in params.fields[1]], body)
    return Node("lambda_args", pos, params, body)


def _funcdef(c, pos):
    name_tok, params, returns, body = c
    name = name_tok.value
    if params is None:
        params = Node("params", pos, [], [], None, [], None)
    node = Node("def", pos, name, params, returns, body, [])
    if name.startswith("__"):
        if name not in DUNDER_METHODS:
            _name_of(name_tok)
        CTX.dunder_defs.append(node)
    return node


def _classdef(c, pos):
    name_tok, args, body = c
    name = _name_of(name_tok)
    bases, keywords = [], []
    if args is not None:
        call = _call([Node("name", pos, name), args], pos)
        bases, keywords = call.fields[1], call.fields[2]
    for stmt in body.fields[0]:
        if stmt.kind == "def" and stmt in CTX.dunder_defs:
            CTX.dunder_defs.remove(stmt)
    return Node("class", pos, name, bases, keywords, body, [])


def _decorated(c, pos):
    *decorators, node = c
    new = Node(node.kind, node.pos, *node.fields[:-1], list(decorators))
    if node in CTX.dunder_defs:
        CTX.dunder_defs[CTX.dunder_defs.index(node)] = new
    return new


def _comparison(c, pos):
    first = c[0]
    ops = [(c[i].value, c[i + 1]) for i in range(1, len(c), 2)]
    return Node("compare", pos, first, ops)


def _comp_op(c, pos):
    tok = c[0]
    tok.value = " ".join(t.value for t in c)
    return tok


_NUMBER_BASES = {"x": 16, "o": 8, "b": 2}


def _number(c, pos):
    text = c[0].value
    clean = text.replace("_", "")
    if clean[-1] in "jJ":
        return Node("const", pos, complex(0, float(clean[:-1])))
    is_based = len(clean) > 1 and clean[0] == "0" and clean[1] in "xXoObB"
    if not is_based and any(ch in clean for ch in ".eE"):
        return Node("const", pos, float(clean))
    if len(clean) > 4000:
        raise AdcliSyntaxError(
            f"integer literal of {len(clean)} digits is too long (at most 4000)", pos=pos
        )
    if is_based:
        return Node("const", pos, int(clean[2:], _NUMBER_BASES[clean[1].lower()]))
    if len(clean) > 1 and clean[0] == "0" and clean.strip("0"):
        raise AdcliSyntaxError(
            "leading zeros in decimal integer literals are not permitted; use an 0o prefix "
            "for octal integers", pos=pos
        )
    return Node("const", pos, int(clean))


# ---- strings --------------------------------------------------------------------------

_ESCAPES = {"n": "\n", "t": "\t", "\\": "\\", "'": "'", '"': '"', "r": "\r", "a": "\a",
            "b": "\b", "f": "\f", "v": "\v", "\n": ""}
_ESCAPE_RE = re.compile(r"\\(N\{[^}\n]*\}?|u[0-9A-Fa-f]{0,4}|U[0-9A-Fa-f]{0,8}|x[0-9A-Fa-f]{0,2}"
                        r"|[0-7]{1,3}|\r\n|[\s\S])")


def _decode(body: str, is_bytes: bool, pos) -> str:
    """Python's decoding of backslash escapes in a non-raw literal's body."""
    if "\\" not in body:
        return body

    def one(m):
        esc = m.group(1)
        head = esc[0]
        if head in _ESCAPES:
            return _ESCAPES[head]
        if esc == "\r\n":
            return ""
        if head in "01234567":
            return chr(int(esc, 8) & (0xFF if is_bytes else 0x1FFFF))
        if head == "x":
            if len(esc) != 3:
                raise AdcliSyntaxError(
                    "(unicode error) 'unicodeescape' codec can't decode bytes: truncated "
                    "\\xXX escape", pos=pos)
            return chr(int(esc[1:], 16))
        if is_bytes:
            return "\\" + esc
        if head in "uU":
            want = 5 if head == "u" else 9
            if len(esc) != want:
                raise AdcliSyntaxError(
                    f"(unicode error) 'unicodeescape' codec can't decode bytes: truncated "
                    f"\\{head}{'XXXX' if head == 'u' else 'XXXXXXXX'} escape", pos=pos)
            code = int(esc[1:], 16)
            if code > 0x10FFFF:
                raise AdcliSyntaxError("(unicode error) 'unicodeescape' codec can't decode "
                                       "bytes: illegal Unicode character", pos=pos)
            return chr(code)
        if head == "N":
            try:
                if not esc.endswith("}"):
                    raise KeyError(esc)
                return unicodedata.lookup(esc[2:-1])
            except KeyError:
                raise AdcliSyntaxError("(unicode error) 'unicodeescape' codec can't decode "
                                       "bytes: unknown Unicode character name", pos=pos) from None
        return "\\" + esc

    return _ESCAPE_RE.sub(one, body)


def _split_literal(tok):
    """(prefix flags, body) of a STRING token."""
    value = tok.value
    i = 0
    while value[i] not in "'\"":
        i += 1
    prefix = value[:i].lower()
    q = 3 if value[i:i + 3] in ("'''", '"""') else 1
    return prefix, value[i + q:len(value) - q], i + q


def _string(c, pos):
    parts: list = []  # str, or Node fvalue
    kinds = set()
    formatted = False  # an f-string among the pieces: a JoinedStr, as CPython's ast
    for tok in c:
        prefix, body, offset = _split_literal(tok)
        is_bytes = "b" in prefix
        kinds.add(is_bytes)
        if is_bytes and any(ord(ch) > 127 for ch in body):
            raise AdcliSyntaxError("bytes can only contain ASCII literal characters",
                                   pos=_pos(tok))
        if "f" in prefix:
            formatted = True
            parts.extend(_fstring(body, "r" in prefix, tok, offset, 0))
        else:
            parts.append(body if "r" in prefix else _decode(body, is_bytes, _pos(tok)))
    if len(kinds) > 1:
        raise AdcliSyntaxError("cannot mix bytes and nonbytes literals", pos=pos)
    if not formatted and all(isinstance(p, str) for p in parts):
        text = "".join(parts)
        if True in kinds:
            return Node("const", pos, text.encode("latin-1"))
        return Node("const", pos, text)
    return Node("fstring", pos, _merge(parts, pos))


def _merge(parts: list, pos) -> list:
    out: list = []
    for p in parts:
        if isinstance(p, str):
            if not p:
                continue
            if out and out[-1].kind == "const":
                out[-1] = Node("const", out[-1].pos, out[-1].fields[0] + p)
                continue
            out.append(Node("const", pos, p))
        else:
            out.append(p)
    return out


_CLOSERS = {"(": ")", "[": "]", "{": "}"}


def _fstring(body: str, raw: bool, tok, offset: int, nesting: int) -> list:
    """The parts of an f-string body: literal text (str) and ``fvalue`` nodes."""
    pos = _pos(tok)
    parts: list = []
    lit: list[str] = []
    i, n = 0, len(body)

    def flush():
        text = "".join(lit)
        lit.clear()
        parts.append(text if raw else _decode(text, False, pos))

    while i < n:
        ch = body[i]
        if ch == "\\" and not raw and body.startswith("N{", i + 1):
            end = body.find("}", i)
            end = n - 1 if end < 0 else end
            lit.append(body[i:end + 1])
            i = end + 1
            continue
        if ch == "\\" and i + 1 < n:
            lit.append(body[i:i + 2])
            i += 2
            continue
        if ch == "}":
            if body.startswith("}", i + 1):
                lit.append("}")
                i += 2
                continue
            raise AdcliSyntaxError("f-string: single '}' is not allowed", pos=pos)
        if ch != "{":
            lit.append(ch)
            i += 1
            continue
        if body.startswith("{", i + 1):
            lit.append("{")
            i += 2
            continue
        flush()
        if nesting >= 2:
            raise AdcliSyntaxError("f-string: expressions nested too deeply", pos=pos)
        i, debug, node = _fstring_field(body, i + 1, raw, tok, offset, nesting)
        if debug is not None:
            parts.append(debug)
        parts.append(node)
    flush()
    return parts


def _fstring_field(body: str, i: int, raw: bool, tok, offset: int, nesting: int):
    """Parse one replacement field starting after its ``{``: (next index, debug text, node)."""
    pos = _pos(tok)
    n = len(body)
    start = i
    stack: list[str] = []
    while i < n:
        ch = body[i]
        if ch in "'\"":
            end = body.find(ch, i + 1)
            if end < 0:
                raise AdcliSyntaxError("f-string: unterminated string", pos=pos)
            i = end + 1
            continue
        if ch == "\\":
            raise AdcliSyntaxError("f-string expression part cannot include a backslash",
                                   pos=pos)
        if ch == "#":
            raise AdcliSyntaxError("f-string expression part cannot include '#'", pos=pos)
        if ch in _CLOSERS:
            stack.append(_CLOSERS[ch])
        elif ch in ")]}" and stack:
            if stack.pop() != ch:
                raise AdcliSyntaxError(f"f-string: closing parenthesis '{ch}' does not match",
                                       pos=pos)
        elif not stack and (ch in "}:" or (ch == "!" and not body.startswith("=", i + 1))):
            break
        elif (not stack and ch == "=" and not body.startswith("=", i + 1)
              and body[i - 1] not in "=!<>"):
            break
        i += 1
    if i >= n:
        raise AdcliSyntaxError("f-string: expecting '}'", pos=pos)
    expr_text = body[start:i]
    if not expr_text.strip():
        raise AdcliSyntaxError("f-string: empty expression not allowed", pos=pos)
    debug = None
    if body[i] == "=":
        i += 1
        while i < n and body[i] in " \t\n":
            i += 1
        debug = body[start:i]
    at = offset + start  # where the expression starts in the token's text
    before = tok.value[:at]
    line = tok.line + before.count("\n")
    newline = before.rfind("\n")
    col = tok.col + at if newline < 0 else at - newline
    value = CTX.parse_field("(" + expr_text + ")", line, col - 1)
    conversion = None
    if i < n and body[i] == "!":
        conversion = body[i + 1:i + 2]
        if conversion not in ("s", "r", "a") or not body.startswith(("}", ":"), i + 2):
            raise AdcliSyntaxError(
                "f-string: invalid conversion character: expected 's', 'r', or 'a'", pos=pos)
        i += 2
    spec = None
    if i < n and body[i] == ":":
        j = i + 1
        depth = 0
        while j < n:
            if body[j] == "{":
                depth += 1
            elif body[j] == "}":
                if depth == 0:
                    break
                depth -= 1
            j += 1
        if j >= n:
            raise AdcliSyntaxError("f-string: expecting '}'", pos=pos)
        spec_parts = _fstring(body[i + 1:j], raw, tok, offset, nesting + 1)
        spec = Node("fstring", pos, _merge(spec_parts, pos))
        i = j
    if i >= n or body[i] != "}":
        raise AdcliSyntaxError("f-string: expecting '}'", pos=pos)
    if debug is not None and conversion is None and spec is None:
        conversion = "r"
    return i + 1, debug, Node("fvalue", value.pos, value, conversion, spec)


# ---- calls, displays, comprehensions -------------------------------------------------

def _call(c, pos):
    func, args = c
    positional, keywords, seen = [], [], set()
    saw_kwstar = False
    for a in args or ():
        if isinstance(a, Node) and a.kind == "kwarg":
            name = a.fields[0]
            if name in seen:
                raise AdcliSyntaxError(f'keyword argument repeated: {name}', pos=a.pos)
            seen.add(name)
            keywords.append(a.fields)
        elif isinstance(a, Node) and a.kind == "kwstar":
            saw_kwstar = True
            keywords.append((None, a.fields[0]))
        else:
            if a.kind == "starred" and saw_kwstar:
                raise AdcliSyntaxError(
                    "iterable argument unpacking follows keyword argument unpacking",
                    pos=a.pos)
            if keywords and a.kind != "starred":
                if saw_kwstar:
                    raise AdcliSyntaxError(
                        "positional argument follows keyword argument unpacking", pos=a.pos)
                raise AdcliSyntaxError(
                    "positional argument follows keyword argument", pos=a.pos
                )
            positional.append(a)
    return Node("call", func.pos, func, positional, keywords)


def _arguments(c, pos):
    args = list(c)
    if len(args) > 1:
        for a in args:
            if a.kind == "genexp" and getattr(a, "_bare", False):  # pragma: no cover
                raise AdcliSyntaxError("Generator expression must be parenthesized",
                                       pos=a.pos)
    return args


def _comp_clauses(c, pos):
    if len(c) > CTX.max_depth:  # each `for` runs one generator inside the one before
        raise LimitError(
            f"the comprehension has more than {CTX.max_depth} clauses "
            "(raise the bound with --max-depth or ADCLI_MAX_DEPTH)", pos=pos)
    gens: list[Node] = []
    for item in c:
        if item.kind == "comp_for":
            gens.append(item)
        else:
            last = gens[-1]
            gens[-1] = Node("comp_for", last.pos, last.fields[0], last.fields[1],
                            last.fields[2] + [item.fields[0]])
    return gens


def _comp_for(c, pos):
    target, iterable = c
    return Node("comp_for", pos, target, iterable, [])


def _comp(kind):
    def build(c, pos):
        elt, gens = c
        if elt.kind == "starred":
            raise AdcliSyntaxError("iterable unpacking cannot be used in comprehension",
                                   pos=elt.pos)
        return Node(kind, pos, elt, gens)

    return build


def _dictcomp(c, pos):
    key, value, gens = c
    return Node("dictcomp", pos, key, value, gens)


def _getitem(c, pos):
    obj, subs = c
    index = subs[0] if len(subs) == 1 else Node("tuple", subs[0].pos, list(subs))
    return Node("getitem", pos, obj, index)


def _getattr(c, pos):
    obj, name = c
    value = name.value
    if value.startswith("_"):
        allowed = CTX.dialect != "adc" and (not value.startswith("__") or (
            value in DUNDER_ATTRIBUTE_READS) or value in DUNDER_METHODS)
        if not allowed:
            what = "'__'" if CTX.dialect != "adc" else "'_'"
            raise AdcliSyntaxError(
                f"`.{value}`: attributes starting with {what} are not part of the language",
                pos=(name.line, name.col),
            )
    return Node("getattr", (name.line, name.col), obj, value)


def _name(c, pos):
    tok = c[0]
    if tok.value in DUNDER_READS or (CTX.dialect != "adc" and (
            tok.value in DUNDER_METHODS or tok.value in DUNDER_CLASS_DATA
            or tok.value == "__file__")):  # the script's path, in .py text
        return Node("name", pos, tok.value)  # `__radd__ = __add__` in a class body
    return Node("name", pos, _name_of(tok))


def _namedexpr(c, pos):
    return Node("namedexpr", pos, _name_of(c[0]), c[1])


# ---- the match statement ----------------------------------------------------------------
# Pattern kinds: p_value (value: an expression compared with ==), p_is (value: None, True
# or False, compared with `is`), p_capture (name), p_wildcard, p_sequence (items, with
# p_star (name | None) for `*rest`), p_mapping (pairs: list[(key, pattern)], rest: name |
# None), p_class (cls, positional patterns, keywords: list[(name, pattern)]), p_or
# (alternatives), p_as (pattern, name).

_SINGLETONS = {"None": None, "True": True, "False": False}


def _pattern_name(tok) -> str:
    """A name a pattern binds (``case [x]``, ``as x``, ``*x``, ``**x``)."""
    if tok.value in _SINGLETONS:
        raise AdcliSyntaxError("invalid pattern target", pos=_pos(tok))
    return _name_of(tok)


def _p_literal(c, pos):
    if c[0].type == "STRING":
        node = _string(c, pos)
        if node.kind != "const" or any("f" in _split_literal(t)[0] for t in c):
            raise AdcliSyntaxError("patterns may only match literals and attribute lookups",
                                   pos=pos)
        return Node("p_value", pos, node)
    toks = list(c)
    sign = 1
    if toks[0].type == "ADD_OP":
        if toks[0].value != "-":
            raise AdcliSyntaxError("invalid syntax", pos=_pos(toks[0]))
        sign = -1
        toks = toks[1:]
    first = _number([toks[0]], _pos(toks[0])).fields[0]
    if len(toks) == 1:
        value = -first if sign < 0 else first
        return Node("p_value", pos, Node("const", pos, value))
    op, second_tok = toks[1], toks[2]
    second = _number([second_tok], _pos(second_tok)).fields[0]
    if isinstance(first, complex):
        raise AdcliSyntaxError("real number required in complex literal", pos=_pos(toks[0]))
    if not isinstance(second, complex):
        raise AdcliSyntaxError("imaginary number required in complex literal",
                               pos=_pos(second_tok))
    real = -first if sign < 0 else first
    value = real + second if op.value == "+" else real - second
    return Node("p_value", pos, Node("const", pos, value))


def _p_name(c, pos):
    tok = c[0]
    if tok.value == "_":
        return Node("p_wildcard", pos)
    if tok.value in _SINGLETONS:
        return Node("p_is", pos, _SINGLETONS[tok.value])
    return Node("p_capture", pos, _name_of(tok))


def _p_dotted(c, pos):
    node = Node("name", _pos(c[0]), _name_of(c[0]))
    for tok in c[1:]:
        node = _getattr([node, tok], pos)
    return node


def _p_class(c, pos):
    cls, args = c
    if not isinstance(cls, Node):  # a plain NAME
        cls = Node("name", _pos(cls), _name_of(cls))
    positional, keywords, seen = [], [], set()
    for a in args or ():
        if isinstance(a, tuple):
            name, pattern, kpos = a
            if name in seen:
                raise AdcliSyntaxError(
                    f"attribute name repeated in class pattern: {name}", pos=kpos)
            seen.add(name)
            keywords.append((name, pattern))
        else:
            if keywords:
                raise AdcliSyntaxError("positional patterns follow keyword patterns",
                                       pos=a.pos)
            positional.append(a)
    return Node("p_class", cls.pos, cls, positional, keywords)


def _p_keyword(c, pos):
    """``Cls(attr=pattern)``: the attribute names that ``obj.attr`` may read."""
    tok, pattern = c
    if tok.value.startswith("__") and tok.value not in DUNDER_ATTRIBUTE_READS:
        raise AdcliSyntaxError(f"`{tok.value}`: attributes starting with '__' are not part "
                               "of the language", pos=_pos(tok))
    return (tok.value, pattern, _pos(tok))


def _p_sequence(c, pos):
    items = list(c)
    stars = [i for i in items if i.kind == "p_star"]
    if len(stars) > 1:
        raise AdcliSyntaxError("multiple starred names in sequence pattern", pos=pos)
    return Node("p_sequence", pos, items)


def _p_star(c, pos):
    tok = c[1]
    return Node("p_star", pos, None if tok.value == "_" else _pattern_name(tok))


def _p_as(c, pos):
    pattern, tok = c
    if tok.value == "_":
        raise AdcliSyntaxError("cannot use '_' as a target", pos=_pos(tok))
    return Node("p_as", pos, pattern, _pattern_name(tok))


def _p_mapping(c, pos):
    pairs, rest = [], None
    literals: list = []
    for item in c:
        if rest is not None:
            raise AdcliSyntaxError("invalid syntax", pos=item[2])
        if item[0] is None:
            rest = item[1]
            continue
        key = item[0]
        if key.kind == "const":
            if key.fields[0] in literals:
                raise AdcliSyntaxError(
                    f"mapping pattern checks duplicate key ({key.fields[0]!r})", pos=key.pos)
            literals.append(key.fields[0])
        pairs.append(item[:2])
    return Node("p_mapping", pos, pairs, rest)


def _p_pair(c, pos):
    key, pattern = c
    if key.kind == "p_capture" or key.kind == "p_wildcard":
        raise AdcliSyntaxError("invalid syntax", pos=key.pos)
    value = Node("const", key.pos, key.fields[0]) if key.kind == "p_is" else key.fields[0]
    return (value, pattern, key.pos)


def _p_rest(c, pos):
    tok = c[1]
    if tok.value == "_":
        raise AdcliSyntaxError("invalid syntax", pos=_pos(tok))
    return (None, _pattern_name(tok), _pos(c[0]))


def _p_or(c, pos):
    alternatives = [x for x in c if isinstance(x, Node)]
    return Node("p_or", pos, alternatives)


def _irrefutable(p: Node) -> bool:
    if p.kind == "p_as":
        return _irrefutable(p.fields[0])
    if p.kind == "p_or":
        return any(_irrefutable(a) for a in p.fields[0])
    return p.kind in ("p_capture", "p_wildcard")


def _unreachable(p: Node) -> AdcliSyntaxError:
    while p.kind == "p_as":
        p = p.fields[0]
    if p.kind == "p_capture":
        return AdcliSyntaxError(
            f"name capture '{p.fields[0]}' makes remaining patterns unreachable", pos=p.pos)
    return AdcliSyntaxError("wildcard makes remaining patterns unreachable", pos=p.pos)


def _pattern_binds(p: Node) -> list:
    """The names a pattern binds, in order; CPython's compile-time checks on the way."""
    out: list = []
    stack = [p]
    while stack:
        n = stack.pop()
        k, f = n.kind, n.fields
        if k == "p_capture" or (k == "p_star" and f[0] is not None):
            name, where = f[0], n.pos
        elif k == "p_as":
            stack.append(f[0])
            name, where = f[1], n.pos
        elif k == "p_mapping":
            stack.extend(reversed([q for _, q in f[0]]))
            if f[1] is None:
                continue
            name, where = f[1], n.pos
        elif k == "p_sequence":
            stack.extend(reversed(f[0]))
            continue
        elif k == "p_class":
            stack.extend(reversed(f[1] + [q for _, q in f[2]]))
            continue
        elif k == "p_or":
            alts = f[0]
            for a in alts[:-1]:
                if _irrefutable(a):
                    raise _unreachable(a)
            names = [_pattern_binds(a) for a in alts]
            if any(set(x) != set(names[0]) for x in names[1:]):
                raise AdcliSyntaxError("alternative patterns bind different names", pos=n.pos)
            for name in names[0]:
                if name in out:
                    raise AdcliSyntaxError(
                        f"multiple assignments to name '{name}' in pattern", pos=n.pos)
                out.append(name)
            continue
        else:
            continue
        if name in out:
            raise AdcliSyntaxError(f"multiple assignments to name '{name}' in pattern",
                                   pos=where)
        out.append(name)
    return out


def _case_block(c, pos):
    _kw, pattern, guard, body = c
    _pattern_binds(pattern)
    return Node("case", pos, pattern, guard, body)


def _match(c, pos):
    subject, *cases = c[1:]
    for case in cases[:-1]:
        pattern, guard = case.fields[0], case.fields[1]
        if guard is None and _irrefutable(pattern):
            raise _unreachable(pattern)
    return Node("match", pos, subject, cases)


def _del(c, pos):
    for t in c:
        _check_target(t, verb="delete")
    return Node("del", pos, list(c))


BUILDERS = {
    "file_input": _file_input,
    "eval_input": lambda c, pos: c[0],
    "simple_stmt": _simple_stmt,
    "suite": _block,
    "expr_stmt": _expr_stmt,
    "assign": _assign,
    "augassign": _augassign,
    "annassign": _annassign,
    "pass_stmt": lambda c, pos: Node("pass", pos),
    "break_stmt": lambda c, pos: Node("break", pos),
    "continue_stmt": lambda c, pos: Node("continue", pos),
    "return_stmt": lambda c, pos: Node("return", pos, c[0]),
    "raise_stmt": lambda c, pos: Node("raise", pos, c[0], c[1]),
    "global_stmt": lambda c, pos: Node("global", pos, [_name_of(t) for t in c]),
    "nonlocal_stmt": lambda c, pos: Node("nonlocal", pos, [_name_of(t) for t in c]),
    "del_stmt": _del,
    "assert_stmt": lambda c, pos: Node("assert", pos, c[0], c[1]),
    "import_name": _import_name,
    "import_from": _import_from,
    "dotted_name": lambda c, pos: ".".join(t.value for t in c),
    "dotted_as_name": lambda c, pos: (c[0], None if c[1] is None else _name_of(c[1])),
    "import_as_name": lambda c, pos: (c[0].value, None if c[1] is None else _name_of(c[1])),
    "import_targets": _import_targets,
    "if_stmt": _if,
    "elif_clause": lambda c, pos: Node("elif", pos, c[0], c[1]),
    "else_clause": lambda c, pos: Node("else", pos, c[0]),
    "finally_clause": lambda c, pos: Node("finally", pos, c[0]),
    "while_stmt": _while,
    "for_stmt": _for,
    "with_stmt": _with,
    "with_item": _with_item,
    "try_stmt": _try,
    "except_clause": _except,
    "decorated": _decorated,
    "decorator": lambda c, pos: c[1],
    "funcdef": _funcdef,
    "parameters": _params,
    "lambda_params": _params,
    "param": _param,
    "star_param": _star_param,
    "kw_param": _kw_param,
    "slash_param": lambda c, pos: ("slash", None),
    "classdef": _classdef,
    "target_list": lambda c, pos: _target_list(c, pos),
    "target_tuple": lambda c, pos: _target_list(c, pos, trailing_comma=True),
    "starred": lambda c, pos: Node("starred", pos, c[-1]),
    "tuple": lambda c, pos: Node("tuple", pos, list(c)),
    "list": lambda c, pos: Node("list", pos, list(c)),
    "set": lambda c, pos: Node("set", pos, list(c)),
    "dict": lambda c, pos: Node("dict", pos, list(c)),
    "dict_pair": lambda c, pos: (c[0], c[1]),
    "dict_unpack": lambda c, pos: (None, c[1]),
    "listcomp": _comp("listcomp"),
    "setcomp": _comp("setcomp"),
    "genexp": _comp("genexp"),
    "genexp_arg": lambda c, pos: [_comp("genexp")(c, pos)],
    "dictcomp": _dictcomp,
    "comp_clauses": _comp_clauses,
    "comp_for": _comp_for,
    "comp_if": lambda c, pos: Node("comp_if", pos, c[0]),
    "namedexpr": _namedexpr,
    "ternary": lambda c, pos: Node("ternary", pos, c[0], c[1], c[2]),
    "lambdef": _lambda,
    "yield_expr": lambda c, pos: Node("yield", pos, c[0]),
    "yield_from": lambda c, pos: Node("yield_from", pos, c[0]),
    "or_test": lambda c, pos: Node("or", pos, list(c)),
    "and_test": lambda c, pos: Node("and", pos, list(c)),
    "not_test": lambda c, pos: Node("not", pos, c[0]),
    "comparison": _comparison,
    "comp_op": _comp_op,
    "binop": lambda c, pos: Node("binop", (c[1].line, c[1].col), c[0], c[1].value, c[2]),
    "unary": lambda c, pos: Node("unary", pos, c[0].value, c[1]),
    "power": lambda c, pos: Node("binop", (c[1].line, c[1].col), c[0], "**", c[2]),
    "call": _call,
    "arguments": _arguments,
    "kwarg": _kwarg,
    "kwstar": lambda c, pos: Node("kwstar", pos, c[1]),
    "getitem": _getitem,
    "subscripts": lambda c, pos: list(c),
    "slice": lambda c, pos: Node("slice", pos, c[0], c[1], c[2]),
    "getattr": _getattr,
    "name": _name,
    "number": _number,
    "string": _string,
    "ellipsis": lambda c, pos: Node("const", pos, Ellipsis),
    "match_stmt": _match,
    "case_block": _case_block,
    "p_sequence": _p_sequence,
    "p_star": _p_star,
    "p_as": _p_as,
    "p_or": _p_or,
    "p_literal": _p_literal,
    "p_name": _p_name,
    "p_value": lambda c, pos: Node("p_value", pos, c[0]),
    "p_class": _p_class,
    "p_mapping": _p_mapping,
    "p_dotted": _p_dotted,
    "p_args": lambda c, pos: list(c),
    "p_keyword": _p_keyword,
    "p_pair": _p_pair,
    "p_rest": _p_rest,
}


def _target_list(c, pos, trailing_comma=False):
    # `for b, in rows:` unpacks: a trailing comma makes even one target a tuple target.
    for t in c:
        _check_target(t, star_ok=len(c) > 1 or trailing_comma)
    if len(c) == 1 and not trailing_comma:
        return c[0]
    stars = sum(t.kind == "starred" for t in c)
    if stars > 1:
        raise AdcliSyntaxError("multiple starred expressions in assignment", pos=pos)
    return Node("tuple", pos, list(c))

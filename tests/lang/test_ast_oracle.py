"""CPython's ``ast`` as the oracle for adcli's parser.

Two converters turn a syntax tree into one canonical nested-tuple form: ``ours`` reads
adcli's ``Node`` tree, ``theirs`` reads ``ast.parse``'s. Every ``.py`` program and every
notebook code cell of ``samples/python`` must give equal forms, as must random programs
in the subset (hypothesis). Statements carry their line and column, so positions are
compared too. CPython's ``ast`` is used here only, never by adcli.
"""

from __future__ import annotations

import ast
import json
import warnings
from pathlib import Path

import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from adcli.lang.ast import Node
from adcli.lang.parser import parse

ROOT = Path(__file__).resolve().parents[2]
SAMPLES = ROOT / "samples" / "python"

_OPS = {
    ast.Add: "+", ast.Sub: "-", ast.Mult: "*", ast.Div: "/", ast.FloorDiv: "//",
    ast.Mod: "%", ast.Pow: "**", ast.MatMult: "@", ast.LShift: "<<", ast.RShift: ">>",
    ast.BitOr: "|", ast.BitXor: "^", ast.BitAnd: "&", ast.USub: "-", ast.UAdd: "+",
    ast.Invert: "~", ast.Not: "not", ast.And: "and", ast.Or: "or", ast.Eq: "==",
    ast.NotEq: "!=", ast.Lt: "<", ast.LtE: "<=", ast.Gt: ">", ast.GtE: ">=", ast.Is: "is",
    ast.IsNot: "is not", ast.In: "in", ast.NotIn: "not in",
}
_CONSTANT_NAMES = {"True": True, "False": False, "None": None}


# ---- CPython's tree -------------------------------------------------------------------
def theirs(tree: ast.AST):
    """The canonical form of a CPython ``ast`` tree."""
    return _t(tree)


def _tl(items):
    return [_t(x) for x in items]


def _targs(a: ast.arguments):
    def arg(x):
        return None if x is None else (x.arg, _t(x.annotation))

    return ("arguments", [arg(x) for x in a.posonlyargs], [arg(x) for x in a.args],
            arg(a.vararg), [arg(x) for x in a.kwonlyargs], _tl(a.kw_defaults), arg(a.kwarg),
            _tl(a.defaults))


def _stmt_pos(node):
    return (node.lineno, node.col_offset + 1)


def _t(node):  # noqa: C901 - one branch per node type
    if node is None:
        return None
    if isinstance(node, list):
        return _tl(node)
    name = type(node).__name__
    if isinstance(node, ast.stmt):
        return (_stmt_pos(node),) + _tstmt(node)
    if isinstance(node, ast.Module):
        return ("Module", _tl(node.body))
    if isinstance(node, ast.Constant):
        return ("Constant", repr(node.value))
    if isinstance(node, ast.Name):
        return ("Name", node.id)
    if isinstance(node, ast.BinOp):
        return ("BinOp", _t(node.left), _OPS[type(node.op)], _t(node.right))
    if isinstance(node, ast.UnaryOp):
        return ("UnaryOp", _OPS[type(node.op)], _t(node.operand))
    if isinstance(node, ast.BoolOp):
        return ("BoolOp", _OPS[type(node.op)], _tl(node.values))
    if isinstance(node, ast.Compare):
        return ("Compare", _t(node.left),
                [(_OPS[type(o)], _t(c)) for o, c in zip(node.ops, node.comparators)])
    if isinstance(node, ast.IfExp):
        return ("IfExp", _t(node.body), _t(node.test), _t(node.orelse))
    if isinstance(node, ast.Lambda):
        return ("Lambda", _targs(node.args), _t(node.body))
    if isinstance(node, ast.Call):
        return ("Call", _t(node.func), _tl(node.args),
                [(k.arg, _t(k.value)) for k in node.keywords])
    if isinstance(node, ast.Attribute):
        return ("Attribute", _t(node.value), node.attr)
    if isinstance(node, ast.Subscript):
        return ("Subscript", _t(node.value), _t(node.slice))
    if isinstance(node, ast.Slice):
        return ("Slice", _t(node.lower), _t(node.upper), _t(node.step))
    if isinstance(node, ast.Starred):
        return ("Starred", _t(node.value))
    if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
        return (name, _tl(node.elts))
    if isinstance(node, ast.Dict):
        return ("Dict", [(_t(k), _t(v)) for k, v in zip(node.keys, node.values)])
    if isinstance(node, (ast.ListComp, ast.SetComp, ast.GeneratorExp)):
        return (name, _t(node.elt), _tl(node.generators))
    if isinstance(node, ast.DictComp):
        return (name, _t(node.key), _t(node.value), _tl(node.generators))
    if isinstance(node, ast.comprehension):
        return ("comprehension", _t(node.target), _t(node.iter), _tl(node.ifs))
    if isinstance(node, ast.JoinedStr):
        return ("JoinedStr", _tl(node.values))
    if isinstance(node, ast.FormattedValue):
        conv = None if node.conversion == -1 else chr(node.conversion)
        return ("FormattedValue", _t(node.value), conv, _t(node.format_spec))
    if isinstance(node, ast.NamedExpr):
        return ("NamedExpr", node.target.id, _t(node.value))
    if isinstance(node, (ast.Yield, ast.YieldFrom)):
        return (name, _t(node.value))
    raise AssertionError(f"no canonical form for {name}")


def _tstmt(node):  # noqa: C901
    name = type(node).__name__
    if isinstance(node, ast.Expr):
        return ("Expr", _t(node.value))
    if isinstance(node, ast.Assign):
        return ("Assign", _tl(node.targets), _t(node.value))
    if isinstance(node, ast.AugAssign):
        return ("AugAssign", _t(node.target), _OPS[type(node.op)], _t(node.value))
    if isinstance(node, ast.AnnAssign):
        return ("AnnAssign", _t(node.target), _t(node.annotation), _t(node.value))
    if isinstance(node, (ast.Pass, ast.Break, ast.Continue)):
        return (name,)
    if isinstance(node, ast.Return):
        return ("Return", _t(node.value))
    if isinstance(node, ast.Raise):
        return ("Raise", _t(node.exc), _t(node.cause))
    if isinstance(node, (ast.Global, ast.Nonlocal)):
        return (name, list(node.names))
    if isinstance(node, ast.Delete):
        return ("Delete", _tl(node.targets))
    if isinstance(node, ast.Assert):
        return ("Assert", _t(node.test), _t(node.msg))
    if isinstance(node, ast.Import):
        return ("Import", [(a.name, a.asname) for a in node.names])
    if isinstance(node, ast.ImportFrom):
        names = [(a.name, a.asname) for a in node.names]
        return ("ImportFrom", node.module, None if names == [("*", None)] else names)
    if isinstance(node, ast.If):
        return ("If", _t(node.test), _tl(node.body), _tl(node.orelse))
    if isinstance(node, ast.While):
        return ("While", _t(node.test), _tl(node.body), _tl(node.orelse))
    if isinstance(node, ast.For):
        return ("For", _t(node.target), _t(node.iter), _tl(node.body), _tl(node.orelse))
    if isinstance(node, ast.With):
        return ("With", [(_t(i.context_expr), _t(i.optional_vars)) for i in node.items],
                _tl(node.body))
    if isinstance(node, ast.Try):
        return ("Try", _tl(node.body),
                [(h.lineno, _t(h.type), h.name, _tl(h.body)) for h in node.handlers],
                _tl(node.orelse), _tl(node.finalbody))
    if isinstance(node, ast.FunctionDef):
        return ("FunctionDef", node.name, _targs(node.args), _tl(node.body),
                _tl(node.decorator_list), _t(node.returns))
    if isinstance(node, ast.ClassDef):
        return ("ClassDef", node.name, _tl(node.bases),
                [(k.arg, _t(k.value)) for k in node.keywords], _tl(node.body),
                _tl(node.decorator_list))
    raise AssertionError(f"no canonical form for {name}")


# ---- adcli's tree ---------------------------------------------------------------------
def ours(node: Node):
    """The canonical form of adcli's syntax tree."""
    return ("Module", _ol(node.fields[0]))


def _ol(items):
    return [_o(x) for x in items]


def _body(block):
    return [] if block is None else _ol(block.fields[0])


def _oparams(p):
    posonly, args, vararg, kwonly, kwarg = p.fields

    def arg(x):
        return None if x is None else (x.fields[0], _o(x.fields[1]))

    defaults = [_o(x.fields[2]) for x in posonly + args if x.fields[2] is not None]
    return ("arguments", [arg(x) for x in posonly], [arg(x) for x in args], arg(vararg),
            [arg(x) for x in kwonly], [_o(x.fields[2]) for x in kwonly], arg(kwarg),
            defaults)


def _first_line(node) -> int:
    """The first line an expression spans (CPython's lineno for it): the smallest line of
    any node in it (adcli places an attribute, for example, at its name)."""
    lines = [node.pos[0]] if isinstance(node, Node) and node.pos else []
    stack = list(node.fields) if isinstance(node, Node) else []
    while stack:
        item = stack.pop()
        if isinstance(item, Node):
            if item.pos:
                lines.append(item.pos[0])
            stack.extend(item.fields)
        elif isinstance(item, list | tuple):
            stack.extend(item)
    return min(lines)


def _oif(pos, branches, orelse):
    (test, body), rest = branches[0], branches[1:]
    if rest:
        orelse_form = [_oif((_first_line(rest[0][0]), 0), rest, orelse)]
    else:
        orelse_form = _body(orelse)
    return (pos, "If", _o(test), _body(body), orelse_form)


def _o(node):  # noqa: C901 - one branch per node kind
    if node is None:
        return None
    k, f = node.kind, node.fields
    pos = node.pos
    # statements
    if k == "expr":
        return (pos, "Expr", _o(f[0]))
    if k == "assign":
        return (pos, "Assign", _ol(f[0]), _o(f[1]))
    if k == "augassign":
        return (pos, "AugAssign", _o(f[0]), f[1], _o(f[2]))
    if k == "annassign":
        return (pos, "AnnAssign", _o(f[0]), _o(f[1]), _o(f[2]))
    if k in ("pass", "break", "continue"):
        return (pos, k.capitalize())
    if k == "return":
        return (pos, "Return", _o(f[0]))
    if k == "raise":
        return (pos, "Raise", _o(f[0]), _o(f[1]))
    if k in ("global", "nonlocal"):
        return (pos, k.capitalize(), list(f[0]))
    if k == "del":
        return (pos, "Delete", _ol(f[0]))
    if k == "assert":
        return (pos, "Assert", _o(f[0]), _o(f[1]))
    if k == "import_names":
        return (pos, "Import", list(f[0]))
    if k == "import_from":
        return (pos, "ImportFrom", f[0], None if f[1] is None else list(f[1]))
    if k == "if":
        return _oif(pos, f[0], f[1])
    if k == "while":
        return (pos, "While", _o(f[0]), _body(f[1]), [])
    if k == "while_else":
        return (pos, "While", _o(f[0]), _body(f[1]), _body(f[2]))
    if k == "for":
        return (pos, "For", _o(f[0]), _o(f[1]), _body(f[2]), [])
    if k == "for_else":
        return (pos, "For", _o(f[0]), _o(f[1]), _body(f[2]), _body(f[3]))
    if k == "with":
        return (pos, "With", [(_o(f[0]), None)], _body(f[1]))
    if k == "with_items":
        return (pos, "With", [(_o(c), _o(t)) for c, t in f[0]], _body(f[1]))
    if k == "try":
        handlers = [(h.pos[0], _o(h.fields[0]), h.fields[1], _body(h.fields[2]))
                    for h in f[1]]
        return (pos, "Try", _body(f[0]), handlers, _body(f[2]), _body(f[3]))
    if k == "def":
        return (pos, "FunctionDef", f[0], _oparams(f[1]), _body(f[3]), _ol(f[4]), _o(f[2]))
    if k == "class":
        return (pos, "ClassDef", f[0], _ol(f[1]), [(n, _o(v)) for n, v in f[2]],
                _body(f[3]), _ol(f[4]))
    # expressions
    if k == "const":
        return ("Constant", repr(f[0]))
    if k == "name":
        if f[0] in _CONSTANT_NAMES:
            return ("Constant", repr(_CONSTANT_NAMES[f[0]]))
        return ("Name", f[0])
    if k == "binop":
        return ("BinOp", _o(f[0]), f[1], _o(f[2]))
    if k == "unary":
        return ("UnaryOp", f[0], _o(f[1]))
    if k == "not":
        return ("UnaryOp", "not", _o(f[0]))
    if k in ("and", "or"):
        return ("BoolOp", k, _ol(f[0]))
    if k == "compare":
        return ("Compare", _o(f[0]), [(op, _o(x)) for op, x in f[1]])
    if k == "ternary":
        return ("IfExp", _o(f[0]), _o(f[1]), _o(f[2]))
    if k == "lambda":
        return ("Lambda", ("arguments", [], [(n, None) for n in f[0]], None, [], [], None, []),
                _o(f[1]))
    if k == "lambda_args":
        return ("Lambda", _oparams(f[0]), _o(f[1]))
    if k == "call":
        return ("Call", _o(f[0]), _ol(f[1]), [(n, _o(v)) for n, v in f[2]])
    if k == "getattr":
        return ("Attribute", _o(f[0]), f[1])
    if k == "getitem":
        return ("Subscript", _o(f[0]), _o(f[1]))
    if k == "slice":
        return ("Slice", _o(f[0]), _o(f[1]), _o(f[2]))
    if k == "starred":
        return ("Starred", _o(f[0]))
    if k in ("list", "tuple", "set"):
        return (k.capitalize(), _ol(f[0]))
    if k == "dict":
        return ("Dict", [(_o(a), _o(b)) for a, b in f[0]])
    if k in ("listcomp", "setcomp", "genexp"):
        name = {"listcomp": "ListComp", "setcomp": "SetComp", "genexp": "GeneratorExp"}[k]
        return (name, _o(f[0]), _ol(f[1]))
    if k == "dictcomp":
        return ("DictComp", _o(f[0]), _o(f[1]), _ol(f[2]))
    if k == "comp_for":
        return ("comprehension", _o(f[0]), _o(f[1]), _ol(f[2]))
    if k == "fstring":
        return ("JoinedStr", _ol(f[0]))
    if k == "fvalue":
        return ("FormattedValue", _o(f[0]), f[1], _o(f[2]))
    if k == "namedexpr":
        return ("NamedExpr", f[0], _o(f[1]))
    if k == "yield":
        return ("Yield", _o(f[0]))
    if k == "yield_from":
        return ("YieldFrom", _o(f[0]))
    raise AssertionError(f"no canonical form for {k}")


# ---- the corpus -----------------------------------------------------------------------
def _programs():
    for path in sorted(SAMPLES.rglob("*.py")):
        yield path.relative_to(SAMPLES).as_posix(), path.read_text(encoding="utf-8")
    for path in sorted(SAMPLES.rglob("*.ipynb")):
        nb = json.loads(path.read_text(encoding="utf-8"))
        for i, cell in enumerate(nb["cells"]):
            if cell["cell_type"] != "code":
                continue
            src = cell["source"]
            src = "".join(src) if isinstance(src, list) else src
            lines = ["" if line[:1] in ("%", "!") else line for line in src.split("\n")]
            yield f"{path.relative_to(SAMPLES).as_posix()}[{i}]", "\n".join(lines)


PROGRAMS = list(_programs())


def _elif_lines(tree: ast.AST, text: str) -> ast.AST:
    """CPython gives an ``elif``'s If the line of ``elif``; adcli's form uses its test's."""
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and len(node.orelse) == 1 and isinstance(
                node.orelse[0], ast.If):
            inner = node.orelse[0]
            line = text.split("\n")[inner.lineno - 1]
            if line.lstrip().startswith("elif"):
                inner.lineno = inner.test.lineno
                inner.col_offset = -1
    return tree


def _same(text: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tree = _elif_lines(ast.parse(text), text)
    expected = theirs(tree)
    assert ours(parse(text, dialect="py")) == expected


def test_the_corpus_is_there():
    assert len([p for p in PROGRAMS if not p[0].endswith("]")]) >= 40
    assert any(p[0].endswith("]") for p in PROGRAMS)


@pytest.mark.parametrize("text", [p[1] for p in PROGRAMS], ids=[p[0] for p in PROGRAMS])
def test_corpus_parses_as_cpython_does(text):
    _same(text)


# ---- random programs (hypothesis) --------------------------------------------------------
_NAMES = st.sampled_from(["a", "b", "x", "y", "total", "item"])
_ATOMS = st.one_of(
    _NAMES,
    st.integers(0, 10**6).map(str),
    st.floats(0, 1e6, allow_nan=False, allow_infinity=False).map(repr),
    st.text("abc xyz'\\n{}", max_size=6).map(repr),
    st.sampled_from(["True", "False", "None", "...", "0x1F", "1_000", "2j", "b'hi'",
                     "'a' 'b'", "r'\\d'", "'''tri\nple'''", "f'{a}'", "f'{a!r:>{b}}'",
                     "f'{x=}'", "f'{a:.2f} and {b!s}'", "u'u'"]),
)
_BINOPS = ["+", "-", "*", "/", "//", "%", "**", "@", "<<", ">>", "&", "|", "^", "and", "or",
           "<", "<=", "==", "!=", "in", "not in", "is", "is not", ">", ">="]


def _extend(children):
    return st.one_of(
        st.tuples(children, st.sampled_from(_BINOPS), children).map(
            lambda t: f"({t[0]} {t[1]} {t[2]})"),
        st.tuples(st.sampled_from(["-", "+", "~", "not "]), children).map(
            lambda t: f"({t[0]}{t[1]})"),
        st.tuples(children, children, children).map(lambda t: f"({t[0]} if {t[1]} else {t[2]})"),
        st.lists(children, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(children, max_size=3).map(lambda xs: "(" + ", ".join(xs) + ",)"),
        st.lists(children, min_size=1, max_size=3).map(lambda xs: "{" + ", ".join(xs) + "}"),
        st.lists(st.tuples(children, children), max_size=3).map(
            lambda kv: "{" + ", ".join(f"{k}: {v}" for k, v in kv) + "}"),
        st.tuples(children, _NAMES, children, children).map(
            lambda t: f"[{t[0]} for {t[1]} in {t[2]} if {t[3]}]"),
        st.tuples(children, _NAMES, children).map(
            lambda t: f"{{{t[1]}: {t[0]} for {t[1]} in {t[2]}}}"),
        st.tuples(children, _NAMES, children).map(lambda t: f"sum({t[0]} for {t[1]} in {t[2]})"),
        st.tuples(children, st.lists(children, max_size=2), _NAMES, children).map(
            lambda t: f"{t[0]}({', '.join(t[1])}{', ' if t[1] else ''}{t[2]}={t[3]}, *a, **b)"),
        st.tuples(children, _NAMES).map(lambda t: f"{t[0]}.{t[1]}"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}]"),
        st.tuples(children, children).map(lambda t: f"{t[0]}[{t[1]}:, ::2]"),
        st.tuples(_NAMES, children).map(lambda t: f"(lambda {t[0]}, *r, k=1, **kw: {t[1]})"),
        st.tuples(_NAMES, children).map(lambda t: f"({t[0]} := {t[1]})"),
    )


_EXPRS = st.recursive(_ATOMS, _extend, max_leaves=12)


def _indent(lines):
    return ["    " + line for line in lines]


def _stmts(depth: int):
    simple = st.one_of(
        _EXPRS,
        st.tuples(_NAMES, _EXPRS).map(lambda t: f"{t[0]} = {t[1]}"),
        st.tuples(_NAMES, _NAMES, _EXPRS).map(lambda t: f"{t[0]}, *{t[1]} = {t[2]}"),
        st.tuples(_NAMES, st.sampled_from(["+=", "^=", "<<=", "//="]), _EXPRS).map(
            lambda t: f"{t[0]} {t[1]} {t[2]}"),
        st.tuples(_NAMES, _EXPRS).map(lambda t: f"{t[0]}: int = {t[1]}"),
        st.tuples(_EXPRS, _EXPRS).map(lambda t: f"assert {t[0]}, {t[1]}"),
        _NAMES.map(lambda n: f"del {n}, {n}[0]"),
        st.sampled_from(["pass", "import a.b as c", "from m import (p, q as r)",
                         "from __future__ import annotations", "from x import *",
                         "raise ValueError('no') from None", "global g", "x: list"]),
    ).map(lambda s: [s])
    if depth == 0:
        return simple
    body = st.lists(_stmts(depth - 1), min_size=1, max_size=3).map(
        lambda bs: [line for b in bs for line in b])
    compound = st.one_of(
        st.tuples(_EXPRS, body, body).map(
            lambda t: [f"if {t[0]}:", *_indent(t[1]), "else:", *_indent(t[2])]),
        st.tuples(_EXPRS, body, body).map(
            lambda t: [f"if {t[0]}:", *_indent(t[1]), f"elif {t[0]}:", *_indent(t[2])]),
        st.tuples(_NAMES, _EXPRS, body, body).map(
            lambda t: [f"for {t[0]} in {t[1]}:", *_indent(t[2]), "else:", *_indent(t[3])]),
        st.tuples(_EXPRS, body).map(lambda t: [f"while {t[0]}:", *_indent(t[1]), "    break"]),
        st.tuples(_EXPRS, body).map(lambda t: [f"with {t[0]} as w, b:", *_indent(t[1])]),
        st.tuples(body, body).map(
            lambda t: ["try:", *_indent(t[0]), "except (A, B) as e:", *_indent(t[1]),
                       "except:", "    pass", "finally:", "    pass"]),
        st.tuples(_NAMES, body).map(
            lambda t: ["@dec", "@a.b(1)", f"def {t[0]}(p, /, q=1, *args, k: int = 2, **kw) -> T:",
                       '    """doc"""', *_indent(t[1]), "    return p"]),
        st.tuples(_NAMES, body).map(
            lambda t: [f"class {t[0].upper()}(Base, metaclass=M):",
                       "    def __init__(self):", "        super().__init__()", *_indent(t[1])]),
    )
    return st.one_of(simple, compound)


_PROGRAMS = st.lists(_stmts(2), min_size=1, max_size=4).map(
    lambda bs: "\n".join(line for b in bs for line in b) + "\n")


def _cpython_accepts(text: str) -> bool:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            compile(text, "<hypothesis>", "exec", dont_inherit=True)
        except SyntaxError:
            return False
    return True


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(_PROGRAMS)
def test_random_programs_parse_as_cpython_does(text):
    assume(_cpython_accepts(text))
    _same(text)


@settings(max_examples=300, deadline=None, suppress_health_check=list(HealthCheck))
@given(_EXPRS)
def test_random_expressions_parse_as_cpython_does(text):
    assume(_cpython_accepts(text))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = _t(ast.parse(text, mode="eval").body)
    assert _o(parse(text, "eval_input", dialect="py")) == expected

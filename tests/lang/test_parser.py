"""The grammar and the LALR driver: precedence, positions, errors, bounds."""

import pytest

from adcli.errors import AdcliSyntaxError, LimitError, TorchImportError
from adcli.lang import tables
from adcli.lang.parser import parse


def expr(text):
    return parse(text, "eval_input")


def shape(node):
    """A compact nested form of a tree, for comparisons."""
    if not hasattr(node, "kind"):
        if isinstance(node, list):
            return [shape(x) for x in node]
        if isinstance(node, tuple):
            return tuple(shape(x) for x in node)
        return node
    return (node.kind, *[shape(f) for f in node.fields])


def test_cached_tables_match_the_grammar():
    grammar, cached = tables.cached()
    assert grammar == tables.grammar_text(), (
        "grammars/adcli.lark changed: run `python -m adcli.lang.tables`"
    )
    fresh = tables.build(tables.grammar_text())
    assert cached["terminals"] == fresh["terminals"]
    assert cached["rules"] == fresh["rules"]
    assert len(cached["states"]) == len(fresh["states"])  # numbering varies per build


@pytest.mark.parametrize(
    "text, tree",
    [
        ("-2^2", ("unary", "-", ("binop", ("const", 2), "**", ("const", 2)))),
        ("2^3^2", ("binop", ("const", 2), "**", ("binop", ("const", 3), "**", ("const", 2)))),
        ("2**-1", ("binop", ("const", 2), "**", ("unary", "-", ("const", 1)))),
        ("1-2-3", ("binop", ("binop", ("const", 1), "-", ("const", 2)), "-", ("const", 3))),
        ("a+b*c", ("binop", ("name", "a"), "+", ("binop", ("name", "b"), "*", ("name", "c")))),
        ("a@b", ("binop", ("name", "a"), "@", ("name", "b"))),
        ("not a == b", ("not", ("compare", ("name", "a"), [("==", ("name", "b"))]))),
        ("x.grad is not None", ("compare", ("getattr", ("name", "x"), "grad"),
                                [("is not", ("name", "None"))])),
        ("(1,)", ("tuple", [("const", 1)])),
        ("()", ("tuple", [])),
        ("[1., 2.5e-3]", ("list", [("const", 1.0), ("const", 0.0025)])),
        ("'a' \"b\"", ("const", "ab")),
        ("x[:, 1:]", ("getitem", ("name", "x"), ("tuple", [("slice", None, None, None),
                                                           ("slice", ("const", 1), None, None)]))),
        ("x[..., ::2]", ("getitem", ("name", "x"),
                         ("tuple", [("const", Ellipsis), ("slice", None, None, ("const", 2))]))),
        ("f(1, dim=0)", ("call", ("name", "f"), [("const", 1)], [("dim", ("const", 0))])),
        ("a if c else b", ("ternary", ("name", "a"), ("name", "c"), ("name", "b"))),
        ("lambda a, b: a", ("lambda", ["a", "b"], ("name", "a"))),
    ],
)
def test_expression_trees(text, tree):
    assert shape(expr(text)) == tree


def test_positions_are_one_based_line_and_column():
    node = parse("x = 1\ny = x +  z\n")
    assign = node.fields[0][1]
    binop = assign.fields[1]
    assert binop.pos == (2, 7)
    assert binop.fields[2].pos == (2, 10)


def test_blocks_and_cells_of_statements():
    src = "if a:\n    b = 1\nelif c:\n    pass\nelse:\n    while d:\n        break\n"
    node = parse(src)
    (stmt,) = node.fields[0]
    assert stmt.kind == "if"
    assert len(stmt.fields[0]) == 2 and stmt.fields[1] is not None


def test_brackets_span_lines_and_comments_are_ignored():
    node = parse("x = f(1,\n      2)  # two args\n# a comment line\ny = 3\n")
    assert [s.kind for s in node.fields[0]] == ["assign", "assign"]


def test_semicolons_and_crlf_and_no_final_newline():
    node = parse("a = 1; b = 2\r\nc = 3")
    assert [s.kind for s in node.fields[0]] == ["assign", "assign", "assign"]


@pytest.mark.parametrize(
    "text, pos, words",
    [
        ("x = (1 + 2", (1, 5), "never closed"),
        ("x = 1 +", (1, 8), "unexpected end of line"),
        ("x = 'abc", (1, 5), "unterminated string"),
        ("x = 1 $ 2", (1, 7), "unexpected character"),
        ("x = ١", (1, 5), "not an ASCII digit"),
        ("async def f(x):\n    return x\n", (1, 1), "`async` is not part of the language"),
        ("x.__class__", (1, 3), "attributes starting with '_'"),
        ("__import__('os')", (1, 1), "names starting with '__'"),
        ("if x:\ny = 1\n", (2, 1), "indented block"),
        ("if x:\n    a = 1\n  b = 2\n", (3, 8), "unindent does not match"),
        ("x = 1\n    y = 2\n", (2, 4), "unexpected indent"),
        ("a\x00b", (1, 2), "NUL byte"),
        ("1 = x", (1, 1), "cannot assign"),
        ("f(a=1, 2)", (1, 8), "positional argument follows keyword"),
    ],
)
def test_syntax_errors_have_positions(text, pos, words):
    with pytest.raises(AdcliSyntaxError) as info:
        parse(text)
    assert info.value.pos == pos
    assert words in str(info.value)


def test_only_the_torch_imports_are_accepted():
    parse("import torch\nimport torch.nn.functional as F\nfrom torch.autograd import Variable\n")
    with pytest.raises(TorchImportError) as info:
        parse("import subprocess\n")
    assert info.value.pos == (1, 1)


@pytest.mark.parametrize("text", ["-" * 5000 + "1", "(" * 5000 + "1" + ")" * 5000,
                                  "2^" * 3000 + "2", "[" * 3000 + "]" * 3000])
def test_deep_nesting_is_a_limit_error_not_a_crash(text):
    with pytest.raises(LimitError) as info:
        parse(text, "eval_input", max_depth=200)
    assert info.value.pos is not None


def test_power_assignment_is_not_lexed_as_power():
    node = parse("y **= 2\nz = y ** 2\n")
    aug, assign = node.fields[0]
    assert aug.kind == "augassign" and aug.fields[1] == "**"
    assert assign.fields[1].fields[1] == "**"

"""unparse: an expression's tree back to text with only the parentheses it needs; the
text parses back to the same tree. substitute and to_latex, used by adcli explain."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.lang.parser import parse
from adcli.lang.unparse import substitute, to_latex, unparse


def tree(text: str):
    return parse(text, "eval_input", max_depth=200, dialect="py")


def shape(node):
    """A tree without positions, to compare two parses."""
    from adcli.lang.ast import Node

    if isinstance(node, Node):
        return (node.kind, tuple(shape(f) for f in node.fields))
    if isinstance(node, (list, tuple)):
        return tuple(shape(x) for x in node)
    return node


atoms = st.sampled_from(["x", "y", "w", "2", "0.5", "3"])
ops = st.sampled_from(["+", "-", "*", "/", "**", "@", "//", "%"])


def exprs():
    return st.recursive(
        atoms,
        lambda inner: st.one_of(
            st.tuples(inner, ops, inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})"),
            inner.map(lambda e: f"(-{e})"),
            inner.map(lambda e: f"exp({e})"),
            st.tuples(inner, inner).map(lambda t: f"({t[0]}).sum(dim={t[1]})"),
            inner.map(lambda e: f"({e})[0]"),
        ),
        max_leaves=12)


@settings(max_examples=300, deadline=None)
@given(exprs())
def test_unparse_parses_back_to_the_same_tree(text):
    t = tree(text)
    again = unparse(t, limit=10_000)
    assert shape(tree(again)) == shape(t), (text, again)


def test_only_needed_parentheses():
    assert unparse(tree("3*(x+2)**2")) == "3 * (x + 2) ** 2"
    assert unparse(tree("(-x)**2")) == "(-x) ** 2"
    assert unparse(tree("a - (b - c)")) == "a - (b - c)"
    assert unparse(tree("(2**3)**2")) == "(2 ** 3) ** 2"
    assert unparse(tree("x.sum(dim=0, keepdim=True)")) == "x.sum(dim=0, keepdim=True)"


def test_substitute_folds_numbers():
    f = tree("grad * exponent * self ** (exponent - 1)")
    out = substitute(f, {"self": tree("x + 2"), "exponent": tree("2")})
    assert unparse(out) == "grad * 2 * (x + 2)"
    assert unparse(substitute(tree("grad * -alpha"), {"alpha": tree("1")})) == "grad * -1"


def test_latex():
    assert to_latex(tree("3*(x+2)**2")) == "3 \\cdot {\\left(x + 2\\right)}^{2}"
    assert to_latex(tree("a / b")) == "\\frac{a}{b}"
    assert to_latex(tree("sqrt(x)")) == "\\sqrt{x}"
    assert to_latex(tree("w.T")) == "{w}^{\\top}"

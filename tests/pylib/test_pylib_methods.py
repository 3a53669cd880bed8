"""Methods of str, list, dict, set, frozenset and tuple against CPython's own."""

from __future__ import annotations

import copy

import pytest

from adcli.lang.pylib import (
    DICT_METHODS,
    FROZENSET_METHODS,
    LIST_METHODS,
    SET_METHODS,
    STR_METHODS,
    TUPLE_METHODS,
)
from adcli.lang.pylib.hooks import Hooks
from adcli.lang.pylib.methods import make_str_methods

from .util import outcome, same

STR_CASES = [
    ("join", " a b ", (["x", "y"],)), ("join", ",", ("abc",)), ("join", ",", ([1, 2],)),
    ("join", "", ([],)), ("split", "a b  c", ()), ("split", "a,b,,c", (",",)),
    ("split", "a,b,c", (",", 1)), ("split", "abc", ("",)), ("rsplit", "a,b,c", (",", 1)),
    ("rsplit", " a b ", ()), ("splitlines", "a\nb\r\nc", ()), ("splitlines", "a\nb", (True,)),
    ("strip", "  a  ", ()), ("strip", "xxaxx", ("x",)), ("lstrip", "  a ", ()),
    ("rstrip", " a  ", ()), ("replace", "aaa", ("a", "b")), ("replace", "aaa", ("a", "b", 2)),
    ("replace", "abc", ("", "-")), ("replace", "abc", ("", "-", 2)), ("replace", "a", (1, "b")),
    ("upper", "aßc", ()), ("lower", "ABC", ()), ("title", "hello world", ()),
    ("capitalize", "hELLO", ()), ("casefold", "Straße", ()), ("startswith", "abc", ("ab",)),
    ("startswith", "abc", (("x", "a"),)), ("endswith", "abc", ("bc",)), ("find", "abc", ("c",)),
    ("find", "abc", ("z",)), ("rfind", "abca", ("a",)), ("index", "abc", ("b",)),
    ("index", "abc", ("z",)), ("count", "banana", ("an",)), ("ljust", "ab", (5, "*")),
    ("rjust", "ab", (5,)), ("center", "ab", (7, "-")), ("zfill", "-42", (6,)),
    ("ljust", "ab", ("5",)), ("isdigit", "123", ()), ("isalpha", "ab1", ()),
    ("isalnum", "ab1", ()), ("isspace", " \t", ()), ("isupper", "AB", ()), ("islower", "ab", ()),
    ("isnumeric", "½", ()), ("isidentifier", "a_1", ()), ("partition", "a=b=c", ("=",)),
    ("rpartition", "a=b=c", ("=",)), ("expandtabs", "a\tb", ()), ("expandtabs", "a\tb", (4,)),
    ("swapcase", "aBc", ()), ("removeprefix", "abc", ("ab",)), ("removesuffix", "abc", ("bc",)),
    ("format", "{} {}", (1, 2)), ("format", "{0}{1}{0}", ("a", "b")),
    ("format", "{:>6.2f}|{:<4}|{:^5}|{:+d}", (3.14159, "ab", "c", 5)),
    ("format", "{0[1]} {0[0]}", ([1, 2],)), ("format", "{:{}}", ("x", 4)),
    ("format", "{!r} {!s} {!a}", ("a", "b", "é")), ("format", "{} {}", (1,)),
    ("format", "{0} {}", (1, 2)), ("format", "{} {0}", (1, 2)), ("format", "{", ()),
    ("format", "}", ()), ("format", "{:,}", (1234567,)), ("format", "{:x}", ("s",)),
    ("format", "{{}} {}", (1,)), ("format", "{0!z}", (1,)),
]


@pytest.mark.parametrize("name, s, args", STR_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(STR_CASES)])
def test_str_methods(name, s, args):
    same(STR_METHODS[name](s), getattr(s, name), *args)


def test_str_format_keywords_and_map():
    fmt = STR_METHODS["format"]
    assert fmt("{a[k]} {b}")(a={"k": 1}, b=2) == "{a[k]} {b}".format(a={"k": 1}, b=2)
    assert outcome(fmt("{x}")) == ("KeyError", "'x'")
    fm = STR_METHODS["format_map"]
    assert fm("{a}-{b}")({"a": 1, "b": 2}) == "1-2"
    assert outcome(fm("{0}"), {})[0] == "ValueError"


def test_str_format_uses_the_hooks():
    seen = []

    def get_attribute(obj, name):
        seen.append(name)
        if name == "real":
            return 3.14159
        from adcli.errors import TorchAttributeError

        raise TorchAttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")

    hooks = Hooks(get_attribute=get_attribute, to_str=lambda o: f"S<{o}>",
                  to_repr=lambda o: f"R<{o}>", format_value=lambda o, spec: f"F<{o}|{spec}>")
    fmt = make_str_methods(hooks)["format"]
    assert fmt("{0.real:.2f} {0!s} {0!r}")(1) == "F<3.14159|.2f> F<S<1>|> F<R<1>|>"
    assert seen == ["real"]


LIST_CASES = [
    ("append", [1], (2,)), ("extend", [1], ([2, 3],)), ("extend", [1], ("ab",)),
    ("insert", [1, 3], (1, 2)), ("pop", [1, 2], ()), ("pop", [1, 2], (0,)), ("pop", [], ()),
    ("remove", [1, 2, 1], (1,)), ("remove", [1], (5,)), ("clear", [1], ()),
    ("index", [1, 2], (2,)), ("index", [1], (9,)), ("count", [1, 1, 2], (1,)),
    ("reverse", [1, 2, 3], ()), ("copy", [1, [2]], ()), ("sort", [3, 1, 2], ()),
    ("sort", [1, "a"], ()), ("extend", [1], (5,)),
]


@pytest.mark.parametrize("name, value, args", LIST_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(LIST_CASES)])
def test_list_methods(name, value, args):
    ours, theirs = copy.deepcopy(value), copy.deepcopy(value)
    same(LIST_METHODS[name](ours), getattr(theirs, name), *args)
    assert ours == theirs


def test_list_sort_keywords():
    a, b = ["b", "A", "c"], ["b", "A", "c"]
    LIST_METHODS["sort"](a)(key=str.lower, reverse=True)
    b.sort(key=str.lower, reverse=True)
    assert a == b


DICT_CASES = [
    ("keys", (), ), ("values", ()), ("items", ()), ("get", ("a",)), ("get", ("z", 0)),
    ("pop", ("a",)), ("pop", ("z",)), ("pop", ("z", 1)), ("popitem", ()),
    ("setdefault", ("z", 5)), ("setdefault", ("a", 5)), ("update", ({"c": 3},)),
    ("update", ([("d", 4)],)), ("clear", ()), ("copy", ()), ("fromkeys", ("xy", 0)),
    ("update", ([1],)),
]


@pytest.mark.parametrize("name, args", DICT_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(DICT_CASES)])
def test_dict_methods(name, args):
    ours, theirs = {"a": 1, "b": 2}, {"a": 1, "b": 2}
    a = outcome(DICT_METHODS[name](ours), *args)
    b = outcome(getattr(theirs, name), *args)
    def norm(r):
        views = r[0] == "ok" and type(r[1]).__name__.startswith("dict_")
        return (r[0], list(r[1])) if views else r

    assert norm(a) == norm(b) and ours == theirs


def test_dict_update_keywords_and_popitem_empty():
    d = {}
    DICT_METHODS["update"](d)({"a": 1}, b=2)
    assert d == {"a": 1, "b": 2}
    assert outcome(DICT_METHODS["popitem"]({}))[0] == "KeyError"


SET_CASES = [
    ("add", (3,)), ("remove", (1,)), ("remove", (9,)), ("discard", (9,)), ("pop", ()),
    ("clear", ()), ("union", ([3, 4], (5,))), ("intersection", ([2, 3],)),
    ("difference", ({2},)), ("symmetric_difference", ([2, 3],)), ("issubset", ([1, 2, 3],)),
    ("issuperset", ([1],)), ("isdisjoint", ("ab",)), ("update", ([7], [8])), ("copy", ()),
    ("intersection_update", ([1],)), ("difference_update", ([1],)),
    ("symmetric_difference_update", ([1, 5],)), ("union", (5,)),
]


@pytest.mark.parametrize("name, args", SET_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(SET_CASES)])
def test_set_methods(name, args):
    ours, theirs = {1, 2}, {1, 2}
    same(SET_METHODS[name](ours), getattr(theirs, name), *args)
    assert ours == theirs
    if name in FROZENSET_METHODS:
        f = frozenset({1, 2})
        same(FROZENSET_METHODS[name](f), getattr(f, name), *args)


@pytest.mark.parametrize("name, args", [("index", (2,)), ("index", (9,)), ("count", (1,))])
def test_tuple_methods(name, args):
    t = (1, 2, 1)
    same(TUPLE_METHODS[name](t), getattr(t, name), *args)


def test_bound_method_repr():
    assert repr(STR_METHODS["join"](" ")).startswith("<built-in method join of str object")
    assert repr(STR_METHODS["upper"]("a")).startswith("<built-in method upper of str object")


def test_unbound_type_attributes(rt):
    b = rt.builtins
    assert rt.attribute(b["str"], "join")("-", ["a", "b"]) == "a-b"
    assert rt.attribute(b["str"], "upper")("a") == "A"
    assert rt.attribute(b["dict"], "fromkeys")("ab", 1) == {"a": 1, "b": 1}
    assert outcome(rt.attribute(b["str"], "upper"), 5)[0] == "TypeError"
    assert outcome(rt.attribute, b["str"], "mro")[0] == "AttributeError"
    assert outcome(rt.attribute, b["int"], "__subclasses__")[0] == "AttributeError"


def test_keyword_arguments_named_like_our_parameters(rt):
    """``'{self}'.format(self=1)``, ``d.update(d=1)``, ``dict(self=1)`` work as in Python."""
    assert STR_METHODS["format"]("{self}{s}")(self=1, s=2) == "12"
    d = {}
    DICT_METHODS["update"](d)(d=1, self=2)
    assert d == {"d": 1, "self": 2}
    assert rt.builtins["dict"](self=1) == {"self": 1}
    c = rt.modules["collections"]["Counter"]()
    rt.attribute(c, "update")(c=2, self=1)
    assert c == {"c": 2, "self": 1}
    P = rt.modules["collections"]["namedtuple"]("P", "cls self")
    p = P(cls=1, self=2)
    assert rt.attribute(p, "_replace")(self=3) == (1, 3)

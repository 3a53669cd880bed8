"""Every builtin of .py mode against CPython's own on the same inputs."""

from __future__ import annotations

import builtins

import pytest

from adcli.lang.pylib import PY_BUILTINS
from adcli.lang.pylib.pybuiltins import make_builtins, type_of

from .util import outcome, same

B = PY_BUILTINS
CASES = [
    ("map", (lambda x: x * 2, [1, 2, 3])),
    ("map", (lambda a, b: a + b, [1, 2], (10, 20, 30))),
    ("filter", (None, [0, 1, "", "a", None])),
    ("filter", (lambda x: x > 1, range(5))),
    ("sorted", ([3, 1, 2],)),
    ("sorted", ("hello",)),
    ("sorted", ([1, "a"],)),
    ("reversed", ([1, 2, 3],)),
    ("reversed", (range(4),)),
    ("reversed", ({1: 2, 3: 4},)),
    ("reversed", ({1, 2},)),
    ("sum", ([1, 2, 3],)),
    ("sum", ([0.1] * 10,)),
    ("sum", ([[1], [2, 3]], [])),
    ("sum", (((1,), (2,)), ())),
    ("sum", (["a", "b"], "")),
    ("sum", (range(10), 5)),
    ("min", ([3, 1, 2],)),
    ("min", (3, 1, 2)),
    ("min", ([],)),
    ("max", ("hello",)),
    ("max", (1, 2.5, 2)),
    ("max", ([],)),
    ("abs", (-3,)), ("abs", (-2.5,)), ("abs", ("x",)),
    ("round", (2.5,)), ("round", (3.5,)), ("round", (0.125, 2)), ("round", (1234, -2)),
    ("round", (2.675, 2)), ("round", (-0.5,)), ("round", (7, None)), ("round", ("x",)),
    ("id", (None,)),
    ("repr", ("a'b",)), ("repr", ([1, "x"],)),
    ("iter", ([1, 2],)),
    ("any", ([0, "", 1],)), ("any", ([],)), ("all", ([1, 0],)), ("all", ([],)),
    ("divmod", (7, 2)), ("divmod", (-7, 2)), ("divmod", (7.5, 2)), ("divmod", (1, 0)),
    ("pow", (2, 10)), ("pow", (2, -1)), ("pow", (3, 4, 5)), ("pow", (2.0, 0.5)),
    ("pow", (0, -1)), ("pow", (3, -1, 7)),
    ("format", (3.14159, ".2f")), ("format", (42, ">8")), ("format", (255, "x")),
    ("format", ("ab", "^6")), ("format", (1234567, ",")), ("format", (0.5, "%")),
    ("format", (1, "q")),
    ("len", ([1, 2],)), ("len", ("abc",)), ("len", (5,)),
    ("chr", (65,)), ("chr", (0x110000,)), ("ord", ("é",)), ("ord", ("ab",)),
    ("hex", (255,)), ("oct", (8,)), ("bin", (-5,)), ("hex", (1.5,)),
    ("hash", ((1, 2),)), ("hash", ([1],)), ("callable", (len,)), ("callable", (3,)),
    ("ascii", ("é",)),
]


@pytest.mark.parametrize("name, args", CASES, ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)])
def test_builtin_matches_cpython(name, args):
    ours, theirs = B[name], getattr(builtins, name)
    a = outcome(ours, *args)
    b = outcome(theirs, *args)
    if a[0] == "ok" and not isinstance(a[1], str | int | float | bool | list | tuple):
        a, b = ("ok", list(a[1])), ("ok", list(b[1]))  # lazy iterators: compare items
    assert a == b


@pytest.mark.parametrize("name, args, kwargs", [
    ("sorted", (["b", "A", "c"],), {"key": str.lower}),
    ("sorted", ([1, 2, 3],), {"reverse": True}),
    ("sorted", ([(1, "b"), (1, "a"), (0, "z")],), {"key": lambda t: t[0]}),
    ("min", (["aaa", "b", "cc"],), {"key": len}),
    ("max", ([],), {"default": "none"}),
    ("max", ([1, 5, 3],), {"key": lambda x: -x}),
    ("min", (1, 2), {"default": 0}),
    ("sum", ([1, 2],), {"start": 10}),
])
def test_builtin_keywords(name, args, kwargs):
    same(B[name], getattr(builtins, name), *args, **kwargs)


@pytest.mark.parametrize("name, args", [
    ("int", ("42",)), ("int", ("ff", 16)), ("int", (3.9,)), ("int", ("x",)), ("int", ()),
    ("float", ("1.5",)), ("float", ("inf",)), ("float", ("x",)), ("bool", ([],)),
    ("str", (1.5,)), ("str", ()), ("list", ("abc",)), ("list", (range(3),)),
    ("tuple", ([1, 2],)), ("dict", ([("a", 1)],)), ("dict", ({"a": 1},)),
    ("set", ([1, 1, 2],)), ("frozenset", ("aab",)), ("dict", ([1],)),
    ("range", (1, 10, 3)), ("complex", (1, 2)), ("bytes", (3,)), ("bytes", ([65, 66],)),
    ("slice", (1, 5)),
])
def test_constructors_match_cpython(name, args):
    same(B[name], getattr(builtins, name), *args)


def test_dict_keywords_and_mapping():
    assert B["dict"](a=1, b=2) == dict(a=1, b=2)
    assert B["dict"]([("a", 1)], b=2) == {"a": 1, "b": 2}


def test_types_print_and_compare_as_python():
    for value, name in [(1, "int"), (1.0, "float"), ("", "str"), (True, "bool"), ([], "list"),
                        ((), "tuple"), ({}, "dict"), (set(), "set"), (frozenset(), "frozenset"),
                        (None, "NoneType"), (range(1), "range"), (b"", "bytes")]:
        t = B["type"](value)
        assert repr(t) == repr(type(value)) == f"<class '{name}'>"
    assert B["type"](1) is B["int"] and B["type"]("") is B["str"]
    assert B["type"](1) == B["int"] and B["type"](1) != B["float"]
    assert repr(B["type"](B["int"])) == "<class 'type'>"
    assert repr(B["type"](len)) == "<class 'builtin_function_or_method'>"
    assert outcome(B["type"], "a", (), {})[0] == "TypeError"
    assert B["int"].__name__ == "int"


def test_isinstance_issubclass():
    isinstance_, issubclass_ = B["isinstance"], B["issubclass"]
    for obj, ci in [(1, "int"), (True, "int"), (1, "float"), ("a", "str"), ([], "list"),
                    ({}, "dict"), (1.0, ("int", "float")), (None, "object")]:
        info = tuple(B[c] for c in ci) if isinstance(ci, tuple) else B[ci]
        real = tuple(getattr(builtins, c) for c in ci) if isinstance(ci, tuple) \
            else getattr(builtins, ci)
        assert isinstance_(obj, info) == isinstance(obj, real)
    assert issubclass_(B["bool"], B["int"]) and not issubclass_(B["int"], B["bool"])
    assert outcome(isinstance_, 1, 5) == ("TypeError", "isinstance() arg 2 must be a type, "
                                          "a tuple of types, or a union")
    hooks_called = []
    from adcli.lang.pylib.hooks import Hooks

    class UserClass:  # what the interpreter's class objects might be
        pass

    def check(obj, cls):
        hooks_called.append(cls)
        return cls is UserClass and obj == "u"

    isinstance2 = make_builtins(Hooks(instancecheck=check))["isinstance"]
    assert isinstance2("u", UserClass) is False  # a real Python type: checked directly
    marker = object()
    assert isinstance2("u", marker) is False and hooks_called == [marker]


def test_getattr_hasattr_setattr_use_the_resolver_only():
    calls = []

    def get_attribute(obj, name):
        calls.append(name)
        if name == "real":
            return 5
        from adcli.errors import TorchAttributeError

        raise TorchAttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")

    from adcli.lang.pylib.hooks import Hooks

    b = make_builtins(Hooks(get_attribute=get_attribute,
                            set_attribute=lambda o, n, v: calls.append(("set", n, v))))
    assert b["getattr"](1, "real") == 5
    assert b["getattr"](1, "__class__", "dflt") == "dflt"
    assert outcome(b["getattr"], 1, "__class__")[0] == "AttributeError"
    assert b["hasattr"](1, "real") and not b["hasattr"](1, "__globals__")
    b["setattr"](1, "x", 2)
    assert calls == ["real", "__class__", "__class__", "real", "__globals__", ("set", "x", 2)]
    assert outcome(b["getattr"], 1, 5)[0] == "TypeError"
    # the closed default: nothing is reachable
    assert outcome(B["getattr"], "x", "upper")[0] == "AttributeError"
    assert not B["hasattr"]((), "__class__")


def test_next_iter_and_lazy_builtins():
    it = B["iter"]([1, 2])
    assert B["next"](it) == 1 and B["next"](it) == 2 and B["next"](it, "end") == "end"
    assert outcome(B["next"], it)[0] == "StopIteration"
    assert list(B["zip"]([1, 2], "ab")) == [(1, "a"), (2, "b")]
    assert list(B["enumerate"]("ab", 1)) == [(1, "a"), (2, "b")]
    counter = iter(range(10**18))
    m = B["map"](lambda x: x, counter)
    assert next(m) == 0  # lazy: nothing consumed ahead


def test_absent_builtins():
    from adcli.lang.pylib import ABSENT_BUILTINS

    for name in ("open", "eval", "exec", "compile", "globals", "__import__", "input"):
        assert name in ABSENT_BUILTINS and name not in B


def test_type_of_library_values():
    import itertools

    assert repr(type_of(itertools.chain())) == "<class 'itertools.chain'>"

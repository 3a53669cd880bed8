# ruff: noqa: UP006, UP007, UP035, UP045
"""Every module member against the real stdlib on the same inputs."""

from __future__ import annotations

import collections
import functools
import itertools
import math
import random
import time
import typing

import pytest

from adcli.lang.pylib import AVAILABLE_MODULES, make_modules, module_not_found

from .util import outcome, same

M = make_modules()

MATH_ARGS = {
    "sqrt": [(4,), (2.0,), (-1,)], "exp": [(1,), (1000,)], "exp2": [(3,)],
    "log2": [(8,)], "log10": [(1000,)], "log1p": [(1e-9,)], "expm1": [(1e-9,)],
    "sin": [(1,)], "cos": [(1,)], "tan": [(1,)], "asin": [(0.5,), (2,)], "acos": [(0.5,)],
    "atan": [(1,)], "atan2": [(1, 2)], "sinh": [(1,)], "cosh": [(1,)], "tanh": [(1,)],
    "asinh": [(1,)], "acosh": [(2,)], "atanh": [(0.5,)], "pow": [(2, 0.5), (0, -1)],
    "fabs": [(-2,)], "floor": [(2.5,), (-2.5,), (float("inf"),)], "ceil": [(2.1,)],
    "trunc": [(-2.7,)], "isclose": [(1.0, 1.0 + 1e-10)], "isfinite": [(1.0,)],
    "isinf": [(float("inf"),)], "isnan": [(float("nan"),)], "gcd": [(12, 18), (0, 0)],
    "hypot": [(3, 4)], "dist": [((0, 0), (3, 4))], "degrees": [(math.pi,)],
    "radians": [(180,)], "copysign": [(1, -0.0)], "fmod": [(7, 3), (1, 0)],
    "modf": [(2.5,)], "frexp": [(8.0,)], "ldexp": [(1.0, 3)], "erf": [(0.5,)],
    "erfc": [(0.5,)], "gamma": [(5,), (0,)], "lgamma": [(10,)], "isqrt": [(17,), (-1,)],
    "remainder": [(7, 3)], "nextafter": [(1, 2)], "ulp": [(1.0,)], "cbrt": [(27,)],
    "factorial": [(5,), (0,), (-1,), (5.0,), (100,)], "comb": [(10, 3), (5, 9), (-1, 2),
                                                            (4000, 2000)],
    "perm": [(5, 2), (5,), (5, 9)], "lcm": [(4, 6), (), (3, 5, 7)], "prod": [([1, 2, 3],),
                                                                          ([],)],
    "fsum": [([0.1] * 10,)], "log": [(math.e,), (8, 2), (0,), (100, 10)],
}


@pytest.mark.parametrize("name", sorted(MATH_ARGS))
def test_math_functions(name):
    if not hasattr(math, name):
        pytest.skip(f"math.{name} is newer than this Python")
    for args in MATH_ARGS[name]:
        same(M["math"][name], getattr(math, name), *args)


def test_math_covers_all_its_members_and_constants():
    table = M["math"]
    for name in ("pi", "e", "tau", "inf"):
        assert table[name] == getattr(math, name)
    assert math.isnan(table["nan"])
    missing = [n for n in MATH_ARGS if hasattr(math, n) and n not in table]
    assert not missing
    untested = [n for n in table if callable(table[n]) and n not in MATH_ARGS]
    assert not untested
    assert M["math"]["prod"]([2, 3], start=2) == math.prod([2, 3], start=2)


def test_math_domain_error_is_adclis_value_error():
    assert outcome(M["math"]["sqrt"], -1) == ("ValueError", "math domain error")


# ---- random -----------------------------------------------------------------------------
def _rand_calls(mod):
    out = []
    mod["seed"](1234)
    out.append(mod["random"]())
    out.append(mod["uniform"](1, 5))
    out.append(mod["randint"](1, 100))
    out.append(mod["randrange"](0, 100, 7))
    out.append(mod["choice"]("abcdef"))
    out.append(mod["choices"]([1, 2, 3], k=5))
    out.append(mod["choices"]("ab", weights=[1, 3], k=4))
    out.append(mod["sample"](range(100), 5))
    out.append(mod["sample"](["r", "g"], 3, counts=[2, 2]))
    x = list(range(10))
    mod["shuffle"](x)
    out.append(x)
    out.append(mod["gauss"](0, 1))
    out.append(mod["normalvariate"](0, 1))
    out.append(mod["lognormvariate"](0, 1))
    out.append(mod["expovariate"](2))
    out.append(mod["vonmisesvariate"](1, 2))
    out.append(mod["gammavariate"](2, 3))
    out.append(mod["betavariate"](2, 3))
    out.append(mod["paretovariate"](2))
    out.append(mod["weibullvariate"](1, 2))
    out.append(mod["triangular"](0, 1, 0.2))
    out.append(mod["getrandbits"](100))
    out.append(mod["randbytes"](5))
    state = mod["getstate"]()
    first = mod["random"]()
    mod["setstate"](state)
    out.append(first == mod["random"]())
    mod["seed"]("text")
    out.append(mod["random"]())
    return out


def test_random_is_cpythons_mersenne_twister():
    real = {n: getattr(random, n) for n in dir(random) if not n.startswith("_")}
    assert _rand_calls(M["random"]) == _rand_calls(real)


def test_random_state_is_per_session():
    a, b = make_modules(), make_modules()
    a["random"]["seed"](0)
    b["random"]["seed"](0)
    x = a["random"]["random"]()
    a["random"]["random"]()
    assert b["random"]["random"]() == x
    random.seed(0)
    assert random.random() == x


def test_random_errors_are_pythons():
    same(M["random"]["choice"], random.choice, [])
    same(M["random"]["sample"], random.sample, [1, 2], 3)
    same(M["random"]["randint"], random.randint, 5, 1)
    same(M["random"]["sample"], random.sample, {1, 2}, 1)
    same(M["random"]["seed"], random.seed, [1])


def test_random_instance(rt):
    r = rt.modules["random"]["Random"](42)
    ours = [rt.attribute(r, "random")(), rt.attribute(r, "getrandbits")(8)]
    ref = random.Random(42)
    assert ours == [ref.random(), ref.getrandbits(8)]


# ---- itertools ----------------------------------------------------------------------------
IT = M["itertools"]
ITER_CASES = [
    ("count", (5, 2), 4), ("cycle", ("ab",), 5), ("repeat", (7,), 3), ("repeat", (7, 2), None),
    ("accumulate", ([1, 2, 3],), None), ("accumulate", ([1, 2, 3], max), None),
    ("chain", ("ab", [1]), None), ("compress", ("abcd", [1, 0, 1]), None),
    ("dropwhile", (lambda x: x < 2, [1, 2, 0]), None),
    ("filterfalse", (lambda x: x % 2, range(6)), None),
    ("islice", ("abcdef", 1, 5, 2), None), ("islice", (range(10), 3), None),
    ("pairwise", ("abcd",), None), ("starmap", (pow, [(2, 3), (3, 2)]), None),
    ("takewhile", (lambda x: x < 3, [1, 2, 5, 1]), None),
    ("zip_longest", ("ab", "xyz"), None), ("product", ("ab", range(2)), None),
    ("permutations", ("abc", 2), None), ("permutations", ("abc",), None),
    ("combinations", ("abcd", 2), None), ("combinations_with_replacement", ("ab", 2), None),
    ("islice", ("ab", -1), None), ("combinations", ("ab", -1), None),
]


@pytest.mark.parametrize("name, args, take", ITER_CASES,
                         ids=[f"{c[0]}-{i}" for i, c in enumerate(ITER_CASES)])
def test_itertools(name, args, take):
    def run(fn):
        def go():
            it = fn(*args)
            return list(itertools.islice(it, take)) if take else list(it)
        return go

    same(run(IT[name]), run(getattr(itertools, name)))


def test_itertools_keywords_and_groupby_tee():
    assert list(IT["product"]("ab", repeat=2)) == list(itertools.product("ab", repeat=2))
    assert list(IT["accumulate"]([1, 2], initial=10)) == [10, 11, 13]
    assert list(IT["zip_longest"]("a", "xy", fillvalue="-")) == [("a", "x"), ("-", "y")]
    ours = [(k, list(g)) for k, g in IT["groupby"]("aabbbc")]
    assert ours == [(k, list(g)) for k, g in itertools.groupby("aabbbc")]
    ours = [(k, list(g)) for k, g in IT["groupby"]([1, 2, 4, 5], key=lambda x: x // 3)]
    assert ours == [(k, list(g)) for k, g in itertools.groupby([1, 2, 4, 5], lambda x: x // 3)]
    a, b = IT["tee"]("abc")
    assert next(a) == "a" and list(b) == ["a", "b", "c"] and list(a) == ["b", "c"]
    assert IT["tee"]("x", 0) == ()
    assert list(IT["chain"].from_iterable(["ab", "c"])) == ["a", "b", "c"]
    assert repr(IT["count"](3)) == repr(itertools.count(3))


# ---- functools ------------------------------------------------------------------------------
FT = M["functools"]


def test_functools(rt):
    same(FT["reduce"], functools.reduce, lambda a, b: a * b, [1, 2, 3, 4])
    same(FT["reduce"], functools.reduce, lambda a, b: a + b, [], 10)
    same(FT["reduce"], functools.reduce, lambda a, b: a + b, [])
    p = FT["partial"](pow, 2)
    assert p(10) == 1024 and rt.attribute(p, "args") == (2,)
    calls = []

    def fib(n):
        calls.append(n)
        return n if n < 2 else fib(n - 1) + fib(n - 2)

    fib = FT["lru_cache"](maxsize=None)(fib)
    assert fib(30) == 832040 and len(calls) == 31
    assert rt.attribute(fib, "cache_info")().hits == 28
    sq = FT["cache"](lambda x: x * x)
    assert sq(3) == 9
    bare = FT["lru_cache"](lambda x: x + 1)
    assert bare(1) == 2

    def wrapped():
        """doc"""

    def wrapper():
        pass

    FT["wraps"](wrapped)(wrapper)
    assert wrapper.__name__ == "wrapped" and wrapper.__doc__ == "doc"
    key = FT["cmp_to_key"](lambda a, b: b - a)
    assert sorted([1, 3, 2], key=key) == [3, 2, 1]

    @FT["total_ordering"]
    class V:
        def __init__(self, v):
            self.v = v

        def __eq__(self, o):
            return self.v == o.v

        def __lt__(self, o):
            return self.v < o.v

    assert V(2) >= V(1) and not V(1) > V(2)
    assert outcome(FT["total_ordering"], 5)[0] == "TypeError"


# ---- collections ---------------------------------------------------------------------------
C = M["collections"]


def test_collections_match_python(rt):
    assert C["Counter"]("abracadabra") == collections.Counter("abracadabra")
    c = C["Counter"]("abracadabra")
    assert rt.attribute(c, "most_common")(2) == collections.Counter("abracadabra").most_common(2)
    assert sorted(rt.attribute(c, "elements")()) == sorted(
        collections.Counter("abracadabra").elements())
    rt.attribute(c, "update")("zz")
    assert c["z"] == 2 and repr(C["Counter"](a=1)) == repr(collections.Counter(a=1))
    d = C["defaultdict"](rt.builtins["list"])
    d["x"].append(1)
    assert d == {"x": [1]}
    assert repr(d) == "defaultdict(<class 'list'>, {'x': [1]})"
    n = C["defaultdict"](rt.builtins["int"])
    n["a"] += 1
    assert n["a"] == 1
    od = C["OrderedDict"]([("a", 1), ("b", 2)])
    rt.attribute(od, "move_to_end")("a")
    assert repr(od) == repr(collections.OrderedDict([("b", 2), ("a", 1)]))
    dq = C["deque"]([1, 2, 3], maxlen=2)
    assert repr(dq) == repr(collections.deque([1, 2, 3], maxlen=2))
    rt.attribute(dq, "appendleft")(0)
    rt.attribute(dq, "extend")([9])
    ref = collections.deque([1, 2, 3], maxlen=2)
    ref.appendleft(0)
    ref.extend([9])
    assert list(dq) == list(ref) == [2, 9]
    dq2 = C["deque"]("abc")
    rt.attribute(dq2, "rotate")(1)
    assert list(dq2) == ["c", "a", "b"] and rt.attribute(dq2, "popleft")() == "c"
    cm = C["ChainMap"]({"a": 1}, {"a": 2, "b": 3})
    assert cm["a"] == 1 and cm["b"] == 3 and rt.attribute(cm, "maps")[1] == {"a": 2, "b": 3}
    assert repr(rt.builtins["type"](c)) == "<class 'collections.Counter'>"
    assert rt.builtins["isinstance"](c, rt.builtins["dict"])
    assert rt.builtins["isinstance"](c, C["Counter"])


def test_namedtuple_matches_python(rt):
    P = C["namedtuple"]("Point", ["x", "y"], defaults=[0])
    R = collections.namedtuple("Point", ["x", "y"], defaults=[0])
    for args, kwargs in [((1, 2), {}), ((1,), {}), ((), {"x": 3, "y": 4})]:
        p, r = P(*args, **kwargs), R(*args, **kwargs)
        assert repr(p) == repr(r) and p == r and tuple(p) == tuple(r)
        assert rt.attribute(p, "_asdict")() == r._asdict()
        assert rt.attribute(p, "_replace")(x=9) == r._replace(x=9)
        assert rt.attribute(p, "x") == r.x and rt.attribute(p, "_fields") == r._fields
    assert rt.attribute(P, "_make")([5, 6]) == R._make([5, 6])
    assert outcome(P, 1, 2, 3)[0] == "TypeError" and outcome(P)[0] == "TypeError"
    assert outcome(P, z=1)[0] == "TypeError"
    assert outcome(rt.attribute, P(1), "__class__")[0] == "AttributeError"
    assert outcome(rt.attribute, P(1), "count")[0] == "AttributeError"
    for bad in ("class", "1x", "a-b", "_x"):
        assert outcome(C["namedtuple"], "T", [bad])[0] == "ValueError"
    assert outcome(C["namedtuple"], "T", "a a")[0] == "ValueError"
    assert outcome(C["namedtuple"], "T", [f"f{i}" for i in range(1000)])[0] == "ValueError"
    Q = C["namedtuple"]("Q", "a, b", rename=True)
    assert repr(Q(1, 2)) == "Q(a=1, b=2)"
    assert repr(rt.builtins["type"](P(1))) == "<class '__main__.Point'>"


# ---- typing ---------------------------------------------------------------------------------
def test_typing_prints_as_typing(rt):
    T, b = M["typing"], rt.builtins
    cases = [
        (T["List"][b["int"]], typing.List[int]), (T["Dict"][b["str"], b["float"]],
                                                   typing.Dict[str, float]),
        (T["Tuple"][b["int"], ...], typing.Tuple[int, ...]),
        (T["Optional"][b["int"]], typing.Optional[int]), (T["Any"], typing.Any),
        (T["Callable"][[b["int"]], b["str"]], typing.Callable[[int], str]),
        (T["List"], typing.List), (T["Union"][b["int"], b["str"]], typing.Union[int, str]),
        (b["list"][b["int"]], list[int]), (T["TypeVar"]("T"), typing.TypeVar("T")),
        (T["Iterable"][b["int"]], typing.Iterable[int]),
    ]
    for ours, theirs in cases:
        assert repr(ours) == repr(theirs)
    assert T["cast"](b["int"], "x") == "x" and T["TYPE_CHECKING"] is False


# ---- copy, time, __future__ -----------------------------------------------------------------
def test_copy_matches_python():
    import copy

    cp = M["copy"]
    a = [1, [2, 3], {"k": (4, [5])}, {6}, frozenset([7]), "s", None]
    assert cp["deepcopy"](a) == copy.deepcopy(a)
    d = cp["deepcopy"](a)
    assert d[1] is not a[1] and d[2]["k"][1] is not a[2]["k"][1]
    s = cp["copy"](a)
    assert s == a and s is not a and s[1] is a[1]
    cyc = [1]
    cyc.append(cyc)
    c2 = cp["deepcopy"](cyc)
    assert c2[1] is c2 and c2 is not cyc
    shared = [1]
    pair = cp["deepcopy"]([shared, shared])
    assert pair[0] is pair[1] and pair[0] is not shared
    for v in (collections.Counter("aab"), collections.OrderedDict(a=1),
              collections.deque([1, 2], maxlen=3), collections.defaultdict(list, a=[1])):
        got = cp["deepcopy"](v)
        assert type(got) is type(v) and got == v and repr(got) == repr(copy.deepcopy(v))
    P = C["namedtuple"]("P", "x y")
    assert cp["deepcopy"](P([1], 2)) == P([1], 2)
    t = ([1], 2)
    assert cp["deepcopy"](t) == t and cp["deepcopy"](t)[0] is not t[0]
    f = len
    assert cp["deepcopy"]([f])[0] is f


def test_deepcopy_tensors_as_torch():
    from adcli.engine import api

    cp = M["copy"]
    x = api.tensor([1.0, 2.0], requires_grad=True)
    y = cp["deepcopy"](x)
    assert y is not x and y.requires_grad and y.is_leaf and y.tolist() == [1.0, 2.0]
    (x * 2).sum().backward()
    z = cp["deepcopy"]([x, x])
    assert z[0] is z[1] and z[0].grad.tolist() == [2.0, 2.0]
    k, msg = outcome(cp["deepcopy"], x * 2)
    assert k == "RuntimeError" and msg.startswith("Only Tensors created explicitly by the user")
    assert outcome(cp["copy"], x)[0] == "TypeError"


def test_time():
    tm = M["time"]
    for name in ("time", "perf_counter", "monotonic", "process_time"):
        a = tm[name]()
        assert isinstance(a, float) and abs(a - getattr(time, name)()) < 5
    assert isinstance(tm["time_ns"](), int)
    start = time.monotonic()
    tm["sleep"](0.01)
    assert time.monotonic() - start >= 0.009
    assert outcome(tm["sleep"], -1) == ("ValueError", "sleep length must be non-negative")
    assert outcome(tm["sleep"], "1")[0] == "TypeError"
    assert tm["strftime"]("%Y") == time.strftime("%Y")
    assert outcome(tm["strftime"], "%s")[0] == "ValueError"


def test_future():
    import __future__

    for name in ("annotations", "print_function", "division", "absolute_import"):
        assert M["__future__"][name] is getattr(__future__, name)


def test_available_and_not_found():
    assert set(M) == set(AVAILABLE_MODULES)
    assert module_not_found("shutil") == (
        "No module named 'shutil' (adcli can import: torch, numpy, math, random, itertools, "
        "functools, collections, typing, copy, time, sys, operator, string, statistics, json, "
        "warnings, dataclasses, pprint, textwrap, io, __future__, matplotlib, tqdm, "
        "contextlib, os, enum, re, abc, types, heapq, bisect, timeit, pathlib, logging, "
        "traceback, argparse, datetime, glob, csv, numbers)")

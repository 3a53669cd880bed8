"""Bombs and escapes through the runtime library: each ends in adcli's error at once,
without allocating its result (tracemalloc measures the peak)."""

from __future__ import annotations

import time
import tracemalloc

import pytest

from adcli.lang.pylib import DICT_METHODS, PY_BUILTINS, SET_METHODS, STR_METHODS, make_modules
from adcli.lang.pylib.hooks import Hooks
from adcli.lang.pylib.methods import make_str_methods

from .util import outcome

MB = 1 << 20
M = make_modules()
B = PY_BUILTINS
IT, S = M["itertools"], STR_METHODS


def _deep(n):
    x = []
    for _ in range(n):
        x = [x]
    return x


_HUGE_TEXT = "a " * (10**7 + 10)  # more words than the object bound

BOMBS = [
    ("ljust", lambda: S["ljust"]("a")(10**9), "LimitError"),
    ("rjust", lambda: S["rjust"]("a")(10**9, "x"), "LimitError"),
    ("center", lambda: S["center"]("a")(10**12), "LimitError"),
    ("zfill", lambda: S["zfill"]("1")(10**9), "LimitError"),
    ("format-width", lambda: S["format"]("{:>999999999}")(1), "LimitError"),
    ("format-precision", lambda: S["format"]("{:.999999999f}")(1.0), "LimitError"),
    ("format-nested-width", lambda: S["format"]("{:{}}")(1, 10**9), "LimitError"),
    ("format-many-fields", lambda: S["format"]("{0}" * 100_000)("a" * 10_000), "LimitError"),
    ("format-builtin", lambda: B["format"](1, ">999999999"), "LimitError"),
    ("replace-empty", lambda: S["replace"]("x" * 1000)("", "y" * 10**6), "LimitError"),
    ("replace-growth", lambda: S["replace"]("a" * 10**6)("a", "b" * 1000), "LimitError"),
    ("expandtabs", lambda: S["expandtabs"]("\t" * 10**6)(10**6), "LimitError"),
    ("join", lambda: S["join"](" ")(["a" * 10**6] * 10**3), "LimitError"),
    ("split-huge", lambda: S["split"](_HUGE_TEXT)(), "LimitError"),
    ("product-repeat", lambda: IT["product"](range(10**5), repeat=10**3), "LimitError"),
    ("product-repeat-only", lambda: IT["product"](repeat=10**9), "LimitError"),
    ("product-pools", lambda: IT["product"](range(10**7), range(10**7)), "LimitError"),
    ("permutations-r", lambda: IT["permutations"]("ab", 10**9), "LimitError"),
    ("combinations-r", lambda: IT["combinations"]("ab", 10**9), "LimitError"),
    ("cwr-r", lambda: IT["combinations_with_replacement"]("ab", 10**9), "LimitError"),
    ("tee-n", lambda: IT["tee"]([1], 10**9), "LimitError"),
    ("list-repeat", lambda: B["list"](IT["repeat"](0, 10**9)), "LimitError"),
    ("set-range", lambda: B["set"](range(10**9)), "LimitError"),
    ("dict-pairs", lambda: B["dict"](B["zip"](range(10**9), range(10**9))), "LimitError"),
    ("tuple-range", lambda: B["tuple"](range(10**12)), "LimitError"),
    ("bytes-size", lambda: B["bytes"](10**12), "LimitError"),
    ("sum-lists", lambda: B["sum"]([[0] * 10**5] * 10**4, []), "LimitError"),
    ("int-huge", lambda: B["int"]("9" * 4000), "LimitError"),
    ("pow-huge", lambda: B["pow"](2, 10**9), "LimitError"),
    ("factorial", lambda: M["math"]["factorial"](10**7), "LimitError"),
    ("comb", lambda: M["math"]["comb"](10**6, 5 * 10**5), "LimitError"),
    ("factorial-huge", lambda: M["math"]["factorial"](10**30), "LimitError"),
    ("comb-huge", lambda: M["math"]["comb"](10**30, 10**29), "LimitError"),
    ("comb-huge-small-k", lambda: M["math"]["comb"](10**3000, 3), "LimitError"),
    ("perm-huge", lambda: M["math"]["perm"](10**30, 10**29), "LimitError"),
    ("perm", lambda: M["math"]["perm"](10**6, 10**5), "LimitError"),
    ("prod-ints", lambda: M["math"]["prod"]([2**4000] * 1000), "LimitError"),
    ("lcm-many", lambda: M["math"]["lcm"](*range(1, 10**4)), "LimitError"),
    ("getrandbits", lambda: M["random"]["getrandbits"](10**9), "LimitError"),
    ("randbytes", lambda: M["random"]["randbytes"](10**10), "LimitError"),
    ("sample-k", lambda: M["random"]["sample"](range(10**12), 10**9), "LimitError"),
    ("choices-k", lambda: M["random"]["choices"]([1], k=10**9), "LimitError"),
    ("sleep", lambda: M["time"]["sleep"](10**6), "LimitError"),
    ("strftime", lambda: M["time"]["strftime"]("%Y" * 10**7), "LimitError"),
    ("fromkeys", lambda: DICT_METHODS["fromkeys"]({})(range(10**9)), "LimitError"),
    ("set-union-range", lambda: SET_METHODS["union"](set())(range(10**9)), "LimitError"),
    ("dict-update-range", lambda: DICT_METHODS["update"]({})(B["zip"](range(10**9), range(10**9))),
     "LimitError"),
    ("namedtuple-fields", lambda: M["collections"]["namedtuple"]("T", ["a"] * 10**6),
     "ValueError"),
    ("format-class", lambda: S["format"]("{0.__class__}")(1), "AttributeError"),
    ("format-globals", lambda: S["format"]("{0.__globals__}")(lambda: 0), "AttributeError"),
    ("format-import", lambda: S["format"]("{a[__import__]}")(a={}), "KeyError"),
    ("format-subclasses", lambda: S["format"]("{0.__class__.__subclasses__}")(()),
     "AttributeError"),
    ("format-map-class", lambda: S["format_map"]("{x.__class__}")({"x": 1}), "AttributeError"),
    ("format-nested-too-deep", lambda: S["format"]("{:{:{}}}")(1, 2, 3), "ValueError"),
    ("getattr-dunder", lambda: B["getattr"](1, "__class__"), "AttributeError"),
]


@pytest.mark.parametrize("make", [b[1] for b in BOMBS], ids=[b[0] for b in BOMBS])
def test_bomb_refused_quickly_without_allocating(make):
    kind = next(b[2] for b in BOMBS if b[1] is make)
    tracemalloc.start()
    start = time.process_time()
    try:
        got, msg = outcome(make)
    finally:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
    elapsed = time.process_time() - start
    assert got == kind, (got, msg)
    assert peak < 400 * MB, peak
    assert elapsed < 5, elapsed


def test_endless_iterators_stop_inside_c_loops(small_bounds):
    """sum/any/min/filter over an endless iterator end at the step bound."""
    for make in (lambda: B["sum"](IT["count"]()), lambda: B["any"](IT["repeat"](0)),
                 lambda: B["min"](IT["cycle"]([1])), lambda: B["all"](IT["repeat"](1)),
                 lambda: B["list"](B["filter"](None, IT["repeat"](0))),
                 lambda: next(IT["islice"](IT["count"](), 10**18, None)),
                 lambda: next(IT["dropwhile"](lambda x: True, IT["count"]())),
                 lambda: list(IT["chain"].from_iterable(IT["repeat"]([]))),
                 lambda: B["max"](range(10**18)), lambda: M["math"]["fsum"](IT["repeat"](1.0)),
                 lambda: M["functools"]["reduce"](lambda a, b: a, IT["count"]()),
                 lambda: M["collections"]["deque"](IT["count"](), maxlen=1)):
        start = time.process_time()
        assert outcome(make)[0] == "LimitError"
        assert time.process_time() - start < 5


def test_lazy_bombs_refused_after_the_bound(small_bounds):
    from adcli.lang.pylib.methods import LIST_METHODS, SET_METHODS

    for make in (lambda: IT["permutations"](IT["count"]()), lambda: B["list"](IT["count"]()),
                 lambda: B["sorted"](IT["repeat"](0)),
                 lambda: LIST_METHODS["extend"]([])(IT["count"]()),
                 lambda: SET_METHODS["isdisjoint"]({-1})(IT["count"]()),
                 lambda: M["collections"]["Counter"](IT["count"]()),
                 lambda: M["collections"]["deque"](IT["count"]()),
                 lambda: M["copy"]["deepcopy"]([[0] * 500 for _ in range(3)]),
                 lambda: S["split"]("a " * 2000)(),
                 lambda: B["dict"](IT["zip_longest"](IT["count"](), []))):
        start = time.process_time()
        assert outcome(make)[0] == "LimitError"
        assert time.process_time() - start < 2


def test_stores_are_bounded(small_bounds):
    a, b = IT["tee"](IT["count"]())
    assert outcome(lambda: [next(a) for _ in range(10**5)])[0] == "LimitError"
    c = IT["cycle"](IT["count"]())
    assert outcome(lambda: [next(c) for _ in range(10**5)])[0] == "LimitError"
    assert outcome(IT["product"], range(300), range(300))[0] == "ok"
    assert outcome(IT["product"], range(400), range(400), range(400))[0] == "LimitError"
    assert outcome(IT["product"], IT["repeat"](0, 400), "a" * 400, range(400))[0] == \
        "LimitError"


def test_deepcopy_deep_nesting_is_iterative():
    x = _deep(10**5)
    y = M["copy"]["deepcopy"](x)
    depth = 0
    while y:
        assert len(y) == 1
        y = y[0]
        depth += 1
    assert depth == 10**5


def test_sleep_budget_is_per_session():
    mods = make_modules()
    mods["time"]["sleep"](0.001)
    assert outcome(mods["time"]["sleep"], 10)[0] == "LimitError"
    assert outcome(make_modules()["time"]["sleep"], 0)[0] == "ok"


def test_format_fields_only_through_the_resolver():
    seen = []

    def get_attribute(obj, name):
        seen.append(name)
        from adcli.errors import TorchAttributeError

        raise TorchAttributeError(f"no attribute '{name}'")

    fmt = make_str_methods(Hooks(get_attribute=get_attribute))["format"]
    for field in ("{0.__class__}", "{0.__init__.__globals__}", "{0.real}", "{0._x}"):
        assert outcome(fmt(field), 1)[0] == "AttributeError"
    assert seen == ["__class__", "__init__", "real", "_x"]

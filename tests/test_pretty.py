"""A notebook cell's value is shown as Jupyter shows it: IPython's pretty printer.

Every expected text comes from IPython itself (``PlainTextFormatter``, what the kernel
puts in ``Out[n]``), recorded with real torch by tools/gen_pretty_fixtures.py in
tests/fixtures/pretty_*.json; IPython is not needed here. ``pretty_cases.json`` holds
notebook cells (long and nested containers, sets, 1-tuples, collections, classes,
functions, exceptions, tensors and arrays), run here through ``adcli``'s notebook path;
``pretty_random.json`` holds 300 random nested containers as literals.
"""

from __future__ import annotations

import ast
import json
import os
import re
import time

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli import programs
from adcli.limits import Limits
from adcli.pretty import MAX_DEPTH, pretty

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")
ADDRESS = re.compile(r" at 0x[0-9a-f]+")  # as the generator records an address
PRELUDE = ("import torch\nimport numpy as np\n"
           "from collections import Counter, OrderedDict, defaultdict, deque, namedtuple\n")

with open(os.path.join(FIXTURES, "pretty_cases.json"), encoding="utf-8") as _fh:
    CASES = json.load(_fh)
with open(os.path.join(FIXTURES, "pretty_random.json"), encoding="utf-8") as _fh:
    RANDOM = json.load(_fh)["cases"]

# cases where adcli shows something else than Jupyter, and why (strict: a fixed one fails)
NOT_YET: dict[str, str] = {}


def _cell(source: str) -> dict:
    return {"cell_type": "code", "source": source, "metadata": {}, "outputs": [],
            "execution_count": None}


def run_cells(*sources: str) -> tuple[str, str]:
    nb = {"cells": [_cell(s) for s in sources], "metadata": {}, "nbformat": 4,
          "nbformat_minor": 5}
    out: list[str] = []
    err: list[str] = []
    programs.run_notebook(json.dumps(nb).encode(), "n.ipynb", Limits(), out.append, err.append)
    return "".join(out), "".join(err)


def test_the_fixtures_are_there():
    assert len(CASES) >= 80 and len(RANDOM) == 300
    assert sum("\n" in c["expected"] for c in CASES) >= 40  # most cases wrap


@pytest.mark.parametrize(
    "case",
    [pytest.param(c, marks=pytest.mark.xfail(strict=True, reason=NOT_YET[c["name"]]))
     if c["name"] in NOT_YET else c for c in CASES],
    ids=[c["name"] for c in CASES],
)
def test_a_cell_shows_what_jupyter_shows(case):
    out, err = run_cells(PRELUDE, case["code"])
    assert "internal error" not in err, err
    assert ADDRESS.sub(" at 0x?", out) == case["expected"] + "\n", err


@pytest.mark.parametrize("index", range(len(RANDOM)))
def test_random_value_as_ipython_shows_it(index):
    case = RANDOM[index]
    assert pretty(ast.literal_eval(case["literal"])) == case["expected"]


def test_random_values_built_by_the_interpreter():
    out, err = run_cells(*(c["literal"] for c in RANDOM))
    assert err == ""
    assert out == "".join(c["expected"] + "\n" for c in RANDOM)


# ---- properties that need no IPython -----------------------------------------------------
_atoms = (st.integers(-10 ** 12, 10 ** 12) | st.floats(allow_nan=False, allow_infinity=False)
          | st.text(max_size=30) | st.booleans() | st.none())
_keys = st.integers(-1000, 1000) | st.text(max_size=12)
_values = st.recursive(
    _atoms,
    lambda inner: (st.lists(inner, max_size=12) | st.lists(inner, max_size=6).map(tuple)
                   | st.dictionaries(_keys, inner, max_size=8)
                   | st.sets(st.integers(-50, 50), max_size=12)
                   | st.frozensets(st.text(max_size=5), max_size=6)),
    max_leaves=60,
)


def _flat(value) -> str:
    return pretty(value, max_width=10 ** 9)


@settings(max_examples=300, deadline=None)
@given(_values)
def test_the_text_reads_back_as_the_value(value):
    text = pretty(value)
    assert eval(text, {"__builtins__": {}, "frozenset": frozenset, "set": set}) == value


@settings(max_examples=300, deadline=None)
@given(_values)
def test_wrapping_only_breaks_after_commas(value):
    text = pretty(value)
    flat = _flat(value)
    assert "\n" not in flat
    assert re.sub(r",\n *", ", ", text) == flat
    if len(flat) <= 79:
        assert text == flat


@settings(max_examples=200, deadline=None)
@given(st.recursive(_atoms, lambda inner: st.lists(inner, max_size=10)
                    | st.dictionaries(st.text(max_size=8), inner, max_size=6), max_leaves=40))
def test_without_sets_one_line_is_the_repr(value):
    assert _flat(value) == repr(value)


# ---- IPython's special forms and the bounds ----------------------------------------------
def test_one_tuple_empty_sets_and_cycles():
    assert pretty((1,)) == "(1,)"
    assert pretty(set()) == "set()" and pretty(frozenset()) == "frozenset()"
    assert pretty({3, 1, 2}) == "{1, 2, 3}"
    a: list = [1, 2]
    a.append(a)
    assert pretty(a) == "[1, 2, [...]]"
    d: dict = {"k": 1}
    d["me"] = d
    assert pretty(d) == "{'k': 1, 'me': {...}}"


def test_more_than_1000_items_end_with_dots():
    text = pretty(list(range(1500)))
    assert text.endswith(" 999,\n ...]") and text.count("\n") == 1000


def test_deep_nesting_is_cut_not_a_recursion_error():
    x: list = []
    for _ in range(100_000):
        x = [x]
    text = pretty(x)
    assert text.startswith("[" * (MAX_DEPTH - 1)) and "..." in text


def test_huge_values_are_bounded():
    big = [[list(range(1000))] * 1000] * 1000  # 10**9 items if shown in full
    start = time.perf_counter()
    text = pretty(big)
    assert time.perf_counter() - start < 20
    assert text.endswith("...]") and len(text) < 10_000_000


def test_py_programs_print_repr():
    long = "list(range(40))"
    out: list[str] = []
    programs.run_python(f"print({long})", "p.py", Limits(), out.append, lambda s: None)
    assert "".join(out) == repr(list(range(40))) + "\n"
    shown, _err = run_cells(long)
    assert shown == pretty(list(range(40))) + "\n" != "".join(out)

"""Python's scoping rule (a name bound anywhere in a function is local in all of it) and
CPython 3.11's "Did you mean" hints on the traceback's last line; CPython is the reference,
run on the same text."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.lang import suggestions
from tests.lang.pyrun import run_python
from tests.lang.test_classes import run

SCOPING = {
    "augmented_global": """
n = 1
def f():
    n += 1
try:
    f()
except UnboundLocalError as e:
    print(type(e).__name__, e, isinstance(e, NameError))
""",
    "read_then_assign": """
x = "global"
def f(flag):
    if flag:
        x = "local"
    return x
print(f(True))
try:
    f(False)
except NameError as e:
    print("NameError family:", type(e).__name__)
""",
    "closures_see_later_bindings": """
def outer():
    def inner():
        return value * 2
    value = 21
    return inner()
def counter():
    count = 0
    def bump():
        nonlocal count
        count += 1
        return count
    return bump
c = counter()
print(outer(), c(), c(), c())
""",
    "comprehensions_and_lambdas_inside_functions": """
def f(xs):
    total = sum(x for x in xs)
    scaled = [x / total for x in xs]
    pick = lambda i: scaled[i] + total
    best = max(range(len(xs)), key=lambda i: scaled[i])
    if (n := len(xs)) > 2:
        print("n =", n)
    return [round(s, 3) for s in scaled], pick(0), best, n
print(f([1, 2, 5]))
def g():
    x = 1
    return [x for x in range(3)], x
print(g())
""",
    "except_name_is_unbound_after_the_handler": """
def f():
    try:
        raise ValueError("v")
    except ValueError as err:
        print("caught", err)
    try:
        print(err)
    except NameError as e:
        print(type(e).__name__, e)
f()
""",
    "del_then_read": """
def f():
    v = [1]
    del v
    try:
        return v
    except UnboundLocalError as e:
        return str(e)
print(f())
""",
    "global_and_loop_variables": """
best = None
def track(xs):
    global best
    for i, x in enumerate(xs):
        if best is None or x > best:
            best = x
    return i
print(track([3, 9, 2]), best)
""",
    "generators_and_classes_in_functions": """
def make():
    scale = 3
    class Scaler:
        factor = scale
        def apply(self, x):
            return x * scale
    def gen(n):
        for i in range(n):
            yield Scaler().apply(i)
    scale = 4
    return list(gen(3)), Scaler.factor
print(make())
""",
}


@pytest.mark.parametrize("name", sorted(SCOPING))
def test_scoping_is_pythons(name):
    text = SCOPING[name]
    assert run(text) == run_python(text)


# ---- "Did you mean" -----------------------------------------------------------------------
HINTS = {
    "local": "def f(alpha, beta):\n    gamma = 1\n    return alph + gama\nf(1, 2)\n",
    "global": "learning_rate = 0.1\nprint(learning_rat)\n",
    "builtin": "print(lenn([1]))\n",
    "none": "print(zzzzzz)\n",
    "attribute": ("class Model:\n    def __init__(self):\n        self.weight = 1\n"
                  "print(Model().wieght)\n"),
    "class attribute": "class A:\n    def forward(self):\n        pass\nA.forwad\n",
    "module": "import math\nmath.sqr(2)\n",
    "tensor": "import torch\ntorch.ones(2).requires_gard\n",
    "tensor, too far": "import torch\ntorch.ones(2).gard\n",
    "functional": "import torch.nn.functional as F\nF.rellu\n",
    "torch, too many names": "import torch\ntorch.tensr(1)\n",
    "unbound local has none": "x = 1\ndef f():\n    print(x)\n    x = 2\nf()\n",
}


def _last_line(cmd: list[str], text: str, tmp_path) -> str:
    path = os.path.join(tmp_path, "prog.py")
    with open(path, "w") as fh:
        fh.write(text)
    done = subprocess.run(cmd + [path], capture_output=True, text=True, timeout=120,
                          env=dict(os.environ, NO_COLOR="1"), check=False)
    return done.stderr.strip().splitlines()[-1]


def _reference(text: str, tmp_path) -> str:
    if "torch" in text:
        torch_python = os.environ.get("ADCLI_TORCH_PYTHON", "/work/torchenv/bin/python")
        if not os.path.exists(torch_python):
            pytest.skip("needs torch: set ADCLI_TORCH_PYTHON")
        return _last_line([torch_python], text, tmp_path)
    return _last_line([sys.executable], text, tmp_path)


@pytest.mark.parametrize("name", sorted(HINTS))
def test_the_traceback_hint_is_cpythons(name, tmp_path, adcli_cmd):
    text = HINTS[name]
    assert _last_line([adcli_cmd, "run"], text, tmp_path) == _reference(text, tmp_path)


def test_str_of_the_error_has_no_hint():
    text = "total = 1\ntry:\n    totl\nexcept NameError as e:\n    print(e)\n"
    assert run(text) == run_python(text) == "name 'totl' is not defined\n"


_NAMES = st.text(alphabet="abcdeABCDE_", min_size=1, max_size=12)


@settings(max_examples=60, deadline=None)
@given(wrong=_NAMES, candidates=st.lists(_NAMES, min_size=1, max_size=8, unique=True))
def test_the_search_is_cpythons(wrong, candidates):
    """adcli's search against CPython's own hint: a program that binds ``candidates`` and
    then reads ``wrong``, run by CPython."""
    if wrong in candidates:
        return
    text = "".join(f"{c} = 0\n" for c in candidates) + f"{wrong}\n"
    done = subprocess.run([sys.executable, "-c", text], capture_output=True, text=True,
                          timeout=60, check=False)
    shown = done.stderr.strip().splitlines()[-1]
    expected = shown.split("Did you mean: '")[1][:-2] if "Did you mean" in shown else None
    assert suggestions.for_name(wrong, [], candidates) == expected

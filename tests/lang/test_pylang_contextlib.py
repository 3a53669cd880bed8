"""``contextlib``: ``@contextmanager`` generators, ``suppress`` and ``nullcontext`` in
``with`` statements print what CPython prints (the reference is CPython itself, run on
the same text), the block's error thrown in at the ``yield``."""

from __future__ import annotations

import pytest

from adcli.errors import AdcliError, LimitError
from adcli.lang.interpreter import Session
from adcli.limits import Limits
from tests.lang.pyrun import run_python


def run(text: str, limits: Limits | None = None) -> str:
    out: list[str] = []
    Session(limits=limits or Limits(), out=out.append, dialect="py").exec_source(text)
    return "".join(out)


SAME_AS_CPYTHON = {
    "contextmanager": """
from contextlib import contextmanager
@contextmanager
def managed(name):
    print("open", name)
    try:
        yield name.upper()
    except ValueError as e:
        print("handled", e)
    finally:
        print("close", name)
with managed("a") as v:
    print("body", v)
with managed("b"):
    raise ValueError("bad")
print("continued")
try:
    with managed("c"):
        raise KeyError("k")
except KeyError as e:
    print("propagated", repr(e))
def f():
    for i in range(3):
        with managed(str(i)):
            if i == 1:
                return i
print("returned", f())
with managed("x"):
    with managed("y"):
        raise ValueError("inner")
def gen():
    with managed("g"):
        yield 1
        yield 2
print(list(gen()))
""",
    "misbehaving_generators": """
import contextlib
@contextlib.contextmanager
def no_yield():
    if False:
        yield
try:
    with no_yield():
        pass
except RuntimeError as e:
    print("RE", e)
@contextlib.contextmanager
def two():
    yield 1
    yield 2
try:
    with two():
        pass
except RuntimeError as e:
    print("RE", e)
""",
    "suppress_and_nullcontext": """
from contextlib import suppress, nullcontext
with suppress(ZeroDivisionError, KeyError):
    1 / 0
print("suppressed")
try:
    with suppress(KeyError):
        [][1]
except IndexError as e:
    print("not suppressed:", e)
with nullcontext(5) as n:
    print("null", n)
with nullcontext():
    print("nothing")
""",
}


@pytest.mark.parametrize("name", list(SAME_AS_CPYTHON))
def test_prints_what_cpython_prints(name):
    text = SAME_AS_CPYTHON[name]
    assert run(text) == run_python(text)


def test_an_uncaught_error_leaves_through_the_generator():
    text = ("from contextlib import contextmanager\n@contextmanager\ndef m():\n"
            "    try:\n        yield\n    finally:\n        print('cleanup')\n"
            "with m():\n    raise TypeError('boom')\n")
    out: list[str] = []
    with pytest.raises(AdcliError) as info:
        Session(limits=Limits(), out=out.append, dialect="py").exec_source(text)
    assert info.value.kind == "TypeError" and info.value.message == "boom"
    assert "".join(out) == "cleanup\n"


def test_a_bound_is_not_thrown_into_the_generator():
    text = ("from contextlib import contextmanager\n@contextmanager\ndef m():\n"
            "    try:\n        yield\n    except BaseException:\n        print('caught')\n"
            "with m():\n    while True:\n        pass\n")
    out: list[str] = []
    with pytest.raises(LimitError):
        Session(limits=Limits(max_steps=10_000), out=out.append,
                dialect="py").exec_source(text)
    assert "caught" not in "".join(out)

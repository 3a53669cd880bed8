"""Python-language gaps found by running tutorial-style programs: each prints what CPython
prints (the reference is CPython itself, run on the same text)."""

from __future__ import annotations

import pytest

from adcli.lang.interpreter import Session
from adcli.limits import Limits
from tests.lang.pyrun import run_python


def run(text: str) -> str:
    out: list[str] = []
    Session(limits=Limits(), out=out.append, dialect="py").exec_source(text)
    return "".join(out)


SAME_AS_CPYTHON = {
    "exception_context_and_cause": """
class AppError(Exception):
    pass
def load():
    try:
        {}["x"]
    except KeyError as e:
        raise AppError("load failed") from e
try:
    load()
except AppError as e:
    print(e, repr(e.__cause__), repr(e.__context__))
try:
    try:
        1 / 0
    except ZeroDivisionError:
        raise ValueError("during")
except ValueError as e:
    print("context:", repr(e.__context__), e.__cause__)
try:
    raise ValueError("plain")
except ValueError as e:
    print(e.__context__, e.__cause__)
""",
    "generic_base_class": """
from typing import Generic, TypeVar, Protocol
T = TypeVar("T")
class Node(Generic[T]):
    def __init__(self, value, children=None):
        self.value = value
        self.children = children or []
    def walk(self):
        yield self.value
        for c in self.children:
            yield from c.walk()
class Sized(Protocol):
    def size(self) -> int:
        ...
tree = Node(1, [Node(2, [Node(4)]), Node(3)])
print(list(tree.walk()), isinstance(tree, Node))
""",
    "positional_only_passed_as_keywords": """
def f(a, b, c, /, d=1):
    return a
for kw in ({"c": 1, "a": 2, "b": 3}, {"b": 1}):
    try:
        f(1, 2, 3, **kw) if "a" not in kw else f(**kw)
    except TypeError as e:
        print(e)
""",
}


@pytest.mark.parametrize("name", list(SAME_AS_CPYTHON))
def test_prints_what_cpython_prints(name):
    text = SAME_AS_CPYTHON[name]
    assert run(text) == run_python(text)

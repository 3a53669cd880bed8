"""Generator functions (``yield``, ``yield from``, ``send``, ``return`` in a generator):
each program prints what CPython prints, and endless or deep ones stay bounded."""

from __future__ import annotations

import pytest

from adcli.errors import AdcliError, AdcliSyntaxError, LimitError
from adcli.lang.interpreter import Session
from adcli.limits import Limits
from tests.lang.pyrun import run_python


def run(text: str, limits: Limits | None = None) -> str:
    out: list[str] = []
    Session(limits=limits or Limits(), out=out.append, dialect="py").exec_source(text)
    return "".join(out)


SAME_AS_CPYTHON = {
    "simple_and_lazy": """
def count_up(n):
    print("start")
    i = 0
    while i < n:
        yield i
        i += 1
    print("end")
g = count_up(3)
print(type(g).__name__)
print(next(g), next(g))
print(list(g))
print(list(g), sum(count_up(4)), [x * x for x in count_up(3)])
""",
    "infinite_with_islice_and_zip": """
import itertools
def naturals():
    n = 0
    while True:
        yield n
        n += 1
def fib():
    a, b = 0, 1
    while True:
        yield a
        a, b = b, a + b
print(list(itertools.islice(fib(), 10)), list(zip("abc", naturals())))
for i, f in enumerate(fib()):
    if f > 50:
        print("first fib over 50:", i, f)
        break
""",
    "yield_from_and_recursion": """
def flatten(items):
    for item in items:
        if isinstance(item, list):
            yield from flatten(item)
        else:
            yield item
def chain(*its):
    for it in its:
        yield from it
def walk(tree, depth=0):
    name, children = tree
    yield "  " * depth + name
    for child in children:
        yield from walk(child, depth + 1)
print(list(flatten([1, [2, [3, [4, 5]], 6], [[7]]])))
print(list(chain(range(2), "ab", (x for x in [9]))))
print("\\n".join(walk(("loss", [("mean", [("pow", [("add", [("x", [])])])])]))))
""",
    "return_value_and_send": """
def averager():
    total, count = 0.0, 0
    average = None
    while True:
        value = yield average
        if value is None:
            return count
        total += value
        count += 1
        average = total / count
def delegate():
    n = yield from averager()
    print("averaged", n, "values")
    yield "done"
a = averager()
next(a)
print(a.send(10), a.send(20), a.send(0))
try:
    a.send(None)
except StopIteration as stop:
    print("StopIteration", stop.value, stop.args)
d = delegate()
next(d)
d.send(1)
d.send(3)
print(d.send(None))
""",
    "control_flow_inside": """
def pick(xs):
    for x in xs:
        if x < 0:
            continue
        if x > 100:
            break
        try:
            yield 10 / x
        except ZeroDivisionError:
            yield "inf"
        finally:
            print("after", x)
    else:
        yield "no break"
print(list(pick([1, -1, 0, 4])))
print(list(pick([5, 1000, 6])))
def guarded():
    try:
        yield 1
        yield 2
    finally:
        print("cleanup")
g = guarded()
print(next(g))
g.close()
print(list(guarded()))
""",
    "generators_in_classes": """
class Batches:
    def __init__(self, data, size):
        self.data, self.size = data, size
    def __iter__(self):
        for i in range(0, len(self.data), self.size):
            yield self.data[i:i + self.size]
    def __len__(self):
        return -(-len(self.data) // self.size)
    def pairs(self):
        it = iter(self)
        prev = next(it)
        for cur in it:
            yield prev, cur
            prev = cur
b = Batches(list(range(7)), 3)
print(len(b), list(b), [len(x) for x in b], list(b.pairs()))
print(max(b, key=sum), sorted(b, key=len)[0], dict(enumerate(b)))
""",
    "errors_from_generators": """
def checked(xs):
    for x in xs:
        if x == 0:
            raise ValueError(f"zero at position {xs.index(x)}")
        yield 1 / x
try:
    print(list(checked([1, 2, 0, 4])))
except ValueError as e:
    print("ValueError:", e)
g = checked([2])
print(next(g))
try:
    next(g)
except StopIteration:
    print("exhausted")
print(next(g, "default"))
def gen_with_return():
    yield 1
    return "result"
print(list(gen_with_return()))
""",
}


@pytest.mark.parametrize("name", sorted(SAME_AS_CPYTHON))
def test_prints_what_cpython_prints(name):
    text = SAME_AS_CPYTHON[name]
    assert run(text) == run_python(text)


def test_yield_outside_a_function_is_a_syntax_error():
    with pytest.raises(AdcliSyntaxError, match="'yield' outside function"):
        run("yield 1\n")


def test_yield_inside_an_expression_is_refused_clearly():
    with pytest.raises(AdcliSyntaxError, match="inside an expression is not supported"):
        run("def g():\n    print((yield 1))\n")


def test_an_uncaught_error_in_a_generator_has_its_position():
    with pytest.raises(AdcliError) as info:
        run("def g():\n    yield 1\n    raise KeyError('k')\nfor x in g():\n    pass\n")
    assert info.value.kind == "KeyError" and info.value.pos == (3, 5)


def test_endless_generators_are_bounded():
    endless = "def forever():\n    while True:\n        yield 1\n"
    for use in ("sum(forever())", "list(forever())", "for x in forever():\n    pass",
                "max(forever())", "sorted(forever())", "[x for x in forever()]"):
        with pytest.raises(LimitError):
            run(endless + use + "\n", Limits(max_steps=200_000))


def test_deep_yield_from_chains_are_bounded():
    text = "def deep(n):\n    yield n\n    yield from deep(n + 1)\nfor x in deep(0):\n    pass\n"
    with pytest.raises(AdcliError, match="maximum recursion depth exceeded"):
        run(text)


def test_a_generator_exposes_only_send_close_and_names():
    assert run("def g():\n    yield 1\nx = g()\nprint(x.__name__, x.__qualname__)\n") == "g g\n"
    for attr in ("gi_frame", "gi_code", "gi_yieldfrom", "throw", "_gen", "session"):
        with pytest.raises(AdcliError):
            run(f"def g():\n    yield 1\ngetattr(g(), '{attr}')\n")

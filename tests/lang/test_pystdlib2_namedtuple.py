# ruff: noqa: E501  (the programs are kept as written)
"""typing.NamedTuple class syntax (fields, defaults, methods, properties, class
attributes, _replace/_asdict/_fields/_make): the program prints what CPython 3.11
prints for it."""

from __future__ import annotations

from tests.lang.pyrun import run_adcli, run_python

PROGRAM = """from typing import NamedTuple
import typing
class Pt(NamedTuple):
    x: int
    y: float = 0.0
    def norm(self):
        return (self.x ** 2 + self.y ** 2) ** 0.5
p = Pt(3, 4.0)
print(p, repr(p), p.x, p[1], p._fields, p._asdict(), p._replace(x=1), Pt(1), p.norm(), Pt._fields, Pt._field_defaults)
a, b = p
print(a, b, p == (3, 4.0), isinstance(p, tuple), len(p), Pt.__name__, type(p).__name__)
class Batch(typing.NamedTuple):
    "doc"
    inputs: list
    labels: list
print(Batch([1], [2]), Pt._make([5, 6]))
try:
    Pt()
except TypeError as e:
    print(e)
class Cfg(NamedTuple):
    lr: float = 0.1
    name: str = "sgd"
    scale = 2
    @property
    def double(self):
        return self.lr * self.scale
    def __repr__(self):
        return f"Cfg<{self.name}>"
    @classmethod
    def default(cls):
        return cls()
c = Cfg()
print(c, c.double, Cfg.scale, Cfg.default(), str(c), c._replace(name="adam"), Cfg.__doc__, Pt.__doc__)
try:
    class Bad(NamedTuple):
        a: int = 1
        b: int
except TypeError as e:
    print(e)

from collections import namedtuple
print(namedtuple("P", "x y").__doc__)
"""


def test_prints_what_cpython_prints():
    assert run_adcli(PROGRAM) == run_python(PROGRAM)

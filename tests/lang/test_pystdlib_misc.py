# ruff: noqa: E501  (the programs are kept as written)
"""abc, types.SimpleNamespace, heapq, bisect, timeit.default_timer, class keywords,
exit()/quit(), str.encode/bytes.decode, dataclasses.FrozenInstanceError: each program
prints what CPython 3.11 prints for it (run both ways)."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.lang.pyrun import run_adcli, run_python

PROGRAMS = {
    "abc": '''
from abc import ABC, abstractmethod, ABCMeta
import abc
class Base(ABC):
    @abstractmethod
    def f(self): ...
    @property
    @abstractmethod
    def g(self): ...
class Impl(Base):
    def f(self): return 1
    @property
    def g(self): return 2
print(Impl().f(), Impl().g, isinstance(Impl(), Base), isinstance(Impl(), ABC))
class Half(Base):
    def f(self): return 1
for cls in (Base, Half):
    try:
        cls()
    except TypeError as e:
        print(e)
class M(metaclass=ABCMeta):
    @abc.abstractmethod
    def run(self, x): pass
try:
    M()
except TypeError as e:
    print(e)
''',
    "namespace_heapq_bisect_timeit": '''
from types import SimpleNamespace
import heapq, bisect, timeit
ns = SimpleNamespace(a=1, b="x")
ns.c = [1]
print(ns, ns.a, vars(ns), ns == SimpleNamespace(a=1, b="x", c=[1]), SimpleNamespace())
h = []
for v in [5, 1, 3]:
    heapq.heappush(h, v)
print(heapq.heappop(h), h, heapq.nlargest(2, [4, 1, 9]), heapq.nsmallest(1, [(2, "a"), (1, "b")]))
heapq.heapify(x := [3, 2, 1]); print(x, list(heapq.merge([1, 3], [2])))
a = [1, 3, 5]
bisect.insort(a, 4)
print(a, bisect.bisect_left(a, 3), bisect.bisect(a, 3), bisect.bisect_right(a, 10))
print(type(timeit.default_timer()))
''',
    "class_keywords": '''
class Base:
    registry = {}
    def __init_subclass__(cls, key=None, **kw):
        super().__init_subclass__(**kw)
        Base.registry[key] = cls.__name__
class A(Base, key="a"):
    pass
class B(Base):
    pass
print(Base.registry)
try:
    class C(key=1):
        pass
except TypeError as e:
    print(e)
''',
    "codecs_and_frozen": r'''
print("héllo".encode("utf-8"), b"abc".decode(), "abc".encode("ascii"), "é".encode("latin-1"), b"\xc3\xa9".decode("utf-8"))
try:
    "é".encode("ascii")
except UnicodeEncodeError as e:
    print(type(e).__name__, e)
try:
    b"\xff".decode()
except UnicodeDecodeError as e:
    print(type(e).__name__, e)
print("é".encode("ascii", "ignore"), b"\xff".decode("utf-8", "replace"))
from dataclasses import dataclass, FrozenInstanceError
@dataclass(frozen=True)
class P:
    x: int
try:
    P(1).x = 2
except FrozenInstanceError as e:
    print("frozen", e)
''',
}


@pytest.mark.parametrize("name", sorted(PROGRAMS))
def test_same_as_cpython(name: str) -> None:
    text = PROGRAMS[name]
    assert run_adcli(text) == run_python(text)


@pytest.mark.parametrize("text", ['print("a")\nexit(2)\n', 'print("a")\nquit()\n',
                                  'exit("bye")\n', 'print(1)\nexit()\nprint(2)\n'])
def test_exit_and_quit_as_cpython(tmp_path, text: str) -> None:
    path = tmp_path / "prog.py"
    path.write_text(text)
    ref = subprocess.run([sys.executable, str(path)], capture_output=True, text=True)
    adcli = str(Path(sys.executable).parent / "adcli")
    got = subprocess.run([adcli, "run", str(path)],
                         capture_output=True, text=True)
    assert (got.stdout, got.returncode, got.stderr) == (ref.stdout, ref.returncode, ref.stderr)

"""``obj.__dict__``, ``vars(obj)`` and ``__slots__`` on the script's own classes: each
program prints what CPython prints (run on the same text), and the dict of an instance
whose class has an engine base and a dunder slot stay refused. A class's own dict is a
read-only view of what its body bound (the host's descriptors show only as their repr);
a function's ``__dict__`` and ``vars()`` in a function are CPython's."""

from __future__ import annotations

import pytest

from adcli.errors import AdcliError
from adcli.lang.interpreter import Session
from adcli.limits import Limits
from tests.lang.pyrun import run_python


def run(text: str) -> str:
    out: list[str] = []
    Session(limits=Limits(), out=out.append, dialect="py").exec_source(text)
    return "".join(out)


SAME_AS_CPYTHON = {
    "class_dict_view_function_dict_and_local_vars": """
class A:
    \"\"\"doc\"\"\"
    x = 1
    def f(self):
        return 1
class B:
    x = 1
    __slots__ = ("a",)
class C(A):
    y = 2
class D:
    pass
for k in (A, B, C, D):
    print(list(k.__dict__))
print('x' in A.__dict__, 'f' in A.__dict__, 'y' in A.__dict__, A.__dict__['x'], B.__slots__)
print(repr(D.__dict__)[:40], str(C.__dict__)[:40], type(A.__dict__).__name__)
print(vars(C), B.__dict__['a'], D.__dict__['__dict__'], A.__module__)
try:
    C.__dict__['z'] = 1
except TypeError as e:
    print(e)
print(C.__dict__.get('y'), C.__dict__.get('q', 0), len(C.__dict__), list(C.__dict__.keys()))
print(list(C.__dict__.values()), list(C.__dict__.items()))
print(C.__dict__ == C.__dict__, dict(C.__dict__), sorted(k for k in A.__dict__ if k[0] != "_"))
def h():
    pass
print(h.__dict__, h.__module__, h.__qualname__)
h.calls = 3
h.calls += 1
print(h.__dict__, h.calls, vars(h))
del h.calls
print(hasattr(h, "calls"), h.__dict__)
def counted(fn):
    def wrapper(*a):
        wrapper.n += 1
        return fn(*a)
    wrapper.n = 0
    return wrapper
@counted
def sq(x):
    return x * x
sq(2), sq(3)
print(sq.n)
def g(a, b=2):
    c = a + b
    print(vars())
    print([k for k in vars()])
    return sorted(vars().items())
print(g(1))
""",
    "instance_dict_reads_and_writes": """
class Config:
    def __init__(self, **kw):
        self.__dict__.update(kw)
        self.lr = 0.1
c = Config(batch=32, epochs=3)
print(c.__dict__)
print(vars(c))
c.__dict__["momentum"] = 0.9
print(c.momentum)
vars(c)["wd"] = 1e-4
print(c.wd, sorted(vars(c)))
for k, v in vars(c).items():
    print(k, v)
del c.__dict__["wd"]
print(hasattr(c, "wd"), getattr(c, "__dict__") is c.__dict__, len(vars(c)))
""",
    "dataclass_and_exception_dicts": """
from dataclasses import dataclass
@dataclass
class P:
    x: int
    y: int = 2
print(vars(P(1)), P(3).__dict__)
class E(Exception):
    def __init__(self, msg):
        super().__init__(msg)
        self.code = 3
print(E("m").__dict__)
""",
    "vars_errors": """
class S:
    __slots__ = ("a",)
try:
    S().__dict__
except AttributeError as e:
    print("AE", e)
for bad in (1, "s", [1], {"a": 1}, S()):
    try:
        vars(bad)
    except TypeError as e:
        print("TE", e)
""",
    "slots": """
class V:
    __slots__ = ("x", "y")
    def __init__(self, x, y):
        self.x = x
        self.y = y
    def __repr__(self):
        return f"V({self.x}, {self.y})"
v = V(1, 2)
print(v)
try:
    v.z = 3
except AttributeError as e:
    print("AE", e)
class W(V):
    pass
w = W(1, 2)
w.z = 5
print(w.z, vars(w))
class One:
    __slots__ = "only"
o = One()
o.only = 1
print(o.only)
""",
}


@pytest.mark.parametrize("name", list(SAME_AS_CPYTHON))
def test_prints_what_cpython_prints(name):
    text = SAME_AS_CPYTHON[name]
    assert run(text) == run_python(text)


@pytest.mark.parametrize("text", [
    # an nn.Module keeps the engine's state in its __dict__
    "import torch.nn as nn\nclass M(nn.Module):\n    pass\nM().__dict__\n",
    "import torch.nn as nn\nclass M(nn.Module):\n    pass\nvars(M())\n",
    "import torch.nn as nn\nvars(nn.Linear(2, 2))\n",
    # a class's own dict: a view of what its body bound, never adcli's bookkeeping
    "class A:\n    pass\nvars(A)['__adcli_names__']\n",
    "class A:\n    pass\ngetattr(A.__dict__, '_cls')\n",
    "class A:\n    pass\nA.__dict__['x'] = 1\n",
    "vars(ValueError('x'))\n",
    "vars()\n",  # the module's globals
])
def test_what_stays_refused(text):
    with pytest.raises(AdcliError) as info:
        run(text)
    assert info.value.kind in ("AttributeError", "TypeError", "KeyError"), info.value


def test_a_dunder_slot_is_refused():
    with pytest.raises(AdcliError) as info:
        run("class A:\n    __slots__ = ('__dict__',)\nA()\n")
    assert info.value.kind == "TypeError"

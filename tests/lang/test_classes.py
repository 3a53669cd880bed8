"""``class`` statements: each program prints what CPython prints (the reference is CPython
itself, run on the same text), and the hostile ones are refused with clear errors."""

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
    "inheritance_and_super": """
class Animal:
    sound = "..."
    def __init__(self, name):
        self.name = name
    def speak(self):
        return f"{self.name} says {self.sound}"
class Dog(Animal):
    sound = "woof"
    def __init__(self, name, tricks=()):
        super().__init__(name)
        self.tricks = list(tricks)
    def speak(self):
        return super().speak() + "!"
class Puppy(Dog):
    def speak(self):
        return "tiny " + super().speak()
for a in (Animal("generic"), Dog("rex", ["sit"]), Puppy("bit")):
    print(a.speak(), type(a).__name__, isinstance(a, Dog), a.__class__.__name__)
print(issubclass(Puppy, Animal), Dog.sound, Animal.sound)
print(Dog("x").tricks, Puppy.__name__, Puppy.__qualname__, Animal.__doc__)
""",
    "explicit_base_init_and_two_argument_super": """
class Base:
    def __init__(self, x):
        self.x = x
class Child(Base):
    def __init__(self, x, y):
        Base.__init__(self, x)
        self.y = y
class Other(Base):
    def __init__(self):
        super(Other, self).__init__(7)
c = Child(1, 2)
print(c.x, c.y, Other().x)
""",
    "properties_static_and_class_methods": """
class Celsius:
    unit = "C"
    def __init__(self, t):
        self._t = t
    @property
    def t(self):
        return self._t
    @t.setter
    def t(self, value):
        if value < -273.15:
            raise ValueError("below absolute zero")
        self._t = value
    @property
    def kelvin(self):
        return self._t + 273.15
    @staticmethod
    def describe():
        return "temperature"
    @classmethod
    def freezing(cls):
        return cls(0)
c = Celsius(20)
c.t = 25
print(c.t, round(c.kelvin, 2), Celsius.describe(), c.describe(), Celsius.freezing().t)
try:
    c.t = -300
except ValueError as e:
    print("ValueError:", e)
try:
    c.kelvin = 3
except AttributeError as e:
    print("AttributeError:", e)
print(type(Celsius.freezing()).__name__, Celsius.unit, c.unit)
""",
    "operators_and_comparisons": """
class Vec:
    def __init__(self, *xs):
        self.xs = tuple(xs)
    def __add__(self, other):
        if isinstance(other, Vec):
            return Vec(*[a + b for a, b in zip(self.xs, other.xs)])
        return Vec(*[a + other for a in self.xs])
    __radd__ = __add__
    def __mul__(self, k):
        return Vec(*[a * k for a in self.xs])
    def __rmul__(self, k):
        return self * k
    def __neg__(self):
        return self * -1
    def __abs__(self):
        return sum(a * a for a in self.xs) ** 0.5
    def __eq__(self, other):
        return isinstance(other, Vec) and self.xs == other.xs
    def __lt__(self, other):
        return abs(self) < abs(other)
    def __hash__(self):
        return hash(self.xs)
    def __repr__(self):
        return f"Vec{self.xs}"
    def __matmul__(self, other):
        return sum(a * b for a, b in zip(self.xs, other.xs))
a, b = Vec(1, 2), Vec(3, 4)
print(a + b, a + 1, 1 + a, 2 * a, a * 3, -a, abs(b), a @ b)
print(a == Vec(1, 2), a != b, a < b, sorted([b, a]), max(a, b), sum([a, b], Vec(0, 0)))
print(len({a, Vec(1, 2), b}), {a: 1}[Vec(1, 2)])
c = a
c += b
print(c, a, c is a)
try:
    a - b
except TypeError as e:
    print("TypeError:", e)
""",
    "container_protocol": """
class Bag:
    def __init__(self):
        self.items = {}
    def __setitem__(self, k, v):
        self.items[k] = v
    def __getitem__(self, k):
        return self.items[k]
    def __delitem__(self, k):
        del self.items[k]
    def __contains__(self, k):
        return k in self.items
    def __len__(self):
        return len(self.items)
    def __iter__(self):
        return iter(sorted(self.items))
    def __bool__(self):
        return bool(self.items)
    def __call__(self, k, default=None):
        return self.items.get(k, default)
b = Bag()
print(bool(b), len(b))
b["x"] = 1
b["y"] = 2
print("x" in b, "z" not in b, len(b), list(b), b("y"), b("z", 0), bool(b))
del b["x"]
print(list(b), [k for k in b])
try:
    b["nope"]
except KeyError as e:
    print("KeyError:", e)
""",
    "user_exceptions": """
class TrainingError(Exception):
    pass
class Diverged(TrainingError):
    def __init__(self, step, loss):
        super().__init__(f"loss {loss} at step {step}")
        self.step = step
        self.loss = loss
class BadConfig(TrainingError, ValueError):
    def __str__(self):
        return "bad config: " + ", ".join(map(str, self.args))
try:
    raise Diverged(3, float("inf"))
except TrainingError as e:
    print(type(e).__name__, e, e.step, e.args, isinstance(e, Exception))
try:
    raise BadConfig("lr", "momentum")
except ValueError as e:
    print(repr(str(e)), e.args)
try:
    raise TrainingError
except Exception as e:
    print(repr(e), e.args)
try:
    try:
        raise Diverged(1, 2.0)
    except Diverged as e:
        raise BadConfig("wrapped") from e
except BadConfig as e:
    print(e, "| cause:", type(e.__cause__).__name__, e.__cause__)
""",
    "context_manager": """
class Recorder:
    def __init__(self, swallow):
        self.swallow = swallow
        self.log = []
    def __enter__(self):
        self.log.append("enter")
        return self
    def __exit__(self, kind, value, tb):
        self.log.append(f"exit {kind.__name__ if kind else None} {value}")
        return self.swallow
with Recorder(False) as r:
    r.log.append("body")
print(r.log)
with Recorder(True) as r:
    raise ValueError("hidden")
print(r.log)
try:
    with Recorder(False) as r:
        raise KeyError("seen")
except KeyError as e:
    print("KeyError", e, r.log)
def early():
    with Recorder(False) as r:
        return r
print(early().log)
""",
    "class_and_instance_state": """
class Counter:
    made = 0
    def __init__(self):
        Counter.made += 1
        self.n = 0
    def bump(self, by=1):
        self.n += by
        return self
c1, c2 = Counter(), Counter()
c1.bump().bump(5)
print(c1.n, c2.n, Counter.made, c1.made)
c2.made = 100
print(Counter.made, c2.made, hasattr(c1, "n"), hasattr(c1, "zz"), getattr(c1, "zz", "-"))
setattr(c1, "label", "first")
print(c1.label)
del c1.label
print(hasattr(c1, "label"))
try:
    c1.missing
except AttributeError as e:
    print("AttributeError:", e)
bound = c2.bump
print(bound(2).n, bound.__name__, type(bound).__name__)
""",
    "classes_made_in_functions_and_nested": """
def make(kind):
    class Thing:
        def __init__(self):
            self.kind = kind
        def __repr__(self):
            return f"Thing({self.kind!r})"
    return Thing
A, B = make("a"), make("b")
print(A(), B(), A is B, A.__qualname__)
class Outer:
    class Inner:
        value = 3
    def get(self):
        return self.Inner.value
print(Outer().get(), Outer.Inner.__qualname__)
class Error(Exception):
    pass
class Shape:
    class Invalid(ValueError):
        pass
try:
    raise Shape.Invalid("negative side")
except ValueError as e:
    print(type(e).__qualname__, e)
""",
    "getattr_dunder": """
class Lazy:
    def __init__(self):
        self.real = 1
    def __getattr__(self, name):
        return f"<{name}>"
class Logged:
    def __setattr__(self, name, value):
        print("set", name, value)
        super().__setattr__(name, value)
print(Lazy().real, Lazy().anything)
g = Logged()
g.lr = 0.5
print(g.lr)
""",
    "copy_and_sorting_of_instances": """
import copy
from functools import total_ordering
@total_ordering
class Version:
    def __init__(self, *parts):
        self.parts = list(parts)
    def __eq__(self, other):
        return self.parts == other.parts
    def __lt__(self, other):
        return self.parts < other.parts
    def __repr__(self):
        return "v" + ".".join(map(str, self.parts))
vs = [Version(1, 2), Version(0, 9), Version(1, 0, 1)]
print(sorted(vs), max(vs), Version(1) >= Version(0, 5), Version(2) <= Version(1))
a = Version(1, 2)
b = copy.copy(a)
d = copy.deepcopy(a)
a.parts.append(3)
print(a, b, d, b.parts is a.parts, d.parts is a.parts)
""",
    "iterator_classes": """
class Countdown:
    def __init__(self, n):
        self.n = n
    def __iter__(self):
        return self
    def __next__(self):
        if self.n <= 0:
            raise StopIteration
        self.n -= 1
        return self.n + 1
class Squares:
    def __init__(self, n):
        self.n = n
    def __getitem__(self, i):
        if i >= self.n:
            raise IndexError(i)
        return i * i
print(list(Countdown(3)), sum(Countdown(4)), list(Squares(4)), 9 in Squares(5))
it = Countdown(1)
print(next(it), next(it, "done"))
try:
    next(it)
except StopIteration:
    print("StopIteration")
""",
    "format_and_str": """
class Money:
    def __init__(self, cents):
        self.cents = cents
    def __str__(self):
        return f"${self.cents / 100:.2f}"
    def __repr__(self):
        return f"Money({self.cents})"
    def __format__(self, spec):
        return format(self.cents / 100, spec) + " USD"
m = Money(1234)
print(m, str(m), repr(m), [m], f"{m}", f"{m!r}", f"{m:>10.1f}", "{}".format(m))
print(f"{m!s}", "%s and %r" % (m, m))
""",
}


@pytest.mark.parametrize("name", sorted(SAME_AS_CPYTHON))
def test_prints_what_cpython_prints(name):
    text = SAME_AS_CPYTHON[name]
    assert run(text) == run_python(text)


def test_uncaught_user_exception_names_its_class():
    with pytest.raises(AdcliError) as info:
        run("class Diverged(Exception):\n    pass\nraise Diverged('loss is nan')\n")
    assert info.value.kind == "Diverged" and info.value.message == "loss is nan"
    assert info.value.pos == (3, 1)


# ---- the sandbox holds ------------------------------------------------------------------
HOSTILE = {
    "module subclass __dict__": "import torch.nn as nn\nclass A(nn.Module):\n    pass\n"
                                "getattr(A(), '__dict__')\n",
    "class __dict__ view": "class A:\n    pass\ngetattr(getattr(A, '__dict__'), '_cls')\n",
    "mro": "class A:\n    pass\ngetattr(A, '__mro__')\n",
    "bases": "class A:\n    pass\ngetattr(A, '__bases__')\n",
    "subclasses": "class A:\n    pass\ngetattr(A, '__subclasses__')\n",
    "type of class": "class A:\n    pass\ngetattr(type(A), '__subclasses__')\n",
    "method func": "class A:\n    def f(self):\n        pass\ngetattr(getattr(A().f, "
                   "'__func__'), '__globals__')\n",
    "function globals": "class A:\n    def f(self):\n        pass\ngetattr(A.f, '__globals__')\n",
    "function code": "class A:\n    def f(self):\n        pass\ngetattr(A.f, '__code__')\n",
    "init globals": "class A:\n    pass\ngetattr(A.__init__, '__globals__')\n",
    "init self": "class A:\n    pass\ngetattr(A().__init__, '__self__')\n",
    "getattribute": "class A:\n    pass\ngetattr(A(), '__getattribute__')\n",
    "reduce": "class A:\n    pass\ngetattr(A(), '__reduce_ex__')\n",
    "super getattribute": ("class A:\n    def f(self):\n        return getattr(super(), "
                           "'__getattribute__')\nA().f()\n"),
    "super dict": ("class A:\n    def f(self):\n        return getattr(super(), "
                   "'__dict__')\nA().f()\n"),
    "super setattr class": ("class A:\n    def f(self):\n        super().__setattr__("
                            "'__class__', int)\nA().f()\n"),
    "base setattr class": "class A:\n    pass\nA.__setattr__(A(), '__class__', A)\n",
    "setattr dunder": "class A:\n    pass\nsetattr(A(), '__class__', A)\n",
    "setattr class dunder": "class A:\n    pass\nsetattr(A, '__init__', print)\n",
    "forged mark": "class A:\n    pass\nsetattr(A, '__adcli_names__', {'__dict__'})\n",
    "object setattr": "class A:\n    pass\nobject.__setattr__(A(), 'x', 1)\n",
    "exception traceback": ("class E(Exception):\n    pass\ntry:\n    raise E()\nexcept E as e:\n"
                            "    getattr(e, '__traceback__')\n"),
    "exception dict": "getattr(ValueError('x'), '__dict__')\n",
    "exception with_traceback": "class E(Exception):\n    pass\nE().with_traceback\n",
    "property fget globals": ("class A:\n    @property\n    def p(self):\n        return 1\n"
                              "getattr(A.p.fget, '__globals__')\n"),
    "super this class": ("class A:\n    def f(self):\n        return getattr(super(), "
                         "'__thisclass__')\nA().f()\n"),
    "generator frame": "def g():\n    yield 1\ngetattr(g(), 'gi_frame')\n",
    "generator code": "def g():\n    yield 1\ngetattr(g(), 'gi_code')\n",
    "generator throw": "def g():\n    yield 1\ng().throw\n",
    "staticmethod func": ("class A:\n    @staticmethod\n    def f():\n        pass\n"
                          "getattr(staticmethod(A.f), '__func__')\n"),
}


@pytest.mark.parametrize("name", sorted(HOSTILE))
def test_the_object_model_stays_out_of_reach(name):
    with pytest.raises(AdcliError) as info:
        run(HOSTILE[name])
    assert info.value.kind in ("AttributeError", "TypeError"), info.value


@pytest.mark.parametrize("text", [
    "class A:\n    pass\nA().__weakref__\n", "class A:\n    pass\nA.__bases__\n",
    "class A:\n    pass\nA.__subclasses__()\n", "class A:\n    pass\nA.__init__.__globals__\n",
])
def test_the_parser_refuses_object_model_attributes(text):
    with pytest.raises(AdcliSyntaxError, match="attributes starting with '__'"):
        run(text)


@pytest.mark.parametrize("body, name", [
    ("    def __del__(self):\n        print('bye')\n", "__del__"),
    ("    def __getattribute__(self, n):\n        return 1\n", "__getattribute__"),
    ("    def __get__(self, obj, t):\n        return 1\n", "__get__"),
    ("    def __set_name__(self, owner, n):\n        pass\n", "__set_name__"),
    ("    def __reduce__(self):\n        pass\n", "__reduce__"),
    ("    __weakref__ = ()\n", "__weakref__"),
])
def test_a_class_may_not_define_host_hooks(body, name):
    with pytest.raises(AdcliSyntaxError) as info:
        run("class A:\n" + body + "A()\n")
    assert f"`{name}`: names starting with '__' are not part of the language" in str(
        info.value)


def test_the_class_maker_refuses_what_the_parser_would():
    from adcli.lang.classes import make_class

    for name in ("__del__", "__getattribute__", "__class_getitem__"):
        with pytest.raises(AdcliSyntaxError, match=f"a class may not define '{name}'"):
            make_class("A", "A", [], {name: print}, None, (1, 1))
    # __init_subclass__ only as the script's own function (Python calls it at class
    # creation): a host callable there would run with the new class as its argument
    with pytest.raises(AdcliSyntaxError, match="__init_subclass__"):
        make_class("A", "A", [], {"__init_subclass__": print}, None, (1, 1))
    with pytest.raises(AdcliSyntaxError, match="__init_subclass__"):
        run("class A:\n    __init_subclass__ = print\nclass B(A):\n    pass\n")


def test_init_subclass_and_mro_as_in_python():
    text = ("class Base:\n    seen = []\n    def __init_subclass__(cls, **kw):\n"
            "        super().__init_subclass__(**kw)\n        Base.seen.append(cls.__name__)\n"
            "class A(Base):\n    pass\nclass B(A):\n    pass\n"
            "print(Base.seen, [k.__name__ for k in B.__mro__], B.__mro__[-1])\n")
    out: list[str] = []
    Session(limits=Limits(), out=out.append, dialect="py").exec_source(text)
    assert "".join(out) == run_python(text) == \
        "['A', 'B'] ['B', 'A', 'Base', 'object'] <class 'object'>\n"


@pytest.mark.parametrize("base", ["int", "str", "type", "dict", "print", "3"])
def test_bases_are_script_classes_object_and_exceptions(base):
    with pytest.raises(AdcliError) as info:
        run(f"class A({base}):\n    pass\n")
    assert info.value.kind == "TypeError"


def test_metaclass_is_refused():
    with pytest.raises(AdcliSyntaxError, match="may not name a metaclass"):
        run("class M:\n    pass\nclass A(metaclass=M):\n    pass\n")


def test_recursion_through_special_methods_is_pythons_recursion_error():
    for text in ("class A:\n    def __repr__(self):\n        return repr(self)\nprint(A())\n",
                 "class A:\n    def __add__(self, o):\n        return self + o\nA() + 1\n"):
        with pytest.raises(AdcliError) as info:
            run(text)
        assert info.value.kind == "RecursionError", info.value


def test_endless_special_methods_are_bounded():
    text = ("class Forever:\n    def __iter__(self):\n        return self\n"
            "    def __next__(self):\n        return 1\nfor x in Forever():\n    pass\n")
    with pytest.raises(LimitError):
        run(text, Limits(max_steps=100_000))
    text = ("class Slow:\n    def __lt__(self, o):\n        while True:\n            pass\n"
            "sorted([Slow(), Slow()])\n")
    with pytest.raises(LimitError):
        run(text, Limits(max_steps=100_000))


def test_instances_in_a_loop_are_bounded_by_steps():
    text = "class A:\n    pass\nitems = []\nwhile True:\n    items.append(A())\n"
    with pytest.raises(LimitError):
        run(text, Limits(max_steps=50_000))

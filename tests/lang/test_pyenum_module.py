# ruff: noqa: E501  (the programs are kept as written)
"""``import enum``: a script's ``class Color(Enum)`` is made by Python's own EnumType, so
members, lookups, iteration, repr/str, hashing, comparisons, ``auto()``, ``unique`` and
the errors are CPython's. Each program prints what CPython 3.11 printed for it."""

from __future__ import annotations

import pytest

from adcli import programs
from adcli.lang.interpreter import Session
from adcli.limits import Limits
from tests.lang.pyrun import run_python


def run(text: str) -> str:
    out: list[str] = []
    Session(limits=Limits(), out=out.append, dialect="py").exec_source(text)
    return "".join(out)


SAME_AS_CPYTHON = {
    "members_lookups_iteration_match": """
from enum import Enum, IntEnum, auto, unique, Flag
import enum

class Color(Enum):
    RED = 1
    GREEN = 2
    BLUE = 3

print(Color.RED, repr(Color.RED), Color.RED.name, Color.RED.value)
print(Color(2), Color["BLUE"], list(Color), len(Color))
print(Color.RED in Color, Color.RED == Color.RED, Color.RED == 1, Color.RED is Color(1))
print({Color.RED: "r"}[Color.RED], type(Color.RED), isinstance(Color.RED, Color), isinstance(Color.RED, Enum))
print(Color)
for c in Color:
    print(c.name, c.value)

class Shape(IntEnum):
    CIRCLE = auto()
    SQUARE = auto()

print(Shape.CIRCLE, repr(Shape.SQUARE), Shape.SQUARE + 1, Shape.CIRCLE == 1, sorted([Shape.SQUARE, Shape.CIRCLE]))

class Mode(Enum):
    TRAIN = "train"
    EVAL = "eval"

    def describe(self):
        return f"mode {self.value}"

    @property
    def is_train(self):
        return self is Mode.TRAIN

print(Mode.TRAIN.describe(), Mode.EVAL.is_train, f"{Mode.TRAIN}", str(Mode.EVAL))
m = Mode("eval")
match m:
    case Mode.TRAIN:
        print("train!")
    case Mode.EVAL:
        print("eval!")
print(Color.__members__)
print(list(Color.__members__.keys()))
try:
    Color(7)
except ValueError as e:
    print("ValueError", e)
try:
    Color["PINK"]
except KeyError as e:
    print("KeyError", e)
try:
    @unique
    class Dup(Enum):
        A = 1
        B = 1
except ValueError as e:
    print("ValueError", e)

class Perm(Flag):
    R = 4
    W = 2
    X = 1
print(Perm.R | Perm.W, repr(Perm.R | Perm.W), Perm.R in (Perm.R | Perm.W))
print(Color.RED.__class__, Color.RED.__class__.__name__, Color.__name__)
""",
    "int_str_flag_auto_missing": """
import enum
from enum import Enum, IntEnum, StrEnum, IntFlag, auto

class Planet(Enum):
    MERCURY = (3.303e+23, 2.4397e6)
    EARTH = (5.976e+24, 6.37814e6)

    def __init__(self, mass, radius):
        self.mass = mass
        self.radius = radius

    @property
    def surface_gravity(self):
        G = 6.67300E-11
        return G * self.mass / (self.radius * self.radius)

print(Planet.EARTH.value, Planet.EARTH.mass, round(Planet.EARTH.surface_gravity, 3))

class Lower(StrEnum):
    A = auto()
    B = "bee"
print(Lower.A, repr(Lower.A), Lower.B == "bee", Lower.A.upper(), f"{Lower.B}")

class Num(IntEnum):
    ONE = 1
    TWO = 2
print(str(Num.ONE), f"{Num.TWO}", Num.TWO * 3, Num(2), [n.value for n in Num], max(Num))

class Name(Enum):
    def _generate_next_value_(name, start, count, last_values):
        return name.lower()
    FOO = auto()
    BAR = auto()
print(list(Name), Name.FOO.value)

class Status(Enum):
    OK = 200
    NOT_FOUND = 404

    @classmethod
    def _missing_(cls, value):
        return cls.OK

    @classmethod
    def default(cls):
        return cls.NOT_FOUND

print(Status(999), Status.default(), Status.OK.name.lower())
print(Enum, IntEnum, type(Planet), enum.auto)
print(Status.OK < Status.NOT_FOUND if False else "skip")
try:
    Status.OK < Status.NOT_FOUND
except TypeError as e:
    print("TypeError", e)
class P(IntFlag):
    R = 4
    W = 2
print(P.R | P.W, int(P.R | P.W), P(6), P.R & P.W)
print(hash(Status.OK) == hash(Status.OK), Status.OK != Status.NOT_FOUND, sorted(Num, reverse=True))
d = {s: s.value for s in Status}
print(d)
print(Status.OK.value + 1, [m for m in Status.__members__])
try:
    Status.OK = 3
except AttributeError as e:
    print("AttributeError", e)
class Color(Enum):
    RED = 1
    CRIMSON = 1
print(list(Color), Color.CRIMSON, Color(1))
print(isinstance(Num.ONE, int), isinstance(Num.ONE, Enum), issubclass(Num, Enum))
class Empty(Enum):
    pass
class Sub(Empty):
    X = 1
print(Sub.X, len(Empty))
try:
    class Bad(Color):
        Z = 3
except TypeError as e:
    print("TypeError", e)
""",
}


SAME_AS_CPYTHON["copies_dataclasses_json_and_builtins"] = """
import copy
from enum import Enum
from dataclasses import dataclass, field
class Color(Enum):
    RED = 1
    GREEN = 2
print(copy.copy(Color.RED) is Color.RED, copy.deepcopy(Color.RED) is Color.RED, copy.deepcopy([Color.GREEN]))
@dataclass
class Cfg:
    color: Color = Color.RED
    tags: list = field(default_factory=list)
print(Cfg(), Cfg(Color.GREEN) == Cfg(Color.GREEN))
import json
print(json.dumps({"c": Color.RED.value}), sorted(Color, key=lambda c: -c.value), Color.RED.name.title())
print(getattr(Color, "RED"), hasattr(Color.RED, "value"), getattr(Color.RED, "name"))
print({c.name: c.value for c in Color}, max(Color, key=lambda c: c.value))
"""
SAME_AS_CPYTHON["functional_api"] = """
from enum import Enum, IntEnum
Color = Enum("Color", "RED GREEN BLUE")
print(list(Color), Color.RED, Color(2), Color["BLUE"].value, repr(Color.GREEN), Color.RED.name)
Shape = Enum("Shape", ["CIRCLE", "SQUARE"])
print(list(Shape), Shape.SQUARE.value)
Num = IntEnum("Num", [("ONE", 1), ("TEN", 10)])
print(Num.TEN + 1, list(Num))
D = Enum("D", {"A": "a", "B": "b"})
print(D("b"), D.A.value, len(D), D.A in D, type(D.A).__name__, D.__name__, D)
S = Enum("S", "X, Y", start=0)
print(list(S))
"""


@pytest.mark.parametrize("name", list(SAME_AS_CPYTHON))
def test_prints_what_cpython_prints(name):
    text = SAME_AS_CPYTHON[name]
    assert run(text) == run_python(text)


# the last line of stderr, as CPython 3.11 wrote it
UNCAUGHT = {
    "from enum import Enum\nclass C(Enum):\n    A = 1\nC(9)\n": "ValueError: 9 is not a valid C",
    "from enum import Enum\nclass C(Enum):\n    A = 1\nC['B']\n": "KeyError: 'B'",
    "from enum import Enum\nclass C(Enum):\n    A = 1\nC.A = 2\n":
        "AttributeError: cannot reassign member 'A'",
    "from enum import Enum, unique\n@unique\nclass C(Enum):\n    A = 1\n    B = 1\n":
        "ValueError: duplicate values found in <enum 'C'>: B -> A",
    "from enum import Enum\nclass C(Enum):\n    A = 1\nclass D(C):\n    B = 2\n":
        "TypeError: <enum 'D'> cannot extend <enum 'C'>",
}


@pytest.mark.parametrize("source", list(UNCAUGHT))
def test_uncaught_error_is_cpythons(source):
    out, errs = [], []
    outcome = programs.run_python(source, "prog.py", Limits(), out.append, errs.append)
    assert outcome.failed and not outcome.internal
    assert "".join(errs).strip().splitlines()[-1] == UNCAUGHT[source]


@pytest.mark.parametrize("text, words", [
    ("from enum import Enum\nEnum('Color', 3)\n", "members of an enum"),
    ("from enum import Enum\nEnum('Color', 'A', type=int)\n", "type="),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\nC._member_map_\n", "_member_map_"),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\ntype(C)('X', (), {})\n",
     "cannot create"),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\nC.A.__dict__\n", "__dict__"),
    ("from enum import Enum\nclass C(Enum):\n    A = 1\nC.mro\n", "mro"),
    ("from enum import unique\nunique(int)\n", "enum class"),
])
def test_the_host_enum_machinery_stays_out_of_reach(text, words):
    with pytest.raises(Exception) as info:
        run(text)
    assert getattr(info.value, "kind", "") in ("AttributeError", "TypeError"), info.value
    assert words in str(info.value)

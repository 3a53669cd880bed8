"""The ``match`` statement (PEP 634): each program prints what CPython prints (the
reference is CPython itself, run on the same text); the compile-time mistakes are
CPython's SyntaxErrors; and a pattern reads attributes only as ``obj.attr`` may."""

from __future__ import annotations

import pytest

from adcli.errors import AdcliError, AdcliSyntaxError
from adcli.lang.interpreter import Session
from adcli.limits import Limits
from tests.lang.pyrun import run_python


def run(text: str) -> str:
    out: list[str] = []
    Session(limits=Limits(), out=out.append, dialect="py").exec_source(text)
    return "".join(out)


SAME_AS_CPYTHON = {
    "literals_captures_wildcard_or": """
def f(x):
    match x:
        case 0 | 1:
            return "small"
        case -1:
            return "minus one"
        case 2.5:
            return "two and a half"
        case "go" | "run":
            return "verb"
        case None:
            return "none"
        case True:
            return "true"
        case other:
            return f"other {other!r}"
for v in (0, 1, -1, 2.5, "go", "run", None, True, False, 1.0, "x", [1]):
    print(f(v))
""",
    "sequences_and_star": """
def f(x):
    match x:
        case []:
            return "empty"
        case [a]:
            return f"one {a}"
        case (a, b):
            return f"two {a} {b}"
        case [first, *middle, last]:
            return f"first {first} middle {middle} last {last}"
for v in ([], [1], (1, 2), [1, 2, 3, 4], (1, 2, 3), range(4), "ab", {"a": 1}, 5):
    print(f(v))
match "go north".split():
    case ["go", direction]:
        print("going", direction)
match 1, 2:
    case x, y:
        print("open sequence", x, y)
match [1, [2, 3]]:
    case [a, [b, *_]]:
        print("nested", a, b)
""",
    "mappings_and_rest": """
def f(x):
    match x:
        case {"type": "circle", "r": r}:
            return f"circle {r}"
        case {"type": t, **rest}:
            return f"shape {t} {rest}"
        case {}:
            return "some mapping"
        case _:
            return "not a mapping"
for v in ({"type": "circle", "r": 2}, {"type": "sq", "side": 3, "z": 1}, {"a": 1}, {},
          [("type", 1)], "type"):
    print(f(v))
from collections import OrderedDict, defaultdict
match OrderedDict(a=1, b=2):
    case {"a": 1, **rest}:
        print("ordered", rest)
d = defaultdict(list)
match d:
    case {"missing": _}:
        print("wrong")
    case {}:
        print("no key made", dict(d))
""",
    "class_patterns": """
from dataclasses import dataclass
from collections import namedtuple
@dataclass
class Point:
    x: int
    y: int
class Vec:
    __match_args__ = ("a", "b")
    def __init__(self, a, b):
        self.a, self.b = a, b
Pair = namedtuple("Pair", "left right")
def where(p):
    match p:
        case Point(x=0, y=0):
            return "origin"
        case Point(0, y):
            return f"on the y axis at {y}"
        case Point(x, 0) if x > 0:
            return f"on the positive x axis at {x}"
        case Point():
            return "elsewhere"
        case Vec(a, b=2):
            return f"vec {a}"
        case Pair(l, right=r):
            return f"pair {l} {r}"
        case int(n) | float(n) if n < 0:
            return f"negative {n}"
        case str() | bytes():
            return "text"
        case [Point(x=px) as first, *_]:
            return f"starts with {first} (x={px})"
        case _:
            return "unknown"
for o in (Point(0, 0), Point(0, 5), Point(3, 0), Point(-3, 0), Vec(1, 2), Vec(1, 3),
          Pair(1, 2), -4, -2.5, 7, "abc", b"x", [Point(9, 9), 1]):
    print(where(o))
print(Point.__match_args__, Vec.__match_args__, Pair.__match_args__)
""",
    "value_patterns_and_guards": """
import math
class Color:
    RED = "red"
    GREEN = "green"
def name(c):
    match c:
        case Color.RED:
            return "stop"
        case Color.GREEN:
            return "go"
        case math.pi:
            return "pi"
        case n if isinstance(n, int) and n > 100:
            return "big"
        case _:
            return "?"
print([name(c) for c in ("red", "green", math.pi, 101, 5)])
x = 10
match x:
    case y if y > 100:
        print("big")
print("bound although the guard failed:", y)
""",
    "soft_keywords_stay_names": """
match = [1, 2]
case = 5
print(match, case)
match[0] = 3
print(match)
def match_it(match, case=2):
    return match * case
print(match_it(4), match_it(match=1, case=3))
class K:
    def match(self, case):
        return case + 1
print(K().match(case=1))
match (match):
    case [3, b]:
        print("subject named match", b)
""",
    "in_functions_loops_and_generators": """
def gen():
    for i in range(6):
        match i:
            case 0:
                continue
            case 4:
                break
            case 2:
                yield "two"
            case _:
                yield i
print(list(gen()))
def scope():
    match (1, 2):
        case (a, b):
            pass
    return a + b
print(scope())
total = 0
def add(v):
    global total
    match v:
        case int(total):
            pass
add(7)
print(total)
""",
    "runtime_errors": """
import math
class P:
    __match_args__ = ["x"]
    def __init__(self):
        self.x = 1
class Q:
    __match_args__ = ("x",)
    x = 1
class R:
    pass
def a():
    match P():
        case math.pi():
            pass
def b():
    match P():
        case P(1):
            pass
def c():
    match Q():
        case Q(1, 2):
            pass
def d():
    match Q():
        case Q(1, x=2):
            pass
def e():
    match R():
        case R(1):
            pass
def f():
    match 3:
        case int(1, 2):
            pass
def g():
    T = (int, str)
    match 3:
        case T():
            pass
for fn in (a, b, c, d, e, f, g):
    try:
        fn()
    except Exception as err:
        print(type(err).__name__, err)
""",
    "unmatched_attributes_do_not_match": """
class A:
    __match_args__ = ("missing",)
match A():
    case A(v):
        print("matched", v)
    case A(__class__=k):
        print("class", k.__name__)
""",
}


@pytest.mark.parametrize("name", list(SAME_AS_CPYTHON))
def test_prints_what_cpython_prints(name):
    text = SAME_AS_CPYTHON[name]
    assert run(text) == run_python(text)


# CPython 3.11's messages (checked with `python3.11 -c ...`)
SYNTAX_ERRORS = {
    "match x:\n    case 1+1: pass\n": "imaginary number required in complex literal",
    "match x:\n    case 1j+1: pass\n": "real number required in complex literal",
    "match x:\n    case C(a=1, b): pass\n": "positional patterns follow keyword patterns",
    "match x:\n    case C(a=1, a=2): pass\n": "attribute name repeated in class pattern: a",
    "match x:\n    case [*a, *b]: pass\n": "multiple starred names in sequence pattern",
    "match x:\n    case [a, a]: pass\n": "multiple assignments to name 'a' in pattern",
    "match x:\n    case (1 as a) as a: pass\n": "multiple assignments to name 'a' in pattern",
    "match x:\n    case a | [b]: pass\n":
        "name capture 'a' makes remaining patterns unreachable",
    "match x:\n    case a:\n        pass\n    case 1: pass\n":
        "name capture 'a' makes remaining patterns unreachable",
    "match x:\n    case _:\n        pass\n    case 1: pass\n":
        "wildcard makes remaining patterns unreachable",
    "match x:\n    case 1 | _ | 2: pass\n": "wildcard makes remaining patterns unreachable",
    "match x:\n    case [a] | (b): pass\n": "alternative patterns bind different names",
    "match x:\n    case f'x': pass\n": "patterns may only match literals and attribute lookups",
    "match x:\n    case 1 as _: pass\n": "cannot use '_' as a target",
    "match x:\n    case 1 as None: pass\n": "invalid pattern target",
    "match x:\n    case {'a': 1, 'a': 2}: pass\n": "mapping pattern checks duplicate key ('a')",
}


@pytest.mark.parametrize("text", list(SYNTAX_ERRORS))
def test_compile_time_mistakes_are_cpythons_syntax_errors(text):
    with pytest.raises(AdcliSyntaxError) as info:
        run(text)
    assert info.value.message == SYNTAX_ERRORS[text]


@pytest.mark.parametrize("text", [
    "match x:\n    case +1: pass\n",
    "match x:\n    case {y: 1}: pass\n",
    "match x:\n    case {**r, 'a': 1}: pass\n",
    "match x:\n    case {**_}: pass\n",
    "match x:\n    case *a: pass\n",
    "match x:\n  pass\n",
])
def test_what_cpython_calls_invalid_syntax(text):
    with pytest.raises(AdcliSyntaxError) as info:
        run(text)
    assert info.value.message.startswith("invalid syntax")


def test_a_match_without_its_block_is_an_indentation_error():
    with pytest.raises(AdcliSyntaxError) as info:
        run("x = 1\nmatch x:\ncase 1: pass\n")
    assert info.value.kind == "IndentationError"
    assert info.value.message == "expected an indented block after 'match' statement on line 2"


# ---- patterns stay inside the attribute allow-list --------------------------------------
@pytest.mark.parametrize("text", [
    "def f():\n    pass\nmatch f:\n    case f.__globals__:\n        pass\n",
    "match 1:\n    case int(__globals__=g):\n        pass\n",
    "match 1:\n    case int(__subclasses__=s):\n        pass\n",
    "match 1:\n    case [*__builtins__]:\n        pass\n",
    "match 1:\n    case {'a': 1, **__dict}:\n        pass\n",
])
def test_patterns_refuse_private_names_as_the_parser_does(text):
    with pytest.raises(AdcliSyntaxError, match="starting with '__'"):
        run(text)


def test_match_args_names_are_read_through_the_allow_list():
    # `__match_args__` is script data: the names it lists are read as getattr() reads them,
    # so the host object model (a function's globals, a class's subclasses) stays closed
    text = """
class A:
    __match_args__ = ("__subclasses__", "__globals__", "__init__")
def probe(obj):
    match obj:
        case A(s):
            return "subclasses leaked"
        case _:
            return "no match"
print(probe(A()))
"""
    assert run(text) == "no match\n"
    with pytest.raises(AdcliError) as info:
        run("class A:\n    __match_args__ = ('__init__',)\nmatch A():\n    case A(f):\n"
            "        f.__globals__\n")
    assert info.value.kind == "SyntaxError"

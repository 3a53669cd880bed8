"""sys, operator, string, statistics, json, warnings, dataclasses, pprint, textwrap:
the same program text under adcli and CPython, and hostile inputs refused."""

from __future__ import annotations

import pytest

from adcli import programs
from adcli.limits import Limits
from tests.lang.pyrun import run_adcli, run_python

from .util import outcome

SAME_AS_CPYTHON = {
    "sys": """
import sys
print(sys.version_info >= (3, 8), sys.version_info[:2] == tuple(sys.version_info)[:2])
print(sys.version_info.major, type(sys.maxsize).__name__, sys.maxsize == 2**63 - 1)
print(sys.float_info.epsilon, sys.float_info.max, sys.float_info.dig, sys.platform)
print(sys.float_info)
n = sys.stdout.write("written\\n"); print(n); sys.stdout.flush()
print(sys.getrecursionlimit() > 0, isinstance(sys.path, list))
try:
    sys.exit(3)
except SystemExit as e:
    print("caught", e.args, e)
try:
    sys.exit()
except BaseException as e:
    print("base", repr(e))
try:
    try:
        sys.exit("msg")
    except Exception:
        print("not here")
except SystemExit as e:
    print("outer", e)
""",
    "operator": """
import operator
from operator import itemgetter, attrgetter, methodcaller
rows = [("b", 2), ("a", 3), ("c", 1)]
print(sorted(rows, key=itemgetter(1)), sorted(rows, key=itemgetter(0, 1)))
print(itemgetter(1), attrgetter("real"), methodcaller("split", ","))
class P:
    def __init__(self, x): self.x = x; self.y = [x]
print([p.x for p in sorted([P(3), P(1)], key=attrgetter("x"))], methodcaller("split", ",")("a,b"))
print(attrgetter("x", "y")(P(2)), methodcaller("upper")("a"), methodcaller("count", "a")("aab"))
print(operator.add(2, 3), operator.sub(2, 3), operator.mul("ab", 2), operator.truediv(1, 4))
print(operator.floordiv(7, 2), operator.mod(7, 3), operator.pow(2, 10), operator.neg(5))
print(operator.eq(1, 1.0), operator.lt("a", "b"), operator.not_(0), operator.truth([]))
print(operator.getitem({"k": 1}, "k"), operator.contains([1, 2], 2), operator.concat([1], [2]))
print(operator.and_(6, 3), operator.or_(6, 3), operator.xor(6, 3), operator.lshift(1, 4))
print(operator.countOf([1, 2, 1], 1), operator.indexOf("abc", "c"), operator.abs(-2))
""",
    "string": """
import string
print(string.ascii_letters, string.digits, string.hexdigits, string.punctuation)
print(repr(string.whitespace), string.capwords(" hello   world "), string.capwords("a-b c", "-"))
t = string.Template("$who likes ${what}; $$5")
print(t.substitute(who="tim", what="pie"), t.safe_substitute({"who": "x"}), t.template)
print(t.get_identifiers(), t.is_valid(), string.Template("$").is_valid())
try:
    t.substitute(who="x")
except KeyError as e:
    print("KeyError", e)
try:
    string.Template("a $ b").substitute()
except ValueError as e:
    print(e)
""",
    "statistics": """
import statistics as st
data = [2.75, 1.75, 1.25, 0.25, 0.5, 1.25, 3.5]
print(st.mean(data), st.fmean(data), st.median(data), st.median_low([1, 3, 5, 7]))
print(st.median_high([1, 3, 5, 7]), st.mode([1, 1, 2, 3]), st.multimode("aabbc"))
print(st.stdev(data), st.pstdev(data), st.variance(data), st.pvariance(data))
print(st.quantiles(range(1, 11)), st.quantiles([1, 2, 3, 4], n=3, method="inclusive"))
print(st.mean([1, 2, 3, 4]), st.mean(x for x in range(5)), st.geometric_mean([1, 4]))
print(st.harmonic_mean([40, 60]), st.correlation([1, 2, 3], [2, 4, 7]))
r = st.linear_regression([1, 2, 3], [2, 4, 6.5])
print(r, r.slope, r.intercept)
for bad in ([], [1]):
    try:
        st.stdev(bad)
    except ValueError as e:
        print(type(e).__name__, e)
""",
    "json": """
import json
d = {"b": [1, 2.5, None, True, False], "a": {"x": "\\u00e9\\n"}, "c": (1, 2)}
print(json.dumps(d)); print(json.dumps(d, indent=2, sort_keys=True))
print(json.dumps(d, separators=(",", ":"), ensure_ascii=False))
print(json.dumps([float("nan"), float("inf"), 1e100, -0.0, 10**20]))
print(json.dumps({1: 2, 2.5: 3, None: 4, False: 5}), json.dumps("x", indent="\\t"))
print(json.dumps([[], {}, [[]]], indent=0))
print(json.loads('{"a": [1, 2.5, null, true], "b": {"c": "\\\\u00e9"}}'))
print(json.loads("[1, 2]", parse_float=str), json.loads('"x"'), json.loads("1e3"))
class Q: pass
for bad in ("[1,", "{'a': 1}", ""):
    try:
        json.loads(bad)
    except ValueError as e:
        print(type(e).__name__, e)
try:
    json.dumps(Q())
except TypeError as e:
    print(e.args[0][:30])
l = [1]; l.append(l)
try:
    json.dumps(l)
except ValueError as e:
    print(e)
print(json.dumps({"q": 1}, default=str), json.dumps(set(), default=list))
""",
    "pprint": """
import pprint
data = {"name": "x" * 30, "values": list(range(25)), "nested": {"a": [1, 2], "b": (3, 4)}}
pprint.pprint(data)
pprint.pprint(data, width=40, indent=2)
print(pprint.pformat(list(range(5))), pprint.pformat({"b": 1, "a": 2}, sort_dicts=False))
pprint.pp({"b": 1, "a": [1] * 30})
pprint.pprint(data, depth=1)
l = [1]; l.append(l)
print(pprint.saferepr(l)[:20], pprint.isrecursive(l), pprint.isreadable([1]))
pp = pprint.PrettyPrinter(width=20)
pp.pprint(list(range(10)))
""",
    "textwrap": """
import textwrap
s = "The quick brown fox jumps over the lazy dog. " * 4
print(textwrap.fill(s, width=30))
print(textwrap.wrap(s, 25)[:3], textwrap.shorten(s, width=40))
print(textwrap.fill(s, 40, initial_indent="* ", subsequent_indent="  "))
print(repr(textwrap.dedent("    a\\n      b\\n    c\\n")), repr(textwrap.indent("a\\nb\\n", "> ")))
print(textwrap.indent("a\\n\\nb", "+ ", lambda line: True))
print(textwrap.wrap("a\\tb", expand_tabs=True, tabsize=4), textwrap.fill("", 10) == "")
""",
    "warnings_caught": """
import warnings
with warnings.catch_warnings(record=True) as w:
    warnings.simplefilter("always")
    warnings.warn("first")
    warnings.warn("second", DeprecationWarning)
    warnings.warn(UserWarning("third"))
    print(len(w), [str(x.message) for x in w], [x.category is UserWarning for x in w])
    print(issubclass(w[1].category, DeprecationWarning), w[0].lineno > 0)
with warnings.catch_warnings():
    warnings.simplefilter("error")
    try:
        warnings.warn("boom", RuntimeWarning)
    except RuntimeWarning as e:
        print("raised", repr(e))
print(warnings.formatwarning("m", UserWarning, "f.py", 3, "x = 1"))
""",
}


@pytest.mark.parametrize("name", sorted(SAME_AS_CPYTHON))
def test_same_output_as_cpython(name):
    text = SAME_AS_CPYTHON[name]
    assert run_adcli(text) == run_python(text)


# ---- whole programs: sys.exit, sys.argv, stderr, warnings -----------------------------
def _program(text: str, tmp_path, name="prog.py"):
    out, err = [], []
    oc = programs.run_python(text, str(tmp_path / name), Limits(), out.append, err.append)
    return "".join(out), "".join(err), oc


def _cpython(text: str, tmp_path, name="prog.py"):  # run as `python /abs/prog.py`
    import subprocess
    import sys

    path = tmp_path / name
    path.write_text(text)
    proc = subprocess.run([sys.executable, str(path)], cwd=tmp_path, capture_output=True,
                          text=True, timeout=60)
    return proc.stdout, proc.stderr, proc.returncode


@pytest.mark.parametrize("text", [
    "import sys\nprint(sys.argv)\nsys.exit(0)\nprint('no')\n",
    "import sys\nprint('a')\nsys.exit(2)\n",
    "import sys\nsys.exit('goodbye')\n",
    "import sys\nsys.exit(None)\n",
    "import sys\nsys.exit([1, 2])\n",
    "import sys\nprint('x', file=sys.stderr)\nsys.stderr.write('y\\n')\nprint('z')\n",
    "import sys\ndef main():\n    return 4\nif __name__ == '__main__':\n    sys.exit(main())\n",
    "import sys\ntry:\n    sys.exit(5)\nfinally:\n    print('finally')\n",
])
def test_programs_exit_as_cpython(text, tmp_path):
    out, err, oc = _program(text, tmp_path)
    c_out, c_err, c_status = _cpython(text, tmp_path)
    assert (out, err) == (c_out, c_err)
    status = oc.exit_code if oc.exit_code is not None else (1 if oc.failed else 0)
    assert status == c_status or (c_status > 1 and status == c_status)


@pytest.mark.parametrize("text", [
    "import warnings\nwarnings.warn('careful')\nfor i in range(3):\n    warnings.warn('loop')\n",
    "import warnings\nwarnings.warn('dep', DeprecationWarning)\n"
    "warnings.warn('pend', PendingDeprecationWarning)\nwarnings.warn('fut', FutureWarning)\n",
    "import warnings\ndef f():\n    warnings.warn('from f', stacklevel=2)\nf()\nf()\n",
    "import warnings\nwarnings.simplefilter('ignore')\nwarnings.warn('hidden')\n",
    "import warnings\nwarnings.filterwarnings('ignore', message='skip')\n"
    "warnings.warn('skip me')\nwarnings.warn('show me')\n",
    "import warnings\nwarnings.simplefilter('always')\nfor i in range(2):\n"
    "    warnings.warn('again')\n",
    "import warnings\nwarnings.warn('a', UserWarning)\nwarnings.warn('b', UserWarning)\n",
])
def test_warnings_print_as_cpython(text, tmp_path):
    out, err, _ = _program(text, tmp_path)
    c_out, c_err, _ = _cpython(text, tmp_path)
    assert (out, err) == (c_out, c_err)


def test_torch_warnings_go_through_the_same_printer(tmp_path):
    text = ("import torch\nimport warnings\nx = torch.ones(2, requires_grad=True)\n"
            "y = x * 2\nfor i in range(2):\n    print(y.grad)\n")
    _, err, _ = _program(text, tmp_path)
    assert err.startswith(str(tmp_path / "prog.py") + ":6: UserWarning: The .grad attribute")
    assert err.endswith("\n  print(y.grad)\n") and err.count("UserWarning") == 1
    _, err, _ = _program("import warnings\nwarnings.simplefilter('ignore')\n" + text, tmp_path)
    assert err == ""


def test_notebook_sys_exit_ends_only_its_cell():
    import json

    nb = {"cells": [{"cell_type": "code", "source": "import sys\nsys.exit(0)", "metadata": {},
                     "outputs": [], "execution_count": None},
                    {"cell_type": "code", "source": "print('next')", "metadata": {},
                     "outputs": [], "execution_count": None}],
          "metadata": {}, "nbformat": 4, "nbformat_minor": 5}
    out, err = [], []
    oc = programs.run_notebook(json.dumps(nb).encode(), "n.ipynb", Limits(), out.append,
                               err.append)
    assert "".join(out) == "SystemExit: 0\nnext\n"
    assert "An exception has occurred, use %tb to see the full traceback." in "".join(err)
    assert oc.failed == 1


# ---- hostile -------------------------------------------------------------------------------
def _run(text: str, limits: Limits | None = None):
    from adcli.errors import AdcliError

    try:
        return "ok", run_adcli(text, limits)
    except AdcliError as e:
        return e.kind, str(e)


@pytest.mark.parametrize("text", [
    "import operator\noperator.attrgetter('__class__')(1)",
    "import operator\nimport torch.nn as nn\nclass A(nn.Module): pass\n"
    "operator.attrgetter('__dict__')(A())",
    "import operator\noperator.attrgetter('__globals__')(lambda: 0)",
    "import operator\noperator.attrgetter('x.__class__.__mro__')(1)",
    "import operator\noperator.methodcaller('__reduce__')([])",
    "import operator\ndef f(): pass\noperator.attrgetter('__code__')(f)",
    "import sys\nsys.modules",
    "import sys\nsys._getframe",
    "import sys\nsys.stdout._context",
    "import sys\nsys.stdout.buffer",
    "import sys\nsys.exit.__globals__",
    "import string\nstring.Template('x').__class__.mro",
    "import json\njson.dumps.__globals__",
    "import warnings\nwarnings.catch_warnings()._state",
])
def test_nothing_reaches_out(text):
    kind, msg = _run(text)
    assert kind in ("AttributeError", "SyntaxError"), (kind, msg)


@pytest.mark.parametrize("text", [
    "import subprocess", "import socket", "import tempfile", "import shutil",
    "import pickle", "import importlib", "import ctypes", "import inspect", "import gc",
    "import threading", "from shutil import rmtree",
])
def test_refused_modules(text):
    kind, msg = _run(text)
    assert kind == "ModuleNotFoundError" and "adcli can import" in msg


SMALL = Limits(max_elements=10_000, max_steps=100_000)


@pytest.mark.parametrize("text", [
    "import json\njson.loads('[' * 5000 + ']' * 5000)",
    "import json\nx = []\nfor i in range(5000):\n    x = [x]\njson.dumps(x)",
    "import json\njson.dumps(['x' * 1000] * 1000)",
    "import json\njson.dumps([1], indent=10**9)",
    "import json\njson.loads(' ' * 2_000_000)",
    "import json\njson.loads('1' * 4000)",
    "import statistics\nstatistics.mean(range(10**7))",
    "import statistics, itertools\nstatistics.mean(itertools.count())",
    "import statistics\nstatistics.quantiles([1, 2], n=10**9)",
    "import pprint\nx = []\nfor i in range(5000):\n    x = [x]\npprint.pformat(x)",
    "import pprint\npprint.pformat(['x' * 1000] * 1000)",
    "import pprint\npprint.pformat([[1]] * 10, indent=10**9)",
    "import textwrap\ntextwrap.wrap(' ' * 100000, 1)",
    "import textwrap\ntextwrap.indent('\\n' * 5000, 'x' * 5000)",
    "import textwrap\ntextwrap.fill('a\\tb', tabsize=10**9)",
    "import string\nstring.Template('$a' * 2000).substitute(a='x' * 1000)",
    "import operator\noperator.mul('a', 10**9)",
    "import operator\noperator.pow(2, 10**6)",
    "import operator\noperator.lshift(1, 10**6)",
    "import operator, itertools\noperator.contains(itertools.count(), -1)",
    "import operator, itertools\noperator.countOf(itertools.repeat(1), 2)",
])
def test_bombs_are_refused(text):
    import time

    start = time.monotonic()
    kind, msg = _run(text, Limits(max_elements=1_000_000, max_steps=100_000,
                                  max_input_bytes=1_000_000))
    assert kind == "LimitError", (kind, msg)
    assert time.monotonic() - start < 5


def test_warning_filters_refuse_regular_expressions():
    kind, msg = _run("import warnings\nwarnings.filterwarnings('ignore', message='(a+)+$')")
    assert kind == "ValueError" and "literal" in msg
    assert _run("import warnings\nwarnings.filterwarnings('ignore', message='.*x.*')")[0] == "ok"


def test_sys_members_are_copies():
    assert _run("import sys\nsys.argv.append('x')\nimport sys as s2\nprint(s2.argv)")[0] == "ok"
    kind, _ = _run("import sys\nsys.stdout.write(1)")
    assert kind == "TypeError"
    assert _run("import sys\nsys.setrecursionlimit(10**6)\nprint(sys.getrecursionlimit())") \
        == ("ok", "1000000\n")


def test_modules_load_only_when_imported():
    import subprocess
    import sys

    code = ("import sys\nfrom adcli.lang.interpreter import Session\n"
            "s = Session(dialect='py', out=lambda t: None)\ns.exec_source('x = sorted([2, 1])')\n"
            "print(sorted(m for m in sys.modules if m in ('json', 'statistics', 'pprint', "
            "'textwrap', 'dataclasses', 'string', 'adcli.lang.pylib.jsonmod')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert "jsonmod" not in out and "statistics" not in out and "pprint" not in out


# ---- dataclasses ---------------------------------------------------------------------------
def _annotations_recorded() -> bool:
    from adcli.lang import classes

    return "__annotations__" in classes.DEFINABLE


DATACLASS_PROGRAM = """
from dataclasses import dataclass, field, asdict, astuple, replace, fields
from typing import List
@dataclass
class Point:
    x: int
    y: int = 0
@dataclass(frozen=True, order=True)
class Version:
    major: int
    minor: int = 0
@dataclass
class Bag:
    items: List[int] = field(default_factory=list)
    name: str = "bag"
    def __post_init__(self):
        self.size = len(self.items)
p = Point(1, 2)
print(p, Point(3), p == Point(1, 2), p != Point(1, 3), repr(p))
print(asdict(p), astuple(p), replace(p, y=5), [f.name for f in fields(p)])
print(sorted([Version(1, 2), Version(1, 0), Version(0, 9)]), Version(1) < Version(1, 1))
print(hash(Version(1, 2)) == hash(Version(1, 2)), Bag(), Bag([1, 2]).size)
try:
    Version(1).major = 3
except AttributeError as e:
    print("frozen:", e)
for args in [(), (1, 2, 3)]:
    try:
        Point(*args)
    except TypeError as e:
        print(e)
try:
    Point(1, z=2)
except TypeError as e:
    print(e)
"""


def test_dataclasses_as_cpython():
    assert _annotations_recorded()
    assert run_adcli(DATACLASS_PROGRAM) == run_python(DATACLASS_PROGRAM)


DATACLASS_MORE = """
from dataclasses import dataclass, field, asdict
from typing import List, ClassVar
@dataclass
class Config:
    lr: float = 0.1
    epochs: int = 3
    layers: List[int] = field(default_factory=lambda: [4, 2])
    count: ClassVar[int] = 0
@dataclass(frozen=True, order=True)
class Point:
    x: int
    y: int = 0
c = Config(lr=0.5)
print(c, asdict(c), Config.count)
print(Point(1, 2) < Point(1, 3), Point(2), sorted([Point(3), Point(1, 5)]))
try:
    Point(1).x = 3
except AttributeError as e:
    print(type(e).__name__, e)
"""


def test_dataclass_fields_classvars_and_frozen_as_cpython():
    text = "from __future__ import annotations\n" + DATACLASS_MORE
    assert run_adcli(text) == run_python(text)


def test_dataclass_methods_on_a_class_with_annotations(monkeypatch):
    """The decorator itself, on a script class made with recorded annotations."""
    from adcli.lang import classes
    from adcli.lang.pylib import dataclassesmod as D

    monkeypatch.setattr(classes, "DEFINABLE", classes.DEFINABLE | {"__annotations__"})
    ns = {"__annotations__": {"x": "int", "y": "int", "tags": "list"}, "y": 0,
          "tags": D.field(default_factory=list)}
    P = classes.make_class("P", "P", [], ns, None, (1, 1))
    P = D.dataclass(order=True)(P)
    p = P(1)
    assert repr(p) == "P(x=1, y=0, tags=[])" and p == P(1, 0, []) and P(0) < P(1)
    assert D.asdict(p) == {"x": 1, "y": 0, "tags": []} and D.astuple(p) == (1, 0, [])
    assert repr(D.replace(p, y=3)) == "P(x=1, y=3, tags=[])"
    assert outcome(P)[1] == "P.__init__() missing 1 required positional argument: 'x'"
    assert outcome(P, 1, 2, 3, 4)[1] == \
        "P.__init__() takes from 2 to 4 positional arguments but 5 were given"
    assert outcome(P, 1, w=2)[1] == "P.__init__() got an unexpected keyword argument 'w'"
    assert P.__hash__ is None
    F = D.dataclass(frozen=True)(classes.make_class(
        "F", "F", [], {"__annotations__": {"a": "int"}}, None, (1, 1)))
    f = F(1)
    kind, msg = outcome(classes.set_attribute, f, "a", 2)
    assert (kind, msg) == ("dataclasses.FrozenInstanceError", "cannot assign to field 'a'")
    assert hash(f) == hash(F(1))

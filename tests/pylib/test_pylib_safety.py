"""No member of any table is a way out: no module, no class with reachable internals, no
frame, code object or function that reads files, imports or executes code."""

from __future__ import annotations

import builtins
import inspect
import io
import os
import sys
import types

import pytest

from adcli.lang import pylib
from adcli.lang.pylib import make_runtime
from adcli.lang.pylib._common import BoundMethod, PyType

_FORBIDDEN = {builtins.open, builtins.eval, builtins.exec, builtins.compile, builtins.globals,
              builtins.vars, builtins.__import__, builtins.input, builtins.getattr,
              builtins.setattr, builtins.delattr, builtins.locals, builtins.dir,
              builtins.breakpoint, io.open, os.system, sys._getframe}


def _members():
    rt = make_runtime()
    for mod, table in rt.modules.items():
        for name, value in table.items():
            yield f"{mod}.{name}", value
    for name, value in rt.builtins.items():
        yield f"builtins.{name}", value
    for cls, table in rt.method_tables.items():
        sample = cls(1) if cls in (slice, range) else cls()
        for name, acc in table.items():
            yield f"{cls.__name__}.{name}", acc(sample)


MEMBERS = list(_members())


@pytest.mark.parametrize("name, value", MEMBERS, ids=[m[0] for m in MEMBERS])
def test_member_is_not_a_way_out(name, value):
    assert not isinstance(value, types.ModuleType), name
    assert not isinstance(value, types.FrameType | types.CodeType | types.TracebackType), name
    assert value not in _FORBIDDEN if _hashable(value) else True, name
    # classes are reachable only as PyType (no attribute of which is reachable)
    assert not isinstance(value, type), name
    if isinstance(value, types.BuiltinFunctionType | types.BuiltinMethodType):
        owner = getattr(value, "__self__", None)
        assert not isinstance(owner, types.ModuleType) or owner.__name__ in (
            "math", "time", "builtins", "_random", "random", "_functools",
            "_operator"), name
    if inspect.isfunction(value):  # our own Python code, from adcli or the stdlib
        mod = value.__module__ or ""
        assert mod.startswith(("adcli.lang.pylib", "adcli.lang.names", "functools",
                                      "random")), (name, mod)


def _hashable(value) -> bool:
    try:
        hash(value)
    except TypeError:
        return False
    return True


def test_types_and_bound_methods_hide_their_insides():
    rt = make_runtime()
    for value in (rt.builtins["int"], rt.modules["collections"]["Counter"]):
        assert isinstance(value, PyType)
        for attr in ("__subclasses__", "__mro__", "__globals__", "__dict__", "__class__",
                     "mro", "_cls", "pyclass", "__init__"):
            with pytest.raises(AttributeError):
                rt.attribute(value, attr)
    bm = rt.attribute(" ", "join")
    assert isinstance(bm, BoundMethod) and not hasattr(bm, "__dict__")
    with pytest.raises(AttributeError):
        rt.attribute(bm, "__self__")
    for obj in ("s", [1], {}, set(), (1,), frozenset()):
        for attr in ("__class__", "__dict__", "__init__", "__reduce__", "__getattribute__"):
            with pytest.raises(AttributeError):
                rt.attribute(obj, attr)


def test_nothing_reads_files_or_imports_while_running():
    """An audit hook sees no open/import/exec/compile/frame event while the library runs
    (after its lazy imports)."""
    rt = make_runtime()
    events = []
    recording = [False]

    def hook(event, args):
        if recording[0] and not event.startswith(("id", "gc.", "time.sleep")):
            events.append(event)

    sys.addaudithook(hook)
    m, b = rt.modules, rt.builtins
    recording[0] = True
    try:
        P = m["collections"]["namedtuple"]("P", "x y")
        P(1, 2)
        m["copy"]["deepcopy"]([{"a": (1, [2])}])
        m["random"]["seed"](3)
        m["random"]["shuffle"]([1, 2, 3])
        rt.attribute("{0[0]}-{1:>4}", "format")([1], 2)
        b["sorted"](m["itertools"]["permutations"]("abc"))
        m["functools"]["lru_cache"](lambda x: x)(1)
        m["math"]["factorial"](20)
        b["type"](P(1, 2))
        repr(m["typing"]["List"][b["int"]])
    finally:
        recording[0] = False
    bad = [e for e in events if e.startswith(("open", "import", "exec", "compile",
                                              "sys._getframe", "os.", "subprocess",
                                              "socket", "object.__"))]
    assert not bad, bad


def test_import_is_light():
    """Importing the package loads none of its modules or the engine."""
    import subprocess

    code = ("import sys, adcli.lang.pylib as p; "
            "print(sorted(m for m in sys.modules if m.startswith('adcli.lang.pylib.') "
            "or m.startswith('adcli.engine')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout.strip()
    assert out == "[]", out
    assert pylib.AVAILABLE_MODULES[0] == "math"


_VALUES = [None, 0, 1, -1, 2.5, "ab", [1, 2], {"a": 1}, (), 10**30, float("nan"), True,
           lambda *a: 0, {1}, range(3), b"x", -10**30, float("inf")]


def test_wrong_types_are_user_errors_and_quick(small_bounds):
    """Every callable of every table, with 0-2 arguments of assorted types: an outcome
    or an adcli error, never an internal exception, never a hang."""
    import itertools
    import time
    import warnings

    from adcli.errors import AdcliError
    from adcli.lang.pylib._common import user_error

    rt = make_runtime()
    members = [(f"{m}.{n}", v) for m, t in rt.modules.items() for n, v in t.items()
               if callable(v) and (m, n) != ("time", "sleep")]
    members += [(f"builtins.{n}", v) for n, v in rt.builtins.items() if callable(v)]
    members += [(f"{c.__name__}.{n}", a("a b" if c is str else c(1) if c in (slice, range)
                                        else c()))
                for c, t in rt.method_tables.items() for n, a in t.items()]
    bad = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name, fn in members:
            for k in range(3):
                for i, args in enumerate(itertools.product(_VALUES, repeat=k)):
                    if k == 2 and i % 7:
                        continue
                    start = time.process_time()
                    try:
                        r = fn(*args)
                        if hasattr(r, "__next__"):
                            list(itertools.islice(r, 5))
                    except StopIteration:
                        pass
                    except Exception as exc:  # noqa: BLE001
                        if not isinstance(user_error(exc), AdcliError):
                            bad.setdefault(name, f"{args!r:.60}: {type(exc).__name__}: {exc}")
                    if time.process_time() - start > 1:
                        bad.setdefault(f"{name} (slow)", repr(args)[:60])
    assert not bad, bad


def test_rejection_samplers_refuse_non_finite_parameters():
    """CPython's vonmisesvariate/gammavariate/betavariate loop forever on NaN or inf."""
    from .util import outcome

    r = make_runtime().modules["random"]
    for name, args in [("vonmisesvariate", (0, float("nan"))),
                       ("vonmisesvariate", (0, float("inf"))),
                       ("gammavariate", (float("nan"), 1)), ("betavariate", (1, float("inf")))]:
        assert outcome(r[name], *args)[0] == "ValueError"


def test_round_with_a_huge_negative_ndigits_is_quick():
    b = make_runtime().builtins
    assert b["round"](10**30, -10**30) == 0 and b["round"](1500, -3) == round(1500, -3)

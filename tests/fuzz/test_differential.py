"""Differential fuzz: random programs run through adcli and through PyTorch, compared.

Hypothesis draws programs over the Tier 1+2 ops of SPEC §1 (see ``strategies.py``):
leaves written as explicit ``tensor([...])`` literals with random values, random shapes
that broadcast, then

- ``test_expressions_match_torch``: one expression ``y = ...`` and a backward through it;
  now and then a planted mistake (shapes that don't broadcast, a dim or an index out of
  range, matmul sizes that differ, a bad reshape) that both sides must reject;
- ``test_scripts_match_torch``: short scripts: intermediates, in-place ops and ``+=``,
  index assignment, ``no_grad`` / ``enable_grad``, ``detach``, ``.data``, ``retain_grad``,
  ``backward`` with ``retain_graph``, ``autograd.grad`` with ``create_graph`` and a second
  backward, ``x -= lr * x.grad`` steps, ``autograd.functional.jacobian`` / ``hessian``;
- ``test_printing_matches_torch``: tensors that exercise the printer (integer, fixed and
  scientific modes, nan/inf, -0., denormals, empty tensors, summarization, dtypes).

Each program runs statement by statement in an adcli ``Session`` and, with ``^`` read
as ``**``, under PyTorch's names. For every name it binds, and for its ``.grad``:

- dtype, shape, ``requires_grad``, ``is_leaf``, ``grad_fn.name()`` and the graph behind
  it (``next_functions``: names and shared nodes; not for tensors computed from
  ``create_graph`` gradients, whose graphs are the backward formulas' own);
- values within float32 tolerance: ``|a - t| <= atol + rtol*|t| + 4*|t - t64|``, where
  ``t64`` is PyTorch's result for the same program in float64, so an ill-conditioned
  result gets the slack that float32 rounding really has there; nan and inf must agree;
- ``repr``, exactly: PyTorch's repr of a tensor holding adcli's values, with the same
  grad_fn / requires_grad / dtype suffixes. When the values are bit-identical this is
  PyTorch's repr of its own result; when they differ in the last bits it still checks
  the printer exactly, without asking two math libraries to round alike;
- the error type, and the statement that raised it, when either side fails; an adcli
  error that is not an ``AdcliError`` is always a finding.

Budget: ``ADCLI_FUZZ_EXAMPLES`` (default 500) expression programs and as many scripts,
half as many printing programs: 1250 examples in about 30 s on two cores when all pass.
Derandomized, so CI is reproducible; ``ADCLI_FUZZ_SEED=N`` draws another reproducible
sequence, and ``ADCLI_FUZZ_LOG=FILE`` records every mismatching program in FILE and
carries on instead of failing (for triage). ``python -m tests.fuzz.test_differential
FILE`` compares one program, one statement per line (a ``with`` block's body indented).
"""

from __future__ import annotations

import math
import os
import re
import sys
import warnings

import numpy as np
import pytest

torch = pytest.importorskip("torch")
hypothesis = pytest.importorskip("hypothesis")

from hypothesis import HealthCheck, given, note, settings  # noqa: E402

from .strategies import (  # noqa: E402
    Program,
    expression_programs,
    printing_programs,
    script_programs,
)

pytestmark = [pytest.mark.torch, pytest.mark.slow]

# adcli's Session raises the recursion limit; do it before hypothesis watches it.
sys.setrecursionlimit(max(sys.getrecursionlimit(), 20000))

RTOL = 1e-4
ATOL = 1e-5
EXAMPLES = int(os.environ.get("ADCLI_FUZZ_EXAMPLES", "500"))
SEED = os.environ.get("ADCLI_FUZZ_SEED")
LOG = os.environ.get("ADCLI_FUZZ_LOG")  # record mismatches in this file and keep going

# Differences from PyTorch that the project keeps on purpose and documents in
# docs/differences.md: regular expressions matched against the first line of each
# difference this test reports. A program whose differences all match passes.
KNOWN_DIFFERENCES: tuple = ()


# ------------------------------------------------------------------------------ capture


ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+>")


def power_caret(src: str) -> str:
    return src.replace("^", "**")  # the generated programs hold no strings


def torch_namespace() -> dict:
    import builtins

    import torch.nn.functional as F

    ns = {name: getattr(torch, name) for name in dir(torch) if not name.startswith("_")}
    ns.update(torch=torch, F=F, Variable=torch.autograd.Variable, autograd=torch.autograd)
    for name in ("range", "len", "float", "int", "bool", "str", "list", "tuple", "print",
                 "enumerate", "zip"):
        ns[name] = getattr(builtins, name)
    for name in ("sum", "abs", "max", "min", "round"):
        ns[name] = getattr(torch, name)
    return ns


def graph(fn, keep: list) -> object:
    """The graph behind a grad_fn: nested (name, children) with ('ref', k) for shared nodes."""
    seen: dict = {}

    def walk(node, depth=0):
        if node is None:
            return None
        if id(node) in seen:
            return ("ref", seen[id(node)])
        seen[id(node)] = len(seen)
        keep.append(node)
        if depth > 200 or len(seen) > 2000:
            return (node.name(), "...")
        return (node.name(), tuple(walk(n, depth + 1) for n, _ in node.next_functions))

    return walk(fn)


def capture(value, tensor_type, keep: list, with_grad: bool = True) -> dict:
    """What the comparison needs of one value, from either side."""
    if value is None:
        return {"kind": "None"}
    if isinstance(value, tensor_type):
        t = value
        try:
            arr = np.array(t.detach().numpy(), copy=True)
        except RuntimeError:  # torch's ZeroTensor, from autograd.functional
            arr = np.array(t.detach().numpy(force=True), copy=True)
        cap = {
            "kind": "tensor",
            "dtype": str(t.dtype),
            "shape": tuple(t.shape),
            "values": arr,
            "requires_grad": bool(t.requires_grad),
            "is_leaf": bool(t.is_leaf),
            "grad_fn": None if t.grad_fn is None else t.grad_fn.name(),
            "graph": graph(t.grad_fn, keep),
            "repr": repr(t),
            "obj": t,
        }
        if with_grad and (t.is_leaf or t.retains_grad):
            cap["grad"] = capture(t.grad, tensor_type, keep, with_grad=False)
        return cap
    if type(value) in (tuple, list):
        return {"kind": type(value).__name__,
                "items": [capture(v, tensor_type, keep, with_grad) for v in value]}
    if isinstance(value, (bool, int, float)):
        return {"kind": "number", "value": value}
    return {"kind": "other", "repr": ADDRESS.sub(" at 0x...>", repr(value))}


class Run:
    """One side's run of a program: where it failed, and the captured checks."""

    def __init__(self) -> None:
        self.error: tuple | None = None  # (statement index, type name, message)
        self.internal: str | None = None  # adcli only: an error that is not an AdcliError
        self.caps: dict = {}
        self.keep: list = []


def run_torch(stmts, checks) -> Run:
    run = Run()
    ns = torch_namespace()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for i, stmt in enumerate(stmts):
            try:
                exec(compile(power_caret(stmt) + "\n", "<fuzz>", "exec"), ns)
            except Exception as e:  # noqa: BLE001 - any error is a result to compare
                run.error = (i, type(e).__name__, str(e).splitlines()[0] if str(e) else "")
                break
        for c in checks:
            try:
                value = eval(power_caret(c), ns)
            except Exception as e:  # noqa: BLE001
                run.caps[c] = {"kind": "error", "type": type(e).__name__}
                continue
            run.caps[c] = capture(value, torch.Tensor, run.keep)
    return run


def run_adcli(stmts, checks) -> Run:
    from adcli.engine import tensor as engine_tensor
    from adcli.errors import AdcliError
    from adcli.lang.interpreter import Session

    run = Run()
    if not engine_tensor.is_grad_enabled():  # an earlier program left grad mode off
        engine_tensor.set_grad_mode(True)
        run.internal = "grad mode was still disabled after the previous program"
    out: list = []
    warned: list = []
    old_hook = engine_tensor.emit_warning
    engine_tensor.emit_warning = warned.append
    try:
        s = Session(out=out.append)
        for i, stmt in enumerate(stmts):
            try:
                s.exec_source(stmt + "\n", filename="<fuzz>")
            except AdcliError as e:
                run.error = (i, e.kind, str(e).splitlines()[0] if str(e) else "")
                break
            except Exception as e:  # noqa: BLE001 - an internal error is a finding
                run.internal = f"statement {i}: {type(e).__name__}: {e}"
                run.error = (i, "internal", str(e))
                break
        for c in checks:
            try:
                value = s.eval_expr(c)
            except AdcliError as e:
                run.caps[c] = {"kind": "error", "type": e.kind}
                continue
            except Exception as e:  # noqa: BLE001
                run.internal = run.internal or f"check {c}: {type(e).__name__}: {e}"
                run.caps[c] = {"kind": "error", "type": "internal"}
                continue
            try:
                run.caps[c] = capture(value, engine_tensor.Tensor, run.keep)
            except Exception as e:  # noqa: BLE001
                run.internal = run.internal or f"capture {c}: {type(e).__name__}: {e}"
                run.caps[c] = {"kind": "error", "type": "internal"}
    finally:
        engine_tensor.emit_warning = old_hook
    return run


# ------------------------------------------------------------------------------ compare


def torch_repr_with(t, values: np.ndarray) -> str:
    """PyTorch's repr of ``t`` (same suffixes) with ``values`` as its contents."""
    from torch._tensor_str import _str, _tensor_str

    if values.tobytes() == t.detach().numpy().tobytes():
        return repr(t)
    body = torch.from_numpy(np.array(values, order="C")).reshape(t.shape).to(t.dtype)
    with torch.no_grad():
        return _str(t, tensor_contents=_tensor_str(body, len("tensor(")))


def values_differ(a: np.ndarray, t: np.ndarray, t64: np.ndarray | None) -> str | None:
    if a.shape != t.shape:
        return f"shape {a.shape} != {t.shape}"
    if t.dtype.kind not in "fc" or a.dtype.kind not in "fc":
        if not np.array_equal(a, t):
            return "values differ"
        return None
    a = a.astype(np.float64)
    tt = t.astype(np.float64)
    if not np.array_equal(np.isnan(a), np.isnan(tt)):
        return "nan positions differ"
    inf = np.isinf(tt) | np.isinf(a)
    if not np.array_equal(a[inf], tt[inf]):
        return "inf positions differ"
    fin = ~(np.isnan(tt) | inf)
    slack = np.zeros_like(tt)
    if t64 is not None and t64.shape == t.shape:
        ref = t64.astype(np.float64)
        with np.errstate(invalid="ignore"):
            slack = np.where(np.isfinite(ref), 4 * np.abs(tt - ref), np.inf)
    err = np.abs(a - tt)
    bad = fin & (err > ATOL + RTOL * np.abs(tt) + slack)
    if bad.any():
        i = tuple(int(k) for k in np.argwhere(bad)[0])
        return f"values differ beyond tolerance, e.g. at {i}: {a[i]!r} vs {tt[i]!r}"
    return None


def first_difference(a, b, path="grad_fn") -> str:
    """Where two graphs first differ, as a next_functions path."""
    def label(g):
        return "None" if g is None else f"ref to node {g[1]}" if g[0] == "ref" else g[0]

    if a is None or b is None or a[0] != b[0] or a[0] == "ref":
        return f"{path}: adcli {label(a)}, torch {label(b)}"
    if a[1] == "..." or b[1] == "...":
        return f"{path}: too deep"
    if len(a[1]) != len(b[1]):
        return f"{path} ({a[0]}): {len(a[1])} inputs (adcli) vs {len(b[1])} (torch)"
    for i, (x, y) in enumerate(zip(a[1], b[1])):
        if x != y:
            return first_difference(x, y, f"{path}.next_functions[{i}][0]")
    return path


def compare_caps(where: str, a: dict, t: dict, t64: dict | None, diffs: list) -> None:
    if a["kind"] != t["kind"]:
        diffs.append(f"{where}: adcli gives {a['kind']} {a.get('repr', a.get('type', ''))}, "
                     f"torch gives {t['kind']} {t.get('repr', t.get('type', ''))}")
        return
    kind = a["kind"]
    if kind == "error":
        if a["type"] != t["type"]:
            diffs.append(f"{where}: adcli raises {a['type']}, torch raises {t['type']}")
        return
    if kind in ("tuple", "list"):
        if len(a["items"]) != len(t["items"]):
            diffs.append(f"{where}: {len(a['items'])} items vs {len(t['items'])}")
            return
        items64 = t64["items"] if t64 and t64.get("kind") == kind else [None] * len(t["items"])
        for i, (x, y, z) in enumerate(zip(a["items"], t["items"], items64)):
            compare_caps(f"{where}[{i}]", x, y, z, diffs)
        return
    if kind == "number":
        x, y = float(a["value"]), float(t["value"])
        if math.isnan(x) and math.isnan(y):
            return
        if not math.isclose(x, y, rel_tol=RTOL, abs_tol=ATOL):
            diffs.append(f"{where}: {a['value']!r} vs {t['value']!r}")
        return
    if kind == "other":
        if a["repr"] != t["repr"]:
            diffs.append(f"{where}: repr {a['repr']!r} (adcli) vs {t['repr']!r} (torch)")
        return
    if kind != "tensor":
        return
    for key in ("dtype", "shape", "requires_grad", "is_leaf", "grad_fn"):
        if a[key] != t[key]:
            diffs.append(f"{where}: {key} {a[key]!r} (adcli) vs {t[key]!r} (torch)")
    # the whole grad_fn graph, create_graph gradients included: their graphs are the
    # backward formulas' own, written as torch writes them
    if a["grad_fn"] == t["grad_fn"] and a["graph"] != t["graph"]:
        diffs.append(f"{where}: grad_fn graph differs: {first_difference(a['graph'], t['graph'])}"
                     f"\n    adcli {a['graph']}\n    torch {t['graph']}")
    t64v = t64["values"] if t64 and t64.get("kind") == "tensor" else None
    problem = values_differ(a["values"], t["values"], t64v)
    if problem:
        diffs.append(f"{where}: {problem}\n    adcli {a['repr']}\n    torch {t['repr']}")
    elif all(a[k] == t[k] for k in ("dtype", "shape", "requires_grad", "grad_fn")):
        want = torch_repr_with(t["obj"], a["values"].astype(t["values"].dtype))
        if a["repr"] != want:
            diffs.append(f"{where}: repr differs\n    adcli {a['repr']!r}\n    torch {want!r}")
    if "grad" in t or "grad" in a:
        ga = a.get("grad", {"kind": "missing"})
        gt = t.get("grad", {"kind": "missing"})
        g64 = t64.get("grad") if t64 and t64.get("kind") == "tensor" else None
        compare_caps(f"{where}.grad", ga, gt, g64, diffs)


def compare_program(prog: Program) -> list:
    stmts = prog.source()
    ref = run_torch(stmts, prog.checks)
    ref64 = run_torch(prog.source(float64=True), prog.checks)
    got = run_adcli(stmts, prog.checks)
    diffs: list = []
    if got.internal:
        diffs.append(f"adcli internal error: {got.internal}")
    if got.error != ref.error:
        ga = got.error[:2] if got.error else None
        gt = ref.error[:2] if ref.error else None
        if ga != gt:
            def side(e):
                return "runs" if e is None else f"raises {e[1]} at statement {e[0]} ({e[2]})"

            diffs.append(f"adcli {side(got.error)}; torch {side(ref.error)}")
            return diffs  # what follows would only repeat this difference
    if ref64.error != ref.error:
        ref64 = None  # the float64 twin went another way: no yardstick
    for c in prog.checks:
        if c in ref.caps and c in got.caps:
            c64 = ref64.caps.get(c) if ref64 else None
            compare_caps(c, got.caps[c], ref.caps[c], c64, diffs)
    return diffs


def check(prog: Program) -> None:
    note(prog.text())
    diffs = [d for d in compare_program(prog)
             if not any(re.search(k, d.splitlines()[0]) for k in KNOWN_DIFFERENCES)]
    if not diffs:
        return
    report = "program:\n" + prog.text() + "differences:\n" + "\n".join(diffs)
    if LOG:
        with open(LOG, "a", encoding="utf-8") as f:
            f.write(report + "\n" + "=" * 80 + "\n")
        return
    raise AssertionError(report)


def fuzz_settings(examples: int):
    kw = dict(max_examples=examples, deadline=None, database=None, print_blob=True,
              suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                     HealthCheck.filter_too_much])
    if SEED is None:
        return settings(derandomize=True, **kw)
    return settings(derandomize=False, **kw)


def _seeded(test):
    if SEED is not None:
        return hypothesis.seed(int(SEED))(test)
    return test


@_seeded
@fuzz_settings(EXAMPLES)
@given(expression_programs())
def test_expressions_match_torch(prog):
    check(prog)


@_seeded
@fuzz_settings(EXAMPLES)
@given(script_programs())
def test_scripts_match_torch(prog):
    check(prog)


@_seeded
@fuzz_settings(max(EXAMPLES // 2, 50))
@given(printing_programs())
def test_printing_matches_torch(prog):
    check(prog)


def main(argv) -> int:
    """Compare one program file: statements separated by blank lines, or one per line."""
    text = open(argv[0], encoding="utf-8").read()
    stmts, cur = [], []
    for line in text.splitlines():
        if line.startswith((" ", "\t")) and cur:
            cur.append(line)
            continue
        if cur:
            stmts.append("\n".join(cur))
        cur = [line] if line.strip() and not line.startswith("#") else []
    if cur:
        stmts.append("\n".join(cur))
    names = []
    for s in stmts:
        for line in s.splitlines():
            line = line.strip()
            lhs = line.split("=", 1)[0] if "=" in line and not line.startswith("with") else ""
            for n in lhs.replace(",", " ").split():
                if n.isidentifier() and n not in names:
                    names.append(n)
    diffs = compare_program(Program(stmts, names, "file"))
    print("\n".join(diffs) if diffs else "no differences")
    return 1 if diffs else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""``adcli gradcheck``: autograd against central finite differences, in float64.

Two kinds of check, reported in the order the engine ran the backward pass:

- **node by node**, for every custom ``autograd.Function`` the pass went through (what
  students write, and get wrong): its ``forward`` is applied again on float64 copies of
  the inputs it was given, and its ``backward``'s Jacobian is compared with central
  differences of that forward, element by element. The first one that disagrees is the
  node to fix: its line, both Jacobians and the largest difference are shown.
- **end to end**, for each leaf the pass reached (an expression's inputs, a program's
  tensors that require grad and its modules' parameters): the program runs again with
  the leaf moved by ``±eps`` along a few directions, and the change of the output is
  compared with the leaf's gradient. Built-in ops are checked this way, as a whole.

The program runs with float64 as the default dtype. torch's tolerances (rtol 1e-3, atol
1e-5) apply unless given.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from adcli.engine.tensor import Tensor

MAX_LEAVES = 16
DIRECTIONS = 2
MAX_ELEMENTS = 400  # a custom node's input elements checked one by one, at most


@dataclass
class Check:
    kind: str  # "node" or "leaf"
    name: str  # the Function's node name, or the leaf's name
    where: str  # the user's words, with the line
    line: int | None
    ok: bool
    max_diff: float
    analytical: object = None
    numerical: object = None
    message: str = ""


@dataclass
class Report:
    checks: list = field(default_factory=list)
    eps: float = 1e-6
    rtol: float = 1e-3
    atol: float = 1e-5
    note: str = ""

    @property
    def ok(self) -> bool:
        return all(c.ok for c in self.checks)

    def first_failure(self):
        return next((c for c in self.checks if not c.ok), None)

    def to_json(self) -> dict:
        def arr(a):
            return None if a is None else np.asarray(a).tolist()

        first = self.first_failure()
        return {"ok": self.ok, "eps": self.eps, "rtol": self.rtol, "atol": self.atol,
                "first_failure": None if first is None else self.checks.index(first),
                "note": self.note or None,
                "checks": [{"kind": c.kind, "name": c.name, "where": c.where,
                            "line": c.line, "ok": c.ok, "max_diff": c.max_diff,
                            "analytical": arr(c.analytical), "numerical": arr(c.numerical),
                            "message": c.message} for c in self.checks]}


def _close(a, n, rtol, atol) -> bool:
    return bool(np.allclose(a, n, rtol=rtol, atol=atol))


def _float64_default():
    from contextlib import contextmanager

    from adcli.engine import api

    @contextmanager
    def ctx():
        old = api.get_default_dtype()
        api.set_default_dtype(api.float64)
        try:
            yield
        finally:
            api.set_default_dtype(old)

    return ctx()


def run(target: str, bindings: list, limits, *, eps: float = 1e-6, rtol: float = 1e-3,
        atol: float = 1e-5, pass_number: int | None = None, seed: int = 0,
        end_to_end: bool | None = None):
    """Inspect TARGET in float64, then check its backward pass. Returns (Inspected,
    Report); errors in TARGET raise as from inspect_target.

    ``end_to_end`` (default: for an expression only) also compares each leaf's gradient
    with finite differences of the whole program. In a program that uses ``detach()``,
    ``.data``, ``no_grad`` or updates a leaf in place, those differ by design (autograd
    follows the graph, not the arithmetic), so it is asked for, not assumed."""
    from adcli.see.inspect import Inspector, inspect_target, is_file_target

    if end_to_end is None:
        end_to_end = not is_file_target(target)

    report = Report(eps=eps, rtol=rtol, atol=atol)
    first = Inspector()
    first.track_leaves = True
    with _float64_default():
        result = inspect_target(target, bindings, limits, seed=seed, inspector=first)
        if not first.passes:
            report.note = ("the program ran no backward pass: nothing to check (call "
                           ".backward() on a scalar, or give an expression with a scalar "
                           "value)")
            return result, report
        from adcli.see.inspect import find_pass

        p = find_pass(first, pass_number)
        k = p.number
        names = first.names()
        for st in p.steps:
            if getattr(st.node, "_see_inputs", None) is not None:
                report.checks.append(_check_custom(st.node, eps, rtol, atol))
        if end_to_end:
            report.checks += _check_leaves(target, bindings, limits, first, p, k, names, eps,
                                           rtol, atol, seed)
        elif not report.checks:
            report.note = ("the backward pass went through no custom autograd.Function, the "
                           "nodes checked one by one; built-in ops are checked as a whole "
                           "with --end-to-end")
    return result, report


def _where(node) -> tuple[str, int | None]:
    site = getattr(node, "_see_site", None)
    if site is None:
        return node.name(), None
    return f"line {site.line}: {site.text}", site.line


def _check_custom(node, eps, rtol, atol) -> Check:
    """The node's Function, applied again on float64 copies of its inputs."""
    from adcli.engine import api
    from adcli.engine.functional import jacobians
    from adcli.errors import AdcliError

    cls = node._fn
    saved, kwargs = node._see_inputs
    where, line = _where(node)
    name = type(node).__name__
    args, diff = [], []
    for a in saved:
        if isinstance(a, tuple) and len(a) == 2 and isinstance(a[0], np.ndarray):
            data, req = a
            t = api.tensor(data.astype(np.float64) if data.dtype.kind == "f" else data)
            if req and data.dtype.kind == "f":
                t.requires_grad_(True)
                diff.append(t)
            args.append(t)
        else:
            args.append(a)
    if not diff:
        return Check("node", name, where, line, True, 0.0, message="no input requires grad")
    if sum(t._data.size for t in diff) > MAX_ELEMENTS:
        return Check("node", name, where, line, True, 0.0,
                     message=f"skipped: more than {MAX_ELEMENTS} input elements")
    try:
        outs, numerical, analytical = jacobians(lambda *xs: cls.apply(*xs, **kwargs),
                                                tuple(args), diff, eps)
    except AdcliError as exc:
        return Check("node", name, where, line, False, float("inf"),
                     message=f"re-running it raised {exc.kind}: {exc}")
    worst, bad = 0.0, None
    for i, (nums, anas) in enumerate(zip(numerical, analytical)):
        for k, num in nums.items():
            ana = anas.get(k)
            if ana is None:
                continue
            d = float(np.max(np.abs(ana - num))) if ana.size else 0.0
            worst = max(worst, d)
            if bad is None and not _close(ana, num, rtol, atol):
                bad = (i, k, ana, num)
    if bad is None:
        return Check("node", name, where, line, True, worst)
    i, k, ana, num = bad
    shape = diff[i]._data.shape
    return Check("node", name, where, line, False, worst,
                 analytical=_as_grad(ana, shape, outs[k]), numerical=_as_grad(num, shape,
                                                                               outs[k]),
                 message=f"backward's gradient for input {i} (of output {k}) disagrees with "
                         "finite differences of forward")


def _as_grad(jac, shape, out):
    """A Jacobian shown as the gradient of sum(output): the input's shape, readable."""
    return jac.sum(axis=1).reshape(shape) if jac.ndim == 2 else jac


def _check_leaves(target, bindings, limits, first, p, k, names, eps, rtol, atol, seed):
    got = {id(t): g for t, g in p.leaves}
    order = [(i, t) for i, t in enumerate(first.leaf_order) if id(t) in got]
    checks = []
    rng = np.random.default_rng(seed)
    for i, t in order[:MAX_LEAVES]:
        g = np.asarray(got[id(t)]._data if isinstance(got[id(t)], Tensor) else got[id(t)],
                       np.float64)
        name = names.get(id(t), f"leaf {i}")
        step = eps if t._data.dtype == np.float64 else 1e-3
        tol_r, tol_a = (rtol, atol) if t._data.dtype == np.float64 else (1e-2, 1e-3)
        worst, failed, skipped = 0.0, None, ""
        if not np.all(np.isfinite(g)):
            checks.append(Check("leaf", name, name, None, True, 0.0,
                                message="skipped: its gradient is not finite"))
            continue
        for _ in range(DIRECTIONS):
            v = rng.standard_normal(t._data.shape)
            estimates = []
            for h in (step, step / 4):
                vals = [_output_at(target, bindings, limits, seed, k, i, sign * h * v)
                        for sign in (1, -1)]
                if vals[0] is None or vals[1] is None:
                    estimates = None
                    break
                estimates.append((vals[0] - vals[1]) / (2 * h))
            if estimates is None:
                skipped = "skipped: the output's value was not kept"
                break
            num, finer = estimates
            ana = float(np.sum(g * v))
            if not (np.isfinite(num) and np.isfinite(finer)) or \
                    not _close(num, finer, 10 * tol_r, 10 * tol_a):
                skipped = ("skipped: not differentiable here (the output jumps or kinks "
                           "within the step)")
                break
            d = abs(ana - num)
            worst = max(worst, d)
            if failed is None and not _close(ana, num, tol_r, tol_a):
                failed = (ana, num)
        if skipped:
            checks.append(Check("leaf", name, name, None, True, worst, message=skipped))
        elif failed is None:
            checks.append(Check("leaf", name, name, None, True, worst))
        else:
            checks.append(Check("leaf", name, name, None, False, worst,
                                analytical=failed[0], numerical=failed[1],
                                message="the gradient along a random direction disagrees "
                                        "with the change of the output"))
    return checks


def _output_at(target, bindings, limits, seed, k, leaf, delta):
    """<root value, root gradient> of pass ``k`` when the program runs again with
    ``delta`` added to its ``leaf``-th leaf."""
    from adcli.see.inspect import Inspector, inspect_target

    again = Inspector()
    again.track_leaves = True
    again.perturb = {leaf: delta}
    again.capture_pass = k
    inspect_target(target, bindings, limits, seed=seed, inspector=again)
    return again.captured


# -- output ---------------------------------------------------------------------------------
def rich_view(report: Report):
    from rich.console import Group
    from rich.table import Table
    from rich.text import Text

    from adcli.see.model import short

    head = Text(f"gradcheck in float64: eps {report.eps:g}, rtol {report.rtol:g}, "
                f"atol {report.atol:g}", style="bold")
    if not report.checks:
        return Group(head, Text(report.note or "nothing to check", style="dim"))
    table = Table(show_lines=False)
    table.add_column("", no_wrap=True)
    table.add_column("check")
    table.add_column("where", overflow="fold")
    table.add_column("max |diff|", justify="right")
    first = report.first_failure()
    for c in report.checks:
        mark = Text("ok", style="green") if c.ok else Text("FAIL", style="bold red")
        what = "node " + c.name if c.kind == "node" else "leaf " + c.name
        where = c.where if c.kind == "node" else "end to end"
        if c.message.startswith("skipped"):
            mark = Text("skip", style="dim")
            where += f" ({c.message[len('skipped: '):]})"
        table.add_row(mark, what, where, f"{c.max_diff:.3g}")
    parts = [head, table]
    if first is not None:
        parts.append(Text(f"first disagreement: {first.name} at {first.where}",
                          style="bold red"))
        parts.append(Text(f"  {first.message}"))
        if first.analytical is not None:
            parts.append(Text(f"  analytical (backward): {short(first.analytical, 70)}"))
            parts.append(Text(f"  numerical (finite differences): "
                              f"{short(first.numerical, 70)}"))
    else:
        parts.append(Text("every backward agrees with finite differences", style="green"))
    if report.note:
        parts.append(Text("note: " + report.note, style="dim"))
    return Group(*parts)

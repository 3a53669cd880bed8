"""Run a program or an expression while watching its graph being made and used.

An ``Inspector`` is what ``adcli graph``, ``explain`` and ``gradcheck`` read:

- while the program runs, each op-level expression (an operator, a call, an index) that
  makes graph nodes stamps them with its *site*: its line, column and text, the user's
  own words (``3 * (x + 2) ** 2``), and the top node keeps the value it produced;
- during each backward pass it records what the engine did, node by node, in the order
  the engine ran them: the gradient that reached the node, what its backward gave each
  input, and the gradient after a broadcast was summed away (``Pass``);
- afterwards, ``names()`` gives the user's names for tensors and nodes: the script's
  variables, and the parameters of its modules (``model.fc1.weight``).

Nothing here changes what the program computes; it only keeps references.
"""

from __future__ import annotations

import os
from contextlib import contextmanager
from dataclasses import dataclass, field

from adcli.engine.autograd import engine as _engine
from adcli.engine.autograd import sites as _sites
from adcli.engine.tensor import Tensor, graph_clock

KEEP_VALUES = 1_000_000  # elements of produced values kept per program, then no more
MAX_PASSES = 50  # backward passes kept (the latest ones): a training loop runs thousands


@dataclass(frozen=True, eq=False)
class Site:
    """Where a node was made: the expression's line, column, text and syntax tree."""

    line: int
    col: int
    text: str
    function: str = "<module>"
    tree: object = None


@dataclass
class Step:
    """One node's turn in a backward pass."""

    node: object
    grad_out: object  # the gradient that reached the node (array or Tensor)
    grads_in: tuple  # what its backward gave each input (None where none)
    conformed: dict = field(default_factory=dict)  # input index -> (given, after summing)


@dataclass
class Pass:
    """One backward pass: its roots and the steps in the engine's order."""

    roots: tuple
    create_graph: bool
    line: int | None
    number: int = 0  # 1 for the program's first backward pass
    steps: list = field(default_factory=list)
    leaves: list = field(default_factory=list)  # (tensor, gradient) as each leaf got it


class Inspector:
    """Stamps sites while compiling and running; observes backward passes."""

    def __init__(self) -> None:
        self.sessions: list = []
        self.passes: list[Pass] = []  # the latest MAX_PASSES
        self.pass_count = 0
        self._current: Pass | None = None
        self._kept = 0
        self.expr = False  # one expression (no lines worth showing)
        # gradcheck: leaf tensors in the order the program made them (a call's result, a
        # module's parameters); ``perturb`` adds a delta to the k-th as it is made, and the
        # pass numbered ``capture_pass`` stores <root value, root gradient> in ``captured``
        self.track_leaves = False
        self.leaf_order: list = []
        self._leaf_ids: set = set()
        self.perturb: dict = {}
        self.capture_pass: int | None = None
        self.captured: float | None = None

    # -- while compiling and running ------------------------------------------------------
    def wrap(self, node, fn, function: str = "<module>"):
        """The evaluator ``fn`` of expression ``node``, stamping the nodes it makes."""
        from adcli.lang.unparse import unparse

        site = Site(node.pos[0], node.pos[1], unparse(node), function, node)
        clock, stamp = graph_clock, self._stamp
        reads = _sites.READS

        def traced(scope):
            start = clock()
            reads[0] += 1  # a clock read, not a node (Session.nodes_recorded)
            value = fn(scope)
            if self.track_leaves:
                self._leaves(value)
            if value.__class__ is Tensor:
                if value._grad_fn is not None:
                    stamp(value, start, site)
            elif value.__class__ is tuple or value.__class__ is list:
                for v in value[:64]:
                    if v.__class__ is Tensor and v._grad_fn is not None:
                        stamp(v, start, site)
            return value

        return traced

    def _stamp(self, t: Tensor, start: int, site: Site) -> None:
        top = t._grad_fn
        if top._seq < start or getattr(top, "_see_site", None) is not None:
            return
        top._see_top = True
        if self._kept < KEEP_VALUES and t._data.size <= KEEP_VALUES // 10:
            top._see_value = t._data
            self._kept += t._data.size
        stack = [top]
        while stack:
            n = stack.pop()
            if n._seq < start or getattr(n, "_see_site", None) is not None:
                continue
            n._see_site = site
            for e in n._next:
                if e is not None and e.__class__ is not Tensor:
                    stack.append(e)

    def _leaves(self, value) -> None:
        if value.__class__ is Tensor:
            found = [value] if value._grad_fn is None and value._rg else []
        else:
            named = getattr(value, "named_parameters", None)
            if named is None or not callable(named) or isinstance(value, type):
                return
            try:
                found = [p for _, p in named()]
            except Exception:  # noqa: BLE001 - not a module after all
                return
        for t in found:
            if id(t) in self._leaf_ids:
                continue
            self._leaf_ids.add(id(t))
            k = len(self.leaf_order)
            self.leaf_order.append(t)
            delta = self.perturb.get(k)
            if delta is not None:
                t._data = (t._data + delta).astype(t._data.dtype)

    # -- the engine's observer ------------------------------------------------------------
    def started(self, roots, grads, create) -> None:
        log = _sites.LOG[0]
        line = log[-1][1][0] if log else None
        self.pass_count += 1
        self._current = Pass(tuple(roots), bool(create), line, self.pass_count)
        self.passes.append(self._current)
        if len(self.passes) > MAX_PASSES:
            del self.passes[0]
        if self.capture_pass == self.pass_count:
            import numpy as np

            total = 0.0
            for r, g in zip(roots, grads):
                v = r._data if r.__class__ is Tensor else getattr(r, "_see_value", None)
                if v is None:
                    return
                g = g._data if g.__class__ is Tensor else g
                total += float(np.sum(np.asarray(v, np.float64) * np.asarray(g, np.float64)))
            self.captured = total

    def ran(self, node, g, grads_in) -> None:
        if self._current is not None:
            self._current.steps.append(Step(node, g, tuple(grads_in)))
        node._see_grad = g

    def passed(self, node, edge, given, conformed) -> None:
        cur = self._current
        if cur is None or not cur.steps or cur.steps[-1].node is not node:
            return
        step = cur.steps[-1]
        for i, e in enumerate(node._next):
            if e is edge and i not in step.conformed:
                step.conformed[i] = (given, conformed)
                break

    def leaf(self, tensor, g) -> None:
        if self._current is not None:
            self._current.leaves.append((tensor, g))

    def finished(self) -> None:
        self._current = None

    # -- afterwards -----------------------------------------------------------------------
    def names(self) -> dict:
        """id(tensor or node) -> the user's name for it, from every session's variables
        (the latest binding of a name wins; a tensor's grad_fn gets its name too)."""
        out: dict = {}
        for session in self.sessions:
            scope = session.scope
            items = list(scope.items())
            for name, value in items:
                if name.startswith("__") or not isinstance(name, str):
                    continue
                _name_value(out, name, value)
        return out


def _name_value(out: dict, name: str, value) -> None:
    if isinstance(value, Tensor):
        out.setdefault(id(value), name)
        if value._grad_fn is not None:
            out.setdefault(id(value._grad_fn), name)
        return
    named = getattr(value, "named_parameters", None)
    if named is not None and callable(named) and type(value).__name__ != "type":
        try:
            for path, p in named():
                out.setdefault(id(p), f"{name}.{path}")
        except Exception:  # noqa: BLE001 - a user's module whose parameters cannot be listed
            pass


@contextmanager
def inspecting(inspector: Inspector):
    """Sessions compiled inside stamp sites; backward passes are observed."""
    from adcli.lang import interpreter

    saved_insp, saved_obs = interpreter.INSPECTOR[0], _engine.OBSERVER[0]
    was_on = _sites.active()
    interpreter.INSPECTOR[0] = inspector
    _engine.OBSERVER[0] = inspector
    _sites.start()
    try:
        yield inspector
    finally:
        interpreter.INSPECTOR[0] = saved_insp
        _engine.OBSERVER[0] = saved_obs
        if not was_on:
            _sites.stop()


# -- running a target -----------------------------------------------------------------------
@dataclass
class Inspected:
    """What inspecting a target gave: the inspector, the value asked for, the errors."""

    inspector: Inspector
    value: object
    name: str
    errors: list
    diagnostics: str
    output: str


def is_file_target(target: str) -> bool:
    return target == "-" or (os.path.splitext(target)[1].lower() in (".adc", ".py", ".ipynb")
                             and os.path.exists(target)) or os.path.isfile(target)


def inspect_target(target: str, bindings: list, limits, of: str | None = None,
                   backward: bool = True, seed: int | None = 0,
                   inspector: Inspector | None = None) -> Inspected:
    """Run FILE or evaluate EXPR under an inspector; the value to show is ``of`` (a name
    in the program), else an expression's result or the root of the program's last
    backward pass, else its newest variable with a grad_fn."""
    inspector = inspector if inspector is not None else Inspector()
    out: list[str] = []
    err: list[str] = []
    errors: list = []
    from adcli.engine import tensor as _tensor

    saved_warn = _tensor.emit_warning
    _tensor.emit_warning = lambda message, site=None: err.append(f"UserWarning: {message}\n")
    try:
        with inspecting(inspector):
            if is_file_target(target):
                _run_file(target, limits, out.append, err.append, errors, seed)
                value, name = _pick(inspector, of)
            else:
                value, name = _run_expr(inspector, target, bindings, limits, of, backward)
    finally:
        _tensor.emit_warning = saved_warn
    return Inspected(inspector, value, name, errors, "".join(err), "".join(out))


def _run_file(path: str, limits, out, err, errors: list, seed) -> None:
    from adcli import programs
    from adcli.batch import read_source

    kind = programs.kind_of(path)
    if kind == "ipynb":
        with open(path, "rb") as f:
            outcome = programs.run_notebook(f.read(), path, limits, out, err, seed=seed)
        errors.extend(outcome.errors)
        return
    text = read_source(path, limits.max_input_bytes)
    if kind == "py":
        outcome = programs.run_python(text, path, limits, out, err, seed=seed)
        errors.extend(outcome.errors)
        return
    from adcli.engine import api
    from adcli.lang.interpreter import Session

    if seed is not None:
        api.manual_seed(seed)
    session = Session(limits=limits, out=out)
    report = session.run_cells(text, path, err=err)
    errors.extend(report.errors)


def _run_expr(inspector: Inspector, expr: str, bindings, limits, of, backward: bool):
    from adcli.errors import AdcliError
    from adcli.evaluate import bind_input
    from adcli.lang.interpreter import Session

    session = Session(limits=limits, out=lambda s: None)
    inspector.sessions.append(session)
    inspector.expr = True
    for name, text in bindings:
        bound = bind_input(session, name, text)
        if inspector.track_leaves:
            inspector._leaves(bound)
    try:
        value = session.eval_expr(expr)
    except AdcliError as exc:
        exc.source = ("<expr>", expr)
        raise
    if backward and isinstance(value, Tensor) and value.requires_grad and value.numel() == 1:
        try:
            value.backward(retain_graph=True)
        except AdcliError as exc:
            exc.source = ("<expr>", expr)
            raise
    if of is not None:
        return _named(inspector, of), of
    return value, expr


def _named(inspector: Inspector, name: str):
    from adcli.errors import TorchNameError

    for session in reversed(inspector.sessions):
        if name in session.scope:
            return session.scope[name]
    raise TorchNameError(f"--of {name}: the program has no variable '{name}'")


def _pick(inspector: Inspector, of: str | None):
    if of is not None:
        return _named(inspector, of), of
    names = inspector.names()
    for p in reversed(inspector.passes):
        for r in p.roots:
            node = r if not isinstance(r, Tensor) else r._grad_fn
            if node is not None and node.__class__ is not Tensor:
                return _NodeRoot(node), names.get(id(node), "the backward root")
    best = None
    for session in inspector.sessions:
        for name, value in list(session.scope.items()):
            if isinstance(value, Tensor) and value._grad_fn is not None and \
                    not str(name).startswith("_"):
                if best is None or value._grad_fn._seq > best[0]._grad_fn._seq:
                    best = (value, name)
    if best is None:
        return None, ""
    return best


class _NodeRoot:
    """A backward root known only by its node (the tensor may be gone)."""

    def __init__(self, node) -> None:
        self._grad_fn = node


def find_pass(inspector: Inspector, number: int | None) -> Pass:
    """Backward pass ``number`` (1-based; None: the last), or a clear error."""
    from adcli.errors import TorchValueError

    if not inspector.passes:
        raise TorchValueError("no backward pass ran: call .backward() on a scalar (or give "
                              "an expression with a scalar value)")
    if number is None:
        return inspector.passes[-1]
    for p in inspector.passes:
        if p.number == number:
            return p
    first = inspector.passes[0].number
    kept = f"; passes {first}-{inspector.pass_count} are kept" if first > 1 else ""
    raise TorchValueError(f"--pass {number}: the program ran {inspector.pass_count} backward "
                          f"pass(es){kept}")

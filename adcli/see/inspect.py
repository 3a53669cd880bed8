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


@dataclass(frozen=True)
class Site:
    """Where a node was made: the expression's line, column and text."""

    line: int
    col: int
    text: str
    function: str = "<module>"


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
    steps: list = field(default_factory=list)
    leaves: list = field(default_factory=list)  # (tensor, gradient) as each leaf got it


class Inspector:
    """Stamps sites while compiling and running; observes backward passes."""

    def __init__(self) -> None:
        self.sessions: list = []
        self.passes: list[Pass] = []
        self._current: Pass | None = None
        self._kept = 0

    # -- while compiling and running ------------------------------------------------------
    def wrap(self, node, fn, function: str = "<module>"):
        """The evaluator ``fn`` of expression ``node``, stamping the nodes it makes."""
        from adcli.lang.unparse import unparse

        site = Site(node.pos[0], node.pos[1], unparse(node), function)
        clock, stamp = graph_clock, self._stamp
        reads = _sites.READS

        def traced(scope):
            start = clock()
            reads[0] += 1  # a clock read, not a node (Session.nodes_recorded)
            value = fn(scope)
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
        if self._kept < KEEP_VALUES:
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

    # -- the engine's observer ------------------------------------------------------------
    def started(self, roots, grads, create) -> None:
        log = _sites.LOG[0]
        line = log[-1][1][0] if log else None
        self._current = Pass(tuple(roots), bool(create), line)
        self.passes.append(self._current)

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
                   backward: bool = True, seed: int | None = 0) -> Inspected:
    """Run FILE or evaluate EXPR under an inspector; the value to show is ``of`` (a name
    in the program), else an expression's result or the root of the program's last
    backward pass, else its newest variable with a grad_fn."""
    inspector = Inspector()
    out: list[str] = []
    err: list[str] = []
    errors: list = []
    with inspecting(inspector):
        if is_file_target(target):
            _run_file(target, limits, out.append, err.append, errors, seed)
            value, name = _pick(inspector, of)
        else:
            value, name = _run_expr(inspector, target, bindings, limits, of, backward)
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
    for name, text in bindings:
        bind_input(session, name, text)
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

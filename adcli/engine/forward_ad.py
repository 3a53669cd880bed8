"""``torch.autograd.forward_ad``: dual tensors and forward-mode AD, with torch's semantics.

A dual level is active between ``enter_dual_level()`` and ``exit_dual_level()`` (the
``dual_level()`` context); torch supports one at a time. While one is, ``tensor._FWD[0]``
is that level, and every op (the applies of ``ops/kinds.py``, and through
``tensor._dual_aware`` every other op's entry point) runs through ``_Level.run``: the op
runs as before (its reverse-mode graph included), then, when one of its tensor inputs has
a tangent at this level, its output gets the tangent J·t, found in this order:

- ops whose gradient is zero (floor, sign, the random fills...): zeros;
- the declared JVP formula of the op (``Op(jvp=...)``), for a plain call of its grad_fn;
- views and other ops linear in their input (sum, mean, clone, cat, ...): the op itself
  applied to the tangents, so that a view's tangent is a view of its input's tangent;
- mm, mv, dot, bmm: op(t_a, b) + op(a, t_b);
- every other op (``DERIVED``): the double-vjp trick on that one op: it runs again on
  fresh leaves over the same values, its backward runs with a recorded cotangent ``u``
  (the Tensor backend), and d<vjp(u), t>/du = J·t.

A tangent is a Tensor kept on its dual as ``_fw = (level, tangent)``; it counts only while
that level is active (``exit_dual_level`` thus forgets every tangent of the level). A view
without a tangent of its own sees its base's (as torch: a view of the base's tangent). An
in-place write (``tensor.bump``) writes the op's tangent into the written tensor's tangent,
in place, so that views of it and the tangent the script passed see it, as in torch.

Tangents are not differentiable by reverse mode (torch's are when the primal requires
grad). Not covered: a write that runs no op (``x[i] = v`` while nothing requires grad,
optimizers' and ``nn.init``'s writes) leaves the tangent as it was, and an in-place view
op (``unsqueeze_``, ``t_``) leaves it in the old shape. ``x.mul_(x)`` gives the derivative
of x*x, where torch's in-place formula reads the tangent it already updated.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np

from adcli.engine import backends as _backends
from adcli.engine import shape as _sh
from adcli.engine import tensor as _tensor
from adcli.engine.autograd.views import _graft
from adcli.engine.declarations import OPS as _OPS
from adcli.engine.ops import elementwise as _el
from adcli.engine.ops import kinds as _kinds
from adcli.engine.ops import linalg as _linalg
from adcli.engine.ops import reductions as _red
from adcli.engine.ops import selection as _sel
from adcli.engine.ops import shapes as _shapes
from adcli.engine.tensor import _FORMULA, _FWD, _INFERENCE, Tensor, _wrap
from adcli.errors import (
    TorchAttributeError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)

_ndarray = np.ndarray

# ---- how each op's tangent is found ------------------------------------------------------


def _formulas() -> dict:
    """grad_fn class -> the declared JVP formula of the op whose first grad_fn it is, where
    no other op makes that class with another formula (or none: ``square`` and ``pow`` share
    PowBackward0, so neither formula serves it)."""
    found: dict = {}
    clash: set = set()
    for op in _OPS:
        if not op.grad_fn:
            continue
        cls = op.grad_fn[0]
        jvp = op.jvp if callable(op.jvp) else None
        if cls in found and found[cls] is not jvp:
            clash.add(cls)
        found[cls] = jvp
    return {cls: f for cls, f in found.items() if f is not None and cls not in clash}


_FORMULAS = _formulas()
# add and sub take alpha as a third argument: it scales the second operand's tangent
_ALPHA = (_el.AddBackward0, _el.SubBackward0)
# ops linear in their one tensor input, the other arguments fixed: tangent = op(tangent)
_LINEAR = (
    _kinds.View, _red.SumBackward0, _red.SumBackward1, _red.MeanBackward0,
    _red.MeanBackward1, _red.CumsumBackward0, _el.CloneBackward0, _el.ToCopyBackward0,
    _el.NegBackward0, _el.MulBackward1, _el.DivBackward1, _shapes.UnsafeViewBackward0,
    _shapes.RepeatBackward0, _shapes.IndexBackward0, _shapes.FlipBackward0,
    _shapes.SqueezeBackward4, _sel.GatherBackward0, _sel.IndexSelectBackward0,
    _sel.TrilBackward0, _sel.TriuBackward0, _sel.RollBackward0, _linalg.TraceBackward0,
    _linalg.DiagonalBackward0, _linalg.DiagEmbedBackward0,
)
# ops linear in all their tensor inputs together (a list): tangent = op(tangents)
_LINEAR_LIST = (_shapes.CatBackward0, _shapes.StackBackward0)


# ---- the level -----------------------------------------------------------------------------


class _Level:
    """An active dual level: the hook every op runs through (``tensor._FWD[0]``)."""

    def __init__(self, index: int) -> None:
        self.index = index
        # the latest op run, for the in-place write that may follow it (``written``)
        self._pending = None

    # -- tangents of tensors
    def tangent_of(self, t: Tensor):
        """``t``'s tangent at this level, or None. A view without one of its own gets a
        view of its base's, as torch's views do."""
        fw = t._fw
        if fw is not None and fw[0] is self:
            return fw[1]
        if t._view is not None:
            base, steps = t._view
            tb = self.tangent_of(base)
            if tb is not None:
                tangent = _view_of(tb, steps)
                t._fw = (self, tangent)
                return tangent
        return None

    # -- ops
    def run(self, cls, raw: Callable, args: tuple):
        """Run the op ``raw(*args)`` (of grad_fn class ``cls``) and give its output the
        tangent its inputs' tangents make."""
        _FWD[0] = None
        try:
            out = raw(*args)
            if _INFERENCE[0]:  # as torch: inference mode computes no tangents
                self._pending = None
                return out
            tangents = [self._tangents(a) for a in args]
            tangent = None
            if any(t is not None for t in tangents):
                primal = out[0] if isinstance(out, tuple) else out
                if type(primal) is Tensor and primal._data.dtype.kind in "fc":
                    tangent = _tangent(self, cls, raw, args, tangents, primal)
                    if tangent is not None:
                        primal._fw = (self, tangent)
            self._pending = (cls, raw, args, out, tangent, tangents)
            return out
        finally:
            _FWD[0] = self

    def _tangents(self, a):
        if type(a) is Tensor:
            return self.tangent_of(a)
        if type(a) is list or type(a) is tuple:
            ts = [self.tangent_of(e) if type(e) is Tensor else None for e in a]
            return ts if any(t is not None for t in ts) else None
        return None

    # -- in-place writes
    def written(self, t: Tensor) -> None:
        """``t``'s storage was just written (``tensor.bump``). When the write is the op that
        ran last (``writes.inplace`` computes the op out of place, then copies its result
        into ``t``), its tangent is written into ``t``'s tangent."""
        p, self._pending = self._pending, None
        if p is None or _INFERENCE[0] or t._data.dtype.kind not in "fc":
            return
        cls, raw, args, out, tangent, tangents = p
        primal = out[0] if isinstance(out, tuple) else out
        if type(primal) is not Tensor or primal._data.shape != t._data.shape or not args:
            return
        first = args[0][0] if type(args[0]) is list and args[0] else args[0]
        if type(first) is not Tensor:
            return
        # the op wrote its result into t: the values agree (a stale op's rarely would)
        if not np.array_equal(t._data, primal._data.astype(t._data.dtype, copy=False),
                              equal_nan=True):
            return
        if first is not t:
            own = self.tangent_of(t)
            if not (own is not None and first._data.shape == t._data.shape
                    and first._grad_fn is t._grad_fn and first._fw is None):
                return
            # the write was recorded: the op ran on a copy of t's old values, which had no
            # tangent; run its tangent again with t's
            first._fw = (self, own)
            # t now holds the new values: where t is an operand too (x.mul_(x)), the copy
            # of its old values stands for it
            args = tuple([first if e is t else e for e in a] if type(a) is list
                         else first if a is t else a for a in args)
            _FWD[0] = None
            try:
                tangents = [self._tangents(a) for a in args]
                tangent = _tangent(self, cls, raw, args, tangents, primal)
            finally:
                first._fw = None
                _FWD[0] = self
        if tangent is None:
            return
        mine = self.tangent_of(t)
        if mine is None:
            if t._view is not None:  # as torch: the base gets a zero tangent first
                base, steps = t._view
                if self.tangent_of(base) is None:
                    base._fw = (self, _wrap(np.zeros(base._data.shape, tangent._data.dtype)))
                mine = self.tangent_of(t)
            else:
                mine = t._fw = (self, _wrap(np.zeros(t._data.shape, tangent._data.dtype)))
                mine = mine[1]
        dest = mine._data
        if dest.flags.writeable and not _sh.overlaps(dest):
            np.copyto(dest, np.broadcast_to(tangent._data, dest.shape), casting="unsafe")
        else:
            t._fw = (self, _wrap(np.array(np.broadcast_to(tangent._data, dest.shape))))

    # -- printing
    def with_tangent(self, t: Tensor, text: str) -> str:
        """``text`` (t's repr) with torch's ``tangent=...`` suffix when t is dual."""
        tangent = self.tangent_of(t)
        if tangent is None:
            return text
        from adcli.printing import _INDENT, PRINT_OPTS

        body = text[:-1]
        line = body[body.rfind("\n") + 1:]
        wrapped = line.startswith(" " * _INDENT) and line[_INDENT:].split("=", 1)[0] in (
            "size", "dtype", "grad_fn", "requires_grad")
        # torch's count of the line so far: its length + 2, or just its length once a
        # suffix went onto a line of its own
        used = len(line) if wrapped else len(line) + 2
        suffix = f"tangent={tangent}"  # as torch: a 0-d tangent formats as its number
        if used + len(suffix) + 2 > PRINT_OPTS.linewidth:
            return f"{body},\n{' ' * _INDENT}{suffix})"
        return f"{body}, {suffix})"


def _view_of(tangent: Tensor, steps: tuple) -> Tensor:
    """A view of ``tangent`` made by the view steps of a view of its primal."""
    base, prior = tangent._view if tangent._view is not None else (tangent, ())
    v = _wrap(_sh.apply_view(tangent._data, steps))
    v._ver = _tensor.box(tangent)
    v._view_ver = v._ver[0]
    v._view = (base, prior + tuple(steps))
    return v


# ---- the tangent of one op -------------------------------------------------------------------


def _zeros_or(t, like: Tensor) -> Tensor:
    """A tangent, or zeros in its place (torch's formulas add undefined tangents as zeros)."""
    return t if t is not None else _wrap(np.zeros(like._data.shape, like._data.dtype))


class ForwardADNotDifferentiable(_tensor.Node):
    """The node of a tangent adcli computed without recording (an op with no recorded
    tangent rule, whose primal requires grad): differentiating through it is refused,
    where torch would differentiate the tangent."""

    def name(self) -> str:
        return "torch::autograd::Error"

    def backward(self, F, g, *unused):
        raise TorchNotImplementedError(
            "differentiating a forward-mode tangent through this op is not implemented in "
            "adcli (its tangent was computed without recording a graph)")


def _refusing(t: Tensor, edges: tuple) -> Tensor:
    """``t`` as a tangent whose backward refuses (never a silently partial gradient)."""
    return _wrap(t._data, _graft(ForwardADNotDifferentiable, edges, t._data))


_BINARY_RULES = {
    # (t_a, t_b, a, b, out) -> tangent, recorded; undefined tangents are zeros, as the
    # efficient zeros of torch's generated formulas (so the terms are always added)
    "AddBackward0": lambda ta, tb, a, b, r: ta + tb,
    "SubBackward0": lambda ta, tb, a, b, r: ta - tb,
    "MulBackward0": lambda ta, tb, a, b, r: tb * a + ta * b,
    "DivBackward0": lambda ta, tb, a, b, r: (ta - r * tb) / b,
}


def _recorded_tangent(cls, args, tangents, out: Tensor):
    """The tangent of an op whose primal was recorded (an input requires grad), computed
    with recorded ops, so that it is itself differentiable as torch's is: the declared
    formula on the graph backend, or the product rule of mm/addmm (terms added, as torch's
    formulas add them); None where this does not apply (the tangent is then computed as
    for a primal that needs no grad)."""
    rule = _BINARY_RULES.get(cls.__name__) if cls is not None else None
    if rule is not None and len(args) == 2 and all(type(a) is Tensor for a in args):
        (a, b), (ta, tb) = args, tangents
        return rule(_zeros_or(ta, a), _zeros_or(tb, b), a, b, out)
    formula = _FORMULAS.get(cls)
    if formula is not None and issubclass(cls, _kinds.Unary) and len(args) == 1 and \
            type(args[0]) is Tensor:
        return formula(_backends.TS, tuple(tangents[:1]), tuple(args[:1]), out)
    if cls is _linalg.AddmmBackward0 and type(args[0]) is list and len(args) == 3:
        (c, a, b), beta, alpha = args[0], args[1], args[2]
        tc, ta, tb = tangents[0]
        if beta != 1 or alpha != 1:
            return None
        ta, tb = _zeros_or(ta, a), _zeros_or(tb, b)
        t = _zeros_or(tc, c) + ta.mm(b)
        return t + a.mm(tb)
    if cls is _linalg.MmBackward0 and len(args) == 2:
        (a, b), (ta, tb) = args, tangents
        return _zeros_or(ta, a).mm(b) + a.mm(_zeros_or(tb, b))
    return None


def _tangent(level, cls, raw, args, tangents, out: Tensor):
    """The tangent of ``out = raw(*args)``, or None; ``tangents`` per argument."""
    recorded = out._grad_fn is not None and _tensor.is_grad_enabled()
    if recorded:
        t = _recorded_tangent(cls, args, tangents, out)
        if type(t) is Tensor and t._data.shape == out._data.shape and \
                t._data.dtype == out._data.dtype:
            return t
    prev = _tensor.set_grad_mode(False)  # tangents are not differentiable here
    try:
        t = _tangent_of_op(level, cls, raw, args, tangents, out)
    finally:
        _tensor.set_grad_mode(prev)
    if t is None:
        return None
    if type(t) is not Tensor:
        t = np.asarray(t)
        dtype = np.result_type(out._data.dtype, *(
            x._data.dtype for x in _flat(tangents)))
        if t.shape != out._data.shape or t.dtype != dtype or not t.flags.writeable or \
                t.base is not None:
            t = np.array(np.broadcast_to(t, out._data.shape), dtype)
        t = _wrap(t)
    if recorded:  # torch would record this tangent: refuse to differentiate it instead
        edges = tuple(e for e in (out._grad_fn,) if e is not None)
        t = _refusing(t, edges)
    return t


def _flat(tangents):
    for t in tangents:
        if type(t) is list:
            yield from (e for e in t if e is not None)
        elif t is not None:
            yield t


def _tangent_of_op(level, cls, raw, args, tangents, out):
    shape, dtype = out._data.shape, out._data.dtype
    if cls is not None and issubclass(cls, _el._ZeroGrad):
        return np.zeros(shape, dtype)
    formula = _FORMULAS.get(cls)
    if formula is not None:
        n = 1 if issubclass(cls, _kinds.Unary) else 2
        if len(args) == n or (cls in _ALPHA and len(args) == 3):
            ts = [None if t is None else t._data for t in tangents[:n]]
            if len(args) == 3 and ts[1] is not None and args[2] != 1:
                ts[1] = ts[1] * args[2]
            xs = tuple(a._data if type(a) is Tensor else np.asarray(a, dtype)
                       for a in args[:n])
            return formula(_backends.NP, tuple(ts), xs, out._data)
    if cls is not None and issubclass(cls, _LINEAR) and tangents[0] is not None and \
            all(t is None for t in tangents[1:]):
        t = raw(tangents[0], *args[1:])
        return t[0] if isinstance(t, tuple) else t
    if cls is not None and issubclass(cls, _LINEAR_LIST) and len(tangents) >= 1 and \
            all(t is None for t in tangents[1:]):
        ts = tangents[0]
        return raw([ts[i] if ts[i] is not None else _wrap(np.zeros_like(x._data))
                    for i, x in enumerate(args[0])], *args[1:])
    if cls is not None and issubclass(cls, _kinds.Bilinear):
        a, b = args
        ta, tb = tangents
        terms = []
        if ta is not None:
            terms.append(raw(_as(ta, a), _wrap(b._data))._data)
        if tb is not None:
            terms.append(raw(_wrap(a._data), _as(tb, b))._data)
        return terms[0] if len(terms) == 1 else terms[0] + terms[1]
    return _derived(level, raw, args, tangents, out)


def _as(t: Tensor, like: Tensor) -> Tensor:
    """The tangent ``t`` in its primal's dtype (a tangent may be of a wider one)."""
    d = like._data.dtype
    return t if t._data.dtype == d else _wrap(t._data.astype(d))


def _derived(level, raw, args, tangents, out):
    """J·t by the double-vjp trick on this one op: rerun it on fresh leaves over the same
    values (those with a tangent require grad), run its backward with a recorded
    cotangent u, and differentiate <vjp(u), t> with respect to u."""
    leaves = []

    def lift(a, t):
        if type(a) is not Tensor:
            return a
        x = _wrap(a._data)
        if t is not None and a._data.dtype.kind in "fc":
            x._rg = True
            leaves.append((x, t))
        return x

    lifted = []
    for a, t in zip(args, tangents):
        if type(a) is list or type(a) is tuple:
            ts = t if t is not None else [None] * len(a)
            lifted.append(type(a)(lift(e, te) for e, te in zip(a, ts)))
        else:
            lifted.append(lift(a, t))
    if not leaves:
        return None
    prev, prev_formula = _tensor.set_grad_mode(True), _FORMULA[0]
    _FORMULA[0] = False
    try:
        o = raw(*lifted)
        o = o[0] if isinstance(o, tuple) else o
        if type(o) is not Tensor or o._grad_fn is None:
            return np.zeros(out._data.shape, out._data.dtype)
        try:
            return _double_vjp(o, leaves)
        except TorchNotImplementedError:
            # a backward that is not differentiable itself: J·t row by row, each row a
            # vjp with a basis cotangent (bounded: rows times inputs)
            work = o._data.size * sum(x._data.size for x, _ in leaves)
            if work > _ROWS_WORK:
                raise
            return _by_rows(o, leaves)
    finally:
        _tensor.set_grad_mode(prev)
        _FORMULA[0] = prev_formula


_ROWS_WORK = 4_000_000


def _by_rows(o: Tensor, leaves: list) -> np.ndarray:
    jt = np.zeros(o._data.shape, o._data.dtype)
    flat = jt.reshape(-1)
    capture = {x: x for x, _ in leaves}
    for k in range(o._data.size):
        g = np.zeros(o._data.shape, o._data.dtype)
        g.reshape(-1)[k] = 1
        found = _tensor.run_backward([o._grad_fn], [g], True, False, capture=capture,
                                     accumulate=False)
        total = 0.0
        for x, t in leaves:
            gi = found.get(x)
            if gi is not None:
                total += float(np.dot(np.asarray(gi, np.float64).reshape(-1),
                                      t._data.astype(np.float64).reshape(-1)))
        flat[k] = total
    return jt


def _double_vjp(o: Tensor, leaves: list) -> np.ndarray:
    """d<vjp(u), t>/du for the op that made ``o`` from the ``leaves``."""
    u = _wrap(np.zeros(o._data.shape, o._data.dtype))
    u._rg = True
    found = _tensor.run_backward([o._grad_fn], [u], True, True,
                                 capture={x: x for x, _ in leaves}, accumulate=False)
    s = None
    for x, t in leaves:
        g = found.get(x)
        if g is None or not g._rg:
            continue
        term = (g * _wrap(t._data.astype(g._data.dtype, copy=False))).sum()
        s = term if s is None else s + term
    if s is None or s._grad_fn is None:
        return np.zeros(o._data.shape, o._data.dtype)
    found = _tensor.run_backward([s._grad_fn], [np.ones((), s._data.dtype)], False, False,
                                 capture={u: u}, accumulate=False)
    jt = found.get(u)
    return np.zeros(o._data.shape, o._data.dtype) if jt is None else jt


# ---- the API ---------------------------------------------------------------------------------

_STATE = {"level": None}  # the active _Level, or None


def _current() -> int:
    lv = _STATE["level"]
    return -1 if lv is None else lv.index


def enter_dual_level() -> int:
    """Enter a new forward grad level (torch supports one at a time); returns its index."""
    if _STATE["level"] is not None:
        raise TorchRuntimeError("Nested forward mode AD is not supported at the moment")
    lv = _STATE["level"] = _Level(0)
    _FWD[0] = lv
    return lv.index


def exit_dual_level(*, level=None) -> None:
    """Exit the forward grad level (the latest): its tangents are forgotten."""
    current = _current()
    if level is None:
        level = current
    if level != current:
        raise TorchRuntimeError(
            "Trying to exit a forward AD level that was not the last one that was created. "
            "This is not supported.")
    if level < 0:
        raise TorchRuntimeError("Dual level must be a positive number.")
    _STATE["level"]._pending = None  # (the level's tangents stay on tensors, unseen)
    _STATE["level"] = None
    _FWD[0] = None


def _level_at(level, fn: str) -> _Level | None:
    """The active level that ``level`` names (None: the current one, if any)."""
    lv = _STATE["level"]
    if level is None:
        return lv
    if isinstance(level, bool) or not isinstance(level, int):
        raise TorchTypeError(f"{fn}(): argument 'level' must be int, not {type(level).__name__}")
    if level < 0:
        return None
    if lv is None or level != lv.index:
        raise TorchRuntimeError(f"Invalid level given to {fn}")
    return lv


class Identity(_kinds.View):
    """The primal that ``unpack_dual`` gives of a dual that requires grad: an alias."""

    def name(self) -> str:
        return "torch::autograd::Identity"

    def forward(self, x):
        return x.view()

    def backward(self, F, g, x):
        return (g,)


def _alias(x: Tensor, cls) -> Tensor:
    """A view of all of ``x`` (made with no level active, so it has no tangent)."""
    saved, _FWD[0] = _FWD[0], None
    try:
        if cls is Identity:
            return Identity.apply(x)
        return _shapes.ViewBackward0.apply(x, x._data.shape)
    finally:
        _FWD[0] = saved


def make_dual(tensor, tangent, *, level=None) -> Tensor:
    """A dual tensor: a view of ``tensor`` whose tangent is ``tangent`` (as it is when the
    layouts agree, else a copy in ``tensor``'s layout)."""
    lv = _level_at(level, "_make_dual")
    if lv is None:
        raise TorchRuntimeError(
            "Trying to create a dual Tensor for forward AD but no level exists, make sure to "
            "enter_dual_level() first.")
    for name, v in (("primal", tensor), ("tangent", tangent)):
        if not isinstance(v, Tensor):
            raise TorchAttributeError(
                f"'{type(v).__name__}' object has no attribute 'is_floating_point'")
        if v._data.dtype.kind not in "fc":
            raise TorchValueError(
                f"Expected {name} to be floating point or complex, but got: {v.dtype}")
    if tangent._data.shape != tensor._data.shape:
        raise TorchRuntimeError(
            "Trying to set a forward gradient that has a different size than that of the "
            "original Tensor, this is not supported. Tensor is of size "
            f"{list(tensor._data.shape)} while the given forward gradient is of size "
            f"{list(tangent._data.shape)}.")
    if lv.tangent_of(tensor) is not None:
        raise TorchRuntimeError(
            "Making a dual Tensor based on a Tensor that already has a forward gradient at "
            f"the same level {lv.index} is not supported.")
    if tangent._data.strides != tensor._data.strides and tangent._data.size > 1:
        data = np.empty_like(tensor._data, dtype=tangent._data.dtype)
        data[...] = tangent._data
        tangent = _wrap(data)
    out = _alias(tensor, _shapes.ViewBackward0)
    out._fw = (lv, tangent)
    return out


# written out rather than made by typing.NamedTuple, which compiles code when the module
# loads (and a sandboxed run loads this module lazily)
class UnpackedDualTensor(tuple):
    """What ``unpack_dual`` returns: the primal and the tangent (None if not dual)."""

    __slots__ = ()
    _fields = ("primal", "tangent")

    def __new__(cls, primal, tangent):
        return tuple.__new__(cls, (primal, tangent))

    primal = property(lambda self: self[0], doc="the primal")
    tangent = property(lambda self: self[1], doc="the tangent, or None")

    def __repr__(self) -> str:
        return f"UnpackedDualTensor(primal={self[0]!r}, tangent={self[1]!r})"


UnpackedDualTensor.__adcli_public__ = frozenset({"primal", "tangent"})


def unpack_dual(tensor, *, level=None) -> UnpackedDualTensor:
    """``(primal, tangent)`` of a dual tensor: a view of its primal (no tangent of its
    own) and its tangent as it is; the tangent is None for a tensor that is not dual."""
    lv = _level_at(level, "_fw_primal")
    if lv is None:
        return UnpackedDualTensor(tensor, None)
    if not isinstance(tensor, Tensor):
        raise TorchTypeError(
            f"_unpack_dual(): argument 'dual' (position 1) must be Tensor, not "
            f"{type(tensor).__name__}")
    tangent = lv.tangent_of(tensor)
    if tangent is None:
        return UnpackedDualTensor(tensor, None)
    primal = _alias(tensor, Identity if tensor._rg else _shapes.ViewBackward0)
    if not tensor._rg:
        primal._grad_fn = None
        primal._rg = False
    primal._fw = (lv, None)  # not dual, though a view of a dual
    return UnpackedDualTensor(primal, tangent)


class dual_level:  # noqa: N801 - torch's name
    """``with dual_level():`` — a forward grad level for the duration of the block."""

    __adcli_public__ = frozenset()

    def __enter__(self) -> int:
        return enter_dual_level()

    def __exit__(self, *exc) -> None:
        exit_dual_level()

    def __repr__(self) -> str:
        return f"<torch.autograd.forward_ad.dual_level object at {hex(id(self))}>"


MEMBERS = {
    "UnpackedDualTensor": UnpackedDualTensor,
    "dual_level": dual_level,
    "enter_dual_level": enter_dual_level,
    "exit_dual_level": exit_dual_level,
    "make_dual": make_dual,
    "unpack_dual": unpack_dual,
}

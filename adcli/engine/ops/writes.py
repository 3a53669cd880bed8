"""The in-place machinery: writing an op's result into a tensor (``inplace``), the rules
that refuse a write, index assignment (``setitem``), CopySlices for a write into a view,
and the grad_fn classes of the writes (copy_, fill_, zero_, index_put_, normal_...).
"""

from __future__ import annotations

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine import shape as sh
from adcli.engine.indexing import parse_index
from adcli.engine.ops.elementwise import CloneBackward0, _ZeroGrad, clone
from adcli.engine.ops.kinds import Binary, _new, _number
from adcli.engine.ops.shapes import SelectBackward0, SliceBackward0, UnsqueezeBackward0, _row
from adcli.engine.tensor import (
    _GRAD,
    FREED,
    AsStridedBackward0,
    Node,
    Tensor,
    _graft,
    _move_retain,
    _wrap,
    box,
    bump,
    edge,
    refresh,
)
from adcli.errors import (
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)


class NormalBackward0(_ZeroGrad):

    def forward(self, x, draw):
        return draw(x.shape).astype(x.dtype)


class UniformBackward0(NormalBackward0):
    pass


class RandomBackward0(NormalBackward0):  # random_(from, to)
    pass


class RandomBackward1(NormalBackward0):  # random_(to)
    pass


class RandomBackward2(NormalBackward0):  # random_()
    pass


class ExponentialBackward0(NormalBackward0):
    pass


class BernoulliBackward1(NormalBackward0):  # bernoulli_(p: Tensor)
    pass


class BernoulliBackward2(NormalBackward0):  # bernoulli_(p: float)
    pass


class BernoulliBackward0(_ZeroGrad):
    """torch.bernoulli(p): draws given, a zero gradient for p."""

    def forward(self, x, out):
        return out


class PoissonBackward0(_ZeroGrad):
    """torch.poisson(rates): draws given, a zero gradient for the rates."""

    def forward(self, x, out):
        return out


class NormalBackward1(_ZeroGrad):
    """torch.normal(mean: Tensor, std: float): a zero gradient for mean, as torch's."""

    def forward(self, x, out):
        return out


class NormalBackward2(_ZeroGrad):
    """torch.normal(mean: float, std: Tensor): a zero gradient for std."""

    def forward(self, x, out):
        return out


class NormalBackward3(Binary):
    """torch.normal(mean: Tensor, std: Tensor): zero gradients, as torch's."""

    saves = "xx"

    def forward(self, a, b, out):
        return out

    def backward(self, F, g, a, b):
        return F.zeros_like(g), F.zeros_like(g)


class DivBackward2(Binary):
    """div(a, b, rounding_mode='floor' or 'trunc'): torch's zero gradient for both.
    (Kept here while engine/ops/elementwise.py is being changed elsewhere.)"""

    def forward(self, a, b, mode):
        if mode == "floor":
            return np.floor_divide(a, b)
        if np.result_type(a, b).kind in "iub":
            q = np.floor_divide(a, b)
            return q + ((q * b != a) & ((np.asarray(a) < 0) != (np.asarray(b) < 0)))
        return np.trunc(np.true_divide(a, b))

    def backward(self, F, g, *unused):
        return F.zeros_like(g), F.zeros_like(g)


class _Writing(Node):
    """An op that writes ``value`` into (part of) a tensor: the value takes the tensor's
    dtype, with no type promotion. Used through ``inplace``."""

    @classmethod
    def apply(cls, a: Tensor, value, *args) -> Tensor:
        v = value._data if type(value) is Tensor else np.asarray(_number(value))
        node = _new(cls)
        out = node.forward(a._data, v.astype(a._data.dtype, copy=False), *args)
        if _GRAD[0]:
            edges = (edge(a), edge(value) if type(value) is Tensor else None)
            if edges[0] is not None or edges[1] is not None:
                return node.record(out, (a, value), edges)
        return _wrap(out)


class CopyBackwards(_Writing):
    """self.copy_(src): the old values get no gradient, ``src`` gets all of it."""

    def name(self) -> str:
        return "torch::autograd::CopyBackwards"

    def forward(self, a, src):
        sh.check_broadcast_to(src.shape, a.shape, "copy_")
        return np.broadcast_to(src, a.shape).copy()

    def backward(self, F, g, a, src):
        return F.zeros_like(g), g


class FillBackward3(CopyBackwards):
    """fill_(value) with a 0-d tensor, and x[...] = number."""

    name = Node.name


class IndexPutBackward0(_Writing):
    """x[key] = values for advanced keys (index_put_); ``accumulate`` adds instead."""

    frees = ("key",)

    def forward(self, a, v, key, accumulate=False):
        self.key, self.accumulate = key, accumulate
        out = a.copy()
        try:
            if accumulate:
                np.add.at(out, key, v)
            else:
                out[key] = v
        except (ValueError, TypeError):
            raise TorchRuntimeError(_index_put_mismatch(v.shape, a.shape, key)) from None
        return out

    def backward(self, F, g, a, v):
        return (g if self.accumulate else F.zero_at(g, self.key)), g[self.key]


class FillDiagonalSlices(IndexPutBackward0):
    """fill_diagonal_(value): the diagonal's positions (``key``) set to a number; as in
    torch (a write into the diagonal view), the node is a CopySlices."""

    def name(self) -> str:
        return "torch::autograd::CopySlices"


class _Compared(_ZeroGrad):
    """x.eq_(other) and the other comparisons in place: x takes the 0/1 outcome, and (as
    torch's) a zero gradient."""

    def forward(self, x, out):
        return out


class EqBackward0(_Compared):
    pass


class NeBackward0(_Compared):
    pass


class LtBackward0(_Compared):
    pass


class LeBackward0(_Compared):
    pass


class GtBackward0(_Compared):
    pass


class GeBackward0(_Compared):
    pass


def comparison_inplace(fn, cls, name: str):
    """``Tensor.NAME`` for a comparison ``fn``: its outcome written into x as x's dtype."""

    def method(input, other):
        out = fn(input, other)._data
        return inplace(input, cls, out.astype(input._data.dtype))

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Tensor.{name}: {fn.__name__} in place"
    return method


def _index_put_mismatch(value_shape: tuple, shape: tuple, key) -> str:
    """torch's words for values that do not broadcast to the positions an advanced key
    picks (the indexing result's shape is read from a bool array, the cheapest)."""
    picked = np.empty(shape, np.bool_)[key].shape
    return (f"shape mismatch: value tensor of shape {list(value_shape)} cannot be broadcast "
            f"to indexing result of shape {list(picked)}")


class ZeroBackward0(_ZeroGrad):

    def forward(self, x):
        return np.zeros_like(x)


class FillBackward2(_ZeroGrad):
    """fill_(number)"""

    def forward(self, x, value):
        try:
            return np.full_like(x, value)
        except OverflowError:
            raise TorchRuntimeError(f"fill_(): {value} does not fit in a {dt.BY_NP[x.dtype]} "
                                    "tensor") from None


class CopySlices(Node):
    """In-place op on a view: the base's history gets the op ``fn`` applied to a region."""

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def backward(self, F, g, *unused):
        if F.numpy:
            result = np.empty_like(self.layout)
            result[...] = g
            region = sh.apply_view(result, self.steps)
            if sh.overlaps(region):  # as torch: a recorded write into an expand fails here
                raise TorchRuntimeError(
                    "backward through a write into an expanded tensor: several of its "
                    "elements share one memory location, so the write has no gradient; "
                    "clone() the expanded tensor before writing into it")
            res = self.fn.run(F, region.copy())
            region[...] = 0 if res[0] is None else res[0]
        else:  # as torch: a copy of g, its region as an as_strided view, the op on a clone
            result = CopyBackwards.apply(_wrap(np.empty(g._data.shape, g._data.dtype)), g)
            data = sh.apply_view(result._data, self.steps)
            if result._rg:
                view_fn = _graft(AsStridedBackward0, (result._grad_fn,), data)
                view_fn.steps, view_fn.in_shape = self.steps, result._data.shape
                region = _wrap(data, view_fn)
            else:
                region = _wrap(data)
            region._ver = b = box(result)
            region._view_ver = b[0]
            region._view = (result, self.steps)
            res = self.fn.run(F, clone(region))
            if res[0] is None:
                inplace(region, FillBackward2, 0)
            else:
                inplace(region, CopyBackwards, res[0])
        return (result, *res[1:])

    def release(self) -> None:
        # as torch: drop the op, not what it saved (a create_graph gradient may still
        # need it, through the op's own node)
        self.fn = None
        self._saved, self._saved_t = FREED, None


class IndexPutImplBackward0(IndexPutBackward0):
    """index_put_ with accumulate=True into zeros: indexing's backward, as torch records it."""


# the C++ type names of torch's checked conversion of a number to a tensor's dtype
_CONVERT_NAMES = {"uint8": "uint8_t", "int8": "int8_t", "int16": "int16_t", "int32": "int",
                  "int64": "int64_t", "float16": "at::Half", "float32": "float",
                  "float64": "double"}


def checked_number(value, dtype: np.dtype):
    """A Python number written into a ``dtype`` tensor, refused as torch refuses one that
    does not fit (c10's checked_convert); anything else is a TypeError in torch's words."""
    if isinstance(value, np.generic) and value.dtype.kind in "biuf":
        value = value.item()
    if type(value) not in (int, float, bool):
        raise TorchTypeError(f"can't assign a {type(value).__name__} to a "
                             f"torch.{dt.BY_NP[dtype].legacy}Tensor")
    if type(value) is bool or dtype.kind == "b":
        return value
    if type(value) is int and not -(2**63) <= value < 2**63:
        raise TorchValueError("Overflow when unpacking long long")
    if dtype.kind in "iu":
        info = np.iinfo(dtype)
        fits = value != value or info.min <= value <= info.max
    else:
        fits = not (abs(value) > float(np.finfo(dtype).max) and abs(value) != float("inf"))
    if not fits:
        raise TorchRuntimeError(f"value cannot be converted to type {_CONVERT_NAMES[dtype.name]}"
                                " without overflow")
    return value


def setitem(x: Tensor, key, value) -> None:
    """x[key] = value: an in-place write into a view of x (CopySlices), as torch does."""
    sh.check_index(x._data.shape, key)  # the positions the index arrays broadcast to
    steps, advanced = parse_index(key, x._data.shape, reading=False)
    if type(value) is not Tensor:
        value = checked_number(value, x._data.dtype)
    if not (_GRAD[0] and (x._rg or (type(value) is Tensor and value._rg))):
        target = x._data
        for name, dim, arg in steps:
            target = target[sh.step_key(name, dim, arg)]
        check_inplace(x, written=target)
        vd = value._data if type(value) is Tensor else np.asarray(value)
        if advanced is None:
            sh.check_broadcast_to(vd.shape, target.shape, "index assignment",
                                  dt.BY_NP[x._data.dtype].legacy)
            if vd.ndim > target.ndim:
                vd = vd.reshape(sh.strip_leading_ones(vd.shape))
        try:
            target[advanced if advanced is not None else ...] = vd
        except (ValueError, TypeError):
            raise TorchRuntimeError(
                _index_put_mismatch(vd.shape, target.shape, advanced)) from None
        except OverflowError:
            raise TorchRuntimeError(
                f"value cannot be converted to type {dt.CPP_NAMES[x.dtype.name]} without "
                "overflow") from None
        bump(x)
        return
    view = x
    for name, dim, arg in steps:
        if name == "select":
            view = SelectBackward0.apply(view, dim, arg)
        elif name == "slice":
            view = SliceBackward0.apply(view, dim, arg)
        else:
            view = UnsqueezeBackward0.apply(view, dim)
    if advanced is not None:
        inplace(view, IndexPutBackward0, value, advanced)
    else:
        if type(value) is Tensor:
            sh.check_broadcast_to(value._data.shape, view._data.shape, "index assignment",
                                  dt.BY_NP[x._data.dtype].legacy)
            if value._data.ndim > view._data.ndim:  # as torch: its leading 1s dropped
                value = value.reshape(sh.strip_leading_ones(value._data.shape))
        inplace(view, CopyBackwards if type(value) is Tensor else FillBackward3, value)


def check_inplace(x: Tensor, recording: bool = False, written=None,
                  overlap_ok: bool = False) -> None:
    """torch's rules for writing into ``x`` (or into its part ``written``): not a leaf that
    requires grad (nor a view of one) while grad mode is on; not a view made under no_grad
    when the write is recorded; not where written elements overlap (expand)."""
    if recording and x._view_nograd:
        raise TorchRuntimeError(
            "this view was made under no_grad() and is now modified in place with grad "
            "mode on, which is ambiguous; make the view and the in-place change both "
            "inside no_grad() or both outside it"
        )
    if _GRAD[0]:
        if x._rg and x._grad_fn is None:
            raise TorchRuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        if x._view is not None:
            base = x._view[0]
            if base._rg and base._grad_fn is None:
                raise TorchRuntimeError(
                    "a view of a leaf Variable that requires grad is being used in an in-place "
                    "operation."
                )
    if written is None:
        written = x._data
    if not written.flags.writeable or (sh.overlaps(written) and not overlap_ok):
        raise TorchRuntimeError(
            "unsupported operation: more than one element of the written-to tensor refers to a "
            "single memory location. Please clone() the tensor before performing the operation."
        )


class Derived:
    """The in-place form of an out-of-place op ``fn``: ``x.NAME_(*args, **kwargs)`` runs
    ``fn`` on x's old values (with the same arguments) and writes the result into x; the
    node ``fn`` records becomes x's history, as torch's in-place kernels record theirs."""

    saves = "x"  # when recording, fn reads a copy of the old values, not x itself
    saves_result = False  # (the node's own ``saves_result`` is honoured by ``inplace``)

    def __init__(self, fn, kwargs: dict) -> None:
        self.fn, self.kwargs = fn, kwargs

    def apply(self, src: Tensor, *args) -> Tensor:
        return self.fn(src, *args, **self.kwargs)


def derived_inplace(fn, name: str):
    """``Tensor.NAME`` (an in-place method) derived from the out-of-place op ``fn``."""

    def method(input, *args, **kwargs):
        return inplace(input, Derived(fn, kwargs), *args, *kwargs.values())

    method.__name__ = method.__qualname__ = name
    method.__doc__ = f"Tensor.{name}: {getattr(fn, '__name__', name[:-1])} in place"
    return method


def inplace(x: Tensor, cls, *args, overlap_ok: bool = False) -> Tensor:
    """x.<op>_(*args): compute the op out of place, write it into x's storage, bump x's
    version, and make the op x's history (CopySlices on the base if x is a view).
    ``overlap_ok``: fill_ and zero_, which torch lets write into an expanded tensor."""
    other = args[0] if args else None
    if x._view is not None:
        refresh(x)
    derived = type(cls) is Derived
    if derived:  # the keyword arguments ride at the end of args, for the check below
        args = args[:len(args) - len(cls.kwargs)]
    recording = _GRAD[0] and (x._rg or any(type(a) is Tensor and a.requires_grad
                                           for a in (*args, *cls.kwargs.values())
                                           ) if derived else
                              x._rg or (type(other) is Tensor and other.requires_grad))
    check_inplace(x, recording, overlap_ok=overlap_ok)
    src = x
    first = cls.saves[:1]
    if recording and (first == "x" or (first == "o" and type(other) is Tensor and other._rg)):
        src = _wrap(x._data.copy(), x._grad_fn)  # the old values, which backward reads
        src._rg = x._rg
    r = cls.apply(src, *args)
    out = r._data
    if out.shape != x._data.shape:
        raise TorchRuntimeError(
            f"output with shape {list(x._data.shape)} doesn't match the broadcast shape "
            f"{list(out.shape)}"
        )
    if not dt.can_cast(dt.BY_NP[out.dtype], dt.BY_NP[x._data.dtype]):
        raise TorchRuntimeError(
            f"result type {dt.BY_NP[out.dtype].legacy} can't be cast to the desired output "
            f"type {dt.BY_NP[x._data.dtype].legacy}"
        )
    np.copyto(x._data, out, casting="unsafe")
    bump(x)
    if recording and r._grad_fn is not None:
        node = r._grad_fn
        if node.saves_result if derived else cls.saves_result:
            # as torch: the saved result is x itself, at its new version
            node._saved = node._saved[:-1] + (x._data,)
            node._outbox = b = box(x)
            node._outver = b[0]
        node._dtype = x._data.dtype  # the gradient it gets is that of x, cast or not
        if src is not x and src._grad_fn is not None and node._saved_t:
            # as torch: the old values are saved as a clone of x, so that a create_graph
            # backward reads them through a CloneBackward0 (the node's edge stays x's)
            kept = _wrap(src._data, _graft(CloneBackward0, (src._grad_fn,), src._data))
            node._saved_t = tuple(kept if v is src else v for v in node._saved_t)
        _rebase(x, node)
    return x


def inplace_view(x: Tensor, cls, *args) -> Tensor:
    """t_(), transpose_(), squeeze_(), unsqueeze_(): x itself takes the view's shape and
    history; its version goes up, as torch's."""
    check_inplace(x)
    r = cls.apply(x, *args)
    x._data = r._data
    box(x)[0] += 1  # (not ``bump``: no values changed, nor tangents)
    if r._grad_fn is not None:  # (a retained grad stays with the old node, as in torch)
        x._grad_fn, x._rg = r._grad_fn, True
    return x


def expanded_result(g: np.ndarray) -> Tensor:
    """A gradient that is an expansion (zero strides), as torch's autograd.grad hands it
    back: a view, made outside grad mode, of one stored value per expanded run, so that
    writing one element writes them all and a recorded in-place write is refused."""
    src = np.array(g[tuple(slice(0, 1) if st == 0 else slice(None) for st in g.strides)])
    base = _wrap(src)
    strides = np.broadcast_to(src, g.shape).strides
    t = _wrap(np.lib.stride_tricks.as_strided(src, g.shape, strides, writeable=True))
    t._view_nograd = True
    t._ver = b = box(base)
    t._view_ver = b[0]
    t._view = (base, (("expand", g.shape),))
    return t


def _rebase(x: Tensor, node: Node) -> None:
    """Make ``node`` (an in-place op on x) part of x's history."""
    if x._view is None:
        _move_retain(x, node)
        x._grad_fn, x._rg = node, True
        return
    base, steps = x._view
    cs = _graft(CopySlices, (base._grad_fn or (base if base._rg else None),) + node._next[1:],
                base._data)
    cs.steps, cs.fn, cs.layout = steps, node, base._data
    # as torch: a CopySlices is released by a backward that does not retain the graph, and
    # a later backward through it refuses, whether or not its op saved anything
    cs._saved = cs._saved_t = ()
    _move_retain(base, cs)
    base._grad_fn, base._rg = cs, True
    view_fn = _graft(AsStridedBackward0, (cs,), x._data)
    view_fn.steps, view_fn.in_shape = steps, base._data.shape
    x._grad_fn, x._rg = view_fn, True
    x._view_ver = x._ver[0]


def _fresh_copy(g: Tensor) -> Tensor:
    """A leaf's first .grad under create_graph: as torch, a copy_ of the gradient."""
    return CopyBackwards.apply(_wrap(np.empty_like(g._data)), g)


# What the core (tensor.py) calls back into; engine/__init__ hands it over with the backends.
CORE_SERVICES = {"clone": clone, "row": _row, "fresh_copy": _fresh_copy}

"""The array backends of backward formulas: ``F`` in ``backward(F, g, *saved)``.

A formula is written once for both. ``NP`` computes on numpy arrays and records nothing
(the fast path of every backward); ``TS`` computes with the ops themselves, so that a
``create_graph=True`` backward records a graph of its own, with torch's node names.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import cpu_kernels as K
from adcli.engine import shape as sh
from adcli.engine import special
from adcli.engine.ops.elementwise import (
    AbsBackward0,
    CosBackward0,
    CoshBackward0,
    DivBackward1,
    ErfinvBackward0,
    ExpBackward0,
    FloorBackward0,
    LogBackward0,
    MaskedFillBackward0,
    MaskedFillBackward1,
    MulBackward0,
    RsqrtBackward0,
    SgnBackward0,
    SigmoidBackward0,
    SignBackward0,
    SinBackward0,
    SinhBackward0,
    TanhBackward0,
    WhereBackward0,
    _masked_fill,
    clone,
)
from adcli.engine.ops.nn import (
    GeluBackwardBackward0,
    LogSoftmaxBackwardDataBackward0,
    SigmoidBackwardBackward0,
    SoftmaxBackwardDataBackward0,
    SoftplusBackwardBackward0,
    TanhBackwardBackward0,
    ThresholdBackwardBackward0,
    _gelu_backward,
    _log_softmax_backward,
    _sigmoid_backward,
    _softmax_backward,
    _softplus_backward,
    _tanh_backward,
    _threshold_backward,
)
from adcli.engine.ops.reductions import (
    CumprodBackward0,
    CumsumBackward0,
    MeanBackward0,
    MeanBackward1,
    SumBackward0,
    SumBackward1,
    _mean_of,
    scan_cumprod,
    scan_cumsum,
)
from adcli.engine.ops.selection import IndexFillBackward1
from adcli.engine.ops.shapes import (
    CatBackward0,
    FlipBackward0,
    MaskedSelectBackward0,
    PermuteBackward0,
    TBackward0,
    TransposeBackward0,
    ViewBackward0,
    expand,
    getitem,
    reshape,
)
from adcli.engine.ops.writes import (
    CopyBackwards,
    IndexPutBackward0,
    IndexPutImplBackward0,
    inplace,
)
from adcli.engine.sum_order import torch_sum
from adcli.engine.tensor import Tensor, _wrap

_ndarray = np.ndarray
_f32 = np.dtype(np.float32)
_i64 = np.dtype(np.int64)


def _imul(t, g):
    """t * g, in place into ``t`` when t is a fresh array of the result's shape and dtype."""
    if type(t) is _ndarray and t.base is None and t.flags.writeable and (
            t.shape == g.shape or g.ndim == 0) and t.dtype == g.dtype:
        return np.multiply(t, g, out=t)
    return t * g


def _place(F, g, shape, steps):
    """The gradient of a base of ``shape`` from the gradient ``g`` of its view made by
    ``steps``: each step's backward in reverse (an index step puts g into zeros, an expand
    step sums the expanded dims back)."""
    dummy = np.lib.stride_tricks.as_strided(np.zeros((), np.int8), shape, (0,) * len(shape))
    shapes = [shape]
    for step in steps:
        dummy = sh.apply_view(dummy, (step,))
        shapes.append(dummy.shape)
    for (kind, arg), before in zip(reversed(steps), reversed(shapes[:-1])):
        if kind == "index":
            g = F.index_place(g, before, arg)
        elif kind == "reshape":
            g = g.reshape(before)
        elif kind == "expand":
            g = sh.unbroadcast(g, before)
        elif kind == "diagonal":
            from adcli.engine.ops import linalg as _linalg

            g = (_linalg._diag_place(g, before, *arg) if F.numpy else
                 _linalg.DiagonalBackwardBackward0.apply(g, before, *arg))
        else:
            g = F.permute(g, sh.inverse_permutation(arg))
    return g


def _np_index_place(g, shape, key):
    z = np.zeros(shape, g.dtype)
    z[key] = g
    return z


def _np_index_add(g, shape, key):
    z = np.zeros(shape, g.dtype)
    np.add.at(z, key, g)
    return z


def _np_zero_at(g, key):
    h = np.array(g)
    h[key] = 0
    return h


def _np_sum(x, axes, keepdim):
    """F.sum in a numpy-mode backward formula: torch's summation order, as torch's own
    formulas call at::sum."""
    x = np.asarray(x)
    if axes is not None:
        axes = (axes,) if isinstance(axes, int) else tuple(axes)
        axes = tuple(sorted({a % max(x.ndim, 1) for a in axes}))
    return torch_sum(x, axes, keepdim)


def _np_mean(x, axes, keepdim):
    """F.mean in a numpy-mode backward formula: the sum in torch's order, divided by the
    count in the sum's dtype, as torch's mean."""
    x = np.asarray(x)
    if axes is not None:
        axes = (axes,) if isinstance(axes, int) else tuple(axes)
        axes = tuple(sorted({a % max(x.ndim, 1) for a in axes}))
    n = x.size if axes is None else sh.numel(tuple(x.shape[a] for a in axes))
    return _mean_of(torch_sum(x, axes, keepdim), n)


def _count(mask, axes):
    """How many elements of a mask are set over ``axes`` (all when None), kept as dims; a
    constant, as a float32 array so it does not change the gradient's dtype."""
    m = mask._data if type(mask) is Tensor else np.asarray(mask)
    return m.sum(axis=axes, keepdims=axes is not None).astype(_f32)


def _diagonal_flat(shape) -> np.ndarray:
    """The flat indices of a matrix's main diagonal (min(n, m) of them)."""
    return np.arange(min(shape[0], shape[1]), dtype=np.int64) * (shape[1] + 1)


class NP:
    """The numpy backend for backward formulas (no graph is recorded)."""

    numpy = True

    @staticmethod
    def trace_backward(g, shape):
        out = np.zeros(shape[0] * shape[1], g.dtype)
        out[_diagonal_flat(shape)] = g
        return out.reshape(shape)
    where = staticmethod(np.where)
    exp = staticmethod(K.exp)
    log = staticmethod(K.log)

    @staticmethod
    def erfinv(x):
        return special.erfinv(x).astype(x.dtype, copy=False)
    cos = staticmethod(K.rounded(np.cos))
    sin = staticmethod(K.rounded(np.sin))
    cosh = staticmethod(K.rounded(np.cosh))
    tanh = staticmethod(K.tanh)
    sinh = staticmethod(K.rounded(np.sinh))
    sign = sgn = staticmethod(np.sign)

    masked_fill = staticmethod(_masked_fill)

    @staticmethod
    def masked_select(x, mask):
        return x[np.broadcast_to(mask, x.shape)]
    abs = staticmethod(np.abs)
    floor = staticmethod(np.floor)
    isnan = staticmethod(np.isnan)
    outer = staticmethod(np.multiply.outer)
    expand = staticmethod(np.broadcast_to)
    sum = staticmethod(_np_sum)
    mean = staticmethod(_np_mean)
    imul = staticmethod(_imul)
    index_place = staticmethod(_np_index_place)

    @staticmethod
    def data(x):
        return x

    @classmethod
    def place(cls, g, shape, steps):
        return _place(cls, g, shape, steps)
    index_add = staticmethod(_np_index_add)
    zero_at = staticmethod(_np_zero_at)

    @staticmethod
    def rsqrt(x):
        return 1 / np.sqrt(x)

    @staticmethod
    def mT(x):
        return x.swapaxes(-1, -2)

    @staticmethod
    def t(x):
        return x.T

    @staticmethod
    def permute(x, perm):
        return x.transpose(perm)

    count = staticmethod(_count)
    zeros_like = staticmethod(np.zeros_like)

    @staticmethod
    def const(a):
        return a

    @staticmethod
    def mean_expand(g, shape, n):
        return np.broadcast_to(g / n, shape)  # a view: no memory for the expanded gradient

    @staticmethod
    def flip(x, dims):
        return np.flip(x, dims)

    tanh_backward = staticmethod(_tanh_backward)
    sigmoid_backward = staticmethod(_sigmoid_backward)
    threshold_backward = staticmethod(_threshold_backward)
    softplus_backward = staticmethod(_softplus_backward)

    gelu_backward = staticmethod(_gelu_backward)

    @staticmethod
    def sigmoid(x):
        return K.sigmoid(x)
    softmax_backward = staticmethod(_softmax_backward)
    log_softmax_backward = staticmethod(_log_softmax_backward)

    @staticmethod
    def cumsum(x, dim):
        return scan_cumsum(x, dim)

    @staticmethod
    def cumprod(x, dim):
        return scan_cumprod(x, dim)

    @staticmethod
    def cat(arrays, dim):
        return np.concatenate(arrays, axis=dim)


def _t(x):
    """A backward-formula operand as a Tensor (masks and constants arrive as arrays)."""
    return x if type(x) is Tensor else _wrap(np.asarray(x))


def _ts_where(c, a, b):
    return WhereBackward0.apply(a, b, c._data if type(c) is Tensor else np.asarray(c))


def _ts_index_place(g, shape, key):
    z = _wrap(np.zeros(shape, g._data.dtype))
    inplace(getitem(z, key), CopyBackwards, g)
    return z


def _ts_index_add(g, shape, key):
    return IndexPutImplBackward0.apply(_wrap(np.zeros(shape, g._data.dtype)), g, key, True)


def _ts_zero_at(g, key):
    h = clone(g)
    inplace(h, IndexPutBackward0, 0.0, key)
    return h


def _ts_sum(x, axes, keepdim):
    if axes is None:
        return SumBackward0.apply(x)
    return SumBackward1.apply(x, tuple(axes), keepdim)


def _ts_mean(x, axes, keepdim):
    if axes is None:
        return MeanBackward0.apply(x)
    return MeanBackward1.apply(x, tuple(axes), keepdim)


class TS:
    """The Tensor backend: formulas build a graph, so gradients can be differentiated."""

    numpy = False
    where = staticmethod(_ts_where)
    exp = staticmethod(ExpBackward0.apply)
    log = staticmethod(LogBackward0.apply)
    erfinv = staticmethod(ErfinvBackward0.apply)
    cos = staticmethod(CosBackward0.apply)
    sin = staticmethod(SinBackward0.apply)
    cosh = staticmethod(CoshBackward0.apply)
    tanh = staticmethod(TanhBackward0.apply)
    sinh = staticmethod(SinhBackward0.apply)
    sign = staticmethod(SignBackward0.apply)
    sgn = staticmethod(SgnBackward0.apply)

    @staticmethod
    def masked_fill(x, mask, value):
        mask = mask._data if type(mask) is Tensor else mask
        if type(value) is Tensor:
            return MaskedFillBackward1.apply(x, value, mask)
        return MaskedFillBackward0.apply(x, mask, value)

    @staticmethod
    def masked_select(x, mask):
        mask = mask._data if type(mask) is Tensor else mask
        return MaskedSelectBackward0.apply(x, np.broadcast_to(mask, x._data.shape))
    abs = staticmethod(AbsBackward0.apply)
    floor = staticmethod(FloorBackward0.apply)
    rsqrt = staticmethod(RsqrtBackward0.apply)
    sum = staticmethod(_ts_sum)
    mean = staticmethod(_ts_mean)
    index_place = staticmethod(_ts_index_place)

    @classmethod
    def place(cls, g, shape, steps):
        return _place(cls, g, shape, steps)
    index_add = staticmethod(_ts_index_add)
    zero_at = staticmethod(_ts_zero_at)
    const = staticmethod(_t)

    @staticmethod
    def data(x):
        return x._data

    @staticmethod
    def isnan(x):
        return _wrap(np.isnan(x._data))

    @staticmethod
    def count(mask, axes):
        # as torch: a sum of bools is int64, which leaves the gradient's dtype alone
        return _wrap(_count(mask, axes).astype(_i64))

    @staticmethod
    def zeros_like(g):
        return _wrap(np.zeros_like(g._data))

    @staticmethod
    def trace_backward(g, shape):
        # as torch: zeros(n*m).index_fill_(0, <the diagonal's flat indices>, grad).view(n, m)
        n = shape[0] * shape[1]
        filled = IndexFillBackward1.apply(_wrap(np.zeros(n, g._data.dtype)), g, 0,
                                          _diagonal_flat(shape))
        return ViewBackward0.apply(filled, tuple(shape))

    @staticmethod
    def outer(a, b):
        return MulBackward0.apply(reshape(a, (-1, 1)), b)

    @staticmethod
    def expand(g, shape):
        return expand(_t(g), shape)

    @staticmethod
    def mean_expand(g, shape, n):
        return DivBackward1.apply(expand(g, shape), n)  # torch's order: a fresh tensor

    @staticmethod
    def imul(t, g):
        return t * g

    @staticmethod
    def mT(x):
        n = x._data.ndim
        return TransposeBackward0.apply(x, tuple(range(n - 2)) + (n - 1, n - 2))

    @staticmethod
    def t(x):
        return TBackward0.apply(x, (1, 0))

    @staticmethod
    def permute(x, perm):
        return PermuteBackward0.apply(x, perm)

    @staticmethod
    def flip(x, dims):
        return FlipBackward0.apply(x, dims)

    tanh_backward = staticmethod(TanhBackwardBackward0.apply)
    sigmoid_backward = staticmethod(SigmoidBackwardBackward0.apply)
    threshold_backward = staticmethod(ThresholdBackwardBackward0.apply)
    softplus_backward = staticmethod(SoftplusBackwardBackward0.apply)
    gelu_backward = staticmethod(GeluBackwardBackward0.apply)
    sigmoid = staticmethod(SigmoidBackward0.apply)
    softmax_backward = staticmethod(SoftmaxBackwardDataBackward0.apply)
    log_softmax_backward = staticmethod(LogSoftmaxBackwardDataBackward0.apply)

    @staticmethod
    def cumsum(x, dim):
        return CumsumBackward0.apply(x, dim)

    @staticmethod
    def cumprod(x, dim):
        return CumprodBackward0.apply(x, dim)

    @staticmethod
    def cat(tensors, dim):
        return CatBackward0.apply([_t(t) for t in tensors], dim)

"""The grad_fn classes of the reductions: sums, means, products, extrema, norms, moments and
scans. Each class is its forward beside its backward; the names are declared in
engine/declarations/reductions.py.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import cpu_kernels as K
from adcli.engine import shape as sh
from adcli.engine.cpu_kernels import _GRAIN, SUM_THREADS, sum_threads  # noqa: F401 (re-exported)
from adcli.engine.fma import fma32
from adcli.engine.ops.kinds import Unary, _i64, _new
from adcli.engine.ops.shapes import CatBackward0, UnsqueezeBackward0, expand
from adcli.engine.sum_order import _LANES, sequential_sum, torch_sum  # noqa: F401 (re-exported)
from adcli.engine.tensor import (
    _GRAD,
    Tensor,
    _wrap,
    edge,
    warn,
)
from adcli.errors import (
    TorchIndexError,
    TorchRuntimeError,
)


def _keep(g, shape, axes, keepdim, reshape=False):
    """A reduced gradient with its reduced dims restored as size 1 (keepdim form): by one
    unsqueeze per dim as torch does for most reductions, or by a reshape (amax/amin)."""
    if keepdim:
        return g
    if type(g) is Tensor and not reshape:
        for a in sorted(axes):
            g = UnsqueezeBackward0.apply(g, a)
        return g
    return g.reshape(sh.reduced_shape(shape, axes, True))


class SumBackward0(Unary):

    def forward(self, x, dtype=None):
        self.in_shape = x.shape
        return _sum(x, None, False, dtype)

    def backward(self, F, g, x):
        return (F.expand(g, self.in_shape),)


def _sum(x, axes, keepdim, dtype):
    """sum's forward: floats in torch's order (cast first when a dtype is given)."""
    if dtype is not None and dtype.np != x.dtype and dtype.np.kind in "fc":
        x = x.astype(dtype.np)
    if x.dtype in _LANES:
        return torch_sum(x, axes, keepdim)
    return np.asarray(x.sum(axis=axes, keepdims=keepdim, dtype=_sum_dtype(x, dtype)))


def _mean_of(total, n):
    """mean as torch computes it: the sum, divided by n in the sum's dtype."""
    if total.dtype.kind == "f":
        return np.asarray(total / total.dtype.type(n))
    return np.asarray(total / n, total.dtype)


def _torch_mean(F, x, axes, keepdim):
    """x.mean(axes) inside a backward formula: torch's sum order, then the division."""
    if not F.numpy or x.dtype.kind != "f":
        return F.mean(x, axes, keepdim)
    n = x.size if axes is None else sh.numel(tuple(x.shape[a] for a in axes))
    return _mean_of(torch_sum(x, None if axes is None else tuple(axes), keepdim), n)


def _sum_dtype(x, dtype):
    if dtype is not None:
        return dtype.np
    return _i64 if x.dtype.kind in "biu" else None


class _Reduce(Unary):
    """A reduction over ``axes`` (sorted, normalised) with ``keepdim``."""


class SumBackward1(_Reduce):

    def forward(self, x, axes, keepdim, dtype=None):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        return _sum(x, axes, keepdim, dtype)

    def backward(self, F, g, x):
        return (F.expand(_keep(g, self.in_shape, self.axes, self.keepdim), self.in_shape),)


class MeanBackward0(Unary):

    def forward(self, x, dtype=None):
        self.in_shape = x.shape
        if dtype is not None:
            x = x.astype(dtype.np)
        if not x.size:
            return np.asarray(np.nan, x.dtype)
        return _mean_of(torch_sum(x), x.size)

    def backward(self, F, g, x):
        return (F.mean_expand(g, self.in_shape, sh.numel(self.in_shape)),)


class MeanBackward1(_Reduce):

    def forward(self, x, axes, keepdim, dtype=None):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        if dtype is not None:
            x = x.astype(dtype.np)
        n = sh.numel(tuple(x.shape[a] for a in axes))
        if not n:
            return np.full(sh.reduced_shape(x.shape, axes, keepdim), np.nan, x.dtype)
        return _mean_of(torch_sum(x, axes, keepdim), n)

    def backward(self, F, g, x):
        n = sh.numel(tuple(self.in_shape[a] for a in self.axes))
        return (F.mean_expand(_keep(g, self.in_shape, self.axes, self.keepdim), self.in_shape, n),)


def _exclusive_prod(x: np.ndarray, axis: int) -> np.ndarray:
    """For each element, the product of the others along ``axis`` (no division by zero)."""
    ones = np.ones_like(np.take(x, [0], axis=axis))
    left = np.cumprod(np.concatenate([ones, np.take(x, range(x.shape[axis] - 1), axis=axis)],
                                     axis=axis), axis=axis)
    rev = np.flip(x, axis)
    right = np.cumprod(np.concatenate([ones, np.take(rev, range(x.shape[axis] - 1), axis=axis)],
                                      axis=axis), axis=axis)
    return left * np.flip(right, axis)


class ProdBackward0(Unary):
    saves = "x"
    saves_result = True

    def forward(self, x, dtype=None):
        return x.prod(dtype=_sum_dtype(x, dtype))

    def backward(self, F, g, x, result):
        xd = x if F.numpy else x._data
        if xd.size == 0:
            return (F.expand(g, xd.shape) * 0,)
        zeros = np.count_nonzero(xd == 0)
        if not zeros:
            return (g * (result / x),)
        if F.numpy:
            if zeros > 1:  # as torch: every product of the others is zero
                return (np.zeros_like(xd),)
            return (g * _exclusive_prod(xd.reshape(-1), 0).reshape(xd.shape),)
        return (_prod_safe_zeros(F, g, x.reshape(-1), 0).reshape(xd.shape),)


class ProdBackward1(Unary):
    saves = "x"
    saves_result = True

    def forward(self, x, dim, keepdim, dtype=None):
        self.dim, self.keepdim = dim, keepdim
        return x.prod(axis=dim, keepdims=keepdim, dtype=_sum_dtype(x, dtype))

    def backward(self, F, g, x, result):
        xd = x if F.numpy else x._data
        gk = _keep(g, xd.shape, (self.dim,), self.keepdim)
        rk = _keep(result, xd.shape, (self.dim,), self.keepdim)
        if not (xd == 0).any():
            return (gk * (rk / x),)
        if F.numpy:
            return (gk * _exclusive_prod(xd, self.dim),)
        return (_prod_safe_zeros(F, gk, x, self.dim),)


class MaxBackward1(Unary):
    """max() of all elements; ties share the gradient evenly."""

    saves = "x"
    saves_result = True

    def forward(self, x):
        if x.size == 0:
            raise TorchRuntimeError("max(): Expected reduction dim to be specified for "
                                    "input.numel() == 0. Specify the reduction dim with the "
                                    "'dim' argument.")
        return x.max()

    def backward(self, F, g, x, result):
        return (_evenly(F, g, x, result, None),)


class MinBackward1(MaxBackward1):

    def forward(self, x):
        if x.size == 0:
            raise TorchRuntimeError("min(): Expected reduction dim to be specified for "
                                    "input.numel() == 0. Specify the reduction dim with the "
                                    "'dim' argument.")
        return x.min()


def _evenly(F, g, x, result_k, axes):
    """Share ``g`` evenly among the elements equal to the reduced result (NaNs included):
    as torch, zeros with g / count filled in where the mask is set."""
    mask = (x == result_k) | (F.isnan(x) & F.isnan(result_k))
    zeros = F.const(np.zeros(F.data(x).shape, F.data(g).dtype))
    return F.masked_fill(zeros, mask, g / F.count(mask, axes))


class MaxBackward0(Unary):
    """max(x, dim): values and indices; the gradient goes to the returned index."""

    frees = ("indices",)
    pick = staticmethod(np.argmax)

    @classmethod
    def apply_indices(cls, x: Tensor, dim: int, keepdim: bool):
        node = _new(cls)
        data = x._data
        if data.ndim and data.shape[dim] == 0:
            raise TorchIndexError(f"{cls.__name__[:3].lower()}(): Expected reduction dim {dim} "
                                  "to have non-zero size.")
        out = node.forward(data, dim, keepdim)
        values = node.record(out, (x,), (edge(x),)) if x._rg and _GRAD[0] else _wrap(out)
        idx = node.indices if keepdim or not data.ndim else node.indices.squeeze(dim)
        return values, _wrap(np.asarray(idx))

    def forward(self, x, dim, keepdim):
        self.dim, self.keepdim, self.in_shape = dim, keepdim, x.shape
        if x.ndim == 0:
            self.indices = np.zeros((), _i64)
            return x.copy()
        self.indices = np.expand_dims(self.pick(x, axis=dim), dim).astype(_i64)
        values = np.take_along_axis(x, self.indices, axis=dim)
        return values if keepdim else values.squeeze(dim)

    def backward(self, F, g, x):
        shape, dim = self.in_shape, self.dim
        if not shape:
            return (g,)
        pos = np.arange(shape[dim]).reshape([-1 if i == dim else 1 for i in range(len(shape))])
        mask = pos == self.indices
        return (F.where(mask, F.expand(_keep(g, shape, (dim,), self.keepdim), shape), 0.0),)


class MinBackward0(MaxBackward0):
    pick = staticmethod(np.argmin)


class AmaxBackward0(_Reduce):
    saves = "x"
    saves_result = True
    reduce = staticmethod(np.max)

    def forward(self, x, axes, keepdim):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        if x.size == 0 and any(x.shape[a] == 0 for a in axes) or (x.size == 0 and not axes):
            raise TorchIndexError("amax()/amin() cannot reduce over an empty dimension")
        return self.reduce(x, axis=axes, keepdims=keepdim)

    def backward(self, F, g, x, result):
        axes = self.axes
        # as torch: the reduced dims come back by a reshape, then (g / count) * mask, so a
        # negative g leaves -0. where x is not extreme
        rk = _keep(result, self.in_shape, axes, self.keepdim, reshape=True)
        gk = _keep(g, self.in_shape, axes, self.keepdim, reshape=True)
        mask = (x == rk) | (F.isnan(x) & F.isnan(rk))
        return (gk / F.count(mask, axes) * mask,)


class AminBackward0(AmaxBackward0):
    reduce = staticmethod(np.min)


class LinalgVectorNormBackward0(_Reduce):
    saves = "x"
    saves_result = True

    def forward(self, x, ord, axes, keepdim, whole=False):
        # whole: no dim was given (torch's backward then lets the 0-d gradient broadcast)
        self.ord, self.axes, self.keepdim, self.in_shape = ord, axes, keepdim, x.shape
        self.whole = whole
        a = np.abs(x)
        if ord in (1, 2) and x.dtype in (np.float32, np.float64) and x.size:
            return _vector_norm_12(x, ord, axes, keepdim)
        if ord == 2:
            return np.sqrt((x * x).sum(axis=axes, keepdims=keepdim))
        if ord == 1:
            return a.sum(axis=axes, keepdims=keepdim)
        if ord == math.inf or ord == -math.inf:
            if x.size == 0:
                raise TorchRuntimeError("the infinity norm of an empty tensor is not defined")
            f = np.max if ord > 0 else np.min
            return f(a, axis=axes, keepdims=keepdim)
        if ord == 0:
            return (x != 0).sum(axis=axes, keepdims=keepdim).astype(x.dtype)
        return ((a ** ord).sum(axis=axes, keepdims=keepdim)) ** (1.0 / ord)

    def backward(self, F, g, x, result):
        p, axes = self.ord, self.axes
        if self.whole or not self.in_shape:  # the 0-d g broadcasts
            gk, nk = g, result
        else:
            gk = _keep(g, self.in_shape, axes, self.keepdim)
            nk = _keep(result, self.in_shape, axes, self.keepdim)
        return (norm_backward(F, gk, x, nk, p, axes),)


def _norm_lastdim(x: np.ndarray, axes) -> bool:
    """Whether TensorIterator sees the norm as a reduction of the innermost, contiguous
    dim (is_reduce_lastdim): a C-contiguous input whose reduced dims of 2+ elements all
    follow its kept dims of 2+ elements."""
    if not x.flags.c_contiguous:
        return False
    red = set(range(x.ndim)) if axes is None else {a % x.ndim for a in axes}
    seen_reduced = False
    for d, n in enumerate(x.shape):
        if n == 1:
            continue
        if d in red:
            seen_reduced = True
        elif seen_reduced:
            return False
    return seen_reduced


def _vector_norm_12(x: np.ndarray, ord, axes, keepdim) -> np.ndarray:
    """linalg.vector_norm of ord 1 or 2 as torch 2.13's CPU kernels (norm_kernel_tensor_
    iterator_impl, run with 256-bit vectors even on AVX512 machines, as measured):

    ord 2 over the innermost dim: 8 float lanes (4 double) accumulate x*x over the full
    vectors (no FMA), the lanes are added in order, then the leftover elements: the
    compiler's code adds the first 4 * k of them in order (products rounded) and fuses
    the last (at most 3) into FMAs (float32; measured); then sqrt.
    Otherwise (binary_kernel_reduce: NormTwoOps / NormOneOps), each output adds x*x
    (or |x|) over its reduced elements one by one in memory order, from 0; then sqrt."""
    nd = x.ndim
    red = tuple(range(nd)) if axes is None else tuple(sorted(a % nd for a in axes))
    out_shape = sh.reduced_shape(x.shape, red, keepdim)
    kept = [d for d in range(nd) if d not in red]
    m = sh.numel(tuple(x.shape[d] for d in kept))
    r = sh.numel(tuple(x.shape[d] for d in red))
    with np.errstate(all="ignore"):
        if ord == 2 and _norm_lastdim(x, axes):
            rows = x.reshape(m, r)
            lanes = 32 // x.dtype.itemsize
            full = r // lanes * lanes
            if full:
                blocks = rows[:, :full].reshape(m, full // lanes, lanes)
                sq = blocks * blocks
                acc = sequential_sum(np.moveaxis(sq, 1, 0))  # (m, lanes)
                total = sequential_sum(np.ascontiguousarray(acc.T))
            else:
                total = np.zeros(m, x.dtype)
            tail = r - full
            plain = tail // 4 * 4 if x.dtype == np.float32 else tail
            for d in range(full, full + plain):
                c = rows[:, d]
                total = total + c * c
            for d in range(full + plain, r):
                c = rows[:, d]
                total = fma32(c, c, total)
            return np.sqrt(total).reshape(out_shape)
        xr = np.moveaxis(x, red, tuple(range(len(red)))).reshape(r, m)
        terms = xr * xr if ord == 2 else np.abs(xr)
        total = sequential_sum(np.ascontiguousarray(terms))
        if ord == 2:
            total = np.sqrt(total)
        return total.reshape(out_shape)


def norm_backward(F, gk, x, nk, p, axes):
    """torch's norm_backward, op for op: the gradient of the p-norm over ``axes`` of x,
    given the norm ``nk`` and its gradient ``gk`` (both kept); a zero norm gives a zero
    gradient; None for p == 0."""
    if p == 0:
        return None
    if p == 1:
        return F.sgn(x) * gk
    if p == 2:
        return gk * F.masked_fill(x / nk, nk == 0, 0.0)
    if p == math.inf or p == -math.inf:
        a = F.abs(x)
        mask = (a == nk) | F.isnan(a)
        return F.sgn(x) * ((gk / F.count(mask, axes)) * mask)
    if p < 1:
        scaled = F.sgn(x) * F.masked_fill(F.abs(x) ** (p - 1), x == 0, 0.0)
        return scaled * gk * nk ** (1 - p)
    scaled = F.sgn(x) * F.abs(x) ** (p - 1) if p < 2 else x * F.abs(x) ** (p - 2)
    return scaled * F.masked_fill(gk / nk ** (p - 1), nk == 0, 0.0)


class RenormBackward0(Unary):
    """renorm(p, dim, maxnorm): each slice along dim whose p-norm exceeds maxnorm scaled
    by maxnorm / (norm + 1e-7) (ATen's renorm: the norm over all the other dims)."""

    saves = "x"

    def forward(self, x, p, dim, maxnorm):
        axes = tuple(a for a in range(x.ndim) if a != dim)
        self.p, self.axes, self.maxnorm = p, axes, maxnorm
        norm = LinalgVectorNormBackward0().forward(x, p, axes, True)
        factor = np.where(norm > maxnorm, maxnorm / (norm + 1e-7), 1.0).astype(x.dtype)
        return x * factor

    def backward(self, F, g, x):
        # derivatives.yaml's renorm_backward
        p, axes, maxnorm = self.p, self.axes, self.maxnorm
        if F.numpy:
            norm = LinalgVectorNormBackward0().forward(x, p, axes, True)
        else:  # recorded: the second derivative goes through the norm too
            norm = LinalgVectorNormBackward0.apply(x, p, axes, True)
        gout = F.sum(x * g, axes, True)
        nb = norm_backward(F, gout, x, norm, p, axes)
        invnorm = 1.0 / (norm + 1e-7)
        factor = invnorm * maxnorm
        return (F.where(F.data(norm) > maxnorm, factor * (g - invnorm * nb), g),)


class VarBackward0(_Reduce):
    saves = "x"

    def forward(self, x, axes, correction, keepdim, whole=False):
        self.axes, self.keepdim, self.in_shape, self.correction = axes, keepdim, x.shape, correction
        self.whole = whole or not x.ndim  # no dim given: torch's formula for the whole tensor
        n = sh.numel(tuple(x.shape[a] for a in axes))
        if n - correction <= 0:
            warn(f"{self._what()}(): degrees of freedom is <= 0 (reducing {n} elements with "
                 f"correction={correction}); the result is inf or nan")
        # two passes in float64, so that equal values give exactly 0, as torch's Welford does
        x64 = x.astype(np.float64)
        mean = x64.sum(axis=axes, keepdims=True) / n if n else np.full(
            sh.reduced_shape(x.shape, axes, True), np.nan)
        d = x64 - mean
        var = (d * d).sum(axis=axes, keepdims=keepdim) / np.float64(max(n - correction, 0))
        return self._finish(var).astype(x.dtype)

    def _what(self):
        return "var"

    def _finish(self, var):
        return var

    def _var_backward(self, F, g, x):
        # torch's var_backward: 2 / (n - correction) * g * (x - mean)
        axes, ndim = self.axes, len(self.in_shape)
        n = sh.numel(tuple(self.in_shape[a] for a in axes))
        dof = n - self.correction
        if self.whole:  # the 0-d g broadcasts
            mean = _torch_mean(F, x, None, False)
            if dof <= 0:  # inf, or nan where 0 * inf
                xd = F.data(x)
                return g * F.const(np.where(xd == F.data(mean), math.nan, math.inf).astype(
                    xd.dtype))
            return 2.0 / dof * g * (x - mean)
        gk = g if self.keepdim or ndim == 1 else _keep(g, self.in_shape, axes, False)
        scale = 2.0 / dof if dof else math.inf
        return scale * gk * (x - _torch_mean(F, x, axes, True))

    def backward(self, F, g, x):
        return (self._var_backward(F, g, x),)


class StdBackward0(VarBackward0):
    saves_result = True

    def _what(self):
        return "std"

    def _finish(self, var):
        return np.sqrt(var)

    def backward(self, F, g, x, result):
        return (self._var_backward(F, F.masked_fill(g / (result * 2), result == 0, 0.0), x),)


class LogsumexpBackward0(_Reduce):
    saves = "x"
    saves_result = True
    to_float = True

    def forward(self, x, axes, keepdim):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        if x.size == 0:
            return np.full(sh.reduced_shape(x.shape, axes, keepdim), -np.inf, x.dtype)
        # ATen's composition: amax (inf masked to 0), then exp_, sum, log_ and add_, each
        # its own kernel (exp and log are the correctly rounded unary kernels)
        m = np.max(x, axis=axes, keepdims=True)
        m = np.where(np.isinf(m), 0, m).astype(x.dtype, copy=False)
        out = K.log(_sum(K.exp(x - m), axes, True, None)) + m
        return out if keepdim else out.reshape(sh.reduced_shape(x.shape, axes, False))

    def backward(self, F, g, x, result):
        shape, axes, keep = self.in_shape, self.axes, self.keepdim
        return (_keep(g, shape, axes, keep) * F.exp(x - _keep(result, shape, axes, keep)),)


class NormBackward1(LinalgVectorNormBackward0):
    """at::norm(input, p, dim, keepdim), the form torch.pairwise_distance records."""


def _scan(ufunc, x: np.ndarray, dim: int) -> np.ndarray:
    """cumsum/cumprod as ATen's CPU scan: float32 accumulates in double (its acc_type) and
    rounds each output; integers in int64."""
    if not x.ndim:
        return x.copy()
    if x.dtype == np.float32 or x.dtype == np.float16:
        return ufunc.accumulate(x, axis=dim, dtype=np.float64).astype(x.dtype)
    return ufunc.accumulate(x, axis=dim, dtype=_sum_dtype(x, None))


def scan_cumsum(x: np.ndarray, dim: int) -> np.ndarray:
    return _scan(np.add, x, dim)


def scan_cumprod(x: np.ndarray, dim: int) -> np.ndarray:
    return _scan(np.multiply, x, dim)


class CumsumBackward0(Unary):

    def forward(self, x, dim):
        self.dim = dim
        return _scan(np.add, x, dim)

    def backward(self, F, g, x):
        if not g.ndim:
            return (g,)
        d = (self.dim,)
        return (F.flip(F.cumsum(F.flip(g, d), self.dim), d),)


def _reversed_cumsum(F, w, dim: int):
    return F.flip(F.cumsum(F.flip(w, (dim,)), dim), (dim,))


class CumprodBackward0(Unary):
    saves = "x"
    saves_result = True

    def forward(self, x, dim):
        self.dim = dim
        return _scan(np.multiply, x, dim)

    def backward(self, F, g, x, result):
        xd = x if F.numpy else x._data
        if xd.size <= 1 or not xd.ndim or xd.shape[self.dim] == 1:
            return (g,)
        d = self.dim
        zero = xd == 0
        if not zero.any():  # as torch: the reversed cumulative sum of y * g, over x
            return (_reversed_cumsum(F, result * g, d) / x,)
        if not F.numpy:
            return (_cumprod_grad_graph(g, x, d),)
        # With zeros, per slice: before its first zero as above; at the first zero z, the
        # sum over j >= z of g_j times the product of x_1..x_j but x_z; after it, nothing
        # (each product holds x_z).
        seen = np.cumsum(zero, axis=d)
        before, first = seen == 0, zero & (seen == 1)
        mask = F.const
        w = result * g * mask(before.astype(xd.dtype))
        grad_before = _reversed_cumsum(F, w, d) / F.where(mask(before), x, 1.0)
        others = F.cumprod(F.where(mask(first), 1.0, x), d)
        at_zero = F.sum(g * others * mask((seen >= 1).astype(xd.dtype)), (d,), True)
        return (F.where(mask(before), grad_before, F.where(mask(first), at_zero, 0.0)),)


def _cumprod_grad_graph(g: Tensor, x: Tensor, d: int) -> Tensor:
    """cumprod's gradient where x has zeros, recorded so that it differentiates again (as
    torch does under create_graph): for each k, the sum over j >= k of g_j times the
    product of x_1..x_j without x_k, written into a zero tensor slice by slice."""
    xd = x._data
    n = xd.shape[d]
    pre = (slice(None),) * d
    out = _wrap(np.zeros(xd.shape, np.result_type(g._data, xd)))
    ones = _wrap(np.ones(xd.shape[:d] + (1,) + xd.shape[d + 1:], xd.dtype))
    for k in range(n):
        if k == 0:
            omitted = CatBackward0.apply([ones, CumprodBackward0.apply(x[pre + (slice(1, n),)], d)],
                                         d)
        else:
            until = ProdBackward1.apply(x[pre + (slice(0, k),)], d, True)
            if k == n - 1:
                omitted = until
            else:
                after = CumprodBackward0.apply(x[pre + (slice(k + 1, n),)], d)
                omitted = CatBackward0.apply([until, expand(until, after._data.shape) * after], d)
        out[pre + (k,)] = SumBackward1.apply(g[pre + (slice(k, n),)] * omitted, (d,), False)
    return out


def _prod_safe_zeros(F, g, x, dim: int):
    """torch's gradient of a product with zeros in it, as differentiable ops: for each
    element, the product of the ones before it times the product of the ones after it."""
    xd = x if F.numpy else x._data
    n = xd.shape[dim]
    ones = F.const(np.ones(xd.shape[:dim] + (1,) + xd.shape[dim + 1:], xd.dtype))
    pre = (slice(None),) * dim
    before = F.cumprod(F.cat([ones, x[pre + (slice(0, n - 1),)]], dim), dim)
    after = F.flip(F.cumprod(F.cat([ones, F.flip(x[pre + (slice(1, n),)], (dim,))], dim),
                             dim), (dim,))
    return g * (before * after)


# ---- nansum, var_mean / std_mean, aminmax, logcumsumexp


class NansumBackward0(_Reduce):
    """nansum: the sum with nans counted as 0; no gradient reaches the nans."""

    saves = "x"

    def forward(self, x, axes, keepdim, dtype=None):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        if x.dtype.kind == "f":
            x = np.where(np.isnan(x), np.zeros((), x.dtype), x)
        return _sum(x, axes, keepdim, dtype)

    def backward(self, F, g, x):
        gk = F.expand(_keep(g, self.in_shape, self.axes, self.keepdim), self.in_shape)
        return (F.masked_fill(gk, F.isnan(x), 0.0),)


class VarMeanBackward0(VarBackward0):
    """var_mean's var output (its mean output is another node of this name)."""


class StdMeanBackward0(StdBackward0):
    """std_mean's std output (its mean output is another node of this name)."""


class _VarMeanMean(MeanBackward1):
    """var_mean's mean output: as torch's Welford kernel, accumulated in float64."""

    def forward(self, x, axes, keepdim, dtype=None):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        n = sh.numel(tuple(x.shape[a] for a in axes))
        if not n:
            return np.full(sh.reduced_shape(x.shape, axes, keepdim), np.nan, x.dtype)
        return (x.astype(np.float64).sum(axis=axes, keepdims=keepdim) / n).astype(x.dtype)


class _StdMeanMean(_VarMeanMean):
    """std_mean's mean output."""


_VarMeanMean.__name__ = _VarMeanMean.__qualname__ = "VarMeanBackward0"
_StdMeanMean.__name__ = _StdMeanMean.__qualname__ = "StdMeanBackward0"


class AminmaxBackward0(AminBackward0):
    """aminmax's min output (its max output is another node of this name)."""


class _AminmaxMax(AmaxBackward0):
    """aminmax's max output."""


_AminmaxMax.__name__ = _AminmaxMax.__qualname__ = "AminmaxBackward0"


class LogcumsumexpBackward0(Unary):
    """logcumsumexp(self, dim): log of the running sum of exp along dim."""

    saves = "x"
    saves_result = True
    float_only = True

    def forward(self, x, dim):
        self.dim, self.scalar = dim, not x.ndim
        if not x.ndim:
            return x.copy()
        wide = x.astype(np.float64) if x.dtype != np.float64 else x
        return np.logaddexp.accumulate(wide, axis=dim).astype(x.dtype)

    def backward(self, F, g, x, result):
        if self.scalar:
            return (g,)
        # sum over j >= i of g_j * exp(x_i - result_j), shifted by the largest result
        d = self.dim
        if F.numpy:  # torch's logcumsumexp_backward: positive and negative g apart
            low = np.asarray(np.finfo(g.dtype).min, g.dtype)
            with np.errstate(divide="ignore"):
                log_abs = K.log(np.abs(g))
            out = []
            for part in (g > 0, g < 0):
                lg = np.where(part, log_abs, low) - result
                rev = np.flip(self.forward(np.flip(lg, d), d), d)
                out.append(K.exp(rev + x))
            self.dim = d
            return (out[0] - out[1],)
        return (F.exp(x) * _reversed_cumsum(F, g * F.exp(-result), d),)

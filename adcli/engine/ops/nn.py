"""The grad_fn classes of torch.nn.functional: activations, softmax, the losses, the
backward-of-backward nodes that a create_graph backward records for them, and the layers'
ops (convolution, pooling, normalisation, embedding, constant padding). The names are
declared in engine/declarations/nn.py.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from adcli.engine import cpu_kernels as K
from adcli.engine.fma import fma32, fma32_chain
from adcli.engine.ops.elementwise import _at_least, _at_most
from adcli.engine.ops.kinds import Binary, Nary, Unary, _new, _with_scalars
from adcli.engine.ops.reductions import torch_sum
from adcli.engine.ops.shapes import reshape
from adcli.engine.sum_order import nll_cascade_sum, sequential_sum
from adcli.engine.tensor import (
    _GRAD,
    Node,
    Tensor,
    _wrap,
    edge,
)
from adcli.errors import (
    TorchNotImplementedError,
    TorchRuntimeError,
)
from adcli.limits import check_elements, check_work


class SoftplusBackward0(Unary):
    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, beta=1, threshold=20):
        self.beta, self.threshold = beta, threshold
        return K.softplus(x, beta, threshold)

    def backward(self, F, g, x):
        return (F.softplus_backward(g, x, self.beta, self.threshold),)


class SoftmaxBackward0(Unary):
    saves_result = True

    def forward(self, x, dim):
        self.axes = axes = (dim,) if x.ndim else ()
        if not x.size:
            return x.copy()
        if _lastdim(x, axes):
            return K.softmax_lastdim(x)
        if x.dtype in (np.float32, np.float64):
            return _softmax_dim(x, dim % x.ndim)
        e = K.exp(x - np.max(x, axis=dim, keepdims=True))
        return e / e.sum(axis=axes, keepdims=True)

    def backward(self, F, g, x, result):
        return (F.softmax_backward(g, result, self.axes),)


class LogSoftmaxBackward0(Unary):
    saves_result = True

    def forward(self, x, dim):
        self.axes = axes = (dim,) if x.ndim else ()
        if not x.size:
            return x.copy()
        if _lastdim(x, axes):
            return K.log_softmax_lastdim(x)
        s = x - np.max(x, axis=dim, keepdims=True)
        return s - K.log(K.exp(s).sum(axis=axes, keepdims=True))

    def backward(self, F, g, x, result):
        return (F.log_softmax_backward(g, result, self.axes),)


class _BackwardOp(Node):
    """An op of (g, saved) used inside a backward formula; no type promotion."""

    @classmethod
    def apply(cls, g: Tensor, r: Tensor, *args) -> Tensor:
        node = _new(cls)
        out = np.asarray(node.forward(g._data, r._data, *args))
        if _GRAD[0]:
            edges = (edge(g), edge(r))
            if edges[0] is not None or edges[1] is not None:
                return node.record(out, (g, r), edges)
        return _wrap(out)


def _tanh_backward(g, r):
    return K.tanh_backward(g, r)  # g * (1 - r * r), the parenthesis one FMA, as ATen's


def _sigmoid_backward(g, r):
    return K.sigmoid_backward(g, r)  # (g * (1 - r)) * r, as ATen's


def _threshold_backward(g, x, threshold=0):
    # torch: x <= threshold ? 0 : g, so a nan passes its gradient through
    return np.where(x <= threshold, 0, g).astype(g.dtype, copy=False)


def _lastdim(x: np.ndarray, axes: tuple) -> bool:
    """Whether a softmax over ``axes`` runs ATen's last-dimension kernel."""
    return x.ndim <= 1 or axes[0] % x.ndim == x.ndim - 1


def _dim_split(g: np.ndarray, dim: int):
    """(outer, dim_size, inner) of a softmax over ``dim``, as ATen's kernels see it."""
    shape = g.shape
    return (math.prod(shape[:dim]), shape[dim], math.prod(shape[dim + 1:]))


def _vector_positions(outer: int, inner: int, width: int, threads: int) -> np.ndarray:
    """Which (outer, inner) positions _vec_softmax computes with a vector: parallel_for
    splits outer * inner into ``threads`` runs (divup); in each run, each row's stretch
    takes full vectors from its start, the rest one by one."""
    total = outer * inner
    row = np.arange(inner) < inner // width * width  # a whole row in one run
    mask = np.broadcast_to(row, (outer, inner))
    if threads <= 1 or total <= 1:
        return mask
    step = -(-total // threads)
    cuts = [c for c in range(step, total, step) if c % inner]
    if not cuts:
        return mask
    mask = mask.copy()
    flat = mask.reshape(-1)
    for r in sorted({c // inner for c in cuts}):  # the rows a run boundary splits
        edges = [r * inner] + [c for c in cuts if c // inner == r] + [(r + 1) * inner]
        flat[r * inner:(r + 1) * inner] = False
        for a, b in zip(edges[:-1], edges[1:]):
            flat[a:a + (b - a) // width * width] = True
    return mask


def _softmax_dim(x, dim):
    """_vec_softmax (a softmax over a dim that is not the last): per position, the max,
    exp(x - max) (SLEEF's for the vector positions, std::exp for the others), their sum
    over the dim in order from 0, then each divided by it."""
    split = _dim_split(x, dim)
    x3 = np.ascontiguousarray(x).reshape(split)
    with np.errstate(all="ignore"):
        shifted = x3 - np.max(x3, axis=1, keepdims=True)
        vec = _vector_positions(split[0], split[2], K.vec_width(x.dtype), K.sum_threads())
        e = K.exp(shifted)
        if vec.any():
            vec = np.broadcast_to(vec[:, None, :], split)
            e[vec] = K.vec_exp(shifted[vec])
        total = sequential_sum(np.moveaxis(e, 1, 0))
        return (e / total[:, None]).reshape(x.shape)


def _softmax_backward_dim(g, r, dim, log):
    """_vec_softmax_backward / _vec_log_softmax_backward (a float32 softmax over a dim that
    is not the last): each inner position's sum over ``dim`` from 0 in order, then the
    map. torch 2.13's build fused both the products' accumulation and log_softmax's
    ``g - exp(r) * sum`` into FMAs (measured on AVX512: every element matches); exp is the
    vectorized one except for the positions past the last full vector of each chunk,
    which take std::exp."""
    split = _dim_split(g, dim)
    g3 = np.ascontiguousarray(g).reshape(split)
    r3 = np.ascontiguousarray(r).reshape(split)
    gm, rm = np.moveaxis(g3, 1, 0), np.moveaxis(r3, 1, 0)
    if not log:
        total = fma32_chain(gm, rm)  # (outer, inner)
        out = g3 - total[:, None]
        return np.multiply(out, r3, out=out).reshape(g.shape)
    total = sequential_sum(gm)
    inner, width = split[2], K.vec_width(g.dtype)
    chunk = max(128 * 1024 // split[1] // g.dtype.itemsize, width) // width * width
    chunk = min(chunk, inner)
    last = (inner - 1) // chunk * chunk  # the last chunk's start; its tail is scalar
    tail = last + (inner - last) // width * width
    e = np.empty_like(r3)
    e[..., :tail] = K.vec_exp(r3[..., :tail])
    e[..., tail:] = K.exp(r3[..., tail:])
    with np.errstate(all="ignore"):
        return fma32(-e, np.broadcast_to(total[:, None], e.shape), g3).reshape(g.shape)


def _softmax_backward(g, r, axes):
    if g.dtype == r.dtype and g.size and _lastdim(g, axes):  # map2_reduce_all, then map2
        gs = g.reshape(-1, g.shape[-1]) if g.ndim else g.reshape(1, 1)
        rs = r.reshape(gs.shape)
        total = K.vec_dot_rows(gs, rs)
        out = gs - total[:, None]
        return np.multiply(out, rs, out=out).reshape(g.shape)
    if g.dtype == r.dtype == np.float32 and g.size:
        return _softmax_backward_dim(g, r, axes[0] % g.ndim, False)
    return r * (g - (g * r).sum(axis=axes, keepdims=True))


def _log_softmax_backward(g, r, axes):
    if g.dtype == r.dtype and g.size and _lastdim(g, axes):  # reduce_all, then map2
        gs = g.reshape(-1, g.shape[-1]) if g.ndim else g.reshape(1, 1)
        total = K.vec_reduce_rows(gs, np.add)
        e = K.vec_exp(r.reshape(gs.shape))  # the one full-size temporary
        if gs.dtype == np.float32:  # x - exp(y) * sum, fused by the compiler into one FMA
            # by blocks of rows, so that the exact FMA's float64 work stays block-sized
            step = max(1, K.BLOCK // max(1, gs.shape[1]))
            for i in range(0, gs.shape[0], step):
                blk = e[i:i + step]
                blk[...] = K.fma32(-blk, total[i:i + step, None], gs[i:i + step])
            return e.reshape(g.shape)
        np.multiply(e, total[:, None], out=e)
        return np.subtract(gs, e, out=e).reshape(g.shape)
    if g.dtype == r.dtype == np.float32 and g.size:
        return _softmax_backward_dim(g, r, axes[0] % g.ndim, True)
    return g - K.exp(r) * g.sum(axis=axes, keepdims=True)


class TanhBackwardBackward0(_BackwardOp):
    saves = "xx"

    def forward(self, g, r):
        return _tanh_backward(g, r)

    def backward(self, F, gg, g, r):
        return F.tanh_backward(gg, r), gg * (-2 * r * g)


class SigmoidBackwardBackward0(_BackwardOp):
    saves = "xx"

    def forward(self, g, r):
        return _sigmoid_backward(g, r)

    def backward(self, F, gg, g, r):
        return F.sigmoid_backward(gg, r), gg * g * (-2 * r + 1)


class ThresholdBackwardBackward0(_BackwardOp):
    """The backward of relu and threshold: g where x > threshold (0 for relu), else 0."""

    saves = "-x"
    threshold = 0

    def forward(self, g, x, threshold=0):
        if threshold != 0:
            self.threshold = threshold
        return _threshold_backward(g, x, threshold)

    def backward(self, F, gg, g, x):
        # as torch: the mask's own gradient is zero, but defined, so the graph behind x runs
        return (F.threshold_backward(gg, x, self.threshold),
                None if self._next[1] is None else F.zeros_like(gg))


class ThresholdBackward0(Unary):
    """torch.threshold: input, or ``value`` where input <= threshold (both cast to the
    input's dtype first, as ATen's kernel casts its Scalars)."""

    saves = "x"

    def forward(self, x, threshold, value):
        self.threshold = threshold
        limit = np.asarray(threshold).astype(x.dtype)
        return np.where(x <= limit, np.asarray(value).astype(x.dtype), x)

    def backward(self, F, g, x):
        return (F.threshold_backward(g, x, self.threshold),)


class ThresholdBackward1(ThresholdBackward0):
    """torch.threshold_, in place: the same gradient, from the input's old values."""


def _softplus_backward(g, x, beta, threshold):
    # g where x*beta > threshold, else g * z / (z + 1) with z = exp(x*beta), as ATen's
    return K.softplus_backward(g, x, beta, threshold).astype(g.dtype, copy=False)


class SoftplusBackwardBackward0(_BackwardOp):
    """softplus's backward: g where beta*x > threshold, else g * sigmoid(beta*x)."""

    saves = "xx"

    def forward(self, g, x, beta, threshold):
        self.beta, self.threshold = beta, threshold
        return _softplus_backward(g, x, beta, threshold)

    def backward(self, F, gg, g, x):
        beta, threshold = self.beta, self.threshold
        bx = x * beta
        # the derivative of g * sigmoid(beta*x) in x, where softplus is not linear
        below = F.const((F.data(bx) < threshold).astype(F.data(g).dtype))
        dx = F.sigmoid_backward(gg * g, F.sigmoid(bx)) * below * beta
        return F.softplus_backward(gg, x, beta, threshold), dx


class SoftmaxBackwardDataBackward0(_BackwardOp):
    saves = "xx"

    def forward(self, g, r, axes):
        self.axes = axes
        return _softmax_backward(g, r, axes)

    def backward(self, F, gg, g, r):
        d = self.axes
        return (F.softmax_backward(gg, r, d),
                g * gg - F.sum(r * g, d, True) * gg - g * F.sum(r * gg, d, True))


class LogSoftmaxBackwardDataBackward0(_BackwardOp):
    saves = "xx"

    def forward(self, g, r, axes):
        self.axes = axes
        return _log_softmax_backward(g, r, axes)

    def backward(self, F, gg, g, r):
        d = self.axes
        e = F.exp(r)
        return gg - F.sum(gg * e, d, True), -F.sum(g, d, True) * e * gg


class MseLossBackward0(Binary):
    saves = "xx"

    def forward(self, a, b, reduction):
        self.reduction = reduction
        d = a - b
        sq = d * d
        return _reduce_loss(sq, reduction)

    def backward(self, F, g, a, b):
        d = a - b
        scale = 2.0 / max(d.size if F.numpy else d._data.size, 1) if self.reduction == "mean" \
            else 2.0
        grad = g * (scale * d)
        return grad, -grad


class NllLossBackward0(Unary):
    """F.nll_loss (and F.cross_entropy after log_softmax): -input[i, target[i]] * w[i],
    reduced; a mean divides by the sum of the weights of the targets that count.
    ``target`` holds class indices (0 where ignored) and ``w`` each sample's weight (0
    where its target is ignore_index)."""

    def forward(self, x, target, w, reduction):
        self.reduction, self.target, self.w = reduction, target, w
        self.in_shape = x.shape
        rows = target if x.ndim == 1 else (np.arange(x.shape[0]), target)
        if reduction == "none":
            return np.where(w != 0, -x[rows] * w, 0).astype(x.dtype, copy=False)
        return self._reduce(np.atleast_1d(x[rows]), np.atleast_1d(w), reduction)

    def _reduce(self, picked, w, reduction):
        """ATen's cascade of partial sums over the samples (nll_cascade_sum): loss -=
        x * weight (the product rounded first), the weights summed alike; a mean divides
        by their total (by the count of targets that count when no weight was given)."""
        dt = picked.dtype
        valid = w != 0  # w is 0 where a target is ignore_index (or its class weight is 0)
        # without a weight, w is 1 where a target counts: x * 1 and the cascade of ones
        # are exact, so the weighted formulas give torch's unweighted bits too
        total = nll_cascade_sum(-(picked * w.astype(dt)), valid)
        self.denom = nll_cascade_sum(w.astype(dt), valid)
        if reduction == "sum":
            return total
        return np.asarray(total / self.denom, dt)

    def _grad_scale(self, g, F):
        """-(g / total_weight) for a mean, -g for a sum, as ATen's backward (a 0-d g)."""
        if self.reduction == "mean":
            return -(g / self.denom) if F.numpy else -(g / float(self.denom))
        return -g

    def backward(self, F, g, x):
        shape = self.in_shape
        rows = self.target if len(shape) == 1 else (np.arange(shape[0]), self.target)
        if self.reduction != "none":
            # grad_input[i, t_i] = w[t_i] * -(g / total_weight) (or w * -g), else +0
            coef = np.zeros(shape, self._dtype)
            coef[rows] = self.w
            grad = self._grad_scale(g, F)
            if F.numpy:
                out = np.zeros(shape, self._dtype)
                out[rows] = self.w.astype(self._dtype) * grad
                out[rows] = np.where(self.w != 0, out[rows], 0)
                return (out,)
            return (grad * F.const(coef),)
        coef = np.zeros(shape, self._dtype)
        coef[rows] = np.where(self.w != 0, -self.w, 0)  # no -0. where a target is ignored
        if len(shape) == 2:
            g = g.reshape(-1, 1) if F.numpy else reshape(g, (-1, 1))
        return (g * F.const(coef),)


class NllLoss2DBackward0(Unary):
    """nll_loss of (N, C, H, W) log-probabilities and (N, H, W) class indices: as
    NllLossBackward0, a term per position."""

    def forward(self, x, target, w, reduction):
        self.reduction, self.target, self.w = reduction, target, w
        self.in_shape = x.shape
        picked = np.take_along_axis(x, target[:, None], axis=1)[:, 0]
        if reduction == "none":
            return np.where(w != 0, -picked * w, 0).astype(x.dtype, copy=False)
        return self._reduce(picked.reshape(-1), w.reshape(-1), reduction)

    _reduce = NllLossBackward0._reduce
    _grad_scale = NllLossBackward0._grad_scale

    def backward(self, F, g, x):
        if self.reduction != "none":
            coef = np.zeros(self.in_shape, self._dtype)
            np.put_along_axis(coef, self.target[:, None], self.w[:, None].astype(
                self._dtype), axis=1)
            grad = self._grad_scale(g, F)
            if F.numpy:
                vals = self.w.astype(self._dtype) * grad
                vals = np.where(self.w != 0, vals, 0).astype(self._dtype)
                out = np.zeros(self.in_shape, self._dtype)
                np.put_along_axis(out, self.target[:, None], vals[:, None], axis=1)
                return (out,)
            return (grad * F.const(coef),)
        coef = np.zeros(self.in_shape, self._dtype)
        np.put_along_axis(coef, self.target[:, None], np.where(
            self.w != 0, -self.w, 0)[:, None].astype(self._dtype), axis=1)
        g = g[:, None] if F.numpy else g.unsqueeze(1)
        return (g * F.const(coef),)


def _log_clamped(v):
    return np.maximum(np.log(v), -100)


def _unbroadcast_to(a, shape):
    """A gradient summed down to ``shape`` (weights may broadcast the loss's terms)."""
    from adcli.engine.shape import unbroadcast

    return unbroadcast(a, shape) if a.shape != tuple(shape) else a


def _reduce_loss(terms, reduction):
    if reduction == "none":
        return terms
    total = torch_sum(terms)  # torch's summation order, bit for bit
    if reduction == "sum":
        return total
    if not terms.size:
        return np.asarray(np.nan, terms.dtype)
    return np.asarray(total / terms.dtype.type(terms.size), terms.dtype)  # as torch's mean


class SoftMarginLossBackward0(Unary):
    """F.soft_margin_loss(input, target): log1p(exp(-input * target)), computed in place
    step by step as ATen does, then reduced; the target gets no gradient, as in torch."""

    saves = "x"

    def forward(self, x, t, reduction):
        x, t = np.broadcast_arrays(x, t)
        self.reduction, self.n, self.target = reduction, x.size, t
        terms = K.log1p(K.exp(np.negative(x) * t))
        return _reduce_loss(np.asarray(terms, x.dtype), reduction)

    def backward(self, F, g, x):
        _numpy_only(F, "soft_margin_loss")
        t = self.target
        norm = 1.0 / self.n if self.reduction == "mean" else 1.0
        z = K.exp(np.negative(t) * x)  # ATen: -norm * t * z / (1 + z) * grad
        out = (t * z) * x.dtype.type(-norm)
        return (out / (z + x.dtype.type(1)) * g,)


class BinaryCrossEntropyBackward0(Binary):
    """F.binary_cross_entropy(input, target): -(t log x + (1 - t) log(1 - x)), as ATen's
    kernel writes it: (t - 1) log1p(-x) - t log(x), each log clamped at -100."""

    saves = "xx"

    def forward(self, x, t, reduction, weight=None):
        if not ((x >= 0) & (x <= 1)).all():
            raise TorchRuntimeError("all elements of input should be between 0 and 1")
        if not ((t >= 0) & (t <= 1)).all():
            raise TorchRuntimeError("all elements of target should be between 0 and 1")
        self.reduction, self.n, self.weight = reduction, x.size, weight
        x, t = np.broadcast_arrays(x, t)
        low = x.dtype.type(-100)
        terms = (t - 1) * np.maximum(K.log1p(-x), low) - t * np.maximum(K.log(x), low)
        if weight is not None:
            terms = terms * weight
        return _reduce_loss(terms.astype(x.dtype, copy=False), reduction)

    def backward(self, F, g, x, t):
        w = self.weight
        if F.numpy:  # ATen's kernel and binary_cross_entropy_target_backward, op for op
            return self._numpy_backward(g, x, t, w)
        scale = 1.0 / self.n if self.reduction == "mean" else 1.0
        denom = (1 - x) * x
        if F.numpy:  # torch clamps it at 1e-12 (and the logs at -100)
            denom = np.maximum(denom, 1e-12)
            dt = (_log_clamped(1 - x) - _log_clamped(x)) * scale
        else:
            if w is not None:
                _numpy_only(F, "binary_cross_entropy with weights")
            dt = (F.log(1 - x) - F.log(x)) * scale
        dx = (x - t) / denom * scale
        if w is not None:
            dx, dt = (dx * w).astype(x.dtype), (dt * w).astype(x.dtype)
        return g * dx, g * dt


def _bce_finish(grad, w, reduction, n, dtype):
    """The common tail of ATen's BCE backward formulas: times the weight, then divided by
    numel for a mean (in place, in the gradient's dtype)."""
    if w is not None:
        grad = grad * w
    if reduction == "mean":
        grad = grad / np.asarray(n, dtype)
    return np.asarray(grad).astype(dtype, copy=False)


def _bce_numpy_backward(self, g, x, t, w):
    dt = x.dtype
    with np.errstate(all="ignore"):
        # grad * (x - t) / max((1 - x) * x, EPSILON), EPSILON = 1e-12 in the dtype
        dx = g * (x - t) / np.maximum((dt.type(1) - x) * x, np.asarray(1e-12, dt))
        dx = _bce_finish(dx, w, self.reduction, self.n, dt)
        dt_ = -K.log(x / (dt.type(1) - x)) * g  # -logit(x) * grad
        dt_ = _bce_finish(dt_, w, self.reduction, self.n, dt)
    return _unbroadcast_to(dx, x.shape), _unbroadcast_to(dt_, t.shape)


BinaryCrossEntropyBackward0._numpy_backward = _bce_numpy_backward


class BinaryCrossEntropyWithLogitsBackward0(Binary):
    """F.binary_cross_entropy_with_logits(input, target): (1 - t) x - log_sigmoid(x), with
    log_sigmoid(x) scaled by (pos_weight - 1) t + 1 and the terms by weight where given, in
    torch's order."""

    saves = "xx"

    def forward(self, x, t, reduction, weight=None, pos_weight=None):
        self.reduction, self.n = reduction, x.size
        self.weight, self.pos_weight = weight, pos_weight
        log_sig = K.logsigmoid(x).astype(x.dtype, copy=False)
        if pos_weight is not None:
            log_sig = log_sig * ((pos_weight - 1) * t + 1)
        terms = (1 - t) * x - log_sig
        if weight is not None:
            terms = terms * weight
        return _reduce_loss(terms.astype(x.dtype, copy=False), reduction)

    def backward(self, F, g, x, t):
        w, pw = self.weight, self.pos_weight
        if F.numpy:  # binary_cross_entropy_with_logits_backward (and _target_), op for op
            dt = x.dtype
            red, n = self.reduction, self.n
            with np.errstate(all="ignore"):
                if pw is None:
                    dx = (K.sigmoid(x) - t) * g
                    dtg = -x * g
                else:
                    pt = pw * t
                    dx = ((pt + dt.type(1)) - t) * K.sigmoid(x) - pt
                    dx = dx * g
                    dtg = (K.logsigmoid(-x) - K.logsigmoid(x) * pw) * g
                dx = _bce_finish(dx, w, red, n, dt)
                dtg = _bce_finish(dtg, w, red, n, dt)
            return _unbroadcast_to(dx, x.shape), _unbroadcast_to(dtg, t.shape)
        scale = 1.0 / self.n if self.reduction == "mean" else 1.0
        if w is None and pw is None:
            dx = (F.sigmoid(x) - t) * scale
            dt = -x * scale
            return g * dx, g * dt
        _numpy_only(F, "binary_cross_entropy_with_logits with weights")
        if pw is not None:
            pt = pw * t
            dx = (pt + 1 - t) * (1 / (1 + np.exp(-x))) - pt
            log_sig = np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))
            log_sig_neg = np.minimum(-x, 0) - np.log1p(np.exp(-np.abs(x)))
            dt = log_sig_neg - log_sig * pw
        else:
            dx = 1 / (1 + np.exp(-x)) - t
            dt = -x
        if w is not None:
            dx, dt = dx * w, dt * w
        dx = (dx * g * scale).astype(x.dtype, copy=False)
        dt = (dt * g * scale).astype(x.dtype, copy=False)
        return _unbroadcast_to(dx, x.shape), _unbroadcast_to(dt, t.shape)


class HuberLossBackward0(Binary):
    """F.huber_loss: 0.5 d**2 where |d| < delta, else delta * (|d| - 0.5 delta), reduced."""

    saves = "xx"

    def forward(self, a, b, reduction, delta):
        self.reduction, self.delta, self.n = reduction, delta, np.broadcast(a, b).size
        z = np.abs(a - b)
        dl = np.asarray(delta, z.dtype)
        half = np.asarray(0.5, z.dtype)
        terms = np.where(z < dl, half * z * z, dl * (z - half * dl))
        return _reduce_loss(terms.astype(z.dtype, copy=False), reduction)

    def backward(self, F, g, a, b):
        dl = self.delta
        norm = 1.0 / self.n if self.reduction == "mean" else 1.0

        def grad(d):  # torch's target gradient is this at b - a (a zero stays +0)
            return F.where(d <= -dl, g * (-norm * dl),
                           F.where(d >= dl, g * (norm * dl), d * norm * g))
        return grad(a - b), grad(b - a)


class SmoothL1LossBackward0(Binary):
    """F.smooth_l1_loss: 0.5 d**2 / beta where |d| < beta, else |d| - 0.5 beta, reduced."""

    saves = "xx"

    def forward(self, a, b, reduction, beta):
        self.reduction, self.beta, self.n = reduction, beta, np.broadcast(a, b).size
        z = np.abs(a - b)
        bt = np.asarray(beta, z.dtype)
        half = np.asarray(0.5, z.dtype)
        terms = np.where(z < bt, half * z * z / bt, z - half * bt)
        return _reduce_loss(terms.astype(z.dtype, copy=False), reduction)

    def backward(self, F, g, a, b):
        bt = self.beta
        norm = 1.0 / self.n if self.reduction == "mean" else 1.0

        def grad(d):  # torch's target gradient is this at b - a (a zero stays +0)
            return F.where(d <= -bt, g * -norm,
                           F.where(d >= bt, g * norm, d * norm * g / bt))
        return grad(a - b), grad(b - a)


class LogSigmoidBackward0(Unary):
    """F.logsigmoid: min(0, x) - log1p(exp(-|x|)), as torch computes it."""

    float_only = True
    saves = "x"

    def forward(self, x):
        return K.logsigmoid(x)

    def backward(self, F, g, x):
        if F.numpy:
            return (K.logsigmoid_backward(g, x).astype(g.dtype, copy=False),)
        z = F.exp(-F.abs(x))
        q = z / (z + 1)
        return (g * F.where(x < 0, 1 - q, q),)


class LeakyReluBackward0(Unary):
    float_only = True
    saves = "x"

    def forward(self, x, slope):
        self.slope = slope
        return np.where(x > 0, x, x * np.asarray(slope, x.dtype))

    def backward(self, F, g, x):
        return (F.where(x > 0, g, g * self.slope),)


class LeakyReluBackward1(Unary):
    """leaky_relu_, in place: the gradient read from the result (whose sign is the input's
    when the slope is not negative, which torch requires of it)."""

    float_only = True
    saves_result = True
    forward = LeakyReluBackward0.forward

    def backward(self, F, g, x, result):
        if self.slope < 0:
            raise TorchRuntimeError(
                "In-place leakyReLu backward calculation is triggered with a negative slope "
                "which is not supported. This is caused by calling in-place forward function "
                "with a negative slope, please call out-of-place version instead. File an "
                "issue at https://github.com/pytorch/pytorch if you do require supporting "
                "in-place leakRelu backward calculation with negative slope")
        return (F.where(result > 0, g, g * self.slope),)


_erf = K.erf_f64  # erf in float64 (gelu's slope)


_SQRT_2_PI = math.sqrt(2 / math.pi)


def _gelu_slope(x: np.ndarray, approximate: str) -> np.ndarray:
    """gelu'(x), exact (erf) or with torch's tanh approximation."""
    if approximate == "tanh":
        t = np.tanh(_SQRT_2_PI * (x + 0.044715 * x ** 3))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_PI * (1 + 3 * 0.044715 * x * x)
    return 0.5 * (1 + _erf(x / math.sqrt(2.0))) + x * np.exp(-0.5 * x * x) / math.sqrt(
        2 * math.pi)


def _gelu_backward(g: np.ndarray, x: np.ndarray, approximate: str) -> np.ndarray:
    """g * gelu'(x): the tanh form as ATen's kernel computes it; the exact form in float32
    as torch's kernel where K.gelu_backward has it (oneDNN's for a contiguous tensor of
    more than one element, ATen's scalar lambda for one), else from the slope in float64."""
    if approximate == "tanh":
        return K.gelu_tanh_backward(g, x).astype(g.dtype, copy=False)
    out = K.gelu_backward(g, x)
    if out is not None:
        return out
    return (g * _gelu_slope(x, approximate)).astype(g.dtype, copy=False)


class GeluBackward0(Unary):
    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, approximate):
        self.approximate = approximate
        if approximate == "tanh":
            return K.gelu_tanh(x)
        return K.gelu(x)

    def backward(self, F, g, x):
        return (F.gelu_backward(g, x, self.approximate),)


class GeluBackwardBackward0(_BackwardOp):
    """gelu's backward, g * gelu'(x), as an op that differentiates again."""

    saves = "xx"

    def forward(self, g, x, approximate):
        self.approximate = approximate
        return _gelu_backward(g, x, approximate)

    def backward(self, F, gg, g, x):
        if self.approximate == "tanh":  # gelu = f * (1 + tanh u): f = x/2, u = b(x + k x^3)
            b, k = _SQRT_2_PI, 0.044715
            inner = (x + x ** 3 * k) * b
            t = F.tanh(inner)
            sech = 1 / F.cosh(inner)
            f = x * 0.5
            dt = 1 - t * t
            du = (x * x * (3 * k) + 1) * b
            d2 = dt * du * 0.5 * 2 + f * du * (2 * sech * (-sech * t) * du) + f * dt * (
                x * (6 * k * b))
        else:  # gelu'' = 2 pdf - x^2 pdf
            x2 = x * x
            pdf = F.exp(x2 * -0.5) * (1 / math.sqrt(2 * math.pi))
            d2 = pdf * 2 - x2 * pdf
        return F.gelu_backward(gg, x, self.approximate), gg * g * d2


class EluBackward0(Unary):
    """elu(x, alpha, scale, input_scale) (also selu's): x * scale where x >= 0, else
    expm1(x * input_scale) * (alpha * scale), the coefficients in the input's dtype as
    ATen's kernel takes them."""

    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, alpha, scale=1.0, input_scale=1.0):
        t = x.dtype.type
        self.coefs = coefs = (t(alpha) * t(scale), t(scale), t(input_scale))  # neg, pos, ipt
        neg, pos, ipt = coefs
        return np.where(x >= 0, x * pos, K.expm1(x * ipt) * neg)

    def backward(self, F, g, x):
        neg, pos, ipt = self.coefs
        if F.numpy:  # ATen: x <= 0 ? g * ipt * neg * exp(x * ipt) : g * pos, SLEEF's exp
            e = K.composite(x * ipt, lambda v, exp: exp(v))
            return (np.where(x <= 0, g * ipt * neg * e, g * pos).astype(g.dtype, copy=False),)
        return (F.where(x <= 0, g * float(ipt) * float(neg) * F.exp(x * float(ipt)),
                        g * float(pos)),)


class EluBackward1(EluBackward0):
    """elu_ (and selu_), in place: the gradient read from the result,
    g * input_scale * (result + alpha * scale) where result <= 0."""

    saves = ""
    saves_result = True

    def backward(self, F, g, x, result):
        neg, pos, ipt = self.coefs
        return (F.where(result <= 0, g * float(ipt) * (result + float(neg)), g * float(pos)),)


class CeluBackward0(EluBackward0):
    """celu(x, alpha): elu with input_scale 1 / alpha."""


class CeluBackward1(EluBackward1):
    """celu_, in place."""


class HardsigmoidBackward0(Unary):
    """min(max(x + 3, 0), 6) / 6; the gradient g / 6 inside (-3, 3), else 0."""

    float_only = True
    saves = "x"

    def forward(self, x):
        t = x.dtype.type
        return _at_most(_at_least(x + t(3), t(0)), t(6)) / t(6)

    def backward(self, F, g, x):
        if F.numpy:
            t = x.dtype.type
            return (np.where((x > t(-3)) & (x < t(3)), g * (t(1) / t(6)), t(0)),)
        return (F.where((x > -3) & (x < 3), g * (1 / 6), 0.0),)


class HardswishBackward0(Unary):
    """x * min(max(x + 3, 0), 6) / 6; the gradient 0 up to -3, g * (x / 3 + 0.5) between
    -3 and 3, g from 3 on."""

    float_only = True
    saves = "x"

    def forward(self, x):
        t = x.dtype.type
        return x * _at_most(_at_least(x + t(3), t(0)), t(6)) / t(6)

    def backward(self, F, g, x):
        if F.numpy:
            t = x.dtype.type
            mid = g * (x / t(3) + t(0.5))
            return (np.where(x <= t(-3), t(0), np.where(x < t(3), mid, g)),)
        return (F.where(x <= -3, 0.0, F.where(x < 3, g * (x / 3 + 0.5), g)),)


class _Shrink(Unary):
    """The gradient of hardshrink and softshrink: g outside [-lambd, lambd], 0 inside."""

    float_only = True
    saves = "x"

    def backward(self, F, g, x):
        lam = self.lambd
        if F.numpy:
            t = x.dtype.type
            return (np.where((x >= t(-lam)) & (x <= t(lam)), t(0), g),)
        return (F.where((x >= -lam) & (x <= lam), 0.0, g),)


class HardshrinkBackward0(_Shrink):
    """x where |x| > lambd, else 0."""

    def forward(self, x, lambd):
        self.lambd = lambd
        t = x.dtype.type
        return np.where((x >= t(-lambd)) & (x <= t(lambd)), t(0), x)


class SoftshrinkBackward0(_Shrink):
    """x - lambd above lambd, x + lambd below -lambd, else 0."""

    def forward(self, x, lambd):
        self.lambd = lambd
        lam = x.dtype.type(lambd)
        return np.where(x > lam, x - lam, np.where(x < -lam, x + lam, x.dtype.type(0)))


class GluBackward0(Unary):
    """glu(x, dim): the first half of x along dim times the sigmoid of the second."""

    float_only = True
    saves = "x"

    def forward(self, x, dim):
        self.dim = dim
        a, b = np.split(x, 2, axis=dim)
        one = x.dtype.type(1)
        return a * (one / (one + K.composite(-b, lambda v, exp: exp(v))))

    def backward(self, F, g, x):
        _numpy_only(F, "glu")
        a, b = np.split(x, 2, axis=self.dim)
        one = x.dtype.type(1)
        sig = K.sigmoid(b)
        return (np.concatenate((sig * g, (one - sig) * sig * a * g), axis=self.dim),)


class PreluKernelBackward0(Binary):
    """prelu(x, weight): x where positive, else weight * x (weight broadcast over the
    channels); weight's gradient is x * g where x is not positive, summed down to its
    shape."""

    float_only = True
    saves = "xx"

    def forward(self, x, w):
        return np.where(x > 0, x, w * x)

    def backward(self, F, g, x, w):
        _numpy_only(F, "prelu")
        positive = x > 0
        zero = g.dtype.type(0)
        return np.where(positive, g, w * g), np.where(positive, zero, x * g)


# ---- layers: convolution, pooling, normalisation, embedding, padding ----------------------
# Their backward formulas run on numpy; under create_graph=True (a double backward) they
# refuse with a NotImplementedError rather than cut the graph silently.

_as_strided = np.lib.stride_tricks.as_strided


def _numpy_only(F, name: str) -> None:
    if not F.numpy:
        raise TorchNotImplementedError(
            f"the derivative of {name}'s backward (create_graph=True) is not implemented "
            "in adcli")


def _prod(shape) -> int:
    n = 1
    for s in shape:
        n *= int(s)
    return n


def _record_one(node: Node, out: np.ndarray, x: Tensor) -> Tensor:
    """``out`` as the output of ``node`` over the one input ``x``."""
    if _GRAD[0]:
        e = edge(x)
        if e is not None:
            return node.record(out, (x,), (e,))
    return _wrap(out)


def _windows(xp: np.ndarray, k, stride, dilation, out) -> np.ndarray:
    """A read-only view (..., *out, *k) of the sliding windows over the last len(k) dims."""
    nd = len(k)
    lead = xp.ndim - nd
    st = xp.strides
    shape = xp.shape[:lead] + tuple(out) + tuple(k)
    strides = (st[:lead] + tuple(st[lead + i] * stride[i] for i in range(nd))
               + tuple(st[lead + i] * dilation[i] for i in range(nd)))
    return _as_strided(xp, shape, strides, writeable=False)


def _padded(x: np.ndarray, before, after, value=0.0) -> np.ndarray:
    """x with the last len(before) dims padded by ``value``."""
    lead = x.ndim - len(before)
    if not any(before) and not any(after):
        return x
    return np.pad(x, [(0, 0)] * lead + list(zip(before, after)), constant_values=value)


def _mkldnn_conv(in_shape, w_shape, stride, dilation, groups, dtype) -> bool:
    """Whether torch 2.13's CPU convolution takes oneDNN (ConvParams::use_mkldnn): float32
    only; a 1-d convolution is viewed as a 2-d one of height 1; 1x1 filters on a small batch
    with one thread, and a lone small image with small filters, go to ATen's own kernels."""
    if np.dtype(dtype) != np.float32 or len(in_shape) < 3:
        return False
    if len(in_shape) == 3:
        in_shape = in_shape[:2] + (1,) + in_shape[2:]
        w_shape = w_shape[:2] + (1,) + w_shape[2:]
    n = in_shape[0]
    strided = any(v != 1 for v in stride)
    dilated = any(v != 1 for v in dilation)
    if not (strided or dilated or n >= 16 or w_shape[-1] != 1 or w_shape[-2] != 1
            or K.sum_threads() > 1):
        return False
    return (groups > 1 or (w_shape[-1] > 3 and w_shape[-2] > 3) or n > 1
            or _prod(in_shape[:4]) > 20480)


def _conv_bias_grad(g: np.ndarray, mkldnn: bool, split: bool = True) -> np.ndarray:
    """A convolution's bias gradient, grad_output summed over the batch and the positions.
    ATen's own kernels sum it as torch.sum does; oneDNN adds each channel's values one by
    one, image after image and position after position (checked against torch 2.13 on
    one thread). On T threads oneDNN splits a batch of fewer than T blocks of 16 channels
    into T balanced runs of images, then adds the runs' sums in order (a heuristic: its
    thread split follows a cost model)."""
    axes = (0,) + tuple(range(2, g.ndim))
    if not mkldnn or not g.size:
        return torch_sum(g, axes)
    n, c = g.shape[:2]
    rows = np.ascontiguousarray(np.moveaxis(g.reshape(n, c, -1), 1, 2))  # (N, S, C)
    threads = K.sum_threads()
    if split and threads > 1 and -(-c // 16) < threads and n > 1:
        big = -(-n // threads)
        small = big - 1
        t1 = n - small * threads
        bounds, start = [], 0
        for i in range(threads):
            cnt = big if i < t1 else small
            if cnt:
                bounds.append((start, start + cnt))
            start += cnt
        parts = np.stack([sequential_sum(rows[a:b].reshape(-1, c)) for a, b in bounds])
        return sequential_sum(parts)
    return sequential_sum(rows.reshape(-1, c))


class ConvolutionBackward0(Nary):
    """F.conv1d / F.conv2d (batched input (N, C, *S), symmetric padding): each output is the
    sum over a window of input * weight, by group, plus the bias."""

    saves = "oo-"
    transposed = False

    def forward(self, arrays, stride, padding, dilation, groups, output_padding=None):
        if output_padding is not None:
            self.transposed = True
            return self._forward_transposed(arrays, stride, padding, dilation, groups,
                                            output_padding)
        x, w, b = arrays
        nd = x.ndim - 2
        k = w.shape[2:]
        out = tuple((x.shape[2 + i] + 2 * padding[i] - dilation[i] * (k[i] - 1) - 1)
                    // stride[i] + 1 for i in range(nd))
        n, cin = x.shape[:2]
        cout = w.shape[0]
        cg, og = cin // groups, cout // groups
        check_elements(n * cout * _prod(out), (n, cout) + out)
        check_elements(n * cin * _prod(out) * _prod(k))
        check_work(n * cout * _prod(out) * cg * _prod(k), "convolution")
        self.conf = (stride, padding, dilation, groups)
        self.in_shape, self.w_shape = x.shape, w.shape
        self.mkldnn = _mkldnn_conv(x.shape, w.shape, stride, dilation, groups, x.dtype)
        win = _windows(_padded(x, padding, padding), k, stride, dilation, out)
        res = np.empty((n, cout) + out, x.dtype)
        kaxes = list(range(2 + nd, 2 + 2 * nd))
        waxes = list(range(2, 2 + nd))
        for g in range(groups):
            r = np.tensordot(win[:, g * cg:(g + 1) * cg], w[g * og:(g + 1) * og],
                             axes=([1] + kaxes, [1] + waxes))
            res[:, g * og:(g + 1) * og] = np.moveaxis(r, -1, 1)
        if b is not None:
            res += b.reshape((cout,) + (1,) * nd)
        return res

    def _forward_transposed(self, arrays, stride, padding, dilation, groups, output_padding):
        """F.conv_transpose1d/2d: weight (C_in, C_out / groups, *k); each input element
        spreads input * weight over a window of the output (the gradient of a convolution
        with respect to its input), cropped by padding."""
        x, w, b = arrays
        nd = x.ndim - 2
        k = w.shape[2:]
        n, cin = x.shape[:2]
        cg, og = cin // groups, w.shape[1]
        cout = og * groups
        size = x.shape[2:]
        full = tuple((size[i] - 1) * stride[i] + dilation[i] * (k[i] - 1) + 1
                     + output_padding[i] for i in range(nd))
        out = tuple(full[i] - 2 * padding[i] for i in range(nd))
        check_elements(n * cout * _prod(full), (n, cout) + full)
        check_work(n * cin * _prod(size) * og * _prod(k), "convolution")
        self.conf = (stride, padding, dilation, groups)
        self.in_shape, self.w_shape = x.shape, w.shape
        # the weight as oneDNN sees it, (C_out, C_in / groups, *k); a big output_padding
        # keeps torch on its own kernels
        self.mkldnn = all(output_padding[i] < stride[i] for i in range(nd)) \
            and _mkldnn_conv(x.shape, (cout, cg) + tuple(k), stride, dilation, groups, x.dtype)
        res = np.zeros((n, cout) + full, x.dtype)
        for gi in range(groups):
            cols = np.tensordot(x[:, gi * cg:(gi + 1) * cg], w[gi * cg:(gi + 1) * cg],
                                axes=([1], [0]))  # (N, *size, og, *k)
            cols = np.moveaxis(cols, 1 + nd, 1)  # (N, og, *size, *k)
            for kk in itertools.product(*[range(v) for v in k]):
                sl = tuple(slice(kk[i] * dilation[i],
                                 kk[i] * dilation[i] + stride[i] * (size[i] - 1) + 1, stride[i])
                           for i in range(nd))
                res[(slice(None), slice(gi * og, (gi + 1) * og)) + sl] += cols[(Ellipsis,) + kk]
        res = res[(slice(None), slice(None)) + tuple(
            slice(padding[i], padding[i] + out[i]) for i in range(nd))]
        if b is not None:
            res = res + b.reshape((cout,) + (1,) * nd)
        return np.ascontiguousarray(res)

    def _backward_transposed(self, g, x, w):
        stride, padding, dilation, groups = self.conf
        nd = g.ndim - 2
        cin, size, k = self.in_shape[1], self.in_shape[2:], self.w_shape[2:]
        cg, og = cin // groups, self.w_shape[1]
        gp = _padded(g, padding, padding)  # the uncropped output's shape, output_padding too
        need = [(size[i] - 1) * stride[i] + dilation[i] * (k[i] - 1) + 1 for i in range(nd)]
        gp = gp[(slice(None), slice(None)) + tuple(slice(0, v) for v in need)]
        win = _windows(gp, k, stride, dilation, size)  # (N, C_out, *size, *k)
        gx = gw = gb = None
        kaxes = list(range(2 + nd, 2 + 2 * nd))
        if self._next[0] is not None:
            gx = np.empty(self.in_shape, g.dtype)
            waxes = list(range(2, 2 + nd))
            for gi in range(groups):
                r = np.tensordot(win[:, gi * og:(gi + 1) * og], w[gi * cg:(gi + 1) * cg],
                                 axes=([1] + kaxes, [1] + waxes))  # (N, *size, cg)
                gx[:, gi * cg:(gi + 1) * cg] = np.moveaxis(r, -1, 1)
        if self._next[1] is not None:
            gw = np.empty(self.w_shape, g.dtype)
            axes = [0] + list(range(2, 2 + nd))
            for gi in range(groups):
                gw[gi * cg:(gi + 1) * cg] = np.tensordot(
                    x[:, gi * cg:(gi + 1) * cg], win[:, gi * og:(gi + 1) * og],
                    axes=(axes, axes))
        if self._next[2] is not None:
            gb = _conv_bias_grad(g, self.mkldnn, False)
        return gx, gw, gb

    def backward(self, F, g, x, w, b):
        _numpy_only(F, "convolution")
        if self.transposed:
            return self._backward_transposed(g, x, w)
        stride, padding, dilation, groups = self.conf
        nd = g.ndim - 2
        n, cout = g.shape[:2]
        out = g.shape[2:]
        in_shape, w_shape = self.in_shape, self.w_shape
        cin, k = in_shape[1], w_shape[2:]
        cg, og = cin // groups, cout // groups
        gx = gw = gb = None
        if self._next[0] is not None:
            padded = in_shape[:2] + tuple(in_shape[2 + i] + 2 * padding[i] for i in range(nd))
            gxp = np.zeros(padded, g.dtype)
            if all(out):
                for gi in range(groups):
                    cols = np.tensordot(g[:, gi * og:(gi + 1) * og], w[gi * og:(gi + 1) * og],
                                        axes=([1], [0]))  # (N, *out, cg, *k)
                    cols = np.moveaxis(cols, 1 + nd, 1)  # (N, cg, *out, *k)
                    for kk in itertools.product(*[range(s) for s in k]):
                        sl = tuple(slice(kk[i] * dilation[i],
                                         kk[i] * dilation[i] + stride[i] * (out[i] - 1) + 1,
                                         stride[i]) for i in range(nd))
                        gxp[(slice(None), slice(gi * cg, (gi + 1) * cg)) + sl] += \
                            cols[(Ellipsis,) + kk]
            gx = gxp[(slice(None), slice(None)) + tuple(
                slice(padding[i], padding[i] + in_shape[2 + i]) for i in range(nd))]
        if self._next[1] is not None:
            win = _windows(_padded(x, padding, padding), k, stride, dilation, out)
            gw = np.empty(w_shape, g.dtype)
            axes = [0] + list(range(2, 2 + nd))
            for gi in range(groups):
                gw[gi * og:(gi + 1) * og] = np.tensordot(
                    g[:, gi * og:(gi + 1) * og], win[:, gi * cg:(gi + 1) * cg],
                    axes=(axes, axes))
        if self._next[2] is not None:
            gb = _conv_bias_grad(g, self.mkldnn)
        return gx, gw, gb


def pool_out(size: int, k: int, s: int, p: int, d: int, ceil_mode: bool) -> int:
    """torch's pooling_output_shape."""
    o = (size + 2 * p - d * (k - 1) - 1 + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (o - 1) * s >= size + p:
        o -= 1
    return o


class MaxPool2DWithIndicesBackward0(Node):
    """F.max_pool2d over the last two dims of (C, H, W) or (N, C, H, W): each window's
    maximum (the first one; a nan wins) and its flat index h * W + w in the plane."""

    frees = ("idx",)

    @classmethod
    def apply(cls, x: Tensor, k, s, p, d, ceil_mode):
        node = _new(cls)
        out, idx = node.forward(x._data, k, s, p, d, ceil_mode)
        return _record_one(node, out, x), _wrap(idx)

    def forward(self, x, k, s, p, d, ceil_mode):
        lead, (H, W) = x.shape[:-2], x.shape[-2:]
        oh, ow = (pool_out(H, k[0], s[0], p[0], d[0], ceil_mode),
                  pool_out(W, k[1], s[1], p[1], d[1], ceil_mode))
        B = _prod(lead)
        check_elements(B * oh * ow * k[0] * k[1])
        right = [max((o - 1) * s[i] + d[i] * (k[i] - 1) + 1 - size - p[i], 0)
                 for i, (o, size) in enumerate(((oh, H), (ow, W)))]
        xp = _padded(x.reshape(B, H, W), p, right, -np.inf)
        flat = _windows(xp, k, s, d, (oh, ow)).reshape(B, oh, ow, k[0] * k[1])
        am = flat.argmax(-1) if flat.size else np.zeros((B, oh, ow), np.int64)
        nan = np.isnan(flat)
        if nan.any():  # as torch: the last nan in the window
            last = flat.shape[-1] - 1 - nan[..., ::-1].argmax(-1)
            am = np.where(nan.any(-1), last, am)
        out = np.take_along_axis(flat, am[..., None], -1)[..., 0]
        ki, kj = np.divmod(am, k[1])
        h0 = np.arange(oh)[:, None] * s[0] - p[0]
        w0 = np.arange(ow)[None, :] * s[1] - p[1]
        ih, iw = h0 + ki * d[0], w0 + kj * d[1]
        bad = (ih < 0) | (ih >= H) | (iw < 0) | (iw >= W)
        if bad.any():  # an all -inf window: torch's index is its first element in bounds
            fh = np.where(h0 < 0, h0 + (-h0 + d[0] - 1) // d[0] * d[0], h0)
            fw = np.where(w0 < 0, w0 + (-w0 + d[1] - 1) // d[1] * d[1], w0)
            ih = np.where(bad, fh, ih)
            iw = np.where(bad, fw, iw)
        idx = (ih * W + iw).astype(np.int64)
        self.idx, self.in_shape = idx, x.shape
        return out.reshape(lead + (oh, ow)), idx.reshape(lead + (oh, ow))

    def backward(self, F, g, *saved):
        _numpy_only(F, "max_pool2d")
        H, W = self.in_shape[-2:]
        idx = self.idx
        B = idx.shape[0]
        gx = np.zeros((B, H * W), g.dtype)
        rows = np.broadcast_to(np.arange(B)[:, None, None], idx.shape)
        np.add.at(gx, (rows, idx), g.reshape(idx.shape))  # in torch's order, output by output
        return (gx.reshape(self.in_shape),)


class AvgPool2DBackward0(Unary):
    """F.avg_pool2d over the last two dims: each window's sum, taken in torch's order,
    divided by its size (count_include_pad), its size within the input, or
    divisor_override."""

    def forward(self, x, k, s, p, ceil_mode, count_include_pad, divisor_override):
        if x.dtype.kind not in "fc":
            raise TorchRuntimeError(f"\"avg_pool2d\" not implemented for "
                                    f"'{_legacy(x.dtype)}'")
        lead, (H, W) = x.shape[:-2], x.shape[-2:]
        oh, ow = pool_out(H, k[0], s[0], p[0], 1, ceil_mode), pool_out(W, k[1], s[1], p[1], 1,
                                                                       ceil_mode)
        B = _prod(lead)
        check_elements(B * oh * ow, (B, oh, ow))
        check_work(B * oh * ow * k[0] * k[1], "avg_pool2d")
        right = [max((o - 1) * s[i] + k[i] - size - p[i], 0)
                 for i, (o, size) in enumerate(((oh, H), (ow, W)))]
        self.pads = (p, right)
        xp = _padded(x.reshape(B, H, W), p, right)
        win = _windows(xp, k, s, (1, 1), (oh, ow))
        acc = np.zeros((B, oh, ow), x.dtype)
        for i in range(k[0]):
            for j in range(k[1]):
                acc += win[..., i, j]
        div = np.empty((oh, ow), np.int64)
        for a in range(oh):
            hs = a * s[0] - p[0]
            he = min(hs + k[0], H + p[0])
            for b in range(ow):
                ws = b * s[1] - p[1]
                we = min(ws + k[1], W + p[1])
                size = (he - hs) * (we - ws)
                if divisor_override is not None:
                    div[a, b] = divisor_override
                elif count_include_pad:
                    div[a, b] = size
                else:
                    div[a, b] = (min(he, H) - max(hs, 0)) * (min(we, W) - max(ws, 0))
        self.conf, self.in_shape = (k, s), x.shape
        self.div = div.astype(x.dtype)
        return (acc / self.div).reshape(lead + (oh, ow))

    def backward(self, F, g, x):
        _numpy_only(F, "avg_pool2d")
        (k, s), (before, after) = self.conf, self.pads
        H, W = self.in_shape[-2:]
        oh, ow = g.shape[-2:]
        d = g.reshape(-1, oh, ow) / self.div
        gxp = np.zeros((d.shape[0], H + before[0] + after[0], W + before[1] + after[1]),
                       g.dtype)
        for i in reversed(range(k[0])):  # for each input: its windows in torch's order
            for j in reversed(range(k[1])):
                gxp[:, i:i + s[0] * (oh - 1) + 1:s[0], j:j + s[1] * (ow - 1) + 1:s[1]] += d
        gx = gxp[:, before[0]:before[0] + H, before[1]:before[1] + W]
        return (gx.reshape(self.in_shape),)


def _adaptive_ranges(size: int, out: int) -> list:
    return [((i * size) // out, -((-(i + 1) * size) // out)) for i in range(out)]


def _im2col(x: np.ndarray, k, d, p, s, out) -> np.ndarray:
    """(N, C, H, W) -> (N, C * kh * kw, oh * ow): each window as a column, channel-major,
    then kernel row and column (zero padding)."""
    n, c = x.shape[:2]
    win = _windows(_padded(x, p, p), k, s, d, out)  # (N, C, oh, ow, kh, kw)
    cols = win.transpose(0, 1, 4, 5, 2, 3)
    return np.ascontiguousarray(cols).reshape(n, c * k[0] * k[1], out[0] * out[1])


def _col2im(cols: np.ndarray, size, k, d, p, s, out) -> np.ndarray:
    """The adjoint of _im2col: each column element added back to the pixel it came from,
    kernel offset by kernel offset (ATen's col2im order)."""
    n = cols.shape[0]
    c = cols.shape[1] // (k[0] * k[1])
    full = np.zeros((n, c, size[0] + 2 * p[0], size[1] + 2 * p[1]), cols.dtype)
    blocks = cols.reshape(n, c, k[0], k[1], out[0], out[1])
    for i in range(k[0]):
        for j in range(k[1]):
            rows = slice(i * d[0], i * d[0] + s[0] * (out[0] - 1) + 1, s[0])
            colsl = slice(j * d[1], j * d[1] + s[1] * (out[1] - 1) + 1, s[1])
            full[:, :, rows, colsl] += blocks[:, :, i, j]
    return full[:, :, p[0]:p[0] + size[0], p[1]:p[1] + size[1]]


class Im2ColBackward0(Unary):
    """F.unfold: the sliding windows of (N, C, H, W) as columns (N, C * kh * kw, L)."""

    def forward(self, x, k, d, p, s, out):
        check_elements(x.shape[0] * x.shape[1] * k[0] * k[1] * out[0] * out[1])
        self.conf, self.size = (k, d, p, s, out), x.shape[2:]
        return _im2col(x, k, d, p, s, out)

    def backward(self, F, g, x):
        _numpy_only(F, "unfold")
        k, d, p, s, out = self.conf
        return (np.ascontiguousarray(_col2im(g, self.size, k, d, p, s, out)),)


class Col2ImBackward0(Unary):
    """F.fold: columns (N, C * kh * kw, L) summed back into (N, C, H, W)."""

    def forward(self, x, size, k, d, p, s, out):
        self.conf, self.size = (k, d, p, s, out), size
        return np.ascontiguousarray(_col2im(x, size, k, d, p, s, out))

    def backward(self, F, g, x):
        _numpy_only(F, "fold")
        k, d, p, s, out = self.conf
        return (_im2col(g, k, d, p, s, out),)


class AffineGridGeneratorBackward0(Unary):
    """F.affine_grid for (N, C, H, W): the base grid (x, y, 1) of the output's pixel centres
    in [-1, 1] (or its corners, align_corners), times theta transposed."""

    def forward(self, theta, size, align_corners):
        n, _, h, w = size
        base = np.empty((h, w, 3), theta.dtype)
        base[..., 0] = _grid_steps(w, align_corners, theta.dtype)[None, :]
        base[..., 1] = _grid_steps(h, align_corners, theta.dtype)[:, None]
        base[..., 2] = 1
        self.base = base.reshape(1, h * w, 3)
        self.shape = (n, h, w, 2)
        return np.matmul(self.base, theta.transpose(0, 2, 1)).reshape(n, h, w, 2)

    def backward(self, F, g, theta):
        _numpy_only(F, "affine_grid")
        n = g.shape[0]
        gr = g.reshape(n, -1, 2)
        return (np.matmul(np.swapaxes(np.broadcast_to(self.base, (n,) + self.base.shape[1:]),
                                      1, 2), gr).transpose(0, 2, 1),)


def _grid_steps(size: int, align_corners: bool, dtype) -> np.ndarray:
    """ATen's linspace_from_neg_one: linspace(-1, 1, size), scaled by (size - 1) / size
    unless align_corners."""
    t = np.dtype(dtype).type
    if size <= 1:
        return np.zeros(size, dtype)
    step = (t(1) - t(-1)) / t(size - 1)
    i = np.arange(size)
    half = size // 2
    r = np.where(i < half, t(-1) + step * i.astype(dtype),
                 t(1) - step * (size - 1 - i).astype(dtype)).astype(dtype)
    if not align_corners:
        r = (r * t(size - 1) / t(size)).astype(dtype)
    return r


def _unnormalize(coord, size: int, align_corners: bool):
    """A grid coordinate in [-1, 1] as a pixel coordinate, and d(pixel)/d(coord)."""
    t = coord.dtype.type
    if align_corners:
        return (coord + t(1)) / t(2) * t(size - 1), t((size - 1) / 2)
    return ((coord + t(1)) * t(size) - t(1)) / t(2), t(size / 2)


def _reflect(x, low2: int, high2: int):
    """ATen's reflect_coordinates: x reflected into [low2 / 2, high2 / 2], and the sign of
    d(result)/dx."""
    t = x.dtype.type
    if low2 == high2:
        return np.zeros_like(x), np.zeros_like(x)
    lo, span = t(low2 / 2), t((high2 - low2) / 2)
    d = x - lo
    sign = np.where(d < 0, t(-1), t(1))
    d = np.abs(d)
    extra = np.fmod(d, span)
    flips = np.floor(d / span)
    even = (flips % 2) == 0
    out = np.where(even, extra + lo, span - extra + lo)
    return out, np.where(even, sign, -sign)


def _source_index(coord, size: int, padding: str, align_corners: bool):
    """grid_sampler_compute_source_index with its gradient factor."""
    x, mult = _unnormalize(coord, size, align_corners)
    grad = np.full_like(x, mult)
    t = x.dtype.type
    if padding == "border":
        inside = (x > 0) & (x < size - 1)
        x = np.clip(x, t(0), t(size - 1))
        grad = np.where(inside, grad, t(0))
    elif padding == "reflection":
        if align_corners:
            x, sign = _reflect(x, 0, 2 * (size - 1))
        else:
            x, sign = _reflect(x, -1, 2 * size - 1)
        grad = grad * sign
        inside = (x > 0) & (x < size - 1)
        x = np.clip(x, t(0), t(size - 1))
        grad = np.where(inside, grad, t(0))
    return x, grad


class GridSampler2DBackward0(Nary):
    """F.grid_sample on (N, C, H, W) with a grid (N, Ho, Wo, 2) of (x, y) in [-1, 1]:
    bilinear or nearest, with zeros, border or reflection padding."""

    saves = "xx"

    def forward(self, arrays, mode, padding, align_corners):
        x, grid = arrays
        n, c, h, w = x.shape
        self.conf = (mode, padding, align_corners)
        ix, gx = _source_index(grid[..., 0], w, padding, align_corners)
        iy, gy = _source_index(grid[..., 1], h, padding, align_corners)
        self.coords = (ix, iy, gx, gy)
        ho, wo = grid.shape[1:3]
        batch = np.arange(n)[:, None, None]
        out = np.zeros((n, c, ho, wo), x.dtype)
        for corner_x, corner_y, weight in _corners(ix, iy, mode):
            ok = (corner_x >= 0) & (corner_x < w) & (corner_y >= 0) & (corner_y < h)
            cx = np.clip(corner_x, 0, w - 1).astype(np.int64)
            cy = np.clip(corner_y, 0, h - 1).astype(np.int64)
            vals = x[batch, :, cy, cx]  # (N, Ho, Wo, C)
            out += np.moveaxis(np.where(ok[..., None], vals * weight[..., None], 0), -1, 1)
        return out

    def backward(self, F, g, x, grid):
        _numpy_only(F, "grid_sample")
        mode = self.conf[0]
        ix, iy, gxf, gyf = self.coords
        n, c, h, w = x.shape
        batch = np.arange(n)[:, None, None]
        gin = np.zeros_like(x)
        ggrid = np.zeros(grid.shape, g.dtype)
        gt = np.moveaxis(g, 1, -1)  # (N, Ho, Wo, C)
        t = x.dtype.type
        if mode == "bilinear":
            x0, y0 = np.floor(ix), np.floor(iy)
            x1, y1 = x0 + 1, y0 + 1
            dx_sum = np.zeros(ix.shape, g.dtype)
            dy_sum = np.zeros(iy.shape, g.dtype)
            for cxf, cyf, wgt, sx, sy in (
                    (x0, y0, (x1 - ix) * (y1 - iy), -(y1 - iy), -(x1 - ix)),
                    (x1, y0, (ix - x0) * (y1 - iy), (y1 - iy), -(ix - x0)),
                    (x0, y1, (x1 - ix) * (iy - y0), -(iy - y0), (x1 - ix)),
                    (x1, y1, (ix - x0) * (iy - y0), (iy - y0), (ix - x0))):
                ok = (cxf >= 0) & (cxf < w) & (cyf >= 0) & (cyf < h)
                cx = np.clip(cxf, 0, w - 1).astype(np.int64)
                cy = np.clip(cyf, 0, h - 1).astype(np.int64)
                contrib = np.where(ok[..., None], gt * wgt[..., None], t(0))
                np.add.at(np.moveaxis(gin, 1, -1), (batch, cy, cx), contrib)
                vals = np.where(ok[..., None], x[batch, :, cy, cx], t(0))
                gv = (vals * gt).sum(axis=-1)
                dx_sum += sx * gv
                dy_sum += sy * gv
            ggrid[..., 0] = dx_sum * gxf
            ggrid[..., 1] = dy_sum * gyf
        else:  # nearest: no gradient for the grid
            for cxf, cyf, _ in _corners(ix, iy, mode):
                ok = (cxf >= 0) & (cxf < w) & (cyf >= 0) & (cyf < h)
                cx = np.clip(cxf, 0, w - 1).astype(np.int64)
                cy = np.clip(cyf, 0, h - 1).astype(np.int64)
                contrib = np.where(ok[..., None], gt, t(0))
                np.add.at(np.moveaxis(gin, 1, -1), (batch, cy, cx), contrib)
        return gin, ggrid


def _corners(ix, iy, mode):
    """The pixels an output reads, with their weights."""
    if mode == "nearest":
        yield np.rint(ix), np.rint(iy), np.ones_like(ix)
        return
    x0, y0 = np.floor(ix), np.floor(iy)
    x1, y1 = x0 + 1, y0 + 1
    yield x0, y0, (x1 - ix) * (y1 - iy)
    yield x1, y0, (ix - x0) * (y1 - iy)
    yield x0, y1, (x1 - ix) * (iy - y0)
    yield x1, y1, (ix - x0) * (iy - y0)


class AdaptiveMaxPool2DBackward0(Node):
    """F.adaptive_max_pool2d: output cell (i, j) is the maximum (nan wins, the first of
    equal ones) of the same window as adaptive_avg_pool2d's; its flat index in (H, W) is
    returned too, and the gradient goes to it."""

    frees = ("idx",)

    @classmethod
    def apply(cls, x: Tensor, output_size):
        node = _new(cls)
        out = node.forward(x._data, output_size)
        idx = node.idx.reshape(x._data.shape[:-2] + node.idx.shape[-2:])
        return _record_one(node, out, x), _wrap(idx)

    def forward(self, x, output_size):
        if x.dtype.kind not in "fc":
            raise TorchRuntimeError(f"\"adaptive_max_pool2d\" not implemented for "
                                    f"'{_legacy(x.dtype)}'")
        lead, (H, W) = x.shape[:-2], x.shape[-2:]
        oh, ow = output_size
        B = _prod(lead)
        check_elements(B * oh * ow, (B, oh, ow))
        rh, rw = _adaptive_ranges(H, oh), _adaptive_ranges(W, ow)
        self.in_shape = x.shape
        xr = x.reshape(B, H, W)
        out = np.empty((B, oh, ow), x.dtype)
        idx = np.empty((B, oh, ow), np.int64)
        for a, (h0, h1) in enumerate(rh):
            for b, (w0, w1) in enumerate(rw):
                win = xr[:, h0:h1, w0:w1].reshape(B, -1)
                nan = np.isnan(win)
                k = np.where(nan.any(axis=1), nan.argmax(axis=1), win.argmax(axis=1))
                out[:, a, b] = win[np.arange(B), k]
                cols = w1 - w0
                idx[:, a, b] = (h0 + k // cols) * W + (w0 + k % cols)
        self.idx = idx
        return out.reshape(lead + (oh, ow))

    def backward(self, F, g, *saved):
        _numpy_only(F, "adaptive_max_pool2d")
        H, W = self.in_shape[-2:]
        gr = g.reshape(self.idx.shape)
        B = gr.shape[0]
        gx = np.zeros(B * H * W, g.dtype)
        where = (np.arange(B)[:, None] * (H * W) + self.idx.reshape(B, -1)).reshape(-1)
        np.add.at(gx, where, gr.reshape(-1))
        return (gx.reshape(self.in_shape),)


class AdaptiveAvgPool2DBackward0(Unary):
    """F.adaptive_avg_pool2d: output cell (i, j) is the mean of rows floor(i H / oh) to
    ceil((i + 1) H / oh) and the like columns, summed in torch's order."""

    def forward(self, x, output_size):
        if x.dtype.kind not in "fc":
            raise TorchRuntimeError(f"\"adaptive_avg_pool2d\" not implemented for "
                                    f"'{_legacy(x.dtype)}'")
        lead, (H, W) = x.shape[:-2], x.shape[-2:]
        oh, ow = output_size
        B = _prod(lead)
        check_elements(B * oh * ow, (B, oh, ow))
        self.ranges = rh, rw = _adaptive_ranges(H, oh), _adaptive_ranges(W, ow)
        self.in_shape = x.shape
        xr = x.reshape(B, H, W)
        out = np.empty((B, oh, ow), x.dtype)
        for a, (h0, h1) in enumerate(rh):
            for b, (w0, w1) in enumerate(rw):
                acc = np.zeros(B, x.dtype)
                for ih in range(h0, h1):
                    for iw in range(w0, w1):
                        acc += xr[:, ih, iw]
                out[:, a, b] = acc / x.dtype.type(h1 - h0) / x.dtype.type(w1 - w0)
        return out.reshape(lead + (oh, ow))

    def backward(self, F, g, x):
        _numpy_only(F, "adaptive_avg_pool2d")
        rh, rw = self.ranges
        H, W = self.in_shape[-2:]
        gr = g.reshape(-1, len(rh), len(rw))
        gx = np.zeros((gr.shape[0], H, W), g.dtype)
        t = g.dtype.type
        for a, (h0, h1) in enumerate(rh):
            for b, (w0, w1) in enumerate(rw):
                gx[:, h0:h1, w0:w1] += (gr[:, a, b] / t(h1 - h0) / t(w1 - w0))[:, None, None]
        return (gx.reshape(self.in_shape),)


def _legacy(dtype) -> str:
    from adcli.engine.dtypes import BY_NP

    return BY_NP[np.dtype(dtype)].legacy


class NativeBatchNormBackward0(Nary):
    """F.batch_norm on (N, C, ...): per channel, (x - mean) * invstd * weight + bias, with
    the batch's statistics (training; the running ones updated in place) or the running
    ones (evaluation), computed as torch's CPU kernel: x * alpha + beta. float32/float64:
    that kernel bit for bit (adcli.engine.batch_norm_kernels), forward and backward; other
    dtypes: the statistics in float64, rounded."""

    saves = "xo-"

    def forward(self, arrays, running_mean, running_var, training, momentum, eps):
        x, w, b = arrays
        C = x.shape[1]
        self.exact = x.dtype in (np.float32, np.float64) and x.size > 0
        if self.exact:
            return self._exact_forward(x, w, b, running_mean, running_var, training,
                                       momentum, eps)
        axes = (0,) + tuple(range(2, x.ndim))
        shape = (1, C) + (1,) * (x.ndim - 2)
        dtype = x.dtype
        if training:
            n = x.size // C if C else 0
            x64 = x.astype(np.float64)
            mean64 = x64.mean(axis=axes)
            var_sum = ((x64 - mean64.reshape(shape)) ** 2).sum(axis=axes)
            mean = mean64.astype(dtype)
            invstd = (1 / np.sqrt(var_sum / n + eps)).astype(dtype)
            if running_mean is not None:
                rm = running_mean._data
                rm[...] = (momentum * mean64 + (1 - momentum) * rm).astype(rm.dtype)
            if running_var is not None:
                rv = running_var._data
                unbiased = (var_sum / (n - 1)).astype(dtype) if n > 1 else np.full(
                    C, np.nan, dtype)
                rv[...] = (momentum * unbiased.astype(np.float64)
                           + (1 - momentum) * rv).astype(rv.dtype)
        else:
            mean = running_mean._data.astype(dtype)
            invstd = (1 / np.sqrt(running_var._data.astype(dtype) + dtype.type(eps))).astype(
                dtype)
        alpha = invstd * w.astype(dtype) if w is not None else invstd
        beta = (b.astype(dtype) if b is not None else np.zeros(C, dtype)) - mean * alpha
        self.mean, self.invstd, self.training = mean, invstd, training
        return x * alpha.reshape(shape) + beta.reshape(shape)

    def _exact_forward(self, x, w, b, running_mean, running_var, training, momentum, eps):
        from adcli.engine import batch_norm_kernels as BN

        dtype = x.dtype
        N, C = x.shape[:2]
        x3 = np.ascontiguousarray(x).reshape(N, C, x.size // (N * C))
        rm = None if running_mean is None else running_mean._data
        rv = None if running_var is None else running_var._data
        y, mean, invstd = BN.forward(
            x3, None if w is None else w.astype(dtype, copy=False),
            None if b is None else b.astype(dtype, copy=False), rm, rv, training, momentum,
            eps, K.sum_threads())
        if not training:  # the backward kernel takes invstd in double, rounded
            invstd = BN.eval_invstd_backward(rv, eps, dtype)
        self.mean, self.invstd, self.training = mean, invstd, training
        return y.reshape(x.shape)

    def _exact_backward(self, g, x, w):
        from adcli.engine import batch_norm_kernels as BN

        N, C = g.shape[:2]
        L = g.size // (N * C)
        need = tuple(nxt is not None for nxt in self._next[:3])
        w = None if w is None else w.astype(g.dtype, copy=False)
        x3 = np.ascontiguousarray(x, dtype=g.dtype).reshape(N, C, L)
        if g.flags.c_contiguous:
            gx, gw, gb = BN.backward(g.reshape(N, C, L), x3, w, self.mean, self.invstd,
                                     self.training, need, K.sum_threads())
        else:  # an expanded gradient: torch's TensorIterator path, with at::sum
            axes = (0,) + tuple(range(2, g.ndim))
            gsum = np.asarray(torch_sum(g, axes, False), g.dtype)
            gx, gw, gb = BN.backward_strided(np.reshape(g, (N, C, L)), x3, w, self.mean,
                                             self.invstd, self.training, need, gsum)
        return None if gx is None else gx.reshape(g.shape), gw, gb

    def backward(self, F, g, x, w, b):
        _numpy_only(F, "batch_norm")
        if getattr(self, "exact", False) and x is not None and g.dtype == self.mean.dtype:
            return self._exact_backward(g, x, w)
        C = g.shape[1]
        axes = (0,) + tuple(range(2, g.ndim))
        shape = (1, C) + (1,) * (g.ndim - 2)
        mean, invstd = self.mean.reshape(shape), self.invstd.reshape(shape)
        xc = x - mean
        sum_g = g.sum(axis=axes)
        dotp = (xc * g).sum(axis=axes)
        gx = gw = gb = None
        if self._next[0] is not None:
            scale = invstd * (w.reshape(shape) if w is not None else 1)
            if self.training:
                n = g.size // C
                k = (dotp * self.invstd * self.invstd / n).reshape(shape)
                gx = (g - (sum_g / n).reshape(shape) - xc * k) * scale
            else:
                gx = g * scale
            gx = gx.astype(g.dtype, copy=False)
        if self._next[1] is not None:
            gw = (dotp * self.invstd).astype(g.dtype, copy=False)
        if self._next[2] is not None:
            gb = sum_g
        return gx, gw, gb


class NativeLayerNormBackward0(Nary):
    """F.layer_norm over the last dims: (x - mean) * rstd * weight + bias, with the biased
    variance. float32/float64: torch's CPU kernel bit for bit (adcli.engine.moments:
    RowwiseMoments' Welford cascade, then fma((x - mean) * rstd, weight, bias)); other
    dtypes: the moments in float64, rounded."""

    saves = "xo-"

    def forward(self, arrays, nshape, eps):
        x, w, b = arrays
        dtype = x.dtype
        M = _prod(x.shape[:x.ndim - len(nshape)])
        N = _prod(nshape)
        xr = x.reshape(M, N)
        if dtype in (np.float32, np.float64) and M and N:
            from adcli.engine import moments

            y, self.mean, self.rstd = moments.layer_norm_rows(
                xr, None if w is None else w.reshape(N).astype(dtype, copy=False),
                None if b is None else b.reshape(N).astype(dtype, copy=False), eps)
            self.nshape = nshape
            return y.reshape(x.shape)
        x64 = xr.astype(np.float64)
        mean64 = x64.mean(axis=1) if N else np.full(M, np.nan)
        var = ((x64 - mean64[:, None]) ** 2).mean(axis=1) if N else np.full(M, np.nan)
        rstd = (1 / np.sqrt(np.maximum(var, 0) + eps)).astype(dtype)
        mean = mean64.astype(dtype)
        self.mean, self.rstd, self.nshape = mean, rstd, nshape
        out = xr * rstd[:, None] + (-rstd * mean)[:, None]
        if w is not None:
            out = out * w.reshape(1, N)
        if b is not None:
            out = out + b.reshape(1, N)
        return out.reshape(x.shape).astype(dtype, copy=False)

    def backward(self, F, g, x, w, b):
        _numpy_only(F, "layer_norm")
        N = _prod(self.nshape)
        shape = x.shape if x is not None else g.shape
        M = _prod(shape[:len(shape) - len(self.nshape)])
        gr = g.reshape(M, N)
        if g.dtype in (np.float32, np.float64) and M and N and x is not None:
            from adcli.engine import moments  # LayerNormBackwardKernel, bit for bit

            need = tuple(nxt is not None for nxt in self._next[:3])
            gx, gw, gb = moments.layer_norm_backward_rows(
                gr, x.reshape(M, N).astype(g.dtype, copy=False), self.mean, self.rstd,
                None if w is None else w.reshape(N).astype(g.dtype, copy=False), need,
                K.sum_threads())
            return (None if gx is None else gx.reshape(shape),
                    None if gw is None else gw.reshape(self.nshape),
                    None if gb is None else gb.reshape(self.nshape))
        mean, rstd = self.mean[:, None], self.rstd[:, None]
        gx = gw = gb = None
        if self._next[0] is not None:
            xr = x.reshape(M, N)
            gw_ = gr * w.reshape(1, N) if w is not None else gr
            ds = (gw_ * xr).sum(axis=1, keepdims=True)
            db = gw_.sum(axis=1, keepdims=True)
            scale = g.dtype.type(1 / N) if N else g.dtype.type(0)
            bb = (db * mean - ds) * rstd * rstd * rstd * scale
            c = -bb * mean - db * rstd * scale
            gx = (rstd * gw_ + bb * xr + c).reshape(shape).astype(g.dtype, copy=False)
        if self._next[1] is not None:
            xhat = (x.reshape(M, N) - mean) * rstd
            gw = (gr * xhat).sum(axis=0).reshape(self.nshape)
        if self._next[2] is not None:
            gb = gr.sum(axis=0).reshape(self.nshape)
        return gx, gw, gb


class NativeGroupNormBackward0(Nary):
    """F.group_norm: each sample's channels in ``groups`` groups, each group normalised by its
    mean and biased variance, then per channel x * scale + shift with
    scale = rstd * weight[c], shift = beta[c] - scale * mean, as torch's CPU kernel folds
    them. float32/float64: that kernel bit for bit (adcli.engine.moments); other dtypes:
    the moments in float64, rounded."""

    saves = "xo-"

    def forward(self, arrays, groups, eps):
        x, w, b = arrays
        dtype = x.dtype
        n, c = x.shape[:2]
        hw = _prod(x.shape[2:])
        d = c // groups
        if dtype in (np.float32, np.float64) and n and d * hw:
            from adcli.engine import moments

            y, self.mean, self.rstd = moments.group_norm_rows(
                x.reshape(n, c, hw), groups,
                None if w is None else w.astype(dtype, copy=False),
                None if b is None else b.astype(dtype, copy=False), eps)
            self.groups = groups
            return y.reshape(x.shape)
        x64 = x.reshape(n, groups, d * hw).astype(np.float64)
        mean64 = x64.mean(axis=2) if d * hw else np.full((n, groups), np.nan)
        var = ((x64 - mean64[..., None]) ** 2).mean(axis=2) if d * hw else mean64
        rstd = (1 / np.sqrt(np.maximum(var, 0) + eps)).astype(dtype)
        mean = mean64.astype(dtype)
        self.mean, self.rstd, self.groups = mean, rstd, groups
        gamma = np.ones(c, dtype) if w is None else w
        beta = np.zeros(c, dtype) if b is None else b
        scale = (rstd[:, :, None] * gamma.reshape(groups, d)[None]).astype(dtype)  # (n, G, d)
        shift = (beta.reshape(groups, d)[None].astype(np.float64)
                 - scale.astype(np.float64) * mean[:, :, None]).astype(dtype)
        xr = x.reshape(n, groups, d, hw).astype(np.float64)
        out = xr * scale[..., None] + shift[..., None]
        return out.astype(dtype).reshape(x.shape)

    def backward(self, F, g, x, w, b):
        _numpy_only(F, "group_norm")
        n, c = g.shape[:2]
        groups = self.groups
        d = c // groups
        hw = _prod(g.shape[2:])
        if g.dtype in (np.float32, np.float64) and n and d * hw and x is not None:
            from adcli.engine import moments  # GroupNormBackwardKernel, bit for bit

            need = tuple(nxt is not None for nxt in self._next[:3])
            gx, gw, gb = moments.group_norm_backward_rows(
                g.reshape(n, c, hw), x.reshape(n, c, hw).astype(g.dtype, copy=False),
                self.mean, self.rstd,
                None if w is None else w.astype(g.dtype, copy=False), groups, need,
                K.sum_threads())
            return None if gx is None else gx.reshape(g.shape), gw, gb
        g64 = g.reshape(n, groups, d, hw).astype(np.float64)
        x64 = x.reshape(n, groups, d, hw).astype(np.float64)
        mean = self.mean.astype(np.float64)[:, :, None, None]
        rstd = self.rstd.astype(np.float64)[:, :, None, None]
        xhat = (x64 - mean) * rstd
        gx = gw = gb = None
        if self._next[0] is not None:
            gamma = 1.0 if w is None else w.astype(np.float64).reshape(1, groups, d, 1)
            dy = g64 * gamma
            m = d * hw
            gx = rstd * (dy - dy.sum(axis=(2, 3), keepdims=True) / m
                         - xhat * (dy * xhat).sum(axis=(2, 3), keepdims=True) / m)
            gx = gx.reshape(g.shape).astype(g.dtype)
        if self._next[1] is not None:
            gw = (g64 * xhat).sum(axis=(0, 3)).reshape(c).astype(g.dtype)
        if self._next[2] is not None:
            gb = g64.sum(axis=(0, 3)).reshape(c).astype(g.dtype)
        return gx, gw, gb


class EmbeddingBackward0(Unary):
    """F.embedding: the rows of ``weight`` at the indices; the padding row gets no
    gradient."""

    def forward(self, w, idx, padding_idx):
        self.idx, self.padding_idx, self.w_shape = idx, padding_idx, w.shape
        return w[idx]

    def backward(self, F, g, w):
        gw = F.index_add(g, self.w_shape, (self.idx,))
        if self.padding_idx >= 0:
            gw = F.zero_at(gw, (self.padding_idx,))
        return (gw,)


class SiluBackward0(Unary):
    float_only = True
    saves = "x"

    def forward(self, x):
        return K.silu(x)

    def backward(self, F, g, x):
        if F.numpy:  # as ATen's kernel, bit for bit
            return (K.silu_backward(g, x).astype(g.dtype, copy=False),)
        s = F.sigmoid(x)
        return (g * (s * (1 + x * (1 - s))),)


class HardtanhBackward0(Unary):
    saves = "x"

    def forward(self, x, lo, hi):
        self.lo, self.hi = lo, hi
        return _at_most(_at_least(x, x.dtype.type(lo)), x.dtype.type(hi))

    def backward(self, F, g, x):
        xd = F.data(x)
        return (F.where((xd <= self.lo) | (xd >= self.hi), F.zeros_like(g), g),)


class MishBackward0(Unary):
    float_only = True
    saves = "x"

    def forward(self, x):
        return K.mish(x)  # x * tanh(log1p(exp(x))), SLEEF's functions as ATen's kernel

    def backward(self, F, g, x):
        if F.numpy:  # as ATen's kernel, bit for bit
            return (K.mish_backward(g, x).astype(g.dtype, copy=False),)
        t = F.tanh(F.log(F.exp(x) + 1))
        s = F.sigmoid(x)
        return (g * (t + x * s * (1 - t * t)),)


def _constant_pad(x: np.ndarray, pad: tuple, value) -> np.ndarray:
    nd = len(pad) // 2
    key = [slice(None)] * x.ndim
    pw = [(0, 0)] * x.ndim
    for i in range(nd):
        lo, hi = pad[2 * i], pad[2 * i + 1]
        dim = x.ndim - 1 - i
        key[dim] = slice(max(-lo, 0), x.shape[dim] - max(-hi, 0))
        pw[dim] = (max(lo, 0), max(hi, 0))
    core = x[tuple(key)]
    check_elements(_prod(core.shape[d] + pw[d][0] + pw[d][1] for d in range(x.ndim)))
    if not any(a or b for a, b in pw):
        return core.copy()
    return np.pad(core, pw, constant_values=np.asarray(value).astype(x.dtype))


class ConstantPadNdBackward0(Unary):
    """F.pad(input, pad, value=v): pad (before, after) of the last dims, last dim first;
    a negative amount crops. Its backward is the opposite pad of the gradient."""

    def forward(self, x, pad, value):
        self.pad = pad
        return _constant_pad(x, pad, value)

    def backward(self, F, g, x):
        neg = tuple(-v for v in self.pad)
        if F.numpy:
            return (_constant_pad(g, neg, 0),)
        return (ConstantPadNdBackward0.apply(g, neg, 0),)


def _edge_index(size: int, before: int, after: int, reflect: bool) -> np.ndarray:
    """For each position of a dim padded by (before, after), the input position it copies:
    mirrored about the edge (reflect) or the edge itself (replicate)."""
    pos = np.arange(-before, size + after)
    if reflect:
        period = 2 * (size - 1)
        pos = np.abs(pos) % period if period else np.zeros_like(pos)
        return np.where(pos >= size, period - pos, pos)
    return np.clip(pos, 0, size - 1)


class _EdgePad(Unary):
    """F.pad(mode='reflect' | 'replicate') of the last len(pad) // 2 dims; the backward adds
    each output element's gradient to the input element it copied, in output order, as
    ATen's loops do."""

    reflect = True

    def forward(self, x, pad):
        k = len(pad) // 2
        lead = x.ndim - k
        self.in_shape = x.shape
        idx = [_edge_index(x.shape[lead + i], pad[2 * (k - 1 - i)], pad[2 * (k - 1 - i) + 1],
                           self.reflect) for i in range(k)]
        self.idx = idx
        return x[(Ellipsis,) + np.ix_(*idx)] if k > 1 else x[..., idx[0]]

    def backward(self, F, g, x):
        _numpy_only(F, type(self).__name__)
        k = len(self.idx)
        plane_shape = self.in_shape[len(self.in_shape) - k:]
        plane = _prod(plane_shape)
        planes = _prod(self.in_shape[:len(self.in_shape) - k])
        flat = np.ravel_multi_index(np.ix_(*self.idx), plane_shape).reshape(-1)
        # every output element's input position, plane after plane; np.add.at adds them in
        # this order, one at a time, as ATen's loop does
        where = (np.arange(planes)[:, None] * plane + flat[None, :]).reshape(-1)
        out = np.zeros(planes * plane, g.dtype)
        np.add.at(out, where, np.ascontiguousarray(g).reshape(-1))
        return (out.reshape(self.in_shape),)


def _edge_pad_class(kind: str, reflect: bool, k: int):
    name = f"{kind}Pad{k}DBackward0"
    return type(name, (_EdgePad,), {"reflect": reflect, "__doc__":
                                    f"F.pad(mode={'reflect' if reflect else 'replicate'!r}) "
                                    f"of the last {k} dim(s)", "__module__": __name__})


ReflectionPad1DBackward0 = _edge_pad_class("Reflection", True, 1)
ReflectionPad2DBackward0 = _edge_pad_class("Reflection", True, 2)
ReflectionPad3DBackward0 = _edge_pad_class("Reflection", True, 3)
ReplicationPad1DBackward0 = _edge_pad_class("Replication", False, 1)
ReplicationPad2DBackward0 = _edge_pad_class("Replication", False, 2)
ReplicationPad3DBackward0 = _edge_pad_class("Replication", False, 3)


def _shuffle(x: np.ndarray, r: int) -> np.ndarray:
    """(*, C * r * r, H, W) -> (*, C, H * r, W * r)."""
    *lead, c, h, w = x.shape
    oc = c // (r * r)
    t = x.reshape(*lead, oc, r, r, h, w)
    n = len(lead)
    t = t.transpose(*range(n), n, n + 3, n + 1, n + 4, n + 2)
    return np.ascontiguousarray(t).reshape(*lead, oc, h * r, w * r)


def _unshuffle(x: np.ndarray, r: int) -> np.ndarray:
    """(*, C, H * r, W * r) -> (*, C * r * r, H, W)."""
    *lead, c, h, w = x.shape
    oh, ow = h // r, w // r
    t = x.reshape(*lead, c, oh, r, ow, r)
    n = len(lead)
    t = t.transpose(*range(n), n, n + 2, n + 4, n + 1, n + 3)
    return np.ascontiguousarray(t).reshape(*lead, c * r * r, oh, ow)


class PixelShuffleBackward0(Unary):
    """F.pixel_shuffle: channel blocks of r * r spread over r x r spatial blocks."""

    def forward(self, x, r):
        self.r = r
        return _shuffle(x, r)

    def backward(self, F, g, x):
        if F.numpy:
            return (_unshuffle(g, self.r),)
        return (PixelUnshuffleBackward0.apply(g, self.r),)


class PixelUnshuffleBackward0(Unary):
    """F.pixel_unshuffle: the inverse of pixel_shuffle."""

    def forward(self, x, r):
        self.r = r
        return _unshuffle(x, r)

    def backward(self, F, g, x):
        if F.numpy:
            return (_shuffle(g, self.r),)
        return (PixelShuffleBackward0.apply(g, self.r),)


class ClampMinBackward0(Unary):
    """x.clamp_min(min) with a number bound (also F.normalize's denominator): the input,
    promoted with the bound as torch promotes a Scalar, and nan kept."""

    saves = "x"

    def forward(self, x, lo):
        self.lo = lo
        x = _with_scalars(x, lo)
        return _at_least(x, np.asarray(lo, x.dtype))

    def backward(self, F, g, x):
        return (F.where(F.data(x) >= self.lo, g, F.zeros_like(g)),)


class ClampMaxBackward0(Unary):
    """x.clamp_max(max) with a number bound."""

    saves = "x"

    def forward(self, x, hi):
        self.hi = hi
        x = _with_scalars(x, hi)
        return _at_most(x, np.asarray(hi, x.dtype))

    def backward(self, F, g, x):
        return (F.where(F.data(x) <= self.hi, g, F.zeros_like(g)),)


class TrilinearBackward0(Nary):
    """torch._trilinear as F.bilinear uses it: out[n, o] = x1[n, i] W[o, i, j] x2[n, j]."""

    saves = "xxx"

    def forward(self, arrays):
        x1, w, x2 = arrays
        check_work(x1.shape[0] * w.size, "bilinear()")
        return np.einsum("ni,oij,nj->no", x1, w, x2, optimize=True)

    def backward(self, F, g, x1, w, x2):
        _numpy_only(F, "bilinear")
        return (np.einsum("no,oij,nj->ni", g, w, x2, optimize=True),
                np.einsum("no,ni,nj->oij", g, x1, x2, optimize=True),
                np.einsum("no,ni,oij->nj", g, x1, w, optimize=True))

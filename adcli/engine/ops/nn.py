"""The grad_fn classes of torch.nn.functional: activations, softmax, the losses, and the
backward-of-backward nodes that a create_graph backward records for them. The names are
declared in engine/declarations/nn.py.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine.ops.kinds import Binary, Unary, _new
from adcli.engine.ops.shapes import reshape
from adcli.engine.tensor import (
    _GRAD,
    Node,
    Tensor,
    _wrap,
    edge,
)
from adcli.errors import (
    TorchRuntimeError,
)


class SoftplusBackward0(Unary):
    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, beta=1, threshold=20):
        self.beta, self.threshold = beta, threshold
        bx = x * beta
        soft = np.log1p(np.exp(np.minimum(bx, threshold))) / beta
        return np.where(bx > threshold, x, soft).astype(x.dtype, copy=False)

    def backward(self, F, g, x):
        return (F.softplus_backward(g, x, self.beta, self.threshold),)


class SoftmaxBackward0(Unary):
    saves_result = True

    def forward(self, x, dim):
        self.axes = axes = (dim,) if x.ndim else ()
        e = np.exp(x - np.max(x, axis=dim, keepdims=True)) if x.size else x.copy()
        return e / e.sum(axis=axes, keepdims=True)

    def backward(self, F, g, x, result):
        return (F.softmax_backward(g, result, self.axes),)


class LogSoftmaxBackward0(Unary):
    saves_result = True

    def forward(self, x, dim):
        self.axes = axes = (dim,) if x.ndim else ()
        if not x.size:
            return x.copy()
        s = x - np.max(x, axis=dim, keepdims=True)
        return s - np.log(np.exp(s).sum(axis=axes, keepdims=True))

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
    return g * (1 - r * r)


def _sigmoid_backward(g, r):
    return g * (r * (1 - r))


def _threshold_backward(g, x):
    return np.where(x > 0, g, 0).astype(g.dtype, copy=False)


def _softmax_backward(g, r, axes):
    return r * (g - (g * r).sum(axis=axes, keepdims=True))


def _log_softmax_backward(g, r, axes):
    return g - np.exp(r) * g.sum(axis=axes, keepdims=True)


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
    """relu's backward: g where x > 0, else 0."""

    saves = "-x"

    def forward(self, g, x):
        return _threshold_backward(g, x)

    def backward(self, F, gg, g, x):
        # as torch: the mask's own gradient is zero, but defined, so the graph behind x runs
        return F.threshold_backward(gg, x), (None if self._next[1] is None else F.zeros_like(gg))


def _softplus_backward(g, x, beta, threshold):
    bx = x * beta
    z = np.exp(np.minimum(bx, threshold))
    return np.where(bx > threshold, g, g * z / (z + 1)).astype(g.dtype, copy=False)


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
        if reduction == "mean":
            return sq.sum() / sq.size if sq.size else np.asarray(np.nan, sq.dtype)
        return sq.sum() if reduction == "sum" else sq

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
        terms = np.where(w != 0, -x[rows] * w, 0).astype(x.dtype, copy=False)
        if reduction == "none":
            return terms
        total = terms.sum(dtype=x.dtype)
        if reduction == "sum":
            return np.asarray(total, x.dtype)
        self.denom = w.sum(dtype=x.dtype)
        return np.asarray(total / self.denom, x.dtype)

    def backward(self, F, g, x):
        shape = self.in_shape
        coef = np.zeros(shape, self._dtype)
        rows = self.target if len(shape) == 1 else (np.arange(shape[0]), self.target)
        coef[rows] = np.where(self.w != 0, -self.w, 0)  # no -0. where a target is ignored
        if self.reduction == "mean":
            coef = (coef / self.denom).astype(self._dtype)
        elif self.reduction == "none" and len(shape) == 2:
            g = g.reshape(-1, 1) if F.numpy else reshape(g, (-1, 1))
        return (g * F.const(coef),)


def _log_clamped(v):
    return np.maximum(np.log(v), -100)


def _reduce_loss(terms, reduction):
    if reduction == "none":
        return terms
    total = terms.sum(dtype=terms.dtype)
    if reduction == "sum":
        return total
    return np.asarray(total / terms.size if terms.size else np.nan, terms.dtype)


class BinaryCrossEntropyBackward0(Binary):
    """F.binary_cross_entropy(input, target): -(t log x + (1 - t) log(1 - x)), each log
    clamped at -100 as torch clamps it."""

    saves = "xx"

    def forward(self, x, t, reduction):
        if ((x < 0) | (x > 1)).any():
            raise TorchRuntimeError("all elements of input should be between 0 and 1")
        self.reduction, self.n = reduction, x.size
        terms = -(t * _log_clamped(x) + (1 - t) * _log_clamped(1 - x))
        return _reduce_loss(terms.astype(x.dtype, copy=False), reduction)

    def backward(self, F, g, x, t):
        scale = 1.0 / self.n if self.reduction == "mean" else 1.0
        denom = (1 - x) * x
        if F.numpy:  # torch clamps it at 1e-12 (and the logs at -100)
            denom = np.maximum(denom, 1e-12)
            dt = (_log_clamped(1 - x) - _log_clamped(x)) * scale
        else:
            dt = (F.log(1 - x) - F.log(x)) * scale
        return g * ((x - t) / denom * scale), g * dt


class BinaryCrossEntropyWithLogitsBackward0(Binary):
    """F.binary_cross_entropy_with_logits(input, target): (1 - t) x + log(1 + exp(-x)),
    computed as torch does, stably."""

    saves = "xx"

    def forward(self, x, t, reduction):
        self.reduction, self.n = reduction, x.size
        m = np.maximum(-x, 0)
        terms = (1 - t) * x + m + np.log(np.exp(-m) + np.exp(-x - m))
        return _reduce_loss(terms.astype(x.dtype, copy=False), reduction)

    def backward(self, F, g, x, t):
        scale = 1.0 / self.n if self.reduction == "mean" else 1.0
        dx = (F.sigmoid(x) - t) * scale
        dt = -x * scale
        return g * dx, g * dt


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
        return (np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))).astype(x.dtype, copy=False)

    def backward(self, F, g, x):
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


_erf = np.vectorize(math.erf, otypes=[np.float64])


_SQRT_2_PI = math.sqrt(2 / math.pi)


def _gelu_slope(x: np.ndarray, approximate: str) -> np.ndarray:
    """gelu'(x), exact (erf) or with torch's tanh approximation."""
    if approximate == "tanh":
        t = np.tanh(_SQRT_2_PI * (x + 0.044715 * x ** 3))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_PI * (1 + 3 * 0.044715 * x * x)
    return 0.5 * (1 + _erf(x / math.sqrt(2.0))) + x * np.exp(-0.5 * x * x) / math.sqrt(
        2 * math.pi)


class GeluBackward0(Unary):
    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, approximate):
        self.approximate = approximate
        if approximate == "tanh":
            inner = _SQRT_2_PI * (x + 0.044715 * x ** 3)
            return (0.5 * x * (1 + np.tanh(inner))).astype(x.dtype, copy=False)
        return (0.5 * x * (1 + _erf(x / math.sqrt(2.0)))).astype(x.dtype)

    def backward(self, F, g, x):
        return (F.gelu_backward(g, x, self.approximate),)


class GeluBackwardBackward0(_BackwardOp):
    """gelu's backward, g * gelu'(x), as an op that differentiates again."""

    saves = "xx"

    def forward(self, g, x, approximate):
        self.approximate = approximate
        return (g * _gelu_slope(x, approximate)).astype(g.dtype, copy=False)

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
    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, alpha):
        self.alpha = alpha
        return np.where(x > 0, x, np.expm1(x) * np.asarray(alpha, x.dtype))

    def backward(self, F, g, x):
        return (F.where(x > 0, g, g * (F.exp(x) * self.alpha)),)

"""grad_fn classes of the less common torch.nn ops, forward beside backward, as torch 2.13's
CPU kernels compute them:

- ``EmbeddingBagBackward0``: F.embedding_bag's bags of rows, summed in input order in the
  weight's precision (with per_sample_weights, one fused multiply-add per row), averaged
  by the count of non-padding indices, or their maximum (the first of equal ones); the
  gradient goes back row by row (the weights' gradient: a dot product per index);
- ``MaxUnpool2DBackward0``: F.max_unpool1d/2d's scatter of values to their indices;
- ``CtcLossBackward0``: F.ctc_loss's forward (alpha) recursion in log space and the
  gradient from the alpha and beta recursions, as ATen's LossCTC.cpp;
- ``MultiMarginLossBackward0``, ``MultilabelMarginLossBackward0``: the two margin losses.

Their backward formulas run on numpy; under create_graph=True they refuse, as the pooling
ones do (engine/ops/nn.py).
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import cpu_kernels as K
from adcli.engine.fma import fma32, fma64
from adcli.engine.ops.kinds import Nary, Unary
from adcli.engine.ops.nn import _numpy_only
from adcli.engine.tensor import _wrap
from adcli.engine.torch_random import _introsort, _libm
from adcli.errors import TorchNotImplementedError, TorchRuntimeError


def _linear_under_graph(F, g, name: str):
    """A linear op's backward under create_graph=True: torch's first-order gradient of it
    is a constant when the incoming gradient is (it records nothing); differentiating
    through a recorded one is not implemented here."""
    if F.numpy:
        return g
    if g.requires_grad:
        raise TorchRuntimeError(f"derivative for aten::{name} is not implemented")
    return g._data


def _refuse_double(F, error, message: str) -> None:
    """torch's refusal to differentiate this op's backward (raised here at the first
    create_graph=True backward; torch raises when the gradient is differentiated)."""
    if not F.numpy:
        raise error(message)


def _fma(a, b, c, dtype):
    return fma32(a, b, c) if dtype == np.float32 else fma64(a, b, c)


_RADIX_SORT_MIN = 32768  # at::internal::GRAIN_SIZE: from there ATen sorts by radix (stable)


def _sort_order(idx: np.ndarray) -> np.ndarray:
    """The permutation ``indices.sort()`` gives on the CPU: libstdc++'s ``std::sort`` (not
    stable: equal indices come out in introsort's order) below GRAIN_SIZE elements, a
    stable radix sort from there. Only the order of equal indices matters to the
    gradient's bits, so without repeats numpy's stable order is the same."""
    stable = np.argsort(idx, kind="stable")
    if idx.size >= _RADIX_SORT_MIN or idx.size < 2:
        return stable
    ordered = idx[stable]
    if not (ordered[1:] == ordered[:-1]).any():
        return stable
    # the helpers compare with "greater first": negated keys sort ascending
    q = list(zip((-idx.astype(np.float64)).tolist(), range(idx.size)))
    _introsort(q, 0, len(q))
    return np.array([i for _, i in q], np.int64)


class EmbeddingBagBackward0(Nary):
    """F.embedding_bag over ``[weight, per_sample_weights or None]``: one output row per
    bag of indices (mode 0 sum, 1 mean, 2 max); padding_idx entries take no part."""

    saves = "xx"

    def forward(self, arrays, idx, bag_of, n_bags, mode, padding_idx, freq=False):
        w, psw = arrays
        dim = w.shape[1]
        out = np.zeros((n_bags, dim), w.dtype)
        keep = idx != padding_idx if padding_idx is not None else np.ones(idx.shape, bool)
        count = np.bincount(bag_of[keep], minlength=n_bags).astype(np.int64)
        self.conf = (idx, bag_of, keep, mode, count, w.shape, freq)
        if mode == 2:
            arg = np.full((n_bags, dim), -1, np.int64)
            for i in np.flatnonzero(keep):
                b = bag_of[i]
                row = w[idx[i]]
                first = arg[b] < 0
                better = first | (row > out[b])
                out[b] = np.where(better, row, out[b])
                arg[b] = np.where(better, idx[i], arg[b])
            self.arg = arg
            return out
        # rows added bag by bag in input order: position j of every bag at once
        pos = np.arange(idx.size) - np.concatenate(([0], np.cumsum(
            np.bincount(bag_of, minlength=n_bags))))[bag_of]
        for j in range(int(pos.max()) + 1 if idx.size else 0):
            sel = (pos == j) & keep
            if not sel.any():
                continue
            bags = bag_of[sel]
            rows = w[idx[sel]]
            if psw is not None:
                out[bags] = _fma(psw[sel][:, None].astype(w.dtype), rows, out[bags], w.dtype)
            else:
                out[bags] = out[bags] + rows
        if mode == 1:
            nz = count > 0
            out[nz] = out[nz] / count[nz][:, None].astype(w.dtype)
        return out

    def backward(self, F, g, w, psw):
        numpy = F.numpy
        g = _linear_under_graph(F, g, "_embedding_bag_backward")
        if not numpy:
            w = F.data(w)
            psw = None if psw is None else F.data(psw)
        idx, bag_of, keep, mode, count, shape, freq = self.conf
        gw = np.zeros(shape, g.dtype)
        if mode == 2:
            arg = self.arg
            for b in range(arg.shape[0]):
                cols = np.flatnonzero(arg[b] >= 0)
                gw[arg[b, cols], cols] += g[b, cols]
            return (gw if numpy else _wrap(gw)), None
        order = _sort_order(idx)
        ordered = idx[order]
        # the group (run of one index) of each sorted position; with scale_grad_by_freq
        # torch divides by counts[sorted[group]] (the group's number used as a position)
        group = np.concatenate(([0], np.cumsum(ordered[1:] != ordered[:-1]))) if idx.size \
            else np.zeros(0, np.int64)
        counts = np.bincount(idx, minlength=shape[0]) if freq else None
        for pos, i in enumerate(order):
            if not keep[i]:
                continue
            b = bag_of[i]
            scale = float(psw[i]) if psw is not None else 1.0  # a double, as ATen's
            if freq:
                scale /= float(counts[ordered[group[pos]]])
            if mode == 1 and count[b]:
                scale /= float(count[b])
            gw[idx[i]] = _fma(g.dtype.type(scale), g[b], gw[idx[i]], g.dtype)
        gpsw = None
        if psw is not None:
            gpsw = np.zeros(idx.shape, g.dtype)
            rows = np.flatnonzero(keep)
            gpsw[rows] = _sdot_rows(g[bag_of[rows]], w[idx[rows]])
        if not numpy:
            return _wrap(gw), (None if gpsw is None else _wrap(gpsw))
        return gw, gpsw


def _sdot_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The dot product of each row pair in MKL sdot's order where it is known (lengths up
    to 3: in order; 4, 8, 16: four lanes, then (l0 + l2) + (l1 + l3)), else numpy's."""
    t = a.dtype.type
    n = a.shape[1]
    if n <= 3:
        s = np.zeros(a.shape[0], a.dtype)
        for i in range(n):
            s = s + a[:, i] * b[:, i]
        return s
    if n in (4, 8, 16):
        lanes = a[:, :4] * b[:, :4]
        for i in range(4, n, 4):
            lanes = lanes + a[:, i:i + 4] * b[:, i:i + 4]
        return (lanes[:, 0] + lanes[:, 2]) + (lanes[:, 1] + lanes[:, 3])
    return np.array([t(np.dot(x, y)) for x, y in zip(a, b, strict=True)], a.dtype)


class RreluWithNoiseBackward0(Unary):
    """F.rrelu: in training each non-positive element times its slope (``noise``, drawn
    by the caller so that a rerun, as forward AD's, draws nothing); in eval leaky_relu
    with the slope (lower + upper) / 2."""

    float_only = True
    saves = "x"

    def forward(self, x, lower, upper, noise):
        t = x.dtype.type
        if noise is not None:  # training: the slopes drawn by F.rrelu (1 where x > 0)
            self.noise = noise
            return np.where(x <= 0, x * noise, x)
        self.noise = None
        self.slope = t((lower + upper) / 2)
        return np.where(x > 0, x, x * self.slope)

    def backward(self, F, g, x):
        if not F.numpy:  # a recorded gradient: RreluWithNoiseBackwardBackward0
            return (RreluWithNoiseBackwardBackward0.apply([g, x], self.noise,
                                                          getattr(self, "slope", None)),)
        if self.noise is not None:
            return (g * self.noise,)
        return (np.where(x > 0, g, g * self.slope),)


class RreluWithNoiseBackwardBackward0(Nary):
    """rrelu's backward as an op, over [grad, self]: grad times the slopes (training) or
    leaky_relu's slope where self <= 0 (eval); no gradient for self."""

    saves = "ox"

    def forward(self, arrays, noise, slope):
        g, x = arrays
        self.noise, self.slope = noise, slope
        if noise is not None:
            return g * noise
        return np.where(x > 0, g, g * slope)

    def backward(self, F, gg, g, x):
        _numpy_only(F, "rrelu's double backward")
        out = gg * self.noise if self.noise is not None else np.where(x > 0, gg,
                                                                      gg * self.slope)
        return out, np.zeros(x.shape, gg.dtype)


class RreluWithNoiseBackward1(RreluWithNoiseBackward0):
    """F.rrelu_, in place: the gradient from the noise (training) or the result's sign."""

    saves = ""
    saves_result = True

    def backward(self, F, g, x, result=None):
        _refuse_double(F, TorchNotImplementedError, "the derivative of rrelu_'s backward "
                       "(create_graph=True) is not implemented in adcli")
        if self.noise is not None:
            return (g * self.noise,)
        return (np.where(F.data(result) > 0, g, g * self.slope),)


class ChannelShuffleBackward0(Unary):
    """F.channel_shuffle: channels (g, C / g) of dim 1 transposed to (C / g, g)."""

    def forward(self, x, groups):
        self.groups = groups
        n, c = x.shape[:2]
        return np.ascontiguousarray(x.reshape((n, groups, c // groups) + x.shape[2:])
                                    .swapaxes(1, 2)).reshape(x.shape)

    def backward(self, F, g, x):
        if not F.numpy:  # channel_shuffle(grad, C / groups), recorded as the op
            return (ChannelShuffleBackward0.apply(g, g.shape[1] // self.groups),)
        n, c = g.shape[:2]
        k = self.groups
        return (np.ascontiguousarray(g.reshape((n, c // k, k) + g.shape[2:]).swapaxes(1, 2))
                .reshape(g.shape),)


class MaxUnpool2DBackward0(Unary):
    """F.max_unpool2d: each value written at its flat index h * W + w of an (oh, ow) plane
    of zeros (a later one wins at a repeated index); the gradient read back there."""

    nd = 2

    def forward(self, x, idx, size):
        nd = self.nd
        lead = x.shape[:-nd]
        plane = int(np.prod(size, dtype=np.int64))
        B = int(np.prod(lead, dtype=np.int64))
        out = np.zeros((B, plane), x.dtype)
        flat = idx.reshape(B, -1)
        rows = np.broadcast_to(np.arange(B)[:, None], flat.shape)
        out[rows, flat] = x.reshape(B, -1)
        self.flat, self.in_shape = flat, x.shape
        return out.reshape(lead + tuple(size))

    def backward(self, F, g, x):
        numpy = F.numpy
        g = _linear_under_graph(F, g, f"max_unpool{self.nd}d_backward")
        B = self.flat.shape[0]
        gb = g.reshape(B, -1)
        out = np.take_along_axis(gb, self.flat, 1).reshape(self.in_shape)
        return (out if numpy else _wrap(out),)


class MaxUnpool3DBackward0(MaxUnpool2DBackward0):
    """F.max_unpool3d: values written at their flat indices d * H * W + h * W + w."""

    nd = 3


def _lane_reduce(x: np.ndarray, op, width: int, fma_tail: bool = False) -> np.ndarray:
    """vec::map2_reduce_all's reduction of each row of already-mapped values with vectors
    of ``width`` lanes: one partial vector folded in order; else the full vectors lane by
    lane, the tail into its lanes, then the lanes pairwise (VecReduceAllSIMD)."""
    rows, n = x.shape
    if n < width:
        acc = x[:, 0].copy()
        for i in range(1, n):
            acc = op(acc, x[:, i])
        return acc
    full = n // width * width
    blocks = x[:, :full].reshape(rows, full // width, width)
    acc = blocks[:, 0].copy()
    for b in range(1, blocks.shape[1]):
        acc = op(acc, blocks[:, b])
    rest = n - full
    if rest:
        acc[:, :rest] = op(acc[:, :rest], x[:, full:])
    s = width // 2
    while s:
        acc = op(acc, acc[:, np.arange(width) ^ s])
        s //= 2
    return acc[:, 0]


class PdistBackward0(Unary):
    """F.pdist: the p-norm distance of every pair i < j of rows, in row-major order, as
    ATen's Dist kernel: |x_i - x_j| mapped (squared, ** p, ...) and reduced lane by lane
    (vec::map2_reduce_all), then finished (sqrt, ** (1 / p) in double); the gradient
    down the columns, each row's contributions added in pair order."""

    saves = "x"
    saves_result = True

    def forward(self, x, p):
        n = x.shape[0]
        t = x.dtype.type
        self.p = p
        i, j = np.triu_indices(n, 1)
        self.pairs = (i, j)
        if len(i) == 0 or x.shape[1] == 0:
            return np.zeros(len(i), x.dtype)
        a = np.abs(x[i] - x[j])
        w = 32 // x.dtype.itemsize  # the kernel's AVX2 vectors (it has no AVX512 variant)
        if p == 0:
            return _lane_reduce(np.minimum(np.ceil(a), t(1)), np.add, w)
        if p == 1:
            return _lane_reduce(a, np.add, w)
        if p == 2:
            return np.sqrt(_lane_reduce(a * a, np.add, w))
        if p == np.inf:
            return _lane_reduce(a, K._maximum, w)
        agg = _lane_reduce(np.power(a, t(p)), np.add, w)
        return np.power(agg.astype(np.float64), 1.0 / p).astype(x.dtype)

    def backward(self, F, g, x, result):
        _refuse_double(F, TorchNotImplementedError,
                       "the derivative for '_pdist_backward' is not implemented.")
        i, j = self.pairs
        p = self.p
        t = x.dtype.type
        gx = np.zeros_like(x)
        if p == 0 or len(i) == 0:
            return (gx,)
        diff = x[i] - x[j]
        gk = g[:, None]
        dist = result[:, None]
        with np.errstate(all="ignore"):
            if p == 1:
                r = gk * np.sign(diff)
            elif p < 2:
                r = np.sign(diff) * np.power(np.abs(diff), t(p - 1)) * gk / np.power(
                    dist, t(p - 1))
                r = np.where(dist == 0, t(0), r)
                if p < 1:
                    r = np.where(diff == 0, t(0), r)
            elif p == 2:
                r = np.where(dist == 0, t(0), gk * diff / dist)
            elif p == np.inf:
                r = gk * np.sign(diff) * (t(1) - np.minimum(t(1), np.ceil(np.abs(
                    np.abs(diff) - dist))))
            else:
                r = np.where(dist == 0, t(0), diff * np.power(np.abs(diff), t(p - 2)) * gk
                             / np.power(dist, t(p - 1)))
        r = r.astype(x.dtype, copy=False)
        n = x.shape[0]
        k = 0
        for row in range(n - 1):  # row's own pairs added in order; its partners' taken off
            acc = gx[row]
            for col in range(row + 1, n):
                acc = acc + r[k]
                gx[col] = gx[col] - r[k]
                k += 1
            gx[row] = acc
        return (gx,)


class MultiMarginLossBackward0(Unary):
    """F.multi_margin_loss on (N, C) or (C,): each sample's sum over the other classes d
    of max(0, margin - x[y] + x[d]) ** p (times weight[y]) over C, in the input's
    precision; the samples' sum (mean, sum) in double."""

    saves = "x"

    def forward(self, x, target, p, margin, weight, reduction):
        t = x.dtype.type
        rows = x.reshape(-1, x.shape[-1] if x.ndim else 1)
        n, dim = rows.shape
        self.conf = (target, p, margin, weight, reduction, rows.shape)
        sums = np.zeros(n, x.dtype)
        xt = rows[np.arange(n), target]
        z = t(margin) - xt[:, None] + rows
        z[np.arange(n), target] = 0
        h = np.where(z > 0, z if p == 1 else z * z, t(0))
        if weight is not None:
            h = h * weight[target][:, None]
        for d in range(dim):  # each sample's sum in its precision, class by class
            sums = sums + h[:, d]
        sums = sums / t(dim)
        if reduction == "none" and x.ndim > 1:
            return sums
        total = 0.0  # the samples' sum in double
        for v in sums:
            total += float(v)
        if reduction == "mean":
            total /= n
        return np.asarray(total, x.dtype)

    def backward(self, F, g, x):
        _refuse_double(F, TorchRuntimeError,
                       "derivative for aten::multi_margin_loss_backward is not implemented")
        target, p, margin, weight, reduction, shape = self.conf
        n, dim = shape
        t = x.dtype.type
        rows = x.reshape(shape)
        gs = t(1.0 / (n * dim) if reduction == "mean" else 1.0 / dim)
        xt = rows[np.arange(n), target]
        z = t(margin) - xt[:, None] + rows
        h = np.where(z > 0, gs if p == 1 else t(2) * gs * z, t(0)).astype(x.dtype)
        if weight is not None:
            h = h * weight[target][:, None]
        h[np.arange(n), target] = 0
        gt = np.zeros(n, x.dtype)
        for d in range(dim):
            gt = gt - h[:, d]
        h[np.arange(n), target] = gt
        if reduction != "none" or g.ndim == 0:
            h = h * g
        else:
            h = h * g[:, None]
        return (h.reshape(x.shape),)


class MultilabelMarginLossBackward0(Unary):
    """F.multilabel_margin_loss on (N, C) or (C,): for each target class y (the targets
    run to the first -1) and each non-target class d, max(0, 1 - x[y] + x[d]), each
    sample's sum taken in double and rounded to the input's precision, over C."""

    saves = "x"

    def forward(self, x, target, reduction):
        rows = x.reshape(-1, x.shape[-1] if x.ndim else 1)
        tg = target.reshape(rows.shape)
        n, dim = rows.shape
        t = x.dtype.type
        is_target = np.zeros(rows.shape, x.dtype)
        pairs = []  # (sample, target class) in order
        for s in range(n):
            for v in tg[s]:
                if v < 0:
                    break
                is_target[s, v] = 1
                pairs.append((s, int(v)))
        self.conf = (pairs, is_target, reduction, rows.shape)
        sums = np.zeros(n, np.float64)
        for s, y in pairs:
            z = t(1) - rows[s, y] + rows[s]
            ok = (is_target[s] == 0) & (z > 0)
            for d in np.flatnonzero(ok):
                sums[s] += float(z[d])
        sums = sums.astype(x.dtype)  # each sample's double sum, returned in its precision
        if reduction == "none" and x.ndim > 1:
            return sums / t(dim)
        total = 0.0
        for v in sums:
            total += float(v)
        total /= dim
        if reduction == "mean":
            total /= n
        return np.asarray(total, x.dtype)

    def backward(self, F, g, x):
        _refuse_double(F, TorchRuntimeError,
                       "derivative for aten::multilabel_margin_loss_backward is not implemented")
        pairs, is_target, reduction, shape = self.conf
        n, dim = shape
        t = x.dtype.type
        rows = x.reshape(shape)
        gs = t(1.0 / (n * dim) if reduction == "mean" else 1.0 / dim)
        gx = np.zeros(shape, x.dtype)
        for s, y in pairs:
            z = t(1) - rows[s, y] + rows[s]
            for d in np.flatnonzero((is_target[s] == 0) & (z > 0)):
                gx[s, y] -= gs
                gx[s, d] += gs
        if reduction != "none" or g.ndim == 0:
            gx = gx * g
        else:
            gx = gx * g[:, None]
        return (gx.reshape(x.shape),)


def _target_primes(labels: np.ndarray, blank: int) -> np.ndarray:
    """The extended target l': blank, l1, blank, l2, ..., blank."""
    primes = np.full(2 * len(labels) + 1, blank, np.int64)
    primes[1::2] = labels
    return primes


_logf = K._libm_f32("logf", K.log)


def _exp(x):
    """std::exp as LossCTC.cpp calls it: the C library's expf / exp."""
    x = np.asarray(x)
    if x.dtype == np.float32:
        return K.libm_expf(x)
    if x.size > 4096 or not (x < 709).all():  # math.exp raises on overflow (and nan)
        return K.exp(x)
    return _libm(math.exp, x)


def _log(x):
    """std::log: the C library's logf / log (-inf at 0, nan below)."""
    x = np.asarray(x)
    if x.dtype == np.float32:
        return _logf(x)
    if x.size > 4096 or (x <= 0).any() or np.isnan(x).any():
        return K.log(x)
    return _libm(math.log, x)


def _log_add3(a, b, c):
    """log(exp(a - m) + exp(b - m) + exp(c - m)) + m in the arrays' precision, m the
    largest (0 when all are -inf), as LossCTC.cpp's recursions."""
    t = a.dtype.type
    m = np.maximum(np.maximum(a, b), c)
    m = np.where(m == -np.inf, t(0), m)
    with np.errstate(all="ignore"):
        s = (_exp(a - m) + _exp(b - m)) + _exp(c - m)
        return _log(s) + m


class CtcLossBackward0(Unary):
    """torch._ctc_loss on log_probs (T, N, C): each sample's negative log likelihood of its
    target over all alignments (the alpha recursion in log space, in the input's
    precision); the gradient from the alpha and beta recursions, LossCTC.cpp's eq. (16)."""

    saves = "x"
    saves_result = True

    def forward(self, x, labels, in_lens, tg_lens, blank, zero_infinity):
        T, N, C = x.shape
        t = x.dtype.type
        ninf = t(-np.inf)
        nll = np.zeros(N, x.dtype)
        alphas = []
        for b in range(N):
            il, tl = int(in_lens[b]), int(tg_lens[b])
            primes = _target_primes(labels[b], blank)
            S = 2 * tl + 1
            alpha = np.full((max(il, 1), S), ninf, x.dtype)
            alphas.append(alpha)
            if il == 0:
                nll[b] = -(t(0) if tl == 0 else ninf)
                continue
            lp = x[:, b, :]
            alpha[0, 0] = lp[0, blank]
            if tl > 0:
                alpha[0, 1] = lp[0, primes[1]]
            skip = np.zeros(S, bool)
            skip[2:] = primes[2:] != primes[:-2]
            for step in range(1, il):
                prev = alpha[step - 1]
                la2 = np.concatenate(([ninf], prev[:-1]))
                la3 = np.where(skip, np.concatenate(([ninf, ninf], prev[:-2]))[:S], ninf)
                alpha[step] = _log_add3(prev, la2, la3) + lp[step, primes]
            if tl == 0:
                nll[b] = -alpha[il - 1, 0]
            else:
                l1, l2 = alpha[il - 1, 2 * tl], alpha[il - 1, 2 * tl - 1]
                m = max(l1, l2)
                m = t(0) if m == ninf else m
                with np.errstate(all="ignore"):
                    ll = _log(_exp(np.asarray(l1 - m)) + _exp(np.asarray(l2 - m))) + m
                nll[b] = -ll
        self.conf = (labels, in_lens, tg_lens, blank, zero_infinity, alphas)
        return nll

    def backward(self, F, g, x, result):
        _refuse_double(F, TorchRuntimeError,
                       "derivative for aten::_ctc_loss_backward is not implemented")
        labels, in_lens, tg_lens, blank, zero_infinity, alphas = self.conf
        T, N, C = x.shape
        t = x.dtype.type
        ninf = t(-np.inf)
        grad = np.zeros(x.shape, x.dtype)
        for b in range(N):
            il, tl = int(in_lens[b]), int(tg_lens[b])
            nll = result[b]
            if (zero_infinity and nll == np.inf) or il == 0:
                continue
            primes = _target_primes(labels[b], blank)
            S = 2 * tl + 1
            lp = x[:, b, :]
            alpha = alphas[b]
            beta = np.full((il, S), ninf, x.dtype)
            acc = np.full((il, C), ninf, x.dtype)
            beta[il - 1, 2 * tl] = lp[il - 1, blank]
            acc[il - 1, blank] = alpha[il - 1, 2 * tl] + beta[il - 1, 2 * tl]
            if tl > 0:
                c = primes[2 * tl - 1]
                beta[il - 1, 2 * tl - 1] = lp[il - 1, c]
                acc[il - 1, c] = alpha[il - 1, 2 * tl - 1] + beta[il - 1, 2 * tl - 1]
            skip = np.zeros(S, bool)
            skip[:-2] = primes[2:] != primes[:-2]
            for step in range(il - 2, -1, -1):
                nxt = beta[step + 1]
                lb2 = np.concatenate((nxt[1:], [ninf]))
                lb3 = np.where(skip, np.concatenate((nxt[2:], [ninf, ninf]))[:S], ninf)
                beta[step] = _log_add3(nxt, lb2, lb3) + lp[step, primes]
            if il >= 2:
                rows = slice(0, il - 1)
                for s in range(S - 1, -1, -1):  # eq. (16)'s sum, s descending as torch
                    c = primes[s]
                    lab = alpha[rows, s] + beta[rows, s]
                    cur = acc[rows, c]
                    m = np.maximum(cur, lab)
                    with np.errstate(all="ignore"):
                        both = _log(_exp(cur - m) + _exp(lab - m)) + m
                    acc[rows, c] = np.where(cur == ninf, lab, both)
            lpb = lp[:il]
            with np.errstate(all="ignore"):
                grad[:il, b, :] = (_exp(lpb) - _exp((acc + nll) - lpb)) * g[b]
        return (grad,)

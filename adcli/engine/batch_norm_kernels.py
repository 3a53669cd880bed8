"""torch's CPU batch_norm kernels (aten/src/ATen/native/cpu/batch_norm_kernel.cpp and the
statistics update of Normalization.cpp), bit for bit, for contiguous float32 / float64
(float64's training statistics of 3-D / 4-D inputs are off in ~1% of channels).

The input is seen as (N, C, L), L the product of the spatial sizes; all the arithmetic is
in the input's dtype ``T`` unless said otherwise. Measured against torch 2.13 on this
machine (the contractions are GCC's, the widths those of the AVX2 build: 8 floats /
4 doubles -- the kernels are registered with ``REGISTER_DISPATCH``, no AVX512 build):

Training statistics
  * ``L > 1``, per channel: ``sum`` of the inputs in sample, then plane, order in a double
    accumulator (``acc_type<float, false>`` is double), ``mean = T(sum / (N L))``, then
    ``var_sum = T(sum of T((x - mean) * (x - mean)))``, also in double, unfused.
  * ``L == 1`` (2-D inputs, torch's channels-last kernel): per-thread buffers of C values
    over ``at::parallel_for``'s split of the N rows, ``buf + x`` and, for the variance,
    ``fma(x - mean, x - mean, buf)``; the buffers added in double in thread order. With
    no more rows than threads, C <= 16 takes one buffer and more channels plain double
    loops as above.
  * ``invstd = T(1 / sqrt(double(var_sum / T(n)) + eps))``; the running stats
    ``m * mean + (1 - m) * rm`` (T, unfused) and
    ``double(m) * double(var_sum / T(n - 1)) + double((1 - m) * rv)`` rounded to T.

Output: ``alpha = invstd * w``, ``beta = fma(-mean, alpha, b)``, ``y = fma(x, alpha, beta)``;
in evaluation ``invstd = 1 / sqrt(rv + T(eps))`` in T.

Backward (evaluation: ``mean`` the running mean, ``invstd = T(1 / sqrt(double(rv) + eps))``)
  * ``L > 1``: per sample and channel ``vec::reduce_all`` of dy and
    ``vec::map2_reduce_all`` of ``(x - mean) * dy`` over the plane (whole vectors added
    unfused, the partial last one with an FMA, lanes folded as the AVX2 butterfly for
    float, in order for double), those added in double over the samples;
    ``k = T(dotp) * invstd * invstd / T(n)``, ``gm = T(sum / n)``,
    ``dx = fma(-(x - mean), k, dy - gm) * invstd * w``; ``dw = T(dotp * invstd)``,
    ``db = T(sum)``; evaluation ``dx = dy * invstd * w``.
  * ``L == 1``: per-thread buffers ``buf + dy`` and ``fma(x - mean, dy, buf)``, added in
    double in thread order and rounded; dx as above for the whole vectors of channels,
    unfused for the leftover ones.
  * an expanded (non-contiguous) dy, as from ``y.sum()``, takes the TensorIterator path:
    see :func:`backward_strided`.
"""

from __future__ import annotations

import numpy as np

from adcli.engine.fma import fma32, fma32_chain, fma64
from adcli.engine.moments import lanes, thread_ranges

SMALL_C = 16  # 2-D inputs with no more rows than threads: few channels take the buffers


def _fma(dtype):
    return fma32 if np.dtype(dtype) == np.float32 else fma64


def _dsum_seq(a: np.ndarray) -> np.ndarray:
    """Sequential double sum along the last axis, from +0.0 (as ``acc = 0; acc += v``)."""
    if a.shape[-1] == 0:
        return np.zeros(a.shape[:-1])
    return np.cumsum(a, axis=-1, dtype=np.float64)[..., -1] + 0.0


def collect_stats(x3: np.ndarray, threads: int) -> tuple:
    """batch_norm_cpu_collect_stats_kernel on an (N, C, L) array: (mean, var_sum) in the
    input's dtype."""
    N, C, L = x3.shape
    dt = x3.dtype
    n = N * L
    with np.errstate(all="ignore"):
        if L > 1:
            xs = np.ascontiguousarray(x3.transpose(1, 0, 2)).reshape(C, n)
            mean = (_dsum_seq(xs) / n).astype(dt)
            d = xs - mean[:, None]
            return mean, _dsum_seq(d * d).astype(dt)
        x2 = x3.reshape(N, C)
        if N > threads or C <= SMALL_C:
            # no more rows than threads but few channels: one buffer (measured)
            ranges = thread_ranges(N, threads if N > threads else 1)
            mean = (_dsum_seq(_row_sums(x2, ranges).T) / n).astype(dt)
            d = x2 - mean
            return mean, _dsum_seq(_row_fmas(d, d, ranges).T).astype(dt)
        mean = (_dsum_seq(x2.T) / n).astype(dt)
        d = (x2 - mean).T
        return mean, _dsum_seq(d * d).astype(dt)


def _by_thread(a: np.ndarray, ranges: list) -> np.ndarray:
    """(rows, C) as (steps, threads, C): thread k's j-th row at [j, k], zero-padded."""
    steps = max(e - b for b, e in ranges)
    out = np.zeros((steps, len(ranges)) + a.shape[1:], a.dtype)
    for k, (b, e) in enumerate(ranges):
        out[: e - b, k] = a[b:e]
    return out


def _row_sums(a: np.ndarray, ranges: list) -> np.ndarray:
    """Each thread's buffer ``acc = acc + row`` over its rows, from +0: (threads, C)."""
    with np.errstate(all="ignore"):
        if len(ranges) == 1:
            # an accumulate is sequential by definition (a reduce may be pairwise); the
            # +0.0 is the buffer's start, which turns an all -0.0 column's sum into +0.0
            return np.add.accumulate(a, axis=0)[-1:] + a.dtype.type(0)
        return np.add.accumulate(_by_thread(a, ranges), axis=0)[-1] + a.dtype.type(0)


def _row_fmas(a: np.ndarray, b: np.ndarray, ranges: list) -> np.ndarray:
    """Each thread's buffer ``acc = fma(a_row, b_row, acc)`` over its rows: (threads, C)."""
    if a.dtype == np.float32:
        if len(ranges) == 1:
            return fma32_chain(a, b)[None]
        return fma32_chain(_by_thread(a, ranges), _by_thread(b, ranges))
    out = np.zeros((len(ranges),) + a.shape[1:], a.dtype)
    with np.errstate(all="ignore"):
        for k, (b0, e) in enumerate(ranges):
            acc = out[k]
            for i in range(b0, e):
                acc = fma64(a[i], b[i], acc)
            out[k] = acc
    return out


def update_stats(mean, var_sum, n: int, running_mean, running_var, momentum: float,
                 eps: float) -> np.ndarray:
    """The training statistics of batch_norm_cpu_update_stats_template: returns invstd,
    updates the running arrays (if any) in place."""
    dt = mean.dtype
    t = dt.type
    with np.errstate(all="ignore"):
        var = (var_sum / t(n)).astype(np.float64)
        invstd = np.where((var != 0) | (eps != 0), 1.0 / np.sqrt(var + eps), 0.0).astype(dt)
        m = t(momentum)
        one_m = t(1) - m
        if running_mean is not None:
            rm = running_mean
            rm[...] = (m * mean + one_m * rm.astype(dt)).astype(rm.dtype)
        if running_var is not None:
            rv = running_var
            unbiased = (var_sum / t(n - 1)).astype(np.float64)
            second = (one_m * rv.astype(dt)).astype(np.float64)
            rv[...] = (np.float64(m) * unbiased + second).astype(rv.dtype)
    return invstd


def transform(x3, mean, invstd, w, b) -> np.ndarray:
    """batch_norm_cpu_contiguous_impl / channels_last_impl: x * alpha + beta."""
    dt = x3.dtype
    t = dt.type
    fma = _fma(dt)
    with np.errstate(all="ignore"):
        alpha = invstd * (w if w is not None else t(1))
        bias = b if b is not None else np.zeros_like(mean)
        beta = fma(-mean, alpha, bias)
        y = fma(x3, alpha[None, :, None], beta[None, :, None])
    return y.astype(dt, copy=False)


def eval_invstd_forward(running_var, eps, dt) -> np.ndarray:
    t = np.dtype(dt).type
    with np.errstate(all="ignore"):
        return (t(1) / np.sqrt(running_var.astype(dt) + t(eps))).astype(dt)


def eval_invstd_backward(running_var, eps, dt) -> np.ndarray:
    with np.errstate(all="ignore"):
        return (1.0 / np.sqrt(running_var.astype(dt).astype(np.float64) + eps)).astype(dt)


def forward(x3, w, b, running_mean, running_var, training, momentum, eps, threads):
    """(y, mean, invstd): the statistics used (training: the batch's; evaluation: the
    running mean and the float invstd)."""
    dt = x3.dtype
    if training:
        N, C, L = x3.shape
        mean, var_sum = collect_stats(x3, threads)
        invstd = update_stats(mean, var_sum, N * L, running_mean, running_var, momentum, eps)
    else:
        mean = running_mean.astype(dt)
        invstd = eval_invstd_forward(running_var, eps, dt)
    return transform(x3, mean, invstd, w, b), mean, invstd


def _vec_reduce(a: np.ndarray, b=None) -> np.ndarray:
    """vec::reduce_all(x + y) of ``a`` (b None) or vec::map2_reduce_all(a * b, x + y)
    along the last axis."""
    dt = a.dtype
    fma = _fma(dt)
    W = lanes(dt)
    L = a.shape[-1]
    with np.errstate(all="ignore"):
        if b is None:
            def prod(s):
                return a[..., s]
        else:
            def prod(s):
                return a[..., s] * b[..., s]
        if L < W:
            out = prod(slice(0, 1))[..., 0]
            for i in range(1, L):
                out = out + prod(slice(i, i + 1))[..., 0]
            return out
        acc = prod(slice(0, W))
        full = L // W * W
        for d in range(W, full, W):
            acc = acc + prod(slice(d, d + W))
        if full < L:
            acc = acc.copy()
            r = L - full
            if b is not None:
                acc[..., :r] = fma(a[..., full:], b[..., full:], acc[..., :r])
            else:
                acc[..., :r] = acc[..., :r] + prod(slice(full, L))
        if dt != np.float32:
            out = acc[..., 0]
            for i in range(1, W):
                out = out + acc[..., i]
            return out
        s = W // 2
        while s:
            acc = acc + acc[..., np.arange(W) ^ s]
            s //= 2
        return acc[..., 0]


def backward(g3, x3, w, mean, invstd, training, need, threads):
    """batch_norm_cpu_backward_kernel on (N, C, L) arrays: (dx, dw, db), each None unless
    asked for in ``need``. ``mean`` and ``invstd`` are those the kernel uses (training:
    saved; evaluation: the running mean and the double-computed invstd)."""
    dt = g3.dtype
    t = dt.type
    fma = _fma(dt)
    N, C, L = g3.shape
    n = N * L
    dx = dw = db = None
    with np.errstate(all="ignore"):
        if L > 1:
            xc = x3 - mean[None, :, None]
            s_nc = _vec_reduce(g3)                      # (N, C)
            d_nc = _vec_reduce(xc, g3)
            sum64 = _dsum_seq(s_nc.T)                   # (C,)
            dotp64 = _dsum_seq(d_nc.T)
            if need[0]:
                wv = w if w is not None else np.ones(C, dt)
                if training:
                    k = dotp64.astype(dt) * invstd * invstd / t(n)
                    gm = (sum64 / n).astype(dt)
                    first = g3 - gm[None, :, None]
                    r = fma(-xc, k[None, :, None], first)
                    dx = r * invstd[None, :, None] * wv[None, :, None]
                else:
                    dx = g3 * invstd[None, :, None] * wv[None, :, None]
            if need[1]:
                dw = (dotp64 * invstd.astype(np.float64)).astype(dt)
            if need[2]:
                db = sum64.astype(dt)
            return dx, dw, db
        g2 = g3.reshape(N, C)
        x2 = x3.reshape(N, C)
        ranges = thread_ranges(N, threads)
        sbuf = _row_sums(g2, ranges)
        dbuf = _row_fmas(x2 - mean, g2, ranges)
        ssum = _dsum_seq(sbuf.T).astype(dt)
        dsum = _dsum_seq(dbuf.T).astype(dt)
        if need[0]:
            wv = w if w is not None else np.ones(C, dt)
            if training:
                k = dsum * invstd * invstd / t(n)
                gm = ssum / t(n)
                xm = x2 - mean
                first = g2 - gm
                r = first - xm * k  # the scalar loop over the leftover channels
                full = C // lanes(dt) * lanes(dt)
                r[:, :full] = fma(-xm[:, :full], k[:full], first[:, :full])
                dx = (r * invstd * wv).reshape(g3.shape)
            else:
                dx = (g2 * invstd * wv).reshape(g3.shape)
        if need[1]:
            dw = dsum * invstd
        if need[2]:
            db = ssum
    return dx, dw, db


def backward_strided(g3, x3, w, mean, invstd, training, need, grad_sum):
    """batch_norm_backward_cpu_template's TensorIterator path, taken when ``grad_output``
    is not contiguous (an expanded gradient, as from ``y.sum()``): per channel the serial
    ``dotp += (x - mean) * dy`` in double, ``grad_sum`` the channels' ``at::sum`` of dy,
    ``dx = (dy - sum / n - (x - mean) * k) * invstd * w`` with ``k = dotp invstd^2 / n``,
    every step rounded."""
    dt = g3.dtype
    t = dt.type
    N, C, L = g3.shape
    n = N * L
    dx = dw = db = None
    with np.errstate(all="ignore"):
        xc = x3 - mean[None, :, None]
        prod = (xc * g3).transpose(1, 0, 2).reshape(C, n)
        dotp64 = _dsum_seq(prod)
        wv = w if w is not None else np.ones(C, dt)
        if need[0]:
            if training:
                k = dotp64.astype(dt) * invstd * invstd / t(n)
                gm = grad_sum / t(n)
                gi = xc * k[None, :, None]
                dx = (g3 - gm[None, :, None] - gi) * invstd[None, :, None] * wv[None, :, None]
            else:
                dx = g3 * invstd[None, :, None] * wv[None, :, None]
        if need[1]:
            dw = (dotp64 * invstd.astype(np.float64)).astype(dt)
        if need[2]:
            db = grad_sum.astype(dt, copy=False)
    return dx, dw, db

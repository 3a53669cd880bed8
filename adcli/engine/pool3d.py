"""The 3-D poolings' grad_fn classes, forward beside backward, over the last three dims of
(C, D, H, W) or (N, C, D, H, W), as torch 2.13's CPU kernels compute them:

- ``MaxPool3DWithIndicesBackward0``: each window's maximum (the first of equal ones; a
  nan wins) and its flat index d * H * W + h * W + w in the volume;
- ``AvgPool3DBackward0``: each window's sum, taken in torch's order (depth, row, column)
  in the input's precision, divided by the window's size (count_include_pad), its size
  within the input, or divisor_override; the gradient spread back output by output;
- ``AdaptiveAvgPool3DBackward0`` / ``AdaptiveMaxPool3DBackward0``: the windows
  floor(i D / od) to ceil((i + 1) D / od) (and the like for H and W).

Their backward formulas run on numpy; under create_graph=True they refuse, as the 2-D
ones do (engine/ops/nn.py).
"""

from __future__ import annotations

import itertools

import numpy as np

from adcli.engine.ops.kinds import Unary
from adcli.engine.ops.nn import (
    _adaptive_ranges,
    _legacy,
    _numpy_only,
    _padded,
    _prod,
    _record_one,
    _windows,
    pool_out,
)
from adcli.engine.tensor import Node, Tensor, _wrap
from adcli.errors import TorchRuntimeError
from adcli.limits import check_elements, check_work

_new = object.__new__


def _first_in_bounds(start, d):
    """The first index start + m * d that is >= 0 (a window starting in the padding)."""
    return np.where(start < 0, start + (-start + d - 1) // d * d, start)


class MaxPool3DWithIndicesBackward0(Node):
    """F.max_pool3d: the maximum of each window of the last three dims, and its flat index
    in the (D, H, W) volume."""

    frees = ("idx",)

    @classmethod
    def apply(cls, x: Tensor, k, s, p, d, ceil_mode):
        node = _new(cls)
        out, idx = node.forward(x._data, k, s, p, d, ceil_mode)
        return _record_one(node, out, x), _wrap(idx)

    def forward(self, x, k, s, p, d, ceil_mode):
        lead, size = x.shape[:-3], x.shape[-3:]
        out = tuple(pool_out(size[i], k[i], s[i], p[i], d[i], ceil_mode) for i in range(3))
        B = _prod(lead)
        check_elements(B * _prod(out) * _prod(k))
        right = [max((out[i] - 1) * s[i] + d[i] * (k[i] - 1) + 1 - size[i] - p[i], 0)
                 for i in range(3)]
        xp = _padded(x.reshape((B,) + size), p, right, -np.inf)
        flat = _windows(xp, k, s, d, out).reshape((B,) + out + (_prod(k),))
        am = flat.argmax(-1) if flat.size else np.zeros((B,) + out, np.int64)
        nan = np.isnan(flat)
        if nan.any():  # as torch: the last nan in the window
            last = flat.shape[-1] - 1 - nan[..., ::-1].argmax(-1)
            am = np.where(nan.any(-1), last, am)
        vals = np.take_along_axis(flat, am[..., None], -1)[..., 0]
        kd, rest = np.divmod(am, k[1] * k[2])
        kh, kw = np.divmod(rest, k[2])
        starts = [np.arange(out[i]) * s[i] - p[i] for i in range(3)]
        d0 = starts[0][:, None, None]
        h0 = starts[1][None, :, None]
        w0 = starts[2][None, None, :]
        idd, ih, iw = d0 + kd * d[0], h0 + kh * d[1], w0 + kw * d[2]
        bad = ((idd < 0) | (idd >= size[0]) | (ih < 0) | (ih >= size[1]) | (iw < 0)
               | (iw >= size[2]))
        if bad.any():  # an all -inf window: torch's index is its first element in bounds
            idd = np.where(bad, _first_in_bounds(d0, d[0]), idd)
            ih = np.where(bad, _first_in_bounds(h0, d[1]), ih)
            iw = np.where(bad, _first_in_bounds(w0, d[2]), iw)
        idx = ((idd * size[1] + ih) * size[2] + iw).astype(np.int64)
        self.idx, self.in_shape = idx, x.shape
        return vals.reshape(lead + out), idx.reshape(lead + out)

    def backward(self, F, g, *saved):
        _numpy_only(F, "max_pool3d")
        volume = _prod(self.in_shape[-3:])
        idx = self.idx
        B = idx.shape[0]
        gx = np.zeros((B, volume), g.dtype)
        flat_idx = idx.reshape(B, -1)
        rows = np.broadcast_to(np.arange(B)[:, None], flat_idx.shape)
        np.add.at(gx, (rows, flat_idx), g.reshape(B, -1))  # output by output, as torch
        return (gx.reshape(self.in_shape),)


class AvgPool3DBackward0(Unary):
    """F.avg_pool3d: each window's sum (depth, row, column order) over its divisor."""

    def forward(self, x, k, s, p, ceil_mode, count_include_pad, divisor_override):
        if x.dtype.kind not in "fc":
            raise TorchRuntimeError(f"\"avg_pool3d_out_frame\" not implemented for "
                                    f"'{_legacy(x.dtype)}'")
        lead, size = x.shape[:-3], x.shape[-3:]
        out = tuple(pool_out(size[i], k[i], s[i], p[i], 1, ceil_mode) for i in range(3))
        B = _prod(lead)
        check_elements(B * _prod(out), (B,) + out)
        check_work(B * _prod(out) * _prod(k), "avg_pool3d")
        right = [max((out[i] - 1) * s[i] + k[i] - size[i] - p[i], 0) for i in range(3)]
        self.pads = (p, right)
        xp = _padded(x.reshape((B,) + size), p, right)
        win = _windows(xp, k, s, (1, 1, 1), out)
        acc = np.zeros((B,) + out, x.dtype)
        for kk in itertools.product(*[range(v) for v in k]):
            acc += win[(Ellipsis,) + kk]
        div = np.empty(out, np.int64)
        for o in itertools.product(*[range(v) for v in out]):
            full, inside = 1, 1
            for i in range(3):
                start = o[i] * s[i] - p[i]
                end = min(start + k[i], size[i] + p[i])
                full *= end - start
                inside *= min(end, size[i]) - max(start, 0)
            if divisor_override is not None:
                div[o] = divisor_override
            else:
                div[o] = full if count_include_pad else inside
        self.conf, self.in_shape = (k, s), x.shape
        self.div = div.astype(x.dtype)
        return (acc / self.div).reshape(lead + out)

    def backward(self, F, g, x):
        _numpy_only(F, "avg_pool3d")
        (k, s), (before, after) = self.conf, self.pads
        size = self.in_shape[-3:]
        out = g.shape[-3:]
        delta = g.reshape((-1,) + tuple(out)) / self.div
        gxp = np.zeros((delta.shape[0],) + tuple(size[i] + before[i] + after[i]
                                                 for i in range(3)), g.dtype)
        # for each input element: its windows in torch's order (output by output)
        for kk in itertools.product(*[reversed(range(v)) for v in k]):
            sl = tuple(slice(kk[i], kk[i] + s[i] * (out[i] - 1) + 1, s[i]) for i in range(3))
            gxp[(slice(None),) + sl] += delta
        gx = gxp[(slice(None),) + tuple(slice(before[i], before[i] + size[i])
                                        for i in range(3))]
        return (np.ascontiguousarray(gx).reshape(self.in_shape),)


class AdaptiveAvgPool3DBackward0(Unary):
    """F.adaptive_avg_pool3d: output cell (a, b, c) is the mean of its window, summed in
    torch's order and divided by the window's depth, height and width in turn."""

    def forward(self, x, output_size):
        if x.dtype.kind not in "fc":
            raise TorchRuntimeError(f"\"adaptive_avg_pool3d_cpu\" not implemented for "
                                    f"'{_legacy(x.dtype)}'")
        lead, size = x.shape[:-3], x.shape[-3:]
        B = _prod(lead)
        check_elements(B * _prod(output_size), (B,) + tuple(output_size))
        check_work(B * _prod(size), "adaptive_avg_pool3d")
        self.ranges = [_adaptive_ranges(size[i], output_size[i]) for i in range(3)]
        self.in_shape = x.shape
        xr = x.reshape((B,) + size)
        out = np.empty((B,) + tuple(output_size), x.dtype)
        t = x.dtype.type
        for (a, (d0, d1)), (b, (h0, h1)), (c, (w0, w1)) in itertools.product(
                *[list(enumerate(r)) for r in self.ranges]):
            acc = np.zeros(B, x.dtype)
            for i in range(d0, d1):
                for j in range(h0, h1):
                    for m in range(w0, w1):
                        acc += xr[:, i, j, m]
            out[:, a, b, c] = acc / t(d1 - d0) / t(h1 - h0) / t(w1 - w0)
        return out.reshape(lead + tuple(output_size))

    def backward(self, F, g, x):
        _numpy_only(F, "adaptive_avg_pool3d")
        size = self.in_shape[-3:]
        gr = g.reshape((-1,) + tuple(len(r) for r in self.ranges))
        gx = np.zeros((gr.shape[0],) + tuple(size), g.dtype)
        t = g.dtype.type
        for (a, (d0, d1)), (b, (h0, h1)), (c, (w0, w1)) in itertools.product(
                *[list(enumerate(r)) for r in self.ranges]):
            share = gr[:, a, b, c] / t(d1 - d0) / t(h1 - h0) / t(w1 - w0)
            gx[:, d0:d1, h0:h1, w0:w1] += share[:, None, None, None]
        return (gx.reshape(self.in_shape),)


class AdaptiveMaxPool3DBackward0(Node):
    """F.adaptive_max_pool3d: the maximum (nan wins, the first of equal ones) of each
    adaptive window, and its flat index in (D, H, W)."""

    frees = ("idx",)

    @classmethod
    def apply(cls, x: Tensor, output_size):
        node = _new(cls)
        out = node.forward(x._data, output_size)
        idx = node.idx.reshape(x._data.shape[:-3] + tuple(output_size))
        return _record_one(node, out, x), _wrap(idx)

    def forward(self, x, output_size):
        if x.dtype.kind not in "fc":
            raise TorchRuntimeError(f"\"adaptive_max_pool3d_cpu\" not implemented for "
                                    f"'{_legacy(x.dtype)}'")
        lead, size = x.shape[:-3], x.shape[-3:]
        B = _prod(lead)
        check_elements(B * _prod(output_size), (B,) + tuple(output_size))
        ranges = [_adaptive_ranges(size[i], output_size[i]) for i in range(3)]
        self.in_shape = x.shape
        xr = x.reshape((B,) + size)
        out = np.empty((B,) + tuple(output_size), x.dtype)
        idx = np.empty((B,) + tuple(output_size), np.int64)
        rows = np.arange(B)
        for (a, (d0, d1)), (b, (h0, h1)), (c, (w0, w1)) in itertools.product(
                *[list(enumerate(r)) for r in ranges]):
            win = xr[:, d0:d1, h0:h1, w0:w1].reshape(B, -1)
            nan = np.isnan(win)
            kk = np.where(nan.any(axis=1), nan.argmax(axis=1), win.argmax(axis=1))
            out[:, a, b, c] = win[rows, kk]
            kd, rest = np.divmod(kk, (h1 - h0) * (w1 - w0))
            kh, kw = np.divmod(rest, w1 - w0)
            idx[:, a, b, c] = ((d0 + kd) * size[1] + h0 + kh) * size[2] + w0 + kw
        self.idx = idx
        return out.reshape(lead + tuple(output_size))

    def backward(self, F, g, *saved):
        _numpy_only(F, "adaptive_max_pool3d")
        volume = _prod(self.in_shape[-3:])
        B = self.idx.shape[0]
        gx = np.zeros(B * volume, g.dtype)
        where = (np.arange(B)[:, None] * volume + self.idx.reshape(B, -1)).reshape(-1)
        np.add.at(gx, where, g.reshape(-1))
        return (gx.reshape(self.in_shape),)

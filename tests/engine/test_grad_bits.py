"""Gradients (and loss values) of common training ops against torch 2.13's own bits, on
one thread of an AVX512 machine: the sha256 prefixes below were printed by real torch
(torch.set_num_threads(1)) running the same ``cases`` code on the same inputs, never by
adcli. The inputs are integer-derived floats, so both see identical bits.

What is checked: the conv bias gradient (oneDNN adds each channel's values in order; ATen's
own kernel as torch.sum), var/std backward (the mean inside in torch's sum order),
softmax/log_softmax backward over the last dim and over other dims (the sums over the dim
in order, fused multiply-adds as torch's build has them), cross_entropy / nll_loss values
(ATen's cascade of partial sums) and their gradients (-(g / total_weight) * w).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from adcli.engine import cpu_kernels as K

from ._util import namespace


def vals(torch, *shape, k=7919, m=1009, d=97.0):
    n = 1
    for s in shape:
        n *= s
    i = torch.arange(n, dtype=torch.float64)
    return (((i * k) % m - m // 2) / d).float().reshape(shape)



def cases(torch, F):
    out = {}

    def leaf(*shape, k=7919, m=1009, d=97.0):
        return vals(torch, *shape, k=k, m=m, d=d).requires_grad_(True)

    # conv2d / conv1d / conv_transpose2d bias gradients
    for name, n, cin, hw, cout in (("conv_b8", 8, 3, 10, 4), ("conv_b1", 1, 3, 10, 4),
                                   ("conv_b7", 7, 2, 9, 20)):
        x = vals(torch, n, cin, hw, hw)
        w = leaf(cout, cin, 3, 3, d=301.0)
        b = leaf(cout, k=31, m=17)
        y = F.conv2d(x, w, b)
        y.backward(vals(torch, *y.shape, k=104729, m=2003, d=53.0))
        out[name] = b.grad
    x = vals(torch, 6, 3, 25)
    b = leaf(5, k=31, m=17)
    y = F.conv1d(x, vals(torch, 5, 3, 3, d=301.0), b)
    y.backward(vals(torch, *y.shape, k=104729, m=2003, d=53.0))
    out["conv1d_b"] = b.grad
    x = vals(torch, 8, 3, 6, 6)
    b = leaf(5, k=31, m=17)
    y = F.conv_transpose2d(x, vals(torch, 3, 5, 3, 3, d=301.0), b, stride=2)
    y.backward(vals(torch, *y.shape, k=104729, m=2003, d=53.0))
    out["convT_b"] = b.grad
    # var / std backward: the mean inside in torch's sum order
    for name, fn in (("var1", lambda t: t.var(1)), ("var0", lambda t: t.var(0)),
                     ("var_all", lambda t: t.var()), ("std1", lambda t: t.std(1)),
                     ("var1_uc", lambda t: t.var(1, unbiased=False))):
        x = leaf(16, 33, d=7.0)
        y = fn(x)
        y.backward(vals(torch, *y.shape, k=13, m=11, d=3.0))
        out[name] = x.grad
    # softmax / log_softmax backward, last dim and other dims
    for name, shape, dim, log in (("sm_last", (32, 20), 1, False), ("sm_dim0", (32, 20), 0, False),
                                  ("sm_dim1_3d", (4, 8, 20), 1, False),
                                  ("sm_dim1_4d", (2, 30, 5, 5), 1, False),
                                  ("lsm_dim0", (32, 20), 0, True)):
        x = leaf(*shape, d=211.0)
        y = (F.log_softmax if log else F.softmax)(x, dim)
        y.backward(vals(torch, *shape, k=104729, m=2003, d=531.0))
        out[name] = x.grad
    # cross_entropy / nll_loss: ATen's cascade sum, grads as -(g / total_weight) * w
    for n in (64, 300):
        x = leaf(n, 10, d=113.0)
        t = (torch.arange(n) * 7) % 10
        for red in ("mean", "sum"):
            x.grad = None
            loss = F.cross_entropy(x, t, reduction=red)
            out[f"ce_{red}_{n}"] = loss
            (loss * 1.7).backward()
            out[f"ce_{red}_{n}_grad"] = x.grad
    x = leaf(50, 10, d=113.0)
    t = (torch.arange(50) * 3) % 10
    t[3] = -100
    t[16] = -100
    w = vals(torch, 10, k=3, m=7, d=5.0).abs() + 0.25
    for red in ("mean", "sum"):
        x.grad = None
        loss = F.cross_entropy(x, t, weight=w, reduction=red)
        out[f"cew_{red}"] = loss
        (loss * 0.3).backward()
        out[f"cew_{red}_grad"] = x.grad
    x = leaf(4, 5, 6, 7, d=113.0)
    t = (torch.arange(4 * 6 * 7) % 5).reshape(4, 6, 7)
    out["nll2d_sum"] = F.nll_loss(x, t, reduction="sum")
    out["nll2d_mean_w"] = F.nll_loss(x, t, weight=w[:5], reduction="mean", ignore_index=2)
    return out


WANT = {
    "conv_b8": "ec03319b18437e217a32b09f51d8cc4b",
    "conv_b1": "8ad7fa3e10e3e42665bac190b60108f4",
    "conv_b7": "a614b21f7945db15f8f90a84a3d8048e",
    "conv1d_b": "c5aab7334f9dd3ce4092c3835b197c4f",
    "convT_b": "2847bbb407121dff838f89bd7ad1f43b",
    "var1": "79d8bb486ce3d994d1402c8d4411db1d",
    "var0": "64205b22a1a82ec0c894d1afdf8d4112",
    "var_all": "ae6f3011d1eb56d11ebf9bf38403735c",
    "std1": "62e5631d77345109bae299a137017236",
    "var1_uc": "4a9c19c3d89246825caf70d154f5a348",
    "sm_last": "2e7ee7d8f2d9d52b5afb267c3db35449",
    "sm_dim0": "bc527b26b22e8547f913e7fc8b9dfd0e",
    "sm_dim1_3d": "183b66b4cf829512f52b96ef171a34b1",
    "sm_dim1_4d": "d7e3e95a3a44d31ad83bb8f642d9dc5b",
    "lsm_dim0": "4758f13cfa7220d987416e8a264bc5f5",
    "ce_mean_64": "53db772d0aeb2216b46156636eafac78",
    "ce_mean_64_grad": "acda3fc91078addfa1db4e26edc3a139",
    "ce_sum_64": "46d2de9ee952ffb5b31ec265d9d3e198",
    "ce_sum_64_grad": "2f2ac94bfeafed8fb5b190cf9738b14e",
    "ce_mean_300": "522ec931a1088c7bf2203344e9f2dc3d",
    "ce_mean_300_grad": "22d1f956fa17006e3ac61bca7641d432",
    "ce_sum_300": "24c6589c77f4e8e55cfc41cb68febb4f",
    "ce_sum_300_grad": "26a8c83dfc4a77b5f58ea3398ef7d823",
    "cew_mean": "20369bc6cc47ae61f887f1b906545b1f",
    "cew_mean_grad": "5e6d2ad097d3633f75d5fd948b9f1d65",
    "cew_sum": "dfc2afd8fa16b4850651a16c4513c34a",
    "cew_sum_grad": "3dc7c358b901eca8890e1997b805e468",
    "nll2d_sum": "cfa13b98ae0b78cf19b36f533d457502",
    "nll2d_mean_w": "5b2249c2a17967ef55f0e85734569aed",
}


@pytest.fixture(scope="module")
def got():
    old = K._CAPABILITY[0], K.SUM_THREADS[0]
    K._CAPABILITY[0], K.SUM_THREADS[0] = "avx512", 1
    try:
        ns = namespace()
        res = cases(ns["torch"], ns["F"])
        return {k: np.ascontiguousarray(v.detach().numpy()) for k, v in res.items()}
    finally:
        K._CAPABILITY[0], K.SUM_THREADS[0] = old


@pytest.mark.parametrize("name", sorted(WANT))
def test_bits_are_torchs(got, name):
    a = got[name]
    assert a.dtype == np.float32
    assert hashlib.sha256(a.tobytes()).hexdigest()[:32] == WANT[name]

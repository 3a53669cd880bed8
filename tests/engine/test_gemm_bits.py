"""float32 matrix products against torch 2.13's own bits (engine/gemm.py): the sha256
prefixes below were printed by real torch (OMP_NUM_THREADS=1, torch.set_num_threads(1),
on the AMD EPYC AVX-512 machine the corpus references come from) running the same
``cases`` code on the same inputs, never by adcli. The inputs are integer-derived floats,
so both see identical bits.

One case per rule of engine/gemm.py: MKL's packed FMA kernel (m >= 4, n >= 12; k in blocks
of 192), the unfused chain with its peeled misaligned elements (NN, TN), the chain of TT,
the dot products of NT (nn.Linear with few outputs: 4 and 8 lanes after an alignment
prologue), sgemv (one output column, mv, a batch of one through nn.Linear), mv of a
transposed matrix, ATen's small bmm loop, bmm in the packed region, matmul folded to mm,
addmm's bias (first in the sum or last, per kernel), and nn.Linear's gradients (the
weight's computed transposed, as torch's mm_mat2_backward does for a column-major input).
"""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from ._util import namespace


def vals(torch, *shape, k=7919, m=1009, d=97.0):
    n = 1
    for s in shape:
        n *= s
    i = torch.arange(n, dtype=torch.float64)
    return (((i * k) % m - m // 2) / d).float().reshape(shape)


def cases(torch, F):
    out = {}

    def v(*shape, **kw):
        return vals(torch, *shape, **kw)

    def leaf(*shape, **kw):
        return vals(torch, *shape, **kw).requires_grad_(True)

    # region F (MKL's packed kernel: FMA chains, k in blocks)
    out["mm_F"] = v(8, 16) @ v(16, 16, k=31, m=17, d=7.0)
    out["mm_F_k200"] = v(4, 200, d=301.0) @ v(200, 12, k=104729, m=2003)
    out["mm_F_k400"] = v(5, 400, d=301.0) @ v(400, 13, k=104729, m=2003)
    out["linear_F"] = F.linear(v(8, 20), v(16, 20, k=31, m=17), v(16, k=13, m=11, d=3.0))
    out["addmm_F_2d_bias"] = torch.addmm(v(6, 12, k=13, m=11), v(6, 30), v(30, 12, d=53.0))
    # NN / TN outside F: the chain, misaligned rows' first elements apart
    out["mm_P_nn"] = v(2, 16) @ v(16, 7, k=31, m=17, d=7.0)
    out["mm_P_nn_m8"] = v(8, 40) @ v(40, 9, k=31, m=17, d=7.0)
    out["mm_P_tn"] = v(20, 3).t() @ v(20, 7, k=31, m=17, d=7.0)
    out["addmm_P"] = torch.addmm(v(7, k=13, m=11, d=3.0), v(3, 16), v(16, 7, k=31, m=17))
    out["mm_1x1"] = v(1, 37) @ v(37, 1, k=31, m=17)
    # TT: the chain
    out["mm_U_tt"] = v(10, 3).t() @ v(4, 10, k=31, m=17, d=7.0).t()
    # NT (nn.Linear's forward with up to 11 outputs): dot products in lanes
    out["linear_T"] = F.linear(v(5, 13), v(10, 13, k=31, m=17), v(10, k=13, m=11, d=3.0))
    out["linear_T_k40"] = F.linear(v(7, 40), v(6, 40, k=31, m=17), v(6, k=13, m=11, d=3.0))
    # sgemv: one output (rows in fours, then 1-3 rows left), a batch of one, mv
    out["linear_out1"] = F.linear(v(6, 33), v(1, 33, k=31, m=17), v(1, k=13, m=11, d=3.0))
    out["linear_batch1"] = F.linear(v(1, 20), v(6, 20, k=31, m=17), v(6, k=13, m=11, d=3.0))
    out["mv"] = torch.mv(v(7, 40), v(40, k=31, m=17))
    out["mv_t"] = torch.mv(v(40, 7).t(), v(40, k=31, m=17))
    out["matmul_2d_1d"] = torch.matmul(v(9, 25), v(25, k=31, m=17))
    # bmm: ATen's loop below 400 multiply-adds a matrix, else MKL
    out["bmm_small"] = torch.bmm(v(3, 4, 5), v(3, 5, 6, k=31, m=17))
    out["bmm_F"] = torch.bmm(v(2, 8, 20), v(2, 20, 16, k=31, m=17))
    out["matmul_3d"] = torch.matmul(v(2, 5, 16), v(12, 16, k=31, m=17).t())
    # nn.Linear's backward: g @ W (NN) and W's gradient as (g.T @ x).T (TN)
    for name, (b, i, o) in (("grad16", (16, 10, 3)), ("grad64", (64, 5, 12))):
        x = leaf(b, i)
        w = leaf(o, i, k=31, m=17)
        bias = leaf(o, k=13, m=11, d=3.0)
        y = F.linear(x, w, bias)
        y.backward(v(b, o, k=104729, m=2003, d=53.0))
        out[name + "_x"], out[name + "_w"] = x.grad, w.grad
    # mm's backward
    a = leaf(6, 14)
    b = leaf(14, 12, k=31, m=17)
    (a @ b).backward(v(6, 12, k=104729, m=2003, d=53.0))
    out["mm_grad_a"], out["mm_grad_b"] = a.grad, b.grad
    return out


WANT = {
    "mm_F": "6607a7806e880fa06c58092c8c56bb6c",
    "mm_F_k200": "7bf242389e2bb3db0124bac36162929c",
    "mm_F_k400": "9a0c38266196af9a90eed84b508025c6",
    "linear_F": "937655789ad28469f1c0431996d87145",
    "addmm_F_2d_bias": "ffbc6f53e0439c09207bc2beb975ecef",
    "mm_P_nn": "ecd3898e0e0ca5f14884b7513f3c187c",
    "mm_P_nn_m8": "2aae9ac663134805dda4ff119007e1e8",
    "mm_P_tn": "f788fb08de2e0d502e7f6f74c7aa994a",
    "addmm_P": "79d55a3fdfa6cc73ab16a4c739168dc8",
    "mm_1x1": "a5bca2a8f994bae0fa7e618ceb77565e",
    "mm_U_tt": "85ab8f5baaa215a670c0dc6ee64f0c0a",
    "linear_T": "0e3f71d195d403697f6bf4f07625feba",
    "linear_T_k40": "4b944e87d07296af69f5cb238f15404c",
    "linear_out1": "2eae67358ae05e53d48b223ec4b9070f",
    "linear_batch1": "565dfd7b15e072f4ddbc3f3aa4c56ff5",
    "mv": "6c2c0281930d08e2490c279063bb8399",
    "mv_t": "ba8677a316e056feca3cc012252869df",
    "matmul_2d_1d": "c856d9c93e6e7cafb03f661f62d91563",
    "bmm_small": "780e9fee60b2a28cdfa7221dffdb5355",
    "bmm_F": "6c556beb0dc48bde09b0796b7aea16c5",
    "matmul_3d": "3e2403842de91b821119ab9ed659e924",
    "grad16_x": "f28745c610cd0285f3afe1c003966201",
    "grad16_w": "bad43543fa09923f83e18e4df082f3d9",
    "grad64_x": "6126ecf22e25820898c2ea2accc3c3aa",
    "grad64_w": "29e711197c081585ca56fcd4a6c94f3e",
    "mm_grad_a": "447a1e193b320cd364c330a9fd6fe978",
    "mm_grad_b": "54c0e2fbc7f1450f5fe8aa33d6511664",
}


@pytest.fixture(scope="module")
def got():
    ns = namespace()
    res = cases(ns["torch"], ns["F"])
    return {k: np.ascontiguousarray(v.detach().numpy()) for k, v in res.items()}


@pytest.mark.parametrize("name", sorted(WANT))
def test_bits_are_torchs(got, name):
    a = got[name]
    assert a.dtype == np.float32
    assert hashlib.sha256(a.tobytes()).hexdigest()[:32] == WANT[name]


def test_every_case_has_torchs_bits(got):
    assert sorted(got) == sorted(WANT)


def test_numpy_alone_would_differ():
    """The cases are not ones numpy's own product gets right anyway."""
    from adcli.engine.ops import linalg

    ns = namespace()
    old = linalg.mm32, linalg.mv32, linalg.bmm32
    none = lambda *a, **k: None  # noqa: E731
    linalg.mm32 = linalg.mv32 = linalg.bmm32 = none
    try:
        res = cases(ns["torch"], ns["F"])
    finally:
        linalg.mm32, linalg.mv32, linalg.bmm32 = old
    differ = [k for k, t in res.items()
              if hashlib.sha256(np.ascontiguousarray(t.detach().numpy()).tobytes())
              .hexdigest()[:32] != WANT[k]]
    assert len(differ) >= len(WANT) // 2, differ

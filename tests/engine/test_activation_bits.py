"""Activations' forward and backward against torch 2.13's own bits, with an upstream
gradient that is not all ones (tests/engine/fixtures/activation_bits.json, written by
tools/gen_activation_fixtures.py on one thread).

float32: every forward but tanh's (MKL's) and every backward must agree bit for bit: ATen's
vector lambdas with SLEEF's expf/log1pf/tanhf, the FMAs the compiler contracted, and on
each chunk's scalar tail the C library's functions. Those tail elements are held to one ulp
where this machine's C library is not the one the fixture was recorded with. float64: the
sigmoid and tanh backward formulas are exact; the others use correctly rounded functions
where SLEEF's double ones are not always so, and must be close.
"""

from __future__ import annotations

import json
import platform
from pathlib import Path

import numpy as np
import pytest

from adcli.engine import api, functional
from adcli.engine import cpu_kernels as K
from adcli.engine import nn_functional as NF

DOC = json.loads((Path(__file__).parent / "fixtures" / "activation_bits.json").read_text())
SAME_LIBC = list(platform.libc_ver()) == DOC["libc"]

OPS = {
    "sigmoid": lambda t, **kw: t.sigmoid(),
    "tanh": lambda t, **kw: t.tanh(),
    "silu": lambda t, **kw: NF.silu(t),
    "softplus": lambda t, **kw: NF.softplus(t, **kw),
    "softplus_b2_t5": lambda t, **kw: NF.softplus(t, **kw),
    "logsigmoid": lambda t, **kw: NF.logsigmoid(t),
    "mish": lambda t, **kw: NF.mish(t),
    "gelu_tanh": lambda t, **kw: NF.gelu(t, **kw),
}
# backward nodes whose create_graph form computes its value with the same numpy kernel
RECORDED_EXACT = {"sigmoid", "tanh", "softplus", "softplus_b2_t5", "gelu_tanh"}


@pytest.fixture(autouse=True)
def _torch_machine():
    old, threads = K._CAPABILITY[0], K.SUM_THREADS[0]
    K._CAPABILITY[0], K.SUM_THREADS[0] = DOC["capability"], 1
    yield
    K._CAPABILITY[0], K.SUM_THREADS[0] = old, threads


def _arr(case: dict, key: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(case[key]), case["dtype"]).copy()


def _tail(n: int) -> slice:
    step = 2 * K.vec_width(np.float32)
    return slice(n // step * step, n)


def _same_bits(got: np.ndarray, want: np.ndarray, n: int) -> None:
    assert got.dtype == want.dtype and got.shape == want.shape
    if SAME_LIBC:
        np.testing.assert_array_equal(got.view(np.int32), want.view(np.int32))
        return
    head = slice(0, _tail(n).start)
    np.testing.assert_array_equal(got[head].view(np.int32), want[head].view(np.int32))
    np.testing.assert_array_max_ulp(got[_tail(n)], want[_tail(n)], maxulp=1)


def _run(case: dict, create_graph: bool = False):
    x = api.tensor(_arr(case, "x"), requires_grad=True)
    y = OPS[case["op"]](x, **case["kw"])
    (grad,) = functional.grad(y, x, api.tensor(_arr(case, "g")), create_graph=create_graph)
    return y.detach().numpy(), grad.detach().numpy()


F32 = [c for c in DOC["cases"] if c["dtype"] == "float32"]
F64 = [c for c in DOC["cases"] if c["dtype"] == "float64"]


def _ids(case: dict) -> str:
    return f"{case['op']}-{case['n']}"


@pytest.mark.parametrize("case", F32, ids=[_ids(c) for c in F32])
def test_float32_forward_and_backward_are_torchs_bits(case):
    y, grad = _run(case)
    want_y, want_grad = _arr(case, "y"), _arr(case, "grad")
    if case["op"] == "tanh":  # the forward is MKL's; the backward from torch's own result
        np.testing.assert_array_max_ulp(y, want_y, maxulp=1)
        grad = K.tanh_backward(_arr(case, "g"), want_y)
    else:
        _same_bits(y, want_y, case["n"])
    _same_bits(grad, want_grad, case["n"])


@pytest.mark.parametrize("case", [c for c in F32 if c["op"] in RECORDED_EXACT],
                         ids=[_ids(c) for c in F32 if c["op"] in RECORDED_EXACT])
def test_float32_create_graph_backward_is_torchs_bits(case):
    y, grad = _run(case, create_graph=True)
    if case["op"] == "tanh":
        same = y.view(np.int32) == _arr(case, "y").view(np.int32)
        grad, want = grad[same], _arr(case, "grad")[same]
        np.testing.assert_array_equal(grad.view(np.int32), want.view(np.int32))
        return
    _same_bits(grad, _arr(case, "grad"), case["n"])


@pytest.mark.parametrize("case", F64, ids=[_ids(c) for c in F64])
def test_float64_backward(case):
    g, want_y, want_grad = _arr(case, "g"), _arr(case, "y"), _arr(case, "grad")
    if case["op"] in ("sigmoid", "tanh"):
        fn = K.sigmoid_backward if case["op"] == "sigmoid" else K.tanh_backward
        np.testing.assert_array_equal(fn(g, want_y).view(np.int64), want_grad.view(np.int64))
    y, grad = _run(case)
    np.testing.assert_allclose(y, want_y, rtol=1e-14, atol=1e-300)
    np.testing.assert_allclose(grad, want_grad, rtol=1e-12, atol=1e-300)


def test_sleef_tanhf_and_log1pf_keep_the_special_values():
    x = np.array([0.0, -0.0, np.inf, -np.inf, np.nan, 9.0, -9.0, 1e-30], np.float32)
    t = K.sleef_tanhf(x)
    np.testing.assert_array_equal(t[:4], np.array([0, -0.0, 1, -1], np.float32))
    assert np.signbit(t[1]) and np.isnan(t[4]) and t[5] == 1 and t[6] == -1
    assert t[7] == np.float32(1e-30)
    d = np.array([0.0, -0.0, -1.0, -2.0, np.inf, np.nan, 3e38, 1e-30], np.float32)
    r = K.sleef_log1pf(d)
    assert r[0] == 0 and np.signbit(r[1]) and r[2] == -np.inf and np.isnan(r[3])
    assert r[4] == np.inf and np.isnan(r[5]) and r[7] == np.float32(1e-30)
    np.testing.assert_array_max_ulp(r[6:7], np.log(d[6:7].astype(np.float64)).astype(
        np.float32), maxulp=1)


def test_sleef_functions_are_within_one_ulp():
    x = np.linspace(-12, 12, 20001, dtype=np.float32)
    np.testing.assert_array_max_ulp(K.sleef_tanhf(x), K.tanh(x), maxulp=1)
    d = np.exp(x.astype(np.float64)).astype(np.float32)
    np.testing.assert_array_max_ulp(K.sleef_log1pf(d), K.log1p(d), maxulp=1)

"""adcli's float kernels against torch 2.13's own bits (tests/engine/fixtures/cpu_kernels.json,
written by tools/gen_kernel_fixtures.py on one thread).

The kernels that ATen composes itself (sigmoid, silu, softmax and log_softmax's vector
code, the oneDNN gelu on AVX2, the float64-accumulated scans) must agree bit for bit. The
ones whose last bits are MKL's or glibc's (exp, tanh, the log1p inside softplus) are
correctly rounded instead: they must agree on nearly every element and never be more than
one ulp away. The fixture's CPU capability is replayed, whatever this machine's is.
"""

from __future__ import annotations

import json
import os

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.engine import api
from adcli.engine import cpu_kernels as K
from adcli.engine.nn_functional import softmax as nf_softmax

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "cpu_kernels.json")
with open(FIXTURE, encoding="utf-8") as _fh:
    DOC = json.load(_fh)

EXACT = {"sigmoid", "silu", "gelu", "softmax", "softmax_backward", "log_softmax_backward",
         "cumsum", "cumprod"}
# correctly rounded where torch's last bit is a library's: the share that must agree
NEARLY = {"exp": 0.97, "tanh": 0.97, "softplus": 0.97, "logsigmoid": 0.97,
          "log_softmax": 0.97}


@pytest.fixture(autouse=True)
def _torch_machine():
    old, threads = K._CAPABILITY[0], K.SUM_THREADS[0]
    K._CAPABILITY[0], K.SUM_THREADS[0] = DOC["capability"], 1
    yield
    K._CAPABILITY[0], K.SUM_THREADS[0] = old, threads


def _arr(hexs: str, case: dict) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(hexs), case["dtype"]).reshape(case["shape"])


def _run(case: dict) -> np.ndarray:
    x = _arr(case["x"], case)
    op = case["op"]
    if op in ("softmax", "log_softmax"):
        t = api.tensor(x)
        fn = t.softmax if op == "softmax" else t.log_softmax
        return fn(-1).numpy()
    if op.endswith("_backward"):
        t = api.tensor(x, requires_grad=True)
        out = t.softmax(-1) if op == "softmax_backward" else t.log_softmax(-1)
        out.backward(api.tensor(_arr(case["g"], case)))
        return t.grad.numpy()
    if op == "softplus":
        return K.softplus(x, case["beta"], case["threshold"])
    if op in ("cumsum", "cumprod"):
        return getattr(api.tensor(x), op)(0).numpy()
    return getattr(K, op)(x)


def _ids(case: dict) -> str:
    return f"{case['op']}-{'x'.join(map(str, case['shape']))}"


@pytest.mark.parametrize("case", DOC["cases"], ids=[_ids(c) for c in DOC["cases"]])
def test_kernel_gives_torchs_bits(case):
    got = _run(case)
    want = _arr(case["out"], case)
    assert got.dtype == want.dtype and got.shape == want.shape
    if case["op"] in EXACT:
        np.testing.assert_array_equal(got.view(np.int32), want.view(np.int32))
        return
    np.testing.assert_array_max_ulp(got, want, maxulp=2)


@pytest.mark.parametrize("op", sorted(NEARLY))
def test_rounded_kernels_nearly_always_agree(op):
    same = total = 0
    for case in DOC["cases"]:
        if case["op"] == op:
            got, want = _run(case), _arr(case["out"], case)
            same += int((got.view(np.int32) == want.view(np.int32)).sum())
            total += want.size
    assert total > 1000
    assert same / total >= NEARLY[op], f"{same / total:.4f} of the elements agree"


def test_sleef_exp_is_sigmoids_exp():
    """1 / (1 + e) is monotonic in e, and every float32 e in [1, 2) gives another result:
    sigmoid's exact agreement on negative inputs pins the exp it uses, SLEEF's."""
    cases = [c for c in DOC["cases"] if c["op"] == "sigmoid" and c["shape"][0] >= 32]
    assert cases
    for case in cases:
        x = _arr(case["x"], case)
        n = x.size // 16 * 16
        e = K.sleef_expf(-x[:n])
        np.testing.assert_array_equal(1 / (e + 1), _arr(case["out"], case)[:n])


def test_capability_follows_the_environment(monkeypatch):
    K._CAPABILITY[0] = None
    monkeypatch.setenv("ATEN_CPU_CAPABILITY", "default")
    assert K.cpu_capability() == "default"
    assert K.vec_width(np.float32) == 8 and K.vec_width(np.float64) == 4


def test_reduce_rows_tail_and_butterfly():
    """vec::reduce_all's order on 8 lanes, spelled out for a row of 11."""
    K._CAPABILITY[0] = "avx2"
    row = np.float32([1e8, 1, -1e8, 3, 5, 7, 11, 13, 0.5, 0.25, 2 ** -20])
    lanes = row[:8].copy()
    lanes[:3] = lanes[:3] + row[8:]
    v = lanes + lanes[[4, 5, 6, 7, 0, 1, 2, 3]]
    v = v + v[[2, 3, 0, 1, 6, 7, 4, 5]]
    want = v[0] + v[1]
    assert K.vec_reduce_rows(row[None], np.add)[0] == want


@settings(max_examples=60, deadline=None)
@given(st.integers(1, 40), st.integers(1, 4),
       st.floats(-30, 30, allow_nan=False, width=32))
def test_softmax_rows_are_a_distribution(cols, rows, shift):
    """Whatever the order of the sums, each row of a softmax is positive and adds up to 1
    within a few ulps; log_softmax is its log within float32 rounding."""
    x = (np.arange(rows * cols, dtype=np.float32).reshape(rows, cols) % 7 - 3) + shift
    p = nf_softmax(api.tensor(x), -1).numpy()
    assert (p > 0).all()
    np.testing.assert_allclose(p.astype(np.float64).sum(-1), 1, rtol=0, atol=4e-7 * cols)
    lp = K.log_softmax_lastdim(x)
    np.testing.assert_allclose(np.exp(lp.astype(np.float64)), p, rtol=2e-6, atol=1e-9)


@settings(max_examples=60, deadline=None)
@given(st.lists(st.floats(-80, 80, allow_nan=False, width=32), min_size=1, max_size=50))
def test_sleef_exp_within_one_ulp_of_exp(values):
    x = np.float32(values)
    want = np.exp(x.astype(np.float64)).astype(np.float32)
    np.testing.assert_array_max_ulp(K.sleef_expf(x), want, maxulp=1)


def test_fast_sleef_exp_has_the_exact_steps_bits_on_a_sample_of_all_floats():
    """sleef_expf (the chain in float64 arrays, redoing flagged elements) against
    sleef_expf_steps (every FMA rounded once by engine/fma.py): every 4099th float32 bit
    pattern (nans, infinities, subnormals and zeros among them), plus a dense run of
    inputs where midpoints are common. tools/check_kernel_chains.py walks all 2**32."""
    bits = np.arange(0, 1 << 32, 4099, dtype=np.uint64).astype(np.uint32)
    dense = np.linspace(-2, 2, 200_099, dtype=np.float32)
    for d in (bits.view(np.float32), dense, dense.reshape(401, 499), np.float32(-0.0)):
        fast, ref = K.sleef_expf(d), K.sleef_expf_steps(d)
        assert fast.shape == np.shape(d) and fast.dtype == np.float32
        same = (fast.view(np.uint32) == ref.view(np.uint32)) | (np.isnan(fast) & np.isnan(ref))
        assert same.all(), np.asarray(d).reshape(-1)[~same.reshape(-1)][:5]


@pytest.mark.parametrize("fast, ref", [(K.vec_erf, K.vec_erf_steps),
                                       (K.dnnl_exp, K.dnnl_exp_steps),
                                       (K.dnnl_gelu, K.dnnl_gelu_steps)],
                         ids=["vec_erf", "dnnl_exp", "dnnl_gelu"])
def test_fast_kernel_chains_have_the_exact_steps_bits_on_a_sample_of_all_floats(fast, ref):
    """ATen's A&S erf and oneDNN's exp and gelu as float64-array chains, against their
    step-by-step versions, as above (tools/check_kernel_chains.py walks all 2**32)."""
    bits = np.arange(0, 1 << 32, 4099, dtype=np.uint64).astype(np.uint32)
    dense = np.linspace(-16, 6, 200_099, dtype=np.float32)
    for d in (bits.view(np.float32), dense, dense.reshape(401, 499), np.float32(0.25)):
        fast_out, ref_out = fast(d), ref(d)
        assert fast_out.shape == np.shape(d) and fast_out.dtype == np.float32
        same = (fast_out.view(np.uint32) == ref_out.view(np.uint32)) | (
            np.isnan(fast_out) & np.isnan(ref_out))
        assert same.all(), np.asarray(d).reshape(-1)[~same.reshape(-1)][:5]

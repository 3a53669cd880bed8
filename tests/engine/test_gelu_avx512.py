"""F.gelu (exact form) against torch 2.13's own bits, forward and backward with an upstream
gradient that is not all ones (tests/engine/fixtures/gelu_bits.json, written by
tools/gen_gelu_fixtures.py).

A float32 tensor of more than one element runs oneDNN's jit eltwise gelu_erf: on AVX512 its
forward is a piecewise minimax polynomial (cpu_kernels.dnnl_gelu_avx512), on AVX2
Abramowitz & Stegun (dnnl_gelu); the backward is Abramowitz & Stegun on both
(dnnl_gelu_backward). One element takes ATen's scalar formula with the C library's erff
and expf. Each capability recorded in the fixture is replayed, whatever this machine's is;
the one-element cases, which call the C library, are held to one ulp where this machine's
C library is not glibc.
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

DOC = json.loads((Path(__file__).parent / "fixtures" / "gelu_bits.json").read_text())
GLIBC = platform.libc_ver()[0] == "glibc"
CASES = [(cap, case) for cap, rec in sorted(DOC["records"].items()) for case in rec["cases"]
         if case["kind"] != "transposed"]
STRIDED = [(cap, case) for cap, rec in sorted(DOC["records"].items()) for case in rec["cases"]
           if case["kind"] == "transposed"]
IDS = [f"{cap}-{case['kind']}-{case['n']}-{i}" for i, (cap, case) in enumerate(CASES)]


@pytest.fixture
def machine():
    old, threads = K._CAPABILITY[0], K.SUM_THREADS[0]

    def use(cap: str) -> None:
        K._CAPABILITY[0], K.SUM_THREADS[0] = cap, 1

    yield use
    K._CAPABILITY[0], K.SUM_THREADS[0] = old, threads


def _arr(case: dict, key: str) -> np.ndarray:
    return np.frombuffer(bytes.fromhex(case[key]), np.float32).copy()


def _same_bits(got: np.ndarray, want: np.ndarray, n: int) -> None:
    got = np.asarray(got, np.float32)
    assert got.shape == want.shape
    if n == 1 and not GLIBC:
        np.testing.assert_array_max_ulp(got, want, maxulp=1)
        return
    nan = np.isnan(got) & np.isnan(want)  # any nan is the same nan to torch
    np.testing.assert_array_equal(np.where(nan, 0, got.view(np.int32)),
                                  np.where(nan, 0, want.view(np.int32)))


def _run(case: dict, create_graph: bool = False):
    x = api.tensor(_arr(case, "x"), requires_grad=True)
    y = NF.gelu(x)
    (grad,) = functional.grad(y, x, api.tensor(_arr(case, "g")), create_graph=create_graph)
    return y.detach().numpy(), grad.detach().numpy()


def test_fixture_records_onednn():
    assert DOC["records"], "no capability recorded"
    for cap, rec in DOC["records"].items():
        assert rec["torch"].startswith("2.13")
        assert rec["onednn"] == ("jit:avx512_core_bf16" if cap == "avx512" else "jit:avx2")


@pytest.mark.parametrize("cap,case", CASES, ids=IDS)
def test_gelu_forward_and_backward_are_torchs_bits(machine, cap, case):
    machine(cap)
    y, grad = _run(case)
    _same_bits(y, _arr(case, "y"), case["n"])
    _same_bits(grad, _arr(case, "grad"), case["n"])


@pytest.mark.parametrize("cap,case", CASES, ids=IDS)
def test_gelu_create_graph_backward_is_torchs_bits(machine, cap, case):
    machine(cap)
    _, grad = _run(case, create_graph=True)
    _same_bits(grad, _arr(case, "grad"), case["n"])


@pytest.mark.parametrize("cap,case", [c for c in CASES if c[1]["n"] > 1],
                         ids=[i for i, c in zip(IDS, CASES) if c[1]["n"] > 1])
def test_onednn_kernels_directly(cap, case):
    x, g = _arr(case, "x"), _arr(case, "g")
    fwd = K.dnnl_gelu_avx512 if cap == "avx512" else K.dnnl_gelu
    _same_bits(fwd(x), _arr(case, "y"), case["n"])
    _same_bits(K.dnnl_gelu_backward(g, x), _arr(case, "grad"), case["n"])


@pytest.mark.parametrize("cap,case", STRIDED, ids=[c for c, _ in STRIDED])
def test_gelu_forward_of_a_transposed_tensor_is_atens(machine, cap, case):
    """Not contiguous: no oneDNN, but ATen's formula over the memory order."""
    machine(cap)
    x = api.tensor(_arr(case, "x").reshape(case["shape"]))
    y = NF.gelu(x.t()).contiguous().numpy().reshape(-1)
    _same_bits(y, _arr(case, "y"), case["n"])


def test_chains_agree_with_steps():
    """The float64 chains against the step-by-step references (exact FMAs), on inputs that
    reach every polynomial piece, the bounds, the exp's clamps and the special values."""
    rs = np.random.RandomState(7)
    x = np.concatenate([
        (rs.standard_normal(20000) * 4).astype(np.float32),
        np.float32(2.0) ** rs.uniform(-140, 130, 5000).astype(np.float32),
        rs.randint(0, 2 ** 32, 20000, dtype=np.uint64).astype(np.uint32).view(np.float32),
        np.array([0, -0.0, np.inf, -np.inf, np.nan, 5.5400906, 5.540091], np.float32)])
    x[20000:25000] *= np.where(rs.rand(5000) < 0.5, -1, 1).astype(np.float32)
    g = rs.standard_normal(x.size).astype(np.float32)
    for fast, ref in ((K.dnnl_gelu_avx512(x), K.dnnl_gelu_avx512_steps(x)),
                      (K.dnnl_gelu_backward(g, x), K.dnnl_gelu_backward_steps(g, x))):
        _same_bits(fast, ref, 2)


def test_gelu_backward_falls_back_off_float32():
    x = np.linspace(-3, 3, 7)
    assert K.gelu_backward(np.ones(7), x) is None  # float64: the caller's formula
    assert K.gelu_backward(np.ones(7, np.float32), x.astype(np.float32)) is not None

"""F.layer_norm and F.group_norm against torch 2.13's own bits (tests/engine/fixtures/
norm_bits.json, written by tools/gen_norm_fixtures.py): the output, the saved mean and
rstd, and the gradients of input, weight and bias, with and without the affine parameters,
on rows shorter than a vector, with every tail length, and across several Welford chunks
(adcli.engine.moments emulates RowwiseMoments and the kernels' FMAs). Torch's thread count
is part of each case: the reductions of layer_norm's weight gradient and one FMA
contraction in group_norm's backward depend on it.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adcli.engine import api, functional, moments
from adcli.engine import cpu_kernels as K
from adcli.engine import nn_functional as NF

DOC = json.loads((Path(__file__).parent / "fixtures" / "norm_bits.json").read_text())
CASES = DOC["cases"]
INT = {"float32": np.int32, "float64": np.int64}


def _arr(case: dict, key: str, shape=None) -> np.ndarray:
    a = np.frombuffer(bytes.fromhex(case[key]), case["dtype"]).copy()
    return a if shape is None else a.reshape(shape)


def _same(got, want) -> None:
    got = np.asarray(got)
    assert got.dtype == want.dtype and got.size == want.size
    bits = INT[str(want.dtype)]
    np.testing.assert_array_equal(got.reshape(-1).view(bits), want.reshape(-1).view(bits))


def _ids(case: dict) -> str:
    shape = "x".join(map(str, case["shape"]))
    return f"{case['kind']}-{case['dtype']}-{shape}-{case['affine'] or 'none'}-t{case['threads']}"


@pytest.fixture
def threads():
    old = K.SUM_THREADS[0]
    yield lambda n: K.SUM_THREADS.__setitem__(0, n)
    K.SUM_THREADS[0] = old


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_forward_and_backward_are_torchs_bits(case, threads):
    threads(case["threads"])
    shape = tuple(case["shape"])
    x = api.tensor(_arr(case, "x", shape), requires_grad=True)
    params = [api.tensor(_arr(case, k), requires_grad=True) if k in case else None
              for k in ("w", "b")]
    if case["kind"] == "layer_norm":
        pshape = tuple(case["arg"])
        params = [None if p is None else p.reshape(pshape) for p in params]
        y = NF.layer_norm(x, pshape, *params)
    else:
        y = NF.group_norm(x, case["arg"][0], *params)
    _same(y.detach().numpy(), _arr(case, "y"))
    if "gx" not in case:
        return
    inputs = [x] + [p for p in params if p is not None]
    grads = functional.grad(y, inputs, api.tensor(_arr(case, "g", shape)))
    _same(grads[0].numpy(), _arr(case, "gx"))
    rest = list(grads[1:])
    for key in ("gw", "gb"):
        if key in case:
            _same(rest.pop(0).numpy(), _arr(case, key))


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_saved_mean_and_rstd_are_torchs_bits(case):
    shape = tuple(case["shape"])
    x = _arr(case, "x", shape)
    if case["kind"] == "layer_norm":
        rows = x.reshape(-1, int(np.prod(case["arg"])))
        _, mean, rstd = moments.layer_norm_rows(rows, None, None, 1e-5)
    else:
        groups = case["arg"][0]
        _, mean, rstd = moments.group_norm_rows(
            x.reshape(shape[0], shape[1], -1), groups, None, None, 1e-5)
    _same(mean, _arr(case, "mean"))
    _same(rstd, _arr(case, "rstd"))


def test_rowwise_moments_structure():
    """The chunk cascade gives the plain moments to rounding, on rows of every length
    class (below a vector, one chunk, several cascade levels), and the variance of a
    constant row is exactly zero."""
    rs = np.random.RandomState(0)
    for n in (1, 3, 8, 9, 127, 128, 129, 1000, 4099, 70001):
        x = (rs.standard_normal((3, n)) * 3 + 1).astype(np.float32)
        mean, var = moments.rowwise_moments(x)
        x64 = x.astype(np.float64)
        np.testing.assert_allclose(mean, x64.mean(1), rtol=1e-5, atol=1e-6)
        np.testing.assert_allclose(var, x64.var(1), rtol=1e-4)
    mean, var = moments.rowwise_moments(np.full((2, 300), 1.5, np.float32))
    assert (mean == 1.5).all() and (var == 0).all()


def test_thread_ranges_follow_parallel_for():
    assert moments.thread_ranges(1, 4) == [(0, 1)]
    assert moments.thread_ranges(5, 1) == [(0, 5)]
    assert moments.thread_ranges(5, 2) == [(0, 3), (3, 5)]
    assert moments.thread_ranges(3, 8) == [(0, 1), (1, 2), (2, 3)]

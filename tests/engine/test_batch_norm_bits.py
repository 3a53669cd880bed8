"""F.batch_norm against torch 2.13's own bits (tests/engine/fixtures/batch_norm_bits.json,
written by tools/gen_batch_norm_fixtures.py): the output, the updated running mean and
variance, and the gradients of input, weight and bias, in training and evaluation, with
and without the affine parameters, on 2-D inputs (torch's channels-last kernels: per-thread
buffers, vectors of channels) and 3-D / 4-D ones (per-channel double sums, Vectorized
plane reductions), with a random upstream gradient or the expanded one of ``y.sum()``
(torch's TensorIterator backward). Torch's thread count is part of each case.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adcli.engine import api, batch_norm_kernels, functional
from adcli.engine import cpu_kernels as K
from adcli.engine import nn_functional as NF

DOC = json.loads((Path(__file__).parent / "fixtures" / "batch_norm_bits.json").read_text())
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
    mode = "train" if case["training"] else "eval"
    return (f"{case['dtype']}-{shape}-{case['affine'] or 'none'}-{mode}-{case['grad']}"
            f"-m{case['momentum']}-t{case['threads']}")


@pytest.fixture
def threads():
    old = K.SUM_THREADS[0]
    yield lambda n: K.SUM_THREADS.__setitem__(0, n)
    K.SUM_THREADS[0] = old


@pytest.mark.parametrize("case", CASES, ids=[_ids(c) for c in CASES])
def test_batch_norm_is_torchs_bits(case, threads):
    threads(case["threads"])
    shape = tuple(case["shape"])
    x = api.tensor(_arr(case, "x", shape), requires_grad=True)
    params = [api.tensor(_arr(case, k), requires_grad=True) if k in case else None
              for k in ("w", "b")]
    rm, rv = api.tensor(_arr(case, "rm")), api.tensor(_arr(case, "rv"))
    y = NF.batch_norm(x, rm, rv, *params, training=case["training"],
                      momentum=case["momentum"], eps=1e-5)
    _same(y.detach().numpy(), _arr(case, "y"))
    _same(rm.numpy(), _arr(case, "rm1"))
    _same(rv.numpy(), _arr(case, "rv1"))
    inputs = [x] + [p for p in params if p is not None]
    if case["grad"] == "rand":
        grads = functional.grad(y, inputs, api.tensor(_arr(case, "g", shape)))
    else:
        grads = functional.grad(api.sum(y), inputs)
    _same(grads[0].numpy(), _arr(case, "gx"))
    rest = list(grads[1:])
    for key in ("gw", "gb"):
        if key in case:
            _same(rest.pop(0).numpy(), _arr(case, key))


def test_module_training_step_matches_the_kernel(threads):
    """nn.BatchNorm2d in training: the running statistics move by the kernel's update."""
    threads(2)
    rs = np.random.RandomState(1)
    x = (rs.standard_normal((4, 3, 5, 5)) * 2 + 1).astype(np.float32)
    rm, rv = np.zeros(3, np.float32), np.ones(3, np.float32)
    y, mean, invstd = batch_norm_kernels.forward(x.reshape(4, 3, 25), None, None, rm, rv,
                                                 True, 0.1, 1e-5, 2)
    assert y.dtype == np.float32 and mean.dtype == np.float32
    np.testing.assert_allclose(mean, x.mean(axis=(0, 2, 3)), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(rm, 0.1 * mean, rtol=1e-6)
    np.testing.assert_allclose(rv, 0.9 + 0.1 * x.var(axis=(0, 2, 3), ddof=1), rtol=1e-5)
    np.testing.assert_allclose(invstd, 1 / np.sqrt(x.var(axis=(0, 2, 3)) + 1e-5), rtol=1e-5)

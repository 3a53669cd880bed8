"""float32/float64 sum and mean in torch 2.13's CPU order, bit for bit, against torch's own
results (tools/gen_sum_order_fixtures.py): every size to 300, random sizes to 5000,
2-D/3-D tensors reduced over each dim, pairs of dims and all, keepdim, and transposed,
permuted and strided views; full reductions past the grain size, which torch splits by
thread."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine import cpu_kernels as K
from adcli.engine.ops import reductions as R

FIXTURE = Path(__file__).parent / "fixtures" / "sum_order.json"
DOC = json.loads(FIXTURE.read_text(encoding="utf-8"))
UINT = {"float32": np.dtype(np.uint32), "float64": np.dtype(np.uint64)}


def _array(hexbits: str, dtype: str, shape) -> np.ndarray:
    """An array from its bits: big-endian hex of the unsigned integer view."""
    u = UINT[dtype]
    raw = np.frombuffer(bytes.fromhex(hexbits), u.newbyteorder(">")).astype(u)
    return raw.view(dtype).reshape(shape)


def _view(base: np.ndarray, case: dict) -> np.ndarray:
    layout = case["layout"]
    if layout == "t":
        return np.swapaxes(base, 0, -1)
    if layout == "p":
        return np.transpose(base, case["perm"])
    if layout == "s":
        return base[..., ::2]
    return base


def _bits(a) -> str:
    a = np.ascontiguousarray(np.asarray(a))
    u = UINT[str(a.dtype)]
    return a.view(u).astype(u.newbyteorder(">")).tobytes().hex()


@pytest.fixture(autouse=True)
def _torch_threads():
    """Reduce with as many threads as torch did when it recorded the fixture."""
    old = K.SUM_THREADS[0]
    K.SUM_THREADS[0] = DOC["threads"]
    yield
    K.SUM_THREADS[0] = old


def _cases():
    for i, case in enumerate(DOC["cases"]):
        yield pytest.param(case, id=f"{i}-{case['dtype']}-{case['layout']}-{case['shape']}")


@pytest.mark.parametrize("case", list(_cases()))
def test_sum_and_mean_bits(case):
    base = _array(case["base"], case["dtype"], case["base_shape"])
    x = _view(base, case)
    assert list(x.shape) == case["shape"]
    bad = []
    for r in case["results"]:
        dims = None if r["dims"] is None else tuple(r["dims"])
        total = R.torch_sum(x, dims, r["keepdim"])
        if r["op"] == "mean":
            n = x.size if dims is None else int(np.prod([x.shape[d] for d in dims]))
            got = R._mean_of(total, n)
        else:
            got = total
        if list(np.shape(got)) != r["shape"] or _bits(got) != r["bits"]:
            bad.append((r["op"], dims, r["keepdim"]))
    assert not bad


@pytest.mark.parametrize("case", [c for c in DOC["cases"] if c["layout"] in ("c", "t")][::7])
def test_through_the_api(case):
    """The engine's sum and mean (and their keepdim, dim and dtype forms) give the same
    bits on tensors and on transposed views of them."""
    base = api.from_numpy(_array(case["base"], case["dtype"], case["base_shape"]).copy())
    x = base.transpose(0, -1) if case["layout"] == "t" else base
    for r in case["results"]:
        fn = getattr(api, r["op"])
        got = fn(x) if r["dims"] is None else fn(x, tuple(r["dims"]), keepdim=r["keepdim"])
        assert list(got.shape) == r["shape"]
        assert _bits(got.numpy()) == r["bits"], (r["op"], r["dims"], r["keepdim"])


def test_known_values():
    """The issue's example, and -0. sums to +0. as in torch."""
    x = api.linspace(-3.14159265, 3.14159265, 2000)
    assert x.sum().item() == pytest.approx(2.9564e-05, rel=1e-4)
    assert x.sum().item() != 0.0
    neg = api.from_numpy(np.full(20, -0.0, np.float32))
    assert str(np.signbit(neg.sum().numpy())) == "False"
    assert not np.signbit(neg.reshape(4, 5).sum(0).numpy()).any()


def test_grad_unchanged():
    x = api.ones(3, 4, requires_grad=True)
    (x.sum(0) * 2).mean().backward()
    assert np.array_equal(x.grad.numpy(), np.full((3, 4), 0.5, np.float32))

"""torch.nn.functional's layer ops (linear, dropout, conv, pooling, normalisation,
embedding, pad, activations) and addcmul/addcdiv against torch 2.13's own answers
(tests/engine/fixtures/nn_ops.json, written by tools/gen_nn_ops_fixtures.py): the outputs,
the grad_fn graph, each input's gradient, running statistics, errors. Then gradients of the
layers against central finite differences in float64 (hypothesis)."""

from __future__ import annotations

import json
import os
from types import SimpleNamespace

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.engine import api, declarations
from adcli.engine import nn_functional as NF
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "nn_ops.json")
with open(FIXTURE, encoding="utf-8") as _fh:
    CASES = json.load(_fh)["cases"]

TORCH = SimpleNamespace(**{**{n: getattr(api, n) for n in dir(api) if not n.startswith("_")},
                           **declarations.torch_functions()})
F = SimpleNamespace(**declarations.nn_functions())
# float32 agreement for the cases whose sums torch takes in another order (BLAS, vectorised
# statistics): measured differences are far below these bounds
CLOSE = {"float32": dict(rtol=2e-5, atol=2e-6), "float64": dict(rtol=1e-12, atol=1e-13)}


def _array(rec: dict) -> np.ndarray:
    return np.array(rec["data"], dtype=rec["dtype"]).reshape(rec["shape"])


def _graph(fn) -> str:
    if fn is None:
        return "None"
    name = fn.name()
    if name.endswith("AccumulateGrad"):
        return "Acc"
    kids = [_graph(f) for f, _ in fn.next_functions]
    return f"{name}({', '.join(kids)})" if kids else name


def _same(got: np.ndarray, want: np.ndarray, tol: str, what: str) -> None:
    assert got.shape == want.shape, what
    assert got.dtype == want.dtype, what
    if tol == "exact":
        np.testing.assert_array_equal(got, want, err_msg=what)
    else:
        np.testing.assert_allclose(got, want, err_msg=what, **CLOSE[str(want.dtype)])


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_against_torch(case):
    tensors = {n: api.tensor(_array(r), requires_grad=r["requires_grad"])
               for n, r in case["inputs"].items()}
    if case["seed"] is not None:
        api.manual_seed(case["seed"])
    namespace = {"torch": TORCH, "F": F, **tensors}
    if "error" in case:
        with pytest.raises(AdcliError) as info:
            eval(case["expr"], namespace)  # noqa: S307 - the fixture's own expressions
        assert (info.value.kind, str(info.value)) == (case["error"]["type"],
                                                      case["error"]["message"])
        return
    out = eval(case["expr"], namespace)  # noqa: S307
    outs = list(out) if isinstance(out, tuple) else [out]
    assert len(outs) == len(case["outputs"])
    for i, (o, want) in enumerate(zip(outs, case["outputs"])):
        _same(o.detach().numpy(), _array(want), case["tol"], f"output {i}")
    assert _graph(outs[0].grad_fn) == case["graph"]
    for name, want in case["state_after"].items():
        _same(tensors[name].detach().numpy(), _array(want), case["tol"], f"{name} after")
    if "upstream" in case:
        outs[0].backward(api.tensor(_array(case["upstream"])))
        for name, want in case["grads"].items():
            grad = tensors[name].grad
            if want is None:
                assert grad is None, name
            else:
                assert grad is not None, name
                _same(grad.numpy(), _array(want), case["tol"], f"grad of {name}")


# ---- gradients against central finite differences (float64) --------------------------------


def _check_grads(fn, arrays: list, eps=1e-6, rtol=1e-5, atol=1e-7) -> None:
    """The gradient of sum(fn(*inputs) * u) against central differences, every input."""
    rng = np.random.default_rng(len(arrays))
    ts = [api.tensor(a, dtype=api.float64, requires_grad=True) for a in arrays]
    out = fn(*ts)
    u = rng.normal(size=out.shape)
    (out * api.tensor(u)).sum().backward()
    for k, (t, a) in enumerate(zip(ts, arrays)):
        want = np.zeros_like(a)
        for idx in np.ndindex(a.shape):
            plus, minus = [x.copy() for x in arrays], [x.copy() for x in arrays]
            plus[k][idx] += eps
            minus[k][idx] -= eps
            fp = fn(*[api.tensor(x, dtype=api.float64) for x in plus])._data
            fm = fn(*[api.tensor(x, dtype=api.float64) for x in minus])._data
            want[idx] = ((fp - fm) * u).sum() / (2 * eps)
        np.testing.assert_allclose(t.grad.numpy(), want, rtol=rtol, atol=atol,
                                   err_msg=f"input {k}")


def _normal(rng, shape):
    return rng.normal(size=shape)


@settings(max_examples=15, deadline=None)
@given(st.integers(1, 2), st.integers(1, 3), st.integers(1, 3), st.integers(3, 5),
       st.integers(3, 5), st.integers(1, 3), st.integers(1, 2), st.integers(0, 1),
       st.integers(1, 2), st.sampled_from([1, 2]), st.integers(0, 2**31))
def test_conv2d_gradients(n, cin_g, cout_g, h, w, k, stride, padding, dilation, groups, seed):
    rng = np.random.default_rng(seed)
    k = min(k, (h + 2 * padding - 1) // dilation + 1, (w + 2 * padding - 1) // dilation + 1)
    x = _normal(rng, (n, cin_g * groups, h, w))
    wt = _normal(rng, (cout_g * groups, cin_g, k, k))
    b = _normal(rng, (cout_g * groups,))
    _check_grads(lambda x, wt, b: NF.conv2d(x, wt, b, stride, padding, dilation, groups),
                 [x, wt, b])


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 2), st.integers(4, 7), st.integers(1, 3), st.integers(1, 2),
       st.integers(0, 2**31))
def test_conv1d_gradients(n, length, k, stride, seed):
    rng = np.random.default_rng(seed)
    _check_grads(lambda x, wt, b: NF.conv1d(x, wt, b, stride, 1),
                 [_normal(rng, (n, 2, length)), _normal(rng, (3, 2, k)), _normal(rng, (3,))])


@settings(max_examples=15, deadline=None)
@given(st.integers(4, 7), st.integers(4, 7), st.integers(1, 3), st.integers(1, 2),
       st.booleans(), st.booleans(), st.sampled_from(["max", "avg", "adaptive"]),
       st.integers(0, 2**31))
def test_pooling_gradients(h, w, k, stride, pad, ceil_mode, kind, seed):
    rng = np.random.default_rng(seed)
    x = rng.permutation(2 * 2 * h * w).reshape(2, 2, h, w) / 7.0  # no ties: max is smooth
    p = int(pad and k > 1)
    if kind == "max":
        fn = lambda x: NF.max_pool2d(x, k, stride, p, 1, ceil_mode)  # noqa: E731
    elif kind == "avg":
        fn = lambda x: NF.avg_pool2d(x, k, stride, p, ceil_mode, not pad)  # noqa: E731
    else:
        fn = lambda x: NF.adaptive_avg_pool2d(x, (k, k + 1))  # noqa: E731
    _check_grads(fn, [x])


@settings(max_examples=10, deadline=None)
@given(st.integers(2, 4), st.integers(1, 3), st.integers(1, 3), st.booleans(),
       st.integers(0, 2**31))
def test_batch_norm_gradients(n, c, length, training, seed):
    rng = np.random.default_rng(seed)
    rm = api.tensor(rng.normal(size=c), dtype=api.float64)
    rv = api.tensor(rng.uniform(0.5, 2, size=c), dtype=api.float64)

    def fn(x, w, b):
        # fresh running stats per call, so that every evaluation sees the same ones
        return NF.batch_norm(x, rm.clone(), rv.clone(), w, b, training)

    _check_grads(fn, [_normal(rng, (n, c, length)), _normal(rng, (c,)), _normal(rng, (c,))])


@settings(max_examples=10, deadline=None)
@given(st.integers(1, 3), st.integers(2, 5), st.booleans(), st.integers(0, 2**31))
def test_layer_norm_gradients(m, n, two_dims, seed):
    rng = np.random.default_rng(seed)
    shape = (2, n) if two_dims else (n,)
    _check_grads(lambda x, w, b: NF.layer_norm(x, shape, w, b),
                 [_normal(rng, (m,) + shape), _normal(rng, shape), _normal(rng, shape)])


def test_batch_norm_running_stats_bump_versions():
    x = api.randn(4, 3)
    rm, rv = api.zeros(3), api.ones(3)
    NF.batch_norm(x, rm, rv, training=True)
    assert rm._version == 1 and rv._version == 1


def test_layer_ops_refuse_double_backward():
    x = api.randn(1, 1, 3, 3, requires_grad=True)
    w = api.randn(1, 1, 2, 2, requires_grad=True)
    out = NF.conv2d(x, w).sum()
    (g,) = api_grad(out, x)
    assert isinstance(g, Tensor)
    with pytest.raises(AdcliError, match="not implemented"):
        NF.conv2d(x, w).sum().backward(create_graph=True)


def api_grad(out, x):
    from adcli.engine import functional

    return functional.grad(out, x)

"""The scatter/gather family, the extra shape ops (stride, unfold, rot90, block_diag,
diag_embed, vander, tensordot, baddbmm), nan_to_num, searchsorted, bucketize, logspace,
histc and F.interpolate against torch 2.13's own answers (tests/engine/fixtures/
more_ops.json, written by tools/gen_more_ops_fixtures.py): values and dtypes, the grad_fn
graph, each input's gradient for a stored upstream gradient, errors. Then gradients
against central finite differences in float64, and double backward where torch has it."""

from __future__ import annotations

import json
import math
import os
from types import SimpleNamespace

import numpy as np
import pytest

from adcli.engine import api, declarations, functional
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError

FIXTURE = os.path.join(os.path.dirname(__file__), "fixtures", "more_ops.json")
with open(FIXTURE, encoding="utf-8") as _fh:
    CASES = json.load(_fh)["cases"]

TORCH = SimpleNamespace(**{**{n: getattr(api, n) for n in dir(api) if not n.startswith("_")},
                           **declarations.torch_functions()})
F = SimpleNamespace(**declarations.nn_functions())
CLOSE = {"float32": dict(rtol=2e-5, atol=2e-6), "float64": dict(rtol=1e-12, atol=1e-13)}

# Where adcli words an error its own way (the kind is still torch's): the dim checks of
# shape.norm_dim; and backward through vander, which torch refuses as adcli does (its
# cumprod saved a view that vander then overwrites), naming the versions differently.
OWN_WORDS = {"scatter_err_dim", "stride_err_dim", "unfold_err_dim", "rot90_err_same"}
OWN_BACKWARD = {"vander", "vander_n", "vander_inc"}


def _array(rec: dict) -> np.ndarray:
    data = [math.nan if v is None else v for v in rec["data"]]
    return np.array(data, dtype=rec["dtype"]).reshape(rec["shape"])


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


def _inputs(case):
    return {n: api.tensor(_array(r), requires_grad=r["requires_grad"])
            for n, r in case["inputs"].items()}


@pytest.mark.parametrize("case", CASES, ids=[c["id"] for c in CASES])
def test_against_torch(case):
    tensors = _inputs(case)
    namespace = {"torch": TORCH, "F": F, **tensors}
    if "error" in case:
        with pytest.raises(AdcliError) as info:
            eval(case["expr"], namespace)  # noqa: S307 - the fixture's own expressions
        assert info.value.kind == case["error"]["type"]
        if case["id"] not in OWN_WORDS:
            assert str(info.value) == case["error"]["message"]
        return
    out = eval(case["expr"], namespace)  # noqa: S307
    if "value" in case:
        assert not isinstance(out, Tensor)
        assert (list(out) if isinstance(out, tuple) else out) == case["value"]
        return
    _same(out.detach().numpy(), _array(case["outputs"][0]), case["tol"], "output")
    assert _graph(out.grad_fn) == case["graph"]
    if "upstream" not in case:
        assert not out.requires_grad
        return
    up = api.tensor(_array(case["upstream"]))
    if "backward_error" in case:
        with pytest.raises(AdcliError) as info:
            out.backward(up)
        assert info.value.kind == case["backward_error"]["type"]
        if case["id"] not in OWN_BACKWARD:
            assert str(info.value) == case["backward_error"]["message"]
        return
    out.backward(up)
    for name, want in case.get("grads", {}).items():
        grad = tensors[name].grad
        if want is None:
            assert grad is None, name
        else:
            assert grad is not None, name
            _same(grad.numpy(), _array(want), case["tol"], f"grad of {name}")


# ---- gradients against central finite differences (float64) --------------------------------


def _check_grads(fn, arrays: list, eps=1e-6, rtol=1e-5, atol=1e-7) -> None:
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


IDX = api.tensor([[0, 1, 2, 0], [2, 0, 1, 1]])
VEC = api.tensor([0, 2, 0])
FD = {
    "scatter": (lambda x, s: api.scatter(x, 0, IDX, s), [(3, 4), (2, 4)]),
    "scatter_add": (lambda x, s: api.scatter_add(x, 0, IDX, s), [(3, 4), (2, 4)]),
    "index_add": (lambda x, s: api.index_add(x, 1, VEC, s, alpha=1.5), [(2, 4), (2, 3)]),
    "index_copy": (lambda x, s: api.index_copy(x, 0, api.tensor([2, 0]), s), [(3, 2), (2, 2)]),
    "index_fill": (lambda x, v: api.index_fill(x, 1, VEC, v.sum()), [(2, 4), (2,)]),
    "take": (lambda x: api.take(x, api.tensor([[5, 0], [5, 3]])), [(2, 3)]),
    "take_along_dim": (lambda x: api.take_along_dim(x, api.tensor([[2], [0]]), 1), [(2, 3)]),
    "unfold": (lambda x: x.unfold(1, 3, 2), [(2, 7)]),
    "rot90": (lambda x: api.rot90(x, 3, (1, 0)), [(2, 3)]),
    "block_diag": (lambda a, b: api.block_diag(a, b), [(2, 3), (2,)]),
    "diag_embed": (lambda x: api.diag_embed(x, -1, 0, 2), [(2, 3)]),
    "tensordot": (lambda a, b: api.tensordot(a, b, ([0, 2], [1, 0])), [(2, 3, 4), (4, 2, 2)]),
    "tensordot_full": (lambda a, b: api.tensordot(a, b, ([1, 0], [1, 0])), [(2, 3), (2, 3)]),
    "baddbmm": (lambda c, a, b: api.baddbmm(c, a, b, beta=0.5, alpha=-2),
                [(3, 1), (2, 3, 2), (2, 2, 3)]),
    "nan_to_num": (lambda x: api.nan_to_num(x), [(2, 3)]),
    "nearest": (lambda x: F.interpolate(x, size=(3, 5)), [(1, 2, 2, 3)]),
    "bilinear": (lambda x: F.interpolate(x, scale_factor=1.7, mode="bilinear"), [(1, 1, 3, 2)]),
    "bilinear_ac": (lambda x: F.interpolate(x, size=(4, 3), mode="bilinear",
                                            align_corners=True), [(1, 2, 3, 2)]),
    "linear": (lambda x: F.interpolate(x, size=2, mode="linear"), [(2, 1, 5)]),
}


@pytest.mark.parametrize("name", sorted(FD))
def test_gradients_against_finite_differences(name):
    fn, shapes = FD[name]
    rng = np.random.default_rng(7)
    _check_grads(fn, [rng.normal(size=s) for s in shapes])


@pytest.mark.parametrize("name", sorted(FD))
def test_double_backward_agrees_with_the_first(name):
    """create_graph=True: the recorded backward gives the numpy backward's gradient, and
    differentiating it again gives a gradient of the right shape."""
    fn, shapes = FD[name]
    rng = np.random.default_rng(3)
    arrays = [rng.normal(size=s) for s in shapes]
    ts = [api.tensor(a, dtype=api.float64, requires_grad=True) for a in arrays]
    out = fn(*ts)
    u = api.tensor(rng.normal(size=out.shape))
    plain = functional.grad((out * u).sum(), ts, retain_graph=True)
    recorded = functional.grad((out * u).sum(), ts, create_graph=True)
    for p, r in zip(plain, recorded):
        np.testing.assert_allclose(r.detach().numpy(), p.numpy(), rtol=1e-12, atol=1e-12)
    total = sum((r * r).sum() for r in recorded if r.requires_grad)
    if isinstance(total, Tensor) and total.requires_grad:
        again = functional.grad(total, ts, allow_unused=True)
        for t, g in zip(ts, again):
            assert g is None or g.shape == t.shape


def test_stride_follows_the_layout():
    x = api.ones(2, 3, 4)
    assert x.stride() == (12, 4, 1)
    assert x.transpose(0, 2).stride() == (1, 4, 12)
    assert x[:, 1].stride() == (12, 1)
    assert x.unfold(2, 2, 2).stride() == (12, 4, 2, 1)


def test_unfold_output_refuses_writes():
    x = api.arange(6.0)
    w = x.unfold(0, 3, 1)
    with pytest.raises(AdcliError):
        w.add_(1)


def test_scatter_inplace_writes_into_a_view_of_the_base():
    base = api.zeros(3, 4, requires_grad=True) * 1
    base[1:].scatter_(1, api.tensor([[0], [3]]), 5.0)
    assert base.detach().numpy()[1:, [0, 3]].tolist() == [[5.0, 0.0], [0.0, 5.0]]
    base.sum().backward()


def test_histc_edges_are_torchs():
    x = api.tensor([0.0, 0.25, 0.5, 0.75, 1.0])
    assert api.histc(x, bins=4, min=0, max=1).tolist() == [1.0, 1.0, 1.0, 2.0]


def test_interpolate_with_junk():
    """F.interpolate (not in test_robustness's list of F functions) raises only adcli's
    errors for any arguments."""
    from hypothesis import given
    from hypothesis import strategies as st

    from tests.engine.test_robustness import SETTINGS, call, pool

    values = pool() + [api.ones(1, 2, 3), api.ones(1, 1, 2, 2), "bilinear", "linear", 0.5]
    modes = st.sampled_from(["nearest", "linear", "bilinear", "area", "x", None, 3])
    kwargs = st.fixed_dictionaries({}, optional={
        "size": st.sampled_from(values), "scale_factor": st.sampled_from(values),
        "mode": modes, "align_corners": st.sampled_from([None, True, False, 1])})

    @SETTINGS
    @given(args=st.lists(st.sampled_from(values), max_size=2), kw=kwargs)
    def run(args, kw):
        call(F.interpolate, args, kw)

    run()

"""scatter_reduce, index_reduce, masked_scatter, select/slice/diagonal_scatter, vdot,
addbmm and trapezoid: values and errors as torch 2.13 gives them (hard-coded from real
runs), gradients against finite differences (float64, hypothesis-drawn inputs)."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.engine import api
from adcli.errors import AdcliError


def t(a, rg=False, dtype=np.float32):
    return api.tensor(np.asarray(a, dtype).tolist(), dtype=api.float64 if dtype == np.float64
                      else api.float32, requires_grad=rg)


def test_scatter_reduce_values_as_torch():
    x = t([0.0, 0.0, 0.0, 0.0, 0.0])
    idx = api.tensor([0, 0, 3, 3, 3])
    src = t([7.0, -2.0, 5.0, 1.0, 1.0])
    got = api.scatter_reduce(x, 0, idx, src, "mean")._data
    assert got.tolist() == np.float32([5 / 3, 0, 0, 7 / 4, 0]).tolist()
    ints = api.zeros(5, dtype=api.int64)
    got = api.scatter_reduce(ints, 0, idx, api.tensor([7, -2, 5, 1, 1]), "mean",
                             include_self=False)
    assert got._data.tolist() == [2, 0, 0, 2, 0]  # floor division, as torch
    b = api.ones(5)
    api._scatter_reduce_(b, 0, api.tensor([4, 4, 1]), t([2.0, 3.0, -1.0]), "amax")
    assert b._data.tolist() == [1.0, 1.0, 1.0, 1.0, 3.0]


def test_scatter_reduce_prod_gradient_with_zeros_as_torch():
    z = t([[1.0, 0.0, 2.0], [0.0, 0.0, 3.0]], rg=True)
    s = t([[2.0, 0.0, 1.0]], rg=True)
    y = api.scatter_reduce(z, 0, api.tensor([[1, 0, 0]]), s, "prod")
    assert y.grad_fn.name() == "ScatterReduceBackward0"
    y.sum().backward()
    assert z.grad._data.tolist() == [[1.0, 0.0, 1.0], [2.0, 1.0, 1.0]]
    assert s.grad._data.tolist() == [[0.0, 0.0, 2.0]]


@pytest.mark.parametrize("reduce", ["sum", "prod", "mean", "amax", "amin"])
@pytest.mark.parametrize("include_self", [True, False])
@settings(max_examples=8, deadline=None)
@given(seed=st.integers(0, 2**31 - 1))
def test_scatter_reduce_gradients_match_finite_differences(reduce, include_self, seed):
    rng = np.random.default_rng(seed)
    x0 = rng.uniform(0.5, 2.0, (3, 4))
    s0 = rng.uniform(0.5, 2.0, (2, 4))
    idx = api.tensor(rng.integers(0, 3, (2, 4)).tolist())
    w = rng.normal(size=(3, 4))

    def f(xa, sa):
        out = api.scatter_reduce(t(xa, dtype=np.float64), 0, idx, t(sa, dtype=np.float64),
                                 reduce, include_self=include_self)
        return float((out._data * w).sum())

    x = t(x0, True, np.float64)
    s = t(s0, True, np.float64)
    y = api.scatter_reduce(x, 0, idx, s, reduce, include_self=include_self)
    (y * t(w, dtype=np.float64)).sum().backward()
    eps = 1e-6
    for arr, grad, is_x in ((x0, x.grad._data, True), (s0, s.grad._data, False)):
        num = np.zeros_like(arr)
        for k in np.ndindex(arr.shape):
            p, m = arr.copy(), arr.copy()
            p[k] += eps
            m[k] -= eps
            num[k] = ((f(p, s0) - f(m, s0)) if is_x else (f(x0, p) - f(x0, m))) / (2 * eps)
        assert np.allclose(grad, num, atol=1e-5), (reduce, include_self, is_x)


def test_errors_in_torchs_words():
    x = api.zeros(3, 4)
    i = api.tensor([[0, 1, 2, 0]])
    cases = [
        (lambda: api.scatter_reduce(x, 0, i, api.ones(1, 4), "foo"),
         "reduce argument must be either sum, prod, mean, amax or amin, got foo"),
        (lambda: api.scatter_reduce(x, 0, i, api.ones(1, 4, dtype=api.float64), "sum"),
         "scatter(): Expected self.dtype to be equal to src.dtype"),
        (lambda: api.scatter_reduce(x, 0, i + 5, api.ones(1, 4), "sum"),
         "index 5 is out of bounds for dimension 0 with size 3"),
        (lambda: api.index_reduce(x, 0, api.tensor([0, 1]), api.ones(2, 4), "sum"),
         "index_reduce(): Expected reduce to be one of prod, mean, amax or amin but got sum."),
        (lambda: api.masked_scatter(x, api.ones(3, 4, dtype=api.bool_), api.ones(3)),
         "Number of elements of source < number of ones in mask"),
        (lambda: api.masked_scatter(x, api.ones(3, 4), api.ones(12)),
         "masked_scatter_ only supports boolean masks, but got mask with dtype Float"),
        (lambda: api.select_scatter(x, api.ones(3), 0, 0),
         "expected src to have a size equal to the slice of self. src size = [3], slice "
         "size = [4]"),
        (lambda: api.select_scatter(x, api.ones(4), 0, 5),
         "select(): index 5 out of range for tensor of size [3, 4] at dimension 0"),
        (lambda: api.slice_scatter(x, api.ones(3, 2), 1, 0, 4, 0),
         "slice step must be positive"),
        (lambda: api.vdot(api.ones(3), api.ones(3, dtype=api.float64)),
         "dot : expected both vectors to have same dtype, but found Float and Double"),
        (lambda: api.vdot(api.ones(3, 1), api.ones(3)),
         "1D tensors expected, but got 2D and 1D tensors"),
    ]
    for fn, message in cases:
        with pytest.raises(AdcliError) as info:
            fn()
        assert message in str(info.value), (message, str(info.value))


def test_embeds_and_their_gradients():
    x = api.arange(12.0).reshape(3, 4).requires_grad_()
    c = t([[-1.0, -2.0], [-3.0, -4.0], [-5.0, -6.0]], rg=True)
    y = api.slice_scatter(x, c, 1, 1, None, 2)
    assert y._data.tolist() == [[0, -1, 2, -2], [4, -3, 6, -4], [8, -5, 10, -6]]
    (y * api.arange(12.0).reshape(3, 4)).sum().backward()
    assert x.grad._data.tolist() == [[0, 0, 2, 0], [4, 0, 6, 0], [8, 0, 10, 0]]
    assert c.grad._data.tolist() == [[1, 3], [5, 7], [9, 11]]
    d = api.diagonal_scatter(api.zeros(2, 3, 3), api.ones(2, 2), 1, 1, 2)
    assert d._data[0].tolist() == [[0, 1, 0], [0, 0, 1], [0, 0, 0]]


def test_addbmm_and_trapezoid_as_torch():
    y = t([1.0, 4.0, 9.0, 16.0], rg=True)
    r = api.trapezoid(y)
    assert float(r._data) == 21.5 and r.grad_fn.name() == "MulBackward1"
    r.backward()
    assert y.grad._data.tolist() == [0.5, 1.0, 1.0, 0.5]
    assert float(api.trapezoid(y, t([0.0, 1.0, 3.0, 6.0]))._data) == 53.0
    assert api.cumulative_trapezoid(y, t([0.0, 1.0, 3.0, 6.0]))._data.tolist() == \
        [2.5, 15.5, 53.0]
    b1 = api.ones(4, 3, 2)
    b2 = api.ones(4, 2, 5)
    out = api.addbmm(api.ones(3, 5), b1, b2, beta=0.5, alpha=2)
    assert out._data.tolist() == [[16.5] * 5] * 3


def test_trapezoid_spacing_is_a_real_number():
    """torch's messages (torch 2.13): a positional number is no `x`, dx must be real; a
    0-d tensor dx is its value."""
    y = t([1.0, 1.0, 1.0])
    assert api.trapezoid(y, dx=t(2.0)).item() == 4.0
    with pytest.raises(AdcliError, match=r"trapezoid\(\) received an invalid combination of "
                                         r"arguments - got \(Tensor, float\)"):
        api.trapezoid(y, 2.0)
    with pytest.raises(AdcliError, match=r"got \(Tensor, dx=str\)") as info:
        api.cumulative_trapezoid(y, dx="a")
    assert info.value.kind == "TypeError"
    with pytest.raises(AdcliError, match="we only support dx as a real number") as info:
        api.trapezoid(y, dx=True)
    assert info.value.kind == "RuntimeError"


def test_flip_method_takes_dims_by_keyword():
    x = t([[1.0, 2.0], [3.0, 4.0]])
    flip = api._flip_method
    assert flip(x, dims=[1]).tolist() == [[2.0, 1.0], [4.0, 3.0]]
    assert flip(x, 0, 1).tolist() == [[4.0, 3.0], [2.0, 1.0]]
    with pytest.raises(AdcliError, match="unexpected keyword argument 'axis'"):
        flip(x, axis=[1])

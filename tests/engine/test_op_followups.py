"""Follow-up fixes to single ops, each checked against torch 2.13's own output (values
and messages copied from runs of /work/torchenv/bin/python) or central finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api, functional
from adcli.engine.backends import TS
from adcli.engine.ops.shapes import CatBackward0, StackBackward0


def _t(a, grad=True):
    return api.tensor(np.asarray(a, dtype=np.float64), requires_grad=grad)


def _fd(f, x: np.ndarray, eps=1e-6) -> np.ndarray:
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        out[i] = (f(xp) - f(xm)) / (2 * eps)
    return out


# ---- 1. cat / stack with a negative dim (backward formulas' F.cat(..., -1)) -----------------

_W1 = np.linspace(-1.0, 1.3, 6).reshape(2, 3)
_W2 = np.linspace(0.4, -0.7, 4).reshape(2, 2)


def _first_grad(x: np.ndarray, create_graph: bool):
    """d/dx of sum(W * cat([x**3, sin(x[:, :2])], -1)): its backward slices along dim -1."""
    xt = _t(x)
    joined = TS.cat([xt ** 3, xt[:, :2].sin()], -1)
    w = api.tensor(np.concatenate([_W1, _W2], -1))
    (g,) = functional.grad((joined * w).sum(), xt, create_graph=create_graph)
    return xt, g


def test_cat_negative_dim_first_and_double_backward():
    x = np.array([[0.3, -0.8, 1.1], [0.5, 0.9, -1.4]])
    _, g = _first_grad(x, False)
    expect = _fd(lambda a: float(np.sum(np.concatenate([a ** 3, np.sin(a[:, :2])], -1)
                                        * np.concatenate([_W1, _W2], -1))), x)
    np.testing.assert_allclose(g._data, expect, rtol=1e-7, atol=1e-8)
    # double backward: the gradient of sum(v * g) w.r.t. x, against differences of g
    v = np.array([[1.0, -2.0, 0.5], [0.3, 0.7, -1.1]])
    xt, g = _first_grad(x, True)
    (gg,) = functional.grad((g * api.tensor(v)).sum(), xt)
    assert gg.shape == x.shape
    expect2 = _fd(lambda a: float(np.sum(_first_grad(a, False)[1]._data * v)), x)
    np.testing.assert_allclose(gg._data, expect2, rtol=1e-6, atol=1e-7)


def test_cat_stack_backward_with_negative_dim_apply():
    a, b = _t(np.ones((2, 3))), _t(np.ones((2, 2)))
    out = CatBackward0.apply([a, b], -1)
    assert out.shape == (2, 5)
    (out * api.tensor(np.arange(10.0).reshape(2, 5))).sum().backward()
    np.testing.assert_array_equal(a.grad._data, [[0, 1, 2], [5, 6, 7]])
    np.testing.assert_array_equal(b.grad._data, [[3, 4], [8, 9]])
    c, d = _t(np.ones((2, 3))), _t(np.ones((2, 3)))
    s = StackBackward0.apply([c, d], -1)
    assert s.shape == (2, 3, 2)
    (s * api.tensor(np.arange(12.0).reshape(2, 3, 2))).sum().backward()
    np.testing.assert_array_equal(c.grad._data, [[0, 2, 4], [6, 8, 10]])
    np.testing.assert_array_equal(d.grad._data, [[1, 3, 5], [7, 9, 11]])


# ---- 3. median / mode / kthvalue over the dim of a 1-D or 0-d tensor: 0-d indices -------------
# torch 2.13: tensor([4.,1.,3.]).median(0) -> values=tensor(3.), indices=tensor(2);
# tensor([1,2,2,3]).mode() -> values=tensor(2), indices=tensor(2); kthvalue(2, 0) ->
# (3., 2); keepdim=True gives shape [1] to both; a 0-d input gives (itself, tensor(0)).

@pytest.mark.parametrize("keepdim", [False, True])
def test_selecting_reductions_of_1d_give_0d_indices(keepdim):
    a = api.tensor([4.0, 1.0, 3.0])
    shape = (1,) if keepdim else ()
    for r, value, index in ((api.median(a, 0, keepdim), 3.0, 2),
                            (api.median(a, -1, keepdim), 3.0, 2),
                            (api.kthvalue(a, 2, 0, keepdim), 3.0, 2),
                            (api.mode(api.tensor([1, 2, 2, 3]), 0, keepdim), 2, 2)):
        values, indices = r
        assert values.shape == shape and indices.shape == shape
        assert indices._data.dtype == np.int64
        assert values._data.reshape(()) == value and indices._data.reshape(()) == index


def test_selecting_reductions_of_0d():
    s = api.tensor(5.0)
    for values, indices in (api.median(s, 0), api.mode(s, 0), api.kthvalue(s, 1, 0),
                            api.median(s, 0, True)):
        assert values.shape == () and indices.shape == ()
        assert float(values._data) == 5.0 and int(indices._data) == 0


def test_median_1d_gradient_goes_to_its_index():
    a = _t([4.0, 1.0, 3.0])
    values, indices = api.median(a, 0)
    values.backward()
    np.testing.assert_array_equal(a.grad._data, [0.0, 0.0, 1.0])


# ---- 4. xlogy's gradients: torch's derivatives.yaml, self: xlogy(grad, other) zeroed where
# self == 0 and other <= 0; other: grad * self / other (values from torch 2.13) ------------

def _bits(x) -> list:
    return [np.copysign(1.0, v) if v == 0 else v for v in np.asarray(x, np.float64).tolist()]


def test_xlogy_tensor_gradients_match_torch():
    a = api.tensor([0.0, 0.0, 0.0, 0.0, 2.0, 0.5, 1.0], requires_grad=True)
    b = api.tensor([3.0, 0.0, -2.0, np.nan, 0.5, 0.0, -1.0], requires_grad=True)
    api.xlogy(a, b).backward(api.tensor([1.0, 2.0, 1.0, 1.0, 0.7, 1.0, 0.0]))
    # torch: a.grad [1.0986, 0, 0, nan, -0.4852, -inf, 0]; b.grad [0, nan, -0, nan, 2.8, inf, -0]
    np.testing.assert_allclose(a.grad._data, np.array(
        [np.log(3.0), 0, 0, np.nan, 0.7 * np.log(0.5), -np.inf, 0], np.float32), rtol=1e-6)
    expect_b = np.array([0.0, np.nan, -0.0, np.nan, 2.8, np.inf, -0.0], np.float32)
    np.testing.assert_array_equal(_bits(b.grad._data), _bits(expect_b))


def test_xlogy_number_other_gradient_matches_torch():
    c = api.tensor([0.0, 1.0, 0.0], requires_grad=True)
    for other, upstream, expect in ((0.0, [1.0, 1, 1], [0.0, -np.inf, 0.0]),
                                    (-1.0, [1.0, 1, 1], [0.0, np.nan, 0.0]),
                                    (2.5, [1.0, 1, 1], [np.log(2.5)] * 3),
                                    (2.5, [0.0, 0, 1], [0.0, 0.0, np.log(2.5)])):
        c.grad = None
        api.xlogy(c, other).backward(api.tensor(upstream))
        np.testing.assert_allclose(c.grad._data, np.array(expect, np.float32), rtol=1e-6)


def test_xlogy_double_backward_matches_torch():
    x = api.tensor([0.0, 1.5, 0.0], dtype=api.float64, requires_grad=True)
    y = api.tensor([2.0, 0.5, 3.0], dtype=api.float64, requires_grad=True)
    g, h = functional.grad(api.xlogy(x, y).sum(), (x, y), create_graph=True)
    gx, gy = functional.grad((g * api.tensor([1.0, 2.0, 3.0], dtype=api.float64)).sum()
                             + h.sum(), (x, y))
    # torch 2.13: (tensor([0.5000, 2.0000, 0.3333]), tensor([ 0.5000, -2.0000,  1.0000]))
    np.testing.assert_allclose(gx._data, [0.5, 2.0, 1 / 3], rtol=1e-12)
    np.testing.assert_allclose(gy._data, [0.5, -2.0, 1.0], rtol=1e-12)


def test_beta_log_prob_gradient_at_concentration_one_matches_torch():
    from adcli.engine.distributions import Beta
    a = api.tensor([1.0, 2.0], requires_grad=True)
    b = api.tensor([1.0, 1.0], requires_grad=True)
    Beta(a, b).log_prob(api.tensor([0.3, 0.6])).sum().backward()
    # torch 2.13: tensor([-0.2040, -0.0108]) tensor([0.6433, 0.5837])
    np.testing.assert_allclose(a.grad._data, [-0.2040, -0.0108], atol=1e-4)
    np.testing.assert_allclose(b.grad._data, [0.6433, 0.5837], atol=1e-4)


# ---- 5. atan2's gradient where self = other = 0: torch's atan2_backward masks the reciprocal
# of self*self + other*other to 0 there, grads 0. and -0. (torch 2.13) ----------------------

def test_atan2_gradient_at_origin_matches_torch():
    y = api.tensor([0.0, 0.0, 1.0, -0.0, 0.0], requires_grad=True)
    x = api.tensor([0.0, -0.0, 2.0, 0.0, 3.0], requires_grad=True)
    api.atan2(y, x).backward(api.ones(5))
    # torch: [0.0, -0.0, 0.4000000059604645, 0.0, 0.3333333432674408]
    #        [-0.0, -0.0, -0.20000000298023224, 0.0, -0.0]
    assert _bits(y.grad._data) == _bits(
        [0.0, -0.0, 0.4000000059604645, 0.0, 0.3333333432674408])
    assert _bits(x.grad._data) == _bits([-0.0, -0.0, -0.20000000298023224, 0.0, -0.0])


def test_atan2_double_backward_matches_torch():
    p = api.tensor([0.3, -1.2], dtype=api.float64, requires_grad=True)
    q = api.tensor([0.8, 0.4], dtype=api.float64, requires_grad=True)
    g, h = functional.grad(api.atan2(p, q).sum(), (p, q), create_graph=True)
    gp, gq = functional.grad(g.sum() + 2 * h.sum(), (p, q))
    # torch 2.13: (tensor([-2.9649,  1.3750]), tensor([ 0.7694, -0.2500]))
    np.testing.assert_allclose(gp._data, [-2.9649, 1.3750], atol=1e-4)
    np.testing.assert_allclose(gq._data, [0.7694, -0.2500], atol=1e-4)


# ---- 6. sum_threads: torch's intra-op threads (MKL's count) are capped at the physical cores.
# torch 2.13 on a 2-core machine: OMP_NUM_THREADS=3 or 8 -> get_num_threads() 2;
# OMP_NUM_THREADS=1 MKL_NUM_THREADS=5 -> 2; OMP_NUM_THREADS=2 MKL_NUM_THREADS=1 -> 1;
# unset -> 2, unset under taskset -c 0 -> 1; OMP_NUM_THREADS=3 under taskset -c 0 -> 2.

@pytest.mark.parametrize("env, affinity, expect", [
    ({"OMP_NUM_THREADS": "3"}, 2, 2), ({"OMP_NUM_THREADS": "8"}, 2, 2),
    ({"OMP_NUM_THREADS": "1"}, 2, 1),
    ({"OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "5"}, 2, 2),
    ({"OMP_NUM_THREADS": "2", "MKL_NUM_THREADS": "1"}, 2, 1),
    ({}, 2, 2), ({}, 1, 1), ({"OMP_NUM_THREADS": "3"}, 1, 2)])
def test_sum_threads_capped_at_physical_cores(monkeypatch, env, affinity, expect):
    from adcli.engine import cpu_kernels as K
    for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        monkeypatch.delenv(var, raising=False)
    for var, value in env.items():
        monkeypatch.setenv(var, value)
    monkeypatch.setattr(K, "_physical_cores", lambda: 2)
    monkeypatch.setattr(K.os, "sched_getaffinity", lambda pid: set(range(affinity)))
    old = K.SUM_THREADS[0]
    K.SUM_THREADS[0] = None
    try:
        assert K.sum_threads() == expect
    finally:
        K.SUM_THREADS[0] = old


# ---- 2. torch.cat's shape errors in torch's words (texts from torch 2.13 runs) ---------------
# (shapes.check_cat_shapes; api.cat still words them its own way until it calls it)

@pytest.mark.parametrize("shapes, dim, message", [
    ([(3, 4), (5, 6)], 0, "Sizes of tensors must match except in dimension 0. Expected size 4 "
                          "but got size 6 for tensor number 1 in the list."),
    ([(3, 2), (3,)], 1, "Tensors must have same number of dimensions: got 2 and 1"),
    ([(2, 3), (3,)], 0, "Tensors must have same number of dimensions: got 2 and 1"),
    ([(2, 3), (4, 3), (2, 5)], 0, "Sizes of tensors must match except in dimension 0. Expected "
                                  "size 3 but got size 5 for tensor number 2 in the list."),
    ([(0,), (2, 3), (2, 4)], 0, "Sizes of tensors must match except in dimension 0. Expected "
                                "size 3 but got size 4 for tensor number 2 in the list."),
    ([(0,), (2, 3), (3,)], 0, "Tensors must have same number of dimensions: got 2 and 1"),
    ([(2, 3, 4), (2, 5, 4)], -1, "Sizes of tensors must match except in dimension 2. Expected "
                                 "size 3 but got size 5 for tensor number 1 in the list."),
    ([(2, 3, 4), (3, 5, 4)], 1, "Sizes of tensors must match except in dimension 1. Expected "
                                "size 2 but got size 3 for tensor number 1 in the list."),
    ([(2, 3), ()], 0, "zero-dimensional tensor (at position 1) cannot be concatenated"),
])
def test_cat_shape_errors_in_torch_words(shapes, dim, message):
    from adcli.engine.ops.shapes import check_cat_shapes
    from adcli.errors import TorchRuntimeError
    with pytest.raises(TorchRuntimeError) as info:
        check_cat_shapes(shapes, dim)
    assert str(info.value) == message


def test_cat_shape_check_passes_and_normalizes():
    from adcli.engine.ops.shapes import check_cat_shapes
    from adcli.errors import TorchIndexError
    assert check_cat_shapes([(2, 3), (2, 5)], -1) == 1
    assert check_cat_shapes([(0,), (2, 3)], 0) == 0
    assert check_cat_shapes([(0,), (0,)], 0) == 0
    with pytest.raises(TorchIndexError, match=r"expected to be in range of \[-2, 1\], but got 2"):
        check_cat_shapes([(2, 3), (2, 3)], 2)

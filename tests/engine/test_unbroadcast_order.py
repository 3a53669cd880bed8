"""The gradient of a broadcast input is reduced in torch's summation order (its sum_to),
bit for bit: bias-style broadcasts over rows, contiguous and transposed gradients. Expected
bits recorded from torch 2.13 (float32 as uint32) with the same integer-derived inputs."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api

# (rows, cols) -> (grad of a (cols,) bias, grad of a (1, cols) bias from a transposed grad)
TORCH_BITS = {
    (7, 5): (
        [3188351144, 1094259905, 3228593848, 1090405681, 3236699056],
        [3188351104, 1094259906, 3228593845, 1090405680, 3236699056],
    ),
    (64, 17): (
        [3252626074, 3233468308, 3240950040, 3246164572, 1086891544, 1067847168, 3228253712,
         3238682838, 1096187024, 1090972472, 1079863238, 3217144576, 3234828608, 1098454210,
         3246618020, 1085531232, 1059458496],
        [3252626070, 3233468312, 3240950032, 3246164592, 1086891540, 1067847168, 3228253792,
         3238682848, 1096187016, 1090972462, 1079863249, 3217144432, 3234828608, 1098454208,
         3246618010, 1085531232, 1059458464],
    ),
    (100, 3): (
        [3250047140, 1068300704, 1103980474],
        [3250047140, 1068300752, 1103980483],
    ),
    (1000, 9): (
        [3243784004, 3243783992, 3243783995, 3243783994, 3243784004, 3243784009, 3243784010,
         3243784023, 3243784011],
        [3243784001, 3243783986, 3243783976, 3243784010, 3243784016, 3243783992, 3243784013,
         3243783986, 3243784014],
    ),
}


def _grad(n: int, m: int) -> np.ndarray:
    i = np.arange(n * m).reshape(n, m)
    return ((i * 7919 % 1000) - 500).astype(np.float32) / np.float32(37.0)


@pytest.mark.parametrize("shape", list(TORCH_BITS))
def test_broadcast_gradient_sums_in_torchs_order(shape):
    n, m = shape
    g = _grad(n, m)
    y = api.zeros(n, m, requires_grad=True)
    b = api.zeros(m, requires_grad=True)
    (y + b).backward(api.tensor(g))
    assert b.grad._data.view(np.uint32).tolist() == TORCH_BITS[shape][0]
    b2 = api.zeros(1, m, requires_grad=True)
    (y + b2).backward(api.tensor(np.ascontiguousarray(g.T)).t())
    assert b2.grad._data.view(np.uint32).reshape(-1).tolist() == TORCH_BITS[shape][1]


def test_the_reduce_probe_can_fail():
    """The probe's values depend on the order: numpy's pairwise sum along the fast axis
    (which the cascade never takes by reduce) gives other bits than adding in order."""
    from adcli.engine import sum_order

    assert sum_order._probe_reduce()
    rng = np.random.default_rng(1)
    x = (rng.standard_normal(300) * 10.0 ** rng.integers(-6, 7, 300)).astype(np.float32)
    in_order = x[0]
    for v in x[1:]:
        in_order = np.float32(in_order + v)
    assert np.add.reduce(x) != in_order


def test_reduce_is_not_taken_along_the_fast_axis():
    from adcli.engine import sum_order

    a = np.zeros((8, 4), np.float32)
    assert sum_order._outer(a, 0)
    assert not sum_order._outer(a, 1)
    assert sum_order._outer(a.T, 1) and not sum_order._outer(a.T, 0)  # by strides
    assert not sum_order._outer(np.zeros((8, 1), np.float32), 0)

"""relu / clamp / hardtanh compare as ATen's kernels do, ``x < lo ? lo : x``: a -0.0 input
beside a 0 bound stays -0.0, nan stays nan with its payload. adcli takes numpy's
maximum/minimum for this where a probe shows they keep x on a tie, else np.where; both
routes are checked bit for bit against the comparison itself, on arrays that vary."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra import numpy as hnp

from adcli.engine import api
from adcli.engine.ops import elementwise as E

SPECIAL = st.sampled_from([0.0, -0.0, float("nan"), -float("nan"), 1.5, -1.5, 3.0, -3.0])


@pytest.fixture(params=["probed", "where"])
def route(request, monkeypatch):
    if request.param == "where":
        monkeypatch.setattr(E, "_KEEPS_X", {np.dtype(np.float32): False,
                                            np.dtype(np.float64): False})
    return request.param


@settings(max_examples=60, deadline=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])  # route is fixed per test
@given(dtype=st.sampled_from([np.float32, np.float64]),
       data=st.data(), lo=st.sampled_from([0.0, -0.0, 1.0, -2.0]),
       step=st.sampled_from([1, 2, 3]))
def test_bounds_compare_as_aten(route, dtype, data, lo, step):
    x = data.draw(hnp.arrays(dtype, st.integers(0, 70), elements=SPECIAL))[::step]
    b = dtype(lo)
    assert E._at_least(x, b).tobytes() == np.where(x < b, b, x).tobytes()
    assert E._at_most(x, b).tobytes() == np.where(x > b, b, x).tobytes()


def test_relu_keeps_negative_zero_and_nan(route):
    # torch 2.13: torch.relu(torch.tensor([-0.0, -1.0, 2.0, nan])) -> tensor([-0., 0., 2., nan])
    out = api.relu(api.tensor([-0.0, -1.0, 2.0, float("nan")]))._data
    assert np.signbit(out[0]) and not np.signbit(out[1])
    assert out[2] == 2.0 and np.isnan(out[3])


def test_zero_dim_stays_an_array():
    out = E._at_least(np.asarray(-1.0, np.float32), np.float32(0))
    assert type(out) is np.ndarray and out.shape == () and out == 0


def test_nan_bound_leaves_x():
    x = np.array([1.0, -1.0], np.float32)
    nan = np.float32("nan")
    assert E._at_least(x, nan).tobytes() == x.tobytes()

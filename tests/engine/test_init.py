"""``torch.nn.init`` (adcli/engine/nn/init.py) against torch 2.13: every initialiser's
values as exact bit patterns after torch.manual_seed, the default generator's next draw
after it (so each consumed exactly torch's numbers), ``generator=``, non-contiguous
tensors, trunc_normal_'s two samplers, the layers' default initialisation (nn.Linear,
nn.Conv2d, nn.Embedding, nn.Bilinear) and torch's errors. The scenarios are in
tools/gen_data_init_fixtures.py; fixtures/data_init.json holds what torch gave (recorded
with torch 2.13.0+cpu, never with adcli). orthogonal_'s QR is numpy's, compared to
rounding."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine.nn import init
from adcli.errors import AdcliError

from .test_data import adcli_namespace, load_fixture, load_scenarios

EXPECTED = load_fixture()["init"]


@pytest.fixture(scope="module")
def results():
    from adcli.engine import tensor

    saved, tensor.emit_warning = tensor.emit_warning, lambda message: None
    try:
        return load_scenarios().init_scenarios(adcli_namespace())
    finally:
        tensor.emit_warning = saved


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED if not k.endswith("/approx")))
def test_as_torch(results, key):
    assert results[key] == EXPECTED[key]


@pytest.mark.parametrize("key", sorted(k for k in EXPECTED if k.endswith("/approx")))
def test_orthogonal_to_rounding(results, key):
    np.testing.assert_allclose(results[key], EXPECTED[key], rtol=0, atol=2e-6)


def test_every_scenario_is_recorded(results):
    assert sorted(results) == sorted(EXPECTED)


def test_in_place_under_no_grad_and_counted():
    w = api.empty(3, 4).requires_grad_(True)
    v = w._version
    out = init.kaiming_uniform_(w, a=5 ** 0.5)
    assert out is w and w.requires_grad and w.grad_fn is None and w._version == v + 1
    init.zeros_(w)
    assert w._version == v + 2 and not w._data.any()


def test_a_view_writes_through_to_its_base():
    base = api.zeros(4, 6)
    init.ones_(base[:, 2:4])
    assert base._data[:, 2:4].all() and base._data.sum() == 8
    api.manual_seed(0)
    init.uniform_(base.t()[1:3])
    assert (base._data[:, 1:3] != 1).all()


def test_zero_elements_warn(warnings_seen):
    t = api.empty(0, 3)
    assert init.kaiming_normal_(t) is t
    assert warnings_seen == ["Initializing zero-element tensors is a no-op"]


def test_trunc_normal_stays_in_its_interval():
    api.manual_seed(3)
    t = init.trunc_normal_(api.empty(1000), mean=0.5, std=1.0, a=0.0, b=0.25)
    assert t._data.min() >= 0.0 and t._data.max() <= 0.25


def test_not_a_tensor():
    with pytest.raises(AdcliError) as e:
        init.uniform_([1.0, 2.0])
    assert e.value.kind == "TypeError"


def test_members():
    assert set(init.MEMBERS) >= {
        "calculate_gain", "uniform_", "normal_", "constant_", "ones_", "zeros_", "eye_",
        "dirac_", "xavier_uniform_", "xavier_normal_", "kaiming_uniform_", "kaiming_normal_",
        "trunc_normal_", "orthogonal_", "sparse_"}

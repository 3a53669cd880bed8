"""``torch.utils.data`` (adcli/engine/data.py) against torch 2.13: the batches of seeded
DataLoaders (shuffled or not, drop_last, several epochs, a generator of their own), the
default generator's state after them, random_split, the samplers, default_collate's
structures, dtypes and values, and torch's errors. The scenarios are in
tools/gen_data_init_fixtures.py, run here on adcli's engine; fixtures/data_init.json holds
what torch gave for them (recorded with torch 2.13.0+cpu, never with adcli)."""

from __future__ import annotations

import importlib.util
import json
import os

import numpy as np
import pytest

from adcli.engine import api, data
from adcli.engine.nn import init
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FIXTURE = os.path.join(ROOT, "tests", "engine", "fixtures", "data_init.json")


def load_scenarios():
    """tools/gen_data_init_fixtures.py (it imports torch only in its main())."""
    path = os.path.join(ROOT, "tools", "gen_data_init_fixtures.py")
    spec = importlib.util.spec_from_file_location("gen_data_init_fixtures", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def load_fixture() -> dict:
    with open(FIXTURE, encoding="utf-8") as fh:
        return json.load(fh)


class _Members:
    def __init__(self, members: dict) -> None:
        self.__dict__.update(members)


def adcli_namespace():
    """The torch-like namespace the scenarios run on, made of adcli's engine."""

    class AdcliT:
        data = _Members(data.MEMBERS)
        init = _Members(init.MEMBERS)
        manual_seed = staticmethod(api.manual_seed)
        randn = staticmethod(api.randn)
        arange = staticmethod(api.arange)
        empty = staticmethod(api.empty)
        tensor = staticmethod(api.tensor)
        Generator = api.Generator
        float64 = api.float64
        int64 = api.int64

        @staticmethod
        def is_tensor(v):
            return isinstance(v, Tensor)

        @staticmethod
        def np(t):
            return np.ascontiguousarray(t._data)

        @staticmethod
        def dtype_name(t):
            return str(t.dtype)

        @staticmethod
        def error_kind(e):
            return e.kind if isinstance(e, AdcliError) else type(e).__name__

        @staticmethod
        def layer_linear(i, o, bias):
            w, b = api.empty(o, i), api.empty(o) if bias else None
            init.default_linear_init(w, b)
            return [w, b]

        @staticmethod
        def layer_conv2d(i, o, k, bias):
            w, b = api.empty(o, i, k, k), api.empty(o) if bias else None
            init.default_conv_init(w, b)
            return [w, b]

        @staticmethod
        def layer_embedding(n, d, pad):
            w = api.empty(n, d)
            init.default_embedding_init(w, pad)
            return [w]

        @staticmethod
        def layer_bilinear(i1, i2, o):
            w, b = api.empty(o, i1, i2), api.empty(o)
            init.default_bilinear_init(w, b)
            return [w, b]

    return AdcliT


@pytest.fixture(autouse=True)
def _quiet(monkeypatch):
    from adcli.engine import tensor

    monkeypatch.setattr(tensor, "emit_warning", lambda message: None)


@pytest.fixture(scope="module")
def results():
    from adcli.engine import tensor

    saved, tensor.emit_warning = tensor.emit_warning, lambda message: None
    try:
        return load_scenarios().run_data(adcli_namespace())
    finally:
        tensor.emit_warning = saved


EXPECTED = load_fixture()["data"]

@pytest.mark.parametrize("key", sorted(EXPECTED))
def test_as_torch(results, key):
    assert results[key] == EXPECTED[key]


def test_every_scenario_is_recorded(results):
    assert sorted(results) == sorted(EXPECTED)


def test_public_names_and_subclassing():
    for cls in (data.Dataset, data.IterableDataset, data.Sampler):
        assert cls.__adcli_subclassable__ is True
    for name, obj in data.MEMBERS.items():
        if isinstance(obj, type):
            assert isinstance(obj.__adcli_public__, frozenset), name
    loader = data.DataLoader(data.TensorDataset(api.arange(4)), batch_size=2)
    for attr in data.DataLoader.__adcli_public__:
        getattr(loader, attr)
    assert repr(data.DataLoader).startswith("<class 'torch.utils.data.dataloader.DataLoader")


def test_a_warning_for_an_empty_split(warnings_seen):
    parts = data.random_split(data.TensorDataset(api.arange(2)), [0.9, 0.1])
    assert [len(p) for p in parts] == [2, 0]
    assert warnings_seen == ["Length of split at index 1 is 0. This might result in an "
                             "empty dataset."]


def test_the_base_dataset_refuses_getitem():
    with pytest.raises(AdcliError) as e:
        data.Dataset()[0]
    assert e.value.kind == "NotImplementedError"

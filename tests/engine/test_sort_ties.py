"""torch.sort / argsort order ties as torch 2.13's std::sort does (not stably) once a row
has more than 16 elements; stable=True keeps them in order. Expected orders recorded from
torch 2.13 (fixtures/sort_ties.json: ties, NaNs, descending, 2-D along each dim)."""

from __future__ import annotations

import json
import os

import numpy as np
import pytest

from adcli.engine import api

CASES = json.loads(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures",
                                     "sort_ties.json"), encoding="utf-8").read())


@pytest.mark.parametrize("case", [c for c in CASES if "x" in c],
                         ids=lambda c: f"n{len(c['x'])}")
def test_1d_orders_are_torchs(case):
    x = api.tensor([float(v) for v in case["x"]])
    assert api.argsort(x).tolist() == case["asc"]
    assert api.argsort(x, descending=True).tolist() == case["desc"]
    assert api.sort(x).indices.tolist() == case["asc"]


def test_2d_orders_along_each_dim_are_torchs():
    case = next(c for c in CASES if "x2d" in c)
    x = api.tensor(case["x2d"])
    assert api.argsort(x, dim=0).tolist() == case["dim0"]
    assert api.argsort(x, dim=1, descending=True).tolist() == case["dim1_desc"]


def test_stable_keeps_ties_in_order():
    x = api.zeros(20)
    assert api.sort(x, stable=True).indices.tolist() == list(range(20))
    assert api.argsort(x).tolist()[:3] == [10, 19, 18]  # torch 2.13's std::sort


def test_values_are_sorted_whatever_the_tie_order():
    x = api.tensor(np.random.default_rng(0).integers(0, 4, 500).astype(np.float32))
    values, indices = api.sort(x)
    assert np.array_equal(values._data, np.sort(x._data))
    assert np.array_equal(x._data[indices._data], values._data)

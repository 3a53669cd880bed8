"""topk, kthvalue, mode and nanmedian pick among equal values (and NaNs) as torch 2.13's
CPU kernels do: topk by libstdc++'s partial_sort / nth_element + sort, kthvalue by ATen's
quick select, mode by std::sort of (value, index) pairs, nanmedian of an all-NaN slice
where nth_element leaves it. The expected indices (fixtures/topk_ties.json) were printed
by torch 2.13.0+cpu, never by adcli."""

from __future__ import annotations

import json
import os

import pytest

from adcli.engine import api

FIXTURE = json.load(open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures",
                                      "topk_ties.json"), encoding="utf-8"))
ROWS = FIXTURE["rows"]


def _tensor(row):
    return api.tensor([float("nan") if v is None else v for v in row["x"]])


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"n{len(r['x'])}")
def test_topk_indices_are_torchs(row):
    x = _tensor(row)
    for k, largest, sorted_, want in row["topk"]:
        got = api.topk(x, k, largest=bool(largest), sorted=bool(sorted_)).indices.tolist()
        assert got == want, (k, largest, sorted_)


@pytest.mark.parametrize("row", ROWS, ids=lambda r: f"n{len(r['x'])}")
def test_kthvalue_mode_nanmedian_indices_are_torchs(row):
    x = _tensor(row)
    for k, want in row["kthvalue"]:
        assert api.kthvalue(x, k).indices.item() == want, k
    assert api.mode(x).indices.item() == row["mode"]
    assert api.nanmedian(x, 0).indices.item() == row["nanmedian"]


def test_all_nan_nanmedian_index_is_torchs():
    for n, want in enumerate(FIXTURE["all_nan_nanmedian"], start=1):
        assert api.nanmedian(api.full((n,), float("nan")), 0).indices.item() == want, n


def test_topk_along_a_dim_with_ties():
    # torch 2.13: torch.topk(y, 2, dim=1) and largest=False, printed
    y = api.tensor([[2., 2., 1., 2.], [0., 5., 5., 0.]])
    assert api.topk(y, 2, dim=1).indices.tolist() == [[1, 3], [1, 2]]
    assert api.topk(y, 2, dim=1, largest=False).indices.tolist() == [[2, 3], [3, 0]]
    assert api.topk(y, 1, dim=0).indices.tolist() == [[0, 1, 1, 0]]
    i = api.tensor([3, 1, 3, 2, 3])
    assert api.topk(i, 2).indices.tolist() == [2, 4]
    assert api.topk(i, 3, largest=False).indices.tolist() == [1, 3, 0]

"""bench/python_floor.py's tapes with torch's bits must do adcli's work: the same bits.

docs/performance.md quotes those tapes as the floor of a Python engine that returns what
torch returns; the claim holds only while they compute exactly what adcli computes."""

from __future__ import annotations

import os
import sys
from types import SimpleNamespace

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "bench"))

import python_floor as pf  # noqa: E402
from bench_engine import small_graph  # noqa: E402

from adcli.engine import api  # noqa: E402
from adcli.engine.nn.namespace import NN_MEMBERS  # noqa: E402
from adcli.engine.optim.sgd import SGD  # noqa: E402


def test_small_graph_tape_has_adclis_bits():
    assert np.array_equal(small_graph(api)._data, pf.small_tape_exact())


def test_mlp_tape_has_adclis_bits():
    nn = SimpleNamespace(**NN_MEMBERS)
    api.manual_seed(0)
    x, y = api.randn(64, 10), api.randn(64, 1)
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 1))
    init = (x._data.copy(), y._data.copy(),
            [(m.weight._data.copy(), m.bias._data.copy()) for m in (model[0], model[2],
                                                                    model[4])])
    loss_fn, opt = nn.MSELoss(), SGD(model.parameters(), lr=0.01)
    for _ in range(25):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    assert loss.item() == pf.mlp_tape_exact(25, init)

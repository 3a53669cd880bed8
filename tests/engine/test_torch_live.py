"""Against a live PyTorch 2.13 (skipped without it): the recorded goldens are current, and
random elementwise/reduction chains agree with torch in values, grads and grad_fn names."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import numpy as np
import pytest

from adcli.engine import api

from .test_goldens import DOC

pytestmark = pytest.mark.torch


def test_goldens_are_current(tmp_path):
    pytest.importorskip("torch")
    path = Path(__file__).resolve().parents[2] / "tools" / "gen_engine_goldens.py"
    spec = importlib.util.spec_from_file_location("gen_engine_goldens", path)
    gen_engine_goldens = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(gen_engine_goldens)
    out = tmp_path / "goldens.json"
    gen_engine_goldens.main(out)
    fresh = json.loads(out.read_text())
    assert fresh["cases"] == DOC["cases"] and fresh["scripts"] == DOC["scripts"], (
        "tests/engine/fixtures/engine_goldens.json is stale: run tools/gen_engine_goldens.py")


UNARY = ["exp", "sin", "cos", "tanh", "sigmoid", "relu", "abs", "neg", "square", "atan",
         "sinh", "softplus"]
REDUCE = ["sum", "mean", "amax", "norm", "logsumexp", "std", "prod"]


@pytest.mark.parametrize("seed", range(20))
def test_random_chains_match_torch(seed):
    torch = pytest.importorskip("torch")
    import torch.nn.functional as tF

    from adcli.engine import nn_functional as aF

    rng = np.random.default_rng(seed)
    shape = tuple(rng.integers(1, 4, rng.integers(1, 4)))
    data = rng.standard_normal(shape).astype(np.float32)
    w = rng.standard_normal(shape[-1:]).astype(np.float32)
    ops = [str(o) for o in rng.choice(UNARY, 4)]
    red = str(rng.choice(REDUCE))

    def run(lib, F):
        x = lib.tensor(data.tolist(), requires_grad=True)
        v = lib.tensor(w.tolist(), requires_grad=True)
        y = x * v + 0.5
        names = []
        for op in ops:
            y = F.softplus(y) if op == "softplus" else getattr(y, op)()
            names.append(type(y.grad_fn).__name__)
        out = getattr(y, red)(-1) if red != "norm" else y.norm(dim=-1)
        names.append(type(out.grad_fn).__name__)
        out.sum().backward()
        return out.detach().numpy(), x.grad.numpy(), v.grad.numpy(), names

    mine = run(api, aF)
    theirs = run(torch, tF)
    assert mine[3] == theirs[3]
    for a, b in zip(mine[:3], theirs[:3]):
        np.testing.assert_allclose(a, b, rtol=2e-4, atol=1e-5)

"""asinh, acosh, atanh (and their arc* aliases, in-place forms): values, grad_fn names,
gradients, double backward and the domain's edges, as torch 2.13 printed them for the
same script (fixtures/inverse_hyperbolic.out), and gradients against finite differences."""

from __future__ import annotations

import os

import numpy as np
import pytest

from adcli.engine import api
from adcli.lang.interpreter import Session

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def _fixture(name: str) -> str:
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as fh:
        return fh.read()


def test_prints_what_torch_prints():
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(
        _fixture("inverse_hyperbolic.src"), filename="prog.py")
    assert "".join(out) == _fixture("inverse_hyperbolic.out")


@pytest.mark.parametrize("name,lo,hi", [("asinh", -3, 3), ("acosh", 1.1, 5), ("atanh", -0.9, 0.9)])
def test_gradient_against_finite_differences(name, lo, hi):
    xs = np.linspace(lo, hi, 7)
    x = api.tensor(xs, dtype=api.float64, requires_grad=True)
    getattr(api, name)(x).sum().backward()
    f = getattr(np, "arc" + name[1:])
    eps = 1e-6
    fd = (f(xs + eps) - f(xs - eps)) / (2 * eps)
    np.testing.assert_allclose(x.grad._data, fd, rtol=1e-7, atol=1e-9)


def test_nanmedian_prints_what_torch_prints():
    """nanmedian skips NaNs (NanmedianBackward0/1, torch.return_types.nanmedian); the
    index of an all-NaN slice is not covered (torch's depends on its nth_element)."""
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(_fixture("nanmedian.src"),
                                                      filename="prog.py")
    assert "".join(out) == _fixture("nanmedian.out")

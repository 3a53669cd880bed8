"""torch.nn.utils.parametrizations.orthogonal against torch 2.13.0+cpu: what a script
prints (the module, weights, originals, bases, gradients, state_dict keys, errors) and the
values to float32 precision. Every expected text and number (``fixtures/orthogonal*.out``)
was printed by torch (PYTHONHASHSEED=0, OMP_NUM_THREADS=1), never by adcli. torch runs its
QR (geqrf/orgqr) in float32 through MKL and adcli through numpy's LAPACK in float64, so
values agree to a few float32 ulps, not always to the last bit; the random stream (the
randn columns that complete a rectangular weight) is the same draw for draw."""

from __future__ import annotations

import ast
import os

import numpy as np
import pytest

from adcli.engine import api
from adcli.lang.interpreter import Session


@pytest.fixture(autouse=True)
def _fresh_state():
    api.reset_state()
    yield
    api.reset_state()


def _run(source: str) -> str:
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(source, filename="prog.py")
    return "".join(out)


FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


def _fixture(name: str) -> str:
    with open(os.path.join(FIXTURES, name), encoding="utf-8") as fh:
        return fh.read()


def test_a_script_prints_what_torch_printed():
    # orthogonal.out: torch 2.13's output for orthogonal.src
    assert _run(_fixture("orthogonal.src")) == _fixture("orthogonal.out")


def test_batches_buffers_conv_double_removal_and_assignment_print_as_torch():
    assert _run(_fixture("orthogonal_more.src")) == _fixture("orthogonal_more.out")


def test_values_and_gradients_match_torch_to_float32_precision():
    # orthogonal_values.out: torch 2.13's output for orthogonal_values.src (full floats).
    # A few float32 ulps: torch's QR and Householder product are LAPACK's, adcli's are
    # numpy's (float64, rounded) and small exact products (2.15e-6 at most, measured)
    lines = _run(_fixture("orthogonal_values.src")).splitlines()
    want = _fixture("orthogonal_values.out").splitlines()
    for got, ref in zip(lines[:4], want[:4]):
        np.testing.assert_allclose(np.array(ast.literal_eval(got)),
                                   np.array(ast.literal_eval(ref)), rtol=0, atol=3e-6)
    # the random stream after registration (randn columns drawn for the 6x3 weight) is
    # torch's: the next draw agrees to the bit
    assert lines[4] == want[4]


def test_the_weight_stays_orthogonal_while_training():
    out = _run("""import torch
import torch.nn as nn
from torch.nn.utils.parametrizations import orthogonal
torch.manual_seed(0)
for shape in [(6, 6), (3, 7), (7, 3)]:
    m = orthogonal(nn.Linear(shape[1], shape[0]))
    opt = torch.optim.Adam(m.parameters(), lr=0.1)
    x = torch.randn(8, shape[1])
    for _ in range(20):
        opt.zero_grad()
        (m(x) - 1).pow(2).mean().backward()
        opt.step()
    w = m.weight if shape[0] >= shape[1] else m.weight.T
    print(torch.allclose(w.T @ w, torch.eye(w.shape[1]), atol=1e-5))
""")
    assert out == "True\nTrue\nTrue\n"

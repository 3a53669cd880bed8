"""torch.poisson, the Poisson distribution's sampling and PoissonBackward0, against torch 2.13.

Every expected value below was printed by torch 2.13.0+cpu (PYTHONHASHSEED=0,
OMP_NUM_THREADS=1), never by adcli: ATen's sample_poisson on the mt19937 stream, rates
below 10 (product of uniforms) and from 10 up (Hoermann's transformed rejection)."""

from __future__ import annotations

import hashlib

import numpy as np
import pytest

from adcli.engine import api
from adcli.engine.torch_random import TorchGenerator
from adcli.lang.interpreter import Session


@pytest.fixture(autouse=True)
def _fresh_state():
    api.reset_state()
    yield
    api.reset_state()


def test_counts_and_the_stream_position_match_torch():
    g = TorchGenerator().manual_seed(1234)
    counts = g.poisson(np.linspace(0, 60, 121, dtype=np.float32))
    assert counts.tolist() == [
        0, 0, 0, 1, 1, 1, 3, 4, 4, 2, 2, 8, 6, 5, 5, 11, 12, 15, 7, 9, 9, 20, 10, 5, 5, 14,
        11, 19, 14, 16, 20, 16, 16, 19, 13, 19, 23, 19, 13, 21, 23, 17, 24, 24, 17, 25, 21,
        14, 22, 25, 23, 25, 27, 20, 27, 32, 30, 33, 18, 20, 23, 37, 29, 31, 32, 39, 29, 43,
        25, 27, 27, 48, 30, 38, 36, 30, 31, 36, 29, 36, 43, 41, 39, 39, 35, 44, 39, 32, 48,
        40, 46, 47, 54, 53, 47, 56, 54, 59, 44, 60, 52, 48, 42, 47, 60, 58, 48, 53, 54, 57,
        46, 49, 49, 52, 73, 60, 51, 64, 77, 60, 59]
    # torch.get_rng_state() afterwards: the same number of draws was consumed
    assert hashlib.sha256(g.get_state().tobytes()).hexdigest() == (
        "51aee7192df9aa7faeb17bbf08afaa56c418250bf88a97c5855bdc310a7a460c")


def test_twenty_thousand_float64_draws_match_torch():
    g = TorchGenerator().manual_seed(99)
    big = g.poisson(np.arange(20000, dtype=np.float64) % 250 * 0.37).astype(np.float64)
    assert int(big.sum()) == 923146
    assert hashlib.sha256(big.tobytes()).hexdigest() == (
        "7d3b645d69c9d6220a222f695cb6519cdafb75f5ec90b58b8b5cfb65d54027a2")


def test_an_infinite_rate_gives_int64_min_as_torch():
    g = TorchGenerator().manual_seed(3)
    assert g.poisson(np.array([np.inf, 5.0], np.float32)).astype(np.float32).tolist() == [
        -9.223372036854776e+18, 6.0]


PROGRAM = '''\
import torch
from torch.distributions import Poisson, kl_divergence
torch.manual_seed(0)
rates = torch.tensor([0.0, 0.3, 2.5, 9.99, 10.0, 37.5, 1234.5, 1e6], requires_grad=True)
counts = torch.poisson(rates)
print(counts.tolist())
print(counts.grad_fn.name(), counts.dtype)
counts.sum().backward()
print(rates.grad.tolist())
print(torch.poisson(torch.full((2, 3), 4.0, dtype=torch.float64)).tolist())
g = torch.Generator().manual_seed(5)
print(torch.poisson(torch.tensor([3.0, 30.0]), generator=g).tolist())
print(torch.rand(2).tolist())
d = Poisson(torch.tensor([1.5, 20.0]))
print(d, d.sample((3,)).tolist())
print(d.log_prob(torch.tensor([2.0, 18.0])).tolist())
print(kl_divergence(Poisson(torch.tensor([1.5, 20.0], dtype=torch.float64)), \
Poisson(torch.tensor([2.0, 25.0], dtype=torch.float64))).tolist())
for bad in (torch.tensor([1.0, -0.5]), torch.tensor([1, 2]), 3.0):
    try:
        torch.poisson(bad)
    except Exception as e:
        print(type(e).__name__, e)
'''

TORCH_PRINTED = '''\
[0.0, 1.0, 4.0, 10.0, 7.0, 29.0, 1205.0, 1000248.0]
PoissonBackward0 torch.float32
[0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0, 0.0]
[[4.0, 5.0, 2.0], [5.0, 7.0, 2.0]]
[3.0, 26.0]
[0.572950541973114, 0.6185871362686157]
Poisson(rate: torch.Size([2])) [[1.0, 21.0], [2.0, 24.0], [1.0, 16.0]]
[-1.3822169303894043, -2.4722671508789062]
[0.06847689132232865, 0.5371289737158058]
RuntimeError invalid Poisson rate, expected rate to be non-negative
NotImplementedError "poisson_cpu" not implemented for 'Long'
TypeError poisson(): argument 'input' (position 1) must be Tensor, not float
'''


def test_a_script_prints_what_torch_printed():
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    assert "".join(out) == TORCH_PRINTED

"""torch's random streams through the API: manual_seed, randn/rand/randint/randperm,
normal_/uniform_, torch.Generator, initial_seed and get/set_rng_state print what torch
2.13 prints. fixtures/torch_rng_api.src is the program, fixtures/torch_rng_api.out what
torch printed for it (recorded with torch 2.13.0+cpu, never with adcli)."""

from __future__ import annotations

import os

import pytest

from adcli.engine import api
from adcli.lang.interpreter import Session

FIXTURES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fixtures")


@pytest.fixture(autouse=True)
def _fresh_state():
    api.reset_state()
    yield
    api.reset_state()


def test_the_api_draws_torchs_numbers():
    with open(os.path.join(FIXTURES, "torch_rng_api.src"), encoding="utf-8") as fh:
        source = fh.read()
    with open(os.path.join(FIXTURES, "torch_rng_api.out"), encoding="utf-8") as fh:
        expected = fh.read()
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(source, filename="prog.py")
    assert "".join(out) == expected


def test_a_generator_object_is_its_own_stream():
    g = api.Generator().manual_seed(7)
    h = api.Generator().manual_seed(7)
    api.manual_seed(1)
    a = api.randn(5, generator=g)
    api.randn(3)  # the default stream moves; g's does not
    b = api.randn(5, generator=h)
    assert a._data.tobytes() == b._data.tobytes()
    assert g.initial_seed() == 7 and api.initial_seed() == 1


def test_manual_seed_refuses_what_torch_refuses():
    from adcli.errors import AdcliError

    for bad in (1.5, "3", True):
        with pytest.raises(AdcliError):
            api.manual_seed(bad)

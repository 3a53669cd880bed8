"""torch.device, torch.cuda, torch.backends.mps, torch.accelerator, .to(), .cpu(), .cuda(),
``device=`` and set_default_device, as torch 2.13's CPU build has them (messages word for
word).

Each program runs in adcli's Python dialect and must print exactly what CPython and
PyTorch 2.13 (CPU build) printed for it: the program is fixtures/torch_devices.src, and
fixtures/torch_devices.out is torch's output, recorded with /work/torchenv/bin/python
(torch 2.13.0+cpu) and never with adcli.
"""

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


def run_py(source: str) -> str:
    out: list[str] = []
    Session(dialect="py", out=out.append).exec_source(source, filename="prog.py")
    return "".join(out)


def fixture(name: str) -> tuple[str, str]:
    with open(os.path.join(FIXTURES, name + ".src"), encoding="utf-8") as fh:
        source = fh.read()
    with open(os.path.join(FIXTURES, name + ".out"), encoding="utf-8") as fh:
        return source, fh.read()


def test_devices_print_and_raise_as_torch_cpu_build():
    source, torch_output = fixture("torch_devices")
    assert run_py(source) == torch_output


def test_device_objects():
    d = api.device("cuda", 1)
    assert (repr(d), str(d), d.type, d.index) == ("device(type='cuda', index=1)", "cuda:1",
                                                  "cuda", 1)
    assert api.device(d) == d and hash(api.device("cpu")) == hash(api.device("cpu"))
    assert api.device("cpu") != "cpu"  # torch: a device never equals a string
    assert {api.device("cpu"): 1}[api.device("cpu")] == 1


def test_cuda_error_is_an_assertion_error_as_in_torch():
    with pytest.raises(AssertionError, match="^Torch not compiled with CUDA enabled$"):
        api.ones(1).cuda()

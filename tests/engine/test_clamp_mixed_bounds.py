"""clamp with a 0-d tensor bound and a number one: torch's parser takes the 0-d tensor as a
number (ClampBackward1), as torch 2.13.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
x = torch.tensor([0.5, 1.5, 2.5], requires_grad=True)
y = x.clamp(min=torch.tensor(1.0), max=2)
print(y, y.dtype)
y.sum().backward()
print(x.grad)
z = torch.clamp(torch.arange(4), min=1, max=torch.tensor(2))
print(z)
r = torch.clamp(torch.arange(4.), min=torch.tensor(1.5), max=2)
print(r, r.dtype)
"""

TORCH_PRINTED = """\
tensor([1.0000, 1.5000, 2.0000], grad_fn=<ClampBackward1>) torch.float32
tensor([0., 1., 0.])
tensor([1, 1, 2, 2])
tensor([1.5000, 1.5000, 2.0000, 2.0000]) torch.float32
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED

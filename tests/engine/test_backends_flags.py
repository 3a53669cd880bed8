# ruff: noqa: E501 - torch scripts, verbatim
"""torch.backends.cudnn / .cuda.matmul / .mkldnn / .openmp as torch 2.13's CPU build has
them: the flags a seed helper reads and sets (cudnn.deterministic = True, benchmark =
False), import torch.backends.cudnn as cudnn.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api, devices
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
import torch.backends.cudnn as cudnn
c = torch.backends.cudnn
print(c.enabled, c.deterministic, c.benchmark, c.allow_tf32, c.is_available(), c.version(), c.benchmark_limit)
c.deterministic = True
cudnn.benchmark = True
print(c.deterministic, torch.backends.cudnn.benchmark)
torch.backends.cuda.matmul.allow_tf32 = True
print(torch.backends.mps.is_available(), torch.backends.cuda.matmul.allow_tf32)
print(torch.backends.cuda.is_built(), torch.backends.mkldnn.is_available(), torch.backends.openmp.is_available())
from torch.backends import cudnn as cd
print(cd.enabled)
"""

TORCH_PRINTED = """\
True False False True False None None
True True
False True
False True True
True
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    matmul = devices.BACKENDS_CUDA_MEMBERS["matmul"]
    saved = dict(vars(devices.CUDNN)), dict(vars(matmul))
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
        vars(devices.CUDNN).update(saved[0])
        vars(matmul).update(saved[1])
    assert "".join(out) == TORCH_PRINTED

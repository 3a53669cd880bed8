# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""torch.argwhere (and nonzero of a 0-d tensor: a row of no indices when it is nonzero),
and torch.tensor of a list of numpy arrays: stacked, their dtypes promoted as torch
promotes tensors', torch's warning once a program, its ragged-data error.

The expected output and stderr were printed by torch 2.13.0+cpu running PROGRAM, never
by adcli."""

from __future__ import annotations

from click.testing import CliRunner

from adcli.cli.main import cli

PROGRAM = '''\
import numpy as np
import torch
print(torch.argwhere(torch.tensor([0, 1, 2])))
print(torch.argwhere(torch.tensor([[1.0, 0.0], [0.0, 3.0]])))
print(torch.tensor([[0, 1], [1, 1]]).argwhere())
print(torch.argwhere(torch.tensor(5)), torch.argwhere(torch.tensor(0)))
print(torch.tensor([np.array([1, 2]), np.array([3, 4])]))
print(torch.tensor([np.array([1.5, 2.0]), np.array([3.0, 4.0])]).dtype)
print(torch.tensor([np.float32(1.5), np.float32(2.0)]).dtype)
a = torch.tensor([np.array([1, 2]), np.array([3, 4])])
b = torch.tensor([np.array([1, 2]), np.array([3, 4])])
print(torch.tensor([np.array([1, 2], dtype=np.int64), np.array([3.5, 4], dtype=np.float32)]).dtype)
print(torch.tensor((np.array([1.0]), np.array([2.0]))).dtype)
try:
    torch.tensor([np.array([1, 2]), np.array([3, 4, 5])])
except Exception as e:
    print(type(e).__name__, e)
'''

TORCH_PRINTED = """\
tensor([[1],
        [2]])
tensor([[0, 0],
        [1, 1]])
tensor([[0, 1],
        [1, 0],
        [1, 1]])
tensor([], size=(1, 0), dtype=torch.int64) tensor([], size=(0, 0), dtype=torch.int64)
tensor([[1, 2],
        [3, 4]])
torch.float64
torch.float32
torch.float32
torch.float64
ValueError expected sequence of length 2 at dim 1 (got 3)
"""

TORCH_WARNED = """\
{path}:7: UserWarning: Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider converting the list to a single numpy.ndarray with numpy.array() before converting to a tensor. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/tensor_new.cpp:252.)
  print(torch.tensor([np.array([1, 2]), np.array([3, 4])]))
"""


def test_the_program_prints_and_warns_what_torch_does(tmp_path):
    path = tmp_path / "awla.py"
    path.write_text(PROGRAM)
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0
    assert r.stdout == TORCH_PRINTED
    assert r.stderr == TORCH_WARNED.format(path=path)

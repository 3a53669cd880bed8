"""torch.cross without dim: torch 2.13's deprecation warning (a TORCH_WARN_ONCE, so once
per program, at the script's first such call), the method included; with a dim, or through
torch.linalg.cross, none. The expected stderr was printed by torch 2.13.0+cpu."""

from __future__ import annotations

from click.testing import CliRunner

from adcli.cli.main import cli

PROGRAM = """\
import torch
a = torch.tensor([[0., 1., 0.], [1., 0., 0.]])
b = torch.tensor([[1., 0., 0.], [0., 1., 0.]])
print(torch.cross(a, b))
print(torch.cross(a, b, dim=1))
print(a.cross(b))
print(torch.linalg.cross(a, b))
"""

WHY = ("UserWarning: Using torch.cross without specifying the dim arg is deprecated.\n"
       "Please either pass the dim explicitly or simply use torch.linalg.cross.\n"
       "The default value of dim will change to agree with that of linalg.cross in a future "
       "release. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
       "Cross.cpp:63.)\n")


def test_cross_without_dim_warns_once(tmp_path):
    path = tmp_path / "cross.py"
    path.write_text(PROGRAM)
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0
    assert r.stdout == ("tensor([[ 0.,  0., -1.],\n        [ 0.,  0.,  1.]])\n" * 4)
    assert r.stderr == f"{path}:4: {WHY}  print(torch.cross(a, b))\n"

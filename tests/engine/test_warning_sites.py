# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""A warning raised inside a torch module's forward is reported at torch's own line
(``torch/nn/modules/loss.py:630`` for MSELoss's target-size warning, ``dropout.py:176``,
``module.py:1778`` for the softmax modules' implicit dim), as Python names the frame of
torch's module code; the same call through ``F`` names the script's line.

The expected output and stderr were printed by torch 2.13.0+cpu running PROGRAM (its
site-packages path cut to ``torch/...``), never by adcli."""

from __future__ import annotations

from click.testing import CliRunner

from adcli.cli.main import cli

PROGRAM = '''\
import torch
import torch.nn as nn
import torch.nn.functional as F
torch.manual_seed(0)
crit = nn.MSELoss()
print(crit(torch.ones(4, 1), torch.zeros(4)))
print(F.mse_loss(torch.ones(4, 1), torch.zeros(4)))
print(nn.Dropout2d(0.5)(torch.ones(1, 4)).shape)
print(nn.L1Loss()(torch.ones(4, 1), torch.zeros(4)))
print(nn.SmoothL1Loss()(torch.ones(4, 1), torch.zeros(4)))
print(nn.Softmax()(torch.ones(2, 2)))
print(nn.LogSoftmax()(torch.ones(2, 2)))
print(F.softmax(torch.ones(2, 2)))
'''

TORCH_PRINTED = """\
tensor(1.)
tensor(1.)
torch.Size([1, 4])
tensor(1.)
tensor(0.5000)
tensor([[0.5000, 0.5000],
        [0.5000, 0.5000]])
tensor([[-0.6931, -0.6931],
        [-0.6931, -0.6931]])
tensor([[0.5000, 0.5000],
        [0.5000, 0.5000]])
"""

TORCH_WARNED = """\
torch/nn/modules/loss.py:630: UserWarning: Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.
  return F.mse_loss(input, target, reduction=self.reduction)
{path}:7: UserWarning: Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.
  print(F.mse_loss(torch.ones(4, 1), torch.zeros(4)))
torch/nn/modules/dropout.py:176: UserWarning: dropout2d: Received a 2-D input to dropout2d, which is deprecated and will result in an error in a future release. To retain the behavior and silence this warning, please use dropout instead. Note that dropout2d exists to provide channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).
  return F.dropout2d(input, self.p, self.training, self.inplace)
torch/nn/modules/loss.py:133: UserWarning: Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.
  return F.l1_loss(input, target, reduction=self.reduction)
torch/nn/modules/loss.py:1078: UserWarning: Using a target size (torch.Size([4])) that is different to the input size (torch.Size([4, 1])). This will likely lead to incorrect results due to broadcasting. Please ensure they have the same size.
  return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)
torch/nn/modules/module.py:1778: UserWarning: Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.
  return self._call_impl(*args, **kwargs)
torch/nn/modules/module.py:1778: UserWarning: Implicit dimension choice for log_softmax has been deprecated. Change the call to include dim=X as an argument.
  return self._call_impl(*args, **kwargs)
{path}:13: UserWarning: Implicit dimension choice for softmax has been deprecated. Change the call to include dim=X as an argument.
  print(F.softmax(torch.ones(2, 2)))
"""


def test_warnings_name_torchs_line_inside_its_modules(tmp_path):
    path = tmp_path / "ws.py"
    path.write_text(PROGRAM)
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0
    assert r.stdout == TORCH_PRINTED
    assert r.stderr == TORCH_WARNED.format(path=path)


def test_a_scripts_own_forward_keeps_the_scripts_line(tmp_path):
    # a subclass that overrides forward is the script's code: its F call warns there
    path = tmp_path / "mine.py"
    path.write_text("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
                    "class Mine(nn.MSELoss):\n"
                    "    def forward(self, a, b):\n"
                    "        return F.mse_loss(a, b)\n"
                    "class Same(nn.MSELoss):\n"
                    "    pass\n"
                    "print(Mine()(torch.ones(2, 1), torch.zeros(2)))\n"
                    "print(Same()(torch.ones(3, 1), torch.zeros(3)))\n")
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    lines = r.stderr.splitlines()
    assert lines[0].startswith(f"{path}:6: UserWarning: Using a target size")
    assert lines[1] == "  return F.mse_loss(a, b)"
    assert lines[2].startswith("torch/nn/modules/loss.py:630: UserWarning: Using a target size")

# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""The legacy ``size_average``/``reduce`` arguments of the losses, modules and functions:
the reduction they choose (F.mse_loss ignored them) and torch's deprecation warning, at the
line of torch's own code that Python reports (once per line and message).

The expected output and warnings were printed by torch 2.13.0+cpu running PROGRAM (its
site-packages path cut to ``torch/...``), never by adcli."""

from __future__ import annotations

from click.testing import CliRunner

from adcli.cli.main import cli

PROGRAM = '''\
import torch
import torch.nn as nn
import torch.nn.functional as F
a = torch.tensor([1.0, 2.0]); b = torch.tensor([0.0, 0.0])
print(nn.MSELoss(size_average=False)(a, b))
print(nn.MSELoss(reduce=False)(a, b))
print(nn.L1Loss(size_average=True)(a, b))
print(F.mse_loss(a, b, size_average=False))
print(F.l1_loss(a, b, reduce=False))
print(nn.CrossEntropyLoss(size_average=False)(torch.tensor([[1.0, 2.0]]), torch.tensor([1])))
print(nn.BCELoss(reduce=False)(torch.tensor([0.5]), torch.tensor([1.0])))
print(F.binary_cross_entropy(torch.tensor([0.5]), torch.tensor([1.0]), size_average=False))
print(F.kl_div(torch.tensor([-1.0]), torch.tensor([0.5]), size_average=False))
print(nn.MarginRankingLoss(size_average=False)(torch.tensor([1.0]), torch.tensor([2.0]), torch.tensor([1.0])))
print(F.cross_entropy(torch.tensor([[1.0, 2.0]]), torch.tensor([1]), reduce=False))
print(nn.TripletMarginLoss(size_average=False)(torch.ones(1, 2), torch.zeros(1, 2), torch.ones(1, 2)))
try:
    F.mse_loss(a, b, reduction="foo")
except ValueError as e:
    print("VE", e)
'''

TORCH_PRINTED = """\
tensor(5.)
tensor([1., 4.])
tensor(1.5000)
tensor(5.)
tensor([1., 2.])
tensor(0.3133)
tensor([0.6931])
tensor(0.6931)
tensor(0.1534)
tensor(1.)
tensor([0.3133])
tensor(2.4142)
VE foo is not a valid value for reduction
"""

TORCH_WARNED = """\
torch/nn/modules/loss.py:48: UserWarning: size_average and reduce args will be deprecated, please use reduction='sum' instead.
  self.reduction: str = _Reduction.legacy_get_string(size_average, reduce)
torch/nn/modules/loss.py:48: UserWarning: size_average and reduce args will be deprecated, please use reduction='none' instead.
  self.reduction: str = _Reduction.legacy_get_string(size_average, reduce)
torch/nn/modules/loss.py:48: UserWarning: size_average and reduce args will be deprecated, please use reduction='mean' instead.
  self.reduction: str = _Reduction.legacy_get_string(size_average, reduce)
torch/nn/functional.py:4292: UserWarning: size_average and reduce args will be deprecated, please use reduction='sum' instead.
  reduction = _Reduction.legacy_get_string(size_average, reduce)
torch/nn/functional.py:4215: UserWarning: size_average and reduce args will be deprecated, please use reduction='none' instead.
  reduction = _Reduction.legacy_get_string(size_average, reduce)
torch/nn/_reduction.py:60: UserWarning: size_average and reduce args will be deprecated, please use reduction='sum' instead.
  return get_enum(legacy_get_string(size_average, reduce, emit_warning))
torch/nn/functional.py:3554: UserWarning: size_average and reduce args will be deprecated, please use reduction='none' instead.
  reduction = _Reduction.legacy_get_string(size_average, reduce)
"""


def test_the_program_prints_and_warns_what_torch_does(tmp_path):
    path = tmp_path / "legacy.py"
    path.write_text(PROGRAM)
    r = CliRunner().invoke(cli, ["run", str(path)], env={"NO_COLOR": "1"})
    assert r.exit_code == 0
    assert r.stdout == TORCH_PRINTED
    assert r.stderr == TORCH_WARNED

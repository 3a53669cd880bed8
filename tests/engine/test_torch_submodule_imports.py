# ruff: noqa: E501 - torch's printed lines, verbatim
"""Imports of torch's submodules that scripts use: torch.utils.data.dataloader/.dataset/
.sampler, torch.nn.parameter, torch.nn.modules(.loss/.module/.linear), torch.optim.optimizer,
torch.optim.sgd, torch.optim.lr_scheduler; a _Loss subclass; issubclass of a Parameter's
type and torch.Tensor.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
from torch.utils.data.dataloader import default_collate, DataLoader
from torch.utils.data.dataset import Dataset, TensorDataset, random_split
from torch.utils.data.sampler import RandomSampler, BatchSampler
from torch.nn.parameter import Parameter
from torch.nn.modules.loss import _Loss, MSELoss
from torch.nn.modules.module import Module
from torch.nn.modules.linear import Linear
from torch.nn.modules import Conv2d
from torch.optim.optimizer import Optimizer
from torch.optim.lr_scheduler import StepLR, _LRScheduler, LRScheduler
from torch.optim.sgd import SGD
import torch.nn.modules.loss
import torch.utils.data.dataloader as dl
print(default_collate([torch.ones(2), torch.zeros(2)]))
print(Parameter, _Loss, MSELoss, Module, Linear, Conv2d, Optimizer, StepLR, SGD, Dataset)
print(torch.nn.modules.loss.L1Loss, dl.DataLoader, torch.utils.data.dataloader.default_collate is default_collate)
class MyLoss(_Loss):
    def forward(self, a, b):
        return (a - b).abs().mean()
print(MyLoss()(torch.ones(2), torch.zeros(2)), MyLoss().reduction)
print(issubclass(type(Parameter(torch.ones(1))), torch.Tensor), isinstance(Parameter(torch.ones(1)), torch.Tensor))
"""

TORCH_PRINTED = """\
tensor([[1., 1.],
        [0., 0.]])
<class 'torch.nn.parameter.Parameter'> <class 'torch.nn.modules.loss._Loss'> <class 'torch.nn.modules.loss.MSELoss'> <class 'torch.nn.modules.module.Module'> <class 'torch.nn.modules.linear.Linear'> <class 'torch.nn.modules.conv.Conv2d'> <class 'torch.optim.optimizer.Optimizer'> <class 'torch.optim.lr_scheduler.StepLR'> <class 'torch.optim.sgd.SGD'> <class 'torch.utils.data.dataset.Dataset'>
<class 'torch.nn.modules.loss.L1Loss'> <class 'torch.utils.data.dataloader.DataLoader'> True
tensor(1.) mean
True True
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED

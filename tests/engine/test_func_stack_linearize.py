# ruff: noqa: E501 - torch's printed lines, verbatim
"""torch.func.stack_module_state (stacked parameters as new leaves, buffers, its refusals) and
torch.func.linearize (the output and a jvp function, its tangent checks).

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
import torch.nn as nn
from torch.func import stack_module_state, linearize, functional_call, vmap
torch.manual_seed(0)
models = [nn.Sequential(nn.Linear(2, 3), nn.BatchNorm1d(3)) for _ in range(2)]
p, b = stack_module_state(models)
print({k: (tuple(v.shape), v.requires_grad, v.is_leaf) for k, v in p.items()})
print({k: (tuple(v.shape), v.requires_grad) for k, v in b.items()})
print(p["0.weight"])
try:
    stack_module_state([])
except RuntimeError as e:
    print(e)
models[1].eval()
try:
    stack_module_state(models)
except RuntimeError as e:
    print(e)
try:
    stack_module_state([nn.Linear(1, 1), nn.Tanh()])
except RuntimeError as e:
    print(e)
x = torch.tensor([1.0, 2.0, 3.0])
out, jfn = linearize(torch.sin, x)
print(out, jfn(torch.ones(3)), jfn(torch.tensor([1.0, 0.0, 2.0])))
out2, jfn2 = linearize(lambda a, b: a * b + a.exp(), x, torch.tensor([2.0, 0.5, -1.0]))
print(out2, jfn2(torch.ones(3), torch.zeros(3)))
try:
    jfn(torch.ones(2))
except RuntimeError as e:
    print(e)
"""

TORCH_PRINTED = """\
{'0.weight': ((2, 3, 2), True, True), '0.bias': ((2, 3), True, True), '1.weight': ((2, 3), True, True), '1.bias': ((2, 3), True, True)}
{'1.running_mean': ((2, 3), False), '1.running_var': ((2, 3), False), '1.num_batches_tracked': ((2,), False)}
tensor([[[-0.0053,  0.3793],
         [-0.5820, -0.5204],
         [-0.2723,  0.1896]],

        [[ 0.1871, -0.2137],
         [-0.1390, -0.6755],
         [-0.4683, -0.2915]]], requires_grad=True)
stack_module_state: Expected at least one model, got 0.
stack_module_state: Expected all models to have the same training/eval mode.
stack_module_state: Expected all models to be of the same class.
tensor([0.8415, 0.9093, 0.1411]) tensor([ 0.5403, -0.4161, -0.9900]) tensor([ 0.5403, -0.0000, -1.9800])
tensor([ 4.7183,  8.3891, 17.0855]) tensor([ 4.7183,  7.8891, 19.0855])
tangent:0 with shape torch.Size([2]) in flattened pytree doesn't match the shape torch.Size([3]) of the corresponding primal.
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED

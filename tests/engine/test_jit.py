# ruff: noqa: E501 - torch's printed lines, verbatim
"""torch.jit.script / torch.jit.trace of modules and functions as torch 2.13 shows them:
the RecursiveScriptModule / traced reprs, ScriptFunction, outputs and training through the
script module (parameters shared with the original), eval() leaving the original's flag.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
import torch.nn as nn
torch.manual_seed(0)
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(3, 2)
    def forward(self, x):
        return torch.relu(self.fc(x))
net = Net()
s = torch.jit.script(net)
print(s)
print(type(s))
x = torch.randn(2, 3)
print(s(x))
t = torch.jit.trace(net, x)
print(t)
print(t(x))
@torch.jit.script
def f(a):
    return a * 2
print(f(x))
print(type(f))
print(s.fc.weight.shape, list(dict(s.named_parameters()).keys()))
model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Dropout(0.5), nn.Linear(4, 1))
s = torch.jit.script(model)
print(s)
print(isinstance(s, nn.Module), isinstance(s, torch.jit.ScriptModule))
opt = torch.optim.SGD(s.parameters(), lr=0.1)
x = torch.randn(5, 3)
for _ in range(3):
    opt.zero_grad()
    loss = s(x).pow(2).mean()
    loss.backward()
    opt.step()
    print(loss.item())
print(model[0].weight[0])
s.eval()
print(model.training, s.training)
print(s(x)[:2])
print(list(s.state_dict().keys()))
"""

TORCH_PRINTED = """\
RecursiveScriptModule(
  original_name=Net
  (fc): RecursiveScriptModule(original_name=Linear)
)
<class 'torch.jit._script.RecursiveScriptModule'>
tensor([[0.0000, 1.2920],
        [0.0000, 0.1992]], grad_fn=<ReluBackward0>)
Net(
  original_name=Net
  (fc): Linear(original_name=Linear)
)
tensor([[0.0000, 1.2920],
        [0.0000, 0.1992]], grad_fn=<ReluBackward0>)
tensor([[-2.1690, -2.7972,  0.8067],
        [ 1.6761, -1.4385, -0.8067]])
<class 'torch.jit.torch.jit.ScriptFunction'>
torch.Size([2, 3]) ['fc.weight', 'fc.bias']
RecursiveScriptModule(
  original_name=Sequential
  (0): RecursiveScriptModule(original_name=Linear)
  (1): RecursiveScriptModule(original_name=ReLU)
  (2): RecursiveScriptModule(original_name=Dropout)
  (3): RecursiveScriptModule(original_name=Linear)
)
True True
0.026943450793623924
0.02523421309888363
0.019462646916508675
tensor([ 0.2148,  0.4550, -0.0876], grad_fn=<SelectBackward0>)
True False
tensor([[ 0.0744],
        [-0.1066]], grad_fn=<SliceBackward0>)
['0.weight', '0.bias', '3.weight', '3.bias']
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    got = "".join(out).splitlines()
    want = TORCH_PRINTED.splitlines()
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1}"
    assert len(got) == len(want)

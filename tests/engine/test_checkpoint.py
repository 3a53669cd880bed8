# ruff: noqa: E501 - torch's printed lines, verbatim
"""torch.utils.checkpoint as torch 2.13 has it: checkpoint with use_reentrant=False (the
function's own graph) and True (CheckpointFunctionBackward, the backward recomputing from
the forward's RNG state: dropout's mask is the forward's, and the RNG stream after backward
is the one before it), the default (reentrant, with torch's warning), extra outputs and
arguments, autograd.grad refused through a reentrant checkpoint, checkpoint_sequential.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.engine import tensor as _tensor
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
from torch.utils.checkpoint import checkpoint, checkpoint_sequential
torch.manual_seed(0)
lin = torch.nn.Linear(3, 2)
x = torch.randn(4, 3, requires_grad=True)
def f(a):
    return torch.tanh(lin(a)) * 2
y = checkpoint(f, x, use_reentrant=False)
print(y)
y.sum().backward()
print(x.grad, lin.weight.grad)
x.grad = None
y = checkpoint(f, x, use_reentrant=True)
print(y)
y.sum().backward()
print(x.grad)
y = checkpoint(f, x)
print(y)
seq = torch.nn.Sequential(torch.nn.Linear(3,3), torch.nn.ReLU(), torch.nn.Linear(3,1))
out = checkpoint_sequential(seq, 2, x, use_reentrant=False)
print(out)
out.sum().backward()
print(seq[0].weight.grad)
lin = torch.nn.Linear(3, 3)
x = torch.randn(2, 3)
y = checkpoint(lin, x, use_reentrant=True)
print(y.requires_grad, y.grad_fn)
xr = torch.randn(2, 3, requires_grad=True)
def f(a, k):
    return torch.nn.functional.dropout(lin(a), 0.5) * k, a.sum()
o1, o2 = checkpoint(f, xr, 3.0, use_reentrant=True)
print(o1.grad_fn.name(), o2.grad_fn.name())
(o1.sum() + o2).backward()
print(xr.grad, lin.weight.grad)
print(torch.rand(2))
try:
    torch.autograd.grad(checkpoint(lin, xr, use_reentrant=True).sum(), xr)
except Exception as e:
    print(type(e).__name__, e)
g = torch.autograd.grad(checkpoint(lin, xr, use_reentrant=False).sum(), xr)
print(g)
o = checkpoint(f, xr, 2.0, use_reentrant=False)
print(o[0].grad_fn.name())
try:
    checkpoint(f, xr, k=2.0, use_reentrant=True)
except Exception as e:
    print(type(e).__name__, e)
print(checkpoint(lambda a, k=1: a * k, xr, k=5, use_reentrant=False))
seq = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.Tanh(), torch.nn.Linear(4, 4), torch.nn.ReLU(), torch.nn.Linear(4, 1))
out = checkpoint_sequential(seq, 2, xr, use_reentrant=True)
print(out.grad_fn.name())
out = checkpoint_sequential(seq, 3, xr)
print(out)
out.sum().backward()
print(seq[2].weight.grad)
def noout(a):
    return a.detach()
try:
    z = checkpoint(noout, xr, use_reentrant=True)
    print(z.requires_grad, z.grad_fn.name())
except Exception as e:
    print(type(e).__name__, e)
"""

TORCH_PRINTED = """\
tensor([[-1.1183,  1.7193],
        [-0.0923,  0.3932],
        [ 0.8513,  0.9832],
        [-0.7706,  0.4848]], grad_fn=<MulBackward0>)
tensor([[-0.2277,  0.3097, -0.5724],
        [-0.8256,  0.1906, -0.6507],
        [-0.6515,  0.1699, -0.5434],
        [-0.8072,  0.1089, -0.5178]]) tensor([[ 1.0789, -4.8844, -1.4444],
        [ 2.2121, -3.8533, -1.6333]])
tensor([[-1.1183,  1.7193],
        [-0.0923,  0.3932],
        [ 0.8513,  0.9832],
        [-0.7706,  0.4848]], grad_fn=<CheckpointFunctionBackward>)
tensor([[-0.2277,  0.3097, -0.5724],
        [-0.8256,  0.1906, -0.6507],
        [-0.6515,  0.1699, -0.5434],
        [-0.8072,  0.1089, -0.5178]])
tensor([[-1.1183,  1.7193],
        [-0.0923,  0.3932],
        [ 0.8513,  0.9832],
        [-0.7706,  0.4848]], grad_fn=<CheckpointFunctionBackward>)
tensor([[-0.1980],
        [ 0.3385],
        [ 0.2449],
        [ 0.3385]], grad_fn=<AddmmBackward0>)
tensor([[ 0.7013,  0.5075,  0.1891],
        [ 0.3228,  0.4163, -0.1201],
        [ 0.0000,  0.0000,  0.0000]])
False None
CheckpointFunctionBackward CheckpointFunctionBackward
tensor([[ 4.4438,  2.3748,  1.4680],
        [ 1.7863, -1.1647,  3.8610]]) tensor([[-5.5086, -0.2425,  1.7287],
        [-6.1782, -3.0046,  1.6402],
        [-5.5086, -0.2425,  1.7287]])
tensor([0.7497, 0.6047])
RuntimeError When use_reentrant=True, torch.utils.checkpoint is incompatible with .grad() or passing an `inputs` parameter to .backward(). To resolve this error, you can either set use_reentrant=False, or call .backward() without passing the `inputs` argument.
(tensor([[ 0.7050, -0.1316,  0.5548],
        [ 0.7050, -0.1316,  0.5548]]),)
MulBackward0
ValueError Unexpected keyword arguments: k
tensor([[-5.1485, -2.5038,  1.3668],
        [-4.5905, -0.2021,  1.4406]], grad_fn=<MulBackward0>)
AddmmBackward0
tensor([[-0.1535],
        [-0.1867]], grad_fn=<AddmmBackward0>)
tensor([[-0.1615, -0.3010, -0.2571, -0.3281],
        [ 0.0015,  0.0029,  0.0024,  0.0031],
        [ 0.0000,  0.0000,  0.0000,  0.0000],
        [ 0.0000,  0.0000,  0.0000,  0.0000]])
True CheckpointFunctionBackward
"""

# torch's warnings, in order: (where Python reports it, the message's start)
TORCH_WARNED = [
    ("_dynamo/eval_frame.py", "torch.utils.checkpoint: the use_reentrant parameter should be passed explicitly. Starting in PyTorch 2.9, calling checkpoint without use_reentrant will raise an exception."),
    ("utils/checkpoint.py", "None of the inputs have requires_grad=True. Gradients will be None"),
    (None, "torch.utils.checkpoint.checkpoint_sequential: the use_reentrant parameter should be passed explicitly. In version 2.9 we will raise an exception if use_reentrant is not passed."),
]


def test_the_program_prints_what_torch_prints(monkeypatch):
    warned: list = []
    monkeypatch.setattr(_tensor, "emit_warning",
                        lambda message, site=None: warned.append((message, site)))
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
    seen = [(site and site[0], str(message)) for message, site in warned]
    # the default reentrant checkpoint warns at each call (Python's filter shows it once)
    firsts = []
    for where, text in seen:
        if (where, text) not in firsts:
            firsts.append((where, text))
    assert len(firsts) == len(TORCH_WARNED)
    for (where, text), (want_where, want_text) in zip(firsts, TORCH_WARNED):
        assert where == want_where and text.startswith(want_text)

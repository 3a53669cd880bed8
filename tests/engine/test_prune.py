# ruff: noqa: E501 - torch's printed lines, verbatim
"""torch.nn.utils.prune as torch 2.13: random_unstructured, random_structured, l1_unstructured
(with importance_scores), ln_structured, identity, custom_from_mask, global_unstructured,
remove, is_pruned; the masks combined in a PruningContainer, NAME recomputed by the forward
pre-hook, state_dict keys, prune(), and torch's refusals. The random masks draw from the
default generator as torch does.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
import torch.nn as nn
import torch.nn.utils.prune as prune
torch.manual_seed(0)
lin = nn.Linear(5, 4)
prune.random_unstructured(lin, "weight", amount=0.4)
print(lin.weight_mask)
print(lin.weight)
prune.random_structured(lin, "weight", amount=1, dim=0)
print(lin.weight_mask)
prune.l1_unstructured(lin, "weight", amount=3)
print(lin.weight_mask)
hook = [h for h in lin._forward_pre_hooks.values()][0]
print(type(hook).__name__, len(hook), [type(m).__name__ for m in hook], hook[0].amount, hook._tensor_name)
with torch.no_grad():
    lin.weight_orig.fill_(2.0)
print(lin.weight.sum())
out = lin(torch.ones(1, 5))
print(lin.weight.sum(), out)
print(list(lin.state_dict().keys()))
prune.remove(lin, "weight")
print(lin.weight, type(lin.weight).__name__, list(dict(lin.named_buffers())))
conv = nn.Conv2d(2, 3, 2)
prune.ln_structured(conv, "weight", amount=0.34, n=1, dim=1)
print(conv.weight_mask.sum(dim=(0, 2, 3)))
prune.identity(conv, "bias")
print(conv.bias_mask, prune.is_pruned(conv), prune.is_pruned(nn.Linear(1, 1)))
m2 = nn.Linear(3, 2)
prune.custom_from_mask(m2, "weight", torch.tensor([[1, 0, 1], [0, 1, 1]]))
print(m2.weight_mask, m2.weight)
m3 = nn.Linear(3, 2)
prune.l1_unstructured(m3, "weight", amount=0.5, importance_scores=torch.arange(6.0).view(2, 3))
print(m3.weight_mask)
prune.random_unstructured(m3, "bias", amount=1)
print(m3.bias_mask, [n for n, _ in m3.named_parameters()])
a, b = nn.Linear(2, 2), nn.Linear(3, 1)
prune.global_unstructured([(a, "weight"), (b, "weight")], pruning_method=prune.RandomUnstructured, amount=3)
print(a.weight_mask, b.weight_mask)
for bad in [lambda: prune.random_unstructured(nn.Linear(2, 2), "weight", amount=1.5),
            lambda: prune.random_unstructured(nn.Linear(2, 2), "weight", amount=5),
            lambda: prune.ln_structured(nn.Linear(2, 2), "bias", amount=1, n=2, dim=0),
            lambda: prune.remove(nn.Linear(2, 2), "weight"),
            lambda: prune.random_unstructured(nn.Linear(2, 2), "weight", amount="a")]:
    try:
        bad()
    except (ValueError, TypeError, IndexError) as e:
        print(type(e).__name__, str(e)[:90].rstrip())
print(prune.RandomUnstructured(0.5).prune(torch.ones(4)))
"""

TORCH_PRINTED = """\
tensor([[1., 0., 0., 1., 1.],
        [1., 1., 0., 1., 1.],
        [1., 1., 1., 0., 0.],
        [0., 0., 1., 0., 1.]])
tensor([[-0.0033,  0.0000, -0.0000, -0.3291, -0.1722],
        [ 0.1199, -0.0089,  0.0000, -0.0397,  0.1183],
        [-0.1352, -0.0879, -0.4272, -0.0000, -0.0000],
        [ 0.0000,  0.0000,  0.2683, -0.0000, -0.1947]], grad_fn=<MulBackward0>)
tensor([[0., 0., 0., 0., 0.],
        [1., 1., 0., 1., 1.],
        [1., 1., 1., 0., 0.],
        [0., 0., 1., 0., 1.]])
tensor([[0., 0., 0., 0., 0.],
        [1., 0., 0., 0., 1.],
        [1., 0., 1., 0., 0.],
        [0., 0., 1., 0., 1.]])
PruningContainer 3 ['RandomUnstructured', 'RandomStructured', 'L1Unstructured'] 0.4 weight
tensor(-0.2505, grad_fn=<SumBackward0>)
tensor(12., grad_fn=<SumBackward0>) tensor([[0.1624, 4.3714, 3.9080, 4.3347]], grad_fn=<AddmmBackward0>)
['bias', 'weight_orig', 'weight_mask']
Parameter containing:
tensor([[0., 0., 0., 0., 0.],
        [2., 0., 0., 0., 2.],
        [2., 0., 2., 0., 0.],
        [0., 0., 2., 0., 2.]], requires_grad=True) Parameter []
tensor([ 0., 12.])
tensor([1., 1., 1.]) True False
tensor([[1., 0., 1.],
        [0., 1., 1.]]) tensor([[-0.5021,  0.0000, -0.3612],
        [-0.0000,  0.5130,  0.4390]], grad_fn=<MulBackward0>)
tensor([[0., 0., 0.],
        [1., 1., 1.]])
tensor([0., 1.]) ['weight_orig', 'bias_orig']
tensor([[0., 1.],
        [1., 1.]]) tensor([[0., 1., 0.]])
ValueError amount=1.5 should either be a float in the range [0, 1] or a non-negative integer
ValueError amount=5 should be smaller than the number of parameters to prune=4
ValueError Structured pruning can only be applied to multidimensional tensors. Found tensor of shape
ValueError Parameter 'weight' of module Linear(in_features=2, out_features=2, bias=True) has to be pr
TypeError Invalid type for amount: a. Must be int or float.
tensor([0., 0., 1., 1.])
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

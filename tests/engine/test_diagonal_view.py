# ruff: noqa: E501 - torch's printed lines, verbatim
"""Tensor.diagonal / torch.diagonal are views sharing the input's memory, as in torch:
fill_/mul_/+= and item assignment through the view write into the base, the view sees the
base's in-place writes (AsStridedBackward0), a write through it on a non-leaf records
CopySlices, and gradients flow back to the diagonal (offsets, dim1/dim2, batched).

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
y = torch.zeros(3, 3)
d = y.diagonal()
d.fill_(1)
print(y)
torch.diagonal(y, 1).fill_(2)
print(y, d.is_contiguous(), d.stride())
x = torch.randn(3, 4, requires_grad=True)
z = x.diagonal(offset=-1)
print(z.grad_fn.name(), torch.diagonal(x, 0, 1, 0).grad_fn.name())
z.sum().backward()
print(x.grad)
w = x.detach().clone()
w.diagonal().zero_()
print(w.diagonal())
a = torch.ones(2, 3, 3)
a.diagonal(dim1=1, dim2=2).mul_(5)
print(a)
x = torch.arange(9.).view(3, 3).requires_grad_()
y = x * 1
y.diagonal().mul_(2)
print(y, y.grad_fn.name())
y.sum().backward()
print(x.grad)
x.grad = None
y = x * 1
d = y.diagonal(1)
y.add_(1)
print(d, d.grad_fn.name())
(d * torch.tensor([1., 2.])).sum().backward()
print(x.grad)
z = torch.zeros(2, 3, 4)
v = z.diagonal(offset=1, dim1=-1, dim2=0)
v += 7
print(z, v.shape, v.stride())
e = torch.eye(3)
e.diagonal()[1] = 5
print(e, torch.diagonal(e, -5))
"""

TORCH_PRINTED = """\
tensor([[1., 0., 0.],
        [0., 1., 0.],
        [0., 0., 1.]])
tensor([[1., 2., 0.],
        [0., 1., 2.],
        [0., 0., 1.]]) False (4,)
DiagonalBackward0 DiagonalBackward0
tensor([[0., 0., 0., 0.],
        [1., 0., 0., 0.],
        [0., 1., 0., 0.]])
tensor([0., 0., 0.])
tensor([[[5., 1., 1.],
         [1., 5., 1.],
         [1., 1., 5.]],

        [[5., 1., 1.],
         [1., 5., 1.],
         [1., 1., 5.]]])
tensor([[ 0.,  1.,  2.],
        [ 3.,  8.,  5.],
        [ 6.,  7., 16.]], grad_fn=<CopySlices>) torch::autograd::CopySlices
tensor([[2., 1., 1.],
        [1., 2., 1.],
        [1., 1., 2.]])
tensor([2., 6.], grad_fn=<AsStridedBackward0>) AsStridedBackward0
tensor([[0., 1., 0.],
        [0., 0., 2.],
        [0., 0., 0.]])
tensor([[[0., 0., 0., 0.],
         [0., 0., 0., 0.],
         [0., 0., 0., 0.]],

        [[7., 0., 0., 0.],
         [7., 0., 0., 0.],
         [7., 0., 0., 0.]]]) torch.Size([3, 1]) (4, 13)
tensor([[1., 0., 0.],
        [0., 5., 0.],
        [0., 0., 1.]]) tensor([])
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED

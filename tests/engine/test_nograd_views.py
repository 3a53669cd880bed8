# ruff: noqa: E501 - the program, verbatim
"""A view made under no_grad: of a leaf that requires grad it does not require grad; of a
tensor an op computed (or of such a view) it does, as a leaf, as torch 2.13.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
x = torch.arange(6.).view(2, 3).requires_grad_()
y = x * 2
with torch.no_grad():
    a = x[0]; b = y[0]; c = b[0:2]; d = x.view(6); e = y.t(); f = x.diagonal()
    print(a.requires_grad, b.requires_grad, c.requires_grad, d.requires_grad, e.requires_grad, f.requires_grad)
    print(a.is_leaf, b.is_leaf, c.is_leaf, b.grad_fn, c.grad_fn)
print(a.requires_grad, b.requires_grad, (b * 2).requires_grad, (a * 2).requires_grad)
g = b[1:]
print(g.requires_grad, g.grad_fn.name())
"""

TORCH_PRINTED = """\
False True True False True False
True True True None None
False True True False
True SliceBackward0
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED


LEAF_PROGRAM = """\
import torch
x1 = torch.tensor([0.0], requires_grad=True)
x2 = torch.tensor([[1.0, 2.0]], requires_grad=True)
with torch.no_grad():
    a = x1.reshape(())
    b = x1.view(())
    c = x2[0]
    d = x2.t()
    e = x1.squeeze()
    f = x2.reshape(2)
    g = x1.detach()
    h = x2.view(2)
for n, t in zip("abcdefgh", (a, b, c, d, e, f, g, h)):
    print(n, t.requires_grad, t.is_leaf, t.grad_fn)
"""

LEAF_TORCH_PRINTED = """\
a True True None
b True True None
c True True None
d True True None
e True True None
f True True None
g False True None
h True True None
"""


def test_views_of_a_plain_leaf_made_under_no_grad_require_grad():
    # the leaf is its own base (found by the differential fuzzer: x1.reshape(()) under
    # no_grad requires grad in torch)
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(LEAF_PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == LEAF_TORCH_PRINTED

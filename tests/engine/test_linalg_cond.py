"""torch.linalg.cond: p None/2/-2 (the extreme singular values' ratio, SqueezeBackward1),
'fro', 'nuc', inf, 1, -1 (the norms of A and its inverse), batched.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
torch.manual_seed(0)
A = torch.randn(4, 4)
B = torch.randn(2, 3, 3, dtype=torch.float64)
print(torch.linalg.cond(A), torch.linalg.cond(A, 2), torch.linalg.cond(A, -2))
print(torch.linalg.cond(B))
for p in ["fro", "nuc", float("inf"), 1, -1]:
    print(p, torch.linalg.cond(B, p))
X = torch.randn(5, 3, requires_grad=True)
c = torch.linalg.cond(X)
print(c, c.grad_fn.name())
"""

TORCH_PRINTED = """\
tensor(2.7939) tensor(2.7939) tensor(0.3579)
tensor([8.1878, 6.9160], dtype=torch.float64)
fro tensor([10.1378,  8.6531], dtype=torch.float64)
nuc tensor([19.1339, 17.0571], dtype=torch.float64)
inf tensor([11.8230, 13.0514], dtype=torch.float64)
1 tensor([14.9718, 11.3247], dtype=torch.float64)
-1 tensor([2.3042, 1.7649], dtype=torch.float64)
tensor(7.2765, grad_fn=<SqueezeBackward1>) SqueezeBackward1
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED

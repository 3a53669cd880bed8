# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""Shape mistakes with products and expand raise torch 2.13's own words (a student's
uncaught error is the last line of stderr): bmm's and batched matmul's "Expected size for
first two dimensions of batch2 tensor", dot's "inconsistent tensor size", mv's "size
mismatch", expand's "The expanded size of the tensor", matmul of a 0-d tensor.

The expected output was printed by torch 2.13.0+cpu running PROGRAM, never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = '''\
import torch
cases = [
    ("torch.bmm(torch.ones(2,4,5), torch.ones(2,4,5))", lambda: torch.bmm(torch.ones(2,4,5), torch.ones(2,4,5))),
    ("torch.bmm(torch.ones(2,4,5), torch.ones(3,5,2))", lambda: torch.bmm(torch.ones(2,4,5), torch.ones(3,5,2))),
    ("torch.bmm(torch.ones(4,5), torch.ones(3,5,2))", lambda: torch.bmm(torch.ones(4,5), torch.ones(3,5,2))),
    ("torch.ones(2,4,5) @ torch.ones(2,4,5)", lambda: torch.ones(2,4,5) @ torch.ones(2,4,5)),
    ("torch.ones(3,4,5) @ torch.ones(2,5,5)", lambda: torch.ones(3,4,5) @ torch.ones(2,5,5)),
    ("torch.ones(4,5) @ torch.ones(2,4,5)", lambda: torch.ones(4,5) @ torch.ones(2,4,5)),
    ("torch.ones(3) @ torch.ones(2)", lambda: torch.ones(3) @ torch.ones(2)),
    ("torch.ones(3) @ torch.ones(2, 3)", lambda: torch.ones(3) @ torch.ones(2, 3)),
    ("torch.ones(2, 3) @ torch.ones(2)", lambda: torch.ones(2, 3) @ torch.ones(2)),
    ("torch.ones(()) @ torch.ones(2)", lambda: torch.ones(()) @ torch.ones(2)),
    ("torch.mv(torch.ones(3,3), torch.ones(2))", lambda: torch.mv(torch.ones(3,3), torch.ones(2))),
    ("torch.mm(torch.ones(3,3), torch.ones(2,3))", lambda: torch.mm(torch.ones(3,3), torch.ones(2,3))),
    ("torch.dot(torch.ones(3), torch.ones(2))", lambda: torch.dot(torch.ones(3), torch.ones(2))),
    ("torch.ones(2,4).expand(3,5)", lambda: torch.ones(2,4).expand(3,5)),
    ("torch.ones(4).expand(2,5)", lambda: torch.ones(4).expand(2,5)),
    ("torch.ones(2,3).expand(3)", lambda: torch.ones(2,3).expand(3)),
    ("torch.matmul(torch.ones(2,3), torch.ones(4,5))", lambda: torch.matmul(torch.ones(2,3), torch.ones(4,5))),
    ("torch.nn.functional.linear(torch.ones(2,3), torch.ones(4,5))", lambda: torch.nn.functional.linear(torch.ones(2,3), torch.ones(4,5))),
    ("torch.ones(2,3).view(4)", lambda: torch.ones(2,3).view(4)),
    ("torch.ones(2,3).reshape(4)", lambda: torch.ones(2,3).reshape(4)),
    ("torch.cat([torch.ones(2,3), torch.ones(2,4)])", lambda: torch.cat([torch.ones(2,3), torch.ones(2,4)])),
    ("torch.ones(2,3) + torch.ones(3,2)", lambda: torch.ones(2,3) + torch.ones(3,2)),
]
for c, f in cases:
    try:
        f()
        print(c, "OK")
    except Exception as e:
        print(c, "|", type(e).__name__, "|", str(e).splitlines()[0][:300])
'''

TORCH_PRINTED = """\
torch.bmm(torch.ones(2,4,5), torch.ones(2,4,5)) | RuntimeError | Expected size for first two dimensions of batch2 tensor to be: [2, 5] but got: [2, 4].
torch.bmm(torch.ones(2,4,5), torch.ones(3,5,2)) | RuntimeError | Expected size for first two dimensions of batch2 tensor to be: [2, 5] but got: [3, 5].
torch.bmm(torch.ones(4,5), torch.ones(3,5,2)) | RuntimeError | batch1 must be a 3D tensor
torch.ones(2,4,5) @ torch.ones(2,4,5) | RuntimeError | Expected size for first two dimensions of batch2 tensor to be: [2, 5] but got: [2, 4].
torch.ones(3,4,5) @ torch.ones(2,5,5) | RuntimeError | The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0
torch.ones(4,5) @ torch.ones(2,4,5) | RuntimeError | Expected size for first two dimensions of batch2 tensor to be: [2, 5] but got: [2, 4].
torch.ones(3) @ torch.ones(2) | RuntimeError | inconsistent tensor size, expected tensor [3] and src [2] to have the same number of elements, but got 3 and 2 elements respectively
torch.ones(3) @ torch.ones(2, 3) | RuntimeError | mat1 and mat2 shapes cannot be multiplied (1x3 and 2x3)
torch.ones(2, 3) @ torch.ones(2) | RuntimeError | size mismatch, got input (2), mat (2x3), vec (2)
torch.ones(()) @ torch.ones(2) | RuntimeError | both arguments to matmul need to be at least 1D, but they are 0D and 1D
torch.mv(torch.ones(3,3), torch.ones(2)) | RuntimeError | size mismatch, got input (3), mat (3x3), vec (2)
torch.mm(torch.ones(3,3), torch.ones(2,3)) | RuntimeError | mat1 and mat2 shapes cannot be multiplied (3x3 and 2x3)
torch.dot(torch.ones(3), torch.ones(2)) | RuntimeError | inconsistent tensor size, expected tensor [3] and src [2] to have the same number of elements, but got 3 and 2 elements respectively
torch.ones(2,4).expand(3,5) | RuntimeError | The expanded size of the tensor (5) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [3, 5].  Tensor sizes: [2, 4]
torch.ones(4).expand(2,5) | RuntimeError | The expanded size of the tensor (5) must match the existing size (4) at non-singleton dimension 1.  Target sizes: [2, 5].  Tensor sizes: [4]
torch.ones(2,3).expand(3) | RuntimeError | expand(torch.FloatTensor{[2, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (2)
torch.matmul(torch.ones(2,3), torch.ones(4,5)) | RuntimeError | mat1 and mat2 shapes cannot be multiplied (2x3 and 4x5)
torch.nn.functional.linear(torch.ones(2,3), torch.ones(4,5)) | RuntimeError | mat1 and mat2 shapes cannot be multiplied (2x3 and 5x4)
torch.ones(2,3).view(4) | RuntimeError | shape '[4]' is invalid for input of size 6
torch.ones(2,3).reshape(4) | RuntimeError | shape '[4]' is invalid for input of size 6
torch.cat([torch.ones(2,3), torch.ones(2,4)]) | RuntimeError | Sizes of tensors must match except in dimension 0. Expected size 3 but got size 4 for tensor number 1 in the list.
torch.ones(2,3) + torch.ones(3,2) | RuntimeError | The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    got, want = "".join(out).splitlines(), TORCH_PRINTED.splitlines()
    for i, (g, w) in enumerate(zip(got, want)):
        assert g == w, f"line {i + 1}"
    assert len(got) == len(want)

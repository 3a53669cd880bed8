# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""Indexing a 0-d tensor with one int or slice: torch's own words (``loss.data[0]`` in
old tutorials points the reader to ``.item()``).

The expected output was printed by torch 2.13.0+cpu running PROGRAM, never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = '''\
import torch
import numpy as np
l = torch.tensor(2.5)
tries = [lambda: l[0], lambda: l[0:1], lambda: l[(0,)], lambda: l[-1], lambda: l[3], lambda: l[True],
         lambda: l[False], lambda: l[None], lambda: l[...], lambda: l[np.int64(0)], lambda: l[torch.tensor(0)],
         lambda: l.__setitem__(0, 1.0), lambda: l.__setitem__(slice(0, 1), 1.0), lambda: l.__setitem__(..., 4.0)]
for f in tries:
    try:
        print(f())
    except Exception as e:
        print(type(e).__name__, e)
print(l)
'''

TORCH_PRINTED = """\
IndexError invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number
IndexError slice() cannot be applied to a 0-dim tensor.
IndexError too many indices for tensor of dimension 0
IndexError index -1 is out of bounds for dimension 0 with size 0
IndexError index 3 is out of bounds for dimension 0 with size 0
tensor([2.5000])
tensor([])
tensor([2.5000])
tensor(2.5000)
IndexError invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number
IndexError too many indices for tensor of dimension 0
IndexError invalid index of a 0-dim tensor. Use `tensor.item()` in Python or `tensor.item<T>()` in C++ to convert a 0-dim tensor to a number
IndexError slice() cannot be applied to a 0-dim tensor.
None
tensor(4.)
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED

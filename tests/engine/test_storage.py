# ruff: noqa: E501 - torch scripts, verbatim
"""Tensor.untyped_storage() / Tensor.storage() as torch 2.13 shows them: a view's storage
is its base's (data_ptr, nbytes, size), a copy's is its own; the printed forms.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
x = torch.arange(4.)
v = x[1:].view(3, 1)
s = v.untyped_storage()
print(s.data_ptr() == x.data_ptr(), s.nbytes(), s.size(), len(s), s.element_size(), s.device, type(s))
print(v.untyped_storage().data_ptr() == x.untyped_storage().data_ptr(), x.clone().untyped_storage().data_ptr() == s.data_ptr())
print(torch.tensor([1, 2], dtype=torch.int8).untyped_storage())
t = x.storage()
print(t)
print(type(t), t.size(), t.dtype, t.data_ptr() == x.data_ptr(), t.tolist())
print(x.detach().untyped_storage().data_ptr() == x.data_ptr())
print(s.tolist()[:8])
"""

TORCH_PRINTED = """\
True 16 16 16 1 cpu <class 'torch.storage.UntypedStorage'>
True False
 1
 2
[torch.storage.UntypedStorage(device=cpu) of size 2]
 0.0
 1.0
 2.0
 3.0
[torch.storage.TypedStorage(dtype=torch.float32, device=cpu) of size 4]
<class 'torch.storage.TypedStorage'> 4 torch.float32 True [0.0, 1.0, 2.0, 3.0]
True
[0, 0, 0, 0, 0, 0, 128, 63]
"""


def test_the_program_prints_what_torch_prints():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == TORCH_PRINTED

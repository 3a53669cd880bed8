# ruff: noqa: E501 - the program and torch's printed lines, verbatim
"""numpy values beside tensors in operators, as torch 2.13 takes them: a numpy scalar is a
Python number (``w * np.sqrt(2 / fan_in)``, the usual He/Xavier init, stays float32); an
array on a tensor's right is numpy's operation on the tensor's values, wrapped as a tensor
(numpy's promotion, no graph; refused when the tensor requires grad); an array on the left
is numpy's operator, which refuses a tensor; ``==`` compares elementwise.

The expected output was printed by torch 2.13.0+cpu running PROGRAM, never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = '''\
import numpy as np
import torch
t = torch.tensor([1.0, 2.0])
ti = torch.tensor([1, 2])
cases = [
    ("t * np.float64(0.5)", lambda: t * np.float64(0.5)),
    ("np.float64(0.5) * t", lambda: np.float64(0.5) * t),
    ("t * np.float32(0.5)", lambda: t * np.float32(0.5)),
    ("np.float32(0.5) * t", lambda: np.float32(0.5) * t),
    ("t + np.int64(2)", lambda: t + np.int64(2)),
    ("np.int64(2) + t", lambda: np.int64(2) + t),
    ("ti * np.float64(0.5)", lambda: ti * np.float64(0.5)),
    ("ti * np.int64(3)", lambda: ti * np.int64(3)),
    ("ti * np.float32(0.5)", lambda: ti * np.float32(0.5)),
    ("t / np.sqrt(2.0)", lambda: t / np.sqrt(2.0)),
    ("np.sqrt(2.0) / t", lambda: np.sqrt(2.0) / t),
    ("t > np.float64(1.5)", lambda: t > np.float64(1.5)),
    ("np.float32(1.5) < t", lambda: np.float32(1.5) < t),
    ("t ** np.float64(2)", lambda: t ** np.float64(2)),
    ("t - np.bool_(True)", lambda: t - np.bool_(True)),
    ("t * np.array(2.0)", lambda: t * np.array(2.0)),
    ("np.array(2.0) * t", lambda: np.array(2.0) * t),
    ("t * np.ones(2)", lambda: t * np.ones(2)),
    ("np.ones(2) * t", lambda: np.ones(2) * t),
    ("t.mul(np.float64(2))", lambda: t.mul(np.float64(2))),
    ("torch.full((2,), np.float64(1.5))", lambda: torch.full((2,), np.float64(1.5))),
    ("t.add_(np.float32(1))", lambda: t.clone().add_(np.float32(1))),
    ("t += np.float64(1)", lambda: t.clone().__iadd__(np.float64(1))),
    ("t * np.float16(2)", lambda: t * np.float16(2)),
]
for name, f in cases:
    try:
        r = f()
        print(name, "->", type(r).__name__, r.dtype if hasattr(r, "dtype") else "", r)
    except Exception as e:
        print(name, "!!", type(e).__name__, str(e)[:100])
for name, f in [
    ("int64 * f32 array", lambda: torch.ones(2, dtype=torch.int64) * np.ones(2, dtype=np.float32)),
    ("np.zeros(2) < t", lambda: np.zeros(2) < t),
    ("np.zeros(2) == t", lambda: np.zeros(2) == t),
    ("t != np.ones(2)", lambda: t != np.ones(2)),
    ("t + np.zeros((2, 2))", lambda: t + np.zeros((2, 2))),
    ("grad * array", lambda: torch.ones(2, requires_grad=True) * np.ones(2)),
    ("grad * np scalar", lambda: torch.ones(2, requires_grad=True) * np.float64(3)),
]:
    try:
        r = f()
        print(name, "->", type(r).__name__, r.dtype, r)
    except Exception as e:
        print(name, "!!", type(e).__name__, str(e)[:100])
for name, f in [("np.ones(2) + t", lambda: np.ones(2) + t), ("np.ones(2) - t", lambda: np.ones(2) - t)]:
    try:
        print(f())
    except Exception as e:
        print(name, "!!", type(e).__name__, str(e)[:200])
'''

TORCH_PRINTED = """\
t * np.float64(0.5) -> Tensor torch.float32 tensor([0.5000, 1.0000])
np.float64(0.5) * t -> Tensor torch.float32 tensor([0.5000, 1.0000])
t * np.float32(0.5) -> Tensor torch.float32 tensor([0.5000, 1.0000])
np.float32(0.5) * t -> Tensor torch.float32 tensor([0.5000, 1.0000])
t + np.int64(2) -> Tensor torch.float32 tensor([3., 4.])
np.int64(2) + t -> Tensor torch.float32 tensor([3., 4.])
ti * np.float64(0.5) -> Tensor torch.float32 tensor([0.5000, 1.0000])
ti * np.int64(3) -> Tensor torch.int64 tensor([3, 6])
ti * np.float32(0.5) -> Tensor torch.float32 tensor([0.5000, 1.0000])
t / np.sqrt(2.0) -> Tensor torch.float32 tensor([0.7071, 1.4142])
np.sqrt(2.0) / t -> Tensor torch.float32 tensor([1.4142, 0.7071])
t > np.float64(1.5) -> Tensor torch.bool tensor([False,  True])
np.float32(1.5) < t -> Tensor torch.bool tensor([False,  True])
t ** np.float64(2) -> Tensor torch.float32 tensor([1., 4.])
t - np.bool_(True) -> Tensor torch.float32 tensor([0., 1.])
t * np.array(2.0) -> Tensor torch.float64 tensor([2., 4.], dtype=torch.float64)
np.array(2.0) * t !! TypeError unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'
t * np.ones(2) -> Tensor torch.float64 tensor([1., 2.], dtype=torch.float64)
np.ones(2) * t !! TypeError unsupported operand type(s) for *: 'numpy.ndarray' and 'Tensor'
t.mul(np.float64(2)) -> Tensor torch.float32 tensor([2., 4.])
torch.full((2,), np.float64(1.5)) -> Tensor torch.float32 tensor([1.5000, 1.5000])
t.add_(np.float32(1)) -> Tensor torch.float32 tensor([2., 3.])
t += np.float64(1) -> Tensor torch.float32 tensor([2., 3.])
t * np.float16(2) -> Tensor torch.float32 tensor([2., 4.])
int64 * f32 array -> Tensor torch.float64 tensor([1., 1.], dtype=torch.float64)
np.zeros(2) < t !! TypeError '<' not supported between instances of 'numpy.ndarray' and 'Tensor'
np.zeros(2) == t -> Tensor torch.bool tensor([False, False])
t != np.ones(2) !! AttributeError 'bool' object has no attribute 'dtype'
t + np.zeros((2, 2)) -> Tensor torch.float64 tensor([[1., 2.],
        [1., 2.]], dtype=torch.float64)
grad * array !! RuntimeError Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.
grad * np scalar -> Tensor torch.float32 tensor([3., 3.], grad_fn=<MulBackward0>)
np.ones(2) + t !! TypeError Concatenation operation is not implemented for NumPy arrays, use np.concatenate() instead. Please do not rely on this error; it may not be given on all Python implementations.
np.ones(2) - t !! TypeError unsupported operand type(s) for -: 'numpy.ndarray' and 'Tensor'
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

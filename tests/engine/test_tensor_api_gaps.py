# ruff: noqa: E501 - torch's printed lines, verbatim
"""Small torch API surfaces as torch 2.13 has them: legacy Tensor.type(), torch.tensor() from ranges and its errors, size= for the factories, numpy's keyword names (axis, keepdims), data_ptr/is_pinned, get/set_num_threads, as_tensor sharing a numpy array's memory.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import numpy as np
import torch


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", str(e).splitlines()[0].rstrip())


# legacy Tensor.type
x = torch.zeros(2)
show(lambda: x.type(torch.LongTensor))
show(lambda: x.type("torch.DoubleTensor"))
show(lambda: x.type(torch.float64))
show(lambda: x.type())
show(lambda: x.type(torch.int32).type())
show(lambda: x.type(torch.bool).type())
show(lambda: x.type(torch.uint8).type())
show(lambda: x.type(torch.float16).type())
show(lambda: x.type(torch.FloatTensor) is x)
show(lambda: x.type(torch.float32) is x)
show(lambda: x.type("torch.FloatTensor") is x)
show(lambda: x.type(dtype=torch.float64))
show(lambda: x.type("float"))
show(lambda: x.type(5))
show(lambda: x.type(torch.IntTensor, non_blocking=True))
show(lambda: torch.tensor([1.5]).type(torch.ByteTensor))
show(lambda: torch.tensor([1.5], requires_grad=True).type(torch.DoubleTensor))
show(lambda: x.to(torch.LongTensor))
# tensor() from ranges, and its errors
show(lambda: torch.tensor(range(5)))
show(lambda: torch.tensor(range(0, 10, 3), dtype=torch.float32))
show(lambda: torch.tensor([range(2), [1, 2]]))
show(lambda: torch.tensor([[1, 2], [3]]))
show(lambda: torch.tensor([[[1, 2], [3, 4]], [[1, 2], [3]]]))
show(lambda: torch.tensor([1, [2]]))
show(lambda: torch.tensor([1.0, [2]]))
show(lambda: torch.tensor([True, [2]]))
show(lambda: torch.tensor([[1], 2]))
show(lambda: torch.tensor(None))
show(lambda: torch.tensor([1, None]))
show(lambda: torch.tensor("a"))
show(lambda: torch.tensor(["ab"]))
show(lambda: torch.tensor([[1], "a"]))
show(lambda: torch.tensor({1: 2}))
show(lambda: torch.tensor([torch.ones(2), torch.ones(2)]))
show(lambda: torch.tensor(2**64))
show(lambda: torch.tensor(2**63, dtype=torch.float32))
# size= for the factories
show(lambda: torch.zeros(size=(2,)))
show(lambda: torch.ones(size=(2, 3)))
show(lambda: torch.empty(size=(2,)).shape)
show(lambda: torch.full(size=(2,), fill_value=3.0))
torch.manual_seed(0)
show(lambda: torch.randn(size=(2,)))
show(lambda: torch.rand(size=[2, 2]).shape)
show(lambda: torch.zeros(size=[2, 2], dtype=torch.long))
show(lambda: torch.zeros((2,), size=(2,)))
# numpy's keyword names
y = torch.ones(2, 3)
show(lambda: y.sum(1, keepdims=True))
show(lambda: torch.sum(y, axis=1, keepdims=True))
show(lambda: y.mean(axis=0))
show(lambda: y.max(1, keepdims=True))
show(lambda: y.amax(1, keepdims=True))
show(lambda: y.std(axis=1, keepdims=True))
show(lambda: y.argmax(axis=1))
show(lambda: y.logsumexp(1, keepdims=True))
show(lambda: y.any(1, keepdims=True))
show(lambda: torch.cat([y, y], axis=1).shape)
show(lambda: torch.stack([y, y], axis=0).shape)
show(lambda: y.softmax(axis=1))
show(lambda: y.cumsum(axis=1))
show(lambda: y.unsqueeze(axis=0).shape)
# data_ptr, is_pinned, threads
z = torch.arange(6.0).view(2, 3)
show(lambda: z.t().data_ptr() == z.data_ptr())
show(lambda: z[1].data_ptr() - z.data_ptr())
show(lambda: z[:, 1].data_ptr() - z.data_ptr())
show(lambda: z.data_ptr() == z.clone().data_ptr())
show(lambda: type(z.data_ptr()))
show(lambda: z.is_pinned())
show(lambda: torch.get_num_threads() > 0)
show(lambda: torch.get_num_interop_threads() > 0)
show(lambda: torch.set_num_threads(2))
show(lambda: torch.get_num_threads())
show(lambda: torch.set_num_threads(0))
# as_tensor shares a numpy array's memory when the dtype matches
a = np.arange(3.0)
ta = torch.as_tensor(a)
a[0] = 9
show(lambda: ta)
b = np.arange(3, dtype=np.float32)
tb = torch.as_tensor(b, dtype=torch.float64)
tc = torch.as_tensor(b, dtype=torch.float32)
b[1] = 7
show(lambda: tb)
show(lambda: tc)
show(lambda: torch.as_tensor(np.arange(4.0)[::-1]))
"""

TORCH_PRINTED = """\
tensor([0, 0])
tensor([0., 0.], dtype=torch.float64)
tensor([0., 0.], dtype=torch.float64)
'torch.FloatTensor'
'torch.IntTensor'
'torch.BoolTensor'
'torch.ByteTensor'
'torch.HalfTensor'
True
True
True
tensor([0., 0.], dtype=torch.float64)
ValueError: invalid type: 'float'
TypeError: dtype must be a type, str, or dtype object
tensor([0, 0], dtype=torch.int32)
tensor([1], dtype=torch.uint8)
tensor([1.5000], dtype=torch.float64, grad_fn=<ToCopyBackward0>)
TypeError: to() received an invalid combination of arguments - got (torch.tensortype), but expected one of:
tensor([0, 1, 2, 3, 4])
tensor([0., 3., 6., 9.])
tensor([[0, 1],
        [1, 2]])
ValueError: expected sequence of length 2 at dim 1 (got 1)
ValueError: expected sequence of length 2 at dim 2 (got 1)
TypeError: 'list' object cannot be interpreted as an integer
TypeError: must be real number, not list
TypeError: 'list' object cannot be interpreted as an integer
TypeError: not a sequence
RuntimeError: Could not infer dtype of NoneType
RuntimeError: Could not infer dtype of NoneType
TypeError: new(): invalid data type 'str'
ValueError: too many dimensions 'str'
TypeError: new(): invalid data type 'str'
RuntimeError: Could not infer dtype of dict
ValueError: only one element tensors can be converted to Python scalars
ValueError: Overflow when unpacking long long
tensor(9.2234e+18)
tensor([0., 0.])
tensor([[1., 1., 1.],
        [1., 1., 1.]])
torch.Size([2])
tensor([3., 3.])
tensor([ 1.5410, -0.2934])
torch.Size([2, 2])
tensor([[0, 0],
        [0, 0]])
TypeError: zeros() got multiple values for argument 'size'
tensor([[3.],
        [3.]])
tensor([[3.],
        [3.]])
tensor([1., 1., 1.])
torch.return_types.max(
values=tensor([[1.],
        [1.]]),
indices=tensor([[0],
        [0]]))
tensor([[1.],
        [1.]])
tensor([[0.],
        [0.]])
tensor([0, 0])
tensor([[2.0986],
        [2.0986]])
tensor([[True],
        [True]])
torch.Size([2, 6])
torch.Size([2, 2, 3])
tensor([[0.3333, 0.3333, 0.3333],
        [0.3333, 0.3333, 0.3333]])
tensor([[1., 2., 3.],
        [1., 2., 3.]])
torch.Size([1, 2, 3])
True
12
4
False
<class 'int'>
False
True
True
None
2
RuntimeError: set_num_threads expects a positive integer
tensor([9., 1., 2.], dtype=torch.float64)
tensor([0., 1., 2.], dtype=torch.float64)
tensor([0., 7., 2.])
ValueError: At least one stride in the given numpy array is negative, and tensors with negative strides are not currently supported. (You can probably work around this by making a copy of your array  with array.copy().)
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

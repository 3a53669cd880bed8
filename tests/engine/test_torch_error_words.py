# ruff: noqa: E501 - torch's printed lines, verbatim
"""torch's own words for common mistakes (each would be an uncaught error's last stderr line): broadcasting, scalars out of tensors, view/reshape/permute, integer reductions, products of two dtypes, cross_entropy/nll_loss targets, indexing, writes and index assignment, integer division by zero, backward's gradient.

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch
import torch.nn.functional as F


def show(label, f):
    try:
        f()
        print(label, "no error")
    except Exception as e:
        print(label, type(e).__name__ + ":", str(e).splitlines()[-1].rstrip())


def setitem(x, key, value):
    x[key] = value


o = torch.ones
d, f = torch.float64, torch.float32
# broadcasting: torch names the last mismatching dim, counted from the right
for a, b in [((2, 3), (3, 2)), ((2, 3, 4), (3, 2, 5)), ((4, 3), (2, 1, 5)), ((5, 2, 3), (3,)),
             ((2, 3), (4, 5, 3)), ((3,), (4,)), ((2, 3, 4), (2, 5, 7))]:
    show(f"mul {a} {b}", lambda: o(a) * o(b))
    show(f"where {a} {b}", lambda: torch.where(o(a) > 0, o(b), 0.0))
show("masked_fill mask", lambda: o(3).masked_fill(torch.zeros(2, dtype=torch.bool), 1.0))
# scalars out of tensors
show("float", lambda: float(torch.tensor([1.0, 2.0])))
show("int", lambda: int(torch.tensor([1.0, 2.0])))
show("float empty", lambda: float(torch.tensor([])))
show("item", lambda: torch.tensor([1.0, 2.0]).item())
show("item empty", lambda: torch.tensor([]).item())
show("bool", lambda: bool(torch.tensor([1, 2])))
show("bool empty", lambda: bool(torch.tensor([])))
show("int nan", lambda: int(torch.tensor(float("nan"))))
show("int inf", lambda: int(torch.tensor(float("inf"))))
show("index", lambda: [1, 2, 3][torch.tensor([1, 2])])
# view, reshape, permute
show("view t", lambda: torch.arange(6).reshape(2, 3).t().view(-1))
show("view -1 -1", lambda: torch.arange(6).view(-1, -1))
show("view -2", lambda: torch.arange(6).view(-2, 3))
show("reshape -1 -2", lambda: torch.arange(6).reshape(-1, -1, -2))
show("view bad", lambda: torch.arange(6).view(4, -1))
show("permute 3 of 2", lambda: o(2, 3).permute(1, 0, 2))
show("permute 1 of 2", lambda: o(2, 3).permute(0))
show("permute dup", lambda: o(2, 3).permute(1, -1))
show("permute range", lambda: o(2, 3).permute(0, 5))
# reductions of integer tensors
show("mean long", lambda: torch.tensor([1, 2, 3]).mean())
show("mean long dim", lambda: torch.tensor([[1, 2, 3]]).mean(1))
show("mean dtype long", lambda: torch.tensor([1.0, 2.0]).mean(dtype=torch.long))
show("std long", lambda: torch.arange(6).std())
show("var long", lambda: torch.arange(6).var())
show("norm long", lambda: torch.arange(6).norm())
# products of two dtypes
show("matmul mm", lambda: o(2, 2, dtype=d) @ o(2, 2))
show("mm", lambda: torch.mm(o(2, 2, dtype=d), o(2, 2)))
show("mm long", lambda: o(2, 2, dtype=torch.long) @ o(2, 2))
show("mm int half", lambda: torch.mm(o(2, 2, dtype=torch.int32), o(2, 2, dtype=torch.float16)))
show("mv", lambda: torch.mv(o(2, 2, dtype=d), o(2)))
show("mv 2", lambda: torch.mv(o(2, 2), o(2, dtype=d)))
show("matmul mv", lambda: o(2, 2, dtype=d) @ o(2))
show("matmul vm", lambda: o(2, dtype=d) @ o(2, 2))
show("bmm", lambda: torch.bmm(o(1, 2, 2, dtype=d), o(1, 2, 2)))
show("matmul bmm", lambda: o(1, 2, 2, dtype=d) @ o(1, 2, 2))
show("dot", lambda: torch.dot(o(2, dtype=d), o(2)))
show("matmul dot", lambda: o(2, dtype=d) @ o(2))
show("addmm 1", lambda: torch.addmm(o(2, 2), o(2, 2, dtype=d), o(2, 2)))
show("addmm 2", lambda: torch.addmm(o(2, 2), o(2, 2), o(2, 2, dtype=d)))
show("addmm 3", lambda: torch.addmm(o(2, 2, dtype=d), o(2, 2), o(2, 2)))
show("addmv 1", lambda: torch.addmv(o(2), o(2, 2, dtype=d), o(2)))
show("addmv 2", lambda: torch.addmv(o(2, dtype=d), o(2, 2), o(2)))
print(torch.addr(o(2, 2), o(2, dtype=d), o(2)))
show("linear", lambda: F.linear(o(2, 2, dtype=d), o(2, 2)))
# cross_entropy and nll_loss targets
x = torch.linspace(-1, 1, 12).reshape(3, 4)
targets = [torch.tensor([1.0, 2.0, 0.0]), torch.tensor([[1], [2], [0]]),
           torch.tensor([1, 2, 0], dtype=torch.int32), torch.tensor([1, 2]),
           torch.tensor([[1.0, 2.0, 0.0]]), torch.tensor(1), torch.tensor([[1, 2], [0, 1], [1, 1]]),
           torch.tensor([1, 2, 0], dtype=torch.int8), torch.tensor([True, False, True]),
           torch.zeros(3, 4, dtype=torch.long), torch.tensor([1, 2, 7])]
for i, tg in enumerate(targets):
    show(f"ce {i}", lambda: torch.nn.CrossEntropyLoss()(x, tg))
    show(f"nll {i}", lambda: F.nll_loss(x, tg))
x1 = torch.linspace(-1, 1, 4)
for i, tg in enumerate([torch.tensor([1, 2]), torch.tensor(1.0), torch.tensor(9)]):
    show(f"ce 1d {i}", lambda: F.cross_entropy(x1, tg))
x3 = torch.linspace(-1, 1, 40).reshape(2, 4, 5)
for i, tg in enumerate([torch.zeros(2, 4, dtype=torch.long), torch.zeros(2, 5),
                        torch.zeros(3, 5, dtype=torch.long)]):
    show(f"ce 3d {i}", lambda: F.cross_entropy(x3, tg))
# indexing
y = o(3, 3)
show("float index", lambda: y[torch.tensor([0.0, 1.0])])
show("float index set", lambda: setitem(y, torch.tensor([0.0, 1.0]), 2.0))
show("step -1", lambda: torch.arange(4)[::-1])
show("step 0", lambda: y[::0])
show("too many", lambda: y[0, 0, 0])
show("mask", lambda: y[torch.tensor([True, False])])
show("mask dim 1", lambda: y[:, torch.tensor([True, False])])
show("float scalar", lambda: y[1.5])
show("str", lambda: y[None, "a"])
show("slice float", lambda: y[0:2.5])
show("broadcast", lambda: y[torch.tensor([0, 1]), torch.tensor([0, 1, 2])])
show("oob", lambda: y[5])
# writes
show("setitem [:,0]", lambda: setitem(o(2, 3), (slice(None), 0), o(3)))
show("setitem [0]", lambda: setitem(o(2, 3), 0, o(2)))
show("setitem dims", lambda: setitem(o(2, 3), 0, o(2, 1, 3)))
show("setitem rows", lambda: setitem(o(2, 3), slice(None), o(3, 3)))
show("setitem adv", lambda: setitem(o(3, 3), torch.tensor([0, 1]), o(3, 2)))
show("setitem mask", lambda: setitem(o(2, 3), torch.tensor([True, False]), o(2, 3)))
show("setitem graph", lambda: setitem(o(2, 3, requires_grad=True).clone(), 0, o(2)))
z = torch.zeros(2, 3)
setitem(z, 0, o(1, 3))
setitem(z, 1, o(1, 1, 3) * 2)
print(z)
show("uint8 300", lambda: setitem(torch.zeros(2, dtype=torch.uint8), 0, 300))
show("int32 2**40", lambda: setitem(torch.zeros(2, dtype=torch.int32), 0, 2**40))
show("long 2**64", lambda: setitem(torch.zeros(2, dtype=torch.long), 0, 2**64))
show("float 1e300", lambda: setitem(torch.zeros(2), 0, 1e300))
show("None", lambda: setitem(torch.zeros(2), 0, None))
show("str value", lambda: setitem(torch.zeros(2, dtype=torch.long), 0, "a"))
show("copy_ 1", lambda: torch.zeros(3).copy_(o(2)))
show("copy_ 2", lambda: torch.zeros(2, 3).copy_(o(2, 2)))
show("copy_ 3", lambda: torch.zeros(3).copy_(o(1, 3)))
show("add_", lambda: torch.tensor([1, 2]).add_(torch.tensor([1.0, 2.0])))
# integer division by zero
show("//", lambda: torch.tensor(1) // 0)
show("%", lambda: torch.tensor(1) % 0)
show("// tensor", lambda: torch.tensor([1, 2]) // torch.tensor([1, 0]))
show("div trunc", lambda: torch.tensor(1).div(0, rounding_mode="trunc"))
print(torch.tensor(1.0) // 0, torch.tensor([5, -7]).div(2, rounding_mode="trunc"))
# backward's gradient
w = torch.ones(2, 2, requires_grad=True)
show("backward shape", lambda: (w * 2).backward(torch.ones(3)))
show("backward int", lambda: (w * 2).backward(5))
show("backward list", lambda: torch.autograd.backward([w * 2, w * 3], [o(2, 2), o(2)]))
show("grad shape", lambda: torch.autograd.grad(w * 2, w, torch.ones(1, 4)))
show("tensor ragged", lambda: torch.tensor([[1, 2], [3]]))
"""

TORCH_PRINTED = """\
mul (2, 3) (3, 2) RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1
where (2, 3) (3, 2) RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1
mul (2, 3, 4) (3, 2, 5) RuntimeError: The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 2
where (2, 3, 4) (3, 2, 5) RuntimeError: The size of tensor a (4) must match the size of tensor b (5) at non-singleton dimension 2
mul (4, 3) (2, 1, 5) RuntimeError: The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 2
where (4, 3) (2, 1, 5) RuntimeError: The size of tensor a (3) must match the size of tensor b (5) at non-singleton dimension 2
mul (5, 2, 3) (3,) no error
where (5, 2, 3) (3,) no error
mul (2, 3) (4, 5, 3) RuntimeError: The size of tensor a (2) must match the size of tensor b (5) at non-singleton dimension 1
where (2, 3) (4, 5, 3) RuntimeError: The size of tensor a (2) must match the size of tensor b (5) at non-singleton dimension 1
mul (3,) (4,) RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0
where (3,) (4,) RuntimeError: The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 0
mul (2, 3, 4) (2, 5, 7) RuntimeError: The size of tensor a (4) must match the size of tensor b (7) at non-singleton dimension 2
where (2, 3, 4) (2, 5, 7) RuntimeError: The size of tensor a (4) must match the size of tensor b (7) at non-singleton dimension 2
masked_fill mask RuntimeError: The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0
float ValueError: only one element tensors can be converted to Python scalars
int ValueError: only one element tensors can be converted to Python scalars
float empty ValueError: only one element tensors can be converted to Python scalars
item RuntimeError: a Tensor with 2 elements cannot be converted to Scalar
item empty RuntimeError: a Tensor with 0 elements cannot be converted to Scalar
bool RuntimeError: Boolean value of Tensor with more than one value is ambiguous
bool empty RuntimeError: Boolean value of Tensor with no values is ambiguous
int nan ValueError: cannot convert float NaN to integer
int inf OverflowError: cannot convert float infinity to integer
index TypeError: only integer tensors of a single element can be converted to an index
view t RuntimeError: view size is not compatible with input tensor's size and stride (at least one dimension spans across two contiguous subspaces). Use .reshape(...) instead.
view -1 -1 RuntimeError: only one dimension can be inferred
view -2 RuntimeError: invalid shape dimension -2 at index 0 of shape [-2, 3]
reshape -1 -2 RuntimeError: only one dimension can be inferred
view bad RuntimeError: shape '[4, -1]' is invalid for input of size 6
permute 3 of 2 RuntimeError: permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 3
permute 1 of 2 RuntimeError: permute(sparse_coo): number of dimensions in the tensor input does not match the length of the desired ordering of dimensions i.e. input.dim() = 2 is not equal to len(dims) = 1
permute dup RuntimeError: permute(): duplicate dims are not allowed.
permute range IndexError: Dimension out of range (expected to be in range of [-2, 1], but got 5)
mean long RuntimeError: mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long
mean long dim RuntimeError: mean(): could not infer output dtype. Input dtype must be either a floating point or complex dtype. Got: Long
mean dtype long RuntimeError: mean(): could not infer output dtype. Optional dtype must be either a floating point or complex dtype. Got: Long
std long RuntimeError: std and var only support floating point and complex dtypes
var long RuntimeError: std and var only support floating point and complex dtypes
norm long RuntimeError: linalg.vector_norm: Expected a floating point or complex tensor as input. Got Long
matmul mm RuntimeError: expected m1 and m2 to have the same dtype, but got: double != float
mm RuntimeError: expected m1 and m2 to have the same dtype, but got: double != float
mm long RuntimeError: expected m1 and m2 to have the same dtype, but got: long int != float
mm int half RuntimeError: expected m1 and m2 to have the same dtype, but got: int != c10::Half
mv RuntimeError: addmv input tensors must have the same dtype, but got Float, Double, and Float
mv 2 RuntimeError: addmv input tensors must have the same dtype, but got Double, Float, and Double
matmul mv RuntimeError: addmv input tensors must have the same dtype, but got Float, Double, and Float
matmul vm RuntimeError: expected m1 and m2 to have the same dtype, but got: double != float
bmm RuntimeError: expected scalar type Double but found Float
matmul bmm RuntimeError: expected scalar type Double but found Float
dot RuntimeError: dot : expected both vectors to have same dtype, but found Double and Float
matmul dot RuntimeError: dot : expected both vectors to have same dtype, but found Double and Float
addmm 1 RuntimeError: mat1 and mat2 must have the same dtype, but got Double and Float
addmm 2 RuntimeError: self and mat2 must have the same dtype, but got Float and Double
addmm 3 RuntimeError: self and mat2 must have the same dtype, but got Double and Float
addmv 1 RuntimeError: addmv input tensors must have the same dtype, but got Float, Double, and Float
addmv 2 RuntimeError: addmv input tensors must have the same dtype, but got Double, Float, and Float
tensor([[2., 2.],
        [2., 2.]], dtype=torch.float64)
linear RuntimeError: expected m1 and m2 to have the same dtype, but got: double != float
ce 0 RuntimeError: expected target dtype to be Long or Byte, but got Float
nll 0 RuntimeError: expected target dtype to be Long or Byte, but got Float
ce 1 RuntimeError: 0D or 1D target tensor expected, multi-target not supported
nll 1 RuntimeError: 0D or 1D target tensor expected, multi-target not supported
ce 2 RuntimeError: expected target dtype to be Long or Byte, but got Int
nll 2 RuntimeError: expected target dtype to be Long or Byte, but got Int
ce 3 ValueError: Expected input batch_size (3) to match target batch_size (2).
nll 3 ValueError: Expected input batch_size (3) to match target batch_size (2).
ce 4 ValueError: Expected input batch_size (3) to match target batch_size (1).
nll 4 ValueError: Expected input batch_size (3) to match target batch_size (1).
ce 5 ValueError: Expected input batch_size (3) to match target batch_size (0).
nll 5 ValueError: Expected input batch_size (3) to match target batch_size (0).
ce 6 RuntimeError: 0D or 1D target tensor expected, multi-target not supported
nll 6 RuntimeError: 0D or 1D target tensor expected, multi-target not supported
ce 7 RuntimeError: expected target dtype to be Long or Byte, but got Char
nll 7 RuntimeError: expected target dtype to be Long or Byte, but got Char
ce 8 RuntimeError: expected target dtype to be Long or Byte, but got Bool
nll 8 RuntimeError: expected target dtype to be Long or Byte, but got Bool
ce 9 RuntimeError: Expected floating point type for target with class probabilities, got Long
nll 9 RuntimeError: 0D or 1D target tensor expected, multi-target not supported
ce 10 IndexError: Target 7 is out of bounds.
nll 10 IndexError: Target 7 is out of bounds.
ce 1d 0 ValueError: For 1D input, 1D target must have size 1, but got target size: 2
ce 1d 1 RuntimeError: expected target dtype to be Long or Byte, but got Float
ce 1d 2 IndexError: Target 9 is out of bounds.
ce 3d 0 RuntimeError: Expected target size [2, 5], got [2, 4]
ce 3d 1 RuntimeError: expected target dtype to be Long or Byte, but got Float
ce 3d 2 ValueError: Expected input batch_size (2) to match target batch_size (3).
float index IndexError: tensors used as indices must be long, int, byte or bool tensors
float index set IndexError: tensors used as indices must be long, int, byte or bool tensors
step -1 ValueError: step must be greater than zero
step 0 ValueError: slice step cannot be zero
too many IndexError: too many indices for tensor of dimension 2
mask IndexError: The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 3] at index 0
mask dim 1 IndexError: The shape of the mask [2] at index 0 does not match the shape of the indexed tensor [3, 3] at index 1
float scalar IndexError: only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables are valid indices (got float)
str TypeError: new(): invalid data type 'str'
slice float TypeError: slice indices must be integers or None or have an __index__ method
broadcast IndexError: shape mismatch: indexing tensors could not be broadcast together with shapes [2], [3]
oob IndexError: index 5 is out of bounds for dimension 0 with size 3
setitem [:,0] RuntimeError: The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [2].  Tensor sizes: [3]
setitem [0] RuntimeError: The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3].  Tensor sizes: [2]
setitem dims RuntimeError: expand(torch.FloatTensor{[2, 1, 3]}, size=[3]): the number of sizes provided (1) must be greater or equal to the number of dimensions in the tensor (3)
setitem rows RuntimeError: The expanded size of the tensor (2) must match the existing size (3) at non-singleton dimension 0.  Target sizes: [2, 3].  Tensor sizes: [3, 3]
setitem adv RuntimeError: shape mismatch: value tensor of shape [3, 2] cannot be broadcast to indexing result of shape [2, 3]
setitem mask RuntimeError: shape mismatch: value tensor of shape [2, 3] cannot be broadcast to indexing result of shape [1, 3]
setitem graph RuntimeError: The expanded size of the tensor (3) must match the existing size (2) at non-singleton dimension 0.  Target sizes: [3].  Tensor sizes: [2]
tensor([[1., 1., 1.],
        [2., 2., 2.]])
uint8 300 RuntimeError: value cannot be converted to type uint8_t without overflow
int32 2**40 RuntimeError: value cannot be converted to type int without overflow
long 2**64 ValueError: Overflow when unpacking long long
float 1e300 RuntimeError: value cannot be converted to type float without overflow
None TypeError: can't assign a NoneType to a torch.FloatTensor
str value TypeError: can't assign a str to a torch.LongTensor
copy_ 1 RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 0
copy_ 2 RuntimeError: The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1
copy_ 3 RuntimeError: output with shape [3] doesn't match the broadcast shape [1, 3]
add_ RuntimeError: result type Float can't be cast to the desired output type Long
// RuntimeError: ZeroDivisionError
% RuntimeError: ZeroDivisionError
// tensor RuntimeError: ZeroDivisionError
div trunc RuntimeError: ZeroDivisionError
tensor(inf) tensor([ 2, -3])
backward shape RuntimeError: Mismatch in shape: grad_output[0] has a shape of torch.Size([3]) and output[0] has a shape of torch.Size([2, 2]).
backward int TypeError: 'int' object is not iterable
backward list RuntimeError: Boolean value of Tensor with more than one value is ambiguous
grad shape RuntimeError: Mismatch in shape: grad_output[0] has a shape of torch.Size([1, 4]) and output[0] has a shape of torch.Size([2, 2]).
tensor ragged ValueError: expected sequence of length 2 at dim 1 (got 1)
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

# ruff: noqa: E501 - torch's printed lines, verbatim
"""Tensor surfaces as torch 2.13 has them: unbound methods through the class
(torch.Tensor.sum(x), map(torch.Tensor.item, xs), torch.Tensor.backward(loss)), the legacy
type classes under isinstance (torch.FloatTensor, ...), H/mT/mH/adjoint/conj on real
tensors, storage_offset(), stride() of unsqueezed and empty tensors, data_ptr().

The expected output was printed by torch 2.13.0+cpu running PROGRAM under CPython 3.11,
never by adcli."""

from __future__ import annotations

from adcli.engine import api
from adcli.lang.interpreter import Session

PROGRAM = """\
import torch


def show(f):
    try:
        print(repr(f()))
    except Exception as e:
        print(type(e).__name__ + ":", str(e).splitlines()[0].rstrip())


x = torch.arange(6.).reshape(2, 3)
# unbound methods through the class
show(lambda: torch.Tensor.sum(x))
show(lambda: torch.Tensor.add(x, x))
show(lambda: torch.Tensor.add(x, 1, alpha=2))
show(lambda: list(map(torch.Tensor.item, [torch.tensor(1.), torch.tensor(2)])))
show(lambda: torch.Tensor.size(x, 1))
show(lambda: torch.Tensor.view(x, 3, 2))
show(lambda: torch.Tensor.mean(x, dim=0))
show(lambda: torch.Tensor.__add__(x, 1))
show(lambda: torch.Tensor.__getitem__(x, 0))
show(lambda: torch.Tensor.__len__(x))
show(lambda: sorted([torch.tensor(3.), torch.tensor(1.)], key=torch.Tensor.item))
show(lambda: torch.Tensor.float(torch.ones(2, dtype=torch.int64)))
show(lambda: torch.Tensor.matmul(x, x.t()))
show(lambda: torch.Tensor.tolist(x))
w = torch.tensor([1., 2.], requires_grad=True)
torch.Tensor.backward((w * w).sum())
print(w.grad)
# legacy type classes
f = torch.ones(2)
p = torch.nn.Parameter(torch.ones(2))
print(isinstance(f, torch.FloatTensor), isinstance(p, torch.FloatTensor), isinstance(f, torch.LongTensor))
print(isinstance(f, (torch.LongTensor, torch.FloatTensor)), isinstance(3, torch.FloatTensor))
print(isinstance(torch.ones(2, dtype=torch.float64), torch.DoubleTensor), isinstance(torch.tensor(True), torch.BoolTensor))
print(isinstance(torch.ones(2, dtype=torch.long), torch.LongTensor), isinstance(torch.ones(1, dtype=torch.int32), torch.IntTensor))
print(issubclass(torch.FloatTensor, torch.Tensor), torch.FloatTensor.dtype, torch.LongTensor.is_cuda)
print(type(torch.FloatTensor), torch.FloatTensor, torch.FloatTensor.__name__)
print(torch.FloatTensor([1, 2]), torch.LongTensor(2).shape, torch.DoubleTensor(2, 1).dtype)
# H, mT, mH, adjoint, conj
m = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
print(m.H, m.mH.grad_fn.name(), m.mT.grad_fn.name(), m.adjoint().grad_fn.name(), torch.adjoint(m).shape)
show(lambda: torch.ones(3).mT)
show(lambda: torch.ones(3).mH)
show(lambda: torch.ones(3).adjoint())
show(lambda: torch.ones(3, 2, 2).H)
show(lambda: torch.ones(3).H)
print(m.conj() is m, torch.conj(m) is m, m.resolve_conj() is m, m.resolve_neg() is m, m.real is m)
print(m.is_complex(), torch.is_complex(m), m.is_conj(), m.is_neg())
show(lambda: m.imag)
# storage_offset, stride, is_contiguous, data_ptr
y = torch.arange(12.).reshape(3, 4)
print(y.storage_offset(), y[1].storage_offset(), y[1:, 2:].storage_offset(), y[:, 1].storage_offset(), y.t().storage_offset())
print(y.t().is_contiguous(), y.t().stride(), y[:, 1].stride(), y[::2].stride(), y.permute(1, 0).stride())
print(y.expand(2, 3, 4).stride(), y.unsqueeze(0).stride(), y[..., None].stride(), y.unfold(1, 2, 1).stride())
print(torch.empty(0).stride(), torch.zeros(0, 3).stride(), torch.zeros(2, 0).stride(), torch.ones(2, 1, 3).stride())
print(torch.ones(3)[None].stride(), torch.ones(3).unsqueeze(1).stride(), torch.ones(1, 3).expand(2, 3).stride())
print(y.data_ptr() == y[0].data_ptr(), y[1].data_ptr() - y.data_ptr(), y.view(-1).data_ptr() == y.data_ptr(), y.clone().data_ptr() == y.data_ptr())
print(y.t().contiguous().is_contiguous(), y[:, :2].is_contiguous(), y[:, :2].contiguous().stride())
"""

TORCH_PRINTED = """\
tensor(15.)
tensor([[ 0.,  2.,  4.],
        [ 6.,  8., 10.]])
tensor([[2., 3., 4.],
        [5., 6., 7.]])
[1.0, 2]
3
tensor([[0., 1.],
        [2., 3.],
        [4., 5.]])
tensor([1.5000, 2.5000, 3.5000])
tensor([[1., 2., 3.],
        [4., 5., 6.]])
tensor([0., 1., 2.])
2
[tensor(1.), tensor(3.)]
tensor([1., 1.])
tensor([[ 5., 14.],
        [14., 50.]])
[[0.0, 1.0, 2.0], [3.0, 4.0, 5.0]]
tensor([2., 4.])
True True False
True False
True True
True True
False torch.float32 False
<class 'torch.tensortype'> <class 'torch.FloatTensor'> FloatTensor
tensor([1., 2.]) torch.Size([2]) torch.float64
tensor([[1., 4.],
        [2., 5.],
        [3., 6.]], grad_fn=<TransposeBackward0>) TransposeBackward0 TransposeBackward0 TransposeBackward0 torch.Size([3, 2])
RuntimeError: tensor.mT is only supported on matrices or batches of matrices. Got 1-D tensor.
RuntimeError: tensor.mH is only supported on matrices or batches of matrices. Got 1-D tensor.
RuntimeError: tensor.adjoint() is only supported on matrices or batches of matrices. Got 1-D tensor.
RuntimeError: tensor.H is only supported on matrices (2-D tensors). Got 3-D tensor. For batches of matrices, consider using tensor.mH
RuntimeError: tensor.H is only supported on matrices (2-D tensors). Got 1-D tensor.
True True True True True
False False False False
RuntimeError: imag is not implemented for tensors with non-complex dtypes.
0 4 6 1 0
False (1, 4) (4,) (8, 1) (1, 4)
(0, 4, 1) (12, 4, 1) (4, 1, 1) (4, 1, 1)
(1,) (3, 1) (1, 1) (3, 3, 1)
(3, 1) (1, 1) (0, 1)
True 16 True False
True False (2, 1)
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


CUDA_PROGRAM = """\
import torch
print(torch.cuda.FloatTensor, type(torch.cuda.FloatTensor), isinstance(torch.ones(1), torch.cuda.FloatTensor), torch.cuda.LongTensor.is_cuda)
dtype = torch.cuda.FloatTensor if torch.cuda.is_available() else torch.FloatTensor
print(dtype, torch.randn(2).type(dtype).shape)
try:
    torch.cuda.FloatTensor(2)
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.ones(1).type(torch.cuda.FloatTensor)
except Exception as e:
    print(type(e).__name__, e)
"""

CUDA_TORCH_PRINTED = """\
<class 'torch.cuda.FloatTensor'> <class 'torch.tensortype'> False True
<class 'torch.FloatTensor'> torch.Size([2])
TypeError type torch.cuda.FloatTensor not available. Torch not compiled with CUDA enabled.
RuntimeError Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two shared libraries: a CPU library and a CUDA library; this error has occurred because you are trying to use some CUDA functionality, but the CUDA library has not been loaded by the dynamic linker for some reason.  The CUDA library MUST be loaded, EVEN IF you don't directly use any symbols from the CUDA library! One common culprit is a lack of -Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic library dependencies if you don't depend on any of their symbols.  You can check if this has occurred by using ldd on your binary to see if there is a dependency on *_cuda.so library.
"""


def test_torch_cuda_legacy_types_on_the_cpu_build():
    api.reset_state()
    out: list = []
    try:
        Session(dialect="py", out=out.append).exec_source(CUDA_PROGRAM, filename="prog.py")
    finally:
        api.reset_state()
    assert "".join(out) == CUDA_TORCH_PRINTED

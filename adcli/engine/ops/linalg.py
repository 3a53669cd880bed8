"""The grad_fn classes of linear algebra: matrix and vector products, traces and diagonals,
and matmul's dispatch to them. The names are declared in engine/declarations/linalg.py.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import shape as sh
from adcli.engine.ops.elementwise import CloneBackward0
from adcli.engine.ops.kinds import Bilinear, Unary
from adcli.engine.ops.reductions import _sum_dtype
from adcli.engine.ops.shapes import (
    SqueezeBackward1,
    SqueezeBackward4,
    TBackward0,
    TransposeBackward0,
    UnsafeViewBackward0,
    UnsqueezeBackward0,
    expand,
    reshape,
)
from adcli.engine.tensor import (
    Tensor,
)
from adcli.errors import (
    TorchRuntimeError,
    TorchTypeError,
)
from adcli.limits import check_elements, check_work


class MmBackward0(Bilinear):
    saves = "oo"
    what = "mm()"

    def forward(self, a, b):
        if a.ndim != 2 or b.ndim != 2:
            raise TorchRuntimeError(f"mm() needs two matrices (2-D), got {a.ndim}-D and {b.ndim}-D")
        if a.shape[1] != b.shape[0]:
            raise TorchRuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                f"{b.shape[0]}x{b.shape[1]})"
            )
        check_elements(a.shape[0] * b.shape[1], (a.shape[0], b.shape[1]))
        check_work(a.shape[0] * a.shape[1] * b.shape[1], f"mm() of {a.shape[0]}x{a.shape[1]} "
                   f"and {b.shape[0]}x{b.shape[1]} matrices")
        self.a_col, self.b_col = _column_major(a), _column_major(b)
        return a @ b

    def backward(self, F, g, a, b):
        if F.numpy:
            return (None if b is None else g @ b.T), (None if a is None else a.T @ g)
        # torch's mm_mat1_backward / mm_mat2_backward: a column-major input gets its
        # gradient computed transposed
        ga = gb = None
        if b is not None:
            ga = F.t(b @ F.t(g)) if self.a_col else g @ F.t(b)
        if a is not None:
            gb = F.t(F.t(g) @ a) if self.b_col else F.t(a) @ g
        return ga, gb


def _column_major(m: np.ndarray) -> bool:
    """torch's test for a column-major matrix (in elements: strides (1, rows))."""
    item = m.itemsize
    return m.strides[0] == item and m.strides[1] == m.shape[0] * item


class MvBackward0(Bilinear):
    saves = "oo"
    what = "mv()"

    def forward(self, m, v):
        if m.ndim != 2 or v.ndim != 1:
            raise TorchRuntimeError(f"mv() needs a matrix and a vector, got {m.ndim}-D and "
                                    f"{v.ndim}-D")
        if m.shape[1] != v.shape[0]:
            raise TorchRuntimeError(
                f"mv(): a {m.shape[0]}x{m.shape[1]} matrix cannot multiply a vector of size "
                f"{v.shape[0]} (sizes {m.shape[1]} and {v.shape[0]} differ)"
            )
        return m @ v

    def backward(self, F, g, m, v):
        # as torch: grad.ger(vec), and self.t().mv(grad)
        return (None if v is None else F.outer(g, v)), (None if m is None else F.t(m) @ g)


class DotBackward0(Bilinear):
    saves = "oo"
    what = "dot()"

    def forward(self, a, b):
        if a.ndim != 1 or b.ndim != 1:
            raise TorchRuntimeError(f"dot() needs two vectors (1-D), got {a.ndim}-D and "
                                    f"{b.ndim}-D")
        if a.shape != b.shape:
            raise TorchRuntimeError(f"dot(): the vectors have different sizes, {a.shape[0]} and "
                                    f"{b.shape[0]}")
        return np.dot(a, b)

    def backward(self, F, g, a, b):
        return (None if b is None else g * b), (None if a is None else g * a)


class BmmBackward0(Bilinear):
    saves = "oo"
    what = "bmm()"

    def forward(self, a, b):
        if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
            raise TorchRuntimeError(
                f"bmm(): batches of shapes {list(a.shape)} and {list(b.shape)} cannot be "
                "multiplied; expected [b, n, m] and [b, m, p]"
            )
        check_elements(a.shape[0] * a.shape[1] * b.shape[2])
        check_work(a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2],
                   f"bmm() of batches of shapes {list(a.shape)} and {list(b.shape)}")
        return np.matmul(a, b)

    def backward(self, F, g, a, b):
        if F.numpy:
            return (None if b is None else g @ F.mT(b)), (None if a is None else F.mT(a) @ g)
        # as torch: grad.bmm(mat2.transpose(1, 2)) and self.transpose(1, 2).bmm(grad)
        return (None if b is None else BmmBackward0.apply(g, F.mT(b)),
                None if a is None else BmmBackward0.apply(F.mT(a), g))


class TraceBackward0(Unary):

    def forward(self, x):
        if x.ndim != 2:
            raise TorchRuntimeError(f"trace() needs a matrix (2-D), got {x.ndim}-D")
        self.in_shape = x.shape
        return np.trace(x, dtype=_sum_dtype(x, None))

    def backward(self, F, g, x):
        eye = np.eye(*self.in_shape, dtype=bool)
        return (F.where(eye, F.expand(g, self.in_shape), 0.0),)


def _diag_index(length: int, offset: int):
    rows = np.arange(length) + builtins_max(-offset, 0)
    return rows, rows + offset


def builtins_max(a, b):
    return a if a > b else b


def _diag_place(g: np.ndarray, shape: tuple, offset: int, d1: int, d2: int) -> np.ndarray:
    """Zeros of ``shape`` with ``g`` on the diagonal (offset, dims d1 and d2) that
    torch.diagonal(x, offset, d1, d2) reads."""
    z = np.zeros(shape, g.dtype)
    moved = np.moveaxis(z, (d1, d2), (-2, -1))
    rows, cols = _diag_index(g.shape[-1], offset)
    moved[..., rows, cols] = g
    return z


class DiagonalBackward0(Unary):
    """torch.diagonal(x, offset, dim1, dim2): the diagonal as the last dim (a copy here,
    where torch gives a view)."""

    def forward(self, x, offset, d1, d2):
        self.in_shape, self.args = x.shape, (offset, d1, d2)
        return np.diagonal(x, offset, d1, d2).copy()

    def backward(self, F, g, x):
        if F.numpy:
            return (_diag_place(g, self.in_shape, *self.args),)
        return (DiagonalBackwardBackward0.apply(g, self.in_shape, *self.args),)


class DiagonalBackward0_copy(DiagonalBackward0):  # noqa: N801 - torch's name for torch.diag(2-D)
    """torch.diag of a matrix: its diagonal (diagonal_copy in torch)."""


class DiagonalBackwardBackward0(Unary):
    """diagonal's backward as an op: zeros with g on the diagonal."""

    def forward(self, g, shape, offset, d1, d2):
        self.args = (offset, d1, d2)
        return _diag_place(g, shape, offset, d1, d2)

    def backward(self, F, gg, g):
        if F.numpy:
            return (np.diagonal(gg, *self.args).copy(),)
        return (DiagonalBackward0.apply(gg, *self.args),)


class DiagEmbedBackward0(Unary):
    """torch.diag of a vector: a square matrix with the vector on diagonal ``offset``."""

    def forward(self, x, offset):
        self.offset = offset
        return np.diag(x, offset)

    def backward(self, F, g, x):
        if F.numpy:
            return (np.diagonal(g, self.offset).copy(),)
        return (DiagonalBackward0.apply(g, self.offset, 0, 1),)


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """torch.matmul by torch's own decomposition, so that grad_fn names match."""
    if type(a) is not Tensor or type(b) is not Tensor:
        raise TorchTypeError("matmul() arguments must be Tensors")
    na, nb = a._data.ndim, b._data.ndim
    if na == 0 or nb == 0:
        raise TorchRuntimeError("matmul() needs tensors with at least one dimension, got a "
                                f"{na}-D and a {nb}-D tensor")
    if na == 1 and nb == 1:
        return DotBackward0.apply(a, b)
    if na == 2 and nb == 1:
        return MvBackward0.apply(a, b)
    if na == 1 and nb == 2:
        return SqueezeBackward4.apply(MmBackward0.apply(UnsqueezeBackward0.apply(a, 0), b), 0)
    if na == 2 and nb == 2:
        return MmBackward0.apply(a, b)
    if na == 3 and nb == 3:
        # as torch: an operand with a batch of one that requires grad is squeezed to a matrix
        ba, bb = a._data.shape[0], b._data.shape[0]
        if bb == 1 and ba != 1 and b._rg:
            b, nb = SqueezeBackward1.apply(b, 0), 2
        elif ba == 1 and bb != 1 and a._rg:
            a, na = SqueezeBackward1.apply(a, 0), 2
    if _should_fold(a, b):
        # fold the batch dims of the larger operand into a matrix: one mm or mv
        transpose = nb > na
        t1 = _mT(b) if transpose else a
        t2 = (TBackward0.apply(a, (1, 0)) if na == 2 else a) if transpose else b
        s1 = t1._data.shape
        out_shape = s1[:-1] + ((t2._data.shape[1],) if t2._data.ndim == 2 else ())
        folded = reshape(t1, (sh.numel(s1[:-1]), s1[-1]))
        if t2._data.ndim == 2:
            out = UnsafeViewBackward0.apply(MmBackward0.apply(folded, t2), out_shape)
            if transpose:
                out = _mT(out)
                if not out._data.flags.c_contiguous:
                    out = CloneBackward0.apply(out, "C")
            return out
        return UnsafeViewBackward0.apply(MvBackward0.apply(folded, t2), out_shape)
    # broadcast the batch dims, fold them into one, bmm, unfold
    sa, sb = a._data.shape, b._data.shape
    n = sa[-2] if na > 1 else 1
    k, k2 = sa[-1], (sb[-2] if nb > 1 else sb[0])
    m = sb[-1] if nb > 1 else 1
    if k != k2:
        raise TorchRuntimeError(
            f"matmul(): shapes {list(sa)} and {list(sb)} cannot be multiplied (the inner sizes "
            f"{k} and {k2} differ)"
        )
    batch = sh.broadcast_shapes(sa[:max(na - 2, 0)], sb[:max(nb - 2, 0)])
    size = sh.numel(batch)
    b2 = b if nb > 1 else UnsqueezeBackward0.apply(b, 1)
    ae = reshape(expand(a, batch + (n, k)), (size, n, k))
    be = reshape(expand(b2, batch + (k, m)), (size, k, m))
    out = BmmBackward0.apply(ae, be)
    shape = batch + ((n,) if na > 1 else ()) + ((m,) if nb > 1 else ())
    return UnsafeViewBackward0.apply(out, shape)


def _mT(x: Tensor) -> Tensor:
    n = x._data.ndim
    return TransposeBackward0.apply(x, tuple(range(n - 2)) + (n - 1, n - 2))


def _should_fold(a: Tensor, b: Tensor) -> bool:
    """torch's rule for folding a batched matmul into one mm/mv (which decides the graph)."""
    na, nb = a._data.ndim, b._data.ndim
    larger = na >= nb
    t1 = a._data if larger else b._data.swapaxes(-1, -2)
    if not (t1.ndim >= 3 and (nb if larger else na) <= 2):
        return False
    if (b if larger else a)._rg:
        return True
    if na == 2:
        return False
    if t1.size == 0:
        return True
    shape, strides = t1.shape, t1.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(t1.ndim - 2))

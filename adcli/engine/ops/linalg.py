"""The grad_fn classes of linear algebra: matrix and vector products, traces and diagonals,
and matmul's dispatch to them. The names are declared in engine/declarations/linalg.py.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import shape as sh
from adcli.engine.gemm import bmm32, mm32, mv32
from adcli.engine.ops.elementwise import CloneBackward0
from adcli.engine.ops.kinds import Bilinear, Binary, Nary, Unary, View
from adcli.engine.ops.reductions import _sum_dtype, torch_sum
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
    _FWD,
    _GRAD,
    Tensor,
    _wrap,
    edge,
)
from adcli.errors import (
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
)
from adcli.limits import check_elements, check_work


class MmBackward0(Bilinear):
    saves = "oo"
    what = "mm()"

    def forward(self, a, b):
        self._check(a, b)
        return _mm(a, b)

    def _check(self, a, b):
        if a.ndim != 2 or b.ndim != 2:
            raise TorchRuntimeError("self must be a matrix" if a.ndim != 2 else
                                    "mat2 must be a matrix")
        if a.shape[1] != b.shape[0]:
            raise TorchRuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                f"{b.shape[0]}x{b.shape[1]})"
            )
        check_elements(a.shape[0] * b.shape[1], (a.shape[0], b.shape[1]))
        check_work(a.shape[0] * a.shape[1] * b.shape[1], lambda: f"mm() of {a.shape[0]}x"
                   f"{a.shape[1]} and {b.shape[0]}x{b.shape[1]} matrices")
        self.a_col, self.b_col = _column_major(a), _column_major(b)

    def backward(self, F, g, a, b):
        return _mm_grads(self, F, g, a, b)


def _mm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b in torch's float32 order where engine/gemm.py knows it, else numpy's."""
    out = mm32(a, b)
    return a @ b if out is None else out


def _expands_to(shape: tuple, target: tuple) -> bool:
    """Whether ``shape`` broadcasts to ``target`` (addmm's input expanded to the product)."""
    if len(shape) > len(target):
        return False
    return all(s in (1, t) for s, t in zip(shape[::-1], target[::-1]))


def _mm_grads(node, F, g, a, b):
    """torch's mm_mat1_backward / mm_mat2_backward: a column-major input gets its gradient
    computed transposed (which changes the product's shape, so its order)."""
    ga = gb = None
    if F.numpy:
        if b is not None:
            ga = _mm(b, g.T).T if node.a_col else _mm(g, b.T)
        if a is not None:
            gb = _mm(g.T, a).T if node.b_col else _mm(a.T, g)
        return ga, gb
    if b is not None:
        ga = F.t(b @ F.t(g)) if node.a_col else g @ F.t(b)
    if a is not None:
        gb = F.t(F.t(g) @ a) if node.b_col else F.t(a) @ g
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
            raise TorchRuntimeError(f"vector + matrix @ vector expected, got 1, {m.ndim}, "
                                    f"{v.ndim}")
        if m.shape[1] != v.shape[0]:
            raise TorchRuntimeError(f"size mismatch, got input ({m.shape[0]}), mat "
                                    f"({m.shape[0]}x{m.shape[1]}), vec ({v.shape[0]})")
        out = mv32(m, v)
        return m @ v if out is None else out

    def backward(self, F, g, m, v):
        # as torch: grad.ger(vec), and self.t().mv(grad)
        return (None if v is None else F.outer(g, v)), (None if m is None else F.t(m) @ g)


class DotBackward0(Bilinear):
    saves = "oo"
    what = "dot()"

    def forward(self, a, b):
        if a.ndim != 1 or b.ndim != 1:
            raise TorchRuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D "
                                    "tensors")
        if a.shape != b.shape:
            raise TorchRuntimeError(
                f"inconsistent tensor size, expected tensor [{a.shape[0]}] and src "
                f"[{b.shape[0]}] to have the same number of elements, but got {a.shape[0]} "
                f"and {b.shape[0]} elements respectively")
        return np.dot(a, b)

    def backward(self, F, g, a, b):
        return (None if b is None else g * b), (None if a is None else g * a)


def _bmm_sizes(b1: int, k1: int, b2: int, k2: int) -> str:
    return (f"Expected size for first two dimensions of batch2 tensor to be: [{b1}, {k1}] but "
            f"got: [{b2}, {k2}].")


class BmmBackward0(Bilinear):
    saves = "oo"
    what = "bmm()"

    def forward(self, a, b):
        for name, x in (("batch1", a), ("batch2", b)):
            if x.ndim != 3:
                raise TorchRuntimeError(f"{name} must be a 3D tensor")
        if a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
            raise TorchRuntimeError(_bmm_sizes(a.shape[0], a.shape[2], b.shape[0], b.shape[1]))
        check_elements(a.shape[0] * a.shape[1] * b.shape[2])
        check_work(a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2],
                   lambda: f"bmm() of batches of shapes {list(a.shape)} and {list(b.shape)}")
        return _bmm(a, b)

    def backward(self, F, g, a, b):
        if F.numpy:
            return (None if b is None else _bmm(g, F.mT(b))), (None if a is None
                                                                else _bmm(F.mT(a), g))
        # as torch: grad.bmm(mat2.transpose(1, 2)) and self.transpose(1, 2).bmm(grad)
        return (None if b is None else BmmBackward0.apply(g, F.mT(b)),
                None if a is None else BmmBackward0.apply(F.mT(a), g))


def _bmm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    out = bmm32(a, b)
    return np.matmul(a, b) if out is None else out


class TraceBackward0(Unary):

    def forward(self, x):
        if x.ndim != 2:
            raise TorchRuntimeError(f"trace: expected a matrix, but got tensor with dim {x.ndim}")
        self.in_shape = x.shape
        return np.trace(x, dtype=_sum_dtype(x, None))

    def backward(self, F, g, x):
        return (F.trace_backward(g, self.in_shape),)


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


class DiagonalBackward0(View):
    """torch.diagonal(x, offset, dim1, dim2): the diagonal as the last dim, a view sharing
    x's storage (writes into it write into x), as torch."""

    def forward(self, x, offset, d1, d2):
        self.in_shape, self.args = x.shape, (offset, d1, d2)
        return sh.diagonal_view(x, offset, d1, d2)

    def backward(self, F, g, x):
        if F.numpy:
            return (_diag_place(g, self.in_shape, *self.args),)
        return (DiagonalBackwardBackward0.apply(g, self.in_shape, *self.args),)

    def step(self, out):
        return ("diagonal", self.args)


class DiagonalBackward0_copy(Unary):  # noqa: N801 - torch's name for torch.diag(2-D)
    """torch.diag of a matrix: its diagonal (diagonal_copy in torch)."""

    def forward(self, x, offset, d1, d2):
        self.in_shape, self.args = x.shape, (offset, d1, d2)
        return np.diagonal(x, offset, d1, d2).copy()

    def backward(self, F, g, x):
        if F.numpy:
            return (_diag_place(g, self.in_shape, *self.args),)
        return (DiagonalBackwardBackward0.apply(g, self.in_shape, *self.args),)


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
    if type(a) is not Tensor or type(b) is not Tensor:  # the @ operator's words
        names = [type(v).__name__ for v in (a, b)]
        raise TorchTypeError(f"unsupported operand type(s) for @: '{names[0]}' and "
                             f"'{names[1]}'")
    na, nb = a._data.ndim, b._data.ndim
    if na == 0 or nb == 0:
        raise TorchRuntimeError("both arguments to matmul need to be at least 1D, but they are "
                                f"{na}D and {nb}D")
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
    batch = sh.broadcast_shapes(sa[:max(na - 2, 0)], sb[:max(nb - 2, 0)])
    size = sh.numel(batch)
    if k != k2:  # torch's bmm of the batches folded into one
        raise TorchRuntimeError(_bmm_sizes(size, k, size, k2))
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


# ---------------------------------------------------------------- decompositions (linalg)


def _square(x: np.ndarray, fn: str) -> None:
    if x.ndim < 2:
        raise TorchRuntimeError(f"linalg.{fn}: The input tensor A must have at least 2 "
                                "dimensions.")
    if x.shape[-1] != x.shape[-2]:
        raise TorchRuntimeError(f"linalg.{fn}: A must be batches of square matrices, but they "
                                f"are {x.shape[-2]} by {x.shape[-1]} matrices")
    if x.dtype.kind not in "fc":
        raise TorchRuntimeError(f"linalg.{fn}: Expected a floating point or complex tensor as "
                                f"input. Got {_dtype_name(x)}")
    check_work(max(x.size, 1) * x.shape[-1], f"linalg.{fn} of a {list(x.shape)} tensor")


def _dtype_name(x) -> str:
    from adcli.engine import dtypes as dt
    return dt.BY_NP[x.dtype].name.replace("torch.", "").capitalize()


def _mat_g(F, g):
    """g with two trailing dims of size 1 (a batch of scalars against a batch of matrices)."""
    if F.numpy:
        return g[..., None, None]
    return UnsqueezeBackward0.apply(UnsqueezeBackward0.apply(g, g._data.ndim), g._data.ndim + 1)


def _inv(F, x):
    return np.linalg.inv(x) if F.numpy else LinalgInvExBackward0.apply(x)


def _lu_det(x: np.ndarray) -> np.ndarray:
    """det by torch's route: LAPACK's LU with partial pivoting of the column-major matrix
    (the transpose, row by row here), then the product of U's diagonal, in x's dtype."""
    one = np.ones((), x.dtype)
    flat = x.reshape((-1,) + x.shape[-2:])
    out = np.empty(flat.shape[0], x.dtype)
    for i, m in enumerate(flat):
        a = np.array(m.T, copy=True)
        n, sign = a.shape[0], one
        for k in range(n):
            p = k + int(np.argmax(np.abs(a[k:, k])))
            if p != k:
                a[[k, p]] = a[[p, k]]
                sign = -sign
            if a[k, k] != 0:
                col = a[k + 1:, k] * (one / a[k, k])
                a[k + 1:, k] = col
                a[k + 1:, k + 1:] -= np.multiply.outer(col, a[k, k + 1:])
        d = sign
        for k in range(n):
            d = d * a[k, k]
        out[i] = d
    return out.reshape(x.shape[:-2])


class LinalgDetBackward0(Unary):
    saves = "x"
    saves_result = True

    def forward(self, x):
        _square(x, "det")
        return _lu_det(x)

    def backward(self, F, g, x, result):
        return (_mat_g(F, g * result) * F.mT(_inv(F, x)),)


class LinalgPinvBackward0(Unary):
    """linalg.pinv(A, atol, rtol) (and pinverse): the pseudoinverse by the SVD, singular
    values at most max(atol, rtol * the largest) taken as zero."""

    saves = "x"
    saves_result = True

    def forward(self, x, atol, rtol):
        m, n = x.shape[-2:]
        if not x.size:
            return np.zeros(x.shape[:-2] + (n, m), x.dtype)
        u, s, vh = np.linalg.svd(x, full_matrices=False)
        tol = np.maximum(atol, rtol * s[..., :1])
        with np.errstate(divide="ignore"):
            sinv = np.where(s > tol, 1 / s, 0).astype(x.dtype)
        vt = np.swapaxes(vh, -1, -2).conj()
        return ((vt * sinv[..., None, :]) @ np.swapaxes(u, -1, -2).conj()).astype(x.dtype)

    def backward(self, F, g, x, result):
        # derivatives.yaml's pinv_backward(grad, result, self), the smaller products first
        m, n = F.data(x).shape[-2:]
        pinv, a = result, x
        pinv_h, g_h = F.mT(pinv), F.mT(g)
        if m <= n:
            k = g_h @ pinv
            k_pinv_h = k @ pinv_h
            out = (F.mT(pinv @ k) * -1.0 + k_pinv_h - (a @ pinv) @ k_pinv_h
                   + (pinv_h @ pinv) @ (g_h - k @ a))
        else:
            k = pinv @ g_h
            pinv_h_k = pinv_h @ k
            out = (F.mT(k @ pinv) * -1.0 + ((g_h - a @ k) @ pinv) @ pinv_h + pinv_h_k
                   - (pinv_h_k @ pinv) @ a)
        return (out,)


def _raise_singular(x: np.ndarray, fn: str) -> None:
    """torch's LinAlgError for the inverse of a singular matrix: the first matrix of the batch
    whose LU (getrf, partial pivoting) has a zero pivot, and that pivot's 1-based index."""
    from adcli.engine.ops.linalg_solve import LinAlgError, getrf

    info = np.asarray(getrf(x)[2]).reshape(-1)
    for i, v in enumerate(info):
        if v > 0:
            raise LinAlgError(f"{fn}: {_batch_prefix(x, i)}The diagonal element {v} is zero, the "
                              "inversion could not be completed because the input matrix is "
                              "singular.") from None


class LinalgInvExBackward0(Unary):
    saves_result = True

    def forward(self, x):
        _square(x, "inv")
        try:
            return np.linalg.inv(x)
        except np.linalg.LinAlgError:
            _raise_singular(x, "linalg.inv")
            raise

    def backward(self, F, g, x, result):
        it = F.mT(result)
        return ((it @ g @ it) * -1.0,)


class LinalgSolveExBackward0(Nary):
    """linalg.solve(A, B): X with A @ X = B (B a vector or a batch of matrices)."""

    saves_result = True
    saves = "xx"

    def forward(self, arrays, vector):
        a, b = arrays
        _square(a, "solve")
        self.vector = vector
        try:
            if vector:
                return np.linalg.solve(a, b[..., None])[..., 0]
            return np.linalg.solve(a, b)
        except np.linalg.LinAlgError:
            from adcli.engine.ops.linalg_solve import LinAlgError

            raise LinAlgError("torch.linalg.solve: The solver failed because the input matrix "
                              "is singular.") from None

    def backward(self, F, g, a, b, result):
        if F.numpy:
            gb = LinalgSolveExBackward0.forward(self, [a.swapaxes(-1, -2), g], self.vector)
            ga = -(gb[..., :, None] * result[..., None, :] if self.vector
                   else gb @ result.swapaxes(-1, -2))
            return ga, gb
        gb = LinalgSolveExBackward0.apply([F.mT(a), g], self.vector)
        if self.vector:
            from adcli.engine.ops.shapes import UnsqueezeBackward0 as U
            ga = U.apply(gb, gb._data.ndim) * U.apply(result, result._data.ndim - 1) * -1.0
        else:
            ga = (gb @ F.mT(result)) * -1.0
        return ga, gb


class LinalgEighBackward0(Unary):
    """linalg.eigh / eigvalsh: the eigenvalues (ascending) and eigenvectors of a symmetric
    matrix, read from one triangle (``UPLO``). One node per output (``index`` 0: the
    eigenvalues, 1: the eigenvectors), as ``_outputs`` makes them; ``apply`` is eigvalsh."""

    frees = ("vectors", "values")
    index = 0
    values = None

    def forward(self, x, uplo):
        check_matrix(x, "linalg.eigh", square=True)
        w, v = _eigh(x, uplo)
        self.vectors = v
        return w

    def backward(self, F, g, x):
        v = F.const(self.vectors)
        if self.index == 0:  # V diag(gL) V^H (linear in g: also the forward-AD path)
            gk = g[..., None, :] if F.numpy else UnsqueezeBackward0.apply(g, g._data.ndim - 1)
            return ((v * gk) @ F.mT(v),)
        _numpy_only(F, self)
        # V ((skew(V^H gV) / 2) / E) V^H, E_ij = L_j - L_i (1 on the diagonal)
        vv = self.vectors
        w = self.values
        vhgv = _tr(vv) @ g
        vhgv = 0.5 * (vhgv - _tr(vhgv))
        e = w[..., None, :] - w[..., :, None]
        _fill_diag(e, 1)
        return (vv @ ((vhgv / e) @ _tr(vv)),)


class LinalgCrossBackward0(Nary):
    saves = "oo"

    def forward(self, arrays, dim):
        a, b = arrays
        self.dim = dim
        return np.cross(a, b, axis=dim).astype(np.result_type(a, b), copy=False)

    def backward(self, F, g, a, b):
        if F.numpy:
            return (None if b is None else np.cross(b, g, axis=self.dim),
                    None if a is None else np.cross(g, a, axis=self.dim))
        return (None if b is None else LinalgCrossBackward0.apply([b, g], self.dim),
                None if a is None else LinalgCrossBackward0.apply([g, a], self.dim))


class LinalgLstsqBackward0(Nary):
    """linalg.lstsq(A, B).solution: the least-squares solution (A of full column rank)."""

    saves = "xx"
    saves_result = True

    def forward(self, arrays):
        a, b = arrays
        if a.ndim != 2 or b.ndim not in (1, 2):
            raise TorchRuntimeError("linalg.lstsq: only a matrix A and a vector or matrix B "
                                    "are supported in adcli")
        if a.shape[0] != b.shape[0]:
            raise TorchRuntimeError("torch.linalg.lstsq: input.size(-2) should match "
                                    f"other.size(-2), got {a.shape[0]} and {b.shape[0]}")
        sol, _res, rank, _sv = np.linalg.lstsq(a, b, rcond=None)
        self.rank = int(rank)
        return sol.astype(a.dtype, copy=False)

    def backward(self, F, g, a, b, x):
        if not F.numpy:
            raise TorchRuntimeError("the derivative of linalg.lstsq's backward is not "
                                    "implemented in adcli")
        vec = b.ndim == 1
        g2, x2, b2 = (g[:, None], x[:, None], b[:, None]) if vec else (g, x, b)
        pinv = np.linalg.pinv(a)
        gb = pinv.T @ g2
        c = pinv @ pinv.T  # (A^T A)^-1
        r = b2 - a @ x2
        ga = r @ g2.T @ c - a @ c @ g2 @ x2.T
        return ga.astype(a.dtype), (gb[:, 0] if vec else gb).astype(b.dtype)


class EuclideanDistBackward0(Nary):
    """torch.cdist's matrix-product path (p=2 with more than 25 rows, or
    compute_mode='use_mm_for_euclid_dist'): |a|^2 - 2 a.b + |b|^2 as one product of padded
    matrices, clamped at 0, then sqrt, as ATen's _euclidean_dist computes it."""

    saves = "xx"
    saves_result = True

    def forward(self, arrays):
        x1, x2 = arrays
        check_work(x1.shape[-2] * x2.shape[-2] * (x1.shape[-1] + 2), "cdist")
        n1 = torch_sum(x1 * x1, (x1.ndim - 1,), keepdim=True)
        n2 = torch_sum(x2 * x2, (x2.ndim - 1,), keepdim=True)
        a = np.concatenate([x1 * x1.dtype.type(-2), n1, np.ones_like(n1)], -1)
        b = np.concatenate([x2, np.ones_like(n2), n2], -1)
        out = np.matmul(a, np.swapaxes(b, -1, -2))
        return np.sqrt(np.maximum(out, 0))

    def backward(self, F, g, x1, x2, res):
        if not F.numpy:
            raise TorchRuntimeError("cdist: double backward through its matrix-product path "
                                    "is not implemented in adcli")
        with np.errstate(divide="ignore", invalid="ignore"):
            ratio = np.where(res == 0, 0, g / res).astype(res.dtype)
        g1 = x1 * ratio.sum(-1, keepdims=True) - np.matmul(ratio, x2)
        g2 = x2 * ratio.sum(-2)[..., None] - np.matmul(np.swapaxes(ratio, -1, -2), x1)
        return g1, g2


class CdistBackward0(Nary):
    """torch.cdist(x1, x2, p): the p-norm distance of every row pair."""

    saves = "xx"
    saves_result = True

    def forward(self, arrays, p):
        x1, x2 = arrays
        self.p = p
        d = np.abs(x1[..., :, None, :] - x2[..., None, :, :])
        check_work(d.size, "cdist")
        if p == 2:
            return np.sqrt((d * d).sum(-1))
        if p == 1:
            return d.sum(-1)
        if p == float("inf"):
            return d.max(-1)
        if p == 0:
            return (d != 0).sum(-1).astype(x1.dtype)
        return (d ** p).sum(-1) ** (1 / p)

    def backward(self, F, g, x1, x2, result):
        if not F.numpy:
            raise TorchRuntimeError("the derivative for '_cdist_backward' is not implemented.")
        diff = x1[..., :, None, :] - x2[..., None, :, :]
        r = result[..., None]
        p = self.p
        with np.errstate(divide="ignore", invalid="ignore"):
            if p == 2:
                w = np.where(r == 0, 0, diff / r)
            elif p == 1:
                w = np.sign(diff)
            elif p == 0:
                w = np.zeros_like(diff)
            elif p == float("inf"):
                w = np.sign(diff) * (np.abs(diff) == r)
            else:
                w = np.where(r == 0, 0, np.sign(diff) * np.abs(diff) ** (p - 1) / r ** (p - 1))
        gw = g[..., None] * w
        return gw.sum(-2).astype(x1.dtype), (-gw.sum(-3)).astype(x2.dtype)


class DistBackward0(Binary):
    """torch.dist(input, other, p): the p-norm of input - other."""

    saves = "xx"
    saves_result = True

    def forward(self, a, b, p):
        self.p = p
        d = np.abs(a - b).reshape(-1)
        if p == 2:
            return np.sqrt((d * d).sum())
        if p == float("inf"):
            return d.max() if d.size else np.zeros((), d.dtype)
        if p == 0:
            return np.asarray((d != 0).sum(), d.dtype)
        return (d ** p).sum() ** (1 / p)

    def backward(self, F, g, a, b, result):
        diff = a - b
        p = self.p
        if p == 2:
            w = F.where(F.data(result) == 0, 0.0, diff / result) if not F.numpy else (
                np.where(result == 0, 0, diff / np.where(result == 0, 1, result)))
        elif p == 1:
            w = F.sign(diff)
        else:
            if not F.numpy:
                raise TorchRuntimeError("dist(): double backward for p other than 1 and 2 is "
                                        "not implemented in adcli")
            with np.errstate(divide="ignore", invalid="ignore"):
                w = np.where(result == 0, 0, np.sign(diff) * np.abs(diff) ** (p - 1)
                             / result ** (p - 1))
        gd = g * w
        return gd, gd * -1.0


class AddmmBackward0(Nary):
    """torch.addmm(input, mat1, mat2, beta, alpha): beta * input + alpha * (mat1 @ mat2)."""

    saves = "-oo"

    def forward(self, arrays, beta, alpha):
        c, a, b = arrays
        self.beta, self.alpha = beta, alpha
        MmBackward0._check(self, a, b)
        shape = (a.shape[0], b.shape[1])
        if alpha == 1 and beta == 1 and _expands_to(c.shape, shape):
            # torch: the bias expanded into the result, then gemm with beta = 1
            out = mm32(a, b, c)
            if out is not None:
                return out
        mm = _mm(a, b)
        out = mm * alpha if alpha != 1 else mm
        if beta == 0:
            return np.broadcast_to(out, np.broadcast_shapes(c.shape, out.shape)).copy()
        return out + (c * beta if beta != 1 else c)

    def backward(self, F, g, c, a, b):
        gc = None if self._next[0] is None else (g * self.beta if self.beta != 1 else g)
        ga, gb = _mm_grads(self, F, g, a, b)
        if self.alpha != 1:
            ga = None if ga is None else ga * self.alpha
            gb = None if gb is None else gb * self.alpha
        return gc, ga, gb


# ------------------------------------------------- decompositions with several outputs
# torch gives all outputs of a decomposition one grad_fn; here each differentiable output
# gets a node of its own (same class, ``index`` telling which output it is). The backward
# formulas are linear in the incoming gradients, so the sum over the nodes is torch's
# gradient.


def _numpy_only(F, node) -> None:
    if not F.numpy:
        raise TorchNotImplementedError(
            f"the derivative of {node.name()}'s backward (create_graph=True, or forward-mode "
            "AD) is not implemented in adcli")


def _tr(a: np.ndarray) -> np.ndarray:
    return a.swapaxes(-1, -2)


def _fill_diag(a: np.ndarray, value) -> None:
    n = min(a.shape[-2:])
    idx = np.arange(n)
    a[..., idx, idx] = value


def _legacy(x: np.ndarray) -> str:
    from adcli.engine import dtypes as dt
    return dt.BY_NP[x.dtype].legacy


def check_matrix(x: np.ndarray, fn: str, square: bool = False) -> None:
    """torch's checks of a linalg input: at least 2-D, (square,) floating point."""
    if x.ndim < 2:
        raise TorchRuntimeError(f"{fn}: The input tensor A must have at least 2 dimensions.")
    if square and x.shape[-1] != x.shape[-2]:
        raise TorchRuntimeError(f"{fn}: A must be batches of square matrices, but they are "
                                f"{x.shape[-2]} by {x.shape[-1]} matrices")
    if x.dtype.kind not in "fc":
        raise TorchRuntimeError(f"{fn}: Expected a floating point or complex tensor as input. "
                                f"Got {_legacy(x)}")
    if x.dtype == np.float16:
        raise TorchRuntimeError(f"{fn}: Low precision dtypes not supported. Got Half")
    n = min(x.shape[-2:]) if x.size else 0
    check_work(max(x.size, 1) * max(n, 1), f"{fn} of a {list(x.shape)} tensor")


def _batch_prefix(x: np.ndarray, i: int) -> str:
    return f"(Batch element {i}): " if x.ndim > 2 else ""


def _outputs(cls, x: Tensor, arrays: list, differentiable: tuple, **state) -> list:
    """Tensors over ``arrays``; each differentiable one, when ``x`` requires grad, the
    output of its own node of ``cls`` (its ``index``; ``state`` set on every node)."""
    if _FWD[0] is not None:
        raise TorchNotImplementedError(f"forward-mode AD of {cls.__name__[:-9]} is not "
                                       "implemented in adcli")
    e = edge(x) if _GRAD[0] else None
    out = []
    for i, (arr, diff) in enumerate(zip(arrays, differentiable)):
        if e is None or not diff:
            out.append(_wrap(arr))
            continue
        node = object.__new__(cls)
        node.index = i
        for k, v in state.items():
            setattr(node, k, v)
        out.append(node.record(arr, (x,), (e,)))
    return out


# ------------------------------------------------------------------------------ eigh


def _eigh(x: np.ndarray, uplo: str):
    if x.size == 0:
        return (np.zeros(x.shape[:-1], x.dtype), np.zeros(x.shape, x.dtype))
    w, v = np.linalg.eigh(x, UPLO=uplo)
    return w.astype(x.dtype, copy=False), v.astype(x.dtype, copy=False)


def eigh(x: Tensor, uplo: str) -> list:
    """linalg.eigh: [eigenvalues, eigenvectors], one LinalgEighBackward0 each."""
    a = x._data
    check_matrix(a, "linalg.eigh", square=True)
    w, v = _eigh(a, uplo)
    return _outputs(LinalgEighBackward0, x, [w, v], (True, True), vectors=v, values=w)


# ------------------------------------------------------------------------------- svd


def _svd(x: np.ndarray, full_matrices: bool, compute_uv: bool = True):
    """(U, S, Vh) by LAPACK's gesdd (numpy's and torch's CPU driver)."""
    flat = x.reshape((-1,) + x.shape[-2:])
    for i, m in enumerate(flat):
        if not np.isfinite(m).all():
            raise TorchRuntimeError(f"linalg.svd: {_batch_prefix(x, i)}The algorithm failed to "
                                    "converge because the input matrix contained non-finite "
                                    "values.")
    m, n = x.shape[-2:]
    k = min(m, n)
    if x.size == 0:
        mu, nv = (m, n) if full_matrices else (k, k)
        u = np.zeros(x.shape[:-2] + (m, mu), x.dtype)
        vh = np.zeros(x.shape[:-2] + (nv, n), x.dtype)
        _fill_diag(u, 1)
        _fill_diag(vh, 1)
        return u, np.zeros(x.shape[:-2] + (k,), x.dtype), vh
    if not compute_uv:
        return None, np.linalg.svd(x, compute_uv=False).astype(x.dtype, copy=False), None
    u, s, vh = np.linalg.svd(x, full_matrices=full_matrices)
    return (u.astype(x.dtype, copy=False), s.astype(x.dtype, copy=False),
            vh.astype(x.dtype, copy=False))


class LinalgSvdBackward0(Unary):
    """linalg.svd / svdvals: one node per output (``index`` 0: U, 1: S, 2: Vh); ``apply``
    is svdvals (S only)."""

    frees = ("u", "s", "vh")
    index = 1
    full = False

    def forward(self, x):
        check_matrix(x, "linalg.svd")
        self.u, self.s, self.vh = _svd(x, False)
        return self.s

    def _reduced(self):
        u, s, vh = self.u, self.s, self.vh
        if self.full:
            k = s.shape[-1]
            u, vh = u[..., :, :k], vh[..., :k, :]
        return u, s, vh

    def backward(self, F, g, x):
        u, s, vh = self._reduced()
        m, n = u.shape[-2], vh.shape[-1]
        if self.index == 1:  # U diag(gS) Vh (linear in g: also the forward-AD path)
            uc, vc = F.const(u), F.const(vh)
            if F.numpy:
                return ((uc @ (g[..., :, None] * vc)) if m >= n
                        else (uc * g[..., None, :]) @ vc,)
            gk = UnsqueezeBackward0.apply(g, g._data.ndim - (1 if m < n else 0))
            return ((uc @ (gk * vc)) if m >= n else (uc * gk) @ vc,)
        _numpy_only(F, self)
        k = s.shape[-1]
        s2 = s * s
        e = s2[..., None, :] - s2[..., :, None]
        _fill_diag(e, 1)
        if self.index == 0:
            g = g[..., :, :k] if self.full else g
            uhgu = _tr(u) @ g
            ret = ((uhgu - _tr(uhgu)) / e) * s[..., None, :]
            if m > n:
                ga = u @ ret
                gus = g / s[..., None, :]
                ga = ga + gus - u @ (_tr(u) @ gus)
                return (ga @ vh,)
        else:
            g = g[..., :k, :] if self.full else g
            vhgv = vh @ _tr(g)
            ret = s[..., :, None] * ((vhgv - _tr(vhgv)) / e)
            if m < n:
                ga = ret @ vh
                sgv = g / s[..., :, None]
                ga = ga + sgv - (sgv @ _tr(vh)) @ vh
                return (u @ ga,)
        return ((u @ (ret @ vh)) if m >= n else (u @ ret) @ vh,)


def svd(x: Tensor, full_matrices: bool, compute_uv: bool = True) -> list:
    """linalg.svd: [U, S, Vh], one LinalgSvdBackward0 each."""
    a = x._data
    check_matrix(a, "linalg.svd")
    u, s, vh = _svd(a, full_matrices)
    return _outputs(LinalgSvdBackward0, x, [u, s, vh], (True, True, True), u=u, s=s, vh=vh,
                    full=full_matrices)


# ------------------------------------------------------------------------- cholesky


def _cholesky(x: np.ndarray, upper: bool, fn: str) -> np.ndarray:
    """LAPACK's potrf on the lower triangle (the upper one, transposed, for upper=True)."""
    a = _tr(x) if upper else x
    if x.size == 0:
        return np.zeros(x.shape, x.dtype)
    try:
        low = np.linalg.cholesky(a)
    except np.linalg.LinAlgError:
        flat = a.reshape((-1,) + a.shape[-2:])
        for i, m in enumerate(flat):
            order = _failing_minor(m)
            if order:
                from adcli.engine.ops.linalg_solve import LinAlgError

                raise LinAlgError(
                    f"{fn}: {_batch_prefix(x, i)}The factorization could not be completed "
                    "because the input is not positive-definite (the leading minor of order "
                    f"{order} is not positive-definite).") from None
        raise
    low = low.astype(x.dtype, copy=False)
    return np.ascontiguousarray(_tr(low)) if upper else low


def _failing_minor(m: np.ndarray) -> int:
    """The order of the first leading minor whose factorization fails (0: none fails)."""
    def fails(k):
        try:
            np.linalg.cholesky(m[:k, :k])
        except np.linalg.LinAlgError:
            return True
        return False

    n = m.shape[0]
    if not fails(n):
        return 0
    lo, hi = 1, n  # the answer is in [lo, hi]: fails(hi) holds
    while lo < hi:
        mid = (lo + hi) // 2
        if fails(mid):
            hi = mid
        else:
            lo = mid + 1
    return lo


class LinalgCholeskyExBackward0(Unary):
    """linalg.cholesky: L with A = L L^H (U = L^H with upper=True)."""

    saves_result = True
    fn = "linalg.cholesky"

    def forward(self, x, upper):
        check_matrix(x, self.fn, square=True)
        self.upper = upper
        return _cholesky(x, upper, self.fn)

    def backward(self, F, g, x, result):
        _numpy_only(F, self)
        low = result
        if self.upper:
            low, g = _tr(result), _tr(g)
        ga = np.tril(_tr(low) @ g)
        ga = 0.5 * (ga + _tr(np.tril(ga, -1)))
        ga = np.linalg.solve(_tr(low), ga)  # L^-H gA
        return (_tr(np.linalg.solve(_tr(low), _tr(ga))),)  # ... L^-1


class CholeskyBackward0(LinalgCholeskyExBackward0):
    """torch.cholesky (deprecated in torch): linalg.cholesky's values and gradient."""

    fn = "cholesky"


# ------------------------------------------------------------------------------- qr


class LinalgQrBackward0(Unary):
    """linalg.qr: one node per output (``index`` 0: Q, 1: R)."""

    frees = ("q", "r")

    def backward(self, F, g, x):
        _numpy_only(F, self)
        if self.mode == "r":
            raise TorchRuntimeError(
                "The derivative of linalg.qr depends on Q, which is not computed when "
                "mode='r'. Please use linalg.qr(A, mode='reduced') if you are going to "
                "differentiate through linalg.qr.")
        q, r = self.q, self.r
        m, n = q.shape[-2], r.shape[-1]
        if self.mode == "complete" and m > n:
            raise TorchRuntimeError("The QR decomposition is not differentiable when "
                                    "mode='complete' and nrows > ncols.")
        ga = -(_tr(q) @ g) if self.index == 0 else g @ _tr(r)
        if m >= n:
            t = np.triu(ga)
            t = t + _tr(t)
            _fill_diag(t, np.diagonal(t, 0, -2, -1) * 0.5)
            ga = q @ t
            if self.index == 0:
                ga = ga + g
            return (_tr(np.linalg.solve(r, _tr(ga))),)  # gA R^-H
        ga = q @ np.tril(-ga - _tr(-ga))
        ga = _tr(np.linalg.solve(r[..., :, :m], _tr(ga)))
        ga = np.concatenate([ga, np.zeros(ga.shape[:-1] + (n - m,), ga.dtype)], -1)
        if self.index == 1:
            ga = ga + q @ g
        return (ga,)


def qr(x: Tensor, mode: str) -> list:
    """linalg.qr: [Q, R] by LAPACK's geqrf and orgqr (Q empty for mode='r')."""
    a = x._data
    check_matrix(a, "linalg.qr")
    m, n = a.shape[-2:]
    if a.size == 0:
        k = m if mode == "complete" else min(m, n)
        q = np.zeros(a.shape[:-2] + (m, k), a.dtype)
        _fill_diag(q, 1)
        r = np.zeros(a.shape[:-2] + (k, n), a.dtype)
    elif mode == "r":
        r = np.linalg.qr(a, mode="r")
        q = None
    else:
        q, r = np.linalg.qr(a, mode=mode)
    if mode == "r":
        q = np.zeros((0,), a.dtype)
    q, r = q.astype(a.dtype, copy=False), r.astype(a.dtype, copy=False)
    return _outputs(LinalgQrBackward0, x, [q, r], (True, True), q=q, r=r, mode=mode)


# -------------------------------------------------------------------------- slogdet


class LinalgSlogdetBackward0(Unary):
    """linalg.slogdet: one node per output (``index`` 0: the sign, whose gradient is zero
    for a real matrix; 1: log|det A|, whose gradient is g A^-H)."""

    frees = ("a",)

    def backward(self, F, g, x):
        if self.index == 0:
            return (None,)
        _numpy_only(F, self)
        a = self.a
        eye = np.zeros(a.shape, a.dtype)
        _fill_diag(eye, 1)
        try:
            inv_t = np.linalg.solve(_tr(a), eye)
        except np.linalg.LinAlgError:
            inv_t = np.full(a.shape, np.nan, a.dtype)
        return ((g[..., None, None] * inv_t).astype(a.dtype, copy=False),)


def slogdet(x: Tensor) -> list:
    """linalg.slogdet: [sign, log|det|] by an LU factorization (LAPACK's getrf)."""
    a = x._data
    check_matrix(a, "linalg.slogdet", square=True)
    if a.size == 0:
        sign = np.ones(a.shape[:-2], a.dtype)
        logabs = np.zeros(a.shape[:-2], a.dtype)
    else:
        sign, logabs = np.linalg.slogdet(a)
    sign = np.asarray(sign, a.dtype)
    logabs = np.asarray(logabs, a.dtype)
    return _outputs(LinalgSlogdetBackward0, x, [sign, logabs], (True, True), a=a)

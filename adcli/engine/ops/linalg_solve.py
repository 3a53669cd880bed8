"""Triangular, LU and Cholesky solves, and the matrix exponential: torch.linalg's
solve_triangular, lu_factor(_ex), lu, lu_solve, matrix_exp, and torch's triangular_solve,
lu, lu_solve, lu_unpack, cholesky_solve, cholesky_inverse; their grad_fn classes (forward
beside backward) and the functions at torch's signatures. The names are declared in
engine/declarations/linalg.py (and api.LINALG_FUNCTIONS for torch.linalg's).

The kernels follow LAPACK's routes: a triangular solve by substitution one row of the
solution at a time (BLAS trsm's order), the LU by partial pivoting with the pivot's
reciprocal as multiplier (getrf), and the matrix exponential by torch's own optimized Taylor
polynomials of degree 1, 2, 4, 8, 12 or 18 (Bader, Blanes and Casas, 2019), chosen by the
1-norm, with scaling and squaring past the last degree.

The backward formulas are derivatives.yaml's (linalg_solve_triangular_backward,
triangular_solve_backward, lu_factor_ex_backward, linalg_lu_backward, linalg_lu_solve_LU,
cholesky_solve_backward, cholesky_inverse_backward, linalg_matrix_exp_differential),
written with ops when ``F`` is the Tensor backend so that create_graph=True works.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine import shape as sh
from adcli.engine import tensor as _tmod
from adcli.engine.ops.kinds import Nary, Unary
from adcli.engine.return_types import named_result
from adcli.engine.tensor import _FWD, _GRAD, Tensor, _wrap, edge
from adcli.errors import TorchNotImplementedError, TorchRuntimeError, TorchTypeError
from adcli.limits import check_elements, check_work

# ----------------------------------------------------------------------------- helpers


def _tr(a):
    return a.swapaxes(-1, -2)


def _mT(F, x):
    return _tr(x) if F.numpy else x.mT


def _tril(F, x, k=0):
    return np.tril(x, k) if F.numpy else x.tril(k)


def _triu(F, x, k=0):
    return np.triu(x, k) if F.numpy else x.triu(k)


def _cat(F, parts, dim):
    """parts joined along ``dim`` (negative, from the end) under the backend."""
    if F.numpy:
        return np.concatenate(parts, dim)
    return F.cat(parts, F.data(parts[0]).ndim + dim)


def _legacy(x: np.ndarray) -> str:
    return dt.BY_NP[x.dtype].legacy


class LinAlgError(TorchRuntimeError):
    """torch.linalg.LinAlgError (torch._C._LinAlgError): a RuntimeError raised for a singular
    or non-positive-definite input; an uncaught one is reported under torch's name."""

    kind = "torch._C._LinAlgError"
    script_class = True  # `except torch.linalg.LinAlgError as e` binds the error itself


LinAlgError.__module__ = "torch._C"
LinAlgError.__name__ = LinAlgError.__qualname__ = "_LinAlgError"


def _prefix(batched: bool, i: int) -> str:
    return f"(Batch element {i}): " if batched else ""


def _arg(x, fn: str, arg: str) -> Tensor:
    if not isinstance(x, Tensor):
        raise TorchTypeError(f"{fn}(): argument '{arg}' must be Tensor, not {type(x).__name__}")
    return x


def _bool(value, fn: str, arg: str, position: int = 0) -> bool:
    """A bool argument, or torch's TypeError (naming the position of a positional one)."""
    if not isinstance(value, bool):
        where = f" (position {position})" if position else ""
        raise TorchTypeError(f"{fn}(): argument '{arg}'{where} must be bool, not "
                             f"{type(value).__name__}")
    return value


def _kernel_dtype(x: np.ndarray, kernel: str) -> None:
    """torch's refusal of a dtype its LAPACK kernel lacks (integers, bool, half)."""
    if x.dtype.kind not in "fc" or x.dtype == np.float16:
        raise TorchNotImplementedError(f'"{kernel}" not implemented for \'{_legacy(x)}\'')


def _at_least_2d(x: np.ndarray, fn: str, name: str) -> None:
    if x.ndim < 2:
        raise TorchRuntimeError(f"{fn}: The input tensor {name} must have at least 2 "
                                "dimensions.")


def _square(x: np.ndarray, fn: str) -> None:
    if x.shape[-1] != x.shape[-2]:
        raise TorchRuntimeError(f"{fn}A must be batches of square matrices, but they are "
                                f"{x.shape[-2]} by {x.shape[-1]} matrices")


def _dims(shape) -> str:
    return "x".join(map(str, shape))


_WARNED: set = set()


def _warn_once(key: str, message: str, site=None) -> None:
    """A TORCH_WARN_ONCE: the first call in the run only."""
    if key not in _WARNED:
        _WARNED.add(key)
        _tmod.warn(message, site)


def _broadcast_batch(a: np.ndarray, b: np.ndarray):
    """a and b with their batch dims (all but the last two) broadcast to one shape."""
    batch = sh.broadcast_shapes(a.shape[:-2], b.shape[:-2])
    check_elements(sh.numel(batch) * max(a.shape[-2] * a.shape[-1], b.shape[-2] * b.shape[-1]))
    return (np.broadcast_to(a, batch + a.shape[-2:]), np.broadcast_to(b, batch + b.shape[-2:]))


def _work(a: np.ndarray, b: np.ndarray, fn: str) -> None:
    n = a.shape[-1]
    check_work(max(sh.numel(a.shape[:-2]), sh.numel(b.shape[:-2]), 1) * n * n
               * max(b.shape[-1], b.shape[-2], 1), f"{fn} of {list(a.shape)} and "
               f"{list(b.shape)} tensors")


# ------------------------------------------------------------------ triangular solves


def trsm(a: np.ndarray, b: np.ndarray, upper: bool, left: bool = True, unit: bool = False,
         trans: bool = False) -> np.ndarray:
    """The solution X of op(A) X = B (left) or X op(A) = B, A triangular (its other
    triangle unread), op(A) = A^T when ``trans``; batch dims broadcast. One row of X at a
    time (times the reciprocal of its diagonal element), subtracting it from the rows still
    to solve, as BLAS's trsm."""
    b, a = _broadcast_batch(b, a)
    if not left:  # X op(A) = B  <=>  op(A)^T X^T = B^T
        a, b, trans = a, _tr(b), not trans
    if trans:
        a, upper = _tr(a), not upper
    x = np.array(b, dtype=np.result_type(a, b), copy=True)
    n = a.shape[-1]
    order = range(n - 1, -1, -1) if upper else range(n)
    with np.errstate(all="ignore"):
        for k in order:
            if not unit:  # times the pivot's reciprocal, as the BLAS kernels
                x[..., k, :] *= (x.dtype.type(1) / a[..., k, k])[..., None]
            rest = slice(0, k) if upper else slice(k + 1, n)
            if rest.start != rest.stop:
                x[..., rest, :] -= a[..., rest, k, None] * x[..., k, None, :]
    return np.ascontiguousarray(_tr(x)) if not left else x


def _solve_tri(F, a, b, upper, left=True, unit=False):
    """solve_triangular as an op of the backend (a node under the Tensor backend)."""
    if F.numpy:
        return trsm(a, b, upper, left, unit)
    return LinalgSolveTriangularBackward0.apply([a, b], upper, left, unit)


class LinalgSolveTriangularBackward0(Nary):
    """linalg.solve_triangular(A, B, upper, left, unitriangular): X with A X = B (left)
    or X A = B, A read from one triangle (its diagonal taken as ones when unitriangular)."""

    saves = "x-"
    saves_result = True

    def forward(self, arrays, upper, left, unit):
        a, b = arrays
        self.upper, self.left, self.unit = upper, left, unit
        _work(a, b, "linalg.solve_triangular")
        return trsm(a, b, upper, left, unit)

    def backward(self, F, g, a, b, x):
        # gB = A^-H g (the adjoint solve); gA = -gB X^H (left) or -X^H gB, on A's triangle
        upper, left, unit = self.upper, self.left, self.unit
        gb = _solve_tri(F, _mT(F, a), g, not upper, left, unit)
        ga = None
        if self._next[0] is not None:
            ga = -(gb @ _mT(F, x)) if left else -(_mT(F, x) @ gb)
            ga = _triu(F, ga, int(unit)) if upper else _tril(F, ga, -int(unit))
        return ga, (gb if self._next[1] is not None else None)


def _solve_triangular_checks(A: Tensor, B: Tensor, left: bool) -> None:
    a, b = A._data, B._data
    fn = "linalg.solve_triangular"
    _at_least_2d(a, fn, "A")
    _at_least_2d(b, fn, "B")
    _square(a, f"{fn}: ")
    n = a.shape[-1]
    if (b.shape[-2] if left else b.shape[-1]) != n:
        raise TorchRuntimeError(f"{fn}: Incompatible shapes of A and B for the equation "
                                f"{'AX = B' if left else 'XA = B'} ({_dims(a.shape[-2:])} and "
                                f"{_dims(b.shape[-2:])})")
    _kernel_dtype(a, "triangular_solve_cpu")
    _kernel_dtype(b, "triangular_solve_cpu")


def linalg_solve_triangular(A, B, *, upper=None, left=True, unitriangular=False,
                            out=None) -> Tensor:
    """torch.linalg.solve_triangular(A, B, *, upper, left=True, unitriangular=False)."""
    fn = "linalg_solve_triangular"
    if upper is None:
        raise TorchTypeError(f'{fn}() missing 1 required positional arguments: "upper"')
    _arg(A, fn, "A")
    _arg(B, fn, "B")
    upper = _bool(upper, fn, "upper")
    left = _bool(left, fn, "left")
    unitriangular = _bool(unitriangular, fn, "unitriangular")
    _solve_triangular_checks(A, B, left)
    if A._data.dtype != B._data.dtype:  # as torch: B computed in A's dtype
        B = B.to(dt.BY_NP[A._data.dtype])
    return LinalgSolveTriangularBackward0.apply([A, B], upper, left, unitriangular)


TriangularSolveResult = named_result("triangular_solve", ("solution", "cloned_coefficient"))
LuFactorResult = named_result("linalg_lu_factor", ("LU", "pivots"))
LuFactorExResult = named_result("linalg_lu_factor_ex", ("LU", "pivots", "info"))
LuWithInfoResult = named_result("_lu_with_info", ("LU", "pivots", "info"))
LuResult = named_result("linalg_lu", ("P", "L", "U"))
LuUnpackResult = named_result("lu_unpack", ("P", "L", "U"))


def _outputs(cls, inputs: tuple, arrays: list, differentiable: tuple, **state) -> list:
    """Tensors over ``arrays``; each differentiable one, when an input requires grad, the
    output of its own node of ``cls`` (``index``: which output; ``state`` set on each).
    torch gives the outputs one node; the backward formulas here are linear in the
    incoming gradients, so the sum over the nodes is torch's gradient."""
    if _FWD[0] is not None:
        raise TorchNotImplementedError(f"forward-mode AD of {cls.__name__[:-9]} is not "
                                       "implemented in adcli")
    edges = tuple(edge(x) for x in inputs) if _GRAD[0] else (None,) * len(inputs)
    live = any(e is not None for e in edges)
    out = []
    for i, (arr, diff) in enumerate(zip(arrays, differentiable)):
        if not live or not diff:
            out.append(_wrap(arr))
            continue
        node = object.__new__(cls)
        node.index = i
        node.inputs = inputs
        for k, v in state.items():
            setattr(node, k, v)
        out.append(node.record(arr, inputs, edges))
    return out


class TriangularSolveBackward0(Nary):
    """torch.triangular_solve(b, A, upper, transpose, unitriangular): (the solution of
    op(A) X = b, a copy of A). One node per output (``index`` 0: the solution, 1: the
    copy, whose gradient goes to A as it is)."""

    frees = ("inputs", "solution")

    def backward(self, F, g, b, a):
        if self.index == 1:
            return None, g
        upper, trans, unit = self.upper, self.transpose, self.unit
        if F.numpy:
            b, a = (x._data for x in self.inputs)
            x = self.solution
            gb = trsm(a, g, upper, True, unit, not trans)
        else:
            b, a = self.inputs
            # the solution again, as an op of b and A, for the gradient's own gradient
            x = _solve_tri(F, a.mT if trans else a, b, upper != trans, True, unit)
            gb = _solve_tri(F, a if trans else a.mT, g, upper == trans, True, unit)
        ga = None
        if self._next[1] is not None:
            ga = -(x @ _mT(F, gb)) if trans else -(gb @ _mT(F, x))
            ga = _triu(F, ga, int(unit)) if upper else _tril(F, ga, -int(unit))
        return (gb if self._next[0] is not None else None), ga


_INTERNAL = (" (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
             "BatchLinearAlgebra.cpp:")
_TRIANGULAR_SOLVE_DEPRECATION = (
    "torch.triangular_solve is deprecated in favor of torch.linalg.solve_triangular"
    "and will be removed in a future PyTorch release.\ntorch.linalg.solve_triangular has "
    "its arguments reversed and does not return a copy of one of the inputs.\nX = "
    "torch.triangular_solve(B, A).solution\nshould be replaced with\nX = "
    "torch.linalg.solve_triangular(A, B)."
    f"{_INTERNAL}2273.)")


def triangular_solve(input, A, upper=True, transpose=False, unitriangular=False):
    """torch.triangular_solve(b, A, upper=True, transpose=False, unitriangular=False):
    (solution, cloned_coefficient); deprecated in torch."""
    fn = "triangular_solve"
    _arg(input, fn, "input")
    _arg(A, fn, "A")
    for i, (name, v) in enumerate((("upper", upper), ("transpose", transpose),
                                   ("unitriangular", unitriangular))):
        _bool(v, fn, name, i + 3)
    b, a = input._data, A._data
    for name, x in (("b", b), ("A", a)):
        if x.ndim < 2:
            raise TorchRuntimeError(f"torch.triangular_solve: Expected {name} to have at least "
                                    f"2 dimensions, but it has {x.ndim} dimensions instead")
    _warn_once("triangular_solve", _TRIANGULAR_SOLVE_DEPRECATION)
    if b.dtype != a.dtype:
        raise TorchRuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                                f"{_legacy(b)} and A of type {_legacy(a)} instead.")
    _square(a, "")
    if a.shape[-1] != b.shape[-2]:
        raise TorchRuntimeError(
            f"Incompatible matrix sizes for triangular_solve: each A matrix is {a.shape[-2]} by "
            f"{a.shape[-1]} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")
    _kernel_dtype(a, "triangular_solve_cpu")
    bb, ab = _broadcast_batch(b, a)
    _work(ab, bb, "triangular_solve")
    if _FWD[0] is not None:
        # forward AD: torch's tangent, op(A)^-1 (db - dA X) (dA whole, not op(dA) on A's
        # triangle), from ops that carry tangents; (A - A) X is zero, so X is unchanged
        x = trsm(ab, bb, upper, True, unitriangular, transpose)
        fixed = A.detach()
        rhs = input - (A - fixed) @ _wrap(x)
        x = LinalgSolveTriangularBackward0.apply([fixed.mT if transpose else fixed, rhs],
                                                 upper != transpose, True, unitriangular)
        return TriangularSolveResult((x, A.expand(*ab.shape).clone()))
    x = trsm(ab, bb, upper, True, unitriangular, transpose)
    copy = np.array(ab, copy=True)
    out = _outputs(TriangularSolveBackward0, (input, A), [x, copy], (True, True),
                   upper=upper, transpose=transpose, unit=unitriangular, solution=x)
    return TriangularSolveResult(out)


# ---------------------------------------------------------------------------------- LU


def getrf(x: np.ndarray):
    """LU with partial pivoting of each matrix of ``x`` (m by n, k = min(m, n) steps):
    (LU packed, pivots (1-based, int32), info: the first zero pivot's 1-based index, 0
    when none). The multipliers are the column times the pivot's reciprocal, as getrf."""
    m, n = x.shape[-2:]
    k = min(m, n)
    batch = x.shape[:-2]
    count = sh.numel(batch)
    a = np.array(x.reshape((count, m, n)), copy=True)
    piv = np.zeros((count, k), np.int32)
    info = np.zeros(count, np.int32)
    rows = np.arange(count)
    one = np.ones((), x.dtype)
    with np.errstate(all="ignore"):
        for j in range(k):
            p = j + np.argmax(np.abs(a[:, j:, j]), axis=1)
            piv[:, j] = p + 1
            swap = p != j
            if swap.any():
                r = rows[swap]
                top = a[r, j, :].copy()
                a[r, j, :] = a[r, p[swap], :]
                a[r, p[swap], :] = top
            d = a[:, j, j]
            zero = d == 0
            info[(info == 0) & zero] = j + 1
            if j + 1 < m:
                scale = np.where(zero, one, one / np.where(zero, one, d))
                col = a[:, j + 1:, j] * scale[:, None]
                col = np.where(zero[:, None], a[:, j + 1:, j], col)
                a[:, j + 1:, j] = col
                if j + 1 < n:
                    a[:, j + 1:, j + 1:] -= col[:, :, None] * a[:, j, None, j + 1:]
    return (a.reshape(batch + (m, n)), piv.reshape(batch + (k,)), info.reshape(batch))


def _permutation(piv: np.ndarray, m: int, dtype) -> np.ndarray:
    """P with A = P L U, from LAPACK's pivots (row j swapped with row piv[j] - 1)."""
    batch = piv.shape[:-1]
    flat = piv.reshape((sh.numel(batch), piv.shape[-1])).astype(np.int64) - 1
    perm = np.tile(np.arange(m), (flat.shape[0], 1))
    rows = np.arange(flat.shape[0])
    for j in range(flat.shape[1]):
        p = flat[:, j]
        top = perm[:, j].copy()
        perm[:, j] = perm[rows, p]
        perm[rows, p] = top
    out = np.zeros((flat.shape[0], m, m), dtype)
    out[rows[:, None], perm, np.arange(m)[None, :]] = 1
    return out.reshape(batch + (m, m))


def _unpack(lu: np.ndarray):
    """(L, U) of a packed LU: L unit lower (m by k), U upper (k by n)."""
    m, n = lu.shape[-2:]
    k = min(m, n)
    low = np.tril(lu[..., :, :k], -1)
    idx = np.arange(k)
    low[..., idx, idx] = 1
    return low, np.triu(lu[..., :k, :])


def _unpack_ts(F, lu, m, n):
    """L and U of a packed LU under the backend (ops under the Tensor backend)."""
    k = min(m, n)
    if F.numpy:
        return _unpack(lu)
    eye = np.zeros((m, k), F.data(lu).dtype)
    eye[np.arange(k), np.arange(k)] = 1
    low = lu.narrow(-1, 0, k).tril(-1) + _wrap(eye) if k < n else lu.tril(-1) + _wrap(eye)
    up = lu.narrow(-2, 0, k).triu() if k < m else lu.triu()
    return low, up


class _Ops:
    """The Tensor backend's few members that _unpack_ts reads."""

    numpy = False
    data = staticmethod(lambda t: t._data)


def _unpack_ops(lu: Tensor) -> tuple:
    """(L, U) of a packed LU Tensor by tril, triu and narrow (ops that carry tangents)."""
    m, n = lu._data.shape[-2:]
    return _unpack_ts(_Ops, lu, m, n)


def _lu_backward(F, gl, gu, p, low, up, m, n):
    """derivatives.yaml's linalg_lu_backward: A's gradient from those of L (strictly lower
    part) and U (upper part), None where not given. ``p`` is an array (a constant)."""
    k = min(m, n)
    pc = p if F.numpy else _wrap(p)
    if m == n:
        ga = None
        if gl is not None:
            ga = _tril(F, _mT(F, low) @ gl, -1)
        if gu is not None:
            t = _triu(F, gu @ _mT(F, up))
            ga = t if ga is None else ga + t
        ga = _solve_tri(F, _mT(F, up), ga, False, left=False)
        ga = _solve_tri(F, _mT(F, low), ga, True, True, True)
        return pc @ ga
    if m < n:  # wide: U = [U1 U2]
        u1 = up[..., :, :k] if F.numpy else up.narrow(-1, 0, k)
        ga = None
        if gl is not None:
            ga = _mT(F, low) @ gl
        if gu is not None:
            t = _triu(F, gu) @ _mT(F, up)
            ga = -t if ga is None else ga - t
        ga = _solve_tri(F, _mT(F, u1), _tril(F, ga, -1), False, left=False)
        if gu is not None:
            gu1 = gu[..., :, :k] if F.numpy else gu.narrow(-1, 0, k)
            gu2 = gu[..., :, k:] if F.numpy else gu.narrow(-1, k, n - k)
            parts = [ga + _triu(F, gu1), gu2]
            ga = _cat(F, parts, -1)
        ga = _solve_tri(F, _mT(F, low), ga, True, True, True)
        if gu is None:
            pad = np.zeros(F.data(ga).shape[:-1] + (n - k,), F.data(ga).dtype)
            ga = _cat(F, [ga, pad], -1)
        return pc @ ga
    # tall: L = [L1; L2]
    l1 = low[..., :k, :] if F.numpy else low.narrow(-2, 0, k)
    ga = None
    if gu is not None:
        ga = gu @ _mT(F, up)
    if gl is not None:
        t = _mT(F, low) @ _tril(F, gl, -1)
        ga = -t if ga is None else ga - t
    ga = _solve_tri(F, _mT(F, l1), _triu(F, ga), True, True, True)
    if gl is not None:
        gl1 = gl[..., :k, :] if F.numpy else gl.narrow(-2, 0, k)
        gl2 = gl[..., k:, :] if F.numpy else gl.narrow(-2, k, m - k)
        parts = [ga + _tril(F, gl1, -1), gl2]
        ga = _cat(F, parts, -2)
    ga = _solve_tri(F, _mT(F, up), ga, False, left=False)
    if gl is None:
        pad = np.zeros(F.data(ga).shape[:-2] + (m - k, n), F.data(ga).dtype)
        ga = _cat(F, [ga, pad], -2)
    return pc @ ga


def _lu_input(A, fn: str, name: str = "A") -> np.ndarray:
    x = A._data
    if x.ndim < 2:
        raise TorchRuntimeError(f"torch.lu_factor: Expected tensor with 2 or more dimensions. "
                                f"Got size: {list(x.shape)} instead")
    _kernel_dtype(x, "lu_cpu")
    m, n = x.shape[-2:]
    check_work(max(sh.numel(x.shape[:-2]), 1) * m * n * max(min(m, n), 1),
               f"{fn} of a {list(x.shape)} tensor")
    return x


class LinalgLuFactorExBackward0(Unary):
    """linalg.lu_factor(_ex): the packed LU (pivots and info are integers, not
    differentiable); ``keep`` receives them."""

    saves_result = True
    frees = ("pivots",)

    def forward(self, x, keep):
        lu, self.pivots, info = getrf(x)
        keep.extend((self.pivots, info))
        return lu

    def backward(self, F, g, x, lu):
        # lu_factor_ex_backward: linalg_lu_backward with gL = g's strictly lower part (its
        # first k columns) and gU = g's upper part (its first k rows)
        m, n = F.data(lu).shape[-2:]
        k = min(m, n)
        low, up = _unpack_ts(F, lu, m, n)
        p = _permutation(self.pivots, m, F.data(lu).dtype)
        gl = g[..., :, :k] if F.numpy else (g.narrow(-1, 0, k) if k < n else g)
        gu = g[..., :k, :] if F.numpy else (g.narrow(-2, 0, k) if k < m else g)
        return (_lu_backward(F, _tril(F, gl, -1), _triu(F, gu), p, low, up, m, n),)


def _no_pivot(pivot, fn: str) -> None:
    if not pivot:
        raise TorchRuntimeError("linalg.lu_factor: LU without pivoting is not implemented on "
                                "the CPU")


def _singular(info: np.ndarray, fn: str) -> None:
    flat = info.reshape(-1)
    for i, v in enumerate(flat):
        if v > 0:
            raise TorchRuntimeError(
                f"{fn}: {_prefix(info.ndim > 0, i)}U[{v},{v}] is zero and using it on lu_solve "
                "would result in a division by zero. If you still want to perform the "
                "factorization, consider calling linalg.lu(A, pivot) or linalg.lu_factor_ex(A, "
                "pivot)")


def _lu_factor(A, pivot, fn):
    _arg(A, fn.replace(".", "_"), "A")
    _bool(pivot, fn.replace(".", "_"), "pivot")
    _lu_input(A, fn)
    _no_pivot(pivot, fn)
    keep: list = []
    lu = LinalgLuFactorExBackward0.apply(A, keep)
    return lu, _wrap(keep[0]), _wrap(keep[1])


def linalg_lu_factor(A, *, pivot=True) -> tuple:
    """torch.linalg.lu_factor(A, *, pivot=True): (LU, pivots); raises for a singular A."""
    lu, piv, info = _lu_factor(A, pivot, "linalg.lu_factor")
    _singular(info._data, "torch.linalg.lu_factor")
    return LuFactorResult((lu, piv))


def linalg_lu_factor_ex(A, *, pivot=True, check_errors=False) -> tuple:
    """torch.linalg.lu_factor_ex(A, *, pivot=True, check_errors=False): (LU, pivots, info)."""
    lu, piv, info = _lu_factor(A, pivot, "linalg.lu_factor_ex")
    if _bool(check_errors, "linalg_lu_factor_ex", "check_errors"):
        _singular(info._data, "torch.linalg.lu_factor_ex")
    return LuFactorExResult((lu, piv, info))


_LU_DEPRECATION = (
    "torch.lu is deprecated in favor of torch.linalg.lu_factor / torch.linalg.lu_factor_ex and "
    "will be removed in a future PyTorch release.\nLU, pivots = torch.lu(A, compute_pivots)\n"
    "should be replaced with\nLU, pivots = torch.linalg.lu_factor(A, compute_pivots)\nand\n"
    "LU, pivots, info = torch.lu(A, compute_pivots, get_infos=True)\nshould be replaced with\n"
    "LU, pivots, info = torch.linalg.lu_factor_ex(A, compute_pivots)"
    f"{_INTERNAL}2073.)")


def lu(A, pivot=True, get_infos=False):
    """torch.lu(A, pivot=True, get_infos=False): (LU, pivots), or (LU, pivots, infos);
    deprecated in torch, and never raising for a singular A."""
    _arg(A, "_lu_with_info", "input")
    _lu_input(A, "lu")
    _warn_once("lu", _LU_DEPRECATION, ("functional.py", 2202, "return torch._lu_with_info(A, "
                                        "pivot=pivot, check_errors=(not get_infos))"))
    _no_pivot(pivot, "lu")
    keep: list = []
    out = LinalgLuFactorExBackward0.apply(A, keep)
    piv, info = _wrap(keep[0]), _wrap(keep[1])
    if get_infos:
        return LuWithInfoResult((out, piv, info))
    return (out, piv)


class LinalgLuBackward0(Unary):
    """linalg.lu: one node per output (``index`` 1: L, 2: U; P has none)."""

    frees = ("p", "low", "up", "outputs")

    def backward(self, F, g, x):
        m, n = self.low.shape[-2], self.up.shape[-1]
        # under the Tensor backend, L and U are the outputs themselves (for the gradient's
        # own gradient)
        low, up = (self.low, self.up) if F.numpy else self.outputs
        gl = _tril(F, g, -1) if self.index == 1 else None
        gu = _triu(F, g) if self.index == 2 else None
        return (_lu_backward(F, gl, gu, self.p, low, up, m, n),)


def linalg_lu(A, *, pivot=True) -> tuple:
    """torch.linalg.lu(A, *, pivot=True): (P, L, U) with A = P L U."""
    _arg(A, "linalg_lu", "A")
    _bool(pivot, "linalg_lu", "pivot")
    x = A._data
    if x.ndim < 2:
        raise TorchRuntimeError(f"linalg.lu: Expected tensor with 2 or more dimensions. Got "
                                f"size: {list(x.shape)} instead")
    _lu_input(A, "linalg.lu")
    _no_pivot(pivot, "linalg.lu")
    if _FWD[0] is not None:  # forward AD: the packed factors (ops that carry tangents)
        keep: list = []
        packed = LinalgLuFactorExBackward0.apply(A, keep)
        p = _permutation(keep[0], x.shape[-2], x.dtype)
        return LuResult((_wrap(p), *_unpack_ops(packed)))
    packed, piv, _info = getrf(x)
    p = _permutation(piv, x.shape[-2], x.dtype)
    low, up = _unpack(packed)
    out = _outputs(LinalgLuBackward0, (A,), [p, low, up], (False, True, True), p=p, low=low,
                   up=up)
    for t in out[1:]:
        if t._grad_fn is not None:
            t._grad_fn.outputs = (out[1], out[2])
    return LuResult(out)


# ------------------------------------------------------------------------- lu_unpack


class LuUnpackBackward0(Unary):
    """torch.lu_unpack: one node per output (``index`` 0: L, 1: U), LU's gradient its
    strictly lower part (from L) or upper part (from U), in LU's shape."""

    def backward(self, F, g, x):
        m, n = self.shape
        k = min(m, n)
        if self.index == 0:
            t = _tril(F, g, -1)  # m by k
            if k < n:
                pad = np.zeros(F.data(t).shape[:-1] + (n - k,), F.data(t).dtype)
                t = _cat(F, [t, pad], -1)
        else:
            t = _triu(F, g)  # k by n
            if k < m:
                pad = np.zeros(F.data(t).shape[:-2] + (m - k, n), F.data(t).dtype)
                t = _cat(F, [t, pad], -2)
        return (t,)


def _check_pivots(piv: np.ndarray, lu_shape: tuple, fn: str) -> None:
    m = lu_shape[-2]
    if piv.size and (piv.min() < 1 or piv.max() > m):
        if fn == "lu_unpack":
            raise TorchRuntimeError("pivots passed to lu_unpack must be between 1 and "
                                    "LU.size(-2) inclusive.Did you properly pass the result of "
                                    "lu_factor?")
        if piv.min() < 1:
            raise TorchRuntimeError("Pivots given to lu_solve must all be greater or equal to "
                                    "1. Did you properly pass the result of lu_factor?")
        raise TorchRuntimeError("Pivots given to lu_solve must all be smaller or equal to "
                                "LU.size(-2). Did you properly pass the result of lu_factor?")


def lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True) -> tuple:
    """torch.lu_unpack(LU_data, LU_pivots, unpack_data=True, unpack_pivots=True): (P, L, U)
    with A = P L U (empty tensors for what is not unpacked)."""
    fn = "lu_unpack"
    _arg(LU_data, fn, "LU_data")
    _arg(LU_pivots, fn, "LU_pivots")
    _bool(unpack_data, fn, "unpack_data", 3)
    _bool(unpack_pivots, fn, "unpack_pivots", 4)
    x, piv = LU_data._data, LU_pivots._data
    if x.ndim < 2:
        raise TorchRuntimeError(f"torch.lu_unpack: Expected tensor with 2 or more dimensions. "
                                f"Got size: {list(x.shape)} instead")
    if unpack_pivots and piv.dtype != np.int32:
        raise TorchRuntimeError("torch.lu_unpack: LU_pivots is expected to be a contiguous "
                                "tensor of torch.int32 dtype.")
    m, n = x.shape[-2:]
    k = min(m, n)
    empty = np.zeros((0,), x.dtype)
    if unpack_pivots:
        batch = sh.broadcast_shapes(x.shape[:-2], piv.shape[:-1])
        if piv.shape[-1:] != (k,) and piv.size:
            _check_pivots(np.zeros(1, np.int32), x.shape, fn)
        _check_pivots(piv, x.shape, fn)
        p = _permutation(np.broadcast_to(piv, batch + (k,)), m, x.dtype)
    else:
        p = empty
    if not unpack_data:
        return LuUnpackResult((_wrap(p), _wrap(empty), _wrap(empty.copy())))
    if _FWD[0] is not None:  # forward AD: L and U by ops that carry tangents
        return LuUnpackResult((_wrap(p), *_unpack_ops(LU_data)))
    low, up = _unpack(x)
    out = _outputs(LuUnpackBackward0, (LU_data,), [low, up], (True, True), shape=(m, n))
    return LuUnpackResult((_wrap(p), *out))


# -------------------------------------------------------------------------- lu_solve


def getrs(lu: np.ndarray, piv: np.ndarray, b: np.ndarray, adjoint: bool) -> np.ndarray:
    """The solution of A X = B (A^H X = B when ``adjoint``) from A's packed LU, batch dims
    broadcast: B's rows swapped, then the two triangular solves (getrs's order)."""
    batch = sh.broadcast_shapes(sh.broadcast_shapes(lu.shape[:-2], b.shape[:-2]), piv.shape[:-1])
    n = lu.shape[-1]
    lu = np.broadcast_to(lu, batch + lu.shape[-2:])
    p = _permutation(np.broadcast_to(piv, batch + piv.shape[-1:]), n, lu.dtype)
    b = np.broadcast_to(b, batch + b.shape[-2:])
    if not adjoint:
        y = _tr(p) @ b
        y = trsm(lu, y, False, True, True)
        return trsm(lu, y, True)
    y = trsm(lu, b, True, True, False, True)
    y = trsm(lu, y, False, True, True, True)
    return p @ y


class LinalgLuSolveBackward0(Nary):
    """linalg.lu_solve(LU, pivots, B, left, adjoint): X with A X = B (A^H X = B when
    adjoint; X A = B or X A^H = B when not left), A = P L U given packed."""

    saves = "x-"
    saves_result = True
    frees = ("pivots",)

    def forward(self, arrays, pivots, left, adjoint):
        lu, b = arrays
        self.pivots, self.left, self.adjoint = pivots, left, adjoint
        _work(lu, b, "linalg.lu_solve")
        if left:
            return getrs(lu, pivots, b, adjoint)
        # X op(A) = B  <=>  op(A)^H X^H = B^H
        return np.ascontiguousarray(_tr(getrs(lu, pivots, _tr(b), not adjoint)))

    def backward(self, F, g, lu, _b, x):
        left, adjoint = self.left, self.adjoint
        gb = None
        if self._next[1] is not None:  # B: lu_solve(LU, pivots, g, left, not adjoint)
            if F.numpy:
                gb = LinalgLuSolveBackward0.forward(self, [lu, g], self.pivots, left,
                                                    not adjoint)
                self.adjoint = adjoint
            else:
                gb = LinalgLuSolveBackward0.apply([lu, g], self.pivots, left, not adjoint)
        if self._next[0] is None:
            return None, gb
        n = F.data(lu).shape[-1]
        low, up = _unpack_ts(F, lu, n, n)
        if left != adjoint:
            # gR = U^-H op(-g) op(X)^H, gL = (L^-H gR U^H).tril(-1), gU = gR.triu()
            prod = (g @ _mT(F, x)) if left else (_mT(F, g) @ x)
            gr = _solve_tri(F, _mT(F, up), -prod, False)
            gl = _tril(F, _solve_tri(F, _mT(F, low), gr @ _mT(F, up), True, True, True), -1)
            return gl + _triu(F, gr), gb
        p = _permutation(self.pivots, n, F.data(lu).dtype)
        p = p if F.numpy else _wrap(p)
        # gR = -P^T op(X) op(g)^H P L^-H, gU = (L^H gR U^-H).triu()
        prod = (x @ _mT(F, g)) if left else (_mT(F, x) @ g)
        gr = -(_mT(F, p) @ prod @ p)
        gr = _solve_tri(F, _mT(F, low), gr, True, left=False, unit=True)
        gu = _triu(F, _solve_tri(F, _mT(F, up), _mT(F, low) @ gr, False, left=False))
        return _tril(F, gr, -1) + gu, gb


def linalg_lu_solve(LU, pivots, B, *, left=True, adjoint=False, out=None) -> Tensor:
    """torch.linalg.lu_solve(LU, pivots, B, *, left=True, adjoint=False)."""
    fn = "linalg_lu_solve"
    _arg(LU, fn, "LU")
    _arg(pivots, fn, "pivots")
    _arg(B, fn, "B")
    left = _bool(left, fn, "left")
    adjoint = _bool(adjoint, fn, "adjoint")
    lu_, piv, b = LU._data, pivots._data, B._data
    _at_least_2d(lu_, "linalg.lu_solve", "LU")
    _at_least_2d(b, "linalg.lu_solve", "B")
    _square(lu_, "torch.linalg.lu_solve: ")
    n = lu_.shape[-1]
    if (b.shape[-2] if left else b.shape[-1]) != n:
        raise TorchRuntimeError(
            "linalg.lu_solve: Incompatible shapes of A and B for the equation "
            f"{'AX = B' if left else 'XA = B'} ({_dims(lu_.shape[-2:])} and "
            f"{_dims(b.shape[-2:])})")
    if lu_.dtype != b.dtype:
        raise TorchRuntimeError(f"linalg.lu_solve: Expected LU and B to have the same dtype, "
                                f"but found LU of type {_legacy(lu_)} and B of type "
                                f"{_legacy(b)} instead")
    if piv.dtype != np.int32:
        raise TorchRuntimeError("linalg.lu_solve: pivots should be a Tensor of scalar type "
                                "torch.int32")
    if piv.shape != lu_.shape[:-1]:
        if piv.shape[-1:] != lu_.shape[-1:]:
            raise TorchRuntimeError("linalg.lu_solve: Number of pivots per batch should be same "
                                    "as the dimension of the matrix")
        raise TorchRuntimeError("linalg.lu_solve: Expected LU.shape[:-1] and pivots.shape to "
                                f"be the same, but got pivots with shape {list(piv.shape)} "
                                "instead")
    _kernel_dtype(lu_, "linalg.lu_solve_cpu")
    _check_pivots(piv, lu_.shape, "lu_solve")
    return LinalgLuSolveBackward0.apply([LU, B], piv, left, adjoint)


_LU_SOLVE_DEPRECATION = (
    "torch.lu_solve is deprecated in favor of torch.linalg.lu_solveand will be removed in a "
    "future PyTorch release.\nNote that torch.linalg.lu_solve has its arguments reversed.\nX = "
    "torch.lu_solve(B, LU, pivots)\nshould be replaced with\nX = torch.linalg.lu_solve(LU, "
    "pivots, B)"
    f"{_INTERNAL}2230.)")


def lu_solve(input, LU_data, LU_pivots, *, out=None) -> Tensor:
    """torch.lu_solve(b, LU_data, LU_pivots): linalg.lu_solve(LU_data, LU_pivots, b);
    deprecated in torch."""
    _arg(input, "lu_solve", "input")
    _arg(LU_data, "lu_solve", "LU_data")
    _arg(LU_pivots, "lu_solve", "LU_pivots")
    _warn_once("lu_solve", _LU_SOLVE_DEPRECATION)
    return linalg_lu_solve(LU_data, LU_pivots, input)


# ------------------------------------------------------------------------ Cholesky


def potrs(low: np.ndarray, b: np.ndarray, upper: bool) -> np.ndarray:
    """The solution of A X = B with A = L L^H (U^H U when ``upper``), batch dims broadcast."""
    if upper:
        y = trsm(low, b, True, True, False, True)
        return trsm(low, y, True)
    y = trsm(low, b, False)
    return trsm(low, y, False, True, False, True)


class CholeskySolveBackward0(Nary):
    """torch.cholesky_solve(B, L, upper): X with (L L^H) X = B (U^H U with upper=True)."""

    saves = "xx"
    saves_result = True

    def forward(self, arrays, upper):
        b, low = arrays
        self.upper = upper
        _work(low, b, "cholesky_solve")
        return potrs(low, b, upper)

    def backward(self, F, g, b, low, x):
        upper = self.upper
        if F.numpy:
            gb = potrs(low, g, upper)
        else:
            gb = CholeskySolveBackward0.apply([g, low], upper)
        gl = None
        if self._next[1] is not None:
            common = gb @ _mT(F, x)
            common = common + _mT(F, common)
            gl = -(low @ common) if upper else -(common @ low)
        return (gb if self._next[0] is not None else None), gl


def cholesky_solve(input, input2, upper=False, *, out=None) -> Tensor:
    """torch.cholesky_solve(B, L, upper=False): X with (L L^H) X = B."""
    fn = "cholesky_solve"
    _arg(input, fn, "input")
    _arg(input2, fn, "input2")
    upper = _bool(upper, fn, "upper", 3)
    b, low = input._data, input2._data
    if b.ndim < 2:
        raise TorchRuntimeError(f"b should have at least 2 dimensions, but has {b.ndim} "
                                "dimensions instead")
    if low.ndim < 2:
        raise TorchRuntimeError(f"u should have at least 2 dimensions, but has {low.ndim} "
                                "dimensions instead")
    if b.dtype != low.dtype:
        raise TorchRuntimeError(f"Expected b and A to have the same dtype, but found b of type "
                                f"{_legacy(b)} and A of type {_legacy(low)} instead.")
    _square(low, "")
    if low.shape[-1] != b.shape[-2]:
        raise TorchRuntimeError(
            f"Incompatible matrix sizes for cholesky_solve: each A matrix is {low.shape[-2]} by "
            f"{low.shape[-1]} but each b matrix is {b.shape[-2]} by {b.shape[-1]}")
    _kernel_dtype(low, "cholesky_solve_cpu")
    return CholeskySolveBackward0.apply([input, input2], upper)


class CholeskyInverseBackward0(Unary):
    """torch.cholesky_inverse(L, upper): (L L^H)^-1 (U^H U with upper=True)."""

    saves = "x"
    saves_result = True

    def forward(self, low, upper):
        self.upper = upper
        check_work(max(low.size, 1) * low.shape[-1], f"cholesky_inverse of a "
                   f"{list(low.shape)} tensor")
        diag = np.diagonal(low, 0, -2, -1).reshape((sh.numel(low.shape[:-2]), low.shape[-1]))
        for i, d in enumerate(diag):
            zero = np.flatnonzero(d == 0)
            if zero.size:
                raise LinAlgError(
                    f"cholesky_inverse: {_prefix(low.ndim > 2, i)}The diagonal element "
                    f"{zero[0] + 1} is zero, the inversion could not be completed because the "
                    "input matrix is singular.")
        n = low.shape[-1]
        eye = np.broadcast_to(np.eye(n, dtype=low.dtype), low.shape)
        inv = trsm(low, eye, upper)  # the triangle's inverse (trtri)
        out = inv @ _tr(inv) if upper else _tr(inv) @ inv
        tri = np.tril(out)  # one triangle, mirrored: exactly symmetric, as potri
        return tri + _tr(np.tril(out, -1))

    def backward(self, F, g, low, inverse):
        common = g + _mT(F, g)
        common = inverse @ (common @ inverse)
        return (-(low @ common) if self.upper else -(common @ low),)


def cholesky_inverse(input, upper=False, *, out=None) -> Tensor:
    """torch.cholesky_inverse(L, upper=False): (L L^H)^-1 from a Cholesky factor."""
    _arg(input, "cholesky_inverse", "input")
    upper = _bool(upper, "cholesky_inverse", "upper", 2)
    x = input._data
    _at_least_2d(x, "cholesky_inverse", "A")
    _square(x, "cholesky_inverse: ")
    _kernel_dtype(x, "cholesky_inverse_out_cpu")
    if _FWD[0] is not None:
        # forward AD: torch's tangent P + P^H, P = -X dL X L^H (-X dU^H X U with upper),
        # from ops that carry tangents; (L - L) is zero, so the value is X's
        fixed = input.detach()
        x = CholeskyInverseBackward0.apply(fixed, upper)
        d = input - fixed
        p = -(x @ (d.mT if upper else d) @ x @ (fixed if upper else fixed.mT))
        return x + (p + p.mT)
    return CholeskyInverseBackward0.apply(input, upper)


# ---------------------------------------------------------------------- matrix_exp

# torch's thresholds on the 1-norm for the Taylor degrees 1, 2, 4, 8, 12 and 18
_THETAS = {
    np.dtype(np.float32): (1.192092800768788e-07, 5.978858893805233e-04,
                           5.116619363445086e-02, 5.800524627688768e-01,
                           1.461661507209034e+00, 3.010066362817634e+00),
    np.dtype(np.float64): (2.220446049250313e-16, 2.580956802971767e-08,
                           3.397168839976962e-04, 4.991228871115323e-02,
                           2.996158913811580e-01, 1.090863719290036e+00),
}
# the coefficients of the degree-12 and degree-18 evaluation schemes (Bader, Blanes and
# Casas 2019), on I, A, A^2, A^3 (and A^6 for 18)
_B12 = ((9.0198e-16, 0.46932117595418237389, -0.20099424927047284052,
         -0.04623946134063071740),
        (5.31597895759871264183, 1.19926790417132231573, 0.01179296240992997031,
         0.01108844528519167989),
        (0.18188869982170434744, 0.05502798439925399070, 0.09351590770535414968,
         0.00610700528898058230),
        (-2.0861320e-13, -0.13181061013830184015, -0.02027855540589259079,
         -0.00675951846863086359))
_B18 = ((0.0, -1.00365581030144618291e-01, -8.02924648241156932449e-03,
         -8.92138498045729985177e-04, 0.0),
        (0.0, 3.97849749499645077844e-01, 1.36783778460411720168e+00,
         4.98289622525382669416e-01, -6.37898194594723280150e-04),
        (-1.09676396052962061844e+01, 1.68015813878906206114e+00,
         5.71779846478865511061e-02, -6.98210122488052056106e-03,
         3.34975017086070470649e-05),
        (-9.04316832390810593223e-02, -6.76404519071381882256e-02,
         6.75961301770459654925e-02, 2.95552570429315521194e-02,
         -1.39180257516060693404e-05),
        (0.0, 0.0, -9.23364619367118555360e-02, -1.69364939002081722752e-02,
         -1.40086798182036094347e-05))


def _mm(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """a @ b; for matrices of at most 8 columns the sum over k in order, unfused, as torch's
    CPU BLAS computes small products (to the last bit)."""
    k = a.shape[-1]
    if k > 8:
        return a @ b
    acc = a[..., :, 0, None] * b[..., None, 0, :]
    for j in range(1, k):
        acc = acc + a[..., :, j, None] * b[..., None, j, :]
    return acc


def _powers(a: np.ndarray, count: int) -> list:
    """The first ``count`` of I, A, A^2, A^3, A^6."""
    eye = np.broadcast_to(np.eye(a.shape[-1], dtype=a.dtype), a.shape).copy()
    out = [eye, a]
    if count > 2:
        out.append(_mm(a, a))
    if count > 3:
        out.append(_mm(a, out[2]))
    if count > 4:
        out.append(_mm(out[3], out[3]))
    return out[:count]


def _combine(mats: list, coeffs, dtype) -> np.ndarray:
    """sum_j coeffs[j] * mats[j], accumulated in order in the matrices' dtype."""
    acc = np.zeros(mats[0].shape, dtype)
    for m, c in zip(mats, coeffs):
        acc = acc + m * dtype.type(c)
    return acc


def _taylor(a: np.ndarray, degree: int) -> np.ndarray:
    t = a.dtype
    if degree == 1:
        eye, x = _powers(a, 2)
        return eye + x
    if degree == 2:
        eye, x, x2 = _powers(a, 3)
        return eye + x + x2 / t.type(2)
    if degree == 4:
        ps = _powers(a, 3)
        top = _mm(ps[2], _combine(ps, (1 / 2.0, 1 / 6.0, 1 / 24.0), t))
        return _combine(ps + [top], (1.0, 1.0, 0.0, 1.0), t)
    if degree == 8:
        # torch's constants: sqrt(177) and 2/3 in the dtype, the rest in double from them
        s = float(t.type(0.1330413469565007072504e+2))
        x3 = float(t.type(2.0 / 3.0))
        x1, x2 = x3 * ((1.0 + s) / 88.0), x3 * ((1.0 + s) / 352.0)
        x4 = (-271.0 + 29.0 * s) / (315.0 * x3)
        x5 = (-11.0 + 11.0 * s) / (1260.0 * x3)
        x6 = (-99.0 + 11.0 * s) / (5040.0 * x3)
        x7 = (89.0 - s) / (5040.0 * x3)
        y2 = (857.0 - 58.0 * s) / 630.0
        ps = _powers(a, 3)
        a4 = _mm(ps[2], _combine(ps[1:3], (x1, x2), t))
        a8 = _mm(_combine([ps[2], a4], (x3, 1.0), t), _combine(ps + [a4], (x4, x5, x6, x7), t))
        return _combine(ps + [a4, a8], (1.0, 1.0, y2, 0.0, 1.0), t)
    if degree == 12:
        ps = _powers(a, 4)
        bs = [_combine(ps, row, t) for row in _B12]
        bs[2] = bs[2] + _mm(bs[3], bs[3])
        return bs[0] + _mm(bs[1] + bs[2], bs[2])
    ps = _powers(a, 5)
    bs = [_combine(ps, row, t) for row in _B18]
    bs[3] = bs[3] + _mm(bs[0], bs[4])
    return bs[1] + _mm(bs[2] + bs[3], bs[3])


def matrix_exp_kernel(x: np.ndarray) -> np.ndarray:
    """torch's matrix exponential of each matrix of ``x``."""
    n = x.shape[-1]
    if n == 0:
        return x.copy()
    if n == 1:
        with np.errstate(over="ignore"):
            return np.exp(x)
    a = x.reshape((-1, n, n))
    thetas = _THETAS.get(a.dtype, _THETAS[np.dtype(np.float64)])
    out = np.empty_like(a)
    with np.errstate(all="ignore"):
        norm = np.abs(a).sum(-2).max(-1)
        for i in range(a.shape[0]):
            v = norm[i]
            degree = next((d for d, th in zip((1, 2, 4, 8, 12), thetas) if v <= th), 18)
            if degree != 18 and not v >= thetas[4]:
                out[i] = _taylor(a[i], degree)
                continue
            if np.isnan(v):
                out[i] = np.nan
                continue
            s = max(0, int(np.ceil(np.log2(v / a.dtype.type(thetas[5])))))
            m = _taylor(a[i] / a.dtype.type(2.0 ** s), 18)
            for _ in range(s):
                m = _mm(m, m)
            out[i] = m
    return out.reshape(x.shape)


class LinalgMatrixExpBackward0(Unary):
    """linalg.matrix_exp: exp(A) = sum A^k / k!."""

    saves = "x"

    def forward(self, x):
        check_work(max(x.size, 1) * x.shape[-1] * 40, f"linalg.matrix_exp of a "
                   f"{list(x.shape)} tensor")
        return matrix_exp_kernel(x)

    def backward(self, F, g, x):
        # the adjoint of the differential: exp([[A^H, g], [0, A^H]])'s upper right block
        n = F.data(x).shape[-1]
        if n == 0:
            return (g,)
        at = _mT(F, x)
        if F.numpy:
            z = np.zeros(at.shape, at.dtype)
            meta = np.concatenate([np.concatenate([at, g], -1),
                                   np.concatenate([z, at], -1)], -2)
            return (matrix_exp_kernel(meta)[..., :n, n:],)
        z = _wrap(np.zeros(F.data(at).shape, F.data(at).dtype))
        meta = _cat(F, [_cat(F, [at, g], -1), _cat(F, [z, at], -1)], -2)
        return (LinalgMatrixExpBackward0.apply(meta).narrow(-2, 0, n).narrow(-1, n, n),)


def linalg_matrix_exp(A) -> Tensor:
    """torch.linalg.matrix_exp(A)."""
    _arg(A, "linalg_matrix_exp", "A")
    return _matrix_exp(A)


def matrix_exp(input) -> Tensor:
    """torch.matrix_exp(input): linalg.matrix_exp."""
    _arg(input, "matrix_exp", "input")
    return _matrix_exp(input)


def _matrix_exp(A: Tensor) -> Tensor:
    x = A._data
    _at_least_2d(x, "linalg.matrix_exp", "A")
    _square(x, "linalg.matrix_exp: ")
    if x.dtype.kind not in "fc":
        raise TorchRuntimeError(f"linalg.matrix_exp: Expected a floating point or complex "
                                f"tensor as input. Got {_legacy(x)}")
    return LinalgMatrixExpBackward0.apply(A)


LINALG_FUNCTIONS = {
    "solve_triangular": linalg_solve_triangular, "lu_factor": linalg_lu_factor,
    "lu_factor_ex": linalg_lu_factor_ex, "lu": linalg_lu, "lu_solve": linalg_lu_solve,
    "matrix_exp": linalg_matrix_exp,
}

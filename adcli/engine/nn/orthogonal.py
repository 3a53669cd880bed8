"""``torch.nn.utils.parametrizations.orthogonal``: a matrix (or a batch of them) kept
orthogonal by a parametrization, as torch 2.13 builds it.

- The map: ``"matrix_exp"`` (the default for a square weight) takes the skew-symmetric
  ``A = tril(X) - tril(X).mT`` (a tall X padded with zero columns) to ``matrix_exp(A)``;
  ``"cayley"`` to ``solve(I - A/2, I + A/2)``; ``"householder"`` (the default for a
  rectangular weight) multiplies the reflectors below X's diagonal, ``tau = 2 / (1 +
  ||v||^2)``, and signs the columns by X's diagonal. A wide matrix is handled transposed.
- ``use_trivialization=True`` (torch's default) keeps a buffer ``base``: registration
  stores the weight's orthogonal factor there (the weight itself when ``Q^T Q`` is the
  identity to ``10 n eps``, else the Q of its QR decomposition with R's diagonal made
  non-negative; a rectangular weight is completed with ``torch.randn`` columns first,
  drawn from the same stream as torch's) and the original becomes ``-I``, so that the
  parametrized weight ``base @ map(original)`` starts equal to ``base``.
- Without trivialization, ``"householder"`` starts from the weight's ``geqrf`` reflectors
  (its diagonal set to the signs of R's), and ``"matrix_exp"``/``"cayley"`` refuse an
  assignment with torch's NotImplementedError.

Gradients run through the engine's own ops (``tril``, ``matrix_exp``, ``linalg.solve``,
``mm``), so the parametrized weight's grad_fn is torch's (``MmBackward0``,
``TransposeBackward0`` for a wide weight). ``householder_product`` is built here from
the reflectors, ``Q = H_1 (H_2 (... (H_k I[:, :k])))``, each ``H_i x = x - tau_i v_i
(v_i^T x)``: the values torch's LAPACK ``orgqr`` gives, to float32 rounding (exactly at
registration, where the reflectors are zero and every ``H_i`` a sign flip). The QR
decompositions are LAPACK's through numpy in float64, rounded to the weight's dtype:
torch runs ``geqrf``/``orgqr`` in float32, so ``base`` agrees to float32 precision, not
always to the last bit.
"""

from __future__ import annotations

import enum

import numpy as np

from adcli.engine import api
from adcli.engine.nn.module import Module
from adcli.engine.nn.parametrize import register_parametrization
from adcli.engine.ops import linalg_solve
from adcli.engine.tensor import Tensor
from adcli.errors import TorchNotImplementedError, TorchTypeError, TorchValueError


class _OrthMaps(enum.Enum):
    matrix_exp = 1
    cayley = 2
    householder = 3


def _is_orthogonal(q: np.ndarray) -> bool:
    """torch's ``_is_orthogonal``: ``allclose(Q^H Q, I, atol=10 n eps)`` (rtol 1e-5)."""
    n, k = q.shape[-2:]
    eps = 10.0 * n * float(np.finfo(q.dtype).eps)
    gram = np.matmul(np.swapaxes(q, -1, -2), q)
    eye = np.eye(k, dtype=q.dtype)
    return bool(np.all(np.abs(gram - eye) <= eps + 1e-5 * np.abs(eye)))


def _make_orthogonal(a: np.ndarray) -> np.ndarray:
    """The Q of A = QR with R's diagonal made non-negative (``Q *= sgn(diag R)``)."""
    q, r = np.linalg.qr(a.astype(np.float64))
    signs = np.sign(np.diagonal(r, 0, -2, -1))
    return (q * signs[..., None, :]).astype(a.dtype)


def _geqrf(a: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """LAPACK's ``geqrf``: the reflectors below the diagonal with R on and above it, and
    tau, for a (batch of) tall matrices."""
    flat = a.reshape((-1,) + a.shape[-2:]).astype(np.float64)
    hs, taus = [], []
    for m in flat:
        h, tau = np.linalg.qr(m, mode="raw")
        hs.append(h.T)
        taus.append(tau)
    k = min(a.shape[-2:])
    return (np.stack(hs).reshape(a.shape).astype(a.dtype),
            np.stack(taus).reshape(a.shape[:-2] + (k,)).astype(a.dtype))


def householder_product(a: Tensor, tau: Tensor) -> Tensor:
    """``linalg.householder_product(A, tau)`` for a tall A (n >= k) with zeros on and
    above its diagonal (what the orthogonal map passes): the first k columns of
    ``H_1 ... H_k``, ``H_i = I - tau_i v_i v_i^T``, ``v_i`` = column i of A plus e_i."""
    n, k = a.shape[-2], a.shape[-1]
    batch = tuple(a.shape[:-2])
    eye = api.eye(n, dtype=a.dtype)
    q = eye[:, :k].expand(*batch, n, k) if batch else eye[:, :k]
    for i in range(k - 1, -1, -1):
        v = (a[..., :, i] + eye[i]).unsqueeze(-1)  # (..., n, 1)
        t = tau[..., i].unsqueeze(-1).unsqueeze(-1)
        q = q - (t * v) @ (v.mT @ q)
    return q


class _Orthogonal(Module):
    """The parametrization ``orthogonal`` registers (printed as ``_Orthogonal()``)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("base", "shape",
                                                            "orthogonal_map"))

    def __init__(self, weight, orthogonal_map: _OrthMaps, *,
                 use_trivialization: bool = True) -> None:
        super().__init__()
        self.shape = weight.shape
        self.orthogonal_map = orthogonal_map
        if use_trivialization:
            self.register_buffer("base", None)

    def _has_base(self) -> bool:
        return "base" in self._buffers

    def forward(self, X):
        n, k = X.size(-2), X.size(-1)
        transposed = n < k
        if transposed:
            X = X.mT
            n, k = k, n
        if self.orthogonal_map in (_OrthMaps.matrix_exp, _OrthMaps.cayley):
            X = X.tril()
            if n != k:
                pad = X.new_zeros(n, n - k).expand(*X.shape[:-2], -1, -1)
                X = api.cat([X, pad], dim=-1)
            A = X - X.mT  # mH: the weights here are real
            if self.orthogonal_map == _OrthMaps.matrix_exp:
                Q = linalg_solve.matrix_exp(A)
            else:
                eye = api.eye(n, dtype=A.dtype)
                Q = api.LINALG_FUNCTIONS["solve"](api.add(eye, A, alpha=-0.5),
                                                  api.add(eye, A, alpha=0.5))
            if n != k:
                Q = Q[..., :k]
        else:
            A = X.tril(diagonal=-1)
            tau = 2.0 / (1.0 + (A * A).sum(dim=-2))
            Q = householder_product(A, tau)
            Q = Q * X.diagonal(dim1=-2, dim2=-1).int().unsqueeze(-2)
        if self._has_base():
            Q = self.base @ Q
        if transposed:
            Q = Q.mT
        return Q

    def right_inverse(self, Q):
        with api.no_grad():
            return self._right_inverse(Q)

    def _right_inverse(self, Q):
        if Q.shape != self.shape:
            raise TorchValueError(f"Expected a matrix or batch of matrices of shape "
                                  f"{self.shape}. Got a tensor of shape {Q.shape}.")
        Q_init = Q
        n, k = Q.size(-2), Q.size(-1)
        transpose = n < k
        if transpose:
            Q = Q.mT
            n, k = k, n
        if not self._has_base():
            if self.orthogonal_map in (_OrthMaps.cayley, _OrthMaps.matrix_exp):
                raise TorchNotImplementedError(
                    "It is not possible to assign to the matrix exponential or the Cayley "
                    "parametrizations when use_trivialization=False.")
            h, tau = _geqrf(np.ascontiguousarray(Q._data))
            diag = np.diagonal(h, 0, -2, -1)
            signs = np.sign(diag)
            signs[tau == 0.0] *= -1
            idx = np.arange(min(n, k))
            h[..., idx, idx] = signs
            A = api.tensor(h)
            return A.mT if transpose else A
        q = np.ascontiguousarray(Q._data)
        if n == k:
            q = q.copy() if _is_orthogonal(q) else _make_orthogonal(q)
        else:
            N = api.randn(*(tuple(Q.shape[:-2]) + (n, n - k)), dtype=Q.dtype)
            q = _make_orthogonal(np.concatenate([q, N._data], axis=-1))
        self.base = api.tensor(q)
        neg_id = np.zeros(Q_init.shape, q.dtype)
        m = min(Q_init.shape[-2:])
        neg_id[..., np.arange(m), np.arange(m)] = -1.0
        return api.tensor(neg_id)


def orthogonal(module, name: str = "weight", orthogonal_map=None, *,
               use_trivialization: bool = True):
    """torch.nn.utils.parametrizations.orthogonal."""
    weight = getattr(module, name, None)
    if not isinstance(weight, Tensor):
        raise TorchValueError(f"Module '{module}' has no parameter or buffer with name "
                              f"'{name}'")
    if weight.ndim < 2:
        raise TorchValueError("Expected a matrix or batch of matrices. "
                              f"Got a tensor of {weight.ndim} dimensions.")
    if orthogonal_map is None:
        orthogonal_map = ("matrix_exp" if weight.size(-2) == weight.size(-1)
                          else "householder")
    if not isinstance(orthogonal_map, str):  # torch's getattr(_OrthMaps, orthogonal_map)
        raise TorchTypeError(f"attribute name must be string, not "
                             f"'{type(orthogonal_map).__name__}'")
    orth_enum = _OrthMaps.__members__.get(orthogonal_map)
    if orth_enum is None:
        raise TorchValueError('orthogonal_map has to be one of "matrix_exp", "cayley", '
                              f'"householder". Got: {orthogonal_map}')
    orth = _Orthogonal(weight, orth_enum, use_trivialization=use_trivialization)
    register_parametrization(module, name, orth, unsafe=True)
    return module

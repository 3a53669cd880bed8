"""Linear algebra: products of matrices and vectors, traces and diagonals, decompositions.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine.declare import Op, family
from adcli.engine.einsum import einsum
from adcli.engine.ops import linalg_solve as S

# fmt: off
OPS = family(
    "Linear algebra",
    Op("matmul", "the matrix product, broadcast over batches", A.matmul,
       (O.MmBackward0, O.MvBackward0, O.DotBackward0, O.BmmBackward0),
       operators={"__matmul__": A._matmul_operator, "__rmatmul__": A._rmatmul}),
    Op("mm", "the product of two matrices", A.mm, (O.MmBackward0,),
       calculus={"MmBackward0": (("self", "grad @ mat2.mT"), ("mat2", "self.mT @ grad"))}),
    Op("mv", "a matrix times a vector", A.mv, (O.MvBackward0,),
       calculus={"MvBackward0": (("self", "outer(grad, vec)"), ("vec", "self.mT @ grad"))}),
    Op("dot", "the dot product of two vectors", A.dot, (O.DotBackward0,), aliases=("inner",),
       calculus={"DotBackward0": (("self", "grad * tensor"), ("tensor", "grad * self"))}),
    Op("outer", "the outer product of two vectors", A.outer, (O.MulBackward0,),
       aliases=("ger",)),
    Op("bmm", "a batch of matrix products", A.bmm, (O.BmmBackward0,),
       calculus={"BmmBackward0": (("self", "grad @ mat2.mT"), ("mat2", "self.mT @ grad"))}),
    Op("t", "the transpose of a matrix", A.t, (O.TBackward0,), inplace=A._t_,
       calculus={"TBackward0": (("self", "grad.t()"),)}),
    Op("trace", "the sum of the diagonal", A.trace, (O.TraceBackward0,),
       calculus={"TraceBackward0": (("self", "grad * eye(*self.shape)"),)}),
    Op("diag", "a vector's diagonal matrix, or a matrix's diagonal", A.diag,
       (O.DiagEmbedBackward0, O.DiagonalBackward0_copy),
       calculus={
           "DiagonalBackward0_copy": (
               ("self", "zeros_like(self).diagonal_scatter(grad, diagonal)"),),
       }),
    Op("diagonal", "a view of the diagonal at offset", A.diagonal, (O.DiagonalBackward0,),
       calculus={
           "DiagonalBackward0": (
               ("self", "zeros_like(self).diagonal_scatter(grad, offset, dim1, dim2)"),),
       }),
    Op("det", "the determinant (torch.linalg.det)", A.det, (O.LinalgDetBackward0,),
       calculus={"LinalgDetBackward0": (("A", "kept(grad * result) * inverse(A).mT"),)}),
    Op("logdet", "the log of the determinant", A.logdet, (O.LogBackward0,)),
    Op("inverse", "the inverse matrix (torch.linalg.inv)", A.inverse,
       (O.LinalgInvExBackward0,),
       calculus={"LinalgInvExBackward0": (("A", "-result.mT @ grad @ result.mT"),)}),
    Op("pinverse", "the Moore-Penrose pseudoinverse by the SVD (torch.linalg.pinv with "
       "rtol=rcond)", A.pinverse, (O.LinalgPinvBackward0,),
       calculus={"LinalgPinvBackward0": (("self", "pinv_backward(grad, result, self)"),)}),
    Op("cross", "the cross product along a dim of size 3", A.cross,
       (O.LinalgCrossBackward0,),
       calculus={
           "LinalgCrossBackward0": (
               ("self", "cross(other, grad, dim)"),
               ("other", "cross(grad, self, dim)")),
       }),
    Op("cdist", "the p-norm distance between each pair of rows", A.cdist,
       (O.CdistBackward0, O.EuclideanDistBackward0, O.ViewBackward0), method=False,
       calculus={
           "CdistBackward0": (
               ("x1", "cdist_backward(grad, x1, x2, p, result)"),
               ("x2", "cdist_backward(grad.mT, x2, x1, p, result.mT)")),
           "EuclideanDistBackward0": (
               ("x1", "x1 * (grad / result).sum(-1, keepdim=True) - (grad / result) @ x2"),
               ("x2", "x2 * (grad / result).sum(-2).unsqueeze(-1) - (grad / result).mT @ x1")),
       }),
    Op("dist", "the p-norm of input - other", A.dist, (O.DistBackward0,),
       calculus={
           "DistBackward0": (
               ("self", "grad * sgn(self - other) * abs(self - other) ** (p - 1) / result ** (p - "
                        "1)"),
               ("other", "-grad * sgn(self - other) * abs(self - other) ** (p - 1) / result ** (p "
                         "- 1)")),
       }),
    Op("addmm", "beta * input + alpha * (mat1 @ mat2)", A.addmm, (O.AddmmBackward0,),
       calculus={
           "AddmmBackward0": (
               ("self", "grad * beta"),
               ("mat1", "alpha * (grad @ mat2.mT)"),
               ("mat2", "alpha * (mat1.mT @ grad)")),
       }),
    Op("kron", "the Kronecker product", A.kron, (O.UnsafeViewBackward0,)),
    Op("meshgrid", "coordinate grids from 1-D tensors (indexing 'ij' or 'xy')", A.meshgrid,
       (O.ExpandBackward0,), method=False),
    Op("einsum", "sums of products over labelled dims (Einstein notation)", einsum, (),
       method=False),
    Op("svd", "U, S, V with input = U diag(S) V^T (torch.linalg.svd gives Vh)", A.svd,
       (O.LinalgSvdBackward0, O.TransposeBackward0),
       calculus={
           "LinalgSvdBackward0": (
               ("A", "U @ diag_embed(grad) @ Vh if output == 'S' else svd_backward(grad, output, "
                     "U, S, Vh)"),),
       }),
    Op("qr", "Q, R with input = Q R (torch.linalg.qr)", A.qr, (O.LinalgQrBackward0,),
       calculus={"LinalgQrBackward0": (("A", "qr_backward(grad, output, Q, R)"),)}),
    Op("cholesky", "L with input = L L^T (torch.linalg.cholesky; deprecated in torch)",
       A.cholesky, (O.CholeskyBackward0,),
       calculus={
           "CholeskyBackward0": (
               ("self", "inverse(L).mT @ ((tril(L.mT @ grad_L) + tril(L.mT @ grad_L, -1).mT) / 2) "
                        "@ inverse(L)"),),
       }),
    Op("slogdet", "the sign and log|det| of a square matrix (torch.linalg.slogdet)",
       A.slogdet, (O.LinalgSlogdetBackward0,),
       calculus={
           "LinalgSlogdetBackward0": (
               ("A", "kept(grad) * inverse(A).mT if output == 'logabsdet' else None"),),
       }),
    Op("matrix_power", "a square matrix to an integer power (torch.linalg.matrix_power)",
       A.matrix_power, (O.MmBackward0, O.BmmBackward0, O.UnsafeViewBackward0,
                        O.LinalgInvExBackward0, O.CloneBackward0, O.CopyBackwards)),
    Op("cov", "the covariance matrix of the rows' variables", A.cov, (O.SqueezeBackward0,)),
    Op("corrcoef", "the Pearson correlation matrix of the rows' variables", A.corrcoef,
       (O.ClampBackward1, O.DivBackward0)),
    Op("addmv", "beta * input + alpha * (mat @ vec)", A.addmv, (O.AddmvBackward0,),
       inplace=A._addmv_,
       calculus={
           "AddmvBackward0": (
               ("self", "grad * beta"),
               ("mat", "alpha * outer(grad, vec)"),
               ("vec", "alpha * (mat.mT @ grad)")),
       }),
    Op("addr", "beta * input + alpha * outer(vec1, vec2)", A.addr, (O.AddrBackward0,),
       inplace=A._addr_,
       calculus={
           "AddrBackward0": (
               ("self", "grad * beta"),
               ("vec1", "alpha * (grad @ vec2)"),
               ("vec2", "alpha * (grad.mT @ vec1)")),
       }),
    Op("triangular_solve", "(solution, cloned_coefficient): X with op(A) X = b, A triangular "
       "(deprecated in torch for torch.linalg.solve_triangular)", S.triangular_solve,
       (S.TriangularSolveBackward0,),
       calculus={
           "TriangularSolveBackward0": (
               ("self", "solve(A.mT, grad) if output == 'solution' else None"),
               ("A", "(-solve(A.mT, grad) @ result.mT).triu() if upper else (-solve(A.mT, "
                     "grad) @ result.mT).tril() if output == 'solution' else grad")),
       }),
    Op("lu", "(LU, pivots) of A = P L U, packed (torch.linalg.lu_factor; deprecated in torch)",
       S.lu, (S.LinalgLuFactorExBackward0,),
       calculus={
           "LinalgLuFactorExBackward0": (
               ("A", "solve(L.mT, solve(U.mT, (L.mT @ grad.tril(-1)).tril(-1) + (grad.triu() @ "
                     "U.mT).triu(), left=False), unitriangular=True)[..., indices, :]"),),
       }),
    Op("lu_solve", "X with A X = b from A's LU (torch.linalg.lu_solve(LU, pivots, b); "
       "deprecated in torch)", S.lu_solve, (S.LinalgLuSolveBackward0,),
       calculus={
           "LinalgLuSolveBackward0": (
               ("LU", "(solve(L.mT, solve(U.mT, -grad @ result.mT) @ U.mT, unitriangular=True)"
                      ").tril(-1) + solve(U.mT, -grad @ result.mT).triu()"),
               ("B", "solve(A.mT, grad)")),
       }),
    Op("lu_unpack", "(P, L, U) from a packed LU and its pivots", S.lu_unpack,
       (S.LuUnpackBackward0,), method=False,
       calculus={"LuUnpackBackward0": (("LU_data", "grad.tril(-1) if output == 'L' else "
                                                   "grad.triu()"),)}),
    Op("cholesky_solve", "X with (L L^T) X = B, from the Cholesky factor L", S.cholesky_solve,
       (S.CholeskySolveBackward0,),
       calculus={
           "CholeskySolveBackward0": (
               ("self", "solve(L @ L.mT, grad)"),
               ("input2", "-(solve(L @ L.mT, grad) @ result.mT + result @ solve(L @ L.mT, grad)"
                          ".mT) @ L")),
       }),
    Op("cholesky_inverse", "(L L^T)^-1 from the Cholesky factor L", S.cholesky_inverse,
       (S.CholeskyInverseBackward0,),
       calculus={
           "CholeskyInverseBackward0": (
               ("self", "-result @ (grad + grad.mT) @ result @ L"),),
       }),
    Op("matrix_exp", "the matrix exponential (torch.linalg.matrix_exp)", S.matrix_exp,
       (S.LinalgMatrixExpBackward0,),
       calculus={
           "LinalgMatrixExpBackward0": (
               ("self", "cat([cat([self.mT, grad], -1), cat([zeros_like(self), self.mT], -1)], "
                        "-2).matrix_exp()[..., :n, n:]"),),
       }),
)
# fmt: on

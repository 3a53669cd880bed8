"""Linear algebra: products of matrices and vectors, traces and diagonals, decompositions.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine.declare import Op, family
from adcli.engine.einsum import einsum

# fmt: off
OPS = family(
    "Linear algebra",
    Op("matmul", "the matrix product, broadcast over batches", A.matmul,
       (O.MmBackward0, O.MvBackward0, O.DotBackward0, O.BmmBackward0),
       operators={"__matmul__": A.matmul, "__rmatmul__": A._rmatmul}),
    Op("mm", "the product of two matrices", A.mm, (O.MmBackward0,)),
    Op("mv", "a matrix times a vector", A.mv, (O.MvBackward0,)),
    Op("dot", "the dot product of two vectors", A.dot, (O.DotBackward0,), aliases=("inner",)),
    Op("outer", "the outer product of two vectors", A.outer, (O.MulBackward0,),
       aliases=("ger",)),
    Op("bmm", "a batch of matrix products", A.bmm, (O.BmmBackward0,)),
    Op("t", "the transpose of a matrix", A.t, (O.TBackward0,), inplace=A._t_),
    Op("trace", "the sum of the diagonal", A.trace, (O.TraceBackward0,)),
    Op("diag", "a vector's diagonal matrix, or a matrix's diagonal", A.diag,
       (O.DiagEmbedBackward0, O.DiagonalBackward0_copy)),
    Op("diagonal", "a view of the diagonal at offset", A.diagonal, (O.DiagonalBackward0,)),
    Op("det", "the determinant (torch.linalg.det)", A.det, (O.LinalgDetBackward0,)),
    Op("logdet", "the log of the determinant", A.logdet, (O.LogBackward0,)),
    Op("inverse", "the inverse matrix (torch.linalg.inv)", A.inverse,
       (O.LinalgInvExBackward0,)),
    Op("cross", "the cross product along a dim of size 3", A.cross,
       (O.LinalgCrossBackward0,)),
    Op("cdist", "the p-norm distance between each pair of rows", A.cdist,
       (O.CdistBackward0, O.EuclideanDistBackward0, O.ViewBackward0), method=False),
    Op("dist", "the p-norm of input - other", A.dist, (O.DistBackward0,)),
    Op("addmm", "beta * input + alpha * (mat1 @ mat2)", A.addmm, (O.AddmmBackward0,)),
    Op("kron", "the Kronecker product", A.kron, (O.UnsafeViewBackward0,)),
    Op("meshgrid", "coordinate grids from 1-D tensors (indexing 'ij' or 'xy')", A.meshgrid,
       (O.ExpandBackward0,), method=False),
    Op("einsum", "sums of products over labelled dims (Einstein notation)", einsum, (),
       method=False),
    Op("svd", "U, S, V with input = U diag(S) V^T (torch.linalg.svd gives Vh)", A.svd,
       (O.LinalgSvdBackward0, O.TransposeBackward0)),
    Op("qr", "Q, R with input = Q R (torch.linalg.qr)", A.qr, (O.LinalgQrBackward0,)),
    Op("cholesky", "L with input = L L^T (torch.linalg.cholesky; deprecated in torch)",
       A.cholesky, (O.CholeskyBackward0,)),
    Op("slogdet", "the sign and log|det| of a square matrix (torch.linalg.slogdet)",
       A.slogdet, (O.LinalgSlogdetBackward0,)),
    Op("matrix_power", "a square matrix to an integer power (torch.linalg.matrix_power)",
       A.matrix_power, (O.MmBackward0, O.BmmBackward0, O.UnsafeViewBackward0,
                        O.LinalgInvExBackward0, O.CloneBackward0, O.CopyBackwards)),
    Op("cov", "the covariance matrix of the rows' variables", A.cov, (O.SqueezeBackward0,)),
    Op("corrcoef", "the Pearson correlation matrix of the rows' variables", A.corrcoef,
       (O.ClampBackward1, O.DivBackward0)),
)
# fmt: on

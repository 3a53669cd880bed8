"""Reducing and embedding into a tensor: scatter_reduce, index_reduce, masked_scatter, the
*_scatter family; and the products and integrals tutorials use beside them.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/scatters.py``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine.declare import Op, family
from adcli.engine.ops import products as P
from adcli.engine.ops import scatters as S

_REDUCE = "scatter_reduce_backward(grad, self, dim, index, src, reduce, include_self, result)"
_INDEX_REDUCE = ("index_reduce_backward(grad, self, dim, index, source, reduce, include_self, "
                 "result)")

# fmt: off
OPS = family(
    "Selection and sorting",
    Op("scatter_reduce", "src's elements reduced (sum, prod, mean, amax, amin) at index "
       "along dim, with or without input's own values", A.scatter_reduce,
       (S.ScatterReduceBackward0,), inplace=A._scatter_reduce_,
       calculus={"ScatterReduceBackward0": (("self", f"{_REDUCE}[0]"), ("src", f"{_REDUCE}[1]"))}),
    Op("index_reduce", "source's slices reduced (prod, mean, amax, amin) at index (a vector) "
       "along dim", A.index_reduce, (S.IndexReduceBackward0,), inplace=A._index_reduce_,
       calculus={"IndexReduceBackward0": (
           ("self", f"{_INDEX_REDUCE}[0]"), ("source", f"{_INDEX_REDUCE}[1]"))}),
    Op("masked_scatter", "source's elements, in order, written where mask is True",
       A.masked_scatter, (S.MaskedScatterBackward0,), inplace=A._masked_scatter_,
       calculus={"MaskedScatterBackward0": (
           ("self", "grad.masked_fill(mask, 0)"),
           ("source", "masked_scatter_backward(grad, mask, source.sizes())"))}),
    Op("select", "the index-th slice along dim (a view)", A.select, (O.SelectBackward0,)),
    Op("select_scatter", "src written as the index-th slice along dim", A.select_scatter,
       (S.SelectScatterBackward0,),
       calculus={"SelectScatterBackward0": (
           ("self", "grad.select_scatter(zeros_like(src), dim, index)"),
           ("src", "grad.select(dim, index)"))}),
    Op("slice_scatter", "src written as the slice start:end:step along dim", A.slice_scatter,
       (S.SliceScatterBackward0,),
       calculus={"SliceScatterBackward0": (
           ("self", "grad.slice_scatter(zeros_like(src), dim, start, end, step)"),
           ("src", "grad.slice(dim, start, end, step)"))}),
    Op("diagonal_scatter", "src written on the diagonal (offset, dim1, dim2)",
       A.diagonal_scatter, (S.DiagonalScatterBackward0,),
       calculus={"DiagonalScatterBackward0": (
           ("self", "grad.diagonal_scatter(zeros_like(src), offset, dim1, dim2)"),
           ("src", "grad.diagonal(offset, dim1, dim2)"))}),
)

PRODUCTS = family(
    "Linear algebra",
    Op("vdot", "the dot product of two vectors, the first conjugated", A.vdot,
       (P.VdotBackward0,),
       calculus={"VdotBackward0": (("self", "grad * other"), ("other", "grad * self"))}),
    Op("addbmm", "beta * input + alpha * the sum over the batch of batch1[i] @ batch2[i]",
       A.addbmm, (P.AddbmmBackward0,),
       calculus={"AddbmmBackward0": (
           ("self", "grad * beta"),
           ("batch1", "grad.unsqueeze(0).expand_as(result_batch).bmm(batch2.mT) * alpha"),
           ("batch2", "batch1.mT.bmm(grad.unsqueeze(0).expand_as(result_batch)) * alpha"))}),
    Op("chain_matmul", "the product of the matrices (deprecated: linalg.multi_dot)",
       A.chain_matmul, (O.ViewBackward0, O.MmBackward0), method=False),
    Op("trapezoid", "the trapezoidal rule along dim (sample points x, or spacing dx)",
       A.trapezoid, (O.MulBackward1, O.DivBackward1), aliases=("trapz",), method=False),
    Op("gradient", "the derivative along each dim by central differences (one-sided at the "
       "ends, edge_order 1 or 2): a tuple, spacing a number, one per dim or coordinates",
       A.gradient, (O.CatBackward0,), method=False),
    Op("cumulative_trapezoid", "the running trapezoidal rule along dim",
       A.cumulative_trapezoid, (O.CumsumBackward0, O.DivBackward1), method=False),
)
# fmt: on

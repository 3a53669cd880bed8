"""Selection: gathering by index, sorting, order statistics, triangles, rolls and counts.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/selection.py``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine.declare import Op, family

# fmt: off
OPS = family(
    "Selection and sorting",
    Op("gather", "the values at index along dim", A.gather, (O.GatherBackward0,),
       calculus={"GatherBackward0": (("self", "zeros_like(self).scatter_add(dim, index, grad)"),)}),
    Op("index_select", "the slices at index (a vector) along dim", A.index_select,
       (O.IndexSelectBackward0,),
       calculus={
           "IndexSelectBackward0": (("self", "zeros_like(self).index_add(dim, index, grad)"),),
       }),
    Op("masked_select", "the elements where mask is true, as a vector", A.masked_select,
       (O.MaskedSelectBackward0,),
       calculus={
           "MaskedSelectBackward0": (("self", "zeros_like(self).masked_scatter(mask, grad)"),),
       }),
    Op("sort", "(values, indices) sorted along dim; ties in torch's order (std::sort's; "
       "stable=True: kept)", A.sort,
       (O.SortBackward0,),
       calculus={"SortBackward0": (("self", "zeros_like(self).scatter(dim, indices, grad)"),)}),
    Op("argsort", "the indices that sort along dim", A.argsort),
    Op("msort", "sorted along dim 0", A.msort, (O.SortBackward0,)),
    Op("topk", "(values, indices) of the k largest (or smallest) along dim", A.topk,
       (O.TopkBackward0,),
       calculus={"TopkBackward0": (("self", "zeros_like(self).scatter(dim, indices, grad)"),)}),
    Op("kthvalue", "(values, indices) of the k-th smallest along dim", A.kthvalue,
       (O.KthvalueBackward0,),
       calculus={
           "KthvalueBackward0": (
               ("self", "zeros_like(self).scatter(dim, kept(indices), kept(grad))"),),
       }),
    Op("median", "the lower median, or (values, indices) along dim", A.median,
       (O.MedianBackward0, O.MedianBackward1),
       calculus={
           "MedianBackward0": (("self", "grad * (self == result) / (self == result).sum()"),),
           "MedianBackward1": (
               ("self", "zeros_like(self).scatter(dim, kept(indices), kept(grad))"),),
       }),
    Op("nanmedian", "the lower median of the non-NaN values, or (values, indices) along dim",
       A.nanmedian, (O.NanmedianBackward0, O.NanmedianBackward1),
       calculus={
           "NanmedianBackward0": (
               ("self", "grad * (self == result) / (self == result).sum()"),),
           "NanmedianBackward1": (
               ("self", "zeros_like(self).scatter(dim, kept(indices), kept(grad))"),),
       }),
    Op("mode", "(values, indices) of the most frequent value along dim", A.mode,
       (O.ModeBackward0,),
       calculus={
           "ModeBackward0": (("self", "zeros_like(self).scatter(dim, kept(indices), kept(grad))"),),
       }),
    Op("unique", "the sorted distinct values (with inverse indices and counts)", A.unique),
    Op("unique_consecutive", "the values with consecutive repeats removed",
       A.unique_consecutive),
    Op("tril", "the lower triangle (from diagonal down), zeros above", A.tril,
       (O.TrilBackward0,), inplace=A._tril_,
       calculus={"TrilBackward0": (("self", "grad.tril(diagonal)"),)}),
    Op("triu", "the upper triangle (from diagonal up), zeros below", A.triu,
       (O.TriuBackward0,), inplace=A._triu_,
       calculus={"TriuBackward0": (("self", "grad.triu(diagonal)"),)}),
    Op("repeat_interleave", "each element repeated, one after another", A.repeat_interleave,
       (O.ViewBackward0, O.IndexSelectBackward0)),
    Op("roll", "the elements shifted cyclically along dims", A.roll, (O.RollBackward0,),
       calculus={"RollBackward0": (("self", "grad.roll([-s for s in shifts], dims)"),)}),
    Op("diff", "the n-th forward difference along dim", A.diff, (O.SubBackward0,)),
    Op("logical_xor", "elementwise exclusive or, as bools", A.logical_xor),
    Op("count_nonzero", "how many elements are nonzero, in all or over dim",
       A.count_nonzero),
    Op("bincount", "how often each non-negative integer occurs (or summed weights)",
       A.bincount),
    Op("scatter", "src's elements (or value) written at index along dim; reduce= adds or "
       "multiplies", A.scatter, (O.ScatterBackward0, O.ScatterBackward1, O.ScatterReduce),
       inplace=A._scatter_,
       calculus={
           "ScatterBackward0": (
               ("self", "grad.scatter(dim, index, 0)"),
               ("src", "grad.gather(dim, index)")),
           "ScatterBackward1": (("self", "grad.scatter(dim, index, 0)"),),
           "ScatterReduce": (
               ("self", 'raises("derivative for aten::scatter is not implemented")'),
               ("*src", 'raises("derivative for aten::scatter is not implemented")')),
       }),
    Op("scatter_add", "src's elements added at index along dim", A.scatter_add,
       (O.ScatterAddBackward0,), inplace=A._scatter_add_,
       calculus={"ScatterAddBackward0": (("self", "grad"), ("src", "grad.gather(dim, index)"))}),
    Op("index_add", "alpha * source's slices added at index (a vector) along dim",
       A.index_add, (O.IndexAddBackward0,), inplace=A._index_add_,
       calculus={
           "IndexAddBackward0": (
               ("self", "grad"),
               ("source", "alpha * grad.index_select(dim, index)")),
       }),
    Op("index_copy", "source's slices written at index along dim", A.index_copy,
       (O.IndexCopyBackward0,), inplace=A._index_copy_,
       calculus={
           "IndexCopyBackward0": (
               ("self", "grad.index_fill(dim, index, 0)"),
               ("source", "grad.index_select(dim, index)")),
       }),
    Op("index_fill", "value written in the slices at index along dim", A.index_fill,
       (O.IndexFillBackward0, O.IndexFillBackward1), inplace=A._index_fill_,
       calculus={
           "IndexFillBackward0": (("self", "grad.index_fill(dim, index, 0)"),),
           "IndexFillBackward1": (
               ("self", "grad.index_fill(dim, index, 0)"),
               ("value", "grad.index_select(dim, unique(index)).sum()")),
       }),
    Op("take_along_dim", "the values at indices along dim (broadcast), or at flat indices",
       A.take_along_dim, (O.GatherBackward0,)),
    Op("take", "the elements at flat indices, in index's shape", A.take, (O.TakeBackward0,),
       calculus={
           "TakeBackward0": (("self", "zeros_like(self).put(index, grad, accumulate=True)"),),
       }),
    Op("searchsorted", "where each value goes in the sorted innermost dim (int64 indices)",
       A.searchsorted, method=False),
    Op("bucketize", "the bucket of each value among sorted 1-D boundaries", A.bucketize,
       method=False),
    Op("histc", "counts in bins equal-width bins over [min, max] (the data's range if 0, 0)",
       A.histc),
    Op("tril_indices", "the (row, col) indices of a lower triangle", A.tril_indices,
       method=False),
    Op("triu_indices", "the (row, col) indices of an upper triangle", A.triu_indices,
       method=False),
    Op("histogram", "(hist, bin_edges): counts (or weights) in bins", A.histogram),
)
# fmt: on

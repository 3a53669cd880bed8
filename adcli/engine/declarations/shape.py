"""Shape and indexing: views, reshapes, joins, splits and indexing.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/``; a view after a write into its base is brought up to
date by ``tensor.refresh``; writes into views go through ``engine/ops/writes.py``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine.declare import Op, family

# fmt: off
OPS = family(
    "Shape",
    Op("reshape", "the same elements in a new shape (a view when it can be)", A.reshape,
       (O.ViewBackward0, O.UnsafeViewBackward0),
       calculus={
           "ViewBackward0": (("self", "grad.reshape(self.shape)"),),
           "UnsafeViewBackward0": (("self", "grad.reshape(self.shape)"),),
       }),
    Op("view", "a view in a new shape", A.view, (O.ViewBackward0,), in_torch=False),
    Op("view_as", "a view in other's shape", A.view_as, (O.ViewBackward0,), in_torch=False),
    Op("reshape_as", "reshaped to other's shape", A.reshape_as, (O.ViewBackward0,),
       in_torch=False),
    Op("flatten", "dims start_dim..end_dim as one", A.flatten, (O.ViewBackward0,)),
    Op("squeeze", "without dims of size 1", A.squeeze,
       (O.SqueezeBackward0, O.SqueezeBackward1, O.SqueezeBackward2, O.SqueezeBackward4),
       inplace=A._squeeze_,
       calculus={
           "SqueezeBackward0": (("self", "grad.reshape(self.shape)"),),
           "SqueezeBackward1": (("self", "grad.reshape(self.shape)"),),
           "SqueezeBackward2": (("self", "grad.reshape(self.shape)"),),
           "SqueezeBackward4": (("self", "grad.unsqueeze(dim)"),),
       }),
    Op("unsqueeze", "with a dim of size 1 inserted", A.unsqueeze, (O.UnsqueezeBackward0,),
       inplace=A._unsqueeze_,
       calculus={"UnsqueezeBackward0": (("self", "grad.squeeze(dim)"),)}),
    Op("transpose", "dims dim0 and dim1 swapped (a view)", A.transpose,
       (O.TransposeBackward0,), aliases=("swapaxes", "swapdims"),
       inplace=A._transpose_, inplace_aliases=("swapaxes_", "swapdims_"),
       calculus={"TransposeBackward0": (("self", "grad.transpose(dim0, dim1)"),)}),
    Op("permute", "the dims reordered (a view)", A.permute, (O.PermuteBackward0,),
       calculus={"PermuteBackward0": (("self", "grad.permute(argsort(dims))"),)}),
    Op("T", "the dims reversed (a view; a property)", A._T, (O.PermuteBackward0,),
       method=property(A._T), in_torch=False),
    Op("mT", "the last two dims swapped (a view; a property)", A._mT,
       (O.TransposeBackward0,), method=property(A._mT), in_torch=False),
    Op("mH", "the last two dims swapped and conjugated (a view; a property)", A._mH,
       (O.TransposeBackward0,), method=property(A._mH), in_torch=False),
    Op("H", "a matrix's conjugate transpose (a view; a property)", A._H,
       (O.TransposeBackward0,), method=property(A._H), in_torch=False),
    Op("adjoint", "the last two dims swapped and conjugated (a view)", A.adjoint,
       (O.TransposeBackward0,)),
    Op("expand", "a view repeated along dims of size 1", A.expand, (O.ExpandBackward0,),
       in_torch=False,
       calculus={"ExpandBackward0": (("self", "grad.sum_to_size(self.shape)"),)}),
    Op("expand_as", "expanded to other's shape", A.expand_as, (O.ExpandBackward0,),
       in_torch=False),
    Op("broadcast_to", "expanded to a shape", A.broadcast_to, (O.ExpandBackward0,)),
    Op("repeat", "tiled along each dim", A.repeat, (O.RepeatBackward0,), in_torch=False,
       calculus={"RepeatBackward0": (("self", "sum_tiles(grad, repeats)"),)}),
    Op("flip", "the order of elements reversed along dims", A.flip, (O.FlipBackward0,),
       method=A._flip_method,
       calculus={"FlipBackward0": (("self", "grad.flip(dims)"),)}),
    Op("tile", "repeated dims[i] times along each dim (ones padded in front)", A.tile,
       (O.RepeatBackward0,), method=A._tile_method),
    Op("fliplr", "the columns reversed (dim 1)", A.fliplr, (O.FlipBackward0,)),
    Op("flipud", "the rows reversed (dim 0)", A.flipud, (O.FlipBackward0,)),
    Op("cat", "tensors joined along an existing dim", A.cat, (O.CatBackward0,),
       aliases=("concat", "concatenate"), method=False,
       calculus={
           "CatBackward0": (("*tensors", "grad.narrow(dim, offsets[i], tensors[i].shape[dim])"),),
       }),
    Op("stack", "tensors joined along a new dim", A.stack, (O.StackBackward0,), method=False,
       calculus={"StackBackward0": (("*tensors", "grad.select(dim, i)"),)}),
    Op("unbind", "the slices along dim, as a tuple of views", A.unbind, (O.UnbindBackward0,),
       calculus={
           "UnbindBackward0": (("self", "zeros_like(self).select_scatter(grad, dim, index)"),),
       }),
    Op("split", "views of split_size_or_sections along dim", A.split,
       (O.SplitBackward0, O.SplitWithSizesBackward0),
       calculus={
           "SplitBackward0": (("self", "zeros_like(self).slice_scatter(grad, dim, start, end)"),),
           "SplitWithSizesBackward0": (
               ("self", "zeros_like(self).slice_scatter(grad, dim, start, end)"),),
       }),
    Op("chunk", "chunks views along dim", A.chunk, (O.SplitBackward0,)),
    Op("nonzero", "the indices of the nonzero elements", A.nonzero),
    Op("argwhere", "the indices of the nonzero elements, a row each", A.argwhere),
    Op("cartesian_prod", "the cartesian product of 1-D tensors", A.cartesian_prod,
       method=False),
    Op("broadcast_shapes", "the shape that the shapes broadcast to", A.broadcast_shapes,
       method=False),
    Op("numel", "the number of elements", A.numel, method=False),
    Op("stride", "the element strides of the tensor's layout (torch's for views)", A._stride,
       in_torch=False),
    Op("unfold", "windows of size every step along a dim, as a new last dim", A._unfold,
       (O.UnfoldBackward0,), in_torch=False,
       calculus={
           "UnfoldBackward0": (
               ("self", "unfold_backward(grad, self.shape, dimension, size, step)"),),
       }),
    Op("rot90", "rotated k quarter turns in the plane of dims", A.rot90, (O.Rot90Backward0,),
       calculus={"Rot90Backward0": (("self", "grad.rot90(-k, dims)"),)}),
    Op("block_diag", "the tensors as blocks along a diagonal", A.block_diag,
       (O.BlockDiagBackward0,), method=False,
       calculus={
           "BlockDiagBackward0": (
               ("*tensors", "grad[rows[i], cols[i]].reshape(tensors[i].shape)"),),
       }),
    Op("diag_embed", "the last dim on the diagonals of two new dims", A.diag_embed,
       (O.DiagEmbedBackward0,),
       calculus={"DiagEmbedBackward0": (("self", "grad.diagonal(offset, dim1, dim2)"),)}),
    Op("vander", "the Vandermonde matrix of a vector", A.vander,
       (O.FlipBackward0, O.CopySlices), method=False),
    Op("tensordot", "the sum over dims of a and b (permute, reshape, mm)", A.tensordot,
       (O.ViewBackward0,), method=False),
    Op("baddbmm", "beta * input + alpha * (batch1 @ batch2)", A.baddbmm,
       (O.BaddbmmBackward0,), inplace=A._baddbmm_,
       calculus={
           "BaddbmmBackward0": (
               ("self", "grad * beta"),
               ("batch1", "alpha * (grad @ batch2.mT)"),
               ("batch2", "alpha * (batch1.mT @ grad)")),
       }),
    Op("indexing", "x[key] and x[key] = value: basic and advanced indexing", A._getitem,
       (O.SelectBackward0, O.SliceBackward0, O.IndexBackward0, O.CopySlices),
       method=False, in_torch=False,
       operators={"__getitem__": A._getitem, "__setitem__": A._setitem},
       calculus={
           "SelectBackward0": (("self", "zeros_like(self).select_scatter(grad, dim, index)"),),
           "SliceBackward0": (
               ("self", "zeros_like(self).slice_scatter(grad, dim, start, end, step)"),),
           "IndexBackward0": (
               ("self", "zeros_like(self).index_put(indices, grad, accumulate=True)"),),
           "CopySlices": (
               ("self", "view_scatter(grad, view, fn_grad(grad[view])[0])"),
               ("*inputs", "fn_grad(grad[view])[i + 1]")),
       }),
    Op("index_put", "values written at the positions of a tuple of index tensors (added "
       "with accumulate=True)", A.index_put, (O.IndexPutBackward0,), inplace=A._index_put_),
    Op("fill_diagonal", "fill_diagonal_(value, wrap=False): the main diagonal set to value",
       A._fill_diagonal_, (O.FillDiagonalSlices,), method=False, in_torch=False,
       inplace=A._fill_diagonal_,
       calculus={"FillDiagonalSlices": (("self", "grad.index_put(indices, 0)"),)}),
    Op("atleast_1d", "the tensors with at least one dim", A.atleast_1d, (O.ViewBackward0,),
       method=False),
    Op("atleast_2d", "the tensors with at least two dims", A.atleast_2d,
       (O.ViewBackward0, O.UnsqueezeBackward0), method=False),
    Op("atleast_3d", "the tensors with at least three dims", A.atleast_3d,
       (O.ViewBackward0, O.UnsqueezeBackward0), method=False),
    Op("hstack", "tensors joined column-wise (along dim 1, dim 0 for 1-D ones)", A.hstack,
       (O.CatBackward0,), method=False),
    Op("vstack", "tensors joined row-wise (1-D ones as rows)", A.vstack, (O.CatBackward0,),
       aliases=("row_stack",), method=False),
    Op("dstack", "tensors joined depth-wise (along dim 2)", A.dstack, (O.CatBackward0,),
       method=False),
    Op("column_stack", "tensors as columns, joined along dim 1", A.column_stack,
       (O.CatBackward0,), method=False),
    Op("tensor_split", "views split into n near-equal parts, or at indices", A.tensor_split,
       (O.SliceBackward0,)),
    Op("hsplit", "tensor_split along dim 1 (dim 0 for a 1-D tensor)", A.hsplit,
       (O.SliceBackward0,)),
    Op("vsplit", "tensor_split along dim 0", A.vsplit, (O.SliceBackward0,)),
    Op("dsplit", "tensor_split along dim 2", A.dsplit, (O.SliceBackward0,)),
    Op("movedim", "dims moved from source to destination (a view)", A.movedim,
       (O.PermuteBackward0,), aliases=("moveaxis",)),
    Op("narrow", "the view of length elements from start along dim", A.narrow,
       (O.SliceBackward0,)),
    Op("narrow_copy", "a copy of narrow", A.narrow_copy, (O.NarrowCopyBackward0,),
       calculus={
           "NarrowCopyBackward0": (
               ("self", "zeros_like(self).slice_scatter(grad, dim, start, end)"),),
       }),
    Op("unflatten", "dim expanded into sizes", A.unflatten, (O.ViewBackward0,)),
    Op("broadcast_tensors", "the tensors expanded to their common shape", A.broadcast_tensors,
       (O.ExpandBackward0,), method=False),
    Op("combinations", "the r-length combinations of a 1-D tensor's elements",
       A.combinations, (O.StackBackward0,), method=False),
)
# fmt: on

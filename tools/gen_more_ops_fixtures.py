"""Record torch's answers for the scatter/gather family, the extra shape ops (stride,
unfold, rot90, block_diag, diag_embed, vander, tensordot, baddbmm), nan_to_num,
searchsorted, bucketize, logspace, histc and F.interpolate into
tests/engine/fixtures/more_ops.json: run with a Python that has torch 2.13.

    /work/torchenv/bin/python tools/gen_more_ops_fixtures.py

Each case is one expression over named inputs, stored explicitly in the fixture. Recorded:
the outputs (tensors with their dtypes, or plain values such as strides), the grad_fn graph
(walking next_functions), the gradient of every input that requires grad for a stored
upstream gradient (or the error backward raises), or the error's type and message.
"""

from __future__ import annotations

import json
import math
import os
import warnings
import zlib

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "tests", "engine", "fixtures", "more_ops.json")

CASES: list[dict] = []


def case(cid, expr, tol="exact", **inputs):
    """``inputs``: name -> shape (randn requiring grad); ("const", shape) randn without
    grad; ("f64", shape) float64 randn requiring grad; ("list", values[, requires_grad]);
    ("int32", values); ("sorted", shape) sorted randn without grad."""
    CASES.append({"id": cid, "expr": expr, "tol": tol, "specs": inputs})


IDX = [[0, 1, 2, 0], [2, 0, 1, 1]]
DUP = [[0, 1, 2, 0], [0, 1, 2, 0]]
L = "list"

# ---- scatter / scatter_add
case("scatter_src", "torch.scatter(x, 0, idx, s)", x=(3, 4), idx=(L, IDX), s=(2, 4))
case("scatter_src_dim1", "x.scatter(1, idx, s)", x=(2, 4), idx=(L, [[3, 0], [1, 2]]),
     s=(2, 3))
case("scatter_src_small_index", "torch.scatter(x, 1, idx, s)", x=(3, 4),
     idx=(L, [[1, 3]]), s=(2, 5))
case("scatter_src_neg_dim", "torch.scatter(x, -2, idx, s)", x=(3, 4), idx=(L, IDX),
     s=(2, 4))
case("scatter_value", "torch.scatter(x, 1, idx, 2.5)", x=(2, 4), idx=(L, [[3, 0], [1, 2]]))
case("scatter_value_kw", "x.scatter(0, idx, value=-1.0)", x=(3, 4), idx=(L, IDX))
case("scatter_src_const_x", "torch.scatter(x, 0, idx, s)", x=("const", (3, 4)),
     idx=(L, IDX), s=(2, 4))
case("scatter_inplace", "x.clone().scatter_(0, idx, s)", x=(3, 4), idx=(L, IDX), s=(2, 4))
case("scatter_inplace_value", "x.clone().scatter_(1, idx, 7.0)", x=(2, 4),
     idx=(L, [[3, 0], [1, 2]]))
case("scatter_reduce_add", "torch.scatter(x, 0, idx, s, reduce='add')", x=(3, 4),
     idx=(L, DUP), s=(2, 4))
case("scatter_reduce_multiply", "torch.scatter(x, 0, idx, s, reduce='multiply')", x=(3, 4),
     idx=(L, DUP), s=(2, 4))
case("scatter_value_reduce", "torch.scatter(x, 0, idx, 2.0, reduce='multiply')",
     x=("const", (3, 4)), idx=(L, DUP))
case("scatter_inplace_reduce", "x.clone().scatter_(0, idx, s, reduce='add')",
     x=("const", (3, 4)), idx=(L, DUP), s=("const", (2, 4)))
case("scatter_int", "torch.scatter(x, 0, idx, s)", x=(L, [[1, 2], [3, 4]]),
     idx=(L, [[1, 0]]), s=(L, [[9, 8]]))
case("scatter_err_reduce", "torch.scatter(x, 0, idx, s, reduce='mean')", x=(3, 4),
     idx=(L, IDX), s=(2, 4))
case("scatter_err_dtype", "torch.scatter(x, 0, idx, s)", x=(3, 4), idx=(L, IDX),
     s=("f64", (2, 4)))
case("scatter_err_index_dtype", "torch.scatter(x, 0, idx, s)", x=(3, 4),
     idx=("int32", IDX), s=(2, 4))
case("scatter_err_bounds", "torch.scatter(x, 0, idx, s)", x=(3, 4),
     idx=(L, [[0, 5, 0, 0]]), s=(2, 4))
case("scatter_err_ndim", "torch.scatter(x, 0, idx, s)", x=(3, 4), idx=(L, [0, 1]),
     s=(2, 4))
case("scatter_err_index_vs_src", "torch.scatter(x, 0, idx, s)", x=(3, 4), idx=(L, IDX),
     s=(1, 4))
case("scatter_err_index_vs_self", "torch.scatter(x, 0, idx, s)", x=(3, 2), idx=(L, IDX),
     s=(3, 4))
case("scatter_err_dim", "torch.scatter(x, 2, idx, s)", x=(3, 4), idx=(L, IDX), s=(2, 4))
case("scatter_add", "torch.scatter_add(x, 0, idx, s)", x=(3, 4), idx=(L, DUP), s=(2, 4))
case("scatter_add_method", "x.scatter_add(1, idx, s)", x=(2, 4),
     idx=(L, [[3, 3], [1, 1]]), s=(2, 3))
case("scatter_add_inplace", "x.clone().scatter_add_(0, idx, s)", x=(3, 4), idx=(L, DUP),
     s=(2, 4))
case("scatter_add_f64", "torch.scatter_add(x, 0, idx, s)", x=("f64", (3, 4)), idx=(L, DUP),
     s=("f64", (2, 4)))
case("scatter_add_err_dtype", "torch.scatter_add(x, 0, idx, s)", x=(3, 4), idx=(L, DUP),
     s=("f64", (2, 4)))

# ---- index_add / index_copy / index_fill
I2 = [0, 2]
case("index_add", "torch.index_add(x, 0, i, s)", x=(3, 4), i=(L, I2), s=(2, 4))
case("index_add_alpha", "torch.index_add(x, 1, i, s, alpha=2)", x=(3, 4), i=(L, [3, 3, 0]),
     s=(3, 3))
case("index_add_method", "x.index_add(0, i, s, alpha=-0.5)", x=(3, 4), i=(L, I2), s=(2, 4))
case("index_add_inplace", "x.clone().index_add_(0, i, s)", x=(3, 4), i=(L, [1, 1]),
     s=(2, 4))
case("index_add_1d", "torch.index_add(x, 0, i, s)", x=(5,), i=(L, [4, 0, 4]), s=(3,))
case("index_add_int", "torch.index_add(x, 0, i, s, alpha=3)", x=(L, [1, 2, 3]),
     i=(L, [2]), s=(L, [5]))
case("index_add_err_shape", "torch.index_add(x, 0, i, s)", x=(3, 4), i=(L, I2), s=(2, 3))
case("index_add_err_count", "torch.index_add(x, 0, i, s)", x=(3, 4), i=(L, I2), s=(3, 4))
case("index_add_err_bounds", "torch.index_add(x, 0, i, s)", x=(3, 4), i=(L, [0, 3]),
     s=(2, 4))
case("index_add_err_index_2d", "torch.index_add(x, 0, i, s)", x=(3, 4), i=(L, [[0, 1]]),
     s=(2, 4))
case("index_add_err_dtype", "torch.index_add(x, 0, i, s)", x=(3, 4), i=(L, I2),
     s=("f64", (2, 4)))
case("index_add_err_index_dtype", "torch.index_add(x, 0, i, s)", x=(3, 4),
     i=(L, [0.0, 1.0]), s=(2, 4))
case("index_copy", "torch.index_copy(x, 0, i, s)", x=(3, 4), i=(L, I2), s=(2, 4))
case("index_copy_dim1", "x.index_copy(1, i, s)", x=(3, 4), i=(L, [3, 1]), s=(3, 2))
case("index_copy_inplace", "x.clone().index_copy_(0, i, s)", x=(3, 4), i=(L, [2, 0]),
     s=(2, 4))
case("index_copy_err_shape", "torch.index_copy(x, 0, i, s)", x=(3, 4), i=(L, I2), s=(2, 3))
case("index_copy_err_bounds", "torch.index_copy(x, 0, i, s)", x=(3, 4), i=(L, [0, 3]),
     s=(2, 4))
case("index_fill", "torch.index_fill(x, 1, i, -1.0)", x=(3, 4), i=(L, I2))
case("index_fill_method", "x.index_fill(0, i, 2)", x=(3, 4), i=(L, [1]))
case("index_fill_tensor", "torch.index_fill(x, 1, i, v)", "close", x=(3, 4), i=(L, [0, 2, 0]), v=())
case("index_fill_inplace", "x.clone().index_fill_(1, i, 0.5)", x=(3, 4), i=(L, I2))
case("index_fill_err_value", "torch.index_fill(x, 1, i, v)", x=(3, 4), i=(L, I2), v=(2,))
case("index_fill_err_bounds", "torch.index_fill(x, 1, i, 1.0)", x=(3, 4), i=(L, [4]))
case("index_fill_neg_index", "torch.index_fill(x, 1, i, 1.0)", x=(3, 4), i=(L, [-1]))

# ---- take_along_dim / take
case("take_along_dim", "torch.take_along_dim(x, idx, 1)", x=(3, 4),
     idx=(L, [[0, 3], [1, 1], [2, 0]]))
case("take_along_dim_bcast", "torch.take_along_dim(x, idx, dim=0)", x=(3, 4),
     idx=(L, [[2, 0, 1, 1]]))
case("take_along_dim_bcast_x", "torch.take_along_dim(x, idx, dim=1)", x=(1, 4),
     idx=(L, [[0, 3], [1, 2]]))
case("take_along_dim_none", "torch.take_along_dim(x, idx)", x=(3, 4), idx=(L, [0, 11, 5]))
case("take_along_dim_method", "x.take_along_dim(x.argsort(dim=1), dim=1)", x=(2, 3))
case("take_along_dim_err_ndim", "torch.take_along_dim(x, idx, 1)", x=(3, 4), idx=(L, [0]))
case("take_along_dim_err_dtype", "torch.take_along_dim(x, idx, 1)", x=(3, 4),
     idx=(L, [[0.0]]))
case("take", "torch.take(x, i)", x=(3, 4), i=(L, [[0, 11], [5, 5]]))
case("take_neg", "x.take(i)", x=(3, 4), i=(L, [-1, -12]))
case("take_err_bounds", "torch.take(x, i)", x=(3, 4), i=(L, [12]))

# ---- stride / unfold
case("stride", "x.stride()", x=(3, 4))
case("stride_dim", "x.stride(0)", x=(3, 4))
case("stride_neg_dim", "x.stride(-1)", x=(2, 3, 4))
case("stride_t", "x.t().stride()", x=(3, 4))
case("stride_permute", "x.permute(2, 0, 1).stride()", x=(2, 3, 4))
case("stride_expand", "x.expand(2, 3, 4).stride()", x=(3, 4))
case("stride_slice", "x[:, ::2].stride()", x=(3, 4))
case("stride_select", "x[1].stride()", x=(3, 4))
case("stride_0d", "x.stride()", x=())
case("stride_unsqueeze", "x.unsqueeze(1).stride()", x=(3, 4))
case("stride_err_dim", "x.stride(2)", x=(3, 4))
case("unfold", "x.unfold(1, 2, 1)", x=(3, 4))
case("unfold_step", "x.unfold(0, 2, 2)", x=(7,))
case("unfold_dim0", "x.unfold(0, 2, 1)", x=(3, 2))
case("unfold_neg", "x.unfold(-1, 3, 2)", x=(2, 2, 7))
case("unfold_full", "x.unfold(1, 4, 5)", x=(2, 4))
case("unfold_stride", "x.unfold(1, 2, 1).stride()", x=(3, 4))
case("unfold_0d", "x.unfold(0, 1, 1)", x=())
case("unfold_err_size", "x.unfold(1, 5, 1)", x=(3, 4))
case("unfold_err_step", "x.unfold(1, 2, 0)", x=(3, 4))
case("unfold_err_dim", "x.unfold(2, 2, 1)", x=(3, 4))
case("unfold_chain", "x.unfold(0, 2, 1).unfold(1, 2, 2)", x=(3, 5))

# ---- rot90 / block_diag / diag_embed / vander
case("rot90", "torch.rot90(x)", x=(3, 4))
case("rot90_k2", "torch.rot90(x, 2)", x=(3, 4))
case("rot90_k3", "x.rot90(3, [0, 1])", x=(3, 4))
case("rot90_kneg", "torch.rot90(x, -1, (1, 0))", x=(3, 4))
case("rot90_k0", "torch.rot90(x, 0)", x=(3, 4))
case("rot90_k5", "torch.rot90(x, 5)", x=(3, 4))
case("rot90_3d", "torch.rot90(x, 1, [1, 2])", x=(2, 3, 4))
case("rot90_err_dims", "torch.rot90(x, 1, [0])", x=(3, 4))
case("rot90_err_same", "torch.rot90(x, 1, [1, 1])", x=(3, 4))
case("rot90_err_1d", "torch.rot90(x)", x=(3,))
case("block_diag", "torch.block_diag(a, b)", a=(2, 3), b=(1, 2))
case("block_diag_vec_scalar", "torch.block_diag(a, b, c)", a=(3,), b=(), c=(2, 2))
case("block_diag_mixed", "torch.block_diag(a, b)", a=(L, [[1, 2]]), b=("const", (2, 1)))
case("block_diag_one", "torch.block_diag(a)", a=(2, 2))
case("block_diag_empty", "torch.block_diag()")
case("block_diag_err_3d", "torch.block_diag(a)", a=(2, 2, 2))
case("diag_embed", "torch.diag_embed(x)", x=(2, 3))
case("diag_embed_offset", "torch.diag_embed(x, 1)", x=(2, 3))
case("diag_embed_neg", "x.diag_embed(offset=-2, dim1=0, dim2=2)", x=(2, 3))
case("diag_embed_1d", "torch.diag_embed(x)", x=(3,))
case("diag_embed_err_same", "torch.diag_embed(x, 0, 1, 1)", x=(2, 3))
case("vander", "torch.vander(x)", x=(3,))
case("vander_n", "torch.vander(x, 4)", x=(3,))
case("vander_inc", "torch.vander(x, N=2, increasing=True)", x=(3,))
case("vander_int", "torch.vander(x)", x=(L, [1, 2, 3]))
case("vander_n0", "torch.vander(x, 0)", x=(3,))
case("vander_n1", "torch.vander(x, 1)", x=(3,))
case("vander_err_2d", "torch.vander(x)", x=(2, 2))
case("vander_err_neg", "torch.vander(x, -1)", x=(3,))

# ---- tensordot / baddbmm
case("tensordot_1", "torch.tensordot(a, b, 1)", "close", a=(3, 4), b=(4, 5))
case("tensordot_2", "torch.tensordot(a, b, 2)", "close", a=(2, 3, 4), b=(3, 4, 5))
case("tensordot_lists", "torch.tensordot(a, b, ([1, 0], [0, 1]))", "close", a=(3, 4),
     b=(4, 3, 2))
case("tensordot_0", "torch.tensordot(a, b, 0)", "close", a=(2,), b=(3,))
case("tensordot_full", "torch.tensordot(a, b, 2)", "close", a=(3, 4), b=(3, 4))
case("tensordot_full_perm", "torch.tensordot(a, b, ([1, 0], [1, 0]))", "close", a=(3, 4),
     b=(3, 4))
case("tensordot_bcast", "torch.tensordot(a, b, ([1], [0]))", "close", a=(3, 4), b=(1, 5))
case("tensordot_t", "torch.tensordot(a, b.t(), 1)", "close", a=(3, 4), b=(5, 4))
case("tensordot_default", "torch.tensordot(a, b)", "close", a=(2, 3, 4), b=(3, 4))
case("tensordot_err_size", "torch.tensordot(a, b, 1)", a=(3, 4), b=(3, 4))
case("tensordot_err_len", "torch.tensordot(a, b, ([0, 1], [0]))", a=(3, 4), b=(3, 4))
case("tensordot_err_neg", "torch.tensordot(a, b, -1)", a=(3, 4), b=(3, 4))
case("tensordot_err_big", "torch.tensordot(a, b, 3)", a=(3, 4), b=(3, 4))
case("tensordot_err_dtype", "torch.tensordot(a, b, 1)", a=(3, 4), b=("f64", (4, 2)))
case("baddbmm", "torch.baddbmm(c, a, b)", "close", c=(2, 3, 4), a=(2, 3, 5), b=(2, 5, 4))
case("baddbmm_scaled", "torch.baddbmm(c, a, b, beta=0.5, alpha=2)", "close", c=(2, 3, 4),
     a=(2, 3, 5), b=(2, 5, 4))
case("baddbmm_bcast", "c.baddbmm(a, b)", "close", c=(4,), a=(2, 3, 5), b=(2, 5, 4))
case("baddbmm_beta0_nan", "torch.baddbmm(c, a, b, beta=0)", "close",
     c=(L, [[[math.nan, 1.0], [2.0, math.inf]]], True), a=(1, 2, 3), b=(1, 3, 2))
case("baddbmm_inplace", "c.clone().baddbmm_(a, b, alpha=-1)", "close", c=(2, 3, 4),
     a=(2, 3, 5), b=(2, 5, 4))
case("baddbmm_err_shape", "torch.baddbmm(c, a, b)", c=(2, 3, 4), a=(2, 3, 5), b=(2, 4, 4))
case("baddbmm_err_2d", "torch.baddbmm(c, a, b)", c=(3, 4), a=(3, 5), b=(5, 4))
case("baddbmm_err_bcast", "torch.baddbmm(c, a, b)", c=(3, 3), a=(2, 3, 5), b=(2, 5, 4))

# ---- nan_to_num / searchsorted / bucketize
SPECIAL = [[math.nan, math.inf, -math.inf], [1.5, -2.0, 0.0]]
case("nan_to_num", "torch.nan_to_num(x)", x=(L, SPECIAL, True))
case("nan_to_num_args", "torch.nan_to_num(x, nan=0.5, posinf=10.0, neginf=-10)",
     x=(L, SPECIAL, True))
case("nan_to_num_f64", "x.nan_to_num(posinf=1e300)", x=(L, np.array(SPECIAL).tolist(), "f64"))
case("nan_to_num_f64_default", "torch.nan_to_num(x)", x=(L, SPECIAL, "f64"))
case("nan_to_num_inplace", "x.clone().nan_to_num_(nan=-1.0)", x=(L, SPECIAL, True))
case("nan_to_num_int", "torch.nan_to_num(x, nan=1.0)", x=(L, [1, 2]))
case("nan_to_num_big", "torch.nan_to_num(x, posinf=1e300)", x=(L, SPECIAL))
SEQ = [1.0, 2.0, 2.0, 3.0, 5.0]
case("searchsorted", "torch.searchsorted(s, v)", s=(L, SEQ),
     v=(L, [[0.5, 2.0, 2.5], [5.0, 6.0, 3.0]]))
case("searchsorted_right", "torch.searchsorted(s, v, right=True)", s=(L, SEQ),
     v=(L, [0.5, 2.0, 5.0, 7.0]))
case("searchsorted_side", "torch.searchsorted(s, v, side='right', out_int32=True)",
     s=(L, SEQ), v=(L, [2.0, 3.0]))
case("searchsorted_nd", "torch.searchsorted(s, v)",
     s=(L, [[1.0, 3.0, 5.0], [0.0, 2.0, 4.0]]), v=(L, [[3.0, 6.0], [1.0, -1.0]]))
case("searchsorted_sorter", "torch.searchsorted(s, v, sorter=o)", s=(L, [3.0, 1.0, 2.0]),
     v=(L, [0.0, 1.5, 2.5, 3.5]), o=(L, [1, 2, 0]))
case("searchsorted_scalar", "torch.searchsorted(s, 2.0)", s=(L, SEQ))
case("searchsorted_int", "torch.searchsorted(s, v)", s=(L, [1, 3, 5]), v=(L, [2.5, 3.0]))
case("searchsorted_nan", "torch.searchsorted(s, v)", s=(L, [1.0, 2.0, math.nan]),
     v=(L, [math.nan, 1.5]))
case("searchsorted_err_side", "torch.searchsorted(s, v, right=False, side='right')",
     s=(L, SEQ), v=(L, [2.0]))
case("searchsorted_err_side_name", "torch.searchsorted(s, v, side='up')", s=(L, SEQ),
     v=(L, [2.0]))
case("searchsorted_err_dims", "torch.searchsorted(s, v)",
     s=(L, [[1.0, 3.0, 5.0], [0.0, 2.0, 4.0]]), v=(L, [3.0, 6.0]))
case("searchsorted_err_lead", "torch.searchsorted(s, v)",
     s=(L, [[1.0, 3.0, 5.0], [0.0, 2.0, 4.0]]), v=(L, [[3.0, 6.0]]))
case("bucketize", "torch.bucketize(v, s)", s=(L, SEQ), v=(L, [[0.5, 2.0], [5.0, 6.0]]))
case("bucketize_right", "torch.bucketize(v, s, right=True, out_int32=True)", s=(L, SEQ),
     v=(L, [0.5, 2.0, 5.0, 7.0]))
case("bucketize_scalar", "torch.bucketize(3.0, s)", s=(L, SEQ))
case("bucketize_err_2d", "torch.bucketize(v, s)", s=(L, [[1.0, 2.0]]), v=(L, [1.0]))

# ---- logspace / histc
case("logspace", "torch.logspace(0, 2, 5)")
case("logspace_base2", "torch.logspace(0, 1, steps=7, base=2)")
case("logspace_neg", "torch.logspace(-1, 1, 3, base=10, dtype=torch.float64)")
case("logspace_many", "torch.logspace(-3, 3, 50)")
case("logspace_one", "torch.logspace(2, 5, 1)")
case("logspace_zero", "torch.logspace(2, 5, 0)")
case("logspace_int", "torch.logspace(0, 3, 4, dtype=torch.int64)")
case("logspace_down", "torch.logspace(2.5, -1.5, 6, base=3.0)")
case("logspace_err_steps", "torch.logspace(0, 1, -1)")
case("histc", "torch.histc(x, bins=4, min=0, max=3)", x=(L, [1.0, 2.0, 1.0, 3.0, 0.0]))
case("histc_default", "torch.histc(x)", x=("const", (50,)))
case("histc_auto", "torch.histc(x, bins=5)", x=(L, [0.0, 1.0, 2.0, 2.5, 10.0]))
case("histc_out_of_range", "x.histc(3, -1, 1)", x=(L, [-2.0, -1.0, 0.0, 0.999, 1.0, 1.5]))
case("histc_same", "torch.histc(x, bins=3)", x=(L, [2.0, 2.0]))
case("histc_f64", "torch.histc(x, bins=6, min=-2, max=2)", x=("const64", (30,)))
case("histc_2d", "torch.histc(x, bins=4)", x=("const", (3, 5)))
case("histc_err_int", "torch.histc(x)", x=(L, [1, 2]))
case("histc_err_range", "torch.histc(x, bins=3, min=2, max=1)", x=(L, [1.0]))
case("histc_err_bins", "torch.histc(x, bins=0)", x=(L, [1.0]))
case("histc_grad", "torch.histc(x, bins=3)", x=(4,))

# ---- F.interpolate
case("interp_nearest_2d", "F.interpolate(x, scale_factor=2)", "close", x=(1, 2, 2, 3))
case("interp_nearest_2d_size", "F.interpolate(x, size=(5, 4), mode='nearest')", "close",
     x=(1, 1, 3, 3))
case("interp_nearest_down", "F.interpolate(x, size=(2, 3))", "close", x=(1, 1, 5, 7))
case("interp_nearest_1d", "F.interpolate(x, scale_factor=1.5)", "close", x=(2, 1, 4))
case("interp_nearest_1d_size", "F.interpolate(x, size=7)", "close", x=(1, 2, 3))
case("interp_bilinear", "F.interpolate(x, size=(5, 5), mode='bilinear')", "close",
     x=(1, 2, 3, 3))
case("interp_bilinear_ac", "F.interpolate(x, size=(5, 4), mode='bilinear', "
     "align_corners=True)", "close", x=(2, 1, 3, 3))
case("interp_bilinear_scale", "F.interpolate(x, scale_factor=2, mode='bilinear')", "close",
     x=(1, 1, 2, 3))
case("interp_bilinear_down", "F.interpolate(x, size=(2, 3), mode='bilinear')", "close",
     x=(1, 1, 5, 7))
case("interp_bilinear_frac", "F.interpolate(x, scale_factor=(1.5, 0.5), mode='bilinear')",
     "close", x=(1, 1, 4, 6))
case("interp_linear", "F.interpolate(x, size=6, mode='linear')", "close", x=(1, 2, 4))
case("interp_linear_ac", "F.interpolate(x, scale_factor=2, mode='linear', "
     "align_corners=True)", "close", x=(2, 1, 3))
case("interp_err_both", "F.interpolate(x, size=4, scale_factor=2)", x=(1, 1, 3))
case("interp_err_none", "F.interpolate(x)", x=(1, 1, 3))
case("interp_err_mode", "F.interpolate(x, size=4, mode='bilinear')", x=(1, 1, 3))
case("interp_err_ac_nearest", "F.interpolate(x, size=4, align_corners=True)", x=(1, 1, 3))
case("interp_err_mode_name", "F.interpolate(x, size=4, mode='cubic')", x=(1, 1, 3))


def make_inputs(cid, specs):
    rng = np.random.RandomState(zlib.crc32(cid.encode()))
    arrays = {}
    for name, spec in specs.items():
        if spec == () or (spec and isinstance(spec[0], int)):
            spec = ("randn", spec)
        kind = spec[0]
        rg = True
        if kind in ("randn", "const", "f64", "const64"):
            dtype = "float64" if kind in ("f64", "const64") else "float32"
            data = rng.standard_normal(spec[1]).astype(dtype)
            rg = kind in ("randn", "f64")
        elif kind == "int32":
            data = np.array(spec[1], np.int32)
            rg = False
        elif kind == "list":
            data = np.array(spec[1])
            flag = spec[2] if len(spec) > 2 else False
            if data.dtype == np.float64:
                data = data.astype("float64" if flag == "f64" else "float32")
            rg = bool(flag)
        else:
            raise ValueError(kind)
        arrays[name] = (data, rg)
    return arrays


def as_json(a: np.ndarray) -> dict:
    return {"data": [None if isinstance(v, float) and math.isnan(v) else v
                     for v in a.reshape(-1).tolist()] if a.dtype.kind == "f" else
            a.reshape(-1).tolist(), "dtype": str(a.dtype), "shape": list(a.shape)}


def graph(fn) -> str:
    if fn is None:
        return "None"
    name = fn.name()
    if name.endswith("AccumulateGrad"):
        return "Acc"
    kids = [graph(f) for f, _ in fn.next_functions]
    return f"{name}({', '.join(kids)})" if kids else name


def run(c: dict) -> dict:
    arrays = make_inputs(c["id"], c["specs"])
    rec = {k: v for k, v in c.items() if k != "specs"}
    rec["inputs"] = {n: {**as_json(a), "requires_grad": rg} for n, (a, rg) in arrays.items()}
    tensors = {n: torch.tensor(a, requires_grad=rg) for n, (a, rg) in arrays.items()}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = eval(c["expr"], {"torch": torch, "F": F, **tensors})  # noqa: S307
        except Exception as e:  # noqa: BLE001 - recorded as the expected error
            rec["error"] = {"type": type(e).__name__, "message": str(e)}
            return rec
    if not isinstance(out, torch.Tensor):
        rec["value"] = list(out) if isinstance(out, tuple) else out
        return rec
    rec["outputs"] = [as_json(out.detach().numpy())]
    rec["graph"] = graph(out.grad_fn)
    if out.requires_grad:
        rng = np.random.RandomState(zlib.crc32(c["id"].encode()) + 1)
        up = rng.standard_normal(tuple(out.shape)).astype(str(out.dtype).split(".")[1])
        rec["upstream"] = as_json(up)
        try:
            out.backward(torch.tensor(up))
        except Exception as e:  # noqa: BLE001
            rec["backward_error"] = {"type": type(e).__name__, "message": str(e)}
            return rec
        rec["grads"] = {n: (None if t.grad is None else as_json(t.grad.numpy()))
                        for n, t in tensors.items() if arrays[n][1]}
    return rec


def main() -> None:
    records = [run(c) for c in CASES]
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump({"torch": torch.__version__, "cases": records}, fh, indent=None)
        fh.write("\n")
    print(f"{len(records)} cases -> {OUT}")


if __name__ == "__main__":
    main()

"""Record torch's answers for the torch.nn.functional layer ops (linear, dropout, conv,
pooling, normalisation, embedding, padding, the activations) and addcmul/addcdiv into
tests/engine/fixtures/nn_ops.json: run with a Python that has torch 2.13.

    /work/torchenv/bin/python tools/gen_nn_ops_fixtures.py

Each case is one expression over named inputs. The inputs are drawn here with numpy and
stored in the fixture (so adcli needs no torch random stream for them); a case with a seed
seeds torch's default generator before the call (dropout). Recorded: the output(s), the
grad_fn graph (walking next_functions), the gradient of every input that requires grad
for a stored upstream gradient, the inputs named in ``state`` after the call (running
statistics), or the error's type and message.
"""

from __future__ import annotations

import json
import os
import warnings
import zlib

import numpy as np
import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "tests", "engine", "fixtures", "nn_ops.json")

CASES: list[dict] = []


def case(cid, expr, tol="exact", seed=None, state=(), **inputs):
    """``inputs``: name -> (shape,) randn requiring grad; ("const", shape) randn without
    grad; ("int", shape, low, high); ("list", values[, requires_grad]); ("zeros"|"ones",
    shape); ("f64", shape) float64 randn requiring grad; ("pos", shape) |randn| + 0.5."""
    CASES.append({"id": cid, "expr": expr, "tol": tol, "seed": seed, "state": list(state),
                  "specs": inputs})


R = ("randn",)

# ---- linear
case("linear_1d_bias", "F.linear(x, w, b)", "close", x=(3,), w=(4, 3), b=(4,))
case("linear_1d_nobias", "F.linear(x, w)", "close", x=(3,), w=(4, 3))
case("linear_2d_bias", "F.linear(x, w, b)", "close", x=(2, 3), w=(4, 3), b=(4,))
case("linear_2d_nobias", "F.linear(x, w)", "close", x=(2, 3), w=(4, 3))
case("linear_3d_bias", "F.linear(x, w, b)", "close", x=(5, 2, 3), w=(4, 3), b=(4,))
case("linear_3d_nobias", "F.linear(x, w)", "close", x=(5, 2, 3), w=(4, 3))
case("linear_4d_bias", "F.linear(x, w, b)", "close", x=(2, 2, 2, 3), w=(4, 3), b=(4,))
case("linear_3d_noncontig", "F.linear(x.transpose(1, 2), w, b)", "close", x=(5, 3, 2),
     w=(4, 3), b=(4,))
case("linear_2d_noncontig", "F.linear(x.t(), w, b)", "close", x=(3, 2), w=(4, 3), b=(4,))
case("linear_3d_bias_row", "F.linear(x, w, b)", "close", x=(5, 2, 3), w=(4, 3), b=(1, 4))
case("linear_3d_bias_scalar", "F.linear(x, w, b)", "close", x=(5, 2, 3), w=(4, 3), b=())
case("linear_2d_bias_matrix", "F.linear(x, w, b)", "close", x=(2, 3), w=(4, 3), b=(2, 4))
case("linear_x_const", "F.linear(x, w, b)", "close", x=("const", (2, 3)), w=(4, 3), b=(4,))
case("linear_x3_const", "F.linear(x, w, b)", "close", x=("const", (5, 2, 3)), w=(4, 3),
     b=(4,))
case("linear_w_1d", "F.linear(x, w)", "close", x=(2, 3), w=(3,))
case("linear_f64", "F.linear(x, w, b)", "close", x=("f64", (2, 3)), w=("f64", (4, 3)),
     b=("f64", (4,)))
case("linear_err_shape", "F.linear(x, w, b)", x=(2, 5), w=(4, 3), b=(4,))
case("linear_err_shape_nobias", "F.linear(x, w)", x=(5, 2, 5), w=(4, 3))
case("linear_err_shape_1d", "F.linear(x, w, b)", x=(5,), w=(4, 3), b=(4,))
case("linear_err_bias", "F.linear(x, w, b)", x=(2, 3), w=(4, 3), b=(3,))
case("linear_err_bias_dims", "F.linear(x, w, b)", x=(2, 3), w=(4, 3), b=(1, 1, 4))
case("linear_err_0d", "F.linear(x, w)", x=(), w=(4, 3))
case("linear_err_w3d", "F.linear(x, w)", x=(2, 3), w=(2, 4, 3))
case("linear_err_dtype", "F.linear(x, w)", x=(2, 3), w=("f64", (4, 3)))
case("linear_err_dtype_bias", "F.linear(x, w, b)", x=("f64", (2, 3)), w=(4, 3), b=(4,))
case("linear_err_dtype_self", "F.linear(x, w, b)", x=(2, 3), w=(4, 3), b=("f64", (4,)))
case("linear_err_list", "F.linear([1.0], w)", w=(4, 3))

# ---- addcmul / addcdiv
case("addcmul", "torch.addcmul(x, a, b, value=0.5)", x=(2, 3), a=(2, 3), b=(3,))
case("addcmul_default", "torch.addcmul(x, a, b)", x=(2, 3), a=(2, 3), b=(2, 3))
case("addcmul_method", "x.addcmul(a, b, value=-2)", x=(2, 3), a=(2, 3), b=(2, 3))
case("addcmul_inplace", "x.clone().addcmul_(a, b, value=0.25)", x=(2, 3), a=(2, 3), b=(2, 3))
case("addcmul_consts", "torch.addcmul(x, a, b, value=3.0)", x=(2, 3), a=("const", (2, 3)),
     b=("const", (1, 3)))
case("addcmul_inplace_t2_grad", "x.addcmul_(a, b, value=2)", x=("const", (2, 3)),
     a=("const", (2, 3)), b=(2, 3))
case("addcdiv", "torch.addcdiv(x, a, b, value=0.5)", x=(2, 3), a=(2, 3), b=("pos", (2, 3)))
case("addcdiv_default", "torch.addcdiv(x, a, b)", x=(2, 3), a=(2, 3), b=("pos", (3,)))
case("addcdiv_method", "x.addcdiv(a, b, value=-1e-3)", x=(2, 3), a=(2, 3), b=("pos", (2, 3)))
case("addcdiv_inplace", "x.clone().addcdiv_(a, b, value=2)", x=(2, 3), a=(2, 3),
     b=("pos", (2, 3)))
case("addcdiv_f64", "torch.addcdiv(x, a, b, value=0.1)", x=("f64", (4,)), a=("f64", (4,)),
     b=("f64", (4,)))
case("addcmul_err_shape", "torch.addcmul(x, a, b)", x=(2, 3), a=(2, 3), b=(4,))

# ---- dropout
case("dropout", "F.dropout(x, 0.3)", seed=0, x=(4, 5))
case("dropout_default", "F.dropout(x)", seed=7, x=(3, 7))
case("dropout_p0", "F.dropout(x, 0.0)", seed=0, x=(2, 3))
case("dropout_p1", "F.dropout(x, 1.0)", seed=0, x=(2, 3))
case("dropout_eval", "F.dropout(x, 0.3, training=False)", seed=0, x=(2, 3))
case("dropout_inplace", "F.dropout(x * 1, 0.5, inplace=True)", seed=3, x=(2, 3))
case("dropout_torch", "torch.dropout(x, 0.2, True)", seed=5, x=(3, 4))
case("dropout_f64", "F.dropout(x, 0.4)", seed=2, x=("f64", (3, 4)))
case("dropout2d", "F.dropout2d(x, 0.5)", seed=1, x=(2, 3, 2, 2))
case("dropout1d", "F.dropout1d(x, 0.5)", seed=4, x=(2, 3, 4))
case("dropout1d_unbatched", "F.dropout1d(x, 0.5)", seed=4, x=(3, 4))
case("dropout_err_p", "F.dropout(x, 1.5)", x=(2, 3))
case("dropout1d_err_dim", "F.dropout1d(x, 0.5)", x=(2, 3, 4, 5))

# ---- conv
case("conv2d", "F.conv2d(x, w, b)", "close", x=(2, 3, 6, 5), w=(4, 3, 3, 3), b=(4,))
case("conv2d_nobias", "F.conv2d(x, w)", "close", x=(2, 3, 5, 5), w=(4, 3, 2, 2))
case("conv2d_stride_pad", "F.conv2d(x, w, b, stride=2, padding=1)", "close",
     x=(2, 3, 7, 6), w=(4, 3, 3, 3), b=(4,))
case("conv2d_tuple_args", "F.conv2d(x, w, b, stride=(1, 2), padding=(0, 1))", "close",
     x=(1, 2, 5, 6), w=(3, 2, 2, 3), b=(3,))
case("conv2d_dilation", "F.conv2d(x, w, b, dilation=2, padding=2)", "close",
     x=(2, 2, 7, 7), w=(3, 2, 3, 3), b=(3,))
case("conv2d_groups", "F.conv2d(x, w, b, groups=2)", "close", x=(2, 4, 5, 5),
     w=(6, 2, 3, 3), b=(6,))
case("conv2d_depthwise", "F.conv2d(x, w, None, padding=1, groups=3)", "close",
     x=(2, 3, 4, 4), w=(3, 1, 3, 3))
case("conv2d_same", "F.conv2d(x, w, b, padding='same')", "close", x=(1, 2, 5, 5),
     w=(3, 2, 3, 3), b=(3,))
case("conv2d_same_even", "F.conv2d(x, w, b, padding='same')", "close", x=(1, 2, 5, 6),
     w=(3, 2, 2, 4), b=(3,))
case("conv2d_valid", "F.conv2d(x, w, b, padding='valid')", "close", x=(1, 2, 5, 5),
     w=(3, 2, 3, 3), b=(3,))
case("conv2d_unbatched", "F.conv2d(x, w, b)", "close", x=(3, 5, 5), w=(4, 3, 3, 3), b=(4,))
case("conv2d_x_const", "F.conv2d(x, w, b, padding=1)", "close", x=("const", (2, 3, 4, 4)),
     w=(4, 3, 3, 3), b=(4,))
case("conv2d_w_const", "F.conv2d(x, w, b, stride=2)", "close", x=(2, 3, 5, 5),
     w=("const", (4, 3, 3, 3)), b=(4,))
case("conv2d_f64", "F.conv2d(x, w, b, padding=1)", "close", x=("f64", (2, 2, 4, 4)),
     w=("f64", (3, 2, 3, 3)), b=("f64", (3,)))
case("conv2d_torch", "torch.conv2d(x, w, b, 1, 1)", "close", x=(1, 2, 4, 4),
     w=(3, 2, 3, 3), b=(3,))
case("conv1d", "F.conv1d(x, w, b)", "close", x=(2, 3, 7), w=(4, 3, 3), b=(4,))
case("conv1d_args", "F.conv1d(x, w, b, stride=2, padding=2, dilation=2)", "close",
     x=(2, 3, 9), w=(4, 3, 3), b=(4,))
case("conv1d_groups", "F.conv1d(x, w, b, groups=3)", "close", x=(2, 6, 7), w=(3, 2, 2),
     b=(3,))
case("conv1d_same_even", "F.conv1d(x, w, padding='same')", "close", x=(2, 2, 7),
     w=(3, 2, 4))
case("conv1d_unbatched", "F.conv1d(x, w, b)", "close", x=(3, 7), w=(4, 3, 2), b=(4,))
case("conv2d_err_dims", "F.conv2d(x, w)", x=(2, 3), w=(4, 3, 2, 2))
case("conv2d_err_channels", "F.conv2d(x, w)", x=(2, 5, 6, 6), w=(4, 3, 2, 2))
case("conv2d_err_kernel", "F.conv2d(x, w)", x=(2, 3, 1, 1), w=(4, 3, 2, 2))
case("conv2d_err_groups_in", "F.conv2d(x, w, groups=2)", x=(2, 3, 6, 6), w=(4, 3, 2, 2))
case("conv2d_err_groups_out", "F.conv2d(x, w, groups=2)", x=(2, 4, 6, 6), w=(3, 2, 2, 2))
case("conv2d_err_bias", "F.conv2d(x, w, b)", x=(2, 3, 6, 6), w=(4, 3, 2, 2), b=(3,))
case("conv2d_err_same_stride", "F.conv2d(x, w, stride=2, padding='same')", x=(2, 3, 6, 6),
     w=(4, 3, 2, 2))
case("conv2d_err_padding_str", "F.conv2d(x, w, padding='foo')", x=(2, 3, 6, 6),
     w=(4, 3, 2, 2))
case("conv2d_err_stride0", "F.conv2d(x, w, stride=0)", x=(2, 3, 6, 6), w=(4, 3, 2, 2))
case("conv2d_err_negpad", "F.conv2d(x, w, padding=-1)", x=(2, 3, 6, 6), w=(4, 3, 2, 2))
case("conv2d_err_dilation0", "F.conv2d(x, w, dilation=0)", x=(2, 3, 6, 6), w=(4, 3, 2, 2))
case("conv2d_err_groups0", "F.conv2d(x, w, groups=0)", x=(2, 3, 6, 6), w=(4, 3, 2, 2))
case("conv2d_err_stride_len", "F.conv2d(x, w, stride=(1, 2, 3))", x=(2, 3, 6, 6),
     w=(4, 3, 2, 2))
case("conv2d_err_dtype", "F.conv2d(x, w)", x=(2, 3, 6, 6), w=("f64", (4, 3, 2, 2)))
case("conv1d_err_dims", "F.conv1d(x, w)", x=(2, 3, 6, 6), w=(4, 3, 2))

# ---- pooling
TIES = [[[[1.0, 1.0, 0.5, 2.0], [1.0, 0.0, 2.0, 2.0], [3.0, 3.0, -1.0, -1.0],
          [3.0, 0.0, -1.0, -1.0]]]]
case("max_pool2d", "F.max_pool2d(x, 2)", x=(2, 3, 6, 6))
case("max_pool2d_k3s2p1", "F.max_pool2d(x, 3, stride=2, padding=1)", x=(2, 2, 7, 6))
case("max_pool2d_dilation", "F.max_pool2d(x, 2, stride=1, dilation=2)", x=(1, 2, 6, 6))
case("max_pool2d_ceil", "F.max_pool2d(x, 2, ceil_mode=True)", x=(1, 2, 5, 7))
case("max_pool2d_ceil_pad", "F.max_pool2d(x, 3, 2, 1, ceil_mode=True)", x=(1, 2, 6, 6))
case("max_pool2d_indices", "F.max_pool2d(x, (2, 3), return_indices=True)", x=(2, 2, 4, 6))
case("max_pool2d_unbatched", "F.max_pool2d(x, 2)", x=(3, 4, 4))
case("max_pool2d_ties", "F.max_pool2d(x, 2, stride=1, return_indices=True)",
     x=("list", TIES, True))
case("max_pool2d_torch", "torch.max_pool2d(x, 2)", x=(1, 2, 4, 4))
case("max_pool1d", "F.max_pool1d(x, 3, stride=2, padding=1)", x=(2, 3, 8))
case("max_pool1d_indices", "F.max_pool1d(x, 2, return_indices=True)", x=(2, 3, 7))
case("max_pool1d_unbatched", "F.max_pool1d(x, 2)", x=(3, 6))
case("avg_pool2d", "F.avg_pool2d(x, 2)", x=(2, 3, 6, 6))
case("avg_pool2d_k3s2p1", "F.avg_pool2d(x, 3, stride=2, padding=1)", x=(2, 2, 7, 6))
case("avg_pool2d_nopad_count", "F.avg_pool2d(x, 3, 2, 1, count_include_pad=False)",
     x=(1, 2, 7, 6))
case("avg_pool2d_ceil", "F.avg_pool2d(x, 2, ceil_mode=True)", x=(1, 2, 5, 7))
case("avg_pool2d_ceil_pad", "F.avg_pool2d(x, 3, 2, 1, ceil_mode=True, count_include_pad=False)",
     x=(1, 2, 6, 6))
case("avg_pool2d_divisor", "F.avg_pool2d(x, 2, stride=1, divisor_override=3)", x=(1, 2, 4, 5))
case("avg_pool2d_unbatched", "F.avg_pool2d(x, (2, 3))", x=(3, 4, 6))
case("avg_pool1d", "F.avg_pool1d(x, 3, stride=2, padding=1)", x=(2, 3, 8))
case("adaptive_avg_pool2d_1", "F.adaptive_avg_pool2d(x, 1)", "close", x=(2, 3, 5, 5))
case("adaptive_avg_pool2d_11", "F.adaptive_avg_pool2d(x, (1, 1))", "close",
     x=(2, 3, 4, 6))
case("adaptive_avg_pool2d_23", "F.adaptive_avg_pool2d(x, (2, 3))", x=(2, 2, 5, 7))
case("adaptive_avg_pool2d_none", "F.adaptive_avg_pool2d(x, (None, 2))", x=(1, 2, 3, 5))
case("adaptive_avg_pool2d_3", "F.adaptive_avg_pool2d(x, 3)", x=(2, 2, 6, 6))
case("adaptive_avg_pool2d_up", "F.adaptive_avg_pool2d(x, 4)", x=(1, 2, 3, 3))
case("adaptive_avg_pool2d_unbatched", "F.adaptive_avg_pool2d(x, 2)", x=(3, 5, 4))
case("max_pool2d_err_pad", "F.max_pool2d(x, 2, padding=2)", x=(2, 3, 6, 6))
case("max_pool2d_err_dims", "F.max_pool2d(x, 2)", x=(2, 3))
case("max_pool2d_err_small", "F.max_pool2d(x, 7)", x=(2, 3, 6, 6))
case("max_pool2d_err_k0", "F.max_pool2d(x, 0)", x=(2, 3, 6, 6))
case("avg_pool2d_err_pad", "F.avg_pool2d(x, 2, padding=2)", x=(2, 3, 6, 6))
case("avg_pool2d_err_small", "F.avg_pool2d(x, 7)", x=(2, 3, 6, 6))
case("avg_pool2d_err_divisor", "F.avg_pool2d(x, 2, divisor_override=0)", x=(2, 3, 6, 6))
case("adaptive_err_dims", "F.adaptive_avg_pool2d(x, 2)", x=(2, 3))
case("adaptive_err_size", "F.adaptive_avg_pool2d(x, (2, 2, 2))", x=(2, 3, 6, 6))

# ---- normalisation
case("batch_norm_train", "F.batch_norm(x, rm, rv, w, b, True, 0.1, 1e-5)", "close",
     state=("rm", "rv"), x=(4, 3, 2, 2), rm=("zeros", (3,)), rv=("ones", (3,)), w=(3,), b=(3,))
case("batch_norm_train_momentum", "F.batch_norm(x, rm, rv, training=True, momentum=0.3)",
     "close", state=("rm", "rv"), x=(5, 2, 3), rm=("const", (2,)), rv=("pos", (2,), False))
case("batch_norm_train_2d", "F.batch_norm(x, None, None, w, b, training=True)", "close",
     x=(6, 4), w=(4,), b=(4,))
case("batch_norm_eval", "F.batch_norm(x, rm, rv, w, b)", "close", state=("rm", "rv"),
     x=(3, 3, 2, 2), rm=("const", (3,)), rv=("pos", (3,), False), w=(3,), b=(3,))
case("batch_norm_eval_noaffine", "F.batch_norm(x, rm, rv, eps=1e-3)", "close",
     x=(3, 2, 4), rm=("const", (2,)), rv=("pos", (2,), False))
case("batch_norm_f64", "F.batch_norm(x, rm, rv, w, b, True)", "close", state=("rm", "rv"),
     x=("f64", (4, 3, 2)), rm=("zeros", (3,), "float64"), rv=("ones", (3,), "float64"),
     w=("f64", (3,)), b=("f64", (3,)))
case("batch_norm_err_one", "F.batch_norm(x, None, None, training=True)", x=(1, 3))
case("batch_norm_err_size", "F.batch_norm(x, rm, rv)", x=(2, 3, 4), rm=("zeros", (4,)),
     rv=("ones", (4,)))
case("batch_norm_err_eval", "F.batch_norm(x, None, None)", x=(2, 3, 4))
case("layer_norm", "F.layer_norm(x, (5,))", "close", x=(3, 5))
case("layer_norm_affine", "F.layer_norm(x, (4, 5), w, b)", "close", x=(2, 3, 4, 5),
     w=(4, 5), b=(4, 5))
case("layer_norm_weight_only", "F.layer_norm(x, [6], w, eps=1e-3)", "close", x=(2, 6),
     w=(6,))
case("layer_norm_int_shape", "F.layer_norm(x, 4, w, b)", "close", x=(3, 4), w=(4,), b=(4,))
case("layer_norm_f64", "F.layer_norm(x, (3,), w, b)", "close", x=("f64", (2, 3)),
     w=("f64", (3,)), b=("f64", (3,)))
case("layer_norm_err_shape", "F.layer_norm(x, (4,))", x=(3, 5))
case("layer_norm_err_weight", "F.layer_norm(x, (5,), w)", x=(3, 5), w=(4,))

# ---- embedding
case("embedding", "F.embedding(i, w)", i=("list", [[1, 2], [4, 1]]), w=(5, 3))
case("embedding_padding", "F.embedding(i, w, padding_idx=1)", i=("list", [[1, 2], [3, 1]]),
     w=(5, 3))
case("embedding_padding_neg", "F.embedding(i, w, padding_idx=-1)",
     i=("list", [0, 4, 4, 2]), w=(5, 2))
case("embedding_max_norm", "F.embedding(i, w, max_norm=1.0)", state=("w",),
     i=("list", [0, 2, 2]), w=(4, 3))
case("embedding_err_range", "F.embedding(i, w)", i=("list", [0, 5]), w=(5, 3))
case("embedding_err_dtype", "F.embedding(i, w)", i=("list", [0.0, 1.0]), w=(5, 3))

# ---- activations, pad
WIDE = [[-8.0, -2.5, -1.0, -0.5, 0.0, 0.25], [0.5, 1.0, 2.0, 5.9, 6.0, 7.5]]
case("silu", "F.silu(x)", "close", x=(3, 4))
case("hardtanh", "F.hardtanh(x)", x=("list", WIDE, True))
case("hardtanh_bounds", "F.hardtanh(x, -0.5, 2.0)", x=("list", WIDE, True))
case("relu6", "F.relu6(x)", x=("list", WIDE, True))
case("mish", "F.mish(x)", "close", x=(3, 4))
case("softsign", "F.softsign(x)", x=(3, 4))
case("tanhshrink", "F.tanhshrink(x)", "close", x=(3, 4))
case("hardtanh_err", "F.hardtanh(x, 2.0, 1.0)", x=(3,))
case("pad", "F.pad(x, (1, 1))", x=(2, 3, 4))
case("pad_2d_value", "F.pad(x, (1, 1, 2, 0), value=3.0)", x=(1, 2, 3, 3))
case("pad_crop", "F.pad(x, (-1, 2))", x=(2, 5))
case("pad_3dims", "F.pad(x, [0, 1, 1, 0, 2, 1])", x=(2, 2, 2))
case("normalize", "F.normalize(x)", "close", x=(3, 4))
case("normalize_p1_dim0", "F.normalize(x, p=1.0, dim=0)", "close", x=(3, 4))
case("normalize_eps", "F.normalize(x, dim=-1, eps=10.0)", "close", x=(2, 3))
case("normalize_zero_row", "F.normalize(x)", x=("list", [[0.0, 0.0], [3.0, 4.0]], True))
case("pad_err_odd", "F.pad(x, (1,))", x=(2, 3))
case("pad_err_long", "F.pad(x, (1, 1, 1, 1, 1, 1))", x=(2, 3))
case("pad_err_negative", "F.pad(x, (-3, -3))", x=(2, 5))


def make_inputs(cid, specs):
    rng = np.random.RandomState(zlib.crc32(cid.encode()))
    arrays = {}
    for name, spec in specs.items():
        if spec and isinstance(spec[0], int) or spec == ():
            spec = ("randn", spec)
        kind = spec[0]
        rg = True
        if kind in ("randn", "const", "f64"):
            dtype = "float64" if kind == "f64" else "float32"
            data = rng.standard_normal(spec[1]).astype(dtype)
            rg = kind != "const"
        elif kind == "pos":
            data = (np.abs(rng.standard_normal(spec[1])) + 0.5).astype("float32")
            rg = spec[2] if len(spec) > 2 else True
        elif kind in ("zeros", "ones"):
            dtype = spec[2] if len(spec) > 2 else "float32"
            data = (np.zeros if kind == "zeros" else np.ones)(spec[1], dtype)
            rg = False
        elif kind == "list":
            data = np.array(spec[1])
            if data.dtype == np.float64:
                data = data.astype("float32")
            rg = len(spec) > 2 and spec[2]
        else:
            raise ValueError(kind)
        arrays[name] = (data, rg)
    return arrays


def as_json(a: np.ndarray) -> dict:
    return {"data": a.tolist(), "dtype": str(a.dtype), "shape": list(a.shape)}


def graph(fn) -> str:
    """The grad_fn graph, every next_functions entry included (None, leaves as Acc)."""
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
    if c["seed"] is not None:
        torch.manual_seed(c["seed"])
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            out = eval(c["expr"], {"torch": torch, "F": F, **tensors})  # noqa: S307
        except Exception as e:  # noqa: BLE001 - recorded as the expected error
            rec["error"] = {"type": type(e).__name__, "message": str(e)}
            return rec
    outs = list(out) if isinstance(out, tuple) else [out]
    rec["outputs"] = [as_json(o.detach().numpy()) for o in outs]
    rec["graph"] = graph(outs[0].grad_fn)
    rec["state_after"] = {n: as_json(tensors[n].detach().numpy()) for n in c["state"]}
    first = outs[0]
    if first.requires_grad:
        rng = np.random.RandomState(zlib.crc32(c["id"].encode()) + 1)
        up = rng.standard_normal(tuple(first.shape)).astype(str(first.dtype).split(".")[1])
        rec["upstream"] = as_json(up)
        first.backward(torch.tensor(up))
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

#!/usr/bin/env python3
"""Record PyTorch's results for the engine's golden tests (run under PyTorch 2.13).

Writes tests/engine/fixtures/engine_goldens.json. Each case is an expression over named
input tensors; the file records what torch gives: the value, dtype and grad_fn name of the
result, the names in its grad_fn.next_functions, each input's gradient after a backward
with a fixed non-uniform upstream gradient, and whether a second backward raises because
saved tensors were freed. Cases that torch rejects record the exception type instead.
The engine tests replay every case without torch.

Usage: python tools/gen_engine_goldens.py [OUT.json]
"""

from __future__ import annotations

import json
import math
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "engine_goldens.json"

# name -> (shape or explicit data, dtype, requires_grad, domain)
#   domain: "n" normal, "p" positive (0.5..2), "u" inside (-0.9, 0.9), "i" small ints,
#           "b" bools, "t" with ties and zeros
A = ((2, 3), "float32", True, "n")
B = ((2, 3), "float32", True, "n")
ROW = ((3,), "float32", True, "n")
COL = ((2, 1), "float32", True, "n")
P = ((2, 3), "float32", True, "p")
U = ((2, 3), "float32", True, "u")
M = ((3, 3), "float32", True, "n")
V = ((3,), "float32", True, "n")
T = ([[1.0, 3.0, 3.0], [0.0, -2.0, 0.0]], "float32", True, "t")
Z = ([[0.0, -1.5, 2.0], [0.0, 0.5, -0.0]], "float32", True, "t")
S = ((), "float32", True, "n")
IT = ((2, 3), "int64", False, "i")
BM = ((2, 3), "bool", False, "b")
B3 = ((4, 2, 3), "float32", True, "n")
D = ((2, 3), "float64", True, "n")

CASES: list[tuple[str, str, dict]] = [
    # arithmetic and broadcasting
    ("add", "a + b", {"a": A, "b": B}),
    ("add_row", "a + r", {"a": A, "r": ROW}),
    ("add_col_row", "c + r", {"c": COL, "r": ROW}),
    ("add_scalar", "a + 2", {"a": A}),
    ("radd_scalar", "2 + a", {"a": A}),
    ("add_alpha", "torch.add(a, b, alpha=3)", {"a": A, "b": B}),
    ("sub", "a - b", {"a": A, "b": B}),
    ("sub_scalar", "a - 2", {"a": A}),
    ("rsub_scalar", "2 - a", {"a": A}),
    ("sub_col", "a - c", {"a": A, "c": COL}),
    ("mul", "a * b", {"a": A, "b": B}),
    ("mul_self", "a * a", {"a": A}),
    ("mul_scalar", "a * 3", {"a": A}),
    ("rmul_scalar", "0.5 * a", {"a": A}),
    ("mul_row", "a * r", {"a": A, "r": ROW}),
    ("mul_0d", "a * s", {"a": A, "s": S}),
    ("div", "a / p", {"a": A, "p": P}),
    ("div_scalar", "a / 2", {"a": A}),
    ("rdiv_scalar", "2 / p", {"p": P}),
    ("div_col", "a / (c * c + 1)", {"a": A, "c": COL}),
    ("neg", "-a", {"a": A}),
    ("pow2", "a ** 2", {"a": A}),
    ("pow3", "a ** 3", {"a": A}),
    ("pow_half", "p ** 0.5", {"p": P}),
    ("pow_neg", "p ** -1.5", {"p": P}),
    ("pow0", "a ** 0", {"a": A}),
    ("pow_tensor", "p ** b", {"p": P, "b": B}),
    ("rpow", "2 ** a", {"a": A}),
    ("pow_fn", "torch.pow(p, 1.5)", {"p": P}),
    ("reciprocal", "p.reciprocal()", {"p": P}),
    ("square", "a.square()", {"a": A}),
    ("floordiv", "a // 0.7", {"a": ((2, 3), "float32", False, "n")}),
    ("mod_scalar", "a % 0.7", {"a": A}),
    ("mod_tensor", "a % p", {"a": A, "p": P}),
    # elementwise functions
    ("exp", "a.exp()", {"a": A}),
    ("log", "p.log()", {"p": P}),
    ("log2", "torch.log2(p)", {"p": P}),
    ("log10", "torch.log10(p)", {"p": P}),
    ("sqrt", "p.sqrt()", {"p": P}),
    ("rsqrt", "p.rsqrt()", {"p": P}),
    ("sin", "a.sin()", {"a": A}),
    ("cos", "torch.cos(a)", {"a": A}),
    ("tan", "u.tan()", {"u": U}),
    ("asin", "u.asin()", {"u": U}),
    ("acos", "torch.acos(u)", {"u": U}),
    ("atan", "a.atan()", {"a": A}),
    ("sinh", "a.sinh()", {"a": A}),
    ("cosh", "a.cosh()", {"a": A}),
    ("tanh", "a.tanh()", {"a": A}),
    ("sigmoid", "torch.sigmoid(a)", {"a": A}),
    ("relu", "z.relu()", {"z": Z}),
    ("F_relu", "F.relu(a)", {"a": A}),
    ("softplus", "F.softplus(a)", {"a": A}),
    ("softplus_beta", "F.softplus(a * 10, beta=2, threshold=5)", {"a": A}),
    ("abs", "z.abs()", {"z": Z}),
    ("sign", "z.sign()", {"z": Z}),
    ("floor", "(a * 3).floor()", {"a": A}),
    ("ceil", "(a * 3).ceil()", {"a": A}),
    ("round", "(a * 3).round()", {"a": A}),
    ("round_decimals", "torch.round(a, decimals=1)", {"a": A}),
    ("clamp", "z.clamp(-1, 1)", {"z": Z}),
    ("clamp_min", "torch.clamp(z, min=0)", {"z": Z}),
    ("clamp_max", "z.clamp(max=0.5)", {"z": Z}),
    ("clamp_tensor", "a.clamp(min=b)", {"a": A, "b": B}),
    ("where", "torch.where(a > 0, a, b)", {"a": A, "b": B}),
    ("where_scalar", "torch.where(m, a, 0.0)", {"m": BM, "a": A}),
    ("where_bcast", "torch.where(a > 0, r, c)", {"a": ((2, 3), "float32", False, "n"),
                                                  "r": ROW, "c": COL}),
    ("maximum", "torch.maximum(a, b)", {"a": A, "b": B}),
    ("maximum_ties", "torch.maximum(t, z)", {"t": T, "z": Z}),
    ("minimum", "torch.minimum(t, z)", {"t": T, "z": Z}),
    ("max_binary", "torch.max(a, b)", {"a": A, "b": B}),
    ("min_binary", "torch.min(t, z)", {"t": T, "z": Z}),
    # reductions
    ("sum", "a.sum()", {"a": A}),
    ("sum_dim", "a.sum(0)", {"a": A}),
    ("sum_dim_keep", "torch.sum(a, dim=1, keepdim=True)", {"a": A}),
    ("sum_dims", "b3.sum((0, 2))", {"b3": B3}),
    ("sum_neg_dim", "a.sum(-1)", {"a": A}),
    ("mean", "a.mean()", {"a": A}),
    ("mean_dim", "a.mean(1)", {"a": A}),
    ("mean_dims_keep", "b3.mean(dim=(0, 1), keepdim=True)", {"b3": B3}),
    ("prod", "a.prod()", {"a": A}),
    ("prod_dim", "torch.prod(a, 1)", {"a": A}),
    ("prod_zero", "z.prod()", {"z": ([[1.0, 2.0, 0.0], [3.0, -1.0, 2.0]], "float32", True, "t")}),
    ("prod_dim_zeros", "z.prod(1)", {"z": Z}),
    ("max_all", "t.max()", {"t": T}),
    ("min_all", "t.min()", {"t": T}),
    ("max_dim", "t.max(1)[0]", {"t": T}),
    ("max_dim_idx", "t.max(1)[1]", {"t": T}),
    ("max_dim_keep", "torch.max(t, 0, keepdim=True).values", {"t": T}),
    ("min_dim", "t.min(dim=1).values", {"t": T}),
    ("min_dim_idx", "t.min(1).indices", {"t": T}),
    ("amax", "t.amax()", {"t": T}),
    ("amax_dim", "t.amax(1)", {"t": T}),
    ("amin_dim", "torch.amin(t, 0)", {"t": T}),
    ("norm", "a.norm()", {"a": A}),
    ("norm_zero", "(z * 0).norm()", {"z": Z}),
    ("norm_p1", "z.norm(p=1)", {"z": Z}),
    ("norm_p3", "a.norm(3)", {"a": A}),
    ("norm_inf", "t.norm(p=float('inf'))", {"t": T}),
    ("norm_dim", "a.norm(dim=1)", {"a": A}),
    ("norm_fro_dim", "torch.norm(a, p='fro', dim=0, keepdim=True)", {"a": A}),
    ("norm_p0", "z.norm(p=0)", {"z": Z}),
    ("std", "a.std()", {"a": A}),
    ("std_dim", "a.std(1)", {"a": A}),
    ("std_biased", "a.std(unbiased=False)", {"a": A}),
    ("var", "a.var()", {"a": A}),
    ("var_dim_corr", "a.var(0, correction=0)", {"a": A}),
    ("var_dim_keep", "torch.var(a, 1, keepdim=True)", {"a": A}),
    ("logsumexp", "a.logsumexp(1)", {"a": A}),
    ("logsumexp_all", "torch.logsumexp(a, (0, 1))", {"a": A}),
    ("argmax", "t.argmax()", {"t": T}),
    ("argmax_dim", "t.argmax(1)", {"t": T}),
    ("argmin_dim", "torch.argmin(t, dim=0, keepdim=True)", {"t": T}),
    ("softmax", "torch.softmax(a, 1)", {"a": A}),
    ("softmax0", "F.softmax(a, dim=0)", {"a": A}),
    ("log_softmax", "torch.log_softmax(a, 1)", {"a": A}),
    ("F_log_softmax", "F.log_softmax(a, dim=-1)", {"a": A}),
    # linear algebra
    ("matmul_mv", "m @ v", {"m": M, "v": V}),
    ("matmul_mm", "m @ m", {"m": M}),
    ("matmul_dot", "v @ v", {"v": V}),
    ("matmul_vm", "v @ m", {"v": V, "m": M}),
    ("matmul_3d_2d", "b3 @ m", {"b3": B3, "m": M}),
    ("matmul_3d_1d", "torch.matmul(b3, v)", {"b3": B3, "v": V}),
    ("matmul_3d_3d", "b3 @ b3.transpose(1, 2)", {"b3": B3}),
    ("mm", "torch.mm(a, m)", {"a": A, "m": M}),
    ("mv", "torch.mv(a, v)", {"a": A, "v": V}),
    ("dot", "torch.dot(v, r)", {"v": V, "r": ROW}),
    ("outer", "torch.outer(v, r)", {"v": V, "r": ROW}),
    ("t", "a.t()", {"a": A}),
    ("T", "a.T", {"a": A}),
    ("trace", "m.trace()", {"m": M}),
    # shape
    ("reshape", "a.reshape(3, 2)", {"a": A}),
    ("reshape_copy", "a.t().reshape(-1)", {"a": A}),
    ("view", "a.view(-1)", {"a": A}),
    ("view_tuple", "a.view((3, 2))", {"a": A}),
    ("flatten", "b3.flatten()", {"b3": B3}),
    ("flatten_dims", "b3.flatten(1)", {"b3": B3}),
    ("squeeze", "c.squeeze()", {"c": COL}),
    ("squeeze_dim", "c.squeeze(1)", {"c": COL}),
    ("unsqueeze", "a.unsqueeze(1)", {"a": A}),
    ("transpose", "b3.transpose(0, 2)", {"b3": B3}),
    ("permute", "b3.permute(2, 0, 1)", {"b3": B3}),
    ("expand", "c.expand(2, 3)", {"c": COL}),
    ("expand_new", "r.expand(4, 2, 3)", {"r": ROW}),
    ("repeat", "a.repeat(2, 1)", {"a": A}),
    ("repeat_new_dim", "r.repeat(2, 2)", {"r": ROW}),
    ("cat", "torch.cat([a, b])", {"a": A, "b": B}),
    ("cat_dim1", "torch.cat([a, c], 1)", {"a": A, "c": COL}),
    ("stack", "torch.stack([a, b], 1)", {"a": A, "b": B}),
    ("clone", "a.clone()", {"a": A}),
    ("contiguous", "a.t().contiguous()", {"a": A}),
    ("select", "a[1]", {"a": A}),
    ("select2", "a[0, 1]", {"a": A}),
    ("slice", "a[:, 1:]", {"a": A}),
    ("slice_step", "b3[::2, :, ::2]", {"b3": B3}),
    ("ellipsis", "b3[..., 0]", {"b3": B3}),
    ("none_index", "a[None, 1]", {"a": A}),
    ("neg_index", "a[-1, -2]", {"a": A}),
    ("index_list", "a[[1, 0, 1]]", {"a": A}),
    ("index_mask", "a[a > 0]", {"a": A}),
    ("index_tensor", "a[:, torch.tensor([2, 0])]", {"a": A}),
    ("to_double", "a.double()", {"a": A}),
    ("float64_ops", "(d * d).sum(0).sqrt()", {"d": D}),
    ("mixed_dtype", "a * d", {"a": A, "d": D}),
    # composites
    ("tutorial_mean", "(3 * (a + 2) ** 2).mean()", {"a": A}),
    ("chain", "((a * b).sin() + b.exp() / 2).sum(1).norm()", {"a": A, "b": B}),
    ("mlp", "torch.relu(a @ m + r).sum()", {"a": A, "m": M, "r": ROW}),
    ("softmax_ce", "-torch.log_softmax(a, 1)[:, 0].mean()", {"a": A}),
    # integer and bool results
    ("int_add", "i + 1", {"i": IT}),
    ("int_div", "i / 2", {"i": IT}),
    ("int_float_scalar", "i * 2.5", {"i": IT}),
    ("int_floordiv", "i // 2", {"i": IT}),
    ("int_mod", "i % 3", {"i": IT}),
    ("int_sum", "i.sum()", {"i": IT}),
    ("int_pow", "i ** 2", {"i": IT}),
    ("bool_sum", "m.sum()", {"m": BM}),
    ("bool_add_int", "m + 1", {"m": BM}),
    ("compare", "a > b", {"a": A, "b": B}),
    ("int_exp", "i.exp()", {"i": IT}),
    # errors
    ("err_broadcast", "a + torch.ones(3, 2)", {"a": A}),
    ("err_mm", "torch.mm(a, a)", {"a": A}),
    ("err_mv", "torch.mv(m, r[:2])", {"m": M, "r": ROW}),
    ("err_dot", "torch.dot(v, v[:2])", {"v": V}),
    ("err_view", "a.t().view(6)", {"a": A}),
    ("err_view_size", "a.view(4)", {"a": A}),
    ("err_dim", "a.sum(2)", {"a": A}),
    ("err_index", "a[2]", {"a": A}),
    ("err_too_many", "a[0, 0, 0]", {"a": A}),
    ("err_mean_int", "i.mean()", {"i": IT}),
    ("err_bool_sub", "m - m", {"m": BM}),
    ("err_bool_neg", "-m", {"m": BM}),
    ("err_int_neg_pow", "i ** -1", {"i": IT}),
    ("err_int_div0", "i // 0", {"i": IT}),
    ("err_cat", "torch.cat([a, m])", {"a": A, "m": M}),
    ("err_stack", "torch.stack([a, m])", {"a": A, "m": M}),
    ("err_expand", "a.expand(3, 3)", {"a": A}),
    ("err_where_cond", "torch.where(a, a, a)", {"a": A}),
    ("err_max_empty", "a[:, :0].max()", {"a": A}),
    ("err_t_3d", "b3.t()", {"b3": B3}),
    ("err_permute", "a.permute(0)", {"a": A}),
    ("err_repeat", "a.repeat(2)", {"a": A}),
    ("err_item", "a.item()", {"a": A}),
    ("err_float", "float(a)", {"a": A}),
    ("err_bool", "bool(a)", {"a": A}),
    ("err_len0", "len(s)", {"s": S}),
    ("err_numpy", "a.numpy()", {"a": A}),
    ("err_clamp_none", "a.clamp()", {"a": A}),
    ("err_softmax_int", "torch.softmax(i, 0)", {"i": IT}),
    ("err_norm_int", "i.norm()", {"i": IT}),
    ("err_requires_grad_int", "i.requires_grad_()", {"i": IT}),
    ("err_maximum_scalar", "torch.maximum(a, 0.)", {"a": A}),
]

# Behaviours of backward/in-place/views, recorded as the printed result of a script whose
# last line assigns `out` (a tensor, a tuple or a plain value) or raises.
SCRIPTS: list[tuple[str, str]] = [
    ("accumulate", "x = torch.ones(2, requires_grad=True)\n(x * 3).sum().backward()\n"
                   "(x * x).sum().backward()\nout = x.grad"),
    ("freed_graph", "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\ny.backward()\n"
                    "y.backward()"),
    ("retain_graph", "x = torch.ones(2, requires_grad=True)\ny = (x * 2).sum()\n"
                     "y.backward(retain_graph=True)\ny.backward()\nout = x.grad"),
    ("freed_no_saved", "x = torch.ones(2, requires_grad=True)\ny = (x + 2).sum()\ny.backward()\n"
                       "y.backward()\nout = x.grad"),
    ("nonscalar", "x = torch.ones(2, requires_grad=True)\n(x * 2).backward()"),
    ("grad_shape_mismatch", "x = torch.ones(2, requires_grad=True)\n"
                            "o = (1/2) * torch.sum(x * 5)\n"
                            "o.backward(torch.FloatTensor([1., 1.]))"),
    ("vjp", "x = torch.tensor([1., 2., 3.], requires_grad=True)\ny = x ** 2\n"
            "y.backward(torch.tensor([0.1, 1.0, 0.01]))\nout = x.grad"),
    ("copy_slices", "m = torch.tensor([[2., 3.]], requires_grad=True)\nn = torch.zeros(1, 2)\n"
                    "n[0, 0] = m[0, 0] ** 2\nn[0, 1] = m[0, 1] ** 3\n"
                    "n.backward(m.data, retain_graph=True)\ng1 = m.grad.clone()\n"
                    "n.backward(torch.tensor([[1., 1]]))\n"
                    "out = (n.grad_fn.name(), g1, m.grad)"),
    ("setitem_mask", "x = torch.tensor([1., -2., 3.], requires_grad=True)\ny = x * 2\n"
                     "y[y < 0] = 0.\ny.sum().backward()\nout = (y.grad_fn.name(), x.grad)"),
    ("setitem_slice_tensor", "x = torch.ones(2, 3, requires_grad=True)\nv = torch.tensor("
                             "[5., 6.], requires_grad=True)\ny = x * 1\ny[:, 1] = v * v\n"
                             "(y * torch.arange(6.).view(2, 3)).sum().backward()\n"
                             "out = (y.grad_fn.name(), x.grad, v.grad)"),
    ("inplace_leaf", "x = torch.ones(2, requires_grad=True)\nx.add_(1)"),
    ("inplace_leaf_view", "x = torch.ones(2, requires_grad=True)\nx[0] = 2."),
    ("inplace_no_grad", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n"
                        "    x.mul_(3)\nout = (x, x.requires_grad, x.is_leaf)"),
    ("inplace_version", "x = torch.ones(2, requires_grad=True)\ny = x * 2\nz = y * y\n"
                        "y.add_(1)\nz.sum().backward()"),
    ("inplace_result_saved", "x = torch.ones(2, requires_grad=True)\ny = x.exp()\n"
                             "y.mul_(2)\ny.sum().backward()"),
    ("inplace_ok", "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.add_(1)\ny.mul_(x)\n"
                   "y.sum().backward()\nout = (y.grad_fn.name(), x.grad)"),
    ("inplace_mul_self", "x = torch.tensor([1., 2.], requires_grad=True)\ny = x * 1\n"
                         "y.mul_(y)\ny.sum().backward()\nout = x.grad"),
    ("iadd", "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny += x\ny *= 3\n"
             "y.sum().backward()\nout = (y.grad_fn.name(), x.grad)"),
    ("zero_fill", "x = torch.ones(3, requires_grad=True)\ny = x * 2\ny[1:].zero_()\n"
                  "y[0].fill_(5.)\ny.sum().backward()\nout = (y, x.grad)"),
    ("view_shares", "x = torch.zeros(2, 3)\nv = x.view(6)\nv[2] = 7.\nd = x.detach()\n"
                    "d[0, 0] = 1.\nx.data[1, 2] = 4.\nout = (x, x._version)"),
    ("detach", "x = torch.ones(2, requires_grad=True)\ny = x * 2\nd = y.detach()\n"
               "out = (d.requires_grad, d.is_leaf, y.requires_grad, d.grad_fn)"),
    ("detach_", "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.detach_()\n"
                "out = (y.requires_grad, y.is_leaf, y.grad_fn)"),
    ("no_grad", "x = torch.ones(2, requires_grad=True)\nwith torch.no_grad():\n"
                "    y = x * 2\nout = (y.requires_grad, y.grad_fn, (x * 2).requires_grad)"),
    ("set_grad_enabled", "x = torch.ones(2, requires_grad=True)\nwith torch.set_grad_enabled("
                         "False):\n    y = x * 2\nwith torch.no_grad():\n"
                         "    with torch.enable_grad():\n        z = x * 2\n"
                         "out = (y.requires_grad, z.requires_grad, torch.is_grad_enabled())"),
    ("retain_grad", "x = torch.ones(2, requires_grad=True)\ny = x * 2\ny.retain_grad()\n"
                    "z = (y * y).sum()\nz.backward()\nout = (y.grad, x.grad, y.retains_grad)"),
    ("nonleaf_grad_none", "x = torch.ones(2, requires_grad=True)\ny = x * 2\n"
                          "y.sum().backward()\nout = y.grad"),
    ("numpy_requires_grad", "x = torch.ones(2, requires_grad=True)\nx.numpy()"),
    ("numpy_detached", "x = torch.ones(2, requires_grad=True)\nout = (x * 2).detach().numpy()"),
    ("requires_grad_nonleaf", "x = torch.ones(2, requires_grad=True)\ny = x * 2\n"
                              "y.requires_grad_(False)"),
    ("requires_grad_int", "x = torch.tensor([1, 2])\nx.requires_grad = True"),
    ("grad_wrong_shape", "x = torch.ones(2, requires_grad=True)\nx.grad = torch.ones(3)"),
    ("backward_no_grad", "x = torch.ones(2)\nx.sum().backward()"),
    ("create_graph", "x = torch.tensor(2., requires_grad=True)\ny = x ** 3\n"
                     "g, = torch.autograd.grad(y, x, create_graph=True)\n"
                     "g2, = torch.autograd.grad(g, x)\nout = (g, g2, g.grad_fn.name())"),
    ("create_graph_backward", "x = torch.tensor([1., 2.], requires_grad=True)\n"
                              "y = (x.sin() * x).sum()\ny.backward(create_graph=True)\n"
                              "g = x.grad.clone()\nx.grad = None\ng.sum().backward()\n"
                              "out = (g, x.grad)"),
    ("grad_of_grad_tanh", "x = torch.tensor([0.5, -1.], requires_grad=True)\n"
                          "g, = torch.autograd.grad(x.tanh().sum(), x, create_graph=True)\n"
                          "h, = torch.autograd.grad(g.sum(), x)\nout = (g, h)"),
    ("grad_of_grad_mixed", "x = torch.tensor([0.5, 1.5], requires_grad=True)\n"
                           "w = torch.tensor([2., -1.], requires_grad=True)\n"
                           "y = (x * w).exp().sum() + (x / w).norm() + (x ** 2 * w).max()\n"
                           "gx, gw = torch.autograd.grad(y, (x, w), create_graph=True)\n"
                           "h = torch.autograd.grad((gx * gw).sum(), (x, w))\n"
                           "out = (gx, gw, h[0], h[1])"),
    ("autograd_grad", "x = torch.ones(2, requires_grad=True)\nh = x * 3\n"
                      "out = torch.autograd.grad((h * h).sum(), [x, h])"),
    ("autograd_grad_unused", "x = torch.ones(2, requires_grad=True)\n"
                             "y = torch.ones(2, requires_grad=True)\n"
                             "torch.autograd.grad((x * 2).sum(), [x, y])"),
    ("autograd_grad_allow_unused", "x = torch.ones(2, requires_grad=True)\n"
                                   "y = torch.ones(2, requires_grad=True)\n"
                                   "out = torch.autograd.grad((x * 2).sum(), [x, y], "
                                   "allow_unused=True)"),
    ("autograd_grad_leaves_untouched", "x = torch.ones(2, requires_grad=True)\n"
                                       "torch.autograd.grad((x * 2).sum(), x)\nout = x.grad"),
    ("jacobian", "x = torch.tensor([1., 2., 3.])\n"
                 "out = torch.autograd.functional.jacobian(lambda a: a ** 2 * a.sum(), x)"),
    ("jacobian_tuple", "x = torch.tensor([1., 2.])\ny = torch.tensor([3., -1.])\n"
                       "out = torch.autograd.functional.jacobian(lambda a, b: (a * b, a.sum()),"
                       " (x, y))"),
    ("hessian", "x = torch.tensor([1., 2., 3.])\n"
                "out = torch.autograd.functional.hessian(lambda a: (a ** 3).sum() + "
                "a[0] * a[1], x)"),
    ("hessian_nonscalar", "x = torch.tensor([1., 2.])\n"
                          "torch.autograd.functional.hessian(lambda a: a ** 3, x)"),
    ("max_ties_full", "x = torch.tensor([1., 3., 3., 2.], requires_grad=True)\nx.max().backward()"
                      "\nout = x.grad"),
    ("max_ties_dim", "x = torch.tensor([[1., 3., 3.], [2., 2., 0.]], requires_grad=True)\n"
                     "x.max(1)[0].sum().backward()\nout = x.grad"),
    ("amax_ties", "x = torch.tensor([[1., 3., 3.], [2., 2., 0.]], requires_grad=True)\n"
                  "x.amax(1).sum().backward()\nout = x.grad"),
    ("max_return_type", "x = torch.tensor([[1., 3.], [4., 2.]])\nr = x.max(0)\n"
                        "out = (r.values, r.indices, r[0], tuple(r)[1])"),
    ("log0", "x = torch.tensor([0., 1.], requires_grad=True)\ny = x.log()\ny.sum().backward()\n"
             "out = (y, x.grad)"),
    ("div00", "x = torch.tensor([0., 1.], requires_grad=True)\nout = x / x"),
    ("sqrt0", "x = torch.tensor([0., 4.], requires_grad=True)\nx.sqrt().sum().backward()\n"
              "out = x.grad"),
    ("norm0_grad", "x = torch.zeros(3, requires_grad=True)\nx.norm().backward()\nout = x.grad"),
    ("relu0_abs0", "x = torch.zeros(2, requires_grad=True)\n(x.relu() + x.abs()).sum().backward()"
                   "\nout = x.grad"),
    ("variable", "a = torch.ones(2)\nb = torch.autograd.Variable(a, requires_grad=True)\n"
                 "out = (b is a, b.is_leaf, b.requires_grad, a.requires_grad)"),
    ("leaf_chain", "x = torch.ones(2, requires_grad=True)\ny = x + 1\nz = y * 2\n"
                   "out = (x.is_leaf, y.is_leaf, z.grad_fn.next_functions[0][0].name(), "
                   "y.grad_fn.next_functions[0][0].name(), "
                   "y.grad_fn.next_functions[0][0].variable is x)"),
    ("dtype_promotion", "i = torch.tensor([1, 2])\nf = torch.tensor([1., 2.])\n"
                        "d = torch.tensor([1., 2.], dtype=torch.float64)\n"
                        "out = ((i + 1.5).dtype, (i / 2).dtype, (i * True).dtype, "
                        "(f + d).dtype, (f + torch.tensor(1., dtype=torch.float64)).dtype, "
                        "(i + torch.tensor(1.5)).dtype, (torch.tensor([True]) + 1).dtype)"),
    ("constructors", "out = (torch.tensor([1, 2]).dtype, torch.tensor([1., 2]).dtype, "
                     "torch.tensor([True, False]).dtype, torch.tensor([True, 2]).dtype, "
                     "torch.FloatTensor([[1, 2], [3, 4]]).dtype, torch.Tensor([1, 2]).dtype, "
                     "torch.ones(2, 3).shape, torch.zeros((1, 2)).shape, torch.ones([2]).dtype,"
                     " torch.full((2,), 3).dtype, torch.arange(5).dtype, "
                     "torch.arange(0., 1., 0.25), torch.linspace(-1, 1, 5), torch.eye(2, 3), "
                     "torch.zeros_like(torch.ones(2, dtype=torch.int64)).dtype)"),
    ("ragged", "torch.tensor([[1, 2], [3]])"),
    ("negative_size", "torch.ones(-1)"),
]


def _inputs(spec: dict, rng: np.random.Generator) -> dict:
    out = {}
    for name, (shape, dtype, rg, domain) in spec.items():
        if isinstance(shape, list):
            arr = np.array(shape, dtype=dtype)
        elif domain == "p":
            arr = rng.uniform(0.5, 2.0, shape).astype(dtype)
        elif domain == "u":
            arr = rng.uniform(-0.9, 0.9, shape).astype(dtype)
        elif domain == "i":
            arr = rng.integers(-4, 5, shape).astype(dtype)
        elif domain == "b":
            arr = rng.integers(0, 2, shape).astype(bool)
        else:
            arr = rng.standard_normal(shape).astype(dtype)
        out[name] = {"data": arr.tolist(), "dtype": dtype, "requires_grad": rg}
    return out


def _tensor(spec: dict) -> torch.Tensor:
    t = torch.tensor(spec["data"], dtype=getattr(torch, spec["dtype"]))
    return t.requires_grad_(spec["requires_grad"])


def upstream(shape) -> np.ndarray:
    """The non-uniform gradient fed to backward (the tests build the same one)."""
    n = int(np.prod(shape)) if shape else 1
    return np.linspace(0.5, 1.5, n).reshape(shape)


def _namespace():
    return {"torch": torch, "F": F, "math": math}


def encode(value):
    """A JSON form of a result: tensors as {shape, dtype, data}, tuples as lists."""
    if isinstance(value, torch.Tensor):
        v = value.detach()
        data = v.tolist()
        if v.dtype.is_floating_point:
            data = _floats(data)
        return {"tensor": data, "shape": list(v.shape), "dtype": str(v.dtype)[6:],
                "requires_grad": value.requires_grad,
                "grad_fn": None if value.grad_fn is None else type(value.grad_fn).__name__}
    if isinstance(value, tuple | list):
        return {"tuple": [encode(v) for v in value]}
    if isinstance(value, torch.dtype):
        return {"dtype": str(value)[6:]}
    if isinstance(value, torch.Size):
        return {"size": list(value)}
    if isinstance(value, np.ndarray):
        return {"ndarray": _floats(value.tolist()), "dtype": str(value.dtype)}
    if isinstance(value, float):
        return {"float": _float(value)}
    return {"value": value}


def _float(x: float):
    if math.isnan(x):
        return "nan"
    if math.isinf(x):
        return "inf" if x > 0 else "-inf"
    return x


def _floats(data):
    if isinstance(data, list):
        return [_floats(d) for d in data]
    return _float(data) if isinstance(data, float) else data


def run_case(cid: str, expr: str, spec: dict, rng) -> dict:
    inputs = _inputs(spec, rng)
    case = {"id": cid, "expr": expr, "inputs": inputs}
    ns = _namespace()
    tensors = {k: _tensor(v) for k, v in inputs.items()}
    ns.update(tensors)
    try:
        out = eval(expr, ns)
    except Exception as e:  # noqa: BLE001 - the recorded behaviour is the exception type
        case["error"] = type(e).__name__
        return case
    case["result"] = encode(out)
    if isinstance(out, torch.Tensor) and out.requires_grad:
        case["next"] = [None if f is None else type(f).__name__
                        for f, _ in out.grad_fn.next_functions]
        g = torch.tensor(upstream(tuple(out.shape)), dtype=out.dtype)
        out.backward(g, retain_graph=False)
        case["grads"] = {k: encode(t.grad) for k, t in tensors.items() if t.requires_grad}
        try:
            out.backward(g)
            case["freed"] = False
        except RuntimeError:
            case["freed"] = True
    return case


def run_script(cid: str, code: str) -> dict:
    ns = _namespace()
    case = {"id": cid, "script": code}
    try:
        exec(code, ns)
    except Exception as e:  # noqa: BLE001
        case["error"] = type(e).__name__
        return case
    case["result"] = encode(ns.get("out"))
    return case


def main(path: Path = OUT) -> None:
    rng = np.random.default_rng(20240613)
    cases = [run_case(cid, expr, spec, rng) for cid, expr, spec in CASES]
    scripts = [run_script(cid, code) for cid, code in SCRIPTS]
    path.parent.mkdir(parents=True, exist_ok=True)
    doc = {"torch": torch.__version__, "cases": cases, "scripts": scripts}
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"wrote {len(cases)} cases and {len(scripts)} scripts to {path}")


if __name__ == "__main__":
    main(Path(sys.argv[1]) if len(sys.argv) > 1 else OUT)

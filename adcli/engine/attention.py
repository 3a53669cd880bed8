"""Attention as torch.nn.functional has it: ``scaled_dot_product_attention`` and
``multi_head_attention_forward``, with their grad_fn classes.

``scaled_dot_product_attention`` picks its CPU kernel as torch 2.13 does
(aten/src/ATen/native/transformers/sdp_utils_cpp.cpp): the flash kernel when there is no
dropout, q, k and v are 4-D with one batch size, one head count (or a grouped one with
``enable_gqa``), one head size and a last stride of 1, and the mask (if any) needs no
gradient and has a 2-D or 4-D shape the kernel broadcasts; else the composite "math" path.

* The flash kernel is one node, ``ScaledDotProductFlashAttentionForCpuBackward0``, whose
  edges are q, k and v. Its forward is the kernel's arithmetic for sequences of up to 512
  keys (one block): s = (q @ k^T) * scale (+ mask), e = exp(s - rowmax), out =
  (e @ v) * (1 / rowsum(e)), and it keeps the log-sum-exp; its backward recomputes the
  probabilities from it, as torch's ``cpu_flash_attention_backward``.
* The math path records torch's nodes: q and k^T each times sqrt(scale) (``MulBackward1``),
  ``matmul``, the mask added in place (``AddBackward0``), ``SafeSoftmaxBackward0`` (a
  softmax whose rows that are all -inf give 0), dropout (``MulBackward0``), ``matmul``.

The modules that use them are in ``engine/nn/attention.py``. This module imports no
``torch.nn`` code, so ``torch.nn.functional`` can list these functions from start-up.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import api
from adcli.engine import nn_functional as F
from adcli.engine.ops.elementwise import MulBackward1
from adcli.engine.ops.kinds import Nary
from adcli.engine.ops.nn import SoftmaxBackward0
from adcli.engine.tensor import Tensor, _wrap, warn
from adcli.errors import (
    TorchAssertionError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
)

__all__ = [
    "FUNCTIONAL", "SafeSoftmaxBackward0", "ScaledDotProductFlashAttentionForCpuBackward0",
    "multi_head_attention_forward", "scaled_dot_product_attention",
]

# c10's TypeMeta names, which torch's SDPA messages print
_META = {"float32": "float", "float64": "double", "float16": "c10::Half",
         "bfloat16": "c10::BFloat16", "int64": "long int", "int32": "int",
         "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
         "bool": "bool", "complex64": "c10::complex<float>",
         "complex128": "c10::complex<double>"}

_FLASH_DTYPES = ("float32", "float64", "float16", "bfloat16")


def _meta(t: Tensor) -> str:
    return _META.get(t.dtype.name, t.dtype.name)


# ============================================================================ graph nodes


class SafeSoftmaxBackward0(SoftmaxBackward0):
    """``at::_safe_softmax``: a softmax over ``dim`` whose rows that are all -inf give 0
    (not NaN); its backward is softmax's, from the result."""

    def forward(self, x, dim):
        with np.errstate(invalid="ignore"):
            out = super().forward(x, dim)
        if x.size:
            dead = np.all(x == -np.inf, axis=dim, keepdims=True)
            if dead.any():
                out = np.where(dead, x.dtype.type(0), out)
        return out


def _kv_heads(a: np.ndarray, heads: int) -> np.ndarray:
    """k or v with each head repeated for its group of query heads (grouped attention)."""
    if a.shape[1] == heads:
        return a
    return np.repeat(a, heads // a.shape[1], axis=1)


def _group_sum(g: np.ndarray, kv_heads: int) -> np.ndarray:
    """The gradient of repeated k or v heads summed back over each group."""
    b, h = g.shape[:2]
    if h == kv_heads:
        return g
    return g.reshape(b, kv_heads, h // kv_heads, *g.shape[2:]).sum(axis=2)


def _causal_dead(rows: int, cols: int) -> np.ndarray:
    """True above the diagonal (from the top left): the keys a query may not see."""
    return np.triu(np.ones((rows, cols), dtype=bool), 1)


class ScaledDotProductFlashAttentionForCpuBackward0(Nary):
    """torch's CPU flash-attention kernel (``_scaled_dot_product_flash_attention_for_cpu``)
    on (B, H, L, E) arrays: one node whose edges are q, k and v; the mask (additive, no
    gradient) and the log-sum-exp of each row are kept on the node."""

    saves = "xxx"
    saves_result = True
    frees = ("lse", "mask")

    def forward(self, arrays, mask, is_causal, scale):
        q, k, v = arrays
        dtype = q.dtype
        heads = q.shape[1]
        kk, vv = _kv_heads(k, heads), _kv_heads(v, heads)
        sc = dtype.type(scale)
        self.scale, self.is_causal, self.mask = sc, is_causal, mask
        s = np.matmul(q, np.swapaxes(kk, -1, -2))
        s = s * sc
        if mask is not None:
            s = s + mask
        if is_causal:
            s = np.where(_causal_dead(s.shape[-2], s.shape[-1]), dtype.type(-np.inf), s)
        with np.errstate(invalid="ignore", over="ignore"):
            top = s.max(axis=-1, keepdims=True)
            dead = top == -np.inf
            top = np.where(dead, dtype.type(0), top)
            e = np.exp(s - top)
            e = np.where(dead, dtype.type(0), e)
            total = e.sum(axis=-1, keepdims=True)
            total = np.where(total == 0, dtype.type(1), total)
            out = np.matmul(e, vv) * (dtype.type(1) / total)
            self.lse = (top + np.log(total)).astype(dtype, copy=False)
        # torch's output is ``empty_like(query)``: it keeps the query's memory layout
        res = np.empty_like(q)
        res[...] = out
        return res

    def backward(self, F_, g, q, k, v, out):
        if not F_.numpy:
            raise TorchNotImplementedError(
                "the derivative of _scaled_dot_product_flash_attention_for_cpu's backward "
                "(create_graph=True) is not implemented in adcli")
        dtype = q.dtype
        heads = q.shape[1]
        kk, vv = _kv_heads(k, heads), _kv_heads(v, heads)
        sc = self.scale
        g = np.ascontiguousarray(g, dtype=dtype)
        s = np.matmul(q, np.swapaxes(kk, -1, -2)) * sc
        if self.mask is not None:
            s = s + self.mask
        with np.errstate(invalid="ignore", over="ignore"):
            p = np.exp(s - self.lse)
        if self.is_causal:
            p = np.where(_causal_dead(p.shape[-2], p.shape[-1]), dtype.type(0), p)
        p = np.nan_to_num(p, nan=0.0).astype(dtype, copy=False)
        dsum = (g * out).sum(axis=-1, keepdims=True)
        gq = gk = gv = None
        if self._next[2] is not None:
            gv = _group_sum(np.matmul(np.swapaxes(p, -1, -2), g), v.shape[1])
        if self._next[0] is not None or self._next[1] is not None:
            dp = np.matmul(g, np.swapaxes(vv, -1, -2))
            ds = p * (dp - dsum)
            if self._next[0] is not None:
                gq = np.matmul(ds, kk) * sc
            if self._next[1] is not None:
                gk = _group_sum(np.matmul(np.swapaxes(ds, -1, -2), q) * sc, k.shape[1])
        return tuple(None if x is None else x.astype(dtype, copy=False) for x in (gq, gk, gv))


# ============================================================================ SDPA


def _bool_to_additive(mask: Tensor, dtype) -> Tensor:
    """A bool mask (True: take part) as an additive one: 0 where True, -inf where False."""
    np_dtype = dtype.np
    return _wrap(np.where(mask._data, np_dtype.type(0), np_dtype.type(-np.inf)))


def _validate(query, key, value, attn_mask) -> None:
    for name, t in (("query", query), ("key", key), ("value", value)):
        if not isinstance(t, Tensor):
            raise TorchTypeError(f"scaled_dot_product_attention(): argument '{name}' must be "
                                 f"Tensor, not {type(t).__name__}")
    if attn_mask is not None and not isinstance(attn_mask, Tensor):
        raise TorchTypeError("scaled_dot_product_attention(): argument 'attn_mask' must be "
                             f"Tensor, not {type(attn_mask).__name__}")
    if query.dtype != key.dtype or query.dtype != value.dtype:
        raise TorchRuntimeError(
            f"Expected query, key, and value to have the same dtype, but got query.dtype: "
            f"{_meta(query)} key.dtype: {_meta(key)} and value.dtype: {_meta(value)} instead.")
    if query.ndim < 2 or key.ndim < 2 or value.ndim < 2:
        raise TorchRuntimeError(
            f"Expected query, key, and value to all be  at least 2 dimensional, but got "
            f"query.dim: {query.ndim} key.dim: {key.ndim} and value.dim: {value.ndim} "
            "instead.")
    if attn_mask is not None:
        name = attn_mask.dtype.name
        if name not in ("bool", "float32") and attn_mask.dtype != query.dtype:
            raise TorchRuntimeError(
                f"Expected attn_mask dtype to be bool or float or to match query dtype, but "
                f"got attn_mask.dtype: {_meta(attn_mask)} and  query.dtype: {_meta(query)} "
                "instead.")


def _stride_one(t: Tensor) -> bool:
    return t.stride(-1) == 1


def _use_flash(query, key, value, mask, dropout_p: float, enable_gqa: bool) -> bool:
    """torch's ``use_flash_attention_cpp``: whether the CPU flash kernel takes the call."""
    if dropout_p > 0.0:
        return False
    if not (query.ndim == key.ndim == value.ndim == 4):
        return False
    qs, ks, vs = query.shape, key.shape, value.shape
    if not (qs[0] == ks[0] == vs[0]):
        return False
    if enable_gqa:
        if ks[1] != vs[1] or qs[1] % ks[1] != 0:
            return False
    elif not (qs[1] == ks[1] == vs[1]):
        return False
    if mask is not None:
        if mask.requires_grad or mask.ndim < 2:
            return False
        if mask.shape[-2] not in (qs[2], 1) or mask.shape[-1] not in (ks[2], 1):
            return False
        if mask.ndim == 4:
            if mask.shape[0] not in (1, qs[0]) or mask.shape[1] not in (1, qs[1]):
                return False
        elif mask.ndim != 2:
            return False
    if not (qs[3] == ks[3] == vs[3]):
        return False
    if qs[2] == 0 or ks[2] == 0:
        return False
    if not (_stride_one(query) and _stride_one(key) and _stride_one(value)):
        return False
    return query.dtype.name in _FLASH_DTYPES


def _flash(query, key, value, mask, is_causal: bool, scale) -> Tensor:
    if scale is None:
        scale = 1.0 / math.sqrt(query.shape[-1])
    m = None
    if mask is not None:
        m = mask._data.astype(query._data.dtype, copy=False)
        if m.ndim == 2:
            m = m.reshape(1, 1, *m.shape)
    return ScaledDotProductFlashAttentionForCpuBackward0.apply(
        [query, key, value], m, bool(is_causal), float(scale))


def _math(query, key, value, mask, dropout_p: float, is_causal: bool, scale,
          enable_gqa: bool) -> Tensor:
    """``_scaled_dot_product_attention_math``, op by op."""
    negative = scale is not None and scale < 0.0
    base = 1.0 / math.sqrt(query.shape[-1]) if scale is None else abs(float(scale))
    factor = math.sqrt(base)
    q = MulBackward1.apply(query, 0.0 - factor if negative else factor)
    if is_causal:
        if mask is not None:
            raise TorchRuntimeError("_scaled_dot_product_attention: Explicit attn_mask should "
                                    "not be set when is_causal=True")
        rows, cols = q.shape[-2], key.shape[-2]
        mask = _bool_to_additive(_wrap(np.tril(np.ones((rows, cols), dtype=bool))), q.dtype)
    if enable_gqa:
        qh, kh, vh = query.shape[-3], key.shape[-3], value.shape[-3]
        if not (qh == kh == vh):
            if qh % kh != 0 or qh % vh != 0:
                raise TorchRuntimeError("Number of heads in key and value must divide the "
                                        "number of heads in ")
            key = api.repeat_interleave(key, qh // kh, -3)
            value = api.repeat_interleave(value, qh // vh, -3)
    attn = api.matmul(q, MulBackward1.apply(api.transpose(key, -2, -1), factor))
    if mask is not None:
        attn = api._add_(attn, mask)
    attn = SafeSoftmaxBackward0.apply(attn, attn.ndim - 1)
    if dropout_p > 0.0:
        attn = F.dropout(attn, dropout_p, True)
    return api.matmul(attn, value)


def scaled_dot_product_attention(query, key, value, attn_mask=None, dropout_p=0.0,
                                 is_causal=False, scale=None, enable_gqa=False) -> Tensor:
    """softmax(q @ k^T * scale + mask) @ v, by torch's CPU kernel choice."""
    _validate(query, key, value, attn_mask)
    dropout_p = float(dropout_p)
    if enable_gqa and query.ndim == key.ndim == value.ndim == 4 and dropout_p <= 0.0:
        qh, kh, vh = query.shape[1], key.shape[1], value.shape[1]
        if kh == vh and qh % kh != 0 and query.shape[0] == key.shape[0] == value.shape[0]:
            raise TorchRuntimeError("Number of heads in key and value must divide the number "
                                    "of heads in ")
    mask = attn_mask
    if mask is not None and mask.dtype.name == "bool":
        mask = _bool_to_additive(mask, query.dtype)
    if _use_flash(query, key, value, mask, dropout_p, bool(enable_gqa)):
        return _flash(query, key, value, mask, bool(is_causal), scale)
    if not 0.0 <= dropout_p <= 1.0:
        raise TorchRuntimeError(f"dropout probability has to be between 0 and 1, but got "
                                f"{dropout_p:g}")
    return _math(query, key, value, mask, dropout_p, bool(is_causal), scale,
                 bool(enable_gqa))


# ============================================================================ multi-head


def _none_or_dtype(t):
    if t is None:
        return None
    if isinstance(t, Tensor):
        return t.dtype
    raise TorchRuntimeError("input to _none_or_dtype() must be None or torch.Tensor")


def _canonical_mask(mask, mask_name: str, other_type, other_name: str, target_type,
                    check_other: bool = True, site=None):
    """A bool mask (True: masked out) as an additive float one of ``target_type``. ``site``:
    torch's line that calls F._canonical_mask, where Python reports its warning."""
    if mask is None:
        return None
    floating = mask.is_floating_point()
    if mask.dtype.name != "bool" and not floating:
        raise TorchAssertionError(f"only bool and floating types of {mask_name} are "
                                  "supported")
    if check_other and other_type is not None and mask.dtype != other_type:
        warn(f"Support for mismatched {mask_name} and {other_name} is deprecated. Use same "
             "type for both instead.", site)
    if not floating:
        np_dtype = target_type.np
        mask = _wrap(np.where(mask._data, np_dtype.type(-np.inf), np_dtype.type(0)))
    return mask


def _shape_check(query, key, value, key_padding_mask, attn_mask, num_heads) -> bool:
    if query.ndim == 3:
        if key.ndim != 3 or value.ndim != 3:
            raise TorchAssertionError(
                "For batched (3-D) `query`, expected `key` and `value` to be 3-D but found "
                f"{key.ndim}-D and {value.ndim}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.ndim != 2:
            raise TorchAssertionError(
                "For batched (3-D) `query`, expected `key_padding_mask` to be `None` or 2-D "
                f"but found {key_padding_mask.ndim}-D tensor instead")
        if attn_mask is not None and attn_mask.ndim not in (2, 3):
            raise TorchAssertionError(
                "For batched (3-D) `query`, expected `attn_mask` to be `None`, 2-D or 3-D "
                f"but found {attn_mask.ndim}-D tensor instead")
        return True
    if query.ndim == 2:
        if key.ndim != 2 or value.ndim != 2:
            raise TorchAssertionError(
                "For unbatched (2-D) `query`, expected `key` and `value` to be 2-D but found "
                f"{key.ndim}-D and {value.ndim}-D tensors respectively")
        if key_padding_mask is not None and key_padding_mask.ndim != 1:
            raise TorchAssertionError(
                "For unbatched (2-D) `query`, expected `key_padding_mask` to be `None` or "
                f"1-D but found {key_padding_mask.ndim}-D tensor instead")
        if attn_mask is not None:
            if attn_mask.ndim not in (2, 3):
                raise TorchAssertionError(
                    "For unbatched (2-D) `query`, expected `attn_mask` to be `None`, 2-D or "
                    f"3-D but found {attn_mask.ndim}-D tensor instead")
            if attn_mask.ndim == 3:
                want = (num_heads, query.shape[0], key.shape[0])
                if tuple(attn_mask.shape) != want:
                    raise TorchAssertionError(f"Expected `attn_mask` shape to be {want} but "
                                              f"got {api.Size(attn_mask.shape)}")
        return False
    raise TorchAssertionError("query should be unbatched 2D or batched 3D tensor but received "
                              f"{query.ndim}-D query tensor")


def _heads_first(proj: Tensor, parts: int, embed: int) -> Tensor:
    """(..., parts * E) -> (parts, ..., E), contiguous: torch's unflatten, unsqueeze,
    transpose, squeeze, contiguous."""
    proj = proj.view(*proj.shape[:-1], parts, embed)
    proj = proj.unsqueeze(0).transpose(0, -2).squeeze(-2)
    return proj.contiguous()


def _in_projection_packed(q, k, v, w, b=None):
    embed = q.shape[-1]
    if k is v:
        if q is k:
            proj = _heads_first(F.linear(q, w, b), 3, embed)
            return proj[0], proj[1], proj[2]
        w_q, w_kv = w.split([embed, embed * 2])
        b_q, b_kv = (None, None) if b is None else b.split([embed, embed * 2])
        q_proj = F.linear(q, w_q, b_q)
        kv = _heads_first(F.linear(k, w_kv, b_kv), 2, embed)
        return q_proj, kv[0], kv[1]
    w_q, w_k, w_v = w.chunk(3)
    b_q, b_k, b_v = (None, None, None) if b is None else b.chunk(3)
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


def _in_projection(q, k, v, w_q, w_k, w_v, b_q=None, b_k=None, b_v=None):
    eq, ek, ev = q.shape[-1], k.shape[-1], v.shape[-1]
    checks = (
        (w_q, (eq, eq), "expecting query weights shape of"),
        (w_k, (eq, ek), "expecting key weights shape of"),
        (w_v, (eq, ev), "expecting value weights shape of"),
    )
    for w, want, words in checks:
        if tuple(w.shape) != want:
            raise TorchAssertionError(f"{words} {want}, but got {api.Size(w.shape)}")
    for b, words in ((b_q, "query"), (b_k, "key"), (b_v, "value")):
        if b is not None and tuple(b.shape) != (eq,):
            raise TorchAssertionError(f"expecting {words} bias shape of {(eq,)}, but got "
                                      f"{api.Size(b.shape)}")
    return F.linear(q, w_q, b_q), F.linear(k, w_k, b_k), F.linear(v, w_v, b_v)


def _pad_last(t: Tensor) -> Tensor:
    return F.pad(t, (0, 1))


def multi_head_attention_forward(
        query, key, value, embed_dim_to_check, num_heads, in_proj_weight, in_proj_bias,
        bias_k, bias_v, add_zero_attn, dropout_p, out_proj_weight, out_proj_bias,
        training=True, key_padding_mask=None, need_weights=True, attn_mask=None,
        use_separate_proj_weight=False, q_proj_weight=None, k_proj_weight=None,
        v_proj_weight=None, static_k=None, static_v=None, average_attn_weights=True,
        is_causal=False):
    """torch.nn.functional.multi_head_attention_forward, on (L, N, E) inputs."""
    batched = _shape_check(query, key, value, key_padding_mask, attn_mask, num_heads)
    if not batched:
        query, key, value = query.unsqueeze(1), key.unsqueeze(1), value.unsqueeze(1)
        if key_padding_mask is not None:
            key_padding_mask = key_padding_mask.unsqueeze(0)
    tgt_len, bsz, embed_dim = query.shape
    src_len = key.shape[0]
    key_padding_mask = _canonical_mask(key_padding_mask, "key_padding_mask",
                                       _none_or_dtype(attn_mask), "attn_mask", query.dtype,
                                       site=("nn/functional.py", 6802,
                                             "key_padding_mask = _canonical_mask("))
    if is_causal and attn_mask is None:
        raise TorchRuntimeError(
            "Need attn_mask if specifying the is_causal hint. You may use the Transformer "
            "module method `generate_square_subsequent_mask` to create this mask.")
    if is_causal and key_padding_mask is None and not need_weights:
        attn_mask = None
    else:
        attn_mask = _canonical_mask(attn_mask, "attn_mask", None, "", query.dtype,
                                    check_other=False)
        if key_padding_mask is not None:
            is_causal = False
    if embed_dim != embed_dim_to_check:
        raise TorchAssertionError(f"was expecting embedding dimension of "
                                  f"{embed_dim_to_check}, but got {embed_dim}")
    head_dim = embed_dim // num_heads
    if head_dim * num_heads != embed_dim:
        raise TorchAssertionError(f"embed_dim {embed_dim} not divisible by num_heads "
                                  f"{num_heads}")
    if use_separate_proj_weight:
        if tuple(key.shape[:2]) != tuple(value.shape[:2]):
            raise TorchAssertionError(
                f"key's sequence and batch dims {api.Size(key.shape[:2])} do not match "
                f"value's {api.Size(value.shape[:2])}")
        b_q = b_k = b_v = None
        if in_proj_bias is not None:
            b_q, b_k, b_v = in_proj_bias.chunk(3)
        q, k, v = _in_projection(query, key, value, q_proj_weight, k_proj_weight,
                                 v_proj_weight, b_q, b_k, b_v)
    else:
        if tuple(key.shape) != tuple(value.shape):
            raise TorchAssertionError(f"key shape {api.Size(key.shape)} does not match value "
                                      f"shape {api.Size(value.shape)}")
        if in_proj_weight is None:
            raise TorchAssertionError("use_separate_proj_weight is False but in_proj_weight "
                                      "is None")
        q, k, v = _in_projection_packed(query, key, value, in_proj_weight, in_proj_bias)

    if attn_mask is not None:
        if attn_mask.ndim == 2:
            want = (tgt_len, src_len)
            if tuple(attn_mask.shape) != want:
                raise TorchRuntimeError(f"The shape of the 2D attn_mask is "
                                        f"{api.Size(attn_mask.shape)}, but should be {want}.")
            attn_mask = attn_mask.unsqueeze(0)
        elif attn_mask.ndim == 3:
            want = (bsz * num_heads, tgt_len, src_len)
            if tuple(attn_mask.shape) != want:
                raise TorchRuntimeError(f"The shape of the 3D attn_mask is "
                                        f"{api.Size(attn_mask.shape)}, but should be {want}.")
        else:
            raise TorchRuntimeError(f"attn_mask's dimension {attn_mask.ndim} is not supported")

    if bias_k is not None and bias_v is not None:
        if static_k is not None:
            raise TorchAssertionError("bias cannot be added to static key.")
        if static_v is not None:
            raise TorchAssertionError("bias cannot be added to static value.")
        k = api.cat([k, bias_k.repeat(1, bsz, 1)])
        v = api.cat([v, bias_v.repeat(1, bsz, 1)])
        if attn_mask is not None:
            attn_mask = _pad_last(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_last(key_padding_mask)
    elif bias_k is not None:
        raise TorchAssertionError("bias_k is set but bias_v is None")
    elif bias_v is not None:
        raise TorchAssertionError("bias_v is set but bias_k is None")

    q = q.view(tgt_len, bsz * num_heads, head_dim).transpose(0, 1)
    if static_k is None:
        k = k.view(k.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        k = static_k
    if static_v is None:
        v = v.view(v.shape[0], bsz * num_heads, head_dim).transpose(0, 1)
    else:
        v = static_v

    if add_zero_attn:
        zeros = api.zeros((bsz * num_heads, 1, head_dim), dtype=k.dtype)
        k = api.cat([k, zeros], 1)
        v = api.cat([v, api.zeros((bsz * num_heads, 1, head_dim), dtype=v.dtype)], 1)
        if attn_mask is not None:
            attn_mask = _pad_last(attn_mask)
        if key_padding_mask is not None:
            key_padding_mask = _pad_last(key_padding_mask)

    src_len = k.shape[1]
    if key_padding_mask is not None:
        if key_padding_mask.shape[0] != bsz:
            raise TorchAssertionError(f"Expected key_padded_mask.shape[0] to be {bsz}, but "
                                      f"got {key_padding_mask.shape[0]}")
        if key_padding_mask.shape[1] != src_len:
            raise TorchAssertionError(f"Expected key_padded_mask.shape[1] to be {src_len}, "
                                      f"but got {key_padding_mask.shape[1]}")
        key_padding_mask = key_padding_mask.view(bsz, 1, 1, src_len).expand(
            -1, num_heads, -1, -1).reshape(bsz * num_heads, 1, src_len)
        attn_mask = key_padding_mask if attn_mask is None else attn_mask + key_padding_mask

    if not training:
        dropout_p = 0.0

    if need_weights:
        embed = q.shape[-1]
        q_scaled = q * math.sqrt(1.0 / float(embed))
        if is_causal and attn_mask is None:
            raise TorchAssertionError("FIXME: is_causal not implemented for need_weights")
        if attn_mask is not None:
            weights = api.baddbmm(attn_mask, q_scaled, k.transpose(-2, -1))
        else:
            weights = api.bmm(q_scaled, k.transpose(-2, -1))
        weights = F.softmax(weights, dim=-1)
        if dropout_p > 0.0:
            weights = F.dropout(weights, p=dropout_p)
        out = api.bmm(weights, v)
        out = out.transpose(0, 1).reshape(tgt_len * bsz, embed_dim)
        out = F.linear(out, out_proj_weight, out_proj_bias)
        out = out.view(tgt_len, bsz, out.shape[1])
        weights = weights.view(bsz, num_heads, tgt_len, src_len)
        if average_attn_weights:
            weights = weights.mean(dim=1)
        if not batched:
            out = out.squeeze(1)
            weights = weights.squeeze(0)
        return out, weights

    if attn_mask is not None:
        if attn_mask.shape[0] == 1 and attn_mask.ndim == 3:
            attn_mask = attn_mask.unsqueeze(0)
        else:
            attn_mask = attn_mask.view(bsz, num_heads, -1, src_len)
    q = q.view(bsz, num_heads, tgt_len, head_dim)
    k = k.view(bsz, num_heads, src_len, head_dim)
    v = v.view(bsz, num_heads, src_len, head_dim)
    out = scaled_dot_product_attention(q, k, v, attn_mask, dropout_p, is_causal)
    out = out.permute(2, 0, 1, 3).reshape(bsz * tgt_len, embed_dim)
    out = F.linear(out, out_proj_weight, out_proj_bias)
    out = out.view(tgt_len, bsz, out.shape[1])
    if not batched:
        out = out.squeeze(1)
    return out, None


FUNCTIONAL = {
    "scaled_dot_product_attention": scaled_dot_product_attention,
    "multi_head_attention_forward": multi_head_attention_forward,
}

"""The losses torch composes from other ops (ATen's CompositeImplicit ones and
torch/nn/functional.py's Python ones): each is written op for op as torch writes it, so the
same grad_fn chain is recorded and the same values come out.

``pairwise_distance``, ``margin_ranking_loss``, ``hinge_embedding_loss``,
``cosine_embedding_loss``, ``triplet_margin_loss``, ``soft_margin_loss``,
``multilabel_soft_margin_loss``, ``gaussian_nll_loss`` and ``poisson_nll_loss``.
"""

from __future__ import annotations

import math

from adcli.engine import api
from adcli.engine import nn_functional as F
from adcli.engine import ops as _ops
from adcli.engine.tensor import Tensor
from adcli.errors import TorchRuntimeError, TorchValueError

_EPSILON = 1e-12  # cosine_embedding_loss's


def _apply_reduction(loss: Tensor, reduction: str) -> Tensor:
    """ATen's apply_loss_reduction: mean, sum, or the elements."""
    if reduction == "mean":
        return api.mean(loss)
    if reduction == "sum":
        return api.sum(loss)
    return loss


def _tensors(fn: str, **named) -> None:
    for name, t in named.items():
        api._tensor_arg(t, fn, name)


def pairwise_distance(x1: Tensor, x2: Tensor, p=2.0, eps=1e-6, keepdim=False) -> Tensor:
    """The p-norm of x1 - x2 + eps along the last dim."""
    _tensors("pairwise_distance", x1=x1, x2=x2)
    diff = _ops.AddBackward1.apply(api.sub(x1, x2), float(eps))  # ATen's x1 - x2 + eps
    if not diff.is_floating_point():
        raise TorchRuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got "
            f"{diff.dtype.legacy}")
    last = max(x1.ndim, x2.ndim) - 1
    axes = (last,) if last >= 0 else ()
    return _ops.NormBackward1.apply(diff, float(p), axes, bool(keepdim), last < 0)


def margin_ranking_loss(input1: Tensor, input2: Tensor, target: Tensor, margin=0.0,
                        size_average=None, reduce=None, reduction="mean") -> Tensor:
    """max(0, -target * (input1 - input2) + margin)."""
    _tensors("margin_ranking_loss", input1=input1, input2=input2, target=target)
    reduction = F._reduction(size_average, reduce, reduction, "margin_ranking_loss")
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise TorchRuntimeError(
            f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
            f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} ")
    out = api.add(api.mul(api.neg(target), api.sub(input1, input2)), margin).clamp_min_(0)
    return _apply_reduction(out, reduction)


def hinge_embedding_loss(input: Tensor, target: Tensor, margin=1.0, size_average=None,
                         reduce=None, reduction="mean") -> Tensor:
    """input where target is 1, max(0, margin - input) where it is -1."""
    _tensors("hinge_embedding_loss", input=input, target=target)
    reduction = F._reduction(size_average, reduce, reduction, "hinge_embedding_loss")
    zeros = api.zeros_like(input)
    margin_clamp = api.rsub(input, margin).clamp_min_(0)
    output_margin = api.where(api.ne(target, 1), margin_clamp, zeros)
    output_self = api.where(api.ne(target, -1), input, zeros)
    return _apply_reduction(api.add(output_margin, output_self), reduction)


def soft_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                     reduction="mean") -> Tensor:
    """log(1 + exp(-target * input))."""
    _tensors("soft_margin_loss", input=input, target=target)
    reduction = F._reduction(size_average, reduce, reduction, "soft_margin_loss")
    return _ops.SoftMarginLossBackward0.apply(input, target._data, reduction)


def cosine_embedding_loss(input1: Tensor, input2: Tensor, target: Tensor, margin=0.0,
                          size_average=None, reduce=None, reduction="mean") -> Tensor:
    """1 - cos(input1, input2) where target is 1, max(0, cos - margin) where it is -1."""
    _tensors("cosine_embedding_loss", input1=input1, input2=input2, target=target)
    reduction = F._reduction(size_average, reduce, reduction, "cosine_embedding_loss")
    targ_dim = target.ndim
    if targ_dim not in (0, 1):
        raise TorchRuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if targ_dim == 1 and (input1.ndim != 2 or input2.ndim != 2):
        raise TorchRuntimeError(
            f"1D target tensor expects 2D input tensors, but found inputs with sizes "
            f"{list(input1.shape)} and {list(input2.shape)}.")
    if targ_dim == 0 and (input1.ndim != 1 or input2.ndim != 1):
        raise TorchRuntimeError(
            f"0D target tensor expects 1D input tensors, but found inputs with sizes "
            f"{list(input1.shape)} and {list(input2.shape)}.")
    prod_sum = api.sum(api.mul(input1, input2), targ_dim)
    mag_square1 = api.add(api.sum(api.mul(input1, input1), targ_dim), _EPSILON)
    mag_square2 = api.add(api.sum(api.mul(input2, input2), targ_dim), _EPSILON)
    denom = api.mul(mag_square1, mag_square2).sqrt_()
    cos = api.div(prod_sum, denom)
    zeros = api.zeros_like(cos)
    pos = api.rsub(cos, 1)
    neg = api.sub(cos, margin).clamp_min_(0)
    output_pos = api.where(api.eq(target, 1), pos, zeros)
    output_neg = api.where(api.eq(target, -1), neg, zeros)
    return _apply_reduction(api.add(output_pos, output_neg), reduction)


def triplet_margin_loss(anchor: Tensor, positive: Tensor, negative: Tensor, margin=1.0, p=2,
                        eps=1e-6, swap=False, size_average=None, reduce=None,
                        reduction="mean") -> Tensor:
    """max(0, margin + d(anchor, positive) - d(anchor, negative)), d the p-norm distance."""
    _tensors("triplet_margin_loss", anchor=anchor, positive=positive, negative=negative)
    reduction = F._reduction(size_average, reduce, reduction, "triplet_margin_loss")
    a, pdim, n = anchor.ndim, positive.ndim, negative.ndim
    if not (a == pdim == n):
        raise TorchRuntimeError(
            f"The anchor, positive, and negative tensors are expected to have the same number "
            f"of dimensions, but got: anchor {a}D, positive {pdim}D, and negative {n}D inputs")
    dist_pos = pairwise_distance(anchor, positive, p, eps)
    dist_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        dist_neg = api.minimum(dist_neg, pairwise_distance(positive, negative, p, eps))
    out = api.clamp_min(api.sub(api.add(dist_pos, margin), dist_neg), 0)
    return _apply_reduction(out, reduction)


def multilabel_soft_margin_loss(input: Tensor, target: Tensor, weight=None, size_average=None,
                                reduce=None, reduction="mean") -> Tensor:
    """The mean over classes of the binary cross-entropy of sigmoid(input) with target."""
    _tensors("multilabel_soft_margin_loss", input=input, target=target)
    reduction = F._reduction(size_average, reduce, reduction, "multilabel_soft_margin_loss")
    loss = api.neg(api.add(api.mul(target, F.logsigmoid(input)),
                           api.mul(api.rsub(target, 1), F.logsigmoid(api.neg(input)))))
    if weight is not None:
        loss = api.mul(loss, weight)
    class_dim = input.ndim - 1
    loss = api.div(api.sum(loss, class_dim), input.shape[class_dim])
    return _apply_reduction(loss, reduction)


def gaussian_nll_loss(input: Tensor, target: Tensor, var, full=False, eps=1e-6,
                      reduction="mean") -> Tensor:
    """0.5 * (log(var) + (input - target) ** 2 / var), var clamped below by eps."""
    _tensors("gaussian_nll_loss", input=input, target=target)
    if not isinstance(var, Tensor):
        var = api.full_like(input, float(var))
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = api.unsqueeze(var, -1)
        elif tuple(input.shape[:-1]) == tuple(var.shape[:-1]) and var.shape[-1] == 1:
            pass
        else:
            raise TorchValueError("var is of incorrect size")
    if reduction not in ("none", "mean", "sum"):
        raise TorchValueError(reduction + " is not valid")
    if bool(api.any(api.lt(var, 0))):
        raise TorchValueError("var has negative entry/entries")
    var = api.clone(var)
    with api.no_grad():
        var.clamp_(min=eps)
    loss = api.mul(0.5, api.add(api.log(var), api.div(api.pow(api.sub(input, target), 2), var)))
    if full:
        loss = api._add_(loss, 0.5 * math.log(2 * math.pi))
    return _apply_reduction(loss, reduction)


def poisson_nll_loss(input: Tensor, target: Tensor, log_input=True, full=False,
                     size_average=None, eps=1e-8, reduce=None, reduction="mean") -> Tensor:
    """exp(input) - target * input (log_input), or input - target * log(input + eps)."""
    _tensors("poisson_nll_loss", input=input, target=target)
    reduction = F._reduction(size_average, reduce, reduction, "poisson_nll_loss")
    if log_input:
        loss = api.sub(api.exp(input), api.mul(target, input))
    else:
        loss = api.sub(input, api.mul(target, api.log(api.add(input, eps))))
    if full:
        stirling = api.add(api.sub(api.mul(target, api.log(target)), target),
                           api.mul(0.5, api.log(api.mul(2 * math.pi, target))))
        loss = api._add_(loss, api.masked_fill(stirling, api.le(target, 1), 0))
    return _apply_reduction(loss, reduction)


FUNCTIONS = {name: globals()[name] for name in (
    "pairwise_distance", "margin_ranking_loss", "hinge_embedding_loss", "soft_margin_loss",
    "cosine_embedding_loss", "triplet_margin_loss", "multilabel_soft_margin_loss",
    "gaussian_nll_loss", "poisson_nll_loss")}

"""The torch.nn.functional subset: activations, softmax, log_softmax and the losses."""

from __future__ import annotations

import numpy as np

from adcli.engine import api
from adcli.engine import ops as _ops
from adcli.engine import tensor as _tensor
from adcli.engine.tensor import Tensor
from adcli.errors import (
    TorchIndexError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchValueError,
)
from adcli.limits import check_elements

relu = api.relu
sigmoid = api.sigmoid
tanh = api.tanh


def leaky_relu(input: Tensor, negative_slope=0.01, inplace=False) -> Tensor:
    return _ops.LeakyReluBackward0.apply(api._tensor_arg(input, "leaky_relu"),
                                         _ops._number(negative_slope))


def gelu(input: Tensor, approximate="none") -> Tensor:
    if approximate not in ("none", "tanh"):
        raise TorchRuntimeError(f"gelu(): approximate must be 'none' or 'tanh', not "
                                f"{approximate!r}")
    return _ops.GeluBackward0.apply(api._tensor_arg(input, "gelu"), approximate)


def elu(input: Tensor, alpha=1.0, inplace=False) -> Tensor:
    return _ops.EluBackward0.apply(api._tensor_arg(input, "elu"), _ops._number(alpha))


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
             reduction="mean") -> Tensor:
    api._tensor_arg(input, "mse_loss")
    api._tensor_arg(target, "mse_loss", "target")
    if reduction not in ("mean", "sum", "none"):
        raise TorchValueError(f"mse_loss(): {reduction!r} is not a valid reduction")
    if input.shape != target.shape:
        _tensor.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size."
        )
    return _ops.MseLossBackward0.apply(input, target, reduction)


def softplus(input: Tensor, beta=1, threshold=20) -> Tensor:
    """log(1 + exp(beta * x)) / beta, linear where beta * x > threshold."""
    api._tensor_arg(input, "softplus")
    return _ops.SoftplusBackward0.apply(input, _ops._number(beta), _ops._number(threshold))


def _implicit_dim(input: Tensor, name: str) -> int:
    _tensor.warn(
        f"Implicit dimension choice for {name} has been deprecated. Change the call to include "
        "dim=X as an argument."
    )
    return 0 if input.ndim in (0, 1, 3) else 1


def softmax(input: Tensor, dim=None, _stacklevel=3, dtype=None) -> Tensor:
    api._tensor_arg(input, "softmax")
    if dim is None:
        dim = _implicit_dim(input, "softmax")
    return api.softmax(input, dim, dtype=dtype)


def log_softmax(input: Tensor, dim=None, _stacklevel=3, dtype=None) -> Tensor:
    api._tensor_arg(input, "log_softmax")
    if dim is None:
        dim = _implicit_dim(input, "log_softmax")
    return api.log_softmax(input, dim, dtype=dtype)


# ---- classification losses -------------------------------------------------------------

_REDUCTIONS = ("mean", "sum", "none")


def _reduction(size_average, reduce, reduction: str) -> str:
    if size_average is not None or reduce is not None:  # the legacy pair, as torch reads it
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        return "none" if not reduce else ("mean" if size_average else "sum")
    if reduction not in _REDUCTIONS:
        raise TorchValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _class_targets(input: Tensor, target: Tensor, weight, ignore_index: int):
    """Checks of nll_loss's (input, target) and the per-sample (index, weight) arrays."""
    x = input._data
    t = target._data
    if t.dtype.kind not in "iu" or t.dtype == np.int8 or t.dtype.itemsize < 1:
        raise TorchRuntimeError(
            f"expected target dtype to be Long or Byte, but got {target.dtype.legacy}")
    if x.ndim not in (1, 2):
        raise TorchNotImplementedError(
            f"nll_loss(): adcli supports inputs of shape (C) or (N, C), got {list(x.shape)}")
    if x.ndim == 2 and t.shape != (x.shape[0],):
        if t.ndim == 1:
            raise TorchValueError(f"Expected input batch_size ({x.shape[0]}) to match target "
                                  f"batch_size ({t.shape[0]}).")
        raise TorchRuntimeError("1D target tensor expected, multi-target not supported")
    if x.ndim == 1 and t.ndim != 0:
        raise TorchRuntimeError("0D target tensor expected, multi-target not supported")
    n_classes = x.shape[-1]
    t = t.astype(np.int64)
    ignored = t == ignore_index
    for v in np.atleast_1d(t[~ignored]):
        if not 0 <= v < n_classes:
            raise TorchIndexError(f"Target {v} is out of bounds.")
    idx = np.where(ignored, 0, t)
    if weight is None:
        w = np.ones(t.shape, x.dtype)
    else:
        api._tensor_arg(weight, "nll_loss", "weight")
        if weight._data.shape != (n_classes,):
            raise TorchRuntimeError(
                f"weight tensor should be defined either for all {n_classes} classes or no "
                f"classes but got weight tensor of shape: {list(weight._data.shape)}")
        w = weight._data.astype(x.dtype)[idx]
    return idx, np.where(ignored, 0, w).astype(x.dtype), ignored


def nll_loss(input: Tensor, target: Tensor, weight=None, size_average=None, ignore_index=-100,
             reduce=None, reduction="mean") -> Tensor:
    """The negative log likelihood of class indices: -input[i, target[i]], reduced."""
    api._tensor_arg(input, "nll_loss")
    api._tensor_arg(target, "nll_loss", "target")
    ignore_index = api._int(ignore_index, "nll_loss", "ignore_index")
    reduction = _reduction(size_average, reduce, reduction)
    idx, w, _ = _class_targets(input, target, weight, ignore_index)
    return _ops.NllLossBackward0.apply(input, idx, w, reduction)


def cross_entropy(input: Tensor, target: Tensor, weight=None, size_average=None,
                  ignore_index=-100, reduce=None, reduction="mean",
                  label_smoothing=0.0) -> Tensor:
    """log_softmax over the classes, then nll_loss; or, for class probabilities as the
    target, -(target * log_softmax(input)).sum over the classes; as torch computes it."""
    api._tensor_arg(input, "cross_entropy")
    api._tensor_arg(target, "cross_entropy", "target")
    if weight is not None:
        api._tensor_arg(weight, "cross_entropy", "weight")
    ignore_index = api._int(ignore_index, "cross_entropy", "ignore_index")
    reduction = _reduction(size_average, reduce, reduction)
    eps = float(_ops._number(label_smoothing))
    if not 0.0 <= eps <= 1.0:
        raise TorchRuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {eps:g}")
    if input.ndim == 0:
        raise TorchRuntimeError("cross_entropy(): the input must have a class dimension")
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    logp = api.log_softmax(input, class_dim)
    if target.is_floating_point():
        if target.shape != input.shape:
            raise TorchRuntimeError(
                f"Expected floating point target to have the same shape as input "
                f"{list(input.shape)}, got {list(target.shape)}")
        if eps > 0:
            target = target * (1 - eps) + eps / n_classes
        terms = logp * target
        if weight is not None:
            if weight.shape != (n_classes,):
                raise TorchRuntimeError(
                    f"weight tensor should be defined either for all {n_classes} classes or "
                    f"no classes but got weight tensor of shape: {list(weight.shape)}")
            shape = [1] * input.ndim
            shape[class_dim] = n_classes
            terms = terms * weight.reshape(*shape)
        if reduction == "none":
            return -terms.sum(class_dim)
        if reduction == "sum":
            return -terms.sum()
        return _ops.DivBackward1.apply(-terms.sum(), input.numel() / n_classes)
    nll = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if eps == 0:
        return nll
    _, _, ignored = _class_targets(input, target, weight, ignore_index)
    if weight is None:
        smooth = -logp.sum(class_dim)
    else:
        smooth = -(logp * weight).sum(class_dim)
    smooth = api._masked_fill(smooth, api.tensor(ignored), 0.0)
    if reduction == "mean":
        if weight is None:
            ret = smooth.sum() / float((~ignored).sum())
        else:
            kept = target._data[~ignored].astype(np.int64)
            ret = smooth.sum() / float(weight._data[kept].sum())
    elif reduction == "sum":
        ret = smooth.sum()
    else:
        ret = smooth
    return (1 - eps) * nll + ret * (eps / n_classes)


def one_hot(tensor: Tensor, num_classes=-1) -> Tensor:
    """int64 one-hot rows of class indices, with num_classes = max + 1 when not given."""
    api._tensor_arg(tensor, "one_hot", "tensor")
    t = tensor._data
    if t.dtype != np.int64:
        raise TorchRuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    n = api._int(num_classes, "one_hot", "num_classes")
    if n == -1:
        if not t.size:
            raise TorchRuntimeError("Can not infer total number of classes from empty tensor.")
        n = int(t.max()) + 1
    if t.size and t.min() < 0:
        raise TorchRuntimeError("Class values must be non-negative.")
    if t.size and t.max() >= n:
        raise TorchRuntimeError("Class values must be smaller than num_classes.")
    check_elements(t.size * n)
    return api.tensor(np.eye(n, dtype=np.int64)[t] if t.size else np.zeros(t.shape + (n,),
                                                                          np.int64))


def _same_size(input: Tensor, target: Tensor, fn: str) -> None:
    api._tensor_arg(input, fn)
    api._tensor_arg(target, fn, "target")
    if target.shape != input.shape:
        if fn == "binary_cross_entropy":
            raise TorchValueError(
                f"Using a target size ({target.shape}) that is different to the input size "
                f"({input.shape}) is deprecated. Please ensure they have the same size.")
        raise TorchValueError(f"Target size ({target.shape}) must be the same as input size "
                              f"({input.shape})")


def binary_cross_entropy(input: Tensor, target: Tensor, weight=None, size_average=None,
                         reduce=None, reduction="mean") -> Tensor:
    """-(t log x + (1 - t) log(1 - x)), each log clamped at -100, reduced."""
    _same_size(input, target, "binary_cross_entropy")
    reduction = _reduction(size_average, reduce, reduction)
    if input.dtype != target.dtype:
        raise TorchRuntimeError(f"Found dtype {target.dtype.legacy} but expected "
                                f"{input.dtype.legacy}")
    if weight is not None:
        raise TorchNotImplementedError("binary_cross_entropy(): weight is not supported by "
                                       "adcli yet")
    return _ops.BinaryCrossEntropyBackward0.apply(input, target, reduction)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight=None,
                                     size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None) -> Tensor:
    """binary_cross_entropy(sigmoid(input), target), computed stably from the logits."""
    _same_size(input, target, "binary_cross_entropy_with_logits")
    reduction = _reduction(size_average, reduce, reduction)
    if weight is not None or pos_weight is not None:
        raise TorchNotImplementedError("binary_cross_entropy_with_logits(): weight and "
                                       "pos_weight are not supported by adcli yet")
    return _ops.BinaryCrossEntropyWithLogitsBackward0.apply(input, target, reduction)


# ---- regression losses and logsigmoid -----------------------------------------------------

def _size_warning(input: Tensor, target: Tensor) -> None:
    if input.shape != target.shape:
        _tensor.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size."
        )


def _reduce(loss: Tensor, reduction: str) -> Tensor:
    """apply_loss_reduction: at::mean or at::sum, or the elements."""
    if reduction == "mean":
        return api.mean(loss)
    return api.sum(loss) if reduction == "sum" else loss


def l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
            reduction="mean") -> Tensor:
    """|input - target|, reduced: torch records Abs under Mean or Sum."""
    api._tensor_arg(input, "l1_loss")
    api._tensor_arg(target, "l1_loss", "target")
    reduction = _reduction(size_average, reduce, reduction)
    _size_warning(input, target)
    return _reduce(api.abs(api.sub(input, target)), reduction)


def huber_loss(input: Tensor, target: Tensor, reduction="mean", delta=1.0,
               weight=None) -> Tensor:
    """0.5 d**2 where |d| < delta, else delta * (|d| - 0.5 delta), reduced."""
    api._tensor_arg(input, "huber_loss")
    api._tensor_arg(target, "huber_loss", "target")
    reduction = _reduction(None, None, reduction)
    if weight is not None:
        raise TorchNotImplementedError("huber_loss(): weight is not supported by adcli yet")
    _size_warning(input, target)
    delta = float(_ops._number(delta))
    if not delta > 0:
        raise TorchRuntimeError("huber_loss does not support non-positive values for delta.")
    return _ops.HuberLossBackward0.apply(input, target, reduction, delta)


def smooth_l1_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                   reduction="mean", beta=1.0) -> Tensor:
    """0.5 d**2 / beta where |d| < beta, else |d| - 0.5 beta, reduced (l1_loss at beta 0)."""
    api._tensor_arg(input, "smooth_l1_loss")
    api._tensor_arg(target, "smooth_l1_loss", "target")
    reduction = _reduction(size_average, reduce, reduction)
    _size_warning(input, target)
    beta = float(_ops._number(beta))
    if beta == 0.0:
        return _reduce(api.abs(api.sub(input, target)), reduction)
    if beta < 0:
        raise TorchRuntimeError("smooth_l1_loss does not support negative values for beta.")
    return _ops.SmoothL1LossBackward0.apply(input, target, reduction, beta)


def logsigmoid(input: Tensor) -> Tensor:
    """log(sigmoid(input)), computed stably."""
    return _ops.LogSigmoidBackward0.apply(api._tensor_arg(input, "logsigmoid"))


def kl_div(input: Tensor, target: Tensor, size_average=None, reduce=None, reduction="mean",
           log_target=False) -> Tensor:
    """target * (log(target) - input) summed as torch does: xlogy(t, t) - t * input, or
    exp(t) * (t - input) for a log target; 'batchmean' divides the sum by the batch size."""
    api._tensor_arg(input, "kl_div")
    api._tensor_arg(target, "kl_div", "target")
    if size_average is not None or reduce is not None:
        reduction = _reduction(size_average, reduce, reduction)
    elif reduction == "mean":
        _tensor.warn(
            "reduction: 'mean' divides the total loss by both the batch size and the support "
            "size.'batchmean' divides only by the batch size, and aligns with the KL div math "
            "definition.'mean' will be changed to behave the same as 'batchmean' in the next "
            "major release.")
    elif reduction != "batchmean":
        reduction = _reduction(None, None, reduction)
    if log_target:
        out = api.mul(api.exp(target), api.sub(target, input))
    else:
        if target.requires_grad and _tensor.is_grad_enabled():
            raise TorchNotImplementedError(
                "kl_div(): a target that requires grad is not supported by adcli yet")
        t = target._data
        with np.errstate(divide="ignore", invalid="ignore"):
            xlogy = np.where(np.isnan(t), np.nan, np.where(t == 0, 0, t * np.log(t)))
        out = api.sub(api.tensor(xlogy.astype(t.dtype, copy=False)), api.mul(target, input))
    if reduction == "batchmean":
        total = api.sum(out)
        return api.div(total, api.tensor(input.shape[0])) if input.ndim else total
    return _reduce(out, reduction)

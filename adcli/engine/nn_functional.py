"""The torch.nn.functional subset: activations, softmax, log_softmax, the losses, and the
layers' ops (linear, dropout, convolution, pooling, normalisation, embedding, pad)."""

from __future__ import annotations

import numpy as np

from adcli.engine import api, nn_extra, pool3d
from adcli.engine import cpu_kernels as _K
from adcli.engine import dtypes as _dt
from adcli.engine import ops as _ops
from adcli.engine import shape as _sh
from adcli.engine import tensor as _tensor
from adcli.engine.tensor import Tensor, _wrap
from adcli.errors import (
    TorchAssertionError,
    TorchAttributeError,
    TorchIndexError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)
from adcli.limits import check_elements, check_work

sigmoid = api.sigmoid
tanh = api.tanh


def _activation(input: Tensor, name: str, cls, in_place_cls, inplace: bool, *args) -> Tensor:
    """An activation ``cls`` on ``input``, or written into it (``in_place_cls``, the
    grad_fn torch records for NAME_) when ``inplace``."""
    input = api._tensor_arg(input, name)
    if inplace:
        return _ops.inplace(input, in_place_cls, *args)
    return cls.apply(input, *args)


def relu(input: Tensor, inplace=False) -> Tensor:
    """max(input, 0)."""
    return _activation(input, "relu", _ops.ReluBackward0, _ops.ReluBackward0, inplace)


def relu_(input: Tensor) -> Tensor:
    return relu(input, True)


def leaky_relu(input: Tensor, negative_slope=0.01, inplace=False) -> Tensor:
    """input, times negative_slope where negative."""
    return _activation(input, "leaky_relu", _ops.LeakyReluBackward0, _ops.LeakyReluBackward1,
                       inplace, _ops._number(negative_slope))


def leaky_relu_(input: Tensor, negative_slope=0.01) -> Tensor:
    return leaky_relu(input, negative_slope, True)


def elu(input: Tensor, alpha=1.0, inplace=False) -> Tensor:
    """input where positive, else alpha * (exp(input) - 1)."""
    return _activation(input, "elu", _ops.EluBackward0, _ops.EluBackward1, inplace,
                       _ops._number(alpha))


def elu_(input: Tensor, alpha=1.0) -> Tensor:
    return elu(input, alpha, True)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input: Tensor, inplace=False) -> Tensor:
    """scale * elu(input, alpha) with SELU's constants (torch records an EluBackward)."""
    return _activation(input, "selu", _ops.EluBackward0, _ops.EluBackward1, inplace,
                       _SELU_ALPHA, _SELU_SCALE)


def selu_(input: Tensor) -> Tensor:
    return selu(input, True)


def celu(input: Tensor, alpha=1.0, inplace=False) -> Tensor:
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""
    alpha = _ops._number(alpha)
    if alpha == 0:
        raise TorchRuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    return _activation(input, "celu", _ops.CeluBackward0, _ops.CeluBackward1, inplace,
                       alpha, 1.0, 1.0 / alpha)


def celu_(input: Tensor, alpha=1.0) -> Tensor:
    return celu(input, alpha, True)


def threshold(input: Tensor, threshold, value, inplace=False) -> Tensor:
    """input, or ``value`` where input <= ``threshold``."""
    return _threshold(input, threshold, value, inplace)


def threshold_(input: Tensor, threshold, value) -> Tensor:
    """:func:`threshold`, written into ``input``."""
    return _threshold(input, threshold, value, True)


def _threshold(input, limit, value, inplace) -> Tensor:
    input = api._tensor_arg(input, "threshold")
    limit, value = _ops._number(limit), _ops._number(value)
    if inplace:
        return _ops.inplace(input, _ops.ThresholdBackward1, limit, value)
    return _ops.ThresholdBackward0.apply(input, limit, value)


def gelu(input: Tensor, approximate="none") -> Tensor:
    if approximate not in ("none", "tanh"):
        raise TorchRuntimeError(f"gelu(): approximate must be 'none' or 'tanh', not "
                                f"{approximate!r}")
    return _ops.GeluBackward0.apply(api._tensor_arg(input, "gelu"), approximate)


def mse_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
             reduction="mean") -> Tensor:
    api._tensor_arg(input, "mse_loss")
    api._tensor_arg(target, "mse_loss", "target")
    if input.shape != target.shape:
        _tensor.warn(
            f"Using a target size ({target.shape}) that is different to the input size "
            f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
            "Please ensure they have the same size."
        )
    reduction = _reduction(size_average, reduce, reduction, "mse_loss")
    return _ops.MseLossBackward0.apply(input, target, reduction)


def softplus(input: Tensor, beta=1, threshold=20) -> Tensor:
    """log(1 + exp(beta * x)) / beta, linear where beta * x > threshold."""
    api._tensor_arg(input, "softplus")
    return _ops.SoftplusBackward0.apply(input, _ops._number(beta), _ops._number(threshold))


def hardsigmoid(input: Tensor, inplace=False) -> Tensor:
    """min(max(x + 3, 0), 6) / 6."""
    return _activation(input, "hardsigmoid", _ops.HardsigmoidBackward0,
                       _ops.HardsigmoidBackward0, inplace)


def hardswish(input: Tensor, inplace=False) -> Tensor:
    """x * hardsigmoid(x)."""
    return _activation(input, "hardswish", _ops.HardswishBackward0, _ops.HardswishBackward0,
                       inplace)


def hardshrink(input: Tensor, lambd=0.5) -> Tensor:
    """x where |x| > lambd, else 0."""
    return _ops.HardshrinkBackward0.apply(api._tensor_arg(input, "hardshrink"),
                                          _ops._number(lambd))


def softshrink(input: Tensor, lambd=0.5) -> Tensor:
    """x shrunk towards 0 by lambd, and 0 within lambd of it."""
    lambd = _ops._number(lambd)
    if lambd < 0:
        raise TorchRuntimeError(
            f"lambda must be greater or equal to 0, but found to be {float(lambd)}.")
    return _ops.SoftshrinkBackward0.apply(api._tensor_arg(input, "softshrink"), lambd)


def glu(input: Tensor, dim=-1) -> Tensor:
    """The first half of input along dim times the sigmoid of the second half."""
    input = api._tensor_arg(input, "glu")
    if input.ndim == 0:
        raise TorchRuntimeError("glu does not support scalars because halving size must be even")
    d = _sh.norm_dim(dim, input.ndim)
    if input.shape[d] % 2:
        raise TorchRuntimeError(
            f"Halving dimension must be even, but dimension {d} is size {input.shape[d]}")
    return _ops.GluBackward0.apply(input, d)


def prelu(input: Tensor, weight: Tensor) -> Tensor:
    """input where positive, else weight * input, with one weight per channel (dim 1) or
    one for all."""
    input = api._tensor_arg(input, "prelu")
    weight = api._tensor_arg(weight, "prelu", "weight")
    if input.dtype is not weight.dtype:
        raise TorchRuntimeError(
            f"prelu: Type promoting not supported. Got {input.dtype.legacy} and "
            f"{weight.dtype.legacy}")
    if weight.ndim > 1:
        raise TorchRuntimeError("prelu: Expected `weight` to be a scalar or 1D tensor, but "
                                f"got: ndim = {weight.ndim}")
    n = weight.numel()
    if n != 1:
        if input.ndim == 0:
            raise TorchRuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.ndim > 1 else 1
        if channels != n:
            raise TorchRuntimeError(
                f"Mismatch of parameter numbers and input channel size. Found parameter "
                f"numbers = {n} and channel size = {channels}.")
    if input.ndim >= 2:
        shape = [1] * input.ndim
        if n != 1:
            shape[1] = n
        weight = api.reshape(weight, shape)
    return _ops.PreluKernelBackward0.apply(input, weight)


def softmin(input: Tensor, dim=None, _stacklevel=3, dtype=None) -> Tensor:
    """softmax(-input) along dim."""
    api._tensor_arg(input, "softmin")
    if dim is None:
        dim = _implicit_dim(input, "softmin")
    if dtype is not None:
        return api.softmax(api.neg(input.to(dtype)), dim)
    return api.softmax(api.neg(input), dim)


def gumbel_softmax(logits: Tensor, tau=1, hard=False, eps=1e-10, dim=-1) -> Tensor:
    """softmax((logits + g) / tau) with g ~ Gumbel(0, 1) drawn from torch's generator; with
    ``hard``, the one-hot of its maximum, with the soft sample's gradient
    (y_hard - y_soft.detach() + y_soft)."""
    api._tensor_arg(logits, "gumbel_softmax", "logits")
    if eps != 1e-10:
        _tensor.warn("`eps` parameter is deprecated and has no effect.")
    noise = api._exponential_(api.empty_like(logits))
    gumbels = api.neg(api.log(noise))
    gumbels = api.div(api.add(logits, gumbels), tau)
    y_soft = api.softmax(gumbels, dim)
    if not hard:
        return y_soft
    index = api.max(y_soft, dim, True)[1]
    y_hard = api.zeros_like(logits).scatter_(dim, index, 1.0)
    return api.add(api.sub(y_hard, y_soft.detach()), y_soft)


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


# Where torch's warning for the legacy size_average/reduce pair is reported: the line of
# torch/nn/functional.py that reads the pair (functions that use the string form), or
# legacy_get_enum's line in torch/nn/_reduction.py (the enum form)
_LEGACY_STRING = "reduction = _Reduction.legacy_get_string(size_average, reduce)"
LEGACY_SITES = {
    name: ("nn/functional.py", line, _LEGACY_STRING) for name, line in (
        ("nll_loss", 3230), ("poisson_nll_loss", 3290), ("cross_entropy", 3554),
        ("smooth_l1_loss", 4060), ("l1_loss", 4215), ("mse_loss", 4292),
        ("multilabel_soft_margin_loss", 4539))}
_ENUM_SITE = ("nn/_reduction.py", 60,
              "return get_enum(legacy_get_string(size_average, reduce, emit_warning))")
LEGACY_SITES.update(dict.fromkeys((
    "kl_div", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "margin_ranking_loss", "hinge_embedding_loss", "multilabel_margin_loss",
    "soft_margin_loss", "cosine_embedding_loss", "multi_margin_loss",
    "triplet_margin_loss"), _ENUM_SITE))
# a loss module's __init__ (torch/nn/modules/loss.py, _Loss)
MODULE_LEGACY_SITE = ("nn/modules/loss.py", 48,
                      "self.reduction: str = _Reduction.legacy_get_string(size_average, "
                      "reduce)")


def _reduction(size_average, reduce, reduction: str, fn: str | None = None,
               site: tuple | None = None) -> str:
    """The reduction a loss runs. The legacy pair (size_average, reduce) wins when given,
    with torch's deprecation warning at ``site`` (else the site of F.``fn``)."""
    if size_average is not None or reduce is not None:  # the legacy pair, as torch reads it
        size_average = True if size_average is None else size_average
        reduce = True if reduce is None else reduce
        ret = "none" if not reduce else ("mean" if size_average else "sum")
        _tensor.warn("size_average and reduce args will be deprecated, please use "
                     f"reduction='{ret}' instead.",
                     site or LEGACY_SITES.get(fn or "", _ENUM_SITE))
        return ret
    if reduction not in _REDUCTIONS:
        raise TorchValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _class_targets(input: Tensor, target: Tensor, weight, ignore_index: int):
    """Checks of nll_loss's (input, target) and the per-sample (index, weight) arrays."""
    x = input._data
    t = target._data
    # torch's order: nll_loss_nd's batch check, the kernel's shape checks, then the dtype
    if x.ndim != 1 and x.shape[0] != (t.shape[0] if t.ndim else 0):
        raise TorchValueError(f"Expected input batch_size ({x.shape[0]}) to match target "
                              f"batch_size ({t.shape[0] if t.ndim else 0}).")
    if x.ndim > 2:  # (N, C, d1, ...): a class index per position
        if t.shape != (x.shape[0], *x.shape[2:]):
            raise TorchRuntimeError(f"Expected target size {[x.shape[0], *x.shape[2:]]}, got "
                                    f"{list(t.shape)}")
    elif t.ndim > 1:
        raise TorchRuntimeError("0D or 1D target tensor expected, multi-target not supported")
    elif x.ndim == 1 and t.ndim == 1 and t.shape[0] != 1:
        raise TorchValueError(f"For 1D input, 1D target must have size 1, but got target "
                              f"size: {t.shape[0]}")
    if t.dtype != np.int64 and t.dtype != np.uint8:
        raise TorchRuntimeError(
            f"expected target dtype to be Long or Byte, but got {target.dtype.legacy}")
    if x.ndim == 1:
        t = t.reshape(())
    n_classes = x.shape[-1] if x.ndim <= 2 else x.shape[1]
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
    reduction = _reduction(size_average, reduce, reduction, "nll_loss")
    idx, w, _ = _class_targets(input, target, weight, ignore_index)
    if input.dim() <= 2:
        return _ops.NllLossBackward0.apply(input, idx, w, reduction)
    # torch's nll_loss_nd: a 4-D input as it is, any other viewed as (N, C, 1, -1)
    n, c = input.shape[:2]
    x = input if input.dim() == 4 else input.view(n, c, 1, -1)
    idx4 = idx.reshape(x.shape[0], *x.shape[2:])
    out = _ops.NllLoss2DBackward0.apply(x, idx4, w.reshape(idx4.shape), reduction)
    if reduction == "none" and input.dim() != 4:
        out = out.view(n, *input.shape[2:])
    return out


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
    reduction = _reduction(size_average, reduce, reduction, "cross_entropy")
    eps = float(_ops._number(label_smoothing))
    if not 0.0 <= eps <= 1.0:
        raise TorchRuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {eps:g}")
    if input.ndim == 0:
        raise TorchRuntimeError("cross_entropy(): the input must have a class dimension")
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    logp = api.log_softmax(input, class_dim)
    if target.shape == input.shape:  # as torch: class probabilities
        if not target.is_floating_point():
            raise TorchRuntimeError("Expected floating point type for target with class "
                                    f"probabilities, got {target.dtype.legacy}")
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
        shape = [1] * input.ndim
        shape[class_dim] = n_classes
        smooth = -(logp * (weight if input.ndim <= 2 else weight.view(*shape))).sum(class_dim)
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
    reduction = _reduction(size_average, reduce, reduction, "binary_cross_entropy")
    if input.dtype != target.dtype:
        raise TorchRuntimeError(f"Found dtype {target.dtype.legacy} but expected "
                                f"{input.dtype.legacy}")
    if weight is None:
        return _ops.BinaryCrossEntropyBackward0.apply(input, target, reduction)
    api._tensor_arg(weight, "binary_cross_entropy", "weight")
    try:  # torch expands the weight to the target's size
        w = np.broadcast_to(weight._data, target._data.shape).astype(input._data.dtype)
    except ValueError:
        raise TorchRuntimeError(f"The size of tensor a ({weight.shape[-1]}) must match the "
                                f"size of tensor b ({target.shape[-1]}) at non-singleton "
                                f"dimension {target.dim() - 1}") from None
    return _ops.BinaryCrossEntropyBackward0.apply(input, target, reduction, w)


def binary_cross_entropy_with_logits(input: Tensor, target: Tensor, weight=None,
                                     size_average=None, reduce=None, reduction="mean",
                                     pos_weight=None) -> Tensor:
    """binary_cross_entropy(sigmoid(input), target), computed stably from the logits."""
    _same_size(input, target, "binary_cross_entropy_with_logits")
    reduction = _reduction(size_average, reduce, reduction, "binary_cross_entropy_with_logits")
    arrays = []
    for name, w in (("weight", weight), ("pos_weight", pos_weight)):
        if w is not None:
            api._tensor_arg(w, "binary_cross_entropy_with_logits", name)
            try:
                np.broadcast_shapes(w._data.shape, input._data.shape)
            except ValueError:
                raise TorchRuntimeError(
                    f"The size of tensor a ({w.shape[-1]}) must match the size of tensor b "
                    f"({input.shape[-1]}) at non-singleton dimension "
                    f"{input.dim() - 1}") from None
        arrays.append(None if w is None else w._data.astype(input._data.dtype))
    if weight is None and pos_weight is None:
        return _ops.BinaryCrossEntropyWithLogitsBackward0.apply(input, target, reduction)
    return _ops.BinaryCrossEntropyWithLogitsBackward0.apply(input, target, reduction, *arrays)


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
    reduction = _reduction(size_average, reduce, reduction, "l1_loss")
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
    reduction = _reduction(size_average, reduce, reduction, "smooth_l1_loss")
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
        reduction = _reduction(size_average, reduce, reduction, "kl_div")
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
            xlogy = np.where(np.isnan(t), np.nan, np.where(t == 0, 0, t * _K.log(t)))
        out = api.sub(api.tensor(xlogy.astype(t.dtype, copy=False)), api.mul(target, input))
    if reduction == "batchmean":
        total = api.sum(out)
        return api.div(total, api.tensor(input.shape[0])) if input.ndim else total
    return _reduce(out, reduction)


# ---- linear ------------------------------------------------------------------------------

_CPP_TYPE = {"float32": "float", "float64": "double", "float16": "c10::Half",
             "int64": "long int", "int32": "int", "int16": "short int", "int8": "signed char",
             "uint8": "unsigned char", "bool": "bool"}


def _legacy(t: Tensor) -> str:
    return t.dtype.legacy


def _addmm_bias_check(bias: Tensor, rows: int, cols: int) -> None:
    """torch's expand of addmm's ``self`` to (rows, cols), with its messages."""
    shape = tuple(bias.shape)
    if len(shape) > 2:
        raise TorchRuntimeError(
            f"expand(torch.{_legacy(bias)}Tensor{{{list(shape)}}}, size=[{rows}, {cols}]): the "
            f"number of sizes provided (2) must be greater or equal to the number of "
            f"dimensions in the tensor ({len(shape)})")
    target = (rows, cols)
    for i, s in enumerate(reversed(shape)):
        t = target[1 - i]
        if s != 1 and s != t:
            raise TorchRuntimeError(
                f"The expanded size of the tensor ({t}) must match the existing size ({s}) at "
                f"non-singleton dimension {1 - i}.  Target sizes: [{rows}, {cols}].  Tensor "
                f"sizes: {list(shape)}")


def _addmm(bias: Tensor, x: Tensor, weight: Tensor) -> Tensor:
    xd, wd, bd = x._data, weight._data, bias._data  # the arrays: every layer call checks
    if xd.dtype != wd.dtype:
        raise TorchRuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                                f"{_legacy(x)} and {_legacy(weight)}")
    if bd.dtype != wd.dtype:
        raise TorchRuntimeError(f"self and mat2 must have the same dtype, but got "
                                f"{_legacy(bias)} and {_legacy(weight)}")
    if wd.ndim != 2:
        raise TorchRuntimeError(f"mat2 must be a matrix, got {wd.ndim}-D tensor")
    if xd.shape[1] != wd.shape[1]:
        raise TorchRuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({xd.shape[0]}x{xd.shape[1]} and "
            f"{wd.shape[1]}x{wd.shape[0]})")
    if bd.shape != (wd.shape[0],):
        _addmm_bias_check(bias, xd.shape[0], wd.shape[0])
    return _ops.AddmmBackward0.apply([bias, x, _ops.TBackward0.apply(weight, (1, 0))], 1, 1)


def bilinear(input1: Tensor, input2: Tensor, weight: Tensor, bias=None) -> Tensor:
    """x1^T W x2 (+ bias) over the last dimension, as torch records it: both inputs
    reshaped to 2-D, ``_trilinear`` (TrilinearBackward0), the result viewed back, + bias."""
    for name, t in (("input1", input1), ("input2", input2), ("weight", weight)):
        api._tensor_arg(t, "bilinear", name)
    if input1.dim() != input2.dim():
        raise TorchRuntimeError(f"bilinear(): input dimensions do not match: got "
                                f"{input1.dim()} and {input2.dim()}")
    if tuple(input1.shape[:-1]) != tuple(input2.shape[:-1]):
        raise TorchRuntimeError(f"bilinear(): input batch dimensions do not match: got "
                                f"{list(input1.shape[:-1])} and {list(input2.shape[:-1])}")
    if weight.dim() != 3:
        raise TorchRuntimeError(f"bilinear(): weight must be three-dimensional, but got "
                                f"{weight.dim()} dimensions")
    if input1.shape[-1] != weight.shape[1]:
        raise TorchRuntimeError(f"bilinear(): input1 size does not match weight size: got "
                                f"{input1.shape[-1]} but expected {weight.shape[1]}")
    if input2.shape[-1] != weight.shape[2]:
        raise TorchRuntimeError(f"bilinear(): input2 size does not match weight size: got "
                                f"{input2.shape[-1]} but expected {weight.shape[2]}")
    if bias is not None and (bias.dim() != 1 or bias.shape[0] != weight.shape[0]):
        raise TorchRuntimeError(f"bilinear(): bias size does not match weight size: got "
                                f"{bias.shape[-1] if bias.dim() else 1} but expected "
                                f"{weight.shape[0]}")
    out_shape = (*input1.shape[:-1], weight.shape[0])
    out = _ops.TrilinearBackward0.apply([input1.reshape(-1, input1.shape[-1]), weight,
                                         input2.reshape(-1, input2.shape[-1])])
    out = out.reshape(out_shape)
    return out if bias is None else out + bias


def linear(input: Tensor, weight: Tensor, bias=None) -> Tensor:
    """input @ weight.T + bias, by torch's decomposition (so the same grad_fn chain): addmm
    for a 2-D input with a bias; a contiguous input of other dims with a bias of
    out_features elements folded to 2-D around one addmm; else matmul, then + bias."""
    for t, name, pos in ((input, "input", 1), (weight, "weight", 2)):
        if not isinstance(t, Tensor):
            raise TorchTypeError(f"linear(): argument '{name}' (position {pos}) must be "
                                 f"Tensor, not {type(t).__name__}")
    if bias is not None and not isinstance(bias, Tensor):
        raise TorchTypeError(f"linear(): argument 'bias' (position 3) must be Tensor, not "
                             f"{type(bias).__name__}")
    nx, nw = input.ndim, weight.ndim
    if nx == 0 or nw == 0:
        raise TorchRuntimeError(f"both arguments to linear need to be at least 1D, but they "
                                f"are {nx}D and {nw}D")
    if nw > 2:
        raise TorchRuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is "
                                f"{nw}D")
    if bias is not None:
        if nx == 2:
            return _addmm(bias, input, weight)
        out_features = weight.shape[0] if nw == 2 else 1
        if input._data.flags.c_contiguous and bias.numel() == out_features and nw == 2:
            lead = tuple(input.shape[:-1])
            flat = api.reshape(input, (_prod(lead), input.shape[-1]))
            out = _addmm(bias, flat, weight)
            return api.view(out, lead + (out.shape[1],))
    if input.dtype != weight.dtype:
        raise TorchRuntimeError(
            f"expected m1 and m2 to have the same dtype, but got: "
            f"{_CPP_TYPE.get(input.dtype.name, input.dtype.name)} != "
            f"{_CPP_TYPE.get(weight.dtype.name, weight.dtype.name)}")
    out = api.matmul(input, api.t(weight))
    if bias is not None:
        out = api.add(out, bias)
    return out


def _prod(shape) -> int:
    n = 1
    for s in shape:
        n *= int(s)
    return n


# ---- dropout -------------------------------------------------------------------------------


def _dropout_p(p) -> float:
    p = float(_ops._number(p))
    if p < 0.0 or p > 1.0:
        raise TorchValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    return p


def _dropout(input: Tensor, p: float, train: bool, inplace: bool, feature: bool) -> Tensor:
    """at::dropout / feature_dropout on CPU: input * (bernoulli(1 - p) / (1 - p)), the noise
    drawn from the default generator exactly as torch draws it (per channel for feature)."""
    if p == 0 or not train or input.numel() == 0:
        return input
    if not input.is_floating_point():
        raise TorchRuntimeError(f"result type Float can't be cast to the desired output type "
                                f"{input.dtype.legacy}")
    if p == 1:
        noise = api.zeros((), dtype=input.dtype)
    else:
        shape = tuple(input.shape)
        if feature:
            if input.ndim < 2:
                raise TorchRuntimeError("Feature dropout requires at least 2 dimensions in the "
                                        "input")
            shape = shape[:2] + (1,) * (input.ndim - 2)
        check_elements(_prod(shape))
        # the noise is empty_like(input): a dense input's layout, filled in memory order
        perm = None if feature else api._like_permutation(input._data)
        if perm is None:
            mask = api._default().dropout_mask(shape, p, input._data.dtype)
        else:
            mask = api._default().dropout_mask(tuple(shape[d] for d in perm), p,
                                               input._data.dtype)
            mask = mask.transpose(np.argsort(perm))
        noise = _wrap(mask)
    return api._mul_(input, noise) if inplace else api.mul(input, noise)


def dropout(input: Tensor, p=0.5, training=True, inplace=False) -> Tensor:
    """Zero each element with probability p, scale the rest by 1 / (1 - p)."""
    api._tensor_arg(input, "dropout")
    return _dropout(input, _dropout_p(p), bool(training), bool(inplace), False)


def _torch_dropout(input: Tensor, p, train) -> Tensor:
    """torch.dropout(input, p, train)."""
    api._tensor_arg(input, "dropout")
    p = float(_ops._number(p))
    if not 0 <= p <= 1:
        raise TorchRuntimeError(f"dropout probability has to be between 0 and 1, but got {p}")
    return _dropout(input, p, api._flag(train, "dropout", "train"), False, False)


def dropout1d(input: Tensor, p=0.5, training=True, inplace=False) -> Tensor:
    """Zero whole channels of (N, C, L) or (C, L) with probability p."""
    api._tensor_arg(input, "dropout1d")
    p = _dropout_p(p)
    nd = input.ndim
    if nd not in (2, 3):
        raise TorchRuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {nd}D input. Note that "
            "dropout1d exists to provide channel-wise dropout on inputs with 1 spatial "
            "dimension, a channel dimension, and an optional batch dimension (i.e. 2D or 3D "
            "inputs).")
    if nd == 2:
        x = api._unsqueeze_(input, 0) if inplace else api.unsqueeze(input, 0)
        out = _dropout(x, p, bool(training), bool(inplace), True)
        return api._squeeze_(out, 0) if inplace else api.squeeze(out, 0)
    return _dropout(input, p, bool(training), bool(inplace), True)


def dropout2d(input: Tensor, p=0.5, training=True, inplace=False) -> Tensor:
    """Zero whole channels of (N, C, H, W) with probability p."""
    api._tensor_arg(input, "dropout2d")
    p = _dropout_p(p)
    nd = input.ndim
    if nd not in (3, 4):
        _tensor.warn(
            f"dropout2d: Received a {nd}-D input to dropout2d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout2d exists to provide "
            "channel-wise dropout on inputs with 2 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 3D or 4D inputs).")
    if nd == 3:
        _tensor.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise 1D "
            "dropout behavior is desired - input is interpreted as shape (N, C, L), where C is "
            "the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.")
    return _dropout(input, p, bool(training), bool(inplace), True)


def dropout3d(input: Tensor, p=0.5, training=True, inplace=False) -> Tensor:
    """Zero whole channels of (N, C, D, H, W) or (C, D, H, W) with probability p."""
    api._tensor_arg(input, "dropout3d")
    p = _dropout_p(p)
    nd = input.ndim
    if nd not in (4, 5):
        _tensor.warn(
            f"dropout3d: Received a {nd}-D input to dropout3d, which is deprecated and will "
            "result in an error in a future release. To retain the behavior and silence this "
            "warning, please use dropout instead. Note that dropout3d exists to provide "
            "channel-wise dropout on inputs with 3 spatial dimensions, a channel dimension, "
            "and an optional batch dimension (i.e. 4D or 5D inputs).")
    if nd != 5:
        x = api._unsqueeze_(input, 0) if inplace else api.unsqueeze(input, 0)
        out = _dropout(x, p, bool(training), bool(inplace), True)
        return api._squeeze_(out, 0) if inplace else api.squeeze(out, 0)
    return _dropout(input, p, bool(training), bool(inplace), True)


# ---- convolution -----------------------------------------------------------------------------


def _ints(value, n: int, name: str, fn: str) -> tuple:
    """An int or a sequence of n ints (torch's expand_param_if_needed for convolutions)."""
    if isinstance(value, bool):
        raise TorchTypeError(f"{fn}(): argument '{name}' must be tuple of ints, not bool")
    if isinstance(value, int):
        return (value,) * n
    if isinstance(value, list | tuple) and all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in value):
        if len(value) == 1:
            return tuple(value) * n
        if len(value) != n:
            raise TorchRuntimeError(
                f"expected {name} to be a single integer value or a list of {n} values to "
                f"match the convolution dimensions, but got {name}={list(value)}")
        return tuple(value)
    raise TorchTypeError(f"{fn}(): argument '{name}' must be tuple of ints, not "
                         f"{type(value).__name__}")


def _conv_args(fn: str, input, weight, bias, stride, dilation, groups, nd: int) -> tuple:
    """The checks a convolution and a transposed one share: tensors, the input's rank, and
    stride, dilation and groups as ints (returned)."""
    api._tensor_arg(input, fn)
    api._tensor_arg(weight, fn, "weight")
    if bias is not None:
        api._tensor_arg(bias, fn, "bias")
    if input.ndim not in (nd + 1, nd + 2):
        raise TorchRuntimeError(
            f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {fn}, but got "
            f"input of size: {list(input.shape)}")
    return (_ints(stride, nd, "stride", fn), _ints(dilation, nd, "dilation", fn),
            api._int(groups, fn, "groups"))


def _positive(stride, dilation, groups) -> None:
    if any(s <= 0 for s in stride):
        raise TorchRuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise TorchRuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise TorchRuntimeError("non-positive groups is not supported")


def _conv(input, weight, bias, stride, padding, dilation, groups, nd: int) -> Tensor:
    fn = f"conv{nd}d"
    stride, dilation, groups = _conv_args(fn, input, weight, bias, stride, dilation, groups,
                                          nd)
    same = False
    if isinstance(padding, str):
        if padding == "valid":
            padding = (0,) * nd
        elif padding == "same":
            same = True
        else:
            raise TorchRuntimeError(f"Invalid padding string: '{padding}'")
    else:
        padding = _ints(padding, nd, "padding", fn)
    if weight.ndim != nd + 2:
        raise TorchRuntimeError(
            f"Expected {nd + 2}-dimensional weight for {nd + 2}-dimensional input "
            f"{list(input.shape) if input.ndim == nd + 2 else [1, *input.shape]}, but got "
            f"{weight.ndim}-dimensional weight of size {list(weight.shape)} instead")
    _positive(stride, dilation, groups)
    batched = input.ndim == nd + 2
    x = input if batched else api.unsqueeze(input, 0)
    k = tuple(weight.shape[2:])
    if same:
        if any(s != 1 for s in stride):
            raise TorchRuntimeError("padding='same' is not supported for strided convolutions")
        total = [dilation[i] * (k[i] - 1) for i in range(nd)]
        left = [t // 2 for t in total]
        if any(t % 2 for t in total):
            _tensor.warn("Using padding='same' with even kernel lengths and odd dilation may "
                         "require a zero-padded copy of the input be created")
            pad_nd = [0] * (2 * nd)
            for i in range(nd):
                delta = total[i] - 2 * left[i]
                if delta > 0:
                    pad_nd[2 * (nd - 1 - i) + 1] = delta
            x = _ops.ConstantPadNdBackward0.apply(x, tuple(pad_nd), 0.0)
        padding = tuple(left)
    if any(p < 0 for p in padding):
        raise TorchRuntimeError("negative padding is not supported")
    cout, cin_g = weight.shape[0], weight.shape[1]
    if cout % groups:
        raise TorchRuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension "
            f"0, but got weight of size [{list(weight.shape)}] instead")
    if x.shape[1] != cin_g * groups:
        raise TorchRuntimeError(
            f"Given groups={groups}, weight of size {list(weight.shape)}, expected "
            f"input{list(x.shape)} to have {cin_g * groups} channels, but got {x.shape[1]} "
            f"channels instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != cout):
        raise TorchRuntimeError(
            f"Given weight of size {list(weight.shape)}, expected bias to be 1-dimensional "
            f"with {cout} elements, but got bias of size {list(bias.shape)} instead")
    padded = [x.shape[2 + i] + 2 * padding[i] for i in range(nd)]
    eff = [dilation[i] * (k[i] - 1) + 1 for i in range(nd)]
    if any(padded[i] < eff[i] for i in range(nd)):
        raise TorchRuntimeError(
            f"Calculated padded input size per channel: ({' x '.join(map(str, padded))}). "
            f"Kernel size: ({' x '.join(map(str, eff))}). Kernel size can't be greater than "
            "actual input size")
    for t in (weight, bias):
        if t is not None and t.dtype != x.dtype:
            what = "weight" if t is weight else "bias"
            if what == "weight":
                raise TorchRuntimeError(
                    f"Input type (torch.{x.dtype.legacy}Tensor) and weight type "
                    f"(torch.{t.dtype.legacy}Tensor) should be the same or input should be a "
                    "MKLDNN tensor and weight is a dense tensor")
            raise TorchRuntimeError(
                f"Input type ({x.dtype.legacy}) and bias type ({t.dtype.legacy}) should be "
                "the same")
    if not x.is_floating_point():
        raise TorchRuntimeError(f"\"slow_conv2d_cpu\" not implemented for '{x.dtype.legacy}'")
    out = _ops.ConvolutionBackward0.apply([x, weight, bias], stride, padding, dilation, groups)
    return out if batched else api.squeeze(out, 0)


def conv1d(input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, dilation=1,
           groups=1) -> Tensor:
    """The 1-D convolution (cross-correlation) of (N, C, L) or (C, L) with
    weight (C_out, C / groups, k)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 1)


def conv2d(input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, dilation=1,
           groups=1) -> Tensor:
    """The 2-D convolution (cross-correlation) of (N, C, H, W) or (C, H, W) with
    weight (C_out, C / groups, kh, kw)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 2)


def conv3d(input: Tensor, weight: Tensor, bias=None, stride=1, padding=0, dilation=1,
           groups=1) -> Tensor:
    """The 3-D convolution (cross-correlation) of (N, C, D, H, W) or (C, D, H, W) with
    weight (C_out, C / groups, kd, kh, kw)."""
    return _conv(input, weight, bias, stride, padding, dilation, groups, 3)


def _conv_transpose(input, weight, bias, stride, padding, output_padding, groups, dilation,
                    nd: int) -> Tensor:
    fn = f"conv_transpose{nd}d"
    stride, dilation, groups = _conv_args(fn, input, weight, bias, stride, dilation, groups,
                                          nd)
    padding = _ints(padding, nd, "padding", fn)
    output_padding = _ints(output_padding, nd, "output_padding", fn)
    if weight.ndim != nd + 2:
        raise TorchRuntimeError(
            f"Expected {nd + 2}-dimensional weight for {nd + 2}-dimensional input, but got "
            f"{weight.ndim}-dimensional weight of size {list(weight.shape)} instead")
    _positive(stride, dilation, groups)
    if any(p < 0 for p in padding):
        raise TorchRuntimeError("negative padding is not supported")
    if any(p < 0 for p in output_padding):
        raise TorchRuntimeError("negative output_padding is not supported")
    for i in range(nd):
        if output_padding[i] >= stride[i] and output_padding[i] >= dilation[i]:
            raise TorchRuntimeError(
                "output padding must be smaller than either stride or dilation, but got "
                f"output_padding_height: {output_padding[0]} output_padding_width: "
                f"{output_padding[-1]} stride_height: {stride[0]} stride_width: {stride[-1]} "
                f"dilation_height: {dilation[0]} dilation_width: {dilation[-1]}")
    batched = input.ndim == nd + 2
    x = input if batched else api.unsqueeze(input, 0)
    if weight.shape[0] != x.shape[1]:
        raise TorchRuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected input"
            f"{list(x.shape)} to have {weight.shape[0]} channels, but got {x.shape[1]} "
            "channels instead")
    if x.shape[1] % groups:
        raise TorchRuntimeError(
            f"Given groups={groups}, expected weight to be divisible by {groups} at dimension "
            f"0, but got weight of size [{list(weight.shape)}] instead")
    cout = weight.shape[1] * groups
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != cout):
        raise TorchRuntimeError(
            f"Given transposed=1, weight of size {list(weight.shape)}, expected bias to be "
            f"1-dimensional with {cout} elements, but got bias of size {list(bias.shape)} "
            "instead")
    size = x.shape[2:]
    k = weight.shape[2:]
    out = [(size[i] - 1) * stride[i] - 2 * padding[i] + dilation[i] * (k[i] - 1)
           + output_padding[i] + 1 for i in range(nd)]
    if any(v <= 0 for v in out):
        raise TorchRuntimeError(
            f"Given input size per channel: ({' x '.join(map(str, size))}). Calculated output "
            f"size per channel: ({' x '.join(map(str, out))}). Output size is too small")
    for t in (weight, bias):
        if t is not None and t.dtype != x.dtype:
            raise TorchRuntimeError(
                f"Input type (torch.{x.dtype.legacy}Tensor) and weight type "
                f"(torch.{t.dtype.legacy}Tensor) should be the same")
    if not x.is_floating_point():
        raise TorchRuntimeError(
            f"\"slow_conv_transpose2d_cpu\" not implemented for '{x.dtype.legacy}'")
    out = _ops.ConvolutionBackward0.apply([x, weight, bias], stride, padding, dilation, groups,
                                          output_padding)
    return out if batched else api.squeeze(out, 0)


def conv_transpose1d(input: Tensor, weight: Tensor, bias=None, stride=1, padding=0,
                     output_padding=0, groups=1, dilation=1) -> Tensor:
    """The 1-D transposed convolution of (N, C, L) or (C, L) with weight
    (C, C_out / groups, k): the gradient of conv1d with respect to its input."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 1)


def conv_transpose2d(input: Tensor, weight: Tensor, bias=None, stride=1, padding=0,
                     output_padding=0, groups=1, dilation=1) -> Tensor:
    """The 2-D transposed convolution of (N, C, H, W) or (C, H, W) with weight
    (C, C_out / groups, kh, kw): the gradient of conv2d with respect to its input."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 2)


def conv_transpose3d(input: Tensor, weight: Tensor, bias=None, stride=1, padding=0,
                     output_padding=0, groups=1, dilation=1) -> Tensor:
    """The 3-D transposed convolution of (N, C, D, H, W) or (C, D, H, W) with weight
    (C, C_out / groups, kd, kh, kw): the gradient of conv3d with respect to its input."""
    return _conv_transpose(input, weight, bias, stride, padding, output_padding, groups,
                           dilation, 3)


# ---- pooling ------------------------------------------------------------------------------


def _pool_ints(value, n: int, name: str, fn: str, default=None) -> tuple:
    if value is None or (isinstance(value, list | tuple) and len(value) == 0):
        return default
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * n
    if isinstance(value, list | tuple) and all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in value):
        if len(value) == 1:
            return tuple(value) * n
        if len(value) == n:
            return tuple(value)
        names = {"kernel_size": "kernel_size", "stride": "stride", "padding": "padding",
                 "dilation": "dilation"}
        raise TorchRuntimeError(f"{fn}: {names[name]} must either be a single int, or a "
                                f"tuple of {n} ints")
    raise TorchTypeError(f"{fn}(): argument '{name}' must be tuple of ints, not "
                         f"{type(value).__name__}")


def _pool2d_check(x: Tensor, k, s, p, d, fn: str, ceil_mode: bool) -> None:
    if x.ndim not in (3, 4) or any(v == 0 for v in x.shape[-3:]):
        raise TorchRuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    if any(v <= 0 for v in k):
        raise TorchRuntimeError(f"kernel size should be greater than zero, but got kH: {k[0]} "
                                f"kW: {k[1]}")
    if any(v <= 0 for v in s):
        raise TorchRuntimeError(f"stride should be greater than zero, but got dH: {s[0]} dW: "
                                f"{s[1]}")
    if any(v <= 0 for v in d):
        raise TorchRuntimeError(f"dilation should be greater than zero, but got dilationH: "
                                f"{d[0]} dilationW: {d[1]}")
    for i in range(2):
        if not p[i] <= ((k[i] - 1) * d[i] + 1) // 2:
            raise TorchRuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p[i]}, "
                f"kernel_size={k[i]} and dilation={d[i]}")
    H, W = x.shape[-2:]
    oh = _ops.pool_out(H, k[0], s[0], p[0], d[0], ceil_mode)
    ow = _ops.pool_out(W, k[1], s[1], p[1], d[1], ceil_mode)
    if oh < 1 or ow < 1:
        C = x.shape[-3]
        raise TorchRuntimeError(
            f"Given input size: ({C}x{H}x{W}). Calculated output size: ({C}x{oh}x{ow}). "
            "Output size is too small")


def _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode, fn):
    k = _pool_ints(kernel_size, 2, "kernel_size", fn)
    s = _pool_ints(stride, 2, "stride", fn, default=k)
    if any(v == 0 for v in s):
        raise TorchRuntimeError("stride should not be zero")
    p = _pool_ints(padding, 2, "padding", fn)
    d = _pool_ints(dilation, 2, "dilation", fn)
    _pool2d_check(input, k, s, p, d, fn, bool(ceil_mode))
    if not input.is_floating_point():
        raise TorchRuntimeError(f"\"max_pool2d\" not implemented for '{input.dtype.legacy}'")
    return _ops.MaxPool2DWithIndicesBackward0.apply(input, k, s, p, d, bool(ceil_mode))


def max_pool2d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode=False, return_indices=False):
    """The maximum over each kernel_size window of (N, C, H, W) or (C, H, W); with
    return_indices, also each maximum's flat index in its plane."""
    api._tensor_arg(input, "max_pool2d")
    out, idx = _max_pool2d(input, kernel_size, stride, padding, dilation, ceil_mode,
                           "max_pool2d")
    return (out, idx) if return_indices else out


def max_pool1d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode=False, return_indices=False):
    """The maximum over each window of (N, C, L) or (C, L): max_pool2d of a height-1 input."""
    api._tensor_arg(input, "max_pool1d")
    if input.ndim not in (2, 3) or any(v == 0 for v in input.shape[-2:]):
        raise TorchRuntimeError(f"max_pool1d() Expected 2D or 3D input tensor, but got "
                                f"{list(input.shape)}")

    def one(v, name, first, default=None):
        r = _pool_ints(v, 1, name, "max_pool1d", default)
        return None if r is None else (first,) + r

    k = one(kernel_size, "kernel_size", 1)
    s = one(stride, "stride", 1, k[1:])
    x = api.unsqueeze(input, -2)
    out, idx = _max_pool2d(x, k, s, one(padding, "padding", 0),
                           one(dilation, "dilation", 1), ceil_mode, "max_pool1d")
    out = api.squeeze(out, -2)
    return (out, api.squeeze(idx, -2)) if return_indices else out


def _avg_pool2d(input, k, s, p, ceil_mode, count_include_pad, divisor_override, fn):
    _pool2d_check(input, k, s, p, (1, 1), fn, bool(ceil_mode))
    if divisor_override is not None:
        divisor_override = api._int(divisor_override, fn, "divisor_override")
        if divisor_override == 0:
            raise TorchRuntimeError("divisor must be not zero")
    return _ops.AvgPool2DBackward0.apply(input, k, s, p, bool(ceil_mode),
                                         bool(count_include_pad), divisor_override)


def avg_pool2d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None) -> Tensor:
    """The mean of each kernel_size window of (N, C, H, W) or (C, H, W)."""
    api._tensor_arg(input, "avg_pool2d")
    k = _pool_ints(kernel_size, 2, "kernel_size", "avg_pool2d")
    s = _pool_ints(stride, 2, "stride", "avg_pool2d", default=k)
    p = _pool_ints(padding, 2, "padding", "avg_pool2d")
    return _avg_pool2d(input, k, s, p, ceil_mode, count_include_pad, divisor_override,
                       "avg_pool2d")


def avg_pool1d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True) -> Tensor:
    """The mean of each window of (N, C, L) or (C, L): avg_pool2d of a height-1 input."""
    api._tensor_arg(input, "avg_pool1d")
    if input.ndim not in (2, 3):
        raise TorchRuntimeError(f"avg_pool1d() Expected 2D or 3D input tensor, but got "
                                f"{list(input.shape)}")
    k = (1,) + _pool_ints(kernel_size, 1, "kernel_size", "avg_pool1d")
    s = (1,) + _pool_ints(stride, 1, "stride", "avg_pool1d", default=k[1:])
    p = (0,) + _pool_ints(padding, 1, "padding", "avg_pool1d")
    out = _avg_pool2d(api.unsqueeze(input, -2), k, s, p, ceil_mode, count_include_pad, None,
                      "avg_pool1d")
    return api.squeeze(out, -2)


def adaptive_avg_pool1d(input: Tensor, output_size) -> Tensor:
    """The 1-D adaptive mean, as torch computes it: a row of the 2-D one (unsqueezed at
    -2, pooled to (1, output_size), squeezed back)."""
    api._tensor_arg(input, "adaptive_avg_pool1d")
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != 1:
            raise TorchRuntimeError("adaptive_avg_pool1d(): argument 'output_size' must be "
                                    "tuple of ints of length 1")
        output_size = output_size[0]
    if input.dim() not in (2, 3):
        raise TorchRuntimeError(f"adaptive_avg_pool1d() argument 'input' (position 1) must "
                                f"be 2D or 3D, but got {input.dim()}D")
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, output_size)).squeeze(-2)


def adaptive_avg_pool2d(input: Tensor, output_size) -> Tensor:
    """The mean over the windows that split (H, W) into output_size cells (None: keep the
    input's size); an output of 1 x 1 is a mean over the last two dims, as in torch."""
    api._tensor_arg(input, "adaptive_avg_pool2d")
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        size = (output_size, output_size)
    elif isinstance(output_size, list | tuple):
        size = tuple(output_size)
    else:
        raise TorchTypeError(f"adaptive_avg_pool2d(): argument 'output_size' must be tuple of "
                             f"ints, not {type(output_size).__name__}")
    if input.ndim < 2:
        raise TorchIndexError(f"Dimension out of range (expected to be in range of "
                              f"[{-max(input.ndim, 1)}, {max(input.ndim, 1) - 1}], but got -2)")
    if len(size) != 2:
        raise TorchRuntimeError("adaptive_avg_pool2d: output_size must be 2")
    size = tuple(input.shape[-2 + i] if v is None else api._int(v, "adaptive_avg_pool2d",
                                                                 "output_size")
                 for i, v in enumerate(size))
    if input.ndim not in (3, 4):
        raise TorchRuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got "
                                f"{list(input.shape)}")
    if any(v < 0 for v in size):
        raise TorchRuntimeError(f"adaptive_avg_pool2d: elements of output_size must be greater "
                                f"than or equal to 0 but received {{{size[0]}, {size[1]}}}")
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise TorchRuntimeError(
                f"adaptive_avg_pool2d(): Expected input to have non-zero size for non-batch "
                f"dimensions, but input has sizes {list(input.shape)} with dimension {i} being "
                "empty")
    if size == (1, 1):
        return api.mean(input, (-1, -2), True)
    return _ops.AdaptiveAvgPool2DBackward0.apply(input, size)


def _adaptive_size(input: Tensor, output_size, fn: str) -> tuple:
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        size = (output_size, output_size)
    elif isinstance(output_size, list | tuple):
        size = tuple(output_size)
    else:
        raise TorchTypeError(f"{fn}(): argument 'output_size' must be tuple of ints, not "
                             f"{type(output_size).__name__}")
    if len(size) != 2:
        raise TorchRuntimeError(f"{fn}(): internal error: output_size.size() must be 2")
    if input.ndim not in (3, 4):
        raise TorchRuntimeError(f"{fn}(): Expected 3D or 4D tensor, but got "
                                f"{list(input.shape)}")
    size = tuple(input.shape[-2 + i] if v is None else api._int(v, fn, "output_size")
                 for i, v in enumerate(size))
    if any(v < 0 for v in size):
        raise TorchRuntimeError(f"{fn}(): elements of output_size must be greater than or "
                                f"equal to 0 but received {{{size[0]}, {size[1]}}}")
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise TorchRuntimeError(
                f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but "
                f"input has sizes {list(input.shape)} with dimension {i} being empty")
    return size


def adaptive_max_pool2d(input: Tensor, output_size, return_indices=False):
    """The maximum over the windows that split (H, W) into output_size cells (None: keep
    the input's size); with return_indices, also each maximum's flat index in its plane."""
    api._tensor_arg(input, "adaptive_max_pool2d")
    size = _adaptive_size(input, output_size, "adaptive_max_pool2d")
    out, idx = _ops.AdaptiveMaxPool2DBackward0.apply(input, size)
    return (out, idx) if return_indices else out


def adaptive_max_pool1d(input: Tensor, output_size, return_indices=False):
    """The 1-D adaptive maximum: a row of the 2-D one (unsqueezed at -2, pooled to
    (1, output_size), squeezed back)."""
    api._tensor_arg(input, "adaptive_max_pool1d")
    if isinstance(output_size, (tuple, list)):
        if len(output_size) != 1:
            raise TorchRuntimeError("adaptive_max_pool1d(): argument 'output_size' must be "
                                    "tuple of ints of length 1")
        output_size = output_size[0]
    if input.dim() not in (2, 3):
        raise TorchRuntimeError(f"adaptive_max_pool1d() argument 'input' (position 1) must "
                                f"be 2D or 3D, but got {input.dim()}D")
    out, idx = adaptive_max_pool2d(api.unsqueeze(input, -2), (1, output_size), True)
    out, idx = api.squeeze(out, -2), api.squeeze(idx, -2)
    return (out, idx) if return_indices else out


# ---- 3-D pooling (the kernels: engine/pool3d.py) -------------------------------------------


def _triple(value, fn: str, name: str, message: str, default=None) -> tuple:
    """An int or a sequence of 1 or 3 ints (torch's checks of the 3-D poolings)."""
    if value is None or (isinstance(value, list | tuple) and len(value) == 0):
        if default is not None:
            return default
        raise TorchRuntimeError(f"{fn}: {name} {message}")
    if isinstance(value, int) and not isinstance(value, bool):
        return (value,) * 3
    if isinstance(value, list | tuple) and all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in value):
        if len(value) == 1:
            return tuple(value) * 3
        if len(value) == 3:
            return tuple(value)
        raise TorchRuntimeError(f"{fn}: {name} {message}")
    raise TorchTypeError(f"{fn}(): argument '{name}' must be tuple of ints, not "
                         f"{type(value).__name__}")


def _pool3d_check(x: Tensor, k, s, p, d, ceil_mode: bool, avg: bool) -> tuple:
    if x.ndim not in (4, 5) or any(v == 0 for v in x.shape[-4:]):
        raise TorchRuntimeError("non-empty 4D or 5D (batch mode) tensor expected for input")
    for i in range(3):
        if k[i] > 0 and s[i] > 0 and not p[i] <= ((k[i] - 1) * d[i] + 1) // 2:
            raise TorchRuntimeError(
                f"pad should be at most half of effective kernel size, but got pad={p[i]}, "
                f"kernel_size={k[i]} and dilation={d[i]}")
    if any(v <= 0 for v in k):
        raise TorchRuntimeError(f"kernel size should be greater than zero, but got kT: {k[0]} "
                                f"kH: {k[1]} kW: {k[2]}")
    if any(v <= 0 for v in s):
        raise TorchRuntimeError(f"stride should be greater than zero, but got dT: {s[0]} dH: "
                                f"{s[1]} dW: {s[2]}")
    if any(v <= 0 for v in d):
        raise TorchRuntimeError(f"dilation should be greater than zero, but got dilationT: "
                                f"{d[0]} dilationH: {d[1]} dilationW: {d[2]}")
    T, H, W = x.shape[-3:]
    if avg and (T < k[0] or H < k[1] or W < k[2]):
        raise TorchRuntimeError(f"input image (T: {T} H: {H} W: {W}) smaller than kernel size "
                                f"(kT: {k[0]} kH: {k[1]} kW: {k[2]})")
    out = tuple(_ops.pool_out(x.shape[-3 + i], k[i], s[i], p[i], d[i], ceil_mode)
                for i in range(3))
    if any(v < 1 for v in out):
        C = x.shape[-4]
        raise TorchRuntimeError(
            f"Given input size: ({C}x{T}x{H}x{W}). Calculated output size: "
            f"({C}x{out[0]}x{out[1]}x{out[2]}). Output size is too small")
    return out


def max_pool3d(input: Tensor, kernel_size, stride=None, padding=0, dilation=1,
               ceil_mode=False, return_indices=False):
    """The maximum over each kernel_size window of (N, C, D, H, W) or (C, D, H, W); with
    return_indices, also each maximum's flat index in its volume."""
    api._tensor_arg(input, "max_pool3d")
    fn = "max_pool3d"
    k = _triple(kernel_size, fn, "kernel_size", "must either be a single int, or a tuple of "
                "three ints")
    s = _triple(stride, fn, "stride", "must either be omitted, a single int, or a tuple of "
                "three ints", default=k)
    p = _triple(padding, fn, "padding", "must either be a single int, or a tuple of three "
                "ints")
    d = _triple(dilation, fn, "dilation", "must be either a single int, or a tuple of three "
                "ints")
    _pool3d_check(input, k, s, p, d, bool(ceil_mode), False)
    if not input.is_floating_point():
        raise TorchRuntimeError(f"\"max_pool3d_with_indices_cpu\" not implemented for "
                                f"'{input.dtype.legacy}'")
    out, idx = pool3d.MaxPool3DWithIndicesBackward0.apply(input, k, s, p, d, bool(ceil_mode))
    return (out, idx) if return_indices else out


def avg_pool3d(input: Tensor, kernel_size, stride=None, padding=0, ceil_mode=False,
               count_include_pad=True, divisor_override=None) -> Tensor:
    """The mean of each kernel_size window of (N, C, D, H, W) or (C, D, H, W)."""
    api._tensor_arg(input, "avg_pool3d")
    fn = "avg_pool3d"
    k = _triple(kernel_size, fn, "kernel_size", "must be a single int, or a tuple of three "
                "ints")
    s = _triple(stride, fn, "stride", "must be omitted, a single int, or a tuple of three "
                "ints", default=k)
    p = _triple(padding, fn, "padding", "must be a single int, or a tuple of three ints")
    _pool3d_check(input, k, s, p, (1, 1, 1), bool(ceil_mode), True)
    if divisor_override is not None:
        divisor_override = api._int(divisor_override, fn, "divisor_override")
        if divisor_override == 0:
            raise TorchRuntimeError("divisor must be not zero")
    return pool3d.AvgPool3DBackward0.apply(input, k, s, p, bool(ceil_mode),
                                           bool(count_include_pad), divisor_override)


def _adaptive_size3d(input: Tensor, output_size, fn: str) -> tuple:
    if isinstance(output_size, int) and not isinstance(output_size, bool):
        size = (output_size,) * 3
    elif isinstance(output_size, list | tuple):
        size = tuple(output_size)
    else:
        raise TorchTypeError(f"{fn}(): argument 'output_size' must be tuple of ints, not "
                             f"{type(output_size).__name__}")
    if len(size) != 3:
        raise TorchRuntimeError(f"{fn}: output_size must be 3")
    if input.ndim not in (4, 5):
        raise TorchRuntimeError(f"{fn}(): Expected 4D or 5D tensor, but got "
                                f"{list(input.shape)}")
    size = tuple(input.shape[-3 + i] if v is None else api._int(v, fn, "output_size")
                 for i, v in enumerate(size))
    if any(v < 0 for v in size):
        raise TorchRuntimeError(f"{fn}(): elements of output_size must be greater than or "
                                f"equal to 0 but received {{{size[0]}, {size[1]}, {size[2]}}}")
    for i in range(1, input.ndim):
        if input.shape[i] == 0:
            raise TorchRuntimeError(
                f"{fn}(): Expected input to have non-zero size for non-batch dimensions, but "
                f"input has sizes {list(input.shape)} with dimension {i} being empty")
    return size


def adaptive_avg_pool3d(input: Tensor, output_size) -> Tensor:
    """The mean over the windows that split (D, H, W) into output_size cells (None: keep
    the input's size); an output of 1 x 1 x 1 is a mean over the last three dims."""
    api._tensor_arg(input, "adaptive_avg_pool3d")
    size = _adaptive_size3d(input, output_size, "adaptive_avg_pool3d")
    if size == (1, 1, 1):
        return api.mean(input, (-1, -2, -3), True)
    return pool3d.AdaptiveAvgPool3DBackward0.apply(input, size)


def adaptive_max_pool3d(input: Tensor, output_size, return_indices=False):
    """The maximum over the windows that split (D, H, W) into output_size cells; with
    return_indices, also each maximum's flat index in its volume."""
    api._tensor_arg(input, "adaptive_max_pool3d")
    size = _adaptive_size3d(input, output_size, "adaptive_max_pool3d")
    out, idx = pool3d.AdaptiveMaxPool3DBackward0.apply(input, size)
    return (out, idx) if return_indices else out


def _pair_args(fn: str, **values) -> list:
    out = []
    for name, v in values.items():
        if isinstance(v, int) and not isinstance(v, bool):
            out.append((v, v))
        elif isinstance(v, list | tuple) and len(v) == 2 and all(
                isinstance(e, int) and not isinstance(e, bool) for e in v):
            out.append(tuple(v))
        else:
            raise TorchTypeError(f"{fn}(): argument '{name}' must be tuple of ints, not "
                                 f"{type(v).__name__}")
    return out


def _blocks(size, k, d, p, s, fn: str) -> tuple:
    for name, v, low in (("kernel", k, 1), ("dilation", d, 1), ("stride", s, 1),
                         ("padding", p, 0)):
        if v[0] < low or v[1] < low:
            raise TorchRuntimeError(
                f"{name} should be greater than {'zero' if low else 'or equal to zero'}, but "
                f"got {name}_height: {v[0]} {name}_width: {v[1]}")
    out = tuple((size[i] + 2 * p[i] - (d[i] * (k[i] - 1) + 1)) // s[i] + 1 for i in range(2))
    if out[0] < 1 or out[1] < 1:
        raise TorchRuntimeError(
            f"Given input with spatial size ({size[0]}, {size[1]}), kernel_size=({k[0]}, "
            f"{k[1]}), dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), calculated shape "
            f"of the array of sliding blocks as ({out[0]}, {out[1]}), but its components must "
            "be at least one.")
    return out


def unfold(input: Tensor, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """The sliding kernel_size blocks of (N, C, H, W) or (C, H, W), as columns
    (N, C * kh * kw, L)."""
    api._tensor_arg(input, "unfold")
    k, d, p, s = _pair_args("unfold", kernel_size=kernel_size, dilation=dilation,
                            padding=padding, stride=stride)
    if input.ndim not in (3, 4) or any(v == 0 for v in input.shape[-3:]):
        raise TorchRuntimeError(
            f"Expected 3D or 4D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got: {list(input.shape)}")
    batched = input.ndim == 4
    x = input if batched else api.unsqueeze(input, 0)
    out = _blocks(x.shape[2:], k, d, p, s, "unfold")
    cols = _ops.Im2ColBackward0.apply(x, k, d, p, s, out)
    return cols if batched else api.squeeze(cols, 0)


def fold(input: Tensor, output_size, kernel_size, dilation=1, padding=0, stride=1) -> Tensor:
    """Columns (N, C * kh * kw, L) summed back into (N, C, *output_size): the adjoint of
    unfold."""
    api._tensor_arg(input, "fold")
    size, k, d, p, s = _pair_args("fold", output_size=output_size, kernel_size=kernel_size,
                                  dilation=dilation, padding=padding, stride=stride)
    if input.ndim not in (2, 3):
        raise TorchRuntimeError(
            f"Expected 2D or 3D (batch mode) tensor with optional 0 dim batch size for input, "
            f"but got: {list(input.shape)}")
    batched = input.ndim == 3
    x = input if batched else api.unsqueeze(input, 0)
    if x.shape[1] % (k[0] * k[1]):
        raise TorchRuntimeError(
            f"Expected size of input's dimension 1 to be divisible by the product of "
            f"kernel_size, but got input.size(1)={x.shape[1]} and kernel_size=({k[0]}, "
            f"{k[1]}).")
    out = _blocks(size, k, d, p, s, "fold")
    if x.shape[2] != out[0] * out[1]:
        raise TorchRuntimeError(
            f"Given output_size=({size[0]}, {size[1]}), kernel_size=({k[0]}, {k[1]}), "
            f"dilation=({d[0]}, {d[1]}), padding=({p[0]}, {p[1]}), stride=({s[0]}, {s[1]}), "
            f"expected size of input's dimension 2 to match the calculated number of sliding "
            f"blocks {out[0]} * {out[1]} = {out[0] * out[1]}, but got input.size(2)="
            f"{x.shape[2]}.")
    img = _ops.Col2ImBackward0.apply(x, size, k, d, p, s, out)
    return img if batched else api.squeeze(img, 0)


_ALIGN_WARNING = (
    "Default grid_sample and affine_grid behavior has changed to align_corners=False since "
    "1.3.0. Please specify align_corners=True if the old behavior is desired. See the "
    "documentation of grid_sample for details.")


def affine_grid(theta: Tensor, size, align_corners=None) -> Tensor:
    """The sampling grid (N, H, W, 2) of the affine maps theta (N, 2, 3) for an output of
    size (N, C, H, W)."""
    api._tensor_arg(theta, "affine_grid", "theta")
    if align_corners is None:
        _tensor.warn(_ALIGN_WARNING)
        align_corners = False
    if not theta.is_floating_point():
        raise TorchValueError(
            f"Expected theta to have floating point type, but got {theta.dtype}")
    if not isinstance(size, list | tuple | api.Size):
        raise TorchTypeError(f"affine_grid(): argument 'size' must be a list of ints, not "
                             f"{type(size).__name__}")
    if len(size) not in (4, 5):
        raise TorchNotImplementedError(
            f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
            f"respectively. Got size {list(size)}.")
    size = [api._int(v, "affine_grid", "size") for v in size]
    if len(size) != 4:
        raise TorchNotImplementedError(
            f"affine_grid only supports 4D and 5D sizes, for 2D and 3D affine transforms, "
            f"respectively. Got size {api.Size(size)}.")
    if theta.ndim != 3 or tuple(theta.shape[1:]) != (2, 3):
        raise TorchValueError(
            f"Expected a batch of 2D affine matrices of shape Nx2x3 for size "
            f"{api.Size(size)}. Got {theta.shape}.")
    if min(size) <= 0:
        raise TorchValueError(f"Expected non-zero, positive output size. Got {size}")
    if theta.shape[0] != size[0]:
        raise TorchRuntimeError(
            f"Expected size[0] to match theta's batch size {theta.shape[0]}, but got "
            f"{size[0]}")
    return _ops.AffineGridGeneratorBackward0.apply(theta, tuple(size), bool(align_corners))


def grid_sample(input: Tensor, grid: Tensor, mode="bilinear", padding_mode="zeros",
                align_corners=None) -> Tensor:
    """input (N, C, H, W) read at the grid's (x, y) locations in [-1, 1] (N, Ho, Wo, 2)."""
    api._tensor_arg(input, "grid_sample")
    api._tensor_arg(grid, "grid_sample", "grid")
    if mode not in ("bilinear", "nearest", "bicubic"):
        raise TorchValueError(
            f"nn.functional.grid_sample(): expected mode to be 'bilinear', 'nearest' or "
            f"'bicubic', but got: '{mode}'")
    if padding_mode not in ("zeros", "border", "reflection"):
        raise TorchValueError(
            f"nn.functional.grid_sample(): expected padding_mode to be 'zeros', 'border', or "
            f"'reflection', but got: '{padding_mode}'")
    if mode == "bicubic":
        raise TorchNotImplementedError("grid_sample(mode='bicubic') is not supported by adcli")
    if align_corners is None:
        _tensor.warn(_ALIGN_WARNING)
        align_corners = False
    if input.ndim != 4 or grid.ndim != 4 or grid.shape[-1] != 2:
        raise TorchRuntimeError(
            f"grid_sampler(): expected 4D input and grid with same number of dimensions, but "
            f"got input with sizes {list(input.shape)} and grid with sizes "
            f"{list(grid.shape)}")
    if input.shape[0] != grid.shape[0]:
        raise TorchRuntimeError(
            f"grid_sampler(): expected grid and input to have same batch size, but got input "
            f"with sizes {list(input.shape)} and grid with sizes {list(grid.shape)}")
    if input.dtype is not grid.dtype:
        raise TorchRuntimeError(
            f"grid_sampler(): expected input and grid to have same dtype, but input has "
            f"{input.dtype} and grid has {grid.dtype}")
    return _ops.GridSampler2DBackward0.apply([input, grid], mode, padding_mode,
                                             bool(align_corners))


# ---- normalisation -----------------------------------------------------------------------


def batch_norm(input: Tensor, running_mean, running_var, weight=None, bias=None,
               training=False, momentum=0.1, eps=1e-05) -> Tensor:
    """Normalise each channel (dim 1) by the batch's mean and biased variance (training:
    the running stats, if given, move toward the batch's, with the unbiased variance) or by
    the running stats (evaluation); then scale by weight and shift by bias."""
    api._tensor_arg(input, "batch_norm")
    for t, name in ((running_mean, "running_mean"), (running_var, "running_var"),
                    (weight, "weight"), (bias, "bias")):
        if t is not None:
            api._tensor_arg(t, "batch_norm", name)
    size = list(input.shape)
    if training:
        prod = size[0]
        for v in size[2:]:
            prod *= v
        if prod == 1:
            raise TorchValueError(f"Expected more than 1 value per channel when training, got "
                                  f"input size {api.Size(size)}")
    eps = float(eps)
    if training and eps <= 0.0:
        raise TorchValueError(f"batch_norm eps must be positive during training, but got {eps}")
    if eps < 0.0:
        raise TorchValueError(f"batch_norm eps must be non-negative, but got {eps}")
    C = size[1] if len(size) > 1 else 0
    for t, name in ((running_mean, "running_mean"), (running_var, "running_var"),
                    (weight, "weight"), (bias, "bias")):
        if t is not None and t.numel() != C:
            raise TorchRuntimeError(f"{name} should contain {C} elements not {t.numel()}")
        if t is None and not training and name.startswith("running"):
            raise TorchRuntimeError(f"{name} must be defined in evaluation mode")
    if not input.is_floating_point():
        raise TorchRuntimeError(f"\"batch_norm\" not implemented for '{input.dtype.legacy}'")
    arrays = [input, weight, bias]
    out = _ops.NativeBatchNormBackward0.apply(arrays, running_mean, running_var,
                                              bool(training), float(momentum), eps)
    if training:
        for t in (running_mean, running_var):
            if t is not None:
                _tensor.bump(t)
    return out


def group_norm(input: Tensor, num_groups: int, weight=None, bias=None, eps=1e-05) -> Tensor:
    """Normalise each sample's channels in num_groups groups by the group's mean and biased
    variance, then scale by weight and shift by bias (one per channel)."""
    api._tensor_arg(input, "group_norm")
    if input.ndim < 2:
        raise TorchRuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    groups = api._int(num_groups, "group_norm", "num_groups")
    c = input.shape[1]
    if groups <= 0 or c % groups:
        raise TorchRuntimeError(
            f"Expected number of channels in input to be divisible by num_groups, but got "
            f"input of shape {list(input.shape)} and num_groups={groups}")
    for t, name in ((weight, "weight"), (bias, "bias")):
        if t is not None:
            api._tensor_arg(t, "group_norm", name)
            if t.ndim != 1 or t.shape[0] != c:
                raise TorchRuntimeError(
                    f"Expected {name} to be a vector of size equal to the number of channels in "
                    f"input, but got {name} of shape {list(t.shape)} and input of shape "
                    f"{list(input.shape)}")
    if not input.is_floating_point():
        raise TorchRuntimeError(
            f"\"GroupNormKernelImpl\" not implemented for '{input.dtype.legacy}'")
    return _ops.NativeGroupNormBackward0.apply([input, weight, bias], groups, float(eps))


def instance_norm(input: Tensor, running_mean=None, running_var=None, weight=None, bias=None,
                  use_input_stats=True, momentum=0.1, eps=1e-05) -> Tensor:
    """Normalise each channel of each sample on its own: batch_norm over (1, N * C, ...),
    with weight, bias and the running statistics repeated per sample (the running
    statistics then take the samples' mean)."""
    api._tensor_arg(input, "instance_norm")
    if input.ndim < 2:
        raise TorchRuntimeError(
            f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    if use_input_stats:
        size = list(input.shape)
        spatial = 1
        for v in size[2:]:
            spatial *= v
        if spatial == 1:
            raise TorchValueError(
                f"Expected more than 1 spatial element when training, got input size "
                f"{api.Size(size)}")
    n, c = input.shape[:2]

    def repeated(t):
        return None if t is None else api.repeat(t, n)

    x = api.view(input.contiguous(), [1, n * c, *input.shape[2:]])
    rm, rv = repeated(running_mean), repeated(running_var)
    out = batch_norm(x, rm, rv, repeated(weight), repeated(bias), bool(use_input_stats),
                     momentum, eps)
    with api.no_grad():
        if running_mean is not None:
            running_mean.copy_(api.mean(api.view(rm, [n, c]), 0))
        if running_var is not None:
            running_var.copy_(api.mean(api.view(rv, [n, c]), 0))
    return api.view(out, list(input.shape))


def rms_norm(input: Tensor, normalized_shape, weight=None, eps=None) -> Tensor:
    """input / sqrt(mean(input ** 2) + eps) over the last dims, times weight; composed as
    ATen composes it (eps defaults to the dtype's machine epsilon)."""
    api._tensor_arg(input, "rms_norm")
    if isinstance(normalized_shape, int) and not isinstance(normalized_shape, bool):
        normalized_shape = (normalized_shape,)
    if not isinstance(normalized_shape, list | tuple | api.Size) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in normalized_shape):
        raise TorchTypeError(f"rms_norm(): argument 'normalized_shape' (position 2) must be "
                             f"tuple of ints, not {type(normalized_shape).__name__}")
    nshape = tuple(normalized_shape)
    n = len(nshape)
    if input.ndim < n or tuple(input.shape[input.ndim - n:]) != nshape:
        expected = ", ".join(["*"] + [str(v) for v in nshape])
        raise TorchRuntimeError(
            f"Given normalized_shape={list(nshape)}, expected input with shape [{expected}], "
            f"but got input of size{list(input.shape)}")
    if weight is not None:
        api._tensor_arg(weight, "rms_norm", "weight")
    if eps is None:
        eps = float(np.finfo(input.dtype.np).eps)
    dims = [input.ndim - i - 1 for i in range(n)]
    scale = api.rsqrt(api._add_(api.mean(api.pow(input, 2), dims, True), eps))
    out = api.mul(input, scale)
    return out if weight is None else api.mul(out, weight)


def layer_norm(input: Tensor, normalized_shape, weight=None, bias=None, eps=1e-05) -> Tensor:
    """Normalise over the last len(normalized_shape) dims by their mean and biased
    variance, then scale by weight and shift by bias (each of normalized_shape)."""
    api._tensor_arg(input, "layer_norm")
    if not isinstance(normalized_shape, list | tuple | api.Size) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in normalized_shape):
        raise TorchTypeError(f"layer_norm(): argument 'normalized_shape' (position 2) must be "
                             f"tuple of ints, not {type(normalized_shape).__name__}")
    nshape = tuple(normalized_shape)
    for t, name in ((weight, "weight"), (bias, "bias")):
        if t is not None:
            api._tensor_arg(t, "layer_norm", name)
            if tuple(t.shape) != nshape:
                raise TorchRuntimeError(
                    f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                    f"shape {list(t.shape)} and normalized_shape = {list(nshape)}")
    if not nshape:
        raise TorchRuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., "
                                "containing at least one element, but got normalized_shape = []")
    n = len(nshape)
    if input.ndim < n or tuple(input.shape[input.ndim - n:]) != nshape:
        expected = ", ".join(["*"] + [str(v) for v in nshape])
        raise TorchRuntimeError(
            f"Given normalized_shape={list(nshape)}, expected input with shape [{expected}], "
            f"but got input of size{list(input.shape)}")
    if not input.is_floating_point():
        raise TorchRuntimeError(f"\"LayerNormKernelImpl\" not implemented for "
                                f"'{input.dtype.legacy}'")
    return _ops.NativeLayerNormBackward0.apply([input, weight, bias], nshape, float(eps))


# ---- embedding -----------------------------------------------------------------------------


def embedding(input: Tensor, weight: Tensor, padding_idx=None, max_norm=None, norm_type=2.0,
              scale_grad_by_freq=False, sparse=False) -> Tensor:
    """The rows of weight at the indices in input; the padding_idx row gets no gradient."""
    api._tensor_arg(input, "embedding")
    api._tensor_arg(weight, "embedding", "weight")
    num = weight.shape[0] if weight.ndim else 0
    if padding_idx is not None:
        padding_idx = api._int(padding_idx, "embedding", "padding_idx")
        if padding_idx > 0 and padding_idx >= num or padding_idx < -num:
            raise TorchAssertionError("Padding_idx must be within num_embeddings")
        if padding_idx < 0:
            padding_idx += num
    else:
        padding_idx = -1
    if sparse or scale_grad_by_freq:
        raise TorchNotImplementedError("embedding(): sparse and scale_grad_by_freq are not "
                                       "supported by adcli")
    idx = input._data
    if idx.dtype not in (np.int64, np.int32):
        raise TorchRuntimeError(
            "Expected tensor for argument #1 'indices' to have one of the following scalar "
            f"types: Long, Int; but got torch.{input.dtype.legacy}Tensor instead (while "
            "checking arguments for embedding)")
    if weight.ndim != 2:
        raise TorchRuntimeError("'weight' must be 2-D")
    if idx.size and (idx.min() < 0 or idx.max() >= num):
        raise TorchIndexError("index out of range in self")
    check_elements(idx.size * weight.shape[1])
    if max_norm is not None:
        _embedding_renorm(weight, idx, float(max_norm), float(norm_type))
    return _ops.EmbeddingBackward0.apply(weight, idx.astype(np.int64), padding_idx)


def _embedding_renorm(weight: Tensor, idx: np.ndarray, max_norm: float, p: float) -> None:
    """torch.embedding_renorm_: rows used whose p-norm exceeds max_norm are scaled to it,
    in place and without recording."""
    w = weight._data
    for i in np.unique(idx):
        row = w[i].astype(np.float64)
        norm = np.abs(row).max() if p == np.inf else (np.abs(row) ** p).sum() ** (1 / p)
        if norm > max_norm:
            w[i] = (w[i] * np.asarray(max_norm / (norm + 1e-7), w.dtype)).astype(w.dtype)
    _tensor.bump(weight)


def embedding_bag(input: Tensor, weight: Tensor, offsets=None, max_norm=None, norm_type=2,
                  scale_grad_by_freq=False, mode="mean", sparse=False, per_sample_weights=None,
                  include_last_offset=False, padding_idx=None) -> Tensor:
    """The sums, means or maxima of bags of rows of weight: the bags are the rows of a 2-D
    input, or the runs of a 1-D input that start at offsets."""
    for arg, attr in ((weight, "dtype"), (input, "dim")):
        if not isinstance(arg, Tensor):
            raise TorchAttributeError(f"'{type(arg).__name__}' object has no attribute "
                                      f"'{attr}'")
    if weight.dtype.name == "int64" and input.is_floating_point():
        _tensor.warn("Argument order of nn.functional.embedding_bag was changed. Usage "
                     "`embedding_bag(weight, input, ...)` is deprecated, and should now be "
                     "`embedding_bag(input, weight, ...)`.")
        weight, input = input, weight
    if per_sample_weights is not None:
        api._tensor_arg(per_sample_weights, "embedding_bag", "per_sample_weights")
        if input.shape != per_sample_weights.shape:
            raise TorchValueError(
                f"embedding_bag: If per_sample_weights ({per_sample_weights.shape}) is not "
                f"None, then it must have the same shape as the input ({input.shape})")
    if weight.ndim != 2:
        raise TorchValueError(f"weight has to be a 2D Tensor, but got Tensor of dimension "
                              f"{weight.ndim}")
    if input.ndim == 2:
        if offsets is not None:
            kind = "torch.Tensor" if isinstance(offsets, Tensor) else type(offsets).__name__
            raise TorchValueError(
                "if input is 2D, then offsets has to be None, as input is treated is a "
                "mini-batch of fixed length sequences. However, found offsets of type "
                f"<class '{kind}'>")
        rows, cols = input.shape
        starts = np.arange(0, rows * cols, cols if cols else 1, dtype=np.int64)[:rows]
        include_last_offset = False
        flat_psw = None if per_sample_weights is None else per_sample_weights.reshape(-1)
        flat = input._data.reshape(-1)
    elif input.ndim == 1:
        if offsets is None:
            raise TorchValueError("offsets has to be a 1D Tensor but got None")
        if not isinstance(offsets, Tensor):
            raise TorchAttributeError(f"'{type(offsets).__name__}' object has no attribute "
                                      "'dim'")
        if offsets.ndim != 1:
            raise TorchValueError("offsets has to be a 1D Tensor")
        starts = offsets._data
        flat, flat_psw = input._data, per_sample_weights
    else:
        raise TorchValueError(f"input has to be 1D or 2D Tensor, but got Tensor of dimension "
                              f"{input.ndim}")
    modes = {"sum": 0, "mean": 1, "max": 2}
    if mode not in modes:
        raise TorchValueError("mode has to be one of sum, mean or max")
    if mode == "max" and scale_grad_by_freq:
        raise TorchValueError("max mode does not support scaling the gradient by the frequency")
    if mode == "max" and sparse:
        raise TorchValueError("max mode does not support sparse weights")
    if sparse:
        raise TorchNotImplementedError("embedding_bag(): sparse gradients are not supported by "
                                       "adcli")
    for t, what in ((flat, input), (starts, offsets)):
        if t.dtype not in (np.int64, np.int32):  # torch names both 'indices'
            raise TorchRuntimeError(
                "Expected tensor for argument #1 'indices' to have one of the following "
                f"scalar types: Long, Int; but got torch.{what.dtype.legacy}Tensor instead "
                "(while checking arguments for embedding_bag)")
    if max_norm is not None:
        _embedding_renorm(weight, flat.astype(np.int64), float(max_norm), float(norm_type))
    if per_sample_weights is not None and mode != "sum":
        raise TorchNotImplementedError(
            "embedding_bag: per_sample_weights was not None. per_sample_weights is only "
            f"supported for mode='sum' (got mode='{mode}'). Please open a feature request on "
            "GitHub.")
    num = weight.shape[0]
    if padding_idx is not None:
        padding_idx = api._int(padding_idx, "embedding_bag", "padding_idx")
        if not -num <= padding_idx < num:
            raise TorchRuntimeError(f"padding_idx must be within the number of embeddings, "
                                    f"-{num} through {num - 1}, but got {padding_idx}")
        padding_idx %= num
    idx = flat.astype(np.int64)
    bad = np.flatnonzero((idx < 0) | (idx >= num))
    if bad.size:
        i = int(bad[0])
        raise TorchRuntimeError(f"Index {i} of input takes value {idx[i]} which is not in the "
                                f"valid range [0, {num})")
    starts = starts.astype(np.int64)
    if starts.size:
        if starts[0] != 0:
            raise TorchRuntimeError(
                "offsets[0] has to be 0, i.e., the first sequence in the mini-batch has to "
                f"start from position 0. However, got {starts[0]}\n[ torch.LongTensor{{}} ]")
        if starts[-1] > idx.size:
            raise TorchRuntimeError(
                f"offsets[-1] can not be greater than input's length {idx.size} but got "
                f"offsets[-1] of {starts[-1]}")
    n_bags = max(starts.size - 1, 0) if include_last_offset else starts.size
    check_elements(n_bags * weight.shape[1])
    ends = np.append(starts[1:], idx.size)[:n_bags] if n_bags else starts[:0]
    bag_of = np.full(idx.size, -1, np.int64)
    for b in range(n_bags):
        bag_of[starts[b]:max(ends[b], starts[b])] = b
    used = bag_of >= 0
    if not used.all():  # indices after the last bag's end (include_last_offset)
        idx, bag_of = idx[used], bag_of[used]
        flat_psw = None if flat_psw is None else flat_psw[api.tensor(used)]
    _no_forward_ad("_embedding_bag", weight, flat_psw)
    return nn_extra.EmbeddingBagBackward0.apply(
        [weight, flat_psw], idx, bag_of, n_bags, modes[mode], padding_idx,
        bool(scale_grad_by_freq))


# ---- the less common layers (their grad_fns: engine/nn_extra.py) ------------------------------


def _no_forward_ad(name: str, *tensors) -> None:
    """torch's refusal of forward AD for the ops derivatives.yaml gives no forward formula."""
    level = _tensor._FWD[0]
    if level is not None and any(isinstance(t, Tensor) and level.tangent_of(t) is not None
                                 for t in tensors):
        raise TorchNotImplementedError(
            f"Trying to use forward AD with {name} that does not support it because it has "
            "not been implemented yet.\nPlease file an issue to PyTorch at "
            "https://github.com/pytorch/pytorch/issues/new?template=feature-request.yml so "
            "that we can prioritize its implementation or submit a PR adding the "
            "implementation to derivatives.yaml")


def rrelu(input: Tensor, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False) -> Tensor:
    """Randomized leaky ReLU: in training a slope drawn from U(lower, upper) for each
    non-positive element, in eval the slope (lower + upper) / 2."""
    api._tensor_arg_at(input, "rrelu", "input", 1)
    lower, upper = float(_ops._number(lower)), float(_ops._number(upper))
    if not input.is_floating_point():
        raise TorchNotImplementedError(f"\"leaky_relu_cpu\" not implemented for "
                                       f"'{input.dtype.legacy}'")
    if training and lower > upper:
        raise TorchRuntimeError("Lower bound should be less than or equal to the upper bound")
    noise = None
    if training:  # one double uniform per non-positive element, in order (ATen's loop)
        x = input._data
        neg = x <= 0
        noise = np.ones(x.shape, x.dtype)
        n = int(neg.sum())
        if n:
            r = api._default()._unit64(n) * (upper - lower) + lower
            noise[neg] = r.astype(x.dtype)
    args = (lower, upper, noise)
    if inplace:
        return _ops.inplace(input, nn_extra.RreluWithNoiseBackward1, *args)
    return nn_extra.RreluWithNoiseBackward0.apply(input, *args)


def rrelu_(input: Tensor, lower=1.0 / 8, upper=1.0 / 3, training=False) -> Tensor:
    return rrelu(input, lower, upper, training, True)


_ALPHA_DROPOUT = 1.7580993408473766  # ATen's alpha_dropout constant: SELU's alpha * scale


def _alpha_dropout(input: Tensor, p, training, inplace, feature: bool) -> Tensor:
    """ATen's _dropout_impl with alpha_dropout: input * a * noise + b, where the noise is
    bernoulli(1 - p) (per channel for feature), a = 1 / sqrt((alpha^2 p + 1)(1 - p)) and
    b = (noise - 1) * alpha * a + alpha * a * p keep the mean and variance of SELU units."""
    p = _dropout_p(p)
    if p == 0 or not training or input.numel() == 0:
        return input
    if p == 1:
        zero = api.zeros((), dtype=input.dtype)
        return api._mul_(input, zero) if inplace else api.mul(input, zero)
    if not input.is_floating_point():
        raise TorchRuntimeError(f"result type Float can't be cast to the desired output type "
                                f"{input.dtype.legacy}")
    shape = tuple(input.shape)
    if feature:
        if input.ndim < 2:
            raise TorchRuntimeError("Feature dropout requires at least 2 dimensions in the "
                                    "input")
        shape = shape[:2] + (1,) * (input.ndim - 2)
    check_elements(_prod(shape))
    d = input._data.dtype
    noise = api._default().bernoulli_scalar(shape, 1 - p, d)
    a = 1.0 / np.sqrt((_ALPHA_DROPOUT * _ALPHA_DROPOUT * p + 1) * (1 - p))
    b = (noise + d.type(-1)) * d.type(_ALPHA_DROPOUT * a) + d.type(_ALPHA_DROPOUT * a * p)
    noise = noise * d.type(a)
    out = api._mul_(input, _wrap(noise)) if inplace else api.mul(input, _wrap(noise))
    return api._add_(out, _wrap(b.astype(d)))


def alpha_dropout(input: Tensor, p=0.5, training=False, inplace=False) -> Tensor:
    """Dropout that keeps SELU's self-normalisation: dropped units are set to SELU's
    negative saturation, then an affine map restores the mean and variance."""
    api._tensor_arg(input, "alpha_dropout")
    return _alpha_dropout(input, p, training, inplace, False)


def feature_alpha_dropout(input: Tensor, p=0.5, training=False, inplace=False) -> Tensor:
    """alpha_dropout of whole channels of (N, C, ...)."""
    api._tensor_arg(input, "feature_alpha_dropout")
    return _alpha_dropout(input, p, training, inplace, True)


def channel_shuffle(input: Tensor, groups) -> Tensor:
    """The channels of (N, C, *) split into groups and interleaved: (g, C / g) -> (C / g, g)."""
    api._tensor_arg_at(input, "channel_shuffle", "input", 1)
    if isinstance(groups, bool) or not isinstance(groups, int):
        raise TorchTypeError(f"channel_shuffle(): argument 'groups' (position 2) must be int, "
                             f"not {type(groups).__name__}")
    if input.ndim <= 2:
        raise TorchRuntimeError(f"channel_shuffle expects input with > 2 dims, but got input "
                                f"with sizes {list(input.shape)}")
    if groups <= 0:
        raise TorchRuntimeError(f"Number of groups to divide channels in must be positive. "
                                f"Value of groups:{groups}")
    c = input.shape[1]
    if c % groups:
        raise TorchRuntimeError(f"Number of channels must be divisible by groups. Got {c} "
                                f"channels and {groups} groups.")
    return nn_extra.ChannelShuffleBackward0.apply(input, groups)


def _lp_pool(input: Tensor, norm_type, kernel_size, stride, ceil_mode, nd: int) -> Tensor:
    fn = f"lp_pool{nd}d"
    api._tensor_arg(input, fn)
    pool = {1: max_pool1d, 2: max_pool2d, 3: max_pool3d}[nd]
    if isinstance(norm_type, int | float) and not isinstance(norm_type, bool):
        if norm_type == float("inf"):
            return pool(api.abs(input), kernel_size, stride, 0, 1, ceil_mode)
        if norm_type == -float("inf"):
            return api.neg(pool(api.neg(api.abs(input)), kernel_size, stride, 0, 1,
                                ceil_mode))
    avg = {1: avg_pool1d, 2: avg_pool2d, 3: avg_pool3d}[nd]
    out = avg(api.pow(input, norm_type), kernel_size, stride, 0, ceil_mode)
    if nd == 1:
        count = kernel_size
    else:
        sizes = (kernel_size,) * nd if isinstance(kernel_size, int) else tuple(kernel_size)
        if len(sizes) == 1:
            sizes = sizes * nd
        count = 1
        for v in sizes:
            count *= v
    mag = api.mul(api.sign(out), relu(api.abs(out)))
    return api.pow(api.mul(mag, count), 1.0 / norm_type)


def lp_pool1d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode=False) -> Tensor:
    """The p-norm of each window of (N, C, L): (sum of x ** p) ** (1 / p)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 1)


def lp_pool2d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode=False) -> Tensor:
    """The p-norm of each window of (N, C, H, W): (sum of x ** p) ** (1 / p)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 2)


def lp_pool3d(input: Tensor, norm_type, kernel_size, stride=None, ceil_mode=False) -> Tensor:
    """The p-norm of each window of (N, C, D, H, W): (sum of x ** p) ** (1 / p)."""
    return _lp_pool(input, norm_type, kernel_size, stride, ceil_mode, 3)


def _unpool_size(input: Tensor, k, s, p, output_size) -> tuple:
    n = len(k)
    default = [(input.shape[-n + d] - 1) * s[d] + k[d] - 2 * p[d] for d in range(n)]
    if output_size is None:
        return tuple(default)
    size = list(output_size.tolist() if isinstance(output_size, Tensor) else output_size)
    if len(size) == n + 2:
        size = size[2:]
    if len(size) != n:
        raise TorchValueError(f"output_size should be a sequence containing {n} or {n + 2} "
                              f"elements, but it has a length of '{len(size)}'")
    for d in range(n):
        lo, hi = default[d] - s[d], default[d] + s[d]
        if not lo < size[d] < hi:
            raise TorchValueError(f"invalid output_size \"{output_size!r}\" (dim {d} must be "
                                  f"between {lo} and {hi})")
    return tuple(int(v) for v in size)


def _max_unpool2d(input: Tensor, indices: Tensor, size: tuple) -> Tensor:
    api._tensor_arg_at(indices, "max_unpool2d", "indices", 2)
    if indices.dtype.name != "int64":
        raise TorchRuntimeError(f"elements in indices should be type int64 but got: "
                                f"{indices.dtype.legacy}")
    if len(size) != 2:
        raise TorchRuntimeError(f"There should be exactly two elements (height, width) in "
                                f"output_size, but got {len(size)} elements.")
    if input.ndim not in (3, 4):
        raise TorchRuntimeError(f"Input to max_unpooling2d should be a 3d or 4d Tensor, but "
                                f"got a tensor with {input.ndim} dimensions.")
    if input.shape != indices.shape:
        raise TorchRuntimeError(
            f"Expected shape of indices to be same as that of the input tensor "
            f"({list(input.shape)}) but got indices tensor with shape: "
            f"{list(indices.shape)}")
    oh, ow = size
    check_elements(_prod(input.shape[:-2]) * oh * ow)
    idx = indices._data
    bad = (idx < 0) | (idx >= oh * ow)
    if bad.any():
        raise TorchRuntimeError(f"Found an invalid max index: {idx[bad].flat[-1]} (output "
                                f"volumes are of size {oh}x{ow})")
    return nn_extra.MaxUnpool2DBackward0.apply(input, idx, (oh, ow))


def max_unpool3d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """max_pool3d's partial inverse: each value put back at its index, zeros elsewhere."""
    api._tensor_arg(input, "max_unpool3d")
    api._tensor_arg_at(indices, "max_unpool3d", "indices", 2)
    k = _pool_ints(kernel_size, 3, "kernel_size", "max_unpool3d")
    s = k if stride is None else _pool_ints(stride, 3, "stride", "max_unpool3d")
    p = _pool_ints(padding, 3, "padding", "max_unpool3d")
    size = _unpool_size(input, k, s, p, output_size)
    if indices.dtype.name != "int64":
        raise TorchRuntimeError("elements in indices should be type int64")
    if input.ndim not in (4, 5):
        raise TorchRuntimeError(f"Input to max_unpooling3d should be a 4d or 5d Tensor, but "
                                f"got a tensor with {input.ndim} dimensions.")
    if any(v <= 0 for v in s):
        raise TorchRuntimeError(f"strides should be greater than zero, but got stride: "
                                f"{list(s)}")
    if input.shape != indices.shape:
        raise TorchRuntimeError(
            f"Expected shape of indices to be same as that of the input tensor "
            f"({list(input.shape)}) but got indices tensor with shape: "
            f"{list(indices.shape)}")
    check_elements(_prod(input.shape[:-3]) * _prod(size))
    idx = indices._data
    bad = (idx < 0) | (idx >= _prod(size))
    if bad.any():
        raise TorchRuntimeError(f"Found an invalid max index: {idx[bad].flat[-1]} (output "
                                f"volumes are of size {size[0]}x{size[1]}x{size[2]})")
    return nn_extra.MaxUnpool3DBackward0.apply(input, idx, size)


def max_unpool1d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """max_pool1d's partial inverse: each value put back at its index, zeros elsewhere."""
    api._tensor_arg(input, "max_unpool1d")
    k = _pool_ints(kernel_size, 1, "kernel_size", "max_unpool1d")
    s = k if stride is None else _pool_ints(stride, 1, "stride", "max_unpool1d")
    p = _pool_ints(padding, 1, "padding", "max_unpool1d")
    size = _unpool_size(input, k, s, p, output_size) + (1,)
    out = _max_unpool2d(api.unsqueeze(input, -1), api.unsqueeze(indices, -1), size)
    return api.squeeze(out, -1)


def max_unpool2d(input: Tensor, indices: Tensor, kernel_size, stride=None, padding=0,
                 output_size=None) -> Tensor:
    """max_pool2d's partial inverse: each value put back at its index, zeros elsewhere."""
    api._tensor_arg(input, "max_unpool2d")
    k = _pool_ints(kernel_size, 2, "kernel_size", "max_unpool2d")
    s = k if stride is None else _pool_ints(stride, 2, "stride", "max_unpool2d")
    p = _pool_ints(padding, 2, "padding", "max_unpool2d")
    return _max_unpool2d(input, indices, _unpool_size(input, k, s, p, output_size))


def local_response_norm(input: Tensor, size: int, alpha=1e-4, beta=0.75, k=1.0) -> Tensor:
    """input / (k + alpha * mean of input ** 2 over size neighbouring channels) ** beta."""
    api._tensor_arg(input, "local_response_norm")
    dim = input.ndim
    if dim < 3:
        raise TorchValueError(f"Expected 3D or higher dimensionality                          "
                              f"input (got {dim} dimensions)")
    if input.numel() == 0:
        return input
    div = api.mul(input, input)
    if dim == 3:
        div = api.unsqueeze(div, 1)
        div = pad(div, (0, 0, size // 2, (size - 1) // 2))
        div = api.squeeze(avg_pool2d(div, (size, 1), stride=1), 1)
    else:
        sizes = input.shape
        div = div.view(sizes[0], 1, sizes[1], sizes[2], -1)
        div = pad(div, (0, 0, 0, 0, size // 2, (size - 1) // 2))
        div = api.squeeze(avg_pool3d(div, (size, 1, 1), stride=1), 1)
        div = div.view(sizes)
    div = api.pow(api.add(api.mul(div, alpha), k), beta)
    return api.div(input, div)


def pdist(input: Tensor, p=2) -> Tensor:
    """The p-norm distances of all pairs i < j of the rows of an (N, M) input."""
    api._tensor_arg(input, "pdist")
    if input.ndim != 2:
        raise TorchRuntimeError(f"pdist only supports 2D tensors, got: {input.ndim}D")
    if not input.is_floating_point():
        raise TorchRuntimeError("pdist only supports floating-point dtypes")
    p = float(_ops._number(p))
    if p < 0:
        raise TorchRuntimeError("pdist only supports non-negative p values")
    n = input.shape[0]
    check_elements(n * (n - 1) // 2 * max(input.shape[1], 1))
    _no_forward_ad("_pdist_forward", input)
    return nn_extra.PdistBackward0.apply(input, p)


def _margin_rows(input: Tensor, target: Tensor, fn: str) -> tuple:
    nframe = 1 if input.ndim <= 1 else input.shape[0]
    dim = 1 if input.ndim == 0 else input.shape[-1]
    return nframe, dim


def multi_margin_loss(input: Tensor, target: Tensor, p=1, margin=1.0, weight=None,
                      size_average=None, reduce=None, reduction="mean") -> Tensor:
    """The multi-class hinge loss: for each sample, the mean over the other classes of
    max(0, margin - x[y] + x[d]) ** p (times weight[y])."""
    api._tensor_arg(input, "multi_margin_loss")
    api._tensor_arg(target, "multi_margin_loss", "target")
    reduction = _reduction(size_average, reduce, reduction, "multi_margin_loss")
    if p not in (1, 2):
        raise TorchValueError("only p == 1 and p == 2 supported")
    if weight is not None:
        api._tensor_arg(weight, "multi_margin_loss", "weight")
        if weight.ndim != 1:
            raise TorchValueError("weight must be one-dimensional")
    nframe, dim = _margin_rows(input, target, "multi_margin_loss")
    if input.ndim > 2 or (input.ndim == 2 and input.shape[1] == 0):
        raise TorchRuntimeError(f"Expected non-empty vector or matrix with optional 0-dim "
                                f"batch size, but got: {list(input.shape)}")
    if target.ndim > 1 or target.numel() != nframe:
        raise TorchRuntimeError(
            f"multi_margin_loss: target tensor should be 1-D with size equal to the number of "
            f"input samples (batch size). Expected target size [{nframe}], but got "
            f"{list(target.shape)}. Input has shape {list(input.shape)}.")
    if weight is not None and weight.numel() != dim:
        raise TorchRuntimeError(f"inconsistent weight size, expected {dim} but got "
                                f"{list(weight.shape)}")
    if target.dtype.name != "int64":
        raise TorchRuntimeError(f"expected scalar type Long but found {target.dtype.legacy}")
    tg = target._data.reshape(-1).astype(np.int64)
    if tg.size and (tg.min() < 0 or tg.max() >= dim):
        raise TorchRuntimeError("target out of range")
    w = None if weight is None else weight._data.astype(input._data.dtype)
    _no_forward_ad("multi_margin_loss", input)
    return nn_extra.MultiMarginLossBackward0.apply(input, tg, int(p), float(margin), w,
                                                   reduction)


def multilabel_margin_loss(input: Tensor, target: Tensor, size_average=None, reduce=None,
                           reduction="mean") -> Tensor:
    """The multi-label hinge loss: for each target class y (up to the first -1) and each
    non-target class d, max(0, 1 - x[y] + x[d]), summed over the pairs, over C."""
    api._tensor_arg(input, "multilabel_margin_loss")
    api._tensor_arg(target, "multilabel_margin_loss", "target")
    reduction = _reduction(size_average, reduce, reduction, "multilabel_margin_loss")
    if input.ndim > 2 or (input.ndim == 2 and input.shape[1] == 0) or (
            input.ndim == 1 and input.shape[0] == 0):
        raise TorchRuntimeError(f"Expected non-empty vector or matrix with optional 0-dim "
                                f"batch size, but got: {list(input.shape)}")
    if input.ndim <= 1:
        dim = 1 if input.ndim == 0 else input.shape[0]
        if target.ndim > 1 or target.numel() != dim:
            raise TorchRuntimeError(f"inconsistent target size: {list(target.shape)} for input "
                                    f"of size: {list(input.shape)}")
    elif target.ndim != 2 or tuple(target.shape) != tuple(input.shape):
        raise TorchRuntimeError(f"inconsistent target size: {list(target.shape)} for input of "
                                f"size: {list(input.shape)}")
    dim = 1 if input.ndim == 0 else input.shape[-1]
    tg = target._data.astype(np.int64)
    if tg.size and (tg.min() < -1 or tg.max() >= dim):
        raise TorchRuntimeError("argument #2 'target' is out of range")
    _no_forward_ad("multilabel_margin_loss_forward", input)
    return nn_extra.MultilabelMarginLossBackward0.apply(input, tg, reduction)


def torch_ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank=0,
                   reduction=0, zero_infinity=False) -> Tensor:
    """torch.ctc_loss: F.ctc_loss with ATen's reduction enum (0 none, 1 mean, 2 sum);
    torch 2.13's binding defaults it to none."""
    names = {0: "none", 1: "mean", 2: "sum"}
    if isinstance(reduction, bool) or reduction not in names:
        raise TorchValueError(f"{reduction} is not a valid value for reduction")
    return ctc_loss(log_probs, targets, input_lengths, target_lengths, blank,
                    names[reduction], zero_infinity)


def _lengths(value, fn: str, name: str) -> np.ndarray:
    if isinstance(value, Tensor):
        if value.dtype.is_floating_point or value.dtype.name in ("bool", "complex64",
                                                                 "complex128"):
            raise TorchRuntimeError(f"{name} must be integral")
        return value._data.reshape(-1).astype(np.int64)
    if isinstance(value, list | tuple) and all(isinstance(v, int) and not isinstance(v, bool)
                                               for v in value):
        return np.asarray(value, np.int64).reshape(-1)
    raise TorchTypeError(f"{fn}(): argument '{name}' must be tuple of ints, not "
                         f"{type(value).__name__}")


def ctc_loss(log_probs: Tensor, targets: Tensor, input_lengths, target_lengths, blank=0,
             reduction="mean", zero_infinity=False) -> Tensor:
    """The Connectionist Temporal Classification loss: the negative log likelihood of each
    target sequence over all alignments with the (T, N, C) log-probabilities."""
    api._tensor_arg(log_probs, "ctc_loss", "log_probs")
    api._tensor_arg(targets, "ctc_loss", "targets")
    reduction = _reduction(None, None, reduction)
    il = _lengths(input_lengths, "ctc_loss", "input_lengths")
    tl = _lengths(target_lengths, "ctc_loss", "target_lengths")
    batched = log_probs.ndim == 3
    x = log_probs if batched else api.unsqueeze(log_probs, 1)
    where = " (while checking arguments for ctc_loss_allocate_outputs)"
    if not x.is_floating_point():
        raise TorchRuntimeError(f"\"ctc_loss_cpu\" not implemented for '{x.dtype.legacy}'")
    if x.ndim != 3:
        raise TorchRuntimeError(f"Expected 3-dimensional tensor, but got {x.ndim}-dimensional "
                                f"tensor for argument #1 'log_probs'{where}")
    if not 1 <= targets.ndim <= 3:
        raise TorchRuntimeError(f"Expected 1 to 3 dimensions, but got {targets.ndim}-dimensional "
                                f"tensor for argument #2 'targets'{where}")
    T, N, C = x.shape
    blank = api._int(blank, "ctc_loss", "blank")
    if not 0 <= blank < C:
        raise TorchRuntimeError("blank must be in label range")
    if il.size != N:
        raise TorchRuntimeError("input_lengths must be of size batch_size")
    if tl.size != N:
        raise TorchRuntimeError("target_lengths must be of size batch_size")
    tg = targets._data.astype(np.int64)
    labels = []
    for b in range(N):
        if tl[b] < 0:
            raise TorchRuntimeError(f"Expected target_lengths to have value at least 0, but "
                                    f"got value {tl[b]}{where}")
    if targets.ndim == 1:
        ends = np.cumsum(tl)
        if tg.shape[0] != (int(ends[-1]) if N else 0):
            raise TorchRuntimeError(
                f"Expected tensor to have size {int(ends[-1]) if N else 0} at dimension 0, but "
                f"got size {tg.shape[0]} for argument #2 'targets' (while checking arguments "
                f"for ctc_loss_allocate_outputs)")
        for b in range(N):
            labels.append(tg[ends[b] - tl[b]:ends[b]])
    else:
        longest = int(tl.max()) if N else 0
        if tg.shape[0] != N:
            raise TorchRuntimeError(
                f"Expected tensor to have size {N} at dimension 0, but got size {tg.shape[0]} "
                f"for argument #2 'targets'{where}")
        if tg.shape[1] < longest:
            raise TorchRuntimeError(
                f"Expected tensor to have size at least {longest} at dimension 1, but got size "
                f"{tg.shape[1]} for argument #2 'targets' (while checking arguments for "
                f"ctc_loss_allocate_outputs)")
        for b in range(N):
            labels.append(tg[b].reshape(-1)[:tl[b]])
    for b in range(N):
        if il[b] < 0:
            raise TorchRuntimeError(f"Expected input_lengths to have value at least 0, but got "
                                    f"value {il[b]}{where}")
        if il[b] > T:
            raise TorchRuntimeError(f"Expected input_lengths to have value at most {T}, but got "
                                    f"value {il[b]}{where}")
    for lab in labels:
        if lab.size and (lab.min() < 0 or lab.max() >= C):
            raise TorchIndexError(f"index {int(lab[(lab < 0) | (lab >= C)][0])} is out of "
                                  f"bounds for dimension 2 with size {C}")
    check_work(N * T * (2 * (int(tl.max()) if N else 0) + 1 + C), "ctc_loss")
    _no_forward_ad("_ctc_loss", x)
    res = nn_extra.CtcLossBackward0.apply(x, labels, il, tl, blank, bool(zero_infinity))
    if zero_infinity:
        inf = api.tensor(float("inf"))
        res = api.where(api.eq(res, inf), api.zeros((), dtype=res.dtype), res)
    if reduction == "mean":
        lengths = api.clamp_min(api.tensor(tl.tolist(), dtype=res.dtype), 1)
        return api.mean(api.div(res, lengths))
    if reduction == "sum":
        return api.sum(res)
    return res if batched else api.squeeze(res, 0)


# ---- more activations, padding ------------------------------------------------------------


def silu(input: Tensor, inplace=False) -> Tensor:
    """input * sigmoid(input)."""
    return _activation(input, "silu", _ops.SiluBackward0, _ops.SiluBackward0, inplace)


def hardtanh(input: Tensor, min_val=-1.0, max_val=1.0, inplace=False) -> Tensor:
    """input clamped to [min_val, max_val]."""
    lo, hi = _ops._number(min_val), _ops._number(max_val)
    if lo > hi:
        raise TorchValueError("min_val cannot be greater than max_val")
    return _activation(input, "hardtanh", _ops.HardtanhBackward0, _ops.HardtanhBackward0,
                       inplace, lo, hi)


def hardtanh_(input: Tensor, min_val=-1.0, max_val=1.0) -> Tensor:
    return hardtanh(input, min_val, max_val, True)


def relu6(input: Tensor, inplace=False) -> Tensor:
    """input clamped to [0, 6] (hardtanh's grad_fn, as in torch)."""
    return _activation(input, "relu6", _ops.HardtanhBackward0, _ops.HardtanhBackward0,
                       inplace, 0.0, 6.0)


def mish(input: Tensor, inplace=False) -> Tensor:
    """input * tanh(softplus(input))."""
    return _activation(input, "mish", _ops.MishBackward0, _ops.MishBackward0, inplace)


def softsign(input: Tensor) -> Tensor:
    """input / (|input| + 1), composed as torch composes it."""
    api._tensor_arg(input, "softsign")
    return api.div(input, api.add(api.abs(input), 1))


def tanhshrink(input: Tensor) -> Tensor:
    """input - tanh(input)."""
    api._tensor_arg(input, "tanhshrink")
    return api.sub(input, api.tanh(input))


def pad(input: Tensor, pad, mode="constant", value=None) -> Tensor:
    """Pad (or, with negative amounts, crop) the last dims: pad = (left, right) of the last
    dim, then of the one before, ...; mode 'constant' only."""
    api._tensor_arg(input, "pad")
    if not isinstance(pad, list | tuple) or not all(
            isinstance(v, int) and not isinstance(v, bool) for v in pad):
        raise TorchTypeError(f"pad(): argument 'pad' must be tuple of ints, but found element "
                             f"of type {type(pad).__name__}")
    if mode not in ("constant", "reflect", "replicate", "circular"):
        raise TorchNotImplementedError(f"Unrecognised padding mode {mode}")
    if len(pad) % 2:
        raise TorchRuntimeError("Padding length must be divisible by 2")
    if len(pad) // 2 > input.ndim:
        raise TorchRuntimeError(
            f"Padding length should be less than or equal to two times the input dimension but "
            f"got padding length {len(pad)} and input of dimension {input.ndim}")
    if mode != "constant":
        return _edge_pad(input, tuple(pad), mode, value)
    for i in range(len(pad) // 2):
        dim = input.ndim - 1 - i
        size = input.shape[dim]
        if size + min(pad[2 * i], 0) + min(pad[2 * i + 1], 0) < 0:
            raise TorchRuntimeError("narrow(): length must be non-negative.")
        if size + pad[2 * i] + pad[2 * i + 1] < 0:
            raise TorchRuntimeError(
                f"The input size {size}, plus negative padding {pad[2 * i]} and "
                f"{pad[2 * i + 1]} resulted in a negative output size, which is invalid. Check "
                f"dimension {dim} of your input.")
    value = 0.0 if value is None else _ops._number(value)
    return _ops.ConstantPadNdBackward0.apply(input, tuple(pad), value)


_EDGE_PADS = {("reflect", 1): _ops.ReflectionPad1DBackward0,
              ("reflect", 2): _ops.ReflectionPad2DBackward0,
              ("reflect", 3): _ops.ReflectionPad3DBackward0,
              ("replicate", 1): _ops.ReplicationPad1DBackward0,
              ("replicate", 2): _ops.ReplicationPad2DBackward0,
              ("replicate", 3): _ops.ReplicationPad3DBackward0}


def _edge_pad(input: Tensor, pad: tuple, mode: str, value) -> Tensor:
    """F.pad's reflect, replicate and circular modes, on the last 1-3 dims of an input with
    one or two more (batch, channel) dims in front."""
    if value is not None and _ops._number(value) != 0:
        raise TorchRuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pad) // 2
    if k not in (1, 2, 3) or input.ndim not in (k + 1, k + 2):
        raise TorchNotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    if mode == "circular":
        return _circular_pad(input, pad)
    for i in range(k):
        dim = input.ndim - 1 - i
        size = input.shape[dim]
        before, after = pad[2 * i], pad[2 * i + 1]
        if mode == "reflect" and (before >= size or after >= size):
            raise TorchRuntimeError(
                f"Argument #{4 + 2 * i}: Padding size should be less "
                f"than the corresponding input dimension, but got: padding ({before}, {after}) "
                f"at dimension {dim} of input {list(input.shape)}")
        if size == 0 or size + before + after <= 0:
            raise TorchRuntimeError(
                f"input tensor must not be empty and the padded size must be positive, but got "
                f"input of size {list(input.shape)} and padding {list(pad)}")
    return _EDGE_PADS[mode, k].apply(input, pad)


def _circular_pad(input: Tensor, pad: tuple) -> Tensor:
    """ATen's _pad_circular: an empty output, the input copied into its middle, then each
    padded dim's edges copied from the other side of the output, last dim first."""
    k = len(pad) // 2
    in_shape = list(input.shape)
    out_shape = list(in_shape)
    for i in range(k):
        dim = input.ndim - 1 - i
        before, after = pad[2 * i], pad[2 * i + 1]
        if before > in_shape[dim] or after > in_shape[dim]:
            raise TorchRuntimeError("Padding value causes wrapping around more than once.")
        out_shape[dim] = in_shape[dim] + before + after
        if out_shape[dim] < 0:
            raise TorchRuntimeError("Negative padding value is resulting in an empty dimension")
    out = api.empty(*out_shape, dtype=input.dtype)

    def part(t: Tensor, dim: int, start: int, stop: int) -> Tensor:
        return t[(slice(None),) * dim + (slice(start, stop),)]  # SliceBackward0

    out_slice, in_slice = out, input
    for i in range(k):
        dim = input.ndim - 1 - i
        before, after = pad[2 * i], pad[2 * i + 1]
        out_slice = part(out_slice, dim, max(before, 0), out_shape[dim] - max(after, 0))
        in_slice = part(in_slice, dim, max(-before, 0), in_shape[dim] - max(-after, 0))
    out_slice.copy_(in_slice)
    for i in range(k):
        dim = input.ndim - 1 - i
        before, after = pad[2 * i], pad[2 * i + 1]
        size = out_shape[dim]
        if before > 0:
            part(out, dim, 0, before).copy_(
                part(out, dim, size - before - max(after, 0), size - max(after, 0)))
        if after > 0:
            part(out, dim, size - after, size).copy_(
                part(out, dim, max(before, 0), max(before, 0) + after))
    return out


def pixel_shuffle(input: Tensor, upscale_factor: int) -> Tensor:
    """(*, C * r^2, H, W) to (*, C, H * r, W * r), r = upscale_factor."""
    api._tensor_arg(input, "pixel_shuffle")
    r = api._int(upscale_factor, "pixel_shuffle", "upscale_factor")
    if input.ndim < 3:
        raise TorchRuntimeError(
            f"pixel_shuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.ndim} dimension(s)")
    if r <= 0:
        raise TorchRuntimeError(f"pixel_shuffle expects a positive upscale_factor, but got {r}")
    c = input.shape[-3]
    if c % (r * r):
        raise TorchRuntimeError(
            f"pixel_shuffle expects its input's 'channel' dimension to be divisible by the "
            f"square of upscale_factor, but input.size(-3)={c} is not divisible by {r * r}")
    return _ops.PixelShuffleBackward0.apply(input, r)


def pixel_unshuffle(input: Tensor, downscale_factor: int) -> Tensor:
    """(*, C, H * r, W * r) to (*, C * r^2, H, W), r = downscale_factor."""
    api._tensor_arg(input, "pixel_unshuffle")
    r = api._int(downscale_factor, "pixel_unshuffle", "downscale_factor")
    if input.ndim < 3:
        raise TorchRuntimeError(
            f"pixel_unshuffle expects input to have at least 3 dimensions, but got input with "
            f"{input.ndim} dimension(s)")
    if r <= 0:
        raise TorchRuntimeError(
            f"pixel_unshuffle expects a positive downscale_factor, but got {r}")
    h, w = input.shape[-2:]
    if h % r:
        raise TorchRuntimeError(
            f"pixel_unshuffle expects height to be divisible by downscale_factor, but "
            f"input.size(-2)={h} is not divisible by {r}")
    if w % r:
        raise TorchRuntimeError(
            f"pixel_unshuffle expects width to be divisible by downscale_factor, but "
            f"input.size(-1)={w} is not divisible by {r}")
    return _ops.PixelUnshuffleBackward0.apply(input, r)


def normalize(input: Tensor, p=2.0, dim=1, eps=1e-12, out=None) -> Tensor:
    """input / max(||input||_p over dim, eps), composed as torch composes it."""
    api._tensor_arg(input, "normalize")
    denom = api.norm(input, p, dim, True)
    denom = _ops.ClampMinBackward0.apply(denom, float(_ops._number(eps)))
    result = api.div(input, api.expand_as(denom, input))
    return result if out is None else api._write_out(out, result, "div")


def cosine_similarity(x1: Tensor, x2: Tensor, dim=1, eps=1e-8) -> Tensor:
    """The cosine of the angle between x1 and x2 along ``dim``, composed as ATen composes
    it: each side divided by its 2-norm (clamped below by ``eps`` outside the graph), then
    the product summed over ``dim``."""
    api._tensor_arg(x1, "cosine_similarity", "x1")
    api._tensor_arg(x2, "cosine_similarity", "x2")
    tiers = [None, None]  # promoted dtypes of the operands with and without dimensions
    for t in (x1, x2):
        tiers[t.dim() == 0] = _dt.promote(tiers[t.dim() == 0], t.dtype)
    common = _dt.result_type(tiers[0], tiers[1], None)
    if not common.is_floating_point:
        raise TorchRuntimeError("expected common dtype to be floating point, yet common dtype "
                                f"is {common.legacy}")
    x1 = x1 if x1.is_floating_point() else x1.to(common)
    x2 = x2 if x2.is_floating_point() else x2.to(common)
    shape = tuple(api.broadcast_shapes(x1.shape, x2.shape))
    if tuple(x1.shape) != shape:
        x1 = api.expand(x1, shape)
    if tuple(x2.shape) != shape:
        x2 = api.expand(x2, shape)
    n1 = api.clone(api.linalg_vector_norm(x1, 2, dim, True))
    n2 = api.clone(api.linalg_vector_norm(x2, 2, dim, True))
    with api.no_grad():
        api._clamp_min_(n1, eps)
        api._clamp_min_(n2, eps)
    return api.sum(api.mul(api.div(x1, n1), api.div(x2, n2)), dim)


_INTERP_MODES = "nearest | linear | bilinear | bicubic | trilinear | lanczos | area | nearest-exact"
_UPSAMPLE = {("nearest", 3): _ops.UpsampleNearest1DBackward0,
             ("nearest", 4): _ops.UpsampleNearest2DBackward0,
             ("linear", 3): _ops.UpsampleLinear1DBackward0,
             ("bilinear", 4): _ops.UpsampleBilinear2DBackward0}
_NEEDS = {"linear": 3, "bilinear": 4, "bicubic": 4, "trilinear": 5}


def interpolate(input: Tensor, size=None, scale_factor=None, mode="nearest",
                align_corners=None, recompute_scale_factor=None, antialias=False) -> Tensor:
    """Resample the spatial dims (after N and C) to ``size`` or by ``scale_factor``: modes
    'nearest' (3-D and 4-D input), 'linear' (3-D) and 'bilinear' (4-D), with torch's source
    positions (align_corners) and grad_fns."""
    api._tensor_arg(input, "interpolate")
    if mode in ("nearest", "area", "nearest-exact"):
        if align_corners is not None:
            raise TorchValueError("align_corners option can only be set with the interpolating "
                                  "modes: linear | bilinear | bicubic | trilinear")
    elif align_corners is None:
        align_corners = False
    nd = input.ndim
    dim = nd - 2
    if size is not None and scale_factor is not None:
        raise TorchValueError("only one of size or scale_factor should be defined")
    if size is not None:
        if isinstance(size, list | tuple):
            if len(size) != dim:
                raise TorchValueError(
                    f"Input and output must have the same number of spatial dimensions, but got "
                    f"input with spatial dimensions of {list(input.shape[2:])} and output size of "
                    f"{size}. Please provide input tensor in (N, C, d1, d2, ...,dK) format and "
                    "output size in (o1, o2, ...,oK) format.")
            sizes = list(size)
        else:
            sizes = [size] * _builtin_max(dim, 0)
        if not all(isinstance(s, int) and not isinstance(s, bool) for s in sizes):
            raise TorchTypeError(f"expected size to be one of int or Tuple[int] or Tuple[int, "
                                 f"int] or Tuple[int, int, int], but got size with types "
                                 f"{[type(s) for s in sizes]}")
        scales = [None] * len(sizes)
    elif scale_factor is not None:
        if isinstance(scale_factor, list | tuple):
            if len(scale_factor) != dim:
                raise TorchValueError(
                    f"Input and scale_factor must have the same number of spatial dimensions, but "
                    f"got input with spatial dimensions of {list(input.shape[2:])} and "
                    f"scale_factor of shape {scale_factor}. Please provide input tensor in (N, C, "
                    "d1, d2, ...,dK) format and scale_factor in (s1, s2, ...,sK) format.")
            scales = list(scale_factor)
        else:
            scales = [scale_factor] * _builtin_max(dim, 0)
        if not all(isinstance(s, int | float) and not isinstance(s, bool) for s in scales):
            raise TorchTypeError("interpolate(): scale_factor must be a float or a tuple of "
                                 "floats")
        sizes = None
    else:
        raise TorchValueError("either size or scale_factor should be defined")
    if recompute_scale_factor and size is not None:
        raise TorchValueError("recompute_scale_factor is not meaningful with an explicit size.")
    if antialias:
        raise TorchNotImplementedError("interpolate(): antialias is not supported by adcli")
    if nd not in (3, 4, 5) or mode not in ("nearest", "linear", "bilinear", "bicubic",
                                            "trilinear", "area", "nearest-exact"):
        raise TorchNotImplementedError(
            f"Input Error: Only 3D, 4D and 5D input Tensors supported (got {nd}D) for the modes: "
            f"{_INTERP_MODES} (got {mode})")
    if mode in _NEEDS and _NEEDS[mode] != nd:
        raise TorchNotImplementedError(f"Got {nd}D input, but {mode} mode needs "
                                       f"{_NEEDS[mode]}D input")
    cls = _UPSAMPLE.get((mode, nd))
    if cls is None:
        raise TorchNotImplementedError(f"interpolate(): mode {mode!r} on {nd}-D input is not "
                                       "supported by adcli (nearest on 3-D and 4-D, linear, "
                                       "bilinear)")
    in_sizes = input.shape[2:]
    if sizes is None:
        if recompute_scale_factor:
            sizes = [int(n * s) for n, s in zip(in_sizes, scales)]
            scales = [None] * len(sizes)
        else:
            sizes = [int(n * float(s)) for n, s in zip(in_sizes, scales)]
    if any(s <= 0 for s in sizes) or any(n <= 0 for n in in_sizes):
        raise TorchRuntimeError(
            f"Input and output sizes should be greater than 0, but got input "
            f"({', '.join(f'{k}: {n}' for k, n in zip('DHW'[-dim:], in_sizes))}) and output "
            f"({', '.join(f'{k}: {n}' for k, n in zip('DHW'[-dim:], sizes))})")
    check_elements(int(np.prod(input.shape[:2])) * int(np.prod(sizes)))
    linear = mode != "nearest"
    plans = tuple(_ops.resample_plan("linear" if linear else "nearest", n, m,
                                     align_corners if linear else None,
                                     None if s is None else float(s))
                  for n, m, s in zip(in_sizes, sizes, scales))
    return cls.apply(input, plans, None)


_builtin_max = max


# ----------------------------------------------------------------- deprecated upsample names


def _upsample_deprecated(name: str) -> None:
    _tensor.warn(f"`nn.functional.{name}` is deprecated. Use `nn.functional.interpolate` "
                 "instead.")


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """F.upsample (deprecated): F.interpolate after torch's UserWarning."""
    _upsample_deprecated("upsample")
    return interpolate(input, size, scale_factor, mode, align_corners)


def upsample_nearest(input, size=None, scale_factor=None):
    """F.upsample_nearest (deprecated): nearest interpolation."""
    _upsample_deprecated("upsample_nearest")
    return interpolate(input, size, scale_factor, mode="nearest")


def upsample_bilinear(input, size=None, scale_factor=None):
    """F.upsample_bilinear (deprecated): bilinear interpolation with align_corners=True."""
    _upsample_deprecated("upsample_bilinear")
    return interpolate(input, size, scale_factor, mode="bilinear", align_corners=True)


DEPRECATED = {f.__name__: f for f in (upsample, upsample_nearest, upsample_bilinear)}

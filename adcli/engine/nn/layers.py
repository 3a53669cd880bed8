"""The layer modules: each holds its parameters, draws torch's default initialisation from
torch's generator in torch's order, prints torch's ``extra_repr``, and calls its
``torch.nn.functional`` function (adcli/engine/nn_functional.py) in ``forward``.

Families, in order: linear, activations, dropout, convolution and pooling,
normalisation, embedding, losses.
"""

from __future__ import annotations

import math

from adcli.engine import api
from adcli.engine import nn_functional as F
from adcli.engine.nn import init
from adcli.engine.nn.module import Module
from adcli.engine.nn.parameter import Parameter
from adcli.engine.tensor import UNINITIALIZED, Tensor
from adcli.errors import TorchTypeError, TorchValueError


def _empty(*shape, dtype=None, device=None) -> Tensor:
    return api.empty(*shape, dtype=dtype, device=device)


def _param(*shape, dtype=None, device=None) -> Parameter:
    return Parameter(_empty(*shape, dtype=dtype, device=device))


def _tuple(value, n: int) -> tuple:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,) * n


def _reduction_of(size_average, reduce, reduction: str) -> str:
    if size_average is not None or reduce is not None:
        return F._reduction(size_average, reduce, reduction, site=F.MODULE_LEGACY_SITE)
    return reduction


# ============================================================================ linear
class Identity(Module):
    """Returns its input (its arguments are accepted and ignored)."""

    def __init__(self, *args, **kwargs) -> None:
        super().__init__()

    def forward(self, input):
        return input


class Linear(Module):
    """y = x W^T + b, W of shape (out_features, in_features)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "in_features", "out_features", "weight", "bias", "reset_parameters"))

    def __init__(self, in_features: int, out_features: int, bias: bool = True,
                 device=None, dtype=None) -> None:
        super().__init__()
        self.in_features = in_features
        self.out_features = out_features
        self.weight = _param(out_features, in_features, dtype=dtype, device=device)
        if bias:
            self.bias = _param(out_features, dtype=dtype, device=device)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.default_linear_init(self.weight, self.bias)

    def forward(self, input):
        return F.linear(input, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in_features={self.in_features}, out_features={self.out_features}, "
                f"bias={self.bias is not None}")


class Bilinear(Module):
    """y = x1^T A x2 + b."""

    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "in1_features", "in2_features", "out_features", "weight", "bias",
        "reset_parameters"))

    def __init__(self, in1_features: int, in2_features: int, out_features: int,
                 bias: bool = True, device=None, dtype=None) -> None:
        super().__init__()
        self.in1_features = in1_features
        self.in2_features = in2_features
        self.out_features = out_features
        self.weight = _param(out_features, in1_features, in2_features, dtype=dtype,
                             device=device)
        if bias:
            self.bias = _param(out_features, dtype=dtype, device=device)
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        bound = 1 / math.sqrt(self.weight.shape[1])
        init.uniform_(self.weight, -bound, bound)
        if self.bias is not None:
            init.uniform_(self.bias, -bound, bound)

    def forward(self, input1, input2):
        return F.bilinear(input1, input2, self.weight, self.bias)

    def extra_repr(self) -> str:
        return (f"in1_features={self.in1_features}, in2_features={self.in2_features}, "
                f"out_features={self.out_features}, bias={self.bias is not None}")


class Flatten(Module):
    """Flattens dimensions start_dim..end_dim into one."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("start_dim", "end_dim"))

    def __init__(self, start_dim: int = 1, end_dim: int = -1) -> None:
        super().__init__()
        self.start_dim = start_dim
        self.end_dim = end_dim

    def forward(self, input):
        return input.flatten(self.start_dim, self.end_dim)

    def extra_repr(self) -> str:
        return f"start_dim={self.start_dim}, end_dim={self.end_dim}"


class Unflatten(Module):
    """Splits dimension dim into unflattened_size."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("dim", "unflattened_size"))

    def __init__(self, dim, unflattened_size) -> None:
        super().__init__()
        if not isinstance(unflattened_size, (tuple, list)):
            raise TorchTypeError("unflattened_size must be tuple of ints, but found type "
                                 f"{type(unflattened_size).__name__}")
        self.dim = dim
        self.unflattened_size = unflattened_size

    def forward(self, input):
        shape = list(input.shape)
        dim = self.dim + len(shape) if self.dim < 0 else self.dim
        sizes = list(self.unflattened_size)
        if -1 in sizes:
            known = math.prod(s for s in sizes if s != -1)
            sizes[sizes.index(-1)] = shape[dim] // known if known else 0
        return input.view(*shape[:dim], *sizes, *shape[dim + 1:])

    def extra_repr(self) -> str:
        return f"dim={self.dim}, unflattened_size={self.unflattened_size}"


# ============================================================================ activations
class _Activation(Module):
    """An activation with an ``inplace`` flag and nothing else to show."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("inplace",))

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def extra_repr(self) -> str:
        return "inplace=True" if self.inplace else ""


class ReLU(_Activation):
    """max(0, x)."""

    def forward(self, input):
        return input.relu_() if self.inplace else api.relu(input)


class ReLU6(_Activation):
    """min(max(0, x), 6)."""

    def forward(self, input):
        return F.relu6(input, inplace=self.inplace)


class SiLU(_Activation):
    """x * sigmoid(x)."""

    def forward(self, input):
        return F.silu(input, inplace=self.inplace)


class Mish(_Activation):
    """x * tanh(softplus(x))."""

    def forward(self, input):
        return F.mish(input, inplace=self.inplace)


class Hardtanh(Module):
    """x clamped to [min_val, max_val]."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("min_val", "max_val", "inplace"))

    def __init__(self, min_val: float = -1.0, max_val: float = 1.0,
                 inplace: bool = False) -> None:
        super().__init__()
        if max_val <= min_val:
            raise TorchValueError("max_val must be greater than min_val")
        self.min_val = min_val
        self.max_val = max_val
        self.inplace = inplace

    def forward(self, input):
        return F.hardtanh(input, self.min_val, self.max_val, self.inplace)

    def extra_repr(self) -> str:
        return f"min_val={self.min_val}, max_val={self.max_val}" + (
            ", inplace=True" if self.inplace else "")


class Threshold(Module):
    """x, or ``value`` where x <= ``threshold``."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("threshold", "value", "inplace"))

    def __init__(self, threshold: float, value: float, inplace: bool = False) -> None:
        super().__init__()
        self.threshold = threshold
        self.value = value
        self.inplace = inplace

    def forward(self, input):
        return F.threshold(input, self.threshold, self.value, self.inplace)

    def extra_repr(self) -> str:
        return f"threshold={self.threshold}, value={self.value}" + (
            ", inplace=True" if self.inplace else "")


class CosineSimilarity(Module):
    """F.cosine_similarity(x1, x2, dim, eps) as a module."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("dim", "eps"))

    def __init__(self, dim: int = 1, eps: float = 1e-8) -> None:
        super().__init__()
        self.dim = dim
        self.eps = eps

    def forward(self, x1, x2):
        return F.cosine_similarity(x1, x2, self.dim, self.eps)


class Softsign(Module):
    """x / (1 + |x|)."""

    def forward(self, input):
        return F.softsign(input)


class Tanhshrink(Module):
    """x - tanh(x)."""

    def forward(self, input):
        return F.tanhshrink(input)


class Sigmoid(Module):
    """1 / (1 + exp(-x))."""

    def forward(self, input):
        return api.sigmoid(input)


class Tanh(Module):
    """The hyperbolic tangent."""

    def forward(self, input):
        return api.tanh(input)


class LogSigmoid(Module):
    """log(sigmoid(x)), computed stably."""

    def forward(self, input):
        return F.logsigmoid(input)


class SELU(_Activation):
    """scale * elu(x, alpha) with the self-normalising constants."""

    def forward(self, input):
        return F.selu(input, self.inplace)


class CELU(Module):
    """max(0, x) + min(0, alpha * (exp(x / alpha) - 1))."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("alpha", "inplace"))

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.celu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class Hardsigmoid(Module):
    """min(max(x + 3, 0), 6) / 6 (torch's repr shows no inplace flag)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("inplace",))

    def __init__(self, inplace: bool = False) -> None:
        super().__init__()
        self.inplace = inplace

    def forward(self, input):
        return F.hardsigmoid(input, self.inplace)


class Hardswish(Hardsigmoid):
    """x * hardsigmoid(x)."""

    def forward(self, input):
        return F.hardswish(input, self.inplace)


class Hardshrink(Module):
    """x where |x| > lambd, else 0."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("lambd",))

    def __init__(self, lambd: float = 0.5) -> None:
        super().__init__()
        self.lambd = lambd

    def forward(self, input):
        return F.hardshrink(input, self.lambd)

    def extra_repr(self) -> str:
        return f"{self.lambd}"


class Softshrink(Hardshrink):
    """x shrunk towards 0 by lambd."""

    def forward(self, input):
        return F.softshrink(input, self.lambd)


class GLU(Module):
    """The first half along dim times the sigmoid of the second."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("dim",))

    def __init__(self, dim: int = -1) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.glu(input, self.dim)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class PReLU(Module):
    """x where positive, else a learned slope times x (one slope, or one per channel)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("num_parameters", "init", "weight"))

    def __init__(self, num_parameters: int = 1, init: float = 0.25, device=None,
                 dtype=None) -> None:
        super().__init__()
        self.num_parameters = num_parameters
        self.init = init
        self.weight = Parameter(api.empty(num_parameters, dtype=dtype))
        self.reset_parameters()

    def reset_parameters(self) -> None:
        from adcli.engine.nn import init as _init

        _init.constant_(self.weight, self.init)

    def forward(self, input):
        return F.prelu(input, self.weight)

    def extra_repr(self) -> str:
        return f"num_parameters={self.num_parameters}"


class LeakyReLU(Module):
    """x, times negative_slope where negative."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("negative_slope", "inplace"))

    def __init__(self, negative_slope: float = 1e-2, inplace: bool = False) -> None:
        super().__init__()
        self.negative_slope = negative_slope
        self.inplace = inplace

    def forward(self, input):
        return F.leaky_relu(input, self.negative_slope, self.inplace)

    def extra_repr(self) -> str:
        return f"negative_slope={self.negative_slope}" + (
            ", inplace=True" if self.inplace else "")


class ELU(Module):
    """x, or alpha * (exp(x) - 1) where negative."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("alpha", "inplace"))

    def __init__(self, alpha: float = 1.0, inplace: bool = False) -> None:
        super().__init__()
        self.alpha = alpha
        self.inplace = inplace

    def forward(self, input):
        return F.elu(input, self.alpha, self.inplace)

    def extra_repr(self) -> str:
        return f"alpha={self.alpha}" + (", inplace=True" if self.inplace else "")


class GELU(Module):
    """x * Phi(x), exact or tanh-approximated."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("approximate",))

    def __init__(self, approximate: str = "none") -> None:
        super().__init__()
        self.approximate = approximate

    def forward(self, input):
        return F.gelu(input, approximate=self.approximate)

    def extra_repr(self) -> str:
        return f"approximate={self.approximate!r}"


class Softplus(Module):
    """log(1 + exp(beta * x)) / beta."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("beta", "threshold"))

    def __init__(self, beta: float = 1.0, threshold: float = 20.0) -> None:
        super().__init__()
        self.beta = beta
        self.threshold = threshold

    def forward(self, input):
        return F.softplus(input, self.beta, self.threshold)

    def extra_repr(self) -> str:
        return f"beta={self.beta}, threshold={self.threshold}"


class Softmax(Module):
    """exp(x) / sum(exp(x)) over dim."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("dim",))

    def __init__(self, dim=None) -> None:
        super().__init__()
        self.dim = dim

    def forward(self, input):
        return F.softmax(input, self.dim, _stacklevel=5)

    def extra_repr(self) -> str:
        return f"dim={self.dim}"


class LogSoftmax(Softmax):
    """log(softmax(x)) over dim."""

    def forward(self, input):
        return F.log_softmax(input, self.dim, _stacklevel=5)


class Softmin(Softmax):
    """softmax(-x) over dim."""

    def forward(self, input):
        return F.softmin(input, self.dim, _stacklevel=5)


class Softmax2d(Module):
    """softmax over the channels of a (C, H, W) or (N, C, H, W) input."""

    def forward(self, input):
        if input.dim() not in (3, 4):
            raise TorchValueError(
                f"Softmax2d: expected input to be 3D or 4D, got {input.dim()}D instead")
        return F.softmax(input, -3, _stacklevel=5)


# ============================================================================ dropout
class Dropout(Module):
    """Zeroes elements with probability p in training (torch's draws), scaling the rest by
    1/(1-p)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("p", "inplace"))

    def __init__(self, p: float = 0.5, inplace: bool = False) -> None:
        super().__init__()
        if p < 0 or p > 1:
            raise TorchValueError(
                f"dropout probability has to be between 0 and 1, but got {p}")
        self.p = p
        self.inplace = inplace

    def forward(self, input):
        return F.dropout(input, self.p, self.training, self.inplace)

    def extra_repr(self) -> str:
        return f"p={self.p}, inplace={self.inplace}"


class Dropout1d(Dropout):
    """Zeroes whole channels of (N, C, L) input with probability p in training."""

    def forward(self, input):
        return F.dropout1d(input, self.p, self.training, self.inplace)


class Dropout2d(Dropout):
    """Zeroes whole channels of (N, C, H, W) input with probability p in training."""

    def forward(self, input):
        return F.dropout2d(input, self.p, self.training, self.inplace)


class Dropout3d(Dropout):
    """Zeroes whole channels of (N, C, D, H, W) input with probability p in training."""

    def forward(self, input):
        return F.dropout3d(input, self.p, self.training, self.inplace)


def _uninitialized(dtype):
    """torch's UninitializedParameter: an empty parameter that prints as such."""
    p = Parameter(api.empty(0, dtype=dtype))
    p._param = UNINITIALIZED
    return p


class LazyLinear(Linear):
    """A Linear whose in_features is read from its first input (weight and bias are made
    and initialised then); after that it is a plain ``Linear``."""

    cls_to_become = Linear

    def __init__(self, out_features: int, bias: bool = True, device=None, dtype=None) -> None:
        Module.__init__(self)
        self.in_features = 0
        self.out_features = out_features
        self._lazy_dtype = dtype
        self.weight = _uninitialized(dtype)  # made on the first call
        if bias:
            self.bias = _uninitialized(dtype)
        else:
            self.register_parameter("bias", None)

    def forward(self, input):
        if self.in_features == 0:
            self.in_features = input.shape[-1]
            with api.no_grad():
                self.weight = Parameter(api.empty(self.out_features, self.in_features,
                                                  dtype=self._lazy_dtype))
                if self.bias is not None:
                    self.bias = Parameter(api.empty(self.out_features,
                                                    dtype=self._lazy_dtype))
            self.reset_parameters()
            self.__class__ = Linear
        return F.linear(input, self.weight, self.bias)


# ============================================================================ losses
class _Loss(Module):
    __adcli_public__ = Module.__adcli_public__ | frozenset(("reduction",))

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean") -> None:
        super().__init__()
        self.reduction = _reduction_of(size_average, reduce, reduction)


class _WeightedLoss(_Loss):
    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("weight",))

    def __init__(self, weight=None, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)


class MSELoss(_Loss):
    """The mean squared error, reduced as reduction says."""

    def forward(self, input, target):
        return F.mse_loss(input, target, reduction=self.reduction)


class L1Loss(_Loss):
    """The mean absolute error, reduced as reduction says."""

    def forward(self, input, target):
        return F.l1_loss(input, target, reduction=self.reduction)


class SmoothL1Loss(_Loss):
    """Squared / beta below beta, linear above, reduced."""

    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("beta",))

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean",
                 beta: float = 1.0) -> None:
        super().__init__(size_average, reduce, reduction)
        self.beta = beta

    def forward(self, input, target):
        return F.smooth_l1_loss(input, target, reduction=self.reduction, beta=self.beta)


class HuberLoss(_Loss):
    """Squared below delta, linear above, reduced."""

    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("delta",))

    def __init__(self, reduction: str = "mean", delta: float = 1.0) -> None:
        super().__init__(reduction=reduction)
        self.delta = delta

    def forward(self, input, target):
        return F.huber_loss(input, target, reduction=self.reduction, delta=self.delta)


class NLLLoss(_WeightedLoss):
    """The negative log likelihood of class targets (weight, ignore_index)."""

    __adcli_public__ = _WeightedLoss.__adcli_public__ | frozenset(("ignore_index",))

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100,
                 reduce=None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index

    def forward(self, input, target):
        return F.nll_loss(input, target, weight=self.weight, ignore_index=self.ignore_index,
                          reduction=self.reduction)


class CrossEntropyLoss(_WeightedLoss):
    """log_softmax then nll_loss; class indices or probabilities, weight, ignore_index,
    label_smoothing."""

    __adcli_public__ = _WeightedLoss.__adcli_public__ | frozenset((
        "ignore_index", "label_smoothing"))

    def __init__(self, weight=None, size_average=None, ignore_index: int = -100,
                 reduce=None, reduction: str = "mean", label_smoothing: float = 0.0) -> None:
        super().__init__(weight, size_average, reduce, reduction)
        self.ignore_index = ignore_index
        self.label_smoothing = label_smoothing

    def forward(self, input, target):
        return F.cross_entropy(input, target, weight=self.weight,
                               ignore_index=self.ignore_index, reduction=self.reduction,
                               label_smoothing=self.label_smoothing)


class BCELoss(_WeightedLoss):
    """The binary cross entropy of probabilities."""

    def forward(self, input, target):
        return F.binary_cross_entropy(input, target, weight=self.weight,
                                      reduction=self.reduction)


class BCEWithLogitsLoss(_Loss):
    """sigmoid then binary cross entropy, computed stably (pos_weight)."""

    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("weight", "pos_weight"))

    def __init__(self, weight=None, size_average=None, reduce=None, reduction: str = "mean",
                 pos_weight=None) -> None:
        super().__init__(size_average, reduce, reduction)
        self.register_buffer("weight", weight)
        self.register_buffer("pos_weight", pos_weight)

    def forward(self, input, target):
        return F.binary_cross_entropy_with_logits(input, target, self.weight,
                                                  pos_weight=self.pos_weight,
                                                  reduction=self.reduction)


class KLDivLoss(_Loss):
    """The Kullback-Leibler divergence of log-probabilities."""

    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("log_target",))

    def __init__(self, size_average=None, reduce=None, reduction: str = "mean",
                 log_target: bool = False) -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_target = log_target

    def forward(self, input, target):
        return F.kl_div(input, target, reduction=self.reduction, log_target=self.log_target)

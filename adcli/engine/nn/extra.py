"""The less common layers: RReLU, AlphaDropout, FeatureAlphaDropout, ChannelShuffle,
LPPool1d/2d/3d, MaxUnpool1d/2d/3d, LocalResponseNorm, MultiMarginLoss, MultiLabelMarginLoss and
CTCLoss, each calling its ``torch.nn.functional`` function, with torch's ``extra_repr``.
"""

from __future__ import annotations

from adcli.engine import nn_functional as F
from adcli.engine.nn.layers import Dropout, _Loss, _WeightedLoss
from adcli.engine.nn.module import Module
from adcli.errors import TorchValueError


class RReLU(Module):
    """Randomized leaky ReLU: slopes drawn from U(lower, upper) in training, their mean in
    eval; RreluWithNoiseBackward0."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("lower", "upper", "inplace"))

    def __init__(self, lower: float = 1.0 / 8, upper: float = 1.0 / 3,
                 inplace: bool = False) -> None:
        super().__init__()
        self.lower = lower
        self.upper = upper
        self.inplace = inplace

    def forward(self, input):
        return F.rrelu(input, self.lower, self.upper, self.training, self.inplace)

    def extra_repr(self) -> str:
        inplace = ", inplace=True" if self.inplace else ""
        return f"lower={self.lower}, upper={self.upper}{inplace}"


class AlphaDropout(Dropout):
    """Dropout that keeps SELU's self-normalisation (F.alpha_dropout)."""

    def forward(self, input):
        return F.alpha_dropout(input, self.p, self.training)


class FeatureAlphaDropout(Dropout):
    """AlphaDropout of whole channels (F.feature_alpha_dropout)."""

    def forward(self, input):
        return F.feature_alpha_dropout(input, self.p, self.training)


class ChannelShuffle(Module):
    """The channels split into groups and interleaved; ChannelShuffleBackward0."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("groups",))

    def __init__(self, groups: int) -> None:
        super().__init__()
        self.groups = groups

    def forward(self, input):
        return F.channel_shuffle(input, self.groups)

    def extra_repr(self) -> str:
        return f"groups={self.groups}"


class _LPPoolNd(Module):
    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "norm_type", "kernel_size", "stride", "ceil_mode"))

    def __init__(self, norm_type: float, kernel_size, stride=None,
                 ceil_mode: bool = False) -> None:
        super().__init__()
        self.norm_type = norm_type
        self.kernel_size = kernel_size
        self.stride = stride
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (f"norm_type={self.norm_type}, kernel_size={self.kernel_size}, "
                f"stride={self.stride}, ceil_mode={self.ceil_mode}")


class LPPool1d(_LPPoolNd):
    """The p-norm over sliding 1-D windows."""

    def forward(self, input):
        return F.lp_pool1d(input, float(self.norm_type), self.kernel_size, self.stride,
                           self.ceil_mode)


class LPPool2d(_LPPoolNd):
    """The p-norm over sliding 2-D windows."""

    def forward(self, input):
        return F.lp_pool2d(input, float(self.norm_type), self.kernel_size, self.stride,
                           self.ceil_mode)


def _ntuple(value, n: int) -> tuple:
    if isinstance(value, list | tuple):
        return tuple(value)
    return (value,) * n


class LPPool3d(_LPPoolNd):
    """The p-norm over sliding 3-D windows."""

    def forward(self, input):
        return F.lp_pool3d(input, float(self.norm_type), self.kernel_size, self.stride,
                           self.ceil_mode)


class _MaxUnpoolNd(Module):
    __adcli_public__ = Module.__adcli_public__ | frozenset(("kernel_size", "stride", "padding"))
    _n = 1

    def __init__(self, kernel_size, stride=None, padding=0) -> None:
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, self._n)
        self.stride = _ntuple(stride if stride is not None else kernel_size, self._n)
        self.padding = _ntuple(padding, self._n)

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"


class MaxUnpool1d(_MaxUnpoolNd):
    """MaxPool1d's partial inverse: values back at their indices, zeros elsewhere."""

    def forward(self, input, indices, output_size=None):
        return F.max_unpool1d(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)


class MaxUnpool2d(_MaxUnpoolNd):
    """MaxPool2d's partial inverse: values back at their indices, zeros elsewhere;
    MaxUnpool2DBackward0."""

    _n = 2

    def forward(self, input, indices, output_size=None):
        return F.max_unpool2d(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)


class MaxUnpool3d(_MaxUnpoolNd):
    """MaxPool3d's partial inverse: values back at their indices, zeros elsewhere;
    MaxUnpool3DBackward0."""

    _n = 3

    def forward(self, input, indices, output_size=None):
        return F.max_unpool3d(input, indices, self.kernel_size, self.stride, self.padding,
                              output_size)


class LocalResponseNorm(Module):
    """Each value over (k + alpha * the mean square of size neighbouring channels) ** beta."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("size", "alpha", "beta", "k"))

    def __init__(self, size: int, alpha: float = 1e-4, beta: float = 0.75,
                 k: float = 1.0) -> None:
        super().__init__()
        self.size = size
        self.alpha = alpha
        self.beta = beta
        self.k = k

    def forward(self, input):
        return F.local_response_norm(input, self.size, self.alpha, self.beta, self.k)

    def extra_repr(self) -> str:
        return f"{self.size}, alpha={self.alpha}, beta={self.beta}, k={self.k}"


class MultiMarginLoss(_WeightedLoss):
    """The multi-class hinge loss; MultiMarginLossBackward0."""

    __adcli_public__ = _WeightedLoss.__adcli_public__ | frozenset(("p", "margin"))

    def __init__(self, p: int = 1, margin: float = 1.0, weight=None, size_average=None,
                 reduce=None, reduction: str = "mean") -> None:
        super().__init__(weight, size_average, reduce, reduction)
        if p not in (1, 2):
            raise TorchValueError("only p == 1 and p == 2 supported")
        if weight is not None and weight.dim() != 1:
            raise TorchValueError(f"MultiMarginLoss: expected weight to be None or 1D tensor, "
                                  f"got {weight.dim()}D instead")
        self.p = p
        self.margin = margin

    def forward(self, input, target):
        return F.multi_margin_loss(input, target, p=self.p, margin=self.margin,
                                   weight=self.weight, reduction=self.reduction)


class MultiLabelMarginLoss(_Loss):
    """The multi-label hinge loss; MultilabelMarginLossBackward0."""

    def forward(self, input, target):
        return F.multilabel_margin_loss(input, target, reduction=self.reduction)


class CTCLoss(_Loss):
    """The Connectionist Temporal Classification loss (F.ctc_loss); CtcLossBackward0."""

    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("blank", "zero_infinity"))

    def __init__(self, blank: int = 0, reduction: str = "mean",
                 zero_infinity: bool = False) -> None:
        super().__init__(reduction=reduction)
        self.blank = blank
        self.zero_infinity = zero_infinity

    def forward(self, log_probs, targets, input_lengths, target_lengths):
        return F.ctc_loss(log_probs, targets, input_lengths, target_lengths, self.blank,
                          self.reduction, self.zero_infinity)

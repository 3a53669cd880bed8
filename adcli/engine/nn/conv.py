"""Convolution and pooling modules: Conv1d/Conv2d, MaxPool1d/2d, AvgPool1d/2d and the
adaptive poolings, with torch 2.13's arguments, initialisation and ``extra_repr``. The
arithmetic is ``torch.nn.functional``'s (adcli/engine/nn_functional.py)."""

from __future__ import annotations

from adcli.engine import api
from adcli.engine import nn_functional as F
from adcli.engine.nn import init
from adcli.engine.nn.module import Module
from adcli.engine.nn.parameter import Parameter
from adcli.errors import TorchValueError

_PADDING_MODES = ("zeros", "reflect", "replicate", "circular")


def _ntuple(value, n: int) -> tuple:
    if isinstance(value, (tuple, list)):
        return tuple(value)
    return (value,) * n


class _ConvNd(Module):
    _n = 2
    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation",
        "groups", "padding_mode", "weight", "bias", "reset_parameters", "transposed",
        "output_padding"))

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 dilation=1, groups: int = 1, bias: bool = True, padding_mode: str = "zeros",
                 device=None, dtype=None) -> None:
        super().__init__()
        n = self._n
        kernel_size = _ntuple(kernel_size, n)
        stride = _ntuple(stride, n)
        dilation = _ntuple(dilation, n)
        if not isinstance(padding, str):
            padding = _ntuple(padding, n)
        if groups <= 0:
            raise TorchValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise TorchValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise TorchValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            if padding not in ("same", "valid"):
                raise TorchValueError(f"Invalid padding string {padding!r}, should be one of "
                                      "{'valid', 'same'}")
            if padding == "same" and any(s != 1 for s in stride):
                raise TorchValueError("padding='same' is not supported for strided "
                                      "convolutions")
        if padding_mode not in _PADDING_MODES:
            raise TorchValueError("padding_mode must be one of {'zeros', 'reflect', "
                                  "'replicate', 'circular'}, but got "
                                  f"padding_mode='{padding_mode}'")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = kernel_size
        self.stride = stride
        self.padding = padding
        self.dilation = dilation
        self.transposed = False
        self.output_padding = (0,) * n
        self.groups = groups
        self.padding_mode = padding_mode
        self.weight = Parameter(api.empty(out_channels, in_channels // groups, *kernel_size,
                                          dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(api.empty(out_channels, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self) -> None:
        init.default_conv_init(self.weight, self.bias)

    def extra_repr(self) -> str:
        n = self._n
        s = (f"{self.in_channels}, {self.out_channels}, kernel_size={self.kernel_size}, "
             f"stride={self.stride}")
        if self.padding != (0,) * n:
            s += f", padding={self.padding}"
        if self.dilation != (1,) * n:
            s += f", dilation={self.dilation}"
        if self.groups != 1:
            s += f", groups={self.groups}"
        if self.bias is None:
            s += ", bias=False"
        if self.padding_mode != "zeros":
            s += f", padding_mode={self.padding_mode}"
        return s

    def _padded(self, input):
        """The input padded as padding_mode says (zeros: left to the convolution)."""
        if self.padding_mode == "zeros":
            return input, self.padding
        pads = []
        for p in reversed(self.padding):
            pads += [p, p]
        return F.pad(input, pads, mode=self.padding_mode), (0,) * self._n


class Conv1d(_ConvNd):
    """A 1-D convolution over (N, C, L) input; ConvolutionBackward0."""

    _n = 1

    def forward(self, input):
        x, padding = self._padded(input)
        return F.conv1d(x, self.weight, self.bias, self.stride, padding, self.dilation,
                        self.groups)


class Conv2d(_ConvNd):
    """A 2-D convolution over (N, C, H, W) input; ConvolutionBackward0."""

    _n = 2

    def forward(self, input):
        x, padding = self._padded(input)
        return F.conv2d(x, self.weight, self.bias, self.stride, padding, self.dilation,
                        self.groups)


# ============================================================================ pooling
class _MaxPoolNd(Module):
    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"))

    def __init__(self, kernel_size, stride=None, padding=0, dilation=1,
                 return_indices: bool = False, ceil_mode: bool = False) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.dilation = dilation
        self.return_indices = return_indices
        self.ceil_mode = ceil_mode

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"
                f", dilation={self.dilation}, ceil_mode={self.ceil_mode}")


class MaxPool1d(_MaxPoolNd):
    """The maximum over sliding 1-D windows."""

    def forward(self, input):
        return F.max_pool1d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class MaxPool2d(_MaxPoolNd):
    """The maximum over sliding 2-D windows; MaxPool2DWithIndicesBackward0."""

    def forward(self, input):
        return F.max_pool2d(input, self.kernel_size, self.stride, self.padding, self.dilation,
                            ceil_mode=self.ceil_mode, return_indices=self.return_indices)


class AvgPool1d(Module):
    """The mean over sliding 1-D windows."""

    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad"))

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True) -> None:
        super().__init__()
        self.kernel_size = _ntuple(kernel_size, 1)
        self.stride = _ntuple(stride if stride is not None else kernel_size, 1)
        self.padding = _ntuple(padding, 1)
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input):
        return F.avg_pool1d(input, self.kernel_size, self.stride, self.padding,
                            self.ceil_mode, self.count_include_pad)


class AvgPool2d(Module):
    """The mean over sliding 2-D windows; AvgPool2DBackward0."""

    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad",
        "divisor_override"))

    def __init__(self, kernel_size, stride=None, padding=0, ceil_mode: bool = False,
                 count_include_pad: bool = True, divisor_override=None) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.stride = stride if stride is not None else kernel_size
        self.padding = padding
        self.ceil_mode = ceil_mode
        self.count_include_pad = count_include_pad
        self.divisor_override = divisor_override

    def extra_repr(self) -> str:
        return f"kernel_size={self.kernel_size}, stride={self.stride}, padding={self.padding}"

    def forward(self, input):
        return F.avg_pool2d(input, self.kernel_size, self.stride, self.padding,
                            self.ceil_mode, self.count_include_pad, self.divisor_override)


class _AdaptivePool(Module):
    __adcli_public__ = Module.__adcli_public__ | frozenset(("output_size",))

    def __init__(self, output_size) -> None:
        super().__init__()
        self.output_size = output_size

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveAvgPool1d(_AdaptivePool):
    """The mean over windows chosen to give output_size."""

    def forward(self, input):
        return F.adaptive_avg_pool1d(input, self.output_size)


class AdaptiveAvgPool2d(_AdaptivePool):
    """The mean over windows chosen to give output_size."""

    def forward(self, input):
        return F.adaptive_avg_pool2d(input, self.output_size)

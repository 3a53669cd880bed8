"""Convolution and pooling modules: Conv1d/2d/3d, their transposes, MaxPool1d/2d/3d,
AvgPool1d/2d/3d and the adaptive poolings, with torch 2.13's arguments, initialisation
and ``extra_repr``. The arithmetic is ``torch.nn.functional``'s (adcli/engine/nn_functional.py)."""

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
        if self.padding == "same":  # torch's _reversed_padding_repeated_twice
            for d, k in zip(reversed(self.dilation), reversed(self.kernel_size)):
                total = d * (k - 1)
                pads += [total // 2, total - total // 2]
        elif self.padding == "valid":
            pads = [0, 0] * self._n
        else:
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


class Conv3d(_ConvNd):
    """A 3-D convolution over (N, C, D, H, W) input; ConvolutionBackward0."""

    _n = 3

    def forward(self, input):
        x, padding = self._padded(input)
        return F.conv3d(x, self.weight, self.bias, self.stride, padding, self.dilation,
                        self.groups)


class _ConvTransposeNd(_ConvNd):
    """ConvTranspose1d/2d: weight (C_in, C_out / groups, *k), initialised as a convolution's
    (fan-in from its second dimension, as torch computes it)."""

    def __init__(self, in_channels: int, out_channels: int, kernel_size, stride=1, padding=0,
                 output_padding=0, groups: int = 1, bias: bool = True, dilation=1,
                 padding_mode: str = "zeros", device=None, dtype=None) -> None:
        if padding_mode != "zeros":
            raise TorchValueError(
                f'Only "zeros" padding mode is supported for {type(self).__name__}')
        if isinstance(padding, str):
            raise TorchValueError(f"{type(self).__name__} does not support string padding")
        Module.__init__(self)
        n = self._n
        if groups <= 0:
            raise TorchValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise TorchValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise TorchValueError("out_channels must be divisible by groups")
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _ntuple(kernel_size, n)
        self.stride = _ntuple(stride, n)
        self.padding = _ntuple(padding, n)
        self.dilation = _ntuple(dilation, n)
        self.transposed = True
        self.output_padding = _ntuple(output_padding, n)
        self.groups = groups
        self.padding_mode = padding_mode
        self.weight = Parameter(api.empty(in_channels, out_channels // groups,
                                          *self.kernel_size, dtype=dtype, device=device))
        if bias:
            self.bias = Parameter(api.empty(out_channels, dtype=dtype, device=device))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def extra_repr(self) -> str:
        s = super().extra_repr()
        if self.output_padding != (0,) * self._n:
            s += f", output_padding={self.output_padding}"
        return s

    def _output_padding(self, input, output_size) -> tuple:
        if output_size is None:
            return self.output_padding
        n = self._n
        sizes = list(output_size)[-n:]
        if len(sizes) != n:
            raise TorchValueError(
                f"ConvTranspose{n}D: for {input.dim()}D input, output_size must have {n} or "
                f"{n + 2} elements (got {len(list(output_size))})")
        extra = []
        for i in range(n):
            least = ((input.shape[input.dim() - n + i] - 1) * self.stride[i]
                     - 2 * self.padding[i] + self.dilation[i] * (self.kernel_size[i] - 1) + 1)
            if not least <= sizes[i] < least + self.stride[i]:
                raise TorchValueError(
                    f"requested an output size of {sizes}, but valid sizes range from "
                    f"{least} to {least + self.stride[i] - 1} (for an input of "
                    f"{list(input.shape)[2:]})")
            extra.append(sizes[i] - least)
        return tuple(extra)


class ConvTranspose1d(_ConvTransposeNd):
    """A 1-D transposed convolution over (N, C, L) input; ConvolutionBackward0."""

    _n = 1

    def forward(self, input, output_size=None):
        return F.conv_transpose1d(input, self.weight, self.bias, self.stride, self.padding,
                                  self._output_padding(input, output_size), self.groups,
                                  self.dilation)


class ConvTranspose2d(_ConvTransposeNd):
    """A 2-D transposed convolution over (N, C, H, W) input; ConvolutionBackward0."""

    _n = 2

    def forward(self, input, output_size=None):
        return F.conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding,
                                  self._output_padding(input, output_size), self.groups,
                                  self.dilation)


class ConvTranspose3d(_ConvTransposeNd):
    """A 3-D transposed convolution over (N, C, D, H, W) input; ConvolutionBackward0."""

    _n = 3

    def forward(self, input, output_size=None):
        return F.conv_transpose3d(input, self.weight, self.bias, self.stride, self.padding,
                                  self._output_padding(input, output_size), self.groups,
                                  self.dilation)


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


class MaxPool3d(_MaxPoolNd):
    """The maximum over sliding 3-D windows; MaxPool3DWithIndicesBackward0."""

    def forward(self, input):
        return F.max_pool3d(input, self.kernel_size, self.stride, self.padding, self.dilation,
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


class AvgPool3d(AvgPool2d):
    """The mean over sliding 3-D windows; AvgPool3DBackward0."""

    def forward(self, input):
        return F.avg_pool3d(input, self.kernel_size, self.stride, self.padding,
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


class AdaptiveAvgPool3d(_AdaptivePool):
    """The mean over windows chosen to give output_size (D, H, W)."""

    def forward(self, input):
        return F.adaptive_avg_pool3d(input, self.output_size)


class _AdaptiveMaxPool(Module):
    __adcli_public__ = Module.__adcli_public__ | frozenset(("output_size", "return_indices"))

    def __init__(self, output_size, return_indices: bool = False) -> None:
        super().__init__()
        self.output_size = output_size
        self.return_indices = return_indices

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}"


class AdaptiveMaxPool1d(_AdaptiveMaxPool):
    """The maximum over output_size windows of (N, C, L)."""

    def forward(self, input):
        return F.adaptive_max_pool1d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool2d(_AdaptiveMaxPool):
    """The maximum over output_size windows of (N, C, H, W)."""

    def forward(self, input):
        return F.adaptive_max_pool2d(input, self.output_size, self.return_indices)


class AdaptiveMaxPool3d(_AdaptiveMaxPool):
    """The maximum over output_size windows of (N, C, D, H, W)."""

    def forward(self, input):
        return F.adaptive_max_pool3d(input, self.output_size, self.return_indices)


class Unfold(Module):
    """The sliding blocks of (N, C, H, W) as columns (F.unfold)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset((
        "kernel_size", "dilation", "padding", "stride"))

    def __init__(self, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__()
        self.kernel_size = kernel_size
        self.dilation = dilation
        self.padding = padding
        self.stride = stride

    def forward(self, input):
        return F.unfold(input, self.kernel_size, self.dilation, self.padding, self.stride)

    def extra_repr(self) -> str:
        return (f"kernel_size={self.kernel_size}, dilation={self.dilation}, "
                f"padding={self.padding}, stride={self.stride}")


class Fold(Unfold):
    """Columns summed back into (N, C, *output_size) (F.fold)."""

    __adcli_public__ = Unfold.__adcli_public__ | frozenset(("output_size",))

    def __init__(self, output_size, kernel_size, dilation=1, padding=0, stride=1) -> None:
        super().__init__(kernel_size, dilation, padding, stride)
        self.output_size = output_size

    def forward(self, input):
        return F.fold(input, self.output_size, self.kernel_size, self.dilation, self.padding,
                      self.stride)

    def extra_repr(self) -> str:
        return f"output_size={self.output_size}, " + super().extra_repr()

"""The padding modules: ZeroPad, ConstantPad, ReflectionPad, ReplicationPad and CircularPad
in 1, 2 and 3 dims, each F.pad with its mode; torch 2.13's arguments and reprs."""

from __future__ import annotations

from adcli.engine import nn_functional as F
from adcli.engine.nn.module import Module
from adcli.errors import TorchTypeError


def _padding(padding, n: int, name: str) -> tuple:
    """An int for every side, or 2 * n ints (left, right, top, bottom, front, back)."""
    if isinstance(padding, int) and not isinstance(padding, bool):
        return (padding,) * (2 * n)
    if isinstance(padding, list | tuple) and len(padding) == 2 * n and all(
            isinstance(v, int) and not isinstance(v, bool) for v in padding):
        return tuple(padding)
    raise TorchTypeError(f"{name}: padding must be an int or a tuple of {2 * n} ints, not "
                         f"{padding!r}")


class _PadNd(Module):
    __adcli_public__ = Module.__adcli_public__ | frozenset(("padding", "mode"))
    _n = 1
    mode = "constant"

    def __init__(self, padding) -> None:
        super().__init__()
        self.padding = _padding(padding, self._n, type(self).__name__)

    def forward(self, input):
        return F.pad(input, self.padding, self.mode)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class _ConstantPadNd(_PadNd):
    __adcli_public__ = _PadNd.__adcli_public__ | frozenset(("value",))

    def __init__(self, padding, value: float) -> None:
        super().__init__(padding)
        self.value = value

    def forward(self, input):
        return F.pad(input, self.padding, "constant", self.value)

    def extra_repr(self) -> str:
        return f"padding={self.padding}, value={self.value}"


class ConstantPad1d(_ConstantPadNd):
    """Pad the last dim with a constant."""

    _n = 1


class ConstantPad2d(_ConstantPadNd):
    """Pad the last 2 dims with a constant."""

    _n = 2


class ConstantPad3d(_ConstantPadNd):
    """Pad the last 3 dims with a constant."""

    _n = 3


class _ZeroPadNd(_ConstantPadNd):
    def __init__(self, padding) -> None:
        super().__init__(padding, 0.0)

    def extra_repr(self) -> str:
        return f"{self.padding}"


class ZeroPad1d(_ZeroPadNd):
    """Pad the last dim with zeros."""

    _n = 1


class ZeroPad2d(_ZeroPadNd):
    """Pad the last 2 dims with zeros."""

    _n = 2


class ZeroPad3d(_ZeroPadNd):
    """Pad the last 3 dims with zeros."""

    _n = 3


class ReflectionPad1d(_PadNd):
    """Pad the last dim with its reflection about the edge (the edge not repeated)."""

    _n, mode = 1, "reflect"


class ReflectionPad2d(_PadNd):
    """Pad the last 2 dims with their reflection about the edges."""

    _n, mode = 2, "reflect"


class ReflectionPad3d(_PadNd):
    """Pad the last 3 dims with their reflection about the edges."""

    _n, mode = 3, "reflect"


class ReplicationPad1d(_PadNd):
    """Pad the last dim with copies of its edge values."""

    _n, mode = 1, "replicate"


class ReplicationPad2d(_PadNd):
    """Pad the last 2 dims with copies of their edge values."""

    _n, mode = 2, "replicate"


class ReplicationPad3d(_PadNd):
    """Pad the last 3 dims with copies of their edge values."""

    _n, mode = 3, "replicate"


class CircularPad1d(_PadNd):
    """Pad the last dim with values from its other end."""

    _n, mode = 1, "circular"


class CircularPad2d(_PadNd):
    """Pad the last 2 dims with values from their other ends."""

    _n, mode = 2, "circular"


class CircularPad3d(_PadNd):
    """Pad the last 3 dims with values from their other ends."""

    _n, mode = 3, "circular"

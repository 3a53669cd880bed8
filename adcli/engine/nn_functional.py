"""The torch.nn.functional subset: relu, softplus, softmax, log_softmax."""

from __future__ import annotations

from adcli.engine import api
from adcli.engine import ops as _ops
from adcli.engine import tensor as _tensor
from adcli.engine.tensor import Tensor
from adcli.errors import TorchRuntimeError, TorchValueError

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

"""What the optimizers added after SGD/Adam share: the float32 ``step`` tensors of their
state, the checks of their constructors in torch's words, tensor-by-tensor kernels, and the
failure of ``capturable=True`` on CPU parameters."""

from __future__ import annotations

import numpy as np

from adcli.engine.optim.optimizer import less, nonneg
from adcli.engine.tensor import Tensor, _wrap
from adcli.errors import TorchAssertionError, TorchTypeError, TorchValueError

_F32 = np.float32
_F64 = np.float64

# torch's list for these optimizers on a CPU-only build (Adadelta's leaves out xla)
_DEVICES = "['cuda', 'xpu', 'hpu', 'privateuseone', 'xla']"
_DEVICES_NO_XLA = "['cuda', 'xpu', 'hpu', 'privateuseone']"


def scalar_tensor(value, dtype=_F32) -> Tensor:
    """A 0-dim tensor (torch keeps ``step`` and such as float32 0-dim CPU tensors)."""
    return _wrap(np.array(value, dtype))


def capturable_fail(what: str = "params and state_steps", xla: bool = True) -> None:
    """torch's AssertionError for ``capturable=True`` with parameters on the CPU."""
    raise TorchAssertionError(
        f"If capturable=True, {what} must be on supported devices: "
        f"{_DEVICES if xla else _DEVICES_NO_XLA}.")


def check_lr(lr) -> None:
    from adcli.engine.optim.optimizer import number

    number(lr, "lr")
    if not nonneg(lr):
        raise TorchValueError(f"Invalid learning rate: {lr}")


def check_nonneg(value, text: str) -> None:
    """``if not 0.0 <= value: raise ValueError(f"Invalid {text}: {value}")``."""
    if not nonneg(value):
        raise TorchValueError(f"Invalid {text}: {value}")


def check_betas(betas) -> None:
    """``0.0 <= betas[i] < 1.0`` for both, torch's messages."""
    try:
        b0, b1 = betas[0], betas[1]
    except (TypeError, IndexError, KeyError) as e:
        raise TorchTypeError(str(e)) from None
    if not (nonneg(b0) and less(b0, 1.0)):
        raise TorchValueError(f"Invalid beta parameter at index 0: {b0}")
    if not (nonneg(b1) and less(b1, 1.0)):
        raise TorchValueError(f"Invalid beta parameter at index 1: {b1}")


def opmath(a: np.ndarray):
    return _F64 if a.dtype == _F64 else _F32


def tmul(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a * b`` of two tensors of a's dtype: one rounding (in opmath for half types)."""
    op = opmath(a)
    if a.dtype == op and b.dtype == op:
        return a * b
    return (a.astype(op) * b.astype(op)).astype(a.dtype)


def tdiv(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``a / b`` of two tensors."""
    op = opmath(a)
    if a.dtype == op and b.dtype == op:
        return a / b
    return (a.astype(op) / b.astype(op)).astype(a.dtype)


def tsub(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    op = opmath(a)
    if a.dtype == op and b.dtype == op:
        return a - b
    return (a.astype(op) - b.astype(op)).astype(a.dtype)


def reciprocal(a: np.ndarray) -> np.ndarray:
    """``a.reciprocal()``: a true division of one by each element."""
    op = opmath(a)
    if a.dtype == op:
        return op(1) / a
    return (op(1) / a.astype(op)).astype(a.dtype)


def tsign(a: np.ndarray) -> np.ndarray:
    """``torch.sign``: -1, 0 or 1 (0 for NaN, as ATen's kernel gives)."""
    s = np.sign(a)
    if a.dtype.kind == "f":
        s[np.isnan(s)] = 0
    return s

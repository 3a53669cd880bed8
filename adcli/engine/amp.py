"""``torch.amp``: autocast and GradScaler as torch 2.13's CPU build runs them.

``autocast`` checks its device type and dtype as torch does and disables itself with
torch's warning where torch does (CUDA is not available; a dtype other than float16 /
bfloat16); disabled, it changes nothing. Enabled on the CPU (float16 or bfloat16 compute)
adcli refuses it: its kernels' reduced-precision rounding is not reproduced.

``GradScaler`` follows torch's algorithm step for step: the loss times a float32 scale
(MulBackward0), gradients times the scale's float32 reciprocal with a check for
non-finite values, the optimizer step skipped when one is found, the scale backed off or
grown by ``update()``; ``GradScaler("cuda")`` (the default) disables itself on the CPU.
``torch.cuda.amp``'s deprecated classes warn as torch's do.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import dtypes as _dt
from adcli.engine.tensor import Tensor, warn
from adcli.errors import (
    TorchAssertionError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchValueError,
)

_DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip",
                 "ve", "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                 "privateuseone")
_AUTOCAST_DEVICES = ("cpu", "cuda", "xpu", "mps", "hpu", "mtia", "xla", "ipu", "maia")
_ENABLED: dict = {}  # device type -> whether autocast is on (never, here)


def _api():
    from adcli.engine import api

    return api


class _Bfloat16:
    """torch.bfloat16 where only its name is needed (autocast's default CPU dtype)."""

    def __repr__(self) -> str:
        return "torch.bfloat16"


BFLOAT16 = _Bfloat16()


def is_autocast_available(device_type: str) -> bool:
    return device_type in _AUTOCAST_DEVICES


def is_autocast_enabled(device_type=None) -> bool:
    return bool(_ENABLED.get("cuda" if device_type is None else device_type, False))


def get_autocast_dtype(device_type: str):
    return _dt.float16 if device_type in ("cuda", "mps") else BFLOAT16


class autocast:  # noqa: N801 - torch's name
    """``torch.autocast(device_type, dtype=None, enabled=True, cache_enabled=None)``: a
    context manager (and decorator) for mixed precision."""

    __adcli_public__ = frozenset(("device", "fast_dtype"))

    def __init__(self, device_type, dtype=None, enabled=True, cache_enabled=None,
                 _site=None) -> None:
        if not isinstance(device_type, str):
            raise TorchValueError("Expected `device_type` of type `str`, got: `<class "
                                  f"'{type(device_type).__name__}'>`")
        if device_type.split(":")[0] not in _DEVICE_TYPES:
            raise TorchRuntimeError(
                f"Expected one of {', '.join(_DEVICE_TYPES)} device type at start of device "
                f"string: {device_type}")
        self.fast_dtype = get_autocast_dtype(device_type) if dtype is None else dtype
        self.device = device_type
        if not is_autocast_available(device_type):
            raise TorchRuntimeError(
                f"User specified an unsupported autocast device_type '{device_type}'")
        if enabled:
            if device_type == "cuda":
                warn("CUDA is not available or torch_xla is imported. Disabling autocast.",
                     _site)
                enabled = False
            elif self.fast_dtype is not BFLOAT16 and self.fast_dtype is not _dt.float16:
                name = device_type.upper()
                warn(f"In {name} autocast, but the target dtype is not supported. Disabling "
                     f"autocast.\n{name} Autocast only supports dtypes of torch.bfloat16, "
                     "torch.float16 currently.", _site)
                enabled = False
        self._enabled = bool(enabled)

    def __enter__(self):
        if self._enabled:
            raise TorchNotImplementedError(
                f"autocast on '{self.device}' with {self.fast_dtype} is not supported by adcli "
                "(reduced-precision kernels are not reproduced); pass enabled=False")
        self._prev = _ENABLED.get(self.device, False)
        _ENABLED[self.device] = False
        return self

    def __exit__(self, *exc) -> None:
        _ENABLED[self.device] = self._prev

    def __call__(self, func):
        def decorate_autocast(*args, **kwargs):
            with self:
                return func(*args, **kwargs)

        decorate_autocast.__name__ = getattr(func, "__name__", "decorate_autocast")
        return decorate_autocast


_READY, _UNSCALED, _STEPPED = 0, 1, 2
_FIX = ("This may indicate your script did not use scaler.scale(loss or outputs) earlier in "
        "the iteration.")


class GradScaler:
    """``torch.amp.GradScaler(device="cuda", init_scale=2.**16, growth_factor=2.0,
    backoff_factor=0.5, growth_interval=2000, enabled=True)``."""

    __adcli_public__ = frozenset((
        "scale", "unscale_", "step", "update", "get_scale", "get_growth_factor",
        "set_growth_factor", "get_backoff_factor", "set_backoff_factor",
        "get_growth_interval", "set_growth_interval", "is_enabled", "state_dict",
        "load_state_dict"))

    def __init__(self, device="cuda", init_scale=2.0**16, growth_factor=2.0,
                 backoff_factor=0.5, growth_interval=2000, enabled=True, _site=None) -> None:
        self._device = device
        self._enabled = enabled
        if device == "cuda" and enabled:
            warn("torch.cuda.amp.GradScaler is enabled, but CUDA is not available.  "
                 "Disabling.", _site)
            self._enabled = False
        if self._enabled:
            if growth_factor <= 1.0:
                raise TorchAssertionError("The growth factor must be > 1.0.")
            if backoff_factor >= 1.0:
                raise TorchAssertionError("The backoff factor must be < 1.0.")
            self._init_scale = init_scale
            self._scale = None
            self._growth_factor = growth_factor
            self._backoff_factor = backoff_factor
            self._growth_interval = growth_interval
            self._init_growth_tracker = 0
            self._growth_tracker = None
            self._states: dict = {}

    def _state(self, optimizer) -> dict:
        return self._states.setdefault(id(optimizer), {"stage": _READY, "found_inf": None})

    def _check(self, funcname: str) -> None:
        if self._scale is None:
            raise TorchAssertionError(f"Attempted {funcname} but _scale is None.  " + _FIX)
        if self._growth_tracker is None:
            raise TorchAssertionError(
                f"Attempted {funcname} but _growth_tracker is None.  " + _FIX)

    def scale(self, outputs):
        if not self._enabled:
            return outputs
        if self._scale is None:
            self._scale = _api().full((), self._init_scale, dtype=_dt.float32)
            self._growth_tracker = _api().full((), self._init_growth_tracker,
                                               dtype=_dt.int32)

        def apply_scale(val):
            if isinstance(val, Tensor):
                return val * self._scale
            if isinstance(val, list | tuple):
                return type(val)(apply_scale(v) for v in val)
            raise TorchValueError("outputs must be a Tensor or an iterable of Tensors")

        return apply_scale(outputs)

    def _unscale_grads_(self, optimizer, inv_scale: np.float32, allow_fp16: bool):
        """Each gradient times ``inv_scale`` (one float32 product), and whether any was
        not finite (None when no parameter has a gradient: no check recorded)."""
        found, seen = False, False
        for group in optimizer.param_groups:
            for param in group["params"]:
                g = param.grad
                if g is None:
                    continue
                if not allow_fp16 and g.dtype is _dt.float16:
                    raise TorchValueError("Attempting to unscale FP16 gradients.")
                seen = True
                data = g._data
                if not np.isfinite(data).all():
                    found = True
                if inv_scale != 1.0:
                    scaled = data * data.dtype.type(inv_scale)
                    if data.flags.writeable:
                        data[...] = scaled
                    else:
                        g._data = scaled
        return found if seen else None

    def unscale_(self, optimizer) -> None:
        if not self._enabled:
            return
        self._check("unscale_")
        state = self._state(optimizer)
        if state["stage"] == _UNSCALED:
            raise TorchRuntimeError("unscale_() has already been called on this optimizer "
                                    "since the last update().")
        if state["stage"] == _STEPPED:
            raise TorchRuntimeError("unscale_() is being called after step().")
        scale = float(self._scale._data)
        inv_scale = np.float32(1.0 / scale)  # the scale's double reciprocal, as float32
        state["found_inf"] = self._unscale_grads_(optimizer, inv_scale, False)
        state["stage"] = _UNSCALED

    def step(self, optimizer, *args, **kwargs):
        if not self._enabled:
            return optimizer.step(*args, **kwargs)
        if "closure" in kwargs:
            raise TorchRuntimeError(
                "Closure use is not currently supported if GradScaler is enabled.")
        self._check("step")
        state = self._state(optimizer)
        if state["stage"] == _STEPPED:
            raise TorchRuntimeError("step() has already been called since the last update().")
        if state["stage"] == _READY:
            self.unscale_(optimizer)
        if state["found_inf"] is None:
            raise TorchAssertionError("No inf checks were recorded for this optimizer.")
        retval = None
        if not state["found_inf"]:
            retval = optimizer.step(*args, **kwargs)
        state["stage"] = _STEPPED
        return retval

    def update(self, new_scale=None) -> None:
        if not self._enabled:
            return
        self._check("update")
        if new_scale is not None:
            if isinstance(new_scale, float):
                self._scale._data[...] = np.float32(new_scale)
            else:
                reason = ("new_scale should be a float or a 1-element torch.cuda.FloatTensor "
                          "or torch.FloatTensor with requires_grad=False.")
                if not isinstance(new_scale, Tensor) or new_scale.numel() != 1 \
                        or new_scale.requires_grad:
                    raise TorchAssertionError(reason)
                self._scale._data[...] = new_scale._data.reshape(())
        else:
            found = [s["found_inf"] for s in self._states.values()
                     if s["found_inf"] is not None]
            if not found:
                raise TorchAssertionError("No inf checks were recorded prior to update.")
            scale = self._scale._data
            tracker = self._growth_tracker._data
            if any(found):
                scale[...] = np.float32(float(scale) * self._backoff_factor)
                tracker[...] = 0
            else:
                successful = int(tracker) + 1
                if successful == self._growth_interval:
                    grown = np.float32(float(scale) * self._growth_factor)
                    if math.isfinite(grown):
                        scale[...] = grown
                    tracker[...] = 0
                else:
                    tracker[...] = successful
        self._states = {}

    def get_scale(self) -> float:
        if self._enabled:
            return self._init_scale if self._scale is None else self._scale.item()
        return 1.0

    def get_growth_factor(self):
        return self._growth_factor

    def set_growth_factor(self, new_factor) -> None:
        self._growth_factor = new_factor

    def get_backoff_factor(self):
        return self._backoff_factor

    def set_backoff_factor(self, new_factor) -> None:
        self._backoff_factor = new_factor

    def get_growth_interval(self):
        return self._growth_interval

    def set_growth_interval(self, new_interval) -> None:
        self._growth_interval = new_interval

    def _get_growth_tracker(self) -> int:
        if self._enabled:
            return self._init_growth_tracker if self._growth_tracker is None \
                else self._growth_tracker.item()
        return 0

    def is_enabled(self) -> bool:
        return self._enabled

    def state_dict(self) -> dict:
        if self._enabled:
            return {"scale": self.get_scale(), "growth_factor": self._growth_factor,
                    "backoff_factor": self._backoff_factor,
                    "growth_interval": self._growth_interval,
                    "_growth_tracker": self._get_growth_tracker()}
        return {}

    def load_state_dict(self, state_dict) -> None:
        if not self._enabled:
            return
        if len(state_dict) == 0:
            raise TorchRuntimeError("The source state dict is empty, possibly because it was "
                                    "saved from a disabled instance of GradScaler.")
        self._init_scale = state_dict["scale"]
        if self._scale is not None:
            self._scale._data[...] = np.float32(state_dict["scale"])
        self._growth_factor = state_dict["growth_factor"]
        self._backoff_factor = state_dict["backoff_factor"]
        self._growth_interval = state_dict["growth_interval"]
        self._init_growth_tracker = state_dict["_growth_tracker"]
        if self._growth_tracker is not None:
            self._growth_tracker._data[...] = state_dict["_growth_tracker"]


# where Python reports the warnings of torch.cuda.amp's deprecated classes' constructors
_CUDA_SCALER_SITE = ("cuda/amp/grad_scaler.py", 31, "super().__init__(")
_CUDA_AUTOCAST_SITE = ("cuda/amp/autocast_mode.py", 54, "super().__init__(")


class CudaGradScaler(GradScaler):
    """``torch.cuda.amp.GradScaler(...)``: deprecated for torch.amp.GradScaler('cuda')."""

    def __init__(self, init_scale=2.0**16, growth_factor=2.0, backoff_factor=0.5,
                 growth_interval=2000, enabled=True) -> None:
        warn("`torch.cuda.amp.GradScaler(args...)` is deprecated. Please use "
             "`torch.amp.GradScaler('cuda', args...)` instead.", category=FutureWarning)
        super().__init__("cuda", init_scale, growth_factor, backoff_factor, growth_interval,
                         enabled, _site=_CUDA_SCALER_SITE)


class CudaAutocast(autocast):
    """``torch.cuda.amp.autocast(...)``: deprecated for torch.amp.autocast('cuda')."""

    def __init__(self, enabled=True, dtype=None, cache_enabled=True) -> None:
        warn("`torch.cuda.amp.autocast(args...)` is deprecated. Please use "
             "`torch.amp.autocast('cuda', args...)` instead.", category=FutureWarning)
        super().__init__("cuda", dtype=_dt.float16 if dtype is None else dtype,
                         enabled=enabled, cache_enabled=cache_enabled,
                         _site=_CUDA_AUTOCAST_SITE)


CudaGradScaler.__name__ = CudaGradScaler.__qualname__ = "GradScaler"
CudaAutocast.__name__ = CudaAutocast.__qualname__ = "autocast"
# torch's modules of these classes (what type(scaler) prints)
autocast.__module__ = "torch.amp.autocast_mode"
GradScaler.__module__ = "torch.amp.grad_scaler"
CudaAutocast.__module__ = "torch.cuda.amp.autocast_mode"
CudaGradScaler.__module__ = "torch.cuda.amp.grad_scaler"

AMP_MEMBERS = {"autocast": autocast, "GradScaler": GradScaler,
               "is_autocast_available": is_autocast_available}
CUDA_AMP_MEMBERS = {"autocast": CudaAutocast, "GradScaler": CudaGradScaler}
TORCH_MEMBERS = {"autocast": autocast, "is_autocast_enabled": is_autocast_enabled,
                 "get_autocast_dtype": get_autocast_dtype}

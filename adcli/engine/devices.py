"""Devices, as torch 2.13's CPU build sees them: ``torch.device``, ``torch.cuda``,
``torch.backends.mps``, ``torch.accelerator`` and the ``device=`` checks of ``.to()`` and
the factories.

adcli computes on the CPU only, like a CPU build of torch: ``torch.cuda.is_available()``
is False, and asking for CUDA raises what that build raises (``AssertionError: Torch not
compiled with CUDA enabled``), word for word. Messages here are torch's.

``Namespace`` (a module-like object with fixed members: ``torch``, ``torch.cuda``, ...)
lives here so that a ``device`` can be one: the interpreter reads a namespace's
attributes (``device.type``, ``device.index``) from its member table and nothing else.
"""

from __future__ import annotations

from adcli.engine.dtypes import dtype as _dtype
from adcli.errors import AdcliError, TorchAssertionError, TorchRuntimeError, TorchTypeError


class Namespace:
    """A module-like object (``torch``, ``F``, ``torch.autograd``) with fixed members."""

    __slots__ = ("name", "members")

    def __init__(self, name: str, members: dict) -> None:
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"

    def __copy__(self):  # a module is one object: copies of what refers to it share it
        return self

    def __deepcopy__(self, memo):
        return self


class _Loader:
    """What a ``LazyNamespace`` holds in ``members`` until it is first read."""

    __slots__ = ("load",)

    def __init__(self, load) -> None:
        self.load = load


_MEMBERS_SLOT = Namespace.__dict__["members"]


class LazyNamespace(Namespace):
    """A ``Namespace`` whose members are built on first use by ``load()`` (which imports
    the engine modules behind them: ``torch.nn``, ``torch.optim``, ...), so that a command
    that never reaches them does not pay for their import. Once loaded it turns into a
    plain ``Namespace``, and reading its members costs what any namespace's does."""

    __slots__ = ()

    def __init__(self, name: str, load) -> None:
        self.name = name
        _MEMBERS_SLOT.__set__(self, _Loader(load))

    @property
    def members(self) -> dict:
        members = _MEMBERS_SLOT.__get__(self)
        if type(members) is _Loader:
            members = members.load()
            _MEMBERS_SLOT.__set__(self, members)
            self.__class__ = Namespace
        return members


DEVICE_TYPES = ("cpu", "cuda", "ipu", "xpu", "mkldnn", "opengl", "opencl", "ideep", "hip",
                "ve", "fpga", "maia", "xla", "lazy", "vulkan", "mps", "meta", "hpu", "mtia",
                "privateuseone")
NO_ACCELERATOR = "Cannot access accelerator device when none is available."
NO_CUDA = "Torch not compiled with CUDA enabled"


def _type_name(x) -> str:
    if isinstance(x, device):
        return "torch.device"
    if isinstance(x, _dtype):
        return "torch.dtype"
    return type(x).__name__  # a Tensor's is "Tensor"


def _parse(text: str) -> tuple[str, int | None]:
    if not text:
        raise TorchRuntimeError("Device string must not be empty")
    kind, colon, index = text.partition(":")
    if colon and not (index.isdigit() and index.isascii() and (index == "0" or index[0] != "0")):
        raise TorchRuntimeError(f"Invalid device string: '{text}'")
    if kind not in DEVICE_TYPES:
        if not kind.isalpha() or not kind.isascii():
            raise TorchRuntimeError(f"Invalid device string: '{text}'")
        raise TorchRuntimeError(f"Expected one of {', '.join(DEVICE_TYPES)} device type at "
                                f"start of device string: {text}")
    return kind, (int(index) if colon else None)


class device(Namespace):
    """``torch.device(type, index=None)``: ``device(type='cpu')``, ``device('cuda:1')``."""

    __slots__ = ()

    def __init__(self, type=None, index=None) -> None:
        if isinstance(type, device) and index is None:
            kind, idx = type.type, type.index
        elif isinstance(type, int) and not isinstance(type, bool) and index is None:
            raise TorchRuntimeError(NO_ACCELERATOR)
        elif isinstance(type, str):
            kind, idx = _parse(type)
            if index is not None:
                if not isinstance(index, int) or isinstance(index, bool):
                    raise TorchTypeError(f"device(): argument 'index' (position 2) must be int, "
                                         f"not {_type_name(index)}")
                if idx is not None:
                    raise TorchRuntimeError("type (string) must not include an index because "
                                            f"index was passed explicitly: {type}")
                idx = index
            if idx is not None and idx < 0:
                raise TorchRuntimeError("Device index must not be negative")
        elif index is not None:
            raise TorchTypeError(f"device(): argument 'type' (position 1) must be str, not "
                                 f"{_type_name(type)}")
        else:
            got = _type_name(type)
            raise TorchTypeError(
                f"device() received an invalid combination of arguments - got ({got}), but "
                f"expected one of:\n * (torch.device device)\n      didn't match because some "
                f"of the arguments have invalid types: (!{got}!)\n * (str type, int index = -1)\n")
        super().__init__("torch.device", {"type": kind, "index": idx})

    @property
    def type(self) -> str:
        return self.members["type"]

    @property
    def index(self) -> int | None:
        return self.members["index"]

    def __repr__(self) -> str:
        if self.index is None:
            return f"device(type='{self.type}')"
        return f"device(type='{self.type}', index={self.index})"

    def __str__(self) -> str:
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return self.type == other.type and self.index == other.index

    def __ne__(self, other) -> bool:
        if not isinstance(other, device):
            return NotImplemented
        return not self == other

    def __hash__(self) -> int:
        return hash(("device", self.type, self.index))

    def __reduce__(self):
        return (device, (self.type, self.index))


CPU = device("cpu")
_DEFAULT = [None]  # set_default_device's device (None: the CPU)


def _unavailable(kind: str) -> AdcliError:
    if kind == "cuda":
        return TorchAssertionError(NO_CUDA)
    if kind == "xpu":
        return TorchAssertionError("Torch not compiled with XPU enabled")
    if kind in ("hpu", "privateuseone"):
        from adcli.errors import TorchModuleNotFoundError

        return TorchModuleNotFoundError(f"No module named 'torch.{kind}'")
    if kind == "meta":
        return TorchRuntimeError("adcli computes on the CPU only: tensors on the 'meta' device "
                                 "are not supported")
    return TorchRuntimeError(f"PyTorch is not linked with support for {kind} devices")


def as_device(value) -> device:
    """The device that a ``device=`` argument names (a str, a device or an int)."""
    return value if isinstance(value, device) else device(value)


def check(value) -> None:
    """A ``device=`` argument of a factory or of ``.to()``: only the CPU is there; anything
    else raises as torch's CPU build raises. None means the default device."""
    if value is None:
        value = _DEFAULT[0]
        if value is None:
            return
    d = as_device(value)
    if d.type != "cpu":
        raise _unavailable(d.type)


def set_default_device(device=None) -> None:
    """``torch.set_default_device``: a CUDA default is accepted, and refused by the next
    factory, as in torch's CPU build."""
    _DEFAULT[0] = None if device is None else as_device(device)
    if _DEFAULT[0] is not None and _DEFAULT[0].type == "cpu":
        _DEFAULT[0] = None


def get_default_device() -> device:
    check(None)
    return CPU


def reset() -> None:
    """Back to the CPU default (a new session)."""
    _DEFAULT[0] = None


# ---- torch.cuda, torch.backends.mps, torch.accelerator (a CPU-only machine) ---------------


def is_available() -> bool:
    return False


def device_count() -> int:
    return 0


def is_initialized() -> bool:
    return False


def _no_cuda(*args, **kwargs):
    raise TorchAssertionError(NO_CUDA)


def _nothing(*args, **kwargs) -> None:
    return None


def current_accelerator(check_available=False) -> None:
    return None


CUDA_MEMBERS = {
    "is_available": is_available, "device_count": device_count,
    "is_initialized": is_initialized, "current_device": _no_cuda,
    "get_device_name": _no_cuda, "synchronize": _no_cuda, "manual_seed": _nothing,
    "manual_seed_all": _nothing, "empty_cache": _nothing,
}
MPS_MEMBERS = {"is_available": is_available, "is_built": is_available}


def _true() -> bool:
    return True


class _BackendModule:
    """A ``torch.backends`` submodule whose flags a script reads and sets
    (``torch.backends.cudnn.deterministic = True``): torch's values on its CPU build."""

    __adcli_public__ = frozenset()
    __adcli_settable__ = frozenset()

    def __repr__(self) -> str:
        return f"<module '{self._name}'>"


class CudnnModule(_BackendModule):
    """``torch.backends.cudnn``: its flags (enabled, deterministic, benchmark, ...), which
    change nothing on the CPU; cuDNN is not available."""

    __adcli_public__ = frozenset(("enabled", "deterministic", "benchmark", "allow_tf32",
                                  "benchmark_limit", "is_available", "version"))
    __adcli_settable__ = frozenset(("enabled", "deterministic", "benchmark", "allow_tf32",
                                    "benchmark_limit"))
    _name = "torch.backends.cudnn"

    def __init__(self) -> None:
        self.enabled, self.deterministic, self.benchmark = True, False, False
        self.allow_tf32, self.benchmark_limit = True, None

    @staticmethod
    def is_available() -> bool:
        return False

    @staticmethod
    def version():
        return None


class _MatmulFlags(_BackendModule):
    """``torch.backends.cuda.matmul``: the TF32 / reduced-precision flags."""

    __adcli_public__ = frozenset(("allow_tf32", "allow_fp16_reduced_precision_reduction",
                                  "allow_bf16_reduced_precision_reduction"))
    __adcli_settable__ = __adcli_public__
    _name = "torch.backends.cuda.matmul"

    def __init__(self) -> None:
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


CUDNN = CudnnModule()
BACKENDS_CUDA_MEMBERS = {"is_built": is_available, "matmul": _MatmulFlags()}
BACKENDS_MKLDNN_MEMBERS = {"is_available": _true}
BACKENDS_OPENMP_MEMBERS = {"is_available": _true}
ACCELERATOR_MEMBERS = {"is_available": is_available, "device_count": device_count,
                       "current_accelerator": current_accelerator}


# ---- Tensor.to ------------------------------------------------------------------------------

_TO_SIGNATURES = (
    " * (torch.device device = None, torch.dtype dtype = None, bool non_blocking = False, "
    "bool copy = False, *, torch.memory_format memory_format = None)\n"
    " * (torch.dtype dtype, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
    " * (Tensor tensor, bool non_blocking = False, bool copy = False, *, "
    "torch.memory_format memory_format = None)\n"
)
_TO_KEYWORDS = ("device", "dtype", "non_blocking", "copy", "memory_format")


def _to_error(args: tuple, kwargs: dict) -> TorchTypeError:
    got = ", ".join(_type_name(a) for a in args)
    kws = ", ".join(f"{k}={_type_name(v)}" for k, v in kwargs.items())
    if kws:
        got = f"{got}, {kws}" if got else f"{kws}, "
    return TorchTypeError(f"to() received an invalid combination of arguments - got ({got}), "
                          f"but expected one of:\n{_TO_SIGNATURES}")


def _is_device_arg(x) -> bool:
    return isinstance(x, str | device) or (isinstance(x, int) and not isinstance(x, bool))


def parse_to(args: tuple, kwargs: dict, Tensor: type):  # noqa: N803 - the class, passed down
    """``.to(...)``'s arguments as torch parses them: (dtype or None, copy). The device is
    checked (only the CPU is there). ``Tensor`` is the tensor class (devices sits below it)."""

    if any(k not in _TO_KEYWORDS for k in kwargs):
        raise _to_error(args, kwargs)
    dev, dt, flags = kwargs.get("device"), kwargs.get("dtype"), list(args)
    if flags and isinstance(flags[0], Tensor | _dtype):
        if "device" in kwargs or "dtype" in kwargs:
            raise _to_error(args, kwargs)
        first = flags.pop(0)
        dt = first.dtype if isinstance(first, Tensor) else first
    elif flags and (flags[0] is None or _is_device_arg(flags[0])):
        if "device" in kwargs:
            raise _to_error(args, kwargs)
        dev = flags.pop(0)
        if flags and (flags[0] is None or isinstance(flags[0], _dtype)):
            if "dtype" in kwargs:
                raise _to_error(args, kwargs)
            dt = flags.pop(0)
    if (len(flags) > 2 or not all(isinstance(f, bool) for f in flags)
            or not (dev is None or _is_device_arg(dev))
            or not (dt is None or isinstance(dt, _dtype))):
        raise _to_error(args, kwargs)
    names = ("non_blocking", "copy")
    values = dict(zip(names, flags, strict=False))
    for k in names:
        if k in kwargs:
            if k in values or not isinstance(kwargs[k], bool):
                raise _to_error(args, kwargs)
            values[k] = kwargs[k]
    if dev is not None:
        check(dev)
    return dt, values.get("copy", False)

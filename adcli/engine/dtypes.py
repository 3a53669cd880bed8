"""dtype objects (``torch.float32`` ...) and PyTorch's type-promotion rules."""

from __future__ import annotations

import numpy as np

BOOL, INT, FLOAT = 0, 1, 2  # categories, in promotion order


class dtype:
    """A tensor element type; prints as ``torch.<name>`` like torch's dtype objects."""

    __slots__ = ("name", "np", "kind", "itemsize", "legacy")
    # what a script may read (x.dtype.is_floating_point)
    __adcli_public__ = frozenset(("is_floating_point", "is_complex", "is_signed", "itemsize"))

    def __init__(self, name: str, np_type: type, kind: int, legacy: str) -> None:
        self.name = name
        self.np = np.dtype(np_type)
        self.kind = kind
        self.itemsize = self.np.itemsize
        self.legacy = legacy  # the name torch uses in messages: Float, Long, ...

    @property
    def is_floating_point(self) -> bool:
        return self.kind == FLOAT

    @property
    def is_complex(self) -> bool:
        return False

    @property
    def is_signed(self) -> bool:
        return self.name != "uint8" and self.kind != BOOL

    def __repr__(self) -> str:
        return "torch." + self.name


dtype.__module__ = "torch"  # as type(x.dtype) prints: <class 'torch.dtype'>

float16 = dtype("float16", np.float16, FLOAT, "Half")
float32 = dtype("float32", np.float32, FLOAT, "Float")
float64 = dtype("float64", np.float64, FLOAT, "Double")
uint8 = dtype("uint8", np.uint8, INT, "Byte")
int8 = dtype("int8", np.int8, INT, "Char")
int16 = dtype("int16", np.int16, INT, "Short")
int32 = dtype("int32", np.int32, INT, "Int")
int64 = dtype("int64", np.int64, INT, "Long")
bool_ = dtype("bool", np.bool_, BOOL, "Bool")

ALL = (float16, float32, float64, uint8, int8, int16, int32, int64, bool_)
BY_NP: dict[np.dtype, dtype] = {d.np: d for d in ALL}
# the C++ type names torch's messages print for a tensor's dtype (caffe2's TypeMeta)
CPP_NAMES = {"float16": "c10::Half", "float32": "float", "float64": "double",
             "uint8": "unsigned char", "int8": "signed char", "int16": "short int",
             "int32": "int", "int64": "long int", "bool": "bool"}
BY_NAME: dict[str, dtype] = {d.name: d for d in ALL}
# torch's aliases: torch.float is float32, torch.int is int32, ...
ALIASES = {
    "float": float32, "double": float64, "half": float16, "long": int64,
    "int": int32, "short": int16, "bool": bool_,
}

default_float = float32  # torch.get_default_dtype(); set_default_float changes it
DEFAULT_FLOAT_NP = [np.dtype(np.float32)]  # the same as a numpy dtype, for hot paths


def set_default_float(d: dtype) -> None:
    global default_float
    default_float = d
    DEFAULT_FLOAT_NP[0] = np.dtype(d.np)


def of(arr: np.ndarray) -> dtype:
    """The dtype object of a numpy array (every array the engine holds has one)."""
    return BY_NP[arr.dtype]


def promote(a: dtype | None, b: dtype | None) -> dtype | None:
    """torch.promote_types: a higher category wins, else the wider type."""
    if a is None or a is b:
        return b
    if b is None:
        return a
    if a.kind != b.kind:
        return a if a.kind > b.kind else b
    return BY_NP[np.promote_types(a.np, b.np)]


def scalar_dtype(value: object) -> dtype:
    """The dtype a Python number takes part in promotion with (float -> default float)."""
    if isinstance(value, bool):
        return bool_
    if isinstance(value, int):
        return int64
    return default_float


def _combine(higher: dtype | None, lower: dtype | None) -> dtype | None:
    # torch's combine_categories: a lower-priority operand only matters if its category
    # is higher (a float scalar turns an int tensor into the default float type).
    if higher is None:
        return lower
    if lower is None or higher.kind == FLOAT:
        return higher
    if higher is bool_ or lower.kind == FLOAT:
        return promote(higher, lower)
    return higher


def result_type(dims: dtype | None, zero_dims: dtype | None, scalars: dtype | None) -> dtype:
    """torch.result_type from the promoted dtypes of the three operand tiers:
    tensors with dimensions, 0-d tensors, and Python numbers."""
    return _combine(dims, _combine(zero_dims, scalars))


def can_cast(src: dtype, dst: dtype) -> bool:
    """torch.can_cast: whether an in-place op may write a ``src`` result into ``dst``."""
    return src.kind <= dst.kind


def to_dtype(value: object) -> dtype:
    """Accept a dtype object (or its name) as torch's dtype= argument does."""
    if isinstance(value, dtype):
        return value
    from adcli.errors import TorchTypeError

    raise TorchTypeError(f"dtype must be a torch dtype such as torch.float32, not {value!r}")

"""The torch-level API: functions named and parameterised as torch's, and Tensor methods.

Every function here checks its arguments the way torch does and calls a grad_fn class
from ``ops/``. Which of them torch also has as ``Tensor`` methods, in-place methods and
operators is declared in ``declarations/``, from which ``Tensor`` gets them.
"""

from __future__ import annotations

import builtins as _b
import math as _math
import os as _os

import numpy as np

from adcli.engine import construct as _construct
from adcli.engine import devices as _devices
from adcli.engine import dtypes as _dt
from adcli.engine import indexing as _indexing
from adcli.engine import ops as _ops
from adcli.engine import shape as _sh
from adcli.engine import tensor as _tensor
from adcli.engine.cpu_kernels import sum_threads as _sum_threads
from adcli.engine.dtypes import (
    bool_,
    dtype,
    float16,
    float32,
    float64,
    int8,
    int16,
    int32,
    int64,
    uint8,
)
from adcli.engine.ops import linalg_solve as _linalg_solve
from adcli.engine.ops import products as _products
from adcli.engine.ops import scatters as _scatters
from adcli.engine.return_types import named_result as _named_result
from adcli.engine.shape import Size
from adcli.engine.tensor import Tensor, _wrap
from adcli.errors import (
    TorchIndexError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)
from adcli.limits import check_elements as _check_elements

_O = _ops

# ============================================================================ creation


def _requires(t: Tensor, requires_grad: bool) -> Tensor:
    if requires_grad:
        t._set_requires_grad(True, _tensor.NO_GRAD_FACTORY)
    return t


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False) -> Tensor:
    """torch.tensor: a new leaf tensor holding a copy of ``data``."""
    _devices.check(device)
    return _requires(_wrap(_construct.from_data(data, dtype)), requires_grad)


def as_tensor(data, dtype=None, device=None) -> Tensor:
    _devices.check(device)
    if isinstance(data, Tensor) and (dtype is None or data.dtype is dtype):
        return data
    if isinstance(data, Tensor):
        return data.to(dtype)
    if (isinstance(data, np.ndarray) and data.dtype in _dt.BY_NP
            and (dtype is None or _dt.to_dtype(dtype).np == data.dtype)):
        return from_numpy(data)  # as torch: the array's own memory, no copy (nor any for
        # negative strides, which it refuses with from_numpy's words)
    return tensor(data, dtype)


_FROM_NUMPY_TORCH = ("float64, float32, float16, complex64, complex128, int64, int32, int16, "
                     "int8, uint64, uint32, uint16, uint8, and bool")


def from_numpy(ndarray) -> Tensor:
    """torch.from_numpy: a tensor over the array's own memory (no copy), with its dtype;
    writes through either are seen by the other. torch's messages, word for word."""
    if not isinstance(ndarray, np.ndarray):
        tp = type(ndarray)
        name = ("numpy." if tp.__module__.startswith("numpy") else "") + tp.__name__
        raise TorchTypeError(f"expected np.ndarray (got {name})")
    dt = ndarray.dtype
    if dt not in _dt.BY_NP:
        if dt.kind in "uc" and dt.isnative and dt.fields is None:
            raise TorchTypeError(f"can't convert np.ndarray of type numpy.{dt.type.__name__}: "
                                 "adcli supports float64, float32, float16, int64, int32, int16, "
                                 "int8, uint8 and bool")
        if not dt.isnative and dt.newbyteorder("=") in _dt.BY_NP:
            raise TorchValueError("given numpy array has byte order different from the native "
                                  "byte order. Conversion between byte orders is currently not "
                                  "supported.")
        raise TorchTypeError(f"can't convert np.ndarray of type numpy.{dt.type.__name__}. The "
                             f"only supported types are: {_FROM_NUMPY_TORCH}.")
    if _b.any(s < 0 for s in ndarray.strides):
        raise TorchValueError(
            "At least one stride in the given numpy array is negative, and tensors with negative "
            "strides are not currently supported. (You can probably work around this by making "
            "a copy of your array  with array.copy().) ")
    return _wrap(ndarray)

legacy_new = _construct.legacy_new


class _LegacyType(type):
    """torch.tensortype, the class of FloatTensor, DoubleTensor, ...: each a class that
    constructs tensors of its dtype and that ``isinstance`` answers as torch does (a CPU
    tensor of that dtype, a parameter too; no subclass of torch.Tensor)."""

    def __new__(mcs, name: str, dtype_: dtype, cuda: bool = False):
        cls = super().__new__(mcs, name, (), {
            "__module__": "torch.cuda" if cuda else "torch", "__qualname__": name,
            "__doc__": None, "dtype": dtype_, "is_cuda": cuda, "is_sparse": False,
            "__adcli_public__": frozenset(),
            "__adcli_class_public__": frozenset(("dtype", "is_cuda", "is_sparse"))})
        return cls

    def __init__(cls, name: str, dtype_: dtype, cuda: bool = False) -> None:
        super().__init__(name, (), {})

    def __call__(cls, *args, **kwargs) -> Tensor:
        if cls.is_cuda:  # torch.cuda.FloatTensor(...) on the CPU build
            raise TorchTypeError(f"type torch.cuda.{cls.__name__} not available. Torch not "
                                 "compiled with CUDA enabled.")
        return _construct.legacy_new(cls.dtype, args, kwargs, cls.__name__)

    def __instancecheck__(cls, obj) -> bool:
        return not cls.is_cuda and isinstance(obj, Tensor) and obj._data.dtype == cls.dtype.np

    def __subclasscheck__(cls, sub) -> bool:
        return sub is cls

    def __repr__(cls) -> str:
        return f"<class '{cls.__module__}.{cls.__name__}'>"


# as torch's class of these (its messages name it "torch.tensortype")
_LegacyType.__name__, _LegacyType.__qualname__ = "torch.tensortype", "tensortype"
_LegacyType.__module__ = "torch"

FloatTensor = _LegacyType("FloatTensor", float32)
DoubleTensor = _LegacyType("DoubleTensor", float64)
HalfTensor = _LegacyType("HalfTensor", float16)
LongTensor = _LegacyType("LongTensor", int64)
IntTensor = _LegacyType("IntTensor", int32)
ShortTensor = _LegacyType("ShortTensor", int16)
CharTensor = _LegacyType("CharTensor", int8)
ByteTensor = _LegacyType("ByteTensor", uint8)
BoolTensor = _LegacyType("BoolTensor", bool_)
# torch.cuda's: classes a script may name and test against, refused when used
CUDA_LEGACY_TYPES = {t.__name__: _LegacyType(t.__name__, t.dtype, cuda=True) for t in (
    FloatTensor, DoubleTensor, HalfTensor, LongTensor, IntTensor, ShortTensor, CharTensor,
    ByteTensor, BoolTensor)}


def Variable(data, requires_grad=False, volatile=False) -> Tensor:
    """torch.autograd.Variable: a new leaf sharing ``data``'s storage."""
    if not isinstance(data, Tensor):
        raise TorchTypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    return _requires(_wrap(data._data), requires_grad)


def _factory(size, dtype_, requires_grad, fill, name):
    shape = _sh.size_args(size, name)
    d = _dt.default_float if dtype_ is None else _dt.to_dtype(dtype_)
    return _requires(_wrap(fill(shape, d.np)), requires_grad)


def _size_keyword(sizes: tuple, size, fn: str) -> tuple:
    """The size of zeros(2, 3), zeros((2, 3)) or zeros(size=(2, 3)), as torch takes it."""
    if size is None:
        return sizes
    if sizes:
        raise TorchTypeError(f"{fn}() got multiple values for argument 'size'")
    return (size,)


def zeros(*sizes, size=None, dtype=None, device=None, requires_grad=False,
          out=None) -> Tensor:
    _devices.check(device)
    size = _size_keyword(sizes, size, "zeros")
    return _factory(size, dtype, requires_grad, np.zeros, "zeros")


def ones(*sizes, size=None, dtype=None, device=None, requires_grad=False,
          out=None) -> Tensor:
    _devices.check(device)
    size = _size_keyword(sizes, size, "ones")
    return _factory(size, dtype, requires_grad, np.ones, "ones")


def empty(*sizes, size=None, dtype=None, device=None, requires_grad=False,
          out=None) -> Tensor:
    _devices.check(device)
    size = _size_keyword(sizes, size, "empty")
    return _factory(size, dtype, requires_grad, np.zeros, "empty")


def full(size, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    _devices.check(device)
    if not isinstance(size, tuple | list):
        raise TorchTypeError(f"full(): size must be a tuple of ints, not {type(size).__name__}")
    if not isinstance(fill_value, Tensor | _b.int | _b.float | _b.bool | _b.complex | np.generic):
        raise TorchTypeError(f"full(): argument 'fill_value' (position 2) must be Number, not "
                             f"{type(fill_value).__name__}")
    value = _O._number(fill_value.item() if isinstance(fill_value, Tensor) else fill_value)
    d = _dt.scalar_dtype(value) if dtype is None else _dt.to_dtype(dtype)
    shape = _sh.size_args((size,), "full")
    try:
        arr = np.full(shape, value, d.np)
    except (OverflowError, ValueError):
        raise TorchRuntimeError(f"full(): {value} does not fit in a {d} tensor") from None
    return _requires(_wrap(arr), requires_grad)


def _like(input, dtype):
    return input._data.dtype if dtype is None else _dt.to_dtype(dtype).np


# the factories whose out= torch resizes without its "output ... was resized" warning
_RESIZE_QUIETLY = frozenset(("rand", "randn", "randint", "randperm", "linspace", "logspace",
                             "full", "eye", "zeros", "ones", "empty"))


def _write_out(out, result, name: str):
    """``torch.NAME(..., out=t)``: ``result`` written into ``t`` (resized when its shape
    differs, as torch does), which is returned. torch refuses an ``out=`` where autograd
    would have to record the write."""
    if not isinstance(out, Tensor):
        raise TorchTypeError(f"{name}(): argument 'out' must be Tensor, not "
                             f"{type(out).__name__}")
    if not isinstance(result, Tensor):
        raise TorchTypeError(f"{name}() does not take out= in adcli")
    if _tensor.is_grad_enabled() and (out.requires_grad or result.requires_grad):
        raise TorchRuntimeError(
            f"{name}(): functions with out=... arguments don't support automatic "
            "differentiation, but one of the arguments requires grad.")
    if out._data.shape != result._data.shape:
        if out._data.size and name not in _RESIZE_QUIETLY:
            _tensor.emit_warning(
                "An output with one or more elements was resized since it had shape "
                f"{list(out._data.shape)}, which does not match the required output shape "
                f"{list(result._data.shape)}. This behavior is deprecated, and in a future "
                "PyTorch release outputs will not be resized unless they have zero elements. "
                "You can explicitly reuse an out tensor t by resizing it, inplace, to zero "
                "elements with t.resize_(0). (Triggered internally at "
                "/__w/pytorch/pytorch/aten/src/ATen/native/Resize.cpp:30.)")
        out.data = result.to(out.dtype)
    else:
        out.copy_(result)
    return out


def _with_out(fn):
    """``fn`` as the language calls it: an ``out=`` tensor gets the result."""
    name = fn.__name__

    def call(*args, out=None, **kwargs):
        result = fn(*args, **kwargs)
        return result if out is None else _write_out(out, result, name)

    call.__name__ = call.__qualname__ = name
    call.__doc__ = fn.__doc__
    call.__wrapped__ = fn
    return call


def _new_factory(make, name: str):
    """``x.new_ones(*size)`` and its kin: ``make`` with ``x``'s dtype unless told."""

    def new(input, *args, dtype=None, device=None, requires_grad=False) -> Tensor:
        _tensor_arg(input, name, "self")
        return make(*args, dtype=input.dtype if dtype is None else dtype, device=device,
                    requires_grad=requires_grad)

    new.__name__ = name
    return new


_new_ones = _new_factory(ones, "new_ones")
def _zeros_new(*sizes, size=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """zeros for new_zeros: torch's new_zeros words a negative size as empty() does."""
    _devices.check(device)
    return _factory(_size_keyword(sizes, size, "new_zeros"), dtype, requires_grad, np.zeros,
                    "new_zeros")


_new_zeros = _new_factory(_zeros_new, "new_zeros")
_new_empty = _new_factory(empty, "new_empty")
_new_full = _new_factory(full, "new_full")
_new_tensor = _new_factory(tensor, "new_tensor")


def zeros_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    if device is not None:
        _devices.check(device)
    _tensor_arg(input, "zeros_like", "input")
    return _requires(_wrap(np.zeros(input._data.shape, _like(input, dtype))), requires_grad)


def ones_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    if device is not None:
        _devices.check(device)
    _tensor_arg(input, "ones_like", "input")
    return _requires(_wrap(np.ones(input._data.shape, _like(input, dtype))), requires_grad)


empty_like = zeros_like


def full_like(input, fill_value, dtype=None, device=None, requires_grad=False) -> Tensor:
    if device is not None:
        _devices.check(device)
    _tensor_arg(input, "full_like", "input")
    arr = np.full(input._data.shape, _O._number(fill_value), _like(input, dtype))
    return _requires(_wrap(arr), requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    _devices.check(device)
    m = n if m is None else m
    for letter, v in (("n", n), ("m", m)):
        if isinstance(v, _b.int) and v < 0:
            raise TorchRuntimeError(f"{letter} must be greater or equal to 0, got {v}")
    shape = _sh.size_args((n, m), "eye")
    d = _dt.default_float if dtype is None else _dt.to_dtype(dtype)
    return _requires(_wrap(np.eye(*shape, dtype=d.np)), requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False) -> Tensor:
    _devices.check(device)
    if end is None:
        start, end = 0, start
    start, end, step = (_O._number(v.item() if isinstance(v, Tensor) else v)
                        for v in (start, end, step))
    if not _b.all(_math.isfinite(v) for v in (start, end, step)):
        raise TorchRuntimeError(f"arange(): the range from {start} to {end} in steps of {step} "
                                "is not finite")
    if step == 0:
        raise TorchRuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise TorchRuntimeError("upper bound and lower bound inconsistent with step sign")
    n = _b.max(_math.ceil((end - start) / step), 0)
    _check_elements(n, (n,))
    is_float = _b.any(isinstance(v, _b.float) for v in (start, end, step))
    d = (_dt.default_float if is_float else int64) if dtype is None else _dt.to_dtype(dtype)
    if d.kind == _dt.FLOAT or is_float:
        arr = _float_range(start, step, n, d)
    else:
        arr = (start + np.arange(n, dtype=np.int64) * step).astype(d.np)
    return _requires(_wrap(arr), requires_grad)


def _torch_range(start, end, step=1, *, dtype=None, device=None, requires_grad=False,
                out=None) -> Tensor:
    """torch.range (deprecated): end included, the default float dtype whatever the
    arguments; start + i*step in double (int64 for an integer dtype), as ATen's range_out."""
    _tensor.warn("torch.range is deprecated and will be removed in a future release because "
                 "its behavior is inconsistent with Python's range builtin. Instead, use "
                 "torch.arange, which produces values in [start, end).")
    _devices.check(device)
    start, end, step = (_O._number(v.item() if isinstance(v, Tensor) else v)
                        for v in (start, end, step))
    d = _dt.default_float if dtype is None else _dt.to_dtype(dtype)
    integral = d.kind != _dt.FLOAT
    if integral:
        start, end, step = (_b.int(v) for v in (start, end, step))
    if step == 0:
        raise TorchRuntimeError("step must be nonzero")
    if not _b.all(_math.isfinite(v) for v in (start, end)):
        raise TorchRuntimeError("unsupported range: " + f"{start} -> {end}")
    if (end - start) * step < 0:
        raise TorchRuntimeError("upper bound and lower bound inconsistent with step sign")
    n = (end - start) // step + 1 if integral else _b.int((end - start) / step + 1)
    _check_elements(n, (n,))
    if integral:
        arr = (start + np.arange(n, dtype=np.int64) * step).astype(d.np)
    else:
        arr = (np.float64(start) + np.arange(n, dtype=np.float64) * np.float64(step)).astype(d.np)
    return _requires(_wrap(arr), requires_grad)


_torch_range.__name__ = _torch_range.__qualname__ = "range"


def _float_range(start, step, n: int, d: dtype) -> np.ndarray:
    """start + i*step as torch's vectorized CPU kernel computes it (in double, a base value
    per block of 8 float32 or 4 float64 lanes), so that results match torch's bits."""
    lanes = 8 if d.itemsize <= 4 else 4
    i = np.arange(n)
    block = i - i % lanes
    start, step = np.float64(start), np.float64(step)
    base = (start + step * block).astype(d.np).astype(np.float64)
    arr = np.where(i < n - n % lanes, base + (i - block) * step, start + step * i)
    return arr.astype(d.np)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False) -> Tensor:
    _devices.check(device)
    start, end = (_b.float(_O._number(v.item() if isinstance(v, Tensor) else v))
                  for v in (start, end))
    if isinstance(steps, _b.int) and not isinstance(steps, _b.bool) and steps < 0:
        raise TorchRuntimeError("number of steps must be non-negative")
    if not isinstance(steps, _b.int) or isinstance(steps, _b.bool):
        raise TorchRuntimeError(f"linspace(): steps must be a non-negative int, got {steps!r}")
    _check_elements(steps, (steps,))
    d = _dt.default_float if dtype is None else _dt.to_dtype(dtype)
    # torch's kernel: the first half counts up from start, the second half down from end,
    # each value one fused multiply-add (exact in float64 for a float32 step)
    ct = np.float32 if d.itemsize <= 4 and d.kind == _dt.FLOAT else np.float64
    i = np.arange(steps, dtype=np.float64)
    step = np.float64(ct((ct(end) - ct(start)) / ct(steps - 1))) if steps > 1 else 0.0
    s0, s1 = np.float64(ct(start)), np.float64(ct(end))
    arr = np.where(i < steps // 2, s0 + step * i, s1 - step * (steps - 1 - i))
    if steps == 1:
        arr = np.full(1, s0)
    if d.kind != _dt.FLOAT:
        arr = np.trunc(arr)
    return _requires(_wrap(arr.astype(d.np)), requires_grad)


# ----------------------------------------------------------------------------- random
# torch's CPU generator, bit for bit (engine/torch_random.py). A process starts from
# torch.Generator()'s seed; `adcli run` seeds it (--seed N, or a random seed for .py text).
# torch_random (and numpy.random under it) is imported on the first draw, not at start-up
_DEFAULT: list = []


def _default():
    """The default generator (torch.Generator()'s seed until a run seeds it)."""
    if not _DEFAULT:
        from adcli.engine.torch_random import TorchGenerator

        _DEFAULT.append(TorchGenerator())
    return _DEFAULT[0]


def _generator(generator=None):
    if generator is None:
        return _default()
    if not isinstance(generator, Generator):
        raise TorchTypeError(f"generator must be a torch.Generator, not "
                             f"{type(generator).__name__}")
    return generator._gen


def _seed_int(seed, what: str = "manual_seed") -> int:
    if isinstance(seed, _b.bool) or not isinstance(seed, _b.int):
        raise TorchTypeError(f"{what}() expects an int, got {type(seed).__name__}")
    return seed


class Generator:
    """``torch.Generator()``: a random stream of its own (``manual_seed`` returns the
    default one, which ``randn`` and the rest draw from without ``generator=``)."""

    def __init__(self, device="cpu", *, _default_stream: bool = False) -> None:
        _devices.check(device)
        self._is_default = _default_stream
        self._own = None

    @property
    def _gen(self):
        if self._is_default:
            return _default()
        if self._own is None:
            from adcli.engine.torch_random import TorchGenerator

            self._own = TorchGenerator()
        return self._own

    def manual_seed(self, seed) -> Generator:
        try:
            self._gen.manual_seed(_seed_int(seed))
        except ValueError as e:
            raise TorchRuntimeError(str(e)) from None
        return self

    def seed(self) -> int:
        return self._gen.seed()

    def initial_seed(self) -> int:
        return self._gen.initial_seed()

    def get_state(self) -> Tensor:
        return _wrap(self._gen.get_state())

    def set_state(self, new_state) -> Generator:
        _tensor_arg(new_state, "set_state", "new_state")
        if new_state._data.dtype != np.uint8:
            raise TorchTypeError(f"expected a torch.ByteTensor, but got {new_state.dtype}")
        try:
            self._gen.set_state(new_state._data)
        except ValueError as e:
            raise TorchRuntimeError(str(e)) from None
        return self

    @property
    def device(self):
        return _devices.CPU

    def __repr__(self) -> str:
        return f"<torch._C.Generator object at {hex(id(self))}>"


default_generator = Generator(_default_stream=True)


def manual_seed(seed) -> Generator:
    """Seed the default generator as torch does (its streams are torch's, bit for bit)."""
    return default_generator.manual_seed(seed)


def seed() -> int:
    return _default().seed()


def initial_seed() -> int:
    return _default().initial_seed()


def get_rng_state() -> Tensor:
    return default_generator.get_state()


def set_rng_state(new_state) -> None:
    default_generator.set_state(new_state)


def _random(size, dtype, requires_grad, draw, name):
    shape = _sh.size_args(size, name)
    d = _dt.default_float if dtype is None else _dt.to_dtype(dtype)
    return _requires(_wrap(draw(shape, d.np)), requires_grad)


def randn(*sizes, size=None, dtype=None, device=None, requires_grad=False,
          generator=None) -> Tensor:
    _devices.check(device)
    size = _size_keyword(sizes, size, "randn")
    g = _generator(generator)
    return _random(size, dtype, requires_grad, g.randn, "randn")


def rand(*sizes, size=None, dtype=None, device=None, requires_grad=False,
          generator=None) -> Tensor:
    _devices.check(device)
    size = _size_keyword(sizes, size, "rand")
    g = _generator(generator)
    return _random(size, dtype, requires_grad, g.rand, "rand")


def _like_permutation(a: np.ndarray):
    """The stride order that ``empty_like(a)`` keeps (its dims outermost first), or None
    when the result is plainly contiguous: torch preserves the layout of a dense input."""
    if a.ndim < 2 or a.flags.c_contiguous:
        return None
    perm = _sh.stride_order(a)
    step = a.itemsize
    for d in reversed(perm):
        if a.shape[d] != 1 and _b.abs(a.strides[d]) != step:
            return None  # not dense (a slice): empty_like is contiguous
        step *= a.shape[d]
    return perm


def _random_like(input, dtype, requires_grad, normal: bool) -> Tensor:
    perm = _like_permutation(input._data)
    out = zeros(input._data.shape, dtype=dtype or input.dtype) if perm is not None else None
    if out is None or out._data.dtype.kind != "f":  # plain, or refused as randn/rand refuse
        return (randn if normal else rand)(input._data.shape, dtype=dtype or input.dtype,
                                           requires_grad=requires_grad)
    d = out._data.dtype
    shape = tuple(input._data.shape[i] for i in perm)
    g = _default()
    vals = g.normal_(shape, 0.0, 1.0, d, contiguous=False) if normal else \
        g.uniform_(shape, 0.0, 1.0, d)
    out._data = np.ascontiguousarray(np.asarray(vals, d)).transpose(np.argsort(perm))
    out._set_requires_grad(requires_grad, _tensor.NO_GRAD_FACTORY)
    return out


def randn_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    if device is not None:
        _devices.check(device)
    _tensor_arg(input, "randn_like", "input")
    return _random_like(input, dtype, requires_grad, True)


def rand_like(input, dtype=None, device=None, requires_grad=False) -> Tensor:
    if device is not None:
        _devices.check(device)
    _tensor_arg(input, "rand_like", "input")
    return _random_like(input, dtype, requires_grad, False)


def randint(low=0, high=None, size=None, dtype=None, device=None, requires_grad=False,
            generator=None) -> Tensor:
    _devices.check(device)
    if size is None:
        low, high, size = 0, low, high
    shape = _sh.size_args((size,), "randint")
    low, high = _int(low, "randint", "low"), _int(high, "randint", "high")
    if low >= high or low < -(2**63) or high > 2**63:
        raise TorchRuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                                f"from={low} >= to={high}")
    d = int64 if dtype is None else _dt.to_dtype(dtype)
    _check_elements(_math.prod(shape), shape)
    out = _generator(generator).randint(low, high, shape, d.np)
    return _requires(_wrap(out), requires_grad)


def randperm(n, *, generator=None, dtype=None, device=None, requires_grad=False) -> Tensor:
    """A random permutation of 0..n-1, as torch draws it."""
    _devices.check(device)
    n = _int(n, "randperm", "n")
    if n < 0:
        raise TorchRuntimeError(f"Trying to create tensor with negative dimension {n}: [{n}]")
    _check_elements(n, (n,))
    d = int64 if dtype is None else _dt.to_dtype(dtype)
    return _requires(_wrap(_generator(generator).randperm(n, d.np)), requires_grad)


# ============================================================================ grad mode


is_grad_enabled = _tensor.is_grad_enabled


class _GradMode:
    """Base of no_grad / enable_grad: a context manager that sets grad mode."""

    mode = True

    def __enter__(self):
        self._prev = _tensor.set_grad_mode(self.mode)

    def __exit__(self, *exc) -> bool:
        _tensor.set_grad_mode(self._prev)
        return False

    def __call__(self, fn):
        def wrapped(*args, **kwargs):
            with type(self)():
                return fn(*args, **kwargs)
        return wrapped

    def __repr__(self) -> str:
        return f"<torch.autograd.grad_mode.{type(self).__name__} object at {hex(id(self))}>"


class no_grad(_GradMode):
    """Ops inside record no graph."""

    mode = False


class enable_grad(_GradMode):
    mode = True


class inference_mode(_GradMode):
    """Grad mode off, and tensors made inside are inference tensors (``is_inference()``)."""

    def __init__(self, mode: bool = True) -> None:
        self.inference = _b.bool(mode)
        self.mode = not mode

    def __enter__(self):
        self._prev_inf = _tensor.set_inference_mode(self.inference)
        self._prev = _tensor.set_grad_mode(self.mode)

    def __exit__(self, *exc) -> bool:
        _tensor.set_grad_mode(self._prev)
        _tensor.set_inference_mode(self._prev_inf)
        return False

    def __call__(self, fn):
        inference = self.inference

        def wrapped(*args, **kwargs):
            with inference_mode(inference):
                return fn(*args, **kwargs)
        return wrapped


is_inference_mode_enabled = _tensor.is_inference_mode_enabled


def is_inference(input) -> bool:
    """``torch.is_inference(t)``: whether ``t`` was made in inference mode."""
    return _tensor_arg(input, "is_inference").is_inference()


class set_grad_enabled(_GradMode):
    """Sets grad mode now; as a context manager, restores the previous mode on exit."""

    def __init__(self, mode: bool) -> None:
        if not isinstance(mode, _b.bool):
            raise TorchTypeError(f"set_grad_enabled() expects a bool, got {type(mode).__name__}")
        self.mode = mode
        self._prev = _tensor.set_grad_mode(mode)

    def __enter__(self):
        return None

    def __repr__(self) -> str:
        return f"torch.autograd.grad_mode.set_grad_enabled(mode={self.mode})"


# ============================================================================ arithmetic


# the position torch's argument parser names for a Tensor argument, by its name
_ARG_POSITION = {"input": 1, "self": 1, "condition": 1, "tensors": 1, "other": 2, "mat2": 2,
                 "vec": 2, "vec2": 2, "tensor": 2, "target": 2, "weight": 2, "mask": 2,
                 "x2": 2, "tensor1": 2, "index": 3, "src": 4, "source": 4}


def _tensor_arg(x, fn: str, arg: str = "input") -> Tensor:
    if not isinstance(x, Tensor):
        position = _ARG_POSITION.get(arg)
        where = f" (position {position})" if position else ""
        raise TorchTypeError(f"{fn}(): argument '{arg}'{where} must be Tensor, not "
                             f"{type(x).__name__}")
    return x


def _flag(value, fn: str, arg: str = "keepdim") -> bool:
    if not isinstance(value, _b.bool):
        raise TorchTypeError(f"{fn}(): argument '{arg}' must be a bool, not "
                             f"{type(value).__name__}")
    return value


def _int(value, fn: str, arg: str) -> int:
    if isinstance(value, _b.bool) or not isinstance(value, _b.int):
        if isinstance(value, Tensor) and value._data.size == 1 and value._data.dtype.kind in "iu":
            return _b.int(value)
        raise TorchTypeError(f"{fn}(): argument '{arg}' must be an int, not "
                             f"{type(value).__name__}")
    if not -(2**63) <= value < 2**63:
        raise TorchRuntimeError(f"{fn}(): the value {value} of '{arg}' does not fit in int64")
    return value


def _binary_args(input, other, fn: str):
    if not isinstance(input, Tensor) and not isinstance(other, Tensor):
        raise TorchTypeError(f"{fn}(): at least one argument must be a Tensor")


def add(input, other, *, alpha=1, out=None) -> Tensor:
    _binary_args(input, other, "add")
    if not isinstance(input, Tensor):
        if alpha != 1:
            return _O.AddBackward0.apply(mul(other, alpha), input)
        return _O.AddBackward0.apply(other, input)
    return _O.AddBackward0.apply(input, other, alpha)


def sub(input, other, *, alpha=1, out=None) -> Tensor:
    _binary_args(input, other, "sub")
    if not isinstance(input, Tensor):
        return _O.rsub(other, input, alpha)
    return _O.SubBackward0.apply(input, other, alpha)


def rsub(input, other, *, alpha=1) -> Tensor:
    return sub(other, input, alpha=alpha)


def mul(input, other, *, out=None) -> Tensor:
    _binary_args(input, other, "mul")
    if not isinstance(input, Tensor):
        input, other = other, input
    return _O.MulBackward0.apply(input, other)


def div(input, other, *, rounding_mode=None, out=None) -> Tensor:
    _binary_args(input, other, "div")
    if rounding_mode is None:
        if not isinstance(input, Tensor):
            return _O.rtruediv(other, input)
        return _O.DivBackward0.apply(input, other)
    if rounding_mode == "floor" or rounding_mode == "trunc":
        _int_zero_division(input, other)
        return _O.DivBackward2.apply(input, other, rounding_mode)
    raise TorchRuntimeError(f"div expected rounding_mode to be one of None, 'trunc', or "
                            f"'floor' but found '{rounding_mode}'")


def _int_zero_division(input, other) -> None:
    """torch's refusal of an integer division (//, %, div with a rounding mode) by zero."""
    def integral(v):
        return (v._data.dtype.kind in "iub" if isinstance(v, Tensor)
                else isinstance(v, _b.int | np.integer))
    if integral(input) and integral(other):
        b = other._data if isinstance(other, Tensor) else other
        if np.any(np.asarray(b) == 0):
            raise TorchRuntimeError("ZeroDivisionError")


def true_divide(dividend, divisor) -> Tensor:
    return div(dividend, divisor)


def floor_divide(input, other) -> Tensor:
    _binary_args(input, other, "floor_divide")
    _int_zero_division(input, other)
    return _O.FloorDivide.apply(input, other)


def remainder(input, other) -> Tensor:
    _binary_args(input, other, "remainder")
    _int_zero_division(input, other)
    return _O.remainder(input, other)


def neg(input) -> Tensor:
    return _O.NegBackward0.apply(_tensor_arg(input, "neg"))


def pow(input, exponent) -> Tensor:
    _binary_args(input, exponent, "pow")
    return _O.pow(input, exponent)


def square(input) -> Tensor:
    return _O.PowBackward0.apply(_tensor_arg(input, "square"), 2)


def reciprocal(input) -> Tensor:
    return _O.ReciprocalBackward0.apply(_tensor_arg(input, "reciprocal"))


def _unary(cls, name):
    def fn(input) -> Tensor:
        return cls.apply(_tensor_arg(input, name))
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"torch.{name}"
    return fn


exp = _unary(_O.ExpBackward0, "exp")
log = _unary(_O.LogBackward0, "log")
log2 = _unary(_O.Log2Backward0, "log2")
log10 = _unary(_O.Log10Backward0, "log10")
sqrt = _unary(_O.SqrtBackward0, "sqrt")
rsqrt = _unary(_O.RsqrtBackward0, "rsqrt")
sin = _unary(_O.SinBackward0, "sin")
cos = _unary(_O.CosBackward0, "cos")
tan = _unary(_O.TanBackward0, "tan")
asin = arcsin = _unary(_O.AsinBackward0, "asin")
asinh = arcsinh = _unary(_O.AsinhBackward0, "asinh")
acosh = arccosh = _unary(_O.AcoshBackward0, "acosh")
atanh = arctanh = _unary(_O.AtanhBackward0, "atanh")
acos = arccos = _unary(_O.AcosBackward0, "acos")
atan = arctan = _unary(_O.AtanBackward0, "atan")
sinh = _unary(_O.SinhBackward0, "sinh")
cosh = _unary(_O.CoshBackward0, "cosh")
tanh = _unary(_O.TanhBackward0, "tanh")
sigmoid = _unary(_O.SigmoidBackward0, "sigmoid")
relu = _unary(_O.ReluBackward0, "relu")
abs = absolute = _unary(_O.AbsBackward0, "abs")
sign = _unary(_O.SignBackward0, "sign")
sgn = _unary(_O.SgnBackward0, "sgn")
floor = _unary(_O.FloorBackward0, "floor")
ceil = _unary(_O.CeilBackward0, "ceil")
clone = _unary(_O.CloneBackward0, "clone")
exp2 = _unary(_O.Exp2Backward0, "exp2")
expm1 = _unary(_O.Expm1Backward0, "expm1")
log1p = _unary(_O.Log1PBackward0, "log1p")
trunc = fix = _unary(_O.TruncBackward0, "trunc")
frac = _unary(_O.FracBackward0, "frac")
subtract, multiply, divide, negative = sub, mul, div, neg


def atan2(input, other) -> Tensor:
    return _O.Atan2Backward0.apply(_tensor_arg(input, "atan2"), _tensor_arg(other, "atan2"))


arctan2 = atan2


def lerp(input, end, weight) -> Tensor:
    _tensor_arg(input, "lerp")
    _tensor_arg(end, "lerp", "end")
    if isinstance(weight, Tensor):
        shape = _sh.broadcast_shapes(input._data.shape, end._data.shape)
        _sh.broadcast_shapes(shape, weight._data.shape)
        return _O.LerpBackward1.apply([input, end, weight])
    return _O.LerpBackward0.apply(input, end, _O._number(weight))


def _addc_args(input, tensor1, tensor2, value, fn):
    _tensor_arg(input, fn)
    _tensor_arg(tensor1, fn, "tensor1")
    _tensor_arg(tensor2, fn, "tensor2")
    return _O._number(value)


def _eps(eps, fn: str):
    if eps is None:
        return None
    if isinstance(eps, _b.bool) or not isinstance(eps, (_b.int, _b.float)):
        raise TorchTypeError(f"{fn}(): argument 'eps' must be float, not {type(eps).__name__}")
    return _b.float(eps)


def logit(input, eps=None) -> Tensor:
    """log(input / (1 - input)), input clamped to [eps, 1 - eps] when eps is given."""
    _tensor_arg(input, "logit")
    return _O.LogitBackward0.apply(input, _eps(eps, "logit"))


def _logit_(input, eps=None) -> Tensor:
    return _O.inplace(input, _O.LogitBackward0, _eps(eps, "logit_"))


def addcmul(input, tensor1, tensor2, *, value=1, out=None) -> Tensor:
    """input + value * tensor1 * tensor2 (AddcmulBackward0)."""
    value = _addc_args(input, tensor1, tensor2, value, "addcmul")
    return _O.AddcmulBackward0.apply([input, tensor1, tensor2], value)


def addcdiv(input, tensor1, tensor2, *, value=1, out=None) -> Tensor:
    """input + value * tensor1 / tensor2 (AddcdivBackward0)."""
    value = _addc_args(input, tensor1, tensor2, value, "addcdiv")
    return _O.AddcdivBackward0.apply([input, tensor1, tensor2], value)


def _addc_inplace(cls, input, tensor1, tensor2, value) -> Tensor:
    if tensor2.requires_grad and not tensor1.requires_grad:  # the one inplace() asks about
        return _O.inplace(input, _O.addc_inplace(cls, True), tensor2, tensor1, value)
    return _O.inplace(input, _O.addc_inplace(cls), tensor1, tensor2, value)


def _addcmul_(input, tensor1, tensor2, *, value=1) -> Tensor:
    value = _addc_args(input, tensor1, tensor2, value, "addcmul_")
    return _addc_inplace(_O.AddcmulBackward0, input, tensor1, tensor2, value)


def _addcdiv_(input, tensor1, tensor2, *, value=1) -> Tensor:
    value = _addc_args(input, tensor1, tensor2, value, "addcdiv_")
    return _addc_inplace(_O.AddcdivBackward0, input, tensor1, tensor2, value)


def cumsum(input, dim, *, dtype=None) -> Tensor:
    _tensor_arg(input, "cumsum")
    if dtype is not None:
        input = input.to(dtype)
    return _O.CumsumBackward0.apply(input, _sh.norm_dim(dim, input._data.ndim))


def cumprod(input, dim, *, dtype=None) -> Tensor:
    _tensor_arg(input, "cumprod")
    if dtype is not None:
        input = input.to(dtype)
    return _O.CumprodBackward0.apply(input, _sh.norm_dim(dim, input._data.ndim))


def flip(input, dims) -> Tensor:
    _tensor_arg(input, "flip")
    if isinstance(dims, _b.int):
        dims = (dims,)
    elif not isinstance(dims, list | tuple):
        raise TorchTypeError(f"flip(): dims must be an int or a tuple of ints, got "
                             f"{type(dims).__name__}")
    return _O.FlipBackward0.apply(input, _sh.norm_dims(dims, input._data.ndim))


def _tile_method(input, *dims, **kwargs) -> Tensor:
    """Tensor.tile(dims): the method also takes one int or the ints unpacked."""
    if "dims" in kwargs:
        if dims:
            raise TorchTypeError("tile() got multiple values for argument 'dims'")
        return tile(input, kwargs.pop("dims"))
    if kwargs:
        raise TorchTypeError(f"tile() got an unexpected keyword argument '{next(iter(kwargs))}'")
    if not dims:
        raise TorchTypeError('tile() missing 1 required positional arguments: "dims"')
    if len(dims) == 1 and isinstance(dims[0], list | tuple):
        dims = tuple(dims[0])
    for d in dims:
        if isinstance(d, _b.bool) or not isinstance(d, _b.int):
            raise TorchTypeError("tile(): argument 'dims' (position 1) must be tuple of ints, "
                                 f"not {type(d).__name__}")
    return tile(input, tuple(dims))


def _flip_method(input, *dims, **kwargs) -> Tensor:
    """Tensor.flip(dims), Tensor.flip(dims=...) or Tensor.flip(0, 1): the method also takes
    the dims unpacked."""
    if kwargs:
        extra = [k for k in kwargs if k != "dims"]
        if extra or dims:
            name = extra[0] if extra else "dims"
            raise TorchTypeError(f"flip() got an unexpected keyword argument '{name}'"
                                 if extra else "flip() got multiple values for argument 'dims'")
        return flip(input, kwargs["dims"])
    if not dims:
        raise TorchTypeError('flip() missing 1 required positional arguments: "dims"')
    return flip(input, dims[0] if len(dims) == 1 else dims)


def round(input, *, decimals=0) -> Tensor:
    _tensor_arg(input, "round")
    decimals = _int(decimals, "round", "decimals")
    if decimals:
        # numpy's cost grows with |decimals|, and past 400 every float rounds to nan (as in
        # torch: 10**decimals overflows), so larger ones are the same as 400
        return _O.RoundBackward1.apply(input, _b.max(-400, _b.min(400, decimals)))
    return _O.RoundBackward0.apply(input)


def clamp(input, min=None, max=None) -> Tensor:
    _tensor_arg(input, "clamp")
    if min is None and max is None:
        raise TorchRuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    if isinstance(min, Tensor) != isinstance(max, Tensor) and min is not None and (
            max is not None):
        # a Tensor bound with a number one: torch's parser takes a 0-d tensor as a Number
        # (the number overload); another tensor matches no overload
        t = min if isinstance(min, Tensor) else max
        if t._data.ndim:
            raise TorchTypeError("clamp(): min and max must both be Tensors or both numbers")
        min, max = (b.item() if isinstance(b, Tensor) else b for b in (min, max))
    if isinstance(min, Tensor) or isinstance(max, Tensor):
        if not _b.all(b is None or isinstance(b, Tensor) for b in (min, max)):
            raise TorchTypeError("clamp(): min and max must both be Tensors or both numbers")
        bounds = [min, max]
        shape = input._data.shape
        for b in bounds:
            if b is not None:
                shape = _sh.broadcast_shapes(shape, b._data.shape)
        return _O.ClampBackward0.apply([input, *bounds])
    return _O.ClampBackward1.apply(input, None if min is None else _O._number(min),
                                   None if max is None else _O._number(max))


clip = clamp


def clamp_min(input, min) -> Tensor:
    """``clamp(input, min=min)``, recorded as ClampMinBackward0 (a number bound) or
    ClampMinBackward1 (a tensor bound)."""
    _tensor_arg(input, "clamp_min")
    if isinstance(min, Tensor):
        return _O.ClampMinBackward1.apply(input, min)
    return _O.ClampMinBackward0.apply(input, _O._number(min))


def clamp_max(input, max) -> Tensor:
    """``clamp(input, max=max)``, recorded as ClampMaxBackward0 or ClampMaxBackward1."""
    _tensor_arg(input, "clamp_max")
    if isinstance(max, Tensor):
        return _O.ClampMaxBackward1.apply(input, max)
    return _O.ClampMaxBackward0.apply(input, _O._number(max))


def _clamp_min_(input, min) -> Tensor:
    if isinstance(min, Tensor):
        return _O.inplace(input, _O.ClampMinBackward1, min)
    return _O.inplace(input, _O.ClampMinBackward0, _O._number(min))


def _clamp_max_(input, max) -> Tensor:
    if isinstance(max, Tensor):
        return _O.inplace(input, _O.ClampMaxBackward1, max)
    return _O.inplace(input, _O.ClampMaxBackward0, _O._number(max))


def where(condition, input=None, other=None) -> Tensor | tuple:
    _tensor_arg(condition, "where", "condition")
    if input is None and other is None:
        return nonzero(condition, as_tuple=True)
    if condition._data.dtype.kind != "b":
        raise TorchRuntimeError(f"where expected condition to be a boolean tensor, but got a "
                                f"tensor with dtype {condition.dtype.legacy}")
    if not isinstance(input, Tensor) and not isinstance(other, Tensor) and _b.all(
            isinstance(v, _b.bool | _b.int | _b.float) for v in (input, other)):
        # two Python numbers: torch makes them tensors of their promoted dtype (bool, int64,
        # or the default float dtype)
        kinds = {type(v) for v in (input, other)}
        d = bool_ if kinds == {_b.bool} else get_default_dtype() if _b.float in kinds else int64
        input, other = tensor(input, dtype=d), tensor(other, dtype=d)
    _binary_args(input, other, "where")
    shape = condition._data.shape
    for v in (input, other):
        if isinstance(v, Tensor):
            shape = _sh.broadcast_shapes(shape, v._data.shape)
    return _O.WhereBackward0.apply(input, other, condition._data)


def nonzero(input, *, as_tuple=False):
    _tensor_arg(input, "nonzero", "input")
    data = input._data
    if as_tuple:
        idx = np.nonzero(data if data.ndim else data.reshape(1))
        return tuple(_wrap(i.astype(np.int64)) for i in idx)
    return _wrap(_argwhere(data))


def argwhere(input) -> Tensor:
    """The indices of the nonzero elements, one row each (torch.nonzero's matrix)."""
    _tensor_arg(input, "argwhere", "input")
    return _wrap(_argwhere(input._data))


def _argwhere(data: np.ndarray) -> np.ndarray:
    """(count, ndim) int64 indices of the nonzero elements; a 0-d tensor has no dims, so
    one row of none when it is nonzero, as torch."""
    if not data.ndim:
        return np.zeros((1 if data else 0, 0), np.int64)
    return np.argwhere(data).astype(np.int64)


def maximum(input, other) -> Tensor:
    _tensor_arg(input, "maximum")
    _tensor_arg(other, "maximum", "other")
    return _O.MaximumBackward0.apply(input, other)


def minimum(input, other) -> Tensor:
    _tensor_arg(input, "minimum")
    _tensor_arg(other, "minimum", "other")
    return _O.MinimumBackward0.apply(input, other)


# ----------------------------------------------------------------------------- comparison


def _compare(ufunc, name):
    def fn(input, other) -> Tensor:
        _binary_args(input, other, name)
        a, b = _O._operands(input, other, False)
        return _wrap(np.asarray(ufunc(a, b)))
    fn.__name__ = fn.__qualname__ = name
    return fn


eq = _compare(np.equal, "eq")
ne = _compare(np.not_equal, "ne")
lt = less = _compare(np.less, "lt")
le = less_equal = _compare(np.less_equal, "le")
gt = greater = _compare(np.greater, "gt")
ge = greater_equal = _compare(np.greater_equal, "ge")


def _integer_operands(input, other, name: str, kernel: str, bools: bool = True) -> tuple:
    """The operands of a bitwise op, promoted as torch promotes them; refused, as torch's CPU
    kernel refuses them, when the common dtype is floating (or bool, where ``bools`` is
    False)."""
    _binary_args(input, other, name)
    a, b = _O._operands(input, other, False)  # arrays, or a Python number kept weak
    common = np.result_type(a, b)
    if common.kind in "fc" or (common.kind == "b" and not bools):
        floats = [v.dtype for v in (a, b) if isinstance(v, np.ndarray) and v.dtype.kind in "fc"]
        if floats:
            legacy = _dt.BY_NP[floats[0]].legacy
        else:  # a Python float with an integer tensor: torch's default dtype
            legacy = (_dt.default_float if common.kind in "fc" else _dt.BY_NP[common]).legacy
        raise TorchNotImplementedError(f'"{kernel}_cpu" not implemented for \'{legacy}\'')
    return a, b


def _logical(ufunc, name):
    def fn(input, other) -> Tensor:
        a, b = _integer_operands(input, other, name, name)
        return _wrap(np.asarray(ufunc(a, b)))
    fn.__name__ = fn.__qualname__ = name
    return fn


bitwise_and = _logical(np.bitwise_and, "bitwise_and")
bitwise_or = _logical(np.bitwise_or, "bitwise_or")
bitwise_xor = _logical(np.bitwise_xor, "bitwise_xor")


def _wrapped(v, dtype) -> np.ndarray:
    """An operand in ``dtype``, wrapping as C's conversion does (a shift by -1 of a uint8)."""
    return (v if isinstance(v, np.ndarray) else np.array(v)).astype(dtype, copy=False)


def bitwise_left_shift(input, other) -> Tensor:
    """``input << other`` as ATen's lshift: the bits of ``input`` as unsigned, shifted and
    wrapped to its dtype; 0 where the shift is negative or at least the bit width."""
    a, b = _integer_operands(input, other, "bitwise_left_shift", "lshift", bools=False)
    dtype = np.result_type(a, b)
    a, b = np.broadcast_arrays(_wrapped(a, dtype), _wrapped(b, dtype))
    bits = dtype.itemsize * 8
    unsigned = np.dtype(f"u{dtype.itemsize}")
    valid = (b >= 0) & (b < bits)
    shifted = np.left_shift(a.astype(unsigned), np.where(valid, b, 0).astype(unsigned))
    return _wrap(np.where(valid, shifted, 0).astype(unsigned).astype(dtype))


def bitwise_right_shift(input, other) -> Tensor:
    """``input >> other`` as ATen's rshift: arithmetic for signed dtypes; a negative shift,
    or one of at least the bit width (less the sign bit), shifts by that width."""
    a, b = _integer_operands(input, other, "bitwise_right_shift", "rshift", bools=False)
    dtype = np.result_type(a, b)
    a, b = np.broadcast_arrays(_wrapped(a, dtype), _wrapped(b, dtype))
    widest = dtype.itemsize * 8 - (dtype.kind == "i")
    out_of_range = (b < 0) | (b >= widest)
    return _wrap(np.right_shift(a, np.where(out_of_range, widest, b).astype(dtype)))


def _rlshift(input, other) -> Tensor:
    """``other << tensor``: Tensor.__rlshift__."""
    return bitwise_left_shift(other, input)


def _rrshift(input, other) -> Tensor:
    """``other >> tensor``: Tensor.__rrshift__."""
    return bitwise_right_shift(other, input)


def bitwise_not(input) -> Tensor:
    _tensor_arg(input, "bitwise_not", "input")
    if input._data.dtype.kind == "f":
        raise TorchRuntimeError("~ (bitwise_not) is only defined for bool and integer tensors")
    return _wrap(np.invert(input._data))


def _bitwise_not(input) -> Tensor:
    """torch.bitwise_not: refused for floating dtypes as torch's CPU kernel refuses them."""
    _tensor_arg(input, "bitwise_not", "input")
    if input._data.dtype.kind in "fc":
        raise TorchNotImplementedError(
            f"\"bitwise_not_cpu\" not implemented for '{input.dtype.legacy}'")
    return bitwise_not(input)


def _invert(input) -> Tensor:
    """``~tensor``: integer and bool tensors only, as Tensor.__invert__ checks."""
    if input._data.dtype.kind in "fc":
        raise TorchTypeError("~ (operator.invert) is only implemented on integer and "
                             "Boolean-type tensors")
    return bitwise_not(input)


def logical_not(input) -> Tensor:
    _tensor_arg(input, "logical_not", "input")
    return _wrap(np.logical_not(input._data))


def logical_and(input, other) -> Tensor:
    _tensor_arg(input, "logical_and", "input")
    _tensor_arg(other, "logical_and", "other")
    return _wrap(np.logical_and(*_O._operands(input, other, False)))


def logical_or(input, other) -> Tensor:
    _tensor_arg(input, "logical_or", "input")
    _tensor_arg(other, "logical_or", "other")
    return _wrap(np.logical_or(*_O._operands(input, other, False)))


def isnan(input) -> Tensor:
    _tensor_arg(input, "isnan", "input")
    return _wrap(np.isnan(input._data))


def isinf(input) -> Tensor:
    _tensor_arg(input, "isinf", "input")
    return _wrap(np.isinf(input._data))


def isfinite(input) -> Tensor:
    _tensor_arg(input, "isfinite", "input")
    return _wrap(np.isfinite(input._data))


def all(input, dim=None, keepdim=False) -> Tensor:
    _flag(keepdim, "all")
    _tensor_arg(input, "all", "input")
    axes = None if dim is None else _sh.norm_dims(dim, input._data.ndim)
    return _wrap(np.asarray(np.all(input._data, axis=axes, keepdims=keepdim)))


def any(input, dim=None, keepdim=False) -> Tensor:
    _flag(keepdim, "any")
    _tensor_arg(input, "any", "input")
    axes = None if dim is None else _sh.norm_dims(dim, input._data.ndim)
    return _wrap(np.asarray(np.any(input._data, axis=axes, keepdims=keepdim)))


def equal(input, other) -> bool:
    _tensor_arg(input, "equal", "input")
    _tensor_arg(other, "equal", "other")
    return input._data.shape == other._data.shape and _b.bool(np.all(input._data == other._data))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> bool:
    _tensor_arg(input, "allclose", "input")
    _tensor_arg(other, "allclose", "other")
    a, b = (np.asarray(v, dtype=np.float64) for v in _O._operands(input, other, False))
    rtol, atol = _b.float(_O._number(rtol)), _b.float(_O._number(atol))
    return _b.bool(np.allclose(a, b, rtol, atol, _flag(equal_nan, "allclose", "equal_nan")))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False) -> Tensor:
    """torch.isclose: |input - other| <= atol + rtol * |other|, element by element."""
    _tensor_arg(input, "isclose", "input")
    if not isinstance(other, Tensor):
        raise TorchTypeError(f"isclose(): argument 'other' (position 2) must be Tensor, not "
                             f"{type(other).__name__}")
    if input._data.dtype != other._data.dtype:
        raise TorchRuntimeError(f"{input.dtype.legacy} did not match {other.dtype.legacy}")
    a, b = _O._operands(input, other, False)
    rtol, atol = _b.float(_O._number(rtol)), _b.float(_O._number(atol))
    return _wrap(np.asarray(np.isclose(a, b, rtol, atol,
                                       _flag(equal_nan, "isclose", "equal_nan"))))


def is_tensor(obj) -> bool:
    return isinstance(obj, Tensor)


def numel(input) -> int:
    _tensor_arg(input, "numel", "input")
    return input._data.size


# ============================================================================ reductions


def _axes(input, dim):
    """torch's ``dim`` for sum/mean: None or () mean every dim."""
    if dim is None or (isinstance(dim, tuple | list) and not dim):
        return None
    return _sh.norm_dims(dim, input._data.ndim)


def sum(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    _flag(keepdim, "sum")
    _tensor_arg(input, "sum")
    dtype = None if dtype is None else _dt.to_dtype(dtype)
    axes = _axes(input, dim)
    if axes is None and dim is None and not keepdim:
        return _O.SumBackward0.apply(input, dtype)
    axes = tuple(range(input._data.ndim)) if axes is None else axes
    return _O.SumBackward1.apply(input, axes, keepdim, dtype)


def mean(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    _flag(keepdim, "mean")
    _tensor_arg(input, "mean")
    dtype = None if dtype is None else _dt.to_dtype(dtype)
    if dtype is not None and dtype.kind != _dt.FLOAT:
        raise TorchRuntimeError(
            "mean(): could not infer output dtype. Optional dtype must be either a floating "
            f"point or complex dtype. Got: {dtype.legacy}")
    if input._data.dtype.kind not in "fc" and dtype is None:
        raise TorchRuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {input.dtype.legacy}")
    axes = _axes(input, dim)
    if axes is None and dim is None and not keepdim:
        return _O.MeanBackward0.apply(input, dtype)
    axes = tuple(range(input._data.ndim)) if axes is None else axes
    return _O.MeanBackward1.apply(input, axes, keepdim, dtype)


def prod(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    _flag(keepdim, "prod")
    _tensor_arg(input, "prod")
    dtype = None if dtype is None else _dt.to_dtype(dtype)
    if dim is None:
        return _O.ProdBackward0.apply(input, dtype)
    d = _sh.norm_dim(dim, input._data.ndim)
    if input._data.ndim == 0:
        return _O.ProdBackward0.apply(input, dtype)
    return _O.ProdBackward1.apply(input, d, keepdim, dtype)


class _ReturnType(tuple):
    """torch.return_types.max / min: a (values, indices) pair."""

    __slots__ = ()
    _name = ""
    _fields = ("values", "indices")

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self) -> str:
        return f"torch.return_types.{self._name}(\nvalues={self[0]!r},\nindices={self[1]!r})"


class _MaxReturn(_ReturnType):
    __slots__ = ()
    _name = "max"


class _MinReturn(_ReturnType):
    __slots__ = ()
    _name = "min"


def _extremum(input, dim, keepdim, other, full, by_dim, binary, result):
    _tensor_arg(input, full.__name__[:3].lower())
    _flag(keepdim, full.__name__[:3].lower())
    if isinstance(dim, Tensor):
        dim, other = None, dim
    if other is not None:
        return binary.apply(input, _tensor_arg(other, "max", "other"))
    if dim is None:
        return full.apply(input)
    d = _sh.norm_dim(dim, input._data.ndim)
    return result(by_dim.apply_indices(input, d if input._data.ndim else 0, keepdim))


def max(input, dim=None, keepdim=False, *, other=None):
    """max(input) -> tensor; max(input, dim) -> (values, indices); max(input, other)."""
    return _extremum(input, dim, keepdim, other, _O.MaxBackward1, _O.MaxBackward0,
                     _O.MaximumBackward0, _MaxReturn)


def min(input, dim=None, keepdim=False, *, other=None):
    """min(input) -> tensor; min(input, dim) -> (values, indices); min(input, other)."""
    return _extremum(input, dim, keepdim, other, _O.MinBackward1, _O.MinBackward0,
                     _O.MinimumBackward0, _MinReturn)


def _amax_axes(input, dim):
    axes = _axes(input, dim)
    return tuple(range(input._data.ndim)) if axes is None else axes


def _amax_empty(input, dim, name: str) -> None:
    """torch's refusals of amax/amin over an empty tensor: no dim, or a dim of size 0 (named
    as given)."""
    data = input._data
    if data.size:
        return
    dims = [dim] if isinstance(dim, _b.int) else list(dim) if isinstance(
        dim, tuple | list) else []
    if not dims:
        raise TorchRuntimeError(f"{name}(): Expected reduction dim to be specified for "
                                "input.numel() == 0. Specify the reduction dim with the 'dim' "
                                "argument.")
    for d in dims:
        if isinstance(d, _b.int) and data.ndim and data.shape[_sh.norm_dim(d, data.ndim)] == 0:
            raise TorchIndexError(f"{name}(): Expected reduction dim {d} to have non-zero "
                                  "size.")


def amax(input, dim=(), keepdim=False) -> Tensor:
    _flag(keepdim, "amax")
    _amax_empty(_tensor_arg(input, "amax"), dim, "amax")
    return _O.AmaxBackward0.apply(_tensor_arg(input, "amax"), _amax_axes(input, dim), keepdim)


def amin(input, dim=(), keepdim=False) -> Tensor:
    _flag(keepdim, "amin")
    _amax_empty(_tensor_arg(input, "amin"), dim, "amin")
    return _O.AminBackward0.apply(_tensor_arg(input, "amin"), _amax_axes(input, dim), keepdim)


def _float_only(input, fn: str) -> None:
    if input._data.dtype.kind not in "fc":
        if fn == "norm":
            raise TorchRuntimeError("linalg.vector_norm: Expected a floating point or complex "
                                    f"tensor as input. Got {input.dtype.legacy}")
        raise TorchRuntimeError("std and var only support floating point and complex dtypes")


def norm(input, p="fro", dim=None, keepdim=False, dtype=None) -> Tensor:
    _flag(keepdim, "norm")
    _tensor_arg(input, "norm")
    _float_only(input, "norm")
    if p == "fro" or p is None:
        p = 2
    elif isinstance(p, str):
        raise TorchNotImplementedError(f"norm(p={p!r}) is not supported; use p='fro' or a number")
    else:
        p = _O._number(p)
    if dtype is not None:
        input = input.to(dtype)
    axes = _amax_axes(input, dim)
    return _O.LinalgVectorNormBackward0.apply(input, p, axes, keepdim, dim is None)


def _correction(dim, unbiased, correction, fn):
    if isinstance(dim, _b.bool):
        dim, unbiased = None, dim
    if correction is not None and unbiased is not None:
        raise TorchTypeError(f"{fn}(): give either unbiased or correction, not both")
    if unbiased is not None:
        _flag(unbiased, fn, "unbiased")
    if correction is None:
        correction = 0 if unbiased is False else 1
    elif not isinstance(_O._number(correction), _b.int | _b.float):
        raise TorchTypeError(f"{fn}(): correction must be a number")
    return dim, correction


def var(input, dim=None, unbiased=None, keepdim=False, *, correction=None) -> Tensor:
    _tensor_arg(input, "var")
    _flag(keepdim, "var")
    _float_only(input, "var")
    dim, correction = _correction(dim, unbiased, correction, "var")
    return _O.VarBackward0.apply(input, _amax_axes(input, dim), correction, keepdim, dim is None)


def std(input, dim=None, unbiased=None, keepdim=False, *, correction=None) -> Tensor:
    _tensor_arg(input, "std")
    _flag(keepdim, "std")
    _float_only(input, "std")
    dim, correction = _correction(dim, unbiased, correction, "std")
    return _O.StdBackward0.apply(input, _amax_axes(input, dim), correction, keepdim, dim is None)


def logsumexp(input, dim, keepdim=False) -> Tensor:
    _flag(keepdim, "logsumexp")
    _tensor_arg(input, "logsumexp")
    return _O.LogsumexpBackward0.apply(input, _amax_axes(input, dim), keepdim)


def _arg_reduce(input, dim, keepdim, pick, name):
    _flag(keepdim, name)
    data = input._data
    if dim is None:
        if data.size == 0:
            raise TorchIndexError(f"{name}(): Expected reduction dim to be specified for "
                                  "input.numel() == 0.")
        out = np.asarray(pick(data.reshape(-1)))
        return _wrap(out.reshape((1,) * data.ndim) if keepdim else out)
    d = _sh.norm_dim(dim, data.ndim)
    if data.ndim == 0:
        return _wrap(np.zeros((), np.int64))
    if data.shape[d] == 0:
        raise TorchIndexError(f"{name}(): Expected reduction dim {d} to have non-zero size.")
    return _wrap(np.asarray(pick(data, axis=d, keepdims=keepdim)).astype(np.int64))


def argmax(input, dim=None, keepdim=False) -> Tensor:
    return _arg_reduce(_tensor_arg(input, "argmax"), dim, keepdim, np.argmax, "argmax")


def argmin(input, dim=None, keepdim=False) -> Tensor:
    return _arg_reduce(_tensor_arg(input, "argmin"), dim, keepdim, np.argmin, "argmin")


def _softmax_dim(input, dim, fn):
    if dim is not None and (isinstance(dim, _b.bool) or not isinstance(dim, _b.int)) and not (
            hasattr(dim, "__index__")):
        raise TorchTypeError(f"{fn}(): argument 'dim' must be int, not {type(dim).__name__}")
    d = _sh.norm_dim(dim, input._data.ndim)
    if input._data.dtype.kind not in "fc":
        last = "lastdim_" if d == _b.max(input._data.ndim - 1, 0) else ""
        raise TorchNotImplementedError(f"\"{fn}_{last}kernel_impl\" not implemented for "
                                       f"'{input.dtype.legacy}'")
    return d


def softmax(input, dim, dtype=None) -> Tensor:
    _tensor_arg(input, "softmax", "input")
    if dtype is not None:
        input = input.to(dtype)
    return _O.SoftmaxBackward0.apply(input, _softmax_dim(input, dim, "softmax"))


def log_softmax(input, dim, dtype=None) -> Tensor:
    _tensor_arg(input, "log_softmax", "input")
    if dtype is not None:
        input = input.to(dtype)
    return _O.LogSoftmaxBackward0.apply(input, _softmax_dim(input, dim, "log_softmax"))


# ============================================================================ linear algebra


def matmul(input, other) -> Tensor:
    return _O.matmul(_tensor_arg(input, "matmul"), _tensor_arg(other, "matmul", "other"))


def mm(input, mat2) -> Tensor:
    return _O.MmBackward0.apply(_tensor_arg(input, "mm"), _tensor_arg(mat2, "mm", "mat2"))


def mv(input, vec) -> Tensor:
    return _O.MvBackward0.apply(_tensor_arg(input, "mv"), _tensor_arg(vec, "mv", "vec"))


def dot(input, tensor) -> Tensor:
    return _O.DotBackward0.apply(_tensor_arg(input, "dot"), _tensor_arg(tensor, "dot", "tensor"))


inner = dot


def bmm(input, mat2) -> Tensor:
    return _O.BmmBackward0.apply(_tensor_arg(input, "bmm"), _tensor_arg(mat2, "bmm", "mat2"))


def outer(input, vec2) -> Tensor:
    _tensor_arg(input, "outer")
    _tensor_arg(vec2, "outer", "vec2")
    for arg, t in (("self", input), ("vec2", vec2)):
        if t._data.ndim != 1:
            raise TorchRuntimeError(f"outer: Expected 1-D argument {arg}, but got "
                                    f"{t._data.ndim}-D")
    return _O.MulBackward0.apply(reshape(input, -1, 1), vec2)


ger = outer


def t(input) -> Tensor:
    n = _tensor_arg(input, "t")._data.ndim
    if n > 2:
        raise TorchRuntimeError(f"t() expects a tensor with at most 2 dimensions, but it has "
                                f"{n}; use transpose(dim0, dim1) or permute()")
    return _O.TBackward0.apply(input, (1, 0) if n == 2 else tuple(range(n)))


def trace(input) -> Tensor:
    return _O.TraceBackward0.apply(_tensor_arg(input, "trace"))


def diag(input, diagonal=0) -> Tensor:
    """torch.diag: a vector's square matrix, or a matrix's diagonal (offset ``diagonal``)."""
    _tensor_arg(input, "diag")
    offset = _int(diagonal, "diag", "diagonal")
    nd = input._data.ndim
    if nd == 1:
        n = input._data.shape[0] + _b.abs(offset)
        _check_elements(n * n)
        return _O.DiagEmbedBackward0.apply(input, offset)
    if nd != 2:
        raise TorchRuntimeError(f"diag(): Supports 1D or 2D tensors. Got {nd}D")
    return _O.DiagonalBackward0_copy.apply(input, offset, 0, 1)


def diagonal(input, offset=0, dim1=0, dim2=1) -> Tensor:
    """torch.diagonal: the diagonal of dims ``dim1`` and ``dim2`` as the last dim."""
    _tensor_arg(input, "diagonal")
    nd = input._data.ndim
    offset = _int(offset, "diagonal", "offset")
    d1, d2 = _sh.norm_dim(dim1, nd), _sh.norm_dim(dim2, nd)
    if d1 == d2:
        raise TorchRuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    return _O.DiagonalBackward0.apply(input, offset, d1, d2)


# ============================================================================ shape


def _shape_args(shape):
    return tuple(shape[0]) if len(shape) == 1 and isinstance(shape[0], tuple | list) else shape


def reshape(input, *shape) -> Tensor:
    return _O.reshape(_tensor_arg(input, "reshape"), _shape_args(shape))


def view(input, *shape) -> Tensor:
    _tensor_arg(input, "view", "input")
    shape = _sh.infer_shape(_shape_args(shape), input._data.size, "view")
    data = input._data
    if not data.flags.c_contiguous and shape != data.shape:
        v = data.view()
        try:
            v.shape = shape
        except AttributeError:
            raise TorchRuntimeError(
                "view size is not compatible with input tensor's size and stride (at least one "
                "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
            ) from None
    return _O.ViewBackward0.apply(input, shape)


def view_as(input, other) -> Tensor:
    _tensor_arg(input, "view_as", "input")
    _tensor_arg(other, "view_as", "other")
    return view(input, other._data.shape)


def reshape_as(input, other) -> Tensor:
    _tensor_arg(input, "reshape_as", "input")
    _tensor_arg(other, "reshape_as", "other")
    return reshape(input, other._data.shape)


def flatten(input, start_dim=0, end_dim=-1) -> Tensor:
    _tensor_arg(input, "flatten", "input")
    shape = input._data.shape
    if not shape:
        return reshape(input, 1)
    s, e = _sh.norm_dim(start_dim, len(shape)), _sh.norm_dim(end_dim, len(shape))
    if s > e:
        raise TorchRuntimeError("flatten() has invalid args: start_dim cannot come after end_dim")
    if s == e:
        return input
    return reshape(input, shape[:s] + (-1,) + shape[e + 1:])


def squeeze(input, dim=None) -> Tensor:
    _tensor_arg(input, "squeeze")
    if dim is None:
        return _O.SqueezeBackward0.apply(input)
    if isinstance(dim, tuple | list):
        return _O.SqueezeBackward2.apply(input, _sh.norm_dims(dim, input._data.ndim))
    return _O.SqueezeBackward1.apply(input, _sh.norm_dim(dim, input._data.ndim))


def unsqueeze(input, dim) -> Tensor:
    _tensor_arg(input, "unsqueeze")
    return _O.UnsqueezeBackward0.apply(input, _sh.norm_dim(dim, input._data.ndim + 1))


def transpose(input, dim0, dim1) -> Tensor:
    n = _tensor_arg(input, "transpose")._data.ndim
    d0, d1 = _sh.norm_dim(dim0, n), _sh.norm_dim(dim1, n)
    perm = list(range(n))
    if n:
        perm[d0], perm[d1] = perm[d1], perm[d0]
    return _O.TransposeBackward0.apply(input, tuple(perm))


swapaxes = swapdims = transpose


def permute(input, *dims) -> Tensor:
    dims = _shape_args(dims)
    n = _tensor_arg(input, "permute")._data.ndim
    if len(dims) != n:
        raise TorchRuntimeError(
            "permute(sparse_coo): number of dimensions in the tensor input does not match the "
            "length of the desired ordering of dimensions i.e. input.dim() = "
            f"{n} is not equal to len(dims) = {len(dims)}")
    perm = tuple(_sh.norm_dim(d, n) for d in dims)
    if len(_b.set(perm)) != n:
        raise TorchRuntimeError("permute(): duplicate dims are not allowed.")
    return _O.PermuteBackward0.apply(input, perm)


def _T(input) -> Tensor:
    n = input._data.ndim
    if n != 2:
        _tensor.warn("The use of `x.T` on tensors of dimension other than 2 to reverse their "
                     "shape is deprecated and it will throw an error in a future release. "
                     "Consider `x.mT` to transpose batches of matrices or `x.permute(*torch."
                     "arange(x.ndim - 1, -1, -1))` to reverse the dimensions of a tensor.")
    return _O.PermuteBackward0.apply(input, tuple(range(n - 1, -1, -1)))


def _matrices(input, what: str) -> None:
    if input._data.ndim < 2:
        raise TorchRuntimeError(f"tensor.{what} is only supported on matrices or batches of "
                                f"matrices. Got {input._data.ndim}-D tensor.")


def _mT(input) -> Tensor:
    _matrices(input, "mT")
    return transpose(input, -2, -1)


def _mH(input) -> Tensor:
    """Tensor.mH: the last two dims swapped, conjugated (the engine's dtypes are real)."""
    _matrices(input, "mH")
    return transpose(input, -2, -1)


def adjoint(input) -> Tensor:
    """torch.adjoint / Tensor.adjoint(): the conjugate transpose of the last two dims."""
    _tensor_arg(input, "adjoint", "input")
    _matrices(input, "adjoint()")
    return transpose(input, -2, -1)


def _H(input) -> Tensor:
    """Tensor.H: a matrix's conjugate transpose (a 0-D tensor itself, with torch's
    deprecation warning)."""
    n = input._data.ndim
    if n == 0:
        _tensor.warn("Tensor.H is deprecated on 0-D tensors. Consider using x.conj(). "
                     "(Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
                     "TensorShape.cpp:4335.)")
        return input
    if n != 2:
        extra = (". For batches of matrices, consider using tensor.mH" if n > 2 else ".")
        raise TorchRuntimeError(f"tensor.H is only supported on matrices (2-D tensors). Got "
                                f"{n}-D tensor{extra}")
    return transpose(input, 0, 1)


def conj(input) -> Tensor:
    """torch.conj / Tensor.conj(), conj_physical, resolve_conj, resolve_neg, torch.real:
    the tensor itself, as torch gives for a real one (the engine has no complex dtype)."""
    _tensor_arg(input, "conj", "input")
    return input


def _real(input) -> Tensor:
    _tensor_arg(input, "real", "input")
    return input


def imag(input) -> Tensor:
    """torch.imag / Tensor.imag: torch's refusal for a real tensor."""
    _tensor_arg(input, "imag", "input")
    raise TorchRuntimeError("imag is not implemented for tensors with non-complex dtypes.")


def is_complex(input) -> bool:
    _tensor_arg(input, "is_complex", "input")
    return False


def _is_false(input) -> bool:
    """Tensor.is_conj() / is_neg(): False, no tensor of the engine's carries those bits."""
    _tensor_arg(input, "is_conj", "input")
    return False


def expand(input, *sizes) -> Tensor:
    _tensor_arg(input, "expand", "input")
    return _O.expand(input, _shape_args(sizes))


def expand_as(input, other) -> Tensor:
    _tensor_arg(input, "expand_as", "input")
    _tensor_arg(other, "expand_as", "other")
    return _O.expand(input, other._data.shape)


def broadcast_to(input, size) -> Tensor:
    _tensor_arg(input, "broadcast_to", "input")
    if not isinstance(size, list | tuple):
        raise TorchTypeError(f"broadcast_to(): size must be a tuple of ints, got "
                             f"{type(size).__name__}")
    return _O.expand(input, tuple(size))


def repeat(input, *sizes) -> Tensor:
    _tensor_arg(input, "repeat", "input")
    if not sizes:
        raise TorchTypeError('repeat() missing 1 required positional arguments: "repeats"')
    reps = tuple(_int(r, "repeat", "repeats") for r in _shape_args(sizes))
    if len(reps) < input._data.ndim:
        raise TorchRuntimeError("Number of dimensions of repeat dims can not be smaller than "
                                "number of dimensions of tensor")
    full = (1,) * (len(reps) - input._data.ndim) + input._data.shape
    if _b.any(r < 0 for r in reps):
        _sh.size_args(tuple(r * s for r, s in zip(reps, full)), "repeat")
    out_shape = tuple(a * b for a, b in zip(full, reps))
    _check_elements(_sh.numel(out_shape), out_shape)
    return _O.RepeatBackward0.apply(input, reps)


def _tensor_list(tensors, fn):
    if isinstance(tensors, Tensor) or not isinstance(tensors, list | tuple):
        raise TorchTypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of "
                             f"Tensors, not {type(tensors).__name__}")
    if not tensors:
        raise TorchRuntimeError(f"{fn}() expects a non-empty list of tensors")
    for i, x in enumerate(tensors):
        if not isinstance(x, Tensor):
            raise TorchTypeError(f"{fn}(): element {i} is a {type(x).__name__}, not a Tensor")
    return list(tensors)


def cat(tensors, dim=0) -> Tensor:
    if isinstance(tensors, list | tuple) and not tensors:
        raise TorchValueError("torch.cat(): expected a non-empty list of Tensors")
    tensors = _tensor_list(tensors, "cat")
    d = _O.check_cat_shapes([x._data.shape for x in tensors], dim)  # torch's words
    kept = [x for x in tensors if x._data.shape != (0,)]
    if not kept:
        return _O.CatBackward0.apply(tensors, 0)
    out = list(kept[0]._data.shape)
    out[d] = _b.sum(x._data.shape[d] for x in kept)
    _check_elements(_sh.numel(out), tuple(out))
    return _O.CatBackward0.apply(kept, d)


concat = concatenate = cat


def stack(tensors, dim=0) -> Tensor:
    if isinstance(tensors, list | tuple) and not tensors:
        raise TorchRuntimeError("stack expects a non-empty TensorList")
    tensors = _tensor_list(tensors, "stack")
    ref = tensors[0]._data.shape
    for i, x in enumerate(tensors):
        if x._data.shape != ref:
            raise TorchRuntimeError(
                f"stack expects each tensor to be equal size, but got {list(ref)} at entry 0 "
                f"and {list(x._data.shape)} at entry {i}"
            )
    d = _sh.norm_dim(dim, len(ref) + 1)
    _check_elements(len(tensors) * _sh.numel(ref))
    return _O.StackBackward0.apply(tensors, d)


def cartesian_prod(*tensors) -> Tensor:
    """torch.cartesian_prod: every combination of the vectors' elements, one per row (the
    input itself for one vector)."""
    if not tensors:
        raise TorchRuntimeError("meshgrid expects a non-empty TensorList")
    for x in tensors:
        _tensor_arg(x, "cartesian_prod", "tensors")
        if x._data.ndim != 1:
            raise TorchRuntimeError(f"Expect a 1D vector, but got shape {list(x._data.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    if _b.len({x._data.dtype for x in tensors}) > 1:
        raise TorchRuntimeError("meshgrid expects all tensors to have the same dtype")
    shape = tuple(x._data.shape[0] for x in tensors)
    _check_elements(_sh.numel(shape) * len(tensors))
    columns = []
    for i, x in enumerate(tensors):
        view = [1] * len(tensors)
        view[i] = -1
        columns.append(x.reshape(*view).expand(*shape).reshape(-1))
    return stack(columns, 1)


def broadcast_shapes(*shapes) -> Size:
    """torch.broadcast_shapes: the shape that tensors of these shapes broadcast to."""
    shapes = tuple((s,) if isinstance(s, _b.int) else s for s in shapes if s is not None)
    if not shapes:
        return Size(())
    for s in shapes:
        if not isinstance(s, tuple | list):
            raise TorchRuntimeError("Input shapes should be of type ints, a tuple of ints, or a "
                                    f"list of ints, got {s}")
        for n in s:
            if not isinstance(n, _b.int) or isinstance(n, _b.bool):
                raise TorchTypeError(f"broadcast_shapes(): sizes must be ints, not "
                                     f"{type(n).__name__}")
    common = [1] * _b.max(len(s) for s in shapes)
    for arg, s in enumerate(shapes):
        for i in range(-1, -1 - len(s), -1):
            if s[i] == common[i]:
                continue
            if common[i] == 1:
                if s[i] < 0:
                    raise TorchValueError(
                        "Attempting to broadcast a dimension with negative length!")
                common[i] = s[i]
            if s[i] != 1 and common[i] != s[i]:
                raise TorchRuntimeError(
                    f"Attempting to broadcast a dimension of length {s[i]} at {i}! Mismatching "
                    f"argument at index {arg} had {s}; but expected shape should be "
                    f"broadcastable to {common}")
    return Size(common)


def unbind(input, dim=0) -> tuple:
    _tensor_arg(input, "unbind", "input")
    return _O.unbind(input, dim)


def split(tensor, split_size_or_sections, dim=0) -> tuple:
    _tensor_arg(tensor, "split", "tensor")
    n = tensor._data.ndim
    if not n:
        raise TorchRuntimeError("split() needs a tensor with at least one dimension")
    d = _sh.norm_dim(dim, n)
    size = tensor._data.shape[d] if n else 1
    if not isinstance(split_size_or_sections, _b.int | list | tuple) or isinstance(
            split_size_or_sections, _b.bool):
        raise TorchTypeError("split(): split_size_or_sections must be an int or a list of ints")
    if isinstance(split_size_or_sections, _b.int):
        step = split_size_or_sections
        if step < 0:
            raise TorchRuntimeError(f"split expects split_size be non-negative, but got "
                                    f"split_size={step}")
        if step == 0 and size:
            raise TorchRuntimeError(f"split_size can only be 0 if dimension size is 0, but got "
                                    f"dimension size of {size}")
        step = step or 1
        _tensor.check_tensor_count(-(-size // step), "split()")
        bounds = [(i, _b.min(i + step, size)) for i in range(0, size, step)] or [(0, 0)]
        cls = _O.SplitBackward0
    else:
        _tensor.check_tensor_count(len(split_size_or_sections), "split()")
        sizes = [_int(v, "split", "split_size_or_sections") for v in split_size_or_sections]
        if _b.sum(sizes) != size:
            raise TorchRuntimeError(f"split_with_sizes expects split_sizes to sum exactly to "
                                    f"{size} (input tensor's size at dimension {dim}), but got "
                                    f"split_sizes={sizes}")
        starts = np.cumsum([0] + sizes[:-1]).tolist()
        bounds = [(a, a + v) for a, v in zip(starts, sizes)]
        cls = _O.SplitWithSizesBackward0
    return tuple(cls.apply(tensor, d, (a, b, 1)) for a, b in bounds)


def chunk(input, chunks, dim=0) -> tuple:
    _tensor_arg(input, "chunk", "input")
    if isinstance(chunks, _b.int) and chunks <= 0:
        raise TorchRuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
    if not isinstance(chunks, _b.int):
        raise TorchTypeError(f"chunk(): argument 'chunks' (position 1) must be int, not "
                             f"{type(chunks).__name__}")
    d = _sh.norm_dim(dim, input._data.ndim)
    size = input._data.shape[d] if input._data.ndim else 1
    return split(input, _b.max(-(-size // chunks), 1), d)


def detach(input) -> Tensor:
    _tensor_arg(input, "detach", "input")
    return input.detach()


def _contiguous(input, memory_format=None) -> Tensor:
    return input if input._data.flags.c_contiguous else _O.CloneBackward0.apply(input, "C")


# ============================================================================ conversions


def _to(input, *args, **kwargs) -> Tensor:
    """Tensor.to(dtype) / to(device) / to(device, dtype) / to(other), with torch's
    argument parsing: a copy only if the dtype changes or copy=True; any device but the
    CPU raises as torch's CPU build raises."""
    dtype, copy = _devices.parse_to(args, kwargs, Tensor)
    if dtype is None:
        dtype = input.dtype
    if not copy and dtype.np == input._data.dtype:
        return input
    return _O.ToCopyBackward0.apply(input, dtype)


def _cpu(input, memory_format=None) -> Tensor:
    return input


def _cuda(input, device=None, non_blocking=False, memory_format=None) -> Tensor:
    if device is not None and not isinstance(device, str | _devices.device):
        _devices.check(device)
    raise _devices.TorchAssertionError(_devices.NO_CUDA)


def _get_device(input) -> int:
    return -1


def _data_ptr(input) -> int:
    """Tensor.data_ptr(): the address of the first element, as torch's (a view's differs
    from its base's by its storage offset in bytes)."""
    return input._data.__array_interface__["data"][0]


def _storage_offset(input) -> int:
    """Tensor.storage_offset(): where a view starts in its base's storage, in elements (0
    for a tensor that is no view)."""
    root = input
    while root._view is not None:
        root = root._view[0]
    if root is input or input._data.size == 0:
        return 0
    start = input._data.__array_interface__["data"][0]
    return (start - root._data.__array_interface__["data"][0]) // input._data.itemsize


def _is_pinned(input, device=None) -> bool:
    return False


_NUM_THREADS = [None]  # set_num_threads's number; None: torch's default (sum_threads)


def get_num_threads() -> int:
    """torch's intra-op threads: its default follows OMP_NUM_THREADS / MKL_NUM_THREADS,
    capped at the physical cores (the count torch's sums are split by)."""
    if _NUM_THREADS[0] is None:
        return _sum_threads()
    return _NUM_THREADS[0]


def get_num_interop_threads() -> int:
    return _os.cpu_count() or 1


def set_num_threads(int) -> None:  # noqa: A002 - torch's parameter name
    n = _int(int, "set_num_threads", "int")
    if n <= 0:
        raise TorchRuntimeError("set_num_threads expects a positive integer")
    _NUM_THREADS[0] = n


def _caster(d: dtype):
    def fn(input) -> Tensor:
        return _to(input, d)
    return fn


_LEGACY_NAMES = {f"torch.{d.legacy}Tensor": d for d in _dt.ALL}
_NO_ATEN_CUDA = (
    "Cannot initialize CUDA without ATen_cuda library. PyTorch splits its backend into two "
    "shared libraries: a CPU library and a CUDA library; this error has occurred because you "
    "are trying to use some CUDA functionality, but the CUDA library has not been loaded by "
    "the dynamic linker for some reason.  The CUDA library MUST be loaded, EVEN IF you don't "
    "directly use any symbols from the CUDA library! One common culprit is a lack of "
    "-Wl,--no-as-needed in your link arguments; many dynamic linkers will delete dynamic "
    "library dependencies if you don't depend on any of their symbols.  You can check if "
    "this has occurred by using ldd on your binary to see if there is a dependency on "
    "*_cuda.so library.")


def _type(input, dtype=None, non_blocking=False, **kwargs):
    """Tensor.type(): the legacy type name ("torch.FloatTensor"), or a conversion to a
    legacy type (torch.LongTensor), its name, or a dtype (the tensor itself if it already
    has that type)."""
    if dtype is None:
        return f"torch.{_dt.BY_NP[input._data.dtype].legacy}Tensor"
    if isinstance(dtype, _LegacyType):
        if dtype.is_cuda:
            raise TorchRuntimeError(_NO_ATEN_CUDA)
        dtype = dtype.dtype
    elif isinstance(dtype, str):
        if dtype not in _LEGACY_NAMES:
            raise TorchValueError(f"invalid type: '{dtype}'")
        dtype = _LEGACY_NAMES[dtype]
    elif not isinstance(dtype, _dt.dtype):
        raise TorchTypeError("dtype must be a type, str, or dtype object")
    return _to(input, dtype)


def type_as(input, other) -> Tensor:
    _tensor_arg(input, "type_as", "input")
    _tensor_arg(other, "type_as", "other")
    return _to(input, other.dtype)


# ============================================================================ in-place


def _add_(input, other, *, alpha=1) -> Tensor:
    return _O.inplace(input, _O.AddBackward0, other, alpha)


def _sub_(input, other, *, alpha=1) -> Tensor:
    return _O.inplace(input, _O.SubBackward0, other, alpha)


def _mul_(input, other) -> Tensor:
    return _O.inplace(input, _O.MulBackward0, other)


def _div_(input, other, *, rounding_mode=None) -> Tensor:
    if rounding_mode is None:  # (an integer input: inplace refuses the float result)
        return _O.inplace(input, _O.DivBackward0, other)
    return _O.derived_inplace(div, "div_")(input, other, rounding_mode=rounding_mode)


def _pow_(input, exponent) -> Tensor:
    if isinstance(exponent, Tensor):
        return _O.inplace(input, _O.PowBackward1, exponent)
    return _O.inplace(input, _O.PowBackward0, _O._number(exponent))


def _zero_(input) -> Tensor:
    return _O.inplace(input, _O.ZeroBackward0, overlap_ok=True)


def _fill_(input, value) -> Tensor:
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise TorchRuntimeError("fill_() takes a number or a 0-d tensor")
        return _O.inplace(input, _O.FillBackward3, value)  # (torch refuses overlap here)
    return _O.inplace(input, _O.FillBackward2, _O._number(value), overlap_ok=True)


def _clamp_(input, min=None, max=None) -> Tensor:
    if min is None and max is None:
        raise TorchRuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
    return _O.inplace(input, _O.ClampBackward1, None if min is None else _O._number(min),
                      None if max is None else _O._number(max))


def _copy_(input, src) -> Tensor:
    if not isinstance(src, Tensor):
        raise TorchTypeError(f"copy_() expects a Tensor, got {type(src).__name__}")
    return _O.inplace(input, _O.CopyBackwards, src)


def _neg_(input) -> Tensor:
    return _O.inplace(input, _O.NegBackward0)


def _inplace_unary(cls):
    def fn(input) -> Tensor:
        return _O.inplace(input, cls)
    return fn


def _t_(input) -> Tensor:
    n = input._data.ndim
    if n > 2:
        raise TorchRuntimeError(f"t_() expects a tensor with at most 2 dimensions, got {n}")
    return _O.inplace_view(input, _O.TBackward1, (1, 0) if n == 2 else tuple(range(n)))


def _transpose_(input, dim0, dim1) -> Tensor:
    n = _tensor_arg(input, "transpose_")._data.ndim
    d0, d1 = _sh.norm_dim(dim0, n), _sh.norm_dim(dim1, n)
    perm = list(range(n))
    if n:
        perm[d0], perm[d1] = perm[d1], perm[d0]
    return _O.inplace_view(input, _O.TransposeBackward1, tuple(perm))


def _fill_diagonal_(input, fill_value, wrap=False) -> Tensor:
    shape = _tensor_arg(input, "fill_diagonal_")._data.shape
    if isinstance(fill_value, Tensor):
        fill_value = fill_value.item()
    value = _O._number(fill_value)
    if len(shape) < 2:
        raise TorchRuntimeError("dimensions must larger than 1")
    if len(shape) > 2 and len(_b.set(shape)) > 1:
        raise TorchRuntimeError("all dimensions of input must be of equal length")
    n = _b.min(shape)
    if len(shape) == 2 and wrap and shape[0] > shape[1] + 1:
        # as torch: every (width + 1)-th element of the storage, past the first square too
        flat = np.arange(0, shape[0] * shape[1], shape[1] + 1)
        key = (flat // shape[1], flat % shape[1])
    else:
        key = (np.arange(n),) * len(shape)
    return _O.inplace(input, _O.FillDiagonalSlices, value, key)


def _index_put_key(input, indices, values, fn):
    """index_put's arguments checked as torch checks them: the numpy key and the values."""
    if not isinstance(indices, tuple | list):
        raise TorchTypeError(f"{fn}(): argument 'indices' (position 1) must be tuple of "
                             f"Tensors, not {type(indices).__name__}")
    if not isinstance(values, Tensor):
        raise TorchTypeError(f"{fn}(): argument 'values' (position 2) must be Tensor, not "
                             f"{type(values).__name__}")
    for i in indices:
        if i is not None and not isinstance(i, Tensor):
            raise TorchTypeError(f"{fn}(): argument 'indices' (position 1) must be tuple of "
                                 f"Tensors, not {type(indices).__name__}")
    if values._data.dtype != input._data.dtype:
        raise TorchRuntimeError(
            f"Index put requires the source and destination dtypes match, got "
            f"{input.dtype.legacy} for the destination and {values.dtype.legacy} for the "
            "source.")
    key = tuple(slice(None) if i is None else i for i in indices)
    steps, advanced = _indexing.parse_index(key, input._data.shape, reading=False)
    if steps or advanced is None:
        advanced = tuple(slice(None) if i is None else i._data for i in indices)
    target = np.empty(input._data.shape, np.bool_)[advanced]  # (only its shape is read)
    try:
        np.broadcast_shapes(values._data.shape, target.shape)
        np.broadcast_to(values._data, target.shape)
    except ValueError:
        raise TorchRuntimeError(
            f"shape mismatch: value tensor of shape {list(values._data.shape)} cannot be "
            f"broadcast to indexing result of shape {list(target.shape)}") from None
    return advanced


def _index_put_(input, indices, values, accumulate=False) -> Tensor:
    key = _index_put_key(input, indices, values, "index_put_")
    return _O.inplace(input, _O.IndexPutBackward0, values, key, _b.bool(accumulate))


def index_put(input, indices, values, accumulate=False) -> Tensor:
    _tensor_arg(input, "index_put")
    key = _index_put_key(input, indices, values, "index_put")
    return _O.IndexPutBackward0.apply(input, values, key, _b.bool(accumulate))


def _squeeze_(input, dim=None) -> Tensor:
    if dim is None:
        return _O.inplace_view(input, _O.SqueezeBackward3)
    return _O.inplace_view(input, _O.SqueezeBackward5, _sh.norm_dim(dim, input._data.ndim))


def _unsqueeze_(input, dim) -> Tensor:
    return _O.inplace_view(input, _O.UnsqueezeBackward1,
                           _sh.norm_dim(dim, input._data.ndim + 1))


def _in_memory_order(like: np.ndarray, draw):
    """``draw(shape, contiguous)`` made to fill ``like`` as torch fills a tensor: values
    in memory order (TensorIterator's), returned in logical order."""
    def make(shape):
        v, contiguous = _sh.iter_order(like)
        vals = np.asarray(draw(v.shape, contiguous))
        if v is like:
            return vals
        return vals.transpose(np.argsort(_sh.stride_order(like)))
    return make


def _normal_(input, mean=0.0, std=1.0, *, generator=None) -> Tensor:
    g = _generator(generator)
    mean, std = _O._number(mean), _O._number(std)
    if not (std >= 0 and _math.isfinite(std) and _math.isfinite(mean)):
        raise TorchRuntimeError(f"normal_(): std must be finite and >= 0, got {std}")
    dtype = input._data.dtype
    return _O.inplace(input, _O.NormalBackward0, _in_memory_order(
        input._data, lambda s, c: g.normal_(s, mean, std, dtype, contiguous=c)))


def _uniform_(input, a=0.0, b=1.0, *, generator=None) -> Tensor:
    g = _generator(generator)
    a, b = _O._number(a), _O._number(b)
    if not (a <= b and _math.isfinite(b - a)):
        raise TorchRuntimeError(f"uniform_(): expects a finite range [from, to), got from={a} "
                                f"and to={b}")
    dtype = input._data.dtype
    return _O.inplace(input, _O.UniformBackward0, _in_memory_order(
        input._data, lambda s, c: g.uniform_(s, a, b, dtype)))


def normal(mean=0.0, std=1.0, size=None, *, generator=None, dtype=None, device=None,
           requires_grad=False, out=None) -> Tensor:
    """torch.normal's overloads, drawn as torch draws them: (Tensor, Tensor) and
    (float, Tensor) as normal_(0, 1) * std + mean, (Tensor, float) as normal_(0, std) +
    mean, (float, float, size) as normal_(mean, std)."""
    g = _generator(generator)
    mt, st = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mt and not st:
        mean, std = _O._number(mean), _O._number(std)
        if size is None:
            raise TorchTypeError("normal() missing 1 required positional argument: \"size\"")
        if not std >= 0:
            raise TorchRuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        _devices.check(device)
        return _random(size if isinstance(size, tuple | list) else (size,), dtype,
                       requires_grad, lambda shp, d: g.normal_(shp, mean, std, d), "normal")
    if st:
        if std._data.dtype.kind != "f":
            raise TorchRuntimeError("normal expects floating point std")
        if std._data.size and not (std._data >= 0).all():
            raise TorchRuntimeError("normal expects all elements of std >= 0.0")
    if mt and st:
        d = np.result_type(mean._data.dtype, std._data.dtype)
        shape = np.broadcast_shapes(mean._data.shape, std._data.shape)
        z = g.normal_(shape, 0.0, 1.0, d)
        data = ((z * std._data.astype(d)).astype(d) + mean._data.astype(d)).astype(d)
        return _O.NormalBackward3.apply(mean, std, data)
    if mt:
        std = _O._number(std)
        if not std >= 0:
            raise TorchRuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        d = mean._data.dtype
        if d.kind != "f":
            raise TorchRuntimeError("normal expects floating point mean")
        data = (g.normal_(mean._data.shape, 0.0, std, d) + mean._data).astype(d)
        return _O.NormalBackward1.apply(mean, data)
    d = std._data.dtype
    z = g.normal_(std._data.shape, 0.0, 1.0, d)
    data = ((z * std._data).astype(d) + np.asarray(_O._number(mean), d)).astype(d)
    return _O.NormalBackward2.apply(std, data)


def bernoulli(input, p=None, *, generator=None, out=None) -> Tensor:
    """torch.bernoulli(p): 1 with probability p, per element, in p's dtype."""
    _tensor_arg(input, "bernoulli")
    g = _generator(generator)
    if p is not None:
        p = _b.float(_O._number(p))
        _p_range(p)
        return _wrap(_drawn(g.bernoulli_scalar, input._data.shape, p, input._data.dtype))
    _p_tensor(input._data)
    return _O.BernoulliBackward0.apply(input, _drawn(g.bernoulli, input._data))


def _drawn(draw, *args):
    """A generator's draw, its refusals as torch's RuntimeError."""
    try:
        return draw(*args)
    except (ValueError, TypeError, RuntimeError) as e:
        raise TorchRuntimeError(str(e)) from None


def _p_range(p) -> None:
    if not 0 <= p <= 1:
        raise TorchRuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")


def _p_tensor(p) -> None:
    if p.dtype.kind != "f":
        raise TorchNotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for "
                                       f"'{_dt.BY_NP[p.dtype].legacy}'")
    if p.size and not ((p >= 0) & (p <= 1)).all():
        raise TorchRuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  "
                                "(Could this error message be improved?  If so, please report "
                                "an enhancement request to PyTorch.)")


def _bernoulli_(input, p=0.5, *, generator=None) -> Tensor:
    g = _generator(generator)
    dtype = input._data.dtype
    if isinstance(p, Tensor):
        _p_tensor(p._data)
        try:
            pa = np.broadcast_to(p._data, input._data.shape)
        except ValueError:
            raise TorchRuntimeError(f"expand: the shape of p {list(p.shape)} does not "
                                    f"broadcast to {list(input.shape)}") from None
        v = _sh.iter_order(input._data)[0]
        if v is not input._data:  # p visited in the same (memory) order as the output
            pa = pa.transpose(_sh.stride_order(input._data))
        return _O.inplace(input, _O.BernoulliBackward1, _in_memory_order(
            input._data, lambda s, c: _drawn(g.bernoulli, pa, dtype)))
    p = _b.float(_O._number(p))
    _p_range(p)
    return _O.inplace(input, _O.BernoulliBackward2, _in_memory_order(
        input._data, lambda s, c: _drawn(g.bernoulli_scalar, s, p, dtype)))


def multinomial(input, num_samples, replacement=False, *, generator=None, out=None) -> Tensor:
    """torch.multinomial: int64 indices drawn by the weights of each row."""
    _tensor_arg(input, "multinomial")
    n = _int(num_samples, "multinomial", "num_samples")
    x = input._data
    if x.ndim not in (1, 2):
        raise TorchRuntimeError("prob_dist must be 1 or 2 dim")
    if x.dtype.kind != "f":
        raise TorchRuntimeError("multinomial only supports floating-point dtypes for input")
    if n <= 0:
        raise TorchRuntimeError("cannot sample n_sample <= 0 samples")
    if not replacement and n > x.shape[-1]:
        raise TorchRuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without "
                                "replacement")
    if x.size and (x < 0).any() or not np.isfinite(x).all():
        raise TorchRuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
    if (x.reshape(-1, x.shape[-1]).sum(-1) <= 0).any():
        raise TorchRuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
    return _wrap(_drawn(_generator(generator).multinomial, x, n, _b.bool(replacement)))


def _random_(input, *args, generator=None, to=None) -> Tensor:
    """Tensor.random_(), random_(to), random_(from, to)."""
    g = _generator(generator)
    if len(args) > 2:
        raise TorchTypeError("random_() takes at most 2 positional arguments")
    args = tuple(_int(a, "random_", "from") if a is not None else None for a in args)
    node = _O.RandomBackward0
    if len(args) == 2:
        low, high = args
    elif len(args) == 1:
        low, high = (0, args[0]) if to is None else (args[0], to)
        node = _O.RandomBackward1 if to is None else node
    else:
        low, high = (None, None) if to is None else (0, to)
        node = _O.RandomBackward2 if to is None else _O.RandomBackward1
    if low is not None and high is not None and not low < high:
        raise TorchRuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                                f"from={low} >= to={high}")
    dtype = input._data.dtype
    return _O.inplace(input, node, _in_memory_order(
        input._data, lambda s, c: _drawn(g.random_, s, low, high, dtype)))


def _exponential_(input, lambd=1.0, *, generator=None) -> Tensor:
    g = _generator(generator)
    lambd = _b.float(_O._number(lambd))
    if not lambd > 0:
        raise TorchRuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
    dtype = input._data.dtype
    return _O.inplace(input, _O.ExponentialBackward0, _in_memory_order(
        input._data, lambda s, c: _drawn(g.exponential_, s, lambd, dtype)))


strided = _tensor.strided


def _masked_fill(input, mask, value) -> Tensor:
    _tensor_arg(mask, "masked_fill", "mask")
    if mask._data.dtype.kind != "b":
        raise TorchRuntimeError("masked_fill_ only supports boolean masks, but got mask with "
                                f"dtype {_dt.CPP_NAMES[mask.dtype.name]}")
    if mask._data.shape != input._data.shape:  # as torch: expand_outplace(mask, input)
        _sh.broadcast_shapes(mask._data.shape, input._data.shape)
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise TorchRuntimeError("masked_fill_ only supports a 0-dimensional value tensor, "
                                    f"but got tensor with {value._data.ndim} dimension(s).")
        if value._data.dtype != input._data.dtype:  # as torch: the value takes input's dtype
            value = _to(value, input.dtype)
        return _O.MaskedFillBackward1.apply(input, value, mask._data)
    return _O.MaskedFillBackward0.apply(input, mask._data, _O._number(value))


masked_fill = _masked_fill


# ============================================================================ operators


def _rpow(input, other) -> Tensor:
    return _O.pow(other, input)


def _matmul_operator(input, other) -> Tensor:
    """``input @ other``: a non-Tensor operand is Python's unsupported-operand TypeError."""
    return _O.matmul(input, other)


def _rmatmul(input, other) -> Tensor:
    return _O.matmul(other, input)


def _reverse(fn):
    def r(input, other):
        return fn(other, input)
    return r


def _rsub_operator(input, other) -> Tensor:
    """``other - input``; in a backward formula (create_graph) a number is filled into a
    tensor first, as torch's formulas do."""
    if _tensor._FORMULA[0] and isinstance(other, _b.int | _b.float):
        return _O.rsub_formula(input, other)
    return sub(other, input)


def _rtruediv_operator(input, other) -> Tensor:
    """``other / input``, with the same rule for backward formulas as ``_rsub_operator``."""
    if _tensor._FORMULA[0] and isinstance(other, _b.int | _b.float):
        return _O.rtruediv_formula(input, other)
    return div(other, input)


def _eq_op(input, other):
    if not isinstance(other, Tensor | _b.int | _b.float | _b.bool):
        return NotImplemented
    return eq(input, other)


def _ne_op(input, other):
    if not isinstance(other, Tensor | _b.int | _b.float | _b.bool):
        return NotImplemented
    return ne(input, other)


def _getitem(input, key) -> Tensor:
    return _O.getitem(input, key)


def _setitem(input, key, value) -> None:
    _O.setitem(input, key, value)


def _pos(input) -> Tensor:
    _tensor_arg(input, "positive")
    if input._data.dtype.kind == "b":
        raise TorchRuntimeError("unary + is not supported on bool tensors")
    return input






# ============================================================================ devices, printing

__version__ = "2.13.0+cpu"  # what torch 2.13's CPU build reports
device = _devices.device
set_default_device = _devices.set_default_device
get_default_device = _devices.get_default_device


def set_printoptions(precision=None, threshold=None, edgeitems=None, linewidth=None,
                     profile=None, sci_mode=None) -> None:
    from adcli import printing

    printing.set_printoptions(precision=precision, threshold=threshold, edgeitems=edgeitems,
                              linewidth=linewidth, profile=profile, sci_mode=sci_mode)


def set_default_dtype(d) -> None:
    """``torch.set_default_dtype``: the dtype of float tensors made without one (factories,
    Python floats, integer tensors turned float), and the one that prints without a
    ``dtype=`` suffix."""
    from adcli import printing

    if not isinstance(d, dtype):
        raise TorchTypeError(f"set_default_dtype(): argument 'd' (position 1) must be "
                             f"torch.dtype, not {type(d).__name__}")
    if d.kind != _dt.FLOAT:
        raise TorchTypeError("only floating-point types are supported as the default type")
    _dt.set_default_float(d)
    printing.set_default_float_name(d.np.name)


def get_default_dtype() -> dtype:
    """``torch.get_default_dtype``."""
    return _dt.default_float


def reset_state() -> None:
    """The engine's global settings back to a fresh process's: grad mode on, the CPU as
    the default device, default print options (one program must not leak into the next)."""
    from adcli import printing
    from adcli.engine import serialization

    _tensor.set_grad_mode(True)
    set_default_dtype(float32)
    _devices.reset()
    printing.set_printoptions(profile="default")
    serialization.reset()  # torch.save'd objects belong to the program that saved them
    from adcli.engine.autograd import anomaly

    anomaly.reset()  # anomaly mode is the program's own
    _DETERMINISTIC[:] = [False, False]
    _NUM_THREADS[0] = None
    _WARNED_ONCE.clear()  # torch's TORCH_WARN_ONCE: once per program
    _construct.WARNED_ONCE.clear()


pi = _math.pi
e = _math.e
inf = _math.inf
nan = _math.nan

float = float32
double = float64
half = float16
long = int64
int = int32
short = int16
bool = bool_


# ============================================================================ selection
# (after the dtype aliases above: int, float, bool, sum, max, ... are torch's here, so
# Python's builtins are spelled _b.NAME)


class _SortReturn(_ReturnType):
    __slots__ = ()
    _name = "sort"


class _TopkReturn(_ReturnType):
    __slots__ = ()
    _name = "topk"


class _KthvalueReturn(_ReturnType):
    __slots__ = ()
    _name = "kthvalue"


class _MedianReturn(_ReturnType):
    __slots__ = ()
    _name = "median"


class _NanmedianReturn(_ReturnType):
    __slots__ = ()
    _name = "nanmedian"


class _ModeReturn(_ReturnType):
    __slots__ = ()
    _name = "mode"


def _index_arg(index, fn: str, arg: str = "index", expect: str = "int64") -> np.ndarray:
    _tensor_arg(index, fn, arg)
    if index._data.dtype != np.int64:
        raise TorchRuntimeError(f"{fn}(): Expected dtype {expect} for index")
    return index._data


def gather(input, dim, index, *, sparse_grad=False) -> Tensor:
    _tensor_arg(input, "gather")
    idx = _index_arg(index, "gather", expect="int32/int64")
    d = _sh.norm_dim(dim, input._data.ndim)
    if input._data.ndim == 0:
        return _O.GatherBackward0.apply(_O.reshape(input, (1,)), 0, idx.reshape(1)).reshape(())
    return _O.GatherBackward0.apply(input, d, idx)


def index_select(input, dim, index) -> Tensor:
    _tensor_arg(input, "index_select")
    idx = _index_arg(index, "index_select", expect="int32 or int64")
    if idx.ndim > 1:
        raise TorchIndexError("index_select(): Index is supposed to be a vector")
    d = _sh.norm_dim(dim, input._data.ndim)
    return _O.IndexSelectBackward0.apply(input, d if input._data.ndim else 0, idx)


def _select_dim(input, dim, fn):
    _tensor_arg(input, fn)
    d = _sh.norm_dim(dim, input._data.ndim)
    return d if input._data.ndim else 0


def sort(input, dim=-1, descending=False, stable=False):
    """sort(input, dim=-1, descending=False, stable=False) -> (values, indices); ties in
    torch's order (std::sort's unless stable=True)."""
    d = _select_dim(input, dim, "sort")
    return _SortReturn(_O.SortBackward0.apply_indices(input, d, True, descending,
                                                      _b.bool(stable)))


def argsort(input, dim=-1, descending=False, stable=False) -> Tensor:
    return sort(input, dim, descending, stable)[1]


def msort(input) -> Tensor:
    return sort(input, 0)[0]


def topk(input, k, dim=-1, largest=True, sorted=True):
    d = _select_dim(input, dim, "topk")
    n = input._data.shape[d] if input._data.ndim else 1
    k = _int(k, "topk", "k")
    if not 0 <= k <= n:
        raise TorchRuntimeError("selected index k out of range")
    return _TopkReturn(_O.TopkBackward0.apply_indices(input, d, True, k, largest, sorted))


def kthvalue(input, k, dim=-1, keepdim=False):
    d = _select_dim(input, dim, "kthvalue")
    n = input._data.shape[d] if input._data.ndim else 1
    k = _int(k, "kthvalue", "k")
    if not 1 <= k <= n:
        raise TorchIndexError(f"kthvalue(): selected number k out of range for dimension {d}")
    return _KthvalueReturn(_O.KthvalueBackward0.apply_indices(input, d, keepdim, k))


def median(input, dim=None, keepdim=False):
    """median(input) -> the lower median; median(input, dim) -> (values, indices)."""
    _tensor_arg(input, "median")
    if dim is None:
        return _O.MedianBackward0.apply(input)
    d = _select_dim(input, dim, "median")
    if input._data.ndim and input._data.shape[d] == 0:
        raise TorchIndexError(f"median(): Expected reduction dim {d} to have non-zero size.")
    return _MedianReturn(_O.MedianBackward1.apply_indices(input, d, keepdim))


def nanmedian(input, dim=None, keepdim=False):
    """nanmedian(input) -> the lower median of the non-NaN values; nanmedian(input, dim)
    -> (values, indices)."""
    _tensor_arg(input, "nanmedian")
    if dim is None:
        return _O.NanmedianBackward0.apply(input)
    d = _select_dim(input, dim, "nanmedian")
    if input._data.ndim and input._data.shape[d] == 0:
        raise TorchIndexError(f"nanmedian(): Expected reduction dim {d} to have non-zero size.")
    return _NanmedianReturn(_O.NanmedianBackward1.apply_indices(input, d, keepdim))


def mode(input, dim=-1, keepdim=False):
    d = _select_dim(input, dim, "mode")
    return _ModeReturn(_O.ModeBackward0.apply_indices(input, d, keepdim))


def unique(input, sorted=True, return_inverse=False, return_counts=False, dim=None):
    _tensor_arg(input, "unique")
    data = input._data
    if dim is None:
        vals, inv, counts = np.unique(data.reshape(-1), return_inverse=True, return_counts=True)
        inv = inv.reshape(data.shape)
    else:
        d = _sh.norm_dim(dim, data.ndim)
        if data.ndim == 0:
            raise TorchIndexError("unique(): a 0-d tensor has no dim to take unique slices on")
        vals, inv, counts = np.unique(data, return_inverse=True, return_counts=True, axis=d)
        inv = inv.reshape(-1)
    out = [_wrap(vals.astype(data.dtype))]
    if return_inverse:
        out.append(_wrap(inv.astype(np.int64)))
    if return_counts:
        out.append(_wrap(counts.astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def unique_consecutive(input, return_inverse=False, return_counts=False, dim=None):
    _tensor_arg(input, "unique_consecutive")
    flat = input._data.reshape(-1)
    if flat.size == 0:
        starts = np.zeros(0, np.int64)
    else:
        starts = np.concatenate([[0], np.nonzero(flat[1:] != flat[:-1])[0] + 1])
    out = [_wrap(flat[starts].copy())]
    if return_inverse:
        out.append(_wrap((np.cumsum(np.isin(np.arange(flat.size), starts)) - 1)
                         .astype(np.int64).reshape(input._data.shape)))
    if return_counts:
        out.append(_wrap(np.diff(np.append(starts, flat.size)).astype(np.int64)))
    return out[0] if len(out) == 1 else tuple(out)


def tril(input, diagonal=0) -> Tensor:
    _tensor_arg(input, "tril")
    return _O.TrilBackward0.apply(input, _int(diagonal, "tril", "diagonal"))


def triu(input, diagonal=0) -> Tensor:
    _tensor_arg(input, "triu")
    return _O.TriuBackward0.apply(input, _int(diagonal, "triu", "diagonal"))


def _tril_(input, diagonal=0) -> Tensor:
    return _O.inplace(input, _O.TrilBackward0, _int(diagonal, "tril_", "diagonal"))


def _triu_(input, diagonal=0) -> Tensor:
    return _O.inplace(input, _O.TriuBackward0, _int(diagonal, "triu_", "diagonal"))


def repeat_interleave(input, repeats=None, dim=None, *, output_size=None) -> Tensor:
    _tensor_arg(input, "repeat_interleave")
    if repeats is None:  # torch.repeat_interleave(repeats): the indices repeated
        counts = input._data
        if counts.ndim != 1 or counts.dtype.kind not in "iu" or (counts.size and counts.min() < 0):
            raise TorchRuntimeError("repeat_interleave(): repeats must be a 1-d tensor of "
                                    "non-negative integers")
        return _wrap(np.repeat(np.arange(counts.size, dtype=np.int64), counts))
    x = input
    if dim is None:
        x = flatten(x)
        d = 0
    else:
        d = _sh.norm_dim(dim, x._data.ndim)
    if isinstance(repeats, Tensor) and (repeats._data.size != 1 or repeats._data.ndim == 1):
        n = x._data.shape[d] if x._data.ndim else 1
        if repeats._data.dtype.kind not in "iu" or (repeats._data.size and
                                                     repeats._data.min() < 0):
            raise TorchRuntimeError("repeat_interleave(): repeats must be non-negative integers")
        if repeats._data.size == 1:
            repeats = _wrap(np.repeat(repeats._data.reshape(-1), n))
        if repeats._data.ndim != 1 or repeats._data.size != n:
            raise TorchRuntimeError("repeats must have the same size as input along dim")
        idx = np.repeat(np.arange(n, dtype=np.int64), repeats._data)
        return _O.IndexSelectBackward0.apply(x, d, idx)
    r = _int(repeats, "repeat_interleave", "repeats")
    _check_elements(x._data.size * r)
    if r < 0:
        raise TorchRuntimeError("repeats can not be negative")
    if x._data.ndim == 0:
        x = _O.reshape(x, (1,))
    shape = x._data.shape
    y = _O.UnsqueezeBackward0.apply(x, d + 1)
    y = _O.expand(y, shape[:d + 1] + (r,) + shape[d + 1:])
    y = _O.CloneBackward0.apply(y, "C")
    return _O.reshape(y, shape[:d] + (shape[d] * r,) + shape[d + 1:])


def roll(input, shifts, dims=None) -> Tensor:
    _tensor_arg(input, "roll")
    nd = input._data.ndim
    if dims is None:
        if isinstance(shifts, tuple | list):
            if len(shifts) != 1:
                raise TorchRuntimeError("roll(): shifts must have one value without dims")
            shifts = shifts[0]
        return _O.RollBackward0.apply(input, _int(shifts, "roll", "shifts"), None)
    if isinstance(dims, tuple | list):
        dims = tuple(_sh.norm_dim(d, nd) for d in dims)
        shifts = tuple(_int(s, "roll", "shifts") for s in (
            shifts if isinstance(shifts, tuple | list) else (shifts,)))
        if len(shifts) != len(dims):
            raise TorchRuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, "
                                    f"dims:{len(dims)}")
        return _O.RollBackward0.apply(input, shifts, dims)
    if isinstance(shifts, tuple | list):
        shifts = shifts[0]
    return _O.RollBackward0.apply(input, (_int(shifts, "roll", "shifts"),),
                                  (_sh.norm_dim(dims, nd),))


def diff(input, n=1, dim=-1, prepend=None, append=None) -> Tensor:
    _tensor_arg(input, "diff")
    if input._data.ndim == 0:
        raise TorchRuntimeError("diff expects input to be at least one-dimensional")
    d = _sh.norm_dim(dim, input._data.ndim)
    x = input
    if prepend is not None or append is not None:
        parts = [t for t in (prepend, x, append) if t is not None]
        x = cat([t if isinstance(t, Tensor) else tensor(t) for t in parts], d)
    pre = (slice(None),) * d
    for _ in range(_b.int(n)):
        m = x._data.shape[d]
        if m == 0:
            break
        hi, lo = _O.getitem(x, pre + (slice(1, None),)), _O.getitem(x, pre + (slice(0, m - 1),))
        if x._data.dtype.kind == "b":
            x = logical_xor(hi, lo)
        else:
            x = sub(hi, lo)
    return x


def logical_xor(input, other) -> Tensor:
    _tensor_arg(input, "logical_xor")
    _tensor_arg(other, "logical_xor", "other")
    _sh.broadcast_shapes(input._data.shape, other._data.shape)
    return _wrap(np.logical_xor(input._data, other._data))


def masked_select(input, mask) -> Tensor:
    _tensor_arg(input, "masked_select")
    _tensor_arg(mask, "masked_select", "mask")
    if mask._data.dtype.kind != "b":
        raise TorchRuntimeError(f"masked_select: expected BoolTensor for mask, got {mask.dtype}")
    shape = _sh.broadcast_shapes(input._data.shape, mask._data.shape)
    x = input if input._data.shape == shape else _O.expand(input, shape)
    return _O.MaskedSelectBackward0.apply(x, np.broadcast_to(mask._data, shape))


def count_nonzero(input, dim=None) -> Tensor:
    _tensor_arg(input, "count_nonzero")
    axes = None if dim is None else _sh.norm_dims(dim, input._data.ndim)
    return _wrap(np.asarray(np.count_nonzero(input._data, axis=axes)).astype(np.int64))


def bincount(input, weights=None, minlength=0) -> Tensor:
    _tensor_arg(input, "bincount")
    data = input._data
    if data.ndim != 1 or data.dtype.kind not in "iu":
        raise TorchRuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if data.size and data.min() < 0:
        raise TorchRuntimeError("bincount only supports 1-d non-negative integral inputs.")
    if weights is None:
        return _wrap(np.bincount(data, minlength=minlength).astype(np.int64))
    w = weights._data
    out = np.bincount(data, weights=w, minlength=minlength)
    return _wrap(out.astype(w.dtype if w.dtype.kind == "f" and w.dtype.itemsize == 4 else
                            np.float64))


# ============================================================================ scatter, index_*


def _scatter_index(input, dim, index, fn: str):
    _tensor_arg(input, fn)
    _tensor_arg(index, fn, "index")
    if index._data.dtype not in (np.dtype(np.int64), np.dtype(np.int32)):
        raise TorchRuntimeError(f"{fn}(): Expected dtype int32/int64 for index")
    if input._data.ndim == 0:
        raise TorchRuntimeError(f"{fn}(): a 0-d input is not supported here; reshape it to "
                                "one dim first")
    return _sh.norm_dim(dim, input._data.ndim), index._data.astype(np.int64)


def _scatter_src(input, src, fn: str):
    if isinstance(src, Tensor):
        if src._data.dtype != input._data.dtype:
            raise TorchRuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
        return src
    return _O._number(src)


def _scatter_parts(input, dim, index, src, value, reduce, fn):
    d, idx = _scatter_index(input, dim, index, fn)
    if src is None:
        src = value
    if src is None:
        raise TorchTypeError(f"{fn}() missing 1 required positional argument: 'src' (or "
                             "'value')")
    src = _scatter_src(input, src, fn)
    if reduce is not None and reduce not in ("add", "multiply"):
        raise TorchRuntimeError("reduce argument must be either add or multiply.")
    tensor_src = isinstance(src, Tensor)
    _O.check_scatter(input._data.shape, d, idx, src._data.shape if tensor_src else None)
    if reduce is not None:
        return _O.ScatterReduce, (src, d, idx, reduce)
    return (_O.ScatterBackward0 if tensor_src else _O.ScatterBackward1), (src, d, idx)


def scatter(input, dim, index, src=None, *, value=None, reduce=None) -> Tensor:
    """scatter(input, dim, index, src | value, *, reduce=None): src's elements (or value)
    written into a copy of input at index along dim; reduce adds or multiplies instead."""
    cls, args = _scatter_parts(input, dim, index, src, value, reduce, "scatter")
    return cls.apply(input, *args)


def _scatter_(input, dim, index, src=None, *, value=None, reduce=None) -> Tensor:
    cls, args = _scatter_parts(input, dim, index, src, value, reduce, "scatter_")
    return _O.inplace(input, cls, *args)


def _scatter_add_parts(input, dim, index, src, fn):
    d, idx = _scatter_index(input, dim, index, fn)
    _tensor_arg(src, fn, "src")
    _scatter_src(input, src, fn)
    _O.check_scatter(input._data.shape, d, idx, src._data.shape)
    return src, d, idx


def scatter_add(input, dim, index, src) -> Tensor:
    """scatter_add(input, dim, index, src): src's elements added into a copy of input at
    index along dim."""
    return _O.ScatterAdd.apply(input, *_scatter_add_parts(input, dim, index, src, "scatter_add"))


def _scatter_add_(input, dim, index, src) -> Tensor:
    return _O.inplace(input, _O.ScatterAdd, *_scatter_add_parts(input, dim, index, src,
                                                                 "scatter_add_"))


def _index_vector(input, dim, index, fn: str):
    """dim (normalised) and index (int64, one dim) of the index_* ops."""
    _tensor_arg(input, fn)
    _tensor_arg(index, fn, "index")
    d = _sh.norm_dim(dim, input._data.ndim)
    return d, index._data


def _bounds(idx: np.ndarray, n: int, dim: int, prefix: str = "", negative: bool = False,
            error=TorchIndexError):
    lo = -n if negative else 0
    bad = idx[(idx < lo) | (idx >= n)]
    if bad.size:
        raise error(f"{prefix}index {_b.int(bad[0])} is out of bounds for dimension "
                              f"{dim} with size {n}")
    return np.where(idx < 0, idx + n, idx) if negative else idx


def _index_add_parts(input, dim, index, source, alpha, fn="index_add_"):
    d, idx = _index_vector(input, dim, index, fn)
    _tensor_arg(source, fn, "source")
    if idx.ndim > 1:
        raise TorchIndexError(f"index_add_(): Index is supposed to be a vector, but got dim: "
                              f"{idx.ndim} with type: {_O.dtype_name(idx)} and size: "
                              f"{list(idx.shape)}")
    if idx.dtype not in (np.dtype(np.int64), np.dtype(np.int32)):
        raise TorchRuntimeError(f"index_add_(): Expected dtype int32/int64 for index but got: "
                                f"{_O.dtype_name(idx)}")
    x, s = input._data, source._data
    if x.dtype != s.dtype:
        raise TorchRuntimeError(f"index_add_(): self ({_O.dtype_name(x)}) and source "
                                f"({_O.dtype_name(s)}) must have the same scalar type")
    if x.ndim == 0 or s.ndim == 0:
        raise TorchRuntimeError("index_add_(): 0-d self or source is not supported here")
    if idx.size != s.shape[d] if s.ndim > d else True:
        raise TorchRuntimeError(f"index_add_(): Number of indices ({idx.size}) should be equal "
                                f"to source.size(dim): ({s.shape[d] if s.ndim > d else 1}), "
                                f"for dim: {d}")
    if s.ndim != x.ndim or _b.any(a != b for i, (a, b) in enumerate(zip(x.shape, s.shape))
                               if i != d):
        raise TorchRuntimeError("source tensor shape must match self tensor shape, excluding "
                                f"the specified dimension. Got self.shape = {list(x.shape)} "
                                f"source.shape = {list(s.shape)}")
    idx = _bounds(idx.reshape(-1).astype(np.int64), x.shape[d], d, error=TorchRuntimeError)
    if isinstance(alpha, Tensor) or isinstance(alpha, str | list | tuple) or alpha is None:
        raise TorchTypeError(f"index_add(): argument 'alpha' must be Number, not "
                             f"{type(alpha).__name__}")
    return source, d, idx, _O._number(alpha)


def index_add(input, dim, index, source, *, alpha=1) -> Tensor:
    """index_add(input, dim, index, source, *, alpha=1): alpha * source's slices added into
    a copy of input at index along dim."""
    return _O.IndexAddBackward0.apply(input, *_index_add_parts(input, dim, index, source, alpha))


def _index_add_(input, dim, index, source, *, alpha=1) -> Tensor:
    return _O.inplace(input, _O.IndexAddBackward0,
                      *_index_add_parts(input, dim, index, source, alpha))


def _index_copy_parts(input, dim, index, source):
    d, idx = _index_vector(input, dim, index, "index_copy_")
    _tensor_arg(source, "index_copy_", "source")
    if idx.ndim > 1:
        raise TorchIndexError(f"index_copy_(): Index should have dimension 1 or 0 (got "
                              f"{idx.ndim})")
    if idx.dtype != np.int64:
        raise TorchRuntimeError(f"index_copy_(): Expected a long tensor for index, but got "
                                f"{_O.dtype_name(idx)}")
    x, s = input._data, source._data
    if x.dtype != s.dtype:
        raise TorchRuntimeError(f"index_copy_(): self and source expected to have the same "
                                f"dtype, but got (self) {_O.dtype_name(x)} and (source) "
                                f"{_O.dtype_name(s)}")
    if x.ndim == 0:
        raise TorchRuntimeError("index_copy_(): a 0-d self is not supported here")
    n_src = s.shape[d] if s.ndim > d else 1
    if idx.size != n_src:
        raise TorchIndexError(f"index_copy_(): Number of indices ({idx.size}) should be equal "
                              f"to source.size(dim) ({n_src})")
    xs = [n for i, n in enumerate(x.shape) if i != d]
    ss = [n for i, n in enumerate(s.shape) if i != d]
    if xs != ss:
        raise TorchRuntimeError(
            f"index_copy_(): Source/destination tensor must have same slice shapes. "
            f"Destination slice shape: {' '.join(map(str, xs))} at dimension {d} and source "
            f"slice shape: {' '.join(map(str, ss))} at dimension {d}.")
    idx = _bounds(idx.reshape(-1), x.shape[d], d, "index_copy_(): ")
    return source, d, idx


def index_copy(input, dim, index, source) -> Tensor:
    """index_copy(input, dim, index, source): source's slices written into a copy of input
    at index along dim."""
    return _O.IndexCopyBackward0.apply(input, *_index_copy_parts(input, dim, index, source))


def _index_copy_(input, dim, index, source) -> Tensor:
    return _O.inplace(input, _O.IndexCopyBackward0, *_index_copy_parts(input, dim, index,
                                                                       source))


def _index_fill_parts(input, dim, index, value):
    d, idx = _index_vector(input, dim, index, "index_fill_")
    if idx.dtype != np.int64:
        raise TorchRuntimeError("index_fill_(): Expected dtype int64 for index.")
    if idx.ndim > 1:
        raise TorchIndexError("Index has to be a vector/scalar")
    if isinstance(value, Tensor):
        if value._data.ndim:
            raise TorchRuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, "
                                    f"but got tensor with {value._data.ndim} dimension(s).")
        if value._data.dtype != input._data.dtype:
            value = value.to(input.dtype)
        cls = _O.IndexFillBackward1
    else:
        value = _O._number(value)
        cls = _O.IndexFillBackward0
    n = input._data.shape[d] if input._data.ndim else 1
    if input._data.ndim == 0:
        raise TorchRuntimeError("index_fill_(): a 0-d self is not supported here")
    return cls, (value, d, _bounds(idx.reshape(-1), n, d, negative=True))


def index_fill(input, dim, index, value) -> Tensor:
    """index_fill(input, dim, index, value): a copy of input with value in the slices at
    index along dim."""
    cls, args = _index_fill_parts(input, dim, index, value)
    return cls.apply(input, *args)


def _index_fill_(input, dim, index, value) -> Tensor:
    cls, args = _index_fill_parts(input, dim, index, value)
    return _O.inplace(input, cls, *args)


def take_along_dim(input, indices, dim=None) -> Tensor:
    """take_along_dim(input, indices, dim=None): input's values at indices along dim
    (broadcast against each other), or at flat indices when dim is None."""
    _tensor_arg(input, "take_along_dim")
    _tensor_arg(indices, "take_along_dim", "indices")
    idx = indices._data
    if idx.dtype != np.int64:
        raise TorchRuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but "
                                f"got {_O.dtype_name(idx)}")
    if dim is None:
        flat = _O.reshape(input, (-1,))
        return _O.GatherBackward0.apply(flat, 0, idx.reshape(-1))
    x = input._data
    if x.ndim != idx.ndim:
        raise TorchRuntimeError(f"torch.take_along_dim(): input and indices should have the "
                                f"same number of dimensions, but got {x.ndim} dimensions for "
                                f"input, and {idx.ndim} dimensions for indices")
    d = _sh.norm_dim(dim, x.ndim)
    if x.ndim == 0:
        return _O.GatherBackward0.apply(_O.reshape(input, (1,)), 0, idx.reshape(1)).reshape(())
    sizes = list(x.shape)
    sizes[d] = idx.shape[d]
    shape = _sh.broadcast_shapes(tuple(sizes), idx.shape)
    idx_b = np.ascontiguousarray(np.broadcast_to(idx, shape))
    xs = list(shape)
    xs[d] = x.shape[d]
    return _O.GatherBackward0.apply(_O.expand(input, tuple(xs)), d, idx_b)


def take(input, index) -> Tensor:
    """take(input, index): input's elements at flat indices (as in a flattened input), in
    index's shape."""
    _tensor_arg(input, "take")
    _tensor_arg(index, "take", "index")
    if index._data.dtype != np.int64:
        raise TorchRuntimeError(f"take(): Expected a long tensor for index, but got "
                                f"{_O.dtype_name(index._data)}")
    return _O.TakeBackward0.apply(input, index._data)


# ============================================================================ more shapes


def _stride(input, dim=None):
    """Tensor.stride(dim=None): the element strides of the tensor's layout here (numpy
    strides over the item size: C order for a fresh tensor, torch's for a view)."""
    _tensor_arg(input, "stride", "self")
    data = input._data
    strides = tuple(s // data.itemsize for s in data.strides)
    if 0 in strides and (data.size == 0 or 1 in data.shape):
        strides = _torch_strides(data.shape, (0,) * data.ndim if data.size == 0 else strides)
    if dim is None:
        return strides
    return strides[_sh.norm_dim(dim, data.ndim)] if data.ndim else 1


def _torch_strides(shape: tuple, strides: tuple) -> tuple:
    """torch's strides where numpy's are 0 on a dim of size 1 (an unsqueezed dim) or on an
    empty tensor: the next dim's extent (its size, at least 1, times its stride), 1 for the
    last dim."""
    out = list(strides)
    for d in range(len(shape) - 1, -1, -1):
        if out[d] == 0 and (shape[d] == 1 or 0 in shape):
            out[d] = 1 if d == len(shape) - 1 else _b.max(shape[d + 1], 1) * out[d + 1]
    return tuple(out)


def _unfold(input, dimension, size, step) -> Tensor:
    """Tensor.unfold(dimension, size, step): the windows of size elements every step along
    dimension, as a new last dim."""
    _tensor_arg(input, "unfold", "self")
    size = _int(size, "unfold", "size")
    step = _int(step, "unfold", "step")
    x = input._data
    d = _sh.norm_dim(dimension, x.ndim)
    n = x.shape[d] if x.ndim else 1
    if size > n:
        raise TorchRuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is "
                                f"{size}")
    if size < 0:
        raise TorchRuntimeError(f"size is {size} but must be >= 0")
    if step <= 0:
        raise TorchRuntimeError(f"step is {step} but must be > 0")
    return _O.UnfoldBackward0.apply(input, d, size, step)


def rot90(input, k=1, dims=(0, 1)) -> Tensor:
    """rot90(input, k=1, dims=[0, 1]): rotated k quarter turns from dims[0] towards dims[1]."""
    _tensor_arg(input, "rot90")
    k = _int(k, "rot90", "k")
    if not isinstance(dims, list | tuple):
        raise TorchTypeError(f"rot90(): argument 'dims' must be tuple of ints, not "
                             f"{type(dims).__name__}")
    if len(dims) != 2:
        raise TorchRuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
    nd = input._data.ndim
    if nd < 2:
        raise TorchRuntimeError(f"expected total dims >= 2, but got total dims = {nd}")
    d0, d1 = (_sh.norm_dim(d, nd) for d in dims)
    if d0 == d1:
        raise TorchRuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} "
                                f"and dim1 = {d1}")
    return _O.Rot90Backward0.apply(input, k % 4, (d0, d1))


def block_diag(*tensors) -> Tensor:
    """block_diag(*tensors): the tensors (matrices; a vector is one row, a number one
    element) along the diagonal of a zero matrix."""
    kind = None
    for i, t in enumerate(tensors):
        _tensor_arg(t, "block_diag", "tensors")
        if t._data.ndim > 2:
            raise TorchRuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer "
                                    f"dimensions. Input {i} has {t._data.ndim} dimensions")
        kind = _dt.promote(kind, _dt.BY_NP[t._data.dtype])
    if not tensors:
        return _wrap(np.zeros((1, 0), np.float32))
    rows = cols = 0
    for t in tensors:
        s = t._data.shape
        rows += s[0] if len(s) == 2 else 1
        cols += s[-1] if s else 1
    _check_elements(rows * cols)
    return _O.BlockDiagBackward0.apply(list(tensors), kind.np)


def diag_embed(input, offset=0, dim1=-2, dim2=-1) -> Tensor:
    """diag_embed(input, offset=0, dim1=-2, dim2=-1): input's last dim on the diagonals of
    two new dims."""
    _tensor_arg(input, "diag_embed")
    offset = _int(offset, "diag_embed", "offset")
    nd = input._data.ndim + 1
    d1, d2 = _sh.norm_dim(dim1, nd), _sh.norm_dim(dim2, nd)
    if d1 == d2:
        raise TorchRuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
    n = (input._data.shape[-1] if input._data.ndim else 1) + _b.abs(offset)
    _check_elements(_sh.numel(input._data.shape[:-1]) * n * n)
    return _O.DiagEmbed.apply(input, offset, d1, d2)


def vander(x, N=None, increasing=False) -> Tensor:
    """vander(x, N=None, increasing=False): the Vandermonde matrix of a vector, built as
    torch builds it (ones, the powers by a cumulative product, then a flip)."""
    _tensor_arg(x, "vander", "x")
    if x._data.ndim != 1:
        raise TorchRuntimeError("x must be a one-dimensional tensor.")
    n = x._data.shape[0]
    if N is not None:
        n = _int(N, "vander", "N")
        if n < 0:
            raise TorchRuntimeError("N must be non-negative.")
    _check_elements(x._data.shape[0] * n)
    kind = _dt.promote(_dt.BY_NP[x._data.dtype], int64)
    result = _wrap(np.empty((x._data.shape[0], n), kind.np))
    if n > 0:
        result._data[:, 0] = 1
        if n > 1:
            part = _O.getitem(result, (slice(None), slice(1, None)))
            _copy_(part, unsqueeze(x, 1))
            part = _O.getitem(result, (slice(None), slice(1, None)))
            _copy_(part, cumprod(_O.getitem(result, (slice(None), slice(1, None))), 1))
    if not increasing:
        return flip(result, (1,))
    return result


def _dims_list(dims, fn):
    if not isinstance(dims, list | tuple) or _b.any(
            isinstance(d, _b.bool) or not isinstance(d, _b.int) for d in dims):
        raise TorchTypeError(f"{fn}(): dims must be lists of ints")
    return list(dims)


def tensordot(a, b, dims=2, out=None) -> Tensor:
    """tensordot(a, b, dims=2): the sum over the last dims of a and the first dims of b
    (or the dims listed), as torch decomposes it (permute, reshape, mm, view)."""
    _tensor_arg(a, "tensordot", "a")
    _tensor_arg(b, "tensordot", "b")
    if isinstance(dims, Tensor):
        dims = dims.tolist()
    if isinstance(dims, _b.bool) or not isinstance(dims, tuple | list | _b.int):
        raise TorchRuntimeError(f"tensordot expects dims to be int or tuple[list[int], "
                                f"list[int]] or list[list[int]] containing two lists, but got "
                                f"dims={dims}")
    if isinstance(dims, _b.int):
        if dims < 0:
            raise TorchRuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > _b.min(a._data.ndim, b._data.ndim):
            raise TorchRuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got "
                                    f"dims={dims}")
        dims_a, dims_b = list(range(-dims, 0)), list(range(dims))
    else:
        if len(dims) != 2:
            raise TorchRuntimeError("tensordot expects dims to be a pair of dim lists")
        dims_a, dims_b = dims
        dims_a = [dims_a] if isinstance(dims_a, _b.int) else _dims_list(dims_a, "tensordot")
        dims_b = [dims_b] if isinstance(dims_b, _b.int) else _dims_list(dims_b, "tensordot")
    if len(dims_a) != len(dims_b):
        raise TorchRuntimeError("both dimension lists should have same length")
    if a._data.dtype != b._data.dtype:
        raise TorchRuntimeError("both inputs should have same dtype")
    na, nb = a._data.ndim, b._data.ndim
    ca = [_sh.norm_dim(d, na) for d in dims_a]
    cb = [_sh.norm_dim(d, nb) for d in dims_b]
    t1, t2, csize = a, b, 1
    for i in range(len(ca)):
        s1, s2 = a._data.shape[ca[i]], b._data.shape[cb[i]]
        if s2 == 1:
            t1 = _O.SumBackward1.apply(t1, (ca[i],), True)
        elif s1 == 1:
            t2 = _O.SumBackward1.apply(t2, (cb[i],), True)
        elif s1 != s2:
            raise TorchRuntimeError(f"contracted dimensions need to match, but first has size "
                                    f"{s1} in dim {dims_a[i]} and second has size {s2} in dim "
                                    f"{dims_b[i]}")
        else:
            csize *= s1
    p1 = [i for i in range(na) if i not in ca] + ca
    p2 = cb + [i for i in range(nb) if i not in cb]
    rsizes = tuple(t1._data.shape[i] for i in range(na) if i not in ca) + tuple(
        t2._data.shape[i] for i in range(nb) if i not in cb)
    size1 = _sh.numel(tuple(t1._data.shape[i] for i in range(na) if i not in ca))
    size2 = _sh.numel(tuple(t2._data.shape[i] for i in range(nb) if i not in cb))
    t1 = _O.PermuteBackward0.apply(t1, tuple(p1))
    t2 = _O.PermuteBackward0.apply(t2, tuple(p2))
    if size1 != 1 or size2 != 1:
        r = mm(_O.reshape(t1, (size1, csize)), _O.reshape(t2, (csize, size2)))
    elif t1._data.flags.c_contiguous and t2._data.flags.c_contiguous:
        r = dot(_O.reshape(t1, (-1,)), _O.reshape(t2, (-1,)))
    else:
        r = sum(mul(squeeze(t1), squeeze(t2)))
    return _O.reshape(r, rsizes)


def _baddbmm_args(input, batch1, batch2, beta, alpha, fn="baddbmm"):
    for t, name in ((input, "input"), (batch1, "batch1"), (batch2, "batch2")):
        _tensor_arg(t, fn, name)
    a, b = batch1._data, batch2._data
    for m in (a, b):
        if m.ndim < 3:
            raise TorchIndexError(f"Dimension out of range (expected to be in range of "
                                  f"[{-_b.max(m.ndim, 1)}, {_b.max(m.ndim, 1) - 1}], but got 2)")
        if m.ndim != 3:
            raise TorchRuntimeError(f"{'batch1' if m is a else 'batch2'} must be a 3D tensor")
    if b.shape[:2] != (a.shape[0], a.shape[2]):
        raise TorchRuntimeError(f"Expected size for first two dimensions of batch2 tensor to "
                                f"be: [{a.shape[0]}, {a.shape[2]}] but got: "
                                f"[{b.shape[0]}, {b.shape[1]}].")
    if not (input._data.dtype == a.dtype == b.dtype):
        raise TorchRuntimeError(f"expected scalar type {_O.dtype_name(a)} but found "
                                f"{_O.dtype_name(b if b.dtype != a.dtype else input._data)}")
    target = (a.shape[0], a.shape[1], b.shape[2])
    c = input._data.shape
    if len(c) > 3 or _b.any(s != 1 and s != t for s, t in zip(reversed(c), reversed(target))):
        bad = next((i, s) for i, (s, t) in enumerate(zip(reversed(c), reversed(target)))
                   if s != 1 and s != t) if len(c) <= 3 else (0, c[0])
        raise TorchRuntimeError(
            f"The expanded size of the tensor ({target[2 - bad[0]]}) must match the existing "
            f"size ({bad[1]}) at non-singleton dimension {2 - bad[0]}.  Target sizes: "
            f"{list(target)}.  Tensor sizes: {list(c)}")
    _check_elements(_sh.numel(target))
    return _O._number(beta), _O._number(alpha)


def baddbmm(input, batch1, batch2, *, beta=1, alpha=1, out=None) -> Tensor:
    """baddbmm(input, batch1, batch2, *, beta=1, alpha=1): beta * input + alpha * (batch1 @
    batch2), batch by batch."""
    beta, alpha = _baddbmm_args(input, batch1, batch2, beta, alpha)
    return _O.BaddbmmBackward0.apply([input, batch1, batch2], beta, alpha)


class _BaddbmmInto:
    """baddbmm_ as the in-place machinery calls an op: apply(self, batch1, ...)."""

    saves = ""
    saves_result = False

    @staticmethod
    def apply(x, batch1, batch2, beta, alpha):
        return _O.BaddbmmBackward0.apply([x, batch1, batch2], beta, alpha)


def _baddbmm_(input, batch1, batch2, *, beta=1, alpha=1) -> Tensor:
    beta, alpha = _baddbmm_args(input, batch1, batch2, beta, alpha, "baddbmm_")
    return _O.inplace(input, _BaddbmmInto, batch1, batch2, beta, alpha)


# ============================================================================ nan_to_num, search


def _optional_float(v, fn: str, arg: str):
    if v is None:
        return None
    if isinstance(v, _b.bool) or not isinstance(v, _b.int | _b.float):
        raise TorchTypeError(f"{fn}(): argument '{arg}' must be float, not {type(v).__name__}")
    return _b.float(v)


def _nan_to_num_args(input, nan, posinf, neginf, fn):
    _tensor_arg(input, fn)
    return (_optional_float(nan, fn, "nan"), _optional_float(posinf, fn, "posinf"),
            _optional_float(neginf, fn, "neginf"))


def nan_to_num(input, nan=0.0, posinf=None, neginf=None, *, out=None) -> Tensor:
    """nan_to_num(input, nan=0.0, posinf=None, neginf=None): NaN, +inf and -inf replaced
    (the infinities by the dtype's largest and smallest finite values unless given)."""
    nan, posinf, neginf = _nan_to_num_args(input, nan, posinf, neginf, "nan_to_num")
    return _O.NanToNumBackward0.apply(input, 0.0 if nan is None else nan, posinf, neginf)


def _nan_to_num_(input, nan=0.0, posinf=None, neginf=None) -> Tensor:
    nan, posinf, neginf = _nan_to_num_args(input, nan, posinf, neginf, "nan_to_num_")
    return _O.inplace(input, _O.NanToNumBackward0, 0.0 if nan is None else nan, posinf, neginf)


def _search_values(v, fn: str, arg: str) -> np.ndarray:
    if isinstance(v, Tensor):
        return v._data
    if isinstance(v, _b.bool) or not isinstance(v, _b.int | _b.float):
        raise TorchTypeError(f"{fn}(): argument '{arg}' must be Tensor or Number, not "
                             f"{type(v).__name__}")
    return np.asarray(v)


def _search(seq: np.ndarray, values: np.ndarray, side: str, sorter) -> np.ndarray:
    """torch's binary search, row by row (the innermost dim of seq against the innermost
    dim of values; one row for a 1-D seq): a NaN value goes past the end, and a NaN in the
    sequence compares as torch's ``!(mid >= val)`` makes it."""
    kind = np.result_type(seq.dtype, values.dtype) if seq.dtype.kind == values.dtype.kind \
        else np.dtype(np.float64)
    n = seq.shape[-1]
    if sorter is not None:
        seq = np.take_along_axis(seq, sorter, axis=-1)
    rows_s = seq.astype(kind).reshape(-1, n)
    rows_v = values.astype(kind).reshape(rows_s.shape[0], -1) if seq.ndim > 1 else \
        values.astype(kind).reshape(1, -1)
    lo = np.zeros(rows_v.shape, np.int64)
    hi = np.full(rows_v.shape, n, np.int64)
    r = np.arange(rows_s.shape[0])[:, None]
    with np.errstate(invalid="ignore"):
        while n and (lo < hi).any():
            active = lo < hi
            mid = lo + ((hi - lo) >> 1)
            m = rows_s[r, np.minimum(mid, n - 1)]
            right = ~(m > rows_v) if side == "right" else ~(m >= rows_v)
            lo = np.where(active & right, mid + 1, lo)
            hi = np.where(active & ~right, mid, hi)
    return lo.reshape(values.shape)


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
                 sorter=None, out=None) -> Tensor:
    """searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None,
    sorter=None): where each value would go in the (innermost) sorted sequence."""
    _tensor_arg(sorted_sequence, "searchsorted", "sorted_sequence")
    values = _search_values(input, "searchsorted", "input")
    _flag(out_int32, "searchsorted", "out_int32")
    _flag(right, "searchsorted", "right")
    if side is not None and side not in ("left", "right"):
        raise TorchRuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but "
                                f"got {side}")
    if side == "left" and right:
        raise TorchRuntimeError("torch.searchsorted(): side and right can't be set to "
                                "opposites, got side of left while right was True")
    seq = sorted_sequence._data
    if seq.ndim == 0:
        raise TorchRuntimeError("torch.searchsorted(): boundaries tensor should have positive "
                                "dimension, but got 0 dimension")
    if seq.ndim > 1 and (values.ndim != seq.ndim or values.shape[:-1] != seq.shape[:-1]):
        raise TorchRuntimeError(
            f"torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
            f"dimensions of boundaries tensor and input value tensor must match, but we got "
            f"boundaries tensor {list(seq.shape)} and input value tensor {list(values.shape)}")
    srt = None
    if sorter is not None:
        _tensor_arg(sorter, "searchsorted", "sorter")
        srt = sorter._data
        if srt.dtype != np.int64:
            raise TorchRuntimeError("torch.searchsorted(): sorter must be a tensor of long "
                                    "dtype.")
        if srt.shape != seq.shape:
            raise TorchRuntimeError(f"torch.searchsorted(): boundary and sorter must have the "
                                    f"same size, but got boundary tensor {list(seq.shape)}and "
                                    f"got sorter tensor {list(srt.shape)}")
        if srt.size and (srt.min() < 0 or srt.max() >= seq.shape[-1]):
            raise TorchRuntimeError("torch.searchsorted(): sorter index out of range")
    if seq.dtype.kind not in "biuf" or values.dtype.kind not in "biuf":
        raise TorchRuntimeError("torch.searchsorted(): unsupported dtypes")
    is_right = right or side == "right"
    res = _search(seq, values, "right" if is_right else "left", srt)
    return _wrap(np.asarray(res).astype(np.int32 if out_int32 else np.int64))


def bucketize(input, boundaries, *, out_int32=False, right=False, out=None) -> Tensor:
    """bucketize(input, boundaries, *, out_int32=False, right=False): the bucket of each
    value among the sorted 1-D boundaries."""
    values = _search_values(input, "bucketize", "input")
    _tensor_arg(boundaries, "bucketize", "boundaries")
    if boundaries._data.ndim != 1:
        raise TorchRuntimeError(f"boundaries tensor must be 1 dimension, but got "
                                f"dim({boundaries._data.ndim})")
    return searchsorted(boundaries, _wrap(np.asarray(values)), out_int32=out_int32,
                        right=right)


# ============================================================================ logspace, histc


def logspace(start, end, steps, base=10.0, *, dtype=None, device=None,
             requires_grad=False, out=None) -> Tensor:
    """logspace(start, end, steps, base=10.0): base ** linspace(start, end, steps), computed
    as torch's CPU kernel does (powers in double from both ends, rounded once)."""
    _devices.check(device)
    for v, name in ((start, "start"), (end, "end"), (base, "base")):
        if isinstance(v, Tensor):
            if v._data.ndim:
                raise TorchRuntimeError(f"logspace only supports 0-dimensional start and end "
                                        f"tensors, but got {name} with {v._data.ndim} "
                                        "dimension(s).")
        elif isinstance(v, _b.bool) or not isinstance(v, _b.int | _b.float):
            raise TorchTypeError(f"logspace(): argument '{name}' must be Number, not "
                                 f"{type(v).__name__}")
    start, end, base = (_b.float(v) for v in (start, end, base))
    steps = _int(steps, "logspace", "steps")
    if steps < 0:
        raise TorchRuntimeError("number of steps must be non-negative")
    _check_elements(steps)
    d = _dt.default_float if dtype is None else dtype
    if not isinstance(d, _dt.dtype):
        raise TorchTypeError(f"logspace(): argument 'dtype' must be torch.dtype, not "
                             f"{type(d).__name__}")
    out_np = d.np
    with np.errstate(all="ignore"):
        if steps == 0:
            res = np.empty(0, out_np)
        elif steps == 1:
            res = np.asarray([np.power(base, start)]).astype(out_np)
        elif out_np.kind == "f":
            s = out_np.type(start).astype(np.float64)
            e = out_np.type(end).astype(np.float64)
            step = (np.asarray(e - s, out_np).astype(np.float64)) / (steps - 1)
            i = np.arange(steps, dtype=np.float64)
            half = steps // 2
            expo = np.where(i < half, s + step * i, e - step * (steps - i - 1))
            res = np.power(np.float64(base), expo).astype(out_np)
        elif out_np.kind in "iu":
            f32 = np.float32
            s, e = _b.int(start), _b.int(end)
            step = f32(e - s) / f32(steps - 1)
            i = np.arange(steps)
            half = steps // 2
            expo = np.where(i < half, f32(s) + step * i.astype(f32),
                            f32(e) - step * (steps - i - 1).astype(f32)).astype(f32)
            res = np.power(f32(base), expo).astype(np.float64)
            res = np.where(np.isfinite(res), res, 0).astype(np.int64).astype(out_np)
        else:
            raise TorchRuntimeError(f"logspace(): no kernel for {d}")
    return _requires(_wrap(res), requires_grad)


def histc(input, bins=100, min=0, max=0, *, out=None) -> Tensor:
    """histc(input, bins=100, min=0, max=0): counts of the elements in bins equal-width bins
    over [min, max] (the data's range when both are 0), as floats; the last bin includes
    max, elements outside are not counted."""
    _tensor_arg(input, "histc")
    bins = _int(bins, "histc", "bins")
    for v, name in ((min, "min"), (max, "max")):
        if isinstance(v, _b.bool) or not isinstance(v, _b.int | _b.float):
            raise TorchTypeError(f"histc(): argument '{name}' must be Number, not "
                                 f"{type(v).__name__}")
    x = input._data
    if x.dtype.kind != "f":
        raise TorchNotImplementedError(f"\"histogram_cpu\" not implemented for "
                                       f"'{_O.dtype_name(x)}'")
    if bins <= 0:
        raise TorchRuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for "
                                "dimension 0")
    _check_elements(bins)
    lo, hi = _b.float(min), _b.float(max)
    if lo == hi and x.size:
        lo, hi = _b.float(x.min()), _b.float(x.max())
    if lo == hi:
        lo, hi = lo - 1, hi + 1
    if lo > hi:
        raise TorchRuntimeError("torch.histc: max must be larger than min")
    if not (_math.isfinite(lo) and _math.isfinite(hi)):
        raise TorchRuntimeError(f"torch.histc: range of [{lo:g}, {hi:g}] is not finite")
    t = x.dtype.type
    flat = x.reshape(-1)
    with np.errstate(all="ignore"):
        lo_t, hi_t = t(lo), t(hi)
        keep = flat[(flat >= lo_t) & (flat <= hi_t)]
        pos = ((keep - lo_t) * t(bins) / (hi_t - lo_t)).astype(np.int64)
    pos = np.minimum(pos, bins - 1)
    counts = np.bincount(pos, minlength=bins)[:bins]
    return _wrap(counts.astype(x.dtype))


# ============================================================================ torch.linalg


class _LstsqReturn(tuple):
    """torch.return_types.linalg_lstsq: (solution, residuals, rank, singular_values)."""

    __slots__ = ()
    _fields = ("solution", "residuals", "rank", "singular_values")
    solution = property(lambda self: self[0])
    residuals = property(lambda self: self[1])
    rank = property(lambda self: self[2])
    singular_values = property(lambda self: self[3])

    def __repr__(self) -> str:
        body = ",\n".join(f"{k}={v!r}" for k, v in zip(self._fields, self))
        return f"torch.return_types.linalg_lstsq(\n{body})"


def _float_matrix(A, fn):
    _tensor_arg(A, fn, "A")
    return A


def linalg_det(A, *, out=None) -> Tensor:
    return _O.LinalgDetBackward0.apply(_float_matrix(A, "linalg.det"))


def det(input) -> Tensor:
    return linalg_det(input)


def logdet(input) -> Tensor:
    return log(linalg_det(input))


def linalg_inv(A, *, out=None) -> Tensor:
    return _O.LinalgInvExBackward0.apply(_float_matrix(A, "linalg.inv"))


def inverse(input) -> Tensor:
    return linalg_inv(input)


def linalg_solve(A, B, *, left=True, out=None) -> Tensor:
    _float_matrix(A, "linalg.solve")
    _tensor_arg(B, "linalg.solve", "B")
    if A._data.dtype != B._data.dtype:
        raise TorchRuntimeError(f"linalg.solve: Expected A and B to have the same dtype, but "
                                f"found A of type {A.dtype} and B of type {B.dtype} instead")
    vector = B._data.ndim == 1 or (B._data.ndim == A._data.ndim - 1
                                   and B._data.shape == A._data.shape[:-1])
    n = A._data.shape[-1] if A._data.ndim else 0
    if B._data.ndim == 0 or (vector and B._data.shape[-1] != n) or (
            not vector and B._data.shape[-2] != n):
        raise TorchRuntimeError("linalg.solve: Incompatible shapes of A and B for the equation "
                                f"AX = B ({'x'.join(map(str, A._data.shape))} and "
                                f"{'x'.join(map(str, B._data.shape))})")
    return _O.LinalgSolveExBackward0.apply([A, B], vector)


def linalg_eigvalsh(A, UPLO="L", *, out=None) -> Tensor:
    _float_matrix(A, "linalg.eigvalsh")
    if UPLO not in ("L", "U"):
        raise TorchRuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return _O.LinalgEighBackward0.apply(A, UPLO)


def linalg_cross(input, other, *, dim=-1, out=None) -> Tensor:
    _tensor_arg(input, "linalg.cross")
    _tensor_arg(other, "linalg.cross", "other")
    if input._data.ndim != other._data.ndim:
        raise TorchRuntimeError(f"linalg.cross: inputs must have the same number of dimensions."
                                f" Got {input._data.ndim} and {other._data.ndim}")
    shape = _sh.broadcast_shapes(input._data.shape, other._data.shape)
    d = _sh.norm_dim(dim, len(shape))
    if input._data.shape[d] != 3 or other._data.shape[d] != 3:
        raise TorchRuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                                f"{input._data.shape[d]} and {other._data.shape[d]}")
    return _O.LinalgCrossBackward0.apply([input, other], d)


_CROSS_NO_DIM = (
    "Using torch.cross without specifying the dim arg is deprecated.\nPlease either pass "
    "the dim explicitly or simply use torch.linalg.cross.\nThe default value of dim will "
    "change to agree with that of linalg.cross in a future release. (Triggered internally "
    "at /__w/pytorch/pytorch/aten/src/ATen/native/Cross.cpp:63.)")


def cross(input, other, dim=None) -> Tensor:
    if dim is None:
        _tensor_arg(input, "cross")
        _warn_once("cross", _CROSS_NO_DIM)
        shape = input._data.shape
        dim = next((i for i, n in enumerate(shape) if n == 3), -1)
    return linalg_cross(input, other, dim=dim)


def linalg_lstsq(A, B, rcond=None, *, driver=None) -> _LstsqReturn:
    _float_matrix(A, "linalg.lstsq")
    _tensor_arg(B, "linalg.lstsq", "B")
    sol = _O.LinalgLstsqBackward0.apply([A, B])
    empty = np.zeros((0,), A._data.dtype)
    residuals = _wrap(empty)  # empty, as torch's default driver (gelsy) gives
    rank = _b.int(np.linalg.matrix_rank(A._data)) if A._data.size else 0
    return _LstsqReturn((sol, residuals, _wrap(np.asarray(rank, np.int64)), _wrap(empty.copy())))


def linalg_vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    _tensor_arg(x, "linalg.vector_norm", "x")
    if isinstance(dim, _b.int):
        dim = (dim,)
    return norm(x, 2 if ord is None else ord, dim, keepdim, dtype)


def linalg_matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None) -> Tensor:
    _tensor_arg(A, "linalg.matrix_norm", "A")
    if A._data.ndim < 2:
        raise TorchRuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 "
                                "dimensions.")
    d0, d1 = (_sh.norm_dim(d, A._data.ndim) for d in dim)
    if ord == "fro":
        return norm(A, 2, (d0, d1), keepdim, dtype)
    if ord in (1, -1, inf, -inf):
        s_dim, m_dim = (d0, d1) if ord in (1, -1) else (d1, d0)
        sums = sum(abs(A), s_dim, keepdim=keepdim)
        if not keepdim and m_dim > s_dim:
            m_dim -= 1
        return (amax if ord > 0 else amin)(sums, m_dim, keepdim=keepdim)
    if ord in ("nuc", 2, -2):
        sv = np.linalg.svd(np.moveaxis(A._data, (d0, d1), (-2, -1)), compute_uv=False)
        val = sv.sum(-1) if ord == "nuc" else (sv.max(-1) if ord == 2 else sv.min(-1))
        if A._rg:
            raise TorchNotImplementedError(f"linalg.matrix_norm(ord={ord!r}) of a tensor that "
                                           "requires grad is not supported in adcli")
        if keepdim:
            val = np.expand_dims(val, (d0, d1))
        return _wrap(np.asarray(val, A._data.dtype))
    raise TorchRuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")


def linalg_norm(A, ord=None, dim=None, keepdim=False, *, out=None, dtype=None) -> Tensor:
    _tensor_arg(A, "linalg.norm", "A")
    if isinstance(dim, _b.int):
        dim = (dim,)
    if ord is None:
        return norm(A, 2, dim, keepdim, dtype)
    nd = A._data.ndim if dim is None else len(dim)
    if isinstance(ord, str) or nd == 2:
        if nd != 2:
            raise TorchRuntimeError(f"linalg.norm: If dim is not specified but ord is, the "
                                    f"input must be 1D or 2D. Got {A._data.ndim}D.")
        return linalg_matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim,
                                  dtype=dtype)
    return norm(A, ord, dim, keepdim, dtype)


def _pinv_input(A, fn):
    _tensor_arg(A, fn, "A" if fn == "linalg.pinv" else "input")
    x = A._data
    if x.ndim < 2 or x.dtype.kind not in "fc":
        raise TorchRuntimeError(f"linalg.pinv({_O.dtype_name(x).capitalize()}"
                                f"{{{list(x.shape)}}}): expected a tensor with 2 or more "
                                f"dimensions of float, double, cfloat or cdouble types")


def linalg_pinv(A, *, atol=None, rtol=None, hermitian=False) -> Tensor:
    """linalg.pinv(A, *, atol=None, rtol=None, hermitian=False): the pseudoinverse by
    the SVD (rtol: eps * max(m, n) when neither tolerance is given)."""
    _pinv_input(A, "linalg.pinv")
    for name, v in (("atol", atol), ("rtol", rtol)):
        if v is not None and (isinstance(v, _b.bool) or not isinstance(v, _b.int | _b.float)):
            raise TorchTypeError(f"linalg_pinv(): argument '{name}' must be float, not "
                                 f"{type(v).__name__}")
    x = A._data
    if rtol is None:
        rtol = 0.0 if atol is not None and atol > 0 else (
            np.finfo(x.dtype).eps * _b.max(x.shape[-2:]))
    return _O.LinalgPinvBackward0.apply(A, 0.0 if atol is None else atol, rtol)


def pinverse(input, rcond=1e-15) -> Tensor:
    """pinverse(input, rcond=1e-15): linalg.pinv with rtol=rcond."""
    _tensor_arg(input, "pinverse")
    if isinstance(rcond, _b.bool) or not isinstance(rcond, _b.int | _b.float):
        raise TorchTypeError(f"pinverse(): argument 'rcond' (position 2) must be float, not "
                             f"{type(rcond).__name__}")
    _pinv_input(input, "pinverse")
    return _O.LinalgPinvBackward0.apply(input, 0.0, rcond)


_SvdReturn = _named_result("linalg_svd", ("U", "S", "Vh"))
_TorchSvdReturn = _named_result("svd", ("U", "S", "V"))
_EighReturn = _named_result("linalg_eigh", ("eigenvalues", "eigenvectors"))
_QrReturn = _named_result("linalg_qr", ("Q", "R"))
_TorchQrReturn = _named_result("qr", ("Q", "R"))
_SlogdetReturn = _named_result("linalg_slogdet", ("sign", "logabsdet"))
_TorchSlogdetReturn = _named_result("slogdet", ("sign", "logabsdet"))


def linalg_svd(A, full_matrices=True, *, driver=None, out=None) -> tuple:
    _tensor_arg(A, "linalg.svd", "A")
    return _SvdReturn(_O.svd(A, _flag(full_matrices, "linalg_svd", "full_matrices")))


def linalg_svdvals(A, *, driver=None, out=None) -> Tensor:
    _tensor_arg(A, "linalg.svdvals", "A")
    return _O.LinalgSvdBackward0.apply(A)


def svd(input, some=True, compute_uv=True, *, out=None) -> tuple:
    _tensor_arg(input, "svd")
    if input._data.ndim < 2:
        raise TorchRuntimeError("linalg.svd: input should have at least 2 dimensions, but has "
                                f"{input._data.ndim} dimensions instead")
    if not compute_uv:
        s = _O.LinalgSvdBackward0.apply(input)
        m, n = input._data.shape[-2:]
        batch = input._data.shape[:-2]
        dtype = s._data.dtype
        return _TorchSvdReturn((_wrap(np.zeros(batch + (m, m), dtype)), s,
                                _wrap(np.zeros(batch + (n, n), dtype))))
    u, s, vh = _O.svd(input, not some)
    return _TorchSvdReturn((u, s, transpose(vh, -2, -1)))


def linalg_eigh(A, UPLO="L", *, out=None) -> tuple:
    _tensor_arg(A, "linalg.eigh", "A")
    if UPLO not in ("L", "U"):
        raise TorchRuntimeError(f"Expected UPLO argument to be 'L' or 'U', but got {UPLO}")
    return _EighReturn(_O.eigh(A, UPLO))


def _qr_mode(mode) -> str:
    if mode not in ("reduced", "complete", "r"):
        raise TorchRuntimeError(f"qr received unrecognized mode '{mode}' but expected one of "
                                "'reduced' (default), 'r', or 'complete'")
    return mode


def linalg_qr(A, mode="reduced", *, out=None) -> tuple:
    _tensor_arg(A, "linalg.qr", "A")
    return _QrReturn(_O.qr(A, _qr_mode(mode)))


def qr(input, some=True, *, out=None) -> tuple:
    _tensor_arg(input, "qr")
    return _TorchQrReturn(_O.qr(input, "reduced" if some else "complete"))


def linalg_cholesky(A, *, upper=False, out=None) -> Tensor:
    _tensor_arg(A, "linalg.cholesky", "A")
    return _O.LinalgCholeskyExBackward0.apply(A, _flag(upper, "linalg_cholesky", "upper"))


def cholesky(input, upper=False, *, out=None) -> Tensor:
    _tensor_arg(input, "cholesky")
    _warn_once(  # a TORCH_WARN_ONCE
        "cholesky",
        "torch.cholesky is deprecated in favor of torch.linalg.cholesky and will be removed "
        "in a future PyTorch release.\nL = torch.cholesky(A)\nshould be replaced with\nL = "
        "torch.linalg.cholesky(A)\nand\nU = torch.cholesky(A, upper=True)\nshould be "
        "replaced with\nU = torch.linalg.cholesky(A).mH\nThis transform will produce "
        "equivalent results for all valid (symmetric positive definite) inputs. (Triggered "
        "internally at /__w/pytorch/pytorch/aten/src/ATen/native/BatchLinearAlgebra.cpp:1765.)")
    return _O.CholeskyBackward0.apply(input, _flag(upper, "cholesky", "upper"))


def _no_complex(fn: str):
    def refuse(A, *, out=None):
        raise TorchNotImplementedError(
            f"torch.linalg.{fn} returns complex tensors, and adcli has no complex dtypes; "
            "for a symmetric matrix use torch.linalg.eigh / eigvalsh")

    refuse.__name__ = refuse.__qualname__ = f"linalg_{fn}"
    return refuse


linalg_eig = _no_complex("eig")
linalg_eigvals = _no_complex("eigvals")


def linalg_matrix_rank(A, *, atol=None, rtol=None, hermitian=False, out=None) -> Tensor:
    _tensor_arg(A, "linalg.matrix_rank", "A")
    a = A._data
    if a.ndim < 2:
        raise TorchRuntimeError("torch.linalg.matrix_rank: The input tensor input must have at "
                                "least 2 dimensions.")
    if a.dtype.kind != "f" or a.dtype == np.float16:
        raise TorchRuntimeError("This function doesn't handle types other than float and double")
    _O.check_matrix(a, "linalg.matrix_rank")
    if a.size == 0:
        return _wrap(np.zeros(a.shape[:-2], np.int64))
    if hermitian:
        s = np.abs(np.linalg.eigvalsh(a)).astype(a.dtype, copy=False)
    else:
        s = np.linalg.svd(a, compute_uv=False).astype(a.dtype, copy=False)
    smax = s.max(-1, keepdims=True)
    m, n = a.shape[-2:]
    at = np.asarray(0.0 if atol is None else (atol._data if isinstance(atol, Tensor) else atol),
                    a.dtype)
    if rtol is None:
        rt = np.asarray(np.finfo(a.dtype).eps * _b.max(m, n) if atol is None or
                        np.all(at <= 0) else 0.0, a.dtype)
    else:
        rt = np.asarray(rtol._data if isinstance(rtol, Tensor) else rtol, a.dtype)
    if at.ndim:
        at = at[..., None]
    if rt.ndim:
        rt = rt[..., None]
    tol = np.maximum(at, rt * smax)
    return _wrap(np.asarray((s > tol).sum(-1), np.int64))


def linalg_slogdet(A, *, out=None) -> tuple:
    _tensor_arg(A, "linalg.slogdet", "A")
    return _SlogdetReturn(_O.slogdet(A))


def slogdet(input) -> tuple:
    _tensor_arg(input, "slogdet")
    return _TorchSlogdetReturn(_O.slogdet(input))


def linalg_matrix_power(A, n, *, out=None) -> Tensor:
    _tensor_arg(A, "linalg.matrix_power", "A")
    if isinstance(n, _b.bool) or not isinstance(n, _b.int):
        raise TorchTypeError("linalg_matrix_power(): argument 'n' (position 2) must be int, not "
                             f"{type(n).__name__}")
    a = A._data
    if a.ndim < 2:
        raise TorchRuntimeError("linalg.matrix_power: The input tensor A must have at least 2 "
                                "dimensions.")
    if a.shape[-1] != a.shape[-2]:
        raise TorchRuntimeError("linalg.matrix_power: A must be batches of square matrices, but "
                                f"they are {a.shape[-2]} by {a.shape[-1]} matrices")
    # torch's route, which decides the graph: a clone for n = 1, the identity copied into
    # a clone for n = 0, the inverse for n < 0, then matmuls by the bits of n
    if n == 1:
        return clone(A)
    if n == 0:
        eye_ = np.zeros(a.shape, a.dtype)
        idx = np.arange(a.shape[-1])
        eye_[..., idx, idx] = 1
        return clone(A).copy_(_wrap(eye_))
    if n < 0:
        A, n = linalg_inv(A), -n
    if n == 2:
        return matmul(A, A)
    if n == 3:
        return matmul(matmul(A, A), A)
    z = result = None
    while n > 0:
        bit, n = n % 2, n // 2
        z = A if z is None else matmul(z, z)
        if bit:
            result = z if result is None else matmul(result, z)
    return result


def matrix_power(input, n) -> Tensor:
    return linalg_matrix_power(input, n)


def linalg_multi_dot(tensors, *, out=None) -> Tensor:
    if not isinstance(tensors, list | tuple):
        raise TorchTypeError("linalg_multi_dot(): argument 'tensors' (position 1) must be tuple "
                             f"of Tensors, not {type(tensors).__name__}")
    ts = list(tensors)
    k = len(ts)
    if k < 2:
        raise TorchRuntimeError(f"multi_dot(): expected at least 2 tensors but got {k}")
    for i, x in enumerate(ts):
        _tensor_arg(x, "linalg.multi_dot", f"tensors[{i}]")
    first, last = ts[0], ts[-1]
    out_shape = ()
    if first._data.ndim == 1:
        ts[0] = unsqueeze(first, 0)
    elif first._data.ndim == 2:
        out_shape += (first._data.shape[0],)
    else:
        raise TorchRuntimeError("multi_dot(): the first tensor must be 1D or 2D but got "
                                f"{first._data.ndim}D")
    if last._data.ndim == 1:
        ts[-1] = unsqueeze(last, -1)
    elif last._data.ndim == 2:
        out_shape += (last._data.shape[1],)
    else:
        raise TorchRuntimeError("multi_dot(): the last tensor must be 1D or 2D but got "
                                f"{last._data.ndim}D")
    for i in range(1, k - 1):
        if ts[i]._data.ndim != 2:
            raise TorchRuntimeError(f"multi_dot(): tensor {i} must be 2D but got "
                                    f"{ts[i]._data.ndim}D")
    names = {np.dtype(np.float32): "float", np.dtype(np.float64): "double"}
    dtype = ts[0]._data.dtype
    for i in range(1, k):
        if ts[i]._data.dtype != dtype:
            def nm(d):
                return names.get(d, _dt.BY_NP[d].name)
            raise TorchRuntimeError(
                "multi_dot(): all tensors must have be the same dtype but tensor 0 is "
                f"{nm(dtype)} and tensor {i} {nm(ts[i]._data.dtype)}")
        if ts[i - 1]._data.shape[-1] != ts[i]._data.shape[0]:
            raise TorchRuntimeError(
                f"multi_dot(): tensors {i - 1} and {i} with shapes "
                f"{list(tensors[i - 1]._data.shape)} and {list(tensors[i]._data.shape)} cannot "
                "be multiplied")
    if k == 2:
        return view(mm(ts[0], ts[1]), out_shape)
    if k == 3:
        a, b = ts[0]._data.shape[0], ts[1]._data.shape[0]
        c, d = ts[2]._data.shape
        if (a * c) * (b + d) > (b * d) * (a + c):
            return view(mm(ts[0], mm(ts[1], ts[2])), out_shape)
        return view(mm(mm(ts[0], ts[1]), ts[2]), out_shape)
    # the matrix-chain order (Cormen et al., 15.2), as torch computes it
    p = [x._data.shape[0] for x in ts] + [ts[-1]._data.shape[1]]
    cost = [[0] * k for _ in range(k)]
    split = [[0] * k for _ in range(k)]
    for span in range(1, k):
        for i in range(k - span):
            j = i + span
            cost[i][j] = None
            for s_ in range(i, j):
                q = cost[i][s_] + cost[s_ + 1][j] + p[i] * p[s_ + 1] * p[j + 1]
                if cost[i][j] is None or q < cost[i][j]:
                    cost[i][j], split[i][j] = q, s_

    def chain(i, j):
        if i == j:
            return ts[i]
        return mm(chain(i, split[i][j]), chain(split[i][j] + 1, j))

    return view(chain(0, k - 1), out_shape)


def cov(input, *, correction=1, fweights=None, aweights=None) -> Tensor:
    _tensor_arg(input, "cov")
    x = input._data
    if x.ndim > 2:
        raise TorchRuntimeError("cov(): expected input to have two or fewer dimensions but got "
                                f"an input with {x.ndim} dimensions")
    if x.dtype == np.bool_:
        raise TorchRuntimeError("cov(): bool dtype is not supported for input")
    inp = view(input, (1, -1)) if x.ndim < 2 else input
    nobs = inp._data.shape[1]
    w = None
    if fweights is not None:
        _tensor_arg(fweights, "cov", "fweights")
        fw = fweights._data
        if fw.ndim > 1:
            raise TorchRuntimeError("cov(): expected fweights to have one or fewer dimensions "
                                    f"but got fweights with {fw.ndim} dimensions")
        if fw.dtype.kind not in "iu":
            raise TorchRuntimeError("cov(): expected fweights to have integral dtype but got "
                                    f"fweights with {_dt.BY_NP[fw.dtype].legacy} dtype")
        if fw.size != nobs:
            raise TorchRuntimeError("cov(): expected fweights to have the same numel as there "
                                    "are observations in the input but got "
                                    f"{fw.size} != {nobs}")
        if nobs and fw.min() < 0:
            raise TorchRuntimeError("cov(): fweights cannot be negative")
        w = fweights
    if aweights is not None:
        _tensor_arg(aweights, "cov", "aweights")
        aw = aweights._data
        if aw.ndim > 1:
            raise TorchRuntimeError("cov(): expected aweights to have one or fewer dimensions "
                                    f"but got aweights with {aw.ndim} dimensions")
        if aw.dtype.kind != "f":
            raise TorchRuntimeError("cov(): expected aweights to have floating point dtype but "
                                    f"got aweights with {_dt.BY_NP[aw.dtype].legacy} dtype")
        if aw.size != nobs:
            raise TorchRuntimeError("cov(): expected aweights to have the same numel as there "
                                    "are observations in the input but got "
                                    f"{aw.size} != {nobs}")
        if nobs and aw.min() < 0:
            raise TorchRuntimeError("cov(): aweights cannot be negative")
        w = aweights if w is None else mul(w, aweights)
    w_sum = sum(w) if w is not None else _wrap(np.asarray(nobs, np.int64))
    if w is not None and not w_sum._data.item():
        raise TorchRuntimeError("cov(): weights sum to zero, can't be normalized")
    avg = div(sum(mul(inp, w) if w is not None else inp, 1), w_sum)
    if w is not None and aweights is not None and correction != 0:
        norm_factor = sub(w_sum, div(mul(sum(mul(w, aweights)), correction), w_sum))
    else:
        norm_factor = sub(w_sum, correction)
    norm_factor = norm_factor.detach()
    if norm_factor._data.item() <= 0:
        _tensor.warn("cov(): degrees of freedom is <= 0. Correction should be strictly less "
                     "than the number of observations.")
        norm_factor = _wrap(np.zeros((), norm_factor._data.dtype))
    inp = sub(inp, unsqueeze(avg, 1))
    c = mm(inp, t(mul(inp, w) if w is not None else inp))
    return squeeze(true_divide(c, norm_factor))


def corrcoef(input) -> Tensor:
    _tensor_arg(input, "corrcoef")
    if input._data.ndim > 2:
        raise TorchRuntimeError("corrcoef(): expected input to have two or fewer dimensions but "
                                f"got an input with {input._data.ndim} dimensions")
    c = cov(input)
    if c._data.ndim == 0:
        return div(c, c)
    stddev = sqrt(diagonal(c))
    c = div(c, view(stddev, (-1, 1)))
    c = div(c, view(stddev, (1, -1)))
    return clamp(c, -1, 1)


def linalg_cond(A, p=None, *, out=None) -> Tensor:
    """torch.linalg.cond(A, p=None): the condition number; for p None/2/-2 the ratio of the
    extreme singular values, otherwise norm(A, p) * norm(inv(A), p)."""
    _tensor_arg(A, "linalg_cond", "A")
    if p is None or p in (2, -2):
        s = linalg_svdvals(A)  # descending: the ratio of the first and last, as torch
        big, small = narrow(s, -1, 0, 1), narrow(s, -1, -1, 1)
        return squeeze(big / small if p is None or p == 2 else small / big, -1)
    return linalg_matrix_norm(A, p) * linalg_matrix_norm(linalg_inv(A), p)


LINALG_FUNCTIONS = {
    "cond": linalg_cond,
    "svd": linalg_svd, "svdvals": linalg_svdvals, "eigh": linalg_eigh, "qr": linalg_qr,
    "cholesky": linalg_cholesky, "eig": linalg_eig, "eigvals": linalg_eigvals,
    "matrix_rank": linalg_matrix_rank, "slogdet": linalg_slogdet,
    "matrix_power": linalg_matrix_power, "multi_dot": linalg_multi_dot,
    "det": linalg_det, "inv": linalg_inv, "solve": linalg_solve, "eigvalsh": linalg_eigvalsh,
    "cross": linalg_cross, "lstsq": linalg_lstsq, "norm": linalg_norm,
    "vector_norm": linalg_vector_norm, "matrix_norm": linalg_matrix_norm, "pinv": linalg_pinv,
}
LINALG_FUNCTIONS.update(_linalg_solve.LINALG_FUNCTIONS)  # solve_triangular, lu*, matrix_exp


def cdist(x1, x2, p=2.0, compute_mode=None) -> Tensor:
    _tensor_arg(x1, "cdist", "x1")
    _tensor_arg(x2, "cdist", "x2")
    a, b = x1._data, x2._data
    if a.ndim < 2 or b.ndim < 2:
        raise TorchRuntimeError(f"cdist only supports at least 2D tensors, X1 got: {a.ndim}D")
    if a.shape[-1] != b.shape[-1]:
        raise TorchRuntimeError(f"X1 and X2 must have the same number of columns. X1: "
                                f"{a.shape[-1]} X2: {b.shape[-1]}")
    if a.dtype.kind != "f":
        raise TorchRuntimeError(f"cdist only supports floating-point dtypes, X1 got: {x1.dtype}")
    if p < 0:
        raise TorchRuntimeError(f"cdist only supports non-negative p values, got {p}")
    _check_elements(a.shape[-2] * b.shape[-2] * a.shape[-1])
    modes = (None, "use_mm_for_euclid_dist_if_necessary", "use_mm_for_euclid_dist",
             "donot_use_mm_for_euclid_dist")
    if compute_mode not in modes:
        raise TorchValueError(f"{compute_mode} is not a valid value for compute_mode")
    mm = p == 2 and (compute_mode == "use_mm_for_euclid_dist" or (
        compute_mode in modes[:2] and (a.shape[-2] > 25 or b.shape[-2] > 25)))
    if mm:  # as torch: the product path, then the result viewed to its shape
        out = _O.EuclideanDistBackward0.apply([x1, x2])
        return out.view(*out.shape)
    return _O.CdistBackward0.apply([x1, x2], _b.float(p))


def dist(input, other, p=2) -> Tensor:
    _tensor_arg(input, "dist")
    _tensor_arg(other, "dist", "other")
    return _O.DistBackward0.apply(input, other, _b.float(p))


def addmm(input, mat1, mat2, *, beta=1, alpha=1) -> Tensor:
    for t, name in ((input, "input"), (mat1, "mat1"), (mat2, "mat2")):
        _tensor_arg(t, "addmm", name)
    if input._data.dtype != mat2._data.dtype:
        raise TorchRuntimeError(f"self and mat2 must have the same dtype, but got "
                                f"{input.dtype.legacy} and {mat2.dtype.legacy}")
    if mat1._data.dtype != mat2._data.dtype:
        raise TorchRuntimeError(f"mat1 and mat2 must have the same dtype, but got "
                                f"{mat1.dtype.legacy} and {mat2.dtype.legacy}")
    return _O.AddmmBackward0.apply([input, mat1, mat2], beta, alpha)


def kron(input, other) -> Tensor:
    _tensor_arg(input, "kron")
    _tensor_arg(other, "kron", "other")
    n = _b.max(input._data.ndim, other._data.ndim)
    a = _O.reshape(input, (1,) * (n - input._data.ndim) + input._data.shape)
    b = _O.reshape(other, (1,) * (n - other._data.ndim) + other._data.shape)
    sa, sb = a._data.shape, b._data.shape
    _check_elements(_sh.numel(sa) * _sh.numel(sb))
    a2 = _O.reshape(a, tuple(v for s in sa for v in (s, 1)))
    b2 = _O.reshape(b, tuple(v for s in sb for v in (1, s)))
    prod_ = mul(a2, b2)
    return _O.UnsafeViewBackward0.apply(prod_, tuple(x * y for x, y in zip(sa, sb)))


def meshgrid(*tensors, indexing=None) -> tuple:
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    if indexing is None:  # torch's TORCH_WARN_ONCE, reported at torch/functional.py's line
        indexing = "ij"
        _warn_once("meshgrid", "torch.meshgrid: in an upcoming release, it will be required to "
                   "pass the indexing argument. (Triggered internally at /__w/pytorch/pytorch/"
                   "aten/src/ATen/native/TensorShape.cpp:4215.)",
                   ("functional.py", 504,
                    "return _VF.meshgrid(tensors, **kwargs)  # type: ignore[attr-defined]"))
    if indexing not in ("ij", "xy"):
        raise TorchValueError(f"torch.meshgrid: indexing must be one of \"xy\" or \"ij\", but "
                              f"received: {indexing}")
    for t in tensors:
        _tensor_arg(t, "meshgrid", "tensors")
        if t._data.ndim > 1:
            raise TorchRuntimeError("torch.meshgrid: Expected 0D or 1D tensor in the tensor "
                                    "list but got: a tensor of more dimensions")
    ts = list(tensors)
    swap = indexing == "xy" and len(ts) >= 2
    if swap:
        ts[0], ts[1] = ts[1], ts[0]
    shape = tuple(_b.max(t._data.size, 1) if t._data.ndim else 1 for t in ts)
    _check_elements(_sh.numel(shape) * len(ts))
    out = []
    for i, t in enumerate(ts):
        view_shape = tuple(-1 if j == i else 1 for j in range(len(ts)))
        out.append(_O.expand(view(t, *view_shape), shape))
    if swap:
        out[0], out[1] = out[1], out[0]
    return tuple(out)


# ============================================================================ more tensor functions
# joins and splits by dimension count, moving dims, narrowing, broadcasting a list,
# moments with the mean, nan-aware reductions, elementwise extras, scans, products with
# an input, combinations, quantiles, histograms, and the dtype queries (finfo, iinfo,
# result_type, promote_types, can_cast).


def _tensors_arg(tensors, fn: str) -> list:
    """The tensors of atleast_Nd(x), atleast_Nd(x, y, ...) or atleast_Nd([x, y])."""
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TorchTypeError(f"{fn}(): argument 'tensors' must be tuple of Tensors, not "
                                 f"{type(t).__name__}")
    return list(tensors)


def _atleast(tensors, n: int, fn: str, one):
    items = _tensors_arg(tensors, fn)
    if len(tensors) == 1 and isinstance(tensors[0], Tensor):
        return one(items[0])
    return tuple(one(t) for t in items)


def _atleast_1d(t: Tensor) -> Tensor:
    return reshape(t, 1) if not t._data.ndim else t


def _atleast_2d(t: Tensor) -> Tensor:
    n = t._data.ndim
    if n == 0:
        return reshape(t, 1, 1)
    return unsqueeze(t, 0) if n == 1 else t


def _atleast_3d(t: Tensor) -> Tensor:
    n = t._data.ndim
    if n == 0:
        return reshape(t, 1, 1, 1)
    if n == 1:
        return unsqueeze(unsqueeze(t, 0), -1)
    return unsqueeze(t, -1) if n == 2 else t


def atleast_1d(*tensors):
    return _atleast(tensors, 1, "atleast_1d", _atleast_1d)


def atleast_2d(*tensors):
    return _atleast(tensors, 2, "atleast_2d", _atleast_2d)


def atleast_3d(*tensors):
    return _atleast(tensors, 3, "atleast_3d", _atleast_3d)


def _stack_list(tensors, fn: str) -> list:
    if isinstance(tensors, Tensor) or not isinstance(tensors, list | tuple):
        raise TorchTypeError(f"{fn}(): argument 'tensors' (position 1) must be tuple of "
                             f"Tensors, not {type(tensors).__name__}")
    if not tensors:
        raise TorchRuntimeError(f"{fn} expects a non-empty TensorList")
    return _tensor_list(tensors, fn)


def hstack(tensors) -> Tensor:
    items = [_atleast_1d(t) for t in _stack_list(tensors, "hstack")]
    return cat(items, 0 if items[0]._data.ndim == 1 else 1)


def vstack(tensors) -> Tensor:
    return cat([_atleast_2d(t) for t in _stack_list(tensors, "vstack")], 0)


def row_stack(tensors) -> Tensor:
    return cat([_atleast_2d(t) for t in _stack_list(tensors, "row_stack")], 0)


def dstack(tensors) -> Tensor:
    return cat([_atleast_3d(t) for t in _stack_list(tensors, "dstack")], 2)


def column_stack(tensors) -> Tensor:
    items = _stack_list(tensors, "column_stack")
    return cat([reshape(t, t._data.size, 1) if t._data.ndim <= 1 else t for t in items], 1)


def _slices(input: Tensor, d: int, bounds: list) -> tuple:
    _tensor.check_tensor_count(len(bounds), "tensor_split()")
    return tuple(_O.SliceBackward0.apply(input, d, (a, b, 1)) for a, b in bounds)


def tensor_split(input, indices_or_sections, dim=0) -> tuple:
    _tensor_arg(input, "tensor_split")
    if not input._data.ndim:
        raise TorchRuntimeError("tensor_split expected at least a 1-dimensional tensor, but "
                                "got a tensor with 0 dims")
    d = _sh.norm_dim(dim, input._data.ndim)
    size = input._data.shape[d]
    spec = indices_or_sections
    if isinstance(spec, Tensor):
        if spec._data.dtype.kind not in "iu" or spec._data.ndim > 1:
            raise TorchRuntimeError(
                "tensor_split expected tensor_indices_or_sections to have dtype of long, but "
                f"got {spec.dtype}" if spec._data.dtype.kind not in "iu" else
                "tensor_split expected tensor_indices_or_sections to be a zero-dimensional or "
                f"one-dimensional tensor, but got a tensor with {spec._data.ndim} dims")
        spec = spec._data.item() if not spec._data.ndim else spec._data.tolist()
    if isinstance(spec, _b.int) and not isinstance(spec, _b.bool):
        if spec <= 0:
            raise TorchRuntimeError(f"number of sections must be larger than 0, got {spec}")
        _tensor.check_tensor_count(spec, "tensor_split()")
        small, extra = divmod(size, spec)
        bounds, start = [], 0
        for i in range(spec):
            n = small + (1 if i < extra else 0)
            bounds.append((start, start + n))
            start += n
        return _slices(input, d, bounds)
    if not isinstance(spec, list | tuple):
        raise TorchTypeError("tensor_split(): argument 'indices' must be tuple of ints, not "
                             f"{type(spec).__name__}")
    idx = [_int(v, "tensor_split", "indices") for v in spec]
    _tensor.check_tensor_count(len(idx) + 1, "tensor_split()")
    bounds, start = [], 0
    for v in idx + [size]:
        v = v + size if v < 0 else v
        v = _b.min(_b.max(v, 0), size)
        bounds.append((_b.min(start, size), _b.max(v, _b.min(start, size))))
        start = v
    return _slices(input, d, bounds)


def _hvd_split(input, spec, fn: str, dim: int, need: int):
    _tensor_arg(input, fn)
    n = input._data.ndim
    if n < need:
        raise TorchRuntimeError(
            f"torch.{fn} requires a tensor with at least {need} dimension, but got a tensor "
            f"with {n} dimensions!" if need == 1 else
            f"torch.{fn} requires a tensor with at least {need} dimension, but got a tensor "
            f"with {n} dimensions!")
    if isinstance(spec, _b.int) and not isinstance(spec, _b.bool):
        size = input._data.shape[dim]
        if spec == 0 or size % spec:
            raise TorchRuntimeError(
                f"torch.{fn} attempted to split along dimension {dim}, but the size of the "
                f"dimension {size} is not divisible by the split_size {spec}!")
    return tensor_split(input, spec, dim)


def hsplit(input, indices_or_sections) -> tuple:
    _tensor_arg(input, "hsplit")
    dim = 0 if input._data.ndim == 1 else 1
    return _hvd_split(input, indices_or_sections, "hsplit", dim, 1)


def vsplit(input, indices_or_sections) -> tuple:
    return _hvd_split(input, indices_or_sections, "vsplit", 0, 2)


def dsplit(input, indices_or_sections) -> tuple:
    return _hvd_split(input, indices_or_sections, "dsplit", 2, 3)


def movedim(input, source, destination) -> Tensor:
    _tensor_arg(input, "movedim")
    n = input._data.ndim
    src = list(source) if isinstance(source, list | tuple) else [source]
    dst = list(destination) if isinstance(destination, list | tuple) else [destination]
    if len(src) != len(dst):
        raise TorchRuntimeError(
            "movedim: Invalid source or destination dims: source "
            f"({src} dims) should contain the same number of dims as destination ({dst} dims)")
    given_src, given_dst = src, dst
    src = [_sh.norm_dim(s, n) for s in src]
    dst = [_sh.norm_dim(s, n) for s in dst]
    if len(set(src)) != len(src):
        raise TorchRuntimeError(f"movedim: repeated dim in `source` ({given_src})")
    if len(set(dst)) != len(dst):
        raise TorchRuntimeError(f"movedim: repeated dim in `destination` ({given_dst})")
    if not n:
        return _O.AliasBackward0.apply(input)
    perm = [-1] * n
    for s, t in zip(src, dst):
        perm[t] = s
    rest = iter(i for i in range(n) if i not in src)
    perm = [p if p >= 0 else next(rest) for p in perm]
    return _O.PermuteBackward0.apply(input, tuple(perm))


moveaxis = movedim


def _narrow_bounds(input, dim, start, length, fn):
    _tensor_arg(input, fn)
    n = input._data.ndim
    if not n:
        raise TorchRuntimeError(f"{fn}() cannot be applied to a 0-dim tensor.")
    d = _sh.norm_dim(dim, n)
    if isinstance(start, Tensor):
        if start._data.ndim or start._data.dtype.kind not in "iu":
            raise TorchRuntimeError("start must be an 0-dim integral Tensor.")
        start = _b.int(start._data)
    start = _int(start, fn, "start")
    length = _int(length, fn, "length")
    size = input._data.shape[d]
    if not -size <= start <= size:
        raise TorchIndexError(f"start out of range (expected to be in range of [{-size}, "
                              f"{size}], but got {start})")
    if start < 0:
        start += size
    if length < 0:
        raise TorchRuntimeError(f"{fn}(): length must be non-negative.")
    if start + length > size:
        raise TorchRuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                                f"({size}).")
    return d, (start, start + length, 1)


def narrow(input, dim, start, length) -> Tensor:
    d, bounds = _narrow_bounds(input, dim, start, length, "narrow")
    return _O.SliceBackward0.apply(input, d, bounds)


def narrow_copy(input, dim, start, length) -> Tensor:
    d, bounds = _narrow_bounds(input, dim, start, length, "narrow_copy")
    return _O.NarrowCopyBackward0.apply(input, d, bounds)


def unflatten(input, dim, sizes) -> Tensor:
    _tensor_arg(input, "unflatten")
    n = input._data.ndim
    if not n:
        raise TorchIndexError("Dimension specified as 0 but tensor has no dimensions")
    d = _sh.norm_dim(dim, n)
    if isinstance(sizes, Size):
        sizes = tuple(sizes)
    if not isinstance(sizes, list | tuple):
        raise TorchTypeError("unflatten(): argument 'sizes' (position 2) must be tuple of "
                             f"ints, not {type(sizes).__name__}")
    if not sizes:
        raise TorchRuntimeError("unflatten: sizes must be non-empty")
    sizes = [_int(s, "unflatten", "sizes") for s in sizes]
    size = input._data.shape[d]
    if sizes.count(-1) > 1:
        raise TorchRuntimeError("only one dimension can be inferred")
    known = _math.prod(s for s in sizes if s != -1)
    if -1 in sizes:
        if known == 0 or size % known:
            raise TorchRuntimeError(f"shape '{sizes}' is invalid for input of size {size}")
        sizes[sizes.index(-1)] = size // known
    elif known != size:
        raise TorchRuntimeError(
            f"unflatten: Provided sizes {sizes} don't multiply up to the size of dim {dim} "
            f"({size}) in the input tensor")
    shape = input._data.shape
    return reshape(input, shape[:d] + tuple(sizes) + shape[d + 1:])


def broadcast_tensors(*tensors) -> tuple:
    if len(tensors) == 1 and isinstance(tensors[0], list | tuple):
        tensors = tuple(tensors[0])
    for t in tensors:
        if not isinstance(t, Tensor):
            raise TorchTypeError(f"expected Tensor as element {tensors.index(t)} in argument "
                                 f"0, but got {type(t).__name__}")
    shape = tuple(broadcast_shapes(*[t._data.shape for t in tensors]))
    return tuple(t if t._data.shape == shape else expand(t, *shape) for t in tensors)


# ---- moments with the mean, nan-aware reductions, aminmax


from adcli.engine.ops.reductions import (  # noqa: E402 - the mean outputs' nodes
    _AminmaxMax,
    _StdMeanMean,
    _VarMeanMean,
)


def _moments_mean(input, dim, keepdim, cls):
    axes = _amax_axes(input, dim)
    return cls.apply(input, axes, keepdim)


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None) -> tuple:
    _tensor_arg(input, "var_mean")
    _flag(keepdim, "var_mean")
    _float_only(input, "var_mean")
    dim, correction = _correction(dim, unbiased, correction, "var_mean")
    v = _O.VarMeanBackward0.apply(input, _amax_axes(input, dim), correction, keepdim,
                                  dim is None)
    return v, _moments_mean(input, dim, keepdim, _VarMeanMean)


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None) -> tuple:
    _tensor_arg(input, "std_mean")
    _flag(keepdim, "std_mean")
    _float_only(input, "std_mean")
    dim, correction = _correction(dim, unbiased, correction, "std_mean")
    s = _O.StdMeanBackward0.apply(input, _amax_axes(input, dim), correction, keepdim,
                                  dim is None)
    return s, _moments_mean(input, dim, keepdim, _StdMeanMean)


_AminmaxReturn = _named_result("aminmax", ("min", "max"))


def aminmax(input, *, dim=None, keepdim=False):
    _tensor_arg(input, "aminmax")
    _flag(keepdim, "aminmax")
    if input._data.size == 0:
        raise TorchRuntimeError(
            "aminmax(): cannot compute aminmax over an empty dimension as the operation has "
            "no identity.")
    if dim is None:
        axes = tuple(range(input._data.ndim))
    else:
        axes = (_sh.norm_dim(dim, input._data.ndim),) if input._data.ndim else ()
    return _AminmaxReturn((_O.AminmaxBackward0.apply(input, axes, keepdim),
                           _AminmaxMax.apply(input, axes, keepdim)))


def nansum(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    _tensor_arg(input, "nansum")
    _flag(keepdim, "nansum")
    dtype = None if dtype is None else _dt.to_dtype(dtype)
    axes = _axes(input, dim)
    axes = tuple(range(input._data.ndim)) if axes is None else axes
    return _O.NansumBackward0.apply(input, axes, keepdim, dtype)


def nanmean(input, dim=None, keepdim=False, *, dtype=None) -> Tensor:
    _tensor_arg(input, "nanmean")
    _flag(keepdim, "nanmean")
    if input._data.dtype.kind != "f":
        raise TorchRuntimeError(
            "nanmean(): expected input to have floating point or complex dtype but got "
            f"{input.dtype.legacy}")
    with no_grad():
        count = sum(logical_not(isnan(input)), dim, keepdim)
    return div(nansum(input, dim, keepdim, dtype=dtype), count)


# ---- index helpers and elementwise extras


def _tri_indices(row, col, offset, dtype, lower: bool, fn: str) -> Tensor:
    row, col, offset = _int(row, fn, "row"), _int(col, fn, "col"), _int(offset, fn, "offset")
    if row < 0:
        raise TorchRuntimeError(f"row must be non-negative, got{row}")
    if col < 0:
        raise TorchRuntimeError(f"col must be non-negative, got{col}")
    d = int64 if dtype is None else _dt.to_dtype(dtype)
    if d.kind != _dt.INT:
        raise TorchRuntimeError(f"\"{fn}\" not implemented for '{d.legacy}'")
    _check_elements(2 * row * col, (2, row * col))
    r, c = (np.tril_indices if lower else np.triu_indices)(row, offset, col)
    return _wrap(np.stack([r, c]).astype(d.np).reshape(2, -1))


def tril_indices(row, col, offset=0, *, dtype=None, device=None, layout=None) -> Tensor:
    _devices.check(device)
    return _tri_indices(row, col, offset, dtype, True, "tril_indices")


def triu_indices(row, col, offset=0, *, dtype=None, device=None, layout=None) -> Tensor:
    _devices.check(device)
    return _tri_indices(row, col, offset, dtype, False, "triu_indices")


def _as_array(v, fn: str, arg: str) -> np.ndarray:
    if isinstance(v, Tensor):
        return v._data
    return np.asarray(_O._number(v))


def isin(elements, test_elements, *, assume_unique=False, invert=False) -> Tensor:
    if not isinstance(elements, Tensor) and not isinstance(test_elements, Tensor):
        raise TorchTypeError("isin() received an invalid combination of arguments - got "
                             f"({type(elements).__name__}, {type(test_elements).__name__}), "
                             "but expected a Tensor for elements or test_elements")
    a = _as_array(elements, "isin", "elements")
    b = _as_array(test_elements, "isin", "test_elements")
    _flag(assume_unique, "isin", "assume_unique")
    _flag(invert, "isin", "invert")
    if (a.dtype.kind == "b") != (b.dtype.kind == "b") and isinstance(
            elements, Tensor) and isinstance(test_elements, Tensor):
        pass
    return _wrap(np.asarray(np.isin(a, b, invert=invert)))


def signbit(input) -> Tensor:
    _tensor_arg(input, "signbit")
    d = input._data
    return _wrap(np.signbit(d) if d.dtype.kind != "b" else np.zeros(d.shape, np.bool_))


def heaviside(input, values) -> Tensor:
    _tensor_arg(input, "heaviside")
    _tensor_arg(values, "heaviside", "values")
    _same_dtype_heaviside(input, values)
    return _O.Heaviside.apply(input, values)


def _same_dtype_heaviside(input, values) -> None:
    if input._data.dtype != values._data.dtype:
        raise TorchRuntimeError("heaviside is not yet implemented for tensors with different "
                                "dtypes.")


def xlogy(input, other) -> Tensor:
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        return _O.XlogyBackward0.apply(input, other)
    if isinstance(input, Tensor):
        return _O.XlogyBackward2.apply(input, _O._number(other))
    if isinstance(other, Tensor):
        return _O.XlogyBackward1.apply(other, _O._number(input))
    raise TorchTypeError("xlogy() received an invalid combination of arguments - got "
                         f"({type(input).__name__}, {type(other).__name__})")


def copysign(input, other) -> Tensor:
    _tensor_arg(input, "copysign")
    if isinstance(other, Tensor):
        return _O.CopysignBackward0.apply(input, other)
    return _O.CopysignBackward1.apply(input, _O._number(other))


def fmod(input, other) -> Tensor:
    _tensor_arg(input, "fmod")
    if isinstance(other, Tensor):
        return _O.FmodBackward1.apply(input, other)
    return _O.FmodBackward0.apply(input, _O._number(other))


def float_power(input, exponent) -> Tensor:
    if not isinstance(input, Tensor) and not isinstance(exponent, Tensor):
        raise TorchTypeError("float_power() received an invalid combination of arguments")

    def wide(v):
        if isinstance(v, Tensor):
            return v if v._data.dtype == np.float64 else v.to(float64)
        return _b.float(_O._number(v))

    return pow(wide(input), wide(exponent))


def ldexp(input, other) -> Tensor:
    _tensor_arg(input, "ldexp")
    _tensor_arg(other, "ldexp", "other")
    return _O.LdexpBackward0.apply(input, other)


_FrexpReturn = _named_result("frexp", ("mantissa", "exponent"))


def frexp(input):
    _tensor_arg(input, "frexp")
    if input._data.dtype.kind != "f":
        raise TorchRuntimeError("torch.frexp() only supports floating-point dtypes")
    node_out = _O.FrexpBackward0.apply(input)
    with no_grad():
        _, e = np.frexp(input._data)
    return _FrexpReturn((node_out, _wrap(e.astype(np.int32))))


# ---- scans and products with an input


_CummaxReturn = _named_result("cummax", ("values", "indices"))
_CumminReturn = _named_result("cummin", ("values", "indices"))


def _cum_extreme(input, dim, cls, result, fn):
    _tensor_arg(input, fn)
    if input._data.dtype.kind == "b":
        input = input.to(uint8)
    d = _sh.norm_dim(dim, input._data.ndim)
    return result(cls.apply_indices(input, d if input._data.ndim else 0, False))


def cummax(input, dim):
    return _cum_extreme(input, dim, _O.CummaxBackward0, _CummaxReturn, "cummax")


def cummin(input, dim):
    return _cum_extreme(input, dim, _O.CumminBackward0, _CumminReturn, "cummin")


def logcumsumexp(input, dim) -> Tensor:
    _tensor_arg(input, "logcumsumexp")
    d = _sh.norm_dim(dim, input._data.ndim)
    if input._data.dtype.kind != "f":
        raise TorchNotImplementedError(
            f"\"logcumsumexp_out_cpu\" not implemented for '{input.dtype.legacy}'")
    return _O.LogcumsumexpBackward0.apply(input, d if input._data.ndim else 0)


def _mat_vec_args(input, a, b, fn, names, dims):
    _tensor_arg(input, fn)
    _tensor_arg(a, fn, names[0])
    _tensor_arg(b, fn, names[1])
    if a._data.ndim != dims[0] or b._data.ndim != 1:
        raise TorchRuntimeError(
            f"vector + matrix @ vector expected, got {input._data.ndim}, {a._data.ndim}, "
            f"{b._data.ndim}" if fn == "addmv" else
            f"{names[0]} should be 1-dimensional, got {a._data.ndim}-dimensional tensor")
    kinds = {input._data.dtype, a._data.dtype, b._data.dtype}
    if len(kinds) > 1 and fn == "addmv":
        raise TorchRuntimeError(
            f"addmv input tensors must have the same dtype, but got {input.dtype.legacy}, "
            f"{a.dtype.legacy}, and {b.dtype.legacy}")


def addmv(input, mat, vec, *, beta=1, alpha=1, out=None) -> Tensor:
    _mat_vec_args(input, mat, vec, "addmv", ("mat", "vec"), (2,))
    if mat._data.shape[1] != vec._data.shape[0]:
        raise TorchRuntimeError(
            f"size mismatch, got input ({input._data.shape[0] if input._data.ndim else 1}), "
            f"mat ({mat._data.shape[0]}x{mat._data.shape[1]}), vec ({vec._data.shape[0]})")
    _sh.broadcast_shapes(input._data.shape, (mat._data.shape[0],))
    return _O.AddmvBackward0.apply([input, mat, vec], _O._number(beta), _O._number(alpha))


def addr(input, vec1, vec2, *, beta=1, alpha=1, out=None) -> Tensor:
    _mat_vec_args(input, vec1, vec2, "addr", ("vec1", "vec2"), (1,))
    if len({input._data.dtype, vec1._data.dtype, vec2._data.dtype}) > 1:
        d = _dt.promote(_dt.promote(input.dtype, vec1.dtype), vec2.dtype)
        input, vec1, vec2 = (_to(t, d) for t in (input, vec1, vec2))  # as torch: promoted
    _sh.broadcast_shapes(input._data.shape, (vec1._data.shape[0], vec2._data.shape[0]))
    return _O.AddrBackward0.apply([input, vec1, vec2], _O._number(beta), _O._number(alpha))


def _addmv_(input, mat, vec, *, beta=1, alpha=1) -> Tensor:
    return _copy_(input, addmv(input, mat, vec, beta=beta, alpha=alpha))


def _addr_(input, vec1, vec2, *, beta=1, alpha=1) -> Tensor:
    return _copy_(input, addr(input, vec1, vec2, beta=beta, alpha=alpha))


# ---- random, combinations, quantiles, histograms


def randint_like(input, low=0, high=None, *, dtype=None, layout=None, device=None,
                 requires_grad=False, memory_format=None, generator=None) -> Tensor:
    _tensor_arg(input, "randint_like")
    _devices.check(device)
    if high is None:
        low, high = 0, low
    d = input.dtype if dtype is None else _dt.to_dtype(dtype)
    out = _wrap(np.empty(input._data.shape, d.np))
    _random_(out, _int(low, "randint_like", "low"), _int(high, "randint_like", "high"),
             generator=generator)
    return _requires(out, requires_grad)


def combinations(input, r=2, with_replacement=False) -> Tensor:
    _tensor_arg(input, "combinations")
    if input._data.ndim != 1:
        raise TorchRuntimeError(f"Expect a 1D vector, but got shape {list(input._data.shape)}")
    r = _int(r, "combinations", "r")
    if r < 0:
        raise TorchRuntimeError(f"Expect a non-negative number, but got {r}")
    if r == 0:
        return _wrap(np.empty((0,), input._data.dtype))
    n = input._data.shape[0]
    _check_elements(n ** r, (n,) * r)
    grids = []
    for i in range(r):
        view_shape = [1] * r
        view_shape[i] = -1
        grids.append(expand(reshape(input, *view_shape), *([n] * r)))
    idx = np.indices((n,) * r)
    mask = np.ones((n,) * r, np.bool_)
    for i in range(r - 1):
        mask &= (idx[i] <= idx[i + 1]) if with_replacement else (idx[i] < idx[i + 1])
    m = _wrap(mask)
    return stack([masked_select(g, m) for g in grids], 1)


_INTERPOLATIONS = ("linear", "lower", "higher", "midpoint", "nearest")


def _quantile(input, q, dim, keepdim, interpolation, fn: str, ignore_nan: bool):
    _tensor_arg(input, fn)
    _flag(keepdim, fn)
    if input._data.dtype.kind != "f":
        raise TorchRuntimeError(f"{fn}() input tensor must be either float or double dtype")
    if interpolation not in _INTERPOLATIONS:
        raise TorchRuntimeError(f"{fn}() interpolation must be one of linear, lower, higher, "
                                f"midpoint or nearest. Got {interpolation}")
    if isinstance(q, Tensor):
        if q._data.ndim > 1:
            raise TorchRuntimeError(f"{fn}() q must be a scalar or 1D tensor")
        if q._data.dtype != input._data.dtype:
            raise TorchRuntimeError(f"{fn}() q tensor must be same dtype as the input tensor")
        qd = q._data
    else:
        qd = np.asarray(_b.float(_O._number(q)), input._data.dtype)
    if input._data.size == 0 and dim is None:
        raise TorchRuntimeError(f"{fn}() input tensor must be non-empty")
    if np.any((qd < 0) | (qd > 1)):
        if isinstance(q, Tensor):
            raise TorchRuntimeError(f"{fn}() q values must be in the range [0, 1]")
        raise TorchRuntimeError(f"{fn}() q must be in the range [0, 1] but got {q}")
    if dim is None:
        sorted_ = sort(reshape(input, -1))[0]
        out_shape = [1] * input._data.ndim if keepdim else []
    else:
        d = _sh.norm_dim(dim, input._data.ndim)
        src = input if input._data.ndim else reshape(input, 1)
        if d == src._data.ndim - 1:
            sorted_ = sort(src)[0]
        else:
            sorted_ = sort(transpose(unsqueeze(src, -1), d, -1))[0]
        out_shape = list(input._data.shape)
        if keepdim:
            if out_shape:
                out_shape[d] = 1
        elif out_shape:
            del out_shape[d]
    n = sorted_._data.shape[-1]
    in_shape = out_shape + [n] if dim is None else out_shape + [n]
    sorted_ = view(sorted_, *in_shape) if sorted_._data.flags.c_contiguous else reshape(
        sorted_, *in_shape)
    nq = 1 if qd.ndim == 0 else qd.shape[0]
    sd = sorted_._data
    if ignore_nan:
        valid = (~np.isnan(sd)).sum(-1, keepdims=True)
        ranks = qd.reshape(-1) * (valid - 1).astype(sd.dtype)
        ranks = np.where(valid == 0, np.zeros((), sd.dtype), ranks)
        last = n - 1
        ranks = np.where(valid == 0, last, ranks)
    else:
        last = n - 1
        ranks = np.broadcast_to(qd.reshape(-1) * np.asarray(last, sd.dtype),
                                sd.shape[:-1] + (nq,))
        ranks = np.where(np.isnan(sd).any(-1, keepdims=True), np.asarray(last, sd.dtype), ranks)
    ranks = np.asarray(ranks, sd.dtype)
    if interpolation == "lower":
        ranks = np.floor(ranks)
    elif interpolation == "higher":
        ranks = np.ceil(ranks)
    elif interpolation == "nearest":
        ranks = np.round(ranks)
    below_idx = ranks.astype(np.int64)
    values = gather(sorted_, -1, _wrap(np.ascontiguousarray(below_idx)))
    if interpolation in ("linear", "midpoint"):
        weights = (np.full_like(ranks, 0.5) if interpolation == "midpoint"
                   else (ranks - below_idx).astype(sd.dtype))
        above_idx = np.ceil(ranks).astype(np.int64)
        above = gather(sorted_, -1, _wrap(np.ascontiguousarray(above_idx)))
        values = lerp(values, above, _wrap(np.ascontiguousarray(weights)))
    if qd.ndim == 0:
        return _O.SqueezeBackward4.apply(values, values._data.ndim - 1)
    n = values._data.ndim + 1
    moved = _O.TransposeBackward1.apply(_O.UnsqueezeBackward1.apply(values, 0),
                                        _transpose_perm(n, 0, -1))
    return _O.SqueezeBackward4.apply(moved, n - 1)


def _transpose_perm(n: int, d0: int, d1: int) -> tuple:
    perm = list(range(n))
    d0, d1 = _sh.norm_dim(d0, n), _sh.norm_dim(d1, n)
    perm[d0], perm[d1] = perm[d1], perm[d0]
    return tuple(perm)


def quantile(input, q, dim=None, keepdim=False, *, interpolation="linear", out=None) -> Tensor:
    return _quantile(input, q, dim, keepdim, interpolation, "quantile", False)


def nanquantile(input, q, dim=None, keepdim=False, *, interpolation="linear",
                out=None) -> Tensor:
    return _quantile(input, q, dim, keepdim, interpolation, "nanquantile", True)


_HistogramReturn = _named_result("histogram", ("hist", "bin_edges"))


def histogram(input, bins=100, *, range=None, weight=None, density=False, out=None):
    _tensor_arg(input, "histogram")
    data = input._data
    if data.dtype.kind != "f":
        raise TorchNotImplementedError(
            f"\"histogram_cpu\" not implemented for '{input.dtype.legacy}'")
    if weight is not None:
        _tensor_arg(weight, "histogram", "weight")
        if weight._data.shape != data.shape:
            raise TorchRuntimeError("torch.histogram(): if weight tensor is provided it should "
                                    "have the same shape as the input tensor excluding its "
                                    "innermost dimension")
    flat = data.reshape(-1)
    if isinstance(bins, Tensor):
        edges = bins._data.astype(data.dtype)
        if edges.ndim != 1:
            raise TorchRuntimeError("torch.histogram(): bins tensor should have one dimension")
        binary = True
    else:
        nbins = _int(bins, "histogram", "bins")
        if nbins <= 0:
            raise TorchRuntimeError("torch.histogram(): bins must be > 0, but got "
                                    f"{nbins} for dimension 0")
        if range is not None:
            lo, hi = (_b.float(v) for v in range)
        elif flat.size:
            lo, hi = _b.float(flat.min()), _b.float(flat.max())
        else:
            lo, hi = 0.0, 0.0
        if lo > hi:
            raise TorchValueError("torch.histogram(): max must be larger than min")
        if lo == hi:
            lo, hi = lo - 0.5, hi + 0.5
            lo, hi = _b.float(np.asarray(lo, data.dtype)), _b.float(np.asarray(hi, data.dtype))
        edges = linspace(lo, hi, nbins + 1, dtype=input.dtype)._data
        binary = False
    nb = edges.shape[0] - 1
    hist = np.zeros(_b.max(nb, 0), data.dtype)
    if nb > 0 and flat.size:
        left, right = edges[0], edges[-1]
        keep = (flat >= left) & (flat <= right)
        vals = flat[keep]
        if binary:
            pos = np.searchsorted(edges, vals, side="right") - 1
        else:
            with np.errstate(invalid="ignore", divide="ignore"):
                pos = ((vals - left) * np.asarray(nb, data.dtype) / (right - left)).astype(
                    np.int64)
            pos = np.clip(pos, 0, nb)
            pos = np.where((pos < nb) & (edges[np.minimum(pos, nb)] > vals), pos - 1, pos)
            pos = np.where((pos + 1 <= nb) & (edges[np.minimum(pos + 1, nb)] <= vals),
                           pos + 1, pos)
        pos = np.minimum(pos, nb - 1)
        w = weight._data.reshape(-1)[keep].astype(data.dtype) if weight is not None else None
        np.add.at(hist, pos, w if w is not None else np.ones((), data.dtype))
    if density:
        widths = np.diff(edges)
        total = hist.sum()
        hist = (hist / total / widths).astype(data.dtype)
    return _HistogramReturn((_wrap(hist), _wrap(np.ascontiguousarray(edges))))


# ---- the dtype queries


class finfo:
    """torch.finfo(dtype): the limits of a floating point type."""

    __adcli_public__ = frozenset(("bits", "eps", "max", "min", "tiny", "smallest_normal",
                                  "resolution", "dtype"))

    def __init__(self, type=None) -> None:
        if type is None:
            type = _dt.default_float
        if not isinstance(type, dtype):
            raise TorchTypeError("finfo(): argument 'type' (position 1) must be torch.dtype, "
                                 f"not {_b.type(type).__name__}")
        if type.kind != _dt.FLOAT:
            raise TorchTypeError("torch.finfo() requires a floating point input type. Use "
                                 "torch.iinfo to handle 'torch.finfo'")
        info = np.finfo(type.np)
        self.bits = _b.int(info.bits)
        self.eps = _b.float(info.eps)
        self.max = _b.float(info.max)
        self.min = _b.float(info.min)
        self.tiny = self.smallest_normal = _b.float(info.smallest_normal)
        self.resolution = 10.0 ** -_b.int(info.precision)
        self.dtype = type.name

    def __repr__(self) -> str:
        return (f"finfo(resolution={self.resolution:g}, min={self.min:g}, max={self.max:g}, "
                f"eps={self.eps:g}, smallest_normal={self.smallest_normal:g}, "
                f"tiny={self.tiny:g}, dtype={self.dtype})")


class iinfo:
    """torch.iinfo(dtype): the limits of an integer type."""

    __adcli_public__ = frozenset(("bits", "max", "min", "dtype"))

    def __init__(self, type) -> None:
        if not isinstance(type, dtype):
            raise TorchTypeError("iinfo(): argument 'type' (position 1) must be torch.dtype, "
                                 f"not {_b.type(type).__name__}")
        if type.kind != _dt.INT:
            raise TorchTypeError("torch.iinfo() requires an integer input type. Use "
                                 "torch.finfo to handle 'torch.iinfo'")
        info = np.iinfo(type.np)
        self.bits, self.max, self.min = _b.int(info.bits), _b.int(info.max), _b.int(info.min)
        self.dtype = type.name

    def __repr__(self) -> str:
        return f"iinfo(min={self.min:g}, max={self.max:g}, dtype={self.dtype})"


finfo.__module__ = iinfo.__module__ = "torch"


def _dtype_arg(v, fn: str, arg: str, pos: int) -> dtype:
    if not isinstance(v, dtype):
        raise TorchTypeError(f"{fn}(): argument '{arg}' (position {pos}) must be torch.dtype, "
                             f"not {type(v).__name__}")
    return v


def promote_types(type1, type2) -> dtype:
    return _dt.promote(_dtype_arg(type1, "promote_types", "type1", 1),
                       _dtype_arg(type2, "promote_types", "type2", 2))


def can_cast(from_, to) -> bool:
    return _dt.can_cast(_dtype_arg(from_, "can_cast", "from_", 1),
                        _dtype_arg(to, "can_cast", "to", 2))


def result_type(tensor1, tensor2) -> dtype:
    tiers: list = [None, None, None]
    for v in (tensor1, tensor2):
        if isinstance(v, Tensor):
            i = 0 if v._data.ndim else 1
            d = _dt.BY_NP[v._data.dtype]
        elif isinstance(v, _b.bool | _b.int | _b.float):
            i, d = 2, _dt.scalar_dtype(v)
        else:
            raise TorchTypeError("result_type() received an invalid combination of arguments "
                                 f"- got ({type(tensor1).__name__}, {type(tensor2).__name__})")
        tiers[i] = _dt.promote(tiers[i], d)
    return _dt.result_type(*tiers)


# ---- the in-place forms


def _xlogy_(input, other) -> Tensor:
    if isinstance(other, Tensor):
        return _O.inplace(input, _O.XlogyBackward0, other)
    return _O.inplace(input, _O.XlogyBackward2, _O._number(other))


def _copysign_(input, other) -> Tensor:
    if isinstance(other, Tensor):
        return _O.inplace(input, _O.CopysignBackward0, other)
    return _O.inplace(input, _O.CopysignBackward1, _O._number(other))


def _fmod_(input, other) -> Tensor:
    if isinstance(other, Tensor):
        return _O.inplace(input, _O.FmodBackward1, other)
    return _O.inplace(input, _O.FmodBackward0, _O._number(other))


def _heaviside_(input, values) -> Tensor:
    _tensor_arg(values, "heaviside_", "values")
    _same_dtype_heaviside(input, values)
    return _O.inplace(input, _O.Heaviside, values)


def _ldexp_(input, other) -> Tensor:
    _tensor_arg(other, "ldexp_", "other")
    return _O.inplace(input, _O.LdexpBackward0, other)


def _float_power_(input, exponent) -> Tensor:
    if input._data.dtype != np.float64:
        raise TorchRuntimeError(f"the base given to float_power_ has dtype {input.dtype.legacy} "
                                "but the operation's result requires dtype Double")
    if isinstance(exponent, Tensor):
        return _O.inplace(input, _O.PowBackward1, exponent.to(float64))
    return _O.inplace(input, _O.PowBackward0, _b.float(_O._number(exponent)))


# ============================================================== special functions, tiling
# (their grad_fns: engine/ops/special.py; their names: engine/declarations/special.py)


def _tensor_arg_at(x, fn: str, arg: str, position: int) -> Tensor:
    """A Tensor argument, or torch's TypeError naming its position."""
    if not isinstance(x, Tensor):
        raise TorchTypeError(f"{fn}(): argument '{arg}' (position {position}) must be Tensor, "
                             f"not {type(x).__name__}")
    return x


def tile(input, dims, *more) -> Tensor:
    """input repeated dims[i] times along each dim; dims shorter than input.ndim are padded
    with ones in front (torch.tile, a repeat)."""
    _tensor_arg_at(input, "tile", "input", 1)
    if more:  # the method's tile(2, 2)
        dims = (dims, *more)
    if not isinstance(dims, list | tuple):
        raise TorchTypeError(f"tile(): argument 'dims' (position 2) must be tuple of ints, not "
                             f"{type(dims).__name__}")
    reps = tuple(_int(r, "tile", "dims") for r in dims)
    ndim = input._data.ndim
    if len(reps) < ndim:
        reps = (1,) * (ndim - len(reps)) + reps
    full = (1,) * (len(reps) - ndim) + input._data.shape
    out_shape = [a * b for a, b in zip(full, reps)]
    for n in out_shape:
        if n < 0:
            raise TorchRuntimeError(f"Trying to create tensor with negative dimension {n}: "
                                    f"{out_shape}")
    return repeat(input, *reps)


def fliplr(input) -> Tensor:
    _tensor_arg(input, "fliplr")
    if input._data.ndim < 2:
        raise TorchRuntimeError("Input must be >= 2-d.")
    return _O.FlipBackward0.apply(input, (1,))


def flipud(input) -> Tensor:
    _tensor_arg(input, "flipud")
    if input._data.ndim < 1:
        raise TorchRuntimeError("Input must be >= 1-d.")
    return _O.FlipBackward0.apply(input, (0,))


def _binary_tensors(cls, name: str, input, other, out=None) -> Tensor:
    _tensor_arg_at(input, name, "input", 1)
    _tensor_arg_at(other, name, "other", 2)
    return cls.apply(input, other)


def hypot(input, other, *, out=None) -> Tensor:
    """sqrt(input ** 2 + other ** 2), without overflow."""
    return _binary_tensors(_O.HypotBackward0, "hypot", input, other)


def logaddexp(input, other, *, out=None) -> Tensor:
    """log(exp(input) + exp(other))."""
    return _binary_tensors(_O.LogaddexpBackward0, "logaddexp", input, other)


def logaddexp2(input, other, *, out=None) -> Tensor:
    """log2(2 ** input + 2 ** other)."""
    return _binary_tensors(_O.Logaddexp2Backward0, "logaddexp2", input, other)


def nextafter(input, other, *, out=None) -> Tensor:
    """The next float after input towards other."""
    return _binary_tensors(_O.NextafterBackward0, "nextafter", input, other)


def _hypot_(input, other) -> Tensor:
    return _O.inplace(input, _O.HypotBackward0, _tensor_arg_at(other, "hypot_", "other", 1))


def _nextafter_(input, other) -> Tensor:
    return _O.inplace(input, _O.NextafterBackward0,
                      _tensor_arg_at(other, "nextafter_", "other", 1))


def _gcd_lcm(name: str, input, other) -> Tensor:
    _tensor_arg_at(input, name, "input", 1)
    _tensor_arg_at(other, name, "other", 2)
    shape = _sh.broadcast_shapes(input._data.shape, other._data.shape)
    _check_elements(_sh.numel(shape), shape)
    return _wrap(np.asarray(_O.gcd_lcm(name, input._data, other._data)))


def gcd(input, other, *, out=None) -> Tensor:
    """The greatest common divisor, elementwise (integers)."""
    return _gcd_lcm("gcd", input, other)


def lcm(input, other, *, out=None) -> Tensor:
    """The least common multiple, elementwise (integers)."""
    return _gcd_lcm("lcm", input, other)


def _gcd_lcm_inplace(name):
    def fn(input, other) -> Tensor:
        r = _gcd_lcm(name, input, other)
        if r._data.shape != input._data.shape:
            raise TorchRuntimeError(
                f"output with shape {list(input._data.shape)} doesn't match the broadcast "
                f"shape {list(r._data.shape)}")
        return input.copy_(r)
    fn.__name__ = name + "_"
    return fn


_gcd_ = _gcd_lcm_inplace("gcd")
_lcm_ = _gcd_lcm_inplace("lcm")

lgamma = _unary(_O.LgammaBackward0, "lgamma")
digamma = _unary(_O.DigammaBackward0, "digamma")
sinc = _unary(_O.SincBackward0, "sinc")
i0 = _unary(_O.I0Backward0, "i0")
special_entr = _unary(_O.SpecialEntrBackward0, "entr")
special_ndtri = _unary(_O.SpecialNdtriBackward0, "ndtri")
special_log_ndtr = _unary(_O.SpecialLogNdtrBackward0, "log_ndtr")
special_i0e = _unary(_O.SpecialI0EBackward0, "i0e")
special_i1 = _unary(_O.SpecialI1Backward0, "i1")
special_i1e = _unary(_O.SpecialI1EBackward0, "i1e")
special_erfcx = _unary(_O.SpecialErfcxBackward0, "erfcx")


def _polygamma_n(n, fn: str) -> int:
    if isinstance(n, _b.bool) or not isinstance(n, _b.int):
        raise TorchTypeError(f"{fn}(): argument 'n' (position 1) must be int, not "
                             f"{type(n).__name__}")
    if n < 0:
        raise TorchRuntimeError("polygamma(n, x) does not support negative n.")
    return n


def polygamma(n, input, *, out=None) -> Tensor:
    """The n-th derivative of digamma (n = 0: digamma itself)."""
    n = _polygamma_n(n, "polygamma")
    _tensor_arg_at(input, "polygamma", "input", 2)
    return _O.PolygammaBackward0.apply(input, n)


def _polygamma_method(input, n) -> Tensor:
    return polygamma(n, input)


def _polygamma_(input, n) -> Tensor:
    return _O.inplace(input, _O.PolygammaBackward0, _polygamma_n(n, "polygamma_"))


def _mvlgamma_p(p, fn: str) -> int:
    if isinstance(p, _b.bool) or not isinstance(p, _b.int):
        raise TorchTypeError(f"{fn}(): argument 'p' (position 2) must be int, not "
                             f"{type(p).__name__}")
    if p < 1:
        raise TorchRuntimeError("p has to be greater than or equal to 1")
    if p > 10_000:
        raise TorchRuntimeError(f"{fn}(): p = {p} is beyond adcli's bound of 10000")
    return p


def mvlgamma(input, p, *, out=None) -> Tensor:
    """The multivariate log-gamma function of dimension p."""
    _tensor_arg_at(input, "mvlgamma", "input", 1)
    p = _mvlgamma_p(p, "mvlgamma")
    _check_elements(input._data.size * p, (*input._data.shape, p))
    return _O.MvlgammaBackward0.apply(input, p)


def _mvlgamma_(input, p) -> Tensor:
    p = _mvlgamma_p(p, "mvlgamma_")
    return _O.inplace(input, _O.MvlgammaBackward0, p)


def special_multigammaln(input, p) -> Tensor:
    return mvlgamma(input, p)


def special_ndtr(input) -> Tensor:
    """The standard normal CDF, as torch composes it: (1 + erf(input / sqrt(2))) * 0.5."""
    _tensor_arg(input, "ndtr")
    if input._data.dtype.kind not in "fc":
        input = input.to(get_default_dtype())
    # Python numbers as Scalars, as in ATen's C++: MulBackward1, AddBackward1
    t = _O.MulBackward1.apply(input, _math.sqrt(0.5))
    return _O.MulBackward1.apply(_O.AddBackward1.apply(_O.ErfBackward0.apply(t), 1), 0.5)


def _scalar_or_tensor(cls0, cls1, cls2, name: str, input, other) -> Tensor:
    if isinstance(input, Tensor) and isinstance(other, Tensor):
        return cls0.apply(input, other)
    # a number operand as a 0-d tensor (which never decides the result's dtype)
    if isinstance(input, Tensor):
        return cls2.apply(input, tensor(_O._number(other)))
    if isinstance(other, Tensor):
        return cls1.apply(tensor(_O._number(input)), other)
    raise TorchTypeError(f"{name}() received an invalid combination of arguments - got "
                         f"({type(input).__name__}, {type(other).__name__})")


def special_xlog1py(input, other, *, out=None) -> Tensor:
    """input * log1p(other), 0 where input is 0."""
    return _scalar_or_tensor(_O.SpecialXlog1PyBackward0, _O.SpecialXlog1PyBackward1,
                             _O.SpecialXlog1PyBackward2, "special_xlog1py", input, other)


def special_zeta(input, other, *, out=None) -> Tensor:
    """The Hurwitz zeta function of input (the exponent) and other (q)."""
    return _scalar_or_tensor(_O.SpecialZetaBackward0, _O.SpecialZetaBackward1,
                             _O.SpecialZetaBackward2, "special_zeta", input, other)


def _special_round(input, *, decimals=0) -> Tensor:
    """torch.special.round: round with decimals, always RoundBackward1 (round.decimals)."""
    _tensor_arg(input, "round")
    decimals = _int(decimals, "round", "decimals")
    return _O.RoundBackward1.apply(input, _b.max(-400, _b.min(400, decimals)))


# ============================================================== deterministic algorithms
# adcli's kernels are deterministic whatever the flag says: it is kept, and reported back

_DETERMINISTIC = [False, False]  # use_deterministic_algorithms' mode and warn_only


def use_deterministic_algorithms(mode, *, warn_only=False) -> None:
    """Set the flag that torch.are_deterministic_algorithms_enabled reports (every adcli
    kernel is deterministic already)."""
    if not isinstance(mode, _b.bool):
        raise TorchTypeError("_set_deterministic_algorithms(): argument 'mode' (position 1) "
                             f"must be bool, not {type(mode).__name__}")
    if not isinstance(warn_only, _b.bool):
        raise TorchTypeError("_set_deterministic_algorithms(): argument 'warn_only' must be "
                             f"bool, not {type(warn_only).__name__}")
    _DETERMINISTIC[:] = [mode, mode and warn_only]


def are_deterministic_algorithms_enabled() -> bool:
    return _DETERMINISTIC[0]


def is_deterministic_algorithms_warn_only_enabled() -> bool:
    return _DETERMINISTIC[1]


# ============================================================ scatter_reduce, *_scatter, ...

_WARNED_ONCE: set = set()


def _warn_once(key: str, message: str, site=None) -> None:
    """A TORCH_WARN_ONCE: the first time in the run only."""
    if key not in _WARNED_ONCE:
        _WARNED_ONCE.add(key)
        _tensor.warn(message, site)


def _scatter_reduce_parts(input, dim, index, src, reduce, include_self, fn):
    _tensor_arg(input, fn)
    _tensor_arg(index, fn, "index")
    _tensor_arg(src, fn, "src")
    if not isinstance(reduce, str):
        raise TorchTypeError(f"{fn}(): argument 'reduce' (position 4) must be str, not "
                             f"{type(reduce).__name__}")
    include_self = _flag(include_self, fn, "include_self")
    reduce = {"max": "amax", "min": "amin"}.get(reduce, reduce)
    if reduce not in _scatters.REDUCTIONS:
        raise TorchRuntimeError(f"reduce argument must be either sum, prod, mean, amax or "
                                f"amin, got {reduce}")
    if index._data.dtype not in (np.dtype(np.int64), np.dtype(np.int32)):
        raise TorchRuntimeError("scatter(): Expected dtype int32/int64 for index")
    if src._data.dtype != input._data.dtype:
        raise TorchRuntimeError("scatter(): Expected self.dtype to be equal to src.dtype")
    x = input._data
    if x.ndim == 0:
        raise TorchRuntimeError(f"{fn}(): a 0-d input is not supported here; reshape it to "
                                "one dim first")
    d = _sh.norm_dim(dim, x.ndim)
    idx = index._data.astype(np.int64)
    _O.check_scatter(x.shape, d, idx, src._data.shape)
    return src, d, idx, reduce, include_self


def scatter_reduce(input, dim, index, src, reduce, *, include_self=True) -> Tensor:
    """scatter_reduce(input, dim, index, src, reduce, *, include_self=True): src's elements
    reduced ('sum', 'prod', 'mean', 'amax', 'amin') into a copy of input at index along
    dim, with input's own values unless include_self=False."""
    return _scatters.ScatterReduceBackward0.apply(
        input, *_scatter_reduce_parts(input, dim, index, src, reduce, include_self,
                                      "scatter_reduce"))


def _scatter_reduce_(input, dim, index, src, reduce, *, include_self=True) -> Tensor:
    return _O.inplace(input, _scatters.ScatterReduceBackward0, *_scatter_reduce_parts(
        input, dim, index, src, reduce, include_self, "scatter_reduce_"))


def _index_reduce_parts(input, dim, index, source, reduce, include_self):
    fn = "index_reduce_"
    _tensor_arg(input, "index_reduce")
    _tensor_arg(index, "index_reduce", "index")
    _tensor_arg(source, "index_reduce", "source")
    if not isinstance(reduce, str):
        raise TorchTypeError(f"index_reduce(): argument 'reduce' (position 4) must be str, "
                             f"not {type(reduce).__name__}")
    include_self = _flag(include_self, "index_reduce", "include_self")
    if reduce not in ("prod", "mean", "amax", "amin"):
        raise TorchRuntimeError(f"index_reduce(): Expected reduce to be one of prod, mean, "
                                f"amax or amin but got {reduce}.")
    _warn_once("index_reduce", "index_reduce() is in beta and the API may change at any "
               "time. (Triggered internally at /__w/pytorch/pytorch/aten/src/ATen/native/"
               "TensorAdvancedIndexing.cpp:1523.)")
    x, s, idx = input._data, source._data, index._data
    d = _sh.norm_dim(dim, x.ndim)
    if idx.ndim > 1:
        raise TorchIndexError(f"{fn}(): Index is supposed to be a vector, but got dim: "
                              f"{idx.ndim} with type: {_O.dtype_name(idx)} and size: "
                              f"{list(idx.shape)}")
    if idx.dtype not in (np.dtype(np.int64), np.dtype(np.int32)):
        raise TorchRuntimeError(f"{fn}(): Expected dtype int32/int64 for index but got: "
                                f"{_O.dtype_name(idx)}")
    if x.dtype != s.dtype:
        raise TorchRuntimeError(f"{fn}(): self ({_O.dtype_name(x)}) and source "
                                f"({_O.dtype_name(s)}) must have the same scalar type")
    if x.ndim == 0 or s.ndim == 0:
        raise TorchRuntimeError(f"{fn}(): 0-d self or source is not supported here")
    n_src = s.shape[d] if s.ndim > d else 1
    if idx.size != n_src:
        raise TorchRuntimeError(f"{fn}(): Number of indices ({idx.size}) should be equal to "
                                f"source.size(dim): ({n_src}), for dim: {d}")
    if s.ndim != x.ndim or _b.any(a != b for i, (a, b) in enumerate(zip(x.shape, s.shape))
                               if i != d):
        raise TorchRuntimeError("source tensor shape must match self tensor shape, excluding "
                                f"the specified dimension. Got self.shape = {list(x.shape)} "
                                f"source.shape = {list(s.shape)}")
    flat = idx.reshape(-1).astype(np.int64)
    if flat.size and ((flat < -x.shape[d]) | (flat >= x.shape[d])).any():
        raise TorchIndexError("index out of range in self")
    return source, d, np.where(flat < 0, flat + x.shape[d], flat), reduce, include_self


def index_reduce(input, dim, index, source, reduce, *, include_self=True) -> Tensor:
    """index_reduce(input, dim, index, source, reduce, *, include_self=True): source's
    slices reduced ('prod', 'mean', 'amax', 'amin') into a copy of input at index (a
    vector) along dim."""
    return _scatters.IndexReduceBackward0.apply(
        input, *_index_reduce_parts(input, dim, index, source, reduce, include_self))


def _index_reduce_(input, dim, index, source, reduce, *, include_self=True) -> Tensor:
    return _O.inplace(input, _scatters.IndexReduceBackward0, *_index_reduce_parts(
        input, dim, index, source, reduce, include_self))


def _masked_scatter_parts(input, mask, source, inplace):
    fn = "masked_scatter_" if inplace else "masked_scatter"
    _tensor_arg(input, fn)
    _tensor_arg(mask, fn, "mask")
    _tensor_arg(source, fn, "source")
    m, s = mask._data, source._data
    if m.dtype != np.bool_:
        raise TorchRuntimeError(f"masked_scatter_ only supports boolean masks, but got mask "
                                f"with dtype {_O.dtype_name(m)}")
    if input._data.dtype != s.dtype:
        raise TorchRuntimeError(f"masked_scatter: expected self and source to have same "
                                f"dtypes but got{_O.dtype_name(input._data)} and "
                                f"{_O.dtype_name(s)}")
    shape = input._data.shape
    if inplace:
        if m.ndim > len(shape):
            raise TorchRuntimeError(
                f"expand(CPUBoolType{{{list(m.shape)}}}, size={list(shape)}): the number of "
                f"sizes provided ({len(shape)}) must be greater or equal to the number of "
                f"dimensions in the tensor ({m.ndim})")
        full = _sh.broadcast_shapes(shape, m.shape)
        if full != shape:
            raise TorchRuntimeError(f"The expanded size of the tensor ({shape[-1]}) must match "
                                    f"the existing size ({m.shape[-1]}) at non-singleton "
                                    f"dimension {len(shape) - 1}.")
    else:
        shape = _sh.broadcast_shapes(shape, m.shape)
    mb = np.broadcast_to(m, shape)
    if np.count_nonzero(mb) > s.size:
        raise TorchRuntimeError("Number of elements of source < number of ones in mask")
    return shape, source, np.ascontiguousarray(mb)


def masked_scatter(input, mask, source) -> Tensor:
    """masked_scatter(input, mask, source): source's elements, in order, written into a
    copy of input where mask (broadcast) is True."""
    shape, source, m = _masked_scatter_parts(input, mask, source, False)
    if input._data.shape != shape:
        input = input.expand(*shape)
    return _scatters.MaskedScatterBackward0.apply(input, source, m)


def _masked_scatter_(input, mask, source) -> Tensor:
    _, source, m = _masked_scatter_parts(input, mask, source, True)
    return _O.inplace(input, _scatters.MaskedScatterBackward0, source, m)


def _embed(cls, input, src, view, view_args, fn):
    """``src`` written into a copy of input where ``view`` (select, slice, diagonal) of
    it reads: the view's shape must be src's."""
    _tensor_arg(input, fn)
    _tensor_arg(src, fn, "src")
    positions = view(_wrap(np.arange(input._data.size, dtype=np.int64).reshape(
        input._data.shape)))._data
    if positions.shape != src._data.shape:
        raise TorchRuntimeError(f"expected src to have a size equal to the slice of self. src "
                                f"size = {list(src._data.shape)}, slice size = "
                                f"{list(positions.shape)}")
    return cls.apply(input, src, np.ascontiguousarray(positions), view_args)


def select_scatter(input, src, dim, index) -> Tensor:
    """select_scatter(input, src, dim, index): a copy of input with src as its index-th
    slice along dim."""
    _tensor_arg(input, "select_scatter")
    return _embed(_scatters.SelectScatterBackward0, input, src,
                  lambda t: select(t, dim, index), (dim, index), "select_scatter")


def slice_scatter(input, src, dim=0, start=None, end=None, step=1) -> Tensor:
    """slice_scatter(input, src, dim=0, start=None, end=None, step=1): a copy of input
    with src as its slice start:end:step along dim."""
    _tensor_arg(input, "slice_scatter")
    if not isinstance(step, _b.int) or step <= 0:
        raise TorchRuntimeError("slice step must be positive")
    d = _sh.norm_dim(dim, _b.max(input._data.ndim, 1))
    key = (slice(None),) * d + (slice(start, end, step),)
    return _embed(_scatters.SliceScatterBackward0, input, src, lambda t: t[key],
                  (d, start, end, step), "slice_scatter")


def diagonal_scatter(input, src, offset=0, dim1=0, dim2=1) -> Tensor:
    """diagonal_scatter(input, src, offset=0, dim1=0, dim2=1): a copy of input with src
    on its diagonal."""
    _tensor_arg(input, "diagonal_scatter")
    return _embed(_scatters.DiagonalScatterBackward0, input, src,
                  lambda t: t.diagonal(offset, dim1, dim2), (offset, dim1, dim2),
                  "diagonal_scatter")


def select(input, dim, index) -> Tensor:
    """select(input, dim, index): the index-th slice along dim (a view, one dim fewer)."""
    _tensor_arg(input, "select")
    x = input._data
    if x.ndim == 0:
        raise TorchIndexError("select() cannot be applied to a 0-dim tensor.")
    d = _sh.norm_dim(dim, x.ndim)
    if isinstance(index, Tensor | _b.bool) or not isinstance(index, _b.int):
        raise TorchTypeError(f"select(): argument 'index' (position 2) must be int, not "
                             f"{type(index).__name__}")
    n = x.shape[d]
    if not -n <= index < n:
        raise TorchIndexError(f"select(): index {index} out of range for tensor of size "
                              f"{list(x.shape)} at dimension {d}")
    return input[(slice(None),) * d + (index,)]


def vdot(input, other) -> Tensor:
    """vdot(input, other): the dot product of two 1-D tensors (input conjugated)."""
    _tensor_arg(input, "vdot")
    _tensor_arg(other, "vdot", "other")
    a, b = input._data, other._data
    if a.ndim != 1 or b.ndim != 1:
        raise TorchRuntimeError(f"1D tensors expected, but got {a.ndim}D and {b.ndim}D tensors")
    if a.dtype != b.dtype:
        raise TorchRuntimeError(f"dot : expected both vectors to have same dtype, but found "
                                f"{_O.dtype_name(a)} and {_O.dtype_name(b)}")
    if a.size != b.size:
        raise TorchRuntimeError(f"inconsistent tensor size, expected tensor [{a.size}] and src "
                                f"[{b.size}] to have the same number of elements, but got "
                                f"{a.size} and {b.size} elements respectively")
    return _products.VdotBackward0.apply(input, other)


def _addbmm_args(input, batch1, batch2, beta, alpha, fn="addbmm"):
    for t, name in ((input, "input"), (batch1, "batch1"), (batch2, "batch2")):
        _tensor_arg(t, fn, name)
    a, b = batch1._data, batch2._data
    if a.ndim != 3:
        raise TorchRuntimeError("batch1 must be a 3D tensor")
    if b.ndim != 3:
        raise TorchRuntimeError("batch2 must be a 3D tensor")
    if a.shape[0] != b.shape[0]:
        raise TorchRuntimeError(f"batch1 and batch2 must have same number of batches, got "
                                f"{a.shape[0]} and {b.shape[0]}")
    if a.shape[2] != b.shape[1]:
        raise TorchRuntimeError(f"Incompatible matrix sizes for bmm ({a.shape[1]}x{a.shape[2]} "
                                f"and {b.shape[1]}x{b.shape[2]})")
    if not (input._data.dtype == a.dtype == b.dtype):
        raise TorchRuntimeError(f"expected scalar type {_O.dtype_name(a)} but found "
                                f"{_O.dtype_name(b if b.dtype != a.dtype else input._data)}")
    target = (a.shape[1], b.shape[2])
    _sh.broadcast_shapes(input._data.shape, target)
    if _sh.broadcast_shapes(input._data.shape, target) != target:
        raise TorchRuntimeError(f"The expanded size of the tensor must match the existing size:"
                                f" target sizes {list(target)}, tensor sizes "
                                f"{list(input._data.shape)}")
    _check_elements(_sh.numel(a.shape[:2]) * b.shape[2])
    return _O._number(beta), _O._number(alpha)


def addbmm(input, batch1, batch2, *, beta=1, alpha=1) -> Tensor:
    """addbmm(input, batch1, batch2, *, beta=1, alpha=1): beta * input + alpha * the sum
    of batch1[i] @ batch2[i] over the batch."""
    beta, alpha = _addbmm_args(input, batch1, batch2, beta, alpha)
    return _products.AddbmmBackward0.apply([input, batch1, batch2], beta, alpha)


def chain_matmul(*matrices) -> Tensor:
    """chain_matmul(*matrices): deprecated; linalg.multi_dot of the matrices."""
    _warn_once("chain_matmul", "torch.chain_matmul is deprecated and will be removed in a "
               "future PyTorch release. Use torch.linalg.multi_dot instead, which accepts a "
               "list of two or more tensors rather than multiple parameters. (Triggered "
               "internally at /__w/pytorch/pytorch/aten/src/ATen/native/LinearAlgebra.cpp:"
               "1102.)", ("functional.py", 2099, "return _VF.chain_matmul(matrices)  # type: "
                          "ignore[attr-defined]"))
    if len(matrices) == 1:
        m = _tensor_arg(matrices[0], "chain_matmul", "matrices")
        if m._data.ndim != 2:
            raise TorchRuntimeError(f"chain_matmul(): Expected matrix 0 to be a 2D tensor, "
                                    f"but got a {m._data.ndim}D tensor")
        return m.clone()
    if not matrices:
        raise TorchRuntimeError("chain_matmul(): Expected one or more matrices")
    return linalg_multi_dot(list(matrices))


def _trapezoid_dim(y, dim, fn):
    _tensor_arg(y, fn, "y")
    if y._data.ndim == 0:
        raise TorchIndexError(f"Dimension out of range (expected to be in range of [-1, 0], "
                              f"but got {dim})")
    return _sh.norm_dim(dim, y._data.ndim)


def _trapezoid_spacing(y, x, d, fn):
    """dx: the spacing of sample points x along dim, shaped to broadcast against y."""
    _tensor_arg(x, fn, "x")
    xd = x._data
    if xd.ndim == 1:
        if xd.shape[0] != y._data.shape[d]:
            raise TorchRuntimeError(f"{fn}: There must be one `x` value for each sample point")
        shape = [1] * y._data.ndim
        shape[d] = xd.shape[0] - 1
        return diff(x).view(*shape)
    if xd.shape[d if xd.ndim == y._data.ndim else -1] != y._data.shape[d]:
        raise TorchRuntimeError(f"{fn}: There must be one `x` value for each sample point")
    return diff(x, dim=d - y._data.ndim)


def _trapezoid_step(x, dx, fn: str):
    """The constant spacing of trapezoid(y, *, dx=...): a real number (a 0-d tensor's
    value), as torch's binding takes it."""
    if x is not None and not isinstance(x, Tensor):
        raise TorchTypeError(f"{fn}() received an invalid combination of arguments - got "
                             f"(Tensor, {type(x).__name__}), but expected one of: "
                             f"(Tensor y, Tensor x, *, int dim) or (Tensor y, *, Number dx, "
                             f"int dim)")
    if dx is None:
        return 1
    if isinstance(dx, Tensor) and dx._data.ndim == 0:
        dx = dx.item()
    if isinstance(dx, (_b.bool, _b.complex)):
        raise TorchRuntimeError(f"{fn}: Currently, we only support dx as a real number.")
    if not isinstance(dx, (_b.int, _b.float)):
        raise TorchTypeError(f"{fn}() received an invalid combination of arguments - got "
                             f"(Tensor, dx={type(dx).__name__}), but expected one of: "
                             f"(Tensor y, Tensor x, *, int dim) or (Tensor y, *, Number dx, "
                             f"int dim)")
    return dx


def _halves(y, d):
    n = y._data.shape[d]
    left = y.narrow(d, 0, n - 1)
    right = y.narrow(d, 1, n - 1)
    return left, right


def trapezoid(y, x=None, *, dx=None, dim=-1) -> Tensor:
    """trapezoid(y, x=None, *, dx=None, dim=-1): the trapezoidal rule along dim, with
    sample points x or a constant spacing dx (1 by default)."""
    d = _trapezoid_dim(y, dim, "trapezoid")
    if x is not None and dx is not None:
        raise TorchTypeError("trapezoid() received an invalid combination of arguments: "
                             "pass either x or dx, not both")
    if isinstance(x, Tensor):
        if y._data.shape[d] == 0:
            return zeros_like(y).sum(d)
        left, right = _halves(y, d)
        spacing = _trapezoid_spacing(y, x, d, "trapezoid")
        return _O.DivBackward1.apply((spacing * (right + left)).sum(d), 2.0)
    step = _trapezoid_step(x, dx, "trapezoid")
    if y._data.shape[d] == 0:
        return zeros_like(y).sum(d)
    n = y._data.shape[d]
    ends = y.select(d, 0) + y.select(d, n - 1)
    return _O.MulBackward1.apply(y.sum(d) - _O.MulBackward1.apply(ends, 0.5), step)


def cumulative_trapezoid(y, x=None, *, dx=None, dim=-1) -> Tensor:
    """cumulative_trapezoid(y, x=None, *, dx=None, dim=-1): the running trapezoidal rule
    along dim (one element fewer)."""
    d = _trapezoid_dim(y, dim, "cumulative_trapezoid")
    left, right = _halves(y, d) if y._data.shape[d] else (y, y)
    if isinstance(x, Tensor):
        spacing = _trapezoid_spacing(y, x, d, "cumulative_trapezoid")
        return _O.DivBackward1.apply((spacing * (right + left)).cumsum(d), 2.0)
    step = _trapezoid_step(x, dx, "cumulative_trapezoid")
    return _O.MulBackward1.apply(left + right, step / 2.0).cumsum(d)


# ============================================================================ renorm


def _renorm_number(value, position: int, arg: str):
    """A Number argument of renorm: a Python real, or a one-element tensor's value."""
    if isinstance(value, Tensor) and value._data.size == 1:
        return value.item()
    if isinstance(value, _b.bool) or not isinstance(value, _b.int | _b.float):
        raise TorchTypeError(f"renorm(): argument '{arg}' (position {position}) must be Number, "
                             f"not {type(value).__name__}")
    return value


def _renorm_args(input, p, dim, maxnorm):
    _tensor_arg(input, "renorm")
    p = _renorm_number(p, 2, "p")
    if isinstance(dim, _b.bool) or not isinstance(dim, _b.int):
        raise TorchTypeError(f"renorm(): argument 'dim' (position 3) must be int, not "
                             f"{type(dim).__name__}")
    maxnorm = _renorm_number(maxnorm, 4, "maxnorm")
    x = input._data
    if not p > 0:
        raise TorchRuntimeError("renorm: non-positive-norm not supported")
    if not maxnorm >= 0:
        raise TorchRuntimeError(f"renorm: expected maxnorm to be >= 0 but got {maxnorm:g}")
    if x.ndim <= 1:
        raise TorchRuntimeError(f"renorm: input needs at least 2 dimensions, got {x.ndim} "
                                f"dimensions")
    d = _sh.norm_dim(dim, x.ndim)
    if x.dtype.kind not in "fc":
        raise TorchRuntimeError(f"linalg.vector_norm: Expected a floating point or complex "
                                f"tensor as input. Got {_O.dtype_name(x)}")
    return p, d, maxnorm


def renorm(input, p, dim, maxnorm, *, out=None) -> Tensor:
    """renorm(input, p, dim, maxnorm): each slice along dim whose p-norm exceeds maxnorm
    scaled down to norm maxnorm."""
    p, d, maxnorm = _renorm_args(input, p, dim, maxnorm)
    return _O.RenormBackward0.apply(input, p, d, maxnorm)


def _renorm_(input, p, dim, maxnorm) -> Tensor:
    p, d, maxnorm = _renorm_args(input, p, dim, maxnorm)
    return _O.inplace(input, _O.RenormBackward0, p, d, maxnorm)


# ============================================================================ gradient


def _gradient_bad(what) -> TorchTypeError:
    return TorchTypeError(
        f"gradient() received an invalid combination of arguments - got ({what}), but "
        f"expected one of:\n"
        " * (Tensor input, *, tuple of ints dim, int edge_order = 1)\n"
        " * (Tensor input, *, Number spacing, tuple of ints dim, int edge_order = 1)\n"
        " * (Tensor input, *, Number spacing = None, int dim = None, int edge_order = 1)\n"
        " * (Tensor input, *, tuple of Scalars spacing, int dim = None, int edge_order = 1)\n"
        " * (Tensor input, *, tuple of Scalars spacing, tuple of ints dim, int edge_order = 1)"
        "\n * (Tensor input, *, tuple of Tensors spacing, int dim = None, int edge_order = 1)\n"
        " * (Tensor input, *, tuple of Tensors spacing, tuple of ints dim, int edge_order = 1)"
        "\n")


def _gradient_dims(input, dim) -> list:
    n = input._data.ndim
    if dim is None:
        return list(range(n))
    if isinstance(dim, _b.int) and not isinstance(dim, _b.bool):
        return [_sh.norm_dim(dim, n)]
    if isinstance(dim, list | tuple) and _b.all(
            isinstance(d, _b.int) and not isinstance(d, _b.bool) for d in dim):
        dims = [_sh.norm_dim(d, n) for d in dim]
        if len(set(dims)) != len(dims):
            raise TorchRuntimeError(f"dim {dims[-1]} appears multiple times in the list of dims")
        return dims
    raise _gradient_bad(f"Tensor, dim={type(dim).__name__}")


def _gradient_spacing(spacing, dims: list, given_dim: bool) -> list:
    """One spacing per dim: a real number or a 1-D coordinates tensor."""
    if spacing is None:
        return [1.0] * len(dims)
    if isinstance(spacing, Tensor) and spacing._data.ndim == 0:
        spacing = spacing.item()
    if isinstance(spacing, _b.int | _b.float) and not isinstance(spacing, _b.bool):
        return [spacing] * len(dims)
    if not isinstance(spacing, list | tuple):
        raise _gradient_bad(f"Tensor, spacing={type(spacing).__name__}")
    items = list(spacing)
    tensors = _b.all(isinstance(s, Tensor) for s in items)
    if not tensors and _b.any(isinstance(s, Tensor) for s in items):
        bad = next(i for i, s in enumerate(items) if not isinstance(s, Tensor))
        raise TorchTypeError(f"expected Tensor as element {bad} in argument 1, but got "
                             f"{type(items[bad]).__name__}")
    if not tensors and not _b.all(isinstance(s, _b.int | _b.float) and not isinstance(s, _b.bool)
                               for s in items):
        raise _gradient_bad(f"Tensor, spacing={type(spacing).__name__}")
    if given_dim and len(items) != len(dims):
        raise TorchRuntimeError(
            f"torch.gradient expected spacing to be unspecified, a scalar or it's spacing and "
            f"dim arguments to have the same length, but got a spacing argument of length "
            f"{len(items)} and a dim argument of length {len(dims)}.")
    if len(items) != len(dims):
        raise TorchRuntimeError(
            f"torch.gradient expected spacing to be unspecified, a scalar, or a list of length "
            f"equal to 'self.dim() = {len(dims)}', since dim argument was not given, but got a "
            f"list of length {len(items)}")
    return items


def gradient(input, *, spacing=None, dim=None, edge_order=1) -> tuple:
    """gradient(input, *, spacing=1, dim=None, edge_order=1): the derivative along each dim
    by central differences inside and one-sided ones (first or second order) at the ends;
    spacing: a number, one per dim, or each dim's coordinates."""
    if not isinstance(input, Tensor):
        raise TorchTypeError(f"gradient(): argument 'input' (position 1) must be Tensor, not "
                             f"{type(input).__name__}")
    if isinstance(edge_order, _b.bool) or not isinstance(edge_order, _b.int):
        raise _gradient_bad(f"Tensor, edge_order={type(edge_order).__name__}")
    dims = _gradient_dims(input, dim)
    given_dim = dim is not None
    steps = _gradient_spacing(spacing, dims, given_dim)
    if edge_order not in (1, 2):
        raise TorchRuntimeError("torch.gradient only supports edge_order=1 and edge_order=2.")
    shape = input._data.shape
    for d in dims:
        if shape[d] < edge_order + 1:
            raise TorchRuntimeError("torch.gradient expected each dimension size to be at "
                                    "least edge_order+1")
    out = []
    for d, h in zip(dims, steps):
        def at(start, stop=None, d=d):
            return input[(slice(None),) * d + (slice(start, stop),)]

        if isinstance(h, Tensor):
            if h._data.ndim != 1:
                raise TorchRuntimeError(
                    f"torch.gradient expected each element of spacing to have one dimension, "
                    f"but got an element with {h._data.ndim} dimensions!")
            if h._data.shape[0] != shape[d]:  # torch broadcasts the mismatch into garbage
                raise TorchRuntimeError(
                    f"torch.gradient: the coordinates of dim {d} have {h._data.shape[0]} "
                    f"elements, but the input has {shape[d]} along it (unsupported in adcli)")
            out.append(_gradient_coordinates(at, h, d, input._data.ndim, edge_order))
            continue
        center = (at(2) - at(0, -2)) / h
        if edge_order == 1:
            first = (at(1, 2) - at(0, 1)) / h
            last = (at(-1) - at(-2, -1)) / h
        else:
            first = (at(0, 1) * -1.5 + at(1, 2) * 2 - at(2, 3) * 0.5) / h
            last = (at(-3, -2) * 0.5 + at(-2, -1) * -2 + at(-1) * 1.5) / h
        out.append(cat([first, center / 2, last], d))
    return tuple(out)


def _gradient_coordinates(at, coords, d, ndim, edge_order):
    """One dim's derivative with its samples at ``coords`` (ATen's unequal spacing)."""
    shape = [1] * ndim
    shape[d] = -1
    dx = coords.diff(1, 0)
    dx1, dx2 = dx[:-1], dx[1:]
    a = (-dx2 / (dx1 * (dx1 + dx2))).reshape(shape)
    b = ((dx2 - dx1) / (dx1 * dx2)).reshape(shape)
    c = (dx1 / (dx2 * (dx1 + dx2))).reshape(shape)
    center = a * at(0, -2) + b * at(1, -1) + c * at(2)
    if edge_order == 1:
        first = (at(1, 2) - at(0, 1)) / dx[0]
        last = (at(-1) - at(-2, -1)) / dx[-1]
    else:
        a = -(2.0 * dx[0] + dx[1]) / (dx[0] * (dx[0] + dx[1]))
        b = (dx[0] + dx[1]) / (dx[0] * dx[1])
        c = (-dx[0]) / (dx[1] * (dx[0] + dx[1]))
        first = a * at(0, 1) + b * at(1, 2) + c * at(2, 3)
        a = dx[-1] / (dx[-2] * (dx[-1] + dx[-2]))
        b = -(dx[-1] + dx[-2]) / (dx[-1] * dx[-2])
        c = (2 * dx[-1] + dx[-2]) / (dx[-1] * (dx[-1] + dx[-2]))
        last = a * at(-3, -2) + b * at(-2, -1) + c * at(-1)
    return cat([first, center, last], d)

"""Tensors from Python data: torch.tensor's inference of shape and dtype, and the legacy
constructors (``torch.Tensor(2, 3)``, ``torch.FloatTensor([1, 2])``)."""

from __future__ import annotations

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine import shape as sh
from adcli.engine.dtypes import bool_, dtype, int64
from adcli.engine.shape import Size
from adcli.engine.tensor import Tensor, _wrap, warn
from adcli.errors import LimitError, TorchRuntimeError, TorchTypeError, TorchValueError
from adcli.limits import check_elements

MAX_DIMS = 64  # the depth shape.nested_shape reads (adcli's bound; torch goes deeper)


def infer(data, depth: int = 0, shape: tuple[int, ...] = (), misplaced: list | None = None):
    """Walk nested lists for torch.tensor: (Python values with 0-d tensors unwrapped,
    the dtype category). Raises torch's errors for ragged or invalid data. ``shape`` is
    the nominal shape (``shape.nested_shape``, checked against the element bound): every
    list at depth d must have length ``shape[d]``, so the walk never visits more items than
    the bound however often a list is aliased."""
    if isinstance(data, Tensor):
        if data._data.size != 1 and depth:
            raise TorchValueError("only one element tensors can be converted to Python scalars")
        return data._data.tolist(), dt.BY_NP[data._data.dtype]
    if isinstance(data, np.generic) and data.dtype in dt.BY_NP:
        return data.item(), dt.BY_NP[data.dtype]  # a numpy scalar keeps its dtype, as in torch
    if isinstance(data, bool | np.bool_):
        return bool(data), bool_
    if isinstance(data, int | np.integer):
        return int(data), int64
    if isinstance(data, float | np.floating):
        return float(data), dt.default_float
    if isinstance(data, list | tuple | range):
        out, kind = [], None
        want = shape[depth + 1] if depth + 1 < len(shape) else None
        for i, item in enumerate(data):
            if isinstance(item, list | tuple | range):
                n = len(item)
                if want is None:  # a sequence where the first item has a number
                    if misplaced is None:
                        raise TorchTypeError("not a sequence")
                    # torch's words depend on the dtype of the whole: from_data raises
                    misplaced.append(type(item).__name__)
                    k = infer(item, 0, sh.nested_shape(item), misplaced)[1]
                    kind = dt.promote(kind, k)
                    out.append(0)
                    continue
                if n != want:
                    raise TorchValueError(
                        f"expected sequence of length {want} at dim {depth + 1} (got {n})")
            elif want is not None:
                if isinstance(item, str):
                    raise TorchTypeError(f"new(): invalid data type '{type(item).__name__}'")
                raise TorchTypeError("not a sequence")
            elif isinstance(item, str) and i == 0:
                raise TorchValueError(f"too many dimensions '{type(item).__name__}'")
            value, k = infer(item, depth + 1, shape, misplaced)
            kind = dt.promote(kind, k)
            out.append(value)
        return out, kind or dt.default_float
    if isinstance(data, str):
        raise TorchTypeError(f"new(): invalid data type '{type(data).__name__}'")
    raise TorchRuntimeError(f"Could not infer dtype of {type(data).__name__}")


def from_data(data, dtype=None) -> np.ndarray:
    """A fresh array from tensor()'s ``data``, with torch's dtype inference."""
    if dtype is not None:
        dtype = dt.to_dtype(dtype)
    if isinstance(data, np.ndarray):
        if data.dtype not in dt.BY_NP:
            raise TorchTypeError(f"cannot make a tensor from a numpy array of dtype {data.dtype}")
        arr = np.array(data, dtype=None if dtype is None else dtype.np)
    else:
        if isinstance(data, Tensor):
            warn(
                "To copy construct from a tensor, it is recommended to use "
                "sourceTensor.detach().clone() or sourceTensor.detach().clone()."
                "requires_grad_(True), rather than torch.tensor(sourceTensor)."
            )
            return np.array(data._data, dtype=None if dtype is None else dtype.np)
        if isinstance(data, list | tuple) and data and all(
                isinstance(x, np.ndarray) and x.ndim for x in data):
            return _from_arrays(data, dtype)
        nominal = sh.nested_shape(data)
        if len(nominal) == MAX_DIMS:
            deepest = data
            for _ in nominal:
                deepest = deepest[0] if len(deepest) else None
            if isinstance(deepest, list | tuple | range):  # (torch goes on; adcli stops)
                raise LimitError(f"tensor(): the data is nested more than {MAX_DIMS} levels "
                                 "deep; adcli's tensors have at most 64 dimensions")
        check_elements(sh.numel(nominal), nominal)
        misplaced: list = []
        values, kind = infer(data, 0, nominal, misplaced)
        target = dtype or kind
        if misplaced:  # a sequence where a number belongs, as torch words it
            name = misplaced[0]
            if target.kind == dt.FLOAT:
                raise TorchTypeError(f"must be real number, not {name}")
            raise TorchTypeError(f"'{name}' object cannot be interpreted as an integer")
        if target.kind != dt.FLOAT:
            check_int_range(values)
        try:
            arr = np.array(values, dtype=target.np)
        except (OverflowError, ValueError):
            raise TorchRuntimeError(f"tensor(): the data cannot be stored as {target} (a value "
                                    "is out of range, nan or infinite)") from None
    check_elements(arr.size, arr.shape)
    return arr


WARNED_ONCE: set = set()
_SLOW_ARRAYS = (
    "Creating a tensor from a list of numpy.ndarrays is extremely slow. Please consider "
    "converting the list to a single numpy.ndarray with numpy.array() before converting to "
    "a tensor. (Triggered internally at /__w/pytorch/pytorch/torch/csrc/utils/"
    "tensor_new.cpp:252.)")


def _from_arrays(arrays, dtype) -> np.ndarray:
    """torch.tensor([np.array(...), ...]): stacked, the arrays' dtypes promoted as torch
    promotes tensors', with torch's warning (once a program) and its ragged-data error."""
    if not WARNED_ONCE:  # a TORCH_WARN_ONCE: once a program (api.reset_state clears it)
        WARNED_ONCE.add("list-of-ndarrays")
        warn(_SLOW_ARRAYS)
    first = arrays[0].shape
    for x in arrays[1:]:
        for d, (a, b) in enumerate(zip(first, x.shape)):
            if a != b:
                raise TorchValueError(f"expected sequence of length {a} at dim {d + 1} "
                                      f"(got {b})")
        if len(x.shape) != len(first):
            raise TorchValueError(f"expected sequence of length {len(first)} at dim 1 "
                                  f"(got {len(x.shape)})")
    kind = None
    for x in arrays:
        if x.dtype not in dt.BY_NP:
            raise TorchTypeError(f"cannot make a tensor from a numpy array of dtype {x.dtype}")
        kind = dt.promote(kind, dt.BY_NP[x.dtype])
    target = dtype or kind
    check_elements(len(arrays) * arrays[0].size, (len(arrays),) + first)
    return np.stack(arrays).astype(target.np)


def check_int_range(values) -> None:
    stack = [values]
    while stack:
        v = stack.pop()
        if isinstance(v, list):
            stack.extend(v)
        elif type(v) is int and not -(2**63) <= v < 2**63:
            raise TorchValueError("Overflow when unpacking long long")


def legacy_new(dtype_: dtype, args: tuple, kwargs: dict, name: str) -> Tensor:
    """torch.Tensor(...) / torch.FloatTensor(...): sizes or data, with a fixed dtype."""
    if kwargs:
        raise TorchTypeError(f"{name}() got unexpected keyword arguments {sorted(kwargs)}; "
                             "use torch.tensor(data, dtype=..., requires_grad=...) instead")
    if not args:
        return _wrap(np.empty(0, dtype_.np))
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args) or (
            len(args) == 1 and isinstance(args[0], Size)):
        return _wrap(np.zeros(sh.size_args(args, name), dtype_.np))
    if len(args) == 1:
        data = args[0]
        if isinstance(data, Tensor):
            if data._data.dtype != dtype_.np:
                raise TorchTypeError(f"{name}(): expected a {dtype_} tensor, got {data.dtype}")
            return data.detach()
        return _wrap(from_data(data, dtype_))
    raise TorchTypeError(f"{name}() takes sizes (ints) or one sequence of data")


def tensor_new(cls, *args, **kwargs) -> Tensor:
    """``torch.Tensor(...)``: sizes or float32 data (``Tensor.__new__``)."""
    return legacy_new(dt.float32, args, kwargs, "Tensor")

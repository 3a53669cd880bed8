"""Indexing: a key (ints, slices, None, Ellipsis, bools, index tensors and lists) split
into view steps and an advanced numpy key, checked as torch checks it."""

from __future__ import annotations

import numpy as np

from adcli.engine.construct import from_data
from adcli.engine.tensor import Tensor, _wrap
from adcli.errors import TorchIndexError, TorchTypeError, TorchValueError
from adcli.limits import check_elements


def _index_array(item, size: int, dim: int) -> np.ndarray:
    """An index tensor/list as a checked numpy int or bool array."""
    if isinstance(item, Tensor):
        arr = item._data
    elif isinstance(item, range):  # as torch: a range is a sequence of ints
        check_elements(len(item), (len(item),))
        arr = np.arange(item.start, item.stop, item.step, dtype=np.int64)
    else:
        arr = from_data(item)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind not in "iu":
        raise TorchIndexError("tensors used as indices must be long, int, byte or bool tensors")
    if arr.size and (arr.min() < -size or arr.max() >= size):
        bad = arr[(arr < -size) | (arr >= size)].flat[0]
        raise TorchIndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
    return arr


def _zero_dim_key(key) -> None:
    """torch's words for a lone int or slice on a 0-d tensor (``loss.data[0]`` of old
    tutorials): index 0 points to ``.item()``, any other int is out of bounds."""
    if isinstance(key, slice):
        raise TorchIndexError("slice() cannot be applied to a 0-dim tensor.")
    if isinstance(key, (int, np.integer)) and not isinstance(key, (bool, np.bool_)):
        if key == 0:
            raise TorchIndexError(
                "invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise TorchIndexError(f"index {int(key)} is out of bounds for dimension 0 with size 0")


def parse_index(key, shape: tuple[int, ...], reading: bool = True):
    """Split an indexing key into basic steps and an advanced (numpy) key, as torch does.

    Returns ``(steps, advanced)``: ``steps`` is a list of ``(name, dim, arg)`` with name one
    of select/slice/unsqueeze, applied in order; ``advanced`` is None or a tuple key of
    arrays and full slices for the tensor the steps produce.
    """
    # as torch: reading x[:] is a slice op even when it takes everything (assigning is not)
    bare_slice = reading and isinstance(key, slice)
    if not isinstance(key, tuple):
        if not shape:
            _zero_dim_key(key)
        key = (key,)
    key = tuple(_wrap_array(k) for k in key)
    ndim = len(shape)
    consumed = _dims_consumed(key)
    if consumed > ndim:
        raise TorchIndexError(f"too many indices for tensor of dimension {ndim}")
    steps, adv, dim, src = [], [], 0, 0  # dim: position in the result; src: in the input
    ellipsis_seen = False
    for item in key:
        if item is Ellipsis:
            if ellipsis_seen:
                raise TorchIndexError("an index can only have a single ellipsis ('...')")
            ellipsis_seen = True
            dim += ndim - consumed
            src += ndim - consumed
        elif item is None or isinstance(item, bool):
            dim = _new_dim(steps, dim, item is not False)
        elif isinstance(item, int) or (
            isinstance(item, Tensor) and item._data.ndim == 0 and item._data.dtype.kind in "iu"
        ):
            steps.append(("select", dim, _checked_int(int(item), shape[src], src)))
            src += 1
        elif isinstance(item, slice):
            bounds = _slice_bounds(item, shape[src], bare_slice)
            if bounds is not None:
                steps.append(("slice", dim, bounds))
            dim += 1
            src += 1
        elif isinstance(item, Tensor | list | tuple | range):
            dim, src = _advanced_item(item, shape, dim, src, steps, adv)
        elif isinstance(item, str):  # as torch: a str is a sequence, then not a number
            raise TorchTypeError("new(): invalid data type 'str'")
        else:
            raise TorchIndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and long or byte Variables "
                f"are valid indices (got {type(item).__name__})"
            )
    return steps, _advanced_key(adv)


def _dims_consumed(key: tuple) -> int:
    """How many dimensions of the indexed tensor the key's items take (a bool mask: its
    own number of dimensions; None, Ellipsis and a bool: none)."""
    consumed = 0
    for item in key:
        if item is None or item is Ellipsis or isinstance(item, bool):
            continue
        if isinstance(item, Tensor) and item._data.dtype.kind == "b":
            consumed += item._data.ndim
        else:
            consumed += 1
    return consumed


def _new_dim(steps: list, dim: int, keep: bool) -> int:
    """A None or a bool in the key: a new dimension of size 1 at ``dim`` (of size 0 for
    False, which selects nothing). Returns the next result position."""
    steps.append(("unsqueeze", dim, None))
    if not keep:
        steps.append(("slice", dim, (0, 0, 1)))
    return dim + 1


def _checked_int(i: int, size: int, src: int) -> int:
    """An integer index into a dimension of ``size``, checked and made non-negative."""
    if i < -size or i >= size:
        raise TorchIndexError(f"index {i} is out of bounds for dimension {src} with size {size}")
    return i + size if i < 0 else i


def _slice_bounds(item: slice, size: int, bare_slice: bool):
    """``(start, stop, step)`` of a slice over a dimension of ``size``, or None where the
    slice is no op at all."""
    step = 1 if item.step is None else _int_index(item.step)
    if step == 0:
        raise TorchValueError("slice step cannot be zero")
    if step < 0:
        raise TorchValueError("step must be greater than zero")
    start, stop, _ = slice(
        None if item.start is None else _int_index(item.start),
        None if item.stop is None else _int_index(item.stop), step).indices(size)
    stop = max(stop, start)
    # as torch: a slice that is written to take everything (a start of 0 or none, a
    # step of 1 or none, no stop or one past the end) is no op at all
    full = (item.start in (None, 0) and item.step in (None, 1)
            and (item.stop is None or _int_index(item.stop) >= size))
    if bare_slice or not full:
        return start, stop, step
    return None


def _advanced_item(item, shape: tuple, dim: int, src: int, steps: list, adv: list) -> tuple:
    """An index tensor or list at result position ``dim``, input dimension ``src``: added
    to ``adv`` (a 0-d bool is a new dimension instead, as a bool is). Returns the next
    ``(dim, src)``."""
    arr = _index_array(item, shape[src] if src < len(shape) else 0, src)
    if arr.dtype.kind == "b" and arr.ndim == 0:
        return _new_dim(steps, dim, bool(arr)), src
    width = arr.ndim if arr.dtype.kind == "b" else 1
    if arr.dtype.kind == "b" and tuple(arr.shape) != tuple(shape[src:src + width]):
        j = next((j for j in range(width) if src + j >= len(shape)
                  or arr.shape[j] != shape[src + j]), 0)
        raise TorchIndexError(
            f"The shape of the mask {list(arr.shape)} at index {j} does not match the"
            f" shape of the indexed tensor {list(shape)} at index {src + j}"
        )
    adv.append((dim, arr))
    return dim + width, src + width


def _advanced_key(adv: list):
    """The numpy key of the advanced items ``(dim, array)``: each array at its result
    position, full slices between; None without any."""
    if not adv:
        return None
    parts, pos = [], 0
    for d, arr in adv:
        parts += [slice(None)] * (d - pos) + [arr]
        pos = d + (arr.ndim if arr.dtype.kind == "b" else 1)
    return tuple(parts)


def _wrap_array(item):
    if isinstance(item, np.ndarray):
        return _wrap(item)
    return item


def _int_index(v) -> int:
    if isinstance(v, int):
        return v
    if hasattr(v, "__index__"):
        return v.__index__()
    raise TorchTypeError("slice indices must be integers or None or have an __index__ method")

"""Indexing: a key (ints, slices, None, Ellipsis, bools, index tensors and lists) split
into view steps and an advanced numpy key, checked as torch checks it."""

from __future__ import annotations

import numpy as np

from adcli.engine.construct import from_data
from adcli.engine.tensor import Tensor, _wrap
from adcli.errors import TorchIndexError, TorchTypeError, TorchValueError


def _index_array(item, size: int, dim: int) -> np.ndarray:
    """An index tensor/list as a checked numpy int or bool array."""
    if isinstance(item, Tensor):
        arr = item._data
    else:
        arr = from_data(item)
    if arr.dtype.kind == "b":
        return arr
    if arr.dtype.kind not in "iu":
        raise TorchIndexError(
            f"tensors used as indices must be integer or bool tensors, got {arr.dtype.name}"
        )
    if arr.size and (arr.min() < -size or arr.max() >= size):
        bad = arr[(arr < -size) | (arr >= size)].flat[0]
        raise TorchIndexError(f"index {bad} is out of bounds for dimension {dim} with size {size}")
    return arr


def parse_index(key, shape: tuple[int, ...], reading: bool = True):
    """Split an indexing key into basic steps and an advanced (numpy) key, as torch does.

    Returns ``(steps, advanced)``: ``steps`` is a list of ``(name, dim, arg)`` with name one
    of select/slice/unsqueeze, applied in order; ``advanced`` is None or a tuple key of
    arrays and full slices for the tensor the steps produce.
    """
    # as torch: reading x[:] is a slice op even when it takes everything (assigning is not)
    bare_slice = reading and isinstance(key, slice)
    if not isinstance(key, tuple):
        key = (key,)
    key = tuple(_wrap_array(k) for k in key)
    consumed = 0
    for item in key:
        if item is None or item is Ellipsis or isinstance(item, bool):
            continue
        if isinstance(item, Tensor) and item._data.dtype.kind == "b":
            consumed += item._data.ndim
        else:
            consumed += 1
    ndim = len(shape)
    if consumed > ndim:
        raise TorchIndexError(
            f"too many indices for a tensor of dimension {ndim} (got {consumed} indices)"
        )
    steps, adv, dim, src = [], [], 0, 0  # dim: position in the result; src: in the input
    ellipsis_seen = False
    for item in key:
        if item is Ellipsis:
            if ellipsis_seen:
                raise TorchIndexError("an index can only have a single ellipsis ('...')")
            ellipsis_seen = True
            dim += ndim - consumed
            src += ndim - consumed
        elif item is None:
            steps.append(("unsqueeze", dim, None))
            dim += 1
        elif isinstance(item, bool):
            steps.append(("unsqueeze", dim, None))
            if not item:
                steps.append(("slice", dim, (0, 0, 1)))
            dim += 1
        elif isinstance(item, int) or (
            isinstance(item, Tensor) and item._data.ndim == 0 and item._data.dtype.kind in "iu"
        ):
            i = int(item)
            size = shape[src]
            if i < -size or i >= size:
                raise TorchIndexError(
                    f"index {i} is out of bounds for dimension {src} with size {size}"
                )
            steps.append(("select", dim, i + size if i < 0 else i))
            src += 1
        elif isinstance(item, slice):
            size = shape[src]
            step = 1 if item.step is None else _int_index(item.step)
            if step <= 0:
                raise TorchValueError("slice step must be greater than zero (negative steps are"
                                      " not supported; use flip())")
            start, stop, _ = slice(
                None if item.start is None else _int_index(item.start),
                None if item.stop is None else _int_index(item.stop), step).indices(size)
            stop = max(stop, start)
            # as torch: a slice that is written to take everything (a start of 0 or none, a
            # step of 1 or none, no stop or one past the end) is no op at all
            full = (item.start in (None, 0) and item.step in (None, 1)
                    and (item.stop is None or _int_index(item.stop) >= size))
            if bare_slice or not full:
                steps.append(("slice", dim, (start, stop, step)))
            dim += 1
            src += 1
        elif isinstance(item, Tensor | list | tuple):
            arr = _index_array(item, shape[src] if src < ndim else 0, src)
            if arr.dtype.kind == "b" and arr.ndim == 0:
                steps.append(("unsqueeze", dim, None))
                if not arr:
                    steps.append(("slice", dim, (0, 0, 1)))
                dim += 1
                continue
            width = arr.ndim if arr.dtype.kind == "b" else 1
            if arr.dtype.kind == "b" and tuple(arr.shape) != tuple(shape[src:src + width]):
                raise TorchIndexError(
                    f"the shape of the mask {list(arr.shape)} at index {src} does not match the"
                    f" shape of the indexed tensor {list(shape)}"
                )
            adv.append((dim, arr))
            dim += width
            src += width
        else:
            raise TorchIndexError(
                "only integers, slices (`:`), ellipsis (`...`), None and integer or bool tensors "
                f"are valid indices (got {type(item).__name__})"
            )
    advanced = None
    if adv:
        parts, pos = [], 0
        for d, arr in adv:
            parts += [slice(None)] * (d - pos) + [arr]
            pos = d + (arr.ndim if arr.dtype.kind == "b" else 1)
        advanced = tuple(parts)
    return steps, advanced


def _wrap_array(item):
    if isinstance(item, np.ndarray):
        return _wrap(item)
    return item


def _int_index(v) -> int:
    if isinstance(v, int):
        return v
    if hasattr(v, "__index__"):
        return v.__index__()
    raise TorchTypeError(f"slice indices must be integers or None, got {type(v).__name__}")

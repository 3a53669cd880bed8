"""``Tensor.untyped_storage()`` and ``Tensor.storage()``: the memory under a tensor, as
torch shows it. A view's storage is its base's (the tensor at the end of its chain of
views): the same ``data_ptr()``, the base's size in bytes; a copy has a storage of its own.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import dtypes as _dt
from adcli.engine.tensor import Tensor
from adcli.errors import TorchIndexError, TorchTypeError

_TYPED_DEPRECATION = (
    "TypedStorage is deprecated. It will be removed in the future and UntypedStorage will "
    "be the only storage class. This should only matter to you if you are using storages "
    "directly.  To access UntypedStorage directly, use tensor.untyped_storage() instead of "
    "tensor.storage()")


def _root(t: Tensor) -> Tensor:
    while t._view is not None:
        t = t._view[0]
    return t


def _address(a: np.ndarray) -> int:
    return a.__array_interface__["data"][0]


class _Storage:
    __adcli_public__ = frozenset(("data_ptr", "nbytes", "size", "element_size", "device",
                                  "tolist", "is_shared", "is_pinned"))

    def __init__(self, base: Tensor) -> None:
        self._base = base

    @property
    def device(self):
        return self._base.device

    def data_ptr(self) -> int:
        return _address(self._base._data)

    def nbytes(self) -> int:
        return self._base._data.nbytes

    def is_shared(self) -> bool:
        return False

    def is_pinned(self, device="cuda") -> bool:
        return False

    def _items(self) -> list:
        raise NotImplementedError

    def tolist(self) -> list:
        return self._items()

    def __len__(self) -> int:
        return self.size()

    def __getitem__(self, i):
        items = self._items()
        if not isinstance(i, int):
            raise TorchTypeError(f"can't index a {type(self).__name__} with "
                                 f"{type(i).__name__}")
        if not -len(items) <= i < len(items):
            raise TorchIndexError(f"index {i} out of range for storage of size {len(items)}")
        return items[i]

    def __str__(self) -> str:
        data = " " + "\n ".join(str(v) for v in self._items())
        return data + "\n" + self._info()

    __repr__ = __str__


class UntypedStorage(_Storage):
    """``tensor.untyped_storage()``: the bytes under a tensor."""

    def size(self) -> int:
        return self.nbytes()

    def element_size(self) -> int:
        return 1

    def _items(self) -> list:
        return np.ascontiguousarray(self._base._data).view(np.uint8).reshape(-1).tolist()

    def _info(self) -> str:
        return f"[torch.storage.UntypedStorage(device=cpu) of size {self.size()}]"


class TypedStorage(_Storage):
    """``tensor.storage()`` (deprecated in torch): the elements under a tensor."""

    __adcli_public__ = _Storage.__adcli_public__ | frozenset(("dtype", "untyped"))

    @property
    def dtype(self):
        return _dt.BY_NP[self._base._data.dtype]

    def size(self) -> int:
        return self._base._data.size

    def element_size(self) -> int:
        return self._base._data.itemsize

    def untyped(self) -> UntypedStorage:
        return UntypedStorage(self._base)

    def _items(self) -> list:
        return self._base._data.reshape(-1).tolist()

    def _info(self) -> str:
        return (f"[torch.storage.TypedStorage(dtype={self.dtype}, device=cpu) of size "
                f"{self.size()}]")


UntypedStorage.__module__ = TypedStorage.__module__ = "torch.storage"


def untyped_storage(input) -> UntypedStorage:
    """Tensor.untyped_storage(): the bytes of the tensor's base."""
    return UntypedStorage(_root(input))


def storage(input) -> TypedStorage:
    """Tensor.storage(): the elements of the tensor's base, with torch's deprecation
    warning (once)."""
    from adcli.engine import api

    api._warn_once("TypedStorage", _TYPED_DEPRECATION)
    return TypedStorage(_root(input))

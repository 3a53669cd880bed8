"""``types``: ``SimpleNamespace`` (attributes a script sets freely), and the names of a
few builtin types."""

from __future__ import annotations

from adcli.errors import TorchTypeError
from adcli.lang.classes import MARK


def _repr(value, seen) -> str:
    if isinstance(value, SimpleNamespace):
        return value._repr(seen)
    return repr(value)


class SimpleNamespace:
    """``types.SimpleNamespace(**kwargs)``: made as a script's class is (its instances
    take any attribute), with CPython's repr and equality."""

    __module__ = "types"
    __qualname__ = "SimpleNamespace"
    locals()[MARK] = frozenset(("__init__", "__repr__", "__eq__"))

    def __init__(self, mapping=None, /, **kwargs) -> None:
        if mapping is not None:
            if not isinstance(mapping, dict):
                raise TorchTypeError(f"'{type(mapping).__name__}' object is not a mapping")
            for key in mapping:
                if not isinstance(key, str):
                    raise TorchTypeError("keywords must be strings, not "
                                         f"'{type(key).__name__}'")
            self.__dict__.update(mapping)
        self.__dict__.update(kwargs)

    def _repr(self, seen) -> str:
        if id(self) in seen:
            return "namespace(...)"
        seen = seen | {id(self)}
        name = "namespace" if type(self) is SimpleNamespace else type(self).__name__
        items = ", ".join(f"{k}={_repr(v, seen)}" for k, v in self.__dict__.items())
        return f"{name}({items})"

    def __repr__(self) -> str:
        return self._repr(frozenset())

    def __eq__(self, other):
        if isinstance(self, SimpleNamespace) and isinstance(other, SimpleNamespace):
            return self.__dict__ == other.__dict__
        return NotImplemented

    __hash__ = None


def make_table() -> dict:
    from adcli.lang.pylib.pybuiltins import TYPES, _register

    return {"SimpleNamespace": TYPES.get(SimpleNamespace) or _register(
        SimpleNamespace, "types.SimpleNamespace", SimpleNamespace)}

"""``enum``: ``Enum``, ``IntEnum``, ``StrEnum``, ``Flag``, ``IntFlag``, ``auto``, ``unique``.

A script's ``class Color(Enum)`` is made by Python's own ``EnumType`` (see
``make_enum_class`` in adcli/lang/classes.py), so its members, ``Color(1)``,
``Color['RED']``, iteration, ``len``, ``repr``/``str``, hashing, comparisons and
``auto()`` are CPython's. The bases are reachable only as ``PyType`` values (no attribute
of them is); on a member a script reads ``name`` and ``value`` (and what its own class
defined), on the class its members and ``__members__`` (a copy).
"""

from __future__ import annotations

import enum as _enum

from adcli.errors import TorchTypeError, TorchValueError
from adcli.lang.pylib._common import PyType

BASES = (_enum.Enum, _enum.IntEnum, _enum.StrEnum, _enum.Flag, _enum.IntFlag)
# what a script reads on a member of each kind of enum, besides its class's own names
MEMBER_PUBLIC = frozenset(("name", "value"))


def is_enum_class(obj) -> bool:
    return isinstance(obj, _enum.EnumMeta)


def _functional(base: type):
    def make(*args, **kwargs):
        raise TorchTypeError(f"{base.__name__}() of a name and members (the functional "
                             f"API) is not supported by adcli; write a class statement")

    return make


def unique(enumeration):
    """``@enum.unique``: ValueError as Python's when two names share a value."""
    if not is_enum_class(enumeration):
        raise TorchTypeError("unique() takes an enum class in adcli")
    try:
        return _enum.unique(enumeration)
    except ValueError as e:
        raise TorchValueError(str(e)) from None


class EnumBase(PyType):
    """``enum.Enum`` and its kin as a script sees them: printed ``<enum 'Enum'>``."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"<enum '{self._cls.__name__}'>"


def make_table() -> dict:
    table = {base.__name__: EnumBase(base, f"enum.{base.__name__}", _functional(base))
             for base in BASES}
    table["auto"] = PyType(_enum.auto, "enum.auto", lambda: _enum.auto())
    table["unique"] = unique
    return table

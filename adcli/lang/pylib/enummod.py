"""``enum``: ``Enum``, ``IntEnum``, ``StrEnum``, ``Flag``, ``IntFlag``, ``auto``, ``unique``.

A script's ``class Color(Enum)`` is made by Python's own ``EnumType`` (see
``make_enum_class`` in adcli/lang/classes.py), so its members, ``Color(1)``,
``Color['RED']``, iteration, ``len``, ``repr``/``str``, hashing, comparisons and
``auto()`` are CPython's. The bases are reachable only as ``PyType`` values (no attribute
of them is); on a member a script reads ``name`` and ``value`` (and what its own class
defined), on the class its members and ``__members__`` (a copy). The functional API
(``Enum('Color', 'RED GREEN')``) makes its class with EnumType too, marked as the
script's.
"""

from __future__ import annotations

import builtins as _builtins
import enum as _enum

from adcli.errors import TorchTypeError, TorchValueError
from adcli.lang.pylib._common import PyType

BASES = (_enum.Enum, _enum.IntEnum, _enum.StrEnum, _enum.Flag, _enum.IntFlag)
# what a script reads on a member of each kind of enum, besides its class's own names
MEMBER_PUBLIC = frozenset(("name", "value"))


def is_enum_class(obj) -> bool:
    return isinstance(obj, _enum.EnumMeta)


def _functional(base: type):
    """``Enum('Color', 'RED GREEN')`` / ``Enum('Color', ['RED', 'GREEN'])`` /
    ``Enum('Color', [('RED', 1)])`` / ``Enum('Color', {'RED': 1})``: the class EnumType
    makes, marked as the script's (its module ``__main__``)."""

    def make(value=None, names=None, *, module=None, qualname=None, type=None,  # noqa: A002
             start=1, boundary=None):
        from adcli.lang.classes import MARK
        from adcli.lang.pylib._common import check_objects

        if not isinstance(value, str) or names is None:
            raise TorchTypeError(f"{base.__name__}() takes a class name and its members in "
                                 "adcli (the functional API)")
        if isinstance(names, str):
            members = names.replace(",", " ").split()
        elif isinstance(names, dict):
            members = list(names.items())
        elif isinstance(names, list | tuple):
            members = list(names)
        else:
            raise TorchTypeError("the members of an enum must be a str, a list, a tuple or "
                                 "a dict in adcli")
        check_objects(len(members), "enum members")
        for m in members:
            if not (isinstance(m, str) or (isinstance(m, tuple | list) and len(m) == 2
                                           and isinstance(m[0], str))):
                raise TorchTypeError("an enum member is a name or a (name, value) pair in "
                                     "adcli")
        if type is not None:
            raise TorchTypeError("the functional API's type= is not supported by adcli")
        try:
            cls = base(value, members, module="__main__", qualname=qualname or value,
                       start=start)
        except TypeError as e:
            raise TorchTypeError(str(e)) from None
        except ValueError as e:
            raise TorchValueError(str(e)) from None
        names_of = frozenset(cls.__members__)
        _builtins.type.__setattr__(cls, MARK, names_of)
        _builtins.type.__setattr__(cls, "__adcli_public__", MEMBER_PUBLIC | names_of)
        return cls

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

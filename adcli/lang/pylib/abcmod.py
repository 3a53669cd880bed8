"""``abc``: ``ABC`` (also reached as ``metaclass=ABCMeta``), ``abstractmethod`` and
friends, for a script's own classes.

``ABC`` is a plain base class here (not Python's ``ABCMeta`` metaclass): instantiating a
class whose resolved methods include one marked by ``abstractmethod`` (directly, or as a
property's getter, a staticmethod's or classmethod's function) raises CPython's
``TypeError: Can't instantiate abstract class Base with abstract method f``.
"""

from __future__ import annotations

from adcli.errors import TorchTypeError

# id -> function: the functions marked abstract (kept alive, so that an id is not reused)
_ABSTRACT: dict = {}


def abstractmethod(funcobj):
    if not callable(funcobj):
        raise TorchTypeError(f"'{type(funcobj).__name__}' object is not callable")
    _ABSTRACT[id(funcobj)] = funcobj
    return funcobj


def _is_abstract(value) -> bool:
    if isinstance(value, property):
        return any(f is not None and _ABSTRACT.get(id(f), _ABSTRACT) is f
                   for f in (value.fget, value.fset, value.fdel))
    if isinstance(value, staticmethod | classmethod):
        value = value.__func__
    return _ABSTRACT.get(id(value), _ABSTRACT) is value


def abstract_names(cls) -> list:
    seen: set = set()
    abstract = []
    for klass in cls.__mro__:
        for name, value in klass.__dict__.items():
            if name in seen:
                continue
            seen.add(name)
            if _is_abstract(value):
                abstract.append(name)
    return sorted(abstract)


class ABC:
    """``abc.ABC``: a base whose subclasses with abstract methods cannot be made."""

    __slots__ = ()
    __module__ = "abc"
    __adcli_subclassable__ = True

    def __new__(cls, *args, **kwargs):
        names = abstract_names(cls)
        if names:
            s = "s" if len(names) > 1 else ""
            raise TorchTypeError(f"Can't instantiate abstract class {cls.__name__} with "
                                 f"abstract method{s} {', '.join(names)}")
        return object.__new__(cls)


class ABCMeta:
    """``abc.ABCMeta``, usable only as ``metaclass=ABCMeta`` (it means the base ABC)."""

    __slots__ = ()
    __module__ = "abc"

    def __new__(cls, *args, **kwargs):
        raise TorchTypeError("abc.ABCMeta can only be named as metaclass=ABCMeta in adcli")


def make_table() -> dict:
    from adcli.lang.pylib.pybuiltins import TYPES, _register

    abc = TYPES.get(ABC) or _register(ABC, "abc.ABC", None)
    meta = TYPES.get(ABCMeta) or _register(ABCMeta, "abc.ABCMeta", None)
    return {"ABC": abc, "ABCMeta": meta, "abstractmethod": abstractmethod,
            "abstractproperty": lambda fget=None, fset=None, fdel=None, doc=None: property(
                abstractmethod(fget) if fget else None, fset, fdel, doc),
            "abstractclassmethod": lambda f: classmethod(abstractmethod(f)),
            "abstractstaticmethod": lambda f: staticmethod(abstractmethod(f))}

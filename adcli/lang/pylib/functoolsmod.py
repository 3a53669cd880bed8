"""``functools``: reduce, partial, lru_cache/cache (bounded), wraps, cmp_to_key,
total_ordering (for classes that are real Python types)."""

from __future__ import annotations

import functools as _ft

from adcli.errors import TorchTypeError
from adcli.lang.pylib._common import meter, object_bound

_MISSING = object()
_META = ("__name__", "__qualname__", "__doc__")


def reduce(function, iterable, *initial):
    return _ft.reduce(function, meter(iterable), *initial)


def _cap(maxsize):
    """A cache size within the Python-object bound (``None``, unbounded in Python, is
    the bound itself)."""
    bound = object_bound() or None
    if maxsize is None:
        return bound
    if not isinstance(maxsize, int):
        raise TorchTypeError("Expected first argument to be an integer, a callable, or None")
    return min(maxsize, bound) if bound else maxsize


def _cached(user_function, maxsize, typed):
    wrapper = _ft.lru_cache(_cap(maxsize), typed)(user_function)
    wrapper.adcli_maxsize = maxsize  # what cache_info() reports: the size asked for
    return wrapper


def lru_cache(maxsize=128, typed=False):
    if callable(maxsize) and not isinstance(maxsize, bool | int):
        return _cached(maxsize, 128, typed)
    _cap(maxsize)  # the argument's TypeError now, as Python's
    return lambda user_function: _cached(user_function, maxsize, typed)


def cache(user_function):
    return _cached(user_function, None, False)


def _cache_info(f):
    def cache_info():
        return f.cache_info()._replace(maxsize=getattr(f, "adcli_maxsize", None))

    return cache_info


def wraps(wrapped, assigned=None, updated=None):
    """Copies ``__name__``, ``__qualname__`` and ``__doc__`` (strings only) from
    ``wrapped`` to the function it decorates; nothing else."""

    def decorate(wrapper):
        for name in _META:
            value = getattr(wrapped, name, _MISSING)  # fixed names, never user text
            if value is None or isinstance(value, str):
                try:
                    setattr(wrapper, name, value)
                except (AttributeError, TypeError):
                    pass
        return wrapper

    return decorate


def total_ordering(cls):
    """Python's ``total_ordering`` for a class that is a real Python type (the
    interpreter's user classes); anything else is a TypeError."""
    if not isinstance(cls, type):
        raise TorchTypeError("total_ordering() needs a class")
    return _ft.total_ordering(cls)


CACHE_METHODS = {"cache_info": _cache_info, "cache_clear": lambda f: f.cache_clear}
PARTIAL_ATTRIBUTES = {"func": lambda p: p.func, "args": lambda p: p.args,
                      "keywords": lambda p: p.keywords}


def make_table() -> dict:
    from adcli.lang.pylib._common import PyType

    partial = PyType(_ft.partial, "functools.partial", _ft.partial)
    return {"reduce": reduce, "partial": partial, "lru_cache": lru_cache, "cache": cache,
            "wraps": wraps, "cmp_to_key": _ft.cmp_to_key, "total_ordering": total_ordering}

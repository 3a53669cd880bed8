"""``operator``: the operators as functions, each exactly what the script's own operator
does (the same bounded paths: ``operator.mul('a', 10**9)`` is refused as ``'a' * 10**9``
is), and ``itemgetter``/``attrgetter``/``methodcaller`` through the interpreter's item
access and attribute allow-list (never Python's ``getattr``)."""

from __future__ import annotations

import collections
import operator as _op

from adcli.errors import TorchTypeError
from adcli.lang.pylib._common import meter, register_type, type_name

_BIN = {"add": "+", "sub": "-", "mul": "*", "truediv": "/", "floordiv": "//", "mod": "%",
        "matmul": "@", "pow": "**"}
_BITS = {"and_": "&", "or_": "|", "xor": "^", "lshift": "<<", "rshift": ">>"}
_CMP = ("lt", "le", "gt", "ge", "eq", "ne", "is_", "is_not")
_FINITE = (list, tuple, str, bytes, dict, set, frozenset, range)


def _binary(name: str, sym: str):
    fn = getattr(_op, name)  # a fixed name

    def binary(a, b, /):
        from adcli.lang.operators import binop

        return binop(sym, a, b, fn)

    binary.__name__ = binary.__qualname__ = name
    return binary


def _bitwise(name: str, sym: str):
    def bitwise(a, b, /):
        from adcli.lang.interpreter import _bitwise_int

        return _bitwise_int(sym, a, b)

    bitwise.__name__ = bitwise.__qualname__ = name
    return bitwise


def _compare(name: str):
    fn = getattr(_op, name)

    def compare(a, b, /):
        from adcli.lang.operators import compare as _cmp

        return _cmp(fn, a, b)

    compare.__name__ = compare.__qualname__ = name
    return compare


def _unary(name: str, sym: str):
    fn = getattr(_op, name)

    def unary(a, /):
        from adcli.lang.classes import is_script_instance
        from adcli.lang.pylib._common import type_name as tn

        kinds = (int,) if sym == "~" else (int, float, complex)
        if sym != "~" and type(a) is collections.Counter:
            return fn(a)  # the positive (or negated negative) counts
        if _is_numpy(a):
            from adcli.lang.pylib.numpy_subset import ndarray_unary

            return ndarray_unary(sym, a, fn)  # numeric dtypes, numpy's errors
        if not isinstance(a, kinds) and type(a).__name__ != "Tensor" and \
                not is_script_instance(a) and not _is_numpy(a):
            raise TorchTypeError(f"bad operand type for unary {sym}: '{tn(a)}'")
        return fn(a)

    unary.__name__ = unary.__qualname__ = name
    return unary


def _is_numpy(a) -> bool:
    return type(a).__module__ == "numpy"


def concat(a, b, /):
    if not hasattr(type(a), "__getitem__") or isinstance(a, dict):
        raise TorchTypeError(f"'{type_name(a)}' object can't be concatenated")
    return _binary("add", "+")(a, b)


def contains(a, b, /):
    if isinstance(a, _FINITE) or type(a).__name__ in ("Tensor", "deque", "Counter",
                                                      "OrderedDict", "defaultdict"):
        return _op.contains(a, b)
    from adcli.lang.classes import is_script_instance

    if is_script_instance(a):
        return _op.contains(a, b)
    return _op.contains(meter(a), b)


def countOf(a, b, /):  # noqa: N802 - Python's name
    return _op.countOf(meter(a), b)


def indexOf(a, b, /):  # noqa: N802 - Python's name
    return _op.indexOf(meter(a), b)


def call(obj, /, *args, **kwargs):
    if not callable(obj):
        raise TorchTypeError(f"'{type_name(obj)}' object is not callable")
    return obj(*args, **kwargs)


class itemgetter:  # noqa: N801 - Python's name
    """``operator.itemgetter(*items)``: ``obj[item]`` as the script's own indexing."""

    __slots__ = ("_items", "_get")

    def __init__(self, get_item, *items) -> None:
        if not items:
            raise TorchTypeError("itemgetter expected 1 argument, got 0")
        self._items, self._get = items, get_item

    def __call__(self, obj, /):
        if len(self._items) == 1:
            return self._get(obj, self._items[0])
        return tuple(self._get(obj, i) for i in self._items)

    def __repr__(self) -> str:
        return f"operator.itemgetter({', '.join(map(repr, self._items))})"


class attrgetter:  # noqa: N801 - Python's name
    """``operator.attrgetter(*names)``: each (dotted) name through the allow-list."""

    __slots__ = ("_names", "_get")

    def __init__(self, get_attribute, *names) -> None:
        if not names:
            raise TorchTypeError("attrgetter expected 1 argument, got 0")
        for n in names:
            if not isinstance(n, str):
                raise TorchTypeError("attribute name must be a string")
        self._names, self._get = names, get_attribute

    def _one(self, obj, dotted: str):
        for part in dotted.split("."):
            obj = self._get(obj, part)
        return obj

    def __call__(self, obj, /):
        if len(self._names) == 1:
            return self._one(obj, self._names[0])
        return tuple(self._one(obj, n) for n in self._names)

    def __repr__(self) -> str:
        return f"operator.attrgetter({', '.join(map(repr, self._names))})"


class methodcaller:  # noqa: N801 - Python's name
    """``operator.methodcaller(name, *args, **kwargs)``: the method through the
    allow-list."""

    __slots__ = ("_name", "_args", "_kwargs", "_get")

    def __init__(self, get_attribute, name=None, /, *args, **kwargs) -> None:
        if name is None and not args:
            raise TorchTypeError("methodcaller needs at least one argument, the method name")
        if not isinstance(name, str):
            raise TorchTypeError("method name must be a string")
        self._name, self._args, self._kwargs, self._get = name, args, kwargs, get_attribute

    def __call__(self, obj, /):
        return self._get(obj, self._name)(*self._args, **self._kwargs)

    def __repr__(self) -> str:
        parts = [repr(self._name), *map(repr, self._args),
                 *(f"{k}={v!r}" for k, v in self._kwargs.items())]
        return f"operator.methodcaller({', '.join(parts)})"


for _cls in (itemgetter, attrgetter, methodcaller):
    register_type(_cls, {})


def make_table(hooks) -> dict:
    import builtins

    table: dict = {}
    for name, sym in _BIN.items():
        table[name] = _binary(name, sym)
    table["div"] = table["truediv"]
    for name, sym in _BITS.items():
        table[name] = _bitwise(name, sym)
    for name in _CMP:
        table[name] = _compare(name)
    table.update(neg=_unary("neg", "-"), pos=_unary("pos", "+"), invert=_unary("invert", "~"),
                 inv=_unary("inv", "~"))
    table.update(
        abs=builtins.abs, not_=_op.not_, truth=_op.truth,
        index=_op.index, concat=concat, contains=contains, countOf=countOf, indexOf=indexOf,
        getitem=lambda a, b, /: hooks.get_item(a, b), call=call,
        itemgetter=lambda *items: itemgetter(hooks.get_item, *items),
        attrgetter=lambda *names: attrgetter(hooks.get_attribute, *names),
        methodcaller=lambda *a, **k: methodcaller(hooks.get_attribute, *a, **k),
    )
    return table

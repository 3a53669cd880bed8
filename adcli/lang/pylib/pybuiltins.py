"""Python's builtins for ``.py`` programs, each with Python's semantics and a bound.

Types (``int``, ``str``, ``list``, ...) are ``PyType`` objects: calling one constructs
through a bounded constructor, ``repr`` is ``<class 'int'>``, and ``type(x)`` returns the
same object, so ``type(x) is int`` holds. ``getattr``/``hasattr``/``setattr`` are made by
``make_builtins(hooks)`` from the interpreter's allow-list callbacks.
"""

from __future__ import annotations

import builtins
import types

from adcli.errors import TorchTypeError
from adcli.lang import pyformat
from adcli.lang.pylib._common import (
    PyType,
    bounded_list,
    check_int_bits,
    check_int_result,
    check_objects,
    meter,
    type_name,
)
from adcli.lang.pylib.hooks import DEFAULT, Hooks

_MISSING = object()

# Names Python has that .py programs do not get (NameError, as for any unknown name).
ABSENT_BUILTINS = ("open", "eval", "exec", "compile", "globals", "locals",
                   "__import__", "input", "breakpoint", "help", "exit", "quit", "memoryview",
                   "delattr", "dir", "classmethod_descriptor")


# ---- constructors ------------------------------------------------------------------------
def _names():
    from adcli.lang import names

    return names


def make_list(iterable=()):
    return _names().PYTHON_BUILTINS["list"](meter(iterable))


def make_tuple(iterable=()):
    return _names().PYTHON_BUILTINS["tuple"](meter(iterable))


def make_set(iterable=()):
    return builtins.set(bounded_list(iterable, "set()"))


def make_frozenset(iterable=()):
    return builtins.frozenset(bounded_list(iterable, "frozenset()"))


def make_dict(*args, **kwargs):
    if len(args) > 1:
        raise TorchTypeError(f"dict expected at most 1 argument, got {len(args)}")
    if args:
        src = args[0]
        if not isinstance(src, dict):
            if hasattr(type(src), "keys") and hasattr(type(src), "__getitem__"):
                keys = bounded_list(src.keys(), "dict()")
                src = {k: src[k] for k in keys}
            else:
                src = bounded_list(src, "dict()")
        check_objects(len(src) + len(kwargs), "dict()")
        return builtins.dict(src, **kwargs)
    return builtins.dict(**kwargs)


def make_int(*args, **kwargs):
    return check_int_result(builtins.int(*args, **kwargs))


def make_bytes(*args, **kwargs):
    if args and isinstance(args[0], int):
        pyformat.check_size(args[0])
    elif args and not isinstance(args[0], str | bytes):
        args = (bounded_list(args[0], "bytes()"),) + args[1:]
    return builtins.bytes(*args, **kwargs)


def make_range(*args):
    return _names().PYTHON_BUILTINS["range"](*args)


def make_type(*args):
    if len(args) != 1:
        raise TorchTypeError("type() takes 1 argument in adcli (classes are made with "
                             "'class')")
    return type_of(args[0])


def make_object():
    return builtins.object()


def make_slice(*args):
    return builtins.slice(*args)


# ---- types -------------------------------------------------------------------------------
TYPES: dict[type, PyType] = {}


def _register(cls: type, name: str, make) -> PyType:
    t = PyType(cls, name, make)
    TYPES[cls] = t
    return t


INT = _register(int, "int", make_int)
FLOAT = _register(float, "float", builtins.float)
BOOL = _register(bool, "bool", builtins.bool)
STR = _register(str, "str", builtins.str)
LIST = _register(list, "list", make_list)
TUPLE = _register(tuple, "tuple", make_tuple)
DICT = _register(dict, "dict", make_dict)
SET = _register(set, "set", make_set)
FROZENSET = _register(frozenset, "frozenset", make_frozenset)
RANGE = _register(range, "range", make_range)
BYTES = _register(bytes, "bytes", make_bytes)
COMPLEX = _register(complex, "complex", builtins.complex)
NONETYPE = _register(type(None), "NoneType", lambda: None)
OBJECT = _register(object, "object", make_object)
TYPE = _register(type, "type", make_type)
SLICE = _register(slice, "slice", make_slice)
PROPERTY = _register(property, "property", builtins.property)
STATICMETHOD = _register(staticmethod, "staticmethod", builtins.staticmethod)
CLASSMETHOD = _register(classmethod, "classmethod", builtins.classmethod)
TYPES[PyType] = TYPE
_FUNCTION = _register(type(make_int), "function", None)
_BUILTIN = _register(type(len), "builtin_function_or_method", None)
_METHOD = _register(types.MethodType, "method", None)
_PY_FUNCTIONS: list = []  # ids of torch's members that are Python functions in torch


def script_function_types(*classes: type) -> None:
    """The interpreter's ``def`` and ``lambda`` classes: their type is ``function``."""
    for cls in classes:
        TYPES[cls] = _FUNCTION


def _function_type(obj) -> PyType:
    """``type(f)`` for a host callable: a script's functions and methods are ``function``
    and ``method``; the builtins and torch's functions are ``builtin_function_or_method``
    (C functions in CPython and torch), except torch.nn.functional's, which are Python."""
    if isinstance(obj, types.MethodType):
        func = obj.__func__
        if TYPES.get(type(func)) is _FUNCTION and type(func) is not types.FunctionType:
            return _METHOD  # a script class's method
        owner = type(obj.__self__)
        if "__adcli_names__" in owner.__dict__ or hasattr(owner, "__adcli_public__"):
            return _METHOD  # a module's or an optimizer's method: Python's in torch too
        return _BUILTIN  # print, a tensor's methods, the library's
    if type(obj) is not types.FunctionType:
        return _FUNCTION  # the interpreter's def / lambda
    if not _PY_FUNCTIONS:
        from adcli.lang import names

        _PY_FUNCTIONS.append(frozenset(map(id, names.F.members.values())))
    return _FUNCTION if id(obj) in _PY_FUNCTIONS[0] else _BUILTIN


_RETURN_TYPE_MODULES = frozenset(("adcli.engine.api", "adcli.engine.ops.linalg_solve",
                                  "adcli.engine.return_types"))
_RETURN_TYPE_NAMES = {"_LstsqReturn": "linalg_lstsq"}


def type_of(obj, hooks: Hooks = DEFAULT):
    """``type(obj)`` as a script sees it: a ``PyType`` (the same object each time)."""
    from adcli.lang.pylib._common import Metered

    if isinstance(obj, Metered):  # count(), repeat(x), cycle(...): the type it wraps
        obj = obj._source
    cls = type(obj)
    if cls.__name__ == "Tensor" and cls.__module__ in ("torch", "adcli.engine.tensor") \
            and obj._param:
        # an nn.Parameter (a marked Tensor here)
        from adcli.engine.nn.parameter import Parameter

        return TYPES.get(Parameter) or _register(Parameter, "torch.nn.parameter.Parameter",
                                                 None)
    t = TYPES.get(cls)
    if t is not None:
        if t is _FUNCTION or cls is types.MethodType:
            return _function_type(obj)
        return t
    user = hooks.type_of(obj)
    if user is not None:
        return user
    if ("__adcli_public__" in cls.__dict__ and cls.__module__.startswith("torch")) or \
            getattr(cls, "__adcli_subclassable__", False):
        return cls  # a torch class a script reaches by name (nn.Linear): the class itself
    t = getattr(cls, "_adcli_pytype", None)  # namedtuple classes made by collections
    if isinstance(t, PyType):
        return t
    if cls.__name__ == "Tensor" and cls.__module__ in ("torch", "adcli.engine.tensor"):
        return _register(cls, "torch.Tensor", None)
    module = cls.__module__
    if issubclass(cls, tuple) and module in _RETURN_TYPE_MODULES and hasattr(cls, "_fields"):
        # torch.return_types.max, .sort, .linalg_qr, ...: the engine's named results
        name = _RETURN_TYPE_NAMES.get(cls.__name__) or getattr(cls, "_name", "") or \
            cls.__name__
        return _register(cls, f"torch.return_types.{name}", None)
    name = cls.__name__ if module in ("builtins",) or module.startswith("adcli") \
        else f"{module}.{cls.__qualname__}"
    return _register(cls, name, None)


def _classinfo(ci, hooks: Hooks, fn: str):
    """The real classes of a classinfo (a PyType, a tuple of them), or None for a class
    the interpreter checks itself."""
    if isinstance(ci, PyType):
        return ci._cls
    if isinstance(ci, type):
        return ci
    return None


def _check(obj, ci, hooks: Hooks, fn: str, sub: bool) -> bool:
    if isinstance(ci, tuple):
        return any(_check(obj, c, hooks, fn, sub) for c in ci)
    cls = _classinfo(ci, hooks, fn)
    if cls is not None:
        if sub:
            real = obj._cls if isinstance(obj, PyType) else obj
            if not isinstance(real, type):
                res = hooks.subclasscheck(obj, ci)
                if res is NotImplemented:
                    raise TorchTypeError("issubclass() arg 1 must be a class")
                return bool(res)
            return builtins.issubclass(real, cls)
        return builtins.isinstance(obj, cls)
    res = (hooks.subclasscheck if sub else hooks.instancecheck)(obj, ci)
    if res is NotImplemented:
        raise TorchTypeError(f"{fn}() arg 2 must be a type, a tuple of types, or a union")
    return bool(res)


# ---- the functions -----------------------------------------------------------------------
def py_sum(iterable, /, start=0):
    if isinstance(start, str):
        raise TorchTypeError("sum() can't sum strings [use ''.join(seq) instead]")
    if isinstance(start, list | tuple):
        if isinstance(iterable, list | tuple):  # the whole size, before any copy
            check_objects(len(start) + builtins.sum(
                len(i) for i in iterable if isinstance(i, list | tuple)), "sum()")
        total, n = start, len(start)
        for item in meter(iterable):
            if isinstance(item, list | tuple):
                n += len(item)
                check_objects(n, "sum()")
            total = total + item
        return total
    return check_int_result(builtins.sum(meter(iterable), start))


def _min_max(fn, name: str):
    def minmax(*args, key=None, default=_MISSING):
        if not args:
            raise TorchTypeError(f"{name} expected at least 1 argument, got 0")
        if len(args) == 1:
            source = meter(args[0])
        else:
            if default is not _MISSING:
                raise TorchTypeError(f"Cannot specify a default for {name}() with multiple "
                                     "positional arguments")
            source = args
        if default is _MISSING:
            return fn(source, key=key)
        return fn(source, key=key, default=default)

    minmax.__name__ = name
    return minmax


def py_sorted(iterable, /, *, key=None, reverse=False):
    items = bounded_list(iterable, "sorted()")
    items.sort(key=key, reverse=reverse)
    return items


def py_map(fn, *iterables):
    if not iterables:
        raise TorchTypeError("map() must have at least two arguments.")
    return builtins.map(fn, *(meter(i) for i in iterables))


def py_filter(fn, iterable):
    return builtins.filter(fn, meter(iterable))


def py_any(iterable):
    return builtins.any(meter(iterable))


def py_all(iterable):
    return builtins.all(meter(iterable))


def py_pow(base, exp, mod=None):
    if mod is None and type(base) is int and type(exp) is int and exp > 0 \
            and base not in (0, 1, -1):
        check_int_bits(exp * (abs(base).bit_length() - 1) + 1, f"pow({base}, {exp})")
    if mod is None:
        return check_int_result(builtins.pow(base, exp))
    return builtins.pow(base, exp, mod)


def py_round(number, ndigits=None):
    if type(number) in (int, bool) and type(ndigits) is int and ndigits < 0 \
            and -ndigits > len(str(abs(number))) + 1:
        return 0  # what Python gives, without its power of ten of -ndigits digits
    return builtins.round(number, ndigits)


def py_iter(obj, *sentinel):
    return builtins.iter(obj, *sentinel)


def py_next(iterator, *default):
    """``next``: a finished iterator raises Python's ``StopIteration`` (the interpreter
    turns it into the script's StopIteration)."""
    return builtins.next(iterator, *default)


def py_divmod(a, b):
    return builtins.divmod(a, b)


def py_id(obj) -> int:
    return builtins.id(obj)


def make_format(hooks: Hooks = DEFAULT):
    def format(value, format_spec=""):  # noqa: A001 - Python's name
        pyformat.check_spec(format_spec)
        return hooks.format_value(value, format_spec)

    return format


def make_isinstance(hooks: Hooks = DEFAULT):
    def isinstance(obj, classinfo):  # noqa: A001
        return _check(obj, classinfo, hooks, "isinstance", False)

    return isinstance


def make_issubclass(hooks: Hooks = DEFAULT):
    def issubclass(cls, classinfo):  # noqa: A001
        return _check(cls, classinfo, hooks, "issubclass", True)

    return issubclass


def make_type_function(hooks: Hooks = DEFAULT):
    def type_(*args):
        if len(args) != 1:
            raise TorchTypeError("type() takes 1 argument in adcli (classes are made with "
                                 "'class')")
        return type_of(args[0], hooks)

    return PyType(type, "type", type_)


def _attr_name(name, fn: str) -> str:
    if not builtins.isinstance(name, str):
        raise TorchTypeError(f"{fn}(): attribute name must be string, not "
                             f"'{type_name(name)}'")
    return name


def make_getattr(get_attribute):
    """``getattr(obj, name[, default])`` through the interpreter's allow-list
    ``get_attribute(obj, name)``; never Python's getattr."""

    def getattr(obj, name, *default):  # noqa: A001
        if len(default) > 1:
            raise TorchTypeError(f"getattr expected at most 3 arguments, got {2 + len(default)}")
        name = _attr_name(name, "getattr")
        try:
            return get_attribute(obj, name)
        except AttributeError:
            if default:
                return default[0]
            raise

    return getattr


def make_hasattr(get_attribute):
    def hasattr(obj, name):  # noqa: A001
        name = _attr_name(name, "hasattr")
        try:
            get_attribute(obj, name)
        except AttributeError:
            return False
        return True

    return hasattr


def make_vars(get_attribute):
    """``vars(obj)``: ``obj.__dict__`` through the allow-list (a script instance's own
    dict); ``vars()`` (the caller's locals) is not offered."""

    def vars(*args):  # noqa: A001
        if not args:
            raise TorchTypeError("vars() without an argument (the local names) is not "
                                 "supported in adcli; give it an object")
        if len(args) > 1:
            raise TorchTypeError(f"vars expected at most 1 argument, got {len(args)}")
        try:
            return get_attribute(args[0], "__dict__")
        except AttributeError as e:
            if getattr(e, "adcli_limitation", False):
                raise
            raise TorchTypeError("vars() argument must have __dict__ attribute") from None

    return vars


def make_setattr(set_attribute):
    def setattr(obj, name, value):  # noqa: A001
        set_attribute(obj, _attr_name(name, "setattr"), value)

    return setattr


def make_repr(hooks: Hooks = DEFAULT):
    def repr(obj):  # noqa: A001
        return hooks.to_repr(obj)

    return repr


def _make_super(*args):
    from adcli.lang.classes import make_super

    return make_super(*args)


def py_reversed(seq):
    return builtins.reversed(seq)


def py_callable(obj) -> bool:
    return builtins.callable(obj)


def make_builtins(hooks: Hooks = DEFAULT) -> dict:
    """The builtins of ``.py`` mode (``print`` is the interpreter's, added by it)."""
    table = {
        "map": py_map, "filter": py_filter, "sorted": py_sorted, "reversed": py_reversed,
        "sum": py_sum, "min": _min_max(builtins.min, "min"),
        "max": _min_max(builtins.max, "max"), "abs": builtins.abs, "round": py_round,
        "isinstance": make_isinstance(hooks), "issubclass": make_issubclass(hooks),
        "type": make_type_function(hooks), "id": py_id, "repr": make_repr(hooks),
        "str": STR, "int": INT, "float": FLOAT, "bool": BOOL, "list": LIST, "tuple": TUPLE,
        "dict": DICT, "set": SET, "frozenset": FROZENSET, "range": RANGE, "bytes": BYTES,
        "complex": COMPLEX, "object": OBJECT, "slice": SLICE,
        "iter": py_iter, "next": py_next, "any": py_any, "all": py_all, "divmod": py_divmod,
        "pow": py_pow, "format": make_format(hooks),
        "getattr": make_getattr(hooks.get_attribute),
        "hasattr": make_hasattr(hooks.get_attribute),
        "setattr": make_setattr(hooks.set_attribute),
        "vars": make_vars(hooks.get_attribute),
        "len": builtins.len, "enumerate": _names().PYTHON_BUILTINS["enumerate"],
        "zip": _names().PYTHON_BUILTINS["zip"], "chr": builtins.chr, "ord": builtins.ord,
        "hex": builtins.hex, "oct": builtins.oct, "bin": builtins.bin, "hash": builtins.hash,
        "callable": py_callable, "ascii": builtins.ascii,
        "property": PROPERTY, "staticmethod": STATICMETHOD, "classmethod": CLASSMETHOD,
        "super": _make_super,
        "True": True, "False": False, "None": None, "NotImplemented": NotImplemented,
        "Ellipsis": Ellipsis,
    }
    return table


# ---- attributes of the types themselves: str.join(sep, items), dict.fromkeys(...) -------
def make_type_attribute(method_tables: dict):
    """``type_attribute(pytype, name)``: ``str.upper``, ``dict.fromkeys``, ``int.__name__``
    for the builtin types: an unbound method from the method tables, or AttributeError."""
    from adcli.errors import TorchAttributeError

    def type_attribute(t: PyType, name: str):
        if name == "__name__":
            return t.__name__
        own = getattr(type(t), "class_attribute", None)  # a library class's own members
        if own is not None:
            return own(t, name)
        if t._cls is int and name == "from_bytes":
            from adcli.lang.pylib.methods import int_from_bytes

            return int_from_bytes
        if t._cls is str and name == "maketrans":  # a static method
            from adcli.lang.pylib.methods import str_maketrans

            return str_maketrans
        if t._cls is dict and name == "fromkeys":
            from adcli.lang.pylib.methods import dict_fromkeys

            return lambda iterable, value=None: dict_fromkeys(dict, iterable, value)
        table = method_tables.get(t._cls)
        acc = table.get(name) if table else None
        if acc is None:
            raise TorchAttributeError(f"type object '{t.__name__}' has no attribute '{name}'")

        def unbound(obj, *args, **kwargs):
            if not builtins.isinstance(obj, t._cls):
                raise TorchTypeError(f"descriptor '{name}' for '{t.__name__}' objects doesn't "
                                     f"apply to a '{type_name(obj)}' object")
            return acc(obj)(*args, **kwargs)

        return unbound

    return type_attribute


PY_BUILTINS = make_builtins()

__all__ = ["PY_BUILTINS", "ABSENT_BUILTINS", "TYPES", "make_builtins", "make_getattr",
           "make_hasattr", "make_setattr", "make_type_attribute", "type_of"]

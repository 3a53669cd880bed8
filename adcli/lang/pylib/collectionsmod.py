"""``collections``: Counter, defaultdict, OrderedDict, deque, ChainMap and namedtuple.

The classes are Python's own, reached through ``PyType`` constructors that bound what
they build; their instances have accessor tables here (``INSTANCE_METHODS``). A
``namedtuple`` class is built here without ``exec`` (CPython's ``namedtuple`` compiles
code and reads the caller's frame): a tuple subclass whose instances expose only their
field names, ``_asdict``, ``_replace``, ``_fields`` and ``_make``.
"""

from __future__ import annotations

import keyword
import operator
from collections import ChainMap, Counter, OrderedDict, defaultdict, deque

from adcli.errors import TorchAttributeError, TorchTypeError, TorchValueError
from adcli.lang.pylib._common import (
    PyType,
    bounded_list,
    check_objects,
    meter,
    method,
    native,
    type_name,
)
from adcli.lang.pylib.methods import DICT_METHODS, dict_update

MAX_FIELDS = 255  # as many as a call takes positional arguments, in old Pythons


# ---- constructors -------------------------------------------------------------------------
def _source(args, what: str):
    if not args:
        return ()
    src = args[0]
    if isinstance(src, dict):
        return (src,)
    return (bounded_list(src, what),)


def make_counter(*args, **kwargs):
    if len(args) > 1:
        raise TorchTypeError(f"expected at most 1 argument, got {len(args)}")
    return Counter(*_source(args, "Counter()"), **kwargs)


def make_ordered_dict(*args, **kwargs):
    if len(args) > 1:
        raise TorchTypeError(f"expected at most 1 arguments, got {len(args)}")
    return OrderedDict(*_source(args, "OrderedDict()"), **kwargs)


def make_defaultdict(default_factory=None, *args, **kwargs):
    if default_factory is not None and not callable(default_factory):
        raise TorchTypeError("first argument must be callable or None")
    return defaultdict(default_factory, *_source(args, "defaultdict()"), **kwargs)


def make_deque(iterable=(), maxlen=None):
    if maxlen is not None:
        maxlen = operator.index(maxlen)
        if maxlen < 0:
            raise TorchValueError("maxlen must be non-negative")
        d = deque(maxlen=maxlen)
        for item in meter(iterable):  # a bounded deque keeps only the last items
            d.append(item)
        return d
    return deque(bounded_list(iterable, "deque()"))


def make_chainmap(*maps):
    cm = ChainMap(*maps)
    check_chainmap(cm)
    return cm


def check_chainmap(cm) -> None:
    """A ChainMap that ``cm[key]``, ``cm[key] = v`` and ``del cm[key]`` may read: its maps
    (``.maps`` is a list a script can change) are dicts or ChainMaps of them, so that a
    key reaches only dict lookups (never numpy or tensor indexing)."""
    stack, seen = [cm], set()
    while stack:
        current = stack.pop()
        if id(current) in seen:
            continue
        seen.add(id(current))
        if not isinstance(current.maps, list):
            raise TorchTypeError("ChainMap.maps must be a list")
        for m in current.maps:
            if isinstance(m, ChainMap):
                stack.append(m)
            elif not isinstance(m, dict):
                raise TorchTypeError("adcli's ChainMap holds only dicts and ChainMaps, "
                                     f"not '{type_name(m)}'")


# ---- namedtuple ----------------------------------------------------------------------------
class NamedTupleBase(tuple):
    """The base of every namedtuple class that ``namedtuple`` makes here."""

    __slots__ = ()
    _fields: tuple = ()
    _field_defaults: dict = {}
    _adcli_pytype = None

    def __new__(cls, /, *args, **kwargs):
        fields = cls._fields
        if len(args) > len(fields):
            raise TorchTypeError(f"{cls.__name__}.__new__() takes {len(fields) + 1} positional "
                                 f"arguments but {len(args) + 1} were given")
        values = list(args)
        for name in fields[len(args):]:
            if name in kwargs:
                values.append(kwargs.pop(name))
            elif name in cls._field_defaults:
                values.append(cls._field_defaults[name])
            else:
                missing = [f for f in fields[len(values):] if f not in kwargs
                           and f not in cls._field_defaults]
                raise TorchTypeError(f"{cls.__name__}.__new__() missing {len(missing)} "
                                     f"required positional argument"
                                     f"{'s' if len(missing) > 1 else ''}: "
                                     + ", ".join(repr(m) for m in missing))
        for name in kwargs:
            if name in fields:
                raise TorchTypeError(f"{cls.__name__}.__new__() got multiple values for "
                                     f"argument '{name}'")
            raise TorchTypeError(f"{cls.__name__}.__new__() got an unexpected keyword "
                                 f"argument '{name}'")
        return tuple.__new__(cls, values)

    @classmethod
    def _make(cls, iterable):
        items = bounded_list(iterable, f"{cls.__name__}._make()")
        if len(items) != len(cls._fields):
            raise TorchTypeError(f"Expected {len(cls._fields)} arguments, got {len(items)}")
        return tuple.__new__(cls, items)

    def _asdict(self) -> dict:
        return dict(zip(self._fields, self))

    def _replace(self, /, **kwargs):
        values = [kwargs.pop(name, value) for name, value in zip(self._fields, self)]
        if kwargs:
            raise TorchValueError(f"Got unexpected field names: {list(kwargs)!r}")
        return tuple.__new__(type(self), values)

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={v!r}" for n, v in zip(self._fields, self))
        return f"{type(self).__name__}({inner})"

    def __getnewargs__(self):
        return tuple(self)


def _field_names(field_names) -> list[str]:
    if isinstance(field_names, str):
        names = field_names.replace(",", " ").split()
    else:
        names = bounded_list(field_names, "namedtuple() field_names")
    if len(names) > MAX_FIELDS:
        raise TorchValueError(f"namedtuple() takes at most {MAX_FIELDS} fields in adcli")
    for n in names:
        if not isinstance(n, str):
            raise TorchTypeError("Type names and field names must be strings")
    return list(names)


def namedtuple(typename, field_names, *, rename=False, defaults=None, module=None):
    if not isinstance(typename, str):
        raise TorchTypeError("Type names and field names must be strings")
    names = _field_names(field_names)
    if rename:
        seen: set = set()
        for i, n in enumerate(names):
            if (not n.isidentifier() or keyword.iskeyword(n) or n.startswith("_")
                    or n in seen):
                names[i] = f"_{i}"
            seen.add(names[i])
    for n in [typename] + names:
        if not n.isidentifier():
            raise TorchValueError(f"Type names and field names must be valid identifiers: "
                                  f"{n!r}")
        if keyword.iskeyword(n):
            raise TorchValueError(f"Type names and field names cannot be a keyword: {n!r}")
    seen = set()
    for n in names:
        if n.startswith("_") and not rename:
            raise TorchValueError(f"Field names cannot start with an underscore: {n!r}")
        if n in seen:
            raise TorchValueError(f"Encountered duplicate field name: {n!r}")
        seen.add(n)
    field_defaults = {}
    if defaults is not None:
        defaults = tuple(bounded_list(defaults, "namedtuple() defaults"))
        if len(defaults) > len(names):
            raise TorchTypeError("Got more default values than field names")
        field_defaults = dict(reversed(list(zip(reversed(names), reversed(defaults)))))
    body = {"__slots__": (), "_fields": tuple(names), "_field_defaults": field_defaults,
            "__match_args__": tuple(names),
            "__module__": "__main__" if module is None else str(module),
            "__qualname__": typename, "__doc__": f"{typename}({', '.join(names)})"}
    for i, n in enumerate(names):
        body[n] = property(operator.itemgetter(i))
    cls = type(typename, (NamedTupleBase,), body)
    pytype = PyType(cls, f"{body['__module__']}.{typename}", cls)
    cls._adcli_pytype = pytype
    return pytype


def namedtuple_attribute(obj, name: str):
    """``obj.name`` for an instance of a namedtuple class made here: a field, or one of
    ``_asdict``/``_replace``/``_fields``/``_make``."""
    cls = type(obj)
    if name in cls._fields:
        return obj[cls._fields.index(name)]
    if name in ("_asdict", "_replace", "_make"):
        return getattr(obj, name)  # fixed names
    if name in ("_fields", "_field_defaults"):
        return getattr(cls, name)
    if name in getattr(cls, "_adcli_methods", ()):  # a NamedTuple class body's own
        return getattr(obj, name)
    raise TorchAttributeError(f"'{cls.__name__}' object has no attribute '{name}'")


def namedtuple_class_attribute(t: PyType, name: str):
    """``Point._fields``, ``Point._make(...)``, ``Point.x`` is not offered."""
    cls = t._cls
    if name in ("_fields", "_field_defaults", "_make", "__match_args__") or name in \
            getattr(cls, "_adcli_methods", ()):
        return getattr(cls, name)
    if name in ("__name__", "__qualname__", "__doc__"):
        return getattr(cls, name)
    raise TorchAttributeError(f"type object '{cls.__name__}' has no attribute '{name}'")


# ---- instance tables -----------------------------------------------------------------------
def _counter_update(c, /, *args, **kwargs):
    if args and not isinstance(args[0], dict):
        args = (bounded_list(args[0], "Counter.update()"),) + args[1:]
    check_objects(len(c) + sum(len(a) for a in args), "Counter.update()")
    c.update(*args, **kwargs)


def _counter_subtract(c, /, *args, **kwargs):
    if args and not isinstance(args[0], dict):
        args = (bounded_list(args[0], "Counter.subtract()"),) + args[1:]
    c.subtract(*args, **kwargs)


def _most_common(c, n=None):
    return c.most_common(n)


def _elements(c):
    return meter(c.elements())


COUNTER_METHODS = {**DICT_METHODS, "most_common": method(_most_common, "most_common"),
                   "elements": method(_elements, "elements"), "total": native("total"),
                   "update": method(_counter_update, "update"),
                   "subtract": method(_counter_subtract, "subtract")}
DEFAULTDICT_METHODS = {**DICT_METHODS, "default_factory": operator.attrgetter("default_factory")}
ORDERED_DICT_METHODS = {**DICT_METHODS, "move_to_end": native("move_to_end")}


def _deque_extend(d, iterable):
    items = bounded_list(iterable, "deque.extend()")
    if d.maxlen is None:
        check_objects(len(d) + len(items), "deque.extend()")
    d.extend(items)


def _deque_extendleft(d, iterable):
    items = bounded_list(iterable, "deque.extendleft()")
    if d.maxlen is None:
        check_objects(len(d) + len(items), "deque.extendleft()")
    d.extendleft(items)


DEQUE_METHODS = {name: native(name) for name in (
    "append", "appendleft", "pop", "popleft", "clear", "count", "index", "insert", "remove",
    "reverse", "rotate", "copy", "maxlen")}
DEQUE_METHODS.update(extend=method(_deque_extend, "extend"),
                     extendleft=method(_deque_extendleft, "extendleft"))
def _checked(accessor):
    """A ChainMap member read only once its maps are dicts (or ChainMaps of them): its
    methods look keys up in every map."""
    def read(cm):
        check_chainmap(cm)
        return accessor(cm)

    return read


CHAINMAP_METHODS = {name: _checked(native(name)) for name in (
    "get", "keys", "values", "items", "pop", "popitem", "clear", "copy", "new_child",
    "parents", "setdefault")}
CHAINMAP_METHODS["maps"] = native("maps")
CHAINMAP_METHODS["update"] = _checked(method(dict_update, "update"))

# Most specific first: the interpreter can take the first isinstance match.
INSTANCE_METHODS = ((Counter, COUNTER_METHODS), (OrderedDict, ORDERED_DICT_METHODS),
                    (defaultdict, DEFAULTDICT_METHODS), (deque, DEQUE_METHODS),
                    (ChainMap, CHAINMAP_METHODS))

COUNTER = PyType(Counter, "collections.Counter", make_counter)
DEFAULTDICT = PyType(defaultdict, "collections.defaultdict", make_defaultdict)
ORDERED_DICT = PyType(OrderedDict, "collections.OrderedDict", make_ordered_dict)
DEQUE = PyType(deque, "collections.deque", make_deque)
CHAINMAP = PyType(ChainMap, "collections.ChainMap", make_chainmap)


def _register_types() -> None:
    from adcli.lang.pylib.pybuiltins import TYPES

    for t in (COUNTER, DEFAULTDICT, ORDERED_DICT, DEQUE, CHAINMAP):
        TYPES.setdefault(t._cls, t)


_register_types()


def make_table() -> dict:
    return {"Counter": COUNTER, "defaultdict": DEFAULTDICT, "OrderedDict": ORDERED_DICT,
            "deque": DEQUE, "ChainMap": CHAINMAP, "namedtuple": namedtuple}


"""``dataclasses``: ``dataclass field fields asdict astuple replace is_dataclass``.

``@dataclass`` adds to a script's class (a real Python class, see ``lang/classes.py``)
the methods Python's would generate: ``__init__`` (defaults, ``default_factory``,
``__post_init__``), ``__repr__``, ``__eq__``, the order methods with ``order=True``,
``__hash__`` by Python's rules, and with ``frozen=True`` a ``__setattr__`` that refuses
to assign a field. The methods are closures written here (never ``exec``), with
CPython's messages. The fields are the class body's annotated names, in order, which
the interpreter records as ``__annotations__`` in the class namespace.
"""

from __future__ import annotations

import reprlib

from adcli.errors import TorchAttributeError, TorchTypeError, TorchValueError
from adcli.lang.pylib._common import check_objects, register_type, type_name

FIELDS = "__adcli_dataclass_fields__"
PARAMS = "__adcli_dataclass_params__"
_MARK = "__adcli_names__"


class _Missing:
    __slots__ = ()

    def __repr__(self) -> str:
        return "<dataclasses._MISSING_TYPE object>"


MISSING = _Missing()


class Field:
    __slots__ = ("name", "type", "default", "default_factory", "init", "repr", "hash",
                 "compare", "kw_only")

    def __init__(self, default, default_factory, init, repr, hash, compare,  # noqa: A002
                 kw_only) -> None:
        self.name = None
        self.type = None
        self.default, self.default_factory = default, default_factory
        self.init, self.repr, self.hash, self.compare = init, repr, hash, compare
        self.kw_only = kw_only

    def __repr__(self) -> str:
        return (f"Field(name={self.name!r},type={self.type!r},default={self.default!r},"
                f"default_factory={self.default_factory!r},init={self.init!r},"
                f"repr={self.repr!r},hash={self.hash!r},compare={self.compare!r},"
                "metadata=mappingproxy({}),kw_only=" + repr(self.kw_only) + ","
                "_field_type=_FIELD)")


register_type(Field, {n: (lambda f, n=n: getattr(f, n)) for n in Field.__slots__})


def field(*, default=MISSING, default_factory=MISSING, init=True, repr=True,  # noqa: A002
          hash=None, compare=True, metadata=None, kw_only=MISSING):  # noqa: A002
    if default is not MISSING and default_factory is not MISSING:
        raise TorchValueError("cannot specify both default and default_factory")
    return Field(default, default_factory, init, repr, hash, compare,
                 False if kw_only is MISSING else kw_only)


class FrozenInstanceError(TorchAttributeError):
    kind = "dataclasses.FrozenInstanceError"


class FrozenInstance(AttributeError):
    """What ``except ... as e`` binds: ``type(e).__name__`` is Python's name."""


FrozenInstance.__name__ = FrozenInstance.__qualname__ = "FrozenInstanceError"
FrozenInstance.__module__ = "dataclasses"


def _frozen_error(name: str) -> FrozenInstanceError:
    err = FrozenInstanceError(f"cannot assign to field {name!r}")
    err._script_value = FrozenInstance(f"cannot assign to field {name!r}")
    return err


def _annotations_supported() -> bool:
    from adcli.lang import classes

    return "__annotations__" in classes.DEFINABLE


def _is_classvar(annotation) -> bool:
    text = annotation if isinstance(annotation, str) else repr(annotation)
    return text.startswith(("ClassVar", "typing.ClassVar"))


def _plural(names: list[str]) -> str:
    quoted = [repr(n) for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} and {quoted[1]}"
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


def _make_init(cls, fields: list, frozen: bool):
    qual = cls.__qualname__
    params = [f for f in fields if f.init]
    positional = [f for f in params if not f.kw_only]
    names = {f.name for f in params}
    setter = object.__setattr__ if frozen else None

    def __init__(self, *args, **kwargs):
        if len(args) > len(positional):
            required = sum(1 for f in positional
                           if f.default is MISSING and f.default_factory is MISSING)
            if required == len(positional):
                takes = f"{len(positional) + 1} positional argument" + (
                    "s" if len(positional) else "")
            else:
                takes = f"from {required + 1} to {len(positional) + 1} positional arguments"
            raise TorchTypeError(f"{qual}.__init__() takes {takes} but {len(args) + 1} "
                                 f"{'was' if len(args) == 0 else 'were'} given")
        values = {}
        for f, v in zip(positional, args):
            values[f.name] = v
        for k, v in kwargs.items():
            if k not in names:
                raise TorchTypeError(f"{qual}.__init__() got an unexpected keyword argument "
                                     f"'{k}'")
            if k in values:
                raise TorchTypeError(f"{qual}.__init__() got multiple values for argument "
                                     f"'{k}'")
            values[k] = v
        missing = [f.name for f in params if f.name not in values
                   and f.default is MISSING and f.default_factory is MISSING]
        if missing:
            pos_missing = [n for n in missing if n not in
                           {f.name for f in params if f.kw_only}]
            kind = "positional" if pos_missing else "keyword-only"
            shown = pos_missing or missing
            raise TorchTypeError(f"{qual}.__init__() missing {len(shown)} required {kind} "
                                 f"argument{'s' if len(shown) > 1 else ''}: "
                                 f"{_plural(shown)}")
        for f in fields:
            if f.name in values:
                v = values[f.name]
            elif f.default_factory is not MISSING:
                v = f.default_factory()
            elif f.default is not MISSING:
                v = f.default
            else:
                continue  # init=False without a default: left unset, as in Python
            if setter is not None:
                setter(self, f.name, v)
            else:
                setattr(self, f.name, v)  # a field name, never a dunder
        post = _script_method(type(self), "__post_init__")
        if post is not None:
            post(self)  # a script function taken from the class: self passed explicitly

    __init__.__qualname__ = f"{qual}.__init__"
    return __init__


def _script_method(cls, name: str):
    from adcli.lang.classes import _defined

    return getattr(cls, name) if _defined(cls, name) else None


def _values(obj, fields, what: str) -> tuple:
    return tuple(getattr(obj, f.name) for f in fields if getattr(f, what))


def _make_repr(cls, fields):
    shown = [f for f in fields if f.repr]

    @reprlib.recursive_repr()
    def __repr__(self):
        inner = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in shown)
        return f"{type(self).__qualname__}({inner})"

    return __repr__


def _make_compare(cls, fields, op):
    compared = [f for f in fields if f.compare]

    def method(self, other):
        if other.__class__ is self.__class__:
            return op(_values(self, compared, "compare"), _values(other, compared, "compare"))
        return NotImplemented

    return method


def _set_method(cls, name: str, fn) -> None:
    fn.__name__ = name
    fn.__qualname__ = f"{cls.__qualname__}.{name}"
    type.__setattr__(cls, name, fn)
    names = cls.__dict__.get(_MARK)
    if names is not None and name not in names and name not in (
            "__init__", "__repr__", "__eq__", "__lt__", "__le__", "__gt__", "__ge__",
            "__hash__", "__setattr__", "__delattr__"):
        type.__setattr__(cls, _MARK, names | {name})


def _process(cls, init, repr, eq, order, unsafe_hash, frozen,  # noqa: A002
             match_args=True):
    import operator

    from adcli.lang.classes import is_script_class

    if not is_script_class(cls):
        raise TorchTypeError(f"dataclass() should be called on a class, not "
                             f"{type_name(cls)}")
    if not _annotations_supported():
        from adcli.errors import TorchNotImplementedError

        raise TorchNotImplementedError("@dataclass needs the class body's annotations, "
                                       "which this adcli does not record yet")
    fields: dict = {}
    for base in reversed(cls.__mro__[1:]):
        for f in base.__dict__.get(FIELDS, ()):
            fields[f.name] = f
    annotations = cls.__dict__.get("__annotations__", {})
    check_objects(len(annotations), "dataclass fields")
    for name, annotation in annotations.items():
        if _is_classvar(annotation):
            continue
        value = cls.__dict__.get(name, MISSING)
        f = value if isinstance(value, Field) else field(default=value)
        f.name, f.type = name, annotation
        if isinstance(f.default, list | dict | set):
            raise TorchValueError(f"mutable default {type(f.default)} for field {name} is not "
                                  "allowed: use default_factory")
        if isinstance(value, Field):
            if f.default is MISSING:
                type.__delattr__(cls, name)
            else:
                type.__setattr__(cls, name, f.default)
        fields.pop(name, None)
        fields[name] = f
    flist = list(fields.values())
    seen_default = False
    for f in flist:
        if f.init and not f.kw_only:
            has = f.default is not MISSING or f.default_factory is not MISSING
            if not has and seen_default:
                raise TorchTypeError(f"non-default argument {f.name!r} follows default "
                                     "argument")
            seen_default = seen_default or has
    type.__setattr__(cls, FIELDS, tuple(flist))
    type.__setattr__(cls, PARAMS, {"init": init, "repr": repr, "eq": eq, "order": order,
                                   "frozen": frozen})
    own = cls.__dict__.get(_MARK, frozenset())
    if init and "__init__" not in own:
        _set_method(cls, "__init__", _make_init(cls, flist, frozen))
    if repr and "__repr__" not in own:
        _set_method(cls, "__repr__", _make_repr(cls, flist))
    if eq and "__eq__" not in own:
        _set_method(cls, "__eq__", _make_compare(cls, flist, operator.eq))
    if match_args and "__match_args__" not in cls.__dict__:  # what `case Point(x, y)` reads
        type.__setattr__(cls, "__match_args__",
                         tuple(f.name for f in flist if f.init and not f.kw_only))
        type.__setattr__(cls, _MARK, cls.__dict__[_MARK] | {"__match_args__"})
    if order:
        if not eq:
            raise TorchValueError("eq must be true if order is true")
        for name, op in (("__lt__", operator.lt), ("__le__", operator.le),
                         ("__gt__", operator.gt), ("__ge__", operator.ge)):
            if name in own:
                raise TorchTypeError(f"Cannot overwrite attribute {name} in class "
                                     f"{cls.__name__}. Consider using functools."
                                     "total_ordering")
            _set_method(cls, name, _make_compare(cls, flist, op))
    if frozen:
        names = {f.name for f in flist}

        def __setattr__(self, name, value):
            if type(self) is cls or name in names:
                raise _frozen_error(name)
            object.__setattr__(self, name, value)

        def __delattr__(self, name):
            if type(self) is cls or name in names:
                raise FrozenInstanceError(f"cannot delete field {name!r}")
            object.__delattr__(self, name)

        _set_method(cls, "__setattr__", __setattr__)
        _set_method(cls, "__delattr__", __delattr__)
    has_hash = "__hash__" in own
    hashed = [f for f in flist if (f.compare if f.hash is None else f.hash)]
    if unsafe_hash or (eq and frozen and not has_hash):
        _set_method(cls, "__hash__", lambda self: hash(_values(self, hashed, "name")))
    elif eq and not frozen and not has_hash:
        type.__setattr__(cls, "__hash__", None)
    return cls


def dataclass(cls=None, /, *, init=True, repr=True, eq=True, order=False,  # noqa: A002
              unsafe_hash=False, frozen=False, match_args=True, kw_only=False, slots=False,
              weakref_slot=False):
    if slots:
        raise TorchTypeError("dataclass(slots=True) is not supported in adcli")

    def wrap(c):
        return _process(c, init, repr, eq, order, unsafe_hash, frozen, match_args)

    return wrap if cls is None else wrap(cls)


def _fields_of(obj, fn: str) -> tuple:
    cls = obj if isinstance(obj, type) else type(obj)
    fl = cls.__dict__.get(FIELDS) if isinstance(cls, type) else None
    if fl is None:
        for k in getattr(cls, "__mro__", ()):
            if FIELDS in k.__dict__:
                fl = k.__dict__[FIELDS]
                break
    if fl is None:
        raise TorchTypeError(f"{fn}() should be called on dataclass instances"
                             if fn != "fields" else
                             "must be called with a dataclass type or instance")
    return fl


def fields(obj):
    return tuple(_fields_of(obj, "fields"))


def is_dataclass(obj):
    try:
        _fields_of(obj, "fields")
    except TorchTypeError:
        return False
    return True


def _convert(obj, factory, budget: list, depth: int):
    if depth > 1000:
        from adcli.errors import LimitError

        raise LimitError("asdict/astuple: the value nests more than 1000 levels deep")
    budget[0] += 1
    if not budget[0] & 0xFFF:
        check_objects(budget[0], "asdict/astuple items")
    if not isinstance(obj, type) and is_dataclass(obj):
        items = [(f.name, _convert(getattr(obj, f.name), factory, budget, depth + 1))
                 for f in _fields_of(obj, "asdict")]
        return factory(items)
    if isinstance(obj, tuple) and hasattr(type(obj), "_fields"):
        return type(obj)(*[_convert(v, factory, budget, depth + 1) for v in obj])
    if isinstance(obj, list | tuple):
        return type(obj)(_convert(v, factory, budget, depth + 1) for v in obj)
    if isinstance(obj, dict):
        return type(obj)((_convert(k, factory, budget, depth + 1),
                          _convert(v, factory, budget, depth + 1)) for k, v in obj.items())
    if obj is None or isinstance(obj, int | float | str | bytes | complex | frozenset):
        return obj
    if not _DEEPCOPY:
        from adcli.lang.pylib import copymod
        from adcli.lang.pylib.hooks import DEFAULT

        _DEEPCOPY.append(copymod.make_table(_HOOKS[0] if _HOOKS else DEFAULT)["deepcopy"])
    return _DEEPCOPY[0](obj)


_HOOKS: list = []
_DEEPCOPY: list = []


def asdict(obj, *, dict_factory=dict):
    if isinstance(obj, type) or not is_dataclass(obj):
        raise TorchTypeError("asdict() should be called on dataclass instances")
    return _convert(obj, dict_factory, [0], 0)


def astuple(obj, *, tuple_factory=tuple):
    if isinstance(obj, type) or not is_dataclass(obj):
        raise TorchTypeError("astuple() should be called on dataclass instances")
    return _convert(obj, lambda items: tuple_factory([v for _, v in items]), [0], 0)


def replace(obj, /, **changes):
    if isinstance(obj, type) or not is_dataclass(obj):
        raise TorchTypeError("replace() should be called on dataclass instances")
    for f in _fields_of(obj, "replace"):
        if not f.init:
            if f.name in changes:
                raise TorchValueError(f"field {f.name} is declared with init=False, it cannot "
                                      "be specified with replace()")
            continue
        if f.name not in changes:
            changes[f.name] = getattr(obj, f.name)
    return type(obj)(**changes)


def make_table(hooks) -> dict:
    if not _HOOKS:
        _HOOKS.append(hooks)
    return {"dataclass": dataclass, "field": field, "fields": fields, "asdict": asdict,
            "astuple": astuple, "replace": replace, "is_dataclass": is_dataclass,
            "MISSING": MISSING,
            "FrozenInstanceError": _pytype(FrozenInstance, "dataclasses.FrozenInstanceError")}


def _pytype(cls, name):
    from adcli.lang.pylib.pybuiltins import TYPES, _register

    return TYPES.get(cls) or _register(cls, name, None)

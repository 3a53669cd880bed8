"""User classes: ``class`` statements made into real Python classes, reached only through
an allow-list.

A script's class is a host class made with ``type(name, bases, namespace)``, so Python
itself gives it its MRO, ``isinstance``, descriptors (``@property``, ``@staticmethod``,
``@classmethod``) and every special method a builtin calls (``len``, ``sorted``,
``print``, ``in``, ``+``). The script never touches the host object model directly:

- a script class is marked by ``__adcli_names__``, the names its own body defined (a
  script cannot set a dunder, so it cannot forge the mark or the names);
- ``instance_attribute``/``class_attribute`` read a name only when a script class in
  the MRO defined it, the instance holds it, or it is on the short ``_HOST_DUNDERS``
  list (``__init__``, ``__repr__``, ...); ``__dict__``, ``__subclasses__``,
  ``__globals__`` and the rest of Python's object model stay out of reach;
- a class body may define only the special methods in ``DEFINABLE``: never ``__del__``
  (it would run outside the program), ``__getattribute__`` or the class-creation hooks;
- bases are script classes, ``object`` and the builtin exceptions (and host classes that
  declare ``__adcli_subclassable__``);
- attribute writes never take a dunder name, and ``super()`` resolves through the same
  rules (its ``__setattr__`` is a checked one).
"""

from __future__ import annotations

import enum
import types

from adcli.errors import AdcliSyntaxError, TorchAttributeError, TorchTypeError
from adcli.lang.ast import DUNDER_CLASS_DATA, DUNDER_METHODS

MARK = "__adcli_names__"

# special methods a class body may define: the parser's list (it refuses any other
# dunder def); the data names a class body makes besides
DEFINABLE = DUNDER_METHODS | DUNDER_CLASS_DATA | {"__doc__", "__module__", "__qualname__",
                                                  "__annotations__"}

# dunders of the host bases (object, the exceptions) that a script may read
_HOST_DUNDERS = frozenset(f"__{n}__" for n in (
    "init new repr str eq ne lt le gt ge hash format setattr delattr init_subclass").split())

# what a script reads on a class itself
_CLASS_DUNDERS = frozenset(("__name__", "__qualname__", "__doc__"))


def _host(fn, *args):
    """Python's getattr/setattr/delattr on a script value: its AttributeError (a property
    without a setter, a slot never set) as the script's."""
    try:
        return fn(*args)
    except AttributeError as e:
        if isinstance(e, TorchAttributeError):
            raise
        raise TorchAttributeError(str(e)) from None


def is_dunder(name: str) -> bool:
    return len(name) > 4 and name.startswith("__") and name.endswith("__")


def is_script_class(obj) -> bool:
    return isinstance(obj, type) and MARK in obj.__dict__


def is_script_enum(obj) -> bool:
    """A script's enum class (made by ``make_enum_class``)."""
    return isinstance(obj, enum.EnumMeta) and MARK in obj.__dict__


def is_script_instance(obj) -> bool:
    return MARK in type(obj).__dict__


def _script_classes(cls: type):
    return [k for k in cls.__mro__ if MARK in k.__dict__]


def _defined(cls: type, name: str) -> bool:
    """Whether a script class in ``cls``'s MRO defined ``name``."""
    for k in cls.__mro__:
        names = k.__dict__.get(MARK)
        if names is not None and name in names:
            return True
    return False


def _checked_setattr(obj, name, value=None, *, delete=False):
    if not isinstance(name, str):
        raise TorchTypeError(f"attribute name must be string, not '{type(name).__name__}'")
    if is_dunder(name):
        raise TorchAttributeError(f"cannot set attribute '{name}' in adcli")
    if delete:
        _host(object.__delattr__, obj, name)
    else:
        _host(object.__setattr__, obj, name, value)


def _safe_host_dunder(owner, name: str, bound):
    """A host dunder as a script may call it: ``__setattr__``/``__delattr__`` checked."""
    if name == "__setattr__":
        return lambda attr, value: _checked_setattr(owner, attr, value)
    if name == "__delattr__":
        return lambda attr: _checked_setattr(owner, attr, delete=True)
    return bound


def _no_attribute(obj, name: str) -> TorchAttributeError:
    err = TorchAttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")
    err.missing_name = name  # what CPython's "Did you mean" hint searches: dir(obj)
    err.dir_names = [n for n in dir(obj) if n != MARK]
    return err


def instance_dict(obj) -> dict:
    """``obj.__dict__`` / ``vars(obj)`` for an instance of a script class: the instance's
    own dict, which holds only what the script (or its dataclass ``__init__``) stored.
    An instance of a class with an engine base (an nn.Module) keeps the engine's state
    there, so it is refused."""
    cls = type(obj)
    for k in cls.__mro__:
        if MARK not in k.__dict__ and k is not object and not issubclass(
                k, BaseException):
            err = TorchAttributeError(
                f"'{cls.__name__}' object's __dict__ holds the state of its base "
                f"'{k.__name__}', which adcli does not show")
            err.adcli_limitation = True
            raise err
    d = getattr(obj, "__dict__", None)
    if d is None:  # a class with __slots__
        raise _no_attribute(obj, "__dict__")
    return d


def instance_attribute(obj, name: str):
    """``obj.name`` for an instance of a script class."""
    cls = type(obj)
    if name == "__class__":
        return cls
    if name == "__dict__":
        return instance_dict(obj)
    if name == "__doc__":
        return cls.__doc__
    if _defined(cls, name):
        return _host(getattr, obj, name)
    if not is_dunder(name):
        d = getattr(obj, "__dict__", None)
        if d is not None and name in d:
            return d[name]
        if isinstance(obj, BaseException) and name == "args":
            return obj.args
        if _defined(cls, "__getattr__"):
            return _host(getattr, obj, name)
        public = public_names(cls)
        if public:
            if name in public:
                return _host(getattr, obj, name)
            dynamic = getattr(cls, "__adcli_getattr__", None)
            if dynamic is not None:  # nn.Module: its parameters, buffers and submodules
                return dynamic(obj, name)
    elif name in _HOST_DUNDERS:
        return _safe_host_dunder(obj, name, getattr(obj, name))
    if isinstance(obj, BaseException):
        from adcli.lang.functions import exception_attribute

        return exception_attribute(obj, name)
    if isinstance(obj, enum.Enum) and isinstance(obj, int | str | float) and not is_dunder(
            name):  # an IntEnum / StrEnum member: its int's or str's methods
        from adcli.lang import library

        try:
            return library.attribute(obj, name)
        except AttributeError:
            pass
    raise _no_attribute(obj, name)


# ---- the engine's host classes that a script may use (nn modules, optimizers, ...) --------
# A host class opts in with ``__adcli_public__`` (the names a script may read on its
# instances), and optionally ``__adcli_settable__`` (True: any name that is not a dunder;
# or a set of names), ``__adcli_getattr__`` (a function for the names it makes up, such as
# a Module's parameters) and ``__adcli_subclassable__`` (a script class may derive from it).
def public_names(cls: type) -> frozenset:
    """The names a script may read on instances of ``cls`` from its host bases."""
    return getattr(cls, "__adcli_public__", frozenset())


def is_public_host(obj) -> bool:
    return hasattr(type(obj), "__adcli_public__") and not isinstance(obj, type)


def host_attribute(obj, name: str):
    """``obj.name`` for an instance of a host class that lists its public names."""
    cls = type(obj)
    if name == "__class__":
        return cls
    if name in ("__doc__", "__name__") and name in cls.__dict__:
        return cls.__dict__[name]
    if not is_dunder(name):
        if name in cls.__adcli_public__:
            return _host(getattr, obj, name)
        d = getattr(obj, "__dict__", None)
        if d is not None and name in d:
            return d[name]
        dynamic = getattr(cls, "__adcli_getattr__", None)
        if dynamic is not None:
            return dynamic(obj, name)
    raise _no_attribute(obj, name)


def host_class_attribute(cls: type, name: str):
    """``Cls.name`` for a host class: its name and doc, and its ``__adcli_class_public__``
    (class methods such as ``nn.Embedding.from_pretrained``)."""
    if name in _CLASS_DUNDERS:
        return getattr(cls, name)
    if name == "__mro__":
        return class_mro(cls)
    if name == "__members__" and isinstance(cls, enum.EnumMeta):
        return dict(cls.__members__)  # a copy: printed as CPython prints the proxy
    if name in getattr(cls, "__adcli_class_public__", ()):
        return getattr(cls, name)
    if (name == "__init__" or name in public_names(cls)) and \
            getattr(cls, "__adcli_subclassable__", False) is True:
        unbound = _unbound_host_method(cls, name)
        if unbound is not None:
            return unbound
    err = TorchAttributeError(f"type object '{cls.__name__}' has no attribute '{name}'")
    err.missing_name = name
    raise err


def _unbound_host_method(cls: type, name: str):
    """``nn.Module.parameters`` / ``nn.Linear.forward`` / ``nn.Module.__init__`` read on
    the class: the plain function, called with an instance of the class only (as torch's
    unbound methods, which a subclass's method calls explicitly)."""
    import inspect

    fn = inspect.getattr_static(cls, name, None)
    if isinstance(fn, staticmethod | classmethod) or not inspect.isfunction(fn):
        return None

    def method(*args, **kwargs):
        if not args or not isinstance(args[0], cls):
            got = type(args[0]).__name__ if args else "nothing"
            raise TorchTypeError(f"descriptor '{name}' for '{cls.__name__}' objects doesn't "
                                 f"apply to a '{got}' object")
        return fn(*args, **kwargs)

    method.__name__ = name
    method.__qualname__ = f"{cls.__name__}.{name}"
    return method


def host_settable(obj, name: str) -> bool:
    allowed = getattr(type(obj), "__adcli_settable__", False)
    if is_dunder(name):
        return False
    return allowed is True or (not isinstance(allowed, bool) and name in allowed)


def class_mro(cls: type) -> tuple:
    """``Cls.__mro__`` as a script sees it: ``object`` as the ``object`` builtin."""
    from adcli.lang.pylib.pybuiltins import OBJECT

    return tuple(OBJECT if k is object else k for k in cls.__mro__)


class _Descriptor:
    """What ``Cls.__dict__`` shows for a slot or ``__dict__`` descriptor: its repr only."""

    __slots__ = ("text",)

    def __init__(self, text: str) -> None:
        self.text = text

    def __repr__(self) -> str:
        return self.text


class ClassDict:
    """``Cls.__dict__`` / ``vars(Cls)`` of a script class: a read-only view (CPython's
    mappingproxy) of the names the class body bound, in CPython's order (``__module__``,
    the docstring, the body, the slots' descriptors, ``__dict__``/``__weakref__``, and
    ``__doc__`` last when there is no docstring). adcli's own bookkeeping is left out."""

    __slots__ = ("_cls",)
    __adcli_public__ = frozenset(("get", "keys", "values", "items", "copy"))

    def __init__(self, cls: type) -> None:
        self._cls = cls

    def _dict(self) -> dict:
        cls = self._cls
        own = cls.__dict__
        names = own.get(MARK, frozenset())
        slots = own.get("__slots__", ())
        slots = (slots,) if isinstance(slots, str) else tuple(slots)
        doc = own.get("__doc__")
        out = {"__module__": own.get("__module__", "__main__")}
        if doc is not None:
            out["__doc__"] = doc
        for key, value in own.items():
            if key in names and key not in slots:
                out[key] = value
            elif key in slots or key in ("__dict__", "__weakref__"):
                # the host's descriptors stay in the host: a stand-in that prints as them
                what = "member" if key in slots else "attribute"
                out[key] = _Descriptor(f"<{what} '{key}' of '{cls.__name__}' objects>")
        if doc is None:
            out["__doc__"] = None
        return out

    def __getitem__(self, key):
        return self._dict()[key]

    def __contains__(self, key) -> bool:
        return key in self._dict()

    def __iter__(self):
        return iter(list(self._dict()))

    def __len__(self) -> int:
        return len(self._dict())

    def __eq__(self, other) -> bool:
        if isinstance(other, ClassDict):
            other = other._dict()
        return self._dict() == other

    __hash__ = None

    def get(self, key, default=None):
        return self._dict().get(key, default)

    def keys(self):
        return self._dict().keys()

    def values(self):
        return self._dict().values()

    def items(self):
        return self._dict().items()

    def copy(self) -> dict:
        return self._dict()

    def __repr__(self) -> str:
        return f"mappingproxy({self._dict()!r})"

    def __str__(self) -> str:
        return str(self._dict())


ClassDict.__name__ = ClassDict.__qualname__ = "mappingproxy"


def class_attribute(cls: type, name: str):
    """``Cls.name`` for a script class."""
    if name in _CLASS_DUNDERS:
        return getattr(cls, name)
    if name == "__dict__":
        return ClassDict(cls)
    if name == "__module__":
        return cls.__dict__.get("__module__", "__main__")
    if name == "__slots__" and "__slots__" in cls.__dict__:
        return cls.__dict__["__slots__"]
    if name == "__mro__":
        return class_mro(cls)
    if name == "__members__" and isinstance(cls, enum.EnumMeta):
        return dict(cls.__members__)  # a copy: printed as CPython prints the proxy
    if _defined(cls, name):
        return getattr(cls, name)
    if name in public_names(cls) or name in getattr(cls, "__adcli_class_public__", ()):
        return getattr(cls, name)  # a host base's: Function.apply, Module.parameters, ...
    if name in _HOST_DUNDERS:
        value = getattr(cls, name)
        if name in ("__setattr__", "__delattr__"):
            return (lambda obj, attr, v: _checked_setattr(obj, attr, v)) \
                if name == "__setattr__" else \
                (lambda obj, attr: _checked_setattr(obj, attr, delete=True))
        return value
    err = TorchAttributeError(f"type object '{cls.__name__}' has no attribute '{name}'")
    err.missing_name = name
    err.dir_names = [n for n in dir(cls) if n != MARK]
    raise err


def set_attribute(obj, name: str, value) -> None:
    """``obj.name = value`` on a script instance or class."""
    if is_dunder(name):
        raise TorchAttributeError(f"cannot set attribute '{name}' in adcli")
    if isinstance(obj, type):
        names = obj.__dict__[MARK]
        if isinstance(obj, enum.EnumMeta):  # its members cannot be reassigned
            _host(setattr, obj, name, value)
        else:
            type.__setattr__(obj, name, value)
        if name not in names:
            type.__setattr__(obj, MARK, names | {name})
        return
    _host(setattr, obj, name, value)


def del_attribute(obj, name: str) -> None:
    if is_dunder(name):
        raise TorchAttributeError(f"cannot delete attribute '{name}' in adcli")
    _host(delattr, obj, name)


# ---- super() ------------------------------------------------------------------------------
class ScriptSuper:
    """``super()`` / ``super(Cls, obj)``: attributes of the classes after ``Cls`` in the
    MRO of ``obj``, through the same rules as an instance's."""

    __slots__ = ("cls", "obj")

    def __init__(self, cls, obj) -> None:
        if not isinstance(cls, type):
            raise TorchTypeError("super() argument 1 must be a type, not "
                                 f"{type(cls).__name__}")
        if not (isinstance(obj, cls) or (isinstance(obj, type) and issubclass(obj, cls))):
            raise TorchTypeError("super(type, obj): obj must be an instance or subtype of type")
        self.cls = cls
        self.obj = obj

    def attribute(self, name: str):
        obj = self.obj
        owner = obj if isinstance(obj, type) else type(obj)
        mro = owner.__mro__
        host = super(self.cls, obj)
        for k in mro[mro.index(self.cls) + 1:]:
            names = k.__dict__.get(MARK)
            if names is not None:
                if name in names:
                    return getattr(host, name)
            elif name in k.__dict__ and (name in _HOST_DUNDERS or (
                    name == "args" and issubclass(k, BaseException)) or (
                    name in k.__dict__.get("__adcli_public__", ()))):
                return _safe_host_dunder(obj, name, getattr(host, name))
            elif name == "__getattr__" and "__adcli_getattr__" in k.__dict__ and \
                    not isinstance(obj, type):
                # an nn.Module's: its parameters, buffers and submodules (as torch's)
                dynamic = k.__dict__["__adcli_getattr__"]

                def module_getattr(attr, dynamic=dynamic):
                    if not isinstance(attr, str):
                        raise _no_attribute(obj, str(attr))
                    return dynamic(obj, attr)

                return module_getattr
        raise TorchAttributeError(f"'super' object has no attribute '{name}'")

    def __repr__(self) -> str:
        return f"<super: <class '{self.cls.__name__}'>, <{type(self.obj).__name__} object>>"


def make_super(*args):
    """The ``super`` builtin with its two arguments (``super()`` is compiled apart)."""
    if len(args) != 2:
        raise TorchTypeError("super() without arguments works only inside a method; "
                             "otherwise give super(Class, obj)")
    return ScriptSuper(*args)


# ---- making a class -----------------------------------------------------------------------
def _allowed_base(base) -> bool:
    from adcli.lang.functions import EXCEPTION_CLASSES

    return (base is object or is_script_class(base) or base in EXCEPTION_CLASSES.values()
            or getattr(base, "__adcli_subclassable__", False) is True or _is_enum_base(base))


def _is_enum_base(base) -> bool:
    """``enum.Enum`` and its kin (reached as the ``enum`` module's PyTypes)."""
    import sys

    enummod = sys.modules.get("adcli.lang.pylib.enummod")
    return enummod is not None and base in enummod.BASES


def make_enum_class(meta: type, name: str, bases: tuple, ns: dict):
    """A class with an enum base: made by Python's ``EnumType`` from the namespace filled
    in order (its members are the names that are not functions or dunders), so members,
    lookups, ``auto()`` and the errors of a bad definition are CPython's. A member's
    ``name`` and ``value`` are readable (``__adcli_public__``)."""
    from adcli.lang.pylib.enummod import MEMBER_PUBLIC

    try:
        classdict = meta.__prepare__(name, bases)
        for key, value in ns.items():
            classdict[key] = value
        classdict["__adcli_public__"] = MEMBER_PUBLIC | frozenset(
            k for k in ns if not is_dunder(k))
        return meta(name, bases, classdict)
    except TypeError as e:
        raise TorchTypeError(str(e)) from None
    except ValueError as e:
        from adcli.errors import TorchValueError

        raise TorchValueError(str(e)) from None


def _stop_iteration_method(fn, exc_type):
    """``__next__`` / ``__getitem__`` for host callers (``for``, ``list``, ``iter``): the
    script's StopIteration / IndexError comes out as Python's own, which ends iteration."""
    from adcli.lang.functions import ScriptError

    def method(self, *args):
        try:
            return fn(self, *args)
        except ScriptError as err:
            if isinstance(err.value, exc_type):
                raise err.value from None
            raise

    method.__name__ = method.__qualname__ = getattr(fn, "__name__", "method")
    return method


def metaclass_bases(meta, bases: list, pos) -> list:
    """The bases of ``class A(*bases, metaclass=meta)``: ``abc.ABCMeta`` is taken as the
    base ``abc.ABC`` (adcli's abstract classes); any other metaclass is refused."""
    import sys

    from adcli.lang.pylib._common import PyType

    if isinstance(meta, PyType):
        meta = meta._cls
    abcmod = sys.modules.get("adcli.lang.pylib.abcmod")
    if abcmod is not None and meta is abcmod.ABCMeta:
        if not any(isinstance(b, type | PyType) and issubclass(getattr(b, "_cls", b), abcmod.ABC)
                   for b in bases):
            bases = [*bases, abcmod.ABC]
        return bases
    if meta is type:
        return bases
    raise AdcliSyntaxError("a class may not name a metaclass in adcli (only "
                           "metaclass=ABCMeta, as abc.ABC)", pos=pos)


# what a NamedTuple class body may not define (CPython's _prohibited names)
_NAMEDTUPLE_PROHIBITED = frozenset(("__new__", "__init__", "__slots__", "__getnewargs__",
                                    "_fields", "_field_defaults", "_make", "_replace",
                                    "_asdict", "_source"))


def _typed_namedtuple(name: str, qualname: str, bases: list, namespace: dict, doc, pos):
    """``class Pt(NamedTuple): x: int; y: float = 0.0``: the namedtuple class that
    ``collections.namedtuple`` makes here, with the body's methods."""
    from adcli.lang.pylib import collectionsmod
    from adcli.lang.pylib.typingmod import Alias

    if any(not (isinstance(b, Alias) and b._name in ("NamedTuple", "Generic"))
           for b in bases):
        raise TorchTypeError("can only inherit from a NamedTuple type and Generic", pos=pos)
    fields = list(namespace.get("__annotations__") or {})
    defaults: list = []
    for f in fields:
        if f in namespace:
            defaults.append(namespace[f])
        elif defaults:
            have = [g for g in fields[:fields.index(f)] if g in namespace]
            raise TorchTypeError(f"Non-default namedtuple field {f} cannot follow default "
                                 f"field{'s' if len(have) > 1 else ''} {', '.join(have)}",
                                 pos=pos)
    try:
        pytype = collectionsmod.namedtuple(name, fields, defaults=defaults or None)
    except (TorchTypeError, TorchAttributeError) as e:
        e.pos = e.pos or pos
        raise
    cls = pytype._cls
    extra = {k: v for k, v in namespace.items() if k not in fields and k not in (
        "__annotations__", "__module__", "__qualname__", "__doc__")}
    for key in extra:
        if key in _NAMEDTUPLE_PROHIBITED:
            raise TorchAttributeError(f"Cannot overwrite NamedTuple attribute {key}", pos=pos)
        if is_dunder(key) and key not in DEFINABLE:
            raise AdcliSyntaxError(f"a class may not define '{key}' in adcli", pos=pos)
    for key, value in extra.items():
        type.__setattr__(cls, key, value)
    cls._adcli_methods = frozenset(k for k in extra if not is_dunder(k))
    type.__setattr__(cls, "__qualname__", qualname)
    type.__setattr__(cls, "__doc__", doc if doc is not None else
                     f"{name}({', '.join(fields)})")
    return pytype


def make_class(name: str, qualname: str, bases: list, namespace: dict, doc, pos,
               kwargs=None):
    """The host class for ``class name(*bases, **kwargs): namespace`` (``kwargs`` go to
    ``__init_subclass__``, as Python passes them)."""
    from adcli.lang.pylib.pybuiltins import PyType
    from adcli.lang.pylib.typingmod import Alias

    if any(isinstance(b, Alias) and b._name == "NamedTuple" for b in bases):
        return _typed_namedtuple(name, qualname, bases, namespace, doc, pos)
    real_bases = []
    for b in bases:
        if isinstance(b, Alias) and b._name in ("Generic", "Protocol"):
            continue  # class Node(Generic[T]): typing's markers, nothing to inherit
        if isinstance(b, PyType):
            b = b._cls
        if not _allowed_base(b):
            what = b.__name__ if isinstance(b, type) else type(b).__name__
            raise TorchTypeError(f"a class can derive only from object, the builtin "
                                 f"exceptions and other classes of the script in adcli "
                                 f"(not from '{what}')", pos=pos)
        real_bases.append(b)
    if len(set(map(id, real_bases))) != len(real_bases):
        raise TorchTypeError(f"duplicate base class {real_bases[0].__name__}", pos=pos)
    ns: dict = {}
    names = set()
    for key, value in namespace.items():
        if is_dunder(key) and key not in DEFINABLE:
            raise AdcliSyntaxError(f"a class may not define '{key}' in adcli", pos=pos)
        if key == "__new__" and not isinstance(value, staticmethod):
            value = staticmethod(value)
        elif key == "__init_subclass__":
            fn = value.__func__ if isinstance(value, classmethod) else value
            if not _is_script_function(fn):
                raise AdcliSyntaxError("a class may define '__init_subclass__' only with def "
                                       "in adcli", pos=pos)
            value = classmethod(fn)  # implicitly, as Python makes it
        elif key == "__next__" and not isinstance(value, (staticmethod, classmethod)):
            value = _stop_iteration_method(value, StopIteration)
        elif key == "__getitem__" and callable(value) and not isinstance(
                value, (staticmethod, classmethod)):
            value = _stop_iteration_method(value, IndexError)
        ns[key] = value
        names.add(key)
    slots = ns.get("__slots__")
    if slots is not None:
        if isinstance(slots, str):
            slots = (slots,)
        if not isinstance(slots, (tuple, list)) or not all(
                isinstance(s, str) and not is_dunder(s) for s in slots):
            raise TorchTypeError("__slots__ must be a string or a list of attribute names",
                                 pos=pos)
        names.update(slots)
    ns["__module__"] = "__main__"
    ns["__qualname__"] = qualname
    ns["__doc__"] = doc
    ns[MARK] = frozenset(names)
    meta = type
    for b in real_bases:
        if isinstance(type(b), type) and issubclass(type(b), meta):
            meta = type(b)
    if meta is not type:  # an enum (the only metaclass a script's base can have)
        err = None
        try:
            return make_enum_class(meta, name, tuple(real_bases), ns)
        except AdcliSyntaxError:
            raise
        except Exception as e:  # noqa: BLE001 - its TypeError/ValueError, at the class
            err = e
        if getattr(err, "pos", None) is None:
            err.pos = pos
        raise err
    if meta is not type and kwargs:
        raise TorchTypeError(f"{name}.__init_subclass__() takes no keyword arguments",
                             pos=pos)
    try:
        return type(name, tuple(real_bases) or (object,), ns, **(kwargs or {}))
    except TypeError as e:  # a layout or MRO conflict: Python's own words
        if type(e) is not TypeError:
            raise
        raise TorchTypeError(str(e), pos=pos) from None


# ---- the hooks the runtime library uses ---------------------------------------------------
def type_of(obj):
    cls = type(obj)
    return cls if MARK in cls.__dict__ else None


def _copyable(obj) -> bool:
    """A script's instance, or an engine object a script may copy (``__adcli_public__``:
    a module, an optimizer, a scheduler) that Python's ``copy`` would rebuild as
    ``cls.__new__(cls)`` plus its ``__dict__``."""
    if isinstance(obj, BaseException) or isinstance(obj, type):
        return False
    cls = type(obj)
    if not (MARK in cls.__dict__ or hasattr(cls, "__adcli_public__")):
        return False
    return cls.__new__ is object.__new__ and hasattr(obj, "__dict__")


def _slot_names(cls: type) -> list:
    names = []
    for k in cls.__mro__:
        slots = k.__dict__.get("__slots__", ())
        names += [slots] if isinstance(slots, str) else [
            s for s in slots if s not in ("__dict__", "__weakref__")]
    return names


def copy_instance(obj):
    """``copy.copy``: a new object of the same class sharing the original's values."""
    if not _copyable(obj):
        return None
    new = object.__new__(type(obj))
    new.__dict__.update(obj.__dict__)
    for name in _slot_names(type(obj)):
        if hasattr(obj, name):
            object.__setattr__(new, name, object.__getattribute__(obj, name))
    return new


def deepcopy_instance(obj, deepcopy, memo):
    """``copy.deepcopy``: the new object enters ``memo`` before its fields are copied, as
    Python's ``_reconstruct`` does, so references back to it stay inside the copy."""
    if not _copyable(obj):
        return None
    new = object.__new__(type(obj))
    memo[id(obj)] = new
    nd = new.__dict__
    for k, v in list(obj.__dict__.items()):
        nd[k] = deepcopy(v)
    for name in _slot_names(type(obj)):
        if hasattr(obj, name):
            object.__setattr__(new, name, deepcopy(object.__getattribute__(obj, name)))
    return new


METHOD_DUNDERS = frozenset(("__name__", "__qualname__", "__doc__", "__self__", "__func__"))


def method_attribute(m: types.MethodType, name: str):
    """``bound.name`` for a bound method of a script class."""
    if name in METHOD_DUNDERS and (name in ("__name__", "__qualname__", "__doc__")
                                   or _is_script_function(m.__func__)):
        return getattr(m, name)  # a host method's function stays in the host
    raise TorchAttributeError(f"'method' object has no attribute '{name}'")


def _is_script_function(fn) -> bool:
    from adcli.lang.functions import Function

    return isinstance(fn, Function)


def property_attribute(p: property, name: str):
    if name in ("setter", "getter", "deleter", "fget", "fset", "fdel", "__doc__"):
        return getattr(p, name)
    raise TorchAttributeError(f"'property' object has no attribute '{name}'")


__all__ = ["ScriptSuper", "class_attribute", "copy_instance",
           "deepcopy_instance", "instance_attribute", "instance_dict", "is_script_class",
           "is_script_instance", "make_class", "make_super", "method_attribute",
           "property_attribute", "set_attribute", "type_of"]

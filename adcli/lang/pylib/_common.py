"""Shared pieces of the Python runtime library: bounds, metering, safe type objects.

Nothing here imports the engine at module level: ``adcli.lang.pylib`` is imported only
when a ``.py`` program (or an import statement) first needs it.
"""

from __future__ import annotations

from adcli import limits as _limits
from adcli.errors import (
    LimitError,
    TorchAttributeError,
    TorchTypeError,
    adcli_error_for,
)


def object_bound() -> int:
    """The Python-object bound: a tenth of the element bound (0: none)."""
    return _limits.current().max_elements // 10


def element_bound() -> int:
    return _limits.current().max_elements


def int_bits_bound() -> int:
    return _limits.current().max_int_bits


def step_bound() -> int:
    return _limits.current().max_steps


def objects_error(what: str, count, bound: int) -> LimitError:
    shown = f"{count:,}" if isinstance(count, int) else str(count)
    return LimitError(f"{what} of {shown} items is over the limit of {bound:,} (a tenth of "
                      "--max-elements / ADCLI_MAX_ELEMENTS)")


def check_objects(count: int, what: str) -> None:
    """Refuse ``count`` Python objects over the Python-object bound."""
    bound = object_bound()
    if bound and count > bound:
        raise objects_error(what, count, bound)


def check_int_bits(bits: int, what: str) -> None:
    bound = int_bits_bound()
    if bound and bits > bound:
        raise LimitError(f"{what} would have about {bits:,} bits, over the limit of "
                         f"{bound:,} (raise it with ADCLI_MAX_INT_BITS)")


def check_int_result(value):
    """``value``, refused when it is an int over the integer-bits bound."""
    if type(value) is int:
        bound = int_bits_bound()
        if bound and value.bit_length() > bound:
            raise LimitError(f"an integer of {value.bit_length():,} bits is over the limit of "
                             f"{bound:,} bits")
    return value


def type_name(value) -> str:
    """The type name a message shows (``Tensor`` for a tensor)."""
    cls = type(value)
    if cls.__name__ == "Tensor" and cls.__module__ in ("torch", "adcli.engine.tensor"):
        return "Tensor"
    return cls.__name__


def as_int(value, what: str) -> int:
    """An int argument as Python takes one (``__index__``)."""
    if isinstance(value, int):
        return int(value)
    if hasattr(type(value), "__index__"):
        import operator

        return operator.index(value)
    raise TorchTypeError(f"{what} must be an integer, not '{type_name(value)}'")


def user_error(exc: BaseException) -> BaseException:
    """What the interpreter makes of ``exc`` (as its ``_locate`` does): an AdcliError for a
    user's mistake, a LimitError for RecursionError/MemoryError, else ``exc`` itself."""
    if isinstance(exc, RecursionError | MemoryError):
        err = LimitError("the computation nests too deeply (recursion)"
                         if isinstance(exc, RecursionError) else "out of memory")
        err.original = exc
        return err
    wrapped = adcli_error_for(exc)
    return exc if wrapped is None else wrapped


# ---- metering: no C loop of the stdlib runs unbounded over an endless iterator ---------
_FINITE = (list, tuple, str, bytes, dict, set, frozenset)


class Metered:
    """An iterator that counts what it gives and stops with a LimitError past the step
    bound, so that a C loop (``sum(itertools.count())``, ``any(repeat(0))``,
    ``filter(None, repeat(0))``) cannot run forever inside one call."""

    __slots__ = ("_it", "_source", "_n", "_limit")

    def __init__(self, iterable, limit: int) -> None:
        self._source = iterable
        self._it = iter(iterable)
        self._n = 0
        self._limit = limit

    def __iter__(self):
        return self

    def __next__(self):
        self._n += 1
        if self._n > self._limit:
            raise LimitError(f"an iterator gave more than {self._limit:,} items inside one "
                             "call (the step bound: raise it with --max-steps or "
                             "ADCLI_MAX_STEPS)")
        return next(self._it)

    def __length_hint__(self) -> int:
        n = _limits.size_hint(self._source)
        return NotImplemented if n < 0 else max(n - self._n, 0)

    def __repr__(self) -> str:
        return repr(self._source)


def meter(iterable):
    """``iterable`` itself when it is a finite container (or a range within the step
    bound), else a ``Metered`` iterator over it."""
    cls = type(iterable)
    if cls in _FINITE or isinstance(iterable, Metered):
        return iterable
    limit = step_bound()
    if not limit:
        return iterable
    if cls is range:
        try:
            if len(iterable) <= limit:
                return iterable
        except OverflowError:
            pass
    elif cls.__name__ == "Tensor" or cls.__name__ in ("deque", "Counter", "OrderedDict",
                                                      "defaultdict"):
        return iterable
    return Metered(iterable, limit)


def bounded_list(iterable, what: str) -> list:
    """``list(iterable)`` within the Python-object bound, metered."""
    return _limits.bounded_items(meter(iterable), what)


# ---- bound methods and safe type objects -------------------------------------------------
class BoundMethod:
    """A method of a value, as ``str.join`` bound to ``' '``: calls ``fn(obj, ...)`` and
    prints as Python prints a built-in method. Nothing of it is reachable from a script
    (it is in no attribute table)."""

    __slots__ = ("_fn", "_obj", "_name")

    def __init__(self, fn, obj, name: str) -> None:
        self._fn, self._obj, self._name = fn, obj, name

    def __call__(self, /, *args, **kwargs):
        return self._fn(self._obj, *args, **kwargs)

    def __repr__(self) -> str:
        return (f"<built-in method {self._name} of {type_name(self._obj)} object "
                f"at 0x{id(self._obj):x}>")

    @property
    def __name__(self) -> str:  # for messages and functools.wraps
        return self._name


def method(fn, name: str):
    """An accessor ``obj -> BoundMethod`` for a method implemented here."""
    return lambda obj: BoundMethod(fn, obj, name)


def native(name: str):
    """An accessor for a method of the value's own type (a fixed name)."""
    import operator

    return operator.attrgetter(name)


class PyType:
    """A type as a script sees it: calling it constructs (through adcli's bounded
    constructor), ``repr`` is ``<class 'int'>``, ``isinstance`` and ``type(x) is int``
    work. The real class is kept in ``_cls`` for the interpreter; no attribute of it is
    reachable from a script except through ``type_attribute``."""

    __slots__ = ("_cls", "_name", "_make", "__weakref__")

    def __init__(self, cls: type, name: str, make=None) -> None:
        self._cls, self._name, self._make = cls, name, make

    def __call__(self, /, *args, **kwargs):
        if self._make is None:
            raise TorchTypeError(f"cannot create '{self._name}' instances")
        return self._make(*args, **kwargs)

    def __repr__(self) -> str:
        return f"<class '{self._name}'>"

    def __eq__(self, other) -> bool:
        return isinstance(other, PyType) and other._cls is self._cls

    def __hash__(self) -> int:
        return hash(self._cls)

    def __getitem__(self, item):  # list[int], dict[str, int] (PEP 585 annotations)
        from adcli.lang.pylib.typingmod import Alias

        return Alias(self._name.rsplit(".", 1)[-1], item, plain=True)

    @property
    def __name__(self) -> str:
        return self._name.rsplit(".", 1)[-1]

    @property
    def pyclass(self) -> type:
        return self._cls


def refuse_attribute(obj, name: str):
    raise TorchAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")



# ---- attribute tables of the library's own value types (sys.version_info, Template, ...) --
# exact type -> {name: obj -> value}. Only adcli's modules add entries (at import time);
# ``Runtime.table_for`` looks here, so the shared runtime serves every session.
TYPE_TABLES: dict = {}


def register_type(cls: type, table: dict) -> type:
    TYPE_TABLES[cls] = table
    return cls


class RunContext:
    """What a session's library modules need to know about the run: its output streams,
    the program's name and source lines (``sys.argv``, warnings' ``FILE:LINE``)."""

    __slots__ = ("out", "err", "argv", "filename", "lines", "notebook", "warnings",
                 "set_recursion_limit")

    def __init__(self) -> None:
        self.out = None  # text -> None; None: the host's stdout
        self.err = None
        self.argv: list | None = None  # sys.argv as `python FILE` gives it
        self.filename = "<string>"
        self.lines: list = []
        self.notebook = False
        self.warnings = None  # the session's warnings state, made by warningsmod
        self.set_recursion_limit = None  # sys.setrecursionlimit's effect on the session

    def write_out(self, text: str) -> None:
        if self.out is None:
            import sys

            sys.stdout.write(text)
        else:
            self.out(text)

    def write_err(self, text: str) -> None:
        if self.err is None:
            import sys

            sys.stderr.write(text)
        else:
            self.err(text)


def stdlib_error(exc: BaseException, base=None):
    """An error of a stdlib module (``statistics.StatisticsError``,
    ``json.JSONDecodeError``) as the script sees it: printed with its qualified name as
    Python prints it, caught by ``except ValueError`` (its base) as in Python."""
    from adcli.errors import TorchValueError

    err = (base or TorchValueError)(str(exc))
    cls = type(exc)
    err.kind = f"{cls.__module__}.{cls.__qualname__}"
    err._script_value = exc
    exc.__traceback__ = None
    exc.__context__ = None
    return err

"""The bridge from the interpreter to the Python runtime library (``lang/pylib``).

The library is large, so nothing of it is imported until a script needs it: an import of
one of its modules, an attribute of one of its values (``'a,b'.split``, ``d.items``,
``arr.shape``), or a Python builtin that the name table does not define (``sorted``,
``isinstance``, ``dict``). Each ``Session`` owns one ``Runtime`` (its own ``random``
generator, numpy ``RandomState`` and sleep budget); attribute tables are stateless, so
one shared runtime serves attribute lookups.

Every name a script reaches here is still a key of a fixed table: the library's member
tables, its method tables, and numpy's accessor tables.
"""

from __future__ import annotations

import types

from adcli.errors import TorchAttributeError

# Modules a script may import besides torch (`import numpy as np` included).
LIBRARY_MODULES = frozenset({
    "math", "random", "itertools", "functools", "collections", "typing", "copy", "time",
    "sys", "operator", "string", "statistics", "json", "warnings", "dataclasses", "pprint",
    "textwrap", "io", "__future__", "numpy", "numpy.random", "numpy.linalg", "matplotlib",
    "matplotlib.pyplot", "tqdm", "tqdm.auto", "tqdm.notebook", "tqdm.std", "tqdm.autonotebook",
    "contextlib", "os", "os.path", "enum", "re", "abc", "types", "heapq", "bisect", "timeit",
    "pathlib", "logging", "traceback", "argparse", "datetime", "glob",
    "csv", "numbers",
})
# Python builtins that a name looks up in the library when the name table lacks it.
# (.adc keeps its own meaning for sum/abs/max/min/round, print, list, tuple, range, ...)
LIBRARY_BUILTINS = frozenset({
    "map", "filter", "sorted", "reversed", "isinstance", "issubclass", "type", "id", "repr",
    "dict", "set", "frozenset", "iter", "next", "any", "all", "divmod", "pow", "format",
    "hasattr", "getattr", "setattr", "chr", "ord", "hex", "oct", "bin", "hash", "callable",
    "ascii", "slice", "object", "bytes", "complex", "property", "staticmethod",
    "classmethod", "super", "vars", "exit", "quit",
    # builtin exception classes beyond the interpreter's (SystemExit, warning categories)
    "SystemExit", "Warning", "UserWarning", "DeprecationWarning", "PendingDeprecationWarning",
    "FutureWarning", "RuntimeWarning", "SyntaxWarning", "ImportWarning", "UnicodeWarning",
    "BytesWarning", "ResourceWarning",
})

_shared = None


class _State:
    """One session's runtime and numpy namespace, made on first use."""

    __slots__ = ("runtime", "numpy", "seed", "context")

    def __init__(self, seed=None) -> None:
        from adcli.lang.pylib._common import RunContext

        self.runtime = None
        self.numpy = None
        self.seed = seed
        self.context = RunContext()


def _hooks():
    from adcli.lang import classes as C
    from adcli.lang import interpreter as I
    from adcli.lang.pylib.hooks import Hooks

    return Hooks(get_attribute=_named_attribute, set_attribute=I._set_attribute,
                 get_item=I._get_item, instancecheck=_instancecheck,
                 subclasscheck=_subclasscheck, type_of=_type_of,
                 copy_instance=C.copy_instance, deepcopy_instance=C.deepcopy_instance)


def _named_attribute(obj, name: str):
    """An attribute named by text (``getattr``, ``hasattr``, format fields,
    ``attrgetter``): the interpreter's allow-list, less the ``__class__`` and
    ``__mro__`` that only the written ``x.__class__`` / ``Cls.__mro__`` read on builtin
    values, tensors and classes (``type(x)`` gives the class)."""
    from adcli.lang import classes as C
    from adcli.lang import interpreter as I

    if name == "__mro__" or (name == "__class__" and not (
            C.MARK in type(obj).__dict__ or C.is_public_host(obj))):
        from adcli.lang.pylib._common import type_name

        raise TorchAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")
    return I.get_attribute(obj, name)


_GENERATOR_TYPE = []
_TYPE_HOOKS: list = []


def type_of_value(obj):
    """``type(obj)`` as a script's ``type`` builtin gives it (``obj.__class__``)."""
    from adcli.lang.pylib.pybuiltins import type_of

    if not _TYPE_HOOKS:
        _TYPE_HOOKS.append(_hooks())
    return type_of(obj, _TYPE_HOOKS[0])


def _generator_type():
    if not _GENERATOR_TYPE:
        from adcli.lang.functions import Generator
        from adcli.lang.pylib.pybuiltins import PyType

        _GENERATOR_TYPE.append(PyType(Generator, "generator", None))
    return _GENERATOR_TYPE[0]


def _type_of(obj):
    """``type(obj)`` for a script's instance or an exception: the class itself."""
    from adcli.lang import classes as C
    from adcli.lang.functions import EXCEPTION_CLASSES, Generator

    cls = C.type_of(obj)
    if isinstance(obj, Generator):
        return _generator_type()
    if cls is None and type(obj).__name__ in EXCEPTION_CLASSES and \
            EXCEPTION_CLASSES[type(obj).__name__] is type(obj):
        cls = type(obj)
    return cls


def _class_of(classinfo):
    """The Python class that a name-table builtin stands for (``list`` in .adc is a
    bounded function, ``range`` a checked one), or None."""
    return getattr(classinfo, "adcli_class", None)


def _instancecheck(obj, classinfo):
    cls = _class_of(classinfo)
    return NotImplemented if cls is None else isinstance(obj, cls)


def _subclasscheck(sub, classinfo):
    cls = _class_of(classinfo)
    if cls is None:
        return NotImplemented
    real = _class_of(sub) or sub
    return isinstance(real, type) and issubclass(real, cls)


def shared_runtime():
    """The runtime whose (stateless) attribute tables every session uses."""
    global _shared
    if _shared is None:
        from adcli.lang.pylib.runtime import make_runtime

        _shared = make_runtime(_hooks())
    return _shared


def state_of(session) -> _State:
    state = getattr(session, "library_state", None)
    if state is None:
        state = session.library_state = _State()
        state.context.set_recursion_limit = getattr(session, "set_recursion_limit", None)
    return state


def runtime_of(session):
    """This session's runtime (modules with state: random, time)."""
    state = state_of(session)
    if state.runtime is None:
        from adcli.lang.pylib.runtime import make_runtime

        if state.context.out is None:
            state.context.out = getattr(session, "out", None)
        state.runtime = make_runtime(_hooks(), seed=state.seed, context=state.context)
    return state.runtime


def context_of(session):
    """This session's ``RunContext``: its streams, ``sys.argv``, the program's name and
    lines (set by ``programs`` before the program runs)."""
    state = state_of(session)
    if state.context.out is None:
        state.context.out = getattr(session, "out", None)
    return state.context


def numpy_of(session):
    """This session's ``numpy`` namespace (its own np.random state)."""
    state = state_of(session)
    if state.numpy is None:
        from adcli.lang.pylib.numpy_subset import make_numpy

        state.numpy = make_numpy(state.seed)
    return state.numpy


def seed(session, n: int) -> None:
    """``--seed N``: seed Python's random and numpy's, as a script's own seeds would."""
    state = state_of(session)
    state.seed = n
    if state.runtime is not None:
        state.runtime.seed(n)
    if state.numpy is not None:
        from adcli.lang.pylib.numpy_subset import seed_numpy

        seed_numpy(state.numpy, n)


def module(session, dotted: str):
    """The namespace that ``import dotted`` binds (its last part for ``numpy.random``)."""
    from adcli.lang.names import Namespace

    if dotted == "numpy":
        return numpy_of(session)
    if dotted in ("numpy.random", "numpy.linalg"):
        return numpy_of(session).members[dotted.split(".")[1]]
    members = runtime_of(session).modules[dotted]
    if dotted in ("os", "os.path"):  # printed as CPython's: <module 'os' (frozen)>
        from adcli.lang.pylib.osmod import module_of

        return module_of(dotted, members)
    return Namespace(dotted, members)


def import_from(session, dotted: str, name: str):
    """``from dotted import name``: ImportError as Python words it when it is not there."""
    from adcli.errors import TorchImportError

    members = module(session, dotted).members
    try:
        return members[name]
    except KeyError:
        raise TorchImportError(
            f"cannot import name '{name}' from '{dotted}' (adcli provides: "
            f"{', '.join(sorted(m for m in members if not m.startswith('_'))[:40])})"
        ) from None


def builtin(session, name: str):
    """A Python builtin from the library (KeyError when the library lacks it)."""
    extra = _exception_classes()
    if name in extra:
        return extra[name]
    if name in ("exit", "quit"):  # the site module's exit()/quit(): raise SystemExit
        from adcli.lang.pylib.sysmod import exit as sys_exit

        return sys_exit
    return runtime_of(session).builtins[name]


def _exception_classes() -> dict:
    """``SystemExit`` and the warning categories: builtin exception classes, reachable as
    ``ValueError`` is (no attribute of them is)."""
    from adcli.lang.pylib.warningsmod import CATEGORIES

    return {**CATEGORIES, "SystemExit": SystemExit}


def is_generic(obj) -> bool:
    """Whether ``obj[...]`` makes a type annotation (``List[int]``, ``list[int]``)."""
    from adcli.lang.pylib._common import PyType

    return isinstance(obj, PyType) or (type(obj).__name__ == "Alias" and type(
        obj).__module__ == "adcli.lang.pylib.typingmod")


def attribute(obj, name: str):
    """``obj.name`` for the library's values (str/list/dict/set/tuple methods, numpy arrays,
    scalars and dtypes, Counter, deque, namedtuples, ...); AttributeError otherwise."""
    from adcli.lang.pylib import numpy_subset

    table = numpy_subset.accessor_table(obj)
    if table is not None:
        acc = table.get(name)
        if acc is None:
            raise TorchAttributeError(
                f"'{type(obj).__name__}' object has no attribute '{name}'")
        return acc(obj)
    rt = shared_runtime()
    if rt.has_table(obj):
        return rt.attribute(obj, name)
    if name == "__name__" and isinstance(obj, (types.FunctionType, types.BuiltinFunctionType)):
        return obj.__name__  # torch.tanh.__name__
    from adcli.lang.pylib._common import type_name

    raise TorchAttributeError(f"'{type_name(obj)}' object has no attribute '{name}'")


def use_python_names(session, names: dict) -> None:
    """Make a session's global ``names`` Python's: the library's builtins (``sum``, ``max``,
    ``list``, ... with Python's meaning) and no bare torch names (``import torch`` binds
    them, as in Python)."""
    from adcli.lang import names as N

    for name in set(N.TORCH.members) | {"torch", "F", "autograd", "Variable"}:
        names.pop(name, None)
    names.update(runtime_of(session).builtins)
    names["print"] = _make_print(session)
    names.update(_exception_classes())


def _make_print(session):
    """Python's ``print``: ``sep``/``end`` may be None, ``file=sys.stdout``/``sys.stderr``
    writes to the program's streams (an ``io.StringIO`` to itself), ``flush`` is
    accepted."""
    plain = session._print

    def print(*args, sep=" ", end="\n", file=None, flush=False):  # noqa: A001
        if sep is None:
            sep = " "
        if end is None:
            end = "\n"
        if file is None:
            return plain(*args, sep=sep, end=end)
        from adcli.errors import TorchAttributeError
        from adcli.lang.pylib.iomod import StringIO
        from adcli.lang.pylib.sysmod import Stream

        if not isinstance(file, Stream | StringIO):
            from adcli.lang.pylib._common import type_name

            raise TorchAttributeError(f"'{type_name(file)}' object has no attribute 'write'")
        if not isinstance(sep, str) or not isinstance(end, str):
            from adcli.errors import TorchTypeError

            raise TorchTypeError("print(): sep and end must be strings")
        file.write(sep.join(str(a) for a in args) + end)
        return None

    return print

"""Run adcli programs: compile the syntax tree into closures and execute them, sandboxed.

Compilation turns each node into a small Python closure once, so loops run at the speed
of the engine rather than of a tree walk. Recursion is bounded: the parser caps the
nesting depth of the tree, and calls of lambdas and ``def`` functions nest as deep as
CPython's recursion limit (then RecursionError) within what the host stack holds
(``Session.call_cap``, then a LimitError). ``except`` never catches a ``LimitError`` (a bound) or
an internal error, and ``finally`` cannot swallow one (see ``lang/functions.py``). Every
step counts against the session's ``Limits``. Names resolve through ``names.GLOBALS`` and
attributes through the accessor tables in ``names``: user text is only ever a dictionary
key.
"""

from __future__ import annotations

import collections
import collections.abc
import itertools
import operator
import sys
import time
import types

from adcli import limits as _limits_mod
from adcli.diagnostics import format_diagnostic, source_lines
from adcli.engine.api import Generator as _Generator
from adcli.engine.autograd import sites as _sites
from adcli.engine.shape import Size as _Size
from adcli.engine.tensor import RemovableHandle, Tensor, graph_clock
from adcli.errors import (
    AdcliError,
    AdcliSyntaxError,
    LimitError,
    TorchAttributeError,
    TorchImportError,
    TorchNameError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
    adcli_error_for,
)
from adcli.lang import classes as _C
from adcli.lang import functions as _F
from adcli.lang import library as _library
from adcli.lang import names as N
from adcli.lang.ast import ACCEPTED_IMPORTS, DUNDER_METHODS, Node
from adcli.lang.functions import Function, _Control, _Return
from adcli.lang.operators import (
    BINOPS,
    COMPARE,
    INPLACE,
    NUMPY,
    binop,
    compare,
    numpy_getitem,
    python_binop,
)
from adcli.lang.parser import parse
from adcli.lang.pyformat import check_size, check_spec
from adcli.limits import Limits, bounded_items

_SITES = _sites.LOG
# The inspector of sessions compiled now (adcli graph/explain: see adcli/see/inspect.py), or
# None: it wraps each op-level expression to stamp the graph nodes it makes with its site.
INSPECTOR: list = [None]
_INSPECTED_KINDS = frozenset({"binop", "unary", "call", "getitem"})

# lambdas and def functions share one call-depth bound

# What each syntax-tree kind that the interpreter cannot run yet is called in its error.
_NOT_YET = {
    "yield": "`yield`", "yield_from": "`yield from`",
    "import_names": "`import` of this module",
    "import_from": "`from ... import` of this module",
    "fstring": "an f-string", "fvalue": "an f-string", "starred": "`*` unpacking here",
    "listcomp": "a list comprehension", "setcomp": "a set comprehension",
    "dictcomp": "a dict comprehension", "genexp": "a generator expression",
    "dict": "a dict display", "set": "a set display", "assert": "`assert`", "del": "`del`",
    "for_else": "`for ... else`", "while_else": "`while ... else`",
    "annassign": "an annotated assignment",
}


def _import_value(alias: str, pos):
    """What an accepted torch import binds: a global name, or a torch.autograd member
    (``from torch.autograd import grad``)."""
    if alias in N.GLOBALS:
        return N.GLOBALS[alias]
    members = getattr(N.GLOBALS.get("autograd"), "members", {})
    if alias in members:
        return members[alias]
    raise TorchImportError(f"cannot import name '{alias}' in adcli", pos=pos)


def _torch_module(module: str, node: Node):
    """The namespace of a torch module path (``torch.nn.functional``), or the error: not
    found where torch has no such module, not supported where only adcli lacks it."""
    if module in N.IMPORT_MODULES:
        return N.IMPORT_MODULES[module]
    value = N.TORCH
    parts = module.split(".")
    for i, part in enumerate(parts[1:], 1):
        member = value.members.get(part) if isinstance(value, N.Namespace) else None
        if not isinstance(member, N.Namespace):
            from adcli.errors import TorchModuleNotFoundError
            from adcli.lang.torch_dirs import DIRS

            prefix = ".".join(parts[:i])
            if part in DIRS.get(prefix, ()) or ".".join(parts[:i + 1]) in DIRS:
                raise AdcliSyntaxError(f"`import {module}` is not supported by adcli yet",
                                       pos=node.pos)
            raise TorchModuleNotFoundError(f"No module named '{'.'.join(parts[:i + 1])}'",
                                           pos=node.pos)
        value = member
    return value


def _torch_member(namespace, name: str, node: Node):
    """``from torch.x import name``: a member of the namespace, or Python's ImportError."""
    if name == "*":
        raise AdcliSyntaxError(f"`from {namespace.name} import *` is not supported by adcli; "
                               "import the names you use", pos=node.pos)
    members = namespace.members
    if name in members:
        return members[name]
    if namespace is N.TORCH and name in N.IMPORT_ONLY:
        return N.IMPORT_ONLY[name]
    from adcli.lang.torch_dirs import DIRS

    if name in DIRS.get(namespace.name, ()):
        raise TorchImportError(f"cannot import name '{name}' from '{namespace.name}' in "
                               "adcli (see docs/functions.md for what is supported)",
                               pos=node.pos)
    raise TorchImportError(f"cannot import name '{name}' from '{namespace.name}'",
                           pos=node.pos)


def _module_not_found(module: str, pos) -> AdcliError:
    from adcli.errors import TorchModuleNotFoundError
    from adcli.lang.pylib import module_not_found

    return TorchModuleNotFoundError(module_not_found(module.split(".")[0]), pos=pos)


def _not_yet(node: Node) -> AdcliSyntaxError:
    what = _NOT_YET.get(node.kind, f"`{node.kind}`")
    return AdcliSyntaxError(f"{what} is not supported by adcli yet", pos=node.pos)


def _bitwise_int(sym: str, a, b):
    """``a sym b`` for ``^ | & << >>``: on ints and bools (with the integer-bits bound), on
    sets (``| & ^``) and dicts (``|``), and on tensors, numpy values and script objects
    (``(x > 0) & (x < 1)``: torch's bitwise_and, through the operators' checks)."""
    if sym in ("|", "&", "^") and isinstance(a, (set, frozenset)) and isinstance(
            b, (set, frozenset)):
        return _BITWISE[sym](a, b)  # no bigger than its operands together
    if sym == "|" and type(a) is dict and type(b) is dict:
        return a | b
    if sym in ("|", "&") and type(a) is collections.Counter and type(b) is collections.Counter:
        return _BITWISE[sym](a, b)  # max / min of the counts: no bigger than the operands
    if type(a) not in (int, bool) or type(b) not in (int, bool):
        if sym in ("|", "&", "^") and _regex_flags(a, b):
            return _BITWISE[sym](a, b)  # re.I | re.M: a RegexFlag, as in Python
        if _bitwise_object(a) or _bitwise_object(b):
            try:
                return binop(sym, a, b, _BITWISE[sym])
            except TypeError as e:
                if type(e) is not TypeError:  # the engine's own error, worded as torch's
                    raise
        raise TorchTypeError(
            f"unsupported operand type(s) for {sym}: '{_type_name(a)}' and '{_type_name(b)}'")
    bits = _limits_mod.current().max_int_bits
    if sym == "<<":
        if b < 0:
            raise TorchValueError("negative shift count")
        if bits and a and abs(a).bit_length() + b > bits:
            raise LimitError(f"{a} << {b} would have {abs(a).bit_length() + b:,} bits, over "
                             f"the limit of {bits:,} (raise it with ADCLI_MAX_INT_BITS)")
    if sym == ">>" and b < 0:
        raise TorchValueError("negative shift count")
    return _BITWISE[sym](a, b)


def _regex_flags(a, b) -> bool:
    """Whether ``a`` and ``b`` are ``re`` flags (or one is a flag and the other an int)."""
    re_mod = sys.modules.get("re")
    flag = getattr(re_mod, "RegexFlag", None)
    return flag is not None and (type(a) is flag or type(a) is int) and \
        (type(b) is flag or type(b) is int) and (type(a) is flag or type(b) is flag)


def _bitwise_object(value) -> bool:
    """Whether ``value`` brings its own ``& | ^`` (and shifts): a tensor, a numpy value, or
    an object of a script's class that defines them."""
    return (isinstance(value, (Tensor, *NUMPY))
            or "__adcli_names__" in type(value).__dict__)


# operators whose result on two numbers within the integer-bits bound is at most about
# twice their size, so that checking the result is enough (not `**` or `<<`)
_CHEAP_NUMBER_OPS = frozenset(("+", "-", "*", "/", "//", "%"))


def _small_int_bound(session) -> float:
    """Integers strictly inside +-this need no integer-bits check (inf: no bound)."""
    bits = session.limits.max_int_bits
    return (1 << max(bits - 1, 1)) if bits else float("inf")


_NDARRAY = NUMPY[0]  # numpy.ndarray: `a += b` works in place on it
_BITWISE = {"^": operator.xor, "|": operator.or_, "&": operator.and_,
            "<<": operator.lshift, ">>": operator.rshift}
_INPLACE_BITWISE = {"^": operator.ixor, "|": operator.ior, "&": operator.iand}
_CONTAINERS = (list, tuple, str, range, dict, set, frozenset, collections.deque)


def _contains(container, item) -> bool:
    """``item in container`` for Python's containers (tensors and arrays are not yet)."""
    if not isinstance(container, _CONTAINERS):
        if isinstance(container, Tensor):
            return _tensor_contains(container, item)
        if type(container) is collections.ChainMap:
            return item in _chainmap(container)
        if isinstance(container, _NDARRAY):
            from adcli.lang.pylib.numpy_subset import ndarray_contains

            return ndarray_contains(container, item)
        if _C.MARK in type(container).__dict__ or (  # __contains__, __iter__, __getitem__
                _C.is_public_host(container) and (hasattr(type(container), "__contains__")
                                                  or hasattr(type(container), "__iter__"))
        ) or _C.is_script_enum(container):
            return item in container
        raise TorchTypeError(f"argument of type '{_type_name(container)}' is not iterable")
    if isinstance(container, str) and not isinstance(item, str):
        raise TorchTypeError(
            f"'in <string>' requires string as left operand, not {_type_name(item)}")
    return item in container


def _tensor_contains(tensor, item) -> bool:
    """``item in tensor`` as ``Tensor.__contains__``: ``(item == tensor).any().item()`` for a
    tensor or a number, torch's RuntimeError for anything else."""
    import numbers

    import numpy as np

    if isinstance(item, np.generic) and isinstance(item, numbers.Number):
        item = item.item()
    if not isinstance(item, Tensor | bool | int | float | complex):
        t = type(item)
        name = t.__name__ if t.__module__ == "builtins" else _type_name(item)
        raise TorchRuntimeError("Tensor.__contains__ only supports Tensor or scalar, but you "
                                f"passed in a <class '{name}'>.")
    return bool((tensor == item).any().item())


class TorchAssertionError(AdcliError, AssertionError):
    """A failed ``assert``."""

    kind = "AssertionError"


def _object_bound() -> int:
    """The Python-object bound: a tenth of the element bound (0: none)."""
    return _limits_mod.current().max_elements // 10


def _check_objects(count: int, what: str) -> None:
    bound = _object_bound()
    if bound and count > bound:
        raise LimitError(f"{what} of more than {bound:,} items is over the limit of {bound:,} "
                         "(a tenth of --max-elements / ADCLI_MAX_ELEMENTS)")


def _unpack(value, what: str = "unpacking") -> list:
    """The items of ``*value``, refused beyond the Python-object bound."""
    if isinstance(value, (list, tuple)):
        return value
    try:
        iter(value)
    except TypeError:
        raise TorchTypeError(
            f"Value after * must be an iterable, not {_type_name(value)}") from None
    return bounded_items(value, what)


def _format_value(value, spec: str) -> str:
    """``format(value, spec)`` as Python and torch do it, the spec checked first."""
    check_spec(spec)
    if isinstance(value, Tensor):
        if value.dim() == 0:
            return format(value.item(), spec)
        if spec:
            raise TorchTypeError("unsupported format string passed to Tensor.__format__")
        return str(value)
    if value is None or isinstance(value, (bool, int, float, complex, str)) or \
            _C.MARK in type(value).__dict__:
        return format(value, spec)
    if isinstance(value, NUMPY):
        return _format_numpy(value, spec)
    dt = sys.modules.get("datetime")
    if spec and dt is not None and isinstance(value, dt.date | dt.time):
        from adcli.lang.pylib.datetimemod import checked_strftime

        return checked_strftime(value, spec)  # f"{d:%Y-%m-%d}": strftime, as Python
    if spec:
        raise TorchTypeError(
            f"unsupported format string passed to {_type_name(value)}.__format__")
    return str(value)


def _datetime_delta(value) -> bool:
    dt = sys.modules.get("datetime")
    return dt is not None and type(value) is dt.timedelta


def _format_numpy(value, spec: str) -> str:
    """``format(value, spec)`` for a numpy scalar or array as numpy's ``__format__`` does it:
    a scalar (or a 0-d array's item) of a bool, integer, floating or complex type formats
    as the Python bool/int/float/complex it converts to; any other array refuses a
    non-empty spec and formats as ``str``."""
    import numpy as np

    if isinstance(value, np.ndarray):
        if value.ndim != 0:
            if spec:
                raise TorchTypeError(
                    "unsupported format string passed to numpy.ndarray.__format__")
            return str(value)
        value = value[()]
    if isinstance(value, np.bool_):
        return format(bool(value), spec)
    if isinstance(value, np.integer):
        return format(int(value), spec)
    if isinstance(value, np.floating):
        return format(float(value), spec)
    if isinstance(value, np.complexfloating):
        return format(complex(value), spec)
    if spec:
        raise TorchTypeError(
            f"unsupported format string passed to {_type_name(value)}.__format__")
    return str(value)


_CONVERSIONS = {"r": repr, "s": str, "a": ascii}
_MISSING = object()


class _Break(_Control):
    pass


class _Continue(_Control):
    pass


class InternalError(Exception):
    """A bug in adcli itself (not the user's mistake), carrying the original exception."""

    def __init__(self, original: BaseException, pos: tuple[int, int] | None) -> None:
        super().__init__(f"{type(original).__name__}: {original}")
        self.original = original
        self.pos = pos


def _locate(exc: BaseException, pos) -> BaseException:
    """Turn an exception raised at ``pos`` into an AdcliError with a position."""
    if isinstance(exc, AdcliError):
        if exc.pos is None:
            exc.pos = pos
        return exc
    if isinstance(exc, (_Control, InternalError)):
        return exc
    if isinstance(exc, StopIteration) or _C.is_script_instance(exc):
        # a script's own exception that passed through Python (a class's __next__, next())
        err = _F.ScriptError(exc)
        err.pos = pos
        return err
    if isinstance(exc, RecursionError | MemoryError):
        what = "the computation nests too deeply (recursion)" if isinstance(
            exc, RecursionError) else "out of memory"
        err = LimitError(what, pos=pos)
        err.original = exc  # for tests: a bound that held only because Python gave out
        return err
    wrapped = adcli_error_for(exc)
    if wrapped is not None:
        wrapped.pos = pos
        return wrapped
    return InternalError(exc, pos)


class _Globals(dict):
    """A session's global names: the name table, then the library's Python builtins
    (``sorted``, ``isinstance``, ``dict``, ...), made on first use."""

    __slots__ = ("session",)

    def __missing__(self, key: str):
        if key in _library.LIBRARY_BUILTINS:
            value = self[key] = _library.builtin(self.session, key)
            return value
        if key in _F.EXCEPTION_CLASSES:
            return _F.EXCEPTION_CLASSES[key]
        if key == "__file__":  # the script's path (not with -c or in a notebook), in the
            # virtual working directory of adcli/lang/pylib/osmod.py, as `python prog.py`
            # run there gives it
            filename = _library.context_of(self.session).filename
            if not filename.startswith("<"):
                from adcli.lang.pylib.osmod import script_path

                return script_path(filename)
        raise KeyError(key)


class Scope(dict):
    """Variables of one scope; a miss falls through to the enclosing scope, then globals."""

    __slots__ = ("parent", "globals")

    def __init__(self, parent: Scope | None, globals_: dict) -> None:
        super().__init__()
        self.parent = parent
        self.globals = globals_

    def __missing__(self, key: str):
        if self.parent is not None:
            return self.parent[key]
        try:
            return self.globals[key]
        except KeyError:
            raise _name_error(key, self) from None


class _ComprehensionScope(Scope):
    """The names a comprehension binds; ``:=`` inside one binds in the scope around it."""

    __slots__ = ()


class _ClassScope(Scope):
    """The names a class body binds (its namespace); ``cell`` holds the class once made."""

    __slots__ = ("cell",)

    def __init__(self, parent: Scope, globals_: dict) -> None:
        super().__init__(parent, globals_)
        self.cell: list = [None]


def _mentions(node, names) -> bool:
    """Whether a syntax tree reads one of ``names`` (``super`` in a method body)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Node):
            if n.kind == "name" and n.fields and n.fields[0] in names:
                return True
            stack.extend(n.fields)
        elif isinstance(n, (list, tuple)):
            stack.extend(n)
    return False


_SCOPES = frozenset(("def", "class", "lambda", "lambda_args"))


def _has_yield(node) -> bool:
    """Whether a statement (or list of them) yields, not counting nested functions."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Node):
            if n.kind == "yield" or n.kind == "yield_from":
                return True
            if n.kind not in _SCOPES:
                stack.extend(n.fields)
        elif isinstance(n, (list, tuple)):
            stack.extend(n)
    return False


def _annotation_text(node) -> str:
    """An annotation as its source reads (``List[float]``, ``Optional[int]``, ``'Node'``):
    what ``__annotations__`` holds under ``from __future__ import annotations``."""
    kind, f = node.kind, node.fields
    if kind == "name":
        return f[0]
    if kind == "getattr":
        return f"{_annotation_text(f[0])}.{f[1]}"
    if kind == "getitem":
        inner = f[1]
        if inner.kind == "tuple":
            return f"{_annotation_text(f[0])}[{', '.join(map(_annotation_text, inner.fields[0]))}]"
        return f"{_annotation_text(f[0])}[{_annotation_text(inner)}]"
    if kind == "const":
        return repr(f[0]) if f[0] is not None and f[0] is not Ellipsis else str(f[0])
    if kind == "binop" and f[1] == "|":
        return f"{_annotation_text(f[0])} | {_annotation_text(f[2])}"
    if kind in ("list", "tuple"):
        return "[" + ", ".join(map(_annotation_text, f[0])) + "]"
    return "..."


def _truth_at(value, pos) -> bool:
    """``bool(value)`` for a test at ``pos`` (a tensor's ambiguous truth located there)."""
    try:
        return bool(value)
    except Exception as e:
        raise _locate(e, pos) from None


def _note_statement(err: AdcliError, pos) -> None:
    """The line of ``err`` in the frame it passes (for the traceback): where it was raised
    in the innermost frame, the statement's line in a caller (unless a call noted one)."""
    if err.__dict__.get("_line") is None:
        inner = not err.__dict__.get("frames") and err.pos
        err.__dict__["_line"] = err.pos[0] if inner else pos[0]


def _first_yield(node) -> Node:
    """The first ``yield`` in a statement (for an error's position), or the node itself."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Node):
            if n.kind in ("yield", "yield_from"):
                return n
            if n.kind not in _SCOPES:
                stack.extend(reversed(n.fields))
        elif isinstance(n, (list, tuple)):
            stack.extend(reversed(n))
    return node


def _name_error(key: str, scope: Scope) -> TorchNameError:
    """Python's NameError; it carries what CPython's traceback searches for its
    "Did you mean" hint (``lang/suggestions.py``): the module's names."""
    err = TorchNameError(f"name '{key}' is not defined")
    while scope.parent is not None:
        scope = scope.parent
    err.missing_name = key
    err.module_names = [n for n in scope if isinstance(n, str)]
    return err


class Lambda:
    """A ``lambda`` value: parameters, a compiled body and the scope it closes over."""

    __slots__ = ("params", "body", "scope", "session")

    def __init__(self, params, body, scope, session) -> None:
        self.params = params
        self.body = body
        self.scope = scope
        self.session = session

    def __call__(self, *args, **kwargs):
        params = self.params
        if len(args) > len(params):
            raise TorchTypeError(
                f"<lambda>() takes {len(params)} positional argument"
                f"{'s' if len(params) != 1 else ''} but {len(args)} were given"
            )
        local = Scope(self.scope, self.scope.globals)
        for name, value in zip(params, args):
            local[name] = value
        for name, value in kwargs.items():
            if name not in params or name in local:
                raise TorchTypeError(f"<lambda>() got an unexpected keyword argument '{name}'")
            local[name] = value
        missing = [p for p in params if p not in local]
        if missing:
            raise TorchTypeError(f"<lambda>() missing argument '{missing[0]}'")
        sess = self.session
        sess.steps += 1
        if sess.steps > sess.max_steps or not sess.steps & 63:
            sess.check_bounds(None)
        sess.call_depth += 1
        try:
            if sess.call_depth > sess.call_cap:
                raise _F.too_deep(sess, "lambda calls")
            return self.body(local)
        except AdcliError as e:
            if not isinstance(e, LimitError):
                _F.record_frame(e, "<lambda>")
            raise
        finally:
            sess.call_depth -= 1

    def __repr__(self) -> str:
        return f"<function <lambda> at 0x{id(self):x}>"

    def __getattr__(self, name: str):
        if name == "__qualname__":  # for the repr of a bound method
            return "<lambda>"
        raise AttributeError(name)

    def __get__(self, obj, objtype=None):
        return self if obj is None else types.MethodType(self, obj)


from adcli.lang.pylib._common import PyType  # noqa: E402
from adcli.lang.pylib.pybuiltins import script_function_types  # noqa: E402

script_function_types(Function, Lambda)


def _type_name(value) -> str:
    if isinstance(value, Tensor):
        return "Tensor"
    return type(value).__name__


def _grad_fn_types():
    from adcli.engine import tensor as T

    return tuple(getattr(T, n) for n in ("Node", "GradFn", "Function") if hasattr(T, n))


_GRAD_FN_TYPES: tuple = ()


def get_attribute(obj, name: str):
    """``obj.name`` for the types and names that the language allows."""
    if isinstance(obj, Tensor):
        acc = N.TENSOR_ACCESSORS.get(name)
        if acc is None and name == "__class__":
            return _library.type_of_value(obj)  # torch.Tensor, or nn.Parameter
        if acc is None and name in _TENSOR_DUNDERS and hasattr(Tensor, name):
            return getattr(obj, name)  # x.__setitem__(i, v), x.__len__(): torch's own
    elif name == "__class__" and _C.MARK not in type(obj).__dict__ and not isinstance(
            obj, _C.ScriptSuper):
        return _library.type_of_value(obj)  # what type(obj) gives
    elif obj.__class__ is Function:
        return _F.function_attribute(obj, name)
    elif obj.__class__ is Lambda:
        if name in ("__name__", "__doc__"):
            return "<lambda>" if name == "__name__" else None
        raise TorchAttributeError(f"'function' object has no attribute '{name}'")
    elif _C.MARK in type(obj).__dict__:
        return _C.instance_attribute(obj, name)
    elif isinstance(obj, type) and _C.MARK in obj.__dict__:
        return _C.class_attribute(obj, name)
    elif isinstance(obj, type) and hasattr(obj, "__adcli_public__"):
        return _C.host_class_attribute(obj, name)
    elif isinstance(obj, _C.ScriptSuper):
        return obj.attribute(name)
    elif isinstance(obj, types.MethodType):
        return _C.method_attribute(obj, name)
    elif isinstance(obj, property):
        return _C.property_attribute(obj, name)
    elif obj.__class__ is _F.Generator:
        return _F.generator_attribute(obj, name)
    elif isinstance(obj, BaseException) or _F.is_exception_class(obj):
        return _F.exception_attribute(obj, name)
    elif isinstance(obj, N.Namespace):
        try:
            return obj.members[name]
        except KeyError:
            raise _missing_attribute(obj, name) from None
    elif isinstance(obj, list):
        acc = N.LIST_ACCESSORS.get(name)
    elif isinstance(obj, RemovableHandle):
        acc = N.HANDLE_ACCESSORS.get(name)
    elif isinstance(obj, _Generator):
        acc = N.GENERATOR_ACCESSORS.get(name)
    elif isinstance(obj, tuple):
        fields = getattr(type(obj), "_fields", ())
        acc = N.RETURN_TYPE_ACCESSORS.get(name) if name in fields else None
        if acc is None and hasattr(type(obj), name) and (
                (not name.startswith("_") and name in fields)
                or (fields and name in ("_fields", "_asdict", "_replace"))):
            acc = operator.attrgetter(name)  # a named tuple's (load_state_dict's result)
        if acc is None:
            acc = N.TUPLE_ACCESSORS.get(name)
        if acc is None and name == "numel" and isinstance(obj, _Size):
            acc = operator.attrgetter("numel")  # torch.Size.numel()
    else:
        global _GRAD_FN_TYPES
        if not _GRAD_FN_TYPES:
            _GRAD_FN_TYPES = _grad_fn_types()
        if isinstance(obj, _GRAD_FN_TYPES):
            acc = N.GRAD_FN_ACCESSORS.get(name)
        elif _C.is_public_host(obj):  # nn modules, optimizers, data loaders, ...
            try:
                return _C.host_attribute(obj, name)
            except TorchAttributeError:
                delegate = getattr(type(obj), "__adcli_delegate__", None)
                if delegate is None:  # else: torch.compile's module reads its original's
                    raise
                return get_attribute(delegate(obj), name)
        else:  # the library's values: str/dict/set methods, numpy arrays, Counter, ...
            return _library.attribute(obj, name)
    if acc is None:
        if isinstance(obj, (list, tuple)):  # methods beyond append/index/count
            return _library.attribute(obj, name)
        raise _missing_attribute(obj, name)
    return acc(obj)


# the special methods a script may call on a tensor by name (the parser's list)
_TENSOR_DUNDERS = frozenset(n for n in DUNDER_METHODS if n not in (
    "__init__", "__setattr__", "__delattr__", "__getattr__", "__new__"))

_STDLIB_MODULES = frozenset(("math", "random", "itertools", "functools", "collections",
                             "typing", "copy", "time"))


def _missing_attribute(obj, name: str) -> TorchAttributeError:
    """The AttributeError for ``obj.name``: torch's or Python's words when torch (or the
    module) has no such name either, with what CPython's "Did you mean" hint searches;
    adcli's own words, pointing at the docs, when only adcli lacks it."""
    from adcli.lang.torch_dirs import DIRS

    if isinstance(obj, N.Namespace):
        where = f"module '{obj.name}'"
        if obj.name in _STDLIB_MODULES:
            import importlib

            known = dir(importlib.import_module(obj.name))
        else:
            known = DIRS.get(obj.name)
    else:
        where = f"'{_type_name(obj)}' object"
        known = DIRS.get("Tensor") if isinstance(obj, Tensor) else None
    if known is not None and name in known:
        return TorchAttributeError(f"{where} has no attribute '{name}' in adcli (see "
                                   "docs/functions.md for what is supported)")
    err = TorchAttributeError(f"{where} has no attribute '{name}'")
    if known is not None:
        err.missing_name = name
        err.dir_names = known
    return err


def _set_attribute(obj, name: str, value) -> None:
    if _C.MARK in type(obj).__dict__ or (isinstance(obj, type) and _C.MARK in obj.__dict__):
        _C.set_attribute(obj, name, value)
        return
    if obj.__class__ is Function:
        _F.set_function_attribute(obj, name, value)
        return
    if _C.is_public_host(obj) and _C.host_settable(obj, name):
        _C.set_attribute(obj, name, value)
        return
    setter = N.TENSOR_SETTABLE.get(name) if isinstance(obj, Tensor) else None
    if setter is None:
        raise TorchAttributeError(
            f"cannot set attribute '{name}' of a '{_type_name(obj)}' "
            "(only .requires_grad, .grad and .data of a tensor can be set)"
        )
    setter(obj, value)


def _set_item(obj, index, value) -> None:
    if isinstance(obj, (Tensor, list, dict)) or _C.MARK in type(obj).__dict__ or (
            _C.is_public_host(obj) and hasattr(type(obj), "__setitem__")):
        obj[index] = value
        return
    if isinstance(obj, NUMPY) and type(obj).__name__ == "ndarray":
        from adcli.lang.pylib.numpy_subset import ndarray_setitem

        ndarray_setitem(obj, index, value)
        return
    if type(obj) is collections.ChainMap:
        _chainmap(obj)[index] = value
        return
    raise TorchTypeError(f"'{_type_name(obj)}' object does not support item assignment")


def _get_item(obj, index):
    if isinstance(obj, (Tensor, list, tuple, str, range, dict)):
        return obj[index]
    if type(obj).__name__ == "deque" and type(obj).__module__ == "collections":
        return obj[index]
    if _C.MARK in type(obj).__dict__:  # a script class's __getitem__ (or its TypeError)
        return obj[index]
    if _C.is_script_enum(obj):  # Color['RED']: EnumType's lookup of a member by name
        return obj[index]
    if _C.is_public_host(obj) and hasattr(type(obj), "__getitem__"):  # Sequential[0], ...
        return obj[index]
    if _library.is_generic(obj):  # List[float], list[int], Optional[str]
        return obj[index]
    if isinstance(obj, NUMPY):
        return numpy_getitem(obj, index)
    if type(obj) is collections.ChainMap:
        return _chainmap(obj)[index]
    raise TorchTypeError(f"'{_type_name(obj)}' object is not subscriptable")


def _chainmap(cm):
    """``cm`` once its maps are checked to be dicts (or ChainMaps of them)."""
    from adcli.lang.pylib.collectionsmod import check_chainmap

    check_chainmap(cm)
    return cm


def _grad_mode_types():
    from adcli.engine import api

    out = []
    for n in ("no_grad", "enable_grad", "set_grad_enabled", "inference_mode"):
        obj = getattr(api, n, None)
        if isinstance(obj, type):
            out.append(obj)
    return tuple(out)


# ---- the compiler -----------------------------------------------------------------------
# The errors being handled by the `except` blocks now running (innermost last), for `raise`.
_CURRENT_EXC: list = []


def _match_handler(compiled, scope, err):
    """The first ``except`` clause of ``compiled`` that matches ``err``, or None."""
    for handler in compiled:
        tf, hpos = handler[0], handler[4]
        if tf is not None:
            try:
                if not _F.exception_matches(err, tf(scope)):
                    continue
            except AdcliError as e:
                if e.pos is None:
                    e.pos = hpos
                raise
        return handler
    return None


class _FuncInfo:
    """What compiling one function body needs: its qualname and its declarations."""

    __slots__ = ("qualname", "globals_", "nonlocals", "method_of", "first_param", "locals",
                 "varnames")

    def __init__(self, qualname: str, method_of: str | None = None,
                 first_param: str | None = None) -> None:
        self.qualname = qualname
        self.globals_: set = set()
        self.nonlocals: set = set()
        self.locals: frozenset = frozenset()  # names bound anywhere in the body
        self.varnames: tuple = ()  # the same in CPython's co_varnames order (for hints)
        self.method_of = method_of      # the class, for a function defined in a class body
        self.first_param = first_param  # what zero-argument super() binds


def _collect_declarations(stmts, info: _FuncInfo, compiler) -> None:
    """The ``global``/``nonlocal`` names of a function body (not of nested functions)."""
    stack = list(stmts)
    while stack:
        node = stack.pop()
        if not isinstance(node, Node) or node.kind in ("def", "class", "lambda",
                                                        "lambda_args"):
            continue
        if node.kind == "global":
            info.globals_.update(node.fields[0])
        elif node.kind == "nonlocal":
            for n in node.fields[0]:
                if n in info.globals_:
                    raise AdcliSyntaxError(f"name '{n}' is nonlocal and global", pos=node.pos)
            info.nonlocals.update(node.fields[0])
        for f in node.fields:
            if isinstance(f, Node):
                stack.append(f)
            elif isinstance(f, (list, tuple)):
                for x in f:
                    if isinstance(x, Node):
                        stack.append(x)
                    elif isinstance(x, tuple):
                        stack.extend(y for y in x if isinstance(y, Node))


_COMPREHENSIONS = frozenset(("listcomp", "setcomp", "genexp", "dictcomp"))


def _target_names(target, out: list) -> None:
    stack = [target]
    while stack:
        n = stack.pop()
        if n.kind == "name":
            out.append(n.fields[0])
        elif n.kind in ("tuple", "list"):
            stack.extend(reversed(n.fields[0]))
        elif n.kind == "starred":
            stack.append(n.fields[0])


def _bound_names(stmts) -> list:
    """The names a function body binds (so that they are local in all of it, as in
    Python), in order of first binding; nested functions, classes and comprehensions
    bind their own (but ``:=`` in a comprehension binds here)."""
    out: list = []
    stack = list(reversed(stmts))
    while stack:
        node = stack.pop()
        if isinstance(node, (list, tuple)):
            stack.extend(reversed(node))
            continue
        if not isinstance(node, Node):
            continue
        k = node.kind
        f = node.fields
        if k in ("def", "class"):
            out.append(f[0])
            if k == "def":  # defaults and decorators run here
                stack.extend(reversed([p.fields[2] for p in f[1].fields[0] + f[1].fields[1]
                                       + f[1].fields[3] if p.fields[2] is not None] + f[4]))
            else:
                stack.extend(reversed(f[1] + f[4]))
            continue
        if k in ("lambda", "lambda_args", "global", "nonlocal"):
            continue
        if k in _COMPREHENSIONS:
            inner = [n for n in _walk(node) if n.kind == "namedexpr"]
            out.extend(n.fields[0] for n in inner)
            continue
        if k == "assign":
            for t in f[0]:
                _target_names(t, out)
        elif k in ("augassign", "annassign", "for", "for_else"):
            _target_names(f[0], out)
        elif k == "with_items":
            for _, t in f[0]:
                if t is not None:
                    _target_names(t, out)
        elif k == "except" and f[1] is not None:
            out.append(f[1])
        elif k == "import" and f[0] is not None:
            out.append(f[0])
        elif k == "import_names":
            out.extend(asname or dotted.split(".")[0] for dotted, asname in f[0])
        elif k == "import_from" and f[1] is not None:
            out.extend(asname or name for name, asname in f[1])
        elif k == "del":
            for t in f[0]:
                _target_names(t, out)
        elif k == "namedexpr":
            out.append(f[0])
        elif k == "p_capture" or (k == "p_star" and f[0] is not None):
            out.append(f[0])
        elif k == "p_as" or (k == "p_mapping" and f[1] is not None):
            out.append(f[1])
        stack.extend(reversed(f))
    return out


def _walk(node):
    """Every node under ``node`` (not into nested functions and classes)."""
    stack = [node]
    while stack:
        n = stack.pop()
        if isinstance(n, Node):
            yield n
            if n.kind not in _SCOPES:
                stack.extend(n.fields)
        elif isinstance(n, (list, tuple)):
            stack.extend(n)


class _Compiler:
    """Turns syntax-tree nodes into closures ``fn(scope) -> value`` for one session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.loop_depth = 0
        self.func: _FuncInfo | None = None  # the function whose body is being compiled
        self.handler_depth = 0  # how many `except` blocks enclose the code being compiled
        self.class_body: str | None = None  # qualname of the class whose body this is
        self.inspector = INSPECTOR[0]
        if self.inspector is not None and session not in self.inspector.sessions:
            self.inspector.sessions.append(session)

    # expressions -------------------------------------------------------------------------
    def expr(self, node: Node):
        method = getattr(self, "e_" + node.kind, None)
        if method is None:
            raise _not_yet(node)
        if self.inspector is not None and node.kind in _INSPECTED_KINDS:
            return self.inspector.wrap(node, method(node, *node.fields), self._where())
        return method(node, *node.fields)

    def e_const(self, node, value):
        return lambda scope: value

    def e_name(self, node, name):
        func = self.func
        if func is not None and name in func.locals:
            return self._local_name(node, name)
        if func is not None and name in self.func.globals_:
            pos = node.pos

            def ev_global(scope):
                while scope.parent is not None:
                    scope = scope.parent
                try:
                    return scope[name]
                except AdcliError as e:
                    if e.pos is None:
                        e.pos = pos
                    raise

            return ev_global
        pos = node.pos
        varnames = func.varnames if func is not None else ()

        def ev(scope):
            try:
                return scope[name]
            except AdcliError as e:
                if e.pos is None:
                    e.pos = pos
                    if e.kind == "NameError":
                        e.local_names = varnames
                raise

        return ev

    def _local_name(self, node, name):
        """A name the function binds somewhere: local in all of its body, as in Python
        (read before it is bound, it is an UnboundLocalError, not the global)."""
        pos = node.pos
        get = dict.get
        missing = _MISSING

        def ev_local(scope):
            value = get(scope, name, missing)
            if value is not missing:
                return value
            while scope.__class__ is _ComprehensionScope:  # [x for ...] inside the function
                scope = scope.parent
                value = get(scope, name, missing)
                if value is not missing:
                    return value
            raise _F.ScriptError(UnboundLocalError(
                f"cannot access local variable '{name}' where it is not associated with a "
                "value"), pos=pos)

        return ev_local

    def e_binop(self, node, left, sym, right):
        lf, rf = self.expr(left), self.expr(right)
        pos = node.pos
        if sym in _BITWISE:

            def bitwise(scope):
                a = lf(scope)
                b = rf(scope)
                try:
                    return _bitwise_int(sym, a, b)
                except Exception as e:
                    raise _locate(e, pos) from None

            return bitwise
        fn = BINOPS[sym]
        small = _small_int_bound(self.session)
        cheap = sym in _CHEAP_NUMBER_OPS  # no result bigger than twice its operands

        if right.kind == "const" and right.fields[0].__class__ in (int, float) and cheap:
            b = right.fields[0]  # `i % 7`: the constant, without a call
            if left.kind == "name":
                lname, get, missing = left.fields[0], dict.get, _MISSING

                def ev_name_const(scope):  # `i % 7`: the name read from its scope
                    a = get(scope, lname, missing)
                    if a is missing:
                        a = lf(scope)
                    try:
                        if a.__class__ is int or a.__class__ is float:
                            r = fn(a, b)
                            if r.__class__ is not int or -small < r < small:
                                return r
                            return python_binop(sym, a, b, fn)
                        if a.__class__ is Tensor:
                            return fn(a, b)
                        return binop(sym, a, b, fn)
                    except Exception as e:
                        raise _locate(e, pos) from None

                return ev_name_const

            def ev_const(scope):
                a = lf(scope)
                try:
                    if a.__class__ is int or a.__class__ is float:
                        r = fn(a, b)
                        if r.__class__ is not int or -small < r < small:
                            return r
                        return python_binop(sym, a, b, fn)
                    if a.__class__ is Tensor:
                        return fn(a, b)
                    return binop(sym, a, b, fn)
                except Exception as e:
                    raise _locate(e, pos) from None

            return ev_const

        if left.kind == "name" and right.kind == "name":
            lname, rname, get, missing = left.fields[0], right.fields[0], dict.get, _MISSING

            def ev_names(scope):  # `a * b`: both names read from their scope
                a = get(scope, lname, missing)
                if a is missing:
                    a = lf(scope)
                b = get(scope, rname, missing)
                if b is missing:
                    b = rf(scope)
                try:
                    ca, cb = a.__class__, b.__class__
                    if (ca is int or ca is float) and (cb is int or cb is float) and cheap:
                        r = fn(a, b)
                        if r.__class__ is not int or -small < r < small:
                            return r
                        return python_binop(sym, a, b, fn)
                    if ca is Tensor and (cb is Tensor or cb is float or cb is int):
                        return fn(a, b)
                    if cb is Tensor and (ca is float or ca is int):
                        return fn(a, b)
                    if (ca is int or ca is float) and (cb is int or cb is float):
                        return python_binop(sym, a, b, fn)
                    return binop(sym, a, b, fn)
                except Exception as e:
                    raise _locate(e, pos) from None

            return ev_names

        def ev(scope):
            a = lf(scope)
            b = rf(scope)
            try:
                # tensor-tensor and tensor-number go straight to the engine, which checks
                # its broadcasts; everything else goes through operators.binop's checks
                ca, cb = a.__class__, b.__class__
                if ca is int or ca is float:
                    if cb is int or cb is float:  # numbers: only the integer-bits bound
                        if cheap:
                            r = fn(a, b)
                            if r.__class__ is not int or -small < r < small:
                                return r
                        return python_binop(sym, a, b, fn)
                    if cb is Tensor:
                        return fn(a, b)
                elif ca is Tensor:
                    if cb is Tensor or cb is float or cb is int:
                        return fn(a, b)
                return binop(sym, a, b, fn)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_unary(self, node, sym, operand):
        f = self.expr(operand)
        fn = {"-": operator.neg, "+": operator.pos, "~": operator.invert}[sym]
        pos = node.pos
        kinds = (int, Tensor) if sym == "~" else (Tensor, int, float, complex)

        def ev(scope):
            v = f(scope)
            try:
                if not isinstance(v, kinds) and _C.MARK not in type(v).__dict__:
                    if sym != "~" and (type(v) is collections.Counter or
                                       _datetime_delta(v)):
                        return fn(v)  # Counter's positive counts; -timedelta
                    if isinstance(v, NUMPY):
                        from adcli.lang.pylib.numpy_subset import ndarray_unary

                        return ndarray_unary(sym, v, fn)  # numeric dtypes, numpy's errors
                    raise TorchTypeError(f"bad operand type for unary {sym}: '{_type_name(v)}'")
                return fn(v)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_not(self, node, operand):
        f = self.expr(operand)
        pos = node.pos

        def ev(scope):
            v = f(scope)
            try:
                return not v
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def _truth(self, node):
        f = self.expr(node)
        pos = node.pos

        def ev(scope):
            v = f(scope)
            if v is True or v is False:
                return v
            try:
                return bool(v)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def _short_circuit(self, items, stop_if_true: bool):
        """``and`` (stop at the first false value) or ``or`` (at the first true one)."""
        fns = [(self.expr(i), i.pos) for i in items[:-1]]
        last = self.expr(items[-1])

        def ev(scope):
            for f, pos in fns:
                v = f(scope)
                try:
                    if bool(v) is stop_if_true:
                        return v
                except Exception as e:
                    raise _locate(e, pos) from None
            return last(scope)  # the last operand is the value, never tested

        return ev

    def e_and(self, node, items):
        return self._short_circuit(items, stop_if_true=False)

    def e_or(self, node, items):
        return self._short_circuit(items, stop_if_true=True)

    def e_compare(self, node, first, ops):
        ff = self.expr(first)
        steps = [(COMPARE.get(op, op), self.expr(rhs)) for op, rhs in ops]
        pos = node.pos
        if len(steps) == 1 and steps[0][0] not in ("in", "not in") and \
                ops[0][1].kind == "const" and ops[0][1].fields[0].__class__ in (int, float):
            fn, b = steps[0][0], ops[0][1].fields[0]

            def ev_const(scope):  # `i % 1000 == 0`: the constant without a call
                a = ff(scope)
                try:
                    if a.__class__ is int or a.__class__ is float or a.__class__ is Tensor:
                        return fn(a, b)
                    return compare(fn, a, b)
                except Exception as e:
                    raise _locate(e, pos) from None

            return ev_const
        if len(steps) == 1 and steps[0][0] not in ("in", "not in"):
            fn, rf = steps[0]

            def ev_one(scope):  # `a < b`: numbers and tensors straight to the operator
                a = ff(scope)
                b = rf(scope)
                try:
                    ca, cb = a.__class__, b.__class__
                    if ca is Tensor or ((ca is int or ca is float) and (
                            cb is int or cb is float or cb is Tensor)):
                        return fn(a, b)
                    return compare(fn, a, b)
                except Exception as e:
                    raise _locate(e, pos) from None

            return ev_one

        def ev(scope):
            a = ff(scope)
            result = True
            try:
                for i, (fn, rf) in enumerate(steps):
                    b = rf(scope)
                    ca, cb = a.__class__, b.__class__
                    if fn == "in" or fn == "not in":
                        result = _contains(b, a) is (fn == "in")
                    elif ca is Tensor or ((ca is int or ca is float) and (
                            cb is int or cb is float or cb is Tensor)):
                        result = fn(a, b)  # the engine checks a tensor's broadcast
                    else:
                        result = compare(fn, a, b)
                    if i + 1 < len(steps) and not result:
                        return result
                    a = b
            except Exception as e:
                raise _locate(e, pos) from None
            return result

        return ev

    def e_ternary(self, node, body, test, orelse):
        bf, tf, of = self.expr(body), self._truth(test), self.expr(orelse)
        return lambda scope: bf(scope) if tf(scope) else of(scope)

    def e_lambda(self, node, params, body):
        saved = self.func
        self.func = _FuncInfo("<lambda>")  # its own scope: the outer function's locals
        self.func.varnames = tuple(params)  # are free variables here
        self.func.locals = frozenset(params)
        try:
            bf = self.expr(body)
        finally:
            self.func = saved
        session = self.session
        return lambda scope: Lambda(params, bf, scope, session)

    def e_call(self, node, func, args, keywords):
        if func.kind == "name" and func.fields[0] == "super" and not args and not keywords \
                and self.func is not None and self.func.method_of is not None:
            return self._zero_arg_super(node)
        if any(a.kind == "starred" for a in args) or any(k is None for k, _ in keywords):
            return self._call_unpacking(node, func, args, keywords)
        if func.kind == "name" and func.fields[0] == "vars" and not args and not keywords \
                and self.func is not None:
            return self._local_vars(node, func)
        ff = self.expr(func)
        afs = [self.expr(a) for a in args]
        kfs = [(k, self.expr(v)) for k, v in keywords]
        pos = node.pos

        def ev(scope):
            fn = ff(scope)
            argv = [f(scope) for f in afs]
            kwargs = {k: f(scope) for k, f in kfs}
            if not callable(fn) or isinstance(fn, (Tensor, type(None))):
                raise TorchTypeError(f"'{_type_name(fn)}' object is not callable", pos=pos)
            try:
                return fn(*argv, **kwargs)
            except AdcliError as e:
                _F.note_line(e, pos[0])  # the call's line, in the traceback's frame here
                raise _locate(e, pos) from None
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def _local_vars(self, node, func):
        """``vars()`` in a function: a dict of its local names (CPython's locals())."""
        ff = self.expr(func)
        session = self.session
        pos = node.pos

        def ev(scope):
            fn = ff(scope)
            if fn is not _library.builtin(session, "vars"):
                try:
                    return fn()
                except AdcliError as e:
                    raise _locate(e, pos) from None
            while isinstance(scope, _ComprehensionScope):
                scope = scope.parent
            return dict(dict.items(scope))

        return ev

    def _zero_arg_super(self, node):
        """``super()`` in a method: its class and its first argument."""
        first = self.func.first_param
        pos = node.pos

        def ev(scope):
            if first is None:
                raise TorchRuntimeError("super(): no arguments", pos=pos)
            try:
                cls = scope["__class__"]
                obj = scope[first]
            except AdcliError:
                raise TorchRuntimeError("super(): __class__ cell not found", pos=pos) from None
            try:
                return _C.ScriptSuper(cls, obj)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def _call_unpacking(self, node, func, args, keywords):
        """A call with ``*iterable`` or ``**mapping`` arguments."""
        ff = self.expr(func)
        afs = [(a.kind == "starred", self.expr(a.fields[0] if a.kind == "starred" else a))
               for a in args]
        kfs = [(k, self.expr(v)) for k, v in keywords]
        pos = node.pos

        def ev(scope):
            fn = ff(scope)
            argv: list = []
            kwargs: dict = {}
            try:
                for star, f in afs:
                    if star:
                        argv.extend(_unpack(f(scope), "argument unpacking"))
                        _check_objects(len(argv), "argument unpacking")
                    else:
                        argv.append(f(scope))
                for k, f in kfs:
                    if k is not None:
                        if k in kwargs:
                            raise TorchTypeError(f"got multiple values for keyword argument '{k}'")
                        kwargs[k] = f(scope)
                        continue
                    mapping = f(scope)
                    if not isinstance(mapping, dict):
                        raise TorchTypeError(
                            f"argument after ** must be a mapping, not {_type_name(mapping)}")
                    for key, value in mapping.items():
                        if not isinstance(key, str):
                            raise TorchTypeError("keywords must be strings")
                        if key.startswith("__"):
                            raise TorchTypeError(f"keyword argument '{key}' is not allowed")
                        if key in kwargs:
                            raise TorchTypeError(
                                f"got multiple values for keyword argument '{key}'")
                        kwargs[key] = value
            except Exception as e:
                raise _locate(e, pos) from None
            if not callable(fn) or isinstance(fn, (Tensor, type(None))):
                raise TorchTypeError(f"'{_type_name(fn)}' object is not callable", pos=pos)
            try:
                return fn(*argv, **kwargs)
            except AdcliError as e:
                _F.note_line(e, pos[0])
                raise _locate(e, pos) from None
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    # displays, f-strings, comprehensions ---------------------------------------------------
    def _items(self, items, what: str):
        """A closure giving the list of a display's items, ``*x`` unpacked and bounded."""
        if not any(i.kind == "starred" for i in items):
            fns = [self.expr(i) for i in items]
            return lambda scope: [f(scope) for f in fns]
        parts = [(i.kind == "starred", self.expr(i.fields[0] if i.kind == "starred" else i),
                  i.pos) for i in items]

        def ev(scope):
            out: list = []
            for star, f, pos in parts:
                if not star:
                    out.append(f(scope))
                    continue
                v = f(scope)
                try:
                    out.extend(_unpack(v, what))
                    _check_objects(len(out), what)
                except Exception as e:
                    raise _locate(e, pos) from None
            return out

        return ev

    def e_tuple(self, node, items):
        fn = self._items(items, "a tuple display")
        return lambda scope: tuple(fn(scope))

    def e_list(self, node, items):
        return self._items(items, "a list display")

    def e_set(self, node, items):
        """A set display built as CPython builds it, so that it iterates in the same order:
        item by item, ``*s`` merged as ``set.update`` merges, and a display of three or
        more constants merged from the frozenset that CPython's compiler makes of it."""
        pos = node.pos
        if len(items) >= 3 and all(i.kind == "const" for i in items):
            constant = [i.fields[0] for i in items]

            def ev_constant(scope):
                out = set()
                try:
                    out.update(frozenset(constant))
                except Exception as e:
                    raise _locate(e, pos) from None
                return out

            return ev_constant
        parts = [(i.kind == "starred", self.expr(i.fields[0] if i.kind == "starred" else i),
                  i.pos) for i in items]

        def ev(scope):
            out: set = set()
            for star, f, ipos in parts:
                v = f(scope)
                try:
                    if not star:
                        out.add(v)
                        continue
                    out.update(v if isinstance(v, (set, frozenset, dict))
                               else _unpack(v, "a set display"))
                    _check_objects(len(out), "a set display")
                except Exception as e:
                    raise _locate(e, ipos if star else pos) from None
            return out

        return ev

    def e_dict(self, node, items):
        fns = [(None if k is None else self.expr(k), self.expr(v), v.pos) for k, v in items]

        def ev(scope):
            out: dict = {}
            for kf, vf, pos in fns:
                try:
                    if kf is None:
                        mapping = vf(scope)
                        if not isinstance(mapping, dict):
                            raise TorchTypeError(
                                f"'{_type_name(mapping)}' object is not a mapping")
                        out.update(mapping)
                        _check_objects(len(out), "a dict display")
                    else:
                        key = kf(scope)
                        out[key] = vf(scope)
                except AdcliError as e:
                    if e.pos is None:
                        e.pos = pos
                    raise
                except Exception as e:
                    raise _locate(e, pos) from None
            return out

        return ev

    def e_fstring(self, node, parts):
        fns = []
        for part in parts:
            if part.kind == "const":
                text = part.fields[0]
                fns.append(lambda scope, text=text: text)
            else:
                fns.append(self.e_fvalue(part, *part.fields))

        def ev(scope):
            pieces = [f(scope) for f in fns]
            try:
                check_size(sum(len(p) for p in pieces))
            except Exception as e:
                raise _locate(e, node.pos) from None
            return "".join(pieces)

        return ev

    def e_fvalue(self, node, value, conversion, spec):
        vf = self.expr(value)
        sf = self.expr(spec) if spec is not None else None
        convert = _CONVERSIONS.get(conversion) if conversion else None
        pos = node.pos

        def ev(scope):
            v = vf(scope)
            spec_text = sf(scope) if sf is not None else ""
            try:
                if convert is not None:
                    v = convert(v)
                text = _format_value(v, spec_text)
                check_size(len(text))
                return text
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def _generators(self, generators):
        """A closure ``gen(scope)`` yielding the comprehension's inner scope once per item.

        The first iterable is evaluated in the enclosing scope, the rest in the inner one,
        as in Python; each item counts as a step.
        """
        session = self.session
        compiled = []
        for g in generators:
            target, iterable, ifs = g.fields
            compiled.append((self.target(target), self.expr(iterable), iterable.pos,
                             [self._truth(c) for c in ifs]))

        def gen(outer, first):
            inner = _ComprehensionScope(outer, outer.globals)

            def level(i, scope, seq):
                tf, itf, pos, conds = compiled[i]
                if i:
                    seq = itf(scope)
                try:
                    it = iter(seq)
                except Exception as e:
                    raise _locate(e, pos) from None
                last = i + 1 == len(compiled)
                while True:
                    try:
                        item = next(it)
                    except StopIteration:
                        return
                    except Exception as e:
                        raise _locate(e, pos) from None
                    n = session.steps = session.steps + 1
                    if n > session.max_steps or not n & 63:
                        session.check_bounds(pos)
                    tf(inner, item)
                    if not all(c(inner) for c in conds):
                        continue
                    if last:
                        yield inner
                    else:
                        yield from level(i + 1, inner, None)

            return level(0, inner, first)

        def start(outer):
            # the first iterable is evaluated at once, in the enclosing scope, as in Python
            return gen(outer, compiled[0][1](outer))

        return start

    def _collect(self, node, gen, add, make, what: str):
        pos = node.pos

        def ev(scope):
            out = make()
            for inner in gen(scope):
                add(out, inner)
                if len(out) & 1023 == 0:
                    _check_objects(len(out), what)
            _check_objects(len(out), what)
            return out

        def guarded(scope):
            try:
                return ev(scope)
            except AdcliError:
                raise
            except Exception as e:
                raise _locate(e, pos) from None

        return guarded

    def e_listcomp(self, node, elt, generators):
        gen, ef = self._generators(generators), self.expr(elt)
        return self._collect(node, gen, lambda out, s: out.append(ef(s)), list,
                             "a list comprehension")

    def e_setcomp(self, node, elt, generators):
        gen, ef = self._generators(generators), self.expr(elt)
        return self._collect(node, gen, lambda out, s: out.add(ef(s)), set,
                             "a set comprehension")

    def e_dictcomp(self, node, key, value, generators):
        gen, kf, vf = self._generators(generators), self.expr(key), self.expr(value)

        def add(out, s):
            k = kf(s)
            out[k] = vf(s)

        return self._collect(node, gen, add, dict, "a dict comprehension")

    def e_namedexpr(self, node, name, value):
        vf = self.expr(value)

        def ev(scope):
            v = vf(scope)
            target = scope
            while type(target) is _ComprehensionScope:
                target = target.parent
            target[name] = v
            return v

        return ev

    def e_genexp(self, node, elt, generators):
        gen, ef = self._generators(generators), self.expr(elt)

        def ev(scope):
            return (ef(inner) for inner in gen(scope))

        return ev

    def e_getattr(self, node, obj, name):
        of = self.expr(obj)
        pos = node.pos

        def ev(scope):
            o = of(scope)
            try:
                return get_attribute(o, name)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_getitem(self, node, obj, index):
        of, xf = self.expr(obj), self.expr(index)
        pos = node.pos

        def ev(scope):
            o = of(scope)
            i = xf(scope)
            try:
                return _get_item(o, i)
            except Exception as e:
                raise _locate(e, pos) from None

        return ev

    def e_slice(self, node, lo, hi, step):
        fs = [self.expr(x) if x is not None else None for x in (lo, hi, step)]
        return lambda scope: slice(*[f(scope) if f is not None else None for f in fs])

    def e_kwarg(self, node, name, value):  # pragma: no cover - consumed by e_call
        raise AdcliSyntaxError("keyword argument outside a call", pos=node.pos)

    # functions ----------------------------------------------------------------------------
    def _function_maker(self, node, name: str, params: Node, body_fn_maker, doc):
        """A closure ``make(scope) -> Function`` for a def or a lambda: defaults are
        evaluated when it runs (once, at def time), the body compiled now."""
        posonly, args, vararg, kwonly, kwarg = params.fields
        positional = [p.fields[0] for p in posonly + args]
        seen: set = set()
        for pname in positional + [p.fields[0] for p in kwonly] + [
                p.fields[0] for p in (vararg, kwarg) if p is not None]:
            if pname in seen:
                raise AdcliSyntaxError(
                    f"duplicate argument '{pname}' in function definition", pos=node.pos)
            seen.add(pname)
        defaults = [(p.fields[0], self.expr(p.fields[2])) for p in posonly + args
                    if p.fields[2] is not None]
        kwdefaults = [(p.fields[0], self.expr(p.fields[2])) for p in kwonly
                      if p.fields[2] is not None]
        posonly_names = frozenset(p.fields[0] for p in posonly)
        kwonly_names = tuple(p.fields[0] for p in kwonly)
        vararg_name = vararg.fields[0] if vararg is not None else None
        kwarg_name = kwarg.fields[0] if kwarg is not None else None
        outer = self.func
        in_class = self.class_body
        if in_class is not None:
            prefix = in_class + "."
        else:
            prefix = f"{outer.qualname}.<locals>." if outer is not None else ""
        qualname = prefix + name
        first = positional[0] if positional else vararg_name
        info = _FuncInfo(qualname, in_class, first)
        body_node = body_fn_maker
        saved = (self.func, self.loop_depth, self.handler_depth, self.class_body)
        self.func, self.loop_depth, self.handler_depth, self.class_body = info, 0, 0, None
        try:
            if isinstance(body_node, Node) and body_node.kind == "block":
                stmts = body_node.fields[0]
                _collect_declarations(stmts, info, self)
                params = positional + [p.fields[0] for p in kwonly] + [
                    p.fields[0] for p in (vararg, kwarg) if p is not None]
                bound = dict.fromkeys(params + _bound_names(stmts))
                info.varnames = tuple(n for n in bound if n not in info.globals_
                                      and n not in info.nonlocals)
                info.locals = frozenset(info.varnames)
                if _has_yield(stmts):
                    body = self._generator_body(stmts, name, qualname)
                else:
                    body = self.block(stmts)
            else:  # a lambda: its body is an expression
                body = self.expr(body_node)
        finally:
            self.func, self.loop_depth, self.handler_depth, self.class_body = saved
        session = self.session
        positional_t = tuple(positional)
        if in_class is None:
            def make(scope):
                return Function(name, qualname, doc, posonly_names, positional_t,
                                {n: f(scope) for n, f in defaults}, vararg_name, kwonly_names,
                                {n: f(scope) for n, f in kwdefaults}, kwarg_name, body, scope,
                                session, Scope)

            return make
        uses_class = _mentions(body_node, ("super", "__class__"))

        def make_method(scope):
            # a method closes over the scope around its class, not the class body, and
            # sees its class as __class__ (for super()) once the class is made
            cell = scope.cell
            run = body
            if uses_class:
                def run(local, body=body):
                    local["__class__"] = cell[0]
                    return body(local)
            return Function(name, qualname, doc, posonly_names, positional_t,
                            {n: f(scope) for n, f in defaults}, vararg_name, kwonly_names,
                            {n: f(scope) for n, f in kwdefaults}, kwarg_name, run,
                            scope.parent, session, Scope)

        return make_method

    def s_def(self, node, name, params, returns, body, decorators):
        stmts = body.fields[0]
        doc = None
        if stmts and stmts[0].kind == "expr" and stmts[0].fields[0].kind == "const" and \
                isinstance(stmts[0].fields[0].fields[0], str):
            doc = stmts[0].fields[0].fields[0]
        decos = [(self.expr(d), d.pos) for d in decorators]
        make = self._function_maker(node, name, params, body, doc)
        target = self.target(Node("name", node.pos, name))

        def run(scope):
            fns = [(f(scope), pos) for f, pos in decos]
            value = make(scope)
            for deco, pos in reversed(fns):
                if not callable(deco) or isinstance(deco, (Tensor, type(None))):
                    raise TorchTypeError(f"'{_type_name(deco)}' object is not callable",
                                         pos=pos)
                try:
                    value = deco(value)
                except Exception as e:
                    raise _locate(e, pos) from None
            target(scope, value)

        return run

    def s_class(self, node, name, bases, keywords, body, decorators):
        pos = node.pos
        if any(k is None for k, _ in keywords):
            raise AdcliSyntaxError("class keywords given with ** are not supported by adcli",
                                   pos=pos)
        kw_fs = [(k, self.expr(v)) for k, v in keywords]
        if any(b.kind == "starred" for b in bases):
            raise _not_yet(Node("starred", pos))
        stmts = body.fields[0]
        doc = None
        if stmts and stmts[0].kind == "expr" and stmts[0].fields[0].kind == "const" and \
                isinstance(stmts[0].fields[0].fields[0], str):
            doc = stmts[0].fields[0].fields[0]
        if self.class_body is not None:
            qualname = f"{self.class_body}.{name}"
        elif self.func is not None:
            qualname = f"{self.func.qualname}.<locals>.{name}"
        else:
            qualname = name
        decos = [(self.expr(d), d.pos) for d in decorators]
        base_fs = [self.expr(b) for b in bases]
        saved = (self.func, self.loop_depth, self.handler_depth, self.class_body)
        self.func, self.loop_depth, self.handler_depth, self.class_body = None, 0, 0, qualname
        try:
            body_fn = self.block(stmts)
        finally:
            self.func, self.loop_depth, self.handler_depth, self.class_body = saved
        target = self.target(Node("name", pos, name))

        def run(scope):
            fns = [(f(scope), dpos) for f, dpos in decos]
            base_values = [f(scope) for f in base_fs]
            class_kwargs = {k: f(scope) for k, f in kw_fs}
            if "metaclass" in class_kwargs:
                base_values = _C.metaclass_bases(class_kwargs.pop("metaclass"), base_values,
                                                 pos)
            body_scope = _ClassScope(scope, scope.globals)
            body_fn(body_scope)
            cls = _C.make_class(name, qualname, base_values, dict(body_scope), doc, pos,
                                class_kwargs)
            body_scope.cell[0] = cls
            value = cls
            for deco, dpos in reversed(fns):
                if not callable(deco) or isinstance(deco, (Tensor, type(None))):
                    raise TorchTypeError(f"'{_type_name(deco)}' object is not callable",
                                         pos=dpos)
                try:
                    value = deco(value)
                except Exception as e:
                    raise _locate(e, dpos) from None
            target(scope, value)

        return run

    def e_lambda_args(self, node, params, body):
        return self._function_maker(node, "<lambda>", params, body, None)

    def s_return(self, node, value):
        if self.func is None:
            raise AdcliSyntaxError("'return' outside function", pos=node.pos)
        if value is None:
            def run_bare(scope):
                raise _Return(None)

            return run_bare
        vf = self.expr(value)

        def run(scope):
            raise _Return(vf(scope))

        return run

    def s_global(self, node, names):
        return lambda scope: None

    def s_nonlocal(self, node, names):
        if self.func is None:
            raise AdcliSyntaxError("nonlocal declaration not allowed at module level",
                                   pos=node.pos)
        return lambda scope: None

    # exceptions ---------------------------------------------------------------------------
    def s_raise(self, node, exc, cause):
        pos = node.pos
        if exc is None:
            def reraise(scope):
                err = _CURRENT_EXC[-1] if _CURRENT_EXC else None
                if err is None:
                    raise TorchRuntimeError("No active exception to reraise", pos=pos)
                raise err

            return reraise
        ef = self.expr(exc)
        cf = self.expr(cause) if cause is not None else None

        def run(scope):
            value = ef(scope)
            err = _F.to_raise(value)
            if cf is not None:
                c = cf(scope)
                if c is not None:
                    try:
                        c = _F.to_raise(c).value
                    except TorchTypeError:
                        raise TorchTypeError(
                            "exception causes must derive from BaseException") from None
                err.value.__cause__ = c
            if _CURRENT_EXC and _CURRENT_EXC[-1] is not None and isinstance(
                    err, _F.ScriptError):  # raised while handling one: its __context__
                handled = _CURRENT_EXC[-1]
                if isinstance(handled, AdcliError) and _F.catchable(handled):
                    context = _F.exception_value(handled)
                    if context is not err.value:
                        err.value.__context__ = context
            err.pos = pos
            raise err

        return run

    def _handlers(self, handlers, compile_block):
        compiled = []
        for h in handlers:
            typ, name, hbody = h.fields
            tf = self.expr(typ) if typ is not None else None
            self.handler_depth += 1
            hf = compile_block(hbody.fields[0])
            self.handler_depth -= 1
            target = self.target(Node("name", h.pos, name)) if name is not None else None
            compiled.append((tf, name, target, hf, h.pos))
        return compiled

    def s_try(self, node, body, handlers, orelse, finalbody):
        bf = self.block(body.fields[0])
        compiled = self._handlers(handlers, self.block)
        ef = self.block(orelse.fields[0]) if orelse is not None else None
        ff = self.block(finalbody.fields[0]) if finalbody is not None else None

        def handle(scope, err):
            """Run the handler that matches ``err``; False if none does."""
            handler = _match_handler(compiled, scope, err)
            if handler is None:
                return False
            _, name, target, hf, _ = handler
            if target is not None:
                target(scope, _F.exception_value(err))
            _CURRENT_EXC.append(err)
            try:
                hf(scope)
            finally:
                _CURRENT_EXC.pop()
                if name is not None:
                    dict.pop(scope, name, None)
            return True

        def run_body(scope):
            try:
                bf(scope)
            except AdcliError as err:
                if not compiled or not _F.catchable(err) or not handle(scope, err):
                    raise
                return
            if ef is not None:
                ef(scope)

        if ff is None:
            return run_body

        def run(scope):
            try:
                run_body(scope)
            except BaseException as e:
                if not isinstance(e, Exception):
                    raise
                if isinstance(e, (LimitError, InternalError)):
                    # a bound or a bug: the finally block runs, but cannot swallow it
                    try:
                        ff(scope)
                    except Exception:
                        pass
                    raise
                ff(scope)
                raise
            ff(scope)

        return run


    # generators ---------------------------------------------------------------------------
    # A generator function's body compiles to Python generator functions ``g(scope)``
    # where a statement holds a ``yield`` (``yield`` and ``yield from`` as statements and
    # as the value of an assignment); every other statement is compiled as usual.
    def e_yield(self, node, value):
        if self.func is None:
            raise AdcliSyntaxError("'yield' outside function", pos=node.pos)
        raise AdcliSyntaxError("`yield` inside an expression is not supported by adcli yet "
                               "(use it as a statement or as `x = yield value`)", pos=node.pos)

    def e_yield_from(self, node, value):
        return self.e_yield(node, value)

    def _generator_body(self, stmts, name: str, qualname: str):
        gen = self.gblock(stmts)
        session = self.session

        def body(local):
            return _F.Generator(gen(local), session, name, qualname)

        return body

    def gblock(self, stmts):
        parts = [(True, self.gstmt(st)) if _has_yield(st) else (False, self.stmt(st))
                 for st in stmts]

        def run(scope):
            for yields, f in parts:
                if yields:
                    yield from f(scope)
                else:
                    f(scope)

        return run

    def gstmt(self, node: Node):
        method = getattr(self, "g_" + node.kind, None)
        if method is None:
            raise AdcliSyntaxError(f"`yield` inside `{node.kind}` is not supported by adcli yet",
                                   pos=_first_yield(node).pos)
        fn = method(node, *node.fields)
        session = self.session
        pos = node.pos

        def run(scope):
            n = session.steps = session.steps + 1
            if n > session.max_steps or not n & 63:
                session.check_bounds(pos)
            try:
                return (yield from fn(scope))
            except (_Control, GeneratorExit):
                raise
            except AdcliError as e:
                _note_statement(e, pos)
                raise _locate(e, pos) from None
            except Exception as e:
                raise _locate(e, pos) from None

        return run

    def _yielder(self, node):
        """A generator function giving what ``yield x`` / ``yield from it`` evaluates to."""
        pos = node.pos
        session = self.session
        if node.kind == "yield":
            vf = self.expr(node.fields[0]) if node.fields[0] is not None else None

            def one(scope):
                return (yield (vf(scope) if vf is not None else None))

            return one
        itf = self.expr(node.fields[0])

        def delegate(scope):
            source = itf(scope)
            try:
                it = iter(source)
            except Exception as e:
                raise _locate(e, pos) from None
            sendable = it.__class__ is _F.Generator
            sent = None
            while True:
                try:
                    item = it.send(sent) if sendable else next(it)
                except StopIteration as stop:
                    return stop.value
                except Exception as e:
                    raise _locate(e, pos) from None
                n = session.steps = session.steps + 1
                if n > session.max_steps or not n & 63:
                    session.check_bounds(pos)
                try:
                    sent = yield item
                except GeneratorExit:
                    if sendable:
                        it.close()
                    raise

        return delegate

    def g_expr(self, node, value):
        if value.kind not in ("yield", "yield_from"):
            return self.e_yield(_first_yield(value), None)
        y = self._yielder(value)

        def run(scope):
            yield from y(scope)

        return run

    def g_assign(self, node, targets, value):
        if value.kind not in ("yield", "yield_from"):
            return self.e_yield(_first_yield(value), None)
        y = self._yielder(value)
        tfs = [self.target(t) for t in targets]

        def run(scope):
            v = yield from y(scope)
            for tf in tfs:
                tf(scope, v)

        return run

    def g_block(self, node, stmts):
        return self.gblock(stmts)

    def g_if(self, node, branches, orelse):
        compiled = [(self._truth(test), self.gblock(body.fields[0])) for test, body in branches]
        else_fn = self.gblock(orelse.fields[0]) if orelse is not None else None

        def run(scope):
            for test, body in compiled:
                if test(scope):
                    yield from body(scope)
                    return
            if else_fn is not None:
                yield from else_fn(scope)

        return run

    def g_while(self, node, test, body, orelse=None):
        tf = self._truth(test)
        self.loop_depth += 1
        bf = self.gblock(body.fields[0])
        self.loop_depth -= 1
        ef = self.gblock(orelse.fields[0]) if orelse is not None else None
        session = self.session
        pos = node.pos

        def run(scope):
            while tf(scope):
                n = session.steps = session.steps + 1
                if n > session.max_steps or not n & 63:
                    session.check_bounds(pos)
                try:
                    yield from bf(scope)
                except _Break:
                    return
                except _Continue:
                    continue
            if ef is not None:
                yield from ef(scope)

        return run

    def g_while_else(self, node, test, body, orelse):
        return self.g_while(node, test, body, orelse)

    def g_for(self, node, target, iterable, body, orelse=None):
        tf = self.target(target)
        itf = self.expr(iterable)
        self.loop_depth += 1
        bf = self.gblock(body.fields[0])
        self.loop_depth -= 1
        ef = self.gblock(orelse.fields[0]) if orelse is not None else None
        session = self.session
        pos = iterable.pos

        def run(scope):
            seq = itf(scope)
            try:
                it = iter(seq)
            except Exception as e:
                raise _locate(e, pos) from None
            while True:
                try:
                    item = next(it)
                except StopIteration:
                    break
                except Exception as e:
                    raise _locate(e, pos) from None
                n = session.steps = session.steps + 1
                if n > session.max_steps or not n & 63:
                    session.check_bounds(pos)
                tf(scope, item)
                try:
                    yield from bf(scope)
                except _Break:
                    return
                except _Continue:
                    continue
            if ef is not None:
                yield from ef(scope)

        return run

    def g_for_else(self, node, target, iterable, body, orelse):
        return self.g_for(node, target, iterable, body, orelse)

    def g_with(self, node, ctx, body):
        return self._g_with_one(ctx, None, self.gblock(body.fields[0]))

    def g_with_items(self, node, items, body):
        inner = self.gblock(body.fields[0])
        for ctx, target in reversed(items):
            inner = self._g_with_one(ctx, target, inner)
        return inner

    def _g_with_one(self, ctx, target, inner):
        cf = self.expr(ctx)
        tf = self.target(target) if target is not None else None
        pos = ctx.pos

        def run(scope):
            value, leave = _enter(cf(scope), pos)
            try:
                if tf is not None:
                    tf(scope, value)
                yield from inner(scope)
            except BaseException as e:
                if not leave(e):
                    raise
                return
            leave(None)

        return run

    def g_try(self, node, body, handlers, orelse, finalbody):
        bf = self.gblock(body.fields[0])
        compiled = self._handlers(handlers, self.gblock)
        ef = self.gblock(orelse.fields[0]) if orelse is not None else None
        ff = self.gblock(finalbody.fields[0]) if finalbody is not None else None

        def run_body(scope):
            try:
                yield from bf(scope)
            except AdcliError as err:
                handler = _F.catchable(err) and _match_handler(compiled, scope, err)
                if not handler:
                    raise
                _, name, target, hf, _ = handler
                if target is not None:
                    target(scope, _F.exception_value(err))
                _CURRENT_EXC.append(err)
                try:
                    yield from hf(scope)
                finally:
                    _CURRENT_EXC.pop()
                    if name is not None:
                        dict.pop(scope, name, None)
                return
            if ef is not None:
                yield from ef(scope)

        if ff is None:
            return run_body

        def drain(scope):
            for _ in ff(scope):
                pass

        def run(scope):
            try:
                yield from run_body(scope)
            except GeneratorExit:
                try:
                    drain(scope)  # close(): the finally block runs; it cannot yield
                except Exception:
                    pass
                raise
            except BaseException as e:
                if not isinstance(e, Exception) or isinstance(e, (LimitError, InternalError)):
                    try:
                        drain(scope)
                    except Exception:
                        pass
                    raise
                yield from ff(scope)
                raise
            yield from ff(scope)

        return run

    # statements ---------------------------------------------------------------------------
    def _statement(self, node: Node):
        """The closure of one statement, without the step count and error position that
        ``stmt`` and ``block`` add."""
        method = getattr(self, "s_" + node.kind, None)
        if method is None:
            raise _not_yet(node)
        return method(node, *node.fields)

    def _where(self) -> str:
        """The function a statement compiled here runs in, as a traceback names it."""
        return self.func.qualname.rsplit(".", 1)[-1] if self.func is not None else "<module>"

    def stmt(self, node: Node):
        fn = self._statement(node)
        session = self.session
        pos = node.pos
        site = (*pos, self._where())

        def run(scope):
            n = session.steps = session.steps + 1
            if n > session.max_steps or not n & 63:
                session.check_bounds(pos)
            if _SITES[0] is not None:
                _sites.mark(site)
            try:
                fn(scope)
            except _Control:
                raise
            except AdcliError as e:
                _note_statement(e, pos)
                raise _locate(e, pos) from None
            except Exception as e:
                raise _locate(e, pos) from None

        return run

    def block(self, stmts):
        """A block's statements in order, each counted as a step and its errors located
        at it (one loop here rather than a wrapper call per statement)."""
        parts = [(self._statement(st), st.pos) for st in stmts]
        session = self.session
        if len(parts) == 1:
            return self.stmt(stmts[0])
        where = self._where()

        def run(scope):
            for fn, pos in parts:
                n = session.steps = session.steps + 1
                if n > session.max_steps or not n & 63:
                    session.check_bounds(pos)
                if _SITES[0] is not None:
                    _sites.mark((*pos, where))
                try:
                    fn(scope)
                except _Control:
                    raise
                except AdcliError as e:
                    _note_statement(e, pos)
                    raise _locate(e, pos) from None
                except Exception as e:
                    raise _locate(e, pos) from None

        return run

    def s_block(self, node, stmts):
        return self.block(stmts)

    def s_expr(self, node, value):
        f = self.expr(value)
        session = self.session

        def run(scope):
            v = f(scope)
            session.last_value = v
            if v is not None and session.display:
                session.out(repr(v) + "\n")

        return run

    def s_pass(self, node):
        return lambda scope: None

    def s_import(self, node, alias):
        if alias is None:
            return lambda scope: None
        value = _import_value(alias, node.pos)

        def run(scope):
            scope[alias] = value

        return run

    def s_import_names(self, node, names):
        """``import a.b as c``: the torch imports, and the library's modules (math, numpy,
        ...), each bound when the statement runs; any other module is not found."""
        aliases, library_names, torch_modules = [], [], []
        for module, asname in names:
            key = ("import", module, asname)
            if key in ACCEPTED_IMPORTS:
                aliases.append(ACCEPTED_IMPORTS[key])
            elif module in _library.LIBRARY_MODULES and (asname or "." not in module):
                library_names.append((module, asname or module))
            elif module in _library.LIBRARY_MODULES and \
                    module.split(".")[0] in _library.LIBRARY_MODULES:
                top = module.split(".")[0]  # `import numpy.random`: binds numpy, as Python
                library_names.append((top, top))
            elif module.split(".")[0] == "torch":
                try:
                    value = _torch_module(module, node)
                except AdcliError as err:  # raised when the statement runs, as Python does
                    value = err
                if asname:
                    torch_modules.append((asname, value))
                else:
                    torch_modules.append(("torch", value if isinstance(value, AdcliError)
                                          else N.TORCH))
            else:
                library_names.append((module, None))
        bind = self._bind_imports(aliases)
        session = self.session
        pos = node.pos

        def run(scope):
            bind(scope)
            for alias, value in torch_modules:
                if isinstance(value, AdcliError):
                    raise value
                scope[alias] = value
            for module, alias in library_names:
                if alias is None:
                    raise _module_not_found(module, pos)
                scope[alias] = _library.module(session, module)

        return run

    def s_import_from(self, node, module, names):
        """``from m import a``: the torch imports, ``from __future__``, and the members of
        the library's modules."""
        if module == "__future__":
            return lambda scope: None
        if module in _library.LIBRARY_MODULES:
            if names is None:
                raise AdcliSyntaxError(f"`from {module} import *` is not supported by adcli; "
                                       f"import the names you use", pos=node.pos)
            session = self.session
            pos = node.pos

            def run(scope):
                for name, asname in names:
                    try:
                        scope[asname or name] = _library.import_from(session, module, name)
                    except AdcliError as e:
                        e.pos = pos
                        raise

            return run
        if module.split(".")[0] == "torch" and names is not None:
            try:
                namespace = _torch_module(module, node)
                values = [(asname or name, _torch_member(namespace, name, node))
                          for name, asname in names]
            except AdcliError as err:  # raised when the statement runs, as Python does
                values = err

            def bind_members(scope):
                if isinstance(values, AdcliError):
                    raise values
                for alias, value in values:
                    scope[alias] = value

            return bind_members
        aliases = []
        for name, asname in names or [(None, None)]:
            key = ("from", module, name)
            if asname not in (None, name) or key not in ACCEPTED_IMPORTS:
                if module.split(".")[0] != "torch":
                    # at run time, so that `try: from m import x / except ImportError:`
                    # works as in Python
                    err = _module_not_found(module, node.pos)

                    def not_found(scope, err=err):
                        raise err

                    return not_found
                raise _not_yet(node)
            aliases.append(ACCEPTED_IMPORTS[key])
        return self._bind_imports(aliases)

    def _bind_imports(self, aliases):
        values = [(a, _import_value(a, None)) for a in aliases if a is not None]

        def run(scope):
            for alias, value in values:
                scope[alias] = value

        return run

    def s_break(self, node):
        if not self.loop_depth:
            raise AdcliSyntaxError("'break' outside loop", pos=node.pos)

        def run(scope):
            raise _Break

        return run

    def s_continue(self, node):
        if not self.loop_depth:
            raise AdcliSyntaxError("'continue' not properly in loop", pos=node.pos)

        def run(scope):
            raise _Continue

        return run

    def target(self, node: Node):
        """A closure ``assign(scope, value)`` for an assignment target."""
        kind = node.kind
        pos = node.pos
        if kind == "name":
            name = node.fields[0]
            if name in ("True", "False", "None"):
                raise AdcliSyntaxError(f"cannot assign to {name}", pos=pos)

            func = self.func
            if func is not None and name in func.globals_:

                def assign_global(scope, value):
                    while scope.parent is not None:
                        scope = scope.parent
                    scope[name] = value

                return assign_global
            if func is not None and name in func.nonlocals:

                def assign_nonlocal(scope, value):
                    while type(scope) is _ComprehensionScope:
                        scope = scope.parent
                    outer = scope.parent
                    while outer.parent is not None and not dict.__contains__(outer, name):
                        outer = outer.parent
                    outer[name] = value

                return assign_nonlocal

            def assign(scope, value):
                scope[name] = value

            return assign
        if kind in ("tuple", "list") and any(t.kind == "starred" for t in node.fields[0]):
            return self._starred_target(node)
        if kind in ("tuple", "list"):
            subs = [self.target(t) for t in node.fields[0]]
            n = len(subs)

            def assign(scope, value):
                if isinstance(value, (list, tuple)):
                    items = value
                else:  # at most one item more than the targets: never a whole iterable
                    try:
                        items = list(itertools.islice(iter(value), n + 1))
                    except Exception as e:
                        raise _locate(e, pos) from None
                if len(items) > n:
                    raise TorchValueError(f"too many values to unpack (expected {n})", pos=pos)
                if len(items) < n:
                    raise TorchValueError(
                        f"not enough values to unpack (expected {n}, got {len(items)})", pos=pos
                    )
                for sub, item in zip(subs, items):
                    sub(scope, item)

            return assign
        if kind == "getitem":
            of, xf = self.expr(node.fields[0]), self.expr(node.fields[1])

            def assign(scope, value):
                o, i = of(scope), xf(scope)
                try:
                    _set_item(o, i, value)
                except Exception as e:
                    raise _locate(e, pos) from None

            return assign
        if kind == "getattr":
            of, name = self.expr(node.fields[0]), node.fields[1]

            def assign(scope, value):
                o = of(scope)
                try:
                    _set_attribute(o, name, value)
                except Exception as e:
                    raise _locate(e, pos) from None

            return assign
        raise AdcliSyntaxError("cannot assign to this expression", pos=pos)  # pragma: no cover

    def _starred_target(self, node: Node):
        """``a, *b, c = value``: the starred name takes a list of the middle items."""
        items = node.fields[0]
        star = next(i for i, t in enumerate(items) if t.kind == "starred")
        before = [self.target(t) for t in items[:star]]
        middle = self.target(items[star].fields[0])
        after = [self.target(t) for t in items[star + 1:]]
        need = len(before) + len(after)
        pos = node.pos

        def assign(scope, value):
            try:
                values = list(_unpack(value, "starred assignment"))
            except Exception as e:
                raise _locate(e, pos) from None
            if len(values) < need:
                raise TorchValueError(
                    f"not enough values to unpack (expected at least {need}, got {len(values)})",
                    pos=pos)
            for sub, item in zip(before, values):
                sub(scope, item)
            middle(scope, values[len(before):len(values) - len(after)])
            for sub, item in zip(after, values[len(values) - len(after):]):
                sub(scope, item)

        return assign

    def s_annassign(self, node, target, annotation, value):
        # annotations are not evaluated (as under `from __future__ import annotations`);
        # a class body records them as text in __annotations__ (what @dataclass reads)
        assign = None
        if value is not None:
            assign = self.s_assign(node, [target], value)
        elif target.kind != "name":
            self.expr(target.fields[0])
        if self.class_body is None or target.kind != "name":
            return assign or (lambda scope: None)
        name, text = target.fields[0], _annotation_text(annotation)

        def record(scope):
            annotations = dict.get(scope, "__annotations__")
            if annotations is None:
                annotations = dict.__setitem__(scope, "__annotations__", {}) or \
                    dict.__getitem__(scope, "__annotations__")
            annotations[name] = text
            if assign is not None:
                assign(scope)

        return record

    def s_assert(self, node, test, msg):
        tf = self._truth(test)
        mf = self.expr(msg) if msg is not None else None
        pos = node.pos

        def run(scope):
            if not tf(scope):
                text = "" if mf is None else str(mf(scope))
                raise TorchAssertionError(text, pos=pos)

        return run

    def s_del(self, node, targets):
        fns = [self._deleter(t) for t in targets]

        def run(scope):
            for f in fns:
                f(scope)

        return run

    def _deleter(self, node: Node):
        """A closure deleting one ``del`` target: a name, an item, or a tuple of them."""
        pos = node.pos
        if node.kind == "name":
            name = node.fields[0]

            def delete_name(scope):
                if name not in scope:
                    raise TorchNameError(f"name '{name}' is not defined", pos=pos)
                del scope[name]

            return delete_name
        if node.kind in ("tuple", "list"):
            fns = [self._deleter(t) for t in node.fields[0]]

            def delete_all(scope):
                for f in fns:
                    f(scope)

            return delete_all
        if node.kind == "getitem":
            of, xf = self.expr(node.fields[0]), self.expr(node.fields[1])

            def delete_item(scope):
                o, i = of(scope), xf(scope)
                try:
                    if type(o) is collections.ChainMap:
                        o = _chainmap(o)
                    elif not isinstance(o, (list, dict)) and _C.MARK not in type(o).__dict__ \
                            and not (_C.is_public_host(o) and hasattr(type(o), "__delitem__")):
                        raise TorchTypeError(
                            f"'{_type_name(o)}' object doesn't support item deletion")
                    del o[i]
                except Exception as e:
                    raise _locate(e, pos) from None

            return delete_item
        if node.kind == "getattr":
            of, attr = self.expr(node.fields[0]), node.fields[1]

            def delete_attribute(scope):
                o = of(scope)
                try:
                    if o.__class__ is Function:
                        _F.del_function_attribute(o, attr)
                        return
                    if _C.MARK not in type(o).__dict__:
                        raise TorchAttributeError(
                            f"cannot delete attribute '{attr}' of a '{_type_name(o)}'")
                    _C.del_attribute(o, attr)
                except Exception as e:
                    raise _locate(e, pos) from None

            return delete_attribute
        raise _not_yet(Node("del", pos))

    def s_while_else(self, node, test, body, orelse):
        loop = self.s_while(node, test, body, broke := [])
        ef = self.block(orelse.fields[0])

        def run(scope):
            broke.clear()
            loop(scope)
            if not broke:
                ef(scope)

        return run

    def s_for_else(self, node, target, iterable, body, orelse):
        loop = self.s_for(node, target, iterable, body, broke := [])
        ef = self.block(orelse.fields[0])

        def run(scope):
            broke.clear()
            loop(scope)
            if not broke:
                ef(scope)

        return run

    def s_assign(self, node, targets, value):
        vf = self.expr(value)
        tfs = [self.target(t) for t in targets]

        def run(scope):
            v = vf(scope)
            for t in tfs:
                t(scope, v)

        return run

    def s_augassign(self, node, target, sym, value):
        read = self.expr(target)
        write = self.target(target)
        vf = self.expr(value)
        if sym in _BITWISE:
            pos = node.pos

            def bitwise(scope):
                current = read(scope)
                v = vf(scope)
                try:
                    result = _bitwise_int(sym, current, v)
                    if isinstance(current, (set, dict)):  # in place, as Python's |= on sets
                        result = _INPLACE_BITWISE[sym](current, v)
                except Exception as e:
                    raise _locate(e, pos) from None
                write(scope, result)

            return bitwise
        fn = INPLACE[sym]
        plain = BINOPS[sym]
        pos = node.pos
        small = _small_int_bound(self.session)
        cheap = sym in _CHEAP_NUMBER_OPS
        name = None  # `total += x` on a plain name: read and stored in its scope directly
        if target.kind == "name" and not (self.func is not None and (
                target.fields[0] in self.func.globals_ or target.fields[0] in self.func.nonlocals)):
            name = target.fields[0]
        get, missing = dict.get, _MISSING

        def run(scope):
            if name is not None:
                current = get(scope, name, missing)
                if current is missing:
                    current = read(scope)
                v = vf(scope)
                cc = current.__class__
                if cheap and (cc is int or cc is float) and (
                        v.__class__ is int or v.__class__ is float):
                    try:
                        r = plain(current, v)
                    except Exception as e:
                        raise _locate(e, pos) from None
                    if r.__class__ is not int or -small < r < small:
                        scope[name] = r
                        return
            else:
                current = read(scope)
                v = vf(scope)
            try:
                cc = current.__class__
                if cheap and (cc is int or cc is float) and (
                        v.__class__ is int or v.__class__ is float):
                    r = plain(current, v)
                    if r.__class__ is not int or -small < r < small:
                        write(scope, r)
                        return
                    result = python_binop(sym, current, v, plain)
                elif cc is Tensor or _C.MARK in type(current).__dict__:
                    result = fn(current, v)  # in place (a tensor's broadcast is checked)
                elif cc is _NDARRAY:
                    result = binop(sym, current, v, fn)  # in place, as numpy's `a += b`
                else:
                    result = binop(sym, current, v, plain)
            except Exception as e:
                raise _locate(e, pos) from None
            write(scope, result)

        return run

    def s_if(self, node, branches, orelse):
        compiled = [(self._truth(test), self.block(body.fields[0])) for test, body in branches]
        else_fn = self.block(orelse.fields[0]) if orelse is not None else None
        if len(compiled) == 1:
            body = compiled[0][1]
            test = self.expr(branches[0][0])
            tpos = branches[0][0].pos

            def run_one(scope):
                v = test(scope)
                if v is True or (v is not False and _truth_at(v, tpos)):
                    body(scope)
                elif else_fn is not None:
                    else_fn(scope)

            return run_one

        def run(scope):
            for test, body in compiled:
                if test(scope):
                    body(scope)
                    return
            if else_fn is not None:
                else_fn(scope)

        return run

    def s_while(self, node, test, body, broke=None):
        tf = self._truth(test)
        self.loop_depth += 1
        bf = self.block(body.fields[0])
        self.loop_depth -= 1
        session = self.session
        pos = node.pos

        def run(scope):
            while tf(scope):
                n = session.steps = session.steps + 1
                if n > session.max_steps or not n & 63:
                    session.check_bounds(pos)
                try:
                    bf(scope)
                except _Break:
                    if broke is not None:
                        broke.append(True)
                    break
                except _Continue:
                    continue

        return run

    def s_for(self, node, target, iterable, body, broke=None):
        tf = self.target(target)
        tname = None  # a plain name target: stored directly
        if target.kind == "name" and not (self.func is not None and (
                target.fields[0] in self.func.globals_ or target.fields[0] in self.func.nonlocals)):
            tname = target.fields[0]
        itf = self.expr(iterable)
        self.loop_depth += 1
        bf = self.block(body.fields[0])
        self.loop_depth -= 1
        session = self.session
        pos = iterable.pos

        def run(scope):
            seq = itf(scope)
            try:
                it = iter(seq)
            except Exception as e:
                raise _locate(e, pos) from None
            # Python's own loop over the iterator: what the body raises is already an
            # AdcliError (or control flow); anything else came from the iterator
            try:
                for item in it:
                    n = session.steps = session.steps + 1
                    if n > session.max_steps or not n & 63:
                        session.check_bounds(pos)
                    if tname is not None:
                        scope[tname] = item
                    else:
                        tf(scope, item)
                    try:
                        bf(scope)
                    except _Break:
                        if broke is not None:
                            broke.append(True)
                        break
                    except _Continue:
                        continue
            except (AdcliError, _Control, InternalError):
                raise
            except Exception as e:
                raise _locate(e, pos) from None

        return run

    def s_with_items(self, node, items, body):
        """``with a as x, b:``: each manager entered in order, exited in reverse; ``as``
        binds what ``__enter__`` returns (None for the grad-mode managers, as in torch)."""
        inner = self.block(body.fields[0])
        for ctx, target in reversed(items):
            inner = self._with_one(ctx, target, inner)
        return inner

    def _with_one(self, ctx, target, inner):
        cf = self.expr(ctx)
        tf = self.target(target) if target is not None else None
        pos = ctx.pos

        def run(scope):
            value, leave = _enter(cf(scope), pos)
            try:
                if tf is not None:
                    tf(scope, value)
                inner(scope)
            except BaseException as e:
                if not leave(e):
                    raise
                return
            leave(None)

        return run

    # the match statement -------------------------------------------------------------
    def _cases(self, cases, compile_block):
        compiled = []
        for case in cases:
            pattern, guard, body = case.fields
            names = _bound_names([pattern])
            targets = {n: self.target(Node("name", case.pos, n)) for n in names}
            compiled.append((self.pattern(pattern),
                             self._truth(guard) if guard is not None else None,
                             compile_block(body.fields[0]), targets))
        return compiled

    def s_match(self, node, subject, cases):
        sf = self.expr(subject)
        compiled = self._cases(cases, self.block)

        def run(scope):
            value = sf(scope)
            for test, guard, body, targets in compiled:
                binds: list = []
                if not test(scope, value, binds):
                    continue
                for name, v in binds:
                    targets[name](scope, v)
                if guard is not None and not guard(scope):
                    continue
                body(scope)
                return

        return run

    def g_match(self, node, subject, cases):
        sf = self.expr(subject)
        compiled = self._cases(cases, self.gblock)

        def run(scope):
            value = sf(scope)
            for test, guard, body, targets in compiled:
                binds: list = []
                if not test(scope, value, binds):
                    continue
                for name, v in binds:
                    targets[name](scope, v)
                if guard is not None and not guard(scope):
                    continue
                yield from body(scope)
                return

        return run

    def pattern(self, node: Node):
        """A closure ``test(scope, value, binds) -> bool`` for a ``case`` pattern; each
        capture appends (name, value) to ``binds``, which the caller binds on success."""
        method = getattr(self, node.kind)
        return method(node, *node.fields)

    def p_wildcard(self, node):
        return lambda scope, value, binds: True

    def p_capture(self, node, name):
        def capture(scope, value, binds):
            binds.append((name, value))
            return True

        return capture

    def p_is(self, node, const):
        return lambda scope, value, binds: value is const

    def p_value(self, node, expr):
        vf = self.expr(expr)
        pos = node.pos
        eq = operator.eq

        def equal(scope, value, binds):
            want = vf(scope)
            try:
                result = eq(value, want) if value.__class__ is Tensor else compare(
                    eq, value, want)
                return result is True or (result is not False and bool(result))
            except Exception as e:
                raise _locate(e, pos) from None

        return equal

    def p_as(self, node, pattern, name):
        sub = self.pattern(pattern)

        def as_(scope, value, binds):
            if not sub(scope, value, binds):
                return False
            binds.append((name, value))
            return True

        return as_

    def p_or(self, node, alternatives):
        subs = [self.pattern(p) for p in alternatives]

        def or_(scope, value, binds):
            for sub in subs:
                trial: list = []
                if sub(scope, value, trial):
                    binds.extend(trial)
                    return True
            return False

        return or_

    def p_sequence(self, node, items):
        star = next((i for i, p in enumerate(items) if p.kind == "p_star"), None)
        subs = [self.pattern(p) for p in items if p.kind != "p_star"]
        n = len(items)
        if star is None:
            def sequence(scope, value, binds):
                if not _is_sequence(value) or len(value) != n:
                    return False
                for i, sub in enumerate(subs):
                    if not sub(scope, value[i], binds):
                        return False
                return True

            return sequence
        star_name = items[star].fields[0]
        before, after = subs[:star], subs[star:]
        n_after = len(after)

        def starred(scope, value, binds):
            if not _is_sequence(value):
                return False
            size = len(value)
            if size < n - 1:
                return False
            for i, sub in enumerate(before):
                if not sub(scope, value[i], binds):
                    return False
            if star_name is not None:
                _check_objects(size, "a starred pattern")
                binds.append((star_name, list(itertools.islice(value, star,
                                                               size - n_after))))
            for j, sub in enumerate(after):
                if not sub(scope, value[size - n_after + j], binds):
                    return False
            return True

        return starred

    def p_mapping(self, node, pairs, rest):
        keys = [self.expr(k) for k, _ in pairs]
        subs = [self.pattern(p) for _, p in pairs]
        pos = node.pos

        def mapping(scope, value, binds):
            if not isinstance(value, collections.abc.Mapping):
                return False
            wanted = [kf(scope) for kf in keys]
            if len(value) < len(wanted):
                return False
            seen: set = set()
            for key in wanted:
                try:
                    if key in seen:
                        raise TorchValueError(f"mapping pattern checks duplicate key ({key!r})",
                                              pos=pos)
                    seen.add(key)
                except TypeError as e:
                    raise _locate(e, pos) from None
            for key, sub in zip(wanted, subs):
                try:
                    item = value.get(key, _MISSING)
                except Exception as e:
                    raise _locate(e, pos) from None
                if item is _MISSING or not sub(scope, item, binds):
                    return False
            if rest is not None:
                _check_objects(len(value), "a **rest pattern")
                binds.append((rest, {k: v for k, v in value.items() if k not in seen}))
            return True

        return mapping

    def p_class(self, node, cls, positional, keywords):
        cf = self.expr(cls)
        pos_subs = [self.pattern(p) for p in positional]
        kw = [(name, self.pattern(p)) for name, p in keywords]
        pos = node.pos
        session = self.session

        def class_(scope, value, binds):
            c = cf(scope)
            isinstance_ = _library.builtin(session, "isinstance")
            if isinstance(c, tuple):
                raise TorchTypeError("called match pattern must be a type", pos=pos)
            try:
                ok = isinstance_(value, c)
            except TypeError:
                raise TorchTypeError("called match pattern must be a type", pos=pos) from None
            if not ok:
                return False
            if not pos_subs and not kw:
                return True
            real = c._cls if isinstance(c, PyType) else c
            name = real.__name__ if isinstance(real, type) else getattr(c, "_name", "?")
            checks = []
            if pos_subs:
                if real in _MATCH_SELF:
                    if len(pos_subs) > 1:
                        raise TorchTypeError(f"{name}() accepts 1 positional sub-pattern "
                                             f"({len(pos_subs)} given)", pos=pos)
                    checks.append((None, pos_subs[0]))
                else:
                    match_args = _match_args(real, name, pos)
                    if len(pos_subs) > len(match_args):
                        n = len(match_args)
                        raise TorchTypeError(
                            f"{name}() accepts {n} positional sub-pattern"
                            f"{'' if n == 1 else 's'} ({len(pos_subs)} given)", pos=pos)
                    checks.extend(zip(match_args, pos_subs))
            seen = {a for a, _ in checks if a is not None}
            for attr, sub in kw:
                if attr in seen:
                    raise TorchTypeError(
                        f"{name}() got multiple sub-patterns for attribute '{attr}'", pos=pos)
                seen.add(attr)
                checks.append((attr, sub))
            for attr, sub in checks:
                if attr is None:
                    item = value
                else:
                    try:
                        item = get_attribute(value, attr)
                    except AttributeError:
                        return False
                    except Exception as e:
                        raise _locate(e, pos) from None
                if not sub(scope, item, binds):
                    return False
            return True

        return class_

    def s_with(self, node, ctx, body):
        return self._with_one(ctx, None, self.block(body.fields[0]))


# the classes whose one positional sub-pattern matches the subject itself (``int(n)``)
_MATCH_SELF = frozenset((bool, bytearray, bytes, dict, float, frozenset, int, list, set, str,
                         tuple))


def _is_sequence(value) -> bool:
    """What a sequence pattern (``case [a, *rest]``) accepts: not str, bytes, bytearray."""
    if isinstance(value, (list, tuple, range, collections.deque)):
        return True
    return isinstance(value, collections.abc.Sequence) and not isinstance(
        value, (str, bytes, bytearray))


def _match_args(cls, name: str, pos) -> tuple:
    """``cls.__match_args__`` for a class pattern's positional sub-patterns (a class of
    the script, a dataclass, a named tuple): a tuple of attribute names, else ()."""
    args = ()
    if isinstance(cls, type):
        for k in cls.__mro__:
            if "__match_args__" in k.__dict__:
                args = k.__dict__["__match_args__"]
                break
    if not isinstance(args, tuple):
        raise TorchTypeError(f"{name}.__match_args__ must be a tuple (got "
                             f"{type(args).__name__})", pos=pos)
    for a in args:
        if not isinstance(a, str):
            raise TorchTypeError(f"__match_args__ elements must be strings (got "
                                 f"{type(a).__name__})", pos=pos)
    return args


def _enter(manager, pos):
    """Enter a ``with`` manager: ``(value, leave)``. ``leave(exc)`` runs ``__exit__`` and
    says whether the manager swallowed ``exc`` (only a script's manager can, and never a
    bound or control flow)."""
    if isinstance(manager, _grad_mode_types()) or (  # and the library's: dual_level, ...
            _C.is_public_host(manager) and hasattr(type(manager), "__enter__")
            and hasattr(type(manager), "__exit__")):
        value = manager.__enter__()

        def leave_grad_mode(exc) -> bool:
            manager.__exit__(None, None, None)
            return False

        return value, leave_grad_mode
    if type(manager).__module__ == "adcli.lang.pylib.contextlibmod":
        from adcli.lang.pylib.contextlibmod import MANAGERS

        if isinstance(manager, MANAGERS):
            try:
                return manager.enter(), manager.leave
            except Exception as e:
                raise _locate(e, pos) from None
    if _C.MARK not in type(manager).__dict__ or not (
            _C._defined(type(manager), "__enter__") and _C._defined(type(manager), "__exit__")):
        raise TorchTypeError(
            f"'{_type_name(manager)}' object does not support the context manager protocol "
            "(adcli's `with` takes no_grad(), enable_grad(), set_grad_enabled(flag) and "
            "classes with __enter__ and __exit__)", pos=pos)
    try:
        value = type(manager).__enter__(manager)
    except Exception as e:
        raise _locate(e, pos) from None

    def leave(exc) -> bool:
        if exc is not None and isinstance(exc, (LimitError, InternalError)):
            return False
        if exc is None or not isinstance(exc, AdcliError) or not _F.catchable(exc):
            args = (None, None, None)
        else:
            ev = _F.exception_value(exc)
            args = (type(ev), ev, None)
        try:
            result = type(manager).__exit__(manager, *args)
        except Exception as e:
            raise _locate(e, pos) from None
        return args[0] is not None and bool(result)

    return value, leave


# ---- sessions ---------------------------------------------------------------------------
class CellReport:
    """What ``run_cells`` did: how many cells ran, failed, or hit an internal error.

    A cell whose header is ``# %% raises KIND`` (or ``# %% raises``: any error) expects
    that error: raising it counts in ``expected``, not in ``failed``; running without
    it, or raising another kind, counts in ``failed`` and in ``unmet``, each with a
    message in ``unmet_messages``.
    """

    __slots__ = ("cells", "failed", "internal", "errors", "expected", "unmet",
                 "unmet_messages")

    def __init__(self) -> None:
        self.cells = 0
        self.failed = 0
        self.internal = 0
        self.errors: list[AdcliError] = []
        self.expected = 0  # marked cells that raised what they expect
        self.unmet = 0  # marked cells that did not
        self.unmet_messages: list[str] = []

    @staticmethod
    def marker(header: str) -> tuple[bool, str | None]:
        """``(marked, kind)`` of a cell header line: ``# %% raises RuntimeError`` is
        ``(True, "RuntimeError")``, ``# %% raises`` ``(True, None)`` (any error), any
        other header ``(False, None)``. Words after the kind are a free comment."""
        words = header[4:].split() if header.startswith("# %%") else []
        if not words or words[0] != "raises":
            return False, None
        kind = words[1].rstrip(":,") if len(words) > 1 else None
        return True, kind or None

    @staticmethod
    def matches(error: BaseException, kind: str | None) -> bool:
        """Does ``error`` (an AdcliError) satisfy a marker expecting ``kind``? The kind
        itself, or a Python base class of it (``LookupError``, ``Exception``); a
        LimitError only when the marker names it."""
        import builtins

        got = getattr(error, "kind", type(error).__name__)
        if kind is None:
            return got != "LimitError"
        if kind in (got, got.rsplit(".", 1)[-1]):
            return True
        base = getattr(builtins, kind.rsplit(".", 1)[-1], None)
        return (got != "LimitError" and isinstance(base, type)
                and issubclass(base, BaseException) and isinstance(error, base))


def split_cells(text: str) -> list[tuple[int, str]]:
    """Cells as (first line number, text); a line starting with ``# %%`` starts a cell."""
    cells: list[tuple[int, str]] = []
    start, lines = 1, []
    for number, line in enumerate(source_lines(text), start=1):
        if line.startswith("# %%"):
            if any(x.strip() for x in lines):
                cells.append((start, "\n".join(lines) + "\n"))
            start, lines = number + 1, []
        else:
            lines.append(line)
    if any(x.strip() for x in lines):
        cells.append((start, "\n".join(lines) + "\n"))
    return cells


class Session:
    """One sandbox: a namespace, an output stream and the bounds in force."""

    def __init__(self, limits: Limits | None = None, out=None, dialect: str = "adc") -> None:
        self.limits = limits if limits is not None else _limits_mod.current()
        _limits_mod.install(self.limits)
        self.out = out if out is not None else sys.stdout.write
        globals_ = _Globals(N.GLOBALS)
        globals_.session = self
        globals_["print"] = self._print
        globals_["__name__"] = "__main__"
        if dialect == "py":  # Python's builtins, and torch only after its import
            _library.use_python_names(self, globals_)
        self.scope = Scope(None, globals_)
        self.steps = 0
        self.max_steps = self.limits.max_steps or float("inf")
        self._clock_base = graph_clock()
        self._clock_reads = 0
        self._marks_base = _sites.READS[0]
        self.deadline: float | None = None
        self.call_depth = 0
        # CPython's recursion limit counts the module's frame: 999 nested calls at most
        self.host_call_cap = _limits_mod.prepare_stack()
        self.set_recursion_limit(_limits_mod.PYTHON_RECURSION_LIMIT)
        self.last_value = None
        self.dialect = dialect  # "py": Python's meaning of `^` and every import parses
        self.display = dialect == "adc"  # .adc shows every bare expression

    def set_recursion_limit(self, limit: int) -> None:
        """``sys.setrecursionlimit``: the script's recursion limit, within the host's."""
        self.recursion_limit = limit
        self.call_cap = min(limit - 1, self.host_call_cap)

    # builtins that need the session ------------------------------------------------------
    def _print(self, *args, sep: str = " ", end: str = "\n") -> None:
        if not isinstance(sep, str) or not isinstance(end, str):
            raise TorchTypeError("print(): sep and end must be strings")
        self.out(sep.join(str(a) for a in args) + end)

    def check_bounds(self, pos) -> None:
        """Raise LimitError if the step, graph-node or wall-clock bound has been passed."""
        if self.steps > self.max_steps:
            raise LimitError(
                f"the program ran more than {self.limits.max_steps:,} steps "
                "(an endless loop? raise the bound with --max-steps or ADCLI_MAX_STEPS)",
                pos=pos,
            )
        if self.limits.max_nodes and self.nodes_recorded() > self.limits.max_nodes:
            raise LimitError(
                f"the program recorded more than {self.limits.max_nodes:,} autograd graph "
                "nodes (a graph that grows in a loop? raise the bound with --max-nodes or "
                "ADCLI_MAX_NODES)",
                pos=pos,
            )
        if self.deadline is not None and time.monotonic() > self.deadline:
            raise LimitError(
                f"the program ran longer than {self.limits.timeout:g} s "
                "(raise the bound with --timeout or ADCLI_TIMEOUT)",
                pos=pos,
            )

    def _hint(self, error) -> str:
        """"Did you mean" for a misspelt name of a cell, among the torch names too."""
        from adcli.lang import suggestions

        if getattr(error, "kind", None) == "NameError" and hasattr(error, "module_names"):
            names = [*error.module_names, *(n for n in self.scope.globals if n.isidentifier())]
            found = suggestions.best_match(error.missing_name, names)
            return f". Did you mean: '{found}'?" if found else ""
        return suggestions.hint(error)

    def nodes_recorded(self) -> int:
        """How many autograd graph nodes were recorded since this session began."""
        self._clock_reads += 1
        return graph_clock() - self._clock_base - self._clock_reads - _sites.READS[0] \
            + self._marks_base

    def bind(self, name: str, value) -> None:
        self.scope[name] = value

    def _compile(self, tree: Node):
        return _Compiler(self).block(tree.fields[0])

    def _parse(self, text: str, start: str):
        bound = self.limits.max_input_bytes
        if bound and len(text) > bound:
            raise LimitError(
                f"the source is {len(text):,} characters, over the limit of {bound:,} "
                "(raise it with --max-input-bytes or ADCLI_MAX_INPUT_BYTES)",
                pos=(1, 1),
            )
        return parse(text, start, max_depth=self.limits.max_depth or 10**9,
                     dialect=self.dialect)

    def exec_source(self, text: str, filename: str = "<string>", display: bool = False):
        """Run statements; return the last statement's value if it was an expression."""
        tree = self._parse(text, "file_input")
        run = self._compile(tree)
        old, self.display = self.display, display
        self.last_value = None
        stmts = tree.fields[0]
        try:
            run(self.scope)
        finally:
            self.display = old
        if stmts and stmts[-1].kind == "expr":
            return self.last_value
        return None

    def eval_expr(self, text: str):
        """Evaluate one expression in this session's names."""
        tree = self._parse(text, "eval_input")
        fn = _Compiler(self).expr(tree)
        try:
            return fn(self.scope)
        except Exception as e:
            raise _locate(e, tree.pos) from None

    def run_cells(self, text: str, filename: str = "<stdin>", err=None,
                  echo=None) -> CellReport:
        """Run a cell script: each cell's output, an error ending only its own cell.

        ``echo(first_line, source)``, when given, is called before each cell runs.
        A cell headed ``# %% raises KIND`` expects that error (see ``CellReport``): its
        output and error are shown as any cell's; only the counting differs, and a
        marker that is not met adds one line to ``err``."""
        err = err if err is not None else sys.stderr.write
        report = CellReport()
        lines = source_lines(text)
        for first_line, cell in split_cells(text):
            report.cells += 1
            if echo is not None:
                echo(first_line, cell)
            header = lines[first_line - 2] if first_line >= 2 else ""
            marked, expect = CellReport.marker(header)
            wanted = expect or "an error"
            raised: BaseException | None = None
            try:
                bound = self.limits.max_input_bytes
                if bound and len(cell) > bound:
                    raise LimitError(
                        f"the cell is {len(cell):,} characters, over the limit of {bound:,} "
                        "(raise it with --max-input-bytes or ADCLI_MAX_INPUT_BYTES)",
                        pos=(first_line, 1),
                    )
                tree = parse(cell, "file_input", max_depth=self.limits.max_depth or 10**9,
                             dialect=self.dialect,
                             first_line=first_line)
                self._compile(tree)(self.scope)
            except (_Break, _Continue):  # pragma: no cover - rejected at compile time
                continue
            except InternalError as e:
                report.internal += 1
                err(format_internal(filename, e.pos, e.original))
                continue
            except AdcliError as e:
                raised = e
                report.errors.append(e)
                first = str(e).splitlines()[0] if str(e) else ""
                self.out(f"{e.kind}: {first}\n")
                err(format_diagnostic(filename, lines, e.pos, e.kind, str(e) + self._hint(e)))
            except Exception as e:  # a bug in adcli: say so, and go on with the next cell
                located = _locate(e, None)
                if not isinstance(located, AdcliError):
                    report.internal += 1
                    err(format_internal(filename, None, e))
                    continue
                raised = located
                report.errors.append(located)
                self.out(f"{located.kind}: {located}\n")
                err(format_diagnostic(filename, lines, located.pos, located.kind,
                                      str(located)))
            if not marked:
                report.failed += raised is not None
                continue
            if raised is not None and CellReport.matches(raised, expect):
                report.expected += 1
                continue
            report.failed += 1
            report.unmet += 1
            why = ("the cell ran without error" if raised is None
                   else f"got {getattr(raised, 'kind', type(raised).__name__)}")
            message = f"{filename}:{first_line - 1}: expected {wanted}, {why}"
            report.unmet_messages.append(message)
            err(message + "\n")
        return report


def format_internal(filename: str, pos, exc: BaseException) -> str:
    """The short message for a bug in adcli itself."""
    where = f"{filename}:{pos[0]}:{pos[1]}: " if pos else f"{filename}: "
    return (
        f"{where}internal error: {type(exc).__name__}: {exc}\n"
        "  This is a bug in adcli, not in your script. Please report it with the script "
        "that triggered it.\n"
    )

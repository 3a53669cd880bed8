"""User functions (``def`` and lambdas with full parameter lists) and script exceptions.

A ``Function`` binds its arguments as Python does, with Python's error messages, runs its
compiled body in a new ``Scope`` whose parent is the scope it was defined in (closures
see later assignments, as in Python), and counts a step per call. Calls (and generator
resumptions and lambdas) nest as deep as CPython's recursion limit allows: past
``sys.getrecursionlimit()`` frames (1000, the module's own included) a call raises the
script's ``RecursionError: maximum recursion depth exceeded``, which ``except`` catches;
past what the host stack can hold (``Session.call_cap``, ``limits.prepare_stack``) it is
a ``LimitError``.

Exceptions a script raises or catches are Python's own builtin exception instances
(``ValueError('x')``), wrapped in a ``ScriptError`` while they propagate, so that nothing
of the host's exception machinery is reachable. ``LimitError`` (a bound) and internal
errors are never caught by ``except`` (not even a bare one) and a ``finally`` cannot
swallow them: a script cannot catch a bound and keep going.
"""

from __future__ import annotations

import builtins
import types

from adcli.diagnostics import shorten
from adcli.engine.autograd import sites as _sites
from adcli.errors import AdcliError, AdcliSyntaxError, LimitError, TorchTypeError

# Each call nests ~5-30 Python frames of compiled closures (more for deep expressions);
# limits.prepare_stack sizes the host stack and recursion limit for about 1200 of them
# (at least 200 where the stack cannot grow).
MAX_CALL_DEPTH = 200  # the floor of Session.call_cap


def too_deep(sess, what: str = "function calls") -> AdcliError:
    """The error of a call one frame past ``sess.call_cap``: CPython's RecursionError
    when the script's recursion limit is what stops it, else adcli's bound."""
    if sess.call_cap == sess.recursion_limit - 1:
        return ScriptError(builtins.RecursionError("maximum recursion depth exceeded"))
    return LimitError(f"{what} nest deeper than {sess.call_cap} (adcli's bound on the "
                      "host stack; a recursion without end?)")

_SITES = _sites.LOG


class _Control(Exception):
    """Control flow through the compiled closures: never an error."""


class _Return(_Control):
    __slots__ = ("value",)

    def __init__(self, value) -> None:
        self.value = value


def record_frame(err: AdcliError, name: str) -> None:
    """Note that ``err`` left the function ``name`` (for Python's traceback shape): its
    line there is the one the caller's statements noted (``err._line``)."""
    d = err.__dict__
    line = d.pop("_line", None)
    if line is None and err.pos:
        line = err.pos[0]
    d.setdefault("frames", []).append((name, line))


def note_line(err: AdcliError, line: int) -> None:
    """The line ``err`` passed in the frame it is leaving (the first note wins)."""
    d = err.__dict__
    if d.get("_line") is None:
        d["_line"] = line


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


def _names_list(names: list[str]) -> str:
    quoted = [f"'{n}'" for n in names]
    if len(quoted) == 1:
        return quoted[0]
    if len(quoted) == 2:
        return f"{quoted[0]} and {quoted[1]}"
    return ", ".join(quoted[:-1]) + f", and {quoted[-1]}"


class Function:
    """A ``def`` function or a lambda with a full parameter list."""

    __slots__ = ("name", "qualname", "doc", "posonly", "positional", "defaults", "vararg",
                 "kwonly", "kwdefaults", "kwarg", "body", "scope", "session", "scope_type",
                 "attrs", "__weakref__")

    def __init__(self, name, qualname, doc, posonly, positional, defaults, vararg, kwonly,
                 kwdefaults, kwarg, body, scope, session, scope_type) -> None:
        self.name = name
        self.qualname = qualname
        self.doc = doc
        self.posonly = posonly          # names of the positional-only parameters
        self.positional = positional    # names of all positional parameters, in order
        self.defaults = defaults        # {name: value} for positional parameters
        self.vararg = vararg
        self.kwonly = kwonly
        self.kwdefaults = kwdefaults
        self.kwarg = kwarg
        self.body = body                # body(scope) -> return value
        self.scope = scope
        self.session = session
        self.scope_type = scope_type
        self.attrs = None  # what the script set on the function (its __dict__), made on use

    def _error(self, text: str) -> TorchTypeError:
        return TorchTypeError(f"{self.qualname}() {text}")

    def bind(self, args, kwargs):
        scope = self.scope
        local = self.scope_type(scope, scope.globals)
        positional = self.positional
        n = len(positional)
        if len(args) > n:
            if self.vararg is None:
                need = n - len(self.defaults)
                takes = (f"from {need} to {n} positional arguments" if need != n
                         else _plural(n, "positional argument"))
                given = len(args)
                kwonly_given = sum(1 for k in self.kwonly if k in kwargs)
                if kwonly_given:  # Python counts the keyword-only arguments given too
                    also = _plural(kwonly_given, "keyword-only argument")
                    raise self._error(f"takes {takes} but {given} positional argument"
                                      f"{'s' if given != 1 else ''} (and {also}) were given")
                raise self._error(
                    f"takes {takes} but {given} {'was' if given == 1 else 'were'} given")
            local[self.vararg] = tuple(args[n:])
            args = args[:n]
        elif self.vararg is not None:
            local[self.vararg] = ()
        for name, value in zip(positional, args):
            local[name] = value
        extra = None
        if kwargs:
            posonly = self.posonly
            for key, value in kwargs.items():
                if (key in positional and key not in posonly) or key in self.kwonly:
                    if key in local:
                        raise self._error(f"got multiple values for argument '{key}'")
                    local[key] = value
                elif self.kwarg is not None:
                    if extra is None:
                        extra = {}
                    extra[key] = value
                elif key in posonly:
                    names = ", ".join(p for p in positional if p in posonly and p in kwargs)
                    raise self._error("got some positional-only arguments passed as keyword "
                                      f"arguments: '{names}'")
                else:
                    raise self._error(f"got an unexpected keyword argument '{key}'")
        if self.kwarg is not None:
            local[self.kwarg] = extra if extra is not None else {}
        if len(args) < n:
            missing = []
            for name in positional[len(args):]:
                if name not in local:
                    if name in self.defaults:
                        local[name] = self.defaults[name]
                    else:
                        missing.append(name)
            if missing:
                raise self._error(f"missing {len(missing)} required positional argument"
                                  f"{'s' if len(missing) != 1 else ''}: "
                                  f"{_names_list(missing)}")
        if self.kwonly:
            missing = []
            for name in self.kwonly:
                if name not in local:
                    if name in self.kwdefaults:
                        local[name] = self.kwdefaults[name]
                    else:
                        missing.append(name)
            if missing:
                raise self._error(f"missing {len(missing)} required keyword-only argument"
                                  f"{'s' if len(missing) != 1 else ''}: "
                                  f"{_names_list(missing)}")
        return local

    def __call__(self, *args, **kwargs):
        local = self.bind(args, kwargs)
        sess = self.session
        sess.steps += 1
        if sess.steps > sess.max_steps or not sess.steps & 63:
            sess.check_bounds(None)
        sess.call_depth += 1
        try:
            if sess.call_depth > sess.call_cap:
                raise too_deep(sess)
            return self.body(local)
        except _Return as r:
            return r.value
        except AdcliError as e:
            if not isinstance(e, LimitError):  # a bound is reported as a bound
                record_frame(e, self.name)
            raise
        finally:
            sess.call_depth -= 1
            if _SITES[0] is not None:  # what runs next belongs to the caller's statement
                _sites.returned()

    def __repr__(self) -> str:
        return f"<function {self.qualname} at 0x{id(self):x}>"

    # what functools.wraps copies (__name__, __doc__), host-side only: a script reads
    # them through function_attribute and can set neither
    def _get_name(self):
        return self.name

    def _set_name(self, value) -> None:
        if isinstance(value, str):
            self.name = value

    def _get_doc(self):
        return self.doc

    def _set_doc(self, value) -> None:
        if value is None or isinstance(value, str):
            self.doc = value

    __name__ = property(_get_name, _set_name)
    __doc__ = property(_get_doc, _set_doc)

    def __getattr__(self, name: str):
        # only __qualname__ (a class body cannot define it as a property): the repr of a
        # bound method reads it
        if name == "__qualname__":
            return self.qualname
        raise AttributeError(name)

    def __get__(self, obj, objtype=None):
        """A method of a script class binds its instance, as a Python function does."""
        if obj is None:
            return self
        return types.MethodType(self, obj)


def function_attribute(fn: Function, name: str):
    """A function's attributes: ``__name__``, ``__qualname__``, ``__doc__``,
    ``__module__``, ``__dict__`` and what the script set on it (``f.calls = 0``)."""
    from adcli.errors import TorchAttributeError

    if name == "__name__":
        return fn.name
    if name == "__doc__":
        return fn.doc
    if name == "__qualname__":
        return fn.qualname
    if name == "__module__":
        return "__main__"
    if name == "__dict__":
        if fn.attrs is None:
            fn.attrs = {}
        return fn.attrs
    if fn.attrs is not None and name in fn.attrs:
        return fn.attrs[name]
    raise TorchAttributeError(f"'function' object has no attribute '{name}'")


def set_function_attribute(fn: Function, name: str, value) -> None:
    """``f.name = value``: kept in the function's own ``__dict__`` (never a dunder)."""
    from adcli.errors import TorchAttributeError

    if name.startswith("__") and name.endswith("__"):
        raise TorchAttributeError(f"cannot set attribute '{name}' in adcli")
    if fn.attrs is None:
        fn.attrs = {}
    fn.attrs[name] = value


def del_function_attribute(fn: Function, name: str) -> None:
    from adcli.errors import TorchAttributeError

    if fn.attrs is None or name not in fn.attrs:
        raise TorchAttributeError(name)
    del fn.attrs[name]


# ---- exceptions ------------------------------------------------------------------------
EXCEPTION_NAMES = (
    "BaseException", "Exception", "ArithmeticError", "LookupError", "ValueError",
    "TypeError", "RuntimeError", "KeyError", "IndexError", "ZeroDivisionError",
    "AttributeError", "NameError", "NotImplementedError", "AssertionError", "StopIteration",
    "OverflowError", "ImportError", "ModuleNotFoundError", "RecursionError",
    "UnboundLocalError", "FloatingPointError", "SystemExit", "OSError", "FileNotFoundError",
    "FileExistsError", "IsADirectoryError", "NotADirectoryError", "PermissionError",
    "TimeoutError", "EOFError", "UnicodeError", "UnicodeDecodeError", "UnicodeEncodeError",
    "Warning", "UserWarning", "DeprecationWarning", "PendingDeprecationWarning",
    "FutureWarning", "RuntimeWarning", "SyntaxWarning", "SyntaxError", "IndentationError",
    "TabError",
)
EXCEPTION_CLASSES = {name: getattr(builtins, name) for name in EXCEPTION_NAMES}
_ALLOWED = frozenset(EXCEPTION_CLASSES.values())


class ScriptError(AdcliError):
    """An exception a script raised; ``value`` is the Python exception object."""

    def __init__(self, value: BaseException, *, pos=None) -> None:
        self.value = value
        self.kind = type(value).__qualname__  # Outer.Error for a nested script class
        super().__init__(shorten(_str(value)), pos=pos)


def _str(value: BaseException) -> str:
    try:
        return builtins.str(value)
    except Exception:  # pragma: no cover - args are script values, str() of them is safe
        return ""


def catchable(err: BaseException) -> bool:
    """Whether ``except`` may catch ``err``: script errors, never bounds or bugs."""
    return isinstance(err, AdcliError) and not isinstance(err, LimitError | AdcliSyntaxError)


_KIND_CLASSES = {name: cls for name, cls in EXCEPTION_CLASSES.items()}


def exception_value(err: AdcliError) -> BaseException:
    """The Python exception object that ``except ... as e`` binds for ``err``."""
    if isinstance(err, ScriptError):
        return err.value
    if getattr(type(err), "script_class", False):
        return err  # a torch exception class a script names (GradcheckError): itself
    value = getattr(err, "_script_value", None)
    if value is None:
        cls = _KIND_CLASSES.get(err.kind, Exception)
        value = cls(err.message) if err.message else cls()  # `assert False`: no args
        try:
            err._script_value = value
        except AttributeError:  # pragma: no cover
            pass
    return value


def _exception_type(cls):
    """A library's exception class as a script names it (``re.error``, a PyType): the
    class itself."""
    from adcli.lang.pylib._common import PyType

    if isinstance(cls, PyType) and isinstance(cls._cls, type) and \
            issubclass(cls._cls, BaseException):
        return cls._cls
    return cls


def exception_matches(err: AdcliError, handler) -> bool:
    value = exception_value(err)
    classes = handler if isinstance(handler, tuple) else (handler,)
    classes = tuple(_exception_type(c) for c in classes)
    for cls in classes:
        if not (isinstance(cls, type) and issubclass(cls, BaseException)):
            raise TorchTypeError(
                "catching classes that do not inherit from BaseException is not allowed")
    return isinstance(value, classes)


def _raisable(cls) -> bool:
    """A builtin exception class, or a script's class derived from one."""
    from adcli.lang.classes import is_script_class

    return cls in _ALLOWED or (is_script_class(cls) and issubclass(cls, BaseException))


def to_raise(value) -> ScriptError:
    """The error that ``raise value`` raises."""
    if isinstance(value, type) and _raisable(value):
        value = value()  # a script class's __init__ may raise: that error propagates
    if not isinstance(value, BaseException) or not _raisable(type(value)):
        raise TorchTypeError("exceptions must derive from BaseException")
    return ScriptError(value)


def is_exception_class(obj) -> bool:
    return isinstance(obj, type) and obj in _ALLOWED


def exception_attribute(obj, name: str):
    from adcli.errors import TorchAttributeError

    if isinstance(obj, BaseException):
        if name == "args":
            return obj.args
        if name == "__cause__":
            return obj.__cause__
        if name == "__context__":
            return obj.__context__
        if name == "__class__":
            return type(obj)
        if name == "value" and isinstance(obj, StopIteration):
            return obj.value
        if name == "code" and isinstance(obj, SystemExit):
            return obj.code
        if name in ("errno", "strerror", "filename", "filename2") and isinstance(obj, OSError):
            return getattr(obj, name)
    elif name == "__name__":
        return obj.__name__
    raise TorchAttributeError(f"'{type(obj).__name__}' object has no attribute '{name}'")



# ---- generators --------------------------------------------------------------------------
class Generator:
    """What calling a ``def`` with ``yield`` returns: the body runs as Python generator
    frames of compiled closures, a step at a time. Resuming nests like a call (the call
    depth bound holds for ``yield from`` chains), ``return v`` ends it with
    ``StopIteration(v)``, and a script reaches only ``send``, ``close`` and the names."""

    __slots__ = ("_gen", "session", "name", "qualname", "__weakref__")

    def __init__(self, gen, session, name: str, qualname: str) -> None:
        self._gen = gen
        self.session = session
        self.name = name
        self.qualname = qualname

    def __iter__(self):
        return self

    def __next__(self):
        return self.send(None)

    def send(self, value):
        sess = self.session
        sess.call_depth += 1
        try:
            if sess.call_depth > sess.call_cap:
                raise too_deep(sess, "generators and calls")
            return self._gen.send(value)
        except _Return as r:
            raise StopIteration(r.value) from None
        except AdcliError as e:
            if not isinstance(e, LimitError):  # a bound is reported as a bound
                record_frame(e, self.name)
            raise
        finally:
            sess.call_depth -= 1

    def throw(self, err):
        """Raise ``err`` (an AdcliError) at the ``yield`` the generator stopped at
        (``contextlib.contextmanager``); its next value, or StopIteration when it ends."""
        sess = self.session
        sess.call_depth += 1
        try:
            return self._gen.throw(err)
        except _Return as r:
            raise StopIteration(r.value) from None
        finally:
            sess.call_depth -= 1

    def close(self) -> None:
        try:
            self._gen.close()
        except _Return:
            pass

    def __repr__(self) -> str:
        return f"<generator object {self.qualname} at 0x{id(self):x}>"


def generator_attribute(gen: Generator, name: str):
    from adcli.errors import TorchAttributeError

    if name == "send":
        return gen.send
    if name == "close":
        return gen.close
    if name == "__name__":
        return gen.name
    if name == "__qualname__":
        return gen.qualname
    raise TorchAttributeError(f"'generator' object has no attribute '{name}'")

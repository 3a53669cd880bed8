"""``warnings``: ``warn simplefilter filterwarnings resetwarnings catch_warnings
formatwarning``, with Python's default filters and printing.

A warning prints as Python prints it, to the program's stderr::

    FILE:LINE: UserWarning: message
      the source line

once per (message, category, line) under the default action, as Python's registry does.
torch's own warnings (the engine's ``emit_warning``) go through the same filters and the
same printer while a program runs (``adcli.programs`` installs ``engine_hook``).

Message and module filters are literal text (a prefix, with ``.*`` allowed): a regular
expression from a script cannot be bounded in time, so other pattern syntax is refused.
"""

from __future__ import annotations

import builtins
import sys

from adcli.errors import TorchTypeError, TorchValueError
from adcli.lang.pylib._common import register_type, type_name

_ACTIONS = ("default", "always", "ignore", "once", "module", "error")
_META = set(".^$*+?{}[]\\|()")


def _default_filters() -> list:
    return [("default", None, DeprecationWarning, _Literal("__main__", False, "module"), 0),
            ("ignore", None, DeprecationWarning, None, 0),
            ("ignore", None, PendingDeprecationWarning, None, 0),
            ("ignore", None, ImportWarning, None, 0),
            ("ignore", None, ResourceWarning, None, 0)]


class State:
    """One session's filters and registries."""

    __slots__ = ("filters", "registry", "once", "log")

    def __init__(self) -> None:
        self.filters = _default_filters()
        self.registry: set = set()
        self.once: set = set()
        self.log = None  # a list while catch_warnings(record=True) is active

    def mutated(self) -> None:  # Python's _filters_mutated: the registries start again
        self.registry.clear()


def state_of(context) -> State:
    if context.warnings is None:
        context.warnings = State()
    return context.warnings


class _Literal:
    """A filter's message/module pattern: literal text with ``.*`` (case-insensitive for
    messages, as Python compiles them with re.I)."""

    __slots__ = ("parts", "fold", "text")

    def __init__(self, text: str, fold: bool, what: str) -> None:
        stripped = text.replace(".*", "")
        bad = sorted({c for c in stripped if c in _META})
        if bad:
            raise TorchValueError(
                f"warnings: the {what} pattern {text!r} uses {''.join(bad)!r}; adcli takes "
                "literal text with '.*' only (a regular expression cannot be bounded)")
        self.text = text
        self.fold = fold
        self.parts = [p.lower() if fold else p for p in text.split(".*")]

    def match(self, s: str, whole: bool) -> bool:
        if self.fold:
            s = s.lower()
        parts = self.parts
        if len(parts) == 1:
            return s == parts[0] if whole else s.startswith(parts[0])
        if not s.startswith(parts[0]):
            return False
        i = len(parts[0])
        for p in parts[1:-1]:
            j = s.find(p, i)
            if j < 0:
                return False
            i = j + len(p)
        last = parts[-1]
        if whole:
            return s.endswith(last) and len(s) - len(last) >= i
        return s.find(last, i) >= 0

    def __repr__(self) -> str:
        return repr(self.text)


def _category(category, fn: str):
    if not (isinstance(category, type) and issubclass(category, Warning)):
        raise TorchTypeError(f"category must be a Warning subclass, not "
                             f"'{type_name(category)}'" if fn == "warn" else
                             "category must be a class")
    return category


def _action(action) -> str:
    if action not in _ACTIONS:
        raise TorchValueError(f"invalid action: {action!r}")
    return action


def _lineno(lineno) -> int:
    if not isinstance(lineno, int) or lineno < 0:
        raise TorchValueError("lineno must be an int >= 0")
    return lineno


def _add(state: State, item, append: bool) -> None:
    if not append:
        try:
            state.filters.remove(item)
        except ValueError:
            pass
        state.filters.insert(0, item)
    elif item not in state.filters:
        state.filters.append(item)
    if len(state.filters) > 10_000:  # a filter added in a loop: Python dedupes as well
        del state.filters[10_000:]
    state.mutated()


def _format(message, category, filename, lineno, line) -> str:
    text = f"{filename}:{lineno}: {category.__name__}: {message}\n"
    if line:
        text += f"  {line.strip()}\n"
    return text


class WarningMessage:
    """What ``catch_warnings(record=True)`` records."""

    __slots__ = ("message", "category", "filename", "lineno", "line", "file", "source")

    def __init__(self, message, category, filename, lineno, line=None) -> None:
        self.message, self.category = message, category
        self.filename, self.lineno, self.line = filename, lineno, line
        self.file = self.source = None

    def __str__(self) -> str:
        return (f"{{message : {self.message!r}, category : {self.category.__name__!r}, "
                f"filename : {self.filename!r}, lineno : {self.lineno}, line : {self.line!r}}}")


register_type(WarningMessage, {n: (lambda w, n=n: getattr(w, n))  # fixed names
                               for n in WarningMessage.__slots__})


# ---- where a warning comes from ---------------------------------------------------------
def _script_line(stacklevel: int):
    """The script line that is running ``stacklevel`` calls out from here: 1 is the line
    of the ``warn`` call (or of the statement whose torch operation warns), 2 the line
    that called the function containing it. None when unknown."""
    import os

    from adcli.lang import functions as _fn
    from adcli.lang import interpreter as _it

    interp = os.path.normcase(_it.__file__)
    funcs = os.path.normcase(_fn.__file__)
    level = 1
    try:
        frame = sys._getframe(2)
    except ValueError:  # pragma: no cover
        return None
    while frame is not None:
        code = frame.f_code
        name = os.path.normcase(code.co_filename)
        if name == funcs and code.co_name == "__call__":
            level += 1
        elif level >= stacklevel and name == interp and "pos" in code.co_freevars + \
                code.co_varnames:
            pos = frame.f_locals.get("pos")
            if isinstance(pos, tuple) and len(pos) == 2 and isinstance(pos[0], int):
                return pos[0]
        frame = frame.f_back
    return None if level >= stacklevel else "sys"


def emit(context, message, category, stacklevel: int = 1, site=None) -> None:
    """Issue one warning through the session's filters (``warnings.warn`` and torch's).
    ``site``: (path in the torch package, line, source line) for a warning that Python
    reports in torch's own code."""
    state = state_of(context)
    if isinstance(message, Warning):
        category = type(message)
        text = builtins.str(message)
    else:
        text = builtins.str(message)
        message = category(text)
    where = _script_line(stacklevel) if site is None else site[1]
    if site is not None:
        filename, lineno = "torch/" + site[0], site[1]
        module = "torch." + site[0].removesuffix(".py").replace("/", ".")
    elif where == "sys":
        filename, lineno, module = "sys", 1, "sys"
    else:
        filename, lineno, module = context.filename, where or 0, "__main__"
    action = "default"
    for act, msg, cat, mod, ln in state.filters:
        if (msg is None or msg.match(text, False)) and issubclass(category, cat) and \
                (mod is None or mod.match(module, True)) and (ln == 0 or ln == lineno):
            action = act
            break
    if action == "ignore":
        return
    if action == "error":
        from adcli.lang.functions import ScriptError

        raise ScriptError(message)
    key = (text, category, lineno)
    if action == "once":
        if (text, category) in state.once:
            return
        state.once.add((text, category))
    elif action == "module":
        if (text, category, module) in state.once:
            return
        state.once.add((text, category, module))
    elif action == "default":
        if key in state.registry:
            return
        state.registry.add(key)
    line = None
    if site is not None:
        line = site[2]
    elif isinstance(lineno, int) and 1 <= lineno <= len(context.lines) and filename != "sys":
        line = context.lines[lineno - 1]
    if state.log is not None:
        if len(state.log) < 100_000:
            state.log.append(WarningMessage(message, category, filename, lineno, line))
        return
    if where is None:  # no script line known: the category and message alone
        context.write_err(f"{category.__name__}: {text}\n")
        return
    context.write_err(_format(text, category, filename, lineno, line))


def engine_hook(context):
    """The engine's ``emit_warning`` while a program runs: torch's UserWarnings through
    the same filters and printer as ``warnings.warn``."""

    def emit_warning(message: str, site=None) -> None:
        emit(context, message, UserWarning, 1, site)

    return emit_warning


class catch_warnings:  # noqa: N801 - Python's name
    """``with warnings.catch_warnings(record=False):``: the filters are restored after.

    It carries the interpreter's class mark (its own two methods) so that ``with``
    accepts it as it accepts a script class with ``__enter__``/``__exit__``."""

    __slots__ = ("_state", "_record", "_saved", "_entered", "_action", "_category")
    __adcli_names__ = frozenset({"__enter__", "__exit__"})

    def __init__(self, state, *, record=False, action=None, category=Warning,
                 lineno=0, append=False) -> None:
        self._state, self._record = state, bool(record)
        self._saved = None
        self._entered = False
        self._action = None if action is None else (_action(action), category, lineno,
                                                    append)

    def __enter__(self):
        if not isinstance(self._state, State):
            raise TorchTypeError("catch_warnings() is made by warnings.catch_warnings()")
        if self._entered:
            raise TorchValueError(f"Cannot enter {self!r} twice")
        self._entered = True
        st = self._state
        self._saved = (list(st.filters), st.log)
        st.mutated()
        if self._action is not None:
            act, cat, ln, app = self._action
            _add(st, (act, None, _category(cat, "simplefilter"), None, _lineno(ln)), app)
        if self._record:
            st.log = []
            return st.log
        return None

    def __exit__(self, *exc_info):
        if not self._entered:
            raise TorchValueError(f"Cannot exit {self!r} without entering first")
        st = self._state
        st.filters, st.log = self._saved
        st.mutated()
        return None

    def __repr__(self) -> str:
        return "catch_warnings(record=True)" if self._record else "catch_warnings()"


def make_table(context) -> dict:
    state = state_of(context)

    def warn(message, category=None, stacklevel=1, source=None, **kwargs):
        if kwargs:
            raise TorchTypeError(f"warn() got an unexpected keyword argument "
                                 f"'{next(iter(kwargs))}'")
        if category is None:
            category = UserWarning
        if not isinstance(message, Warning):
            _category(category, "warn")
        if not isinstance(stacklevel, int):
            raise TorchTypeError(f"'{type_name(stacklevel)}' object cannot be interpreted as "
                                 "an integer")
        emit(context, message, category, stacklevel)

    def simplefilter(action, category=Warning, lineno=0, append=False):
        _add(state, (_action(action), None, _category(category, "simplefilter"), None,
                     _lineno(lineno)), append)

    def filterwarnings(action, message="", category=Warning, module="", lineno=0,
                       append=False):
        if not isinstance(message, str):
            raise TorchTypeError("message must be a string")
        if not isinstance(module, str):
            raise TorchTypeError("module must be a string")
        _add(state, (_action(action), _Literal(message, True, "message") if message else None,
                     _category(category, "filterwarnings"),
                     _Literal(module, False, "module") if module else None,
                     _lineno(lineno)), append)

    def resetwarnings():
        state.filters = []
        state.mutated()

    def formatwarning(message, category, filename, lineno, line=None):
        return _format(message, _category(category, "formatwarning"), filename, lineno, line)

    def make_catch(*, record=False, action=None, category=Warning, lineno=0, append=False):
        return catch_warnings(state, record=record, action=action, category=category,
                              lineno=lineno, append=append)

    return {"warn": warn, "simplefilter": simplefilter, "filterwarnings": filterwarnings,
            "resetwarnings": resetwarnings, "formatwarning": formatwarning,
            "catch_warnings": make_catch}


# the warning categories a program names (``warnings.warn("x", DeprecationWarning)``)
CATEGORIES = {c.__name__: c for c in (
    Warning, UserWarning, DeprecationWarning, PendingDeprecationWarning, FutureWarning,
    RuntimeWarning, SyntaxWarning, ImportWarning, UnicodeWarning, BytesWarning,
    ResourceWarning)}

"""``argparse``: Python's own ``ArgumentParser`` behind a guarded subclass, so usage,
help and error texts are CPython 3.11's.

What the sandbox changes:

- ``parse_args()`` / ``parse_known_args()`` with no list read the program's
  ``sys.argv[1:]`` (``adcli run prog.py`` gives ``['prog.py']``, as ``python prog.py``),
  and ``prog`` defaults to the script's name;
- what the parser prints goes to the program's stdout/stderr (or ``file=``:
  ``sys.stdout``, ``sys.stderr``, an ``io.StringIO``); ``exit``/``error`` raise the
  program's ``SystemExit`` (status 2 for a usage error, 0 after ``--help``);
- help is laid out for an 80-column terminal (Python's width when output is not one);
- no file is read or opened: ``fromfile_prefix_chars`` and ``FileType`` are refused;
  ``action=`` is one of Python's action names (no action class); a help string's
  ``%``-widths are bounded; a ``dest`` that is a dunder name is refused;
- the result is a ``Namespace`` that prints and compares as Python's and works with
  ``vars()``.
"""

from __future__ import annotations

import argparse as _ap
import sys as _sys

from adcli.errors import TorchNotImplementedError, TorchTypeError, TorchValueError
from adcli.lang.classes import MARK
from adcli.lang.pyformat import percent_format_size
from adcli.lang.pylib._common import check_objects, type_name

_WIDTH = 78  # shutil.get_terminal_size()'s fallback (80 columns), less 2, as argparse
_MAX_TEXT = 100_000
_ACTIONS = frozenset(("store", "store_const", "store_true", "store_false", "append",
                      "append_const", "count", "help", "version", "extend"))


def _is_dunder(name) -> bool:
    return isinstance(name, str) and len(name) > 4 and name.startswith("__") and \
        name.endswith("__")


class Namespace:
    """``argparse.Namespace``: attributes a script reads and sets, CPython's repr."""

    __module__ = "argparse"
    __qualname__ = "Namespace"
    locals()[MARK] = frozenset(("__init__", "__repr__", "__eq__", "__contains__"))

    def __init__(self, **kwargs) -> None:
        for k, v in kwargs.items():
            setattr(self, k, v)

    def __setattr__(self, name, value) -> None:
        if _is_dunder(name):
            raise TorchValueError(f"argparse: the name {name!r} is refused by adcli")
        object.__setattr__(self, name, value)

    def __repr__(self) -> str:
        args, star = [], {}
        for name, value in self.__dict__.items():
            if name.isidentifier():
                args.append(f"{name}={value!r}")
            else:
                star[name] = value
        if star:
            args.append(f"**{star!r}")
        return f"Namespace({', '.join(args)})"

    def __eq__(self, other):
        if not isinstance(other, Namespace):
            return NotImplemented
        return vars(self) == vars(other)

    def __contains__(self, key) -> bool:
        return key in self.__dict__

    __hash__ = None


def _check_text(value, what: str) -> None:
    if value is None:
        return
    if not isinstance(value, str):
        if what == "help" and value is _ap.SUPPRESS:
            return
        raise TorchTypeError(f"argparse {what} must be a str in adcli, not "
                             f"{type_name(value)}")
    if len(value) > _MAX_TEXT or percent_format_size(value, ()) > _MAX_TEXT:
        raise TorchValueError(f"argparse {what} is too long for adcli")


class _Parser(_ap.ArgumentParser):
    """The host parser, with the sandbox's streams, exit, argv and checks."""

    __adcli_public__ = frozenset((
        "add_argument", "parse_args", "parse_known_args", "print_help", "format_help",
        "print_usage", "format_usage", "error", "exit", "add_argument_group",
        "add_mutually_exclusive_group", "set_defaults", "get_default", "prog",
        "description", "epilog", "usage", "parse_intermixed_args"))

    _adcli_context = None
    _adcli_ready = False  # set once Python's __init__ (which makes its own groups) is done

    def __init__(self, *args, **kwargs) -> None:
        raise TorchTypeError("make a parser with argparse.ArgumentParser()")

    @classmethod
    def make(cls, context, prog=None, usage=None, description=None, epilog=None,
             parents=(), formatter_class=None, prefix_chars="-",
             fromfile_prefix_chars=None, argument_default=None, conflict_handler="error",
             add_help=True, allow_abbrev=True, exit_on_error=True):
        if fromfile_prefix_chars is not None:
            raise TorchNotImplementedError("argparse fromfile_prefix_chars reads files: "
                                           "not supported by adcli")
        for text, what in ((prog, "prog"), (usage, "usage"), (description, "description"),
                           (epilog, "epilog")):
            _check_text(text, what)
        if not isinstance(prefix_chars, str) or not prefix_chars:
            raise TorchTypeError("argparse prefix_chars must be a non-empty str")
        if any(not isinstance(p, _Parser) for p in parents):
            raise TorchTypeError("argparse parents are ArgumentParsers")
        fmt_cls = _FORMATTERS.get(formatter_class if formatter_class is not None else
                                  "HelpFormatter")
        if fmt_cls is None:
            raise TorchNotImplementedError("argparse formatter_class is one of argparse's "
                                           "formatters in adcli")
        if prog is None:
            argv = (context.argv if context is not None and context.argv else ["prog.py"])
            prog = str(argv[0]).replace("\\", "/").rsplit("/", 1)[-1]
        self = object.__new__(cls)
        self._adcli_context = context
        _ap.ArgumentParser.__init__(
            self, prog=prog, usage=usage, description=description, epilog=epilog,
            parents=list(parents), formatter_class=lambda prog: fmt_cls(prog, width=_WIDTH),
            prefix_chars=prefix_chars, argument_default=argument_default,
            conflict_handler=conflict_handler, add_help=add_help, allow_abbrev=allow_abbrev,
            exit_on_error=exit_on_error)
        self._adcli_ready = True
        return self

    # ---- the guarded surface -----------------------------------------------------------
    def add_argument(self, *args, **kwargs):
        return _add_argument(self, _ap.ArgumentParser.add_argument, args, kwargs)

    def add_argument_group(self, title=None, description=None, **kwargs):
        if not self._adcli_ready:
            return _ap.ArgumentParser.add_argument_group(self, title, description, **kwargs)
        _check_text(title, "title")
        _check_text(description, "description")
        return _Group(_ap.ArgumentParser.add_argument_group(self, title, description))

    def add_mutually_exclusive_group(self, required=False):
        if not self._adcli_ready:
            return _ap.ArgumentParser.add_mutually_exclusive_group(self, required=required)
        return _Group(_ap.ArgumentParser.add_mutually_exclusive_group(self,
                                                                      required=required))

    def set_defaults(self, **kwargs):
        for k in kwargs:
            if _is_dunder(k):
                raise TorchValueError(f"argparse: the name {k!r} is refused by adcli")
        return _ap.ArgumentParser.set_defaults(self, **kwargs)

    def parse_known_args(self, args=None, namespace=None):
        if args is None:
            argv = self._adcli_context.argv if self._adcli_context is not None else None
            args = list(argv[1:]) if argv else []
        elif isinstance(args, tuple | list):
            args = list(args)
        else:
            raise TorchTypeError("parse_args() takes a list of str in adcli")
        check_objects(len(args), "argparse arguments")
        for a in args:
            if not isinstance(a, str):
                raise TorchTypeError(f"expected string or bytes-like object, got "
                                     f"'{type_name(a)}'")
        if namespace is None:
            namespace = Namespace()
        elif not isinstance(namespace, Namespace):
            raise TorchTypeError("parse_args() takes an argparse.Namespace in adcli")
        return _ap.ArgumentParser.parse_known_args(self, args, namespace)

    def _print_message(self, message, file=None):
        if not message:
            return
        ctx = self._adcli_context
        if file is None or file is _sys.stderr:
            (ctx.write_err if ctx is not None else _sys.stderr.write)(message)
        elif file is _sys.stdout:
            (ctx.write_out if ctx is not None else _sys.stdout.write)(message)
        else:
            from adcli.lang.pylib.iomod import StringIO
            from adcli.lang.pylib.sysmod import Stream

            if not isinstance(file, Stream | StringIO):
                raise TorchNotImplementedError("argparse prints to sys.stdout, sys.stderr "
                                               "or an io.StringIO in adcli")
            file.write(message)

    def print_help(self, file=None):
        self._print_message(self.format_help(), file or _sys.stdout)

    def print_usage(self, file=None):
        self._print_message(self.format_usage(), file or _sys.stdout)

    def exit(self, status=0, message=None):
        if message:
            self._print_message(message, _sys.stderr)
        from adcli.lang.pylib.sysmod import exit as sys_exit

        sys_exit(status)

    def error(self, message):
        if not isinstance(message, str):
            message = str(message)
        _ap.ArgumentParser.error(self, message)

    def __repr__(self) -> str:
        return _ap.ArgumentParser.__repr__(self).replace("_Parser(", "ArgumentParser(")


class _Group:
    """An argument group or mutually exclusive group: ``add_argument`` (checked)."""

    __slots__ = ("_g",)
    __adcli_public__ = frozenset(("add_argument", "add_mutually_exclusive_group", "title",
                                  "description"))

    def __init__(self, g) -> None:
        self._g = g

    def add_argument(self, *args, **kwargs):
        return _add_argument(self._g, type(self._g).add_argument, args, kwargs)

    def add_mutually_exclusive_group(self, required=False):
        return _Group(self._g.add_mutually_exclusive_group(required=required))

    @property
    def title(self):
        return getattr(self._g, "title", None)

    @property
    def description(self):
        return getattr(self._g, "description", None)


def _add_argument(owner, add, args, kwargs):
    for a in args:
        if not isinstance(a, str):
            raise TorchTypeError("argparse option names are str in adcli")
        _check_text(a, "option name")
    action = kwargs.get("action")
    if action is not None and action not in _ACTIONS:
        raise TorchNotImplementedError("argparse action= is one of Python's action names "
                                       "in adcli (no action class)")
    if kwargs.get("type") is not None and isinstance(kwargs["type"], _ap.FileType):
        raise TorchNotImplementedError("argparse.FileType opens files: not supported")
    for key in ("help", "metavar", "dest", "version"):
        value = kwargs.get(key)
        if isinstance(value, tuple) and key == "metavar":
            for v in value:
                _check_text(v, key)
        else:
            _check_text(value, key)
    dest = kwargs.get("dest")
    if _is_dunder(dest) or any(_is_dunder(a.lstrip("-").replace("-", "_")) for a in args):
        raise TorchValueError("argparse: a dunder name is refused by adcli")
    try:
        return add(owner, *args, **kwargs)
    except _ap.ArgumentError as e:
        raise TorchValueError(str(e)) from None


_FORMATTERS = {
    "HelpFormatter": _ap.HelpFormatter,
    "RawDescriptionHelpFormatter": _ap.RawDescriptionHelpFormatter,
    "RawTextHelpFormatter": _ap.RawTextHelpFormatter,
    "ArgumentDefaultsHelpFormatter": _ap.ArgumentDefaultsHelpFormatter,
    "MetavarTypeHelpFormatter": _ap.MetavarTypeHelpFormatter,
}


def make_table(context=None) -> dict:
    from adcli.lang.pylib._common import PyType
    from adcli.lang.pylib.pybuiltins import TYPES, _register

    class _FormatterName(str):
        """A formatter class as a script passes it: its name (the host class stays
        here)."""

    def parser(*args, **kwargs):
        fc = kwargs.get("formatter_class")
        if fc is not None:
            if not isinstance(fc, _FormatterName):
                raise TorchNotImplementedError("argparse formatter_class is one of "
                                               "argparse's formatters in adcli")
            kwargs["formatter_class"] = str(fc)
        return _Parser.make(context, *args, **kwargs)

    ns = TYPES.get(Namespace)
    if ns is None:
        ns = TYPES[Namespace] = PyType(Namespace, "argparse.Namespace", Namespace)
    table = {
        "ArgumentParser": PyType(_Parser, "argparse.ArgumentParser", parser),
        "ArgumentError": TYPES.get(_ap.ArgumentError) or _register(
            _ap.ArgumentError, "argparse.ArgumentError", None),
        "Namespace": ns,
        "SUPPRESS": _ap.SUPPRESS, "OPTIONAL": _ap.OPTIONAL, "ZERO_OR_MORE": _ap.ZERO_OR_MORE,
        "ONE_OR_MORE": _ap.ONE_OR_MORE, "REMAINDER": _ap.REMAINDER,
    }
    for name in _FORMATTERS:
        table[name] = _FormatterName(name)
    return table

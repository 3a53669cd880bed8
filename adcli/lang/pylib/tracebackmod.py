"""``traceback``: ``format_exc``, ``print_exc``, ``format_exception``,
``format_exception_only``, ``print_exception``.

The traceback of the exception an ``except`` block is handling is the one adcli prints
for an uncaught error (adcli/programs.py ``traceback_text``): the script's own frames,
each with its line, named by the script's path as the session knows it, then
``Kind: message``. CPython 3.11's ``^^^^`` marks under a line are not drawn. The
outermost frame is shown as ``<module>``. An exception that was never raised has no
frames: only its last line. ``print_*`` write to the program's stderr (or ``file=``:
``sys.stdout``, ``sys.stderr`` or an ``io.StringIO``).
"""

from __future__ import annotations

from adcli.errors import TorchNotImplementedError, TorchTypeError
from adcli.lang.pylib._common import type_name


def _handled():
    """The AdcliError the innermost running ``except`` block handles, or None."""
    from adcli.lang.interpreter import _CURRENT_EXC

    return _CURRENT_EXC[-1] if _CURRENT_EXC else None


def _value_name(value: BaseException) -> str:
    cls = type(value)
    module = getattr(cls, "__module__", "builtins")
    name = cls.__qualname__
    if module in ("builtins", "__main__", None) or module.startswith("adcli"):
        return name
    return f"{module}.{name}"


def _last_line(value) -> str:
    name = _value_name(value)
    try:
        text = str(value)
    except Exception:  # noqa: BLE001 - CPython prints the same placeholder
        text = "<exception str() failed>"
    return f"{name}: {text}\n" if text else f"{name}\n"


def _error_of(value):
    """The AdcliError being handled whose Python value is ``value``, or None."""
    from adcli.lang import functions as _F
    from adcli.lang.interpreter import _CURRENT_EXC

    for err in reversed(_CURRENT_EXC):
        if err is not None and _F.exception_value(err) is value:
            return err
    return None


def _format(err, context) -> str:
    from adcli.lang import functions as _F
    from adcli.programs import traceback_text

    text = traceback_text(context.filename if context is not None else "<string>",
                          context.lines if context is not None else [], err)
    return _chain(_F.exception_value(err), context) + text


def _chain(value, context) -> str:
    """The cause or context of ``value`` printed before it, as CPython does."""
    for attr, line in (("__cause__", "The above exception was the direct cause of the "
                                     "following exception:"),
                       ("__context__", "During handling of the above exception, another "
                                       "exception occurred:")):
        inner = getattr(value, attr, None)
        if inner is None or (attr == "__context__" and (
                getattr(value, "__suppress_context__", False) or value.__cause__)):
            continue
        err = _error_of(inner)
        text = _format(err, context) if err is not None else _last_line(inner)
        return text + "\n" + line + "\n\n"
    return ""


def make_table(context=None) -> dict:
    def format_exc(limit=None, chain=True) -> str:
        err = _handled()
        if err is None:
            return "NoneType: None\n"
        return _format(err, context)

    def _write(text: str, file) -> None:
        if file is None:
            if context is not None:
                context.write_err(text)
            else:
                import sys

                sys.stderr.write(text)
            return
        from adcli.lang.pylib.iomod import StringIO
        from adcli.lang.pylib.sysmod import Stream

        if not isinstance(file, Stream | StringIO):
            raise TorchNotImplementedError("traceback prints to sys.stdout, sys.stderr or "
                                           f"an io.StringIO in adcli, not {type_name(file)}")
        file.write(text)

    def print_exc(limit=None, file=None, chain=True) -> None:
        _write(format_exc(), file)

    def _value(exc, fn: str):
        if not isinstance(exc, BaseException):
            raise TorchTypeError(f"{fn}() argument must be an exception, not "
                                 f"{type_name(exc)}")
        return exc

    def format_exception_only(exc, /, value=None) -> list:
        if value is not None:
            exc = value
        if exc is None:
            return ["NoneType: None\n"]
        return [_last_line(_value(exc, "format_exception_only"))]

    def format_exception(exc, /, value=None, tb=None, limit=None, chain=True) -> list:
        if value is not None:
            exc = value
        exc = _value(exc, "format_exception")
        err = _error_of(exc)
        if err is None:
            return [_chain(exc, context) + _last_line(exc)] if chain else [_last_line(exc)]
        text = _format(err, context)
        return _split(text)

    def print_exception(exc, /, value=None, tb=None, limit=None, file=None,
                        chain=True) -> None:
        _write("".join(format_exception(exc, value)), file)

    return {"format_exc": format_exc, "print_exc": print_exc,
            "format_exception_only": format_exception_only,
            "format_exception": format_exception, "print_exception": print_exception}


def _split(text: str) -> list:
    """CPython's list shape: the head line, then one entry per frame (its File line and
    source line together), then the last line."""
    lines = text.splitlines(keepends=True)
    out: list = []
    for line in lines:
        if line.startswith("    ") and out and out[-1].startswith("  File "):
            out[-1] += line
        else:
            out.append(line)
    return out


def format_exc_text(context) -> str:
    """``traceback.format_exc()`` for logging's ``exc_info``."""
    return make_table(context)["format_exc"]()

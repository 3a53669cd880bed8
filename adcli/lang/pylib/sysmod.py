"""``sys``: the program's name and streams, ``exit``, and read-only facts about Python.

Nothing here reaches a frame, a module, the interpreter, a file or the environment:
``argv`` is a fresh list of the program's name, ``stdout``/``stderr`` write to the
program's own (bounded) output streams, and the facts (``version``, ``maxsize``,
``float_info``, ...) are copies of this Python's values.
"""

from __future__ import annotations

import sys as _sys

from adcli.errors import TorchTypeError, TorchValueError
from adcli.lang.pylib._common import register_type, type_name


def make_structseq(name: str, fields: tuple, values: tuple):
    """A tuple with named fields that prints as ``sys.version_info(major=3, ...)``."""

    class StructSeq(tuple):
        __slots__ = ()
        _fields = fields

        def __repr__(self) -> str:
            inner = ", ".join(f"{f}={v!r}" for f, v in zip(fields, self))
            return f"{name}({inner})"

        __str__ = __repr__

    StructSeq.__name__ = StructSeq.__qualname__ = name.rsplit(".", 1)[-1]
    register_type(StructSeq, {f: (lambda obj, i=i: tuple.__getitem__(obj, i))
                              for i, f in enumerate(fields)}
                  | {"count": lambda obj: obj.count, "index": lambda obj: obj.index})
    return StructSeq(values)


def _structseq_of(name: str, value):
    fields = tuple(f for f in dir(value) if not f.startswith("_")
                   and f not in ("count", "index", "n_fields", "n_sequence_fields",
                                 "n_unnamed_fields"))
    # the order of the fields as Python prints them
    order = [part.split("=")[0] for part in repr(value)[len(name) + 1:-1].split(", ")]
    fields = tuple(f for f in order if f in fields)
    return make_structseq(name, fields, tuple(getattr(value, f) for f in fields))


class Stream:
    """``sys.stdout`` / ``sys.stderr``: ``write``, ``flush``, ``writelines`` to the
    program's own output."""

    __slots__ = ("_name", "_context")

    def __init__(self, name: str, context) -> None:
        self._name, self._context = name, context

    def write(self, s):
        if not isinstance(s, str):
            raise TorchTypeError(f"write() argument must be str, not {type_name(s)}")
        if self._name == "stdout":
            self._context.write_out(s)
        else:
            self._context.write_err(s)
        return len(s)

    def writelines(self, lines):
        from adcli.lang.pylib._common import meter

        for line in meter(lines):
            self.write(line)

    def flush(self):
        return None

    def isatty(self):
        return False

    def __repr__(self) -> str:
        return f"<_io.TextIOWrapper name='<{self._name}>' mode='w' encoding='utf-8'>"


register_type(Stream, {
    "write": lambda s: s.write, "writelines": lambda s: s.writelines,
    "flush": lambda s: s.flush, "isatty": lambda s: s.isatty,
    "name": lambda s: f"<{s._name}>", "encoding": lambda s: "utf-8",
})


def exit(*status):  # noqa: A001 - Python's name
    """``sys.exit([status])``: raise SystemExit, which ends the program (or is caught)."""
    from adcli.lang.functions import ScriptError

    if len(status) > 1:
        raise TorchTypeError(f"exit expected at most 1 argument, got {len(status)}")
    raise ScriptError(SystemExit(*status))


def exit_status(code) -> tuple[int, str | None]:
    """What Python does with an uncaught ``SystemExit(code)``: the process status, and
    the text it prints to stderr (None: nothing)."""
    if code is None:
        return 0, None
    if isinstance(code, int):
        try:
            return int(code) & 0xFF, None
        except OverflowError:  # pragma: no cover - & never overflows
            return 255, None
    try:
        text = str(code)
    except Exception:  # noqa: BLE001 - a script's __str__ that fails: Python prints nothing
        text = ""
    return 1, text


class _Recursion:
    __slots__ = ("limit",)

    def __init__(self) -> None:
        self.limit = 1000


def make_table(context) -> dict:
    rec = _Recursion()

    def getrecursionlimit():
        return rec.limit

    def setrecursionlimit(limit):
        """As Python's: the script's calls nest up to ``limit`` frames (within what the
        host stack holds: past that a call is adcli's LimitError)."""
        if isinstance(limit, float):
            raise TorchTypeError("'float' object cannot be interpreted as an integer")
        if not isinstance(limit, int):
            raise TorchTypeError(f"'{type_name(limit)}' object cannot be interpreted as an "
                                 "integer")
        if limit < 1:
            raise TorchValueError("recursion limit must be greater or equal than 1")
        if limit > 2**31 - 1:
            from adcli.errors import TorchOverflowError

            raise TorchOverflowError("Python int too large to convert to C int")
        rec.limit = int(limit)
        if context.set_recursion_limit is not None:
            context.set_recursion_limit(rec.limit)

    argv = list(context.argv) if context.argv is not None else [""]
    return {
        "argv": argv,
        "orig_argv": ["python", *argv],
        "exit": exit,
        "version": _sys.version,
        "version_info": _structseq_of("sys.version_info", _sys.version_info),
        "hexversion": _sys.hexversion,
        "api_version": _sys.api_version,
        "platform": _sys.platform,
        "byteorder": _sys.byteorder,
        "maxsize": _sys.maxsize,
        "maxunicode": _sys.maxunicode,
        "float_info": _structseq_of("sys.float_info", _sys.float_info),
        "int_info": _structseq_of("sys.int_info", _sys.int_info),
        "float_repr_style": _sys.float_repr_style,
        "getrecursionlimit": getrecursionlimit,
        "setrecursionlimit": setrecursionlimit,
        "getdefaultencoding": lambda: "utf-8",
        "stdout": Stream("stdout", context),
        "stderr": Stream("stderr", context),
        "path": [""],
        "copyright": _sys.copyright,
        "dont_write_bytecode": True,
    }

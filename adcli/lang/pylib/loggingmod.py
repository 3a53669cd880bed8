"""``logging``: loggers, stream handlers and %-style formatters, as CPython 3.11's.

One session's loggers (``getLogger(name)``, the root logger, their levels, handlers and
``propagate``) live in its ``make_table`` closure. A handler writes to the program's own
streams (``sys.stdout``/``sys.stderr``, the default stderr) or to an ``io.StringIO``;
no file is reached: ``FileHandler`` and ``basicConfig(filename=...)`` are refused. With
no handler anywhere, a record of level WARNING or above goes to stderr as its bare
message (CPython's ``lastResort``); ``basicConfig()`` gives the root logger a stderr
handler with the format ``%(levelname)s:%(name)s:%(message)s``.

Formats are %-style (``{``/``$`` styles are refused) over the record's fields ``name``,
``levelname``, ``levelno``, ``message``, ``asctime``, ``msecs``, ``created``,
``filename``, ``module``, ``pathname``, ``lineno`` and ``funcName`` (``<module>``):
formatted by adcli's bounded ``%`` (no attribute of anything is reached).
"""

from __future__ import annotations

import re as _re
import time as _time

from adcli.errors import TorchNotImplementedError, TorchTypeError, TorchValueError
from adcli.lang.pyformat import bounded_percent_format, check_size
from adcli.lang.pylib._common import check_objects, type_name

CRITICAL, ERROR, WARNING, INFO, DEBUG, NOTSET = 50, 40, 30, 20, 10, 0
_NAMES = {CRITICAL: "CRITICAL", ERROR: "ERROR", WARNING: "WARNING", INFO: "INFO",
          DEBUG: "DEBUG", NOTSET: "NOTSET"}
_LEVELS = {"CRITICAL": CRITICAL, "FATAL": CRITICAL, "ERROR": ERROR, "WARN": WARNING,
           "WARNING": WARNING, "INFO": INFO, "DEBUG": DEBUG, "NOTSET": NOTSET}
BASIC_FORMAT = "%(levelname)s:%(name)s:%(message)s"
_FIELD = _re.compile(r"%\(\w+\)[#0+ -]*(\*|\d+)?(\.(\*|\d+))?[diouxefgcrsa%]", _re.I)
_MAX_LOGGERS = 10_000


def _check_level(level) -> int:
    if isinstance(level, bool) or not isinstance(level, int | str):
        raise TorchTypeError(f"Level not an integer or a valid string: {level!r}")
    if isinstance(level, str):
        if level not in _LEVELS:
            raise TorchValueError(f"Unknown level: {level!r}")
        return _LEVELS[level]
    return int(level)


def getLevelName(level):  # noqa: N802 - Python's name
    if isinstance(level, int) and not isinstance(level, bool) and level in _NAMES:
        return _NAMES[level]
    if isinstance(level, str) and level in _LEVELS:
        return _LEVELS[level]
    return f"Level {level}"


class LogRecord:
    __slots__ = ("name", "levelno", "levelname", "msg", "args", "created", "msecs",
                 "lineno", "filename", "pathname", "module", "funcName", "exc_text",
                 "message", "asctime")
    __adcli_public__ = frozenset(("name", "levelno", "levelname", "msg", "args", "created",
                                  "msecs", "lineno", "filename", "pathname", "module",
                                  "funcName", "getMessage"))

    def getMessage(self) -> str:  # noqa: N802
        msg = str(self.msg)
        if self.args:
            msg = bounded_percent_format(msg, self.args)
        return msg

    def fields(self) -> dict:
        return {k: getattr(self, k) for k in self.__slots__ if hasattr(self, k)}

    def __repr__(self) -> str:
        return (f'<LogRecord: {self.name}, {self.levelno}, {self.pathname}, {self.lineno}, '
                f'"{self.msg}">')


class Formatter:
    """``logging.Formatter(fmt=None, datefmt=None, style='%')``."""

    __slots__ = ("_fmt", "datefmt")
    __adcli_public__ = frozenset(("format", "formatTime", "datefmt", "usesTime"))

    def __init__(self, fmt=None, datefmt=None, style="%", validate=True, *, defaults=None):
        if style not in ("%", "{", "$"):
            raise TorchValueError("Style must be one of: %, {, $")
        if style != "%":
            raise TorchNotImplementedError(f"logging formats of style {style!r} are not "
                                           "supported by adcli (use '%' style)")
        if fmt is not None and not isinstance(fmt, str):
            raise TorchTypeError(f"logging format must be str, not {type_name(fmt)}")
        if datefmt is not None and not isinstance(datefmt, str):
            raise TorchTypeError(f"logging datefmt must be str, not {type_name(datefmt)}")
        self._fmt = "%(message)s" if fmt is None else fmt
        check_size(len(self._fmt))
        if validate and not _FIELD.search(self._fmt):
            raise TorchValueError(f"Invalid format '{self._fmt}' for '%' style")
        self.datefmt = datefmt

    def usesTime(self) -> bool:  # noqa: N802
        return "%(asctime)" in self._fmt

    def formatTime(self, record, datefmt=None) -> str:  # noqa: N802
        ct = _time.localtime(record.created)
        if datefmt:
            check_size(len(datefmt) * 64)
            return _time.strftime(datefmt, ct)
        return _time.strftime("%Y-%m-%d %H:%M:%S", ct) + f",{int(record.msecs):03d}"

    def format(self, record) -> str:
        if not isinstance(record, LogRecord):
            raise TorchTypeError("Formatter.format() takes a LogRecord")
        record.message = record.getMessage()
        if self.usesTime():
            record.asctime = self.formatTime(record, self.datefmt)
        if "%(lineno)" in self._fmt and record.lineno is None:
            record.lineno = _caller_line()
        fields = record.fields()
        if record.lineno is None:
            fields["lineno"] = 0
        for m in _re.finditer(r"%\((\w+)\)", self._fmt):
            if m.group(1) not in fields:
                raise TorchValueError(f"Formatting field not found in record: {m.group(1)!r}")
        text = bounded_percent_format(self._fmt, fields)
        if record.exc_text:
            text = text + "\n" + record.exc_text
        return text


def _caller_line() -> int:
    from adcli.lang.pylib.warningsmod import _script_line

    line = _script_line(1)
    return line if isinstance(line, int) else 0


_DEFAULT_FORMATTER = Formatter()


def _stream_writer(stream, context):
    """The write function of a handler's stream: the program's stdout/stderr or an
    in-memory text buffer (nothing else is reachable)."""
    from adcli.lang.pylib.iomod import StringIO
    from adcli.lang.pylib.sysmod import Stream

    if stream is None:
        return context.write_err
    if isinstance(stream, Stream | StringIO):
        return stream.write
    raise TorchNotImplementedError("a logging stream is sys.stdout, sys.stderr or an "
                                   f"io.StringIO in adcli, not {type_name(stream)}")


class Handler:
    __slots__ = ("level", "formatter", "name")
    __adcli_public__ = frozenset(("level", "formatter", "name", "setLevel", "setFormatter",
                                  "format", "handle", "emit", "flush", "close"))
    __adcli_settable__ = frozenset(("level", "formatter", "name"))

    def __init__(self, level=NOTSET) -> None:
        self.level = _check_level(level)
        self.formatter = None
        self.name = None

    def setLevel(self, level) -> None:  # noqa: N802
        self.level = _check_level(level)

    def setFormatter(self, fmt) -> None:  # noqa: N802
        if fmt is not None and not isinstance(fmt, Formatter):
            raise TorchTypeError("setFormatter() takes a logging.Formatter in adcli")
        self.formatter = fmt

    def format(self, record) -> str:
        return (self.formatter or _DEFAULT_FORMATTER).format(record)

    def handle(self, record) -> bool:
        if record.levelno >= self.level:
            self.emit(record)
            return True
        return False

    def emit(self, record) -> None:
        raise TorchNotImplementedError("emit must be implemented by Handler subclasses")

    def flush(self) -> None:
        return None

    def close(self) -> None:
        return None

    def __repr__(self) -> str:
        return f"<{type(self).__name__} ({getLevelName(self.level)})>"


class StreamHandler(Handler):
    __slots__ = ("_write", "_shown", "stream")
    __adcli_public__ = Handler.__adcli_public__ | {"stream", "terminator"}
    terminator = "\n"

    def __init__(self, stream=None, *, _context=None) -> None:
        super().__init__()
        self._write = _stream_writer(stream, _context)
        self.stream = stream
        self._shown = "<stderr>" if stream is None else getattr(stream, "_name", None)

    def emit(self, record) -> None:
        self._write(self.format(record) + self.terminator)

    def __repr__(self) -> str:
        name = f"<{self._shown}> " if self._shown and not self._shown.startswith("<") \
            else (f"{self._shown} " if self._shown else "")
        return f"<StreamHandler {name}({getLevelName(self.level)})>"


class NullHandler(Handler):
    __slots__ = ()

    def emit(self, record) -> None:
        return None

    def handle(self, record) -> bool:
        return True


class Logger:
    __slots__ = ("name", "level", "handlers", "propagate", "disabled", "parent",
                 "_manager")
    __adcli_public__ = frozenset((
        "name", "level", "handlers", "propagate", "disabled", "parent", "setLevel",
        "debug", "info", "warning", "warn", "error", "exception", "critical", "fatal", "log",
        "addHandler", "removeHandler", "isEnabledFor", "getEffectiveLevel", "hasHandlers",
        "getChild"))
    __adcli_settable__ = frozenset(("level", "propagate", "disabled"))

    def __init__(self, name: str, level=NOTSET, manager=None) -> None:
        self.name, self.level = name, _check_level(level)
        self.handlers: list = []
        self.propagate, self.disabled, self.parent = True, False, None
        self._manager = manager

    def setLevel(self, level) -> None:  # noqa: N802
        self.level = _check_level(level)

    def getEffectiveLevel(self) -> int:  # noqa: N802
        logger = self
        while logger is not None:
            if logger.level:
                return logger.level
            logger = logger.parent
        return NOTSET

    def isEnabledFor(self, level) -> bool:  # noqa: N802
        if self._manager is not None and level <= self._manager.disabled:
            return False
        return level >= self.getEffectiveLevel()

    def addHandler(self, hdlr) -> None:  # noqa: N802
        if not isinstance(hdlr, Handler):
            raise TorchTypeError("addHandler() takes a logging.Handler in adcli")
        if hdlr not in self.handlers:
            check_objects(len(self.handlers) + 1, "logger handlers")
            self.handlers.append(hdlr)

    def removeHandler(self, hdlr) -> None:  # noqa: N802
        if hdlr in self.handlers:
            self.handlers.remove(hdlr)

    def hasHandlers(self) -> bool:  # noqa: N802
        logger = self
        while logger is not None:
            if logger.handlers:
                return True
            logger = logger.parent if logger.propagate else None
        return False

    def getChild(self, suffix):  # noqa: N802
        name = suffix if self.parent is None else f"{self.name}.{suffix}"
        return self._manager.get(name)

    def _log(self, level, msg, args, exc_info=None, stack_info=False, stacklevel=1,
             extra=None) -> None:
        if self.disabled:
            return
        record = LogRecord()
        now = _time.time()
        ctx = self._manager.context
        record.name, record.levelno, record.levelname = self.name, level, getLevelName(level)
        record.msg, record.args = msg, (args[0] if len(args) == 1 and isinstance(
            args[0], dict) and args[0] else args)
        record.created, record.msecs = now, int((now - int(now)) * 1000) + 0.0
        record.lineno = None
        path = ctx.filename if ctx is not None else "<string>"
        record.pathname = path
        record.filename = path.replace("\\", "/").rsplit("/", 1)[-1]
        record.module = record.filename.rsplit(".", 1)[0]
        record.funcName = "<module>"
        record.exc_text = _exc_text(ctx) if exc_info else None
        logger, found = self, 0
        while logger is not None:
            for h in list(logger.handlers):
                found += 1
                h.handle(record)
            logger = logger.parent if logger.propagate else None
        if not found and level >= WARNING:  # lastResort: the bare message on stderr
            text = record.getMessage()
            if record.exc_text:
                text += "\n" + record.exc_text
            (ctx.write_err if ctx is not None else _stderr)(text + "\n")

    def log(self, level, msg, *args, **kwargs) -> None:
        if isinstance(level, bool) or not isinstance(level, int):
            raise TorchTypeError("level must be an integer")
        if self.isEnabledFor(level):
            self._log(level, msg, args, **kwargs)

    def debug(self, msg, *args, **kwargs) -> None:
        self.log(DEBUG, msg, *args, **kwargs)

    def info(self, msg, *args, **kwargs) -> None:
        self.log(INFO, msg, *args, **kwargs)

    def warning(self, msg, *args, **kwargs) -> None:
        self.log(WARNING, msg, *args, **kwargs)

    warn = warning

    def error(self, msg, *args, **kwargs) -> None:
        self.log(ERROR, msg, *args, **kwargs)

    def exception(self, msg, *args, exc_info=True, **kwargs) -> None:
        self.log(ERROR, msg, *args, exc_info=exc_info, **kwargs)

    def critical(self, msg, *args, **kwargs) -> None:
        self.log(CRITICAL, msg, *args, **kwargs)

    fatal = critical

    def __repr__(self) -> str:
        kind = "RootLogger" if self.parent is None else "Logger"
        return f"<{kind} {self.name} ({getLevelName(self.getEffectiveLevel())})>"


def _stderr(text: str) -> None:
    import sys

    sys.stderr.write(text)


def _exc_text(ctx):
    """The traceback of the exception being handled (``NoneType: None`` when none), as
    ``traceback.format_exc()`` gives it, less its last newline."""
    from adcli.lang.pylib.tracebackmod import format_exc_text

    return format_exc_text(ctx).rstrip("\n")


class _Manager:
    __slots__ = ("root", "loggers", "context", "disabled")

    def __init__(self, context) -> None:
        self.context = context
        self.root = Logger("root", WARNING, self)
        self.loggers: dict = {}
        self.disabled = NOTSET

    def get(self, name=None):
        if name is None or name == "" or name == "root":
            return self.root
        if not isinstance(name, str):
            raise TorchTypeError("A logger name must be a string")
        if name in self.loggers:
            return self.loggers[name]
        check_objects(len(self.loggers) + 1, "loggers")
        if len(self.loggers) >= _MAX_LOGGERS:
            raise TorchValueError(f"adcli keeps at most {_MAX_LOGGERS} loggers")
        logger = self.loggers[name] = Logger(name, NOTSET, self)
        self._fix_parents()
        return logger

    def _fix_parents(self) -> None:
        for name, logger in self.loggers.items():
            parent = self.root
            parts = name.split(".")
            for i in range(len(parts) - 1, 0, -1):
                up = ".".join(parts[:i])
                if up in self.loggers:
                    parent = self.loggers[up]
                    break
            logger.parent = parent


def make_table(context=None) -> dict:
    manager = _Manager(context)
    root = manager.root

    def getLogger(name=None):  # noqa: N802
        return manager.get(name)

    def basicConfig(**kwargs):  # noqa: N802
        force = kwargs.pop("force", False)
        if force:
            root.handlers.clear()
        if root.handlers:
            return
        handlers = kwargs.pop("handlers", None)
        stream = kwargs.pop("stream", None)
        filename = kwargs.pop("filename", None)
        kwargs.pop("filemode", None)
        kwargs.pop("encoding", None)
        kwargs.pop("errors", None)
        if filename is not None:
            raise TorchNotImplementedError("logging to a file is not supported by adcli "
                                           "(there is no file system in the sandbox)")
        if handlers is not None and stream is not None:
            raise TorchValueError("'stream' and 'handlers' should not be specified together")
        fmt = kwargs.pop("format", None)
        datefmt = kwargs.pop("datefmt", None)
        style = kwargs.pop("style", "%")
        level = kwargs.pop("level", None)
        if kwargs:
            raise TorchValueError("Unrecognised argument(s): " + ", ".join(kwargs))
        formatter = Formatter(BASIC_FORMAT if fmt is None else fmt, datefmt, style)
        if handlers is None:
            handlers = [StreamHandler(stream, _context=context)]
        for h in handlers:
            if h.formatter is None:
                h.setFormatter(formatter)
            root.addHandler(h)
        if level is not None:
            root.setLevel(level)

    def stream_handler(stream=None):
        return StreamHandler(stream, _context=context)

    def module_level(method: str):
        def call(msg, *args, **kwargs):
            if not root.handlers:
                basicConfig()
            getattr(root, method)(msg, *args, **kwargs)

        call.__name__ = call.__qualname__ = method
        return call

    def disable(level=CRITICAL):
        manager.disabled = _check_level(level)

    def file_handler(*args, **kwargs):
        raise TorchNotImplementedError("logging.FileHandler is not supported by adcli "
                                       "(there is no file system in the sandbox)")

    from adcli.lang.pylib.pybuiltins import TYPES, PyType

    def pytype(cls, name, make):
        t = TYPES.get(cls)
        return t if t is not None and t._make is make else PyType(cls, name, make)

    table = {
        "CRITICAL": CRITICAL, "FATAL": CRITICAL, "ERROR": ERROR, "WARNING": WARNING,
        "WARN": WARNING, "INFO": INFO, "DEBUG": DEBUG, "NOTSET": NOTSET,
        "BASIC_FORMAT": BASIC_FORMAT,
        "getLogger": getLogger, "basicConfig": basicConfig, "root": root,
        "getLevelName": getLevelName, "disable": disable,
        "StreamHandler": pytype(StreamHandler, "logging.StreamHandler", stream_handler),
        "NullHandler": pytype(NullHandler, "logging.NullHandler", NullHandler),
        "Handler": pytype(Handler, "logging.Handler", None),
        "Formatter": pytype(Formatter, "logging.Formatter", Formatter),
        "Logger": pytype(Logger, "logging.Logger", None),
        "LogRecord": pytype(LogRecord, "logging.LogRecord", None),
        "FileHandler": file_handler,
    }
    for method in ("debug", "info", "warning", "warn", "error", "exception", "critical",
                   "fatal"):
        table[method] = module_level(method)
    table["log"] = lambda level, msg, *a, **k: (None if root.handlers else basicConfig(),
                                                root.log(level, msg, *a, **k))[0]
    return table

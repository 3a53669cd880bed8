"""``csv``: ``reader``/``writer``/``DictReader``/``DictWriter`` over the sandbox's
in-memory text (an ``io.StringIO``, a list of lines, or ``sys.stdout`` to write).

Python's own ``csv`` does the parsing and quoting; the rows it reads are bounded (the
Python-object bound on rows and fields, the string bound on a field) and the file
objects are adcli's own (no file of the host can be opened in the sandbox).
"""

from __future__ import annotations

import csv as _csv

from adcli.errors import TorchTypeError
from adcli.lang.pylib._common import check_objects, type_name

_DIALECT_KEYS = ("delimiter", "quotechar", "escapechar", "doublequote", "skipinitialspace",
                 "lineterminator", "quoting", "strict")


def _dialect(kwargs: dict) -> dict:
    out = {}
    for k, v in kwargs.items():
        if k not in _DIALECT_KEYS and k != "dialect":
            raise TorchTypeError(f"'{k}' is an invalid keyword argument for this function")
        if k == "dialect" and v not in ("excel", "excel-tab", "unix"):
            raise TorchTypeError("csv dialect is 'excel', 'excel-tab' or 'unix' in adcli")
        out[k] = v
    return out


def _lines(source):
    """The text lines of ``source``, read lazily and bounded."""
    from adcli.lang.pylib.iomod import StringIO

    if isinstance(source, StringIO):
        def gen():
            n = 0
            while True:
                line = source.readline()
                if not line:
                    return
                n += 1
                check_objects(n, "csv rows")
                yield line

        return gen()
    if isinstance(source, list | tuple):
        for line in source:
            if not isinstance(line, str):
                raise _csv.Error(f"iterator should return strings, not {type_name(line)} "
                                 "(the file should be opened in text mode)")
        return iter(list(source))
    raise TorchTypeError("csv reads an io.StringIO or a list of str in adcli, not "
                         f"{type_name(source)}")


def _writer_target(f):
    from adcli.lang.pylib.iomod import StringIO
    from adcli.lang.pylib.sysmod import Stream

    if not isinstance(f, StringIO | Stream):
        raise TorchTypeError("csv writes to an io.StringIO, sys.stdout or sys.stderr in "
                             f"adcli, not {type_name(f)}")
    return f


def _error(e: Exception):
    from adcli.lang.pylib._common import stdlib_error

    return stdlib_error(e)


class Reader:
    __slots__ = ("_r",)
    __adcli_public__ = frozenset(("line_num", "dialect"))

    def __init__(self, source, **kwargs) -> None:
        self._r = _csv.reader(_lines(source), **_dialect(kwargs))

    def __iter__(self):
        return self

    def __next__(self):
        row = next(self._r)
        check_objects(len(row), "csv fields")
        return row

    @property
    def line_num(self) -> int:
        return self._r.line_num

    def __repr__(self) -> str:
        return "<_csv.reader object>"


class Writer:
    __slots__ = ("_w",)
    __adcli_public__ = frozenset(("writerow", "writerows"))

    def __init__(self, f, **kwargs) -> None:
        self._w = _csv.writer(_writer_target(f), **_dialect(kwargs))

    def writerow(self, row):
        return self._w.writerow(row)

    def writerows(self, rows):
        from adcli.lang.pylib._common import meter

        for row in meter(rows):
            self._w.writerow(row)

    def __repr__(self) -> str:
        return "<_csv.writer object>"


class DictReader:
    __slots__ = ("_r",)
    __adcli_public__ = frozenset(("fieldnames", "line_num"))

    def __init__(self, f, fieldnames=None, restkey=None, restval=None, **kwargs) -> None:
        self._r = _csv.DictReader(_lines(f), fieldnames, restkey, restval, **_dialect(kwargs))

    def __iter__(self):
        return self

    def __next__(self):
        return next(self._r)

    @property
    def fieldnames(self):
        return self._r.fieldnames

    @property
    def line_num(self) -> int:
        return self._r.line_num


class DictWriter:
    __slots__ = ("_w",)
    __adcli_public__ = frozenset(("fieldnames", "writeheader", "writerow", "writerows"))

    def __init__(self, f, fieldnames, restval="", extrasaction="raise", **kwargs) -> None:
        self._w = _csv.DictWriter(_writer_target(f), fieldnames, restval, extrasaction,
                                  **_dialect(kwargs))

    @property
    def fieldnames(self):
        return self._w.fieldnames

    def writeheader(self):
        return self._w.writeheader()

    def writerow(self, rowdict):
        if not isinstance(rowdict, dict):
            raise TorchTypeError("DictWriter.writerow() takes a dict in adcli")
        return self._w.writerow(rowdict)

    def writerows(self, rowdicts):
        from adcli.lang.pylib._common import meter

        for row in meter(rowdicts):
            self.writerow(row)


def make_table() -> dict:
    from adcli.lang.pylib.pybuiltins import TYPES, _register

    def guarded(cls):
        def make(*args, **kwargs):
            try:
                return cls(*args, **kwargs)
            except _csv.Error as e:
                raise _error(e) from None

        return make

    return {
        "reader": guarded(Reader), "writer": guarded(Writer),
        "DictReader": guarded(DictReader), "DictWriter": guarded(DictWriter),
        "QUOTE_MINIMAL": _csv.QUOTE_MINIMAL, "QUOTE_ALL": _csv.QUOTE_ALL,
        "QUOTE_NONNUMERIC": _csv.QUOTE_NONNUMERIC, "QUOTE_NONE": _csv.QUOTE_NONE,
        "Error": TYPES.get(_csv.Error) or _register(_csv.Error, "_csv.Error", None),
    }

"""``io``: ``BytesIO`` and ``StringIO``, in-memory files (the sandbox has no other kind).

Each wraps Python's own ``io.BytesIO``/``io.StringIO``, so reading, writing, seeking and
their errors are Python's; what a script writes is counted against the element bound
(the buffer's total size, checked before each write). ``torch.save(obj, buf)`` and
``torch.load(buf)`` work on a ``BytesIO`` (adcli/engine/serialization.py): the saved
object is kept with the buffer at the offset where it was written, under a few bytes of
placeholder (not torch's zip archive: its bytes and length differ from torch's).
``open``, ``FileIO``, ``TextIOWrapper`` and the other file classes are not here.
"""

from __future__ import annotations

import io as _io

from adcli import limits as _limits
from adcli.errors import LimitError, TorchTypeError, TorchValueError
from adcli.lang.pylib._common import type_name


def _check_size(size: int, what: str) -> None:
    bound = _limits.current().max_elements
    if bound and size > bound:
        raise LimitError(f"io.{what}: a buffer of {size:,} items is over the limit of "
                         f"{bound:,} (--max-elements / ADCLI_MAX_ELEMENTS)")


def _python_error(e: Exception):
    if isinstance(e, TypeError):
        return TorchTypeError(str(e))
    return TorchValueError(str(e))


class _Buffer:
    """What the two buffers share: a Python buffer underneath, bounded writes."""

    __slots__ = ("_buf", "_saved")
    __adcli_public__ = frozenset((
        "write", "writelines", "read", "readline", "readlines", "seek", "tell", "getvalue",
        "truncate", "close", "closed", "flush", "readable", "writable", "seekable",
        "isatty",
    ))
    _kind = ""

    def _call(self, fn, *args):
        try:
            return fn(*args)
        except (TypeError, ValueError, OSError) as e:
            raise _python_error(e) from None

    def write(self, data):
        self._check_data(data)
        buf = self._buf
        here = self._call(buf.tell)
        size = buf.seek(0, 2)
        buf.seek(here)
        _check_size(max(size, here + len(data)), self._kind)
        return self._call(buf.write, data)

    def writelines(self, lines) -> None:
        for line in lines:
            self.write(line)

    def read(self, size=-1):
        return self._call(self._buf.read, size)

    def readline(self, size=-1):
        return self._call(self._buf.readline, size)

    def readlines(self, hint=-1):
        return self._call(self._buf.readlines, hint)

    def seek(self, pos, whence=0):
        return self._call(self._buf.seek, pos, whence)

    def tell(self):
        return self._call(self._buf.tell)

    def getvalue(self):
        return self._call(self._buf.getvalue)

    def truncate(self, size=None):
        return self._call(self._buf.truncate, size)

    def close(self) -> None:
        self._buf.close()

    @property
    def closed(self) -> bool:
        return self._buf.closed

    def flush(self) -> None:
        self._call(self._buf.flush)

    def readable(self) -> bool:
        return self._call(self._buf.readable)

    def writable(self) -> bool:
        return self._call(self._buf.writable)

    def seekable(self) -> bool:
        return self._call(self._buf.seekable)

    def isatty(self) -> bool:
        return self._call(self._buf.isatty)

    def __enter__(self):
        if self._buf.closed:
            raise TorchValueError("I/O operation on closed file.")
        return self

    def __exit__(self, *exc) -> None:
        self.close()

    def __iter__(self):
        return self

    def __next__(self):
        line = self.readline()
        if not line:
            raise StopIteration
        return line

    def __repr__(self) -> str:
        return f"<_io.{self._kind} object at 0x{id(self):x}>"


class BytesIO(_Buffer):
    """``io.BytesIO(initial_bytes=b'')``."""

    __slots__ = ()
    __module__ = "_io"
    __adcli_public__ = _Buffer.__adcli_public__ | {"getbuffer"}
    _kind = "BytesIO"

    def __init__(self, initial_bytes=b"") -> None:
        if initial_bytes is None:
            initial_bytes = b""
        if not isinstance(initial_bytes, bytes | bytearray):
            raise TorchTypeError(f"a bytes-like object is required, not "
                                 f"'{type_name(initial_bytes)}'")
        self._buf = _io.BytesIO(initial_bytes)
        self._saved: dict = {}  # offset -> (end offset, object): torch.save's

    def _check_data(self, data) -> None:
        if not isinstance(data, bytes | bytearray):
            raise TorchTypeError(f"a bytes-like object is required, not '{type_name(data)}'")

    def getbuffer(self):
        return bytes(self._call(self._buf.getbuffer))


class StringIO(_Buffer):
    """``io.StringIO(initial_value='', newline='\\n')``."""

    __slots__ = ()
    __module__ = "_io"
    _kind = "StringIO"

    def __init__(self, initial_value="", newline="\n") -> None:
        if initial_value is None:
            initial_value = ""
        if not isinstance(initial_value, str):
            raise TorchTypeError(f"initial_value must be str or None, not "
                                 f"{type_name(initial_value)}")
        self._buf = self._call(_io.StringIO, initial_value, newline)
        self._saved = None

    def _check_data(self, data) -> None:
        if not isinstance(data, str):
            raise TorchTypeError(f"string argument expected, got '{type_name(data)}'")


def make_table() -> dict:
    from adcli.lang.pylib.pybuiltins import TYPES, _register

    return {name: TYPES.get(cls) or _register(cls, f"_io.{name}", cls)
            for name, cls in (("BytesIO", BytesIO), ("StringIO", StringIO))}

"""``json``: ``dumps``/``loads`` (and ``dump``/``load`` to a stream), bounded.

``dumps`` is Python's encoder rewritten here so that its output is counted against the
element bound as it grows and its nesting against the depth bound (``--max-depth``, at
most 1000 as CPython's recursion limit); leaves are encoded by Python's own functions,
so the text is CPython's byte for byte. ``loads`` reads at most ``--max-input-bytes``
characters, nested at most as deep, with Python's C scanner, and integers over the
integer-bits bound are refused.
"""

from __future__ import annotations

import json as _json
from json import encoder as _enc

from adcli import limits as _limits
from adcli.errors import LimitError, TorchTypeError, TorchValueError
from adcli.lang.pylib._common import check_int_result, stdlib_error, type_name

_INF = float("inf")


def _depth_bound() -> int:
    depth = _limits.current().max_depth
    return min(depth, 1000) if depth else 1000


def _size_check(size: int) -> None:
    from adcli.lang import pyformat

    pyformat.check_size(size)


class _Encoder:
    __slots__ = ("skipkeys", "ensure_ascii", "check_circular", "allow_nan", "indent",
                 "item_sep", "key_sep", "sort_keys", "default", "chunks", "size",
                 "markers", "max_depth")

    def __init__(self, skipkeys, ensure_ascii, check_circular, allow_nan, indent,
                 separators, default, sort_keys) -> None:
        if indent is not None and not isinstance(indent, str):
            if not isinstance(indent, int):
                raise TorchTypeError(f"can't multiply sequence by non-int of type "
                                     f"'{type_name(indent)}'")
            _size_check(max(indent, 0))
            indent = " " * indent
        if separators is not None:
            try:
                item_sep, key_sep = separators
            except (TypeError, ValueError):
                raise TorchValueError("separators must be an (item_separator, "
                                      "key_separator) tuple") from None
            if not isinstance(item_sep, str) or not isinstance(key_sep, str):
                raise TorchTypeError("separators must be strings")
        elif indent is not None:
            item_sep, key_sep = ",", ": "
        else:
            item_sep, key_sep = ", ", ": "
        self.skipkeys, self.ensure_ascii = skipkeys, ensure_ascii
        self.check_circular, self.allow_nan = check_circular, allow_nan
        self.indent, self.item_sep, self.key_sep = indent, item_sep, key_sep
        self.sort_keys, self.default = sort_keys, default
        self.chunks: list[str] = []
        self.size = 0
        self.markers: set = set()
        self.max_depth = _depth_bound()

    def emit(self, text: str) -> None:
        self.size += len(text)
        _size_check(self.size)
        self.chunks.append(text)

    def string(self, s: str) -> str:
        if self.ensure_ascii:
            return _enc.encode_basestring_ascii(s)
        return _enc.encode_basestring(s)

    def floatstr(self, o: float) -> str:
        if o != o:
            text = "NaN"
        elif o == _INF:
            text = "Infinity"
        elif o == -_INF:
            text = "-Infinity"
        else:
            return float.__repr__(o)
        if not self.allow_nan:
            raise TorchValueError(f"Out of range float values are not JSON compliant: {o!r}")
        return text

    def leaf(self, o):
        """The text of a leaf value, or None when ``o`` is not one."""
        if isinstance(o, str):
            return self.string(o)
        if o is None:
            return "null"
        if o is True:
            return "true"
        if o is False:
            return "false"
        if isinstance(o, int):
            return int.__repr__(o)
        if isinstance(o, float):
            return self.floatstr(o)
        return None

    def mark(self, o) -> int | None:
        if not self.check_circular:
            return None
        key = id(o)
        if key in self.markers:
            raise TorchValueError("Circular reference detected")
        self.markers.add(key)
        return key

    def encode(self, o, level: int) -> None:
        if level > self.max_depth:
            raise LimitError(f"json.dumps: the value nests more than {self.max_depth} levels "
                             "deep (the depth bound: --max-depth / ADCLI_MAX_DEPTH)")
        text = self.leaf(o)
        if text is not None:
            self.emit(text)
        elif isinstance(o, (list, tuple)):
            self.sequence(o, level)
        elif isinstance(o, dict):
            self.mapping(o, level)
        else:
            key = self.mark(o)
            if self.default is None:
                raise TorchTypeError(f"Object of type {type_name(o)} is not JSON serializable")
            self.encode(self.default(o), level + 1)
            if key is not None:
                self.markers.discard(key)

    def _open(self, level: int) -> tuple[str, str]:
        if self.indent is None:
            return self.item_sep, ""
        inner = "\n" + self.indent * (level + 1)
        return self.item_sep + inner, inner

    def _close(self, level: int) -> str:
        return "" if self.indent is None else "\n" + self.indent * level

    def sequence(self, lst, level: int) -> None:
        if not lst:
            self.emit("[]")
            return
        key = self.mark(lst)
        sep, first = self._open(level)
        self.emit("[" + first)
        for i, value in enumerate(lst):
            if i:
                self.emit(sep)
            self.encode(value, level + 1)
        self.emit(self._close(level) + "]")
        if key is not None:
            self.markers.discard(key)

    def mapping(self, dct, level: int) -> None:
        if not dct:
            self.emit("{}")
            return
        key = self.mark(dct)
        sep, first = self._open(level)
        self.emit("{" + first)
        items = sorted(dct.items()) if self.sort_keys else list(dct.items())
        written = False
        for k, value in items:
            if isinstance(k, str):
                pass
            elif isinstance(k, float):
                k = self.floatstr(k)
            elif k is True:
                k = "true"
            elif k is False:
                k = "false"
            elif k is None:
                k = "null"
            elif isinstance(k, int):
                k = int.__repr__(k)
            elif self.skipkeys:
                continue
            else:
                raise TorchTypeError(f"keys must be str, int, float, bool or None, not "
                                     f"{type_name(k)}")
            if written:
                self.emit(sep)
            written = True
            self.emit(self.string(k) + self.key_sep)
            self.encode(value, level + 1)
        self.emit(self._close(level) + "}")
        if key is not None:
            self.markers.discard(key)


def dumps(obj, *, skipkeys=False, ensure_ascii=True, check_circular=True, allow_nan=True,
          cls=None, indent=None, separators=None, default=None, sort_keys=False, **kw):
    if cls is not None:
        raise TorchTypeError("json.dumps(cls=...) is not supported in adcli")
    if kw:
        name = next(iter(kw))
        raise TorchTypeError(f"JSONEncoder.__init__() got an unexpected keyword argument "
                             f"'{name}'")
    enc = _Encoder(skipkeys, ensure_ascii, check_circular, allow_nan, indent, separators,
                   default, sort_keys)
    enc.encode(obj, 0)
    return "".join(enc.chunks)


def _writer(fp, get_attribute):
    return get_attribute(fp, "write")


def make_dump(get_attribute):
    def dump(obj, fp, **kwargs):
        write = _writer(fp, get_attribute)
        write(dumps(obj, **kwargs))

    return dump


def _check_text(s) -> str:
    if isinstance(s, bytes | bytearray):
        s = bytes(s).decode("utf-8")
    if not isinstance(s, str):
        raise TorchTypeError(f"the JSON object must be str, bytes or bytearray, not "
                             f"{type_name(s)}")
    bound = _limits.current().max_input_bytes
    if bound and len(s) > bound:
        raise LimitError(f"json.loads: the text is {len(s):,} characters, over the limit of "
                         f"{bound:,} (raise it with --max-input-bytes or "
                         "ADCLI_MAX_INPUT_BYTES)")
    _check_depth(s)
    return s


def _check_depth(s: str) -> None:
    """Refuse a text whose brackets (outside strings) nest deeper than the depth bound."""
    if s.count("[") + s.count("{") <= _depth_bound():
        return
    import re

    import numpy as np

    # strings removed (escapes included), then the running depth of the brackets
    bare = re.sub(r'"(?:[^"\\]|\\.)*"', "", s)
    codes = np.frombuffer(bare.encode("utf-8"), dtype=np.uint8)
    steps = ((codes == 91) | (codes == 123)).astype(np.int64) - (
        (codes == 93) | (codes == 125)).astype(np.int64)
    if steps.size and int(np.cumsum(steps).max()) > _depth_bound():
        raise LimitError(f"json.loads: the text nests more than {_depth_bound()} levels "
                         "deep (the depth bound: --max-depth / ADCLI_MAX_DEPTH)")


def _bounded_int(text: str) -> int:
    return check_int_result(int(text))


def loads(s, *, cls=None, object_hook=None, parse_float=None, parse_int=None,
          parse_constant=None, object_pairs_hook=None, **kw):
    if cls is not None:
        raise TorchTypeError("json.loads(cls=...) is not supported in adcli")
    if kw:
        name = next(iter(kw))
        raise TorchTypeError(f"JSONDecoder.__init__() got an unexpected keyword argument "
                             f"'{name}'")
    s = _check_text(s)
    try:
        return _json.loads(s, object_hook=object_hook, parse_float=parse_float,
                           parse_int=parse_int or _bounded_int, parse_constant=parse_constant,
                           object_pairs_hook=object_pairs_hook)
    except _json.JSONDecodeError as exc:
        raise stdlib_error(exc) from None


def make_load(get_attribute):
    def load(fp, **kwargs):
        return loads(get_attribute(fp, "read")(), **kwargs)

    return load


def make_table(hooks) -> dict:
    return {"dumps": dumps, "loads": loads, "dump": make_dump(hooks.get_attribute),
            "load": make_load(hooks.get_attribute)}

"""``pprint``: ``pprint pformat pp saferepr isreadable isrecursive``, Python's own printer.

Before Python's printer starts, the value's containers are walked (without recursion):
one nested deeper than the depth bound (``--max-depth``), more items than the
Python-object bound, or a text that would pass the element bound (long strings, wide
indents) is refused.
"""

from __future__ import annotations

import pprint as _pp

from adcli import limits as _limits
from adcli.errors import LimitError, TorchTypeError, TorchValueError
from adcli.lang.pylib._common import check_objects, register_type, type_name

_CONTAINERS = (list, tuple, dict, set, frozenset)


def _children(obj):
    if isinstance(obj, dict):
        for k, v in obj.items():
            yield k
            yield v
    elif isinstance(obj, _CONTAINERS):
        yield from obj
    elif type(obj).__name__ == "deque" and type(obj).__module__ == "collections":
        yield from obj


def _leaf_size(obj) -> int:
    if isinstance(obj, str | bytes):
        return len(obj) + 2
    return 24


def check_printable(obj, indent: int = 1, what: str = "pprint") -> None:
    """Refuse a value too deep or too big to print within the bounds."""
    depth_bound = _limits.current().max_depth or 1000
    depth_bound = min(depth_bound, 1000)
    nodes = 0
    size = 0
    on_path: set = set()
    stack = [(obj, 0, False)]
    while stack:
        value, depth, leaving = stack.pop()
        if leaving:
            on_path.discard(id(value))
            continue
        nodes += 1
        if not nodes & 0xFFFF:
            check_objects(nodes, f"{what}: the value's items")
        is_container = isinstance(value, _CONTAINERS) or (
            type(value).__name__ == "deque" and type(value).__module__ == "collections")
        if not is_container:
            size += _leaf_size(value)
            continue
        size += 2 + depth * max(indent, 0) + 2
        if id(value) in on_path:
            continue
        if depth >= depth_bound:
            raise LimitError(f"{what}: the value nests more than {depth_bound} levels deep "
                             "(the depth bound: --max-depth / ADCLI_MAX_DEPTH)")
        on_path.add(id(value))
        stack.append((value, depth, True))
        for child in _children(value):
            stack.append((child, depth + 1, False))
    check_objects(nodes, f"{what}: the value's items")
    from adcli.lang import pyformat

    pyformat.check_size(size)


def _options(indent, width, depth) -> None:
    for v in (indent, width):
        if not isinstance(v, int):
            raise TorchTypeError(f"'<' not supported between instances of '{type_name(v)}' "
                                 "and 'int'")
    if indent < 0:
        raise TorchValueError("indent must be >= 0")
    if width < 0:
        raise TorchValueError("width must be != 0")
    if depth is not None and (not isinstance(depth, int) or depth <= 0):
        raise TorchValueError("depth must be > 0")
    from adcli.lang import pyformat

    pyformat.check_size(indent)
    pyformat.check_size(width)


def pformat(obj, indent=1, width=80, depth=None, *, compact=False, sort_dicts=True,
            underscore_numbers=False):
    _options(indent, width, depth)
    check_printable(obj, indent, "pformat")
    return _pp.pformat(obj, indent=indent, width=width, depth=depth, compact=compact,
                       sort_dicts=sort_dicts, underscore_numbers=underscore_numbers)


def saferepr(obj):
    check_printable(obj, 1, "saferepr")
    return _pp.saferepr(obj)


def isreadable(obj):
    check_printable(obj, 1, "isreadable")
    return _pp.isreadable(obj)


def isrecursive(obj):
    check_printable(obj, 1, "isrecursive")
    return _pp.isrecursive(obj)


class PrettyPrinter:
    """``pprint.PrettyPrinter(...)``: ``pprint``, ``pformat``."""

    __slots__ = ("_kw", "_stream", "_write")

    def __init__(self, write, indent=1, width=80, depth=None, stream=None, *, compact=False,
                 sort_dicts=True, underscore_numbers=False) -> None:
        _options(indent, width, depth)
        self._kw = dict(indent=indent, width=width, depth=depth, compact=compact,
                        sort_dicts=sort_dicts, underscore_numbers=underscore_numbers)
        self._stream = stream
        self._write = write

    def pformat(self, obj):
        return pformat(obj, **self._kw)

    def pprint(self, obj):
        self._write(self._stream, self.pformat(obj) + "\n")

    def __repr__(self) -> str:
        return f"<pprint.PrettyPrinter object at 0x{id(self):x}>"


register_type(PrettyPrinter, {"pformat": lambda p: p.pformat, "pprint": lambda p: p.pprint})


def make_table(context) -> dict:
    from adcli.lang.pylib._common import PyType
    from adcli.lang.pylib.sysmod import Stream

    def write(stream, text: str) -> None:
        if stream is None:
            context.write_out(text)
        elif isinstance(stream, Stream):
            stream.write(text)
        else:
            raise TorchTypeError(f"pprint writes to sys.stdout or sys.stderr in adcli, not "
                                 f"to a '{type_name(stream)}'")

    def pprint(obj, stream=None, indent=1, width=80, depth=None, *, compact=False,
               sort_dicts=True, underscore_numbers=False):
        text = pformat(obj, indent, width, depth, compact=compact, sort_dicts=sort_dicts,
                       underscore_numbers=underscore_numbers)
        write(stream, text + "\n")

    def pp(obj, *args, sort_dicts=False, **kwargs):
        pprint(obj, *args, sort_dicts=sort_dicts, **kwargs)

    return {"pprint": pprint, "pformat": pformat, "pp": pp, "saferepr": saferepr,
            "isreadable": isreadable, "isrecursive": isrecursive,
            "PrettyPrinter": PyType(PrettyPrinter, "pprint.PrettyPrinter",
                                    lambda *a, **k: PrettyPrinter(write, *a, **k))}

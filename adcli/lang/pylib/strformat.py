"""``str.format`` and ``str.format_map`` without Python's format machinery on user fields.

The format string is split by CPython's own parser (``_string.formatter_parser``, the one
``string.Formatter`` uses: it only parses). Each field name is resolved here: the first
part from the arguments, then ``.name`` through the interpreter's ``get_attribute`` (the
allow-list, so ``'{0.__class__}'`` is an AttributeError) and ``[key]`` through its
``get_item``. Every format spec passes ``pyformat.check_spec`` and the result is counted
against the element bound as it grows.
"""

from __future__ import annotations

import _string

from adcli.errors import TorchIndexError, TorchKeyError, TorchValueError
from adcli.lang import pyformat
from adcli.lang.pylib.hooks import DEFAULT, Hooks

_MAX_NESTING = 2  # Python: "Max string recursion exceeded"


class _Auto:
    """Automatic field numbering state, as Python keeps it."""

    __slots__ = ("next", "mode")

    def __init__(self) -> None:
        self.next = 0
        self.mode = None  # "auto" or "manual"


def _manual(auto: _Auto, mapping: bool) -> None:
    if auto.mode == "auto":
        raise TorchValueError("cannot switch from automatic field numbering to "
                              "manual field specification")
    auto.mode = "manual"
    if mapping:
        raise TorchValueError("Format string contains positional fields")


def _positional(args, index: int):
    if index >= len(args):
        raise TorchIndexError(f"Replacement index {index} out of range for positional args "
                              "tuple")
    return args[index]


def _field(field_name: str, args, kwargs, auto: _Auto, hooks: Hooks, mapping: bool):
    try:
        first, rest = _string.formatter_field_name_split(field_name)
    except ValueError as exc:
        raise TorchValueError(str(exc)) from None
    if isinstance(first, int):
        _manual(auto, mapping)
        obj = _positional(args, first)
    elif first == "":
        if auto.mode == "manual":
            raise TorchValueError("cannot switch from manual field specification to "
                                  "automatic field numbering")
        auto.mode = "auto"
        if mapping:
            raise TorchValueError("Format string contains positional fields")
        obj = _positional(args, auto.next)
        auto.next += 1
    else:
        try:
            obj = kwargs[first]
        except KeyError:
            raise TorchKeyError(first) from None
    try:
        for is_attr, key in rest:
            obj = hooks.get_attribute(obj, key) if is_attr else hooks.get_item(obj, key)
    except ValueError as exc:  # "Only '.' or '[' may follow ']' in format field specifier"
        if isinstance(exc, TorchValueError):
            raise
        raise TorchValueError(str(exc)) from None
    return obj


def _convert(obj, conversion, hooks: Hooks):
    if conversion is None:
        return obj
    if conversion == "s":
        return hooks.to_str(obj)
    if conversion == "r":
        return hooks.to_repr(obj)
    if conversion == "a":
        return _ascii(hooks.to_repr(obj))
    raise TorchValueError(f"Unknown conversion specifier {conversion}")


def _ascii(text: str) -> str:
    return text.encode("ascii", "backslashreplace").decode("ascii")


def _vformat(fmt: str, args, kwargs, hooks: Hooks, mapping: bool, depth: int,
             auto: _Auto, budget: list) -> str:
    if depth < 0:
        raise TorchValueError("Max string recursion exceeded")
    out: list[str] = []
    try:
        parsed = list(_string.formatter_parser(fmt))
    except ValueError as exc:
        raise TorchValueError(str(exc)) from None
    for literal, field_name, spec, conversion in parsed:
        if literal:
            _grow(budget, len(literal))
            out.append(literal)
        if field_name is None:
            continue
        obj = _field(field_name, args, kwargs, auto, hooks, mapping)
        obj = _convert(obj, conversion, hooks)
        if spec and "{" in spec:
            spec = _vformat(spec, args, kwargs, hooks, mapping, depth - 1, auto, budget)
        spec = spec or ""
        pyformat.check_spec(spec)
        text = hooks.format_value(obj, spec)
        if not isinstance(text, str):
            from adcli.errors import TorchTypeError

            raise TorchTypeError("__format__ must return a str")
        _grow(budget, len(text))
        out.append(text)
    return "".join(out)


def _grow(budget: list, n: int) -> None:
    budget[0] += n
    pyformat.check_size(budget[0])


def safe_format(fmt: str, args, kwargs, hooks: Hooks = DEFAULT) -> str:
    """``fmt.format(*args, **kwargs)`` with fields resolved through ``hooks``."""
    return _vformat(fmt, tuple(args), kwargs, hooks, False, _MAX_NESTING, _Auto(), [0])


def safe_format_map(fmt: str, mapping, hooks: Hooks = DEFAULT) -> str:
    """``fmt.format_map(mapping)``: names looked up in ``mapping`` (its ``__missing__``
    included, as Python does)."""
    return _vformat(fmt, (), _MappingView(mapping), hooks, True, _MAX_NESTING, _Auto(), [0])


class _MappingView:
    __slots__ = ("_m",)

    def __init__(self, m) -> None:
        self._m = m

    def __getitem__(self, key):
        return self._m[key]

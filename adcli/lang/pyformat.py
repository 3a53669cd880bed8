"""Bounded string building: repetition, ``%``-formatting and format-spec widths.

Every way a script can ask Python for a long string or sequence in one step goes through
here, and is refused before Python allocates when the result would be over the element
bound (``Limits.max_elements`` characters or items):

- ``bounded_repeat(seq, times)``: ``'a' * n``, ``[0] * n``, ``n * (1,)`` for any ``n``
  that Python accepts as a count: an ``int``, a ``bool``, or anything with ``__index__``
  (a numpy integer, a one-element integer tensor);
- ``bounded_percent_format(fmt, args)``: ``fmt % args`` for any right operand, each
  literal or ``*`` width and precision counted;
- ``check_spec(spec)``: the width and precision of a ``format()`` spec such as
  ``'>999999999'`` or ``'0.500000000f'``;
- ``check_pad(width, what)``: the width of ``ljust``/``rjust``/``center``/``zfill``.

The language has no f-strings, ``str.format`` or string methods yet; ``check_spec`` and
``check_pad`` are the checks those must call when they are added (each is unit-tested now).
"""

from __future__ import annotations

import operator
import re

from adcli import limits as _limits
from adcli.errors import LimitError, TorchTypeError

_SEQUENCES = (str, list, tuple)
_HUGE = 10**18  # a width or precision written with more digits than this is "huge"

# One %-format field: mapping key, flags, width, precision, length modifier, conversion.
# re compiles it on first use, not at start-up.
_PERCENT_FIELD = r"%(\([^)]*\))?([-#0 +]*)(\*|\d+)?(?:\.(\*|\d*))?[hlL]?(.?)"
# The format-spec mini-language of format() and str.format.
_SPEC = (r"(?:(?P<fill>.)?(?P<align>[<>=^]))?(?P<sign>[-+ ])?z?#?0?(?P<width>\d+)?"
         r"[_,]?(?:\.(?P<precision>\d+))?(?P<type>[a-zA-Z%])?")


def _bound() -> int:
    return _limits.current().max_elements


def _digits(text: str) -> int:
    """A width written in decimal digits, capped so that a 5000-digit one costs nothing."""
    text = text.lstrip("0")
    if not text:  # "0", "00": a width or precision of zero
        return 0
    return int(text) if len(text) <= 18 else _HUGE


def type_name(value) -> str:
    """The type name a message shows: ``Tensor`` for a tensor, else Python's name."""
    from adcli.engine.tensor import Tensor

    return "Tensor" if isinstance(value, Tensor) else type(value).__name__


def as_count(value, what: str = "can't multiply sequence by non-int") -> int:
    """``value`` as a Python int, as Python takes a repeat count: an int, a bool or anything
    with ``__index__`` (a numpy integer, a one-element integer tensor)."""
    if isinstance(value, int):
        return int(value)
    if hasattr(type(value), "__index__"):
        return operator.index(value)
    raise TorchTypeError(f"{what} of type '{type_name(value)}'")


def check_size(size: int) -> None:
    """Refuse a string or sequence of ``size`` characters or items over the element bound."""
    bound = _bound()
    if bound and size > bound:
        raise LimitError(f"a sequence of {size:,} items is over the limit of {bound:,} "
                         "(raise it with --max-elements or ADCLI_MAX_ELEMENTS)")


def check_format_width(width: int, what: str = "width") -> None:
    """Refuse one format width or precision that would pad past the element bound."""
    bound = _bound()
    if bound and abs(width) > bound:
        raise LimitError(f"formatting with a {what} of {abs(width):,} would make a string over "
                         f"the limit of {bound:,} characters (raise it with --max-elements or "
                         "ADCLI_MAX_ELEMENTS)")


def bounded_repeat(seq, times):
    """``seq * times`` (a str, list or tuple repeated), refused over the element bound."""
    n = as_count(times)
    size = len(seq) * n if n > 0 else 0
    check_size(size)
    return seq * n


def percent_format_size(fmt: str, args) -> int:
    """An upper bound on the padding that ``fmt % args`` asks for: the length of ``fmt``
    plus every width and precision, literal or ``*`` (taken from ``args`` in order)."""
    values = args if isinstance(args, tuple) else (args,)
    size, index = len(fmt), 0
    for match in re.finditer(_PERCENT_FIELD, fmt):
        key, _flags, width, precision, conversion = match.groups()
        if conversion == "%" and not (key or width or precision is not None):
            continue  # '%%' takes no argument
        for number in (width, precision):
            if number == "*":
                star = values[index] if index < len(values) else None
                index += 1
                if isinstance(star, int):  # Python takes only an int ('* wants int')
                    size += abs(star)
            elif number:
                size += _digits(number)
        if not key:
            index += 1
    return size


def bounded_percent_format(fmt: str, args) -> str:
    """``fmt % args`` for a format string and any right operand, refused before Python
    formats when its widths and precisions would make a string over the element bound."""
    size = percent_format_size(fmt, args)
    bound = _bound()
    if bound and size > bound:
        raise LimitError(f"formatting would make a string of about {size:,} characters, "
                         f"over the limit of {bound:,} (raise it with --max-elements or "
                         "ADCLI_MAX_ELEMENTS)")
    return fmt % args


def spec_fields(spec: str) -> tuple[int, int]:
    """The (width, precision) of a ``format()`` spec, 0 where absent. A spec that is not
    in the mini-language counts each run of digits in it, so that nothing slips through."""
    match = re.fullmatch(_SPEC, spec, re.DOTALL)
    if match is None:
        runs = [_digits(d) for d in re.findall(r"\d+", spec)]
        return (max(runs) if runs else 0), sum(runs)
    width, precision = match.group("width"), match.group("precision")
    return (_digits(width) if width else 0), (_digits(precision) if precision else 0)


def check_spec(spec: str) -> None:
    """Refuse a ``format()`` spec whose width or precision is over the element bound
    (``'{:>999999999}'`` or ``format(x, '.999999999f')``)."""
    if not isinstance(spec, str):
        raise TorchTypeError(f"format spec must be a str, not {type_name(spec)}")
    width, precision = spec_fields(spec)
    check_format_width(width, "width")
    check_format_width(precision, "precision")


def check_pad(width, what: str = "ljust") -> int:
    """The width of ``s.ljust(width)`` (and rjust/center/zfill) as an int, refused over the
    element bound."""
    n = as_count(width, f"{what}(): the width must be an integer, not a value")
    check_format_width(n, "width")
    return n

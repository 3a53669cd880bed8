"""Comparing values, reference against submission: shapes, per-element allclose, None.

Values are first made *plain* (``plain``): a tensor or number becomes a numpy array, a
tuple or list of tensors a ``Seq``, None stays None, anything else is ``Opaque`` (its
repr without object addresses). Plain values can be kept, pickled and compared later.

An opaque value's text is bounded: a 50 MB string is never repr'd whole. Its text is the
first MESSAGE_CAP characters of its repr, and a SHA-256 digest of the whole repr (built
piece by piece) keeps the comparison exact.
"""

from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass, field

import numpy as np

from adcli.check.results import bounded
from adcli.diagnostics import MESSAGE_CAP

MAX_SHOWN = 5  # differing elements listed per comparison
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")
_CHUNK = 1 << 16  # characters of a long string repr'd at a time


@dataclass(frozen=True)
class Seq:
    """A tuple or list whose items are not all numbers (``autograd.grad``'s result)."""

    items: tuple


@dataclass(frozen=True)
class Opaque:
    """A value compared by its text: a dtype, a grad_fn, a string.

    ``text`` is at most MESSAGE_CAP characters of the repr (then how many more there
    were); a longer repr also has the ``digest`` of the whole, so equality stays exact.
    """

    text: str
    digest: str = ""


@dataclass(frozen=True)
class Failed:
    """A check expression that raised instead of giving a value."""

    error: str

    def __post_init__(self) -> None:
        object.__setattr__(self, "error", bounded(self.error))


@dataclass(frozen=True)
class Difference:
    """One element that differs: where, and both values."""

    index: tuple[int, ...]
    expected: float | bool | int | str
    got: float | bool | int | str

    def to_json(self) -> dict:
        return {"index": list(self.index), "expected": self.expected, "got": self.got}


@dataclass
class Comparison:
    """The outcome of one comparison; ``summary`` says why it does not match."""

    match: bool
    summary: str = ""
    differences: list[Difference] = field(default_factory=list)
    hidden: str = ""  # the summary without the expected value ("" : summary shows none)

    @property
    def student_summary(self) -> str:
        """The summary as ``--hide-expected`` shows it: the student's own value only."""
        return self.hidden or self.summary


def _differs(expected: object, got: object) -> Comparison:
    return Comparison(
        False,
        f"expected {describe(expected)}, got {describe(got)}",
        hidden=f"differs from the expected value, got {describe(got)}",
    )


def plain(value: object) -> object:
    """A comparable, picklable copy of an interpreter value."""
    if value is None or isinstance(value, np.ndarray | Opaque | Seq | Failed):
        return value
    if _is_tensor(value):
        data = value.detach().numpy()  # type: ignore[attr-defined]
        return np.array(data, copy=True)
    if isinstance(value, bool | int | float | np.generic):
        return _number_array(value)
    if isinstance(value, list | tuple):
        if _all_numbers(value):
            array = _number_array(value)
            if array is not None:
                return array
        return Seq(tuple(plain(v) for v in value))
    return opaque(value)


def opaque(value: object) -> Opaque:
    """A value as text, never longer than MESSAGE_CAP (plus a digest of the rest)."""
    text = _Text()
    text.value(value)
    return text.opaque()


_SCALARS = (int, float, bool, type(None))
_NUMBERS = (int, float, bool)


class _Text:
    """A repr written piece by piece: the first MESSAGE_CAP characters are kept, and all
    of it goes through SHA-256 in 64 KB pieces, so a long value is never held whole."""

    def __init__(self) -> None:
        self.head: list[str] = []
        self.size = 0
        self.digest = hashlib.sha256()
        self.buffer: list[str] = []
        self.buffered = 0

    def write(self, piece: str) -> None:
        self.buffer.append(piece)
        self.buffered += len(piece)
        if self.buffered >= _CHUNK:
            self.flush()

    def flush(self) -> None:
        piece = "".join(self.buffer)
        self.buffer.clear()
        self.buffered = 0
        if self.size <= MESSAGE_CAP:
            self.head.append(piece[: MESSAGE_CAP + 1 - self.size])
        self.size += len(piece)
        self.digest.update(piece.encode("utf-8", "surrogatepass"))

    def opaque(self) -> Opaque:
        self.flush()
        text = "".join(self.head)
        if self.size <= MESSAGE_CAP:
            return Opaque(text)
        more = self.size - MESSAGE_CAP
        shown = f"{text[:MESSAGE_CAP]}… ({more:,} more characters)"
        return Opaque(shown, self.digest.hexdigest())

    def value(self, value: object) -> None:
        """Write ``value``'s repr (object addresses removed); a long string a chunk at a time."""
        if isinstance(value, str):
            for start in range(0, max(len(value), 1), _CHUNK):
                self.write(repr(value[start : start + _CHUNK]))
        elif type(value) in (list, tuple):
            self.sequence(value)  # type: ignore[arg-type]
        else:
            self.write(_ADDRESS.sub("", repr(value)))

    def sequence(self, value: list | tuple) -> None:
        self.write("[" if isinstance(value, list) else "(")
        for start in range(0, len(value), 256):
            chunk = value[start : start + 256]
            if start:
                self.write(", ")
            if _small(chunk, 1 << 14):  # repr'd at once: the common, fast case
                self.write(repr(list(chunk))[1:-1])
                continue
            for i, item in enumerate(chunk):
                if i:
                    self.write(", ")
                self.value(item)
        if isinstance(value, tuple) and len(value) == 1:
            self.write(",")
        self.write("]" if isinstance(value, list) else ")")


def _small(items: list | tuple, budget: int) -> bool:
    """Whether the repr of ``items`` (numbers, short strings, small lists) is short."""
    return _left(items, budget) >= 0


def _left(items: list | tuple, budget: int) -> int:
    """``budget`` less a bound on the repr's length of ``items``; negative: too long."""
    for item in items:
        kind = type(item)
        if kind is int:
            budget -= 3 + item.bit_length() // 3
        elif kind in _SCALARS:
            budget -= 26
        elif kind is str:
            budget -= 4 + 4 * len(item)
        elif kind is list or kind is tuple:
            budget = _left(item, budget - 4)
        else:
            return -1
        if budget < 0:
            return -1
    return budget


def _is_tensor(value: object) -> bool:
    return callable(getattr(value, "detach", None)) and hasattr(value, "shape")


def _all_numbers(value: object) -> bool:
    if isinstance(value, list | tuple):
        for v in value:
            if type(v) not in _NUMBERS and not _all_numbers(v):
                return False
        return True
    return isinstance(value, bool | int | float | np.generic)


def _number_array(value: object) -> np.ndarray | Opaque:
    try:
        array = np.array(value)
    except (ValueError, OverflowError):  # ragged lists, huge integers
        return opaque(value)
    if array.dtype == object:
        return opaque(value)
    return array


def describe(value: object) -> str:
    """A short phrase naming a plain value's kind and shape, for messages."""
    if value is None:
        return "None"
    if isinstance(value, np.ndarray):
        return f"a tensor of shape {list(value.shape)}"
    if isinstance(value, Seq):
        return f"a sequence of {len(value.items)} values"
    if isinstance(value, Failed):
        return value.error
    text = value.text if isinstance(value, Opaque) else opaque(value).text
    return text if len(text) <= 60 else text[:57] + "..."


def compare(
    expected: object, got: object, *, rtol: float, atol: float, broadcast: bool = False
) -> Comparison:
    """Compare two plain values: ``|got - expected| <= atol + rtol * |expected|`` per element.

    Shapes must be equal, unless ``broadcast`` lets ``got`` broadcast to ``expected``'s
    shape. None matches only None.
    """
    if isinstance(got, Failed):
        return Comparison(False, got.error)
    if expected is None or got is None:
        if expected is None and got is None:
            return Comparison(True)
        return _differs(expected, got)
    if isinstance(expected, np.ndarray) and isinstance(got, np.ndarray):
        return _compare_arrays(expected, got, rtol, atol, broadcast)
    if isinstance(expected, Seq) and isinstance(got, Seq):
        if len(expected.items) != len(got.items):
            return _differs(expected, got)
        for i, (e, g) in enumerate(zip(expected.items, got.items, strict=True)):
            inner = compare(e, g, rtol=rtol, atol=atol, broadcast=broadcast)
            if not inner.match:
                inner.hidden = f"item {i}: {inner.student_summary}"
                inner.summary = f"item {i}: {inner.summary}"
                return inner
        return Comparison(True)
    if isinstance(expected, Opaque) and isinstance(got, Opaque):
        if expected == got:  # the text, and the digest of a long one
            return Comparison(True)
        return _differs(expected, got)
    return _differs(expected, got)


def _compare_arrays(
    expected: np.ndarray, got: np.ndarray, rtol: float, atol: float, broadcast: bool
) -> Comparison:
    if expected.shape != got.shape:
        if not broadcast or not _broadcasts(got.shape, expected.shape):
            return Comparison(
                False,
                f"expected shape {list(expected.shape)}, got shape {list(got.shape)}",
                hidden=f"differs from the expected shape, got shape {list(got.shape)}",
            )
        got = np.broadcast_to(got, expected.shape)
    if expected.dtype.kind not in "biuf" or got.dtype.kind not in "biuf":
        close = np.asarray(expected == got)
    else:
        e = expected.astype(np.float64)
        g = got.astype(np.float64)
        if np.array_equal(g, e):  # the common case, much cheaper than isclose
            return Comparison(True)
        with np.errstate(invalid="ignore", over="ignore"):
            close = np.isclose(g, e, rtol=rtol, atol=atol, equal_nan=True)
    if close.all():
        return Comparison(True)
    bad = np.argwhere(~close) if close.ndim else np.zeros((1, 0), dtype=int)
    shown = [
        Difference(
            tuple(int(i) for i in idx), _scalar(expected[tuple(idx)]), _scalar(got[tuple(idx)])
        )
        for idx in bad[:MAX_SHOWN]
    ]
    total = expected.size
    count = len(bad)
    what = "the value differs" if total == 1 else f"{count} of {total} elements differ"
    return Comparison(False, what, shown)


def _broadcasts(src: tuple[int, ...], dst: tuple[int, ...]) -> bool:
    try:
        return np.broadcast_shapes(src, dst) == dst
    except ValueError:
        return False


def _scalar(value: np.generic) -> float | bool | int | str:
    item = value.item() if isinstance(value, np.generic) else value
    if isinstance(item, float):
        return float(f"{item:.8g}") if math.isfinite(item) else str(item)
    if isinstance(item, bool | int):
        return item
    return bounded(str(item))


def format_differences(differences: list[Difference], hide_expected: bool = False) -> str:
    """``[0, 1] expected 4.5, got 3`` for each, joined with '; ' (``hide_expected``:
    ``[0, 1] got 3``)."""
    if hide_expected:
        return "; ".join(f"{list(d.index)} got {_fmt(d.got)}" for d in differences)
    return "; ".join(
        f"{list(d.index)} expected {_fmt(d.expected)}, got {_fmt(d.got)}" for d in differences
    )


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)

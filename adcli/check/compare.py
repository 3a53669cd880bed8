"""Comparing values, reference against submission: shapes, per-element allclose, None.

Values are first made *plain* (``plain``): a tensor or number becomes a numpy array, a
tuple or list of tensors a ``Seq``, None stays None, anything else is ``Opaque`` (its
repr without object addresses). Plain values can be kept, pickled and compared later.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

import numpy as np

MAX_SHOWN = 5  # differing elements listed per comparison
_ADDRESS = re.compile(r" at 0x[0-9a-fA-F]+")


@dataclass(frozen=True)
class Seq:
    """A tuple or list whose items are not all numbers (``autograd.grad``'s result)."""

    items: tuple


@dataclass(frozen=True)
class Opaque:
    """A value compared by its text: a dtype, a grad_fn, a string."""

    text: str


@dataclass(frozen=True)
class Failed:
    """A check expression that raised instead of giving a value."""

    error: str


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
    return Opaque(_ADDRESS.sub("", repr(value)))


def _is_tensor(value: object) -> bool:
    return callable(getattr(value, "detach", None)) and hasattr(value, "shape")


def _all_numbers(value: object) -> bool:
    if isinstance(value, list | tuple):
        return all(_all_numbers(v) for v in value)
    return isinstance(value, bool | int | float | np.generic)


def _number_array(value: object) -> np.ndarray | Opaque:
    try:
        array = np.array(value)
    except (ValueError, OverflowError):  # ragged lists, huge integers
        return Opaque(repr(value))
    if array.dtype == object:
        return Opaque(repr(value))
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
    text = value.text if isinstance(value, Opaque) else repr(value)
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
        return Comparison(False, f"expected {describe(expected)}, got {describe(got)}")
    if isinstance(expected, np.ndarray) and isinstance(got, np.ndarray):
        return _compare_arrays(expected, got, rtol, atol, broadcast)
    if isinstance(expected, Seq) and isinstance(got, Seq):
        if len(expected.items) != len(got.items):
            return Comparison(False, f"expected {describe(expected)}, got {describe(got)}")
        for i, (e, g) in enumerate(zip(expected.items, got.items, strict=True)):
            inner = compare(e, g, rtol=rtol, atol=atol, broadcast=broadcast)
            if not inner.match:
                inner.summary = f"item {i}: {inner.summary}"
                return inner
        return Comparison(True)
    if isinstance(expected, Opaque) and isinstance(got, Opaque):
        if expected.text == got.text:
            return Comparison(True)
        return Comparison(False, f"expected {describe(expected)}, got {describe(got)}")
    return Comparison(False, f"expected {describe(expected)}, got {describe(got)}")


def _compare_arrays(
    expected: np.ndarray, got: np.ndarray, rtol: float, atol: float, broadcast: bool
) -> Comparison:
    if expected.shape != got.shape:
        if not broadcast or not _broadcasts(got.shape, expected.shape):
            return Comparison(
                False, f"expected shape {list(expected.shape)}, got shape {list(got.shape)}"
            )
        got = np.broadcast_to(got, expected.shape)
    if expected.dtype.kind not in "biuf" or got.dtype.kind not in "biuf":
        close = np.asarray(expected == got)
    else:
        e = expected.astype(np.float64)
        g = got.astype(np.float64)
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
    return str(item)


def format_differences(differences: list[Difference]) -> str:
    """``[0, 1] expected 4.5, got 3`` for each, joined with '; '."""
    return "; ".join(
        f"{list(d.index)} expected {_fmt(d.expected)}, got {_fmt(d.got)}" for d in differences
    )


def _fmt(value: object) -> str:
    if isinstance(value, float):
        return f"{value:.6g}"
    return str(value)

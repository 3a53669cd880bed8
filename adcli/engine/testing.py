"""torch.testing: ``assert_close``, with torch 2.13's checks and messages.

What torch.testing._comparison does, as facts: a pair of inputs is compared as tensors
(both Tensors), as numbers (both Python numbers; bools by identity), as sequences (lists
and tuples, item by item) or as mappings (dicts, key by key); anything else is a
TypeError. Tensors must agree in shape and (unless ``check_dtype=False``, which then
promotes both) dtype; their values are close where ``|actual - expected| <= atol + rtol *
|expected|`` (nan equal to nan only with ``equal_nan``). The default tolerances come from
the dtypes (the larger of the two); ``rtol = atol = 0`` reports "not equal". The message
names the mismatched count, the greatest absolute and relative differences among the
mismatches (first index on ties) and the allowed tolerances; a failure inside a sequence
or mapping ends with the item it occurred for. ``msg``: a string replaces the message, a
callable receives it.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine.api import get_default_dtype
from adcli.engine.tensor import Tensor
from adcli.errors import TorchAssertionError, TorchRuntimeError, TorchTypeError, TorchValueError

# (rtol, atol) per dtype, as torch.testing's defaults
_TOLERANCES = {
    "float16": (1e-3, 1e-5), "bfloat16": (1.6e-2, 1e-5), "float32": (1.3e-6, 1e-5),
    "float64": (1e-7, 1e-7), "complex64": (1.3e-6, 1e-5), "complex128": (1e-7, 1e-7),
}


class _Failure(Exception):
    """A comparison's failure: the error type, its message, the item path it occurred at."""

    def __init__(self, kind: str, msg: str, path: tuple = ()) -> None:
        super().__init__(msg)
        self.kind, self.msg, self.path = kind, msg, path


def _type_repr(value) -> str:
    if isinstance(value, Tensor):
        return "<class 'torch.Tensor'>"
    t = type(value)
    module = "" if t.__module__ == "builtins" else t.__module__ + "."
    return f"<class '{module}{t.__qualname__}'>"


def _tolerances(*dtypes) -> tuple:
    rtols, atols = zip(*(_TOLERANCES.get(str(d).removeprefix("torch."), (0, 0)) for d in dtypes))
    return max(rtols), max(atols)


def _mismatch_msg(identifier: str, extra: str | None, abs_diff, abs_idx, atol, rel_diff,
                  rel_idx, rtol) -> str:
    equality = rtol == 0 and atol == 0

    def line(kind, diff, idx, tol):
        if idx is None:
            text = f"{kind.title()} difference: {diff}"
        else:
            text = f"Greatest {kind} difference: {diff} at index {idx}"
        if not equality:
            text += f" (up to {tol} allowed)"
        return text + "\n"

    msg = f"{identifier} are not {'equal' if equality else 'close'}!\n\n"
    if extra:
        msg += f"{extra.strip()}\n"
    msg += line("absolute", abs_diff, abs_idx, atol)
    msg += line("relative", rel_diff, rel_idx, rtol)
    return msg.strip()


def _close(a: np.ndarray, e: np.ndarray, rtol, atol, equal_nan: bool) -> np.ndarray:
    if a.dtype.kind in "biu" and e.dtype.kind in "biu" and rtol == 0 and atol == 0:
        return a == e
    a64 = a.astype(np.float64)
    e64 = e.astype(np.float64)
    with np.errstate(all="ignore"):
        close = (a64 == e64) | (np.abs(a64 - e64) <= atol + rtol * np.abs(e64))
        close &= np.isfinite(a64) | (a64 == e64)
    if equal_nan:
        close |= np.isnan(a64) & np.isnan(e64)
    return close


def _scalar_msg(actual, expected, rtol, atol) -> str:
    abs_diff = abs(actual - expected)
    rel_diff = math.inf if expected == 0 else abs_diff / abs(expected)
    return _mismatch_msg("Scalars", f"Expected {expected} but got {actual}.", abs_diff, None,
                         atol, rel_diff, None, rtol)


def _unravel(flat: int, shape: tuple) -> tuple:
    out = []
    for size in shape[::-1]:
        flat, mod = divmod(flat, size)
        out.append(mod)
    return tuple(out[::-1])


def _compare_tensors(actual: Tensor, expected: Tensor, rtol, atol, equal_nan, check_dtype):
    a, e = actual._data, expected._data
    if a.shape != e.shape:
        raise _Failure("AssertionError", "The values for attribute 'shape' do not match: "
                       f"{actual.shape} != {expected.shape}.")
    da, de = dt.BY_NP[a.dtype], dt.BY_NP[e.dtype]
    if da != de:
        if check_dtype:
            raise _Failure("AssertionError", "The values for attribute 'dtype' do not match: "
                           f"{da} != {de}.")
    if rtol is None:
        rtol, atol = _tolerances(da, de)
    if da != de:
        common = dt.promote(da, de).np
        a, e = a.astype(common), e.astype(common)
    matches = _close(a, e, rtol, atol, equal_nan)
    if matches.all():
        return
    if a.ndim == 0:
        raise _Failure("AssertionError", _scalar_msg(a.item(), e.item(), rtol, atol))
    total = matches.size
    mismatches = total - int(matches.sum())
    extra = f"Mismatched elements: {mismatches} / {total} ({mismatches / total:.1%})"
    af, ef, mf = a.reshape(-1), e.reshape(-1), matches.reshape(-1)
    if a.dtype.kind not in "fc":
        af, ef = af.astype(np.int64), ef.astype(np.int64)
    with np.errstate(all="ignore"):
        abs_diff = np.abs(af - ef)
        abs_diff[mf] = 0
        abs_idx = int(np.argmax(abs_diff))
        if af.dtype.kind == "i":  # an integer true division: the default float dtype
            rel = abs_diff.astype(np.float64) / np.abs(ef).astype(np.float64)
            rel = rel.astype(get_default_dtype().np)
        else:
            rel = abs_diff / np.abs(ef)
        rel[mf] = 0
        rel_idx = int(np.argmax(rel))
    raise _Failure("AssertionError", _mismatch_msg(
        "Tensor-likes", extra, abs_diff[abs_idx].item(), _unravel(abs_idx, a.shape), atol,
        rel[rel_idx].item(), _unravel(rel_idx, a.shape), rtol))


def _compare_numbers(actual, expected, rtol, atol, equal_nan, check_dtype):
    if type(actual) is bool or type(expected) is bool:
        if type(actual) is bool and type(expected) is bool:
            if actual is not expected:
                raise _Failure("AssertionError", f"Booleans mismatch: {actual} is not {expected}")
            return
        raise _no_pair(actual, expected)
    if check_dtype and type(actual) is not type(expected):
        raise _Failure("AssertionError", f"The (d)types do not match: {_type_repr(actual)} != "
                       f"{_type_repr(expected)}.")
    if rtol is None:
        floats = [v for v in (actual, expected) if isinstance(v, float)]
        rtol, atol = (1e-7, 1e-7) if floats else (0, 0)
    if actual == expected:
        return
    if equal_nan and actual != actual and expected != expected:
        return
    diff = abs(actual - expected)
    if math.isfinite(diff) and diff <= atol + rtol * abs(expected):
        return
    raise _Failure("AssertionError", _scalar_msg(actual, expected, rtol, atol))


def _no_pair(actual, expected) -> _Failure:
    return _Failure("TypeError", "No comparison pair was able to handle inputs of type "
                    f"{_type_repr(actual)} and {_type_repr(expected)}.")


def _number(v) -> bool:
    return type(v) in (int, float, bool)


def _compare(actual, expected, path, options) -> None:
    try:
        if actual is None and expected is None:
            return
        if isinstance(actual, Tensor) and isinstance(expected, Tensor):
            return _compare_tensors(actual, expected, *options)
        if _number(actual) and _number(expected):
            return _compare_numbers(actual, expected, *options)
        if isinstance(actual, list | tuple) and isinstance(expected, list | tuple):
            if len(actual) != len(expected):
                raise _Failure("AssertionError", "The length of the sequences mismatch: "
                               f"{len(actual)} != {len(expected)}")
            for i, (a, e) in enumerate(zip(actual, expected)):
                _compare(a, e, (*path, i), options)
            return None
        if isinstance(actual, dict) and isinstance(expected, dict):
            ka, ke = list(actual), list(expected)
            if set(ka) != set(ke):
                missing = sorted((k for k in ke if k not in actual), key=repr)
                extra = sorted((k for k in ka if k not in expected), key=repr)
                raise _Failure("AssertionError", "The keys of the mappings do not match:\n"
                               f"Missing keys in the actual mapping: {missing}\n"
                               f"Additional keys in the actual mapping: {extra}")
            for k in ke:
                _compare(actual[k], expected[k], (*path, k), options)
            return None
        raise _no_pair(actual, expected)
    except _Failure as f:
        if not f.path:
            f.path = path
        raise


def _tolerance(v, name: str):
    if v is None:
        return None
    if isinstance(v, bool) or not isinstance(v, int | float):
        raise TorchRuntimeError(f"assert_close(): '{name}' must be a number, not "
                                f"{type(v).__name__}")
    return v


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None,
                 equal_nan=False, check_device=True, check_dtype=True, check_layout=True,
                 check_stride=False, msg=None):
    """Raise AssertionError unless actual and expected are close (torch.testing)."""
    if (rtol is None) != (atol is None):
        missing = "atol" if atol is None else "rtol"
        raise TorchValueError("Both 'rtol' and 'atol' must be either specified or omitted, "
                              f"but got no {missing}.")
    options = (_tolerance(rtol, "rtol"), _tolerance(atol, "atol"), bool(equal_nan),
               bool(check_dtype))
    try:
        _compare(actual, expected, (), options)
    except _Failure as f:
        if f.kind == "TypeError":
            raise TorchTypeError(f.msg) from None
        if isinstance(msg, str):
            text = msg
        else:
            text = f.msg
            if f.path:
                text += "\n\nThe failure occurred for item " + "".join(
                    str([item]) for item in f.path)
            if callable(msg):
                text = msg(text)
        raise TorchAssertionError(text) from None


MEMBERS = {"assert_close": assert_close}

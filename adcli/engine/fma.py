"""Exact fused multiply-adds on numpy arrays: ``fma32`` and ``fma64`` round
``a * b + c`` once, as the FMA instructions of torch's vectorised CPU kernels do
(``add`` with alpha, ``addcmul``, ``lerp``, the uniform transform of its generator).
numpy has no FMA; these emulate it exactly (round-to-odd in double for float32, the
Boldo-Melquiond algorithm for float64)."""

from __future__ import annotations

import math

import numpy as np

_F32 = np.float32
_F64 = np.float64
_MID29 = np.uint64(0x10000000)
_LOW29 = np.uint64(0x1FFFFFFF)
_EXP_MASK = np.uint64(0x7FF0000000000000)
_ONE64 = np.uint64(1)
# |s| < 2**-126 (a float32 result could be subnormal), as (bits << 1) - 1 < this
_TINY2 = np.uint64((897 << 53) - 1)


def _round_to_odd_fix(s: np.ndarray, x: np.ndarray, y: np.ndarray) -> np.ndarray:
    """``s = RN(x + y)`` in double made round-to-odd (in place), elementwise."""
    bp = s - x
    err = (x - (s - bp)) + (y - bp)
    even = (s.view(np.uint64) & np.uint64(1)) == 0
    fix = (err != 0) & even & np.isfinite(s)
    if fix.any():
        s[fix] = np.nextafter(s[fix], np.where(err[fix] > 0, np.inf, -np.inf))
    return s


def fma32(a, b, c) -> np.ndarray:
    """float32 ``fma(a, b, c)``, one rounding: the product of two floats is exact in
    double, the sum is rounded to odd in double where it matters, then to float.

    Large operands are worked on in place, one float64 buffer for the lot: every full-size
    temporary costs a pass over memory (and, fresh from the allocator, its page faults)."""
    a = np.asarray(a, _F32)
    b = np.asarray(b, _F32)
    c = np.asarray(c, _F32)
    shape = np.broadcast(a, b, c).shape
    zero_d = not shape
    # s = a * b exactly, then + c rounded once in double: the full-size operand is cast,
    # and the others (often numbers) combined with it in place
    if a.shape == shape:
        s, other = a.astype(_F64), b
    elif b.shape == shape:
        s, other = b.astype(_F64), a
    else:
        s, other = np.empty(shape, _F64), b
        np.copyto(s, a)
    if zero_d:
        s, shape = s.reshape(1), (1,)
    s *= other.item() if other.ndim == 0 else other.astype(_F64)
    s += c.item() if c.ndim == 0 else c.astype(_F64)
    bits = s.view(np.uint64)
    # a double rounding can only go wrong where s sits on a float32 midpoint, or where
    # the float32 result is subnormal (its rounding point is higher up; zeros are exact):
    # (bits << 1) - 1 wraps zeros past the bound
    work = np.bitwise_and(bits, _LOW29)
    risky = np.equal(work, _MID29)
    np.left_shift(bits, _ONE64, out=work)
    np.subtract(work, _ONE64, out=work)
    risky |= np.less(work, _TINY2)
    out = s.astype(_F32)
    if risky.any():
        idx = np.nonzero(risky)
        p = np.multiply(np.broadcast_to(a, shape)[idx], np.broadcast_to(b, shape)[idx],
                        dtype=_F64)
        cc = np.broadcast_to(c, shape)[idx].astype(_F64)
        out[idx] = _round_to_odd_fix(p + cc, p, cc).astype(_F32)
    return out.reshape(()) if zero_d else out


def fma32_chain(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """The float32 chain ``acc = fma(a[i], b[i], acc)`` from ``acc = +0`` along axis 0, as
    a vector kernel's loop over rows: ``acc`` of shape ``a.shape[1:]``.

    Every step is a double add and a rounding to float32 (the product is exact in
    double). The sums are checked afterwards, all at once, for
    a double rounding that could differ from one rounding (a float32 midpoint, or a
    subnormal, as in :func:`fma32`); those few are redone with ``fma32``, and from the
    first step that was wrong, if any, the chain runs again."""
    a = np.asarray(a, _F32)
    b = np.asarray(b, _F32)
    n = a.shape[0]
    if n == 0:
        return np.zeros(a.shape[1:], _F32)
    sums = a.astype(_F64)
    sums *= b  # the exact products, then each step's double sum in their place
    acc = np.zeros(a.shape[1:], _F64)  # the float32 accumulator, held in a double
    acc32 = np.zeros(a.shape[1:], _F32)
    start = 0
    for _ in range(_CHAIN_RESTARTS):
        with np.errstate(all="ignore"):
            for i in range(start, n):
                s = sums[i]
                np.add(s, acc, out=s)
                acc32[...] = s
                acc[...] = acc32
        bits = sums[start:].view(np.uint64)
        risky = np.bitwise_and(bits, _LOW29) == _MID29
        work = np.left_shift(bits, _ONE64)
        np.subtract(work, _ONE64, out=work)
        risky |= work < _TINY2
        idx = np.nonzero(risky)
        if not idx[0].size:
            return acc32
        step = idx[0] + start
        rest = idx[1:]
        before = _chain_value(sums, step - 1, rest)
        exact = fma32(a[(step,) + rest], b[(step,) + rest], before)
        wrong = exact.view(np.uint32) != sums[(step,) + rest].astype(_F32).view(np.uint32)
        if not wrong.any():
            return acc32
        first = int(step[wrong].min())
        acc32 = fma32(a[first], b[first], _chain_value(sums, first - 1))
        acc[...] = acc32
        start = first + 1
        if start == n:
            return acc32
        np.multiply(a[start:], b[start:], out=sums[start:], dtype=_F64)  # products again
    out = acc32
    for i in range(start, n):  # a pathological input: step by step
        out = fma32(a[i], b[i], out)
    return out


def _chain_value(sums: np.ndarray, step, rest=()) -> np.ndarray:
    """The float32 accumulator after ``step`` (-1: before the first), from the double
    sums of a chain (``step`` an index or an array of them, ``rest`` the positions)."""
    if np.ndim(step) == 0:
        return np.zeros(sums.shape[1:], _F32) if step < 0 else sums[step].astype(_F32)
    out = sums[(np.maximum(step, 0),) + tuple(rest)].astype(_F32)
    out[step < 0] = 0.0
    return out


_CHAIN_RESTARTS = 8


_SPLIT = 134217729.0  # 2**27 + 1 (Veltkamp)


def fma64(a, b, c) -> np.ndarray:
    """float64 ``fma(a, b, c)`` with one rounding (Boldo & Melquiond, "Emulation of FMA
    and correctly rounded sums: proved algorithms using rounding to odd")."""
    shape = np.broadcast_shapes(np.shape(a), np.shape(b), np.shape(c))
    a, b, c = np.broadcast_arrays(np.atleast_1d(np.asarray(a, _F64)),
                                  np.atleast_1d(np.asarray(b, _F64)),
                                  np.atleast_1d(np.asarray(c, _F64)))
    with np.errstate(all="ignore"):
        uh = a * b
        t = _SPLIT * a
        ah = t - (t - a)
        al = a - ah
        t = _SPLIT * b
        bh = t - (t - b)
        bl = b - bh
        ul = ((ah * bh - uh) + ah * bl + al * bh) + al * bl
        th = c + uh  # TwoSum(c, uh)
        bp = th - c
        tl = (c - (th - bp)) + (uh - bp)
        v = np.asarray(tl + ul)
        v = _round_to_odd_fix(v, np.asarray(tl), np.asarray(ul))
        out = np.asarray(th + v)
        # outside the algorithm's hypotheses (overflow, underflow of the product's
        # error term, non-finite inputs): exact rational arithmetic, element by element
        aa, ab = np.abs(a), np.abs(b)
        bad = ~(np.isfinite(out) & (aa < 2.0 ** 500) & (ab < 2.0 ** 500)
                & np.isfinite(c) & ((np.abs(uh) >= 2.0 ** -900) | (aa == 0) | (ab == 0)))
    if bad.any():
        from fractions import Fraction  # rare: imported on first use, not at start-up

        for i in zip(*np.nonzero(bad)):
            x, y, z = float(a[i]), float(b[i]), float(c[i])
            if all(math.isfinite(w) for w in (x, y, z)):
                r = Fraction(x) * Fraction(y) + Fraction(z)
                try:
                    out[i] = float(r) if r != 0 else (x * y + z)
                except OverflowError:
                    out[i] = math.copysign(math.inf, r)
            else:
                out[i] = x * y + z
    return out.reshape(shape)

"""engine/fma.py: fused multiply-adds rounded once, checked against exact rationals."""

from __future__ import annotations

import math
from fractions import Fraction

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.engine.fma import fma32, fma32_chain

f32 = np.float32


def _round_f32(exact: Fraction) -> np.float32:
    """``exact`` rounded once to float32, to nearest with ties to even (the reference:
    no float arithmetic on the way, so no double rounding)."""
    guess = f32(float(exact)) if abs(exact) < 2 ** 200 else f32(math.copysign(math.inf, exact))
    if not np.isfinite(guess):
        # above the largest float32 plus half an ulp: infinity; else the largest float
        top = Fraction(float(np.finfo(f32).max))
        half_ulp = Fraction(2) ** (127 - 24)
        if abs(exact) >= top + half_ulp:
            return guess
        return f32(math.copysign(float(top), exact))
    best = None
    for cand in (np.nextafter(guess, f32(-np.inf)), guess, np.nextafter(guess, f32(np.inf))):
        if not np.isfinite(cand):
            continue
        dist = abs(Fraction(float(cand)) - exact)
        key = (dist, int(np.array(cand).view(np.uint32)) & 1)  # ties: the even one
        if best is None or key < best[0]:
            best = (key, cand)
    if best[1] == 0:
        return f32(math.copysign(0.0, float(exact))) if exact else best[1]
    return best[1]


def _want(a, b, c) -> np.float32:
    a, b, c = float(a), float(b), float(c)
    if not all(math.isfinite(v) for v in (a, b, c)):
        return f32(a * b + c)
    exact = Fraction(a) * Fraction(b) + Fraction(c)
    if exact == 0:  # the sign of a zero sum: as IEEE's a*b + c
        return f32(a * b + c)
    return _round_f32(exact)


def _same(x, y) -> bool:
    x, y = f32(x), f32(y)
    return (np.isnan(x) and np.isnan(y)) or x.tobytes() == y.tobytes()


floats32 = st.floats(width=32, allow_nan=True, allow_infinity=True, allow_subnormal=True)


@settings(max_examples=400, deadline=None)
@given(st.lists(st.tuples(floats32, floats32, floats32), min_size=1, max_size=40))
def test_elementwise_against_exact_rounding(triples):
    a, b, c = (np.array(col, f32) for col in zip(*triples))
    got = fma32(a, b, c)
    assert got.dtype == f32 and got.shape == a.shape
    for i, (x, y, z) in enumerate(triples):
        assert _same(got[i], _want(x, y, z)), (x, y, z, got[i], _want(x, y, z))


@settings(max_examples=200, deadline=None)
@given(floats32, floats32, floats32)
def test_scalars(a, b, c):
    got = fma32(f32(a), f32(b), f32(c))
    assert np.shape(got) == ()
    assert _same(got, _want(a, b, c))


def test_midpoints_after_a_first_rounding():
    """a*b + c lands on a float32 midpoint once rounded to double: one rounding differs."""
    a, b, c = f32(1 + 2.0**-23), f32(2.0**-24 * (1 - 2.0**-23)), f32(1 + 2.0**-23)
    assert fma32(a, b, c) == f32(1 + 2.0**-23)
    assert f32(np.float64(a) * np.float64(b) + np.float64(c)) != f32(1 + 2.0**-23)


def test_midpoint_of_subnormals():
    """The same in the subnormal range, where float32's rounding point sits higher than a
    normal number's: exact 2**-127 + 2**-149 + 2**-150 - 2**-196 rounds down, the sum
    first rounded to double (a tie) rounds up to even."""
    a, b = f32(2.0**-100 * (1 + 2.0**-23)), f32(2.0**-50 * (1 - 2.0**-23))
    c = f32(2.0**-127 + 2.0**-149)
    assert fma32(a, b, c) == c == _want(a, b, c)
    assert f32(np.float64(a) * np.float64(b) + np.float64(c)) != c
    big = np.full(5000, c, f32)
    assert (fma32(np.full(5000, a, f32), b, big) == c).all()


def test_subnormal_results_and_signed_zeros():
    tiny = f32(2.0**-140)
    a = np.array([tiny, tiny, -tiny, 0.0, -0.0, 3.0], f32)
    b = np.array([f32(1.5), f32(0.75), f32(1.0), f32(-1.0), f32(1.0), f32(2.0)], f32)
    c = np.array([f32(2.0**-149), f32(-2.0**-141), tiny, f32(0.0), f32(-0.0), f32(-6.0)], f32)
    got = fma32(a, b, c)
    for i in range(a.size):
        assert _same(got[i], _want(a[i], b[i], c[i]))


@pytest.mark.parametrize("shapes", [((3, 4), (), (3, 4)), ((), (3, 4), (4,)),
                                    ((3, 1), (1, 4), ()), ((4,), (4,), (3, 4))])
def test_broadcasting(shapes):
    rng = np.random.default_rng(3)
    a, b, c = (f32(rng.standard_normal()) if not s else rng.standard_normal(s).astype(f32)
               for s in shapes)
    got = fma32(a, b, c)
    want_shape = np.broadcast_shapes(*shapes)
    assert got.shape == want_shape
    A, B, C = (np.broadcast_to(v, want_shape) for v in (a, b, c))
    for idx in np.ndindex(*want_shape):
        assert _same(got[idx], _want(A[idx], B[idx], C[idx]))


def test_large_arrays_with_zeros_and_midpoints():
    """The in-place path for big operands, with exact zeros (common: relu gradients) and
    planted midpoint cases among ordinary values."""
    rng = np.random.default_rng(0)
    n = 200_000
    a = rng.standard_normal(n).astype(f32)
    b = rng.standard_normal(n).astype(f32)
    c = rng.standard_normal(n).astype(f32)
    a[::7] = 0
    c[::11] = 0
    a[5::1000] = f32(1 + 2.0**-23)
    b[5::1000] = f32(2.0**-24 * (1 - 2.0**-23))
    c[5::1000] = f32(1 + 2.0**-23)
    got = fma32(a, b, c)
    for i in list(range(0, n, 997)) + list(range(5, n, 1000)):
        assert _same(got[i], _want(a[i], b[i], c[i]))


def _chain_want(a, b):
    """The chain acc = fma(a[i], b[i], acc) from +0, each step rounded once (exactly)."""
    acc = np.zeros(a.shape[1:], f32)
    for i in range(a.shape[0]):
        nxt = np.empty_like(acc)
        for idx in np.ndindex(*acc.shape):
            nxt[idx] = _want(a[i][idx], b[i][idx], acc[idx])
        acc = nxt
    return acc


rows32 = st.integers(0, 12).flatmap(lambda n: st.integers(1, 4).flatmap(
    lambda c: st.tuples(*(st.lists(floats32, min_size=n * c, max_size=n * c).map(
        lambda v, n=n, c=c: np.array(v, f32).reshape(n, c)) for _ in range(2)))))


@settings(max_examples=200, deadline=None)
@given(rows32)
def test_chain_against_exact_rounding(pair):
    a, b = pair
    with np.errstate(all="ignore"):
        got = fma32_chain(a, b)
        want = _chain_want(a, b)
    assert got.shape == a.shape[1:]
    assert all(_same(x, y) for x, y in zip(got.ravel(), want.ravel()))


def test_chain_redoes_a_step_that_lands_on_a_midpoint():
    """Step 1 of column 0 is the midpoint case above: the one-call-per-step chain rounds it
    twice, so it is redone and the chain runs again from there."""
    a = np.array([[1 + 2.0**-23, 0.5], [2.0**-24 * (1 + 2.0**-23), 0.25], [0.125, 3.0]], f32)
    b = np.array([[1.0, 1.0], [1 - 2.0**-23, 1.0], [1.0, 2.0]], f32)
    got = fma32_chain(a, b)
    assert got.tobytes() == _chain_want(a, b).tobytes()
    twice = np.zeros(2, f32)
    for i in range(3):
        twice = (a[i].astype(np.float64) * b[i] + twice).astype(f32)
    assert twice[0] != got[0]


def test_chain_with_many_midpoints_goes_step_by_step():
    """More wrong steps than the chain restarts for: the rest runs step by step."""
    n = 40
    a = np.tile(np.array([[1 + 2.0**-23], [2.0**-24 * (1 + 2.0**-23)]], f32), (n, 1))
    b = np.tile(np.array([[0.0], [1 - 2.0**-23]], f32), (n, 1))
    a[0, 0], b[0, 0] = f32(1 + 2.0**-23), f32(1.0)
    got = fma32_chain(a, b)
    assert got.tobytes() == _chain_want(a, b).tobytes()

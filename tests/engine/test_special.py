"""adcli.engine.special (erf, erfc, erfinv on numpy) against Python's math module.

Every reference value comes from ``math.erf`` / ``math.erfc`` (glibc's fdlibm-derived
implementation), never from the module under test. Distances are counted in ulps as the
distance between the two doubles' positions on the float line.

One deliberate allowance: where erfc itself is returned from its tail (x >= 1.25) both
sides compute exp(a) * exp(b) / x with their own exp, each within ~0.5 ulp but not always
the same double, so the results can sit up to 3 ulp apart (a few in 10**4 inputs); the
share of identical results there is still above 99.5 %.
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from adcli.engine import special

RNG = np.random.default_rng(20240607)
TINY = 2.0**-28
SPLIT = 1 / 0.35
SUBNORMAL_MAX = 2.0**-1022


def _ordinal(a: np.ndarray) -> np.ndarray:
    """Positions of doubles on the float line (+0 and -0 share 0)."""
    i = np.asarray(a, np.float64).view(np.int64)
    return np.where(i < 0, np.int64(-(2**63)) - i, i)


def ulp_distance(a, b) -> np.ndarray:
    """How many doubles apart a and b are, elementwise."""
    return np.abs(_ordinal(a) - _ordinal(b))


def reference(fn, x: np.ndarray) -> np.ndarray:
    return np.array([fn(float(v)) for v in np.ravel(x)]).reshape(np.shape(x))


def around(points, width: int = 40) -> np.ndarray:
    """Each point and the `width` doubles either side of it."""
    out = []
    for p in points:
        lo = hi = float(p)
        out.append(lo)
        for _ in range(width):
            lo = math.nextafter(lo, -math.inf)
            hi = math.nextafter(hi, math.inf)
            out += [lo, hi]
    return np.array(out)


def range_sample(lo: float, hi: float, n: int = 3000) -> np.ndarray:
    """A dense grid, uniform random points and the ends' neighbourhoods of [lo, hi)."""
    grid = np.linspace(lo, hi, n, endpoint=False)
    rand = RNG.uniform(lo, hi, n)
    ends = around([lo, hi], 20)
    x = np.concatenate([grid, rand, ends[(ends >= lo) & (ends < hi)]])
    return x


# (name, lo, hi): ranges of |x|, each sampled on both signs
RANGES = [
    ("tiny", 0.0, TINY),
    ("small", TINY, 0.84375),
    ("near-one", 0.84375, 1.25),
    ("tail-a", 1.25, SPLIT),
    ("tail-b", SPLIT, 6.0),
    ("far", 6.0, 26.0),
    ("underflow", 26.0, 28.0),
    ("beyond", 28.0, 40.0),
]


def _sample(name: str, lo: float, hi: float) -> np.ndarray:
    if name == "tiny":  # subnormals, the smallest normals and a log-uniform spread
        x = np.concatenate(
            [
                np.exp(RNG.uniform(math.log(5e-324), math.log(TINY), 4000)),
                RNG.uniform(0, SUBNORMAL_MAX, 1000),
                around([5e-324, SUBNORMAL_MAX, 2.0**-1015, 2.0**-56, TINY], 10),
                [0.0],
            ]
        )
        return x[(x >= 0) & (x < TINY)]
    return range_sample(lo, hi)


def _check(fn, ref, x: np.ndarray, max_ulps: int, min_same: float) -> None:
    got = fn(x)
    want = reference(ref, x)
    d = ulp_distance(got, want)
    worst = int(np.argmax(d))
    assert d.max() <= max_ulps, f"x={x[worst]!r}: {got[worst]!r} vs math {want[worst]!r}"
    assert np.mean(d == 0) >= min_same, f"only {np.mean(d == 0):.4%} identical"


@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["pos", "neg"])
@pytest.mark.parametrize("name,lo,hi", RANGES, ids=[r[0] for r in RANGES])
def test_erf_matches_math(name, lo, hi, sign):
    _check(special.erf, math.erf, sign * _sample(name, lo, hi), 2, 0.99)


@pytest.mark.parametrize("sign", [1.0, -1.0], ids=["pos", "neg"])
@pytest.mark.parametrize("name,lo,hi", RANGES, ids=[r[0] for r in RANGES])
def test_erfc_matches_math(name, lo, hi, sign):
    own_tail = sign > 0 and lo >= 1.25 and hi <= 28.0  # see the module docstring
    max_ulps, min_same = (3, 0.995) if own_tail else (2, 0.99)
    _check(special.erfc, math.erfc, sign * _sample(name, lo, hi), max_ulps, min_same)


def test_boundaries_and_landmarks():
    marks = [0.5, 0.84375, 1.0, 1.25, SPLIT, 2.857142, 4.0, 6.0, 26.0, 26.5, 27.2, 27.3, 28.0]
    x = around(marks, 60)
    x = np.concatenate([x, -x])
    _check(special.erf, math.erf, x, 2, 0.99)
    _check(special.erfc, math.erfc, x, 3, 0.99)


def test_erfc_deep_tail_down_to_underflow():
    x = np.array([26.0, 26.5, 26.6, 27.0, 27.1, 27.2, 27.25, 27.3, 28.0])
    got = special.erfc(x)
    want = reference(math.erfc, x)
    assert np.all(ulp_distance(got, want) <= 1)
    assert 1e-308 < got[1] < 1e-306  # erfc(26.5) ~ 2.2e-307, still normal
    assert np.all((0 < got[2:6]) & (got[2:6] < SUBNORMAL_MAX))  # subnormal, not flushed
    assert np.all(got[-3:] == 0.0)  # below half the smallest subnormal


def test_special_values():
    inf, nan = math.inf, math.nan
    e = special.erf(np.array([inf, -inf, nan, 0.0, -0.0]))
    assert e[0] == 1.0 and e[1] == -1.0 and np.isnan(e[2])
    assert e[3] == 0.0 and not np.signbit(e[3])
    assert e[4] == 0.0 and np.signbit(e[4])

    c = special.erfc(np.array([inf, -inf, nan, 0.0, -0.0, 1e-300, -1e-300]))
    assert c[0] == 0.0 and c[1] == 2.0 and np.isnan(c[2])
    assert np.all(c[3:] == 1.0)

    v = special.erfinv(np.array([1.0, -1.0, nan, 1.5, -1.0000000000000002, inf, -inf, 0.0, -0.0]))
    assert v[0] == inf and v[1] == -inf
    assert np.all(np.isnan(v[2:7]))
    assert v[7] == 0.0 and not np.signbit(v[7])
    assert v[8] == 0.0 and np.signbit(v[8])


def test_no_floating_point_warnings():
    x = np.array([np.nan, np.inf, -np.inf, 0.0, 5e-324, 27.5, 40.0, -40.0, 1.0, 2.0, -1.0])
    with np.errstate(all="raise"):
        special.erf(x)
        special.erfc(x)
        special.erfinv(np.clip(x, -2, 2))


def _root_within(y: float, x: float, ulps: int) -> bool:
    """Whether erfinv(y)'s exact root lies within `ulps` doubles of x, judged by math:
    erf (|y| <= 1/2) or erfc of the bracket (the tail, where 1 - |y| is exact)."""
    ay, ax = abs(y), abs(x)
    lo = hi = ax
    for _ in range(ulps):
        lo, hi = math.nextafter(lo, 0.0), math.nextafter(hi, math.inf)
    if ay <= 0.5:
        return math.erf(lo) <= ay <= math.erf(hi)
    return math.erfc(hi) <= 1.0 - ay <= math.erfc(lo)


@pytest.mark.parametrize(
    "lo,hi",
    [(1e-320, 1e-9), (1e-9, 1e-3), (1e-3, 0.5), (0.5, 0.9), (0.9, 1 - 1e-6), (1 - 1e-6, 1.0)],
)
def test_erfinv_root_within_one_ulp(lo, hi):
    if hi / lo > 1e3:
        y = np.exp(RNG.uniform(math.log(lo), math.log(hi), 3000))
    else:
        y = RNG.uniform(lo, hi, 3000)
    if hi == 1.0:
        y = np.concatenate([y, 1.0 - np.ldexp(1.0, -np.arange(1, 54))])
    y = np.concatenate([y, -y[:500]])
    x = special.erfinv(y)
    assert np.all(np.sign(x) == np.sign(y))
    misses = [(a, b) for a, b in zip(y, x) if not _root_within(a, b, 1)]
    assert len(misses) <= len(y) // 1000, misses[:5]  # a rare 2-ulp case is allowed
    assert all(_root_within(a, b, 2) for a, b in misses)


finite = st.floats(allow_nan=False, allow_infinity=False)
moderate = st.floats(-5.0, 5.0, allow_nan=False)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=False), min_size=1, max_size=50))
def test_erf_is_odd(xs):
    x = np.array(xs)
    assert np.array_equal(special.erf(-x), -special.erf(x))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(-0.5, 0.5, allow_nan=False), min_size=1, max_size=50))
def test_erf_plus_erfc_is_one(xs):
    x = np.array(xs)
    total = special.erf(x) + special.erfc(x)
    assert np.all(np.abs(total - 1.0) <= 2 * np.spacing(1.0))


@settings(max_examples=300, deadline=None)
@given(st.lists(moderate, min_size=1, max_size=50))
def test_erfinv_inverts_erf(xs):
    x = np.array(xs)
    y = special.erf(x)
    back = special.erfinv(y)
    # relative 1e-14, plus what rounding y to a double costs: spacing(y) / erf'(x) (that
    # term dominates beyond |x| ~ 2, where erf flattens towards 1)
    slope = 2 / math.sqrt(math.pi) * np.exp(-x * x)
    tol = 1e-14 * np.abs(x) + 2 * np.spacing(np.abs(y)) / slope
    assert np.all(np.abs(back - x) <= tol)
    plain = np.abs(x) <= 2.0
    assert np.all(np.abs(back - x)[plain] <= 1e-14 * np.abs(x[plain]) + 1e-300)


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.floats(-1.0, 1.0, allow_nan=False, exclude_min=True, exclude_max=True),
        min_size=1,
        max_size=50,
    )
)
def test_erf_inverts_erfinv(ys):
    y = np.array(ys)
    assert np.all(ulp_distance(special.erf(special.erfinv(y)), y) <= 2)


@pytest.mark.parametrize("fn,ref", [(special.erf, math.erf), (special.erfc, math.erfc)])
def test_float32_rounds_like_math(fn, ref):
    x = np.concatenate(
        [
            RNG.standard_normal(60000) * 2,
            RNG.uniform(-10, 10, 60000),
            np.exp(RNG.uniform(-100, 0, 20000)) * RNG.choice([-1, 1], 20000),
        ]
    ).astype(np.float32)
    got = fn(x).astype(np.float32)
    want = np.array([np.float32(ref(float(v))) for v in x])
    assert np.array_equal(got, want)


def test_shapes_and_dtypes():
    for fn in (special.erf, special.erfc, special.erfinv):
        zero_d = fn(0.25)
        assert isinstance(zero_d, np.ndarray) and zero_d.shape == () and zero_d.dtype == np.float64
        assert fn(np.float32(0.25)).shape == ()
        assert fn([[0.1, 0.2, 0.3], [0.4, 0.5, 0.6]]).shape == (2, 3)
        assert fn(np.zeros((2, 0, 3))).shape == (2, 0, 3)
        assert fn(np.arange(3)).dtype == np.float64
        assert fn(np.array([0.5], np.float16)).dtype == np.float64
        grid = np.linspace(-0.9, 0.9, 24).reshape(2, 3, 4)
        assert np.array_equal(fn(grid[:, ::2, ::-1]), fn(grid)[:, ::2, ::-1])  # strided view
    x = np.array([0.3, -1.7])
    assert special.erf(x) is not x and x[0] == 0.3  # input untouched


def test_large_inputs_match_small_pieces():
    x = RNG.uniform(-8, 8, 3 * 65536 + 17)
    for fn in (special.erf, special.erfc):
        whole = fn(x)
        pieces = np.concatenate([fn(part) for part in np.array_split(x, 97)])
        assert np.array_equal(whole, pieces)
    y = RNG.uniform(-1, 1, 2 * 65536 + 5)
    assert np.array_equal(
        special.erfinv(y), np.concatenate([special.erfinv(p) for p in np.array_split(y, 7)])
    )

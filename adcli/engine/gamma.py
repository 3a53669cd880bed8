"""The gamma family and the modified Bessel functions on numpy arrays, as ATen computes
them on the CPU: ``lgamma``, ``digamma``, ``trigamma``, ``zeta`` (Hurwitz), ``polygamma``,
``i0``, ``i0e``, ``i1``, ``i1e``, and the normal distribution's ``ndtri``, ``log_ndtr``,
``erfcx``.

- ``digamma`` and ``trigamma`` follow ATen's scalar algorithms (``calc_digamma``,
  ``trigamma`` in ATen/native/Math.h: the recurrence up to 10 (6 steps for trigamma), then
  the asymptotic series, reflection below 0 (0.5)), step by step in the input's own
  float type, so float32 rounds as torch's float code does.
- The Bessel functions are Cephes' Chebyshev expansions (the tables torch uses, float32
  with the shorter tables its float version uses), evaluated by Clenshaw's recurrence
  (``chbevl``) in the input's type.
- ``zeta`` is Cephes' Euler-Maclaurin summation, in float64 (torch's accumulate type for
  float32 too); ``polygamma(n >= 2)`` is ``(-1)**(n+1) n! zeta(n+1, x)``.
- ``lgamma`` is the C library's (Python's ``math.lgamma``) in float64, rounded once to
  float32: ATen's SLEEF lgammaf is within one ulp of that (and mostly equal).
- ``ndtri``, ``log_ndtr`` and ``erfcx`` are computed in float64 from the error function
  family (``engine/special.py``) with asymptotic series in the far tails.

Every function returns an array of the input's float dtype (float32 or float64).
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import special
from adcli.engine.fma import fma32, fma64

_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)


def _float(x) -> np.ndarray:
    x = np.asarray(x)
    return x if x.dtype in (_F32, _F64) else x.astype(_F64)


# ---- lgamma ----------------------------------------------------------------------------

def _lgamma_scalar(v: float) -> float:
    if v != v:
        return v
    try:
        return math.lgamma(v)
    except (ValueError, OverflowError):  # a pole (0, -1, -2, ...) or beyond float64
        return math.inf


_lgamma_ufunc = np.frompyfunc(_lgamma_scalar, 1, 1)


def lgamma(x) -> np.ndarray:
    """log|Gamma(x)|: +inf at the poles and at +-inf."""
    x = _float(x)
    out = np.asarray(_lgamma_ufunc(x.astype(_F64)), _F64)
    return out.astype(x.dtype, copy=False)


# ---- digamma, trigamma -----------------------------------------------------------------

_PSI_10 = 2.25175258906672110764
_DIGAMMA_A = (8.33333333333333333333E-2, -2.10927960927960927961E-2,
              7.57575757575757575758E-3, -4.16666666666666666667E-3,
              3.96825396825396825397E-3, -8.33333333333333333333E-3,
              8.33333333333333333333E-2)


def _digamma_positive(x: np.ndarray) -> np.ndarray:
    """calc_digamma for x > 0, in x's dtype."""
    t = x.dtype.type
    one = t(1)
    result = np.zeros_like(x)
    x = x.copy()
    low = x < 10
    while low.any():
        result[low] -= one / x[low]
        x[low] += one
        low = x < 10
    out = np.empty_like(x)
    ten = x == 10
    out[ten] = result[ten] + t(_PSI_10)
    rest = ~ten
    xr = x[rest]
    y = np.zeros_like(xr)
    small = xr < t(1.0e17)
    if small.any():
        xs = xr[small]
        z = one / (xs * xs)
        acc = np.zeros_like(z)
        for c in _DIGAMMA_A:
            acc = acc * z + t(c)
        y[small] = z * acc
    log = np.log(xr.astype(_F64)).astype(x.dtype)  # logf is (nearly) correctly rounded
    out[rest] = result[rest] + log - t(0.5) / xr - y
    return out


def digamma(x) -> np.ndarray:
    """psi(x) = d/dx lgamma(x), as ATen's calc_digamma (float32 in float32 steps)."""
    x = _float(x)
    shape = x.shape
    x = x.reshape(-1)
    out = np.full_like(x, np.nan)
    zero = x == 0
    out[zero] = np.copysign(np.inf, -x[zero])
    pos = x > 0
    out[pos] = _digamma_positive(x[pos])
    neg = (x < 0) & (x != np.trunc(x))
    if neg.any():
        xn = x[neg]
        r = np.fmod(xn.astype(_F64), 1.0)
        pi_over_tan = (math.pi / np.tan(math.pi * r)).astype(x.dtype)
        out[neg] = _digamma_positive(x.dtype.type(1) - xn) - pi_over_tan
    out[x == np.inf] = np.inf
    return out.reshape(shape)


def trigamma(x) -> np.ndarray:
    """psi'(x), as ATen's trigamma (float32 in float32 steps)."""
    x = _float(x)
    t = x.dtype.type
    one = t(1)
    pi = t(math.pi)
    shape = x.shape
    x = x.reshape(-1).copy()
    sign = np.ones_like(x)
    result = np.zeros_like(x)
    low = x < t(0.5)
    if low.any():
        sign[low] = -one
        xl = x[low]
        if x.dtype == _F32:
            s = np.sin((pi * xl).astype(_F64)).astype(_F32)
        else:
            s = np.sin(pi * xl)
        result[low] -= (pi * pi) / (s * s)
        x[low] = one - xl
    for _ in range(6):
        result += one / (x * x)
        x += one
    ixx = one / (x * x)
    result += (one + one / (t(2) * x) + ixx * (t(1 / 6) - ixx * (t(1 / 30) - ixx * t(1 / 42))
                                               )) / x
    return (sign * result).reshape(shape)


# ---- zeta, polygamma -------------------------------------------------------------------

_MACHEP = 1.11022302462515654042E-16
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9,
           7.47242496e10, -2.950130727918164224e12, 1.1646782814350067249e14,
           -4.5979787224074726105e15, 1.8152105401943546773e17, -7.1661652561756670113e18)


def zeta(x, q, dtype=_F64) -> np.ndarray:
    """The Hurwitz zeta function sum_k (k + q) ** -x, in float64 (Cephes' algorithm as ATen
    runs it: direct summation until a term is negligible or q + k > 9, then Euler-Maclaurin).
    A q below -1e5 (where ATen's summation would run for as many steps) gives nan.
    ``dtype``: the inputs' type, float32's first term q ** -x being powf's (rounded to
    float32), the rest accumulated in float64 as ATen does."""
    x, q = np.broadcast_arrays(np.asarray(x, _F64), np.asarray(q, _F64))
    shape = x.shape
    x, q = x.reshape(-1), q.reshape(-1)
    out = np.full(x.shape, np.nan)
    out[x == 1] = np.inf
    todo = (x > 1) & (q >= -1e5)
    pole = todo & (q <= 0) & (q == np.floor(q))
    out[pole] = np.inf
    todo &= ~pole & ~((q <= 0) & (x != np.floor(x)))
    idx = np.nonzero(todo)[0]
    xs, a = x[idx], q[idx].copy()
    with np.errstate(all="ignore"):
        s = np.power(a, -xs)
        if dtype == _F32:
            s = s.astype(_F32).astype(_F64)
        b = np.zeros_like(s)
        active = np.ones(idx.size, bool)
        tail = np.zeros(idx.size, bool)
        i = 0
        while active.any():
            go = active & ((i < 9) | (a <= 9.0))
            tail |= active & ~go
            active = go
            if not active.any():
                break
            i += 1
            a[active] += 1.0
            b[active] = np.power(a[active], -xs[active])
            s[active] += b[active]
            done = active & (-_MACHEP * s < b) & (b < _MACHEP * s)
            out[idx[done]] = s[done]
            active &= ~done
        if tail.any():
            xr, w, br = xs[tail], a[tail], b[tail]
            sr = s[tail] + br * w / (xr - 1.0)
            sr = sr - 0.5 * br
            aa = np.ones_like(sr)
            k = np.zeros_like(sr)
            live = np.ones(sr.size, bool)
            for coef in _ZETA_A:
                aa = aa * (xr + k)
                br = br / w
                t = aa * br / coef
                sr = np.where(live, sr + t, sr)
                live &= ~(np.abs(t / sr) < _MACHEP)
                k = k + 1.0
                aa = aa * (xr + k)
                br = br / w
                k = k + 1.0
            out[idx[tail]] = sr
    return out.reshape(shape)


_LIBM: list = []


def _exp_lgamma(v: float, dtype):
    """exp(lgamma(v)) in dtype's C math: float32's expf(lgammaf(v)) (not always n! exactly)."""
    if dtype != _F32:
        return math.exp(math.lgamma(v))
    if not _LIBM:
        try:
            import ctypes
            import ctypes.util

            lib = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6")
            for name in ("lgammaf", "expf"):
                getattr(lib, name).restype = ctypes.c_float
                getattr(lib, name).argtypes = (ctypes.c_float,)
            _LIBM.append((lib.lgammaf, lib.expf))
        except (OSError, AttributeError):
            _LIBM.append(None)
    if _LIBM[0] is None:
        return np.float32(math.exp(np.float32(math.lgamma(v))))
    lg, ex = _LIBM[0]
    return np.float32(ex(lg(v)))


def polygamma(n: int, x) -> np.ndarray:
    """The n-th derivative of digamma, as ATen: digamma, trigamma, then via zeta."""
    x = _float(x)
    if n == 0:
        return digamma(x)
    if n == 1:
        return trigamma(x)
    t = x.dtype.type
    factor = t(1.0 if n % 2 else -1.0) * _exp_lgamma(float(n) + 1.0, x.dtype)
    return (factor * zeta(float(n + 1), x, x.dtype).astype(x.dtype)).astype(x.dtype, copy=False)


# ---- modified Bessel functions of the first kind ---------------------------------------

_I0E_A = (
    -4.41534164647933937950E-18, 3.33079451882223809783E-17, -2.43127984654795469359E-16,
    1.71539128555513303061E-15, -1.16853328779934516808E-14, 7.67618549860493561688E-14,
    -4.85644678311192946090E-13, 2.95505266312963983461E-12, -1.72682629144155570723E-11,
    9.67580903537323691224E-11, -5.18979560163526290666E-10, 2.65982372468238665035E-9,
    -1.30002500998624804212E-8, 6.04699502254191894932E-8, -2.67079385394061173391E-7,
    1.11738753912010371815E-6, -4.41673835845875056359E-6, 1.64484480707288970893E-5,
    -5.75419501008210370398E-5, 1.88502885095841655729E-4, -5.76375574538582365885E-4,
    1.63947561694133579842E-3, -4.32430999505057594430E-3, 1.05464603945949983183E-2,
    -2.37374148058994688156E-2, 4.93052842396707084878E-2, -9.49010970480476444210E-2,
    1.71620901522208775349E-1, -3.04682672343198398683E-1, 6.76795274409476084995E-1)
_I0E_B = (
    -7.23318048787475395456E-18, -4.83050448594418207126E-18, 4.46562142029675999901E-17,
    3.46122286769746109310E-17, -2.82762398051658348494E-16, -3.42548561967721913462E-16,
    1.77256013305652638360E-15, 3.81168066935262242075E-15, -9.55484669882830764870E-15,
    -4.15056934728722208663E-14, 1.54008621752140982691E-14, 3.85277838274214270114E-13,
    7.18012445138366623367E-13, -1.79417853150680611778E-12, -1.32158118404477131188E-11,
    -3.14991652796324136454E-11, 1.18891471078464383424E-11, 4.94060238822496958910E-10,
    3.39623202570838634515E-9, 2.26666899049817806459E-8, 2.04891858946906374183E-7,
    2.89137052083475648297E-6, 6.88975834691682398426E-5, 3.36911647825569408990E-3,
    8.04490411014108831608E-1)
_I1E_A = (
    2.77791411276104639959E-18, -2.11142121435816608115E-17, 1.55363195773620046921E-16,
    -1.10559694773538630805E-15, 7.60068429473540693410E-15, -5.04218550472791168711E-14,
    3.22379336594557470981E-13, -1.98397439776494371520E-12, 1.17361862988909016308E-11,
    -6.66348972350202774223E-11, 3.62559028155211703701E-10, -1.88724975172282928790E-9,
    9.38153738649577178388E-9, -4.44505912879632808065E-8, 2.00329475355213526229E-7,
    -8.56872026469545474066E-7, 3.47025130813767847674E-6, -1.32731636560394358279E-5,
    4.78156510755005422638E-5, -1.61760815825896745588E-4, 5.12285956168575772895E-4,
    -1.51357245063125314899E-3, 4.15642294431288815669E-3, -1.05640848946261981558E-2,
    2.47264490306265168283E-2, -5.29459812080949914269E-2, 1.02643658689847095384E-1,
    -1.76416518357834055153E-1, 2.52587186443633654823E-1)
_I1E_B = (
    7.51729631084210481353E-18, 4.41434832307170791151E-18, -4.65030536848935832153E-17,
    -3.20952592199342395980E-17, 2.96262899764595013876E-16, 3.30820231092092828324E-16,
    -1.88035477551078244854E-15, -3.81440307243700780478E-15, 1.04202769841288027642E-14,
    4.27244001671195135429E-14, -2.10154184277266431302E-14, -4.08355111109219731823E-13,
    -7.19855177624590851209E-13, 2.03562854414708950722E-12, 1.41258074366137813316E-11,
    3.25260358301548823856E-11, -1.89749581235054123450E-11, -5.58974346219658380687E-10,
    -3.83538038596423702205E-9, -2.63146884688951950684E-8, -2.51223623787020892529E-7,
    -3.88256480887769039346E-6, -1.10588938762623716291E-4, -9.76109749136146840777E-3,
    7.78576235018280120474E-1)


def _chbevl(y: np.ndarray, coeffs) -> np.ndarray:
    """Clenshaw's sum of a Chebyshev series at y/2, in y's dtype, as ATen's chbevl."""
    t = y.dtype.type
    b0 = np.full_like(y, t(coeffs[0]))
    b1 = np.zeros_like(y)
    b2 = b1
    fma = fma32 if y.dtype == _F32 else fma64  # GCC contracts y * b1 - b2 into one FMA
    for c in coeffs[1:]:
        b2 = b1
        b1 = b0
        b0 = fma(y, b1, -b2) + t(c)
    return t(0.5) * (b0 - b2)


def _exp(x: np.ndarray) -> np.ndarray:
    """std::exp in x's type: the C library's expf for float32 (ATen's scalar code)."""
    from adcli.engine import cpu_kernels

    return cpu_kernels.libm_expf(x) if x.dtype == _F32 else np.exp(x)


def _bessel(x, scaled: bool, order: int) -> np.ndarray:
    x = _float(x)
    t = x.dtype.type
    f32 = x.dtype == _F32
    if order == 0:
        ta, tb = _I0E_A, _I0E_B
    else:
        ta, tb = (_I1E_A[-17:], _I1E_B[-7:]) if f32 else (_I1E_A, _I1E_B)
    ax = np.abs(x)
    out = np.empty_like(ax)
    with np.errstate(all="ignore"):
        near = ax <= t(8)
        a = ax[near]
        v = _chbevl(a / t(2) - t(2), ta)
        if order == 1:
            v = v * a if scaled else _exp(a) * a * v
        elif not scaled:
            v = _exp(a) * v
        out[near] = v
        far = ~near
        a = ax[far]
        c = _chbevl(t(32) / a - t(2), tb)
        root = np.sqrt(a)
        out[far] = c / root if scaled else (_exp(a) * c) / root
    if order == 1:
        out = np.where(x < 0, -out, out)
    return out.astype(x.dtype, copy=False)


def i0(x) -> np.ndarray:
    return _bessel(x, False, 0)


def i0e(x) -> np.ndarray:
    return _bessel(x, True, 0)


def i1(x) -> np.ndarray:
    return _bessel(x, False, 1)


def i1e(x) -> np.ndarray:
    return _bessel(x, True, 1)


# ---- the normal distribution -------------------------------------------------------------

_SQRT2 = math.sqrt(2.0)
_SQRT_PI = math.sqrt(math.pi)


def erfcx(x) -> np.ndarray:
    """exp(x ** 2) * erfc(x), without its overflow for large x."""
    x = _float(x)
    x64 = x.astype(_F64)
    out = np.empty_like(x64)
    with np.errstate(all="ignore"):
        big = x64 > 25
        mid = ~big
        xm = x64[mid]
        out[mid] = np.exp(xm * xm) * special.erfc(xm)
        xb = x64[big]
        inv = 1.0 / (2.0 * xb * xb)
        # the asymptotic series 1/(x sqrt(pi)) (1 - 1/(2x^2) + 3/(4x^4) - 15/(8x^6) ...)
        series = 1.0 - inv * (1.0 - 3.0 * inv * (1.0 - 5.0 * inv * (1.0 - 7.0 * inv)))
        out[big] = series / (xb * _SQRT_PI)
    return out.astype(x.dtype, copy=False)


def log_ndtr(x) -> np.ndarray:
    """log of the standard normal CDF: log1p(-erfc(x/sqrt2)/2) above -1, else
    log(erfcx(-x/sqrt2)/2) - x**2/2 (no underflow far in the left tail)."""
    x = _float(x)
    x64 = x.astype(_F64)
    t = x64 / _SQRT2
    with np.errstate(all="ignore"):
        right = np.log1p(-special.erfc(t) / 2)
        left = np.log(erfcx(-t) / 2) - t * t
        out = np.where(x64 < -1, left, right)
    return out.astype(x.dtype, copy=False)


def ndtri(p) -> np.ndarray:
    """The inverse of the standard normal CDF: -inf at 0, inf at 1, nan outside."""
    p = _float(p)
    p64 = p.astype(_F64)
    with np.errstate(all="ignore"):
        out = _SQRT2 * special.erfinv(2.0 * p64 - 1.0)
        # far in the left tail 2p - 1 loses p's digits: -sqrt2 erfcinv(2p), from
        # erfinv's own tail through erfc(z) = 2p, one Newton step on erfc
        small = (p64 > 0) & (p64 < 1e-3)
        if small.any():
            ps = p64[small]
            z = -out[small] / _SQRT2
            for _ in range(3):
                z = z + (special.erfc(z) - 2.0 * ps) / (2.0 / _SQRT_PI * np.exp(-z * z))
            out[small] = -_SQRT2 * z
        out = np.where((p64 < 0) | (p64 > 1) | np.isnan(p64), np.nan, out)
        out = np.where(p64 == 0, -np.inf, np.where(p64 == 1, np.inf, out))
    return out.astype(p.dtype, copy=False)

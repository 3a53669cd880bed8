"""``torch.poisson``: counts drawn from a Poisson distribution, one per rate.

The draws are ``TorchGenerator.poisson`` (ATen's ``sample_poisson``, bit for bit with
torch's CPU stream); the result has the rates' shape and float dtype and records
``PoissonBackward0``, whose gradient is zeros as torch's (derivatives.yaml:
``self: zeros_like(self)``). ``Tensor.poisson`` does not exist in torch 2.13.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import api as _api
from adcli.engine import dtypes as _dt
from adcli.engine import ops as _ops
from adcli.engine.tensor import Tensor
from adcli.errors import TorchNotImplementedError, TorchTypeError


def poisson(input, generator=None) -> Tensor:
    """torch.poisson(input, generator=None): a Poisson count for each rate in input."""
    if not isinstance(input, Tensor):
        raise TorchTypeError("poisson(): argument 'input' (position 1) must be Tensor, not "
                             f"{type(input).__name__}")
    if generator is not None and not isinstance(generator, _api.Generator):
        raise TorchTypeError("poisson(): argument 'generator' must be torch.Generator, not "
                             f"{type(generator).__name__}")
    rates = input._data
    if rates.dtype.kind != "f":
        raise TorchNotImplementedError(f"\"poisson_cpu\" not implemented for "
                                       f"'{_dt.BY_NP[rates.dtype].legacy}'")
    counts = _api._generator(generator).poisson(rates)
    if rates.dtype == _dt.float16.np:
        data = counts.astype("float32").astype(rates.dtype)  # c10::Half takes a float
    else:
        data = counts.astype(rates.dtype)
    return _ops.PoissonBackward0.apply(input, data)


# ------------------------------------------------------- gamma, dirichlet and binomial draws

def _float_input(input, fn: str, kernel: str):
    if not isinstance(input, Tensor):
        raise TorchTypeError(f"{fn}(): argument 'input' (position 1) must be Tensor, not "
                             f"{type(input).__name__}")
    data = input._data
    if data.dtype.kind != "f" or data.dtype == _dt.float16.np:
        raise TorchNotImplementedError(f"\"{kernel}\" not implemented for "
                                       f"'{_dt.BY_NP[data.dtype].legacy}'")
    return data


def _generator(generator, fn: str):
    if generator is not None and not isinstance(generator, _api.Generator):
        raise TorchTypeError(f"{fn}(): argument 'generator' must be torch.Generator, not "
                             f"{type(generator).__name__}")
    return _api._generator(generator)


def _digamma(x: float) -> float:
    """ATen's ``digamma_one`` in double (recurrence up to 10, then the asymptotic series)."""
    if x == 0:
        return math.inf
    extra = 0.0
    if x < 0:
        if x == math.floor(x):
            return math.inf
        extra = -math.pi / math.tan(math.pi * x)
        x = 1 - x
    result = 0.0
    while x < 10:
        result -= 1 / x
        x += 1
    if x == 10:
        return result + 2.25175258906672110764 + extra
    y = 0.0
    if x < 1.0e17:
        z = 1.0 / (x * x)
        poly = 0.0
        for c in _DIGAMMA_A:
            poly = poly * z + c
        y = z * poly
    return result + math.log(x) - (0.5 / x) - y + extra


_DIGAMMA_A = (8.33333333333333333333E-2, -2.10927960927960927961E-2,
              7.57575757575757575758E-3, -4.16666666666666666667E-3,
              3.96825396825396825397E-3, -8.33333333333333333333E-3,
              8.33333333333333333333E-2)
_F08 = float(np.float32(0.8))
_F09 = float(np.float32(0.9))
_F11 = float(np.float32(1.1))
_COEF_UV = ((0.16009398, -0.094634809, 0.025146376, -0.0030648343,
             1, 0.32668115, 0.10406089, 0.0014179084),
            (0.53487893, 0.1298071, 0.065735949, -0.0015649758,
             0.16639465, 0.020070113, -0.0035938915, -0.00058392623),
            (0.040121004, -0.0065914022, -0.0026286047, -0.0013441777,
             0.017050642, -0.0021309326, 0.00085092367, -1.5247877e-07))


def _gamma_grad_one(alpha: float, x: float) -> float:
    """d(sample)/d(alpha) for a standard Gamma(alpha) draw ``x`` (ATen's
    ``standard_gamma_grad_one`` in double): a Taylor series for small x, Rice's saddle
    point for large alpha, else a bivariate rational approximation."""
    if x < _F08:
        numer = 1.0
        denom = alpha
        s1 = numer / denom
        s2 = numer / (denom * denom)
        for i in range(1, 6):
            numer *= -x / i
            denom += 1
            s1 += numer / denom
            s2 += numer / (denom * denom)
        try:
            pxa = math.pow(x, alpha)
            pdf = math.pow(x, alpha - 1) * math.exp(-x)
            cdf = pxa * s1
            cdf_a = (math.log(x) - _digamma(alpha)) * cdf - pxa * s2
            r = -cdf_a / pdf
        except (ValueError, ZeroDivisionError, OverflowError):
            return 0.0
        return 0.0 if r != r else r
    if alpha > 8.0:
        if _F09 * alpha <= x <= _F11 * alpha:
            n1 = 1 + 24 * alpha * (1 + 12 * alpha)
            n2 = (1440 * (alpha * alpha) + 6 * x * (53 - 120 * x) - 65 * x * x / alpha
                  + alpha * (107 + 3600 * x))
            den = 1244160 * (alpha * alpha) * (alpha * alpha)
            return n1 * n2 / den
        den = math.sqrt(8 * alpha)
        term2 = den / (alpha - x)
        term3 = math.pow(x - alpha - alpha * math.log(x / alpha), -1.5)
        term23 = term2 - term3 if x < alpha else term2 + term3
        term1 = (math.log(x / alpha) * term23
                 - math.sqrt(2 / alpha) * (alpha + x) / ((alpha - x) * (alpha - x)))
        stirling = 1 + 1 / (12 * alpha) * (1 + 1 / (24 * alpha))
        return -stirling * (x * term1) / den
    u = math.log(x / alpha)
    v = math.log(alpha)
    cv = [_COEF_UV[0][i] + u * (_COEF_UV[1][i] + u * _COEF_UV[2][i]) for i in range(8)]
    p = cv[0] + v * (cv[1] + v * (cv[2] + v * cv[3]))
    q = cv[4] + v * (cv[5] + v * (cv[6] + v * cv[7]))
    return math.exp(p / q)


def standard_gamma_grad(alpha: np.ndarray, x: np.ndarray) -> np.ndarray:
    """``torch._standard_gamma_grad(alpha, x)`` on arrays (alpha's dtype)."""
    a, s = np.broadcast_arrays(alpha, x)
    flat = [_gamma_grad_one(p, q) for p, q in zip(a.astype(float).ravel().tolist(),
                                                   s.astype(float).ravel().tolist())]
    return np.asarray(flat, np.float64).astype(alpha.dtype).reshape(a.shape)


class StandardGammaBackward0(_ops.Unary):
    """torch._standard_gamma(alpha): the draws, with the implicit reparameterisation
    gradient ``grad * _standard_gamma_grad(alpha, result)``."""

    saves = "x"
    saves_result = True

    def forward(self, x, draw):
        return draw(x)

    def backward(self, F, g, x, result):
        if F.numpy:
            return (g * standard_gamma_grad(x, result),)
        with _api.no_grad():
            d = _api.tensor(standard_gamma_grad(x._data, result._data))
        return (g * d,)


def standard_gamma(input, generator=None) -> Tensor:
    """torch._standard_gamma(input, generator=None): a Gamma(input, 1) draw per element."""
    _float_input(input, "_standard_gamma", "gamma_cpu")
    gen = _generator(generator, "_standard_gamma")
    return StandardGammaBackward0.apply(input, gen.standard_gamma)


def _dirichlet_grad_one(x: float, alpha: float, total: float) -> float:
    """ATen's ``dirichlet_grad_one`` (in double throughout)."""
    beta = total - alpha
    boundary = total * x * (1 - x)
    if x <= 0.5 and boundary < 2.5:
        return _beta_grad_alpha_small(x, alpha, beta)
    if x >= 0.5 and boundary < 0.75:
        return -_beta_grad_beta_small(1 - x, beta, alpha)
    if alpha > 6 and beta > 6:
        return _beta_grad_alpha_mid(x, alpha, beta)
    u = math.log(x)
    a = math.log(alpha) - u
    b = math.log(total) - a
    pu = (1.0, u, u * u)
    pa = (1.0, a, a * a)
    p = q = 0.0
    for i in range(3):
        for j in range(3):
            ua = pu[i] * pa[j]
            c0 = _DIR_C[0][i][j]
            c1 = _DIR_C[1][i][j]
            p += ua * (c0[0] + b * (c0[1] + b * (c0[2] + b * c0[3])))
            q += ua * (c1[0] + b * (c1[1] + b * (c1[2] + b * c1[3])))
    approx = x * (_digamma(total) - _digamma(alpha)) / beta
    return p / q * approx


def _beta_grad_alpha_small(x, alpha, beta):
    factor = _digamma(alpha) - _digamma(alpha + beta) - math.log(x)
    numer = 1.0
    series = numer / alpha * (factor + 1 / alpha)
    for i in range(1, 11):
        numer *= (i - beta) * x / i
        denom = alpha + i
        series += numer / denom * (factor + 1 / denom)
    r = x * math.pow(1 - x, -beta) * series
    return 0.0 if r != r else r


def _beta_grad_beta_small(x, alpha, beta):
    factor = _digamma(alpha + beta) - _digamma(beta)
    numer, betas, dbetas, series = 1.0, 1.0, 0.0, factor / alpha
    for i in range(1, 9):
        numer *= -x / i
        dbetas = dbetas * (beta - i) + betas
        betas = betas * (beta - i)
        series += numer / (alpha + i) * (dbetas + factor * betas)
    r = -math.pow(1 - x, 1 - beta) * series
    return 0.0 if r != r else r


def _beta_grad_alpha_mid(x, alpha, beta):
    total = alpha + beta
    mean = alpha / total
    std = math.sqrt(alpha * beta / (total + 1)) / total
    if mean - 0.1 * std <= x <= mean + 0.1 * std:
        bb = beta * beta
        poly = 47 * x * bb * bb + alpha * (
            (43 + 20 * (16 + 27 * beta) * x) * bb * beta + alpha * (
                3 * (59 + 180 * beta - 90 * x) * bb + alpha * (
                    (453 + 1620 * beta * (1 - x) - 455 * x) * beta + alpha * (
                        8 * (1 - x) * (135 * beta - 11)))))
        pn = (1 + 12 * alpha) * (1 + 12 * beta) / (total * total)
        pd = 12960 * alpha * alpha * alpha * beta * beta * (1 + 12 * total)
        return pn / (1 - x) * poly / pd
    prefactor = -x / math.sqrt(2 * alpha * beta / total)
    stirling = ((1 + 1 / (12 * alpha) + 1 / (288 * alpha * alpha))
                * (1 + 1 / (12 * beta) + 1 / (288 * beta * beta))
                / (1 + 1 / (12 * total) + 1 / (288 * total * total)))
    t1n = 2 * (alpha * alpha) * (x - 1) + alpha * beta * (x - 1) - x * (beta * beta)
    axbx = alpha * (x - 1) + beta * x
    t1d = math.sqrt(2 * alpha / beta) * math.pow(total, 1.5) * axbx * axbx
    term1 = t1n / t1d
    term2 = 0.5 * math.log(alpha / (total * x))
    term3 = math.sqrt(8 * alpha * beta / total) / (beta * x + alpha * (x - 1))
    t4b = beta * math.log(beta / (total * (1 - x))) + alpha * math.log(alpha / (total * x))
    term4 = math.pow(t4b, -1.5)
    return stirling * prefactor * (term1 + term2 * (term3 + (term4 if x < mean else -term4)))


_DIR_C = (
    (((1.003668233, -0.01061107488, -0.0657888334, 0.01201642863),
      (0.6336835991, -0.3557432599, 0.05486251648, -0.001465281033),
      (-0.03276231906, 0.004474107445, 0.002429354597, -0.0001557569013)),
     ((0.221950385, -0.3187676331, 0.01799915743, 0.01074823814),
      (-0.2951249643, 0.06219954479, 0.01535556598, 0.001550077057),
      (0.02155310298, 0.004170831599, 0.001292462449, 6.976601077e-05)),
     ((-0.05980841433, 0.008441916499, 0.01085618172, 0.002319392565),
      (0.02911413504, 0.01400243777, -0.002721828457, 0.000751041181),
      (0.005900514878, -0.001936558688, -9.495446725e-06, 5.385558597e-05))),
    (((1, -0.02924021934, -0.04438342661, 0.007285809825),
      (0.6357567472, -0.3473456711, 0.05454656494, -0.002407477521),
      (-0.03301322327, 0.004845219414, 0.00231480583, -0.0002307248149)),
     ((0.5925320577, -0.1757678135, 0.01505928619, 0.000564515273),
      (0.1014815858, -0.06589186703, 0.01272886114, -0.0007316646956),
      (-0.007258481865, 0.001096195486, 0.0003934994223, -4.12701925e-05)),
     ((0.06469649321, -0.0236701437, 0.002902096474, -5.896963079e-05),
      (0.001925008108, -0.002869809258, 0.0008000589141, -6.063713228e-05),
      (-0.0003477407336, 6.959756487e-05, 1.097287507e-05, -1.650964693e-06))),
)


_F32 = np.float32
_LIBM_F: dict = {}


def _libm_f(name: str, nargs: int):
    """glibc's float function ``name`` (``std::log``/``std::pow`` of floats), through
    ctypes; numpy's float32 ufuncs where libm cannot be loaded."""
    fn = _LIBM_F.get(name)
    if fn is None:
        try:
            import ctypes
            import ctypes.util

            fn = getattr(ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6"), name)
            fn.restype, fn.argtypes = ctypes.c_float, (ctypes.c_float,) * nargs
        except (OSError, AttributeError):
            fn = {"logf": np.log, "powf": np.power}[name]
        _LIBM_F[name] = fn
    return fn


def _logf(v) -> np.float32:
    return _F32(_libm_f("logf", 1)(float(v)))


def _powf(a, b) -> np.float32:
    return _F32(_libm_f("powf", 2)(float(a), float(b)))


def _digamma_f(x) -> np.float32:
    """``digamma_one<float, double>``: the argument stays a float (its steps in float),
    the sum in double, ``log`` and ``0.5f / x`` of the float; the result a float."""
    x = _F32(x)
    if x == 0:
        return _F32(math.inf)
    extra = 0.0
    if x < 0:
        if x == np.floor(x):
            return _F32(math.inf)
        extra = -float(_F32(math.pi)) / float(np.tan(_F32(math.pi) * x))
        x = _F32(1) - x
    result = 0.0
    while x < 10:
        result -= float(_F32(1) / x)
        x = x + _F32(1)
    if x == 10:
        return _F32(result + 2.25175258906672110764 + extra)
    y = 0.0
    if x < 1.0e17:
        z = 1.0 / float(x * x)
        poly = 0.0
        for c in _DIGAMMA_A:
            poly = poly * z + c
        y = z * poly
    return _F32(result + float(_logf(x)) - float(_F32(0.5) / x) - y + extra)


def _beta_grad_alpha_small_f(x, alpha, beta) -> np.float32:
    factor = _digamma_f(alpha) - _digamma_f(alpha + beta) - _logf(x)
    one = _F32(1)
    numer = one
    series = numer / alpha * (factor + one / alpha)
    for i in range(1, 11):
        ci = _F32(i)
        numer = numer * ((ci - beta) * x / ci)
        denom = alpha + ci
        series = series + numer / denom * (factor + one / denom)
    r = x * _powf(one - x, -beta) * series
    return _F32(0) if r != r else r


def _beta_grad_beta_small_f(x, alpha, beta) -> np.float32:
    factor = _digamma_f(alpha + beta) - _digamma_f(beta)
    numer, betas, dbetas, series = _F32(1), _F32(1), _F32(0), factor / alpha
    for i in range(1, 9):
        ci = _F32(i)
        numer = numer * (-x / ci)
        dbetas = dbetas * (beta - ci) + betas
        betas = betas * (beta - ci)
        series = series + numer / (alpha + ci) * (dbetas + factor * betas)
    r = -_powf(_F32(1) - x, _F32(1) - beta) * series
    return _F32(0) if r != r else r


def _dirichlet_grad_one_f(x: float, alpha: float, total: float) -> float:
    """``dirichlet_grad_one<float, double>``: the float steps of a float32 tensor."""
    xf, af, tf = _F32(x), _F32(alpha), _F32(total)
    with np.errstate(all="ignore"):
        beta = tf - af
        boundary = tf * xf * (_F32(1) - xf)
        if xf <= 0.5 and boundary < 2.5:
            return float(_beta_grad_alpha_small_f(xf, af, beta))
        if xf >= 0.5 and boundary < 0.75:
            return float(-_beta_grad_beta_small_f(_F32(1) - xf, beta, af))
        if af > 6 and beta > 6:
            return _beta_grad_alpha_mid(x, alpha, total - alpha)
        u = math.log(x)
        a = math.log(alpha) - u
        b = math.log(total) - a
        pu = (1.0, u, u * u)
        pa = (1.0, a, a * a)
        p = q = 0.0
        for i in range(3):
            for j in range(3):
                ua = pu[i] * pa[j]
                c0 = _DIR_C[0][i][j]
                c1 = _DIR_C[1][i][j]
                p += ua * (c0[0] + b * (c0[1] + b * (c0[2] + b * c0[3])))
                q += ua * (c1[0] + b * (c1[1] + b * (c1[2] + b * c1[3])))
        approx = x * float(_digamma_f(tf) - _digamma_f(af)) / (total - alpha)
        return p / q * approx


def dirichlet_grad(x: np.ndarray, alpha: np.ndarray, total: np.ndarray) -> np.ndarray:
    """``torch._dirichlet_grad(x, alpha, total)`` on arrays (x's dtype): in double for
    float64, with ATen's float steps for float32."""
    xs, a, t = np.broadcast_arrays(x, alpha, total)
    one = _dirichlet_grad_one if x.dtype == np.float64 else _dirichlet_grad_one_f
    flat = [one(p, q, r) for p, q, r in zip(
        xs.astype(float).ravel().tolist(), a.astype(float).ravel().tolist(),
        t.astype(float).ravel().tolist())]
    return np.asarray(flat, np.float64).astype(x.dtype).reshape(xs.shape)


def sample_dirichlet(input, generator=None) -> Tensor:
    """torch._sample_dirichlet(input, generator=None): one Dirichlet draw per row of the
    last dim (gammas in double, normalised)."""
    data = _float_input(input, "_sample_dirichlet", "dirichlet")
    gen = _generator(generator, "_sample_dirichlet")
    return _api.tensor(gen.dirichlet(data))


def binomial(count, prob, generator=None) -> Tensor:
    """torch.binomial(count, prob, generator=None): a Binomial(count, prob) count per
    element, in the count's dtype."""
    if not isinstance(count, Tensor):
        raise TorchTypeError("binomial(): argument 'count' (position 1) must be Tensor, not "
                             f"{type(count).__name__}")
    if not isinstance(prob, Tensor):
        raise TorchTypeError("binomial(): argument 'prob' (position 2) must be Tensor, not "
                             f"{type(prob).__name__}")
    data = _float_input(count, "binomial", "binomial_cpu")
    gen = _generator(generator, "binomial")
    return _api.tensor(gen.binomial(data, prob._data.astype(data.dtype)))


def standard_gamma_grad_tensor(self, output) -> Tensor:
    """torch._standard_gamma_grad(self, output): d(output)/d(alpha) of standard gamma
    draws ``output`` (no gradient of its own, as torch's)."""
    _float_input(self, "_standard_gamma_grad", "_standard_gamma_grad_cpu")
    return _api.tensor(standard_gamma_grad(self._data, output._data.astype(self._data.dtype)))


def dirichlet_grad_tensor(x, alpha, total) -> Tensor:
    """torch._dirichlet_grad(x, alpha, total)."""
    _float_input(x, "_dirichlet_grad", "_dirichlet_grad_cpu")
    d = x._data.dtype
    return _api.tensor(dirichlet_grad(x._data, alpha._data.astype(d), total._data.astype(d)))

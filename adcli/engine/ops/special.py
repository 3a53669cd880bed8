"""The grad_fn classes of the special functions (torch.special and its torch.* names): the
gamma family, the modified Bessel functions, sinc, the normal distribution's functions,
and the binary ones (hypot, logaddexp, logaddexp2, nextafter, xlog1py, zeta). Forward
beside backward; the numerics are in ``engine/gamma.py``; the names are declared in
``engine/declarations/special.py``.

A backward formula that needs another special function calls its numpy kernel on the
numpy backend and the op itself (recorded) on the tensor backend (create_graph).
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import cpu_kernels as K
from adcli.engine import dtypes as dt
from adcli.engine import gamma as G
from adcli.engine.autograd.engine import wants_gradient
from adcli.engine.ops.kinds import Binary, Unary
from adcli.engine.tensor import _wrap
from adcli.errors import TorchNotImplementedError

_F32 = np.dtype(np.float32)
_SQRT_2PI = math.sqrt(2 * math.pi)


def _float_only(cls, *arrays):
    """torch's refusal of integer inputs for a float-only binary kernel."""
    for a in arrays:
        if isinstance(a, np.ndarray) and a.dtype.kind not in "fc":
            raise TorchNotImplementedError(
                f'"{cls.kernel}_cpu" not implemented for \'{_torch_name(a.dtype)}\'')


def _torch_name(np_dtype) -> str:
    """ATen's ScalarType name ('Long', 'Float', ...), as its dispatch errors print it."""
    return {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char",
            "uint8": "Byte", "bool": "Bool", "float32": "Float", "float64": "Double",
            "float16": "Half"}.get(str(np.dtype(np_dtype)), str(np_dtype))


# ---- the gamma family ------------------------------------------------------------------


class LgammaBackward0(Unary):
    saves = "x"
    to_float = True

    def forward(self, x):
        return G.lgamma(x)

    def backward(self, F, g, x):
        return (g * (G.digamma(x) if F.numpy else DigammaBackward0.apply(x)),)


class DigammaBackward0(Unary):
    saves = "x"
    to_float = True

    def forward(self, x):
        return G.digamma(x)

    def backward(self, F, g, x):
        return (g * (G.trigamma(x) if F.numpy else PolygammaBackward0.apply(x, 1)),)


class PolygammaBackward0(Unary):
    """polygamma(n, x): the n-th derivative of digamma."""

    saves = "x"
    to_float = True

    def forward(self, x, n):
        self.n = n
        return G.polygamma(n, x)

    def backward(self, F, g, x):
        n = self.n + 1
        return (g * (G.polygamma(n, x) if F.numpy else PolygammaBackward0.apply(x, n)),)


def _mvlgamma_args(x: np.ndarray, p: int) -> np.ndarray:
    """x - j/2 for j = p-1 .. 0, along a new last dim (ATen's arange(-p/2 + 1/2, 1/2, 1/2)
    added to x.unsqueeze(-1))."""
    steps = np.arange(-p * 0.5 + 0.5, 0.5, 0.5).astype(x.dtype)
    return steps + x[..., None]


def _sum_last(a: np.ndarray) -> np.ndarray:
    out = a[..., 0].copy()
    for j in range(1, a.shape[-1]):
        out = out + a[..., j]
    return out


class MvlgammaBackward0(Unary):
    """The multivariate log-gamma function of dimension p."""

    saves = "x"
    to_float = True

    def forward(self, x, p):
        self.p = p
        total = _sum_last(G.lgamma(_mvlgamma_args(x, p)))
        return total + x.dtype.type(p * (p - 1) * math.log(math.pi) * 0.25)

    def backward(self, F, g, x):
        if F.numpy:
            return (g * _sum_last(G.digamma(_mvlgamma_args(x, self.p))),)
        steps = _wrap(np.arange(-self.p * 0.5 + 0.5, 0.5, 0.5).astype(x._data.dtype))
        return (g * DigammaBackward0.apply(steps + x.unsqueeze(-1)).sum(-1),)


# ---- Bessel, sinc, the normal distribution ---------------------------------------------


class I0Backward0(Unary):
    saves = "x"
    to_float = True

    def forward(self, x):
        return G.i0(x)

    def backward(self, F, g, x):
        return (g * (G.i1(x) if F.numpy else SpecialI1Backward0.apply(x)),)


class SpecialI0EBackward0(Unary):
    saves = "x"
    saves_result = True
    to_float = True

    def forward(self, x):
        return G.i0e(x)

    def backward(self, F, g, x, result):
        i1e = G.i1e(x) if F.numpy else SpecialI1EBackward0.apply(x)
        return (g * (i1e - F.sign(x) * result),)


class SpecialI1Backward0(Unary):
    """i1; its derivative i0(x) - i1(x) / x, 1/2 at 0 (ATen's i1_backward)."""

    saves = "x"
    saves_result = True
    to_float = True

    def forward(self, x):
        return G.i1(x)

    def backward(self, F, g, x, result):
        if F.numpy:
            with np.errstate(all="ignore"):
                d = G.i0(x) - result / x
            return (g * np.where(x == 0, x.dtype.type(0.5), d).astype(x.dtype),)
        d = I0Backward0.apply(x) - result / x
        return (g * F.where(x == 0, 0.5, d),)


class SpecialI1EBackward0(Unary):
    """i1e; its derivative i0e(x) - i1e(x) * (sgn(x) + 1 / x), 1/2 at 0 (i1e_backward)."""

    saves = "x"
    saves_result = True
    to_float = True

    def forward(self, x):
        return G.i1e(x)

    def backward(self, F, g, x, result):
        if F.numpy:
            with np.errstate(all="ignore"):
                d = G.i0e(x) - result * (np.sign(x) + 1 / x)
            return (g * np.where(x == 0, x.dtype.type(0.5), d).astype(x.dtype),)
        d = SpecialI0EBackward0.apply(x) - result * (F.sign(x) + 1 / x)
        return (g * F.where(x == 0, 0.5, d),)


def _sinc(x: np.ndarray) -> np.ndarray:
    """ATen's sinc: 1 at 0, else sin(pi x) / (pi x), pi x rounded in x's type."""
    t = x.dtype.type
    with np.errstate(all="ignore"):
        px = x * t(math.pi)
        s = np.sin(px.astype(np.float64)).astype(x.dtype) if x.dtype == _F32 else np.sin(px)
        return np.where(x == 0, t(1), s / px).astype(x.dtype)


class SincBackward0(Unary):
    saves = "x"
    to_float = True

    def forward(self, x):
        return _sinc(x)

    def backward(self, F, g, x):
        # sinc_backward: grad * (pi x cos(pi x) - sin(pi x)) / (pi x^2), 0 where x is 0
        px = x * math.pi
        sq = x * x * math.pi
        with np.errstate(all="ignore"):
            out = g * (px * F.cos(px) - F.sin(px)) / sq
        if F.numpy:
            return (np.where(sq == 0, np.zeros((), out.dtype), out),)
        return (F.where(sq == 0, 0.0, out),)


class SpecialEntrBackward0(Unary):
    """-x log x, 0 at 0, -inf below 0."""

    saves = "x"
    to_float = True

    def forward(self, x):
        with np.errstate(all="ignore"):
            if x.dtype == _F32:
                lx = K.log(x)
            else:
                lx = np.log(x)
            out = -x * lx
        out = np.where(x == 0, x.dtype.type(0), out)
        out = np.where(x < 0, x.dtype.type(-np.inf), out)
        return np.where(np.isnan(x), x, out).astype(x.dtype)

    def backward(self, F, g, x):
        with np.errstate(all="ignore"):
            return (g * (-(F.log(x) + 1)),)


class SpecialNdtriBackward0(Unary):
    saves_result = True
    to_float = True

    def forward(self, x):
        return G.ndtri(x)

    def backward(self, F, g, x, result):
        with np.errstate(all="ignore"):
            return (g * _SQRT_2PI * F.exp(result * result / 2),)


class SpecialLogNdtrBackward0(Unary):
    saves = "x"
    saves_result = True
    to_float = True

    def forward(self, x):
        return G.log_ndtr(x)

    def backward(self, F, g, x, result):
        with np.errstate(all="ignore"):
            return (g / _SQRT_2PI * F.exp(-(result + x * x / 2)),)


class SpecialErfcxBackward0(Unary):
    saves = "x"
    saves_result = True
    to_float = True

    def forward(self, x):
        return G.erfcx(x)

    def backward(self, F, g, x, result):
        return ((x * result * 2.0 - 2.0 / math.sqrt(math.pi)) * g,)


# ---- binary ------------------------------------------------------------------------------


class HypotBackward0(Binary):
    kernel = "hypot"
    saves = "xx"
    saves_result = True

    def forward(self, a, b):
        _float_only(type(self), a, b)
        if a.dtype == _F32:
            return np.hypot(a.astype(np.float64), b.astype(np.float64)).astype(_F32)
        return np.hypot(a, b)

    def backward(self, F, g, a, b, result):
        with np.errstate(all="ignore"):
            return g * a / result, g * b / result


def _logaddexp(m, a, b):
    big = np.maximum(a, b)
    out = big + m.log1p(m.exp(-np.abs(a - b)))
    return np.where((a == b) & np.isinf(a), a, out)


_INV_LOG_2 = 1 / math.log(2.0)
_exp2 = K.rounded(np.exp2)


def _logaddexp2(m, a, b):
    big = np.maximum(a, b)
    t = a.dtype.type
    out = big + m.log1p(_exp2(-np.abs(a - b))) * t(_INV_LOG_2)
    return np.where((a == b) & np.isinf(a), a, out)


class LogaddexpBackward0(Binary):
    kernel = "logaddexp"
    saves = "xx"

    def forward(self, a, b):
        _float_only(type(self), a, b)
        return K.kernel_vec(_logaddexp, a, b)

    def backward(self, F, g, a, b):
        with np.errstate(all="ignore"):
            return g / (F.exp(b - a) + 1), g / (F.exp(a - b) + 1)


class Logaddexp2Backward0(Binary):
    kernel = "logaddexp2"
    saves = "xx"

    def forward(self, a, b):
        _float_only(type(self), a, b)
        return K.kernel_vec(_logaddexp2, a, b)

    def backward(self, F, g, a, b):
        with np.errstate(all="ignore"):
            return g / (2.0 ** (b - a) + 1), g / (2.0 ** (a - b) + 1)


class NextafterBackward0(Binary):
    kernel = "nextafter"
    saves = "xx"

    def forward(self, a, b):
        _float_only(type(self), a, b)
        return np.nextafter(a, b)

    def backward(self, F, g, a, b):
        ga = F.where(a != b, g, 0.0) if not F.numpy else np.where(
            a != b, g, np.zeros((), g.dtype))
        return ga, F.zeros_like(g)


def _xlog1py(a, b):
    with np.errstate(all="ignore"):
        lb = K.log1p(b) if b.dtype == _F32 else np.log1p(b)
        out = a * lb
    out = np.where(a == 0, np.zeros((), out.dtype), out)
    return np.where(np.isnan(b), b, out).astype(np.result_type(a, b))


class SpecialXlog1PyBackward0(Binary):
    """xlog1py(self, other) = self * log1p(other), 0 where self is 0."""

    saves = "xx"
    to_float = True

    def forward(self, a, b):
        return _xlog1py(np.asarray(a), np.asarray(b))

    def backward(self, F, g, a, b):
        ga = gb = None
        with np.errstate(all="ignore"):
            if self._next[0] is not None:
                if F.numpy:
                    ga = np.where((a == 0) & (b <= -1), np.zeros((), g.dtype),
                                  _xlog1py(g, b)).astype(g.dtype)
                else:
                    ga = F.masked_fill(SpecialXlog1PyBackward0.apply(g, b), (a == 0) & (b <= -1),
                                       0.0)
            if self._next[1] is not None:
                gb = g * a / (b + 1)
        return ga, gb


class SpecialXlog1PyBackward1(SpecialXlog1PyBackward0):
    """xlog1py(number, other)"""


class SpecialXlog1PyBackward2(SpecialXlog1PyBackward0):
    """xlog1py(self, number)"""


class SpecialZetaBackward0(Binary):
    """zeta(x, q), the Hurwitz zeta function; its gradient for q only."""

    saves = "xx"
    to_float = True

    def forward(self, a, b):
        dtype = np.result_type(a, b)
        return G.zeta(a, b, dtype).astype(dtype)

    def backward(self, F, g, a, b):
        if wants_gradient(self, 0):
            raise TorchNotImplementedError(
                'the derivative for \'zeta\' is not implemented.')
        if F.numpy:
            return None, g * -a * G.zeta(a + 1.0, b, g.dtype).astype(g.dtype)
        return None, g * -a * SpecialZetaBackward0.apply(a + 1.0, b)


class SpecialZetaBackward1(SpecialZetaBackward0):
    """zeta(number, q)"""


class SpecialZetaBackward2(SpecialZetaBackward0):
    """zeta(x, number)"""


def gcd_lcm(name: str, a: np.ndarray, b: np.ndarray) -> np.ndarray:
    for arr in (a, b):
        if arr.dtype.kind not in "iu":
            raise TorchNotImplementedError(
                f'"{name}_cpu" not implemented for \'{_torch_name(arr.dtype)}\'')
    dtype = dt.promote(dt.BY_NP[a.dtype], dt.BY_NP[b.dtype]).np
    fn = np.gcd if name == "gcd" else np.lcm
    return fn(a.astype(dtype), b.astype(dtype))


__all__ = [n for n in dir() if n.endswith(tuple(f"Backward{i}" for i in range(3)))] + [
    "gcd_lcm"]

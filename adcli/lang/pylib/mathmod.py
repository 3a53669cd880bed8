"""``math``: Python's own functions, with the integer ones bounded before they start."""

from __future__ import annotations

import math
import operator

from adcli.errors import TorchTypeError
from adcli.lang.pylib._common import check_int_bits, check_int_result, meter

_PURE = (
    "sqrt", "exp", "exp2", "log2", "log10", "log1p", "expm1", "sin", "cos", "tan", "asin",
    "acos", "atan", "atan2", "sinh", "cosh", "tanh", "asinh", "acosh", "atanh", "pow", "fabs",
    "floor", "ceil", "trunc", "isclose", "isfinite", "isinf", "isnan", "gcd", "hypot",
    "dist", "degrees", "radians", "copysign", "fmod", "modf", "frexp", "ldexp", "erf",
    "erfc", "gamma", "lgamma", "isqrt", "remainder", "nextafter", "ulp", "cbrt",
)
CONSTANTS = ("pi", "e", "tau", "inf", "nan")
_LN2 = math.log(2)


def _int_arg(value, fn: str) -> int:
    """An integer argument as math takes one (``__index__``); Python's TypeError else."""
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        raise TorchTypeError("'float' object cannot be interpreted as an integer")
    return operator.index(value)


def _log2_factorial(n: int) -> float:
    return math.lgamma(n + 1) / _LN2 if n < 1 << 60 else float(1 << 66)


def _bits(estimate: float) -> int:
    return int(min(max(estimate, 0.0), float(1 << 66)))


def factorial(n):
    n = _int_arg(n, "factorial")
    if n > 1:
        check_int_bits(_bits(_log2_factorial(n)) + 1, f"factorial({n})")
    return math.factorial(n)


def _log2_comb(n: int, k: int) -> float:
    k = min(k, n - k)
    if k <= 0:
        return 0.0
    if n < 1 << 60:
        return (math.lgamma(n + 1) - math.lgamma(k + 1) - math.lgamma(n - k + 1)) / _LN2
    if k >= 1 << 20:  # comb(n, k) >= 2**k when n >= 2k
        return float(k)
    return k * (n.bit_length() - 1) - _log2_factorial(k)


def comb(n, k):
    n, k = _int_arg(n, "comb"), _int_arg(k, "comb")
    if 0 <= k <= n:
        check_int_bits(_bits(_log2_comb(n, k)), f"comb({n}, {k})")
    return math.comb(n, k)


def perm(n, k=None):
    n = _int_arg(n, "perm")
    if k is None:
        return factorial(n) if n >= 0 else math.perm(n)
    k = _int_arg(k, "perm")
    if 0 <= k <= n:
        bits = (_log2_factorial(n) - _log2_factorial(n - k)) if n < 1 << 60 \
            else k * n.bit_length()
        check_int_bits(_bits(bits), f"perm({n}, {k})")
    return math.perm(n, k)


def lcm(*integers):
    result = 1
    for x in integers:
        result = math.lcm(result, x)
        check_int_result(result)
    return result if integers else math.lcm()


def prod(iterable, /, *, start=1):
    total = start
    for x in meter(iterable):
        total = total * x
        if type(total) is int:
            check_int_result(total)
    return total


def fsum(iterable):
    return math.fsum(meter(iterable))


def log(x, base=None):
    return math.log(x) if base is None else math.log(x, base)


def make_table() -> dict:
    table = {name: getattr(math, name) for name in _PURE if hasattr(math, name)}
    table.update({name: getattr(math, name) for name in CONSTANTS})
    table.update(factorial=factorial, comb=comb, perm=perm, lcm=lcm, prod=prod, fsum=fsum,
                 log=log)
    return table

"""The grad_fn classes of the elementwise ops: arithmetic, powers, exponentials,
trigonometry, rounding, clamping and selection. Each class is its forward beside its
backward; the names torch gives each op are declared in engine/declarations/elementwise.py.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import cpu_kernels as K
from adcli.engine import dtypes as dt
from adcli.engine import shape as sh
from adcli.engine import special
from adcli.engine.fma import fma32, fma64
from adcli.engine.ops.kinds import Binary, Nary, Unary, _number, _with_scalars
from adcli.engine.tensor import (
    Tensor,
    _wrap,
)
from adcli.errors import (
    TorchNotImplementedError,
    TorchRuntimeError,
)

_f32 = np.dtype(np.float32)


class AddBackward0(Binary):
    alpha = 1
    ufunc = np.add
    scalar = "AddBackward1"

    def forward(self, a, b, alpha=1):
        if alpha == 1:
            return a + b
        self.alpha = alpha
        return a + alpha * b

    def backward(self, F, g, a, b):
        if self._next[1] is None:
            return g, None
        return g, (g if self.alpha == 1 else g * self.alpha)


def _sub_check(a_bool: bool, b_bool: bool) -> None:
    """torch's refusal of ``-`` with bool operands (a Python bool counts as one)."""
    if a_bool and b_bool:
        raise TorchRuntimeError("Subtraction, the `-` operator, with two bool tensors is not "
                                "supported. Use the `^` or `logical_xor()` operator instead.")
    if a_bool or b_bool:
        raise TorchRuntimeError("Subtraction, the `-` operator, with a bool tensor is not "
                                "supported. If you are trying to invert a mask, use the `~` or "
                                "`logical_not()` operator instead.")


def _bool_operand(v) -> bool:
    return v._data.dtype.kind == "b" if isinstance(v, Tensor) else isinstance(v, bool | np.bool_)


class SubBackward0(Binary):
    scalar = "SubBackward1"
    alpha = 1
    ufunc = np.subtract

    @staticmethod
    def precheck(a, b):
        _sub_check(_bool_operand(a), _bool_operand(b))

    def forward(self, a, b, alpha=1):
        _sub_check(a.dtype.kind == "b", getattr(b, "dtype", type(b)) in (np.bool_, bool))
        if alpha == 1:
            return a - b
        self.alpha = alpha
        return a - alpha * b

    def backward(self, F, g, a, b):
        if self._next[1] is None:
            return g, None
        return g, (-g if self.alpha == 1 else -g * self.alpha)


class RsubBackward1(Unary):
    """number - x (torch.rsub with a scalar)."""

    def forward(self, x, number, alpha=1):
        self.alpha = alpha
        _sub_check(x.dtype.kind == "b", getattr(number, "dtype", type(number)) in (np.bool_, bool))
        x = _with_scalars(x, number)
        return number - x if alpha == 1 else number - alpha * x

    def backward(self, F, g, x):
        return (-g if self.alpha == 1 else -g * self.alpha,)


class AddBackward1(Unary):
    """x + number, as backward formulas write it (torch's add with a Scalar)."""

    def forward(self, x, number):
        return _with_scalars(x, number) + number

    def backward(self, F, g, x):
        return (g,)


class SubBackward1(Unary):
    """x - number, as backward formulas write it (torch's sub with a Scalar)."""

    def forward(self, x, number):
        return _with_scalars(x, number) - number

    def backward(self, F, g, x):
        return (g,)


class MulBackward1(Unary):
    """x * number, as backward formulas write it (torch's mul with a Scalar; a Python
    number in a script is a 0-d tensor instead, and gives MulBackward0)."""

    def forward(self, x, number):
        self.number = number
        return _with_scalars(x, number) * number

    def backward(self, F, g, x):
        return (g * self.number,)  # (a Scalar's MulBackward1 again, when recorded)


class DivBackward1(Unary):
    """x / number, as backward formulas write it (torch's div with a Scalar)."""

    to_float = True

    def forward(self, x, number):
        self.number = number
        return x / number

    def backward(self, F, g, x):
        return (g / self.number,)


class MulBackward0(Binary):
    scalar = "MulBackward1"
    saves = "oo"  # each factor's gradient reads the other one
    forward = ufunc = staticmethod(np.multiply)

    def backward(self, F, g, a, b):
        if (F.numpy and a is None and g.base is not None and g.ndim and not any(g.strides)
                and np.ndim(b) == 0):
            # a constant gradient (mean's, expanded) times a number stays a constant: an
            # expanded view, not a fresh array of the full size
            return np.broadcast_to(g[(slice(0, 1),) * g.ndim] * b, g.shape), None
        return (None if b is None else g * b), (None if a is None else g * a)


class DivBackward0(Binary):
    scalar = "DivBackward1"
    saves = "ox"
    to_float = True
    ufunc = np.true_divide

    def forward(self, a, b):
        return a / b

    def backward(self, F, g, a, b):
        return g / b, (None if a is None else -g * ((a / b) / b))


class NegBackward0(Unary):

    def forward(self, x):
        if x.dtype.kind == "b":
            raise TorchRuntimeError("Negation, the `-` operator, on a bool tensor is not "
                                    "supported. If you are trying to invert a mask, use the `~` "
                                    "or `logical_not()` operator instead.")
        return -x

    def backward(self, F, g, x):
        return (-g,)


class ReciprocalBackward0(Unary):
    saves_result = True
    to_float = True

    def forward(self, x):
        return 1 / x

    def backward(self, F, g, x, result):
        return (-g * (result * result),)


def _int_pow_check(base, exponent):
    if isinstance(exponent, int) and exponent < 0 and base.dtype.kind in "iub":
        raise TorchRuntimeError("Integers to negative integer powers are not allowed.")


class PowBackward0(Unary):
    """x ** number"""

    saves = "x"

    def forward(self, x, exponent):
        self.exponent = exponent
        x = _with_scalars(x, exponent)
        _int_pow_check(x, exponent)
        if x.dtype.kind == "f":
            return _float_pow(x, exponent)
        return x ** exponent

    def backward(self, F, g, x):
        p = self.exponent
        if p == 0:
            return (F.zeros_like(g),)
        if F.numpy:  # torch: grad * (p * x.pow(p - 1)), pow's kernel included
            return (F.imul(p * (x if p == 2 else _float_pow(x, p - 1)), g),)
        p = float(p)
        return (g * (p * x ** (p - 1)),)  # torch's order, so its graph has torch's nodes


def _float_pow(x: np.ndarray, p) -> np.ndarray:
    """x ** p for a float array, rounded as torch's CPU kernel rounds it: exact products
    for 2, 3 and -2, 1/sqrt for -0.5, and otherwise a pow in double precision for float32
    (which is what torch's element-by-element path computes; its vector path for 16 or
    more elements differs from it in the last bit now and then)."""
    if p == 2:
        return x * x
    if p == 3:
        return x * x * x
    if p == -2:
        return 1 / (x * x)
    if p == -0.5:
        return 1 / np.sqrt(x)
    if p in (-1, 0.5, 1) or x.dtype != _f32:
        return x ** p
    return (x.astype(np.float64) ** p).astype(_f32)


def _power(a, b):
    """a ** b, where integers raised to negative integer powers give what C's integer pow
    gives in torch: 1 for a base of 1, +-1 for -1, else 0."""
    if b.dtype.kind not in "iu" or a.dtype.kind not in "iub" or not (b < 0).any():
        return a ** b
    a, b = np.broadcast_arrays(a, b)
    out = np.zeros(a.shape, np.result_type(a, b))
    pos = b >= 0
    out[pos] = a[pos] ** b[pos]
    out[(b < 0) & (a == 1)] = 1
    neg_one = (b < 0) & (a == -1)
    out[neg_one] = np.where(b[neg_one] % 2 == 0, 1, -1)
    return out


class PowBackward1(Binary):
    """x ** y, both tensors"""

    saves = "xx"
    saves_result = True

    def forward(self, a, b):
        return _power(a, b)

    def backward(self, F, g, a, b, result):
        da = F.where(b == 0, 0.0, g * (b * a ** (b - 1)))
        # as torch: the base is cast to the result's dtype before its log (ToCopyBackward0
        # in a create_graph backward when a float32 base meets a float64 exponent)
        if F.numpy:
            base = a if a.dtype == result.dtype else a.astype(result.dtype)
        else:
            base = a if a._data.dtype == result._data.dtype else \
                a.to(dt.BY_NP[result._data.dtype])
        db = g * F.where((a == 0) & (b >= 0), 0.0, result * F.log(base))
        return da, db


class PowBackward2(Unary):
    """number ** x"""

    saves = "x"
    saves_result = True

    def forward(self, x, base):
        self.base = base
        x = _with_scalars(x, base)
        if x.dtype.kind in "iu":
            return _power(np.asarray(base, x.dtype), x)
        return base ** x

    def backward(self, F, g, x, result):
        base = self.base
        log_base = math.log(base) if base > 0 else (-math.inf if base == 0 else math.nan)
        if base == 0:  # d/dx 0**x is 0 where x >= 0
            return (g * F.where(x >= 0, 0.0, result * log_base),)
        return (g * (result * log_base),)


def _int_checked(ufunc, a, b):
    """An integer // or %, refusing division by zero as torch does (numpy gives 0)."""
    out = ufunc(a, b)
    if np.asarray(out).dtype.kind in "iub" and np.any(np.asarray(b) == 0):
        raise TorchRuntimeError("integer division or remainder by zero")
    return out


class RemainderBackward0(Unary):
    """x % number"""

    def forward(self, x, other):
        return _int_checked(np.remainder, _with_scalars(x, other), other)

    def backward(self, F, g, x):
        return (g,)


class RemainderBackward1(Binary):
    """x % y, both tensors"""

    saves = "ox"

    def forward(self, a, b):
        return _int_checked(np.remainder, a, b)

    def backward(self, F, g, a, b):
        return g, (None if a is None else -g * F.floor(a / b))


class FloorDivide(Binary):
    """x // y: not differentiable in torch; its grad_fn raises if backward reaches it."""

    def forward(self, a, b):
        return _int_checked(np.floor_divide, a, b)

    def name(self) -> str:
        return "torch::autograd::NotImplemented"

    def backward(self, F, g, a, b):
        raise TorchRuntimeError("the derivative of floor division (//) is not implemented")


FloorDivide.__name__ = FloorDivide.__qualname__ = "NotImplemented"


class ExpBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(K.exp)

    def backward(self, F, g, x, result):
        return (g * result,)


class LogBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.log)

    def backward(self, F, g, x):
        return (g / x,)


class Log2Backward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.log2))

    def backward(self, F, g, x):
        return (g / (x * math.log(2.0)),)


class Log10Backward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.log10))

    def backward(self, F, g, x):
        return (g / (x * math.log(10.0)),)


class SqrtBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(np.sqrt)

    def backward(self, F, g, x, result):
        return (g / (2 * result),)


class RsqrtBackward0(Unary):
    saves_result = True
    to_float = True

    def forward(self, x):
        return 1 / np.sqrt(x)

    def backward(self, F, g, x, result):
        return (-0.5 * g * result ** 3,)


class SinBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.sin))

    def backward(self, F, g, x):
        return (g * F.cos(x),)


class CosBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.cos))

    def backward(self, F, g, x):
        return (g * -F.sin(x),)


class TanBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(K.rounded(np.tan))

    def backward(self, F, g, x, result):
        return (g * (1 + result ** 2),)


class AsinBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.arcsin))

    def backward(self, F, g, x):
        return (g * F.rsqrt(-x * x + 1),)


class AcosBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.arccos))

    def backward(self, F, g, x):
        return (g * -F.rsqrt(-x * x + 1),)


class AtanBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.arctan))

    def backward(self, F, g, x):
        return (g / (x * x + 1),)


class AsinhBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.arcsinh))

    def backward(self, F, g, x):  # grad * (self.pow(2) + 1).rsqrt()
        return (g * F.rsqrt(x * x + 1),)


class AcoshBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.arccosh))

    def backward(self, F, g, x):  # grad * (self.pow(2) - 1).rsqrt()
        return (g * F.rsqrt(x * x - 1),)


class AtanhBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.arctanh))

    def backward(self, F, g, x):  # grad * 1 / (1 - self.pow(2))
        return (g / (1 - x * x),)


class SinhBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.sinh))

    def backward(self, F, g, x):
        return (g * F.cosh(x),)


class CoshBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.rounded(np.cosh))

    def backward(self, F, g, x):
        return (g * F.sinh(x),)


class TanhBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(K.tanh)

    def backward(self, F, g, x, result):
        return (F.tanh_backward(g, result),)


class SigmoidBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(K.sigmoid)

    def backward(self, F, g, x, result):
        return (F.sigmoid_backward(g, result),)


def _relu(x: np.ndarray) -> np.ndarray:
    # x < 0 ? 0 : x, as ATen's clamp_min: -0.0 and nan pass through
    if x.dtype.kind == "b":
        raise TorchRuntimeError("Boolean inputs not supported for relu")
    return _at_least(x, x.dtype.type(0))


_relu.elementwise_float = True


class ReluBackward0(Unary):
    saves_result = True
    forward = staticmethod(_relu)

    def backward(self, F, g, x, result):
        return (F.threshold_backward(g, result),)  # relu'(0) = 0


class AbsBackward0(Unary):
    saves = "x"

    def forward(self, x):
        if x.dtype.kind == "b":
            raise TorchNotImplementedError("abs() is not implemented for bool tensors")
        return np.abs(x)

    def backward(self, F, g, x):
        return (g * F.sgn(x),)  # abs'(0) = sgn(0) = 0


class _ZeroGrad(Unary):
    """Piecewise-constant ops: the gradient is zero everywhere."""

    def backward(self, F, g, x):
        return (F.zeros_like(g),)  # a constant: it does not depend on g


class SignBackward0(_ZeroGrad):

    def forward(self, x):
        return np.sign(x) if x.dtype.kind != "b" else x.copy()


class SgnBackward0(SignBackward0):
    """sgn: the sign, as torch writes it for complex-safe formulas (norm's gradient)."""


def _masked_fill(x: np.ndarray, mask, value) -> np.ndarray:
    """x with value where mask is set, in x's dtype; the mask may broadcast x to a larger
    shape (the engine then sums the gradient back)."""
    sh.broadcast_shapes(x.shape, np.shape(mask))  # checked, and bounded
    return np.where(mask, value, x).astype(x.dtype, copy=False)


class MaskedFillBackward0(Unary):
    """x.masked_fill(mask, number): the gradient passes where mask is False."""

    frees = ("mask",)

    def forward(self, x, mask, value):
        self.mask = mask
        return _masked_fill(x, mask, value)

    def backward(self, F, g, x):
        return (F.masked_fill(g, self.mask, 0.0),)


class MaskedFillBackward1(Binary):
    """x.masked_fill(mask, value) with a 0-d tensor value: both get gradients."""

    frees = ("mask",)

    def forward(self, x, value, mask):
        self.mask = mask
        return _masked_fill(x, mask, value)

    def backward(self, F, g, x, value):
        mask = self.mask
        return (F.masked_fill(g, mask, 0.0),
                None if self._next[1] is None else F.sum(F.masked_select(g, mask), None, False))


class FloorBackward0(_ZeroGrad):

    def forward(self, x):
        return np.floor(x) if x.dtype.kind == "f" else x.copy()


class CeilBackward0(_ZeroGrad):

    def forward(self, x):
        return np.ceil(x) if x.dtype.kind == "f" else x.copy()


class RoundBackward0(_ZeroGrad):

    def forward(self, x):
        return np.round(x) if x.dtype.kind == "f" else x.copy()


class RoundBackward1(_ZeroGrad):

    def forward(self, x, decimals):
        return np.round(x, decimals) if x.dtype.kind == "f" else x.copy()


_KEEPS_X: dict = {}  # dtype -> whether np.maximum(bound, x) / np.minimum keep x on a tie


def _keeps_x(dtype: np.dtype) -> bool:
    """Whether numpy's maximum/minimum with the bound first return ``x`` on a tie (so -0.0
    beside a +0.0 bound, and +0.0 beside -0.0, stay as they are) and x's nan unchanged, as
    ATen's ``x < lo ? lo : x``. numpy does not promise which operand a tie gives, so the
    SIMD and scalar loops of this machine's numpy are probed once per dtype, on contiguous,
    strided and short arrays; where they don't keep x, np.where does the work."""
    ok = _KEEPS_X.get(dtype)
    if ok is None:
        ok = True
        base = np.array([-0.0, 0.0, np.nan, -1.0, 1.0, -0.0, 2.0, -np.nan] * 9, dtype)
        for x in (base, base[::3], base[:3], base[1:6], base[:1]):
            for b in (dtype.type(0.0), dtype.type(-0.0)):
                for fn, want in ((np.maximum, np.where(x < b, b, x)),
                                 (np.minimum, np.where(x > b, b, x))):
                    got = fn(b, x)
                    if got.tobytes() != want.tobytes():
                        ok = False
        _KEEPS_X[dtype] = ok
    return ok


def _at_least(x: np.ndarray, lo) -> np.ndarray:
    """x < lo ? lo : x, as ATen's clamp kernels compare: nan stays nan, and where x equals
    a zero bound it is kept, so a -0.0 stays -0.0 (np.maximum(x, 0) would give +0.0)."""
    if x.ndim and (x.dtype.kind != "f" or (lo == lo and _keeps_x(x.dtype))):
        return np.maximum(lo, x)
    return np.where(x < lo, lo, x)


def _at_most(x: np.ndarray, hi) -> np.ndarray:
    """x > hi ? hi : x (see _at_least)."""
    if x.ndim and (x.dtype.kind != "f" or (hi == hi and _keeps_x(x.dtype))):
        return np.minimum(hi, x)
    return np.where(x > hi, hi, x)


class ClampBackward1(Unary):
    """clamp(x, min, max) with number bounds"""

    saves = "x"

    def forward(self, x, lo, hi):
        self.lo, self.hi = lo, hi
        x = _with_scalars(x, *(b for b in (lo, hi) if b is not None))
        out = x if lo is None else _at_least(x, np.asarray(lo, x.dtype))
        out = out if hi is None else _at_most(out, np.asarray(hi, x.dtype))
        return out.copy() if out is x else out

    def backward(self, F, g, x):
        lo, hi = self.lo, self.hi
        if lo is not None and hi is not None:
            return (F.where((x >= lo) & (x <= hi), g, 0.0),)
        return (F.where(x >= lo if hi is None else x <= hi, g, 0.0),)


class ClampBackward0(Nary):
    """clamp(x, min, max) with tensor bounds"""

    saves = "xxx"

    def forward(self, arrays):
        x, lo, hi = arrays
        out = x
        if lo is not None:
            out = np.maximum(out, lo)
        if hi is not None:
            out = np.minimum(out, hi)
        return out.copy() if out is x else out

    def backward(self, F, g, x, lo, hi):
        inside = None
        if lo is not None:
            inside = x >= lo
        if hi is not None:
            inside = (x <= hi) if inside is None else inside & (x <= hi)
        return (F.where(inside, g, 0.0),
                None if lo is None else F.where(x < lo, g, 0.0),
                None if hi is None else F.where(x > hi, g, 0.0))


class ClampMinBackward1(Binary):
    """x.clamp_min(min) with a tensor bound"""

    saves = "xx"

    def forward(self, x, lo):
        return np.maximum(x, lo)

    def backward(self, F, g, x, lo):
        return (F.where(x >= lo, g, 0.0), F.where(x < lo, g, 0.0))


class ClampMaxBackward1(Binary):
    """x.clamp_max(max) with a tensor bound"""

    saves = "xx"

    def forward(self, x, hi):
        return np.minimum(x, hi)

    def backward(self, F, g, x, hi):
        return (F.where(x <= hi, g, 0.0), F.where(x > hi, g, 0.0))


class MaximumBackward0(Binary):
    saves = "xx"

    def forward(self, a, b):
        return np.maximum(a, b)

    def backward(self, F, g, a, b):  # ties split the gradient in half, as torch does
        return (F.masked_fill(F.where(a == b, g / 2, g), a < b, 0.0),
                F.masked_fill(F.where(a == b, g / 2, g), a > b, 0.0))


class MinimumBackward0(Binary):
    saves = "xx"

    def forward(self, a, b):
        return np.minimum(a, b)

    def backward(self, F, g, a, b):
        return (F.masked_fill(F.where(a == b, g / 2, g), a > b, 0.0),
                F.masked_fill(F.where(a == b, g / 2, g), a < b, 0.0))


class WhereBackward0(Binary):
    frees = ("cond",)

    def forward(self, a, b, cond):
        self.cond = cond
        return np.where(cond, a, b)

    def backward(self, F, g, a, b):
        return F.where(self.cond, g, 0.0), F.where(self.cond, 0.0, g)


class CloneBackward0(Unary):

    def forward(self, x, order="K"):  # "K" keeps the memory layout, "C" makes it contiguous
        return x.copy(order=order)

    def backward(self, F, g, x):
        return (g,)


class ToCopyBackward0(Unary):
    """x.to(dtype); the engine casts the gradient back to the input's dtype."""

    def forward(self, x, dtype):
        return x.astype(dtype.np)

    def backward(self, F, g, x):
        return (g,)


class Exp2Backward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(K.rounded(np.exp2))

    def backward(self, F, g, x, result):
        return (g * result * math.log(2.0),)


class Deg2RadBackward0(Unary):
    to_float = True

    def forward(self, x):
        return x * (math.pi / 180.0)

    def backward(self, F, g, x):
        return (g * (math.pi / 180.0),)


class Rad2DegBackward0(Unary):
    to_float = True

    def forward(self, x):
        return x * (180.0 / math.pi)

    def backward(self, F, g, x):
        return (g * (180.0 / math.pi),)


_erf = special.erf  # float64, vectorised: rounded once to the input's dtype below
_erfc = special.erfc
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)
_HALF_SQRT_PI = 0.5 * math.sqrt(math.pi)


class ErfBackward0(Unary):
    """The error function, computed in float64 and rounded once to the input's dtype."""

    saves = "x"
    to_float = True

    def forward(self, x):
        return _erf(x).astype(x.dtype, copy=False)

    def backward(self, F, g, x):
        return (g * (F.exp(x * x * -1.0) * _TWO_OVER_SQRT_PI),)


class LogitBackward0(Unary):
    """log(x / (1 - x)), x first clamped to [eps, 1 - eps] when eps is given."""

    saves = "x"
    to_float = True

    def forward(self, x, eps=None):
        self.eps = eps
        if eps is not None:
            x = np.clip(x, x.dtype.type(eps), x.dtype.type(1 - eps))
        with np.errstate(divide="ignore", invalid="ignore"):
            return np.log(x / (1 - x)).astype(x.dtype, copy=False)

    def backward(self, F, g, x):
        if not F.numpy:
            return (g / (x * (1 - x)),)
        with np.errstate(divide="ignore", invalid="ignore"):
            d = g / (x * (1 - x))
        if self.eps is not None:
            d = np.where((x < self.eps) | (x > 1 - self.eps), 0, d).astype(d.dtype)
        return (d,)


class ErfinvBackward0(Unary):
    """The inverse error function on [-1, 1], computed in float64 and rounded once."""

    saves = "x"
    to_float = True

    def forward(self, x):
        return special.erfinv(x).astype(x.dtype, copy=False)

    def backward(self, F, g, x):
        # torch's formula: 0.5 * sqrt(pi) * exp(self.erfinv().pow(2)) * grad
        inv = F.erfinv(x)
        return (F.exp(inv * inv) * _HALF_SQRT_PI * g,)


class ErfcBackward0(Unary):
    saves = "x"
    to_float = True

    def forward(self, x):
        return _erfc(x).astype(x.dtype, copy=False)

    def backward(self, F, g, x):
        return (g * (F.exp(x * x * -1.0) * -_TWO_OVER_SQRT_PI),)


class Expm1Backward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(K.expm1)

    def backward(self, F, g, x, result):
        return (g * (result + 1),)


class Log1PBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(K.log1p)

    def backward(self, F, g, x):
        return (g / (x + 1),)


class TruncBackward0(_ZeroGrad):

    def forward(self, x):
        return np.trunc(x) if x.dtype.kind == "f" else x.copy()


class FracBackward0(Unary):

    def forward(self, x):
        if x.dtype.kind != "f":
            raise TorchNotImplementedError(f"frac() is not implemented for {dt.BY_NP[x.dtype]} "
                                           "tensors")
        return x - np.trunc(x)

    def backward(self, F, g, x):
        return (g,)


class Atan2Backward0(Binary):
    saves = "xx"
    to_float = True
    forward = staticmethod(np.arctan2)

    def backward(self, F, g, a, b):
        # torch's atan2_backward: recip = 1 / (self*self + other*other), 0 where that is 0;
        # grad * other * recip and grad * -self * recip, in that order
        denom = a * a + b * b
        with np.errstate(divide="ignore"):
            recip = F.masked_fill(1.0 / denom, F.data(denom) == 0, 0.0)
        return g * b * recip, g * -a * recip


def _torch_lerp(a, b, w):
    """ATen's CPU lerp: start + weight * diff where |weight| < 0.5, else
    end + (weight - 1) * diff, each one fused multiply-add (its vectorized kernel)."""
    if a.dtype not in (np.float32, np.float64) or w.dtype != a.dtype or b.dtype != a.dtype:
        return a + w * (b - a)
    fma = fma32 if a.dtype == np.float32 else fma64
    shape = np.broadcast_shapes(a.shape, b.shape, w.shape)
    a, b, w = (np.broadcast_to(v, shape) for v in (a, b, w))
    d = b - a
    small = np.abs(w) < 0.5
    out = np.where(small, fma(w, d, a), fma(w - w.dtype.type(1), d, b))
    return np.asarray(out, a.dtype)


class LerpBackward0(Binary):
    """lerp(start, end, weight) with a number weight"""

    def forward(self, a, b, weight):
        if a.dtype.kind != "f":
            raise TorchNotImplementedError("lerp() is not implemented for integer tensors")
        self.weight = weight
        return _torch_lerp(a, b, np.asarray(weight, a.dtype))

    def backward(self, F, g, a, b):
        return g * (1 - self.weight), g * self.weight


class LerpBackward1(Nary):
    """lerp(start, end, weight) with a tensor weight"""

    saves = "xxx"

    def forward(self, arrays):
        a, b, w = arrays
        if a.dtype == b.dtype == w.dtype and a.dtype in (np.float32, np.float64):
            return _torch_lerp(a, b, w)
        return a + w * (b - a)

    def backward(self, F, g, a, b, w):
        return g * (1 - w), g * w, g * (b - a)


def clone(x: Tensor) -> Tensor:
    return CloneBackward0.apply(x)


def rsub(x: Tensor, number, alpha=1) -> Tensor:
    return RsubBackward1.apply(x, _number(number), alpha)


def pow(x, exponent) -> Tensor:
    if type(x) is not Tensor:
        return PowBackward2.apply(exponent, _number(x))
    if type(exponent) is Tensor:
        return PowBackward1.apply(x, exponent)
    return PowBackward0.apply(x, _number(exponent))


def rtruediv(x: Tensor, number) -> Tensor:
    return MulBackward0.apply(ReciprocalBackward0.apply(x), _number(number))


def remainder(a, b) -> Tensor:
    if type(a) is Tensor and type(b) is not Tensor:
        return RemainderBackward0.apply(a, _number(b))
    return RemainderBackward1.apply(a, b)


def _filled(like: Tensor, number) -> Tensor:
    data = _with_scalars(like._data, number)
    return _wrap(np.full(data.shape, number, data.dtype))


def rsub_formula(x: Tensor, number) -> Tensor:
    """``number - x`` in a backward formula: torch fills a tensor and subtracts."""
    return SubBackward0.apply(_filled(x, number), x)


def rtruediv_formula(x: Tensor, number) -> Tensor:
    """``number / x`` in a backward formula: torch fills a tensor and divides."""
    return DivBackward0.apply(_filled(x, number), x)


# ---- addcmul, addcdiv (the optimizers' updates) ---------------------------------------


_F64 = np.dtype(np.float64)


def _addc_arrays(arrays):
    """The three operands of addcmul/addcdiv in their promoted dtype (a float result)."""
    d = np.result_type(*[a.dtype for a in arrays])
    if any(a.ndim == 0 for a in arrays) and not all(a.ndim == 0 for a in arrays):
        dims = [a.dtype for a in arrays if a.ndim]  # torch: dimensioned operands decide
        if all(x.kind == d.kind for x in dims):
            d = np.result_type(*dims)
    return [a if a.dtype == d else a.astype(d) for a in arrays]


class AddcmulBackward0(Nary):
    """torch.addcmul(input, tensor1, tensor2, value=v): input + v * tensor1 * tensor2,
    computed in torch's order ((v * t1) * t2 + input)."""

    saves = "-oo"

    def forward(self, arrays, value):
        a, t1, t2 = _addc_arrays(arrays)
        sh.broadcast_shapes(sh.broadcast_shapes(a.shape, t1.shape), t2.shape)
        self.value = value
        if a.dtype.kind == "b":
            return a | (t1 & t2) if value else a.copy()
        vt1 = np.asarray(value, a.dtype) * t1
        if a.dtype in (_f32, _F64):  # as torch's vectorised kernel: fma(value * t1, t2, a)
            return (fma32 if a.dtype == _f32 else fma64)(vt1, t2, a)
        return vt1 * t2 + a

    def backward(self, F, g, a, t1, t2):
        v = self.value
        return (g if self._next[0] is not None else None,
                None if t2 is None or self._next[1] is None else g * (t2 * v),
                None if t1 is None or self._next[2] is None else g * (t1 * v))


class AddcdivBackward0(Nary):
    """torch.addcdiv(input, tensor1, tensor2, value=v): input + v * tensor1 / tensor2,
    computed in torch's order ((v * t1) / t2 + input)."""

    saves = "-xx"

    def forward(self, arrays, value):
        a, t1, t2 = _addc_arrays(arrays)
        if t1.dtype.kind in "iub" and t2.dtype.kind in "iub":
            raise TorchRuntimeError(
                "Integer division with addcdiv is no longer supported, and in a future  "
                "release addcdiv will perform a true division of tensor1 and tensor2. The "
                "historic addcdiv behavior can be implemented as (input + value * "
                "torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
                "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv "
                "behavior is just the latter implementation: (input + value * tensor1 / "
                "tensor2), for all dtypes.")
        sh.broadcast_shapes(sh.broadcast_shapes(a.shape, t1.shape), t2.shape)
        self.value = value
        with np.errstate(divide="ignore", invalid="ignore"):
            return (np.asarray(value, a.dtype) * t1) / t2 + a

    def backward(self, F, g, a, t1, t2):
        v = self.value
        return (g if self._next[0] is not None else None,
                None if self._next[1] is None else g * (v / t2),
                None if self._next[2] is None else -g * ((t1 * v) / (t2 * t2)))


def addc_inplace(cls, swapped: bool = False):
    """``Tensor.addcmul_`` / ``addcdiv_``'s kind for ``writes.inplace``: the op with
    ``self`` as its first operand. ``swapped``: the tensors come as (tensor2, tensor1), so
    that the operand ``inplace`` asks about requiring grad is one that does."""

    def apply(x, a, b, value):
        return cls.apply([x, b, a] if swapped else [x, a, b], value)

    return type(cls.__name__, (), {"saves": "-", "saves_result": False,
                                   "apply": staticmethod(apply)})


class NanToNumBackward0(Unary):
    """nan_to_num(input, nan, posinf, neginf): NaN and the infinities replaced by numbers
    (posinf / neginf default to the dtype's largest and smallest finite values); the
    gradient flows where input is finite."""

    saves = "x"

    def forward(self, x, nan, posinf, neginf):
        if x.dtype.kind != "f":
            return x.copy()
        info = np.finfo(x.dtype)

        def fit(v, default):
            v = default if v is None else float(v)
            if v != v:
                return np.asarray(v, x.dtype)
            return np.asarray(v if abs(v) <= info.max else math.copysign(math.inf, v), x.dtype)

        out = np.where(np.isnan(x), fit(nan, 0.0), x)
        out = np.where(np.isposinf(x), fit(posinf, float(info.max)), out)
        return np.where(np.isneginf(x), fit(neginf, float(info.min)), out).astype(x.dtype)

    def backward(self, F, g, x):
        mask = np.isfinite(x if F.numpy else x._data)
        return (g * F.const(mask),)


# ---- xlogy, copysign, fmod, heaviside, ldexp, frexp


def _xlogy(a, b):
    """torch's xlogy: 0 where a == 0 (unless b is nan), else a * log(b)."""
    a, b = np.asarray(a), np.asarray(b)
    with np.errstate(divide="ignore", invalid="ignore"):
        out = a * (K.log(b) if b.dtype in (np.float32, np.float64) else np.log(b))
    return np.where((a == 0) & ~np.isnan(b), np.zeros((), out.dtype), out).astype(out.dtype)


class XlogyBackward0(Binary):
    """xlogy(self, other), both tensors"""

    saves = "xx"
    to_float = True

    def forward(self, a, b):
        return _xlogy(a, b)

    def backward(self, F, g, a, b):
        ga = gb = None
        if self._next[0] is not None:
            # torch (derivatives.yaml): xlogy(grad, other), zeroed only where self == 0 and
            # other <= 0 (self == 0 with other > 0 keeps log(other))
            mask = (F.data(a) == 0) & (F.data(b) <= 0)
            ga = F.masked_fill(_xlogy(g, b) if F.numpy else XlogyBackward0.apply(g, b),
                               mask, 0.0)
        if self._next[1] is not None:
            gb = g * a / b
        return ga, gb


class XlogyBackward1(Unary):
    """xlogy(number, other)"""

    saves = "x"
    to_float = True

    def forward(self, b, number):
        self.number = number
        return _xlogy(np.asarray(number, b.dtype), b)

    def backward(self, F, g, b):
        return (g * self.number / b,)


class XlogyBackward2(Unary):
    """xlogy(self, number)"""

    saves = "x"
    to_float = True

    def forward(self, a, number):
        self.number = number
        return _xlogy(a, np.asarray(number, a.dtype))

    def backward(self, F, g, a):
        # torch (derivatives.yaml xlogy.Scalar_Other): xlogy(grad, other), zeroed where
        # self == 0 only when other <= 0
        other = np.asarray(self.number, F.data(g).dtype)
        xl = _xlogy(g, other) if F.numpy else XlogyBackward2.apply(g, self.number)
        return (xl if self.number > 0 else F.masked_fill(xl, F.data(a) == 0, 0.0),)


def _copysign_self_grad(F, g, a, result):
    """torch's copysign_tensor_self_backward: grad * result / self, 0 where self is 0."""
    with np.errstate(divide="ignore", invalid="ignore"):
        return F.masked_fill(g * (result / a), a == 0, 0.0)


class CopysignBackward0(Binary):
    """copysign(self, other), both tensors"""

    saves = "x-"
    saves_result = True
    to_float = True
    forward = staticmethod(np.copysign)

    def backward(self, F, g, a, b, result):
        ga = None if self._next[0] is None else _copysign_self_grad(F, g, a, result)
        gb = None if self._next[1] is None else F.zeros_like(g)
        return ga, gb


class CopysignBackward1(Unary):
    """copysign(self, number)"""

    saves = "x"
    saves_result = True
    to_float = True

    def forward(self, a, number):
        return np.copysign(a, np.asarray(number, a.dtype))

    def backward(self, F, g, a, result):
        return (_copysign_self_grad(F, g, a, result),)


class FmodBackward0(Unary):
    """fmod(self, number)"""

    def forward(self, x, other):
        return _int_checked(np.fmod, _with_scalars(x, other), other)

    def backward(self, F, g, x):
        return (g,)


class FmodBackward1(Binary):
    """fmod(self, other), both tensors"""

    saves = "ox"

    def forward(self, a, b):
        return _int_checked(np.fmod, a, b)

    def backward(self, F, g, a, b):
        if a is None:
            return g, None
        q = a / b
        return g, -g * (np.trunc(q) if F.numpy else TruncBackward0.apply(q))


class Heaviside(FloorDivide):
    """heaviside(input, values): not differentiable in torch (its grad_fn raises)."""

    def forward(self, a, b):
        return np.where(a == 0, b, (a > 0).astype(a.dtype)).astype(a.dtype)

    def backward(self, F, g, a, b):
        raise TorchRuntimeError("derivative for aten::heaviside is not implemented")


Heaviside.__name__ = Heaviside.__qualname__ = "NotImplemented"


class LdexpBackward0(Binary):
    """ldexp(self, other): self * 2 ** other"""

    saves = "xx"
    to_float = True

    def forward(self, a, b):
        return a * np.exp2(b).astype(a.dtype)

    def backward(self, F, g, a, b):
        if F.numpy:
            p = np.exp2(b).astype(g.dtype)
            return g * p, (None if self._next[1] is None else g * a * np.log(2.0) * p)
        p = 2.0 ** b
        return g * p, (None if self._next[1] is None else g * a * math.log(2.0) * p)


class FrexpBackward0(Unary):
    """frexp(self): the mantissa (this node's output) and the exponent (an int32 tensor)."""

    frees = ("exponent",)
    float_only = True

    def forward(self, x):
        mantissa, exponent = np.frexp(x)
        self.exponent = exponent.astype(np.int32)
        return mantissa.astype(x.dtype)

    def backward(self, F, g, x):
        return (g / np.exp2(self.exponent).astype(F.data(g).dtype),)

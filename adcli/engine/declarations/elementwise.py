"""Elementwise ops: arithmetic, powers, exponentials, trigonometry, rounding, comparisons.

One ``Op`` per op (see ``adcli/engine/declare.py``): its torch names, its grad_fn classes
(forward and backward side by side in ``engine/ops/``), its JVP and its doc line.
A JVP is ``(F, tangents, inputs, result) -> tangent``, with ``None`` for a tangent that
is zero; ``F`` is the array backend.
"""

from __future__ import annotations

import math

from adcli.engine import api as A
from adcli.engine import nn_functional as NF
from adcli.engine import ops as O
from adcli.engine.declare import Op, family, unary_inplace


def _sum_of(*terms):
    """The sum of the terms that are not None (a JVP's contributions), or None."""
    out = None
    for t in terms:
        if t is not None:
            out = t if out is None else out + t
    return out


def _scaled(t, k):
    return None if t is None else t * k


# fmt: off
OPS = family(
    "Elementwise",
    Op("add", "input + alpha * other", A.add, (O.AddBackward0,),
       operators={"__add__": O.AddBackward0.apply, "__radd__": O.AddBackward0.apply,
                  "__iadd__": A._add_},
       inplace=A._add_,
       jvp=lambda F, t, x, r: _sum_of(t[0], t[1]),
       calculus={"AddBackward0": (("self", "grad"), ("other", "grad * alpha"))}),
    Op("sub", "input - alpha * other", A.sub, (O.SubBackward0, O.RsubBackward1),
       aliases=("subtract",),
       operators={"__sub__": O.SubBackward0.apply, "__rsub__": A._rsub_operator,
                  "__isub__": A._sub_},
       inplace=A._sub_,
       jvp=lambda F, t, x, r: _sum_of(t[0], None if t[1] is None else -t[1]),
       calculus={
           "SubBackward0": (("self", "grad"), ("other", "-grad * alpha")),
           "RsubBackward1": (("self", "-grad * alpha"),),
       }),
    Op("rsub", "other - alpha * input", A.rsub, (O.RsubBackward1, O.SubBackward0),
       method=False),
    Op("mul", "input * other", A.mul, (O.MulBackward0, O.MulBackward1), aliases=("multiply",),
       operators={"__mul__": O.MulBackward0.apply, "__rmul__": O.MulBackward0.apply,
                  "__imul__": A._mul_},
       inplace=A._mul_,
       jvp=lambda F, t, x, r: _sum_of(_scaled(t[0], x[1]), _scaled(t[1], x[0])),
       calculus={
           "MulBackward0": (("self", "grad * other"), ("other", "grad * self")),
           "MulBackward1": (("self", "grad * other"),),
       }),
    Op("div", "input / other, rounded as rounding_mode says", A.div,
       (O.DivBackward0, O.DivBackward1, O.DivBackward2), aliases=("divide", "true_divide"),
       operators={"__truediv__": O.DivBackward0.apply, "__rtruediv__": A._rtruediv_operator,
                  "__itruediv__": A._div_},
       inplace=A._div_,
       jvp=lambda F, t, x, r: _sum_of(_scaled(t[0], 1 / x[1]),
                                      _scaled(t[1], -r / x[1])),
       calculus={
           "DivBackward0": (
               ("self", "grad / other"),
               ("other", "grad * (-self / (other * other))")),
           "DivBackward1": (("self", "grad / other"),),
           "DivBackward2": (("self", "zeros_like(grad)"), ("other", "zeros_like(grad)")),
       }),
    Op("floor_divide", "input // other", A.floor_divide, (),
       operators={"__floordiv__": A.floor_divide,
                  "__rfloordiv__": A._reverse(A.floor_divide)}),
    Op("remainder", "input % other, with the sign of other", A.remainder,
       (O.RemainderBackward0, O.RemainderBackward1),
       operators={"__mod__": A.remainder, "__rmod__": A._reverse(A.remainder)},
       calculus={
           "RemainderBackward0": (("self", "grad"),),
           "RemainderBackward1": (("self", "grad"), ("other", "-grad * floor(self / other)")),
       }),
    Op("neg", "-input", A.neg, (O.NegBackward0,), aliases=("negative",),
       method=O.NegBackward0.apply, inplace=A._neg_,
       operators={"__neg__": O.NegBackward0.apply},
       jvp=lambda F, t, x, r: -t[0],
       calculus={"NegBackward0": (("self", "-grad"),)}),
    Op("positive", "+input (input itself)", A._pos, (), operators={"__pos__": A._pos}),
    Op("pow", "input ** exponent", A.pow, (O.PowBackward0, O.PowBackward1, O.PowBackward2),
       operators={"__pow__": A.pow, "__rpow__": A._rpow, "__ipow__": A._pow_},
       inplace=A._pow_,
       calculus={
           "PowBackward0": (("self", "grad * exponent * self ** (exponent - 1)"),),
           "PowBackward1": (
               ("self", "grad * where(exponent == 0, 0, exponent * self ** (exponent - 1))"),
               ("exponent", "grad * where((self == 0) & (exponent >= 0), 0, result * log(self))")),
           "PowBackward2": (
               ("exponent", "grad * where((base == 0) & (exponent >= 0), 0, result * log(base))"),),
       }),
    Op("square", "input ** 2", A.square, (O.PowBackward0,),
       jvp=lambda F, t, x, r: t[0] * (2 * x[0])),
    Op("reciprocal", "1 / input", A.reciprocal, (O.ReciprocalBackward0,),
       jvp=lambda F, t, x, r: -t[0] * r * r,
       calculus={"ReciprocalBackward0": (("self", "-grad * (result * result)"),)}),
    Op("exp", "e ** input", A.exp, (O.ExpBackward0,), method=O.ExpBackward0.apply,
       inplace=unary_inplace(O.ExpBackward0), jvp=lambda F, t, x, r: t[0] * r,
       calculus={"ExpBackward0": (("self", "grad * result"),)}),
    Op("exp2", "2 ** input", A.exp2, (O.Exp2Backward0,),
       calculus={"Exp2Backward0": (("self", "grad * (result * log(2))"),)}),
    Op("erf", "the error function", grad_fn=(O.ErfBackward0,),
       inplace=unary_inplace(O.ErfBackward0),
       jvp=lambda F, t, x, r: t[0] * (F.exp(x[0] * x[0] * -1.0) * (2 / math.sqrt(math.pi))),
       calculus={"ErfBackward0": (("self", "grad * (2 / sqrt(pi) * exp(-self * self))"),)}),
    Op("logit", "log(input / (1 - input)), input clamped to [eps, 1 - eps] if given",
       A.logit, (O.LogitBackward0,), inplace=A._logit_,
       calculus={
           "LogitBackward0": (
               ("self", "grad / (self * (1 - self)) if eps is None else grad * where((self < eps) "
                        "| (self > 1 - eps), 0, 1 / (self * (1 - self)))"),),
       }),
    Op("erfc", "1 - erf(input)", grad_fn=(O.ErfcBackward0,),
       inplace=unary_inplace(O.ErfcBackward0),
       jvp=lambda F, t, x, r: t[0] * (F.exp(x[0] * x[0] * -1.0) * (-2 / math.sqrt(math.pi))),
       calculus={"ErfcBackward0": (("self", "grad * (-2 / sqrt(pi) * exp(-self * self))"),)}),
    Op("erfinv", "the inverse of erf, on [-1, 1]", grad_fn=(O.ErfinvBackward0,),
       inplace=unary_inplace(O.ErfinvBackward0),
       jvp=lambda F, t, x, r: t[0] * (F.exp(r * r) * (0.5 * math.sqrt(math.pi))),
       calculus={"ErfinvBackward0": (("self", "grad * (sqrt(pi) / 2 * exp(erfinv(self) ** 2))"),)}),
    Op("expm1", "e ** input - 1", A.expm1, (O.Expm1Backward0,),
       jvp=lambda F, t, x, r: t[0] * (r + 1),
       calculus={"Expm1Backward0": (("self", "grad * (result + 1)"),)}),
    Op("log", "the natural logarithm", A.log, (O.LogBackward0,),
       method=O.LogBackward0.apply, jvp=lambda F, t, x, r: t[0] / x[0],
       calculus={"LogBackward0": (("self", "grad / self"),)}),
    Op("log2", "the base-2 logarithm", A.log2, (O.Log2Backward0,),
       calculus={"Log2Backward0": (("self", "grad / (self * log(2))"),)}),
    Op("log10", "the base-10 logarithm", A.log10, (O.Log10Backward0,),
       calculus={"Log10Backward0": (("self", "grad / (self * log(10))"),)}),
    Op("log1p", "log(1 + input)", A.log1p, (O.Log1PBackward0,),
       jvp=lambda F, t, x, r: t[0] / (x[0] + 1),
       calculus={"Log1PBackward0": (("self", "grad / (self + 1)"),)}),
    Op("sqrt", "the square root", A.sqrt, (O.SqrtBackward0,), method=O.SqrtBackward0.apply,
       inplace=unary_inplace(O.SqrtBackward0), jvp=lambda F, t, x, r: t[0] / (2 * r),
       calculus={"SqrtBackward0": (("self", "grad / (2 * result)"),)}),
    Op("rsqrt", "1 / sqrt(input)", A.rsqrt, (O.RsqrtBackward0,),
       jvp=lambda F, t, x, r: t[0] * (-0.5 * r * r * r),
       calculus={"RsqrtBackward0": (("self", "grad * (-0.5 * result ** 3)"),)}),
    Op("sin", "the sine", A.sin, (O.SinBackward0,), method=O.SinBackward0.apply,
       jvp=lambda F, t, x, r: t[0] * F.cos(x[0]),
       calculus={"SinBackward0": (("self", "grad * cos(self)"),)}),
    Op("cos", "the cosine", A.cos, (O.CosBackward0,), method=O.CosBackward0.apply,
       jvp=lambda F, t, x, r: -t[0] * F.sin(x[0]),
       calculus={"CosBackward0": (("self", "grad * -sin(self)"),)}),
    Op("tan", "the tangent", A.tan, (O.TanBackward0,),
       jvp=lambda F, t, x, r: t[0] * (1 + r * r),
       calculus={"TanBackward0": (("self", "grad * (1 + result ** 2)"),)}),
    Op("asin", "the inverse sine", A.asin, (O.AsinBackward0,), aliases=("arcsin",),
       calculus={"AsinBackward0": (("self", "grad * rsqrt(1 - self * self)"),)}),
    Op("acos", "the inverse cosine", A.acos, (O.AcosBackward0,), aliases=("arccos",),
       calculus={"AcosBackward0": (("self", "grad * -rsqrt(1 - self * self)"),)}),
    Op("atan", "the inverse tangent", A.atan, (O.AtanBackward0,), aliases=("arctan",),
       jvp=lambda F, t, x, r: t[0] / (1 + x[0] * x[0]),
       calculus={"AtanBackward0": (("self", "grad / (self * self + 1)"),)}),
    Op("asinh", "the inverse hyperbolic sine", A.asinh, (O.AsinhBackward0,),
       aliases=("arcsinh",),
       calculus={"AsinhBackward0": (("self", "grad * rsqrt(self * self + 1)"),)}),
    Op("acosh", "the inverse hyperbolic cosine", A.acosh, (O.AcoshBackward0,),
       aliases=("arccosh",),
       calculus={"AcoshBackward0": (("self", "grad * rsqrt(self * self - 1)"),)}),
    Op("atanh", "the inverse hyperbolic tangent", A.atanh, (O.AtanhBackward0,),
       aliases=("arctanh",),
       calculus={"AtanhBackward0": (("self", "grad / (1 - self * self)"),)}),
    Op("atan2", "the angle of (other, input)", A.atan2, (O.Atan2Backward0,),
       aliases=("arctan2",),
       calculus={
           "Atan2Backward0": (
               ("self", "grad * (other / (self * self + other * other))"),
               ("other", "grad * (-self / (self * self + other * other))")),
       }),
    Op("deg2rad", "degrees to radians", grad_fn=(O.Deg2RadBackward0,),
       inplace=unary_inplace(O.Deg2RadBackward0), jvp=lambda F, t, x, r: t[0] * (math.pi / 180),
       calculus={"Deg2RadBackward0": (("self", "grad * (pi / 180)"),)}),
    Op("rad2deg", "radians to degrees", grad_fn=(O.Rad2DegBackward0,),
       inplace=unary_inplace(O.Rad2DegBackward0), jvp=lambda F, t, x, r: t[0] * (180 / math.pi),
       calculus={"Rad2DegBackward0": (("self", "grad * (180 / pi)"),)}),
    Op("sinh", "the hyperbolic sine", A.sinh, (O.SinhBackward0,),
       jvp=lambda F, t, x, r: t[0] * F.cosh(x[0]),
       calculus={"SinhBackward0": (("self", "grad * cosh(self)"),)}),
    Op("cosh", "the hyperbolic cosine", A.cosh, (O.CoshBackward0,),
       jvp=lambda F, t, x, r: t[0] * F.sinh(x[0]),
       calculus={"CoshBackward0": (("self", "grad * sinh(self)"),)}),
    Op("tanh", "the hyperbolic tangent", A.tanh, (O.TanhBackward0,),
       method=O.TanhBackward0.apply, nn=NF.tanh, inplace=unary_inplace(O.TanhBackward0),
       jvp=lambda F, t, x, r: t[0] * (1 - r * r),
       calculus={"TanhBackward0": (("self", "grad * (1 - result * result)"),)}),
    Op("sigmoid", "1 / (1 + e ** -input)", A.sigmoid, (O.SigmoidBackward0,),
       method=O.SigmoidBackward0.apply, nn=NF.sigmoid, inplace=unary_inplace(O.SigmoidBackward0),
       jvp=lambda F, t, x, r: t[0] * (r * (1 - r)),
       calculus={"SigmoidBackward0": (("self", "grad * (result * (1 - result))"),)}),
    Op("relu", "max(input, 0)", A.relu, (O.ReluBackward0,), method=O.ReluBackward0.apply,
       nn=NF.relu, inplace=unary_inplace(O.ReluBackward0),
       calculus={"ReluBackward0": (("self", "grad * (result > 0)"),)}),
    Op("abs", "the absolute value", A.abs, (O.AbsBackward0,), aliases=("absolute",),
       method=O.AbsBackward0.apply, inplace=unary_inplace(O.AbsBackward0),
       operators={"__abs__": O.AbsBackward0.apply},
       jvp=lambda F, t, x, r: t[0] * F.sign(x[0]),
       calculus={"AbsBackward0": (("self", "grad * sgn(self)"),)}),
    Op("sign", "-1, 0 or 1", A.sign, (O.SignBackward0,),
       calculus={"SignBackward0": (("self", "zeros_like(grad)"),)}),
    Op("sgn", "the sign (x / |x| for complex)", A.sgn, (O.SgnBackward0,),
       calculus={"SgnBackward0": (("self", "zeros_like(grad)"),)}),
    Op("masked_fill", "value where mask is set, input elsewhere", A.masked_fill,
       (O.MaskedFillBackward0, O.MaskedFillBackward1, O.WhereBackward0), in_torch=True,
       calculus={
           "MaskedFillBackward0": (("self", "grad.masked_fill(mask, 0)"),),
           "MaskedFillBackward1": (
               ("self", "grad.masked_fill(mask, 0)"),
               ("value", "grad.masked_select(mask).sum()")),
       }),
    Op("floor", "rounded down", A.floor, (O.FloorBackward0,),
       calculus={"FloorBackward0": (("self", "zeros_like(grad)"),)}),
    Op("ceil", "rounded up", A.ceil, (O.CeilBackward0,),
       calculus={"CeilBackward0": (("self", "zeros_like(grad)"),)}),
    Op("round", "rounded half to even, to decimals places", A.round,
       (O.RoundBackward0, O.RoundBackward1),
       calculus={
           "RoundBackward0": (("self", "zeros_like(grad)"),),
           "RoundBackward1": (("self", "zeros_like(grad)"),),
       }),
    Op("trunc", "rounded toward zero", A.trunc, (O.TruncBackward0,), aliases=("fix",),
       calculus={"TruncBackward0": (("self", "zeros_like(grad)"),)}),
    Op("frac", "input - trunc(input)", A.frac, (O.FracBackward0,),
       calculus={"FracBackward0": (("self", "grad"),)}),
    Op("clamp", "input limited to [min, max]", A.clamp, (O.ClampBackward1, O.ClampBackward0),
       aliases=("clip",), inplace=A._clamp_, inplace_aliases=("clip_",),
       calculus={
           "ClampBackward1": (("self", "grad * ((self >= min) & (self <= max))"),),
           "ClampBackward0": (
               ("self", "grad * ((self >= min) & (self <= max))"),
               ("min", "grad * (self < min)"),
               ("max", "grad * (self > max)")),
       }),
    Op("clamp_min", "input limited below by min", A.clamp_min,
       (O.ClampMinBackward0, O.ClampMinBackward1), inplace=A._clamp_min_,
       calculus={"ClampMinBackward0": (("self", "grad * (self >= min)"),),
                 "ClampMinBackward1": (("self", "grad * (self >= min)"),
                                       ("min", "grad * (self < min)"))}),
    Op("clamp_max", "input limited above by max", A.clamp_max,
       (O.ClampMaxBackward0, O.ClampMaxBackward1), inplace=A._clamp_max_,
       calculus={"ClampMaxBackward0": (("self", "grad * (self <= max)"),),
                 "ClampMaxBackward1": (("self", "grad * (self <= max)"),
                                       ("max", "grad * (self > max)"))}),
    Op("where", "input where condition is set, other elsewhere", A.where, (O.WhereBackward0,),
       method=lambda input, condition, other: A.where(condition, input, other),
       calculus={
           "WhereBackward0": (
               ("self", "where(condition, grad, 0)"),
               ("other", "where(condition, 0, grad)")),
       }),
    Op("maximum", "the larger of input and other", A.maximum, (O.MaximumBackward0,),
       calculus={
           "MaximumBackward0": (
               ("self", "where(self == other, grad / 2, grad).masked_fill(self < other, 0)"),
               ("other", "where(self == other, grad / 2, grad).masked_fill(self > other, 0)")),
       }),
    Op("minimum", "the smaller of input and other", A.minimum, (O.MinimumBackward0,),
       calculus={
           "MinimumBackward0": (
               ("self", "where(self == other, grad / 2, grad).masked_fill(self > other, 0)"),
               ("other", "where(self == other, grad / 2, grad).masked_fill(self < other, 0)")),
       }),
    Op("lerp", "input + weight * (end - input)", A.lerp, (O.LerpBackward0, O.LerpBackward1),
       calculus={
           "LerpBackward0": (("self", "grad * (1 - weight)"), ("end", "grad * weight")),
           "LerpBackward1": (
               ("self", "grad * (1 - weight)"),
               ("end", "grad * weight"),
               ("weight", "grad * (end - self)")),
       }),
    Op("addcmul", "input + value * tensor1 * tensor2", A.addcmul, (O.AddcmulBackward0,),
       inplace=A._addcmul_,
       calculus={
           "AddcmulBackward0": (
               ("self", "grad"),
               ("tensor1", "grad * (tensor2 * value)"),
               ("tensor2", "grad * (tensor1 * value)")),
       }),
    Op("addcdiv", "input + value * tensor1 / tensor2", A.addcdiv, (O.AddcdivBackward0,),
       inplace=A._addcdiv_,
       calculus={
           "AddcdivBackward0": (
               ("self", "grad"),
               ("tensor1", "grad * (value / tensor2)"),
               ("tensor2", "grad * (-value * tensor1 / (tensor2 * tensor2))")),
       }),
    Op("nan_to_num", "NaN, inf and -inf replaced by numbers", A.nan_to_num,
       (O.NanToNumBackward0,), inplace=A._nan_to_num_,
       calculus={"NanToNumBackward0": (("self", "grad * isfinite(self)"),)}),
)

COMPARISONS = family(
    "Comparisons and tests",
    Op("eq", "input == other, a bool tensor", A.eq, operators={"__eq__": A._eq_op}),
    Op("ne", "input != other", A.ne, aliases=("not_equal",), operators={"__ne__": A._ne_op}),
    Op("lt", "input < other", A.lt, aliases=("less",), operators={"__lt__": A.lt}),
    Op("le", "input <= other", A.le, aliases=("less_equal",), operators={"__le__": A.le}),
    Op("gt", "input > other", A.gt, aliases=("greater",), operators={"__gt__": A.gt}),
    Op("ge", "input >= other", A.ge, aliases=("greater_equal",), operators={"__ge__": A.ge}),
    Op("allclose", "whether all elements are close (a bool)", A.allclose),
    Op("isclose", "where the elements are close", A.isclose),
    Op("equal", "whether the shapes and elements are equal (a bool)", A.equal),
    Op("isnan", "where input is nan", A.isnan),
    Op("isinf", "where input is infinite", A.isinf),
    Op("isfinite", "where input is finite", A.isfinite),
    Op("logical_not", "not input, elementwise", A.logical_not),
    Op("logical_and", "input and other, elementwise", A.logical_and),
    Op("logical_or", "input or other, elementwise", A.logical_or),
    Op("bitwise_not", "~input", A._bitwise_not, operators={"__invert__": A._invert}),
    Op("bitwise_and", "input & other", A.bitwise_and,
       operators={"__and__": A.bitwise_and, "__rand__": A.bitwise_and}),
    Op("bitwise_or", "input | other", A.bitwise_or,
       operators={"__or__": A.bitwise_or, "__ror__": A.bitwise_or}),
    Op("bitwise_xor", "input ^ other", A.bitwise_xor,
       operators={"__xor__": A.bitwise_xor, "__rxor__": A.bitwise_xor}),
    Op("bitwise_left_shift", "input << other", A.bitwise_left_shift,
       operators={"__lshift__": A.bitwise_left_shift, "__rlshift__": A._rlshift}),
    Op("bitwise_right_shift", "input >> other", A.bitwise_right_shift,
       operators={"__rshift__": A.bitwise_right_shift, "__rrshift__": A._rrshift}),
    Op("is_tensor", "whether obj is a tensor", A.is_tensor, method=False),
    Op("xlogy", "input * log(other), 0 where input is 0", A.xlogy,
       (O.XlogyBackward0, O.XlogyBackward1, O.XlogyBackward2), inplace=A._xlogy_,
       calculus={
           "XlogyBackward0": (
               ("self", "where(self == 0, 0, grad * log(other))"),
               ("other", "grad * self / other")),
           "XlogyBackward1": (("other", "grad * value / other"),),
           "XlogyBackward2": (("self", "where(self == 0, 0, grad * log(other))"),),
       }),
    Op("copysign", "the magnitude of input with the sign of other", A.copysign,
       (O.CopysignBackward0, O.CopysignBackward1), inplace=A._copysign_,
       calculus={
           "CopysignBackward0": (
               ("self", "where(self == 0, 0, grad * result / self)"),
               ("other", "zeros_like(grad)")),
           "CopysignBackward1": (("self", "where(self == 0, 0, grad * result / self)"),),
       }),
    Op("fmod", "the C remainder of input / other (the sign of input)", A.fmod,
       (O.FmodBackward0, O.FmodBackward1), inplace=A._fmod_,
       calculus={
           "FmodBackward0": (("self", "grad"),),
           "FmodBackward1": (("self", "grad"), ("other", "-grad * (self / other).trunc()")),
       }),
    Op("heaviside", "the step function: 0 below 0, 1 above, values at 0", A.heaviside,
       (), inplace=A._heaviside_),
    Op("ldexp", "input * 2 ** other", A.ldexp, (O.LdexpBackward0,), inplace=A._ldexp_,
       calculus={
           "LdexpBackward0": (
               ("self", "grad * 2 ** other"),
               ("other", "grad * self * log(2) * 2 ** other")),
       }),
    Op("frexp", "(mantissa, exponent) with input = mantissa * 2 ** exponent", A.frexp,
       (O.FrexpBackward0,),
       calculus={"FrexpBackward0": (("self", "grad / 2 ** exponent"),)}),
    Op("float_power", "input ** exponent in float64", A.float_power,
       (O.PowBackward0, O.PowBackward1, O.PowBackward2), inplace=A._float_power_),
    Op("signbit", "whether the sign bit is set (True for -0.0)", A.signbit),
    Op("isin", "whether each element is in test_elements", A.isin, method=False),
)
# fmt: on

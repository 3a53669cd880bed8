"""Special functions: the gamma family, Bessel functions, sinc, hypot, logaddexp, gcd,
and the ``torch.special`` namespace.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/special.py`` and their numerics in ``engine/gamma.py``. The
ops that torch has only under ``torch.special`` are declared with ``in_torch=False`` and no
method; ``SPECIAL`` gives every ``torch.special`` name the op it calls (by the op's torch
name), and ``special_functions()`` resolves them.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine.declare import Op, family, unary_inplace

# fmt: off
OPS = family(
    "Special functions",
    Op("hypot", "sqrt(input ** 2 + other ** 2), without overflow", A.hypot,
       (O.HypotBackward0,), inplace=A._hypot_,
       calculus={"HypotBackward0": (("self", "grad * self / result"),
                                    ("other", "grad * other / result"))}),
    Op("logaddexp", "log(exp(input) + exp(other)), without overflow", A.logaddexp,
       (O.LogaddexpBackward0,),
       jvp=lambda F, t, x, r: _sum2(t, (1 / (1 + F.exp(x[1] - x[0])),
                                        1 / (1 + F.exp(x[0] - x[1])))),
       calculus={"LogaddexpBackward0": (("self", "grad / (1 + exp(other - self))"),
                                        ("other", "grad / (1 + exp(self - other))"))}),
    Op("logaddexp2", "log2(2 ** input + 2 ** other)", A.logaddexp2, (O.Logaddexp2Backward0,),
       calculus={"Logaddexp2Backward0": (("self", "grad / (1 + 2 ** (other - self))"),
                                         ("other", "grad / (1 + 2 ** (self - other))"))}),
    Op("nextafter", "the next float after input towards other", A.nextafter,
       (O.NextafterBackward0,), inplace=A._nextafter_,
       calculus={"NextafterBackward0": (("self", "where(self != other, grad, 0)"),
                                        ("other", "zeros_like(grad)"))}),
    Op("gcd", "the greatest common divisor (integers)", A.gcd, (), inplace=A._gcd_),
    Op("lcm", "the least common multiple (integers)", A.lcm, (), inplace=A._lcm_),
    Op("lgamma", "log |Gamma(input)|", A.lgamma, (O.LgammaBackward0,),
       inplace=unary_inplace(O.LgammaBackward0),
       calculus={"LgammaBackward0": (("self", "grad * self.digamma()"),)}),
    Op("digamma", "d/dx lgamma(x), psi", A.digamma, (O.DigammaBackward0,),
       inplace=unary_inplace(O.DigammaBackward0),
       calculus={"DigammaBackward0": (("self", "grad * self.polygamma(1)"),)}),
    Op("polygamma", "the n-th derivative of digamma: polygamma(n, input)", A.polygamma,
       (O.PolygammaBackward0,), method=A._polygamma_method,
       calculus={"PolygammaBackward0": (("self", "grad * self.polygamma(n + 1)"),)}),
    Op("polygamma_", "x.polygamma_(n): polygamma in place", A._polygamma_,
       (O.PolygammaBackward0,), in_torch=False),
    Op("mvlgamma", "the multivariate log-gamma function of dimension p", A.mvlgamma,
       (O.MvlgammaBackward0,), inplace=A._mvlgamma_,
       calculus={"MvlgammaBackward0": (
           ("self", "grad * (arange(-p / 2 + 0.5, 0.5, 0.5) + self.unsqueeze(-1)).digamma()"
                    ".sum(-1)"),)}),
    Op("sinc", "sin(pi input) / (pi input), 1 at 0", A.sinc, (O.SincBackward0,),
       inplace=unary_inplace(O.SincBackward0),
       calculus={"SincBackward0": (
           ("self", "where(self == 0, 0, grad * (pi * self * cos(pi * self) - sin(pi * self)) "
                    "/ (pi * self * self))"),)}),
    Op("i0", "the modified Bessel function of the first kind, order 0", A.i0,
       (O.I0Backward0,), inplace=unary_inplace(O.I0Backward0),
       calculus={"I0Backward0": (("self", "grad * special_i1(self)"),)}),
    # torch.special only
    Op("entr", "torch.special.entr: -input * log(input), 0 at 0", A.special_entr,
       (O.SpecialEntrBackward0,), in_torch=False, method=False,
       calculus={"SpecialEntrBackward0": (("self", "grad * -(1 + log(self))"),)}),
    Op("ndtr", "torch.special.ndtr: the standard normal CDF, (1 + erf(input / sqrt(2))) / 2",
       A.special_ndtr, (O.MulBackward1,), in_torch=False, method=False),
    Op("ndtri", "torch.special.ndtri: the inverse of the standard normal CDF",
       A.special_ndtri, (O.SpecialNdtriBackward0,), in_torch=False, method=False,
       calculus={"SpecialNdtriBackward0": (
           ("self", "grad * sqrt(2 * pi) * exp(result ** 2 / 2)"),)}),
    Op("log_ndtr", "torch.special.log_ndtr: log of the standard normal CDF",
       A.special_log_ndtr, (O.SpecialLogNdtrBackward0,), in_torch=False, method=False,
       calculus={"SpecialLogNdtrBackward0": (
           ("self", "grad / sqrt(2 * pi) * exp(-(result + self ** 2 / 2))"),)}),
    Op("i0e", "torch.special.i0e: exp(-|input|) * i0(input)", A.special_i0e,
       (O.SpecialI0EBackward0,), in_torch=False, method=False,
       calculus={"SpecialI0EBackward0": (
           ("self", "grad * (special_i1e(self) - sgn(self) * result)"),)}),
    Op("i1", "torch.special.i1: the modified Bessel function of the first kind, order 1",
       A.special_i1, (O.SpecialI1Backward0,), in_torch=False, method=False,
       calculus={"SpecialI1Backward0": (
           ("self", "where(self == 0, grad / 2, grad * (self.i0() - result / self))"),)}),
    Op("i1e", "torch.special.i1e: exp(-|input|) * i1(input)", A.special_i1e,
       (O.SpecialI1EBackward0,), in_torch=False, method=False,
       calculus={"SpecialI1EBackward0": (
           ("self", "where(self == 0, grad / 2, grad * (special_i0e(self) - result * "
                    "(sgn(self) + 1 / self)))"),)}),
    Op("erfcx", "torch.special.erfcx: exp(input ** 2) * erfc(input)", A.special_erfcx,
       (O.SpecialErfcxBackward0,), in_torch=False, method=False,
       calculus={"SpecialErfcxBackward0": (
           ("self", "grad * (2 * self * result - 2 / sqrt(pi))"),)}),
    Op("xlog1py", "torch.special.xlog1py: input * log1p(other), 0 where input is 0",
       A.special_xlog1py,
       (O.SpecialXlog1PyBackward0, O.SpecialXlog1PyBackward1, O.SpecialXlog1PyBackward2),
       in_torch=False, method=False,
       calculus={
           "SpecialXlog1PyBackward0": (
               ("self", "where((self == 0) & (other <= -1), 0, special_xlog1py(grad, other))"),
               ("other", "grad * self / (other + 1)")),
           "SpecialXlog1PyBackward1": (
               ("self", "where((self == 0) & (other <= -1), 0, special_xlog1py(grad, other))"),
               ("other", "grad * self / (other + 1)")),
           "SpecialXlog1PyBackward2": (
               ("self", "where((self == 0) & (other <= -1), 0, special_xlog1py(grad, other))"),
               ("other", "grad * self / (other + 1)")),
       }),
    Op("zeta", "torch.special.zeta: the Hurwitz zeta function sum_k (k + other) ** -input",
       A.special_zeta,
       (O.SpecialZetaBackward0, O.SpecialZetaBackward1, O.SpecialZetaBackward2),
       in_torch=False, method=False,
       calculus={
           "SpecialZetaBackward0": (
               ("self", 'raises("the derivative for \'zeta\' is not implemented.")'),
               ("other", "grad * -self * special_zeta(self + 1, other)")),
           "SpecialZetaBackward1": (
               ("self", 'raises("the derivative for \'zeta\' is not implemented.")'),
               ("other", "grad * -self * special_zeta(self + 1, other)")),
           "SpecialZetaBackward2": (
               ("self", 'raises("the derivative for \'zeta\' is not implemented.")'),
               ("other", "grad * -self * special_zeta(self + 1, other)")),
       }),
    Op("multigammaln", "torch.special.multigammaln: mvlgamma", A.special_multigammaln,
       (O.MvlgammaBackward0,), in_torch=False, method=False),
)
# fmt: on


def _sum2(t, factors):
    out = None
    for tangent, k in zip(t, factors):
        if tangent is not None:
            term = tangent * k
            out = term if out is None else out + term
    return out


# torch.special's names: each the op it calls, by the op's torch (or special-only) name,
# or the function itself where torch.special's differs from torch's
SPECIAL = {
    "expit": "sigmoid", "logit": "logit", "erf": "erf", "erfc": "erfc", "erfinv": "erfinv",
    "erfcx": "erfcx", "gammaln": "lgamma", "digamma": "digamma", "psi": "digamma",
    "polygamma": "polygamma", "multigammaln": "multigammaln", "xlogy": "xlogy",
    "xlog1py": "xlog1py", "zeta": "zeta", "log_softmax": "log_softmax",
    "softmax": "softmax", "logsumexp": "logsumexp", "entr": "entr", "sinc": "sinc",
    "i0": "i0", "i0e": "i0e", "i1": "i1", "i1e": "i1e", "ndtr": "ndtr", "ndtri": "ndtri",
    "log_ndtr": "log_ndtr", "expm1": "expm1", "exp2": "exp2", "log1p": "log1p",
    "round": A._special_round,  # round.decimals even for decimals=0: RoundBackward1
}

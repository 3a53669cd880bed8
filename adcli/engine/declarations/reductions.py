"""Reductions: sums, means, products, extrema, norms, moments, scans.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import ops as O
from adcli.engine.declare import Op, family

# fmt: off
OPS = family(
    "Reductions",
    Op("sum", "the sum, of all elements or over dim", A.sum, (O.SumBackward0, O.SumBackward1),
       calculus={
           "SumBackward0": (("self", "grad.expand(self.shape)"),),
           "SumBackward1": (("self", "kept(grad).expand(self.shape)"),),
       }),
    Op("mean", "the mean, of all elements or over dim", A.mean,
       (O.MeanBackward0, O.MeanBackward1),
       calculus={
           "MeanBackward0": (("self", "grad.expand(self.shape) / self.numel()"),),
           "MeanBackward1": (
               ("self", "kept(grad).expand(self.shape) / (self.numel() / result.numel())"),),
       }),
    Op("prod", "the product, of all elements or over dim", A.prod,
       (O.ProdBackward0, O.ProdBackward1),
       calculus={
           "ProdBackward0": (("self", "grad * (result / self)"),),
           "ProdBackward1": (("self", "kept(grad) * (kept(result) / self)"),),
       }),
    Op("max", "the largest element, or (values, indices) over dim, or maximum", A.max,
       (O.MaxBackward1, O.MaxBackward0, O.MaximumBackward0),
       calculus={
           "MaxBackward1": (("self", "grad * (self == result) / (self == result).sum()"),),
           "MaxBackward0": (("self", "zeros_like(self).scatter(dim, kept(indices), kept(grad))"),),
       }),
    Op("min", "the smallest element, or (values, indices) over dim, or minimum", A.min,
       (O.MinBackward1, O.MinBackward0, O.MinimumBackward0),
       calculus={
           "MinBackward1": (("self", "grad * (self == result) / (self == result).sum()"),),
           "MinBackward0": (("self", "zeros_like(self).scatter(dim, kept(indices), kept(grad))"),),
       }),
    Op("amax", "the largest elements over dim (gradient shared by ties)", A.amax,
       (O.AmaxBackward0,),
       calculus={
           "AmaxBackward0": (
               ("self", "kept(grad) * (self == kept(result)) / (self == kept(result)).sum(dim, "
                        "keepdim=True)"),),
       }),
    Op("amin", "the smallest elements over dim (gradient shared by ties)", A.amin,
       (O.AminBackward0,),
       calculus={
           "AminBackward0": (
               ("self", "kept(grad) * (self == kept(result)) / (self == kept(result)).sum(dim, "
                        "keepdim=True)"),),
       }),
    Op("norm", "the p-norm, of all elements or over dim", A.norm,
       (O.LinalgVectorNormBackward0,),
       calculus={
           "LinalgVectorNormBackward0": (
               ("self", "None if ord == 0 else kept(grad) * sgn(self) * (abs(self) == "
                        "kept(result)) / (abs(self) == kept(result)).sum(dim, keepdim=True) "
                        "if ord in (inf, -inf) else kept(grad) * sgn(self) * abs(self) ** "
                        "(ord - 1) / kept(result) ** (ord - 1)"),),
       }),
    Op("renorm", "each slice along dim whose p-norm exceeds maxnorm scaled to norm maxnorm",
       A.renorm, (O.RenormBackward0,), inplace=A._renorm_,
       calculus={"RenormBackward0": (
           ("self", "renorm_backward(grad, self, p, dim, maxnorm)"),)}),
    Op("std", "the standard deviation, with Bessel's correction by default", A.std,
       (O.StdBackward0,),
       calculus={
           "StdBackward0": (
               ("self", "kept(grad) * (self - self.mean(dim, keepdim=True)) / ((self.numel() / "
                        "result.numel() - correction) * kept(result))"),),
       }),
    Op("var", "the variance, with Bessel's correction by default", A.var, (O.VarBackward0,),
       calculus={
           "VarBackward0": (
               ("self", "kept(grad) * 2 * (self - self.mean(dim, keepdim=True)) / (self.numel() / "
                        "result.numel() - correction)"),),
       }),
    Op("logsumexp", "log(sum(exp(input))) over dim, computed stably", A.logsumexp,
       (O.LogsumexpBackward0,),
       calculus={"LogsumexpBackward0": (("self", "kept(grad) * exp(self - kept(result))"),)}),
    Op("argmax", "the index of the largest element", A.argmax),
    Op("argmin", "the index of the smallest element", A.argmin),
    Op("cumsum", "the running sum along dim", A.cumsum, (O.CumsumBackward0,),
       calculus={"CumsumBackward0": (("self", "grad.flip(dim).cumsum(dim).flip(dim)"),)}),
    Op("cumprod", "the running product along dim", A.cumprod, (O.CumprodBackward0,),
       calculus={
           "CumprodBackward0": (
               ("self", "(grad * result).flip(dim).cumsum(dim).flip(dim) / self"),),
       }),
    Op("all", "whether every element is true", A.all),
    Op("any", "whether some element is true", A.any),
    Op("var_mean", "(var, mean), with Bessel's correction by default", A.var_mean,
       (O.VarMeanBackward0,), method=False,
       calculus={
           "VarMeanBackward0": (
               ("self", "kept(grad) * 2 * (self - self.mean(dim, keepdim=True)) / "
                        "(self.numel() / result.numel() - correction)"),),
       }),
    Op("std_mean", "(std, mean), with Bessel's correction by default", A.std_mean,
       (O.StdMeanBackward0,), method=False,
       calculus={
           "StdMeanBackward0": (
               ("self", "kept(grad) * (self - self.mean(dim, keepdim=True)) / ((self.numel() / "
                        "result.numel() - correction) * kept(result))"),),
       }),
    Op("aminmax", "(min, max) of all elements or over dim", A.aminmax, (O.AminmaxBackward0,),
       calculus={
           "AminmaxBackward0": (
               ("self", "kept(grad) * (self == kept(result)) / (self == kept(result)).sum(dim, "
                        "keepdim=True)"),),
       }),
    Op("nansum", "the sum, treating nan as 0", A.nansum, (O.NansumBackward0,),
       calculus={
           "NansumBackward0": (("self", "where(self.isnan(), 0, kept(grad).expand(self.shape))"),),
       }),
    Op("nanmean", "the mean of the elements that are not nan", A.nanmean,
       (O.DivBackward0, O.NansumBackward0)),
    Op("cummax", "(values, indices) of the running maximum along dim", A.cummax,
       (O.CummaxBackward0,),
       calculus={
           "CummaxBackward0": (("self", "zeros_like(self).scatter_add(dim, indices, grad)"),),
       }),
    Op("cummin", "(values, indices) of the running minimum along dim", A.cummin,
       (O.CumminBackward0,),
       calculus={
           "CumminBackward0": (("self", "zeros_like(self).scatter_add(dim, indices, grad)"),),
       }),
    Op("logcumsumexp", "log of the running sum of exp(input) along dim", A.logcumsumexp,
       (O.LogcumsumexpBackward0,),
       calculus={
           "LogcumsumexpBackward0": (
               ("self", "exp(self) * (grad * exp(-result)).flip(dim).cumsum(dim).flip(dim)"),),
       }),
    Op("quantile", "the q-th quantiles, of all elements or along dim", A.quantile,
       (O.SqueezeBackward4, O.TransposeBackward1),
       calculus={"TransposeBackward1": (("self", "grad.transpose(dim0, dim1)"),)}),
    Op("nanquantile", "the q-th quantiles ignoring nan", A.nanquantile, (O.SqueezeBackward4,)),
)
# fmt: on

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
    Op("sum", "the sum, of all elements or over dim", A.sum, (O.SumBackward0, O.SumBackward1)),
    Op("mean", "the mean, of all elements or over dim", A.mean,
       (O.MeanBackward0, O.MeanBackward1)),
    Op("prod", "the product, of all elements or over dim", A.prod,
       (O.ProdBackward0, O.ProdBackward1)),
    Op("max", "the largest element, or (values, indices) over dim, or maximum", A.max,
       (O.MaxBackward1, O.MaxBackward0, O.MaximumBackward0)),
    Op("min", "the smallest element, or (values, indices) over dim, or minimum", A.min,
       (O.MinBackward1, O.MinBackward0, O.MinimumBackward0)),
    Op("amax", "the largest elements over dim (gradient shared by ties)", A.amax,
       (O.AmaxBackward0,)),
    Op("amin", "the smallest elements over dim (gradient shared by ties)", A.amin,
       (O.AminBackward0,)),
    Op("norm", "the p-norm, of all elements or over dim", A.norm,
       (O.LinalgVectorNormBackward0,)),
    Op("std", "the standard deviation, with Bessel's correction by default", A.std,
       (O.StdBackward0,)),
    Op("var", "the variance, with Bessel's correction by default", A.var, (O.VarBackward0,)),
    Op("logsumexp", "log(sum(exp(input))) over dim, computed stably", A.logsumexp,
       (O.LogsumexpBackward0,)),
    Op("argmax", "the index of the largest element", A.argmax),
    Op("argmin", "the index of the smallest element", A.argmin),
    Op("cumsum", "the running sum along dim", A.cumsum, (O.CumsumBackward0,)),
    Op("cumprod", "the running product along dim", A.cumprod, (O.CumprodBackward0,)),
    Op("all", "whether every element is true", A.all),
    Op("any", "whether some element is true", A.any),
)
# fmt: on

"""``torch.distributions``: Exponential (``exponential_()``), Laplace
(``uniform_(eps - 1, 1)``), Cauchy (``cauchy_()``), Gamma and Chi2 (ATen's ``sample_gamma``
with its implicit reparameterisation gradient, ``StandardGammaBackward0``), Dirichlet
and Beta (``_sample_dirichlet``, ``_DirichletBackward``) and StudentT; each formula op
for op as torch 2.13 writes it."""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import api
from adcli.engine import nn_functional as _F
from adcli.engine import ops as _ops
from adcli.engine import sampling as _sampling
from adcli.engine.distributions import core as _core
from adcli.engine.distributions.core import (
    _CLASS_PUBLIC,
    _PUBLIC,
    _SCALAR,
    Distribution,
    _IndependentConstraint,
    _is_number,
    _Lazy,
    _number_batch,
    _one_of,
    _torch_function,
    broadcast_all,
    clamp_probs,
    logits_to_probs,
    nonnegative,
    positive,
    probs_to_logits,
    real,
    simplex,
    unit_interval,
)
from adcli.engine.distributions.multivariate import _standard_normal, _tensor_dim
from adcli.engine.shape import Size
from adcli.errors import TorchValueError

# ------------------------------------------------------------------ Exponential, Laplace


class Exponential(_core.ExponentialFamily):
    """The exponential distribution with rate ``rate``."""

    __adcli_public__ = _PUBLIC | {"rate"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"rate": positive}
    support = nonnegative
    has_rsample = True

    def __init__(self, rate, validate_args=None) -> None:
        (self.rate,) = broadcast_all(rate)
        batch = Size() if _is_number(rate) else self.rate.size()
        super().__init__(batch, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.rate = self.rate.expand(new._batch_shape)
        return new

    @property
    def mean(self):
        return self.rate.reciprocal()

    @property
    def mode(self):
        return api.zeros_like(self.rate)

    @property
    def stddev(self):
        return self.rate.reciprocal()

    @property
    def variance(self):
        return self.rate.pow(-2)

    def rsample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        return api.empty(tuple(shape), dtype=self.rate.dtype).exponential_() / self.rate

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return self.rate.log() - self.rate * value

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 1 - api.exp(-self.rate * value)

    def icdf(self, value):
        return -api.log1p(-value) / self.rate

    def entropy(self):
        return 1.0 - api.log(self.rate)


class Laplace(Distribution):
    """The Laplace distribution with location ``loc`` and scale ``scale``."""

    __adcli_public__ = _PUBLIC | {"loc", "scale"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"loc": real, "scale": positive}
    support = real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(_number_batch(loc, scale, self.loc), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.loc = self.loc.expand(new._batch_shape)
        new.scale = self.scale.expand(new._batch_shape)
        return new

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return 2 * self.scale.pow(2)

    @property
    def stddev(self):
        return (2 ** 0.5) * self.scale

    def rsample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        eps = float(np.finfo(self.loc._data.dtype).eps)
        u = api.empty(tuple(shape), dtype=self.loc.dtype).uniform_(eps - 1, 1)
        return self.loc - self.scale * u.sign() * api.log1p(-u.abs())

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return -api.log(2 * self.scale) - api.abs(value - self.loc) / self.scale

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 0.5 - 0.5 * (value - self.loc).sign() * api.expm1(
            -(value - self.loc).abs() / self.scale)

    def icdf(self, value):
        term = value - 0.5
        return self.loc - self.scale * term.sign() * api.log1p(-2 * term.abs())

    def entropy(self):
        return 1 + api.log(2 * self.scale)


class Cauchy(Distribution):
    """The Cauchy (Lorentz) distribution with median ``loc`` and half width ``scale``."""

    __adcli_public__ = _PUBLIC | {"loc", "scale"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"loc": real, "scale": positive}
    support = real
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        super().__init__(_number_batch(loc, scale, self.loc), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.loc = self.loc.expand(new._batch_shape)
        new.scale = self.scale.expand(new._batch_shape)
        return new

    @property
    def mean(self):
        return api.full(tuple(self._extended_shape()), math.nan, dtype=self.loc.dtype)

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return api.full(tuple(self._extended_shape()), math.inf, dtype=self.loc.dtype)

    def rsample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        eps = api.tensor(api._generator(None).cauchy_(shape, 0.0, 1.0,
                                                      self.loc._data.dtype))
        return self.loc + eps * self.scale

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return (-math.log(math.pi) - self.scale.log()
                - (((value - self.loc) / self.scale) ** 2).log1p())

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return _torch_function("atan")((value - self.loc) / self.scale) / math.pi + 0.5

    def icdf(self, value):
        return _torch_function("tan")(math.pi * (value - 0.5)) * self.scale + self.loc

    def entropy(self):
        return math.log(4 * math.pi) + self.scale.log()


# ------------------------------------------------------------- Gamma, Dirichlet, Beta


class Gamma(_core.ExponentialFamily):
    """The gamma distribution with shape ``concentration`` and inverse scale ``rate``."""

    __adcli_public__ = _PUBLIC | {"concentration", "rate"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"concentration": positive, "rate": positive}
    support = nonnegative
    has_rsample = True

    def __init__(self, concentration, rate, validate_args=None) -> None:
        self.concentration, self.rate = broadcast_all(concentration, rate)
        super().__init__(_number_batch(concentration, rate, self.concentration),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.concentration = self.concentration.expand(new._batch_shape)
        new.rate = self.rate.expand(new._batch_shape)
        return new

    @property
    def mean(self):
        return self.concentration / self.rate

    @property
    def mode(self):
        return ((self.concentration - 1) / self.rate).clamp(min=0)

    @property
    def variance(self):
        return self.concentration / self.rate.pow(2)

    def rsample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        value = (_sampling.standard_gamma(self.concentration.expand(shape))
                 / self.rate.expand(shape))
        with api.no_grad():
            value.detach().clamp_(min=float(np.finfo(value._data.dtype).tiny))
        return value

    def log_prob(self, value):
        value = api.as_tensor(value, dtype=self.rate.dtype)
        if self._validate_args:
            self._validate_sample(value)
        return (api.xlogy(self.concentration, self.rate)
                + api.xlogy(self.concentration - 1, value)
                - self.rate * value - api.lgamma(self.concentration))

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return _igamma(self.concentration, self.rate * value)

    def entropy(self):
        return (self.concentration - api.log(self.rate) + api.lgamma(self.concentration)
                + (1.0 - self.concentration) * api.digamma(self.concentration))


def _igamma_one(a: float, x: float) -> float:
    """The regularised lower incomplete gamma P(a, x) in double: the series below
    x = a + 1, else one minus Lentz's continued fraction of Q (Numerical Recipes'
    scheme, to double precision)."""
    if x != x or a != a:
        return math.nan
    if x <= 0:
        return 0.0
    if math.isinf(x):
        return 1.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1:
        term = total = 1.0 / a
        ap = a
        for _ in range(10000):
            ap += 1
            term *= x / ap
            total += term
            if abs(term) < abs(total) * 1e-17:
                break
        return total * math.exp(log_front)
    tiny = 1e-300
    b = x + 1 - a
    c = 1 / tiny
    d = 1 / b
    h = d
    for i in range(1, 10000):
        an = -i * (i - a)
        b += 2
        d = an * d + b
        d = tiny if abs(d) < tiny else d
        c = b + an / c
        c = tiny if abs(c) < tiny else c
        d = 1 / d
        delta = d * c
        h *= delta
        if abs(delta - 1) < 1e-17:
            break
    return 1.0 - math.exp(log_front) * h


def _igamma(a, x):
    """torch.special.gammainc(a, x) (no gradient: a constant of the draws' dtype)."""
    a, x = broadcast_all(a, x)
    flat = [_igamma_one(p, q) for p, q in zip(a._data.astype(float).ravel().tolist(),
                                               x._data.astype(float).ravel().tolist())]
    data = np.asarray(flat, np.float64).astype(a._data.dtype).reshape(a._data.shape)
    return api.tensor(data)


class _DirichletBackward(_ops.Unary):
    """The draw of ``Dirichlet.rsample`` (torch's ``_Dirichlet`` Function), with the
    implicit reparameterisation gradient of ``_dirichlet_grad``."""

    saves = "x"
    saves_result = True

    def forward(self, x, draw):
        return draw(x)

    def backward(self, F, g, x, result):
        if not F.numpy:
            x, result, g_ = x._data, result._data, g._data
        else:
            g_ = g
        total = np.broadcast_to(x.sum(-1, keepdims=True), x.shape)
        grad = _sampling.dirichlet_grad(result, x, total)
        out = grad * (g_ - (result * g_).sum(-1, keepdims=True))
        out = out.astype(x.dtype, copy=False)
        if F.numpy:
            return (out,)
        return (api.tensor(out),)


def _dirichlet_draw(alpha: np.ndarray) -> np.ndarray:
    return api._generator(None).dirichlet(alpha)


class Dirichlet(_core.ExponentialFamily):
    """The Dirichlet distribution on the simplex with ``concentration`` (last dim)."""

    __adcli_public__ = _PUBLIC | {"concentration"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"concentration": _IndependentConstraint(positive, 1)}
    support = simplex
    has_rsample = True

    def __init__(self, concentration, validate_args=None) -> None:
        if _tensor_dim(concentration, "concentration") < 1:
            raise TorchValueError("`concentration` parameter must be at least "
                                  "one-dimensional.")
        self.concentration = concentration
        shape = tuple(concentration.shape)
        super().__init__(Size(shape[:-1]), Size(shape[-1:]), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.concentration = self.concentration.expand(tuple(new._batch_shape
                                                            + self._event_shape))
        return new

    def rsample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        return _DirichletBackward.apply(self.concentration.expand(shape), _dirichlet_draw)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return (api.xlogy(self.concentration - 1.0, value).sum(-1)
                + api.lgamma(self.concentration.sum(-1))
                - api.lgamma(self.concentration).sum(-1))

    @property
    def mean(self):
        return self.concentration / self.concentration.sum(-1, True)

    @property
    def mode(self):
        cm1 = (self.concentration - 1).clamp(min=0.0)
        mode = cm1 / cm1.sum(-1, True)
        mask = (self.concentration < 1).all(dim=-1)
        mode[mask] = _F.one_hot(mode[mask].argmax(dim=-1), cm1.shape[-1]).to(mode)
        return mode

    @property
    def variance(self):
        con0 = self.concentration.sum(-1, True)
        return (self.concentration * (con0 - self.concentration)
                / (con0.pow(2) * (con0 + 1)))

    def entropy(self):
        k = self.concentration.size(-1)
        a0 = self.concentration.sum(-1)
        return (api.lgamma(self.concentration).sum(-1) - api.lgamma(a0)
                - (k - a0) * api.digamma(a0)
                - ((self.concentration - 1.0) * api.digamma(self.concentration)).sum(-1))


class Beta(_core.ExponentialFamily):
    """The beta distribution, a two-component Dirichlet's first component."""

    __adcli_public__ = _PUBLIC | {"concentration1", "concentration0"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"concentration1": positive, "concentration0": positive}
    support = unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None) -> None:
        if _is_number(concentration1) and _is_number(concentration0):
            both = api.tensor([float(concentration1), float(concentration0)])
        else:
            concentration1, concentration0 = broadcast_all(concentration1, concentration0)
            both = api.stack([concentration1, concentration0], -1)
        self._dirichlet = Dirichlet(both, validate_args=validate_args)
        super().__init__(self._dirichlet._batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new._dirichlet = self._dirichlet.expand(new._batch_shape)
        return new

    @property
    def concentration1(self):
        return self._dirichlet.concentration[..., 0]

    @property
    def concentration0(self):
        return self._dirichlet.concentration[..., 1]

    @property
    def mean(self):
        return self.concentration1 / (self.concentration1 + self.concentration0)

    @property
    def mode(self):
        return self._dirichlet.mode[..., 0]

    @property
    def variance(self):
        total = self.concentration1 + self.concentration0
        return self.concentration1 * self.concentration0 / (total.pow(2) * (total + 1))

    def rsample(self, sample_shape=()):
        return self._dirichlet.rsample(sample_shape).select(-1, 0)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        heads_tails = api.stack([value, 1.0 - value], -1)
        return self._dirichlet.log_prob(heads_tails)

    def entropy(self):
        return self._dirichlet.entropy()


class Chi2(Gamma):
    """The chi-squared distribution: Gamma(df / 2, 1 / 2)."""

    __adcli_public__ = Gamma.__adcli_public__ | {"df"}
    arg_constraints = {"df": positive}

    def __init__(self, df, validate_args=None) -> None:
        super().__init__(0.5 * df, 0.5, validate_args=validate_args)

    @property
    def df(self):
        return self.concentration * 2


class StudentT(Distribution):
    """Student's t with ``df`` degrees of freedom, location and scale."""

    __adcli_public__ = _PUBLIC | {"df", "loc", "scale"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"df": positive, "loc": real, "scale": positive}
    support = real
    has_rsample = True

    def __init__(self, df, loc=0.0, scale=1.0, validate_args=None) -> None:
        self.df, self.loc, self.scale = broadcast_all(df, loc, scale)
        self._chi2 = Chi2(self.df)
        super().__init__(self.df.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        shape = new._batch_shape
        new.df = self.df.expand(shape)
        new.loc = self.loc.expand(shape)
        new.scale = self.scale.expand(shape)
        new._chi2 = self._chi2.expand(shape)
        return new

    @property
    def mean(self):
        m = self.loc.clone()
        m[self.df <= 1] = math.nan
        return m

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        m = self.df.clone()
        big = self.df > 2
        m[big] = self.scale[big].pow(2) * self.df[big] / (self.df[big] - 2)
        m[(self.df <= 2) & (self.df > 1)] = math.inf
        m[self.df <= 1] = math.nan
        return m

    def rsample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        X = _standard_normal(shape, self.df.dtype)
        Z = self._chi2.rsample(sample_shape)
        Y = X * (Z / self.df).rsqrt()
        return self.loc + self.scale * Y

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        y = (value - self.loc) / self.scale
        Z = (self.scale.log() + 0.5 * self.df.log() + 0.5 * math.log(math.pi)
             + api.lgamma(0.5 * self.df) - api.lgamma(0.5 * (self.df + 1.0)))
        return -0.5 * (self.df + 1.0) * api.log1p(y ** 2.0 / self.df) - Z

    def entropy(self):
        lbeta = (api.lgamma(0.5 * self.df) + math.lgamma(0.5)
                 - api.lgamma(0.5 * (self.df + 1)))
        return (self.scale.log()
                + 0.5 * (self.df + 1) * (api.digamma(0.5 * (self.df + 1))
                                         - api.digamma(0.5 * self.df))
                + 0.5 * self.df.log() + lbeta)




class ContinuousBernoulli(_core.ExponentialFamily):
    """The continuous Bernoulli on [0, 1] (a VAE's likelihood for pixel intensities),
    with torch's Taylor expansions near probs = 0.5 (``lims``)."""

    __adcli_public__ = _PUBLIC | {"probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"probs": unit_interval, "logits": real}
    support = unit_interval
    has_rsample = True

    def __init__(self, probs=None, logits=None, lims=(0.499, 0.501),
                 validate_args=None) -> None:
        _one_of(probs, logits)
        if probs is not None:
            is_scalar = _is_number(probs)
            (self.probs,) = broadcast_all(probs)
            if validate_args is not None and not bool(
                    unit_interval.check(self.probs).all()):
                raise TorchValueError("The parameter probs has invalid values")
            self.probs = clamp_probs(self.probs)
            self._param = self.probs
        else:
            is_scalar = _is_number(logits)
            (self.logits,) = broadcast_all(logits)
            self._param = self.logits
        self._lims = lims
        super().__init__(Size() if is_scalar else self._param.size(),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new._lims = self._lims
        for name in ("probs", "logits"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name].expand(new._batch_shape)
                new._param = new.__dict__[name]
        return new

    def _outside_unstable_region(self):
        return api.max(api.le(self.probs, self._lims[0]), api.gt(self.probs, self._lims[1]))

    def _cut_probs(self):
        return api.where(self._outside_unstable_region(), self.probs,
                         self._lims[0] * api.ones_like(self.probs))

    def _cont_bern_log_norm(self):
        cut = self._cut_probs()
        below = api.where(api.le(cut, 0.5), cut, api.zeros_like(cut))
        above = api.where(api.ge(cut, 0.5), cut, api.ones_like(cut))
        log_norm = api.log(api.abs(api.log1p(-cut) - api.log(cut))) - api.where(
            api.le(cut, 0.5), api.log1p(-2.0 * below), api.log(2.0 * above - 1.0))
        x = api.pow(self.probs - 0.5, 2)
        taylor = math.log(2.0) + (4.0 / 3.0 + 104.0 / 45.0 * x) * x
        return api.where(self._outside_unstable_region(), log_norm, taylor)

    @property
    def mean(self):
        cut = self._cut_probs()
        mus = cut / (2.0 * cut - 1.0) + 1.0 / (api.log1p(-cut) - api.log(cut))
        x = self.probs - 0.5
        taylor = 0.5 + (1.0 / 3.0 + 16.0 / 45.0 * api.pow(x, 2)) * x
        return api.where(self._outside_unstable_region(), mus, taylor)

    @property
    def stddev(self):
        return api.sqrt(self.variance)

    @property
    def variance(self):
        cut = self._cut_probs()
        var = (cut * (cut - 1.0) / api.pow(1.0 - 2.0 * cut, 2)
               + 1.0 / api.pow(api.log1p(-cut) - api.log(cut), 2))
        x = api.pow(self.probs - 0.5, 2)
        taylor = 1.0 / 12.0 - (1.0 / 15.0 - 128.0 / 945.0 * x) * x
        return api.where(self._outside_unstable_region(), var, taylor)

    @_Lazy
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @_Lazy
    def probs(self):
        return clamp_probs(logits_to_probs(self.logits, is_binary=True))

    @property
    def param_shape(self):
        return self._param.size()

    def sample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        u = api.rand(shape, dtype=self.probs.dtype)
        with api.no_grad():
            return self.icdf(u)

    def rsample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        u = api.rand(shape, dtype=self.probs.dtype)
        return self.icdf(u)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return (-_F.binary_cross_entropy_with_logits(logits, value, reduction="none")
                + self._cont_bern_log_norm())

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        cut = self._cut_probs()
        cdfs = ((api.pow(cut, value) * api.pow(1.0 - cut, 1.0 - value) + cut - 1.0)
                / (2.0 * cut - 1.0))
        unbounded = api.where(self._outside_unstable_region(), cdfs, value)
        return api.where(api.le(value, 0.0), api.zeros_like(value),
                         api.where(api.ge(value, 1.0), api.ones_like(value), unbounded))

    def icdf(self, value):
        cut = self._cut_probs()
        return api.where(
            self._outside_unstable_region(),
            (api.log1p(-cut + value * (2.0 * cut - 1.0)) - api.log1p(-cut))
            / (api.log(cut) - api.log1p(-cut)),
            value)

    def entropy(self):
        log_probs0 = api.log1p(-self.probs)
        log_probs1 = api.log(self.probs)
        return (self.mean * (log_probs0 - log_probs1) - self._cont_bern_log_norm()
                - log_probs0)


def _eval_poly(y, coef):
    coef = list(coef)
    result = coef.pop()
    while coef:
        result = coef.pop() + y * result
    return result


_I0_SMALL = [1.0, 3.5156229, 3.0899424, 1.2067492, 0.2659732, 0.360768e-1, 0.45813e-2]
_I0_LARGE = [0.39894228, 0.1328592e-1, 0.225319e-2, -0.157565e-2, 0.916281e-2,
             -0.2057706e-1, 0.2635537e-1, -0.1647633e-1, 0.392377e-2]
_I1_SMALL = [0.5, 0.87890594, 0.51498869, 0.15084934, 0.2658733e-1, 0.301532e-2,
             0.32411e-3]
_I1_LARGE = [0.39894228, -0.3988024e-1, -0.362018e-2, 0.163801e-2, -0.1031555e-1,
             0.2282967e-1, -0.2895312e-1, 0.1787654e-1, -0.420059e-2]


def _log_modified_bessel_fn(x, order=0):
    """log I0(x) or log I1(x) by the polynomial approximations torch uses."""
    y = x / 3.75
    y = y * y
    small = _eval_poly(y, (_I0_SMALL, _I1_SMALL)[order])
    if order == 1:
        small = x.abs() * small
    small = small.log()
    y = 3.75 / x
    large = x - 0.5 * x.log() + _eval_poly(y, (_I0_LARGE, _I1_LARGE)[order]).log()
    return api.where(x < 3.75, small, large)


def _rejection_sample(loc, concentration, proposal_r, x):
    """Best and Fisher's rejection sampler, in double, three uniforms per element and
    round, until every element is accepted (torch's loop, draw for draw)."""
    done = api.zeros(tuple(x.shape), dtype=api.bool)
    while not bool(done.all()):
        u = api.rand((3,) + tuple(x.shape), dtype=loc.dtype)
        u1, u2, u3 = u.unbind()
        z = api.cos(math.pi * u1)
        f = (1 + proposal_r * z) / (proposal_r + z)
        c = concentration * (proposal_r - f)
        accept = ((c * (2 - c) - u2) > 0) | ((c / u2).log() + 1 - c >= 0)
        if bool(accept.any()):
            x = api.where(accept, (u3 - 0.5).sign() * f.acos(), x)
            done = done | accept
    return (x + math.pi + loc) % (2 * math.pi) - math.pi


class VonMises(Distribution):
    """The von Mises (circular normal) distribution on [-pi, pi)."""

    __adcli_public__ = _PUBLIC | {"loc", "concentration"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"loc": real, "concentration": positive}
    support = real
    has_rsample = False

    def __init__(self, loc, concentration, validate_args=None) -> None:
        self.loc, self.concentration = broadcast_all(loc, concentration)
        super().__init__(self.loc.size(), Size(), validate_args)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        log_prob = self.concentration * api.cos(value - self.loc)
        return (log_prob - math.log(2 * math.pi)
                - _log_modified_bessel_fn(self.concentration, order=0))

    @_Lazy
    def _loc(self):
        return self.loc.to(api.float64)

    @_Lazy
    def _concentration(self):
        return self.concentration.to(api.float64)

    @_Lazy
    def _proposal_r(self):
        kappa = self._concentration
        tau = 1 + (1 + 4 * kappa ** 2).sqrt()
        rho = (tau - (2 * tau).sqrt()) / (2 * kappa)
        proposal_r = (1 + rho ** 2) / (2 * rho)
        taylor = 1 / kappa + kappa
        return api.where(kappa < 1e-5, taylor, proposal_r)

    def sample(self, sample_shape=_SCALAR):
        with api.no_grad():
            shape = tuple(self._extended_shape(sample_shape))
            x = api.empty(shape, dtype=self._loc.dtype)
            return _rejection_sample(self._loc, self._concentration, self._proposal_r,
                                     x).to(self.loc.dtype)

    def expand(self, batch_shape, _instance=None):
        validate_args = self.__dict__.get("_validate_args")
        return type(self)(self.loc.expand(batch_shape),
                          self.concentration.expand(batch_shape), validate_args=validate_args)

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @_Lazy
    def variance(self):
        return 1 - (_log_modified_bessel_fn(self.concentration, order=1)
                    - _log_modified_bessel_fn(self.concentration, order=0)).exp()


class FisherSnedecor(Distribution):
    """The F distribution: the ratio of two scaled chi-squared draws."""

    __adcli_public__ = _PUBLIC | {"df1", "df2"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"df1": positive, "df2": positive}
    support = positive
    has_rsample = True

    def __init__(self, df1, df2, validate_args=None) -> None:
        self.df1, self.df2 = broadcast_all(df1, df2)
        self._gamma1 = Gamma(self.df1 * 0.5, self.df1)
        self._gamma2 = Gamma(self.df2 * 0.5, self.df2)
        super().__init__(_number_batch(df1, df2, self.df1), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        shape = new._batch_shape
        new.df1 = self.df1.expand(shape)
        new.df2 = self.df2.expand(shape)
        new._gamma1 = self._gamma1.expand(shape)
        new._gamma2 = self._gamma2.expand(shape)
        return new

    @property
    def mean(self):
        df2 = self.df2.clone()
        df2[df2 <= 2] = math.nan
        return df2 / (df2 - 2)

    @property
    def mode(self):
        mode = (self.df1 - 2) / self.df1 * self.df2 / (self.df2 + 2)
        mode[self.df1 <= 2] = math.nan
        return mode

    @property
    def variance(self):
        df2 = self.df2.clone()
        df2[df2 <= 4] = math.nan
        return (2 * df2.pow(2) * (self.df1 + df2 - 2)
                / (self.df1 * (df2 - 2).pow(2) * (df2 - 4)))

    def rsample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        X1 = self._gamma1.rsample(sample_shape).view(shape)
        X2 = self._gamma2.rsample(sample_shape).view(shape)
        tiny = float(np.finfo(X2._data.dtype).tiny)
        X2.clamp_(min=tiny)
        Y = X1 / X2
        Y.clamp_(min=tiny)
        return Y

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        ct1 = self.df1 * 0.5
        ct2 = self.df2 * 0.5
        ct3 = self.df1 / self.df2
        t1 = (ct1 + ct2).lgamma() - ct1.lgamma() - ct2.lgamma()
        t2 = ct1 * ct3.log() + (ct1 - 1) * api.log(value)
        t3 = (ct1 + ct2) * api.log1p(ct3 * value)
        return t1 + t2 - t3

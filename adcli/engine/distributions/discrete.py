"""``torch.distributions``: OneHotCategorical, Binomial (ATen's ``sample_binomial``:
inversion, or BTRS for n*p >= 10), Geometric (``uniform_(tiny, 1)``) and Multinomial
(Categorical draws counted with ``scatter_add_``)."""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import api
from adcli.engine import nn_functional as _F
from adcli.engine import sampling as _sampling
from adcli.engine.distributions import continuous as _continuous
from adcli.engine.distributions import core as _core
from adcli.engine.distributions.core import (
    _CLASS_PUBLIC,
    _PUBLIC,
    _SCALAR,
    Categorical,
    Distribution,
    _IntegerInterval,
    _is_number,
    _Lazy,
    _one_of,
    _size,
    _torch_function,
    broadcast_all,
    logits_to_probs,
    nonnegative_integer,
    probs_to_logits,
    real,
    real_vector,
    simplex,
    unit_interval,
)
from adcli.engine.distributions.multivariate import _Multinomial, one_hot
from adcli.engine.shape import Size
from adcli.errors import TorchNotImplementedError, TorchValueError

# ------------------------------------------------------------------- OneHotCategorical


class OneHotCategorical(Distribution):
    """A Categorical draw as a one-hot vector of the probabilities' dtype."""

    __adcli_public__ = _PUBLIC | {"probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"probs": simplex, "logits": real_vector}
    support = one_hot
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None) -> None:
        self._categorical = Categorical(probs, logits)
        super().__init__(self._categorical.batch_shape,
                         Size(tuple(self._categorical.param_shape)[-1:]),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new._categorical = self._categorical.expand(new._batch_shape)
        return new

    @property
    def _param(self):
        return self._categorical._param

    @property
    def probs(self):
        return self._categorical.probs

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def param_shape(self):
        return self._categorical.param_shape

    @property
    def mean(self):
        return self._categorical.probs

    @property
    def mode(self):
        probs = self._categorical.probs
        mode = probs.argmax(dim=-1)
        return _F.one_hot(mode, num_classes=probs.shape[-1]).to(probs)

    @property
    def variance(self):
        return self._categorical.probs * (1 - self._categorical.probs)

    def sample(self, sample_shape=_SCALAR):
        sample_shape = _size(sample_shape)
        probs = self._categorical.probs
        indices = self._categorical.sample(sample_shape)
        return _F.one_hot(indices, self._categorical._num_events).to(probs)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        indices = value.max(-1)[1]
        return self._categorical.log_prob(indices)

    def entropy(self):
        return self._categorical.entropy()

    def enumerate_support(self, expand=True):
        n = self._event_shape[0]
        values = api.eye(n, dtype=self._param.dtype)
        values = values.view((n,) + (1,) * len(self._batch_shape) + (n,))
        if expand:
            values = values.expand((n,) + tuple(self._batch_shape) + (n,))
        return values


# ------------------------------------------------------ Binomial, Geometric, Multinomial


def _clamp_by_zero(x):
    return (x.clamp(min=0) + x - x.clamp(max=0)) / 2


class Binomial(Distribution):
    """Successes in ``total_count`` trials of probability ``probs`` (or sigmoid(logits))."""

    __adcli_public__ = _PUBLIC | {"total_count", "probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints"}
    arg_constraints = {"total_count": nonnegative_integer, "probs": unit_interval,
                       "logits": real}
    has_enumerate_support = True

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None) -> None:
        _one_of(probs, logits)
        if probs is not None:
            self.total_count, self.probs = broadcast_all(total_count, probs)
            self.total_count = self.total_count.type_as(self.probs)
            self._param = self.probs
        else:
            self.total_count, self.logits = broadcast_all(total_count, logits)
            self.total_count = self.total_count.type_as(self.logits)
            self._param = self.logits
        super().__init__(self._param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.total_count = self.total_count.expand(new._batch_shape)
        for name in ("probs", "logits"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name].expand(new._batch_shape)
                new._param = new.__dict__[name]
        return new

    @property
    def support(self):
        return _IntegerInterval(0, self.total_count)

    @property
    def mean(self):
        return self.total_count * self.probs

    @property
    def mode(self):
        return ((self.total_count + 1) * self.probs).floor().clamp(max=self.total_count)

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    @_Lazy
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @_Lazy
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self):
        return self._param.size()

    def sample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        with api.no_grad():
            return _sampling.binomial(self.total_count.expand(shape), self.probs.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        log_factorial_n = api.lgamma(self.total_count + 1)
        log_factorial_k = api.lgamma(value + 1)
        log_factorial_nmk = api.lgamma(self.total_count - value + 1)
        normalize_term = (self.total_count * _clamp_by_zero(self.logits)
                          + self.total_count * api.log1p(api.exp(-api.abs(self.logits)))
                          - log_factorial_n)
        return value * self.logits - log_factorial_k - log_factorial_nmk - normalize_term

    def _homogeneous_count(self, what: str) -> int:
        total = int(self.total_count.max())
        if not self.total_count.min() == total:
            raise TorchNotImplementedError(f"Inhomogeneous total count not supported by "
                                           f"`{what}`.")
        return total

    def entropy(self):
        self._homogeneous_count("entropy")
        log_prob = self.log_prob(self.enumerate_support(False))
        return -(api.exp(log_prob) * log_prob).sum(0)

    def enumerate_support(self, expand=True):
        total = self._homogeneous_count("enumerate_support")
        values = api.arange(1 + total, dtype=self._param.dtype)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1,) + tuple(self._batch_shape))
        return values


class Geometric(Distribution):
    """Failures before the first success of probability ``probs`` (or sigmoid(logits))."""

    __adcli_public__ = _PUBLIC | {"probs", "logits"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"probs": unit_interval, "logits": real}
    support = nonnegative_integer

    def __init__(self, probs=None, logits=None, validate_args=None) -> None:
        _one_of(probs, logits)
        if probs is not None:
            (self.probs,) = broadcast_all(probs)
        else:
            (self.logits,) = broadcast_all(logits)
        given = probs if probs is not None else logits
        batch = Size() if _is_number(given) else given.size()
        super().__init__(batch, validate_args=validate_args)
        if self._validate_args and probs is not None:
            value = self.probs
            valid = value > 0
            if not bool(np.all(valid._data)):
                raise TorchValueError(
                    f"Expected parameter probs ({type(value).__name__} of shape "
                    f"{tuple(value.shape)}) of distribution {self!r} to be positive but "
                    f"found invalid values:\n{value.data[~valid]}")

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        for name in ("probs", "logits"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name].expand(new._batch_shape)
        return new

    @property
    def mean(self):
        return 1.0 / self.probs - 1.0

    @property
    def mode(self):
        return api.zeros_like(self.probs)

    @property
    def variance(self):
        return (1.0 / self.probs - 1.0) / self.probs

    @_Lazy
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @_Lazy
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    def sample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        tiny = float(np.finfo(self.probs._data.dtype).tiny)
        with api.no_grad():
            u = api.empty(shape, dtype=self.probs.dtype).uniform_(tiny, 1)
            return (u.log() / (-self.probs).log1p()).floor()

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value, probs = broadcast_all(value, self.probs)
        probs = probs.clone()
        probs[(probs == 1) & (value == 0)] = 0
        return value * (-probs).log1p() + self.probs.log()

    def entropy(self):
        return _F.binary_cross_entropy_with_logits(self.logits, self.probs,
                                                   reduction="none") / self.probs


class Multinomial(Distribution):
    """Counts of ``total_count`` Categorical draws."""

    __adcli_public__ = _PUBLIC | {"total_count", "probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints"}
    arg_constraints = {"probs": simplex, "logits": real_vector}

    def __init__(self, total_count=1, probs=None, logits=None, validate_args=None) -> None:
        if not isinstance(total_count, int):
            raise TorchNotImplementedError("inhomogeneous total_count is not supported")
        self.total_count = total_count
        self._categorical = Categorical(probs=probs, logits=logits)
        self._binomial = Binomial(total_count=total_count, probs=self.probs)
        super().__init__(self._categorical.batch_shape,
                         Size(tuple(self._categorical.param_shape)[-1:]),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.total_count = self.total_count
        new._categorical = self._categorical.expand(new._batch_shape)
        return new

    @property
    def support(self):
        return _Multinomial(self.total_count)

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def probs(self):
        return self._categorical.probs

    @property
    def param_shape(self):
        return self._categorical.param_shape

    @property
    def mean(self):
        return self.probs * self.total_count

    @property
    def variance(self):
        return self.total_count * self.probs * (1 - self.probs)

    def sample(self, sample_shape=_SCALAR):
        sample_shape = _size(sample_shape)
        samples = self._categorical.sample(Size((self.total_count,)) + sample_shape)
        order = list(range(samples.dim()))
        order.append(order.pop(0))
        samples = samples.permute(*order)
        counts = api.zeros(tuple(self._extended_shape(sample_shape)), dtype=samples.dtype)
        counts.scatter_add_(-1, samples, api.ones_like(samples))
        return counts.type_as(self.probs)

    def entropy(self):
        n = api.tensor(self.total_count)
        cat_entropy = self._categorical.entropy()
        term1 = n * cat_entropy - api.lgamma(n + 1)
        support = self._binomial.enumerate_support(expand=False)[1:]
        binomial_probs = api.exp(self._binomial.log_prob(support))
        weights = api.lgamma(support + 1)
        term2 = (binomial_probs * weights).sum([0, -1])
        return term1 + term2

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        logits = logits.clone()
        log_factorial_n = api.lgamma(value.sum(-1) + 1)
        log_factorial_xs = api.lgamma(value + 1).sum(-1)
        logits[(value == 0) & (logits == -math.inf)] = 0
        log_powers = (logits * value).sum(-1)
        return log_factorial_n - log_factorial_xs + log_powers




class NegativeBinomial(Distribution):
    """Successes before ``total_count`` failures, each trial a success with ``probs``:
    drawn as ``torch.poisson`` of a Gamma(total_count, exp(-logits)) draw."""

    __adcli_public__ = _PUBLIC | {"total_count", "probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"total_count": _core._GreaterThanEq(0),
                       "probs": _core._HalfOpenInterval(0.0, 1.0), "logits": real}
    support = nonnegative_integer

    def __init__(self, total_count, probs=None, logits=None, validate_args=None) -> None:
        _one_of(probs, logits)
        if probs is not None:
            self.total_count, self.probs = broadcast_all(total_count, probs)
            self.total_count = self.total_count.type_as(self.probs)
            self._param = self.probs
        else:
            self.total_count, self.logits = broadcast_all(total_count, logits)
            self.total_count = self.total_count.type_as(self.logits)
            self._param = self.logits
        super().__init__(self._param.size(), validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.total_count = self.total_count.expand(new._batch_shape)
        for name in ("probs", "logits"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name].expand(new._batch_shape)
                new._param = new.__dict__[name]
        return new

    @property
    def mean(self):
        return self.total_count * api.exp(self.logits)

    @property
    def mode(self):
        return ((self.total_count - 1) * self.logits.exp()).floor().clamp(min=0.0)

    @property
    def variance(self):
        return self.mean / api.sigmoid(-self.logits)

    @_Lazy
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @_Lazy
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self):
        return self._param.size()

    @_Lazy
    def _gamma(self):
        return _continuous.Gamma(concentration=self.total_count, rate=api.exp(-self.logits),
                                 validate_args=False)

    def sample(self, sample_shape=_SCALAR):
        with api.no_grad():
            rate = self._gamma.sample(sample_shape=sample_shape)
            return _torch_function("poisson")(rate)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        log_unnormalized = (self.total_count * _F.logsigmoid(-self.logits)
                            + value * _F.logsigmoid(self.logits))
        log_normalization = (-api.lgamma(self.total_count + value) + api.lgamma(1.0 + value)
                             + api.lgamma(self.total_count))
        log_normalization = log_normalization.masked_fill(self.total_count + value == 0.0,
                                                          0.0)
        return log_unnormalized - log_normalization

"""``torch.distributions`` (its first part): Normal, Bernoulli, Categorical, Uniform and
Poisson, with ``kl_divergence``, on the engine's own tensor ops (so that autograd runs through
``rsample``, ``log_prob``, ``entropy`` and the KL divergences).

What follows torch 2.13 exactly:

- the formulas, op for op in the same order, so that float32 results agree to the bit;
- the random draws: ``Normal.sample`` is ``torch.normal(loc, scale)`` on the expanded
  parameters, ``Normal.rsample`` fills ``empty(shape).normal_()`` and scales it,
  ``Bernoulli.sample`` is ``torch.bernoulli`` of the expanded probabilities,
  ``Categorical.sample`` takes ``torch.multinomial(probs_2d, n, True).T`` and
  ``Uniform.rsample`` is ``low + rand(shape) * (high - low)``, ``Poisson.sample`` is
  ``torch.poisson`` of the expanded rate, so that a seeded script
  draws what torch draws;
- argument validation, on by default as in torch: a parameter outside its constraint and
  a ``log_prob`` value outside the support raise torch's ValueError, word for word;
- ``probs``/``logits`` computed from each other lazily and cached on the instance, so that
  ``repr`` lists what torch lists.

``MEMBERS`` is the ``torch.distributions`` namespace (with the ``constraints``, ``kl``,
``utils`` and per-distribution submodules as dicts); each class names what a script may
read in ``__adcli_public__``.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import api
from adcli.engine import nn_functional as _F
from adcli.engine.shape import Size
from adcli.engine.shape import broadcast_shapes as _broadcast_pair
from adcli.engine.tensor import Tensor
from adcli.engine.tensor import warn as _warn
from adcli.errors import (
    TorchAttributeError,
    TorchNotImplementedError,
    TorchTypeError,
    TorchValueError,
)

_NUMBER = (int, float, bool)
_SCALAR = Size()  # the default sample shape: one draw


def _is_number(value) -> bool:
    return isinstance(value, _NUMBER)


def _size(shape) -> Size:
    """``torch.Size(shape)`` as the distributions build it: any iterable of ints."""
    if isinstance(shape, Size):
        return shape
    if isinstance(shape, str) or not hasattr(type(shape), "__iter__"):
        raise TorchTypeError(f"'{type(shape).__name__}' object is not iterable")
    return Size(shape)


def _broadcast_tensors(tensors):
    """torch.broadcast_tensors: each tensor itself where it has the common shape already,
    an expanded view of it elsewhere."""
    shape = ()
    for t in tensors:
        shape = _broadcast_pair(shape, tuple(t.shape))
    return tuple(t if tuple(t.shape) == shape else t.expand(shape) for t in tensors)


def broadcast_all(*values):
    """The values as tensors of one shape: numbers become tensors of the first tensor's
    dtype (the default dtype when all are numbers), then all are broadcast together."""
    if not all(isinstance(v, Tensor) or _is_number(v) for v in values):
        raise TorchValueError("Input arguments must all be instances of Number, torch.Tensor "
                              "or objects implementing __torch_function__.")
    if not all(isinstance(v, Tensor) for v in values):
        dtype = next((v.dtype for v in values if isinstance(v, Tensor)),
                     api.get_default_dtype())
        values = tuple(v if isinstance(v, Tensor) else api.tensor(v, dtype=dtype)
                       for v in values)
    return _broadcast_tensors(values)


def _eps(t: Tensor) -> float:
    return float(np.finfo(t._data.dtype).eps)


def clamp_probs(probs: Tensor) -> Tensor:
    """The probabilities clamped into [eps, 1 - eps] of their dtype."""
    eps = _eps(probs)
    return probs.clamp(min=eps, max=1 - eps)


def probs_to_logits(probs: Tensor, is_binary: bool = False) -> Tensor:
    clamped = clamp_probs(probs)
    if is_binary:
        return api.log(clamped) - api.log1p(-clamped)
    return api.log(clamped)


def logits_to_probs(logits: Tensor, is_binary: bool = False) -> Tensor:
    if is_binary:
        return api.sigmoid(logits)
    return _F.softmax(logits, dim=-1)


class _Lazy:
    """A parameter derived from the other on first read (probs from logits or back),
    computed with grad enabled and then kept in the instance's ``__dict__``."""

    def __init__(self, compute) -> None:
        self.compute = compute
        self.name = compute.__name__
        self.__doc__ = compute.__doc__

    def __get__(self, obj, cls=None):
        if obj is None:
            return self
        with api.enable_grad():
            value = self.compute(obj)
        obj.__dict__[self.name] = value
        return value


# ------------------------------------------------------------------------- constraints


class Constraint:
    """A region that values of a parameter or a sample must lie in
    (``torch.distributions.constraints.Constraint``)."""

    __adcli_public__ = frozenset({"check", "is_discrete", "event_dim"})
    __adcli_subclassable__ = True
    is_discrete = False
    event_dim = 0

    def check(self, value):
        raise TorchNotImplementedError("")

    def __repr__(self) -> str:
        return type(self).__name__[1:] + "()"


class _Dependent(Constraint):
    def check(self, value):
        raise TorchValueError("Cannot determine validity of dependent constraint")


class _Real(Constraint):
    def check(self, value):
        return value == value  # nan is not real


class _Boolean(Constraint):
    is_discrete = True

    def check(self, value):
        return (value == 0) | (value == 1)


class _Bounded(Constraint):
    """The constraints with bounds, which their repr shows."""

    _bounds: tuple = ()
    __adcli_public__ = Constraint.__adcli_public__ | {"lower_bound", "upper_bound"}

    def __repr__(self) -> str:
        shown = ", ".join(f"{b}={getattr(self, b)}" for b in self._bounds)
        return f"{type(self).__name__[1:]}({shown})"


class _GreaterThan(_Bounded):
    _bounds = ("lower_bound",)

    def __init__(self, lower_bound) -> None:
        self.lower_bound = lower_bound

    def check(self, value):
        return value > self.lower_bound


class _GreaterThanEq(_GreaterThan):
    def check(self, value):
        return value >= self.lower_bound


class _LessThan(_Bounded):
    _bounds = ("upper_bound",)

    def __init__(self, upper_bound) -> None:
        self.upper_bound = upper_bound

    def check(self, value):
        return value < self.upper_bound


class _Interval(_Bounded):
    _bounds = ("lower_bound", "upper_bound")

    def __init__(self, lower_bound, upper_bound) -> None:
        self.lower_bound = lower_bound
        self.upper_bound = upper_bound

    def check(self, value):
        return (value >= self.lower_bound) & (value <= self.upper_bound)


class _HalfOpenInterval(_Interval):
    def check(self, value):
        return (value >= self.lower_bound) & (value < self.upper_bound)


class _IntegerInterval(_Interval):
    is_discrete = True

    def check(self, value):
        return ((value % 1 == 0) & (value >= self.lower_bound)
                & (value <= self.upper_bound))


class _IntegerGreaterThan(_Bounded):
    is_discrete = True
    _bounds = ("lower_bound",)

    def __init__(self, lower_bound) -> None:
        self.lower_bound = lower_bound

    def check(self, value):
        return (value % 1 == 0) & (value >= self.lower_bound)


class _Simplex(Constraint):
    event_dim = 1

    def check(self, value):
        return (value >= 0).all(dim=-1) & ((value.sum(-1) - 1).abs() < 1e-6)


class _IndependentConstraint(Constraint):
    __adcli_public__ = Constraint.__adcli_public__ | {"base_constraint",
                                                      "reinterpreted_batch_ndims"}

    def __init__(self, base_constraint, reinterpreted_batch_ndims) -> None:
        self.base_constraint = base_constraint
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims

    @property
    def is_discrete(self):
        return self.base_constraint.is_discrete

    @property
    def event_dim(self):
        return self.base_constraint.event_dim + self.reinterpreted_batch_ndims

    def check(self, value):
        result = self.base_constraint.check(value)
        n = self.reinterpreted_batch_ndims
        if result.dim() < n:
            raise TorchValueError(f"Expected value.dim() >= {self.event_dim} but got "
                                  f"{value.dim()}")
        result = result.reshape(tuple(result.shape[:result.dim() - n]) + (-1,))
        return result.all(-1)

    def __repr__(self) -> str:
        return (f"{type(self).__name__[1:]}({self.base_constraint!r}, "
                f"{self.reinterpreted_batch_ndims})")


real = _Real()
boolean = _Boolean()
positive = _GreaterThan(0.0)
nonnegative = _GreaterThanEq(0.0)
nonnegative_integer = _IntegerGreaterThan(0)
unit_interval = _Interval(0.0, 1.0)
simplex = _Simplex()
real_vector = _IndependentConstraint(real, 1)
dependent = _Dependent()

CONSTRAINTS = {
    "Constraint": Constraint, "real": real, "boolean": boolean, "positive": positive,
    "nonnegative": nonnegative, "nonnegative_integer": nonnegative_integer,
    "integer_greater_than": _IntegerGreaterThan, "unit_interval": unit_interval, "simplex": simplex,
    "real_vector": real_vector, "dependent": dependent, "greater_than": _GreaterThan,
    "greater_than_eq": _GreaterThanEq, "less_than": _LessThan, "interval": _Interval,
    "half_open_interval": _HalfOpenInterval, "integer_interval": _IntegerInterval,
    "independent": _IndependentConstraint,
}


def _all_true(valid) -> bool:
    if isinstance(valid, Tensor):
        return bool(np.all(valid._data))
    return bool(valid)


# ------------------------------------------------------------------------ Distribution

_PUBLIC = frozenset({
    "batch_shape", "event_shape", "sample", "rsample", "sample_n", "log_prob", "cdf",
    "icdf", "entropy", "perplexity", "mean", "mode", "variance", "stddev",
    "enumerate_support", "expand", "arg_constraints", "support", "has_rsample",
    "has_enumerate_support",
    # what a script's own subclass calls on its base, as torch's subclasses do
    "_extended_shape", "_validate_sample", "_get_checked_instance", "_batch_shape",
    "_event_shape", "_validate_args",
})
_CLASS_PUBLIC = frozenset({"has_rsample", "has_enumerate_support",
                           "set_default_validate_args"})


class Distribution:
    """The base class of the distributions (``torch.distributions.Distribution``)."""

    __adcli_public__ = _PUBLIC
    __adcli_class_public__ = _CLASS_PUBLIC
    __adcli_subclassable__ = True  # a script may define its own distributions
    has_rsample = False
    has_enumerate_support = False
    _validate_args = True  # torch validates unless Python runs with -O
    arg_constraints: dict = {}

    @staticmethod
    def set_default_validate_args(value) -> None:
        """Turn argument validation on or off for every distribution made afterwards."""
        if value not in [True, False]:
            raise TorchValueError("")
        Distribution._validate_args = value

    def __init__(self, batch_shape=_SCALAR, event_shape=_SCALAR, validate_args=None) -> None:
        self._batch_shape = batch_shape
        self._event_shape = event_shape
        if validate_args is not None:
            self._validate_args = validate_args
        if self._validate_args:
            for param, constraint in self.arg_constraints.items():
                if isinstance(constraint, _Dependent):
                    continue
                if param not in self.__dict__ and isinstance(
                        getattr(type(self), param, None), _Lazy):
                    continue  # the parameter that was not given is not checked
                value = getattr(self, param)
                if not _all_true(constraint.check(value)):
                    raise TorchValueError(
                        f"Expected parameter {param} ({type(value).__name__} of shape "
                        f"{tuple(value.shape)}) of distribution {self!r} to satisfy the "
                        f"constraint {constraint!r}, but found invalid values:\n{value}")

    @property
    def batch_shape(self) -> Size:
        return self._batch_shape

    @property
    def event_shape(self) -> Size:
        return self._event_shape

    @property
    def support(self):
        raise TorchNotImplementedError("")

    @property
    def mean(self):
        raise TorchNotImplementedError("")

    @property
    def mode(self):
        name = type(self).__name__
        raise TorchNotImplementedError(f"<class 'torch.distributions.{name.lower()}.{name}'> "
                                       "does not implement mode")

    @property
    def variance(self):
        raise TorchNotImplementedError("")

    @property
    def stddev(self):
        return self.variance.sqrt()

    def sample(self, sample_shape=_SCALAR):
        with api.no_grad():
            return self.rsample(sample_shape)

    def rsample(self, sample_shape=_SCALAR):
        raise TorchNotImplementedError("")

    def sample_n(self, n):
        _warn("`sample_n(n)` will be deprecated. Use `sample((n,))` instead.",
              None, FutureWarning)
        return self.sample(Size((n,)))

    def log_prob(self, value):
        raise TorchNotImplementedError("")

    def cdf(self, value):
        raise TorchNotImplementedError("")

    def icdf(self, value):
        raise TorchNotImplementedError("")

    def enumerate_support(self, expand=True):
        raise TorchNotImplementedError("")

    def entropy(self):
        raise TorchNotImplementedError("")

    def perplexity(self):
        return api.exp(self.entropy())

    def expand(self, batch_shape, _instance=None):
        raise TorchNotImplementedError("")

    def _extended_shape(self, sample_shape=_SCALAR) -> Size:
        return Size(tuple(_size(sample_shape)) + self._batch_shape + self._event_shape)

    def _validate_sample(self, value) -> None:
        """torch's checks of a value to score: a tensor, its shape against the batch and
        event shapes, and its elements within the support."""
        if not isinstance(value, Tensor):
            raise TorchValueError("The value argument to log_prob must be a Tensor")
        size = value.size()
        start = len(size) - len(self._event_shape)
        if size[start:] != self._event_shape:
            raise TorchValueError(f"The right-most size of value must match event_shape: "
                                  f"{size} vs {self._event_shape}.")
        expected = self._batch_shape + self._event_shape
        for i, j in zip(reversed(size), reversed(expected)):
            if i != 1 and j != 1 and i != j:
                raise TorchValueError(f"Value is not broadcastable with "
                                      f"batch_shape+event_shape: {size} vs {expected}.")
        support = self.support
        if not _all_true(support.check(value)):
            raise TorchValueError(
                f"Expected value argument ({type(value).__name__} of shape "
                f"{tuple(value.shape)}) to be within the support ({support!r}) of the "
                f"distribution {self!r}, but found invalid values:\n{value}")

    def _get_checked_instance(self, cls, _instance=None):
        if _instance is None and type(self).__init__ != cls.__init__:
            raise TorchNotImplementedError(
                f"Subclass {type(self).__name__} of {cls.__name__} that defines a custom "
                "__init__ method must also define a custom .expand() method.")
        return type(self).__new__(type(self)) if _instance is None else _instance

    def _new_like(self, batch_shape, _instance=None) -> Distribution:
        """The object ``expand`` fills: ``_instance`` when a subclass's own ``expand``
        passes one, else a bare instance of this class; a script's subclass with its own
        ``__init__`` must define ``expand`` (torch's ``_get_checked_instance``)."""
        if _instance is None:
            cls = type(self)
            # the engine's classes each declare their public names; a script's do not
            engine_cls = next(k for k in cls.__mro__ if "__adcli_public__" in k.__dict__)
            if cls is not engine_cls and cls.__init__ is not engine_cls.__init__:
                raise TorchNotImplementedError(
                    f"Subclass {cls.__name__} of {engine_cls.__name__} that defines a "
                    "custom __init__ method must also define a custom .expand() method.")
        new = object.__new__(type(self)) if _instance is None else _instance
        new._batch_shape = _size(batch_shape)
        new._event_shape = self._event_shape
        new._validate_args = self._validate_args
        return new

    def __repr__(self) -> str:
        shown = []
        for p in self.arg_constraints:
            if p in self.__dict__:
                v = self.__dict__[p]
                shown.append(f"{p}: {v if v.numel() == 1 else v.size()}")
        return f"{type(self).__name__}({', '.join(shown)})"


class ExponentialFamily(Distribution):
    """The distributions of the exponential family (torch's base class of Normal,
    Bernoulli, Poisson, Exponential, Gamma, Beta, Dirichlet, ContinuousBernoulli): KL
    between two different families is refused."""

    __adcli_public__ = _PUBLIC


def _number_batch(a, b, first: Tensor) -> Size:
    return Size() if _is_number(a) and _is_number(b) else first.size()


class Normal(ExponentialFamily):
    """The normal distribution with mean ``loc`` and standard deviation ``scale``."""

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
    def stddev(self):
        return self.scale

    @property
    def variance(self):
        return self.stddev.pow(2)

    def sample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        with api.no_grad():
            return api.normal(self.loc.expand(shape), self.scale.expand(shape))

    def rsample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        eps = api.empty(shape, dtype=self.loc.dtype).normal_()
        return self.loc + eps * self.scale

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        var = self.scale ** 2
        log_scale = self.scale.log()
        return (-((value - self.loc) ** 2) / (2 * var) - log_scale
                - math.log(math.sqrt(2 * math.pi)))

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        z = (value - self.loc) * self.scale.reciprocal() / math.sqrt(2)
        return 0.5 * (1 + _torch_function("erf")(z))

    def icdf(self, value):
        return self.loc + self.scale * _torch_function("erfinv")(2 * value - 1) * math.sqrt(2)

    def entropy(self):
        return 0.5 + 0.5 * math.log(2 * math.pi) + api.log(self.scale)


def _torch_function(name: str):
    """``torch.<name>`` as a script calls it (arguments checked as torch checks them)."""
    from adcli.engine import declarations

    return declarations.torch_functions()[name]


def _one_of(probs, logits) -> None:
    if (probs is None) == (logits is None):
        raise TorchValueError("Either `probs` or `logits` must be specified, but not both.")


class Bernoulli(ExponentialFamily):
    """1 with probability ``probs`` (or ``sigmoid(logits)``), else 0."""

    __adcli_public__ = _PUBLIC | {"probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"probs": unit_interval, "logits": real}
    support = boolean
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None) -> None:
        _one_of(probs, logits)
        if probs is not None:
            given = probs
            (self.probs,) = broadcast_all(probs)
            self._param = self.probs
        else:
            given = logits
            (self.logits,) = broadcast_all(logits)
            self._param = self.logits
        batch = Size() if _is_number(given) else self._param.size()
        super().__init__(batch, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        for name in ("probs", "logits"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name].expand(new._batch_shape)
                new._param = new.__dict__[name]
        return new

    @_Lazy
    def logits(self):
        return probs_to_logits(self.probs, is_binary=True)

    @_Lazy
    def probs(self):
        return logits_to_probs(self.logits, is_binary=True)

    @property
    def param_shape(self):
        return self._param.size()

    @property
    def mean(self):
        return self.probs

    @property
    def mode(self):
        mode = (self.probs >= 0.5).to(self.probs.dtype)
        mode[self.probs == 0.5] = math.nan
        return mode

    @property
    def variance(self):
        return self.probs * (1 - self.probs)

    def sample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        with api.no_grad():
            return api.bernoulli(self.probs.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        return -_F.binary_cross_entropy_with_logits(logits, value, reduction="none")

    def entropy(self):
        return _F.binary_cross_entropy_with_logits(self.logits, self.probs,
                                                   reduction="none")

    def enumerate_support(self, expand=True):
        values = api.arange(2, dtype=self._param.dtype)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1,) + tuple(self._batch_shape))
        return values


class Categorical(Distribution):
    """An index in ``0 .. K-1`` drawn with the (normalised) weights ``probs``, or the
    softmax of ``logits``, along the last dimension."""

    __adcli_public__ = _PUBLIC | {"probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints"}
    arg_constraints = {"probs": simplex, "logits": real_vector}
    has_enumerate_support = True

    def __init__(self, probs=None, logits=None, validate_args=None) -> None:
        _one_of(probs, logits)
        if probs is not None:
            if _dim(probs) < 1:
                raise TorchValueError("`probs` parameter must be at least one-dimensional.")
            self.probs = probs / probs.sum(-1, keepdim=True)
            self._param = self.probs
        else:
            if _dim(logits) < 1:
                raise TorchValueError("`logits` parameter must be at least one-dimensional.")
            self.logits = logits - logits.logsumexp(dim=-1, keepdim=True)
            self._param = self.logits
        self._num_events = self._param.size()[-1]
        batch = self._param.size()[:-1] if self._param.ndimension() > 1 else Size()
        super().__init__(batch, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        shape = new._batch_shape + Size((self._num_events,))
        for name in ("probs", "logits"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name].expand(shape)
                new._param = new.__dict__[name]
        new._num_events = self._num_events
        return new

    @property
    def support(self):
        return _IntegerInterval(0, self._num_events - 1)

    @_Lazy
    def logits(self):
        return probs_to_logits(self.probs)

    @_Lazy
    def probs(self):
        return logits_to_probs(self.logits)

    @property
    def param_shape(self):
        return self._param.size()

    @property
    def mean(self):
        return api.full(tuple(self._extended_shape()), math.nan, dtype=self.probs.dtype)

    @property
    def mode(self):
        return self.probs.argmax(dim=-1)

    @property
    def variance(self):
        return api.full(tuple(self._extended_shape()), math.nan, dtype=self.probs.dtype)

    def sample(self, sample_shape=_SCALAR):
        sample_shape = _size(sample_shape)
        probs_2d = self.probs.reshape(-1, self._num_events)
        samples_2d = api.multinomial(probs_2d, sample_shape.numel(), True).T
        return samples_2d.reshape(tuple(self._extended_shape(sample_shape)))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        if not isinstance(value, Tensor):
            raise TorchAttributeError(f"'{type(value).__name__}' object has no attribute "
                                      "'long'")
        value = value.long().unsqueeze(-1)
        value, log_pmf = _broadcast_tensors((value, self.logits))
        value = value[..., :1]
        return log_pmf.gather(-1, value).squeeze(-1)

    def entropy(self):
        min_real = float(np.finfo(self.logits._data.dtype).min)
        logits = api.clamp(self.logits, min=min_real)
        p_log_p = logits * self.probs
        return -p_log_p.sum(-1)

    def enumerate_support(self, expand=True):
        values = api.arange(self._num_events, dtype=api.int64)
        values = values.view((-1,) + (1,) * len(self._batch_shape))
        if expand:
            values = values.expand((-1,) + tuple(self._batch_shape))
        return values


def _dim(value) -> int:
    if not isinstance(value, Tensor):
        raise TorchAttributeError(f"'{type(value).__name__}' object has no attribute 'dim'")
    return value.dim()


class Uniform(Distribution):
    """Uniform on the half-open interval ``[low, high)``."""

    __adcli_public__ = _PUBLIC | {"low", "high"}
    has_rsample = True

    def __init__(self, low, high, validate_args=None) -> None:
        self.low, self.high = broadcast_all(low, high)
        super().__init__(_number_batch(low, high, self.low), validate_args=validate_args)

    @property
    def arg_constraints(self):
        return {"low": _LessThan(self.high), "high": _GreaterThan(self.low)}

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.low = self.low.expand(new._batch_shape)
        new.high = self.high.expand(new._batch_shape)
        return new

    @property
    def support(self):
        return _Interval(self.low, self.high)

    @property
    def mean(self):
        return (self.high + self.low) / 2

    @property
    def mode(self):
        return math.nan * self.high

    @property
    def stddev(self):
        return (self.high - self.low) / 12 ** 0.5

    @property
    def variance(self):
        return (self.high - self.low).pow(2) / 12

    def rsample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        rand = api.rand(shape, dtype=self.low.dtype)
        return self.low + rand * (self.high - self.low)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        lb = self.low.le(value).type_as(self.low)
        ub = self.high.gt(value).type_as(self.low)
        return api.log(lb.mul(ub)) - api.log(self.high - self.low)

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        result = (value - self.low) / (self.high - self.low)
        return result.clamp(min=0, max=1)

    def icdf(self, value):
        return value * (self.high - self.low) + self.low

    def entropy(self):
        return api.log(self.high - self.low)


class Poisson(ExponentialFamily):
    """Counts with rate ``rate``: ``sample`` is ``torch.poisson`` of the expanded rate
    (torch's CPU stream, bit for bit); ``log_prob`` is ``k*log(rate) - rate - lgamma(k+1)``
    as torch writes it (``value.xlogy(rate) - rate - (value + 1).lgamma()``)."""

    __adcli_public__ = _PUBLIC | {"rate"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"rate": nonnegative}
    support = nonnegative_integer

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
        return self.rate

    @property
    def mode(self):
        return self.rate.floor()

    @property
    def variance(self):
        return self.rate

    def sample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        with api.no_grad():
            return _torch_function("poisson")(self.rate.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return value.xlogy(rate) - rate - (value + 1).lgamma()


# ------------------------------------------------------------------------------- KL


def _kl_normal_normal(p, q):
    var_ratio = (p.scale / q.scale).pow(2)
    t1 = ((p.loc - q.loc) / q.scale).pow(2)
    return 0.5 * (var_ratio + t1 - 1 - var_ratio.log())


def _kl_bernoulli_bernoulli(p, q):
    t1 = p.probs * (_F.softplus(-q.logits) - _F.softplus(-p.logits))
    t1[q.probs == 0] = math.inf
    t1[p.probs == 0] = 0
    t2 = (1 - p.probs) * (_F.softplus(q.logits) - _F.softplus(p.logits))
    t2[q.probs == 1] = math.inf
    t2[p.probs == 1] = 0
    return t1 + t2


def _kl_categorical_categorical(p, q):
    t = p.probs * (p.logits - q.logits)
    t[(q.probs == 0).expand_as(t)] = math.inf
    t[(p.probs == 0).expand_as(t)] = 0
    return t.sum(-1)


def _kl_uniform_uniform(p, q):
    result = ((q.high - q.low) / (p.high - p.low)).log()
    result[(q.low > p.low) | (q.high < p.high)] = math.inf
    return result


def _kl_normal_uniform(p, q):
    return api.full_like(p.loc, math.inf)


def _kl_uniform_normal(p, q):
    width = p.high - p.low
    t1 = (math.sqrt(math.pi * 2) * q.scale / width).log()
    t2 = width.pow(2) / 12
    t3 = ((p.high + p.low - 2 * q.loc) / 2).pow(2)
    return t1 + 0.5 * (t2 + t3) / q.scale.pow(2)


def _kl_poisson_poisson(p, q):
    return p.rate * (p.rate.log() - q.rate.log()) - (p.rate - q.rate)


def _kl_bernoulli_poisson(p, q):
    return -p.entropy() - (p.probs * q.rate.log() - q.rate)


def _kl_poisson_bernoulli(p, q):
    return api.full_like(p.rate, math.inf)


_KL = {
    (Normal, Normal): _kl_normal_normal,
    (Bernoulli, Bernoulli): _kl_bernoulli_bernoulli,
    (Categorical, Categorical): _kl_categorical_categorical,
    (Uniform, Uniform): _kl_uniform_uniform,
    (Normal, Uniform): _kl_normal_uniform,
    (Uniform, Normal): _kl_uniform_normal,
    (Poisson, Poisson): _kl_poisson_poisson,
    (Bernoulli, Poisson): _kl_bernoulli_poisson,
    (Poisson, Bernoulli): _kl_poisson_bernoulli,
}


def _kl_lookup(tp, tq):
    """The registered KL for the most specific pair of classes that p and q are instances
    of (torch's registry order: the nearest class of p first)."""
    fn = _KL.get((tp, tq))
    if fn is not None:
        return fn
    for a in tp.__mro__:
        for b in tq.__mro__:
            if (a, b) in _KL:
                return _KL[(a, b)]
    return None


def register_kl(type_p, type_q):
    """``@register_kl(P, Q)``: the decorated function computes KL(p || q) for p of class
    P and q of class Q (and their subclasses, the most specific pair winning)."""
    if not isinstance(type_p, type) or not issubclass(type_p, Distribution):
        raise TorchTypeError(f"Expected type_p to be a Distribution subclass but got "
                             f"{type_p}")
    if not isinstance(type_q, type) or not issubclass(type_q, Distribution):
        raise TorchTypeError(f"Expected type_q to be a Distribution subclass but got "
                             f"{type_q}")

    def decorator(fun):
        _KL[(type_p, type_q)] = fun
        return fun

    return decorator


def kl_divergence(p, q):
    """KL(p || q) for the pairs torch 2.13 computes among these distributions."""
    fn = _kl_lookup(type(p), type(q))
    if fn is not None:
        return fn(p, q)
    if isinstance(p, ExponentialFamily) and isinstance(q, ExponentialFamily):
        raise TorchNotImplementedError(
            "The cross KL-divergence between different exponential families cannot "
            "                            be computed using Bregman divergences")
    raise TorchNotImplementedError(
        f"No KL(p || q) is implemented for p type {type(p).__name__} and q type "
        f"{type(q).__name__}")


# ---------------------------------------------------------------------- the namespace

MEMBERS = {
    "Distribution": Distribution,
    "ExponentialFamily": ExponentialFamily,
    "Normal": Normal,
    "Bernoulli": Bernoulli,
    "Categorical": Categorical,
    "Uniform": Uniform,
    "Poisson": Poisson,
    "kl_divergence": kl_divergence,
    "constraints": CONSTRAINTS,
    "kl": {"kl_divergence": kl_divergence, "register_kl": register_kl},
    "utils": {"broadcast_all": broadcast_all, "clamp_probs": clamp_probs,
              "probs_to_logits": probs_to_logits, "logits_to_probs": logits_to_probs},
    "distribution": {"Distribution": Distribution},
    "exp_family": {"ExponentialFamily": ExponentialFamily},
    "normal": {"Normal": Normal},
    "bernoulli": {"Bernoulli": Bernoulli},
    "categorical": {"Categorical": Categorical},
    "uniform": {"Uniform": Uniform},
    "poisson": {"Poisson": Poisson},
}

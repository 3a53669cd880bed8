"""``torch.distributions.transforms`` (Exp, Sigmoid, Tanh, Softplus, Abs, Affine,
Compose, with torch's one-entry cache) and TransformedDistribution, with LogNormal,
HalfNormal and Gumbel built on it."""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import api
from adcli.engine import nn_functional as _F
from adcli.engine.distributions import continuous as _continuous
from adcli.engine.distributions import core as _core
from adcli.engine.distributions.core import (
    _CLASS_PUBLIC,
    _PUBLIC,
    _SCALAR,
    Distribution,
    Normal,
    _is_number,
    _Lazy,
    _one_of,
    broadcast_all,
    clamp_probs,
    logits_to_probs,
    nonnegative,
    positive,
    probs_to_logits,
    real,
    real_vector,
    simplex,
    unit_interval,
)
from adcli.engine.distributions.multivariate import _sum_rightmost
from adcli.engine.shape import Size
from adcli.errors import TorchValueError

# ------------------------------------------------------------ TransformedDistribution


def _param_shape(shape, *params):
    """``shape`` broadcast with the shapes of the tensor parameters (a transform's
    forward_shape)."""
    out = tuple(shape)
    for p in params:
        if isinstance(p, _core.Tensor):
            out = _core._broadcast_pair(out, tuple(p.shape))
    return Size(out)


class Transform:
    """An invertible map with its log |det J| (``torch.distributions.transforms``):
    elementwise ones here, with torch's one-entry cache (``cache_size=1``: the last
    ``x -> y`` pair, so that the inverse of a value just produced is the input itself)."""

    __adcli_public__ = frozenset({"inv", "log_abs_det_jacobian", "domain", "codomain",
                                  "bijective", "sign", "event_dim"})
    __adcli_subclassable__ = True
    bijective = False
    event_dim = 0
    domain = real
    codomain = real
    sign = 1

    def __init__(self, cache_size: int = 0) -> None:
        if cache_size not in (0, 1):
            raise TorchValueError("cache_size must be 0 or 1")
        self._cache_size = cache_size
        self._cached_x_y = (None, None)
        self._inverse_t = None

    @property
    def inv(self):
        if self._inverse_t is None:
            self._inverse_t = _InverseTransform(self)
        return self._inverse_t

    def __call__(self, x):
        if self._cache_size == 0:
            return self._call(x)
        x_old, y_old = self._cached_x_y
        if x is x_old:
            return y_old
        y = self._call(x)
        self._cached_x_y = (x, y)
        return y

    def _inv_call(self, y):
        if self._cache_size == 0:
            return self._inverse(y)
        x_old, y_old = self._cached_x_y
        if y is y_old:
            return x_old
        x = self._inverse(y)
        self._cached_x_y = (x, y)
        return x

    def __repr__(self) -> str:
        return type(self).__name__ + "()"

    def forward_shape(self, shape):
        return shape

    def inverse_shape(self, shape):
        return shape

    def __eq__(self, other) -> bool:
        return self is other

    def __ne__(self, other) -> bool:
        return not self.__eq__(other)

    def __hash__(self) -> int:
        return id(self)


class _InverseTransform(Transform):
    def __init__(self, transform) -> None:
        super().__init__(cache_size=transform._cache_size)
        self._inv = transform

    @property
    def inv(self):
        return self._inv

    @property
    def domain(self):
        return self._inv.codomain

    @property
    def codomain(self):
        return self._inv.domain

    @property
    def sign(self):
        return self._inv.sign

    @property
    def event_dim(self):
        return self._inv.event_dim

    def __call__(self, x):
        return self._inv._inv_call(x)

    def log_abs_det_jacobian(self, x, y):
        return -self._inv.log_abs_det_jacobian(y, x)

    def forward_shape(self, shape):
        return self._inv.inverse_shape(shape)

    def inverse_shape(self, shape):
        return self._inv.forward_shape(shape)

    def __eq__(self, other) -> bool:
        return isinstance(other, _InverseTransform) and self._inv == other._inv

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._inv!r})"


class _Elementwise(Transform):
    bijective = True

    def __eq__(self, other) -> bool:
        return isinstance(other, type(self))


class ExpTransform(_Elementwise):
    """y = exp(x)."""

    codomain = positive

    def _call(self, x):
        return x.exp()

    def _inverse(self, y):
        return y.log()

    def log_abs_det_jacobian(self, x, y):
        return x


def _clipped_sigmoid(x):
    finfo = np.finfo(x._data.dtype)
    return api.clamp(api.sigmoid(x), min=float(finfo.tiny), max=1.0 - float(finfo.eps))


class SigmoidTransform(_Elementwise):
    """y = sigmoid(x), clamped into [tiny, 1 - eps]; x = logit(y)."""

    codomain = unit_interval

    def _call(self, x):
        return _clipped_sigmoid(x)

    def _inverse(self, y):
        finfo = np.finfo(y._data.dtype)
        y = y.clamp(min=float(finfo.tiny), max=1.0 - float(finfo.eps))
        return y.log() - (-y).log1p()

    def log_abs_det_jacobian(self, x, y):
        return -_F.softplus(-x) - _F.softplus(x)


class TanhTransform(_Elementwise):
    """y = tanh(x); use ``cache_size=1`` to invert a value it produced exactly."""

    codomain = _core._Interval(-1.0, 1.0)

    def _call(self, x):
        return x.tanh()

    def _inverse(self, y):
        # atanh, which the engine lacks: 0.5 * (log1p(y) - log1p(-y)), equal to torch's
        # but for the last bits (a cached inverse, cache_size=1, is exact)
        return 0.5 * (api.log1p(y) - api.log1p(-y))

    def log_abs_det_jacobian(self, x, y):
        return 2.0 * (math.log(2.0) - x - _F.softplus(-2.0 * x))


class SoftplusTransform(_Elementwise):
    """y = softplus(x) = log(1 + exp(x))."""

    codomain = positive

    def _call(self, x):
        return _F.softplus(x)

    def _inverse(self, y):
        return (-y).expm1().neg().log() + y

    def log_abs_det_jacobian(self, x, y):
        return -_F.softplus(-x)


class AbsTransform(_Elementwise):
    """y = |x| (not bijective: the inverse is the identity)."""

    codomain = positive
    bijective = False

    def _call(self, x):
        return x.abs()

    def _inverse(self, y):
        return y


class AffineTransform(Transform):
    """y = loc + scale * x (over ``event_dim`` rightmost dims for the Jacobian)."""

    __adcli_public__ = Transform.__adcli_public__ | {"loc", "scale"}
    bijective = True

    def __init__(self, loc, scale, event_dim=0, cache_size=0) -> None:
        super().__init__(cache_size=cache_size)
        self.loc = loc
        self.scale = scale
        self.event_dim = event_dim

    @property
    def domain(self):
        return real if self.event_dim == 0 else _core._IndependentConstraint(real,
                                                                             self.event_dim)

    codomain = domain

    def forward_shape(self, shape):
        return _param_shape(shape, self.loc, self.scale)

    inverse_shape = forward_shape

    @property
    def sign(self):
        if _is_number(self.scale):
            return 1 if float(self.scale) > 0 else -1 if float(self.scale) < 0 else 0
        return self.scale.sign()

    def _call(self, x):
        return self.loc + self.scale * x

    def _inverse(self, y):
        return (y - self.loc) / self.scale

    def log_abs_det_jacobian(self, x, y):
        shape = tuple(x.shape)
        scale = self.scale
        if _is_number(scale):
            result = api.full_like(x, math.log(abs(scale)))
        else:
            result = api.abs(scale).log()
        if self.event_dim:
            result = _sum_rightmost(result, self.event_dim)
            shape = shape[:len(shape) - self.event_dim]
        return result.expand(shape)

    def __eq__(self, other) -> bool:
        if not isinstance(other, AffineTransform):
            return False
        for a, b in ((self.loc, other.loc), (self.scale, other.scale)):
            if _is_number(a) and _is_number(b):
                if a != b:
                    return False
            elif not bool((a == b).all()):
                return False
        return True


class PowerTransform(Transform):
    """y = x ** exponent on the positive reals."""

    __adcli_public__ = Transform.__adcli_public__ | {"exponent"}
    domain = positive
    codomain = positive
    bijective = True

    def __init__(self, exponent, cache_size=0) -> None:
        super().__init__(cache_size=cache_size)
        (self.exponent,) = broadcast_all(exponent)

    @property
    def sign(self):
        return self.exponent.sign()

    def __eq__(self, other) -> bool:
        if not isinstance(other, PowerTransform):
            return False
        return bool(self.exponent.eq(other.exponent).all().item())

    def _call(self, x):
        return x.pow(self.exponent)

    def _inverse(self, y):
        return y.pow(1 / self.exponent)

    def log_abs_det_jacobian(self, x, y):
        return (self.exponent * y / x).abs().log()

    def forward_shape(self, shape):
        return _param_shape(shape, self.exponent)

    inverse_shape = forward_shape


class ComposeTransform(Transform):
    """Transforms applied in order."""

    __adcli_public__ = Transform.__adcli_public__ | {"parts"}

    def __init__(self, parts, cache_size=0) -> None:
        super().__init__(cache_size=cache_size)
        self.parts = list(parts)

    def __eq__(self, other) -> bool:
        return isinstance(other, ComposeTransform) and self.parts == other.parts

    @property
    def bijective(self):
        return all(p.bijective for p in self.parts)

    @property
    def domain(self):
        if not self.parts:
            return real
        domain = self.parts[0].domain
        event_dim = self.parts[-1].codomain.event_dim
        for part in reversed(self.parts):
            event_dim += part.domain.event_dim - part.codomain.event_dim
            event_dim = max(event_dim, part.domain.event_dim)
        if event_dim > domain.event_dim:
            domain = _core._IndependentConstraint(domain, event_dim - domain.event_dim)
        return domain

    @property
    def codomain(self):
        if not self.parts:
            return real
        codomain = self.parts[-1].codomain
        event_dim = self.parts[0].domain.event_dim
        for part in self.parts:
            event_dim += part.codomain.event_dim - part.domain.event_dim
            event_dim = max(event_dim, part.codomain.event_dim)
        if event_dim > codomain.event_dim:
            codomain = _core._IndependentConstraint(codomain,
                                                    event_dim - codomain.event_dim)
        return codomain

    def forward_shape(self, shape):
        for part in self.parts:
            shape = part.forward_shape(shape)
        return shape

    def inverse_shape(self, shape):
        for part in reversed(self.parts):
            shape = part.inverse_shape(shape)
        return shape

    def __call__(self, x):
        for part in self.parts:
            x = part(x)
        return x

    def _inv_call(self, y):
        for part in reversed(self.parts):
            y = part.inv(y)
        return y

    def log_abs_det_jacobian(self, x, y):
        if not self.parts:
            return api.zeros_like(x)
        xs = [x]
        for part in self.parts[:-1]:
            xs.append(part(xs[-1]))
        xs.append(y)
        total = 0.0
        for part, a, b in zip(self.parts, xs[:-1], xs[1:]):
            total = total + part.log_abs_det_jacobian(a, b)
        return total

    def __repr__(self) -> str:
        inner = ",\n    ".join(repr(p) for p in self.parts)
        return f"{type(self).__name__}(\n    {inner}\n)"


class IndependentTransform(Transform):
    """A transform whose log |det J| is summed over ``reinterpreted_batch_ndims`` more
    rightmost dims."""

    __adcli_public__ = Transform.__adcli_public__ | {"base_transform",
                                                     "reinterpreted_batch_ndims"}

    def __init__(self, base_transform, reinterpreted_batch_ndims, cache_size=0) -> None:
        super().__init__(cache_size=cache_size)
        self.base_transform = base_transform
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims

    @property
    def domain(self):
        return _core._IndependentConstraint(self.base_transform.domain,
                                            self.reinterpreted_batch_ndims)

    @property
    def codomain(self):
        return _core._IndependentConstraint(self.base_transform.codomain,
                                            self.reinterpreted_batch_ndims)

    @property
    def bijective(self):
        return self.base_transform.bijective

    @property
    def sign(self):
        return self.base_transform.sign

    def _call(self, x):
        if x.dim() < self.domain.event_dim:
            raise TorchValueError("Too few dimensions on input")
        return self.base_transform(x)

    def _inverse(self, y):
        if y.dim() < self.codomain.event_dim:
            raise TorchValueError("Too few dimensions on input")
        return self.base_transform.inv(y)

    def log_abs_det_jacobian(self, x, y):
        result = self.base_transform.log_abs_det_jacobian(x, y)
        return _sum_rightmost(result, self.reinterpreted_batch_ndims)

    def forward_shape(self, shape):
        return self.base_transform.forward_shape(shape)

    def inverse_shape(self, shape):
        return self.base_transform.inverse_shape(shape)

    def __repr__(self) -> str:
        return (f"{type(self).__name__}({self.base_transform!r}, "
                f"{self.reinterpreted_batch_ndims})")


class SoftmaxTransform(Transform):
    """exp then normalise over the last dim (onto the simplex; not bijective)."""

    domain = real_vector
    codomain = simplex

    def __eq__(self, other) -> bool:
        return isinstance(other, SoftmaxTransform)

    def _call(self, x):
        probs = (x - x.max(-1, True)[0]).exp()
        return probs / probs.sum(-1, True)

    def _inverse(self, y):
        return y.log()


class StickBreakingTransform(Transform):
    """The stick-breaking map from R^(K-1) onto the K-simplex (bijective)."""

    domain = real_vector
    codomain = simplex
    bijective = True

    def __eq__(self, other) -> bool:
        return isinstance(other, StickBreakingTransform)

    def _call(self, x):
        n = x.shape[-1]
        offset = n + 1 - api.ones(n, dtype=x.dtype).cumsum(-1)
        z = _clipped_sigmoid(x - offset.log())
        z_cumprod = (1 - z).cumprod(-1)
        return _F.pad(z, [0, 1], value=1) * _F.pad(z_cumprod, [1, 0], value=1)

    def _inverse(self, y):
        y_crop = y[..., :-1]
        offset = y.shape[-1] - api.ones(y_crop.shape[-1], dtype=y.dtype).cumsum(-1)
        sf = 1 - y_crop.cumsum(-1)
        sf = api.clamp(sf, min=float(np.finfo(y._data.dtype).tiny))
        return y_crop.log() - sf.log() + offset.log()

    def log_abs_det_jacobian(self, x, y):
        n = x.shape[-1]
        offset = n + 1 - api.ones(n, dtype=x.dtype).cumsum(-1)
        x = x - offset.log()
        return (-x + _F.logsigmoid(x) + y[..., :-1].log()).sum(-1)

    def forward_shape(self, shape):
        if len(shape) < 1:
            raise TorchValueError("Too few dimensions on input")
        return Size(tuple(shape)[:-1] + (shape[-1] + 1,))

    def inverse_shape(self, shape):
        if len(shape) < 1:
            raise TorchValueError("Too few dimensions on input")
        return Size(tuple(shape)[:-1] + (shape[-1] - 1,))


identity_transform = ComposeTransform([])


class TransformedDistribution(Distribution):
    """A base distribution pushed through a list of (elementwise) transforms."""

    __adcli_public__ = _PUBLIC | {"base_dist", "transforms"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints"}
    arg_constraints: dict = {}

    def __init__(self, base_distribution, transforms, validate_args=None) -> None:
        if isinstance(transforms, Transform):
            self.transforms = [transforms]
        elif isinstance(transforms, list):
            if not all(isinstance(t, Transform) for t in transforms):
                raise TorchValueError("transforms must be a Transform or a list of "
                                      "Transforms")
            self.transforms = transforms
        else:
            raise TorchValueError(f"transforms must be a Transform or list, but was "
                                  f"{transforms}")
        transform = ComposeTransform(self.transforms)
        base_event = len(base_distribution.event_shape)
        shape = Size(tuple(base_distribution.batch_shape + base_distribution.event_shape))
        if len(shape) < transform.domain.event_dim:
            raise TorchValueError(f"base_distribution needs to have shape with size at least "
                                  f"{transform.domain.event_dim}, but got {shape}.")
        forward_shape = Size(tuple(transform.forward_shape(shape)))
        expanded = Size(tuple(transform.inverse_shape(forward_shape)))
        if shape != expanded:
            base_distribution = base_distribution.expand(
                expanded[:len(expanded) - base_event])
        reinterpreted = transform.domain.event_dim - len(base_distribution.event_shape)
        if reinterpreted > 0:
            from adcli.engine.distributions.multivariate import Independent

            base_distribution = Independent(base_distribution, reinterpreted)
        self.base_dist = base_distribution
        change = transform.codomain.event_dim - transform.domain.event_dim
        event_dim = max(transform.codomain.event_dim, base_event + change)
        cut = len(forward_shape) - event_dim
        super().__init__(Size(tuple(forward_shape)[:cut]), Size(tuple(forward_shape)[cut:]),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        shape = Size(tuple(new._batch_shape + self._event_shape))
        for t in reversed(self.transforms):
            shape = Size(tuple(t.inverse_shape(shape)))
        base_batch = shape[:len(shape) - len(self.base_dist.event_shape)]
        new.base_dist = self.base_dist.expand(base_batch)
        new.transforms = self.transforms
        return new

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    @property
    def support(self):
        if not self.transforms:
            return self.base_dist.support
        support = self.transforms[-1].codomain
        if len(self._event_shape) > support.event_dim:
            support = _core._IndependentConstraint(
                support, len(self._event_shape) - support.event_dim)
        return support

    def sample(self, sample_shape=_SCALAR):
        with api.no_grad():
            x = self.base_dist.sample(sample_shape)
            for t in self.transforms:
                x = t(x)
            return x

    def rsample(self, sample_shape=_SCALAR):
        x = self.base_dist.rsample(sample_shape)
        for t in self.transforms:
            x = t(x)
        return x

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        event_dim = len(self._event_shape)
        log_prob = 0.0
        y = value
        for t in reversed(self.transforms):
            x = t.inv(y)
            event_dim += t.domain.event_dim - t.codomain.event_dim
            log_prob = log_prob - _sum_rightmost(t.log_abs_det_jacobian(x, y),
                                                 event_dim - t.domain.event_dim)
            y = x
        return log_prob + _sum_rightmost(self.base_dist.log_prob(y),
                                         event_dim - len(self.base_dist.event_shape))


class LogNormal(TransformedDistribution):
    """exp of a Normal(loc, scale) draw."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"loc", "scale"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"loc": real, "scale": positive}
    support = positive
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None) -> None:
        base = Normal(loc, scale, validate_args=validate_args)
        super().__init__(base, ExpTransform(), validate_args=validate_args)

    @property
    def loc(self):
        return self.base_dist.loc

    @property
    def scale(self):
        return self.base_dist.scale

    @property
    def mean(self):
        return (self.loc + self.scale.pow(2) / 2).exp()

    @property
    def mode(self):
        return (self.loc - self.scale.square()).exp()

    @property
    def variance(self):
        scale_sq = self.scale.pow(2)
        return scale_sq.expm1() * (2 * self.loc + scale_sq).exp()

    def entropy(self):
        return self.base_dist.entropy() + self.loc


class HalfNormal(TransformedDistribution):
    """|X| for X ~ Normal(0, scale)."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"scale"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"scale": positive}
    support = nonnegative
    has_rsample = True

    def __init__(self, scale, validate_args=None) -> None:
        base = Normal(0, scale, validate_args=False)
        super().__init__(base, AbsTransform(), validate_args=validate_args)

    @property
    def scale(self):
        return self.base_dist.scale

    @property
    def mean(self):
        return self.scale * math.sqrt(2 / math.pi)

    @property
    def mode(self):
        return api.zeros_like(self.scale)

    @property
    def variance(self):
        return self.scale.pow(2) * (1 - 2 / math.pi)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return api.where(value >= 0, log_prob, -math.inf)

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, prob):
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self):
        return self.base_dist.entropy() - math.log(2)


_EULER = 0.57721566490153286060


class Gumbel(TransformedDistribution):
    """The Gumbel distribution: a Uniform pushed through -log(-log(u)), scaled."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"loc", "scale"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"loc": real, "scale": positive}
    support = real

    def __init__(self, loc, scale, validate_args=None) -> None:
        self.loc, self.scale = broadcast_all(loc, scale)
        finfo = np.finfo(self.loc._data.dtype)
        tiny, top = float(finfo.tiny), 1 - float(finfo.eps)
        if _is_number(loc) and _is_number(scale):
            base = _core.Uniform(tiny, top, validate_args=validate_args)
        else:
            base = _core.Uniform(api.full_like(self.loc, tiny), api.full_like(self.loc, top),
                                 validate_args=validate_args)
        transforms = [ExpTransform().inv, AffineTransform(loc=0, scale=-api.ones_like(self.scale)),
                      ExpTransform().inv, AffineTransform(loc=loc, scale=-self.scale)]
        super().__init__(base, transforms, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = super().expand(batch_shape, _instance)
        new.loc = self.loc.expand(new._batch_shape)
        new.scale = self.scale.expand(new._batch_shape)
        return new

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        y = (self.loc - value) / self.scale
        return (y - y.exp()) - self.scale.log()

    @property
    def mean(self):
        return self.loc + self.scale * _EULER

    @property
    def mode(self):
        return self.loc

    @property
    def stddev(self):
        return (math.pi / math.sqrt(6)) * self.scale

    @property
    def variance(self):
        return self.stddev.pow(2)

    def entropy(self):
        return self.scale.log() + (1 + _EULER)




class ExpRelaxedCategorical(Distribution):
    """The log of a RelaxedOneHotCategorical draw (Gumbel-softmax scores)."""

    __adcli_public__ = _PUBLIC | {"temperature", "probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"probs": simplex, "logits": real_vector}
    support = real_vector
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None) -> None:
        self._categorical = _core.Categorical(probs, logits)
        self.temperature = temperature
        super().__init__(self._categorical.batch_shape,
                         Size(tuple(self._categorical.param_shape)[-1:]),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.temperature = self.temperature
        new._categorical = self._categorical.expand(new._batch_shape)
        return new

    @property
    def param_shape(self):
        return self._categorical.param_shape

    @property
    def logits(self):
        return self._categorical.logits

    @property
    def probs(self):
        return self._categorical.probs

    def rsample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        uniforms = clamp_probs(api.rand(shape, dtype=self.logits.dtype))
        gumbels = -((-(uniforms.log())).log())
        scores = (self.logits + gumbels) / self.temperature
        return scores - scores.logsumexp(dim=-1, keepdim=True)

    def log_prob(self, value):
        K = self._categorical._num_events
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        log_scale = (api.full_like(self.temperature, float(K)).lgamma()
                     - self.temperature.log().mul(-(K - 1)))
        score = logits - value.mul(self.temperature)
        score = (score - score.logsumexp(dim=-1, keepdim=True)).sum(-1)
        return score + log_scale


class RelaxedOneHotCategorical(TransformedDistribution):
    """The Gumbel-softmax (Concrete) relaxation of a one-hot Categorical draw."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"temperature", "probs",
                                                                   "logits"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"probs": simplex, "logits": real_vector}
    support = simplex
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None) -> None:
        base = ExpRelaxedCategorical(temperature, probs, logits, validate_args=validate_args)
        super().__init__(base, ExpTransform(), validate_args=validate_args)

    @property
    def temperature(self):
        return self.base_dist.temperature

    @property
    def logits(self):
        return self.base_dist.logits

    @property
    def probs(self):
        return self.base_dist.probs


class LogitRelaxedBernoulli(Distribution):
    """The logit of a RelaxedBernoulli draw."""

    __adcli_public__ = _PUBLIC | {"temperature", "probs", "logits", "param_shape"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"probs": unit_interval, "logits": real}
    support = real

    def __init__(self, temperature, probs=None, logits=None, validate_args=None) -> None:
        self.temperature = temperature
        _one_of(probs, logits)
        if probs is not None:
            is_scalar = _is_number(probs)
            (self.probs,) = broadcast_all(probs)
            self._param = self.probs
        else:
            is_scalar = _is_number(logits)
            (self.logits,) = broadcast_all(logits)
            self._param = self.logits
        batch = Size() if is_scalar else self._param.size()
        super().__init__(batch, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        new.temperature = self.temperature
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

    def rsample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        probs = clamp_probs(self.probs.expand(shape))
        uniforms = clamp_probs(api.rand(shape, dtype=probs.dtype))
        return (uniforms.log() - (-uniforms).log1p() + probs.log()
                - (-probs).log1p()) / self.temperature

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        logits, value = broadcast_all(self.logits, value)
        diff = logits - value.mul(self.temperature)
        return self.temperature.log() + diff - 2 * diff.exp().log1p()


class RelaxedBernoulli(TransformedDistribution):
    """The Concrete relaxation of a Bernoulli draw: a value in (0, 1)."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"temperature", "probs",
                                                                   "logits"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"probs": unit_interval, "logits": real}
    support = unit_interval
    has_rsample = True

    def __init__(self, temperature, probs=None, logits=None, validate_args=None) -> None:
        base = LogitRelaxedBernoulli(temperature, probs, logits)
        super().__init__(base, SigmoidTransform(), validate_args=validate_args)

    @property
    def temperature(self):
        return self.base_dist.temperature

    @property
    def logits(self):
        return self.base_dist.logits

    @property
    def probs(self):
        return self.base_dist.probs


class HalfCauchy(TransformedDistribution):
    """|X| for X ~ Cauchy(0, scale)."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"scale"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"scale": positive}
    support = nonnegative
    has_rsample = True

    def __init__(self, scale, validate_args=None) -> None:
        base = _continuous.Cauchy(0, scale, validate_args=False)
        super().__init__(base, AbsTransform(), validate_args=validate_args)

    @property
    def scale(self):
        return self.base_dist.scale

    @property
    def mean(self):
        return api.full(tuple(self._extended_shape()), math.inf, dtype=self.scale.dtype)

    @property
    def mode(self):
        return api.zeros_like(self.scale)

    @property
    def variance(self):
        return self.base_dist.variance

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        value = api.as_tensor(value, dtype=self.base_dist.scale.dtype)
        log_prob = self.base_dist.log_prob(value) + math.log(2)
        return api.where(value >= 0, log_prob, -math.inf)

    def cdf(self, value):
        if self._validate_args:
            self._validate_sample(value)
        return 2 * self.base_dist.cdf(value) - 1

    def icdf(self, prob):
        return self.base_dist.icdf((prob + 1) / 2)

    def entropy(self):
        return self.base_dist.entropy() - math.log(2)


class Pareto(TransformedDistribution):
    """The Pareto (type I) distribution: scale * exp(Exponential(alpha))."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"scale", "alpha"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints"}
    arg_constraints = {"alpha": positive, "scale": positive}

    def __init__(self, scale, alpha, validate_args=None) -> None:
        self.scale, self.alpha = broadcast_all(scale, alpha)
        base = _continuous.Exponential(self.alpha, validate_args=validate_args)
        transforms = [ExpTransform(), AffineTransform(loc=0, scale=self.scale)]
        super().__init__(base, transforms, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = super().expand(batch_shape, _instance)
        new.scale = self.scale.expand(new._batch_shape)
        new.alpha = self.alpha.expand(new._batch_shape)
        return new

    @property
    def mean(self):
        a = self.alpha.clamp(min=1)
        return a * self.scale / (a - 1)

    @property
    def mode(self):
        return self.scale

    @property
    def variance(self):
        a = self.alpha.clamp(min=2)
        return self.scale.pow(2) * a / ((a - 1).pow(2) * (a - 2))

    @property
    def support(self):
        return _core._GreaterThanEq(self.scale)

    def entropy(self):
        return (self.scale / self.alpha).log() + (1 + self.alpha.reciprocal())


class Weibull(TransformedDistribution):
    """The Weibull distribution: scale * Exponential(1) ** (1 / concentration)."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {
        "scale", "concentration", "concentration_reciprocal"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"scale": positive, "concentration": positive}
    support = positive

    def __init__(self, scale, concentration, validate_args=None) -> None:
        self.scale, self.concentration = broadcast_all(scale, concentration)
        self.concentration_reciprocal = self.concentration.reciprocal()
        base = _continuous.Exponential(api.ones_like(self.scale), validate_args=validate_args)
        transforms = [PowerTransform(exponent=self.concentration_reciprocal),
                      AffineTransform(loc=0, scale=self.scale)]
        super().__init__(base, transforms, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        shape = new._batch_shape
        new.scale = self.scale.expand(shape)
        new.concentration = self.concentration.expand(shape)
        new.concentration_reciprocal = new.concentration.reciprocal()
        new.base_dist = self.base_dist.expand(shape)
        new.transforms = [PowerTransform(exponent=new.concentration_reciprocal),
                          AffineTransform(loc=0, scale=new.scale)]
        return new

    @property
    def mean(self):
        return self.scale * api.exp(api.lgamma(1 + self.concentration_reciprocal))

    @property
    def mode(self):
        return (self.scale * ((self.concentration - 1) / self.concentration)
                ** self.concentration.reciprocal())

    @property
    def variance(self):
        return self.scale.pow(2) * (
            api.exp(api.lgamma(1 + 2 * self.concentration_reciprocal))
            - api.exp(2 * api.lgamma(1 + self.concentration_reciprocal)))

    def entropy(self):
        return (_EULER * (1 - self.concentration_reciprocal)
                + api.log(self.scale * self.concentration_reciprocal) + 1)


class InverseGamma(TransformedDistribution):
    """1 / X for X ~ Gamma(concentration, rate)."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"concentration", "rate"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"concentration": positive, "rate": positive}
    support = positive
    has_rsample = True

    def __init__(self, concentration, rate, validate_args=None) -> None:
        base = _continuous.Gamma(concentration, rate, validate_args=validate_args)
        neg_one = -api.ones((), dtype=base.rate.dtype)
        super().__init__(base, PowerTransform(neg_one), validate_args=validate_args)

    @property
    def concentration(self):
        return self.base_dist.concentration

    @property
    def rate(self):
        return self.base_dist.rate

    @property
    def mean(self):
        result = self.rate / (self.concentration - 1)
        return api.where(self.concentration > 1, result, math.inf)

    @property
    def mode(self):
        return self.rate / (self.concentration + 1)

    @property
    def variance(self):
        result = self.rate.square() / ((self.concentration - 1).square()
                                       * (self.concentration - 2))
        return api.where(self.concentration > 2, result, math.inf)

    def entropy(self):
        return (self.concentration + self.rate.log() + self.concentration.lgamma()
                - (1 + self.concentration) * self.concentration.digamma())


def _kumaraswamy_moments(a, b, n):
    arg1 = 1 + n / a
    log_value = api.lgamma(arg1) + api.lgamma(b) - api.lgamma(arg1 + b)
    return b * api.exp(log_value)


class Kumaraswamy(TransformedDistribution):
    """The Kumaraswamy distribution on (0, 1): a Uniform through
    (1 - u ** (1 / concentration0)) ** (1 / concentration1)."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"concentration1",
                                                                   "concentration0"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"concentration1": positive, "concentration0": positive}
    support = unit_interval
    has_rsample = True

    def __init__(self, concentration1, concentration0, validate_args=None) -> None:
        self.concentration1, self.concentration0 = broadcast_all(concentration1,
                                                                 concentration0)
        base = _core.Uniform(api.full_like(self.concentration0, 0),
                             api.full_like(self.concentration0, 1),
                             validate_args=validate_args)
        transforms = [PowerTransform(exponent=self.concentration0.reciprocal()),
                      AffineTransform(loc=1.0, scale=-1.0),
                      PowerTransform(exponent=self.concentration1.reciprocal())]
        super().__init__(base, transforms, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = super().expand(batch_shape, _instance)
        new.concentration1 = self.concentration1.expand(new._batch_shape)
        new.concentration0 = self.concentration0.expand(new._batch_shape)
        return new

    @property
    def mean(self):
        return _kumaraswamy_moments(self.concentration1, self.concentration0, 1)

    @property
    def mode(self):
        log_mode = (self.concentration0.reciprocal() * (-self.concentration0).log1p()
                    - (-self.concentration0 * self.concentration1).log1p())
        log_mode[(self.concentration0 < 1) | (self.concentration1 < 1)] = math.nan
        return log_mode.exp()

    @property
    def variance(self):
        return (_kumaraswamy_moments(self.concentration1, self.concentration0, 2)
                - api.pow(self.mean, 2))

    def entropy(self):
        t1 = 1 - self.concentration1.reciprocal()
        t0 = 1 - self.concentration0.reciprocal()
        H0 = api.digamma(self.concentration0 + 1) + _EULER
        return (t0 + t1 * H0 - api.log(self.concentration1)
                - api.log(self.concentration0))


class LogisticNormal(TransformedDistribution):
    """A Normal pushed onto the simplex by stick breaking."""

    __adcli_public__ = TransformedDistribution.__adcli_public__ | {"loc", "scale"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"loc": real, "scale": positive}
    support = simplex
    has_rsample = True

    def __init__(self, loc, scale, validate_args=None) -> None:
        base = Normal(loc, scale, validate_args=validate_args)
        if not base.batch_shape:
            base = base.expand([1])
        super().__init__(base, StickBreakingTransform(), validate_args=validate_args)

    @property
    def loc(self):
        return self.base_dist.base_dist.loc

    @property
    def scale(self):
        return self.base_dist.base_dist.scale

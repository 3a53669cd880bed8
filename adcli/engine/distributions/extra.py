"""``torch.distributions`` (its second part): MultivariateNormal, Independent,
OneHotCategorical, Exponential, Laplace, LogNormal (a TransformedDistribution of a Normal
through ExpTransform), Gamma, Beta, Dirichlet, Binomial, Geometric and Multinomial, with
their KL divergences.

As in the first part, each formula is torch 2.13's, op for op, and each draw takes the
words torch takes from the generator: ``Exponential`` fills ``exponential_()``,
``Laplace`` ``uniform_(eps - 1, 1)``, ``Geometric`` ``uniform_(tiny, 1)``,
``MultivariateNormal`` ``normal_()`` then ``scale_tril @ eps``; ``Gamma``, ``Beta`` and
``Dirichlet`` draw through ATen's ``sample_gamma`` (Marsaglia-Tsang with double uniforms
and the generator's cached normals) and carry its implicit reparameterisation gradient
(``StandardGammaBackward0``, ``_DirichletBackward``); ``Binomial`` draws ATen's
``sample_binomial`` (inversion, or BTRS for n*p >= 10).
"""

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
    _EXPONENTIAL_FAMILIES,
    _KL,
    _PUBLIC,
    _SCALAR,
    Categorical,
    Constraint,
    Distribution,
    Normal,
    _Dependent,
    _GreaterThan,
    _IndependentConstraint,
    _IntegerInterval,
    _is_number,
    _kl_categorical_categorical,
    _Lazy,
    _number_batch,
    _one_of,
    _size,
    _torch_function,
    broadcast_all,
    kl_divergence,
    logits_to_probs,
    nonnegative,
    nonnegative_integer,
    positive,
    probs_to_logits,
    real,
    real_vector,
    simplex,
    unit_interval,
)
from adcli.engine.shape import Size
from adcli.engine.shape import broadcast_shapes as _broadcast_pair
from adcli.engine.tensor import Tensor
from adcli.errors import TorchNotImplementedError, TorchValueError

# ------------------------------------------------------------------------- constraints


def _bool_tensor(a) -> Tensor:
    return api.tensor(np.asarray(a, dtype=bool))


class _Square(Constraint):
    event_dim = 2

    def check(self, value):
        d = value._data
        return _bool_tensor(np.full(d.shape[:-2], d.shape[-2] == d.shape[-1]))


class _Symmetric(_Square):
    def check(self, value):
        square = super().check(value)
        if not bool(np.all(square._data)):
            return square
        d = value._data
        close = np.isclose(d, np.swapaxes(d, -1, -2), rtol=1e-5, atol=1e-6)
        return _bool_tensor(close.all(-2).all(-1))


class _PositiveDefinite(_Symmetric):
    def check(self, value):
        sym = super().check(value)
        if not bool(np.all(sym._data)):
            return sym
        d = value._data
        flat = d.reshape((-1,) + d.shape[-2:])
        ok = []
        for m in flat:
            try:
                np.linalg.cholesky(m.astype(np.float64) if m.dtype.kind != "f" else m)
                ok.append(True)
            except np.linalg.LinAlgError:
                ok.append(False)
        return _bool_tensor(np.asarray(ok, bool).reshape(d.shape[:-2]))


class _LowerTriangular(Constraint):
    event_dim = 2

    def check(self, value):
        d = value._data
        return _bool_tensor((np.tril(d) == d).reshape(d.shape[:-2] + (-1,)).min(-1))


class _LowerCholesky(Constraint):
    event_dim = 2

    def check(self, value):
        d = value._data
        lower = (np.tril(d) == d).reshape(d.shape[:-2] + (-1,)).min(-1)
        diag = (np.diagonal(d, axis1=-2, axis2=-1) > 0).min(-1)
        return _bool_tensor(lower & diag)


class _OneHot(Constraint):
    is_discrete = True
    event_dim = 1

    def check(self, value):
        is_boolean = (value == 0) | (value == 1)
        is_normalized = value.sum(-1).eq(1)
        return is_boolean.all(-1) & is_normalized


class _Multinomial(Constraint):
    is_discrete = True
    event_dim = 1

    def __init__(self, upper_bound) -> None:
        self.upper_bound = upper_bound

    def check(self, x):
        return (x >= 0).all(dim=-1) & (x.sum(dim=-1) <= self.upper_bound)


positive_definite = _PositiveDefinite()
lower_cholesky = _LowerCholesky()
lower_triangular = _LowerTriangular()
one_hot = _OneHot()
square = _Square()
symmetric = _Symmetric()

CONSTRAINTS = {
    "positive_definite": positive_definite, "lower_cholesky": lower_cholesky,
    "lower_triangular": lower_triangular, "one_hot": one_hot, "square": square,
    "symmetric": symmetric, "multinomial": _Multinomial,
}


# ----------------------------------------------------------------------------- helpers


def _sum_rightmost(value, dim: int):
    if dim == 0:
        return value
    shape = tuple(value.shape)[:len(value.shape) - dim] + (-1,)
    return value.reshape(shape).sum(-1)


def _standard_normal(shape, dtype) -> Tensor:
    return api.empty(tuple(shape), dtype=dtype).normal_()


def _linalg(name: str):
    return api.LINALG_FUNCTIONS[name]


def _batch_mv(bmat, bvec):
    return api.matmul(bmat, bvec.unsqueeze(-1)).squeeze(-1)


def _batch_mahalanobis(bL, bx):
    """x^T (L L^T)^{-1} x for a lower factor L, batched: bx's batch dims are split into
    L's batch dims and the rest, solved column-wise (torch's reshaping, step for step)."""
    n = bx.size(-1)
    bx_batch = tuple(bx.shape[:-1])
    bx_dims = len(bx_batch)
    bl_dims = bL.dim() - 2
    outer = bx_dims - bl_dims
    old_dims = outer + bl_dims
    new_dims = outer + 2 * bl_dims
    new_shape = tuple(bx.shape[:outer])
    for sl, sx in zip(tuple(bL.shape[:-2]), tuple(bx.shape[outer:-1])):
        new_shape += (sx // sl, sl)
    new_shape += (n,)
    bx = bx.reshape(new_shape)
    perm = (list(range(outer)) + list(range(outer, new_dims, 2))
            + list(range(outer + 1, new_dims, 2)) + [new_dims])
    bx = bx.permute(perm)
    flat_L = bL.reshape(-1, n, n)
    flat_x = bx.reshape(-1, flat_L.size(0), n)
    flat_x_swap = flat_x.permute(1, 2, 0)
    m_swap = _linalg("solve_triangular")(flat_L, flat_x_swap, upper=False).pow(2).sum(-2)
    m = m_swap.t()
    permuted = m.reshape(tuple(bx.shape[:-1]))
    inv = list(range(outer))
    for i in range(bl_dims):
        inv += [outer + i, old_dims + i]
    return permuted.permute(inv).reshape(bx_batch)


def _precision_to_scale_tril(P):
    lf = _linalg("cholesky")(api.flip(P, (-2, -1)))
    l_inv = api.transpose(api.flip(lf, (-2, -1)), -2, -1)
    eye = api.eye(P.shape[-1], dtype=P.dtype)
    return _linalg("solve_triangular")(l_inv, eye, upper=False)


def _tensor_dim(value, what: str) -> int:
    if not isinstance(value, Tensor):
        raise _core.TorchAttributeError(f"'{type(value).__name__}' object has no attribute "
                                        "'dim'")
    return value.dim()


# ---------------------------------------------------------------- MultivariateNormal


class MultivariateNormal(Distribution):
    """The multivariate normal with mean ``loc`` and one of a covariance matrix, a
    precision matrix or a lower Cholesky factor ``scale_tril`` (all computations run on
    the unbroadcast factor)."""

    __adcli_public__ = _PUBLIC | {"loc", "covariance_matrix", "precision_matrix",
                                  "scale_tril"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"loc": real_vector, "covariance_matrix": positive_definite,
                       "precision_matrix": positive_definite, "scale_tril": lower_cholesky}
    support = real_vector
    has_rsample = True

    def __init__(self, loc, covariance_matrix=None, precision_matrix=None, scale_tril=None,
                 validate_args=None) -> None:
        if _tensor_dim(loc, "loc") < 1:
            raise TorchValueError("loc must be at least one-dimensional.")
        given = ((covariance_matrix is not None) + (scale_tril is not None)
                 + (precision_matrix is not None))
        if given != 1:
            raise TorchValueError("Exactly one of covariance_matrix or precision_matrix or "
                                  "scale_tril may be specified.")
        if scale_tril is not None:
            if scale_tril.dim() < 2:
                raise TorchValueError("scale_tril matrix must be at least two-dimensional, "
                                      "with optional leading batch dimensions")
            batch = Size(_broadcast_pair(tuple(scale_tril.shape[:-2]),
                                         tuple(loc.shape[:-1])))
            self.scale_tril = scale_tril.expand(tuple(batch) + (-1, -1))
        elif covariance_matrix is not None:
            if covariance_matrix.dim() < 2:
                raise TorchValueError("covariance_matrix must be at least two-dimensional, "
                                      "with optional leading batch dimensions")
            batch = Size(_broadcast_pair(tuple(covariance_matrix.shape[:-2]),
                                         tuple(loc.shape[:-1])))
            self.covariance_matrix = covariance_matrix.expand(tuple(batch) + (-1, -1))
        else:
            if precision_matrix.dim() < 2:
                raise TorchValueError("precision_matrix must be at least two-dimensional, "
                                      "with optional leading batch dimensions")
            batch = Size(_broadcast_pair(tuple(precision_matrix.shape[:-2]),
                                         tuple(loc.shape[:-1])))
            self.precision_matrix = precision_matrix.expand(tuple(batch) + (-1, -1))
        self.loc = loc.expand(tuple(batch) + (-1,))
        super().__init__(batch, Size(tuple(self.loc.shape[-1:])), validate_args=validate_args)
        if scale_tril is not None:
            self._unbroadcasted_scale_tril = scale_tril
        elif covariance_matrix is not None:
            self._unbroadcasted_scale_tril = _linalg("cholesky")(covariance_matrix)
        else:
            self._unbroadcasted_scale_tril = _precision_to_scale_tril(precision_matrix)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape)
        loc_shape = tuple(new._batch_shape + self._event_shape)
        cov_shape = loc_shape + tuple(self._event_shape)
        new.loc = self.loc.expand(loc_shape)
        new._unbroadcasted_scale_tril = self._unbroadcasted_scale_tril
        for name in ("covariance_matrix", "scale_tril", "precision_matrix"):
            if name in self.__dict__:
                new.__dict__[name] = self.__dict__[name].expand(cov_shape)
        return new

    def _matrix_shape(self):
        return tuple(self._batch_shape + self._event_shape + self._event_shape)

    @_Lazy
    def scale_tril(self):
        return self._unbroadcasted_scale_tril.expand(self._matrix_shape())

    @_Lazy
    def covariance_matrix(self):
        L = self._unbroadcasted_scale_tril
        return api.matmul(L, L.mT).expand(self._matrix_shape())

    @_Lazy
    def precision_matrix(self):
        return _torch_function("cholesky_inverse")(self._unbroadcasted_scale_tril).expand(
            self._matrix_shape())

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    @property
    def variance(self):
        return self._unbroadcasted_scale_tril.pow(2).sum(-1).expand(
            tuple(self._batch_shape + self._event_shape))

    def rsample(self, sample_shape=_SCALAR):
        shape = self._extended_shape(sample_shape)
        eps = _standard_normal(shape, self.loc.dtype)
        return self.loc + _batch_mv(self._unbroadcasted_scale_tril, eps)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        diff = value - self.loc
        M = _batch_mahalanobis(self._unbroadcasted_scale_tril, diff)
        half_log_det = self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + M) - half_log_det

    def entropy(self):
        half_log_det = self._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
        H = 0.5 * self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + half_log_det
        if len(self._batch_shape) == 0:
            return H
        return H.expand(tuple(self._batch_shape))


# ------------------------------------------------------------------------- Independent


class Independent(Distribution):
    """Reinterprets the rightmost ``reinterpreted_batch_ndims`` batch dims of a base
    distribution as event dims (log_prob and entropy summed over them)."""

    __adcli_public__ = _PUBLIC | {"base_dist", "reinterpreted_batch_ndims"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints"}
    arg_constraints: dict = {}

    def __init__(self, base_distribution, reinterpreted_batch_ndims, validate_args=None):
        n = len(base_distribution.batch_shape)
        if reinterpreted_batch_ndims > n:
            raise TorchValueError(
                "Expected reinterpreted_batch_ndims <= len(base_distribution.batch_shape), "
                f"actual {reinterpreted_batch_ndims} vs {n}")
        shape = base_distribution.batch_shape + base_distribution.event_shape
        event_dim = reinterpreted_batch_ndims + len(base_distribution.event_shape)
        self.base_dist = base_distribution
        self.reinterpreted_batch_ndims = reinterpreted_batch_ndims
        super().__init__(Size(tuple(shape)[:len(shape) - event_dim]),
                         Size(tuple(shape)[len(shape) - event_dim:]),
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape)
        n = self.reinterpreted_batch_ndims
        new.base_dist = self.base_dist.expand(new._batch_shape + self._event_shape[:n])
        new.reinterpreted_batch_ndims = n
        return new

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    @property
    def has_enumerate_support(self):
        if self.reinterpreted_batch_ndims > 0:
            return False
        return self.base_dist.has_enumerate_support

    @property
    def support(self):
        result = self.base_dist.support
        if self.reinterpreted_batch_ndims:
            result = _IndependentConstraint(result, self.reinterpreted_batch_ndims)
        return result

    @property
    def mean(self):
        return self.base_dist.mean

    @property
    def mode(self):
        return self.base_dist.mode

    @property
    def variance(self):
        return self.base_dist.variance

    def sample(self, sample_shape=_SCALAR):
        return self.base_dist.sample(sample_shape)

    def rsample(self, sample_shape=_SCALAR):
        return self.base_dist.rsample(sample_shape)

    def log_prob(self, value):
        return _sum_rightmost(self.base_dist.log_prob(value), self.reinterpreted_batch_ndims)

    def entropy(self):
        return _sum_rightmost(self.base_dist.entropy(), self.reinterpreted_batch_ndims)

    def enumerate_support(self, expand=True):
        if self.reinterpreted_batch_ndims > 0:
            raise TorchNotImplementedError("Enumeration over cartesian product is not "
                                           "implemented")
        return self.base_dist.enumerate_support(expand=expand)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.base_dist!r}, {self.reinterpreted_batch_ndims})"


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
        new = self._new_like(batch_shape)
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


# ------------------------------------------------------------------ Exponential, Laplace


class Exponential(Distribution):
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
        new = self._new_like(batch_shape)
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
        new = self._new_like(batch_shape)
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


# ------------------------------------------------------------ TransformedDistribution


class Transform:
    """An invertible map with its log |det J| (``torch.distributions.transforms``):
    elementwise ones here, with torch's one-entry cache (``cache_size=1``: the last
    ``x -> y`` pair, so that the inverse of a value just produced is the input itself)."""

    __adcli_public__ = frozenset({"inv", "log_abs_det_jacobian", "domain", "codomain",
                                  "bijective", "sign", "event_dim"})
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

    def __eq__(self, other) -> bool:
        return isinstance(other, _InverseTransform) and self._inv == other._inv

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._inv!r})"


class _Elementwise(Transform):
    bijective = True

    def __eq__(self, other) -> bool:
        return isinstance(other, type(self))


class ExpTransform(_Elementwise):
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
    codomain = positive

    def _call(self, x):
        return _F.softplus(x)

    def _inverse(self, y):
        return (-y).expm1().neg().log() + y

    def log_abs_det_jacobian(self, x, y):
        return -_F.softplus(-x)


class AbsTransform(_Elementwise):
    codomain = positive
    bijective = False

    def _call(self, x):
        return x.abs()

    def _inverse(self, y):
        return y


class AffineTransform(Transform):
    __adcli_public__ = Transform.__adcli_public__ | {"loc", "scale"}
    bijective = True

    def __init__(self, loc, scale, event_dim=0, cache_size=0) -> None:
        super().__init__(cache_size=cache_size)
        self.loc = loc
        self.scale = scale
        self.event_dim = event_dim

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
        return self.parts[0].domain if self.parts else real

    @property
    def codomain(self):
        return self.parts[-1].codomain if self.parts else real

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
        self.base_dist = base_distribution
        super().__init__(base_distribution.batch_shape, base_distribution.event_shape,
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape)
        new.base_dist = self.base_dist.expand(new._batch_shape)
        new.transforms = self.transforms
        return new

    @property
    def has_rsample(self):
        return self.base_dist.has_rsample

    @property
    def support(self):
        return self.transforms[-1].codomain if self.transforms else self.base_dist.support

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
            log_prob = log_prob - _sum_rightmost(t.log_abs_det_jacobian(x, y),
                                                 event_dim - t.event_dim)
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
        new = super().expand(batch_shape)
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
        new = self._new_like(batch_shape)
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


class Gamma(Distribution):
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
        new = self._new_like(batch_shape)
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


class Dirichlet(Distribution):
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
        new = self._new_like(batch_shape)
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


class Beta(Distribution):
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
        new = self._new_like(batch_shape)
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
        new = self._new_like(batch_shape)
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
        new = self._new_like(batch_shape)
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
        new = self._new_like(batch_shape)
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
        new = self._new_like(batch_shape)
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


class _MixtureSameFamilyConstraint(Constraint):
    def __init__(self, base_constraint) -> None:
        self.base_constraint = base_constraint

    @property
    def is_discrete(self):
        return self.base_constraint.is_discrete

    @property
    def event_dim(self):
        return self.base_constraint.event_dim

    def check(self, value):
        unsqueezed = value.unsqueeze(-1 - self.event_dim)
        result = self.base_constraint.check(unsqueezed)
        if value.dim() < self.event_dim:
            raise TorchValueError(f"Expected value.dim() >= {self.event_dim} but got "
                                  f"{value.dim()}")
        num_dim_to_keep = value.dim() - self.event_dim
        result = result.reshape(tuple(result.shape[:num_dim_to_keep]) + (-1,))
        return result.all(-1)

    def __repr__(self) -> str:
        return f"MixtureSameFamilyConstraint({self.base_constraint!r})"


class MixtureSameFamily(Distribution):
    """A mixture of a batch of components of one family, weighted by a Categorical."""

    __adcli_public__ = _PUBLIC | {"mixture_distribution", "component_distribution"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints"}
    arg_constraints: dict = {}

    def __init__(self, mixture_distribution, component_distribution,
                 validate_args=None) -> None:
        self._mixture_distribution = mixture_distribution
        self._component_distribution = component_distribution
        if not isinstance(mixture_distribution, Categorical):
            raise TorchValueError(" The Mixture distribution needs to be an  instance of "
                                  "torch.distributions.Categorical")
        if not isinstance(component_distribution, Distribution):
            raise TorchValueError("The Component distribution needs to be an instance of "
                                  "torch.distributions.Distribution")
        mdbs = mixture_distribution.batch_shape
        cdbs = Size(tuple(component_distribution.batch_shape)[:-1])
        for a, b in zip(reversed(tuple(mdbs)), reversed(tuple(cdbs))):
            if a != 1 and b != 1 and a != b:
                raise TorchValueError(f"`mixture_distribution.batch_shape` ({mdbs}) is not "
                                      "compatible with `component_distribution.batch_shape`"
                                      f"({cdbs})")
        km = mixture_distribution.logits.shape[-1]
        kc = component_distribution.batch_shape[-1]
        if km != kc:
            raise TorchValueError(f"`mixture_distribution component` ({km}) does not equal "
                                  f"`component_distribution.batch_shape[-1]` ({kc})")
        self._num_component = km
        event_shape = component_distribution.event_shape
        self._event_ndims = len(event_shape)
        super().__init__(cdbs, event_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape)
        new._component_distribution = self._component_distribution.expand(
            new._batch_shape + Size((self._num_component,)))
        new._mixture_distribution = self._mixture_distribution.expand(new._batch_shape)
        new._num_component = self._num_component
        new._event_ndims = self._event_ndims
        return new

    @property
    def has_rsample(self):
        return False

    @property
    def support(self):
        return _MixtureSameFamilyConstraint(self._component_distribution.support)

    @property
    def mixture_distribution(self):
        return self._mixture_distribution

    @property
    def component_distribution(self):
        return self._component_distribution

    @property
    def mean(self):
        probs = self._pad_mixture_dimensions(self.mixture_distribution.probs)
        return api.sum(probs * self.component_distribution.mean, dim=-1 - self._event_ndims)

    @property
    def variance(self):
        probs = self._pad_mixture_dimensions(self.mixture_distribution.probs)
        mean_cond_var = api.sum(probs * self.component_distribution.variance,
                                dim=-1 - self._event_ndims)
        var_cond_mean = api.sum(
            probs * (self.component_distribution.mean - self._pad(self.mean)).pow(2.0),
            dim=-1 - self._event_ndims)
        return mean_cond_var + var_cond_mean

    def cdf(self, x):
        x = self._pad(x)
        cdf_x = self.component_distribution.cdf(x)
        return api.sum(cdf_x * self.mixture_distribution.probs, dim=-1)

    def log_prob(self, x):
        if self._validate_args:
            self._validate_sample(x)
        x = self._pad(x)
        log_prob_x = self.component_distribution.log_prob(x)
        log_mix_prob = _F.log_softmax(self.mixture_distribution.logits, dim=-1)
        return api.logsumexp(log_prob_x + log_mix_prob, dim=-1)

    def sample(self, sample_shape=_SCALAR):
        sample_shape = _size(sample_shape)
        with api.no_grad():
            gather_dim = len(sample_shape) + len(self._batch_shape)
            es = tuple(self._event_shape)
            mix_sample = self.mixture_distribution.sample(sample_shape)
            mix_shape = tuple(mix_sample.shape)
            comp_samples = self.component_distribution.sample(sample_shape)
            mix_r = mix_sample.reshape(mix_shape + (1,) * (len(es) + 1))
            mix_r = mix_r.repeat((1,) * len(mix_shape) + (1,) + es)
            samples = api.gather(comp_samples, gather_dim, mix_r)
            return samples.squeeze(gather_dim)

    def _pad(self, x):
        return x.unsqueeze(-1 - self._event_ndims)

    def _pad_mixture_dimensions(self, x):
        dist_batch_ndims = len(self._batch_shape)
        cat_batch_ndims = len(self.mixture_distribution.batch_shape)
        pad_ndims = 0 if cat_batch_ndims == 1 else dist_batch_ndims - cat_batch_ndims
        xs = tuple(x.shape)
        return x.reshape(xs[:-1] + (1,) * pad_ndims + xs[-1:] + (1,) * self._event_ndims)

    def __repr__(self) -> str:
        return (f"MixtureSameFamily(\n  {self.mixture_distribution!r},\n  "
                f"{self.component_distribution!r})")


# ------------------------------------------------------------------------------- KL


def _batch_trace_xxt(bmat):
    n = bmat.size(-1)
    m = bmat.size(-2)
    flat_trace = bmat.reshape(-1, m * n).pow(2).sum(-1)
    return flat_trace.reshape(tuple(bmat.shape[:-2]))


def _kl_mvn_mvn(p, q):
    if p.event_shape != q.event_shape:
        raise TorchValueError("KL-divergence between two Multivariate Normals with"
                              "                          different event shapes cannot be "
                              "computed")
    qL, pL = q._unbroadcasted_scale_tril, p._unbroadcasted_scale_tril
    half_term1 = (qL.diagonal(dim1=-2, dim2=-1).log().sum(-1)
                  - pL.diagonal(dim1=-2, dim2=-1).log().sum(-1))
    batch = _broadcast_pair(tuple(qL.shape[:-2]), tuple(pL.shape[:-2]))
    n = p.event_shape[0]
    q_tril = qL.expand(tuple(batch) + (n, n))
    p_tril = pL.expand(tuple(batch) + (n, n))
    term2 = _batch_trace_xxt(_linalg("solve_triangular")(q_tril, p_tril, upper=False))
    term3 = _batch_mahalanobis(qL, q.loc - p.loc)
    return half_term1 + 0.5 * (term2 + term3 - n)


def _kl_independent_independent(p, q):
    if p.reinterpreted_batch_ndims != q.reinterpreted_batch_ndims:
        raise TorchNotImplementedError("")
    result = kl_divergence(p.base_dist, q.base_dist)
    return _sum_rightmost(result, p.reinterpreted_batch_ndims)


def _kl_onehot_onehot(p, q):
    return _kl_categorical_categorical(p._categorical, q._categorical)


def _kl_exponential_exponential(p, q):
    rate_ratio = q.rate / p.rate
    t1 = -rate_ratio.log()
    return t1 + rate_ratio - 1


def _kl_laplace_laplace(p, q):
    scale_ratio = p.scale / q.scale
    loc_abs_diff = (p.loc - q.loc).abs()
    t1 = -scale_ratio.log()
    t2 = loc_abs_diff / q.scale
    t3 = scale_ratio * api.exp(-loc_abs_diff / p.scale)
    return t1 + t2 + t3 - 1


def _kl_gamma_gamma(p, q):
    t1 = q.concentration * (p.rate / q.rate).log()
    t2 = api.lgamma(q.concentration) - api.lgamma(p.concentration)
    t3 = (p.concentration - q.concentration) * api.digamma(p.concentration)
    t4 = (q.rate - p.rate) * (p.concentration / p.rate)
    return t1 + t2 + t3 + t4


def _kl_beta_beta(p, q):
    sum_p = p.concentration1 + p.concentration0
    sum_q = q.concentration1 + q.concentration0
    t1 = q.concentration1.lgamma() + q.concentration0.lgamma() + sum_p.lgamma()
    t2 = p.concentration1.lgamma() + p.concentration0.lgamma() + sum_q.lgamma()
    t3 = (p.concentration1 - q.concentration1) * api.digamma(p.concentration1)
    t4 = (p.concentration0 - q.concentration0) * api.digamma(p.concentration0)
    t5 = (sum_q - sum_p) * api.digamma(sum_p)
    return t1 - t2 + t3 + t4 + t5


def _kl_dirichlet_dirichlet(p, q):
    sum_p = p.concentration.sum(-1)
    sum_q = q.concentration.sum(-1)
    t1 = sum_p.lgamma() - sum_q.lgamma()
    t2 = (p.concentration.lgamma() - q.concentration.lgamma()).sum(-1)
    t3 = p.concentration - q.concentration
    t4 = p.concentration.digamma() - sum_p.digamma().unsqueeze(-1)
    return t1 - t2 + (t3 * t4).sum(-1)


def _kl_geometric_geometric(p, q):
    return -p.entropy() - api.log1p(-q.probs) / p.probs - q.logits


def _kl_binomial_binomial(p, q):
    if bool((p.total_count < q.total_count).any()):
        raise TorchNotImplementedError("KL between Binomials where q.total_count > "
                                       "p.total_count is not implemented")
    kl = p.total_count * (p.probs * (p.logits - q.logits) + (-p.probs).log1p()
                          - (-q.probs).log1p())
    inf_idxs = p.total_count > q.total_count
    kl[inf_idxs] = math.inf
    return kl


def _kl_transformed_transformed(p, q):
    if p.transforms != q.transforms:
        raise TorchNotImplementedError("")
    if p.event_shape != q.event_shape:
        raise TorchNotImplementedError("")
    return kl_divergence(p.base_dist, q.base_dist)


_EULER_GAMMA = 0.57721566490153286060


def _infinite_like(t):
    return api.full_like(t, math.inf)


def _x_log_x(t):
    return api.xlogy(t, t)


def _kl_beta_exponential(p, q):
    return (-p.entropy() - q.rate.log()
            + q.rate * (p.concentration1 / (p.concentration1 + p.concentration0)))


def _kl_beta_gamma(p, q):
    t1 = -p.entropy()
    t2 = q.concentration.lgamma() - q.concentration * q.rate.log()
    t3 = (q.concentration - 1) * (p.concentration1.digamma()
                                  - (p.concentration1 + p.concentration0).digamma())
    t4 = q.rate * p.concentration1 / (p.concentration1 + p.concentration0)
    return t1 + t2 - t3 + t4


def _kl_beta_normal(p, q):
    e_beta = p.concentration1 / (p.concentration1 + p.concentration0)
    var_normal = q.scale.pow(2)
    t1 = -p.entropy()
    t2 = 0.5 * (var_normal * 2 * math.pi).log()
    t3 = (e_beta * (1 - e_beta) / (p.concentration1 + p.concentration0 + 1)
          + e_beta.pow(2)) * 0.5
    t4 = q.loc * e_beta
    t5 = q.loc.pow(2) * 0.5
    return t1 + t2 + (t3 - t4 + t5) / var_normal


def _kl_beta_uniform(p, q):
    result = -p.entropy() + (q.high - q.low).log()
    result[(q.low > p.support.lower_bound) | (q.high < p.support.upper_bound)] = math.inf
    return result


def _kl_exponential_gamma(p, q):
    ratio = q.rate / p.rate
    t1 = -q.concentration * api.log(ratio)
    return (t1 + ratio + q.concentration.lgamma() + q.concentration * _EULER_GAMMA
            - (1 + _EULER_GAMMA))


def _kl_exponential_normal(p, q):
    var_normal = q.scale.pow(2)
    rate_sqr = p.rate.pow(2)
    t1 = 0.5 * api.log(rate_sqr * var_normal * 2 * math.pi)
    t2 = rate_sqr.reciprocal()
    t3 = q.loc / p.rate
    t4 = q.loc.pow(2) * 0.5
    return t1 - 1 + (t2 - t3 + t4) / var_normal


def _kl_gamma_exponential(p, q):
    return -p.entropy() - q.rate.log() + q.rate * p.concentration / p.rate


def _kl_gamma_normal(p, q):
    var_normal = q.scale.pow(2)
    beta_sqr = p.rate.pow(2)
    t1 = (0.5 * api.log(beta_sqr * var_normal * 2 * math.pi) - p.concentration
          - p.concentration.lgamma())
    t2 = 0.5 * (p.concentration.pow(2) + p.concentration) / beta_sqr
    t3 = q.loc * p.concentration / p.rate
    t4 = 0.5 * q.loc.pow(2)
    return t1 + (p.concentration - 1) * p.concentration.digamma() + (t2 - t3 + t4) / var_normal


def _kl_laplace_normal(p, q):
    var_normal = q.scale.pow(2)
    ratio = p.scale.pow(2) / var_normal
    t1 = 0.5 * api.log(2 * ratio / math.pi)
    t2 = 0.5 * p.loc.pow(2)
    t3 = p.loc * q.loc
    t4 = 0.5 * q.loc.pow(2)
    return -t1 + ratio + (t2 - t3 + t4) / var_normal - 1


def _kl_normal_laplace(p, q):
    loc_diff = p.loc - q.loc
    scale_ratio = p.scale / q.scale
    loc_diff_scale_ratio = loc_diff / p.scale
    t1 = api.log(scale_ratio)
    t2 = math.sqrt(2 / math.pi) * p.scale * api.exp(-0.5 * loc_diff_scale_ratio.pow(2))
    t3 = loc_diff * _torch_function("erf")(math.sqrt(0.5) * loc_diff_scale_ratio)
    return -t1 + (t2 + t3) / q.scale - (0.5 * (1 + math.log(0.5 * math.pi)))


def _kl_uniform_beta(p, q):
    common = p.high - p.low
    t1 = api.log(common)
    t2 = (q.concentration1 - 1) * (_x_log_x(p.high) - _x_log_x(p.low) - common) / common
    t3 = ((q.concentration0 - 1) * (_x_log_x(1 - p.high) - _x_log_x(1 - p.low) + common)
          / common)
    t4 = (q.concentration1.lgamma() + q.concentration0.lgamma()
          - (q.concentration1 + q.concentration0).lgamma())
    result = t3 + t4 - t1 - t2
    result[(p.high > q.support.upper_bound) | (p.low < q.support.lower_bound)] = math.inf
    return result


def _kl_uniform_exponential(p, q):
    result = q.rate * (p.high + p.low) / 2 - ((p.high - p.low) * q.rate).log()
    result[p.low < q.support.lower_bound] = math.inf
    return result


def _kl_uniform_gamma(p, q):
    common = p.high - p.low
    t1 = common.log()
    t2 = q.concentration.lgamma() - q.concentration * q.rate.log()
    t3 = (1 - q.concentration) * (_x_log_x(p.high) - _x_log_x(p.low) - common) / common
    t4 = q.rate * (p.high + p.low) / 2
    result = -t1 + t2 + t3 + t4
    result[p.low < q.support.lower_bound] = math.inf
    return result


def _kl_inf_rate(p, q):
    return _infinite_like(p.rate)


def _kl_inf_loc(p, q):
    return _infinite_like(p.loc)


def _kl_inf_concentration(p, q):
    return _infinite_like(p.concentration)


_KL.update({
    (Beta, Exponential): _kl_beta_exponential,
    (Beta, Gamma): _kl_beta_gamma,
    (Beta, Normal): _kl_beta_normal,
    (Beta, _core.Uniform): _kl_beta_uniform,
    (Exponential, Beta): _kl_inf_rate,
    (Exponential, _core.Uniform): _kl_inf_rate,
    (Exponential, Gamma): _kl_exponential_gamma,
    (Exponential, Normal): _kl_exponential_normal,
    (Gamma, Beta): _kl_inf_concentration,
    (Gamma, _core.Uniform): _kl_inf_concentration,
    (Gamma, Exponential): _kl_gamma_exponential,
    (Gamma, Normal): _kl_gamma_normal,
    (Laplace, Beta): _kl_inf_loc,
    (Laplace, Exponential): _kl_inf_loc,
    (Laplace, Gamma): _kl_inf_loc,
    (Laplace, _core.Uniform): _kl_inf_loc,
    (Laplace, Normal): _kl_laplace_normal,
    (Normal, Beta): _kl_inf_loc,
    (Normal, Exponential): _kl_inf_loc,
    (Normal, Gamma): _kl_inf_loc,
    (Normal, Laplace): _kl_normal_laplace,
    (_core.Poisson, Binomial): _kl_inf_rate,
    (_core.Uniform, Beta): _kl_uniform_beta,
    (_core.Uniform, Exponential): _kl_uniform_exponential,
    (_core.Uniform, Gamma): _kl_uniform_gamma,
    (MultivariateNormal, MultivariateNormal): _kl_mvn_mvn,
    (Independent, Independent): _kl_independent_independent,
    (OneHotCategorical, OneHotCategorical): _kl_onehot_onehot,
    (Exponential, Exponential): _kl_exponential_exponential,
    (Laplace, Laplace): _kl_laplace_laplace,
    (Gamma, Gamma): _kl_gamma_gamma,
    (Beta, Beta): _kl_beta_beta,
    (Dirichlet, Dirichlet): _kl_dirichlet_dirichlet,
    (Geometric, Geometric): _kl_geometric_geometric,
    (Binomial, Binomial): _kl_binomial_binomial,
    (TransformedDistribution, TransformedDistribution): _kl_transformed_transformed,
})
_EXPONENTIAL_FAMILIES.extend([Exponential, Gamma, Beta, Dirichlet])

_ = (_Dependent, _GreaterThan)  # re-exported through the constraints namespace

CLASSES = {
    "MultivariateNormal": ("multivariate_normal", MultivariateNormal),
    "Independent": ("independent", Independent),
    "OneHotCategorical": ("one_hot_categorical", OneHotCategorical),
    "Exponential": ("exponential", Exponential),
    "Laplace": ("laplace", Laplace),
    "LogNormal": ("log_normal", LogNormal),
    "TransformedDistribution": ("transformed_distribution", TransformedDistribution),
    "Gamma": ("gamma", Gamma),
    "Beta": ("beta", Beta),
    "Dirichlet": ("dirichlet", Dirichlet),
    "Binomial": ("binomial", Binomial),
    "Geometric": ("geometric", Geometric),
    "Multinomial": ("multinomial", Multinomial),
    "HalfNormal": ("half_normal", HalfNormal),
    "Gumbel": ("gumbel", Gumbel),
    "Cauchy": ("cauchy", Cauchy),
    "Chi2": ("chi2", Chi2),
    "StudentT": ("studentT", StudentT),
    "MixtureSameFamily": ("mixture_same_family", MixtureSameFamily),
}
TRANSFORMS = {"Transform": Transform, "ExpTransform": ExpTransform,
              "AffineTransform": AffineTransform, "SigmoidTransform": SigmoidTransform,
              "TanhTransform": TanhTransform, "SoftplusTransform": SoftplusTransform,
              "AbsTransform": AbsTransform, "ComposeTransform": ComposeTransform}

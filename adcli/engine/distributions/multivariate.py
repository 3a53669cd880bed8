"""``torch.distributions``: the matrix constraints, MultivariateNormal (covariance,
precision or scale_tril; ``normal_()`` then ``scale_tril @ eps``), Independent and
MixtureSameFamily, with the helpers the other modules share (``_sum_rightmost``,
``_standard_normal``, the batched Mahalanobis distance)."""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import api
from adcli.engine import nn_functional as _F
from adcli.engine.distributions import core as _core
from adcli.engine.distributions.core import (
    _CLASS_PUBLIC,
    _PUBLIC,
    _SCALAR,
    Categorical,
    Constraint,
    Distribution,
    _IndependentConstraint,
    _Lazy,
    _size,
    _torch_function,
    real_vector,
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
        new = self._new_like(batch_shape, _instance)
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
        new = self._new_like(batch_shape, _instance)
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


def _plus_identity(K):
    """K + I over the last two dims (torch adds 1 to the diagonal in place: the same
    values)."""
    return K + api.eye(K.shape[-1], dtype=K.dtype)


def _batch_capacitance_tril(W, D):
    """The Cholesky factor of I + W^T D^-1 W."""
    wt_dinv = W.mT / D.unsqueeze(-2)
    K = api.matmul(wt_dinv, W).contiguous()
    return _linalg("cholesky")(_plus_identity(K))


def _batch_lowrank_logdet(W, D, capacitance_tril):
    return (2 * capacitance_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
            + D.log().sum(-1))


def _batch_lowrank_mahalanobis(W, D, x, capacitance_tril):
    wt_dinv = W.mT / D.unsqueeze(-2)
    wt_dinv_x = _batch_mv(wt_dinv, x)
    term1 = (x.pow(2) / D).sum(-1)
    term2 = _batch_mahalanobis(capacitance_tril, wt_dinv_x)
    return term1 - term2


class LowRankMultivariateNormal(Distribution):
    """A multivariate normal with covariance ``cov_factor @ cov_factor.T +
    diag(cov_diag)``."""

    __adcli_public__ = _PUBLIC | {"loc", "cov_factor", "cov_diag", "scale_tril",
                                  "covariance_matrix", "precision_matrix"}
    __adcli_class_public__ = _CLASS_PUBLIC | {"arg_constraints", "support"}
    arg_constraints = {"loc": real_vector,
                       "cov_factor": _IndependentConstraint(_core.real, 2),
                       "cov_diag": _IndependentConstraint(_core.positive, 1)}
    support = real_vector
    has_rsample = True

    def __init__(self, loc, cov_factor, cov_diag, validate_args=None) -> None:
        if _tensor_dim(loc, "loc") < 1:
            raise TorchValueError("loc must be at least one-dimensional.")
        event_shape = Size(tuple(loc.shape)[-1:])
        if cov_factor.dim() < 2:
            raise TorchValueError("cov_factor must be at least two-dimensional, with "
                                  "optional leading batch dimensions")
        if tuple(cov_factor.shape)[-2:-1] != tuple(event_shape):
            raise TorchValueError(f"cov_factor must be a batch of matrices with shape "
                                  f"{event_shape[0]} x m")
        if tuple(cov_diag.shape)[-1:] != tuple(event_shape):
            raise TorchValueError(f"cov_diag must be a batch of vectors with shape "
                                  f"{event_shape}")
        loc_ = loc.unsqueeze(-1)
        cov_diag_ = cov_diag.unsqueeze(-1)
        try:
            loc_, self.cov_factor, cov_diag_ = _core._broadcast_tensors(
                (loc_, cov_factor, cov_diag_))
        except Exception as e:  # torch's RuntimeError from broadcast_tensors
            raise TorchValueError(
                f"Incompatible batch shapes: loc {loc.shape}, cov_factor "
                f"{cov_factor.shape}, cov_diag {cov_diag.shape}") from e
        self.loc = loc_[..., 0]
        self.cov_diag = cov_diag_[..., 0]
        self._unbroadcasted_cov_factor = cov_factor
        self._unbroadcasted_cov_diag = cov_diag
        self._capacitance_tril = _batch_capacitance_tril(cov_factor, cov_diag)
        super().__init__(Size(tuple(self.loc.shape)[:-1]), event_shape,
                         validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._new_like(batch_shape, _instance)
        loc_shape = tuple(new._batch_shape + self._event_shape)
        new.loc = self.loc.expand(loc_shape)
        new.cov_diag = self.cov_diag.expand(loc_shape)
        new.cov_factor = self.cov_factor.expand(loc_shape + tuple(self.cov_factor.shape)[-1:])
        new._unbroadcasted_cov_factor = self._unbroadcasted_cov_factor
        new._unbroadcasted_cov_diag = self._unbroadcasted_cov_diag
        new._capacitance_tril = self._capacitance_tril
        return new

    @property
    def mean(self):
        return self.loc

    @property
    def mode(self):
        return self.loc

    def _matrix_shape(self):
        return tuple(self._batch_shape + self._event_shape + self._event_shape)

    @_Lazy
    def variance(self):
        return (self._unbroadcasted_cov_factor.pow(2).sum(-1)
                + self._unbroadcasted_cov_diag).expand(
                    tuple(self._batch_shape + self._event_shape))

    @_Lazy
    def scale_tril(self):
        sqrt_d = self._unbroadcasted_cov_diag.sqrt().unsqueeze(-1)
        dinvsqrt_w = self._unbroadcasted_cov_factor / sqrt_d
        K = api.matmul(dinvsqrt_w, dinvsqrt_w.mT).contiguous()
        return (sqrt_d * _linalg("cholesky")(_plus_identity(K))).expand(
            self._matrix_shape())

    @_Lazy
    def covariance_matrix(self):
        W = self._unbroadcasted_cov_factor
        return (api.matmul(W, W.mT) + _torch_function("diag_embed")(
            self._unbroadcasted_cov_diag)).expand(self._matrix_shape())

    @_Lazy
    def precision_matrix(self):
        wt_dinv = self._unbroadcasted_cov_factor.mT / self._unbroadcasted_cov_diag.unsqueeze(-2)
        A = _linalg("solve_triangular")(self._capacitance_tril, wt_dinv, upper=False)
        precision = (_torch_function("diag_embed")(self._unbroadcasted_cov_diag.reciprocal())
                     - A.mT @ A)
        return precision.expand(self._matrix_shape())

    def rsample(self, sample_shape=_SCALAR):
        shape = tuple(self._extended_shape(sample_shape))
        w_shape = shape[:-1] + tuple(self.cov_factor.shape)[-1:]
        eps_w = _standard_normal(w_shape, self.loc.dtype)
        eps_d = _standard_normal(shape, self.loc.dtype)
        return (self.loc + _batch_mv(self._unbroadcasted_cov_factor, eps_w)
                + self._unbroadcasted_cov_diag.sqrt() * eps_d)

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        diff = value - self.loc
        M = _batch_lowrank_mahalanobis(self._unbroadcasted_cov_factor,
                                       self._unbroadcasted_cov_diag, diff,
                                       self._capacitance_tril)
        log_det = _batch_lowrank_logdet(self._unbroadcasted_cov_factor,
                                        self._unbroadcasted_cov_diag,
                                        self._capacitance_tril)
        return -0.5 * (self._event_shape[0] * math.log(2 * math.pi) + log_det + M)

    def entropy(self):
        log_det = _batch_lowrank_logdet(self._unbroadcasted_cov_factor,
                                        self._unbroadcasted_cov_diag,
                                        self._capacitance_tril)
        H = 0.5 * (self._event_shape[0] * (1.0 + math.log(2 * math.pi)) + log_det)
        if len(self._batch_shape) == 0:
            return H
        return H.expand(tuple(self._batch_shape))


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
        new = self._new_like(batch_shape, _instance)
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



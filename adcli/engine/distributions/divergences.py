"""``kl_divergence`` for the distributions beyond the first part: same-family closed
forms (MultivariateNormal, Gamma, Beta, Dirichlet, ...) and torch's cross-family ones
(Beta/Exponential/Gamma/Laplace/Normal/Uniform), registered in ``core._KL``."""

from __future__ import annotations

import math

from adcli.engine import api
from adcli.engine.distributions import core as _core
from adcli.engine.distributions.continuous import (
    Beta,
    Dirichlet,
    Exponential,
    Gamma,
    Laplace,
)
from adcli.engine.distributions.core import (
    _KL,
    Normal,
    _kl_categorical_categorical,
    _torch_function,
    kl_divergence,
)
from adcli.engine.distributions.discrete import Binomial, Geometric, OneHotCategorical
from adcli.engine.distributions.multivariate import (
    Independent,
    LowRankMultivariateNormal,
    MultivariateNormal,
    _batch_lowrank_logdet,
    _batch_lowrank_mahalanobis,
    _batch_mahalanobis,
    _linalg,
    _sum_rightmost,
)
from adcli.engine.distributions.transformed import (
    TransformedDistribution,
)
from adcli.engine.shape import broadcast_shapes as _broadcast_pair
from adcli.errors import TorchNotImplementedError, TorchValueError

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


def _lowrank_check(p, q, what):
    if p.event_shape != q.event_shape:
        raise TorchValueError(f"KL-divergence between two {what} with"
                              "                          different event shapes cannot be "
                              "computed")


def _kl_lowrank_lowrank(p, q):
    _lowrank_check(p, q, "Low Rank Multivariate Normals")
    term1 = (_batch_lowrank_logdet(q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag,
                                   q._capacitance_tril)
             - _batch_lowrank_logdet(p._unbroadcasted_cov_factor,
                                     p._unbroadcasted_cov_diag, p._capacitance_tril))
    term3 = _batch_lowrank_mahalanobis(q._unbroadcasted_cov_factor,
                                       q._unbroadcasted_cov_diag, q.loc - p.loc,
                                       q._capacitance_tril)
    q_wt_dinv = q._unbroadcasted_cov_factor.mT / q._unbroadcasted_cov_diag.unsqueeze(-2)
    A = _linalg("solve_triangular")(q._capacitance_tril, q_wt_dinv, upper=False)
    term21 = (p._unbroadcasted_cov_diag / q._unbroadcasted_cov_diag).sum(-1)
    term22 = _batch_trace_xxt(p._unbroadcasted_cov_factor
                              * q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1))
    term23 = _batch_trace_xxt(A * p._unbroadcasted_cov_diag.sqrt().unsqueeze(-2))
    term24 = _batch_trace_xxt(A.matmul(p._unbroadcasted_cov_factor))
    term2 = term21 + term22 - term23 - term24
    return 0.5 * (term1 + term2 + term3 - p.event_shape[0])


def _kl_mvn_lowrank(p, q):
    _lowrank_check(p, q, "(Low Rank) Multivariate Normals")
    term1 = (_batch_lowrank_logdet(q._unbroadcasted_cov_factor, q._unbroadcasted_cov_diag,
                                   q._capacitance_tril)
             - 2 * p._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1))
    term3 = _batch_lowrank_mahalanobis(q._unbroadcasted_cov_factor,
                                       q._unbroadcasted_cov_diag, q.loc - p.loc,
                                       q._capacitance_tril)
    q_wt_dinv = q._unbroadcasted_cov_factor.mT / q._unbroadcasted_cov_diag.unsqueeze(-2)
    A = _linalg("solve_triangular")(q._capacitance_tril, q_wt_dinv, upper=False)
    term21 = _batch_trace_xxt(p._unbroadcasted_scale_tril
                              * q._unbroadcasted_cov_diag.rsqrt().unsqueeze(-1))
    term22 = _batch_trace_xxt(A.matmul(p._unbroadcasted_scale_tril))
    return 0.5 * (term1 + (term21 - term22) + term3 - p.event_shape[0])


def _kl_lowrank_mvn(p, q):
    _lowrank_check(p, q, "(Low Rank) Multivariate Normals")
    term1 = (2 * q._unbroadcasted_scale_tril.diagonal(dim1=-2, dim2=-1).log().sum(-1)
             - _batch_lowrank_logdet(p._unbroadcasted_cov_factor,
                                     p._unbroadcasted_cov_diag, p._capacitance_tril))
    term3 = _batch_mahalanobis(q._unbroadcasted_scale_tril, q.loc - p.loc)
    batch = tuple(_broadcast_pair(tuple(q._unbroadcasted_scale_tril.shape[:-2]),
                                  tuple(p._unbroadcasted_cov_factor.shape[:-2])))
    n = p.event_shape[0]
    q_tril = q._unbroadcasted_scale_tril.expand(batch + (n, n))
    p_factor = p._unbroadcasted_cov_factor.expand(batch + (n, p.cov_factor.size(-1)))
    p_diag = _torch_function("diag_embed")(p._unbroadcasted_cov_diag.sqrt()).expand(
        batch + (n, n))
    term21 = _batch_trace_xxt(_linalg("solve_triangular")(q_tril, p_factor, upper=False))
    term22 = _batch_trace_xxt(_linalg("solve_triangular")(q_tril, p_diag, upper=False))
    return 0.5 * (term1 + (term21 + term22) + term3 - p.event_shape[0])


_KL.update({
    (LowRankMultivariateNormal, LowRankMultivariateNormal): _kl_lowrank_lowrank,
    (MultivariateNormal, LowRankMultivariateNormal): _kl_mvn_lowrank,
    (LowRankMultivariateNormal, MultivariateNormal): _kl_lowrank_mvn,
})


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

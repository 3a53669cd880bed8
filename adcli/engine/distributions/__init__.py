"""``torch.distributions``: ``core`` holds the base class, the constraints, Normal,
Bernoulli, Categorical, Uniform, Poisson and ``kl_divergence``; ``multivariate``,
``continuous``, ``discrete`` and ``transformed`` the rest, ``divergences`` their KLs.

``MEMBERS`` is the ``torch.distributions`` namespace (with the ``constraints``, ``kl``,
``utils``, ``transforms`` and per-distribution submodules as dicts).
"""

from __future__ import annotations

from adcli.engine.distributions import core, divergences, multivariate, registry
from adcli.engine.distributions.continuous import (
    Beta,
    Cauchy,
    Chi2,
    ContinuousBernoulli,
    Dirichlet,
    Exponential,
    FisherSnedecor,
    Gamma,
    Laplace,
    StudentT,
    VonMises,
)
from adcli.engine.distributions.core import (
    CONSTRAINTS,
    Bernoulli,
    Categorical,
    Constraint,
    Distribution,
    Normal,
    Poisson,
    Uniform,
    broadcast_all,
    clamp_probs,
    kl_divergence,
    logits_to_probs,
    probs_to_logits,
)
from adcli.engine.distributions.discrete import (
    Binomial,
    Geometric,
    Multinomial,
    NegativeBinomial,
    OneHotCategorical,
)
from adcli.engine.distributions.multivariate import (
    Independent,
    LowRankMultivariateNormal,
    MixtureSameFamily,
    MultivariateNormal,
)
from adcli.engine.distributions.transformed import (
    AbsTransform,
    AffineTransform,
    ComposeTransform,
    ExpRelaxedCategorical,
    ExpTransform,
    Gumbel,
    HalfCauchy,
    HalfNormal,
    IndependentTransform,
    InverseGamma,
    Kumaraswamy,
    LogisticNormal,
    LogitRelaxedBernoulli,
    LogNormal,
    Pareto,
    PowerTransform,
    RelaxedBernoulli,
    RelaxedOneHotCategorical,
    SigmoidTransform,
    SoftmaxTransform,
    SoftplusTransform,
    StickBreakingTransform,
    TanhTransform,
    Transform,
    TransformedDistribution,
    Weibull,
    identity_transform,
)

assert divergences  # imported for its registrations in core's KL table

# each class with the submodule torch defines it in
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
    "NegativeBinomial": ("negative_binomial", NegativeBinomial),
    "RelaxedOneHotCategorical": ("relaxed_categorical", RelaxedOneHotCategorical),
    "RelaxedBernoulli": ("relaxed_bernoulli", RelaxedBernoulli),
    "ContinuousBernoulli": ("continuous_bernoulli", ContinuousBernoulli),
    "HalfCauchy": ("half_cauchy", HalfCauchy),
    "Pareto": ("pareto", Pareto),
    "Weibull": ("weibull", Weibull),
    "InverseGamma": ("inverse_gamma", InverseGamma),
    "VonMises": ("von_mises", VonMises),
    "FisherSnedecor": ("fishersnedecor", FisherSnedecor),
    "Kumaraswamy": ("kumaraswamy", Kumaraswamy),
    "LowRankMultivariateNormal": ("lowrank_multivariate_normal", LowRankMultivariateNormal),
    "LogisticNormal": ("logistic_normal", LogisticNormal),
}
# classes torch keeps in their submodule only (not in ``torch.distributions`` itself)
SUBMODULE_ONLY = {
    "ExpRelaxedCategorical": ("relaxed_categorical", ExpRelaxedCategorical),
    "LogitRelaxedBernoulli": ("relaxed_bernoulli", LogitRelaxedBernoulli),
}
TRANSFORMS = {
    "Transform": Transform, "ExpTransform": ExpTransform, "AffineTransform": AffineTransform,
    "SigmoidTransform": SigmoidTransform, "TanhTransform": TanhTransform,
    "SoftplusTransform": SoftplusTransform, "AbsTransform": AbsTransform,
    "ComposeTransform": ComposeTransform, "PowerTransform": PowerTransform,
    "IndependentTransform": IndependentTransform, "SoftmaxTransform": SoftmaxTransform,
    "StickBreakingTransform": StickBreakingTransform,
}

__all__ = [
    "MEMBERS", "Bernoulli", "Categorical", "Constraint", "Distribution", "Normal",
    "Poisson", "Uniform", "broadcast_all", "clamp_probs", "kl_divergence",
    "logits_to_probs", "probs_to_logits", *CLASSES, *SUBMODULE_ONLY, *TRANSFORMS,
]

MEMBERS = dict(core.MEMBERS)
MEMBERS["constraints"] = {**CONSTRAINTS, **multivariate.CONSTRAINTS}
for _name, (_module, _cls) in CLASSES.items():
    MEMBERS[_name] = _cls
    MEMBERS.setdefault(_module, {})[_name] = _cls
for _name, (_module, _cls) in SUBMODULE_ONLY.items():
    MEMBERS[_module][_name] = _cls
MEMBERS["transforms"] = {**TRANSFORMS, "identity_transform": identity_transform}
MEMBERS["constraint_registry"] = dict(registry.MEMBERS)
MEMBERS["biject_to"] = registry.biject_to
MEMBERS["transform_to"] = registry.transform_to
MEMBERS.update(TRANSFORMS)
MEMBERS["kl"] = {"kl_divergence": kl_divergence, "register_kl": core.register_kl}
MEMBERS["register_kl"] = core.register_kl

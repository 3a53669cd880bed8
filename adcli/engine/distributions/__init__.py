"""``torch.distributions``: ``core`` holds the base class, the constraints, Normal,
Bernoulli, Categorical, Uniform and Poisson and ``kl_divergence``; ``extra`` the
multivariate, gamma-family, discrete-count and transformed distributions.

``MEMBERS`` is the ``torch.distributions`` namespace (with the ``constraints``, ``kl``,
``utils``, ``transforms`` and per-distribution submodules as dicts).
"""

from __future__ import annotations

from adcli.engine.distributions import core, extra
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
from adcli.engine.distributions.extra import (
    AffineTransform,
    Beta,
    Binomial,
    Dirichlet,
    Exponential,
    ExpTransform,
    Gamma,
    Geometric,
    Independent,
    Laplace,
    LogNormal,
    Multinomial,
    MultivariateNormal,
    OneHotCategorical,
    Transform,
    TransformedDistribution,
)

__all__ = [
    "AffineTransform", "Bernoulli", "Beta", "Binomial", "Categorical", "Constraint",
    "Dirichlet", "Distribution", "ExpTransform", "Exponential", "Gamma", "Geometric",
    "Independent", "Laplace", "LogNormal", "MEMBERS", "Multinomial", "MultivariateNormal",
    "Normal", "OneHotCategorical", "Poisson", "Transform", "TransformedDistribution",
    "Uniform", "broadcast_all", "clamp_probs", "core", "extra", "kl_divergence",
    "logits_to_probs", "probs_to_logits",
]

MEMBERS = dict(core.MEMBERS)
MEMBERS["constraints"] = {**CONSTRAINTS, **extra.CONSTRAINTS}
for _name, (_module, _cls) in extra.CLASSES.items():
    MEMBERS[_name] = _cls
    MEMBERS[_module] = {_name: _cls}
MEMBERS["transforms"] = dict(extra.TRANSFORMS)
MEMBERS.update(extra.TRANSFORMS)
MEMBERS["kl"] = {"kl_divergence": kl_divergence}

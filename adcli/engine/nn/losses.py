"""The distance, ranking and likelihood losses as modules (PairwiseDistance,
MarginRankingLoss, HingeEmbeddingLoss, SoftMarginLoss, CosineEmbeddingLoss,
TripletMarginLoss, MultiLabelSoftMarginLoss, GaussianNLLLoss, PoissonNLLLoss), over the
functions of ``engine/nn_losses.py``. The classic losses (MSE, cross-entropy, ...) are in
``layers``."""

from __future__ import annotations

from adcli.engine import nn_losses as L
from adcli.engine.nn.layers import _Loss, _WeightedLoss
from adcli.engine.nn.module import Module


class PairwiseDistance(Module):
    """The p-norm distance between rows of x1 and x2 (plus eps)."""

    __adcli_public__ = Module.__adcli_public__ | frozenset(("norm", "eps", "keepdim"))

    def __init__(self, p: float = 2.0, eps: float = 1e-6, keepdim: bool = False) -> None:
        super().__init__()
        self.norm = p
        self.eps = eps
        self.keepdim = keepdim

    def forward(self, x1, x2):
        return L.pairwise_distance(x1, x2, self.norm, self.eps, self.keepdim)


class _MarginLoss(_Loss):
    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("margin",))
    _default = 0.0

    def __init__(self, margin=None, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = self._default if margin is None else margin


class MarginRankingLoss(_MarginLoss):
    """max(0, -y * (x1 - x2) + margin)."""

    def forward(self, input1, input2, target):
        return L.margin_ranking_loss(input1, input2, target, self.margin,
                                     reduction=self.reduction)


class HingeEmbeddingLoss(_MarginLoss):
    """x where y is 1, max(0, margin - x) where y is -1."""

    _default = 1.0

    def forward(self, input, target):
        return L.hinge_embedding_loss(input, target, self.margin, reduction=self.reduction)


class CosineEmbeddingLoss(_MarginLoss):
    """1 - cos(x1, x2) where y is 1, max(0, cos(x1, x2) - margin) where y is -1."""

    def forward(self, input1, input2, target):
        return L.cosine_embedding_loss(input1, input2, target, self.margin,
                                       reduction=self.reduction)


class SoftMarginLoss(_Loss):
    """log(1 + exp(-y * x)), for targets of 1 and -1."""

    def forward(self, input, target):
        return L.soft_margin_loss(input, target, reduction=self.reduction)


class TripletMarginLoss(_Loss):
    """max(0, margin + d(anchor, positive) - d(anchor, negative))."""

    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("margin", "p", "eps", "swap"))

    def __init__(self, margin: float = 1.0, p: float = 2.0, eps: float = 1e-6,
                 swap: bool = False, size_average=None, reduce=None,
                 reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.margin = margin
        self.p = p
        self.eps = eps
        self.swap = swap

    def forward(self, anchor, positive, negative):
        return L.triplet_margin_loss(anchor, positive, negative, self.margin, self.p, self.eps,
                                     self.swap, reduction=self.reduction)


class MultiLabelSoftMarginLoss(_WeightedLoss):
    """The binary cross-entropy of sigmoid(x) with each label, averaged over the labels."""

    def forward(self, input, target):
        return L.multilabel_soft_margin_loss(input, target, self.weight,
                                             reduction=self.reduction)


class GaussianNLLLoss(_Loss):
    """The negative log-likelihood of target under N(input, var)."""

    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("full", "eps"))

    def __init__(self, *, full: bool = False, eps: float = 1e-6,
                 reduction: str = "mean") -> None:
        super().__init__(None, None, reduction)
        self.full = full
        self.eps = eps

    def forward(self, input, target, var):
        return L.gaussian_nll_loss(input, target, var, self.full, self.eps, self.reduction)


class PoissonNLLLoss(_Loss):
    """The negative log-likelihood of target under Poisson(exp(input)) (or Poisson(input))."""

    __adcli_public__ = _Loss.__adcli_public__ | frozenset(("log_input", "full", "eps"))

    def __init__(self, log_input: bool = True, full: bool = False, size_average=None,
                 eps: float = 1e-8, reduce=None, reduction: str = "mean") -> None:
        super().__init__(size_average, reduce, reduction)
        self.log_input = log_input
        self.full = full
        self.eps = eps

    def forward(self, log_input, target):
        return L.poisson_nll_loss(log_input, target, self.log_input, self.full,
                                  eps=self.eps, reduction=self.reduction)

"""torch.nn.functional: activations, softmax and the losses.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/``; the functions in ``engine/nn_functional.py``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import nn_functional as NF
from adcli.engine import ops as O
from adcli.engine.declare import Op, family


def _f(name, doc, grad_fn=()):
    """An op of torch.nn.functional only."""
    fn = getattr(NF, name)
    return Op(name, doc, fn, grad_fn, method=False, in_torch=False, nn=fn)


# fmt: off
OPS = family(
    "Softmax",
    Op("softmax", "exp(input) / sum(exp(input)) over dim", A.softmax, (O.SoftmaxBackward0,),
       nn=NF.softmax),
    Op("log_softmax", "log(softmax(input)) over dim, computed stably", A.log_softmax,
       (O.LogSoftmaxBackward0,), nn=NF.log_softmax),
)

FUNCTIONAL = family(
    "Activations and losses (torch.nn.functional only)",
    _f("softplus", "log(1 + exp(beta * input)) / beta", (O.SoftplusBackward0,)),
    _f("leaky_relu", "input, times negative_slope where negative", (O.LeakyReluBackward0,)),
    _f("gelu", "input * Phi(input), exact or tanh-approximated", (O.GeluBackward0,)),
    _f("elu", "input, or alpha * (exp(input) - 1) where negative", (O.EluBackward0,)),
    _f("mse_loss", "the mean squared error", (O.MseLossBackward0,)),
    _f("nll_loss", "the negative log likelihood of class targets", (O.NllLossBackward0,)),
    _f("cross_entropy", "log_softmax then nll_loss", (O.NllLossBackward0,)),
    _f("one_hot", "class indices as one-hot rows"),
    _f("binary_cross_entropy", "the binary cross entropy of probabilities",
       (O.BinaryCrossEntropyBackward0,)),
    _f("binary_cross_entropy_with_logits", "sigmoid then binary_cross_entropy, stably",
       (O.BinaryCrossEntropyWithLogitsBackward0,)),
    _f("l1_loss", "the mean absolute error",
       (O.MeanBackward0, O.SumBackward0, O.AbsBackward0)),
    _f("huber_loss", "squared below delta, linear above, reduced", (O.HuberLossBackward0,)),
    _f("smooth_l1_loss", "squared / beta below beta, linear above, reduced",
       (O.SmoothL1LossBackward0, O.MeanBackward0, O.SumBackward0, O.AbsBackward0)),
    _f("logsigmoid", "log(sigmoid(input)), computed stably", (O.LogSigmoidBackward0,)),
    _f("kl_div", "the Kullback-Leibler divergence of log-probabilities",
       (O.MeanBackward0, O.SumBackward0, O.DivBackward0, O.SubBackward0, O.MulBackward0)),
)
# fmt: on

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
    _f("nll_loss", "the negative log likelihood of class targets",
       (O.NllLossBackward0, O.NllLoss2DBackward0, O.ViewBackward0)),
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
    _f("silu", "input * sigmoid(input)", (O.SiluBackward0,)),
    _f("hardtanh", "input clamped to [min_val, max_val]", (O.HardtanhBackward0,)),
    _f("relu6", "input clamped to [0, 6]", (O.HardtanhBackward0,)),
    _f("mish", "input * tanh(softplus(input))", (O.MishBackward0,)),
    _f("softsign", "input / (|input| + 1)", (O.DivBackward0,)),
    _f("tanhshrink", "input - tanh(input)", (O.SubBackward0,)),
)

LAYERS = family(
    "Layers (torch.nn.functional)",
    _f("linear", "input @ weight.T + bias, decomposed as torch does",
       (O.AddmmBackward0, O.ViewBackward0, O.MmBackward0, O.UnsafeViewBackward0,
        O.SqueezeBackward4, O.MvBackward0, O.DotBackward0, O.AddBackward0)),
    _f("bilinear", "input1^T weight input2 + bias over the last dimension",
       (O.TrilinearBackward0, O.ViewBackward0, O.AddBackward0)),
    Op("dropout", "zero elements with probability p, scale the rest by 1 / (1 - p)",
       NF._torch_dropout, (O.MulBackward0,), method=False, nn=NF.dropout),
    _f("dropout1d", "zero whole channels of (N, C, L) with probability p",
       (O.MulBackward0, O.SqueezeBackward1)),
    _f("dropout2d", "zero whole channels of (N, C, H, W) with probability p",
       (O.MulBackward0,)),
    Op("conv1d", "the 1-D convolution (cross-correlation), with groups", NF.conv1d,
       (O.ConvolutionBackward0, O.SqueezeBackward1), method=False, nn=NF.conv1d),
    Op("conv2d", "the 2-D convolution (cross-correlation), with groups", NF.conv2d,
       (O.ConvolutionBackward0, O.SqueezeBackward1), method=False, nn=NF.conv2d),
    Op("max_pool1d", "the maximum of each window of (N, C, L)", NF.max_pool1d,
       (O.SqueezeBackward1,), method=False, nn=NF.max_pool1d),
    Op("max_pool2d", "the maximum of each window of (N, C, H, W), and its index",
       NF.max_pool2d, (O.MaxPool2DWithIndicesBackward0,), method=False, nn=NF.max_pool2d),
    Op("avg_pool1d", "the mean of each window of (N, C, L)", NF.avg_pool1d,
       (O.SqueezeBackward1,), method=False, nn=NF.avg_pool1d),
    _f("avg_pool2d", "the mean of each window of (N, C, H, W)", (O.AvgPool2DBackward0,)),
    _f("adaptive_avg_pool1d", "the mean over windows chosen to give output_size (1-D)",
       (O.SqueezeBackward1, O.AdaptiveAvgPool2DBackward0, O.MeanBackward1)),
    _f("adaptive_avg_pool2d", "the mean over output_size cells of (N, C, H, W)",
       (O.AdaptiveAvgPool2DBackward0, O.MeanBackward1)),
    _f("batch_norm", "normalise each channel by batch or running statistics",
       (O.NativeBatchNormBackward0,)),
    _f("layer_norm", "normalise over the last dims by their mean and variance",
       (O.NativeLayerNormBackward0,)),
    _f("embedding", "the rows of weight at the indices", (O.EmbeddingBackward0,)),
    _f("pad", "pad (or crop) the last dims with a constant", (O.ConstantPadNdBackward0,)),
    _f("interpolate", "resampled to size or by scale_factor (nearest, linear, bilinear)",
       (O.UpsampleNearest1DBackward0, O.UpsampleNearest2DBackward0,
        O.UpsampleLinear1DBackward0, O.UpsampleBilinear2DBackward0)),
    _f("normalize", "input divided by its p-norm over dim (at least eps)", (O.DivBackward0,)),
)
FUNCTIONAL += LAYERS  # (declarations/__init__ lists FUNCTIONAL)
# fmt: on

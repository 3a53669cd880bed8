"""torch.nn.functional: activations, softmax and the losses.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/``; the functions in ``engine/nn_functional.py``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import nn_functional as NF
from adcli.engine import ops as O
from adcli.engine.declare import Op, family


def _f(name, doc, grad_fn=(), **kw):
    """An op of torch.nn.functional only."""
    fn = getattr(NF, name)
    return Op(name, doc, fn, grad_fn, method=False, in_torch=False, nn=fn, **kw)


# fmt: off
OPS = family(
    "Softmax",
    Op("softmax", "exp(input) / sum(exp(input)) over dim", A.softmax, (O.SoftmaxBackward0,),
       nn=NF.softmax,
       calculus={
           "SoftmaxBackward0": (
               ("self", "result * (grad - (grad * result).sum(dim, keepdim=True))"),),
       }),
    Op("log_softmax", "log(softmax(input)) over dim, computed stably", A.log_softmax,
       (O.LogSoftmaxBackward0,), nn=NF.log_softmax,
       calculus={
           "LogSoftmaxBackward0": (("self", "grad - exp(result) * grad.sum(dim, keepdim=True)"),),
       }),
)

FUNCTIONAL = family(
    "Activations and losses (torch.nn.functional only)",
    _f("softplus", "log(1 + exp(beta * input)) / beta", (O.SoftplusBackward0,),
       calculus={
           "SoftplusBackward0": (
               ("self", "grad * where(self * beta > threshold, 1, sigmoid(self * beta))"),),
       }),
    _f("leaky_relu", "input, times negative_slope where negative", (O.LeakyReluBackward0,),
       calculus={"LeakyReluBackward0": (("self", "grad * where(self > 0, 1, negative_slope)"),)}),
    _f("gelu", "input * Phi(input), exact or tanh-approximated", (O.GeluBackward0,),
       calculus={
           "GeluBackward0": (
               ("self", "grad * (normal_cdf(self) + self * normal_pdf(self) if approximate == "
                        "'none' else gelu_tanh_derivative(self))"),),
       }),
    _f("elu", "input, or alpha * (exp(input) - 1) where negative", (O.EluBackward0,),
       calculus={"EluBackward0": (("self", "grad * where(self > 0, 1, alpha * exp(self))"),)}),
    _f("mse_loss", "the mean squared error", (O.MseLossBackward0,),
       calculus={
           "MseLossBackward0": (
               ("self", "grad * (2 * (self - target) * norm)"),
               ("target", "grad * (-2 * (self - target) * norm)")),
       }),
    _f("nll_loss", "the negative log likelihood of class targets",
       (O.NllLossBackward0, O.NllLoss2DBackward0, O.ViewBackward0),
       calculus={
           "NllLossBackward0": (
               ("self", "kept(grad) * -(one_hot(target) * weight[target].unsqueeze(-1)) / "
                        "(total_weight if reduction == 'mean' else 1)"),),
           "NllLoss2DBackward0": (
               ("self", "kept(grad) * -(one_hot(target, dim=1) * weight[target].unsqueeze(1)) / "
                        "(total_weight if reduction == 'mean' else 1)"),),
       }),
    _f("cross_entropy", "log_softmax then nll_loss", (O.NllLossBackward0,)),
    _f("one_hot", "class indices as one-hot rows"),
    _f("binary_cross_entropy", "the binary cross entropy of probabilities",
       (O.BinaryCrossEntropyBackward0,),
       calculus={
           "BinaryCrossEntropyBackward0": (
               ("self", "grad * weight * (self - target) / clamp_min((1 - self) * self, 1e-12) * "
                        "norm"),
               ("target", "grad * weight * (log(1 - self) - log(self)) * norm")),
       }),
    _f("binary_cross_entropy_with_logits", "sigmoid then binary_cross_entropy, stably",
       (O.BinaryCrossEntropyWithLogitsBackward0,),
       calculus={
           "BinaryCrossEntropyWithLogitsBackward0": (
               ("self", "grad * ((pos_weight * target + 1 - target) * sigmoid(self) - pos_weight * "
                        "target) * weight * norm"),
               ("target", "grad * (logsigmoid(-self) - pos_weight * logsigmoid(self)) * weight * "
                          "norm")),
       }),
    _f("l1_loss", "the mean absolute error",
       (O.MeanBackward0, O.SumBackward0, O.AbsBackward0)),
    _f("huber_loss", "squared below delta, linear above, reduced", (O.HuberLossBackward0,),
       calculus={
           "HuberLossBackward0": (
               ("self", "grad * clamp(self - target, -delta, delta) * norm"),
               ("target", "grad * clamp(target - self, -delta, delta) * norm")),
       }),
    _f("smooth_l1_loss", "squared / beta below beta, linear above, reduced",
       (O.SmoothL1LossBackward0, O.MeanBackward0, O.SumBackward0, O.AbsBackward0),
       calculus={
           "SmoothL1LossBackward0": (
               ("self", "grad * clamp((self - target) / beta, -1, 1) * norm"),
               ("target", "grad * clamp((target - self) / beta, -1, 1) * norm")),
       }),
    _f("logsigmoid", "log(sigmoid(input)), computed stably", (O.LogSigmoidBackward0,),
       calculus={"LogSigmoidBackward0": (("self", "grad * sigmoid(-self)"),)}),
    _f("kl_div", "the Kullback-Leibler divergence of log-probabilities",
       (O.MeanBackward0, O.SumBackward0, O.DivBackward0, O.SubBackward0, O.MulBackward0)),
    _f("silu", "input * sigmoid(input)", (O.SiluBackward0,),
       calculus={
           "SiluBackward0": (
               ("self", "grad * (sigmoid(self) * (1 + self * (1 - sigmoid(self))))"),),
       }),
    _f("hardtanh", "input clamped to [min_val, max_val]", (O.HardtanhBackward0,),
       calculus={"HardtanhBackward0": (("self", "grad * ((self > min_val) & (self < max_val))"),)}),
    _f("relu6", "input clamped to [0, 6]", (O.HardtanhBackward0,)),
    _f("mish", "input * tanh(softplus(input))", (O.MishBackward0,),
       calculus={
           "MishBackward0": (
               ("self", "grad * (tanh(softplus(self)) + self * sigmoid(self) * (1 - "
                        "tanh(softplus(self)) ** 2))"),),
       }),
    _f("softsign", "input / (|input| + 1)", (O.DivBackward0,)),
    _f("tanhshrink", "input - tanh(input)", (O.SubBackward0,)),
)

LAYERS = family(
    "Layers (torch.nn.functional)",
    _f("linear", "input @ weight.T + bias, decomposed as torch does",
       (O.AddmmBackward0, O.ViewBackward0, O.MmBackward0, O.UnsafeViewBackward0,
        O.SqueezeBackward4, O.MvBackward0, O.DotBackward0, O.AddBackward0)),
    _f("bilinear", "input1^T weight input2 + bias over the last dimension",
       (O.TrilinearBackward0, O.ViewBackward0, O.AddBackward0),
       calculus={
           "TrilinearBackward0": (
               ("input1", "einsum('no,oij,nj->ni', grad, weight, input2)"),
               ("weight", "einsum('no,ni,nj->oij', grad, input1, input2)"),
               ("input2", "einsum('no,ni,oij->nj', grad, input1, weight)")),
       }),
    Op("dropout", "zero elements with probability p, scale the rest by 1 / (1 - p)",
       NF._torch_dropout, (O.MulBackward0,), method=False, nn=NF.dropout),
    _f("dropout1d", "zero whole channels of (N, C, L) with probability p",
       (O.MulBackward0, O.SqueezeBackward1)),
    _f("dropout2d", "zero whole channels of (N, C, H, W) with probability p",
       (O.MulBackward0,)),
    Op("conv1d", "the 1-D convolution (cross-correlation), with groups", NF.conv1d,
       (O.ConvolutionBackward0, O.SqueezeBackward1), method=False, nn=NF.conv1d,
       calculus={
           "ConvolutionBackward0": (
               ("input", "conv_transpose(grad, weight, stride, padding, dilation, groups)"),
               ("weight", "conv_weight_grad(input, grad, stride, padding, dilation, groups)"),
               ("bias", "grad.sum(0).flatten(1).sum(-1)")),
       }),
    Op("conv2d", "the 2-D convolution (cross-correlation), with groups", NF.conv2d,
       (O.ConvolutionBackward0, O.SqueezeBackward1), method=False, nn=NF.conv2d),
    Op("max_pool1d", "the maximum of each window of (N, C, L)", NF.max_pool1d,
       (O.SqueezeBackward1,), method=False, nn=NF.max_pool1d),
    Op("max_pool2d", "the maximum of each window of (N, C, H, W), and its index",
       NF.max_pool2d, (O.MaxPool2DWithIndicesBackward0,), method=False, nn=NF.max_pool2d,
       calculus={
           "MaxPool2DWithIndicesBackward0": (
               ("self", "zeros_like(self).flatten(-2).scatter_add(-1, indices.flatten(-2), "
                        "grad.flatten(-2)).view(self.shape)"),),
       }),
    Op("avg_pool1d", "the mean of each window of (N, C, L)", NF.avg_pool1d,
       (O.SqueezeBackward1,), method=False, nn=NF.avg_pool1d),
    _f("avg_pool2d", "the mean of each window of (N, C, H, W)", (O.AvgPool2DBackward0,),
       calculus={"AvgPool2DBackward0": (("self", "spread(grad / divisor, windows)"),)}),
    _f("adaptive_avg_pool1d", "the mean over windows chosen to give output_size (1-D)",
       (O.SqueezeBackward1, O.AdaptiveAvgPool2DBackward0, O.MeanBackward1)),
    _f("adaptive_avg_pool2d", "the mean over output_size cells of (N, C, H, W)",
       (O.AdaptiveAvgPool2DBackward0, O.MeanBackward1),
       calculus={
           "AdaptiveAvgPool2DBackward0": (("self", "spread(grad / window_sizes, windows)"),),
       }),
    _f("batch_norm", "normalise each channel by batch or running statistics",
       (O.NativeBatchNormBackward0,),
       calculus={
           "NativeBatchNormBackward0": (
               ("input", "weight * invstd * (grad - grad.mean(axes, keepdim=True) - xhat * (grad * "
                         "xhat).mean(axes, keepdim=True)) if training else grad * (weight * "
                         "invstd)"),
               ("weight", "(grad * xhat).sum(axes)"),
               ("bias", "grad.sum(axes)")),
       }),
    _f("layer_norm", "normalise over the last dims by their mean and variance",
       (O.NativeLayerNormBackward0,),
       calculus={
           "NativeLayerNormBackward0": (
               ("input", "rstd * (grad * weight - (grad * weight).mean(axes, keepdim=True) - xhat "
                         "* (grad * weight * xhat).mean(axes, keepdim=True))"),
               ("weight", "(grad * xhat).sum(other_axes)"),
               ("bias", "grad.sum(other_axes)")),
       }),
    _f("embedding", "the rows of weight at the indices", (O.EmbeddingBackward0,),
       calculus={
           "EmbeddingBackward0": (
               ("weight", "zeros_like(weight).index_put((indices,), grad, "
                          "accumulate=True).index_fill(0, padding_idx, 0)"),),
       }),
    _f("pad", "pad (or crop) the last dims with a constant", (O.ConstantPadNdBackward0,),
       calculus={
           "ConstantPadNdBackward0": (("self", "constant_pad_nd(grad, [-p for p in pad])"),),
       }),
    _f("interpolate", "resampled to size or by scale_factor (nearest, linear, bilinear)",
       (O.UpsampleNearest1DBackward0, O.UpsampleNearest2DBackward0,
        O.UpsampleLinear1DBackward0, O.UpsampleBilinear2DBackward0),
       calculus={
           "UpsampleNearest1DBackward0": (("self", "resample_backward(grad, self.shape)"),),
           "UpsampleNearest2DBackward0": (("self", "resample_backward(grad, self.shape)"),),
           "UpsampleLinear1DBackward0": (("self", "resample_backward(grad, self.shape)"),),
           "UpsampleBilinear2DBackward0": (("self", "resample_backward(grad, self.shape)"),),
       }),
    _f("normalize", "input divided by its p-norm over dim (at least eps)", (O.DivBackward0,)),
)
FUNCTIONAL += LAYERS  # (declarations/__init__ lists FUNCTIONAL)
# fmt: on

"""torch.nn.functional: activations, softmax and the losses.

One ``Op`` per op (see ``adcli/engine/declare.py``); the grad_fn classes, forward beside
backward, are in ``engine/ops/``; the functions in ``engine/nn_functional.py``.
"""

from __future__ import annotations

from adcli.engine import api as A
from adcli.engine import attention as AT
from adcli.engine import nn_extra as NX
from adcli.engine import nn_functional as NF
from adcli.engine import nn_losses as NL
from adcli.engine import ops as O
from adcli.engine import pool3d as P3
from adcli.engine.declare import Op, family


def _f(name, doc, grad_fn=(), **kw):
    """An op of torch.nn.functional only."""
    fn = getattr(NF, name)
    return Op(name, doc, fn, grad_fn, method=False, in_torch=False, nn=fn, **kw)


def _nl(name, doc, grad_fn=(), in_torch=True, **kw):
    """A loss composed in engine/nn_losses.py (torch.NAME too where ``in_torch``)."""
    fn = getattr(NL, name)
    return Op(name, doc, fn, grad_fn, method=False, in_torch=in_torch, nn=fn, **kw)


def _ft(name, doc, grad_fn=(), **kw):
    """An op of torch.nn.functional that torch also has as torch.NAME."""
    fn = getattr(NF, name)
    return Op(name, doc, fn, grad_fn, method=False, nn=fn, **kw)


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
    _f("leaky_relu", "input, times negative_slope where negative",
       (O.LeakyReluBackward0, O.LeakyReluBackward1),
       calculus={"LeakyReluBackward0": (("self", "grad * where(self > 0, 1, negative_slope)"),),
                 "LeakyReluBackward1": (
                     ("self", "grad * where(result > 0, 1, negative_slope)"),)}),
    _f("leaky_relu_", "leaky_relu, written into input", (O.LeakyReluBackward1,)),
    _f("gelu", "input * Phi(input), exact or tanh-approximated", (O.GeluBackward0,),
       calculus={
           "GeluBackward0": (
               ("self", "grad * (normal_cdf(self) + self * normal_pdf(self) if approximate == "
                        "'none' else gelu_tanh_derivative(self))"),),
       }),
    _f("elu", "input, or alpha * (exp(input) - 1) where negative",
       (O.EluBackward0, O.EluBackward1),
       calculus={"EluBackward0": (("self", "grad * where(self > 0, 1, alpha * exp(self))"),),
                 "EluBackward1": (("self", "grad * where(result > 0, 1, result + alpha)"),)}),
    _f("elu_", "elu, written into input", (O.EluBackward1,)),
    Op("selu", "scale * elu(input, alpha), with SELU's fixed alpha and scale", NF.selu,
       (O.EluBackward0, O.EluBackward1), method=False, nn=NF.selu),
    Op("selu_", "selu, written into input", NF.selu_, (O.EluBackward1,), method=False,
       nn=NF.selu_),
    Op("celu", "max(0, input) + min(0, alpha * (exp(input / alpha) - 1))", NF.celu,
       (O.CeluBackward0, O.CeluBackward1), method=False, nn=NF.celu,
       calculus={"CeluBackward0": (("self", "grad * where(self > 0, 1, exp(self / alpha))"),),
                 "CeluBackward1": (("self", "grad * where(result > 0, 1, "
                                            "(result + alpha) / alpha)"),)}),
    Op("celu_", "celu, written into input", NF.celu_, (O.CeluBackward1,), method=False,
       nn=NF.celu_),
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
    _f("hardtanh_", "hardtanh, written into input", (O.HardtanhBackward0,)),
    _f("relu6", "input clamped to [0, 6]", (O.HardtanhBackward0,)),
    _f("relu_", "relu, written into input", (O.ReluBackward0,)),
    _f("hardsigmoid", "min(max(input + 3, 0), 6) / 6", (O.HardsigmoidBackward0,),
       calculus={"HardsigmoidBackward0": (("self", "grad * ((self > -3) & (self < 3)) / 6"),)}),
    _f("hardswish", "input * hardsigmoid(input)", (O.HardswishBackward0,),
       calculus={"HardswishBackward0": (
           ("self", "grad * where(self <= -3, 0, where(self < 3, self / 3 + 0.5, 1))"),)}),
    _ft("hardshrink", "input where |input| > lambd, else 0", (O.HardshrinkBackward0,),
       calculus={"HardshrinkBackward0": (("self", "grad * (abs(self) > lambd)"),)}),
    _f("softshrink", "input moved towards 0 by lambd, and 0 within lambd of it",
       (O.SoftshrinkBackward0,),
       calculus={"SoftshrinkBackward0": (("self", "grad * (abs(self) > lambd)"),)}),
    _f("glu", "the first half of input along dim times the sigmoid of the second",
       (O.GluBackward0,),
       calculus={"GluBackward0": (
           ("self", "cat([grad * sigmoid(second), grad * first * sigmoid(second) * "
                    "(1 - sigmoid(second))], dim)"),)}),
    Op("prelu", "input where positive, else weight * input (per channel)", NF.prelu,
       (O.PreluKernelBackward0,), method=False, nn=NF.prelu,
       calculus={"PreluKernelBackward0": (("self", "grad * where(self > 0, 1, weight)"),
                                          ("weight", "grad * where(self > 0, 0, self)"))}),
    _f("softmin", "softmax(-input) over dim", (O.SoftmaxBackward0,)),
    Op("scaled_dot_product_attention", "softmax(query @ key^T * scale + mask) @ value",
       AT.scaled_dot_product_attention,
       (AT.ScaledDotProductFlashAttentionForCpuBackward0, AT.SafeSoftmaxBackward0,
        O.UnsafeViewBackward0),
       method=False, in_torch=False, nn=AT.scaled_dot_product_attention,
       calculus={
           "ScaledDotProductFlashAttentionForCpuBackward0": (
               ("query", "(attn * (grad @ value.mT - (grad * (attn @ value)).sum(-1, "
                         "keepdim=True))) @ key * scale"),
               ("key", "(attn * (grad @ value.mT - (grad * (attn @ value)).sum(-1, "
                       "keepdim=True))).mT @ query * scale"),
               ("value", "attn.mT @ grad")),
           "SafeSoftmaxBackward0": (
               ("self", "result * (grad - (grad * result).sum(dim, keepdim=True))"),),
       }),
    Op("multi_head_attention_forward", "nn.MultiheadAttention's forward, as a function",
       AT.multi_head_attention_forward, (O.ViewBackward0,), method=False, in_torch=False,
       nn=AT.multi_head_attention_forward),
    _ft("pixel_shuffle", "(*, C * r^2, H, W) rearranged to (*, C, H * r, W * r)",
       (O.PixelShuffleBackward0,),
       calculus={"PixelShuffleBackward0": (("self", "pixel_unshuffle(grad, upscale_factor)"),)}),
    _ft("pixel_unshuffle", "(*, C, H * r, W * r) rearranged to (*, C * r^2, H, W)",
       (O.PixelUnshuffleBackward0,),
       calculus={"PixelUnshuffleBackward0": (
           ("self", "pixel_shuffle(grad, downscale_factor)"),)}),
    Op("pairwise_distance", "the p-norm of x1 - x2 + eps along the last dim",
       NL.pairwise_distance, (O.NormBackward1,), method=False, nn=NL.pairwise_distance,
       calculus={"NormBackward1": (
           ("self", "kept(grad) * sgn(self) * abs(self) ** (p - 1) / kept(result) ** (p - 1)"),)}),
    _nl("margin_ranking_loss", "max(0, -target * (input1 - input2) + margin)",
        (O.MeanBackward0, O.SumBackward0, O.ClampMinBackward0)),
    _nl("hinge_embedding_loss", "input where target is 1, max(0, margin - input) where -1",
        (O.MeanBackward0, O.SumBackward0, O.AddBackward0)),
    _nl("soft_margin_loss", "log(1 + exp(-target * input))", (O.SoftMarginLossBackward0,),
        in_torch=False,
        calculus={"SoftMarginLossBackward0": (
            ("self", "grad * -target * sigmoid(-target * self) * norm"),)}),
    _nl("cosine_embedding_loss", "1 - cos(x1, x2), or max(0, cos - margin), by target",
        (O.MeanBackward0, O.SumBackward0, O.AddBackward0)),
    _nl("triplet_margin_loss", "max(0, margin + d(anchor, positive) - d(anchor, negative))",
        (O.MeanBackward0, O.SumBackward0, O.ClampMinBackward0)),
    _nl("multilabel_soft_margin_loss", "the labels' binary cross-entropy on sigmoid(input)",
        (O.MeanBackward0, O.SumBackward0, O.DivBackward0), in_torch=False),
    _nl("gaussian_nll_loss", "0.5 * (log(var) + (input - target) ** 2 / var)",
        (O.MeanBackward0, O.SumBackward0, O.MulBackward0, O.AddBackward0), in_torch=False),
    _nl("poisson_nll_loss", "exp(input) - target * input, or its form on rates",
        (O.MeanBackward0, O.SumBackward0, O.SubBackward0, O.AddBackward0)),
    _f("adaptive_max_pool1d", "the maximum of each of output_size windows of (N, C, L)",
       (O.SqueezeBackward1,)),
    _f("adaptive_max_pool2d", "the maximum of each of output_size windows of (N, C, H, W)",
       (O.AdaptiveMaxPool2DBackward0,),
       calculus={"AdaptiveMaxPool2DBackward0": (("self", "spread(grad)"),)}),
    _f("unfold", "the sliding blocks of (N, C, H, W) as columns (N, C * kh * kw, L)",
       (O.Im2ColBackward0,),
       calculus={"Im2ColBackward0": (("self", "fold(grad)"),)}),
    _f("fold", "columns (N, C * kh * kw, L) summed back into (N, C, H, W)",
       (O.Col2ImBackward0,),
       calculus={"Col2ImBackward0": (("self", "unfold(grad)"),)}),
    _f("dropout3d", "whole channels of (N, C, D, H, W) zeroed with probability p",
       (O.MulBackward0, O.SqueezeBackward1)),
    _f("gumbel_softmax", "softmax((logits + Gumbel noise) / tau), or its one-hot (hard)",
       (O.SoftmaxBackward0, O.AddBackward0)),
    _f("affine_grid", "the sampling grid of affine maps theta for an output size",
       (O.AffineGridGeneratorBackward0,),
       calculus={"AffineGridGeneratorBackward0": (("theta", "(base_grid.mT @ grad).mT"),)}),
    _f("grid_sample", "input read (bilinear or nearest) at the grid's locations in [-1, 1]",
       (O.GridSampler2DBackward0,),
       calculus={"GridSampler2DBackward0": (
           ("input", "spread(grad)"),
           ("grid", "grid_sample_backward(grad, input, grid)")),
       }),
    _ft("group_norm", "each sample's channels normalised in groups, then scaled and shifted",
       (O.NativeGroupNormBackward0,),
       calculus={
           "NativeGroupNormBackward0": (
               ("input", "rstd * (grad * weight - (grad * weight).mean(group_axes, keepdim=True) "
                         "- xhat * (grad * weight * xhat).mean(group_axes, keepdim=True))"),
               ("weight", "(grad * xhat).sum(other_axes)"),
               ("bias", "grad.sum(other_axes)")),
       }),
    _ft("instance_norm", "each channel of each sample normalised on its own",
       (O.ViewBackward0,)),
    Op("rms_norm", "input / sqrt(mean(input ** 2) + eps) over the last dims, times weight",
       NF.rms_norm, (O.MulBackward0,), method=False, nn=NF.rms_norm),
    Op("conv_transpose1d", "the transposed 1-D convolution (conv1d's input gradient)",
       NF.conv_transpose1d, (O.ConvolutionBackward0,), method=False, nn=NF.conv_transpose1d),
    Op("conv_transpose2d", "the transposed 2-D convolution (conv2d's input gradient)",
       NF.conv_transpose2d, (O.ConvolutionBackward0,), method=False, nn=NF.conv_transpose2d),
    Op("conv_transpose3d", "the transposed 3-D convolution (conv3d's input gradient)",
       NF.conv_transpose3d, (O.ConvolutionBackward0,), method=False, nn=NF.conv_transpose3d),
    Op("conv3d", "the 3-D convolution (cross-correlation), with groups", NF.conv3d,
       (O.ConvolutionBackward0, O.SqueezeBackward1), method=False, nn=NF.conv3d),
    _f("max_pool3d", "the maximum of each window of (N, C, D, H, W), and its index",
       (P3.MaxPool3DWithIndicesBackward0,),
       calculus={
           "MaxPool3DWithIndicesBackward0": (
               ("self", "zeros_like(self).flatten(-3).scatter_add(-1, indices.flatten(-3), "
                        "grad.flatten(-3)).view(self.shape)"),),
       }),
    _f("avg_pool3d", "the mean of each window of (N, C, D, H, W)", (P3.AvgPool3DBackward0,),
       calculus={"AvgPool3DBackward0": (("self", "spread(grad / divisor, windows)"),)}),
    _f("adaptive_avg_pool3d", "the mean over output_size cells of (N, C, D, H, W)",
       (P3.AdaptiveAvgPool3DBackward0, O.MeanBackward1),
       calculus={
           "AdaptiveAvgPool3DBackward0": (("self", "spread(grad / window_sizes, windows)"),),
       }),
    _f("adaptive_max_pool3d", "the maximum of each of output_size windows of (N, C, D, H, W)",
       (P3.AdaptiveMaxPool3DBackward0,),
       calculus={"AdaptiveMaxPool3DBackward0": (("self", "spread(grad)"),)}),
    Op("threshold", "input, or value where input <= threshold", NF.threshold,
       (O.ThresholdBackward0, O.ThresholdBackward1), method=False, nn=NF.threshold,
       calculus={"ThresholdBackward0": (("self", "grad * (self > threshold)"),),
                 "ThresholdBackward1": (("self", "grad * (self > threshold)"),)}),
    Op("threshold_", "threshold, written into input", NF.threshold_, (O.ThresholdBackward1,),
       method=False, nn=NF.threshold_),
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
    _f("embedding_bag", "the sum, mean or maximum of each bag of rows of weight",
       (NX.EmbeddingBagBackward0,),
       calculus={
           "EmbeddingBagBackward0": (
               ("weight", "zeros_like(weight).index_add(0, indices, grad[bag_of] * scale) if "
                          "mode != 'max' else zeros_like(weight).scatter_add(0, max_indices, "
                          "grad)"),
               ("per_sample_weights", "(grad[bag_of] * weight[indices]).sum(-1)")),
       }),
    _ft("rrelu", "leaky_relu with slopes drawn from U(lower, upper) in training, their mean "
        "in eval", (NX.RreluWithNoiseBackward0, NX.RreluWithNoiseBackward1),
        calculus={
            "RreluWithNoiseBackward0": (
                ("self", "grad * noise if training else grad * where(self > 0, 1, (lower + "
                         "upper) / 2)"),),
            "RreluWithNoiseBackward1": (
                ("self", "grad * noise if training else grad * where(result > 0, 1, (lower + "
                         "upper) / 2)"),),
        }),
    _ft("rrelu_", "rrelu, written into input", (NX.RreluWithNoiseBackward1,)),
    _ft("alpha_dropout", "dropout keeping SELU's mean and variance: a * (input * noise + "
        "alpha' * (1 - noise)) + b", (O.AddBackward0, O.MulBackward0)),
    _ft("feature_alpha_dropout", "alpha_dropout of whole channels of (N, C, ...)",
        (O.AddBackward0, O.MulBackward0)),
    _ft("channel_shuffle", "the channels of (N, C, *) in groups, interleaved",
        (NX.ChannelShuffleBackward0,),
        calculus={"ChannelShuffleBackward0": (
            ("self", "channel_shuffle(grad, channels // groups)"),)}),
    _f("lp_pool1d", "(sum over each window of (N, C, L) of input ** p) ** (1 / p)",
       (O.PowBackward0, O.SqueezeBackward1, O.NegBackward0)),
    _f("lp_pool2d", "(sum over each window of (N, C, H, W) of input ** p) ** (1 / p)",
       (O.PowBackward0, O.MaxPool2DWithIndicesBackward0, O.NegBackward0)),
    _f("max_unpool1d", "max_pool1d's values put back at their indices, zeros elsewhere",
       (O.SqueezeBackward1,)),
    _f("max_unpool2d", "max_pool2d's values put back at their indices, zeros elsewhere",
       (NX.MaxUnpool2DBackward0,),
       calculus={"MaxUnpool2DBackward0": (
           ("self", "grad.flatten(-2).gather(-1, indices.flatten(-2)).view(self.shape)"),)}),
    _f("lp_pool3d", "(sum over each window of (N, C, D, H, W) of input ** p) ** (1 / p)",
       (O.PowBackward0, P3.MaxPool3DWithIndicesBackward0, O.NegBackward0)),
    _f("max_unpool3d", "max_pool3d's values put back at their indices, zeros elsewhere",
       (NX.MaxUnpool3DBackward0,),
       calculus={"MaxUnpool3DBackward0": (
           ("self", "grad.flatten(-3).gather(-1, indices.flatten(-3)).view(self.shape)"),)}),
    _f("local_response_norm", "input / (k + alpha * mean(input ** 2 over size channels)) ** "
       "beta", (O.DivBackward0,)),
    _ft("pdist", "the p-norm distance of every pair of rows i < j", (NX.PdistBackward0,),
        calculus={"PdistBackward0": (
            ("self", "spread(grad * sgn(diff) * abs(diff) ** (p - 1) / result ** (p - 1), "
                     "pairs)"),)}),
    _f("multi_margin_loss", "mean over other classes of max(0, margin - x[y] + x[d]) ** p",
       (NX.MultiMarginLossBackward0,),
       calculus={"MultiMarginLossBackward0": (
           ("self", "kept(grad) * (h - one_hot(target) * h.sum(-1, keepdim=True)) * norm"),)}),
    _f("multilabel_margin_loss", "sum over target y, non-target d of max(0, 1 - x[y] + x[d])"
       ", over C", (NX.MultilabelMarginLossBackward0,),
       calculus={"MultilabelMarginLossBackward0": (
           ("self", "kept(grad) * (active.sum(-2) - active.sum(-1)) * norm"),)}),
    Op("ctc_loss", "the negative log likelihood of each target over all its alignments "
       "(CTC); torch.ctc_loss takes reduction as ATen's enum (0 none, 1 mean, 2 sum)",
       NF.torch_ctc_loss, (NX.CtcLossBackward0, O.MeanBackward0, O.SumBackward0,
                           O.WhereBackward0), method=False, nn=NF.ctc_loss,
        calculus={"CtcLossBackward0": (
            ("log_probs", "grad * (exp(log_probs) - exp(log_alpha_beta + result - "
                          "log_probs))"),)}),
    _f("pad", "pad (or crop) the last dims: a constant, their reflection, their edge values, "
       "or circularly", (O.ConstantPadNdBackward0, O.ReflectionPad1DBackward0,
                         O.ReflectionPad2DBackward0, O.ReflectionPad3DBackward0,
                         O.ReplicationPad1DBackward0, O.ReplicationPad2DBackward0,
                         O.ReplicationPad3DBackward0, O.CopySlices),
       calculus={
           "ConstantPadNdBackward0": (("self", "constant_pad_nd(grad, [-p for p in pad])"),),
           **{f"{kind}Pad{k}DBackward0": (("self", "spread(grad)"),)
              for kind in ("Reflection", "Replication") for k in (1, 2, 3)},
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
    Op("cosine_similarity", "the cosine of the angle between x1 and x2 along dim",
       NF.cosine_similarity, (O.SumBackward1,), method=False, nn=NF.cosine_similarity),
)
FUNCTIONAL += LAYERS  # (declarations/__init__ lists FUNCTIONAL)
# fmt: on

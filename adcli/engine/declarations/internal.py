"""The calculus of the grad_fn classes that no op declares: the nodes that backward
formulas record (``*BackwardBackward0``, a Scalar's ``AddBackward1``), in-place and view
variants, writes by indexing, the linalg functions outside the op table, the RNN kernels'
nodes, forward AD's and autograd's own nodes, and a custom ``autograd.Function``'s.

Formulas as in an ``Op``'s ``calculus`` (see ``adcli/engine/declare.py``); they are
served by ``adcli/engine/calculus.py``.
"""

from __future__ import annotations

from adcli.engine import ops as O

_RESHAPE = (("self", "grad.reshape(self.shape)"),)
_SLICE = (("self", "zeros_like(self).slice_scatter(grad, dim, start, end)"),)
_CHOLESKY = ("inverse(L).mT @ ((tril(L.mT @ grad_L) + tril(L.mT @ grad_L, -1).mT) / 2)"
             " @ inverse(L)")
_GELU_SLOPE = ("grad * (normal_cdf(self) + self * normal_pdf(self) if approximate == 'none'"
               " else gelu_tanh_derivative(self))")
_INDEX_PUT = (("self", "grad if accumulate else grad.index_put(indices, 0)"),
              ("values", "grad[indices]"))
_RESAMPLE = (("grad_output", "resample(grad)"),)

# grad_fn class name -> ((input, formula), ...), in the order of the node's inputs
CALCULUS = {
    # a Scalar operand, as backward formulas record it (create_graph)
    "AddBackward1": (("self", "grad"),),
    "SubBackward1": (("self", "grad"),),
    # x // y (its grad_fn is torch's NotImplemented)
    "NotImplemented": (("self", 'raises("the derivative of floor division is not '
                                'implemented")'),
                       ("other", 'raises("the derivative of floor division is not '
                                 'implemented")')),
    # views: x[...], reshape of a strided view, the in-place view ops
    "AliasBackward0": (("self", "grad"),),
    "ReshapeAliasBackward0": _RESHAPE,
    "SqueezeBackward3": _RESHAPE,
    "SqueezeBackward5": _RESHAPE,
    "UnsqueezeBackward1": (("self", "grad.squeeze(dim)"),),
    "TBackward1": (("self", "grad.t()"),),
    "TransposeBackward1": (("self", "grad.transpose(dim0, dim1)"),),
    "UnsafeSplitBackward0": _SLICE,
    "AsStridedBackward0": (("self", "view_scatter(zeros_like(self), view, grad)"),),
    # writes by indexing: x[key] = values, and indexing's own backward under create_graph
    "IndexPutBackward0": _INDEX_PUT,
    "IndexPutImplBackward0": _INDEX_PUT,
    # the comparisons in place (x.eq_(y)...): a zero gradient
    **{f"{c}Backward0": (("self", "zeros_like(grad)"),)
       for c in ("Eq", "Ne", "Lt", "Le", "Gt", "Ge")},
    # backward formulas as ops (what a create_graph backward records)
    "SelectBackwardBackward0": (("grad_output", "grad.select(dim, index)"),),
    "SliceBackwardBackward0": (("grad_output", "grad.slice(dim, start, end, step)"),),
    "DiagonalBackwardBackward0": (("grad_output", "grad.diagonal(offset, dim1, dim2)"),),
    "UnfoldBackwardBackward0": (("grad_in", "grad.unfold(dimension, size, step)"),),
    "UpsampleNearest1DBackwardBackward0": _RESAMPLE,
    "UpsampleNearest2DBackwardBackward0": _RESAMPLE,
    "UpsampleLinear1DBackwardBackward0": _RESAMPLE,
    "UpsampleBilinear2DBackwardBackward0": _RESAMPLE,
    "TanhBackwardBackward0": (("grad_output", "grad * (1 - output * output)"),
                              ("output", "grad * (-2 * output * grad_output)")),
    "SigmoidBackwardBackward0": (("grad_output", "grad * (output * (1 - output))"),
                                 ("output", "grad * (grad_output * (1 - 2 * output))")),
    "ThresholdBackwardBackward0": (("grad_output", "grad * (self > threshold)"),
                                   ("self", "zeros_like(grad)")),
    "SoftplusBackwardBackward0": (
        ("grad_output", "grad * where(self * beta > threshold, 1, sigmoid(self * beta))"),
        ("self", "grad * (grad_output * beta * sigmoid(self * beta) * (1 - sigmoid(self * "
                 "beta)) * (self * beta < threshold))")),
    "SoftmaxBackwardDataBackward0": (
        ("grad_output", "output * (grad - (grad * output).sum(dim, keepdim=True))"),
        ("output", "grad_output * grad - (output * grad_output).sum(dim, keepdim=True) * grad"
                   " - grad_output * (output * grad).sum(dim, keepdim=True)")),
    "LogSoftmaxBackwardDataBackward0": (
        ("grad_output", "grad - (grad * exp(output)).sum(dim, keepdim=True)"),
        ("output", "-grad_output.sum(dim, keepdim=True) * exp(output) * grad")),
    "RreluWithNoiseBackwardBackward0": (
        ("grad_output", "grad * noise if training else grad * where(self > 0, 1, (lower + "
                        "upper) / 2)"),
        ("self", "zeros_like(grad)")),
    "GeluBackwardBackward0": (
        ("grad_output", _GELU_SLOPE),
        ("self", "grad * grad_output * ((2 - self * self) * normal_pdf(self) if approximate "
                 "== 'none' else gelu_tanh_second_derivative(self))")),
    # the torch.linalg functions outside the op table
    "LinalgCholeskyExBackward0": (("A", _CHOLESKY),),
    "LinalgEighBackward0": (
        ("A", "eigenvectors @ diag_embed(grad) @ eigenvectors.mT if output == 'eigenvalues' "
              "else eigenvectors @ (skew(eigenvectors.mT @ grad) / (2 * gaps(eigenvalues)))"
              " @ eigenvectors.mT"),),
    "LinalgSolveExBackward0": (("A", "-solve(A.mT, grad) @ result.mT"),
                               ("B", "solve(A.mT, grad)")),
    "LinalgSolveTriangularBackward0": (
        ("self", "(-solve(self.mT, grad) @ result.mT).triu() if upper else (-solve(self.mT, "
                 "grad) @ result.mT).tril()"),
        ("B", "solve(self.mT, grad)")),
    "LinalgLuBackward0": (
        ("A", "solve(L.mT, solve(U.mT, (L.mT @ grad.tril(-1)).tril(-1) if output == 'L' else "
              "(grad.triu() @ U.mT).triu(), left=False), unitriangular=True)[..., indices, :]"),),
    "LinalgLstsqBackward0": (
        ("A", "(B - A @ result) @ grad.mT @ inverse(A.mT @ A) - A @ inverse(A.mT @ A) @ grad"
              " @ result.mT"),
        ("B", "pinv(A).mT @ grad")),
    # the oneDNN LSTM layer: one node for the layer, one per output handing it its gradient
    "_MkldnnLayerNode": (("input", "d_gates @ weight_ih"),
                         ("weight_ih", "d_gates.mT @ input"),
                         ("weight_hh", "d_gates.mT @ h_prev"),
                         ("bias_ih", "d_gates.sum(0)"),
                         ("bias_hh", "d_gates.sum(0)"),
                         ("hx", "d_gates[0] @ weight_hh"),
                         ("cx", "d_cell[0] * forget[0]")),
    "MkldnnRnnLayerBackward0": (("layer", "packed(grad, output)"),),
    # nn.utils.rnn.pack_padded_sequence: each packed row's gradient back to its time step
    "PackPaddedSequenceBackward0": (("input", "spread(grad)"),),
    # torch._weight_norm (nn.utils weight_norm): w = v * g / norm(v), norm over all dims but dim
    "WeightNormInterfaceBackward0": (
        ("v", "g / v.norm(2, other_axes, keepdim=True) * (grad - v * (grad * v).sum("
              "other_axes, keepdim=True) / (v * v).sum(other_axes, keepdim=True))"),
        ("g", "(grad * v).sum(other_axes, keepdim=True) / v.norm(2, other_axes, "
              "keepdim=True)")),
    # autograd's and forward AD's own nodes
    "AccumulateGrad": (),  # a leaf's: no inputs; the gradient is added into .grad
    "Identity": (("self", "grad"),),
    "ForwardADNotDifferentiable": (
        ("*inputs", 'raises("differentiating a forward-mode tangent through this op is not '
                    'implemented")'),),
    "Error": (("self", 'raises("trying to differentiate twice a function that was marked '
                       'with @once_differentiable")'),),
}

# Formulas for one class where another class has its name: ScatterAddBackward0 is both
# scatter_add's node (self, src) and this one, the backward of gather recorded as an op
# (torch's zeros.scatter_add(dim, index, grad), whose zeros are no input here).
BY_CLASS = {
    O.ScatterAddBackward0: (("src", "grad.gather(dim, index)"),),
}

# The nodes of custom autograd.Functions, by the base class of theirs ("{Function}": the
# Function's name): the call's node, and each output's node of a multi-output call.
INHERITED = {
    "BackwardCFunction": (("*inputs", "{Function}.backward(ctx, grad)[i]"),),
    "_OutputSlot": (("function", "packed(grad, output)"),),
}

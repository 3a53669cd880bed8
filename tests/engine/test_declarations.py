"""The op declarations: no name declared twice, every name reachable, every name called
through the language (function, method, in-place, operator, torch.nn.functional), each
call recording one of the grad_fns its op declares, and every explicit JVP formula
agreeing with finite differences."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api, declarations
from adcli.engine.backends import NP
from adcli.engine.declare import DERIVED
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError
from adcli.lang import names
from adcli.lang.interpreter import Session
from adcli.limits import Limits

SETUP = """\
import torch
import torch.nn.functional as F
x = torch.tensor([[0.2, 0.5, 0.7], [0.3, 0.6, 0.4]], requires_grad=True)
y = torch.tensor([[0.6, 0.3, 0.2], [0.5, 0.1, 0.8]], requires_grad=True)
p = torch.tensor([[0.2, 0.5, 0.7], [0.3, 0.6, 0.4]], requires_grad=True)
q = torch.tensor([[1.0, 0.0, 1.0], [0.0, 1.0, 0.0]])
m = torch.tensor([[1.0, 0.5, 0.2], [0.1, 2.0, 0.3], [0.4, 0.2, 1.5]], requires_grad=True)
v = torch.tensor([0.3, 0.5, 0.9], requires_grad=True)
bx = torch.stack([m, m * 2])
b = x > 0.45
i = torch.tensor([0, 2])
"""

# Each op's arguments as torch.NAME(...) takes them; the method form is
# FIRST.NAME(REST) and the in-place form z.NAME_(REST) on a fresh copy z of FIRST.
# An op without an example fails the test: adding an op means adding its example.
EXAMPLES = {
    "add": "x, y", "sub": "x, y", "rsub": "x, y", "mul": "x, y", "div": "x, y",
    "floor_divide": "x, y", "remainder": "x, y", "neg": "x", "positive": "x", "pow": "x, 2",
    "square": "x", "reciprocal": "x", "exp": "x", "exp2": "x", "expm1": "x", "erf": "x",
    "logit": "x", "erfc": "x", "erfinv": "x", "log": "x",
    "log2": "x", "log10": "x", "log1p": "x", "sqrt": "x", "rsqrt": "x", "sin": "x",
    "cos": "x", "tan": "x", "deg2rad": "x", "rad2deg": "x", "asin": "x", "acos": "x",
    "atan": "x", "atan2": "x, y", "asinh": "x", "acosh": "x", "atanh": "x",
    "sinh": "x", "cosh": "x", "tanh": "x", "sigmoid": "x", "relu": "x", "abs": "x",
    "sign": "x", "sgn": "x", "masked_fill": "x, b, 0.0", "floor": "x", "ceil": "x",
    "round": "x", "trunc": "x", "frac": "x", "clamp": "x, 0.3, 0.6", "clamp_min": "x, 0.3",
    "clamp_max": "x, y", "where": "b, x, y",
    "maximum": "x, y", "minimum": "x, y", "lerp": "x, y, 0.5",
    "addcmul": "x, y, y", "addcdiv": "x, y, y",
    "eq": "x, y", "ne": "x, y", "lt": "x, y", "le": "x, y", "gt": "x, y", "ge": "x, y",
    "allclose": "x, y", "isclose": "x, y", "equal": "x, y", "isnan": "x", "isinf": "x",
    "isfinite": "x", "logical_not": "b", "logical_and": "b, b", "logical_or": "b, b",
    "bitwise_not": "b", "bitwise_and": "b, b", "bitwise_or": "b, b", "bitwise_xor": "b, b",
    "bitwise_left_shift": "i, 2", "bitwise_right_shift": "i, 1",
    "is_tensor": "x",
    "sum": "x", "mean": "x", "prod": "x", "max": "x", "min": "x", "amax": "x, 1",
    "amin": "x, 1", "norm": "x", "std": "x", "var": "x", "logsumexp": "x, 1",
    "argmax": "x", "argmin": "x", "cumsum": "x, 1", "cumprod": "x, 1", "all": "b", "any": "b",
    "matmul": "m, m", "mm": "m, m", "mv": "m, v", "dot": "v, v", "outer": "v, v",
    "bmm": "bx, bx", "t": "m", "trace": "m", "diag": "v", "diagonal": "m",
    "reshape": "x, (3, 2)", "view": "x, 3, 2", "view_as": "x, y", "reshape_as": "x, y",
    "flatten": "x", "squeeze": "x", "unsqueeze": "x, 0", "transpose": "x, 0, 1",
    "permute": "x, 1, 0", "T": "x", "mT": "x", "mH": "x", "H": "m", "adjoint": "x",
    "expand": "v, 2, 3", "expand_as": "v, x",
    "broadcast_to": "v, (2, 3)", "repeat": "x, 2, 1", "flip": "x, (0,)", "cat": "[x, y]",
    "stack": "[x, y]", "unbind": "x", "split": "x, 1", "chunk": "x, 2", "nonzero": "b",
    "argwhere": "b",
    "cartesian_prod": "v, v", "broadcast_shapes": "(2, 1), (1, 3)", "numel": "x",
    "indexing": None,  # operators only: x[key] and x[key] = value
    "softmax": "x, 1", "log_softmax": "x, 1",
    "clone": "x", "detach": "x", "contiguous": "x", "to": "x, torch.float64", "type": "x",
    "new_ones": "x, 2, 3",
    "new_zeros": "x, (2,)", "new_empty": "x, 2", "new_full": "x, (2,), 7.0",
    "new_tensor": "x, [1, 2]",
    "type_as": "x, m", "float": "x", "double": "x", "half": "x", "long": "x", "int": "x",
    "short": "x", "bool": "x", "byte": "x", "char": "x", "cpu": "x", "cuda": "x",
    "get_device": "x", "data_ptr": "x", "is_pinned": "x", "storage_offset": "x[1:]",
    "untyped_storage": "x", "storage": "x",
    "conj": "x", "real": "x", "imag": "x", "is_complex": "x", "is_conj": "x",
    "get_num_threads": "",
    "get_num_interop_threads": "", "set_num_threads": "4",
    "index_put": "x, (i - 1,), torch.tensor(1.0)", "fill_diagonal": "m, 2.0", "copy": "x, y",
    "zero": "x", "fill": "x, 1.5", "normal": "x",
    "uniform": "x",
    "softplus": "x", "leaky_relu": "x", "gelu": "x", "elu": "x", "mse_loss": "x, y",
    "nll_loss": "x, i", "cross_entropy": "x, i", "one_hot": "i",
    "binary_cross_entropy": "p, q", "binary_cross_entropy_with_logits": "x, q",
    "l1_loss": "x, y", "huber_loss": "x, y", "smooth_l1_loss": "x, y", "logsigmoid": "x",
    "kl_div": "x, q", "bernoulli": "p", "multinomial": "v, 2", "random": "x, 4",
    "exponential": "x", "poisson": "p", "_standard_gamma": "p", "binomial": "p * 0 + 5, p",
    "gather": "x, 1, i.unsqueeze(0)", "index_select": "x, 1, i", "masked_select": "x, b",
    "sort": "x", "argsort": "x", "msort": "x", "topk": "x, 2", "kthvalue": "x, 2",
    "median": "x", "nanmedian": "x", "mode": "x, 1", "unique": "i", "unique_consecutive": "i",
    "tril": "m", "triu": "m, 1", "repeat_interleave": "x, 2", "roll": "x, 1", "diff": "x",
    "logical_xor": "b, b", "count_nonzero": "x", "bincount": "i",
    "det": "m", "logdet": "m", "inverse": "m", "cross": "m, m", "cdist": "x, y", "dist": "x, y",
    "addmm": "m, m, m", "kron": "x, y", "meshgrid": "v, v", "einsum": "'ij,kj->ik', x, y",
    "svd": "m", "qr": "m", "cholesky": "(m @ m.T)", "slogdet": "m", "matrix_power": "m, 3",
    "cov": "x", "corrcoef": "x",
    "silu": "x", "hardtanh": "x", "relu6": "x", "mish": "x", "softsign": "x",
    "tanhshrink": "x", "linear": "x, m, v", "threshold": "x, 0.4, -1.0",
    "threshold_": "x * 1, 0.4, -1.0", "leaky_relu_": "x * 1, 0.2", "elu_": "x - 0.5",
    "selu": "x - 0.5", "selu_": "x - 0.5", "celu": "x - 0.5, 0.5", "celu_": "x - 0.5, 0.5",
    "hardtanh_": "x * 1, 0.3, 0.6", "relu_": "x - 0.5", "hardsigmoid": "x * 8 - 4",
    "hardswish": "x * 8 - 4", "hardshrink": "x - 0.5, 0.1", "softshrink": "x - 0.5, 0.1",
    "glu": "x, 0", "conv_transpose1d": "x.reshape(1, 2, 3), y.reshape(2, 1, 3)",
    "conv_transpose2d": "x.reshape(1, 2, 1, 3), y.reshape(2, 3, 1, 1), stride=2",
    "prelu": "x.reshape(1, 2, 3) - 0.5, v[:2]", "softmin": "x, 1",
    "scaled_dot_product_attention": "x.reshape(1, 1, 2, 3), y.reshape(1, 1, 2, 3), m[:2]",
    "multi_head_attention_forward":
        "x.reshape(2, 1, 3), y.reshape(2, 1, 3), y.reshape(2, 1, 3), 3, 1, bx[0].repeat(3, 1), "
        "v.repeat(3), None, None, False, 0.0, m, v, need_weights=False",
    "group_norm": "x.reshape(1, 2, 3), 2", "instance_norm": "x.reshape(1, 2, 3)",
    "rms_norm": "x, [3]", "pairwise_distance": "x, y",
    "margin_ranking_loss": "x, y, torch.ones(2, 3)",
    "hinge_embedding_loss": "x, torch.ones(2, 3)", "soft_margin_loss": "x, -torch.ones(2, 3)",
    "cosine_embedding_loss": "x, y, torch.tensor([1.0, -1.0])",
    "triplet_margin_loss": "x, y, y.flip(0)", "multilabel_soft_margin_loss": "x, y",
    "gaussian_nll_loss": "x, y, torch.ones(2, 3)", "poisson_nll_loss": "x, y",
    "pixel_shuffle": "torch.cat([x, y]).reshape(1, 4, 1, 3), 2",
    "adaptive_max_pool1d": "x.reshape(1, 2, 3), 2",
    "adaptive_max_pool2d": "x.reshape(1, 2, 3), (1, 2)",
    "fold": "x.reshape(1, 2, 3), (1, 3), 1",
    "dropout3d": "x.reshape(1, 2, 1, 1, 3), 0.5", "gumbel_softmax": "x",
    "affine_grid": "y.reshape(1, 2, 3), (1, 1, 2, 2), align_corners=False",
    "grid_sample": "x.reshape(1, 1, 2, 3), (y - 0.5).reshape(1, 1, 3, 2), align_corners=False",
    "pixel_unshuffle": "torch.cat([x, y], 1)[:, :4].reshape(1, 1, 2, 4), 2",
    "adaptive_avg_pool1d": "x.reshape(1, 2, 3), 2", "bilinear": "x, y, bx[:, :3, :3]",
    "dropout": "x, 0.5, True", "dropout1d": "x, 0.5",
    "dropout2d": "x.reshape(1, 2, 1, 3), 0.5", "conv1d": "x.reshape(1, 2, 3), y.reshape(1, 2, 3)",
    "conv2d": "x.reshape(1, 2, 1, 3), y.reshape(1, 2, 1, 3)",
    "max_pool1d": "x.reshape(1, 2, 3), 2", "max_pool2d": "x.reshape(1, 1, 2, 3), 2",
    "avg_pool1d": "x.reshape(1, 2, 3), 2", "avg_pool2d": "x.reshape(1, 1, 2, 3), 2",
    "adaptive_avg_pool2d": "x.reshape(1, 1, 2, 3), 2",
    "conv3d": "x.reshape(1, 2, 1, 1, 3), y.reshape(1, 2, 1, 1, 3)",
    "conv_transpose3d": "x.reshape(1, 2, 1, 1, 3), y.reshape(2, 3, 1, 1, 1), stride=2",
    "max_pool3d": "x.reshape(1, 1, 1, 2, 3), (1, 2, 2)",
    "avg_pool3d": "x.reshape(1, 1, 2, 1, 3), 1",
    "adaptive_avg_pool3d": "x.reshape(1, 1, 1, 2, 3), (1, 1, 2)",
    "adaptive_max_pool3d": "x.reshape(1, 1, 1, 2, 3), (1, 2, 2)",
    "embedding_bag": "i, m, torch.tensor([0])",
    "ctc_loss": "x.reshape(2, 1, 3).log_softmax(2), torch.tensor([[1]]), [2], [1]",
    "rrelu": "x - 0.5, training=True", "rrelu_": "(x - 0.5).clone()",
    "alpha_dropout": "x, 0.5, True", "feature_alpha_dropout": "x.reshape(1, 2, 3), 0.5, True",
    "channel_shuffle": "torch.cat([x, y]).reshape(1, 4, 3), 2",
    "lp_pool1d": "x.reshape(1, 2, 3), 2, 2", "lp_pool2d": "x.reshape(1, 1, 2, 3), 2, 2",
    "max_unpool1d": "x.reshape(1, 2, 3), torch.tensor([[[0, 3, 4], [1, 2, 5]]]), 2",
    "max_unpool2d": "x.reshape(1, 1, 2, 3), torch.tensor([[[[0, 3, 4], [8, 11, 15]]]]), 2",
    "lp_pool3d": "x.reshape(1, 1, 1, 2, 3), 2, 1",
    "max_unpool3d": "x.reshape(1, 1, 1, 2, 3), torch.tensor([[[[[0, 3, 4], [8, 11, 15]]]]]), 2",
    "local_response_norm": "x.reshape(1, 2, 3), 2", "pdist": "x",
    "multi_margin_loss": "x, torch.tensor([0, 2])",
    "multilabel_margin_loss": "x, torch.tensor([[0, -1, 1], [2, 1, -1]])",
    "batch_norm": "x, None, None, training=True", "layer_norm": "x, (3,)", "embedding": "i, m",
    "pad": "x, (1, 1)", "normalize": "x", "cosine_similarity": "x, y",
    "scatter": "x, 1, i.unsqueeze(0), y", "scatter_add": "x, 1, i.unsqueeze(0), y",
    "index_add": "x, 1, i, y[:, :2]", "index_copy": "x, 1, i, y[:, :2]",
    "index_fill": "x, 1, i, 0.5", "take_along_dim": "x, i.unsqueeze(0), 1", "take": "x, i",
    "searchsorted": "v, x", "bucketize": "x, v", "histc": "x", "stride": "x",
    "unfold": "x, 1, 2, 1", "rot90": "x", "block_diag": "x, y", "diag_embed": "x",
    "vander": "v", "tensordot": "x, m, 1", "baddbmm": "bx, bx, bx", "nan_to_num": "x",
    "logspace": "0, 2, 5", "interpolate": "x.reshape(1, 2, 3), 6",
    "xlogy": "x, y", "copysign": "x, y", "fmod": "x, y", "heaviside": "x, y",
    "ldexp": "x, i.reshape(2, 1)", "frexp": "x", "float_power": "x.double(), 2", "signbit": "x",
    "isin": "i, i", "var_mean": "x, 1", "std_mean": "x, 1", "aminmax": "x", "nansum": "x",
    "nanmean": "x", "cummax": "x, 1", "cummin": "x, 1", "logcumsumexp": "x, 1",
    "quantile": "x, 0.3", "nanquantile": "x, 0.3", "atleast_1d": "v", "atleast_2d": "v",
    "atleast_3d": "x", "hstack": "[x, y]", "vstack": "[x, y]", "dstack": "[x, y]",
    "column_stack": "[x, y]", "tensor_split": "x, 2, 1", "hsplit": "x, 3", "vsplit": "x, 2",
    "dsplit": "bx, [1]", "movedim": "x, 0, 1", "narrow": "x, 1, 1, 2",
    "narrow_copy": "x, 1, 1, 2", "unflatten": "v, 0, (3, 1)", "broadcast_tensors": "x, v",
    "combinations": "v", "tril_indices": "3, 3", "triu_indices": "3, 4, 1",
    "histogram": "x.detach(), 3", "addmv": "v, m, v", "addr": "m, v, v",
    "result_type": "x, 1", "promote_types": "torch.int32, torch.float32",
    "can_cast": "torch.float64, torch.float32", "randint_like": "x, 5",
    "tile": "x, (2, 1)", "fliplr": "x", "flipud": "x", "hypot": "x, y", "logaddexp": "x, y",
    "logaddexp2": "x, y", "nextafter": "x, y", "gcd": "i, i", "lcm": "i, i", "lgamma": "x",
    "digamma": "x", "polygamma": "1, x", "mvlgamma": "(x + 1), 2", "sinc": "x", "i0": "x",
    "entr": "x", "ndtr": "x", "ndtri": "x", "log_ndtr": "x", "i0e": "x", "i1": "x",
    "i1e": "x", "erfcx": "x", "xlog1py": "x, y", "zeta": "x + 1, y", "multigammaln": "x + 1, 2",
    "polygamma_": "x.detach(), 1",
    "scatter_reduce": "x, 1, i.unsqueeze(0), y, 'amax'",
    "index_reduce": "x, 1, i, y[:, :2], 'mean'", "masked_scatter": "x, b, y",
    "select": "x, 1, 0", "select_scatter": "x, v[:2], 1, 0",
    "slice_scatter": "x, y[:, :2], 1, 1", "diagonal_scatter": "x, v[:2]",
    "vdot": "v, v", "addbmm": "m, bx, bx", "chain_matmul": "m, m, m", "trapezoid": "x",
    "cumulative_trapezoid": "x",
    "renorm": "m, 2, 0, 1.0", "pinverse": "m", "gradient": "x",
    "triangular_solve": "m, m.triu()", "lu": "m",
    "lu_solve": "m, torch.linalg.lu_factor(m)[0], torch.linalg.lu_factor(m)[1]",
    "lu_unpack": "torch.linalg.lu_factor(m)[0], torch.linalg.lu_factor(m)[1]",
    "cholesky_solve": "m, torch.linalg.cholesky(m @ m.T)",
    "cholesky_inverse": "torch.linalg.cholesky(m @ m.T)", "matrix_exp": "m",
}
# where the method's order is not the function's
METHOD_EXAMPLES = {"where": "x.where(b, y)", "polygamma": "x.polygamma(1)"}
RETURN_NONE = {"set_num_threads"}  # as torch's
RAISES = {"cuda", "imag"}  # refused as torch's CPU build refuses them (imag: a real tensor)

# Each Python operator the declarations bind, as a script spells it (z: a fresh copy of x).
OPERATORS = {
    "__add__": "x + y", "__radd__": "2.0 + x", "__iadd__": "z += y",
    "__sub__": "x - y", "__rsub__": "2.0 - x", "__isub__": "z -= y",
    "__mul__": "x * y", "__rmul__": "2.0 * x", "__imul__": "z *= y",
    "__truediv__": "x / y", "__rtruediv__": "2.0 / x", "__itruediv__": "z /= y",
    "__floordiv__": "x // y", "__rfloordiv__": "2.0 // x", "__mod__": "x % y",
    "__rmod__": "2.0 % x", "__pow__": "x ** 2", "__rpow__": "2.0 ** x", "__ipow__": "z **= 2",
    "__matmul__": "m @ m", "__rmatmul__": "[[1.0, 0.0, 0.0]] @ m", "__neg__": "-x",
    "__pos__": "+x", "__abs__": "abs(x)", "__invert__": "~b", "__and__": "b & b",
    "__rand__": "True & b", "__or__": "b | b", "__ror__": "True | b", "__xor__": "b ^ b",
    "__rxor__": "True ^ b", "__lshift__": "i << 2", "__rlshift__": "1 << i",
    "__rshift__": "i >> 1", "__rrshift__": "8 >> i", "__eq__": "x == y", "__ne__": "x != y",
    "__lt__": "x < y",
    "__le__": "x <= y", "__gt__": "x > y", "__ge__": "x >= y", "__getitem__": "x[0, 1:]",
    "__setitem__": "z[0, 1:] = 1.0",
}
# ``list @ tensor`` is refused by torch too: Tensor.__rmatmul__ is reached only by types
# that defer to it, and then refuses the other operand.
REFUSED_OPERATORS = {"__rmatmul__"}


def _session() -> Session:
    s = Session(limits=Limits(), out=lambda text: None, dialect="py")
    s.exec_source(SETUP)
    return s


def _split(args: str) -> tuple[str, str]:
    first, _, rest = args.partition(", ")
    return first, rest


def _grad_fn_names(result) -> set:
    items = result if isinstance(result, tuple | list) else (result,)
    return {t.grad_fn.name() for t in items if isinstance(t, Tensor) and t.grad_fn is not None}


# torch.nn.functional ops that share a name with a Tensor method of another meaning
# (F.unfold, im2col, and Tensor.unfold, the windows of one dim)
NN_ONLY_EXAMPLES = {"unfold": "x.reshape(1, 1, 2, 3), 2"}


def _nn_only(op) -> bool:
    return op.nn is not None and not op.in_torch and op.method_callable() is None


def _calls():
    """(op, form, source) for every name of every declared op."""
    for op in declarations.OPS:
        args = (NN_ONLY_EXAMPLES if _nn_only(op) and op.name in NN_ONLY_EXAMPLES
                else EXAMPLES).get(op.name, "")
        if args is None:
            continue
        first, rest = _split(args)
        if op.in_torch:
            for name in op.names:
                yield op, "function", f"torch.{name}({args})"
        if isinstance(op.method, property):
            yield op, "property", f"{first}.{op.name}"
        elif op.method_callable() is not None:
            for name in op.names:
                yield op, "method", METHOD_EXAMPLES.get(op.name, f"{first}.{name}({rest})")
        for name in op.inplace_names():
            yield op, "inplace", f"z = {first}.detach().clone()\nz.{name}({rest})\nz"
        if op.nn is not None:
            yield op, "nn", f"F.{op.name}({args})"


CALLS = list(_calls())


def test_every_op_has_an_example():
    assert [op.name for op in declarations.OPS if op.name not in EXAMPLES] == []


def test_no_name_is_declared_twice():
    assert declarations.duplicates() == []


def test_every_declared_name_is_in_the_name_table():
    torch_ns, f_ns = names.TORCH.members, names.F.members
    for op in declarations.OPS:
        for name in op.names if op.in_torch else ():
            # (a function that takes out= is there as its out= writer, api._with_out)
            member = torch_ns[name]
            assert getattr(member, "__wrapped__", member) is op.function, name
            assert name in names.GLOBALS, name
        if op.method_callable() is not None:
            assert all(n in names.TENSOR_ACCESSORS for n in op.names), op.name
        assert all(n in names.TENSOR_ACCESSORS for n in op.inplace_names()), op.name
        if op.nn is not None:
            assert f_ns[op.name] is op.nn
    # and the tables hold nothing an op or the tensor itself does not give
    methods = declarations.tensor_methods()
    assert [n for n in names.TENSOR_ATTRIBUTES
            if n not in methods and n not in names.TENSOR_CORE_ATTRIBUTES] == []
    assert [n for n in names.TENSOR_ATTRIBUTES if not hasattr(Tensor, n)] == []


def test_every_public_engine_function_is_in_the_torch_table_or_internal():
    internal = {"legacy_new", "reset_state", "Generator", "dtype", "strided"}
    public = {n for n, v in vars(api).items() if not n.startswith("_") and callable(v)
              and getattr(v, "__module__", "").startswith("adcli.engine")}
    declared = {op.function for op in declarations.OPS} | set(api.LINALG_FUNCTIONS.values())
    assert all(getattr(names.LINALG.members[n], "__wrapped__", names.LINALG.members[n]) is f
               for n, f in api.LINALG_FUNCTIONS.items())
    unreachable = sorted(n for n in public - set(names.TORCH.members) - internal
                         if getattr(api, n) not in declared)
    assert unreachable == []


@pytest.mark.parametrize("op,form,source", CALLS,
                         ids=[f"{form}:{src.splitlines()[-1]}" for _, form, src in CALLS])
def test_every_name_calls_its_op_through_the_language(op, form, source):
    s = _session()
    if op.name in RAISES:
        with pytest.raises(AdcliError) as info:
            s.exec_source(source)
        assert info.value.kind not in ("NameError", "AttributeError")
        return
    result = s.exec_source(source)
    assert result is not None or op.name in RETURN_NONE
    recorded = _grad_fn_names(result)
    if form != "inplace" and recorded and op.grad_fn:
        assert recorded <= {c.__name__ for c in op.grad_fn}, (source, recorded)


@pytest.mark.parametrize("dunder", sorted({d for op in declarations.OPS for d in op.operators}))
def test_every_operator_runs_through_the_language(dunder):
    source = OPERATORS[dunder]
    if dunder in ("__iadd__", "__isub__", "__imul__", "__itruediv__", "__ipow__",
                  "__setitem__"):
        source = f"z = x.detach().clone()\n{source}\nz"
    s = _session()
    if dunder in REFUSED_OPERATORS:
        # torch's words: Python's unsupported-operand TypeError for list @ Tensor
        with pytest.raises(AdcliError, match="unsupported operand type"):
            s.exec_source(source)
        return
    assert s.exec_source(source) is not None


def test_reflected_operators_work_when_python_asks_the_tensor():
    b = api.tensor([True, False])
    assert (b & b).tolist() == [True, False]
    assert (True & b).tolist() == [True, False]
    assert (True | b).tolist() == [True, True]
    assert (True ^ b).tolist() == [False, True]


JVP_OPS = [op for op in declarations.OPS if op.jvp is not DERIVED]


@pytest.mark.parametrize("op", JVP_OPS, ids=[op.name for op in JVP_OPS])
def test_jvp_formulas_agree_with_finite_differences(op):
    rng = np.random.default_rng(0)
    n_in = 2 if EXAMPLES[op.name].count(",") else 1
    xs = [rng.uniform(0.2, 0.8, (2, 3)) for _ in range(n_in)]
    ts = [rng.normal(size=(2, 3)) for _ in range(n_in)]

    def f(arrays):
        return op.function(*[api.tensor(a, dtype=api.float64) for a in arrays])._data

    result = f(xs)
    jvp = op.jvp(NP, tuple(ts), tuple(xs), result)
    eps = 1e-6
    plus = f([x + eps * t for x, t in zip(xs, ts)])
    minus = f([x - eps * t for x, t in zip(xs, ts)])
    expected = (plus - minus) / (2 * eps)
    np.testing.assert_allclose(np.broadcast_to(jvp, expected.shape), expected, rtol=1e-5,
                               atol=1e-7)

"""The one name table: every name and attribute a script can reach.

Scripts see the torch namespace that adcli implements, bare and behind ``torch.``, plus a
few Python builtins. Attribute access goes through ``ATTRIBUTES``: for each allowed
type, a dict from attribute name to an accessor made here from fixed strings. User text
is only ever a key into these dicts.
"""

from __future__ import annotations

import builtins
import operator

from adcli.engine import api, functional, nn_functional
from adcli.engine.tensor import Tensor
from adcli.errors import LimitError, TorchTypeError
from adcli.limits import current as _limits

# ---- the torch namespace -------------------------------------------------------------
FUNCTION_GROUPS = {
    "Constructors and random numbers": (
        "tensor", "Tensor", "FloatTensor", "DoubleTensor", "LongTensor", "Variable", "ones",
        "zeros", "full", "eye", "arange", "linspace", "empty", "zeros_like", "ones_like",
        "full_like", "rand", "randn", "rand_like", "randn_like", "manual_seed",
    ),
    "Elementwise": (
        "add", "sub", "mul", "div", "neg", "pow", "reciprocal", "square", "exp", "exp2",
        "expm1", "log", "log2", "log10", "log1p", "sqrt", "rsqrt", "sin", "cos", "tan", "asin",
        "acos", "atan", "atan2", "sinh", "cosh", "tanh", "sigmoid", "relu", "abs", "sign",
        "sgn", "masked_fill", "floor", "ceil", "round", "trunc", "frac", "clamp", "clip",
        "where", "maximum", "minimum", "lerp", "true_divide", "multiply", "subtract", "divide",
        "negative",
    ),
    "Comparisons and tests": (
        "eq", "ne", "lt", "le", "gt", "ge", "allclose", "equal", "isnan", "isinf", "isfinite",
        "is_tensor",
    ),
    "Reductions": (
        "sum", "mean", "prod", "max", "min", "amax", "amin", "norm", "std", "var",
        "logsumexp", "argmax", "argmin", "cumsum", "cumprod", "all", "any",
    ),
    "Linear algebra": ("matmul", "mm", "mv", "dot", "outer", "inner", "bmm", "t", "trace"),
    "Shape": (
        "reshape", "flatten", "squeeze", "unsqueeze", "transpose", "permute", "cat", "concat",
        "stack", "clone", "broadcast_to", "flip", "numel", "detach",
    ),
    "Softmax": ("softmax", "log_softmax"),
    "Grad mode": ("no_grad", "enable_grad", "set_grad_enabled", "is_grad_enabled"),
    "Types": ("Size",),
}
TORCH_FUNCTIONS = tuple(name for group in FUNCTION_GROUPS.values() for name in group)
TORCH_CONSTANTS = (
    "float32", "float", "float64", "double", "float16", "half", "int64", "long", "int32",
    "int", "int16", "int8", "uint8", "bool", "pi", "e", "inf", "nan",
)
F_FUNCTIONS = ("relu", "softplus", "softmax", "log_softmax", "sigmoid", "tanh",
               "mse_loss", "leaky_relu", "gelu", "elu")
AUTOGRAD_FUNCTIONS = ("grad", "backward", "Variable")
FUNCTIONAL_FUNCTIONS = ("jacobian", "hessian", "vjp", "jvp")

# ---- Python builtins that keep their meaning -------------------------------------------


def _bounded(kind):
    """``list``/``tuple`` that refuse to build more Python objects than a tenth of the
    element bound (each costs about ten times a float32 element)."""

    def make(iterable=()):
        if hasattr(iterable, "__len__"):
            bound = _limits().max_elements // 10
            if bound and len(iterable) > bound:
                raise LimitError(f"{kind.__name__}() of {len(iterable):,} items is over the "
                                 f"limit of {bound:,} (a tenth of --max-elements)")
        return kind(iterable)

    make.__name__ = kind.__name__
    return make


def _range(*args):
    for a in args:
        if not isinstance(a, int) or isinstance(a, bool):
            if hasattr(a, "__index__"):
                continue
            raise TorchTypeError(
                f"range() needs integers, not {type(a).__name__}"
            )
    return builtins.range(*args)


PYTHON_BUILTINS = {
    "range": _range,
    "len": builtins.len,
    "float": builtins.float,
    "int": builtins.int,
    "bool": builtins.bool,
    "str": builtins.str,
    "list": _bounded(builtins.list),
    "tuple": _bounded(builtins.tuple),
    "enumerate": builtins.enumerate,
    "zip": builtins.zip,
    "True": True,
    "False": False,
    "None": None,
}


class Namespace:
    """A module-like object (``torch``, ``F``, ``torch.autograd``) with fixed members."""

    __slots__ = ("name", "members")

    def __init__(self, name: str, members: dict) -> None:
        self.name = name
        self.members = members

    def __repr__(self) -> str:
        return f"<module '{self.name}'>"


def _table(module, names) -> dict:
    table = {}
    for name in names:
        value = getattr(module, name, _MISSING)
        if value is not _MISSING:
            table[name] = value
    return table


_MISSING = object()


def missing_names() -> list[str]:
    """Names this table lists that the engine does not provide (a test keeps it empty)."""
    out = []
    for module, names in ((api, TORCH_FUNCTIONS + TORCH_CONSTANTS), (nn_functional, F_FUNCTIONS),
                          (functional, AUTOGRAD_FUNCTIONS + FUNCTIONAL_FUNCTIONS)):
        out += [f"{module.__name__}.{n}" for n in names if not hasattr(module, n)]
    return out


F = Namespace("torch.nn.functional", _table(nn_functional, F_FUNCTIONS))
NN = Namespace("torch.nn", {"functional": F})
AUTOGRAD_FUNCTIONAL = Namespace("torch.autograd.functional",
                                _table(functional, FUNCTIONAL_FUNCTIONS))
AUTOGRAD = Namespace("torch.autograd", {**_table(functional, AUTOGRAD_FUNCTIONS),
                                        "functional": AUTOGRAD_FUNCTIONAL})
if "Variable" not in AUTOGRAD.members and hasattr(api, "Variable"):
    AUTOGRAD.members["Variable"] = api.Variable

_torch_members = {**_table(api, TORCH_FUNCTIONS + TORCH_CONSTANTS),
                  "autograd": AUTOGRAD, "nn": NN}
TORCH = Namespace("torch", _torch_members)
_torch_members["torch"] = TORCH

# Bare names: `from torch import *`, then Python's builtins that keep their meaning, then
# sum/abs/max/min/round as torch's again (SPEC §1).
GLOBALS: dict = {name: value for name, value in _torch_members.items() if name != "torch"}
GLOBALS.update(PYTHON_BUILTINS)
for _name in ("sum", "abs", "max", "min", "round"):
    if _name in _torch_members:
        GLOBALS[_name] = _torch_members[_name]
GLOBALS.update(torch=TORCH, F=F, autograd=AUTOGRAD)
if "Variable" in AUTOGRAD.members:
    GLOBALS["Variable"] = AUTOGRAD.members["Variable"]
GLOBALS["print"] = None  # bound per session: it writes to the session's output

# ---- attributes --------------------------------------------------------------------------
TENSOR_ATTRIBUTES = (
    # data and autograd state
    "grad", "grad_fn", "data", "requires_grad", "is_leaf", "shape", "dtype", "T", "mT",
    "ndim", "retains_grad", "device", "is_cuda", "layout", "names", "itemsize", "nbytes",
    "output_nr",
    # autograd methods
    "backward", "requires_grad_", "detach", "detach_", "retain_grad", "register_hook",
    # conversions and info
    "numpy", "item", "tolist", "float", "double", "long", "int", "bool", "half", "to",
    "type", "size", "dim", "numel", "element_size", "is_floating_point", "is_contiguous",
    "nelement", "cpu", "clone", "contiguous", "type_as", "dim_order",
    # elementwise
    "add", "sub", "mul", "div", "neg", "pow", "reciprocal", "exp", "log", "log2", "log10",
    "sqrt", "rsqrt", "sin", "cos", "tan", "asin", "acos", "atan", "sinh", "cosh", "tanh",
    "sigmoid", "relu", "abs", "sign", "sgn", "masked_fill", "floor", "ceil", "round",
    "clamp", "clip", "maximum", "minimum", "square", "exp2", "expm1", "log1p", "trunc", "frac",
    "true_divide", "multiply", "subtract", "divide", "negative", "lerp", "atan2",
    "eq", "ne", "lt", "le", "gt", "ge", "isnan", "isinf", "isfinite", "equal", "allclose",
    "where", "softmax", "log_softmax",
    # reductions
    "sum", "mean", "prod", "max", "min", "amax", "amin", "norm", "std", "var",
    "logsumexp", "argmax", "argmin", "cumsum", "cumprod", "all", "any",
    # linear algebra
    "matmul", "mm", "mv", "dot", "outer", "t", "trace", "bmm", "inner",
    # shape
    "reshape", "view", "view_as", "reshape_as", "flatten", "squeeze", "unsqueeze",
    "transpose", "permute", "expand", "expand_as", "repeat", "flip", "chunk", "split",
    # in place
    "add_", "sub_", "mul_", "div_", "zero_", "fill_", "clamp_", "pow_", "neg_", "exp_",
    "copy_", "normal_", "uniform_", "t_", "squeeze_", "unsqueeze_", "abs_", "sqrt_",
    "relu_", "sigmoid_", "tanh_",
)
GRAD_FN_ATTRIBUTES = ("name", "next_functions", "variable", "metadata")
RETURN_TYPE_ATTRIBUTES = ("values", "indices")

TENSOR_SETTABLE = {
    "requires_grad": lambda t, v: setattr(t, "requires_grad", v),
    "grad": lambda t, v: setattr(t, "grad", v),
    "data": lambda t, v: setattr(t, "data", v),
}


def _accessors(cls, names) -> dict:
    return {n: operator.attrgetter(n) for n in names if hasattr(cls, n)}


TENSOR_ACCESSORS = _accessors(Tensor, TENSOR_ATTRIBUTES)
LIST_ACCESSORS = {"append": operator.attrgetter("append"), "index": operator.attrgetter("index"),
                  "count": operator.attrgetter("count")}
TUPLE_ACCESSORS = {"index": operator.attrgetter("index"), "count": operator.attrgetter("count")}
GRAD_FN_ACCESSORS = {n: operator.attrgetter(n) for n in GRAD_FN_ATTRIBUTES}
RETURN_TYPE_ACCESSORS = {n: operator.attrgetter(n) for n in RETURN_TYPE_ATTRIBUTES}
HANDLE_ACCESSORS = {"remove": operator.attrgetter("remove")}  # what register_hook returns

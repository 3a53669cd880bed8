"""The op registry: the family tables, and every list of names derived from them.

``OPS`` is every declared op, family by family. From it come the ``Tensor`` methods and
operators (``install``), the ``torch.`` functions (``torch_functions``), the
``torch.nn.functional`` functions (``nn_functions``), the doc's groups (``groups``), the
gradient formulas (``engine/calculus.py``, with ``internal`` for the grad_fn classes no op
declares) and the tests' list of ops. No name is written down twice.
"""

from __future__ import annotations

import inspect
import types

from adcli.engine import ops as _ops
from adcli.engine.declarations import (
    conversions,
    elementwise,
    internal,
    linalg,
    nn,
    reductions,
    scatters,
    selection,
    shape,
    special,
)
from adcli.engine.declare import Op
from adcli.engine.tensor import Tensor
from adcli.errors import TorchTypeError

OPS: tuple[Op, ...] = (
    *elementwise.OPS, *elementwise.COMPARISONS, *reductions.OPS, *linalg.OPS, *shape.OPS,
    *selection.OPS, *scatters.OPS, *scatters.PRODUCTS, *special.OPS,
    *nn.OPS, *conversions.OPS, *nn.FUNCTIONAL,
)

# torch 2.13's in-place Tensor methods that are an out-of-place op written back into self
# (``dir(torch.Tensor)``, less the views, the resizes and the ones that take callables).
# An op with one of these names and no ``inplace`` of its own gets one derived from its
# method (``writes.derived_inplace``); its aliases get theirs under their own names.
TORCH_INPLACE = frozenset("""
    abs_ absolute_ acos_ acosh_ add_ addbmm_ addcdiv_ addcmul_ addmm_ addmv_ addr_ arccos_
    arccosh_ arcsin_ arcsinh_ arctan2_ arctan_ arctanh_ asin_ asinh_ atan2_ atan_ atanh_
    baddbmm_ bernoulli_ bitwise_and_ bitwise_left_shift_ bitwise_not_ bitwise_or_
    bitwise_right_shift_ bitwise_xor_ cauchy_ ceil_ clamp_ clamp_max_ clamp_min_ clip_
    conj_physical_ copy_ copysign_ cos_ cosh_ cumprod_ cumsum_ deg2rad_ digamma_ div_
    divide_ eq_ erf_ erfc_ erfinv_ exp2_ exp_ expm1_ exponential_ fill_ fill_diagonal_
    fix_ float_power_ floor_ floor_divide_ fmod_ frac_ gcd_ ge_ geometric_ greater_
    greater_equal_ gt_ heaviside_ hypot_ i0_ igamma_ igammac_ index_add_ index_copy_
    index_fill_ index_put_ index_reduce_ lcm_ ldexp_ le_ lerp_ less_ less_equal_ lgamma_
    log10_ log1p_ log2_ log_ log_normal_ logical_and_ logical_not_ logical_or_
    logical_xor_ logit_ lt_ masked_fill_ masked_scatter_ mul_ multiply_ mvlgamma_
    nan_to_num_ ne_ neg_ negative_ nextafter_ normal_ not_equal_ polygamma_ pow_ put_
    rad2deg_ random_ reciprocal_ relu_ remainder_ renorm_ round_ rsqrt_ scatter_
    scatter_add_ scatter_reduce_ sgn_ sigmoid_ sign_ sin_ sinc_ sinh_ sqrt_ square_
    squeeze_ sub_ subtract_ swapaxes_ swapdims_ t_ tan_ tanh_ transpose_ tril_ triu_
    true_divide_ trunc_ uniform_ unsqueeze_ xlogy_ zero_
""".split())

# the comparisons: their bool outcome is written as 0/1, with a zero-gradient node
_COMPARED = {"eq": _ops.EqBackward0, "ne": _ops.NeBackward0, "lt": _ops.LtBackward0,
             "le": _ops.LeBackward0, "gt": _ops.GtBackward0, "ge": _ops.GeBackward0}


def _derive_inplace() -> None:
    taken = {n for op in OPS for n in (*op.names, *op.inplace_names())}
    for op in OPS:
        method = op.method_callable()
        if method is None or isinstance(method, property):
            continue
        own = op.inplace_names()
        torch_names = [n + "_" for n in op.names
                       if n + "_" in TORCH_INPLACE and (n + "_" in own or n + "_" not in taken)]
        if not torch_names or (op.inplace is None and op.name + "_" not in TORCH_INPLACE):
            continue
        if op.inplace is None:
            if op.name in _COMPARED:
                op.inplace = _ops.comparison_inplace(method, _COMPARED[op.name], op.name + "_")
            else:
                op.inplace = _ops.derived_inplace(method, op.name + "_")
        own = op.inplace_names()
        op.inplace_aliases += tuple(n for n in torch_names if n not in own)
        taken.update(op.inplace_names())


_derive_inplace()

# torch's argument parser takes numpy's keyword names for ``dim`` and ``keepdim`` (sum(x,
# axis=1, keepdims=True)) in every native function; these ones are written in Python in
# torch (torch/functional.py, torch/_tensor.py) and take only their own names.
_NUMPY_KEYWORDS = {"axis": "dim", "keepdims": "keepdim"}
_PYTHON_LEVEL = frozenset(("norm", "split", "unique", "unique_consecutive", "unflatten",
                           "stft", "istft", "lu", "tensordot", "einsum", "cdist",
                           "broadcast_tensors", "meshgrid", "block_diag", "atleast_1d",
                           "atleast_2d", "atleast_3d", "chain_matmul", "cartesian_prod"))


def _parameters(fn) -> tuple:
    code = getattr(fn, "__code__", None)
    if code is None:
        return ()
    return code.co_varnames[:code.co_argcount + code.co_kwonlyargcount]


def _numpy_keywords(fn):
    """``fn`` taking ``axis``/``keepdims`` for its ``dim``/``keepdim``, as torch's parser."""
    params = _parameters(fn)
    renames = {a: n for a, n in _NUMPY_KEYWORDS.items() if n in params and a not in params}

    if not renames or "out" in params:  # (the name table reads out= from fn's own code)
        return fn

    def call(*args, **kwargs):
        if kwargs:
            for alias, name in renames.items():
                if alias in kwargs and name not in kwargs:
                    kwargs[name] = kwargs.pop(alias)
        return fn(*args, **kwargs)

    # fn's name and signature (for the docs), but not as ``__wrapped__``: the function of
    # the op is this one, which the tables hold (and api._with_out wraps)
    call.__name__, call.__qualname__, call.__doc__ = fn.__name__, fn.__qualname__, fn.__doc__
    call.__module__ = fn.__module__
    call.__signature__ = inspect.signature(fn)
    return call


def _accept_numpy_keywords() -> None:
    for op in OPS:
        if op.name in _PYTHON_LEVEL or not isinstance(op.function, types.FunctionType):
            continue
        method = op.method
        op.function = _numpy_keywords(op.function)
        if isinstance(method, types.FunctionType):
            op.method = _numpy_keywords(method)
        if isinstance(op.inplace, types.FunctionType):
            op.inplace = _numpy_keywords(op.inplace)


_accept_numpy_keywords()


# the in-place ops torch also has as functions (``torch.sin_(x)``), from dir(torch) 2.13
TORCH_FUNCTION_INPLACE = frozenset("""
    abs_ acos_ acosh_ addmv_ alpha_dropout_ arccos_ arccosh_ arcsin_ arcsinh_ arctan_
    arctanh_ as_strided_ asin_ asinh_ atan_ atanh_ ceil_ celu_ clamp_ clamp_max_ clamp_min_
    clip_ conj_physical_ cos_ cosh_ deg2rad_ detach_ dropout_ embedding_renorm_ erf_ erfc_
    exp2_ exp_ expm1_ feature_alpha_dropout_ feature_dropout_ fill_ fix_ floor_ frac_ gcd_
    i0_ index_put_ lcm_ ldexp_ log10_ log1p_ log2_ log_ logit_ nan_to_num_ neg_ negative_
    rad2deg_ reciprocal_ relu_ resize_as_ round_ rrelu_ rsqrt_ selu_ sigmoid_ sin_ sinc_
    sinh_ sqrt_ square_ tan_ tanh_ threshold_ trunc_ xlogy_ zero_
""".split())


def torch_functions() -> dict:
    """``torch.NAME`` for every declared op that has one, aliases included, and the
    in-place ones torch also has as functions (``torch.sin_``)."""
    out = {}
    for op in OPS:
        if op.in_torch:
            for name in op.names:
                out[name] = op.function
    for op in OPS:
        for name in op.inplace_names():
            if name in TORCH_FUNCTION_INPLACE and name not in out:
                out[name] = _function_inplace(op.inplace, name)
    return out


def _function_inplace(method, name: str):
    """``torch.NAME_(input, ...)``: the in-place method, its input checked as torch's
    argument parser checks it (a method's self is always a tensor)."""

    def fn(input, *args, **kwargs):
        if not isinstance(input, Tensor):
            raise TorchTypeError(f"{name}(): argument 'input' (position 1) must be Tensor, "
                                 f"not {type(input).__name__}")
        return method(input, *args, **kwargs)

    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = method.__doc__
    fn.__wrapped_method__ = method
    return fn


def special_functions() -> dict:
    """``torch.special.NAME``: each name's op (``special.SPECIAL``), by the op's name."""
    by_name = {op.name: op.function for op in OPS}
    return {name: by_name[v] if isinstance(v, str) else v for name, v in special.SPECIAL.items()}


def tensor_methods() -> dict:
    """``Tensor.NAME`` for every method, in-place method and operator the ops declare."""
    out = {}
    for op in OPS:
        fn = op.method_callable()
        if fn is not None:
            for name in op.names:
                out[name] = fn
        for name in op.inplace_names():
            out[name] = op.inplace
        out.update(op.operators)
    return out


def nn_functions() -> dict:
    """``torch.nn.functional.NAME`` for every op that has one."""
    return {op.name: op.nn for op in OPS if op.nn is not None}


def groups() -> dict:
    """The doc's headings, each with its ops in declaration order."""
    out: dict = {}
    for op in OPS:
        out.setdefault(op.group, []).append(op)
    return out


def duplicates() -> list:
    """Names that two ops claim (a test keeps this empty)."""
    seen: dict = {}
    dup = []
    for op in OPS:
        keys = [("torch", n) for n in op.names if op.in_torch]
        if op.method_callable() is not None:
            keys += [("method", n) for n in op.names]
        keys += [("method", n) for n in op.inplace_names()]
        keys += [("method", n) for n in op.operators]
        keys += [("nn", op.name)] if op.nn is not None else []
        for key in keys:
            if key in seen and seen[key] is not op:
                dup.append(f"{key[0]} {key[1]}: {seen[key].name} and {op.name}")
            seen[key] = op
    return dup


def install(cls) -> None:
    """Give ``cls`` (Tensor) the methods and operators the ops declare; called once, when
    the engine package is imported."""
    for name, fn in tensor_methods().items():
        setattr(cls, name, fn)


def calculus_sources() -> list:
    """Where the gradient formulas are declared: (the op's name, its ``calculus``) for each
    op that has one, then ("internal", the table of the grad_fn classes no op declares).
    ``engine/calculus.py`` serves them, with ``internal.BY_CLASS`` and ``internal.INHERITED``."""
    return [(op.name, op.calculus) for op in OPS if op.calculus] + [
        ("internal", internal.CALCULUS)]

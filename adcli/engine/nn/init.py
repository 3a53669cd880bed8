"""``torch.nn.init``: in-place initialisation of a tensor, drawn as torch 2.13 draws it.

Every function writes into ``t._data`` under no_grad, counts the write (``bump``) and
returns the tensor. The random ones draw from torch's streams (``torch_random``): the
default generator, or ``generator=`` where torch has it, in the order torch's CPU kernels
fill the tensor. For a tensor that is not contiguous (``w.T``, a slice) that order is
TensorIterator's: the dimensions sorted by stride, so the values land where torch puts
them; ``normal_`` then takes torch's scalar path (the 16-wide fill is for contiguous
tensors only).

``trunc_normal_`` is torch 2.13's rejection sampler (redraws of ``normal_`` when the
interval holds more than 30% of the mass, else uniform proposals accepted by
``log(u) > -(x - mean)**2 / (2 std**2) - log_peak``), in float32 arithmetic as torch's
ops do; the acceptance test's float32 ``log`` is the correctly rounded one, which
torch's vectorised (Sleef) ``log`` matches but for a last-bit case that almost never
sits on a decision. ``orthogonal_`` draws torch's normals but its QR is numpy's LAPACK
call, so its values agree with torch's to rounding, not bit for bit.

The layer helpers (``default_linear_init``, ``default_conv_init``, ...) reproduce what
the modules' ``reset_parameters`` draw, in torch's order.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import api as _api
from adcli.engine import dtypes as _dt
from adcli.engine import shape as _sh
from adcli.engine.ops.writes import check_inplace
from adcli.engine.tensor import Tensor, bump, refresh, warn
from adcli.errors import (
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
    TorchValueError,
)

__all__ = [
    "MEMBERS", "calculate_gain", "constant_", "default_bilinear_init", "default_conv_init",
    "default_embedding_init", "default_linear_init", "default_rnn_init", "dirac_", "eye_",
    "kaiming_normal_", "kaiming_uniform_", "normal_", "ones_", "orthogonal_", "sparse_",
    "trunc_normal_", "uniform_", "xavier_normal_", "xavier_uniform_", "zeros_",
]

_F32 = np.float32

# ----------------------------------------------------------------------------- helpers


def _tensor(t, fn: str) -> Tensor:
    if not isinstance(t, Tensor):
        raise TorchTypeError(f"{fn}(): argument 'tensor' must be Tensor, not {type(t).__name__}")
    return t


def _num(v, fn: str, arg: str) -> float:
    if type(v) in (int, float, bool):
        return float(v)
    if isinstance(v, np.generic) and v.dtype.kind in "biuf":
        return float(v.item())
    if isinstance(v, Tensor) and v._data.size == 1 and v._data.dtype.kind in "biuf":
        return float(v._data.reshape(()).item())
    raise TorchTypeError(f"{fn}(): argument '{arg}' must be float, not {type(v).__name__}")


def _gen(generator, fn: str):
    if generator is not None and not isinstance(generator, _api.Generator):
        raise TorchTypeError(f"{fn}(): argument 'generator' must be torch.Generator, not "
                             f"{type(generator).__name__}")
    return _api._generator(generator)


def _g(x: float) -> str:
    """A double as C++'s ``operator<<`` prints it in torch's messages."""
    return f"{x:g}"


def _writable(t: Tensor) -> np.ndarray:
    """``t``'s array, ready for an in-place write (under no_grad: only the storage's
    own checks)."""
    if t._view is not None:
        refresh(t)
    with _api.no_grad():
        check_inplace(t)
    return t._data


_stride_order, _iter_order = _sh.stride_order, _sh.iter_order


def _like_contiguous(a: np.ndarray) -> bool:
    """Whether ``empty_like(a)`` is contiguous: it keeps ``a``'s stride order, dense."""
    order = [d for d in _stride_order(a) if a.shape[d] != 1]
    return order == sorted(order)


def _put(t: Tensor, draw) -> Tensor:
    """Write ``draw(n, contiguous)`` (n values in visiting order) into ``t`` in place."""
    a = _writable(t)
    v, contiguous = _iter_order(a)
    vals = draw(a.size, contiguous)
    v[...] = np.asarray(vals).reshape(v.shape)
    bump(t)
    return t


def _float_dtype(t: Tensor, kernel: str) -> np.dtype:
    d = t._data.dtype
    if d.kind != "f":
        raise TorchNotImplementedError(
            f"\"{kernel}\" not implemented for '{_dt.BY_NP[d].legacy}'")
    return d


_CPP_NAMES = {np.dtype(np.float16): "c10::Half", np.dtype(np.float32): "float",
              np.dtype(np.float64): "double"}


def _uniform_bounds(d: np.dtype, a: float, b: float) -> tuple[float, float]:
    """``uniform_``'s checks (ATen's ``uniform_impl_``) and its clamping of the range."""
    fi = np.finfo(d)
    lo, hi = float(fi.min), float(fi.max)
    for name, v in (("from", a), ("to", b)):
        if not (lo <= v <= hi):
            raise TorchRuntimeError(f"{name} is out of bounds for {_CPP_NAMES[d]}")
    if not a <= b:
        raise TorchRuntimeError(f"uniform_ expects to return a [from, to) range, but found "
                                f"from={_g(a)} > to={_g(b)}")
    if not (b - a) <= hi:
        raise TorchRuntimeError(
            f"uniform_ expects to-from <= std::numeric_limits<{_dt.BY_NP[d].legacy}>::max(), "
            f"but found to={_g(b)} and from={_g(a)} which result in to-from to exceed the "
            f"limit")
    return min(max(a, lo), hi), max(min(b, hi), lo)


def _uniform(t: Tensor, a: float, b: float, gen) -> Tensor:
    d = _float_dtype(t, "check_uniform_bounds")
    a, b = _uniform_bounds(d, a, b)
    return _put(t, lambda n, _c: gen.uniform_((n,), a, b, d))


def _normal(t: Tensor, mean: float, std: float, gen) -> Tensor:
    if not std >= 0.0:
        raise TorchRuntimeError(f"normal expects std >= 0.0, but found std {_g(std)}")
    d = _float_dtype(t, "normal_kernel_cpu")
    return _put(t, lambda n, c: gen.normal_((n,), mean, std, d, contiguous=c))


def _fill(t: Tensor, val) -> Tensor:
    with _api.no_grad():
        return _api._fill_(t, val)


def _zero(t: Tensor) -> Tensor:
    with _api.no_grad():
        return _api._zero_(t)


# ----------------------------------------------------------------------------- gain, fans


def calculate_gain(nonlinearity, param=None):
    """The recommended gain for a nonlinearity (torch's table, the same float ops)."""
    linear_fns = ["linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                  "conv_transpose2d", "conv_transpose3d"]
    if nonlinearity in linear_fns or nonlinearity == "sigmoid":
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        if param is None:
            negative_slope = 0.01
        elif (not isinstance(param, bool) and isinstance(param, int)) or isinstance(param, float):
            negative_slope = param
        else:
            raise TorchValueError(f"negative_slope {param} not a valid number")
        return math.sqrt(2.0 / (1 + negative_slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise TorchValueError(f"Unsupported nonlinearity {nonlinearity}")


def _calculate_fan_in_and_fan_out(tensor) -> tuple[int, int]:
    shape = tensor._data.shape
    if len(shape) < 2:
        raise TorchValueError("Fan in and fan out can not be computed for tensor with fewer "
                              "than 2 dimensions")
    receptive = 1
    for s in shape[2:]:
        receptive *= s
    return shape[1] * receptive, shape[0] * receptive


def _calculate_correct_fan(tensor, mode) -> int:
    if not isinstance(mode, str):
        raise TorchTypeError(f"mode must be 'fan_in' or 'fan_out', not {type(mode).__name__}")
    mode = mode.lower()
    valid = ["fan_in", "fan_out"]
    if mode not in valid:
        raise TorchValueError(f"Mode {mode} not supported, please use one of {valid}")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(tensor)
    return fan_in if mode == "fan_in" else fan_out


# ----------------------------------------------------------------------------- the inits


def uniform_(tensor, a=0.0, b=1.0, generator=None) -> Tensor:
    """Fill with U(a, b): ``tensor.uniform_(a, b)`` under no_grad."""
    t = _tensor(tensor, "uniform_")
    a, b = _num(a, "uniform_", "from"), _num(b, "uniform_", "to")
    return _uniform(t, a, b, _gen(generator, "uniform_"))


def normal_(tensor, mean=0.0, std=1.0, generator=None) -> Tensor:
    """Fill with N(mean, std**2): ``tensor.normal_(mean, std)`` under no_grad."""
    t = _tensor(tensor, "normal_")
    mean, std = _num(mean, "normal_", "mean"), _num(std, "normal_", "std")
    return _normal(t, mean, std, _gen(generator, "normal_"))


def constant_(tensor, val) -> Tensor:
    return _fill(_tensor(tensor, "constant_"), val)


def ones_(tensor) -> Tensor:
    return _fill(_tensor(tensor, "ones_"), 1.0)


def zeros_(tensor) -> Tensor:
    return _zero(_tensor(tensor, "zeros_"))


def eye_(tensor) -> Tensor:
    t = _tensor(tensor, "eye_")
    if t._data.ndim != 2:
        raise TorchValueError("Only tensors with 2 dimensions are supported")
    a = _writable(t)
    a[...] = np.eye(*a.shape, dtype=a.dtype)
    bump(t)
    return t


def dirac_(tensor, groups=1) -> Tensor:
    t = _tensor(tensor, "dirac_")
    dims = t._data.ndim
    if dims not in [3, 4, 5]:
        raise TorchValueError("Only tensors with 3, 4, or 5 dimensions are supported")
    sizes = t._data.shape
    if sizes[0] % groups != 0:
        raise TorchValueError("dim 0 must be divisible by groups")
    per_group = sizes[0] // groups
    min_dim = min(per_group, sizes[1])
    a = _writable(t)
    a[...] = 0
    centre = tuple(s // 2 for s in sizes[2:])
    bump(t)
    for g in range(groups):
        for d in range(min_dim):
            a[(g * per_group + d, d) + centre] = 1
            bump(t)
    return t


def xavier_uniform_(tensor, gain=1.0, generator=None) -> Tensor:
    t = _tensor(tensor, "xavier_uniform_")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(t)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    a = math.sqrt(3.0) * std
    return _uniform(t, -a, a, _gen(generator, "uniform_"))


def xavier_normal_(tensor, gain=1.0, generator=None) -> Tensor:
    t = _tensor(tensor, "xavier_normal_")
    fan_in, fan_out = _calculate_fan_in_and_fan_out(t)
    std = gain * math.sqrt(2.0 / float(fan_in + fan_out))
    return _normal(t, 0.0, std, _gen(generator, "normal_"))


def _zero_elements(t: Tensor) -> bool:
    if 0 in t._data.shape:
        warn("Initializing zero-element tensors is a no-op")
        return True
    return False


def kaiming_uniform_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu",
                     generator=None) -> Tensor:
    t = _tensor(tensor, "kaiming_uniform_")
    if _zero_elements(t):
        return t
    fan = _calculate_correct_fan(t, mode)
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    bound = math.sqrt(3.0) * std
    return _uniform(t, -bound, bound, _gen(generator, "uniform_"))


def kaiming_normal_(tensor, a=0, mode="fan_in", nonlinearity="leaky_relu",
                    generator=None) -> Tensor:
    t = _tensor(tensor, "kaiming_normal_")
    if _zero_elements(t):
        return t
    fan = _calculate_correct_fan(t, mode)
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    return _normal(t, 0.0, std, _gen(generator, "normal_"))


def _log32(x: np.ndarray) -> np.ndarray:
    """float32 ``log``, correctly rounded (through double)."""
    with np.errstate(divide="ignore"):
        return np.log(x.astype(np.float64)).astype(_F32)


def trunc_normal_(tensor, mean=0.0, std=1.0, a=-2.0, b=2.0, generator=None) -> Tensor:
    """N(mean, std**2) truncated to [a, b], torch 2.13's rejection sampler."""
    t = _tensor(tensor, "trunc_normal_")
    mean, std = _num(mean, "trunc_normal_", "mean"), _num(std, "trunc_normal_", "std")
    a, b = _num(a, "trunc_normal_", "a"), _num(b, "trunc_normal_", "b")
    gen = _gen(generator, "trunc_normal_")

    def norm_cdf(x: float) -> float:
        return (1.0 + math.erf(x / math.sqrt(2.0))) / 2.0

    if mean < a - 2 * std or mean > b + 2 * std:
        warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The "
             "distribution of values may be incorrect.")
    p = norm_cdf((b - mean) / std) - norm_cdf((a - mean) / std)
    arr = _writable(t)
    view, contiguous = _iter_order(arr)
    n = arr.size
    like_contig = _like_contiguous(arr)
    writes = 1
    if p > 0.3:
        if not std >= 0.0:
            raise TorchRuntimeError(f"normal expects std >= 0.0, but found std {_g(std)}")
        d = _float_dtype(t, "normal_kernel_cpu")
        lo = float(d.type(a))
        hi = float(d.type(b))
        result = gen.normal_((n,), mean, std, d, contiguous=contiguous)
        while True:
            mask = (result < lo) | (result > hi)
            if not mask.any():
                break
            fresh = gen.normal_((n,), mean, std, d, contiguous=like_contig)
            result = np.where(mask, fresh, result)
            writes = 2  # tensor.copy_(result)
    else:
        d = _float_dtype(t, "check_uniform_bounds")
        lo_u, hi_u = _uniform_bounds(d, a, b)
        mode_ = max(a, min(mean, b))
        log_peak = -0.5 * ((mode_ - mean) / std) ** 2
        dm, ds, dp = d.type(mean), d.type(std), d.type(log_peak)
        half = d.type(-0.5)

        def score(x: np.ndarray) -> np.ndarray:
            y = ((x - dm) / ds).astype(d)
            return ((y * y) * half - dp).astype(d)

        def accept(cand: np.ndarray) -> np.ndarray:
            u = gen.uniform_((n,), 0.0, 1.0, d)
            return _log32(u).astype(d) > cand if d == _F32 else \
                np.log(u.astype(np.float64)).astype(d) > cand

        result = gen.uniform_((n,), lo_u, hi_u, d)
        cand = score(result)
        pending = accept(cand)
        while pending.any():
            x = gen.uniform_((n,), lo_u, hi_u, d)
            result = np.where(pending, x, result)
            cand = score(x)
            pending = np.where(pending, accept(cand), pending)
            writes = 2  # tensor.copy_(result)
    view[...] = result.reshape(view.shape)
    for _ in range(writes):
        bump(t)
    return t


def orthogonal_(tensor, gain=1, generator=None) -> Tensor:
    """A (semi-)orthogonal matrix from the QR of torch's normal draws (the QR is numpy's:
    equal to torch's up to rounding)."""
    t = _tensor(tensor, "orthogonal_")
    if t._data.ndim < 2:
        raise TorchValueError("Only tensors with 2 or more dimensions are supported")
    if t._data.size == 0:
        return t
    gen = _gen(generator, "normal_")
    d = _float_dtype(t, "normal_kernel_cpu")
    rows = t._data.shape[0]
    cols = t._data.size // rows
    flat = gen.normal_((rows, cols), 0.0, 1.0, d)
    if rows < cols:
        flat = flat.T
    q, r = np.linalg.qr(flat)
    ph = np.sign(np.diagonal(r)).astype(d)
    q = (q * ph).astype(d)
    if rows < cols:
        q = q.T
    a = _writable(t)
    a[...] = (q.reshape(a.shape) * d.type(gain)).astype(d)
    bump(t)  # copy_
    bump(t)  # mul_(gain)
    return t


def sparse_(tensor, sparsity, std=0.01, generator=None) -> Tensor:
    """Normal values, then ``ceil(sparsity * rows)`` zeros per column at rows from
    ``torch.randperm(rows)`` (torch draws those from the default generator)."""
    t = _tensor(tensor, "sparse_")
    if t._data.ndim != 2:
        raise TorchValueError("Only tensors with 2 dimensions are supported")
    rows, cols = t._data.shape
    num_zeros = math.ceil(sparsity * rows)
    _normal(t, 0.0, _num(std, "normal_", "std"), _gen(generator, "normal_"))
    a = t._data
    for col in range(cols):
        row_indices = _api._default().randperm(rows)
        a[row_indices[:num_zeros], col] = 0
        bump(t)
    return t


# ----------------------------------------------------------------------------- layers


def _fan_in(weight: Tensor) -> int:
    return _calculate_fan_in_and_fan_out(weight)[0]


def default_linear_init(weight, bias=None) -> None:
    """``nn.Linear.reset_parameters``: ``kaiming_uniform_(weight, a=sqrt(5))``, then the
    bias from U(-1/sqrt(fan_in), 1/sqrt(fan_in)) (U(0, 0), still drawn, for fan_in 0)."""
    kaiming_uniform_(weight, a=math.sqrt(5))
    if bias is not None:
        fan_in = _fan_in(weight)
        bound = 1 / math.sqrt(fan_in) if fan_in > 0 else 0
        uniform_(bias, -bound, bound)


def default_conv_init(weight, bias=None) -> None:
    """``_ConvNd.reset_parameters`` (Conv1d/2d/3d and the transposed ones): as Linear's."""
    default_linear_init(weight, bias)


def default_bilinear_init(weight, bias=None) -> None:
    """``nn.Bilinear.reset_parameters``: weight and bias from U(-1/sqrt(in1), ...)."""
    in1 = weight._data.shape[1]
    if in1 <= 0:
        raise TorchValueError(f"in1_features must be > 0, but got (in1_features={in1})")
    bound = 1 / math.sqrt(in1)
    uniform_(weight, -bound, bound)
    if bias is not None:
        uniform_(bias, -bound, bound)


def default_embedding_init(weight, padding_idx=None) -> None:
    """``nn.Embedding.reset_parameters``: N(0, 1), then the padding row zeroed."""
    normal_(weight)
    if padding_idx is not None:
        a = _writable(weight)
        a[padding_idx] = 0
        bump(weight)


def default_rnn_init(parameters, hidden_size: int) -> None:
    """``RNNBase``/``RNNCellBase.reset_parameters``: every parameter, in order, from
    U(-1/sqrt(hidden_size), 1/sqrt(hidden_size))."""
    stdv = 1.0 / math.sqrt(hidden_size) if hidden_size > 0 else 0
    for w in parameters:
        uniform_(w, -stdv, stdv)


def _deprecated(new):
    """torch's nn.init.<name> (no underscore): a FutureWarning at the caller's line, then
    the in-place initializer."""
    old = new.__name__[:-1]

    def deprecated_init(*args, **kwargs):
        warn(f"`nn.init.{old}` is now deprecated in favor of `nn.init.{new.__name__}`.",
             category=FutureWarning)
        return new(*args, **kwargs)

    deprecated_init.__name__ = deprecated_init.__qualname__ = old
    deprecated_init.__doc__ = f"Deprecated: torch's FutureWarning, then ``{new.__name__}``."
    return deprecated_init


MEMBERS = {
    "calculate_gain": calculate_gain,
    "uniform_": uniform_,
    "normal_": normal_,
    "trunc_normal_": trunc_normal_,
    "constant_": constant_,
    "ones_": ones_,
    "zeros_": zeros_,
    "eye_": eye_,
    "dirac_": dirac_,
    "xavier_uniform_": xavier_uniform_,
    "xavier_normal_": xavier_normal_,
    "kaiming_uniform_": kaiming_uniform_,
    "kaiming_normal_": kaiming_normal_,
    "orthogonal_": orthogonal_,
    "sparse_": sparse_,
}

# the deprecated names old tutorials call, as torch keeps them (nn/init.py _make_deprecate)
MEMBERS.update({f.__name__[:-1]: _deprecated(f) for f in (
    uniform_, normal_, constant_, eye_, dirac_, xavier_uniform_, xavier_normal_,
    kaiming_uniform_, kaiming_normal_, orthogonal_, sparse_)})

"""The op table: one class per PyTorch grad_fn, its forward beside its backward.

Each class is named as the grad_fn PyTorch 2.13 gives the op, so ``name()`` is the class
name. ``forward`` computes on numpy arrays; ``backward(F, g, *saved)`` returns one
gradient per input. Formulas are written once for both backends: ``F`` is ``NP`` (numpy,
the fast path) or ``TS`` (Tensor ops, recorded, for ``create_graph=True``). A gradient
may come back broadcast: the engine reduces it with ``shape.unbroadcast``.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine import shape as sh
from adcli.engine.tensor import (
    _GRAD,
    FREED,
    Node,
    Tensor,
    _seq,
    _version_of,
    _wrap,
    box,
    bump,
    check_tensor_count,
    edge,
    warn,
)
from adcli.errors import (
    TorchIndexError,
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
)
from adcli.limits import check_elements, check_work

_ndarray = np.ndarray
_new = object.__new__
_f32 = np.dtype(np.float32)
_i64 = np.dtype(np.int64)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


# ============================================================================ families


def _number(v):
    """A Python number operand, or a TypeError naming what was given."""
    t = type(v)
    if t is float or t is int or t is bool:
        return v
    if isinstance(v, np.generic) and v.dtype.kind in "biuf":
        return v.item()
    raise TorchTypeError(f"expected a Tensor or a number as operand, got {type(v).__name__}")


def _with_scalars(data: np.ndarray, *scalars) -> np.ndarray:
    """Cast ``data`` for an op with Python-number operands, as torch promotes them."""
    k = data.dtype.kind
    if k == "f":
        return data
    for s in scalars:
        if type(s) is float:
            return data.astype(_f32)
        if type(s) is int:
            if k == "b":
                data, k = data.astype(_i64), "i"
            if not _INT64_MIN <= s <= _INT64_MAX:
                raise TorchRuntimeError(f"the value {s} does not fit in an int64 tensor")
    return data


def _operands(a, b, to_float: bool):
    """Arrays for a binary op on Tensors/numbers, promoted and broadcast-checked as torch."""
    if type(a) is Tensor:
        ad = a._data
        if type(b) is Tensor:
            bd = b._data
            if ad.dtype != bd.dtype:
                da, db = dt.BY_NP[ad.dtype], dt.BY_NP[bd.dtype]
                if (ad.ndim == 0) == (bd.ndim == 0):
                    r = dt.promote(da, db)
                elif ad.ndim:
                    r = dt.result_type(da, db, None)
                else:
                    r = dt.result_type(db, da, None)
                if ad.dtype != r.np:
                    ad = ad.astype(r.np)
                if bd.dtype != r.np:
                    bd = bd.astype(r.np)
            if ad.shape != bd.shape:
                sh.broadcast_shapes(ad.shape, bd.shape)
        else:
            bd = _number(b)
            ad = _with_scalars(ad, bd)
    elif type(b) is Tensor:
        ad = _number(a)
        bd = _with_scalars(b._data, ad)
    else:
        raise TorchTypeError("expected at least one Tensor operand")
    if to_float:
        if type(ad) is _ndarray and ad.dtype.kind not in "fc":
            ad = ad.astype(_f32)
        if type(bd) is _ndarray and bd.dtype.kind not in "fc":
            bd = bd.astype(_f32)
    return ad, bd


class Unary(Node):
    """An op on one tensor; extra arguments are parameters kept on the node."""

    to_float = False  # integer inputs are computed in the default float type (exp, sin...)
    float_only = False  # integer inputs are refused, as torch has no kernel for them
    _custom_apply = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        if not cls._custom_apply:  # a plain function per op: one call less on the hot path
            cls.apply = staticmethod(_unary_apply(cls))


def _unary_apply(cls):
    fwd = getattr(cls, "forward", None)
    if isinstance(fwd, np.ufunc):
        takes_args = fwd.nin > 1
    else:
        takes_args = fwd is None or fwd.__code__.co_argcount > 2 or fwd.__code__.co_flags & 4
    # the fast path: an elementwise ufunc on a float32/float64 tensor, recorded inline
    ufunc = fwd if isinstance(fwd, np.ufunc) and fwd.nin == 1 else None
    cls._exact = ufunc is not None
    plan = cls._plan
    save_x = bool(plan and plan[0])
    save_out = cls.saves_result
    assert ufunc is None or not cls.frees, cls

    def apply(x: Tensor, *args) -> Tensor:
        """Run the op on tensor ``x``; record it when ``x`` requires grad."""
        data = x._data
        if ufunc is not None and not args and data.dtype in _SCALARS:
            out = ufunc(data)
            if type(out) is not _ndarray:
                out = np.asarray(out)
            t = _new(Tensor)
            t._data = out
            if x._view is not None:
                refresh(x)
            if not (x._rg and _GRAD[0]):
                return t
            node = _new(cls)
            node._next = (x._grad_fn or x,)
            node._seq = next(_seq)
            node._shape = out.shape
            node._dtype = out.dtype
            t._grad_fn = node
            t._rg = True
            if save_x:
                node._saved_t = (x,)
                if x._ver is not None:
                    node._vers = (x._ver[0],)
                if save_out:
                    node._saved = (data, out)
                    node._saved_t = (x, None)
                    node._outbox = t._ver = [0]
                else:
                    node._saved = (data,)
            elif save_out:
                node._saved = (None, out)
                node._saved_t = (None, None)
                node._outbox = t._ver = [0]
            return t
        node = _new(cls)
        if data.dtype.kind not in "fc":
            if cls.float_only:
                raise TorchNotImplementedError(
                    f"{cls.__name__[:-9].lower()}() is not implemented for {dt.BY_NP[data.dtype]}"
                    " tensors; convert to float first, e.g. x.float()")
            if cls.to_float:
                data = data.astype(_f32)
        if args:
            if not takes_args:
                raise TorchTypeError(f"{cls.__name__[:-9].lower()}() takes no arguments")
            out = node.forward(data, *args)
        else:
            out = node.forward(data)
        if type(out) is not _ndarray:
            out = np.asarray(out)
        if x._view is not None:
            refresh(x)
        if x._rg and _GRAD[0]:
            return node.record(out, (x,), (x._grad_fn or x,))
        return _wrap(out)
    return apply


class Binary(Node):
    """An op on two operands, Tensors or Python numbers, with torch's type promotion.

    ``ufunc``, when set, is the op's forward for two float arrays of one dtype with no
    extra arguments: the fast path for small tensors, where Python overhead dominates.
    """

    to_float = False
    ufunc = None

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        cls.apply = staticmethod(_binary_apply(cls))


# Python floats as 0-d arrays of the float dtypes whose arithmetic with them matches
# torch's (the scalar is rounded to the tensor's dtype), so numpy skips its slower scalar
# path. Keyed by value; zeros (whose sign a key would lose) and nans are not kept.
_SCALARS = {np.dtype(np.float32): {}, np.dtype(np.float64): {}}


def _scalar_array(v: float, dtype) -> np.ndarray:
    cache = _SCALARS[dtype]
    arr = cache.get(v)
    if arr is None:
        arr = np.array(v, dtype)
        arr.flags.writeable = False
        if v and v == v:
            if len(cache) >= 4096:
                cache.clear()
            cache[v] = arr
    return arr


def _binary_apply(cls):
    to_float = cls.to_float
    ufunc = cls.ufunc
    cls._exact = ufunc is not None
    if ufunc is not None:
        assert not cls.saves_result and len(cls.saves) in (0, 2), cls
    # per input: 0 never saved, 1 always, 2 when the other input needs a gradient
    save_a, save_b = cls._plan or (0, 0)

    def apply(a, b, *args) -> Tensor:
        """Run the op on ``a`` and ``b`` (at least one a Tensor); record it when one of them
        requires grad."""
        if ufunc is not None and not args and type(a) is Tensor:
            # The fast path, for small tensors where every attribute access shows: float
            # tensors of one dtype and shape, or a float tensor and a Python float (as a
            # cached 0-d array). Broadcasting goes the general way, whose size is checked
            # before numpy allocates.
            ad = a._data
            dtype = ad.dtype
            tb = type(b)
            if tb is Tensor:
                bd = b._data
                fast = bd.dtype is dtype and dtype in _SCALARS and ad.shape == bd.shape
            elif tb is float and dtype in _SCALARS:
                bd = _SCALARS[dtype].get(b)
                if bd is None:
                    bd = _scalar_array(b, dtype)
                fast = True
            else:
                fast = False
            if fast:
                out = ufunc(ad, bd)
                if type(out) is not _ndarray:
                    out = np.asarray(out)
                t = _new(Tensor)
                t._data = out
                if not _GRAD[0]:
                    return t
                if a._view is not None:
                    refresh(a)
                ea = (a._grad_fn or a) if a._rg else None
                eb = None
                if tb is Tensor:
                    if b._view is not None:
                        refresh(b)
                    if b._rg:
                        eb = b._grad_fn or b
                if ea is None and eb is None:
                    return t
                node = _new(cls)
                node._next = (ea, eb)
                node._seq = next(_seq)
                node._shape = out.shape
                node._dtype = dtype
                t._grad_fn = node
                t._rg = True
                if save_a or save_b:
                    ka = save_a == 1 or (save_a == 2 and eb is not None)
                    kb = save_b == 1 or (save_b == 2 and ea is not None)
                    node._saved = (ad if ka else None, bd if kb else None)
                    node._saved_t = kept = (a if ka else None, b if kb else None)
                    if (ka and a._ver is not None) or (kb and tb is Tensor and b._ver is not None):
                        node._vers = (_version_of(kept[0]), _version_of(kept[1]))
                return t
        if type(a) is Tensor and type(b) is Tensor:
            ad = a._data
            bd = b._data
            if ad.dtype is not bd.dtype or ad.shape != bd.shape or (
                    to_float and ad.dtype.kind != "f"):
                ad, bd = _operands(a, b, to_float)
        else:
            ad, bd = _operands(a, b, to_float)
        node = _new(cls)
        out = node.forward(ad, bd, *args) if args else node.forward(ad, bd)
        if type(out) is not _ndarray:
            out = np.asarray(out)
        if _GRAD[0]:
            ea = eb = None
            if type(a) is Tensor:
                if a._view is not None:
                    refresh(a)
                if a._rg:
                    ea = a._grad_fn or a
            if type(b) is Tensor:
                if b._view is not None:
                    refresh(b)
                if b._rg:
                    eb = b._grad_fn or b
            if ea is not None or eb is not None:
                return node.record(out, (a, b), (ea, eb))
        return _wrap(out)
    return apply


class Nary(Node):
    """An op on a list of tensors (cat, stack, where, clamp with tensor bounds)."""

    @classmethod
    def apply(cls, inputs, *args) -> Tensor:
        node = _new(cls)
        out = node.forward([x._data if type(x) is Tensor else x for x in inputs], *args)
        if type(out) is not _ndarray:
            out = np.asarray(out)
        if _GRAD[0]:
            edges = tuple(edge(x) if type(x) is Tensor else None for x in inputs)
            if any(e is not None for e in edges):
                return node.record(out, tuple(inputs), edges)
        return _wrap(out)


class Bilinear(Node):
    """mm, mv, dot, bmm: two tensors of one dtype, no broadcasting."""

    @classmethod
    def apply(cls, a: Tensor, b: Tensor) -> Tensor:
        ad, bd = a._data, b._data
        if ad.dtype != bd.dtype:
            raise TorchRuntimeError(
                f"{cls.what}: both operands must have the same dtype, got {dt.BY_NP[ad.dtype]} "
                f"and {dt.BY_NP[bd.dtype]}; convert one with .to(...)"
            )
        node = _new(cls)
        out = np.asarray(node.forward(ad, bd))
        if _GRAD[0]:
            edges = (edge(a), edge(b))
            if edges[0] is not None or edges[1] is not None:
                return node.record(out, (a, b), edges)
        return _wrap(out)


class View(Unary):
    """An op whose output shares the input's storage and version counter."""

    _custom_apply = True

    @classmethod
    def apply(cls, x: Tensor, *args) -> Tensor:
        node = _new(cls)
        out = node.forward(x._data, *args)
        if x._view is not None:
            refresh(x)
        if x._rg and _GRAD[0]:
            t = node.record(out, (x,), (x._grad_fn or x,))
        else:
            t = _wrap(out)
            if not _GRAD[0]:
                t._view_nograd = True
                if x._rg:  # as torch: a view made under no_grad still requires grad (a leaf)
                    t._rg = True
        if x._view_nograd:  # and a view of such a view is one too
            t._view_nograd = True
        t._ver = b = box(x)
        t._view_ver = b[0]
        base, steps = x._view if x._view is not None else (x, ())
        t._view = (base, steps + (node.step(out),))
        return t

    def step(self, out):
        """How to redo this view on the base: ("index", key), ("reshape", shape),
        ("permute", perm) or ("expand", shape)."""
        return ("reshape", out.shape)


def _keep(g, shape, axes, keepdim, reshape=False):
    """A reduced gradient with its reduced dims restored as size 1 (keepdim form): by one
    unsqueeze per dim as torch does for most reductions, or by a reshape (amax/amin)."""
    if keepdim:
        return g
    if type(g) is Tensor and not reshape:
        for a in sorted(axes):
            g = UnsqueezeBackward0.apply(g, a)
        return g
    return g.reshape(sh.reduced_shape(shape, axes, True))


# ============================================================================ arithmetic


class AddBackward0(Binary):
    alpha = 1
    ufunc = np.add

    def forward(self, a, b, alpha=1):
        if alpha == 1:
            return a + b
        self.alpha = alpha
        return a + alpha * b

    def backward(self, F, g, a, b):
        if self._next[1] is None:
            return g, None
        return g, (g if self.alpha == 1 else g * self.alpha)


class SubBackward0(Binary):
    alpha = 1
    ufunc = np.subtract

    def forward(self, a, b, alpha=1):
        if a.dtype.kind == "b" and getattr(b, "dtype", type(b)) in (np.bool_, bool):
            raise TorchRuntimeError("subtracting bool tensors (-) is not supported; use ^ or "
                                    "logical_xor() instead")
        if alpha == 1:
            return a - b
        self.alpha = alpha
        return a - alpha * b

    def backward(self, F, g, a, b):
        if self._next[1] is None:
            return g, None
        return g, (-g if self.alpha == 1 else -g * self.alpha)


class RsubBackward1(Unary):
    """number - x (torch.rsub with a scalar)."""

    def forward(self, x, number, alpha=1):
        self.alpha = alpha
        x = _with_scalars(x, number)
        if x.dtype.kind == "b":
            raise TorchRuntimeError("subtracting bool tensors (-) is not supported; use ^ or "
                                    "logical_xor() instead")
        return number - x if alpha == 1 else number - alpha * x

    def backward(self, F, g, x):
        return (-g if self.alpha == 1 else -g * self.alpha,)


class AddBackward1(Unary):
    """x + number, as backward formulas write it (torch's add with a Scalar)."""

    def forward(self, x, number):
        return _with_scalars(x, number) + number

    def backward(self, F, g, x):
        return (g,)


class SubBackward1(Unary):
    """x - number, as backward formulas write it (torch's sub with a Scalar)."""

    def forward(self, x, number):
        return _with_scalars(x, number) - number

    def backward(self, F, g, x):
        return (g,)


class MulBackward1(Unary):
    """x * number, as backward formulas write it (torch's mul with a Scalar; a Python
    number in a script is a 0-d tensor instead, and gives MulBackward0)."""

    def forward(self, x, number):
        self.number = number
        return _with_scalars(x, number) * number

    def backward(self, F, g, x):
        return (g * self.number,)  # (a Scalar's MulBackward1 again, when recorded)


class DivBackward1(Unary):
    """x / number, as backward formulas write it (torch's div with a Scalar)."""

    to_float = True

    def forward(self, x, number):
        self.number = number
        return x / number

    def backward(self, F, g, x):
        return (g / self.number,)


class MulBackward0(Binary):
    saves = "oo"  # each factor's gradient reads the other one
    forward = ufunc = staticmethod(np.multiply)

    def backward(self, F, g, a, b):
        if (F.numpy and a is None and g.base is not None and g.ndim and not any(g.strides)
                and np.ndim(b) == 0):
            # a constant gradient (mean's, expanded) times a number stays a constant: an
            # expanded view, not a fresh array of the full size
            return np.broadcast_to(g[(slice(0, 1),) * g.ndim] * b, g.shape), None
        return (None if b is None else g * b), (None if a is None else g * a)


class DivBackward0(Binary):
    saves = "ox"
    to_float = True
    ufunc = np.true_divide

    def forward(self, a, b):
        return a / b

    def backward(self, F, g, a, b):
        return g / b, (None if a is None else -g * ((a / b) / b))


class NegBackward0(Unary):

    def forward(self, x):
        if x.dtype.kind == "b":
            raise TorchRuntimeError("negation (-) is not supported on bool tensors; use ~ or "
                                    "logical_not() to invert a mask")
        return -x

    def backward(self, F, g, x):
        return (-g,)


class ReciprocalBackward0(Unary):
    saves_result = True
    to_float = True

    def forward(self, x):
        return 1 / x

    def backward(self, F, g, x, result):
        return (-g * (result * result),)


def _int_pow_check(base, exponent):
    if isinstance(exponent, int) and exponent < 0 and base.dtype.kind in "iub":
        raise TorchRuntimeError("integers cannot be raised to negative integer powers; "
                                "use a float base or exponent (e.g. x.float() ** -1)")


class PowBackward0(Unary):
    """x ** number"""

    saves = "x"

    def forward(self, x, exponent):
        self.exponent = exponent
        x = _with_scalars(x, exponent)
        _int_pow_check(x, exponent)
        if x.dtype.kind == "f":
            return _float_pow(x, exponent)
        return x ** exponent

    def backward(self, F, g, x):
        p = self.exponent
        if p == 0:
            return (F.zeros_like(g),)
        if F.numpy:
            return (F.imul(p * (x if p == 2 else x ** (p - 1)), g),)
        p = float(p)
        return (g * (p * x ** (p - 1)),)  # torch's order, so its graph has torch's nodes


def _float_pow(x: np.ndarray, p) -> np.ndarray:
    """x ** p for a float array, rounded as torch's CPU kernel rounds it: exact products
    for 2, 3 and -2, 1/sqrt for -0.5, and otherwise a pow in double precision for float32
    (which is what torch's element-by-element path computes; its vector path for 16 or
    more elements differs from it in the last bit now and then)."""
    if p == 2:
        return x * x
    if p == 3:
        return x * x * x
    if p == -2:
        return 1 / (x * x)
    if p == -0.5:
        return 1 / np.sqrt(x)
    if p in (-1, 0.5, 1) or x.dtype != _f32:
        return x ** p
    return (x.astype(np.float64) ** p).astype(_f32)


def _power(a, b):
    """a ** b, where integers raised to negative integer powers give what C's integer pow
    gives in torch: 1 for a base of 1, +-1 for -1, else 0."""
    if b.dtype.kind not in "iu" or a.dtype.kind not in "iub" or not (b < 0).any():
        return a ** b
    a, b = np.broadcast_arrays(a, b)
    out = np.zeros(a.shape, np.result_type(a, b))
    pos = b >= 0
    out[pos] = a[pos] ** b[pos]
    out[(b < 0) & (a == 1)] = 1
    neg_one = (b < 0) & (a == -1)
    out[neg_one] = np.where(b[neg_one] % 2 == 0, 1, -1)
    return out


class PowBackward1(Binary):
    """x ** y, both tensors"""

    saves = "xx"
    saves_result = True

    def forward(self, a, b):
        return _power(a, b)

    def backward(self, F, g, a, b, result):
        da = F.where(b == 0, 0.0, g * (b * a ** (b - 1)))
        db = g * F.where((a == 0) & (b >= 0), 0.0, result * F.log(a))
        return da, db


class PowBackward2(Unary):
    """number ** x"""

    saves = "x"
    saves_result = True

    def forward(self, x, base):
        self.base = base
        x = _with_scalars(x, base)
        if x.dtype.kind in "iu":
            return _power(np.asarray(base, x.dtype), x)
        return base ** x

    def backward(self, F, g, x, result):
        base = self.base
        log_base = math.log(base) if base > 0 else (-math.inf if base == 0 else math.nan)
        if base == 0:  # d/dx 0**x is 0 where x >= 0
            return (g * F.where(x >= 0, 0.0, result * log_base),)
        return (g * (result * log_base),)


def _int_checked(ufunc, a, b):
    """An integer // or %, refusing division by zero as torch does (numpy gives 0)."""
    out = ufunc(a, b)
    if np.asarray(out).dtype.kind in "iub" and np.any(np.asarray(b) == 0):
        raise TorchRuntimeError("integer division or remainder by zero")
    return out


class RemainderBackward0(Unary):
    """x % number"""

    def forward(self, x, other):
        return _int_checked(np.remainder, _with_scalars(x, other), other)

    def backward(self, F, g, x):
        return (g,)


class RemainderBackward1(Binary):
    """x % y, both tensors"""

    saves = "ox"

    def forward(self, a, b):
        return _int_checked(np.remainder, a, b)

    def backward(self, F, g, a, b):
        return g, (None if a is None else -g * F.floor(a / b))


class FloorDivide(Binary):
    """x // y: not differentiable in torch; its grad_fn raises if backward reaches it."""

    def forward(self, a, b):
        return _int_checked(np.floor_divide, a, b)

    def name(self) -> str:
        return "torch::autograd::NotImplemented"

    def backward(self, F, g, a, b):
        raise TorchRuntimeError("the derivative of floor division (//) is not implemented")


FloorDivide.__name__ = FloorDivide.__qualname__ = "NotImplemented"


# ============================================================================ elementwise


class ExpBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(np.exp)

    def backward(self, F, g, x, result):
        return (g * result,)


class LogBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.log)

    def backward(self, F, g, x):
        return (g / x,)


class Log2Backward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.log2)

    def backward(self, F, g, x):
        return (g / (x * math.log(2.0)),)


class Log10Backward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.log10)

    def backward(self, F, g, x):
        return (g / (x * math.log(10.0)),)


class SqrtBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(np.sqrt)

    def backward(self, F, g, x, result):
        return (g / (2 * result),)


class RsqrtBackward0(Unary):
    saves_result = True
    to_float = True

    def forward(self, x):
        return 1 / np.sqrt(x)

    def backward(self, F, g, x, result):
        return (-0.5 * g * result ** 3,)


class SinBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.sin)

    def backward(self, F, g, x):
        return (g * F.cos(x),)


class CosBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.cos)

    def backward(self, F, g, x):
        return (g * -F.sin(x),)


class TanBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(np.tan)

    def backward(self, F, g, x, result):
        return (g * (1 + result ** 2),)


class AsinBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.arcsin)

    def backward(self, F, g, x):
        return (g * F.rsqrt(-x * x + 1),)


class AcosBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.arccos)

    def backward(self, F, g, x):
        return (g * -F.rsqrt(-x * x + 1),)


class AtanBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.arctan)

    def backward(self, F, g, x):
        return (g / (x * x + 1),)


class SinhBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.sinh)

    def backward(self, F, g, x):
        return (g * F.cosh(x),)


class CoshBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.cosh)

    def backward(self, F, g, x):
        return (g * F.sinh(x),)


class TanhBackward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(np.tanh)

    def backward(self, F, g, x, result):
        return (F.tanh_backward(g, result),)


class SigmoidBackward0(Unary):
    saves_result = True
    to_float = True

    def forward(self, x):
        return 1 / (1 + np.exp(-x))

    def backward(self, F, g, x, result):
        return (F.sigmoid_backward(g, result),)


class ReluBackward0(Unary):
    saves_result = True

    def forward(self, x):
        return np.maximum(x, 0) if x.dtype.kind != "b" else x.copy()

    def backward(self, F, g, x, result):
        return (F.threshold_backward(g, result),)  # relu'(0) = 0


class SoftplusBackward0(Unary):
    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, beta=1, threshold=20):
        self.beta, self.threshold = beta, threshold
        bx = x * beta
        soft = np.log1p(np.exp(np.minimum(bx, threshold))) / beta
        return np.where(bx > threshold, x, soft).astype(x.dtype, copy=False)

    def backward(self, F, g, x):
        return (F.softplus_backward(g, x, self.beta, self.threshold),)


class AbsBackward0(Unary):
    saves = "x"

    def forward(self, x):
        if x.dtype.kind == "b":
            raise TorchNotImplementedError("abs() is not implemented for bool tensors")
        return np.abs(x)

    def backward(self, F, g, x):
        return (g * F.sgn(x),)  # abs'(0) = sgn(0) = 0


class _ZeroGrad(Unary):
    """Piecewise-constant ops: the gradient is zero everywhere."""

    def backward(self, F, g, x):
        return (F.zeros_like(g),)  # a constant: it does not depend on g


class SignBackward0(_ZeroGrad):

    def forward(self, x):
        return np.sign(x) if x.dtype.kind != "b" else x.copy()


class SgnBackward0(SignBackward0):
    """sgn: the sign, as torch writes it for complex-safe formulas (norm's gradient)."""


def _masked_fill(x: np.ndarray, mask, value) -> np.ndarray:
    """x with value where mask is set, in x's dtype; the mask may broadcast x to a larger
    shape (the engine then sums the gradient back)."""
    sh.broadcast_shapes(x.shape, np.shape(mask))  # checked, and bounded
    return np.where(mask, value, x).astype(x.dtype, copy=False)


class MaskedFillBackward0(Unary):
    """x.masked_fill(mask, number): the gradient passes where mask is False."""

    frees = ("mask",)

    def forward(self, x, mask, value):
        self.mask = mask
        return _masked_fill(x, mask, value)

    def backward(self, F, g, x):
        return (F.masked_fill(g, self.mask, 0.0),)


class MaskedFillBackward1(Binary):
    """x.masked_fill(mask, value) with a 0-d tensor value: both get gradients."""

    frees = ("mask",)

    def forward(self, x, value, mask):
        self.mask = mask
        return _masked_fill(x, mask, value)

    def backward(self, F, g, x, value):
        mask = self.mask
        return (F.masked_fill(g, mask, 0.0),
                None if self._next[1] is None else F.sum(F.masked_select(g, mask), None, False))


class FloorBackward0(_ZeroGrad):

    def forward(self, x):
        return np.floor(x) if x.dtype.kind == "f" else x.copy()


class CeilBackward0(_ZeroGrad):

    def forward(self, x):
        return np.ceil(x) if x.dtype.kind == "f" else x.copy()


class RoundBackward0(_ZeroGrad):

    def forward(self, x):
        return np.round(x) if x.dtype.kind == "f" else x.copy()


class RoundBackward1(_ZeroGrad):

    def forward(self, x, decimals):
        return np.round(x, decimals) if x.dtype.kind == "f" else x.copy()


class ClampBackward1(Unary):
    """clamp(x, min, max) with number bounds"""

    saves = "x"

    def forward(self, x, lo, hi):
        self.lo, self.hi = lo, hi
        x = _with_scalars(x, *(b for b in (lo, hi) if b is not None))
        out = x if lo is None else np.maximum(x, np.asarray(lo, x.dtype))
        out = out if hi is None else np.minimum(out, np.asarray(hi, x.dtype))
        return out.copy() if out is x else out

    def backward(self, F, g, x):
        lo, hi = self.lo, self.hi
        if lo is not None and hi is not None:
            return (F.where((x >= lo) & (x <= hi), g, 0.0),)
        return (F.where(x >= lo if hi is None else x <= hi, g, 0.0),)


class ClampBackward0(Nary):
    """clamp(x, min, max) with tensor bounds"""

    saves = "xxx"

    def forward(self, arrays):
        x, lo, hi = arrays
        out = x
        if lo is not None:
            out = np.maximum(out, lo)
        if hi is not None:
            out = np.minimum(out, hi)
        return out.copy() if out is x else out

    def backward(self, F, g, x, lo, hi):
        inside = None
        if lo is not None:
            inside = x >= lo
        if hi is not None:
            inside = (x <= hi) if inside is None else inside & (x <= hi)
        return (F.where(inside, g, 0.0),
                None if lo is None else F.where(x < lo, g, 0.0),
                None if hi is None else F.where(x > hi, g, 0.0))


class MaximumBackward0(Binary):
    saves = "xx"

    def forward(self, a, b):
        return np.maximum(a, b)

    def backward(self, F, g, a, b):  # ties split the gradient in half, as torch does
        return (F.masked_fill(F.where(a == b, g / 2, g), a < b, 0.0),
                F.masked_fill(F.where(a == b, g / 2, g), a > b, 0.0))


class MinimumBackward0(Binary):
    saves = "xx"

    def forward(self, a, b):
        return np.minimum(a, b)

    def backward(self, F, g, a, b):
        return (F.masked_fill(F.where(a == b, g / 2, g), a > b, 0.0),
                F.masked_fill(F.where(a == b, g / 2, g), a < b, 0.0))


class WhereBackward0(Binary):
    frees = ("cond",)

    def forward(self, a, b, cond):
        self.cond = cond
        return np.where(cond, a, b)

    def backward(self, F, g, a, b):
        return F.where(self.cond, g, 0.0), F.where(self.cond, 0.0, g)


class CloneBackward0(Unary):

    def forward(self, x, order="K"):  # "K" keeps the memory layout, "C" makes it contiguous
        return x.copy(order=order)

    def backward(self, F, g, x):
        return (g,)


class ToCopyBackward0(Unary):
    """x.to(dtype); the engine casts the gradient back to the input's dtype."""

    def forward(self, x, dtype):
        return x.astype(dtype.np)

    def backward(self, F, g, x):
        return (g,)


# ============================================================================ reductions


class SumBackward0(Unary):

    def forward(self, x, dtype=None):
        self.in_shape = x.shape
        return x.sum(dtype=_sum_dtype(x, dtype))

    def backward(self, F, g, x):
        return (F.expand(g, self.in_shape),)


def _sum_dtype(x, dtype):
    if dtype is not None:
        return dtype.np
    return _i64 if x.dtype.kind in "biu" else None


class _Reduce(Unary):
    """A reduction over ``axes`` (sorted, normalised) with ``keepdim``."""


class SumBackward1(_Reduce):

    def forward(self, x, axes, keepdim, dtype=None):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        return x.sum(axis=axes, keepdims=keepdim, dtype=_sum_dtype(x, dtype))

    def backward(self, F, g, x):
        return (F.expand(_keep(g, self.in_shape, self.axes, self.keepdim), self.in_shape),)


class MeanBackward0(Unary):

    def forward(self, x, dtype=None):
        self.in_shape = x.shape
        if dtype is not None:
            x = x.astype(dtype.np)
        return x.sum() / x.size if x.size else np.asarray(np.nan, x.dtype)

    def backward(self, F, g, x):
        return (F.mean_expand(g, self.in_shape, sh.numel(self.in_shape)),)


class MeanBackward1(_Reduce):

    def forward(self, x, axes, keepdim, dtype=None):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        if dtype is not None:
            x = x.astype(dtype.np)
        n = sh.numel(tuple(x.shape[a] for a in axes))
        return x.sum(axis=axes, keepdims=keepdim) / n if n else np.full(
            sh.reduced_shape(x.shape, axes, keepdim), np.nan, x.dtype)

    def backward(self, F, g, x):
        n = sh.numel(tuple(self.in_shape[a] for a in self.axes))
        return (F.mean_expand(_keep(g, self.in_shape, self.axes, self.keepdim), self.in_shape, n),)


def _exclusive_prod(x: np.ndarray, axis: int) -> np.ndarray:
    """For each element, the product of the others along ``axis`` (no division by zero)."""
    ones = np.ones_like(np.take(x, [0], axis=axis))
    left = np.cumprod(np.concatenate([ones, np.take(x, range(x.shape[axis] - 1), axis=axis)],
                                     axis=axis), axis=axis)
    rev = np.flip(x, axis)
    right = np.cumprod(np.concatenate([ones, np.take(rev, range(x.shape[axis] - 1), axis=axis)],
                                      axis=axis), axis=axis)
    return left * np.flip(right, axis)


class ProdBackward0(Unary):
    saves = "x"
    saves_result = True

    def forward(self, x, dtype=None):
        return x.prod(dtype=_sum_dtype(x, dtype))

    def backward(self, F, g, x, result):
        xd = x if F.numpy else x._data
        if xd.size == 0:
            return (F.expand(g, xd.shape) * 0,)
        zeros = np.count_nonzero(xd == 0)
        if not zeros:
            return (g * (result / x),)
        if F.numpy:
            if zeros > 1:  # as torch: every product of the others is zero
                return (np.zeros_like(xd),)
            return (g * _exclusive_prod(xd.reshape(-1), 0).reshape(xd.shape),)
        return (_prod_safe_zeros(F, g, x.reshape(-1), 0).reshape(xd.shape),)


class ProdBackward1(Unary):
    saves = "x"
    saves_result = True

    def forward(self, x, dim, keepdim, dtype=None):
        self.dim, self.keepdim = dim, keepdim
        return x.prod(axis=dim, keepdims=keepdim, dtype=_sum_dtype(x, dtype))

    def backward(self, F, g, x, result):
        xd = x if F.numpy else x._data
        gk = _keep(g, xd.shape, (self.dim,), self.keepdim)
        rk = _keep(result, xd.shape, (self.dim,), self.keepdim)
        if not (xd == 0).any():
            return (gk * (rk / x),)
        if F.numpy:
            return (gk * _exclusive_prod(xd, self.dim),)
        return (_prod_safe_zeros(F, gk, x, self.dim),)


class MaxBackward1(Unary):
    """max() of all elements; ties share the gradient evenly."""

    saves = "x"
    saves_result = True

    def forward(self, x):
        if x.size == 0:
            raise TorchRuntimeError("max() of an empty tensor: give a dim to reduce over, or "
                                    "check the tensor is not empty")
        return x.max()

    def backward(self, F, g, x, result):
        return (_evenly(F, g, x, result, None),)


class MinBackward1(MaxBackward1):

    def forward(self, x):
        if x.size == 0:
            raise TorchRuntimeError("min() of an empty tensor: give a dim to reduce over, or "
                                    "check the tensor is not empty")
        return x.min()


def _evenly(F, g, x, result_k, axes):
    """Share ``g`` evenly among the elements equal to the reduced result (NaNs included):
    as torch, zeros with g / count filled in where the mask is set."""
    mask = (x == result_k) | (F.isnan(x) & F.isnan(result_k))
    zeros = F.const(np.zeros(F.data(x).shape, F.data(g).dtype))
    return F.masked_fill(zeros, mask, g / F.count(mask, axes))


class MaxBackward0(Unary):
    """max(x, dim): values and indices; the gradient goes to the returned index."""

    frees = ("indices",)
    pick = staticmethod(np.argmax)

    @classmethod
    def apply_indices(cls, x: Tensor, dim: int, keepdim: bool):
        node = _new(cls)
        data = x._data
        if data.ndim and data.shape[dim] == 0:
            raise TorchIndexError(f"{cls.__name__[:3].lower()}(): cannot reduce over dimension "
                                  f"{dim} of size 0")
        out = node.forward(data, dim, keepdim)
        values = node.record(out, (x,), (edge(x),)) if x._rg and _GRAD[0] else _wrap(out)
        idx = node.indices if keepdim or not data.ndim else node.indices.squeeze(dim)
        return values, _wrap(np.asarray(idx))

    def forward(self, x, dim, keepdim):
        self.dim, self.keepdim, self.in_shape = dim, keepdim, x.shape
        if x.ndim == 0:
            self.indices = np.zeros((), _i64)
            return x.copy()
        self.indices = np.expand_dims(self.pick(x, axis=dim), dim).astype(_i64)
        values = np.take_along_axis(x, self.indices, axis=dim)
        return values if keepdim else values.squeeze(dim)

    def backward(self, F, g, x):
        shape, dim = self.in_shape, self.dim
        if not shape:
            return (g,)
        pos = np.arange(shape[dim]).reshape([-1 if i == dim else 1 for i in range(len(shape))])
        mask = pos == self.indices
        return (F.where(mask, F.expand(_keep(g, shape, (dim,), self.keepdim), shape), 0.0),)


class MinBackward0(MaxBackward0):
    pick = staticmethod(np.argmin)


class AmaxBackward0(_Reduce):
    saves = "x"
    saves_result = True
    reduce = staticmethod(np.max)

    def forward(self, x, axes, keepdim):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        if x.size == 0 and any(x.shape[a] == 0 for a in axes) or (x.size == 0 and not axes):
            raise TorchIndexError("amax()/amin() cannot reduce over an empty dimension")
        return self.reduce(x, axis=axes, keepdims=keepdim)

    def backward(self, F, g, x, result):
        axes = self.axes
        # as torch: the reduced dims come back by a reshape, then (g / count) * mask, so a
        # negative g leaves -0. where x is not extreme
        rk = _keep(result, self.in_shape, axes, self.keepdim, reshape=True)
        gk = _keep(g, self.in_shape, axes, self.keepdim, reshape=True)
        mask = (x == rk) | (F.isnan(x) & F.isnan(rk))
        return (gk / F.count(mask, axes) * mask,)


class AminBackward0(AmaxBackward0):
    reduce = staticmethod(np.min)


class LinalgVectorNormBackward0(_Reduce):
    saves = "x"
    saves_result = True

    def forward(self, x, ord, axes, keepdim, whole=False):
        # whole: no dim was given (torch's backward then lets the 0-d gradient broadcast)
        self.ord, self.axes, self.keepdim, self.in_shape = ord, axes, keepdim, x.shape
        self.whole = whole
        a = np.abs(x)
        if ord == 2:
            return np.sqrt((x * x).sum(axis=axes, keepdims=keepdim))
        if ord == 1:
            return a.sum(axis=axes, keepdims=keepdim)
        if ord == math.inf or ord == -math.inf:
            if x.size == 0:
                raise TorchRuntimeError("the infinity norm of an empty tensor is not defined")
            f = np.max if ord > 0 else np.min
            return f(a, axis=axes, keepdims=keepdim)
        if ord == 0:
            return (x != 0).sum(axis=axes, keepdims=keepdim).astype(x.dtype)
        return ((a ** ord).sum(axis=axes, keepdims=keepdim)) ** (1.0 / ord)

    def backward(self, F, g, x, result):
        p, axes = self.ord, self.axes
        if self.whole or not self.in_shape:  # the 0-d g broadcasts
            gk, nk = g, result
        else:
            gk = _keep(g, self.in_shape, axes, self.keepdim)
            nk = _keep(result, self.in_shape, axes, self.keepdim)
        # torch's norm_backward, op for op; a zero norm gives a zero gradient
        if p == 0:
            return (None,)
        if p == 1:
            return (F.sgn(x) * gk,)
        if p == 2:
            return (gk * F.masked_fill(x / nk, nk == 0, 0.0),)
        if p == math.inf or p == -math.inf:
            a = F.abs(x)
            mask = (a == nk) | F.isnan(a)
            return (F.sgn(x) * ((gk / F.count(mask, axes)) * mask),)
        if p < 1:
            scaled = F.sgn(x) * F.masked_fill(F.abs(x) ** (p - 1), x == 0, 0.0)
            return (scaled * gk * nk ** (1 - p),)
        scaled = F.sgn(x) * F.abs(x) ** (p - 1) if p < 2 else x * F.abs(x) ** (p - 2)
        return (scaled * F.masked_fill(gk / nk ** (p - 1), nk == 0, 0.0),)


class VarBackward0(_Reduce):
    saves = "x"

    def forward(self, x, axes, correction, keepdim, whole=False):
        self.axes, self.keepdim, self.in_shape, self.correction = axes, keepdim, x.shape, correction
        self.whole = whole or not x.ndim  # no dim given: torch's formula for the whole tensor
        n = sh.numel(tuple(x.shape[a] for a in axes))
        if n - correction <= 0:
            warn(f"{self._what()}(): degrees of freedom is <= 0 (reducing {n} elements with "
                 f"correction={correction}); the result is inf or nan")
        # two passes in float64, so that equal values give exactly 0, as torch's Welford does
        x64 = x.astype(np.float64)
        mean = x64.sum(axis=axes, keepdims=True) / n if n else np.full(
            sh.reduced_shape(x.shape, axes, True), np.nan)
        d = x64 - mean
        var = (d * d).sum(axis=axes, keepdims=keepdim) / np.float64(max(n - correction, 0))
        return self._finish(var).astype(x.dtype)

    def _what(self):
        return "var"

    def _finish(self, var):
        return var

    def _var_backward(self, F, g, x):
        # torch's var_backward: 2 / (n - correction) * g * (x - mean)
        axes, ndim = self.axes, len(self.in_shape)
        n = sh.numel(tuple(self.in_shape[a] for a in axes))
        dof = n - self.correction
        if self.whole:  # the 0-d g broadcasts
            mean = F.mean(x, None, False)
            if dof <= 0:  # inf, or nan where 0 * inf
                xd = F.data(x)
                return g * F.const(np.where(xd == F.data(mean), math.nan, math.inf).astype(
                    xd.dtype))
            return 2.0 / dof * g * (x - mean)
        gk = g if self.keepdim or ndim == 1 else _keep(g, self.in_shape, axes, False)
        scale = 2.0 / dof if dof else math.inf
        return scale * gk * (x - F.mean(x, axes, True))

    def backward(self, F, g, x):
        return (self._var_backward(F, g, x),)


class StdBackward0(VarBackward0):
    saves_result = True

    def _what(self):
        return "std"

    def _finish(self, var):
        return np.sqrt(var)

    def backward(self, F, g, x, result):
        return (self._var_backward(F, F.masked_fill(g / (result * 2), result == 0, 0.0), x),)


class LogsumexpBackward0(_Reduce):
    saves = "x"
    saves_result = True
    to_float = True

    def forward(self, x, axes, keepdim):
        self.axes, self.keepdim, self.in_shape = axes, keepdim, x.shape
        if x.size == 0:
            return np.full(sh.reduced_shape(x.shape, axes, keepdim), -np.inf, x.dtype)
        m = np.max(x, axis=axes, keepdims=True)
        m = np.where(np.isinf(m), 0, m).astype(x.dtype, copy=False)
        out = np.log(np.exp(x - m).sum(axis=axes, keepdims=True)) + m
        return out if keepdim else out.reshape(sh.reduced_shape(x.shape, axes, False))

    def backward(self, F, g, x, result):
        shape, axes, keep = self.in_shape, self.axes, self.keepdim
        return (_keep(g, shape, axes, keep) * F.exp(x - _keep(result, shape, axes, keep)),)


class SoftmaxBackward0(Unary):
    saves_result = True

    def forward(self, x, dim):
        self.axes = axes = (dim,) if x.ndim else ()
        e = np.exp(x - np.max(x, axis=dim, keepdims=True)) if x.size else x.copy()
        return e / e.sum(axis=axes, keepdims=True)

    def backward(self, F, g, x, result):
        return (F.softmax_backward(g, result, self.axes),)


class LogSoftmaxBackward0(Unary):
    saves_result = True

    def forward(self, x, dim):
        self.axes = axes = (dim,) if x.ndim else ()
        if not x.size:
            return x.copy()
        s = x - np.max(x, axis=dim, keepdims=True)
        return s - np.log(np.exp(s).sum(axis=axes, keepdims=True))

    def backward(self, F, g, x, result):
        return (F.log_softmax_backward(g, result, self.axes),)


# ============================================================================ linear algebra


class MmBackward0(Bilinear):
    saves = "oo"
    what = "mm()"

    def forward(self, a, b):
        if a.ndim != 2 or b.ndim != 2:
            raise TorchRuntimeError(f"mm() needs two matrices (2-D), got {a.ndim}-D and {b.ndim}-D")
        if a.shape[1] != b.shape[0]:
            raise TorchRuntimeError(
                f"mat1 and mat2 shapes cannot be multiplied ({a.shape[0]}x{a.shape[1]} and "
                f"{b.shape[0]}x{b.shape[1]})"
            )
        check_elements(a.shape[0] * b.shape[1], (a.shape[0], b.shape[1]))
        check_work(a.shape[0] * a.shape[1] * b.shape[1], f"mm() of {a.shape[0]}x{a.shape[1]} "
                   f"and {b.shape[0]}x{b.shape[1]} matrices")
        self.a_col, self.b_col = _column_major(a), _column_major(b)
        return a @ b

    def backward(self, F, g, a, b):
        if F.numpy:
            return (None if b is None else g @ b.T), (None if a is None else a.T @ g)
        # torch's mm_mat1_backward / mm_mat2_backward: a column-major input gets its
        # gradient computed transposed
        ga = gb = None
        if b is not None:
            ga = F.t(b @ F.t(g)) if self.a_col else g @ F.t(b)
        if a is not None:
            gb = F.t(F.t(g) @ a) if self.b_col else F.t(a) @ g
        return ga, gb


def _column_major(m: np.ndarray) -> bool:
    """torch's test for a column-major matrix (in elements: strides (1, rows))."""
    item = m.itemsize
    return m.strides[0] == item and m.strides[1] == m.shape[0] * item


class MvBackward0(Bilinear):
    saves = "oo"
    what = "mv()"

    def forward(self, m, v):
        if m.ndim != 2 or v.ndim != 1:
            raise TorchRuntimeError(f"mv() needs a matrix and a vector, got {m.ndim}-D and "
                                    f"{v.ndim}-D")
        if m.shape[1] != v.shape[0]:
            raise TorchRuntimeError(
                f"mv(): a {m.shape[0]}x{m.shape[1]} matrix cannot multiply a vector of size "
                f"{v.shape[0]} (sizes {m.shape[1]} and {v.shape[0]} differ)"
            )
        return m @ v

    def backward(self, F, g, m, v):
        # as torch: grad.ger(vec), and self.t().mv(grad)
        return (None if v is None else F.outer(g, v)), (None if m is None else F.t(m) @ g)


class DotBackward0(Bilinear):
    saves = "oo"
    what = "dot()"

    def forward(self, a, b):
        if a.ndim != 1 or b.ndim != 1:
            raise TorchRuntimeError(f"dot() needs two vectors (1-D), got {a.ndim}-D and "
                                    f"{b.ndim}-D")
        if a.shape != b.shape:
            raise TorchRuntimeError(f"dot(): the vectors have different sizes, {a.shape[0]} and "
                                    f"{b.shape[0]}")
        return np.dot(a, b)

    def backward(self, F, g, a, b):
        return (None if b is None else g * b), (None if a is None else g * a)


class BmmBackward0(Bilinear):
    saves = "oo"
    what = "bmm()"

    def forward(self, a, b):
        if a.ndim != 3 or b.ndim != 3 or a.shape[0] != b.shape[0] or a.shape[2] != b.shape[1]:
            raise TorchRuntimeError(
                f"bmm(): batches of shapes {list(a.shape)} and {list(b.shape)} cannot be "
                "multiplied; expected [b, n, m] and [b, m, p]"
            )
        check_elements(a.shape[0] * a.shape[1] * b.shape[2])
        check_work(a.shape[0] * a.shape[1] * a.shape[2] * b.shape[2],
                   f"bmm() of batches of shapes {list(a.shape)} and {list(b.shape)}")
        return np.matmul(a, b)

    def backward(self, F, g, a, b):
        if F.numpy:
            return (None if b is None else g @ F.mT(b)), (None if a is None else F.mT(a) @ g)
        # as torch: grad.bmm(mat2.transpose(1, 2)) and self.transpose(1, 2).bmm(grad)
        return (None if b is None else BmmBackward0.apply(g, F.mT(b)),
                None if a is None else BmmBackward0.apply(F.mT(a), g))


class TraceBackward0(Unary):

    def forward(self, x):
        if x.ndim != 2:
            raise TorchRuntimeError(f"trace() needs a matrix (2-D), got {x.ndim}-D")
        self.in_shape = x.shape
        return np.trace(x, dtype=_sum_dtype(x, None))

    def backward(self, F, g, x):
        eye = np.eye(*self.in_shape, dtype=bool)
        return (F.where(eye, F.expand(g, self.in_shape), 0.0),)


# ============================================================================ shape and views


def _view_forward(x: np.ndarray, shape: tuple) -> np.ndarray | None:
    """``x`` with a new shape without copying, or None where strides make it impossible."""
    v = x.view()
    try:
        v.shape = shape
    except AttributeError:
        return None
    return v


class ViewBackward0(View):

    def forward(self, x, shape):
        out = _view_forward(x, shape)
        if out is None:
            raise TorchRuntimeError(
                f"view(): a tensor of shape {list(x.shape)} with its current memory layout "
                f"cannot be viewed as {list(shape)} without copying; use reshape() instead, or "
                "call contiguous() first"
            )
        return out

    def backward(self, F, g, x):
        return (g.reshape(self._in_shape()),)

    def _in_shape(self):
        e = self._next[0]
        return e._data.shape if isinstance(e, Tensor) else e._shape


class ReshapeAliasBackward0(ViewBackward0):
    """reshape() of a non-contiguous tensor whose strides still allow a view."""


class UnsafeViewBackward0(Unary):
    """reshape() of a copy (the input could not be viewed with the new shape)."""

    def forward(self, x, shape):
        self.in_shape = x.shape
        return x.reshape(shape)

    def backward(self, F, g, x):
        return (g.reshape(self.in_shape),)


class _Reshaping(View):
    """Views that only add or drop size-1 dims. Their gradient is a reshape; recorded (under
    create_graph) it is torch's: unsqueezes of the squeezed dims, or a squeeze."""

    dims: tuple = ()  # the size-1 dims that the view dropped

    def backward(self, F, g, x):
        if F.numpy:
            return (g.reshape(self.in_shape),)
        for d in self.dims:
            g = UnsqueezeBackward0.apply(g, d)
        return (g,)


class SqueezeBackward0(_Reshaping):

    def forward(self, x):
        self.in_shape = x.shape
        self.dims = tuple(i for i, s in enumerate(x.shape) if s == 1)
        return x.reshape(tuple(s for s in x.shape if s != 1))


class SqueezeBackward1(_Reshaping):

    def forward(self, x, dim):
        self.in_shape = x.shape
        if x.ndim == 0 or x.shape[dim] != 1:
            return x.view()
        self.dims = (dim % x.ndim,)
        return x.reshape(x.shape[:dim] + x.shape[dim + 1:])


class SqueezeBackward2(_Reshaping):

    def forward(self, x, dims):
        self.in_shape = x.shape
        self.dims = tuple(sorted(i for i in range(x.ndim) if i in dims and x.shape[i] == 1))
        return x.reshape(tuple(s for i, s in enumerate(x.shape) if not (i in dims and s == 1)))


class SqueezeBackward4(Unary):
    """squeeze_(0) of matmul's own intermediate (vector @ matrix): not a view of anything
    the user holds."""

    def forward(self, x, dim):
        self.in_shape = x.shape
        self.dim = dim % x.ndim
        return x.reshape(x.shape[:dim] + x.shape[dim + 1:])

    def backward(self, F, g, x):
        if F.numpy:
            return (g.reshape(self.in_shape),)
        return (UnsqueezeBackward0.apply(g, self.dim),)


class UnsqueezeBackward0(_Reshaping):

    def forward(self, x, dim):
        self.in_shape = x.shape
        self.dim = dim % (x.ndim + 1)
        return np.expand_dims(x, dim)

    def backward(self, F, g, x):
        if F.numpy:
            return (g.reshape(self.in_shape),)
        return (SqueezeBackward1.apply(g, self.dim),)  # as torch: grad.squeeze(dim)


class _Permuting(View):

    def backward(self, F, g, x):
        inverse = tuple(np.argsort(self.perm).tolist())
        if F.numpy:
            return (g.transpose(inverse),)
        # as torch: t's gradient is a t, transpose's a transpose, permute's a permute
        return ((TBackward0 if isinstance(self, TBackward0) else type(self)).apply(g, inverse),)

    def step(self, out):
        return ("permute", self.perm)

    def forward(self, x, perm):
        self.perm = perm
        return x.transpose(perm)


class TBackward0(_Permuting):
    pass


class TransposeBackward0(_Permuting):
    pass


class PermuteBackward0(_Permuting):
    pass


class ExpandBackward0(View):

    def forward(self, x, shape):
        return sh.expanded(x, shape)

    def backward(self, F, g, x):
        return (g,)  # the engine sums g back to the input's shape (shape.unbroadcast)

    def step(self, out):
        return ("expand", out.shape)


class RepeatBackward0(Unary):

    def forward(self, x, reps):
        self.reps, self.in_shape = reps, x.shape
        return np.tile(x.reshape((1,) * (len(reps) - x.ndim) + x.shape), reps)

    def backward(self, F, g, x):
        # torch's repeat_backward: sum away the new leading dims, then one reshape that
        # splits each repeated dim into (repeat, size) and one sum over the repeats
        reps, shape = self.reps, self.in_shape
        lead = len(reps) - len(shape)
        if 0 in reps:
            return (F.const(np.zeros(shape, F.data(g).dtype)),)
        for _ in range(lead):
            g = F.sum(g, (0,), False)
        split, axes = [], []
        for r, n in zip(reps[lead:], shape):
            if r != 1:
                split.append(r)
                axes.append(len(split) - 1)
            split.append(n)
        if axes:
            g = F.sum(g.reshape(tuple(split)), tuple(axes), False)
        return (g,)


class SelectBackward0(View):

    def forward(self, x, dim, index):
        self.key, self.in_shape = sh.step_key("select", dim, index), x.shape
        return x[self.key]

    def backward(self, F, g, x):
        if F.numpy or self._placer is None:
            return (F.place(g, self.in_shape, (("index", self.key),)),)
        return (self._placer.apply(g, self.in_shape, self.key),)  # torch's own node for it

    def step(self, out):
        return ("index", self.key)


class SelectBackwardBackward0(Unary):
    """select's backward as an op: zeros of the input's shape, with g at the index."""

    def forward(self, g, shape, key):
        self.key = key
        out = np.zeros(shape, g.dtype)
        out[key] = g
        return out

    def backward(self, F, gg, g):
        return (gg[self.key],)  # a select (or slice) of the incoming gradient


class SliceBackwardBackward0(SelectBackwardBackward0):
    """slice's backward as an op."""


SelectBackward0._placer = SelectBackwardBackward0


class UnbindBackward0(SelectBackward0):
    """One element of unbind() / iteration over dim 0."""

    _placer = None


class SliceBackward0(SelectBackward0):
    _placer = SliceBackwardBackward0

    def forward(self, x, dim, bounds):
        self.key, self.in_shape = sh.step_key("slice", dim, bounds), x.shape
        return x[self.key]


class IndexBackward0(Unary):
    """Advanced indexing (index tensors, lists, masks); the output is a copy."""

    frees = ("key",)

    def forward(self, x, key):
        self.key, self.in_shape = key, x.shape
        return x[key]

    def backward(self, F, g, x):
        return (F.index_add(g, self.in_shape, self.key),)


class MaskedSelectBackward0(IndexBackward0):
    """x[mask] for a boolean mask (torch.masked_select)."""


def _promoted(arrays) -> np.dtype:
    """The dtype torch.cat / torch.stack give a list of tensors."""
    kind = None
    for a in arrays:
        kind = dt.promote(kind, dt.BY_NP[a.dtype])
    return kind.np


class CatBackward0(Nary):

    def forward(self, arrays, dim):
        self.dim = dim
        self.sizes = [a.shape[dim] for a in arrays]
        return np.concatenate(arrays, axis=dim, dtype=_promoted(arrays))

    def backward(self, F, g, *inputs):
        pre, out, start = (slice(None),) * self.dim, [], 0
        for n in self.sizes:
            out.append(g[pre + (slice(start, start + n),)])
            start += n
        return tuple(out)


class StackBackward0(Nary):

    def forward(self, arrays, dim):
        self.dim = dim
        return np.stack(arrays, axis=dim, dtype=_promoted(arrays))

    def backward(self, F, g, *inputs):
        pre = (slice(None),) * self.dim
        return tuple(g[pre + (i,)] for i in range(len(inputs)))


# ============================================================================ double backward
# The backward formulas of tanh, sigmoid, relu and (log_)softmax are ops of their own in
# torch, so that grad-of-grad graphs show these names. They run only with create_graph.


class _BackwardOp(Node):
    """An op of (g, saved) used inside a backward formula; no type promotion."""

    @classmethod
    def apply(cls, g: Tensor, r: Tensor, *args) -> Tensor:
        node = _new(cls)
        out = np.asarray(node.forward(g._data, r._data, *args))
        if _GRAD[0]:
            edges = (edge(g), edge(r))
            if edges[0] is not None or edges[1] is not None:
                return node.record(out, (g, r), edges)
        return _wrap(out)


def _tanh_backward(g, r):
    return g * (1 - r * r)


def _sigmoid_backward(g, r):
    return g * (r * (1 - r))


def _threshold_backward(g, x):
    return np.where(x > 0, g, 0).astype(g.dtype, copy=False)


def _softmax_backward(g, r, axes):
    return r * (g - (g * r).sum(axis=axes, keepdims=True))


def _log_softmax_backward(g, r, axes):
    return g - np.exp(r) * g.sum(axis=axes, keepdims=True)


class TanhBackwardBackward0(_BackwardOp):
    saves = "xx"

    def forward(self, g, r):
        return _tanh_backward(g, r)

    def backward(self, F, gg, g, r):
        return F.tanh_backward(gg, r), gg * (-2 * r * g)


class SigmoidBackwardBackward0(_BackwardOp):
    saves = "xx"

    def forward(self, g, r):
        return _sigmoid_backward(g, r)

    def backward(self, F, gg, g, r):
        return F.sigmoid_backward(gg, r), gg * g * (-2 * r + 1)


class ThresholdBackwardBackward0(_BackwardOp):
    """relu's backward: g where x > 0, else 0."""

    saves = "-x"

    def forward(self, g, x):
        return _threshold_backward(g, x)

    def backward(self, F, gg, g, x):
        # as torch: the mask's own gradient is zero, but defined, so the graph behind x runs
        return F.threshold_backward(gg, x), (None if self._next[1] is None else F.zeros_like(gg))


def _softplus_backward(g, x, beta, threshold):
    bx = x * beta
    z = np.exp(np.minimum(bx, threshold))
    return np.where(bx > threshold, g, g * z / (z + 1)).astype(g.dtype, copy=False)


class SoftplusBackwardBackward0(_BackwardOp):
    """softplus's backward: g where beta*x > threshold, else g * sigmoid(beta*x)."""

    saves = "xx"

    def forward(self, g, x, beta, threshold):
        self.beta, self.threshold = beta, threshold
        return _softplus_backward(g, x, beta, threshold)

    def backward(self, F, gg, g, x):
        beta, threshold = self.beta, self.threshold
        bx = x * beta
        # the derivative of g * sigmoid(beta*x) in x, where softplus is not linear
        below = F.const((F.data(bx) < threshold).astype(F.data(g).dtype))
        dx = F.sigmoid_backward(gg * g, F.sigmoid(bx)) * below * beta
        return F.softplus_backward(gg, x, beta, threshold), dx


class SoftmaxBackwardDataBackward0(_BackwardOp):
    saves = "xx"

    def forward(self, g, r, axes):
        self.axes = axes
        return _softmax_backward(g, r, axes)

    def backward(self, F, gg, g, r):
        d = self.axes
        return (F.softmax_backward(gg, r, d),
                g * gg - F.sum(r * g, d, True) * gg - g * F.sum(r * gg, d, True))


class LogSoftmaxBackwardDataBackward0(_BackwardOp):
    saves = "xx"

    def forward(self, g, r, axes):
        self.axes = axes
        return _log_softmax_backward(g, r, axes)

    def backward(self, F, gg, g, r):
        d = self.axes
        e = F.exp(r)
        return gg - F.sum(gg * e, d, True), -F.sum(g, d, True) * e * gg


# ============================================================================ more ops


class Exp2Backward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(np.exp2)

    def backward(self, F, g, x, result):
        return (g * result * math.log(2.0),)


class Expm1Backward0(Unary):
    saves_result = True
    to_float = True
    forward = staticmethod(np.expm1)

    def backward(self, F, g, x, result):
        return (g * (result + 1),)


class Log1PBackward0(Unary):
    saves = "x"
    to_float = True
    forward = staticmethod(np.log1p)

    def backward(self, F, g, x):
        return (g / (x + 1),)


class TruncBackward0(_ZeroGrad):

    def forward(self, x):
        return np.trunc(x) if x.dtype.kind == "f" else x.copy()


class FracBackward0(Unary):

    def forward(self, x):
        if x.dtype.kind != "f":
            raise TorchNotImplementedError(f"frac() is not implemented for {dt.BY_NP[x.dtype]} "
                                           "tensors")
        return x - np.trunc(x)

    def backward(self, F, g, x):
        return (g,)


class Atan2Backward0(Binary):
    saves = "xx"
    to_float = True
    forward = staticmethod(np.arctan2)

    def backward(self, F, g, a, b):
        r = g / (a * a + b * b)
        return r * b, r * -a


class LerpBackward0(Binary):
    """lerp(start, end, weight) with a number weight"""

    def forward(self, a, b, weight):
        if a.dtype.kind != "f":
            raise TorchNotImplementedError("lerp() is not implemented for integer tensors")
        self.weight = weight
        return a + weight * (b - a)

    def backward(self, F, g, a, b):
        return g * (1 - self.weight), g * self.weight


class LerpBackward1(Nary):
    """lerp(start, end, weight) with a tensor weight"""

    saves = "xxx"

    def forward(self, arrays):
        a, b, w = arrays
        return a + w * (b - a)

    def backward(self, F, g, a, b, w):
        return g * (1 - w), g * w, g * (b - a)


class CumsumBackward0(Unary):

    def forward(self, x, dim):
        self.dim = dim
        return np.cumsum(x, axis=dim, dtype=_sum_dtype(x, None)) if x.ndim else x.copy()

    def backward(self, F, g, x):
        if not g.ndim:
            return (g,)
        d = (self.dim,)
        return (F.flip(F.cumsum(F.flip(g, d), self.dim), d),)


def _reversed_cumsum(F, w, dim: int):
    return F.flip(F.cumsum(F.flip(w, (dim,)), dim), (dim,))


class CumprodBackward0(Unary):
    saves = "x"
    saves_result = True

    def forward(self, x, dim):
        self.dim = dim
        return np.cumprod(x, axis=dim, dtype=_sum_dtype(x, None)) if x.ndim else x.copy()

    def backward(self, F, g, x, result):
        xd = x if F.numpy else x._data
        if xd.size <= 1 or not xd.ndim or xd.shape[self.dim] == 1:
            return (g,)
        d = self.dim
        zero = xd == 0
        if not zero.any():  # as torch: the reversed cumulative sum of y * g, over x
            return (_reversed_cumsum(F, result * g, d) / x,)
        if not F.numpy:
            return (_cumprod_grad_graph(g, x, d),)
        # With zeros, per slice: before its first zero as above; at the first zero z, the
        # sum over j >= z of g_j times the product of x_1..x_j but x_z; after it, nothing
        # (each product holds x_z).
        seen = np.cumsum(zero, axis=d)
        before, first = seen == 0, zero & (seen == 1)
        mask = F.const
        w = result * g * mask(before.astype(xd.dtype))
        grad_before = _reversed_cumsum(F, w, d) / F.where(mask(before), x, 1.0)
        others = F.cumprod(F.where(mask(first), 1.0, x), d)
        at_zero = F.sum(g * others * mask((seen >= 1).astype(xd.dtype)), (d,), True)
        return (F.where(mask(before), grad_before, F.where(mask(first), at_zero, 0.0)),)


def _cumprod_grad_graph(g: Tensor, x: Tensor, d: int) -> Tensor:
    """cumprod's gradient where x has zeros, recorded so that it differentiates again (as
    torch does under create_graph): for each k, the sum over j >= k of g_j times the
    product of x_1..x_j without x_k, written into a zero tensor slice by slice."""
    xd = x._data
    n = xd.shape[d]
    pre = (slice(None),) * d
    out = _wrap(np.zeros(xd.shape, np.result_type(g._data, xd)))
    ones = _wrap(np.ones(xd.shape[:d] + (1,) + xd.shape[d + 1:], xd.dtype))
    for k in range(n):
        if k == 0:
            omitted = CatBackward0.apply([ones, CumprodBackward0.apply(x[pre + (slice(1, n),)], d)],
                                         d)
        else:
            until = ProdBackward1.apply(x[pre + (slice(0, k),)], d, True)
            if k == n - 1:
                omitted = until
            else:
                after = CumprodBackward0.apply(x[pre + (slice(k + 1, n),)], d)
                omitted = CatBackward0.apply([until, expand(until, after._data.shape) * after], d)
        out[pre + (k,)] = SumBackward1.apply(g[pre + (slice(k, n),)] * omitted, (d,), False)
    return out


def _prod_safe_zeros(F, g, x, dim: int):
    """torch's gradient of a product with zeros in it, as differentiable ops: for each
    element, the product of the ones before it times the product of the ones after it."""
    xd = x if F.numpy else x._data
    n = xd.shape[dim]
    ones = F.const(np.ones(xd.shape[:dim] + (1,) + xd.shape[dim + 1:], xd.dtype))
    pre = (slice(None),) * dim
    before = F.cumprod(F.cat([ones, x[pre + (slice(0, n - 1),)]], dim), dim)
    after = F.flip(F.cumprod(F.cat([ones, F.flip(x[pre + (slice(1, n),)], (dim,))], dim),
                             dim), (dim,))
    return g * (before * after)


class FlipBackward0(Unary):

    def forward(self, x, dims):
        self.dims = dims
        return np.flip(x, dims).copy()

    def backward(self, F, g, x):
        return (F.flip(g, self.dims),)


class MseLossBackward0(Binary):
    saves = "xx"

    def forward(self, a, b, reduction):
        self.reduction = reduction
        d = a - b
        sq = d * d
        if reduction == "mean":
            return sq.sum() / sq.size if sq.size else np.asarray(np.nan, sq.dtype)
        return sq.sum() if reduction == "sum" else sq

    def backward(self, F, g, a, b):
        d = a - b
        scale = 2.0 / max(d.size if F.numpy else d._data.size, 1) if self.reduction == "mean" \
            else 2.0
        grad = g * (scale * d)
        return grad, -grad


# ---- diagonals: torch.diag, torch.diagonal, and the backward ops of each other


def _diag_index(length: int, offset: int):
    rows = np.arange(length) + builtins_max(-offset, 0)
    return rows, rows + offset


def builtins_max(a, b):
    return a if a > b else b


def _diag_place(g: np.ndarray, shape: tuple, offset: int, d1: int, d2: int) -> np.ndarray:
    """Zeros of ``shape`` with ``g`` on the diagonal (offset, dims d1 and d2) that
    torch.diagonal(x, offset, d1, d2) reads."""
    z = np.zeros(shape, g.dtype)
    moved = np.moveaxis(z, (d1, d2), (-2, -1))
    rows, cols = _diag_index(g.shape[-1], offset)
    moved[..., rows, cols] = g
    return z


class DiagonalBackward0(Unary):
    """torch.diagonal(x, offset, dim1, dim2): the diagonal as the last dim (a copy here,
    where torch gives a view)."""

    def forward(self, x, offset, d1, d2):
        self.in_shape, self.args = x.shape, (offset, d1, d2)
        return np.diagonal(x, offset, d1, d2).copy()

    def backward(self, F, g, x):
        if F.numpy:
            return (_diag_place(g, self.in_shape, *self.args),)
        return (DiagonalBackwardBackward0.apply(g, self.in_shape, *self.args),)


class DiagonalBackward0_copy(DiagonalBackward0):  # noqa: N801 - torch's name for torch.diag(2-D)
    """torch.diag of a matrix: its diagonal (diagonal_copy in torch)."""


class DiagonalBackwardBackward0(Unary):
    """diagonal's backward as an op: zeros with g on the diagonal."""

    def forward(self, g, shape, offset, d1, d2):
        self.args = (offset, d1, d2)
        return _diag_place(g, shape, offset, d1, d2)

    def backward(self, F, gg, g):
        if F.numpy:
            return (np.diagonal(gg, *self.args).copy(),)
        return (DiagonalBackward0.apply(gg, *self.args),)


class DiagEmbedBackward0(Unary):
    """torch.diag of a vector: a square matrix with the vector on diagonal ``offset``."""

    def forward(self, x, offset):
        self.offset = offset
        return np.diag(x, offset)

    def backward(self, F, g, x):
        if F.numpy:
            return (np.diagonal(g, self.offset).copy(),)
        return (DiagonalBackward0.apply(g, self.offset, 0, 1),)


# ---- losses of torch.nn.functional


class NllLossBackward0(Unary):
    """F.nll_loss (and F.cross_entropy after log_softmax): -input[i, target[i]] * w[i],
    reduced; a mean divides by the sum of the weights of the targets that count.
    ``target`` holds class indices (0 where ignored) and ``w`` each sample's weight (0
    where its target is ignore_index)."""

    def forward(self, x, target, w, reduction):
        self.reduction, self.target, self.w = reduction, target, w
        self.in_shape = x.shape
        rows = target if x.ndim == 1 else (np.arange(x.shape[0]), target)
        terms = np.where(w != 0, -x[rows] * w, 0).astype(x.dtype, copy=False)
        if reduction == "none":
            return terms
        total = terms.sum(dtype=x.dtype)
        if reduction == "sum":
            return np.asarray(total, x.dtype)
        self.denom = w.sum(dtype=x.dtype)
        return np.asarray(total / self.denom, x.dtype)

    def backward(self, F, g, x):
        shape = self.in_shape
        coef = np.zeros(shape, self._dtype)
        rows = self.target if len(shape) == 1 else (np.arange(shape[0]), self.target)
        coef[rows] = np.where(self.w != 0, -self.w, 0)  # no -0. where a target is ignored
        if self.reduction == "mean":
            coef = (coef / self.denom).astype(self._dtype)
        elif self.reduction == "none" and len(shape) == 2:
            g = g.reshape(-1, 1) if F.numpy else reshape(g, (-1, 1))
        return (g * F.const(coef),)


def _log_clamped(v):
    return np.maximum(np.log(v), -100)


def _reduce_loss(terms, reduction):
    if reduction == "none":
        return terms
    total = terms.sum(dtype=terms.dtype)
    if reduction == "sum":
        return total
    return np.asarray(total / terms.size if terms.size else np.nan, terms.dtype)


class BinaryCrossEntropyBackward0(Binary):
    """F.binary_cross_entropy(input, target): -(t log x + (1 - t) log(1 - x)), each log
    clamped at -100 as torch clamps it."""

    saves = "xx"

    def forward(self, x, t, reduction):
        if ((x < 0) | (x > 1)).any():
            raise TorchRuntimeError("all elements of input should be between 0 and 1")
        self.reduction, self.n = reduction, x.size
        terms = -(t * _log_clamped(x) + (1 - t) * _log_clamped(1 - x))
        return _reduce_loss(terms.astype(x.dtype, copy=False), reduction)

    def backward(self, F, g, x, t):
        scale = 1.0 / self.n if self.reduction == "mean" else 1.0
        denom = (1 - x) * x
        if F.numpy:  # torch clamps it at 1e-12 (and the logs at -100)
            denom = np.maximum(denom, 1e-12)
            dt = (_log_clamped(1 - x) - _log_clamped(x)) * scale
        else:
            dt = (F.log(1 - x) - F.log(x)) * scale
        return g * ((x - t) / denom * scale), g * dt


class BinaryCrossEntropyWithLogitsBackward0(Binary):
    """F.binary_cross_entropy_with_logits(input, target): (1 - t) x + log(1 + exp(-x)),
    computed as torch does, stably."""

    saves = "xx"

    def forward(self, x, t, reduction):
        self.reduction, self.n = reduction, x.size
        m = np.maximum(-x, 0)
        terms = (1 - t) * x + m + np.log(np.exp(-m) + np.exp(-x - m))
        return _reduce_loss(terms.astype(x.dtype, copy=False), reduction)

    def backward(self, F, g, x, t):
        scale = 1.0 / self.n if self.reduction == "mean" else 1.0
        dx = (F.sigmoid(x) - t) * scale
        dt = -x * scale
        return g * dx, g * dt


class LeakyReluBackward0(Unary):
    float_only = True
    saves = "x"

    def forward(self, x, slope):
        self.slope = slope
        return np.where(x > 0, x, x * np.asarray(slope, x.dtype))

    def backward(self, F, g, x):
        return (F.where(x > 0, g, g * self.slope),)


_erf = np.vectorize(math.erf, otypes=[np.float64])
_SQRT_2_PI = math.sqrt(2 / math.pi)


def _gelu_slope(x: np.ndarray, approximate: str) -> np.ndarray:
    """gelu'(x), exact (erf) or with torch's tanh approximation."""
    if approximate == "tanh":
        t = np.tanh(_SQRT_2_PI * (x + 0.044715 * x ** 3))
        return 0.5 * (1 + t) + 0.5 * x * (1 - t * t) * _SQRT_2_PI * (1 + 3 * 0.044715 * x * x)
    return 0.5 * (1 + _erf(x / math.sqrt(2.0))) + x * np.exp(-0.5 * x * x) / math.sqrt(
        2 * math.pi)


class GeluBackward0(Unary):
    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, approximate):
        self.approximate = approximate
        if approximate == "tanh":
            inner = _SQRT_2_PI * (x + 0.044715 * x ** 3)
            return (0.5 * x * (1 + np.tanh(inner))).astype(x.dtype, copy=False)
        return (0.5 * x * (1 + _erf(x / math.sqrt(2.0)))).astype(x.dtype)

    def backward(self, F, g, x):
        return (F.gelu_backward(g, x, self.approximate),)


class GeluBackwardBackward0(_BackwardOp):
    """gelu's backward, g * gelu'(x), as an op that differentiates again."""

    saves = "xx"

    def forward(self, g, x, approximate):
        self.approximate = approximate
        return (g * _gelu_slope(x, approximate)).astype(g.dtype, copy=False)

    def backward(self, F, gg, g, x):
        if self.approximate == "tanh":  # gelu = f * (1 + tanh u): f = x/2, u = b(x + k x^3)
            b, k = _SQRT_2_PI, 0.044715
            inner = (x + x ** 3 * k) * b
            t = F.tanh(inner)
            sech = 1 / F.cosh(inner)
            f = x * 0.5
            dt = 1 - t * t
            du = (x * x * (3 * k) + 1) * b
            d2 = dt * du * 0.5 * 2 + f * du * (2 * sech * (-sech * t) * du) + f * dt * (
                x * (6 * k * b))
        else:  # gelu'' = 2 pdf - x^2 pdf
            x2 = x * x
            pdf = F.exp(x2 * -0.5) * (1 / math.sqrt(2 * math.pi))
            d2 = pdf * 2 - x2 * pdf
        return F.gelu_backward(gg, x, self.approximate), gg * g * d2


class EluBackward0(Unary):
    float_only = True
    saves = "x"
    to_float = True

    def forward(self, x, alpha):
        self.alpha = alpha
        return np.where(x > 0, x, np.expm1(x) * np.asarray(alpha, x.dtype))

    def backward(self, F, g, x):
        return (F.where(x > 0, g, g * (F.exp(x) * self.alpha)),)


class NormalBackward0(_ZeroGrad):

    def forward(self, x, draw):
        return draw(x.shape).astype(x.dtype)


class UniformBackward0(NormalBackward0):
    pass


class SplitBackward0(SliceBackward0):
    """One piece of split() / chunk()."""


class SplitWithSizesBackward0(SliceBackward0):
    pass


class TBackward1(TBackward0):
    """t_()"""


class SqueezeBackward3(SqueezeBackward0):
    """squeeze_()"""


class SqueezeBackward5(SqueezeBackward1):
    """squeeze_(dim)"""


class UnsqueezeBackward1(UnsqueezeBackward0):
    """unsqueeze_(dim)"""



# ============================================================================ in-place


class _Writing(Node):
    """An op that writes ``value`` into (part of) a tensor: the value takes the tensor's
    dtype, with no type promotion. Used through ``inplace``."""

    @classmethod
    def apply(cls, a: Tensor, value, *args) -> Tensor:
        v = value._data if type(value) is Tensor else np.asarray(_number(value))
        node = _new(cls)
        out = node.forward(a._data, v.astype(a._data.dtype, copy=False), *args)
        if _GRAD[0]:
            edges = (edge(a), edge(value) if type(value) is Tensor else None)
            if edges[0] is not None or edges[1] is not None:
                return node.record(out, (a, value), edges)
        return _wrap(out)


class CopyBackwards(_Writing):
    """self.copy_(src): the old values get no gradient, ``src`` gets all of it."""

    def name(self) -> str:
        return "torch::autograd::CopyBackwards"

    def forward(self, a, src):
        sh.check_broadcast_to(src.shape, a.shape, "copy_")
        return np.broadcast_to(src, a.shape).copy()

    def backward(self, F, g, a, src):
        return F.zeros_like(g), g


class FillBackward3(CopyBackwards):
    """fill_(value) with a 0-d tensor, and x[...] = number."""

    name = Node.name


class IndexPutBackward0(_Writing):
    """x[key] = values for advanced keys (index_put_); ``accumulate`` adds instead."""

    frees = ("key",)

    def forward(self, a, v, key, accumulate=False):
        self.key, self.accumulate = key, accumulate
        out = a.copy()
        try:
            if accumulate:
                np.add.at(out, key, v)
            else:
                out[key] = v
        except (ValueError, TypeError):
            raise TorchRuntimeError(
                f"index assignment: a value of shape {list(v.shape)} does not fit the "
                f"indexed positions of a tensor of shape {list(a.shape)}") from None
        return out

    def backward(self, F, g, a, v):
        return (g if self.accumulate else F.zero_at(g, self.key)), g[self.key]


class ZeroBackward0(_ZeroGrad):

    def forward(self, x):
        return np.zeros_like(x)


class FillBackward2(_ZeroGrad):
    """fill_(number)"""

    def forward(self, x, value):
        try:
            return np.full_like(x, value)
        except OverflowError:
            raise TorchRuntimeError(f"fill_(): {value} does not fit in a {dt.BY_NP[x.dtype]} "
                                    "tensor") from None


class CopySlices(Node):
    """In-place op on a view: the base's history gets the op ``fn`` applied to a region."""

    def name(self) -> str:
        return "torch::autograd::CopySlices"

    def backward(self, F, g, *unused):
        if F.numpy:
            result = np.empty_like(self.layout)
            result[...] = g
            region = sh.apply_view(result, self.steps)
            if sh.overlaps(region):  # as torch: a recorded write into an expand fails here
                raise TorchRuntimeError(
                    "backward through a write into an expanded tensor: several of its "
                    "elements share one memory location, so the write has no gradient; "
                    "clone() the expanded tensor before writing into it")
            res = self.fn.run(F, region.copy())
            region[...] = 0 if res[0] is None else res[0]
        else:  # as torch: a copy of g, its region as an as_strided view, the op on a clone
            result = CopyBackwards.apply(_wrap(np.empty(g._data.shape, g._data.dtype)), g)
            data = sh.apply_view(result._data, self.steps)
            if result._rg:
                view_fn = _graft(AsStridedBackward0, (result._grad_fn,), data)
                view_fn.steps, view_fn.in_shape = self.steps, result._data.shape
                region = _wrap(data, view_fn)
            else:
                region = _wrap(data)
            region._ver = b = box(result)
            region._view_ver = b[0]
            region._view = (result, self.steps)
            res = self.fn.run(F, clone(region))
            if res[0] is None:
                inplace(region, FillBackward2, 0)
            else:
                inplace(region, CopyBackwards, res[0])
        return (result, *res[1:])

    def release(self) -> None:
        # as torch: drop the op, not what it saved (a create_graph gradient may still
        # need it, through the op's own node)
        self.fn = None
        self._saved, self._saved_t = FREED, None


class AsStridedBackward0(Node):
    """The grad_fn of a view after an in-place op on it rebased its base's history."""

    def backward(self, F, g, *unused):
        return (F.place(g, self.in_shape, self.steps),)


# ============================================================================ composites


def clone(x: Tensor) -> Tensor:
    return CloneBackward0.apply(x)


def rsub(x: Tensor, number, alpha=1) -> Tensor:
    return RsubBackward1.apply(x, _number(number), alpha)


def pow(x, exponent) -> Tensor:
    if type(x) is not Tensor:
        return PowBackward2.apply(exponent, _number(x))
    if type(exponent) is Tensor:
        return PowBackward1.apply(x, exponent)
    return PowBackward0.apply(x, _number(exponent))


def rtruediv(x: Tensor, number) -> Tensor:
    return MulBackward0.apply(ReciprocalBackward0.apply(x), _number(number))


def remainder(a, b) -> Tensor:
    if type(a) is Tensor and type(b) is not Tensor:
        return RemainderBackward0.apply(a, _number(b))
    return RemainderBackward1.apply(a, b)


def matmul(a: Tensor, b: Tensor) -> Tensor:
    """torch.matmul by torch's own decomposition, so that grad_fn names match."""
    if type(a) is not Tensor or type(b) is not Tensor:
        raise TorchTypeError("matmul() arguments must be Tensors")
    na, nb = a._data.ndim, b._data.ndim
    if na == 0 or nb == 0:
        raise TorchRuntimeError("matmul() needs tensors with at least one dimension, got a "
                                f"{na}-D and a {nb}-D tensor")
    if na == 1 and nb == 1:
        return DotBackward0.apply(a, b)
    if na == 2 and nb == 1:
        return MvBackward0.apply(a, b)
    if na == 1 and nb == 2:
        return SqueezeBackward4.apply(MmBackward0.apply(UnsqueezeBackward0.apply(a, 0), b), 0)
    if na == 2 and nb == 2:
        return MmBackward0.apply(a, b)
    if na == 3 and nb == 3:
        # as torch: an operand with a batch of one that requires grad is squeezed to a matrix
        ba, bb = a._data.shape[0], b._data.shape[0]
        if bb == 1 and ba != 1 and b._rg:
            b, nb = SqueezeBackward1.apply(b, 0), 2
        elif ba == 1 and bb != 1 and a._rg:
            a, na = SqueezeBackward1.apply(a, 0), 2
    if _should_fold(a, b):
        # fold the batch dims of the larger operand into a matrix: one mm or mv
        transpose = nb > na
        t1 = _mT(b) if transpose else a
        t2 = (TBackward0.apply(a, (1, 0)) if na == 2 else a) if transpose else b
        s1 = t1._data.shape
        out_shape = s1[:-1] + ((t2._data.shape[1],) if t2._data.ndim == 2 else ())
        folded = reshape(t1, (sh.numel(s1[:-1]), s1[-1]))
        if t2._data.ndim == 2:
            out = UnsafeViewBackward0.apply(MmBackward0.apply(folded, t2), out_shape)
            if transpose:
                out = _mT(out)
                if not out._data.flags.c_contiguous:
                    out = CloneBackward0.apply(out, "C")
            return out
        return UnsafeViewBackward0.apply(MvBackward0.apply(folded, t2), out_shape)
    # broadcast the batch dims, fold them into one, bmm, unfold
    sa, sb = a._data.shape, b._data.shape
    n = sa[-2] if na > 1 else 1
    k, k2 = sa[-1], (sb[-2] if nb > 1 else sb[0])
    m = sb[-1] if nb > 1 else 1
    if k != k2:
        raise TorchRuntimeError(
            f"matmul(): shapes {list(sa)} and {list(sb)} cannot be multiplied (the inner sizes "
            f"{k} and {k2} differ)"
        )
    batch = sh.broadcast_shapes(sa[:max(na - 2, 0)], sb[:max(nb - 2, 0)])
    size = sh.numel(batch)
    b2 = b if nb > 1 else UnsqueezeBackward0.apply(b, 1)
    ae = reshape(expand(a, batch + (n, k)), (size, n, k))
    be = reshape(expand(b2, batch + (k, m)), (size, k, m))
    out = BmmBackward0.apply(ae, be)
    shape = batch + ((n,) if na > 1 else ()) + ((m,) if nb > 1 else ())
    return UnsafeViewBackward0.apply(out, shape)


def _mT(x: Tensor) -> Tensor:
    n = x._data.ndim
    return TransposeBackward0.apply(x, tuple(range(n - 2)) + (n - 1, n - 2))


def _should_fold(a: Tensor, b: Tensor) -> bool:
    """torch's rule for folding a batched matmul into one mm/mv (which decides the graph)."""
    na, nb = a._data.ndim, b._data.ndim
    larger = na >= nb
    t1 = a._data if larger else b._data.swapaxes(-1, -2)
    if not (t1.ndim >= 3 and (nb if larger else na) <= 2):
        return False
    if (b if larger else a)._rg:
        return True
    if na == 2:
        return False
    if t1.size == 0:
        return True
    shape, strides = t1.shape, t1.strides
    return all(strides[i] == strides[i + 1] * shape[i + 1] for i in range(t1.ndim - 2))


def expand(x: Tensor, shape: tuple) -> Tensor:
    return ExpandBackward0.apply(x, sh.expand_shape(x._data.shape, shape))


def reshape(x: Tensor, shape: tuple) -> Tensor:
    """torch.reshape: a view when the layout allows (ViewBackward0 on a contiguous tensor,
    ReshapeAliasBackward0 otherwise), else a contiguous copy (UnsafeViewBackward0)."""
    shape = sh.infer_shape(shape, x._data.size, "reshape")
    if x._data.flags.c_contiguous:
        return ViewBackward0.apply(x, shape)
    if _view_forward(x._data, shape) is not None:
        return ReshapeAliasBackward0.apply(x, shape)
    return UnsafeViewBackward0.apply(CloneBackward0.apply(x, "C"), shape)


def unbind(x: Tensor, dim: int = 0) -> tuple:
    if not x._data.ndim:
        raise TorchIndexError("unbind() needs a tensor with at least one dimension")
    dim = sh.norm_dim(dim, x._data.ndim)
    check_tensor_count(x._data.shape[dim], "unbind()")
    return tuple(UnbindBackward0.apply(x, dim, i) for i in range(x._data.shape[dim]))


# ----------------------------------------------------------------------------- indexing


def getitem(x: Tensor, key) -> Tensor:
    sh.check_index(x._data.shape, key)  # before index lists become arrays
    steps, advanced = sh.parse_index(key, x._data.shape)
    for name, dim, arg in steps:
        if name == "select":
            x = SelectBackward0.apply(x, dim, arg)
        elif name == "slice":
            x = SliceBackward0.apply(x, dim, arg)
        else:
            x = UnsqueezeBackward0.apply(x, dim)
    if advanced is not None:
        x = IndexBackward0.apply(x, advanced)
    elif not steps:
        x = AliasBackward0.apply(x)
    return x


class AliasBackward0(View):
    """x[...]: the same elements, as a view."""

    def forward(self, x):
        return x.view()

    def backward(self, F, g, x):
        return (g,)


def setitem(x: Tensor, key, value) -> None:
    """x[key] = value: an in-place write into a view of x (CopySlices), as torch does."""
    sh.check_index(x._data.shape, key)  # the positions the index arrays broadcast to
    steps, advanced = sh.parse_index(key, x._data.shape, reading=False)
    if type(value) is not Tensor:
        value = _number(value)
    if not (_GRAD[0] and (x._rg or (type(value) is Tensor and value._rg))):
        target = x._data
        for name, dim, arg in steps:
            target = target[sh.step_key(name, dim, arg)]
        check_inplace(x, written=target)
        vd = value._data if type(value) is Tensor else np.asarray(value)
        if advanced is None:
            sh.check_broadcast_to(vd.shape, target.shape, "index assignment")
        try:
            target[advanced if advanced is not None else ...] = vd
        except (ValueError, TypeError, OverflowError):
            raise TorchRuntimeError(
                f"index assignment: a value of shape {list(vd.shape)} and dtype "
                f"{dt.BY_NP.get(vd.dtype, vd.dtype)} cannot be written into the indexed "
                f"positions of this {x.dtype} tensor") from None
        bump(x)
        return
    view = x
    for name, dim, arg in steps:
        if name == "select":
            view = SelectBackward0.apply(view, dim, arg)
        elif name == "slice":
            view = SliceBackward0.apply(view, dim, arg)
        else:
            view = UnsqueezeBackward0.apply(view, dim)
    if advanced is not None:
        inplace(view, IndexPutBackward0, value, advanced)
    else:
        inplace(view, CopyBackwards if type(value) is Tensor else FillBackward3, value)


# ----------------------------------------------------------------------------- in-place ops


def check_inplace(x: Tensor, recording: bool = False, written=None,
                  overlap_ok: bool = False) -> None:
    """torch's rules for writing into ``x`` (or into its part ``written``): not a leaf that
    requires grad (nor a view of one) while grad mode is on; not a view made under no_grad
    when the write is recorded; not where written elements overlap (expand)."""
    if recording and x._view_nograd:
        raise TorchRuntimeError(
            "this view was made under no_grad() and is now modified in place with grad "
            "mode on, which is ambiguous; make the view and the in-place change both "
            "inside no_grad() or both outside it"
        )
    if _GRAD[0]:
        if x._rg and x._grad_fn is None:
            raise TorchRuntimeError(
                "a leaf Variable that requires grad is being used in an in-place operation."
            )
        if x._view is not None:
            base = x._view[0]
            if base._rg and base._grad_fn is None:
                raise TorchRuntimeError(
                    "a view of a leaf Variable that requires grad is being used in an in-place "
                    "operation."
                )
    if written is None:
        written = x._data
    if not written.flags.writeable or (sh.overlaps(written) and not overlap_ok):
        raise TorchRuntimeError(
            "cannot write into this tensor in place: several of its elements share one memory "
            "location (it comes from expand()); clone() it first"
        )


def inplace(x: Tensor, cls, *args, overlap_ok: bool = False) -> Tensor:
    """x.<op>_(*args): compute the op out of place, write it into x's storage, bump x's
    version, and make the op x's history (CopySlices on the base if x is a view).
    ``overlap_ok``: fill_ and zero_, which torch lets write into an expanded tensor."""
    other = args[0] if args else None
    if x._view is not None:
        refresh(x)
    recording = _GRAD[0] and (x._rg or (type(other) is Tensor and other.requires_grad))
    check_inplace(x, recording, overlap_ok=overlap_ok)
    src = x
    first = cls.saves[:1]
    if recording and (first == "x" or (first == "o" and type(other) is Tensor and other._rg)):
        src = _wrap(x._data.copy(), x._grad_fn)  # the old values, which backward reads
        src._rg = x._rg
    r = cls.apply(src, *args)
    out = r._data
    if out.shape != x._data.shape:
        raise TorchRuntimeError(
            f"in-place op: the result has shape {list(out.shape)} (after broadcasting) but the "
            f"tensor written to has shape {list(x._data.shape)}"
        )
    if not dt.can_cast(dt.BY_NP[out.dtype], dt.BY_NP[x._data.dtype]):
        raise TorchRuntimeError(
            f"in-place op: a {dt.BY_NP[out.dtype]} result cannot be stored in a "
            f"{dt.BY_NP[x._data.dtype]} tensor; use the out-of-place op instead"
        )
    np.copyto(x._data, out, casting="unsafe")
    bump(x)
    if recording and r._grad_fn is not None:
        node = r._grad_fn
        if cls.saves_result:  # as torch: the saved result is x itself, at its new version
            node._saved = node._saved[:-1] + (x._data,)
            node._outbox = b = box(x)
            node._outver = b[0]
        node._dtype = x._data.dtype  # the gradient it gets is that of x, cast or not
        if src is not x and src._grad_fn is not None and node._saved_t:
            # as torch: the old values are saved as a clone of x, so that a create_graph
            # backward reads them through a CloneBackward0 (the node's edge stays x's)
            kept = _wrap(src._data, _graft(CloneBackward0, (src._grad_fn,), src._data))
            node._saved_t = tuple(kept if v is src else v for v in node._saved_t)
        _rebase(x, node)
    return x


def inplace_view(x: Tensor, cls, *args) -> Tensor:
    """t_(), squeeze_(), unsqueeze_(): x itself takes the view's shape and history."""
    check_inplace(x)
    r = cls.apply(x, *args)
    x._data = r._data
    if r._grad_fn is not None:  # (a retained grad stays with the old node, as in torch)
        x._grad_fn, x._rg = r._grad_fn, True
    return x


def expanded_result(g: np.ndarray) -> Tensor:
    """A gradient that is an expansion (zero strides), as torch's autograd.grad hands it
    back: a view, made outside grad mode, of one stored value per expanded run, so that
    writing one element writes them all and a recorded in-place write is refused."""
    src = np.array(g[tuple(slice(0, 1) if st == 0 else slice(None) for st in g.strides)])
    base = _wrap(src)
    strides = np.broadcast_to(src, g.shape).strides
    t = _wrap(np.lib.stride_tricks.as_strided(src, g.shape, strides, writeable=True))
    t._view_nograd = True
    t._ver = b = box(base)
    t._view_ver = b[0]
    t._view = (base, (("expand", g.shape),))
    return t


def refresh(t: Tensor) -> None:
    """Bring a view's history up to date after its storage was written in place through
    another view or its base: as torch, it becomes an AsStridedBackward0 of the base."""
    version = t._ver[0]
    if t._view_ver == version:
        return
    t._view_ver = version
    base, steps = t._view
    if base._rg and not t._view_nograd:
        fn = _graft(AsStridedBackward0, (base._grad_fn or base,), t._data)
        fn.steps, fn.in_shape = steps, base._data.shape
        _move_retain(t, fn)
        t._grad_fn, t._rg = fn, True


def _graft(cls, edges: tuple, like: np.ndarray) -> Node:
    """A node built by hand (not by an op's apply), with nothing saved."""
    node = _new(cls)
    node._next, node._seq, node._shape, node._dtype = edges, next(_seq), like.shape, like.dtype
    return node


def _move_retain(x: Tensor, node: Node) -> None:
    """As torch: a tensor that retains its grad keeps doing so across in-place ops, whose
    node becomes the one whose gradient is kept."""
    if x._retains and x._grad_fn is not None:
        node._retain, x._grad_fn._retain = x._grad_fn._retain, None
        node._pre = True


def _rebase(x: Tensor, node: Node) -> None:
    """Make ``node`` (an in-place op on x) part of x's history."""
    if x._view is None:
        _move_retain(x, node)
        x._grad_fn, x._rg = node, True
        return
    base, steps = x._view
    cs = _graft(CopySlices, (base._grad_fn or (base if base._rg else None),) + node._next[1:],
                base._data)
    cs.steps, cs.fn, cs.layout = steps, node, base._data
    # as torch: a CopySlices is released by a backward that does not retain the graph, and
    # a later backward through it refuses, whether or not its op saved anything
    cs._saved = cs._saved_t = ()
    _move_retain(base, cs)
    base._grad_fn, base._rg = cs, True
    view_fn = _graft(AsStridedBackward0, (cs,), x._data)
    view_fn.steps, view_fn.in_shape = steps, base._data.shape
    x._grad_fn, x._rg = view_fn, True
    x._view_ver = x._ver[0]


# ============================================================================ backends


def _imul(t, g):
    """t * g, in place into ``t`` when t is a fresh array of the result's shape and dtype."""
    if type(t) is _ndarray and t.base is None and t.flags.writeable and (
            t.shape == g.shape or g.ndim == 0) and t.dtype == g.dtype:
        return np.multiply(t, g, out=t)
    return t * g


def _place(F, g, shape, steps):
    """The gradient of a base of ``shape`` from the gradient ``g`` of its view made by
    ``steps``: each step's backward in reverse (an index step puts g into zeros, an expand
    step sums the expanded dims back)."""
    dummy = np.lib.stride_tricks.as_strided(np.zeros((), np.int8), shape, (0,) * len(shape))
    shapes = [shape]
    for step in steps:
        dummy = sh.apply_view(dummy, (step,))
        shapes.append(dummy.shape)
    for (kind, arg), before in zip(reversed(steps), reversed(shapes[:-1])):
        if kind == "index":
            g = F.index_place(g, before, arg)
        elif kind == "reshape":
            g = g.reshape(before)
        elif kind == "expand":
            g = sh.unbroadcast(g, before)
        else:
            g = F.permute(g, tuple(np.argsort(arg).tolist()))
    return g


def _np_index_place(g, shape, key):
    z = np.zeros(shape, g.dtype)
    z[key] = g
    return z


def _np_index_add(g, shape, key):
    z = np.zeros(shape, g.dtype)
    np.add.at(z, key, g)
    return z


def _np_zero_at(g, key):
    h = np.array(g)
    h[key] = 0
    return h


def _np_sum(x, axes, keepdim):
    return x.sum(axis=axes, keepdims=keepdim)


def _np_mean(x, axes, keepdim):
    n = x.size if axes is None else sh.numel(tuple(x.shape[a] for a in axes))
    return x.sum(axis=axes, keepdims=keepdim) / n


def _count(mask, axes):
    """How many elements of a mask are set over ``axes`` (all when None), kept as dims; a
    constant, as a float32 array so it does not change the gradient's dtype."""
    m = mask._data if type(mask) is Tensor else np.asarray(mask)
    return m.sum(axis=axes, keepdims=axes is not None).astype(_f32)


class NP:
    """The numpy backend for backward formulas (no graph is recorded)."""

    numpy = True
    where = staticmethod(np.where)
    exp = staticmethod(np.exp)
    log = staticmethod(np.log)
    cos = staticmethod(np.cos)
    sin = staticmethod(np.sin)
    cosh = staticmethod(np.cosh)
    tanh = staticmethod(np.tanh)
    sinh = staticmethod(np.sinh)
    sign = sgn = staticmethod(np.sign)

    masked_fill = staticmethod(_masked_fill)

    @staticmethod
    def masked_select(x, mask):
        return x[np.broadcast_to(mask, x.shape)]
    abs = staticmethod(np.abs)
    floor = staticmethod(np.floor)
    isnan = staticmethod(np.isnan)
    outer = staticmethod(np.multiply.outer)
    expand = staticmethod(np.broadcast_to)
    sum = staticmethod(_np_sum)
    mean = staticmethod(_np_mean)
    imul = staticmethod(_imul)
    index_place = staticmethod(_np_index_place)

    @staticmethod
    def data(x):
        return x

    @classmethod
    def place(cls, g, shape, steps):
        return _place(cls, g, shape, steps)
    index_add = staticmethod(_np_index_add)
    zero_at = staticmethod(_np_zero_at)

    @staticmethod
    def rsqrt(x):
        return 1 / np.sqrt(x)

    @staticmethod
    def mT(x):
        return x.swapaxes(-1, -2)

    @staticmethod
    def t(x):
        return x.T

    @staticmethod
    def permute(x, perm):
        return x.transpose(perm)

    count = staticmethod(_count)
    zeros_like = staticmethod(np.zeros_like)

    @staticmethod
    def const(a):
        return a

    @staticmethod
    def mean_expand(g, shape, n):
        return np.broadcast_to(g / n, shape)  # a view: no memory for the expanded gradient

    @staticmethod
    def flip(x, dims):
        return np.flip(x, dims)

    tanh_backward = staticmethod(_tanh_backward)
    sigmoid_backward = staticmethod(_sigmoid_backward)
    threshold_backward = staticmethod(_threshold_backward)
    softplus_backward = staticmethod(_softplus_backward)

    @staticmethod
    def gelu_backward(g, x, approximate):
        return (g * _gelu_slope(x, approximate)).astype(g.dtype, copy=False)

    @staticmethod
    def sigmoid(x):
        return 1 / (1 + np.exp(-x))
    softmax_backward = staticmethod(_softmax_backward)
    log_softmax_backward = staticmethod(_log_softmax_backward)

    @staticmethod
    def cumsum(x, dim):
        return np.cumsum(x, axis=dim)

    @staticmethod
    def cumprod(x, dim):
        return np.cumprod(x, axis=dim)

    @staticmethod
    def cat(arrays, dim):
        return np.concatenate(arrays, axis=dim)


def _t(x):
    """A backward-formula operand as a Tensor (masks and constants arrive as arrays)."""
    return x if type(x) is Tensor else _wrap(np.asarray(x))


def _ts_where(c, a, b):
    from adcli.engine.api import where

    return where(_t(c), a, b)


def _ts_index_place(g, shape, key):
    z = _wrap(np.zeros(shape, g._data.dtype))
    inplace(getitem(z, key), CopyBackwards, g)
    return z


class IndexPutImplBackward0(IndexPutBackward0):
    """index_put_ with accumulate=True into zeros: indexing's backward, as torch records it."""


def _ts_index_add(g, shape, key):
    return IndexPutImplBackward0.apply(_wrap(np.zeros(shape, g._data.dtype)), g, key, True)


def _ts_zero_at(g, key):
    h = clone(g)
    inplace(h, IndexPutBackward0, 0.0, key)
    return h


def _ts_sum(x, axes, keepdim):
    if axes is None:
        return SumBackward0.apply(x)
    return SumBackward1.apply(x, tuple(axes), keepdim)


def _ts_mean(x, axes, keepdim):
    if axes is None:
        return MeanBackward0.apply(x)
    return MeanBackward1.apply(x, tuple(axes), keepdim)


class TS:
    """The Tensor backend: formulas build a graph, so gradients can be differentiated."""

    numpy = False
    where = staticmethod(_ts_where)
    exp = staticmethod(ExpBackward0.apply)
    log = staticmethod(LogBackward0.apply)
    cos = staticmethod(CosBackward0.apply)
    sin = staticmethod(SinBackward0.apply)
    cosh = staticmethod(CoshBackward0.apply)
    tanh = staticmethod(TanhBackward0.apply)
    sinh = staticmethod(SinhBackward0.apply)
    sign = staticmethod(SignBackward0.apply)
    sgn = staticmethod(SgnBackward0.apply)

    @staticmethod
    def masked_fill(x, mask, value):
        mask = mask._data if type(mask) is Tensor else mask
        if type(value) is Tensor:
            return MaskedFillBackward1.apply(x, value, mask)
        return MaskedFillBackward0.apply(x, mask, value)

    @staticmethod
    def masked_select(x, mask):
        mask = mask._data if type(mask) is Tensor else mask
        return MaskedSelectBackward0.apply(x, np.broadcast_to(mask, x._data.shape))
    abs = staticmethod(AbsBackward0.apply)
    floor = staticmethod(FloorBackward0.apply)
    rsqrt = staticmethod(RsqrtBackward0.apply)
    sum = staticmethod(_ts_sum)
    mean = staticmethod(_ts_mean)
    index_place = staticmethod(_ts_index_place)

    @classmethod
    def place(cls, g, shape, steps):
        return _place(cls, g, shape, steps)
    index_add = staticmethod(_ts_index_add)
    zero_at = staticmethod(_ts_zero_at)
    const = staticmethod(_t)

    @staticmethod
    def data(x):
        return x._data

    @staticmethod
    def isnan(x):
        return _wrap(np.isnan(x._data))

    @staticmethod
    def count(mask, axes):
        # as torch: a sum of bools is int64, which leaves the gradient's dtype alone
        return _wrap(_count(mask, axes).astype(_i64))

    @staticmethod
    def zeros_like(g):
        return _wrap(np.zeros_like(g._data))

    @staticmethod
    def outer(a, b):
        return MulBackward0.apply(reshape(a, (-1, 1)), b)

    @staticmethod
    def expand(g, shape):
        return expand(_t(g), shape)

    @staticmethod
    def mean_expand(g, shape, n):
        return DivBackward1.apply(expand(g, shape), n)  # torch's order: a fresh tensor

    @staticmethod
    def imul(t, g):
        return t * g

    @staticmethod
    def mT(x):
        n = x._data.ndim
        return TransposeBackward0.apply(x, tuple(range(n - 2)) + (n - 1, n - 2))

    @staticmethod
    def t(x):
        return TBackward0.apply(x, (1, 0))

    @staticmethod
    def permute(x, perm):
        return PermuteBackward0.apply(x, perm)

    @staticmethod
    def flip(x, dims):
        return FlipBackward0.apply(x, dims)

    tanh_backward = staticmethod(TanhBackwardBackward0.apply)
    sigmoid_backward = staticmethod(SigmoidBackwardBackward0.apply)
    threshold_backward = staticmethod(ThresholdBackwardBackward0.apply)
    softplus_backward = staticmethod(SoftplusBackwardBackward0.apply)
    gelu_backward = staticmethod(GeluBackwardBackward0.apply)
    sigmoid = staticmethod(SigmoidBackward0.apply)
    softmax_backward = staticmethod(SoftmaxBackwardDataBackward0.apply)
    log_softmax_backward = staticmethod(LogSoftmaxBackwardDataBackward0.apply)

    @staticmethod
    def cumsum(x, dim):
        return CumsumBackward0.apply(x, dim)

    @staticmethod
    def cumprod(x, dim):
        return CumprodBackward0.apply(x, dim)

    @staticmethod
    def cat(tensors, dim):
        return CatBackward0.apply([_t(t) for t in tensors], dim)


# Inside a create_graph backward the formulas stand for torch's C++ ones, where a Python
# number is a Scalar: t * 2 is mul(Tensor, Scalar) and records MulBackward1, and 1 - t
# fills a tensor with 1 and subtracts t (SubBackward0). A script's t * 2 wraps the 2 as a
# tensor instead and records MulBackward0. run_backward swaps these operators in while it
# records a backward pass, so that second-order graphs carry torch's node names.
_NUMBERS = (int, float)


def _formula_add(a, b, alpha=1):
    if type(b) in _NUMBERS and alpha == 1:
        return AddBackward1.apply(a, b)
    return AddBackward0.apply(a, b, alpha)


def _formula_sub(a, b, alpha=1):
    if type(b) in _NUMBERS and alpha == 1:
        return SubBackward1.apply(a, b)
    return SubBackward0.apply(a, b, alpha)


def _formula_mul(a, b):
    if type(b) in _NUMBERS:
        return MulBackward1.apply(a, b)
    return MulBackward0.apply(a, b)


def _formula_div(a, b):
    if type(b) in _NUMBERS:
        return DivBackward1.apply(a, b)
    return DivBackward0.apply(a, b)


def _filled(like: Tensor, number) -> Tensor:
    data = _with_scalars(like._data, number)
    return _wrap(np.full(data.shape, number, data.dtype))


def _formula_rsub(a, b):
    return SubBackward0.apply(_filled(a, b), a)


def _formula_rdiv(a, b):
    return DivBackward0.apply(_filled(a, b), a)


_FORMULA_OPERATORS = {
    "__add__": _formula_add, "__radd__": _formula_add, "__sub__": _formula_sub,
    "__rsub__": _formula_rsub, "__mul__": _formula_mul, "__rmul__": _formula_mul,
    "__truediv__": _formula_div, "__rtruediv__": _formula_rdiv,
}


_SWAPPED: list = []  # the operators each active formula_operators() replaced


def formula_operators() -> dict:
    """Give Tensor the operators of backward formulas; return the ones it had."""
    before = {name: Tensor.__dict__[name] for name in _FORMULA_OPERATORS}
    _SWAPPED.append(before)
    for name, fn in _FORMULA_OPERATORS.items():
        setattr(Tensor, name, fn)
    return before


def restore_operators(before: dict) -> None:
    for name, fn in before.items():
        setattr(Tensor, name, fn)
    _SWAPPED.pop()


def call_user(fn, *args):
    """Call a script's function (a hook) from inside a backward pass: with the operators
    of scripts, so that its `g * 2` is recorded as a script's would be."""
    if not _SWAPPED:
        return fn(*args)
    current = {name: Tensor.__dict__[name] for name in _FORMULA_OPERATORS}
    for name, op in _SWAPPED[0].items():
        setattr(Tensor, name, op)
    try:
        return fn(*args)
    finally:
        for name, op in current.items():
            setattr(Tensor, name, op)

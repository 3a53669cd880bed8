"""The kinds of op that the grad_fn classes build on: Unary, Binary (with torch's type
promotion of tensors and Python numbers, and a fast path for small float tensors), Nary,
Bilinear and View. Each records a node when an input requires grad.
"""

from __future__ import annotations

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine import shape as sh
from adcli.engine.tensor import (
    _FORMULA,
    _FWD,
    _GRAD,
    _INFERENCE,
    INFERENCE_SAVED,
    Node,
    Tensor,
    _seq,
    _version_of,
    _wrap,
    box,
    edge,
    refresh,
)
from adcli.errors import (
    TorchNotImplementedError,
    TorchRuntimeError,
    TorchTypeError,
)

_ndarray = np.ndarray
_new = object.__new__
_DEFAULT_FLOAT = dt.DEFAULT_FLOAT_NP  # integer inputs of float ops become this
_i64 = np.dtype(np.int64)
_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


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
            return data.astype(_DEFAULT_FLOAT[0])
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
            ad = ad.astype(_DEFAULT_FLOAT[0])
        if type(bd) is _ndarray and bd.dtype.kind not in "fc":
            bd = bd.astype(_DEFAULT_FLOAT[0])
    return ad, bd


_BY_NAME: dict = {}  # every Unary and Binary class by name (a Binary's ``scalar`` names one)


class Unary(Node):
    """An op on one tensor; extra arguments are parameters kept on the node."""

    to_float = False  # integer inputs are computed in the default float type (exp, sin...)
    float_only = False  # integer inputs are refused, as torch has no kernel for them
    _custom_apply = False

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _BY_NAME[cls.__name__] = cls
        if not cls._custom_apply:  # a plain function per op: one call less on the hot path
            cls.apply = staticmethod(_unary_apply(cls))


def _unary_apply(cls):
    fwd = getattr(cls, "forward", None)
    if isinstance(fwd, np.ufunc):
        takes_args = fwd.nin > 1
    else:
        takes_args = fwd is None or fwd.__code__.co_argcount > 2 or fwd.__code__.co_flags & 4
    # the fast path: an elementwise ufunc on a float32/float64 tensor, recorded inline; a
    # kernel marked ``elementwise_float`` (same shape and dtype out, e.g. a correctly
    # rounded sin) takes it too
    ufunc = fwd if (isinstance(fwd, np.ufunc) and fwd.nin == 1) or getattr(
        fwd, "elementwise_float", False) else None
    cls._exact = ufunc is not None
    plan = cls._plan
    save_x = bool(plan and plan[0])
    save_out = cls.saves_result
    assert ufunc is None or not cls.frees, cls

    def apply(x: Tensor, *args) -> Tensor:
        """Run the op on tensor ``x``; record it when ``x`` requires grad."""
        if _FWD[0] is not None:  # forward AD: through the active dual level
            return _FWD[0].run(cls, apply, (x, *args))
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
                if _INFERENCE[0]:
                    t._inf = True
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
                kernel = _KERNELS.get(cls.__name__)
                if kernel:
                    raise TorchNotImplementedError(
                        f"\"{kernel}\" not implemented for '{dt.BY_NP[data.dtype].legacy}'")
                raise TorchNotImplementedError(
                    f"{cls.__name__[:-9].lower()}() is not implemented for {dt.BY_NP[data.dtype]}"
                    " tensors; convert to float first, e.g. x.float()")
            if cls.to_float:
                data = data.astype(_DEFAULT_FLOAT[0])
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
    scalar = None  # the name of the op for a Python-number ``b`` in a backward formula
    precheck = None  # called with (a, b) before their dtypes are promoted

    def __init_subclass__(cls, **kwargs):
        super().__init_subclass__(**kwargs)
        _BY_NAME[cls.__name__] = cls
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
    scalar = cls.scalar

    def apply(a, b, *args) -> Tensor:
        """Run the op on ``a`` and ``b`` (at least one a Tensor); record it when one of them
        requires grad."""
        if _FWD[0] is not None:  # forward AD: through the active dual level
            return _FWD[0].run(cls, apply, (a, b, *args))
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
                if _FORMULA[0] and scalar is not None:
                    return _BY_NAME[scalar].apply(a, b)
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
                    if _INFERENCE[0]:
                        t._inf = True
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
                    if (ka and a._inf) or (kb and tb is Tensor and b._inf):
                        raise TorchRuntimeError(INFERENCE_SAVED)
                    if (ka and a._ver is not None) or (kb and tb is Tensor and b._ver is not None):
                        node._vers = (_version_of(kept[0]), _version_of(kept[1]))
                return t
        return _binary_general(cls, a, b, args, to_float, scalar)
    return apply


def _binary_general(cls, a, b, args: tuple, to_float: bool, scalar):
    """A Binary op the general way: any dtypes (promoted as torch), broadcasting, Python
    numbers, extra arguments; recorded through ``Node.record``."""
    if cls.precheck is not None:
        cls.precheck(a, b)
    if _FORMULA[0] and scalar is not None and not args and (type(b) is int or
                                                            type(b) is float):
        # in a backward formula (create_graph), a Python number is a Scalar as in
        # torch's C++ formulas: t * 2 records MulBackward1 (a script's records MulBackward0)
        return _BY_NAME[scalar].apply(a, b)
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


class Nary(Node):
    """An op on a list of tensors (cat, stack, where, clamp with tensor bounds)."""

    @classmethod
    def apply(cls, inputs, *args) -> Tensor:
        if _FWD[0] is not None:  # forward AD: through the active dual level
            return _FWD[0].run(cls, cls.apply, (inputs, *args))
        node = _new(cls)
        out = node.forward([x._data if type(x) is Tensor else x for x in inputs], *args)
        if type(out) is not _ndarray:
            out = np.asarray(out)
        if _GRAD[0]:
            edges = []
            live = False
            for x in inputs:
                e = None
                if type(x) is Tensor:
                    if x._view is not None:
                        refresh(x)
                    e = x._grad_fn or (x if x._rg else None)
                    if e is not None:
                        live = True
                edges.append(e)
            if live:
                return node.record(out, tuple(inputs), tuple(edges))
        return _wrap(out)


def _dtype_mismatch(what: str, a: dt.dtype, b: dt.dtype) -> str:
    """torch's words for a product of two dtypes (each kernel has its own)."""
    if what == "mm()":
        return (f"expected m1 and m2 to have the same dtype, but got: {dt.CPP_NAMES[a.name]} "
                f"!= {dt.CPP_NAMES[b.name]}")
    if what == "mv()":  # addmv's check: (the result, which takes vec's dtype, mat, vec)
        return (f"addmv input tensors must have the same dtype, but got {b.legacy}, "
                f"{a.legacy}, and {b.legacy}")
    if what == "bmm()":
        return f"expected scalar type {a.legacy} but found {b.legacy}"
    if what in ("dot()", "vdot()"):
        return (f"dot : expected both vectors to have same dtype, but found {a.legacy} and "
                f"{b.legacy}")
    return (f"{what}: both operands must have the same dtype, got {a} and {b}; convert one "
            "with .to(...)")


class Bilinear(Node):
    """mm, mv, dot, bmm: two tensors of one dtype, no broadcasting."""

    @classmethod
    def apply(cls, a: Tensor, b: Tensor) -> Tensor:
        if _FWD[0] is not None:  # forward AD: through the active dual level
            return _FWD[0].run(cls, cls.apply, (a, b))
        ad, bd = a._data, b._data
        if ad.dtype != bd.dtype:
            raise TorchRuntimeError(_dtype_mismatch(cls.what, dt.BY_NP[ad.dtype],
                                                    dt.BY_NP[bd.dtype]))
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
        if _FWD[0] is not None:  # forward AD: through the active dual level
            return _FWD[0].run(cls, cls.apply, (x, *args))
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
                # as torch: a view made under no_grad requires grad (as a leaf) when its
                # base does: x's own base if x is a view (x = arange(6.).view(2, 3)
                # .requires_grad_() has a base that does not), else x
                if x._rg and (x._view is None or x._view[0]._rg):
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


# the CPU kernels that refuse integer/bool input, as torch names them in its message
_KERNELS = {
    "LogcumsumexpBackward0": "logcumsumexp_out_cpu", "SoftplusBackward0": "softplus_cpu",
    "LogSigmoidBackward0": "log_sigmoid_cpu", "LeakyReluBackward0": "leaky_relu_cpu",
    "LeakyReluBackward1": "leaky_relu_cpu", "GeluBackward0": "GeluKernelImpl",
    "EluBackward0": "elu_cpu", "HardsigmoidBackward0": "hardsigmoid_cpu",
    "HardswishBackward0": "hardswish_cpu", "HardshrinkBackward0": "hardshrink_cpu",
    "SoftshrinkBackward0": "softshrink_check", "GluBackward0": "glu_cpu",
    "SiluBackward0": "silu_cpu", "MishBackward0": "mish_cpu",
}

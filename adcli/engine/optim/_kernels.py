"""ATen's CPU pointwise kernels as the optimizers call them, on numpy arrays, rounding as
torch rounds.

Every kernel computes in the "opmath" type of the tensor's dtype (float32 for float16 and
float32, float64 for float64), with a Python-number operand (a ``Scalar``: lr, momentum,
a bias correction) first cast to that type, and rounds the result to the tensor's dtype.
What was established against torch 2.13 on CPU, bit for bit over sizes that exercise both
the vectorised loop and its scalar tail (see tools/gen_optim_fixtures.py):

- ``add(a, b, alpha=s)`` is one fused multiply-add, ``fma(b, s, a)`` (``vec::fmadd`` in the
  ufunc ``add``; the scalar tail contracts the same way);
- ``a.mul_(s)`` is one rounding of ``a * s``; ``a / s`` is a true division by ``s`` cast
  (no multiplication by a reciprocal); ``a.add_(s)`` is one rounding of ``a + s``;
- ``addcmul(a, t1, t2, value=s)`` is ``fma(s * t1, t2, a)`` (the product ``s * t1``
  rounded first);
- ``addcdiv(a, t1, t2, value=s)`` is ``a + (s * t1) / t2``, each step rounded;
- ``lerp(a, b, w)`` with a number weight is Lerp.h's two branches:
  ``fma(w, b - a, a)`` where ``|w| < 0.5``, else ``fma(w - 1, b - a, b)``.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine.fma import fma32, fma64

_F32 = np.float32
_F64 = np.float64


def opmath(a: np.ndarray):
    """The numpy type a kernel computes in for an array of ``a``'s dtype."""
    return _F64 if a.dtype == _F64 else _F32


def _fma(a, b, c, op) -> np.ndarray:
    return fma64(a, b, c) if op is _F64 else fma32(a, b, c)


def _out(r, like: np.ndarray) -> np.ndarray:
    return r if r.dtype == like.dtype else r.astype(like.dtype)


def add(a: np.ndarray, b: np.ndarray, alpha) -> np.ndarray:
    """``a.add(b, alpha=alpha)``: ``fma(b, alpha, a)``, one rounding."""
    if alpha == 1:
        if a.dtype == _F32 or a.dtype == _F64:
            return a + b
        return _out(a.astype(_F32) + b.astype(_F32), a)
    op = opmath(a)
    return _out(_fma(b, op(alpha), a, op), a)


def mul(a: np.ndarray, s) -> np.ndarray:
    """``a.mul(s)`` with a number ``s``."""
    op = opmath(a)
    if a.dtype == op:
        return a * op(s)
    return _out(a.astype(op) * op(s), a)


def div(a: np.ndarray, s) -> np.ndarray:
    """``a / s`` with a number ``s``."""
    op = opmath(a)
    if a.dtype == op:
        return a / op(s)
    return _out(a.astype(op) / op(s), a)


def add_scalar(a: np.ndarray, s) -> np.ndarray:
    """``a.add(s)`` with a number ``s``."""
    op = opmath(a)
    if a.dtype == op:
        return a + op(s)
    return _out(a.astype(op) + op(s), a)


def addcmul(a: np.ndarray, t1: np.ndarray, t2: np.ndarray, value) -> np.ndarray:
    """``a.addcmul(t1, t2, value=value)``: ``fma(value * t1, t2, a)``."""
    op = opmath(a)
    v = op(value)
    s = t1 if v == 1 else (-t1 if v == -1 else t1.astype(op, copy=False) * v)
    return _out(_fma(s, t2, a, op), a)


def addcdiv(a: np.ndarray, t1: np.ndarray, t2: np.ndarray, value) -> np.ndarray:
    """``a.addcdiv(t1, t2, value=value)``: ``a + (value * t1) / t2``."""
    op = opmath(a)
    if a.dtype == op and t1.dtype == op and t2.dtype == op:
        v = op(value)
        return a + ((t1 if v == 1 else t1 * v) / t2)
    r = a.astype(op) + (t1.astype(op) * op(value)) / t2.astype(op)
    return _out(r, a)


def lerp(a: np.ndarray, b: np.ndarray, weight) -> np.ndarray:
    """``a.lerp(b, weight)`` with a number weight, Lerp.h's two branches."""
    op = opmath(a)
    w = op(weight)
    like = a
    if a.dtype != op:
        a, b = a.astype(op), b.astype(op)
    diff = b - a
    r = _fma(w, diff, a, op) if abs(w) < 0.5 else _fma(w - op(1), diff, b, op)
    return _out(r, like)


def sqrt(a: np.ndarray) -> np.ndarray:
    op = opmath(a)
    if a.dtype == op:
        return np.sqrt(a)
    return _out(np.sqrt(a.astype(op)), a)


def write(t, values: np.ndarray) -> None:
    """Write ``values`` into tensor ``t``'s storage in place (its views see it)."""
    np.copyto(t._data, values, casting="unsafe")


class Batch:
    """Arrays of several tensors as one: an optimizer's elementwise kernels run once on
    the concatenation instead of once per parameter (their bits are the same)."""

    def __init__(self, shapes: list) -> None:
        self.shapes = shapes
        self.bounds = bounds = [0]
        for shape in shapes:
            bounds.append(bounds[-1] + math.prod(shape))

    def gather(self, arrays: list) -> np.ndarray:
        return np.concatenate([a.reshape(-1) for a in arrays])

    def scatter(self, flat: np.ndarray, tensors: list) -> None:
        """Write each tensor's part of ``flat`` into its storage in place."""
        b = self.bounds
        for i, t in enumerate(tensors):
            np.copyto(t._data, flat[b[i]:b[i + 1]].reshape(self.shapes[i]), casting="unsafe")


def batchable(grads: list, params: list):
    """A Batch for these parameters, or None where one step per tensor is as good or the
    kernels would differ: a single parameter, mixed dtypes, or a gradient of another dtype
    or shape than its parameter."""
    if len(params) < 2:
        return None
    dtype = params[0].dtype
    if dtype != _F32 and dtype != _F64:
        return None
    for g, p in zip(grads, params):
        if p.dtype != dtype or g.dtype != dtype or g.shape != p.shape:
            return None
    return Batch([p.shape for p in params])

"""The grad_fn classes of reducing into and embedding into a tensor: scatter_reduce and
index_reduce (sum, prod, mean, amax, amin, with or without self's own values),
masked_scatter, and the *_scatter family (select_scatter, slice_scatter,
diagonal_scatter: src written into a copy of self where the view would read).

Their backward formulas are torch's (derivatives.yaml, FunctionsManual's
scatter_reduce_backward), written once on Tensors: the numpy backend runs them on
wrapped arrays (nothing records), the Tensor backend records them for create_graph. The
names are declared in engine/declarations/scatters.py.
"""

from __future__ import annotations

import numpy as np

from adcli.engine.ops.selection import _IntoSelf, _scatter_key
from adcli.engine.ops.shapes import CatBackward0
from adcli.engine.tensor import Tensor, _wrap
from adcli.errors import TorchRuntimeError

REDUCTIONS = ("sum", "prod", "mean", "amax", "amin")
_UFUNCS = {"sum": np.add, "mean": np.add, "prod": np.multiply, "amax": np.maximum,
           "amin": np.minimum}


def _t(a):
    return a if type(a) is Tensor else _wrap(np.asarray(a))


def _identity(reduce: str, dtype: np.dtype):
    """The value the positions scattered into start from without self (include_self=False)."""
    if reduce in ("sum", "mean"):
        return 0
    if reduce == "prod":
        return 1
    if dtype.kind == "f":
        return -np.inf if reduce == "amax" else np.inf
    if dtype.kind == "b":
        return reduce == "amin"
    info = np.iinfo(dtype)
    return info.min if reduce == "amax" else info.max


def scatter_reduce_array(x: np.ndarray, src: np.ndarray, dim: int, index: np.ndarray,
                         reduce: str, include_self: bool) -> np.ndarray:
    """x.scatter_reduce(dim, index, src, reduce, include_self=...) on arrays, each position
    reduced in the order of the index (torch's serial CPU loop)."""
    out = x.copy()
    if not index.size:
        return out
    key = _scatter_key(dim, index)
    values = src[tuple(slice(0, n) for n in index.shape)]
    if not include_self:
        out[key] = _identity(reduce, out.dtype)
    _UFUNCS[reduce].at(out, key, values)
    if reduce == "mean":
        count = np.ones(out.shape, out.dtype) if include_self else np.zeros(out.shape, out.dtype)
        np.add.at(count, key, 1)
        count[count == 0] = 1
        if out.dtype.kind in "fc":
            out = (out / count).astype(out.dtype, copy=False)
        else:
            out = np.floor_divide(out, count).astype(out.dtype, copy=False)
    return out


def _invalid_src_grad(node, index_shape, src_shape):
    if tuple(index_shape) != tuple(src_shape):  # as torch: gather gives index's shape
        raise TorchRuntimeError(
            f"Function {node.name()} returned an invalid gradient at index 1 - got "
            f"{list(index_shape)} but expected shape compatible with {list(src_shape)}")


class ScatterReduceBackward0(_IntoSelf):
    """scatter_reduce(dim, index, src, reduce, include_self): src's elements reduced into
    a copy of self at index along dim."""

    saves = "xx"
    saves_result = True
    frees = ("index",)

    def forward(self, x, src, dim, index, reduce, include_self):
        self.dim, self.index, self.reduce, self.include_self = dim, index, reduce, include_self
        self.src_shape = src.shape
        return scatter_reduce_array(x, src, dim, index, reduce, include_self)

    def backward(self, F, g, x, src, result):
        numpy = F.numpy
        g, x, src, result = _t(g), _t(x), _t(src), _t(result)
        dim, index, reduce = self.dim, _wrap(self.index), self.reduce
        want_src = self._next[1] is not None
        if want_src:
            _invalid_src_grad(self, index.shape, src.shape)
        gs = gx = None
        if reduce == "sum":
            gx = g
            gs = g.gather(dim, index) if want_src else None
        elif reduce == "mean":
            n = _wrap(np.full(g.shape, 1 if self.include_self else 0, g._data.dtype))
            n = n.scatter_add(dim, index, _wrap(np.ones(index.shape, g._data.dtype)))
            n = n.masked_fill(n == 0, 1)
            gx = g / n
            gs = g.gather(dim, index) / n.gather(dim, index) if want_src else None
        elif reduce == "prod":
            masked_x = x.masked_fill(x == 0, 1)
            masked_result = masked_x.scatter_reduce(dim, index, src, "prod",
                                                    include_self=self.include_self)
            gx = g * masked_result / masked_x
            if want_src:
                zero = src == 0
                nz = _wrap(np.zeros(x.shape, x._data.dtype)).scatter_add(
                    dim, index, zero.to(x.dtype)).gather(dim, index)
                single = zero & (nz == 1)
                masked_src = src.masked_fill(single, 1)
                masked_src_result = x.scatter_reduce(dim, index, masked_src, "prod",
                                                     include_self=self.include_self)
                gs = (g * masked_src_result).gather(dim, index).where(
                    single, (g * result).gather(dim, index) / src.masked_fill(zero, 1))
        else:  # amax, amin: shared evenly among the values equal to the result
            value = result.gather(dim, index)
            x_is = (x == result).to(x.dtype)
            src_is = (src == value).to(x.dtype)
            share = g / x_is.scatter_add(dim, index, src_is)
            gx = x_is * share
            gs = src_is * share.gather(dim, index) if want_src else None
        if not self.include_self:
            gx = gx.scatter(dim, index, 0)
        if self._next[0] is None:
            gx = None
        if numpy:
            return (None if gx is None else gx._data), (None if gs is None else gs._data)
        return gx, gs


class IndexReduceBackward0(ScatterReduceBackward0):
    """index_reduce(dim, index, source, reduce, include_self): source's slices reduced
    into a copy of self at index (a vector) along dim: a scatter_reduce whose index is
    the vector spread over source's shape."""

    def forward(self, x, src, dim, index, reduce, include_self):
        shape = [1] * src.ndim
        shape[dim] = index.size
        full = np.broadcast_to(index.reshape(shape), src.shape)
        self.vector = index
        return super().forward(x, src, dim, np.ascontiguousarray(full), reduce, include_self)


class MaskedScatterBackward0(_IntoSelf):
    """masked_scatter(mask, source): source's elements, in order, written where mask is
    set (mask broadcast to self's shape)."""

    frees = ("mask",)

    def forward(self, x, src, mask):
        self.mask, self.src_shape = mask, src.shape
        out = x.copy()
        n = int(np.count_nonzero(mask))
        out[mask] = src.reshape(-1)[:n]
        return out

    def backward(self, F, g, x, src):
        numpy = F.numpy
        g = _t(g)
        mask = _wrap(self.mask)
        gx = g.masked_fill(mask, 0) if self._next[0] is not None else None
        gs = None
        if self._next[1] is not None:
            picked = g.masked_select(mask)
            total = int(np.prod(self.src_shape, dtype=np.int64))
            pad = total - picked.numel()
            if pad:
                picked = CatBackward0.apply([picked, _wrap(np.zeros(pad, g._data.dtype))], 0)
            gs = picked.reshape(self.src_shape)
        if numpy:
            return (None if gx is None else gx._data), (None if gs is None else gs._data)
        return gx, gs


class _Embed:
    """src written into a copy of self where a view (select, slice, diagonal) reads:
    ``positions`` are the flat positions of the view's elements in self. (A mixin of the
    three nodes, not a node itself.)"""

    saves = ""
    frees = ("positions",)

    def forward(self, x, src, positions, view_args):
        self.positions, self.view_args = positions, view_args
        out = np.array(x, copy=True, order="C")
        out.reshape(-1)[positions.reshape(-1)] = np.broadcast_to(
            src.astype(out.dtype, copy=False), positions.shape).reshape(-1)
        return out

    def backward(self, F, g, *unused):
        gx = gs = None
        if F.numpy:
            flat = g.reshape(-1)
            if self._next[0] is not None:
                gx = g.copy()
                gx.reshape(-1)[self.positions.reshape(-1)] = 0
            if len(self._next) > 1 and self._next[1] is not None:
                gs = flat[self.positions]
            return gx, gs
        if self._next[0] is not None:
            zeros = _wrap(np.zeros(self.positions.shape, g._data.dtype))  # zeros_like(src)
            gx = type(self).apply(g, zeros, self.positions, self.view_args)
        if len(self._next) > 1 and self._next[1] is not None:
            gs = self.view(g)
        return gx, gs


class SelectScatterBackward0(_Embed, _IntoSelf):
    def view(self, g):
        dim, index = self.view_args
        return g[(slice(None),) * (dim % g.ndim if g.ndim else 0) + (index,)]


class SliceScatterBackward0(_Embed, _IntoSelf):
    def view(self, g):
        dim, start, end, step = self.view_args
        return g[(slice(None),) * dim + (slice(start, end, step),)]


class DiagonalScatterBackward0(_Embed, _IntoSelf):
    def view(self, g):
        return g.diagonal(*self.view_args)


__all__ = ["REDUCTIONS", "DiagonalScatterBackward0", "IndexReduceBackward0",
           "MaskedScatterBackward0", "ScatterReduceBackward0", "SelectScatterBackward0",
           "SliceScatterBackward0", "scatter_reduce_array"]

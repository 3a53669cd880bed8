"""The grad_fn classes of selecting by index: gather and scatter_add, index_select, the
value-selecting reductions with indices (sort, topk, kthvalue, median, mode), tril/triu
and roll. Their backward puts the gradient back where the values came from (a
scatter_add into zeros, itself an op so that double backward works). The names are
declared in engine/declarations/selection.py.
"""

from __future__ import annotations

import numpy as np

from adcli.engine.ops.kinds import Unary, _i64, _new
from adcli.engine.tensor import _GRAD, Tensor, _wrap, edge
from adcli.errors import TorchIndexError, TorchRuntimeError


def _scatter_add(g: np.ndarray, shape: tuple, dim: int, index: np.ndarray) -> np.ndarray:
    """zeros(shape).scatter_add_(dim, index, g) on arrays."""
    z = np.zeros(shape, g.dtype)
    if index.size:
        idx = list(np.indices(index.shape, sparse=True))
        idx[dim] = index
        np.add.at(z, tuple(idx), g[tuple(slice(0, n) for n in index.shape)])
    return z


class ScatterAddBackward0(Unary):
    """zeros(shape).scatter_add(dim, index, g): the backward of gather, as an op."""

    frees = ("index",)

    def forward(self, g, shape, dim, index):
        self.dim, self.index = dim, index
        return _scatter_add(g, shape, dim, index)

    def backward(self, F, gg, g):
        return (_gather(F, gg, self.dim, self.index),)


def _gather(F, x, dim, index):
    if F.numpy:
        return np.take_along_axis(x, index, axis=dim)
    return GatherBackward0.apply(x, dim, index)


def _place(F, g, shape, dim, index):
    """The gradient of a tensor of ``shape`` from ``g``, read at ``index`` along ``dim``."""
    if F.numpy:
        return _scatter_add(g, shape, dim, index)
    return ScatterAddBackward0.apply(g, shape, dim, index)


class GatherBackward0(Unary):
    """torch.gather(input, dim, index): out[i][j] = input[index[i][j]][j] (dim 0)."""

    frees = ("index",)

    def forward(self, x, dim, index):
        if index.ndim != x.ndim:
            raise TorchRuntimeError("Index tensor must have the same number of dimensions as "
                                    "input tensor")
        for d in range(x.ndim):
            if d != dim and index.shape[d] > x.shape[d]:
                raise TorchRuntimeError(
                    f"Size does not match at dimension {d} expected index {list(index.shape)}"
                    f" to be no larger than self {list(x.shape)} apart from dimension {dim}")
        if index.size and (index.min() < -x.shape[dim] or index.max() >= x.shape[dim]):
            raise TorchRuntimeError(f"index {int(index.max())} is out of bounds for dimension "
                                    f"{dim} with size {x.shape[dim]}")
        index = np.where(index < 0, index + x.shape[dim], index)
        self.dim, self.index, self.in_shape = dim, index, x.shape
        xs = x[tuple(slice(None) if d == dim else slice(0, index.shape[d])
                     for d in range(x.ndim))]
        return np.take_along_axis(xs, index, axis=dim)

    def backward(self, F, g, x):
        return (_place(F, g, self.in_shape, self.dim, self.index),)


class IndexSelectBackward0(Unary):
    """torch.index_select(input, dim, index): the slices at index along dim."""

    frees = ("index",)

    def forward(self, x, dim, index):
        n = x.shape[dim] if x.ndim else 1
        if index.size and (index.min() < -n or index.max() >= n):
            bad = int(index.max() if index.max() >= n else index.min())
            raise TorchIndexError(f"index out of range in self (index {bad}, size {n})")
        self.dim, self.in_shape = dim, x.shape
        self.index = np.where(index < 0, index + n, index).reshape(-1)
        return np.take(x, self.index, axis=dim) if x.ndim else x.reshape(1)[self.index][0]

    def backward(self, F, g, x):
        if not self.in_shape:
            return (g,)
        shape = [1] * len(self.in_shape)
        shape[self.dim] = -1
        full = np.broadcast_to(self.index.reshape(shape), F.data(g).shape)
        return (_place(F, g, self.in_shape, self.dim, np.ascontiguousarray(full)),)


class _Selecting(Unary):
    """An op whose values are input elements at indices along ``dim`` (returned too);
    the gradient goes back to those elements."""

    frees = ("indices",)

    @classmethod
    def apply_indices(cls, x: Tensor, dim: int, keepdim: bool, *args):
        node = _new(cls)
        if cls.reduces and x._data.ndim and x._data.shape[dim] == 0:
            raise TorchIndexError(f"{cls.__name__[:-9].lower()}(): Expected reduction dim "
                                  f"{dim} to have non-zero size.")
        out = node.forward(x._data, dim, keepdim, *args)
        values = node.record(out, (x,), (edge(x),)) if x._rg and _GRAD[0] else _wrap(out)
        return values, _wrap(node.result_indices())

    def forward(self, x, dim, keepdim, *args):
        self.dim, self.keepdim, self.in_shape = dim, keepdim, x.shape
        if x.ndim == 0:
            self.indices = self.idx0 = np.zeros((), _i64)
            return x.copy()
        idx = self.pick(x, dim, *args).astype(_i64)
        self.indices = idx
        values = np.take_along_axis(x, idx, axis=dim)
        if not keepdim and self.reduces:
            values = values.squeeze(dim)
        return values

    reduces = True

    def result_indices(self):
        idx = self.indices
        if idx.ndim and self.reduces and not self.keepdim:
            idx = idx.squeeze(self.dim)
        return np.ascontiguousarray(idx)

    def backward(self, F, g, x):
        if not self.in_shape:
            return (g,)
        if self.reduces and not self.keepdim:
            g = g.reshape(self.indices.shape) if F.numpy else _unsqueeze(g, self.dim)
        return (_place(F, g, self.in_shape, self.dim, self.indices),)


def _unsqueeze(g, dim):
    from adcli.engine.ops.shapes import UnsqueezeBackward0
    return UnsqueezeBackward0.apply(g, dim)


def stable_argsort(x: np.ndarray, dim: int, descending: bool) -> np.ndarray:
    """torch's sort order: NaN as the largest value, ties in their original order."""
    if not descending:
        return np.argsort(x, axis=dim, kind="stable")
    n = x.shape[dim]
    rev = np.flip(x, dim)
    return n - 1 - np.flip(np.argsort(rev, axis=dim, kind="stable"), dim)


class SortBackward0(_Selecting):
    reduces = False

    def pick(self, x, dim, descending):
        return stable_argsort(x, dim, descending)


class TopkBackward0(_Selecting):
    reduces = False

    def pick(self, x, dim, k, largest, sorted_):
        idx = stable_argsort(x, dim, largest)
        return np.take(idx, np.arange(k), axis=dim)


class KthvalueBackward0(_Selecting):

    def pick(self, x, dim, k):
        idx = stable_argsort(x, dim, False)
        return np.take(idx, [k - 1], axis=dim)


class MedianBackward1(_Selecting):
    """median(input, dim): the lower median and its index."""

    def pick(self, x, dim):
        n = x.shape[dim]
        idx = stable_argsort(x, dim, False)
        take = np.take(idx, [(n - 1) // 2], axis=dim)
        # as torch: a slice with a NaN has NaN as its median, at the first NaN
        nan = np.isnan(x) if x.dtype.kind == "f" else None
        if nan is not None and nan.any():
            first = np.expand_dims(np.argmax(nan, axis=dim), dim)
            take = np.where(np.expand_dims(nan.any(axis=dim), dim), first, take)
        return take


class ModeBackward0(_Selecting):
    """mode(input, dim): the most frequent value (the smallest of ties), at its last
    occurrence."""

    def pick(self, x, dim):
        moved = np.moveaxis(x, dim, -1)
        flat = moved.reshape(-1, moved.shape[-1])
        out = np.empty(flat.shape[0], _i64)
        for r, row in enumerate(flat):
            vals, counts = np.unique(row, return_counts=True)
            best = vals[np.argmax(counts)]
            out[r] = np.nonzero(row == best)[0][-1]
        return np.expand_dims(out.reshape(moved.shape[:-1]), dim)


class MedianBackward0(Unary):
    """median(input): the lower median of all elements; the gradient is shared evenly by
    the elements equal to it."""

    saves = "x"
    saves_result = True

    def forward(self, x):
        if x.size == 0:
            raise TorchIndexError("median() input tensor cannot be empty")
        flat = x.reshape(-1)
        if x.dtype.kind == "f" and np.isnan(flat).any():
            return np.asarray(np.nan, x.dtype)
        return np.sort(flat, kind="stable")[(flat.size - 1) // 2].copy()

    def backward(self, F, g, x, result):
        mask = (x == result) | (F.isnan(x) & F.isnan(result))
        return (g / F.count(mask, None) * mask,)


def _tri(x, k, lower):
    rows, cols = x.shape[-2:]
    mask = np.tri(rows, cols, k, dtype=bool) if lower else ~np.tri(rows, cols, k - 1,
                                                                     dtype=bool)
    return mask


class TrilBackward0(Unary):

    def forward(self, x, k):
        if x.ndim < 2:
            raise TorchRuntimeError("tril: input tensor must have at least 2 dimensions")
        self.k = k
        return np.where(_tri(x, k, True), x, np.zeros((), x.dtype))

    def backward(self, F, g, x):
        if F.numpy:
            return (np.where(_tri(g, self.k, True), g, np.zeros((), g.dtype)),)
        return (TrilBackward0.apply(g, self.k),)


class TriuBackward0(Unary):

    def forward(self, x, k):
        if x.ndim < 2:
            raise TorchRuntimeError("triu: input tensor must have at least 2 dimensions")
        self.k = k
        return np.where(_tri(x, k, False), x, np.zeros((), x.dtype))

    def backward(self, F, g, x):
        if F.numpy:
            return (np.where(_tri(g, self.k, False), g, np.zeros((), g.dtype)),)
        return (TriuBackward0.apply(g, self.k),)


class RollBackward0(Unary):

    def forward(self, x, shifts, dims):
        self.shifts, self.dims, self.in_shape = shifts, dims, x.shape
        if dims is None:
            return np.roll(x.reshape(-1), shifts).reshape(x.shape)
        return np.roll(x, shifts, dims)

    def backward(self, F, g, x):
        back = tuple(-s for s in self.shifts) if isinstance(self.shifts, tuple) else -self.shifts
        if F.numpy:
            if self.dims is None:
                return (np.roll(g.reshape(-1), back).reshape(g.shape),)
            return (np.roll(g, back, self.dims),)
        return (RollBackward0.apply(g, back, self.dims),)


__all__ = [
    "ScatterAddBackward0", "GatherBackward0", "IndexSelectBackward0", "SortBackward0",
    "TopkBackward0", "KthvalueBackward0", "MedianBackward0", "MedianBackward1",
    "ModeBackward0", "TrilBackward0", "TriuBackward0", "RollBackward0", "stable_argsort",
]

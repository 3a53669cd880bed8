"""The grad_fn classes of shape and indexing: views (view, squeeze, transpose, expand,
select, slice...), copies (repeat, cat, stack, advanced indexing) and reading an index.
The names are declared in engine/declarations/shape.py.
"""

from __future__ import annotations

import itertools
import math

import numpy as np

from adcli.engine import dtypes as dt
from adcli.engine import shape as sh
from adcli.engine.fma import fma32, fma32_chain
from adcli.engine.indexing import parse_index
from adcli.engine.ops.elementwise import CloneBackward0
from adcli.engine.ops.kinds import Nary, Unary, View
from adcli.engine.tensor import (
    Tensor,
    check_tensor_count,
)
from adcli.errors import (
    TorchIndexError,
    TorchRuntimeError,
)


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
        inverse = sh.inverse_permutation(self.perm)
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


def check_cat_shapes(shapes: list, dim: int) -> int:
    """torch.cat's shape checks in torch's words; ``dim`` made non-negative. A legacy empty
    tensor (shape [0]) is skipped, as torch does; the first other one is the reference."""
    for i, s in enumerate(shapes):
        if not len(s):
            raise TorchRuntimeError(
                f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    kept = [(i, tuple(s)) for i, s in enumerate(shapes) if tuple(s) != (0,)]
    if not kept:
        return 0
    ref = kept[0][1]
    d = sh.norm_dim(dim, len(ref))
    for i, s in kept[1:]:
        if len(s) != len(ref):
            raise TorchRuntimeError(
                f"Tensors must have same number of dimensions: got {len(ref)} and {len(s)}")
        for j, (want, got) in enumerate(zip(ref, s)):
            if j != d and want != got:
                raise TorchRuntimeError(
                    f"Sizes of tensors must match except in dimension {d}. Expected size "
                    f"{want} but got size {got} for tensor number {i} in the list.")
    return d


class CatBackward0(Nary):

    def forward(self, arrays, dim):
        # a negative dim (backward formulas' F.cat(..., -1)) counts from the end: the backward
        # below slices with (slice(None),) * dim, so keep it non-negative
        dim = dim % arrays[0].ndim if arrays[0].ndim else dim
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
        dim = dim % (arrays[0].ndim + 1)  # non-negative, as the backward's slicing needs
        self.dim = dim
        return np.stack(arrays, axis=dim, dtype=_promoted(arrays))

    def backward(self, F, g, *inputs):
        pre = (slice(None),) * self.dim
        return tuple(g[pre + (i,)] for i in range(len(inputs)))


class FlipBackward0(Unary):

    def forward(self, x, dims):
        self.dims = dims
        return np.flip(x, dims).copy()

    def backward(self, F, g, x):
        return (F.flip(g, self.dims),)


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


def expand(x: Tensor, shape: tuple) -> Tensor:
    return ExpandBackward0.apply(x, sh.expand_shape(x._data.shape, shape,
                                                    x.dtype.legacy + "Tensor"))


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


def getitem(x: Tensor, key) -> Tensor:
    sh.check_index(x._data.shape, key)  # before index lists become arrays
    steps, advanced = parse_index(key, x._data.shape)
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


def _row(x: Tensor, i: int) -> Tensor:
    return UnbindBackward0.apply(x, 0, i)


# ---- unfold, rot90, block_diag, upsampling


class UnfoldBackward0(Unary):
    """x.unfold(dim, size, step): the windows of ``size`` every ``step`` along dim, as a new
    last dim. torch's is a view; here it is a read-only strided window over the input's
    memory (its strides are torch's), whose history is not a view's."""

    def forward(self, x, dim, size, step):
        self.args, self.in_shape = (dim, size, step), x.shape
        if x.ndim == 0:
            out = x.reshape(1)
        else:
            n = x.shape[dim]
            count = (n - size) // step + 1
            shape = x.shape[:dim] + (count,) + x.shape[dim + 1:] + (size,)
            st = x.strides
            strides = st[:dim] + (st[dim] * step,) + st[dim + 1:] + (st[dim],)
            out = np.lib.stride_tricks.as_strided(x, shape, strides, writeable=False)
        return out

    def backward(self, F, g, x):
        if F.numpy:
            return (_unfold_backward(g, self.in_shape, *self.args),)
        return (UnfoldBackwardBackward0.apply(g, self.in_shape, *self.args),)


def _unfold_backward(g, shape, dim, size, step):
    """The gradient of an unfold: each window's gradient added back where it came from."""
    z = np.zeros(shape, g.dtype)
    if not shape:
        return g.reshape(())
    count = g.shape[dim]
    for i in range(count):
        for j in range(size):
            src = (slice(None),) * dim + (i,) + (slice(None),) * (len(shape) - dim - 1) + (j,)
            dst = (slice(None),) * dim + (i * step + j,)
            z[dst] += g[src]
    return z


class UnfoldBackwardBackward0(Unary):
    """unfold's backward as an op (its own backward is an unfold)."""

    def forward(self, g, shape, dim, size, step):
        self.args = (dim, size, step)
        return _unfold_backward(g, shape, dim, size, step)

    def backward(self, F, gg, g):
        if F.numpy:
            return (UnfoldBackward0.forward(self, gg, *self.args).copy(),)
        return (UnfoldBackward0.apply(gg, *self.args),)


class Rot90Backward0(Unary):
    """rot90(input, k, dims): rotated k quarter turns from dims[0] towards dims[1]."""

    def forward(self, x, k, dims):
        self.k, self.dims = k, dims
        return np.ascontiguousarray(np.rot90(x, k, axes=dims))

    def backward(self, F, g, x):
        if F.numpy:
            return (np.rot90(g, -self.k, axes=self.dims),)
        return (Rot90Backward0.apply(g, -self.k, self.dims),)


class BlockDiagBackward0(Nary):
    """block_diag(*tensors): the matrices (0-d and 1-d as one row) on a block diagonal."""

    def forward(self, arrays, dtype):
        mats = [a.reshape(1, 1) if a.ndim == 0 else a.reshape(1, -1) if a.ndim == 1 else a
                for a in arrays]
        self.shapes = [a.shape for a in arrays]
        self.spans = []
        rows, cols = sum(m.shape[0] for m in mats), sum(m.shape[1] for m in mats)
        out = np.zeros((rows, cols), dtype)
        r = c = 0
        for m in mats:
            out[r:r + m.shape[0], c:c + m.shape[1]] = m
            self.spans.append((r, r + m.shape[0], c, c + m.shape[1]))
            r, c = r + m.shape[0], c + m.shape[1]
        return out

    def backward(self, F, g, *inputs):
        out = []
        for (r0, r1, c0, c1), shape in zip(self.spans, self.shapes):
            part = g[r0:r1, c0:c1]
            out.append(part.reshape(shape) if len(shape) < 2 else part)
        return tuple(out)


def resample_plan(mode: str, n_in: int, n_out: int, align_corners, scale):
    """Per output position along one axis: (first index, second index, second weight) for
    linear modes, or (index, None, None) for nearest, as torch's CPU kernels compute them
    (float32 scales and weights)."""
    f32 = np.float32
    dst = np.arange(n_out)
    if mode == "nearest":
        if n_out == n_in:
            return dst, None, None
        if n_out == 2 * n_in:
            return dst >> 1, None, None
        s = f32(1.0 / scale) if scale is not None and scale > 0 else f32(n_in) / f32(n_out)
        src = np.floor(dst.astype(f32) * s).astype(np.int64)
        return np.minimum(src, n_in - 1), None, None
    if align_corners:
        s = f32(n_in - 1) / f32(n_out - 1) if n_out > 1 else f32(0)
        src = s * dst.astype(f32)
    else:  # scale * (dst + 0.5) - 0.5, contracted into one FMA by torch's build
        s = f32(1.0 / scale) if scale is not None and scale > 0 else f32(n_in) / f32(n_out)
        src = np.maximum(fma32(s, dst.astype(f32) + f32(0.5), f32(-0.5)), f32(0))
    i0 = src.astype(np.int64)
    lam = (src - i0.astype(f32)).astype(f32)
    i1 = i0 + (i0 < n_in - 1)
    return i0, i1, lam


def _resample(x, plans, transpose: bool, in_shape=None):
    """Apply (or, transposed, take the gradient of) the per-axis plans to the last axes."""
    nd = len(plans)
    if transpose and all(p[1] is None for p in plans) and x.size:
        return _nearest_backward(x, plans, in_shape)
    if transpose and all(p[1] is not None for p in plans) and x.dtype == np.float32 and x.size:
        return _linear_backward(x, plans, in_shape)
    order = range(nd) if not transpose else reversed(range(nd))
    y = x
    for k in order:
        axis = x.ndim - nd + k
        i0, i1, lam = plans[k]
        if not transpose:
            if i1 is None:
                y = np.take(y, i0, axis=axis)
            else:
                shape = [1] * y.ndim
                shape[axis] = -1
                w1 = lam.astype(y.dtype).reshape(shape)
                w0 = (1 - lam).astype(y.dtype).reshape(shape)
                y = w0 * np.take(y, i0, axis=axis) + w1 * np.take(y, i1, axis=axis)
        else:
            n_in = in_shape[axis]
            moved = np.moveaxis(y, axis, 0)
            z = np.zeros((n_in,) + moved.shape[1:], y.dtype)
            if i1 is None:
                np.add.at(z, i0, moved)
            else:
                shape = (-1,) + (1,) * (moved.ndim - 1)
                np.add.at(z, i0, moved * (1 - lam).astype(y.dtype).reshape(shape))
                np.add.at(z, i1, moved * lam.astype(y.dtype).reshape(shape))
            y = np.moveaxis(z, 0, axis)
    return np.ascontiguousarray(y)


def _nearest_backward(g, plans, in_shape):
    """The gradient of a nearest resampling as ATen's CPU backward: each input cell gets
    the gradients of the outputs it feeds added one by one from 0, in the outputs'
    row-major order (one np.add.at over the flattened positions keeps that order)."""
    nd = len(plans)
    lead = g.shape[:g.ndim - nd]
    rows = math.prod(lead)
    idx = np.zeros((), np.int64)
    for k, (i0, _, _) in enumerate(plans):
        idx = idx[..., None] * in_shape[g.ndim - nd + k] + np.asarray(i0, np.int64)
    idx = idx.reshape(-1)
    z = np.zeros((rows, math.prod(in_shape[g.ndim - nd:])), g.dtype)
    np.add.at(z, (np.arange(rows)[:, None], idx[None, :]), g.reshape(rows, -1))
    return z.reshape(in_shape)


def _linear_weights(lam):
    lam1 = np.asarray(lam, np.float32)
    return (np.float32(1) - lam1).astype(np.float32), lam1


def _linear_backward(g, plans, in_shape):
    """The gradient of a (bi/tri)linear interpolation as cpu_upsample_linear_backward: for
    each output position in row-major order, each corner (outer dims' choice major) gets
    fma(w_outer * ... * w_inner, grad, acc), the weight product rounded step by step."""
    nd = len(plans)
    lead = g.shape[:g.ndim - nd]
    rows = math.prod(lead)
    in_sp = tuple(in_shape[g.ndim - nd:])
    out_sp = g.shape[g.ndim - nd:]
    strides = [math.prod(in_sp[k + 1:]) for k in range(nd)]
    targets, weights = [], []
    for corner in itertools.product((0, 1), repeat=nd):
        idx = np.zeros((1,) * nd, np.int64)
        wt = None
        for k in range(nd):
            i0, i1, lam = plans[k]
            shape = [1] * nd
            shape[k] = -1
            w = _linear_weights(lam)[corner[k]].reshape(shape)
            ik = np.asarray(i1 if corner[k] else i0, np.int64).reshape(shape)
            idx = idx + ik * strides[k]
            wt = w if wt is None else (wt * w).astype(np.float32)
        targets.append(np.broadcast_to(idx, out_sp).reshape(-1))
        weights.append(np.broadcast_to(wt, out_sp).reshape(-1))
    n_pos = math.prod(out_sp)
    tgt = np.stack(targets, 1).reshape(-1)  # (position, corner) in order
    wts = np.stack(weights, 1).reshape(-1)
    pos = np.repeat(np.arange(n_pos), 2 ** nd)
    order = np.argsort(tgt, kind="stable")
    cells = math.prod(in_sp)
    counts = np.bincount(tgt, minlength=cells)
    steps = int(counts.max())
    starts = np.concatenate(([0], np.cumsum(counts)[:-1]))
    st = tgt[order]
    rank = np.arange(order.size) - starts[st]
    a = np.zeros((steps, cells), np.float32)
    src = np.zeros((steps, cells), np.int64)
    real = np.zeros((steps, cells), bool)
    a[rank, st] = wts[order]
    src[rank, st] = pos[order]
    real[rank, st] = True
    gf = g.reshape(rows, n_pos)
    b = np.where(real[:, None, :], np.moveaxis(gf[:, src], 1, 0), np.float32(0))
    acc = fma32_chain(np.broadcast_to(a[:, None, :], b.shape), b)
    return acc.reshape(tuple(lead) + in_sp)


class _Upsample(Unary):
    """F.interpolate's resampling of the last one or two dims (plans from _resample_plan);
    its backward sums the gradient back to the sources, as an op of its own."""

    transpose = False
    partner = None  # the class of the backward op (and back)

    def forward(self, x, plans, other_shape):
        self.plans, self.in_shape, self.other_shape = plans, x.shape, other_shape
        return _resample(x, plans, self.transpose, other_shape)

    def backward(self, F, g, x):
        if F.numpy:
            return (_resample(g, self.plans, not self.transpose, self.in_shape),)
        return (self.partner.apply(g, self.plans, self.in_shape),)


class UpsampleNearest1DBackward0(_Upsample):
    pass


class UpsampleNearest2DBackward0(_Upsample):
    pass


class UpsampleLinear1DBackward0(_Upsample):
    pass


class UpsampleBilinear2DBackward0(_Upsample):
    pass


class UpsampleNearest1DBackwardBackward0(_Upsample):
    transpose = True


class UpsampleNearest2DBackwardBackward0(_Upsample):
    transpose = True


class UpsampleLinear1DBackwardBackward0(_Upsample):
    transpose = True


class UpsampleBilinear2DBackwardBackward0(_Upsample):
    transpose = True


for _fwd, _bwd in ((UpsampleNearest1DBackward0, UpsampleNearest1DBackwardBackward0),
                   (UpsampleNearest2DBackward0, UpsampleNearest2DBackwardBackward0),
                   (UpsampleLinear1DBackward0, UpsampleLinear1DBackwardBackward0),
                   (UpsampleBilinear2DBackward0, UpsampleBilinear2DBackwardBackward0)):
    _fwd.partner, _bwd.partner = _bwd, _fwd


class NarrowCopyBackward0(Unary):
    """narrow_copy(dim, start, length): a copy of the slice."""

    def forward(self, x, dim, bounds):
        self.key, self.in_shape = sh.step_key("slice", dim, bounds), x.shape
        return x[self.key].copy()

    def backward(self, F, g, x):
        return (F.place(g, self.in_shape, (("index", self.key),)),)


class TransposeBackward1(TransposeBackward0):
    """transpose_(dim0, dim1)"""

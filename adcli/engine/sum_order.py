"""torch 2.13's CPU summation order for float32/float64, bit for bit, on numpy.

ATen sums with a cascade of partial sums whose shape depends on the layout TensorIterator
gives the reduction (SumKernel.cpp's cascade_sum). ``torch_sum`` redoes it; the sum and mean
ops and ``shape.unbroadcast`` (the gradient of a broadcast) use it.
"""

from __future__ import annotations

import math

import numpy as np

from adcli.engine.cpu_kernels import _GRAIN, sum_threads


def reduced_shape(shape: tuple[int, ...], axes: tuple[int, ...], keepdim: bool):
    """The shape a reduction over ``axes`` leaves."""
    if keepdim:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    return tuple(s for i, s in enumerate(shape) if i not in axes)


# --- torch's CPU summation order (ATen's cascade_sum, SumKernel.cpp) -------------------------
#
# torch sums float32/float64 with a cascade of partial sums whose shape depends on the layout
# TensorIterator gives the reduction. The helpers below redo it with numpy ops, vectorised
# over every output (a Python loop only runs over the <= 32 steps of a cascade level, the
# lanes of a vector, or the threads).

# lanes of at::vec::Vectorized<T> in the kernel torch runs on this machine (measured: 8 floats
# and 4 doubles even where the CPU capability is AVX512)
_LANES = {np.dtype(np.float32): 8, np.dtype(np.float64): 4}


def _ceil_log2(x: int) -> int:
    return 1 if x <= 2 else (x - 1).bit_length()


def _seq0(a: np.ndarray) -> np.ndarray:
    """0 + a[0] + a[1] + ..., added in order along axis 0 (up to the sign of a zero sum,
    which the callers make +0 at the end, as torch's output starts at +0)."""
    n = a.shape[0]
    if n == 0:
        return np.zeros(a.shape[1:], a.dtype)
    if n == 1:
        return a[0] + a.dtype.type(0)
    if _outer(a, 0):
        return np.add.reduce(a, axis=0)
    return np.add.accumulate(a, axis=0)[-1]


def _seq1(a: np.ndarray) -> np.ndarray:
    """The sums in order along axis 1 (at most 32 steps: a cascade level)."""
    if _outer(a, 1):
        return np.add.reduce(a, axis=1)
    if a.size <= 8192:
        return np.add.accumulate(a, axis=1)[:, -1]
    s = np.add(a[:, 0], a[:, 1])
    for j in range(2, a.shape[1]):
        np.add(s, a[:, j], out=s)
    return s


def sequential_sum(a: np.ndarray) -> np.ndarray:
    """0 + a[0] + a[1] + ... along axis 0, added one row at a time in a's dtype (a zero sum
    is +0, as a C loop's accumulator that starts at 0)."""
    return _seq0(a) + a.dtype.type(0)


def nll_cascade_sum(values: np.ndarray, valid=None):
    """The sum of a 1-D float array as ATen's nll_loss / nll_loss2d forward adds it: 8
    partial sums; each element goes into level 0, and at an index whose low 4 * (j + 1)
    bits are all 0 level j is added into level j + 1 (so element 0 goes straight to the
    top level), then 0 + level 0 + ... + level 7. ``valid``: where False, the element is
    skipped, flushes included (an ignore_index target). A 0-d array of values' dtype."""
    dt = values.dtype
    n = values.shape[0]
    levels = 8
    power = max(4, _ceil_log2(n) // levels) if n else 4
    step = 1 << power
    zero = dt.type(0)
    if valid is not None and not np.all(valid):
        part = [zero] * levels
        mask = step - 1
        for b in np.flatnonzero(valid).tolist():
            part[0] = dt.type(part[0] + values[b])
            for j in range(levels - 1):
                if b & (mask << (j * power)):
                    break
                part[j + 1] = dt.type(part[j + 1] + part[j])
                part[j] = zero
        total = zero
        for v in part:
            total = dt.type(total + v)
        return np.asarray(total, dt)
    if not n:
        return np.asarray(zero, dt)
    parts = []
    vals = values[1:]
    for _ in range(levels - 1):
        ng = vals.shape[0] // step
        rest = vals[ng * step:]
        parts.append(_seq0(rest) + zero if rest.shape[0] else zero)
        if not ng:
            vals = vals[:0]
            break
        vals = _seq1(vals[:ng * step].reshape(ng, step)) + zero
    top = np.concatenate(([values[0] + zero], vals)) if vals.shape[0] else values[:1] + zero
    parts += [zero] * (levels - 1 - len(parts))
    parts.append(_seq0(top) + zero)
    return np.asarray(_seq0(np.asarray(parts, dt)) + zero, dt)


_REDUCE_IN_ORDER: list = [None]  # whether np.add.reduce over an outer axis adds in order


def _outer(a: np.ndarray, axis: int) -> bool:
    """Whether np.add.reduce sums ``a`` along ``axis`` in index order, one row at a time.

    numpy's reduction loops innermost over the axis of smallest stride. When that is a kept
    axis, each output element gets the rows added one by one in order (numpy's pairwise
    summation applies only along a reduced innermost axis), 10 times faster than
    accumulate. That holds when some kept axis of 2+ elements has a smaller stride than
    ``axis``, no stride is negative, and a probe of this numpy agrees; else accumulate."""
    sa = a.strides[axis]
    if sa <= 0:
        return False
    inner = False
    for d, (n, st) in enumerate(zip(a.shape, a.strides)):
        if st < 0:
            return False
        if d != axis and n > 1 and st < sa:
            inner = True
    if not inner:
        return False
    ok = _REDUCE_IN_ORDER[0]
    if ok is None:
        ok = _REDUCE_IN_ORDER[0] = _probe_reduce()
    return ok


def _probe_reduce() -> bool:
    """Check np.add.reduce along an outer axis against sequential adds, on values whose
    sum depends on the order, for the layouts the cascade uses."""
    rng = np.random.default_rng(1)
    for dtype in (np.float32, np.float64):
        for shape, axis in (((37, 3), 0), ((64, 64), 0), ((5, 16, 9), 1), ((4, 16, 40), 1),
                            ((300, 8), 0), ((2, 33, 2), 1)):
            x = (rng.standard_normal(shape) * 10.0 ** rng.integers(-6, 7, shape)).astype(dtype)
            for a in (x, x[:, ::2] if x.shape[1] > 3 and axis == 0 else x):
                want = np.take(a, 0, axis=axis).copy()
                for i in range(1, a.shape[axis]):
                    want = want + np.take(a, i, axis=axis)
                if np.add.reduce(a, axis=axis).tobytes() != want.tobytes():
                    return False
    return True


def _mrs(a: np.ndarray) -> np.ndarray:
    """ATen's multi_row_sum along axis 0: blocks of 2**lp summed in order, the block sums
    in a 4-level cascade (each level adds 2**lp of the one below), the leftover added one
    by one, then the levels added in order."""
    n, rest = a.shape[0], a.shape[1:]
    step = 1 << max(4, _ceil_log2(n) // 4)
    nb = n // step
    if not nb:
        return _seq0(a)
    parts = [a[nb * step:]]  # acc[0]: the leftover; then acc[1], acc[2], acc[3]
    level = _seq1(a[:nb * step].reshape((nb, step) + rest))
    for depth in (1, 2, 3):
        if depth == 3:
            parts.append(_seq0(level)[None])
            break
        ng = level.shape[0] // step
        parts.append(_seq0(level[ng * step:])[None])
        if not ng:
            break
        level = _seq1(level[:ng * step].reshape((ng, step) + rest))
    if parts[0].shape[0]:
        parts[0] = _seq0(parts[0])[None]
    return _seq0(np.concatenate(parts))


def _rs(a: np.ndarray) -> np.ndarray:
    """ATen's row_sum along axis 0: 4 interleaved accumulators (multi_row_sum), the
    leftover into the first, then p0 + p1 + p2 + p3."""
    n, rest = a.shape[0], a.shape[1:]
    n4 = n // 4
    if not n4:
        return _seq0(a)
    p = _mrs(a[:n4 * 4].reshape((n4, 4) + rest))
    return _seq0(np.concatenate((p[:1], a[n4 * 4:], p[1:])))


def _vsum(a: np.ndarray, lanes: int) -> np.ndarray:
    """ATen's vectorized_inner_sum along axis 0: row_sum over vectors of ``lanes``, then
    0 + the leftover elements in order + the lanes in order."""
    n, rest = a.shape[0], a.shape[1:]
    nv = n // lanes
    acc = _rs(a[:nv * lanes].reshape((nv, lanes) + rest))
    return _seq0(np.concatenate((a[nv * lanes:], acc)))


def _row_sums(a: np.ndarray, contiguous: bool, lanes: int) -> np.ndarray:
    """The inner loop's sum of each row (axis 0): vectorised when the rows are contiguous
    and hold a vector, else row_sum."""
    if a.ndim == 1:
        return _row_sums(a[:, None], contiguous, lanes)[0]
    if contiguous and a.shape[0] >= lanes:
        return _vsum(a, lanes)
    return _rs(a)


def _iter_dims(x: np.ndarray, red: set):
    """TensorIterator's dims for the reduction: size-1 dims dropped, reduced dims first
    (innermost first by input stride), kept ones by the (contiguous) output's strides, then
    coalesced. Each: [size, input stride, output stride (0 if reduced), logical dims]."""
    shape, strides = x.shape, x.strides
    ostr, acc = {}, x.itemsize
    for d in reversed(range(x.ndim)):
        if d in red:
            ostr[d] = 0
        else:
            ostr[d] = acc
            acc *= shape[d]

    def should_swap(d0, d1):
        o0, o1 = ostr[d0], ostr[d1]
        if (o0 == 0) != (o1 == 0):
            return 1 if o1 == 0 else -1
        for s0, s1 in ((o0, o1), (strides[d0], strides[d1])):
            if s0 == 0 or s1 == 0:
                continue
            if s0 != s1:
                return -1 if s0 < s1 else 1
            if shape[d0] > shape[d1]:
                return 1
        return 0

    perm = [d for d in reversed(range(x.ndim)) if shape[d] != 1]
    for i in range(1, len(perm)):
        d1 = i
        for d0 in range(i - 1, -1, -1):
            c = should_swap(perm[d0], perm[d1])
            if c > 0:
                perm[d0], perm[d1] = perm[d1], perm[d0]
                d1 = d0
            elif c < 0:
                break
    dims: list = []
    for d in perm:
        prev = dims[-1] if dims else None
        if prev and prev[0] * prev[1] == strides[d] and prev[0] * prev[2] == ostr[d]:
            dims[-1][0] *= shape[d]
            dims[-1][3].append(d)
        else:
            dims.append([shape[d], strides[d], ostr[d], [d]])
    return dims


def torch_sum(x: np.ndarray, axes=None, keepdim: bool = False) -> np.ndarray:
    """The sum of float32/float64 ``x`` over ``axes`` (None: all) in torch 2.13's CPU order,
    bit for bit; other dtypes by numpy."""
    if x.flags.c_contiguous:  # the common small cases first, with no planning
        lanes = _LANES.get(x.dtype)
        if lanes is not None and lanes <= x.size < 64 * lanes:
            if axes is None and not keepdim:
                return (_short_sum(x.reshape(-1), lanes) + x.dtype.type(0)).reshape(())
            if axes is not None and x.size == math.prod([x.shape[a] for a in axes]):
                # every kept dim has size 1: the sum of all elements (a (n, 1) bias's grad)
                total = _short_sum(x.reshape(-1), lanes) + x.dtype.type(0)
                return total.reshape(reduced_shape(x.shape, axes, keepdim))
    if (x.ndim == 2 and axes is not None and len(axes) == 1 and axes[0] % 2 == 0
            and x.flags.c_contiguous and x.shape[0] > 1 and x.shape[1] > 1):
        lanes = _LANES.get(x.dtype)
        if lanes is not None:  # a batch's column sums (a bias gradient): no planning
            out = _columns(x, lanes) + x.dtype.type(0)
            return out.reshape((1, -1)) if keepdim else out
    out_shape = reduced_shape(x.shape, tuple(range(x.ndim)) if axes is None else axes,
                                 keepdim)
    lanes = _LANES.get(x.dtype)
    if lanes is None:
        return np.asarray(x.sum(axis=axes, keepdims=keepdim))
    if x.size == 0:
        return np.zeros(out_shape, x.dtype)
    if axes is None or len(axes) == x.ndim:
        # a full reduction of a dense tensor: TensorIterator sums it in memory order
        flat = x.reshape(-1) if x.flags.c_contiguous else (
            x.T.reshape(-1) if x.flags.f_contiguous else None)
        if flat is not None:
            if flat.size < lanes:
                return np.asarray(_small_sum(flat), x.dtype).reshape(out_shape)
            if flat.size < 64 * lanes:
                return (_short_sum(flat, lanes) + x.dtype.type(0)).reshape(out_shape)
            return np.asarray(_full_sum(flat[None], True, lanes, sum_threads()) +
                              x.dtype.type(0)).reshape(out_shape)
    if any(s < 0 for s in x.strides):
        x = np.ascontiguousarray(x)  # a torch tensor never has negative strides
    red = set(range(x.ndim) if axes is None else (a % max(x.ndim, 1) for a in axes))
    dims = _iter_dims(x, red)
    nr = sum(1 for d in dims if d[2] == 0)
    kept, rdims = dims[nr:], dims[:nr]
    view = np.lib.stride_tricks.as_strided(
        x, [d[0] for d in reversed(kept)] + [d[0] for d in reversed(rdims)],
        [d[1] for d in reversed(kept)] + [d[1] for d in reversed(rdims)], writeable=False)
    kshape = tuple(d[0] for d in reversed(kept))
    zero = x.dtype.type(0)
    if not nr:
        return (view + zero).reshape(out_shape)
    size0, s0 = rdims[0][0], rdims[0][1]
    contiguous = s0 == x.itemsize
    threads = sum_threads()
    if not kept:
        out = _full_sum(view.reshape(-1, size0), contiguous, lanes, threads)
    elif nr == 1:
        out = _outer_or_inner(np.moveaxis(view, -1, 0), dims, contiguous, lanes, threads,
                              x.size)
    else:
        rows = view.reshape(kshape + (-1, size0))
        out = _seq0(np.moveaxis(_row_sums(np.moveaxis(rows, -1, 0), contiguous, lanes), -1, 0))
    return (np.asarray(out) + zero).reshape(out_shape)


def _columns(x: np.ndarray, lanes: int) -> np.ndarray:
    """The column sums of a C-contiguous (n, k) array, n and k > 1: what _outer_or_inner
    does for this layout (vectorized_outer_sum over groups of 4 vectors of columns, the
    other columns by row_sum; or scalar_outer_sum's groups of 4 columns)."""
    k = x.shape[1]
    cut = k // (4 * lanes) * 4 * lanes if k >= lanes else k // 4 * 4
    if not cut:
        return _rs(x)
    if cut == k:
        return _mrs(x)
    out = np.empty(k, x.dtype)
    out[:cut] = _mrs(x[:, :cut])
    out[cut:] = _rs(x[:, cut:])
    return out


def _outer_or_inner(a, dims, contiguous, lanes, threads, numel):
    """One reduced dim (axis 0 of ``a``) and kept dims: cascade_sum's four loops."""
    size0, s0 = dims[0][0], dims[0][1]
    k1, sk = dims[1][0], dims[1][1]
    isz = a.itemsize
    if contiguous and size0 >= lanes:
        return _vsum(a, lanes)
    if sk == isz and k1 >= lanes:  # vectorized_outer_sum: 4 vectors at a time, then 1
        grouped = k1 // (4 * lanes) * 4 * lanes
    elif s0 < sk:
        return _rs(a)
    else:  # scalar_outer_sum: 4 columns at a time; threads split the columns
        grouped = None
    out = np.empty(a.shape[1:], a.dtype)
    if grouped is None:
        starts = [0]
        if numel >= _GRAIN and threads > 1 and _split_dim(dims, threads) == 1 and sk != isz:
            nt = min(threads, k1)
            chunk = -(-k1 // nt)
            starts = list(range(0, k1, chunk))
        bounds = starts + [k1]
        for b, e in zip(bounds, bounds[1:]):
            g = b + (e - b) // 4 * 4
            out[..., b:g] = _mrs(a[..., b:g])
            out[..., g:e] = _rs(a[..., g:e])
        return out
    out[..., :grouped] = _mrs(a[..., :grouped])
    out[..., grouped:] = _rs(a[..., grouped:])
    return out


def _short_sum(flat: np.ndarray, lanes: int) -> np.ndarray:
    """_full_sum of a contiguous run of ``lanes`` to ``64 * lanes`` elements in its fewest
    numpy calls: the same additions in the same order (vectorized_inner_sum: row_sum over
    the vectors, whose multi_row_sum has fewer than 16 groups of 4 and so adds them in
    order; then 0 + the leftover elements + the lanes), up to the sign of a zero sum."""
    nv = flat.size // lanes
    n4 = nv // 4
    if n4:
        block = 4 * lanes
        p = _in_order(flat[:n4 * block].reshape(n4, block))
        rows = np.concatenate((p[:lanes], flat[n4 * block:nv * lanes], p[lanes:]))
        rows = rows.reshape(-1, lanes)
    else:
        rows = flat[:nv * lanes].reshape(nv, lanes)
    acc = _in_order(rows)
    if nv * lanes < flat.size:
        acc = np.concatenate((flat[nv * lanes:], acc))
    return np.add.accumulate(acc)[-1:]


def _in_order(rows: np.ndarray) -> np.ndarray:
    """rows[0] + rows[1] + ... in order (the fewest numpy calls for a few rows)."""
    n = rows.shape[0]
    if n == 1:
        return rows[0]
    if n <= 4:
        acc = rows[0] + rows[1]
        for i in range(2, n):
            acc += rows[i]
        return acc
    return np.add.accumulate(rows, axis=0)[-1]


def _small_sum(flat):
    """row_sum of fewer elements than a vector, with the dtype's scalars: 4 accumulators
    (element i into i % 4), then p0 + p1 + p2 + p3."""
    f = flat.dtype.type
    v = flat.tolist()
    if len(v) < 4:
        acc = f(0)
        for e in v:
            acc = f(acc + e)
        return acc
    acc = f(v[0])
    for e in v[4:]:
        acc = f(acc + e)
    for e in v[1:4]:
        acc = f(acc + e)
    return f(acc + 0.0)


def _split_dim(dims, threads):
    """find_split_dim: the outermost kept dim with at least ``threads`` columns, else the
    largest (parallel_dim_reduction gives each thread a range of its columns)."""
    best = len(dims) - 1
    for i in range(len(dims) - 1, 0, -1):
        if dims[i][2] == 0:
            break
        if dims[i][0] >= threads:
            return i
        if dims[i][0] > dims[best][0]:
            best = i
    return best


def _full_sum(rows, contiguous, lanes, threads):
    """A reduction to one value over ``rows`` (n, size0), the innermost last: one pass, or
    torch's two passes when it is large (each thread sums a slice of the flat range into
    its own slot, then the slots are summed)."""
    nrows, size0 = rows.shape
    n = nrows * size0

    def seg_sum(b, e):
        vals = []
        if b % size0:
            r, o = divmod(b, size0)
            end = min(size0, o + e - b)
            vals.append(_row_sums(rows[r, o:end], contiguous, lanes))
            b += end - o
        full = (e - b) // size0
        if full:
            r = b // size0
            vals.extend(_row_sums(rows[r:r + full].T, contiguous, lanes))
            b += full * size0
        if b < e:
            vals.append(_row_sums(rows[b // size0, :e - b], contiguous, lanes))
        return _seq0(np.asarray(vals, rows.dtype))

    if n < _GRAIN or threads == 1:
        return seg_sum(0, n)
    nt = min(threads, -(-n // _GRAIN))
    chunk = -(-n // nt)
    buf = np.zeros(threads, rows.dtype)
    for t, b in enumerate(range(0, n, chunk)):
        buf[t] = seg_sum(b, min(n, b + chunk))
    return _row_sums(buf, True, lanes)

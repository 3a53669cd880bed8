"""The row moments of torch's CPU normalisation kernels, bit for bit, vectorised across rows.

ATen's layer_norm and group_norm kernels (``LayerNormKernelImpl``, ``GroupNormKernelImpl``)
take each row's mean and biased variance from ``RowwiseMoments``
(aten/src/ATen/native/cpu/moments_utils.h), a Welford algorithm over SIMD lanes:

1. the row's ``n = N // W`` whole vectors of ``W`` lanes are cut into chunks of
   ``kChunkSize = 16`` vectors (the last chunk may be shorter); within a chunk every lane
   runs Welford's update from zero, with the factor ``c_j = 1 / (j + 1)`` rounded to float::

       delta = x - m1;  m1 = fma(c_j, delta, m1);  m2 = fma(delta, x - m1, m2)

2. each chunk's (count, m1, m2) is pushed onto a binary-counter ("cascade") stack of
   ``depth = CeilLog2(chunks)`` levels (at least 1) with ``AddMomentsVec``: after chunk
   ``i`` level ``j - 1`` is merged into level ``j`` and cleared while bit ``j - 1`` of
   ``i + 1`` is 0 (and ``j < depth``); at the end levels ``1 .. depth - 1`` are merged, in
   order, into level 0. ``AddMomentsVec`` (counts in vectors, ``c`` a float quotient)::

       n = m0 + m0_add;  c = m0_add / n;  delta = m1_add - m1
       m2 = fma(delta * m0, c * delta, m2 + m2_add);  m1 = m1 + c * delta

3. the scalar tail (``N % W`` elements) runs Welford's update with a division, unfused::

       delta = x - m1;  m1 += delta / k;  m2 += delta * (x - m1)

4. the W lanes are folded into the tail's moments, lane 0 first, with the scalar
   ``AddMoments`` -- which GCC contracts into FMAs (measured)::

       c = n / (m0 + n);  delta = m1_lane - m1
       m1 = fma(c, delta, m1);  m2 = m2 + fma(delta * delta * c, m0, m2_lane)

   and the variance is ``m2 / (N - ddof)``.

The width is that of the AVX2 build, 32 bytes (8 floats, 4 doubles), whatever the CPU:
torch registers these kernels for AVX2 only (``REGISTER_DISPATCH`` leaves the AVX512 slot
empty and the dispatcher falls back), which the measured results confirm.

Each step above is one numpy operation over all rows (and all lanes, and all whole chunks
at once for step 1), so the Python loops run over the chunk structure only.
"""

from __future__ import annotations

import numpy as np

from adcli.engine.fma import fma32, fma64

CHUNK = 16  # kChunkSize: vectors per Welford chunk
VEC_BYTES = 32  # the AVX2 Vectorized<T>: these kernels have no AVX512 build


def lanes(dtype) -> int:
    """Lanes of the Vectorized<T> the norm kernels run with."""
    return VEC_BYTES // np.dtype(dtype).itemsize


def _fma_for(dtype):
    return fma32 if np.dtype(dtype) == np.float32 else fma64


def _ceil_log2(x: int) -> int:
    """at::native::utils::CeilLog2: 1 for x <= 2."""
    return 1 if x <= 2 else int(x - 1).bit_length()


def _add_moments_vec(fma, t, add, base):
    """AddMomentsVec(add -> base) on (count, m1, m2) triples of (rows, W) arrays."""
    a0, a1, a2 = add
    b0, b1, b2 = base
    n = a0 + b0
    c = t(a0) / t(n) if n else t(0)
    delta = a1 - b1
    cd = c * delta
    m2 = fma(delta * t(b0), cd, b2 + a2)
    return n, b1 + cd, m2


def rowwise_moments(x: np.ndarray, ddof: int = 0) -> tuple:
    """(mean, variance) of every row of a 2-D float32/float64 array, as torch's
    ``RowwiseMoments(row, N, ddof)``: the variance is ``m2 / (N - ddof)``."""
    x = np.ascontiguousarray(x)
    rows, N = x.shape
    t = x.dtype.type
    fma = _fma_for(x.dtype)
    W = lanes(x.dtype)
    n = N // W
    m = -(-n // CHUNK)
    depth = _ceil_log2(m)
    with np.errstate(all="ignore"):
        # step 1: Welford within every chunk, all whole chunks at once
        vecs = x[:, :n * W].reshape(rows, n, W)
        whole = n // CHUNK
        chunks = []
        for count, blk in ((CHUNK, vecs[:, :whole * CHUNK].reshape(rows, whole, CHUNK, W)),
                           (n - whole * CHUNK, vecs[:, None, whole * CHUNK:])):
            if not count or not blk.shape[1]:
                continue
            m1 = np.zeros((rows, blk.shape[1], W), x.dtype)
            m2 = np.zeros_like(m1)
            for j in range(count):
                xj = blk[:, :, j]
                delta = xj - m1
                m1 = fma(t(1) / t(j + 1), delta, m1)
                m2 = fma(delta, xj - m1, m2)
            chunks += [(count, m1[:, i], m2[:, i]) for i in range(blk.shape[1])]
        # step 2: the cascade stack
        zero = np.zeros((rows, W), x.dtype)
        stk = [(0, zero, zero)] * depth
        for i, chunk in enumerate(chunks):
            stk[0] = _add_moments_vec(fma, t, chunk, stk[0])
            mask, j = i + 1, 1
            while j < depth and not mask & 1:
                stk[j] = _add_moments_vec(fma, t, stk[j - 1], stk[j])
                stk[j - 1] = (0, zero, zero)
                mask >>= 1
                j += 1
        for i in range(1, depth):
            stk[0] = _add_moments_vec(fma, t, stk[i], stk[0])
        _, lane_m1, lane_m2 = stk[0]
        # step 3: the scalar tail
        m0 = 0
        m1 = np.zeros(rows, x.dtype)
        m2 = np.zeros(rows, x.dtype)
        for i in range(n * W, N):
            xi = x[:, i]
            delta = xi - m1
            m0 += 1
            m1 = m1 + delta / t(m0)
            m2 = m2 + delta * (xi - m1)
        # step 4: the lanes folded in
        for lane in range(W):
            total = m0 + n
            c = t(n) / t(total) if total else t(0)
            delta = lane_m1[:, lane] - m1
            m1 = fma(c, delta, m1)
            m2 = m2 + fma(delta * delta * c, t(m0), lane_m2[:, lane])
            m0 = total
        var = m2 / t(N - ddof)
    return m1, var


def layer_norm_rows(x: np.ndarray, gamma, beta, eps: float) -> tuple:
    """LayerNormKernelImplInternal on a (M, N) float array: (y, mean, rstd).

    rstd = 1 / sqrt(var + eps) in the input's precision (eps cast to it, no clamp), then
    ``y = (x - mean) * rstd * gamma + beta``: the last multiply-add fused (vec::map3, or
    the scalar loop contracted by GCC); with no gamma the ``* 1`` folds away and the fused
    pair is ``(x - mean) * rstd + beta``."""
    t = x.dtype.type
    fma = _fma_for(x.dtype)
    mean, var = rowwise_moments(x)
    with np.errstate(all="ignore"):
        rstd = t(1) / np.sqrt(var + t(eps))
        xc = x - mean[:, None]
        if gamma is None:
            if beta is None:
                y = xc * rstd[:, None]
            else:
                y = fma(xc, rstd[:, None], beta[None])
        else:
            y = xc * rstd[:, None]
            y = y * gamma[None] if beta is None else fma(y, gamma[None], beta[None])
    return y.astype(x.dtype, copy=False), mean, rstd


def group_norm_rows(x: np.ndarray, groups: int, gamma, beta, eps: float) -> tuple:
    """GroupNormKernelImplInternal (contiguous) on an (N, C, HxW) float array:
    (y, mean, rstd) with mean and rstd of shape (N, groups).

    rstd = 1 / sqrt(max(var, 0) + eps) computed in double (eps is a double there) and
    rounded; with no affine ``y = (x - mean) * rstd``, else per channel
    ``scale = rstd * gamma``, ``bias = fma(-scale, mean, beta)``, ``y = fma(scale, x, bias)``
    (the scalar loops contracted by GCC, measured)."""
    t = x.dtype.type
    fma = _fma_for(x.dtype)
    n, c, hw = x.shape
    d = c // groups
    mean, var = rowwise_moments(x.reshape(n * groups, d * hw))
    with np.errstate(all="ignore"):
        rstd = (1.0 / np.sqrt(np.maximum(var, t(0)).astype(np.float64) + eps)).astype(x.dtype)
        mean, rstd = mean.reshape(n, groups), rstd.reshape(n, groups)
        x4 = x.reshape(n, groups, d, hw)
        m4, r4 = mean[:, :, None, None], rstd[:, :, None, None]
        if gamma is None and beta is None:
            y = (x4 - m4) * r4
        else:
            scale = r4 if gamma is None else r4 * gamma.reshape(1, groups, d, 1)
            b = np.zeros((1, groups, d, 1), x.dtype) if beta is None else \
                beta.reshape(1, groups, d, 1)
            y = fma(scale, x4, fma(-scale, m4, b))
    return y.reshape(x.shape).astype(x.dtype, copy=False), mean, rstd


# --- backward: the vec::map*_reduce_all row sums and the kernels' formulas --------------

def _lane_fold(acc: np.ndarray) -> np.ndarray:
    """vec_reduce_all over a full vector: the AVX2 float butterfly (lanes 4, 2, 1 apart);
    other types fold the lanes into lane 0 in order."""
    width = acc.shape[-1]
    if acc.dtype != np.float32:
        out = acc[..., 0]
        for i in range(1, width):
            out = out + acc[..., i]
        return out
    s = width // 2
    while s:
        acc = acc + acc[..., np.arange(width) ^ s]
        s //= 2
    return acc[..., 0]


def vec_sum_rows(a: np.ndarray, b=None, fused_tail: bool = False) -> np.ndarray:
    """``vec::map2_reduce_all(x * y, x + y)`` over the last axis of ``a`` and ``b`` (``b``
    None: ``vec::reduce_all(x + y)`` of ``a``): the first whole vector, then each next one
    added (products unfused), the partial last vector's lanes added (its multiply-add fused
    into one FMA where ``fused_tail``), the lanes folded; a row shorter than a vector
    folds its lanes in order."""
    fma = _fma_for(a.dtype)
    W = lanes(a.dtype)
    N = a.shape[-1]
    prod = (lambda s: a[..., s]) if b is None else (lambda s: a[..., s] * b[..., s])
    with np.errstate(all="ignore"):
        if N < W:
            out = prod(slice(0, 1))[..., 0]
            for i in range(1, N):
                out = out + prod(slice(i, i + 1))[..., 0]
            return out
        acc = prod(slice(0, W))
        full = N // W * W
        for d in range(W, full, W):
            acc = acc + prod(slice(d, d + W))
        if full < N:
            acc = acc.copy()
            r = N - full
            if fused_tail and b is not None:
                acc[..., :r] = fma(a[..., full:], b[..., full:], acc[..., :r])
            else:
                acc[..., :r] = acc[..., :r] + prod(slice(full, N))
        return _lane_fold(acc)


def thread_ranges(m: int, threads: int) -> list:
    """The (begin, end) rows at::parallel_for(0, m, 1, ...) gives each thread."""
    if m <= 1 or threads <= 1:
        return [(0, m)]
    size = -(-m // min(threads, m))
    return [(b, min(b + size, m)) for b in range(0, m, size)]


def _per_thread_sums(step, m: int, n: int, dtype, threads: int) -> np.ndarray:
    """Per-thread buffers accumulated row by row (``acc = step(acc, rows)``, all threads'
    k-th rows at once), then added up in thread order from zero."""
    ranges = thread_ranges(m, threads)
    acc = np.zeros((len(ranges), n), dtype)
    longest = max(e - b for b, e in ranges)
    for k in range(longest):
        live = [t for t, (b, e) in enumerate(ranges) if b + k < e]
        rows = np.array([ranges[t][0] + k for t in live])
        acc[live] = step(acc[live], rows)
    out = np.zeros(n, dtype)
    for t in range(len(ranges)):
        out = out + acc[t]
    return out


def layer_norm_backward_rows(dy, x, mean, rstd, gamma, need, threads: int) -> tuple:
    """LayerNormBackwardKernelImplInternal on (M, N) arrays: (dx, dgamma, dbeta), each
    None unless asked for in ``need`` (three booleans).

    Per row ``ds = sum(dy * x * gamma)`` and ``db = sum(dy * gamma)`` (vec::map*_reduce_all,
    the tail's multiply-add fused), ``b = fma(db, mean, -ds) * a * a * a / N``,
    ``c = fma(-b, mean, -(db * a / N))``, ``dx = fma(b, x, a * dy * gamma) + c`` with
    ``a = rstd``. dgamma and dbeta: per thread of at::parallel_for over rows, row by row
    ``fma(dy, fma(a, x, -a * mean), acc)`` and ``acc + dy``, then the threads' buffers
    summed in order."""
    t = dy.dtype.type
    fma = _fma_for(dy.dtype)
    M, N = dy.shape
    a = rstd[:, None]
    m = mean[:, None]
    dx = dgamma = dbeta = None
    with np.errstate(all="ignore"):
        if need[0]:
            if gamma is None:
                ds = vec_sum_rows(dy, x, fused_tail=True)
                db = vec_sum_rows(dy)
                first = a * dy
            else:
                g = np.broadcast_to(gamma, dy.shape)
                ds = vec_sum_rows(dy * x, g, fused_tail=True)
                db = vec_sum_rows(dy, g, fused_tail=True)
                first = a * dy * gamma
            scale = t(1) / t(N)
            b = fma(db, mean, -ds) * rstd * rstd * rstd * scale
            c = fma(-b, mean, -(db * rstd * scale))
            dx = fma(b[:, None], x, first) + c[:, None]
        if need[1]:
            shift = -a * m

            def gamma_step(acc, rows):
                return fma(dy[rows], fma(a[rows], x[rows], shift[rows]), acc)
            dgamma = _per_thread_sums(gamma_step, M, N, dy.dtype, threads)
        if need[2]:
            dbeta = _per_thread_sums(lambda acc, rows: acc + dy[rows], M, N, dy.dtype,
                                     threads)
    return dx, dgamma, dbeta


def group_norm_backward_rows(dy, x, mean, rstd, gamma, groups: int, need,
                             threads: int) -> tuple:
    """GroupNormBackwardKernelImplInternal (contiguous) on (N, C, HxW) arrays: (dx, dgamma,
    dbeta), each None unless asked for in ``need``.

    Per (n, c) ``ds = sum(dy * x)``, ``db = sum(dy)`` over HxW (vec::map2_reduce_all; the
    tail's multiply-add fused for double only, measured). Per (n, g), as CalcDsDb,
    ``ds_g = sum_c ds * gamma``: vectors of channels accumulated with FMAs, the lanes
    added in order from 0, the leftover channels added with FMAs -- except, when torch runs
    on one thread, the leading groups of 16 bytes of them, unfused: at::parallel_for then
    calls the kernel's lambda inline, a copy GCC compiled differently (measured); likewise
    ``db_g``. Then ``c2 = fma(db_g, mean, -ds_g) * rstd^3 / (D HxW)``,
    ``c3 = fma(-(db_g * rstd), 1 / (D HxW), -c2 * mean)``,
    ``dx = fma(rstd * gamma, dy, c2 * x) + c3``. dgamma: over n in order,
    ``fma(fma(-db, mean, ds), rstd, acc)``; dbeta: ``acc + db``."""
    t = dy.dtype.type
    fma = _fma_for(dy.dtype)
    n, c, hw = dy.shape
    d = c // groups
    W = lanes(dy.dtype)
    with np.errstate(all="ignore"):
        ds = vec_sum_rows(dy, x, fused_tail=dy.dtype != np.float32).reshape(n, groups, d)
        db = vec_sum_rows(dy).reshape(n, groups, d)
        dx = dgamma = dbeta = None
        if need[0]:
            g3 = None if gamma is None else gamma.reshape(1, groups, d)
            whole = d // W * W
            dsv = np.zeros((n, groups, W), dy.dtype)
            dbv = np.zeros_like(dsv)
            for j in range(0, whole, W):
                if g3 is None:
                    dsv = dsv + ds[:, :, j:j + W]
                    dbv = dbv + db[:, :, j:j + W]
                else:
                    dsv = fma(ds[:, :, j:j + W], g3[:, :, j:j + W], dsv)
                    dbv = fma(db[:, :, j:j + W], g3[:, :, j:j + W], dbv)
            ds_g = np.zeros((n, groups), dy.dtype)
            db_g = np.zeros_like(ds_g)
            for lane in range(W):
                ds_g = ds_g + dsv[:, :, lane]
                db_g = db_g + dbv[:, :, lane]
            # one thread: the inline copy handles the leftover channels 16 bytes at a time
            # (4 floats, 2 doubles) unfused, and the rest with FMAs
            quad = VEC_BYTES // 2 // dy.dtype.itemsize
            unfused = whole + (d - whole) // quad * quad if threads <= 1 else whole
            for j in range(whole, d):
                if g3 is None:
                    ds_g = ds_g + ds[:, :, j]
                    db_g = db_g + db[:, :, j]
                elif j < unfused:
                    ds_g = ds_g + ds[:, :, j] * g3[:, :, j]
                    db_g = db_g + db[:, :, j] * g3[:, :, j]
                else:
                    ds_g = fma(ds[:, :, j], g3[:, :, j], ds_g)
                    db_g = fma(db[:, :, j], g3[:, :, j], db_g)
            s = t(1) / t(d * hw)
            c2 = fma(db_g, mean, -ds_g) * rstd * rstd * rstd * s
            c3 = fma(-(db_g * rstd), s, -c2 * mean)
            c1 = rstd[:, :, None] if g3 is None else rstd[:, :, None] * g3
            x4 = x.reshape(n, groups, d, hw)
            dy4 = dy.reshape(n, groups, d, hw)
            dx = (fma(c1[..., None], dy4, c2[:, :, None, None] * x4)
                  + c3[:, :, None, None]).reshape(dy.shape)
        if need[1]:
            acc = np.zeros((groups, d), dy.dtype)
            for k in range(n):
                acc = fma(fma(-db[k], mean[k][:, None], ds[k]), rstd[k][:, None], acc)
            dgamma = acc.reshape(c)
        if need[2]:
            acc = np.zeros((groups, d), dy.dtype)
            for k in range(n):
                acc = acc + db[k]
            dbeta = acc.reshape(c)
    return dx, dgamma, dbeta

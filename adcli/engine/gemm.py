"""float32 matrix products in torch 2.13's order of operations, to the last bit.

torch's CPU float32 ``mm``/``addmm``/``mv`` call MKL (sgemm/sgemv; the build in the torch
2.13 wheel, MKL 2024.2), and ``bmm`` of fewer than 400 multiply-adds per matrix ATen's own
loop. numpy calls OpenBLAS, which adds the k products in another order, with FMAs. The
rules below were measured on the reference machine (an AMD EPYC with AVX-512, one thread,
as the corpus references are made) by revealing each output element's summation tree
(one product set to +M, one to -M, the rest 1: the result counts the products outside the
pair's subtree, "FPRev") and then checked bit for bit on random inputs (bench notes in
docs/differences.md). MKL picks its kernels per CPU, so another CPU may differ.

Notation: torch computes C (m, n) = A (m, k) @ B (k, n); A and B are "N" (rows
contiguous) or "T" (a transposed view), as torch's addmm_impl_cpu_ classifies them;
"chain" is ((p0 + p1) + p2) + ... of the float32 products in float32, unfused.

* F: m >= 4 and n >= 12, any layout: MKL's packed kernel. Each output is an FMA chain from
  0 over a block of k, in order; k is cut in blocks of 192 (k <= 192: one block; up to 384:
  two of k // 2 and a last one of k % 2; beyond: blocks of 192 and the rest), and the block
  sums are added in order to the bias (addmm) or to the first one.
* P: NN and TN outside F (n >= 2 for NN): the chain, the bias its first term. Where a row
  of C does not start 16-byte aligned (row i at element i * n), its first
  ``pl = -(i * n) % 4`` elements are computed apart when ``n - pl >= 4``: per full block of 8
  products, the first four are added one by one and the last four as their own chain.
* U: TT outside F, m >= 2, n >= 2: the chain, the bias added at the end (n == 1: as P).
* T: NT outside F, m >= 2, n >= 2 (nn.Linear's forward with up to 11 outputs): a dot
  product per element with a prologue of ``p = -(address of A's row) % 4`` products (to a
  16-byte boundary), then 4 lanes (products p + r, p + r + 4, ...; the prologue in lane 0)
  summed ((l0 + l2) + (l1 + l3)), then the rest one by one. The last n % 4 columns use 8
  lanes (((l0 + l4) + (l2 + l6)) + ((l1 + l5) + (l3 + l7))) when k - p >= 12, 4 when it is
  8 to 11, the chain below. The bias is added at the end.
* gemv (mv of a row-major matrix; mm with n == 1 from an N matrix; mm with m == 1 of an
  N row and a T matrix): rows in groups of four take 4 lanes ending at the last product
  (the first ``s = k - 4 * ((k - 1) // 4)`` products chained into lane 0), the 1-3 rows
  left over a prologue of 4 products then 8 products a step on 8, 4, 8 lanes (the first,
  second, third row left), then the rest one by one; k < 12 there: the chain. This holds
  when both operands start 16-byte aligned (checked here on numpy's addresses). The bias
  is added at the end. (1, k) @ (k, 1) of N operands is the chain.
* mv of a column-major matrix (``mv(W.t(), u)``): the chain over the columns.
* bmm of m * n * k < 400: ATen's loop, the chain; bmm in region F: F.

Everything else (m == 1 TT, misaligned gemv operands, alpha/beta other than 1, several
threads, float64) is left to numpy and so may differ in the last bit, and so is every
product of more than ``WORK`` multiply-adds: F costs a Python step of three numpy passes
per k over the m * n outputs (~100 times numpy's matmul), the others a float32 array of
all k * m * n products. One inexact product in a training step makes the whole run
inexact, so one bound for all rules: a program whose products all fit is exact.
"""

from __future__ import annotations

import functools

import numpy as np

from adcli.engine.fma import fma32_chain
from adcli.engine.sum_order import _seq0

F32 = np.float32
_F64 = np.float64

# above this many multiply-adds a product (a batch, for bmm) is numpy's: region F's exact
# FMA chain costs several ns a multiply-add, the other rules ~1 (numpy's sgemm: ~0.05)
WORK = 1 << 15
# ATen's bmm loop below this many multiply-adds a matrix (BlasKernel / LinearAlgebra.cpp)
BMM_SMALL = 400


def _add(x: np.ndarray, y: np.ndarray) -> np.ndarray:
    return np.add(x, y, dtype=F32)


def _layout(x: np.ndarray, first: int) -> str:
    """'N' or 'T' as torch's addmm_impl_cpu_ takes a float32 matrix operand, or 'C' where
    torch copies it to a fresh contiguous one (then used as 'N'); ``first`` is the size
    torch's leading dimension check compares the stride with (m for mat1, k for mat2)."""
    item = x.itemsize
    s0, s1 = x.strides
    if s0 % item or s1 % item:
        return "C"
    s0, s1 = s0 // item, s1 // item
    if s0 == 1 and s1 >= max(1, first):
        return "T"
    if s1 == 1 and s0 >= max(1, x.shape[1]):
        return "N"
    return "C"


def _start(x: np.ndarray) -> int | None:
    """Where x starts in bytes past the start of the array that owns its memory (as a
    torch view's storage offset; torch's storages start 64-byte aligned), or None."""
    owner = x
    while isinstance(owner.base, np.ndarray):
        owner = owner.base
    if owner.base is not None:
        return None
    return x.__array_interface__["data"][0] - owner.__array_interface__["data"][0]


def _offset(x: np.ndarray) -> int | None:
    """x's start in float32 elements past a 16-byte boundary (None: unknown, or not
    4-byte aligned)."""
    start = _start(x)
    return None if start is None or start % 4 else (start % 16) // 4


def _chain(rows: np.ndarray) -> np.ndarray:
    """rows[0] + rows[1] + ... in order, in float32 (rows along axis 0)."""
    if rows.shape[0] == 1:
        return rows[0].copy()
    return _seq0(np.ascontiguousarray(rows))


def _products(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """P[p, i, j] = a[i, p] * b[p, j] rounded to float32, shape (k, m, n) (einsum: numpy's
    broadcast multiply is slow on a short last dimension)."""
    return np.einsum("ip,pj->pij", a, b)


def _bias_rows(bias, shape) -> np.ndarray:
    return np.broadcast_to(np.asarray(bias, F32), shape)[None]


# ------------------------------------------------------------------------- the rules
_LOW29 = np.uint64(0x1FFFFFFF)
_MID29 = np.uint64(0x10000000)


def _fma_chain(at: np.ndarray, bt: np.ndarray, shape: tuple) -> np.ndarray:
    """acc = fma(at[p], bt[p], acc) from acc = 0, p in order, in float32 (``shape`` the
    broadcast shape, k first). Each step is a double add of the exact product rounded to
    float32; that equals one rounding unless the double sum sits on a float32 midpoint or
    the result is subnormal, which are checked for afterwards (then engine/fma.py's
    fma32_chain, exact in every case, does it over)."""
    sums = np.multiply(at.astype(_F64), bt.astype(_F64))  # exact products, then the sums
    acc32 = sums[0].astype(F32)
    acc64 = np.empty(shape[1:], _F64)
    with np.errstate(all="ignore"):
        for p in range(1, shape[0]):
            np.copyto(acc64, acc32)
            s = sums[p]
            np.add(s, acc64, out=s)
            np.copyto(acc32, s, casting="unsafe")
        work = np.bitwise_and(sums[1:].view(np.uint64), _LOW29)
        risky = np.equal(work, _MID29).any()
    if risky or not _no_subnormal(at, bt):
        return fma32_chain(np.broadcast_to(at, shape), np.broadcast_to(bt, shape))
    return acc32


def _ulp_floor(x: np.ndarray) -> float:
    """The smallest ulp of x's nonzero entries (inf: none)."""
    ax = np.abs(x)
    nz = ax[ax > 0]
    return float(np.spacing(nz.min())) if nz.size else float("inf")


def _no_subnormal(at: np.ndarray, bt: np.ndarray) -> bool:
    """Whether every product, partial sum and float32 accumulator is a multiple of 2**-126
    (so zero or normal): the products' lowest bits are at least that."""
    with np.errstate(all="ignore"):
        return _ulp_floor(at) * _ulp_floor(bt) >= 2.0 ** -126


def _rule_f(a: np.ndarray, b: np.ndarray, bias) -> np.ndarray:
    k = a.shape[-1]
    if k <= 192:
        kc = k
    elif k <= 384:
        kc = k // 2
    else:
        kc = 192
    out = None if bias is None else np.broadcast_to(np.asarray(bias, F32),
                                                    a.shape[:-1] + b.shape[-1:])
    at = np.moveaxis(a, -1, 0)[..., None]  # (k, ..., m, 1)
    bt = np.moveaxis(b, -2, 0)[..., None, :]  # (k, ..., 1, n)
    full = (k,) + np.broadcast_shapes(at.shape[1:], bt.shape[1:])
    for s in range(0, k, kc):
        e = min(s + kc, k)
        part = _fma_chain(at[s:e], bt[s:e], (e - s,) + full[1:])
        out = part if out is None else _add(out, part)
    return out


def _rule_p(a: np.ndarray, b: np.ndarray, bias) -> np.ndarray:
    m, n = a.shape[0], b.shape[1]
    prods = _products(a, b)
    rows = prods if bias is None else np.concatenate((_bias_rows(bias, (m, n)), prods))
    out = _chain(rows)
    k = prods.shape[0]
    if k < 8 or n < 5:
        return out  # a peeled element's order is the chain's below 8 products
    ii, jj = _peeled(m, n)
    if not ii.size:
        return out
    x = prods[:, ii, jj]  # (k, e)
    nb = k // 8
    blocks = x[:8 * nb].reshape(nb, 8, -1)
    half = _add(_add(_add(blocks[:, 4], blocks[:, 5]), blocks[:, 6]), blocks[:, 7])
    seq = np.concatenate((blocks[:, :4], half[:, None]), axis=1).reshape(5 * nb, -1)
    parts = [seq, x[8 * nb:]]
    if bias is not None:
        parts.insert(0, np.broadcast_to(np.asarray(bias, F32), (m, n))[ii, jj][None])
    out[ii, jj] = _chain(np.concatenate(parts))
    return out


@functools.lru_cache(maxsize=256)
def _peeled(m: int, n: int) -> tuple:
    """The elements of a fresh (m, n) C that MKL computes apart: the first
    ``pl = -(i * n) % 4`` of row i when ``n - pl >= 4``."""
    ii, jj = [], []
    for i in range(1, m):
        pl = -(i * n) % 4
        if pl and n - pl >= 4:
            ii.extend([i] * pl)
            jj.extend(range(pl))
    return np.array(ii, np.intp), np.array(jj, np.intp)


def _lanes(x: np.ndarray, lanes: int, start: int, rounds: int) -> np.ndarray:
    """x (k, ...): products ``start + r + lanes * s`` (s < rounds) summed in lane r, the
    products before ``start`` chained into lane 0 first; lanes added as a vector's halves
    are; the products after added one by one."""
    end = start + lanes * rounds
    body = x[start:end].reshape((rounds, lanes) + x.shape[1:])
    lane0 = _chain(np.concatenate((x[:start], body[:, 0])))
    rest = _chain(body[:, 1:]) if rounds > 1 else body[0, 1:]
    lv = [lane0] + [rest[r - 1] for r in range(1, lanes)]
    if lanes == 4:
        t = _add(_add(lv[0], lv[2]), _add(lv[1], lv[3]))
    else:
        t = _add(_add(_add(lv[0], lv[4]), _add(lv[2], lv[6])),
                 _add(_add(lv[1], lv[5]), _add(lv[3], lv[7])))
    if end < x.shape[0]:
        t = _chain(np.concatenate((t[None], x[end:])))
    return t


def _rule_t(a: np.ndarray, b: np.ndarray, off: int) -> np.ndarray:
    m, k = a.shape
    n = b.shape[1]
    out = np.empty((m, n), F32)
    row = a.strides[0] // a.itemsize
    pvals = np.array([-(off + i * row) % 4 for i in range(m)])
    nm = 4 * (n // 4)
    for p in range(4):
        sel = np.nonzero(pvals == p)[0]
        if not sel.size:
            continue
        prods = _products(a[sel], b)  # (k, r, n)
        left = k - p
        if nm:
            x = prods[:, :, :nm]
            out[sel, :nm] = _lanes(x, 4, p, left // 4) if left >= 4 else _chain(x)
        if nm < n:
            x = prods[:, :, nm:]
            if left >= 12:
                res = _lanes(x, 8, p, left // 8)
            elif left >= 8:
                res = _lanes(x, 4, p, left // 4)
            else:
                res = _chain(x)
            out[sel, nm:] = res
    return out


def _gemv(mat: np.ndarray, v: np.ndarray) -> np.ndarray | None:
    """MKL sgemv (transposed, so a dot product per row) of a row-major ``mat`` (r, k), its
    rows one after another (None otherwise: MKL adds rows with gaps in another order)."""
    r, k = mat.shape
    if r > 1 and mat.strides[0] != k * mat.itemsize:
        return None
    prods = np.multiply(mat.T, v[:, None], dtype=F32)  # (k, r)
    out = np.empty(r, F32)
    r4 = 4 * (r // 4)
    if r4:
        x = prods[:, :r4]
        if k <= 4:
            out[:r4] = _chain(x)
        else:
            s = k - 4 * ((k - 1) // 4)
            out[:r4] = _lanes(x, 4, s, (k - s) // 4)
    for t, i in enumerate(range(r4, r)):
        x = prods[:, i:i + 1]
        q8 = (k - 4) // 8 if k >= 4 else 0
        if q8 == 0:
            out[i] = _chain(x)[0]
        else:
            lanes = 4 if t == 1 else 8
            out[i] = _lanes(x, lanes, 4, 8 * q8 // lanes)[0]
    return out


def _aligned(*xs) -> bool:
    return all(_offset(x) == 0 for x in xs)


def _fresh(*xs) -> bool:
    return all(_start(x) == 0 for x in xs)


# ------------------------------------------------------------------------- entry points
def mm32(a: np.ndarray, b: np.ndarray, bias=None) -> np.ndarray | None:
    """torch's float32 ``a @ b`` (``bias + a @ b`` for addmm with beta = alpha = 1, bias
    broadcastable to the product) to the last bit where its order is known (see the module
    docstring), else None. ``a`` and ``b`` keep the strides torch's tensors have."""
    if a.dtype != F32 or b.dtype != F32 or a.ndim != 2 or b.ndim != 2:
        return None
    if bias is not None and np.asarray(bias).dtype != F32:
        return None
    m, k = a.shape
    n = b.shape[1]
    if m == 0 or n == 0 or k == 0:
        return None
    if k == 1:
        prod = np.multiply(a, b, dtype=F32)
        return prod if bias is None else _add(np.broadcast_to(np.asarray(bias, F32), (m, n)),
                                              prod)
    if m * n * k > WORK:
        return None
    if m >= 4 and n >= 12:
        return _rule_f(a, b, bias)
    la, lb = _layout(a, m), _layout(b, k)
    if la == "C":
        a, la = np.array(a, order="C"), "N"  # torch's copy: fresh, aligned
    if lb == "C":
        b, lb = np.array(b, order="C"), "N"
    if n == 1 and la == "N" and lb == "N" and m == 1:
        return _rule_p(a, b, bias)  # a dot product: the chain, the bias first
    if n == 1 and la == "N" and (m > 1 or lb == "T"):
        # gemv over A's rows (mm's n == 1: torch takes C as column-major)
        if b.strides[0] != b.itemsize or not _aligned(a, b) or (m == 1 and not _fresh(a, b)):
            return None
        out = _gemv(a, b[:, 0])
        if out is None:
            return None
        out = out[:, None]
    elif n == 1:  # TN, TT: the chain, the bias first
        if la == "T" and lb == "T" and (m == 1 or not _aligned(a, b)):
            return None
        return _rule_p(a, b, bias)
    elif m == 1 and la == "N" and lb == "T":
        w = b.T  # gemv over B's columns
        if not _aligned(a, w) or (n == 1 and not _fresh(a, w)):
            return None
        out = _gemv(w, a[0])
        if out is None:
            return None
        out = out[None, :]
    elif la == "T" and lb == "T":
        if m == 1:
            return None
        out = _chain(_products(a, b))
    elif lb == "N":
        return _rule_p(a, b, bias)
    else:  # NT, m >= 2, n >= 2
        off = _offset(a)
        if off is None:
            return None
        out = _rule_t(a, b, off)
    if bias is not None:
        out = _add(out, np.broadcast_to(np.asarray(bias, F32), (m, n)))
    return out


def mv32(mat: np.ndarray, v: np.ndarray) -> np.ndarray | None:
    """torch.mv in float32 to the last bit where known (a row-major matrix, both operands
    16-byte aligned), else None."""
    if mat.dtype != F32 or v.dtype != F32 or mat.ndim != 2 or v.ndim != 1:
        return None
    r, k = mat.shape
    if r == 0 or k == 0 or v.strides[0] != v.itemsize:
        return None
    if k == 1:
        return np.multiply(mat[:, 0], v[0], dtype=F32)
    if r * k > WORK:
        return None
    if mat.strides[0] == mat.itemsize and mat.strides[1] == r * mat.itemsize:
        # a column-major matrix (a transposed view): sgemv adds the columns in order
        return _chain(np.multiply(mat.T, v[:, None], dtype=F32))
    if mat.strides[1] != mat.itemsize or not _aligned(mat, v) or (r == 1 and not _fresh(mat, v)):
        return None
    return _gemv(mat, v)


def bmm32(a: np.ndarray, b: np.ndarray) -> np.ndarray | None:
    """torch.bmm in float32 to the last bit where known (ATen's small loop; region F),
    else None."""
    if a.dtype != F32 or b.dtype != F32 or a.ndim != 3 or b.ndim != 3:
        return None
    nb, m, k = a.shape
    n = b.shape[2]
    if nb == 0 or m == 0 or n == 0 or k == 0 or nb * m * n * k > WORK:
        return None
    if m * n * k < BMM_SMALL:
        prods = np.einsum("bip,bpj->pbij", a, b)  # (k, batch, m, n)
        return _chain(prods)
    if m >= 4 and n >= 12:
        return _rule_f(a, b, None)
    return None

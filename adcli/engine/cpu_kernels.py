"""torch's CPU float kernels, redone in numpy so that their results agree bit for bit.

What torch 2.13 computes, and what this module does about it:

* ``torch.exp``, ``log``, ``sin``, ``cos``, ``tan``, ``tanh``, ``sqrt``, ``erf``, ... on a
  contiguous float tensor call MKL's vector math library (VML, "HA" mode). Its last bits are
  MKL's own, and they differ between CPUs (MKL picks a code path per CPU). The best answer
  that does not depend on the machine is the correctly rounded one: :func:`rounded` computes
  in float64 and rounds once.
* Kernels that ATen composes itself (sigmoid, silu, softplus, logsigmoid, gelu, softmax,
  log_softmax) are written with ``at::vec::Vectorized``; their ``exp`` is SLEEF's ``expf``
  (1-ulp variant), which :func:`sleef_expf` reproduces exactly (its two FMAs are exact, see
  engine/fma.py). An elementwise kernel runs the vector code on blocks of two vectors and a
  scalar lambda (glibc's ``expf``, correctly rounded in practice) on what is left at the end
  of each thread's chunk: :func:`composite` splits an array the same way.
* ``softmax``/``log_softmax`` over the last dimension take the row's max and sum with
  ``vec::reduce_all``: lanes of the CPU's vector width, a tail merged lane by lane, then a
  butterfly across lanes (:func:`vec_sum_rows`).

The vector width comes from torch's CPU capability: ``ATEN_CPU_CAPABILITY`` when it is set
(as torch reads it), else AVX512 when the CPU has avx512f/bw/vl/dq, else AVX2. Measured
agreement per function is in docs/differences.md (bench/fidelity.py measures it).
"""

from __future__ import annotations

import math
import os

import numpy as np

from adcli.engine import special
from adcli.engine.fma import _LOW29, _MID29, fma32  # a float32 midpoint in a double's bits

_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_GRAIN = 32768  # at::internal::GRAIN_SIZE

_CAPABILITY: list = [None]
# torch's intra-op threads (None: its default); the sums and elementwise chunks follow them
SUM_THREADS: list = [None]


def sum_threads() -> int:
    """The threads torch would reduce with: OMP_NUM_THREADS / MKL_NUM_THREADS, else the
    number of physical cores (as c10's defaultNumThreads)."""
    if SUM_THREADS[0] is None:
        n = 0
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            try:
                n = int(os.environ.get(var, "")) or n
            except ValueError:
                pass
        if n <= 0:
            logical = os.cpu_count() or 1
            try:
                cores, phys = set(), None
                with open("/proc/cpuinfo") as f:
                    for line in f:
                        key, _, val = line.partition(":")
                        key = key.strip()
                        if key == "physical id":
                            phys = val.strip()
                        elif key == "core id":
                            cores.add((phys, val.strip()))
                n = len(cores) if 0 < len(cores) < logical else logical
            except OSError:
                n = logical
        SUM_THREADS[0] = max(1, n)
    return SUM_THREADS[0]


def cpu_capability() -> str:
    """torch's ``backends.cpu.get_cpu_capability()`` on this machine, lower case."""
    if _CAPABILITY[0] is None:
        flags: set = set()
        try:
            with open("/proc/cpuinfo", encoding="ascii", errors="replace") as fh:
                for line in fh:
                    if line.startswith("flags"):
                        flags = set(line.partition(":")[2].split())
                        break
        except OSError:
            pass
        best = "default"
        if {"avx2", "fma"} <= flags:
            best = "avx2"
        if {"avx512f", "avx512bw", "avx512vl", "avx512dq"} <= flags:
            best = "avx512"
        order = ("default", "avx2", "avx512")
        asked = os.environ.get("ATEN_CPU_CAPABILITY", "").strip().lower()
        if asked in order and order.index(asked) < order.index(best):
            best = asked
        _CAPABILITY[0] = best
    return _CAPABILITY[0]


def vec_width(dtype) -> int:
    """Lanes of ``at::vec::Vectorized<T>`` for a float dtype."""
    bytes_ = 64 if cpu_capability() == "avx512" else 32
    return bytes_ // np.dtype(dtype).itemsize


# x86's 80-bit long double carries 11 bits more than float64: enough to round once
_WIDE = np.longdouble if np.finfo(np.longdouble).nmant >= 63 else None


def rounded(fn):
    """``fn`` (a numpy ufunc) correctly rounded, or nearly: float32 is computed in float64
    and rounded once, float64 in long double where it is wider. Other dtypes go to ``fn``.
    (No errstate per call: engine/tensor.py sets numpy's error policy once, to ignore.)"""

    def kernel(x):
        try:
            dtype = x.dtype
        except AttributeError:  # a Python number
            x = np.asarray(x)
            dtype = x.dtype
        if dtype == _F32 or dtype == np.float16:
            return fn(x.astype(_F64)).astype(dtype)
        if dtype == _F64 and _WIDE is not None:
            return fn(x.astype(_WIDE)).astype(_F64)
        return fn(x)

    kernel.__name__ = getattr(fn, "__name__", "kernel")
    kernel.__doc__ = f"{kernel.__name__}, correctly rounded in float32"
    kernel.elementwise_float = True  # see ops/kinds.py: the unary ops' inline path
    return kernel


exp = rounded(np.exp)
log = rounded(np.log)
log1p = rounded(np.log1p)
expm1 = rounded(np.expm1)
tanh = rounded(np.tanh)
erf_f64 = special.erf  # the C library's erf in float64 (vectorised: engine/special.py)
erf = rounded(erf_f64)


# --- blocks: what an emulated kernel's temporaries need to stay in the CPU's cache ---------

BLOCK = 1 << 15  # float64 temporaries of 256 KiB: a dozen of them fit a 2 MiB L2 cache


def blocked(kernel):
    """``kernel`` (elementwise, on a float32 array) run on blocks of ``BLOCK`` elements.

    An emulated vector kernel makes dozens of full-size temporaries (each exact FMA alone
    makes several); block by block they stay in cache: SLEEF's exp on 10^6 floats
    24 -> 14 ms, the same bits."""

    def run(x):
        x = np.asarray(x, _F32)
        if x.size <= BLOCK:
            return kernel(x)
        flat = np.ascontiguousarray(x).reshape(-1)
        out = np.empty(flat.size, _F32)
        for i in range(0, flat.size, BLOCK):
            out[i:i + BLOCK] = kernel(flat[i:i + BLOCK])
        return out.reshape(x.shape)

    run.__name__, run.__doc__ = kernel.__name__, kernel.__doc__
    return run


# --- SLEEF's expf (xexpf, the u10 variant), as ATen's Vectorized<float>::exp runs it -------

_R_LN2 = np.float32(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U = np.float32(0.693145751953125)
_L2L = np.float32(1.428606765330187045e-06)
_EXP_POLY = tuple(np.float32(c) for c in (
    0.000198527617612853646278381, 0.00139304355252534151077271,
    0.00833336077630519866943359, 0.0416664853692054748535156,
    0.166666671633720397949219, 0.5))


def sleef_expf_steps(d: np.ndarray) -> np.ndarray:
    """SLEEF's single-precision exp: q = rint(d/ln2), d - q*ln2 in two FMAs, a degree-6
    polynomial by FMAs, then scaling by 2**q in two halves. Exact against torch, each FMA
    rounded once by engine/fma.py (the reference that :func:`sleef_expf` falls back on)."""
    d = np.asarray(d, _F32)
    with np.errstate(all="ignore"):
        q = np.rint(d * _R_LN2)
        q = np.clip(q, -256, 256).astype(np.int32)  # beyond, the result is 0 or inf anyway
        qf = q.astype(_F32)
        s = fma32(qf, -_L2U, d)
        s = fma32(qf, -_L2L, s)
        u = np.full(s.shape, _EXP_POLY[0], _F32)
        for c in _EXP_POLY[1:]:
            u = fma32(u, s, c)
        u = np.float32(1) + fma32(s * s, u, s)
        return _exp_scale(u, q, d)


def _exp_scale(u: np.ndarray, q: np.ndarray, d: np.ndarray) -> np.ndarray:
    """u * 2**q in two halves, then SLEEF's ends: 0 below -104, inf above 100, nan kept."""
    half = q >> 1
    u = u * _pow2(half) * _pow2(q - half)
    u = np.where(d < np.float32(-104), np.float32(0), u)
    u = np.where(d > np.float32(100), np.float32(np.inf), u)
    return np.where(np.isnan(d), d, u).astype(_F32, copy=False)


_U64 = np.dtype(np.uint64)
_L2U_64, _L2L_64 = -float(_L2U), -float(_L2L)
_EXP_POLY_64 = tuple(float(c) for c in _EXP_POLY)
_EXP_TINY = np.float32(2.0 ** -60)


def _f32(v: np.ndarray) -> np.ndarray:
    """float64 values rounded to float32, kept as float64."""
    return v.astype(_F32).astype(_F64)


class _FmaChain:
    """Float32 FMAs on float64 arrays that hold float32 values: a product of two such
    values is exact in double, so ``fma(product, addend)`` adds in double and rounds to
    float. The two roundings can differ from one only where the double sits on a float32
    midpoint: ``flags`` marks those elements, for the caller to redo exactly."""

    def __init__(self, flags: np.ndarray) -> None:
        self.flags = flags
        self.work = np.empty(flags.shape, _U64)

    def fma(self, product: np.ndarray, addend) -> np.ndarray:
        product += addend
        np.bitwise_and(product.view(_U64), _LOW29, out=self.work)
        self.flags |= self.work == _MID29
        return _f32(product)


@blocked
def sleef_expf(d: np.ndarray) -> np.ndarray:
    """SLEEF's expf with the same bits as :func:`sleef_expf_steps`, in about half the numpy
    calls: the whole chain in float64 arrays holding float32 values. A product of two such
    values is exact in double, so an FMA is that product plus the addend rounded once in
    double, then to float; the two roundings differ from one only where the double lands on
    a float32 midpoint, and those elements (and tiny nonzero inputs, whose intermediates
    could be subnormal) are redone by the exact steps. d - q*ln2's high part is exact in double (q
    has 9 bits and the constant 16). tools/check_kernel_chains.py compares it with the steps on
    every float32 input."""
    d = np.asarray(d, _F32)
    if d.ndim == 0:
        return sleef_expf(d.reshape(1)).reshape(())
    # tiny inputs go the exact way; zeros (softmax's row maxima) are exact here
    flags = np.abs(d) < _EXP_TINY  # (nan compares false: its result is set at the end)
    flags &= d != 0
    q = np.rint(d * _R_LN2)
    np.clip(q, -256, 256, out=q)
    qi = q.astype(np.int32)
    q64 = qi.astype(_F64)
    chain = _FmaChain(flags)
    s = q64 * _L2U_64
    s += d
    s = _f32(s)
    s = chain.fma(q64 * _L2L_64, s)
    u = np.full(d.shape, _EXP_POLY_64[0])
    for c in _EXP_POLY_64[1:]:
        u = chain.fma(u * s, c)
    u = chain.fma(_f32(s * s) * u, s).astype(_F32) + np.float32(1)
    out = _exp_scale(u, qi, d)
    if flags.any():
        idx = np.nonzero(flags)
        out[idx] = sleef_expf_steps(d[idx])
    return out


def _pow2(q: np.ndarray) -> np.ndarray:
    """2**q as float32 for -126 <= q <= 127 (what SLEEF's ldexp2 builds from bits)."""
    return ((np.clip(q, -126, 127) + 127).astype(np.int32) << 23).view(_F32)


def vec_exp(x: np.ndarray) -> np.ndarray:
    """``Vectorized<T>::exp``: SLEEF for float32; for float64 the correctly rounded exp
    (SLEEF's double exp nearly always is)."""
    return sleef_expf(x) if x.dtype == _F32 else exp(x)


# --- elementwise kernels: vector blocks, then the scalar tail -------------------------------

def _chunks(n: int) -> list:
    """The (begin, end) ranges that at::parallel_for gives each thread for n elements."""
    threads = sum_threads()
    if n < _GRAIN or threads <= 1:
        return [(0, n)]
    threads = min(threads, -(-n // _GRAIN))
    size = -(-n // threads)
    return [(b, min(b + size, n)) for b in range(0, n, size)]


def composite(x: np.ndarray, formula) -> np.ndarray:
    """``formula(x, exp)`` as cpu_kernel_vec runs it: ``exp`` is SLEEF's on the blocks of two
    vectors, and correctly rounded on each chunk's tail. float64 and other dtypes: one call
    with numpy's exp."""
    x = np.asarray(x)
    if x.dtype != _F32:
        with np.errstate(all="ignore"):
            return np.asarray(formula(x, exp), x.dtype)
    flat = np.ascontiguousarray(x).reshape(-1)
    out = np.empty_like(flat)
    step = 2 * vec_width(_F32)
    with np.errstate(all="ignore"):
        for begin, end in _chunks(flat.size):
            mid = begin + (end - begin) // step * step
            if mid > begin:
                out[begin:mid] = formula(flat[begin:mid], sleef_expf)
            if end > mid:
                out[mid:end] = formula(flat[mid:end], exp)
    return out.reshape(x.shape)


_ONE = np.float32(1)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), each step rounded, as ATen's sigmoid kernel."""
    return composite(x, lambda v, e: 1 / (e(-v) + 1))


sigmoid.elementwise_float = True


def silu(x: np.ndarray) -> np.ndarray:
    """x / (1 + exp(-x))."""
    return composite(x, lambda v, e: v / (e(-v) + 1))


def softplus(x: np.ndarray, beta, threshold) -> np.ndarray:
    """x where x*beta > threshold, else log1p(exp(x*beta)) / beta."""
    def formula(v, e):
        b = v.dtype.type(beta)
        bx = v * b
        return np.where(bx > v.dtype.type(threshold), v, log1p(e(bx)) / b)
    return composite(x, formula)


def logsigmoid(x: np.ndarray) -> np.ndarray:
    """min(x, 0) - log1p(exp(-|x|))."""
    return composite(x, lambda v, e: np.minimum(v, v.dtype.type(0)) - log1p(e(-np.abs(v))))


_AS = tuple(np.float32(c) for c in (0.3275911, 0.254829592, -0.284496736, 1.421413741,
                                    -1.453152027, 1.061405429))


def vec_erf_steps(x: np.ndarray) -> np.ndarray:
    """``Vectorized<float>::erf``: Abramowitz & Stegun 7.1.26 by FMAs, with SLEEF's exp,
    each FMA rounded once by engine/fma.py (the reference :func:`vec_erf` falls back on)."""
    p, p1, p2, p3, p4, p5 = _AS
    a = np.abs(x)
    t = _ONE / fma32(p, a, _ONE)
    r = fma32(fma32(fma32(fma32(p5, t, p4), t, p3), t, p2), t, p1)
    e = -sleef_expf(-(x * x))
    return np.copysign(fma32(e * t, r, _ONE), x)


_AS_64 = tuple(float(c) for c in _AS)


@blocked
def vec_erf(x: np.ndarray) -> np.ndarray:
    """:func:`vec_erf_steps` with the same bits as one chain in float64 arrays (see
    ``_FmaChain``; a float32 quotient or product computed in double and rounded once is
    the correctly rounded one). tools/check_kernel_chains.py --kernel erf compares the two on every
    float32 input."""
    x = np.asarray(x, _F32)
    if x.ndim == 0:
        return vec_erf(x.reshape(1)).reshape(())
    p, p1, p2, p3, p4, p5 = _AS_64
    chain = _FmaChain(np.zeros(x.shape, bool))
    a = np.abs(x).astype(_F64)
    t = _f32(1.0 / chain.fma(a * p, 1.0))
    r = chain.fma(t * p5, p4)
    for c in (p3, p2, p1):
        r = chain.fma(r * t, c)
    e = -sleef_expf(-(x * x))
    q = _f32(e.astype(_F64) * t)
    out = np.copysign(chain.fma(q * r, 1.0).astype(_F32), x)
    if chain.flags.any():
        idx = np.nonzero(chain.flags)
        out[idx] = vec_erf_steps(x[idx])
    return out


def gelu(x: np.ndarray) -> np.ndarray:
    """F.gelu (exact form). A contiguous float32 tensor of more than one element goes to
    oneDNN (torch's use_mkldnn), whose AVX2 kernel :func:`dnnl_gelu` reproduces; otherwise
    ATen's x * 0.5 * (1 + erf(x / sqrt(2))): its vector erf on the blocks, the C library's
    erf (correctly rounded here) on the tail."""
    x = np.asarray(x)
    if x.dtype != _F32:
        return (x * 0.5 * (1 + erf_f64(x * math.sqrt(0.5)))).astype(x.dtype, copy=False)
    if x.size > 1 and cpu_capability() == "avx2":
        with np.errstate(all="ignore"):
            return dnnl_gelu(x)
    alpha, half = np.float32(math.sqrt(0.5)), np.float32(0.5)
    flat = np.ascontiguousarray(x).reshape(-1)
    out = np.empty_like(flat)
    step = 2 * vec_width(_F32)
    with np.errstate(all="ignore"):
        for begin, end in _chunks(flat.size):
            mid = begin + (end - begin) // step * step
            v = flat[begin:mid]
            out[begin:mid] = v * half * (_ONE + vec_erf(v * alpha))
            v = flat[mid:end]
            out[mid:end] = v * half * (_ONE + erf(v * alpha))
    return out.reshape(x.shape)


# --- oneDNN's eltwise kernels (AVX2), which torch calls for some float32 ops ---------------

def _bits(u: int) -> np.float32:
    return np.array([u], np.uint32).view(_F32)[0]


_DNNL_LOG2E, _DNNL_LN2 = _bits(0x3FB8AA3B), _bits(0x3F317218)
_DNNL_LN_MIN, _DNNL_LN_MAX = _bits(0xC2AEAC50), _bits(0x42B17218)
_DNNL_EXP_POLY = tuple(_bits(u) for u in (0x3C07CFCE, 0x3D2B9D0D, 0x3E2AAD40, 0x3EFFFEE3,
                                          0x3F7FFFFB))


def dnnl_exp_steps(x: np.ndarray) -> np.ndarray:
    """oneDNN's exp: n = floor(x*log2(e) + 1/2), r = x - n*ln2 by FMA, a degree-5
    polynomial by FMAs, times 2**(n-1), times 2; below ln(FLT_MIN) it is 0. Each FMA
    rounded once by engine/fma.py (the reference for :func:`dnnl_exp`)."""
    low, s, fx, scale = _dnnl_exp_head(x)
    r = fma32(-fx, _DNNL_LN2, s)
    y = _DNNL_EXP_POLY[0]
    for c in _DNNL_EXP_POLY[1:] + (_ONE,):
        y = fma32(y, r, c)
    return (y * scale) * np.float32(2)


def _dnnl_exp_head(x: np.ndarray) -> tuple:
    low = x < _DNNL_LN_MIN
    s = np.maximum(np.minimum(x, _DNNL_LN_MAX), _DNNL_LN_MIN)
    fx = np.floor(s * _DNNL_LOG2E + np.float32(0.5))
    scale = ((np.rint(fx - _ONE).astype(np.int32) + 127) << 23).view(_F32)
    scale = np.where(low, np.float32(0), scale)
    return low, s, fx, scale


_DNNL_LN2_64 = float(_DNNL_LN2)
_DNNL_EXP_POLY_64 = tuple(float(c) for c in _DNNL_EXP_POLY) + (1.0,)


def _dnnl_exp_chain(x: np.ndarray, chain) -> np.ndarray:
    low, s, fx, scale = _dnnl_exp_head(x)
    r = chain.fma(fx.astype(_F64) * -_DNNL_LN2_64, s.astype(_F64))
    y = chain.fma(r * _DNNL_EXP_POLY_64[0], _DNNL_EXP_POLY_64[1])
    for c in _DNNL_EXP_POLY_64[2:]:
        y = chain.fma(y * r, c)
    return (y.astype(_F32) * scale) * np.float32(2)


@blocked
def dnnl_exp(x: np.ndarray) -> np.ndarray:
    """:func:`dnnl_exp_steps` with the same bits, as one float64-array chain
    (``_FmaChain``); tools/check_kernel_chains.py --kernel dnnl-exp checks every input."""
    x = np.asarray(x, _F32)
    if x.ndim == 0:
        return dnnl_exp(x.reshape(1)).reshape(())
    chain = _FmaChain(np.zeros(x.shape, bool))
    out = _dnnl_exp_chain(x, chain)
    if chain.flags.any():
        idx = np.nonzero(chain.flags)
        out[idx] = dnnl_exp_steps(x[idx])
    return out


def dnnl_gelu_steps(s: np.ndarray) -> np.ndarray:
    """oneDNN's gelu_erf on AVX2: Abramowitz & Stegun's erf with oneDNN's exp, and
    0.5*s + 0.5*s*erf in one FMA, each FMA rounded once by engine/fma.py (the reference
    for :func:`dnnl_gelu`)."""
    p, p1, p2, p3, p4, p5 = _AS
    x = s * np.float32(1 / math.sqrt(2))
    t = _ONE / fma32(p, np.abs(x), _ONE)
    q = -dnnl_exp_steps(-(x * x)) * t
    r = fma32(fma32(fma32(fma32(p5, t, p4), t, p3), t, p2), t, p1)
    erf_ = np.copysign(fma32(q, r, _ONE), s)
    half = s * np.float32(0.5)
    return fma32(erf_, half, half)


@blocked
def dnnl_gelu(s: np.ndarray) -> np.ndarray:
    """:func:`dnnl_gelu_steps` with the same bits, as one float64-array chain (a float32
    product or quotient computed in double and rounded once is the correctly rounded one;
    the last FMA's sum is exact in double: |erf| <= 1). tools/check_kernel_chains.py
    --kernel gelu-avx2 checks every float32 input."""
    s = np.asarray(s, _F32)
    if s.ndim == 0:
        return dnnl_gelu(s.reshape(1)).reshape(())
    p, p1, p2, p3, p4, p5 = _AS_64
    chain = _FmaChain(np.zeros(s.shape, bool))
    x = s * np.float32(1 / math.sqrt(2))
    t = _f32(1.0 / chain.fma(np.abs(x).astype(_F64) * p, 1.0))
    q = _f32(-_dnnl_exp_chain(-(x * x), chain).astype(_F64) * t)
    r = chain.fma(t * p5, p4)
    for c in (p3, p2, p1):
        r = chain.fma(r * t, c)
    erf_ = np.copysign(chain.fma(q * r, 1.0), s)
    half = (s * np.float32(0.5)).astype(_F64)
    out = chain.fma(erf_ * half, half).astype(_F32)
    if chain.flags.any():
        idx = np.nonzero(chain.flags)
        out[idx] = dnnl_gelu_steps(s[idx])
    return out


# --- softmax over the last dimension: vec::reduce_all and vec::map --------------------------

def _butterfly(acc: np.ndarray, op) -> np.ndarray:
    """VecReduceAllSIMD: lanes combined with the lane half a vector, a quarter, ... away."""
    width = acc.shape[-1]
    s = width // 2
    while s:
        acc = op(acc, acc[..., np.arange(width) ^ s])
        s //= 2
    return acc[..., 0]


def vec_reduce_rows(x: np.ndarray, op) -> np.ndarray:
    """``vec::reduce_all(op, row, n)`` for every row of a 2-D float array."""
    rows, n = x.shape
    w = vec_width(x.dtype)
    if n < w:  # one partial vector: the lanes folded into lane 0 in order
        acc = x[:, 0].copy()
        for i in range(1, n):
            acc = op(acc, x[:, i])
        return acc
    full = n // w * w
    acc = vec_reduce_blocks(x[:, :full].reshape(rows, full // w, w), op)
    rest = n - full
    if rest:
        acc[:, :rest] = op(acc[:, :rest], x[:, full:])
    return _butterfly(acc, op)


def vec_dot_rows(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """``vec::map2_reduce_all(x*y, x+y)`` for every row: as :func:`vec_reduce_rows` of the
    products, except that the compiler fused the tail's multiply-add into one FMA
    (measured)."""
    rows, n = a.shape
    w = vec_width(a.dtype)
    if n < w or a.dtype != _F32:
        return vec_reduce_rows(a * b, np.add)
    full = n // w * w
    acc = vec_reduce_blocks((a[:, :full] * b[:, :full]).reshape(rows, full // w, w), np.add)
    rest = n - full
    if rest:
        acc[:, :rest] = fma32(a[:, full:], b[:, full:], acc[:, :rest])
    return _butterfly(acc, np.add)


def vec_reduce_blocks(blocks: np.ndarray, op) -> np.ndarray:
    """The lane accumulators after the full vectors: block 0, then op with each next."""
    acc = blocks[:, 0].copy()
    for i in range(1, blocks.shape[1]):
        acc = op(acc, blocks[:, i])
    return acc


def _maximum(a, b):
    return np.where(np.isnan(a) | (a > b), a, b)  # vec::maximum propagates nan


def softmax_lastdim(x: np.ndarray) -> np.ndarray:
    """softmax over the last axis of a float array, as _vec_softmax_lastdim."""
    shape = x.shape
    rows = x.reshape(-1, shape[-1]) if x.ndim else x.reshape(1, 1)
    with np.errstate(all="ignore"):
        m = vec_reduce_rows(rows, _maximum)
        e = vec_exp(rows - m[:, None])  # x - max: the one full-size temporary
        total = vec_reduce_rows(e, np.add)
        np.multiply(e, (rows.dtype.type(1) / total)[:, None], out=e)  # the output, in place
    return e.reshape(shape)


def log_softmax_lastdim(x: np.ndarray) -> np.ndarray:
    """log_softmax over the last axis, as _vec_log_softmax_lastdim: x - max - log(sum)."""
    shape = x.shape
    rows = x.reshape(-1, shape[-1]) if x.ndim else x.reshape(1, 1)
    with np.errstate(all="ignore"):
        m = vec_reduce_rows(rows, _maximum)
        out = rows - m[:, None]  # becomes the output; the exps are the one temporary
        total = vec_reduce_rows(vec_exp(out), np.add)
        np.subtract(out, log(total)[:, None], out=out)
    return out.reshape(shape)

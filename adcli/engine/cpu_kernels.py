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
  scalar lambda (glibc's ``expf``, called through ctypes) on what is left at the end
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
from adcli.engine.fma import _LOW29, _MID29, fma32, fma64  # a float32 midpoint in a double's bits

_F32 = np.dtype(np.float32)
_F64 = np.dtype(np.float64)
_GRAIN = 32768  # at::internal::GRAIN_SIZE

_CAPABILITY: list = [None]
# torch's intra-op threads (None: its default); the sums and elementwise chunks follow them
SUM_THREADS: list = [None]


def _physical_cores() -> int:
    """The machine's physical cores ((physical id, core id) pairs of /proc/cpuinfo), else
    its logical CPUs."""
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
        return len(cores) if 0 < len(cores) < logical else logical
    except OSError:
        return logical


def sum_threads() -> int:
    """The threads torch would reduce with. torch's x86 build sets OpenMP's threads to MKL's
    count: MKL_NUM_THREADS, else OMP_NUM_THREADS, capped at the physical cores (torch 2.13
    on a 2-core machine: OMP_NUM_THREADS=3 or 8 -> get_num_threads() 2, also under taskset
    -c 0); with neither set, the physical cores among the CPUs this process may run on
    (taskset -c 0 -> 1)."""
    if SUM_THREADS[0] is None:
        n = 0
        for var in ("OMP_NUM_THREADS", "MKL_NUM_THREADS"):
            try:
                n = int(os.environ.get(var, "")) or n
            except ValueError:
                pass
        cores = _physical_cores()
        if n > 0:
            n = min(n, cores)
        else:
            n = cores
            try:
                n = min(n, len(os.sched_getaffinity(0)))
            except (AttributeError, OSError):
                pass
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


# --- SLEEF's tanhf and log1pf (the u10 variants), as Vectorized<float>::tanh / log1p ------
# Both work in double-float pairs (hi, lo) with SLEEF's FMA formulas (its df.h); each step
# below is one float32 operation, numpy's own (correctly rounded) or an exact FMA.

def _fms(a, b, c):
    return fma32(a, b, -np.asarray(c, _F32))


def _fnm(a, b, c):
    return fma32(-np.asarray(a, _F32), b, c)


def _df_add2_f(x, y):  # dfadd2_vf2_vf2_vf
    s = x[0] + y
    v = s - x[0]
    return s, ((x[0] - (s - v)) + (y - v)) + x[1]


def _df_add2(x, y):  # dfadd2_vf2_vf2_vf2
    s = x[0] + y[0]
    v = s - x[0]
    return s, ((x[0] - (s - v)) + (y[0] - v)) + (x[1] + y[1])


def _df_add(x, y):  # dfadd_vf2_vf2_vf2 (|x| >= |y|)
    s = x[0] + y[0]
    return s, (((x[0] - s) + y[0]) + x[1]) + y[1]


def _df_mul_f(x, y):  # dfmul_vf2_vf2_vf
    s = x[0] * y
    return s, fma32(x[1], y, _fms(x[0], y, s))


def _df_mul(x, y):  # dfmul_vf2_vf2_vf2
    s = x[0] * y[0]
    return s, fma32(x[0], y[1], fma32(x[1], y[0], _fms(x[0], y[0], s)))


def _df_div(n, d):  # dfdiv_vf2_vf2_vf2
    t = _ONE / d[0]
    s = n[0] * t
    u = _fms(t, n[0], s)
    v = _fnm(d[1], t, _fnm(d[0], t, _ONE))
    return s, fma32(s, v, fma32(n[1], t, u))


_EXPK2_POLY = tuple(np.float32(c) for c in (0.1394256484e-2, 0.8333456703e-2,
                                            0.4166637361e-1))


def _sleef_expk2f(y: np.ndarray) -> tuple:
    """SLEEF's expk2f of (y, 0): exp(y) as a double-float pair."""
    q = np.rint(y * _R_LN2).astype(np.int32)
    qf = q.astype(_F32)
    s = _df_add2_f((y, np.zeros_like(y)), qf * -_L2U)
    s = _df_add2_f(s, qf * -_L2L)
    u = np.float32(0.1980960224e-3)
    for c in _EXPK2_POLY:
        u = fma32(u, s[0], c)
    t = _df_add2_f(_df_mul_f(s, u), np.float32(0.166666659414234244790680580464))
    t = _df_add2_f(_df_mul(s, t), np.float32(0.5))
    sq = s[0] * s[0]
    sq = sq, fma32(s[0] + s[0], s[1], _fms(s[0], s[0], sq))  # dfsqu
    t = _df_add2(s, _df_mul(sq, t))
    hi = _ONE + t[0]  # dfadd_vf2_vf_vf2(1, t)
    t = hi, ((_ONE - hi) + t[0]) + t[1]
    low = y < np.float32(-104)
    half = q >> 1
    return tuple(np.where(low, np.float32(0), v * _pow2(half) * _pow2(q - half)) for v in t)


def sleef_tanhf_steps(x: np.ndarray) -> np.ndarray:
    """SLEEF's tanhf (u10): (e - 1/e) / (e + 1/e) in double-float, e = exp(|x|);
    1 beyond 8.664339742, the sign of x, nan kept."""
    x = np.asarray(x, _F32)
    with np.errstate(all="ignore"):
        a = np.abs(x)
        d = _sleef_expk2f(a)
        s = _ONE / d[0]  # dfrec_vf2_vf2
        e = s, s * _fnm(d[1], s, _fnm(d[0], s, _ONE))
        d = _df_div(_df_add(d, (-e[0], -e[1])), _df_add(d, e))
        y = d[0] + d[1]
        y = np.where((a > np.float32(8.664339742)) | np.isnan(y), _ONE, y)
        return np.where(np.isnan(x), x, np.copysign(y, x)).astype(_F32, copy=False)


_LN2_DF = (np.float32(0.69314718246459960938), np.float32(-1.904654323148236017e-09))
_LOG1P_POLY = tuple(np.float32(c) for c in (0.3996108174, 0.6666694880))


def sleef_log1pf_steps(d: np.ndarray) -> np.ndarray:
    """SLEEF's log1pf (u10, its AVX512 form): d + 1 = m' 2**e with getexp, then
    log(1 + m) = 2 atanh(m / (2 + m)) by a polynomial in double-float. Beyond 1e38, where
    SLEEF switches to its logf, the correctly rounded log (only exp's overflow gets
    there)."""
    d = np.asarray(d, _F32)
    with np.errstate(all="ignore"):
        v = (d + _ONE) * np.float32(1 / 0.75)
        e = (np.frexp(v)[1] - 1).astype(_F32)  # getexp: floor(log2 |v|)
        e = np.where(np.isinf(v), np.float32(128), e)
        ei = np.where(np.isfinite(v) & (v != 0), e, 0).astype(np.int32)
        t = (np.int32(0x3F800000) - (ei << 23)).view(_F32)  # 2**-e from the bits
        m = fma32(d, t, t - _ONE)
        s = _df_mul_f(_LN2_DF, e)
        den = np.float32(2) + m  # dfadd_vf2_vf_vf(2, m)
        x = _df_div((m, np.zeros_like(m)), (den, (np.float32(2) - den) + m))
        x2 = x[0] * x[0]
        p = np.float32(0.3027294874)
        for c in _LOG1P_POLY:
            p = fma32(p, x2, c)
        s = _df_add(s, (x[0] * np.float32(2), x[1] * np.float32(2)))
        y = (x2 * x[0]) * p
        hi = s[0] + y  # dfadd_vf2_vf2_vf
        r = hi + (((s[0] - hi) + y) + s[1])
        big = d > np.float32(1e38)
        if big.any():
            r[big] = log(d[big])
        r = np.where(d < -1, np.float32(np.nan), r)
        r = np.where(d == -1, np.float32(-np.inf), r)
        r = np.where((d == 0) & np.signbit(d), np.float32(-0.0), r)
        return np.where(np.isnan(d), d, r).astype(_F32, copy=False)


def _blocked_1d(steps):
    def run(x):
        x = np.asarray(x, _F32)
        if x.ndim == 0:
            return steps(x.reshape(1)).reshape(())
        return steps(x)
    run.__name__ = steps.__name__.replace("_steps", "")
    run.__doc__ = steps.__doc__
    return blocked(run)


sleef_tanhf = _blocked_1d(sleef_tanhf_steps)
sleef_log1pf = _blocked_1d(sleef_log1pf_steps)


# --- elementwise kernels: vector blocks, then the scalar tail -------------------------------

def _chunks(n: int, grain: int = _GRAIN) -> list:
    """The (begin, end) ranges that at::parallel_for gives each thread for n elements."""
    threads = sum_threads()
    if n < grain or threads <= 1:
        return [(0, n)]
    threads = min(threads, -(-n // grain))
    size = -(-n // threads)
    return [(b, min(b + size, n)) for b in range(0, n, size)]


def composite(x: np.ndarray, formula) -> np.ndarray:
    """``formula(x, exp)`` as cpu_kernel_vec runs it: ``exp`` is SLEEF's on the blocks of two
    vectors, and the C library's expf on each chunk's tail (:func:`libm_expf`). float64 and
    other dtypes: one call with numpy's exp."""
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
                out[mid:end] = formula(flat[mid:end], libm_expf)
    return out.reshape(x.shape)


def _libm_f32(name: str, fallback):
    """The C library's float function ``name`` (expf, log1pf, tanhf), which ATen's scalar
    lambdas call (glibc 2.36's log1pf and tanhf are off the correctly rounded value on ~10 %
    of inputs), element by element: it only ever sees a chunk's tail, under two vectors.
    ``fallback`` (correctly rounded) where the library can't be loaded."""
    state: list = []

    def kernel(x):
        if not state:
            try:
                import ctypes
                import ctypes.util

                fn = getattr(ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6"), name)
                fn.restype, fn.argtypes = ctypes.c_float, (ctypes.c_float,)
                state.append(fn)
            except (OSError, AttributeError, TypeError):
                state.append(None)
        x = np.asarray(x, _F32)
        if state[0] is None or x.size > 4096:
            return fallback(x)
        fn = state[0]
        return np.array([fn(v) for v in x.reshape(-1).tolist()], _F32).reshape(x.shape)

    kernel.__name__ = name
    return kernel


libm_expf = _libm_f32("expf", exp)
libm_log1pf = _libm_f32("log1pf", log1p)
libm_tanhf = _libm_f32("tanhf", tanh)
libm_erff = _libm_f32("erff", erf)


class _VecMath:
    """The transcendentals and FMA an ATen vector lambda sees (``vector``: SLEEF's, on the
    blocks of two vectors) or its scalar lambda (the C library's own for float32, see
    :func:`_libm_f32`). GCC contracts a * b + c into an FMA in both (float32 and float64
    alike)."""

    def __init__(self, vector: bool, dtype) -> None:
        f32 = np.dtype(dtype) == _F32
        self.fma = fma32 if f32 else fma64
        if f32 and vector:
            self.exp, self.tanh, self.log1p = sleef_expf, sleef_tanhf, sleef_log1pf
        elif f32:
            self.exp, self.tanh, self.log1p = libm_expf, libm_tanhf, libm_log1pf
        else:
            self.exp, self.tanh, self.log1p = exp, tanh, log1p


_MATH = {(v, d): _VecMath(v, d) for v in (True, False) for d in (_F32, _F64)}


def _inner_loop(shape, shapes):
    """For operands ``shapes`` (arrays) broadcast to ``shape``, with their own strides:
    None when TensorIterator coalesces everything into one flat loop; else (the inner
    loop's length, whether cpu_kernel_vec vectorizes it: every input contiguous along
    it, or exactly one of them a broadcast scalar)."""
    nd = len(shape)
    st, acc = [0] * nd, 1
    for d in reversed(range(nd)):
        st[d] = acc
        acc *= shape[d]
    strides = [st]
    expanded = False
    for a in shapes:  # the operands' element strides as broadcast (stride 0 where expanded)
        b = np.broadcast_to(a, shape)
        sa = [v // b.itemsize if n != 1 else 0 for v, n in zip(b.strides, shape)]
        want = 1
        for d in reversed(range(nd)):  # dense in its own layout, else left to the flat loop
            if shape[d] == 1:
                continue
            if sa[d] == 0:
                expanded = True
            elif sa[d] != want:
                return None
            else:
                want *= shape[d]
        strides.append(sa)
    if not expanded:
        return None
    dims = [d for d in range(nd) if shape[d] != 1]
    if not dims:
        return None
    size = shape[dims[-1]]
    cur = [st[dims[-1]] for st in strides]
    merged = True
    for d in reversed(dims[:-1]):
        if all(st[d] == c * size for st, c in zip(strides, cur)):
            size *= shape[d]
        else:
            merged = False
            break
    if merged:
        return None
    zero = sum(1 for c in cur[1:] if c == 0)
    ok = all(c in (0, 1) for c in cur[1:]) and zero <= 1
    return size, ok


def kernel_vec(formula, *arrays, grain: int = _GRAIN):
    """``formula(m, *arrays)`` as cpu_kernel_vec runs it over same-dtype float operands
    (broadcast together): each thread's chunk in blocks of two vectors with ``m`` the
    vector math (:class:`_VecMath`), the chunk's tail with the scalar math. float64: the
    correctly rounded functions throughout (SLEEF's double ones nearly always are), with
    its FMAs. Other dtypes: ``formula`` once, in float64 math, cast back."""
    arrays = [np.asarray(a) for a in arrays]
    dtype = np.result_type(*arrays)
    shape = np.broadcast_shapes(*(a.shape for a in arrays))
    if dtype == _F64 or dtype not in (_F32, _F64):
        with np.errstate(all="ignore"):
            ops = [a.astype(_F64, copy=False) for a in arrays]
            return np.asarray(formula(_MATH[False, _F64], *ops), _F64).astype(
                dtype, copy=False).reshape(shape)
    flat = [np.ascontiguousarray(np.broadcast_to(a.astype(dtype, copy=False),
                                                 shape)).reshape(-1) for a in arrays]
    n = flat[0].size if flat else 0
    out = np.empty(n, dtype)
    step = 2 * vec_width(dtype)
    inner = _inner_loop(shape, arrays)
    if inner is not None and n:
        # a broadcast operand splits TensorIterator's loop into rows: each row (cut
        # where a thread's range ends) takes blocks of two vectors from its start and
        # its tail with the scalar math; no vector at all when the strides forbid it
        length, vectorized = inner
        vec = np.zeros(n, bool)
        if vectorized:
            rows = vec.reshape(-1, length)
            rows[:, :length // step * step] = True
            for begin, end in _chunks(n, grain):
                if begin % length:  # a thread's range starting inside a row
                    r = begin // length
                    stop = min(end, (r + 1) * length)
                    vec[r * length:stop] = False
                    vec[r * length:begin] = np.arange(begin - r * length) < (
                        (begin - r * length) // step * step)
                    vec[begin:begin + (stop - begin) // step * step] = True
        with np.errstate(all="ignore"):
            for mask, vector in ((vec, True), (~vec, False)):
                if mask.any():
                    out[mask] = formula(_MATH[vector, dtype], *(a[mask] for a in flat))
        return out.reshape(shape)
    with np.errstate(all="ignore"):
        for begin, end in _chunks(n, grain):
            mid = begin + (end - begin) // step * step
            for lo, hi, vector in ((begin, mid, True), (mid, end, False)):
                if hi > lo:
                    out[lo:hi] = formula(_MATH[vector, dtype], *(a[lo:hi] for a in flat))
    return out.reshape(shape)


_ONE = np.float32(1)


def sigmoid(x: np.ndarray) -> np.ndarray:
    """1 / (1 + exp(-x)), each step rounded, as ATen's sigmoid kernel."""
    return composite(x, lambda v, e: 1 / (e(-v) + 1))


sigmoid.elementwise_float = True


def silu(x: np.ndarray) -> np.ndarray:
    """x / (1 + exp(-x))."""
    return composite(x, lambda v, e: v / (e(-v) + 1))


def softplus(x: np.ndarray, beta, threshold) -> np.ndarray:
    """x where x*beta > threshold, else log1p(exp(x*beta)) / beta (SLEEF's exp and log1p on
    the vector blocks)."""
    def formula(m, v):
        b = v.dtype.type(beta)
        bx = v * b
        return np.where(bx > v.dtype.type(threshold), v, m.log1p(m.exp(bx)) / b)
    return kernel_vec(formula, x)


def logsigmoid(x: np.ndarray) -> np.ndarray:
    """min(x, 0) - log1p(exp(-|x|)). ATen's kernel is all vector code (its tail a partial
    vector), so SLEEF's exp and log1p on every float32 element."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        if x.dtype != _F32:
            return np.asarray(np.minimum(x, 0) - log1p(exp(-np.abs(x))), x.dtype)
        return np.minimum(x, _ONE * 0) - sleef_log1pf(sleef_expf(-np.abs(x)))


def mish(x: np.ndarray) -> np.ndarray:
    """x * tanh(log1p(exp(x)))."""
    return kernel_vec(lambda m, v: v * m.tanh(m.log1p(m.exp(v))), x)


# --- the activations' backward kernels (ATen's BinaryOpsKernel.cpp and Activation.cpp) ---

def sigmoid_backward(g: np.ndarray, r: np.ndarray) -> np.ndarray:
    """g * (1 - r) * r, left to right, from the saved result r."""
    one = np.result_type(g, r).type(1)
    return (g * (one - r)) * r


def tanh_backward(g: np.ndarray, r: np.ndarray) -> np.ndarray:
    """g * (1 - r * r), the parenthesis one FMA (the compiler's contraction)."""
    g, r = np.asarray(g), np.asarray(r)
    dtype = np.result_type(g, r)
    if dtype == _F32:
        return g * fma32(-r, r, _ONE)
    if dtype == _F64:
        return g * fma64(-r, r, 1.0)
    return g * (1 - r * r)


def silu_backward(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """g * s * (1 + x * (1 - s)), s = 1 / (1 + exp(-x)); the last parenthesis one FMA."""
    def formula(m, dy, v):
        one = v.dtype.type(1)
        s = one / (one + m.exp(-v))
        return (dy * s) * m.fma(v, one - s, one)
    return kernel_vec(formula, g, x)


def softplus_backward(g: np.ndarray, x: np.ndarray, beta, threshold) -> np.ndarray:
    """g where x*beta > threshold, else g * z / (z + 1), z = exp(x*beta)."""
    def formula(m, dy, v):
        b = v.dtype.type(beta)
        z = m.exp(v * b)
        return np.where(v * b > v.dtype.type(threshold), dy, (dy * z) / (z + 1))
    return kernel_vec(formula, g, x)


def logsigmoid_backward(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """(max_deriv - sign * b / (1 + b)) * g with the forward's buffer b = exp(-|x|) (SLEEF's
    on every float32 element): 1 - q below 0, else 0 + q."""
    x = np.asarray(x)
    with np.errstate(all="ignore"):
        b = sleef_expf(-np.abs(x)) if x.dtype == _F32 else exp(-np.abs(x))
        q = b / (b.dtype.type(1) + b)
        return kernel_vec(lambda m, dy, v, w: np.where(v < 0, 1 - w, 0 + w) * dy, g, x, q)


def mish_backward(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """g * (t + x * s * (1 - t * t)), t = tanh(softplus(x)), s = sigmoid(x); both
    parentheses FMAs."""
    def formula(m, dy, v):
        one = v.dtype.type(1)
        s = one / (one + m.exp(-v))
        t = m.tanh(m.log1p(m.exp(v)))
        return dy * m.fma(v * s, m.fma(-t, t, one), t)
    return kernel_vec(formula, g, x)


_GELU_BETA = math.sqrt(2) * (2 / math.sqrt(math.pi)) * 0.5  # M_SQRT2 * M_2_SQRTPI * 0.5
_GELU_KAPPA = 0.044715
_GELU_MIN_PARALLEL = 16384


def gelu_tanh(x: np.ndarray) -> np.ndarray:
    """F.gelu(approximate='tanh'): 0.5 x (1 + tanh(beta (x + kappa x^3))), the inner sum
    one FMA; split over threads by ATen's own grain (numel / threads past 16384)."""
    def formula(m, v):
        t = v.dtype.type
        inner = t(_GELU_BETA) * m.fma(t(_GELU_KAPPA), v * v * v, v)
        return (t(0.5) * v) * (t(1) + m.tanh(inner))
    return kernel_vec(formula, x, grain=_gelu_grain(np.size(x)))


def gelu_tanh_backward(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """gelu(approximate='tanh')'s backward: dy * (0.5 (1 + t) + 0.5 x (1 - t^2) beta
    (1 + 3 kappa x^2)), with the compiler's FMAs: the inner sum, 1 - t*t, 1 + 3k*x^2 and
    the final sum's right product."""
    def formula(m, dy, v):
        t = v.dtype.type
        one, half, beta = t(1), t(0.5), t(_GELU_BETA)
        th = m.tanh(beta * m.fma(t(_GELU_KAPPA), v * v * v, v))
        slope = beta * m.fma(t(3) * t(_GELU_KAPPA), v * v, one)
        # the final sum is not contracted: the compiler fused 0.5 * (1 + t) into it instead,
        # which rounds alike (a product by 0.5 is exact)
        return dy * (half * (one + th) + ((half * v) * m.fma(-th, th, one)) * slope)
    return kernel_vec(formula, g, x)


def _gelu_grain(n: int) -> int:
    return n // sum_threads() if n > _GELU_MIN_PARALLEL else _GRAIN


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
    oneDNN (torch's use_mkldnn), whose AVX2 kernel :func:`dnnl_gelu` and AVX512 kernel
    :func:`dnnl_gelu_avx512` reproduce. Otherwise (one element; a strided tensor, walked
    in memory order) ATen's x * 0.5 * (1 + erf(x / sqrt(2))): its vector erf on the
    blocks, the C library's erff on the tail (one element: equal to torch on 3000 of 3000,
    measured)."""
    x = np.asarray(x)
    if x.dtype != _F32:
        return (x * 0.5 * (1 + erf_f64(x * math.sqrt(0.5)))).astype(x.dtype, copy=False)
    if x.size > 1 and x.flags.c_contiguous and cpu_capability() in ("avx2", "avx512"):
        with np.errstate(all="ignore"):
            return dnnl_gelu(x) if cpu_capability() == "avx2" else dnnl_gelu_avx512(x)
    if x.ndim > 1 and not x.flags.c_contiguous:  # ATen walks a permuted tensor in memory order
        order = np.argsort([-abs(s) for s in x.strides], kind="stable")
        if x.transpose(order).flags.c_contiguous:
            return _aten_gelu(x.transpose(order)).transpose(np.argsort(order))
    return _aten_gelu(x)


def _aten_gelu(x: np.ndarray) -> np.ndarray:
    """ATen's float32 gelu kernel over x in C order: vector blocks, then the scalar tail."""
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
            out[mid:end] = v * half * (_ONE + libm_erff(v * alpha))
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


# --- oneDNN's gelu_erf on AVX512 (forward) and its backward (every ISA) --------------------
# The AVX512 forward evaluates erf(s/sqrt 2) as a piecewise polynomial of degree 5 in |s|:
# the piece is picked from the bits of |s| (2 bits of mantissa per binade), 25 pieces, the
# last but one (|s| above ~5.54) being the constant 1. Coefficients by degree, 0 to 5, then
# by piece (oneDNN v3.12, jit_uni_eltwise_injector: gelu_erf_minimax_pol).
_GELU_MM_COEFFS = (
    (0xa6f2cb94, 0x32827792, 0x3381cc0c, 0x34523d4a, 0x351ac44d, 0x35f36d88, 0x36ee8229,
     0x37b8a3bb, 0x3867a213, 0x3940033b, 0x3a2a5a1d, 0x3ae35863, 0x3b7828f2, 0x3c08b14b,
     0x3c515ed3, 0xbb503236, 0xbd8d8e5e, 0xbe8abcd9, 0xbf0c19a2, 0xbeccb328, 0x3e176ced,
     0x3f470d99, 0x3f7abb28, 0x3f800000, 0x00000000),
    (0x3f4c422a, 0x3f4c421f, 0x3f4c4207, 0x3f4c41cb, 0x3f4c413b, 0x3f4c3fad, 0x3f4c3a2f,
     0x3f4c2d40, 0x3f4c146a, 0x3f4bc341, 0x3f4ad08c, 0x3f48f8cf, 0x3f45fac7, 0x3f404e07,
     0x3f3b980f, 0x3f48dff3, 0x3f78b21b, 0x3fbb0704, 0x40019c32, 0x3fe536d6, 0x3f81331e,
     0x3e6c8684, 0x3c98f936, 0x00000000, 0x3f800000),
    (0xb62173f4, 0x3735e4cf, 0x37f2ff89, 0x388c23be, 0x3917535c, 0x39ab2ab0, 0x3a60fadb,
     0x3af9b960, 0x3b6e5491, 0x3c0a4ec5, 0x3ca5aa8c, 0x3d2138d9, 0x3d8737d4, 0x3ddfb660,
     0x3e0f27ab, 0x3d94004b, 0xbe0efdeb, 0xbf1d96c3, 0xbf89db58, 0xbf6d9897, 0xbef69fb8,
     0xbdc4f8a8, 0xbbde6422, 0x00000000, 0x00000000),
    (0xbe081a19, 0xbe084570, 0xbe08639b, 0xbe089837, 0xbe08f409, 0xbe09ab95, 0xbe0b66d0,
     0xbe0e400a, 0xbe124df8, 0xbe1bde02, 0xbe2f19c9, 0xbe4931bf, 0xbe685fbc, 0xbe89c95f,
     0xbe96cbca, 0xbe8044aa, 0xbe0550f2, 0x3dcfd6a1, 0x3e94c826, 0x3e79345f, 0x3decec91,
     0x3ca46568, 0x3aa1e00a, 0x00000000, 0x00000000),
    (0xba3d61db, 0x39f097a3, 0x3a5845dc, 0x3ab1fa35, 0x3b0cefb8, 0x3b653ab6, 0x3bcae527,
     0x3c221712, 0x3c6c5840, 0x3cc0a703, 0x3d1dcc19, 0x3d63656d, 0x3d955907, 0x3dbf9910,
     0x3dd53f69, 0x3db7dcef, 0x3d639ebe, 0xba6ede48, 0xbd22be69, 0xbd041cf1, 0xbc64f5ab,
     0xbb097a32, 0xb8ebf380, 0x00000000, 0x00000000),
    (0x3cb7d80c, 0x3c9b6050, 0x3c978d11, 0x3c92e850, 0x3c8d058b, 0x3c848454, 0x3c6cd623,
     0x3c4c824b, 0x3c2a7935, 0x3be0b390, 0x3b0651ac, 0xbb232f53, 0xbbd42fa0, 0xbc2c5366,
     0xbc492c9e, 0xbc2a7aa6, 0xbbd55d04, 0xba823a76, 0x3b102aa8, 0x3ae25a7e, 0x3a31f792,
     0x38b84375, 0x3689bb5a, 0x00000000, 0x00000000),
)
_GELU_MM_POLY = np.array(_GELU_MM_COEFFS, np.uint32).view(_F32)  # (degree, piece)
_GELU_MM_POLY_64 = _GELU_MM_POLY.astype(_F64)
_GELU_MM_BIAS = np.int32(-0x3DE00001)  # added to |s|'s bits; >> 21 gives the piece
_GELU_MM_RBOUND = _bits(0x40B15CEE)  # above it (ordered), piece 23: erf = 1
_SIGN = np.uint32(0x80000000)


def _gelu_mm_piece(a: np.ndarray) -> np.ndarray:
    """The polynomial's index for |s| (float32): an arithmetic shift of the biased bits,
    clamped to [1, 24], and 23 above the right bound (nan compares false)."""
    idx = (a.view(np.int32) + _GELU_MM_BIAS) >> 21
    np.clip(idx, 1, 24, out=idx)
    idx[a > _GELU_MM_RBOUND] = 23
    return idx


def _gelu_mm_finish(s: np.ndarray, pol: np.ndarray) -> np.ndarray:
    """erf's sign from s (an xor of the sign bit), then s * (1 + erf) * 0.5 in float32."""
    pol = (pol.view(np.uint32) ^ (s.view(np.uint32) & _SIGN)).view(_F32)
    return (s * (pol + _ONE)) * np.float32(0.5)


def dnnl_gelu_avx512_steps(s: np.ndarray) -> np.ndarray:
    """oneDNN's gelu_erf forward on AVX512 (jit:avx512_core*, its minimax variant): the
    piece's coefficients, Horner's scheme in |s| by FMAs (each rounded once by
    engine/fma.py), the sign, then s * (1 + erf) * 0.5. The reference for
    :func:`dnnl_gelu_avx512`."""
    s = np.asarray(s, _F32)
    with np.errstate(all="ignore"):
        a = np.abs(s)
        idx = _gelu_mm_piece(a)
        pol = _GELU_MM_POLY[5][idx]
        for deg in range(4, -1, -1):
            pol = fma32(pol, a, _GELU_MM_POLY[deg][idx])
        return _gelu_mm_finish(s, np.asarray(pol, _F32))


@blocked
def dnnl_gelu_avx512(s: np.ndarray) -> np.ndarray:
    """:func:`dnnl_gelu_avx512_steps` with the same bits, its FMAs as one float64-array
    chain (``_FmaChain``; midpoints redone by the steps). No intermediate can be
    subnormal: each FMA's addend is a normal coefficient or an exact 0 or 1.
    tools/check_kernel_chains.py --kernel gelu-avx512 checks every float32 input."""
    s = np.asarray(s, _F32)
    if s.ndim == 0:
        return dnnl_gelu_avx512(s.reshape(1)).reshape(())
    with np.errstate(all="ignore"):
        a = np.abs(s)
        idx = _gelu_mm_piece(a)
        a64 = a.astype(_F64)
        chain = _FmaChain(np.zeros(s.shape, bool))
        pol = _GELU_MM_POLY_64[5][idx]
        for deg in range(4, -1, -1):
            pol = chain.fma(pol * a64, _GELU_MM_POLY_64[deg][idx])
        out = _gelu_mm_finish(s, pol.astype(_F32))
        if chain.flags.any():
            i = np.nonzero(chain.flags)
            out[i] = dnnl_gelu_avx512_steps(s[i])
    return out


_DNNL_SQRT1_2 = _bits(0x3F3504F3)
_DNNL_1_SQRTPI = _bits(0x3F106EBA)  # one ulp below 1/sqrt(pi) rounded
_HALF = np.float32(0.5)


def dnnl_gelu_backward_steps(g: np.ndarray, s: np.ndarray) -> np.ndarray:
    """oneDNN's gelu_erf backward (the same code on AVX2 and AVX512), times the incoming
    gradient: R = s/sqrt(2), Q = exp(-R^2) (oneDNN's exp), T = R/sqrt(pi) * Q, erf(R) by
    Abramowitz & Stegun with W = 1/(p|R| + 1), gelu' = (T + 1/2) + erf/2 (one FMA), then
    g * gelu'. Each FMA rounded once by engine/fma.py (the reference for
    :func:`dnnl_gelu_backward`)."""
    g = np.asarray(g, _F32)
    s = np.asarray(s, _F32)
    p, p1, p2, p3, p4, p5 = _AS
    with np.errstate(all="ignore"):
        R = s * _DNNL_SQRT1_2
        Q = dnnl_exp_steps(-(R * R))
        T = (R * _DNNL_1_SQRTPI) * Q
        W = _ONE / fma32(p, np.abs(R), _ONE)
        QW = -Q * W
        r = fma32(fma32(fma32(fma32(p5, W, p4), W, p3), W, p2), W, p1)
        erf_ = np.asarray(fma32(QW, r, _ONE), _F32)
        erf_ = (erf_.view(np.uint32) ^ (R.view(np.uint32) & _SIGN)).view(_F32)
        res = fma32(erf_, _HALF, T + _HALF)
        return np.asarray(res * g, _F32)


def _dnnl_gelu_backward_block(g: np.ndarray, s: np.ndarray) -> np.ndarray:
    p, p1, p2, p3, p4, p5 = _AS_64
    chain = _FmaChain(np.zeros(s.shape, bool))
    R = s * _DNNL_SQRT1_2
    Q = _dnnl_exp_chain(-(R * R), chain)
    T = (R * _DNNL_1_SQRTPI) * Q
    W = _f32(1.0 / chain.fma(np.abs(R).astype(_F64) * p, 1.0))
    QW = _f32(-Q.astype(_F64) * W)
    r = chain.fma(W * p5, p4)
    for c in (p3, p2, p1):
        r = chain.fma(r * W, c)
    erf_ = chain.fma(QW * r, 1.0).astype(_F32)
    erf_ = (erf_.view(np.uint32) ^ (R.view(np.uint32) & _SIGN)).view(_F32)
    res = chain.fma(erf_.astype(_F64) * 0.5, (T + _HALF).astype(_F64)).astype(_F32)
    out = res * g
    if chain.flags.any():
        i = np.nonzero(chain.flags)
        out[i] = dnnl_gelu_backward_steps(g[i], s[i])
    return out


def gelu_backward(g: np.ndarray, x: np.ndarray):
    """g * gelu'(x) (exact form), float32, as torch's CPU kernel: oneDNN's for more than
    one element on an AVX2 or AVX512 machine (its backward is the same code on both;
    measured with ONEDNN_VERBOSE), ATen's scalar lambda for one element; else None, for
    the caller's own formula."""
    g, x = np.asarray(g), np.asarray(x)
    if x.dtype != _F32 or g.dtype != _F32 or g.shape != x.shape:
        return None
    if x.size <= 1:  # not oneDNN's: ATen's scalar lambda
        return gelu_backward_scalar(g, x)
    if x.flags.c_contiguous and cpu_capability() in ("avx2", "avx512"):
        return dnnl_gelu_backward(g, x)
    return None  # a strided input: ATen's kernel, not reproduced here


_GELU_KALPHA = np.float32(math.sqrt(0.5))
_GELU_KBETA = np.float32(2 / math.sqrt(math.pi) * math.sqrt(0.5) * 0.5)


def gelu_backward_scalar(g: np.ndarray, x: np.ndarray) -> np.ndarray:
    """ATen's scalar gelu backward (exact form) in float32, not contracted (measured):
    g * (0.5 * (1 + erff(x/sqrt 2)) + x * (kBeta * expf(x*x*-0.5))), the C library's
    erff and expf."""
    with np.errstate(all="ignore"):
        cdf = np.float32(0.5) * (_ONE + libm_erff(x * _GELU_KALPHA))
        pdf = _GELU_KBETA * libm_expf((x * x) * np.float32(-0.5))
        return np.asarray(g * (cdf + x * pdf), _F32)


def dnnl_gelu_backward(g: np.ndarray, s: np.ndarray) -> np.ndarray:
    """:func:`dnnl_gelu_backward_steps` with the same bits, as float64-array chains, block
    by block. tools/check_kernel_chains.py --kernel gelu-bwd checks every float32 input
    (with g = 1)."""
    g = np.asarray(g, _F32)
    s = np.asarray(s, _F32)
    g = np.broadcast_to(g, np.broadcast(g, s).shape)
    s = np.broadcast_to(s, g.shape)
    shape = g.shape
    gf = np.ascontiguousarray(g).reshape(-1)
    sf = np.ascontiguousarray(s).reshape(-1)
    out = np.empty(gf.size, _F32)
    with np.errstate(all="ignore"):
        for i in range(0, gf.size, BLOCK):
            out[i:i + BLOCK] = _dnnl_gelu_backward_block(gf[i:i + BLOCK], sf[i:i + BLOCK])
    return out.reshape(shape)


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
    products, except that on one thread the tail's multiply-add is fused by the compiler
    into one FMA (measured on AVX2 and AVX512: parallel_for runs the kernel inline there);
    on more threads, through OpenMP's outlined copy, it is not (measured on AVX512)."""
    rows, n = a.shape
    w = vec_width(a.dtype)
    if n < w or a.dtype != _F32 or sum_threads() != 1:
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

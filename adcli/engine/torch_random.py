"""PyTorch 2.13's CPU random streams, bit for bit, on numpy.

A :class:`TorchGenerator` is torch's ``CPUGeneratorImpl``: an MT19937 engine seeded with
``init_genrand`` (only the low 32 bits of the seed), a cached double normal sample, and
torch's 5 056-byte state layout. The 32-bit words come from numpy's ``MT19937`` bit
generator with its key set from the engine state, so drawing N words is one C call.

Every sampler returns a numpy array of the requested shape and dtype filled exactly as
torch fills a *contiguous* tensor of that shape (TensorIterator visits elements in memory
order; for a non-contiguous tensor draw ``numel`` values in storage order, with
``contiguous=False`` for ``normal_``, and scatter them). What each function reproduces,
from torch's kernels (``ATen/native/cpu/DistributionTemplates.h``,
``ATen/core/DistributionsHelper.h``, ``ATen/core/TransformationHelper.h``,
``ATen/native/cpu/avx_mathfun.h``, ``CPUGeneratorImpl.cpp``, ``TensorFactories.cpp``,
``MultinomialKernel.cpp``, ``Dropout.cpp``):

- unit uniforms: float keeps the low 24 bits of one word, double the low 53 bits of
  ``random64`` (high word first);
- ``uniform_(a, b)``: ``fma(x, b - a, a)`` (GCC fuses it on the AVX2/AVX512 kernels that
  x86-64 machines run), then "equals b -> a";
- ``normal_``: the 16-wide Box-Muller fill for 16+ contiguous elements (float32 through
  the AVX2 Cephes ``log256_ps``/``sincos256_ps`` with GCC's FMA contractions, float64
  through libm ``log``/``cos``/``sin``), the overlapping tail of 16 fresh uniforms, and
  the scalar Box-Muller with the cross-call cached sample below 16 elements;
- ``random_``/``randint`` (32-bit words below a range of 2**28, ``random64`` above, plain
  modulo), ``randperm`` (both algorithms), ``bernoulli`` (tensor p: float or double
  uniform by p's dtype; float p: double uniform), ``exponential_``, ``multinomial``
  (exponential race, its ``topk`` with the order libstdc++'s ``partial_sort`` /
  ``nth_element`` + ``sort`` leave equal keys in, and cumulative search with
  replacement), dropout's mask (a half's ``div_(1 - p)`` in float), ``poisson``
  (``sample_poisson`` of Distributions.cpp: double uniforms, Hoermann's transformed
  rejection from rate 10 up with glibc ``lgamma`` through ctypes, the product of
  uniforms below);
- float16 results of double (or int64) computations round twice, through float32, as
  ``c10::Half``'s only constructor takes a float.

Double ``log``/``log1p``/``cos``/``sin`` go through Python's ``math`` module, which calls
the platform libm as torch does (numpy's SIMD ``log`` differs in the last bit). FMAs are
emulated exactly: float32 as an exact double product plus a double sum that is fixed
up to round-to-odd where a second rounding could differ; float64 by Boldo and
Melquiond's error-free algorithm with a round-to-odd add.

Not reproduced: torch's DEFAULT capability (``ATEN_CPU_CAPABILITY=default``: glibc
``logf``/``sinf``/``cosf`` in the float32 normal fill, no FMA in ``uniform_``), the MKL
``bernoulli_(float)``/dropout path that torch takes on Intel CPUs, and bfloat16 (numpy has
no such dtype).
"""

from __future__ import annotations

import functools
import math
import os
import struct

import numpy as np

from adcli.engine.fma import fma32, fma64
from adcli.errors import TorchNotImplementedError, TorchRuntimeError

# numpy dtype names as torch's kernels name the scalar type in their refusals
_LEGACY = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
           "bool": "Bool"}

__all__ = ["DEFAULT_SEED", "STATE_SIZE", "TorchGenerator", "default_generator",
           "kaiming_uniform_bound", "linear_bias_bound"]

DEFAULT_SEED = 67280421310721  # what torch.Generator() starts from
STATE_SIZE = 5056  # sizeof(CPUGeneratorImplState)
_N = 624
_CHUNK_BLOCKS = 4096  # blocks of 16 per vectorised step of the normal fill
_U64 = (1 << 64) - 1
_TWO_PI = 2.0 * math.pi

_F32 = np.float32
_F64 = np.float64
# the exact fused multiply-adds of torch's vectorised kernels
_fma32, _fma64 = fma32, fma64


# ----------------------------------------------------------------------------- libm maps

def _libm(fn, x: np.ndarray) -> np.ndarray:
    """``fn`` (a ``math`` function: the platform libm, as torch calls it) elementwise."""
    flat = np.ascontiguousarray(x, _F64).ravel()
    return np.fromiter(map(fn, flat.tolist()), _F64, count=flat.size).reshape(np.shape(x))


# ----------------------------------------------------------------------------- Cephes (AVX2)

def _c(v) -> np.float32:
    return _F32(v)


_SQRTHF = _c(0.707106781186547524)
_LOG_P = [_c(v) for v in (7.0376836292E-2, -1.1514610310E-1, 1.1676998740E-1,
                          -1.2420140846E-1, 1.4249322787E-1, -1.6668057665E-1,
                          2.0000714765E-1, -2.4999993993E-1, 3.3333331174E-1)]
_LOG_Q1 = _c(-2.12194440e-4)
_LOG_Q2 = _c(0.693359375)
_MDP = [_c(v) for v in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8)]
_SINCOF = [_c(v) for v in (-1.9515295891E-4, 8.3321608736E-3, -1.6666654611E-1)]
_COSCOF = [_c(v) for v in (2.443315711809948E-005, -1.388731625493765E-003,
                           4.166664568298827E-002)]
_FOPI = _c(1.27323954473516)
_HALF = _c(0.5)
_ONE = _c(1.0)
_TWO_PI_F = _c(_TWO_PI)


def _log256(x: np.ndarray) -> np.ndarray:
    """``log256_ps`` of avx_mathfun.h for positive normal floats, with the FMAs that GCC
    contracts in torch's AVX2 build."""
    x = np.maximum(x, _c(np.finfo(_F32).tiny))
    bits = x.view(np.uint32)
    imm0 = (bits >> np.uint32(23)).astype(np.int32) - np.int32(0x7F)
    m = ((bits & np.uint32(0x807FFFFF)) | np.uint32(0x3F000000)).view(_F32)
    e = imm0.astype(_F32) + _ONE
    mask = m < _SQRTHF
    tmp = np.where(mask, m, _c(0.0))
    m = m - _ONE
    e = e - np.where(mask, _ONE, _c(0.0))
    m = m + tmp
    z = m * m
    y = _fma32(_LOG_P[0], m, _LOG_P[1])
    for p in _LOG_P[2:]:
        y = _fma32(y, m, p)
    y = y * m
    y = _fma32(y, z, e * _LOG_Q1)
    y = y - z * _HALF
    m = m + y
    return m + e * _LOG_Q2


def _sincos256(x: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """``sincos256_ps`` of avx_mathfun.h, with GCC's FMA contractions."""
    xb = x.view(np.uint32)
    sign_sin = xb & np.uint32(0x80000000)
    ax = (xb & np.uint32(0x7FFFFFFF)).view(_F32)
    j = (ax * _FOPI).astype(np.int32)  # cvttps: truncation
    j = (j + np.int32(1)) & np.int32(~1)
    yf = j.astype(_F32)
    swap_sin = ((j & np.int32(4)) << np.int32(29)).view(np.uint32)
    poly_mask = (j & np.int32(2)) == 0
    r = _fma32(yf, _MDP[0], ax)
    r = _fma32(yf, _MDP[1], r)
    r = _fma32(yf, _MDP[2], r)
    sign_cos = ((~(j - np.int32(2)) & np.int32(4)) << np.int32(29)).view(np.uint32)
    sign_sin = sign_sin ^ swap_sin
    z = r * r
    y = _fma32(_COSCOF[0], z, _COSCOF[1])
    y = _fma32(y, z, _COSCOF[2])
    y = y * z
    y = _fma32(y, z, -(z * _HALF))
    y = y + _ONE
    y2 = _fma32(_SINCOF[0], z, _SINCOF[1])
    y2 = _fma32(y2, z, _SINCOF[2])
    y2 = y2 * z
    y2 = _fma32(y2, r, r)
    zero = _c(0.0)
    ysin2 = np.where(poly_mask, y2, zero)
    ysin1 = np.where(poly_mask, zero, y)
    y2 = y2 - ysin2
    y = y - ysin1
    s = (ysin1 + ysin2).view(np.uint32) ^ sign_sin
    c = (y + y2).view(np.uint32) ^ sign_cos
    return s.view(_F32), c.view(_F32)


# ----------------------------------------------------------------------------- dtypes

def _dtype(dtype) -> np.dtype:
    d = np.dtype(dtype)
    if d.kind not in "biuf":
        raise TypeError(f"unsupported dtype {d}")
    return d


def _numel(shape) -> tuple[tuple[int, ...], int]:
    if isinstance(shape, (int, np.integer)):
        shape = (int(shape),)
    shape = tuple(int(s) for s in shape)
    return shape, math.prod(shape)


def _float_digits(d: np.dtype) -> int:
    return {2: 11, 4: 24, 8: 53}[d.itemsize]


def _int_max(d: np.dtype) -> int:
    return 1 if d.kind == "b" else int(np.iinfo(d).max)


def _cast(v: np.ndarray, d: np.dtype) -> np.ndarray:
    """``static_cast<T>(v)`` of a double or int64 result. ``c10::Half`` has no constructor
    from a double or an integer, only from a float: torch rounds to float32 first, then to
    half (two roundings; numpy's direct cast rounds once and differs on about 1 value in
    10**4)."""
    if d == np.float16 and v.dtype != np.float16:
        return v.astype(_F32).astype(d)
    return v.astype(d)


def _to_dtype_from_int64(v: np.ndarray, d: np.dtype) -> np.ndarray:
    """``static_cast<T>(int64)``: wrap for narrower integers, nonzero for bool, round to
    nearest for floats (a half through float32)."""
    if d.kind == "b":
        return v != 0
    return _cast(v, d)


# ----------------------------------------------------------------------------- generator

class TorchGenerator:
    """torch's ``CPUGeneratorImpl``: MT19937, a cached double normal sample, the seed."""

    def __init__(self, seed: int = DEFAULT_SEED) -> None:
        self._engine = None  # numpy's MT19937, made at the first draw (see _bitgen)
        self._pending = None
        self.manual_seed(seed)

    @property
    def _bitgen(self):
        """numpy's MT19937 holding this generator's state. It is made on first use, so
        that a command which draws nothing never imports numpy.random (~9 ms of start-up:
        the default generator exists from import on)."""
        engine = self._engine
        if engine is None:
            engine = self._engine = np.random.MT19937(0)
            key, pos = self._pending
            self._pending = None
            engine.state = {"bit_generator": "MT19937",
                            "state": {"key": key, "pos": pos}}
        return engine

    @_bitgen.setter
    def _bitgen(self, engine) -> None:
        self._engine, self._pending = engine, None

    # -- seeding and state ----------------------------------------------------------------

    def manual_seed(self, seed: int) -> TorchGenerator:
        """Seed as ``torch.manual_seed``: the seed is kept as a uint64 (negative ints wrap),
        only its low 32 bits key the engine, and the cached normals are cleared."""
        seed = int(seed)
        if not -(1 << 63) <= seed <= _U64:
            raise ValueError("Overflow when unpacking long long")  # as torch
        seed &= _U64
        key = np.empty(_N, np.uint32)
        prev = seed & 0xFFFFFFFF
        key[0] = prev
        for j in range(1, _N):
            prev = (1812433253 * (prev ^ (prev >> 30)) + j) & 0xFFFFFFFF
            key[j] = prev
        self._set_engine(key, 624)
        self._seed = seed
        self._fresh = True  # torch's `next` is 0 until the first draw
        self._normal: float | None = None
        self._float_normal: float | None = None  # kept for the state only: unused on CPU
        return self

    def initial_seed(self) -> int:
        return self._seed

    def seed(self) -> int:
        """Reseed from the OS's entropy (64 bits, as /dev/urandom) and return the seed."""
        s = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(s)
        return s

    def _set_engine(self, key: np.ndarray, pos: int) -> None:
        key, pos = np.array(key, np.uint32), int(pos)
        if self._engine is None:
            self._pending = (key, pos)
        else:
            self._engine.state = {"bit_generator": "MT19937",
                                  "state": {"key": key, "pos": pos}}

    def get_state(self) -> np.ndarray:
        """torch's ``get_rng_state()`` bytes: a uint8 array of 5 056 bytes."""
        st = self._bitgen.state["state"]
        pos = int(st["pos"])
        buf = bytearray(STATE_SIZE)
        left = 625 - pos
        nxt = 0 if self._fresh else pos
        struct.pack_into("<QiiQ", buf, 0, self._seed, left, 1, nxt)
        buf[24:24 + 8 * _N] = np.asarray(st["key"], np.uint64).astype("<u8").tobytes()
        if self._normal is not None:
            struct.pack_into("<d", buf, 5024, self._normal)
            struct.pack_into("<i", buf, 5040, 1)
        if self._float_normal is not None:
            struct.pack_into("<f?", buf, 5048, self._float_normal, True)
        return np.frombuffer(bytes(buf), np.uint8).copy()

    def set_state(self, state) -> None:
        """Load torch's state layout (``set_rng_state``), with torch's validity checks."""
        raw = np.ascontiguousarray(state).view(np.uint8).tobytes() \
            if isinstance(state, np.ndarray) else bytes(state)
        if len(raw) != STATE_SIZE:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {STATE_SIZE} but "
                               f"found the input RNG state size to be {len(raw)}")
        seed, left, seeded, nxt = struct.unpack_from("<QiiQ", raw, 0)
        nxt &= 0xFFFFFFFF
        if not (seeded and 0 < left <= _N and nxt <= _N):
            raise RuntimeError("Invalid mt19937 state")
        key = np.frombuffer(raw, "<u8", _N, 24).astype(np.uint32)
        pos = 625 - left
        fresh = left == 1 and nxt == 0
        if not fresh and nxt != pos:
            raise RuntimeError("adcli: an mt19937 state whose 'next' and 'left' disagree "
                               "is not supported")
        self._set_engine(key, pos)
        self._seed = seed
        self._fresh = fresh
        valid, = struct.unpack_from("<i", raw, 5040)
        self._normal = struct.unpack_from("<d", raw, 5024)[0] if valid else None
        fval, fvalid = struct.unpack_from("<f?", raw, 5048)
        self._float_normal = fval if fvalid else None

    def clone(self) -> TorchGenerator:
        g = TorchGenerator.__new__(TorchGenerator)
        g._engine = None
        if self._engine is None:
            key, pos = self._pending
            g._pending = (key.copy(), pos)
        else:
            g._bitgen = np.random.MT19937(0)
            g._bitgen.state = self._bitgen.state
        g._seed, g._fresh = self._seed, self._fresh
        g._normal, g._float_normal = self._normal, self._float_normal
        return g

    # -- raw words ------------------------------------------------------------------------

    def random32(self, n: int) -> np.ndarray:
        """n outputs of ``random()`` (uint32)."""
        if n <= 0:
            return np.empty(0, np.uint32)
        self._fresh = False
        return self._bitgen.random_raw(n).astype(np.uint32)

    def random64(self, n: int) -> np.ndarray:
        """n outputs of ``random64()``: two words each, the first is the high half."""
        if n <= 0:
            return np.empty(0, np.uint64)
        self._fresh = False
        w = self._bitgen.random_raw(2 * n)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def _unit32(self, n: int) -> np.ndarray:
        """float unit uniforms: the low 24 bits of a word times 2**-24."""
        return (self.random32(n) & np.uint32(0xFFFFFF)).astype(_F32) * _F32(2.0 ** -24)

    def _unit64(self, n: int) -> np.ndarray:
        """double unit uniforms: the low 53 bits of random64 times 2**-53."""
        return (self.random64(n) & np.uint64((1 << 53) - 1)).astype(_F64) * 2.0 ** -53

    # -- uniform --------------------------------------------------------------------------

    def uniform_(self, shape, low: float = 0.0, high: float = 1.0,
                 dtype=np.float32) -> np.ndarray:
        """``tensor.uniform_(low, high)``: ``fma(x, high - low, low)`` in the compute type
        (float for float32/float16, double for float64), then "equals high -> low"."""
        d = _dtype(dtype)
        shape, n = _numel(shape)
        if d.kind != "f":
            raise TorchNotImplementedError(
                f"\"check_uniform_bounds\" not implemented for '{_LEGACY.get(d.name, d.name)}'")
        if d == _F64:
            lo, hi = _F64(low), _F64(high)
            x = self._unit64(n)
            with np.errstate(all="ignore"):
                rng = hi - lo
            if rng == 1.0 and lo == 0.0:
                v = x + 0.0
            else:
                v = _fma64(x, rng, lo)
            lo_s, hi_s = lo, hi
        else:
            lo, hi = _F32(low), _F32(high)
            x = self._unit32(n)
            with np.errstate(all="ignore"):
                rng = hi - lo
            v = x + _F32(0.0) if (rng == 1 and lo == 0) else _fma32(x, rng, lo)
            v = v.astype(d)
            lo_s, hi_s = d.type(low), d.type(high)
        v = np.where(v == hi_s, lo_s, v).astype(d)
        return v.reshape(shape)

    def rand(self, shape, dtype=np.float32) -> np.ndarray:
        return self.uniform_(shape, 0.0, 1.0, dtype)

    # -- normal ---------------------------------------------------------------------------

    def normal_(self, shape, mean: float = 0.0, std: float = 1.0, dtype=np.float32,
                contiguous: bool = True) -> np.ndarray:
        """``tensor.normal_(mean, std)``: the 16-wide fill for 16+ contiguous elements,
        the scalar cached Box-Muller otherwise (values in iteration order)."""
        d = _dtype(dtype)
        if d.kind != "f":
            raise TorchNotImplementedError(
                f"\"normal_kernel_cpu\" not implemented for '{_LEGACY.get(d.name, d.name)}'")
        shape, n = _numel(shape)
        if n >= 16 and contiguous:
            if d == _F64:
                out = self._normal_fill64(n, float(mean), float(std))
            elif d == _F32:
                out = self._normal_fill32(n, float(mean), float(std))
            else:  # float16: 16 float uniforms a block through a float buffer, then cast
                out = self._normal_fill32(n, float(mean), float(std), buffered=True)
                out = out.astype(d)
        else:
            out = _cast(self._normal_scalar(n, float(mean), float(std)), d)
        return out.reshape(shape)

    def randn(self, shape, dtype=np.float32) -> np.ndarray:
        return self.normal_(shape, 0.0, 1.0, dtype)

    def _normal_scalar(self, n: int, mean: float, std: float) -> np.ndarray:
        """``at::normal_distribution<double>`` n times: the cached sine half first, then
        pairs (u1 -> angle, u2 -> radius), the last sine cached; fma(z, std, mean)."""
        z = np.empty(n, _F64)
        i = 0
        if n and self._normal is not None:
            z[0] = self._normal
            self._normal = None
            i = 1
        rem = n - i
        pairs = (rem + 1) // 2
        if pairs:
            u = self._unit64(2 * pairs)
            u1, u2 = u[0::2].tolist(), u[1::2].tolist()
            log1p, sqrt, cos, sin = math.log1p, math.sqrt, math.cos, math.sin
            cs = []
            for a, b in zip(u1, u2):
                r = sqrt(-2.0 * log1p(-b))
                t = _TWO_PI * a
                cs.append(r * cos(t))
                cs.append(r * sin(t))
            if rem % 2:
                self._normal = cs.pop()
            z[i:] = cs
        if std == 1.0:
            return z + mean
        return _fma64(z, std, mean)

    def _normal_fill32(self, n: int, mean: float, std: float,
                       buffered: bool = False) -> np.ndarray:
        nb = n // 16
        # float32 draws all n uniforms into the output first; the half path draws only
        # the full blocks' (the n % 16 leftover slots get no draws of their own)
        data = self._unit32(n) if not buffered else \
            np.concatenate([self._unit32(nb * 16), np.zeros(n % 16, _F32)])
        if nb:
            blk = data[:nb * 16].reshape(nb, 16)
            for i in range(0, nb, _CHUNK_BLOCKS):  # chunks that stay in cache
                blk[i:i + _CHUNK_BLOCKS] = self._box_muller32(blk[i:i + _CHUNK_BLOCKS],
                                                              mean, std)
        if n % 16:
            tail = self._unit32(16).reshape(1, 16)
            data[n - 16:] = self._box_muller32(tail, mean, std).ravel()
        return data

    @staticmethod
    def _box_muller32(blk: np.ndarray, mean: float, std: float) -> np.ndarray:
        u1 = _ONE - blk[:, :8]
        u2 = blk[:, 8:]
        radius = np.sqrt(_c(-2.0) * _log256(np.ascontiguousarray(u1)))
        theta = _TWO_PI_F * u2
        s, c = _sincos256(np.ascontiguousarray(theta))
        n1 = radius * c
        n2 = radius * s
        out = np.empty_like(blk)
        fm, fs = _F32(mean), _F32(std)
        if fs == 1:
            out[:, :8] = n1 + fm
            out[:, 8:] = n2 + fm
        else:
            out[:, :8] = _fma32(n1, fs, fm)
            out[:, 8:] = _fma32(n2, fs, fm)
        return out

    def _normal_fill64(self, n: int, mean: float, std: float) -> np.ndarray:
        data = self._unit64(n)
        nb = n // 16
        if nb:
            blk = data[:nb * 16].reshape(nb, 16)
            blk[:] = self._box_muller64(blk, mean, std)
        if n % 16:
            tail = self._unit64(16).reshape(1, 16)
            data[n - 16:] = self._box_muller64(tail, mean, std).ravel()
        return data

    @staticmethod
    def _box_muller64(blk: np.ndarray, mean: float, std: float) -> np.ndarray:
        u1 = 1.0 - blk[:, :8]
        u2 = blk[:, 8:]
        radius = np.sqrt(-2.0 * _libm(math.log, u1))
        theta = _TWO_PI * u2
        n1 = radius * _libm(math.cos, theta)
        n2 = radius * _libm(math.sin, theta)
        out = np.empty_like(blk)
        if std == 1.0:
            out[:, :8] = n1 + mean
            out[:, 8:] = n2 + mean
        else:
            out[:, :8] = _fma64(n1, std, mean)
            out[:, 8:] = _fma64(n2, std, mean)
        return out

    # -- integers -------------------------------------------------------------------------

    def _from_to(self, n: int, rng: int, base: int) -> np.ndarray:
        """``uniform_int_from_to``: (word % range + base) as int64, 64-bit words from a
        range of 2**28 up."""
        if rng >= 1 << 28:
            v = self.random64(n)
        else:
            v = self.random32(n).astype(np.uint64)
        v = v % np.uint64(rng) + np.uint64(base & _U64)
        return v.view(np.int64)

    def random_(self, shape, low: int | None = None, high: int | None = None,
                dtype=np.int64) -> np.ndarray:
        """``tensor.random_()``, ``random_(to)`` (as ``random_(0, to)``) and
        ``random_(from, to)``; ``high=None`` with a ``low`` is ``random_(from, None)``."""
        d = _dtype(dtype)
        shape, n = _numel(shape)
        if low is None and high is None:
            return self._random_plain(n, d).reshape(shape)
        if low is None:
            low = 0
        low = int(low)
        if high is not None:
            high = int(high)
            if low >= high:
                raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got "
                                   f"from={low} >= to={high}")
            if d.kind == "f":
                low, high = _update_from(low, d), _update_to(high, d)
                if low >= high:
                    raise RuntimeError("random_ expects 'from' casted to dtype to be less "
                                       f"than 'to' casted to dtype, but got from={low} >= "
                                       f"to={high}")
            rng = (high - low) & _U64
        elif low != -(1 << 63):
            if d.kind == "f":
                to_inc = min(1 << _float_digits(d), (1 << 63) - 1)
                low = _update_from(low, d)
            else:
                to_inc = _int_max(d)
            rng = (to_inc - low + 1) & _U64
        else:
            if n == 0:
                return np.empty(shape, d)
            return _to_dtype_from_int64(self.random64(n).view(np.int64), d).reshape(shape)
        if n == 0:
            return np.empty(shape, d)
        return _to_dtype_from_int64(self._from_to(n, rng, low), d).reshape(shape)

    def _random_plain(self, n: int, d: np.dtype) -> np.ndarray:
        if d == np.int64 or d == _F64:
            v = self.random64(n)
        else:
            v = self.random32(n).astype(np.uint64)
        if d.kind == "b":
            return (v & np.uint64(1)) != 0
        if d.kind == "f":
            return _cast(v % np.uint64((1 << _float_digits(d)) + 1), d)
        return (v % np.uint64(_int_max(d) + 1)).astype(np.int64).astype(d)

    def randint(self, low: int, high: int, shape, dtype=np.int64) -> np.ndarray:
        """``torch.randint(low, high, size)``: ``random_(low, high)`` on a new tensor."""
        return self.random_(shape, low, high, dtype)

    def randperm(self, n: int, dtype=np.int64) -> np.ndarray:
        """``torch.randperm(n)``: a forward Fisher-Yates with ``random() % (n - i)``; from
        n = 214 748 364 on, the inside-out shuffle with ``random64() % (i + 1)``."""
        d = _dtype(dtype)
        n = int(n)
        if n < 0:
            raise RuntimeError(f"n must be non-negative, got{n}")
        if n < 0xFFFFFFFF // 20:
            if n <= 1:
                return np.arange(n, dtype=d)
            words = self.random32(n - 1).astype(np.int64)
            i = np.arange(n - 1, dtype=np.int64)
            ks = (i + words % (n - i)).tolist()
            perm = list(range(n))
            for i, k in enumerate(ks):
                perm[i], perm[k] = perm[k], perm[i]
            return np.array(perm, dtype=np.int64).astype(d)
        out = np.empty(n, np.int64)
        chunk = 1 << 20
        for start in range(0, n, chunk):
            stop = min(n, start + chunk)
            zs = (self.random64(stop - start)
                  % np.arange(start + 1, stop + 1, dtype=np.uint64)).tolist()
            for i, z in zip(range(start, stop), zs):
                out[i] = out[z]
                out[z] = i
        return out.astype(d)

    # -- bernoulli, dropout ---------------------------------------------------------------

    def bernoulli(self, p, dtype=None) -> np.ndarray:
        """``torch.bernoulli(p)`` / ``out.bernoulli_(p_tensor)`` with p already broadcast
        to the output's shape: a float uniform for float32/float16 p, a double one for
        float64 p; ``u < p``. The result has ``dtype`` (default: p's)."""
        p = np.asarray(p)
        d = _dtype(dtype if dtype is not None else p.dtype)
        n = p.size
        if p.dtype == _F64:
            bits = self._unit64(n) < p.ravel()
        elif p.dtype in (_F32, np.float16):
            bits = self._unit32(n) < p.ravel().astype(_F32)
        else:
            raise TypeError(f"bernoulli: p must be a floating tensor, got {p.dtype}")
        return bits.astype(d).reshape(p.shape)

    def bernoulli_scalar(self, shape, p: float, dtype=np.float32) -> np.ndarray:
        """``tensor.bernoulli_(p: float)`` (the generic CPU kernel, torch's path on
        non-Intel CPUs): one double uniform per element, ``u < p``."""
        d = _dtype(dtype)
        shape, n = _numel(shape)
        if not 0 <= p <= 1:
            raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p}")
        return (self._unit64(n) < float(p)).astype(d).reshape(shape)

    def dropout_mask(self, shape, p: float, dtype=np.float32) -> np.ndarray | None:
        """The scaled mask ``F.dropout(x, p, training=True)`` multiplies x by:
        ``empty_like(x).bernoulli_(1 - p)`` then ``.div_(1 - p)`` in x's dtype. None where
        torch draws nothing (p == 0, p == 1 or no elements: the caller returns x, resp.
        x * 0). For ``dropout2d``/``feature_dropout`` pass the noise shape (N, C, 1, ...)."""
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        d = _dtype(dtype)
        shape, n = _numel(shape)
        if p == 0 or p == 1 or n == 0:
            return None
        q = 1.0 - p
        mask = self.bernoulli_scalar(shape, q, d)
        if d == np.float16:  # div_(Scalar) on a half: float(mask) / float(1 - p), rounded
            return (mask.astype(_F32) / _F32(q)).astype(d)
        return (mask / np.asarray(q, d)).astype(d)

    def dropout(self, x: np.ndarray, p: float = 0.5, training: bool = True) -> np.ndarray:
        """``F.dropout(x, p, training)`` on a contiguous array."""
        x = np.asarray(x)
        if not 0 <= p <= 1:
            raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
        if p == 0 or not training or x.size == 0:
            return x
        if p == 1:
            return x * np.zeros((), x.dtype)
        return x * self.dropout_mask(x.shape, p, x.dtype)

    # -- exponential, multinomial ---------------------------------------------------------

    def exponential_(self, shape, lambd: float = 1.0, dtype=np.float32) -> np.ndarray:
        """``tensor.exponential_(lambd)``: ``(-1/lambd) * log1p(-u)`` in double (libm
        log1p), u a double uniform, cast to the dtype."""
        d = _dtype(dtype)
        shape, n = _numel(shape)
        if d.kind != "f":
            raise RuntimeError("Exponential distribution is a continuous probability "
                               f"distribution. dtype must be a floating point but you "
                               f"specified {d}")
        u = self._unit64(n)
        v = (-1.0 / float(lambd)) * _libm(math.log1p, -u)
        return _cast(v, d).reshape(shape)

    def cauchy_(self, shape, median: float = 0.0, sigma: float = 1.0,
                dtype=np.float32) -> np.ndarray:
        """``tensor.cauchy_(median, sigma)``: one double uniform u per element,
        ``median + sigma * tan(pi * (u - 0.5))`` in double (libm tan), cast."""
        d = _dtype(dtype)
        shape, n = _numel(shape)
        u = self._unit64(n)
        v = float(median) + float(sigma) * _libm(math.tan, math.pi * (u - 0.5))
        return _cast(v, d).reshape(shape)

    def geometric_(self, shape, p: float, dtype=np.float32) -> np.ndarray:
        """``tensor.geometric_(p)``: one double uniform u per element,
        ``ceil(log(u) / log1p(-p))`` in double (libm), cast."""
        d = _dtype(dtype)
        shape, n = _numel(shape)
        u = self._unit64(n).tolist()
        denom = math.log1p(-float(p))
        v = np.asarray([math.ceil(_log(x) / denom) if x > 0 else math.inf for x in u],
                       _F64)
        return _cast(v, d).reshape(shape)

    def log_normal_(self, shape, mean: float = 1.0, std: float = 2.0,
                    dtype=np.float32) -> np.ndarray:
        """``tensor.log_normal_(mean, std)``: ``exp`` of one
        ``at::normal_distribution<double>`` draw per element (the cached sine half
        first), in double, cast."""
        d = _dtype(dtype)
        shape, n = _numel(shape)
        z = self._normal_scalar(n, float(mean), float(std))
        return _cast(_libm(math.exp, z), d).reshape(shape)

    def poisson(self, rates) -> np.ndarray:
        """``torch.poisson(rates)``: one draw per element in row-major order (the output
        is a fresh contiguous tensor and leads TensorIterator's order), each from ATen's
        ``sample_poisson`` on the rate as a double, with double uniforms (``random64``).
        Rates >= 10: Hoermann's transformed rejection (PTRS, libm ``log``/``lgamma``);
        0 < rate < 10: multiply uniforms until the product falls to ``exp(-rate)``; 0: no
        draw. Returns int64 counts (the caller casts them to the rate's dtype); a negative
        or nan rate raises torch's RuntimeError, the draws before it consumed."""
        lam = np.ascontiguousarray(rates, _F64).ravel().tolist()
        out = np.empty(len(lam), np.int64)
        draw = _UnitStream(self)
        try:
            for i, rate in enumerate(lam):
                if not rate >= 0:
                    raise TorchRuntimeError(
                        "invalid Poisson rate, expected rate to be non-negative")
                out[i] = _sample_poisson(rate, draw)
        finally:
            draw.close()
        return out.reshape(np.shape(rates))

    def standard_gamma(self, alphas) -> np.ndarray:
        """``torch._standard_gamma(alphas)`` (what ``Gamma``, ``Beta`` and ``Dirichlet``
        sample through): one ATen ``sample_gamma`` per element in row-major order, with
        double uniforms and the generator's cached double normals (Box-Muller pairs, the
        sine half kept across calls), the result clamped below to the dtype's smallest
        normal number. float32 shapes keep ATen's float steps (``alpha + 1``,
        ``alpha - 1/3``)."""
        a = np.asarray(alphas)
        d = a.dtype if a.dtype.kind == "f" else np.dtype(_F32)
        flat = np.ascontiguousarray(a, d).ravel().tolist()
        f32 = d != _F64
        out = np.empty(len(flat), _F64)
        with _Draws(self) as draws:
            for i, alpha in enumerate(flat):
                out[i] = _sample_gamma(alpha, draws, f32)
        res = _cast(out, d) if d != _F64 else out
        tiny = np.finfo(d).tiny
        return np.maximum(res, tiny).astype(d).reshape(a.shape)

    def dirichlet(self, alphas) -> np.ndarray:
        """``torch._sample_dirichlet(alphas)``: gammas in double (the alpha cast from its
        dtype), normalised by their sum over the last dim, cast back and clamped into
        [smallest normal, 1 - ulp)."""
        a = np.asarray(alphas)
        d = a.dtype
        flat = np.ascontiguousarray(a, _F64).ravel().tolist()
        g = np.empty(len(flat), _F64)
        with _Draws(self) as draws:
            for i, alpha in enumerate(flat):
                g[i] = max(_sample_gamma(alpha, draws, False), 2.2250738585072014e-308)
        g = g.reshape(a.shape)
        total = np.add.reduce(g, axis=-1) if g.ndim else g
        ratio = _cast(g / np.asarray(total)[..., None], d)
        top = np.nextafter(d.type(1.0), d.type(0.0))
        return np.minimum(top, np.maximum(np.finfo(d).tiny, ratio)).astype(d)

    def binomial(self, count, prob) -> np.ndarray:
        """``torch.binomial(count, prob)``: ATen's ``sample_binomial`` per element in
        row-major order (inversion when n*p < 10, else BTRS, p > 0.5 by symmetry), with
        double uniforms; the count/probability steps in the tensors' dtype."""
        c = np.asarray(count)
        p = np.asarray(prob)
        d = c.dtype
        shape = np.broadcast_shapes(c.shape, p.shape)
        cs = np.broadcast_to(c, shape).astype(d).ravel().tolist()
        ps = np.broadcast_to(p, shape).astype(d).ravel().tolist()
        f32 = d != _F64
        out = np.empty(len(cs), _F64)
        with _Draws(self) as draws:
            for i, (n, q) in enumerate(zip(cs, ps)):
                out[i] = _sample_binomial(n, q, draws.u, f32)
        return _cast(out, d).reshape(shape)

    def multinomial(self, probs, num_samples: int, replacement: bool = False) -> np.ndarray:
        """``torch.multinomial(probs, num_samples, replacement)`` for a 1-D or 2-D float
        array (int64 indices). Without replacement, or for one sample: the exponential
        race (argmax / topk of probs / Exp(1)); with replacement: each row's normalised
        running sum, searched with one double uniform per sample."""
        p = np.asarray(probs)
        if p.ndim not in (1, 2):
            raise RuntimeError("prob_dist must be 1 or 2 dim")
        if p.dtype.kind != "f":
            raise RuntimeError("multinomial only supports floating-point dtypes for input, "
                               f"got: {p.dtype}")
        k = int(num_samples)
        if k <= 0:
            raise RuntimeError("cannot sample n_sample <= 0 samples")
        ncat = p.shape[-1]
        if not replacement and k > ncat:
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples "
                               "without replacement")
        rows = p.reshape(-1, ncat)
        out_shape = (k,) if p.ndim == 1 else (rows.shape[0], k)
        if rows.size == 0 or rows.shape[0] == 0:
            return np.empty(out_shape, np.int64)
        if not replacement or k == 1:
            if not (np.all(rows >= 0) and np.all(np.isfinite(rows))):
                raise RuntimeError("probability tensor contains either `inf`, `nan` or "
                                   "element < 0")
            if np.any(rows.sum(axis=1) == 0):
                raise RuntimeError("invalid multinomial distribution (sum of probabilities "
                                   "<= 0)")
            q = self.exponential_(rows.shape, 1.0, rows.dtype)
            with np.errstate(divide="ignore", invalid="ignore"):
                s = rows / q
            if k == 1:
                idx = np.argmax(s, axis=1)[:, None]
            else:
                idx = np.stack([_topk_indices(row, k) for row in s])
            return idx.astype(np.int64).reshape(out_shape)
        res = np.empty((rows.shape[0], k), np.int64)
        for r in range(rows.shape[0]):
            row = rows[r]
            if np.any(row < 0):
                raise RuntimeError("invalid multinomial distribution (encountering "
                                   "probability entry < 0)")
            if not np.all(np.isfinite(row)):
                raise RuntimeError("invalid multinomial distribution (encountering "
                                   "probability entry = infinity or NaN)")
            cum = np.add.accumulate(row, dtype=row.dtype)
            total = cum[-1]
            if not total > 0:
                raise RuntimeError("invalid multinomial distribution (sum of probabilities "
                                   "<= 0)")
            cum = cum / total
            cum[-1] = 1
            u = self._unit64(k)
            res[r] = np.searchsorted(cum.astype(_F64), u, side="left")
        return res.reshape(out_shape)

    # -- higher-level draws ---------------------------------------------------------------

    def linear_init(self, out_features: int, in_features: int, bias: bool = True,
                    dtype=np.float32):
        """``nn.Linear(in, out)``'s default init: weight (out, in) by
        ``kaiming_uniform_(a=sqrt(5))``, then the bias by ``uniform_(-1/sqrt(in), ...)``."""
        w = self.kaiming_uniform_((out_features, in_features), a=math.sqrt(5), dtype=dtype)
        b = None
        if bias:
            bound = linear_bias_bound(in_features)
            b = self.uniform_((out_features,), -bound, bound, dtype)
        return w, b

    def kaiming_uniform_(self, shape, a: float = 0.0, mode: str = "fan_in",
                         nonlinearity: str = "leaky_relu", dtype=np.float32) -> np.ndarray:
        shape, n = _numel(shape)
        if n == 0:
            return np.empty(shape, dtype)
        fan = _fan(shape, mode)
        return self.uniform_(shape, *_sym(kaiming_uniform_bound(fan, a, nonlinearity)), dtype)

    def sampler_permutation(self, n: int) -> list[int]:
        """The order of one epoch of a ``RandomSampler`` without a generator (what a
        shuffled ``DataLoader`` iterates): ``seed = empty((), int64).random_()`` from this
        generator, a fresh ``torch.Generator`` seeded with it, ``randperm(n)``. A
        single-process ``DataLoader`` first draws its ``_base_seed`` the same way (one
        more ``random_()``), before the sampler runs."""
        seed = int(self.random_((), dtype=np.int64))
        return TorchGenerator(seed).randperm(n).tolist()


class _UnitStream:
    """Double unit uniforms for a sequential sampler that cannot know its count in
    advance: words are drawn from the engine in chunks and, on ``close``, the engine is
    put back and advanced by exactly the words used (so torch's stream position holds)."""

    _CHUNK = 4096  # uniforms per chunk

    def __init__(self, gen: TorchGenerator) -> None:
        self._gen = gen
        self._start = gen._bitgen.state
        self._fresh = gen._fresh
        self._buf: list = []
        self._pos = 0
        self._used = 0  # uniforms handed out

    def __call__(self) -> float:
        if self._pos == len(self._buf):
            self._buf = self._gen._unit64(self._CHUNK).tolist()
            self._pos = 0
        self._pos += 1
        self._used += 1
        return self._buf[self._pos - 1]

    def close(self) -> None:
        gen = self._gen
        gen._bitgen.state = self._start
        gen._fresh = self._fresh
        if self._used:
            gen.random64(self._used)


class _Draws:
    """Double uniforms (``u``) and ``at::normal_distribution<double>`` draws (``normal``:
    the generator's cached sine half first, else a Box-Muller pair from two uniforms, its
    sine cached) for a sequential sampler; the stream's position and the normal cache are
    written back on exit."""

    def __init__(self, gen: TorchGenerator) -> None:
        self._gen = gen

    def __enter__(self) -> _Draws:
        self._stream = _UnitStream(self._gen)
        self.u = self._stream
        self._cached = self._gen._normal
        return self

    def normal(self) -> float:
        if self._cached is not None:
            z, self._cached = self._cached, None
            return z
        u1 = self.u()
        u2 = self.u()
        r = math.sqrt(-2.0 * math.log1p(-u2))
        theta = _TWO_PI * u1
        self._cached = r * math.sin(theta)
        return r * math.cos(theta)

    def __exit__(self, *exc) -> None:
        self._stream.close()
        self._gen._normal = self._cached


_THIRD_F = float(_F32(1.0) / _F32(3.0))  # 1.0f / 3.0f
_C0331_F = float(_F32(0.0331))


def _sample_gamma(alpha: float, draws: _Draws, f32: bool) -> float:
    """ATen's ``sample_gamma`` (Marsaglia and Tsang, with the alpha < 1 boost) in double,
    alpha's own steps in float for a float32 alpha; libm pow/log as C++ calls them."""
    scale = 1.0
    if alpha < 1.0:
        if alpha == 0.0:
            return 0.0
        inv = float(_F32(1.0) / _F32(alpha)) if f32 else 1.0 / alpha
        scale *= math.pow(1.0 - draws.u(), inv)
        alpha = float(_F32(alpha) + _F32(1.0)) if f32 else alpha + 1.0
    d = float(_F32(alpha) - _F32(_THIRD_F)) if f32 else alpha - _THIRD_F
    c = 1.0 / math.sqrt(9.0 * d)
    while True:
        while True:
            x = draws.normal()
            y = 1.0 + c * x
            if not y <= 0:
                break
        v = y * y * y
        u = 1.0 - draws.u()
        xx = x * x
        if u < 1.0 - _C0331_F * xx * xx:
            return scale * d * v
        if _log(u) < 0.5 * xx + d * (1.0 - v + _log(v)):
            return scale * d * v


_LOG1PF: list = []


def _log1pf(v: float) -> float:
    """glibc's ``log1pf`` (``std::log1p`` of a float), through ctypes."""
    if not _LOG1PF:
        try:
            import ctypes
            import ctypes.util

            fn = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").log1pf
            fn.restype, fn.argtypes = ctypes.c_float, (ctypes.c_float,)
            _LOG1PF.append(fn)
        except (OSError, AttributeError):
            _LOG1PF.append(lambda x: float(_F32(math.log1p(x))))
    return _LOG1PF[0](v)


_TAIL = (0.0810614667953272, 0.0413406959554092, 0.0276779256849983, 0.02079067210376509,
         0.0166446911898211, 0.0138761288230707, 0.0118967099458917, 0.0104112652619720,
         0.00925546218271273, 0.00833056343336287)


def _stirling_tail(k: float) -> float:
    if k <= 9:
        return _TAIL[int(k)]
    kp1sq = (k + 1) * (k + 1)
    return (1.0 / 12 - (1.0 / 360 - 1.0 / 1260 / kp1sq) / kp1sq) / (k + 1)


_EXACT = float(1 << 24)  # integers below this are exact in float32: no rounding to model


@functools.lru_cache(maxsize=4096)
def _binomial_plan(count: float, prob: float, f32: bool) -> tuple:
    """How ATen's ``sample_binomial`` treats (count, prob), with the constants of its
    branch computed once (a sample of an expanded parameter repeats them): the
    count/probability steps in the tensors' dtype (float for float32), the rest in
    double."""
    T = _F32 if f32 else float

    def t(v):
        return float(T(v))

    if count <= 0.0 or prob <= 0.0:
        return ("zero",)
    if prob >= 1.0:
        return ("count",)
    if not (prob <= 0.5 or prob > 0.5):
        return ("nan",)
    flip = prob > 0.5
    p = t(T(1.0) - T(prob)) if flip else prob
    if t(T(count) * T(p)) >= 10.0:
        one_m = t(T(1) - T(p))
        var = t(T(t(T(count) * T(p))) * T(one_m))
        stddev = t(np.sqrt(T(var)))
        b = 1.15 + 2.53 * stddev
        a = -0.0873 + 0.0248 * b + 0.01 * p
        c = t(T(count) * T(p)) + 0.5
        v_r = 0.92 - 4.2 / b
        r = t(T(p) / T(one_m))
        alpha = (2.83 + 5.1 / b) * stddev
        m = float(np.floor(T(t(T(count) + T(1))) * T(p)))
        # the terms of the acceptance bound that depend on m only, kept apart: the
        # bound adds its five terms left to right, as ATen does
        first = (m + 0.5) * _log((m + 1) / (r * (count - m + 1)))
        tails = (_stirling_tail(m), _stirling_tail(count - m))
        return ("btrs", flip, (b, a, c, v_r, r, alpha, m, first, tails, f32))
    logprob = _log1pf(-p) if f32 else math.log1p(-p)
    return ("inversion", flip, logprob)


def _sample_binomial(count: float, prob: float, u, f32: bool) -> float:
    """ATen's ``sample_binomial`` (TensorFlow's inversion and BTRS), with double uniforms
    ``u()``."""
    plan = _binomial_plan(count, prob, f32)
    kind = plan[0]
    if kind == "zero":
        return 0.0
    if kind == "count":
        return count
    if kind == "nan":
        return math.nan
    if kind == "btrs":
        k = _btrs(count, u, *plan[2])
    else:
        k = _binomial_inversion(count, plan[2], u)
    if not plan[1]:
        return k
    d = count - k
    return float(_F32(d)) if f32 and abs(d) >= _EXACT else d


def _binomial_inversion(count: float, logprob: float, u) -> float:
    geom_sum = 0.0
    num_geom = 0.0
    while True:
        geom = math.ceil(_log(u()) / logprob)
        geom_sum += geom
        if geom_sum > count:
            return num_geom
        num_geom += 1


def _btrs(count: float, u, b, a, c, v_r, r, alpha, m, first, tails, f32) -> float:
    def t(v):  # a value of the tensors' dtype
        return float(_F32(v)) if f32 and not abs(v) < _EXACT else v

    while True:
        big_u = u() - 0.5
        v = u()
        us = 0.5 - abs(big_u)
        two_a_us = 2 * a / us if us != 0.0 else math.copysign(math.inf, a)
        kk = (two_a_us + b) * big_u + c
        k = t(math.floor(kk) if math.isfinite(kk) else kk)
        if k < 0 or k > count:
            continue
        if us >= 0.07 and v <= v_r:
            return k
        v = _log(v * alpha / (a / (us * us) + b))
        cmk1 = t(t(count - k) + 1)
        upper = (first + (count + 1) * _log((count - m + 1) / cmk1)
                 + (k + 0.5) * _log(r * cmk1 / t(k + 1))
                 + tails[0] + tails[1] - _stirling_tail(k) - _stirling_tail(t(count - k)))
        if v <= upper:
            return k


_INT64_MIN = -(1 << 63)


def _floor_int64(v: float) -> int:
    """C's ``(int64_t)std::floor(v)`` on x86-64: out of range, infinite or nan gives
    INT64_MIN (cvttsd2si's "integer indefinite")."""
    if v != v or not -9.223372036854775808e18 <= v < 9.223372036854775808e18:
        return _INT64_MIN
    return math.floor(v)


def _log(v: float) -> float:
    """libm ``log`` with C's values at 0 and infinity (math.log raises at 0)."""
    if v <= 0.0:
        return -math.inf if v == 0.0 else math.nan
    return math.log(v)


_LGAMMA: list = []


def _lgamma(v: float) -> float:
    """glibc's ``lgamma`` (CPython's math.lgamma is its own, not libm's)."""
    if not _LGAMMA:
        try:
            import ctypes
            import ctypes.util

            fn = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").lgamma
            fn.restype, fn.argtypes = ctypes.c_double, (ctypes.c_double,)
            _LGAMMA.append(fn)
        except (OSError, AttributeError):
            _LGAMMA.append(math.lgamma)
    return _LGAMMA[0](v)


def _sample_poisson(rate: float, u) -> int:
    """ATen's ``sample_poisson`` (the rejection method of Hoermann 1993 at 10 and above,
    the product of uniforms below), step by step in double as torch's C++ computes it
    (no fused multiply-adds: Distributions.cpp is built for baseline x86-64)."""
    if rate >= 10:
        slam = math.sqrt(rate)
        loglam = _log(rate)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        log_invalpha = _log(invalpha)
        while True:
            big_u = u() - 0.5
            v = u()
            us = 0.5 - abs(big_u)
            two_a_us = 2 * a / us if us != 0.0 else math.copysign(math.inf, a)
            k = _floor_int64((two_a_us + b) * big_u + rate + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            lhs = _log(v) + log_invalpha - _log(a / (us * us) + b)
            rhs = -rate + k * loglam - _lgamma(float(k) + 1)
            if lhs <= rhs:
                return k
    if rate == 0:
        return 0
    enlam = math.exp(-rate)
    x = 0
    prod = 1.0
    while True:
        prod *= u()
        if prod > enlam:
            x += 1
        else:
            return x


def _sym(bound: float) -> tuple[float, float]:
    return -bound, bound


def _fan(shape: tuple[int, ...], mode: str) -> int:
    if len(shape) < 2:
        raise ValueError("Fan in and fan out can not be computed for tensor with fewer "
                         "than 2 dimensions")
    recept = math.prod(shape[2:]) if len(shape) > 2 else 1
    return shape[1] * recept if mode == "fan_in" else shape[0] * recept


def calculate_gain(nonlinearity: str, param: float | None = None) -> float:
    """``torch.nn.init.calculate_gain``, the same float operations."""
    if nonlinearity in ("linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d",
                        "conv_transpose2d", "conv_transpose3d", "sigmoid"):
        return 1
    if nonlinearity == "tanh":
        return 5.0 / 3
    if nonlinearity == "relu":
        return math.sqrt(2.0)
    if nonlinearity == "leaky_relu":
        slope = 0.01 if param is None else param
        return math.sqrt(2.0 / (1 + slope ** 2))
    if nonlinearity == "selu":
        return 3.0 / 4
    raise ValueError(f"Unsupported nonlinearity {nonlinearity}")


def kaiming_uniform_bound(fan: int, a: float = 0.0, nonlinearity: str = "leaky_relu") -> float:
    """``nn.init.kaiming_uniform_``'s bound: ``sqrt(3) * gain / sqrt(fan)``."""
    gain = calculate_gain(nonlinearity, a)
    std = gain / math.sqrt(fan)
    return math.sqrt(3.0) * std


def linear_bias_bound(fan_in: int) -> float:
    """``nn.Linear.reset_parameters``'s bias bound."""
    return 1 / math.sqrt(fan_in) if fan_in > 0 else 0


# ----------------------------------------------------------------------------- topk

def _topk_indices(row: np.ndarray, k: int) -> np.ndarray:
    """The indices ``topk(row, k)`` (largest, sorted) returns on the CPU: ATen's
    ``topk_impl_loop`` (TopKImpl.h) runs libstdc++'s ``std::partial_sort`` on (value,
    index) pairs when ``k * 64 <= n``, else ``std::nth_element`` then ``std::sort`` of
    the first k - 1, with "NaN first, then greater" as the order. Neither is stable, so
    equal values (zero weights, float16 overflowing to inf) come out in the order those
    algorithms leave them; without ties (or NaNs) at or above the k-th value, the result
    is the plain descending order, which numpy gives faster."""
    n = row.size
    order = np.argsort(-row, kind="stable")
    top = row[order[:min(n, k + 1)]]
    if not np.isnan(row).any() and not (top[1:] == top[:-1]).any():
        return order[:k]
    q = list(zip(row.astype(_F64).tolist(), range(n)))
    if k * 64 <= n:
        _partial_sort(q, k)
    else:
        _nth_element(q, k - 1)
        _introsort(q, 0, k - 1)
    return np.array([i for _, i in q[:k]], np.int64)


def _gt(x: tuple, y: tuple) -> bool:
    """topk's comparator for largest=True: NaN before numbers, then greater first."""
    a, b = x[0], y[0]
    return (a != a and b == b) or a > b


def _push_heap(q: list, first: int, hole: int, top: int, value) -> None:
    parent = (hole - 1) // 2
    while hole > top and _gt(q[first + parent], value):
        q[first + hole] = q[first + parent]
        hole = parent
        parent = (hole - 1) // 2
    q[first + hole] = value


def _adjust_heap(q: list, first: int, hole: int, length: int, value) -> None:
    top = hole
    child = hole
    while child < (length - 1) // 2:
        child = 2 * (child + 1)
        if _gt(q[first + child], q[first + child - 1]):
            child -= 1
        q[first + hole] = q[first + child]
        hole = child
    if length % 2 == 0 and child == (length - 2) // 2:
        child = 2 * (child + 1)
        q[first + hole] = q[first + child - 1]
        hole = child - 1
    _push_heap(q, first, hole, top, value)


def _make_heap(q: list, first: int, last: int) -> None:
    length = last - first
    if length < 2:
        return
    parent = (length - 2) // 2
    while True:
        _adjust_heap(q, first, parent, length, q[first + parent])
        if parent == 0:
            return
        parent -= 1


def _pop_heap(q: list, first: int, last: int, result: int) -> None:
    value = q[result]
    q[result] = q[first]
    _adjust_heap(q, first, 0, last - first, value)


def _heap_select(q: list, first: int, middle: int, last: int) -> None:
    _make_heap(q, first, middle)
    for i in range(middle, last):
        if _gt(q[i], q[first]):
            _pop_heap(q, first, middle, i)


def _sort_heap(q: list, first: int, last: int) -> None:
    while last - first > 1:
        last -= 1
        _pop_heap(q, first, last, last)


def _partial_sort(q: list, middle: int, first: int = 0, last: int | None = None) -> None:
    """``std::partial_sort(first, first + middle, last)`` of libstdc++."""
    last = len(q) if last is None else last
    _heap_select(q, first, middle, last)
    _sort_heap(q, first, middle)


def _move_median_to_first(q: list, result: int, a: int, b: int, c: int) -> None:
    if _gt(q[a], q[b]):
        if _gt(q[b], q[c]):
            m = b
        elif _gt(q[a], q[c]):
            m = c
        else:
            m = a
    elif _gt(q[a], q[c]):
        m = a
    elif _gt(q[b], q[c]):
        m = c
    else:
        m = b
    q[result], q[m] = q[m], q[result]


def _unguarded_partition(q: list, first: int, last: int, pivot: int) -> int:
    while True:
        while _gt(q[first], q[pivot]):
            first += 1
        last -= 1
        while _gt(q[pivot], q[last]):
            last -= 1
        if not first < last:
            return first
        q[first], q[last] = q[last], q[first]
        first += 1


def _partition_pivot(q: list, first: int, last: int) -> int:
    mid = first + (last - first) // 2
    _move_median_to_first(q, first, first + 1, mid, last - 1)
    return _unguarded_partition(q, first + 1, last, first)


def _linear_insert(q: list, last: int) -> None:
    val = q[last]
    nxt = last - 1
    while _gt(val, q[nxt]):
        q[last] = q[nxt]
        last = nxt
        nxt -= 1
    q[last] = val


def _insertion_sort(q: list, first: int, last: int) -> None:
    if first == last:
        return
    for i in range(first + 1, last):
        if _gt(q[i], q[first]):
            val = q[i]
            q[first + 1:i + 1] = q[first:i]
            q[first] = val
        else:
            _linear_insert(q, i)


def _nth_element(q: list, nth: int) -> None:
    """``std::nth_element(begin, begin + nth, end)`` of libstdc++ (introselect)."""
    first, last = 0, len(q)
    if first == last or nth == last:
        return
    depth = 2 * ((last - first).bit_length() - 1)
    while last - first > 3:
        if depth == 0:
            _heap_select(q, first, nth + 1, last)
            q[first], q[nth] = q[nth], q[first]
            return
        depth -= 1
        cut = _partition_pivot(q, first, last)
        if cut <= nth:
            first = cut
        else:
            last = cut
    _insertion_sort(q, first, last)


def _introsort(q: list, first: int, last: int) -> None:
    """``std::sort(first, last)`` of libstdc++ (introsort, then insertion sort)."""
    if last - first < 2:
        return

    def loop(first: int, last: int, depth: int) -> None:
        while last - first > 16:
            if depth == 0:
                _partial_sort(q, last, first, last)
                return
            depth -= 1
            cut = _partition_pivot(q, first, last)
            loop(cut, last, depth)
            last = cut

    loop(first, last, 2 * ((last - first).bit_length() - 1))
    if last - first > 16:
        _insertion_sort(q, first, first + 16)
        for i in range(first + 16, last):
            _linear_insert(q, i)
    else:
        _insertion_sort(q, first, last)


def _update_from(frm: int, d: np.dtype) -> int:
    """``update_from<scalar_t>`` of ATen/native/DistributionTemplates.h."""
    plus1 = int(d.type(frm + 1))
    if plus1 < frm:
        v = abs(frm + 1)
        nb = v.bit_length() - 1 if v else 0
        frm = plus1 + (1 << (nb - _float_digits(d) + 1))
    return frm


def _update_to(to: int, d: np.dtype) -> int:
    """``update_to<scalar_t>``."""
    minus1 = int(d.type(to - 1))
    if minus1 >= to:
        v = abs(to - 1)
        nb = v.bit_length() - 1 if v else 0
        to = minus1 - (1 << (nb - _float_digits(d) + 1))
    return to


# torch's default CPU generator starts from a nondeterministic 64-bit seed
default_generator = TorchGenerator(int.from_bytes(os.urandom(8), "little"))

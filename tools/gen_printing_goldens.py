#!/usr/bin/env python3
"""Generate ``tests/fixtures/printing_goldens.json``: tensors and PyTorch's repr of them.

Every case is a tensor built in real PyTorch (as a leaf with ``requires_grad=True``
or as the result of an op, when the case is about the suffixes), printed with
``repr`` under the case's print options, and stored with what ``format_tensor``
needs to print it again:

    {"name": ..., "dtype": "float32", "shape": [2, 2],
     "values": [...] | "b64": "<base64 of zlib-compressed little-endian raw bytes>",
     "requires_grad": false, "grad_fn": "MulBackward0" | null,
     "options": {"precision": 2, ...} | null,
     "repr": "tensor(...)"}

Small tensors store their values as a flat JSON list (floats with ``"nan"``,
``"inf"`` and ``"-inf"`` as strings); tensors above 64 elements store their raw
bytes, zlib-compressed and in base64, so that the file stays small.

Usage::

    tools/gen_printing_goldens.py [--check] [--out PATH]

With ``--check`` nothing is written and the exit status is 1 when the file on disk
differs from what would be generated.

Needs PyTorch 2.13 (``pip install torch==2.13.0``, the CPU build) and numpy.
"""

from __future__ import annotations

import argparse
import base64
import json
import math
import os
import sys
import zlib

import numpy as np
import torch
from torch._tensor_str import printoptions

EXPECTED_TORCH = "2.13"
DEFAULT_OUT = os.path.join(
    os.path.dirname(os.path.abspath(__file__)), "..", "tests", "fixtures", "printing_goldens.json"
)
INLINE_LIMIT = 64
NAN, INF = float("nan"), float("inf")

FLOAT_DTYPES = ("float32", "float64", "float16")
INT_DTYPES = ("int64", "int32", "int16", "int8", "uint8")
ALL_DTYPES = FLOAT_DTYPES + INT_DTYPES + ("bool",)


# --------------------------------------------------------------------------- encoding

def _encode_value(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    return v


def encode_case(name, t, options=None):
    """The JSON record of tensor ``t`` (already built with its autograd state)."""
    if options:
        with printoptions(**options):
            text = repr(t)
    else:
        text = repr(t)
    data = t.detach().numpy()
    dtype = str(t.dtype).removeprefix("torch.")
    case = {
        "name": name,
        "dtype": dtype,
        "shape": list(data.shape),
    }
    if data.size <= INLINE_LIMIT:
        case["values"] = [_encode_value(v) for v in data.ravel().tolist()]
    else:
        raw = np.ascontiguousarray(data).astype(data.dtype.newbyteorder("<")).tobytes()
        case["b64"] = base64.b64encode(zlib.compress(raw, 9)).decode("ascii")
    grad_fn = t.grad_fn
    case["requires_grad"] = bool(t.requires_grad and grad_fn is None)
    case["grad_fn"] = type(grad_fn).__name__ if grad_fn is not None else None
    case["options"] = options or None
    case["repr"] = text
    return case


# --------------------------------------------------------------------------- cases

def T(values, dtype="float32"):
    return torch.tensor(values, dtype=getattr(torch, dtype))


def from_np(arr):
    return torch.from_numpy(np.ascontiguousarray(arr))


def leaf(t):
    return t.clone().requires_grad_(True)


def fixed_cases():
    """Hand-picked cases: seeds, modes, boundaries, specials, empties, summaries."""
    c = []

    def add(name, t, options=None):
        c.append((name, t, options))

    # The seed transcripts.
    add("seed_ones_rg", leaf(torch.ones(2, 2)))
    x = leaf(torch.ones(2, 2))
    add("seed_add", x + 2)
    add("seed_mul", (x + 2) * (x + 2) * 3)
    add("seed_mean", ((x + 2) * (x + 2) * 3).mean())
    add("seed_fixed_2x2", T([[4.5, 4.5], [4.5, 4.5]]))
    w = leaf(T([1.3043, -2.0869, -0.6267]))
    add("seed_leaf_vec", w)
    add("seed_mul_vec", w * 512)
    add("seed_sci_vec", T([51.2, 512.0, 0.0512]))
    add("seed_sub", leaf(T([[1.0, 2.0], [3.0, 4.0]])) - 2)
    add("seed_sum_scalar", leaf(T([3.0, 4.0, 7.0])).sum())
    add("seed_neg_scalar", leaf(T([-487.424])).sum())
    add("seed_fixed_mixed", leaf(T([[-3.0, 1.8], [6.0, 4.5]])))
    add("seed_91_5", T(91.5))
    add("seed_2048", T([2048.0, 204.8, 2.048]))
    add("seed_1024", T([1024.0, 1024.0, 1024.0]))
    add("seed_row", T([[8.0, 81.0]]))

    # Integer mode, fixed mode, scientific mode and their boundaries.
    add("int_mode_small", T([1.0, 2.0, 3.0]))
    add("int_mode_neg", T([-1.0, 20.0, -300.0]))
    add("int_mode_big", T([1e7, 2.0, -3.0]))
    add("int_mode_1e8", T([1e8, 1.0e5]))
    add("int_mode_above_1e8", T([1e8 + 8, 1e6]))
    add("int_mode_ratio_1000", T([1000.0, 1.0]))
    add("int_mode_ratio_1001", T([1001.0, 1.0]))
    add("fixed_basic", T([0.5, 1.25, -2.125]))
    add("fixed_ratio_1000", T([0.001, 1.0]))
    add("fixed_ratio_over", T([0.000999, 1.0]))
    add("fixed_min_1e-4", T([1e-4, 0.05]), None)
    add("fixed_min_below_1e-4", T([9.9e-5, 0.05]))
    add("fixed_min_1e-4_f64", T([1e-4, 0.05], "float64"))
    add("fixed_rounding_width", T([9.99996, 1.5]))
    add("fixed_rounding_neg", T([-9.99996, 1.5]))
    add("fixed_half_even", T([0.00005, 0.00015, 0.00025, 0.1], "float64"))
    add("fixed_large", T([12345678.5, 99999.25]))
    add("sci_tiny", T([1e-5, 1.0]))
    add("sci_huge", T([1e9, 1.5]))
    add("sci_f64_3digit_exp", T([1e-300, 1e300, -2.5], "float64"))
    add("sci_f64_subnormal", T([5e-324, 1.0], "float64"))
    add("sci_f64_max", T([1.7976931348623157e308, -1.0], "float64"))
    add("sci_f32_max", T([3.4028234663852886e38, 1.0]))
    add("sci_f32_subnormal", T([1.401298464324817e-45, 1.0]))
    add("sci_rounding_exp", T([9.99996e-5, 1.0]))
    add("sci_int_values", T([1.0, 1e10]))
    add("sci_with_zero", T([0.0, 1e-5, 2.0]))

    # Zeros, -0., nan and inf.
    add("all_zero", torch.zeros(3))
    add("neg_zero", T([-0.0, 0.0]))
    add("neg_zero_fixed", T([-0.0, 0.5]))
    add("neg_zero_sci", T([-0.0, 1e-5]))
    add("neg_zero_int", T([-0.0, 12.0]))
    add("neg_zero_scalar", T(-0.0))
    add("nan_only", T([NAN]))
    add("nan_zero", T([0.0, NAN]))
    add("nan_scalar", T(NAN))
    add("inf_scalar", T(-INF))
    add("inf_mix", T([-0.0, 1.0, INF, -INF]))
    add("inf_fixed", T([INF, 0.5, NAN, -INF]))
    add("inf_sci", T([INF, 1e-8, NAN, -INF, 3.0]))
    add("nan_2d", T([[NAN, 1.5], [2.0, -INF]]))
    add("specials_only_2d", T([[NAN, INF], [-INF, -0.0]]))
    add("nan_f64", T([NAN, 1.0, 2.0], "float64"))
    add("nan_f16", T([NAN, 1.5, -INF], "float16"))

    # float16 and float64.
    add("f16_basic", T([1.0, 2.5, -3.0], "float16"))
    add("f16_int", T([1.0, 2.0, 65504.0], "float16"))
    add("f16_fixed", T([0.1, 0.2, 0.3333], "float16"))
    add("f16_sci", T([6e-5, 1.0, 1000.0], "float16"))
    add("f16_scalar", T(3.14159, "float16"))
    add("f64_basic", T([1.0, 2.5, -3.0], "float64"))
    add("f64_pi", T([math.pi, math.e], "float64"))
    add("f64_scalar", T(1.0 / 3.0, "float64"))
    add("f64_int_scalar", T(5.0, "float64"))

    # Integers and bools.
    add("int64_basic", T([1, -2, 300], "int64"))
    add("int64_scalar", T(7, "int64"))
    add("int64_neg_scalar", T(-7, "int64"))
    add("int64_2d", T([[1, 22], [-333, 4]], "int64"))
    add("int64_extremes", T([-(2**63), 2**63 - 1], "int64"))
    add("int32_basic", T([1, -2, 300], "int32"))
    add("int16_basic", T([[1, -2], [300, 4]], "int16"))
    add("int8_basic", T([-128, 127, 0], "int8"))
    add("uint8_basic", T([0, 255, 7], "uint8"))
    add("int32_scalar", T(5, "int32"))
    add("bool_basic", T([True, False], "bool"))
    add("bool_true", T([True, True], "bool"))
    add("bool_2d", T([[True, False], [False, True]], "bool"))
    add("bool_scalar", T(True, "bool"))
    add("bool_scalar_false", T(False, "bool"))

    # Empty tensors.
    add("empty_1d", torch.zeros(0))
    add("empty_0x3", torch.zeros(0, 3))
    add("empty_3x0", torch.zeros(3, 0))
    add("empty_2x0x4", torch.zeros(2, 0, 4))
    add("empty_int64", torch.zeros(0, dtype=torch.int64))
    add("empty_int64_2d", torch.zeros(0, 2, dtype=torch.int64))
    add("empty_bool", torch.zeros(0, dtype=torch.bool))
    add("empty_f64", torch.zeros(0, dtype=torch.float64))
    add("empty_f16_2d", torch.zeros(1, 0, dtype=torch.float16))
    add("empty_int8", torch.zeros(0, dtype=torch.int8))
    add("empty_rg", leaf(torch.zeros(0)))
    add("empty_2d_rg", leaf(torch.zeros(0, 5)))
    add("empty_f64_grad", leaf(torch.zeros(0, 2, dtype=torch.float64)) * 2)

    # Shapes and nesting.
    add("col_vec", torch.arange(4.0).reshape(4, 1))
    add("row_vec", torch.arange(4.0).reshape(1, 4))
    add("3d", torch.arange(24.0).reshape(2, 3, 4) - 11.5)
    add("4d", torch.arange(48, dtype=torch.int64).reshape(2, 2, 3, 4))
    add("5d", torch.arange(32.0).reshape(2, 2, 2, 2, 2) / 4)
    add("3d_single", torch.ones(1, 1, 1))
    add("3d_bool", torch.arange(12).reshape(2, 2, 3) % 3 == 0)

    # Wrapping at linewidth 80.
    add("wrap_1d", torch.arange(30.0) * 1.5)
    add("wrap_1d_int", torch.arange(50, dtype=torch.int64) * 1000)
    add("wrap_2d", torch.arange(60.0).reshape(2, 30) / 7)
    add("wrap_3d", torch.arange(100.0).reshape(2, 2, 25) * 1e-6)
    add("wrap_f64", torch.linspace(-1, 1, 25, dtype=torch.float64))
    add("wrap_bool", torch.arange(40) % 3 == 0)
    add("wrap_exact_fit", torch.arange(12.0) + 0.5)
    add("wrap_exact_fit_2", torch.arange(13.0) + 0.5)

    # Suffixes moving to a new line.
    for n in range(5, 13):
        add(f"suffix_break_{n}", leaf(torch.arange(float(n)) + 0.25))
        add(f"suffix_break_f64_{n}", (leaf(torch.arange(float(n), dtype=torch.float64)) + 0.25))
    add("suffix_break_int16", torch.arange(24, dtype=torch.int16) * 100)
    add("suffix_break_f64_2d", leaf(torch.arange(22.0, dtype=torch.float64).reshape(2, 11) + 0.5))

    # grad_fn names from ops.
    a = leaf(T([[1.0, -2.0], [3.5, 4.0]]))
    add("gf_mul", a * 2)
    add("gf_add", a + 1)
    add("gf_sub", a - 1)
    add("gf_div", a / 3)
    add("gf_pow", a.pow(2))
    add("gf_exp", a.exp())
    add("gf_sum", a.sum())
    add("gf_sum_dim", a.sum(0))
    add("gf_mean", a.mean())
    add("gf_select", a[0])
    add("gf_view", a.view(-1))
    add("gf_neg", -a)
    add("gf_relu", torch.relu(a))
    add("gf_f64", leaf(T([1.0, 2.0], "float64")) * 3)
    add("gf_f16", leaf(T([1.0, 2.0], "float16")) * 3)
    add("rg_f64", leaf(T([1.0, 2.0], "float64")))
    add("rg_f64_scalar", leaf(T(2.5, "float64")))
    add("rg_f16_scalar", leaf(T(2.5, "float16")))
    add("rg_scalar", leaf(T(-0.0)))

    # Summarization.
    add("sum_1d_1000", torch.arange(1000.0))
    add("sum_1d_1001", torch.arange(1001.0))
    add("sum_1d_int", torch.arange(5000, dtype=torch.int64))
    add("sum_1d_bool", torch.arange(1500) % 2 == 0)
    add("sum_2d", torch.arange(2000.0).reshape(20, 100))
    add("sum_2d_int_mode", torch.arange(1200.0).reshape(40, 30))
    add("sum_2d_narrow", torch.arange(1005.0).reshape(201, 5))
    add("sum_2d_short_rows", torch.arange(1005.0).reshape(5, 201) / 1000)
    add("sum_3d", torch.arange(3000, dtype=torch.int64).reshape(10, 3, 100))
    add("sum_3d_float", torch.linspace(-5, 5, 2744).reshape(14, 14, 14))
    add("sum_4d", torch.arange(4096.0).reshape(8, 8, 8, 8) - 2000)
    add("sum_edge_hidden_width",
        torch.cat([torch.ones(500), torch.full((10,), 1e9), torch.ones(500)]))
    add("sum_hidden_nan",
        torch.cat([torch.ones(500) * 0.5, torch.full((10,), NAN), torch.ones(500)]))
    add("sum_f64_rg", leaf(torch.linspace(0, 1, 1100, dtype=torch.float64)))
    add("sum_grad_fn", leaf(torch.arange(1200.0).reshape(30, 40)) * 2)
    add("sum_exact_2x_edge", torch.arange(1014.0).reshape(6, 169))

    # Print options.
    v = T([[1.123456789, -22.5], [333.0, 0.000123]])
    u = T([0.5, 1.25, 100.125, -7.0])
    add("opt_precision_2", u, {"precision": 2})
    add("opt_precision_0", u, {"precision": 0})
    add("opt_precision_8", u, {"precision": 8})
    add("opt_precision_2_sci", v, {"precision": 2})
    add("opt_sci_true", u, {"sci_mode": True})
    add("opt_sci_true_int", T([1.0, 2.0]), {"sci_mode": True})
    add("opt_sci_true_zeros", T([0.0, NAN]), {"sci_mode": True})
    add("opt_sci_false", v, {"sci_mode": False})
    add("opt_sci_false_huge", T([1e12, 1.5]), {"sci_mode": False})
    add("opt_sci_false_int_huge", T([1e20, 1.0], "float64"), {"sci_mode": False})
    add("opt_linewidth_40", torch.arange(20.0) / 3, {"linewidth": 40})
    add("opt_linewidth_10", torch.arange(6.0) / 3, {"linewidth": 10})
    add("opt_linewidth_120", leaf(torch.arange(30.0) / 3), {"linewidth": 120})
    add("opt_linewidth_30_suffix", leaf(T([1.5, 2.5, 3.5], "float64")), {"linewidth": 30})
    add("opt_threshold_10", torch.arange(20.0), {"threshold": 10})
    add("opt_threshold_10_2d", torch.arange(64.0).reshape(8, 8), {"threshold": 10})
    add("opt_threshold_0_scalar", T(3.0), {"threshold": 0})
    add("opt_edgeitems_1", torch.arange(2000.0).reshape(40, 50), {"edgeitems": 1})
    add("opt_edgeitems_5", torch.arange(2000.0).reshape(40, 50), {"edgeitems": 5})
    add("opt_edgeitems_0", torch.arange(5.0), {"edgeitems": 0})
    add("opt_edgeitems_0_sum", torch.arange(2000.0), {"edgeitems": 0})
    add("opt_edgeitems_0_sum_2d", torch.arange(2000.0).reshape(2, 1000), {"edgeitems": 0})
    add("opt_edgeitems_0_scalar", T(3.0), {"edgeitems": 0})
    add("opt_edgeitems_0_empty", torch.zeros(0, 3), {"edgeitems": 0})
    add("opt_edgeitems_0_grad", leaf(torch.arange(2000.0)) * 2, {"edgeitems": 0})
    add("opt_profile_short", u, {"profile": "short"})
    add("opt_profile_full", torch.arange(1100, dtype=torch.int64), {"profile": "full"})
    add("opt_full_linewidth", torch.arange(200.0) / 7, {"profile": "full", "linewidth": 60})
    return c


def _random_values(rng, dtype, n):
    if dtype == "bool":
        return rng.random(n) < rng.random()
    if dtype in INT_DTYPES:
        info = np.iinfo(dtype)
        span = int(rng.choice([10, 1000, 10**6, 2**31]))
        lo, hi = max(info.min, -span), min(info.max, span)
        if dtype.startswith("u"):
            lo = 0
        return rng.integers(lo, hi, size=n, endpoint=True).astype(dtype)
    style = rng.integers(0, 6)
    if style == 0:  # whole numbers
        vals = rng.integers(-1000, 1000, size=n).astype(np.float64)
    elif style == 1:  # one scale
        vals = rng.standard_normal(n) * 10.0 ** rng.integers(-6, 10)
    elif style == 2:  # many scales
        vals = rng.standard_normal(n) * 10.0 ** rng.integers(-12, 12, size=n)
    elif style == 3:  # values rounded to a few decimals
        vals = np.round(rng.standard_normal(n) * 100, int(rng.integers(0, 5)))
    elif style == 4:  # near 1e-4 / 1e8 boundaries
        vals = rng.choice([1e-4, 9.99e-5, 1e8, 1.0000001e8, 0.1, 10.0, 100.0], size=n)
        vals = vals * rng.choice([1.0, -1.0], size=n)
    else:
        vals = rng.uniform(-1, 1, size=n)
    specials = rng.random(n) < rng.choice([0.0, 0.0, 0.1, 0.3])
    if specials.any():
        vals[specials] = rng.choice([NAN, INF, -INF, 0.0, -0.0], size=int(specials.sum()))
    with np.errstate(over="ignore"):
        return vals.astype(dtype)


def random_cases(count, seed=20240613):
    rng = np.random.default_rng(seed)
    cases = []
    for i in range(count):
        dtype = str(rng.choice(ALL_DTYPES))
        ndim = int(rng.integers(0, 5))
        if rng.random() < 0.15:  # big enough to be summarised
            inner = [int(s) for s in rng.integers(1, 7, size=max(ndim, 1) - 1)]
            rows = 1001 // int(np.prod(inner, dtype=np.int64)) + 1 + int(rng.integers(0, 3))
            shape = [rows, *inner]
        else:
            shape = [int(s) for s in rng.integers(0 if rng.random() < 0.1 else 1, 7, size=ndim)]
        n = int(np.prod(shape, dtype=np.int64))
        arr = _random_values(rng, dtype, n).reshape(shape)
        t = from_np(arr)
        name = f"random_{i:03d}"
        if dtype in FLOAT_DTYPES and rng.random() < 0.3:
            t = leaf(t) if rng.random() < 0.5 else leaf(t).clone()
        cases.append((name, t, None))
    return cases


def build():
    cases = fixed_cases() + random_cases(220)
    out = []
    seen = set()
    for name, t, options in cases:
        if name in seen:
            raise SystemExit(f"duplicate case name {name}")
        seen.add(name)
        out.append(encode_case(name, t, options))
    return out


def render(cases):
    return "[\n" + ",\n".join(json.dumps(c, ensure_ascii=True) for c in cases) + "\n]\n"


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default=DEFAULT_OUT)
    parser.add_argument("--check", action="store_true")
    args = parser.parse_args(argv)
    if not torch.__version__.startswith(EXPECTED_TORCH):
        print(f"warning: PyTorch {torch.__version__}, expected {EXPECTED_TORCH}", file=sys.stderr)
    torch.manual_seed(0)
    text = render(build())
    path = os.path.normpath(args.out)
    if args.check:
        try:
            with open(path, encoding="utf-8") as f:
                same = f.read() == text
        except FileNotFoundError:
            same = False
        print(f"{path}: {'up to date' if same else 'differs'}")
        return 0 if same else 1
    os.makedirs(os.path.dirname(path), exist_ok=True)
    with open(path, "w", encoding="utf-8") as f:
        f.write(text)
    print(f"wrote {len(json.loads(text))} cases to {path}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

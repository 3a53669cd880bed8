#!/usr/bin/env python3
"""How often adcli's float kernels give torch's bits, beside numpy's as the baseline.

Needs PyTorch 2.13 (``pip install torch==2.13.0``); run from the project root::

    python bench/fidelity.py                 # a table, 2**20 inputs per function and dtype
    python bench/fidelity.py --markdown      # the same table in Markdown (docs, README)
    python bench/fidelity.py -n 65536 exp softmax   # fewer inputs, some functions

For every function and dtype it draws the inputs from several ranges (each function's
own: where it is defined and where its value changes), computes them with torch, with
adcli's engine and with plain numpy in the same dtype, and prints the share of results
whose bits equal torch's and the largest distance in units in the last place (ulp). Torch
runs on one thread, as adcli's command line reproduces it. The numbers depend on the CPU:
torch sends several functions to MKL, whose last bits differ between CPUs, and picks its
vector kernels by the CPU capability (printed in the header).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)


def _ranges(*spans):
    return spans


# name: (torch callable, numpy baseline, input ranges)
def _cases(torch, F):
    erf = np.vectorize(math.erf, otypes=[np.float64])
    erfc = np.vectorize(math.erfc, otypes=[np.float64])

    def np_erf(x):
        return erf(x).astype(x.dtype)

    def np_erfc(x):
        return erfc(x).astype(x.dtype)

    def np_softmax(x):
        e = np.exp(x - x.max(-1, keepdims=True))
        return e / e.sum(-1, keepdims=True)

    def np_log_softmax(x):
        s = x - x.max(-1, keepdims=True)
        return s - np.log(np.exp(s).sum(-1, keepdims=True))

    wide, unit = (-10, 10), (-1, 1)
    return {
        "exp": (torch.exp, np.exp, _ranges((-10, 10), (-87, 88), (-1e-3, 1e-3))),
        "log": (torch.log, np.log, _ranges((1e-3, 10), (0.5, 2), (1, 1e30))),
        "log1p": (torch.log1p, np.log1p, _ranges((-0.9, 10), (-1e-3, 1e-3))),
        "expm1": (torch.expm1, np.expm1, _ranges((-5, 5), (-1e-3, 1e-3))),
        "log2": (torch.log2, np.log2, _ranges((1e-3, 100),)),
        "log10": (torch.log10, np.log10, _ranges((1e-3, 100),)),
        "exp2": (torch.exp2, np.exp2, _ranges((-10, 10),)),
        "sqrt": (torch.sqrt, np.sqrt, _ranges((0, 100), (0, 1e-3))),
        "rsqrt": (torch.rsqrt, lambda x: 1 / np.sqrt(x), _ranges((1e-3, 100),)),
        "sin": (torch.sin, np.sin, _ranges(wide, (-100, 100))),
        "cos": (torch.cos, np.cos, _ranges(wide, (-100, 100))),
        "tan": (torch.tan, np.tan, _ranges((-1.5, 1.5),)),
        "asin": (torch.asin, np.arcsin, _ranges(unit,)),
        "acos": (torch.acos, np.arccos, _ranges(unit,)),
        "atan": (torch.atan, np.arctan, _ranges((-5, 5), (-100, 100))),
        "sinh": (torch.sinh, np.sinh, _ranges((-5, 5),)),
        "cosh": (torch.cosh, np.cosh, _ranges((-5, 5),)),
        "tanh": (torch.tanh, np.tanh, _ranges((-5, 5), (-0.1, 0.1))),
        "erf": (torch.erf, np_erf, _ranges((-3, 3),)),
        "erfc": (torch.erfc, np_erfc, _ranges((-3, 3),)),
        "sigmoid": (torch.sigmoid, lambda x: 1 / (1 + np.exp(-x)), _ranges(wide, (-90, 20))),
        "softplus": (F.softplus, lambda x: np.where(x > 20, x, np.log1p(np.exp(x))),
                     _ranges(wide, (-30, 30))),
        "silu": (F.silu, lambda x: x / (1 + np.exp(-x)), _ranges(wide,)),
        "logsigmoid": (F.logsigmoid,
                       lambda x: np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x))),
                       _ranges(wide,)),
        "gelu": (F.gelu, lambda x: 0.5 * x * (1 + np_erf(x / np.sqrt(x.dtype.type(2)))),
                 _ranges((-6, 6),)),
        "elu": (F.elu, lambda x: np.where(x > 0, x, np.expm1(x)), _ranges((-5, 5),)),
        "softmax": (lambda t: F.softmax(t, -1), np_softmax, _ranges((-5, 5),)),
        "log_softmax": (lambda t: F.log_softmax(t, -1), np_log_softmax, _ranges((-5, 5),)),
    }


ADCLI_NN = {"softplus", "silu", "logsigmoid", "gelu", "elu", "softmax", "log_softmax"}
ROWS = 10  # softmax inputs are (n/10, 10) rows, as a classifier's logits


def _ulps(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    """Distance in ulps between same-dtype arrays (as ordered integers); nan equals nan."""
    it = np.int32 if a.dtype == np.float32 else np.int64
    ia, ib = a.view(it).astype(np.int64), b.view(it).astype(np.int64)
    sign = np.int64(np.iinfo(it).min)
    ia = np.where(ia < 0, sign - ia, ia)  # the float order as integers
    ib = np.where(ib < 0, sign - ib, ib)
    d = np.abs(ia - ib)
    both_nan = np.isnan(a) & np.isnan(b)
    return np.where(both_nan, 0, d)


def _score(want: np.ndarray, got: np.ndarray) -> tuple[float, int]:
    same = (want.view(np.uint8).reshape(want.size, -1) == got.view(np.uint8)
            .reshape(got.size, -1)).all(axis=1) | (np.isnan(want) & np.isnan(got))
    return float(same.mean()), int(_ulps(want, got).max(initial=0))


def _inputs(ranges, n: int, dtype, rs) -> np.ndarray:
    parts = np.array_split(np.arange(n), len(ranges))
    out = np.empty(n, dtype)
    for (lo, hi), idx in zip(ranges, parts):
        out[idx] = rs.uniform(lo, hi, idx.size).astype(dtype)
    return out


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("functions", nargs="*", help="only these (default: all)")
    parser.add_argument("-n", type=int, default=1 << 20, help="inputs per function and dtype")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--json", action="store_true", help="print JSON")
    args = parser.parse_args(argv)
    try:
        import torch
        import torch.nn.functional as F
    except ImportError:
        print("bench/fidelity.py needs PyTorch: pip install torch==2.13.0", file=sys.stderr)
        return 2
    torch.set_num_threads(1)

    from adcli.engine import api, cpu_kernels, declarations

    cpu_kernels.SUM_THREADS[0] = 1
    tf, nf = declarations.torch_functions(), declarations.nn_functions()
    cases = _cases(torch, F)
    names = args.functions or list(cases)
    unknown = [n for n in names if n not in cases]
    if unknown:
        parser.error(f"unknown function(s): {', '.join(unknown)}; known: {', '.join(cases)}")
    rs = np.random.RandomState(2026)
    rows = []
    started = time.perf_counter()
    for name in names:
        t_fn, np_fn, ranges = cases[name]
        ours = nf[name] if name in ADCLI_NN else tf[name]
        if name == "softmax":
            ours = (lambda f: lambda t: f(t, -1))(nf["softmax"])
        elif name == "log_softmax":
            ours = (lambda f: lambda t: f(t, -1))(nf["log_softmax"])
        for dtype in (np.float32, np.float64):
            x = _inputs(ranges, args.n // ROWS * ROWS, dtype, rs)
            if name in ("softmax", "log_softmax"):
                x = x.reshape(-1, ROWS)
            want = t_fn(torch.from_numpy(x)).numpy()
            got = ours(api.tensor(x)).numpy()
            with np.errstate(all="ignore"):
                base = np.asarray(np_fn(x), dtype)
            exact, worst = _score(want.ravel(), got.ravel())
            b_exact, b_worst = _score(want.ravel(), base.ravel())
            rows.append({"function": name, "dtype": np.dtype(dtype).name, "inputs": x.size,
                         "ranges": [list(r) for r in ranges],
                         "adcli_exact": exact, "adcli_max_ulp": worst,
                         "numpy_exact": b_exact, "numpy_max_ulp": b_worst})
    header = {"torch": torch.__version__, "numpy": np.__version__,
              "cpu_capability": torch.backends.cpu.get_cpu_capability(),
              "mkl": torch.backends.mkl.is_available(),
              "seconds": round(time.perf_counter() - started, 1)}
    if args.json:
        print(json.dumps({"machine": header, "results": rows}, indent=1))
        return 0
    print(f"# torch {header['torch']} ({header['cpu_capability']}, MKL "
          f"{'on' if header['mkl'] else 'off'}), numpy {header['numpy']}, "
          f"{args.n} inputs per row")
    if args.markdown:
        print("| function | dtype | adcli bit-exact | adcli max ulp "
              "| numpy bit-exact | numpy max ulp |")
        print("|---|---|---:|---:|---:|---:|")
        for r in rows:
            print(f"| {r['function']} | {r['dtype']} | {100 * r['adcli_exact']:.2f}% | "
                  f"{r['adcli_max_ulp']} | {100 * r['numpy_exact']:.2f}% | "
                  f"{r['numpy_max_ulp']} |")
        return 0
    print(f"{'function':<12} {'dtype':<8} {'adcli exact':>12} {'max ulp':>8} "
          f"{'numpy exact':>12} {'max ulp':>8}")
    for r in rows:
        print(f"{r['function']:<12} {r['dtype']:<8} {100 * r['adcli_exact']:>11.2f}% "
              f"{r['adcli_max_ulp']:>8} {100 * r['numpy_exact']:>11.2f}% "
              f"{r['numpy_max_ulp']:>8}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Compare adcli's two emulations of torch's vector kernels on every float32 input.

``engine/cpu_kernels.sleef_expf``, ``vec_erf``, ``dnnl_exp``, ``dnnl_gelu``,
``dnnl_gelu_avx512`` and ``dnnl_gelu_backward`` (chains in
float64 arrays) must give the bits of their ``*_steps`` versions (each FMA rounded once
by engine/fma.py) for all 2**32 inputs. This walks them in chunks and prints any input where
they differ (about 6 minutes per kernel on 2 cores).

    python tools/check_kernel_chains.py [--kernel KERNEL] [--stride N]
        # KERNEL: exp|erf|dnnl-exp|gelu-avx2|gelu-avx512|gelu-bwd (gelu-bwd with g = 1)
        # N > 1: every Nth bit pattern only
"""

from __future__ import annotations

import argparse
import os
import sys
import time

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

from adcli.engine import cpu_kernels as K  # noqa: E402

KERNELS = {
    "exp": (K.sleef_expf, K.sleef_expf_steps),
    "erf": (K.vec_erf, K.vec_erf_steps),
    "dnnl-exp": (K.dnnl_exp, K.dnnl_exp_steps),
    "gelu-avx2": (K.dnnl_gelu, K.dnnl_gelu_steps),
    "gelu-avx512": (K.dnnl_gelu_avx512, K.dnnl_gelu_avx512_steps),
    # the backward with an upstream gradient of 1 (the product by g is one rounding)
    "gelu-bwd": (lambda d: K.dnnl_gelu_backward(np.ones_like(d), d),
                 lambda d: K.dnnl_gelu_backward_steps(np.ones_like(d), d)),
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kernel", choices=tuple(KERNELS), default="exp")
    parser.add_argument("--stride", type=int, default=1)
    parser.add_argument("--chunk", type=int, default=1 << 22)
    args = parser.parse_args()
    fast_fn, ref_fn = KERNELS[args.kernel]
    start = time.time()
    checked = bad = 0
    span = args.chunk * args.stride
    for lo in range(0, 1 << 32, span):
        bits = np.arange(lo, min(lo + span, 1 << 32), args.stride, dtype=np.uint64)
        d = bits.astype(np.uint32).view(np.float32)
        fast = fast_fn(d).view(np.uint32)
        ref = ref_fn(d).view(np.uint32)
        # nan results: any nan bit pattern is the same nan to torch's printing and maths
        differ = (fast != ref) & ~(np.isnan(fast.view(np.float32)) &
                                   np.isnan(ref.view(np.float32)))
        checked += d.size
        if differ.any():
            bad += int(differ.sum())
            for i in np.flatnonzero(differ)[:5]:
                print(f"differs at {d[i]!r} (0x{int(bits[i]):08x}): "
                      f"{fast[i]:08x} != {ref[i]:08x}")
    print(f"{checked} inputs checked, {bad} differ, {time.time() - start:.0f} s")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())

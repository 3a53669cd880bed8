#!/usr/bin/env python3
"""Record torch 2.13's activation kernels, forward and backward with an arbitrary upstream
gradient, for tests/engine/test_activation_bits.py.

Run under real torch: ``/work/torchenv/bin/python tools/gen_activation_fixtures.py``.
Writes tests/engine/fixtures/activation_bits.json: per case the input x, the upstream
gradient g, torch's output y and its x.grad, as raw float bytes (hex), with torch's CPU
capability and C library (whose expf, log1pf and tanhf the kernels' scalar tails call).
Torch runs on one thread. Sizes straddle the vector blocks (32 floats on
AVX512, 16 on AVX2), so that both the vector code and the scalar tail are recorded.
"""

from __future__ import annotations

import json
import platform
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "activation_bits.json"

OPS = {
    "sigmoid": (torch.sigmoid, {}),
    "tanh": (torch.tanh, {}),
    "silu": (F.silu, {}),
    "softplus": (F.softplus, {}),
    "softplus_b2_t5": (F.softplus, {"beta": 2, "threshold": 5}),
    "logsigmoid": (F.logsigmoid, {}),
    "mish": (F.mish, {}),
    "gelu_tanh": (F.gelu, {"approximate": "tanh"}),
}


def hexa(a: np.ndarray) -> str:
    return np.ascontiguousarray(a).tobytes().hex()


def main() -> int:
    torch.set_num_threads(1)
    rs = np.random.RandomState(2013)
    cases = []
    for n in (5, 31, 33, 77, 203):
        for dtype in (np.float32, np.float64):
            if dtype == np.float64 and n != 77:
                continue
            x = (rs.standard_normal(n) * 4).astype(dtype)
            x[:2] = (0.0, -30.0) if n > 2 else x[:2]
            g = rs.standard_normal(n).astype(dtype)
            for op, (fn, kw) in OPS.items():
                t = torch.from_numpy(x).clone().requires_grad_()
                y = fn(t, **kw)
                y.backward(torch.from_numpy(g))
                cases.append({"op": op, "kw": kw, "dtype": np.dtype(dtype).name, "n": n,
                              "x": hexa(x), "g": hexa(g), "y": hexa(y.detach().numpy()),
                              "grad": hexa(t.grad.numpy())})
    doc = {"torch": torch.__version__,
           "capability": torch.backends.cpu.get_cpu_capability().lower(),
           "libc": list(platform.libc_ver()),  # the scalar tails' expf, log1pf, tanhf
           "cases": cases}
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases -> {OUT} ({OUT.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

#!/usr/bin/env python3
"""Record torch 2.13's float kernels for tests/engine/test_cpu_kernels.py.

Run under real torch: ``/work/torchenv/bin/python tools/gen_kernel_fixtures.py``. Writes
tests/engine/fixtures/cpu_kernels.json: for each case, the input and torch's output as
raw float bytes (hex), with torch's CPU capability. Torch runs on one thread. The tests
replay each case on adcli.engine.cpu_kernels with that capability and compare bits.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "cpu_kernels.json"


def hexa(a: np.ndarray) -> str:
    return np.ascontiguousarray(a).tobytes().hex()


def main() -> int:
    torch.set_num_threads(1)
    rs = np.random.RandomState(1505)
    cases = []

    def add(op, x, out, **kw):
        cases.append({"op": op, "dtype": str(x.dtype), "shape": list(x.shape),
                      "x": hexa(x), "out": hexa(out), **kw})

    # elementwise: sizes around the vector blocks (16 floats on AVX2) and large ones
    for n in (1, 2, 7, 15, 16, 17, 31, 33, 100, 1000, 2051):
        for lo, hi in ((-10, 10), (-90, 30)):
            x = rs.uniform(lo, hi, n).astype(np.float32)
            t = torch.from_numpy(x)
            add("sigmoid", x, torch.sigmoid(t).numpy())
            add("silu", x, F.silu(t).numpy())
            add("softplus", x, F.softplus(t).numpy(), beta=1, threshold=20)
            add("logsigmoid", x, F.logsigmoid(t).numpy())
            add("exp", x, torch.exp(t).numpy())
            add("tanh", x, torch.tanh(t).numpy())
        x = rs.uniform(-6, 6, n).astype(np.float32)
        add("gelu", x, F.gelu(torch.from_numpy(x)).numpy())
        x = rs.uniform(-3, 3, n).astype(np.float32)
        add("softplus", x, F.softplus(torch.from_numpy(x), beta=2, threshold=4).numpy(),
            beta=2, threshold=4)
    # softmax / log_softmax over the last dim: row lengths below, at and above the lanes
    for cols in (1, 2, 3, 5, 7, 8, 9, 10, 15, 16, 17, 40, 100, 1000):
        rows = 12 if cols < 100 else 3
        x = (rs.standard_normal((rows, cols)) * 4).astype(np.float32)
        t = torch.from_numpy(x)
        add("softmax", x, F.softmax(t, -1).numpy())
        add("log_softmax", x, F.log_softmax(t, -1).numpy())
        g = rs.standard_normal((rows, cols)).astype(np.float32)
        tr = t.clone().requires_grad_()
        F.softmax(tr, -1).backward(torch.from_numpy(g))
        add("softmax_backward", x, tr.grad.numpy(), g=hexa(g))
        tr = t.clone().requires_grad_()
        F.log_softmax(tr, -1).backward(torch.from_numpy(g))
        add("log_softmax_backward", x, tr.grad.numpy(), g=hexa(g))
    for n in (5, 17, 1000):
        x = rs.standard_normal(n).astype(np.float32)
        add("cumsum", x, torch.cumsum(torch.from_numpy(x), 0).numpy())
        x = rs.uniform(0.5, 1.5, n).astype(np.float32)
        add("cumprod", x, torch.cumprod(torch.from_numpy(x), 0).numpy())
    doc = {"torch": torch.__version__,
           "capability": torch.backends.cpu.get_cpu_capability().lower(),
           "cases": cases}
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"{len(cases)} cases -> {OUT} ({OUT.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

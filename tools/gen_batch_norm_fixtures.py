#!/usr/bin/env python3
"""Record torch 2.13's F.batch_norm for tests/engine/test_batch_norm_bits.py.

Run under real torch: ``/work/torchenv/bin/python tools/gen_batch_norm_fixtures.py``.
Writes tests/engine/fixtures/batch_norm_bits.json: for each case the input, weight, bias,
running statistics and upstream gradient (random, or the expanded one of ``y.sum()``), and
torch's output, updated running statistics and gradients of input, weight and bias, as raw
float bytes (hex), with the number of threads torch ran on (2-D inputs reduce in per-thread
buffers). The tests replay every case on adcli and compare bits.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "batch_norm_bits.json"


def hexa(a) -> str:
    if isinstance(a, torch.Tensor):
        a = a.detach().numpy()
    return np.ascontiguousarray(a).tobytes().hex()


def main() -> int:
    rs = np.random.RandomState(2013)
    cases = []

    def record(dtype, shape, affine, training, threads=2, grad="rand", momentum=0.1):
        torch.set_num_threads(threads)
        c = shape[1]
        x = (rs.standard_normal(shape) * rs.uniform(0.2, 3) + rs.uniform(-2, 2)).astype(dtype)
        w = rs.standard_normal(c).astype(dtype) if "w" in affine else None
        b = rs.standard_normal(c).astype(dtype) if "b" in affine else None
        rm = rs.standard_normal(c).astype(dtype)
        rv = rs.uniform(0.2, 3, c).astype(dtype)
        xt = torch.from_numpy(x.copy()).requires_grad_()
        wt = None if w is None else torch.from_numpy(w.copy()).requires_grad_()
        bt = None if b is None else torch.from_numpy(b.copy()).requires_grad_()
        rmt, rvt = torch.from_numpy(rm.copy()), torch.from_numpy(rv.copy())
        y = F.batch_norm(xt, rmt, rvt, wt, bt, training, momentum, 1e-5)
        case = {"dtype": str(np.dtype(dtype)), "shape": list(shape), "affine": affine,
                "training": training, "momentum": momentum, "threads": threads,
                "grad": grad, "x": hexa(x), "rm": hexa(rm), "rv": hexa(rv), "y": hexa(y),
                "rm1": hexa(rmt), "rv1": hexa(rvt)}
        if grad == "rand":
            g = rs.standard_normal(shape).astype(dtype)
            case["g"] = hexa(g)
            y.backward(torch.from_numpy(g))
        else:
            y.sum().backward()
        for key, t in (("w", w), ("b", b)):
            if t is not None:
                case[key] = hexa(t)
        case["gx"] = hexa(xt.grad)
        if wt is not None:
            case["gw"] = hexa(wt.grad)
        if bt is not None:
            case["gb"] = hexa(bt.grad)
        cases.append(case)

    f32 = np.float32
    # 2-D (N, C): the channels-last kernels, vectors of 8 channels and the leftovers;
    # N <= threads with few channels (one buffer) or many (double loops)
    for shape in ((2, 7), (16, 10), (64, 32), (3, 5), (5, 20), (2, 40), (33, 11)):
        for affine in ("", "wb"):
            for training in (True, False):
                record(f32, shape, affine, training)
    record(f32, (16, 10), "w", True)
    record(f32, (16, 10), "wb", True, momentum=0.3)
    for threads in (1, 3, 4):
        for shape in ((3, 9), (4, 17), (3, 20), (9, 13)):
            record(f32, shape, "wb", True, threads=threads)
    # 3-D / 4-D: the contiguous kernels, planes shorter than a vector, with tails
    for shape in ((8, 3, 5), (4, 6, 17), (4, 3, 8, 8), (4, 8, 7, 7), (2, 4, 3, 3),
                  (5, 4, 1, 1), (3, 2, 1)):
        for affine in ("", "wb"):
            for training in (True, False):
                record(f32, shape, affine, training)
    record(f32, (8, 16, 7, 7), "wb", True)
    record(f32, (4, 6, 17), "wb", True, threads=1)
    record(f32, (4, 6, 17), "wb", True, threads=3)
    # the expanded gradient of y.sum(): the TensorIterator backward
    for shape in ((16, 10), (4, 3, 8, 8), (4, 6, 17)):
        for training in (True, False):
            record(f32, shape, "wb", training, grad="sum")
    # float64: evaluation, and 2-D training over several threads' buffers
    record(np.float64, (4, 3, 8, 8), "wb", False)
    record(np.float64, (16, 10), "wb", True)
    record(np.float64, (16, 10), "", False)
    doc = {"torch": torch.__version__,
           "capability": torch.backends.cpu.get_cpu_capability().lower(), "cases": cases}
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

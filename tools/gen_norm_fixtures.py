#!/usr/bin/env python3
"""Record torch 2.13's layer_norm and group_norm for tests/engine/test_norm_bits.py.

Run under real torch: ``/work/torchenv/bin/python tools/gen_norm_fixtures.py``. Writes
tests/engine/fixtures/norm_bits.json: for each case the input, weight, bias and upstream
gradient, and torch's output, saved mean and rstd, and gradients of input, weight and bias,
as raw float bytes (hex), with the number of threads torch ran on (its reductions of the
weight's gradient depend on it). The tests replay every case on adcli and compare bits.
"""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "norm_bits.json"


def hexa(a) -> str:
    if isinstance(a, torch.Tensor):
        a = a.detach().numpy()
    return np.ascontiguousarray(a).tobytes().hex()


def main() -> int:
    rs = np.random.RandomState(2013)
    cases = []

    def record(kind, dtype, shape, affine, threads, arg):
        torch.set_num_threads(threads)
        x = (rs.standard_normal(shape) * 2.5 + 0.75).astype(dtype)
        g = rs.standard_normal(shape).astype(dtype)
        pshape = shape[-len(arg):] if kind == "layer_norm" else (shape[1],)
        w = rs.standard_normal(pshape).astype(dtype) if affine in ("w", "wb") else None
        b = rs.standard_normal(pshape).astype(dtype) if affine in ("b", "wb") else None
        xt = torch.from_numpy(x).requires_grad_()
        wt = None if w is None else torch.from_numpy(w).requires_grad_()
        bt = None if b is None else torch.from_numpy(b).requires_grad_()
        if kind == "layer_norm":
            y = F.layer_norm(xt, list(arg), wt, bt)
            _, mean, rstd = torch.ops.aten.native_layer_norm(
                torch.from_numpy(x), list(arg), wt, bt, 1e-5)
        else:
            y = F.group_norm(xt, arg[0], wt, bt)
            n, c = shape[:2]
            _, mean, rstd = torch.ops.aten.native_group_norm(
                torch.from_numpy(x), wt, bt, n, c, int(np.prod(shape[2:])), arg[0], 1e-5)
        case = {"kind": kind, "dtype": str(np.dtype(dtype)), "shape": list(shape),
                "arg": list(arg), "affine": affine, "threads": threads, "x": hexa(x),
                "g": hexa(g), "y": hexa(y), "mean": hexa(mean), "rstd": hexa(rstd)}
        if w is not None:
            case["w"] = hexa(w)
        if b is not None:
            case["b"] = hexa(b)
        # torch 2.13 fails group_norm's backward with a bias and no weight
        if not (kind == "group_norm" and affine == "b"):
            y.backward(torch.from_numpy(g))
            case["gx"] = hexa(xt.grad)
            if w is not None:
                case["gw"] = hexa(wt.grad)
            if b is not None:
                case["gb"] = hexa(bt.grad)
        cases.append(case)

    # rows below a vector (8 floats), tails of every length, one and several Welford
    # chunks (128 floats), a cascade several levels deep
    for shape in ((5, 3), (6, 8), (7, 13), (4, 2, 100), (3, 300), (1, 1030), (1, 2051)):
        for affine in ("", "w", "b", "wb") if shape[-1] < 1000 else ("wb",):
            record("layer_norm", np.float32, shape, affine, 2, shape[-1:])
    record("layer_norm", np.float32, (3, 4, 6, 7), "wb", 2, (6, 7))
    record("layer_norm", np.float32, (41, 24), "wb", 1, (24,))
    record("layer_norm", np.float64, (9, 70), "wb", 2, (70,))
    for shape, groups in (((4, 6, 5, 5), 3), ((3, 24, 9), 2), ((5, 40, 3), 2),
                          ((2, 64, 16), 32), ((16, 6), 2), ((2, 8, 12, 12), 1)):
        for affine in ("", "w", "b", "wb") if np.prod(shape) < 1000 else ("", "wb"):
            record("group_norm", np.float32, shape, affine, 2, (groups,))
    for shape, groups in (((3, 24, 9), 2), ((4, 26, 7), 2)):
        record("group_norm", np.float32, shape, "wb", 1, (groups,))
    record("group_norm", np.float64, (3, 30, 7), "wb", 2, (3,))
    record("group_norm", np.float64, (3, 30, 7), "wb", 1, (3,))
    doc = {"torch": torch.__version__,
           "capability": torch.backends.cpu.get_cpu_capability().lower(), "cases": cases}
    OUT.write_text(json.dumps(doc, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {OUT}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

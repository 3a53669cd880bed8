#!/usr/bin/env python3
"""Record torch 2.13's exact gelu (approximate='none'), forward and backward with an arbitrary
upstream gradient, for tests/engine/test_gelu_avx512.py.

Run under real torch: ``/work/torchenv/bin/python tools/gen_gelu_fixtures.py``.
A float32 tensor of more than one element goes to oneDNN's eltwise gelu_erf (jit, forward
and backward); one element to ATen's scalar formula. oneDNN's forward differs between
ISAs (a minimax polynomial on AVX512, Abramowitz & Stegun on AVX2), so the cases are
recorded once per capability, each in a child process: AVX512 as this machine runs it, and
AVX2 with ONEDNN_MAX_CPU_ISA=AVX2 and ATEN_CPU_CAPABILITY=avx2 (set before torch loads). A
capability the machine lacks is left out. Writes tests/engine/fixtures/gelu_bits.json: per
capability and case the input x, the gradient g, torch's y and x.grad as raw float32 bytes
(hex), and the oneDNN implementation that ONEDNN_VERBOSE named; one more case, a transposed
input, has x (before the transpose, C order) and y (C order) only.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "gelu_bits.json"
SIZES = (1, 2, 5, 16, 17, 33, 100, 777)
SPECIAL = (0.0, -0.0, float("inf"), float("-inf"), float("nan"), 1e-45, -1e-45, 1e-38,
           -1e-38, 1e-8, -1e-8, 0.109375, 0.10937501, -0.1, 5.5400906, 5.540091, -5.540091,
           7.0, -7.0, 3e38, -3e38, 1e10, -1e10, 1e20, -1e20, 13.0, -13.0)


def record() -> None:
    """In the child: the cases for the capability its environment selects, as JSON."""
    import numpy as np
    import torch
    import torch.nn.functional as F

    torch.set_num_threads(1)
    rs = np.random.RandomState(2130)
    inputs = []
    for n in SIZES:
        x = (rs.standard_normal(n) * 4).astype(np.float32)
        inputs.append(("randn*4", x, (rs.standard_normal(n) * 3).astype(np.float32)))
    x = np.array(SPECIAL, np.float32)
    inputs.append(("special", x, rs.standard_normal(x.size).astype(np.float32)))
    # each special value alone: ATen's one-element path
    for v in SPECIAL[:5]:
        inputs.append(("special1", np.array([v], np.float32), np.array([1.5], np.float32)))
    # a transposed (strided) input: ATen's formula, walked in memory order; forward only
    # (its backward, ATen's strided kernel, is not reproduced)
    base = (rs.standard_normal((37, 45)) * 4).astype(np.float32)
    y = F.gelu(torch.from_numpy(base).t())
    transposed = {"kind": "transposed", "n": int(base.size), "shape": [37, 45],
                  "x": base.tobytes().hex(), "y": y.contiguous().numpy().tobytes().hex()}
    cases = [transposed]
    for kind, x, g in inputs:
        t = torch.from_numpy(x.copy()).requires_grad_()
        y = F.gelu(t)
        y.backward(torch.from_numpy(g.copy()))
        cases.append({"kind": kind, "n": int(x.size), "x": x.tobytes().hex(),
                      "g": g.tobytes().hex(), "y": y.detach().numpy().tobytes().hex(),
                      "grad": t.grad.numpy().tobytes().hex()})
    print(json.dumps({"torch": torch.__version__,
                      "capability": torch.backends.cpu.get_cpu_capability().lower(),
                      "cases": cases}))


def dnnl_impl(env: dict) -> str:
    """The oneDNN implementation that runs gelu_erf under ``env`` (ONEDNN_VERBOSE)."""
    code = ("import torch, torch.nn.functional as F\n"
            "t = torch.randn(64, requires_grad=True)\nF.gelu(t).sum().backward()\n")
    run = subprocess.run([sys.executable, "-c", code], env={**env, "ONEDNN_VERBOSE": "1"},
                         capture_output=True, text=True, check=True)
    impls = sorted({line.split(",")[6] for line in run.stdout.splitlines()
                    if ",exec,cpu,eltwise," in line and "gelu_erf" in line})
    return " ".join(impls)


def main() -> int:
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        record()
        return 0
    base = {k: v for k, v in os.environ.items()
            if k not in ("ONEDNN_MAX_CPU_ISA", "ATEN_CPU_CAPABILITY", "ONEDNN_VERBOSE")}
    records = {}
    for cap, extra in (("avx512", {}),
                       ("avx2", {"ONEDNN_MAX_CPU_ISA": "AVX2", "ATEN_CPU_CAPABILITY": "avx2"})):
        env = {**base, **extra}
        run = subprocess.run([sys.executable, __file__, "--child"], env=env,
                             capture_output=True, text=True, check=True)
        doc = json.loads(run.stdout)
        if doc["capability"] != cap:
            print(f"{cap}: this machine runs {doc['capability']}, left out", file=sys.stderr)
            continue
        doc["onednn"] = dnnl_impl(env)
        records[cap] = doc
        print(f"{cap}: {len(doc['cases'])} cases, oneDNN {doc['onednn']}", file=sys.stderr)
    out = {"machine": platform.machine(), "records": records}
    OUT.write_text(json.dumps(out, separators=(",", ":")) + "\n", encoding="utf-8")
    print(f"-> {OUT} ({OUT.stat().st_size // 1024} KiB)", file=sys.stderr)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

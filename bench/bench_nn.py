#!/usr/bin/env python3
"""torch.nn training against PyTorch and a hand-written numpy floor, side by side.

  mlp:  an MLP 10 -> 64 -> 64 -> 1 (ReLU) on 256 x 10 data, 500 steps of Adam with
        MSELoss; the issue's target is adcli at least 2x faster than torch, end to end.
  conv: Conv2d(3, 16, 3, padding=1) forward and backward on 8 x 3 x 32 x 32, 50 times;
        target: within 2x of torch.

Each is one program text run by ``adcli run`` and by ``python`` with torch, in fresh
processes, interleaved; each program prints the seconds its loop took. torch runs twice:
with its default threads (``torch``, what a user gets) and with one (``torch1``, as adcli
and the floor run; on a small, busy machine torch's thread pool can cost more than it
gains). Reported: the
medians of the whole run (start-up included, as a user waits for it) and of the loop,
and their ratios. The numpy floor is the same computation written directly in numpy.

Usage: python bench/bench_nn.py [--runs N] [--torch-python PATH] [--adcli PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

MLP = """
import time
import torch
import torch.nn as nn
torch.manual_seed(0)
X = torch.randn(256, 10)
y = torch.randn(256, 1)
model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                      nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=1e-3)
loss_fn = nn.MSELoss()
t0 = time.perf_counter()
for step in range(500):
    opt.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    opt.step()
print(time.perf_counter() - t0)
"""

CONV = """
import time
import torch
import torch.nn as nn
torch.manual_seed(0)
conv = nn.Conv2d(3, 16, 3, padding=1)
x = torch.randn(8, 3, 32, 32, requires_grad=True)
t0 = time.perf_counter()
for _ in range(50):
    conv.zero_grad()
    conv(x).sum().backward()
print(time.perf_counter() - t0)
"""

NUMPY_MLP = """
import time
import numpy as np
rng = np.random.default_rng(0)
f32 = np.float32
X = rng.standard_normal((256, 10), dtype=f32)
y = rng.standard_normal((256, 1), dtype=f32)
shapes = [(64, 10), (64,), (64, 64), (64,), (1, 64), (1,)]
ps = [rng.uniform(-0.3, 0.3, s).astype(f32) for s in shapes]
m = [np.zeros_like(p) for p in ps]
v = [np.zeros_like(p) for p in ps]
t0 = time.perf_counter()
for step in range(1, 501):
    w1, b1, w2, b2, w3, b3 = ps
    h1 = X @ w1.T + b1; a1 = np.maximum(h1, 0)
    h2 = a1 @ w2.T + b2; a2 = np.maximum(h2, 0)
    out = a2 @ w3.T + b3
    d = (2 / out.size) * (out - y)
    g3 = d.T @ a2; gb3 = d.sum(0); d2 = (d @ w3) * (h2 > 0)
    g2 = d2.T @ a1; gb2 = d2.sum(0); d1 = (d2 @ w2) * (h1 > 0)
    g1 = d1.T @ X; gb1 = d1.sum(0)
    for i, g in enumerate((g1, gb1, g2, gb2, g3, gb3)):
        m[i] = 0.9 * m[i] + 0.1 * g
        v[i] = 0.999 * v[i] + 0.001 * g * g
        mh = m[i] / (1 - 0.9 ** step); vh = v[i] / (1 - 0.999 ** step)
        ps[i] -= (1e-3 * mh / (np.sqrt(vh) + 1e-8)).astype(f32)
print(time.perf_counter() - t0)
"""

NUMPY_CONV = """
import time
import numpy as np
from numpy.lib.stride_tricks import sliding_window_view
rng = np.random.default_rng(0)
f32 = np.float32
w = rng.uniform(-0.2, 0.2, (16, 3, 3, 3)).astype(f32)
b = np.zeros(16, f32)
x = rng.standard_normal((8, 3, 32, 32), dtype=f32)
t0 = time.perf_counter()
for _ in range(50):
    xp = np.pad(x, ((0, 0), (0, 0), (1, 1), (1, 1)))
    cols = sliding_window_view(xp, (3, 3), axis=(2, 3))  # N C H W kh kw
    out = np.einsum("nchwij,ocij->nohw", cols, w, optimize=True) + b[:, None, None]
    g = np.ones_like(out)
    gw = np.einsum("nohw,nchwij->ocij", g, cols, optimize=True)
    gb = g.sum((0, 2, 3))
    gxp = np.zeros_like(xp)
    for i in range(3):
        for j in range(3):
            gxp[:, :, i:i + 32, j:j + 32] += np.einsum("nohw,oc->nchw", g, w[:, :, i, j])
print(time.perf_counter() - t0)
"""


def _run(cmd: list[str], env: dict) -> tuple[float, float]:
    """(wall seconds, loop seconds the program printed)."""
    start = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, text=True, env=env, check=True)
    wall = time.perf_counter() - start
    return wall, float(done.stdout.strip().splitlines()[-1])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--torch-python", default=None,
                        help="a Python with torch 2.13 (default: this one, if it has torch)")
    parser.add_argument("--adcli", default=shutil.which("adcli") or "adcli")
    args = parser.parse_args()
    torch_python = args.torch_python
    if torch_python is None:
        try:
            import torch  # noqa: F401

            torch_python = sys.executable
        except ImportError:
            print("torch is not importable here; pass --torch-python PATH for the ratios")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    # the floor runs on one BLAS thread, as adcli does (torch keeps its own defaults)
    floor_env = {**env, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    with tempfile.TemporaryDirectory() as tmp:
        for name, program, floor in (("mlp", MLP, NUMPY_MLP), ("conv", CONV, NUMPY_CONV)):
            paths = {}
            for key, text in (("program", program), ("floor", floor)):
                paths[key] = os.path.join(tmp, f"{name}_{key}.py")
                with open(paths[key], "w", encoding="utf-8") as fh:
                    fh.write(text)
            runs: dict[str, list] = {"adcli": [], "torch": [], "torch1": [], "numpy": []}
            for _ in range(args.runs):
                runs["adcli"].append(_run([args.adcli, "run", paths["program"]], env))
                if torch_python:
                    runs["torch"].append(_run([torch_python, paths["program"]], env))
                    runs["torch1"].append(_run([torch_python, paths["program"]], floor_env))
                runs["numpy"].append(_run([sys.executable, paths["floor"]], floor_env))
            print(f"{name}:")
            med = {}
            for who, rows in runs.items():
                if rows:
                    med[who] = (statistics.median(r[0] for r in rows),
                                statistics.median(r[1] for r in rows))
                    print(f"  {who:6s} wall {med[who][0]:7.3f} s   loop {med[who][1]:7.3f} s")
            for who in ("torch", "torch1"):
                if who in med:
                    print(f"  {who} / adcli: wall {med[who][0] / med['adcli'][0]:.2f}x, loop "
                          f"{med[who][1] / med['adcli'][1]:.2f}x (above 1: adcli faster)")
            print(f"  adcli / numpy floor, loop: {med['adcli'][1] / med['numpy'][1]:.2f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

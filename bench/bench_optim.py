#!/usr/bin/env python3
"""Optimizer steps: adcli's torch.optim against PyTorch's, on an MLP's parameter shapes.

  The parameters of a 10 -> 64 -> 64 -> 1 MLP (weights and biases, 4,929 floats), fixed
  gradients; N steps of Adam(lr=1e-3) and of SGD(lr=0.01, momentum=0.9), each timed per
  step (zero_grad, set the gradients, step). torch runs in a subprocess of the Python
  given by --torch-python (default: this one, if it imports torch), in the same run.

Run with the repo on sys.path, under a Python that has numpy:
  python bench/bench_optim.py [--steps N] [--torch-python /path/to/python-with-torch]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

SHAPES = [(64, 10), (64,), (64, 64), (64,), (1, 64), (1,)]


def run(lib_name: str, steps: int) -> dict:
    """Seconds per step of each optimizer, in this process, with ``lib_name``."""
    import numpy as np

    rng = np.random.default_rng(0)
    inits = [rng.standard_normal(s).astype(np.float32) * 0.1 for s in SHAPES]
    grads = [rng.standard_normal(s).astype(np.float32) * 0.01 for s in SHAPES]
    if lib_name == "torch":
        import torch

        torch.set_num_threads(1)
        lib, optim, from_numpy = torch, torch.optim, torch.from_numpy
    else:
        from adcli.engine import api, optim

        lib, from_numpy = api, api.from_numpy
    out = {}
    for name, make in (("Adam", lambda ps: optim.Adam(ps, lr=1e-3)),
                       ("SGD", lambda ps: optim.SGD(ps, lr=0.01, momentum=0.9))):
        params = [from_numpy(a.copy()).requires_grad_(True) for a in inits]
        gs = [from_numpy(g) for g in grads]
        opt = make(params)
        best = float("inf")
        for _ in range(3):  # the best of three rounds of `steps` steps
            t0 = time.perf_counter()
            for _ in range(steps):
                opt.zero_grad()
                for p, g in zip(params, gs):
                    p.grad = g
                opt.step()
            best = min(best, (time.perf_counter() - t0) / steps)
        out[name] = best
        out[name + " check"] = float(lib.stack([p.detach().sum() for p in params]).sum())
    return out


def _torch_in_subprocess(python: str, steps: int):
    code = (f"import sys, json; sys.path.insert(0, {ROOT!r}); sys.argv = ['x']; "
            f"import bench.bench_optim as b; print(json.dumps(b.run('torch', {steps})))")
    proc = subprocess.run([python, "-c", code], capture_output=True, text=True)
    if proc.returncode != 0:
        return None
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--steps", type=int, default=300)
    parser.add_argument("--torch-python", default=sys.executable,
                        help="a Python that can import torch (default: this one)")
    args = parser.parse_args(argv)
    mine = run("adcli", args.steps)
    theirs = _torch_in_subprocess(args.torch_python, args.steps)
    n = sum(math.prod(s) for s in SHAPES)
    print(f"optimizer step over a 10->64->64->1 MLP's parameters ({n:,} floats, "
          f"{len(SHAPES)} tensors), best of 3 x {args.steps} steps:")
    for name in ("Adam", "SGD"):
        line = f"  {name:5s} adcli {mine[name] * 1e6:8.1f} us/step"
        if theirs is not None:
            line += (f"   torch {theirs[name] * 1e6:8.1f} us/step   "
                     f"adcli / torch = {mine[name] / theirs[name]:.2f}")
            agree = abs(mine[name + " check"] - theirs[name + " check"]) <= 1e-4 * max(
                1.0, abs(theirs[name + " check"]))
            line += "" if agree else "   (parameters disagree!)"
        print(line)
    if theirs is None:
        print("  (torch not importable: pass --torch-python)")


if __name__ == "__main__":
    main()

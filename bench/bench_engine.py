#!/usr/bin/env python3
"""Engine speed and memory against PyTorch (when importable) and a hand-written numpy floor.

  small: a chain of 100 ops on 2x2 tensors, forward + backward, per op.
  large: mean(3*(x+2)**2) with x of 10^7 float32, forward + backward; peak memory above
         the inputs, each measured in a fresh subprocess.

Run with the repo on sys.path, under a Python that has numpy (and torch for the ratios):
  python bench/bench_engine.py [--quick]
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

N_OPS = 100
LARGE = 10_000_000


def _lib(name):
    if name == "torch":
        import torch

        return torch
    from adcli.engine import api

    return api


def small_graph(lib, n_ops=N_OPS):
    """Forward and backward through n_ops elementwise ops on 2x2 tensors."""
    x = lib.ones(2, 2, requires_grad=True)
    w = lib.ones(2, 2) * 0.5
    y = x
    for _ in range(n_ops // 5):
        y = y * w
        y = y + x
        y = y.sin()
        y = y - 0.5
        y = y * 1.5
    y.sum().backward()
    return x.grad


def small_numpy(n_ops=N_OPS):
    """The numpy floor: the same forward, and its backward, written by hand."""
    import numpy as np

    x = np.ones((2, 2), np.float32)
    w = np.ones((2, 2), np.float32) * 0.5
    y = x
    saved = []
    for _ in range(n_ops // 5):
        y = y * w
        y = y + x
        saved.append(y)
        y = np.sin(y)
        y = y - 0.5
        y = y * 1.5
    g = np.ones((2, 2), np.float32)
    gx = np.zeros((2, 2), np.float32)
    for s in reversed(saved):
        g = g * 1.5
        g = g * np.cos(s)
        gx += g
        g = g * w
    return gx


def timeit(fns, reps, rounds=9):
    """Best time per call of each function, measured in interleaved rounds so that a busy
    machine slows all of them alike (CPU time of this process)."""
    for fn in fns:
        fn()
    best = [float("inf")] * len(fns)
    for _ in range(rounds):
        for i, fn in enumerate(fns):
            t = time.process_time()
            for _ in range(reps):
                fn()
            best[i] = min(best[i], (time.process_time() - t) / reps)
    return best


def large(lib_name):
    """One forward+backward of mean(3*(x+2)**2) on 10^7 floats: (seconds, peak MiB above
    the input); meant to run in a fresh process."""
    import resource

    import numpy as np

    if lib_name == "numpy":
        x = np.ones(LARGE, np.float32)

        def step():
            t = x + 2
            m = (3 * t * t).mean()
            g = t * (6.0 / LARGE)
            return m, g
    else:
        lib = _lib(lib_name)
        x = lib.ones(LARGE, requires_grad=True)

        def step():
            x.grad = None
            out = (3 * (x + 2) ** 2).mean()
            out.backward()
            return out
    base = _rss()
    t = time.perf_counter()
    step()
    first = time.perf_counter() - t
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
    best = min(first, *(_timed(step) for _ in range(4)))
    return best, max(peak - base, 0) / 2**20


def _timed(fn):
    t = time.perf_counter()
    fn()
    return time.perf_counter() - t


def _rss():
    with open("/proc/self/statm") as f:
        return int(f.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


def _in_subprocess(lib_name):
    code = (f"import sys, json; sys.path.insert(0, {ROOT!r}); sys.argv = ['x']; "
            f"import bench.bench_engine as b; print(json.dumps(b.large({lib_name!r})))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main(argv) -> None:
    quick = "--quick" in argv
    have_torch = True
    try:
        import torch  # noqa: F401
    except ImportError:
        have_torch = False
    reps = 20 if quick else 100
    print(f"small graph: {N_OPS} ops on 2x2 tensors, forward + backward (best of 9 rounds)")
    adcli = _lib("adcli")
    fns = [lambda: small_graph(adcli), small_numpy]
    if have_torch:
        torch_lib = _lib("torch")
        fns.append(lambda: small_graph(torch_lib))
    times = [t / N_OPS for t in timeit(fns, reps)]
    ours, floor = times[0], times[1]
    print(f"  adcli  {ours * 1e6:7.2f} us/op")
    print(f"  numpy  {floor * 1e6:7.2f} us/op   (hand-written forward+backward; adcli takes "
          f"{ours / floor:.1f}x its time)")
    if have_torch:
        theirs = times[2]
        print(f"  torch  {theirs * 1e6:7.2f} us/op   (adcli is {theirs / ours:.2f}x faster)")
    print(f"\nlarge: mean(3*(x+2)**2), x of {LARGE:,} float32, forward + backward "
          "(fresh process each)")
    rows = [("adcli", _in_subprocess("adcli")), ("numpy", _in_subprocess("numpy"))]
    if have_torch:
        rows.append(("torch", _in_subprocess("torch")))
    mine = rows[0][1]
    for name, (secs, mib) in rows:
        memory = mine[1] / mib if mib else 0.0
        if name == "numpy":
            extra = (f"   (the floor: adcli takes {mine[0] / secs:.2f}x its time and "
                     f"{memory:.2f}x its peak memory)")
        elif name == "torch":
            extra = (f"   (adcli is {secs / mine[0]:.2f}x faster, with {memory:.2f}x its peak "
                     "memory)")
        else:
            extra = ""
        print(f"  {name:6s} {secs * 1e3:8.1f} ms   peak +{mib:7.1f} MiB{extra}")


if __name__ == "__main__":
    main(sys.argv[1:])

#!/usr/bin/env python3
"""Speed of adcli's bit-exact torch random streams against PyTorch and plain numpy.

For each draw (10^6 elements unless noted): the best of several runs with
adcli.engine.torch_random, with torch (when importable, one thread, as the streams are
serial in torch too) and with numpy's own generator doing the nearest thing (numpy's
numbers differ from torch's; it is the floor for "a numpy draw of that size"). Prints
milliseconds and the ratios adcli/torch and adcli/numpy.

Run with the repo on sys.path, under a Python that has numpy (and torch for the ratios):
  python bench/bench_random.py [--quick]
"""

from __future__ import annotations

import os
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)

from adcli.engine.torch_random import TorchGenerator  # noqa: E402

N = 1_000_000


def best(fn, reps: int) -> float:
    fn()
    times = []
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times) * 1e3


def cases(n: int):
    """(label, adcli, torch, numpy): each a no-argument callable, or None."""
    g = TorchGenerator(0)
    rs = np.random.default_rng(0)
    try:
        import torch

        torch.set_num_threads(1)
        torch.manual_seed(0)
    except ImportError:
        torch = None

    def t(f):
        return f if torch is not None else None

    probs = rs.random(1000).astype(np.float32)
    small = max(1, n // 10)
    return [
        ("randn float32", lambda: g.randn(n), t(lambda: torch.randn(n)),
         lambda: rs.standard_normal(n, dtype=np.float32)),
        ("randn float64", lambda: g.randn(n, np.float64),
         t(lambda: torch.randn(n, dtype=torch.float64)), lambda: rs.standard_normal(n)),
        ("rand float32", lambda: g.rand(n), t(lambda: torch.rand(n)),
         lambda: rs.random(n, dtype=np.float32)),
        ("uniform_(-b, b) float32", lambda: g.uniform_(n, -0.3, 0.3),
         t(lambda: torch.empty(n).uniform_(-0.3, 0.3)),
         lambda: rs.uniform(-0.3, 0.3, n).astype(np.float32)),
        ("normal_(2, 3) float32", lambda: g.normal_(n, 2.0, 3.0),
         t(lambda: torch.empty(n).normal_(2.0, 3.0)),
         lambda: rs.normal(2.0, 3.0, n).astype(np.float32)),
        ("randint(0, 10) int64", lambda: g.randint(0, 10, n),
         t(lambda: torch.randint(0, 10, (n,))), lambda: rs.integers(0, 10, n)),
        (f"randperm({small})", lambda: g.randperm(small), t(lambda: torch.randperm(small)),
         lambda: rs.permutation(small)),
        ("dropout mask p=0.5 float32", lambda: g.dropout_mask(n, 0.5),
         t(lambda: torch.nn.functional.dropout(torch.ones(n), 0.5)),
         lambda: (rs.random(n) < 0.5).astype(np.float32) * np.float32(2)),
        (f"exponential_ float32 ({small})", lambda: g.exponential_(small),
         t(lambda: torch.empty(small).exponential_()),
         lambda: rs.standard_exponential(small, dtype=np.float32)),
        ("multinomial 1000 cats, 1e4 samples w/ repl",
         lambda: g.multinomial(probs, 10_000, True),
         t(lambda: torch.multinomial(torch.from_numpy(probs), 10_000, True)),
         lambda: rs.choice(1000, 10_000, p=probs / probs.sum())),
    ]


def main() -> None:
    quick = "--quick" in sys.argv
    n = N // 10 if quick else N
    reps = 3 if quick else 7
    print(f"draws of {n} elements unless noted; best of {reps} (ms)")
    print(f"{'draw':44s} {'adcli':>9s} {'torch':>9s} {'numpy':>9s} {'/torch':>8s} {'/numpy':>8s}")
    for label, ours, theirs, floor in cases(n):
        a = best(ours, reps)
        tt = best(theirs, reps) if theirs is not None else float("nan")
        f = best(floor, reps)
        print(f"{label:44s} {a:9.2f} {tt:9.2f} {f:9.2f} {a / tt:8.1f} {a / f:8.1f}")


if __name__ == "__main__":
    main()

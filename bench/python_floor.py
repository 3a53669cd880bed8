#!/usr/bin/env python3
"""The floor of any autograd engine written in Python, on the suite's small-op rows.

``bench/suite.py`` rows 1 (a 2x2 graph of 100 ops), 3 (1000 SGD steps of a small MLP)
and 7 (a chain of 10^5 nodes) cost adcli mostly Python: a Tensor and a Node per op and a
Python backward per node. This
script times the smallest engine that can still call itself autograd, one tape of
closures with no checks at all (no dtypes, versions, views, hooks, broadcasting or
errors), beside adcli's engine and PyTorch, all on the same work in one run. Wherever the
tape engine itself misses a target, no Python engine meets it. On rows 1 and 3 a second tape
calls adcli's kernels that give torch's bits (its losses equal adcli's): the floor of a
Python engine that returns what torch returns.

    python bench/python_floor.py [--torch-python PATH] [--reps N]
"""

from __future__ import annotations

import argparse
import json
import math
import os
import subprocess
import sys
import time

import numpy as np

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from bench_engine import small_graph  # noqa: E402  (the same 100-op graph, one definition)

F32 = np.float32


# ---- the tape engine: one closure per op, run in reverse ---------------------------------

class Var:
    __slots__ = ("data", "grad")

    def __init__(self, data):
        self.data = data
        self.grad = None


class Tape:
    def __init__(self) -> None:
        self.steps = []

    def op(self, data, back):
        out = Var(data)
        self.steps.append((out, back))
        return out

    def backward(self, out) -> None:
        out.grad = np.ones_like(out.data)
        for v, back in reversed(self.steps):
            if v.grad is not None:
                back(v.grad)


def _acc(v: Var, g) -> None:
    v.grad = g if v.grad is None else v.grad + g


_CONST: dict = {}  # numbers as float32 scalars, converted once


def _const(b):
    c = _CONST.get(b)
    if c is None:
        c = _CONST[b] = F32(b)
    return c


def t_mul(tape, a: Var, b):  # b: a Var or a number
    if b.__class__ is Var:
        return tape.op(a.data * b.data, lambda g: (_acc(a, g * b.data), _acc(b, g * a.data)))
    c = _const(b)
    return tape.op(a.data * c, lambda g: _acc(a, g * c))


def t_add(tape, a: Var, b):
    if b.__class__ is Var:
        return tape.op(a.data + b.data, lambda g: (_acc(a, g), _acc(b, g)))
    c = _const(b)
    return tape.op(a.data + c, lambda g: _acc(a, g))


def t_sin(tape, a: Var):
    return tape.op(np.sin(a.data), lambda g: _acc(a, g * np.cos(a.data)))


def small_tape(n_ops: int = 100):
    tape = Tape()
    x = Var(np.ones((2, 2), F32))
    w = Var(np.ones((2, 2), F32) * F32(0.5))
    y = x
    for _ in range(n_ops // 5):
        y = t_mul(tape, y, w)
        y = t_add(tape, y, x)
        y = t_sin(tape, y)
        y = t_add(tape, y, -0.5)
        y = t_mul(tape, y, 1.5)
    s = tape.op(np.asarray(y.data.sum()), lambda g: _acc(y, np.broadcast_to(g, y.data.shape)))
    tape.backward(s)
    return x.grad


def chain_tape(nodes: int = 100_000):
    tape = Tape()
    x = Var(np.asarray(F32(1.0)))
    y = x
    for _ in range(nodes // 2):
        y = t_add(tape, t_mul(tape, y, 1.0001), 0.0001)
    tape.backward(y)
    return x.grad


def t_linear(tape, x: Var, w: Var, b: Var):  # x @ w.T + b, as nn.Linear
    wd = w.data

    def back(g):
        _acc(x, g @ wd) if x.__class__ is Var else None
        _acc(w, g.T @ x.data)
        _acc(b, g.sum(0))
    return tape.op(x.data @ wd.T + b.data, back)


def t_relu(tape, a: Var):
    return tape.op(np.maximum(a.data, 0), lambda g: _acc(a, g * (a.data > 0)))


def t_mse(tape, a: Var, target):
    d = a.data - target
    scale = F32(2 / d.size)
    return tape.op(np.asarray(np.dot(d.ravel(), d.ravel()) / F32(d.size)),
                   lambda g: _acc(a, d * (g * scale)))


MLP_SIZES = ((10, 64), (64, 64), (64, 1))


def mlp_tape(steps: int = 1000) -> float:
    """Row 3's training loop: Linear-ReLU-Linear-ReLU-Linear, MSE, plain SGD."""
    rng = np.random.default_rng(0)
    x = Var(rng.standard_normal((64, 10), dtype=F32))
    y = rng.standard_normal((64, 1), dtype=F32)
    params = []
    for fan_in, fan_out in MLP_SIZES:
        bound = 1 / math.sqrt(fan_in)
        params.append((Var(rng.uniform(-bound, bound, (fan_out, fan_in)).astype(F32)),
                       Var(rng.uniform(-bound, bound, fan_out).astype(F32))))
    lr = F32(0.01)
    for _ in range(steps):
        for w, b in params:
            w.grad = b.grad = None
        tape = Tape()
        h = x
        for k, (w, b) in enumerate(params):
            h = t_linear(tape, h, w, b)
            if k < len(params) - 1:
                h = t_relu(tape, h)
        loss = t_mse(tape, h, y)
        tape.backward(loss)
        for w, b in params:
            w.data -= lr * w.grad
            b.data -= lr * b.grad
    return float(loss.data)


# ---- the tape with torch's bits: the same closures on adcli's exact kernels ------------
#
# adcli returns torch's bits: small products in MKL's order (engine/gemm.py), sums in
# ATen's cascade order (engine/sum_order.py), relu keeping -0.0, SGD's add_ as one FMA.
# This tape calls those kernels and nothing else (no checks, no graph objects), so its
# time is the floor of a Python engine that gives torch's bits on row 3.

def _exact_kernels():
    from adcli.engine.gemm import mm32
    from adcli.engine.optim._kernels import add as fma_add
    from adcli.engine.sum_order import torch_sum

    def mm(a, b, bias=None):
        out = mm32(a, b, bias)
        if out is None:
            out = a @ b
            if bias is not None:
                out = bias + out
        return out
    return mm, torch_sum, fma_add


def small_tape_exact(n_ops: int = 100):
    """Row 1's graph on the tape, with adcli's kernels for torch's bits: sin and cos
    rounded once from double, the sum in ATen's order."""
    from adcli.engine.cpu_kernels import rounded
    from adcli.engine.sum_order import torch_sum
    sin, cos = rounded(np.sin), rounded(np.cos)

    def t_sin_exact(tape, a):
        return tape.op(sin(a.data), lambda g: _acc(a, g * cos(a.data)))

    def t_mul_const(tape, a, c):  # w needs no gradient, as in the suite's program
        return tape.op(a.data * c, lambda g: _acc(a, g * c))

    tape = Tape()
    x = Var(np.ones((2, 2), F32))
    w = np.ones((2, 2), F32) * F32(0.5)
    y = x
    for _ in range(n_ops // 5):
        y = t_mul_const(tape, y, w)
        y = t_add(tape, y, x)
        y = t_sin_exact(tape, y)
        y = t_add(tape, y, -0.5)
        y = t_mul(tape, y, 1.5)
    s = tape.op(torch_sum(y.data), lambda g: _acc(y, np.broadcast_to(g, y.data.shape)))
    tape.backward(s)
    return x.grad


def mlp_tape_exact(steps: int = 1000, init=None) -> float:
    """Row 3's training loop on the tape above, with adcli's torch-bits kernels. ``init``:
    (x, y, [(weight, bias), ...]) as float32 arrays (default: drawn here)."""
    mm, tsum, fma_add = _exact_kernels()

    def linear(tape, x, w, b):
        def back(g):
            if x.__class__ is Var:
                _acc(x, mm(g, w.data))
            _acc(w, mm(g.T, xd))
            _acc(b, tsum(g, (0,)))
        xd = x.data if x.__class__ is Var else x
        return tape.op(mm(xd, w.data.T, b.data), back)

    def relu(tape, a):
        return tape.op(np.maximum(F32(0), a.data),
                       lambda g: _acc(a, np.where(a.data <= 0, F32(0), g)))

    def mse(tape, a, target):
        d = a.data - target
        n = d.size
        return tape.op(tsum(d * d) / F32(n), lambda g: _acc(a, g * (F32(2.0 / n) * d)))

    if init is None:
        rng = np.random.default_rng(0)
        init = (rng.standard_normal((64, 10), dtype=F32),
                rng.standard_normal((64, 1), dtype=F32),
                [(rng.uniform(-1 / math.sqrt(i), 1 / math.sqrt(i), (o, i)).astype(F32),
                  rng.uniform(-1 / math.sqrt(i), 1 / math.sqrt(i), o).astype(F32))
                 for i, o in MLP_SIZES])
    x, y = init[0], init[1]
    params = [(Var(w.copy()), Var(b.copy())) for w, b in init[2]]
    lr = -0.01
    for _ in range(steps):
        for w, b in params:
            w.grad = b.grad = None
        tape = Tape()
        h = x
        for k, (w, b) in enumerate(params):
            h = linear(tape, h, w, b)
            if k < len(params) - 1:
                h = relu(tape, h)
        loss = mse(tape, h, y)
        tape.backward(loss)
        for w, b in params:
            w.data[...] = fma_add(w.data, w.grad, lr)
            b.data[...] = fma_add(b.data, b.grad, lr)
    return float(loss.data)


# ---- the same work through adcli's engine and through torch -----------------------------

def chain_lib(lib, nodes: int = 100_000):
    x = lib.tensor(1.0, requires_grad=True)
    y = x
    for _ in range(nodes // 2):
        y = y * 1.0001 + 0.0001
    y.backward()
    return x.grad


def mlp_lib(lib, nn, optim, steps: int = 1000) -> float:
    """The suite's row 3 program, through ``lib``'s nn modules and SGD."""
    lib.manual_seed(0)
    x = lib.randn(64, 10)
    y = lib.randn(64, 1)
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 1))
    loss_fn = nn.MSELoss()
    opt = optim.SGD(model.parameters(), lr=0.01)
    for _ in range(steps):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
    return loss.item()


def best(fn, reps: int) -> float:
    fn()
    out = math.inf
    for _ in range(reps):
        t = time.perf_counter()
        fn()
        out = min(out, time.perf_counter() - t)
    return out


def measure(which: str, reps: int) -> dict:
    if which == "tape":
        return {"small": best(small_tape, reps * 20), "mlp": best(mlp_tape, reps),
                "chain": best(chain_tape, reps), "mlp_exact": best(mlp_tape_exact, reps),
                "small_exact": best(small_tape_exact, reps * 20)}
    if which == "torch":
        import torch as lib
        from torch import nn, optim
    elif which == "adcli":
        import gc
        from types import SimpleNamespace

        from adcli.cli.tuning import GC_THRESHOLDS
        from adcli.engine import api as lib
        from adcli.engine.nn.namespace import NN_MEMBERS
        from adcli.engine.optim.sgd import SGD

        gc.set_threshold(*GC_THRESHOLDS)  # as the command line runs
        nn = SimpleNamespace(**NN_MEMBERS)
        optim = SimpleNamespace(SGD=SGD)
    return {"small": best(lambda: small_graph(lib), reps * 20),
            "mlp": best(lambda: mlp_lib(lib, nn, optim), reps),
            "chain": best(lambda: chain_lib(lib), reps)}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--torch-python", default=os.environ.get("TORCH_PYTHON") or sys.executable)
    parser.add_argument("--reps", type=int, default=3)
    parser.add_argument("--which", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.which:
        print(json.dumps(measure(args.which, args.reps)))
        return 0
    times = {}
    for which, python in (("tape", sys.executable), ("adcli", sys.executable),
                          ("torch", args.torch_python)):
        proc = subprocess.run([python, os.path.abspath(__file__), "--which", which,
                               "--reps", str(args.reps)], capture_output=True, text=True)
        times[which] = json.loads(proc.stdout) if proc.returncode == 0 else None
    print(f"{'work':32s} {'tape floor':>11s} {'adcli':>9s} {'torch':>9s} "
          f"{'tape/torch':>11s} {'adcli/torch':>12s}")
    for key, label, unit, scale in (("small", "2x2 graph of 100 ops, fwd+bwd", "us", 1e6),
                                    ("small_exact", "  the same, tape with torch's bits", "us",
                                     1e6),
                                    ("mlp", "MLP 10-64-64-1, 1000 SGD steps", "ms", 1e3),
                                    ("mlp_exact", "  the same, tape with torch's bits", "ms",
                                     1e3),
                                    ("chain", "chain of 10^5 nodes, fwd+bwd", "ms", 1e3)):
        # the tape with torch's bits runs against the same adcli and torch times
        same = {"mlp_exact": "mlp", "small_exact": "small"}.get(key, key)
        keys = (key, same, same)
        row = [times[w][k] if times[w] else math.nan
               for w, k in zip(("tape", "adcli", "torch"), keys)]
        cells = [f"{v * scale:8.1f}{unit}" for v in row]
        print(f"{label:32s} {cells[0]:>11s} {cells[1]:>9s} {cells[2]:>9s} "
              f"{row[0] / row[2]:11.2f} {row[1] / row[2]:12.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

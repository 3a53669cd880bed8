#!/usr/bin/env python3
"""The benchmark suite: every headline number of adcli in one table, side by side with
PyTorch and a hand-written numpy floor.

    python bench/suite.py [--rows 1,3,6] [--runs 3] [--quick] [--json FILE] [--markdown]
                          [--adcli PATH] [--torch-python PATH] [--numpy-python PATH]

Rows 1-8 are one PyTorch program text each (``import torch``, ``time.perf_counter()``): the
same text runs under ``adcli run FILE.py`` (adcli's engine) and under a real PyTorch
(``--torch-python``), each in a fresh subprocess; torch twice, with its default threads
(what a user gets; the targets use it) and with one thread (``OMP_NUM_THREADS=1``; adcli
itself runs one Python thread, numpy's BLAS may use more). The numpy floor is the best
plain float32 numpy a user could write for the same forward and backward, the backward
by hand, run by ``--numpy-python``. Inside each program: one warm-up call of ``work()``,
then the best of R timed calls, printed as ``SECONDS s``. The table shows the median over
``--runs`` runs of those bests; the runs are interleaved (adcli, torch, torch 1 thread,
numpy, in a rotating order) so that a busy machine slows all alike. ``RSS`` is each
process's peak resident memory (``ru_maxrss`` from ``os.wait4``), the largest over runs.

Row 9 builds a chain of graph nodes without backward and reports bytes per node: the
peak RSS of that process minus the peak RSS of the same program with no nodes. Row 10
times ``adcli eval`` end to end against ``python -c "import numpy"`` (and torch's import
plus the same computation, for reference). Row 11 runs ``bench/bench_check.py`` (the
worker pool of ``adcli check``) and reports submissions per second.

``--quick``: one run and smaller sizes (for developing the suite; the numbers are not the
headline ones). Without torch at ``--torch-python`` the torch columns show ``-``.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
# a Python with torch: $TORCH_PYTHON, else this one (torch kept in its own venv is the
# usual setup: pass --torch-python /path/to/venv/bin/python)
TORCH_PYTHON = os.environ.get("TORCH_PYTHON") or sys.executable
TIMEOUT = 150.0  # seconds for one subprocess

# Byte-code caches must be writable, as they are for an installed package, and torch
# starts with its default threads unless a column says otherwise.
ENV = {
    k: v
    for k, v in os.environ.items()
    if k not in ("PYTHONDONTWRITEBYTECODE", "OMP_NUM_THREADS", "MKL_NUM_THREADS")
}
ONE_THREAD = {**ENV, "OMP_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}

TORCH_HEADER = """\
import time
import torch
import torch.nn as nn
import torch.nn.functional as F
"""

NUMPY_HEADER = """\
import math
import time
import numpy as np
f32 = np.float32
rng = np.random.default_rng(0)
"""

# Warm up once, then the best of REPS timed calls.
FOOTER = """
work()
best = float("inf")
for _ in range(REPS):
    t0 = time.perf_counter()
    work()
    best = min(best, time.perf_counter() - t0)
print(f"SECONDS {best:.9f}")
"""


@dataclass
class Row:
    """One line of the table.

    ``kind``: "time" (rows 1-8: ``program`` and ``floor`` are bodies that define
    ``work()``), "memory" (row 9: bodies that build ``NODES`` nodes), "startup", "check".
    ``targets``: (against, op, limit), against one of "torch", "numpy" (adcli's value over
    theirs) or "self" (adcli's own value)."""

    key: int
    name: str
    short: str
    kind: str
    targets: tuple[tuple[str, str, float], ...]
    program: str = ""
    floor: str = ""
    sizes: dict = field(default_factory=dict)
    quick: dict = field(default_factory=dict)
    note: str = ""


ROWS = [
    Row(
        1, "2x2, 100-op graph fwd+bwd (adcli run)", "2x2, 100-op graph", "time",
        (("torch", "<=", 0.33),),
        program="""
x = torch.ones(2, 2, requires_grad=True)
w = torch.ones(2, 2) * 0.5
def work():
    x.grad = None
    y = x
    for _ in range(OPS // 5):
        y = y * w
        y = y + x
        y = y.sin()
        y = y - 0.5
        y = y * 1.5
    y.sum().backward()
""",
        floor="""
x = np.ones((2, 2), f32)
w = np.full((2, 2), 0.5, f32)
half, scale = f32(0.5), f32(1.5)
def work():
    y = x
    saved = []
    for _ in range(OPS // 5):
        y = y * w
        y = y + x
        saved.append(y)
        y = np.sin(y)
        y = y - half
        y = y * scale
    g = np.ones((2, 2), f32)
    gx = np.zeros((2, 2), f32)
    for s in reversed(saved):
        g = g * scale
        g = g * np.cos(s)
        gx += g
        g = g * w
    return gx
""",
        sizes={"OPS": 100, "REPS": 50},
        quick={"REPS": 10},
    ),
    Row(
        2, "1e7 mean(3*(x+2)^2) fwd+bwd (adcli run)", "1e7 mean(3*(x+2)^2)", "time",
        (("torch", "<=", 0.33), ("numpy", "<=", 1.3)),
        program="""
torch.manual_seed(0)
x = torch.rand(N, requires_grad=True)
def work():
    x.grad = None
    y = (3 * (x + 2) ** 2).mean()
    y.backward()
""",
        floor="""
x = rng.random(N, dtype=f32)
def work():
    t = x + f32(2)
    y = f32(3) * np.dot(t, t) / f32(N)
    np.multiply(t, f32(6 / N), out=t)
    return y, t
""",
        sizes={"N": 10_000_000, "REPS": 5},
        quick={"N": 1_000_000},
    ),
    Row(
        3, "training loop, 1000 SGD steps, small MLP", "MLP, 1000 SGD steps", "time",
        (("torch", "<=", 0.5),),
        program="""
torch.manual_seed(0)
X = torch.randn(64, 10)
Y = torch.randn(64, 1)
def work():
    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(10, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(),
                          nn.Linear(64, 1))
    loss_fn = nn.MSELoss()
    opt = torch.optim.SGD(model.parameters(), lr=0.01)
    for _ in range(STEPS):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
    return loss.item()
""",
        floor="""
X = rng.standard_normal((64, 10), dtype=f32)
Y = rng.standard_normal((64, 1), dtype=f32)
def layer(fan_in, fan_out):
    bound = 1 / math.sqrt(fan_in)
    return (rng.uniform(-bound, bound, (fan_in, fan_out)).astype(f32),
            rng.uniform(-bound, bound, fan_out).astype(f32))
INIT = [layer(10, 64), layer(64, 64), layer(64, 1)]
def work():
    (W1, b1), (W2, b2), (W3, b3) = [(w.copy(), b.copy()) for w, b in INIT]
    lr = f32(0.01)
    for _ in range(STEPS):
        h1 = X @ W1
        h1 += b1
        a1 = np.maximum(h1, 0)
        h2 = a1 @ W2
        h2 += b2
        a2 = np.maximum(h2, 0)
        out = a2 @ W3
        out += b3
        d = out - Y
        loss = np.dot(d.ravel(), d.ravel()) / d.size
        g = d * f32(2 / d.size)
        gW3 = a2.T @ g
        gb3 = g.sum(0)
        g = g @ W3.T
        g *= h2 > 0
        gW2 = a1.T @ g
        gb2 = g.sum(0)
        g = g @ W2.T
        g *= h1 > 0
        gW1 = X.T @ g
        gb1 = g.sum(0)
        for p, gp in ((W1, gW1), (b1, gb1), (W2, gW2), (b2, gb2), (W3, gW3), (b3, gb3)):
            gp *= lr
            p -= gp
    return loss
""",
        sizes={"STEPS": 1000, "REPS": 3},
        quick={"STEPS": 100},
    ),
    Row(
        4, "softmax fwd+bwd, 1e6", "softmax fwd+bwd, 1e6", "time",
        (("torch", "<=", 0.8),),
        program="""
torch.manual_seed(0)
x = torch.randn(ROWS, COLS, requires_grad=True)
g = torch.randn(ROWS, COLS)
def work():
    x.grad = None
    y = torch.softmax(x, dim=-1)
    y.backward(g)
""",
        floor="""
x = rng.standard_normal((ROWS, COLS), dtype=f32)
g = rng.standard_normal((ROWS, COLS), dtype=f32)
def work():
    y = x - x.max(axis=-1, keepdims=True)
    np.exp(y, out=y)
    y /= y.sum(axis=-1, keepdims=True)
    gx = g - np.einsum("ij,ij->i", g, y)[:, None]
    gx *= y
    return gx
""",
        sizes={"ROWS": 1000, "COLS": 1000, "REPS": 10},
        quick={"ROWS": 200},
    ),
    Row(
        5, "log_softmax fwd+bwd, 1e6", "log_softmax fwd+bwd, 1e6", "time",
        (("torch", "<=", 0.8),),
        program="""
torch.manual_seed(0)
x = torch.randn(ROWS, COLS, requires_grad=True)
g = torch.randn(ROWS, COLS)
def work():
    x.grad = None
    y = F.log_softmax(x, dim=-1)
    y.backward(g)
""",
        floor="""
x = rng.standard_normal((ROWS, COLS), dtype=f32)
g = rng.standard_normal((ROWS, COLS), dtype=f32)
def work():
    y = x - x.max(axis=-1, keepdims=True)
    e = np.exp(y)
    s = e.sum(axis=-1, keepdims=True)
    y -= np.log(s)
    e *= g.sum(axis=-1, keepdims=True) / s
    gx = g - e
    return y, gx
""",
        sizes={"ROWS": 1000, "COLS": 1000, "REPS": 10},
        quick={"ROWS": 200},
    ),
    Row(
        6, "F.gelu (exact) fwd+bwd, 1e6", "F.gelu (exact), 1e6", "time",
        (("torch", "<=", 1.5),),
        program="""
torch.manual_seed(0)
x = torch.randn(N, requires_grad=True)
g = torch.randn(N)
def work():
    x.grad = None
    y = F.gelu(x)
    y.backward(g)
""",
        # numpy has no erf: Abramowitz & Stegun 7.1.26 (|error| < 1.5e-7), whose
        # exp(-z^2) is also the backward's exp(-x^2/2).
        floor="""
x = rng.standard_normal(N, dtype=f32)
g = rng.standard_normal(N, dtype=f32)
P, A1, A2, A3, A4, A5 = (f32(c) for c in (0.3275911, 0.254829592, -0.284496736,
                                          1.421413741, -1.453152027, 1.061405429))
def work():
    z = x * f32(math.sqrt(0.5))
    t = np.abs(z)
    t *= P
    t += f32(1)
    np.reciprocal(t, out=t)
    p = A5 * t
    p += A4
    p *= t
    p += A3
    p *= t
    p += A2
    p *= t
    p += A1
    p *= t
    np.square(z, out=t)
    np.negative(t, out=t)
    np.exp(t, out=t)
    p *= t
    np.subtract(f32(1), p, out=p)
    np.copysign(p, z, out=p)
    p += f32(1)
    p *= f32(0.5)
    y = x * p
    t *= x
    t *= f32(1 / math.sqrt(2 * math.pi))
    t += p
    t *= g
    return y, t
""",
        sizes={"N": 1_000_000, "REPS": 5},
        quick={"N": 100_000},
    ),
    Row(
        7, "1e5-node chain fwd+bwd", "1e5-node chain", "time",
        (("torch", "<=", 0.33),),
        program="""
x = torch.tensor(1.0, requires_grad=True)
def work():
    x.grad = None
    y = x
    for _ in range(NODES // 2):
        y = y * 1.0001 + 0.0001
    y.backward()
""",
        floor="""
def work():
    c, d = f32(1.0001), f32(0.0001)
    y = f32(1.0)
    for _ in range(NODES // 2):
        y = y * c + d
    g = f32(1.0)
    for _ in range(NODES // 2):
        g = g * c
    return y, g
""",
        sizes={"NODES": 100_000, "REPS": 3},
        quick={"NODES": 10_000},
    ),
    Row(
        8, "matmul 2048^2 fwd+bwd", "matmul 2048^2", "time",
        (("torch", "<=", 1.0),),
        program="""
torch.manual_seed(0)
a = torch.randn(M, M, requires_grad=True)
b = torch.randn(M, M, requires_grad=True)
def work():
    a.grad = None
    b.grad = None
    (a @ b).sum().backward()
""",
        floor="""
a = rng.standard_normal((M, M), dtype=f32)
b = rng.standard_normal((M, M), dtype=f32)
def work():
    c = a @ b
    s = c.sum()
    ones = np.ones_like(c)
    return s, ones @ b.T, a.T @ ones
""",
        sizes={"M": 2048, "REPS": 3},
        quick={"M": 512},
        note="numpy floor: the three matmuls (not the row-sum shortcut the .sum() allows)",
    ),
    Row(
        9, "memory per graph node", "memory per graph node", "memory",
        (("torch", "<=", 0.5),),
        program="""
x = torch.ones(1, requires_grad=True)
t0 = time.perf_counter()
y = x
for _ in range(NODES // 2):
    y = y * 1.0001 + 0.0001
print(f"SECONDS {time.perf_counter() - t0:.9f}")
""",
        floor="""
y = np.ones(1, f32)
c, d = f32(1.0001), f32(0.0001)
tape = []
t0 = time.perf_counter()
for _ in range(NODES // 2):
    y = y * c
    tape.append(y)
    y = y + d
    tape.append(y)
print(f"SECONDS {time.perf_counter() - t0:.9f}")
""",
        sizes={"NODES": 100_000},
        quick={"NODES": 20_000},
        note="bytes/node = (peak RSS with NODES nodes - peak RSS with none) / NODES; "
        "numpy: one 1-element ndarray kept per node",
    ),
    Row(
        10, "start-up: adcli eval one-liner / python -c 'import numpy'",
        "start-up: eval vs numpy", "startup", (("numpy", "<=", 1.25),),
        sizes={"RUNS": 15, "TORCH_RUNS": 5},
        quick={"RUNS": 3, "TORCH_RUNS": 2},
        note="adcli eval 'mean(3*(x+2)^2)' -b x=ones(2,2); torch: import torch + the same "
        "job; numpy: python -c 'import numpy' (dev venv)",
    ),
    Row(
        11, "adcli check, 5-problem set", "adcli check, 5 problems", "check",
        (("self", ">=", 300.0),),
        sizes={"COUNT": 400},
        quick={"COUNT": 100},
        note="bench/bench_check.py --no-baseline, --jobs 2: steady submissions/s "
        "(target: issue 18)",
    ),
]


# ---------------------------------------------------------------------------------------
# Running one process


EXCEPTION_LINE = re.compile(r"^[\w.]*(Error|Exception|Interrupt|Exit)\b.*:")


@dataclass
class Proc:
    rc: int
    stdout: str
    stderr: str
    wall: float
    maxrss: int  # bytes

    def seconds(self) -> float | None:
        found = re.findall(r"^SECONDS (\S+)$", self.stdout, re.M)
        return float(found[-1]) if found else None

    def error(self) -> str:
        if self.rc == -9:
            return f"killed after {TIMEOUT:.0f} s"
        lines = [ln.strip() for ln in (self.stderr + "\n" + self.stdout).splitlines()
                 if ln.strip()]
        # The exception line, not a closing banner such as adcli's "This is a bug ...".
        key = [ln for ln in lines if "internal error" in ln or EXCEPTION_LINE.match(ln)]
        last = key[-1] if key else lines[-1] if lines else "no output"
        last = f"exit {self.rc}: {last}"
        return last if len(last) <= 160 else last[:157] + "..."


def run(cmd: list[str], env: dict, timeout: float = TIMEOUT, cwd: str | None = None) -> Proc:
    """Run ``cmd``; its wall time and peak RSS (``os.wait4``), killed after ``timeout``."""
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        try:
            proc = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                                    env=env, cwd=cwd)
        except OSError as e:
            return Proc(127, "", f"cannot start {cmd[0]}: {e.strerror}", 0.0, 0)
        timer = threading.Timer(timeout, proc.kill)
        timer.start()
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        timer.cancel()
        proc.returncode = os.waitstatus_to_exitcode(status)
        out.seek(0)
        err.seek(0)
        return Proc(proc.returncode, out.read().decode(errors="replace"),
                    err.read().decode(errors="replace"), wall, usage.ru_maxrss * 1024)


# ---------------------------------------------------------------------------------------
# Measuring the rows


@dataclass
class Side:
    """One column of one row: its samples, peak RSS and failed runs."""

    values: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    extra: dict = field(default_factory=dict)

    @property
    def given_up(self) -> bool:
        """Skip the remaining runs after two failures or a time-out (a failure can be a
        passing glitch, and a failing run is usually quick)."""
        return len(self.errors) >= 2 or any("killed after" in e for e in self.errors)

    def fail(self, proc: Proc, stage: str = "") -> None:
        self.errors.append(proc.error())
        self.extra.setdefault("stderr", []).append(stage + proc.stderr[-2000:])

    @property
    def error(self) -> str:
        """What to print: the last failure, with how many runs failed."""
        if not self.errors:
            return ""
        runs = len(self.errors) + len(self.values)
        if not self.values:
            return self.errors[-1]
        return f"{len(self.errors)} of {runs} runs failed: {self.errors[-1]}"

    @property
    def median(self) -> float | None:
        return statistics.median(self.values) if self.values else None

    @property
    def peak(self) -> int | None:
        return max(self.rss) if self.rss else None


def program_text(header: str, sizes: dict, body: str, footer: str) -> str:
    consts = "".join(f"{k} = {v!r}\n" for k, v in sizes.items())
    return header + consts + body + footer


def engines(cfg) -> dict[str, tuple[list[str], dict, str]]:
    """Column -> (command prefix, environment, which text: "torch" or "numpy")."""
    table = {"adcli": ([cfg.adcli, "run", "--quiet"], ENV, "torch")}
    if cfg.torch_ok:
        table["torch"] = ([cfg.torch_python], ENV, "torch")
        table["torch1"] = ([cfg.torch_python], ONE_THREAD, "torch")
    table["numpy"] = ([cfg.numpy_python], ENV, "numpy")
    return table


def rotated(items: list, k: int) -> list:
    k %= len(items)
    return items[k:] + items[:k]


def measure_time(row: Row, sizes: dict, cfg, tmp: str) -> dict[str, Side]:
    texts = {
        "torch": program_text(TORCH_HEADER, sizes, row.program, FOOTER),
        "numpy": program_text(NUMPY_HEADER, sizes, row.floor, FOOTER),
    }
    paths = {}
    for which, text in texts.items():
        paths[which] = os.path.join(tmp, f"row{row.key:02}_{which}.py")
        with open(paths[which], "w") as f:
            f.write(text)
    table = engines(cfg)
    sides = {name: Side() for name in table}
    for r in range(cfg.runs):
        for name in rotated(list(table), r):
            side = sides[name]
            if side.given_up:
                continue
            cmd, env, which = table[name]
            proc = run([*cmd, paths[which]], env)
            secs = proc.seconds()
            if proc.rc != 0 or secs is None:
                side.fail(proc)
                continue
            side.values.append(secs)
            side.rss.append(proc.maxrss)
            side.extra.setdefault("process_seconds", []).append(proc.wall)
    return sides


def measure_memory(row: Row, sizes: dict, cfg, tmp: str) -> dict[str, Side]:
    nodes = sizes["NODES"]
    paths = {}
    for which, header, body in (("torch", TORCH_HEADER, row.program),
                                ("numpy", NUMPY_HEADER, row.floor)):
        for n in (nodes, 0):
            path = os.path.join(tmp, f"row{row.key:02}_{which}_{n}.py")
            with open(path, "w") as f:
                f.write(program_text(header, {**sizes, "NODES": n}, body, ""))
            paths[which, n] = path
    table = {k: v for k, v in engines(cfg).items() if k != "torch1"}
    sides = {name: Side() for name in table}
    for r in range(cfg.runs):
        for name in rotated(list(table), r):
            side = sides[name]
            if side.given_up:
                continue
            cmd, env, which = table[name]
            full, empty = (run([*cmd, paths[which, n]], env) for n in (nodes, 0))
            bad = next((p for p in (full, empty) if p.rc != 0 or p.seconds() is None), None)
            if bad:
                side.fail(bad)
                continue
            side.values.append((full.maxrss - empty.maxrss) / max(nodes, 1))
            side.rss.append(full.maxrss)
            side.extra.setdefault("build_seconds", []).append(full.seconds())
            side.extra.setdefault("baseline_rss", []).append(empty.maxrss)
    return sides


TORCH_SNIPPET = (
    "import torch; x = torch.ones(2, 2, requires_grad=True); "
    "o = (3 * (x + 2) ** 2).mean(); o.backward(); print(o, x.grad)"
)


def measure_startup(row: Row, sizes: dict, cfg, tmp: str) -> dict[str, Side]:
    commands = {
        "adcli": [cfg.adcli, "eval", "mean(3*(x+2)^2)", "-b", "x=ones(2,2)"],
        "numpy": [cfg.numpy_python, "-c", "import numpy"],
    }
    if cfg.torch_ok:
        commands["torch"] = [cfg.torch_python, "-c", TORCH_SNIPPET]
    sides = {name: Side() for name in commands}
    for name, cmd in commands.items():  # warm the caches once
        proc = run(cmd, ENV)
        if proc.rc != 0:
            sides[name].fail(proc, "warm-up: ")
    limits = {"torch": sizes["TORCH_RUNS"]}
    for r in range(sizes["RUNS"]):
        for name in rotated(list(commands), r):
            side = sides[name]
            if side.given_up or len(side.values) >= limits.get(name, sizes["RUNS"]):
                continue
            proc = run(commands[name], ENV, cwd=tmp)
            if proc.rc != 0:
                side.fail(proc)
                continue
            side.values.append(proc.wall)
            side.rss.append(proc.maxrss)
    return sides


def measure_check(row: Row, sizes: dict, cfg, tmp: str) -> dict[str, Side]:
    side = Side()
    script = os.path.join(ROOT, "bench", "bench_check.py")
    cmd = [cfg.numpy_python, script, "--count", str(sizes["COUNT"]), "--no-baseline",
           "--adcli", cfg.adcli]
    for _ in range(cfg.runs):
        proc = run(cmd, ENV)
        steady = re.search(r"^steady: ([\d.]+) submissions/s", proc.stdout, re.M)
        pool = re.search(r"= ([\d.]+) submissions/s", proc.stdout)
        if proc.rc != 0 or not steady or not pool:
            side.fail(proc)
            if side.given_up:
                break
            continue
        side.values.append(float(steady.group(1)))
        side.rss.append(proc.maxrss)
        side.extra.setdefault("pool_rate", []).append(float(pool.group(1)))
    return {"adcli": side}


MEASURE = {"time": measure_time, "memory": measure_memory, "startup": measure_startup,
           "check": measure_check}


# ---------------------------------------------------------------------------------------
# Results and printing


@dataclass
class Result:
    row: Row
    sizes: dict
    sides: dict[str, Side]
    seconds: float  # how long the row took

    def value(self, name: str) -> float | None:
        side = self.sides.get(name)
        return side.median if side else None

    def ratio(self, against: str) -> float | None:
        mine = self.value("adcli")
        if against == "self":
            return mine
        theirs = self.value(against)
        if mine is None or not theirs or theirs <= 0:
            return None
        return mine / theirs

    def met(self) -> list[bool | None]:
        out = []
        for against, op, limit in self.row.targets:
            r = self.ratio(against)
            out.append(None if r is None else (r <= limit if op == "<=" else r >= limit))
        return out

    def notes(self) -> list[str]:
        notes = [f"{name}: {side.error}" for name, side in self.sides.items() if side.error]
        torch, torch1 = self.value("torch"), self.value("torch1")
        if torch and torch1 and torch > 3 * torch1:
            notes.append(f"torch with its default threads took {torch / torch1:.0f}x its "
                         "1-thread time: a busy core stalls its OpenMP threads; see torch1")
        if self.row.kind == "check" and self.sides["adcli"].extra.get("pool_rate"):
            pool = statistics.median(self.sides["adcli"].extra["pool_rate"])
            notes.append(f"{self.sizes['COUNT']} submissions, wall-clock rate "
                         f"{pool:.0f}/s incl. start-up")
        if self.row.kind == "memory":
            built = {n: statistics.median(s.extra["build_seconds"])
                     for n, s in self.sides.items() if s.extra.get("build_seconds")}
            if built:
                notes.append("graph build: " + ", ".join(
                    f"{n} {fmt_seconds(v)}" for n, v in built.items()))
        if self.row.note:
            notes.append(self.row.note)
        return notes

    def to_json(self) -> dict:
        return {
            "row": self.row.key,
            "name": self.row.name,
            "kind": self.row.kind,
            "sizes": self.sizes,
            "unit": UNITS[self.row.kind],
            "targets": [
                {"against": a, "op": op, "limit": lim, "ratio": self.ratio(a), "met": m}
                for (a, op, lim), m in zip(self.row.targets, self.met())
            ],
            "ratio_vs_torch": self.ratio("torch"),
            "ratio_vs_numpy": self.ratio("numpy"),
            "columns": {
                name: {"median": s.median, "samples": s.values, "peak_rss_bytes": s.peak,
                       "error": s.error or None, "errors": s.errors, **s.extra}
                for name, s in self.sides.items()
            },
            "notes": self.notes(),
            "row_seconds": self.seconds,
        }


UNITS = {"time": "seconds", "memory": "bytes/node", "startup": "seconds",
         "check": "submissions/s"}


def fmt_seconds(s: float) -> str:
    if s >= 1:
        return f"{s:.3g}s"
    if s >= 1e-3:
        return f"{s * 1e3:.3g}ms"
    return f"{s * 1e6:.3g}us" if s >= 1e-6 else f"{s * 1e9:.3g}ns"


def fmt_value(kind: str, v: float | None) -> str:
    if v is None:
        return "-"
    if kind == "memory":
        return f"{v:.0f}B"
    if kind == "check":
        return f"{v:.0f}/s"
    return fmt_seconds(v)


def fmt_ratio(r: float | None) -> str:
    if r is None:
        return "-"
    if r >= 100:
        return f"{r:.0f}"
    return f"{r:.1f}" if r >= 10 else f"{r:.2f}" if r >= 1 else f"{r:.3f}"


def fmt_bytes(b: int | None) -> str:
    if b is None:
        return "-"
    return f"{b / 2**20:.0f}M" if b < 10 * 2**30 else f"{b / 2**30:.0f}G"


def fmt_targets(row: Row) -> str:
    words = {"torch": "", "numpy": "np", "self": ""}
    out = []
    for against, op, limit in row.targets:
        unit = "/s" if row.kind == "check" else ""
        out.append(f"{words[against]}{op}{limit:g}{unit}")
    return " ".join(out)


def fmt_met(result: Result) -> str:
    met = result.met()
    if all(m is None for m in met):
        return "-"
    return ",".join("?" if m is None else ("yes" if m else "NO") for m in met)


COLUMNS = [  # (title, width, align)
    ("#", 2, ">"), ("row", 24, "<"), ("adcli", 7, ">"), ("torch", 7, ">"),
    ("torch1", 7, ">"), ("numpy", 7, ">"), ("a/torch", 7, ">"), ("a/np", 6, ">"),
    ("target", 14, "<"), ("met", 6, "<"), ("RSS a", 5, ">"), ("RSS t", 5, ">"),
]


def cells(result: Result, markdown: bool) -> list[str]:
    kind = result.row.kind
    return [
        str(result.row.key),
        result.row.name if markdown else result.row.short,
        *(fmt_value(kind, result.value(n)) for n in ("adcli", "torch", "torch1", "numpy")),
        fmt_ratio(result.ratio("torch")),
        fmt_ratio(result.ratio("numpy")),
        fmt_targets(result.row),
        fmt_met(result),
        fmt_bytes(result.sides["adcli"].peak if "adcli" in result.sides else None),
        fmt_bytes(result.sides["torch"].peak if "torch" in result.sides else None),
    ]


def print_table(results: list[Result], markdown: bool) -> None:
    if markdown:
        print("| " + " | ".join(t for t, _, _ in COLUMNS) + " |")
        print("|" + "|".join("---:" if a == ">" else "---" for _, _, a in COLUMNS) + "|")
        for res in results:
            print("| " + " | ".join(cells(res, True)) + " |")
    else:
        def line(values):
            return " ".join(f"{v:{a}{w}}" for v, (_, w, a) in zip(values, COLUMNS)).rstrip()

        print(line([t for t, _, _ in COLUMNS]))
        print("-" * len(line(["-" * w for _, w, _ in COLUMNS])))
        for res in results:
            print(line(cells(res, False)))
    if any(res.notes() for res in results):
        print()
        print("Notes:" if markdown else "notes:")
    for res in results:
        for note in res.notes():
            print(f"- row {res.row.key}: {note}" if markdown else f"  {res.row.key:>2}. {note}")


# ---------------------------------------------------------------------------------------
# The machine


def probe(python: str, code: str) -> str | None:
    proc = run([python, "-c", code], ENV, timeout=120)
    return proc.stdout.strip() if proc.rc == 0 else None


def machine(cfg) -> dict:
    cpu = platform.processor() or "?"
    try:
        with open("/proc/cpuinfo") as f:
            found = re.search(r"^model name\s*:\s*(.*)$", f.read(), re.M)
            cpu = found.group(1).strip() if found else cpu
    except OSError:
        pass
    info = {"cpu": cpu, "cores": os.cpu_count(), "platform": platform.platform(),
            "load_before": os.getloadavg()}
    info["numpy_python"] = probe(
        cfg.numpy_python, "import sys, numpy; print(sys.version.split()[0], numpy.__version__)"
    )
    version = run([cfg.adcli, "--version"], ENV, timeout=60)
    info["adcli"] = version.stdout.strip() if version.rc == 0 else f"? ({version.error()})"
    info["torch"] = None
    if cfg.torch_python:
        info["torch"] = probe(
            cfg.torch_python,
            "import sys, numpy, torch; print(sys.version.split()[0], numpy.__version__, "
            "torch.__version__, torch.get_num_threads())",
        )
    return info


def print_header(info: dict, cfg) -> None:
    print("adcli benchmark suite"
          + (" (--quick: smaller sizes, not the headline numbers)" if cfg.quick else ""))
    load = " ".join(f"{v:.2f}" for v in info["load_before"])
    print(f"machine: {info['cpu']}, {info['cores']} cores, {info['platform']}; "
          f"load average {load}")
    py, np_version = (info["numpy_python"] or "? ?").split()[:2]
    print(f"adcli: {info['adcli']} ({cfg.adcli}); python {py}, numpy {np_version}")
    if info["torch"]:
        tpy, tnp, tv, threads = info["torch"].split()[:4]
        print(f"torch: {tv} on python {tpy}, numpy {tnp} ({cfg.torch_python}); "
              f"default threads {threads}; torch1: OMP_NUM_THREADS=1")
    else:
        print(f"torch: not available at {cfg.torch_python!r}; torch columns show '-'")
    print(f"runs: {cfg.runs}, interleaved; times: fwd+bwd, median over runs of the best of "
          f"R reps in one process; RSS: peak, MiB;\nadcli and the numpy floor use numpy's "
          f"default BLAS threads; a/torch is against torch's default threads")
    print()


# ---------------------------------------------------------------------------------------


def parse_rows(text: str | None) -> list[Row]:
    if not text:
        return ROWS
    keys = [int(k) for k in text.replace(" ", "").split(",") if k]
    unknown = set(keys) - {row.key for row in ROWS}
    if unknown:
        sys.exit(f"no such rows: {sorted(unknown)} (1-{len(ROWS)})")
    return [row for row in ROWS if row.key in keys]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", help="comma-separated row numbers, e.g. 1,3,6")
    parser.add_argument("--runs", type=int, help="runs per row [default: 3; --quick: 1]")
    parser.add_argument("--quick", action="store_true", help="one run, smaller sizes")
    parser.add_argument("--json", metavar="FILE", help="write every number to FILE")
    parser.add_argument("--markdown", action="store_true", help="print a Markdown table")
    parser.add_argument("--adcli", default=None, help="the adcli executable")
    parser.add_argument("--torch-python", default=TORCH_PYTHON,
                        help=f"a Python with torch [default: {TORCH_PYTHON}]")
    parser.add_argument("--numpy-python", default=sys.executable,
                        help="the Python for the numpy floor [default: this one]")
    cfg = parser.parse_args()
    if cfg.adcli is None:
        local = os.path.join(os.path.dirname(sys.executable), "adcli")
        cfg.adcli = local if os.access(local, os.X_OK) else shutil.which("adcli") or "adcli"
    if cfg.runs is None:
        cfg.runs = 1 if cfg.quick else 3
    rows = parse_rows(cfg.rows)

    info = machine(cfg)
    cfg.torch_ok = info["torch"] is not None
    print_header(info, cfg)
    sys.stdout.flush()

    results = []
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="adcli-suite-") as tmp:
        for row in rows:
            sizes = {**row.sizes, **(row.quick if cfg.quick else {})}
            t0 = time.perf_counter()
            sides = MEASURE[row.kind](row, sizes, cfg, tmp)
            results.append(Result(row, sizes, sides, time.perf_counter() - t0))
            print(f"  row {row.key} done in {results[-1].seconds:.1f} s", file=sys.stderr)
    print_table(results, cfg.markdown)
    total = time.perf_counter() - started
    info["load_after"] = os.getloadavg()
    print(f"\ntotal {total:.0f} s; per row: "
          + ", ".join(f"{r.row.key}: {r.seconds:.0f}s" for r in results)
          + "; load average now " + " ".join(f"{v:.2f}" for v in info["load_after"]))

    if cfg.json:
        with open(cfg.json, "w") as f:
            json.dump({"machine": info, "runs": cfg.runs, "quick": cfg.quick,
                       "adcli": cfg.adcli, "torch_python": cfg.torch_python,
                       "numpy_python": cfg.numpy_python, "total_seconds": total,
                       "rows": [r.to_json() for r in results]}, f, indent=2)
            f.write("\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())

#!/usr/bin/env python3
"""Start-up: a one-liner `adcli eval` end to end, against `python -c "import numpy"`.

Runs each command N times, interleaved so machine noise hits all alike, and prints the
medians and the ratio (target: adcli at most 1.25x numpy's import). adcli runs OpenBLAS on
one thread (``OPENBLAS_NUM_THREADS=1``, set before numpy loads), which skips the start of
OpenBLAS's thread pool; so numpy's import is timed both ways, and the ratio against the
one-thread import is the like-for-like one. When torch is importable, the same
computation in torch is timed too, for reference.

Usage: python bench/bench_startup.py [--runs N] [--adcli PATH]
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time

TORCH_SNIPPET = (
    "import torch; x = torch.ones(2, 2, requires_grad=True); "
    "o = (3 * (x + 2) ** 2).mean(); o.backward(); print(o, x.grad)"
)


# Byte-code caches must be writable, as they are for an installed package; an
# environment that forbids them would time Python's compiler instead of adcli.
ENV = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}


def timed(cmd: list[str], env: dict | None = None) -> float:
    start = time.perf_counter()
    subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                   env=env or ENV)
    return time.perf_counter() - start


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument("--adcli", default=shutil.which("adcli") or
                        os.path.join(os.path.dirname(sys.executable), "adcli"))
    parser.add_argument("--torch-python", default=sys.executable,
                        help="a Python with torch installed, for the reference line")
    args = parser.parse_args()

    commands = {
        "numpy import": [sys.executable, "-c", "import numpy"],
        "numpy, 1 thread": [sys.executable, "-c", "import numpy"],
        "adcli eval": [args.adcli, "eval", "mean(3*(x+2)^2)", "-b", "x=ones(2,2)"],
    }
    envs = {"numpy, 1 thread": {**ENV, "OPENBLAS_NUM_THREADS": "1"}}
    probe = subprocess.run([args.torch_python, "-c", "import torch"], capture_output=True,
                           check=False)
    if probe.returncode == 0:
        commands["torch (same job)"] = [args.torch_python, "-c", TORCH_SNIPPET]
    for name, cmd in commands.items():  # warm the caches once
        timed(cmd, envs.get(name))
    samples: dict[str, list[float]] = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, cmd in commands.items():
            if name.startswith("torch") and len(samples[name]) >= 5:
                continue
            samples[name].append(timed(cmd, envs.get(name)))
    medians = {name: statistics.median(s) for name, s in samples.items()}
    for name, m in medians.items():
        print(f"{name:18s} median {m * 1000:8.1f} ms over {len(samples[name])} runs")
    ratio = medians["adcli eval"] / medians["numpy import"]
    print(f"adcli eval / numpy import = {ratio:.2f}x (target <= 1.25x)")
    ratio1 = medians["adcli eval"] / medians["numpy, 1 thread"]
    print(f"adcli eval / numpy import with one BLAS thread, as adcli runs it = {ratio1:.2f}x")
    if "torch (same job)" in medians:
        print(f"torch / adcli eval = {medians['torch (same job)'] / medians['adcli eval']:.1f}x")
    return 0


if __name__ == "__main__":
    sys.exit(main())

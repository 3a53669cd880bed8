"""Throughput of ``adcli check``: the worker pool against one ``adcli`` process per submission.

Generates 1000 submissions of the 5-problem sample set (samples/homework/set.toml), a mix
of correct, wrong and invalid answers, and checks them with ``--jobs 2``. Then it checks a
sample of them with one ``adcli check`` process each (two at a time, as the pool uses two
cores), extrapolates that to the whole class, and prints both rates and their ratio.

    python bench/bench_check.py [--count 1000] [--jobs 2] [--baseline-sample 40] [--adcli CMD]
                                [--notebooks] [--no-baseline]

``--notebooks``: each submission is a folder of ``ID.ipynb`` answers (an ``import torch``
cell, then the answer in Python) instead of a TOML answers file.

Besides the wall-clock rate, it prints the steady rate: the submissions after the first
over the time they took beyond a one-submission run (the start-up, the imports and the
references, which a run pays once).

Targets (issue 5): at least 50 submissions/s with --jobs 2, and at least 20x the rate of
one process per submission. Issue 18: a steady 300 submissions/s (TOML) and 50
submissions/s (notebooks) with --jobs 2 on 2 cores.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import shlex
import subprocess
import sys
import tempfile
import time
from concurrent.futures import ThreadPoolExecutor

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
SET = os.path.join(ROOT, "samples", "homework", "set.toml")

# Per problem: (correct variants, wrong variants, invalid variants).
ANSWERS = {
    "mean-square": (
        [
            "o = mean(3*(x+2)^2); o.backward(); x.grad",
            "o = (3 * (x + 2) ** 2).mean()\no.backward()\nx.grad",
        ],
        ["o = sum(3*(x+2)^2); o.backward(); x.grad", "x + 2"],
        ["o = mean(3*(x+2)^2; o.backward()", "x.grad.sum(("],
    ),
    "formula": (
        ["3/2*(x+2)", "1.5 * (x + 2)", "6 * (x + 2) / 4"],
        ["3*(x+2)", "tensor([[4.5, 4.5], [4.5, 4.5]])", "3/2*x"],
        ["3/2*(z+2)", "3/2*(x+2"],
    ),
    "vector-jacobian": (
        ["y.backward(v); x.grad", "y.backward(v)\nx.grad"],
        ["y.backward(v); v", "tensor([51.2, 512.0, 0.0512])"],
        ["y.backward(); x.grad"],
    ),
    "sum-of-products": (
        [
            "y = ((x + 2) * (x - 2)).sum(); y.backward()",
            "x1 = x + 2\nx2 = x - 2\ny = (x1 * x2).sum()\ny.backward()",
        ],
        ["y = ((x + 2) * (x - 2)).sum()", "y = (x * x).sum(); y.backward()"],
        ["y = ((x + 2) * (x - 2)).sum(); y.backward(); y.backward()"],
    ),
    "accumulate": (
        ["o = (1/2) * sum(5 * (x + 1) ^ 2); o.backward(retain_graph=True); o.backward(); x.grad"],
        ["o = (1/2) * sum(5 * (x + 1) ^ 2); o.backward(); x.grad"],
        ["o = (1/2) * sum(5 * (x + 1) ^ 2); o.backward(); o.backward(); x.grad"],
    ),
}


# The same answers in Python, for notebook submissions.
PY_ANSWERS = {
    "mean-square": (
        ["out = torch.mean(3 * (x + 2) ** 2)\nout.backward()\nx.grad"],
        ["(3 * (x + 2) ** 2).sum().backward()\nx.grad", "x + 2"],
        ["print(x.grad"],
    ),
    "formula": (
        ["1.5 * (x + 2)", "3 / 2 * (x + 2)"],
        ["3 * (x + 2)", "1.5 * x"],
        ["3 / 2 * (z + 2)"],
    ),
    "vector-jacobian": (
        ["y.backward(v)\nx.grad"],
        ["y.backward(v)\nv"],
        ["y.backward()\nx.grad"],
    ),
    "sum-of-products": (
        ["y = ((x + 2) * (x - 2)).sum()\ny.backward()"],
        ["y = ((x + 2) * (x - 2)).sum()"],
        ["y = ((x + 2) * (x - 2)).sum()\ny.backward()\ny.backward()"],
    ),
    "accumulate": (
        ["o = 0.5 * torch.sum(5 * (x + 1) ** 2)\no.backward(retain_graph=True)\n"
         "o.backward()\nx.grad"],
        ["o = 0.5 * torch.sum(5 * (x + 1) ** 2)\no.backward()\nx.grad"],
        ["o = 0.5 * torch.sum(5 * (x + 1) ** 2)\no.backward()\no.backward()\nx.grad"],
    ),
}


def notebook(*cells: str) -> str:
    """A version-4 notebook of code cells."""
    return json.dumps(
        {
            "cells": [
                {
                    "cell_type": "code",
                    "id": f"c{i}",
                    "metadata": {},
                    "execution_count": None,
                    "outputs": [],
                    "source": text.splitlines(True),
                }
                for i, text in enumerate(cells)
            ],
            "metadata": {},
            "nbformat": 4,
            "nbformat_minor": 5,
        }
    )


def generate_notebooks(folder: str, count: int, seed: int = 5) -> list[str]:
    """``count`` folders of ``ID.ipynb`` answers, correct (70%), wrong (20%) or invalid."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        path = os.path.join(folder, f"student{i:05}")
        os.mkdir(path)
        for pid, (right, wrong, invalid) in PY_ANSWERS.items():
            pool = rng.choices([right, wrong, invalid], weights=[70, 20, 10])[0]
            with open(os.path.join(path, pid + ".ipynb"), "w") as f:
                f.write(notebook("import torch", rng.choice(pool)))
        paths.append(path)
    return paths


def generate(folder: str, count: int, seed: int = 5) -> list[str]:
    """Write ``count`` answers files: each answer correct (70%), wrong (20%) or invalid."""
    rng = random.Random(seed)
    paths = []
    for i in range(count):
        lines = ["[answers]"]
        for pid, (right, wrong, invalid) in ANSWERS.items():
            pool = rng.choices([right, wrong, invalid], weights=[70, 20, 10])[0]
            lines.append(f"{pid} = {json.dumps(rng.choice(pool))}")
        path = os.path.join(folder, f"student{i:05}.toml")
        with open(path, "w") as f:
            f.write("\n".join(lines) + "\n")
        paths.append(path)
    return paths


def adcli_command() -> list[str]:
    """How to start ``adcli``: the console script next to this Python, else the module."""
    exe = os.path.join(os.path.dirname(sys.executable), "adcli")
    return [exe] if os.access(exe, os.X_OK) else [sys.executable, "-m", "adcli.cli.main"]


def run(command: list[str], cwd: str) -> float:
    start = time.perf_counter()
    proc = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if proc.returncode not in (0, 1):
        sys.exit(f"{' '.join(command[:4])}... failed ({proc.returncode}):\n{proc.stderr}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--count", type=int, default=1000)
    parser.add_argument("--jobs", type=int, default=2)
    parser.add_argument("--baseline-sample", type=int, default=40)
    parser.add_argument(
        "--adcli", help="the command that starts adcli, e.g. 'python -m adcli.cli.main'"
    )
    parser.add_argument("--notebooks", action="store_true", help="ID.ipynb submissions")
    parser.add_argument(
        "--no-baseline", action="store_true", help="skip one process per submission"
    )
    args = parser.parse_args()
    adcli = shlex.split(args.adcli) if args.adcli else adcli_command()
    with tempfile.TemporaryDirectory(prefix="bench-check-") as tmp:
        folder = os.path.join(tmp, "class")
        os.mkdir(folder)
        paths = (generate_notebooks if args.notebooks else generate)(folder, args.count)
        report = os.path.join(tmp, "report.json")
        common = ["--jobs", str(args.jobs), "--quiet", "--log", os.path.join(tmp, "log.jsonl")]
        pooled = run([*adcli, "check", SET, folder, *common, "--json", report], tmp)
        with open(report) as f:
            summary = json.load(f)["summary"]
        if summary["submissions"] != args.count:
            sys.exit(f"the report holds {summary['submissions']} submissions, not {args.count}")
        start_up = min(run([*adcli, "check", SET, paths[0], *common], tmp) for _ in range(3))
        kind = "notebook folders" if args.notebooks else "TOML answers files"
        print(f"problem set: {os.path.relpath(SET, ROOT)} ({len(ANSWERS)} problems), {kind}")
        print(f"verdicts: {summary['verdicts']}")
        print(
            f"pool (--jobs {args.jobs}): {args.count} submissions in {pooled:.2f} s = "
            f"{args.count / pooled:.1f} submissions/s"
        )
        steady = (args.count - 1) / max(pooled - start_up, 1e-9)
        print(
            f"steady: {steady:.1f} submissions/s (beyond a one-submission run, "
            f"{start_up:.2f} s)"
        )
        if args.no_baseline:
            return

        sample = paths[: args.baseline_sample]

        def one(path: str) -> float:
            log = path + ".log.jsonl"
            return run([*adcli, "check", SET, path, "--quiet", "--log", log], tmp)

        start = time.perf_counter()
        with ThreadPoolExecutor(max_workers=args.jobs) as ex:
            per_process = list(ex.map(one, sample))
        baseline_wall = time.perf_counter() - start

    pool_rate = args.count / pooled
    baseline_rate = len(sample) / baseline_wall
    print(
        f"one adcli process per submission ({args.jobs} at a time, measured on "
        f"{len(sample)}, {sum(per_process) / len(sample):.3f} s each): "
        f"{baseline_rate:.1f} submissions/s, {args.count / baseline_rate:.1f} s for "
        f"{args.count} (extrapolated)"
    )
    print(f"speed-up: {pool_rate / baseline_rate:.1f}x (targets: >= 50 submissions/s and >= 20x)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Python programs: `adcli run FILE.py` against `python FILE.py` (with torch) and CPython.

  tutorial: a generated ~200-line tutorial-style script (f-strings, loops, lists, dicts,
            comprehensions, tensors, backward, a hand-written SGD loop), end to end as a
            user runs it: `adcli run script.py` against `python script.py`, where the
            script imports torch. Target: adcli at most 1/3 of torch's time.
  loop:     a pure-Python loop of 10^5 iterations (arithmetic, a list, a dict, a string
            method) inside one adcli process against CPython running the same text.
            Target: at most 10x CPython.

Each command runs N times, interleaved so that machine noise hits all alike; medians are
compared. Run with the venv that has adcli installed; torch may live in another Python:
  python bench/bench_python.py [--runs N] [--torch-python /path/to/python-with-torch]
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

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))

BLOCK = '''
# ---- part {k}: fit y = {a}x + {b} by hand ---------------------------------------------
xs = torch.linspace(-1.0, 1.0, 32)
ys = {a} * xs + {b}
w = torch.zeros(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
history = []
for step in range(20):
    pred = w * xs + b
    loss = ((pred - ys) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= 0.5 * w.grad
        b -= 0.5 * b.grad
    w.grad.zero_()
    b.grad.zero_()
    history.append(loss.item())
best = min(history)
summary = {{"part": {k}, "first": round(history[0], 4), "best": round(best, 6)}}
evens = [h for i, h in enumerate(history) if i % 2 == 0]
print(f"part {k:2d}: w={{w.item():.4f}} b={{b.item():.4f}} loss={{loss:.6f}} "
      f"evens={{len(evens)}} {{summary['first']:>8.4f}}")
names = ", ".join(sorted(str(key) for key in summary))
print(f"  keys: {{names}}; grad_fn of loss: {{type(loss.grad_fn).__name__ if False else 'ok'}}")
'''

LOOP = '''
total = 0
squares = []
counts = {}
for i in range(100000):
    total += i * i % 7
    if i % 1000 == 0:
        squares.append(i)
        key = str(i % 3)
        counts[key] = counts.get(key, 0) + 1
print(total, len(squares), sorted(counts.items()), "done".upper())
'''


def tutorial_script() -> str:
    parts = ['"""A tutorial-style script: hand-written linear fits, printed as we go."""',
             "import torch", ""]
    for k in range(10):
        parts.append(BLOCK.format(k=k, a=k % 3 + 1, b=(k % 5) * 0.5))
    return "\n".join(parts)


def timed(cmd: list[str], cwd: str) -> float:
    start = time.perf_counter()
    done = subprocess.run(cmd, cwd=cwd, capture_output=True, text=True, check=False)
    elapsed = time.perf_counter() - start
    if done.returncode != 0:
        raise SystemExit(f"bench_python: {' '.join(cmd)} failed:\n{done.stderr[-2000:]}")
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--torch-python", default=sys.executable,
                        help="a Python that can import torch (default: this one)")
    parser.add_argument("--adcli", default=shutil.which("adcli") or "adcli")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        script = os.path.join(tmp, "tutorial.py")
        with open(script, "w") as fh:
            fh.write(tutorial_script())
        loop = os.path.join(tmp, "loop.py")
        with open(loop, "w") as fh:
            fh.write(LOOP)
        lines = tutorial_script().count("\n") + 1
        has_torch = subprocess.run([args.torch_python, "-c", "import torch"],
                                   capture_output=True).returncode == 0
        runs: dict[str, list[float]] = {"adcli": [], "torch": [], "adcli loop": [],
                                        "cpython loop": []}
        for _ in range(args.runs):
            runs["adcli"].append(timed([args.adcli, "run", script], tmp))
            if has_torch:
                runs["torch"].append(timed([args.torch_python, script], tmp))
            runs["adcli loop"].append(timed([args.adcli, "run", loop], tmp))
            runs["cpython loop"].append(timed([sys.executable, loop], tmp))
        med = {k: statistics.median(v) for k, v in runs.items() if v}
        print(f"tutorial script ({lines} lines), median over {args.runs} runs:")
        print(f"  adcli run       {med['adcli'] * 1000:8.1f} ms")
        if has_torch:
            print(f"  python + torch  {med['torch'] * 1000:8.1f} ms")
            print(f"  adcli / torch = {med['adcli'] / med['torch']:.2f} (target <= 0.33)")
        else:
            print("  (torch not importable: pass --torch-python)")
        # the loop: subtract each interpreter's start-up, measured on an empty program
        empty = os.path.join(tmp, "empty.py")
        with open(empty, "w") as fh:
            fh.write("pass\n")
        start_adcli = statistics.median(timed([args.adcli, "run", empty], tmp)
                                        for _ in range(args.runs))
        start_py = statistics.median(timed([sys.executable, empty], tmp)
                                     for _ in range(args.runs))
        loop_adcli = max(med["adcli loop"] - start_adcli, 1e-6)
        loop_py = max(med["cpython loop"] - start_py, 1e-6)
        print("pure-Python loop of 10^5 iterations (start-up subtracted):")
        print(f"  adcli {loop_adcli * 1000:8.1f} ms   CPython {loop_py * 1000:8.1f} ms   "
              f"ratio {loop_adcli / loop_py:.1f}x (target <= 10x)")


if __name__ == "__main__":
    main()

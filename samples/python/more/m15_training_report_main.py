"""A homework-style script: functions with type hints, a __main__ guard, a results table."""
from __future__ import annotations

import math
import sys
from collections import OrderedDict
from typing import Dict, List, Optional, Tuple

import torch

Result = Tuple[float, List[float]]


def objective(p: torch.Tensor) -> torch.Tensor:
    """Himmelblau's function."""
    x, y = p[0], p[1]
    return (x ** 2 + y - 11) ** 2 + (x + y ** 2 - 7) ** 2


def minimise(start: List[float], lr: float, steps: int = 200, clip: Optional[float] = None) -> Result:
    p = torch.tensor(start, requires_grad=True)
    trace: List[float] = []
    for i in range(steps):
        loss = objective(p)
        if not torch.isfinite(loss):
            raise FloatingPointError(f"diverged at step {i} with lr={lr}")
        (g,) = torch.autograd.grad(loss, p)
        if clip is not None:
            norm = g.norm()
            if norm > clip:
                g = g * (clip / norm)
        with torch.no_grad():
            p -= lr * g
        trace.append(loss.item())
    return objective(p).item(), p.detach().tolist()


def report(results: Dict[str, Result]) -> None:
    width = max(len(k) for k in results)
    print(f"{'run':<{width}} | {'loss':>12} | point")
    print("-" * (width + 30))
    for name, (loss, point) in results.items():
        pt = ", ".join(f"{v:7.4f}" for v in point)
        print(f"{name:<{width}} | {loss:12.6e} | ({pt})")


def main(argv: List[str]) -> int:
    torch.manual_seed(0)
    starts = {"origin": [0.0, 0.0], "neg": [-3.0, -3.0], "mixed": [-2.0, 3.0], "far": [4.0, -2.0]}
    results: Dict[str, Result] = OrderedDict()
    for name, start in starts.items():
        results[name] = minimise(start, lr=0.01)
    try:
        minimise([5.0, 5.0], lr=0.5, steps=50)
    except FloatingPointError as exc:
        print("caught:", exc)
    results["clipped"] = minimise([5.0, 5.0], lr=0.05, clip=1.0)
    report(results)
    minima = sorted({(round(p[0], 2), round(p[1], 2)) for _, p in results.values()})
    print("distinct minima:", minima)
    print("argv length:", len(argv) >= 1)
    best = min(results.items(), key=lambda kv: kv[1][0])
    print(f"best run {best[0]!r} with loss {best[1][0]:.3g}")
    print(objective.__doc__, objective.__name__, math.isclose(best[1][0], 0.0, abs_tol=1e-6))
    return 0


if __name__ == "__main__":
    status = main(sys.argv)
    print("exit status", status)

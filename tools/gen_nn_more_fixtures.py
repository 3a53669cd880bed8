#!/usr/bin/env python3
"""Record torch 2.13's results for tests/engine/test_nn_3d.py (and the other new-layer
tests) into tests/engine/fixtures/nn_more.json. Run with the venv that has torch:

    /work/torchenv/bin/python tools/gen_nn_more_fixtures.py
"""

from __future__ import annotations

import json
import os

import torch
import torch.nn.functional as F

OUT = os.path.join(os.path.dirname(__file__), "..", "tests", "engine", "fixtures",
                   "nn_more.json")


def volume() -> torch.Tensor:
    return (torch.arange(2 * 3 * 4 * 5, dtype=torch.float32).reshape(1, 2, 3, 4, 5).sin()
            * 3).requires_grad_()


def flat(t: torch.Tensor) -> list:
    return t.detach().flatten().tolist()


def case(name, fn, seed_grad):
    v = volume()
    out = fn(v)
    idx = None
    if isinstance(out, tuple):
        out, idx = out
    g = torch.arange(out.numel(), dtype=torch.float32).reshape(out.shape) / 7 if seed_grad \
        else out.detach() * 2
    out.backward(g)
    rec = {"name": name, "shape": list(out.shape), "out": flat(out), "grad": flat(v.grad),
           "grad_fn": out.grad_fn.name()}
    if idx is not None:
        rec["indices"] = flat(idx)
    return rec


CASES = [
    case("max_pool3d", lambda v: F.max_pool3d(v, (2, 2, 3), stride=(1, 2, 2),
                                              padding=(1, 1, 1), return_indices=True), True),
    case("max_pool3d_dilated", lambda v: F.max_pool3d(v, 2, stride=1, dilation=2,
                                                      ceil_mode=True, return_indices=True),
         True),
    case("avg_pool3d", lambda v: F.avg_pool3d(v, 3, stride=2, padding=1,
                                              count_include_pad=False, ceil_mode=True), False),
    case("avg_pool3d_overlap", lambda v: F.avg_pool3d(v, 2, stride=1), False),
    case("avg_pool3d_divisor", lambda v: F.avg_pool3d(v, (1, 2, 2), divisor_override=3),
         True),
    case("adaptive_avg_pool3d", lambda v: F.adaptive_avg_pool3d(v, (2, 3, 4)), False),
    case("adaptive_max_pool3d", lambda v: F.adaptive_max_pool3d(v, (2, 2, 3),
                                                                return_indices=True), True),
]

if __name__ == "__main__":
    with open(OUT, "w", encoding="utf-8") as fh:
        json.dump({"torch": torch.__version__, "volume": flat(volume()), "cases": CASES}, fh)
        fh.write("\n")
    print(f"wrote {len(CASES)} cases to {OUT}")

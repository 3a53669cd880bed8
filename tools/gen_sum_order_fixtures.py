"""Record torch 2.13's CPU float sums and means, bit for bit, for
tests/engine/test_sum_order.py: run with a Python that has torch.

    python tools/gen_sum_order_fixtures.py     # writes tests/engine/fixtures/sum_order.json

Each case: an input (dtype, shape, its exact bits as one hex string of the uint32/uint64
view, C order) and the view torch reduces ("c": as is; "t": the transpose of a contiguous
tensor of the reversed shape; "p": a permutation of a contiguous tensor; "s": every other
element of the last dim of a contiguous tensor twice as long), and the reductions asked
of it (op, dims or null for all, keepdim) with torch's result bits. The thread count torch
ran with is recorded too: a full reduction of 32768 elements or more is split by thread.
"""

from __future__ import annotations

import itertools
import json
import os

import numpy as np
import torch

OUT = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                   "tests", "engine", "fixtures", "sum_order.json")
UINT = {"float32": np.uint32, "float64": np.uint64}


def bits(a: np.ndarray) -> str:
    a = np.ascontiguousarray(a)
    return a.view(UINT[str(a.dtype)]).astype(f">u{a.itemsize}").tobytes().hex()


def view_of(base: torch.Tensor, layout: str, perm):
    if layout == "c":
        return base
    if layout == "t":
        return base.transpose(0, -1)
    if layout == "p":
        return base.permute(*perm)
    return base[..., ::2]


def make(rng, dtype, shape, layout, perm=None, reductions=None):
    """The base tensor (contiguous) whose view is reduced."""
    if layout == "t":
        bshape = (shape[-1],) + tuple(shape[1:-1]) + (shape[0],)
    elif layout == "p":
        inv = np.argsort(perm)
        bshape = tuple(shape[i] for i in inv)
    elif layout == "s":
        bshape = tuple(shape[:-1]) + (2 * shape[-1],)
    else:
        bshape = tuple(shape)
    scale = float(rng.choice([1e-3, 1.0, 37.0, 1e4]))
    data = (rng.standard_normal(bshape) * scale + float(rng.choice([0.0, 0.5, -3.0]))).astype(
        dtype)
    base = torch.from_numpy(data)
    x = view_of(base, layout, perm)
    assert tuple(x.shape) == tuple(shape), (x.shape, shape, layout)
    nd = x.dim()
    if reductions is None:
        reductions = [(None, False)] + [((d,), k) for d in range(nd) for k in (False, True)]
        reductions += [(c, False) for c in itertools.combinations(range(nd), 2)]
        if nd >= 3:
            reductions.append((tuple(range(nd)), True))
    out = []
    for op in ("sum", "mean"):
        for dims, keep in reductions:
            r = getattr(x, op)() if dims is None else getattr(x, op)(dims, keepdim=keep)
            out.append({"op": op, "dims": None if dims is None else list(dims), "keepdim": keep,
                        "shape": list(r.shape), "bits": bits(r.numpy())})
    return {"dtype": str(data.dtype), "base_shape": list(bshape), "shape": list(shape),
            "layout": layout, "perm": None if perm is None else list(perm),
            "base": bits(data), "results": out}


def main() -> None:
    rng = np.random.default_rng(2013)
    cases = []
    # 1-D: every size to 300 (float32), then random sizes to 5000
    for n in list(range(1, 300)):
        cases.append(make(rng, np.float32, (n,), "c", reductions=[(None, False)]))
    for n in list(range(1, 40)) + [int(v) for v in rng.integers(40, 5001, 6)]:
        cases.append(make(rng, np.float64, (n,), "c", reductions=[(None, False)]))
    for n in [int(v) for v in rng.integers(300, 5001, 15)] + [511, 512, 4096, 5000]:
        cases.append(make(rng, np.float32, (n,), "c", reductions=[(None, False)]))
    # 2-D/3-D: each dim, pairs, all; contiguous, transposed, permuted, sliced
    for _ in range(70):
        nd = int(rng.integers(2, 4))
        while True:
            shape = tuple(int(rng.integers(1, 70)) if rng.random() < 0.75 else
                          int(rng.integers(1, 6)) for _ in range(nd))
            if np.prod(shape) <= 1000:
                break
        layout = str(rng.choice(["c", "t", "p", "s"]))
        perm = [int(p) for p in rng.permutation(nd)] if layout == "p" else None
        dtype = np.float32 if rng.random() < 0.7 else np.float64
        cases.append(make(rng, dtype, shape, layout, perm))
    # past the grain size: two-pass full reductions and split columns
    for shape, layout, dtype in [((40000,), "c", np.float32), ((2, 16387), "s", np.float32)]:
        cases.append(make(rng, dtype, shape, layout))
    doc = {"torch": torch.__version__, "threads": torch.get_num_threads(),
           "capability": torch.backends.cpu.get_cpu_capability(), "cases": cases}
    with open(OUT, "w", encoding="utf-8") as f:
        json.dump(doc, f, separators=(",", ":"))
    print(f"{len(cases)} cases, {sum(len(c['results']) for c in cases)} results -> {OUT}")


if __name__ == "__main__":
    main()

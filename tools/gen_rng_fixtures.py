#!/usr/bin/env python3
"""Record PyTorch 2.13's CPU random streams for tests/engine/test_torch_random.py.

Run under real torch (``/work/torchenv/bin/python tools/gen_rng_fixtures.py [OUT.json]``).
Writes tests/engine/fixtures/torch_rng.json. Each case seeds torch's default generator
(and, where it names one, a ``torch.Generator``), runs a list of operations on them in
order, and records every result's raw bytes and the full RNG states afterwards. The
tests replay the operations on ``adcli.engine.torch_random`` and compare bytes, with no
tolerance. Results of up to 16 elements are stored whole (hex); larger ones as a
SHA-256 of their bytes plus their first and last 4 elements.

An operation is a list ``[name, gen, *args]`` (``gen``: "d" the default generator, "g" the
case's Generator object):
  rand shape dtype | uniform shape lo hi dtype | randn shape dtype |
  normal shape mean std dtype | normal_t rows cols dtype (a transposed, non-contiguous
  (cols, rows) view: values in memory order) | randint lo hi shape dtype |
  random shape dtype from to (None for absent) | randperm n dtype |
  bernoulli_t P dtype (P: an input, see "inputs") | bernoulli_s shape p dtype |
  dropout X p (F.dropout of an input) | exponential shape lambd dtype |
  multinomial P k replacement | linear out in | sampler n | dataloader n |
  get_state | set_state INDEX (the state recorded by the INDEX-th get_state) |
  seed_check (initial_seed) | manual_seed s
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np
import torch
import torch.nn.functional as F

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "torch_rng.json"

SEEDS = [0, 1, 7, 42, 1234, 2**32 + 5, 2**63 + 11, -5]
SIZES = [0, 1, 2, 15, 16, 17, 31, 32, 33, 100, 1000]
FULL = 16  # results up to this many elements are stored whole
EDGE = 4  # larger ones: a hash, and this many elements at each end


def enc(a: np.ndarray) -> dict:
    a = np.ascontiguousarray(a)
    rec = {"dtype": str(a.dtype), "shape": list(a.shape)}
    raw = a.tobytes()
    if a.size <= FULL:
        rec["hex"] = raw.hex()
    else:
        flat = a.ravel()
        rec["sha256"] = hashlib.sha256(raw).hexdigest()
        rec["head"] = flat[:EDGE].tobytes().hex()
        rec["tail"] = flat[-EDGE:].tobytes().hex()
    return rec


def tdt(name: str) -> torch.dtype:
    return getattr(torch, name)


def make_inputs() -> dict:
    """Deterministic inputs (probabilities, dropout inputs) from numpy, stored as hex."""
    rs = np.random.RandomState(20240613)
    inputs = {}
    for n in (1, 7, 16, 33, 100, 1000):
        inputs[f"p32_{n}"] = rs.random_sample(n).astype(np.float32)
        inputs[f"p64_{n}"] = rs.random_sample(n)
    inputs["p32_2d"] = rs.random_sample((4, 33)).astype(np.float32)
    inputs["w32_5"] = np.array([0.1, 0.0, 2.0, 0.7, 0.2], np.float32)
    inputs["w32_100"] = (rs.random_sample(100) ** 3).astype(np.float32)
    inputs["w64_1000"] = rs.random_sample(1000)
    inputs["w32_2d"] = rs.random_sample((3, 20)).astype(np.float32)
    inputs["w32_2d_big"] = rs.random_sample((4, 1000)).astype(np.float32)
    for n in (1, 15, 16, 17, 100, 1000):
        inputs[f"x32_{n}"] = rs.standard_normal(n).astype(np.float32)
        inputs[f"x64_{n}"] = rs.standard_normal(n)
    inputs["x32_3d"] = rs.standard_normal((2, 3, 5)).astype(np.float32)
    return inputs


def run_case(case: dict, inputs: dict) -> dict:
    torch.manual_seed(case["seed"])
    g = torch.Generator()
    if case.get("gseed") is not None:
        g.manual_seed(case["gseed"])
    gens = {"d": None, "g": g}
    states: list[torch.Tensor] = []
    results = []
    for op in case["ops"]:
        name, gk, *args = op
        gen = gens[gk]
        kw = {} if gen is None else {"generator": gen}
        out: list = []
        if name == "rand":
            shape, dt = args
            out = [torch.rand(shape, dtype=tdt(dt), **kw)]
        elif name == "uniform":
            shape, lo, hi, dt = args
            out = [torch.empty(shape, dtype=tdt(dt)).uniform_(lo, hi, **kw)]
        elif name == "randn":
            shape, dt = args
            out = [torch.randn(shape, dtype=tdt(dt), **kw)]
        elif name == "normal":
            shape, mean, std, dt = args
            out = [torch.empty(shape, dtype=tdt(dt)).normal_(mean, std, **kw)]
        elif name == "normal_t":
            rows, cols, dt = args
            t = torch.empty(rows, cols, dtype=tdt(dt)).t()
            t.normal_(**kw)
            out = [t.t().contiguous().reshape(-1)]  # memory order
        elif name == "randint":
            lo, hi, shape, dt = args
            out = [torch.randint(lo, hi, shape, dtype=tdt(dt), **kw)]
        elif name == "random":
            shape, dt, frm, to = args
            t = torch.empty(shape, dtype=tdt(dt))
            if frm is None and to is None:
                t.random_(**kw)
            elif frm is None:
                t.random_(to, **kw)
            else:
                t.random_(frm, to, **kw)
            out = [t]
        elif name == "randperm":
            n, dt = args
            out = [torch.randperm(n, dtype=tdt(dt), **kw)]
        elif name == "bernoulli_t":
            pk, dt = args
            p = torch.from_numpy(inputs[pk].copy())
            out = [torch.empty(p.shape, dtype=tdt(dt)).bernoulli_(p, **kw)]
        elif name == "bernoulli_p":
            pk, = args
            out = [torch.bernoulli(torch.from_numpy(inputs[pk].copy()), **kw)]
        elif name == "bernoulli_s":
            shape, p, dt = args
            out = [torch.empty(shape, dtype=tdt(dt)).bernoulli_(p, **kw)]
        elif name == "dropout":
            xk, p = args
            out = [F.dropout(torch.from_numpy(inputs[xk].copy()), p, training=True)]
        elif name == "exponential":
            shape, lambd, dt = args
            out = [torch.empty(shape, dtype=tdt(dt)).exponential_(lambd, **kw)]
        elif name == "multinomial":
            pk, k, repl = args
            out = [torch.multinomial(torch.from_numpy(inputs[pk].copy()), k, repl, **kw)]
        elif name == "linear":
            o, i = args
            lin = torch.nn.Linear(i, o)
            out = [lin.weight.detach(), lin.bias.detach()]
        elif name == "sampler":
            n, = args
            out = [torch.tensor(list(torch.utils.data.RandomSampler(range(n))))]
        elif name == "dataloader":
            n, = args
            dl = torch.utils.data.DataLoader(list(range(n)), batch_size=n, shuffle=True)
            out = [next(iter(dl))]
        elif name == "get_state":
            st = torch.get_rng_state() if gen is None else gen.get_state()
            states.append(st)
            out = [st]
        elif name == "set_state":
            st = states[args[0]]
            if gen is None:
                torch.set_rng_state(st)
            else:
                gen.set_state(st)
        elif name == "seed_check":
            s = torch.initial_seed() if gen is None else gen.initial_seed()
            out = [torch.tensor([s & 0xFFFFFFFFFFFFFFFF], dtype=torch.uint64)]
        elif name == "manual_seed":
            if gen is None:
                torch.manual_seed(args[0])
            else:
                gen.manual_seed(args[0])
        else:
            raise ValueError(name)
        results.append([enc(o.numpy()) for o in out])
    return {
        **case,
        "results": results,
        "final_state_d": hashlib.sha256(torch.get_rng_state().numpy().tobytes()).hexdigest(),
        "final_state_g": hashlib.sha256(g.get_state().numpy().tobytes()).hexdigest(),
    }


def build_cases() -> list[dict]:
    cases = []

    def add(label, seed, ops, gseed=None):
        cases.append({"label": label, "seed": seed, "gseed": gseed, "ops": ops})

    for s in SEEDS:
        for dt in ("float32", "float64"):
            add(f"rand {dt}", s, [["rand", "d", [n], dt] for n in SIZES])
            add(f"randn {dt}", s, [["randn", "d", [n], dt] for n in SIZES])
            add(f"uniform {dt}", s, [["uniform", "d", [n], lo, hi, dt] for n in SIZES
                                     for lo, hi in ((-0.3, 0.7), (2.0, 5.5),
                                                    (-1 / math.sqrt(3), 1 / math.sqrt(3)),
                                                    (-0.123, 3.77))])
            add(f"normal {dt}", s, [["normal", "d", [n], m, sd, dt] for n in SIZES
                                    for m, sd in ((2.0, 3.0), (-1.0, 0.1), (0.5, 1.0))])
            add(f"exponential {dt}", s, [["exponential", "d", [n], lam, dt]
                                         for n in SIZES for lam in (1.0, 2.5)])
            add(f"bernoulli_s {dt}", s, [["bernoulli_s", "d", [n], 0.3, dt] for n in SIZES])
        add("float16", s, [op for n in SIZES for op in (
            ["rand", "d", [n], "float16"], ["uniform", "d", [n], -2.0, 3.0, "float16"],
            ["randn", "d", [n], "float16"], ["normal", "d", [n], 1.5, 0.3, "float16"])])
        add("randint", s, [["randint", "d", lo, hi, [n], "int64"] for n in SIZES
                           for lo, hi in ((0, 10), (-5, 10**6 + 3), (0, 2**28 - 1),
                                          (0, 2**28), (-2**40, 2**50))])
        add("randint dtypes", s, [["randint", "d", 0, 100, [n], dt] for n in (1, 17, 100)
                                  for dt in ("int32", "int16", "int8", "uint8",
                                             "float32", "float64")])
        add("random_", s, [["random", "d", [n], dt, None, None] for n in (1, 16, 33, 100)
                           for dt in ("int64", "int32", "int16", "int8", "uint8", "bool",
                                      "float32", "float64")]
            + [["random", "d", [17], "float64", 3, 17], ["random", "d", [17], "int64", None, 9],
               ["random", "d", [17], "int64", -7, None], ["random", "d", [17], "int32", 5, None],
               ["random", "d", [17], "float32", 5, None],
               ["random", "d", [17], "int64", -2**63, None],
               ["random", "d", [9], "float32", 0, 2**25 + 3]])
        add("randperm", s, [["randperm", "d", n, "int64"] for n in SIZES]
            + [["randperm", "d", 100, "int32"], ["randperm", "d", 33, "float32"]])
        add("mixed normal cache", s, [["randn", "d", [3], "float32"],
                                      ["rand", "d", [5], "float32"],
                                      ["randn", "d", [20], "float32"],
                                      ["randn", "d", [1], "float64"],
                                      ["randn", "d", [2], "float32"],
                                      ["normal", "d", [5], 1.0, 2.0, "float32"],
                                      ["randn", "d", [16], "float64"],
                                      ["randn", "d", [7], "float64"],
                                      ["uniform", "d", [3], -2.0, 2.0, "float64"],
                                      ["randn", "d", [1], "float32"]])
        add("noncontiguous normal", s, [["normal_t", "d", r, c, dt] for r, c in
                                        ((20, 1), (4, 5), (2, 3), (3, 50))
                                        for dt in ("float32", "float64")])
        add("bernoulli tensor p", s,
            [["bernoulli_t", "d", f"p{b}_{n}", dt] for n in (1, 7, 16, 33, 100, 1000)
             for b in ("32", "64") for dt in ("float32", "float64")]
            + [["bernoulli_p", "d", "p32_2d"], ["bernoulli_p", "d", "p64_100"]])
        add("dropout", s, [["dropout", "d", f"x{b}_{n}", p] for n in (1, 15, 16, 17, 100, 1000)
                           for b in ("32", "64") for p in (0.5, 0.1, 0.0, 1.0, 0.3)]
            + [["dropout", "d", "x32_3d", 0.2]])
        add("multinomial", s, [["multinomial", "d", "w32_5", 1, False],
                               ["multinomial", "d", "w32_5", 1, True],
                               ["multinomial", "d", "w32_5", 3, False],
                               ["multinomial", "d", "w32_5", 20, True],
                               ["multinomial", "d", "w32_100", 10, False],
                               ["multinomial", "d", "w32_100", 50, True],
                               ["multinomial", "d", "w64_1000", 7, True],
                               ["multinomial", "d", "w64_1000", 5, False],
                               ["multinomial", "d", "w32_2d", 9, True],
                               ["multinomial", "d", "w32_2d", 4, False],
                               ["multinomial", "d", "w32_2d", 1, True],
                               ["multinomial", "d", "w32_2d_big", 3, False]])
        add("linear init", s, [["linear", "d", o, i] for o, i in
                               ((2, 3), (1, 1), (5, 4), (16, 16), (10, 7), (3, 100))])
        add("sampler", s, [["sampler", "d", n] for n in (1, 2, 10, 100)]
            + [["dataloader", "d", 10], ["dataloader", "d", 37]])
        add("generator objects", s,
            [["randn", "g", [5], "float32"], ["randn", "d", [5], "float32"],
             ["rand", "g", [17], "float64"], ["randn", "g", [3], "float64"],
             ["randint", "g", 0, 7, [20], "int64"], ["randperm", "g", 30, "int64"],
             ["seed_check", "g"], ["seed_check", "d"], ["randn", "d", [40], "float32"]],
            gseed=(s * 3 + 1) % 2**63)
        add("state round trip", s,
            [["randn", "d", [3], "float32"], ["get_state", "d"], ["randn", "d", [5], "float32"],
             ["rand", "d", [700], "float32"], ["get_state", "d"], ["set_state", "d", 0],
             ["randn", "d", [5], "float32"], ["set_state", "d", 1], ["randn", "d", [17],
                                                                     "float64"],
             ["get_state", "d"], ["seed_check", "d"],
             ["randn", "g", [1], "float64"], ["get_state", "g"], ["rand", "g", [623], "float32"],
             ["get_state", "g"], ["rand", "g", [1], "float32"], ["get_state", "g"],
             ["manual_seed", "d", 5 + 2**32], ["seed_check", "d"], ["get_state", "d"],
             ["rand", "d", [3], "float32"]])
    # a fresh torch.Generator() (no manual_seed) and big sizes, for a few seeds
    add("fresh Generator()", 0, [["randn", "g", [n], "float32"] for n in SIZES]
        + [["seed_check", "g"], ["get_state", "g"]])
    for s in (0, 3, 2**40 + 9):
        add("1e5", s, [["randn", "d", [100000], "float32"], ["randn", "d", [100000], "float64"],
                       ["rand", "d", [100000], "float32"], ["rand", "d", [100000], "float64"],
                       ["uniform", "d", [100000], -0.123, 3.77, "float32"],
                       ["normal", "d", [100000], 2.0, 3.0, "float32"],
                       ["normal", "d", [100000], -1.0, 0.1, "float64"],
                       ["randint", "d", -3, 2**31, [100000], "int64"],
                       ["randperm", "d", 100000, "int64"]])
    for n in range(1, 21):  # every size 1..20 in one stream, both dtypes
        add(f"sizes 1-20 n={n}", n, [["randn", "d", [n], "float32"],
                                     ["randn", "d", [n], "float64"],
                                     ["rand", "d", [n], "float32"],
                                     ["normal", "d", [n], 0.25, 1.5, "float32"],
                                     ["randn", "d", [n, 3], "float32"]])
    return cases


def main() -> None:
    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    assert torch.__version__.startswith("2.13"), torch.__version__
    torch.set_num_threads(1)
    # random_(0, 2**25 + 3) on float32 is a case on purpose
    warnings.filterwarnings("ignore", message="to - 1 is out of bounds")
    inputs = make_inputs()
    cases = [run_case(c, inputs) for c in build_cases()]
    # torch's raw state bytes with a pending cached normal, and what follows it
    torch.manual_seed(0)
    torch.randn(3)
    raw_state = torch.get_rng_state().numpy().tobytes().hex()
    after = [enc(torch.randn(20).numpy()), enc(torch.randn(1, dtype=torch.float64).numpy())]
    data = {
        "torch": torch.__version__,
        "raw_state": {"hex": raw_state, "after": after},
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "inputs": {k: {"dtype": str(v.dtype), "shape": list(v.shape), "hex": v.tobytes().hex()}
                   for k, v in inputs.items()},
        "cases": cases,
    }
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    print(f"wrote {len(cases)} cases to {out} ({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()

#!/usr/bin/env python3
"""Record PyTorch 2.13's CPU random streams for tests/engine/test_torch_random.py.

Run under real torch (``/work/torchenv/bin/python tools/gen_rng_fixtures.py [OUT.json]``).
Writes tests/engine/fixtures/torch_rng.json. Each case seeds torch's default generator
(and, where it names one, a ``torch.Generator``), runs a list of operations on them in
order, and records every result's raw bytes and the full RNG states afterwards. The
tests replay the operations on adcli's engine (``adcli.engine.torch_random`` for the
samplers, ``nn.init``, the nn modules, ``F.dropout``, ``torch.normal`` and
``torch.utils.data`` for the rest) and compare bytes, with no tolerance. Results of up to
16 elements are stored whole (hex); larger ones as the first 128 bits of a SHA-256 of
their bytes plus their first and last 2 elements. ``nn.init.orthogonal_`` is the one
exception to "no tolerance": its QR factorisation is LAPACK's, so its values are stored
whole (a sample of 64 and their sum of magnitudes above 100 elements) and compared to
rounding; its draws are compared exactly, through the states.

Coverage: every drawing function over the sizes 0, 1..20, 31, 32, 33, 100, 1000 and
100 000, all the dtypes it takes (bfloat16 aside: numpy has none), several seeds (all of
SEEDS for the samplers, at least SEEDS4 for the rest and for 10**5), the default
generator and ``torch.Generator`` objects, states saved and restored, ``initial_seed`` and
``seed``.

An operation is a list ``[name, gen, *args]`` (``gen``: "d" the default generator, "g" the
case's Generator object). An input ``X``/``P``/``W`` is a spec string
``kind:shape:dtype:seed`` that both sides turn into the same array (``make_input``).
  rand shape dtype | uniform shape lo hi dtype | randn shape dtype |
  normal shape mean std dtype | normal_t rows cols dtype (normal_ on a transposed,
  non-contiguous (cols, rows) view: values in memory order) | randint lo hi shape dtype |
  random shape dtype from to (None for absent) | randperm n dtype |
  bernoulli_t P dtype (out.bernoulli_(P)) | bernoulli_p P (torch.bernoulli(P)) |
  bernoulli_s shape p dtype (out.bernoulli_(p)) | exponential shape lambd dtype |
  multinomial P k replacement | torch_normal mode mean std n dtype (mode ff: floats and a
  size, tt/tf/ft: mean and/or std tensors) | dropout kind X p (kind F: F.dropout,
  module: nn.Dropout in training, 2d: F.dropout2d, 1d: F.dropout1d) |
  init name shape dtype kwargs (torch.nn.init.<name>_ on an empty tensor) |
  layer kind args kwargs (an nn module's parameters, in parameters() order) |
  sampler n kwargs (RandomSampler(range(n), **kwargs) once through) |
  dataloader n batch_size (a shuffled DataLoader once through, batches concatenated) |
  subset_sampler n | weighted_sampler W k replacement | random_split n lengths |
  method name shape dtype args transposed (a Tensor method, on a transposed view when
  transposed: values in logical order) | like fn shape dtype transposed P (rand_like,
  randn_like, or torch.bernoulli of a tensor holding P) |
  get_state | set_state INDEX (the state recorded by the INDEX-th get_state of the case,
  loaded into gen) | seed_check (initial_seed) | manual_seed s | seed (torch.seed(): the
  replay reseeds with the value torch picked)
"""

from __future__ import annotations

import hashlib
import json
import math
import sys
import warnings
from pathlib import Path

import numpy as np

OUT = Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures" / \
    "torch_rng.json"

SEEDS = [0, 1, 7, 42, 1234, 2**32 + 5, 2**63 + 11, -5]
SEEDS4 = [0, 42, 2**32 + 5, -5]
GSEEDS = [3, 2**40 + 9]  # the Generator-object variants
SMALL = [0, *range(1, 21), 31, 32, 33, 100, 1000]
SUB = [1, 2, 7, 15, 16, 17, 33, 1000]  # the secondary parameters of a function
BIG = 100000
FULL = 16  # results up to this many elements are stored whole
EDGE = 2  # larger ones: a hash, and this many elements at each end
HASH = 32  # hex digits of the SHA-256 kept (128 bits)

FLOATS = ("float32", "float64", "float16")
INTS = ("int64", "int32", "int16", "int8", "uint8", "bool")
RANGES = ((-1 / math.sqrt(3), 1 / math.sqrt(3)), (2.0, 5.5), (-0.3, 0.7), (-0.123, 3.77),
          (1.0, math.nextafter(1.0, 2.0)))
MEANSTD = ((2.0, 3.0), (-1.0, 0.1), (0.5, 1.0), (3.0, 0.0))
# randint's (low, high) per dtype: the first over every size, the others over SUB
RANDINT = {
    "int64": ((0, 10), (-5, 10**6 + 3), (0, 2**28 - 1), (0, 2**28), (-2**40, 2**50),
              (-2**63, 2**63 - 1)),
    "int32": ((0, 100), (-2**31, 2**31 - 1), (0, 2**28)),
    "int16": ((-100, 100), (-2**15, 2**15 - 1)),
    "int8": ((-5, 5), (-128, 127)),
    "uint8": ((0, 255), (3, 200)),
    "bool": ((0, 2), (1, 2)),
    "float32": ((0, 100), (-2**24, 2**24)),
    "float64": ((0, 100), (-2**53, 2**53)),
    "float16": ((0, 100), (-2048, 2048)),
}
# random_(from, to) variants: (dtype, from, to)
RANDOM_BOUNDED = (("int64", None, 9), ("int64", -7, None), ("int32", 5, None),
                  ("float32", 5, None), ("float64", 3, 17), ("int64", -2**63, None),
                  ("float32", 0, 2**25 + 3), ("int16", -100, None), ("uint8", 250, None),
                  ("bool", 0, None), ("float16", 0, None), ("int8", -3, 4),
                  ("float64", -2**60, None))
PERM_MAX = {"int64": BIG, "int32": BIG, "float32": BIG, "float64": BIG, "int16": 1000,
            "float16": 1000, "int8": 100, "uint8": 100}


# ----------------------------------------------------------------------------- inputs

def make_input(spec: str) -> np.ndarray:
    """The array a spec ``kind:shape:dtype:seed`` names (the test has the same function):
    u uniform [0, 1), n standard normal, s a positive std, w cubed uniform weights, z
    weights with zeros (each row keeps its first entry)."""
    kind, shape, dt, seed = spec.split(":")
    shp = tuple(int(s) for s in shape.split("x")) if shape else ()
    rs = np.random.RandomState(int(seed))
    if kind == "u":
        a = rs.random_sample(shp)
    elif kind == "n":
        a = rs.standard_normal(shp)
    elif kind == "s":
        a = 0.05 + 2.0 * rs.random_sample(shp)
    elif kind == "w":
        a = rs.random_sample(shp) ** 3
    elif kind == "z":
        a = rs.random_sample(shp)
        a[a < 0.4] = 0.0
        a[..., 0] = 0.5
    else:
        raise ValueError(spec)
    return a.astype(dt)


def spec(kind: str, shape, dt: str, seed: int | None = None) -> str:
    shape = [shape] if isinstance(shape, int) else list(shape)
    if seed is None:
        seed = (sum(shape) * 7 + len(kind)) % 100000
    return f"{kind}:{'x'.join(str(s) for s in shape)}:{dt}:{seed}"


def shape2(n: int) -> list[int]:
    """A 2-D shape of n elements, as square as n allows."""
    a = max(d for d in range(1, int(math.isqrt(n)) + 1) if n % d == 0)
    return [a, n // a]


# ----------------------------------------------------------------------------- encoding

def enc_approx(a: np.ndarray) -> dict:
    """A result the test compares to rounding (orthogonal_): whole up to 100 elements,
    else 64 evenly spaced elements and the sum of the magnitudes."""
    a = np.ascontiguousarray(a)
    if a.size <= 100:
        return enc(a, full=True)
    flat = a.ravel()
    idx = np.linspace(0, flat.size - 1, 64).astype(np.int64)
    return {"dtype": str(a.dtype), "shape": list(a.shape), "sample": flat[idx].tobytes().hex(),
            "l1": float(np.abs(flat.astype(np.float64)).sum())}


def enc(a: np.ndarray, full: bool = False) -> dict:
    a = np.ascontiguousarray(a)
    rec = {"dtype": str(a.dtype), "shape": list(a.shape)}
    raw = a.tobytes()
    if a.size <= FULL or full:
        rec["hex"] = raw.hex()
    else:
        flat = a.ravel()
        rec["sha256"] = hashlib.sha256(raw).hexdigest()[:HASH]
        rec["head"] = flat[:EDGE].tobytes().hex()
        rec["tail"] = flat[-EDGE:].tobytes().hex()
    return rec


# ----------------------------------------------------------------------------- torch side

def run_case(case: dict) -> dict:
    import torch
    import torch.nn.functional as F

    def tdt(name: str):
        return getattr(torch, name)

    def inp(s: str):
        return torch.from_numpy(make_input(s))

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
            p = inp(pk)
            out = [torch.empty(p.shape, dtype=tdt(dt)).bernoulli_(p, **kw)]
        elif name == "bernoulli_p":
            pk, = args
            out = [torch.bernoulli(inp(pk), **kw)]
        elif name == "bernoulli_s":
            shape, p, dt = args
            out = [torch.empty(shape, dtype=tdt(dt)).bernoulli_(p, **kw)]
        elif name == "exponential":
            shape, lambd, dt = args
            out = [torch.empty(shape, dtype=tdt(dt)).exponential_(lambd, **kw)]
        elif name == "multinomial":
            pk, k, repl = args
            out = [torch.multinomial(inp(pk), k, repl, **kw)]
        elif name == "torch_normal":
            mode, mean, std, n, dt = args
            if mode == "ff":
                out = [torch.normal(mean, std, (n,), dtype=tdt(dt), **kw)]
            else:
                m = inp(mean) if mode[0] == "t" else mean
                s = inp(std) if mode[1] == "t" else std
                out = [torch.normal(m, s, **kw)]
        elif name == "dropout":
            kind, xk, p = args
            x = inp(xk)
            if kind == "F":
                out = [F.dropout(x, p, training=True)]
            elif kind == "module":
                out = [torch.nn.Dropout(p).train()(x)]
            elif kind == "2d":
                out = [F.dropout2d(x, p, training=True)]
            else:
                out = [F.dropout1d(x, p, training=True)]
        elif name == "init":
            fn, shape, dt, kwargs = args
            t = torch.empty(shape, dtype=tdt(dt))
            getattr(torch.nn.init, fn)(t, **kwargs, **kw)
            out = [t]
        elif name == "layer":
            kind, largs, kwargs = args
            kwargs = dict(kwargs)
            if "dtype" in kwargs:
                kwargs["dtype"] = tdt(kwargs["dtype"])
            m = getattr(torch.nn, kind)(*largs, **kwargs)
            out = [p.detach() for p in m.parameters()]
        elif name == "sampler":
            n, kwargs = args
            s = torch.utils.data.RandomSampler(range(n), **kwargs, **kw)
            out = [torch.tensor(list(s), dtype=torch.int64)]
        elif name == "dataloader":
            n, bs = args
            dl = torch.utils.data.DataLoader(list(range(n)), batch_size=bs, shuffle=True,
                                             **kw)
            out = [torch.cat(list(dl))]
        elif name == "subset_sampler":
            n, = args
            s = torch.utils.data.SubsetRandomSampler(list(range(100, 100 + n)), **kw)
            out = [torch.tensor(list(s), dtype=torch.int64)]
        elif name == "weighted_sampler":
            wk, k, repl = args
            s = torch.utils.data.WeightedRandomSampler(make_input(wk).tolist(), k, repl, **kw)
            out = [torch.tensor(list(s), dtype=torch.int64)]
        elif name == "random_split":
            n, lengths = args
            parts = torch.utils.data.random_split(range(n), lengths, **kw)
            out = [torch.tensor([i for p in parts for i in p.indices], dtype=torch.int64)]
        elif name == "method":
            meth, shape, dt, margs, transposed = args
            t = torch.empty(shape[::-1] if transposed else shape, dtype=tdt(dt))
            t = t.t() if transposed else t
            getattr(t, meth)(*margs, **kw)
            out = [t.contiguous()]
        elif name == "like":
            fn, shape, dt, transposed, pk = args
            t = torch.empty(shape[::-1] if transposed else shape, dtype=tdt(dt))
            t = t.t() if transposed else t
            if fn == "bernoulli":
                t.copy_(inp(pk))
                out = [torch.bernoulli(t, **kw).contiguous()]
            else:
                out = [getattr(torch, fn)(t).contiguous()]
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
        elif name == "seed":
            s = torch.seed() if gen is None else gen.seed()
            out = [torch.tensor([s], dtype=torch.uint64)]
        else:
            raise ValueError(name)
        # orthogonal_'s QR is LAPACK's (MKL here, not numpy's): kept whole, the test
        # compares its values to rounding (its draws exactly, through the states)
        approx = name == "init" and args[0] == "orthogonal_"
        results.append([(enc_approx if approx else enc)(o.numpy()) for o in out])
    return {
        **case,
        "results": results,
        "final_state_d": hashlib.sha256(torch.get_rng_state().numpy().tobytes()).hexdigest(),
        "final_state_g": hashlib.sha256(g.get_state().numpy().tobytes()).hexdigest(),
    }


# ----------------------------------------------------------------------------- the cases

def fam_rand(n, gk):
    return [["rand", gk, [n], dt] for dt in FLOATS]


def fam_uniform(n, gk):
    ops = [["uniform", gk, [n], *RANGES[0], dt] for dt in FLOATS]
    if n in SUB or n == BIG:
        ops += [["uniform", gk, [n], lo, hi, dt] for lo, hi in RANGES[1:] for dt in FLOATS
                if not (dt == "float16" and hi - lo < 1e-3)]
    return ops


def fam_randn(n, gk):
    return [["randn", gk, [n], dt] for dt in FLOATS]


def fam_normal(n, gk):
    ops = [["normal", gk, [n], *MEANSTD[0], dt] for dt in FLOATS]
    if n in SUB or n == BIG:
        ops += [["normal", gk, [n], m, s, dt] for m, s in MEANSTD[1:] for dt in FLOATS]
    return ops


def fam_normal_t(n, gk):
    if n == 0:
        return []
    r, c = shape2(n)
    ops = [["normal_t", gk, r, c, dt] for dt in ("float32", "float64")]
    if n in SUB or n == BIG:
        ops += [["normal_t", gk, c, r, "float32"], ["normal_t", gk, r, c, "float16"]]
    return ops


def fam_exponential(n, gk):
    ops = [["exponential", gk, [n], 1.0, dt] for dt in FLOATS]
    if n in SUB or n == BIG:
        ops += [["exponential", gk, [n], lam, dt] for lam in (2.5, 0.1)
                for dt in ("float32", "float64")]
    return ops


def fam_randint(n, gk):
    ops = [["randint", gk, *RANDINT[dt][0], [n], dt] for dt in RANDINT]
    if n in SUB or n == BIG:
        ops += [["randint", gk, lo, hi, [n], dt] for dt in RANDINT for lo, hi in RANDINT[dt][1:]]
    return ops


def fam_random(n, gk):
    ops = [["random", gk, [n], dt, None, None] for dt in INTS + FLOATS]
    if n in SUB or n == BIG:
        ops += [["random", gk, [n], dt, frm, to] for dt, frm, to in RANDOM_BOUNDED]
    return ops


def fam_randperm(n, gk):
    ops = [["randperm", gk, n, "int64"]]
    if n in SUB or n in (0, 100, BIG):
        ops += [["randperm", gk, n, dt] for dt, top in PERM_MAX.items()
                if dt != "int64" and n <= top]
    return ops


def fam_bernoulli(n, gk):
    ops = [["bernoulli_t", gk, spec("u", n, "float32"), "float32"],
           ["bernoulli_t", gk, spec("u", n, "float64"), "float64"],
           ["bernoulli_s", gk, [n], 0.3, "float32"],
           ["bernoulli_s", gk, [n], 0.3, "float64"]]
    if n in SUB or n == BIG:
        ops += [["bernoulli_t", gk, spec("u", n, pd), dt]
                for pd, dt in (("float32", "float64"), ("float64", "float32"),
                               ("float32", "int64"), ("float64", "bool"),
                               ("float16", "float16"), ("float32", "uint8"))]
        ops += [["bernoulli_p", gk, spec("u", n, pd, 11)] for pd in FLOATS]
        ops += [["bernoulli_s", gk, [n], p, dt] for p, dt in
                ((0.5, "float16"), (0.7, "int64"), (0.0, "float32"), (1.0, "float64"),
                 (0.25, "bool"), (1e-9, "float32"))]
    return ops


def fam_multinomial(n, gk):
    if n == 0:
        return []
    ops = [["multinomial", gk, spec("u", n, "float32"), 1, False],
           ["multinomial", gk, spec("w", n, "float32"), min(n, 3), False],
           ["multinomial", gk, spec("w", n, "float32"), min(n, 20), True]]
    if n in SUB or n in (BIG, 100):
        ops += [["multinomial", gk, spec("w", n, "float64"), 1, True],
                ["multinomial", gk, spec("u", n, "float64"), n if n <= 1000 else 50, False],
                ["multinomial", gk, spec("w", n, "float64"), max(n, 7), True],
                ["multinomial", gk, spec("z", n, "float32"), 2 * n, True],
                ["multinomial", gk, spec("u", n, "float16"), min(n, 4), False]]
        if n <= 1000:  # zero weights: equal keys, in the order libstdc++'s sorts leave them
            ops += [["multinomial", gk, spec("z", n, "float32"), n, False],
                    ["multinomial", gk, spec("z", [3, n], "float64"), max(1, n - 1), False],
                    ["multinomial", gk, spec("z", n, "float16"), (n + 1) // 2, False]]
            ops += [["multinomial", gk, spec("w", [4, n], "float32"), 9, True],
                    ["multinomial", gk, spec("u", [3, n], "float32"), min(n, 4), False],
                    ["multinomial", gk, spec("w", [2, n], "float64"), 1, False]]
    return ops


def fam_torch_normal(n, gk):
    ops = [["torch_normal", gk, "ff", 2.0, 3.0, n, "float32"],
           ["torch_normal", gk, "tt", spec("n", n, "float32"), spec("s", n, "float32"),
            n, "float32"]]
    if n in SUB or n == BIG:
        ops += [["torch_normal", gk, "ff", -1.0, 0.5, n, "float64"],
                ["torch_normal", gk, "tt", spec("n", n, "float64"), spec("s", n, "float64"),
                 n, "float64"],
                ["torch_normal", gk, "tf", spec("n", n, "float32"), 0.7, n, "float32"],
                ["torch_normal", gk, "ft", 1.5, spec("s", n, "float32"), n, "float32"],
                ["torch_normal", gk, "tf", spec("n", n, "float64"), 2.0, n, "float64"],
                ["torch_normal", gk, "ft", -3.0, spec("s", n, "float64"), n, "float64"],
                ["torch_normal", gk, "tt", spec("n", n, "float16"), spec("s", n, "float16"),
                 n, "float16"],
                ["torch_normal", gk, "tf", spec("n", n, "float16"), 0.3, n, "float16"]]
    return ops


def fam_dropout(n, gk):
    if gk != "d":  # dropout has no generator argument
        return []
    ops = [["dropout", "d", "F", spec("n", n, "float32"), 0.5],
           ["dropout", "d", "F", spec("n", n, "float64"), 0.5]]
    if n in SUB or n == BIG:
        ops += [["dropout", "d", "F", spec("n", n, dt), p] for p in (0.1, 0.3, 0.0, 1.0)
                for dt in FLOATS]
        ops += [["dropout", "d", "module", spec("n", n, "float32"), 0.2]]
        if n <= 1000:
            ops += [["dropout", "d", "2d", spec("n", [2, n, 3, 2], "float32"), 0.4],
                    ["dropout", "d", "1d", spec("n", [3, n, 5], "float64"), 0.6]]
    return ops


INIT_VARIANTS = (
    ("uniform_", {}), ("uniform_", {"a": -0.5, "b": 2.0}),
    ("normal_", {}), ("normal_", {"mean": 0.3, "std": 2.0}),
    ("xavier_uniform_", {}), ("xavier_uniform_", {"gain": 1.4}),
    ("xavier_normal_", {}), ("xavier_normal_", {"gain": 0.5}),
    ("kaiming_uniform_", {}), ("kaiming_uniform_", {"a": math.sqrt(5)}),
    ("kaiming_uniform_", {"mode": "fan_out", "nonlinearity": "relu"}),
    ("kaiming_normal_", {}), ("kaiming_normal_", {"mode": "fan_out", "nonlinearity": "tanh"}),
    ("trunc_normal_", {}), ("trunc_normal_", {"mean": 0.5, "std": 0.3, "a": 0.0, "b": 1.0}),
    ("trunc_normal_", {"mean": 0.0, "std": 1.0, "a": 1.5, "b": 3.0}),
    ("sparse_", {"sparsity": 0.3}), ("sparse_", {"sparsity": 0.9, "std": 0.5}),
    ("orthogonal_", {}), ("orthogonal_", {"gain": 2.0}),
)


def fam_init(n, gk):
    if n == 0:
        return []
    r, c = shape2(n)
    ops = []
    for fn, kwargs in INIT_VARIANTS:
        primary = kwargs == {} or fn in ("sparse_", "trunc_normal_")
        if primary or n in SUB:
            ops.append(["init", gk, fn, [r, c], "float32", kwargs])
        if n in SUB or n == BIG:
            ops.append(["init", gk, fn, [c, r], "float64", kwargs])
    if n in SUB and n > 1:
        for fn in ("xavier_uniform_", "kaiming_normal_", "normal_"):
            ops.append(["init", gk, fn, [2, n, 3], "float32", {}])
            ops.append(["init", gk, fn, [n, 1, 2, 2], "float32", {}])
    return ops


def fam_layers(n, gk):
    if gk != "d" or n == 0:
        return []
    r, c = shape2(n)
    ops = [["layer", "d", "Linear", [c, r], {}],
           ["layer", "d", "Embedding", [r, c], {}]]
    if n in SUB:
        ops += [["layer", "d", "Linear", [r, c], {"bias": False}],
                ["layer", "d", "Linear", [c, r], {"dtype": "float64"}],
                ["layer", "d", "Embedding", [c, r], {"padding_idx": 0}],
                ["layer", "d", "Embedding", [r, c], {"dtype": "float64"}],
                ["layer", "d", "Conv1d", [c, r, 3], {}],
                ["layer", "d", "Conv2d", [r, c, [2, 3]], {}],
                ["layer", "d", "Conv2d", [c, r, 1], {"bias": False, "dtype": "float64"}],
                ["layer", "d", "Bilinear", [c, r, 2], {}],
                ["layer", "d", "RNN", [c, r], {}],
                ["layer", "d", "RNN", [r, c, 2], {"nonlinearity": "relu", "bidirectional": True}],
                ["layer", "d", "LSTM", [c, r], {}],
                ["layer", "d", "GRU", [r, c], {"bias": False}],
                ["layer", "d", "RNNCell", [c, r], {}],
                ["layer", "d", "LSTMCell", [r, c], {"dtype": "float64"}],
                ["layer", "d", "GRUCell", [c, r], {}]]
        if r > 1:
            ops.append(["layer", "d", "LSTM", [c, r, 2], {"proj_size": 1}])
    return ops


def fam_data(n, gk):
    if n == 0:
        return []
    ops = [["sampler", gk, n, {}], ["dataloader", gk, n, max(1, n // 3) if n < BIG else 1000]]
    if n in SUB or n == BIG:
        ops += [["sampler", gk, n, {"replacement": True}],
                ["sampler", gk, n, {"replacement": True, "num_samples": 70}],
                ["sampler", gk, n, {"num_samples": 2 * n + 1}],
                ["subset_sampler", gk, n],
                ["weighted_sampler", gk, spec("w", n, "float64"), 12, True],
                ["weighted_sampler", gk, spec("u", n, "float64"), min(n, 5), False],
                ["random_split", gk, n, [n // 2, n - n // 2]]]
        if n >= 10:
            ops.append(["random_split", gk, n, [0.3, 0.3, 0.4]])
    return ops


METHODS = (("normal_", [0.5, 2.0], "float32"), ("normal_", [], "float64"),
           ("uniform_", [-1.0, 2.0], "float32"), ("uniform_", [], "float64"),
           ("random_", [0, 100], "int64"), ("random_", [], "int32"),
           ("random_", [7], "float32"), ("bernoulli_", [0.3], "float32"),
           ("exponential_", [1.5], "float64"))


def fam_methods(n, gk, transposed=False):
    """The Tensor methods and *_like functions through the engine's API."""
    if n not in SUB:
        return []
    shape = shape2(n)
    if transposed and 1 in shape:
        return []
    ops = [["method", gk, m, shape, dt, margs, transposed] for m, margs, dt in METHODS]
    if gk == "d":
        ops += [["like", "d", fn, shape, dt, transposed, None]
                for fn in ("rand_like", "randn_like") for dt in ("float32", "float64")]
        ops += [["like", "d", "bernoulli", shape, "float32", transposed,
                 spec("u", shape, "float32")]]
    return ops


# name: (family, the seeds for sizes up to 1000, the seeds for 10**5)
FAMILIES = {
    "rand": (fam_rand, SEEDS, SEEDS),
    "uniform": (fam_uniform, SEEDS, SEEDS4),
    "randn": (fam_randn, SEEDS, SEEDS4),
    "normal": (fam_normal, SEEDS, SEEDS4),
    "normal noncontiguous": (fam_normal_t, SEEDS, SEEDS4),
    "exponential": (fam_exponential, SEEDS, SEEDS4),
    "randint": (fam_randint, SEEDS, SEEDS),
    "random_": (fam_random, SEEDS, SEEDS),
    "randperm": (fam_randperm, SEEDS, SEEDS4),
    "bernoulli": (fam_bernoulli, SEEDS, SEEDS),
    "multinomial": (fam_multinomial, SEEDS, SEEDS4),
    "torch.normal": (fam_torch_normal, SEEDS, SEEDS4),
    "dropout": (fam_dropout, SEEDS, SEEDS4),
    "nn.init": (fam_init, SEEDS4, SEEDS4),
    "layers": (fam_layers, SEEDS4, []),
    "data": (fam_data, SEEDS, SEEDS4),
}


def build_cases() -> list[dict]:
    cases = []

    def add(label, seed, ops, gseed=None):
        if ops:
            cases.append({"label": label, "seed": seed, "gseed": gseed, "ops": ops})

    for fam, (fn, seeds, big_seeds) in FAMILIES.items():
        for s in seeds:
            add(fam, s, [op for n in SMALL for op in fn(n, "d")])
        for gs in GSEEDS:  # the same stream from a torch.Generator (default: other seed)
            add(f"{fam} Generator", 99, [op for n in SMALL for op in fn(n, "g")], gseed=gs)
        for s in big_seeds:
            add(f"{fam} 1e5", s, fn(BIG, "d"))
        add(f"{fam} 1e5 Generator", 99, fn(BIG, "g"), gseed=GSEEDS[0])
    for s in SEEDS4:  # the Tensor methods through the API
        add("api methods", s, [op for n in SMALL for op in fam_methods(n, "d")])
        add("api methods noncontiguous", s,
            [op for n in SMALL for op in fam_methods(n, "d", transposed=True)])
    for gs in GSEEDS:
        add("api methods Generator", 99, [op for n in SMALL for op in fam_methods(n, "g")],
            gseed=gs)
    big_layers = [["layer", "d", "Linear", [1000, 100], {}],
                  ["layer", "d", "Conv2d", [64, 64, 5], {}],
                  ["layer", "d", "Embedding", [1000, 100], {}],
                  ["layer", "d", "LSTM", [100, 50], {}]]
    for s in SEEDS4[:2]:
        add("layers 1e5", s, big_layers)
        # 10**5 categories, 40% of them zero: partial_sort, and nth_element + sort with ties
        add("multinomial ties 1e5", s, [["multinomial", "d", spec("z", BIG, "float32"), k, False]
                                        for k in (5, 1000, 2000, 70000)])

    for s in SEEDS:
        add("mixed normal cache", s, [["randn", "d", [3], "float32"],
                                      ["rand", "d", [5], "float32"],
                                      ["randn", "d", [20], "float32"],
                                      ["randn", "d", [1], "float64"],
                                      ["randn", "d", [2], "float32"],
                                      ["normal", "d", [5], 1.0, 2.0, "float32"],
                                      ["randn", "d", [16], "float64"],
                                      ["randn", "d", [7], "float64"],
                                      ["uniform", "d", [3], -2.0, 2.0, "float64"],
                                      ["randn", "d", [1], "float32"],
                                      ["normal_t", "d", 4, 5, "float32"],
                                      ["randn", "d", [3], "float16"],
                                      ["init", "d", "normal_", [3, 3], "float32", {}],
                                      ["layer", "d", "Embedding", [5, 3], {}],
                                      ["randn", "d", [33], "float32"],
                                      ["torch_normal", "d", "ff", 0.0, 1.0, 5, "float64"],
                                      ["randn", "d", [1], "float64"]])
        add("generator objects", s,
            [["randn", "g", [5], "float32"], ["randn", "d", [5], "float32"],
             ["rand", "g", [17], "float64"], ["randn", "g", [3], "float64"],
             ["randint", "g", 0, 7, [20], "int64"], ["randperm", "g", 30, "int64"],
             ["seed_check", "g"], ["seed_check", "d"], ["randn", "d", [40], "float32"],
             ["init", "g", "normal_", [3, 1], "float32", {}],
             ["init", "d", "normal_", [3, 1], "float32", {}],
             ["manual_seed", "g", s], ["seed_check", "g"], ["randn", "g", [7], "float64"],
             ["randn", "d", [7], "float64"]],
            gseed=(s * 3 + 1) % 2**63)
        add("state round trip", s,
            [["randn", "d", [3], "float32"], ["get_state", "d"], ["randn", "d", [5], "float32"],
             ["rand", "d", [700], "float32"], ["get_state", "d"], ["set_state", "d", 0],
             ["randn", "d", [5], "float32"], ["set_state", "d", 1],
             ["randn", "d", [17], "float64"],
             ["get_state", "d"], ["seed_check", "d"],
             ["randn", "g", [1], "float64"], ["get_state", "g"], ["rand", "g", [623], "float32"],
             ["get_state", "g"], ["rand", "g", [1], "float32"], ["get_state", "g"],
             ["manual_seed", "d", 5 + 2**32], ["seed_check", "d"], ["get_state", "d"],
             ["rand", "d", [3], "float32"],
             # a state taken from one generator, loaded into the other
             ["set_state", "g", 0], ["seed_check", "g"], ["randn", "g", [5], "float32"],
             ["set_state", "d", 3], ["randn", "d", [1], "float64"], ["get_state", "d"]])
        # states at every interesting position of the 624-word block
        ops = []
        for k in (0, 1, 2, 311, 312, 622, 623, 624, 625, 1247, 1248, 1249):
            ops += [["manual_seed", "d", s], ["rand", "d", [k], "float32"], ["get_state", "d"],
                    ["randn", "d", [1], "float32"], ["get_state", "d"]]
        idx = len([o for o in ops if o[0] == "get_state"])
        ops += [["set_state", "g", i] for i in range(0, idx, 3)] + [["rand", "g", [2], "float64"]]
        add("state positions", s, ops)
    for s in SEEDS4:
        add("seed()", s, [["rand", "d", [3], "float32"], ["randn", "d", [1], "float32"],
                          ["seed", "d"], ["randn", "d", [3], "float32"], ["seed_check", "d"],
                          ["seed", "g"], ["rand", "g", [5], "float64"], ["seed_check", "g"]],
            gseed=s)
    # a fresh torch.Generator() (no manual_seed)
    add("fresh Generator()", 0, [["randn", "g", [n], "float32"] for n in SMALL]
        + [["seed_check", "g"], ["get_state", "g"]])
    add("fresh Generator() other draws", 0,
        [op for n in SUB for op in (["rand", "g", [n], "float64"],
                                    ["randint", "g", 0, 2**30, [n], "int64"],
                                    ["randperm", "g", n, "int64"])])
    for n in range(1, 21):  # every size 1..20 in one stream, both dtypes
        add(f"sizes 1-20 n={n}", n, [["randn", "d", [n], "float32"],
                                     ["randn", "d", [n], "float64"],
                                     ["rand", "d", [n], "float32"],
                                     ["normal", "d", [n], 0.25, 1.5, "float32"],
                                     ["randn", "d", [n, 3], "float32"]])
    return cases


def main() -> None:
    import torch

    out = Path(sys.argv[1]) if len(sys.argv) > 1 else OUT
    assert torch.__version__.startswith("2.13"), torch.__version__
    torch.set_num_threads(1)
    # random_(0, 2**25 + 3) on float32 is a case on purpose; init on zero sizes, dropout2d
    warnings.filterwarnings("ignore")
    cases = [run_case(c) for c in build_cases()]
    # torch's raw state bytes with a pending cached normal, and what follows it
    torch.manual_seed(0)
    torch.randn(3)
    raw_state = torch.get_rng_state().numpy().tobytes().hex()
    after = [enc(torch.randn(20).numpy()), enc(torch.randn(1, dtype=torch.float64).numpy())]
    data = {
        "torch": torch.__version__,
        "raw_state": {"hex": raw_state, "after": after},
        "cpu_capability": torch.backends.cpu.get_cpu_capability(),
        "cases": cases,
    }
    out.write_text(json.dumps(data, separators=(",", ":")) + "\n")
    nops = sum(len(c["ops"]) for c in cases)
    print(f"wrote {len(cases)} cases, {nops} operations to {out} "
          f"({out.stat().st_size // 1024} KiB)")


if __name__ == "__main__":
    main()

"""Record torch.einsum's results for tests/engine/test_einsum.py: run with a Python that
has torch 2.13 (and no opt_einsum, so that torch contracts left to right).

    python tools/gen_einsum_fixtures.py            # writes tests/engine/fixtures/einsum.json
    python tools/gen_einsum_fixtures.py --random 2000 --seed 5 --out /tmp/fuzz.json

Each case: the equation (or sublist-form arguments), the operands (data, dtype, and a
permutation when the operand is a permuted view of a leaf), and torch's result: value,
shape, dtype, repr, the grad_fn chain as nested [name, [children]] lists, and every
operand's gradient after backward() with a fixed non-uniform upstream gradient; or, when
torch refuses the call, the exception's type and message.
"""

from __future__ import annotations

import argparse
import json
import os
import random

HERE = os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))),
                    "tests", "engine", "fixtures")

# (equation, operand shapes); every operand float32 and requiring grad unless a third
# item gives dtypes ("f" float32, "d" float64, "h" float16, "l" int64, "i" int32, "b" bool)
EQUATIONS = [
    ("ij,jk->ik", [(2, 3), (3, 4)]),
    ("ij,jk", [(2, 3), (3, 4)]),
    ("ij->ji", [(2, 3)]),
    ("ij->ij", [(2, 3)]),
    ("ij", [(2, 3)]),
    ("ji", [(2, 3)]),
    ("ii->i", [(3, 3)]),
    ("ii", [(3, 3)]),
    ("iij->ji", [(3, 3, 2)]),
    ("jii,ji->j", [(4, 3, 3), (4, 3)]),
    ("iji->j", [(2, 3, 2)]),
    ("ij->j", [(2, 3)]),
    ("ij->i", [(2, 3)]),
    ("ij->", [(2, 3)]),
    ("i,j->ij", [(2,), (3,)]),
    ("i,j", [(2,), (3,)]),
    ("i,i->", [(4,), (4,)]),
    ("i,i", [(4,), (4,)]),
    ("i,i->i", [(4,), (4,)]),
    ("ij,ij->i", [(3, 4), (3, 4)]),
    ("ij,ij->ij", [(3, 4), (3, 4)]),
    ("ij,j->i", [(3, 4), (4,)]),
    ("i,ij->j", [(3,), (3, 4)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)]),
    ("bij,bkj->bik", [(2, 3, 4), (2, 5, 4)]),
    ("...ij,...jk", [(2, 3, 4), (2, 4, 5)]),
    ("...ij,...jk->...ik", [(2, 1, 3, 4), (5, 4, 2)]),
    ("...ij->...ji", [(2, 3, 4, 5)]),
    ("...ii->...i", [(2, 3, 3)]),
    ("i...->...", [(3, 2, 4)]),
    ("...i,...i->...", [(2, 3), (3,)]),
    ("b...,b...", [(2, 3), (2, 3)]),
    ("ab...,b->...a", [(2, 3, 4, 5), (3,)]),
    ("...", [(2, 3)]),
    ("", [()]),
    ("->", [()]),
    (",->", [(), ()]),
    ("i,->i", [(3,), ()]),
    ("ij,jk,kl->il", [(2, 3), (3, 4), (4, 5)]),
    ("ij,jk,kl", [(2, 3), (3, 4), (4, 5)]),
    ("bn,anm,bm->ba", [(2, 5), (3, 5, 4), (2, 4)]),
    ("i,j,k->ijk", [(2,), (3,), (2,)]),
    ("i,j,ij->", [(2,), (3,), (2, 3)]),
    ("ij,ij,ij->", [(2, 3), (2, 3), (2, 3)]),
    ("ab,bc,cd,de->ae", [(2, 3), (3, 2), (2, 4), (4, 2)]),
    ("ij,kl->ijkl", [(2, 3), (2, 2)]),
    ("ij,kl->", [(2, 3), (2, 2)]),
    ("ijk,ikl->jl", [(2, 3, 4), (2, 4, 3)]),
    ("ij,jk->ki", [(2, 3), (3, 4)]),
    ("aB,Bc->ac", [(2, 3), (3, 2)]),
    ("Ba,aC", [(2, 3), (3, 2)]),
    (" i j , j k -> i k ", [(2, 3), (3, 4)]),
    ("ij,jk->ik", [(2, 1), (3, 4)]),
    ("ij,jk->ik", [(1, 3), (3, 1)]),
    ("ij,jk->ik", [(2, 0), (0, 3)]),
    ("ij,jk->ik", [(2, 3), (3, 4)], "dd"),
    ("i,j->ij", [(3,), (2,)], "fd"),
    ("ij,jk->ik", [(2, 3), (3, 4)], "ll"),
    ("i,i", [(3,), (3,)], "ii"),
    ("ij->j", [(2, 3)], "i"),
    ("i,i->i", [(3,), (3,)], "bb"),
    ("ij,jk->ik", [(2, 3), (3, 4)], "hh"),
    ("ij,jk->ik", [(20, 20), (20, 20)], "ll"),
    ("ij,jk->ik", [(2, 0), (0, 3)], "bb"),
    ("i,i->", [(0,), (0,)], "fd"),
]

# operands that are permuted views of a leaf: (equation, shapes, permutation per operand)
PERMUTED = [
    ("ij,jk->ik", [(2, 3), (3, 4)], [(1, 0), None]),
    ("ij,jk->ik", [(2, 3), (3, 4)], [None, (1, 0)]),
    ("bij,bjk->bik", [(2, 3, 4), (2, 4, 5)], [(2, 0, 1), (1, 2, 0)]),
    ("ijk,jkl->il", [(2, 3, 4), (3, 4, 2)], [(2, 1, 0), None]),
]

# calls torch refuses: (equation, shapes, dtypes or None)
ERRORS = [
    ("ij,jk->ik", [(2, 3)], None),
    ("ij->ik", [(2, 3), (3, 4)], None),
    ("ij", [(2, 3), (3, 4)], None),
    ("ijk", [(2, 3)], None),
    ("i", [(2, 3)], None),
    ("ijkl...", [(2, 3)], None),
    ("ij,jk->ik", [(2, 3), (2, 3)], None),
    ("i1", [(3,)], None),
    ("ij->k", [(2, 3)], None),
    ("ij->ii", [(2, 3)], None),
    ("ij->i1", [(2, 3)], None),
    ("ij->j-", [(2, 3)], None),
    ("i-j", [(2, 3)], None),
    ("ij>j", [(2, 3)], None),
    ("ii", [(3, 2)], None),
    ("i.j", [(2, 3)], None),
    ("i..", [(2, 3)], None),
    ("...i...", [(2, 3)], None),
    ("i->...i.", [(3,)], None),
    ("i->.", [(3,)], None),
    ("...i->......", [(2, 3)], None),
    ("...ij,...jk", [(2, 2, 3), (3, 3, 4)], None),
    ("ij,jk->ik", [(2, 3), (3, 4)], "fd"),
    ("ij,jk->ik", [(2, 3), (3, 4)], "df"),
    ("ij,jk->ik", [(2, 3), (3, 4)], "fl"),
    ("i,i->", [(3,), (3,)], "il"),
    ("i,i->", [(3,), (3,)], "bb"),
    ("i,i->", [(3,), (3,)], "bl"),
    ("i,i->", [(3,), (3,)], "lb"),
    ("ij,jk->ik", [(20, 20), (20, 20)], "fd"),
    ("ij,jk->ik", [(20, 20), (20, 20)], "df"),
    ("ij,jk->ik", [(20, 20), (20, 20)], "hf"),
    ("ij,jk->ik", [(20, 20), (20, 20)], "fh"),
    ("ij,jk->ik", [(20, 20), (20, 20)], "li"),
    ("ij,jk->ik", [(20, 20), (20, 20)], "bl"),
    ("ij,jk->ik", [(20, 20), (20, 20)], "bb"),
    ("ij,jk->ki", [(2, 3), (3, 4)], "fd"),
    ("é,i", [(3,), (3,)], None),
    ("i,i->é", [(3,), (3,)], None),
]

# other calls, as Python source over the operands a (2, 3), b (3, 4), v (3,)
CALLS = [
    "torch.einsum('ij,jk->ik', [a, b])",
    "torch.einsum('ij,jk->ik', (a, b))",
    "torch.einsum('ij,jk', [a], [b])",
    "torch.einsum('ij', [])",
    "torch.einsum('ij', ())",
    "torch.einsum('ij')",
    "torch.einsum(a)",
    "torch.einsum()",
    "torch.einsum(5, a)",
    "torch.einsum(5, [a, 5])",
    "torch.einsum('ij', 5)",
    "torch.einsum('ij', [5])",
    "torch.einsum('ij', None)",
    "torch.einsum('ij,j', a, None)",
    "torch.einsum('ij', a, [0])",
    "torch.einsum(a, [0, 1])",
    "torch.einsum(a, [0, 1], [1])",
    "torch.einsum(a, [0, 1], [1, 0])",
    "torch.einsum(a, [0, 1], b, [1, 2])",
    "torch.einsum(a, [0, 1], b, [1, 2], [0, 2])",
    "torch.einsum(a, [0, 27], b, [27, 51], [51, 0])",
    "torch.einsum(a, [..., 1], v, [1], [...])",
    "torch.einsum(a, (0, 1), b, (1, 2))",
    "torch.einsum(a, [0, 60])",
    "torch.einsum(a, [-1, 1])",
    "torch.einsum(a, [0.5, 1])",
    "torch.einsum(a, [True, 1])",
    "torch.einsum(a, 'ij')",
    "torch.einsum(a, [None, 1])",
    "torch.einsum(a, 5)",
    "torch.einsum(a, [0, 1], 5)",
    "torch.einsum(a, [0, 1], [0], [1])",
]

CODES = {"f": "float32", "d": "float64", "h": "float16", "l": "int64", "i": "int32",
         "b": "bool"}


def chain(fn):
    if fn is None:
        return None
    return [type(fn).__name__, [chain(n) for n, _ in fn.next_functions]]


def _encode(t):
    """A tensor's elements as JSON: floats as repr strings (exact, nan/inf safe)."""
    if t.dtype.is_floating_point:
        return [repr(float(x)) for x in t.detach().double().flatten().tolist()]
    return [int(x) if not isinstance(x, bool) else x for x in t.flatten().tolist()]


def _operand(torch, rng, shape, dtype, perm):
    """A float32-representable operand: data, and a leaf (permuted when perm is given)."""
    n = 1
    for s in shape:
        n *= s
    if dtype == "bool":
        data = [rng.random() < 0.5 for _ in range(n)]
    elif dtype.startswith("int"):
        data = [rng.randint(-3, 3) for _ in range(n)]
    else:
        data = [round(rng.uniform(-2, 2), 3) for _ in range(n)]
    base_shape = shape if perm is None else tuple(shape[p] for p in _inverse(perm))
    leaf = torch.tensor(data, dtype=getattr(torch, dtype)).reshape(base_shape)
    # data are listed in the leaf's own (base) order
    floating = leaf.dtype.is_floating_point
    if floating:
        leaf.requires_grad_(True)
    t = leaf if perm is None else leaf.permute(perm)
    spec = {"data": data, "dtype": dtype, "base_shape": list(base_shape),
            "perm": None if perm is None else list(perm), "requires_grad": floating}
    return spec, leaf, t


def _inverse(perm):
    inv = [0] * len(perm)
    for i, p in enumerate(perm):
        inv[p] = i
    return inv


def _upstream(torch, shape, dtype):
    n = 1
    for s in shape:
        n *= s
    w = torch.linspace(0.5, 1.5, n, dtype=torch.float64) if n > 1 else torch.ones(n)
    return w.reshape(shape).to(dtype)


def run(torch, equation, specs_leaves, call=None):
    """torch's outcome for one call, as a JSON-able dict."""
    specs = [s for s, _, _ in specs_leaves]
    leaves = [leaf for _, leaf, _ in specs_leaves]
    ts = [t for _, _, t in specs_leaves]
    case = {"equation": equation, "operands": specs}
    if call is not None:
        case["call"] = call
    try:
        if call is not None:
            out = eval(call, {"torch": torch, "a": ts[0], "b": ts[1], "v": ts[2]})  # noqa: S307
        else:
            out = torch.einsum(equation, *ts)
    except Exception as e:  # noqa: BLE001 - recording torch's refusal
        case["error"] = {"type": type(e).__name__, "message": str(e).split("\n")[0]}
        return case
    case["shape"] = list(out.shape)
    case["dtype"] = str(out.dtype).removeprefix("torch.")
    case["value"] = _encode(out)
    case["repr"] = repr(out)
    case["chain"] = chain(out.grad_fn)
    if out.requires_grad:
        out.backward(_upstream(torch, out.shape, out.dtype))
        case["grads"] = [None if leaf.grad is None else _encode(leaf.grad) for leaf in leaves]
    return case


def curated(torch) -> list:
    rng = random.Random(0)
    cases = []
    for item in EQUATIONS:
        eq, shapes = item[0], item[1]
        codes = item[2] if len(item) > 2 else "f" * len(shapes)
        ops = [_operand(torch, rng, s, CODES[c], None) for s, c in zip(shapes, codes)]
        cases.append(run(torch, eq, ops))
    for eq, shapes, perms in PERMUTED:
        ops = [_operand(torch, rng, s, "float32", p) for s, p in zip(shapes, perms)]
        cases.append(run(torch, eq, ops))
    for eq, shapes, codes in ERRORS:
        codes = codes or "f" * len(shapes)
        ops = [_operand(torch, rng, s, CODES[c], None) for s, c in zip(shapes, codes)]
        cases.append(run(torch, eq, ops))
    for call in CALLS:
        ops = [_operand(torch, rng, s, "float32", None) for s in [(2, 3), (3, 4), (3,)]]
        cases.append(run(torch, None, ops, call))
    return cases


def random_case(torch, rng) -> dict:
    """A random valid equation: 1-4 operands, repeated labels, size-1 (broadcast) dims,
    ellipses, implicit or explicit output, now and then a permuted operand."""
    pool = "abcdeAB"
    size = {c: rng.choice([1, 2, 3, 2, 3, 4]) for c in pool}
    ell = [rng.choice([1, 2, 3]) for _ in range(rng.choice([0, 0, 1, 2]))]
    n_ops = rng.choice([1, 1, 2, 2, 2, 3, 3, 4])
    terms, shapes, used = [], [], []
    any_ellipsis = False
    for _ in range(n_ops):
        labels = [rng.choice(pool) for _ in range(rng.choice([0, 1, 2, 2, 3, 3, 4]))]
        used += labels
        shape = []
        own = {}
        for c in labels:
            if c not in own:
                own[c] = size[c] if rng.random() < 0.85 else 1
            shape.append(own[c])
        term = "".join(labels)
        if ell and rng.random() < 0.6:
            k = rng.randint(0, len(ell))
            ell_shape = [s if rng.random() < 0.8 else 1 for s in ell[len(ell) - k:]]
            at = rng.randint(0, len(labels))
            term = "".join(labels[:at]) + "..." + "".join(labels[at:])
            shape = shape[:at] + ell_shape + shape[at:]
            any_ellipsis = True
        terms.append(term)
        shapes.append(tuple(shape))
    equation = ",".join(terms)
    if rng.random() < 0.6:
        distinct = sorted(set(used))
        out = rng.sample(distinct, rng.randint(0, len(distinct)))
        rhs = "".join(out)
        if any_ellipsis and rng.random() < 0.7:
            at = rng.randint(0, len(out))
            rhs = "".join(out[:at]) + "..." + "".join(out[at:])
        equation += "->" + rhs
    ops = []
    for s in shapes:
        perm = None
        if len(s) >= 2 and rng.random() < 0.2:
            perm = list(range(len(s)))
            rng.shuffle(perm)
            perm = tuple(perm)
        ops.append(_operand(torch, rng, s, "float32", perm))
    return run(torch, equation, ops)


def main(out=None, n_random=120, seed=1) -> None:
    import torch

    assert not torch.backends.opt_einsum.is_available(), "record without opt_einsum"
    rng = random.Random(seed)
    doc = {"torch": torch.__version__, "curated": curated(torch),
           "random": [random_case(torch, rng) for _ in range(n_random)]}
    path = out or os.path.join(HERE, "einsum.json")
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(doc, fh, indent=None, separators=(",", ":"))
        fh.write("\n")


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--random", type=int, default=120)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--out")
    args = parser.parse_args()
    main(args.out, args.random, args.seed)

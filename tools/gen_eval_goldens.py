#!/usr/bin/env python3
"""Record what PyTorch 2.13 computes for `adcli eval` cases: tests/fixtures/eval_goldens.json.

Each case is an expression, its -b bindings (floating inputs require grad, as in
`adcli eval`) and an optional --vjp vector. Torch evaluates the same expression (`^` is
`**`) and the golden keeps value, shape, dtype, grad_fn and grads in the JSON form of
SPEC §2. Needs torch:  python tools/gen_eval_goldens.py [--check]
"""

from __future__ import annotations

import json
import math
import os
import sys

import torch

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "eval_goldens.json")

CASES = [
    ("mean(3*(x+2)^2)", [("x", "ones(2,2)")], None),
    ("(1/2) * sum(5 * (x + 1) ^ 2)", [("x", "ones(2)")], None),
    ("x * 512", [("x", "[1.3043, -2.0869, -0.6267]")], "[0.1, 1.0, 0.0001]"),
    ("sum(x * y)", [("x", "[[1., 2.], [3., 4.]]"), ("y", "[[0.5, -1.], [2., 0.25]]")], None),
    ("norm(x)", [("x", "[3., 4.]")], None),
    ("sum(sin(x)^2)", [("x", "linspace(-1, 1, 5)")], None),
    ("mean(exp(x) / sum(exp(x)))", [("x", "[0.1, 0.2, 0.7]")], None),
    ("sum(softmax(x, dim=0) * w)", [("x", "[1., 2., 3.]"), ("w", "[1., 0., -1.]")], None),
    ("x @ w", [("x", "[[1., 2.], [3., 4.]]"), ("w", "[0.5, -0.5]")], "[1., 1.]"),
    ("sum(relu(x - 1))", [("x", "[0., 1., 2., 3.]")], None),
    ("max(x)", [("x", "[1., 5., 5., 2.]")], None),
    ("sum(abs(x))", [("x", "[-1., 0., 2.]")], None),
    ("logsumexp(x, 0)", [("x", "[1., 2., 3.]")], None),
    ("sum(sqrt(x) + log(x))", [("x", "[1., 4., 9.]")], None),
    ("mean(sigmoid(x) * tanh(x))", [("x", "[-2., 0., 2.]")], None),
    ("sum(x[0] * x[1])", [("x", "[[1., 2.], [3., 4.]]")], None),
    ("sum(x.t() @ x)", [("x", "[[1., 2.], [3., 4.]]")], None),
    ("var(x)", [("x", "[1., 2., 4.]")], None),
    ("sum(x * k)", [("x", "[1., 2.]"), ("k", "[3, 4]")], None),
    ("sum(x ** 3)", [("x", "[1., 2.]")], None),
]


def _plain(v):
    if isinstance(v, float) and not math.isfinite(v):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf")
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return v


def run(expr, bindings, vjp):
    ns = {n: getattr(torch, n) for n in dir(torch) if not n.startswith("_")}
    ns.update(sum=torch.sum, abs=torch.abs, max=torch.max, min=torch.min, torch=torch)
    inputs = {}
    for name, text in bindings:
        value = eval(text.replace("^", "**"), ns)  # noqa: S307 - our own fixed cases
        if not isinstance(value, torch.Tensor):
            value = torch.tensor(value)
        if value.is_floating_point():
            value.requires_grad_(True)
        ns[name] = inputs[name] = value
    y = eval(expr.replace("^", "**"), ns)  # noqa: S307
    if y.requires_grad:
        if vjp is not None:
            y.backward(torch.tensor(eval(vjp, ns), dtype=y.dtype))  # noqa: S307
        elif y.numel() == 1:
            y.backward()
    return {
        "expr": expr, "bindings": bindings, "vjp": vjp,
        "json": {
            "expr": expr, "value": _plain(y.detach().tolist()), "shape": list(y.shape),
            "dtype": str(y.dtype).replace("torch.", ""),
            "grad_fn": y.grad_fn.name() if y.grad_fn is not None else None,
            "grads": {n: (_plain(t.grad.tolist()) if t.grad is not None else None)
                      for n, t in inputs.items()},
        },
    }


def main() -> int:
    text = json.dumps([run(*case) for case in CASES], indent=1) + "\n"
    if "--check" in sys.argv:
        with open(OUT, encoding="utf-8") as fh:
            same = fh.read() == text
        print("eval goldens are current" if same else "eval goldens differ: regenerate them")
        return 0 if same else 1
    with open(OUT, "w", encoding="utf-8") as fh:
        fh.write(text)
    print(f"wrote {OUT} ({len(CASES)} cases)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

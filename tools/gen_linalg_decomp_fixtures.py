"""Record torch's decompositions (svd, eigh, qr, cholesky, slogdet, matrix_rank,
matrix_power, multi_dot, cov, corrcoef) for tests/engine/test_linalg_decomp.py.

Run with a real torch: /work/torchenv/bin/python tools/gen_linalg_decomp_fixtures.py
Each case stores its inputs explicitly, the outputs, each output's grad_fn name, the
gradient of a loss that does not depend on the signs of singular vectors / eigenvectors,
or the error's type and message.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import torch

OUT = (Path(__file__).resolve().parent.parent / "tests" / "engine" / "fixtures"
       / "linalg_decomp.json")
rng = np.random.default_rng(1234)


def weights(shape) -> np.ndarray:
    """Fixed weights for a loss (the test computes the same)."""
    n = int(np.prod(shape)) if len(shape) else 1
    return np.cos(0.7 * np.arange(n) + 0.3).reshape(shape)


def rand(*shape):
    return rng.standard_normal(shape)


def spd(*shape):
    b = rng.standard_normal(shape)
    n = shape[-1]
    return b @ np.swapaxes(b, -1, -2) + n * np.eye(n)


def sym(*shape):
    b = rng.standard_normal(shape)
    return b + np.swapaxes(b, -1, -2)


# loss name -> f(outputs) built from sign-invariant pieces: S, U*U, V*V, U diag(S) Vh, ...
def _w(t):
    return torch.as_tensor(weights(tuple(t.shape)), dtype=t.dtype)


def loss_fn(name):
    def sq(t):
        return ((t * t) * _w(t)).sum()

    def lin(t):
        return (t * _w(t)).sum()

    def svd_k(r):
        k = r[1].shape[-1]
        return r[0][..., :, :k], r[1], r[2][..., :k, :]

    table = {
        "S": lambda r: lin(r[1]),
        "U2": lambda r: sq(svd_k(r)[0]),
        "Vh2": lambda r: sq(svd_k(r)[2]),
        "USVh": lambda r: lin((svd_k(r)[0] * r[1].unsqueeze(-2)) @ svd_k(r)[2]),
        "all_svd": lambda r: lin(r[1]) + sq(svd_k(r)[0]) + sq(svd_k(r)[2]),
        "V2": lambda r: sq(r[2]),
        "L": lambda r: lin(r[0]),
        "Vec2": lambda r: sq(r[1]),
        "eigh_all": lambda r: lin(r[0]) + sq(r[1]),
        "Q2": lambda r: sq(r[0]),
        "R2": lambda r: sq(r[1]),
        "QR": lambda r: lin(r[0] @ r[1]),
        "qr_all": lambda r: sq(r[0]) + sq(r[1]),
        "out": lambda r: lin(r),
        "logabs": lambda r: lin(r[1]),
        "sign": lambda r: lin(r[0]),
    }
    return table[name]


def call(fn, inputs, kwargs):
    t = torch
    table = {
        "linalg.svd": lambda a: t.linalg.svd(a, **kwargs),
        "linalg.svdvals": lambda a: t.linalg.svdvals(a, **kwargs),
        "svd": lambda a: t.svd(a, **kwargs),
        "linalg.eigh": lambda a: t.linalg.eigh(a, **kwargs),
        "linalg.eigvalsh": lambda a: t.linalg.eigvalsh(a, **kwargs),
        "linalg.qr": lambda a: t.linalg.qr(a, **kwargs),
        "qr": lambda a: t.qr(a, **kwargs),
        "linalg.cholesky": lambda a: t.linalg.cholesky(a, **kwargs),
        "cholesky": lambda a: t.cholesky(a, **kwargs),
        "linalg.slogdet": lambda a: t.linalg.slogdet(a, **kwargs),
        "slogdet": lambda a: t.slogdet(a, **kwargs),
        "linalg.matrix_rank": lambda a: t.linalg.matrix_rank(a, **kwargs),
        "linalg.matrix_power": lambda a: t.linalg.matrix_power(a, **kwargs),
        "linalg.multi_dot": lambda *xs: t.linalg.multi_dot(list(xs), **kwargs),
        "cov": lambda a, *w: t.cov(a, **kwargs),
        "corrcoef": lambda a: t.corrcoef(a, **kwargs),
    }
    return table[fn](*inputs)


CASES = []


def case(fn, inputs, dtype="float64", kwargs=None, loss=None, grad=True):
    CASES.append({"fn": fn, "inputs": [np.asarray(x).tolist() for x in inputs],
                  "dtype": dtype, "kwargs": kwargs or {}, "loss": loss, "grad": grad})


for dtype in ("float64", "float32"):
    for shape in ((4, 3), (3, 5), (4, 4), (2, 3, 2)):
        a = rand(*shape)
        for full in (True, False):
            for loss in ("S", "all_svd", "USVh"):
                case("linalg.svd", [a], dtype, {"full_matrices": full}, loss)
        case("linalg.svdvals", [a], dtype, {}, "out")
        case("svd", [a], dtype, {}, "all_svd")
        case("svd", [a], dtype, {"some": False}, "S")
        case("svd", [a], dtype, {"compute_uv": False}, "S")
    for shape in ((3, 3), (2, 4, 4)):
        a = sym(*shape)
        for loss in ("L", "Vec2", "eigh_all"):
            case("linalg.eigh", [a], dtype, {}, loss)
        case("linalg.eigh", [a], dtype, {"UPLO": "U"}, "eigh_all")
        case("linalg.eigvalsh", [a], dtype, {"UPLO": "U"}, "out")
    for shape in ((4, 3), (3, 3), (3, 5), (2, 4, 2)):
        a = rand(*shape)
        for loss in ("Q2", "R2", "QR", "qr_all"):
            case("linalg.qr", [a], dtype, {}, loss)
        case("linalg.qr", [a], dtype, {"mode": "complete"}, "qr_all")
        case("linalg.qr", [a], dtype, {"mode": "r"}, None, grad=False)
        case("qr", [a], dtype, {}, "QR")
    for shape in ((3, 3), (2, 4, 4)):
        a = spd(*shape)
        case("linalg.cholesky", [a], dtype, {}, "out")
        case("linalg.cholesky", [a], dtype, {"upper": True}, "out")
        case("cholesky", [a], dtype, {}, "out")
        case("cholesky", [a], dtype, {"upper": True}, "out")
        b = rand(*shape)
        case("linalg.slogdet", [b], dtype, {}, "logabs")
        case("slogdet", [b], dtype, {}, "logabs")
        case("linalg.slogdet", [b], dtype, {}, "sign")
        for n in (0, 1, 2, 3, 4, 5, 7, -1, -2, -3):
            case("linalg.matrix_power", [spd(*shape)], dtype, {"n": n}, "out")
    for a in (rand(4, 3), np.outer(rand(4), rand(3)), np.zeros((3, 3)), rand(2, 3, 3)):
        case("linalg.matrix_rank", [a], dtype, {}, None, grad=False)
        case("linalg.matrix_rank", [a], dtype, {"hermitian": True} if a.shape[-1] == a.shape[-2]
             else {"atol": 0.5}, None, grad=False)
    case("linalg.matrix_rank", [rand(4, 3)], dtype, {"rtol": 0.3}, None, grad=False)
    for shapes in (((2, 3), (3, 4)), ((2, 3), (3, 4), (4, 2)), ((5, 2), (2, 6), (6, 3)),
                   ((3,), (3, 4), (4, 2)), ((3,), (3, 4), (4, 2), (2,)),
                   ((2, 3), (3, 5), (5, 1), (1, 4), (4, 2))):
        case("linalg.multi_dot", [rand(*s) for s in shapes], dtype, {}, "out")
    for a in (rand(3, 5), rand(5), rand(1, 4)):
        case("cov", [a], dtype, {}, "out")
        case("cov", [a], dtype, {"correction": 0}, "out")
        case("corrcoef", [a], dtype, {}, "out")

# errors
bad = [
    ("linalg.cholesky", [[[1.0, 2.0], [2.0, 1.0]]], {}),
    ("linalg.cholesky", [[[[1.0, 0.0], [0.0, 1.0]], [[1.0, 2.0], [2.0, 1.0]]]], {}),
    ("linalg.cholesky", [[[1.0, 2.0], [2.0, 1.0]]], {"upper": True}),
    ("linalg.cholesky", [[[4.0, 2.0, 1.0], [2.0, 1.0, 0.0], [1.0, 0.0, 3.0]]], {}),
    ("cholesky", [[[1.0, 2.0], [2.0, 1.0]]], {}),
    ("linalg.cholesky", [np.ones((2, 3))], {}),
    ("linalg.cholesky", [np.ones(3)], {}),
    ("linalg.svd", [np.ones(3)], {}),
    ("linalg.svdvals", [np.ones(3)], {}),
    ("svd", [np.ones(3)], {}),
    ("linalg.svd", [[[1.0, float("nan")], [0.0, 1.0]]], {}),
    ("linalg.eigh", [np.ones((2, 3))], {}),
    ("linalg.eigh", [np.ones(3)], {}),
    ("linalg.eigh", [np.eye(2)], {"UPLO": "X"}),
    ("linalg.qr", [np.ones(3)], {}),
    ("linalg.qr", [np.ones((2, 2))], {"mode": "x"}),
    ("linalg.slogdet", [np.ones((2, 3))], {}),
    ("linalg.slogdet", [np.ones(3)], {}),
    ("linalg.matrix_rank", [np.ones(3)], {}),
    ("linalg.matrix_power", [np.ones((2, 3))], {"n": 2}),
    ("linalg.matrix_power", [np.ones(3)], {"n": 2}),
    ("linalg.multi_dot", [np.ones((2, 2))], {}),
    ("linalg.multi_dot", [np.ones((2, 2, 2)), np.ones((2, 2))], {}),
    ("linalg.multi_dot", [np.ones((2, 2)), np.ones((2, 2, 2))], {}),
    ("linalg.multi_dot", [np.ones((2, 3)), np.ones((2, 2))], {}),
    ("linalg.multi_dot", [np.ones((2, 3)), np.ones(3), np.ones((3, 2))], {}),
    ("cov", [np.ones((2, 2, 2))], {}),
    ("corrcoef", [np.ones((2, 2, 2))], {}),
]
for fn, inputs, kwargs in bad:
    CASES.append({"fn": fn, "inputs": [np.asarray(x).tolist() for x in inputs],
                  "dtype": "float64", "kwargs": kwargs, "loss": None, "grad": False})
# integer inputs
for fn in ("linalg.svd", "linalg.qr", "linalg.cholesky", "linalg.slogdet", "linalg.matrix_rank"):
    CASES.append({"fn": fn, "inputs": [[[1, 0], [0, 1]]], "dtype": "int64", "kwargs": {},
                  "loss": None, "grad": False})
# backward errors
for kwargs, shape in (({"mode": "r"}, (4, 3)), ({"mode": "complete"}, (4, 3))):
    CASES.append({"fn": "linalg.qr", "inputs": [rand(*shape).tolist()], "dtype": "float64",
                  "kwargs": kwargs, "loss": "R2" if kwargs["mode"] == "r" else "Q2",
                  "grad": True})


def run(c):
    dtype = getattr(torch, c["dtype"])
    inputs = [torch.tensor(x, dtype=dtype) for x in c["inputs"]]
    for x in inputs:
        if dtype.is_floating_point and c["grad"]:
            x.requires_grad_(True)
    out = {}
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        try:
            r = call(c["fn"], inputs, c["kwargs"])
        except Exception as e:  # noqa: BLE001 - recorded
            out["error"] = [type(e).__name__, str(e).split("\n")[0]]
            return out
        items = list(r) if isinstance(r, tuple) else [r]
        out["type"] = type(r).__name__ if isinstance(r, tuple) else None
        out["outputs"] = [t.detach().tolist() for t in items]
        out["dtypes"] = [str(t.dtype) for t in items]
        out["shapes"] = [list(t.shape) for t in items]
        out["grad_fns"] = [None if t.grad_fn is None else t.grad_fn.name() for t in items]
        if c["loss"] is not None:
            try:
                loss_fn(c["loss"])(r).backward()
                out["grads"] = [None if x.grad is None else x.grad.tolist() for x in inputs]
            except Exception as e:  # noqa: BLE001 - recorded
                out["backward_error"] = [type(e).__name__, str(e).split("\n")[0]]
    return out


for c in CASES:
    c.update(run(c))
OUT.write_text(json.dumps({"torch": torch.__version__, "cases": CASES}, allow_nan=True) + "\n")
print(f"{len(CASES)} cases -> {OUT}")

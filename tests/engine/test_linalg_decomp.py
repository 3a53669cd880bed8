"""The decompositions (svd, eigh, qr, cholesky, slogdet) and their companions
(matrix_rank, matrix_power, multi_dot, cov, corrcoef) against torch 2.13's recorded
values (tests/engine/fixtures/linalg_decomp.json, from tools/gen_linalg_decomp_fixtures.py):
outputs, return types, grad_fn names, gradients of sign-invariant losses, and errors.
Singular vectors, eigenvectors and Q/R are compared up to the sign of each vector (numpy's
LAPACK and torch's MKL may choose differently); the losses do not depend on those signs.
A hypothesis test checks the gradients against finite differences."""

from __future__ import annotations

import json
import math
import re
from pathlib import Path

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from adcli.engine import api
from adcli.errors import AdcliError, TorchNotImplementedError, TorchRuntimeError

L_ = api.LINALG_FUNCTIONS
FIXTURE = Path(__file__).parent / "fixtures" / "linalg_decomp.json"
CASES = json.loads(FIXTURE.read_text())["cases"]


def weights(shape) -> np.ndarray:
    n = int(np.prod(shape)) if len(shape) else 1
    return np.cos(0.7 * np.arange(n) + 0.3).reshape(shape)


def _w(t):
    return api.tensor(weights(tuple(t.shape)), dtype=t.dtype)


def _sq(t):
    return ((t * t) * _w(t)).sum()


def _lin(t):
    return (t * _w(t)).sum()


def _svd_k(r):
    k = r[1].shape[-1]
    return r[0][..., :, :k], r[1], r[2][..., :k, :]


LOSSES = {
    "S": lambda r: _lin(r[1]),
    "U2": lambda r: _sq(_svd_k(r)[0]),
    "Vh2": lambda r: _sq(_svd_k(r)[2]),
    "USVh": lambda r: _lin((_svd_k(r)[0] * r[1].unsqueeze(-2)) @ _svd_k(r)[2]),
    "all_svd": lambda r: _lin(r[1]) + _sq(_svd_k(r)[0]) + _sq(_svd_k(r)[2]),
    "V2": lambda r: _sq(r[2]),
    "L": lambda r: _lin(r[0]),
    "Vec2": lambda r: _sq(r[1]),
    "eigh_all": lambda r: _lin(r[0]) + _sq(r[1]),
    "Q2": lambda r: _sq(r[0]),
    "R2": lambda r: _sq(r[1]),
    "QR": lambda r: _lin(r[0] @ r[1]),
    "qr_all": lambda r: _sq(r[0]) + _sq(r[1]),
    "out": lambda r: _lin(r),
    "logabs": lambda r: _lin(r[1]),
    "sign": lambda r: _lin(r[0]),
}


def call(fn, inputs, kwargs):
    L = api.LINALG_FUNCTIONS
    if fn.startswith("linalg."):
        f = L[fn[len("linalg."):]]
        if fn == "linalg.multi_dot":
            return f(list(inputs), **kwargs)
        return f(*inputs, **kwargs)
    return getattr(api, fn)(*inputs, **kwargs)


# which outputs hold vectors of free sign, and along which axis a vector runs:
# -2: columns (U, V, eigenvectors, Q), -1: rows (Vh, R)
SIGNED = {
    "linalg.svd": {0: -2, 2: -1}, "svd": {0: -2, 2: -2}, "linalg.eigh": {1: -2},
    "linalg.qr": {0: -2, 1: -1}, "qr": {0: -2, 1: -1},
}


def _signs(t: np.ndarray, axis: int) -> np.ndarray:
    """The sign of each vector's largest entry (vectors along ``axis``)."""
    idx = np.expand_dims(np.abs(t).argmax(axis), axis)
    return np.sign(np.take_along_axis(t, idx, axis))


def _k(c, items) -> int:
    """How many vectors are determined (up to sign): min(m, n) of the input."""
    shape = np.asarray(c["inputs"][0]).shape
    return min(shape[-2:])


def _aligned(got, want, axis, k):
    """``got`` with each of its first k vectors flipped to ``want``'s sign; the further
    vectors (full_matrices / mode='complete': any orthonormal basis of the complement)
    replaced by the projector they span, in both."""
    if axis == -1:
        got, want = np.swapaxes(got, -1, -2), np.swapaxes(want, -1, -2)
    n_vec = got.shape[-1]
    g, w = got[..., :k], want[..., :k]
    g = g * _signs(g, -2) * _signs(w, -2)
    if n_vec > k:
        ge, we = got[..., k:], want[..., k:]
        g = np.concatenate([g.reshape(g.shape[:-2] + (-1,)),
                            (ge @ np.swapaxes(ge, -1, -2)).reshape(g.shape[:-2] + (-1,))], -1)
        w = np.concatenate([w.reshape(w.shape[:-2] + (-1,)),
                            (we @ np.swapaxes(we, -1, -2)).reshape(w.shape[:-2] + (-1,))], -1)
    return g, w


def _tol(dtype):
    return dict(rtol=2e-4, atol=2e-5) if dtype == "float32" else dict(rtol=1e-9, atol=1e-10)


def _ids():
    seen = {}
    for c in CASES:
        key = f"{c['fn']}-{c['dtype']}-{json.dumps(c['kwargs'], sort_keys=True)}-{c['loss']}"
        seen[key] = seen.get(key, -1) + 1
        yield f"{key}-{seen[key]}"


def _inputs(c):
    dtype = getattr(api, c["dtype"])
    xs = [api.tensor(x, dtype=dtype) for x in c["inputs"]]
    if c["grad"] and c["dtype"] != "int64":
        for x in xs:
            x.requires_grad_(True)
    return xs


@pytest.mark.parametrize("c", CASES, ids=list(_ids()))
def test_against_torch(c):
    xs = _inputs(c)
    if "error" in c:
        kind, message = c["error"]
        with pytest.raises(AdcliError) as info:
            call(c["fn"], xs, c["kwargs"])
        assert isinstance(info.value, TorchRuntimeError)  # torch's _LinAlgError is one
        assert str(info.value) == message
        return
    r = call(c["fn"], xs, c["kwargs"])
    items = list(r) if isinstance(r, tuple) else [r]
    assert (type(r).__name__ if isinstance(r, tuple) else None) == c["type"]
    assert [list(t.shape) for t in items] == c["shapes"]
    assert [str(t.dtype) for t in items] == c["dtypes"]
    assert [None if t.grad_fn is None else t.grad_fn.name() for t in items] == c["grad_fns"]
    signed = SIGNED.get(c["fn"], {})
    tol = _tol(c["dtype"])
    for i, (t, want) in enumerate(zip(items, c["outputs"])):
        got, want = t.detach().numpy().astype(np.float64), np.asarray(want, np.float64)
        if i in signed and got.size:
            got, want = _aligned(got, want, signed[i], _k(c, items))
        if c["fn"] == "linalg.slogdet" or c["fn"] == "slogdet":
            np.testing.assert_allclose(got, want, **tol)
        else:
            np.testing.assert_allclose(got, want, **tol, err_msg=f"output {i}")
    if c["loss"] is None:
        return
    loss = LOSSES[c["loss"]](r)
    if "backward_error" in c:
        with pytest.raises(TorchRuntimeError, match="^" + _re(c["backward_error"][1]) + "$"):
            loss.backward()
        return
    loss.backward()
    for x, want in zip(xs, c["grads"]):
        if want is None:
            assert x.grad is None or not x.grad.detach().numpy().any()
        else:
            np.testing.assert_allclose(x.grad.numpy(), np.asarray(want), **tol)


def _re(text):
    return re.escape(text)


def test_lapack_signs_agree_with_torch_mostly():
    """numpy's LAPACK (OpenBLAS) and torch's (MKL) pick the same signs of singular vectors
    and eigenvectors in most recorded cases, not all (74 of 267 vector sets differ: some
    non-square svd and batched eigh); QR's signs agree everywhere. The values and the
    gradients of sign-invariant losses agree regardless (test_against_torch)."""
    differ = total = 0
    for c in CASES:
        if c["fn"] not in SIGNED or "outputs" not in c:
            continue
        r = call(c["fn"], _inputs(c), c["kwargs"])
        for i, axis in SIGNED[c["fn"]].items():
            got = r[i].detach().numpy()
            if not got.size:
                continue
            k = _k(c, None)
            want = np.asarray(c["outputs"][i])
            if axis == -1:
                got, want = np.swapaxes(got, -1, -2), np.swapaxes(want, -1, -2)
            total += 1
            differ += not np.array_equal(_signs(got[..., :k], -2), _signs(want[..., :k], -2))
    assert total and differ <= total // 2, (differ, total)


def test_named_fields_and_language():
    from adcli.lang.interpreter import Session
    from adcli.limits import Limits

    s = Session(limits=Limits(), out=lambda text: None, dialect="py")
    result = s.exec_source(
        "import torch\n"
        "A = torch.tensor([[2.0, 1.0], [1.0, 3.0], [0.5, 0.2]], requires_grad=True)\n"
        "U, S, Vh = torch.linalg.svd(A, full_matrices=False)\n"
        "r = torch.linalg.svd(A)\n"
        "e = torch.linalg.eigh(A.T @ A)\n"
        "q = torch.linalg.qr(A)\n"
        "(r.S.sum() + e.eigenvalues.sum() + (q.Q @ q.R).sum()).backward()\n"
        "(r.U.shape, r.Vh.shape, e.eigenvectors.shape, q.R.shape, A.grad.shape, S.grad_fn)\n")
    assert result[:5] == ((3, 3), (2, 2), (2, 2), (2, 2), (3, 2))
    assert result[5].name() == "LinalgSvdBackward0"


def test_eig_is_refused_clearly():
    with pytest.raises(TorchNotImplementedError, match="complex"):
        api.LINALG_FUNCTIONS["eig"](api.eye(2))
    with pytest.raises(TorchNotImplementedError, match="complex"):
        api.LINALG_FUNCTIONS["eigvals"](api.eye(2))


def test_double_backward_is_refused_clearly():
    from adcli.engine import functional

    a = api.tensor([[2.0, 1.0], [1.0, 3.0]], dtype=api.float64, requires_grad=True)
    for out in (L_["cholesky"](a), L_["svd"](a).U, L_["eigh"](a).eigenvectors,
                L_["qr"](a).Q, L_["slogdet"](a).logabsdet):
        with pytest.raises(TorchNotImplementedError, match="create_graph=True"):
            functional.grad((out * out).sum(), a, create_graph=True)
    # the eigenvalues' and singular values' backward is written with the ops themselves
    (g,) = functional.grad(L_["eigvalsh"](a).sum(), a, create_graph=True)
    assert g.shape == (2, 2)


def test_second_backward_through_freed_graph_raises():
    a = api.tensor([[2.0, 1.0], [1.0, 3.0]], requires_grad=True)
    r = api.LINALG_FUNCTIONS["svd"](a)
    loss = r.S.sum() + (r.U * r.U).sum()
    loss.backward()
    with pytest.raises(TorchRuntimeError, match="backward through the graph a second time"):
        loss.backward()


# ------------------------------------------------------------ finite differences

def _fd_grad(f, a: np.ndarray, eps=1e-6) -> np.ndarray:
    g = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        d = np.zeros_like(a)
        d[i] = eps
        g[i] = (f(a + d) - f(a - d)) / (2 * eps)
    return g


def _value_and_grad(loss_of_tensor, a: np.ndarray):
    x = api.tensor(a, dtype=api.float64, requires_grad=True)
    loss_of_tensor(x).backward()
    return x.grad.numpy()


FUNCTIONS = {
    "svd": (lambda x: LOSSES["all_svd"](L_["svd"](x, full_matrices=False)), None),
    "svd_full": (lambda x: LOSSES["all_svd"](L_["svd"](x)), None),
    "svdvals": (lambda x: _lin(L_["svdvals"](x)), None),
    "eigh": (lambda x: LOSSES["eigh_all"](L_["eigh"](x + x.mT)), "square"),
    "qr": (lambda x: LOSSES["qr_all"](L_["qr"](x)) + LOSSES["QR"](L_["qr"](x)), None),
    "cholesky": (lambda x: _lin(L_["cholesky"](x @ x.mT + 3.0 * api.eye(x.shape[-1],
                                                                         dtype=x.dtype))),
                 "square"),
    "cholesky_upper": (lambda x: _lin(L_["cholesky"](x @ x.mT + 3.0 * api.eye(
        x.shape[-1], dtype=x.dtype), upper=True)), "square"),
    "slogdet": (lambda x: L_["slogdet"](x)[1].sum(), "square"),
    "corrcoef": (lambda x: _lin(api.corrcoef(x)), None),
}


@st.composite
def cases(draw):
    name = draw(st.sampled_from(sorted(FUNCTIONS)))
    m = draw(st.integers(1, 4))
    n = m if FUNCTIONS[name][1] == "square" else draw(st.integers(1, 4))
    batch = draw(st.sampled_from([(), (2,)]))
    seed = draw(st.integers(0, 2**31 - 1))
    a = np.random.default_rng(seed).standard_normal(batch + (m, n))
    return name, a


@settings(max_examples=80, deadline=None, derandomize=True)
@given(cases())
def test_gradients_agree_with_finite_differences(case):
    name, a = case
    f = FUNCTIONS[name][0]
    if name.startswith("svd"):
        s = np.linalg.svd(a, compute_uv=False)
        assume(s.min() > 0.1)
        assume(s.shape[-1] < 2 or np.diff(np.sort(s, -1), axis=-1).min() > 0.1)
    if name == "eigh":
        w = np.linalg.eigvalsh(a + np.swapaxes(a, -1, -2))
        assume(w.shape[-1] < 2 or np.diff(w, axis=-1).min() > 0.1)
    if name == "qr":
        assume(np.abs(np.linalg.svd(a, compute_uv=False)).min() > 0.1)
    if name == "slogdet":
        assume(abs(np.linalg.det(a)).min() > 0.1)
    if name == "corrcoef":
        assume(a.ndim == 2 and a.shape[-1] > 1 and a.std(-1).min() > 0.1)

    def value(arr):
        return float(f(api.tensor(arr, dtype=api.float64)).item())

    want = _fd_grad(value, a)
    got = _value_and_grad(f, a)
    assert np.all(np.isfinite(got))
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_matrix_rank_tolerances():
    a = api.tensor(np.diag([1.0, 1e-3, 1e-17]))
    assert L_["matrix_rank"](a).item() == 2
    assert L_["matrix_rank"](a, atol=1e-2).item() == 1
    assert L_["matrix_rank"](a, rtol=1e-20).item() == 3
    assert L_["matrix_rank"](a, hermitian=True).item() == 2


def test_cov_weights_and_degrees_of_freedom():
    x = api.tensor([[1.0, 2.0, 4.0], [0.5, 0.1, 0.9]], dtype=api.float64)
    fw = api.tensor([1, 2, 1])
    aw = api.tensor([0.5, 1.0, 2.0], dtype=api.float64)
    got = api.cov(x, fweights=fw, aweights=aw).numpy()
    want = np.cov(x.numpy(), fweights=fw.numpy(), aweights=aw.numpy())
    np.testing.assert_allclose(got, want, rtol=1e-12)
    assert math.isnan(api.cov(api.tensor([[1.0], [2.0]]))[0, 0].item())

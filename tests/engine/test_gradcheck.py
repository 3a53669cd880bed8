"""Gradients against central finite differences, in float64, on random shapes.

For every op: the analytic gradient (numpy backward) matches finite differences of the
forward; the gradient built with create_graph=True (the Tensor backward) has the same
values; and for the smooth ops the second derivative, obtained by differentiating that
recorded gradient, matches finite differences of the first derivative.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from adcli.engine import api, functional
from adcli.engine import nn_functional as F
from adcli.engine.tensor import Tensor

EPS = 1e-6
RTOL, ATOL = 1e-4, 1e-6

# domains for random inputs
N, P, U = "n", "p", "u"  # normal, positive (0.5..2), inside (-0.8, 0.8)


def draw(rng, shape, domain):
    if domain == P:
        return rng.uniform(0.5, 2.0, shape)
    if domain == U:
        return rng.uniform(-0.8, 0.8, shape)
    return rng.standard_normal(shape)


# (name, fn, domains, shapes kind, smooth): shapes kind names how input shapes are drawn
#   "any": one tensor of any shape; "mat": one matrix; "bcast": two broadcastable tensors;
#   "same": two tensors of one shape; "mm", "mv", "vv", "bmm", "sq": linear algebra shapes
UNARY = [
    ("exp", lambda a: a.exp(), N, True),
    ("log", lambda a: a.log(), P, True),
    ("log2", lambda a: api.log2(a), P, True),
    ("log10", lambda a: api.log10(a), P, True),
    ("sqrt", lambda a: a.sqrt(), P, True),
    ("rsqrt", lambda a: a.rsqrt(), P, True),
    ("sin", lambda a: a.sin(), N, True),
    ("cos", lambda a: a.cos(), N, True),
    ("tan", lambda a: a.tan(), U, True),
    ("deg2rad", lambda a: a.deg2rad(), N, True),
    ("rad2deg", lambda a: a.rad2deg(), N, True),
    ("asin", lambda a: a.asin(), U, True),
    ("acos", lambda a: a.acos(), U, True),
    ("atan", lambda a: a.atan(), N, True),
    ("sinh", lambda a: a.sinh(), N, True),
    ("cosh", lambda a: a.cosh(), N, True),
    ("tanh", lambda a: a.tanh(), N, True),
    ("sigmoid", lambda a: a.sigmoid(), N, True),
    ("relu", lambda a: a.relu(), N, False),
    ("F.relu", lambda a: F.relu(a), N, False),
    ("softplus", lambda a: F.softplus(a), N, True),
    ("softplus_beta", lambda a: F.softplus(a * 3, beta=2, threshold=4), N, False),
    ("abs", lambda a: a.abs(), N, False),
    ("neg", lambda a: -a, N, True),
    ("reciprocal", lambda a: a.reciprocal(), P, True),
    ("square", lambda a: a.square(), N, True),
    ("pow2", lambda a: a ** 2, N, True),
    ("pow3", lambda a: a ** 3, N, True),
    ("pow_half", lambda a: a ** 0.5, P, True),
    ("pow_neg", lambda a: a ** -1.5, P, True),
    ("rpow", lambda a: 2.5 ** a, N, True),
    ("rsub", lambda a: 2 - a, N, True),
    ("rdiv", lambda a: 3 / a, P, True),
    ("mod", lambda a: a % 0.7, N, False),
    ("clamp", lambda a: a.clamp(-0.5, 0.5), N, False),
    ("clamp_min", lambda a: api.clamp(a, min=0.1), N, False),
    ("sign", lambda a: a.sign() * a, N, False),
    ("floor", lambda a: a.floor() + a, N, False),
    ("ceil", lambda a: a.ceil() * a, N, False),
    ("round", lambda a: a.round() * a, N, False),
    ("exp2", lambda a: a.exp2(), N, True),
    ("expm1", lambda a: a.expm1(), N, True),
    ("erf", lambda a: a.erf(), N, True),
    ("erfc", lambda a: a.erfc(), N, True),
    ("log1p", lambda a: a.log1p(), P, True),
    ("frac", lambda a: a.frac(), N, False),
    ("leaky_relu", lambda a: F.leaky_relu(a, 0.2), N, False),
    ("elu", lambda a: F.elu(a), N, False),
    ("gelu", lambda a: F.gelu(a), N, False),
    ("gelu_tanh", lambda a: F.gelu(a, approximate="tanh"), N, False),
    ("sum", lambda a: a.sum(), N, True),
    ("sum_dim", lambda a: a.sum(-1), N, True),
    ("sum_keep", lambda a: a.sum(0, keepdim=True), N, True),
    ("mean", lambda a: a.mean(), N, True),
    ("mean_dim", lambda a: a.mean(0), N, True),
    ("prod", lambda a: a.prod(), N, True),
    ("prod_dim", lambda a: a.prod(-1), N, True),
    ("max", lambda a: a.max(), N, False),
    ("min", lambda a: api.min(a), N, False),
    ("max_dim", lambda a: a.max(-1)[0], N, False),
    ("min_dim_keep", lambda a: a.min(0, keepdim=True).values, N, False),
    ("amax", lambda a: a.amax(-1), N, False),
    ("amin", lambda a: a.amin(), N, False),
    ("norm", lambda a: a.norm(), N, True),
    ("norm_p1", lambda a: a.norm(p=1), N, False),
    ("norm_p3", lambda a: a.norm(3), N, True),
    ("norm_p1_5", lambda a: a.norm(1.5), N, False),
    ("norm_inf", lambda a: a.norm(float("inf")), N, False),
    ("norm_dim", lambda a: a.norm(dim=-1), N, True),
    ("std", lambda a: a.std(), N, True),
    ("std_dim", lambda a: a.std(-1, unbiased=False), N, True),
    ("var", lambda a: a.var(), N, True),
    ("var_dim", lambda a: a.var(0, keepdim=True), N, True),
    ("logsumexp", lambda a: a.logsumexp(-1), N, True),
    ("softmax", lambda a: api.softmax(a, -1), N, True),
    ("log_softmax", lambda a: api.log_softmax(a, 0), N, True),
    ("F.softmax", lambda a: F.softmax(a, dim=0), N, True),
    ("F.log_softmax", lambda a: F.log_softmax(a, dim=-1), N, True),
    ("view", lambda a: a.view(-1) * 2, N, True),
    ("zero_fill", lambda a: _zero_fill(a), N, True),
    ("cumsum", lambda a: a.cumsum(-1), N, True),
    ("cumprod", lambda a: a.cumprod(-1), N, True),
    ("flip", lambda a: a.flip(0), N, True),
    ("reshape", lambda a: a.reshape(-1), N, True),
    ("flatten", lambda a: a.flatten(), N, True),
    ("unsqueeze", lambda a: a.unsqueeze(0) * 2, N, True),
    ("squeeze", lambda a: a.unsqueeze(1).squeeze(1), N, True),
    ("expand", lambda a: a.unsqueeze(0).expand(3, *a.shape), N, True),
    ("repeat", lambda a: a.repeat(*([2] * a.ndim)), N, True),
    ("clone", lambda a: a.clone(), N, True),
    ("select", lambda a: a[0], N, True),
    ("slice", lambda a: a[..., ::2], N, True),
    ("index", lambda a: a[[0, 0]], N, True),
    ("mask", lambda a: a[a > 0] * 3, N, True),
    ("stack", lambda a: api.stack([a, a * 2], 0), N, True),
    ("cat", lambda a: api.cat([a, a.exp()], -1), N, True),
    ("chain", lambda a: ((a * 2).sin() + a.exp() / 3).sum(-1).norm(), N, True),
    ("tutorial", lambda a: (3 * (a + 2) ** 2).mean(), N, True),
    ("setitem", lambda a: _setitem(a), N, True),
    ("inplace", lambda a: _inplace(a), N, True),
]

MATRIX = [
    ("t", lambda a: a.t(), N, True),
    ("T", lambda a: a.T, N, True),
    ("transpose", lambda a: a.transpose(0, 1), N, True),
    ("permute", lambda a: a.permute(1, 0), N, True),
    ("contiguous_view", lambda a: a.t().contiguous().view(-1), N, True),
    ("reshape_copy", lambda a: a.t().reshape(-1), N, True),
    ("split", lambda a: a.split(1, 1)[-1] * 2, N, True),
    ("chunk", lambda a: a.chunk(2, 0)[0], N, True),
]

SQUARE = [
    ("trace", lambda a: a.trace(), N, True),
    ("matmul_self", lambda a: a @ a, N, True),
]

BINARY = [
    ("add", lambda a, b: a + b, (N, N), True),
    ("add_alpha", lambda a, b: api.add(a, b, alpha=2.5), (N, N), True),
    ("sub", lambda a, b: a - b, (N, N), True),
    ("mul", lambda a, b: a * b, (N, N), True),
    ("div", lambda a, b: a / b, (N, P), True),
    ("pow", lambda a, b: a ** b, (P, N), True),
    ("maximum", lambda a, b: api.maximum(a, b), (N, N), False),
    ("minimum", lambda a, b: api.minimum(a, b), (N, N), False),
    ("max_binary", lambda a, b: api.max(a, b), (N, N), False),
    ("where", lambda a, b: api.where(a > b, a * b, b), (N, N), True),
    ("clamp_tensor", lambda a, b: a.clamp(min=b), (N, N), False),
    ("atan2", lambda a, b: api.atan2(a, b), (N, P), True),
    ("lerp", lambda a, b: api.lerp(a, b, 0.3), (N, N), True),
    ("mod_tensor", lambda a, b: a % b, (N, P), False),
    ("mse_loss", lambda a, b: F.mse_loss(a, b), (N, N), True),
]

LINALG = [
    ("mm", lambda a, b: api.mm(a, b), "mm"),
    ("matmul_mm", lambda a, b: a @ b, "mm"),
    ("mv", lambda a, b: api.mv(a, b), "mv"),
    ("matmul_mv", lambda a, b: a @ b, "mv"),
    ("dot", lambda a, b: api.dot(a, b), "vv"),
    ("matmul_dot", lambda a, b: a @ b, "vv"),
    ("outer", lambda a, b: api.outer(a, b), "outer"),
    ("matmul_vm", lambda a, b: a @ b, "vm"),
    ("bmm", lambda a, b: api.bmm(a, b), "bmm"),
    ("matmul_batched", lambda a, b: a @ b, "bmm"),
    ("matmul_3d_2d", lambda a, b: a @ b, "3d2d"),
    ("matmul_3d_1d", lambda a, b: a @ b, "3d1d"),
    ("matmul_bcast", lambda a, b: a.unsqueeze(0) @ b, "bcast_mm"),
]


def _setitem(a):
    y = a * 1
    y[0] = a[-1] ** 2
    return y


def _zero_fill(a):
    y = a * a
    y[0].zero_()
    y[-1].fill_(2.0)
    return y


def _inplace(a):
    y = a * 2
    y.add_(a)
    y.mul_(a)
    y.sub_(1.5)
    y.div_(2.0)
    return y


# --------------------------------------------------------------------------- checking


def _loss(fn, arrays, upstream):
    out = fn(*[api.tensor(x, dtype=api.float64) for x in arrays])
    return float(np.sum(out._data * upstream))


def numeric_grads(fn, arrays, upstream):
    grads = []
    for i, x in enumerate(arrays):
        g = np.zeros_like(x)
        for idx in np.ndindex(x.shape):
            plus = [a.copy() for a in arrays]
            minus = [a.copy() for a in arrays]
            plus[i][idx] += EPS
            minus[i][idx] -= EPS
            g[idx] = (_loss(fn, plus, upstream) - _loss(fn, minus, upstream)) / (2 * EPS)
        grads.append(g)
    return grads


def check_op(fn, arrays, smooth, rng):
    xs = [api.tensor(x, dtype=api.float64, requires_grad=True) for x in arrays]
    out = fn(*xs)
    assert out.dtype is api.float64
    upstream = rng.standard_normal(out.shape)
    out.backward(api.tensor(upstream))
    analytic = [x.grad._data for x in xs]
    for a, n in zip(analytic, numeric_grads(fn, arrays, upstream)):
        np.testing.assert_allclose(a, n, rtol=RTOL, atol=ATOL)

    # the recorded (create_graph) backward gives the same first derivative ...
    xs2 = [api.tensor(x, dtype=api.float64, requires_grad=True) for x in arrays]
    out2 = fn(*xs2)
    gs = functional.grad(out2, xs2, api.tensor(upstream), create_graph=True, allow_unused=True)
    for a, g in zip(analytic, gs):
        np.testing.assert_allclose(np.zeros_like(a) if g is None else g._data, a, rtol=1e-10,
                                   atol=1e-12)
    if not smooth:
        return
    # ... and differentiating it gives the second derivative
    w = [rng.standard_normal(x.shape) for x in arrays]
    total = None
    for g, wi in zip(gs, w):
        if g is not None and g.requires_grad:
            term = (g * api.tensor(wi)).sum()
            total = term if total is None else total + term
    if total is None:
        return
    second = functional.grad(total, xs2, allow_unused=True)

    def first(*ts):
        ys = [t.detach().requires_grad_() for t in ts]
        o = fn(*ys)
        o.backward(api.tensor(upstream))
        s = sum(float(np.sum(y.grad._data * wi)) if y.grad is not None else 0.0
                for y, wi in zip(ys, w))
        return api.tensor(np.array(s))

    numeric = numeric_grads(first, arrays, np.array(1.0))
    for s, n in zip(second, numeric):
        np.testing.assert_allclose(np.zeros_like(n) if s is None else s._data, n, rtol=1e-3,
                                   atol=1e-5)


# --------------------------------------------------------------------------- shapes

dims = st.integers(1, 3)
shapes = st.lists(dims, min_size=1, max_size=3).map(tuple)


@st.composite
def broadcast_pair(draw_):
    """Two shapes that broadcast together: the second drops leading dims and sets some
    of the remaining ones to 1."""
    base = draw_(shapes)
    drop = draw_(st.integers(0, len(base) - 1))
    other = [1 if draw_(st.booleans()) else s for s in base[drop:]]
    pair = (base, tuple(other))
    return pair if draw_(st.booleans()) else pair[::-1]


def linalg_shapes(kind, n, k, m, b):
    return {
        "mm": [(n, k), (k, m)], "mv": [(n, k), (k,)], "vv": [(k,), (k,)],
        "outer": [(n,), (m,)], "vm": [(k,), (k, m)], "bmm": [(b, n, k), (b, k, m)],
        "3d2d": [(b, n, k), (k, m)], "3d1d": [(b, n, k), (k,)],
        "bcast_mm": [(n, k), (b, k, m)],
    }[kind]


SETTINGS = settings(max_examples=15, deadline=None, derandomize=True,
                    suppress_health_check=[HealthCheck.too_slow])


@pytest.mark.parametrize("name,fn,domain,smooth", UNARY, ids=[u[0] for u in UNARY])
@SETTINGS
@given(shape=shapes, seed=st.integers(0, 2**16))
def test_unary(name, fn, domain, smooth, shape, seed):
    rng = np.random.default_rng(seed)
    if name.startswith(("std", "var")):
        shape = tuple(max(s, 2) for s in shape)  # one element: the result is nan
    check_op(fn, [draw(rng, shape, domain)], smooth, rng)


@pytest.mark.parametrize("name,fn,domain,smooth", MATRIX, ids=[u[0] for u in MATRIX])
@SETTINGS
@given(n=st.integers(2, 3), m=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_matrix(name, fn, domain, smooth, n, m, seed):
    rng = np.random.default_rng(seed)
    check_op(fn, [draw(rng, (n, m), domain)], smooth, rng)


@pytest.mark.parametrize("name,fn,domain,smooth", SQUARE, ids=[u[0] for u in SQUARE])
@SETTINGS
@given(n=st.integers(1, 3), seed=st.integers(0, 2**16))
def test_square(name, fn, domain, smooth, n, seed):
    rng = np.random.default_rng(seed)
    check_op(fn, [draw(rng, (n, n), domain)], smooth, rng)


@pytest.mark.parametrize("name,fn,domains,smooth", BINARY, ids=[b[0] for b in BINARY])
@SETTINGS
@given(pair=broadcast_pair(), seed=st.integers(0, 2**16))
def test_binary_broadcast(name, fn, domains, smooth, pair, seed):
    rng = np.random.default_rng(seed)
    if name == "mse_loss":
        pair = (pair[0], pair[0])
    arrays = [draw(rng, s, d) for s, d in zip(pair, domains)]
    check_op(fn, arrays, smooth, rng)


@pytest.mark.parametrize("name,fn,kind", LINALG, ids=[x[0] for x in LINALG])
@SETTINGS
@given(n=st.integers(1, 3), k=st.integers(1, 3), m=st.integers(1, 3), b=st.integers(1, 3),
       seed=st.integers(0, 2**16))
def test_linalg(name, fn, kind, n, k, m, b, seed):
    rng = np.random.default_rng(seed)
    arrays = [rng.standard_normal(s) for s in linalg_shapes(kind, n, k, m, b)]
    check_op(fn, arrays, True, rng)


def test_scalar_inputs():
    rng = np.random.default_rng(0)
    for name, fn, domain, smooth in UNARY:
        if name in ("select", "index", "mask", "setitem", "stack", "repeat", "expand", "flip",
                    "cumsum", "cumprod", "softmax", "log_softmax", "sum_dim", "sum_keep",
                    "mean_dim", "prod_dim", "max_dim", "min_dim_keep", "amax", "norm_dim",
                    "std_dim", "var_dim", "logsumexp", "cat", "slice", "chain", "std", "var",
                    "squeeze", "zero_fill", "inplace"):
            continue
        check_op(fn, [np.asarray(draw(rng, (), domain))], smooth, rng)


def test_results_are_float64():
    x = api.tensor(np.ones((2, 2)), requires_grad=True)
    assert isinstance(x, Tensor) and x.dtype is api.float64
    y = (x * 2).sum()
    y.backward()
    assert x.grad.dtype is api.float64


def test_gradcheck_calls_forward_and_backward_as_torch_does():
    """The sequence of forward ("f") and backward ("b") calls of a custom Function under
    gradcheck, recorded from torch 2.13: the numerical Jacobian, each analytical row
    twice (reentrancy), the zero-grad_output check, then the undefined-grad check (one
    more call of the function); a function with two outputs repeats that check per
    output."""
    from adcli.engine.custom_function import Function

    calls = []

    class Lin(Function):
        @staticmethod
        def forward(ctx, x, w):
            calls.append("f")
            ctx.save_for_backward(x, w)
            return x @ w

        @staticmethod
        def backward(ctx, g):
            calls.append("b")
            x, w = ctx.saved_tensors
            return g @ w.t(), x.t() @ g

    class Two(Function):
        @staticmethod
        def forward(ctx, x):
            calls.append("F")
            ctx.save_for_backward(x)
            return x * 2, x * x

        @staticmethod
        def backward(ctx, g1, g2):
            calls.append("B")
            (x,) = ctx.saved_tensors
            return g1 * 2 + g2 * 2 * x

    x = api.randn(2, 3, dtype=api.double, requires_grad=True)
    w = api.randn(3, 2, dtype=api.double, requires_grad=True)
    assert functional.gradcheck(Lin.apply, (x, w))
    assert "".join(calls) == "f" * 25 + "b" * 9 + "fb"
    calls.clear()
    assert functional.gradcheck(Lin.apply, (x, w), check_undefined_grad=False)
    assert "".join(calls) == "f" * 25 + "b" * 9
    calls.clear()
    y = api.randn(3, dtype=api.double, requires_grad=True)
    assert functional.gradcheck(Two.apply, (y,))
    assert "".join(calls) == "F" * 7 + "B" * 13 + "FFFBBB"

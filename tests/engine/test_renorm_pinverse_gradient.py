"""renorm, pinverse, torch.gradient and special.zeta's gradient: values and gradients as
torch 2.13 gives them (hard-coded from real runs, float64), gradients against finite
differences, and torch's errors."""

from __future__ import annotations

import numpy as np
import pytest

from adcli.engine import api as torch
from adcli.engine import functional
from adcli.errors import AdcliError

X = [[1.0, -2.0, 0.5], [0.1, 0.2, -0.3], [3.0, 0.0, -4.0]]
W = [[0.5, 1.0, -1.0], [2.0, -0.5, 0.25], [1.5, 1.0, 0.3]]

# (p, dim): (renorm(X, p, dim, 1.0), the gradient of (renorm * W).sum()), from torch 2.13
RENORM = {
    (2, 0): ([[0.4364357614243666, -0.8728715228487332, 0.2182178807121833],
              [0.1, 0.2, -0.3], [0.5999999880000002, 0.0, -0.7999999840000003]],
             [[0.38447911590332584, 0.10391329104208145, -0.3533051438287953],
              [2.0, -0.5, 0.25],
              [0.22079999716800003, 0.19999999600000007, 0.16559999457600016]]),
    (1, 1): ([[0.24390243307555043, -0.9090908677685969, 0.10416666449652782],
              [0.024390243307555043, 0.0909090867768597, -0.06249999869791669],
              [0.7317072992266513, 0.0, -0.8333333159722226]],
             [[-0.18738844713512626, 0.020661175807661625, -0.13129340164749712],
              [0.1784652024781994, 0.2066115411344876, -0.024956595097294632],
              [0.056513985940424165, 0.45454543388429847, -0.014539928647641852]]),
    (3, 0): ([[0.47854452828878696, -0.9570890565775739, 0.23927226414439348],
              [0.1, 0.2, -0.3], [0.6669717624834776, 0.0, -0.8892956833113034]],
             [[0.3441587310788155, 0.05899866055109892, -0.45232291155518145],
              [2.0, -0.5, 0.25],
              [0.26092521858475537, 0.22232392082782584, 0.19569390986076268]]),
    (float("inf"), 1): ([[0.3333333222222226, -0.9999999500000026, 0.12499999687500007],
                         [0.03333333222222226, 0.09999999500000027, -0.07499999812500004],
                         [0.9999999666666679, 0.0, -0.9999999750000006]],
                        [[0.1666666611111113, -0.02499997250000278, -0.24999999375000015],
                         [0.6666666444444452, -0.24999998750000066, 0.06249999843750004],
                         [-0.07777775592592738, 0.4999999750000013, -0.03593749632812515]]),
}


def f64(a, rg=False):
    return torch.tensor(a, dtype=torch.float64, requires_grad=rg)


@pytest.mark.parametrize("key", list(RENORM))
def test_renorm_values_and_gradient_as_torch(key):
    p, dim = key
    x = f64(X, True)
    y = torch.renorm(x, p, dim, 1.0)
    assert y.grad_fn.name() == "RenormBackward0"
    want_y, want_g = RENORM[key]
    np.testing.assert_allclose(y._data, want_y, rtol=1e-12, atol=1e-15)
    (y * f64(W)).sum().backward()
    np.testing.assert_allclose(x.grad._data, want_g, rtol=1e-10, atol=1e-13)


def _numeric(f, a, eps=1e-6):
    a = np.array(a, dtype=np.float64)
    out = np.zeros_like(a)
    for i in np.ndindex(a.shape):
        hi, lo = a.copy(), a.copy()
        hi[i] += eps
        lo[i] -= eps
        out[i] = (f(hi) - f(lo)) / (2 * eps)
    return out


def test_renorm_inplace_and_second_derivative_finite_differences():
    z = f64([[3.0, 4.0], [0.1, 0.2]])
    z.renorm_(2, 0, 1)
    np.testing.assert_allclose(z._data, [[0.6, 0.8], [0.1, 0.2]], rtol=1e-6)
    x2 = [[1.0, -2.0, 0.5], [0.1, 0.2, -0.3], [3.0, 0.7, -4.0]]  # no zero: p < 2 is smooth
    x = f64(x2, True)
    g, = functional.grad((torch.renorm(x, 1.5, 1, 0.7) * f64(W)).sum(), [x], create_graph=True)
    gg, = functional.grad((g * g).sum(), [x])

    def first(a):
        t = f64(a.tolist(), True)
        h, = functional.grad((torch.renorm(t, 1.5, 1, 0.7) * f64(W)).sum(), [t])
        return float((h._data ** 2).sum())

    np.testing.assert_allclose(gg._data, _numeric(first, x2), rtol=1e-5, atol=1e-6)


def test_pinverse_value_and_gradient_as_torch():
    a = f64([[1.0, 2.0], [3.0, -1.0], [0.5, 0.5]], True)
    p = torch.pinverse(a)
    assert p.grad_fn.name() == "LinalgPinvBackward0"
    np.testing.assert_allclose(p._data, [[0.1267605633802818, 0.28169014084507066,
                                          0.05633802816901413],
                                         [0.39906103286385003, -0.15023474178403734,
                                          0.10328638497652587]], rtol=1e-12)
    (p * f64([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0]])).sum().backward()
    np.testing.assert_allclose(a.grad._data, [[-0.23447728625272846, -0.06837267737882716],
                                              [-0.24171791311247853, -0.18610725385174945],
                                              [0.2009521920253922, 0.43648746941744415]],
                               rtol=1e-10)


@pytest.mark.parametrize("shape", [(2, 3), (3, 3), (2, 3, 2)])
def test_pinverse_gradient_finite_differences(shape):
    rng = np.random.default_rng(0)
    a0 = rng.standard_normal(shape)
    w = f64(rng.standard_normal(shape[:-2] + shape[:-3:-1]).tolist())
    a = f64(a0.tolist(), True)
    (a.pinverse() * w).sum().backward()

    def f(v):
        return float((torch.pinverse(f64(v.tolist())) * w).sum().item())

    np.testing.assert_allclose(a.grad._data, _numeric(f, a0), rtol=1e-6, atol=1e-8)


def test_zeta_gradient_for_q_only_when_x_is_not_asked_for():
    x = f64([2.0, 3.0], True)
    q = f64([1.5, 2.0], True)
    z = torch.special_zeta(x, q)
    g, = functional.grad(z.sum(), [q], retain_graph=True)
    np.testing.assert_allclose(g._data, [-0.8287966442343201, -0.24696970113341465], rtol=1e-6)
    with pytest.raises(AdcliError, match="the derivative for 'zeta' is not implemented."):
        functional.grad(z.sum(), [x])
    torch.special_zeta(x, q).sum().backward(inputs=[q])
    assert x.grad is None
    with pytest.raises(AdcliError, match="the derivative for 'zeta' is not implemented."):
        torch.special_zeta(x, q).sum().backward()


F = [[1.0, 2.0, 4.0, 8.0], [10.0, 20.0, 40.0, 80.0], [1.0, 0.5, 0.25, 0.1]]
COORDS = ([0.0, 1.0, 3.0], [0.0, 0.5, 2.0, 2.5])
# edge_order: torch.gradient(F, spacing=COORDS, edge_order=...), from torch 2.13 (float64)
GRADIENT = {
    1: ([[9.0, 18.0, 36.0, 72.0], [4.5, 8.75, 17.375, 34.68333333333333],
         [-4.5, -9.75, -19.875, -39.95]],
        [[2.0, 1.833333333333333, 6.333333333333334, 8.0],
         [20.0, 18.33333333333333, 63.333333333333336, 80.0],
         [-1.0, -0.7916666666666667, -0.2666666666666666, -0.3]]),
    2: ([[13.5, 27.25, 54.625, 109.31666666666666], [4.5, 8.75, 17.375, 34.68333333333333],
         [-13.5, -28.25, -57.125, -114.58333333333334]],
        [[2.1666666666666665, 1.833333333333333, 6.333333333333334, 9.666666666666668],
         [21.666666666666664, 18.33333333333333, 63.333333333333336, 96.66666666666667],
         [-1.2083333333333335, -0.7916666666666667, -0.2666666666666666,
          -0.33333333333333326]]),
}


@pytest.mark.parametrize("edge_order", [1, 2])
def test_gradient_with_coordinates_as_torch(edge_order):
    f = f64(F, True)
    parts = torch.gradient(f, spacing=tuple(f64(c) for c in COORDS), edge_order=edge_order)
    assert isinstance(parts, tuple) and [p.grad_fn.name() for p in parts] == ["CatBackward0"] * 2
    for got, want in zip(parts, GRADIENT[edge_order]):
        np.testing.assert_allclose(got._data, want, rtol=1e-14)
    # linear in f: the gradient of sum(w * part) is the transpose of the stencil applied to w
    w = [f64(np.arange(12.0).reshape(3, 4).tolist()), f64(np.ones((3, 4)).tolist())]
    g, = functional.grad(sum((p * wi).sum() for p, wi in zip(parts, w)), [f])

    def total(v):
        ps = torch.gradient(f64(v.tolist()), spacing=tuple(f64(c) for c in COORDS),
                            edge_order=edge_order)
        return float(sum((p * wi).sum().item() for p, wi in zip(ps, w)))

    np.testing.assert_allclose(g._data, _numeric(total, F), rtol=1e-6, atol=1e-6)


def test_gradient_uniform_spacing_as_torch():
    got, = torch.gradient(f64(F), spacing=2.0, dim=1, edge_order=2)
    np.testing.assert_allclose(got._data, [[0.25, 0.75, 1.5, 2.5], [2.5, 7.5, 15.0, 25.0],
                                           [-0.3125, -0.1875, -0.1, -0.05]], rtol=1e-14)
    got, = torch.gradient(torch.tensor([1, 4, 9, 16]))
    assert got._data.tolist() == [3.0, 4.0, 6.0, 7.0]
    assert torch.gradient(torch.tensor(3.0)) == ()


@pytest.mark.parametrize("call, message", [
    (lambda: torch.gradient(f64(F), edge_order=3), "only supports edge_order=1 and edge_order=2"),
    (lambda: torch.gradient(torch.ones(2, 5), edge_order=2),
     "each dimension size to be at least edge_order+1"),
    (lambda: torch.gradient(f64(F), spacing=[1.0, 2.0], dim=1),
     "a spacing argument of length 2 and a dim argument of length 1."),
    (lambda: torch.gradient(f64(F), spacing=[1.0, 2.0, 3.0]), "'self.dim() = 2'"),
    (lambda: torch.gradient(f64(F), spacing=[1, torch.ones(4)]),
     "expected Tensor as element 0 in argument 1, but got int"),
    (lambda: torch.gradient(f64(F), spacing="a"), "received an invalid combination"),

    (lambda: torch.renorm(torch.ones(3), 2, 0, 1), "at least 2 dimensions, got 1"),
    (lambda: torch.renorm(torch.ones(3, 2), 0, 0, 1), "non-positive-norm not supported"),
    (lambda: torch.renorm(torch.ones(3, 2), 2, 0, -1), "maxnorm to be >= 0 but got -1"),
    (lambda: torch.renorm(torch.ones(3, 2), "a", 0, 1), "'p' (position 2) must be Number"),
    (lambda: torch.renorm(torch.ones(3, 2), 2, 1.0, 1), "'dim' (position 3) must be int"),
    (lambda: torch.renorm(torch.ones(3, 2), 2, 2, 1), "Dimension out of range"),
    (lambda: torch.pinverse(torch.ones(3)), r"linalg.pinv\(Float\{\[3\]\}\): expected"),
    (lambda: torch.pinverse(torch.ones(3, 3), "a"), "'rcond' (position 2) must be float"),
])
def test_errors_as_torch(call, message):
    with pytest.raises(AdcliError, match=message if "\\" in message else None) as info:
        call()
    assert message in str(info.value) or "\\" in message

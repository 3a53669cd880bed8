"""Autograd behaviours: the seed tutorials' cases, graphs, versions, views, numerics, limits.

Expected values come from the PyTorch transcripts of the seeds (shared/conformance/seeds)
or from hand calculus noted beside them.
"""

from __future__ import annotations

import gc
import subprocess
import sys
import warnings

import numpy as np
import pytest

from adcli import limits
from adcli.engine import api as torch
from adcli.engine import functional
from adcli.engine.tensor import Tensor
from adcli.errors import AdcliError, LimitError, TorchRuntimeError


def values(t: Tensor) -> list:
    return t._data.tolist()


# ------------------------------------------------------------------ the seeds' behaviours


def test_seed_mean_of_squares_grad():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    z = y * y * 3
    out = z.mean()
    assert type(y.grad_fn).__name__ == "AddBackward0"
    assert type(z.grad_fn).__name__ == "MulBackward0"
    assert type(out.grad_fn).__name__ == "MeanBackward0"
    out.backward()
    assert values(x.grad) == [[4.5, 4.5], [4.5, 4.5]]


def test_seed_vector_jacobian_product_loop():
    x = torch.Variable(torch.tensor([1.3043, -2.0869, -0.6267]), requires_grad=True)
    y = x * 2
    cnt = 0
    while y.data.norm() < 1000:
        cnt += 1
        y = y * 2
    assert cnt == 8
    y.backward(torch.FloatTensor([0.1, 1.0, 0.0001]))
    np.testing.assert_allclose(values(x.grad), [51.2, 512.0, 0.0512], rtol=1e-6)


def test_seed_gradients_accumulate():
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    out = ((a + 3) * (a + 3) * 3).mean()
    out.backward()
    assert values(a.grad) == [15.0, 18.0]
    x = torch.Variable(torch.ones(2), requires_grad=True)
    o = 0.5 * torch.sum(5 * (x + 1) ** 2)
    o.backward(retain_graph=True)
    assert values(x.grad) == [10.0, 10.0]
    o.backward()
    assert values(x.grad) == [20.0, 20.0]


def test_seed_freed_graph_raises_and_sum_graph_does_not():
    x = torch.tensor([0.4263, -1.2995, 0.3972], requires_grad=True)
    y = x * 2
    while y.data.norm() < 1000:
        y = y * 2
    z = y.sum()
    z.backward()
    assert values(x.grad) == [1024.0, 1024.0, 1024.0]
    with pytest.raises(TorchRuntimeError, match="second time"):
        z.backward()  # MulBackward0 saved the scalar 2 and freed it
    with pytest.raises(TorchRuntimeError, match="retain_graph=True"):
        y.backward(torch.tensor([1.0, 0.1, 0.01]))
    w = torch.ones(2, requires_grad=True)
    s = (w + 2).sum()  # AddBackward0 and SumBackward0 save no tensors
    s.backward()
    s.backward()
    assert values(w.grad) == [2.0, 2.0]


def test_seed_non_scalar_backward_needs_gradient():
    x = torch.ones(2, 2, requires_grad=True)
    y = x + 2
    with pytest.raises(TorchRuntimeError) as info:
        y.backward()
    # torch 2.13's words
    assert str(info.value) == "grad can be implicitly created only for scalar outputs"


def test_seed_gradient_shape_mismatch():
    x = torch.Variable(torch.ones(2), requires_grad=True)
    y = 5 * (x + 1) ** 2
    o = (1 / 2) * torch.sum(y)
    assert type(o.grad_fn).__name__ == "MulBackward0"
    with pytest.raises(TorchRuntimeError) as info:
        o.backward(torch.FloatTensor([1.0, 1.0]))
    assert "[2]" in str(info.value) and "[]" in str(info.value)


def test_seed_numpy_requires_grad_and_detach_():
    x = torch.FloatTensor([[1, 2], [3, 4]]).requires_grad_(True)
    x3 = (x + 2) * (x - 2)
    assert type((x - 2).grad_fn).__name__ == "SubBackward0"
    with pytest.raises(TorchRuntimeError, match="detach"):
        x3.numpy()
    arr = x3.detach_().numpy()
    assert arr.dtype == np.float32 and arr.tolist() == [[-3.0, 0.0], [5.0, 12.0]]
    assert x3.grad_fn is None and x3.is_leaf and not x3.requires_grad
    x1 = x + 2
    d = x1.detach()
    assert not d.requires_grad and x1.requires_grad
    assert np.shares_memory(d._data, x1._data)


def test_seed_no_grad():
    x = torch.tensor([-0.1447, -0.1552, -0.8142], requires_grad=True)
    assert (x ** 2).requires_grad
    with torch.no_grad():
        y = x ** 2
        assert not y.requires_grad and y.grad_fn is None
    assert torch.is_grad_enabled()


def test_seed_requires_grad_flag_on_computed_leaf():
    a = torch.tensor([[0.5, -1.5], [2.0, 3.0]])
    a = (a * 3) / (a - 1)
    assert not a.requires_grad and a.is_leaf
    a.requires_grad_(True)
    b = (a * a).sum()
    assert type(b.grad_fn).__name__ == "SumBackward0"


def test_seed_copy_slices():
    m = torch.tensor([[2.0, 3.0]], requires_grad=True)
    n = torch.zeros((1, 2))
    n[0, 0] = m[0, 0] ** 2
    n[0, 1] = m[0, 1] ** 3
    assert n.grad_fn.name() == "torch::autograd::CopySlices"
    assert repr(n.grad_fn).startswith("<CopySlices object at 0x")
    n.backward(m.data, retain_graph=True)
    assert values(m.grad) == [[8.0, 81.0]]
    n.backward(torch.tensor([[1.0, 1]]))
    assert values(m.grad) == [[12.0, 108.0]]


# ------------------------------------------------------------------ graph structure


def test_next_functions_order_and_accumulate_grad():
    x = torch.ones(2, requires_grad=True)
    c = torch.ones(2)
    y = c * x
    (first, i0), (second, i1) = y.grad_fn.next_functions
    assert first is None and i0 == 0
    assert second.name() == "torch::autograd::AccumulateGrad" and second.variable is x
    assert second is (x + 1).grad_fn.next_functions[0][0]  # one accumulator per leaf
    assert repr(second).startswith("<AccumulateGrad object at 0x")


def test_long_chain_is_iterative():
    x = torch.ones(1, requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y + 1
    y.backward()
    assert values(x.grad) == [1.0]
    del y
    gc.collect()


def test_retain_grad_and_non_leaf_warning(warnings_seen):
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = x * 3
    (y * z).sum().backward()
    assert values(y.grad) == [3.0, 3.0]
    assert z.grad is None
    assert len(warnings_seen) == 1 and "not a leaf" in warnings_seen[0]
    assert x.grad is not None and len(warnings_seen) == 1


def test_default_warning_hook_writes_stderr(capsys):
    x = torch.ones(2, requires_grad=True)
    assert (x * 2).grad is None
    assert capsys.readouterr().err.startswith("UserWarning: The .grad attribute")


def test_autograd_grad_does_not_touch_leaves():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * x
    gx, gh = functional.grad(h.sum() * 2, [x, h])
    assert values(gx) == [4.0, 8.0] and values(gh) == [2.0, 2.0]
    assert x.grad is None


def test_backward_inputs_limits_accumulation():
    x = torch.ones(2, requires_grad=True)
    w = torch.ones(2, requires_grad=True)
    (x * w * 3).sum().backward(inputs=[w])
    assert x.grad is None and values(w.grad) == [3.0, 3.0]


def test_create_graph_second_derivative():
    x = torch.tensor(2.0, requires_grad=True)
    (g,) = functional.grad(x ** 3, x, create_graph=True)
    assert g.item() == 12.0 and type(g.grad_fn).__name__ == "MulBackward0"
    (h,) = functional.grad(g, x)
    assert h.item() == 12.0


def test_third_derivative():
    x = torch.tensor(0.5, requires_grad=True)
    (g1,) = functional.grad(x.sin() * x, x, create_graph=True)
    (g2,) = functional.grad(g1, x, create_graph=True)
    (g3,) = functional.grad(g2, x)
    # d3/dx3 x sin x = -3 sin x - x cos x
    np.testing.assert_allclose(g3.item(), -3 * np.sin(0.5) - 0.5 * np.cos(0.5), rtol=1e-6)


def test_jacobian_and_hessian_shapes():
    x = torch.ones(2, 3)
    j = functional.jacobian(lambda a: a.sum(0) * 2, x)
    assert list(j.shape) == [3, 2, 3]
    h = functional.hessian(lambda a: (a ** 3).sum(), torch.tensor([1.0, 2.0]))
    assert values(h) == [[6.0, 0.0], [0.0, 12.0]]


# ------------------------------------------------------------------ versions and views


def test_views_share_storage_and_version():
    x = torch.zeros(2, 3)
    for view in (x.view(6), x[0], x.t(), x.reshape(3, 2), x[:, 1:], x.detach(), x.unsqueeze(0)):
        assert np.shares_memory(view._data, x._data)
    v = x[1]
    v.add_(1)
    assert x._version == 1 and v._version == 1
    d = x.data
    d.add_(1)
    assert x._version == 1  # .data has its own version counter
    assert values(x) == [[1.0, 1.0, 1.0], [2.0, 2.0, 2.0]]


def test_modified_saved_tensor_raises():
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    z = y * y
    y.mul_(3)
    with pytest.raises(TorchRuntimeError) as info:
        z.sum().backward()
    assert str(info.value) == (  # torch 2.13's words
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [torch.FloatTensor [2]], which is output 0 of Mul, is at version 1; "
        "expected version 0 instead. Hint: enable anomaly detection to find the operation that "
        "failed to compute its gradient, with torch.autograd.set_detect_anomaly(True, "
        "check_nan=False).")


def test_inplace_on_leaf_allowed_under_no_grad():
    x = torch.ones(2, requires_grad=True)
    with pytest.raises(TorchRuntimeError):
        x.add_(1)
    with pytest.raises(TorchRuntimeError):
        x += 1
    with torch.no_grad():
        x.add_(1)
        x[0] = 5.0
    assert values(x) == [5.0, 2.0] and x.requires_grad and x.is_leaf


def test_inplace_on_expanded_tensor_raises():
    x = torch.ones(2).expand(3, 2)
    with pytest.raises(TorchRuntimeError, match="clone"):
        x.add_(1)


def test_requires_grad_rules():
    with pytest.raises(TorchRuntimeError):
        torch.tensor([1, 2], requires_grad=True)
    x = torch.ones(2, requires_grad=True)
    y = x * 2
    with pytest.raises(TorchRuntimeError):
        y.requires_grad = False
    y.requires_grad_(True)  # already true: allowed
    x.requires_grad = False
    assert not x.requires_grad


def test_grad_setter_checks():
    x = torch.ones(2, requires_grad=True)
    x.grad = torch.ones(2)
    with pytest.raises(TorchRuntimeError):
        x.grad = torch.ones(3)
    with pytest.raises(TorchRuntimeError):
        x.grad = torch.ones(2, dtype=torch.float64)
    with pytest.raises(AdcliError) as info:
        x.grad = 3
    assert info.value.kind == "TypeError"
    x.grad = None
    assert x.grad is None


def test_leaf_grad_is_not_aliased():
    x = torch.ones(2, requires_grad=True)
    g = torch.ones(2)
    (x + 0).backward(g)
    x.grad.add_(1)
    assert values(g) == [1.0, 1.0]
    a = torch.ones(2, requires_grad=True)
    b = torch.ones(2, requires_grad=True)
    (a + b).sum().backward()
    a.grad.add_(1)
    assert values(b.grad) == [1.0, 1.0]


def test_second_backward_accumulates_in_place():
    x = torch.ones(2, requires_grad=True)
    (x * 2).sum().backward()
    g = x.grad
    (x * 2).sum().backward()
    assert g is x.grad and values(g) == [4.0, 4.0]


# ------------------------------------------------------------------ numerics


def test_no_numpy_warnings_or_errors():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
        y = x.log()
        assert values(y)[0] == float("-inf") and np.isnan(values(y)[2])
        z = x / x
        assert np.isnan(values(z)[0])
        (y.sum() + z.sum() + x.sqrt().sum() + (1 / x).sum()).backward()
        assert np.isinf(values(x.grad)[0]) or np.isnan(values(x.grad)[0])
        big = torch.tensor([1e30]) * 1e30
        assert values(big) == [float("inf")]
        torch.tensor([100.0]).exp()
        torch.ones(0).mean()


def test_kinks():
    x = torch.zeros(3, requires_grad=True)
    (x.relu() + x.abs() + x.clamp(0, 1)).sum().backward()
    assert values(x.grad) == [1.0, 1.0, 1.0]  # relu'(0)=0, abs'(0)=0, clamp passes at bound
    z = torch.zeros(3, requires_grad=True)
    z.norm().backward()
    assert values(z.grad) == [0.0, 0.0, 0.0]


def test_integer_division_by_zero_raises():
    with pytest.raises(TorchRuntimeError):
        torch.tensor([5]) // 0
    with pytest.raises(TorchRuntimeError):
        torch.tensor([5]) % torch.tensor([0])
    assert values(torch.tensor([5.0]) // 0) == [float("inf")]


def test_type_promotion():
    i = torch.tensor([1, 2])
    assert (i * 2.5).dtype is torch.float32
    assert (i / 2).dtype is torch.float32
    assert (i + 1).dtype is torch.int64
    assert (torch.tensor([True]) + 1).dtype is torch.int64
    assert (torch.ones(2) + torch.tensor(1.0, dtype=torch.float64)).dtype is torch.float32
    assert (torch.ones(2) + torch.ones(2, dtype=torch.float64)).dtype is torch.float64
    assert (torch.ones(2, dtype=torch.int32) + torch.tensor(1)).dtype is torch.int32
    assert repr(torch.float32) == "torch.float32" and torch.float is torch.float32
    assert torch.int is torch.int32 and torch.long is torch.int64 and torch.double is torch.float64


def test_ranges_match_torch_bits():
    # torch's kernels: linspace is one fused multiply-add per value, arange adds the step
    # to a base per block of 8 lanes; the values below are torch's own
    assert torch.linspace(-1, 1, 7)[3].item() == -2.9802322387695312e-08
    assert torch.linspace(-3, 5, 1980)[742].item() == -0.0005053039640188217
    assert torch.arange(-3.3, 7.1, 0.013)[155].item() == -1.284999966621399
    assert torch.arange(-3.3, 7.1, 0.013)[799].item() == 7.086999893188477


def test_dunders():
    t = torch.tensor(2.5)
    assert float(t) == 2.5 and int(t) == 2 and bool(t)
    assert f"{t:.1f}" == "2.5"
    assert [10, 20, 30][torch.tensor(1)] == 20
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    assert len(x) == 2 and [values(r) for r in x] == [[1.0, 2.0], [3.0, 4.0]]
    with pytest.raises(AdcliError):
        len(t)
    assert values(x @ x) == [[7.0, 10.0], [15.0, 22.0]]
    assert values(-x + (+x)) == [[0.0, 0.0], [0.0, 0.0]]
    assert values(2 ** torch.tensor([1.0, 2.0])) == [2.0, 4.0]
    assert values(x == 2) == [[False, True], [False, False]]
    assert (x == None) is False  # noqa: E711 - as torch: compares unequal to non-tensors
    m = torch.ones(2, dtype=torch.bool)
    assert values(~m) == [False, False] and values(m & m) == [True, True]


def test_return_types_of_max():
    x = torch.tensor([[1.0, 5.0], [4.0, 2.0]])
    r = torch.max(x, 1)
    assert values(r.values) == [5.0, 4.0] and values(r.indices) == [1, 0]
    assert r._fields == ("values", "indices")
    text = repr(r)
    assert text.startswith("torch.return_types.max(\nvalues=tensor(")
    assert "\nindices=tensor([1, 0]))" in text


def test_repr_goes_through_printing(monkeypatch):
    import adcli.printing

    calls = []

    def fake(data, dtype_name, *, requires_grad=False, grad_fn=None):
        calls.append((data.tolist(), dtype_name, requires_grad, grad_fn))
        return "T"

    monkeypatch.setattr(adcli.printing, "format_tensor", fake)
    x = torch.ones(2, requires_grad=True)
    assert repr(x) == "T" and str(x * 2) == "T"
    assert calls == [([1.0, 1.0], "float32", True, None), ([2.0, 2.0], "float32", False,
                                                           "MulBackward0")]


# ------------------------------------------------------------------ limits and errors


def test_element_limit_is_checked_before_allocating():
    old = limits.current()
    limits.install(limits.Limits(max_elements=1000))
    try:
        for make in (lambda: torch.ones(2000), lambda: torch.ones(100, 1) + torch.ones(1, 100),
                     lambda: torch.ones(100, 1) @ torch.ones(1, 100),
                     lambda: torch.ones(10).repeat(200), lambda: torch.ones(1).expand(5000),
                     lambda: torch.randn(40, 40), lambda: torch.full((2000,), 1.0),
                     lambda: torch.arange(5000), lambda: torch.tensor(np.zeros(2000))):
            with pytest.raises(LimitError):
                make()
    finally:
        limits.install(old)


def test_user_errors_are_adcli_errors():
    cases = [
        lambda: torch.ones(2, 2) + torch.ones(3),
        lambda: torch.ones(2)[5],
        lambda: torch.ones(2).sum(3),
        lambda: torch.tensor([[1, 2], [3]]),
        lambda: torch.tensor("a"),
        lambda: torch.ones(2).view(3),
        lambda: torch.ones(2, 3).t().view(6),
        lambda: torch.tensor([2]) ** -1,
        lambda: torch.ones(2).backward(),
        lambda: torch.ones(-1),
        lambda: torch.ones(2) + "a",
        lambda: torch.cat([]),
        lambda: torch.tensor(2 ** 70),
        lambda: torch.ones(3)[torch.tensor([1.5])],
        lambda: torch.zeros(2, dtype=torch.int64).add_(1.5),
        lambda: torch.ones(2).expand(3),
        lambda: torch.ones(2, 3).permute(0, 0),
    ]
    for make in cases:
        with pytest.raises(AdcliError):
            make()


def test_engine_import_is_light():
    code = ("import sys, numpy; before = set(sys.modules); import adcli.engine.api, "
            "adcli.engine.functional, adcli.engine.nn_functional; "
            "print(sorted(set(sys.modules) - before))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                         check=True).stdout
    added = eval(out)
    heavy = {"inspect", "dataclasses", "typing", "enum", "functools", "ast", "re", "torch"}
    assert not heavy & {m.split(".")[0] for m in added if not m.startswith("adcli")}, added


def _fd(f, x: np.ndarray, eps: float = 1e-6) -> np.ndarray:
    """Central finite differences of the scalar function f at x (float64)."""
    out = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        xp, xm = x.copy(), x.copy()
        xp[i] += eps
        xm[i] -= eps
        out[i] = (f(xp) - f(xm)) / (2 * eps)
    return out


def test_node_with_an_undefined_gradient_still_counts_as_done():
    # g = threshold_backward(2*relu(x), relu(x)) + 3: its mask input gets a zero gradient
    # and its value input the real one; both lead back to relu's node, which must run
    x0 = np.array([0.5, -1.0, 2.0])
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    g, = functional.grad((torch.relu(x) ** 2 + x * 3).sum(), x, create_graph=True)
    h, = functional.grad(g.sum(), [x])
    # the first derivative is 2 relu(x) + 3; its own derivative by finite differences
    expected = _fd(lambda v: float((2 * np.maximum(v, 0) + 3).sum()), x0)
    np.testing.assert_allclose(h._data, expected, atol=1e-6)


def test_second_order_nodes_follow_torch_formulas():
    x = torch.tensor([0.5, 2.0], requires_grad=True)
    g, = functional.grad(torch.log2(x).sum(), x, create_graph=True)
    h, = functional.grad(g.sum(), x, create_graph=True)
    # torch: grad / (self * ln 2), whose derivative ends in a Scalar multiplication
    assert h.grad_fn.name() == "MulBackward1"
    g, = functional.grad((x.sum() ** 2), x, create_graph=True)
    assert g.grad_fn.name() == "ExpandBackward0"
    # and a script's own `x * 2` after a create_graph backward is back to MulBackward0
    assert (x * 2).grad_fn.name() == "MulBackward0"
    assert (2 - x).grad_fn.name() == "RsubBackward1"


def test_formula_operators_are_restored_after_a_failed_backward():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with pytest.raises(TorchRuntimeError):
        functional.grad(y, x, create_graph=True)  # the graph was freed
    assert (x * 3).grad_fn.name() == "MulBackward0"
    assert (x + 1).grad_fn.name() == "AddBackward0"


def test_pow_rounds_as_torch_cpu_kernels():
    rng = np.random.default_rng(0)
    x = rng.uniform(0.1, 3.0, 8).astype(np.float32)
    t = torch.tensor(x)
    # exact products for 2, 3 and -2; double-precision pow for other exponents
    np.testing.assert_array_equal((t ** 3)._data, x * x * x)
    np.testing.assert_array_equal((t ** -2)._data, np.float32(1) / (x * x))
    np.testing.assert_array_equal((t ** 1.5)._data,
                                  (x.astype(np.float64) ** 1.5).astype(np.float32))
    assert (t ** 1.5).dtype == torch.float32


def test_retain_grad_follows_in_place_changes():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    h = x * 2
    h.retain_grad()
    h[1] = 0.0
    h.sum().backward()
    np.testing.assert_array_equal(h.grad._data, [1.0, 1.0])
    h = torch.ones(2)
    x = torch.tensor([1.0, 2.0], dtype=torch.float64, requires_grad=True)
    h.sub_(x)
    h.retain_grad()
    h.sum().backward()
    assert h.grad.dtype == torch.float32


def test_autograd_grad_may_return_an_expanded_view():
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    g, = functional.grad(x.sum(), x)
    g[0] = 5.0  # one stored value: every element changes
    np.testing.assert_array_equal(g._data, [5.0, 5.0, 5.0])
    with pytest.raises(TorchRuntimeError):
        g.add_(1)  # overlapping elements
    y = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    with pytest.raises(TorchRuntimeError):
        g[0:] = y * 2  # a view made outside grad mode, written with grad recorded


def _fd_hessian_row_sums(f, x: np.ndarray, eps: float = 1e-4) -> np.ndarray:
    """H @ 1 for the Hessian H of the scalar function f at x, by central differences."""
    n = x.size
    h = np.zeros(n)
    for i in range(n):
        for j in range(n):
            ei, ej = np.eye(n)[i] * eps, np.eye(n)[j] * eps
            h[i] += (f(x + ei + ej) - f(x + ei - ej) - f(x - ei + ej) + f(x - ei - ej)) / (
                4 * eps * eps)
    return h


@pytest.mark.parametrize("point", [[0.0, 2.0, 3.0], [1.5, 0.0, 0.0, 2.0], [0.0, 0.0, 1.0]])
@pytest.mark.parametrize("name", ["prod", "cumprod"])
def test_second_derivatives_at_zeros(point, name):
    # torch differentiates its zero-safe backward formulas again; so must adcli
    x0 = np.array(point)
    f_np = {"prod": np.prod, "cumprod": lambda v: np.cumprod(v).sum()}[name]
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    y = x.prod() if name == "prod" else x.cumprod(0).sum()
    g, = functional.grad(y, x, create_graph=True)
    h, = functional.grad(g.sum(), x, allow_unused=True)
    expected = _fd_hessian_row_sums(f_np, x0)
    got = np.zeros_like(x0) if h is None else h._data
    np.testing.assert_allclose(got, expected, atol=1e-5)


def test_register_hook_replaces_the_gradient_and_can_be_removed():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    seen = []
    y.register_hook(lambda g: seen.append(g._data.copy()))
    handle = y.register_hook(lambda g: g * 10)
    y.sum().backward()
    np.testing.assert_array_equal(seen[0], [1.0, 1.0])  # hooks run in order
    np.testing.assert_array_equal(x.grad._data, [30.0, 30.0])
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()  # a new graph: the hooks were on y's node only
    np.testing.assert_array_equal(x.grad._data, [3.0, 3.0])
    leaf_handle = x.register_hook(lambda g: g * 0)
    (x * 3).sum().backward()
    np.testing.assert_array_equal(x.grad._data, [3.0, 3.0])  # nothing accumulated
    leaf_handle.remove()
    assert "RemovableHandle" in repr(leaf_handle)


def test_hooks_see_script_operators_inside_create_graph():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.register_hook(lambda g: g * 2)  # a script's `* 2`: MulBackward0, not MulBackward1
    g, = functional.grad(y.sum(), x, create_graph=True)
    names = [fn.name() for fn, _ in g.grad_fn.next_functions if fn is not None]
    assert "MulBackward0" in names and (x * 2).grad_fn.name() == "MulBackward0"


def test_constant_gradient_stays_expanded_but_grad_is_a_real_array():
    # mean's gradient times a number is kept as an expanded constant inside backward; what
    # reaches .grad is still an ordinary, writable array with the right values
    x = torch.tensor(np.arange(6.0).reshape(2, 3), dtype=torch.float32, requires_grad=True)
    (x * 3).mean().backward()
    g = x.grad._data
    assert g.flags.writeable and all(g.strides)
    np.testing.assert_array_equal(g, np.full((2, 3), 0.5, np.float32))
    x.grad.add_(1)  # it is x's own
    np.testing.assert_array_equal(x.grad._data, np.full((2, 3), 1.5, np.float32))


def test_a_backward_inside_a_hook_leaves_the_formula_operators_in_place():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    u = torch.tensor([3.0], requires_grad=True)
    u.register_hook(lambda g: g * 1)
    names = []

    def hook(g):
        (u * 2).sum().backward()  # a backward of its own, with a hook of its own
        names.append((g * x * 2).grad_fn.name())  # still a script's `* 2` here

    y = x * x
    y.register_hook(hook)
    functional.grad(y.sum(), x, create_graph=True)
    assert names == ["MulBackward0"]
    assert (x * 2).grad_fn.name() == "MulBackward0"  # and after it all


def test_a_create_graph_backward_reassigns_no_class_attribute():
    # backward formulas run in an explicit context (tensor._FORMULA), not by swapping
    # Tensor's operators: the class is the same before, during (in a hook) and after
    before = dict(Tensor.__dict__)
    during = []
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * x
    y.register_hook(lambda g: during.append(dict(Tensor.__dict__)))
    g, = functional.grad(y.sum(), x, create_graph=True)
    assert g.grad_fn.name() == "AddBackward0"
    assert during == [before]
    assert dict(Tensor.__dict__) == before


def test_relu_passes_the_gradient_of_a_nan_through():
    """torch's threshold_backward is ``x <= 0 ? 0 : grad``: a nan input is not <= 0, so
    its gradient passes (torch 2.13 prints tensor([5., 0., 0., 5.]))."""
    x = torch.tensor([float("nan"), -1.0, 0.0, 2.0], requires_grad=True)
    torch.relu(x).backward(torch.tensor([5.0, 5.0, 5.0, 5.0]))
    assert x.grad.tolist() == [5.0, 0.0, 0.0, 5.0]


def test_a_dim_out_of_range_in_torchs_words():
    """torch 2.13: IndexError "Dimension out of range (expected to be in range of [-2, 1],
    but got 5)"; a 0-d tensor takes dims -1 and 0."""
    import pytest

    from adcli.engine import api
    from adcli.errors import AdcliError

    with pytest.raises(AdcliError, match=r"^Dimension out of range \(expected to be in range "
                                         r"of \[-2, 1\], but got 5\)$") as info:
        api.ones(2, 2).sum(5)
    assert info.value.kind == "IndexError"
    with pytest.raises(AdcliError, match=r"range of \[-1, 0\], but got -2\)$"):
        api.tensor(1.0).sum(-2)

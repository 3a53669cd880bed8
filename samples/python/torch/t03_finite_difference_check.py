"""Check autograd gradients against central finite differences (float64)."""
import math

import torch
from torch import Tensor, autograd


def f(x):
    return torch.sin(x[0]) * x[1] ** 2 + torch.exp(-x[2]) * x[0] + torch.log1p(x[1] * x[1])


def numeric_grad(fn, x: Tensor, eps: float = 1e-6) -> Tensor:
    grads = []
    for i in range(x.numel()):
        bump = torch.zeros_like(x)
        bump[i] = eps
        grads.append((fn(x + bump).item() - fn(x - bump).item()) / (2 * eps))
    return torch.tensor(grads, dtype=x.dtype)


point = torch.tensor([0.5, -1.25, 2.0], dtype=torch.float64, requires_grad=True)
value = f(point)
value.backward()
analytic = point.grad
numeric = numeric_grad(f, point.detach())
print("value    :", f"{value.item():.10f}")
print("analytic :", [f"{g:.8f}" for g in analytic.tolist()])
print("numeric  :", [f"{g:.8f}" for g in numeric.tolist()])
error = (analytic - numeric).abs().max().item()
print("max abs error below 1e-7:", error < 1e-7)
print("allclose:", torch.allclose(analytic, numeric, atol=1e-6))

by_hand = torch.tensor([
    math.cos(0.5) * (-1.25) ** 2 + math.exp(-2.0),
    2 * math.sin(0.5) * (-1.25) + 2 * (-1.25) / (1 + 1.25 ** 2),
    -math.exp(-2.0) * 0.5,
], dtype=torch.float64)
print("matches the derivative worked out by hand:", torch.allclose(analytic, by_hand))

checks = {
    "tanh": (torch.tanh, lambda v: 1 - math.tanh(v) ** 2),
    "sigmoid": (torch.sigmoid, lambda v: (1 / (1 + math.exp(-v))) * (1 - 1 / (1 + math.exp(-v)))),
    "sqrt": (torch.sqrt, lambda v: 0.5 / math.sqrt(v)),
    "x^3": (lambda t: t ** 3, lambda v: 3 * v ** 2),
    "exp": (torch.exp, math.exp),
}
for name, (op, derivative) in checks.items():
    for v in (0.3, 1.7):
        t = torch.tensor(v, dtype=torch.float64, requires_grad=True)
        op(t).backward()
        ok = abs(t.grad.item() - derivative(v)) < 1e-12
        print(f"{name:>8}'({v}) = {t.grad.item():10.6f}  ok={ok}")

ok = autograd.gradcheck(lambda t: (t.sin() * t.cos()).sum(), (point.detach().requires_grad_(),))
print("gradcheck:", ok)

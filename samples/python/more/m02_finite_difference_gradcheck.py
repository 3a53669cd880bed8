"""Check autograd gradients against central finite differences, in float64."""
import math
import torch
from typing import Callable, Dict

torch.manual_seed(0)


def numerical_grad(f: Callable[[torch.Tensor], torch.Tensor], x: torch.Tensor, eps: float = 1e-6) -> torch.Tensor:
    grad = torch.zeros_like(x)
    flat = x.detach().clone().view(-1)
    for i in range(flat.numel()):
        old = flat[i].item()
        flat[i] = old + eps
        plus = f(flat.view_as(x)).item()
        flat[i] = old - eps
        minus = f(flat.view_as(x)).item()
        flat[i] = old
        grad.view(-1)[i] = (plus - minus) / (2 * eps)
    return grad


def analytic_grad(f, x):
    x = x.detach().clone().requires_grad_(True)
    out = f(x)
    out.backward()
    return x.grad


functions: Dict[str, Callable] = {
    "sum of squares": lambda t: (t ** 2).sum(),
    "log-sum-exp": lambda t: torch.logsumexp(t, dim=0).sum(),
    "sigmoid mean": lambda t: torch.sigmoid(t).mean(),
    "product": lambda t: t.prod(),
    "norm": lambda t: t.norm(),
    "softplus": lambda t: torch.log1p(torch.exp(t)).sum(),
    "tanh*sin": lambda t: (torch.tanh(t) * torch.sin(t)).sum(),
}

x = torch.randn(2, 3, dtype=torch.float64)
print("x =", x)
results = {}
for name, f in functions.items():
    num = numerical_grad(f, x)
    ana = analytic_grad(f, x)
    err = (num - ana).abs().max().item()
    results[name] = err
    ok = torch.allclose(num, ana, atol=1e-5)
    print(f"{name:>15}: max error {err:.2e}  ok={ok}")

print("analytic grad of norm:\n", analytic_grad(functions["norm"], x))
worst = max(results, key=results.get)
print("worst:", worst, f"{results[worst]:.3e}")
print("all below 1e-6:", all(v < 1e-6 for v in results.values()))

# gradcheck from torch itself
inp = torch.randn(3, dtype=torch.double, requires_grad=True)
print("torch.autograd.gradcheck:", torch.autograd.gradcheck(lambda t: (t.exp() * t).sum(), (inp,)))
print("gradgradcheck:", torch.autograd.gradgradcheck(lambda t: (t ** 3).sum(), (inp,)))

# A scalar function of one variable, by hand
def g(v):
    return v ** 3 - 2 * v + math.e


for v in [0.5, 1.0, 2.0]:
    t = torch.tensor(v, dtype=torch.float64, requires_grad=True)
    g(t).backward()
    fd = (g(v + 1e-5) - g(v - 1e-5)) / 2e-5
    print(f"v={v}: autograd {t.grad.item():.6f} finite diff {fd:.6f} exact {3 * v * v - 2:.6f}")

"""Newton's method: a root of f, then a minimum using second derivatives from autograd."""
import torch
from torch.autograd.functional import hessian


def f(x):
    return x ** 3 - 2 * x - 5


x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
for i in range(5):
    y = f(x)
    (dy,) = torch.autograd.grad(y, x)
    with torch.no_grad():
        x = x - y / dy
    x.requires_grad_(True)
    residual = abs(f(x).item())
    print(f"iter {i}: x = {x.item():.12f}  f'(x) = {dy.item():.6f}  |f(x)| < 1e-9: {residual < 1e-9}")
print("root:", round(x.item(), 10))


def g(x):
    return x ** 4 - 3 * x ** 2 + x


x = torch.tensor(2.0, dtype=torch.float64, requires_grad=True)
for i in range(5):
    y = g(x)
    (d1,) = torch.autograd.grad(y, x, create_graph=True)
    (d2,) = torch.autograd.grad(d1, x)
    with torch.no_grad():
        x -= d1 / d2
    print(f"iter {i}: x={x.item():.10f} g'={d1.item():+.6e} g''={d2.item():.6f}")
print("d1 grad_fn:", type(d1.grad_fn).__name__, "| d2 requires grad:", d2.requires_grad)
print("is a minimum:", d2.item() > 0, "| g(x) =", f"{g(x).item():.8f}")


def h(v):
    return (v[0] - 1) ** 2 + 2 * (v[1] + 0.5) ** 2 + v[0] * v[1]


def solve2x2(H, b):
    """Cramer's rule, written out for a 2x2 system."""
    (a, c), (d, e) = H.tolist()
    det = a * e - c * d
    return torch.tensor([(e * b[0] - c * b[1]) / det, (a * b[1] - d * b[0]) / det],
                        dtype=torch.float64)


v = torch.tensor([0.0, 0.0], dtype=torch.float64)
vv = v.clone().requires_grad_(True)
(grad,) = torch.autograd.grad(h(vv), vv)
H = hessian(h, v)
v = v - solve2x2(H, grad.tolist())
print("gradient at 0:", grad)
print("hessian:", H)
print("newton step lands on:", [round(c, 8) for c in v.tolist()])
vv = v.clone().requires_grad_(True)
(grad,) = torch.autograd.grad(h(vv), vv)
print(f"gradient norm there: {grad.norm().item():.6f}")

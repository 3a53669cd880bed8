# Fit a cubic to sin(x) using only raw tensor operations and hand-derived gradients.
import math
import torch

torch.manual_seed(0)
dtype = torch.float
device = torch.device("cpu")

x = torch.linspace(-math.pi, math.pi, 2000, device=device, dtype=dtype)
y = torch.sin(x)

a = torch.randn((), device=device, dtype=dtype)
b = torch.randn((), device=device, dtype=dtype)
c = torch.randn((), device=device, dtype=dtype)
d = torch.randn((), device=device, dtype=dtype)
print("initial coefficients:", a.item(), b.item(), c.item(), d.item())

step = 1e-6
for it in range(2000):
    y_hat = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_hat - y).pow(2).sum().item()
    if it % 100 == 99:
        print(it, f"{loss:.4f}")
    g = 2.0 * (y_hat - y)
    ga = g.sum()
    gb = (g * x).sum()
    gc = (g * x ** 2).sum()
    gd = (g * x ** 3).sum()
    a -= step * ga
    b -= step * gb
    c -= step * gc
    d -= step * gd

print(f"Result: y = {a.item():.4f} + {b.item():.4f} x + {c.item():.4f} x^2 + {d.item():.4f} x^3")
print("dtype of a:", a.dtype, "shape:", a.shape, "ndim:", a.dim())

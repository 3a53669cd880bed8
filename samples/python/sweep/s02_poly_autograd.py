# Same cubic fit, now letting autograd compute the gradients.
import math
import torch

torch.manual_seed(1)
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)

coeffs = [torch.randn((), requires_grad=True) for _ in range(4)]
a, b, c, d = coeffs
lr = 1e-6
for t in range(2000):
    pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (pred - y).pow(2).sum()
    if t % 100 == 99:
        print(t, round(loss.item(), 4))
    loss.backward()
    with torch.no_grad():
        for p in coeffs:
            p -= lr * p.grad
            p.grad = None

print("requires_grad:", a.requires_grad, "is_leaf:", a.is_leaf)
print("grad after reset:", a.grad)
print(f"Result: y = {a.item():.3f} + {b.item():.3f} x + {c.item():.3f} x^2 + {d.item():.3f} x^3")
print("loss grad_fn:", loss.grad_fn.name())
print("pred grad_fn type:", type(pred.grad_fn).__name__)

"""Higher-order derivatives with torch.autograd.grad(create_graph=True)."""
import math

import torch


def derivatives(fn, x0, order):
    x = torch.tensor(x0, dtype=torch.float64, requires_grad=True)
    current = fn(x)
    values = [current.item()]
    for k in range(order):
        (current,) = torch.autograd.grad(current, x, create_graph=True)
        values.append(current.item())
    return values


print("sin at 0.5:", [f"{v:+.6f}" for v in derivatives(torch.sin, 0.5, 4)])
print("expected  :", [f"{v:+.6f}" for v in
                      (math.sin(0.5), math.cos(0.5), -math.sin(0.5), -math.cos(0.5), math.sin(0.5))])
print("x^5 at 2  :", derivatives(lambda t: t ** 5, 2.0, 6))
print("exp(2x)   :", [round(v, 4) for v in derivatives(lambda t: torch.exp(2 * t), 0.0, 4)])

x = torch.tensor(1.5, requires_grad=True)
y = x ** 3
(dy,) = torch.autograd.grad(y, x, create_graph=True)
(d2y,) = torch.autograd.grad(dy, x, create_graph=True)
(d3y,) = torch.autograd.grad(d2y, x)
print(dy, d2y, d3y)
print(dy.requires_grad, d3y.requires_grad, type(dy.grad_fn).__name__)

# A penalty on the gradient's norm, differentiated once more with backward().
x = torch.tensor([1.0, 2.0], requires_grad=True)
loss = (x ** 2).sum() * x.prod()
(g,) = torch.autograd.grad(loss, x, create_graph=True)
print("grad:", g, "| grad has grad_fn:", g.grad_fn is not None)
grad_norm = g.pow(2).sum()
grad_norm.backward()
print("d|grad|^2/dx:", x.grad)

# Taylor polynomial of log(1 + x) around 0 from its derivatives.
coeffs = derivatives(torch.log1p, 0.0, 5)
taylor = [c / math.factorial(k) for k, c in enumerate(coeffs)]
print("taylor coefficients:", [round(c, 6) for c in taylor])
point = 0.1
approx = sum(c * point ** k for k, c in enumerate(taylor))
print(f"log(1.1) ~ {approx:.8f} vs {math.log(1.1):.8f}")

# Mixed partial derivatives of f(x, y) = x^2 * y^3.
x = torch.tensor(2.0, requires_grad=True)
y = torch.tensor(3.0, requires_grad=True)
f = x ** 2 * y ** 3
fx, fy = torch.autograd.grad(f, (x, y), create_graph=True)
fxy = torch.autograd.grad(fx, y, retain_graph=True)[0]
fyx = torch.autograd.grad(fy, x)[0]
print(f"fx={fx.item()} fy={fy.item()} fxy={fxy.item()} fyx={fyx.item()} equal={fxy.item() == fyx.item()}")

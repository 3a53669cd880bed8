# A custom autograd.Function: P3(x) = (5x^3 - 3x) / 2, used to fit sin(x).
import math
import torch


class Legendre3(torch.autograd.Function):
    @staticmethod
    def forward(ctx, inp):
        ctx.save_for_backward(inp)
        return 0.5 * (5 * inp ** 3 - 3 * inp)

    @staticmethod
    def backward(ctx, grad_out):
        (inp,) = ctx.saved_tensors
        return grad_out * 1.5 * (5 * inp ** 2 - 1)


torch.manual_seed(2)
x = torch.linspace(-math.pi, math.pi, 2000)
y = torch.sin(x)
a = torch.full((), 0.0, requires_grad=True)
b = torch.full((), -1.0, requires_grad=True)
c = torch.full((), 0.0, requires_grad=True)
d = torch.full((), 0.3, requires_grad=True)

lr = 5e-6
for t in range(2000):
    P3 = Legendre3.apply
    y_pred = a + b * P3(c + d * x)
    loss = (y_pred - y).pow(2).sum()
    if t % 100 == 99:
        print(f"step {t:4d}  loss {loss.item():.4f}")
    loss.backward()
    with torch.no_grad():
        for p in (a, b, c, d):
            p -= lr * p.grad
            p.grad = None

print(f"Result: y = {a.item():.4f} + {b.item():.4f} * P3({c.item():.4f} + {d.item():.4f} x)")
z = torch.tensor([0.5, -0.25], requires_grad=True)
out = Legendre3.apply(z)
print(out)
print(out.grad_fn.name())
out.sum().backward()
print(z.grad)
print(torch.autograd.gradcheck(Legendre3.apply, (torch.randn(3, dtype=torch.double, requires_grad=True),)))

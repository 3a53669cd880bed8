"""A tour of autograd: custom Functions, gradcheck, hooks, higher order, functional APIs."""
import torch
from torch.autograd import Function, gradcheck
from torch.autograd.functional import jacobian, hessian


class MyExp(Function):
    @staticmethod
    def forward(ctx, x):
        y = x.exp()
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, grad_out):
        (y,) = ctx.saved_tensors
        return grad_out * y


class Clamp01(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(0, 1)

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        mask = (x >= 0) & (x <= 1)
        return g * mask.to(g.dtype)


torch.manual_seed(0)
x = torch.randn(4, requires_grad=True)
y = MyExp.apply(x)
y.sum().backward()
print("custom exp grad equals exp:", torch.allclose(x.grad, x.exp()))
print(type(y.grad_fn).__name__)

xd = torch.randn(3, dtype=torch.double, requires_grad=True)
print("gradcheck:", gradcheck(MyExp.apply, (xd,), eps=1e-6, atol=1e-4))

z = torch.linspace(-0.5, 1.5, 5, requires_grad=True)
Clamp01.apply(z).sum().backward()
print(z.grad)

# hooks and retain_grad
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a * 2
b.retain_grad()
h = b.register_hook(lambda g: g * 10)
c = (b ** 2).sum()
c.backward()
print("a.grad", a.grad, "b.grad", b.grad)
h.remove()

# higher order
t = torch.tensor(2.0, requires_grad=True)
f = t ** 3 + 2 * t
(df,) = torch.autograd.grad(f, t, create_graph=True)
(d2f,) = torch.autograd.grad(df, t)
print(f"f={f.item()}, df={df.item()}, d2f={d2f.item()}")

# non-scalar backward
v = torch.tensor([1.0, 2.0], requires_grad=True)
w = v * v
w.backward(torch.tensor([1.0, 0.5]))
print(v.grad)

def fn(u):
    return (u ** 2).sum() + u.prod()

u = torch.tensor([1.0, 2.0, 3.0])
print(jacobian(lambda q: q ** 2, u))
print(hessian(fn, u))

from torch.func import grad, vmap
g = grad(lambda q: (q.sin() ** 2).sum())
print(g(u))
print(vmap(lambda r: r.dot(r))(torch.arange(6.0).reshape(3, 2)))

with torch.no_grad():
    k = a * 3
print(k.requires_grad, a.detach().requires_grad, a.is_leaf, b.is_leaf)
try:
    c.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:60])

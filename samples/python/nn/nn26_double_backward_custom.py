"""Double backward through custom Functions whose backward is itself differentiable."""
import torch
from torch.autograd import Function

torch.manual_seed(26)


class Square(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return 2 * x * grad_out  # built from differentiable torch ops


class SoftplusFn(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return torch.nn.functional.softplus(x)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * torch.sigmoid(x)


x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
y = Square.apply(x)
(dy,) = torch.autograd.grad(y.sum(), x, create_graph=True)
print("d/dx x^2:", dy)
print("first derivative grad_fn:", dy.grad_fn.name())
(d2y,) = torch.autograd.grad(dy.sum(), x)
print("second derivative:", d2y)

s = torch.linspace(-2, 2, 5, requires_grad=True)
out = SoftplusFn.apply(s)
(g,) = torch.autograd.grad(out.sum(), s, create_graph=True)
(h,) = torch.autograd.grad(g.sum(), s)
sig = torch.sigmoid(s.detach())
print("\nsoftplus':", g.detach(), "== sigmoid:", torch.allclose(g.detach(), sig))
print("softplus'':", h, "== sigmoid (1 - sigmoid):", torch.allclose(h, sig * (1 - sig)))

print("\ngradcheck and gradgradcheck in double precision:")
xd = torch.randn(4, dtype=torch.double, requires_grad=True)
print("  Square gradcheck:", torch.autograd.gradcheck(Square.apply, (xd,)))
print("  Square gradgradcheck:", torch.autograd.gradgradcheck(Square.apply, (xd,)))
print("  Softplus gradgradcheck:", torch.autograd.gradgradcheck(SoftplusFn.apply, (xd,)))

# a gradient penalty, as in WGAN-GP, through a network using the custom op
w = torch.randn(3, 3, requires_grad=True)
inp = torch.randn(5, 3, requires_grad=True)
critic = SoftplusFn.apply(inp @ w).sum(dim=1)
(grad_inp,) = torch.autograd.grad(critic.sum(), inp, create_graph=True)
penalty = ((grad_inp.norm(dim=1) - 1) ** 2).mean()
print(f"\ngradient penalty: {penalty.item():.4f}  grad_fn {penalty.grad_fn.name()}")
penalty.backward()
print("d penalty / d w:")
print(w.grad)

# Hessian-vector product of f(x) = sum(x^2 * softplus(x)) using two backward passes
x = torch.tensor([0.5, -1.0, 2.0], requires_grad=True)
f = (Square.apply(x) * SoftplusFn.apply(x)).sum()
(grad_f,) = torch.autograd.grad(f, x, create_graph=True)
v = torch.tensor([1.0, 0.0, -1.0])
(hvp,) = torch.autograd.grad(grad_f @ v, x)
print("\ngrad f:", grad_f.detach())
print("Hessian-vector product:", hvp)
x_ref = x.detach().clone().requires_grad_()
ref = torch.autograd.functional.hvp(lambda t: (t * t * torch.nn.functional.softplus(t)).sum(), x_ref, v)[1]
print("matches built-in ops:", torch.allclose(hvp, ref, atol=1e-6))

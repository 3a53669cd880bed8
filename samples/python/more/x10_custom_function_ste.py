# Custom autograd Functions: a straight-through estimator, a clamp with a custom
# gradient, a function with two outputs, and gradcheck on each.
import torch
from torch.autograd import Function, gradcheck, gradgradcheck
from torch.autograd.function import once_differentiable


class RoundSTE(Function):
    @staticmethod
    def forward(ctx, x):
        return torch.round(x)

    @staticmethod
    def backward(ctx, grad_output):
        return grad_output  # pretend round is the identity


class ScaledClamp(Function):
    @staticmethod
    def forward(ctx, x, lo, hi, scale=1.0):
        ctx.save_for_backward(x)
        ctx.lo, ctx.hi, ctx.scale = lo, hi, scale
        return x.clamp(lo, hi) * scale

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        inside = (x >= ctx.lo) & (x <= ctx.hi)
        print("  needs_input_grad:", ctx.needs_input_grad)
        return grad_out * inside * ctx.scale, None, None, None


class SortWithIndices(Function):
    @staticmethod
    def forward(ctx, x):
        values, idx = x.sort()
        ctx.mark_non_differentiable(idx)
        ctx.save_for_backward(idx)
        return values, idx

    @staticmethod
    @once_differentiable
    def backward(ctx, g_values, g_idx):
        (idx,) = ctx.saved_tensors
        grad = torch.zeros_like(g_values)
        grad.scatter_(0, idx, g_values)
        return grad


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, g):
        (x,) = ctx.saved_tensors
        return g * 3 * x ** 2  # written with differentiable ops: double backward works


x = torch.tensor([0.2, 1.6, -0.7, 2.5], requires_grad=True)
y = RoundSTE.apply(x)
print("round:", y, y.grad_fn.__class__.__name__)
(y * torch.arange(4.0)).sum().backward()
print("ste grad:", x.grad)

x.grad = None
z = ScaledClamp.apply(x, -0.5, 2.0, 3.0)
print("clamped:", z)
z.sum().backward()
print("clamp grad:", x.grad)

v = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
vals, idx = SortWithIndices.apply(v)
print(vals, idx, idx.requires_grad)
(vals * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
print("sort grad:", v.grad)

c = torch.tensor(2.0, requires_grad=True)
out = Cube.apply(c)
(g,) = torch.autograd.grad(out, c, create_graph=True)
(gg,) = torch.autograd.grad(g, c)
print(f"cube: {out.item()}, d/dx: {g.item()}, d2/dx2: {gg.item()}")

inputs = (torch.randn(5, dtype=torch.double, requires_grad=True),)
print("gradcheck Cube:", gradcheck(Cube.apply, inputs, eps=1e-6, atol=1e-4))
print("gradgradcheck Cube:", gradgradcheck(Cube.apply, inputs))
safe = torch.tensor([0.1, 0.9, 1.5, -0.3], dtype=torch.double, requires_grad=True)
print("gradcheck clamp:", gradcheck(lambda t: ScaledClamp.apply(t, 0.0, 1.0, 2.0), (safe,)))


class BadGrad(Function):
    @staticmethod
    def forward(ctx, x):
        return x * 2

    @staticmethod
    def backward(ctx, g):
        return g * 3  # wrong on purpose


try:
    gradcheck(BadGrad.apply, (torch.ones(2, dtype=torch.double, requires_grad=True),))
except Exception as e:
    print(type(e).__name__, str(e).splitlines()[0])
print(gradcheck(BadGrad.apply, (torch.ones(2, dtype=torch.double, requires_grad=True),),
                raise_exception=False))

# once_differentiable refuses double backward
vv = torch.tensor([2.0, 1.0], requires_grad=True)
vals, _ = SortWithIndices.apply(vv)
(gv,) = torch.autograd.grad(vals.sum(), vv, create_graph=True)
try:
    gv.sum().backward()
except RuntimeError as e:
    print("RuntimeError:", e)

"""setup_context-style Functions, non-tensor arguments, once_differentiable, and gradcheck catching a bug."""
import torch
from torch.autograd import Function, gradcheck
from torch.autograd.function import once_differentiable

torch.manual_seed(25)


class ScaledTanh(Function):
    """y = a * tanh(x / a), with forward separated from setup_context."""

    @staticmethod
    def forward(x, a):
        return a * torch.tanh(x / a)

    @staticmethod
    def setup_context(ctx, inputs, output):
        x, a = inputs
        ctx.a = a
        ctx.save_for_backward(x)

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        t = torch.tanh(x / ctx.a)
        return grad_out * (1 - t * t), None  # no gradient for the float a


x = torch.linspace(-4, 4, 5, requires_grad=True)
y = ScaledTanh.apply(x, 2.0)
print("ScaledTanh:", y)
print("grad_fn:", type(y.grad_fn).__name__)
(g,) = torch.autograd.grad(y.sum(), x)
print("grad:", g)
print("gradcheck:", gradcheck(lambda t: ScaledTanh.apply(t, 2.0),
                              (torch.randn(5, dtype=torch.double, requires_grad=True),)))


class Cube(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out * 2 * x ** 2  # bug: the derivative is 3 x^2


inp = torch.randn(3, dtype=torch.double, requires_grad=True)
try:
    gradcheck(Cube.apply, (inp,), eps=1e-6, atol=1e-4)
except Exception as err:
    print("\ngradcheck on the buggy Cube raised", type(err).__name__)
    print("  first line:", str(err).splitlines()[0])
print("raise_exception=False returns:", gradcheck(Cube.apply, (inp,), raise_exception=False))


class ClampedLog(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=1e-3).log()

    @staticmethod
    @once_differentiable
    def backward(ctx, grad_out):
        (x,) = ctx.saved_tensors
        return grad_out / x.clamp(min=1e-3)


z = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
out = ClampedLog.apply(z)
print("\nClampedLog:", out)
w = torch.ones(3, requires_grad=True)
(g1,) = torch.autograd.grad((out * w).sum(), z, create_graph=True)
print("first derivative:", g1)
print("its grad_fn:", type(g1.grad_fn).__name__)
try:
    g1.sum().backward()
except RuntimeError as err:
    print("second derivative through once_differentiable:", type(err).__name__)
    print("  ", str(err).splitlines()[0])


class MulAdd(Function):
    """out = x * y + c, with needs_input_grad deciding what to compute."""

    @staticmethod
    def forward(ctx, x, y, c):
        ctx.save_for_backward(x, y)
        return x * y + c

    @staticmethod
    def backward(ctx, grad_out):
        x, y = ctx.saved_tensors
        print("  needs_input_grad:", ctx.needs_input_grad)
        gx = grad_out * y if ctx.needs_input_grad[0] else None
        gy = grad_out * x if ctx.needs_input_grad[1] else None
        return gx, gy, None


a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, 4.0])
print("\nMulAdd with only the first input requiring grad:")
MulAdd.apply(a, b, 5.0).sum().backward()
print("a.grad:", a.grad, "b.grad:", b.grad)

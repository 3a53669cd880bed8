"""A custom autograd.Function with a hand-written backward, as in a homework set."""
import torch


class Cube(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 3

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x ** 2


class ScaledSum(torch.autograd.Function):
    @staticmethod
    def forward(ctx, a, w):
        ctx.save_for_backward(a, w)
        return (a * w).sum(dim=0)

    @staticmethod
    def backward(ctx, grad_output):
        a, w = ctx.saved_tensors
        return grad_output * w, grad_output * a


x = torch.tensor([[0.5, -1.0], [2.0, 1.5]], requires_grad=True)
w = torch.tensor([[1.0, 2.0], [3.0, -1.0]], requires_grad=True)
h = Cube.apply(x)
y = ScaledSum.apply(h, w)
loss = (y ** 2).mean()
loss.backward()
print(loss.item())
print(x.grad)

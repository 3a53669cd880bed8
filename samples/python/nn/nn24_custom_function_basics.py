"""Custom torch.autograd.Function: a ReLU, an exp that saves its output, and a two-output op."""
import torch
from torch import nn

torch.manual_seed(24)


class MyReLU(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        grad = grad_output.clone()
        grad[x < 0] = 0
        return grad


class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        result = x.exp()
        ctx.save_for_backward(result)  # d/dx exp(x) = exp(x): reuse the output
        return result

    @staticmethod
    def backward(ctx, grad_output):
        (result,) = ctx.saved_tensors
        return grad_output * result


class SortWithIndices(torch.autograd.Function):
    """Returns the sorted values and the permutation; only the values are differentiable."""

    @staticmethod
    def forward(ctx, x):
        values, order = torch.sort(x)
        ctx.save_for_backward(order)
        ctx.mark_non_differentiable(order)
        return values, order

    @staticmethod
    def backward(ctx, grad_values, grad_order):
        (order,) = ctx.saved_tensors
        grad = torch.zeros_like(grad_values)
        grad[order] = grad_values
        return grad


x = torch.tensor([-2.0, -0.5, 0.5, 1.5], requires_grad=True)
y = MyReLU.apply(x)
print("MyReLU:", y)
print("grad_fn name:", type(y.grad_fn).__name__)
y.sum().backward()
print("grad:", x.grad)
x.grad = None
torch.relu(x).sum().backward()
print("built-in relu grad:", x.grad)

x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
e = MyExp.apply(x)
print("\nMyExp:", e, type(e.grad_fn).__name__)
print("saved tensor is the output:", torch.equal(e.grad_fn.saved_tensors[0], e.detach()))
(g,) = torch.autograd.grad((e * torch.tensor([1.0, 2.0, 3.0])).sum(), x)
print("weighted grad:", g)

v = torch.tensor([3.0, 1.0, 2.0], requires_grad=True)
values, order = SortWithIndices.apply(v)
print("\nsorted:", values, "order:", order)
print("order requires grad:", order.requires_grad, "| values requires grad:", values.requires_grad)
(values * torch.tensor([10.0, 20.0, 30.0])).sum().backward()
print("grad flows back to original positions:", v.grad)


class CustomReLULayer(nn.Module):
    def forward(self, x):
        return MyReLU.apply(x)


net = nn.Sequential(nn.Linear(3, 5), CustomReLULayer(), nn.Linear(5, 1))
ref = nn.Sequential(nn.Linear(3, 5), nn.ReLU(), nn.Linear(5, 1))
ref.load_state_dict(net.state_dict())
inp = torch.randn(4, 3)
net(inp).sum().backward()
ref(inp).sum().backward()
print("\nnetwork with the custom layer:")
print(net)
print("same first-layer grads as nn.ReLU:", torch.allclose(net[0].weight.grad, ref[0].weight.grad))
print("first-layer weight grad:")
print(net[0].weight.grad)

print("\ngradcheck MyExp (double):",
      torch.autograd.gradcheck(MyExp.apply, (torch.randn(4, dtype=torch.double, requires_grad=True),)))
print("gradcheck MyReLU (double, away from 0):",
      torch.autograd.gradcheck(MyReLU.apply, (torch.tensor([-1.0, 0.5, 2.0], dtype=torch.double, requires_grad=True),)))

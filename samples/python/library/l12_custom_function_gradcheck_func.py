import torch
torch.manual_seed(0)
from torch.autograd import Function, gradcheck
from torch.autograd.gradcheck import GradcheckError
from torch.func import grad, vmap, jacrev

class MyReLU(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * (x > 0).float()

class BadSquare(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x ** 2
    @staticmethod
    def backward(ctx, g):
        x, = ctx.saved_tensors
        return g * x  # should be 2x

x = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
y = MyReLU.apply(x)
print(y, type(y.grad_fn).__name__)
y.sum().backward()
print(x.grad)
xd = torch.randn(3, dtype=torch.double, requires_grad=True)
print(gradcheck(MyReLU.apply, (xd,)))
try:
    gradcheck(BadSquare.apply, (xd,))
except GradcheckError as e:
    print("caught:", str(e).splitlines()[0])
f = lambda t: (t.sin() ** 2).sum()
print(grad(f)(torch.tensor([0.5, 1.0])))
print(vmap(grad(f))(torch.tensor([[0.5, 1.0], [0.1, 0.2]])))
print(jacrev(torch.sin)(torch.tensor([0.0, 1.0])))

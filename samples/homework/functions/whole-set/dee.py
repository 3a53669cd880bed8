# One file that answers the whole set: every function is looked up in it.
# `adcli check samples/homework/functions/set.toml samples/homework/functions/whole-set/dee.py`
import torch


def grad_f(x):
    x = x.detach().requires_grad_()
    (torch.sin(x) * x).sum().backward()
    return x.grad


class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        r = torch.exp(x)
        ctx.save_for_backward(r)
        return r

    @staticmethod
    def backward(ctx, g):
        (r,) = ctx.saved_tensors
        return g * r


# scaled is not answered: "scaled is not defined: the answer must define scaled"


def softplus_grad(x):
    return torch.sigmoid(x)

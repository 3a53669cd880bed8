# the forward is right, the backward is not: gradcheck fails
import torch


class MyExp(torch.autograd.Function):
    @staticmethod
    def forward(ctx, x):
        return x.exp()

    @staticmethod
    def backward(ctx, g):
        return g * 2

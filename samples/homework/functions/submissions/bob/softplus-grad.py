import torch


def softplus_grad(x):
    return torch.exp(x) / (1 + torch.exp(x))

import torch

x = torch.zeros(2, 3)
print(x.shape.numel(), torch.Size([2, 3]).numel(), x.size().numel())


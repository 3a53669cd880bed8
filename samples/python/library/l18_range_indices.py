import torch
torch.manual_seed(0)
inp = torch.randn(4, 3, requires_grad=True)
target = torch.tensor([0, 2, 1, 1])
v = inp[range(4), target]
print(v, -v.mean())
(-v.mean()).backward(); print(inp.grad)
print(inp[range(1, 4, 2)], inp[:, range(2)].shape)
x = torch.zeros(5); x[range(0, 5, 2)] = 1.0; print(x)

"""torch.threshold, F.threshold(_) and nn.Threshold, with their gradients."""
import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([-1.0, 0.5, 2.0, float("nan")], requires_grad=True)
y = F.threshold(x, 0.6, -9.0)
print(y, type(y.grad_fn).__name__)
y.sum().backward()
print(x.grad)

print(torch.threshold(torch.tensor([1, 2, 3]), 1, 0))
print(torch.threshold(torch.tensor([1, 2, 3]), 1.5, 0))
print(torch.threshold(torch.tensor([-1, -2, 3]), -1.5, 9))
print(torch.threshold(torch.tensor([1.0, 2, 3]), 1, 7))
print(torch.threshold(torch.tensor([1, 2, 3]), 1, 0.5))

layer = nn.Threshold(0.1, 20.0)
print(layer, nn.Threshold(0.1, 20, inplace=True))
print(layer(torch.tensor([0.0, 0.2])))

z = torch.tensor([0.0, 0.2])
print(F.threshold_(z, 0.1, 5.0), z)

x2 = torch.tensor([-1.0, 0.5, 2.0], requires_grad=True)
y2 = F.threshold(x2, 0.6, -9.0)
(g,) = torch.autograd.grad(y2.sum(), x2, create_graph=True)
print(g, type(g.grad_fn).__name__)

w = torch.tensor([1.0, 2, 3], requires_grad=True) * 1
F.threshold(w, 1.5, 0.0, inplace=True)
print(w)

leaf = torch.tensor([0.0, 2.0, -3.0], requires_grad=True)
w = leaf * 1
torch.threshold_(w, 0.1, 5.0)
print(type(w.grad_fn).__name__)
w.sum().backward()
print(leaf.grad)
try:
    F.threshold_(leaf, 0.1, 5.0)
except RuntimeError as e:
    print("RuntimeError:", e)

torch.manual_seed(0)
net = nn.Sequential(nn.Linear(3, 4), nn.Threshold(0.0, -1.0), nn.Linear(4, 1))
print(net)
out = net(torch.randn(5, 3))
out.mean().backward()
print(out.squeeze(1))
print(net[0].weight.grad)

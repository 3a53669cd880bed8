"""Constraining weights: torch.nn.utils.parametrize and weight normalisation."""
import torch
import torch.nn as nn
import torch.nn.utils.parametrize as parametrize
from torch.nn.utils.parametrizations import weight_norm

torch.manual_seed(0)


class Symmetric(nn.Module):
    def forward(self, X):
        return X.triu() + X.triu(1).transpose(0, 1)


class PositiveScale(nn.Module):
    def forward(self, X):
        return X * 2.0

    def right_inverse(self, X):
        return X / 2.0


layer = nn.Linear(3, 3)
parametrize.register_parametrization(layer, "weight", Symmetric())
print(layer)
print(type(layer).__name__, parametrize.is_parametrized(layer))
W = layer.weight
print(W)
print("symmetric:", torch.equal(W, W.T), W.grad_fn.name())
print([name for name, _ in layer.named_parameters()])

# assigning needs every parametrization's right_inverse
try:
    with torch.no_grad():
        layer.weight = torch.eye(3)
except RuntimeError as e:
    print("RuntimeError:", e)

# two parametrizations chained, and assigning through right_inverse
layer = nn.Linear(3, 3)
parametrize.register_parametrization(layer, "weight", PositiveScale())
parametrize.register_parametrization(layer, "weight", PositiveScale())
print(layer.parametrizations.weight)
with torch.no_grad():
    layer.weight = torch.eye(3)
print(layer.parametrizations.weight.original)
print(layer.weight)

out = layer(torch.ones(2, 3)).sum()
out.backward()
print(layer.parametrizations.weight.original.grad)


# a model of our own with weight-normalised layers
class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = weight_norm(nn.Conv1d(2, 4, 3))
        self.fc = weight_norm(nn.Linear(4, 2), dim=None)

    def forward(self, x):
        x = torch.relu(self.conv(x)).mean(dim=2)
        return self.fc(x)


net = Net()
print(net)
print(list(net.state_dict().keys()))
g = net.conv.parametrizations.weight.original0
v = net.conv.parametrizations.weight.original1
print(g.shape, v.shape)
print("norms equal g:", torch.allclose(net.conv.weight.flatten(1).norm(dim=1), g.flatten()))
print(net.conv.weight.grad_fn.name(), net.fc.weight.grad_fn.name())

x = torch.randn(5, 2, 6)
target = torch.randn(5, 2)
opt = torch.optim.SGD(net.parameters(), lr=0.1)
for step in range(3):
    opt.zero_grad()
    loss = ((net(x) - target) ** 2).mean()
    loss.backward()
    opt.step()
    print(f"step {step}: loss {loss.item():.4f}")
print(g.grad.flatten().round(decimals=3))

parametrize.remove_parametrizations(layer, "weight")
print(layer, type(layer).__name__)
try:
    parametrize.register_parametrization(layer, "scale", Symmetric())
except ValueError as e:
    print("ValueError:", e)

"""Activation functions side by side: values, slopes, and in-place variants.

A course handout: for each activation, f(x) on a grid and df/dx from autograd,
then the in-place forms that CNN code uses to save memory.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

xs = torch.linspace(-4, 4, 9)
acts = {
    "ReLU": nn.ReLU(),
    "LeakyReLU(0.1)": nn.LeakyReLU(0.1),
    "ELU": nn.ELU(),
    "SELU": nn.SELU(),
    "CELU(0.5)": nn.CELU(0.5),
    "Hardtanh": nn.Hardtanh(),
    "ReLU6": nn.ReLU6(),
    "Hardsigmoid": nn.Hardsigmoid(),
    "Hardswish": nn.Hardswish(),
    "Softshrink": nn.Softshrink(),
    "Hardshrink": nn.Hardshrink(),
    "Threshold(1, -1)": nn.Threshold(1.0, -1.0),
    "Sigmoid": nn.Sigmoid(),
    "Tanh": nn.Tanh(),
}

print("x:", [f"{v:+.1f}" for v in xs.tolist()])
for name, act in acts.items():
    x = xs.clone().requires_grad_(True)
    y = act(x)
    y.sum().backward()
    vals = " ".join(f"{v:+.4f}" for v in y.tolist())
    slopes = " ".join(f"{v:+.3f}" for v in x.grad.tolist())
    print(f"{name:>16} | {vals}")
    print(f"{'slope':>16} | {slopes}   ({type(y.grad_fn).__name__})")

print()
print("PReLU learns its slope:")
prelu = nn.PReLU(num_parameters=3, init=0.2)
print(prelu, prelu.weight)
feat = torch.tensor([[[-1.0, 2.0]], [[-3.0, 0.5]], [[0.0, -0.5]]]).reshape(1, 3, 2)
out = prelu(feat)
loss = (out ** 2).mean()
loss.backward()
print(out, prelu.weight.grad)

print()
print("GLU halves the features:")
h = torch.arange(8.0).reshape(2, 4) / 4 - 1
print(F.glu(h, dim=1), nn.GLU(dim=0)(h))

print()
print("In place: the same tensor comes back, with a new grad_fn")
base = torch.tensor([-2.0, -0.5, 0.5, 2.0], requires_grad=True)
for fn in (lambda t: F.relu(t, inplace=True), lambda t: F.leaky_relu(t, 0.2, inplace=True),
           lambda t: F.elu(t, inplace=True), lambda t: F.selu(t, inplace=True),
           lambda t: F.hardtanh(t, -1.0, 1.0, inplace=True), nn.ReLU6(inplace=True),
           nn.Hardswish(inplace=True)):
    h = base * 2
    out = fn(h)
    print(out is h, out.grad_fn.name(), [round(v, 4) for v in out.tolist()])
    base.grad = None
    out.sum().backward()
    print("   grad:", base.grad)

print(nn.Softmin(dim=0)(torch.tensor([1.0, 2.0, 3.0])))
print(nn.Sequential(nn.Linear(3, 3), nn.SELU(inplace=True), nn.CELU(alpha=2.0), nn.Hardswish()))

"""Activation modules: values, derivatives and grad_fn names on a small grid."""
import torch
from torch import nn

torch.manual_seed(20)

x = torch.linspace(-2.5, 3.5, 7, requires_grad=True)
print("x:", x.detach())

activations = [
    nn.ReLU(),
    nn.LeakyReLU(0.1),
    nn.ELU(alpha=1.0),
    nn.GELU(),
    nn.GELU(approximate="tanh"),
    nn.SiLU(),
    nn.Sigmoid(),
    nn.Tanh(),
    nn.Softplus(beta=2.0),
    nn.ReLU6(),
    nn.Hardtanh(-1.0, 1.0),
]

for act in activations:
    y = act(x)
    (g,) = torch.autograd.grad(y.sum(), x)
    print(f"\n{act}  [{y.grad_fn.name()}]")
    print("  value:", y.detach())
    print("  slope:", g)

logits = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]], requires_grad=True)
for module in (nn.Softmax(dim=1), nn.LogSoftmax(dim=1), nn.Softmax(dim=0)):
    out = module(logits)
    print(f"\n{module} [{out.grad_fn.name()}]")
    print(out)

soft = nn.Softmax(dim=-1)(logits)
logsoft = nn.LogSoftmax(dim=-1)(logits)
print("\nlog of softmax matches LogSoftmax:", torch.allclose(soft.log(), logsoft))
print("softmax is shift invariant:", torch.allclose(soft, nn.Softmax(dim=-1)(logits + 100.0)))

jac = torch.autograd.functional.jacobian(lambda z: torch.softmax(z, dim=0), torch.tensor([1.0, 2.0, 3.0]))
print("softmax jacobian:")
print(jac)
p = torch.softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0)
print("equals diag(p) - p p^T:", torch.allclose(jac, torch.diag(p) - torch.outer(p, p)))

stack = nn.Sequential(nn.Linear(4, 4), nn.SiLU(), nn.Linear(4, 4), nn.GELU(), nn.Linear(4, 2), nn.Softmax(dim=-1))
probs = stack(torch.randn(3, 4))
print("\nmodel with SiLU/GELU/Softmax:", probs.grad_fn.name())
print(probs)
inplace = nn.ReLU(inplace=True)
t = torch.tensor([-1.0, 2.0])
r = inplace(t)
print(inplace, "modified its input:", t, r is t)
print("LeakyReLU repr:", nn.LeakyReLU(), "| ELU repr:", nn.ELU(alpha=0.5), "| Softplus:", nn.Softplus())
